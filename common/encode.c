/* encode — base16, base32hex (RFC 4648 §7) and base64 (RFC 4648 §4).
 *
 * Base64 goes through OpenSSL's block coder; OpenSSL is lenient (it skips
 * whitespace and does not check the bits below the last full octet), so the
 * strict checks DNS presentation format needs are done here first: only the
 * alphabet, length a multiple of four, at most two '=' and only at the end,
 * and zero pad bits (RFC 4648 §3.5: a decoder MAY reject non-zero pad bits;
 * we do, so every value has exactly one text form). */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>

#include "encode.h"
#include "err.h"

/* ---------------------------------------------------------------- base64 */

/* 0..63, or -1 for anything outside the RFC 4648 §4 alphabet. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

void zk_base64_encode(zk_buf_t *out, const uint8_t *in, size_t n)
{
	/* OpenSSL takes an int length: feed it in chunks of whole triples. */
	const size_t step = 3 * 4096;

	while (n > 0) {
		size_t take = n < step ? n : step;
		size_t olen = 4 * ((take + 2) / 3);
		char *dst = zk_buf_room(out, olen + 1); /* EVP writes a NUL */
		int r;

		if (dst == NULL)
			return;
		r = EVP_EncodeBlock((unsigned char *)dst, in, (int)take);
		if (r < 0 || (size_t)r != olen) {
			out->err = ZK_EINVAL;
			return;
		}
		zk_buf_advance(out, olen);
		in += take;
		n -= take;
	}
}

int zk_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t pad = 0, total;
	uint8_t tmp[3 * 256];

	if (n % 4 != 0)
		return ZK_EBASE64;
	if (n > 0 && s[n - 1] == '=')
		pad = n > 1 && s[n - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < n - pad; i++) {
		if (b64_value(s[i]) < 0)
			return ZK_EBASE64;
	}
	/* The last data character before the padding carries pad bits that
	 * must be zero: 4 of them with "==", 2 with "=". */
	if (pad == 2 && (b64_value(s[n - 3]) & 0x0f) != 0)
		return ZK_EBASE64;
	if (pad == 1 && (b64_value(s[n - 2]) & 0x03) != 0)
		return ZK_EBASE64;

	total = n / 4 * 3 - pad;
	if (total > cap)
		return ZK_ESPACE;

	/* Decode in chunks through a bounce buffer: EVP_DecodeBlock writes
	 * the padding as zero octets, which may not fit in out. */
	for (size_t i = 0, done = 0; i < n;) {
		size_t take = n - i < 4 * 256 ? n - i : 4 * 256;
		size_t got;
		int r = EVP_DecodeBlock(tmp, s + i, (int)take);

		if (r < 0 || (size_t)r != take / 4 * 3)
			return ZK_EBASE64;
		got = (size_t)r;
		if (i + take == n)
			got -= pad;
		memcpy(out + done, tmp, got);
		done += got;
		i += take;
	}
	*outlen = total;
	return 0;
}

/* ---------------------------------------------------------------- base16 */

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void zk_hex_encode(zk_buf_t *out, const uint8_t *in, size_t n, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *dst;

	if (n > (SIZE_MAX - 1) / 2) {
		out->err = ZK_ENOMEM;
		return;
	}
	dst = zk_buf_room(out, 2 * n);
	if (dst == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		dst[2 * i] = digits[in[i] >> 4];
		dst[2 * i + 1] = digits[in[i] & 0x0f];
	}
	zk_buf_advance(out, 2 * n);
}

int zk_hex_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;

	if (n % 2 != 0)
		return ZK_EHEX;
	for (size_t i = 0; i < n; i++) {
		if (hex_value(s[i]) < 0)
			return ZK_EHEX;
	}
	if (n / 2 > cap)
		return ZK_ESPACE;
	for (size_t i = 0; i < n; i += 2)
		out[i / 2] = (uint8_t)(hex_value(s[i]) << 4 | hex_value(s[i + 1]));
	*outlen = n / 2;
	return 0;
}

/* ---------------------------------------------------------------- base32hex */

/* RFC 4648 §7 "Extended Hex" alphabet, either case on input. */
static int b32_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'V')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'v')
		return c - 'a' + 10;
	return -1;
}

void zk_base32hex_encode(zk_buf_t *out, const uint8_t *in, size_t n, bool upper)
{
	const char *digits =
	    upper ? "0123456789ABCDEFGHIJKLMNOPQRSTUV" : "0123456789abcdefghijklmnopqrstuv";
	size_t olen, k = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	char *dst;

	if (n > SIZE_MAX / 8 - 1) {
		out->err = ZK_ENOMEM;
		return;
	}
	olen = (n * 8 + 4) / 5;
	dst = zk_buf_room(out, olen);
	if (dst == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8 | in[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			dst[k++] = digits[(acc >> bits) & 0x1f];
		}
	}
	if (bits > 0)
		dst[k++] = digits[(acc << (5 - bits)) & 0x1f];
	zk_buf_advance(out, k);
}

/* No padding (RFC 5155 §3.3 presentation). A final quantum of 1, 3 or 6
 * characters cannot come from whole octets; leftover bits must be zero. */
int zk_base32hex_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t rem = n % 8, total, k = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	if (rem == 1 || rem == 3 || rem == 6)
		return ZK_EBASE32;
	for (size_t i = 0; i < n; i++) {
		if (b32_value(s[i]) < 0)
			return ZK_EBASE32;
	}
	total = n * 5 / 8;
	/* Leftover bits after the last whole octet must be zero. */
	if (n > 0) {
		unsigned extra = (unsigned)(n * 5 % 8);
		if (extra > 0 && (b32_value(s[n - 1]) & ((1u << extra) - 1)) != 0)
			return ZK_EBASE32;
	}
	if (total > cap)
		return ZK_ESPACE;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 5 | (uint32_t)b32_value(s[i])) & 0xffff;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (uint8_t)(acc >> bits);
		}
	}
	*outlen = total;
	return 0;
}
