/* zcheck — run: parse each zone file, build the zone, check, print. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "rdata.h"
#include "rrtype.h"
#include "zcheck.h"
#include "zone.h"
#include "zonefile.h"

void zc_add(zc_t *c, int check, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	zk_lint_sev_t sev = c->pr->sev[check];
	finding_t *f;
	char msg[512];
	va_list ap;

	if (sev == ZK_LINT_IGNORE)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->nf == c->capf) {
		c->capf = c->capf ? c->capf * 2 : 64;
		c->f = zk_xrealloc(c->f, c->capf * sizeof(*c->f));
	}
	f = &c->f[c->nf];
	f->check = check;
	f->sev = sev;
	f->file = zk_xstrdup(file ? file : "-");
	f->line = line;
	f->col = col;
	f->msg = zk_xstrdup(msg);
	f->order = c->nf++;
	c->counts[sev]++;
}

typedef struct run {
	zc_t *c;
	params_t *pr;
	zk_zone_t *z;
	zk_name_t first_soa;
	bool have_soa;
	bool ttl_fallback; /* some record's TTL came from a fallback, not the text */
	uint64_t n;
	const char *file;
	zk_lint_opts_t lo; /* findings go to c through on_finding */
	int check_syntax;
} run_t;

static void on_finding(void *ctx, const zk_lint_finding_t *f)
{
	zc_add(ctx, f->check, f->file, f->line, f->col, "%s", f->msg);
}

static int on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	run_t *r = ctx;
	int rc;

	r->n++;
	if (r->pr->progress && (r->n & 0xffff) == 0)
		fprintf(stderr, "\rzcheck: %s: %llu records", r->file, (unsigned long long)r->n);
	if (rr->type == ZK_TYPE_SOA && !r->have_soa) {
		zk_name_copy(&r->first_soa, rr->owner);
		r->have_soa = true;
	}
	if (r->z == NULL)
		return 0;
	rc = zk_zone_add(r->z, rr, loc->file, loc->line, loc->run);
	if (rc != 0) {
		fprintf(stderr, "zcheck: %s: %s\n", loc->file, zk_strerror(rc));
		return rc;
	}
	return 0;
}

static void on_msg(void *ctx, int severity, const zk_errctx_t *ec)
{
	run_t *r = ctx;

	if (severity == ZK_ZF_WARNING)
		r->ttl_fallback |= ec->code == ZK_ZFW_TTL1035 || ec->code == ZK_ZFW_SOAMIN;
	else if (ec->code == ZK_EIO)
		r->c->input_failed = true;
	zk_lint_zf_msg(&r->lo, severity, ec);
}

static void on_note(void *ctx, int kind, const zk_zone_rr_t *rr, const zk_zone_rr_t *other,
                    uint32_t old_ttl)
{
	run_t *r = ctx;

	zk_lint_note(r->z, &r->lo, kind, rr, other, old_ttl);
}

static void print_zone(const params_t *pr, const zk_zone_t *z)
{
	zk_buf_t out;
	const zk_name_t *apex = zk_zone_origin(z);
	size_t n = zk_zone_count(z);
	char owner[ZK_NAME_TEXTMAX], tn[16], cn[16];
	size_t node_start = 0;

	zk_buf_init(&out);
	for (size_t i = 0; i < n; i++) {
		const zk_zone_rr_t *r = zk_zone_at(z, i);
		if (i == 0 || r->node != zk_zone_at(z, i - 1)->node) {
			node_start = i;
			zk_name_to_cstr(r->owner, owner, sizeof(owner));
		}
		(void)node_start;
		if (!zk_name_is_sub(r->owner, apex))
			continue;
		zk_rrtype_to_text(r->type, tn, sizeof(tn));
		zk_rrclass_to_text(r->rclass, cn, sizeof(cn));
		zk_buf_printf(&out, "%s\t%u\t%s\t%s\t", owner, r->ttl, cn, tn);
		zk_rdata_to_text(r->type, r->orig, r->rdlen, pr->generic ? ZK_RDTEXT_GENERIC : 0,
		                 "", &out);
		zk_buf_putc(&out, '\n');
		if (out.len > (1 << 20)) {
			fwrite(out.data, 1, out.len, stdout);
			zk_buf_reset(&out);
		}
	}
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	zk_buf_free(&out);
}

static void check_file(zc_t *c, params_t *pr, const char *file)
{
	zk_zf_opts_t o;
	zk_zf_stats_t st;
	zk_errctx_t ec;
	run_t r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.pr = pr;
	r.file = file;
	r.check_syntax = zk_lint_check_index("syntax");
	zk_lint_opts_init(&r.lo);
	r.lo.sev = pr->sev;
	r.lo.max_ttl = pr->max_ttl;
	r.lo.have_max_ttl = pr->have_max_ttl;
	r.lo.topfile = file;
	r.lo.on_finding = on_finding;
	r.lo.ctx = c;
	if (!pr->parse_only) {
		r.z = zk_zone_new(pr->have_origin ? &pr->origin : &zk_name_root, pr->rclass);
		if (r.z == NULL) {
			fprintf(stderr, "zcheck: out of memory\n");
			exit(10);
		}
	}
	zk_zf_opts_init(&o);
	o.origin = pr->have_origin ? &pr->origin : &zk_name_root;
	o.rclass = pr->rclass;
	o.no_include = pr->no_include;
	o.max_errors = pr->max_errors;
	o.on_rr = on_rr;
	o.on_msg = on_msg;
	o.ctx = &r;
	zk_errctx_init(&ec);
	memset(&st, 0, sizeof(st));
	rc = zk_zonefile_parse_file(file, &o, &st, &ec);
	if (pr->progress)
		fprintf(stderr, "\r%60s\r", "");
	c->records += r.n;
	if (rc == ZK_EIO && st.records == 0 && st.bytes == 0 && st.errors == 0) {
		char buf[600];
		zk_errctx_format(&ec, buf, sizeof(buf));
		fprintf(stderr, "zcheck: cannot read %s\n", buf);
		c->input_failed = true;
		zk_zone_free(r.z);
		return;
	}
	if (rc == ZK_ELIMIT)
		zc_add(c, r.check_syntax, file, 0, 0, "too many errors (%u); stopped parsing",
		       st.errors);
	else if (rc != 0 && rc != ZK_ESYNTAX && rc != ZK_ELIMIT)
		zc_add(c, r.check_syntax, file, 0, 0, "parsing stopped: %s", zk_strerror(rc));
	if (r.z == NULL) {
		if (!st.saw_ttl_directive && r.ttl_fallback && st.records > 0)
			zc_add(c, zk_lint_check_index("ttl-directive-missing"), file, 1, 0,
			       "no $TTL directive (RFC 2308 §4)");
		return;
	}
	if (!pr->have_origin && r.have_soa)
		zk_zone_set_origin(r.z, &r.first_soa);
	rc = zk_zone_finish(r.z, on_note, &r);
	if (rc != 0) {
		fprintf(stderr, "zcheck: %s: %s\n", file, zk_strerror(rc));
		exit(10);
	}
	/* Without $TTL only a record whose TTL came from a fallback is
	 * affected; a file where every record has its own (zsign's output)
	 * is fine, as BIND finds it. */
	r.lo.saw_ttl = st.saw_ttl_directive || !r.ttl_fallback;
	if (zk_lint_zone(r.z, &r.lo) != 0) {
		fprintf(stderr, "zcheck: %s: %s\n", file, zk_strerror(ZK_ENOMEM));
		exit(10);
	}
	if (pr->print)
		print_zone(pr, r.z);
	zk_zone_free(r.z);
}

int exec_run(params_t *pr)
{
	zc_t c;
	int code;

	memset(&c, 0, sizeof(c));
	c.pr = pr;
	for (int i = 0; i < pr->nfiles; i++)
		check_file(&c, pr, pr->files[i]);
	if (c.input_failed)
		code = EXIT_INPUT;
	else if (c.counts[ZK_LINT_ERROR] > 0)
		code = EXIT_ERRORS;
	else if (pr->strict && c.counts[ZK_LINT_WARNING] > 0)
		code = EXIT_WARNINGS;
	else
		code = EXIT_CLEAN;
	report_print(&c, code);
	for (size_t i = 0; i < c.nf; i++) {
		free(c.f[i].file);
		free(c.f[i].msg);
	}
	free(c.f);
	return code;
}
