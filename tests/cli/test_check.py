# SPDX-License-Identifier: MIT
"""sriovctl check on generated hosts: each check ok and fail/warn, with the
exact remedy for the host."""
import os
import subprocess
import unittest

from common import SOURCE, TreeTest, hostgen, sriovctl

GRUB_DEBIAN_INTEL = ('in /etc/default/grub set GRUB_CMDLINE_LINUX="... intel_iommu=on iommu=pt" '
                     '(keep the parameters already there), then run update-grub and reboot')
GRUB_RHEL_AMD = ('in /etc/default/grub set GRUB_CMDLINE_LINUX="... amd_iommu=on iommu=pt" '
                 '(keep the parameters already there), then run grub2-mkconfig -o '
                 '/boot/grub2/grub.cfg and reboot')
VTD = ("enable VT-d (Intel Virtualization Technology for Directed I/O) in the BIOS/UEFI "
       "setup, then power-cycle the host")


class CheckTest(TreeTest):
    n = 0

    def host(self, *cards, **opts):
        CheckTest.n += 1
        root = self.path("h%d" % CheckTest.n)
        hostgen(root, *cards, manifest=False, **opts)
        return root

    def run_check(self, root, *devices, rc=None):
        r = sriovctl("check", "--json", *devices, root=root)
        if rc is not None:
            self.assertEqual(r.rc, rc, r.out + r.err)
        self.assertIn(r.rc, (0, 1), r.err)
        rep = r.json()
        self.assertEqual(rep["schema"], "sriovctl.check/v1")
        return rep["findings"]

    def find(self, findings, cid, subject=None):
        got = [f for f in findings if f["id"] == cid and
               (subject is None or f["subject"] == subject)]
        self.assertTrue(got, "no %s finding for %s in %s" % (cid, subject, findings))
        return got[0]

    def assertFinding(self, findings, cid, severity, subject=None, remedy=None,
                      evidence=None):
        f = self.find(findings, cid, subject)
        self.assertEqual(f["severity"], severity, f)
        if remedy is not None:
            self.assertEqual(f["remedy"], remedy)
        elif severity in ("ok", "skip"):
            self.assertIsNone(f["remedy"])
        if evidence is not None:
            self.assertIn(evidence, f["evidence"])
        return f


class HostChecks(CheckTest):
    def test_good_host(self):
        root = self.host("e810:vfs=2,vfio=1", os="debian", modules="full", persist="udev",
                         hugepages=512)
        r = sriovctl("check", root=root, check=0)
        self.assertIn("Firmware/BIOS", r.out)
        f = self.run_check(root, rc=0)
        for cid in ("cpu.virt", "hugepages", "iommu.firmware", "sriov.capability",
                    "iommu.active", "iommu.cmdline", "iommu.passthrough", "driver.vfio",
                    "driver.pf", "driver.vf", "acs.path", "vf.persisted", "pf.link",
                    "vf.mac.duplicate", "numa.node", "numa.cpus", "group.viable", "vf.mtu"):
            self.assertEqual(self.find(f, cid)["severity"], "ok", cid)
        self.assertFinding(f, "iommu.firmware", "ok",
                           evidence="/sys/firmware/acpi/tables/DMAR exists")
        self.assertFinding(f, "iommu.cmdline", "ok", evidence="/proc/cmdline has intel_iommu=on")
        self.assertFinding(f, "hugepages", "ok", evidence="2048kB 512")
        self.assertFinding(f, "vf.persisted", "ok", "ens1f0np0",
                           evidence="/etc/udev/rules.d/70-sriov.rules writes sriov_numvfs for ens1f0np0")
        # areas come in report order
        areas = [x["area"] for x in f]
        order = ["host", "firmware", "kernel", "pf", "vf"]
        self.assertEqual(areas, sorted(areas, key=order.index))

    def test_cpu_virt(self):
        f = self.run_check(self.host(cpu_virt="off"))
        self.assertFinding(f, "cpu.virt", "warn", remedy=(
            "enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup, "
            "then power-cycle the host"))
        f = self.run_check(self.host(cpu="amd", cpu_virt="off"))
        self.assertFinding(f, "cpu.virt", "warn", remedy=(
            "enable SVM Mode (AMD-V) in the BIOS/UEFI setup, then power-cycle the host"))
        f = self.run_check(self.host(cpu="amd"))
        self.assertFinding(f, "cpu.virt", "ok", evidence="AMD CPU, flags have svm")

    def test_iommu_off_intel_debian(self):
        f = self.run_check(self.host("e810", iommu="off", os="debian"), rc=1)
        self.assertFinding(f, "iommu.firmware", "ok")
        self.assertFinding(f, "iommu.active", "fail", remedy=GRUB_DEBIAN_INTEL)
        self.assertFinding(f, "iommu.cmdline", "fail", remedy=GRUB_DEBIAN_INTEL,
                           evidence="/proc/cmdline has no intel_iommu=on")
        self.assertFinding(f, "iommu.passthrough", "skip")

    def test_iommu_off_amd_rhel(self):
        f = self.run_check(self.host("e810", iommu="off", cpu="amd", os="rhel"), rc=1)
        self.assertFinding(f, "iommu.active", "fail", remedy=GRUB_RHEL_AMD)
        self.assertFinding(f, "iommu.cmdline", "fail", remedy=GRUB_RHEL_AMD,
                           evidence="/proc/cmdline has no amd_iommu=on")

    def test_iommu_off_in_firmware(self):
        f = self.run_check(self.host("e810", iommu="off", iommu_firmware="off", os="debian"),
                           rc=1)
        self.assertFinding(f, "iommu.firmware", "fail", remedy=VTD,
                           evidence="/sys/firmware/acpi/tables has no DMAR table")
        self.assertFinding(f, "iommu.active", "fail", remedy=VTD + "; then " + GRUB_DEBIAN_INTEL)
        f = self.run_check(self.host(iommu="off", iommu_firmware="off", cpu="amd"), rc=1)
        self.assertFinding(f, "iommu.firmware", "fail", remedy=(
            "enable IOMMU (AMD-Vi) in the BIOS/UEFI setup, then power-cycle the host"))

    def test_cmdline_variants(self):
        # on by the kernel's default, without intel_iommu=on
        f = self.run_check(self.host(cmdline="BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro"))
        self.assertFinding(f, "iommu.cmdline", "ok",
                           evidence="no intel_iommu=on, but the IOMMU is on by the kernel's default")
        self.assertFinding(f, "iommu.passthrough", "warn", remedy=GRUB_DEBIAN_INTEL.replace(
            "run update-grub", "run update-grub (Debian/Ubuntu) or grub2-mkconfig -o "
            "/boot/grub2/grub.cfg (RHEL family)"))
        f = self.run_check(self.host(cmdline="root=/dev/sda1 ro intel_iommu=on", os="debian"))
        self.assertFinding(f, "iommu.passthrough", "warn", remedy=(
            'in /etc/default/grub set GRUB_CMDLINE_LINUX="... iommu=pt" (keep the parameters '
            'already there), then run update-grub and reboot'))
        f = self.run_check(self.host(iommu="off", cmdline="root=/dev/sda1 intel_iommu=off",
                                     os="debian"), rc=1)
        self.assertFinding(f, "iommu.cmdline", "fail", remedy=GRUB_DEBIAN_INTEL,
                           evidence="/proc/cmdline has intel_iommu=off (remove it)")

    def test_iommu_kind_from_firmware(self):
        # QEMU's TCG "max" CPU says AuthenticAMD beside an intel-iommu (DMAR):
        # the table decides the parameter, not the CPU vendor
        root = self.host(iommu="off", os="debian")
        cpuinfo = os.path.join(root, "proc/cpuinfo")
        with open(cpuinfo) as fh:
            text = fh.read().replace("GenuineIntel", "AuthenticAMD")
        os.chmod(cpuinfo, 0o644)
        with open(cpuinfo, "w") as fh:
            fh.write(text)
        f = self.run_check(root, rc=1)
        self.assertFinding(f, "cpu.virt", "ok", evidence="AMD CPU")
        self.assertFinding(f, "iommu.cmdline", "fail", remedy=GRUB_DEBIAN_INTEL,
                           evidence="/proc/cmdline has no intel_iommu=on")

    def test_hugepages(self):
        f = self.run_check(self.host(hugepages=0))
        self.assertFinding(f, "hugepages", "warn", remedy=(
            "for DPDK or VMs backed by huge pages: echo 1024 > "
            "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (now), or add "
            "default_hugepagesz=1G hugepagesz=1G hugepages=N to GRUB_CMDLINE_LINUX (at boot)"))
        self.assertFinding(self.run_check(self.host()), "hugepages", "skip")


class DeviceChecks(CheckTest):
    def test_sriov_disabled(self):
        root = self.host("cx6:total=0", "e810:total=0", "e810")
        f = self.run_check(root, rc=1)
        self.assertFinding(f, "sriov.capability", "fail", "0000:02:00.0", remedy=(
            "mlxconfig -d 0000:02:00.0 set SRIOV_EN=1 NUM_OF_VFS=8 (8: the VF count you "
            "need), then power-cycle the host"),
            evidence="has the SR-IOV capability (TotalVFs 0) but sriov_totalvfs is missing")
        self.assertFinding(f, "sriov.capability", "fail", "0000:03:00.0", remedy=(
            "enable SR-IOV in the BIOS/UEFI setup (globally and for the slot of "
            "0000:03:00.0) and in the adapter's firmware settings, then power-cycle the host"))
        self.assertFinding(f, "sriov.capability", "ok", "0000:04:00.0",
                           evidence="sriov_totalvfs is 128")
        # a device named on the command line
        f = self.run_check(root, "0000:02:00.1", rc=1)
        self.assertFinding(f, "sriov.capability", "fail", "0000:02:00.1")
        self.assertEqual({x["subject"] for x in f if x["area"] in ("pf", "vf")}, set())
        # the boot NVMe drive has no SR-IOV at all
        f = self.run_check(root, "0000:01:00.0", rc=1)
        self.assertFinding(f, "sriov.capability", "fail", "0000:01:00.0", remedy=(
            "use an SR-IOV capable adapter (or a firmware that exposes SR-IOV on this one)"),
            evidence="has no SR-IOV capability: the device cannot do SR-IOV")

    def test_acs_and_group(self):
        f = self.run_check(self.host("e810:vfs=2,vfio=1"), rc=0)
        self.assertFinding(f, "acs.path", "ok", "0000:02:00.0",
                           evidence="all with ACS SV RR CR UF enabled")
        self.assertFinding(f, "group.viable", "ok", "ens1f0np0/vf1")
        f = self.run_check(self.host("e810:vfs=2,vfio=1,acs=off"), rc=1)
        self.assertFinding(f, "acs.path", "warn", "0000:02:00.0", remedy=(
            "move the card to a slot whose root port has ACS (usually one wired to the CPU), "
            "or update the BIOS; the ACS override patch (pcie_acs_override=) is a last resort "
            "that gives up isolation between the devices of the group"),
            evidence="0000:00:02.0 has no ACS capability; so IOMMU group 2 holds 7 devices")
        g = self.assertFinding(f, "group.viable", "fail", "ens1f0np0/vf1", remedy=(
            "binding the whole group (sriovctl vf ens1f0np0/vf1 bind vfio-pci --group) cannot "
            "work here: the group holds the VF's own PF, whose unbinding removes its VFs; or "
            "move the card to a slot whose root port has ACS so that each VF gets a group of "
            "its own; or, as a last resort, the ACS override patch "
            "(pcie_acs_override=downstream,multifunction, not in mainline kernels), which "
            "lets the devices of the group reach each other's memory"))
        self.assertIn("also holds 0000:02:00.0 (ice), 0000:02:00.1 (ice), 0000:02:01.0 (iavf)",
                      g["evidence"])
        self.assertIn('"group 2 is not viable"', g["evidence"])

    def test_named_vf_group(self):
        # a VF on iavf named on its own: its group is checked (a warning:
        # vfio refuses it only once the VF goes to vfio-pci); the whole-host
        # run still checks only VFs meant for vfio
        root = self.host("e810:pfs=1,vfs=2,acs=off")
        f = self.run_check(root, "ens1f0np0/vf0", rc=0)
        self.assertFinding(f, "group.viable", "warn", "ens1f0np0/vf0",
                           evidence="also holds 0000:02:00.0 (ice), 0000:02:01.1 (iavf): "
                           "vfio refuses the group (\"group 2 is not viable\") when the VF, "
                           "now on its host driver, is given to vfio-pci")
        f = self.run_check(root, "0000:02:01.1", rc=0)
        self.assertFinding(f, "group.viable", "warn", "ens1f0np0/vf1")
        self.assertFalse([x for x in self.run_check(root) if x["id"] == "group.viable"])
        self.assertFalse([x for x in self.run_check(root, "ens1f0np0")
                          if x["id"] == "group.viable"])
        f = self.run_check(self.host("e810:pfs=1,vfs=2"), "ens1f0np0/vf0", rc=0)
        self.assertFinding(f, "group.viable", "ok", "ens1f0np0/vf0")

    def test_explain_checks_run_for_the_device(self):
        # every check explain sends people to for a VF is in `check VF`
        root = self.host("e810:pfs=1,vfs=2,acs=off")
        vf = "0000:02:01.0"
        for text in (f"vfio {vf}: group 2 is not viable",
                     f"vfio {vf}: no iommu_group found",
                     f"nova.exception.PciDeviceNotFoundById: PCI device {vf} not found",
                     f"nova.exception.PciDeviceRequestFailed: PCI device request {vf} failed"):
            j = sriovctl("explain", "--json", text, root=root, check=0).json()
            r = sriovctl("explain", text, root=root, check=0)
            self.assertIn("sriovctl check " + vf, r.out, text)
            ids = {x["id"] for x in self.run_check(root, vf)}
            for fail in j["failures"]:
                for cid in fail["checks"]:
                    self.assertIn(cid, ids, (text, cid))

    def test_group_of_vfs_only(self):
        # ACS at the root port but not between the functions of a single-PF
        # card does not arise; a VF whose group peer is another VF on iavf:
        # made by moving a device link in the generated group
        root = self.host("e810:pfs=1,vfs=2,vfio=1")
        g = os.path.join(root, "sys/kernel/iommu_groups")
        grp = os.path.basename(os.readlink(os.path.join(
            root, "sys/bus/pci/devices/0000:02:01.1/iommu_group")))
        peer = os.path.join(root, "sys/bus/pci/devices/0000:02:01.0")
        os.symlink(os.path.relpath(os.path.realpath(peer), os.path.join(g, grp, "devices")),
                   os.path.join(g, grp, "devices", "0000:02:01.0"))
        f = self.run_check(root, "ens1f0np0/vf1", rc=1)
        self.assertFinding(f, "group.viable", "fail", "ens1f0np0/vf1", remedy=(
            "bind the whole group: sriovctl vf ens1f0np0/vf1 bind vfio-pci --group; or move "
            "the card to a slot whose root port has ACS so that each VF gets a group of its "
            "own; or, as a last resort, the ACS override patch "
            "(pcie_acs_override=downstream,multifunction, not in mainline kernels), which "
            "lets the devices of the group reach each other's memory"),
            evidence="also holds 0000:02:01.0 (iavf)")

    def test_drivers(self):
        f = self.run_check(self.host("e810", modules="full", os="debian"), rc=0)
        self.assertFinding(f, "driver.vf", "ok", "ens1f0np0", evidence=(
            "VF modalias pci:v00008086d00001889sv00008086sd00000002bc02sc00i00 matches "
            "module iavf in /lib/modules/6.1.0-27-amd64/modules.alias"))
        self.assertFinding(f, "driver.vfio", "ok")
        f = self.run_check(self.host("e810:vfs=2,autoprobe=0", modules="no-vf"))
        self.assertFinding(f, "driver.vf", "warn", "ens1f0np0", remedy=(
            "install a kernel or driver package with a driver for 8086:1889 VFs (a module "
            "whose alias matches pci:v00008086d00001889sv00008086sd00000002bc02sc00i00), then "
            "run depmod; a VF given to a VM through vfio-pci needs the driver in the guest "
            "instead"))
        f = self.run_check(self.host("e810", modules="no-vfio", os="debian"), rc=1)
        self.assertFinding(f, "driver.vfio", "fail", remedy=(
            "install the running kernel's modules: apt install linux-image-6.1.0-27-amd64 "
            "(Ubuntu: linux-modules-extra-6.1.0-27-amd64), then modprobe vfio-pci"))
        f = self.run_check(self.host("e810", modules="no-vfio", os="rhel"), rc=1)
        self.assertFinding(f, "driver.vfio", "fail", remedy=(
            "install the running kernel's modules: dnf install kernel-modules-6.1.0-27-amd64, "
            "then modprobe vfio-pci"))
        f = self.run_check(self.host("e810:vfs=1,pfdriver=none"))
        self.assertFinding(f, "driver.pf", "warn", "0000:02:00.0", remedy=(
            "bind the PF to its driver: echo 0000:02:00.0 > /sys/bus/pci/drivers_probe"))
        self.assertFinding(f, "driver.pf", "warn", "0000:02:00.1")

    def test_persisted(self):
        f = self.run_check(self.host("e810:vfs=2/0", "nvme:vfs=1"))
        self.assertFinding(f, "vf.persisted", "warn", "ens1f0np0", remedy=(
            'add to /etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="net", '
            'KERNEL=="ens1f0np0", ATTR{device/sriov_numvfs}="2"'))
        self.assertFinding(f, "vf.persisted", "warn", "0000:04:00.0", remedy=(
            'add to /etc/udev/rules.d/70-sriov.rules: ACTION=="add", SUBSYSTEM=="pci", '
            'KERNEL=="0000:04:00.0", ATTR{sriov_numvfs}="1"'))
        self.assertFalse([x for x in f if x["id"] == "vf.persisted" and
                          x["subject"] == "ens1f1np1"], "no VFs: nothing to persist")
        for how, path in (("udev", "/etc/udev/rules.d/70-sriov.rules"),
                          ("sriovctl", "/etc/sriovctl/sriovctl.yaml"),
                          ("rc.local", "/etc/rc.local"),
                          ("systemd", "/etc/systemd/system/sriov-vfs.service")):
            with self.subTest(how=how):
                f = self.run_check(self.host("e810:vfs=2/0", "nvme:vfs=1", persist=how))
                self.assertFinding(f, "vf.persisted", "ok", "ens1f0np0", evidence=path)
                self.assertFinding(f, "vf.persisted", "ok", "0000:04:00.0", evidence=path)
        # a policy is only applied at boot with sriovctl-apply.service enabled
        root = self.host("e810:vfs=2/0", "nvme:vfs=1", persist="sriovctl")
        f = self.run_check(root)
        self.assertFinding(f, "vf.persisted", "ok", "ens1f0np0", evidence=(
            "/etc/sriovctl/sriovctl.yaml is a sriovctl policy naming ens1f0np0, "
            "applied at boot by sriovctl-apply.service"))
        os.unlink(os.path.join(root, "etc/systemd/system/multi-user.target.wants/"
                               "sriovctl-apply.service"))
        f = self.run_check(root)
        for subject in ("ens1f0np0", "0000:04:00.0"):
            self.assertFinding(f, "vf.persisted", "warn", subject,
                               remedy="systemctl enable sriovctl-apply.service", evidence=(
                                   "/etc/sriovctl/sriovctl.yaml is a sriovctl policy naming %s, "
                                   "but sriovctl-apply.service is not enabled: nothing applies "
                                   "it at boot" % subject))

    def test_policy_drift_and_unmanaged(self):
        root = self.host("e810:vfs=4,vfio=1", persist="sriovctl")
        policy = os.path.join(root, "etc/sriovctl/sriovctl.yaml")
        f = self.run_check(root)
        self.assertFinding(f, "policy.drift", "ok", "ens1f0np0", evidence="matches the policy")
        self.assertFinding(f, "policy.unmanaged", "warn", "ens1f0np0/vf3", evidence=(
            "configured by hand (driver_override vfio-pci), not in the policy"))
        with open(policy, "w") as fh:
            fh.write("pfs:\n  - match: {netdev: ens1f0np0}\n    num_vfs: 2\n"
                     "  - match: {netdev: ens1f1np1}\n    num_vfs: 4\n"
                     "    vfs:\n      \"3\": {driver: vfio-pci}\n")
        f = self.run_check(root)
        self.assertFinding(f, "policy.drift", "warn", "ens1f0np0", evidence=(
            "1 change to reach the policy: ens1f0np0 num_vfs: 4 -> 2 (through 0)"))
        self.assertFinding(f, "policy.drift", "ok", "ens1f1np1")
        self.assertFalse([x for x in f if x["id"] == "policy.unmanaged" and
                          x["subject"] == "ens1f1np1/vf3"], "vf3 is in the policy now")
        with open(policy, "w") as fh:
            fh.write("pfs:\n  - match: {netdev: ens1f0np0}\n    num_vfs: 200\n")
        f = self.run_check(root, rc=1)
        self.assertFinding(f, "policy.drift", "fail", "policy", evidence=(
            "the policy has 1 error; the first: /etc/sriovctl/sriovctl.yaml:3:14: "
            "num_vfs 200 is above the 128 VFs PF 0000:02:00.0 (ens1f0np0) allows"))
        os.unlink(policy)
        f = self.run_check(root)
        self.assertFalse([x for x in f if x["id"].startswith("policy.")], "no policy, no finding")

    def test_link_mtu_macs(self):
        f = self.run_check(self.host("e810:vfs=2"))
        self.assertFinding(f, "pf.link", "ok", "ens1f0np0")
        self.assertFinding(f, "vf.mtu", "ok", "ens1f0np0")
        self.assertFinding(f, "vf.mac.duplicate", "ok", "ens1f0np0")
        f = self.run_check(self.host("e810:vfs=2,link=down,vfmtu=9000,vfmac=same"), rc=1)
        self.assertFinding(f, "pf.link", "warn", "ens1f0np0", remedy=(
            "ip link set ens1f0np0 up; if it stays down, check the cable, transceiver and "
            "switch port"))
        self.assertFinding(f, "vf.mtu", "warn", "ens1f0np0/vf1", remedy=(
            "ip link set ens1f0np0 mtu 9000 (or lower ens1f0v1's: ip link set ens1f0v1 mtu 1500)"),
            evidence="/sys/class/net/ens1f0v1/mtu is 9000, above /sys/class/net/ens1f0np0/mtu 1500")
        self.assertFinding(f, "vf.mac.duplicate", "fail", "ens1f0np0/vf0", remedy=(
            "give ens1f0np0/vf0 a MAC of its own: sriovctl vf ens1f0np0/vf0 set mac "
            "XX:XX:XX:XX:XX:XX"), evidence="and so has ens1f0np0/vf1")
        # spoofchk, trust and a guest's MAC need the PF's netlink view
        for cid in ("vf.spoofchk", "vf.trust", "vf.mac.zero"):
            self.assertFinding(f, cid, "skip", "ens1f0np0", evidence="not the live host")

    def test_numa(self):
        root = self.host("e810", numa_nodes=2)
        f = self.run_check(root)
        self.assertFinding(f, "numa.node", "ok", "ens1f0np0", evidence="numa_node is 0")
        self.assertFinding(f, "numa.cpus", "ok", "ens1f0np0", evidence="local_cpulist is 0-15")
        # firmware without _PXM on a two-node host; local_cpulist unreadable
        d = os.path.realpath(os.path.join(root, "sys/bus/pci/devices/0000:02:00.0"))
        os.chmod(os.path.join(d, "numa_node"), 0o644)
        with open(os.path.join(d, "numa_node"), "w") as fh:
            fh.write("-1\n")
        os.unlink(os.path.join(d, "local_cpulist"))
        f = self.run_check(root)
        self.assertFinding(f, "numa.node", "warn", "ens1f0np0", remedy=(
            "enable NUMA (SRAT/_PXM) reporting in the BIOS/UEFI setup or update the BIOS"),
            evidence="numa_node is -1 on a host with 2 NUMA nodes")
        self.assertFinding(f, "numa.cpus", "skip", "ens1f0np0")


class CheckCli(CheckTest):
    def test_devices_and_errors(self):
        root = self.host("e810:vfs=2,vfio=1", "igb:vfs=1")
        f = self.run_check(root, "ens1f0np0/vf1")
        subjects = {x["subject"] for x in f if x["area"] in ("pf", "vf")}
        self.assertEqual(subjects, {"ens1f0np0", "0000:02:00.0", "ens1f0np0/vf1"})
        self.assertFalse([x for x in f if x["id"] == "hugepages"])
        self.assertTrue([x for x in f if x["id"] == "iommu.active"])
        r = sriovctl("check", "nosuch0", root=root, check=1)
        self.assertEqual(r.out, "")
        self.assertIn("no PCI device or SR-IOV PF/VF named 'nosuch0'", r.err)
        r = sriovctl("check", "--bogus", root=root, check=2)
        r = sriovctl("check", "--markdown", root=root, check=2)
        r = sriovctl("check", "--list-checks", root=root, check=0)
        self.assertIn("group.viable", r.out)

    def test_ids_stable(self):
        r = sriovctl("check", "--list-checks", check=0)
        ids = [line.split()[0] for line in r.out.splitlines()]
        for cid in ("cpu.virt", "iommu.firmware", "iommu.active", "iommu.cmdline",
                    "iommu.passthrough", "sriov.capability", "acs.path", "group.viable",
                    "driver.vfio", "driver.vf", "driver.pf", "vf.persisted", "vf.spoofchk",
                    "vf.trust", "pf.link", "vf.mtu", "vf.mac.duplicate", "vf.mac.zero",
                    "numa.node", "numa.cpus", "hugepages"):
            self.assertIn(cid, ids)
        self.assertEqual(len(ids), len(set(ids)))

    def test_troubleshooting_page_is_generated(self):
        r = sriovctl("check", "--list-checks", "--markdown", check=0)
        with open(os.path.join(SOURCE, "docs", "troubleshooting.md")) as fh:
            self.assertEqual(fh.read(), r.out,
                             "regenerate: sriovctl check --list-checks --markdown > "
                             "docs/troubleshooting.md")

    def test_text_matches_json(self):
        root = self.host("e810:vfs=2,acs=off,vfio=1")
        f = self.run_check(root, rc=1)
        r = sriovctl("check", root=root, check=1)
        for x in f:
            self.assertIn(x["evidence"], r.out)
            if x["remedy"]:
                self.assertIn("fix: " + x["remedy"], r.out)
        fails = sum(1 for x in f if x["severity"] == "fail")
        self.assertIn(", %d fail," % fails, r.out)


if __name__ == "__main__":
    unittest.main()
