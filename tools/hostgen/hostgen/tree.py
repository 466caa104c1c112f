"""An in-memory file tree (files, symlinks, directories) written out at the end.

Paths are '/'-separated and relative to OUT_DIR ("sys/bus/pci/...").
Symlink targets are given as tree paths and turned into the relative text
sysfs would show (see kernfs.py).  Writing happens in sorted order so the
result depends only on the content.
"""

import os

from .kernfs import link_text

# sysfs attribute modes
RO = 0o444
RW = 0o644
WO = 0o200
ROOT_RO = 0o400


class TreeConflict(Exception):
    pass


class Tree:
    def __init__(self):
        self.files = {}     # path -> (bytes, mode)
        self.links = {}     # path -> link text
        self.dirs = set()

    def file(self, path, content, mode=RO):
        if isinstance(content, str):
            content = content.encode()
        old = self.files.get(path)
        if old is not None and old != (content, mode):
            raise TreeConflict("file %s written twice with different content" % path)
        if path in self.links:
            raise TreeConflict("%s is both a file and a link" % path)
        self.files[path] = (content, mode)

    def link(self, path, target):
        text = link_text(path, target)
        old = self.links.get(path)
        if old is not None and old != text:
            raise TreeConflict("link %s points at %s and %s" % (path, old, text))
        if path in self.files:
            raise TreeConflict("%s is both a file and a link" % path)
        self.links[path] = text

    def dir(self, path):
        self.dirs.add(path)

    def write(self, root):
        dirs = set(self.dirs)
        for p in list(self.files) + list(self.links) + list(self.dirs):
            d = p.rpartition("/")[0]
            while d and d not in dirs:
                dirs.add(d)
                d = d.rpartition("/")[0]
        for d in dirs:
            if d in self.files or d in self.links:
                raise TreeConflict("%s is both a directory and a file/link" % d)
        # umask 0 so that every mode is exactly the sysfs one, whoever runs us;
        # new files get their final mode at creation (no chmod: fewer syscalls)
        old_umask = os.umask(0)
        try:
            os.makedirs(root, 0o755, exist_ok=True)
            for d in sorted(dirs):              # parents sort before children
                os.mkdir(os.path.join(root, d), 0o755)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            for p in sorted(self.files):
                content, mode = self.files[p]
                fd = os.open(os.path.join(root, p), flags, mode)
                try:
                    if content:
                        os.write(fd, content)
                finally:
                    os.close(fd)
            for p in sorted(self.links):
                os.symlink(self.links[p], os.path.join(root, p))
        finally:
            os.umask(old_umask)
