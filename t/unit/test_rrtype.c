/* Unit tests for common/rrtype.c: the type table, mnemonics of types,
 * classes (RFC 3597 §5 TYPEnnn/CLASSnnn), rcodes and opcodes, and the
 * table's flags (RFC 3597 §4 compression, RFC 4034 §6.2/RFC 6840 §5.1
 * canonical form). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "rrtype.h"

/* Every type `named-rrchecker -T` lists (BIND 9.18.49). */
static const char *const bind_types[] = {
    "A",     "NS",         "MD",         "MF",       "CNAME",  "SOA",   "MB",       "MG",
    "MR",    "NULL",       "WKS",        "PTR",      "HINFO",  "MINFO", "MX",       "TXT",
    "RP",    "AFSDB",      "X25",        "ISDN",     "RT",     "NSAP",  "NSAP-PTR", "SIG",
    "KEY",   "PX",         "GPOS",       "AAAA",     "LOC",    "NXT",   "EID",      "NIMLOC",
    "SRV",   "ATMA",       "NAPTR",      "KX",       "CERT",   "A6",    "DNAME",    "SINK",
    "APL",   "DS",         "SSHFP",      "IPSECKEY", "RRSIG",  "NSEC",  "DNSKEY",   "DHCID",
    "NSEC3", "NSEC3PARAM", "TLSA",       "SMIMEA",   "HIP",    "NINFO", "RKEY",     "TALINK",
    "CDS",   "CDNSKEY",    "OPENPGPKEY", "CSYNC",    "ZONEMD", "SVCB",  "HTTPS",    "DSYNC",
    "HHIT",  "BRID",       "SPF",        "UINFO",    "UID",    "GID",   "UNSPEC",   "NID",
    "L32",   "L64",        "LP",         "EUI48",    "EUI64",  "URI",   "CAA",      "AVC",
    "DOA",   "AMTRELAY",   "RESINFO",    "WALLET",   "TA",     "DLV",
};

static void test_bind_types(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bind_types) / sizeof(bind_types[0]); i++) {
		const char *n = bind_types[i];
		uint16_t t;
		char buf[16];
		if (zk_rrtype_from_text(n, strlen(n), &t) != 0)
			fail_msg("%s not known", n);
		assert_non_null(zk_rrtype_get(t));
		assert_string_equal(zk_rrtype_name(t), n);
		assert_int_equal(zk_rrtype_to_text(t, buf, sizeof(buf)), strlen(n));
		assert_string_equal(buf, n);
	}
}

static void test_table(void **state)
{
	size_t i;
	int last = -1;

	(void)state;
	for (i = 0; zk_rrtype_at(i) != NULL; i++) {
		const zk_rrtype_t *r = zk_rrtype_at(i);
		uint16_t t;
		/* Sorted by code, each name finds its own row. */
		assert_true((int)r->code > last);
		last = r->code;
		assert_ptr_equal(zk_rrtype_get(r->code), r);
		assert_int_equal(zk_rrtype_from_text(r->name, strlen(r->name), &t), 0);
		assert_int_equal(t, r->code);
		/* Compress on render implies decompress and downcase. */
		if (r->flags & ZK_RRF_COMPRESS)
			assert_true((r->flags & ZK_RRF_DECOMPRESS) && (r->flags & ZK_RRF_DOWNCASE));
	}
	assert_true(i >= 86 + 8);
	assert_null(zk_rrtype_get(0));
	assert_null(zk_rrtype_get(54));
	assert_null(zk_rrtype_get(65535));
	assert_null(zk_rrtype_name(731));
}

static void test_flags(void **state)
{
	static const uint16_t compress[] = {ZK_TYPE_NS,  ZK_TYPE_MD,    ZK_TYPE_MF, ZK_TYPE_CNAME,
	                                    ZK_TYPE_SOA, ZK_TYPE_MB,    ZK_TYPE_MG, ZK_TYPE_MR,
	                                    ZK_TYPE_PTR, ZK_TYPE_MINFO, ZK_TYPE_MX};
	static const uint16_t decompress_only[] = {ZK_TYPE_RP,    ZK_TYPE_AFSDB, ZK_TYPE_RT,
	                                           ZK_TYPE_SIG,   ZK_TYPE_PX,    ZK_TYPE_NXT,
	                                           ZK_TYPE_NAPTR, ZK_TYPE_SRV};
	static const uint16_t downcase[] = {
	    ZK_TYPE_NS,    ZK_TYPE_MD,    ZK_TYPE_MF,  ZK_TYPE_CNAME, ZK_TYPE_SOA,   ZK_TYPE_MB,
	    ZK_TYPE_MG,    ZK_TYPE_MR,    ZK_TYPE_PTR, ZK_TYPE_HINFO, ZK_TYPE_MINFO, ZK_TYPE_MX,
	    ZK_TYPE_RP,    ZK_TYPE_AFSDB, ZK_TYPE_RT,  ZK_TYPE_SIG,   ZK_TYPE_PX,    ZK_TYPE_NXT,
	    ZK_TYPE_NAPTR, ZK_TYPE_KX,    ZK_TYPE_SRV, ZK_TYPE_DNAME, ZK_TYPE_A6,    ZK_TYPE_RRSIG};
	size_t ncomp = 0, ndec = 0, ndown = 0;

	(void)state;
	/* RFC 3597 §4. */
	for (size_t i = 0; i < sizeof(compress) / sizeof(compress[0]); i++)
		assert_true(zk_rrtype_get(compress[i])->flags & ZK_RRF_COMPRESS);
	for (size_t i = 0; i < sizeof(decompress_only) / sizeof(decompress_only[0]); i++) {
		unsigned f = zk_rrtype_get(decompress_only[i])->flags;
		assert_true(f & ZK_RRF_DECOMPRESS);
		assert_false(f & ZK_RRF_COMPRESS);
	}
	/* RFC 4034 §6.2 item 3, less NSEC (RFC 6840 §5.1). */
	for (size_t i = 0; i < sizeof(downcase) / sizeof(downcase[0]); i++)
		assert_true(zk_rrtype_get(downcase[i])->flags & ZK_RRF_DOWNCASE);
	assert_false(zk_rrtype_get(ZK_TYPE_NSEC)->flags & ZK_RRF_DOWNCASE);
	/* Nothing else has them. */
	for (size_t i = 0; zk_rrtype_at(i) != NULL; i++) {
		unsigned f = zk_rrtype_at(i)->flags;
		ncomp += (f & ZK_RRF_COMPRESS) != 0;
		ndec += (f & ZK_RRF_DECOMPRESS) != 0;
		ndown += (f & ZK_RRF_DOWNCASE) != 0;
	}
	assert_int_equal(ncomp, 11);
	assert_int_equal(ndec, 19);
	assert_int_equal(ndown, sizeof(downcase) / sizeof(downcase[0]));
	assert_true(zk_rrtype_get(ZK_TYPE_TSIG)->flags & ZK_RRF_META);
	assert_true(zk_rrtype_get(ZK_TYPE_TKEY)->flags & ZK_RRF_META);
	assert_true(zk_rrtype_get(ZK_TYPE_ANY)->flags & ZK_RRF_META);
	assert_false(zk_rrtype_get(ZK_TYPE_A)->flags & ZK_RRF_META);
	assert_true(zk_rrtype_get(ZK_TYPE_CNAME)->flags & ZK_RRF_SINGLETON);
}

static void test_type_text(void **state)
{
	uint16_t t;
	char buf[16];

	(void)state;
	/* Case-insensitive mnemonics. */
	assert_int_equal(zk_rrtype_from_text("aaaa", 4, &t), 0);
	assert_int_equal(t, ZK_TYPE_AAAA);
	assert_int_equal(zk_rrtype_from_text("Nsec3Param", 10, &t), 0);
	assert_int_equal(t, ZK_TYPE_NSEC3PARAM);
	assert_int_equal(zk_rrtype_from_text("nsap-ptr", 8, &t), 0);
	assert_int_equal(t, ZK_TYPE_NSAP_PTR);
	/* Not a prefix match. */
	assert_int_equal(zk_rrtype_from_text("AA", 2, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_from_text("NSEC33", 6, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_from_text("", 0, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_from_text("A\0", 2, &t), ZK_ETYPE);
	/* RFC 3597 §5 TYPEnnn, also for known types. */
	assert_int_equal(zk_rrtype_from_text("TYPE731", 7, &t), 0);
	assert_int_equal(t, 731);
	assert_int_equal(zk_rrtype_from_text("type1", 5, &t), 0);
	assert_int_equal(t, ZK_TYPE_A);
	assert_int_equal(zk_rrtype_from_text("TYPE65535", 9, &t), 0);
	assert_int_equal(t, 65535);
	assert_int_equal(zk_rrtype_from_text("TYPE65536", 9, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_from_text("TYPE", 4, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_from_text("TYPE1x", 6, &t), ZK_ETYPE);
	assert_int_equal(zk_rrtype_to_text(731, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "TYPE731");
	assert_int_equal(zk_rrtype_to_text(0, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "TYPE0");
	zk_rrtype_to_text(ZK_TYPE_TA, buf, sizeof(buf));
	assert_string_equal(buf, "TA");
}

static void test_class_text(void **state)
{
	uint16_t c;
	char buf[16];

	(void)state;
	assert_int_equal(zk_rrclass_from_text("in", 2, &c), 0);
	assert_int_equal(c, ZK_CLASS_IN);
	assert_int_equal(zk_rrclass_from_text("CH", 2, &c), 0);
	assert_int_equal(c, ZK_CLASS_CH);
	assert_int_equal(zk_rrclass_from_text("CHAOS", 5, &c), 0);
	assert_int_equal(c, ZK_CLASS_CH);
	assert_int_equal(zk_rrclass_from_text("HS", 2, &c), 0);
	assert_int_equal(c, ZK_CLASS_HS);
	assert_int_equal(zk_rrclass_from_text("NONE", 4, &c), 0);
	assert_int_equal(c, ZK_CLASS_NONE);
	assert_int_equal(zk_rrclass_from_text("ANY", 3, &c), 0);
	assert_int_equal(c, ZK_CLASS_ANY);
	assert_int_equal(zk_rrclass_from_text("CLASS32", 7, &c), 0);
	assert_int_equal(c, 32);
	assert_int_equal(zk_rrclass_from_text("CLASS70000", 10, &c), ZK_ECLASS);
	assert_int_equal(zk_rrclass_from_text("A", 1, &c), ZK_ECLASS);
	zk_rrclass_to_text(ZK_CLASS_IN, buf, sizeof(buf));
	assert_string_equal(buf, "IN");
	zk_rrclass_to_text(ZK_CLASS_NONE, buf, sizeof(buf));
	assert_string_equal(buf, "NONE");
	assert_int_equal(zk_rrclass_to_text(32, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "CLASS32");
}

static void test_rcode_opcode(void **state)
{
	uint16_t rc;
	uint8_t op;
	char buf[16];

	(void)state;
	zk_rcode_to_text(ZK_RCODE_NXDOMAIN, false, buf, sizeof(buf));
	assert_string_equal(buf, "NXDOMAIN");
	zk_rcode_to_text(16, false, buf, sizeof(buf));
	assert_string_equal(buf, "BADVERS");
	zk_rcode_to_text(16, true, buf, sizeof(buf));
	assert_string_equal(buf, "BADSIG");
	zk_rcode_to_text(ZK_RCODE_BADCOOKIE, false, buf, sizeof(buf));
	assert_string_equal(buf, "BADCOOKIE");
	zk_rcode_to_text(12, false, buf, sizeof(buf));
	assert_string_equal(buf, "12");
	assert_int_equal(zk_rcode_from_text("refused", 7, &rc), 0);
	assert_int_equal(rc, ZK_RCODE_REFUSED);
	assert_int_equal(zk_rcode_from_text("BADSIG", 6, &rc), 0);
	assert_int_equal(rc, 16);
	assert_int_equal(zk_rcode_from_text("4095", 4, &rc), 0);
	assert_int_equal(rc, 4095);
	assert_int_equal(zk_rcode_from_text("4096", 4, &rc), ZK_ERANGE);
	assert_int_equal(zk_rcode_from_text("BOGUS", 5, &rc), ZK_EINVAL);

	zk_opcode_to_text(ZK_OPCODE_UPDATE, buf, sizeof(buf));
	assert_string_equal(buf, "UPDATE");
	zk_opcode_to_text(ZK_OPCODE_NOTIFY, buf, sizeof(buf));
	assert_string_equal(buf, "NOTIFY");
	zk_opcode_to_text(3, buf, sizeof(buf));
	assert_string_equal(buf, "RESERVED3");
	assert_int_equal(zk_opcode_from_text("query", 5, &op), 0);
	assert_int_equal(op, ZK_OPCODE_QUERY);
	assert_int_equal(zk_opcode_from_text("RESERVED15", 10, &op), 0);
	assert_int_equal(op, 15);
	assert_int_equal(zk_opcode_from_text("16", 2, &op), ZK_ERANGE);
	assert_int_equal(zk_opcode_from_text("X", 1, &op), ZK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bind_types), cmocka_unit_test(test_table),
	    cmocka_unit_test(test_flags),      cmocka_unit_test(test_type_text),
	    cmocka_unit_test(test_class_text), cmocka_unit_test(test_rcode_opcode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
