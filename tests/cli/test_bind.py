# SPDX-License-Identifier: MIT
"""vf VFS bind/unbind on generated hosts: names and ranges, plans
(--dry-run), IOMMU group refusals, exit codes. Writes need the live host:
with --root only --dry-run is allowed, and the tree is never modified."""
import hashlib
import os
import shutil
import unittest

from common import TreeTest, hostgen, sriovctl


def netdevs_down(root):
    """The generator brings every netdev up; a VF whose netdev is up is in
    use (bind refuses to take it, as set-vfs refuses to remove it)."""
    for dirpath, _, files in os.walk(os.path.join(root, "sys", "devices")):
        if "flags" in files and os.path.basename(os.path.dirname(dirpath)) == "net":
            with open(os.path.join(dirpath, "flags"), "w") as f:
                f.write("0x1002\n")


def netdev_up(root, name, up=True):
    with open(os.path.join(root, "sys/class/net", name, "flags"), "w") as f:
        f.write("0x1003\n" if up else "0x1002\n")


def tree_digest(root):
    """Every file's content and every link's target under root."""
    h = hashlib.sha256()
    for d, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for n in sorted(files + [x for x in dirs if os.path.islink(os.path.join(d, x))]):
            p = os.path.join(d, n)
            h.update(p.encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


class Bind(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        # igb: ACS on, each VF its own group; e810 PF0: vf2 unbound, vf3 vfio
        self.man = hostgen(self.root, "igb:vfs=3,ifname=ens1f",
                           "e810:pfs=1,vfs=4,vfio=1,unbound=1,ifname=ens2f",
                           modules="full")
        netdevs_down(self.root)
        self.igb, self.e810 = self.man["pfs"][0], self.man["pfs"][1]
        self.digest = tree_digest(self.root)

    def tearDown(self):
        self.assertEqual(tree_digest(self.root), self.digest,
                         "the generated tree was modified")
        super().tearDown()

    def vf(self, pf, i):
        return pf["vfs"][i]["address"]

    def bind(self, *args, rc=0):
        return sriovctl("vf", *args, root=self.root, check=rc)

    def test_writes_refused_with_root(self):
        r = self.bind("ens1f0/vf0", "bind", "vfio-pci", rc=2)
        self.assertIn("cannot be used with --root", r.err)
        self.assertIn("--dry-run", r.err)
        self.bind("ens1f0/vf0", "unbind", rc=2)
        self.bind("ens1f0", "bind", "--kernel", rc=2)

    def test_dry_run_one_vf(self):
        r = self.bind("ens1f0/vf1", "bind", "vfio-pci", "--dry-run")
        a = self.vf(self.igb, 1)
        self.assertEqual(r.out.splitlines(), [
            f"{a} driver: igbvf -> vfio-pci",
            f"{a} driver_override: (null) -> vfio-pci",
            "2 changes (dry run: nothing was written)"])

    def test_names(self):
        for name in ("ens1f0/vf1", self.vf(self.igb, 1),
                     self.vf(self.igb, 1)[5:],
                     self.igb["vfs"][1]["netdev"]):
            r = self.bind(name, "unbind", "-n")
            self.assertIn(f"{self.vf(self.igb, 1)} driver: igbvf -> none",
                          r.out.splitlines(), name)

    def test_ranges(self):
        def addrs(*args):
            out = self.bind(*args, "unbind", "--dry-run").out
            return [l.split()[0] for l in out.splitlines()
                    if " driver: " in l]
        igb = [v["address"] for v in self.igb["vfs"]]
        self.assertEqual(addrs("ens1f0/vf0-2"), igb)
        self.assertEqual(addrs("ens1f0/vf2,0"), [igb[2], igb[0]])
        self.assertEqual(addrs("ens1f0/vf0,1-2,1"), igb)
        self.assertEqual(addrs("ens1f0"), igb)
        self.assertEqual(addrs(self.igb["address"]), igb)

    def test_range_errors(self):
        self.assertIn("no VF with that index",
                      self.bind("ens1f0/vf1-3", "unbind", "-n", rc=1).err)
        for bad in ("ens1f0/vf2-1", "ens1f0/vf1,", "ens1f0/vfx-2",
                    "ens1f0/vf-1"):
            self.assertIn("does not name VFs",
                          self.bind(bad, "unbind", "-n", rc=2).err, bad)
        self.assertIn("no SR-IOV VF or PF named",
                      self.bind("nope/vf0-1", "unbind", "-n", rc=1).err)

    def test_pf_without_vfs(self):
        root = self.path("novfs")
        hostgen(root, "igb:vfs=0,ifname=ens9f")
        r = sriovctl("vf", "ens9f0", "unbind", "-n", root=root, check=1)
        self.assertIn("PF without VFs", r.err)

    def test_already_bound_writes_nothing(self):
        a = self.vf(self.e810, 3)
        r = self.bind("ens2f0/vf3", "bind", "vfio-pci", "-n")
        self.assertIn(f"{a}: already bound to vfio-pci, nothing to do",
                      r.out.splitlines())
        self.assertNotIn(" -> ", r.out)

    def test_kernel_and_unbind_plans(self):
        e = [v["address"] for v in self.e810["vfs"]]
        r = self.bind("ens2f0", "bind", "--kernel", "-n")
        self.assertEqual(r.out.splitlines(), [
            f"{e[0]}: no driver_override, bound to iavf by the kernel, nothing to do",
            f"{e[1]}: no driver_override, bound to iavf by the kernel, nothing to do",
            f"{e[2]} driver: none -> (the kernel's default)",
            f"{e[3]} driver: vfio-pci -> (the kernel's default)",
            f"{e[3]} driver_override: vfio-pci -> (null)",
            "3 changes (dry run: nothing was written)"])
        r = self.bind("ens2f0/vf2-3", "unbind", "-n")
        self.assertEqual(r.out.splitlines()[:-1], [
            f"{e[2]} driver: none -> none",
            f"{e[2]} driver_override: (null) -> none",
            f"{e[3]} driver: vfio-pci -> none",
            f"{e[3]} driver_override: vfio-pci -> none"])

    def test_module_not_loaded(self):
        root = self.path("vfio-module")
        hostgen(root, "igb:vfs=2,ifname=ens1f", modules="full")
        netdevs_down(root)
        # vfio-pci not loaded, its module in the kernel's lists
        shutil.rmtree(os.path.join(root, "sys/bus/pci/drivers/vfio-pci"))
        r = sriovctl("vf", "ens1f0/vf0", "bind", "vfio-pci", "-n", root=root,
                     check=0)
        self.assertIn("module vfio-pci: not loaded, would be loaded",
                      r.out.splitlines())

    def test_driver_typo_refused(self):
        # a dry run refuses what the real run would: no such module, or a
        # driver that does not claim the VF's device id
        vf = self.vf(self.e810, 0)
        for drv, want in (("vifo-pci", "did you mean vfio-pci?"),
                          ("vfio", "did you mean vfio-pci?"),
                          ("ixgbevf", "does not drive this VF (8086:1889"),
                          ("igbvf", "did you mean iavf?")):
            r = self.bind("ens2f0/vf0", "bind", drv, "-n", rc=1)
            self.assertIn(want, r.err, drv)
            self.assertTrue(r.err.startswith(f"sriovctl: {vf}: ") or
                            "has no module of that name" in r.err, r.err)
            self.assertIn("nothing was changed", r.err)
            self.assertNotIn("would be loaded", r.out)
        r = self.bind("ens2f0/vf0", "bind", "vifo-pci", "-n", rc=1)
        self.assertIn("no PCI driver vifo-pci is loaded and kernel 6.1.0-27-amd64 "
                      "has no module of that name", r.err)
        # the VF's own driver is fine; so is a generic one
        self.bind("ens1f0/vf0", "bind", "igbvf", "-n")
        self.bind("ens1f0/vf0", "bind", "pci-stub", "-n", rc=1)  # not in this kernel
        self.bind("ens1f0/vf0", "bind", "vfio-pci", "-n")

    def test_vfio_missing_as_check_says(self):
        # no vfio-pci loaded, none in the kernel: check fails driver.vfio,
        # and the dry run says it cannot be loaded either
        root = self.path("novfio")
        hostgen(root, "igb:vfs=2,ifname=ens1f", modules="no-vfio")
        netdevs_down(root)
        self.assertFalse(os.path.exists(
            os.path.join(root, "sys/bus/pci/drivers/vfio-pci")))
        r = sriovctl("check", root=root, check=None)
        self.assertIn("driver.vfio", r.out)
        r = sriovctl("vf", "ens1f0/vf0", "bind", "vfio-pci", "-n", root=root,
                     check=1)
        self.assertIn("no PCI driver vfio-pci is loaded", r.err)
        self.assertNotIn("would be loaded", r.out)

    def test_in_use_refused(self):
        # the notion of set-vfs: a VF whose netdev is up is in use
        pf = self.e810["address"]
        netdev_up(self.root, "ens2f0v0")
        self.digest = tree_digest(self.root)
        r = self.bind("ens2f0", "bind", "vfio-pci", "-n", rc=1)
        self.assertIn(f"1 VF in use: {self.vf(self.e810, 0)} (vf0): netdev "
                      "ens2f0v0 is up; ", r.err)
        self.assertIn("or use --force; nothing was changed", r.err)
        self.assertEqual(r.out, "")
        self.bind("ens2f0/vf0", "unbind", "-n", rc=1)
        self.bind("ens2f0/vf1", "unbind", "-n")
        r = self.bind("ens2f0", "bind", "vfio-pci", "-n", "--force")
        self.assertIn(f"{self.vf(self.e810, 0)} driver: iavf -> vfio-pci",
                      r.out.splitlines())
        # set-vfs refuses the same VF
        r = sriovctl("pf", pf, "set-vfs", "0", "-n", root=self.root, check=1)
        self.assertIn("1 VF is in use", r.err)

    def test_kernel_autoprobe_note(self):
        root = self.path("ap0")
        man = hostgen(root, "igb:vfs=2,autoprobe=0,ifname=ens1f")
        a = [v["address"] for v in man["pfs"][0]["vfs"]]
        r = sriovctl("vf", "ens1f0", "bind", "--kernel", "-n", root=root,
                     check=0)
        lines = r.out.splitlines()
        self.assertIn(f"{a[0]} driver: none -> (the kernel's default)", lines)
        self.assertIn(f"note: {a[0]} would have no driver: its PF "
                      f"{man['pfs'][0]['address']} has sriov_drivers_autoprobe 0, "
                      "so the kernel probes no default driver for its VFs; bind "
                      "a driver by name to give it one", lines)

    def test_usage(self):
        self.bind("ens1f0/vf0", "bind", rc=2)
        self.bind("ens1f0/vf0", "bind", "--kernel", "igbvf", rc=2)
        self.bind("ens1f0/vf0", "bind", "--kernel", "--group", rc=2)
        self.bind("ens1f0/vf0", "bind", "igbvf", "--group", "-n", rc=2)
        self.bind("ens1f0/vf0", "unbind", "igbvf", rc=2)
        self.bind("ens1f0/vf0", "unbind", "--group", rc=2)
        self.bind("ens1f0/vf0", "rebind", rc=2)
        self.bind("ens1f0/vf0", "bind", "vfio-pci", "--frob", rc=2)
        r = self.bind("ens1f0/vf0", "set", "trust", "on", "--group", rc=2)
        self.assertIn("for bind/unbind", r.err)
        # bad values are failures, not usage
        self.assertIn("not a driver name",
                      self.bind("ens1f0/vf0", "bind", "a/b", "-n", rc=1).err)
        self.assertIn("use 'unbind'",
                      self.bind("ens1f0/vf0", "bind", "none", "-n", rc=1).err)


class Groups(TreeTest):
    """ACS off on the root port: the port, the PF and the VFs share a group."""

    def test_shared_group_refused(self):
        root = self.path("acs")
        man = hostgen(root, "igb:vfs=3,unbound=1,vfio=1,acs=off,ifname=ens1f")
        netdevs_down(root)
        pf = man["pfs"][0]
        a = [v["address"] for v in pf["vfs"]]
        digest = tree_digest(root)
        r = sriovctl("vf", "ens1f0/vf1", "bind", "vfio-pci", "-n", root=root,
                     check=1)
        self.assertIn(f"{a[1]}: IOMMU group", r.err)
        self.assertIn(f"{pf['address']} is bound to igb (the VF's own PF)",
                      r.err)
        self.assertIn(f"{a[0]} is bound to igbvf", r.err)
        self.assertNotIn(f"{a[2]} is bound", r.err)  # vfio-pci is fine
        self.assertNotIn("pcieport", r.err)          # so is the root port
        self.assertIn("enable ACS", r.err)
        self.assertIn("nothing was changed", r.err)
        r = sriovctl("vf", "ens1f0/vf1", "bind", "vfio-pci", "--group", "-n",
                     root=root, check=1)
        self.assertIn(f"holds {pf['address']} (igb), the VF's own PF", r.err)
        self.assertIn("unbinding a PF's driver disables its VFs", r.err)
        self.assertEqual(tree_digest(root), digest)

    def test_group_binds_the_rest(self):
        # a PF without a driver (VFs left enabled): only VFs in the way
        root = self.path("acs2")
        man = hostgen(root, "igb:vfs=3,acs=off,pfdriver=none")
        netdevs_down(root)
        a = [v["address"] for v in man["pfs"][0]["vfs"]]
        r = sriovctl("vf", a[0], "bind", "vfio-pci", "-n", root=root, check=1)
        self.assertIn(f"{a[1]} is bound to igbvf, {a[2]} is bound to igbvf",
                      r.err)
        self.assertIn("add --group", r.err)
        r = sriovctl("vf", a[0], "bind", "vfio-pci", "--group", "-n",
                     root=root, check=0)
        lines = r.out.splitlines()
        self.assertIn(f"{a[0]} driver: igbvf -> vfio-pci", lines)
        self.assertIn(f"{a[1]} driver: igbvf -> vfio-pci (same IOMMU group)",
                      lines)
        self.assertIn(f"{a[2]} driver_override: (null) -> vfio-pci "
                      "(same IOMMU group)", lines)
        # the whole PF at once needs no --group
        sriovctl("vf", man["pfs"][0]["address"], "bind", "vfio-pci", "-n",
                 root=root, check=0)

    def test_no_iommu(self):
        root = self.path("noiommu")
        hostgen(root, "igb:vfs=2,ifname=ens1f", iommu="off")
        netdevs_down(root)
        r = sriovctl("vf", "ens1f0/vf0", "bind", "vfio-pci", "-n", root=root,
                     check=1)
        self.assertIn("vfio-pci needs an IOMMU", r.err)
        self.assertIn("intel_iommu=on", r.err)
        # other drivers do not need one
        sriovctl("vf", "ens1f0/vf0", "unbind", "-n", root=root, check=0)


if __name__ == "__main__":
    unittest.main()
