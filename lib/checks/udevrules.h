/* SPDX-License-Identifier: MIT */
/*
 * udev rules (udev(7)) as systemd-udevd reads and runs them, for the
 * vf.persisted check: which rule writes sriov_numvfs at one event of a
 * PF. The parser keeps the lines udevd keeps (comments, continuations,
 * KEY[{attr}] OP "value", udevd's per-key operator and attribute rules;
 * an invalid line is skipped whole, as udevd skips it). udev_rules_run()
 * walks the rules for one event as udevd does: files in the order given,
 * GOTO/LABEL, a line's matches before its assignments, parent keys
 * (KERNELS, DRIVERS, ...) all on one device of the chain, ENV set by
 * earlier lines and by the net_setup_link builtin, match values as
 * globs with | alternatives. A key it cannot evaluate (PROGRAM, TEST,
 * ENV of an imported property...) is taken as holding and named in the
 * write. Pure: the caller reads the files and sysfs. Never prints.
 */
#ifndef SRIOV_CHECKS_UDEVRULES_H
#define SRIOV_CHECKS_UDEVRULES_H

#include <stdbool.h>
#include <stddef.h>

/* udevd's UDEV_LINE_SIZE: a longer physical line makes it drop the file,
 * a longer continued line is ignored. */
#define UDEV_LINE_MAX 16384

struct udev_rules;

/* An empty rule set. 0 or -ENOMEM. Free with udev_rules_free(). */
int udev_rules_new(struct udev_rules **out);
void udev_rules_free(struct udev_rules *rules);

/*
 * Append the rules of file @name (a path, for findings) from @len bytes
 * of @text. Files run in the order they are added (udevd: by file name).
 * Returns 0 or -ENOMEM; syntax errors are counted in udev_rules_file().
 */
int udev_rules_add(struct udev_rules *rules, const char *name,
		   const char *text, size_t len);

/* What the parser made of one file. */
struct udev_rules_file_info {
	const char *name;
	unsigned lines;          /* physical lines read */
	unsigned rules;          /* lines kept */
	unsigned invalid;        /* lines skipped as udevd skips them */
	unsigned first_invalid;  /* line number of the first, 0 when none */
	bool dropped;            /* a physical line over UDEV_LINE_MAX: udevd
				    reads nothing of the file */
};

size_t udev_rules_n_files(const struct udev_rules *rules);
/* File @i (< udev_rules_n_files()). */
void udev_rules_file(const struct udev_rules *rules, size_t i,
		     struct udev_rules_file_info *info);

/* Whether any kept line assigns ATTR{...@attr} (an attribute path ending
 * in "/@attr", "]@attr" or equal to it): nothing to run otherwise. */
bool udev_rules_assign_attr(const struct udev_rules *rules, const char *attr);

/* One device of an event's chain: the event's device, then its parents. */
struct udev_device {
	const char *kernel;      /* sysname; NULL: not known (see kernel_like) */
	const char *subsystem;
	const char *driver;      /* NULL: none bound */
};

#define UDEV_CHAIN_MAX 4

struct udev_event {
	const char *action;                     /* "add", "bind" */
	struct udev_device dev[UDEV_CHAIN_MAX]; /* dev[0]: the event's device */
	size_t n_dev;                           /* parents past these match nothing */
	/* dev[0].kernel NULL: names the kernel may have given it ("eth0"):
	 * a KERNEL value that could match one is not known to hold */
	const char *const *kernel_like;
	/* The event's properties: "KEY=value", or "KEY" for one whose value
	 * is not known; NULL-terminated. Any other key is unset until a line
	 * sets it or imports properties sriovctl does not know. */
	const char *const *env;
	/* What IMPORT{builtin}="net_setup_link" sets on a net device:
	 * ID_NET_DRIVER and ID_NET_NAME (NULL: not known) */
	const char *net_driver, *net_name;
	/* The ATTR written: @attr on a device of @attr_subsystem with sysname
	 * @attr_kernel, named from the event's device (dev[0]) as
	 * @attr_path ("sriov_numvfs", "device/sriov_numvfs") or as
	 * "[subsystem/kernel]attr" from anywhere. */
	const char *attr, *attr_path, *attr_subsystem, *attr_kernel;
	/*
	 * The value of sysfs attribute @name of dev[@level] into @buf (the
	 * trailing newline removed): the buf, or NULL when it has none.
	 * NULL callback: ATTR and ATTRS matches are not evaluated.
	 */
	const char *(*sysattr)(void *data, size_t level, const char *name,
			       char *buf, size_t len);
	void *data;
};

/* One ATTR assignment udevd would make at the event. */
struct udev_write {
	const char *file;        /* as given to udev_rules_add() */
	unsigned line;           /* where the rule starts */
	const char *value;       /* as in the rule, unescaped */
	bool computed;           /* has $ or % substitutions: not known */
	/* the first key of this rule or of a GOTO before it that sriovctl
	 * did not evaluate, as written ("PROGRAM==\"x\""); "" when none */
	const char *unsure;
};

/*
 * Run @rules for event @ev; @fn gets each write of the attribute, in the
 * order udevd makes them; a non-zero return stops the run and is
 * returned. Returns 0, -ENOMEM or @fn's return.
 */
int udev_rules_run(const struct udev_rules *rules,
		   const struct udev_event *ev,
		   int (*fn)(const struct udev_write *w, void *data),
		   void *data);

/* fnmatch(3) with flags 0 (udevd's matching of glob values), without
 * recursion: time linear in |pattern| * |string|. */
bool udev_glob(const char *pattern, const char *string);

#endif
