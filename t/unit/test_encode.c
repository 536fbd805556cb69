/* Unit tests for common/encode.c: RFC 4648 §10 test vectors and strict
 * rejection of everything else. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "encode.h"

/* RFC 4648 §10: the inputs "", "f", "fo", ... "foobar". */
static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
static const char *const b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
static const char *const b16[] = {"",         "66",         "666F",        "666F6F",
                                  "666F6F62", "666F6F6261", "666F6F626172"};
/* §10 BASE32-HEX, with the '=' padding removed (we encode and decode the
 * unpadded form NSEC3 uses, RFC 5155 §3.3). */
static const char *const b32[] = {
    "", "CO======", "CPNG====", "CPNMU===", "CPNMUOG=", "CPNMUOJ1", "CPNMUOJ1E8======"};

typedef int decode_fn(const char *, size_t, uint8_t *, size_t, size_t *);

static int decode(decode_fn *fn, const char *s, uint8_t *out, size_t cap, size_t *len)
{
	*len = 12345;
	int r = fn(s, strlen(s), out, cap, len);
	if (r != 0)
		assert_int_equal(*len, 12345); /* untouched on failure */
	return r;
}

static void test_base64_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < 7; i++) {
		zk_buf_t b;
		uint8_t out[16];
		size_t len;

		zk_buf_init(&b);
		zk_base64_encode(&b, (const uint8_t *)plain[i], strlen(plain[i]));
		assert_int_equal(b.err, 0);
		assert_int_equal(b.len, strlen(b64[i]));
		if (b.len > 0)
			assert_string_equal(b.data, b64[i]);
		zk_buf_free(&b);

		assert_int_equal(decode(zk_base64_decode, b64[i], out, sizeof(out), &len), 0);
		assert_int_equal(len, strlen(plain[i]));
		assert_memory_equal(out, plain[i], len);
		/* exactly enough room works, one less is ZK_ESPACE */
		assert_int_equal(decode(zk_base64_decode, b64[i], out, len, &len), 0);
		if (len > 0)
			assert_int_equal(decode(zk_base64_decode, b64[i], out, len - 1, &len),
			                 ZK_ESPACE);
	}
}

static void test_base64_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "Zg=",         /* length not a multiple of 4 */
	    "Zg",          /* padding missing */
	    "Zm9vY",       /* ditto */
	    "Zg=a",        /* data after padding */
	    "Z===",        /* three pads */
	    "====",        /* nothing but pads */
	    "=Zm9",        /* pad first */
	    "Zg==Zg==",    /* padding in the middle */
	    "Zh==",        /* non-zero pad bits: 'h' = 33, low 4 bits 0001 */
	    "Zm9=",        /* '9' = 61, low 2 bits 01 */
	    "Zm-v",        /* URL-safe alphabet is not base64 */
	    "Zm_v",        /* ditto */
	    "Zm 9v",       /* whitespace is the caller's business */
	    "Zm9v\n",      /* ditto */
	    " Zm9v",       /* OpenSSL would skip this: we do not */
	    "Zm9v Zm9v",   /* ditto */
	    "Zm9\xc3\xa9", /* non-ASCII */
	};
	uint8_t out[64];
	size_t len;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (decode(zk_base64_decode, bad[i], out, sizeof(out), &len) != ZK_EBASE64)
			fail_msg("accepted bad base64 \"%s\"", bad[i]);
	}
	/* a NUL inside the counted length */
	assert_int_equal(zk_base64_decode("Zm\0v", 4, out, sizeof(out), &len), ZK_EBASE64);
	/* all 64 symbols decode, and re-encode to the same text */
	const char *all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	assert_int_equal(decode(zk_base64_decode, all, out, sizeof(out), &len), 0);
	assert_int_equal(len, 48);
	zk_buf_t b;
	zk_buf_init(&b);
	zk_base64_encode(&b, out, len);
	assert_string_equal(b.data, all);
	zk_buf_free(&b);
}

static void test_base64_large(void **state)
{
	(void)state;
	/* Larger than the internal chunks on both sides. */
	size_t n = 100003, len;
	uint8_t *in = malloc(n), *out = malloc(n);
	zk_buf_t b;

	assert_non_null(in);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		in[i] = (uint8_t)(i * 7 + (i >> 8));
	zk_buf_init(&b);
	zk_buf_puts(&b, "x:");
	zk_base64_encode(&b, in, n);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 2 + (n + 2) / 3 * 4);
	assert_int_equal(zk_base64_decode(b.data + 2, b.len - 2, out, n, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(in, out, n);
	assert_int_equal(zk_base64_decode(b.data + 2, b.len - 2, out, n - 1, &len), ZK_ESPACE);
	zk_buf_free(&b);
	free(in);
	free(out);
}

static void test_hex(void **state)
{
	(void)state;
	for (size_t i = 0; i < 7; i++) {
		zk_buf_t b;
		uint8_t out[16];
		size_t len;
		char lower[32];

		zk_buf_init(&b);
		zk_hex_encode(&b, (const uint8_t *)plain[i], strlen(plain[i]), true);
		zk_buf_putc(&b, '|');
		zk_hex_encode(&b, (const uint8_t *)plain[i], strlen(plain[i]), false);
		assert_int_equal(b.err, 0);
		size_t k = strlen(b16[i]);
		for (size_t j = 0; j <= k; j++)
			lower[j] = (char)(b16[i][j] >= 'A' && b16[i][j] <= 'F' ? b16[i][j] + 32
			                                                       : b16[i][j]);
		assert_int_equal(b.len, 2 * k + 1);
		assert_memory_equal(b.data, b16[i], k);
		assert_string_equal(b.data + k + 1, lower);
		zk_buf_free(&b);

		assert_int_equal(decode(zk_hex_decode, b16[i], out, sizeof(out), &len), 0);
		assert_int_equal(len, strlen(plain[i]));
		assert_memory_equal(out, plain[i], len);
		assert_int_equal(decode(zk_hex_decode, lower, out, sizeof(out), &len), 0);
		assert_memory_equal(out, plain[i], len);
		if (len > 0)
			assert_int_equal(decode(zk_hex_decode, b16[i], out, len - 1, &len),
			                 ZK_ESPACE);
	}
	uint8_t out[8];
	size_t len;
	assert_int_equal(decode(zk_hex_decode, "0", out, sizeof(out), &len), ZK_EHEX);
	assert_int_equal(decode(zk_hex_decode, "666", out, sizeof(out), &len), ZK_EHEX);
	assert_int_equal(decode(zk_hex_decode, "0g", out, sizeof(out), &len), ZK_EHEX);
	assert_int_equal(decode(zk_hex_decode, "0 ", out, sizeof(out), &len), ZK_EHEX);
	assert_int_equal(decode(zk_hex_decode, "0x00", out, sizeof(out), &len), ZK_EHEX);
	assert_int_equal(decode(zk_hex_decode, "aBcDeF09", out, sizeof(out), &len), 0);
	assert_memory_equal(out, "\xab\xcd\xef\x09", 4);
	/* bad character beats no space */
	assert_int_equal(decode(zk_hex_decode, "zz", out, 0, &len), ZK_EHEX);
}

static void test_base32hex(void **state)
{
	(void)state;
	for (size_t i = 0; i < 7; i++) {
		char want[32], lower[32];
		size_t k = strcspn(b32[i], "=");
		zk_buf_t b;
		uint8_t out[16];
		size_t len;

		memcpy(want, b32[i], k);
		want[k] = '\0';
		for (size_t j = 0; j <= k; j++)
			lower[j] =
			    (char)(want[j] >= 'A' && want[j] <= 'Z' ? want[j] + 32 : want[j]);

		zk_buf_init(&b);
		zk_base32hex_encode(&b, (const uint8_t *)plain[i], strlen(plain[i]), true);
		zk_buf_putc(&b, '|');
		zk_base32hex_encode(&b, (const uint8_t *)plain[i], strlen(plain[i]), false);
		assert_int_equal(b.err, 0);
		assert_int_equal(b.len, 2 * k + 1);
		assert_memory_equal(b.data, want, k);
		assert_string_equal(b.data + k + 1, lower);
		zk_buf_free(&b);

		assert_int_equal(decode(zk_base32hex_decode, want, out, sizeof(out), &len), 0);
		assert_int_equal(len, strlen(plain[i]));
		assert_memory_equal(out, plain[i], len);
		assert_int_equal(decode(zk_base32hex_decode, lower, out, sizeof(out), &len), 0);
		assert_memory_equal(out, plain[i], len);
		if (len > 0) {
			assert_int_equal(decode(zk_base32hex_decode, want, out, len - 1, &len),
			                 ZK_ESPACE);
			/* the padded RFC form is not accepted */
			assert_int_equal(
			    decode(zk_base32hex_decode, b32[i], out, sizeof(out), &len),
			    strchr(b32[i], '=') ? ZK_EBASE32 : 0);
		}
	}
	/* A real NSEC3 hash (RFC 5155 Appendix A, "example"): 20 octets in
	 * 32 characters, round trip. */
	const char *h = "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom";
	uint8_t out[32];
	size_t len;
	assert_int_equal(decode(zk_base32hex_decode, h, out, sizeof(out), &len), 0);
	assert_int_equal(len, 20);
	zk_buf_t b;
	zk_buf_init(&b);
	zk_base32hex_encode(&b, out, len, false);
	assert_string_equal(b.data, h);
	zk_buf_free(&b);

	static const char *const bad[] = {
	    "C",                     /* 1, 3 or 6 characters cannot end a quantum */
	    "CPN",   "CPNMUO", "CP", /* 'P' leaves two non-zero bits (01) */
	    "CPNH",                  /* 'H' = 17 = 10001: the low 4 bits must be 0 */
	    "CPNMV",                 /* 'V' = 31: low bit set */
	    "W0",                    /* outside the alphabet */
	    "CO==",                  /* padding */
	    "CO ",   "C-",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (decode(zk_base32hex_decode, bad[i], out, sizeof(out), &len) != ZK_EBASE32)
			fail_msg("accepted bad base32hex \"%s\"", bad[i]);
	}
	/* A full 8-character quantum has no spare bits: any last symbol. */
	assert_int_equal(decode(zk_base32hex_decode, "CPNMUOGV", out, sizeof(out), &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(out, "foob\x1f", 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base64_vectors), cmocka_unit_test(test_base64_bad),
	    cmocka_unit_test(test_base64_large),   cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_base32hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
