# SPDX-License-Identifier: MIT
"""The journal of an apply that died, as the CLI finds it on a generated
host: apply --recover (--dry-run) says what it finds and what the rollback
would change; on a tree it changes nothing (recovering writes to the
running kernel); apply and restore look for it first; a journal that is
not sriovctl's, or a link, is refused. The write side (killing an apply,
the rollback itself) is in tests/unit/test_journal.c and the lab's
guest/journal.sh."""
import json
import os
import unittest

from common import TreeTest, hostgen, sriovctl

JOURNAL = "var/lib/sriovctl/journal"
AUTOPROBE = "sys/bus/pci/devices/0000:02:00.0/sriov_drivers_autoprobe"


class Journal(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, "e810:vfs=2/0", manifest=False)
        self.state = json.loads(sriovctl("save", "0000:02:00.0",
                                         root=self.root, check=0).out)

    def file(self, rel):
        return os.path.join(self.root, rel)

    def write_journal(self, *records, raw=None):
        """A journal as an apply killed during its second step leaves it."""
        os.makedirs(os.path.dirname(self.file(JOURNAL)), exist_ok=True)
        header = {"schema": "sriovctl.journal/v1", "pid": 4242, "uid": 0,
                  "time_us": 1795442201000000,
                  "command": "sriovctl apply -f p.yaml", "boot_id": None,
                  "rollback": True, "steps": 3, "state": self.state}
        lines = [json.dumps(header, separators=(",", ":"))]
        lines += [json.dumps(r, separators=(",", ":")) for r in records]
        with open(self.file(JOURNAL), "w") as f:
            f.write(raw if raw is not None else "\n".join(lines) + "\n")

    def killed(self):
        # the first step (autoprobe on -> off) was made, the second begun
        with open(self.file(AUTOPROBE), "w") as f:
            f.write("0\n")
        change = {"device": "ens1f0np0", "pf": "0000:02:00.0",
                  "attribute": "drivers_autoprobe", "old": "on", "new": "off"}
        vf = {"device": "ens1f0np0/vf0", "pf": "0000:02:00.0",
              "attribute": "driver", "old": "iavf", "new": "vfio-pci"}
        self.write_journal({"intent": 0, "time_us": 1795442201100000,
                            "changes": [change]},
                           {"result": 0, "err": 0},
                           {"intent": 1, "time_us": 1795442201200000,
                            "changes": [vf]})

    def test_nothing_to_recover(self):
        r = sriovctl("apply", "--recover", root=self.root, check=0)
        self.assertEqual(r.out, "nothing to recover: no apply left a "
                                "transaction unfinished\n")
        # an emptied journal is no transaction either
        self.write_journal(raw="")
        r = sriovctl("apply", "--recover", root=self.root, check=0)
        self.assertIn("nothing to recover", r.out)
        # nor is a header cut short: that apply changed nothing
        self.write_journal(raw='{"schema":"sriovctl.journal/v1","pid":')
        sriovctl("apply", "--recover", root=self.root, check=0)

    def test_dry_run_says_what_the_rollback_does(self):
        self.killed()
        r = sriovctl("apply", "--recover", "--dry-run", root=self.root,
                     check=0)
        self.assertEqual(
            r.err,
            "sriovctl: an earlier apply 'sriovctl apply -f p.yaml' (pid 4242, "
            "begun 2026-11-23T13:56:41Z) did not finish: it stopped during "
            "step 2 of 3 (ens1f0np0/vf0 driver: iavf -> vfio-pci); "
            "'sriovctl apply' rolls it back first:\n")
        self.assertEqual(r.out, "rolling back:\n"
                                "ens1f0np0 drivers_autoprobe: off -> on\n")
        # apply --dry-run says so too, then plans as usual
        pol = self.file("etc/sriovctl/sriovctl.yaml")
        os.makedirs(os.path.dirname(pol))
        with open(pol, "w") as f:
            f.write("pfs:\n  - match: {pci: \"0000:02:00.0\"}\n"
                    "    drivers_autoprobe: false\n")
        r = sriovctl("apply", "--dry-run", root=self.root, check=0)
        self.assertIn("did not finish", r.err)
        self.assertIn("nothing to do: the host matches the policy", r.out)
        # nothing was written
        with open(self.file(AUTOPROBE)) as f:
            self.assertEqual(f.read(), "0\n")
        self.assertGreater(os.path.getsize(self.file(JOURNAL)), 0)

    def test_not_on_a_tree(self):
        self.killed()
        before = open(self.file(JOURNAL)).read()
        os.makedirs(self.file("etc/sriovctl"))
        with open(self.file("etc/sriovctl/sriovctl.yaml"), "w") as f:
            f.write("pfs:\n  - match: {pci: \"0000:02:00.0\"}\n"
                    "    drivers_autoprobe: true\n")
        for args in (("apply", "--recover"), ("apply",)):
            r = sriovctl(*args, root=self.root, check=2)
            self.assertIn("did not finish", r.err, args)
            self.assertIn("finishing it changes the running kernel and "
                          "cannot be done on --root", r.err, args)
        with open(self.path("s.json"), "w") as f:
            json.dump(self.state, f)
        sriovctl("restore", self.path("s.json"), root=self.root, check=2)
        self.assertEqual(open(self.file(JOURNAL)).read(), before)
        self.assertFalse(os.path.exists(self.file("var/log/sriovctl")))

    def test_not_ours(self):
        self.write_journal(raw='{"schema":"sriovctl.journal/v1","pid":1}\n')
        r = sriovctl("apply", "--recover", root=self.root, check=1)
        self.assertIn(f"{self.root}/{JOURNAL} line 1 is not a record of "
                      "sriovctl's journal", r.err)
        self.assertIn("remove it to go on without a recovery", r.err)
        self.killed()
        with open(self.file(JOURNAL), "a") as f:
            f.write('{"result":7,"err":0}\n')
        r = sriovctl("apply", "--recover", root=self.root, check=1)
        self.assertIn("line 5 is not a record", r.err)
        # a link is followed neither to read nor to write
        os.unlink(self.file(JOURNAL))
        os.symlink(self.path("elsewhere"), self.file(JOURNAL))
        r = sriovctl("apply", "--recover", root=self.root, check=1)
        self.assertIn("cannot read the journal", r.err)
        self.assertIn("it is a symbolic link", r.err)

    def test_usage(self):
        r = sriovctl("apply", "--recover", "-f", "x.yaml", root=self.root,
                     check=2)
        self.assertIn("--recover goes alone", r.err)
        r = sriovctl("--help", check=0)
        self.assertIn("apply --recover [--dry-run]", r.out)


if __name__ == "__main__":
    unittest.main()
