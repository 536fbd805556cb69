/* zsign — run: read the zone and the keys, build the chain, sign, add
 * ZONEMD, write. */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alloc.h"
#include "dnssec.h"
#include "keyfile.h"
#include "nsec.h"
#include "rdata.h"
#include "rrtype.h"
#include "sign.h"
#include "zone.h"
#include "zonefile.h"
#include "zonemd.h"
#include "zsign.h"

typedef struct key {
	zk_keyfile_t kf;
	char *path;
	bool sign;    /* active, with its private key */
	bool publish; /* in the DNSKEY RRset */
	unsigned roles;
} skey_t;

typedef struct rrvec {
	zk_rr_t *v;
	size_t n, cap;
} rrvec_t;

typedef struct ctx {
	params_t *pr;
	zk_zone_t *z;
	zk_name_t apex;
	zk_arena_t *a;
	rrvec_t data;    /* what gets signed, without DNSKEY/NSEC3PARAM/ZONEMD */
	rrvec_t old;     /* RRSIGs of the input */
	rrvec_t zkeys;   /* DNSKEY records of the input */
	rrvec_t extra;   /* DNSKEY, NSEC3PARAM, ZONEMD placeholders */
	rrvec_t ksigs;   /* --keyset RRSIGs */
	rrvec_t deleted; /* -S: keys past their Delete time (rdata only) */
	const zk_rr_t *soa;
	zk_rr_t soa_rr; /* *soa once data.v is freed */
	bool had_nsec, had_nsec3;
	zk_nsec3_params_t old_n3;
	uint8_t zmd_algs[4];
	size_t nzmd;
	skey_t *keys;
	size_t nkeys;
	uint64_t dropped_out; /* out-of-zone records ignored */
} ctx_t;

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;
	fputs("zsign: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

static void vec_push(rrvec_t *v, const zk_rr_t *rr)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->v = zk_xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = *rr;
}

static double now_sec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- zone */

typedef struct parse {
	ctx_t *c;
	zk_name_t first_soa;
	bool have_soa;
	int err;
} parse_t;

static int on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	parse_t *p = ctx;
	int rc;

	if (rr->type == ZK_TYPE_SOA && !p->have_soa) {
		zk_name_copy(&p->first_soa, rr->owner);
		p->have_soa = true;
	}
	rc = zk_zone_add(p->c->z, rr, loc->file, loc->line, loc->run);
	if (rc != 0)
		fprintf(stderr, "zsign: %s:%u: %s\n", loc->file, loc->line, zk_strerror(rc));
	return rc;
}

static void on_msg(void *ctx, int severity, const zk_errctx_t *ec)
{
	parse_t *p = ctx;
	char buf[600];

	zk_errctx_format(ec, buf, sizeof(buf));
	if (severity == ZK_ZF_WARNING) {
		if (!p->c->pr->quiet)
			fprintf(stderr, "zsign: warning: %s\n", buf);
		return;
	}
	fprintf(stderr, "zsign: %s\n", buf);
	p->err++;
}

static int load_zone(ctx_t *c)
{
	params_t *pr = c->pr;
	zk_zf_opts_t o;
	zk_errctx_t ec;
	parse_t p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	c->z = zk_zone_new(pr->have_origin ? &pr->origin : &zk_name_root, ZK_CLASS_IN);
	if (c->z == NULL)
		return fail("out of memory");
	zk_zf_opts_init(&o);
	o.origin = pr->have_origin ? &pr->origin : &zk_name_root;
	o.on_rr = on_rr;
	o.on_msg = on_msg;
	o.ctx = &p;
	zk_errctx_init(&ec);
	rc = zk_zonefile_parse_file(pr->zonefile, &o, NULL, &ec);
	if (rc != 0) {
		char buf[600];
		if (p.err == 0) {
			zk_errctx_format(&ec, buf, sizeof(buf));
			fprintf(stderr, "zsign: %s\n", buf[0] ? buf : zk_strerror(rc));
		}
		return fail("%s: cannot load the zone", pr->zonefile);
	}
	if (pr->have_origin)
		zk_name_copy(&c->apex, &pr->origin);
	else if (p.have_soa)
		zk_name_copy(&c->apex, &p.first_soa);
	else
		return fail("%s: no SOA record", pr->zonefile);
	zk_zone_set_origin(c->z, &c->apex);
	if (zk_zone_finish(c->z, NULL, NULL) != 0)
		return fail("out of memory");
	return 0;
}

/* SOA serial policy (-N), RFC 1982 arithmetic. */
static uint32_t new_serial(const params_t *pr, uint32_t old)
{
	uint32_t s = old;
	switch (pr->serial) {
	case SERIAL_KEEP: return old;
	case SERIAL_INCREMENT: return zk_serial_add(old, 1);
	case SERIAL_UNIXTIME: s = (uint32_t)pr->now; break;
	case SERIAL_DATE: {
		time_t t = (time_t)pr->now;
		struct tm tm;
		gmtime_r(&t, &tm);
		s = (uint32_t)((tm.tm_year + 1900) * 1000000 + (tm.tm_mon + 1) * 10000 +
		               tm.tm_mday * 100);
		break;
	}
	}
	return zk_serial_cmp(s, old) > 0 ? s : zk_serial_add(old, 1);
}

/* Sort the input into data, old signatures, keys and the chain we drop. */
static int split_zone(ctx_t *c)
{
	const params_t *pr = c->pr;
	size_t n = zk_zone_count(c->z);

	for (size_t i = 0; i < n; i++) {
		const zk_zone_rr_t *zr = zk_zone_at(c->z, i);
		bool apex;
		zk_rr_t rr;

		zk_zone_rr_view(zr, false, &rr);
		if (!zk_name_is_sub(rr.owner, &c->apex)) {
			char o[ZK_NAME_TEXTMAX];
			zk_name_to_cstr(rr.owner, o, sizeof(o));
			if (!pr->quiet && c->dropped_out++ == 0)
				fprintf(stderr,
				        "zsign: warning: %s:%u: %s is outside the zone; ignored\n",
				        zk_zone_file(c->z, zr->file), zr->line, o);
			continue;
		}
		if (pr->have_max_ttl && rr.ttl > pr->max_ttl)
			rr.ttl = pr->max_ttl;
		apex = zk_name_eq(rr.owner, &c->apex);
		switch (rr.type) {
		case ZK_TYPE_RRSIG: vec_push(&c->old, &rr); continue;
		case ZK_TYPE_NSEC: c->had_nsec = true; continue;
		case ZK_TYPE_NSEC3: continue;
		case ZK_TYPE_NSEC3PARAM:
			if (apex &&
			    zk_nsec3_params_from_rdata(rr.rdata, rr.rdlen, &c->old_n3, NULL) == 0)
				c->had_nsec3 = true;
			continue;
		case ZK_TYPE_DNSKEY:
			if (apex) {
				vec_push(&c->zkeys, &rr);
				continue;
			}
			break;
		case ZK_TYPE_ZONEMD:
			if (apex) {
				if (rr.rdlen >= 6 && c->nzmd < sizeof(c->zmd_algs)) {
					bool seen = false;
					for (size_t k = 0; k < c->nzmd; k++)
						seen |= c->zmd_algs[k] == rr.rdata[5];
					if (!seen && rr.rdata[4] == ZK_ZONEMD_SIMPLE &&
					    zk_zonemd_supported(rr.rdata[4], rr.rdata[5]))
						c->zmd_algs[c->nzmd++] = rr.rdata[5];
				}
				continue;
			}
			break;
		case ZK_TYPE_SOA:
			if (apex && rr.rdlen >= 20) {
				uint8_t *rd = zk_arena_memdup(c->a, rr.rdata, rr.rdlen);
				uint8_t *sp = rd + rr.rdlen - 20;
				uint32_t s = (uint32_t)sp[0] << 24 | (uint32_t)sp[1] << 16 |
				             (uint32_t)sp[2] << 8 | sp[3];
				s = new_serial(pr, s);
				sp[0] = (uint8_t)(s >> 24);
				sp[1] = (uint8_t)(s >> 16);
				sp[2] = (uint8_t)(s >> 8);
				sp[3] = (uint8_t)s;
				rr.rdata = rd;
			}
			break;
		default: break;
		}
		vec_push(&c->data, &rr);
	}
	for (size_t i = 0; i < c->data.n; i++)
		if (c->data.v[i].type == ZK_TYPE_SOA && zk_name_eq(c->data.v[i].owner, &c->apex)) {
			c->soa = &c->data.v[i];
			break;
		}
	if (c->soa == NULL) {
		char o[ZK_NAME_TEXTMAX];
		zk_name_to_cstr(&c->apex, o, sizeof(o));
		return fail("%s: no SOA record at the zone apex %s", pr->zonefile, o);
	}
	return 0;
}

/* ---------------------------------------------------------------- keys */

static char *key_path(const params_t *pr, const char *p)
{
	char *s;
	size_t n;

	if (strchr(p, '/') != NULL || strcmp(pr->keydir, ".") == 0)
		return zk_xstrdup(p);
	n = strlen(pr->keydir) + strlen(p) + 2;
	s = zk_xmalloc(n);
	snprintf(s, n, "%s/%s", pr->keydir, p);
	return s;
}

static bool past(int64_t t, int64_t now)
{
	return t != ZK_KT_UNSET && t <= now;
}

static skey_t *key_add(ctx_t *c)
{
	c->keys = zk_xrealloc(c->keys, (c->nkeys + 1) * sizeof(*c->keys));
	memset(&c->keys[c->nkeys], 0, sizeof(skey_t));
	zk_keyfile_init(&c->keys[c->nkeys].kf);
	return &c->keys[c->nkeys++];
}

static bool key_dup(const ctx_t *c, const skey_t *k)
{
	for (size_t i = 0; i + 1 < c->nkeys; i++)
		if (&c->keys[i] != k && c->keys[i].kf.alg == k->kf.alg &&
		    c->keys[i].kf.rdlen == k->kf.rdlen &&
		    memcmp(c->keys[i].kf.rdata + 4, k->kf.rdata + 4, k->kf.rdlen - 4) == 0)
			return true;
	return false;
}

/* A key named on the command line: it must be for this zone, have its
 * private key and be usable now. role: 0 from the SEP flag. */
static int key_explicit(ctx_t *c, const char *arg, unsigned role)
{
	const int64_t now = c->pr->now;
	skey_t *k = key_add(c);
	zk_errctx_t ec;
	char zone[ZK_NAME_TEXTMAX], kz[ZK_NAME_TEXTMAX];

	k->path = key_path(c->pr, arg);
	zk_errctx_init(&ec);
	if (zk_keyfile_read(&k->kf, k->path, true, &ec) != 0)
		return fail("cannot read key %s: %s", k->path,
		            ec.msg[0] ? ec.msg : zk_strerror(ec.code));
	zk_name_to_cstr(&c->apex, zone, sizeof(zone));
	zk_name_to_cstr(&k->kf.owner, kz, sizeof(kz));
	if (k->kf.type != ZK_TYPE_DNSKEY || !(k->kf.flags & ZK_DNSKEY_ZONE))
		return fail("%s: not a zone key (DNSKEY with the ZONE flag)", k->path);
	if (!zk_name_eq(&k->kf.owner, &c->apex))
		return fail("%s: key is for zone %s, not %s", k->path, kz, zone);
	if (!zk_alg_supported(k->kf.alg))
		return fail("%s: algorithm %u is not supported", k->path, k->kf.alg);
	if (past(k->kf.times[ZK_KT_DELETE], now) || past(k->kf.times[ZK_KT_INACTIVE], now)) {
		char when[15];
		int64_t t = past(k->kf.times[ZK_KT_INACTIVE], now) ? k->kf.times[ZK_KT_INACTIVE]
		                                                   : k->kf.times[ZK_KT_DELETE];
		zk_keytime_to_text(t, when);
		return fail("%s: key is inactive since %s (expired)", k->path, when);
	}
	if (key_dup(c, k)) {
		zk_keyfile_clear(&k->kf);
		free(k->path);
		c->nkeys--;
		return 0;
	}
	k->publish = true;
	k->sign = true;
	if (k->kf.times[ZK_KT_ACTIVATE] != ZK_KT_UNSET && k->kf.times[ZK_KT_ACTIVATE] > now) {
		if (!c->pr->quiet)
			fprintf(stderr, "zsign: warning: %s is not active yet: published only\n",
			        k->path);
		k->sign = false;
	}
	k->roles = role ? role : (k->kf.flags & ZK_DNSKEY_SEP) ? ZK_SIGN_KSK : ZK_SIGN_ZSK;
	if (past(k->kf.times[ZK_KT_REVOKE], now)) {
		/* RFC 5011 §2.1: a revoked key signs the DNSKEY RRset only. */
		zk_keyfile_set_flags(&k->kf, k->kf.flags | ZK_DNSKEY_REVOKE);
		k->roles = ZK_SIGN_KSK;
	}
	return 0;
}

/* -S: every key of the zone in the key directory, by its timing
 * metadata (BIND's dnssec-signzone -S rules, simplified): deleted keys
 * are left out, published keys are in the DNSKEY RRset, active keys
 * with a private key sign, revoked keys sign the DNSKEY RRset only. */
static int keys_smart(ctx_t *c, bool required)
{
	const params_t *pr = c->pr;
	char zone[ZK_NAME_TEXTMAX], prefix[ZK_NAME_TEXTMAX + 2];
	DIR *d = opendir(pr->keydir);
	struct dirent *de;
	size_t found = 0;

	if (d == NULL)
		return fail("cannot open key directory %s", pr->keydir);
	zk_name_to_cstr(&c->apex, zone, sizeof(zone));
	snprintf(prefix, sizeof(prefix), "K%s+", zone);
	while ((de = readdir(d)) != NULL) {
		size_t ln = strlen(de->d_name);
		char *path;
		skey_t *k;
		zk_errctx_t ec;
		int64_t now = pr->now;
		const int64_t *t;

		if (ln < 5 || strcmp(de->d_name + ln - 4, ".key") != 0 ||
		    strncasecmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		path = zk_xmalloc(strlen(pr->keydir) + ln + 2);
		sprintf(path, "%s/%s", pr->keydir, de->d_name);
		k = key_add(c);
		k->path = path;
		zk_errctx_init(&ec);
		if (zk_keyfile_read(&k->kf, path, true, &ec) != 0) {
			zk_keyfile_clear(&k->kf);
			zk_keyfile_init(&k->kf);
			if (zk_keyfile_read(&k->kf, path, false, &ec) != 0) {
				if (!pr->quiet)
					fprintf(stderr, "zsign: warning: %s: %s; skipped\n", path,
					        ec.msg);
				zk_keyfile_clear(&k->kf);
				free(k->path);
				c->nkeys--;
				continue;
			}
		}
		t = k->kf.times;
		if (k->kf.type == ZK_TYPE_DNSKEY && zk_name_eq(&k->kf.owner, &c->apex) &&
		    past(t[ZK_KT_DELETE], now)) {
			/* Deleted: also out of the zone's own DNSKEY RRset. */
			zk_rr_t gone = {0};
			gone.rdlen = (uint16_t)k->kf.rdlen;
			gone.rdata = zk_arena_memdup(c->a, k->kf.rdata, k->kf.rdlen);
			vec_push(&c->deleted, &gone);
		}
		if (k->kf.type != ZK_TYPE_DNSKEY || !zk_name_eq(&k->kf.owner, &c->apex) ||
		    !zk_alg_supported(k->kf.alg) || past(t[ZK_KT_DELETE], now) || key_dup(c, k)) {
			zk_keyfile_clear(&k->kf);
			free(k->path);
			c->nkeys--;
			continue;
		}
		k->publish = t[ZK_KT_PUBLISH] == ZK_KT_UNSET || past(t[ZK_KT_PUBLISH], now) ||
		             past(t[ZK_KT_ACTIVATE], now);
		k->sign = zk_key_is_private(k->kf.key) && !past(t[ZK_KT_INACTIVE], now) &&
		          (t[ZK_KT_ACTIVATE] == ZK_KT_UNSET ? t[ZK_KT_PUBLISH] == ZK_KT_UNSET
		                                            : past(t[ZK_KT_ACTIVATE], now));
		k->roles = (k->kf.flags & ZK_DNSKEY_SEP) ? ZK_SIGN_KSK : ZK_SIGN_ZSK;
		if (past(t[ZK_KT_REVOKE], now)) {
			zk_keyfile_set_flags(&k->kf, k->kf.flags | ZK_DNSKEY_REVOKE);
			k->roles = ZK_SIGN_KSK;
			k->publish = true;
			k->sign = zk_key_is_private(k->kf.key);
		}
		found += k->publish;
	}
	closedir(d);
	if (required && found == 0)
		return fail("no keys for %s found in %s", zone, pr->keydir);
	return 0;
}

static int load_keys(ctx_t *c)
{
	params_t *pr = c->pr;
	size_t signers = 0;
	char zone[ZK_NAME_TEXTMAX];

	for (size_t i = 0; i < pr->nksk; i++)
		if (key_explicit(c, pr->ksk[i], ZK_SIGN_KSK) != 0)
			return EXIT_FAIL;
	for (size_t i = 0; i < pr->nzsk; i++)
		if (key_explicit(c, pr->zsk[i], ZK_SIGN_ZSK) != 0)
			return EXIT_FAIL;
	for (size_t i = 0; i < pr->nkeys; i++)
		if (key_explicit(c, pr->keys[i], 0) != 0)
			return EXIT_FAIL;
	/* No key named: find them in the key directory, as -S does. */
	if (pr->smart || c->nkeys == 0)
		if (keys_smart(c, c->nkeys == 0) != 0)
			return EXIT_FAIL;
	for (size_t i = 0; i < c->nkeys; i++)
		signers += c->keys[i].sign;
	zk_name_to_cstr(&c->apex, zone, sizeof(zone));
	if (signers == 0)
		return fail("no active signing key for %s", zone);
	return 0;
}

/* --keyset: the DNSKEY RRset and its RRSIGs as zkeysign keyset wrote
 * them. They must verify now and stay valid as long as our signatures. */
typedef struct kparse {
	ctx_t *c;
	rrvec_t keys;
	int err;
} kparse_t;

static int on_keyset_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	kparse_t *p = ctx;
	zk_rr_t r = *rr;
	(void)loc;
	r.owner = zk_name_dup(p->c->a, rr->owner);
	r.rdata = zk_arena_memdup(p->c->a, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	if (rr->type == ZK_TYPE_DNSKEY)
		vec_push(&p->keys, &r);
	else if (rr->type == ZK_TYPE_RRSIG)
		vec_push(&p->c->ksigs, &r);
	else
		p->err++;
	return 0;
}

static int load_keyset(ctx_t *c)
{
	params_t *pr = c->pr;
	zk_zf_opts_t o;
	zk_errctx_t ec;
	kparse_t p;
	unsigned good = 0;
	bool covers = false;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	zk_zf_opts_init(&o);
	o.origin = &c->apex;
	o.on_rr = on_keyset_rr;
	o.ctx = &p;
	zk_errctx_init(&ec);
	rc = zk_zonefile_parse_file(pr->keyset, &o, NULL, &ec);
	if (rc != 0) {
		char buf[600];
		zk_errctx_format(&ec, buf, sizeof(buf));
		rc = fail("--keyset: %s", buf);
		goto out;
	}
	if (p.err > 0 || p.keys.n == 0 || c->ksigs.n == 0) {
		rc = fail("--keyset %s: want a DNSKEY RRset and its RRSIGs only", pr->keyset);
		goto out;
	}
	for (size_t i = 0; i < p.keys.n; i++) {
		if (!zk_name_eq(p.keys.v[i].owner, &c->apex)) {
			rc = fail("--keyset %s: the keys are not for this zone", pr->keyset);
			goto out;
		}
	}
	zk_errctx_init(&ec);
	if (zk_dnssec_verify_keyset(p.keys.v, p.keys.n, c->ksigs.v, c->ksigs.n, (uint32_t)pr->now,
	                            &good, &ec) != 0) {
		rc = fail("--keyset %s does not verify: %s", pr->keyset, ec.msg);
		goto out;
	}
	for (size_t i = 0; i < c->ksigs.n; i++) {
		zk_rrsig_t rs;
		if (zk_rrsig_parse(c->ksigs.v[i].rdata, c->ksigs.v[i].rdlen, &rs, NULL) == 0 &&
		    zk_serial_cmp(rs.expiration, (uint32_t)pr->expiration) >= 0)
			covers = true;
	}
	if (!covers) {
		char e[15];
		zk_keytime_to_text(pr->expiration, e);
		rc = fail("--keyset %s expires before the zone signatures (%s)", pr->keyset, e);
		goto out;
	}
	/* The keyset is the DNSKEY RRset; the zone's own DNSKEYs give way. */
	c->zkeys.n = 0;
	for (size_t i = 0; i < p.keys.n; i++)
		vec_push(&c->zkeys, &p.keys.v[i]);
	rc = 0;
out:
	free(p.keys.v);
	return rc;
}

/* ------------------------------------------------------------- records */

static bool same_pubkey(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	/* Flags aside (a revoked key is the same key). */
	return an == bn && an >= 4 && memcmp(a + 2, b + 2, an - 2) == 0;
}

/* The DNSKEY RRset, NSEC3PARAM and ZONEMD placeholders into extra. */
static int build_extra(ctx_t *c, const zk_nsec3_params_t *n3, const uint8_t *zmd, size_t nzmd)
{
	const params_t *pr = c->pr;
	uint32_t ttl = pr->have_dnskey_ttl ? pr->dnskey_ttl : c->soa->ttl;
	zk_rr_t rr;

	if (c->zkeys.n > 0 && !pr->have_dnskey_ttl)
		ttl = c->zkeys.v[0].ttl;
	if (pr->have_max_ttl && ttl > pr->max_ttl)
		ttl = pr->max_ttl;
	for (size_t i = 0; i < c->zkeys.n; i++) {
		bool replaced = false;
		if (!pr->keyset)
			for (size_t k = 0; k < c->nkeys; k++)
				replaced |= same_pubkey(c->zkeys.v[i].rdata, c->zkeys.v[i].rdlen,
				                        c->keys[k].kf.rdata, c->keys[k].kf.rdlen);
		if (!pr->keyset)
			for (size_t k = 0; k < c->deleted.n; k++)
				replaced |=
				    same_pubkey(c->zkeys.v[i].rdata, c->zkeys.v[i].rdlen,
				                c->deleted.v[k].rdata, c->deleted.v[k].rdlen);
		if (replaced)
			continue;
		rr = c->zkeys.v[i];
		rr.ttl = ttl;
		vec_push(&c->extra, &rr);
	}
	for (size_t k = 0; k < c->nkeys && !pr->keyset; k++) {
		if (!c->keys[k].publish)
			continue;
		rr.owner = c->soa->owner;
		rr.type = ZK_TYPE_DNSKEY;
		rr.rclass = c->soa->rclass;
		rr.ttl = ttl;
		rr.rdlen = (uint16_t)c->keys[k].kf.rdlen;
		rr.rdata = c->keys[k].kf.rdata;
		vec_push(&c->extra, &rr);
	}
	/* Every signing key must be in the DNSKEY RRset. */
	for (size_t k = 0; k < c->nkeys; k++) {
		bool in = false;
		if (!c->keys[k].sign)
			continue;
		for (size_t i = 0; i < c->extra.n; i++)
			in |= c->extra.v[i].type == ZK_TYPE_DNSKEY &&
			      c->extra.v[i].rdlen == c->keys[k].kf.rdlen &&
			      memcmp(c->extra.v[i].rdata, c->keys[k].kf.rdata,
			             c->keys[k].kf.rdlen) == 0;
		if (!in) {
			if (pr->keyset && (c->keys[k].roles & ZK_SIGN_ZSK) &&
			    !(c->keys[k].kf.flags & ZK_DNSKEY_SEP))
				return fail(
				    "%s: the zone signing key is not in the --keyset DNSKEY "
				    "RRset",
				    c->keys[k].path);
			c->keys[k].sign = false; /* a KSK when the keyset is given */
		}
	}
	if (n3 != NULL) {
		uint8_t rd[5 + 255];
		size_t len;
		zk_nsec3param_rdata(n3, rd, sizeof(rd), &len);
		rr.owner = c->soa->owner;
		rr.type = ZK_TYPE_NSEC3PARAM;
		rr.rclass = c->soa->rclass;
		/* RFC 5155 §4 leaves the TTL open; dnssec-signzone writes 0
		 * (the record is for the primary's use, not for caching). */
		rr.ttl = 0;
		rr.rdlen = (uint16_t)len;
		rr.rdata = zk_arena_memdup(c->a, rd, len);
		vec_push(&c->extra, &rr);
	}
	for (size_t i = 0; i < nzmd; i++) {
		uint8_t rd[ZK_ZONEMD_RDATA_MAX];
		size_t len;
		const uint8_t *sp = c->soa->rdata + c->soa->rdlen - 20;
		uint32_t serial =
		    (uint32_t)sp[0] << 24 | (uint32_t)sp[1] << 16 | (uint32_t)sp[2] << 8 | sp[3];
		zk_zonemd_placeholder(serial, ZK_ZONEMD_SIMPLE, zmd[i], rd, sizeof(rd), &len);
		rr.owner = c->soa->owner;
		rr.type = ZK_TYPE_ZONEMD;
		rr.rclass = c->soa->rclass;
		rr.ttl = c->soa->ttl;
		rr.rdlen = (uint16_t)len;
		rr.rdata = zk_arena_memdup(c->a, rd, len);
		vec_push(&c->extra, &rr);
	}
	zk_rr_sort(c->extra.v, c->extra.n);
	return 0;
}

/* ---------------------------------------------------------------- output */

static void put_u32(zk_buf_t *b, uint32_t v)
{
	char d[10];
	size_t i = sizeof(d);
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	zk_buf_put(b, d + i, sizeof(d) - i);
}

static bool dnssec_type(uint16_t t)
{
	return t == ZK_TYPE_RRSIG || t == ZK_TYPE_NSEC || t == ZK_TYPE_NSEC3 ||
	       t == ZK_TYPE_NSEC3PARAM || t == ZK_TYPE_ZONEMD;
}

/* The text of rrs[from..to) appended to b, one record per line. */
static void render(const zk_rr_t *rrs, size_t from, size_t to, bool dnssec_only, zk_buf_t *b)
{
	char owner[ZK_NAME_TEXTMAX], tn[16], cn[16];
	size_t olen = 0, tlen = 0, clen = 0;
	uint16_t ltype = 0, lclass = 0;
	const zk_name_t *last = NULL;

	for (size_t i = from; i < to; i++) {
		const zk_rr_t *r = &rrs[i];
		if (dnssec_only && !dnssec_type(r->type))
			continue;
		/* A signed zone is mostly a few owners' worth of repeats of a
		 * few types: the text of the owner, type and class is made
		 * when it changes, and the line head assembled without printf. */
		if (r->owner != last) {
			olen = zk_name_to_cstr(r->owner, owner, sizeof(owner));
			last = r->owner;
		}
		if (r->type != ltype || tlen == 0) {
			tlen = zk_rrtype_to_text(r->type, tn, sizeof(tn));
			ltype = r->type;
		}
		if (r->rclass != lclass || clen == 0) {
			clen = zk_rrclass_to_text(r->rclass, cn, sizeof(cn));
			lclass = r->rclass;
		}
		zk_buf_put(b, owner, olen);
		zk_buf_putc(b, '\t');
		put_u32(b, r->ttl);
		zk_buf_putc(b, '\t');
		zk_buf_put(b, cn, clen);
		zk_buf_putc(b, '\t');
		zk_buf_put(b, tn, tlen);
		zk_buf_putc(b, '\t');
		zk_rdata_to_text(r->type, r->rdata, r->rdlen, ZK_RDTEXT_NOSPLIT, "", b);
		zk_buf_putc(b, '\n');
	}
}

/* Records per rendering block: big enough that handing one over is
 * noise, small enough that the blocks in flight stay a few MB each. */
#define RENDER_BLOCK 8192

/* The renderers and the writer of write_zone: block b is rendered into
 * slot b % window by whichever renderer claims it, and written by the
 * calling thread in order; a renderer claims a block only once the
 * block that used its slot before has been written. */
typedef struct render_pool {
	const zk_rr_t *rrs;
	size_t n;
	bool dnssec_only;
	size_t nblocks, window;
	size_t next;    /* next block to claim */
	size_t written; /* blocks written */
	bool stop;
	zk_buf_t *slot;
	bool *ready;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} render_pool_t;

static void *renderer(void *arg)
{
	render_pool_t *rp = arg;

	pthread_mutex_lock(&rp->mu);
	for (;;) {
		size_t b, from, to;
		zk_buf_t *out;
		while (!rp->stop && rp->next < rp->nblocks && rp->next >= rp->written + rp->window)
			pthread_cond_wait(&rp->cv, &rp->mu);
		if (rp->stop || rp->next >= rp->nblocks)
			break;
		b = rp->next++;
		pthread_mutex_unlock(&rp->mu);
		out = &rp->slot[b % rp->window];
		from = b * RENDER_BLOCK;
		to = rp->n - from > RENDER_BLOCK ? from + RENDER_BLOCK : rp->n;
		zk_buf_reset(out);
		render(rp->rrs, from, to, rp->dnssec_only, out);
		pthread_mutex_lock(&rp->mu);
		rp->ready[b % rp->window] = true;
		pthread_cond_broadcast(&rp->cv);
	}
	pthread_mutex_unlock(&rp->mu);
	return NULL;
}

/* The zone as text. Printing a signed zone is a tenth of a full ECDSA
 * signing run and writing it (a copy into the page cache) as much
 * again at 1M records, so neither may be a serial tail: with -t N > 1,
 * N threads render blocks while this one writes the finished ones in
 * order. The bytes do not depend on the number of threads. */
static int write_zone(ctx_t *c, const zk_rr_t *rrs, size_t n, const char *path)
{
	const params_t *pr = c->pr;
	unsigned nt = pr->threads > 0 ? pr->threads : 1, started = 0;
	char err[600];
	out_t *o = out_open(path, err, sizeof(err));
	render_pool_t rp;
	pthread_t *th;
	int rc = 0;

	if (o == NULL)
		return fprintf(stderr, "zsign: %s\n", err), EXIT_WRITE;
	memset(&rp, 0, sizeof(rp));
	rp.rrs = rrs;
	rp.n = n;
	rp.dnssec_only = pr->dnssec_only;
	rp.nblocks = (n + RENDER_BLOCK - 1) / RENDER_BLOCK;
	rp.window = nt > 1 ? 2 * (size_t)nt : 1;
	rp.slot = zk_xcalloc(rp.window, sizeof(*rp.slot));
	rp.ready = zk_xcalloc(rp.window, sizeof(*rp.ready));
	th = zk_xcalloc(nt, sizeof(*th));
	pthread_mutex_init(&rp.mu, NULL);
	pthread_cond_init(&rp.cv, NULL);
	for (size_t i = 0; i < rp.window; i++)
		zk_buf_init(&rp.slot[i]);
	if (nt > 1)
		for (unsigned t = 0; t < nt; t++) {
			if (pthread_create(&th[t], NULL, renderer, &rp) != 0)
				break;
			started++;
		}
	for (size_t b = 0; b < rp.nblocks; b++) {
		zk_buf_t *out = &rp.slot[b % rp.window];
		if (started == 0) { /* -t 1, or no thread could start */
			size_t from = b * RENDER_BLOCK;
			zk_buf_reset(out);
			render(rrs, from, n - from > RENDER_BLOCK ? from + RENDER_BLOCK : n,
			       rp.dnssec_only, out);
		} else {
			pthread_mutex_lock(&rp.mu);
			while (!rp.ready[b % rp.window])
				pthread_cond_wait(&rp.cv, &rp.mu);
			pthread_mutex_unlock(&rp.mu);
		}
		if (out->err) {
			snprintf(err, sizeof(err), "out of memory");
			rc = -1;
		} else if (out_write(o, out->data, out->len, err, sizeof(err)) != 0) {
			rc = -1;
		}
		pthread_mutex_lock(&rp.mu);
		rp.ready[b % rp.window] = false;
		rp.written = b + 1;
		rp.stop = rc != 0;
		pthread_cond_broadcast(&rp.cv);
		pthread_mutex_unlock(&rp.mu);
		if (rc != 0)
			break;
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	for (size_t i = 0; i < rp.window; i++)
		zk_buf_free(&rp.slot[i]);
	free(rp.slot);
	free(rp.ready);
	free(th);
	pthread_mutex_destroy(&rp.mu);
	pthread_cond_destroy(&rp.cv);
	if (rc == 0 && out_commit(o, err, sizeof(err)) == 0)
		return 0;
	if (rc != 0)
		out_abort(o);
	fprintf(stderr, "zsign: %s\n", err);
	return EXIT_WRITE;
}

/* ---------------------------------------------------------------- cache */

/* The signature cache (--cache, by default OUTPUT.zsigcache): "ZSC1"
 * then ZK_SIGN_DIGEST octets per signature of the last output. A
 * missing or unreadable cache only costs time (every old signature is
 * verified); a damaged one is ignored with a warning. Entries are
 * content addressed (zk_sign_opts_t.known), so a stale cache, one from
 * another zone or one whose output was edited since only misses. */
static const char cache_magic[4] = {'Z', 'S', 'C', '1'};

static int dig_sort(const void *a, const void *b)
{
	return memcmp(a, b, ZK_SIGN_DIGEST);
}

static uint8_t *cache_load(const params_t *pr, const char *path, size_t *n)
{
	char *data = NULL;
	size_t len = 0;
	zk_errctx_t ec;
	uint8_t *v;

	*n = 0;
	zk_errctx_init(&ec);
	if (zk_file_read_all(path, (size_t)1 << 34, &data, &len, &ec) != 0)
		return NULL;
	if (len < 4 || memcmp(data, cache_magic, 4) != 0 || (len - 4) % ZK_SIGN_DIGEST != 0) {
		if (!pr->quiet)
			fprintf(stderr, "zsign: warning: %s is not a zsign cache; ignored\n", path);
		free(data);
		return NULL;
	}
	*n = (len - 4) / ZK_SIGN_DIGEST;
	v = zk_xmalloc(len);
	memcpy(v, data + 4, len - 4);
	free(data);
	qsort(v, *n, ZK_SIGN_DIGEST, dig_sort);
	return v;
}

static int cache_save(const char *path, const uint8_t *d, size_t n)
{
	uint8_t *buf = zk_xmalloc(4 + n * ZK_SIGN_DIGEST);
	zk_errctx_t ec;
	int rc;

	memcpy(buf, cache_magic, 4);
	if (n > 0)
		memcpy(buf + 4, d, n * ZK_SIGN_DIGEST);
	zk_errctx_init(&ec);
	rc = zk_file_write_atomic(path, buf, 4 + n * ZK_SIGN_DIGEST, 0644, true, &ec);
	free(buf);
	if (rc != 0)
		fprintf(stderr, "zsign: warning: cache %s not written: %s\n", path, ec.msg);
	return 0;
}

/* ---------------------------------------------------------------- sign */

typedef struct prog {
	double last;
	bool on;
	size_t base, extra; /* RRsets of earlier / later signing calls */
	size_t total;       /* of the last call */
} prog_t;

static void progress(void *ctx, size_t done, size_t total)
{
	prog_t *p = ctx;
	double t = now_sec();
	p->total = total;
	if (!p->on || (t - p->last < 0.2 && done < total))
		return;
	p->last = t;
	done += p->base;
	total += p->base + p->extra;
	fprintf(stderr, "\rzsign: signing %zu/%zu RRsets (%zu%%)", done, total,
	        total ? done * 100 / total : 100);
}

/* The NSEC or NSEC3 chain, built on its own thread while the data is
 * signed: the chain needs only the unsigned zone, and building it
 * alone left every other core idle. */
typedef struct chain_job {
	const zk_rr_t *base;
	size_t n;
	const zk_name_t *apex;
	const zk_nsec3_params_t *n3;
	uint32_t ttl;
	zk_arena_t *a;
	zk_rr_t *out;
	size_t nout;
	zk_errctx_t ec;
	int rc;
} chain_job_t;

static void *chain_thread(void *arg)
{
	chain_job_t *j = arg;

	zk_errctx_init(&j->ec);
	if (j->n3 != NULL)
		j->rc = zk_nsec3_chain(j->base, j->n, j->apex, j->n3, j->ttl, j->a, &j->out,
		                       &j->nout, &j->ec);
	else
		j->rc =
		    zk_nsec_chain(j->base, j->n, j->apex, j->ttl, j->a, &j->out, &j->nout, &j->ec);
	/* hash order is canonical; NSEC3 owners sort in */
	if (j->rc == 0 && j->n3 != NULL)
		zk_rr_sort(j->out, j->nout);
	return NULL;
}

/* The canonical run b (and its cache digests db) merged into the run a of
 * na signatures, which has room for na + nb (and da with it, when not
 * NULL): from the back, so that no third array is needed (at 1M records
 * a copy is 30 MB of peak memory). On equal keys a stays first, as in
 * zk_sign_merge(a, b). */
static void merge_sigs_into(zk_rr_t *a, uint8_t *da, size_t na, const zk_rr_t *b, const uint8_t *db,
                            size_t nb)
{
	size_t i = na, j = nb, k = na + nb;

	while (j > 0) {
		bool take_a = i > 0 && zk_rr_cmp(&b[j - 1], &a[i - 1]) < 0;
		k--;
		if (take_a) {
			a[k] = a[i - 1];
			if (da != NULL)
				memmove(da + k * ZK_SIGN_DIGEST, da + (i - 1) * ZK_SIGN_DIGEST,
				        ZK_SIGN_DIGEST);
			i--;
		} else {
			a[k] = b[j - 1];
			if (da != NULL)
				memcpy(da + k * ZK_SIGN_DIGEST, db + (j - 1) * ZK_SIGN_DIGEST,
				       ZK_SIGN_DIGEST);
			j--;
		}
	}
}

static int run(ctx_t *c)
{
	params_t *pr = c->pr;
	zk_nsec3_params_t n3;
	const zk_nsec3_params_t *use3 = NULL;
	bool nsec3 = pr->nsec3;
	uint8_t zmd[4];
	size_t nzmd = 0, nchain = 0, nall, nsigs = 0, nfull;
	zk_rr_t *chain = NULL, *base = NULL, *all = NULL, *sigs = NULL, *full = NULL;
	uint8_t *known = NULL, *digests = NULL, *zdig = NULL;
	size_t nknown = 0;
	zk_sign_key_t *sk = NULL;
	size_t nsk = 0;
	zk_arena_t **arenas = NULL;
	zk_sign_opts_t so, so1;
	chain_job_t cj = {0};
	pthread_t chain_tid;
	bool chain_started = false;
	zk_arena_t *chain_arena = NULL;
	zk_rr_t *sig1 = NULL, *sig2 = NULL;
	size_t nsig1 = 0, nsig2 = 0;
	uint8_t *dig1 = NULL, *dig2 = NULL;
	zk_sign_stats_t st, st2;
	zk_errctx_t ec;
	uint32_t nsec_ttl;
	prog_t pg = {0, pr->progress, 0, 0, 0};
	char outname[4096], cachename[4096 + 16], zone[ZK_NAME_TEXTMAX];
	const char *cache = pr->cache;
	double t0, t1;
	int rc = EXIT_FAIL;

	memset(&st2, 0, sizeof(st2));
	zk_name_to_cstr(&c->apex, zone, sizeof(zone));
	/* Which chain: without -u a signed zone keeps the one it has. */
	n3 = pr->n3;
	if (!pr->update_chain && (c->had_nsec || c->had_nsec3)) {
		bool want3 = pr->nsec3;
		if (c->had_nsec3) {
			bool differ = !want3 || pr->n3.iterations != c->old_n3.iterations ||
			              pr->n3.salt_len != c->old_n3.salt_len ||
			              memcmp(pr->n3.salt, c->old_n3.salt, pr->n3.salt_len) != 0;
			if (differ && !pr->quiet && (want3 || pr->nsec3))
				fprintf(stderr, "zsign: warning: keeping the zone's NSEC3 "
				                "parameters (-u changes them)\n");
			if (differ) {
				uint8_t fl = want3 ? pr->n3.flags : 0;
				n3 = c->old_n3;
				n3.flags = fl;
			}
			nsec3 = true;
		} else if (want3) {
			if (!pr->quiet)
				fprintf(stderr,
				        "zsign: warning: the zone is signed with NSEC; keeping "
				        "it (-u switches to NSEC3)\n");
			nsec3 = false;
		}
	}
	if (nsec3)
		use3 = &n3;
	/* ZONEMD: -Z, else what the zone had. */
	if (pr->zonemd > 0)
		zmd[nzmd++] = (uint8_t)pr->zonemd;
	else if (pr->zonemd < 0)
		for (size_t i = 0; i < c->nzmd; i++)
			zmd[nzmd++] = c->zmd_algs[i];
	if (build_extra(c, use3, zmd, nzmd) != 0)
		goto done;

	/* The unsigned zone: data + DNSKEY/NSEC3PARAM/ZONEMD, canonical. */
	nall = c->data.n + c->extra.n;
	base = zk_xmalloc((nall ? nall : 1) * sizeof(*base));
	zk_sign_merge(c->data.v, c->data.n, c->extra.v, c->extra.n, base);

	/* RFC 9077 §3: the lesser of the SOA MINIMUM and the SOA TTL. */
	{
		const uint8_t *m = c->soa->rdata + c->soa->rdlen - 4;
		uint32_t min =
		    (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
		nsec_ttl = min < c->soa->ttl ? min : c->soa->ttl;
	}
	/* base holds the data now: its array goes, the SOA kept apart */
	c->soa_rr = *c->soa;
	c->soa = &c->soa_rr;
	free(c->data.v);
	c->data.v = NULL;
	c->data.n = 0;
	/* Keys. */
	sk = zk_xcalloc(c->nkeys ? c->nkeys : 1, sizeof(*sk));
	for (size_t k = 0; k < c->nkeys; k++) {
		if (!c->keys[k].sign)
			continue;
		sk[nsk].key = c->keys[k].kf.key;
		sk[nsk].dnskey = c->keys[k].kf.rdata;
		sk[nsk].dnskey_len = c->keys[k].kf.rdlen;
		sk[nsk].keytag = c->keys[k].kf.keytag;
		sk[nsk].alg = c->keys[k].kf.alg;
		sk[nsk].roles = c->keys[k].roles;
		nsk++;
	}
	if (nsk == 0) {
		rc = fail("no active signing key for %s", zone);
		goto done;
	}
	zk_sign_fill_roles(sk, nsk);

	arenas = zk_xcalloc(pr->threads, sizeof(*arenas));
	for (unsigned i = 0; i < pr->threads; i++)
		if ((arenas[i] = zk_arena_new(1 << 20)) == NULL) {
			rc = fail("out of memory");
			goto done;
		}
	memset(&so, 0, sizeof(so));
	so.apex = &c->apex;
	so.now = (uint32_t)pr->now;
	so.inception = (uint32_t)pr->inception;
	so.expiration = (uint32_t)pr->expiration;
	so.dnskey_expiration = (uint32_t)pr->dnskey_expiration;
	so.jitter = pr->jitter;
	so.refresh = pr->interval;
	so.threads = pr->threads;
	so.verify = pr->verify;
	so.skip_dnskey = pr->keyset != NULL;
	so.progress = progress;
	so.progress_ctx = &pg;
	if (pr->output != NULL)
		snprintf(outname, sizeof(outname), "%s", pr->output);
	else
		snprintf(outname, sizeof(outname), "%s.signed", pr->zonefile);
	/* The cache lives next to the output it describes: an in-place
	 * re-sign (-f zone.signed zone.signed) finds it without options. */
	if (pr->no_cache) {
		cache = NULL;
	} else if (cache == NULL && strcmp(outname, "-") != 0) {
		snprintf(cachename, sizeof(cachename), "%s.zsigcache", outname);
		cache = cachename;
	}
	if (cache != NULL) {
		known = cache_load(pr, cache, &nknown);
		so.known = known;
		so.nknown = nknown;
		/* With --keyset the output holds signatures not made here. */
		so.digests = pr->keyset == NULL ? &digests : NULL;
	}
	/* The chain on its own thread, the data signed meanwhile, then the
	 * chain signed: two runs of signatures merged into one. */
	cj.base = base;
	cj.n = nall;
	cj.apex = &c->apex;
	cj.n3 = use3;
	cj.ttl = nsec_ttl;
	cj.a = chain_arena = zk_arena_new(1 << 20);
	if (chain_arena == NULL) {
		rc = fail("out of memory");
		goto done;
	}
	for (size_t i = 0; i < nall; i++) /* about one chain RRset per owner */
		pg.extra += i == 0 || base[i].owner != base[i - 1].owner;
	/* -t 1 means one thread: the chain first, then the signing */
	chain_started = pr->threads > 1 && pthread_create(&chain_tid, NULL, chain_thread, &cj) == 0;
	if (!chain_started)
		chain_thread(&cj);
	so1 = so;
	if (so.digests != NULL)
		so1.digests = &dig1;
	zk_errctx_init(&ec);
	t0 = now_sec();
	rc = zk_sign_zone(base, nall, sk, nsk, c->old.v, c->old.n, &so1, arenas, &sig1, &nsig1, &st,
	                  &ec);
	if (chain_started)
		pthread_join(chain_tid, NULL);
	chain_started = false;
	if (cj.rc != 0) {
		if (pg.on)
			fprintf(stderr, "\r%70s\r", "");
		rc = fail("%s: %s", zone, cj.ec.msg[0] ? cj.ec.msg : zk_strerror(cj.rc));
		goto done;
	}
	chain = cj.out;
	nchain = cj.nout;
	if (rc == 0) {
		zk_sign_stats_t stc;
		pg.base = pg.total;
		pg.extra = 0;
		if (so.digests != NULL)
			so1.digests = &dig2;
		zk_errctx_init(&ec);
		rc = zk_sign_zone(chain, nchain, sk, nsk, c->old.v, c->old.n, &so1, arenas, &sig2,
		                  &nsig2, &stc, &ec);
		if (rc == 0) /* the last line says where it ended: all of them */
			progress(&pg, pg.total, pg.total);
		st.rrsets += stc.rrsets;
		st.generated += stc.generated;
		st.retained += stc.retained;
		st.verified += stc.verified;
		st.cached += stc.cached;
		st.dropped = c->old.n - st.retained;
	}
	if (pg.on)
		fprintf(stderr, "\r%70s\r", "");
	if (rc != 0) {
		rc = fail("signing %s failed: %s", zone, ec.msg);
		goto done;
	}
	/* The old signatures are needed again only to re-sign ZONEMD. */
	if (nzmd == 0) {
		free(c->old.v);
		c->old.v = NULL;
	}
	nsigs = nsig1 + nsig2;
	sigs = zk_xrealloc(sig1, (nsigs ? nsigs : 1) * sizeof(*sigs));
	sig1 = NULL;
	if (so.digests != NULL) {
		digests = zk_xrealloc(dig1, (nsigs ? nsigs : 1) * ZK_SIGN_DIGEST);
		dig1 = NULL;
	}
	merge_sigs_into(sigs, digests, nsig1, sig2, dig2, nsig2);
	free(sig2);
	free(dig2);
	sig2 = NULL;
	dig2 = NULL;
	all = zk_xmalloc((nall + nchain) * sizeof(*all));
	zk_sign_merge(base, nall, chain, nchain, all);
	nall += nchain;
	free(base);
	base = NULL;
	/* The offline-KSK signatures over the DNSKEY RRset. */
	if (c->ksigs.n > 0) {
		zk_rr_t *m;
		for (size_t i = 0; i < c->ksigs.n; i++)
			c->ksigs.v[i].owner = c->soa->owner;
		zk_rr_sort(c->ksigs.v, c->ksigs.n);
		m = zk_xmalloc((nsigs + c->ksigs.n) * sizeof(*m));
		zk_sign_merge(sigs, nsigs, c->ksigs.v, c->ksigs.n, m);
		free(sigs);
		sigs = m;
		nsigs += c->ksigs.n;
	}
	nfull = nall + nsigs;
	full = zk_xmalloc((nfull ? nfull : 1) * sizeof(*full));
	zk_sign_merge(all, nall, sigs, nsigs, full);

	/* RFC 8976 §3: the digest over the signed zone (placeholders and
	 * their signatures do not count), then the ZONEMD RRset signed. */
	if (nzmd > 0) {
		size_t zs = 0, ze, ss, nzs = 0;
		zk_rr_t *zsigs = NULL;
		for (zs = 0; zs < nall && !(all[zs].type == ZK_TYPE_ZONEMD &&
		                            zk_name_eq(all[zs].owner, &c->apex));
		     zs++)
			;
		for (ze = zs; ze < nall && all[ze].type == ZK_TYPE_ZONEMD &&
		              zk_name_eq(all[ze].owner, &c->apex);
		     ze++)
			;
		for (size_t i = zs; i < ze; i++) {
			uint8_t rd[ZK_ZONEMD_RDATA_MAX];
			size_t len;
			zk_errctx_init(&ec);
			if (zk_zonemd_rdata(full, nfull, &c->apex, ZK_ZONEMD_SIMPLE,
			                    all[i].rdata[5], rd, sizeof(rd), &len, &ec) != 0) {
				rc = fail("ZONEMD: %s", ec.msg);
				goto done;
			}
			all[i].rdata = zk_arena_memdup(c->a, rd, len);
			all[i].rdlen = (uint16_t)len;
		}
		zk_rr_sort(all + zs, ze - zs);
		so.skip_dnskey = false;
		so.progress = NULL;
		if (so.digests != NULL)
			so.digests = &zdig;
		zk_errctx_init(&ec);
		rc = zk_sign_zone(all + zs, ze - zs, sk, nsk, c->old.v, c->old.n, &so, arenas,
		                  &zsigs, &nzs, &st2, &ec);
		if (rc != 0) {
			rc = fail("signing ZONEMD failed: %s", ec.msg);
			goto done;
		}
		/* Swap the placeholder's signatures for these (same count, same
		 * place in canonical order: type covered comes first). */
		for (ss = 0; ss < nsigs; ss++)
			if (zk_name_eq(sigs[ss].owner, &c->apex) && sigs[ss].rdlen >= 2 &&
			    (sigs[ss].rdata[0] << 8 | sigs[ss].rdata[1]) == ZK_TYPE_ZONEMD)
				break;
		for (size_t i = 0; i < nzs; i++) {
			sigs[ss + i] = zsigs[i];
			if (digests != NULL && zdig != NULL)
				memcpy(digests + (ss + i) * ZK_SIGN_DIGEST,
				       zdig + i * ZK_SIGN_DIGEST, ZK_SIGN_DIGEST);
		}
		st.generated = st.generated - nzs + st2.generated;
		st.retained += st2.retained;
		st.cached += st2.cached;
		st.verified = st.verified - (pr->verify ? nzs : 0) + st2.verified;
		st.dropped = c->old.n - st.retained;
		free(zsigs);
		zk_sign_merge(all, nall, sigs, nsigs, full);
	}
	t1 = now_sec();

	/* Only the merged zone is printed: at 1M records the arrays it was
	 * made from are another 70 MB of peak memory. */
	free(all);
	free(sigs);
	all = sigs = NULL;
	rc = write_zone(c, full, nfull, outname);
	if (rc != 0)
		goto done;
	if (cache != NULL && digests != NULL)
		cache_save(cache, digests, nsigs);
	if (!pr->quiet) {
		double dt = t1 - t0 > 1e-6 ? t1 - t0 : 1e-6;
		if (strcmp(outname, "-") != 0)
			printf("%s\n", outname);
		fprintf(stderr,
		        "zsign: %s: %zu keys, %s\n"
		        "Signatures generated:  %12llu\n"
		        "Signatures retained:   %12llu\n"
		        "Signatures dropped:    %12llu\n"
		        "Signatures verified:   %12llu\n"
		        "Signatures cached:     %12llu\n"
		        "Signing time in seconds: %10.3f\n"
		        "Signatures per second: %12.1f\n",
		        zone, nsk, use3 ? "NSEC3" : "NSEC", (unsigned long long)st.generated,
		        (unsigned long long)st.retained, (unsigned long long)st.dropped,
		        (unsigned long long)st.verified, (unsigned long long)st.cached, dt,
		        (double)st.generated / dt);
		fprintf(stderr,
		        "zsign: signed %s: %llu signatures in %.3f s (%.0f/s, %u threads)\n", zone,
		        (unsigned long long)(st.generated + st.retained), dt,
		        (double)st.generated / dt, pr->threads);
	}
	rc = 0;
done:
	if (chain_started)
		pthread_join(chain_tid, NULL);
	free(sig1);
	free(sig2);
	free(dig1);
	free(dig2);
	if (arenas != NULL)
		for (unsigned i = 0; i < pr->threads; i++)
			zk_arena_free(arenas[i]);
	free(arenas);
	free(known);
	free(digests);
	free(zdig);
	free(sk);
	free(full);
	free(sigs);
	free(all);
	free(base);
	if (chain_arena != NULL)
		zk_arena_free(chain_arena);
	return rc;
}

int exec_run(params_t *pr)
{
	ctx_t c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.pr = pr;
	c.a = zk_arena_new(0);
	if (c.a == NULL)
		return fail("out of memory");
	rc = load_zone(&c);
	if (rc == 0)
		rc = split_zone(&c);
	/* split_zone copied every record it keeps: the index goes (owners
	 * and rdata stay in the zone's arena) */
	if (rc == 0)
		zk_zone_drop_index(c.z);
	if (rc == 0 && pr->keyset != NULL)
		rc = load_keyset(&c);
	if (rc == 0)
		rc = load_keys(&c);
	if (rc == 0)
		rc = run(&c);
	for (size_t i = 0; i < c.nkeys; i++) {
		zk_keyfile_clear(&c.keys[i].kf);
		free(c.keys[i].path);
	}
	free(c.keys);
	free(c.data.v);
	free(c.old.v);
	free(c.zkeys.v);
	free(c.extra.v);
	free(c.ksigs.v);
	free(c.deleted.v);
	zk_zone_free(c.z);
	zk_arena_free(c.a);
	return rc;
}
