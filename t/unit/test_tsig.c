/* tsig: RFC 8945 has no test vectors, so the known answers are real BIND
 * 9.18 exchanges captured by t/data/tsig/capture.py: dig's signed queries
 * and named's signed replies (five algorithms, incl. a truncated MAC), and
 * a 13-message signed AXFR. We must verify all of them, reproduce dig's
 * TSIG byte for byte (HMAC is deterministic), and reject every tampering
 * in the RFC 8945 §5.2 order. */
#include "config.h"

#include "testutil.h"

#include "alloc.h"
#include "msg.h"
#include "rrtype.h"
#include "tsig.h"

#define SHA256_SECRET "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM="

static void reparse(struct capture *c)
{
	zk_arena_reset(c->a);
	assert_int_equal(zk_msg_parse(&c->m, c->buf, c->len, c->a, NULL), 0);
}

/* Time Signed of the message's TSIG. */
static uint64_t time_signed(const struct capture *c)
{
	const uint8_t *rd = c->m.sig->rdata;
	size_t alglen = (size_t)zk_name_wire_len(rd, c->m.sig->rdlen);
	const uint8_t *t = rd + alglen;
	return (uint64_t)t[0] << 40 | (uint64_t)t[1] << 32 | (uint64_t)t[2] << 24 |
	       (uint64_t)t[3] << 16 | (uint64_t)t[4] << 8 | t[5];
}

static void key_for(zk_tsig_key_t *k, const char *label)
{
	static const struct {
		const char *label, *name, *alg, *secret;
	} keys[] = {
	    {"hmac-sha256", "tsig-sha256.test.", "hmac-sha256", SHA256_SECRET},
	    {"hmac-sha256-128", "tsig-trunc.test.", "hmac-sha256-128",
	     "dHJ1bmNhdGVkLW1hYy1zZWNyZXQtZm9yLXpraXQ="},
	    {"badtrunc", "tsig-sha256.test.", "hmac-sha256-128", SHA256_SECRET},
	    {"hmac-md5", "tsig-md5.test.", "hmac-md5", "bWQ1LXNlY3JldC1mb3ItemtpdA=="},
	    {"hmac-sha1", "tsig-sha1.test.", "hmac-sha1", "c2hhMS1zZWNyZXQtZm9yLXpraXQ="},
	    {"hmac-sha512", "tsig-sha512.test.", "hmac-sha512",
	     "c2hhNTEyLXNlY3JldC1mb3ItemtpdC10ZXN0cy0wMTIzNDU2Nzg5YWJjZGVm"},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].label, label) == 0) {
			assert_int_equal(
			    zk_tsig_key_init(k, keys[i].name, keys[i].alg, keys[i].secret, NULL),
			    0);
			return;
		}
	}
	fail_msg("no key %s", label);
}

static const char *const labels[] = {"hmac-sha256", "hmac-sha256-128", "hmac-md5", "hmac-sha1",
                                     "hmac-sha512"};

/* The client flow on BIND's own bytes: dig's query verifies (as a request,
 * no prior MAC), and named's reply verifies with that request MAC. */
static void test_bind_exchanges_verify(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
		char name[64];
		zk_tsig_key_t k;
		zk_tsig_ctx_t c;
		zk_tsig_status_t st;
		zk_errctx_t ec;

		zk_errctx_init(&ec);
		snprintf(name, sizeof(name), "%s.query", labels[i]);
		capture_load(q, name);
		snprintf(name, sizeof(name), "%s.reply", labels[i]);
		capture_load(r, name);
		assert_non_null(q->m.sig);
		assert_non_null(r->m.sig);
		key_for(&k, labels[i]);
		zk_tsig_ctx_init(&c, &k, 300);
		assert_int_equal(
		    zk_tsig_verify(&c, q->buf, q->len, &q->m, time_signed(q), false, &st, &ec), 0);
		assert_int_equal(st, ZK_TSIG_OK);
		assert_int_equal(c.mac_len, k.mac_len);
		int rc = zk_tsig_verify(&c, r->buf, r->len, &r->m, time_signed(r), false, &st, &ec);
		if (rc != 0)
			print_error("%s reply: %s\n", labels[i], ec.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(st, ZK_TSIG_OK);
		zk_tsig_ctx_free(&c);
		capture_done(q);
		capture_done(r);
		free(q);
		free(r);
	}
}

/* Strip the TSIG from dig's query and sign it again with the same time:
 * the result must be dig's query, byte for byte. */
static void test_sign_reproduces_dig(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		struct capture *q = calloc(1, sizeof(*q));
		uint8_t out[4096];
		char name[64];
		zk_tsig_key_t k;
		zk_tsig_ctx_t c;
		zk_wbuf_t w;

		snprintf(name, sizeof(name), "%s.query", labels[i]);
		capture_load(q, name);
		key_for(&k, labels[i]);
		zk_wbuf_init(&w, out, sizeof(out));
		zk_wbuf_bytes(&w, q->buf, q->m.sig_offset);
		zk_put_u16(out + 10, (uint16_t)(zk_get_u16(out + 10) - 1));
		zk_tsig_ctx_init(&c, &k, 300);
		assert_int_equal(zk_tsig_sign(&c, &w, time_signed(q), 0, NULL), 0);
		assert_int_equal(w.len, q->len);
		assert_memory_equal(out, q->buf, q->len);
		zk_tsig_ctx_free(&c);
		capture_done(q);
		free(q);
	}
}

/* §5.2 order on a real reply: each tampering gives its own status. */
static void test_tampering(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	zk_tsig_key_t k, other;
	zk_tsig_ctx_t c;
	zk_tsig_status_t st;
	zk_errctx_t ec;
	uint64_t t;

	(void)state;
	capture_load(q, "hmac-sha256.query");
	capture_load(r, "hmac-sha256.reply");
	key_for(&k, "hmac-sha256");
	t = time_signed(r);

	/* Wrong secret: BADSIG (the request itself already fails). */
	assert_int_equal(zk_tsig_key_init(&other, "tsig-sha256.test.", "hmac-sha256",
	                                  "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZw==", NULL),
	                 0);
	zk_tsig_ctx_init(&c, &other, 300);
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, &ec), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADSIG);
	assert_non_null(strstr(ec.msg, "BADSIG"));
	zk_tsig_ctx_free(&c);

	/* Another key name: BADKEY, before any MAC is computed. */
	assert_int_equal(
	    zk_tsig_key_init(&other, "other-key.test.", "hmac-sha256", SHA256_SECRET, NULL), 0);
	zk_tsig_ctx_init(&c, &other, 300);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADKEY);
	zk_tsig_ctx_free(&c);

	/* Another algorithm with the same name: BADKEY. */
	assert_int_equal(
	    zk_tsig_key_init(&other, "tsig-sha256.test.", "hmac-sha512", SHA256_SECRET, NULL), 0);
	zk_tsig_ctx_init(&c, &other, 300);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADKEY);
	zk_tsig_ctx_free(&c);

	/* Clock skew beyond the fudge: BADTIME, but only after the MAC. */
	zk_tsig_ctx_init(&c, &k, 300);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), 0);
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, t + 301, false, &st, &ec),
	                 ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADTIME);
	assert_non_null(strstr(ec.msg, "BADTIME"));
	zk_tsig_ctx_free(&c);
	/* ... within the fudge it is fine, both ways. */
	zk_tsig_ctx_init(&c, &k, 300);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), 0);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, t - 300, false, &st, NULL), 0);
	zk_tsig_ctx_free(&c);

	/* A flipped bit in the answer: BADSIG. */
	zk_tsig_ctx_init(&c, &k, 300);
	assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), 0);
	r->buf[r->m.sig_offset - 1] ^= 0x01;
	reparse(r);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, t, false, &st, NULL), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADSIG);
	r->buf[r->m.sig_offset - 1] ^= 0x01;
	reparse(r);
	zk_tsig_ctx_free(&c);

	/* The right reply with the wrong request MAC: BADSIG (a reply can't
	 * be replayed against another query). */
	zk_tsig_ctx_init(&c, &k, 300);
	c.have_mac = true;
	c.mac_len = 32;
	memset(c.mac, 0xab, 32);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, t, false, &st, NULL), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADSIG);
	zk_tsig_ctx_free(&c);

	/* The reply without its TSIG, to a signed request: UNSIGNED. */
	{
		struct capture *u = calloc(1, sizeof(*u));
		memcpy(u->buf, r->buf, r->m.sig_offset);
		u->len = r->m.sig_offset;
		zk_put_u16(u->buf + 10, (uint16_t)(zk_get_u16(u->buf + 10) - 1));
		u->a = zk_arena_new(0);
		assert_int_equal(zk_msg_parse(&u->m, u->buf, u->len, u->a, NULL), 0);
		assert_null(u->m.sig);
		zk_tsig_ctx_init(&c, &k, 300);
		assert_int_equal(zk_tsig_verify(&c, q->buf, q->len, &q->m, t, false, &st, NULL), 0);
		zk_errctx_init(&ec);
		assert_int_equal(zk_tsig_verify(&c, u->buf, u->len, &u->m, t, false, &st, &ec),
		                 ZK_ETSIG);
		assert_int_equal(st, ZK_TSIG_UNSIGNED);
		assert_non_null(strstr(ec.msg, "not signed"));
		zk_tsig_ctx_free(&c);
		capture_done(u);
		free(u);
	}
	capture_done(q);
	capture_done(r);
	free(q);
	free(r);
}

/* A truncated reply (hmac-sha256-128) verifies its MAC with the full-length
 * key but fails the truncation check: BADTRUNC, last in the order. */
static void test_truncation_policy(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	zk_tsig_key_t full, trunc;
	zk_tsig_ctx_t c;
	zk_tsig_status_t st;

	(void)state;
	capture_load(q, "hmac-sha256-128.query");
	capture_load(r, "hmac-sha256-128.reply");
	key_for(&trunc, "hmac-sha256-128");
	assert_int_equal(zk_tsig_key_init(&full, "tsig-trunc.test.", "hmac-sha256",
	                                  "dHJ1bmNhdGVkLW1hYy1zZWNyZXQtZm9yLXpraXQ=", NULL),
	                 0);
	assert_int_equal(trunc.mac_len, 16);
	assert_true(trunc.truncated);
	assert_int_equal(full.mac_len, 32);

	zk_tsig_ctx_init(&c, &full, 300);
	/* the request MAC as the truncating client sent it */
	c.have_mac = true;
	c.mac_len = 16;
	{
		zk_tsig_ctx_t qc;
		zk_tsig_ctx_init(&qc, &trunc, 300);
		assert_int_equal(
		    zk_tsig_verify(&qc, q->buf, q->len, &q->m, time_signed(q), false, &st, NULL),
		    0);
		memcpy(c.mac, qc.mac, 16);
		zk_tsig_ctx_free(&qc);
	}
	assert_int_equal(
	    zk_tsig_verify(&c, r->buf, r->len, &r->m, time_signed(r), false, &st, NULL), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADTRUNC);
	zk_tsig_ctx_free(&c);
	capture_done(q);
	capture_done(r);
	free(q);
	free(r);
}

/* named wants the full MAC for this key and says so: BADTRUNC in the
 * reply's TSIG error field, reported as the server's verdict. */
static void test_server_badtrunc(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	zk_tsig_key_t k;
	zk_tsig_ctx_t c;
	zk_tsig_status_t st;
	zk_errctx_t ec;

	(void)state;
	capture_load(q, "badtrunc.query");
	capture_load(r, "badtrunc.reply");
	key_for(&k, "badtrunc");
	zk_tsig_ctx_init(&c, &k, 300);
	assert_int_equal(
	    zk_tsig_verify(&c, q->buf, q->len, &q->m, time_signed(q), false, &st, NULL), 0);
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, time_signed(r), false, &st, &ec),
	                 ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_SERVER_ERROR);
	assert_int_equal(c.last_error, ZK_RCODE_BADTRUNC);
	assert_non_null(strstr(ec.msg, "BADTRUNC"));
	zk_tsig_ctx_free(&c);
	capture_done(q);
	capture_done(r);
	free(q);
	free(r);
}

/* What a client does: sign the query (dig's, with its TSIG stripped) at
 * dig's time. The bytes must come out as dig's, and c keeps the request
 * MAC for the reply. */
static void client_sign(zk_tsig_ctx_t *c, const struct capture *q)
{
	uint8_t out[4096];
	zk_wbuf_t w;

	zk_wbuf_init(&w, out, sizeof(out));
	zk_wbuf_bytes(&w, q->buf, q->m.sig_offset);
	zk_put_u16(out + 10, (uint16_t)(zk_get_u16(out + 10) - 1));
	assert_int_equal(zk_tsig_sign(c, &w, time_signed(q), 0, NULL), 0);
	assert_int_equal(w.len, q->len);
	assert_memory_equal(out, q->buf, q->len);
}

#define AXFR_N 13

/* The 13 messages of BIND's signed AXFR verify as one stream (§5.3.1). */
static void test_axfr_stream(void **state)
{
	struct capture *q = calloc(1, sizeof(*q));
	struct capture *r = calloc(AXFR_N, sizeof(*r));
	zk_tsig_key_t k;
	zk_tsig_ctx_t c;
	zk_tsig_status_t st;
	zk_errctx_t ec;
	char name[64];

	(void)state;
	capture_load(q, "axfr.query");
	for (int i = 0; i < AXFR_N; i++) {
		snprintf(name, sizeof(name), "axfr.reply.%d", i);
		capture_load(&r[i], name);
		assert_non_null(r[i].m.sig);
	}
	key_for(&k, "hmac-sha256");

	/* The whole stream. */
	zk_tsig_ctx_init(&c, &k, 300);
	client_sign(&c, q);
	for (int i = 0; i < AXFR_N; i++) {
		zk_errctx_init(&ec);
		int rc = zk_tsig_verify(&c, r[i].buf, r[i].len, &r[i].m, time_signed(&r[i]), true,
		                        &st, &ec);
		if (rc != 0)
			print_error("AXFR message %d: %s\n", i, ec.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(st, ZK_TSIG_OK);
	}
	assert_int_equal(zk_tsig_stream_end(&c, NULL), 0);
	zk_tsig_ctx_free(&c);

	/* Read as single replies, the later messages must fail: their MAC
	 * covers only the timers, so treating them as first messages gives
	 * BADSIG. (The stream flag is not decorative.) */
	zk_tsig_ctx_init(&c, &k, 300);
	client_sign(&c, q);
	assert_int_equal(
	    zk_tsig_verify(&c, r[0].buf, r[0].len, &r[0].m, time_signed(&r[0]), true, &st, NULL),
	    0);
	assert_int_equal(
	    zk_tsig_verify(&c, r[1].buf, r[1].len, &r[1].m, time_signed(&r[1]), false, &st, NULL),
	    ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_BADSIG);
	zk_tsig_ctx_free(&c);

	/* Strip the TSIG of message 5: it is accepted as an unsigned message
	 * in the run, but message 6's MAC was computed over message 5's MAC,
	 * so the stream breaks there with BADSIG. */
	{
		struct capture *u = &r[5];
		u->len = u->m.sig_offset;
		zk_put_u16(u->buf + 10, (uint16_t)(zk_get_u16(u->buf + 10) - 1));
		reparse(u);
		assert_null(u->m.sig);
		zk_tsig_ctx_init(&c, &k, 300);
		client_sign(&c, q);
		for (int i = 0; i < 5; i++)
			assert_int_equal(zk_tsig_verify(&c, r[i].buf, r[i].len, &r[i].m,
			                                time_signed(&r[i]), true, &st, NULL),
			                 0);
		assert_int_equal(
		    zk_tsig_verify(&c, u->buf, u->len, &u->m, time_signed(&r[4]), true, &st, NULL),
		    0);
		assert_int_equal(st, ZK_TSIG_UNSIGNED_OK);
		/* a stream that ended here would end unsigned */
		assert_int_equal(zk_tsig_stream_end(&c, NULL), ZK_ETSIG);
		assert_int_equal(zk_tsig_verify(&c, r[6].buf, r[6].len, &r[6].m, time_signed(&r[6]),
		                                true, &st, NULL),
		                 ZK_ETSIG);
		assert_int_equal(st, ZK_TSIG_BADSIG);
		zk_tsig_ctx_free(&c);
	}

	/* An unsigned first message is never accepted. */
	zk_tsig_ctx_init(&c, &k, 300);
	client_sign(&c, q);
	assert_int_equal(
	    zk_tsig_verify(&c, r[5].buf, r[5].len, &r[5].m, time_signed(&r[4]), true, &st, NULL),
	    ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_UNSIGNED);
	zk_tsig_ctx_free(&c);

	capture_done(q);
	free(q);
	for (int i = 0; i < AXFR_N; i++)
		capture_done(&r[i]);
	free(r);
}

/* More than 99 unsigned messages in a row are refused (§5.3.1). */
static void test_unsigned_run_limit(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	zk_tsig_key_t k;
	zk_tsig_ctx_t c;
	zk_tsig_status_t st;
	zk_errctx_t ec;

	(void)state;
	capture_load(q, "axfr.query");
	capture_load(r, "axfr.reply.0");
	key_for(&k, "hmac-sha256");
	zk_tsig_ctx_init(&c, &k, 300);
	client_sign(&c, q);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, time_signed(r), true, &st, NULL),
	                 0);
	r->len = r->m.sig_offset;
	zk_put_u16(r->buf + 10, (uint16_t)(zk_get_u16(r->buf + 10) - 1));
	reparse(r);
	for (int i = 0; i < 99; i++)
		assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, 0, true, &st, NULL), 0);
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_verify(&c, r->buf, r->len, &r->m, 0, true, &st, &ec), ZK_ETSIG);
	assert_int_equal(st, ZK_TSIG_UNSIGNED);
	assert_non_null(strstr(ec.msg, "99"));
	zk_tsig_ctx_free(&c);
	capture_done(q);
	capture_done(r);
	free(q);
	free(r);
}

static void test_key_strings(void **state)
{
	zk_tsig_key_t k;
	zk_errctx_t ec;

	(void)state;
	/* dig -y forms; BIND 9.18's default algorithm is hmac-sha256 */
	assert_int_equal(zk_tsig_key_from_string(&k, "tsig-sha256.test:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.md, ZK_MD_SHA256);
	assert_int_equal(k.mac_len, 32);
	assert_int_equal(k.secret_len, 32);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha512:k:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.md, ZK_MD_SHA512);
	assert_int_equal(
	    zk_tsig_key_from_string(&k, "HMAC-MD5.SIG-ALG.REG.INT.:k:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.md, ZK_MD_MD5);
	assert_int_equal(k.alg.len, 26);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-md5:k:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.alg.len, 26);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha384-192:k:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.mac_len, 24);
	assert_true(k.truncated);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha1-80:k:" SHA256_SECRET, NULL), 0);
	assert_int_equal(k.mac_len, 10);

	/* errors */
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_key_from_string(&k, "nosecret", &ec), ZK_ESYNTAX);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha3:k:" SHA256_SECRET, &ec),
	                 ZK_EUNSUPP);
	assert_non_null(strstr(ec.msg, "hmac-sha3"));
	/* below the floor: 64 bits (< 10 octets), 120 bits of sha512 (< half) */
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha256-64:k:" SHA256_SECRET, &ec),
	                 ZK_ERANGE);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha512-120:k:" SHA256_SECRET, &ec),
	                 ZK_ERANGE);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha256-129:k:" SHA256_SECRET, &ec),
	                 ZK_ERANGE);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha256:k:not*base64", &ec), ZK_EBASE64);
	assert_int_equal(zk_tsig_key_from_string(&k, "hmac-sha256::" SHA256_SECRET, &ec),
	                 ZK_ESYNTAX);
}

static void test_key_blocks(void **state)
{
	static const char conf[] =
	    "# keys for the test\n"
	    "key \"one.example\" {\n"
	    "\talgorithm hmac-sha256;\n"
	    "\tsecret \"" SHA256_SECRET "\";\n"
	    "};\n"
	    "options { directory \"/tmp\"; };  // skipped\n"
	    "/* a comment\n   over lines */\n"
	    "key two. { algorithm hmac-sha512-256; secret \"c2Vjb25k\"; };\n";
	static const char bad[] = "key \"x\" {\n\talgorithm hmac-sha256;\n\tsecrt \"abc\";\n};\n";
	static const char nosecret[] = "key \"x\" { algorithm hmac-sha256; };\n";
	static const char private_file[] = "Private-key-format: v1.3\n"
	                                   "Algorithm: 165 (HMAC_SHA512)\n"
	                                   "Key: " SHA256_SECRET "\n"
	                                   "Bits: AAA=\n";
	zk_tsig_key_t keys[4];
	zk_errctx_t ec;
	char text[ZK_NAME_TEXTMAX];

	(void)state;
	assert_int_equal(zk_tsig_keys_parse(conf, strlen(conf), NULL, keys, 4, NULL), 2);
	zk_name_to_cstr(&keys[0].name, text, sizeof(text));
	assert_string_equal(text, "one.example.");
	assert_int_equal(keys[0].md, ZK_MD_SHA256);
	assert_int_equal(keys[0].secret_len, 32);
	zk_name_to_cstr(&keys[1].name, text, sizeof(text));
	assert_string_equal(text, "two.");
	assert_int_equal(keys[1].md, ZK_MD_SHA512);
	assert_int_equal(keys[1].mac_len, 32);
	assert_memory_equal(keys[1].secret, "second", 6);

	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_keys_parse(bad, strlen(bad), NULL, keys, 4, &ec), ZK_ESYNTAX);
	assert_int_equal(ec.line, 3);
	assert_int_equal(ec.col, 2);
	assert_non_null(strstr(ec.msg, "secrt"));
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_keys_parse(nosecret, strlen(nosecret), NULL, keys, 4, &ec),
	                 ZK_ESYNTAX);
	assert_non_null(strstr(ec.msg, "lacks a secret"));
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_keys_parse("", 0, NULL, keys, 4, &ec), ZK_ENOENT);

	assert_int_equal(
	    zk_tsig_keys_parse(private_file, strlen(private_file), "ddns.example", keys, 4, NULL),
	    1);
	assert_int_equal(keys[0].md, ZK_MD_SHA512);
	zk_name_to_cstr(&keys[0].name, text, sizeof(text));
	assert_string_equal(text, "ddns.example.");
	zk_errctx_init(&ec);
	assert_int_equal(zk_tsig_keys_parse("Private-key-format: v1.3\nAlgorithm: 13 (ECDSA)\n", 48,
	                                    "k", keys, 4, &ec),
	                 ZK_EUNSUPP);
	assert_int_equal(ec.line, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bind_exchanges_verify),
	    cmocka_unit_test(test_sign_reproduces_dig),
	    cmocka_unit_test(test_tampering),
	    cmocka_unit_test(test_truncation_policy),
	    cmocka_unit_test(test_server_badtrunc),
	    cmocka_unit_test(test_axfr_stream),
	    cmocka_unit_test(test_unsigned_run_limit),
	    cmocka_unit_test(test_key_strings),
	    cmocka_unit_test(test_key_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
