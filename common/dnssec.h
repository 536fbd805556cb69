/* dnssec — key tags, DS digests, RRSIG signing and verification over
 * canonical RRsets (RFC 4034), validity windows.
 *
 * Time is always passed in: nothing here reads the clock. */
#ifndef ZK_DNSSEC_H
#define ZK_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "crypto.h"
#include "err.h"
#include "name.h"
#include "rr.h"

/* DNSKEY flags (RFC 4034 §2.1.1, RFC 5011 §3). */
enum {
	ZK_DNSKEY_ZONE = 0x0100,
	ZK_DNSKEY_REVOKE = 0x0080,
	ZK_DNSKEY_SEP = 0x0001,
};

/* DS digest types (IANA "Delegation Signer Digest Algorithms"). */
enum {
	ZK_DS_SHA1 = 1,
	ZK_DS_SHA256 = 2,
	ZK_DS_GOST = 3,
	ZK_DS_SHA384 = 4,
};

/* Fixed part of RRSIG rdata before the signer name. */
#define ZK_RRSIG_FIXED 18

/* RFC 4034 Appendix B key tag over DNSKEY (or KEY) rdata; B.1 for
 * algorithm 1. */
uint16_t zk_dnssec_keytag(const uint8_t *rdata, size_t n);

/* Build DNSKEY/KEY rdata: flags, protocol 3, algorithm, public key. */
int zk_dnssec_dnskey_rdata(const zk_key_t *k, uint16_t flags, uint8_t *out, size_t cap,
                           size_t *outlen);

/* Digest size for a DS digest type, 0 if we do not support it. */
size_t zk_ds_digest_size(uint8_t digest_type);
/* "SHA-1", "SHA-256", "SHA-384" or NULL. */
const char *zk_ds_digest_name(uint8_t digest_type);
/* Names as dnssec-dsfromkey takes them (SHA-1, SHA1, sha256, 2, ...). */
int zk_ds_digest_from_text(const char *s, uint8_t *digest_type);

/* DS rdata (RFC 4034 §5.1.4): digest = hash(canonical owner | DNSKEY
 * rdata). Works for CDS too. */
int zk_dnssec_ds(const zk_name_t *owner, const uint8_t *dnskey, size_t n, uint8_t digest_type,
                 uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);

/* RFC 4034 §3.1.3 labels field for an owner: labels without the root,
 * minus one for a leading "*" (RFC 4035 §5.3.2). */
uint8_t zk_dnssec_labels(const zk_name_t *owner);

/* What an RRSIG says, parsed from rdata (signer and signature point into
 * the rdata). */
typedef struct zk_rrsig {
	uint16_t type_covered;
	uint8_t alg;
	uint8_t labels;
	uint32_t orig_ttl;
	uint32_t expiration;
	uint32_t inception;
	uint16_t keytag;
	zk_name_t signer;
	const uint8_t *sig;
	size_t siglen;
	size_t fixed_len; /* octets before the signature (18 + signer) */
} zk_rrsig_t;

int zk_rrsig_parse(const uint8_t *rd, size_t n, zk_rrsig_t *out, zk_errctx_t *ec);

/* The data an RRSIG signs (RFC 4034 §3.1.8.1): RRSIG rdata without the
 * signature, then each RR of the set in canonical form (§6.2: owner
 * lower-cased and, when the RRSIG labels field is smaller, replaced by
 * the wildcard "*." + the rightmost labels; TTL = original TTL; names in
 * rdata lower-cased where §6.2/RFC 6840 §5.1 says), sorted by canonical
 * rdata (§6.3) with duplicates removed. Appended to out. All rrs must be
 * one RRset (same owner ignoring case, class and type). */
int zk_dnssec_signing_input(const uint8_t *rrsig_fixed, size_t fixed_len, uint8_t labels,
                            uint32_t orig_ttl, const zk_rr_t *rrs, size_t n, zk_buf_t *out,
                            zk_errctx_t *ec);

/* Sign an RRset. The key's algorithm, keytag (of its DNSKEY) and signer
 * name go into the RRSIG; orig_ttl is the RRset's TTL (rrs[0].ttl).
 * Writes the RRSIG rdata. */
int zk_dnssec_sign(const zk_key_t *k, uint16_t keytag, const zk_name_t *signer, const zk_rr_t *rrs,
                   size_t n, uint32_t inception, uint32_t expiration, uint8_t *out, size_t cap,
                   size_t *outlen, zk_errctx_t *ec);

/* Check an RRSIG over an RRset with a DNSKEY (rdata). Cryptographic and
 * structural checks only (algorithm and key tag match the key, labels
 * not above the owner's, type covered); the time window is
 * zk_dnssec_check_window. ZK_EDNSSEC when it does not verify. */
int zk_dnssec_verify(const uint8_t *dnskey, size_t dnskey_len, const uint8_t *rrsig,
                     size_t rrsig_len, const zk_rr_t *rrs, size_t n, zk_errctx_t *ec);

/* RFC 4034 §3.1.5: inception <= now <= expiration in serial number
 * arithmetic (RFC 1982). ZK_EDNSSEC with a message when outside. */
int zk_dnssec_check_window(uint32_t inception, uint32_t expiration, uint32_t now, zk_errctx_t *ec);

/* A signed DNSKEY RRset as `zkeysign keyset` writes it (the offline-KSK
 * fragment zsign --keyset loads): keys is the DNSKEY RRset, sigs the
 * RRSIGs over it. Every RRSIG must cover DNSKEY, be made by a key of the
 * set, name the zone (the keys' owner) as signer,
 * verify, and be inside its window at `now`; at least one is required.
 * *good (may be NULL) gets the number of valid RRSIGs. */
int zk_dnssec_verify_keyset(const zk_rr_t *keys, size_t nkeys, const zk_rr_t *sigs, size_t nsigs,
                            uint32_t now, unsigned *good, zk_errctx_t *ec);

#endif
