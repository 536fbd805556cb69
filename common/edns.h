/* edns — the OPT pseudo-RR (RFC 6891) and its options. */
#ifndef ZK_EDNS_H
#define ZK_EDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "rr.h"
#include "wire.h"

enum {
	ZK_EDNS_LLQ = 1,
	ZK_EDNS_UL = 2,
	ZK_EDNS_NSID = 3,
	ZK_EDNS_DAU = 5,
	ZK_EDNS_DHU = 6,
	ZK_EDNS_N3U = 7,
	ZK_EDNS_ECS = 8,
	ZK_EDNS_EXPIRE = 9,
	ZK_EDNS_COOKIE = 10,
	ZK_EDNS_KEEPALIVE = 11,
	ZK_EDNS_PADDING = 12,
	ZK_EDNS_CHAIN = 13,
	ZK_EDNS_KEYTAG = 14,
	ZK_EDNS_EDE = 15,
	ZK_EDNS_CLIENT_TAG = 16,
	ZK_EDNS_SERVER_TAG = 17,
	ZK_EDNS_REPORT_CHANNEL = 18,
	ZK_EDNS_ZONEVERSION = 19,
};

#define ZK_EDNS_DO 0x8000

typedef struct zk_edns_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *data;
} zk_edns_opt_t;

typedef struct zk_edns {
	uint16_t udp_size; /* the OPT CLASS field */
	uint8_t ext_rcode; /* upper 8 bits of the 12-bit rcode */
	uint8_t version;
	uint16_t flags; /* ZK_EDNS_DO and the Z bits */
	size_t nopts;
	zk_edns_opt_t *opts; /* in the order received / to send */
} zk_edns_t;

/* From an OPT RR of a parsed message. Options are validated where their
 * RFC fixes a shape (ECS family/prefix lengths, COOKIE 8 or 16..40 octets,
 * KEEPALIVE 0 or 2, EXPIRE 0 or 4, EDE >= 2); a bad option is ZK_EMSG. */
int zk_edns_parse(zk_edns_t *e, const zk_rr_t *opt, zk_arena_t *a, zk_errctx_t *ec);

/* Render the OPT RR (owner root, TYPE 41) at the end of w. */
void zk_edns_write(const zk_edns_t *e, zk_wbuf_t *w);

/* Size the OPT RR takes on the wire. */
size_t zk_edns_wire_size(const zk_edns_t *e);

/* One option as dig 9.18 prints it in the OPT PSEUDOSECTION, without the
 * leading "; ", e.g. "NSID: 6e 73 31 (\"ns1\")", "COOKIE: 0123... (good)"
 * is the tool's business; this prints "COOKIE: <hex>". */
void zk_edns_opt_to_text(const zk_edns_opt_t *o, zk_buf_t *out);

/* EDE info-code names (RFC 8914 §4): "Stale Answer", ... or NULL. */
const char *zk_edns_ede_name(uint16_t code);

#endif
