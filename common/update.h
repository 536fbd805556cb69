/* update — DNS UPDATE messages (RFC 2136): prerequisites and updates in
 * the encodings of §2.4 and §2.5, and the rendered request.
 *
 * Sections of an UPDATE message reuse msg's: ZONE is the question section,
 * PREREQUISITE the answer section, UPDATE the authority section. The zone
 * is given at render time (it may be found only after the records were
 * collected, by asking for the SOA of the first name). */
#ifndef ZK_UPDATE_H
#define ZK_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "msg.h"
#include "name.h"

/* RFC 2136 §2.4 prerequisite kinds. */
typedef enum zk_prereq {
	ZK_PREREQ_NXDOMAIN, /* §2.4.5 name is not in use: class NONE, type ANY */
	ZK_PREREQ_YXDOMAIN, /* §2.4.4 name is in use: class ANY, type ANY */
	ZK_PREREQ_NXRRSET,  /* §2.4.3 RRset does not exist: class NONE */
	ZK_PREREQ_YXRRSET,  /* §2.4.1 RRset exists (value independent): class ANY;
	                     * §2.4.2 with rdata (value dependent): zone class */
} zk_prereq_t;

typedef struct zk_update {
	zk_arena_t *arena;
	zk_msg_t msg;    /* ANSWER: prerequisites, AUTHORITY: updates */
	uint16_t rclass; /* the zone class (default IN) */
} zk_update_t;

/* ZK_ENOMEM. */
int zk_update_init(zk_update_t *u, uint16_t rclass);
/* Forget every record (the class stays). */
void zk_update_clear(zk_update_t *u);
void zk_update_free(zk_update_t *u);

/* Add a prerequisite. type is ignored for NXDOMAIN/YXDOMAIN. rd/rdlen
 * with has_rdata (value-dependent YXRRSET only: ZK_EINVAL otherwise). */
int zk_update_prereq(zk_update_t *u, zk_prereq_t kind, const zk_name_t *owner, uint16_t type,
                     const uint8_t *rd, size_t rdlen, bool has_rdata, zk_errctx_t *ec);

/* §2.5.1 add an RR to an RRset: zone class, the TTL, the rdata. Meta
 * types (ANY, AXFR, MAILA, MAILB, OPT, TSIG, ...) are refused
 * (§3.4.1.2: the server would answer FORMERR). */
int zk_update_add(zk_update_t *u, const zk_name_t *owner, uint16_t type, uint32_t ttl,
                  const uint8_t *rd, size_t rdlen, zk_errctx_t *ec);

/* Deletions: without rdata, type ZK_TYPE_ANY deletes every RRset of the
 * name (§2.5.3: class ANY, type ANY), another type that RRset (§2.5.2:
 * class ANY); with rdata one RR (§2.5.4: class NONE). TTL 0, as §2.5
 * requires. */
int zk_update_delete(zk_update_t *u, const zk_name_t *owner, uint16_t type, const uint8_t *rd,
                     size_t rdlen, bool has_rdata, zk_errctx_t *ec);

size_t zk_update_nprereq(const zk_update_t *u);
size_t zk_update_nupdate(const zk_update_t *u);

/* The name a zone should be looked up for: the first update's owner, else
 * the first prerequisite's; NULL when the update is empty. */
const zk_name_t *zk_update_first_name(const zk_update_t *u);

/* Every record's owner is the zone or below it (RFC 2136 §3.1.2 / §3.4.1.3:
 * the server answers NOTZONE otherwise). ZK_EZONE naming the first one
 * outside. */
int zk_update_check_zone(const zk_update_t *u, const zk_name_t *zone, zk_errctx_t *ec);

/* Render the request: header (ID, opcode UPDATE, no flags), ZONE section
 * (zone, SOA, the class), prerequisites, updates. Every record must fit in
 * maxsize (no truncation: ZK_ESPACE). */
int zk_update_render(zk_update_t *u, const zk_name_t *zone, uint16_t id, uint8_t *buf,
                     size_t maxsize, size_t *outlen, zk_errctx_t *ec);

#endif
