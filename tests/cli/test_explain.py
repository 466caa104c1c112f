# SPDX-License-Identifier: MIT
"""sriovctl explain: real error texts as operators paste them (log
prefixes, timestamps, tracebacks), matched and placed on generated hosts:
the failure id, the device it names on that host, and the fix."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl


class Explain(TreeTest):
    def setUp(self):
        super().setUp()
        # igb: ACS off at its root port, so PF and VFs share one group;
        # e810: ACS on, each VF alone, the last one bound to vfio-pci
        self.root = self.path("host")
        self.man = hostgen(self.root, "igb:vfs=3,ifname=ens1f,acs=off",
                           "e810:pfs=1,vfs=4,vfio=1,ifname=ens2f")
        self.igb, self.e810 = self.man["pfs"]

    def explain(self, *text, rc=0, root=None, json=False):
        args = ["explain"] + (["--json"] if json else []) + list(text)
        r = sriovctl(*args, root=root or self.root, check=rc)
        return r.json() if json else r

    def test_group_not_viable_libvirt(self):
        vf = self.igb["vfs"][1]["address"]
        text = ("error: Failed to start domain 'vm1'\n"
                "error: internal error: qemu unexpectedly closed the monitor: "
                "2026-11-23T10:41:07.123456Z qemu-system-x86_64: -device "
                f"vfio-pci,host={vf},id=hostdev0,bus=pci.0,addr=0x7: vfio {vf}: "
                "group 2 is not viable\n"
                "Please ensure all devices within the iommu_group are bound "
                "to their vfio bus driver.")
        j = self.explain(text, json=True)
        self.assertEqual(j["schema"], "sriovctl.explain/v1")
        self.assertEqual([f["id"] for f in j["failures"]],
                         ["vfio.group-not-viable"])
        f = j["failures"][0]
        self.assertIn("group 2 is not viable", f["matched"])
        self.assertEqual(f["checks"], ["group.viable", "acs.path", "driver.vfio"])
        d = j["devices"][0]
        self.assertEqual((d["kind"], d["address"], d["vf_index"], d["pf_netdev"]),
                         ("vf", vf, 1, "ens1f0"))
        g = {x["group"]: x for x in j["iommu_groups"]}[d["iommu_group"]]
        self.assertFalse(g["viable"])
        members = {m["address"]: m["driver"] for m in g["members"]}
        self.assertEqual(members[self.igb["address"]], "igb")
        self.assertIn(vf, members)
        self.assertIn("a PF together with its own VFs", " ".join(f["advice"]))
        self.assertIn(f"{self.igb['address']} is bound to igb", " ".join(f["advice"]))
        # the text form says the same
        r = self.explain(text)
        self.assertTrue(r.out.startswith("vfio.group-not-viable: "))
        self.assertIn(f"VF 1 of ens1f0 ({self.igb['address']})", r.out)
        self.assertIn("sriovctl check " + vf, r.out)
        self.assertIn("pcie_acs_override", r.out)

    def test_group_viable_and_unknown_group(self):
        vf = self.e810["vfs"][3]
        text = f"qemu-system-x86_64: -device vfio-pci,host={vf['address'][5:]}: vfio {vf['address']}: group {vf['iommu_group']} is not viable"
        j = self.explain(text, json=True)
        g = j["iommu_groups"][0]
        self.assertEqual((g["group"], g["exists"], g["viable"]),
                         (vf["iommu_group"], True, True))
        self.assertEqual(g["members"], [{"address": vf["address"], "driver": "vfio-pci"}])
        self.assertIn(f"group {vf['iommu_group']} is viable now", " ".join(j["failures"][0]["advice"]))
        # a group this host does not have
        j = self.explain("vfio: group 999 is not viable", json=True)
        self.assertEqual(j["iommu_groups"][0]["exists"], False)
        self.assertIn("IOMMU group 999 does not exist on this host",
                      " ".join(j["failures"][0]["advice"]))

    def test_text_of_another_host(self):
        # this host's group G holds the igb PF and its VFs; the text's
        # device is not here, so its "group G" is another host's
        g = self.igb["iommu_group"]
        text = f"vfio 0000:af:00.3: group {g} is not viable"
        j = self.explain(text, json=True)
        f = j["failures"][0]
        self.assertEqual(j["iommu_groups"], [])
        self.assertEqual([(d["kind"], d["address"]) for d in j["devices"]],
                         [("absent", "0000:af:00.3")])
        advice = " ".join(f["advice"])
        self.assertNotIn(self.igb["address"], advice)
        self.assertNotIn("bind vfio-pci", advice)
        self.assertIn("there is no PCI device 0000:af:00.3 on this host", f["advice"])
        self.assertIn(f"comes from another host, or the device was renamed", advice)
        self.assertIn(f"IOMMU group {g} of the text is that host's", advice)
        self.assertFalse(f["fix_here"])
        r = self.explain(text)
        self.assertNotIn(self.igb["address"], r.out)
        self.assertIn("Fix (not for this host, see above):", r.out)
        # a device that is here keeps its own group, looked up
        vf = self.igb["vfs"][0]
        j = self.explain(f"vfio 0000:af:00.3: group 999 is not viable\n"
                         f"vfio {vf['address']}: group {g} is not viable", json=True)
        self.assertEqual([x["group"] for x in j["iommu_groups"]], [vf["iommu_group"]])
        self.assertTrue(j["failures"][0]["fix_here"])
        self.assertIn("a PF together with its own VFs", " ".join(j["failures"][0]["advice"]))

    def test_numvfs_busy_dmesg(self):
        pf = self.igb["address"]
        for text in (f"[ 1234.567890] igb {pf}: 3 VFs already enabled. Disable before enabling 4 VFs",
                     f"Nov 23 10:00:01 host kernel: igb {pf[5:]}: 3 VFs already enabled. Disable before enabling 4 VFs",
                     "# echo 4 > /sys/class/net/ens1f0/device/sriov_numvfs\n"
                     "-bash: echo: write error: Device or resource busy"):
            j = self.explain(text, json=True)
            self.assertEqual([f["id"] for f in j["failures"]], ["numvfs.busy"], text)
            self.assertEqual((j["devices"][0]["kind"], j["devices"][0]["address"],
                              j["devices"][0]["num_vfs"], j["devices"][0]["total_vfs"]),
                             ("pf", pf, 3, 7), text)
            self.assertIn("sriovctl pf ens1f0 set-vfs N", " ".join(j["failures"][0]["advice"]))
        r = self.explain("bash: echo: write error: Device or resource busy")
        self.assertIn("numvfs.busy", r.out)
        self.assertIn("Write 0 to sriov_numvfs, then the new count", r.out)

    def test_numvfs_range_and_invalid(self):
        r = self.explain("echo 8 > /sys/class/net/ens1f0/device/sriov_numvfs\n"
                         "bash: echo: write error: Numerical result out of range")
        self.assertIn("numvfs.range: ", r.out)
        self.assertIn("ens1f0 takes at most 7 VFs (sriov_totalvfs)", r.out)
        r = self.explain("echo -1 > /sys/class/net/ens2f0/device/sriov_numvfs\n"
                         "bash: echo: write error: Invalid argument")
        self.assertIn("numvfs.invalid: ", r.out)
        self.assertIn("valid counts for ens2f0: 0 to 128", r.out)

    def test_numvfs_no_driver(self):
        root = self.path("nodrv")
        man = hostgen(root, "igb:vfs=0,pfdriver=none")
        pf = man["pfs"][0]["address"]
        r = self.explain(f"echo 2 > /sys/bus/pci/devices/{pf}/sriov_numvfs\n"
                         "-bash: echo: write error: No such file or directory",
                         root=root)
        self.assertIn("numvfs.no-driver: ", r.out)
        self.assertIn(f"PF {pf} has no driver: bind it to its driver", r.out)
        r = self.explain(f"[   42.000000] pci {pf}: no driver bound to device; cannot configure SR-IOV", root=root)
        self.assertIn("numvfs.no-driver: ", r.out)
        # a VF has no sriov_numvfs: say whose it is
        vf = self.igb["vfs"][0]["address"]
        r = self.explain(f"cat: /sys/bus/pci/devices/{vf}/sriov_numvfs: No such file or directory")
        self.assertIn(f"{vf} is VF 0 of PF ens1f0", r.out)

    def test_mmio_sriov_network_operator(self):
        # sriov-network-config-daemon (Go) with the kernel's line below it
        text = ('ERROR sriov/sriov.go:550 configSriovPFDevice(): fail to set NumVfs for device '
                '{"device": "0000:b0:00.0", "error": "write /sys/bus/pci/devices/0000:b0:00.0/sriov_numvfs: cannot allocate memory"}\n'
                'mlx5_core 0000:b0:00.0: not enough MMIO resources for SR-IOV')
        j = self.explain(text, json=True)
        self.assertEqual([f["id"] for f in j["failures"]], ["numvfs.mmio"])
        self.assertEqual(j["failures"][0]["matched"],
                         "mlx5_core 0000:b0:00.0: not enough MMIO resources for SR-IOV")
        self.assertIn("Above 4G decoding", j["failures"][0]["fix"])
        self.assertIn("pci=realloc", j["failures"][0]["fix"])
        self.assertEqual(j["devices"][0]["kind"], "absent")
        self.assertIn("there is no PCI device 0000:b0:00.0 on this host", j["failures"][0]["advice"])

    def test_vf_not_supported_igb(self):
        r = self.explain("$ ip link set ens1f0 vf 1 state disable\n"
                         "RTNETLINK answers: Operation not supported")
        self.assertIn("vf.not-supported: ", r.out)
        self.assertIn(f"ens1f0 vf 1: VF 1 of ens1f0 ({self.igb['address']}), "
                      f"{self.igb['vfs'][1]['address']}", r.out)
        self.assertIn("igb has no VF link-state operation", r.out)
        r = self.explain("ip link set dev ens1f0 vf 1 min_tx_rate 100\nRTNETLINK answers: Invalid argument")
        self.assertIn("vf.invalid: ", r.out)
        self.assertIn("PF ens1f0 is driven by igb and has 3 VFs (indexes 0-2)", r.out)

    def test_truncated_vf_list(self):
        j = self.explain("Truncated VF list: ens2f0", json=True)
        self.assertEqual(j["failures"][0]["id"], "netlink.truncated-vf-list")
        self.assertEqual(j["devices"][0]["address"], self.e810["address"])
        self.assertIn("ens2f0 has 4 VFs; sriovctl show ens2f0 lists them all",
                      j["failures"][0]["advice"])

    def test_no_iommu(self):
        root = self.path("noiommu")
        man = hostgen(root, "igb:vfs=2,ifname=ens1f", iommu="off")
        vf = man["pfs"][0]["vfs"][0]["address"]
        r = self.explain(f"2026-11-23T10:41:07.123456Z qemu-system-x86_64: -device vfio-pci,host={vf}: "
                         f"vfio {vf}: no iommu_group found: No such file or directory", root=root)
        self.assertIn("vfio.no-iommu: ", r.out)
        self.assertIn("the IOMMU is off", r.out)
        self.assertIn("/proc/cmdline has no intel_iommu=on or amd_iommu=on", r.out)
        self.assertIn(f"{vf} has no iommu_group", r.out)
        self.assertIn("intel_iommu=on iommu=pt", r.out)
        # libvirt's words for it, inside a nova fault
        r = self.explain('| fault | {"message": "unsupported configuration: host doesn\'t support '
                         'passthrough of host PCI devices", "code": 500, "details": "  File '
                         '\\"/usr/lib/python3/dist-packages/nova/compute/manager.py\\", line 2449" |',
                         root=root)
        self.assertIn("vfio.no-iommu: ", r.out)
        self.assertIn("iommu.cmdline", r.out)

    def test_no_iommu_on_a_host_with_iommu(self):
        # the IOMMU is on here: the advice says so and the fix is not for here
        vf = self.e810["vfs"][0]
        j = self.explain(f"vfio {vf['address']}: no iommu_group found: No such file or directory",
                         json=True)
        f = j["failures"][0]
        self.assertEqual(f["id"], "vfio.no-iommu")
        self.assertFalse(f["fix_here"])
        self.assertIn(f"{vf['address']} is in IOMMU group {vf['iommu_group']}: vfio-pci can take it now",
                      " ".join(f["advice"]))
        self.assertNotIn("enable", " ".join(f["advice"]).lower())
        r = self.explain("qemu-system-x86_64: -device vfio-pci,host=x: No available IOMMU models")
        self.assertIn("IOMMU groups: the IOMMU is on", r.out)
        self.assertIn("the message is from before the IOMMU was on, or from another host", r.out)
        self.assertIn("Fix (not for this host, see above):", r.out)
        # AMD turns it on without amd_iommu=on: no word about the command line
        root = self.path("amd")
        hostgen(root, "igb:vfs=2", cpu="amd", cmdline="BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro")
        r = self.explain("No available IOMMU models", root=root)
        self.assertIn("the IOMMU is on", r.out)
        self.assertNotIn("/proc/cmdline has no", r.out)
        # with the IOMMU off the fix is this host's
        root = self.path("off")
        hostgen(root, "igb:vfs=2", iommu="off")
        j = self.explain("No available IOMMU models", root=root, json=True)
        self.assertTrue(j["failures"][0]["fix_here"])
        self.assertIn("the IOMMU is off", " ".join(j["failures"][0]["advice"]))

    def test_nova(self):
        vf = self.e810["vfs"][0]["address"]
        j = self.explain(
            "2026-11-23 10:41:07.123 4242 ERROR nova.compute.manager [instance: 3f2b] Instance failed to spawn\n"
            "Traceback (most recent call last):\n"
            '  File "/usr/lib/python3/dist-packages/nova/pci/utils.py", line 197, in get_mac_by_pci_address\n'
            "nova.exception.PciDeviceNotFoundById: PCI device " + vf + " not found", json=True)
        self.assertEqual(j["failures"][0]["id"], "nova.pci-device-not-found")
        self.assertEqual((j["devices"][0]["kind"], j["devices"][0]["vf_index"],
                          j["devices"][0]["driver"]), ("vf", 0, "iavf"))
        j = self.explain("nova.exception.PciDeviceRequestFailed: PCI device request "
                         "[InstancePCIRequest(alias_name=None,count=1)] failed", json=True)
        self.assertEqual(j["failures"][0]["id"], "nova.pci-request-failed")

    def test_openstack_symptoms(self):
        r = self.explain("Starting network...\nudhcpc (v1.23.2) started\nSending discover...\n"
                         "Sending discover...\nUsage: /sbin/cirros-dhcpc <up|down>\nNo lease, failing")
        self.assertIn("neutron.vlan-no-dhcp: ", r.out)
        self.assertIn("trunk", r.out)
        r = self.explain("the instance does not get an IP address on the VLAN provider network")
        self.assertIn("neutron.vlan-no-dhcp: ", r.out)
        r = self.explain("%CDP-4-NATIVE_VLAN_MISMATCH: Native VLAN mismatch discovered on "
                         "GigabitEthernet1/0/1 (100), with host1 ens1f0 (1).")
        self.assertIn("neutron.vlan-mismatch: ", r.out)
        self.assertIn("sriovctl vf VF set vlan 0", r.out)

    def test_stdin_and_usage(self):
        import subprocess
        from common import SRIOVCTL
        for args in (["explain"], ["explain", "-"]):
            p = subprocess.run([SRIOVCTL, "--root", self.root] + args,
                               input="Truncated VF list: ens2f0\n", text=True,
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("netlink.truncated-vf-list", p.stdout)
        r = self.explain("everything is fine", rc=1)
        self.assertEqual(r.out, "")
        self.assertIn("no known SR-IOV failure matches this text", r.err)
        self.assertIn("sriovctl check", r.err)
        j = sriovctl("explain", "--json", "fine", root=self.root, check=1).json()
        self.assertEqual((j["matched"], j["failures"]), (False, []))
        self.explain("   ", rc=2)
        self.explain("--bogus", "x", rc=2)

    def stdin(self, data, *args):
        import subprocess
        from common import SRIOVCTL, TIMEOUT
        return subprocess.run([SRIOVCTL, "--root", self.root, "explain"] + list(args) + ["-"],
                              input=data, capture_output=True, timeout=TIMEOUT)

    def test_long_texts(self):
        # over the cap: refused with the cap named, nothing matched
        p = self.stdin(b"x\n" * ((16 << 20) // 2 + 1))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"longer than 16 MiB", p.stderr)
        self.assertEqual(p.stdout, b"")
        p = self.stdin(b"vfio 0000:0b:10.5: group 3\0 is not viable")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"NUL byte at offset 26", p.stderr)
        # a message at the end of a 1 MiB line (quadratic before: hours)
        vf = self.igb["vfs"][1]["address"]
        p = self.stdin(b"A" * (1 << 20) + f" vfio {vf}: group 2 is not viable\n".encode(),
                       "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        import json
        j = json.loads(p.stdout)
        f = j["failures"][0]
        self.assertEqual(f["id"], "vfio.group-not-viable")
        self.assertTrue(f["matched"].endswith(f"vfio {vf}: group 2 is not viable"))
        self.assertLessEqual(len(f["matched"]), 4096)
        self.assertEqual(j["devices"][0]["address"], vf)
        # a log naming a thousand devices: the first 64 are placed
        log = "".join(f"pci 0000:{i // 32:02x}:{i % 32:02x}.0: group {i} is not viable\n"
                      for i in range(1000))
        p = self.stdin(log.encode(), "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        j = json.loads(p.stdout)
        self.assertEqual(len(j["devices"]), 64)
        self.assertEqual(j["devices"][0]["written"], "0000:00:00.0")

    def test_without_inventory(self):
        # a root with no sys/: explained, not placed, and said so
        empty = self.path("empty")
        os.mkdir(empty)
        r = sriovctl("explain", "vfio 0000:0b:10.5: group 3 is not viable", root=empty, check=0)
        self.assertIn("vfio.group-not-viable", r.out)
        self.assertIn("were not looked up", r.err)


if __name__ == "__main__":
    unittest.main()
