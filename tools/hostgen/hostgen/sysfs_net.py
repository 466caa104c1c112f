"""Network interfaces with the attribute formats of net/core/net-sysfs.c."""

from .tree import RO, RW

CLASS_NET = "sys/class/net"


def mac_text(mac):
    return ":".join("%02x" % b for b in mac)


def _common(tree, d, name, ifindex, mtu, flags, netdev_type, operstate, carrier,
            addr_assign_type, mac):
    f = tree.file
    f(d + "/address", mac_text(mac) + "\n", RO)
    f(d + "/addr_len", "6\n", RO)
    f(d + "/addr_assign_type", "%d\n" % addr_assign_type, RO)
    f(d + "/broadcast", "ff:ff:ff:ff:ff:ff\n" if netdev_type == 1 else "00:00:00:00:00:00\n", RO)
    f(d + "/carrier", "%d\n" % carrier, RW)
    f(d + "/dev_id", "0x0\n", RO)
    f(d + "/flags", "0x%x\n" % flags, RW)
    f(d + "/ifalias", "", RW)                       # empty: no alias set
    f(d + "/ifindex", "%d\n" % ifindex, RO)
    f(d + "/iflink", "%d\n" % ifindex, RO)
    f(d + "/link_mode", "0\n", RO)
    f(d + "/mtu", "%d\n" % mtu, RW)
    f(d + "/operstate", operstate + "\n", RO)
    f(d + "/type", "%d\n" % netdev_type, RO)
    f(d + "/uevent", "INTERFACE=%s\nIFINDEX=%d\n" % (name, ifindex), RW)
    tree.link(d + "/subsystem", CLASS_NET)
    tree.link("%s/%s" % (CLASS_NET, name), d)


def write_netdev(tree, nd):
    d = "%s/net/%s" % (nd.dev.dir, nd.name)
    up = nd.up
    _common(tree, d, nd.name, nd.ifindex, nd.mtu, 0x1003, 1, "up" if up else "down",
            1 if up else 0, 1 if nd.random_mac else 0, nd.mac)
    f = tree.file
    f(d + "/dev_port", "%d\n" % nd.port, RO)
    f(d + "/speed", "%d\n" % (nd.speed if up else -1), RO)
    f(d + "/duplex", ("full" if up else "unknown") + "\n", RO)
    f(d + "/tx_queue_len", "1000\n", RW)
    f(d + "/name_assign_type", "4\n", RO)          # NET_NAME_RENAMED (by udev)
    if nd.phys_port_name:
        f(d + "/phys_port_name", nd.phys_port_name + "\n", RO)
    tree.link(d + "/device", nd.dev.dir)


def write_loopback(tree):
    d = "sys/devices/virtual/net/lo"
    _common(tree, d, "lo", 1, 65536, 0x9, 772, "unknown", 1, 0, b"\0" * 6)
    tree.file(d + "/tx_queue_len", "1000\n", RW)


def write_net(tree, host):
    write_loopback(tree)
    for nd in host.netdevs:
        write_netdev(tree, nd)
