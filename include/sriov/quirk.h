/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the quirk table (docs/quirks.md): what PF drivers do that a
 * tool must know before the kernel refuses, as data. The table shipped
 * with sriovctl (data/quirks.yaml, compiled in) plus the files
 * /etc/sriovctl/quirks.d/NAME.yaml under the root, where an entry with an
 * id already known replaces it and a new id adds one.
 */
#ifndef SRIOV_QUIRK_H
#define SRIOV_QUIRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/policy.h"
#include "sriov/vf_attr.h"
#include "sriov/vf_set.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_QUIRK_DIR "etc/sriovctl/quirks.d"
/* Limits: a table larger than these is a mistake, not a table. */
#define SRIOV_QUIRK_FILE_MAX (1 << 20)
#define SRIOV_QUIRK_ENTRIES_MAX 1024
#define SRIOV_QUIRK_DEVICES_MAX 16
#define SRIOV_QUIRK_TEXT_MAX 512

/* The effects an entry can have: bit (1u << effect) in ->effects. */
enum sriov_quirk_effect {
	SRIOV_QUIRK_MAX_VFS,           /* ->max_vfs */
	SRIOV_QUIRK_REFUSES,           /* ->refuses, ->refuse_errno[] */
	SRIOV_QUIRK_PF_UP_FIRST,       /* the PF must be up before VFs are configured */
	SRIOV_QUIRK_MODULE_PARAM,      /* VFs set by module parameter ->module_param */
	SRIOV_QUIRK_FIRMWARE_VFS,      /* VF count set in firmware: ->remedy */
	SRIOV_QUIRK_NUMVFS_PACE,       /* ->pace_ms per VF created */
	SRIOV_QUIRK_MAC_RELOAD,        /* a VF MAC change needs the VF driver reloaded */
	SRIOV_QUIRK_SWITCHDEV_UNBIND,  /* switchdev needs every VF unbound */
	SRIOV_QUIRK_TRUST_FOR,         /* trust needed for ->trust_for */
	SRIOV_QUIRK__COUNT
};

/* What an untrusted VF cannot do on drivers with SRIOV_QUIRK_TRUST_FOR. */
#define SRIOV_QUIRK_TRUST_PROMISC   (1u << 0)
#define SRIOV_QUIRK_TRUST_MULTICAST (1u << 1)

/* One entry; strings owned by the table. */
struct sriov_quirk {
	char *id;                       /* stable: "igb.no-min-rate" */
	char *summary;                  /* one line */
	char *source;                   /* kernel file/function, issue, vendor doc */
	struct sriov_policy_loc loc;    /* of the entry: FILE:LINE */
	/* match: every field given must hold; at least one is given */
	char *driver;                   /* NULL: any */
	uint16_t vendor_id;             /* 0: any */
	uint16_t device_ids[SRIOV_QUIRK_DEVICES_MAX];
	size_t n_device_ids;            /* 0: any */
	/* effects */
	unsigned effects;               /* 1u << enum sriov_quirk_effect */
	unsigned max_vfs;
	unsigned refuses;               /* 1u << enum sriov_vf_attr */
	int refuse_errno[SRIOV_VF_ATTR__COUNT];   /* positive errno */
	char *module_param;
	char *remedy;                   /* FIRMWARE_VFS: the command that sets it */
	unsigned pace_ms;
	unsigned trust_for;             /* SRIOV_QUIRK_TRUST_* */
};

struct sriov_quirks {
	struct sriov_quirk *v;
	size_t n;
	struct sriov_policy_error *errors;  /* all of them, in file order */
	size_t n_errors;
	struct sriov_strv files;            /* names the locations point into */
};

/* An empty table. 0 or -ENOMEM; free with sriov_quirks_free(). */
int sriov_quirks_new(struct sriov_quirks **out);
void sriov_quirks_free(struct sriov_quirks *q);

/*
 * Parse @len bytes of YAML named @name (for messages) into @q: entries
 * whose id @q has replace them, others are appended. Errors (syntax, an
 * unknown key, a bad value, a duplicate id within the file) go to
 * @q->errors with their position, and the entry they are in is dropped.
 * Returns 0 (look at n_errors) or -ENOMEM.
 */
int sriov_quirks_parse(struct sriov_quirks *q, const char *name,
		       const char *text, size_t len);

/* The table compiled into the library (data/quirks.yaml), NUL-terminated. */
const char *sriov_quirks_builtin(void);

/*
 * The built-in table, then SRIOV_QUIRK_DIR/NAME.yaml under @ctx's root in
 * name order. Returns 0 (look at n_errors), or -errno when a file cannot
 * be read (@err names it). Free with sriov_quirks_free().
 */
int sriov_quirks_load(struct sriov_ctx *ctx, struct sriov_quirks **out,
		      char *err, size_t errlen);

/* Whether @k applies to @pf (its driver and PCI ids). */
bool sriov_quirk_matches(const struct sriov_quirk *k, const struct sriov_pf *pf);

/*
 * The first entry after index @from (0 to start) that applies to @pf and
 * has @effect, with its index in *@at; NULL when none is left.
 * @effect SRIOV_QUIRK__COUNT: any effect.
 */
const struct sriov_quirk *sriov_quirks_next(const struct sriov_quirks *q,
					    const struct sriov_pf *pf,
					    enum sriov_quirk_effect effect,
					    size_t from, size_t *at);

/*
 * The entry that says @pf's driver refuses VF attribute @a, or NULL.
 * The smallest max_vfs of the entries that apply in *@max (UINT_MAX when
 * none does), with the entry that gives it.
 */
const struct sriov_quirk *sriov_quirks_refusing(const struct sriov_quirks *q,
						const struct sriov_pf *pf,
						enum sriov_vf_attr a);
const struct sriov_quirk *sriov_quirks_max_vfs(const struct sriov_quirks *q,
					       const struct sriov_pf *pf,
					       unsigned *max);

/*
 * The entry that says @pf's driver refuses VF setting @st (a zero min-rate
 * is no request: never refused), or NULL: what `vf set` and its dry run
 * know before the kernel answers.
 */
const struct sriov_quirk *sriov_quirks_setting_refused(const struct sriov_quirks *q,
						       const struct sriov_pf *pf,
						       const struct sriov_vf_setting *st);

/* "max_vfs", "refuses", ...: the key of @e in the file. */
const char *sriov_quirk_effect_key(enum sriov_quirk_effect e);

/* "EINVAL" for EINVAL among the names the file accepts; NULL otherwise. */
const char *sriov_quirk_errno_name(int err);

/*
 * One line describing what @k does, e.g. "refuses min-rate (EINVAL)",
 * "at most 7 VFs", into @buf. Returns the length snprintf gives.
 */
int sriov_quirk_effects_format(const struct sriov_quirk *k, char *buf, size_t len);

/*
 * `sriovctl show PF`: sriov_render_pf_text() and sriov_render_json() (one
 * PF, with peers) with the entries of @q that apply to @pf: a "quirks"
 * section / array, left out when none applies. Returns 0 or -errno.
 */
int sriov_render_pf_text_quirks(const struct sriov_pf *pf, const struct sriov_quirks *q,
				FILE *out);
int sriov_render_json_quirks(const struct sriov_host *host, const struct sriov_pf *pf,
			     const struct sriov_quirks *q, bool pretty, FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* SRIOV_QUIRK_H */
