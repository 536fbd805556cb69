/* rr — resource records and RRsets; RFC 1982 serial arithmetic. */
#ifndef ZK_RR_H
#define ZK_RR_H

#include <stddef.h>
#include <stdint.h>

#include "name.h"

/* An RR: owner, type, class, TTL and uncompressed wire rdata. Owner and
 * rdata point to storage owned elsewhere (an arena, a caller buffer). A
 * question entry has ttl 0 and rdlen 0. */
typedef struct zk_rr {
	const zk_name_t *owner;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	uint16_t rdlen;
	const uint8_t *rdata;
} zk_rr_t;

/* Canonical order of RRs (RFC 4034 §6.1 owner, then class, type, and
 * canonical rdata, §6.3). Rdata must be canonical for a DNSSEC order. */
int zk_rr_cmp(const zk_rr_t *a, const zk_rr_t *b);

/* Sort RRs canonically (stable across runs: no ties left undecided
 * except exact duplicates). */
void zk_rr_sort(zk_rr_t *rrs, size_t n);

/* RFC 1982 serial comparison: -1 a < b, 0 equal, 1 a > b, 2 undefined
 * (a and b exactly 2^31 apart). */
int zk_serial_cmp(uint32_t a, uint32_t b);
/* a + n for 0 <= n <= 2^31 - 1 (RFC 1982 §3.1); a larger n is undefined
 * and returns 0: use zk_serial_add_checked to tell. */
uint32_t zk_serial_add(uint32_t a, uint32_t n);
/* The same with the range error explicit: ZK_ERANGE when n > 2^31 - 1,
 * *out set only on success. */
int zk_serial_add_checked(uint32_t a, uint32_t n, uint32_t *out);

#endif
