/* Unit tests for common/compress.c (and decompression in common/name.c)
 * with the RFC 1035 §4.1.4 example. */
#include "config.h"

#include "testutil.h"

#include "compress.h"
#include "name.h"

/* t/data/name/rfc1035-s4.1.4-compression.tsv: "offset<TAB>hex<TAB>..." */
static size_t load_rfc1035(uint8_t *msg, size_t cap)
{
	FILE *f = open_data("name/rfc1035-s4.1.4-compression.tsv");
	char line[256];
	size_t len = 0;

	memset(msg, 0, cap);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned off, val;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%u %x", &off, &val) != 2)
			fail_msg("bad line %s", line);
		assert_true(off < cap);
		msg[off] = (uint8_t)val;
		if (off + 1 > len)
			len = off + 1;
	}
	fclose(f);
	return len;
}

static void test_rfc1035_decode(void **state)
{
	(void)state;
	uint8_t msg[128];
	size_t len = load_rfc1035(msg, sizeof(msg));
	static const struct {
		size_t off, end;
		const char *text;
	} want[] = {
	    {20, 32, "F.ISI.ARPA."},
	    {40, 46, "FOO.F.ISI.ARPA."},
	    {64, 66, "ARPA."},
	    {92, 93, "."},
	};

	assert_int_equal(len, 93);
	for (size_t i = 0; i < 4; i++) {
		zk_name_t n;
		char text[ZK_NAME_TEXTMAX];
		size_t pos = want[i].off;

		assert_int_equal(zk_name_from_wire(&n, msg, len, &pos, NULL), 0);
		assert_int_equal(pos, want[i].end);
		zk_name_to_cstr(&n, text, sizeof(text));
		assert_string_equal(text, want[i].text);
		zk_name_t t = name(want[i].text);
		assert_int_equal(n.len, t.len);
		assert_memory_equal(n.wire, t.wire, t.len);
		assert_int_equal(n.labels, t.labels);
	}
}

/* Render the four names at the RFC's offsets; the octets must be exactly
 * the RFC's (the gaps are left as zeros in both). */
static void test_rfc1035_render(void **state)
{
	(void)state;
	uint8_t want[128], got[128];
	size_t len = load_rfc1035(want, sizeof(want));
	static const struct {
		size_t off;
		const char *text;
	} names[] = {{20, "F.ISI.ARPA."}, {40, "FOO.F.ISI.ARPA."}, {64, "ARPA."}, {92, "."}};
	zk_wbuf_t w;
	zk_compress_t c;

	memset(got, 0, sizeof(got));
	zk_wbuf_init(&w, got, sizeof(got));
	zk_compress_init(&c, &w);
	for (size_t i = 0; i < 4; i++) {
		zk_name_t n = name(names[i].text);
		assert_true(names[i].off >= w.len);
		zk_wbuf_room(&w, names[i].off - w.len); /* the unspecified octets */
		zk_compress_put(&c, &w, &n);
		assert_int_equal(w.err, 0);
	}
	assert_int_equal(w.len, len);
	assert_memory_equal(got, want, len);
	/* Spelled out: FOO + pointer to 20, ARPA as a pointer to 26. */
	assert_memory_equal(got + 40, "\003FOO\300\024", 6);
	assert_memory_equal(got + 64, "\300\032", 2);
}

static void put(zk_compress_t *c, zk_wbuf_t *w, const char *text)
{
	zk_name_t n = name(text);
	zk_compress_put(c, w, &n);
}

static void assert_reads(const uint8_t *msg, size_t len, size_t off, const char *text)
{
	zk_name_t n;
	char buf[ZK_NAME_TEXTMAX];

	assert_int_equal(zk_name_from_wire(&n, msg, len, &off, NULL), 0);
	zk_name_to_cstr(&n, buf, sizeof(buf));
	assert_string_equal(buf, text);
}

static void test_suffixes_and_case(void **state)
{
	(void)state;
	uint8_t m[512];
	zk_wbuf_t w;
	zk_compress_t c;

	zk_wbuf_init(&w, m, sizeof(m));
	zk_wbuf_room(&w, 12);
	zk_compress_init(&c, &w);
	put(&c, &w, "www.example.com."); /* 12..28 */
	assert_int_equal(w.len, 29);
	put(&c, &w, "mail.Example.COM."); /* mail + ptr to 16 */
	assert_memory_equal(m + 29, "\004mail\300\020", 7);
	put(&c, &w, "WWW.EXAMPLE.COM."); /* ptr to 12 */
	assert_memory_equal(m + 36, "\300\014", 2);
	put(&c, &w, "com."); /* ptr to 24 */
	assert_memory_equal(m + 38, "\300\030", 2);
	put(&c, &w, "a.mail.example.com."); /* a + ptr to 29 */
	assert_memory_equal(m + 40, "\001a\300\035", 4);
	/* Same octets, other label split: no match. */
	put(&c, &w, "ab.c.");
	put(&c, &w, "a.bc.");
	assert_memory_equal(m + 44, "\002ab\001c\000\001a\002bc\000", 12);
	/* The root is never a pointer. */
	put(&c, &w, ".");
	assert_int_equal(m[56], 0);
	assert_int_equal(w.len, 57);
	/* a name pointing at a suffix that itself ends in a pointer */
	put(&c, &w, "x.a.mail.example.com."); /* x + ptr to 40 */
	assert_memory_equal(m + 57, "\001x\300\050", 4);
	assert_int_equal(w.err, 0);
	/* case as written is kept in the message */
	assert_reads(m, w.len, 29, "mail.example.com.");
	assert_reads(m, w.len, 57, "x.a.mail.example.com.");
	assert_reads(m, w.len, 36, "www.example.com.");

	/* No table: plain. */
	zk_name_t n = name("www.example.com.");
	size_t before = w.len;
	zk_compress_put(NULL, &w, &n);
	assert_int_equal(w.len - before, 17);
	assert_memory_equal(m + before, n.wire, 17);
}

/* Only offsets below 0x4000 can be pointed to. */
static void test_pointer_range(void **state)
{
	(void)state;
	static uint8_t m[0x4100];
	zk_wbuf_t w;
	zk_compress_t c;

	zk_wbuf_init(&w, m, sizeof(m));
	zk_compress_init(&c, &w);
	zk_wbuf_room(&w, 0x3ffe);
	put(&c, &w, "a.example."); /* a at 0x3ffe, example at 0x4000 */
	size_t p = w.len;
	put(&c, &w, "b.example."); /* example cannot be pointed to */
	assert_memory_equal(m + p, "\001b\007example\000", 11);
	p = w.len;
	put(&c, &w, "A.example.");                 /* the whole name can */
	assert_memory_equal(m + p, "\377\376", 2); /* 0xc000 | 0x3ffe */
	assert_int_equal(w.err, 0);
	assert_reads(m, w.len, p, "a.example.");
}

static void test_space_error(void **state)
{
	(void)state;
	uint8_t m[40];
	zk_wbuf_t w;
	zk_compress_t c;

	zk_wbuf_init(&w, m, sizeof(m));
	zk_wbuf_room(&w, 12);
	zk_compress_init(&c, &w);
	put(&c, &w, "www.example.com."); /* 17 -> 29 */
	put(&c, &w, "averyveryverylongname.example.com.");
	assert_int_equal(w.err, ZK_ESPACE);
	put(&c, &w, "www.example.com.");
	assert_int_equal(w.err, ZK_ESPACE);
	assert_int_equal(w.len, 29);
}

/* Many names: the table fills up, stops recording, output stays right. */
static void test_many_names(void **state)
{
	(void)state;
	static uint8_t m[65535];
	size_t offs[3000];
	zk_wbuf_t w;
	zk_compress_t c;
	char text[64];

	zk_wbuf_init(&w, m, sizeof(m));
	zk_wbuf_room(&w, 12);
	zk_compress_init(&c, &w);
	for (int i = 0; i < 3000; i++) {
		offs[i] = w.len;
		snprintf(text, sizeof(text), "h%d.z%d.example.", i, i % 7);
		put(&c, &w, text);
		assert_int_equal(w.err, 0);
	}
	assert_true(c.count <= ZK_COMPRESS_SLOTS);
	for (int i = 0; i < 3000; i++) {
		snprintf(text, sizeof(text), "h%d.z%d.example.", i, i % 7);
		assert_reads(m, w.len, offs[i], text);
	}
	/* The z<k>.example suffixes were all seen early: later names are
	 * their own label plus a pointer. */
	assert_int_equal(m[offs[100] + 1 + m[offs[100]]] & 0xc0, 0xc0);
}

/* After the renderer cuts a record off, the table must forget it. */
static void test_rollback(void **state)
{
	(void)state;
	uint8_t m[256];
	zk_wbuf_t w;
	zk_compress_t c;

	zk_wbuf_init(&w, m, sizeof(m));
	zk_wbuf_room(&w, 12);
	zk_compress_init(&c, &w);
	put(&c, &w, "example.com."); /* 12..25 */
	size_t mark = w.len;
	put(&c, &w, "www.other.org."); /* 25.. */
	w.len = mark;
	zk_compress_rollback(&c, mark);
	assert_int_equal(c.count, 2);
	memset(m + mark, 0xff, sizeof(m) - mark); /* junk where it was */
	put(&c, &w, "other.org.");
	assert_memory_equal(m + mark, "\005other\003org\000", 11);
	put(&c, &w, "www.example.com.");
	assert_memory_equal(m + mark + 11, "\003www\300\014", 6);
	assert_reads(m, w.len, mark + 11, "www.example.com.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc1035_decode),    cmocka_unit_test(test_rfc1035_render),
	    cmocka_unit_test(test_suffixes_and_case), cmocka_unit_test(test_pointer_range),
	    cmocka_unit_test(test_space_error),       cmocka_unit_test(test_many_names),
	    cmocka_unit_test(test_rollback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
