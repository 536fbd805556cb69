/* Unit tests for common/present.c: record lines, columns and styles as
 * dig 9.18 prints them, whole messages against dig's own output
 * (t/data/msg/crafted-*.dig, made by golden.sh with a real dig), status
 * words, and RFC 8427 JSON. */
#include "config.h"

#include <jansson.h>

#define TESTUTIL_GROUP_ARENA
#include "testutil.h"

#include "encode.h"
#include "msg.h"
#include "name.h"
#include "present.h"
#include "rrtype.h"

static const uint8_t ip[4] = {1, 2, 3, 4};

static zk_rr_t mkrr(zk_name_t *n, const char *owner, uint16_t type, uint32_t ttl, const uint8_t *rd,
                    uint16_t rdlen)
{
	zk_rr_t rr = {.owner = n,
	              .type = type,
	              .rclass = ZK_CLASS_IN,
	              .ttl = ttl,
	              .rdlen = rdlen,
	              .rdata = rd};
	assert_int_equal(zk_name_from_text(n, owner, strlen(owner), NULL, NULL), 0);
	return rr;
}

static void rr_is(const zk_rr_t *rr, const zk_style_t *s, const char *want)
{
	zk_buf_t b;
	zk_buf_init(&b);
	zk_present_rr(rr, s, &b);
	zk_buf_putc(&b, '\0');
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, want);
	zk_buf_free(&b);
}

static void q_is(const zk_rr_t *rr, const zk_style_t *s, const char *want)
{
	zk_buf_t b;
	zk_buf_init(&b);
	zk_present_question(rr, s, &b);
	zk_buf_putc(&b, '\0');
	assert_string_equal(b.data, want);
	zk_buf_free(&b);
}

/* Columns 24/32/40/48 with 8-wide tabs, one space once past a column. */
static void test_columns(void **state)
{
	zk_name_t n;
	zk_style_t s;
	zk_rr_t rr = mkrr(&n, "example.com.", ZK_TYPE_A, 300, ip, 4);
	(void)state;

	zk_style_dig(&s);
	rr_is(&rr, &s, "example.com.\t\t300\tIN\tA\t1.2.3.4\n");
	rr = mkrr(&n, "averyveryveryverylongname.example.com.", ZK_TYPE_A, 86400, ip, 4);
	rr_is(&rr, &s, "averyveryveryverylongname.example.com. 86400 IN\tA 1.2.3.4\n");
	rr = mkrr(&n, "ns1.example.com.", ZK_TYPE_A, 3600, ip, 4);
	rr_is(&rr, &s, "ns1.example.com.\t3600\tIN\tA\t1.2.3.4\n");
	/* +nottlid, +noclass: 24/32/40; both: 24/24/32. */
	rr = mkrr(&n, "example.com.", ZK_TYPE_A, 300, ip, 4);
	s.ttlid = false;
	rr_is(&rr, &s, "example.com.\t\tIN\tA\t1.2.3.4\n");
	s.ttlid = true;
	s.classid = false;
	rr_is(&rr, &s, "example.com.\t\t300\tA\t1.2.3.4\n");
	s.ttlid = false;
	rr_is(&rr, &s, "example.com.\t\tA\t1.2.3.4\n");
	/* +multiline: 24/24/24/32. */
	zk_style_dig(&s);
	s.multiline = true;
	rr = mkrr(&n, "example.com.", ZK_TYPE_A, 300, ip, 4);
	rr_is(&rr, &s, "example.com.\t\t300 IN A 1.2.3.4\n");
	rr.ttl = 3600;
	rr_is(&rr, &s, "example.com.\t\t3600 IN\tA 1.2.3.4\n");
}

static void test_ttlunits(void **state)
{
	static const struct {
		uint32_t ttl;
		const char *want;
	} cases[] = {
	    {0, "x.\t\t\t0s\tIN\tA\t1.2.3.4\n"},
	    {59, "x.\t\t\t59s\tIN\tA\t1.2.3.4\n"},
	    {60, "x.\t\t\t1m\tIN\tA\t1.2.3.4\n"},
	    {3600, "x.\t\t\t1h\tIN\tA\t1.2.3.4\n"},
	    {86400, "x.\t\t\t1d\tIN\tA\t1.2.3.4\n"},
	    {1209600, "x.\t\t\t2w\tIN\tA\t1.2.3.4\n"},
	    /* 8 characters reach column 32: one space, then columns again. */
	    {93784, "x.\t\t\t1d2h3m4s IN\tA\t1.2.3.4\n"},
	    {4294967295u, "x.\t\t\t7101w3d6h28m15s\tIN A\t1.2.3.4\n"},
	};
	zk_name_t n;
	zk_style_t s;
	(void)state;

	zk_style_dig(&s);
	s.ttlunits = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zk_rr_t rr = mkrr(&n, "x.", ZK_TYPE_A, cases[i].ttl, ip, 4);
		rr_is(&rr, &s, cases[i].want);
	}
}

static void test_question_and_short(void **state)
{
	zk_name_t n;
	zk_style_t s;
	zk_rr_t q = mkrr(&n, "example.com.", ZK_TYPE_ANY, 0, NULL, 0);
	(void)state;

	zk_style_dig(&s);
	q_is(&q, &s, ";example.com.\t\t\tIN\tANY\n");
	s.multiline = true;
	q_is(&q, &s, ";example.com.\t\tIN ANY\n");
	s.multiline = false;
	/* dig keeps the class of the question with +noclass. */
	s.classid = false;
	q_is(&q, &s, ";example.com.\t\tIN\tANY\n");
	q.rclass = ZK_CLASS_CH;
	q.type = 65280;
	zk_style_dig(&s);
	q_is(&q, &s, ";example.com.\t\t\tCH\tTYPE65280\n");

	/* The ';' is outside dig's column count: these are dig 9.18's lines
	 * for the same questions (the 24- and 39-character cases). */
	static const struct {
		const char *name, *line;
	} dig[] = {
	    {"1.2.0.192.in-addr.arpa.", ";1.2.0.192.in-addr.arpa.\t\tIN\tA\n"},
	    {"abcdefghijklmnopqrstu.", ";abcdefghijklmnopqrstu.\t\tIN\tA\n"},
	    {"abcdefghijklmnopqrstuvw.", ";abcdefghijklmnopqrstuvw.\tIN\tA\n"},
	    {"abcdefghijklmnopqrstuvwxyzabcdefghijk.",
	     ";abcdefghijklmnopqrstuvwxyzabcdefghijk. IN A\n"},
	};
	for (size_t i = 0; i < sizeof(dig) / sizeof(dig[0]); i++) {
		zk_rr_t d = mkrr(&n, dig[i].name, ZK_TYPE_A, 0, NULL, 0);
		q_is(&d, &s, dig[i].line);
	}

	zk_rr_t rr = mkrr(&n, "example.com.", ZK_TYPE_A, 300, ip, 4);
	s.short_form = true;
	rr_is(&rr, &s, "1.2.3.4\n");

	/* RFC 2136 §2.4.3: no RDATA, nothing printed after the type. */
	zk_style_dig(&s);
	rr = mkrr(&n, "a.example.com.", ZK_TYPE_A, 0, NULL, 0);
	rr.rclass = ZK_CLASS_NONE;
	rr_is(&rr, &s, "a.example.com.\t\t0\tNONE\tA\t\n");
}

/* t/data/msg/<file> into buf: the octets of a hex capture when hex is
 * true, else the text as it is, NUL-terminated. */
static size_t load(const char *file, char *buf, size_t cap, bool hex)
{
	char rel[256];
	char *text;
	size_t n;

	snprintf(rel, sizeof(rel), "msg/%s", file);
	if (hex)
		return load_hex(rel, (uint8_t *)buf, cap);
	text = read_text(rel);
	n = strlen(text);
	assert_true(n < cap);
	memcpy(buf, text, n + 1);
	free(text);
	return n;
}

/* zk_present_msg must print dig's text, up to the MSG SIZE line (the
 * tool's). */
static void msg_like_dig(const char *name, void (*tweak)(zk_style_t *), const char *variant)
{
	static char hex[200000], dig[200000];
	char file[128];
	size_t n;
	zk_msg_t m;
	zk_style_t s;
	zk_buf_t b;
	char *cut;

	snprintf(file, sizeof(file), "crafted-%s.hex", name);
	n = load(file, hex, sizeof(hex), true);
	assert_int_equal(zk_msg_parse(&m, (uint8_t *)hex, n, arena, NULL), 0);
	snprintf(file, sizeof(file), "crafted-%s%s%s.dig", name, variant ? "@" : "",
	         variant ? variant : "");
	load(file, dig, sizeof(dig), false);
	cut = strstr(dig, ";; MSG SIZE");
	if (cut != NULL)
		*cut = '\0';
	zk_style_dig(&s);
	if (tweak != NULL)
		tweak(&s);
	zk_buf_init(&b);
	zk_present_msg(&m, &s, &b);
	zk_buf_putc(&b, '\0');
	assert_string_equal(b.data, dig);
	zk_buf_free(&b);
}

static void multiline(zk_style_t *s)
{
	s->multiline = s->rrcomments = true;
}

static void nocomments(zk_style_t *s)
{
	s->comments = s->header = s->opt = false;
}

static void test_messages_like_dig(void **state)
{
	(void)state;
	msg_like_dig("options", NULL, NULL);
	msg_like_dig("sections", NULL, NULL);
	msg_like_dig("sections", multiline, "multiline");
	msg_like_dig("sections", nocomments, "nocomments");
	msg_like_dig("options", nocomments, "nocomments");
	msg_like_dig("badvers", NULL, NULL);
	msg_like_dig("badcookie", NULL, NULL);
	msg_like_dig("rcode30", NULL, NULL);
	msg_like_dig("rcode12", NULL, NULL);
	msg_like_dig("noflags", NULL, NULL);
	msg_like_dig("noquestion", NULL, NULL);
}

static void test_status_words(void **state)
{
	static const struct {
		uint16_t rcode;
		bool tsig;
		const char *want;
	} cases[] = {
	    {0, false, "NOERROR"},     {3, false, "NXDOMAIN"},    {10, false, "NOTZONE"},
	    {11, false, "RESERVED11"}, {15, false, "RESERVED15"}, {16, false, "BADVERS"},
	    {16, true, "BADSIG"},      {17, false, "?17"},        {23, false, "BADCOOKIE"},
	    {4095, false, "?4095"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zk_msg_t m;
		zk_style_t s;
		zk_buf_t b;
		char want[128];

		zk_msg_init(&m);
		m.id = 7;
		m.flags = ZK_FLAG_QR;
		m.rcode = cases[i].rcode;
		m.has_edns = cases[i].rcode > 15;
		zk_style_dig(&s);
		s.tsig_rcode = cases[i].tsig;
		zk_buf_init(&b);
		zk_present_msg(&m, &s, &b);
		zk_buf_putc(&b, '\0');
		snprintf(want, sizeof(want), ";; ->>HEADER<<- opcode: QUERY, status: %s, id: 7\n",
		         cases[i].want);
		assert_non_null(strstr(b.data, want));
		zk_buf_free(&b);
	}
}

static void test_json(void **state)
{
	static char hex[65536];
	size_t n = load("crafted-options.hex", hex, sizeof(hex), true);
	zk_msg_t m;
	zk_style_t s;
	zk_buf_t b;
	json_t *j, *extra, *a, *opt;
	(void)state;

	assert_int_equal(zk_msg_parse(&m, (uint8_t *)hex, n, arena, NULL), 0);
	zk_style_dig(&s);
	extra = json_pack("{s:s, s:i}", "comment", "from test", "ID", 99);
	zk_buf_init(&b);
	assert_int_equal(zk_present_msg_json(&m, &s, extra, &b), 0);
	zk_buf_putc(&b, '\0');
	assert_null(strchr(b.data, '\n'));
	j = json_loads(b.data, 0, NULL);
	assert_non_null(j);
	/* RFC 8427 §2.1 members; extra members merged (and win). */
	assert_int_equal(json_integer_value(json_object_get(j, "ID")), 99);
	assert_string_equal(json_string_value(json_object_get(j, "comment")), "from test");
	assert_int_equal(json_integer_value(json_object_get(j, "QR")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "AA")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "RD")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "RA")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "TC")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "ANCOUNT")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "ARCOUNT")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "QNAME")), "example.com.");
	assert_string_equal(json_string_value(json_object_get(j, "QTYPEname")), "A");
	assert_null(json_object_get(j, "questionRRs"));
	a = json_object_get(j, "answerRRs");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "rdataA")),
	                    "192.0.2.1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "RDATAHEX")),
	                    "C0000201");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 1), "TTL")), 86400);
	opt = json_array_get(json_object_get(j, "additionalRRs"), 0);
	assert_string_equal(json_string_value(json_object_get(opt, "TYPEname")), "OPT");
	assert_int_equal(json_integer_value(json_object_get(opt, "CLASS")), 1232);
	assert_true(json_is_true(json_object_get(json_object_get(opt, "EDNS"), "DO")));
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(json_object_get(opt, "EDNS"), "options"), 2),
	        "text")),
	    "EDE: 18 (Prohibited): (go away)");
	json_decref(j);
	json_decref(extra);
	zk_buf_free(&b);
}

static void test_zone_style(void **state)
{
	static char hex[65536];
	size_t n = load("crafted-sections.hex", hex, sizeof(hex), true);
	zk_msg_t m;
	zk_style_t s;
	zk_buf_t b;
	(void)state;

	assert_int_equal(zk_msg_parse(&m, (uint8_t *)hex, n, arena, NULL), 0);
	zk_style_zone(&s);
	zk_buf_init(&b);
	zk_present_msg(&m, &s, &b);
	zk_buf_putc(&b, '\0');
	assert_string_equal(
	    b.data, "example.com.\t\t3600\tIN\tSOA\tns1.example.com. hostmaster.example.com. "
	            "2024010101 7200 3600 1209600 300\n"
	            "example.com.\t\t3600\tIN\tMX\t10 mail.example.com.\n"
	            "example.com.\t\t60\tIN\tTXT\t\"hello\" \"world \\\"x\\\"\\\\\"\n"
	            "example.com.\t\t300\tIN\tA\t192.0.2.1\n"
	            "example.com.\t\t3600\tIN\tNS\tns1.example.com.\n"
	            "ns1.example.com.\t3600\tIN\tAAAA\t2001:db8::1\n");
	zk_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_columns),
	    cmocka_unit_test(test_ttlunits),
	    cmocka_unit_test(test_question_and_short),
	    cmocka_unit_test(test_messages_like_dig),
	    cmocka_unit_test(test_status_words),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_zone_style),
	};
	return cmocka_run_group_tests(tests, arena_setup, arena_teardown);
}
