/* xfr: the transfer state machine. The TSIG known answer is a real signed
 * AXFR from BIND 9.18 (t/data/tsig/axfr.*: dig's query and named's 13
 * replies, captured by t/data/tsig/capture.py): it must verify as a whole
 * and fail when a message is changed, dropped or cut. The rest uses
 * messages built here, checked against RFC 5936 §2.2 (SOA brackets) and
 * RFC 1995 §4 (IXFR answer forms). */
#include "config.h"

#include "testutil.h"

#include "alloc.h"
#include "msg.h"
#include "rrtype.h"
#include "tsig.h"
#include "wire.h"
#include "xfr.h"

#define SHA256_SECRET "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM="

/* ---------------------------------------------------------------- helpers */

/* What the callback saw. */
typedef struct seen {
	unsigned n[3];       /* per event */
	char log[4096];      /* "R:SOA R:NS D:SOA ..." */
	unsigned stop_after; /* return an error after this many (0: never) */
} seen_t;

static int on_rr(void *ctx, zk_xfr_ev_t ev, const zk_rr_t *rr)
{
	seen_t *s = ctx;
	char t[16];
	size_t l = strlen(s->log);

	s->n[ev]++;
	zk_rrtype_to_text(rr->type, t, sizeof(t));
	if (l + 24 < sizeof(s->log)) {
		if (rr->type == ZK_TYPE_SOA) {
			uint32_t serial = 0;
			assert_int_equal(zk_xfr_soa_serial(rr->rdata, rr->rdlen, &serial), 0);
			snprintf(s->log + l, sizeof(s->log) - l, "%s%c:SOA%u", l ? " " : "",
			         "RDA"[ev], serial);
		} else {
			snprintf(s->log + l, sizeof(s->log) - l, "%s%c:%s", l ? " " : "", "RDA"[ev],
			         t);
		}
	}
	if (s->stop_after && s->n[0] + s->n[1] + s->n[2] >= s->stop_after)
		return ZK_EIO;
	return 0;
}

/* A reply message under construction. */
typedef struct mb {
	uint8_t buf[4096];
	zk_wbuf_t w;
	size_t ancount_at;
	uint16_t an;
} mb_t;

static void mb_start(mb_t *b, uint16_t id, uint16_t flags, const char *qname, uint16_t qtype)
{
	zk_wbuf_init(&b->w, b->buf, sizeof(b->buf));
	zk_wbuf_u16(&b->w, id);
	zk_wbuf_u16(&b->w, flags);
	zk_wbuf_u16(&b->w, qname ? 1 : 0);
	b->ancount_at = b->w.len;
	zk_wbuf_u16(&b->w, 0);
	zk_wbuf_u16(&b->w, 0);
	zk_wbuf_u16(&b->w, 0);
	b->an = 0;
	if (qname) {
		zk_name_t q = name(qname);
		zk_name_to_wire(&q, &b->w);
		zk_wbuf_u16(&b->w, qtype);
		zk_wbuf_u16(&b->w, ZK_CLASS_IN);
	}
}

static void mb_rr(mb_t *b, const char *owner, uint16_t type, const uint8_t *rd, uint16_t rdlen)
{
	zk_name_t o = name(owner);
	zk_name_to_wire(&o, &b->w);
	zk_wbuf_u16(&b->w, type);
	zk_wbuf_u16(&b->w, ZK_CLASS_IN);
	zk_wbuf_u32(&b->w, 300);
	zk_wbuf_u16(&b->w, rdlen);
	zk_wbuf_bytes(&b->w, rd, rdlen);
	b->an++;
	zk_put_u16(b->buf + b->ancount_at, b->an);
}

static void mb_soa(mb_t *b, const char *zone, uint32_t serial)
{
	/* mname "ns.", rname "h.", serial, 4 timers */
	uint8_t rd[] = {2,  'n', 's', 0, 1,  'h', 0, 0,  0,   0, 0, 0, 0, 14,
	                16, 0,   0,   2, 88, 0,   1, 81, 128, 0, 0, 1, 44};
	rd[7] = (uint8_t)(serial >> 24);
	rd[8] = (uint8_t)(serial >> 16);
	rd[9] = (uint8_t)(serial >> 8);
	rd[10] = (uint8_t)serial;
	mb_rr(b, zone, ZK_TYPE_SOA, rd, sizeof(rd));
}

static void mb_a(mb_t *b, const char *owner, uint8_t last)
{
	uint8_t rd[4] = {192, 0, 2, last};
	mb_rr(b, owner, ZK_TYPE_A, rd, 4);
}

/* A transfer without TSIG whose query ID is id. */
static zk_xfr_t *start(seen_t *s, uint16_t qtype, uint32_t serial, bool udp, uint16_t id)
{
	zk_name_t z = name("example.");
	zk_xfr_opts_t o = {
	    .zone = &z, .qtype = qtype, .serial = serial, .udp = udp, .on_rr = on_rr, .ctx = s};
	zk_xfr_t *x = zk_xfr_new(&o);
	uint8_t q[512];
	size_t qlen;

	assert_non_null(x);
	assert_int_equal(zk_xfr_query(x, id, 0, q, sizeof(q), &qlen, NULL), 0);
	return x;
}

static int feed(zk_xfr_t *x, mb_t *b, zk_errctx_t *ec)
{
	assert_int_equal(b->w.err, 0);
	zk_errctx_init(ec);
	return zk_xfr_feed(x, b->buf, b->w.len, 0, ec);
}

/* ---------------------------------------------------------------- queries */

static void test_query_axfr_bytes(void **state)
{
	seen_t s = {0};
	zk_name_t z = name("example.");
	zk_xfr_opts_t o = {.zone = &z, .qtype = ZK_TYPE_AXFR, .on_rr = on_rr, .ctx = &s};
	zk_xfr_t *x = zk_xfr_new(&o);
	uint8_t q[512];
	size_t n;
	/* RFC 5936 §2.1.1: header (ID, no flags, QD 1), example./AXFR/IN. */
	static const uint8_t want[] = {0x12, 0x34, 0,   0,   0,   1,   0,   0, 0, 0,   0, 0, 7,
	                               'e',  'x',  'a', 'm', 'p', 'l', 'e', 0, 0, 252, 0, 1};
	(void)state;
	assert_int_equal(zk_xfr_query(x, 0x1234, 0, q, sizeof(q), &n, NULL), 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(q, want, n);
	zk_xfr_free(x);
}

static void test_query_ixfr_bytes(void **state)
{
	seen_t s = {0};
	zk_name_t z = name("example.");
	zk_xfr_opts_t o = {
	    .zone = &z, .qtype = ZK_TYPE_IXFR, .serial = 0x01020304, .on_rr = on_rr, .ctx = &s};
	zk_xfr_t *x = zk_xfr_new(&o);
	uint8_t q[512];
	size_t n;
	/* RFC 1995 §3: NS 1, our SOA in the authority section: what dig
	 * sends for "dig ixfr=16909060" (root names, timers zero). */
	static const uint8_t want[] = {0xab, 0xcd, 0,   0,   0,   1,   0, 0, 0,   1, 0, 0, 7,   'e',
	                               'x',  'a',  'm', 'p', 'l', 'e', 0, 0, 251, 0, 1, 7, 'e', 'x',
	                               'a',  'm',  'p', 'l', 'e', 0,   0, 6, 0,   1, 0, 0, 0,   0,
	                               0,    22,   0,   0,   1,   2,   3, 4, 0,   0, 0, 0, 0,   0,
	                               0,    0,    0,   0,   0,   0,   0, 0, 0,   0};
	(void)state;
	assert_int_equal(zk_xfr_query(x, 0xabcd, 0, q, sizeof(q), &n, NULL), 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(q, want, n);
	zk_xfr_free(x);
}

static void test_notify_bytes(void **state)
{
	zk_name_t z = name("example.");
	uint8_t m[512];
	size_t n;
	/* RFC 1996 §3.7: opcode NOTIFY (4 << 11) and AA: flags 0x2400. */
	static const uint8_t want[] = {0,   7,   0x24, 0,   0,   1,   0,   0, 0, 0, 0, 0, 7,
	                               'e', 'x', 'a',  'm', 'p', 'l', 'e', 0, 0, 6, 0, 1};
	(void)state;
	assert_int_equal(
	    zk_xfr_soa_msg(7, ZK_OPCODE_NOTIFY, &z, 0, NULL, NULL, 0, m, sizeof(m), &n, NULL), 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(m, want, n);
	/* A SOA query: opcode QUERY, no flags. */
	assert_int_equal(
	    zk_xfr_soa_msg(7, ZK_OPCODE_QUERY, &z, 0, NULL, NULL, 0, m, sizeof(m), &n, NULL), 0);
	assert_int_equal(m[2], 0);
	assert_int_equal(m[3], 0);
}

static void test_soa_serial(void **state)
{
	uint8_t rd[] = {0, 0, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 0, 0,
	                0, 0, 0,    0,    0,    0,    0, 0, 0, 0, 0};
	uint32_t s = 0;
	(void)state;
	assert_int_equal(zk_xfr_soa_serial(rd, sizeof(rd), &s), 0);
	assert_int_equal(s, 0xfffffffe);
	assert_int_equal(zk_xfr_soa_serial(rd, sizeof(rd) - 1, &s), ZK_ERDATA);
	rd[0] = 5; /* a label running past the end */
	assert_int_equal(zk_xfr_soa_serial(rd, 3, &s), ZK_ERDATA);
}

/* ---------------------------------------------------------------- TSIG capture */

struct axfr {
	uint8_t q[1024];
	size_t qlen;
	uint8_t *m[13];
	size_t len[13];
	uint64_t now;
	zk_tsig_key_t key;
};

static struct axfr *load_capture(void)
{
	struct axfr *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->qlen = load_hex("tsig/axfr.query.hex", c->q, sizeof(c->q));
	for (int i = 0; i < 13; i++) {
		char rel[32];
		c->m[i] = malloc(65536);
		assert_non_null(c->m[i]);
		snprintf(rel, sizeof(rel), "tsig/axfr.reply.%d.hex", i);
		c->len[i] = load_hex(rel, c->m[i], 65536);
	}
	assert_int_equal(
	    zk_tsig_key_init(&c->key, "tsig-sha256.test.", "hmac-sha256", SHA256_SECRET, NULL), 0);
	/* The time signed of the query (TSIG rdata: alg name, 6-octet time). */
	{
		zk_arena_t *a = zk_arena_new(0);
		zk_msg_t m;
		assert_int_equal(zk_msg_parse(&m, c->q, c->qlen, a, NULL), 0);
		assert_non_null(m.sig);
		int al = zk_name_wire_len(m.sig->rdata, m.sig->rdlen);
		assert_true(al > 0);
		zk_wire_t w;
		zk_wire_init(&w, m.sig->rdata + al, m.sig->rdlen - (size_t)al);
		c->now = zk_wire_u48(&w);
		zk_arena_free(a);
	}
	return c;
}

static void free_capture(struct axfr *c)
{
	for (int i = 0; i < 13; i++)
		free(c->m[i]);
	free(c);
}

static zk_xfr_t *capture_xfr(struct axfr *c, seen_t *s)
{
	zk_name_t z = name("example.");
	zk_xfr_opts_t o = {
	    .zone = &z, .qtype = ZK_TYPE_AXFR, .key = &c->key, .on_rr = on_rr, .ctx = s};
	zk_xfr_t *x = zk_xfr_new(&o);
	assert_non_null(x);
	assert_int_equal(zk_xfr_set_query(x, c->q, c->qlen, NULL), 0);
	return x;
}

static void test_bind_signed_axfr(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_xfr_stats_t st;
	zk_errctx_t ec;
	(void)state;

	for (int i = 0; i < 13; i++) {
		zk_errctx_init(&ec);
		int rc = zk_xfr_feed(x, c->m[i], c->len[i], c->now, &ec);
		if (rc < 0)
			fail_msg("message %d: %s", i, ec.msg);
		assert_int_equal(rc, i == 12 ? 0 : 1);
	}
	zk_xfr_get_stats(x, &st);
	assert_true(st.done);
	assert_int_equal(st.kind, ZK_XFR_KIND_FULL);
	assert_int_equal(st.messages, 13);
	/* SOA, NS, 3000 TXT and an A in server order, closing SOA */
	assert_int_equal(st.records, 3004);
	assert_int_equal(st.serial, 1);
	assert_int_equal(s.n[ZK_XFR_RR], 3003);
	assert_int_equal(strncmp(s.log, "R:SOA1 R:NS R:TXT R:TXT", 23), 0);
	/* BIND signs every message of a transfer. */
	assert_int_equal(st.signed_messages, 13);
	zk_xfr_free(x);
	free_capture(c);
}

static void test_bind_axfr_tampered(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_errctx_t ec;
	int rc = 1;
	(void)state;

	/* One octet of TXT data in message 5 changed: that message's MAC fails. */
	c->m[5][c->len[5] / 2] ^= 0x01;
	for (int i = 0; i < 13 && rc == 1; i++) {
		zk_errctx_init(&ec);
		rc = zk_xfr_feed(x, c->m[i], c->len[i], c->now, &ec);
		if (i < 5)
			assert_int_equal(rc, 1);
	}
	assert_int_equal(rc, ZK_ETSIG);
	assert_non_null(strstr(ec.msg, "message 6: BADSIG"));
	/* Dead: later messages are refused. */
	assert_true(zk_xfr_feed(x, c->m[6], c->len[6], c->now, NULL) < 0);
	zk_xfr_free(x);
	free_capture(c);
}

static void test_bind_axfr_dropped_message(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_errctx_t ec;
	int rc = 1;
	(void)state;

	/* Message 7 never arrives: the MAC chain of message 8 breaks. */
	for (int i = 0; i < 13 && rc == 1; i++) {
		if (i == 7)
			continue;
		zk_errctx_init(&ec);
		rc = zk_xfr_feed(x, c->m[i], c->len[i], c->now, &ec);
	}
	assert_int_equal(rc, ZK_ETSIG);
	zk_xfr_free(x);
	free_capture(c);
}

static void test_bind_axfr_cut(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_errctx_t ec;
	(void)state;

	for (int i = 0; i < 12; i++)
		assert_int_equal(zk_xfr_feed(x, c->m[i], c->len[i], c->now, NULL), 1);
	zk_errctx_init(&ec);
	assert_int_equal(zk_xfr_eof(x, &ec), ZK_ETRUNC);
	assert_non_null(strstr(ec.msg, "ended before the closing SOA"));
	zk_xfr_free(x);
	free_capture(c);
}

static void test_bind_axfr_badtime_and_wrong_key(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_errctx_t ec;
	(void)state;

	/* Ten minutes later: outside the fudge (300 s). */
	zk_errctx_init(&ec);
	assert_int_equal(zk_xfr_feed(x, c->m[0], c->len[0], c->now + 600, &ec), ZK_ETSIG);
	assert_non_null(strstr(ec.msg, "BADTIME"));
	zk_xfr_free(x);

	/* Another secret under the same name. */
	assert_int_equal(zk_tsig_key_init(&c->key, "tsig-sha256.test.", "hmac-sha256",
	                                  "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZw==", NULL),
	                 0);
	x = capture_xfr(c, &s);
	zk_errctx_init(&ec);
	assert_int_equal(zk_xfr_feed(x, c->m[0], c->len[0], c->now, &ec), ZK_ETSIG);
	assert_non_null(strstr(ec.msg, "BADSIG"));
	zk_xfr_free(x);
	free_capture(c);
}

static void test_signed_request_unsigned_reply(void **state)
{
	struct axfr *c = load_capture();
	seen_t s = {0};
	zk_xfr_t *x = capture_xfr(c, &s);
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	mb_start(&b, zk_get_u16(c->q), 0x8400, "example.", ZK_TYPE_AXFR);
	mb_soa(&b, "example.", 1);
	mb_a(&b, "a.example.", 1);
	mb_soa(&b, "example.", 1);
	assert_int_equal(feed(x, &b, &ec), ZK_ETSIG);
	assert_non_null(strstr(ec.msg, "not signed"));
	/* The records were never handed out. */
	assert_int_equal(s.n[ZK_XFR_RR], 0);
	zk_xfr_free(x);
	free_capture(c);
}

/* ---------------------------------------------------------------- AXFR brackets */

static void test_axfr_two_messages(void **state)
{
	seen_t s = {0};
	zk_xfr_t *x = start(&s, ZK_TYPE_AXFR, 0, false, 0x4242);
	zk_xfr_stats_t st;
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	mb_start(&b, 0x4242, 0x8400, "example.", ZK_TYPE_AXFR);
	mb_soa(&b, "example.", 7);
	mb_a(&b, "a.example.", 1);
	assert_int_equal(feed(x, &b, &ec), 1);
	/* RFC 5936 §2.2.1: later messages may leave the question out. */
	mb_start(&b, 0x4242, 0x8400, NULL, 0);
	mb_a(&b, "b.example.", 2);
	mb_soa(&b, "EXAMPLE.", 7);
	assert_int_equal(feed(x, &b, &ec), 0);
	zk_xfr_get_stats(x, &st);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.messages, 2);
	assert_string_equal(s.log, "R:SOA7 R:A R:A");
	/* Nothing may follow. */
	assert_true(feed(x, &b, &ec) < 0);
	zk_xfr_free(x);
}

static void test_axfr_errors(void **state)
{
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	struct {
		const char *what;
		int rc;
		const char *msg;
	} cases[] = {
	    {"id", ZK_EMISMATCH, "has ID"},
	    {"qr", ZK_EMISMATCH, "QR"},
	    {"qname", ZK_EMISMATCH, "question"},
	    {"tc", ZK_ETRUNC, "TC=1"},
	    {"refused", ZK_EMSG, "server answered REFUSED"},
	    {"notsoa", ZK_EMSG, "first record is not the zone's SOA"},
	    {"mid", ZK_EMSG, "SOA with serial 8 in mid-stream"},
	    {"trailing", ZK_EMSG, "records after the closing SOA"},
	    {"outside", ZK_EMSG, "record outside the zone: a.example.net."},
	    {"empty", ZK_EMSG, "no answer records"},
	    {"othersoa", ZK_EMSG, "SOA record of another name"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_AXFR, 0, false, 100);
		const char *w = cases[i].what;
		uint16_t id = strcmp(w, "id") == 0 ? 101 : 100;
		uint16_t fl = strcmp(w, "qr") == 0   ? 0x0400
		              : strcmp(w, "tc") == 0 ? 0x8600
		                                     : 0x8400;

		if (strcmp(w, "refused") == 0)
			fl |= ZK_RCODE_REFUSED;
		mb_start(&b, id, fl, strcmp(w, "qname") == 0 ? "other." : "example.", ZK_TYPE_AXFR);
		if (strcmp(w, "notsoa") == 0)
			mb_a(&b, "a.example.", 1);
		if (strcmp(w, "empty") != 0 && strcmp(w, "refused") != 0)
			mb_soa(&b, strcmp(w, "othersoa") == 0 ? "sub.example." : "example.", 7);
		if (strcmp(w, "outside") == 0)
			mb_a(&b, "a.example.net.", 1);
		if (strcmp(w, "mid") == 0)
			mb_soa(&b, "example.", 8);
		if (strcmp(w, "trailing") == 0) {
			mb_soa(&b, "example.", 7);
			mb_a(&b, "a.example.", 1);
		}
		int rc = feed(x, &b, &ec);
		if (rc != cases[i].rc || strstr(ec.msg, cases[i].msg) == NULL)
			fail_msg("%s: rc %d (%s), want %d (%s)", w, rc, ec.msg, cases[i].rc,
			         cases[i].msg);
		if (strcmp(w, "refused") == 0) {
			zk_xfr_stats_t st;
			zk_xfr_get_stats(x, &st);
			assert_int_equal(st.rcode, ZK_RCODE_REFUSED);
		}
		zk_xfr_free(x);
	}
}

static void test_error_without_question(void **state)
{
	seen_t s = {0};
	zk_xfr_t *x = start(&s, ZK_TYPE_AXFR, 0, false, 3);
	zk_xfr_stats_t st;
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	/* FORMERR with QDCOUNT 0: reported by its rcode, not as a mismatch. */
	mb_start(&b, 3, 0x8001, NULL, 0);
	assert_int_equal(feed(x, &b, &ec), ZK_EMSG);
	assert_string_equal(ec.msg, "server answered FORMERR");
	zk_xfr_get_stats(x, &st);
	assert_int_equal(st.rcode, ZK_RCODE_FORMERR);
	zk_xfr_free(x);
}

static void test_axfr_id_changes_later(void **state)
{
	seen_t s = {0};
	zk_xfr_t *x = start(&s, ZK_TYPE_AXFR, 0, false, 500);
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	mb_start(&b, 500, 0x8400, "example.", ZK_TYPE_AXFR);
	mb_soa(&b, "example.", 1);
	assert_int_equal(feed(x, &b, &ec), 1);
	mb_start(&b, 501, 0x8400, NULL, 0);
	mb_soa(&b, "example.", 1);
	assert_int_equal(feed(x, &b, &ec), ZK_EMISMATCH);
	assert_string_equal(ec.msg, "message 2 has ID 501, the query had 500");
	zk_xfr_free(x);
}

static void test_limits(void **state)
{
	seen_t s = {0};
	zk_name_t z = name("example.");
	zk_xfr_opts_t o = {
	    .zone = &z, .qtype = ZK_TYPE_AXFR, .max_records = 3, .on_rr = on_rr, .ctx = &s};
	zk_xfr_t *x = zk_xfr_new(&o);
	uint8_t q[512];
	size_t qlen;
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	assert_int_equal(zk_xfr_query(x, 9, 0, q, sizeof(q), &qlen, NULL), 0);
	mb_start(&b, 9, 0x8400, "example.", ZK_TYPE_AXFR);
	mb_soa(&b, "example.", 1);
	mb_a(&b, "a.example.", 1);
	mb_a(&b, "b.example.", 1);
	mb_a(&b, "c.example.", 1);
	mb_soa(&b, "example.", 1);
	assert_int_equal(feed(x, &b, &ec), ZK_ELIMIT);
	assert_string_equal(ec.msg, "transfer of more than 3 records");
	zk_xfr_free(x);

	o.max_records = 0;
	o.max_bytes = 50;
	x = zk_xfr_new(&o);
	assert_int_equal(zk_xfr_query(x, 9, 0, q, sizeof(q), &qlen, NULL), 0);
	assert_int_equal(feed(x, &b, &ec), ZK_ELIMIT);
	assert_string_equal(ec.msg, "transfer larger than 50 octets");
	zk_xfr_free(x);
}

static void test_callback_error_stops(void **state)
{
	seen_t s = {.stop_after = 2};
	zk_xfr_t *x = start(&s, ZK_TYPE_AXFR, 0, false, 1);
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_AXFR);
	mb_soa(&b, "example.", 1);
	mb_a(&b, "a.example.", 1);
	mb_a(&b, "b.example.", 1);
	mb_soa(&b, "example.", 1);
	assert_int_equal(feed(x, &b, &ec), ZK_EIO);
	zk_xfr_free(x);
}

/* ---------------------------------------------------------------- IXFR */

static void test_ixfr_two_deltas(void **state)
{
	seen_t s = {0};
	zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 1, false, 77);
	zk_xfr_stats_t st;
	zk_errctx_t ec;
	mb_t b;
	(void)state;

	/* RFC 1995 §7 shape: new SOA, (old SOA, deletions, new SOA,
	 * additions) per version, new SOA. Split over two messages. */
	mb_start(&b, 77, 0x8400, "example.", ZK_TYPE_IXFR);
	mb_soa(&b, "example.", 3);
	mb_soa(&b, "example.", 1);
	mb_a(&b, "old.example.", 1);
	mb_soa(&b, "example.", 2);
	assert_int_equal(feed(x, &b, &ec), 1);
	mb_start(&b, 77, 0x8400, NULL, 0);
	mb_a(&b, "new.example.", 2);
	mb_soa(&b, "example.", 2);
	mb_soa(&b, "example.", 3);
	mb_a(&b, "newer.example.", 3);
	mb_soa(&b, "example.", 3);
	assert_int_equal(feed(x, &b, &ec), 0);
	assert_string_equal(s.log, "D:SOA1 D:A A:SOA2 A:A D:SOA2 A:SOA3 A:A");
	zk_xfr_get_stats(x, &st);
	assert_int_equal(st.kind, ZK_XFR_KIND_DELTAS);
	assert_int_equal(st.deltas, 2);
	assert_int_equal(st.serial, 3);
	zk_xfr_free(x);
}

static void test_ixfr_forms(void **state)
{
	zk_errctx_t ec;
	zk_xfr_stats_t st;
	mb_t b;
	(void)state;

	/* Up to date: a single SOA not newer than ours (RFC 1995 §4). */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, false, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 5);
		assert_int_equal(feed(x, &b, &ec), 0);
		zk_xfr_get_stats(x, &st);
		assert_int_equal(st.kind, ZK_XFR_KIND_UPTODATE);
		assert_string_equal(s.log, "");
		zk_xfr_free(x);
	}
	/* Over UDP a single newer SOA means "use TCP" (RFC 1995 §2). */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, true, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 6);
		assert_int_equal(feed(x, &b, &ec), ZK_ETRUNC);
		zk_xfr_free(x);
	}
	/* The whole zone in AXFR form. */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, false, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 9);
		mb_a(&b, "a.example.", 1);
		mb_soa(&b, "example.", 9);
		assert_int_equal(feed(x, &b, &ec), 0);
		zk_xfr_get_stats(x, &st);
		assert_int_equal(st.kind, ZK_XFR_KIND_FULL);
		assert_string_equal(s.log, "R:SOA9 R:A");
		zk_xfr_free(x);
	}
	/* Deltas that start elsewhere than our serial: ZK_EZONE (fall back). */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, false, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 9);
		mb_soa(&b, "example.", 4);
		assert_int_equal(feed(x, &b, &ec), ZK_EZONE);
		assert_string_equal(ec.msg, "the differences start at serial 4, ours is 5");
		zk_xfr_free(x);
	}
	/* Deltas that do not chain. */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, false, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 9);
		mb_soa(&b, "example.", 5);
		mb_soa(&b, "example.", 6);
		mb_soa(&b, "example.", 7);
		assert_int_equal(feed(x, &b, &ec), ZK_EZONE);
		assert_string_equal(ec.msg, "the differences do not chain: serial 7 after 6");
		zk_xfr_free(x);
	}
	/* A delta that goes backwards in serial arithmetic. */
	{
		seen_t s = {0};
		zk_xfr_t *x = start(&s, ZK_TYPE_IXFR, 5, false, 1);
		mb_start(&b, 1, 0x8400, "example.", ZK_TYPE_IXFR);
		mb_soa(&b, "example.", 9);
		mb_soa(&b, "example.", 5);
		mb_soa(&b, "example.", 4);
		assert_int_equal(feed(x, &b, &ec), ZK_EZONE);
		zk_xfr_free(x);
	}
}

static void test_ede_text(void **state)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;
	zk_buf_t out;
	/* REFUSED, no question, OPT with EDE 18 "no". */
	static const uint8_t msg[] = {0,    1, 0x84, 0x05, 0, 0, 0, 0, 0,  0, 0, 1, 0,  0,   41, 4,
	                              0xd0, 0, 0,    0,    0, 0, 8, 0, 15, 0, 4, 0, 18, 'n', 'o'};
	(void)state;
	assert_int_equal(zk_msg_parse(&m, msg, sizeof(msg), a, NULL), 0);
	zk_buf_init(&out);
	zk_xfr_ede_text(&m, &out);
	assert_string_equal(out.data, "EDE 18 (Prohibited): no");
	zk_buf_free(&out);
	zk_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_query_axfr_bytes),
	    cmocka_unit_test(test_query_ixfr_bytes),
	    cmocka_unit_test(test_notify_bytes),
	    cmocka_unit_test(test_soa_serial),
	    cmocka_unit_test(test_bind_signed_axfr),
	    cmocka_unit_test(test_bind_axfr_tampered),
	    cmocka_unit_test(test_bind_axfr_dropped_message),
	    cmocka_unit_test(test_bind_axfr_cut),
	    cmocka_unit_test(test_bind_axfr_badtime_and_wrong_key),
	    cmocka_unit_test(test_signed_request_unsigned_reply),
	    cmocka_unit_test(test_axfr_two_messages),
	    cmocka_unit_test(test_axfr_errors),
	    cmocka_unit_test(test_error_without_question),
	    cmocka_unit_test(test_axfr_id_changes_later),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_callback_error_stops),
	    cmocka_unit_test(test_ixfr_two_deltas),
	    cmocka_unit_test(test_ixfr_forms),
	    cmocka_unit_test(test_ede_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
