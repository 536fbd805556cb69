/* rdata_text — the presentation-format pieces rdata*.c share: the
 * one-line tokenizer, numbers, TTLs and RRSIG times, addresses, escapes,
 * base64 and hex over several tokens (decoded straight into the output,
 * no allocation: this is the zone parser's hot path), and their text
 * output as BIND prints them; mnemonic tables (algorithms, CERT types,
 * digest types, DSYNC schemes). */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rdata_int.h"

/* ---------------------------------------------------------------- errors */

int zk_rd_err_tok(zk_errctx_t *ec, int code, const zk_token_t *t, const char *fmt, ...)
{
	va_list ap;

	if (ec == NULL)
		return code;
	ec->code = code;
	va_start(ap, fmt);
	vsnprintf(ec->msg, sizeof(ec->msg), fmt, ap);
	va_end(ap);
	if (t != NULL && t->line > 0) {
		ec->line = t->line;
		ec->col = t->col;
	}
	return code;
}

/* ---------------------------------------------------------------- tokens */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int zk_text_tokenize(const char *s, size_t n, zk_token_t *toks, size_t max, size_t *ntok,
                     zk_errctx_t *ec)
{
	size_t i = 0, k = 0;
	unsigned line = 1, col = 1, depth = 0;
	size_t line_start = 0;

	while (i < n) {
		char c = s[i];
		if (c == '\n') {
			i++;
			line++;
			line_start = i;
			continue;
		}
		if (is_blank(c)) {
			i++;
			continue;
		}
		col = (unsigned)(i - line_start + 1);
		if (c == ';') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (c == '(') {
			depth++;
			i++;
			continue;
		}
		if (c == ')') {
			if (depth == 0) {
				zk_error(ec, ZK_ESYNTAX, "unbalanced ')'");
				if (ec) {
					ec->line = line;
					ec->col = col;
				}
				return ZK_ESYNTAX;
			}
			depth--;
			i++;
			continue;
		}
		if (k == max) {
			zk_error(ec, ZK_ELIMIT, "more than %zu tokens", max);
			if (ec) {
				ec->line = line;
				ec->col = col;
			}
			return ZK_ELIMIT;
		}
		if (c == '"') {
			size_t start = ++i;
			unsigned sline = line;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				if (s[i] == '\n') {
					line++;
					line_start = i + 1;
				}
				i++;
			}
			if (i >= n) {
				zk_error(ec, ZK_ESYNTAX, "unterminated quoted string");
				if (ec) {
					ec->line = sline;
					ec->col = col;
				}
				return ZK_ESYNTAX;
			}
			toks[k] = (zk_token_t){.s = s + start,
			                       .n = i - start,
			                       .quoted = true,
			                       .line = sline,
			                       .col = col};
			k++;
			i++;
			continue;
		}
		size_t start = i;
		while (i < n && !is_blank(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != '"' &&
		       s[i] != ';') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
		toks[k] = (zk_token_t){
		    .s = s + start, .n = i - start, .quoted = false, .line = line, .col = col};
		k++;
	}
	if (depth != 0) {
		zk_error(ec, ZK_ESYNTAX, "unbalanced '(': missing ')'");
		if (ec)
			ec->line = line;
		return ZK_ESYNTAX;
	}
	*ntok = k;
	return 0;
}

/* ---------------------------------------------------------------- text in helpers */

int zk_rd_num(const zk_token_t *t, uint64_t max, uint64_t *v, const char *what, zk_errctx_t *ec)
{
	uint64_t x = 0;

	if (t->n == 0 || t->n > 20)
		return zk_rd_err_tok(ec, t->n ? ZK_ERANGE : ZK_ESYNTAX, t, "%s: bad number " TOKF,
		                     what, TOKA(t));
	for (size_t i = 0; i < t->n; i++) {
		unsigned d = (unsigned)(unsigned char)t->s[i] - '0';
		if (d > 9)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: not a number: " TOKF, what,
			                     TOKA(t));
		if (x > (UINT64_MAX - d) / 10)
			return zk_rd_err_tok(ec, ZK_ERANGE, t, "%s: " TOKF " out of range", what,
			                     TOKA(t));
		x = x * 10 + d;
	}
	if (x > max)
		return zk_rd_err_tok(ec, ZK_ERANGE, t, "%s: %.*s out of range (0..%llu)", what,
		                     (int)t->n, t->s, (unsigned long long)max);
	*v = x;
	return 0;
}

/* BIND's TTL syntax for SOA timers: a number, or number+unit groups
 * (w d h m s, any case), e.g. 1h30m. */
int zk_rd_ttl(const zk_token_t *t, uint32_t *v, const char *what, zk_errctx_t *ec)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;

	if (t->n == 0 || t->n > 40)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: bad TTL " TOKF, what, TOKA(t));
	for (size_t i = 0; i < t->n; i++) {
		char c = t->s[i];
		uint64_t mul;
		if (c >= '0' && c <= '9') {
			cur = cur * 10 + (uint64_t)(c - '0');
			if (cur > 0xffffffffULL)
				goto range;
			digits = true;
			continue;
		}
		switch (c | 0x20) {
		case 'w': mul = 604800; break;
		case 'd': mul = 86400; break;
		case 'h': mul = 3600; break;
		case 'm': mul = 60; break;
		case 's': mul = 1; break;
		default:
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: bad TTL " TOKF, what, TOKA(t));
		}
		if (!digits)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: bad TTL " TOKF, what, TOKA(t));
		total += cur * mul;
		if (total > 0xffffffffULL)
			goto range;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		if (units)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: bad TTL " TOKF, what, TOKA(t));
		total += cur;
	}
	if (total > 0xffffffffULL)
		goto range;
	*v = (uint32_t)total;
	return 0;
range:
	return zk_rd_err_tok(ec, ZK_ERANGE, t, "%s: " TOKF " out of range", what, TOKA(t));
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* RFC 4034 §3.2: YYYYMMDDHHmmSS (UTC) or the number of seconds. Dates
 * outside 1970..2106 wrap modulo 2^32 (RFC 1982 serial arithmetic), as
 * BIND takes them. */
int zk_rd_time(const zk_token_t *t, uint32_t *v, const char *what, zk_errctx_t *ec)
{
	unsigned f[6];
	static const unsigned w[6] = {4, 2, 2, 2, 2, 2};
	size_t p = 0;

	if (t->n != 14) {
		uint64_t x;
		int r = zk_rd_num(t, 0xffffffffULL, &x, what, ec);
		if (r == 0)
			*v = (uint32_t)x;
		return r;
	}
	for (int k = 0; k < 6; k++) {
		f[k] = 0;
		for (unsigned j = 0; j < w[k]; j++, p++) {
			unsigned d = (unsigned)(unsigned char)t->s[p] - '0';
			if (d > 9)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: bad time " TOKF, what,
				                     TOKA(t));
			f[k] = f[k] * 10 + d;
		}
	}
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return zk_rd_err_tok(ec, ZK_ERANGE, t, "%s: bad date " TOKF, what, TOKA(t));
	int64_t secs = days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 + f[4] * 60 + f[5];
	*v = (uint32_t)(uint64_t)secs;
	return 0;
}

int zk_rd_ipv4(const char *s, size_t n, uint8_t out[4])
{
	unsigned part = 0, val = 0, digits = 0;
	uint8_t a[4];

	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (digits == 0 || part > 3)
				return -1;
			a[part++] = (uint8_t)val;
			val = 0;
			digits = 0;
			continue;
		}
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9 || (digits == 1 && val == 0))
			return -1; /* no leading zeros, as inet_pton */
		val = val * 10 + d;
		if (val > 255)
			return -1;
		digits++;
	}
	if (part != 4)
		return -1;
	memcpy(out, a, 4);
	return 0;
}

int zk_rd_ipv6(const char *s, size_t n, uint8_t out[16])
{
	char buf[64];

	if (n == 0 || n >= sizeof(buf) || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

void zk_rd_ipv4_text(const uint8_t *a, zk_buf_t *out)
{
	char *p = zk_buf_room(out, 16);
	size_t k = 0;

	if (p == NULL)
		return;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (i)
			p[k++] = '.';
		if (v >= 100)
			p[k++] = (char)('0' + v / 100);
		if (v >= 10)
			p[k++] = (char)('0' + v / 10 % 10);
		p[k++] = (char)('0' + v % 10);
	}
	zk_buf_advance(out, k);
}

void zk_rd_ipv6_text(const uint8_t *a, zk_buf_t *out)
{
	char buf[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, buf, sizeof(buf)) != NULL)
		zk_buf_puts(out, buf);
}

/* Decode \X and \DDD (RFC 1035 §5.1). */
int zk_rd_unescape(const zk_token_t *t, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	size_t k = 0;
	const char *s = t->s;

	for (size_t i = 0; i < t->n; i++) {
		uint8_t c = (uint8_t)s[i];
		if (c == '\\') {
			if (i + 1 >= t->n)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, t,
				                     "backslash at the end of " TOKF, TOKA(t));
			c = (uint8_t)s[++i];
			if (c >= '0' && c <= '9') {
				unsigned v;
				if (i + 2 >= t->n || s[i + 1] < '0' || s[i + 1] > '9' ||
				    s[i + 2] < '0' || s[i + 2] > '9')
					return zk_rd_err_tok(ec, ZK_ESYNTAX, t,
					                     "bad \\DDD escape in " TOKF, TOKA(t));
				v = (unsigned)(c - '0') * 100 + (unsigned)(s[i + 1] - '0') * 10 +
				    (unsigned)(s[i + 2] - '0');
				if (v > 255)
					return zk_rd_err_tok(ec, ZK_ESYNTAX, t,
					                     "\\DDD escape above 255 in " TOKF,
					                     TOKA(t));
				c = (uint8_t)v;
				i += 2;
			}
		}
		if (k == cap)
			return zk_rd_err_tok(ec, ZK_ERANGE, t, "text longer than %zu octets: " TOKF,
			                     cap, TOKA(t));
		out[k++] = c;
	}
	*outlen = k;
	return 0;
}

/* RFC 4648 §4 alphabet, stored as value + 1 (65 for '='): 0 marks every
 * other octet, so b64_val gives 0xff for them. */
static const uint8_t b64_tab[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
    ['='] = 65,
};

static inline unsigned b64_val(unsigned char c)
{
	return (uint8_t)(b64_tab[c] - 1);
}

/* Base64 spread over tokens (BIND joins them): quanta may straddle
 * tokens; '=' only at the very end. Decoded straight into w. */
int zk_rd_b64_tokens(const zk_token_t *t, size_t nt, zk_wbuf_t *w, const char *what,
                     zk_errctx_t *ec)
{
	uint32_t acc = 0;
	unsigned q = 0, pad = 0;

	for (size_t k = 0; k < nt; k++) {
		const unsigned char *s = (const unsigned char *)t[k].s;
		size_t n = t[k].n, i = 0;
		size_t room = n / 4 * 3 + 3;
		if (room > w->cap - w->len)
			room = w->cap - w->len;
		uint8_t *p = zk_wbuf_room(w, room), *d = p, *end = p + room;
		if (p == NULL)
			return zk_error(ec, ZK_ESPACE, "%s: rdata does not fit the buffer", what);
		/* Whole quanta of four valid characters, the common case. */
		if (q == 0 && pad == 0) {
			while (i + 4 <= n && end - d >= 3) {
				unsigned a = b64_val(s[i]), b = b64_val(s[i + 1]),
				         c = b64_val(s[i + 2]), e = b64_val(s[i + 3]);
				if ((a | b | c | e) > 63)
					break;
				uint32_t v = a << 18 | b << 12 | c << 6 | e;
				d[0] = (uint8_t)(v >> 16);
				d[1] = (uint8_t)(v >> 8);
				d[2] = (uint8_t)v;
				d += 3;
				i += 4;
			}
		}
		for (; i < n; i++) {
			unsigned v = b64_val(s[i]);
			if (v == 64) {
				if (q < 2 || pad + q >= 4)
					goto bad;
				pad++;
				if (q + pad == 4) {
					if (end - d < 3)
						goto space;
					acc <<= 6 * pad;
					*d++ = (uint8_t)(acc >> 16);
					if (pad == 1)
						*d++ = (uint8_t)(acc >> 8);
					q = 0;
					acc = 0;
				}
				continue;
			}
			if (pad || v > 63)
				goto bad;
			acc = acc << 6 | v;
			if (++q == 4) {
				if (end - d < 3)
					goto space;
				d[0] = (uint8_t)(acc >> 16);
				d[1] = (uint8_t)(acc >> 8);
				d[2] = (uint8_t)acc;
				d += 3;
				q = 0;
				acc = 0;
			}
		}
		/* Give back the room not used. */
		w->len -= (size_t)(end - d);
		if (pad && q == 0 && k + 1 < nt)
			return zk_rd_err_tok(ec, ZK_EBASE64, &t[k + 1],
			                     "%s: data after base64 padding", what);
	}
	if (q != 0)
		return zk_rd_err_tok(ec, ZK_EBASE64, &t[nt - 1],
		                     "%s: base64 ends in the middle of a quantum", what);
	return 0;
space:
	w->err = ZK_ESPACE;
	return zk_error(ec, ZK_ESPACE, "%s: rdata does not fit the buffer", what);
bad:
	return zk_rd_err_tok(ec, ZK_EBASE64, t, "%s: bad base64", what);
}

int zk_rd_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digit value + 1; 0 for anything else. */
static const uint8_t hex_tab[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int zk_rd_hex_tokens(const zk_token_t *t, size_t nt, zk_wbuf_t *w, const char *what,
                     zk_errctx_t *ec)
{
	int hi = -1;

	for (size_t k = 0; k < nt; k++) {
		const unsigned char *s = (const unsigned char *)t[k].s;
		size_t n = t[k].n, i = 0;
		size_t room = (n + (hi >= 0)) / 2;
		if (room > w->cap - w->len) {
			w->err = ZK_ESPACE;
			return zk_error(ec, ZK_ESPACE, "%s: rdata does not fit the buffer", what);
		}
		uint8_t *d = zk_wbuf_room(w, room), *d0 = d;
		if (d == NULL)
			return zk_error(ec, ZK_ESPACE, "%s: rdata does not fit the buffer", what);
		if (hi >= 0 && n > 0) {
			/* An odd digit left by the previous token. */
			unsigned v = hex_tab[s[0]];
			if (v == 0)
				goto bad;
			*d++ = (uint8_t)(hi << 4 | (v - 1));
			hi = -1;
			i = 1;
		}
		for (; i + 2 <= n; i += 2) {
			unsigned a = hex_tab[s[i]], b = hex_tab[s[i + 1]];
			if (a == 0 || b == 0)
				goto bad;
			*d++ = (uint8_t)((a - 1) << 4 | (b - 1));
		}
		if (i < n) {
			unsigned v = hex_tab[s[i]];
			if (v == 0)
				goto bad;
			hi = (int)(v - 1);
		}
		w->len -= room - (size_t)(d - d0);
		continue;
	bad:
		return zk_rd_err_tok(ec, ZK_EHEX, &t[k], "%s: bad hex " TOKF, what, TOKA(&t[k]));
	}
	if (hi >= 0)
		return zk_rd_err_tok(ec, ZK_EHEX, &t[nt - 1], "%s: odd number of hex digits", what);
	return 0;
}

int zk_rd_name_text_in(const zk_token_t *t, const zk_name_t *origin, zk_wbuf_t *w, zk_errctx_t *ec)
{
	zk_name_t nm;
	int r = zk_name_from_text(&nm, t->s, t->n, origin, ec);

	if (r < 0) {
		if (ec != NULL && t->line > 0) {
			ec->line = t->line;
			ec->col = t->col;
		}
		return r;
	}
	zk_wbuf_bytes(w, nm.wire, nm.len);
	return 0;
}

/* ---------------------------------------------------------------- text out helpers */

void zk_rd_put_u64(zk_buf_t *out, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof(tmp);

	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	zk_buf_put(out, tmp + k, sizeof(tmp) - k);
}

int zk_rd_name_out(const uint8_t *p, size_t n, zk_buf_t *out)
{
	zk_name_t nm;
	size_t pos = 0;
	int r = zk_name_from_wire_plain(&nm, p, n, &pos, NULL);

	if (r < 0)
		return r;
	zk_name_to_text(&nm, out);
	return (int)pos;
}

/* BIND's character-string style: quoted; '"' and '\' escaped; octets
 * outside 0x20..0x7e as \DDD. */
void zk_rd_str_text(const uint8_t *p, size_t n, zk_buf_t *out)
{
	char *d = zk_buf_room(out, 4 * n + 2);
	size_t k = 0;

	if (d == NULL)
		return;
	d[k++] = '"';
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c < 0x20 || c >= 0x7f) {
			d[k++] = '\\';
			d[k++] = (char)('0' + c / 100);
			d[k++] = (char)('0' + c / 10 % 10);
			d[k++] = (char)('0' + c % 10);
		} else {
			if (c == '"' || c == '\\')
				d[k++] = '\\';
			d[k++] = (char)c;
		}
	}
	d[k++] = '"';
	zk_buf_advance(out, k);
}

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void zk_rd_b64_text(const uint8_t *p, size_t n, size_t width, const char *brk, zk_buf_t *out)
{
	/* Signatures and keys are most of a signed zone's text: room for
	 * the whole field is taken once and written in place. */
	size_t blen = strlen(brk), quads = (n + 2) / 3, breaks = 0, col = 0;
	char *d;

	/* a break comes before a quad when the line is exactly full, which
	 * only a width in whole quads allows */
	if (width && width % 4 == 0 && quads > 0)
		breaks = (quads - 1) / (width / 4);
	d = zk_buf_room(out, quads * 4 + breaks * blen);
	if (d == NULL)
		return;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t rem = n - i;
		if (rem > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (rem > 2)
			v |= p[i + 2];
		if (width && col == width) {
			memcpy(d, brk, blen);
			d += blen;
			col = 0;
		}
		d[0] = b64_alpha[v >> 18 & 63];
		d[1] = b64_alpha[v >> 12 & 63];
		d[2] = rem > 1 ? b64_alpha[v >> 6 & 63] : '=';
		d[3] = rem > 2 ? b64_alpha[v & 63] : '=';
		d += 4;
		col += 4;
	}
	zk_buf_advance(out, quads * 4 + breaks * blen);
}

void zk_rd_hex_text(const uint8_t *p, size_t n, size_t width, const char *brk, zk_buf_t *out)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t col = 0, blen = strlen(brk);

	for (size_t i = 0; i < n; i++) {
		char q[2] = {hx[p[i] >> 4], hx[p[i] & 15]};
		if (width && col == width) {
			zk_buf_put(out, brk, blen);
			col = 0;
		}
		zk_buf_put(out, q, 2);
		col += 2;
	}
}

void zk_rd_time_text(uint32_t t, zk_buf_t *out)
{
	int64_t days = (int64_t)(t / 86400), y;
	unsigned rem = t % 86400, m, d;
	char *p;

	civil_from_days(days, &y, &m, &d);
	p = zk_buf_room(out, 15);
	if (p == NULL)
		return;
	unsigned f[6] = {(unsigned)y, m, d, rem / 3600, rem / 60 % 60, rem % 60};
	size_t k = 0;
	for (int j = 3; j >= 0; j--)
		p[k++] = (char)('0' + f[0] / (j == 3 ? 1000 : j == 2 ? 100 : j == 1 ? 10 : 1) % 10);
	for (int i = 1; i < 6; i++) {
		p[k++] = (char)('0' + f[i] / 10);
		p[k++] = (char)('0' + f[i] % 10);
	}
	zk_buf_advance(out, k);
}

/* ---------------------------------------------------------------- mnemonic tables */

/* DNSSEC algorithm numbers (IANA; RFC 4034 App. A.1, RFC 8624). */
const zk_rd_mnem_t zk_rd_secalgs[] = {
    {1, "RSAMD5"},
    {2, "DH"},
    {3, "DSA"},
    {5, "RSASHA1"},
    {6, "NSEC3DSA"},
    {7, "NSEC3RSASHA1"},
    {8, "RSASHA256"},
    {10, "RSASHA512"},
    {12, "ECCGOST"},
    {13, "ECDSAP256SHA256"},
    {14, "ECDSAP384SHA384"},
    {15, "ED25519"},
    {16, "ED448"},
    {252, "INDIRECT"},
    {253, "PRIVATEDNS"},
    {254, "PRIVATEOID"},
    {0, NULL},
};

/* RFC 4398 §2.1 certificate types. */
const zk_rd_mnem_t zk_rd_certtypes[] = {
    {1, "PKIX"},   {2, "SPKI"},    {3, "PGP"},   {4, "IPKIX"}, {5, "ISPKI"}, {6, "IPGP"},
    {7, "ACPKIX"}, {8, "IACPKIX"}, {253, "URI"}, {254, "OID"}, {0, NULL},
};

const zk_rd_mnem_t zk_rd_digests[] = {
    {1, "SHA-1"}, {2, "SHA-256"}, {3, "GOST"}, {4, "SHA-384"}, {0, NULL},
};

/* RFC 9859 DSYNC zk_rd_schemes. */
const zk_rd_mnem_t zk_rd_schemes[] = {{1, "NOTIFY"}, {0, NULL}};

const char *zk_rdata_secalg_name(uint8_t alg)
{
	for (const zk_rd_mnem_t *m = zk_rd_secalgs; m->s; m++)
		if (m->v == alg)
			return m->s;
	return NULL;
}

const char *zk_rd_mnem_name(const zk_rd_mnem_t *tab, unsigned v)
{
	for (const zk_rd_mnem_t *m = tab; m->s; m++)
		if (m->v == v)
			return m->s;
	return NULL;
}

static bool tok_eq_upper(const zk_token_t *t, const char *u)
{
	size_t i = 0;

	for (; i < t->n; i++) {
		char c = t->s[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (u[i] == '\0' || c != u[i])
			return false;
	}
	return u[i] == '\0';
}

int zk_rd_mnem_in(const zk_token_t *t, const zk_rd_mnem_t *tab, uint64_t max, uint64_t *v,
                  const char *what, zk_errctx_t *ec)
{
	if (t->n > 0 && t->s[0] >= '0' && t->s[0] <= '9')
		return zk_rd_num(t, max, v, what, ec);
	for (const zk_rd_mnem_t *m = tab; m->s; m++) {
		if (tok_eq_upper(t, m->s)) {
			*v = m->v;
			return 0;
		}
	}
	return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "%s: unknown mnemonic " TOKF, what, TOKA(t));
}
