/* update: the RFC 2136 §2.4/§2.5 encodings, checked against the wire
 * BIND 9.18's nsupdate sends for t/data/zupdate/prereqs.txt (every
 * prerequisite kind, three kinds of deletion and an add; captured by
 * t/helpers/responder.py, ID set to 0): ours must be byte for byte the
 * same, compression included. */
#include "config.h"

#include "testutil.h"

#include "rrtype.h"
#include "update.h"

static void test_matches_nsupdate(void **state)
{
	static uint8_t want[4096], got[4096];
	const uint8_t a_www[4] = {192, 0, 2, 1};
	/* MX 10 ns.example. */
	const uint8_t mx[] = {0, 10, 2, 'n', 's', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
	zk_update_t u;
	zk_name_t zone = name("example."), nw = name("new.example."), www = name("www.example."),
	          txt = name("txt.example."), a = name("a.example.");
	size_t wl, gl;

	(void)state;
	wl = load_hex("zupdate/prereqs.nsupdate.hex", want, sizeof(want));
	assert_int_equal(zk_update_init(&u, ZK_CLASS_IN), 0);
	assert_int_equal(zk_update_prereq(&u, ZK_PREREQ_NXDOMAIN, &nw, 0, NULL, 0, false, NULL), 0);
	assert_int_equal(
	    zk_update_prereq(&u, ZK_PREREQ_YXRRSET, &www, ZK_TYPE_A, NULL, 0, false, NULL), 0);
	assert_int_equal(
	    zk_update_prereq(&u, ZK_PREREQ_YXRRSET, &www, ZK_TYPE_A, a_www, 4, true, NULL), 0);
	assert_int_equal(
	    zk_update_prereq(&u, ZK_PREREQ_NXRRSET, &www, ZK_TYPE_AAAA, NULL, 0, false, NULL), 0);
	assert_int_equal(zk_update_prereq(&u, ZK_PREREQ_YXDOMAIN, &txt, 0, NULL, 0, false, NULL),
	                 0);
	assert_int_equal(zk_update_delete(&u, &txt, ZK_TYPE_TXT, NULL, 0, false, NULL), 0);
	assert_int_equal(zk_update_delete(&u, &www, ZK_TYPE_A, a_www, 4, true, NULL), 0);
	assert_int_equal(zk_update_delete(&u, &a, ZK_TYPE_ANY, NULL, 0, false, NULL), 0);
	assert_int_equal(zk_update_add(&u, &nw, ZK_TYPE_MX, 3600, mx, sizeof(mx), NULL), 0);
	assert_int_equal(zk_update_nprereq(&u), 5);
	assert_int_equal(zk_update_nupdate(&u), 4);
	assert_true(zk_name_eq(zk_update_first_name(&u), &txt));
	assert_int_equal(zk_update_check_zone(&u, &zone, NULL), 0);
	assert_int_equal(zk_update_render(&u, &zone, 0, got, sizeof(got), &gl, NULL), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);

	/* Rendering again (another ID) gives the same records. */
	assert_int_equal(zk_update_render(&u, &zone, 0x1234, got, sizeof(got), &gl, NULL), 0);
	assert_int_equal(got[0], 0x12);
	assert_int_equal(got[1], 0x34);
	assert_memory_equal(got + 2, want + 2, wl - 2);

	zk_update_clear(&u);
	assert_int_equal(zk_update_nprereq(&u) + zk_update_nupdate(&u), 0);
	assert_null(zk_update_first_name(&u));
	zk_update_free(&u);
}

/* §2.4/§2.5 class, type, TTL and rdata of each form. */
static void test_encodings(void **state)
{
	zk_update_t u;
	zk_name_t n = name("h.example.");
	const uint8_t rd[4] = {10, 0, 0, 1};
	const zk_rr_t *p, *up;

	(void)state;
	assert_int_equal(zk_update_init(&u, ZK_CLASS_CH), 0);
	assert_int_equal(zk_update_prereq(&u, ZK_PREREQ_YXRRSET, &n, ZK_TYPE_A, rd, 4, true, NULL),
	                 0);
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_A, 60, rd, 4, NULL), 0);
	assert_int_equal(zk_update_delete(&u, &n, ZK_TYPE_A, rd, 4, true, NULL), 0);
	p = u.msg.rr[ZK_SEC_ANSWER];
	up = u.msg.rr[ZK_SEC_AUTHORITY];
	/* value-dependent prerequisite: the zone class, TTL 0 */
	assert_int_equal(p[0].rclass, ZK_CLASS_CH);
	assert_int_equal(p[0].ttl, 0);
	assert_int_equal(p[0].rdlen, 4);
	/* add: zone class, the TTL */
	assert_int_equal(up[0].rclass, ZK_CLASS_CH);
	assert_int_equal(up[0].ttl, 60);
	/* delete one RR: class NONE, TTL 0, the rdata */
	assert_int_equal(up[1].rclass, ZK_CLASS_NONE);
	assert_int_equal(up[1].ttl, 0);
	assert_int_equal(up[1].rdlen, 4);
	assert_memory_equal(up[1].rdata, rd, 4);
	zk_update_free(&u);
}

static void test_refusals(void **state)
{
	zk_update_t u;
	zk_name_t n = name("h.example."), zone = name("example."), out = name("h.example.net.");
	const uint8_t rd[4] = {10, 0, 0, 1};
	zk_errctx_t ec;

	(void)state;
	assert_int_equal(zk_update_init(&u, ZK_CLASS_IN), 0);
	/* §3.4.1.2: meta types are not data. */
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_ANY, 60, NULL, 0, NULL), ZK_EINVAL);
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_AXFR, 60, NULL, 0, NULL), ZK_EINVAL);
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_TSIG, 60, NULL, 0, NULL), ZK_EINVAL);
	assert_int_equal(zk_update_delete(&u, &n, ZK_TYPE_MAILA, NULL, 0, false, NULL), ZK_EINVAL);
	assert_int_equal(
	    zk_update_prereq(&u, ZK_PREREQ_NXRRSET, &n, ZK_TYPE_ANY, NULL, 0, false, NULL),
	    ZK_EINVAL);
	/* only yxrrset takes data */
	assert_int_equal(zk_update_prereq(&u, ZK_PREREQ_NXRRSET, &n, ZK_TYPE_A, rd, 4, true, NULL),
	                 ZK_EINVAL);
	assert_int_equal(zk_update_prereq(&u, ZK_PREREQ_NXDOMAIN, &n, 0, rd, 4, true, NULL),
	                 ZK_EINVAL);
	/* RFC 2181 §8 TTL */
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_A, 0x80000000u, rd, 4, NULL), ZK_ERANGE);
	assert_int_equal(zk_update_nprereq(&u) + zk_update_nupdate(&u), 0);

	/* NOTZONE caught before sending. */
	assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_A, 60, rd, 4, NULL), 0);
	assert_int_equal(zk_update_add(&u, &out, ZK_TYPE_A, 60, rd, 4, NULL), 0);
	zk_errctx_init(&ec);
	assert_int_equal(zk_update_check_zone(&u, &zone, &ec), ZK_EZONE);
	assert_string_equal(ec.msg, "h.example.net. is not in zone example.");
	zk_update_free(&u);
}

/* An update that does not fit is refused whole, never cut. */
static void test_too_large(void **state)
{
	static uint8_t buf[65535], rd[255];
	zk_update_t u;
	zk_name_t zone = name("example.");
	size_t len;

	(void)state;
	memset(rd, 'x', sizeof(rd));
	rd[0] = 254;
	assert_int_equal(zk_update_init(&u, ZK_CLASS_IN), 0);
	for (int i = 0; i < 40; i++) {
		char nm[64];
		snprintf(nm, sizeof(nm), "t%d.example.", i);
		zk_name_t n = name(nm);
		assert_int_equal(zk_update_add(&u, &n, ZK_TYPE_TXT, 60, rd, sizeof(rd), NULL), 0);
	}
	assert_int_equal(zk_update_render(&u, &zone, 1, buf, 4096, &len, NULL), ZK_ESPACE);
	assert_int_equal(zk_update_render(&u, &zone, 1, buf, sizeof(buf), &len, NULL), 0);
	assert_int_equal(zk_get_u16(buf + 8), 40);
	zk_update_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches_nsupdate),
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
