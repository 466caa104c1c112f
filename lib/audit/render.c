/* SPDX-License-Identifier: MIT */
/*
 * The audit report as text (a table of what needs attention), as JSON
 * (sriovctl.audit/v1, docs/audit-schema.md) and as JUnit XML for CI
 * systems (one testsuite per rule, one testcase per finding).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <mxml.h>

#include "render/table.h"
#include "sriov.h"
#include "util/escape.h"
#include "util/jsonout.h"

/* ------------------------------------------------------------ text */

static int put_summary(const struct sriov_audit_report *rep, FILE *out)
{
	const size_t *s = rep->n_by_status;

	for (size_t i = 0; i < rep->warnings.n; i++)
		esc_printf(out, "warning: %s\n", rep->warnings.v[i]);
	return esc_printf(out, "%zu VF%s handed to a guest or pod: %zu fail, %zu excepted, "
			  "%zu skip, %zu pass\n", rep->vfs_handed, rep->vfs_handed == 1 ? "" : "s",
			  s[SRIOV_AUDIT_FAIL], s[SRIOV_AUDIT_EXCEPTED], s[SRIOV_AUDIT_SKIP],
			  s[SRIOV_AUDIT_PASS]) < 0 ? -EIO : 0;
}

/* The skips of one reason in one line: a tree skips every netlink rule. */
static void put_skips(const struct sriov_audit_report *rep, FILE *out)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct sriov_audit_finding *f = &rep->v[i];
		bool first = true;
		size_t n = 0;

		if (f->status != SRIOV_AUDIT_SKIP)
			continue;
		for (size_t k = 0; k < i && first; k++)
			first = rep->v[k].status != SRIOV_AUDIT_SKIP ||
				strcmp(rep->v[k].actual, f->actual) != 0;
		if (!first)
			continue;
		for (size_t k = i; k < rep->n; k++)
			n += rep->v[k].status == SRIOV_AUDIT_SKIP &&
			     strcmp(rep->v[k].actual, f->actual) == 0;
		esc_printf(out, "skipped: %zu finding%s: %s\n", n, n == 1 ? "" : "s", f->actual);
	}
}

int sriov_audit_render_text(const struct sriov_audit_report *rep, bool all, FILE *out)
{
	static const char *const heads[] = { "STATUS", "RULE", "DEVICE", "HOLDER",
					     "EXPECTED", "ACTUAL", "FIX" };
	struct table *t = table_new(7, heads);
	size_t rows = 0;
	int r = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n && r == 0; i++) {
		const struct sriov_audit_finding *f = &rep->v[i];
		char excused[700];
		const char *cells[7];

		if (!all && (f->status == SRIOV_AUDIT_PASS || f->status == SRIOV_AUDIT_SKIP))
			continue;
		if (f->status == SRIOV_AUDIT_EXCEPTED)
			snprintf(excused, sizeof(excused), "excepted at %s: %s", f->exception_at,
				 f->reason);
		cells[0] = sriov_audit_status_name(f->status);
		cells[1] = sriov_audit_rule_at(f->rule)->id;
		cells[2] = f->device;
		cells[3] = f->holder ? f->holder :
			   f->consumer != SRIOV_AUDIT_HOST ? sriov_audit_consumer_name(f->consumer) : NULL;
		cells[4] = f->expected;
		cells[5] = f->actual;
		cells[6] = f->status == SRIOV_AUDIT_EXCEPTED ? excused : f->fix;
		r = table_add(t, cells);
		rows++;
	}
	if (r == 0 && rows)
		r = table_print(t, out);
	table_free(t);
	if (r == 0 && !all)
		put_skips(rep, out);
	return r ? r : put_summary(rep, out);
}

/* ------------------------------------------------------------ JSON */

static json_object *finding_json(const struct sriov_audit_finding *f)
{
	json_object *j = json_object_new_object(), *h = NULL, *e = NULL;

	json_object_object_add(j, "rule", json_object_new_string(sriov_audit_rule_at(f->rule)->id));
	json_object_object_add(j, "status", json_object_new_string(sriov_audit_status_name(f->status)));
	json_object_object_add(j, "device", jout_str(f->device));
	json_object_object_add(j, "address", jout_str(f->address));
	json_object_object_add(j, "consumer",
			       json_object_new_string(sriov_audit_consumer_name(f->consumer)));
	json_object_object_add(j, "expected", jout_str(f->expected));
	json_object_object_add(j, "actual", jout_str(f->actual));
	if (f->holder) {
		h = json_object_new_object();
		json_object_object_add(h, "description", jout_str(f->holder));
		json_object_object_add(h, "pid", f->holder_pid ? json_object_new_int(f->holder_pid)
							       : NULL);
	}
	json_object_object_add(j, "holder", h);
	json_object_object_add(j, "fix", jout_str(f->fix));
	if (f->status == SRIOV_AUDIT_EXCEPTED) {
		e = json_object_new_object();
		json_object_object_add(e, "reason", jout_str(f->reason));
		json_object_object_add(e, "at", jout_str(f->exception_at));
	}
	json_object_object_add(j, "exception", e);
	return j;
}

int sriov_audit_render_json(const struct sriov_audit_report *rep, bool pretty, FILE *out)
{
	json_object *o = json_object_new_object(), *sum = json_object_new_object();
	json_object *findings = json_object_new_array();

	json_object_object_add(o, "schema", json_object_new_string(SRIOV_AUDIT_SCHEMA));
	for (int s = SRIOV_AUDIT_PASS; s <= SRIOV_AUDIT_FAIL; s++)
		json_object_object_add(sum, sriov_audit_status_name(s),
				       json_object_new_int64((int64_t)rep->n_by_status[s]));
	json_object_object_add(o, "summary", sum);
	json_object_object_add(o, "vfs_handed", json_object_new_int64((int64_t)rep->vfs_handed));
	for (size_t i = 0; i < rep->n; i++)
		json_object_array_add(findings, finding_json(&rep->v[i]));
	json_object_object_add(o, "findings", findings);
	json_object_object_add(o, "warnings", jout_strv(&rep->warnings));
	return jout_emit(o, pretty, out);
}

/* ------------------------------------------------------------ JUnit */

/* Two spaces a level, one element a line. */
static const char *ws_cb(mxml_node_t *node, int where)
{
	static const char spaces[] = "        ";
	const char *name = mxmlGetElement(node);
	mxml_node_t *kid = mxmlGetFirstChild(node);
	bool nested = kid && mxmlGetType(kid) == MXML_ELEMENT;
	int depth = 0;

	if (!name || name[0] == '?')
		return where == MXML_WS_AFTER_OPEN ? "\n" : NULL;
	for (mxml_node_t *p = mxmlGetParent(node); p && mxmlGetElement(p) &&
	     mxmlGetElement(p)[0] != '?'; p = mxmlGetParent(p))
		depth++;
	if (depth > 4)
		depth = 4;
	switch (where) {
	case MXML_WS_BEFORE_OPEN:
		return spaces + sizeof(spaces) - 1 - 2 * depth;
	case MXML_WS_AFTER_OPEN:
		return nested || !kid ? "\n" : NULL;
	case MXML_WS_BEFORE_CLOSE:
		return nested ? spaces + sizeof(spaces) - 1 - 2 * depth : NULL;
	case MXML_WS_AFTER_CLOSE:
		return "\n";
	}
	return NULL;
}

/*
 * Host strings (a process's comm, a netdev name) escaped first: XML 1.0
 * has no way to carry control characters or bytes that are not UTF-8.
 */
static bool set_attr(mxml_node_t *n, const char *name, const char *value)
{
	char *s = esc_strdup(value ? value : "");

	if (!s)
		return false;
	mxmlElementSetAttr(n, name, s);
	free(s);
	return mxmlElementGetAttr(n, name) != NULL;
}

static bool set_count(mxml_node_t *n, const char *name, size_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%zu", v);
	return set_attr(n, name, buf);
}

static bool add_text(mxml_node_t *n, const char *text)
{
	char *s = esc_strdup(text);
	bool ok = s && mxmlNewOpaque(n, s);

	free(s);
	return ok;
}

static bool junit_case(mxml_node_t *suite, const struct sriov_audit_finding *f)
{
	const char *id = sriov_audit_rule_at(f->rule)->id;
	mxml_node_t *c = mxmlNewElement(suite, "testcase"), *k;
	char cls[64], msg[1024], body[1536];

	snprintf(cls, sizeof(cls), "sriovctl.audit.%s", id);
	if (!c || !set_attr(c, "classname", cls) || !set_attr(c, "name", f->device) ||
	    !set_attr(c, "time", "0"))
		return false;
	snprintf(body, sizeof(body), "rule: %s\ndevice: %s%s%s\nexpected: %s\nactual: %s\n"
		 "holder: %s\nfix: %s\n", id, f->device, f->address ? " " : "",
		 f->address ? f->address : "", f->expected ? f->expected : "-",
		 f->actual ? f->actual : "-", f->holder ? f->holder : "-", f->fix ? f->fix : "-");
	switch (f->status) {
	case SRIOV_AUDIT_PASS:
		return true;
	case SRIOV_AUDIT_FAIL:
		snprintf(msg, sizeof(msg), "expected %s, found %s", f->expected ? f->expected : "-",
			 f->actual ? f->actual : "-");
		k = mxmlNewElement(c, "failure");
		return k && set_attr(k, "message", msg) && set_attr(k, "type", id) &&
		       add_text(k, body);
	case SRIOV_AUDIT_EXCEPTED:
		snprintf(msg, sizeof(msg), "excepted at %s: %s", f->exception_at, f->reason);
		break;
	default:
		snprintf(msg, sizeof(msg), "not checked: %s", f->actual ? f->actual : "-");
		break;
	}
	k = mxmlNewElement(c, "skipped");
	return k && set_attr(k, "message", msg);
}

static bool junit_tree(const struct sriov_audit_report *rep, mxml_node_t *xml)
{
	mxml_node_t *all = mxmlNewElement(xml, "testsuites");
	size_t total = 0, failures = 0, skipped = 0;

	if (!all || !set_attr(all, "name", "sriovctl audit"))
		return false;
	for (int rule = 0; rule < SRIOV_AUDIT__COUNT; rule++) {
		mxml_node_t *s = mxmlNewElement(all, "testsuite");
		size_t n = 0, fail = 0, skip = 0;

		if (!s || !set_attr(s, "name", sriov_audit_rule_at(rule)->id))
			return false;
		for (size_t i = 0; i < rep->n; i++) {
			const struct sriov_audit_finding *f = &rep->v[i];

			if ((int)f->rule != rule)
				continue;
			n++;
			fail += f->status == SRIOV_AUDIT_FAIL;
			skip += f->status == SRIOV_AUDIT_SKIP || f->status == SRIOV_AUDIT_EXCEPTED;
			if (!junit_case(s, f))
				return false;
		}
		if (!set_count(s, "tests", n) || !set_count(s, "failures", fail) ||
		    !set_count(s, "errors", 0) || !set_count(s, "skipped", skip))
			return false;
		total += n;
		failures += fail;
		skipped += skip;
	}
	return set_count(all, "tests", total) && set_count(all, "failures", failures) &&
	       set_count(all, "errors", 0) && set_count(all, "skipped", skipped);
}

static void quiet(const char *msg)
{
	(void)msg;
}

int sriov_audit_junit(const struct sriov_audit_report *rep, char **xml, size_t *len)
{
	mxml_node_t *doc;
	char *s = NULL;

	/* mxml's settings are its thread's: lines never wrapped, errors not printed */
	mxmlSetWrapMargin(0);
	mxmlSetErrorCallback(quiet);
	doc = mxmlNewXML("1.0");
	if (doc && junit_tree(rep, doc))
		s = mxmlSaveAllocString(doc, ws_cb);
	mxmlDelete(doc);
	if (!s)
		return -ENOMEM;
	*xml = s;
	*len = strlen(s);
	return 0;
}
