/* sign — the zone-signing engine: which RRsets a zone signs and with
 * which keys (RFC 4035 §2), RRSIG generation over a whole zone on several
 * threads with reuse of still-valid signatures, and the canonical merge of
 * records and signatures.
 *
 * The zone is an array of RRs in canonical order (RFC 4034 §6.1; rdata
 * canonical) holding everything that is published except RRSIGs: the data,
 * the DNSKEY RRset, the NSEC or NSEC3 chain, NSEC3PARAM, ZONEMD. Time is
 * passed in; nothing here reads the clock or prints. */
#ifndef ZK_SIGN_H
#define ZK_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "crypto.h"
#include "err.h"
#include "name.h"
#include "rr.h"

/* Roles of a signing key. */
enum {
	ZK_SIGN_KSK = 1, /* signs the apex DNSKEY, CDS and CDNSKEY RRsets */
	ZK_SIGN_ZSK = 2, /* signs every other authoritative RRset */
};

typedef struct zk_sign_key {
	const zk_key_t *key;   /* the private key */
	const uint8_t *dnskey; /* its DNSKEY rdata as published (flags included) */
	size_t dnskey_len;
	uint16_t keytag; /* of that rdata */
	uint8_t alg;
	unsigned roles; /* ZK_SIGN_KSK | ZK_SIGN_ZSK */
} zk_sign_key_t;

/* RFC 6840 §5.11 and BIND's practice: per algorithm, when no key has the
 * ZSK role the KSKs take it, and when none has the KSK role the ZSKs do,
 * so that every algorithm signs every RRset. */
void zk_sign_fill_roles(zk_sign_key_t *keys, size_t n);

/* What signs an RRset (RFC 4035 §2.2). */
typedef enum zk_sign_kind {
	ZK_SIGN_NONE = 0, /* not signed: outside the zone, occluded, delegation NS, glue, RRSIG */
	ZK_SIGN_BY_ZSK,
	ZK_SIGN_BY_KSK, /* apex DNSKEY, CDS, CDNSKEY */
} zk_sign_kind_t;

/* A cursor over the RRsets of a zone in canonical order that knows the
 * zone cuts: names below a delegation (NS not at the apex) or below a
 * DNAME are occluded (RFC 4035 §2.2, RFC 6672 §2.3); at a delegation point
 * only DS and NSEC are signed. */
typedef struct zk_sign_walk {
	const zk_rr_t *rrs;
	size_t n, pos;
	const zk_name_t *apex;
	const zk_name_t *cut; /* current delegation point or DNAME owner */
	bool cut_is_dname;
	const zk_name_t *node; /* owner of the current node, for cut detection */
	bool node_deleg;       /* node has NS and is not the apex */
} zk_sign_walk_t;

void zk_sign_walk_init(zk_sign_walk_t *w, const zk_rr_t *rrs, size_t n, const zk_name_t *apex);
/* Next RRset [*start, *end) and its kind; false at the end. */
bool zk_sign_walk_next(zk_sign_walk_t *w, size_t *start, size_t *end, zk_sign_kind_t *kind);

typedef struct zk_sign_opts {
	const zk_name_t *apex; /* the signer name (written lower-cased) */
	uint32_t now;
	uint32_t inception;
	uint32_t expiration;        /* every RRset but ... */
	uint32_t dnskey_expiration; /* ... DNSKEY, CDS, CDNSKEY */
	uint32_t jitter;            /* expirations lowered by up to this many seconds,
	                             * chosen from a hash of owner and type so that the
	                             * result is reproducible */
	uint32_t refresh;           /* an old signature is kept when it stays valid
	                             * past now + refresh (and still verifies) */
	unsigned threads;           /* >= 1 */
	bool verify;                /* verify each new signature with its key */
	bool skip_dnskey;           /* the apex DNSKEY RRset is signed elsewhere */
	/* Signature cache (optional): digests (ZK_SIGN_DIGEST octets each,
	 * sorted by memcmp) of signatures this signer made or checked before,
	 * each over SHA-256 of DNSKEY rdata | RRSIG rdata | signing input.
	 * An old signature whose digest is known is taken as verified
	 * without the public-key operation: the digest proves that the
	 * RRset is, byte for byte, the one it was checked against. */
	const uint8_t *known;
	size_t nknown;
	/* When non-NULL, *digests receives a malloc'd array with the digest
	 * of every output signature, in output order. */
	uint8_t **digests;
	/* Called on the calling thread now and then; may be NULL. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
} zk_sign_opts_t;

#define ZK_SIGN_DIGEST 16

typedef struct zk_sign_stats {
	uint64_t rrsets;    /* RRsets signed */
	uint64_t generated; /* new signatures */
	uint64_t retained;  /* old signatures kept */
	uint64_t dropped;   /* old signatures not kept */
	uint64_t verified;  /* new signatures verified (opts.verify) */
	uint64_t cached;    /* old signatures taken as verified from opts.known */
} zk_sign_stats_t;

/* Sign the zone rrs[0..n) with keys. old (may be NULL) holds the RRSIGs
 * of a previous signing in canonical order; an old signature is kept
 * instead of a new one when it is by the same key (algorithm, tag,
 * signer), has the RRset's TTL, is valid at now and past now + refresh,
 * and verifies over the RRset as it is now. Everything else in old is
 * dropped.
 *
 * The RRSIGs are written to *sigs (malloc'd array, caller frees) in
 * canonical order; their rdata lives in arenas[0..opts->threads) (one
 * per thread, the caller's) or points into old. The result does not
 * depend on the number of threads (ECDSA signature values aside).
 * Errors: ZK_EINVAL, ZK_ENOMEM, crypto and verification failures
 * (ZK_EDNSSEC when a new signature does not verify) with the owner in
 * the message. */
int zk_sign_zone(const zk_rr_t *rrs, size_t n, const zk_sign_key_t *keys, size_t nkeys,
                 const zk_rr_t *old, size_t nold, const zk_sign_opts_t *opts, zk_arena_t **arenas,
                 zk_rr_t **sigs, size_t *nsigs, zk_sign_stats_t *st, zk_errctx_t *ec);

/* Merge two arrays in canonical order into out (na + nb entries). */
void zk_sign_merge(const zk_rr_t *a, size_t na, const zk_rr_t *b, size_t nb, zk_rr_t *out);

#endif
