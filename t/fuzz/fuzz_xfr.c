/* Property fuzzer for the zone-transfer state machine (common/xfr.c):
 * messages from a hostile primary answering a fixed AXFR or IXFR query.
 *
 * Input:
 *   octet 0   selector
 *             bit 0     IXFR (else AXFR); with bit 1: the TSIG goes
 *                       through zk_xfr_auth_t callbacks (the way zxfr -g
 *                       plugs GSS-TSIG in) instead of the key
 *             bit 1     TSIG: the query is BIND's captured AXFR query
 *                       (t/data/tsig/axfr.query.hex, key tsig-sha256.test.)
 *                       and every message is verified at its time
 *             bits 2-3  max_records: default, 3, 10, 1000
 *             bit 4     keep the IDs as given (else each message gets the
 *                       query's ID, so the fuzzer reaches the records)
 *             bit 5     the IXFR goes over UDP (one message)
 *             bit 6     the callback stops the transfer at its 5th record
 *             bit 7     max_bytes 4096
 *   octets 1-4  our IXFR serial
 *   then messages, each a 2-octet length and that many octets (the last
 *   one takes what is left).
 * Properties (a violation aborts, so libFuzzer keeps the input):
 *  - no crash, no read outside the input (ASan/UBSan);
 *  - zk_xfr_feed returns 1 (more), 0 (complete) or a documented error;
 *    after 0 or an error every later feed fails; zk_xfr_eof is 0 exactly
 *    when the transfer completed, else ZK_ETRUNC;
 *  - every record handed out is in the zone and of the query's class;
 *    no more than max_records answer records are read, no more than
 *    max_bytes octets accepted;
 *  - complete: a full zone begins with the zone's SOA and the last record
 *    of the last message is an SOA of the same serial (RFC 5936 §2.2);
 *    an IXFR delta stream begins with DEL of our SOA and ends with ADD of
 *    the server's (RFC 1995 §4); up to date is one SOA not newer than ours;
 *    the records counted match the records handed out (the closing SOA,
 *    and for deltas the opening one, not handed out);
 *  - with the callback stopping, its code is what zk_xfr_feed returns. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "msg.h"
#include "name.h"
#include "rrtype.h"
#include "tsig.h"
#include "wire.h"
#include "xfr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_xfr: property failed: %s (line %d)\n", #cond,        \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define STOP_CODE 77
#define QUERY_ID  0x1234

/* dig's AXFR query for example., signed with tsig-sha256.test.: the
 * query of the BIND capture in t/data/tsig (axfr.query.hex). */
static const char capture_query_hex[] =
    "9f0300200001000000000002076578616d706c650000fc000100002904d000000000000c000a000881f7bed000de"
    "19630b747369672d73686132353604746573740000fa00ff00000000003d0b686d61632d7368613235360000006b"
    "038d7f012c0020f092a985faaf01a11409bbb3b5927ceb53fea7d7ab7dbeb904427250d019bf2f9f0300000000";

static uint8_t capture_query[256];
static size_t capture_qlen;
static uint64_t capture_now;
static uint8_t capture_mac[64];
static size_t capture_maclen;
static zk_tsig_key_t capture_key;
static zk_name_t zone;
static bool ready;

static void init_once(void)
{
	zk_arena_t *a;
	zk_msg_t m;
	zk_wire_t w;
	int al;

	if (ready)
		return;
	for (size_t i = 0; capture_query_hex[2 * i] != '\0'; i++) {
		unsigned v;
		CHECK(sscanf(capture_query_hex + 2 * i, "%2x", &v) == 1);
		capture_query[capture_qlen++] = (uint8_t)v;
	}
	CHECK(zk_tsig_key_init(&capture_key, "tsig-sha256.test.", "hmac-sha256",
	                       "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM=", NULL) == 0);
	a = zk_arena_new(0);
	CHECK(a != NULL);
	CHECK(zk_msg_parse(&m, capture_query, capture_qlen, a, NULL) == 0 && m.sig != NULL);
	al = zk_name_wire_len(m.sig->rdata, m.sig->rdlen);
	CHECK(al > 0);
	zk_wire_init(&w, m.sig->rdata + al, m.sig->rdlen - (size_t)al);
	capture_now = zk_wire_u48(&w);
	zk_wire_skip(&w, 2); /* fudge */
	capture_maclen = zk_wire_u16(&w);
	CHECK(capture_maclen <= sizeof(capture_mac));
	zk_wire_bytes(&w, capture_mac, capture_maclen);
	CHECK(w.err == 0);
	zk_arena_free(a);
	CHECK(zk_name_from_text(&zone, "example.", 8, NULL, NULL) == 0);
	ready = true;
}

struct seen {
	uint16_t qclass;
	uint64_t n, ev[3];
	bool stop;
	/* the first record handed out */
	zk_xfr_ev_t first_ev;
	uint16_t first_type;
	uint32_t first_serial;
	/* the last SOA handed out as ADD (IXFR) */
	uint32_t last_add_serial;
	bool have_add_soa;
};

static int on_rr(void *ctx, zk_xfr_ev_t ev, const zk_rr_t *rr)
{
	struct seen *s = ctx;
	uint32_t serial = 0;

	CHECK(ev == ZK_XFR_RR || ev == ZK_XFR_DEL || ev == ZK_XFR_ADD);
	CHECK(zk_name_is_sub(rr->owner, &zone));
	CHECK(rr->rclass == s->qclass);
	if (rr->type == ZK_TYPE_SOA) {
		CHECK(zk_name_eq(rr->owner, &zone));
		CHECK(zk_xfr_soa_serial(rr->rdata, rr->rdlen, &serial) == 0);
	}
	if (s->n == 0) {
		s->first_ev = ev;
		s->first_type = rr->type;
		s->first_serial = serial;
	}
	if (ev == ZK_XFR_ADD && rr->type == ZK_TYPE_SOA) {
		s->last_add_serial = serial;
		s->have_add_soa = true;
	}
	s->n++;
	s->ev[ev]++;
	if (s->stop && s->n == 5)
		return STOP_CODE;
	return 0;
}

/* zk_xfr_auth_t over a TSIG context: the plumbing zxfr -g uses. */
static int auth_sign(void *ctx, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec)
{
	return zk_tsig_sign(ctx, w, now, 0, ec);
}

static int auth_verify(void *ctx, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
                       bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	return zk_tsig_verify(ctx, raw, len, m, now, stream, status, ec);
}

static int auth_stream_end(void *ctx, zk_errctx_t *ec)
{
	return zk_tsig_stream_end(ctx, ec);
}

static bool documented(int rc)
{
	switch (rc) {
	case ZK_EMISMATCH:
	case ZK_ETRUNC:
	case ZK_EMSG:
	case ZK_ETSIG:
	case ZK_EZONE:
	case ZK_ELIMIT:
	case ZK_ENOMEM: return true;
	default: return false;
	}
}

/* The last answer record of a message that completed a transfer. */
static bool last_answer_soa(const uint8_t *msg, size_t len, uint32_t *serial)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;
	bool ok = false;

	CHECK(a != NULL);
	if (zk_msg_parse(&m, msg, len, a, NULL) == 0 && m.count[ZK_SEC_ANSWER] > 0) {
		const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][m.count[ZK_SEC_ANSWER] - 1];
		ok = rr->type == ZK_TYPE_SOA && zk_name_eq(rr->owner, &zone) &&
		     zk_xfr_soa_serial(rr->rdata, rr->rdlen, serial) == 0;
	}
	zk_arena_free(a);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t maxrec[4] = {0, 3, 10, 1000};
	struct seen s = {.qclass = ZK_CLASS_IN};
	zk_xfr_opts_t o = {0};
	zk_xfr_stats_t st;
	zk_errctx_t ec;
	zk_xfr_t *x;
	zk_tsig_ctx_t tc;
	zk_xfr_auth_t auth = {auth_sign, auth_verify, auth_stream_end, &tc};
	bool via_auth;
	uint8_t sel, q[1024], *msg;
	size_t qlen, pos = 5;
	uint64_t now = 1700000000, limit;
	const uint8_t *last = NULL;
	size_t last_len = 0;
	bool tsig, keep_id;
	int rc = 1;

	init_once();
	if (size < 5)
		return 0;
	sel = data[0];
	tsig = (sel & 2) != 0;
	keep_id = (sel & 16) != 0;
	o.zone = &zone;
	o.qtype = (sel & 1) && !tsig ? ZK_TYPE_IXFR : ZK_TYPE_AXFR;
	o.serial = zk_get_u32(data + 1);
	via_auth = tsig && (sel & 1);
	o.key = tsig && !via_auth ? &capture_key : NULL;
	o.auth = via_auth ? &auth : NULL;
	if (via_auth) {
		/* The request MAC is the auth's business: the captured query's. */
		zk_tsig_ctx_init(&tc, &capture_key, ZK_TSIG_FUDGE);
		memcpy(tc.mac, capture_mac, capture_maclen);
		tc.mac_len = capture_maclen;
		tc.have_mac = true;
	}
	o.udp = o.qtype == ZK_TYPE_IXFR && (sel & 32);
	o.max_records = maxrec[(sel >> 2) & 3];
	o.max_bytes = (sel & 128) ? 4096 : 0;
	o.on_rr = on_rr;
	o.ctx = &s;
	s.stop = (sel & 64) != 0;
	limit = o.max_records ? o.max_records : ZK_XFR_MAX_RECORDS;

	x = zk_xfr_new(&o);
	CHECK(x != NULL);
	zk_errctx_init(&ec);
	if (tsig) {
		now = capture_now;
		CHECK(zk_xfr_set_query(x, capture_query, capture_qlen, &ec) == 0);
	} else {
		CHECK(zk_xfr_query(x, QUERY_ID, now, q, sizeof(q), &qlen, &ec) == 0);
	}
	msg = malloc(65536);
	CHECK(msg != NULL);

	while (pos < size && rc == 1) {
		size_t n = size - pos;
		if (n >= 2) {
			size_t want = zk_get_u16(data + pos);
			pos += 2;
			n = size - pos < want ? size - pos : want;
		} else {
			pos += n;
			n = 0;
		}
		memcpy(msg, data + pos, n);
		pos += n;
		if (!keep_id && n >= 2)
			zk_put_u16(msg, tsig ? zk_get_u16(capture_query) : QUERY_ID);
		zk_errctx_init(&ec);
		rc = zk_xfr_feed(x, msg, n, now, &ec);
		CHECK(rc == 0 || rc == 1 || rc == STOP_CODE || documented(rc));
		CHECK(rc != STOP_CODE || (s.stop && s.n == 5));
		/* An error explains itself. */
		CHECK(rc >= 0 || ec.msg[0] != '\0');
		zk_xfr_get_stats(x, &st);
		CHECK(st.records <= limit);
		CHECK(s.n <= st.records);
		if (rc == 0 || rc == 1)
			CHECK(!o.max_bytes || st.bytes <= o.max_bytes);
		last = data + pos - n;
		last_len = n;
	}
	zk_xfr_get_stats(x, &st);
	if (rc == 0) {
		uint32_t closing = 0;

		CHECK(st.done);
		if (!keep_id && last_len >= 2) {
			memcpy(msg, last, last_len);
			zk_put_u16(msg, tsig ? zk_get_u16(capture_query) : QUERY_ID);
			last = msg;
		}
		switch (st.kind) {
		case ZK_XFR_KIND_FULL:
			CHECK(s.n >= 1 && s.ev[ZK_XFR_RR] == s.n);
			CHECK(s.first_type == ZK_TYPE_SOA && s.first_serial == st.serial);
			CHECK(st.records == s.n + 1);
			CHECK(last_answer_soa(last, last_len, &closing) && closing == st.serial);
			break;
		case ZK_XFR_KIND_DELTAS:
			CHECK(o.qtype == ZK_TYPE_IXFR);
			CHECK(s.ev[ZK_XFR_RR] == 0 && st.deltas >= 1);
			CHECK(s.first_ev == ZK_XFR_DEL && s.first_type == ZK_TYPE_SOA &&
			      s.first_serial == o.serial);
			CHECK(s.have_add_soa && s.last_add_serial == st.serial);
			CHECK(st.records == s.n + 2);
			CHECK(last_answer_soa(last, last_len, &closing) && closing == st.serial);
			break;
		case ZK_XFR_KIND_UPTODATE:
			CHECK(o.qtype == ZK_TYPE_IXFR && s.n == 0 && st.records == 1);
			CHECK(zk_serial_cmp(st.serial, o.serial) != 1);
			break;
		default: CHECK(!"complete without a kind");
		}
		if (tsig)
			CHECK(st.signed_messages >= 1);
		CHECK(zk_xfr_eof(x, NULL) == 0);
		/* Nothing may follow the closing SOA. */
		CHECK(zk_xfr_feed(x, msg, last_len, now, NULL) < 0);
	} else if (rc < 0 || rc == STOP_CODE) {
		CHECK(!st.done);
		CHECK(zk_xfr_feed(x, msg, last_len, now, NULL) < 0);
		CHECK(zk_xfr_eof(x, NULL) == ZK_ETRUNC);
	} else {
		CHECK(!st.done);
		CHECK(zk_xfr_eof(x, NULL) == ZK_ETRUNC);
	}
	free(msg);
	zk_xfr_free(x);
	if (via_auth)
		zk_tsig_ctx_free(&tc);
	return 0;
}
