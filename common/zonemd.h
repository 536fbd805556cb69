/* zonemd — message digests over whole zones (RFC 8976).
 *
 * The zone is an array of RRs in canonical order (RFC 4034 §6.1 owner,
 * then class, type, canonical rdata: zk_rr_sort over canonical rdata, as
 * zk_zone keeps it). Only the SIMPLE scheme exists (§3.3.1); its digest
 * covers, in that order and in canonical wire form (owner lower-cased,
 * RFC 4034 §6.2):
 *   - every RR at or below the apex, glue and occluded data included;
 *   - exact duplicates (owner, class, type, rdata) once;
 *   - except the apex ZONEMD RRset and the apex RRSIGs covering ZONEMD.
 * Names outside the apex are left out. The TTL is each RR's own. */
#ifndef ZK_ZONEMD_H
#define ZK_ZONEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "name.h"
#include "rr.h"

#define ZK_ZONEMD_SIMPLE 1 /* scheme (RFC 8976 §5.2) */
#define ZK_ZONEMD_SHA384 1 /* hash algorithms (RFC 8976 §5.3) */
#define ZK_ZONEMD_SHA512 2

/* Longest digest we compute, and the longest rdata we build. */
#define ZK_ZONEMD_DIGEST_MAX 64
#define ZK_ZONEMD_RDATA_MAX  (6 + ZK_ZONEMD_DIGEST_MAX)
/* RFC 8976 §2.2.4: no digest is shorter. */
#define ZK_ZONEMD_DIGEST_MIN 12

/* Digest size of a hash algorithm we support (48, 64), else 0. */
size_t zk_zonemd_digest_size(uint8_t hash_alg);
/* We can compute (scheme, hash_alg). */
bool zk_zonemd_supported(uint8_t scheme, uint8_t hash_alg);

/* The digest of the zone. ZK_EUNSUPP for a scheme or hash algorithm we do
 * not know, ZK_EINVAL when rrs are not in canonical order, ZK_ESPACE when
 * cap is below zk_zonemd_digest_size. *outlen set on success. */
int zk_zonemd_digest(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint8_t scheme,
                     uint8_t hash_alg, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);

/* The rdata of a ZONEMD record for the zone (RFC 8976 §2.2): the serial of
 * the apex SOA, scheme, hash algorithm, digest. The zone may hold apex
 * ZONEMD placeholders already (§3.1): they do not change the digest.
 * ZK_EZONE when the apex has no SOA; else as zk_zonemd_digest. */
int zk_zonemd_rdata(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint8_t scheme,
                    uint8_t hash_alg, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);

/* A placeholder (§3.1): serial, scheme, hash algorithm and a zero digest
 * of the algorithm's size (12 octets for one we do not know), so that the
 * signer can build NSEC/NSEC3 bitmaps and the record's final size before
 * the digest is known. */
int zk_zonemd_placeholder(uint32_t serial, uint8_t scheme, uint8_t hash_alg, uint8_t *out,
                          size_t cap, size_t *outlen);

/* What verification said about one apex ZONEMD record (RFC 8976 §4). */
typedef enum zk_zonemd_status {
	ZK_ZONEMD_VERIFIED = 0, /* digest matches */
	ZK_ZONEMD_MISMATCH,     /* §4 5f: digest differs */
	ZK_ZONEMD_SERIAL,       /* §4 5a: serial is not the SOA serial */
	ZK_ZONEMD_SCHEME,       /* §4 5b: scheme not supported */
	ZK_ZONEMD_HASH,         /* §4 5c: hash algorithm not supported */
	ZK_ZONEMD_LENGTH,       /* §4 5d: digest shorter than 12 or not the hash's size */
	ZK_ZONEMD_DUPLICATE,    /* §4 4: another record has the same scheme and hash */
	ZK_ZONEMD_MALFORMED,    /* rdata shorter than 6 octets */
} zk_zonemd_status_t;

/* "verified", "digest mismatch", ... */
const char *zk_zonemd_status_text(zk_zonemd_status_t s);

typedef struct zk_zonemd_result {
	uint32_t serial;
	uint8_t scheme;
	uint8_t hash_alg;
	uint16_t digest_len;
	zk_zonemd_status_t status;
} zk_zonemd_result_t;

/* Verify the zone against its apex ZONEMD records (RFC 8976 §4 steps 4
 * and 5; the DNSSEC steps 1-3 are the caller's). One result per distinct
 * apex ZONEMD record, in canonical order, the first max of them written
 * to res (res may be NULL with max 0); *nres gets how many there are.
 * Returns 0 when at least one record verifies (§4: one match with a
 * supported scheme and algorithm is enough), ZK_ENOENT when the apex has
 * no ZONEMD, ZK_EZONE when none verifies or the apex has no SOA (ec says
 * why), ZK_EINVAL / ZK_ENOMEM / ZK_ECRYPTO on failure. *nres is set
 * whenever res was filled (return 0 or ZK_EZONE after the records were
 * examined). */
int zk_zonemd_verify(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, zk_zonemd_result_t *res,
                     size_t max, size_t *nres, zk_errctx_t *ec);

#endif
