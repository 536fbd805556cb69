/* Unit tests for common/rr.c: canonical RR order (RFC 4034 §6) and serial
 * number arithmetic (RFC 1982 §5 examples). */
#include "config.h"

#include "testutil.h"

#include "rr.h"

/* RFC 1982 §5.1 and §5.2 use 2- and 8-bit serials. Shifting both operands
 * to the top of 32 bits keeps every difference (mod 2^32) in proportion,
 * so the examples hold unchanged for our SERIAL_BITS = 32. */
static uint32_t s2(uint32_t v)
{
	return v << 30;
}

static uint32_t s8(uint32_t v)
{
	return v << 24;
}

static void test_serial_rfc1982_examples(void **state)
{
	(void)state;
	/* §5.1, SERIAL_BITS = 2: 0+1 = 1, 1+1 = 2, 2+1 = 3, 3+1 = 0 */
	assert_int_equal(zk_serial_add(s2(0), s2(1)), s2(1));
	assert_int_equal(zk_serial_add(s2(1), s2(1)), s2(2));
	assert_int_equal(zk_serial_add(s2(2), s2(1)), s2(3));
	assert_int_equal(zk_serial_add(s2(3), s2(1)), s2(0));
	/* 1 > 0, 2 > 1, 3 > 2, 0 > 3 */
	assert_int_equal(zk_serial_cmp(s2(1), s2(0)), 1);
	assert_int_equal(zk_serial_cmp(s2(2), s2(1)), 1);
	assert_int_equal(zk_serial_cmp(s2(3), s2(2)), 1);
	assert_int_equal(zk_serial_cmp(s2(0), s2(3)), 1);
	assert_int_equal(zk_serial_cmp(s2(0), s2(1)), -1);
	assert_int_equal(zk_serial_cmp(s2(3), s2(0)), -1);
	/* undefined: 2 vs 0 and 1 vs 3, both ways */
	assert_int_equal(zk_serial_cmp(s2(2), s2(0)), 2);
	assert_int_equal(zk_serial_cmp(s2(0), s2(2)), 2);
	assert_int_equal(zk_serial_cmp(s2(1), s2(3)), 2);
	assert_int_equal(zk_serial_cmp(s2(3), s2(1)), 2);

	/* §5.2, SERIAL_BITS = 8: 255+1 = 0, 100+100 = 200, 200+100 = 44 */
	assert_int_equal(zk_serial_add(s8(255), s8(1)), s8(0));
	assert_int_equal(zk_serial_add(s8(100), s8(100)), s8(200));
	assert_int_equal(zk_serial_add(s8(200), s8(100)), s8(44));
	/* 1 > 0, 44 > 0, 100 > 0, 100 > 44, 200 > 100, 255 > 200, 0 > 255,
	 * 100 > 255, 0 > 200, 44 > 200 */
	static const uint32_t gt[][2] = {{1, 0},     {44, 0},  {100, 0},   {100, 44}, {200, 100},
	                                 {255, 200}, {0, 255}, {100, 255}, {0, 200},  {44, 200}};
	for (size_t i = 0; i < sizeof(gt) / sizeof(gt[0]); i++) {
		assert_int_equal(zk_serial_cmp(s8(gt[i][0]), s8(gt[i][1])), 1);
		assert_int_equal(zk_serial_cmp(s8(gt[i][1]), s8(gt[i][0])), -1);
	}
	/* 128 apart is undefined in that space too */
	assert_int_equal(zk_serial_cmp(s8(0), s8(128)), 2);
	assert_int_equal(zk_serial_cmp(s8(200), s8(72)), 2);
}

static void test_serial_32(void **state)
{
	(void)state;
	assert_int_equal(zk_serial_cmp(0, 0), 0);
	assert_int_equal(zk_serial_cmp(0xffffffff, 0xffffffff), 0);
	assert_int_equal(zk_serial_cmp(1, 2), -1);
	assert_int_equal(zk_serial_cmp(2, 1), 1);
	/* wrap: 4294967295 < 0 */
	assert_int_equal(zk_serial_cmp(0xffffffff, 0), -1);
	assert_int_equal(zk_serial_cmp(0, 0xffffffff), 1);
	/* the edge: 2^31 - 1 apart is defined, 2^31 is not */
	assert_int_equal(zk_serial_cmp(0, 0x7fffffff), -1);
	assert_int_equal(zk_serial_cmp(0x7fffffff, 0), 1);
	assert_int_equal(zk_serial_cmp(0, 0x80000000), 2);
	assert_int_equal(zk_serial_cmp(0x80000000, 0), 2);
	assert_int_equal(zk_serial_cmp(0x80000001, 1), 2);
	assert_int_equal(zk_serial_cmp(0, 0x80000001), 1);
	assert_int_equal(zk_serial_cmp(2018010100u, 2018010101u), -1);

	uint32_t out = 77;
	assert_int_equal(zk_serial_add_checked(0xfffffff0, 0x20, &out), 0);
	assert_int_equal(out, 0x10);
	assert_int_equal(zk_serial_add_checked(5, 0x7fffffff, &out), 0);
	assert_int_equal(out, 0x80000004);
	out = 77;
	assert_int_equal(zk_serial_add_checked(5, 0x80000000, &out), ZK_ERANGE);
	assert_int_equal(out, 77);
	assert_int_equal(zk_serial_add(5, 0x80000000), 0);
	assert_int_equal(zk_serial_add(5, 0xffffffff), 0);
}

static zk_rr_t rr(const zk_name_t *owner, uint16_t type, uint16_t rclass, uint32_t ttl,
                  const char *rdata, uint16_t rdlen)
{
	zk_rr_t r = {.owner = owner,
	             .type = type,
	             .rclass = rclass,
	             .ttl = ttl,
	             .rdlen = rdlen,
	             .rdata = (const uint8_t *)rdata};
	return r;
}

/* Owners in RFC 4034 §6.1 order (t/data/name/rfc4034-s6.1-canonical-order.txt),
 * shuffled into RRs: the sort must restore that order. */
static void test_sort_rfc4034_owners(void **state)
{
	(void)state;
	FILE *f = open_data("name/rfc4034-s6.1-canonical-order.txt");
	char line[256];
	zk_name_t names[16];
	size_t n = 0;

	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		names[n++] = name(line);
	}
	fclose(f);
	assert_int_equal(n, 9);

	zk_rr_t rrs[9];
	static const size_t perm[9] = {5, 8, 0, 3, 7, 1, 6, 2, 4};
	for (size_t i = 0; i < n; i++)
		rrs[i] = rr(&names[perm[i]], 1, 1, 300, "\x0a\x00\x00\x01", 4);
	zk_rr_sort(rrs, n);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(rrs[i].owner, &names[i]);
}

static void test_rr_cmp_fields(void **state)
{
	(void)state;
	zk_name_t a = name("a.example."), A = name("A.EXAMPLE."), b = name("b.example.");
	zk_rr_t x, y;

	/* owner compares canonically: case does not matter */
	x = rr(&a, 1, 1, 300, "\1\2\3\4", 4);
	y = rr(&A, 1, 1, 60, "\1\2\3\4", 4);
	assert_int_equal(zk_rr_cmp(&x, &y), 0); /* TTL is not part of the order */
	y.owner = &b;
	assert_true(zk_rr_cmp(&x, &y) < 0);
	assert_true(zk_rr_cmp(&y, &x) > 0);
	/* then class */
	y = rr(&a, 1, 3, 300, "\1\2\3\4", 4);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	/* then type, as a number: A (1) before NS (2) before CAA (256) */
	y = rr(&a, 2, 1, 300, "\1\2\3\4", 4);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	y = rr(&a, 256, 1, 300, "\0", 1);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	/* then rdata, octet by octet, unsigned */
	y = rr(&a, 1, 1, 300, "\1\2\3\5", 4);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	y = rr(&a, 1, 1, 300, "\1\2\3\x80", 4);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	/* a shorter rdata that is a prefix sorts first (§6.3: absence first) */
	x = rr(&a, 16, 1, 300, "\3abc", 4);
	y = rr(&a, 16, 1, 300, "\3abc\0", 5);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	assert_true(zk_rr_cmp(&y, &x) > 0);
	/* empty rdata before anything */
	x = rr(&a, 16, 1, 300, "", 0);
	assert_true(zk_rr_cmp(&x, &y) < 0);
	y = rr(&a, 16, 1, 300, "", 0);
	assert_int_equal(zk_rr_cmp(&x, &y), 0);
}

/* An RRset and neighbours, given in a mixed order: RFC 4034 §6.3 sorts the
 * RRset by rdata; ties on everything but TTL are still put in one order. */
static void test_sort_rrset(void **state)
{
	(void)state;
	zk_name_t apex = name("example."), www = name("www.example."), WWW = name("WWW.example."),
	          z = name("z.example.");
	zk_rr_t rrs[] = {
	    rr(&z, 1, 1, 300, "\xc0\x00\x02\x01", 4),
	    rr(&www, 1, 1, 300, "\xc0\x00\x02\x0a", 4),
	    rr(&www, 28, 1, 300, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 16),
	    rr(&apex, 6, 1, 300, "x", 1),
	    rr(&www, 1, 1, 300, "\x0a\x00\x00\x01", 4),
	    rr(&apex, 2, 1, 300, "\2ns\0", 4),
	    rr(&WWW, 1, 1, 300, "\xc0\x00\x02\x02", 4),
	    rr(&www, 1, 1, 60, "\x0a\x00\x00\x01", 4),
	};
	size_t n = sizeof(rrs) / sizeof(rrs[0]);

	zk_rr_sort(rrs, n);
	/* apex NS, apex SOA, www A 10.0.0.1 (TTL 60 then 300),
	 * www A 192.0.2.2 (WWW), www A 192.0.2.10, www AAAA, z A */
	assert_ptr_equal(rrs[0].owner, &apex);
	assert_int_equal(rrs[0].type, 2);
	assert_int_equal(rrs[1].type, 6);
	assert_int_equal(rrs[2].ttl, 60);
	assert_memory_equal(rrs[2].rdata, "\x0a\x00\x00\x01", 4);
	assert_int_equal(rrs[3].ttl, 300);
	assert_memory_equal(rrs[3].rdata, "\x0a\x00\x00\x01", 4);
	assert_ptr_equal(rrs[4].owner, &WWW);
	assert_memory_equal(rrs[5].rdata, "\xc0\x00\x02\x0a", 4);
	assert_int_equal(rrs[6].type, 28);
	assert_ptr_equal(rrs[7].owner, &z);
	for (size_t i = 1; i < n; i++)
		assert_true(zk_rr_cmp(&rrs[i - 1], &rrs[i]) <= 0);

	/* Nothing to do for 0 or 1 records. */
	zk_rr_sort(rrs, 0);
	zk_rr_sort(rrs, 1);
	assert_ptr_equal(rrs[0].owner, &apex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_serial_rfc1982_examples),
	    cmocka_unit_test(test_serial_32),
	    cmocka_unit_test(test_sort_rfc4034_owners),
	    cmocka_unit_test(test_rr_cmp_fields),
	    cmocka_unit_test(test_sort_rrset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
