# SPDX-License-Identifier: MIT
"""sriovctl pf PF set-vfs N on generated hosts: the plan (--dry-run is the
only mode allowed on a tree), its checks and the holder scan, with a fake
/proc under the root. The writes themselves are proven in the lab."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl


class SetVfs(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        self.man = hostgen(self.root, "nvme:vfs=2,total=8",
                           "e810:pfs=1,vfs=2")
        pfs = {p["driver"]: p for p in self.man["pfs"]}
        self.nvme = pfs["nvme"]["address"]
        self.ice = pfs["ice"]
        self.icenet = self.ice["netdevs"][0] if isinstance(
            self.ice["netdevs"][0], str) else self.ice["netdevs"][0]["name"]

    def dev(self, addr, *rel):
        return os.path.join(self.root, "sys/bus/pci/devices", addr, *rel)

    def read(self, addr, attr):
        with open(self.dev(addr, attr)) as f:
            return f.read()

    def vf_addr(self, pf, i):
        return os.path.basename(os.readlink(self.dev(pf, f"virtfn{i}")))

    def snapshot(self):
        return [self.read(a, f) for a in (self.nvme, self.ice["address"])
                for f in ("sriov_numvfs", "sriov_drivers_autoprobe")]

    def setvfs(self, *args, check):
        before = self.snapshot()
        r = sriovctl("pf", *args, root=self.root, check=check)
        self.assertEqual(self.snapshot(), before, "the tree was written")
        return r

    def fake_process(self, pid, comm, target):
        fd = os.path.join(self.root, "proc", str(pid), "fd")
        os.makedirs(fd)
        with open(os.path.join(self.root, "proc", str(pid), "comm"), "w") as f:
            f.write(comm + "\n")
        os.symlink("/dev/null", os.path.join(fd, "0"))
        os.symlink(target, os.path.join(fd, "9"))

    def test_through_zero(self):
        r = self.setvfs(self.nvme, "set-vfs", "4", "--dry-run", check=0)
        self.assertEqual(r.out.splitlines(), [
            f"{self.nvme}: would write sriov_numvfs: 2 -> 0",
            f"{self.nvme}: would write sriov_numvfs: 0 -> 4",
            "2 changes (dry run: nothing was written)"])

    def test_autoprobe_before_creating(self):
        r = self.setvfs(self.nvme, "set-vfs", "3", "--autoprobe", "off",
                        "--dry-run", check=0)
        self.assertEqual(r.out.splitlines()[:3], [
            f"{self.nvme}: would write sriov_numvfs: 2 -> 0",
            f"{self.nvme}: would write sriov_drivers_autoprobe: on -> off",
            f"{self.nvme}: would write sriov_numvfs: 0 -> 3"])
        r = self.setvfs(self.nvme, "set-vfs", "2", "--autoprobe=off",
                        "--dry-run", check=0)
        self.assertEqual(r.out.splitlines()[0],
                         f"{self.nvme}: would write sriov_drivers_autoprobe: on -> off")

    def test_same_count(self):
        r = self.setvfs(self.nvme, "set-vfs", "2", "--dry-run", check=0)
        self.assertEqual(r.out, f"{self.nvme}: already 2 VFs (autoprobe on); "
                         "nothing written\n")

    def test_above_total(self):
        r = self.setvfs(self.nvme, "set-vfs", "9", "--dry-run", check=1)
        self.assertIn(f"{self.nvme}: 9 VFs asked, but the PF offers at most 8 "
                      "(sriov_totalvfs); choose 0 to 8; nothing was changed",
                      r.err)
        self.assertEqual(r.out, "")

    def test_no_driver(self):
        os.remove(self.dev(self.nvme, "driver"))
        r = self.setvfs(self.nvme, "set-vfs", "3", "--dry-run", check=1)
        self.assertIn(f"{self.nvme} has no driver", r.err)
        self.assertIn("ENOENT", r.err)

    def test_vfio_holder(self):
        vf0 = self.vf_addr(self.nvme, 0)
        group = os.path.basename(os.readlink(self.dev(vf0, "iommu_group")))
        self.fake_process(4242, "qemu-kvm", f"/dev/vfio/{group}")
        self.fake_process(77, "bash", "/dev/vfio/vfio")
        r = self.setvfs(self.nvme, "set-vfs", "0", "--dry-run", check=1)
        self.assertIn(f"{self.nvme}: 1 VF is in use and would be removed", r.err)
        self.assertIn(f"{vf0} (vf0): /dev/vfio/{group} open by pid 4242 "
                      "(qemu-kvm)", r.err)
        self.assertNotIn("pid 77", r.err)
        # a lower count goes through 0: VF0 goes too
        self.setvfs(self.nvme, "set-vfs", "1", "--dry-run", check=1)
        r = self.setvfs(self.nvme, "set-vfs", "0", "--dry-run", "--force",
                        check=0)
        self.assertIn("--force: removing VFs in use", r.err)
        self.assertIn("pid 4242", r.err)
        self.assertIn(f"{self.nvme}: would write sriov_numvfs: 2 -> 0", r.out)
        # more VFs with none removed needs no holder check... but through 0
        self.setvfs(self.nvme, "set-vfs", "3", "--dry-run", check=1)

    def test_netdev_holders(self):
        pf = self.ice["address"]
        r = self.setvfs(self.icenet, "set-vfs", "0", "--dry-run", check=1)
        self.assertIn(f"{pf}: 2 VFs are in use", r.err)
        vf0 = self.vf_addr(pf, 0)
        net0 = os.listdir(self.dev(vf0, "net"))[0]
        self.assertIn(f"{vf0} (vf0): netdev {net0} is up", r.err)
        # both down: no holder; one enslaved; one moved to another netns
        for i in (0, 1):
            vf = self.vf_addr(pf, i)
            net = os.listdir(self.dev(vf, "net"))[0]
            with open(self.dev(vf, "net", net, "flags"), "w") as f:
                f.write("0x1002\n")
        self.setvfs(self.icenet, "set-vfs", "0", "--dry-run", check=0)
        os.symlink("../bond0", self.dev(vf0, "net", net0, "master"))
        vf1 = self.vf_addr(pf, 1)
        net1 = os.listdir(self.dev(vf1, "net"))[0]
        os.rename(self.dev(vf1, "net", net1), self.path("moved"))
        os.remove(os.path.join(self.root, "sys/class/net", net1))
        r = self.setvfs(self.icenet, "set-vfs", "0", "--dry-run", check=1)
        self.assertIn(f"netdev {net0} master bond0 (enslaved)", r.err)
        self.assertIn(f"{vf1} (vf1): bound to iavf but its netdev is not in "
                      "this network namespace", r.err)

    def test_names(self):
        r = self.setvfs("nope0", "set-vfs", "1", "--dry-run", check=1)
        self.assertIn("no SR-IOV PF named 'nope0'", r.err)
        r = self.setvfs(f"{self.nvme}/vf1", "set-vfs", "1", "--dry-run",
                        check=1)
        self.assertIn("is VF 1 of PF", r.err)
        self.setvfs(self.vf_addr(self.nvme, 0), "set-vfs", "1", "--dry-run",
                    check=1)
        # the short address and the netdev name the PF too
        self.setvfs(self.nvme[5:], "set-vfs", "2", "--dry-run", check=0)

    def test_usage(self):
        for args in (["set-vfs", "x"], ["set-vfs", "-1"], ["set-vfs"],
                     ["frob", "1"], ["set-vfs", "1", "--bogus"],
                     ["set-vfs", "1", "--autoprobe", "maybe"],
                     ["set-vfs", "1", "--timeout", "0"],
                     ["set-vfs", "1", "--timeout"],
                     ["set-vfs", "1", "2"]):
            with self.subTest(args=args):
                self.setvfs(self.nvme, *args, "--dry-run", check=2)
        # writes to a generated tree are refused: the live kernel only
        r = self.setvfs(self.nvme, "set-vfs", "3", check=2)
        self.assertIn("only with --dry-run", r.err)


if __name__ == "__main__":
    unittest.main()
