/* Unit tests for common/lint.c: the check table, findings with their exact
 * code, severity, place and message, and the options (severity overrides,
 * max TTL, check-names, $TTL). The zones are parsed from text with
 * common/zonefile, as zcheck and zxfr --verify do. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lint.h"
#include "rrtype.h"
#include "zone.h"
#include "zonefile.h"

typedef struct got {
	char line[16][600]; /* "file:line:col sev code: msg" */
	int n;
} got_t;

static void collect(void *ctx, const zk_lint_finding_t *f)
{
	got_t *g = ctx;
	static const char *const sev[] = {"ignore", "info", "warning", "error"};

	assert_true(g->n < 16);
	assert_string_equal(f->code, zk_lint_checks()[f->check].code);
	snprintf(g->line[g->n++], sizeof(g->line[0]), "%s:%u:%u:%d %s %s: %s", f->file, f->line,
	         f->col, f->file_idx, sev[f->sev], f->code, f->msg);
}

typedef struct build {
	zk_zone_t *z;
	const zk_lint_opts_t *lo;
} build_t;

static int on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	build_t *b = ctx;
	return zk_zone_add(b->z, rr, loc->file, loc->line, loc->run);
}

static void on_note(void *ctx, int kind, const zk_zone_rr_t *rr, const zk_zone_rr_t *other,
                    uint32_t old_ttl)
{
	build_t *b = ctx;
	zk_lint_note(b->z, b->lo, kind, rr, other, old_ttl);
}

/* Parse text as t.zone with origin example., finish (notes through lint),
 * and lint it. */
static void run_lint(const char *text, zk_lint_opts_t *lo, got_t *g)
{
	zk_name_t origin;
	zk_zf_opts_t o;
	zk_errctx_t ec;
	build_t b;

	memset(g, 0, sizeof(*g));
	lo->on_finding = collect;
	lo->ctx = g;
	lo->topfile = "t.zone";
	assert_int_equal(zk_name_from_text(&origin, "example.", 8, NULL, NULL), 0);
	b.z = zk_zone_new(&origin, ZK_CLASS_IN);
	b.lo = lo;
	assert_non_null(b.z);
	zk_zf_opts_init(&o);
	o.origin = &origin;
	o.on_rr = on_rr;
	o.ctx = &b;
	zk_errctx_init(&ec);
	assert_int_equal(zk_zonefile_parse_mem("t.zone", text, strlen(text), &o, NULL, &ec), 0);
	assert_int_equal(zk_zone_finish(b.z, on_note, &b), 0);
	assert_int_equal(zk_lint_zone(b.z, lo), 0);
	zk_zone_free(b.z);
}

static const char base[] = "$TTL 300\n"
                           "@ SOA ns hostmaster 1 3600 600 86400 300\n" /* line 2 */
                           "@ NS ns\n"
                           "ns A 192.0.2.1\n";

static void test_table(void **state)
{
	const zk_lint_check_t *t = zk_lint_checks();
	int n = 0;
	(void)state;

	while (t[n].code != NULL)
		n++;
	assert_int_equal(n, 28);
	/* zcheck --list-checks prints this order: it must not move */
	assert_string_equal(t[0].code, "syntax");
	assert_string_equal(t[27].code, "wildcard-ent");
	assert_int_equal(zk_lint_check_index("cname-and-other"), 10);
	assert_int_equal(t[10].sev, ZK_LINT_ERROR);
	assert_string_equal(t[10].summary, "CNAME beside other data (RFC 2181 §10.1)");
	assert_int_equal(t[zk_lint_check_index("target-cname")].sev, ZK_LINT_WARNING);
	assert_int_equal(t[zk_lint_check_index("wildcard-ent")].sev, ZK_LINT_INFO);
	assert_int_equal(zk_lint_check_index("no-such-check"), -1);
	assert_int_equal(zk_lint_zf_check(ZK_ZF_ERROR, ZK_ESYNTAX), 0);
	assert_int_equal(zk_lint_zf_check(ZK_ZF_WARNING, ZK_ZFW_TTL1035), 1);
	assert_int_equal(zk_lint_zf_check(ZK_ZF_WARNING, ZK_ZFW_SOAMIN), 2);
	assert_int_equal(zk_lint_zf_check(ZK_ZF_WARNING, ZK_ZFW_MAXTTL), 3);
}

static void test_clean(void **state)
{
	zk_lint_opts_t lo;
	got_t g;
	(void)state;

	zk_lint_opts_init(&lo);
	run_lint(base, &lo, &g);
	assert_int_equal(g.n, 0);
}

/* RFC 2181 §10.1: a CNAME and an A at www; an MX to the CNAME (§10.3). */
static void test_cname(void **state)
{
	char text[512];
	zk_lint_opts_t lo;
	got_t g;
	(void)state;

	snprintf(text, sizeof(text),
	         "%swww CNAME ns\nwww A 192.0.2.2\n@ MX 10 www\nmx MX 10 192.0.2.9.\n", base);
	zk_lint_opts_init(&lo);
	run_lint(text, &lo, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.line[0], "t.zone:7:0:0 warning target-cname: MX target www.example. "
	                               "is a CNAME");
	assert_string_equal(g.line[1], "t.zone:8:0:0 error target-address: MX target 192.0.2.9. "
	                               "is an address, not a host name");
	assert_string_equal(g.line[2], "t.zone:6:0:0 error cname-and-other: www.example. has a "
	                               "CNAME and A data");
}

/* Overrides: a check set to ignore is not reported, another is raised. */
static void test_overrides(void **state)
{
	zk_lint_sev_t sev[28];
	char text[512];
	zk_lint_opts_t lo;
	got_t g;
	(void)state;

	for (int i = 0; i < 28; i++)
		sev[i] = zk_lint_checks()[i].sev;
	sev[zk_lint_check_index("cname-and-other")] = ZK_LINT_IGNORE;
	sev[zk_lint_check_index("target-cname")] = ZK_LINT_ERROR;
	snprintf(text, sizeof(text), "%swww CNAME ns\nwww A 192.0.2.2\n@ MX 10 www\n", base);
	zk_lint_opts_init(&lo);
	lo.sev = sev;
	run_lint(text, &lo, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "t.zone:7:0:0 error target-cname: MX target www.example. "
	                               "is a CNAME");
}

static void test_max_ttl_and_names(void **state)
{
	char text[512];
	zk_lint_opts_t lo;
	got_t g;
	(void)state;

	snprintf(text, sizeof(text), "%sa_b 86400 A 192.0.2.3\n", base);
	zk_lint_opts_init(&lo);
	run_lint(text, &lo, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "t.zone:5:0:0 warning check-names: A owner a_b.example. is "
	                               "not a valid host name");
	lo.check_names = false;
	lo.have_max_ttl = true;
	lo.max_ttl = 3600;
	run_lint(text, &lo, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.line[0], "t.zone:5:0:0 error max-ttl: TTL 86400 of a_b.example. A is "
	                               "above --max-ttl 3600");
}

/* No apex data at all: the zone-wide findings name topfile, line 0, and
 * no $TTL is reported at line 1; a duplicate comes through the note. */
static void test_zone_wide(void **state)
{
	zk_lint_opts_t lo;
	got_t g;
	(void)state;

	zk_lint_opts_init(&lo);
	lo.saw_ttl = false;
	run_lint("$TTL 60\nwww A 192.0.2.1\nwww A 192.0.2.1\n", &lo, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.line[0], "t.zone:3:0:0 warning duplicate: duplicate A record (first "
	                               "at t.zone:2); ignored");
	assert_string_equal(g.line[1], "t.zone:1:0:-1 warning ttl-directive-missing: no $TTL "
	                               "directive; BIND's fallbacks decide the TTLs (RFC 2308 §4)");
	assert_string_equal(g.line[2], "t.zone:0:0:-1 error soa-missing: no SOA record at the apex "
	                               "example.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_clean),
	    cmocka_unit_test(test_cname),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_max_ttl_and_names),
	    cmocka_unit_test(test_zone_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
