/* zkeygen — DNSSEC and SIG(0) keys in BIND's key file format, TSIG
 * secrets. Thin: options here, the work in common/crypto, keyfile. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "alloc.h"
#include "crypto.h"
#include "dnssec.h"
#include "encode.h"
#include "keyfile.h"
#include "rrtype.h"

/* Exit codes (man/zkeygen.1). */
enum { EX_OK = 0, EX_USAGE = 1, EX_INPUT = 2, EX_IO = 3 };

static const char *prog = "zkeygen";

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-a alg] [-b bits] [-f KSK|REVOKE] [-n ZONE|HOST|USER] [-T DNSKEY|KEY]\n"
	    "               [-K dir] [-L ttl] [-P|-A|-R|-I|-D date] [--pem file] [-q] name\n"
	    "       %s -t hmac-sha256 [-b bits] [--format bind|knot|nsupdate-y|json] [keyname]\n"
	    "       %s -h | -V\n",
	    prog, prog, prog);
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

/* Map a core error to our exit codes. */
static int exit_for(int rc)
{
	switch (rc) {
	case ZK_EIO:
	case ZK_EEXIST: return EX_IO;
	case ZK_ERANGE:
	case ZK_EINVAL: return EX_USAGE;
	default: return EX_INPUT;
	}
}

/* ---------------------------------------------------------------- TSIG */

static const struct {
	const char *name;
	zk_md_t md;
} tsig_algs[] = {
    {"hmac-md5", ZK_MD_MD5},       {"hmac-sha1", ZK_MD_SHA1},     {"hmac-sha224", ZK_MD_SHA224},
    {"hmac-sha256", ZK_MD_SHA256}, {"hmac-sha384", ZK_MD_SHA384}, {"hmac-sha512", ZK_MD_SHA512},
};

static int tsig_main(const char *alg, unsigned bits, const char *format, const char *keyname)
{
	const char *an = NULL;
	zk_md_t md = 0;
	uint8_t secret[128];
	size_t len;
	zk_buf_t b64;
	zk_name_t n;
	int rc = EX_OK;
	/* "hmac-md5.sig-alg.reg.int" is the RFC 8945 name of hmac-md5. */
	for (size_t i = 0; i < sizeof tsig_algs / sizeof tsig_algs[0]; i++)
		if (strcasecmp(alg, tsig_algs[i].name) == 0 ||
		    (tsig_algs[i].md == ZK_MD_MD5 &&
		     strcasecmp(alg, "hmac-md5.sig-alg.reg.int") == 0)) {
			an = tsig_algs[i].name;
			md = tsig_algs[i].md;
		}
	if (an == NULL)
		return die(EX_USAGE,
		           "unknown TSIG algorithm '%s' (hmac-md5, hmac-sha1, hmac-sha224, "
		           "hmac-sha256, hmac-sha384, hmac-sha512)",
		           alg);
	if (bits == 0)
		bits = (unsigned)zk_md_size(md) * 8;
	/* RFC 8945 §6: keys shorter than the digest weaken it; longer than
	 * the hash block are hashed first, so more is pointless. */
	if (bits < 8 || bits > 1024)
		return die(EX_USAGE, "TSIG secret size must be 8..1024 bits, not %u", bits);
	if (zk_name_from_text(&n, keyname, strlen(keyname), NULL, NULL) != 0 ||
	    strchr(keyname, '"') || strchr(keyname, ':'))
		return die(EX_USAGE, "bad key name '%s'", keyname);
	len = (bits + 7) / 8;
	if (zk_random_bytes(secret, len) != 0)
		return die(EX_IO, "no random numbers");
	zk_buf_init(&b64);
	zk_base64_encode(&b64, secret, len);
	zk_crypto_cleanse(secret, sizeof secret);
	if (b64.err) {
		zk_buf_free(&b64);
		return die(EX_IO, "out of memory");
	}
	if (strcmp(format, "bind") == 0) {
		printf("key \"%s\" {\n\talgorithm %s;\n\tsecret \"%s\";\n};\n", keyname, an,
		       b64.data);
	} else if (strcmp(format, "knot") == 0) {
		/* As knot's keymgr -t prints it. */
		printf("# %s:%s:%s\nkey:\n  - id: %s\n    algorithm: %s\n    secret: %s\n", an,
		       keyname, b64.data, keyname, an, b64.data);
	} else if (strcmp(format, "nsupdate-y") == 0) {
		printf("%s:%s:%s\n", an, keyname, b64.data);
	} else if (strcmp(format, "json") == 0) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "name", keyname, "algorithm", an, "secret",
		                      b64.data);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s == NULL)
			rc = die(EX_IO, "out of memory");
		else
			printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		rc = die(EX_USAGE, "unknown format '%s' (bind, knot, nsupdate-y, json)", format);
	}
	zk_crypto_cleanse(b64.data, b64.cap);
	zk_buf_free(&b64);
	if (rc == EX_OK && fflush(stdout) != 0)
		rc = die(EX_IO, "write error: %s", strerror(errno));
	return rc;
}

/* ---------------------------------------------------------------- keys */

typedef struct params {
	uint8_t alg;
	bool alg_set;
	unsigned bits;
	bool ksk, revoke;
	const char *nametype; /* ZONE HOST USER */
	uint16_t type;
	const char *dir;
	uint32_t ttl;
	bool has_ttl;
	const char *times[ZK_KT_COUNT];
	const char *pem;
	const char *name;
} params_t;

static int read_key_pem(const params_t *p, zk_key_t **out)
{
	char *text = NULL;
	size_t n = 0;
	zk_errctx_t ec;
	int rc;
	zk_errctx_init(&ec);
	rc = zk_file_read_all(p->pem, 1 << 20, &text, &n, &ec);
	if (rc != 0)
		return die(rc == ZK_ENOENT || rc == ZK_EIO ? EX_IO : EX_INPUT, "%s", ec.msg);
	rc = zk_key_from_pem(p->alg_set ? p->alg : 0, text, n, out, &ec);
	zk_crypto_cleanse(text, n);
	free(text);
	if (rc != 0)
		return die(EX_INPUT, "%s: %s", p->pem, ec.msg);
	return EX_OK;
}

/* Read what was written, as any consumer will, and check it is the key
 * we made: a pair that does not load must not be left behind. */
static int read_back(const zk_keyfile_t *kf, const char *dir, const char *base)
{
	char path[4096];
	zk_keyfile_t back;
	zk_errctx_t ec;
	int rc;
	zk_errctx_init(&ec);
	zk_keyfile_init(&back);
	snprintf(path, sizeof path, "%s/%s", dir, base);
	rc = zk_keyfile_read(&back, path, true, &ec);
	if (rc == 0 && (back.rdlen != kf->rdlen || memcmp(back.rdata, kf->rdata, kf->rdlen) != 0 ||
	                back.keytag != kf->keytag))
		rc = zk_error(&ec, ZK_EKEY, "%s: does not read back as the key written", path);
	zk_keyfile_clear(&back);
	if (rc == 0)
		return EX_OK;
	snprintf(path, sizeof path, "%s/%s.key", dir, base);
	remove(path);
	snprintf(path, sizeof path, "%s/%s.private", dir, base);
	remove(path);
	return die(EX_IO, "%s", ec.msg);
}

static int keygen_main(const params_t *p)
{
	zk_name_t owner;
	zk_keyfile_t kf;
	zk_errctx_t ec;
	uint16_t flags, used[4096];
	size_t nused = 0;
	int64_t now = (int64_t)time(NULL), t;
	char base[ZK_NAME_TEXTMAX + 32];
	mode_t um;
	int rc, tries;
	bool set[ZK_KT_COUNT] = {false};
	zk_key_t *pemkey = NULL;
	uint8_t alg = p->alg;

	zk_errctx_init(&ec);
	if (zk_name_from_text(&owner, p->name, strlen(p->name), NULL, &ec) != 0)
		return die(EX_USAGE, "bad name '%s': %s", p->name, ec.msg);
	if (!zk_alg_supported(p->alg)) {
		const char *an = zk_alg_name(p->alg);
		return die(EX_USAGE, "algorithm %u%s%s%s is not supported", p->alg, an ? " (" : "",
		           an ? an : "", an ? ")" : "");
	}
	if (p->pem == NULL) {
		unsigned bits = p->bits ? p->bits : zk_alg_default_bits(p->alg);
		if (zk_alg_check_bits(p->alg, bits, &ec) != 0)
			return die(EX_USAGE, "%s", ec.msg);
	}

	/* RFC 4034 §2.1.1 / RFC 2535 §3.1.2: DNSKEY is always a zone key;
	 * a KEY's name type comes from -n. */
	if (p->type == ZK_TYPE_KEY) {
		if (strcasecmp(p->nametype, "HOST") == 0 || strcasecmp(p->nametype, "ENTITY") == 0)
			flags = 0x0200;
		else if (strcasecmp(p->nametype, "ZONE") == 0)
			flags = 0x0100;
		else if (strcasecmp(p->nametype, "USER") == 0)
			flags = 0x0000;
		else
			return die(EX_USAGE, "bad name type '%s' (ZONE, HOST, USER)", p->nametype);
	} else {
		if (strcasecmp(p->nametype, "ZONE") != 0)
			return die(EX_USAGE,
			           "DNSKEY keys are always -n ZONE (use -T KEY for %s keys)",
			           p->nametype);
		flags = ZK_DNSKEY_ZONE;
	}
	if (p->ksk)
		flags |= ZK_DNSKEY_SEP;
	if (p->revoke)
		flags |= ZK_DNSKEY_REVOKE;

	zk_keyfile_init(&kf);
	kf.has_ttl = p->has_ttl;
	kf.ttl = p->ttl;
	for (unsigned i = 0; i < ZK_KT_COUNT; i++) {
		if (p->times[i] == NULL)
			continue;
		if (zk_keytime_from_text(p->times[i], now, &t) != 0)
			return die(EX_USAGE, "bad %s time '%s'", zk_keytime_name(i), p->times[i]);
		kf.times[i] = t;
		set[i] = true;
	}
	/* dnssec-keygen's defaults: published and active now; without -P,
	 * published when it becomes active. */
	kf.times[ZK_KT_CREATED] = now;
	if (!set[ZK_KT_ACTIVATE])
		kf.times[ZK_KT_ACTIVATE] = now;
	if (!set[ZK_KT_PUBLISH])
		kf.times[ZK_KT_PUBLISH] = set[ZK_KT_ACTIVATE] ? kf.times[ZK_KT_ACTIVATE] : now;
	if (p->revoke && !set[ZK_KT_REVOKE])
		kf.times[ZK_KT_REVOKE] = now;

	if (p->pem != NULL) {
		rc = read_key_pem(p, &pemkey);
		if (rc != EX_OK)
			return rc;
		alg = zk_key_alg(pemkey);
	}
	rc = zk_keyfile_dir_tags(p->dir, &owner, alg, used, sizeof used / sizeof used[0], &nused,
	                         &ec);
	if (rc != 0) {
		zk_key_free(pemkey);
		return die(EX_IO, "%s", ec.msg);
	}

	/* A new key must not share a tag, or its revoked tag, with a key
	 * already in the directory (RFC 5011 §7 revocation changes tags). */
	for (tries = 0; tries < 100; tries++) {
		zk_key_t *key = NULL;
		uint16_t tag, rtag;
		bool clash = false;
		if (p->pem != NULL) {
			key = pemkey;
			pemkey = NULL;
		} else {
			rc = zk_key_generate(p->alg, p->bits, &key, &ec);
			if (rc != 0)
				return die(exit_for(rc), "%s", ec.msg);
		}
		rc = zk_keyfile_from_key(&kf, &owner, p->type, flags, key, &ec);
		if (rc != 0) {
			zk_key_free(key);
			return die(EX_INPUT, "%s", ec.msg);
		}
		tag = kf.keytag;
		zk_keyfile_set_flags(&kf, flags ^ ZK_DNSKEY_REVOKE);
		rtag = kf.keytag;
		zk_keyfile_set_flags(&kf, flags);
		for (size_t i = 0; i < nused; i++)
			if (used[i] == tag || used[i] == rtag)
				clash = true;
		if (!clash)
			break;
		if (p->pem != NULL) {
			zk_keyfile_clear(&kf);
			return die(EX_INPUT, "%s: key tag %u is already used in %s", p->pem, tag,
			           p->dir ? p->dir : ".");
		}
	}
	if (tries == 100) {
		zk_keyfile_clear(&kf);
		return die(EX_IO, "cannot find an unused key tag in %s", p->dir ? p->dir : ".");
	}
	um = umask(022);
	umask(um);
	rc = zk_keyfile_write(&kf, p->dir, 0666 & ~um, base, sizeof base, &ec);
	if (rc != 0) {
		zk_keyfile_clear(&kf);
		return die(exit_for(rc), "%s", ec.msg);
	}
	rc = read_back(&kf, p->dir, base);
	zk_keyfile_clear(&kf);
	if (rc != EX_OK)
		return rc;
	printf("%s\n", base);
	if (fflush(stdout) != 0)
		return die(EX_IO, "write error: %s", strerror(errno));
	return EX_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"pem", required_argument, NULL, 'p'},
	    {"format", required_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	params_t p;
	const char *tsig = NULL, *format = "bind";
	int c;
	memset(&p, 0, sizeof p);
	p.alg = ZK_ALG_ECDSAP256SHA256;
	p.nametype = "ZONE";
	p.type = ZK_TYPE_DNSKEY;
	p.dir = ".";
	while ((c = getopt_long(argc, argv, "a:b:f:n:T:K:L:P:A:R:I:D:qt:hV", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'a':
			if (zk_alg_from_text(optarg, &p.alg) != 0)
				return die(EX_USAGE, "unknown algorithm '%s'", optarg);
			p.alg_set = true;
			break;
		case 'b': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v > 65535)
				return die(EX_USAGE, "bad key size '%s'", optarg);
			p.bits = (unsigned)v;
			break;
		}
		case 'f':
			if (strcasecmp(optarg, "KSK") == 0)
				p.ksk = true;
			else if (strcasecmp(optarg, "REVOKE") == 0)
				p.revoke = true;
			else
				return die(EX_USAGE, "unknown flag '%s' (KSK, REVOKE)", optarg);
			break;
		case 'n': p.nametype = optarg; break;
		case 'T':
			if (strcasecmp(optarg, "DNSKEY") == 0)
				p.type = ZK_TYPE_DNSKEY;
			else if (strcasecmp(optarg, "KEY") == 0)
				p.type = ZK_TYPE_KEY;
			else
				return die(EX_USAGE, "unknown record type '%s' (DNSKEY, KEY)",
				           optarg);
			break;
		case 'K': p.dir = optarg; break;
		case 'L': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' || v > 0x7fffffffUL)
				return die(EX_USAGE, "bad TTL '%s'", optarg);
			p.ttl = (uint32_t)v;
			p.has_ttl = true;
			break;
		}
		case 'P': p.times[ZK_KT_PUBLISH] = optarg; break;
		case 'A': p.times[ZK_KT_ACTIVATE] = optarg; break;
		case 'R': p.times[ZK_KT_REVOKE] = optarg; break;
		case 'I': p.times[ZK_KT_INACTIVE] = optarg; break;
		case 'D': p.times[ZK_KT_DELETE] = optarg; break;
		case 'q': break; /* we print no progress anyway */
		case 't': tsig = optarg; break;
		case 'p': p.pem = optarg; break;
		case 'F': format = optarg; break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("%s (zkit) %s\n", prog, PACKAGE_VERSION); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (tsig != NULL) {
		if (argc - optind > 1) {
			usage(stderr);
			return EX_USAGE;
		}
		return tsig_main(tsig, p.bits, format, optind < argc ? argv[optind] : "tsig-key");
	}
	if (argc - optind != 1) {
		usage(stderr);
		return EX_USAGE;
	}
	p.name = argv[optind];
	return keygen_main(&p);
}
