/* Unit tests for common/zone.c: canonical order (RFC 4034 §6.1 example),
 * duplicates, BIND's RRset TTL rule, lookups. */
#include "config.h"

#include "testutil.h"

#include "rrtype.h"
#include "zone.h"

static void add(zk_zone_t *z, const char *owner, uint16_t type, uint32_t ttl, const void *rd,
                size_t rdlen, unsigned line, uint32_t run)
{
	zk_name_t o = name(owner);
	zk_rr_t rr = {.owner = &o,
	              .type = type,
	              .rclass = ZK_CLASS_IN,
	              .ttl = ttl,
	              .rdlen = (uint16_t)rdlen,
	              .rdata = rd};
	assert_int_equal(zk_zone_add(z, &rr, "t.zone", line, run), 0);
}

static const char *owner_at(const zk_zone_t *z, size_t i, char *buf)
{
	zk_name_to_cstr(zk_zone_at(z, i)->owner, buf, ZK_NAME_TEXTMAX);
	return buf;
}

/* RFC 4034 §6.1: "the following names are sorted in canonical DNS name
 * order" — added here in reverse. */
static void test_canonical_order(void **state)
{
	static const char *const sorted[] = {
	    "example.",         "a.example.",      "yljkjljk.a.example.",
	    "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
	    "\\001.z.example.", "*.z.example.",    "\\200.z.example.",
	};
	const size_t n = sizeof(sorted) / sizeof(sorted[0]);
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	uint8_t a[4] = {192, 0, 2, 1};
	char buf[ZK_NAME_TEXTMAX];
	(void)state;

	for (size_t i = n; i-- > 0;)
		add(z, sorted[i], ZK_TYPE_A, 60, a, 4, (unsigned)i + 1, (uint32_t)i);
	assert_int_equal(zk_zone_finish(z, NULL, NULL), 0);
	assert_int_equal(zk_zone_count(z), n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(owner_at(z, i, buf), sorted[i]);
		assert_int_equal(zk_zone_at(z, i)->node, i);
		assert_int_equal(zk_zone_at(z, i)->line, i + 1);
	}
	zk_zone_free(z);
}

static unsigned ndup, nttl;
static uint32_t last_old;

static void note(void *ctx, int kind, const zk_zone_rr_t *rr, const zk_zone_rr_t *other,
                 uint32_t old_ttl)
{
	(void)ctx;
	if (kind == ZK_ZONE_DUPLICATE) {
		ndup++;
		assert_true(other->seq < rr->seq);
	} else {
		nttl++;
		last_old = old_ttl;
		assert_int_equal(rr->ttl, other->ttl);
	}
}

static void test_duplicates_and_case(void **state)
{
	/* NS rdata "NS1.example." and "ns1.example." are the same record
	 * (RFC 4034 §6.2 lower-cases NS targets); the first spelling stays */
	static const uint8_t up[] = "\003NS1\007example";
	static const uint8_t low[] = "\003ns1\007example";
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	const zk_zone_rr_t *r;
	(void)state;

	add(z, "example.", ZK_TYPE_NS, 60, up, sizeof(up), 1, 1);
	add(z, "EXAMPLE.", ZK_TYPE_NS, 60, low, sizeof(low), 2, 2);
	add(z, "example.", ZK_TYPE_NS, 60, up, sizeof(up), 3, 3);
	ndup = nttl = 0;
	assert_int_equal(zk_zone_finish(z, note, NULL), 0);
	assert_int_equal(ndup, 2);
	assert_int_equal(nttl, 0);
	assert_int_equal(zk_zone_count(z), 1);
	r = zk_zone_at(z, 0);
	assert_int_equal(r->line, 1);
	assert_memory_equal(r->orig, up, sizeof(up));
	assert_memory_equal(r->rdata, low, sizeof(low));
	/* TXT is not lower-cased: different case, different records */
	zk_zone_free(z);
	z = zk_zone_new(NULL, ZK_CLASS_IN);
	add(z, "example.", ZK_TYPE_TXT, 60, "\001A", 2, 1, 1);
	add(z, "example.", ZK_TYPE_TXT, 60, "\001a", 2, 2, 1);
	assert_int_equal(zk_zone_finish(z, NULL, NULL), 0);
	assert_int_equal(zk_zone_count(z), 2);
	assert_true(zk_zone_at(z, 0)->orig == zk_zone_at(z, 0)->rdata);
	zk_zone_free(z);
}

/* BIND 9.18 (checked with named-checkzone -D): the RRset gets the TTL of
 * the first record of the last run of lines with that owner. */
static void test_ttl_rule(void **state)
{
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	uint8_t a1[4] = {1, 1, 1, 1}, a2[4] = {1, 1, 1, 2}, a3[4] = {1, 1, 1, 3},
	        a4[4] = {1, 1, 1, 4};
	(void)state;

	add(z, "x.example.", ZK_TYPE_A, 100, a1, 4, 1, 1); /* run 1 */
	add(z, "y.example.", ZK_TYPE_A, 5, a1, 4, 2, 2);
	add(z, "x.example.", ZK_TYPE_A, 30, a2, 4, 3, 3); /* run 3: first is 30 */
	add(z, "x.example.", ZK_TYPE_A, 20, a3, 4, 4, 3);
	add(z, "x.example.", ZK_TYPE_TXT, 40, "\001t", 2, 5, 3);
	add(z, "x.example.", ZK_TYPE_A, 50, a4, 4, 6, 3);
	nttl = ndup = 0;
	assert_int_equal(zk_zone_finish(z, note, NULL), 0);
	assert_int_equal(nttl, 3); /* 100, 20 and 50 changed */
	assert_int_equal(ndup, 0);
	for (size_t i = 0; i < zk_zone_count(z); i++) {
		const zk_zone_rr_t *r = zk_zone_at(z, i);
		if (r->type == ZK_TYPE_A && r->owner->wire[1] == 'x')
			assert_int_equal(r->ttl, 30);
	}
	zk_zone_free(z);
}

/* RFC 4034 §3: an RRSIG's TTL is the TTL of the RRset it covers, so the
 * signatures of one owner form one TTL set per covered type (as BIND keeps
 * them) — a signed zone's SOA RRSIG (3600) and NSEC RRSIG (300) must not be
 * made equal, nor reported. Two signatures over the same type still are. */
static void test_rrsig_ttl_per_covered_type(void **state)
{
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	/* type covered, then a byte that differs so the rdata are distinct */
	uint8_t sig_soa1[3] = {0, ZK_TYPE_SOA, 1}, sig_soa2[3] = {0, ZK_TYPE_SOA, 2},
	        sig_nsec[3] = {0, ZK_TYPE_NSEC, 1}, sig_a[3] = {0, ZK_TYPE_A, 1};
	(void)state;

	add(z, "example.", ZK_TYPE_RRSIG, 3600, sig_soa1, 3, 1, 1);
	add(z, "example.", ZK_TYPE_RRSIG, 300, sig_nsec, 3, 2, 1);
	add(z, "example.", ZK_TYPE_RRSIG, 86400, sig_a, 3, 3, 1);
	add(z, "example.", ZK_TYPE_RRSIG, 60, sig_soa2, 3, 4, 1); /* same type: unified */
	nttl = ndup = 0;
	assert_int_equal(zk_zone_finish(z, note, NULL), 0);
	assert_int_equal(nttl, 1);
	for (size_t i = 0; i < zk_zone_count(z); i++) {
		const zk_zone_rr_t *r = zk_zone_at(z, i);
		uint16_t covered = (uint16_t)(r->rdata[0] << 8 | r->rdata[1]);
		uint32_t want = covered == ZK_TYPE_SOA    ? 3600
		                : covered == ZK_TYPE_NSEC ? 300
		                                          : 86400;
		assert_int_equal(r->ttl, want);
	}
	zk_zone_free(z);
}

static void test_lookup(void **state)
{
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	uint8_t a[4] = {1, 2, 3, 4};
	zk_name_t n;
	size_t f, e;
	(void)state;

	add(z, "example.", ZK_TYPE_A, 1, a, 4, 1, 1);
	add(z, "example.", ZK_TYPE_TXT, 1, "\001x", 2, 2, 1);
	add(z, "example.", ZK_TYPE_TXT, 1, "\001y", 2, 3, 1);
	add(z, "a.b.example.", ZK_TYPE_A, 1, a, 4, 4, 2);
	add(z, "c.example.", ZK_TYPE_A, 1, a, 4, 5, 3);
	assert_int_equal(zk_zone_finish(z, NULL, NULL), 0);
	assert_int_equal(zk_zone_count(z), 5);

	n = name("EXAMPLE.");
	assert_true(zk_zone_find(z, &n, ZK_TYPE_TXT, &f, &e));
	assert_int_equal(f, 1);
	assert_int_equal(e, 3);
	assert_int_equal(zk_zone_rrset_end(z, 0), 1);
	assert_true(zk_zone_find(z, &n, 0, &f, &e));
	assert_int_equal(f, 0);
	assert_int_equal(e, 3);
	assert_int_equal(zk_zone_node_end(z, 0), 3);
	assert_false(zk_zone_find(z, &n, ZK_TYPE_MX, &f, &e));

	n = name("b.example.");
	assert_false(zk_zone_find(z, &n, 0, &f, &e));
	assert_true(zk_zone_is_ent(z, &n));
	assert_int_equal(zk_zone_lower_bound(z, &n), 3);
	n = name("c.example.");
	assert_false(zk_zone_is_ent(z, &n));
	n = name("d.example.");
	assert_false(zk_zone_is_ent(z, &n));
	assert_int_equal(zk_zone_lower_bound(z, &n), 5);
	assert_string_equal(zk_zone_file(z, zk_zone_at(z, 0)->file), "t.zone");
	{
		zk_rr_t v;
		zk_zone_rr_view(zk_zone_at(z, 4), false, &v);
		assert_int_equal(v.type, ZK_TYPE_A);
		assert_int_equal(v.rdlen, 4);
		assert_memory_equal(v.rdata, a, 4);
	}
	/* apex bookkeeping */
	n = name("example.");
	zk_zone_set_origin(z, &n);
	assert_true(zk_name_eq(zk_zone_origin(z), &n));
	zk_zone_free(z);
}

static void test_empty(void **state)
{
	zk_zone_t *z = zk_zone_new(NULL, ZK_CLASS_IN);
	zk_name_t n = name("x.");
	size_t f, e;
	(void)state;
	assert_int_equal(zk_zone_finish(z, NULL, NULL), 0);
	assert_int_equal(zk_zone_count(z), 0);
	assert_null(zk_zone_at(z, 0));
	assert_false(zk_zone_find(z, &n, 0, &f, &e));
	assert_false(zk_zone_is_ent(z, &n));
	zk_zone_free(z);
	zk_zone_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical_order),
	    cmocka_unit_test(test_duplicates_and_case),
	    cmocka_unit_test(test_ttl_rule),
	    cmocka_unit_test(test_rrsig_ttl_per_covered_type),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
