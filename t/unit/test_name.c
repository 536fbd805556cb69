/* Unit tests for common/name.c: text and wire forms, escapes, limits,
 * hostile compression pointers, canonical order (RFC 4034 §6.1). */
#include "config.h"

#include "testutil.h"

#include "name.h"

/* ---------------------------------------------------------------- helpers */

static zk_name_t parse(const char *s, const zk_name_t *origin)
{
	zk_name_t n;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	int r = zk_name_from_text(&n, s, strlen(s), origin, &ec);
	if (r != 0)
		fail_msg("parse \"%s\": %s", s, ec.msg);
	return n;
}

static int parse_err(const char *s, const zk_name_t *origin)
{
	zk_name_t n;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	memset(&n, 0xa5, sizeof(n));
	int r = zk_name_from_text(&n, s, strlen(s), origin, &ec);
	if (r != 0) {
		/* Output untouched on failure, message filled. */
		assert_int_equal(n.len, 0xa5);
		assert_int_equal(ec.code, r);
		assert_true(ec.msg[0] != '\0');
	}
	return r;
}

static void assert_text(const zk_name_t *n, const char *want)
{
	char buf[ZK_NAME_TEXTMAX];
	size_t k = zk_name_to_cstr(n, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(k, strlen(want));
}

static void assert_wire(const zk_name_t *n, const void *want, size_t len, unsigned labels)
{
	assert_int_equal(n->len, len);
	assert_memory_equal(n->wire, want, len);
	assert_int_equal(n->labels, labels);
}

static char *repeat(char *dst, char c, size_t n)
{
	memset(dst, c, n);
	dst[n] = '\0';
	return dst;
}

/* ---------------------------------------------------------------- text in */

static void test_text_basic(void **state)
{
	(void)state;
	zk_name_t n = parse("www.Example.COM.", NULL);
	assert_wire(&n, "\003www\007Example\003COM", 17, 3);
	assert_text(&n, "www.Example.COM.");

	n = parse(".", NULL);
	assert_wire(&n, "", 1, 0);
	assert_true(zk_name_is_root(&n));
	assert_text(&n, ".");
	assert_text(&zk_name_root, ".");

	/* Without an origin a relative name is relative to the root. */
	n = parse("a.b", NULL);
	assert_wire(&n, "\001a\001b", 5, 2);
}

static void test_text_origin(void **state)
{
	(void)state;
	zk_name_t origin = parse("example.org.", NULL);
	zk_name_t n = parse("@", &origin);
	assert_true(zk_name_eq(&n, &origin));
	assert_wire(&n, "\007example\003org", 13, 2);

	n = parse("www", &origin);
	assert_wire(&n, "\003www\007example\003org", 17, 3);
	n = parse("a.b", &origin);
	assert_text(&n, "a.b.example.org.");
	/* Absolute names ignore the origin. */
	n = parse("a.b.", &origin);
	assert_text(&n, "a.b.");
	/* "@" with no origin is the root; "@" inside a name is an octet. */
	n = parse("@", NULL);
	assert_true(zk_name_is_root(&n));
	n = parse("a@b", &origin);
	assert_wire(&n, "\003a@b\007example\003org", 17, 3);
	assert_text(&n, "a\\@b.example.org.");
	n = parse("\\@", &origin);
	assert_wire(&n, "\001@\007example\003org", 15, 3);
	/* A relative name that only overflows with the origin appended. */
	char lab[64], s[300];
	repeat(lab, 'x', 63);
	snprintf(s, sizeof(s), "%s.%s.%s.x", lab, lab, lab); /* 64*3 + 2 = 194 */
	n = parse(s, &origin);                               /* 194 + 13 = 207 */
	assert_int_equal(n.len, 207);
	zk_name_t longorig =
	    parse("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy.", NULL);
	assert_int_equal(parse_err(s, &longorig), ZK_ENAMELEN);
}

static void test_text_escapes(void **state)
{
	(void)state;
	zk_name_t n = parse("a\\.b.c.", NULL);
	assert_wire(&n, "\003a.b\001c", 7, 2);
	assert_text(&n, "a\\.b.c.");

	n = parse("\\065\\098c.", NULL); /* decimal: A b */
	assert_wire(&n, "\003Abc", 5, 1);
	assert_text(&n, "Abc.");

	n = parse("\\000\\255\\032.", NULL);
	assert_wire(&n, "\003\000\377\040", 5, 1);
	assert_text(&n, "\\000\\255\\032.");

	/* \X for a non-digit X is X itself, also for ordinary letters. */
	n = parse("\\a\\\\\\\"\\(\\).", NULL);
	assert_wire(&n, "\005a\\\"()", 7, 1);
	assert_text(&n, "a\\\\\\\"\\(\\).");

	/* The escaped dot is part of a label, an escaped final dot too. */
	n = parse("a\\.", NULL);
	assert_wire(&n, "\002a.", 4, 1);
	assert_text(&n, "a\\..");
}

/* Ground truth from BIND 9.18: printf 'IN CNAME <name>\n' | named-rrchecker -p
 *   a\@b\$c\(\)\"\;\.\\\032\007@$.x.  ->  a\@b\$c\(\)\"\;\.\\\032\007\@\$.x.
 *   ~\127\128\255{}|.                  ->  ~\127\128\255{}|.
 *   @a.$b. (origin example.)           ->  \@a.\$b. */
static void test_text_bind_escaping(void **state)
{
	(void)state;
	zk_name_t n = parse("a\\@b\\$c\\(\\)\\\"\\;\\.\\\\\\032\\007@$.x.", NULL);
	assert_wire(&n, "\017a@b$c()\";.\\ \a@$\001x", 19, 2);
	assert_text(&n, "a\\@b\\$c\\(\\)\\\"\\;\\.\\\\\\032\\007\\@\\$.x.");

	n = parse("~\\127\\128\\255{}|.", NULL);
	assert_text(&n, "~\\127\\128\\255{}|.");

	zk_name_t origin = parse("example.", NULL);
	n = parse("@a.$b.", &origin);
	assert_text(&n, "\\@a.\\$b.");
	/* Every octet: printable ones other than the specials stay as they are. */
	uint8_t wire[3] = {1, 0, 0};
	for (unsigned c = 0; c < 256; c++) {
		zk_name_t one;
		char buf[16], want[16];
		wire[1] = (uint8_t)c;
		size_t pos = 0;
		assert_int_equal(zk_name_from_wire_plain(&one, wire, 3, &pos, NULL), 0);
		zk_name_to_cstr(&one, buf, sizeof(buf));
		if (c < 0x21 || c > 0x7e)
			snprintf(want, sizeof(want), "\\%03u.", c);
		else if (strchr(".;\\()\"@$", (int)c) != NULL)
			snprintf(want, sizeof(want), "\\%c.", (char)c);
		else
			snprintf(want, sizeof(want), "%c.", (char)c);
		assert_string_equal(buf, want);
		/* and back */
		zk_name_t back = parse(buf, NULL);
		assert_int_equal(back.len, 3);
		assert_int_equal(back.wire[1], c);
	}
}

static void test_text_limits(void **state)
{
	(void)state;
	char lab63[64], lab64[65], s[600];
	repeat(lab63, 'a', 63);
	repeat(lab64, 'a', 64);

	zk_name_t n = parse(lab63, NULL);
	assert_int_equal(n.len, 65);
	assert_int_equal(n.wire[0], 63);
	assert_int_equal(parse_err(lab64, NULL), ZK_ELABEL);
	snprintf(s, sizeof(s), "%s.com.", lab64);
	assert_int_equal(parse_err(s, NULL), ZK_ELABEL);
	/* 64 octets made by escapes count as octets, not characters. */
	snprintf(s, sizeof(s), "%s\\065.", lab63);
	assert_int_equal(parse_err(s, NULL), ZK_ELABEL);
	snprintf(s, sizeof(s), "%.62s\\065.", lab63);
	n = parse(s, NULL);
	assert_int_equal(n.wire[0], 63);

	/* 255 octets: 3 x 63-octet labels + one 61-octet label
	 * = 4*64 - 2 + 1 = 255. */
	snprintf(s, sizeof(s), "%s.%s.%s.%.61s.", lab63, lab63, lab63, lab63);
	n = parse(s, NULL);
	assert_int_equal(n.len, 255);
	assert_int_equal(n.labels, 4);
	/* 256 octets */
	snprintf(s, sizeof(s), "%s.%s.%s.%.62s.", lab63, lab63, lab63, lab63);
	assert_int_equal(parse_err(s, NULL), ZK_ENAMELEN);
	/* the same, relative to the root */
	snprintf(s, sizeof(s), "%s.%s.%s.%.62s", lab63, lab63, lab63, lab63);
	assert_int_equal(parse_err(s, NULL), ZK_ENAMELEN);

	/* 127 one-octet labels: 127*2 + 1 = 255; 128 is too long. */
	s[0] = '\0';
	for (int i = 0; i < 127; i++)
		strcat(s, "a.");
	n = parse(s, NULL);
	assert_int_equal(n.len, 255);
	assert_int_equal(n.labels, 127);
	strcat(s, "a.");
	assert_int_equal(parse_err(s, NULL), ZK_ENAMELEN);
	/* Very long text that overflows long before it ends. */
	char big[2000];
	memset(big, 'b', sizeof(big) - 1);
	for (size_t i = 10; i < sizeof(big) - 1; i += 11)
		big[i] = '.';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse_err(big, NULL), ZK_ENAMELEN);
}

static void test_text_errors(void **state)
{
	(void)state;
	assert_int_equal(parse_err("", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("a..b", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("a..", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("..", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err(".a", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err(".a.", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\256.", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\999", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\1", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\12", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\1a1", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\12.", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("a\\", NULL), ZK_ESYNTAX);
	assert_int_equal(parse_err("\\", NULL), ZK_ESYNTAX);

	/* The length argument is honoured: text after n is not read. */
	zk_name_t n;
	assert_int_equal(zk_name_from_text(&n, "abc.def", 3, NULL, NULL), 0);
	assert_wire(&n, "\003abc", 5, 1);
	/* A backslash cut off by n is a trailing backslash. */
	assert_int_equal(zk_name_from_text(&n, "ab\\065", 3, NULL, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_name_from_text(&n, "ab\\065", 5, NULL, NULL), ZK_ESYNTAX);

	zk_errctx_t ec;
	zk_errctx_init(&ec);
	assert_int_equal(zk_name_from_text(&n, "a\\25x", 5, NULL, &ec), ZK_ESYNTAX);
	assert_non_null(strstr(ec.msg, "escape"));
}

static void test_to_cstr_short(void **state)
{
	(void)state;
	zk_name_t n = parse("abc.de.", NULL);
	char buf[5];
	assert_int_equal(zk_name_to_cstr(&n, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "abc.");

	zk_buf_t b;
	zk_buf_init(&b);
	zk_buf_puts(&b, "name=");
	zk_name_to_text(&n, &b);
	assert_int_equal(b.err, 0);
	assert_string_equal(b.data, "name=abc.de.");
	zk_buf_free(&b);

	/* The longest possible text fits ZK_NAME_TEXTMAX: 63 \DDD per label. */
	uint8_t wire[255];
	size_t i = 0;
	while (i + 64 <= 254) {
		wire[i] = 63;
		memset(wire + i + 1, 0x01, 63);
		i += 64;
	}
	wire[i] = (uint8_t)(254 - i - 1);
	memset(wire + i + 1, 0x01, wire[i]);
	wire[254] = 0;
	size_t pos = 0;
	assert_int_equal(zk_name_from_wire_plain(&n, wire, sizeof(wire), &pos, NULL), 0);
	char big[ZK_NAME_TEXTMAX];
	size_t k = zk_name_to_cstr(&n, big, sizeof(big));
	/* 250 octets as \DDD and 4 dots */
	assert_int_equal(k, 250 * 4 + 4);
	assert_true(k < ZK_NAME_TEXTMAX);
}

/* ---------------------------------------------------------------- wire in */

/* A message: 12-octet header of zeros, then the given bytes. */
static size_t msg_build(uint8_t *msg, const void *body, size_t n)
{
	memset(msg, 0, 12);
	memcpy(msg + 12, body, n);
	return 12 + n;
}

static int wire_err(const void *body, size_t n, size_t start, long want_off)
{
	uint8_t msg[1024];
	size_t len = msg_build(msg, body, n), pos = start;
	zk_name_t out;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	memset(&out, 0x5a, sizeof(out));
	int r = zk_name_from_wire(&out, msg, len, &pos, &ec);
	assert_true(r < 0);
	assert_int_equal(pos, start);    /* *pos untouched */
	assert_int_equal(out.len, 0x5a); /* output untouched */
	assert_int_equal(ec.code, r);
	assert_int_equal(ec.offset, want_off);
	assert_true(ec.msg[0] != '\0');
	return r;
}

static void test_wire_plain(void **state)
{
	(void)state;
	static const uint8_t w[] = "\003www\007Example\003com";
	zk_name_t n;
	size_t pos = 0;

	assert_int_equal(zk_name_from_wire_plain(&n, w, sizeof(w), &pos, NULL), 0);
	assert_int_equal(pos, 17);
	assert_wire(&n, w, 17, 3);
	assert_int_equal(zk_name_wire_len(w, sizeof(w)), 17);
	assert_int_equal(zk_name_wire_len(w, 16), ZK_ETRUNC);
	assert_int_equal(zk_name_wire_len((const uint8_t *)"\300\014", 2), ZK_EPTR);
	assert_int_equal(zk_name_wire_len((const uint8_t *)"\100", 1), ZK_ELABELTYPE);
	assert_int_equal(zk_name_wire_len((const uint8_t *)"", 1), 1);
	assert_int_equal(zk_name_wire_len((const uint8_t *)"", 0), ZK_ETRUNC);

	/* Any pointer is an error in an uncompressed name. */
	static const uint8_t p[] = {1, 'a', 0xc0, 0x00};
	pos = 0;
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	assert_int_equal(zk_name_from_wire_plain(&n, p, sizeof(p), &pos, &ec), ZK_EPTR);
	assert_int_equal(ec.offset, 2);
	assert_int_equal(pos, 0);

	/* Round trip through zk_name_to_wire. */
	uint8_t out[300];
	zk_wbuf_t wb;
	zk_wbuf_init(&wb, out, sizeof(out));
	zk_name_to_wire(&n, &wb);
	assert_int_equal(wb.err, 0);
	assert_int_equal(wb.len, 17);
	assert_memory_equal(out, w, 17);
	zk_wbuf_init(&wb, out, 16);
	zk_name_to_wire(&n, &wb);
	assert_int_equal(wb.err, ZK_ESPACE);
}

static void test_wire_compressed_ok(void **state)
{
	(void)state;
	/* 12: \001a\000  15: \001b + ptr 12  19: ptr 15 */
	static const uint8_t body[] = {1, 'a', 0, 1, 'b', 0xc0, 12, 0xc0, 15};
	uint8_t msg[64];
	size_t len = msg_build(msg, body, sizeof(body)), pos = 19, work = 0;
	zk_name_t n;

	assert_int_equal(zk_name_from_wire_count(&n, msg, len, &pos, &work, NULL), 0);
	assert_wire(&n, "\001b\001a", 5, 2);
	assert_int_equal(pos, 21);
	/* two pointers (2 each) + "b" (2) + "a" (2) + root (1) */
	assert_int_equal(work, 9);
	pos = 15;
	assert_int_equal(zk_name_from_wire(&n, msg, len, &pos, NULL), 0);
	assert_int_equal(pos, 19);
	pos = 12;
	assert_int_equal(zk_name_from_wire(&n, msg, len, &pos, NULL), 0);
	assert_int_equal(pos, 15);
	assert_wire(&n, "\001a", 3, 1);
}

static void test_wire_hostile(void **state)
{
	(void)state;
	/* self pointer */
	assert_int_equal(wire_err((uint8_t[]){0xc0, 12}, 2, 12, 12), ZK_EPTR);
	/* loop: 12 -> 14 -> 12; entering at 14 the hop to 12 is fine,
	 * the one back to 14 is not backward. */
	assert_int_equal(wire_err((uint8_t[]){0xc0, 14, 0xc0, 12}, 4, 14, 12), ZK_EPTR);
	assert_int_equal(wire_err((uint8_t[]){0xc0, 14, 0xc0, 12}, 4, 12, 12), ZK_EPTR);
	/* label then a pointer back to the name's own start */
	assert_int_equal(wire_err((uint8_t[]){1, 'a', 0xc0, 12}, 4, 12, 14), ZK_EPTR);
	/* forward pointer */
	assert_int_equal(wire_err((uint8_t[]){0xc0, 16, 0, 0, 1, 'a', 0}, 7, 12, 12), ZK_EPTR);
	/* pointer after a hop that goes forward of the part start but behind
	 * the pointer: 12: \001a\000; 15: \001b ptr 20 (forward); start 15 */
	assert_int_equal(
	    wire_err((uint8_t[]){1, 'a', 0, 1, 'b', 0xc0, 20, 0, 1, 'c', 0}, 11, 15, 17), ZK_EPTR);
	/* the second part must point before the start of the first target:
	 * 12: \001a\000  15: \001b ptr 18  18: ptr 12 ... and 20: ptr 15,
	 * entering at 20: 20 -> 15 -> (18 >= 15) rejected */
	assert_int_equal(
	    wire_err((uint8_t[]){1, 'a', 0, 1, 'b', 0xc0, 18, 0xc0, 12, 0, 0xc0, 15}, 12, 22, 17),
	    ZK_EPTR);
	/* into the header */
	assert_int_equal(wire_err((uint8_t[]){0xc0, 0}, 2, 12, 12), ZK_EPTR);
	assert_int_equal(wire_err((uint8_t[]){0xc0, 11}, 2, 12, 12), ZK_EPTR);
	assert_int_equal(wire_err((uint8_t[]){1, 'a', 0xc0, 5}, 4, 12, 14), ZK_EPTR);
	/* reserved label types */
	assert_int_equal(wire_err((uint8_t[]){0x40, 0}, 2, 12, 12), ZK_ELABELTYPE);
	assert_int_equal(wire_err((uint8_t[]){0x80, 0}, 2, 12, 12), ZK_ELABELTYPE);
	assert_int_equal(wire_err((uint8_t[]){1, 'a', 0x41, 0}, 4, 12, 14), ZK_ELABELTYPE);
	/* truncated: label runs past the end, no root label, pointer cut */
	assert_int_equal(wire_err((uint8_t[]){5, 'a', 'b'}, 3, 12, 12), ZK_ETRUNC);
	assert_int_equal(wire_err((uint8_t[]){1, 'a'}, 2, 12, 14), ZK_ETRUNC);
	assert_int_equal(wire_err((uint8_t[]){1, 'a', 0xc0}, 3, 12, 14), ZK_ETRUNC);
	assert_int_equal(wire_err((uint8_t[]){0}, 1, 13, 13), ZK_ETRUNC);
	assert_int_equal(wire_err((uint8_t[]){0}, 0, 12, 12), ZK_ETRUNC);
}

/* Three 63-octet labels assembled through pointers: fine at 4*64 - 1 - 63
 * ... built so that the assembled name is 256 octets. */
static void test_wire_overlong(void **state)
{
	(void)state;
	uint8_t body[600], msg[700];
	size_t k = 0, p1, p2, p3, p4;

	/* p1: 63-octet label + root (65 octets: a name of 65) */
	p1 = 12 + k;
	body[k++] = 63;
	memset(body + k, 'a', 63);
	k += 63;
	body[k++] = 0;
	/* p2..p4: 63-octet label + pointer to the previous part */
	size_t prev = p1;
	size_t *ps[3] = {&p2, &p3, &p4};
	for (int i = 0; i < 3; i++) {
		*ps[i] = 12 + k;
		body[k++] = 63;
		memset(body + k, 'b' + i, 63);
		k += 63;
		body[k++] = (uint8_t)(0xc0 | prev >> 8);
		body[k++] = (uint8_t)prev;
		prev = *ps[i];
	}
	size_t len = msg_build(msg, body, k);
	zk_name_t n;
	size_t pos = p3;
	/* p3: 3 labels of 63 + root = 193 */
	assert_int_equal(zk_name_from_wire(&n, msg, len, &pos, NULL), 0);
	assert_int_equal(n.len, 193);
	/* p4: 4 labels of 63 = 256 + 1 */
	assert_int_equal(wire_err(body, k, p4, (long)p1), ZK_ENAMELEN);

	/* exactly 255 through pointers: 3*64 + a 61-octet label + root */
	k = 0;
	body[k++] = 61;
	memset(body + k, 'z', 61);
	k += 61;
	body[k++] = 0;
	prev = 12;
	for (int i = 0; i < 3; i++) {
		size_t here = 12 + k;
		body[k++] = 63;
		memset(body + k, 'y', 63);
		k += 63;
		body[k++] = (uint8_t)(0xc0 | prev >> 8);
		body[k++] = (uint8_t)prev;
		prev = here;
	}
	len = msg_build(msg, body, k);
	pos = prev;
	assert_int_equal(zk_name_from_wire(&n, msg, len, &pos, NULL), 0);
	assert_int_equal(n.len, 255);
	assert_int_equal(n.labels, 4);
	assert_int_equal(pos, prev + 66);
}

/* A chain of pointers, each pointing at the one before it, ending at a
 * root label at offset 12. Entering at the k-th pointer takes k hops. */
static size_t build_chain(uint8_t *msg, unsigned pointers)
{
	size_t len = 12;

	memset(msg, 0, 12);
	msg[len++] = 0; /* root at 12 */
	for (unsigned i = 0; i < pointers; i++) {
		size_t target = i == 0 ? 12 : len - 2;
		msg[len++] = (uint8_t)(0xc0 | target >> 8);
		msg[len++] = (uint8_t)target;
	}
	return len;
}

static void test_wire_hops(void **state)
{
	(void)state;
	uint8_t msg[12 + 1 + 2 * 200];
	zk_name_t n;
	zk_errctx_t ec;
	size_t len = build_chain(msg, 129), pos, work;

	/* 128 hops: fine, and the work is 2 per hop plus the root octet. */
	pos = len - 4;
	work = 0;
	assert_int_equal(zk_name_from_wire_count(&n, msg, len, &pos, &work, NULL), 0);
	assert_true(zk_name_is_root(&n));
	assert_int_equal(pos, len - 2);
	assert_int_equal(work, 2 * 128 + 1);

	/* 129 hops: rejected, at the 129th pointer (offset 13), and the
	 * work spent finding out is still bounded. */
	pos = len - 2;
	work = 0;
	zk_errctx_init(&ec);
	assert_int_equal(zk_name_from_wire_count(&n, msg, len, &pos, &work, &ec), ZK_EPTR);
	assert_int_equal(ec.offset, 13);
	assert_int_equal(pos, len - 2);
	assert_int_equal(work, 2 * 129);
	assert_true(work <= ZK_NAME_MAXWORK);
	assert_non_null(strstr(ec.msg, "128"));
}

/* The CVE-2023-4408 shape: a message full of names that each walk the
 * longest legal chain. The work per name must stay bounded by a constant
 * (255 label octets + 2 per hop), so the total is linear in the number of
 * names: the message parser relies on this sum. */
static void test_wire_work_bound(void **state)
{
	(void)state;
	/* Parts "\001x" + pointer to the previous part: 127 labels = 255
	 * octets assembled, 126 hops. */
	uint8_t msg[4096];
	size_t len = 12, prev = 0;

	memset(msg, 0, 12);
	for (int i = 0; i < 127; i++) {
		size_t here = len;
		msg[len++] = 1;
		msg[len++] = (uint8_t)('a' + i % 26);
		if (i == 0) {
			msg[len++] = 0;
		} else {
			msg[len++] = (uint8_t)(0xc0 | prev >> 8);
			msg[len++] = (uint8_t)prev;
		}
		prev = here;
	}
	size_t last = prev, names = 0, total = 0;
	/* Then 500 names, each a pointer to the deepest part. */
	size_t first_ptr = len;
	for (int i = 0; i < 500; i++) {
		msg[len++] = (uint8_t)(0xc0 | last >> 8);
		msg[len++] = (uint8_t)last;
	}
	assert_true(len <= sizeof(msg));
	for (size_t pos = first_ptr; pos < len; names++) {
		zk_name_t n;
		size_t before = total;
		assert_int_equal(zk_name_from_wire_count(&n, msg, len, &pos, &total, NULL), 0);
		assert_int_equal(n.len, 255);
		assert_int_equal(n.labels, 127);
		/* 1 pointer into the chain + 126 hops (2 each) + 127 labels
		 * (2 each) + root */
		assert_int_equal(total - before, 2 + 126 * 2 + 127 * 2 + 1);
		assert_true(total - before <= ZK_NAME_MAXWORK);
	}
	assert_int_equal(names, 500);
	assert_int_equal(total, 500 * (size_t)509);
}

/* ---------------------------------------------------------------- compare */

/* t/data/name/bind-name-text.tsv: input, BIND's text, BIND's wire (hex). */
static void test_bind_ground_truth(void **state)
{
	(void)state;
	char *text = read_text("name/bind-name-text.tsv");
	size_t rows = 0;

	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char *in, *want, *hex;
		uint8_t wire[ZK_NAME_MAXLEN];
		size_t wlen = 0;

		if (line[0] == '#')
			continue;
		in = line;
		want = strchr(in, '\t');
		assert_non_null(want);
		*want++ = '\0';
		hex = strchr(want, '\t');
		assert_non_null(hex);
		*hex++ = '\0';
		for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
			unsigned v;
			assert_int_equal(sscanf(hex, "%2x", &v), 1);
			wire[wlen++] = (uint8_t)v;
		}
		zk_name_t n = parse(in, NULL);
		assert_int_equal(n.len, wlen);
		assert_memory_equal(n.wire, wire, wlen);
		assert_text(&n, want);
		zk_name_t back = parse(want, NULL);
		assert_int_equal(back.len, wlen);
		assert_memory_equal(back.wire, wire, wlen);
		rows++;
	}
	free(text);
	assert_int_equal(rows, 33);
}

static size_t load_rfc4034_order(zk_name_t *names, size_t max)
{
	char *text = read_text("name/rfc4034-s6.1-canonical-order.txt");
	size_t count = 0;

	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || line[0] == '\0')
			continue;
		assert_true(count < max);
		names[count++] = parse(line, NULL);
	}
	free(text);
	return count;
}

static int cmp_names(const void *a, const void *b)
{
	return zk_name_cmp(a, b);
}

static void test_canonical_order(void **state)
{
	(void)state;
	zk_name_t want[16], got[16];
	size_t n = load_rfc4034_order(want, 16);
	char buf[ZK_NAME_TEXTMAX];

	assert_int_equal(n, 9);
	zk_name_to_cstr(&want[8], buf, sizeof(buf));
	assert_string_equal(buf, "\\200.z.example.");

	/* Every pair in the published order compares as it should. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int c = zk_name_cmp(&want[i], &want[j]);
			int w = i < j ? -1 : i > j;
			assert_int_equal(c < 0 ? -1 : c > 0, w);
			assert_int_equal(zk_name_cmp_wire(want[i].wire, want[j].wire) < 0, i < j);
		}
	}
	/* Sorting several permutations gives exactly that order. */
	static const size_t perms[][9] = {
	    {8, 7, 6, 5, 4, 3, 2, 1, 0},
	    {4, 0, 8, 2, 6, 1, 3, 7, 5},
	    {1, 3, 5, 7, 0, 2, 4, 6, 8},
	};
	for (size_t p = 0; p < 3; p++) {
		for (size_t i = 0; i < n; i++)
			zk_name_copy(&got[i], &want[perms[p][i]]);
		qsort(got, n, sizeof(got[0]), cmp_names);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(got[i].len, want[i].len);
			assert_memory_equal(got[i].wire, want[i].wire, want[i].len);
		}
	}
}

static void test_compare_misc(void **state)
{
	(void)state;
	zk_name_t a = parse("WWW.Example.", NULL), b = parse("www.example.", NULL);
	assert_int_equal(zk_name_cmp(&a, &b), 0);
	assert_true(zk_name_eq(&a, &b));
	assert_int_equal(zk_name_hash(&a), zk_name_hash(&b));
	/* case is preserved */
	assert_text(&a, "WWW.Example.");
	zk_name_downcase(&a);
	assert_text(&a, "www.example.");
	assert_memory_equal(a.wire, b.wire, a.len);

	zk_name_t c = parse("www.example.com.", NULL);
	assert_false(zk_name_eq(&a, &c));
	assert_true(zk_name_cmp(&zk_name_root, &a) < 0);
	assert_true(zk_name_cmp(&a, &zk_name_root) > 0);
	/* "a" sorts before "a\000" (absent octet first) before "a\001". */
	zk_name_t x = parse("a.", NULL), y = parse("a\\000.", NULL), z = parse("a\\001.", NULL);
	assert_true(zk_name_cmp(&x, &y) < 0);
	assert_true(zk_name_cmp(&y, &z) < 0);
	/* octets compare unsigned: \200 after z */
	zk_name_t hi = parse("\\200.", NULL), lo = parse("z.", NULL);
	assert_true(zk_name_cmp(&lo, &hi) < 0);
	/* [ (0x5b) sorts after upper-case letters only when they are folded */
	zk_name_t br = parse("[.", NULL), up = parse("Z.", NULL);
	assert_true(zk_name_cmp(&br, &up) < 0); /* '[' 0x5b < 'z' 0x7a */
	/* eq is not fooled by a different label split of the same octets */
	zk_name_t s1 = parse("ab.c.", NULL), s2 = parse("a.bc.", NULL);
	assert_false(zk_name_eq(&s1, &s2));

	uint8_t w[] = "\003WwW\001X";
	zk_name_downcase_wire(w);
	assert_memory_equal(w, "\003www\001x", 7);
}

static void test_label_ops(void **state)
{
	(void)state;
	zk_name_t n = parse("a.b.Example.com.", NULL);
	zk_name_t p = parse("example.COM.", NULL);
	zk_name_t out;

	assert_true(zk_name_is_sub(&n, &p));
	assert_true(zk_name_is_sub(&p, &p));
	assert_true(zk_name_is_sub(&n, &zk_name_root));
	assert_false(zk_name_is_sub(&p, &n));
	zk_name_t q = parse("xample.com.", NULL);
	assert_false(zk_name_is_sub(&n, &q));
	zk_name_t r = parse("b.example.com.", NULL);
	assert_true(zk_name_is_sub(&n, &r));
	zk_name_t s = parse("c.example.com.", NULL);
	assert_false(zk_name_is_sub(&n, &s));

	assert_int_equal(zk_name_parent(&out, &n, 2), 0);
	assert_text(&out, "Example.com.");
	assert_int_equal(out.labels, 2);
	assert_int_equal(zk_name_parent(&out, &n, 4), 0);
	assert_true(zk_name_is_root(&out));
	assert_int_equal(zk_name_parent(&out, &n, 5), ZK_EINVAL);
	assert_int_equal(zk_name_parent(&out, &n, 0), 0);
	assert_true(zk_name_eq(&out, &n));
	/* in place */
	zk_name_copy(&out, &n);
	assert_int_equal(zk_name_parent(&out, &out, 1), 0);
	assert_text(&out, "b.Example.com.");

	zk_name_t pre = parse("x.y.", NULL);
	assert_int_equal(zk_name_concat(&out, &pre, &p), 0);
	assert_text(&out, "x.y.example.COM.");
	assert_int_equal(out.labels, 4);
	assert_int_equal(out.len, 4 + 13);
	assert_int_equal(zk_name_concat(&out, &zk_name_root, &p), 0);
	assert_true(zk_name_eq(&out, &p));
	char lab[64], t[300];
	repeat(lab, 'q', 63);
	snprintf(t, sizeof(t), "%s.%s.%s.%.61s.", lab, lab, lab, lab);
	zk_name_t full = parse(t, NULL);
	assert_int_equal(zk_name_concat(&out, &full, &zk_name_root), 0);
	assert_int_equal(zk_name_concat(&out, &full, &pre), ZK_ENAMELEN);

	zk_name_t w = parse("*.example.", NULL);
	assert_true(zk_name_is_wildcard(&w));
	w = parse("\\*.example.", NULL);
	assert_true(zk_name_is_wildcard(&w));
	w = parse("**.example.", NULL);
	assert_false(zk_name_is_wildcard(&w));
	w = parse("a.*.example.", NULL);
	assert_false(zk_name_is_wildcard(&w));
	assert_false(zk_name_is_wildcard(&zk_name_root));

	zk_arena_t *a = zk_arena_new(0);
	assert_non_null(a);
	zk_name_t *d = zk_name_dup(a, &n);
	assert_non_null(d);
	assert_true(zk_name_eq(d, &n));
	assert_int_equal(zk_arena_used(a), 24); /* 2 + 17 rounded to 8 */
	zk_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_basic),         cmocka_unit_test(test_text_origin),
	    cmocka_unit_test(test_text_escapes),       cmocka_unit_test(test_text_bind_escaping),
	    cmocka_unit_test(test_text_limits),        cmocka_unit_test(test_text_errors),
	    cmocka_unit_test(test_to_cstr_short),      cmocka_unit_test(test_wire_plain),
	    cmocka_unit_test(test_wire_compressed_ok), cmocka_unit_test(test_wire_hostile),
	    cmocka_unit_test(test_wire_overlong),      cmocka_unit_test(test_wire_hops),
	    cmocka_unit_test(test_wire_work_bound),    cmocka_unit_test(test_canonical_order),
	    cmocka_unit_test(test_compare_misc),       cmocka_unit_test(test_label_ops),
	    cmocka_unit_test(test_bind_ground_truth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
