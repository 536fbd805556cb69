/* Fuzz target: the zone-file parser on untrusted text, and the zone built
 * from what it returns (sort, duplicate merge, TTL rule). $INCLUDE is off
 * and $GENERATE bounded, as for any untrusted input. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rdata.h"
#include "rrtype.h"
#include "zone.h"
#include "zonefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	zk_zone_t *z = ctx;
	zk_buf_t b;

	/* what the parser made must be valid wire data that prints */
	if (zk_rdata_check(rr->type, rr->rdata, rr->rdlen, NULL) != 0 &&
	    zk_rrtype_get(rr->type) != NULL)
		__builtin_trap();
	zk_buf_init(&b);
	zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, 0, "", &b);
	zk_buf_free(&b);
	if (zk_zone_count(z) >= 2000)
		return 1;
	return zk_zone_add(z, rr, loc->file, loc->line, loc->run) == 0 ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zk_zf_opts_t o;
	zk_zone_t *z;
	zk_name_t origin;

	zk_name_from_text(&origin, "example.", 8, NULL, NULL);
	z = zk_zone_new(&origin, 0);
	if (z == NULL)
		return 0;
	zk_zf_opts_init(&o);
	o.origin = &origin;
	o.no_include = true;
	o.generate_limit = 64;
	o.max_errors = 20;
	o.on_rr = on_rr;
	o.ctx = z;
	(void)zk_zonefile_parse_mem("fuzz", (const char *)data, size, &o, NULL, NULL);
	(void)zk_zone_finish(z, NULL, NULL);
	for (size_t i = 0; i < zk_zone_count(z); i++) {
		const zk_zone_rr_t *r = zk_zone_at(z, i);
		size_t f, e;
		if (!zk_zone_find(z, r->owner, r->type, &f, &e) || i < f || i >= e)
			__builtin_trap();
	}
	zk_zone_free(z);
	return 0;
}
