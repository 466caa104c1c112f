"""The relative symlink text that sysfs (kernfs) produces.

kernfs_get_target_path() in fs/kernfs/symlink.c climbs from the directory
holding the link until it reaches an ancestor of the *parent* of the target,
then descends to the target.  For most links this is the same as
os.path.relpath(), but not when the target is an ancestor of the link's
directory: e.g. a netdev's `device` link is "../../../0000:3b:00.0" (up to
the PCI parent of the device, then down again), not "../..".
"""


def link_text(link_path, target_path):
    """Text of a symlink at `link_path` pointing at `target_path`.

    Both are '/'-separated paths relative to the same root (e.g. "sys/...").
    """
    link_dir = link_path.split("/")[:-1]
    target = target_path.split("/")
    target_parent = target[:-1]
    n = len(link_dir)
    ups = 0
    while n > 0 and not (len(target_parent) >= n and target_parent[:n] == link_dir[:n]):
        ups += 1
        n -= 1
    return "../" * ups + "/".join(target[n:])
