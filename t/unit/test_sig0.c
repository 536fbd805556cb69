/* sig0: RFC 2931 has no test vectors, so the known answers are real
 * SIG(0)-signed updates made by BIND 9.18's nsupdate with KEY records
 * from dnssec-keygen -T KEY (t/data/zupdate/sig0/: RSASHA256,
 * ECDSAP256SHA256, ECDSAP384SHA384, ED25519), captured by
 * t/helpers/responder.py. We must verify each, reproduce the RSA and
 * Ed25519 signatures byte for byte (both are deterministic), verify our
 * own ECDSA signatures, and reject tampering, a wrong key and a time
 * outside the window. */
#include "config.h"

#include "testutil.h"

#include "alloc.h"
#include "keyfile.h"
#include "msg.h"
#include "rrtype.h"
#include "sig0.h"

static const char *const keys[] = {
    "Khost.example.+008+23651",
    "Khost.example.+013+25075",
    "Khost.example.+014+45925",
    "Khost.example.+015+39819",
};

struct signed_update {
	uint8_t buf[65536];
	size_t len;
	zk_msg_t m;
	zk_arena_t *a;
	zk_keyfile_t kf;
	zk_sig0_info_t si;
};

/* t/data/zupdate/sig0/<base>.nsupdate.hex and the key's <base>.private. */
static void load(struct signed_update *c, const char *base)
{
	char rel[512], path[4096];
	zk_errctx_t ec;

	snprintf(rel, sizeof(rel), "zupdate/sig0/%s.nsupdate.hex", base);
	c->len = load_hex(rel, c->buf, sizeof(c->buf));
	c->a = parse_msg(&c->m, c->buf, c->len);
	assert_non_null(c->m.sig);
	assert_int_equal(c->m.sig->type, ZK_TYPE_SIG);
	assert_int_equal(zk_sig0_parse(c->m.sig->rdata, c->m.sig->rdlen, &c->si, NULL), 0);
	zk_keyfile_init(&c->kf);
	snprintf(rel, sizeof(rel), "zupdate/sig0/%s.private", base);
	data_path(path, sizeof(path), rel);
	zk_errctx_init(&ec);
	assert_int_equal(zk_keyfile_read(&c->kf, path, true, &ec), 0);
	assert_int_equal(c->kf.type, ZK_TYPE_KEY);
}

static void unload(struct signed_update *c)
{
	zk_keyfile_clear(&c->kf);
	zk_arena_free(c->a);
}

static uint32_t mid(const struct signed_update *c)
{
	return c->si.inception + 300;
}

static int verify(struct signed_update *c, uint32_t now)
{
	return zk_sig0_verify(c->buf, c->len, &c->m, c->kf.rdata, c->kf.rdlen, &c->kf.owner, NULL,
	                      0, now, NULL);
}

/* RFC 2931 §3 fields of nsupdate's SIG(0), as we parse them. */
static void test_parse_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct signed_update *c = calloc(1, sizeof(*c));
		load(c, keys[i]);
		assert_int_equal(c->si.type_covered, 0);
		assert_int_equal(c->si.labels, 0);
		assert_int_equal(c->si.orig_ttl, 0);
		assert_int_equal(c->si.alg, c->kf.alg);
		assert_int_equal(c->si.keytag, c->kf.keytag);
		assert_true(zk_name_eq(&c->si.signer, &c->kf.owner));
		/* BIND signs for now +- 300 s. */
		assert_int_equal(c->si.expiration - c->si.inception, 600);
		assert_int_equal(c->m.sig->rclass, ZK_CLASS_ANY);
		assert_int_equal(c->m.sig->ttl, 0);
		assert_int_equal(c->m.sig->owner->len, 1);
		unload(c);
		free(c);
	}
}

static void test_verify_nsupdate(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct signed_update *c = calloc(1, sizeof(*c));
		load(c, keys[i]);
		assert_int_equal(verify(c, mid(c)), 0);
		/* Window edges (RFC 1982 comparisons) and outside it. */
		assert_int_equal(verify(c, c->si.inception), 0);
		assert_int_equal(verify(c, c->si.expiration), 0);
		assert_int_equal(verify(c, c->si.expiration + 1), ZK_EDNSSEC);
		assert_int_equal(verify(c, c->si.inception - 1), ZK_EDNSSEC);
		unload(c);
		free(c);
	}
}

static void test_tamper(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct signed_update *c = calloc(1, sizeof(*c));
		load(c, keys[i]);
		/* The A record's last octet (192.0.2.7) sits just before the SIG. */
		size_t at = c->m.sig_offset - 1;
		assert_int_equal(c->buf[at], 7);
		c->buf[at] = 8;
		assert_int_equal(verify(c, mid(c)), ZK_EDNSSEC);
		c->buf[at] = 7;
		/* The header ID is signed too. */
		c->buf[0] ^= 1;
		assert_int_equal(verify(c, mid(c)), ZK_EDNSSEC);
		c->buf[0] ^= 1;
		assert_int_equal(verify(c, mid(c)), 0);
		unload(c);
		free(c);
	}
}

static void test_wrong_key(void **state)
{
	struct signed_update *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	zk_name_t other;

	(void)state;
	load(a, keys[0]);
	load(b, keys[3]);
	/* Another key of the same owner: algorithm and tag differ. */
	assert_int_equal(zk_sig0_verify(a->buf, a->len, &a->m, b->kf.rdata, b->kf.rdlen,
	                                &b->kf.owner, NULL, 0, mid(a), NULL),
	                 ZK_EDNSSEC);
	/* The right key under another name. */
	assert_int_equal(zk_name_from_text(&other, "other.example.", 14, NULL, NULL), 0);
	assert_int_equal(zk_sig0_verify(a->buf, a->len, &a->m, a->kf.rdata, a->kf.rdlen, &other,
	                                NULL, 0, mid(a), NULL),
	                 ZK_EDNSSEC);
	unload(a);
	unload(b);
	free(a);
	free(b);
}

/* Re-sign nsupdate's message (its SIG taken off) with the same window. */
static void resign(struct signed_update *c, uint8_t *out, size_t cap, size_t *len)
{
	zk_wbuf_t w;
	zk_sig0_signer_t sg = {.key = c->kf.key, .keytag = c->kf.keytag};
	zk_errctx_t ec;

	zk_name_copy(&sg.name, &c->kf.owner);
	memcpy(out, c->buf, c->m.sig_offset);
	zk_put_u16(out + 10, (uint16_t)(zk_get_u16(out + 10) - 1));
	zk_wbuf_init(&w, out, cap);
	w.len = c->m.sig_offset;
	zk_errctx_init(&ec);
	assert_int_equal(zk_sig0_sign(&sg, &w, c->si.inception, c->si.expiration, NULL, 0, &ec), 0);
	*len = w.len;
}

static void test_sign_matches_bind(void **state)
{
	static uint8_t out[65536];
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct signed_update *c = calloc(1, sizeof(*c));
		load(c, keys[i]);
		resign(c, out, sizeof(out), &len);
		if (c->kf.alg == 8 || c->kf.alg == 15) {
			/* Deterministic signatures: identical to BIND's. */
			assert_int_equal(len, c->len);
			assert_memory_equal(out, c->buf, len);
		} else {
			/* ECDSA: same length and all but the signature equal. */
			assert_int_equal(len, c->len);
			assert_memory_equal(out, c->buf, c->len - c->si.siglen);
		}
		/* Our signature verifies, whatever the algorithm. */
		memcpy(c->buf, out, len);
		zk_arena_free(c->a);
		c->a = zk_arena_new(0);
		assert_int_equal(zk_msg_parse(&c->m, c->buf, len, c->a, NULL), 0);
		assert_int_equal(verify(c, mid(c)), 0);
		unload(c);
		free(c);
	}
}

/* A signed reply covers the request (RFC 2931 §3.1): verify with the
 * right request, fail with another. */
static void test_reply_covers_request(void **state)
{
	static uint8_t reply[4096];
	struct signed_update *c = calloc(1, sizeof(*c));
	zk_sig0_signer_t sg;
	zk_wbuf_t w;
	zk_msg_t m;
	zk_arena_t *a = zk_arena_new(0);

	(void)state;
	load(c, keys[3]);
	sg.key = c->kf.key;
	sg.keytag = c->kf.keytag;
	zk_name_copy(&sg.name, &c->kf.owner);
	/* The reply: the request's header and zone section, QR set, no
	 * prerequisites or updates. */
	memcpy(reply, c->buf, 12 + 13);
	reply[2] |= 0x80;
	zk_put_u16(reply + 6, 0);
	zk_put_u16(reply + 8, 0);
	zk_put_u16(reply + 10, 0);
	zk_wbuf_init(&w, reply, sizeof(reply));
	w.len = 12 + 13;
	assert_int_equal(zk_sig0_sign(&sg, &w, 1000, 2000, c->buf, c->len, NULL), 0);
	assert_int_equal(zk_msg_parse(&m, reply, w.len, a, NULL), 0);
	assert_int_equal(zk_sig0_verify(reply, w.len, &m, c->kf.rdata, c->kf.rdlen, &c->kf.owner,
	                                c->buf, c->len, 1500, NULL),
	                 0);
	c->buf[c->len - 1] ^= 1;
	assert_int_equal(zk_sig0_verify(reply, w.len, &m, c->kf.rdata, c->kf.rdlen, &c->kf.owner,
	                                c->buf, c->len, 1500, NULL),
	                 ZK_EDNSSEC);
	assert_int_equal(zk_sig0_verify(reply, w.len, &m, c->kf.rdata, c->kf.rdlen, &c->kf.owner,
	                                NULL, 0, 1500, NULL),
	                 ZK_EDNSSEC);
	zk_arena_free(a);
	unload(c);
	free(c);
}

static void test_no_sig_and_short_rdata(void **state)
{
	static const uint8_t plain[12] = {0x12, 0x34, 0x28, 0};
	uint8_t rd[10] = {0};
	zk_msg_t m;
	zk_arena_t *a = zk_arena_new(0);
	zk_sig0_info_t si;

	(void)state;
	assert_int_equal(zk_msg_parse(&m, plain, sizeof(plain), a, NULL), 0);
	assert_int_equal(zk_sig0_verify(plain, sizeof(plain), &m, rd, sizeof(rd), &zk_name_root,
	                                NULL, 0, 0, NULL),
	                 ZK_EDNSSEC);
	assert_int_equal(zk_sig0_parse(rd, sizeof(rd), &si, NULL), ZK_ERDATA);
	zk_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_fields),
	    cmocka_unit_test(test_verify_nsupdate),
	    cmocka_unit_test(test_tamper),
	    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_sign_matches_bind),
	    cmocka_unit_test(test_reply_covers_request),
	    cmocka_unit_test(test_no_sig_and_short_rdata),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
