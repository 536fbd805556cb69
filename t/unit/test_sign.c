/* Unit tests for common/sign.c: which RRsets a zone signs (RFC 4035 §2.2:
 * delegation NS and glue unsigned, DS signed, data below a cut or a DNAME
 * occluded, apex DNSKEY/CDS/CDNSKEY by the KSK), key roles per algorithm,
 * signing a zone on one and several threads (same bytes with Ed25519,
 * RFC 8032 signatures being deterministic), every signature verifying,
 * reuse of old signatures and the canonical merge; ECDSA r | s widths. */
#include "config.h"

#include "testutil.h"

#include "dnssec.h"
#include "rdata.h"
#include "rrtype.h"
#include "sign.h"
#include "zonefile.h"

static const char zone_text[] = "$TTL 3600\n"
                                "example. IN SOA ns1.example. h.example. 1 2 3 4 300\n"
                                "example. NS ns1.example.\n"
                                "example. CDS 1 13 2 0000000000000000000000000000000000000000"
                                "000000000000000000000000\n"
                                "ns1 A 192.0.2.1\n"
                                "* TXT \"wildcard\"\n"
                                "secure NS ns.secure\n"
                                "secure DS 1 13 2 00000000000000000000000000000000000000000000"
                                "00000000000000000000\n"
                                "ns.secure A 192.0.2.53\n"
                                "insecure NS ns.insecure\n"
                                "ns.insecure A 192.0.2.54\n"
                                "deep.x.insecure TXT \"occluded\"\n"
                                "dname DNAME example.net.\n"
                                "dname A 192.0.2.9\n"
                                "x.dname A 192.0.2.10\n"
                                "zz CNAME ns1\n"
                                "other.test. A 192.0.2.99\n";

static void load(zone_t *z)
{
	memset(z, 0, sizeof(*z));
	zone_load_text(z, zone_text, "example.");
}

/* "owner/TYPE=kind" for every RRset, in order. */
static void test_walk(void **state)
{
	static const char *want[] = {
	    "example./NS=Z",
	    "example./SOA=Z",
	    "example./CDS=K",
	    "*.example./TXT=Z",
	    "dname.example./A=Z",
	    "dname.example./DNAME=Z",
	    "x.dname.example./A=-",
	    "insecure.example./NS=-",
	    "ns.insecure.example./A=-",
	    "deep.x.insecure.example./TXT=-",
	    "ns1.example./A=Z",
	    "secure.example./NS=-",
	    "secure.example./DS=Z",
	    "ns.secure.example./A=-",
	    "zz.example./CNAME=Z",
	    "other.test./A=-",
	};
	zone_t z;
	zk_sign_walk_t w;
	zk_name_t apex = name("example.");
	size_t s, e, i = 0;
	zk_sign_kind_t k;
	char buf[1100], on[ZK_NAME_TEXTMAX], tn[16];

	(void)state;
	load(&z);
	zk_sign_walk_init(&w, z.rr, z.n, &apex);
	while (zk_sign_walk_next(&w, &s, &e, &k)) {
		zk_name_to_cstr(z.rr[s].owner, on, sizeof(on));
		zk_rrtype_to_text(z.rr[s].type, tn, sizeof(tn));
		snprintf(buf, sizeof(buf), "%s/%s=%s", on, tn,
		         k == ZK_SIGN_BY_ZSK   ? "Z"
		         : k == ZK_SIGN_BY_KSK ? "K"
		                               : "-");
		assert_true(i < sizeof(want) / sizeof(want[0]));
		assert_string_equal(buf, want[i]);
		i++;
	}
	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	zone_free(&z);
}

static void test_roles(void **state)
{
	zk_sign_key_t k[4];

	(void)state;
	memset(k, 0, sizeof(k));
	k[0].alg = 13;
	k[0].roles = ZK_SIGN_KSK; /* alone for 13: signs everything */
	k[1].alg = 15;
	k[1].roles = ZK_SIGN_KSK;
	k[2].alg = 15;
	k[2].roles = ZK_SIGN_ZSK;
	k[3].alg = 8;
	k[3].roles = ZK_SIGN_ZSK; /* alone for 8: signs DNSKEY too */
	zk_sign_fill_roles(k, 4);
	assert_int_equal(k[0].roles, ZK_SIGN_KSK | ZK_SIGN_ZSK);
	assert_int_equal(k[1].roles, ZK_SIGN_KSK);
	assert_int_equal(k[2].roles, ZK_SIGN_ZSK);
	assert_int_equal(k[3].roles, ZK_SIGN_KSK | ZK_SIGN_ZSK);
}

static void make_keys(zk_sign_key_t sk[2], zk_key_t *keys[2], uint8_t rd[2][128], uint8_t alg)
{
	for (int i = 0; i < 2; i++) {
		size_t len = 0;
		assert_int_equal(zk_key_generate(alg, 0, &keys[i], NULL), 0);
		assert_int_equal(
		    zk_dnssec_dnskey_rdata(keys[i], i == 0 ? 257 : 256, rd[i], 128, &len), 0);
		sk[i].key = keys[i];
		sk[i].dnskey = rd[i];
		sk[i].dnskey_len = len;
		sk[i].keytag = zk_dnssec_keytag(rd[i], len);
		sk[i].alg = alg;
		sk[i].roles = i == 0 ? ZK_SIGN_KSK : ZK_SIGN_ZSK;
	}
}

static void opts_init(zk_sign_opts_t *o, const zk_name_t *apex, unsigned threads)
{
	memset(o, 0, sizeof(*o));
	o->apex = apex;
	o->now = 1800000000;
	o->inception = o->now - 3600;
	o->expiration = o->now + 30 * 86400;
	o->dnskey_expiration = o->now + 60 * 86400;
	o->refresh = 7 * 86400;
	o->threads = threads;
}

static int sign(zone_t *z, const zk_sign_key_t *sk, const zk_rr_t *old, size_t nold,
                const zk_sign_opts_t *o, zk_arena_t **ar, zk_rr_t **sigs, size_t *n,
                zk_sign_stats_t *st)
{
	zk_errctx_t ec;
	int rc;

	zk_errctx_init(&ec);
	rc = zk_sign_zone(z->rr, z->n, sk, 2, old, nold, o, ar, sigs, n, st, &ec);
	if (rc != 0)
		print_error("zk_sign_zone: %s\n", ec.msg);
	return rc;
}

/* Every signature verifies over its RRset; the counts are exact. */
static void test_sign_verify_reuse(void **state)
{
	zone_t z;
	zk_name_t apex = name("example.");
	zk_sign_key_t sk[2];
	zk_key_t *keys[2];
	uint8_t rd[2][128];
	zk_arena_t *ar[4];
	zk_sign_opts_t o;
	zk_sign_stats_t st;
	zk_rr_t *s1 = NULL, *s4 = NULL, *s2 = NULL, *all;
	size_t n1 = 0, n4 = 0, n2 = 0;

	(void)state;
	load(&z);
	make_keys(sk, keys, rd, ZK_ALG_ED25519);
	for (int i = 0; i < 4; i++)
		ar[i] = zk_arena_new(0);
	opts_init(&o, &apex, 1);
	o.verify = true;
	assert_int_equal(sign(&z, sk, NULL, 0, &o, ar, &s1, &n1, &st), 0);
	/* Signed: NS SOA (ZSK), CDS (KSK), *, dname A, DNAME, ns1 A,
	 * secure DS, zz CNAME: 9 RRsets, one signature each. */
	assert_int_equal(n1, 9);
	assert_int_equal(st.generated, 9);
	assert_int_equal(st.verified, 9);
	assert_int_equal(st.retained, 0);
	for (size_t i = 0; i < n1; i++) {
		zk_rrsig_t rs;
		size_t a = 0, b = 0, ki;
		assert_int_equal(zk_rrsig_parse(s1[i].rdata, s1[i].rdlen, &rs, NULL), 0);
		for (a = 0; a < z.n; a++)
			if (z.rr[a].type == rs.type_covered &&
			    zk_name_eq(z.rr[a].owner, s1[i].owner))
				break;
		for (b = a; b < z.n && z.rr[b].type == rs.type_covered &&
		            zk_name_eq(z.rr[b].owner, s1[i].owner);
		     b++)
			;
		assert_true(b > a);
		assert_int_equal(rs.keytag,
		                 rs.type_covered == ZK_TYPE_CDS ? sk[0].keytag : sk[1].keytag);
		assert_int_equal(rs.expiration, rs.type_covered == ZK_TYPE_CDS ? o.dnskey_expiration
		                                                               : o.expiration);
		ki = rs.type_covered == ZK_TYPE_CDS ? 0 : 1;
		assert_int_equal(zk_dnssec_verify(sk[ki].dnskey, sk[ki].dnskey_len, s1[i].rdata,
		                                  s1[i].rdlen, &z.rr[a], b - a, NULL),
		                 0);
	}
	/* The merge gives canonical order. */
	all = malloc((z.n + n1) * sizeof(*all));
	zk_sign_merge(z.rr, z.n, s1, n1, all);
	for (size_t i = 1; i < z.n + n1; i++)
		assert_true(zk_rr_cmp(&all[i - 1], &all[i]) <= 0);
	free(all);

	/* Four threads: the same bytes (Ed25519 is deterministic). */
	opts_init(&o, &apex, 4);
	assert_int_equal(sign(&z, sk, NULL, 0, &o, ar, &s4, &n4, &st), 0);
	assert_int_equal(n4, n1);
	for (size_t i = 0; i < n1; i++) {
		assert_int_equal(s4[i].rdlen, s1[i].rdlen);
		assert_memory_equal(s4[i].rdata, s1[i].rdata, s1[i].rdlen);
	}

	/* Re-sign with the old signatures: all kept; a changed RRset and a
	 * signature that expires within the refresh interval are not. */
	opts_init(&o, &apex, 2);
	assert_int_equal(sign(&z, sk, s1, n1, &o, ar, &s2, &n2, &st), 0);
	assert_int_equal(st.retained, 9);
	assert_int_equal(st.generated, 0);
	assert_int_equal(st.dropped, 0);
	free(s2);
	/* A tampered old signature (last octet flipped) fails verification
	 * with the signing key's own object and is replaced. */
	{
		zk_rr_t *t = malloc(n1 * sizeof(*t));
		uint8_t *trd;
		assert_non_null(t);
		memcpy(t, s1, n1 * sizeof(*t));
		trd = malloc(t[n1 - 1].rdlen);
		assert_non_null(trd);
		memcpy(trd, t[n1 - 1].rdata, t[n1 - 1].rdlen);
		trd[t[n1 - 1].rdlen - 1] ^= 1;
		t[n1 - 1].rdata = trd;
		assert_int_equal(sign(&z, sk, t, n1, &o, ar, &s2, &n2, &st), 0);
		assert_int_equal(st.retained, 8);
		assert_int_equal(st.generated, 1);
		assert_int_equal(st.dropped, 1);
		assert_memory_equal(s2[n1 - 1].rdata, s1[n1 - 1].rdata, s1[n1 - 1].rdlen);
		free(s2);
		free(trd);
		free(t);
	}
	for (size_t i = 0; i < z.n; i++)
		if (z.rr[i].type == ZK_TYPE_A && z.rr[i].owner->labels == 2 &&
		    z.rr[i].owner->wire[1] == 'n')
			z.rr[i].ttl = 60; /* ns1's A: a new TTL, the old RRSIG no longer fits */
	o.refresh = 40 * 86400;           /* the ZSK's signatures expire too soon, the KSK's not */
	assert_int_equal(sign(&z, sk, s1, n1, &o, ar, &s2, &n2, &st), 0);
	assert_int_equal(st.retained, 1);
	assert_int_equal(st.generated, 8);
	assert_int_equal(st.dropped, 8);
	free(s2);
	o.refresh = 86400;
	assert_int_equal(sign(&z, sk, s1, n1, &o, ar, &s2, &n2, &st), 0);
	assert_int_equal(st.retained, 8);
	assert_int_equal(st.generated, 1);
	free(s2);

	free(s1);
	free(s4);
	for (int i = 0; i < 4; i++)
		zk_arena_free(ar[i]);
	zk_key_free(keys[0]);
	zk_key_free(keys[1]);
	zone_free(&z);
}

/* zk_key_sign turns OpenSSL's DER ECDSA signature into RFC 6605 §4's
 * fixed-width r | s and zk_key_verify back: values with leading zero
 * octets (one signature in 128) must be padded and unpadded exactly. */
static void test_ecdsa_widths(void **state)
{
	static const uint8_t algs[] = {ZK_ALG_ECDSAP256SHA256, ZK_ALG_ECDSAP384SHA384};
	(void)state;
	for (size_t a = 0; a < sizeof(algs); a++) {
		zk_key_t *k = NULL;
		size_t w = algs[a] == ZK_ALG_ECDSAP256SHA256 ? 32 : 48;
		unsigned short_r = 0, short_s = 0;
		assert_int_equal(zk_key_generate(algs[a], 0, &k, NULL), 0);
		for (unsigned i = 0; i < 20000 && (short_r == 0 || short_s == 0); i++) {
			uint8_t msg[8], sig[128];
			size_t len = 0;
			memcpy(msg, &i, sizeof(i));
			memcpy(msg + 4, &a, 4);
			assert_int_equal(
			    zk_key_sign(k, msg, sizeof(msg), sig, sizeof(sig), &len, NULL), 0);
			assert_int_equal(len, 2 * w);
			short_r += sig[0] == 0;
			short_s += sig[w] == 0;
			assert_int_equal(zk_key_verify(k, msg, sizeof(msg), sig, len, NULL), 0);
			if (sig[0] == 0 || sig[w] == 0) {
				/* Another message, or a changed signature, fails. */
				msg[0] ^= 1;
				assert_int_equal(zk_key_verify(k, msg, sizeof(msg), sig, len, NULL),
				                 ZK_EDNSSEC);
				msg[0] ^= 1;
				sig[2 * w - 1] ^= 1;
				assert_int_equal(zk_key_verify(k, msg, sizeof(msg), sig, len, NULL),
				                 ZK_EDNSSEC);
			}
		}
		assert_true(short_r > 0 && short_s > 0);
		/* Too small a buffer is an error, not an overflow. */
		{
			uint8_t sig[64];
			size_t len = 0;
			if (w == 48)
				assert_int_equal(
				    zk_key_sign(k, sig, 8, sig, sizeof(sig), &len, NULL),
				    ZK_ESPACE);
		}
		zk_key_free(k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walk),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_sign_verify_reuse),
	    cmocka_unit_test(test_ecdsa_widths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
