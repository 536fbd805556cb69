/* zone — a whole zone in memory, for checking and signing.
 *
 * Records are added in file order, then zk_zone_finish sorts them once in
 * canonical order (RFC 4034 §6.1 owner, then class, type, canonical
 * rdata), merges exact duplicates and gives every RRset one TTL the way
 * BIND does. Names and rdata live in one arena at their real size; an
 * owner shared by consecutive records is stored once. RRsets and nodes are
 * index ranges into the sorted array. */
#ifndef ZK_ZONE_H
#define ZK_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "name.h"
#include "rr.h"

typedef struct zk_zone zk_zone_t;

typedef struct zk_zone_rr {
	const zk_name_t *owner; /* case as first written */
	const uint8_t *rdata;   /* canonical form (RFC 4034 §6.2 names lower-cased) */
	const uint8_t *orig;    /* as written (== rdata when equal) */
	uint32_t ttl;
	uint32_t line;
	uint32_t seq;  /* position in file order */
	uint32_t run;  /* owner run from the parser (zk_zf_loc_t.run) */
	uint32_t node; /* after zk_zone_finish: equal for RRs of one owner,
	                * growing in canonical order */
	uint16_t type, rclass, rdlen;
	uint16_t file; /* zk_zone_file(z, file) */
} zk_zone_rr_t;

/* What zk_zone_finish changed, for the tool to report. */
enum {
	ZK_ZONE_DUPLICATE = 1, /* rr is an exact duplicate of other and was dropped */
	ZK_ZONE_TTL = 2,       /* rr's TTL (old_ttl) was set to other's */
};
typedef void (*zk_zone_note_fn)(void *ctx, int kind, const zk_zone_rr_t *rr,
                                const zk_zone_rr_t *other, uint32_t old_ttl);

/* origin: the apex (copied). NULL on ENOMEM. */
zk_zone_t *zk_zone_new(const zk_name_t *origin, uint16_t rclass);
void zk_zone_free(zk_zone_t *z);
/* Free the record index and keep the arena: owner names and rdata taken
 * from the zone stay valid until zk_zone_free, and the zone has no
 * records any more. For a tool that has copied the records it needs (a
 * 56-octet entry per record: 120 MB for a signed 1M-record zone). */
void zk_zone_drop_index(zk_zone_t *z);
const zk_name_t *zk_zone_origin(const zk_zone_t *z);
/* Replace the apex (before zk_zone_finish; e.g. taken from the SOA). */
void zk_zone_set_origin(zk_zone_t *z, const zk_name_t *origin);

/* Copy one RR in. file is interned (same pointer or same text: same
 * index). ZK_ENOMEM, ZK_ELIMIT (more than 2^32-1 records or 65535 files). */
int zk_zone_add(zk_zone_t *z, const zk_rr_t *rr, const char *file, unsigned line, uint32_t run);

/* Sort, merge duplicates, unify RRset TTLs: BIND keeps the TTL of the
 * first record of the last run of lines with that owner (a run ends when
 * the owner text changes). note may be NULL. */
int zk_zone_finish(zk_zone_t *z, zk_zone_note_fn note, void *ctx);

size_t zk_zone_count(const zk_zone_t *z);
const zk_zone_rr_t *zk_zone_at(const zk_zone_t *z, size_t i);
const char *zk_zone_file(const zk_zone_t *z, unsigned idx);
/* A zk_rr_t view of a stored RR (canonical rdata unless orig). */
void zk_zone_rr_view(const zk_zone_rr_t *r, bool orig, zk_rr_t *out);

/* End (exclusive) of the RRset / the node (same owner) starting at i. */
size_t zk_zone_rrset_end(const zk_zone_t *z, size_t i);
size_t zk_zone_node_end(const zk_zone_t *z, size_t i);
/* First index whose owner is >= name in canonical order (count if none). */
size_t zk_zone_lower_bound(const zk_zone_t *z, const zk_name_t *name);
/* The RRs of name (type 0: the whole node) as [*first, *end); false when
 * there are none. */
bool zk_zone_find(const zk_zone_t *z, const zk_name_t *name, uint16_t type, size_t *first,
                  size_t *end);
/* name owns no RR but some name below it does (RFC 4592 §2.2.2). */
bool zk_zone_is_ent(const zk_zone_t *z, const zk_name_t *name);

#endif
