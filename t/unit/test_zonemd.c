/* Unit tests for common/zonemd.c: the RFC 8976 Appendix A zones and their
 * digests (t/data/zonemd/README), the §3.3.1.1 inclusion rules, the §4
 * verification outcomes, and a cross-check with ldns-verify-zone -Z. */
#include "config.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "encode.h"
#include "rdata.h"
#include "rrtype.h"
#include "zonefile.h"
#include "zonemd.h"

/* ---------------------------------------------------------------- helpers */

/* RFC 8976 A.3 has a record that a strict parser refuses (README:
 * erratum): scheme 241, hash 1, 20-octet digest. The parser reports it on
 * line 28 and loads the rest; the test adds the record as wire rdata. */
#define A3_FILE     "rfc8976-a3-multiple-digests-example.zone"
#define A3_BAD_LINE 28
static const uint8_t a3_bad_rdata[] = {0x78, 0x48, 0xb9, 0x1c, 241,  1,    0xe1, 0x84, 0x65,
                                       0x40, 0xe3, 0x3a, 0x9e, 0x41, 0x89, 0x79, 0x2d, 0x18,
                                       0xd5, 0xd1, 0x31, 0xf6, 0x05, 0xfc, 0x28, 0x3e};

typedef struct msgs {
	unsigned errors;
	unsigned line;
} msgs_t;

static void on_msg(void *ctx, int severity, const zk_errctx_t *ec)
{
	msgs_t *m = ((zone_t *)ctx)->user;

	if (severity == ZK_ZF_ERROR && m != NULL) {
		m->errors++;
		m->line = ec->line;
	}
}

/* zone_load, but accepting the A.3 record the parser refuses (above). */
static void zone_load_rfc(zone_t *z, const char *rel, const char *origin)
{
	msgs_t ms = {0, 0};
	zk_errctx_t ec;
	int r;

	z->user = &ms;
	r = zone_parse(z, rel, NULL, origin, on_msg, &ec);
	if (r != 0 && strstr(rel, A3_FILE) != NULL && ec.line == A3_BAD_LINE && ms.errors == 1) {
		zk_name_t apex = name("example.");
		zk_rr_t rr = {&apex, ZK_TYPE_ZONEMD,       ZK_CLASS_IN,
		              86400, sizeof(a3_bad_rdata), a3_bad_rdata};
		zone_push(z, &rr);
		r = 0;
	}
	if (r != 0)
		fail_msg("%s:%u:%u: %s", rel, ec.line, ec.col, ec.msg);
	z->user = NULL;
	zk_rr_sort(z->rr, z->n);
}

/* Index of the first RR of (owner, type) or fail. */
static size_t zone_find(const zone_t *z, const char *owner, uint16_t type)
{
	zk_name_t n = name(owner);

	for (size_t i = 0; i < z->n; i++) {
		if (z->rr[i].type == type && zk_name_eq(z->rr[i].owner, &n))
			return i;
	}
	fail_msg("no %u at %s", type, owner);
	return 0;
}

static void zone_del(zone_t *z, size_t i)
{
	memmove(z->rr + i, z->rr + i + 1, (z->n - i - 1) * sizeof(zk_rr_t));
	z->n--;
}

static void digest_of(const zone_t *z, const char *apex, uint8_t alg, uint8_t *d, size_t *dlen)
{
	zk_name_t a = name(apex);
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_zonemd_digest(z->rr, z->n, &a, ZK_ZONEMD_SIMPLE, alg, d, ZK_ZONEMD_DIGEST_MAX, dlen,
	                     &ec) != 0)
		fail_msg("digest: %s", ec.msg);
}

/* The RFC 8976 Appendix A zones. */
static const struct {
	const char *file, *apex;
	size_t nres;
	zk_zonemd_status_t st[4];
} rfc_zones[] = {
    {"rfc8976-a1-simple-example.zone", "example.", 1, {ZK_ZONEMD_VERIFIED}},
    {"rfc8976-a2-complex-example.zone", "example.", 1, {ZK_ZONEMD_VERIFIED}},
    /* (1,1) (1,2) (1,240) (241,1) in canonical rdata order. */
    {"rfc8976-a3-multiple-digests-example.zone",
     "example.",
     4,
     {ZK_ZONEMD_VERIFIED, ZK_ZONEMD_VERIFIED, ZK_ZONEMD_HASH, ZK_ZONEMD_SCHEME}},
    {"rfc8976-a4-uri.arpa.zone", "uri.arpa.", 1, {ZK_ZONEMD_VERIFIED}},
    {"rfc8976-a5-root-servers.net.zone", "root-servers.net.", 1, {ZK_ZONEMD_VERIFIED}},
};

/* ------------------------------------------------------------------ tests */

static void test_rfc8976_digests(void **state)
{
	(void)state;
	char *tsv = read_text("zonemd/rfc8976-zonemd-digests.tsv");
	size_t checked = 0, skipped = 0;
	char *save = NULL;

	for (char *line = strtok_r(tsv, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char file[128], owner[128], hex[160], rel[256];
		unsigned long serial;
		unsigned scheme, alg, len;
		uint8_t want[ZK_ZONEMD_DIGEST_MAX], got[ZK_ZONEMD_DIGEST_MAX];
		uint8_t rd[ZK_ZONEMD_RDATA_MAX];
		size_t wlen, glen, rdlen;
		zone_t z = {0};
		zk_name_t apex;
		size_t zi;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%127s %127s %lu %u %u %u %159s", file, owner,
		                        &serial, &scheme, &alg, &len, hex),
		                 7);
		/* The non-apex ZONEMD of A.2 and the private-use code points
		 * have nothing to reproduce. */
		if (!zk_zonemd_supported((uint8_t)scheme, (uint8_t)alg) ||
		    owner[strlen(owner) - 1] != '.') {
			skipped++;
			continue;
		}
		assert_int_equal(zk_hex_decode(hex, strlen(hex), want, sizeof(want), &wlen), 0);
		assert_int_equal(wlen, len);
		snprintf(rel, sizeof(rel), "zonemd/rfc8976-%s", file);
		zone_load_rfc(&z, rel, owner);
		digest_of(&z, owner, (uint8_t)alg, got, &glen);
		assert_int_equal(glen, wlen);
		assert_memory_equal(got, want, wlen);

		/* The whole rdata, serial from the SOA, equals the published
		 * record. */
		apex = name(owner);
		assert_int_equal(zk_zonemd_rdata(z.rr, z.n, &apex, (uint8_t)scheme, (uint8_t)alg,
		                                 rd, sizeof(rd), &rdlen, NULL),
		                 0);
		assert_int_equal(rdlen, 6 + wlen);
		assert_int_equal(zk_get_u32(rd), serial);
		zi = zone_find(&z, owner, ZK_TYPE_ZONEMD);
		while (z.rr[zi].rdata[5] != alg || z.rr[zi].rdata[4] != scheme)
			zi++;
		assert_int_equal(z.rr[zi].rdlen, rdlen);
		assert_memory_equal(z.rr[zi].rdata, rd, rdlen);
		zone_free(&z);
		checked++;
	}
	assert_int_equal(checked, 6); /* A.1, A.2, A.3 x2, A.4, A.5 */
	assert_int_equal(skipped, 3);
	free(tsv);
}

static void test_rfc8976_verify(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(rfc_zones) / sizeof(rfc_zones[0]); k++) {
		zone_t z = {0};
		char rel[256];
		zk_name_t apex = name(rfc_zones[k].apex);
		zk_zonemd_result_t res[8];
		size_t nres = 0;
		zk_errctx_t ec;
		int r;

		snprintf(rel, sizeof(rel), "zonemd/%s", rfc_zones[k].file);
		zone_load_rfc(&z, rel, rfc_zones[k].apex);
		zk_errctx_init(&ec);
		r = zk_zonemd_verify(z.rr, z.n, &apex, res, 8, &nres, &ec);
		if (r != 0)
			fail_msg("%s: %s", rfc_zones[k].file, ec.msg);
		assert_int_equal(nres, rfc_zones[k].nres);
		for (size_t i = 0; i < nres; i++) {
			if (res[i].status != rfc_zones[k].st[i])
				fail_msg("%s record %zu: %s", rfc_zones[k].file, i,
				         zk_zonemd_status_text(res[i].status));
		}
		assert_int_equal(res[0].scheme, 1);
		assert_int_equal(res[0].hash_alg, 1);
		assert_int_equal(res[0].digest_len, 48);
		zone_free(&z);
	}
}

#define NONE ((size_t)-1)

/* One field changed in A.1 and what verification says about it. */
static void expect_verify(zone_t *z, int want_r, size_t want_n, zk_zonemd_status_t want_st)
{
	zk_name_t apex = name("example.");
	zk_zonemd_result_t res[4];
	size_t nres = 99;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	assert_int_equal(zk_zonemd_verify(z->rr, z->n, &apex, res, 4, &nres, &ec), want_r);
	if (want_n == NONE) {
		assert_int_equal(nres, 99); /* not examined: untouched */
	} else {
		assert_int_equal(nres, want_n);
		for (size_t i = 0; i < want_n; i++)
			assert_int_equal(res[i].status, want_st);
	}
	if (want_r != 0) {
		assert_int_equal(ec.code, want_r);
		assert_true(ec.msg[0] != '\0');
	}
}

static void test_verify_failures(void **state)
{
	(void)state;
	zone_t z = {0};
	size_t i;
	uint8_t rd[ZK_ZONEMD_RDATA_MAX];
	zk_errctx_t ec;

	zone_load(&z, "zonemd/rfc8976-a1-simple-example.zone", "example.");
	expect_verify(&z, 0, 1, ZK_ZONEMD_VERIFIED);

	/* §4 5f: any change in digested data (here a TTL). */
	i = zone_find(&z, "ns1.example.", ZK_TYPE_A);
	z.rr[i].ttl++;
	zk_errctx_init(&ec);
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_MISMATCH);
	z.rr[i].ttl--;

	/* §4 5a: serial. */
	i = zone_find(&z, "example.", ZK_TYPE_ZONEMD);
	memcpy(rd, z.rr[i].rdata, z.rr[i].rdlen);
	rd[3] ^= 1;
	z.rr[i].rdata = rd;
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_SERIAL);
	rd[3] ^= 1;
	expect_verify(&z, 0, 1, ZK_ZONEMD_VERIFIED);

	/* §4 5d: a SHA-384 digest one octet short; §2.2.4 below 12. */
	z.rr[i].rdlen = 6 + 47;
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_LENGTH);
	z.rr[i].rdlen = 6 + 48;

	/* §4 5b, 5c: unsupported scheme, hash algorithm. */
	rd[4] = 2;
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_SCHEME);
	rd[4] = 1;
	rd[5] = 3;
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_HASH);
	rd[5] = 1;

	/* Malformed: shorter than the fixed fields. */
	z.rr[i].rdlen = 5;
	expect_verify(&z, ZK_EZONE, 1, ZK_ZONEMD_MALFORMED);
	z.rr[i].rdlen = 6 + 48;

	/* The same record twice is one record. */
	zone_add(&z,
	         "example. 86400 ZONEMD 2018031900 1 1 "
	         "c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27"
	         "777f98b8e730044c");
	expect_verify(&z, 0, 1, ZK_ZONEMD_VERIFIED);

	/* §4 step 4: two different records with one (scheme, hash). */
	zone_add(&z,
	         "example. 86400 ZONEMD 2018031900 1 1 "
	         "000000000000000000000000000000000000000000000000000000000000000000000000000000"
	         "000000000000000000");
	expect_verify(&z, ZK_EZONE, 2, ZK_ZONEMD_DUPLICATE);

	/* No apex ZONEMD at all. */
	for (i = 0; i < z.n;) {
		if (z.rr[i].type == ZK_TYPE_ZONEMD)
			zone_del(&z, i);
		else
			i++;
	}
	expect_verify(&z, ZK_ENOENT, NONE, ZK_ZONEMD_VERIFIED);
	zone_free(&z);

	/* No SOA. */
	zone_load(&z, "zonemd/rfc8976-a1-simple-example.zone", "example.");
	zone_del(&z, zone_find(&z, "example.", ZK_TYPE_SOA));
	expect_verify(&z, ZK_EZONE, NONE, ZK_ZONEMD_VERIFIED);
	zone_free(&z);
}

static void test_inclusion_rules(void **state)
{
	(void)state;
	zone_t z = {0};
	uint8_t base[64], d[64], d2[64];
	uint8_t ph[ZK_ZONEMD_RDATA_MAX]; /* the placeholder stays in z */
	size_t blen, dlen, d2len, i;
	zk_name_t apex = name("example.");
	zk_errctx_t ec;

	zone_load(&z, "zonemd/rfc8976-a1-simple-example.zone", "example.");
	digest_of(&z, "example.", ZK_ZONEMD_SHA384, base, &blen);

	/* Left out: duplicates, out-of-zone data, the apex ZONEMD RRset
	 * (any content) and apex RRSIGs covering ZONEMD. */
	zone_add(&z, "ns1.example. 3600 A 203.0.113.63");
	zone_add(&z, "out.of.zone. 3600 A 192.0.2.1");
	zone_add(&z,
	         "example. 3600 ZONEMD 2018031900 1 2 "
	         "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	         "000000000000000000000000000000000000000000000000");
	zone_add(&z,
	         "example. 86400 RRSIG ZONEMD 13 1 86400 20300101000000 20200101000000 1 example. "
	         "AAAAAAAA");
	digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
	assert_int_equal(dlen, blen);
	assert_memory_equal(d, base, blen);

	/* Placeholders (§3.1) do not change the digest either. */
	i = zone_find(&z, "example.", ZK_TYPE_ZONEMD);
	{
		uint8_t rd[ZK_ZONEMD_RDATA_MAX];
		size_t phlen, rdlen;

		assert_int_equal(zk_zonemd_placeholder(2018031900, 1, 1, ph, sizeof(ph), &phlen),
		                 0);
		assert_int_equal(phlen, 54);
		assert_memory_equal(ph, "\x78\x48\xb9\x1c\x01\x01\0\0\0\0", 10);
		z.rr[i].rdata = ph;
		z.rr[i].rdlen = (uint16_t)phlen;
		zk_rr_sort(z.rr, z.n);
		assert_int_equal(
		    zk_zonemd_rdata(z.rr, z.n, &apex, 1, 1, rd, sizeof(rd), &rdlen, NULL), 0);
		assert_int_equal(rdlen, 54);
		assert_memory_equal(rd + 6, base, 48);
		assert_int_equal(zk_zonemd_rdata(z.rr, z.n, &apex, 1, 1, rd, 53, &rdlen, NULL),
		                 ZK_ESPACE);
		assert_int_equal(zk_zonemd_placeholder(1, 1, 2, ph, sizeof(ph), &phlen), 0);
		assert_int_equal(phlen, 70);
		assert_int_equal(zk_zonemd_placeholder(1, 240, 240, ph, sizeof(ph), &phlen), 0);
		assert_int_equal(phlen, 6 + ZK_ZONEMD_DIGEST_MIN);
		assert_int_equal(zk_zonemd_placeholder(1, 1, 2, ph, 69, &phlen), ZK_ESPACE);
	}

	/* Included: a ZONEMD and an RRSIG over ZONEMD below the apex
	 * (§2.1: ordinary data there). */
	zone_add(&z, "sub.example. 3600 ZONEMD 1 1 240 000102030405060708090a0b");
	digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
	assert_memory_not_equal(d, base, blen);
	zone_del(&z, zone_find(&z, "sub.example.", ZK_TYPE_ZONEMD));
	digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
	assert_memory_equal(d, base, blen);
	zone_add(&z, "sub.example. 86400 RRSIG ZONEMD 13 2 86400 20300101000000 20200101000000 1 "
	             "example. AAAAAAAA");
	digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
	assert_memory_not_equal(d, base, blen);
	zone_del(&z, zone_find(&z, "sub.example.", ZK_TYPE_RRSIG));

	/* Owner case does not matter (canonical form), rdata names are
	 * lower-cased for the types RFC 4034 §6.2 lists. */
	i = zone_find(&z, "ns1.example.", ZK_TYPE_A);
	{
		zk_name_t up = name("NS1.Example.");
		const zk_name_t *old = z.rr[i].owner;
		z.rr[i].owner = &up;
		digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
		assert_memory_equal(d, base, blen);
		z.rr[i].owner = old;
	}
	i = zone_find(&z, "example.", ZK_TYPE_NS);
	{
		uint8_t nsrd[64];
		const uint8_t *old = z.rr[i].rdata;
		memcpy(nsrd, old, z.rr[i].rdlen);
		nsrd[1] = 'N'; /* "Ns1.example." */
		z.rr[i].rdata = nsrd;
		digest_of(&z, "example.", ZK_ZONEMD_SHA384, d, &dlen);
		assert_memory_equal(d, base, blen);
		z.rr[i].rdata = old;
	}

	/* SHA-512 differs and is 64 octets. */
	digest_of(&z, "example.", ZK_ZONEMD_SHA512, d2, &d2len);
	assert_int_equal(d2len, 64);

	/* Errors: scheme, algorithm, room, order; output untouched. */
	memset(d, 0x77, sizeof(d));
	dlen = 5;
	zk_errctx_init(&ec);
	assert_int_equal(zk_zonemd_digest(z.rr, z.n, &apex, 2, 1, d, 64, &dlen, &ec), ZK_EUNSUPP);
	assert_int_equal(zk_zonemd_digest(z.rr, z.n, &apex, 1, 240, d, 64, &dlen, NULL),
	                 ZK_EUNSUPP);
	assert_int_equal(zk_zonemd_digest(z.rr, z.n, &apex, 1, 1, d, 47, &dlen, NULL), ZK_ESPACE);
	{
		zk_rr_t tmp = z.rr[0];
		z.rr[0] = z.rr[z.n - 1];
		z.rr[z.n - 1] = tmp;
		assert_int_equal(zk_zonemd_digest(z.rr, z.n, &apex, 1, 1, d, 64, &dlen, &ec),
		                 ZK_EINVAL);
		z.rr[z.n - 1] = z.rr[0];
		z.rr[0] = tmp;
	}
	assert_int_equal(dlen, 5);
	assert_int_equal(d[0], 0x77);
	assert_false(zk_zonemd_supported(1, 0));
	assert_false(zk_zonemd_supported(0, 1));
	assert_true(zk_zonemd_supported(1, 2));
	assert_string_equal(zk_zonemd_status_text(ZK_ZONEMD_MISMATCH), "digest mismatch");
	zone_free(&z);
}

/* Run ldns-verify-zone -Z on text; its exit status. */
static int ldns_verify(const char *text)
{
	char path[] = "/tmp/zk-zonemd-XXXXXX";
	int fd = mkstemp(path), st;
	size_t n = strlen(text);
	pid_t pid;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int dn = open("/dev/null", O_WRONLY);
		dup2(dn, 1);
		dup2(dn, 2);
		execlp("ldns-verify-zone", "ldns-verify-zone", "-Z", path, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_ldns_crosscheck(void **state)
{
	(void)state;
	/* A zone the RFC does not have (delegations, glue, occluded data,
	 * DNAME, wildcards): our SHA-384 and SHA-512 records, added to the
	 * text, must satisfy ldns. */
	char *text = read_text("nsec/chain.zone");
	zone_t z = {0};
	zk_name_t apex = name("example.");
	zk_buf_t b;

	if (ldns_verify("") == 127)
		skip();
	zone_load(&z, "nsec/chain.zone", "example.");
	zk_buf_init(&b);
	zk_buf_puts(&b, text);
	for (int alg = 1; alg <= 2; alg++) {
		uint8_t rd[ZK_ZONEMD_RDATA_MAX];
		size_t rdlen;

		assert_int_equal(zk_zonemd_rdata(z.rr, z.n, &apex, 1, (uint8_t)alg, rd, sizeof(rd),
		                                 &rdlen, NULL),
		                 0);
		assert_int_equal(zk_get_u32(rd), 2024010101);
		zk_buf_printf(&b, "example. 3600 IN ZONEMD %u 1 %d ", zk_get_u32(rd), alg);
		zk_hex_encode(&b, rd + 6, rdlen - 6, false);
		zk_buf_putc(&b, '\n');
	}
	assert_int_equal(b.err, 0);
	assert_int_equal(ldns_verify(b.data), 0);
	/* Negative control: the last digest nibble of each record changed
	 * (ldns accepts a zone when any one record matches). */
	for (char *p = strstr(b.data, "IN ZONEMD"); p != NULL; p = strstr(p + 1, "IN ZONEMD")) {
		char *c = strchr(p, '\n') - 1;
		*c = *c == '0' ? '1' : '0';
	}
	assert_int_not_equal(ldns_verify(b.data), 0);
	zk_buf_free(&b);
	zone_free(&z);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8976_digests), cmocka_unit_test(test_rfc8976_verify),
	    cmocka_unit_test(test_verify_failures), cmocka_unit_test(test_inclusion_rules),
	    cmocka_unit_test(test_ldns_crosscheck),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
