/* Unit tests for common/crypto.c: digests and HMAC against published
 * vectors (FIPS 180 "abc", RFC 2202 / RFC 4231 test case 2), random,
 * algorithm names, key generation, import/export, sign/verify, and the
 * RFC 6605 / RFC 8080 private keys giving their published public keys. */
#include "config.h"

#include "testutil.h"

#include "crypto.h"
#include "encode.h"

/* ------------------------------------------------------------ digests */

static const struct {
	zk_md_t md;
	const char *abc;  /* digest of "abc" (FIPS 180-2 / RFC 1321 examples) */
	const char *jefe; /* HMAC key "Jefe", RFC 2202 §2-3 / RFC 4231 §4.3 */
} md_vectors[] = {
    {ZK_MD_MD5, "900150983cd24fb0d6963f7d28e17f72", "750c783e6ab0b503eaa86e310a5db738"},
    {ZK_MD_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d",
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {ZK_MD_SHA224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
     "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"},
    {ZK_MD_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {ZK_MD_SHA384,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca13"
     "4c825a7",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecf"
     "ab21649"},
    {ZK_MD_SHA512,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a"
     "3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f"
     "8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
};

static void test_digest_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof md_vectors / sizeof md_vectors[0]; i++) {
		uint8_t want[ZK_MD_MAXSIZE], got[ZK_MD_MAXSIZE];
		size_t wl = unhex(md_vectors[i].abc, want, sizeof want);
		assert_int_equal(zk_md_size(md_vectors[i].md), wl);
		assert_int_equal(zk_digest(md_vectors[i].md, "abc", 3, got), 0);
		assert_memory_equal(got, want, wl);
	}
	assert_int_equal(zk_md_size(0), 0);
	assert_string_equal(zk_md_name(ZK_MD_SHA256), "sha256");
}

static void test_digest_incremental(void **state)
{
	zk_md_ctx_t *c = NULL;
	uint8_t a[32], b[32];
	(void)state;
	assert_int_equal(zk_md_ctx_new(ZK_MD_SHA256, &c), 0);
	assert_int_equal(zk_md_ctx_update(c, "a", 1), 0);
	assert_int_equal(zk_md_ctx_update(c, "bc", 2), 0);
	assert_int_equal(zk_md_ctx_final(c, a), 0);
	/* Reusable after final. */
	assert_int_equal(zk_md_ctx_update(c, "abc", 3), 0);
	assert_int_equal(zk_md_ctx_final(c, b), 0);
	zk_md_ctx_free(c);
	assert_memory_equal(a, b, 32);
	unhex(md_vectors[3].abc, b, sizeof b);
	assert_memory_equal(a, b, 32);
}

static void test_hmac_vectors(void **state)
{
	static const char data[] = "what do ya want for nothing?";
	(void)state;
	for (size_t i = 0; i < sizeof md_vectors / sizeof md_vectors[0]; i++) {
		uint8_t want[ZK_MD_MAXSIZE], got[ZK_MD_MAXSIZE], again[ZK_MD_MAXSIZE];
		size_t wl = unhex(md_vectors[i].jefe, want, sizeof want);
		zk_hmac_ctx_t *c = NULL;
		assert_int_equal(
		    zk_hmac(md_vectors[i].md, (const uint8_t *)"Jefe", 4, data, strlen(data), got),
		    0);
		assert_memory_equal(got, want, wl);
		/* Incremental, then the same key again after final (TSIG
		 * signs every message of a stream with one context). */
		assert_int_equal(zk_hmac_ctx_new(md_vectors[i].md, (const uint8_t *)"Jefe", 4, &c),
		                 0);
		assert_int_equal(zk_hmac_ctx_update(c, data, 10), 0);
		assert_int_equal(zk_hmac_ctx_update(c, data + 10, strlen(data) - 10), 0);
		assert_int_equal(zk_hmac_ctx_final(c, got), 0);
		assert_memory_equal(got, want, wl);
		assert_int_equal(zk_hmac_ctx_update(c, data, strlen(data)), 0);
		assert_int_equal(zk_hmac_ctx_final(c, again), 0);
		assert_memory_equal(again, want, wl);
		zk_hmac_ctx_free(c);
	}
	assert_true(zk_crypto_memeq("abcd", "abcd", 4));
	assert_false(zk_crypto_memeq("abcd", "abce", 4));
}

static void test_random(void **state)
{
	uint8_t a[32], b[32];
	uint32_t v;
	unsigned seen[5] = {0};
	(void)state;
	assert_int_equal(zk_random_bytes(a, sizeof a), 0);
	assert_int_equal(zk_random_bytes(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_int_equal(zk_random_uniform(0, &v), ZK_EINVAL);
	for (int i = 0; i < 500; i++) {
		assert_int_equal(zk_random_uniform(5, &v), 0);
		assert_true(v < 5);
		seen[v]++;
	}
	for (int i = 0; i < 5; i++)
		assert_true(seen[i] > 0);
}

/* --------------------------------------------------------- algorithms */

static void test_alg_names(void **state)
{
	uint8_t a = 0;
	zk_errctx_t ec;
	(void)state;
	assert_int_equal(zk_alg_from_text("ECDSAP256SHA256", &a), 0);
	assert_int_equal(a, 13);
	assert_int_equal(zk_alg_from_text("ed25519", &a), 0);
	assert_int_equal(a, 15);
	assert_int_equal(zk_alg_from_text("RSASHA1-NSEC3-SHA1", &a), 0);
	assert_int_equal(a, 7);
	assert_int_equal(zk_alg_from_text("NSEC3RSASHA1", &a), 0);
	assert_int_equal(a, 7);
	assert_int_equal(zk_alg_from_text("10", &a), 0);
	assert_int_equal(a, 10);
	assert_int_equal(zk_alg_from_text("256", &a), ZK_EINVAL);
	assert_int_equal(zk_alg_from_text("RSASHA3", &a), ZK_EINVAL);
	assert_int_equal(zk_alg_from_text("", &a), ZK_EINVAL);
	assert_string_equal(zk_alg_name(14), "ECDSAP384SHA384");
	assert_string_equal(zk_alg_name(16), "ED448");
	assert_null(zk_alg_name(200));
	assert_true(zk_alg_supported(5));
	assert_false(zk_alg_supported(1)); /* RSAMD5: MUST NOT (RFC 8624) */
	assert_false(zk_alg_supported(3));
	assert_false(zk_alg_supported(12));
	assert_int_equal(zk_alg_default_bits(8), 2048);
	assert_int_equal(zk_alg_default_bits(13), 256);
	assert_int_equal(zk_alg_default_bits(16), 456);
	zk_errctx_init(&ec);
	assert_int_equal(zk_alg_check_bits(8, 512, &ec), ZK_ERANGE);
	assert_non_null(strstr(ec.msg, "unsafe"));
	assert_int_equal(zk_alg_check_bits(8, 8192, NULL), ZK_ERANGE);
	assert_int_equal(zk_alg_check_bits(8, 1024, NULL), 0);
	assert_int_equal(zk_alg_check_bits(13, 384, NULL), ZK_ERANGE);
	assert_int_equal(zk_alg_check_bits(2, 1024, NULL), ZK_EUNSUPP);
	assert_int_equal(zk_alg_md(10), ZK_MD_SHA512);
	assert_int_equal(zk_alg_md(15), 0);
}

/* ---------------------------------------------------------------- keys */

static void roundtrip(uint8_t alg, unsigned bits, size_t publen, size_t siglen)
{
	zk_key_t *k = NULL, *pub = NULL, *k2 = NULL, *k3 = NULL;
	zk_key_material_t m;
	uint8_t p[1024], p2[1024], sig[1024];
	size_t pl = 0, pl2 = 0, sl = 0;
	char *pem = NULL;
	size_t peml = 0;
	static const uint8_t msg[] = "the quick brown fox";
	zk_errctx_t ec;
	zk_errctx_init(&ec);

	assert_int_equal(zk_key_generate(alg, bits, &k, &ec), 0);
	assert_int_equal(zk_key_alg(k), alg);
	assert_true(zk_key_is_private(k));
	assert_int_equal(zk_key_bits(k), bits ? bits : zk_alg_default_bits(alg));
	assert_int_equal(zk_key_public(k, p, sizeof p, &pl), 0);
	assert_int_equal(pl, publen);
	assert_int_equal(zk_key_sig_size(k), siglen);
	assert_int_equal(zk_key_sign(k, msg, sizeof msg, sig, sizeof sig, &sl, &ec), 0);
	assert_int_equal(sl, siglen);

	/* The public half verifies, and rejects a changed message or
	 * signature. */
	assert_int_equal(zk_key_from_public(alg, p, pl, &pub, &ec), 0);
	assert_false(zk_key_is_private(pub));
	assert_int_equal(zk_key_verify(pub, msg, sizeof msg, sig, sl, &ec), 0);
	assert_int_equal(zk_key_verify(pub, msg, sizeof msg - 1, sig, sl, &ec), ZK_EDNSSEC);
	sig[sl / 2] ^= 1;
	assert_int_equal(zk_key_verify(pub, msg, sizeof msg, sig, sl, &ec), ZK_EDNSSEC);
	assert_int_equal(zk_key_verify(pub, msg, sizeof msg, sig, sl - 1, &ec), ZK_EDNSSEC);
	assert_int_equal(zk_key_sign(pub, msg, sizeof msg, sig, sizeof sig, &sl, &ec), ZK_EKEY);

	/* Export, import against the right and a wrong public key. */
	assert_int_equal(zk_key_export(k, &m), 0);
	assert_int_equal(zk_key_import(alg, &m, p, pl, &k2, &ec), 0);
	assert_int_equal(zk_key_public(k2, p2, sizeof p2, &pl2), 0);
	assert_int_equal(pl2, pl);
	assert_memory_equal(p, p2, pl);
	p2[pl2 - 1] ^= 0x40;
	assert_int_equal(zk_key_import(alg, &m, p2, pl2, &k3, &ec), ZK_EKEY);
	assert_non_null(strstr(ec.msg, "does not match"));
	zk_key_material_clear(&m);
	for (unsigned i = 0; i < ZK_KF_COUNT; i++)
		assert_null(m.f[i]);
	assert_int_equal(zk_key_export(pub, &m), ZK_EKEY);

	/* PEM (PKCS#8) both ways. */
	assert_int_equal(zk_key_to_pem(k, &pem, &peml), 0);
	assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
	assert_int_equal(zk_key_from_pem(alg, pem, peml, &k3, &ec), 0);
	assert_int_equal(zk_key_alg(k3), alg);
	assert_int_equal(zk_key_public(k3, p2, sizeof p2, &pl2), 0);
	assert_memory_equal(p, p2, pl);
	zk_crypto_cleanse(pem, peml);
	free(pem);

	zk_key_free(k);
	zk_key_free(k2);
	zk_key_free(k3);
	zk_key_free(pub);
}

static void test_keys_rsa(void **state)
{
	zk_key_t *k = NULL;
	zk_errctx_t ec;
	(void)state;
	/* RFC 3110: 1-octet exponent length, 3-octet 65537, modulus. */
	roundtrip(8, 1024, 1 + 3 + 128, 128);
	roundtrip(10, 2048, 1 + 3 + 256, 256);
	roundtrip(5, 1024, 1 + 3 + 128, 128);
	zk_errctx_init(&ec);
	assert_int_equal(zk_key_generate(8, 768, &k, &ec), ZK_ERANGE);
	assert_null(k);
	assert_non_null(strstr(ec.msg, "unsafe"));
}

static void test_keys_ec_ed(void **state)
{
	(void)state;
	roundtrip(13, 0, 64, 64);
	roundtrip(14, 0, 96, 96);
	roundtrip(15, 0, 32, 64);
	roundtrip(16, 0, 57, 114);
}

/* RFC 6605 §6.1/§6.2 and RFC 8080 §6.1/§6.2: the published private keys
 * give the published public keys. */
static void test_published_keys(void **state)
{
	static const struct {
		uint8_t alg;
		const char *priv, *pub;
	} v[] = {
	    {13, "GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=",
	     "GojIhhXUN/"
	     "u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="},
	    {14, "WURgWHCcYIYUPWgeLmiPY2DJJk02vgrmTfitxgqcL4vwW7BOrbawVmVe0d9V94SR",
	     "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/"
	     "egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/"
	     "uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40"},
	    {15, "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=",
	     "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="},
	    {15, "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=",
	     "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs="},
	    {16, "xZ+5Cgm463xugtkY5B0Jx6erFTXp13rYegst0qRtNsOYnaVpMx0Z/c5EiA9x8wWbDDct/U3FhYWA",
	     "3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA"},
	    {16, "WEykD3ht3MHkU8iH4uVOLz8JLwtRBSqiBoM6fF72+Mrp/u5gjxuB1DV6NnPO2BlZdz4hdSTkOdOA",
	     "kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t priv[64], pub[128], got[128];
		size_t pl, gl = 0;
		zk_key_material_t m;
		zk_key_t *k = NULL;
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		memset(&m, 0, sizeof m);
		m.len[ZK_KF_PRIVATEKEY] = unb64(v[i].priv, priv, sizeof priv);
		m.f[ZK_KF_PRIVATEKEY] = priv;
		pl = unb64(v[i].pub, pub, sizeof pub);
		/* Without a public key to check against: derived. */
		assert_int_equal(zk_key_import(v[i].alg, &m, NULL, 0, &k, &ec), 0);
		assert_int_equal(zk_key_public(k, got, sizeof got, &gl), 0);
		assert_int_equal(gl, pl);
		assert_memory_equal(got, pub, pl);
		zk_key_free(k);
		/* A private key of the wrong length is refused. */
		m.len[ZK_KF_PRIVATEKEY]--;
		assert_int_equal(zk_key_import(v[i].alg, &m, pub, pl, &k, &ec), ZK_EKEY);
	}
}

/* An ECDSA private key is an integer: ldns-keygen writes it without
 * leading zero octets, so 1 key in 256 has a 31-octet (or shorter)
 * PrivateKey. d = 1 written as one octet must give Q = G, the P-256 base
 * point (SEC 2 / FIPS 186-4 D.1.2.3), the same as d = 1 in 32 octets. */
static void test_ec_short_scalar(void **state)
{
	static const uint8_t g[64] = {
	    0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
	    0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1,
	    0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f,
	    0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57,
	    0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5};
	uint8_t d[33] = {0}, got[128];
	size_t gl = 0;
	zk_key_material_t m;
	zk_key_t *k = NULL;
	zk_errctx_t ec;
	(void)state;

	memset(&m, 0, sizeof m);
	m.f[ZK_KF_PRIVATEKEY] = d;
	for (size_t len = 1; len <= 32; len += 31) {
		d[len - 1] = 1;
		m.len[ZK_KF_PRIVATEKEY] = len;
		zk_errctx_init(&ec);
		assert_int_equal(zk_key_import(ZK_ALG_ECDSAP256SHA256, &m, g, sizeof g, &k, &ec),
		                 0);
		assert_int_equal(zk_key_public(k, got, sizeof got, &gl), 0);
		assert_int_equal(gl, 64);
		assert_memory_equal(got, g, 64);
		zk_key_free(k);
		d[len - 1] = 0;
	}
	/* no octets, more than the curve's, or zero: refused */
	m.len[ZK_KF_PRIVATEKEY] = 0;
	assert_int_equal(zk_key_import(ZK_ALG_ECDSAP256SHA256, &m, NULL, 0, &k, &ec), ZK_EKEY);
	d[32] = 1;
	m.len[ZK_KF_PRIVATEKEY] = 33;
	assert_int_equal(zk_key_import(ZK_ALG_ECDSAP256SHA256, &m, NULL, 0, &k, &ec), ZK_EKEY);
	d[32] = 0;
	m.len[ZK_KF_PRIVATEKEY] = 31;
	assert_int_equal(zk_key_import(ZK_ALG_ECDSAP256SHA256, &m, NULL, 0, &k, &ec), ZK_EKEY);
}

static void test_bad_public(void **state)
{
	zk_key_t *k = NULL;
	uint8_t buf[200];
	zk_errctx_t ec;
	(void)state;
	zk_errctx_init(&ec);
	memset(buf, 0x11, sizeof buf);
	/* ECDSA point not on the curve. */
	assert_int_equal(zk_key_from_public(13, buf, 64, &k, &ec), ZK_EKEY);
	assert_int_equal(zk_key_from_public(13, buf, 63, &k, &ec), ZK_EKEY);
	assert_int_equal(zk_key_from_public(15, buf, 31, &k, &ec), ZK_EKEY);
	/* RSA: exponent length running past the end, empty, leading zero. */
	buf[0] = 200;
	assert_int_equal(zk_key_from_public(8, buf, 100, &k, &ec), ZK_EKEY);
	assert_int_equal(zk_key_from_public(8, buf, 0, &k, &ec), ZK_EKEY);
	buf[0] = 1;
	buf[2] = 0;
	assert_int_equal(zk_key_from_public(8, buf, 100, &k, &ec), ZK_EKEY);
	assert_int_equal(zk_key_from_public(1, buf, 100, &k, &ec), ZK_EUNSUPP);
	assert_null(k);
	/* An encrypted or garbage PEM is refused without prompting. */
	assert_int_equal(zk_key_from_pem(0, "garbage", 7, &k, &ec), ZK_EKEY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_digest_vectors), cmocka_unit_test(test_digest_incremental),
	    cmocka_unit_test(test_hmac_vectors),   cmocka_unit_test(test_random),
	    cmocka_unit_test(test_alg_names),      cmocka_unit_test(test_keys_rsa),
	    cmocka_unit_test(test_keys_ec_ed),     cmocka_unit_test(test_published_keys),
	    cmocka_unit_test(test_bad_public),     cmocka_unit_test(test_ec_short_scalar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
