/* xfr — the zone-transfer client state machine: AXFR (RFC 5936) and IXFR
 * (RFC 1995), with TSIG on every message (RFC 8945 §5.3.1).
 *
 * No I/O here: the tool renders the query with zk_xfr_query, sends it
 * (net), and feeds every message it receives to zk_xfr_feed, which checks
 * it (ID, QR, opcode, question, TC, rcode, TSIG MAC chain, SOA brackets,
 * IXFR delta continuity, limits) and hands each record to a callback.
 * Records are never stored: memory does not grow with the zone. */
#ifndef ZK_XFR_H
#define ZK_XFR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "msg.h"
#include "name.h"
#include "rr.h"
#include "tsig.h"

/* What a record handed to the callback is. */
typedef enum zk_xfr_ev {
	ZK_XFR_RR = 0, /* a record of a full zone (AXFR, or an IXFR answered in AXFR
	                * form): the first SOA included, the closing SOA not */
	ZK_XFR_DEL,    /* IXFR: delete from the old version; each delta starts with
	                * its old SOA as a DEL */
	ZK_XFR_ADD,    /* IXFR: add; the delta's new SOA comes first as an ADD */
} zk_xfr_ev_t;

/* Return 0 to go on; anything else stops the transfer and is returned by
 * zk_xfr_feed. The record is valid only during the call. */
typedef int (*zk_xfr_rr_fn)(void *ctx, zk_xfr_ev_t ev, const zk_rr_t *rr);

/* Default limits (a transfer that exceeds one fails with ZK_ELIMIT). */
#define ZK_XFR_MAX_RECORDS 50000000ull  /* answer records */
#define ZK_XFR_MAX_BYTES   (8ull << 30) /* message octets */

/* Another way to sign the query and verify the stream than a TSIG key:
 * GSS-TSIG (RFC 3645), whose context lives in the gss module. The tool
 * wires gss's functions here, so xfr needs no GSS-API. The contract is
 * zk_tsig_sign / zk_tsig_verify / zk_tsig_stream_end's: sign appends the
 * TSIG RR to the query in w and keeps its MAC as the request MAC; verify
 * is called for every message with stream true (the first message is
 * then checked against the request MAC, later ones may be unsigned, at
 * most 99 in a row, RFC 8945 §5.3.1); stream_end is called when the
 * closing SOA has arrived. */
typedef struct zk_xfr_auth {
	int (*sign)(void *ctx, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec);
	int (*verify)(void *ctx, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
	              bool stream, zk_tsig_status_t *status, zk_errctx_t *ec);
	int (*stream_end)(void *ctx, zk_errctx_t *ec);
	void *ctx;
} zk_xfr_auth_t;

typedef struct zk_xfr_opts {
	const zk_name_t *zone;
	uint16_t qtype;            /* ZK_TYPE_AXFR or ZK_TYPE_IXFR */
	uint16_t qclass;           /* 0: IN */
	uint32_t serial;           /* IXFR: the serial of our copy */
	const zk_tsig_key_t *key;  /* sign the query, require signed replies; or NULL */
	const zk_xfr_auth_t *auth; /* instead of key (not both): GSS-TSIG; or NULL */
	bool udp;                  /* IXFR over UDP: one reply message, TC means retry over TCP */
	uint64_t max_records;      /* 0: ZK_XFR_MAX_RECORDS */
	uint64_t max_bytes;        /* 0: ZK_XFR_MAX_BYTES */
	zk_xfr_rr_fn on_rr;
	void *ctx;
} zk_xfr_opts_t;

/* What the server sent. */
typedef enum zk_xfr_kind {
	ZK_XFR_KIND_NONE = 0, /* not known yet */
	ZK_XFR_KIND_FULL,     /* the whole zone */
	ZK_XFR_KIND_DELTAS,   /* IXFR differences */
	ZK_XFR_KIND_UPTODATE, /* IXFR: a single SOA not newer than ours */
} zk_xfr_kind_t;

typedef struct zk_xfr_stats {
	uint64_t messages; /* messages accepted */
	uint64_t records;  /* answer records, both SOA brackets included */
	uint64_t bytes;    /* message octets */
	uint64_t signed_messages;
	zk_xfr_kind_t kind;
	uint32_t serial; /* the server's SOA serial (first record) */
	unsigned deltas; /* IXFR: differences received */
	uint16_t rcode;  /* an error rcode the server answered with (or 0) */
	bool done;
} zk_xfr_stats_t;

typedef struct zk_xfr zk_xfr_t;

/* A new transfer; NULL on ENOMEM or a bad option (no zone, other qtype,
 * no callback, both key and auth, an auth without its three functions). */
zk_xfr_t *zk_xfr_new(const zk_xfr_opts_t *o);
void zk_xfr_free(zk_xfr_t *x);

/* Render the query into buf (cap >= 512): ID id, no RD, question
 * (zone, qtype, class); for IXFR the authority section holds our SOA with
 * o->serial (RFC 1995 §3; the other fields zero, names the root, as
 * dig does). TSIG-signed when a key was given (now: seconds since the
 * epoch). The query is kept for matching replies. */
int zk_xfr_query(zk_xfr_t *x, uint16_t id, uint64_t now, uint8_t *buf, size_t cap, size_t *len,
                 zk_errctx_t *ec);

/* Use a query rendered elsewhere instead (a captured exchange replayed in
 * a test, a query built by another tool): it is kept for matching and,
 * with a key, the MAC of its TSIG becomes the request MAC the first reply
 * must cover (RFC 8945 §5.3). ZK_EMSG when it does not parse or, with a
 * key, carries no TSIG. With auth, the request MAC is the auth's business
 * (the query must have been signed through it). */
int zk_xfr_set_query(zk_xfr_t *x, const uint8_t *query, size_t len, zk_errctx_t *ec);

/* Feed one received message (as received: no TCP length field). Returns
 * 1 when more messages are needed, 0 when the transfer is complete and
 * valid, or an error (the transfer is then dead; later feeds fail):
 *   ZK_EMISMATCH  ID, QR, opcode or question do not match the query
 *   ZK_ETRUNC     TC=1 (over UDP: retry over TCP; over TCP an error)
 *   ZK_EMSG       malformed message, a server rcode (stats.rcode; the
 *                 EDE text is in ec), bad SOA brackets, records after the
 *                 closing SOA, an SOA in mid-stream, out-of-zone records
 *   ZK_ETSIG      unsigned, bad MAC, other key, more than 99 unsigned
 *   ZK_EZONE      IXFR deltas that do not start at our serial or do not
 *                 chain (the caller falls back to AXFR)
 *   ZK_ELIMIT     max_records / max_bytes exceeded
 * or what the callback returned. */
int zk_xfr_feed(zk_xfr_t *x, const uint8_t *msg, size_t len, uint64_t now, zk_errctx_t *ec);

/* The transfer stopped before the closing SOA (the connection was closed
 * or timed out): the error for it. ZK_ETRUNC. */
int zk_xfr_eof(zk_xfr_t *x, zk_errctx_t *ec);

void zk_xfr_get_stats(const zk_xfr_t *x, zk_xfr_stats_t *st);

/* ---------------------------------------------------------------- SOA helpers */

/* The serial of SOA rdata (uncompressed). ZK_ERDATA when malformed. */
int zk_xfr_soa_serial(const uint8_t *rd, size_t n, uint32_t *serial);

/* A message with one question (zone, SOA, class) for a SOA query
 * (opcode QUERY, RD clear) or a NOTIFY (RFC 1996 §3.7: opcode NOTIFY, AA
 * set), with soa (may be NULL) as the answer section; TSIG-signed when tsig
 * is not NULL (a fresh context: the request MAC stays in it to verify the
 * reply). */
int zk_xfr_soa_msg(uint16_t id, uint8_t opcode, const zk_name_t *zone, uint16_t qclass,
                   const zk_rr_t *soa, zk_tsig_ctx_t *tsig, uint64_t now, uint8_t *buf, size_t cap,
                   size_t *len, zk_errctx_t *ec);

/* The EDE (RFC 8914) of a parsed message as "EDE 18 (Prohibited): text",
 * appended to out; nothing when there is none. */
void zk_xfr_ede_text(const zk_msg_t *m, zk_buf_t *out);

#endif
