# SPDX-License-Identifier: MIT
"""docs/sriovctl.8: formats without a warning, its generated parts (SYNOPSIS,
check ids) are what sriovctl prints, every option is documented, and the
paragraphs a newcomer tripped over stand apart (issue 13, newcomer item 7)."""
import os
import re
import subprocess
import unittest

from common import SOURCE, SRIOVCTL, sriovctl

PAGE = os.path.join(SOURCE, "docs/sriovctl.8")
UPDATE = os.path.join(SOURCE, "tools/update-man.py")


def render(width=80):
    env = dict(os.environ, MANWIDTH=str(width), LC_ALL="C.UTF-8")
    p = subprocess.run(["man", "--warnings", "-l", PAGE], capture_output=True,
                       text=True, env=env, timeout=60)
    return p


def text(width=80):
    """The page as read: no overstrike, spaces of justification as one."""
    t = re.sub(r".\x08", "", render(width).stdout)
    return re.sub(r"(?<=\S)  +", " ", t)


class ManPage(unittest.TestCase):
    def test_no_warnings(self):
        p = render()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        self.assertIn("SYNOPSIS", text())

    def test_generated_parts_match(self):
        p = subprocess.run(["python3", UPDATE, "--check", SRIOVCTL, PAGE],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")

    def test_check_ids_from_the_registry(self):
        page = text(400)  # wide: no id hyphenated
        ids = [l.split()[0] for l in
               sriovctl("check", "--list-checks", check=0).out.splitlines()]
        self.assertIn("policy.drift", ids)
        self.assertIn("policy.unmanaged", ids)
        block = page[page.index("Check ids:") + len("Check ids:"):]
        block = block[:block.index(". ")]
        self.assertEqual([i.strip() for i in block.split(",")], ids)

    def test_layout(self):
        page = text()
        name = page[page.index("NAME"):page.index("SYNOPSIS")]
        self.assertNotIn("inspect", name)
        # explain is a paragraph of its own, not the tail of the check ids
        self.assertRegex(page, r"\n       explain \[TEXT\.\.\.\|-\]\n")
        synopsis = page[page.index("SYNOPSIS"):page.index("DESCRIPTION")]
        self.assertIn("check [--severity LEVEL] [DEVICE...]", synopsis)
        self.assertIn("[--group] [--dry-run]", synopsis)
        exits = page[page.index("EXIT STATUS"):page.index("FILES")]
        self.assertIn("Bad usage", exits)


if __name__ == "__main__":
    unittest.main()
