/* nsec — type bitmaps, NSEC chains, NSEC3 hashing and chains (RFC 4034
 * §4, RFC 4035 §2.3, RFC 5155).
 *
 * The chain builders work on a whole zone held as an array of RRs in
 * canonical order (RFC 4034 §6.1 owner, then class, type, canonical
 * rdata), as zk_zone or the signer keeps it. They need nothing else: the
 * apex is given, delegation points and DNAMEs are found from the data.
 *
 * What a chain covers (both kinds):
 *   - names outside the apex are ignored;
 *   - names below a delegation point (NS at a name other than the apex) or
 *     below a DNAME are occluded: glue and other occluded data are neither
 *     chained nor listed in a bitmap;
 *   - at a delegation point only NS and DS count (RFC 4035 §2.3);
 *   - records of an old chain are ignored: NSEC, NSEC3 and the RRSIGs
 *     covering them, so a signed zone can be re-chained as it is. An owner
 *     left with nothing else does not exist.
 * Output RRs and their rdata are allocated in the caller's arena, in chain
 * order (which is also canonical order of the owners). */
#ifndef ZK_NSEC_H
#define ZK_NSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "name.h"
#include "rr.h"

/* ---------------------------------------------------------- type bitmaps */

/* RFC 4034 §4.1.2: at most 256 windows of 2 + 32 octets. */
#define ZK_BITMAP_MAXLEN (256 * 34)

/* All 65536 types as one bit each (8 KiB: keep it off small stacks). */
typedef struct zk_typeset {
	uint8_t bits[8192];
} zk_typeset_t;

void zk_typeset_clear(zk_typeset_t *s);
void zk_typeset_add(zk_typeset_t *s, uint16_t type);
void zk_typeset_del(zk_typeset_t *s, uint16_t type);
bool zk_typeset_has(const zk_typeset_t *s, uint16_t type);

/* Window-block wire form of a set of types: types in any order, duplicates
 * allowed; n == 0 gives an empty bitmap (length 0). ZK_ESPACE if cap is
 * too small (ZK_BITMAP_MAXLEN is always enough). *outlen set on success. */
int zk_bitmap_from_types(const uint16_t *types, size_t n, uint8_t *out, size_t cap, size_t *outlen);
int zk_bitmap_from_set(const zk_typeset_t *s, uint8_t *out, size_t cap, size_t *outlen);

/* Check a wire bitmap as RFC 4034 §4.1.2 requires: windows in increasing
 * order, each with 1..32 octets and no trailing zero octet. ZK_ERDATA
 * (ec->offset = offset in bm) when it is not. An empty bitmap is valid. */
int zk_bitmap_check(const uint8_t *bm, size_t n, zk_errctx_t *ec);

/* Decode a checked bitmap into ascending types. ZK_ESPACE (nothing
 * written to *ntypes) when more than max; max 65536 is always enough. */
int zk_bitmap_to_types(const uint8_t *bm, size_t n, uint16_t *types, size_t max, size_t *ntypes,
                       zk_errctx_t *ec);
/* The same into a set (cleared first). */
int zk_bitmap_to_set(const uint8_t *bm, size_t n, zk_typeset_t *s, zk_errctx_t *ec);

/* type's bit is set in a (checked or not) bitmap; false when malformed. */
bool zk_bitmap_has(const uint8_t *bm, size_t n, uint16_t type);

/* ------------------------------------------------------------------ NSEC */

/* The NSEC chain of a zone (RFC 4034 §4, RFC 4035 §2.3). One NSEC per
 * authoritative name and per delegation point, in canonical order, the
 * last pointing back to the apex. Owner and next name keep the case of
 * the input (RFC 6840 §5.1: the next name is not lower-cased); the output
 * owners point at the input's owner names, which must outlive the result.
 * Bitmaps: the types at the name plus RRSIG and NSEC; at a delegation
 * point NS, DS (when present), RRSIG, NSEC. ttl: the NSEC TTL (RFC 9077:
 * the lesser of the SOA MINIMUM and the SOA TTL, the caller's choice).
 * Errors: ZK_EINVAL (rrs not in canonical order), ZK_EZONE (no record at
 * the apex), ZK_ENOMEM. */
int zk_nsec_chain(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint32_t ttl, zk_arena_t *a,
                  zk_rr_t **out, size_t *nout, zk_errctx_t *ec);

/* ----------------------------------------------------------------- NSEC3 */

#define ZK_NSEC3_SHA1     1    /* hash algorithm (RFC 5155 §11) */
#define ZK_NSEC3_OPTOUT   0x01 /* NSEC3 flags (RFC 5155 §3.1.2.1) */
#define ZK_NSEC3_HASH_MAX 20   /* SHA-1 */
#define ZK_NSEC3_MAX_ITER 50   /* what the chain builder accepts (BIND) */

typedef struct zk_nsec3_params {
	uint8_t alg;         /* ZK_NSEC3_SHA1 */
	uint8_t flags;       /* of the NSEC3 records: ZK_NSEC3_OPTOUT or 0 */
	uint16_t iterations; /* additional iterations (RFC 9276: 0) */
	uint8_t salt_len;
	uint8_t salt[255];
} zk_nsec3_params_t;

/* Parameters from NSEC3PARAM or NSEC3 rdata (both start with hash
 * algorithm, flags, iterations, salt). ZK_ERDATA when truncated. */
int zk_nsec3_params_from_rdata(const uint8_t *rd, size_t n, zk_nsec3_params_t *p, zk_errctx_t *ec);

/* NSEC3PARAM rdata for p with flags 0 (RFC 5155 §4.1.2: the opt-out bit
 * belongs to the NSEC3 records only). At most 5 + 255 octets. */
int zk_nsec3param_rdata(const zk_nsec3_params_t *p, uint8_t *out, size_t cap, size_t *outlen);

/* RFC 5155 §5: IH(salt, name, iterations) over the canonical (lower-case)
 * wire form of name. Any iteration count is computed (a verifier may meet
 * old zones); the chain builder enforces ZK_NSEC3_MAX_ITER. out receives
 * ZK_NSEC3_HASH_MAX octets. ZK_EUNSUPP for an algorithm other than 1. */
int zk_nsec3_hash(const zk_name_t *name, const zk_nsec3_params_t *p, uint8_t out[ZK_NSEC3_HASH_MAX],
                  zk_errctx_t *ec);

/* The hashed owner name: base32hex of the hash, upper case as BIND's
 * dnssec-signzone writes it, as one label prepended to apex.
 * ZK_ENAMELEN when that does not fit. */
int zk_nsec3_owner(const uint8_t *hash, size_t hlen, const zk_name_t *apex, zk_name_t *out,
                   zk_errctx_t *ec);

/* The NSEC3 chain of a zone (RFC 5155 §7.1): one NSEC3 per authoritative
 * name, per delegation point and per empty non-terminal, ordered by hash,
 * each pointing at the next hash, the last at the first. Bitmaps are the
 * types of the original owner, plus RRSIG where something there is
 * signed (at a delegation point: only with DS); empty non-terminals have
 * none; the apex also lists NSEC3PARAM (the zone publishes the chain's
 * parameters). With ZK_NSEC3_OPTOUT in p->flags (RFC 5155 §6), delegation
 * points without DS are left out, and so are the empty non-terminals that
 * exist only because of them. Owners are allocated in a.
 * Errors: ZK_ERANGE (iterations > ZK_NSEC3_MAX_ITER), ZK_EUNSUPP (hash
 * algorithm), ZK_EEXIST (two names with one hash: choose another salt),
 * ZK_ENAMELEN, ZK_EINVAL, ZK_EZONE, ZK_ENOMEM as for zk_nsec_chain. */
int zk_nsec3_chain(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, const zk_nsec3_params_t *p,
                   uint32_t ttl, zk_arena_t *a, zk_rr_t **out, size_t *nout, zk_errctx_t *ec);

#endif
