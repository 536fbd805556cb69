/* rdata_out — rdata wire to presentation text as BIND 9.18 prints it:
 * one line as named-rrchecker -p and dig do (base64/hex in chunks of 56),
 * dig +multiline layouts (see ML_* in rdata_int.h) with dig's rrcomments
 * (key ids, SOA timers in words, DHCID), and RFC 3597 \\# for data with
 * no type-specific text. The input is validated first: malformed rdata
 * prints as \\# and the call says so. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "encode.h"
#include "rdata_int.h"

/* ---------------------------------------------------------------- text out */

/* Types of a bitmap, space separated; wsep (if not NULL) goes before
 * every window but the first (dig +multiline puts one window per line). */
static void bitmap_text(const uint8_t *p, size_t n, const char *wsep, zk_buf_t *out)
{
	char tb[16];
	size_t i = 0;
	bool first = true;

	while (i + 2 <= n) {
		unsigned win = p[i], len = p[i + 1];
		if (!first && wsep != NULL) {
			zk_buf_puts(out, wsep);
			first = true;
		}
		for (unsigned j = 0; j < len && i + 2 + j < n; j++) {
			uint8_t b = p[i + 2 + j];
			for (unsigned bit = 0; bit < 8; bit++) {
				if (!(b & (0x80 >> bit)))
					continue;
				uint16_t t = (uint16_t)(win << 8 | j << 3 | bit);
				if (!first)
					zk_buf_putc(out, ' ');
				first = false;
				zk_buf_put(out, tb, zk_rrtype_to_text(t, tb, sizeof(tb)));
			}
		}
		i += 2 + len;
	}
}

static void generic_out(const uint8_t *rd, size_t n, unsigned flags, zk_buf_t *out)
{
	zk_buf_puts(out, "\\# ");
	zk_rd_put_u64(out, n);
	if (n > 0) {
		zk_buf_putc(out, ' ');
		zk_rd_hex_text(rd, n, (flags & ZK_RDTEXT_NOSPLIT) ? 0 : SPLIT_LINE, " ", out);
	}
}

static void eui_out(const uint8_t *p, size_t octets, zk_buf_t *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < octets; i++) {
		char q[3] = {hx[p[i] >> 4], hx[p[i] & 15], '-'};
		zk_buf_put(out, q, i + 1 < octets ? 3 : 2);
	}
}

static void ilnp_out(const uint8_t *p, zk_buf_t *out)
{
	zk_buf_printf(out, "%x:%x:%x:%x", zk_get_u16(p), zk_get_u16(p + 2), zk_get_u16(p + 4),
	              zk_get_u16(p + 6));
}

/* Text of one field at rd[pos..]; returns the octets consumed. The wire is
 * already validated. brk: what separates base64/hex chunks. */
static size_t field_out(unsigned k, const uint8_t *rd, size_t n, size_t pos, size_t width,
                        const char *brk, zk_buf_t *out)
{
	const uint8_t *p = rd + pos;
	size_t left = n - pos;
	char tb[16];
	const char *m;

	switch (k) {
	case F_NAME: {
		int l = zk_rd_name_out(p, left, out);
		return l > 0 ? (size_t)l : left;
	}
	case F_U8: zk_rd_put_u64(out, p[0]); return 1;
	case F_U16: zk_rd_put_u64(out, zk_get_u16(p)); return 2;
	case F_U32:
	case F_TTL: zk_rd_put_u64(out, zk_get_u32(p)); return 4;
	case F_TIME: zk_rd_time_text(zk_get_u32(p), out); return 4;
	case F_U48: zk_rd_put_u64(out, (uint64_t)zk_get_u16(p) << 32 | zk_get_u32(p + 2)); return 6;
	case F_A: zk_rd_ipv4_text(p, out); return 4;
	case F_AAAA: zk_rd_ipv6_text(p, out); return 16;
	case F_STR:
	case F_X25: zk_rd_str_text(p + 1, p[0], out); return 1 + (size_t)p[0];
	case F_STRS:
	case F_STROPT: {
		size_t i = 0;
		while (i < left) {
			if (i)
				zk_buf_putc(out, ' ');
			zk_rd_str_text(p + i + 1, p[i], out);
			i += 1 + (size_t)p[i];
		}
		return left;
	}
	case F_B64:
	case F_B64Z:
	case F_KEYB64: zk_rd_b64_text(p, left, width, brk, out); return left;
	case F_B64DASH:
		/* BIND prints DOA data in one piece. */
		if (left == 0)
			zk_buf_putc(out, '-');
		else
			zk_rd_b64_text(p, left, 0, "", out);
		return left;
	case F_HEX:
	case F_HEXZ:
	case F_DSHEX:
	case F_ZMDHEX:
	case F_FPHEX: zk_rd_hex_text(p, left, width, brk, out); return left;
	case F_SALT:
		if (p[0] == 0)
			zk_buf_putc(out, '-');
		else
			zk_rd_hex_text(p + 1, p[0], 0, "", out);
		return 1 + (size_t)p[0];
	case F_B32: zk_base32hex_encode(out, p + 1, p[0], true); return 1 + (size_t)p[0];
	case F_BITMAP:
	case F_BITMAPNE: bitmap_text(p, left, NULL, out); return left;
	case F_NXTBM: {
		bool first = true;
		for (size_t i = 0; i < left; i++)
			for (unsigned bit = 0; bit < 8; bit++)
				if (p[i] & (0x80 >> bit)) {
					if (!first)
						zk_buf_putc(out, ' ');
					first = false;
					/* As BIND: unknown types as plain numbers. */
					const char *nm = zk_rrtype_name((uint16_t)(i * 8 + bit));
					if (nm != NULL)
						zk_buf_puts(out, nm);
					else
						zk_rd_put_u64(out, i * 8 + bit);
				}
		return left;
	}
	case F_TYPE:
		zk_buf_put(out, tb, zk_rrtype_to_text(zk_get_u16(p), tb, sizeof(tb)));
		return 2;
	case F_SIGTYPE:
		if (zk_get_u16(p) != 0 && zk_rrtype_name(zk_get_u16(p)) != NULL)
			zk_buf_puts(out, zk_rrtype_name(zk_get_u16(p)));
		else
			zk_rd_put_u64(out, zk_get_u16(p));
		return 2;
	case F_SECALG:
	case F_DIGEST: zk_rd_put_u64(out, p[0]); return 1;
	case F_CERTALG:
		if ((m = zk_rd_mnem_name(zk_rd_secalgs, p[0])) != NULL)
			zk_buf_puts(out, m);
		else
			zk_rd_put_u64(out, p[0]);
		return 1;
	case F_SCHEME:
		if ((m = zk_rd_mnem_name(zk_rd_schemes, p[0])) != NULL)
			zk_buf_puts(out, m);
		else
			zk_rd_put_u64(out, p[0]);
		return 1;
	case F_CERTTYPE:
		if ((m = zk_rd_mnem_name(zk_rd_certtypes, zk_get_u16(p))) != NULL)
			zk_buf_puts(out, m);
		else
			zk_rd_put_u64(out, zk_get_u16(p));
		return 2;
	case F_TSIGERR:
		zk_buf_put(out, tb, zk_rcode_to_text(zk_get_u16(p), true, tb, sizeof(tb)));
		return 2;
	case F_B64L16: {
		uint16_t l = zk_get_u16(p);
		zk_rd_put_u64(out, l);
		if (l > 0) {
			zk_buf_putc(out, ' ');
			zk_rd_b64_text(p + 2, l, 0, "", out);
		}
		return 2 + (size_t)l;
	}
	case F_SVCB: zk_rd_svcb_to_text(p, left, out); return left;
	case F_STRTAIL: zk_rd_str_text(p, left, out); return left;
	case F_EUI48: eui_out(p, 6, out); return 6;
	case F_EUI64: eui_out(p, 8, out); return 8;
	case F_ILNP64: ilnp_out(p, out); return 8;
	case F_CAATAG: zk_buf_put(out, p + 1, p[0]); return 1 + (size_t)p[0];
	default: return left;
	}
}

/* The App. B sum (RFC 4034), for every algorithm. */
static uint16_t keysum(const uint8_t *rd, size_t n)
{
	uint32_t ac = 0;

	for (size_t i = 0; i < n; i++)
		ac += (i & 1) ? rd[i] : (uint32_t)rd[i] << 8;
	ac += ac >> 16 & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

/* RFC 4034 Appendix B, with App. B.1 for algorithm 1 (RSA/MD5): the most
 * significant 16 of the least significant 24 bits of the modulus, i.e.
 * the octets at n-3 and n-2 of the rdata. */
uint16_t zk_rdata_keytag(const uint8_t *rd, size_t n)
{
	if (n >= 4 && rd[3] == 1)
		return n >= 7 ? (uint16_t)(rd[n - 3] << 8 | rd[n - 2]) : 0;
	return keysum(rd, n);
}

/* The key id dig prints: BIND (9.18) no longer has RSAMD5 and uses the
 * App. B sum for every algorithm, B.1 included. */
static uint16_t bind_keyid(const uint8_t *rd, size_t n)
{
	return keysum(rd, n);
}

/* dig's rrcomment after a key in multiline style. */
static void key_comment(uint16_t type, const uint8_t *rd, size_t n, zk_buf_t *out)
{
	const char *alg = zk_rdata_secalg_name(rd[3]);
	uint16_t flags = zk_get_u16(rd);

	if (type == ZK_TYPE_DNSKEY || type == ZK_TYPE_CDNSKEY) {
		/* As dig: "revoked" (RFC 5011 §7) is only said of a KSK. */
		zk_buf_puts(out, " ; ");
		if ((flags & 0x0001) && (flags & 0x0080))
			zk_buf_puts(out, "revoked ");
		zk_buf_puts(out, (flags & 0x0001) ? "KSK" : "ZSK");
	}
	zk_buf_puts(out, "; alg = ");
	if (alg)
		zk_buf_puts(out, alg);
	else
		zk_rd_put_u64(out, rd[3]);
	zk_buf_puts(out, " ; key id = ");
	zk_rd_put_u64(out, bind_keyid(rd, n));
}

/* TTL-style comment as BIND's dns_ttl_totext(verbose): "1 hour", "15 minutes". */
static void ttl_words(uint32_t v, zk_buf_t *out)
{
	static const struct {
		uint32_t secs;
		const char *unit;
	} u[] = {{604800, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
	bool first = true;

	for (int i = 0; i < 5; i++) {
		uint32_t c = v / u[i].secs;
		if (c == 0)
			continue;
		v %= u[i].secs;
		if (!first)
			zk_buf_puts(out, " ");
		first = false;
		zk_rd_put_u64(out, c);
		zk_buf_putc(out, ' ');
		zk_buf_puts(out, u[i].unit);
		if (c != 1)
			zk_buf_putc(out, 's');
	}
	if (first)
		zk_buf_puts(out, "0 seconds");
}

static void soa_multiline(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                          zk_buf_t *out)
{
	static const char *const names[5] = {"serial", "refresh", "retry", "expire", "minimum"};
	size_t pos = 0;

	for (int i = 0; i < 2; i++) {
		pos += field_out(F_NAME, rd, n, pos, 0, "", out);
		zk_buf_putc(out, ' ');
	}
	zk_buf_putc(out, '(');
	for (int i = 0; i < 5; i++, pos += 4) {
		uint32_t v = zk_get_u32(rd + pos);
		size_t before;
		zk_buf_putc(out, '\n');
		zk_buf_puts(out, indent);
		before = out->len;
		zk_rd_put_u64(out, v);
		if (flags & ZK_RDTEXT_COMMENTS) {
			size_t w = out->len - before;
			for (; w < 10; w++)
				zk_buf_putc(out, ' ');
			zk_buf_puts(out, " ; ");
			zk_buf_puts(out, names[i]);
			if (i > 0) {
				zk_buf_puts(out, " (");
				ttl_words(v, out);
				zk_buf_putc(out, ')');
			}
		}
	}
	/* Without comments dig closes right after the minimum. */
	if (flags & ZK_RDTEXT_COMMENTS) {
		zk_buf_putc(out, '\n');
		zk_buf_puts(out, indent);
	}
	zk_buf_putc(out, ')');
}

static bool is_key_type(uint16_t type)
{
	return type == ZK_TYPE_DNSKEY || type == ZK_TYPE_CDNSKEY || type == ZK_TYPE_KEY ||
	       type == ZK_TYPE_RKEY;
}

/* dig +nocrypto: the key becomes "[key id = N]"; RRSIG signatures (not
 * SIG), DS and ZONEMD digests and OPENPGPKEY data become "[omitted]". */
static const char *crypto_blob(uint16_t type, unsigned k)
{
	if (k == F_B64 || k == F_B64Z || k == F_KEYB64) {
		if (is_key_type(type))
			return "key";
		if (type == ZK_TYPE_RRSIG || type == ZK_TYPE_OPENPGPKEY)
			return "omitted";
	}
	if (k == F_DSHEX || k == F_ZMDHEX)
		return "omitted";
	return NULL;
}

/* One field, with the +nocrypto replacements. */
static size_t field_text(uint16_t type, unsigned k, const uint8_t *rd, size_t n, size_t pos,
                         unsigned flags, size_t width, const char *brk, zk_buf_t *out)
{
	const char *blob = (flags & ZK_RDTEXT_NOCRYPTO) && pos < n ? crypto_blob(type, k) : NULL;

	if (blob != NULL && blob[0] == 'k') {
		zk_buf_puts(out, "[key id = ");
		zk_rd_put_u64(out, bind_keyid(rd, n));
		zk_buf_putc(out, ']');
		return n - pos;
	}
	if (blob != NULL) {
		zk_buf_puts(out, "[omitted]");
		return n - pos;
	}
	if (flags & ZK_RDTEXT_NOSPLIT)
		width = 0;
	return field_out(k, rd, n, pos, width, brk, out);
}

static void generic_multiline(const uint8_t *rd, size_t n, const char *brk, unsigned flags,
                              zk_buf_t *out)
{
	/* BIND: "\# len ( hex )", no parentheses for "\# 0". */
	zk_buf_puts(out, "\\# ");
	zk_rd_put_u64(out, n);
	if (n == 0)
		return;
	zk_buf_puts(out, " ( ");
	zk_rd_hex_text(rd, n, (flags & ZK_RDTEXT_NOSPLIT) ? 0 : SPLIT_MULTI, brk, out);
	zk_buf_puts(out, " )");
}

/* dig +multiline layouts (see ML_* in rdata_int.h). */
static void multiline_text(const zk_rrdesc_t *d, uint16_t type, const uint8_t *rd, size_t n,
                           unsigned flags, const char *brk, zk_buf_t *out)
{
	size_t pos = 0;
	int nf = 0;
	bool comments = (flags & ZK_RDTEXT_COMMENTS) != 0;

	while (nf < ZK_RD_MAXFIELDS && d->fields[nf] != F_END)
		nf++;
	switch (d->ml) {
	case ML_REST:
	case ML_KEY:
		for (int i = 0; i < d->paren; i++) {
			if (i)
				zk_buf_putc(out, ' ');
			pos += field_text(type, d->fields[i], rd, n, pos, flags, 0, "", out);
		}
		if (pos == n)
			return; /* nothing to wrap (KEY 49152 3 8, SINK 0 0 0) */
		zk_buf_puts(out, " (");
		zk_buf_puts(out, brk);
		pos +=
		    field_text(type, d->fields[d->paren], rd, n, pos, flags, SPLIT_MULTI, brk, out);
		if (d->ml == ML_KEY && comments) {
			zk_buf_puts(out, brk);
			zk_buf_putc(out, ')');
			key_comment(type, rd, n, out);
		} else {
			zk_buf_puts(out, " )");
		}
		return;
	case ML_SIG:
	case ML_NSEC3:
		for (int i = 0; i < nf; i++) {
			unsigned k = d->fields[i];
			if (i == d->paren) {
				zk_buf_puts(out, " (");
				zk_buf_puts(out, brk);
			} else if (i > d->paren && is_rest(k)) {
				if (pos == n)
					continue;
				zk_buf_puts(out, brk);
			} else if (i > 0) {
				zk_buf_putc(out, ' ');
			}
			if (k == F_BITMAP) {
				bitmap_text(rd + pos, n - pos, brk, out);
				pos = n;
			} else {
				pos +=
				    field_text(type, k, rd, n, pos, flags, SPLIT_MULTI, brk, out);
			}
		}
		zk_buf_puts(out, " )");
		return;
	case ML_WHOLE:
		zk_buf_puts(out, "( ");
		for (int i = 0; i < nf; i++) {
			unsigned k = d->fields[i];
			if (i > 0)
				zk_buf_puts(out, is_rest(k) ? brk : " ");
			pos += field_text(type, k, rd, n, pos, flags, SPLIT_MULTI, brk, out);
		}
		zk_buf_puts(out, " )");
		if (type == ZK_TYPE_DHCID && n >= 3) {
			/* RFC 4701 §3.3: identifier type, digest type, digest
			 * length; dig prints it even with +norrcomments. */
			zk_buf_puts(out, " ; ");
			zk_rd_put_u64(out, zk_get_u16(rd));
			zk_buf_putc(out, ' ');
			zk_rd_put_u64(out, rd[2]);
			zk_buf_putc(out, ' ');
			zk_rd_put_u64(out, n - 3);
		}
		return;
	case ML_SPACE:
		zk_buf_puts(out, " (");
		field_text(type, d->fields[0], rd, n, 0, flags, SPLIT_MULTI, brk, out);
		zk_buf_puts(out, " )");
		return;
	default: return;
	}
}

int zk_rdata_to_text(uint16_t type, const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                     zk_buf_t *out)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	bool ml = (flags & ZK_RDTEXT_MULTILINE) != 0;
	size_t pos = 0;
	char brk[80];

	if (indent == NULL)
		indent = "\t";
	{
		/* "\n" + indent, cut to fit; no printf per record */
		size_t il = strnlen(indent, sizeof(brk) - 2);
		brk[0] = '\n';
		memcpy(brk + 1, indent, il);
		brk[il + 1] = '\0';
	}
	if (zk_rdata_check(type, rd, n, NULL) < 0) {
		if (ml)
			generic_multiline(rd, n, brk, flags, out);
		else
			generic_out(rd, n, flags, out);
		return ZK_ERDATA;
	}
	if (d == NULL || (flags & ZK_RDTEXT_GENERIC) || d->fields[0] == F_GENERIC) {
		if (ml)
			generic_multiline(rd, n, brk, flags, out);
		else
			generic_out(rd, n, flags, out);
		return 0;
	}
	if (d->fields[0] == F_ODD) {
		size_t before = out->len;
		if (d->odd->to_text(rd, n, flags, indent, out) < 0) {
			out->len = before;
			if (ml)
				generic_multiline(rd, n, brk, flags, out);
			else
				generic_out(rd, n, flags, out);
		}
		return 0;
	}
	if (ml && d->ml == ML_SOA) {
		soa_multiline(rd, n, flags, indent, out);
		return 0;
	}
	if (ml && d->ml != ML_NONE) {
		multiline_text(d, type, rd, n, flags, brk, out);
		return 0;
	}
	for (int i = 0; i < ZK_RD_MAXFIELDS && d->fields[i] != F_END; i++) {
		unsigned k = d->fields[i];
		/* No separator before an empty last field (TXT-like lists
		 * and bitmaps), nor before SvcParams (each brings its own). */
		if (i > 0 && k != F_SVCB &&
		    !(is_rest(k) && pos == n && k != F_B64DASH && k != F_STRTAIL))
			zk_buf_putc(out, ' ');
		pos += field_text(type, k, rd, n, pos, flags, SPLIT_LINE, " ", out);
	}
	/* dig +rrcomments in one-line style: the key comment after a space. */
	if ((flags & ZK_RDTEXT_COMMENTS) && is_key_type(type) && n > 4) {
		zk_buf_putc(out, ' ');
		key_comment(type, rd, n, out);
	}
	return 0;
}
