/* Unit tests for common/dnssec.c against RFC vectors (t/data/keys/README):
 * key tags (RFC 4034 App. B), DS (RFC 4034 §5.4, RFC 4509 §2.3,
 * RFC 6605 §6, RFC 8080 §6), RRSIG reproduced byte for byte (RFC 5702 §6
 * RSA; RFC 8080 §6 EdDSA with erratum 4935), RFC 6605 ECDSA RRSIGs
 * verified, canonical form and order, wildcards, validity windows. */
#include "config.h"

#include "testutil.h"

#include "dnssec.h"
#include "encode.h"
#include "keyfile.h"
#include "rrtype.h"

static size_t dnskey(uint16_t flags, uint8_t alg, const char *b64, uint8_t *out, size_t cap)
{
	zk_put_u16(out, flags);
	out[2] = 3;
	out[3] = alg;
	return 4 + unb64(b64, out + 4, cap - 4);
}

/* t/data/keys/<file>. */
static void load(zk_keyfile_t *kf, const char *file)
{
	char rel[512], path[4096];
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	snprintf(rel, sizeof(rel), "keys/%s", file);
	data_path(path, sizeof(path), rel);
	zk_keyfile_init(kf);
	if (zk_keyfile_read(kf, path, true, &ec) != 0)
		fail_msg("%s: %s", path, ec.msg);
}

/* RFC 4034 §5.4 / RFC 4509 §2.3 DNSKEY. */
static const char dskey_b64[] =
    "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXd"
    "vxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";

static void test_keytag(void **state)
{
	static const struct {
		uint16_t flags;
		uint8_t alg;
		const char *b64;
		uint16_t tag;
	} v[] = {
	    {256, 5, dskey_b64, 60485}, /* RFC 4034 §5.4 */
	    /* RFC 4034 §2.3; tag 2642 as in the §3.3 RRSIG */
	    {256, 5,
	     "AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/"
	     "0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6"
	     "RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==",
	     2642},
	    {256, 8,
	     "AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/"
	     "DlUmObdk=",
	     9033}, /* RFC 5702 §6.1 */
	    {257, 13,
	     "GojIhhXUN/"
	     "u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
	     55648},                                                          /* RFC 6605 §6.1 */
	    {257, 15, "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", 3613},  /* RFC 8080 §6.1 */
	    {257, 15, "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 35217}, /* RFC 8080 §6.1 */
	    {257, 16,
	     "3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA",
	     9713}, /* RFC 8080 §6.2 */
	};
	uint8_t rd[512];
	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t n = dnskey(v[i].flags, v[i].alg, v[i].b64, rd, sizeof rd);
		assert_int_equal(zk_dnssec_keytag(rd, n), v[i].tag);
	}
	/* App. B.1: algorithm 1 uses modulus octets n-3, n-2. */
	rd[3] = 1;
	rd[10] = 0x12;
	rd[11] = 0x34;
	rd[12] = 0x56;
	assert_int_equal(zk_dnssec_keytag(rd, 13), 0x1234);
	assert_int_equal(zk_dnssec_keytag(rd, 3), 0);
}

static void check_ds(const char *owner, uint16_t flags, uint8_t alg, const char *b64, uint8_t dt,
                     uint16_t tag, const char *hex)
{
	uint8_t rd[512], ds[128], want[64];
	size_t n = dnskey(flags, alg, b64, rd, sizeof rd), dl = 0, wl;
	zk_name_t o = name(owner);
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	assert_int_equal(zk_dnssec_ds(&o, rd, n, dt, ds, sizeof ds, &dl, &ec), 0);
	wl = unhex(hex, want, sizeof want);
	assert_int_equal(dl, 4 + wl);
	assert_int_equal(zk_get_u16(ds), tag);
	assert_int_equal(ds[2], alg);
	assert_int_equal(ds[3], dt);
	assert_memory_equal(ds + 4, want, wl);
}

static void test_ds(void **state)
{
	(void)state;
	/* RFC 4034 §5.4, RFC 4509 §2.3; the owner's case must not matter. */
	check_ds("dskey.example.com.", 256, 5, dskey_b64, 1, 60485,
	         "2BB183AF5F22588179A53B0A98631FAD1A292118");
	check_ds("DSKEY.Example.COM.", 256, 5, dskey_b64, 2, 60485,
	         "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A");
	/* RFC 6605 §6.1 (SHA-256) and §6.2 (SHA-384). */
	check_ds("example.net.", 257, 13,
	         "GojIhhXUN/"
	         "u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
	         2, 55648, "b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17");
	check_ds("example.net.", 257, 14,
	         "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/"
	         "egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/"
	         "uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40",
	         4, 10771,
	         "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c"
	         "3008a946"
	         "df983d6");
	/* RFC 8080 §6.1, §6.2. */
	check_ds("example.com.", 257, 15, "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", 2, 3613,
	         "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b");
	check_ds("example.com.", 257, 15, "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 2, 35217,
	         "401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c");
	check_ds("example.com.", 257, 16,
	         "3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA", 2,
	         9713, "6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d368048db93dd811f5cb2b19c7");
	check_ds("example.com.", 257, 16,
	         "kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA", 2,
	         38353, "645ff078b3568f5852b70cb60e8e696cc77b75bfaaffc118cf79cbda1ba28af4");
}

static void test_ds_names(void **state)
{
	uint8_t t = 0, rd[8] = {1, 0, 3, 8, 1, 2, 3, 4}, ds[64];
	size_t dl;
	zk_name_t o = name("x.");
	(void)state;
	assert_int_equal(zk_ds_digest_from_text("SHA-1", &t), 0);
	assert_int_equal(t, 1);
	assert_int_equal(zk_ds_digest_from_text("sha256", &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(zk_ds_digest_from_text("SHA-384", &t), 0);
	assert_int_equal(t, 4);
	assert_int_equal(zk_ds_digest_from_text("4", &t), 0);
	assert_int_equal(t, 4);
	assert_int_equal(zk_ds_digest_from_text("GOST", &t), ZK_EINVAL);
	assert_int_equal(zk_ds_digest_size(2), 32);
	assert_int_equal(zk_ds_digest_size(3), 0);
	assert_string_equal(zk_ds_digest_name(1), "SHA-1");
	assert_int_equal(zk_dnssec_ds(&o, rd, sizeof rd, 3, ds, sizeof ds, &dl, NULL), ZK_EUNSUPP);
	assert_int_equal(zk_dnssec_ds(&o, rd, sizeof rd, 2, ds, 20, &dl, NULL), ZK_ESPACE);
	assert_int_equal(zk_dnssec_ds(&o, rd, 3, 2, ds, sizeof ds, &dl, NULL), ZK_ERDATA);
}

/* An RRSIG rdata from its fields and a base64 signature. */
static size_t rrsig(uint8_t *out, uint16_t type, uint8_t alg, uint8_t labels, uint32_t ttl,
                    uint32_t exp, uint32_t inc, uint16_t tag, const char *signer, const char *b64)
{
	zk_wbuf_t w;
	zk_name_t s = name(signer);
	uint8_t sig[600];
	size_t sl = unb64(b64, sig, sizeof sig);
	zk_wbuf_init(&w, out, 1024);
	zk_wbuf_u16(&w, type);
	zk_wbuf_u8(&w, alg);
	zk_wbuf_u8(&w, labels);
	zk_wbuf_u32(&w, ttl);
	zk_wbuf_u32(&w, exp);
	zk_wbuf_u32(&w, inc);
	zk_wbuf_u16(&w, tag);
	zk_name_to_wire(&s, &w);
	zk_wbuf_bytes(&w, sig, sl);
	assert_int_equal(w.err, 0);
	return w.len;
}

/* Sign with kf and compare to the expected RRSIG; verify it too. */
static void sign_exact(zk_keyfile_t *kf, const zk_rr_t *rrs, size_t n, uint32_t inc, uint32_t exp,
                       const uint8_t *want, size_t wl)
{
	uint8_t out[1024];
	size_t ol = 0;
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	if (zk_dnssec_sign(kf->key, kf->keytag, &kf->owner, rrs, n, inc, exp, out, sizeof out, &ol,
	                   &ec) != 0)
		fail_msg("sign: %s", ec.msg);
	assert_int_equal(ol, wl);
	assert_memory_equal(out, want, wl);
	if (zk_dnssec_verify(kf->rdata, kf->rdlen, want, wl, rrs, n, &ec) != 0)
		fail_msg("verify: %s", ec.msg);
}

static void test_rfc5702_rsa(void **state)
{
	/* RFC 5702 §6.1/§6.2: www.example.net. 3600 IN A 192.0.2.91. */
	zk_name_t owner = name("www.example.net.");
	static const uint8_t a[4] = {192, 0, 2, 91};
	zk_rr_t rr = {&owner, ZK_TYPE_A, ZK_CLASS_IN, 3600, 4, a};
	zk_keyfile_t kf;
	uint8_t want[1024];
	size_t wl;
	(void)state;

	load(&kf, "Kexample.net.+008+09033");
	assert_int_equal(kf.keytag, 9033);
	wl = rrsig(want, ZK_TYPE_A, 8, 3, 3600, 1893456000, 946684800, 9033, "example.net.",
	           "kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/"
	           "lPtPiVYP4bwg==");
	sign_exact(&kf, &rr, 1, 946684800, 1893456000, want, wl);
	zk_keyfile_clear(&kf);

	load(&kf, "Kexample.net.+010+03740");
	assert_int_equal(kf.keytag, 3740);
	wl = rrsig(
	    want, ZK_TYPE_A, 10, 3, 3600, 1893456000, 946684800, 3740, "example.net.",
	    "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+"
	    "eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGY"
	    "gZBWm/"
	    "zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=");
	sign_exact(&kf, &rr, 1, 946684800, 1893456000, want, wl);
	zk_keyfile_clear(&kf);
}

static void test_rfc8080_eddsa(void **state)
{
	/* RFC 8080 §6: example.com. 3600 IN MX 10 mail.example.com.; the
	 * signatures of erratum 4935 (labels 2; the RFC's labels 3 was the
	 * erratum). */
	static const struct {
		const char *file;
		const char *sig;
	} v[] = {
	    {"Kexample.com.+015+03613",
	     "oL9krJun7xfBOIWcGHi7mag5/"
	     "hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg=="},
	    {"Kexample.com.+015+35217", "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnz"
	                                "QoSm5poJ7gD7AQR0O7KuI5k2pcBg=="},
	    {"Kexample.com.+016+09713",
	     "3cPAHkmlnxcDHMyg7vFC34l0blBhuG1qpwLmjInI8w1CMB29FkEAIJUA0amxWndkmnBZ6SKiwZSAxGILn/"
	     "NBtOXft0+Gj7FSvOKxE/07+4RQvE581N3Aj/JtIyaiYVdnYtyMWbSNyGEY2213WKsJlwEA"},
	    {"Kexample.com.+016+38353",
	     "E1/oLjSGIbmLny/4fcgM1z4oL6aqo+izT3urCyHyvEp4Sp8Syg1eI+lJ57CSnZqjJP41O/"
	     "9l4m0AsQ4f7qI1gVnML8vWWiyW2KXhT9kuAICUSxv5OWbf81Rq7Yu60npabODB0QFPb/rkW3kUZmQ0YQUA"},
	};
	zk_name_t owner = name("example.com."), mail = name("mail.example.com.");
	uint8_t mx[64];
	zk_rr_t rr = {&owner, ZK_TYPE_MX, ZK_CLASS_IN, 3600, 0, mx};
	(void)state;
	zk_put_u16(mx, 10);
	memcpy(mx + 2, mail.wire, mail.len);
	rr.rdlen = (uint16_t)(2 + mail.len);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		zk_keyfile_t kf;
		uint8_t want[1024];
		size_t wl;
		load(&kf, v[i].file);
		wl = rrsig(want, ZK_TYPE_MX, kf.alg, 2, 3600, 1440021600, 1438207200, kf.keytag,
		           "example.com.", v[i].sig);
		sign_exact(&kf, &rr, 1, 1438207200, 1440021600, want, wl);
		/* The RFC's published form (labels 3) is wrong for this owner. */
		want[3] = 3;
		assert_int_equal(zk_dnssec_verify(kf.rdata, kf.rdlen, want, wl, &rr, 1, NULL),
		                 ZK_EDNSSEC);
		zk_keyfile_clear(&kf);
	}
}

static void test_rfc6605_ecdsa(void **state)
{
	/* RFC 6605 §6: www.example.net. 3600 IN A 192.0.2.1. Signatures are
	 * randomized: verify the published ones and our own. */
	static const struct {
		const char *file;
		uint32_t exp, inc;
		const char *sig;
	} v[] = {
	    {"Kexample.net.+013+55648", 1284026679, 1281607479,
	     "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+"
	     "3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw=="},
	    {"Kexample.net.+014+10771", 1284027625, 1281608425,
	     "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuyd"
	     "Cuz"
	     "WTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm"},
	};
	zk_name_t owner = name("www.example.net.");
	static const uint8_t a[4] = {192, 0, 2, 1};
	zk_rr_t rr = {&owner, ZK_TYPE_A, ZK_CLASS_IN, 3600, 4, a};
	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		zk_keyfile_t kf;
		uint8_t pub[1024], mine[1024];
		size_t pl, ml = 0;
		zk_rrsig_t parsed;
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		load(&kf, v[i].file);
		pl = rrsig(pub, ZK_TYPE_A, kf.alg, 3, 3600, v[i].exp, v[i].inc, kf.keytag,
		           "example.net.", v[i].sig);
		if (zk_dnssec_verify(kf.rdata, kf.rdlen, pub, pl, &rr, 1, &ec) != 0)
			fail_msg("%s: %s", v[i].file, ec.msg);
		assert_int_equal(zk_rrsig_parse(pub, pl, &parsed, NULL), 0);
		assert_int_equal(parsed.keytag, kf.keytag);
		assert_int_equal(
		    zk_dnssec_check_window(parsed.inception, parsed.expiration, v[i].inc + 1, NULL),
		    0);
		assert_int_equal(zk_dnssec_sign(kf.key, kf.keytag, &kf.owner, &rr, 1, v[i].inc,
		                                v[i].exp, mine, sizeof mine, &ml, &ec),
		                 0);
		assert_int_equal(ml, pl);
		assert_memory_equal(mine, pub, pl - zk_key_sig_size(kf.key));
		assert_int_equal(zk_dnssec_verify(kf.rdata, kf.rdlen, mine, ml, &rr, 1, &ec), 0);
		/* One bit off anywhere in the signed data fails. */
		pub[pl - 5] ^= 0x10;
		assert_int_equal(zk_dnssec_verify(kf.rdata, kf.rdlen, pub, pl, &rr, 1, &ec),
		                 ZK_EDNSSEC);
		pub[pl - 5] ^= 0x10;
		pub[5] ^= 1; /* original TTL */
		assert_int_equal(zk_dnssec_verify(kf.rdata, kf.rdlen, pub, pl, &rr, 1, &ec),
		                 ZK_EDNSSEC);
		zk_keyfile_clear(&kf);
	}
}

static void test_canonical_input(void **state)
{
	/* RFC 4034 §6.2/§6.3: case of owner and of NS targets, order of
	 * rdata and duplicates do not change the signing input. */
	zk_name_t o1 = name("Example.NET."), o2 = name("example.net.");
	zk_name_t n1 = name("NS2.Example.net."), n2 = name("ns1.example.net.");
	zk_name_t n1l = name("ns2.example.net.");
	zk_rr_t a[3] = {{&o1, ZK_TYPE_NS, 1, 300, n1.len, n1.wire},
	                {&o1, ZK_TYPE_NS, 1, 300, n2.len, n2.wire},
	                {&o1, ZK_TYPE_NS, 1, 300, n2.len, n2.wire}};
	zk_rr_t b[2] = {{&o2, ZK_TYPE_NS, 1, 300, n2.len, n2.wire},
	                {&o2, ZK_TYPE_NS, 1, 300, n1l.len, n1l.wire}};
	uint8_t fixed[4] = {1, 2, 3, 4};
	zk_buf_t x, y, want;
	(void)state;
	zk_buf_init(&x);
	zk_buf_init(&y);
	zk_buf_init(&want);
	assert_int_equal(zk_dnssec_signing_input(fixed, 4, 2, 3600, a, 3, &x, NULL), 0);
	assert_int_equal(zk_dnssec_signing_input(fixed, 4, 2, 3600, b, 2, &y, NULL), 0);
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.data, y.data, x.len);
	/* Exactly: fixed | (owner type class origTTL rdlen rdata) x2 sorted. */
	zk_buf_put(&want, fixed, 4);
	for (int i = 0; i < 2; i++) {
		const zk_name_t *t = i == 0 ? &n2 : &n1l;
		uint8_t h[10] = {0, 2, 0, 1, 0, 0, 0x0e, 0x10, 0, t->len};
		zk_buf_put(&want, o2.wire, o2.len);
		zk_buf_put(&want, h, 10);
		zk_buf_put(&want, t->wire, t->len);
	}
	assert_int_equal(x.len, want.len);
	assert_memory_equal(x.data, want.data, x.len);
	/* Not one RRset. */
	a[1].type = ZK_TYPE_A;
	zk_buf_reset(&x);
	assert_int_equal(zk_dnssec_signing_input(fixed, 4, 2, 3600, a, 2, &x, NULL), ZK_EINVAL);
	zk_buf_free(&x);
	zk_buf_free(&y);
	zk_buf_free(&want);
}

static void test_wildcard(void **state)
{
	/* RFC 4035 §5.3.2: a.b.example.com synthesized from *.example.com
	 * carries labels 2; the signing input uses "*.example.com". */
	zk_name_t w = name("*.example.com."), syn = name("a.b.example.com."),
	          zone = name("example.com.");
	static const uint8_t a[4] = {192, 0, 2, 7};
	zk_rr_t rw = {&w, ZK_TYPE_A, 1, 60, 4, a}, rs = {&syn, ZK_TYPE_A, 1, 60, 4, a};
	zk_key_t *k = NULL;
	uint8_t rd[128], sig[256];
	size_t rl = 0, sl = 0;
	zk_buf_t x, y;
	uint8_t fixed[2] = {9, 9};
	(void)state;
	assert_int_equal(zk_dnssec_labels(&w), 2);
	assert_int_equal(zk_dnssec_labels(&syn), 4);
	assert_int_equal(zk_dnssec_labels(&zk_name_root), 0);
	zk_buf_init(&x);
	zk_buf_init(&y);
	assert_int_equal(zk_dnssec_signing_input(fixed, 2, 2, 60, &rw, 1, &x, NULL), 0);
	assert_int_equal(zk_dnssec_signing_input(fixed, 2, 2, 60, &rs, 1, &y, NULL), 0);
	assert_int_equal(x.len, y.len);
	assert_memory_equal(x.data, y.data, x.len);
	assert_int_equal(zk_dnssec_signing_input(fixed, 2, 5, 60, &rs, 1, &y, NULL), ZK_EDNSSEC);
	zk_buf_free(&x);
	zk_buf_free(&y);

	/* Sign the wildcard, verify the synthesized answer. */
	assert_int_equal(zk_key_generate(15, 0, &k, NULL), 0);
	assert_int_equal(zk_dnssec_dnskey_rdata(k, 257, rd, sizeof rd, &rl), 0);
	assert_int_equal(zk_dnssec_sign(k, zk_dnssec_keytag(rd, rl), &zone, &rw, 1, 100, 200, sig,
	                                sizeof sig, &sl, NULL),
	                 0);
	assert_int_equal(sig[3], 2);
	assert_int_equal(zk_dnssec_verify(rd, rl, sig, sl, &rs, 1, NULL), 0);
	/* Outside the zone. */
	assert_int_equal(zk_dnssec_sign(k, 1, &syn, &rw, 1, 100, 200, sig, sizeof sig, &sl, NULL),
	                 ZK_EINVAL);
	/* Wrong key tag and algorithm are caught before the crypto. */
	rd[3] = 13;
	assert_int_equal(zk_dnssec_verify(rd, rl, sig, sl, &rs, 1, NULL), ZK_EDNSSEC);
	zk_key_free(k);
}

static void test_window(void **state)
{
	zk_errctx_t ec;
	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_dnssec_check_window(100, 200, 150, NULL), 0);
	assert_int_equal(zk_dnssec_check_window(100, 200, 100, NULL), 0);
	assert_int_equal(zk_dnssec_check_window(100, 200, 200, NULL), 0);
	assert_int_equal(zk_dnssec_check_window(100, 200, 99, &ec), ZK_EDNSSEC);
	assert_non_null(strstr(ec.msg, "not yet valid"));
	assert_int_equal(zk_dnssec_check_window(100, 200, 201, &ec), ZK_EDNSSEC);
	assert_non_null(strstr(ec.msg, "expired"));
	/* RFC 4034 §3.1.5: serial arithmetic across the 32-bit wrap. */
	assert_int_equal(zk_dnssec_check_window(0xfffffff0u, 0x10, 0x5, NULL), 0);
	assert_int_equal(zk_dnssec_check_window(0xfffffff0u, 0x10, 0x11, NULL), ZK_EDNSSEC);
}

static void test_keyset(void **state)
{
	/* The offline-KSK fragment: RFC 8080 keys 3613 (signing) and 35217,
	 * 20150729220000..20150819220000. Ed25519 is deterministic and
	 * dnssec-signzone gives this same signature (t/data/keys/README). */
	zk_keyfile_t ksk, other;
	zk_rr_t keys[3], sig;
	uint8_t rd[512], want[512];
	size_t rl = 0, wl;
	unsigned good = 0;
	zk_errctx_t ec;
	(void)state;
	zk_errctx_init(&ec);
	load(&ksk, "Kexample.com.+015+03613");
	load(&other, "Kexample.com.+015+35217");
	for (int i = 0; i < 2; i++) {
		zk_keyfile_t *k = i ? &other : &ksk;
		keys[i] =
		    (zk_rr_t){&ksk.owner, ZK_TYPE_DNSKEY, 1, 3600, (uint16_t)k->rdlen, k->rdata};
	}
	wl = rrsig(
	    want, ZK_TYPE_DNSKEY, 15, 2, 3600, 1440021600, 1438207200, 3613, "example.com.",
	    "TzRfwyQxxdHnNhNLEE/8Ux6F2In+BDxOmRNm3eEWyd1I/iWz5OcF/z3DoLk9DNTKwYKcTU+PIyc9j8++x/"
	    "Z3AA==");
	/* Order of the keys does not matter (RFC 4034 §6.3). */
	zk_rr_t swapped[2] = {keys[1], keys[0]};
	sign_exact(&ksk, swapped, 2, 1438207200, 1440021600, want, wl);
	sig = (zk_rr_t){&ksk.owner, ZK_TYPE_RRSIG, 1, 3600, (uint16_t)wl, want};
	assert_int_equal(zk_dnssec_verify_keyset(keys, 2, &sig, 1, 1438300000, &good, &ec), 0);
	assert_int_equal(good, 1);
	assert_int_equal(zk_dnssec_verify_keyset(keys, 2, &sig, 1, 1440021601, &good, &ec),
	                 ZK_EDNSSEC);
	assert_string_equal(
	    ec.msg, "RRSIG by key 3613: signature expired (expiration 1440021600, now 1440021601)");
	assert_int_equal(zk_dnssec_verify_keyset(keys, 2, NULL, 0, 1438300000, NULL, &ec),
	                 ZK_EDNSSEC);
	/* A key slipped in after signing. */
	{
		zk_key_t *k = NULL;
		assert_int_equal(zk_key_generate(15, 0, &k, NULL), 0);
		assert_int_equal(zk_dnssec_dnskey_rdata(k, 256, rd, sizeof rd, &rl), 0);
		keys[2] = (zk_rr_t){&ksk.owner, ZK_TYPE_DNSKEY, 1, 3600, (uint16_t)rl, rd};
		assert_int_equal(zk_dnssec_verify_keyset(keys, 3, &sig, 1, 1438300000, NULL, &ec),
		                 ZK_EDNSSEC);
		assert_string_equal(ec.msg, "RRSIG by key 3613: ED25519 signature does not verify");
		zk_key_free(k);
	}
	/* Signed by a key that is not in the set. */
	assert_int_equal(zk_dnssec_verify_keyset(keys + 1, 1, &sig, 1, 1438300000, NULL, &ec),
	                 ZK_EDNSSEC);
	assert_string_equal(ec.msg, "RRSIG by key 3613 (algorithm 15): no such DNSKEY in the set");
	zk_keyfile_clear(&ksk);
	zk_keyfile_clear(&other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keytag),          cmocka_unit_test(test_ds),
	    cmocka_unit_test(test_ds_names),        cmocka_unit_test(test_rfc5702_rsa),
	    cmocka_unit_test(test_rfc8080_eddsa),   cmocka_unit_test(test_rfc6605_ecdsa),
	    cmocka_unit_test(test_canonical_input), cmocka_unit_test(test_wildcard),
	    cmocka_unit_test(test_window),          cmocka_unit_test(test_keyset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
