/* crypto — OpenSSL 3 EVP wrappers: digests, HMAC, random, DNSSEC keys.
 *
 * Every OpenSSL call in the tree lives here. Keys are built from and
 * exported to OSSL_PARAM arrays (no deprecated RSA/EC_KEY accessors). */
#define OPENSSL_API_COMPAT    30000
#define OPENSSL_NO_DEPRECATED 1

#include "crypto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

/* ------------------------------------------------------------- digests */

static const EVP_MD *md_get(zk_md_t md)
{
	switch (md) {
	case ZK_MD_MD5: return EVP_md5();
	case ZK_MD_SHA1: return EVP_sha1();
	case ZK_MD_SHA224: return EVP_sha224();
	case ZK_MD_SHA256: return EVP_sha256();
	case ZK_MD_SHA384: return EVP_sha384();
	case ZK_MD_SHA512: return EVP_sha512();
	}
	return NULL;
}

size_t zk_md_size(zk_md_t md)
{
	static const size_t sz[] = {0, 16, 20, 28, 32, 48, 64};
	return (unsigned)md < sizeof sz / sizeof sz[0] ? sz[md] : 0;
}

const char *zk_md_name(zk_md_t md)
{
	static const char *const nm[] = {NULL,     "md5",    "sha1",  "sha224",
	                                 "sha256", "sha384", "sha512"};
	return (unsigned)md < sizeof nm / sizeof nm[0] ? nm[md] : NULL;
}

int zk_digest(zk_md_t md, const void *data, size_t n, uint8_t *out)
{
	const EVP_MD *m = md_get(md);
	unsigned int len = 0;
	if (m == NULL)
		return ZK_EINVAL;
	if (!EVP_Digest(data, n, out, &len, m, NULL))
		return ZK_ECRYPTO;
	return ZK_OK;
}

/* The digest is fetched once: starting a context with a built-in
 * EVP_sha256() and the like looks it up by name again (under a lock)
 * every time, which costs more than hashing a short input. */
struct zk_md_ctx {
	EVP_MD_CTX *ctx;
	EVP_MD *fetched; /* NULL: md is a built-in */
	const EVP_MD *md;
	bool started;
};

int zk_md_ctx_new(zk_md_t md, zk_md_ctx_t **out)
{
	zk_md_ctx_t *c;
	const EVP_MD *m = md_get(md);
	if (m == NULL)
		return ZK_EINVAL;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return ZK_ENOMEM;
	c->fetched = EVP_MD_fetch(NULL, zk_md_name(md), NULL);
	ERR_clear_error();
	c->md = c->fetched != NULL ? c->fetched : m;
	c->ctx = EVP_MD_CTX_new();
	if (c->ctx == NULL || !EVP_DigestInit_ex(c->ctx, m, NULL)) {
		zk_md_ctx_free(c);
		return ZK_ECRYPTO;
	}
	c->started = true;
	*out = c;
	return ZK_OK;
}

int zk_md_ctx_update(zk_md_ctx_t *c, const void *data, size_t n)
{
	if (!c->started) {
		if (!EVP_DigestInit_ex(c->ctx, c->md, NULL))
			return ZK_ECRYPTO;
		c->started = true;
	}
	return EVP_DigestUpdate(c->ctx, data, n) ? ZK_OK : ZK_ECRYPTO;
}

int zk_md_ctx_final(zk_md_ctx_t *c, uint8_t *out)
{
	unsigned int len = 0;
	if (!c->started && !EVP_DigestInit_ex(c->ctx, c->md, NULL))
		return ZK_ECRYPTO;
	c->started = false;
	return EVP_DigestFinal_ex(c->ctx, out, &len) ? ZK_OK : ZK_ECRYPTO;
}

void zk_md_ctx_free(zk_md_ctx_t *c)
{
	if (c == NULL)
		return;
	EVP_MD_CTX_free(c->ctx);
	EVP_MD_free(c->fetched);
	free(c);
}

/* ---------------------------------------------------------------- HMAC */

struct zk_hmac_ctx {
	EVP_MAC_CTX *ctx;
	zk_md_t md;
	uint8_t *key; /* kept so that a finished context can start again */
	size_t keylen;
	bool started;
};

static int hmac_start(zk_hmac_ctx_t *c)
{
	OSSL_PARAM params[2];
	/* OSSL_PARAM wants a non-const string; the name is only read. */
	char mdname[16];
	static const uint8_t nokey[1];
	strcpy(mdname, zk_md_name(c->md));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, mdname, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(c->ctx, c->keylen ? c->key : nokey, c->keylen, params))
		return ZK_ECRYPTO;
	c->started = true;
	return ZK_OK;
}

int zk_hmac_ctx_new(zk_md_t md, const uint8_t *key, size_t keylen, zk_hmac_ctx_t **out)
{
	zk_hmac_ctx_t *c;
	EVP_MAC *mac;
	int rc;
	if (md_get(md) == NULL)
		return ZK_EINVAL;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return ZK_ENOMEM;
	c->md = md;
	c->keylen = keylen;
	c->key = malloc(keylen ? keylen : 1);
	if (c->key == NULL) {
		free(c);
		return ZK_ENOMEM;
	}
	if (keylen)
		memcpy(c->key, key, keylen);
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac != NULL)
		c->ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (c->ctx == NULL) {
		zk_hmac_ctx_free(c);
		return ZK_ECRYPTO;
	}
	rc = hmac_start(c);
	if (rc != 0) {
		zk_hmac_ctx_free(c);
		return rc;
	}
	*out = c;
	return ZK_OK;
}

int zk_hmac_ctx_update(zk_hmac_ctx_t *c, const void *data, size_t n)
{
	if (!c->started) {
		int rc = hmac_start(c);
		if (rc != 0)
			return rc;
	}
	return EVP_MAC_update(c->ctx, data, n) ? ZK_OK : ZK_ECRYPTO;
}

int zk_hmac_ctx_final(zk_hmac_ctx_t *c, uint8_t *out)
{
	size_t len = 0;
	if (!c->started) {
		int rc = hmac_start(c);
		if (rc != 0)
			return rc;
	}
	c->started = false;
	return EVP_MAC_final(c->ctx, out, &len, zk_md_size(c->md)) ? ZK_OK : ZK_ECRYPTO;
}

void zk_hmac_ctx_free(zk_hmac_ctx_t *c)
{
	if (c == NULL)
		return;
	EVP_MAC_CTX_free(c->ctx);
	if (c->key != NULL)
		OPENSSL_cleanse(c->key, c->keylen ? c->keylen : 1);
	free(c->key);
	free(c);
}

int zk_hmac(zk_md_t md, const uint8_t *key, size_t keylen, const void *data, size_t n, uint8_t *out)
{
	zk_hmac_ctx_t *c = NULL;
	int rc = zk_hmac_ctx_new(md, key, keylen, &c);
	if (rc != 0)
		return rc;
	rc = zk_hmac_ctx_update(c, data, n);
	if (rc == 0)
		rc = zk_hmac_ctx_final(c, out);
	zk_hmac_ctx_free(c);
	return rc;
}

bool zk_crypto_memeq(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void zk_crypto_cleanse(void *p, size_t n)
{
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, n);
}

/* -------------------------------------------------------------- random */

/*
 * The kernel's CSPRNG through getrandom(2): a query ID or a cookie must not
 * pay for seeding OpenSSL's DRBG, which is more than half of a one-query
 * zdig run (8M instructions of 14M). OpenSSL only where the call is missing.
 */
int zk_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ENOSYS)
				return ZK_ECRYPTO;
			break;
		}
		p += got;
		n -= (size_t)got;
	}
	while (n > 0) {
		int chunk = n > 1 << 20 ? 1 << 20 : (int)n;
		if (RAND_bytes(p, chunk) != 1)
			return ZK_ECRYPTO;
		p += chunk;
		n -= (size_t)chunk;
	}
	return ZK_OK;
}

int zk_random_uniform(uint32_t bound, uint32_t *out)
{
	/* Reject the top partial block so every value is equally likely. */
	uint32_t limit, v;
	if (bound == 0)
		return ZK_EINVAL;
	limit = UINT32_MAX - (UINT32_MAX % bound);
	do {
		uint8_t b[4];
		if (zk_random_bytes(b, sizeof b) != 0)
			return ZK_ECRYPTO;
		v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	} while (v >= limit);
	*out = v % bound;
	return ZK_OK;
}

/* ---------------------------------------------------------- algorithms */

enum family { FAM_NONE, FAM_RSA, FAM_EC, FAM_ED };

typedef struct alginfo {
	uint8_t alg;
	const char *name;   /* BIND's mnemonic */
	enum family family; /* FAM_NONE: known, not implemented */
	zk_md_t md;
	unsigned bits;    /* default (RSA) or fixed size */
	unsigned sigsz;   /* EC/EdDSA signature size */
	const char *ossl; /* OpenSSL group or key type */
} alginfo_t;

static const alginfo_t algs[] = {
    {ZK_ALG_RSAMD5, "RSAMD5", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_DH, "DH", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_DSA, "DSA", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_RSASHA1, "RSASHA1", FAM_RSA, ZK_MD_SHA1, 2048, 0, "RSA"},
    {ZK_ALG_DSANSEC3SHA1, "NSEC3DSA", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_NSEC3RSASHA1, "NSEC3RSASHA1", FAM_RSA, ZK_MD_SHA1, 2048, 0, "RSA"},
    {ZK_ALG_RSASHA256, "RSASHA256", FAM_RSA, ZK_MD_SHA256, 2048, 0, "RSA"},
    {ZK_ALG_RSASHA512, "RSASHA512", FAM_RSA, ZK_MD_SHA512, 2048, 0, "RSA"},
    {ZK_ALG_ECCGOST, "ECCGOST", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_ECDSAP256SHA256, "ECDSAP256SHA256", FAM_EC, ZK_MD_SHA256, 256, 64, "prime256v1"},
    {ZK_ALG_ECDSAP384SHA384, "ECDSAP384SHA384", FAM_EC, ZK_MD_SHA384, 384, 96, "secp384r1"},
    {ZK_ALG_ED25519, "ED25519", FAM_ED, 0, 256, 64, "ED25519"},
    {ZK_ALG_ED448, "ED448", FAM_ED, 0, 456, 114, "ED448"},
    {ZK_ALG_PRIVATEDNS, "PRIVATEDNS", FAM_NONE, 0, 0, 0, NULL},
    {ZK_ALG_PRIVATEOID, "PRIVATEOID", FAM_NONE, 0, 0, 0, NULL},
};

/* Other spellings in use: BIND's short forms, ldns' names. */
static const struct {
	const char *name;
	uint8_t alg;
} alg_aliases[] = {
    {"RSASHA1-NSEC3-SHA1", ZK_ALG_NSEC3RSASHA1}, {"DSA-NSEC3-SHA1", ZK_ALG_DSANSEC3SHA1},
    {"ECDSA256", ZK_ALG_ECDSAP256SHA256},        {"ECDSA384", ZK_ALG_ECDSAP384SHA384},
    {"ECDSAP256", ZK_ALG_ECDSAP256SHA256},       {"ECDSAP384", ZK_ALG_ECDSAP384SHA384},
};

static const alginfo_t *alg_get(uint8_t alg)
{
	for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

static const alginfo_t *alg_impl(uint8_t alg)
{
	const alginfo_t *a = alg_get(alg);
	return a != NULL && a->family != FAM_NONE ? a : NULL;
}

const char *zk_alg_name(uint8_t alg)
{
	const alginfo_t *a = alg_get(alg);
	return a ? a->name : NULL;
}

int zk_alg_from_text(const char *s, uint8_t *alg)
{
	char *end;
	unsigned long v;
	if (s == NULL || *s == '\0')
		return ZK_EINVAL;
	for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
		if (strcasecmp(s, algs[i].name) == 0) {
			*alg = algs[i].alg;
			return ZK_OK;
		}
	for (size_t i = 0; i < sizeof alg_aliases / sizeof alg_aliases[0]; i++)
		if (strcasecmp(s, alg_aliases[i].name) == 0) {
			*alg = alg_aliases[i].alg;
			return ZK_OK;
		}
	if (*s < '0' || *s > '9')
		return ZK_EINVAL;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > 255)
		return ZK_EINVAL;
	*alg = (uint8_t)v;
	return ZK_OK;
}

bool zk_alg_supported(uint8_t alg)
{
	return alg_impl(alg) != NULL;
}

unsigned zk_alg_default_bits(uint8_t alg)
{
	const alginfo_t *a = alg_impl(alg);
	return a ? a->bits : 0;
}

int zk_alg_check_bits(uint8_t alg, unsigned bits, zk_errctx_t *ec)
{
	const alginfo_t *a = alg_impl(alg);
	if (a == NULL)
		return zk_error(ec, ZK_EUNSUPP, "algorithm %u is not supported", alg);
	if (a->family == FAM_RSA) {
		/* RFC 8624 §3.1 and every current signer: RSA below 1024 bits
		 * is breakable; RFC 3110 caps the modulus at 4096. */
		if (bits < 1024)
			return zk_error(
			    ec, ZK_ERANGE,
			    "%u-bit RSA keys are unsafe: use at least 1024 bits (2048 recommended)",
			    bits);
		if (bits > 4096)
			return zk_error(ec, ZK_ERANGE, "RSA keys are limited to 4096 bits");
		return ZK_OK;
	}
	if (bits != a->bits)
		return zk_error(ec, ZK_ERANGE, "%s keys have a fixed size of %u bits", a->name,
		                a->bits);
	return ZK_OK;
}

zk_md_t zk_alg_md(uint8_t alg)
{
	const alginfo_t *a = alg_impl(alg);
	return a ? a->md : 0;
}

/* ---------------------------------------------------------------- keys */

/* A zone signer makes one signature per RRset. Initialising a signing
 * context from the key looks up the signature method, the key manager and
 * the digest by name in OpenSSL 3, under a lock and with several
 * allocations; a tenth of the work per ECDSA signature. So each key keeps
 * a context initialised once (sign: private keys only, verify: all) and
 * every operation starts from a copy of it. Copying reads the template
 * only, so threads share one key without a lock. */
struct zk_key {
	const alginfo_t *info;
	EVP_PKEY *pkey;
	bool priv;
	EVP_MD_CTX *sign_tpl;   /* NULL: initialise per call */
	EVP_MD_CTX *verify_tpl; /* NULL: initialise per call */
};

static EVP_MD_CTX *ctx_init(const zk_key_t *k, bool sign)
{
	const alginfo_t *a = k->info;
	const char *md = a->family == FAM_ED ? NULL : zk_md_name(a->md);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;
	if (ctx == NULL)
		return NULL;
	ok = sign ? EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, k->pkey, NULL)
	          : EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, k->pkey, NULL);
	if (ok <= 0) {
		EVP_MD_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* A context ready for one sign or verify operation, to be freed. */
static EVP_MD_CTX *ctx_start(const zk_key_t *k, bool sign)
{
	const EVP_MD_CTX *tpl = sign ? k->sign_tpl : k->verify_tpl;
	EVP_MD_CTX *ctx;
	if (tpl == NULL)
		return ctx_init(k, sign);
	ctx = EVP_MD_CTX_new();
	if (ctx != NULL && !EVP_MD_CTX_copy_ex(ctx, tpl)) {
		EVP_MD_CTX_free(ctx);
		ERR_clear_error();
		return ctx_init(k, sign);
	}
	return ctx;
}

static int key_wrap(const alginfo_t *a, EVP_PKEY *pkey, bool priv, zk_key_t **out)
{
	zk_key_t *k = calloc(1, sizeof *k);
	if (k == NULL) {
		EVP_PKEY_free(pkey);
		return ZK_ENOMEM;
	}
	k->info = a;
	k->pkey = pkey;
	k->priv = priv;
	/* Templates are an optimisation: without one, each call initialises.
	 * Public keys are mostly made for one verification (a DNSKEY from a
	 * zone), where a template would double the work; a signer verifies
	 * with its private key object. */
	if (priv) {
		k->sign_tpl = ctx_init(k, true);
		k->verify_tpl = ctx_init(k, false);
		ERR_clear_error();
	}
	*out = k;
	return ZK_OK;
}

void zk_key_free(zk_key_t *k)
{
	if (k == NULL)
		return;
	EVP_MD_CTX_free(k->sign_tpl);
	EVP_MD_CTX_free(k->verify_tpl);
	EVP_PKEY_free(k->pkey);
	free(k);
}

uint8_t zk_key_alg(const zk_key_t *k)
{
	return k->info->alg;
}

bool zk_key_is_private(const zk_key_t *k)
{
	return k->priv;
}

unsigned zk_key_bits(const zk_key_t *k)
{
	if (k->info->family == FAM_RSA)
		return (unsigned)EVP_PKEY_get_bits(k->pkey);
	return k->info->bits;
}

size_t zk_key_sig_size(const zk_key_t *k)
{
	if (k->info->family == FAM_RSA)
		return (size_t)EVP_PKEY_get_size(k->pkey);
	return k->info->sigsz;
}

int zk_key_generate(uint8_t alg, unsigned bits, zk_key_t **out, zk_errctx_t *ec)
{
	const alginfo_t *a = alg_impl(alg);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int rc;
	if (a == NULL)
		return zk_error(ec, ZK_EUNSUPP, "algorithm %u is not supported", alg);
	if (bits == 0)
		bits = a->bits;
	rc = zk_alg_check_bits(alg, bits, ec);
	if (rc != 0)
		return rc;
	switch (a->family) {
	case FAM_RSA:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
		if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) <= 0)
			goto fail;
		break;
	case FAM_EC:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_group_name(ctx, a->ossl) <= 0)
			goto fail;
		break;
	case FAM_ED:
		ctx = EVP_PKEY_CTX_new_from_name(NULL, a->ossl, NULL);
		if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0)
			goto fail;
		break;
	default: goto fail;
	}
	if (EVP_PKEY_generate(ctx, &pkey) <= 0)
		goto fail;
	EVP_PKEY_CTX_free(ctx);
	return key_wrap(a, pkey, true, out);
fail:
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return zk_error(ec, ZK_ECRYPTO, "%s key generation failed", a->name);
}

/* Big-endian octets of a BIGNUM parameter, zero-padded to pad (0: minimal). */
static int get_bn(const EVP_PKEY *pkey, const char *param, size_t pad, uint8_t **out, size_t *len)
{
	BIGNUM *bn = NULL;
	size_t n;
	uint8_t *buf;
	if (!EVP_PKEY_get_bn_param(pkey, param, &bn))
		return ZK_ECRYPTO;
	n = (size_t)BN_num_bytes(bn);
	if (pad > 0) {
		if (n > pad) {
			BN_clear_free(bn);
			return ZK_EKEY;
		}
		n = pad;
	}
	buf = malloc(n ? n : 1);
	if (buf == NULL) {
		BN_clear_free(bn);
		return ZK_ENOMEM;
	}
	if (BN_bn2binpad(bn, buf, (int)n) < 0) {
		BN_clear_free(bn);
		free(buf);
		return ZK_ECRYPTO;
	}
	BN_clear_free(bn);
	*out = buf;
	*len = n;
	return ZK_OK;
}

int zk_key_public(const zk_key_t *k, uint8_t *out, size_t cap, size_t *outlen)
{
	uint8_t *n = NULL, *e = NULL, *x = NULL, *y = NULL;
	size_t nl = 0, el = 0, xl = 0, yl = 0, len = 0;
	int rc = ZK_OK;
	switch (k->info->family) {
	case FAM_RSA:
		/* RFC 3110 §2: exponent length in one octet, or zero and two. */
		if ((rc = get_bn(k->pkey, OSSL_PKEY_PARAM_RSA_N, 0, &n, &nl)) != 0 ||
		    (rc = get_bn(k->pkey, OSSL_PKEY_PARAM_RSA_E, 0, &e, &el)) != 0)
			break;
		len = (el > 255 ? 3 : 1) + el + nl;
		if (len > cap) {
			rc = ZK_ESPACE;
			break;
		}
		if (el > 255) {
			out[0] = 0;
			out[1] = (uint8_t)(el >> 8);
			out[2] = (uint8_t)el;
			memcpy(out + 3, e, el);
			memcpy(out + 3 + el, n, nl);
		} else {
			out[0] = (uint8_t)el;
			memcpy(out + 1, e, el);
			memcpy(out + 1 + el, n, nl);
		}
		break;
	case FAM_EC: {
		/* RFC 6605 §4: X | Y, each as wide as the field. */
		size_t w = k->info->bits / 8;
		if ((rc = get_bn(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, w, &x, &xl)) != 0 ||
		    (rc = get_bn(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, w, &y, &yl)) != 0)
			break;
		len = 2 * w;
		if (len > cap) {
			rc = ZK_ESPACE;
			break;
		}
		memcpy(out, x, w);
		memcpy(out + w, y, w);
		break;
	}
	case FAM_ED:
		/* RFC 8080 §3: the raw public key. */
		if (!EVP_PKEY_get_raw_public_key(k->pkey, NULL, &len)) {
			rc = ZK_ECRYPTO;
			break;
		}
		if (len > cap) {
			rc = ZK_ESPACE;
			break;
		}
		if (!EVP_PKEY_get_raw_public_key(k->pkey, out, &len))
			rc = ZK_ECRYPTO;
		break;
	default: rc = ZK_EUNSUPP;
	}
	free(n);
	free(e);
	free(x);
	free(y);
	ERR_clear_error();
	if (rc == 0)
		*outlen = len;
	return rc;
}

/* Build an EVP_PKEY of `type` ("RSA", "EC") from params. */
static EVP_PKEY *from_params(const char *type, int selection, OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *pkey = NULL;
	if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* Push a big-endian integer; BN kept alive by the caller's list. */
static int push_bn(OSSL_PARAM_BLD *bld, const char *name, const uint8_t *p, size_t n, BIGNUM **keep)
{
	BIGNUM *bn = BN_bin2bn(p, (int)n, NULL);
	if (bn == NULL)
		return 0;
	*keep = bn;
	return OSSL_PARAM_BLD_push_BN(bld, name, bn);
}

static int rsa_from_public(const alginfo_t *a, const uint8_t *pub, size_t n, EVP_PKEY **out,
                           zk_errctx_t *ec)
{
	size_t el, off;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *bn[2] = {NULL, NULL};
	EVP_PKEY *pkey = NULL;
	int rc = ZK_EKEY;
	/* RFC 3110 §2. */
	if (n < 1)
		return zk_error(ec, ZK_EKEY, "%s public key is empty", a->name);
	if (pub[0] != 0) {
		el = pub[0];
		off = 1;
	} else {
		if (n < 3)
			return zk_error(ec, ZK_EKEY, "%s public key is truncated", a->name);
		el = (size_t)pub[1] << 8 | pub[2];
		off = 3;
	}
	if (el == 0 || off + el >= n)
		return zk_error(ec, ZK_EKEY, "%s public key is truncated", a->name);
	if (pub[off] == 0 || pub[off + el] == 0)
		return zk_error(ec, ZK_EKEY, "%s public key has leading zero octets", a->name);
	/* Verification accepts 512 bits (RFC 5702 examples); 4096 is the
	 * RFC 3110 limit, kept with some slack for old keys. */
	if (n - off - el < 64 || n - off - el > 1024)
		return zk_error(ec, ZK_EKEY, "%s modulus of %zu bits is out of range", a->name,
		                (n - off - el) * 8);
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL ||
	    !push_bn(bld, OSSL_PKEY_PARAM_RSA_N, pub + off + el, n - off - el, &bn[0]) ||
	    !push_bn(bld, OSSL_PKEY_PARAM_RSA_E, pub + off, el, &bn[1]) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
		rc = zk_error(ec, ZK_ECRYPTO, "cannot build %s key", a->name);
		goto done;
	}
	pkey = from_params("RSA", EVP_PKEY_PUBLIC_KEY, params);
	if (pkey == NULL) {
		rc = zk_error(ec, ZK_EKEY, "bad %s public key", a->name);
		goto done;
	}
	*out = pkey;
	rc = ZK_OK;
done:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn[0]);
	BN_free(bn[1]);
	return rc;
}

/* Uncompressed point 04 | X | Y; EC key with optional private scalar. */
static EVP_PKEY *ec_build(const alginfo_t *a, const uint8_t *point, size_t plen, const BIGNUM *priv)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;
	if (bld == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, a->ossl, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, plen) ||
	    (priv != NULL && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto done;
	pkey = from_params("EC", priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
done:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static int ec_nid(const alginfo_t *a)
{
	return a->alg == ZK_ALG_ECDSAP256SHA256 ? NID_X9_62_prime256v1 : NID_secp384r1;
}

int zk_key_from_public(uint8_t alg, const uint8_t *pub, size_t n, zk_key_t **out, zk_errctx_t *ec)
{
	const alginfo_t *a = alg_impl(alg);
	EVP_PKEY *pkey = NULL;
	int rc;
	if (a == NULL)
		return zk_error(ec, ZK_EUNSUPP, "algorithm %u is not supported", alg);
	switch (a->family) {
	case FAM_RSA:
		rc = rsa_from_public(a, pub, n, &pkey, ec);
		if (rc != 0) {
			ERR_clear_error();
			return rc;
		}
		break;
	case FAM_EC: {
		uint8_t point[1 + 96];
		if (n != a->bits / 4)
			return zk_error(ec, ZK_EKEY, "%s public key must be %u octets, not %zu",
			                a->name, a->bits / 4, n);
		point[0] = 0x04;
		memcpy(point + 1, pub, n);
		pkey = ec_build(a, point, n + 1, NULL);
		break;
	}
	case FAM_ED: {
		size_t want = a->alg == ZK_ALG_ED25519 ? 32 : 57;
		if (n != want)
			return zk_error(ec, ZK_EKEY, "%s public key must be %zu octets, not %zu",
			                a->name, want, n);
		pkey = EVP_PKEY_new_raw_public_key_ex(NULL, a->ossl, NULL, pub, n);
		break;
	}
	default: return ZK_EUNSUPP;
	}
	if (pkey == NULL) {
		ERR_clear_error();
		return zk_error(ec, ZK_EKEY, "bad %s public key", a->name);
	}
	return key_wrap(a, pkey, false, out);
}

/* -------------------------------------------------------- private keys */

static const char *const field_names[ZK_KF_COUNT] = {
    "Modulus",   "PublicExponent", "PrivateExponent", "Prime1",     "Prime2",
    "Exponent1", "Exponent2",      "Coefficient",     "PrivateKey",
};

const char *zk_key_field_name(unsigned field)
{
	return field < ZK_KF_COUNT ? field_names[field] : NULL;
}

size_t zk_key_fields(uint8_t alg, unsigned *fields)
{
	const alginfo_t *a = alg_impl(alg);
	size_t n = 0;
	if (a == NULL)
		return 0;
	if (a->family == FAM_RSA)
		for (unsigned f = ZK_KF_MODULUS; f <= ZK_KF_COEFFICIENT; f++)
			fields[n++] = f;
	else
		fields[n++] = ZK_KF_PRIVATEKEY;
	return n;
}

void zk_key_material_clear(zk_key_material_t *m)
{
	for (unsigned i = 0; i < ZK_KF_COUNT; i++) {
		if (m->f[i] != NULL)
			OPENSSL_cleanse(m->f[i], m->len[i]);
		free(m->f[i]);
		m->f[i] = NULL;
		m->len[i] = 0;
	}
}

static const char *const rsa_params[8] = {
    OSSL_PKEY_PARAM_RSA_N,         OSSL_PKEY_PARAM_RSA_E,
    OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,
    OSSL_PKEY_PARAM_RSA_FACTOR2,   OSSL_PKEY_PARAM_RSA_EXPONENT1,
    OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
};

int zk_key_export(const zk_key_t *k, zk_key_material_t *m)
{
	zk_key_material_t tmp;
	int rc = ZK_OK;
	memset(&tmp, 0, sizeof tmp);
	if (!k->priv)
		return ZK_EKEY;
	switch (k->info->family) {
	case FAM_RSA:
		for (unsigned i = 0; i < 8 && rc == 0; i++)
			rc = get_bn(k->pkey, rsa_params[i], 0, &tmp.f[i], &tmp.len[i]);
		break;
	case FAM_EC:
		rc = get_bn(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, k->info->bits / 8,
		            &tmp.f[ZK_KF_PRIVATEKEY], &tmp.len[ZK_KF_PRIVATEKEY]);
		break;
	case FAM_ED: {
		size_t len = 0;
		uint8_t *buf;
		if (!EVP_PKEY_get_raw_private_key(k->pkey, NULL, &len)) {
			rc = ZK_ECRYPTO;
			break;
		}
		buf = malloc(len);
		if (buf == NULL) {
			rc = ZK_ENOMEM;
			break;
		}
		if (!EVP_PKEY_get_raw_private_key(k->pkey, buf, &len)) {
			free(buf);
			rc = ZK_ECRYPTO;
			break;
		}
		tmp.f[ZK_KF_PRIVATEKEY] = buf;
		tmp.len[ZK_KF_PRIVATEKEY] = len;
		break;
	}
	default: rc = ZK_EUNSUPP;
	}
	ERR_clear_error();
	if (rc != 0) {
		zk_key_material_clear(&tmp);
		return rc;
	}
	*m = tmp;
	return ZK_OK;
}

/* RFC 8017 §3.2 relations between the fields (in ZK_KF_ order: n, e, d,
 * p, q, dP, dQ, qInv): n = p q; e d ≡ e dP ≡ 1 (mod p - 1);
 * e d ≡ e dQ ≡ 1 (mod q - 1); q qInv ≡ 1 (mod p). Any change to one field
 * breaks one of them. OpenSSL's pairwise check adds primality tests of p
 * and q, which cost as much as a hundred signatures per key and matter
 * only for a key made wrong on purpose, not for a damaged file. */
static bool rsa_consistent(BIGNUM *const bn[8])
{
	BN_CTX *bc = BN_CTX_new();
	BIGNUM *t, *u, *pm1, *qm1;
	bool ok = false;
	if (bc == NULL)
		return false;
	BN_CTX_start(bc);
	t = BN_CTX_get(bc);
	u = BN_CTX_get(bc);
	pm1 = BN_CTX_get(bc);
	qm1 = BN_CTX_get(bc);
	if (qm1 == NULL || BN_is_zero(bn[3]) || BN_is_zero(bn[4]) || BN_is_one(bn[3]) ||
	    BN_is_one(bn[4]))
		goto done;
	if (!BN_mul(t, bn[3], bn[4], bc) || BN_cmp(t, bn[0]) != 0)
		goto done;
	if (!BN_sub(pm1, bn[3], BN_value_one()) || !BN_sub(qm1, bn[4], BN_value_one()))
		goto done;
	/* e d and e dP mod (p - 1), e d and e dQ mod (q - 1) */
	for (int i = 0; i < 4; i++) {
		const BIGNUM *x = (i & 1) ? bn[5 + i / 2] : bn[2];
		if (!BN_mod_mul(u, bn[1], x, i < 2 ? pm1 : qm1, bc) || !BN_is_one(u))
			goto done;
	}
	if (!BN_mod_mul(u, bn[4], bn[7], bn[3], bc) || !BN_is_one(u))
		goto done;
	ok = true;
done:
	BN_CTX_end(bc);
	BN_CTX_free(bc);
	ERR_clear_error();
	return ok;
}

static int rsa_import(const alginfo_t *a, const zk_key_material_t *m, EVP_PKEY **out,
                      zk_errctx_t *ec)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	BIGNUM *bn[8] = {NULL};
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	unsigned have = 0, i;
	int rc = ZK_EKEY;
	for (i = 0; i < 3; i++)
		if (m->f[i] == NULL || m->len[i] == 0) {
			rc = zk_error(ec, ZK_EKEY, "%s private key has no %s", a->name,
			              field_names[i]);
			goto done;
		}
	for (i = 3; i < 8; i++)
		if (m->f[i] != NULL && m->len[i] > 0)
			have++;
	if (have != 0 && have != 5) {
		rc = zk_error(ec, ZK_EKEY, "%s private key has only some of its CRT fields",
		              a->name);
		goto done;
	}
	if (bld == NULL)
		goto nomem;
	for (i = 0; i < (have ? 8u : 3u); i++)
		if (!push_bn(bld, rsa_params[i], m->f[i], m->len[i], &bn[i]))
			goto nomem;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params == NULL)
		goto nomem;
	pkey = from_params("RSA", EVP_PKEY_KEYPAIR, params);
	if (pkey == NULL) {
		rc = zk_error(ec, ZK_EKEY, "bad %s private key", a->name);
		goto done;
	}
	/* A garbled file must not give a key that signs garbage: check that
	 * the primes, exponents and modulus agree. */
	if (have) {
		if (!rsa_consistent(bn)) {
			rc = zk_error(ec, ZK_EKEY, "%s private key fields are inconsistent",
			              a->name);
			EVP_PKEY_free(pkey);
			pkey = NULL;
			goto done;
		}
	}
	*out = pkey;
	rc = ZK_OK;
	goto done;
nomem:
	rc = zk_error(ec, ZK_ECRYPTO, "cannot build %s key", a->name);
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	for (i = 0; i < 8; i++)
		BN_clear_free(bn[i]);
	return rc;
}

static int ec_import(const alginfo_t *a, const uint8_t *d, size_t dl, EVP_PKEY **out,
                     zk_errctx_t *ec)
{
	EC_GROUP *grp = NULL;
	EC_POINT *pt = NULL;
	BIGNUM *priv = NULL;
	BN_CTX *bnctx = NULL;
	uint8_t point[1 + 96];
	size_t plen;
	int rc = ZK_EKEY;
	/* The scalar is an integer: ldns writes it without leading zero
	 * octets (1 key in 256 is shorter), BIND pads it. */
	if (dl == 0 || dl > a->bits / 8)
		return zk_error(ec, ZK_EKEY, "%s private key must be 1 to %u octets, not %zu",
		                a->name, a->bits / 8, dl);
	grp = EC_GROUP_new_by_curve_name(ec_nid(a));
	pt = grp ? EC_POINT_new(grp) : NULL;
	priv = BN_bin2bn(d, (int)dl, NULL);
	bnctx = BN_CTX_new();
	if (grp == NULL || pt == NULL || priv == NULL || bnctx == NULL) {
		rc = zk_error(ec, ZK_ECRYPTO, "cannot build %s key", a->name);
		goto done;
	}
	if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(grp)) >= 0) {
		rc = zk_error(ec, ZK_EKEY, "%s private key is out of range", a->name);
		goto done;
	}
	/* The .private file has only the scalar: derive Q = d·G. */
	if (!EC_POINT_mul(grp, pt, priv, NULL, NULL, bnctx)) {
		rc = zk_error(ec, ZK_ECRYPTO, "cannot derive %s public key", a->name);
		goto done;
	}
	plen =
	    EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, point, sizeof point, bnctx);
	if (plen != 1 + a->bits / 4) {
		rc = zk_error(ec, ZK_EKEY, "%s private key gives no usable public key", a->name);
		goto done;
	}
	*out = ec_build(a, point, plen, priv);
	rc = *out ? ZK_OK : zk_error(ec, ZK_EKEY, "bad %s private key", a->name);
done:
	BN_CTX_free(bnctx);
	BN_clear_free(priv);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return rc;
}

int zk_key_import(uint8_t alg, const zk_key_material_t *m, const uint8_t *pub, size_t publen,
                  zk_key_t **out, zk_errctx_t *ec)
{
	const alginfo_t *a = alg_impl(alg);
	EVP_PKEY *pkey = NULL;
	zk_key_t *k = NULL;
	int rc;
	if (a == NULL)
		return zk_error(ec, ZK_EUNSUPP, "algorithm %u is not supported", alg);
	switch (a->family) {
	case FAM_RSA: rc = rsa_import(a, m, &pkey, ec); break;
	case FAM_EC:
		if (m->f[ZK_KF_PRIVATEKEY] == NULL)
			return zk_error(ec, ZK_EKEY, "%s private key has no PrivateKey", a->name);
		rc = ec_import(a, m->f[ZK_KF_PRIVATEKEY], m->len[ZK_KF_PRIVATEKEY], &pkey, ec);
		break;
	case FAM_ED: {
		size_t want = a->alg == ZK_ALG_ED25519 ? 32 : 57;
		if (m->f[ZK_KF_PRIVATEKEY] == NULL)
			return zk_error(ec, ZK_EKEY, "%s private key has no PrivateKey", a->name);
		if (m->len[ZK_KF_PRIVATEKEY] != want)
			return zk_error(ec, ZK_EKEY, "%s private key must be %zu octets, not %zu",
			                a->name, want, m->len[ZK_KF_PRIVATEKEY]);
		pkey = EVP_PKEY_new_raw_private_key_ex(NULL, a->ossl, NULL, m->f[ZK_KF_PRIVATEKEY],
		                                       want);
		rc = pkey ? ZK_OK : zk_error(ec, ZK_EKEY, "bad %s private key", a->name);
		break;
	}
	default: rc = ZK_EUNSUPP;
	}
	ERR_clear_error();
	if (rc != 0)
		return rc;
	rc = key_wrap(a, pkey, true, &k);
	if (rc != 0)
		return rc;
	if (pub != NULL) {
		uint8_t mine[1024];
		size_t ml = 0;
		rc = zk_key_public(k, mine, sizeof mine, &ml);
		if (rc != 0 || ml != publen || memcmp(mine, pub, ml) != 0) {
			zk_key_free(k);
			return zk_error(ec, ZK_EKEY, "private key does not match the public key");
		}
	}
	*out = k;
	return ZK_OK;
}

/* Never prompt for a passphrase: an encrypted PEM is refused. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int zk_key_from_pem(uint8_t alg, const char *pem, size_t n, zk_key_t **out, zk_errctx_t *ec)
{
	BIO *bio;
	EVP_PKEY *pkey;
	const alginfo_t *a = NULL;
	uint8_t want = 0;
	if (n > INT32_MAX)
		return zk_error(ec, ZK_ELIMIT, "PEM input too large");
	bio = BIO_new_mem_buf(pem, (int)n);
	if (bio == NULL)
		return ZK_ENOMEM;
	pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (pkey == NULL)
		return zk_error(ec, ZK_EKEY,
		                "no usable PEM private key (encrypted keys are not supported)");
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		if (alg == 0)
			want = ZK_ALG_RSASHA256;
		else if (alg == ZK_ALG_RSASHA1 || alg == ZK_ALG_NSEC3RSASHA1 ||
		         alg == ZK_ALG_RSASHA256 || alg == ZK_ALG_RSASHA512)
			want = alg;
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		char grp[64];
		size_t gl = 0;
		if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, grp,
		                                   sizeof grp, &gl)) {
			if (strcmp(grp, "prime256v1") == 0 || strcasecmp(grp, "P-256") == 0)
				want = ZK_ALG_ECDSAP256SHA256;
			else if (strcmp(grp, "secp384r1") == 0 || strcasecmp(grp, "P-384") == 0)
				want = ZK_ALG_ECDSAP384SHA384;
		}
		if (alg != 0 && alg != want)
			want = 0;
	} else if (EVP_PKEY_is_a(pkey, "ED25519")) {
		want = alg == 0 || alg == ZK_ALG_ED25519 ? ZK_ALG_ED25519 : 0;
	} else if (EVP_PKEY_is_a(pkey, "ED448")) {
		want = alg == 0 || alg == ZK_ALG_ED448 ? ZK_ALG_ED448 : 0;
	}
	ERR_clear_error();
	if (want != 0)
		a = alg_impl(want);
	if (a == NULL) {
		EVP_PKEY_free(pkey);
		if (alg != 0)
			return zk_error(ec, ZK_EKEY, "PEM key does not fit algorithm %u", alg);
		return zk_error(ec, ZK_EKEY, "PEM key type is not a DNSSEC algorithm");
	}
	if (a->family == FAM_RSA) {
		int bits = EVP_PKEY_get_bits(pkey);
		if (bits < 512 || bits > 4096) {
			EVP_PKEY_free(pkey);
			return zk_error(ec, ZK_EKEY, "%d-bit RSA key is out of range", bits);
		}
	}
	return key_wrap(a, pkey, true, out);
}

int zk_key_to_pem(const zk_key_t *k, char **pem, size_t *n)
{
	BIO *bio;
	char *data = NULL, *copy;
	long len;
	if (!k->priv)
		return ZK_EKEY;
	bio = BIO_new(BIO_s_secmem());
	if (bio == NULL)
		return ZK_ENOMEM;
	if (!PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL)) {
		BIO_free(bio);
		ERR_clear_error();
		return ZK_ECRYPTO;
	}
	len = BIO_get_mem_data(bio, &data);
	copy = malloc((size_t)len + 1);
	if (copy == NULL) {
		BIO_free(bio);
		return ZK_ENOMEM;
	}
	memcpy(copy, data, (size_t)len);
	copy[len] = '\0';
	BIO_free(bio);
	*pem = copy;
	*n = (size_t)len;
	return ZK_OK;
}

/* ------------------------------------------------------ sign and verify */

/* Room for the largest signature OpenSSL returns for our algorithms:
 * RSA 4096 (512 octets), DER ECDSA P-384 (at most 104), Ed448 (114). */
#define SIG_BUF 640

/* RFC 6605 §4 wants r | s, each the width of the curve; OpenSSL returns
 * the DER SEQUENCE { INTEGER r, INTEGER s } (X.690 §8.3, minimal
 * two's-complement, so at most one leading zero octet). */
static int der_int_to_raw(const uint8_t **p, const uint8_t *end, uint8_t *out, size_t w)
{
	size_t len;
	if (end - *p < 2 || (*p)[0] != 0x02 || (*p)[1] >= 0x80)
		return -1;
	len = (*p)[1];
	*p += 2;
	if ((size_t)(end - *p) < len || len == 0)
		return -1;
	while (len > 0 && **p == 0) {
		(*p)++;
		len--;
	}
	if (len > w)
		return -1;
	memset(out, 0, w - len);
	memcpy(out + (w - len), *p, len);
	*p += len;
	return 0;
}

static int ecdsa_der_to_raw(const uint8_t *der, size_t n, uint8_t *out, size_t w)
{
	const uint8_t *p = der, *end = der + n;
	size_t len;
	if (n < 2 || p[0] != 0x30)
		return -1;
	if (p[1] < 0x80) {
		len = p[1];
		p += 2;
	} else if (p[1] == 0x81 && n >= 3) {
		len = p[2];
		p += 3;
	} else {
		return -1;
	}
	if ((size_t)(end - p) != len)
		return -1;
	if (der_int_to_raw(&p, end, out, w) < 0 || der_int_to_raw(&p, end, out + w, w) < 0)
		return -1;
	return p == end ? 0 : -1;
}

/* The reverse, for verification: minimal DER INTEGER of a w-octet
 * unsigned big-endian value. */
static size_t raw_to_der_int(const uint8_t *v, size_t w, uint8_t *out)
{
	size_t skip = 0, len;
	while (skip + 1 < w && v[skip] == 0)
		skip++;
	len = w - skip;
	out[0] = 0x02;
	if (v[skip] & 0x80) {
		out[1] = (uint8_t)(len + 1);
		out[2] = 0;
		memcpy(out + 3, v + skip, len);
		return len + 3;
	}
	out[1] = (uint8_t)len;
	memcpy(out + 2, v + skip, len);
	return len + 2;
}

static size_t ecdsa_raw_to_der(const uint8_t *sig, size_t w, uint8_t *out)
{
	uint8_t body[2 * (66 + 3)];
	size_t n = raw_to_der_int(sig, w, body);
	size_t hdr;
	n += raw_to_der_int(sig + w, w, body + n);
	out[0] = 0x30;
	if (n < 0x80) {
		out[1] = (uint8_t)n;
		hdr = 2;
	} else {
		out[1] = 0x81;
		out[2] = (uint8_t)n;
		hdr = 3;
	}
	memcpy(out + hdr, body, n);
	return hdr + n;
}

int zk_key_sign(const zk_key_t *k, const uint8_t *data, size_t n, uint8_t *sig, size_t cap,
                size_t *siglen, zk_errctx_t *ec)
{
	const alginfo_t *a = k->info;
	EVP_MD_CTX *ctx = NULL;
	uint8_t buf[SIG_BUF];
	size_t len = sizeof buf;
	int rc = ZK_ECRYPTO;
	if (!k->priv)
		return zk_error(ec, ZK_EKEY, "cannot sign with a public key");
	ctx = ctx_start(k, true);
	if (ctx == NULL)
		goto fail;
	/* The context is used once: finalising in place spares OpenSSL a
	 * copy of it (EVP_DigestSignFinal duplicates it otherwise). */
	EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
	if (EVP_DigestSign(ctx, buf, &len, data, n) <= 0)
		goto fail;
	if (a->family == FAM_EC) {
		size_t w = a->bits / 8;
		if (cap < 2 * w) {
			rc = ZK_ESPACE;
			goto fail;
		}
		if (ecdsa_der_to_raw(buf, len, sig, w) < 0)
			goto fail;
		len = 2 * w;
	} else {
		if (len > cap) {
			rc = ZK_ESPACE;
			goto fail;
		}
		memcpy(sig, buf, len);
	}
	EVP_MD_CTX_free(ctx);
	*siglen = len;
	return ZK_OK;
fail:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	if (rc == ZK_ESPACE)
		return zk_error(ec, rc, "signature buffer too small");
	return zk_error(ec, rc, "%s signing failed", a->name);
}

int zk_key_verify(const zk_key_t *k, const uint8_t *data, size_t n, const uint8_t *sig,
                  size_t siglen, zk_errctx_t *ec)
{
	const alginfo_t *a = k->info;
	EVP_MD_CTX *ctx = NULL;
	uint8_t der[SIG_BUF];
	const uint8_t *vsig = sig;
	size_t vlen = siglen;
	int rc, ok;
	if (a->family == FAM_EC) {
		size_t w = a->bits / 8;
		if (siglen != 2 * w)
			return zk_error(ec, ZK_EDNSSEC, "%s signature must be %zu octets, not %zu",
			                a->name, 2 * w, siglen);
		vlen = ecdsa_raw_to_der(sig, w, der);
		vsig = der;
	} else if (siglen != zk_key_sig_size(k)) {
		return zk_error(ec, ZK_EDNSSEC, "%s signature must be %zu octets, not %zu", a->name,
		                zk_key_sig_size(k), siglen);
	}
	ctx = ctx_start(k, false);
	if (ctx == NULL) {
		rc = zk_error(ec, ZK_ECRYPTO, "%s verification failed to run", a->name);
		goto done;
	}
	EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
	ok = EVP_DigestVerify(ctx, vsig, vlen, data, n);
	rc = ok == 1 ? ZK_OK : zk_error(ec, ZK_EDNSSEC, "%s signature does not verify", a->name);
done:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}
