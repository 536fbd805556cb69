/* zkeysign — the key signer: DS, CDS/CDNSKEY (RFC 7344, RFC 8078) and
 * DNSKEY RRsets signed by offline KSKs. Subcommands: ds, cds, keyset,
 * verify. The work is in common/dnssec and common/keyfile. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alloc.h"
#include "crypto.h"
#include "dnssec.h"
#include "encode.h"
#include "keyfile.h"
#include "opt.h"
#include "rdata.h"
#include "rrtype.h"
#include "zonefile.h"

/* Exit codes (man/zkeysign.1). */
enum { EX_OK = 0, EX_USAGE = 1, EX_INPUT = 2, EX_IO = 3 };

static const char *prog = "zkeysign";

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s ds [-a sha1|sha256|sha384|all]... [-T ttl] [-A] keyfile... | -f file "
	        "[zone]\n"
	        "       %s cds [-a ...]... [-T ttl] [--no-cds|--no-cdnskey] keyfile... | -f file "
	        "[zone]\n"
	        "       %s cds --delete [-T ttl] zone\n"
	        "       %s keyset -k ksk... [-z zsk...] [-s start] [-e end] [-L ttl] [-o out]\n"
	        "       %s verify [-t now] file\n",
	        prog, prog, prog, prog, prog);
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int exit_for(int rc)
{
	return rc == ZK_EIO || rc == ZK_ENOENT || rc == ZK_EEXIST ? EX_IO : EX_INPUT;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || errno || v > 0x7fffffffUL)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* One presentation line: owner [ttl] IN TYPE rdata, as dnssec-dsfromkey. */
static void put_rr(zk_buf_t *out, const zk_name_t *owner, bool has_ttl, uint32_t ttl, uint16_t type,
                   const uint8_t *rd, size_t n, const char *sep)
{
	char tb[16];
	zk_name_to_text(owner, out);
	if (has_ttl)
		zk_buf_printf(out, "%s%u", sep, ttl);
	zk_rrtype_to_text(type, tb, sizeof tb);
	zk_buf_printf(out, "%sIN%s%s%s", sep, sep, tb, sep);
	if ((type == ZK_TYPE_DS || type == ZK_TYPE_CDS) && n >= 5) {
		/* dnssec-dsfromkey writes the digest in one piece (rdata text
		 * in dig style breaks it every 56 characters). */
		zk_buf_printf(out, "%u %u %u ", zk_get_u16(rd), rd[2], rd[3]);
		zk_hex_encode(out, rd + 4, n - 4, true);
	} else {
		zk_rdata_to_text(type, rd, n, 0, NULL, out);
	}
	zk_buf_putc(out, '\n');
}

static int flush_out(zk_buf_t *out)
{
	if (out->err)
		return die(EX_IO, "out of memory");
	if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
		return die(EX_IO, "write error: %s", strerror(errno));
	if (fflush(stdout) != 0)
		return die(EX_IO, "write error: %s", strerror(errno));
	return EX_OK;
}

/* ------------------------------------------------------ key collection */

typedef struct key {
	zk_name_t owner;
	uint16_t rclass;
	uint8_t rd[ZK_KEYFILE_RDMAX];
	size_t rdlen;
} dkey_t;

typedef struct keylist {
	dkey_t *v;
	size_t n, cap;
	const zk_name_t *only; /* -f zone: DNSKEYs at this owner only */
} keylist_t;

static void keylist_add(keylist_t *l, const zk_name_t *owner, uint16_t rclass, const uint8_t *rd,
                        size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = zk_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	zk_name_copy(&l->v[l->n].owner, owner);
	l->v[l->n].rclass = rclass;
	memcpy(l->v[l->n].rd, rd, n);
	l->v[l->n].rdlen = n;
	l->n++;
}

static int collect_dnskey(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	keylist_t *l = ctx;
	(void)loc;
	if (rr->type != ZK_TYPE_DNSKEY || rr->rdlen < 5 || rr->rdlen > ZK_KEYFILE_RDMAX)
		return 0;
	if (l->only != NULL && !zk_name_eq(rr->owner, l->only))
		return 0;
	keylist_add(l, rr->owner, rr->rclass, rr->rdata, rr->rdlen);
	return 0;
}

static void zf_msg(void *ctx, int severity, const zk_errctx_t *ec)
{
	char buf[512];
	(void)ctx;
	zk_errctx_format(ec, buf, sizeof buf);
	fprintf(stderr, "%s: %s%s\n", prog, severity == ZK_ZF_WARNING ? "warning: " : "", buf);
}

static int key_cmp(const void *pa, const void *pb)
{
	const dkey_t *a = pa, *b = pb;
	int r = zk_name_cmp(&a->owner, &b->owner);
	return r ? r : zk_rdata_cmp(a->rd, a->rdlen, b->rd, b->rdlen);
}

/* DNSKEYs of a zone file ("-": stdin), as dnssec-dsfromkey -f reads them. */
static int read_zone_keys(const char *file, const char *zone, keylist_t *l)
{
	zk_zf_opts_t o;
	zk_errctx_t ec;
	zk_name_t origin;
	int rc;
	zk_errctx_init(&ec);
	zk_zf_opts_init(&o);
	if (zone != NULL) {
		if (zk_name_from_text(&origin, zone, strlen(zone), NULL, &ec) != 0)
			return die(EX_USAGE, "bad zone name '%s': %s", zone, ec.msg);
		o.origin = &origin;
		l->only = &origin;
	}
	/* Output of zdig/dig has a TTL on every line; a bare key file has
	 * none, so take a default rather than refuse it. */
	o.have_default_ttl = true;
	o.default_ttl = 3600;
	o.no_include = strcmp(file, "-") == 0;
	o.on_rr = collect_dnskey;
	o.on_msg = zf_msg;
	o.ctx = l;
	if (strcmp(file, "-") == 0) {
		zk_buf_t in;
		char chunk[65536];
		size_t got;
		zk_buf_init(&in);
		while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			zk_buf_put(&in, chunk, got);
		if (ferror(stdin)) {
			zk_buf_free(&in);
			return die(EX_IO, "stdin: %s", strerror(errno));
		}
		rc =
		    zk_zonefile_parse_mem("(stdin)", in.data ? in.data : "", in.len, &o, NULL, &ec);
		zk_buf_free(&in);
	} else {
		rc = zk_zonefile_parse_file(file, &o, NULL, &ec);
	}
	if (rc != 0) {
		char buf[512];
		if (rc == ZK_ESYNTAX || rc == ZK_ELIMIT)
			return EX_INPUT; /* already reported line by line */
		zk_errctx_format(&ec, buf, sizeof buf);
		return die(exit_for(rc), "%s", buf);
	}
	/* BIND hands out the key RRset in canonical order. */
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, key_cmp);
	return EX_OK;
}

/* ------------------------------------------------------------- ds, cds */

static int parse_digests(const char *arg, uint8_t *dt, size_t *ndt)
{
	if (strcasecmp(arg, "all") == 0) {
		static const uint8_t all[] = {ZK_DS_SHA1, ZK_DS_SHA256, ZK_DS_SHA384};
		for (size_t i = 0; i < sizeof all; i++)
			if (*ndt < 8)
				dt[(*ndt)++] = all[i];
		return 0;
	}
	if (*ndt >= 8 || zk_ds_digest_from_text(arg, &dt[*ndt]) != 0)
		return -1;
	(*ndt)++;
	return 0;
}

static int ds_main(int argc, char **argv, bool cds)
{
	static const struct option longopts[] = {
	    {"delete", no_argument, NULL, 'X'},
	    {"no-cds", no_argument, NULL, 'S'},
	    {"no-cdnskey", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint8_t dt[8];
	size_t ndt = 0;
	uint32_t ttl = 0;
	bool has_ttl = false, all = false, del = false, want_cds = true, want_cdnskey = cds;
	const char *file = NULL;
	keylist_t keys = {NULL, 0, 0, NULL};
	zk_buf_t out;
	zk_errctx_t ec;
	int c, rc = EX_OK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:T:Af:h12", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (parse_digests(optarg, dt, &ndt) != 0)
				return die(EX_USAGE,
				           "unknown digest '%s' (sha1, sha256, sha384, all)",
				           optarg);
			break;
		case '1': parse_digests("1", dt, &ndt); break;
		case '2': parse_digests("2", dt, &ndt); break;
		case 'T':
			if (!parse_u32(optarg, &ttl))
				return die(EX_USAGE, "bad TTL '%s'", optarg);
			has_ttl = true;
			break;
		case 'A': all = true; break;
		case 'f': file = optarg; break;
		case 'X': del = true; break;
		case 'S': want_cds = false; break;
		case 'N': want_cdnskey = false; break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (!cds && (del || !want_cds))
		return die(EX_USAGE, "--delete and --no-cds are for 'cds'");
	if (ndt == 0)
		dt[ndt++] = ZK_DS_SHA256; /* dnssec-dsfromkey's default */
	/* dnssec-dsfromkey prints each digest once, in type order. */
	for (size_t i = 1; i < ndt; i++)
		for (size_t j = i; j > 0 && dt[j - 1] > dt[j]; j--) {
			uint8_t t = dt[j];
			dt[j] = dt[j - 1];
			dt[j - 1] = t;
		}
	for (size_t i = 1; i < ndt; i++)
		if (dt[i] == dt[i - 1]) {
			memmove(dt + i, dt + i + 1, ndt - i - 1);
			ndt--;
			i--;
		}
	zk_errctx_init(&ec);
	zk_buf_init(&out);

	if (del) {
		/* RFC 8078 §4: "CDS 0 0 0 00" and "CDNSKEY 0 3 0 AA==". */
		static const uint8_t cds0[5] = {0, 0, 0, 0, 0}, cdnskey0[5] = {0, 0, 3, 0, 0};
		zk_name_t zone;
		if (argc - optind != 1 || file != NULL)
			return die(EX_USAGE, "--delete takes exactly one zone name");
		if (zk_name_from_text(&zone, argv[optind], strlen(argv[optind]), NULL, &ec) != 0)
			return die(EX_USAGE, "bad zone name '%s': %s", argv[optind], ec.msg);
		if (want_cds)
			put_rr(&out, &zone, has_ttl, ttl, ZK_TYPE_CDS, cds0, sizeof cds0, " ");
		if (want_cdnskey)
			put_rr(&out, &zone, has_ttl, ttl, ZK_TYPE_CDNSKEY, cdnskey0,
			       sizeof cdnskey0, " ");
		rc = flush_out(&out);
		zk_buf_free(&out);
		return rc;
	}

	if (file != NULL) {
		if (argc - optind > 1)
			return die(EX_USAGE, "-f takes at most one zone name");
		rc = read_zone_keys(file, optind < argc ? argv[optind] : NULL, &keys);
		if (rc != EX_OK)
			goto done;
	} else {
		if (optind == argc) {
			usage(stderr);
			return EX_USAGE;
		}
		all = true; /* named key files: every key, as dnssec-dsfromkey */
		for (int i = optind; i < argc; i++) {
			zk_keyfile_t kf;
			zk_keyfile_init(&kf);
			if (zk_keyfile_read(&kf, argv[i], false, &ec) != 0) {
				rc = die(exit_for(ec.code), "%s", ec.msg);
				goto done;
			}
			zk_keyfile_clear(&kf);
			if (kf.type != ZK_TYPE_DNSKEY) {
				rc = die(EX_INPUT, "%s: a KEY record (SIG(0) key) has no DS",
				         argv[i]);
				goto done;
			}
			keylist_add(&keys, &kf.owner, kf.rclass, kf.rdata, kf.rdlen);
		}
	}

	for (int pass = 0; pass < 2; pass++) {
		uint16_t type = pass == 0 ? (cds ? ZK_TYPE_CDS : ZK_TYPE_DS) : ZK_TYPE_CDNSKEY;
		if ((pass == 0 && !want_cds) || (pass == 1 && !want_cdnskey))
			continue;
		for (size_t i = 0; i < keys.n; i++) {
			const dkey_t *k = &keys.v[i];
			uint16_t flags = zk_get_u16(k->rd);
			/* A revoked key is never delegated to (RFC 5011 §2.1);
			 * without -A only keys with the SEP bit, as BIND does. */
			if (flags & ZK_DNSKEY_REVOKE)
				continue;
			if (!all && !(flags & ZK_DNSKEY_SEP))
				continue;
			if (!zk_alg_supported(k->rd[3]) && zk_alg_name(k->rd[3]) == NULL)
				fprintf(stderr, "%s: warning: key %u has unknown algorithm %u\n",
				        prog, zk_dnssec_keytag(k->rd, k->rdlen), k->rd[3]);
			if (pass == 1) {
				put_rr(&out, &k->owner, has_ttl, ttl, type, k->rd, k->rdlen, " ");
				continue;
			}
			for (size_t d = 0; d < ndt; d++) {
				uint8_t ds[4 + ZK_MD_MAXSIZE];
				size_t dl = 0;
				if (zk_dnssec_ds(&k->owner, k->rd, k->rdlen, dt[d], ds, sizeof ds,
				                 &dl, &ec) != 0) {
					rc = die(EX_INPUT, "%s", ec.msg);
					goto done;
				}
				put_rr(&out, &k->owner, has_ttl, ttl, type, ds, dl, " ");
			}
		}
	}
	rc = flush_out(&out);
done:
	zk_buf_free(&out);
	free(keys.v);
	return rc;
}

/* -------------------------------------------------------------- keyset */

/* Times as every zkit tool takes them (common/opt): YYYYMMDDHHMMSS,
 * seconds since the epoch, now, [now]+D or -D with units. */
static int parse_time(const char *s, int64_t now, int64_t *out)
{
	return zk_opt_time_parse(s, now, out, NULL) == 0 ? 0 : -1;
}

static int keyset_main(int argc, char **argv)
{
	static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
	                                         {NULL, 0, NULL, 0}};
	const char *ksk[16], *zsk[64], *outfile = NULL, *start = NULL, *end = NULL;
	size_t nk = 0, nz = 0, nkeys = 0;
	zk_keyfile_t *kf = NULL;
	zk_rr_t *rrs = NULL;
	uint32_t ttl = 0;
	bool has_ttl = false;
	int64_t now = (int64_t)time(NULL), inc, exp;
	zk_errctx_t ec;
	zk_buf_t out;
	char stamp1[15], stamp2[15], owner[ZK_NAME_TEXTMAX];
	int c, rc = EX_OK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:z:s:e:o:L:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (nk == sizeof ksk / sizeof ksk[0])
				return die(EX_USAGE, "too many -k keys");
			ksk[nk++] = optarg;
			break;
		case 'z':
			if (nz == sizeof zsk / sizeof zsk[0])
				return die(EX_USAGE, "too many -z keys");
			zsk[nz++] = optarg;
			break;
		case 's': start = optarg; break;
		case 'e': end = optarg; break;
		case 'o': outfile = optarg; break;
		case 'L':
			if (!parse_u32(optarg, &ttl))
				return die(EX_USAGE, "bad TTL '%s'", optarg);
			has_ttl = true;
			break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (nk == 0 || optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	/* dnssec-signzone's defaults: an hour ago, for 30 days. */
	inc = now - 3600;
	if (start != NULL && parse_time(start, now, &inc) != 0)
		return die(EX_USAGE, "bad start time '%s'", start);
	exp = inc + 30 * 86400;
	if (end != NULL && parse_time(end, inc, &exp) != 0)
		return die(EX_USAGE, "bad end time '%s'", end);
	if (exp <= inc)
		return die(EX_USAGE, "end time is not after start time");
	/* RFC 4034 §3.1.5: 32-bit serial arithmetic cannot span 2^31 s. */
	if (exp - inc >= INT64_C(0x7fffffff))
		return die(EX_USAGE, "validity window longer than 68 years");

	zk_errctx_init(&ec);
	zk_buf_init(&out);
	kf = zk_xcalloc(nk + nz, sizeof *kf);
	rrs = zk_xcalloc(nk + nz, sizeof *rrs);
	for (size_t i = 0; i < nk + nz; i++) {
		const char *path = i < nk ? ksk[i] : zsk[i - nk];
		zk_keyfile_init(&kf[i]);
		nkeys = i + 1;
		if (zk_keyfile_read(&kf[i], path, i < nk, &ec) != 0) {
			rc = die(exit_for(ec.code), "%s", ec.msg);
			goto done;
		}
		if (kf[i].type != ZK_TYPE_DNSKEY) {
			rc = die(EX_INPUT, "%s: not a DNSKEY", path);
			goto done;
		}
		if (!zk_name_eq(&kf[i].owner, &kf[0].owner) || kf[i].rclass != kf[0].rclass) {
			rc = die(EX_INPUT, "%s: key is for another zone than %s", path, ksk[0]);
			goto done;
		}
		for (size_t j = 0; j < i; j++)
			if (kf[j].rdlen == kf[i].rdlen &&
			    memcmp(kf[j].rdata, kf[i].rdata, kf[i].rdlen) == 0) {
				rc = die(EX_USAGE, "%s: the same key is given twice", path);
				goto done;
			}
		if (i < nk && !(kf[i].flags & ZK_DNSKEY_SEP))
			fprintf(stderr, "%s: warning: %s has no SEP flag (not a KSK)\n", prog,
			        path);
	}
	if (!has_ttl)
		ttl = kf[0].has_ttl ? kf[0].ttl : 3600;
	for (size_t i = 0; i < nkeys; i++) {
		rrs[i].owner = &kf[0].owner;
		rrs[i].type = ZK_TYPE_DNSKEY;
		rrs[i].rclass = kf[0].rclass;
		rrs[i].ttl = ttl;
		rrs[i].rdlen = (uint16_t)kf[i].rdlen;
		rrs[i].rdata = kf[i].rdata;
	}

	zk_name_to_cstr(&kf[0].owner, owner, sizeof owner);
	zk_keytime_to_text(inc, stamp1);
	zk_keytime_to_text(exp, stamp2);
	zk_buf_printf(&out, "; DNSKEY RRset of %s signed by %zu KSK(s), valid %s to %s\n", owner,
	              nk, stamp1, stamp2);
	zk_buf_printf(&out, "; zkeysign keyset: load with zsign --keyset\n");
	for (size_t i = 0; i < nkeys; i++)
		put_rr(&out, &kf[0].owner, true, ttl, ZK_TYPE_DNSKEY, kf[i].rdata, kf[i].rdlen,
		       "\t");
	for (size_t i = 0; i < nk; i++) {
		uint8_t sig[ZK_RRSIG_FIXED + ZK_NAME_MAXLEN + 1024];
		size_t sl = 0;
		if (zk_dnssec_sign(kf[i].key, kf[i].keytag, &kf[0].owner, rrs, nkeys, (uint32_t)inc,
		                   (uint32_t)exp, sig, sizeof sig, &sl, &ec) != 0) {
			rc = die(EX_INPUT, "%s: %s", ksk[i], ec.msg);
			goto done;
		}
		/* Check what we hand out: a bad signature must not reach a zone. */
		if (zk_dnssec_verify(kf[i].rdata, kf[i].rdlen, sig, sl, rrs, nkeys, &ec) != 0) {
			rc = die(EX_INPUT, "%s: own signature does not verify: %s", ksk[i], ec.msg);
			goto done;
		}
		put_rr(&out, &kf[0].owner, true, ttl, ZK_TYPE_RRSIG, sig, sl, "\t");
	}
	if (out.err) {
		rc = die(EX_IO, "out of memory");
		goto done;
	}
	if (outfile != NULL && strcmp(outfile, "-") != 0) {
		if (zk_file_write_atomic(outfile, out.data, out.len, 0644, true, &ec) != 0)
			rc = die(EX_IO, "%s", ec.msg);
	} else {
		rc = flush_out(&out);
	}
done:
	for (size_t i = 0; i < nkeys; i++)
		zk_keyfile_clear(&kf[i]);
	free(kf);
	free(rrs);
	zk_buf_free(&out);
	return rc;
}

/* -------------------------------------------------------------- verify */

typedef struct frag {
	zk_arena_t *a;
	zk_rr_t *keys, *sigs;
	size_t nkeys, nsigs, capk, caps;
	unsigned other;
} frag_t;

static int collect_frag(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	frag_t *f = ctx;
	zk_rr_t copy = *rr;
	(void)loc;
	if (rr->type == ZK_TYPE_RRSIG &&
	    (rr->rdlen < 2 || zk_get_u16(rr->rdata) != ZK_TYPE_DNSKEY)) {
		f->other++;
		return 0;
	}
	if (rr->type != ZK_TYPE_DNSKEY && rr->type != ZK_TYPE_RRSIG) {
		f->other++;
		return 0;
	}
	copy.owner = zk_name_dup(f->a, rr->owner);
	copy.rdata = zk_arena_memdup(f->a, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	if (copy.owner == NULL || copy.rdata == NULL)
		return ZK_ENOMEM;
	if (rr->type == ZK_TYPE_DNSKEY) {
		if (f->nkeys == f->capk) {
			f->capk = f->capk ? 2 * f->capk : 8;
			f->keys = zk_xrealloc(f->keys, f->capk * sizeof *f->keys);
		}
		f->keys[f->nkeys++] = copy;
	} else {
		if (f->nsigs == f->caps) {
			f->caps = f->caps ? 2 * f->caps : 8;
			f->sigs = zk_xrealloc(f->sigs, f->caps * sizeof *f->sigs);
		}
		f->sigs[f->nsigs++] = copy;
	}
	return 0;
}

static int verify_main(int argc, char **argv)
{
	frag_t f;
	zk_zf_opts_t o;
	zk_errctx_t ec;
	int64_t now = (int64_t)time(NULL);
	unsigned good = 0;
	int c, rc = EX_OK;
	optind = 1;
	while ((c = getopt(argc, argv, "t:h")) != -1) {
		switch (c) {
		case 't':
			if (parse_time(optarg, now, &now) != 0)
				return die(EX_USAGE, "bad time '%s'", optarg);
			break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EX_USAGE;
	}
	memset(&f, 0, sizeof f);
	f.a = zk_arena_new(0);
	if (f.a == NULL)
		return die(EX_IO, "out of memory");
	zk_errctx_init(&ec);
	zk_zf_opts_init(&o);
	o.no_include = true;
	o.on_rr = collect_frag;
	o.on_msg = zf_msg;
	o.ctx = &f;
	rc = zk_zonefile_parse_file(argv[optind], &o, NULL, &ec);
	if (rc != 0) {
		char buf[512];
		zk_errctx_format(&ec, buf, sizeof buf);
		if (rc != ZK_ESYNTAX && rc != ZK_ELIMIT)
			fprintf(stderr, "%s: %s\n", prog, buf);
		rc = rc == ZK_EIO || rc == ZK_ENOENT ? EX_IO : EX_INPUT;
		goto done;
	}
	if (f.nkeys == 0 || f.nsigs == 0 || f.other > 0) {
		rc = die(EX_INPUT,
		         "%s: expected a DNSKEY RRset and its RRSIGs only (%zu keys, %zu "
		         "signatures, %u other records)",
		         argv[optind], f.nkeys, f.nsigs, f.other);
		goto done;
	}
	if (zk_dnssec_verify_keyset(f.keys, f.nkeys, f.sigs, f.nsigs, (uint32_t)now, &good, &ec) !=
	    0) {
		rc = die(EX_INPUT, "%s", ec.msg);
		goto done;
	}
	printf("%s: %zu DNSKEY(s), %u valid RRSIG(s)\n", argv[optind], f.nkeys, good);
	rc = fflush(stdout) == 0 ? EX_OK : EX_IO;
done:
	free(f.keys);
	free(f.sigs);
	zk_arena_free(f.a);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd;
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return EX_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
		return EX_OK;
	}
	if (strcmp(cmd, "ds") == 0)
		return ds_main(argc - 1, argv + 1, false);
	if (strcmp(cmd, "cds") == 0)
		return ds_main(argc - 1, argv + 1, true);
	if (strcmp(cmd, "keyset") == 0)
		return keyset_main(argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return verify_main(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s' (ds, cds, keyset, verify)\n", prog, cmd);
	return EX_USAGE;
}
