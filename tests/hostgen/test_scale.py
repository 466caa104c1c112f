#!/usr/bin/env python3
"""16 PFs x 256 VFs (8 x e810:pfs=2,vfs=256,total=256): the benchmark's host generates whole.

Not a timed test: the time is printed for information (bench/ measures).
"""

import os
import time
import unittest

from hostgen_testlib import HostCase, run_hostgen


class ScaleTest(HostCase):
    def test_16_pfs_256_vfs(self):
        out = os.path.join(self.tmp, "big")
        args = [out, "--manifest", out + ".json", "--numa-nodes", "2"]
        for _ in range(8):
            args += ["--card", "e810:pfs=2,vfs=256,total=256"]
        t0 = time.monotonic()
        run_hostgen(args)
        elapsed = time.monotonic() - t0
        print("\n16 PFs x 256 VFs generated in %.1f s under %s" % (elapsed, self.tmp))
        n = len(os.listdir(os.path.join(out, "sys", "bus", "pci", "devices")))
        # VFs, PFs, 2 host bridges, 8 + 1 root ports, the boot NVMe drive
        self.assertEqual(n, 16 * 256 + 16 + 2 + 9 + 1)


if __name__ == "__main__":
    unittest.main()
