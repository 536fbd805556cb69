/* Unit tests for common/nsec.c: type bitmaps (RFC 4034 §4.1.2, the §4.3
 * example), NSEC3 hashes (RFC 5155 Appendix A), the NSEC3 chain of the
 * RFC 5155 Appendix A zone, and NSEC/NSEC3 chains compared with what BIND's
 * dnssec-signzone made for t/data/nsec/chain.zone (t/data/nsec/README). */
#include "config.h"

#include "testutil.h"

#include "encode.h"
#include "nsec.h"
#include "rdata.h"
#include "rrtype.h"
#include "zonefile.h"

/* ---------------------------------------------------------------- helpers */

/* Keep only the RRs for which keep() is true. */
static void zone_filter(zone_t *z, int (*keep)(const zk_rr_t *rr))
{
	size_t k = 0;

	for (size_t i = 0; i < z->n; i++) {
		if (keep(&z->rr[i]))
			z->rr[k++] = z->rr[i];
	}
	z->n = k;
}

static int is_chain(const zk_rr_t *rr)
{
	return rr->type == ZK_TYPE_NSEC || rr->type == ZK_TYPE_NSEC3;
}

static int not_signed(const zk_rr_t *rr)
{
	return rr->type != ZK_TYPE_NSEC3 && rr->type != ZK_TYPE_RRSIG &&
	       rr->type != ZK_TYPE_NSEC3PARAM;
}

static void rr_text(const zk_rr_t *rr, char *buf, size_t cap)
{
	zk_buf_t b;
	char tn[16];

	zk_buf_init(&b);
	zk_name_to_text(rr->owner, &b);
	zk_rrtype_to_text(rr->type, tn, sizeof(tn));
	zk_buf_printf(&b, " %u %s ", rr->ttl, tn);
	zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, 0, "", &b);
	snprintf(buf, cap, "%s", b.data ? b.data : "?");
	zk_buf_free(&b);
}

/* Both chains hold the same RRs in the same order: owner (case-blind, as
 * canonical order compares), type, class, TTL and rdata octet for octet. */
static void assert_same_chain(const zk_rr_t *got, size_t ngot, const zk_rr_t *want, size_t nwant)
{
	char g[1024], w[1024];

	for (size_t i = 0; i < ngot && i < nwant; i++) {
		rr_text(&got[i], g, sizeof(g));
		rr_text(&want[i], w, sizeof(w));
		if (!zk_name_eq(got[i].owner, want[i].owner) || got[i].type != want[i].type ||
		    got[i].rclass != want[i].rclass || got[i].ttl != want[i].ttl ||
		    got[i].rdlen != want[i].rdlen ||
		    memcmp(got[i].rdata, want[i].rdata, got[i].rdlen) != 0)
			fail_msg("record %zu:\n got  %s\n want %s", i, g, w);
	}
	assert_int_equal(ngot, nwant);
}

/* ----------------------------------------------------------- type bitmaps */

static void test_bitmap_rfc4034_example(void **state)
{
	(void)state;
	/* RFC 4034 §4.3: host.example.com. A MX RRSIG NSEC TYPE1234. */
	static const uint16_t types[] = {ZK_TYPE_A, ZK_TYPE_MX, ZK_TYPE_RRSIG, ZK_TYPE_NSEC, 1234};
	char *hex = read_text("nsec/rfc4034-s4.3-nsec-rdata.hex");
	char *line = strstr(hex, "\n04");
	uint8_t want[64], bm[ZK_BITMAP_MAXLEN], rd[256];
	size_t wlen, blen, rdlen, nt;
	uint16_t back[8];
	zk_name_t next = name("host.example.com.");
	zk_token_t toks[8];
	size_t ntok;
	const char *text = "host.example.com. A MX RRSIG NSEC TYPE1234";

	assert_non_null(line);
	line++;
	assert_int_equal(zk_hex_decode(line, strcspn(line, "\r\n"), want, sizeof(want), &wlen), 0);
	assert_int_equal(wlen, 55);
	assert_memory_equal(want, next.wire, next.len);

	assert_int_equal(zk_bitmap_from_types(types, 5, bm, sizeof(bm), &blen), 0);
	assert_int_equal(blen, wlen - next.len);
	assert_memory_equal(bm, want + next.len, blen);

	assert_int_equal(zk_bitmap_to_types(want + next.len, blen, back, 8, &nt, NULL), 0);
	assert_int_equal(nt, 5);
	assert_memory_equal(back, types, sizeof(types));

	/* The same rdata through the presentation parser (rdata.c). */
	assert_int_equal(zk_text_tokenize(text, strlen(text), toks, 8, &ntok, NULL), 0);
	assert_int_equal(
	    zk_rdata_from_text(ZK_TYPE_NSEC, toks, ntok, NULL, rd, sizeof(rd), &rdlen, NULL), 0);
	assert_int_equal(rdlen, wlen);
	assert_memory_equal(rd, want, wlen);
	free(hex);
}

static void test_bitmap_windows(void **state)
{
	(void)state;
	/* Unordered, with duplicates; windows 0, 1 and 255, first and last
	 * bit of each. */
	static const uint16_t types[] = {65535, 1, 256, 47, 255, 65280, 46, 511, 1, 47};
	static const uint16_t sorted[] = {1, 46, 47, 255, 256, 511, 65280, 65535};
	uint8_t want[3 * 34];
	uint8_t bm[ZK_BITMAP_MAXLEN], bm2[ZK_BITMAP_MAXLEN];
	size_t blen, blen2, nt;
	uint16_t back[16];
	zk_typeset_t *set = calloc(1, sizeof(*set));

	assert_non_null(set);
	memset(want, 0, sizeof(want));
	want[0] = 0, want[1] = 32;
	want[2] = 0x40;      /* type 1 */
	want[2 + 5] = 0x03;  /* 46, 47 */
	want[2 + 31] = 0x01; /* 255 */
	want[34] = 1, want[35] = 32;
	want[36] = 0x80;      /* 256 */
	want[36 + 31] = 0x01; /* 511 */
	want[68] = 255, want[69] = 32;
	want[70] = 0x80;      /* 65280 */
	want[70 + 31] = 0x01; /* 65535 */

	assert_int_equal(zk_bitmap_from_types(types, 10, bm, sizeof(bm), &blen), 0);
	assert_int_equal(blen, sizeof(want));
	assert_memory_equal(bm, want, blen);

	for (size_t i = 0; i < 10; i++)
		zk_typeset_add(set, types[i]);
	assert_true(zk_typeset_has(set, 65535));
	assert_false(zk_typeset_has(set, 2));
	assert_int_equal(zk_bitmap_from_set(set, bm2, sizeof(bm2), &blen2), 0);
	assert_int_equal(blen2, blen);
	assert_memory_equal(bm2, bm, blen);

	assert_int_equal(zk_bitmap_to_types(bm, blen, back, 16, &nt, NULL), 0);
	assert_int_equal(nt, 8);
	assert_memory_equal(back, sorted, sizeof(sorted));
	for (size_t i = 0; i < 8; i++)
		assert_true(zk_bitmap_has(bm, blen, sorted[i]));
	assert_false(zk_bitmap_has(bm, blen, 2));
	assert_false(zk_bitmap_has(bm, blen, 512));
	assert_false(zk_bitmap_has(bm, blen, 1234));

	/* Decode into a set and encode again: a round trip. */
	assert_int_equal(zk_bitmap_to_set(bm, blen, set, NULL), 0);
	zk_typeset_del(set, 65535);
	assert_int_equal(zk_bitmap_from_set(set, bm2, sizeof(bm2), &blen2), 0);
	assert_int_equal(blen2, blen - 31); /* window 255 now one octet */
	assert_int_equal(bm2[blen2 - 2], 1);
	assert_int_equal(bm2[blen2 - 1], 0x80);

	/* Too small a buffer; no room for the types. */
	assert_int_equal(zk_bitmap_from_types(types, 10, bm2, 50, &blen2), ZK_ESPACE);
	nt = 99;
	assert_int_equal(zk_bitmap_to_types(bm, blen, back, 7, &nt, NULL), ZK_ESPACE);
	assert_int_equal(nt, 99);

	/* Empty set: empty bitmap. */
	zk_typeset_clear(set);
	assert_int_equal(zk_bitmap_from_set(set, bm2, sizeof(bm2), &blen2), 0);
	assert_int_equal(blen2, 0);
	assert_int_equal(zk_bitmap_from_types(NULL, 0, bm2, sizeof(bm2), &blen2), 0);
	assert_int_equal(blen2, 0);
	assert_int_equal(zk_bitmap_to_types(bm2, 0, back, 16, &nt, NULL), 0);
	assert_int_equal(nt, 0);
	free(set);
}

static void test_bitmap_every_type(void **state)
{
	(void)state;
	/* All 65536 types: 256 full windows, the largest bitmap there is. */
	uint16_t *types = malloc(65536 * sizeof(uint16_t));
	uint16_t *back = malloc(65536 * sizeof(uint16_t));
	uint8_t *bm = malloc(ZK_BITMAP_MAXLEN);
	size_t blen, nt;

	assert_non_null(types);
	assert_non_null(back);
	assert_non_null(bm);
	for (unsigned i = 0; i < 65536; i++)
		types[i] = (uint16_t)(65535 - i);
	assert_int_equal(zk_bitmap_from_types(types, 65536, bm, ZK_BITMAP_MAXLEN, &blen), 0);
	assert_int_equal(blen, ZK_BITMAP_MAXLEN);
	assert_int_equal(bm[34 * 255], 255);
	assert_int_equal(bm[34 * 255 + 1], 32);
	assert_int_equal(zk_bitmap_to_types(bm, blen, back, 65536, &nt, NULL), 0);
	assert_int_equal(nt, 65536);
	for (unsigned i = 0; i < 65536; i++)
		assert_int_equal(back[i], i);
	free(types);
	free(back);
	free(bm);
}

static void test_bitmap_malformed(void **state)
{
	(void)state;
	static const struct {
		uint8_t b[8];
		size_t n;
		long off;
	} bad[] = {
	    {{0x00}, 1, 0},                               /* truncated window header */
	    {{0x00, 0x00}, 2, 1},                         /* length 0 */
	    {{0x00, 33}, 2, 1},                           /* length above 32 */
	    {{0x00, 0x02, 0x40}, 3, 1},                   /* runs past the end */
	    {{0x00, 0x02, 0x40, 0x00}, 4, 3},             /* trailing zero octet */
	    {{0x01, 0x01, 0x40, 0x00, 0x01, 0x40}, 6, 3}, /* windows out of order */
	    {{0x01, 0x01, 0x40, 0x01, 0x01, 0x40}, 6, 3}, /* window repeated */
	};
	uint16_t t[16];
	size_t nt = 77;
	zk_errctx_t ec;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zk_errctx_init(&ec);
		assert_int_equal(zk_bitmap_check(bad[i].b, bad[i].n, &ec), ZK_ERDATA);
		assert_int_equal(ec.offset, bad[i].off);
		assert_true(ec.msg[0] != '\0');
		assert_int_equal(zk_bitmap_to_types(bad[i].b, bad[i].n, t, 16, &nt, NULL),
		                 ZK_ERDATA);
		assert_int_equal(nt, 77);
		assert_false(zk_bitmap_has(bad[i].b, bad[i].n, 0xffff));
	}
	/* A good one for contrast: window 0, A and NS. */
	assert_int_equal(zk_bitmap_check((const uint8_t *)"\x00\x01\x60", 3, NULL), 0);
	assert_true(zk_bitmap_has((const uint8_t *)"\x00\x01\x60", 3, ZK_TYPE_NS));
}

/* ------------------------------------------------------------------ NSEC3 */

static const zk_nsec3_params_t rfc5155_params = {
    .alg = 1, .flags = 1, .iterations = 12, .salt_len = 4, .salt = {0xaa, 0xbb, 0xcc, 0xdd}};

static void test_nsec3_hash_rfc5155(void **state)
{
	(void)state;
	char *text = read_text("nsec/rfc5155-nsec3-hashes.tsv");
	size_t count = 0;
	zk_name_t apex = name("example.");
	zk_buf_t b;

	zk_buf_init(&b);
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char owner[300], want[64];
		uint8_t h[ZK_NSEC3_HASH_MAX];
		zk_name_t n, hashed;
		char hn[ZK_NAME_TEXTMAX], wantname[128];

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%299s %63s", owner, want), 2);
		strcat(owner, ".");
		n = name(owner);
		assert_int_equal(zk_nsec3_hash(&n, &rfc5155_params, h, NULL), 0);
		zk_buf_reset(&b);
		zk_base32hex_encode(&b, h, sizeof(h), false);
		if (strcmp(b.data, want) != 0)
			fail_msg("H(%s) = %s, want %s", owner, b.data, want);
		/* The owner name, upper case as dnssec-signzone writes it. */
		assert_int_equal(zk_nsec3_owner(h, sizeof(h), &apex, &hashed, NULL), 0);
		zk_name_to_cstr(&hashed, hn, sizeof(hn));
		for (char *p = want; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		snprintf(wantname, sizeof(wantname), "%s.example.", want);
		assert_string_equal(hn, wantname);
		assert_int_equal(hashed.labels, 2);
		count++;
	}
	assert_int_equal(count, 16);
	zk_buf_free(&b);
	free(text);
}

static void test_nsec3_hash_case_and_params(void **state)
{
	(void)state;
	zk_name_t lo = name("ns1.example."), up = name("NS1.EXAMPLE.");
	uint8_t h1[ZK_NSEC3_HASH_MAX], h2[ZK_NSEC3_HASH_MAX];
	zk_nsec3_params_t p = rfc5155_params, q;
	uint8_t rd[300];
	size_t rdlen;

	/* The hash is over the canonical (lower-case) name. */
	assert_int_equal(zk_nsec3_hash(&lo, &p, h1, NULL), 0);
	assert_int_equal(zk_nsec3_hash(&up, &p, h2, NULL), 0);
	assert_memory_equal(h1, h2, sizeof(h1));

	p.alg = 2;
	memset(h2, 0x5a, sizeof(h2));
	assert_int_equal(zk_nsec3_hash(&lo, &p, h2, NULL), ZK_EUNSUPP);
	assert_int_equal(h2[0], 0x5a);

	/* NSEC3PARAM rdata: flags always 0 (RFC 5155 §4.1.2). */
	assert_int_equal(zk_nsec3param_rdata(&rfc5155_params, rd, sizeof(rd), &rdlen), 0);
	assert_int_equal(rdlen, 9);
	assert_memory_equal(rd, "\x01\x00\x00\x0c\x04\xaa\xbb\xcc\xdd", 9);
	assert_int_equal(zk_nsec3param_rdata(&rfc5155_params, rd, 8, &rdlen), ZK_ESPACE);
	assert_int_equal(zk_nsec3_params_from_rdata(rd, 9, &q, NULL), 0);
	assert_int_equal(q.alg, 1);
	assert_int_equal(q.flags, 0);
	assert_int_equal(q.iterations, 12);
	assert_int_equal(q.salt_len, 4);
	assert_memory_equal(q.salt, rfc5155_params.salt, 4);
	assert_int_equal(zk_nsec3_params_from_rdata(rd, 8, &q, NULL), ZK_ERDATA);
	assert_int_equal(zk_nsec3_params_from_rdata(rd, 4, &q, NULL), ZK_ERDATA);
}

/* The NSEC3 records of the RFC 5155 Appendix A zone, rebuilt from the
 * zone's other records with the zone's parameters (Opt-Out). */
static void check_rfc5155_chain(int (*keep)(const zk_rr_t *))
{
	zone_t z = {0}, want = {0};
	zk_name_t apex = name("example.");
	zk_rr_t *out = NULL;
	size_t nout = 0;
	zk_errctx_t ec;
	int r;

	zone_load(&z, "nsec/rfc5155-example.zone", "example.");
	zone_load(&want, "nsec/rfc5155-example.zone", "example.");
	zone_filter(&want, is_chain);
	assert_int_equal(want.n, 12);
	if (keep != NULL)
		zone_filter(&z, keep);
	zk_errctx_init(&ec);
	r = zk_nsec3_chain(z.rr, z.n, &apex, &rfc5155_params, 3600, z.a, &out, &nout, &ec);
	if (r != 0)
		fail_msg("zk_nsec3_chain: %s", ec.msg);
	assert_same_chain(out, nout, want.rr, want.n);
	zone_free(&z);
	zone_free(&want);
}

static void test_nsec3_chain_rfc5155(void **state)
{
	(void)state;
	/* The unsigned zone: no NSEC3, RRSIG, NSEC3PARAM. */
	check_rfc5155_chain(not_signed);
}

static void test_nsec3_chain_rfc5155_resign(void **state)
{
	(void)state;
	/* The signed zone as it is: the old chain and its signatures are
	 * ignored, the result is the same. */
	check_rfc5155_chain(NULL);
}

/* chain.zone with the keys dnssec-signzone added, against its output. */
static void check_bind_chain(const char *expect, const zk_nsec3_params_t *p)
{
	zone_t z = {0}, want = {0};
	zk_name_t apex = name("example.");
	zk_rr_t *out = NULL;
	size_t nout = 0;
	zk_errctx_t ec;
	int r;

	zone_load(&z, "nsec/chain.zone", "example.");
	zone_load(&z, "nsec/chain-dnskey.zone", "example.");
	zk_rr_sort(z.rr, z.n);
	zone_load(&want, expect, "example.");
	assert_true(want.n > 10);
	zk_errctx_init(&ec);
	if (p == NULL)
		r = zk_nsec_chain(z.rr, z.n, &apex, 300, z.a, &out, &nout, &ec);
	else
		r = zk_nsec3_chain(z.rr, z.n, &apex, p, 300, z.a, &out, &nout, &ec);
	if (r != 0)
		fail_msg("chain: %s", ec.msg);
	assert_same_chain(out, nout, want.rr, want.n);
	zone_free(&z);
	zone_free(&want);
}

static void test_nsec_chain_bind(void **state)
{
	(void)state;
	check_bind_chain("nsec/nsec.expect", NULL);
}

static void test_nsec3_chain_bind(void **state)
{
	(void)state;
	zk_nsec3_params_t p = rfc5155_params;

	p.flags = 0;
	p.iterations = 5;
	check_bind_chain("nsec/nsec3.expect", &p);
}

static void test_nsec3_chain_bind_optout(void **state)
{
	(void)state;
	zk_nsec3_params_t p = rfc5155_params;

	p.iterations = 5;
	check_bind_chain("nsec/nsec3-optout.expect", &p);
}

static void test_nsec3_chain_bind_nosalt(void **state)
{
	(void)state;
	zk_nsec3_params_t p = {.alg = 1};

	check_bind_chain("nsec/nsec3-nosalt.expect", &p);
}

/* Build a zone from "owner type rdata" lines (test-only, tiny zones). */
static void zone_from_lines(zone_t *z, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zone_add(z, lines[i]);
}

static void test_chain_small_cases(void **state)
{
	(void)state;
	static const char *const apex_only[] = {
	    "ex. SOA ns.ex. h.ex. 1 2 3 4 5",
	    "ex. NS ns.other.",
	};
	static const char *const three[] = {
	    "ex. SOA ns.ex. h.ex. 1 2 3 4 5",
	    "ex. NS ns.other.",
	    "b.ex. A 192.0.2.2",
	    "a.ex. A 192.0.2.1",
	};
	static const char *const no_apex[] = {
	    "a.ex. A 192.0.2.1",
	};
	zone_t z = {0};
	zk_name_t apex = name("ex.");
	zk_rr_t *out = (zk_rr_t *)0x1;
	size_t nout = 77;
	zk_nsec3_params_t p = {.alg = 1};
	zk_errctx_t ec;
	uint8_t want[] = {2, 'e', 'x', 0, 0, 6, 0x22, 0, 0, 0, 0, 0x03};

	/* Only the apex: the NSEC points at itself. */
	zone_from_lines(&z, apex_only, 2);
	assert_int_equal(zk_nsec_chain(z.rr, z.n, &apex, 5, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 1);
	assert_true(zk_name_eq(out[0].owner, &apex));
	assert_int_equal(out[0].ttl, 5);
	assert_int_equal(out[0].rclass, ZK_CLASS_IN);
	assert_int_equal(out[0].rdlen, sizeof(want));
	assert_memory_equal(out[0].rdata, want, sizeof(want)); /* NS SOA RRSIG NSEC */
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 5, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 1);
	/* Next hash is its own; bitmap NS SOA RRSIG NSEC3PARAM. */
	assert_int_equal(out[0].rdlen, 5 + 1 + 20 + 2 + 7);
	{
		uint8_t h[32];
		size_t hl;
		assert_int_equal(out[0].owner->wire[0], 32);
		assert_int_equal(zk_base32hex_decode((const char *)out[0].owner->wire + 1, 32, h,
		                                     sizeof(h), &hl),
		                 0);
		assert_int_equal(hl, 20);
		assert_memory_equal(out[0].rdata + 6, h, 20);
	}
	assert_true(zk_bitmap_has(out[0].rdata + 26, 9, ZK_TYPE_NSEC3PARAM));
	assert_true(zk_bitmap_has(out[0].rdata + 26, 9, ZK_TYPE_SOA));
	assert_false(zk_bitmap_has(out[0].rdata + 26, 9, ZK_TYPE_NSEC));

	/* Limits: more than 50 iterations, unknown algorithm; outputs
	 * untouched. */
	out = (zk_rr_t *)0x1;
	nout = 77;
	p.iterations = 51;
	zk_errctx_init(&ec);
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 5, z.a, &out, &nout, &ec), ZK_ERANGE);
	assert_int_equal(ec.code, ZK_ERANGE);
	p.iterations = 50;
	p.alg = 2;
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 5, z.a, &out, &nout, NULL),
	                 ZK_EUNSUPP);
	assert_true(out == (zk_rr_t *)0x1);
	assert_int_equal(nout, 77);

	/* Not in canonical order. */
	p.alg = 1;
	zone_free(&z);
	zone_from_lines(&z, three, 4);
	assert_int_equal(zk_nsec_chain(z.rr, z.n, &apex, 5, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 3);
	{
		zk_rr_t tmp = z.rr[2];
		z.rr[2] = z.rr[3];
		z.rr[3] = tmp;
	}
	out = (zk_rr_t *)0x1;
	zk_errctx_init(&ec);
	assert_int_equal(zk_nsec_chain(z.rr, z.n, &apex, 5, z.a, &out, &nout, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg, "records not in canonical order (record 3)");
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 5, z.a, &out, &nout, NULL),
	                 ZK_EINVAL);
	assert_true(out == (zk_rr_t *)0x1);
	zone_free(&z);

	/* Nothing at the apex. */
	zone_from_lines(&z, no_apex, 1);
	zk_errctx_init(&ec);
	assert_int_equal(zk_nsec_chain(z.rr, z.n, &apex, 5, z.a, &out, &nout, &ec), ZK_EZONE);
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 5, z.a, &out, &nout, NULL), ZK_EZONE);
	assert_int_equal(zk_nsec_chain(z.rr, 0, &apex, 5, z.a, &out, &nout, NULL), ZK_EZONE);
	assert_true(out == (zk_rr_t *)0x1);
	zone_free(&z);
}

static void test_chain_case_and_scope(void **state)
{
	(void)state;
	/* Owner case is kept in owner and next name (RFC 6840 §5.1); names
	 * outside the apex, records of an old chain and RRSIGs alone make no
	 * name; at a delegation A is glue, not listed. */
	static const char *const lines[] = {
	    "ex. SOA ns.ex. h.ex. 1 2 3 4 5",
	    "ex. NS ns.ex.",
	    "Mixed.EX. TXT \"x\"",
	    "old.ex. NSEC ex. A RRSIG NSEC",
	    "old.ex. RRSIG NSEC 13 2 300 20300101000000 20200101000000 1 ex. AAAA",
	    "sigonly.ex. RRSIG A 13 2 300 20300101000000 20200101000000 1 ex. AAAA",
	    "d.ex. NS ns.d.ex.",
	    "d.ex. A 192.0.2.1",
	    "other.tld. A 192.0.2.2",
	    "a.other.tld. A 192.0.2.3",
	};
	zone_t z = {0};
	zk_name_t apex = name("ex.");
	zk_rr_t *out = NULL;
	size_t nout = 0;
	zk_nsec3_params_t p = {.alg = 1, .flags = ZK_NSEC3_OPTOUT};
	char buf[ZK_NAME_TEXTMAX];
	zk_name_t next;
	size_t pos = 0;

	zone_from_lines(&z, lines, sizeof(lines) / sizeof(lines[0]));
	assert_int_equal(zk_nsec_chain(z.rr, z.n, &apex, 60, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 3); /* ex. d.ex. Mixed.EX. */
	zk_name_to_cstr(out[2].owner, buf, sizeof(buf));
	assert_string_equal(buf, "Mixed.EX.");
	assert_int_equal(zk_name_from_wire_plain(&next, out[1].rdata, out[1].rdlen, &pos, NULL), 0);
	zk_name_to_cstr(&next, buf, sizeof(buf));
	assert_string_equal(buf, "Mixed.EX.");
	/* d.ex.: NS RRSIG NSEC only. */
	assert_int_equal(out[1].rdlen - pos, 2 + 6);
	assert_true(zk_bitmap_has(out[1].rdata + pos, 8, ZK_TYPE_NS));
	assert_false(zk_bitmap_has(out[1].rdata + pos, 8, ZK_TYPE_A));
	assert_true(zk_bitmap_has(out[1].rdata + pos, 8, ZK_TYPE_RRSIG));

	/* NSEC3 with opt-out: the insecure delegation is left out. */
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 60, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 2);
	for (size_t i = 0; i < nout; i++) {
		assert_int_equal(out[i].rdata[1], ZK_NSEC3_OPTOUT);
		assert_int_equal(out[i].ttl, 60);
		assert_int_equal(out[i].owner->labels, 2);
	}
	/* Without: it is there, bitmap NS only (no DS, nothing signed). */
	p.flags = 0;
	assert_int_equal(zk_nsec3_chain(z.rr, z.n, &apex, &p, 60, z.a, &out, &nout, NULL), 0);
	assert_int_equal(nout, 3);
	{
		uint8_t h[ZK_NSEC3_HASH_MAX];
		zk_name_t d = name("d.ex."), hashed;
		size_t k;

		assert_int_equal(zk_nsec3_hash(&d, &p, h, NULL), 0);
		assert_int_equal(zk_nsec3_owner(h, sizeof(h), &apex, &hashed, NULL), 0);
		for (k = 0; k < nout && !zk_name_eq(out[k].owner, &hashed); k++)
			;
		assert_true(k < nout);
		assert_int_equal(out[k].rdlen, 5 + 1 + 20 + 3);
		assert_memory_equal(out[k].rdata + 26, "\x00\x01\x20", 3);
	}
	zone_free(&z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bitmap_rfc4034_example),
	    cmocka_unit_test(test_bitmap_windows),
	    cmocka_unit_test(test_bitmap_every_type),
	    cmocka_unit_test(test_bitmap_malformed),
	    cmocka_unit_test(test_nsec3_hash_rfc5155),
	    cmocka_unit_test(test_nsec3_hash_case_and_params),
	    cmocka_unit_test(test_nsec3_chain_rfc5155),
	    cmocka_unit_test(test_nsec3_chain_rfc5155_resign),
	    cmocka_unit_test(test_nsec_chain_bind),
	    cmocka_unit_test(test_nsec3_chain_bind),
	    cmocka_unit_test(test_nsec3_chain_bind_optout),
	    cmocka_unit_test(test_nsec3_chain_bind_nosalt),
	    cmocka_unit_test(test_chain_case_and_scope),
	    cmocka_unit_test(test_chain_small_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
