/* Unit tests for common/edns.c: the OPT RR (RFC 6891), option validation
 * (RFC 7871, 7873, 7828, 7314, 8914, 8145) and option text. The expected
 * strings are what dig 9.18.49 printed for the same option octets, sent to
 * it by a test responder. */
#include "config.h"

#define TESTUTIL_GROUP_ARENA
#include "testutil.h"

#include "edns.h"
#include "name.h"
#include "rrtype.h"

static zk_rr_t opt_rr(uint16_t udp, uint32_t ttl, const uint8_t *rd, size_t n)
{
	zk_rr_t rr = {.owner = &zk_name_root,
	              .type = ZK_TYPE_OPT,
	              .rclass = udp,
	              .ttl = ttl,
	              .rdlen = (uint16_t)n,
	              .rdata = rd};
	return rr;
}

/* One option's text as dig prints it after "; ". */
static void text_is(uint16_t code, const void *data, size_t n, const char *want)
{
	zk_edns_opt_t o = {.code = code, .len = (uint16_t)n, .data = data};
	zk_buf_t b;

	zk_buf_init(&b);
	zk_edns_opt_to_text(&o, &b);
	zk_buf_putc(&b, '\0');
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, want);
	zk_buf_free(&b);
}

static void test_parse_fields(void **state)
{
	static const uint8_t rd[] = {0, 3, 0, 3, 'n', 's', '1', 0, 12, 0, 0};
	zk_rr_t rr = opt_rr(1232, 0x01008000, rd, sizeof(rd));
	zk_edns_t e;
	(void)state;

	assert_int_equal(zk_edns_parse(&e, &rr, arena, NULL), 0);
	assert_int_equal(e.udp_size, 1232);
	assert_int_equal(e.ext_rcode, 1);
	assert_int_equal(e.version, 0);
	assert_int_equal(e.flags, ZK_EDNS_DO);
	assert_int_equal(e.nopts, 2);
	assert_int_equal(e.opts[0].code, ZK_EDNS_NSID);
	assert_int_equal(e.opts[0].len, 3);
	assert_memory_equal(e.opts[0].data, "ns1", 3);
	assert_int_equal(e.opts[1].code, ZK_EDNS_PADDING);
	assert_int_equal(e.opts[1].len, 0);
	assert_int_equal(zk_edns_wire_size(&e), 11 + sizeof(rd));
}

static void test_write_roundtrip(void **state)
{
	static const uint8_t rd[] = {0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 15, 0, 2, 0, 18};
	/* Owner root, TYPE 41, CLASS 4096, TTL 0x00018000, RDLENGTH 18. */
	static const uint8_t head[] = {0, 0, 41, 0x10, 0, 0, 1, 0x80, 0, 0, 18};
	zk_rr_t rr = opt_rr(4096, 0x00018000, rd, sizeof(rd));
	zk_edns_t e;
	uint8_t buf[64];
	zk_wbuf_t w;
	(void)state;

	assert_int_equal(zk_edns_parse(&e, &rr, arena, NULL), 0);
	assert_int_equal(e.version, 1);
	zk_wbuf_init(&w, buf, sizeof(buf));
	zk_edns_write(&e, &w);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, zk_edns_wire_size(&e));
	assert_memory_equal(buf, head, sizeof(head));
	assert_memory_equal(buf + 11, rd, sizeof(rd));

	/* Too small a buffer: the error sticks. */
	zk_wbuf_init(&w, buf, 20);
	zk_edns_write(&e, &w);
	assert_int_equal(w.err, ZK_ESPACE);
}

/* A bad option is ZK_EMSG at its offset inside the RDATA. */
static void bad(const uint8_t *rd, size_t n, long offset, const char *what)
{
	zk_rr_t rr = opt_rr(1232, 0, rd, n);
	zk_edns_t e;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	memset(&e, 0x5a, sizeof(e));
	assert_int_equal(zk_edns_parse(&e, &rr, arena, &ec), ZK_EMSG);
	assert_int_equal(ec.offset, offset);
	if (strstr(ec.msg, what) == NULL)
		fail_msg("message \"%s\" does not mention \"%s\"", ec.msg, what);
	assert_int_equal(e.udp_size, 0x5a5a);
}

static void test_validation(void **state)
{
	(void)state;
	/* Header and length runs. */
	bad((const uint8_t[]){0, 3, 0}, 3, 0, "header truncated");
	bad((const uint8_t[]){0, 3, 0, 4, 'a'}, 5, 0, "runs past");
	bad((const uint8_t[]){0, 12, 0, 0, 0, 3, 0, 2, 'a'}, 9, 4, "runs past");
	/* RFC 7873 §4: 8, or 16 to 40 octets. */
	bad((const uint8_t[]){0, 10, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 13, 0, "COOKIE");
	bad((const uint8_t[]){0, 10, 0, 0}, 4, 0, "COOKIE");
	/* RFC 7871 §6: ECS shapes. */
	bad((const uint8_t[]){0, 8, 0, 3, 0, 1, 24}, 7, 0, "shorter than 4");
	bad((const uint8_t[]){0, 8, 0, 4, 0, 3, 0, 0}, 8, 0, "family");
	bad((const uint8_t[]){0, 8, 0, 5, 0, 1, 33, 0, 1}, 9, 0, "too long");
	bad((const uint8_t[]){0, 8, 0, 6, 0, 1, 24, 0, 192, 0}, 10, 0, "address length");
	bad((const uint8_t[]){0, 8, 0, 7, 0, 1, 23, 0, 192, 0, 3}, 11, 0, "past the source");
	/* RFC 7828 §3.1, RFC 7314 §2. */
	bad((const uint8_t[]){0, 11, 0, 1, 1}, 5, 0, "KEEPALIVE");
	bad((const uint8_t[]){0, 9, 0, 3, 0, 0, 1}, 7, 0, "EXPIRE");
	/* RFC 8914 §2. */
	bad((const uint8_t[]){0, 15, 0, 1, 'A'}, 5, 0, "EDE shorter");
	bad((const uint8_t[]){0, 15, 0, 4, 0, 3, 0xff, 0xfe}, 8, 0, "UTF-8");
	bad((const uint8_t[]){0, 15, 0, 4, 0, 3, 0xc0, 0x80}, 8, 0, "UTF-8"); /* overlong */
	/* RFC 8145 §4.1 */
	bad((const uint8_t[]){0, 14, 0, 3, 0, 0, 1}, 7, 0, "KEY-TAG");

	/* Not an OPT at all; OPT not at the root. */
	zk_rr_t rr = opt_rr(1232, 0, NULL, 0);
	zk_edns_t e;
	rr.type = ZK_TYPE_A;
	assert_int_equal(zk_edns_parse(&e, &rr, arena, NULL), ZK_EINVAL);
	zk_name_t n;
	assert_int_equal(zk_name_from_text(&n, "x.", 2, NULL, NULL), 0);
	rr = opt_rr(1232, 0, NULL, 0);
	rr.owner = &n;
	assert_int_equal(zk_edns_parse(&e, &rr, arena, NULL), ZK_EMSG);
	/* Valid edge cases. */
	static const uint8_t ok[] = {0, 8,  0, 4, 0, 0, 0,    0,               /* family 0 */
	                             0, 8,  0, 7, 0, 1, 24,   25,   192, 0, 2, /* scope > source */
	                             0, 15, 0, 2, 0, 0,                        /* EDE, no text */
	                             0, 15, 0, 5, 0, 1, 0xc3, 0xa9, '!',       /* UTF-8 text */
	                             0, 11, 0, 0, 0, 9, 0,    0};
	rr = opt_rr(1232, 0, ok, sizeof(ok));
	assert_int_equal(zk_edns_parse(&e, &rr, arena, NULL), 0);
	assert_int_equal(e.nopts, 6);
}

static void test_text(void **state)
{
	static const uint8_t cookie[24] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
	                                   12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
	(void)state;
	text_is(ZK_EDNS_NSID, "ns1", 3, "NSID: 6e 73 31 (\"ns1\")");
	text_is(ZK_EDNS_NSID, "", 0, "NSID:");
	text_is(ZK_EDNS_COOKIE, cookie, 24,
	        "COOKIE: 000102030405060708090a0b0c0d0e0f1011121314151617");
	text_is(ZK_EDNS_EDE, "\x00\x12go away", 9, "EDE: 18 (Prohibited): (go away)");
	text_is(ZK_EDNS_EDE, "\x00\x1b", 2, "EDE: 27");
	text_is(ZK_EDNS_EDE, "\x00\x28x\x01y", 5, "EDE: 40: (x.y)");
	text_is(ZK_EDNS_EDE, "\x00\x00", 2, "EDE: 0 (Other)");
	text_is(ZK_EDNS_EDE, "\x00\x16", 2, "EDE: 22 (No Reachable Authority)");
	text_is(ZK_EDNS_EDE, "\x00\x18", 2, "EDE: 24 (Invalid Data)");
	text_is(ZK_EDNS_PADDING, "\0\0\0\0\0", 5, "PAD: (5 bytes)");
	text_is(ZK_EDNS_PADDING, "", 0, "PAD:");
	text_is(ZK_EDNS_KEEPALIVE, "\x00\x4b", 2, "TCP KEEPALIVE: 7.5 secs");
	text_is(ZK_EDNS_KEEPALIVE, "", 0, "TCP KEEPALIVE:");
	text_is(ZK_EDNS_KEEPALIVE, "\x01", 1, "TCP KEEPALIVE: 01 (\".\")");
	text_is(ZK_EDNS_EXPIRE, "\x00\x01\xa5\xe0", 4, "EXPIRE: 108000 (1 day 6 hours)");
	text_is(ZK_EDNS_EXPIRE, "", 0, "EXPIRE:");
	text_is(ZK_EDNS_ECS, "\x00\x01\x18\x00\xc0\x00\x02", 7, "CLIENT-SUBNET: 192.0.2.0/24/0");
	text_is(ZK_EDNS_ECS, "\x00\x02\x38\x00\x20\x01\x0d\xb8\x00\x00\x00", 11,
	        "CLIENT-SUBNET: 2001:db8::/56/0");
	text_is(ZK_EDNS_ECS, "\x00\x00\x00\x00", 4, "CLIENT-SUBNET: 0/0/0");
	text_is(ZK_EDNS_ECS, "\x00\x01\x18\x19\xc0\x00\x02", 7, "CLIENT-SUBNET: 192.0.2.0/24/25");
	text_is(99, "ab\0c", 4, "OPT=99: 61 62 00 63 (\"ab.c\")");
	text_is(ZK_EDNS_KEYTAG, "\x01\x02\x03\x04", 4, "KEY-TAG: 258, 772");
	text_is(ZK_EDNS_CHAIN,
	        "\x07"
	        "example\x00",
	        9, "OPT=13: 07 65 78 61 6d 70 6c 65 00 (\".example.\")");
	text_is(ZK_EDNS_CLIENT_TAG, "\x00\x05", 2, "CLIENT-TAG: 5");
	text_is(ZK_EDNS_SERVER_TAG, "\x00\x07", 2, "SERVER-TAG: 7");
	text_is(ZK_EDNS_DAU, "\x08\x0d", 2, "OPT=5: 08 0d (\"..\")");
	text_is(ZK_EDNS_UL, "\0\0\0\0", 4, "OPT=2: 00 00 00 00 (\"....\")");
	text_is(ZK_EDNS_REPORT_CHANNEL, "\x00\x01", 2, "OPT=18: 00 01 (\"..\")");
	text_is(ZK_EDNS_LLQ, "\x00\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18,
	        "LLQ: Version: 1, Opcode: 0, Error: 0, Identifier: 0, Lifetime: 0");
}

static void test_ede_names(void **state)
{
	(void)state;
	/* RFC 8914 §5.2 and the IANA registry. */
	assert_string_equal(zk_edns_ede_name(0), "Other");
	assert_string_equal(zk_edns_ede_name(3), "Stale Answer");
	assert_string_equal(zk_edns_ede_name(18), "Prohibited");
	assert_string_equal(zk_edns_ede_name(24), "Invalid Data");
	assert_string_equal(zk_edns_ede_name(27), "Unsupported NSEC3 Iterations Value");
	assert_string_equal(zk_edns_ede_name(30), "Invalid Query Type");
	assert_null(zk_edns_ede_name(31));
	assert_null(zk_edns_ede_name(65535));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_fields), cmocka_unit_test(test_write_roundtrip),
	    cmocka_unit_test(test_validation),   cmocka_unit_test(test_text),
	    cmocka_unit_test(test_ede_names),
	};
	return cmocka_run_group_tests(tests, arena_setup, arena_teardown);
}
