#!/usr/bin/env python3
"""The committed samples must be exactly what their documented command makes."""

import json
import os
import unittest

from hostgen_testlib import (SAMPLES, HostCase, comparable, retarget, run_hostgen,
                             sample_commands, walk)
from test_structure import check_tree

EXPECTED = {"dual-e810-cx6", "i350-no-iommu"}


class SamplesTest(HostCase):
    def test_commands_documented(self):
        cmds = sample_commands()
        self.assertEqual(set(cmds), EXPECTED)
        with open(os.path.join(os.path.dirname(SAMPLES), "..", "docs", "hostgen.md")) as fh:
            doc = fh.read()
        with open(os.path.join(SAMPLES, "README.md")) as fh:
            for line in fh:
                if line.strip().startswith("tools/hostgen/sriov-hostgen "):
                    self.assertIn(line.strip(), doc, "docs/hostgen.md must show the same command")

    def test_samples_do_not_drift(self):
        for name, argv in sorted(sample_commands().items()):
            with self.subTest(sample=name):
                self.assertEqual(argv[0], "samples/hosts/" + name)
                out = os.path.join(self.tmp, name)
                man = out + ".manifest.json"
                run_hostgen(retarget(argv, out, man))
                committed = comparable(walk(os.path.join(SAMPLES, name)))
                fresh = comparable(walk(out))
                self.assertEqual(sorted(committed), sorted(fresh), "file set of %s" % name)
                for path in sorted(fresh):
                    self.assertEqual(committed[path], fresh[path], "%s/%s" % (name, path))
                with open(os.path.join(SAMPLES, name + ".manifest.json")) as fh:
                    committed_man = json.load(fh)
                with open(man) as fh:
                    fresh_man = json.load(fh)
                self.assertEqual(committed_man.pop("root"), "samples/hosts/" + name)
                fresh_man.pop("root")
                self.assertEqual(committed_man, fresh_man)

    def test_samples_are_consistent(self):
        for name in sorted(EXPECTED):
            with self.subTest(sample=name):
                with open(os.path.join(SAMPLES, name + ".manifest.json")) as fh:
                    man = json.load(fh)
                root = os.path.join(SAMPLES, name)
                if not man["iommu"]["enabled"]:
                    # git keeps no empty directories: an IOMMU-less sample may lack them
                    for d in ("sys/kernel/iommu_groups", "sys/class/iommu"):
                        p = os.path.join(root, d)
                        self.assertTrue(not os.path.exists(p) or os.listdir(p) == [])
                check_tree(self, root, man)

    def test_sample_contents(self):
        with open(os.path.join(SAMPLES, "dual-e810-cx6.manifest.json")) as fh:
            man = json.load(fh)
        e810 = [p for p in man["pfs"] if p["device_id"] == "1592"]
        cx6 = [p for p in man["pfs"] if p["device_id"] == "101d"]
        self.assertEqual([p["num_vfs"] for p in e810], [4, 4])
        self.assertEqual([v["driver"] for v in e810[0]["vfs"]],
                         ["iavf", "iavf", "vfio-pci", "vfio-pci"])
        self.assertEqual([p["num_vfs"] for p in cx6], [2, 0])
        self.assertEqual([v["driver"] for v in cx6[0]["vfs"]], ["mlx5_core"] * 2)
        self.assertEqual({p["numa_node"] for p in e810}, {0})
        self.assertEqual({p["numa_node"] for p in cx6}, {1})
        self.assertTrue(man["iommu"]["enabled"])
        with open(os.path.join(SAMPLES, "i350-no-iommu.manifest.json")) as fh:
            man = json.load(fh)
        self.assertFalse(man["iommu"]["enabled"])
        i350 = [p for p in man["pfs"] if p["device_id"] == "1521"]
        x520 = [p for p in man["pfs"] if p["device_id"] == "10fb"]
        self.assertEqual([p["num_vfs"] for p in i350], [3, 0, 0, 0])
        self.assertEqual([p["num_vfs"] for p in x520], [4, 0])
        self.assertFalse(x520[0]["drivers_autoprobe"])
        self.assertEqual([v["driver"] for v in x520[0]["vfs"]], [None] * 4)


if __name__ == "__main__":
    unittest.main()
