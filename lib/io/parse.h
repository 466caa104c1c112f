/* SPDX-License-Identifier: MIT */
/*
 * Parsers for the values the kernel prints in sysfs attribute files.
 * Each takes the raw bytes of one read (not necessarily NUL-terminated,
 * possibly empty, possibly garbage) and returns 0 or -EINVAL/-ERANGE,
 * leaving *out untouched on error. A single trailing newline is accepted,
 * nothing else.
 */
#ifndef SRIOV_IO_PARSE_H
#define SRIOV_IO_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit, either case, or -1. */
int parse_hexdigit(char c);

/* A name every consumer takes as it is (a pool, a physnet, a netdev in
 * neutron's lists): 1..@max of A-Z a-z 0-9 _ . -, the first a letter or
 * a digit. */
bool parse_token_ok(const char *s, size_t max);

/* The first @len bytes of @s as an interface name the kernel takes
 * (dev_valid_name): 1-15 bytes, not "." or "..", no '/', ':', NUL or
 * white space. */
bool parse_ifname_ok(const char *s, size_t len);

/* Decimal unsigned ("%u\n"): sriov_numvfs, sriov_totalvfs, sriov_offset… */
int parse_uint(const char *buf, size_t len, unsigned max, unsigned *out);

/* Decimal signed ("%d\n"): numa_node ("-1"), speed ("-1"), mtu. */
int parse_int(const char *buf, size_t len, int min, int max, int *out);

/* Hex with "0x" prefix ("0x8086\n"): vendor, device, class, revision. */
int parse_hex_prefixed(const char *buf, size_t len, uint32_t max,
		       uint32_t *out);

/* Hex without prefix ("%x\n"): sriov_vf_device. "0x" is accepted too. */
int parse_hex(const char *buf, size_t len, uint32_t max, uint32_t *out);

/* "0" or "1" ("%u\n"): sriov_drivers_autoprobe, ari_enabled. */
int parse_bool01(const char *buf, size_t len, bool *out);

/*
 * A single printable token such as a driver_override or operstate value.
 * Copies it without the newline into @out (@outsz bytes). "(null)" (the
 * kernel's rendering of an unset driver_override) gives an empty string.
 * -EINVAL for empty input, control characters or embedded white space,
 * -ERANGE when it does not fit.
 */
int parse_token(const char *buf, size_t len, char *out, size_t outsz);

/*
 * A MAC address: six colon-separated octets of one or two hex digits,
 * either case, as sysfs prints it ("aa:bb:cc:dd:ee:ff") and ip takes it
 * ("2:0:0:0:0:1"). The one MAC parser: sysfs, `vf set`, policy, state.
 */
int parse_mac(const char *buf, size_t len, uint8_t mac[6]);

/*
 * Whether @s can be a PCI driver's name, as driver_override and
 * /sys/bus/pci/drivers/ take it. The kernel compares driver_override with
 * the driver's name verbatim, and those names are KBUILD_MODNAME (letters,
 * digits, '_') or hand-written ("vfio-pci", "pci-stub"); sysfs would take
 * any name without '/', and '.' does occur in driver names, so it is
 * allowed, but not first: no "." or ".." path component, no hidden name.
 * 1..63 characters (a module name is at most 55).
 */
bool driver_name_valid(const char *s);

/*
 * The final path component of a symlink target such as
 * "../../../bus/pci/drivers/ice" or "../../../kernel/iommu_groups/12":
 * a pointer into @target and its length. -EINVAL when empty.
 */
int parse_link_basename(const char *target, size_t len, const char **base,
			size_t *baselen);

#endif
