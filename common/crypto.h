/* crypto — the only module that talks to OpenSSL (3.x, EVP only).
 *
 * Digests, HMAC, a CSPRNG, and DNSSEC keys: generate, import/export the
 * public key in DNSKEY wire form (RFC 3110, RFC 6605 §4, RFC 8080 §3) and
 * the private key as BIND's named fields, sign and verify with the
 * signature encodings DNSSEC uses (RFC 3110, RFC 5702, RFC 6605 §4,
 * RFC 8080 §4). Nothing here knows about RRs or key files. */
#ifndef ZK_CRYPTO_H
#define ZK_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers"). */
enum {
	ZK_ALG_RSAMD5 = 1,
	ZK_ALG_DH = 2,
	ZK_ALG_DSA = 3,
	ZK_ALG_RSASHA1 = 5,
	ZK_ALG_DSANSEC3SHA1 = 6,
	ZK_ALG_NSEC3RSASHA1 = 7,
	ZK_ALG_RSASHA256 = 8,
	ZK_ALG_RSASHA512 = 10,
	ZK_ALG_ECCGOST = 12,
	ZK_ALG_ECDSAP256SHA256 = 13,
	ZK_ALG_ECDSAP384SHA384 = 14,
	ZK_ALG_ED25519 = 15,
	ZK_ALG_ED448 = 16,
	ZK_ALG_PRIVATEDNS = 253,
	ZK_ALG_PRIVATEOID = 254,
};

/* Digest and HMAC algorithms. */
typedef enum zk_md {
	ZK_MD_MD5 = 1,
	ZK_MD_SHA1,
	ZK_MD_SHA224,
	ZK_MD_SHA256,
	ZK_MD_SHA384,
	ZK_MD_SHA512,
} zk_md_t;

#define ZK_MD_MAXSIZE 64

/* Output size in octets (0 for an unknown md). */
size_t zk_md_size(zk_md_t md);
/* "sha256", ... (lower case, no dash); NULL for unknown. */
const char *zk_md_name(zk_md_t md);

/* One-shot digest; out must hold zk_md_size(md) octets. */
int zk_digest(zk_md_t md, const void *data, size_t n, uint8_t *out);

/* Incremental digest / HMAC (TSIG over message streams, large inputs). */
typedef struct zk_md_ctx zk_md_ctx_t;
int zk_md_ctx_new(zk_md_t md, zk_md_ctx_t **out);
int zk_md_ctx_update(zk_md_ctx_t *c, const void *data, size_t n);
/* Writes zk_md_size(md) octets; the context can be reused after final. */
int zk_md_ctx_final(zk_md_ctx_t *c, uint8_t *out);
void zk_md_ctx_free(zk_md_ctx_t *c);

typedef struct zk_hmac_ctx zk_hmac_ctx_t;
int zk_hmac(zk_md_t md, const uint8_t *key, size_t keylen, const void *data, size_t n,
            uint8_t *out);
int zk_hmac_ctx_new(zk_md_t md, const uint8_t *key, size_t keylen, zk_hmac_ctx_t **out);
int zk_hmac_ctx_update(zk_hmac_ctx_t *c, const void *data, size_t n);
/* Writes zk_md_size(md) octets. The key is kept: call again after final to
 * start the next MAC with the same key. */
int zk_hmac_ctx_final(zk_hmac_ctx_t *c, uint8_t *out);
void zk_hmac_ctx_free(zk_hmac_ctx_t *c);

/* Constant-time comparison (MACs): true when the n octets are equal. */
bool zk_crypto_memeq(const void *a, const void *b, size_t n);
/* Overwrite memory that held secrets (not optimised away). */
void zk_crypto_cleanse(void *p, size_t n);

/* CSPRNG. ZK_ECRYPTO if the generator is not seeded. */
int zk_random_bytes(void *buf, size_t n);
/* Uniform in [0, bound) (bound > 0), without modulo bias. */
int zk_random_uniform(uint32_t bound, uint32_t *out);

/* ---------------------------------------------------------------- keys */

/* BIND's mnemonic ("RSASHA256", "ECDSAP256SHA256", "ED25519", ...) or NULL. */
const char *zk_alg_name(uint8_t alg);
/* Mnemonic (case-insensitive, also BIND's aliases such as "ECDSA256") or
 * decimal number. ZK_EINVAL when neither. The algorithm need not be
 * supported: check with zk_alg_supported. */
int zk_alg_from_text(const char *s, uint8_t *alg);
/* We can generate, sign and verify with it. */
bool zk_alg_supported(uint8_t alg);
/* Default and allowed sizes in bits for generation (RSA: 1024..4096,
 * default 2048; fixed for EC/EdDSA). */
unsigned zk_alg_default_bits(uint8_t alg);
int zk_alg_check_bits(uint8_t alg, unsigned bits, zk_errctx_t *ec);
/* DNSSEC-capable digest for the algorithm's signatures, or 0 (EdDSA). */
zk_md_t zk_alg_md(uint8_t alg);

typedef struct zk_key zk_key_t;

/* Generate a new key pair. bits 0 = the default. */
int zk_key_generate(uint8_t alg, unsigned bits, zk_key_t **out, zk_errctx_t *ec);

/* The public key field of a DNSKEY/KEY record (RFC 3110 §2 exponent
 * length + exponent + modulus; RFC 6605 §4 X | Y; RFC 8080 §3 raw key). */
int zk_key_from_public(uint8_t alg, const uint8_t *pub, size_t n, zk_key_t **out, zk_errctx_t *ec);
/* Writes the public key field; *outlen set on success. */
int zk_key_public(const zk_key_t *k, uint8_t *out, size_t cap, size_t *outlen);

/* Private key material as BIND's .private file names it. Each field is
 * a big-endian unsigned integer (RSA) or the raw private key
 * (ECDSA: the scalar, zero-padded; EdDSA: the RFC 8032 seed). */
enum {
	ZK_KF_MODULUS,
	ZK_KF_PUBLICEXPONENT,
	ZK_KF_PRIVATEEXPONENT,
	ZK_KF_PRIME1,
	ZK_KF_PRIME2,
	ZK_KF_EXPONENT1,
	ZK_KF_EXPONENT2,
	ZK_KF_COEFFICIENT,
	ZK_KF_PRIVATEKEY,
	ZK_KF_COUNT
};

typedef struct zk_key_material {
	uint8_t *f[ZK_KF_COUNT]; /* NULL when absent; malloc'd */
	size_t len[ZK_KF_COUNT];
} zk_key_material_t;

/* "Modulus", "PrivateKey", ... */
const char *zk_key_field_name(unsigned field);
/* The fields an algorithm's .private file carries, in BIND's order;
 * returns how many were written to fields (at most ZK_KF_COUNT). */
size_t zk_key_fields(uint8_t alg, unsigned *fields);

/* Export the private material (ZK_EKEY for a public-only key). */
int zk_key_export(const zk_key_t *k, zk_key_material_t *m);
/* Cleanse and free every field; m is left empty. */
void zk_key_material_clear(zk_key_material_t *m);

/* Build a private key from material. pub (the DNSKEY public key field,
 * may be NULL) is checked against the private key: a mismatch is
 * ZK_EKEY. ECDSA/EdDSA public keys are derived from the private key. */
int zk_key_import(uint8_t alg, const zk_key_material_t *m, const uint8_t *pub, size_t publen,
                  zk_key_t **out, zk_errctx_t *ec);

/* A PEM private key (PKCS#8, traditional RSA/EC; as Knot's keymgr and
 * openssl genpkey write them). alg picks the DNSSEC algorithm: RSA keys
 * need it (5, 7, 8, 10); 0 infers ECDSA/EdDSA from the curve. */
int zk_key_from_pem(uint8_t alg, const char *pem, size_t n, zk_key_t **out, zk_errctx_t *ec);
/* PKCS#8 PEM of the private key, malloc'd, NUL-terminated. */
int zk_key_to_pem(const zk_key_t *k, char **pem, size_t *n);

uint8_t zk_key_alg(const zk_key_t *k);
unsigned zk_key_bits(const zk_key_t *k);
bool zk_key_is_private(const zk_key_t *k);
/* Largest signature in octets. */
size_t zk_key_sig_size(const zk_key_t *k);
void zk_key_free(zk_key_t *k);

/* Sign data as DNSSEC wants it (RSA PKCS#1 v1.5, ECDSA r|s fixed width,
 * EdDSA pure). *siglen set on success. */
int zk_key_sign(const zk_key_t *k, const uint8_t *data, size_t n, uint8_t *sig, size_t cap,
                size_t *siglen, zk_errctx_t *ec);
/* 0 when sig is valid, ZK_EDNSSEC when it is not, other codes on failure. */
int zk_key_verify(const zk_key_t *k, const uint8_t *data, size_t n, const uint8_t *sig,
                  size_t siglen, zk_errctx_t *ec);

#endif
