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
	sev_t sev = c->pr->sev[check];
	finding_t *f;
	char msg[512];
	va_list ap;

	if (sev == SEV_IGNORE)
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
	int check_syntax, check_1035, check_soamin, check_maxttl, check_ttl, check_dup;
} run_t;

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
	int check = r->check_syntax;

	if (severity == ZK_ZF_WARNING) {
		switch (ec->code) {
		case ZK_ZFW_TTL1035:
			check = r->check_1035;
			r->ttl_fallback = true;
			break;
		case ZK_ZFW_SOAMIN:
			check = r->check_soamin;
			r->ttl_fallback = true;
			break;
		default: check = r->check_maxttl; break;
		}
	} else if (ec->code == ZK_EIO) {
		r->c->input_failed = true;
	}
	zc_add(r->c, check, ec->file, ec->line, ec->col, "%s", ec->msg);
}

static void on_note(void *ctx, int kind, const zk_zone_rr_t *rr, const zk_zone_rr_t *other,
                    uint32_t old_ttl)
{
	run_t *r = ctx;
	char tn[16];

	zk_rrtype_to_text(rr->type, tn, sizeof(tn));
	if (kind == ZK_ZONE_TTL)
		zc_add(r->c, r->check_ttl, zk_zone_file(r->z, rr->file), rr->line, 0,
		       "TTL %u of this %s record differs from the RRset's TTL %u (from %s:%u); "
		       "using %u as BIND does",
		       old_ttl, tn, other->ttl, zk_zone_file(r->z, other->file), other->line,
		       other->ttl);
	else
		zc_add(r->c, r->check_dup, zk_zone_file(r->z, rr->file), rr->line, 0,
		       "duplicate %s record (first at %s:%u); ignored", tn,
		       zk_zone_file(r->z, other->file), other->line);
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
	r.check_syntax = check_index("syntax");
	r.check_1035 = check_index("ttl-rfc1035");
	r.check_soamin = check_index("ttl-soa-minimum");
	r.check_maxttl = check_index("ttl-too-large");
	r.check_ttl = check_index("ttl-mismatch");
	r.check_dup = check_index("duplicate");
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
			zc_add(c, check_index("ttl-directive-missing"), file, 1, 0,
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
	checks_run(c, r.z, st.saw_ttl_directive || !r.ttl_fallback, file);
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
	else if (c.counts[SEV_ERROR] > 0)
		code = EXIT_ERRORS;
	else if (pr->strict && c.counts[SEV_WARNING] > 0)
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
