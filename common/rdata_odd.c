/* rdata_odd — the types whose fields do not fit the table's kinds: WKS,
 * LOC, APL, A6, NSAP, ATMA, IPSECKEY, AMTRELAY, HIP and OPT. Each has a
 * wire check, text in and text out (as BIND 9.18 prints it). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rdata_int.h"

static const zk_token_t *last_tok(const zk_token_t *t, size_t nt)
{
	return nt ? &t[nt - 1] : NULL;
}

static int need(const zk_token_t *t, size_t nt, size_t i, const char *what, zk_errctx_t *ec)
{
	if (i < nt)
		return 0;
	return zk_rd_err_tok(ec, ZK_ESYNTAX, last_tok(t, nt), "missing %s", what);
}

static int no_more(const zk_token_t *t, size_t nt, size_t i, zk_errctx_t *ec)
{
	if (i >= nt)
		return 0;
	return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[i], "extra token " TOKF, TOKA(&t[i]));
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void hex_lower(const uint8_t *p, size_t n, zk_buf_t *out)
{
	static const char hx[] = "0123456789abcdef";
	char *d = zk_buf_room(out, 2 * n);
	if (d == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		d[2 * i] = hx[p[i] >> 4];
		d[2 * i + 1] = hx[p[i] & 15];
	}
	zk_buf_advance(out, 2 * n);
}

/* ---------------------------------------------------------------- WKS (RFC 1035 §3.4.2) */

static int wks_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 5)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "WKS: address and protocol cut off");
	if (n - 5 > 8192)
		return zk_error_at(ec, ZK_ERDATA, 5, "WKS: bitmap longer than 8192 octets");
	if (n > 5 && rd[n - 1] == 0)
		return zk_error_at(ec, ZK_ERDATA, (long)n - 1, "WKS: bitmap ends in a zero octet");
	return 0;
}

static const struct {
	const char *name;
	uint16_t port;
} services[] = {
    {"echo", 7},      {"discard", 9}, {"daytime", 13}, {"ftp-data", 20}, {"ftp", 21},
    {"ssh", 22},      {"telnet", 23}, {"smtp", 25},    {"time", 37},     {"whois", 43},
    {"domain", 53},   {"tftp", 69},   {"gopher", 70},  {"finger", 79},   {"http", 80},
    {"kerberos", 88}, {"pop3", 110},  {"sunrpc", 111}, {"auth", 113},    {"nntp", 119},
    {"ntp", 123},     {"imap", 143},  {"snmp", 161},   {"ldap", 389},    {"https", 443},
};

static int wks_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                         zk_errctx_t *ec)
{
	uint8_t a[4], bm[8192];
	size_t used = 0;
	uint64_t v;
	int r;

	(void)origin;
	if ((r = need(t, nt, 0, "WKS address", ec)) < 0)
		return r;
	if (zk_rd_ipv4(t[0].s, t[0].n, a) < 0)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[0], "bad IPv4 address " TOKF, TOKA(&t[0]));
	if ((r = need(t, nt, 1, "WKS protocol", ec)) < 0)
		return r;
	if (t[1].n == 3 && (memcmp(t[1].s, "tcp", 3) == 0 || memcmp(t[1].s, "TCP", 3) == 0))
		v = 6;
	else if (t[1].n == 3 && (memcmp(t[1].s, "udp", 3) == 0 || memcmp(t[1].s, "UDP", 3) == 0))
		v = 17;
	else if ((r = zk_rd_num(&t[1], 255, &v, "WKS protocol", ec)) < 0)
		return r;
	zk_wbuf_bytes(w, a, 4);
	zk_wbuf_u8(w, (uint8_t)v);
	memset(bm, 0, sizeof(bm));
	for (size_t i = 2; i < nt; i++) {
		uint64_t port = 65536;
		for (size_t s = 0; s < sizeof(services) / sizeof(services[0]); s++)
			if (strlen(services[s].name) == t[i].n &&
			    memcmp(services[s].name, t[i].s, t[i].n) == 0)
				port = services[s].port;
		if (port == 65536 && (r = zk_rd_num(&t[i], 65535, &port, "WKS port", ec)) < 0)
			return r;
		bm[port / 8] |= (uint8_t)(0x80 >> (port % 8));
		if (used < port / 8 + 1)
			used = port / 8 + 1;
	}
	zk_wbuf_bytes(w, bm, used);
	return 0;
}

static int wks_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                       zk_buf_t *out)
{
	(void)flags;
	(void)indent;
	zk_rd_ipv4_text(rd, out);
	zk_buf_printf(out, " %u", rd[4]);
	for (size_t i = 5; i < n; i++)
		for (unsigned b = 0; b < 8; b++)
			if (rd[i] & (0x80 >> b))
				zk_buf_printf(out, " %zu", (i - 5) * 8 + b);
	return 0;
}

const rd_odd_t zk_odd_wks = {wks_check, wks_from_text, wks_to_text};

/* ---------------------------------------------------------------- LOC (RFC 1876) */

static const uint32_t pow10[10] = {1,      10,      100,      1000,      10000,
                                   100000, 1000000, 10000000, 100000000, 1000000000};

#define LOC_EQ 0x80000000UL

/* RFC 1876 §2: mantissa and exponent 0..9; as BIND, a mantissa of 0
 * only in the all-zero octet (0 cm), which keeps one text form per value. */
static bool prec_ok(uint8_t b)
{
	return b == 0 || ((b >> 4) >= 1 && (b >> 4) <= 9 && (b & 15) <= 9);
}

static int loc_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 1)
		return zk_error_at(ec, ZK_ETRUNC, 0, "LOC: empty");
	if (rd[0] != 0)
		return 0; /* other versions: opaque (RFC 3597 §5 names LOC) */
	if (n != 16)
		return zk_error_at(ec, n < 16 ? ZK_ETRUNC : ZK_ERDATA, (long)(n < 16 ? n : 16),
		                   "LOC: version 0 needs 16 octets, got %zu", n);
	for (int i = 1; i <= 3; i++)
		if (!prec_ok(rd[i]))
			return zk_error_at(ec, ZK_ERANGE, i, "LOC: bad size/precision octet 0x%02x",
			                   rd[i]);
	uint32_t lat = zk_get_u32(rd + 4), lon = zk_get_u32(rd + 8);
	if (lat < LOC_EQ - 90UL * 3600000 || lat > LOC_EQ + 90UL * 3600000)
		return zk_error_at(ec, ZK_ERANGE, 4, "LOC: latitude out of range");
	if (lon < LOC_EQ - 180UL * 3600000 || lon > LOC_EQ + 180UL * 3600000)
		return zk_error_at(ec, ZK_ERANGE, 8, "LOC: longitude out of range");
	return 0;
}

static void loc_prec_text(uint8_t b, zk_buf_t *out)
{
	unsigned m = b >> 4, e = b & 15;
	if (e > 1)
		zk_buf_printf(out, " %lum", (unsigned long)m * pow10[e - 2]);
	else
		zk_buf_printf(out, " 0.%02lum", (unsigned long)m * pow10[e]);
}

static void loc_angle_text(uint32_t v, char pos, char neg, zk_buf_t *out)
{
	uint32_t a;
	char h;
	if (v >= LOC_EQ) {
		a = v - LOC_EQ;
		h = pos;
	} else {
		a = LOC_EQ - v;
		h = neg;
	}
	zk_buf_printf(out, "%u %u %u.%03u %c", a / 3600000, a / 60000 % 60, a / 1000 % 60, a % 1000,
	              h);
}

static int loc_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                       zk_buf_t *out)
{
	(void)flags;
	(void)indent;
	if (rd[0] != 0 || n != 16)
		return -1;
	loc_angle_text(zk_get_u32(rd + 4), 'N', 'S', out);
	zk_buf_putc(out, ' ');
	loc_angle_text(zk_get_u32(rd + 8), 'E', 'W', out);
	uint32_t alt = zk_get_u32(rd + 12);
	if (alt < 10000000U)
		zk_buf_printf(out, " -%u.%02um", (10000000U - alt) / 100, (10000000U - alt) % 100);
	else
		zk_buf_printf(out, " %u.%02um", (alt - 10000000U) / 100, (alt - 10000000U) % 100);
	loc_prec_text(rd[1], out);
	loc_prec_text(rd[2], out);
	loc_prec_text(rd[3], out);
	return 0;
}

/* "int[.frac]" with at most maxfrac fraction digits, scaled by 10^maxfrac. */
static int decimal(const zk_token_t *t, size_t len, unsigned maxfrac, uint64_t maxval, uint64_t *v)
{
	uint64_t x = 0;
	unsigned frac = 0;
	bool dot = false, digits = false;

	for (size_t i = 0; i < len; i++) {
		char c = t->s[i];
		if (c == '.' && !dot) {
			dot = true;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		if (dot && ++frac > maxfrac)
			return -1;
		x = x * 10 + (uint64_t)(c - '0');
		if (x > 1000000000000000ULL)
			return -2;
		digits = true;
	}
	if (!digits)
		return -1;
	for (; frac < maxfrac; frac++)
		x *= 10;
	if (x > maxval * pow10[maxfrac])
		return -2;
	*v = x;
	return 0;
}

static int loc_angle_in(const zk_token_t *t, size_t nt, size_t *i, unsigned maxdeg, char pos,
                        char neg, uint32_t *out, zk_errctx_t *ec)
{
	uint64_t d = 0, m = 0, s = 0;
	int r;

	if ((r = need(t, nt, *i, "LOC degrees", ec)) < 0)
		return r;
	if ((r = zk_rd_num(&t[*i], maxdeg, &d, "LOC degrees", ec)) < 0)
		return r;
	(*i)++;
	if (*i < nt && t[*i].n > 0 && t[*i].s[0] >= '0' && t[*i].s[0] <= '9') {
		if ((r = zk_rd_num(&t[*i], 59, &m, "LOC minutes", ec)) < 0)
			return r;
		(*i)++;
		if (*i < nt && t[*i].n > 0 && t[*i].s[0] >= '0' && t[*i].s[0] <= '9') {
			r = decimal(&t[*i], t[*i].n, 3, 60, &s);
			if (r < 0 || s > 59999)
				return zk_rd_err_tok(ec, r == -2 ? ZK_ERANGE : ZK_ESYNTAX, &t[*i],
				                     "bad LOC seconds " TOKF, TOKA(&t[*i]));
			(*i)++;
		}
	}
	if ((r = need(t, nt, *i, "LOC hemisphere", ec)) < 0)
		return r;
	char h = t[*i].n == 1 ? (char)(t[*i].s[0] & ~0x20) : 0;
	if (h != pos && h != neg)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[*i], "LOC: expected %c or %c, not " TOKF,
		                     pos, neg, TOKA(&t[*i]));
	(*i)++;
	uint64_t ms = d * 3600000 + m * 60000 + s;
	if (ms > (uint64_t)maxdeg * 3600000)
		return zk_rd_err_tok(ec, ZK_ERANGE, &t[*i - 1], "LOC: angle out of range");
	*out = h == pos ? (uint32_t)(LOC_EQ + ms) : (uint32_t)(LOC_EQ - ms);
	return 0;
}

/* Meters with an optional "m" and 2 decimals, into centimeters. */
static int loc_meters(const zk_token_t *t, bool negok, int64_t *cm, zk_errctx_t *ec)
{
	size_t len = t->n;
	bool neg = false;
	uint64_t v;
	zk_token_t u = *t;

	if (len > 0 && (t->s[len - 1] == 'm' || t->s[len - 1] == 'M'))
		len--;
	if (negok && len > 0 && t->s[0] == '-') {
		neg = true;
		u.s++;
		len--;
	}
	int r = decimal(&u, len, 2, 90000000, &v);
	if (r < 0)
		return zk_rd_err_tok(ec, r == -2 ? ZK_ERANGE : ZK_ESYNTAX, t,
		                     "bad LOC distance " TOKF, TOKA(t));
	*cm = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int loc_prec_in(const zk_token_t *t, uint8_t *b, zk_errctx_t *ec)
{
	int64_t cm;
	int r = loc_meters(t, false, &cm, ec);
	unsigned e;

	if (r < 0)
		return r;
	for (e = 0; e < 9; e++)
		if ((uint64_t)cm < (uint64_t)pow10[e + 1])
			break;
	if ((uint64_t)cm / pow10[e] > 9)
		return zk_rd_err_tok(ec, ZK_ERANGE, t, "LOC precision out of range");
	*b = (uint8_t)(((uint64_t)cm / pow10[e]) << 4 | e);
	return 0;
}

static int loc_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                         zk_errctx_t *ec)
{
	uint32_t lat, lon;
	uint8_t prec[3] = {0x12, 0x16, 0x13}; /* 1m 10000m 10m (RFC 1876 §3) */
	int64_t alt;
	size_t i = 0;
	int r;

	(void)origin;
	if ((r = loc_angle_in(t, nt, &i, 90, 'N', 'S', &lat, ec)) < 0)
		return r;
	if ((r = loc_angle_in(t, nt, &i, 180, 'E', 'W', &lon, ec)) < 0)
		return r;
	if ((r = need(t, nt, i, "LOC altitude", ec)) < 0)
		return r;
	if ((r = loc_meters(&t[i], true, &alt, ec)) < 0)
		return r;
	if (alt < -10000000 || alt > 4284967295LL)
		return zk_rd_err_tok(ec, ZK_ERANGE, &t[i], "LOC altitude out of range");
	i++;
	for (int k = 0; k < 3 && i < nt; k++, i++)
		if ((r = loc_prec_in(&t[i], &prec[k], ec)) < 0)
			return r;
	if ((r = no_more(t, nt, i, ec)) < 0)
		return r;
	zk_wbuf_u8(w, 0);
	zk_wbuf_bytes(w, prec, 3);
	zk_wbuf_u32(w, lat);
	zk_wbuf_u32(w, lon);
	zk_wbuf_u32(w, (uint32_t)(alt + 10000000));
	return 0;
}

const rd_odd_t zk_odd_loc = {loc_check, loc_from_text, loc_to_text};

/* ---------------------------------------------------------------- APL (RFC 3123) */

static int apl_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	size_t i = 0;

	while (i < n) {
		if (n - i < 4)
			return zk_error_at(ec, ZK_ETRUNC, (long)i, "APL item cut off");
		uint16_t fam = zk_get_u16(rd + i);
		unsigned pfx = rd[i + 2], len = rd[i + 3] & 0x7f;
		if (len > n - i - 4)
			return zk_error_at(ec, ZK_ETRUNC, (long)(i + 3), "APL address cut off");
		if (fam == 1 && (pfx > 32 || len > 4))
			return zk_error_at(ec, ZK_ERANGE, (long)i, "APL IPv4 item out of range");
		if (fam == 2 && (pfx > 128 || len > 16))
			return zk_error_at(ec, ZK_ERANGE, (long)i, "APL IPv6 item out of range");
		/* RFC 3123 §4: no trailing zero octets. */
		if (len > 0 && rd[i + 4 + len - 1] == 0)
			return zk_error_at(ec, ZK_ERDATA, (long)(i + 4 + len - 1),
			                   "APL address ends in a zero octet");
		i += 4 + len;
	}
	return 0;
}

static int apl_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                       zk_buf_t *out)
{
	size_t i = 0;

	(void)flags;
	(void)indent;
	for (size_t j = 0; j < n;) {
		uint16_t fam = zk_get_u16(rd + j);
		if (fam != 1 && fam != 2)
			return -1; /* no text form (BIND: not implemented) */
		j += 4 + (rd[j + 3] & 0x7f);
	}
	while (i < n) {
		uint16_t fam = zk_get_u16(rd + i);
		unsigned pfx = rd[i + 2], len = rd[i + 3] & 0x7f;
		uint8_t a[16];
		memset(a, 0, sizeof(a));
		memcpy(a, rd + i + 4, len);
		if (i)
			zk_buf_putc(out, ' ');
		zk_buf_printf(out, "%s%u:", (rd[i + 3] & 0x80) ? "!" : "", fam);
		if (fam == 1)
			zk_rd_ipv4_text(a, out);
		else
			zk_rd_ipv6_text(a, out);
		zk_buf_printf(out, "/%u", pfx);
		i += 4 + len;
	}
	return 0;
}

static int apl_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                         zk_errctx_t *ec)
{
	(void)origin;
	for (size_t i = 0; i < nt; i++) {
		const char *s = t[i].s, *colon, *slash;
		size_t n = t[i].n, alen;
		bool neg = false;
		uint8_t a[16];
		unsigned fam = 0, pfx = 0;

		if (n > 0 && s[0] == '!') {
			neg = true;
			s++;
			n--;
		}
		colon = memchr(s, ':', n);
		slash = colon ? memchr(colon, '/', n - (size_t)(colon - s)) : NULL;
		if (colon == NULL || slash == NULL || colon == s || colon - s > 5 ||
		    slash + 1 == s + n || (s + n) - (slash + 1) > 3)
			goto bad;
		for (const char *p = s; p < colon; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			fam = fam * 10 + (unsigned)(*p - '0');
		}
		for (const char *p = slash + 1; p < s + n; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			pfx = pfx * 10 + (unsigned)(*p - '0');
		}
		if (fam == 1) {
			if (zk_rd_ipv4(colon + 1, (size_t)(slash - colon - 1), a) < 0 || pfx > 32)
				goto bad;
			alen = 4;
		} else if (fam == 2) {
			if (zk_rd_ipv6(colon + 1, (size_t)(slash - colon - 1), a) < 0 || pfx > 128)
				goto bad;
			alen = 16;
		} else {
			return zk_rd_err_tok(ec, ZK_EUNSUPP, &t[i],
			                     "APL: address family %u has no "
			                     "text form",
			                     fam);
		}
		while (alen > 0 && a[alen - 1] == 0)
			alen--;
		zk_wbuf_u16(w, (uint16_t)fam);
		zk_wbuf_u8(w, (uint8_t)pfx);
		zk_wbuf_u8(w, (uint8_t)(alen | (neg ? 0x80 : 0)));
		zk_wbuf_bytes(w, a, alen);
		continue;
	bad:
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[i], "bad APL item " TOKF, TOKA(&t[i]));
	}
	return 0;
}

const rd_odd_t zk_odd_apl = {apl_check, apl_from_text, apl_to_text};

/* ---------------------------------------------------------------- A6 (RFC 2874 §3.1) */

static int a6_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 1)
		return zk_error_at(ec, ZK_ETRUNC, 0, "A6: prefix length missing");
	unsigned plen = rd[0];
	if (plen > 128)
		return zk_error_at(ec, ZK_ERANGE, 0, "A6: prefix length %u above 128", plen);
	size_t slen = (128 - plen + 7) / 8;
	if (n - 1 < slen)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "A6: address suffix cut off");
	/* Bits of the first suffix octet that belong to the prefix: zero. */
	if (slen > 0 && plen % 8 != 0 && (rd[1] & ~(0xffu >> (plen % 8))) != 0)
		return zk_error_at(ec, ZK_ERDATA, 1, "A6: prefix bits set in the suffix");
	size_t pos = 1 + slen;
	if (plen == 0) {
		if (pos != n)
			return zk_error_at(ec, ZK_ERDATA, (long)pos, "A6: data after the address");
		return 0;
	}
	int l = zk_name_wire_len(rd + pos, n - pos);
	if (l < 0)
		return zk_error_at(ec, l, (long)pos, "A6: bad prefix name: %s", zk_strerror(l));
	if (pos + (size_t)l != n)
		return zk_error_at(ec, ZK_ERDATA, (long)(pos + (size_t)l),
		                   "A6: data after the prefix name");
	return 0;
}

static int a6_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                      zk_buf_t *out)
{
	unsigned plen = rd[0];
	size_t slen = (128 - plen + 7) / 8;

	(void)flags;
	(void)indent;
	zk_buf_printf(out, "%u ", plen);
	if (plen < 128) {
		uint8_t a[16];
		memset(a, 0, sizeof(a));
		memcpy(a + 16 - slen, rd + 1, slen);
		zk_rd_ipv6_text(a, out);
	}
	if (plen > 0) {
		zk_buf_putc(out, ' ');
		zk_rd_name_out(rd + 1 + slen, n - 1 - slen, out);
	}
	return 0;
}

static int a6_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                        zk_errctx_t *ec)
{
	uint64_t plen;
	size_t i = 1;
	int r;

	if ((r = need(t, nt, 0, "A6 prefix length", ec)) < 0)
		return r;
	if ((r = zk_rd_num(&t[0], 128, &plen, "A6 prefix length", ec)) < 0)
		return r;
	zk_wbuf_u8(w, (uint8_t)plen);
	if (plen < 128) {
		uint8_t a[16];
		size_t slen = (128 - plen + 7) / 8;
		if ((r = need(t, nt, i, "A6 address suffix", ec)) < 0)
			return r;
		if (zk_rd_ipv6(t[i].s, t[i].n, a) < 0)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[i], "bad IPv6 address " TOKF,
			                     TOKA(&t[i]));
		/* As BIND: the prefix bits of the suffix are cleared. */
		a[16 - slen] &= (uint8_t)(0xffu >> (plen % 8));
		zk_wbuf_bytes(w, a + 16 - slen, slen);
		i++;
	}
	if (plen > 0) {
		if ((r = need(t, nt, i, "A6 prefix name", ec)) < 0)
			return r;
		if ((r = zk_rd_name_text_in(&t[i], origin, w, ec)) < 0)
			return r;
		i++;
	}
	return no_more(t, nt, i, ec);
}

const rd_odd_t zk_odd_a6 = {a6_check, a6_from_text, a6_to_text};

/* ---------------------------------------------------------------- NSAP (RFC 1706 §5) */

static int nsap_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	(void)rd;
	if (n < 1)
		return zk_error_at(ec, ZK_ETRUNC, 0, "NSAP: empty");
	return 0;
}

static int nsap_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                        zk_buf_t *out)
{
	(void)flags;
	(void)indent;
	zk_buf_puts(out, "0x");
	hex_lower(rd, n, out);
	return 0;
}

static int nsap_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                          zk_errctx_t *ec)
{
	int hi = -1, r;
	size_t cnt = 0;

	(void)origin;
	if ((r = need(t, nt, 0, "NSAP address", ec)) < 0)
		return r;
	if (t[0].n < 3 || t[0].s[0] != '0' || (t[0].s[1] | 0x20) != 'x')
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[0], "NSAP address must start with 0x");
	for (size_t i = 2; i < t[0].n; i++) {
		if (t[0].s[i] == '.')
			continue;
		int v = hexv((unsigned char)t[0].s[i]);
		if (v < 0)
			return zk_rd_err_tok(ec, ZK_EHEX, &t[0], "bad hex in NSAP address");
		if (hi < 0) {
			hi = v;
		} else {
			zk_wbuf_u8(w, (uint8_t)(hi << 4 | v));
			hi = -1;
			cnt++;
		}
	}
	if (hi >= 0 || cnt == 0)
		return zk_rd_err_tok(ec, ZK_EHEX, &t[0], "NSAP address: odd or no hex digits");
	return no_more(t, nt, 1, ec);
}

const rd_odd_t zk_odd_nsap = {nsap_check, nsap_from_text, nsap_to_text};

/* ---------------------------------------------------------------- ATMA (ATM Forum af-dans-0152) */

static int atma_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 2)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "ATMA: address missing");
	if (rd[0] == 1)
		for (size_t i = 1; i < n; i++)
			if (rd[i] < '0' || rd[i] > '9')
				return zk_error_at(ec, ZK_ERDATA, (long)i,
				                   "ATMA: E.164 address not all digits");
	return 0;
}

static int atma_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                        zk_buf_t *out)
{
	(void)flags;
	(void)indent;
	if (rd[0] == 0) {
		hex_lower(rd + 1, n - 1, out);
		return 0;
	}
	if (rd[0] == 1) {
		zk_buf_putc(out, '+');
		zk_buf_put(out, rd + 1, n - 1);
		return 0;
	}
	return -1;
}

static int atma_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                          zk_errctx_t *ec)
{
	int r;

	(void)origin;
	if ((r = need(t, nt, 0, "ATMA address", ec)) < 0)
		return r;
	const zk_token_t *tk = &t[0];
	if (tk->n > 0 && tk->s[0] == '+') {
		if (tk->n < 2)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "empty ATMA E.164 address");
		for (size_t i = 1; i < tk->n; i++)
			if (tk->s[i] < '0' || tk->s[i] > '9')
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "bad ATMA E.164 address");
		zk_wbuf_u8(w, 1);
		zk_wbuf_bytes(w, tk->s + 1, tk->n - 1);
	} else {
		int hi = -1;
		size_t cnt = 0;
		zk_wbuf_u8(w, 0);
		for (size_t i = 0; i < tk->n; i++) {
			if (tk->s[i] == '.')
				continue;
			int v = hexv((unsigned char)tk->s[i]);
			if (v < 0)
				return zk_rd_err_tok(ec, ZK_EHEX, tk, "bad hex in ATMA address");
			if (hi < 0) {
				hi = v;
			} else {
				zk_wbuf_u8(w, (uint8_t)(hi << 4 | v));
				hi = -1;
				cnt++;
			}
		}
		if (hi >= 0 || cnt == 0)
			return zk_rd_err_tok(ec, ZK_EHEX, tk, "ATMA address: odd or no hex digits");
	}
	return no_more(t, nt, 1, ec);
}

const rd_odd_t zk_odd_atma = {atma_check, atma_from_text, atma_to_text};

/* ---------------------------------------------------------------- gateways */

/* IPSECKEY (RFC 4025 §2.3) and AMTRELAY (RFC 8777 §4.2): a gateway/relay
 * of type 0 (none), 1 (IPv4), 2 (IPv6), 3 (uncompressed name). */
static long gw_len(unsigned type, const uint8_t *p, size_t n, size_t base, zk_errctx_t *ec)
{
	int l;
	switch (type) {
	case 0: return 0;
	case 1:
		if (n < 4)
			return zk_error_at(ec, ZK_ETRUNC, (long)base, "IPv4 gateway cut off");
		return 4;
	case 2:
		if (n < 16)
			return zk_error_at(ec, ZK_ETRUNC, (long)base, "IPv6 gateway cut off");
		return 16;
	case 3:
		l = zk_name_wire_len(p, n);
		if (l < 0)
			return zk_error_at(ec, l, (long)base, "bad gateway name: %s",
			                   zk_strerror(l));
		return l;
	default: return -1;
	}
}

static void gw_text(unsigned type, const uint8_t *p, size_t n, zk_buf_t *out)
{
	switch (type) {
	case 0: zk_buf_putc(out, '.'); break;
	case 1: zk_rd_ipv4_text(p, out); break;
	case 2: zk_rd_ipv6_text(p, out); break;
	default: zk_rd_name_out(p, n, out); break;
	}
}

static int gw_in(unsigned type, const zk_token_t *t, const zk_name_t *origin, zk_wbuf_t *w,
                 zk_errctx_t *ec)
{
	uint8_t a[16];
	switch (type) {
	case 0:
		if (t->n != 1 || t->s[0] != '.')
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "gateway type 0 needs '.'");
		return 0;
	case 1:
		if (zk_rd_ipv4(t->s, t->n, a) < 0)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "bad IPv4 gateway " TOKF, TOKA(t));
		zk_wbuf_bytes(w, a, 4);
		return 0;
	case 2:
		if (zk_rd_ipv6(t->s, t->n, a) < 0)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "bad IPv6 gateway " TOKF, TOKA(t));
		zk_wbuf_bytes(w, a, 16);
		return 0;
	case 3: return zk_rd_name_text_in(t, origin, w, ec);
	default: return zk_rd_err_tok(ec, ZK_ERANGE, t, "unknown gateway type %u", type);
	}
}

/* ---------------------------------------------------------------- IPSECKEY */

static int ipseckey_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 3)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "IPSECKEY: header cut off");
	if (rd[1] > 3)
		return zk_error_at(ec, ZK_ERDATA, 1, "IPSECKEY: unknown gateway type %u", rd[1]);
	long l = gw_len(rd[1], rd + 3, n - 3, 3, ec);
	if (l < 0)
		return (int)l;
	if (3 + (size_t)l >= n)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "IPSECKEY: public key missing");
	return 0;
}

static int ipseckey_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                            zk_buf_t *out)
{
	long l = gw_len(rd[1], rd + 3, n - 3, 3, NULL);
	bool ml = (flags & ZK_RDTEXT_MULTILINE) != 0;
	size_t width = (flags & ZK_RDTEXT_NOSPLIT) ? 0 : ml ? 44 : 56;
	char brk[80];

	/* dig +multiline: "( prec type alg gateway" NL key chunks " )". */
	snprintf(brk, sizeof(brk), "\n%s", indent);
	zk_buf_printf(out, "%s%u %u %u ", ml ? "( " : "", rd[0], rd[1], rd[2]);
	gw_text(rd[1], rd + 3, n - 3, out);
	zk_buf_puts(out, ml ? brk : " ");
	zk_rd_b64_text(rd + 3 + l, n - 3 - (size_t)l, width, ml ? brk : " ", out);
	if (ml)
		zk_buf_puts(out, " )");
	return 0;
}

static int ipseckey_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                              zk_errctx_t *ec)
{
	uint64_t v[3];
	static const char *const what[3] = {"IPSECKEY precedence", "IPSECKEY gateway type",
	                                    "IPSECKEY algorithm"};
	int r;

	for (int i = 0; i < 3; i++) {
		if ((r = need(t, nt, (size_t)i, what[i], ec)) < 0)
			return r;
		if ((r = zk_rd_num(&t[i], i == 1 ? 3 : 255, &v[i], what[i], ec)) < 0)
			return r;
		zk_wbuf_u8(w, (uint8_t)v[i]);
	}
	if ((r = need(t, nt, 3, "IPSECKEY gateway", ec)) < 0)
		return r;
	if ((r = gw_in((unsigned)v[1], &t[3], origin, w, ec)) < 0)
		return r;
	if ((r = need(t, nt, 4, "IPSECKEY public key", ec)) < 0)
		return r;
	return zk_rd_b64_tokens(t + 4, nt - 4, w, "IPSECKEY public key", ec);
}

const rd_odd_t zk_odd_ipseckey = {ipseckey_check, ipseckey_from_text, ipseckey_to_text};

/* ---------------------------------------------------------------- AMTRELAY */

static int amtrelay_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 2)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "AMTRELAY: header cut off");
	unsigned type = rd[1] & 0x7f;
	if (type > 3)
		return 0; /* unknown relay type: opaque, printed as \# */
	long l = gw_len(type, rd + 2, n - 2, 2, ec);
	if (l < 0)
		return (int)l;
	if (2 + (size_t)l != n)
		return zk_error_at(ec, ZK_ERDATA, 2 + l, "AMTRELAY: data after the relay");
	return 0;
}

static int amtrelay_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                            zk_buf_t *out)
{
	(void)flags;
	(void)indent;
	if ((rd[1] & 0x7f) > 3)
		return -1;
	zk_buf_printf(out, "%u %u %u ", rd[0], rd[1] >> 7, rd[1] & 0x7f);
	gw_text(rd[1] & 0x7f, rd + 2, n - 2, out);
	return 0;
}

static int amtrelay_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                              zk_errctx_t *ec)
{
	uint64_t prec, d, type;
	int r;

	if ((r = need(t, nt, 0, "AMTRELAY precedence", ec)) < 0 ||
	    (r = zk_rd_num(&t[0], 255, &prec, "AMTRELAY precedence", ec)) < 0)
		return r;
	if ((r = need(t, nt, 1, "AMTRELAY D bit", ec)) < 0 ||
	    (r = zk_rd_num(&t[1], 1, &d, "AMTRELAY D bit", ec)) < 0)
		return r;
	if ((r = need(t, nt, 2, "AMTRELAY type", ec)) < 0 ||
	    (r = zk_rd_num(&t[2], 3, &type, "AMTRELAY type", ec)) < 0)
		return r;
	zk_wbuf_u8(w, (uint8_t)prec);
	zk_wbuf_u8(w, (uint8_t)(d << 7 | type));
	if ((r = need(t, nt, 3, "AMTRELAY relay", ec)) < 0)
		return r;
	if ((r = gw_in((unsigned)type, &t[3], origin, w, ec)) < 0)
		return r;
	return no_more(t, nt, 4, ec);
}

const rd_odd_t zk_odd_amtrelay = {amtrelay_check, amtrelay_from_text, amtrelay_to_text};

/* ---------------------------------------------------------------- HIP (RFC 8005 §5) */

static int hip_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	if (n < 4)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "HIP: header cut off");
	size_t hl = rd[0], kl = zk_get_u16(rd + 2);
	if (hl == 0)
		return zk_error_at(ec, ZK_ERDATA, 0, "HIP: empty HIT");
	if (kl == 0)
		return zk_error_at(ec, ZK_ERDATA, 2, "HIP: empty public key");
	if (hl + kl > n - 4)
		return zk_error_at(ec, ZK_ETRUNC, (long)n, "HIP: HIT or public key cut off");
	size_t pos = 4 + hl + kl;
	while (pos < n) {
		int l = zk_name_wire_len(rd + pos, n - pos);
		if (l < 0)
			return zk_error_at(ec, l, (long)pos, "HIP: bad rendezvous server: %s",
			                   zk_strerror(l));
		pos += (size_t)l;
	}
	return 0;
}

static int hip_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                       zk_buf_t *out)
{
	size_t hl = rd[0], kl = zk_get_u16(rd + 2), pos = 4 + hl + kl;
	bool ml = (flags & ZK_RDTEXT_MULTILINE) != 0;
	char brk[80];

	/* dig +multiline: "( alg HIT" NL key (never split) NL each server " )". */
	snprintf(brk, sizeof(brk), "\n%s", indent);
	zk_buf_printf(out, "%s%u ", ml ? "( " : "", rd[1]);
	zk_rd_hex_text(rd + 4, hl, 0, "", out);
	zk_buf_puts(out, ml ? brk : " ");
	zk_rd_b64_text(rd + 4 + hl, kl, 0, "", out);
	while (pos < n) {
		zk_buf_puts(out, ml ? brk : " ");
		int l = zk_rd_name_out(rd + pos, n - pos, out);
		if (l <= 0)
			break;
		pos += (size_t)l;
	}
	if (ml)
		zk_buf_puts(out, " )");
	return 0;
}

static int hip_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                         zk_errctx_t *ec)
{
	uint64_t alg;
	size_t hpos, kpos;
	int r;

	if ((r = need(t, nt, 0, "HIP algorithm", ec)) < 0 ||
	    (r = zk_rd_num(&t[0], 255, &alg, "HIP algorithm", ec)) < 0)
		return r;
	if ((r = need(t, nt, 1, "HIP HIT", ec)) < 0)
		return r;
	if ((r = need(t, nt, 2, "HIP public key", ec)) < 0)
		return r;
	hpos = w->len;
	zk_wbuf_u8(w, 0);
	zk_wbuf_u8(w, (uint8_t)alg);
	zk_wbuf_u16(w, 0);
	if ((r = zk_rd_hex_tokens(&t[1], 1, w, "HIP HIT", ec)) < 0)
		return r;
	if (w->err)
		return w->err;
	if (w->len - hpos - 4 > 255 || w->len - hpos - 4 == 0)
		return zk_rd_err_tok(ec, ZK_ERANGE, &t[1], "HIP HIT length not in 1..255");
	w->buf[hpos] = (uint8_t)(w->len - hpos - 4);
	kpos = w->len;
	if ((r = zk_rd_b64_tokens(&t[2], 1, w, "HIP public key", ec)) < 0)
		return r;
	if (w->err)
		return w->err;
	if (w->len - kpos == 0 || w->len - kpos > 65535)
		return zk_rd_err_tok(ec, ZK_ERANGE, &t[2], "HIP public key length");
	zk_put_u16(w->buf + hpos + 2, (uint16_t)(w->len - kpos));
	for (size_t i = 3; i < nt; i++)
		if ((r = zk_rd_name_text_in(&t[i], origin, w, ec)) < 0)
			return r;
	return 0;
}

const rd_odd_t zk_odd_hip = {hip_check, hip_from_text, hip_to_text};

/* ---------------------------------------------------------------- OPT (RFC 6891 §6.1.2) */

static int opt_check(const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	size_t i = 0;

	while (i < n) {
		if (n - i < 4)
			return zk_error_at(ec, ZK_ETRUNC, (long)i, "OPT option header cut off");
		if (zk_get_u16(rd + i + 2) > n - i - 4)
			return zk_error_at(ec, ZK_ETRUNC, (long)i + 2, "OPT option data cut off");
		i += 4 + (size_t)zk_get_u16(rd + i + 2);
	}
	return 0;
}

static int opt_to_text(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                       zk_buf_t *out)
{
	/* The options are shown by the presenter's OPT PSEUDOSECTION. */
	(void)rd;
	(void)n;
	(void)flags;
	(void)indent;
	(void)out;
	return -1;
}

static int opt_from_text(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
                         zk_errctx_t *ec)
{
	(void)nt;
	(void)origin;
	(void)w;
	return zk_rd_err_tok(ec, ZK_ESYNTAX, nt ? t : NULL, "OPT rdata only in \\# form");
}

const rd_odd_t zk_odd_opt = {opt_check, opt_from_text, opt_to_text};
