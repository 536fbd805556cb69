/* rr — canonical RR order (RFC 4034 §6) and serial arithmetic (RFC 1982). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rr.h"

/* RFC 4034 §6.3: RDATA compared as left-justified unsigned octet strings,
 * the absence of an octet sorting before a zero octet. */
static int rdata_cmp(const zk_rr_t *a, const zk_rr_t *b)
{
	size_t m = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
	int r = m > 0 ? memcmp(a->rdata, b->rdata, m) : 0;

	if (r != 0)
		return r < 0 ? -1 : 1;
	if (a->rdlen != b->rdlen)
		return a->rdlen < b->rdlen ? -1 : 1;
	return 0;
}

int zk_rr_cmp(const zk_rr_t *a, const zk_rr_t *b)
{
	int r = zk_name_cmp(a->owner, b->owner);

	if (r != 0)
		return r;
	if (a->rclass != b->rclass)
		return a->rclass < b->rclass ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return rdata_cmp(a, b);
}

/* zk_rr_cmp, then the tie-breaks that make the sort reproducible: TTL and
 * the owner's case as written. Only exact duplicates remain equal. */
static int sort_cmp(const void *pa, const void *pb)
{
	const zk_rr_t *a = pa, *b = pb;
	int r = zk_rr_cmp(a, b);

	if (r != 0)
		return r;
	if (a->ttl != b->ttl)
		return a->ttl < b->ttl ? -1 : 1;
	r = memcmp(a->owner->wire, b->owner->wire, a->owner->len);
	return r < 0 ? -1 : r > 0;
}

void zk_rr_sort(zk_rr_t *rrs, size_t n)
{
	if (n > 1)
		qsort(rrs, n, sizeof(*rrs), sort_cmp);
}

/* RFC 1982 §3.2 with SERIAL_BITS = 32: i1 < i2 when they differ and the
 * forward distance from i1 to i2 is below 2^31; exactly 2^31 apart is
 * undefined. */
int zk_serial_cmp(uint32_t a, uint32_t b)
{
	uint32_t d = b - a;

	if (d == 0)
		return 0;
	if (d == UINT32_C(0x80000000))
		return 2;
	return d < UINT32_C(0x80000000) ? -1 : 1;
}

int zk_serial_add_checked(uint32_t a, uint32_t n, uint32_t *out)
{
	/* RFC 1982 §3.1: only 0 <= n <= 2^31 - 1 is defined. */
	if (n > UINT32_C(0x7fffffff))
		return ZK_ERANGE;
	*out = a + n;
	return 0;
}

uint32_t zk_serial_add(uint32_t a, uint32_t n)
{
	uint32_t r;

	if (zk_serial_add_checked(a, n, &r) != 0)
		return 0;
	return r;
}
