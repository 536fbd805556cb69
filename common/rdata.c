/* rdata — rdata wire <-> text driven by the type table (rrtype.c).
 *
 * Every job walks the row's field kinds: validation of wire data, text in,
 * text out, canonical form and (de)compression. The odd types (LOC, APL,
 * WKS, ...) bring their own hooks (rdata_odd.c), SVCB parameters live in
 * rdata_svcb.c, text helpers in rdata_text.c, text output in rdata_out.c.
 *
 * Wire data here is untrusted (it comes from the network and from fuzzers):
 * every read is bounded by the rdata length, names go through name.c's
 * bounded decoders (no pointers in stored rdata; in messages strictly
 * backward pointers and only where RFC 3597 §4 allows them), length octets
 * are checked against what is left, and nothing is written to an output
 * argument before the whole rdata is valid.
 *
 * Text in is on the hot path of the zone parser: no allocation, no sscanf,
 * no strtol on unterminated tokens; numbers and base64/hex are decoded by
 * hand straight into the caller's buffer. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "encode.h"
#include "rdata_int.h"

static const char *type_label(uint16_t type, char *buf, size_t cap)
{
	zk_rrtype_to_text(type, buf, cap);
	return buf;
}

/* ---------------------------------------------------------------- type bitmaps */

/* RFC 4034 §4.1.2: windows in increasing order, 1..32 octets each, no
 * trailing zero octet (BIND's rules). */
static int bitmap_check(const uint8_t *p, size_t n, size_t base, bool nonempty, zk_errctx_t *ec)
{
	size_t i = 0;
	int last = -1;

	if (nonempty && n == 0)
		return zk_error_at(ec, ZK_ERDATA, (long)base, "empty type bitmap");
	while (i < n) {
		if (n - i < 2)
			return zk_error_at(ec, ZK_ERDATA, (long)(base + i),
			                   "type bitmap window header cut off");
		unsigned win = p[i], len = p[i + 1];
		if ((int)win <= last)
			return zk_error_at(ec, ZK_ERDATA, (long)(base + i),
			                   "type bitmap windows out of order");
		if (len < 1 || len > 32)
			return zk_error_at(ec, ZK_ERDATA, (long)(base + i + 1),
			                   "type bitmap window length %u not in 1..32", len);
		if (len > n - i - 2)
			return zk_error_at(ec, ZK_ERDATA, (long)(base + i + 1),
			                   "type bitmap window runs past the rdata");
		if (p[i + 2 + len - 1] == 0)
			return zk_error_at(ec, ZK_ERDATA, (long)(base + i + 2 + len - 1),
			                   "type bitmap window ends in a zero octet");
		last = (int)win;
		i += 2 + len;
	}
	return 0;
}

static int bitmap_in_large(const zk_token_t *t, size_t nt, zk_wbuf_t *w, zk_errctx_t *ec)
{
	uint8_t bits[256][32];
	uint8_t used[256];
	bool any = false;

	memset(used, 0, sizeof(used));
	for (size_t k = 0; k < nt; k++) {
		uint16_t type;
		if (zk_rrtype_from_text(t[k].s, t[k].n, &type) < 0)
			return zk_rd_err_tok(ec, ZK_ETYPE, &t[k], "type bitmap: unknown type " TOKF,
			                     TOKA(&t[k]));
		unsigned win = type >> 8, oct = (type & 0xff) >> 3;
		if (!used[win]) {
			memset(bits[win], 0, 32);
			used[win] = 1;
		}
		bits[win][oct] |= (uint8_t)(0x80 >> (type & 7));
		if (used[win] < oct + 1)
			used[win] = (uint8_t)(oct + 1);
		any = true;
	}
	if (!any)
		return 0;
	for (unsigned win = 0; win < 256; win++) {
		if (!used[win])
			continue;
		zk_wbuf_u8(w, (uint8_t)win);
		zk_wbuf_u8(w, used[win]);
		zk_wbuf_bytes(w, bits[win], used[win]);
	}
	return 0;
}

/* Emit an RFC 4034 §4.1.2 bitmap of sorted, distinct types. */
static void bitmap_emit(const uint16_t *ty, size_t n, zk_wbuf_t *w)
{
	size_t i = 0;

	while (i < n) {
		unsigned win = ty[i] >> 8;
		uint8_t bits[32];
		size_t used = 0;
		memset(bits, 0, sizeof(bits));
		for (; i < n && (unsigned)(ty[i] >> 8) == win; i++) {
			unsigned oct = (ty[i] & 0xff) >> 3;
			bits[oct] |= (uint8_t)(0x80 >> (ty[i] & 7));
			used = oct + 1;
		}
		zk_wbuf_u8(w, (uint8_t)win);
		zk_wbuf_u8(w, (uint8_t)used);
		zk_wbuf_bytes(w, bits, used);
	}
}

static int bitmap_in(const zk_token_t *t, size_t nt, zk_wbuf_t *w, zk_errctx_t *ec)
{
	/* Usually a handful of types: sort them in a small array. */
	uint16_t ty[256];
	size_t n = 0;

	for (size_t k = 0; k < nt; k++) {
		uint16_t type;
		if (zk_rrtype_from_text(t[k].s, t[k].n, &type) < 0)
			return zk_rd_err_tok(ec, ZK_ETYPE, &t[k], "type bitmap: unknown type " TOKF,
			                     TOKA(&t[k]));
		if (n == sizeof(ty) / sizeof(ty[0]))
			return bitmap_in_large(t, nt, w, ec);
		size_t j = n;
		while (j > 0 && ty[j - 1] > type) {
			ty[j] = ty[j - 1];
			j--;
		}
		if (j > 0 && ty[j - 1] == type) {
			/* duplicate: undo the shift */
			memmove(ty + j, ty + j + 1, (n - j) * sizeof(ty[0]));
			continue;
		}
		ty[j] = type;
		n++;
	}
	bitmap_emit(ty, n, w);
	return 0;
}

/* NXT (RFC 2535 §5.2): one bitmap of types 0..127, no trailing zero. */
static int nxtbm_check(const uint8_t *p, size_t n, size_t base, zk_errctx_t *ec)
{
	/* Bit 0 set would announce another bitmap format (RFC 2535 §5.2),
	 * which has no text form: refused, like types above 127. */
	if (n > 16 || (n > 0 && (p[n - 1] == 0 || (p[0] & 0x80))))
		return zk_error_at(ec, ZK_ERDATA, (long)base, "bad NXT type bitmap");
	return 0;
}

/* An NXT bitmap entry: a mnemonic or (as BIND prints unknown ones) a
 * number, 1..127. */
static int nxt_type(const zk_token_t *t, uint16_t *ty)
{
	uint64_t v;

	if (t->n > 0 && t->s[0] >= '0' && t->s[0] <= '9') {
		if (zk_rd_num(t, 127, &v, "NXT type", NULL) < 0)
			return -1;
		*ty = (uint16_t)v;
	} else if (zk_rrtype_from_text(t->s, t->n, ty) < 0) {
		return -1;
	}
	return *ty >= 1 && *ty <= 127 ? 0 : -1;
}

/* ---------------------------------------------------------------- field walker (wire) */

static const char *kind_name(unsigned k)
{
	switch (k) {
	case F_NAME: return "name";
	case F_U8: return "8-bit field";
	case F_U16: return "16-bit field";
	case F_U32:
	case F_TTL: return "32-bit field";
	case F_TIME: return "time";
	case F_U48: return "48-bit time";
	case F_A: return "IPv4 address";
	case F_AAAA: return "IPv6 address";
	case F_STR:
	case F_STRS:
	case F_STROPT:
	case F_X25: return "character-string";
	case F_B64:
	case F_B64Z:
	case F_B64DASH: return "base64 data";
	case F_HEX:
	case F_HEXZ: return "hex data";
	case F_SALT: return "salt";
	case F_B32: return "next hashed owner";
	case F_BITMAP:
	case F_BITMAPNE:
	case F_NXTBM: return "type bitmap";
	case F_TYPE:
	case F_SIGTYPE: return "type";
	case F_SECALG:
	case F_CERTALG: return "algorithm";
	case F_DIGEST: return "digest type";
	case F_DSHEX:
	case F_ZMDHEX:
	case F_FPHEX: return "digest";
	case F_CERTTYPE: return "certificate type";
	case F_SVCB: return "SvcParams";
	case F_B64L16: return "length-prefixed data";
	case F_TSIGERR: return "error";
	case F_STRTAIL: return "text";
	case F_EUI48:
	case F_EUI64: return "EUI address";
	case F_ILNP64: return "locator";
	case F_SCHEME: return "scheme";
	case F_CAATAG: return "tag";
	default: return "field";
	}
}

static size_t fixed_size(unsigned k)
{
	switch (k) {
	case F_U8:
	case F_SECALG:
	case F_DIGEST:
	case F_CERTALG:
	case F_SCHEME: return 1;
	case F_U16:
	case F_TYPE:
	case F_SIGTYPE:
	case F_CERTTYPE:
	case F_TSIGERR: return 2;
	case F_U32:
	case F_TTL:
	case F_TIME:
	case F_A: return 4;
	case F_U48:
	case F_EUI48: return 6;
	case F_EUI64:
	case F_ILNP64: return 8;
	case F_AAAA: return 16;
	default: return 0;
	}
}

/* Digest length rules: DS family (RFC 4034 §5.1.4, RFC 4509, RFC 6605),
 * ZONEMD (RFC 8976 §2.2.4: at least 12 octets) and SSHFP; BIND's. */
static int digest_rule(unsigned k, unsigned dt, size_t len, unsigned *want)
{
	static const unsigned zmd[3] = {0, 48, 64};
	*want = 0;
	if (k == F_ZMDHEX) {
		*want = dt <= 2 ? zmd[dt] : 0;
		if (len < 12)
			return -1;
	} else if (k == F_FPHEX) {
		/* RFC 4255 §3.1.2, RFC 6594: SHA-1, SHA-256 fingerprints. */
		*want = dt == 1 ? 20 : dt == 2 ? 32 : 0;
	} else {
		switch (dt) {
		case 1: *want = 20; break;
		case 2:
		case 3: *want = 32; break;
		case 4: *want = 48; break;
		default: break;
		}
	}
	return *want && len != *want ? -1 : 0;
}

/* Validate field kind k at rd[pos..n); returns its length or an error. */
static long field_len(unsigned k, const uint8_t *rd, size_t n, size_t pos, zk_errctx_t *ec)
{
	size_t left = n - pos, fs = fixed_size(k);
	const uint8_t *p = rd + pos;
	int r;

	if (fs) {
		if (left < fs)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos,
			                   "%s cut off (%zu of %zu octets)", kind_name(k), left,
			                   fs);
		return (long)fs;
	}
	switch (k) {
	case F_NAME:
		r = zk_name_wire_len(p, left);
		if (r < 0)
			return zk_error_at(ec, r, (long)pos, "bad name in rdata: %s",
			                   zk_strerror(r));
		return r;
	case F_STR:
	case F_X25:
		if (left < 1 || p[0] > left - 1)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "character-string cut off");
		if (k == F_X25 && p[0] < 4)
			return zk_error_at(ec, ZK_ERDATA, (long)pos, "X25 address shorter than 4");
		for (unsigned i = 1; k == F_X25 && i <= p[0]; i++)
			if (p[i] < '0' || p[i] > '9')
				return zk_error_at(ec, ZK_ERDATA, (long)(pos + i),
				                   "X25 address not all digits");
		return 1 + (long)p[0];
	case F_STRS:
	case F_STROPT: {
		size_t i = 0, cnt = 0;
		if (k == F_STRS && left == 0)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "no character-string");
		while (i < left) {
			if (p[i] > left - i - 1)
				return zk_error_at(ec, ZK_ETRUNC, (long)(pos + i),
				                   "character-string cut off");
			i += 1 + (size_t)p[i];
			cnt++;
		}
		if (k == F_STROPT && cnt > 1)
			return zk_error_at(ec, ZK_ERDATA, (long)pos, "more than one subaddress");
		return (long)left;
	}
	case F_B64:
	case F_HEX:
		if (left == 0)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "%s missing", kind_name(k));
		return (long)left;
	case F_KEYB64:
		/* RFC 2535 §3.1.2: no key only with both NOKEY bits (0xC000). */
		if (left == 0 && pos >= 2 && (zk_get_u16(rd) & 0xc000) != 0xc000)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "key missing");
		return (long)left;
	case F_B64Z:
	case F_HEXZ:
	case F_STRTAIL:
	case F_B64DASH:
	case F_GENERIC: return (long)left;
	case F_SALT:
	case F_B32:
		if (left < 1 || p[0] > left - 1)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "%s cut off", kind_name(k));
		if (k == F_B32 && p[0] == 0)
			return zk_error_at(ec, ZK_ERDATA, (long)pos, "empty next hashed owner");
		/* The hash must fit one label in base32hex (RFC 5155 §3.3:
		 * 63 characters, 39 octets), as BIND requires. */
		if (k == F_B32 && p[0] > 39)
			return zk_error_at(ec, ZK_ERDATA, (long)pos,
			                   "next hashed owner of %u octets, more than 39", p[0]);
		/* RFC 5155 §3.2: SHA-1 (hash algorithm 1) gives 20 octets. */
		if (k == F_B32 && rd[0] == 1 && p[0] != 20)
			return zk_error_at(ec, ZK_ERDATA, (long)pos,
			                   "next hashed owner of %u octets, SHA-1 gives 20", p[0]);
		return 1 + (long)p[0];
	case F_CAATAG:
		if (left < 1 || p[0] > left - 1)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "CAA tag cut off");
		if (p[0] == 0)
			return zk_error_at(ec, ZK_ERDATA, (long)pos, "empty CAA tag");
		for (unsigned i = 1; i <= p[0]; i++) {
			uint8_t c = p[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z')))
				return zk_error_at(ec, ZK_ERDATA, (long)(pos + i),
				                   "CAA tag not alphanumeric");
		}
		return 1 + (long)p[0];
	case F_BITMAP:
	case F_BITMAPNE:
		r = bitmap_check(p, left, pos, k == F_BITMAPNE, ec);
		return r < 0 ? r : (long)left;
	case F_NXTBM: r = nxtbm_check(p, left, pos, ec); return r < 0 ? r : (long)left;
	case F_SVCB: r = zk_rd_svcb_check(p, left, pos, ec); return r < 0 ? r : (long)left;
	case F_B64L16:
		if (left < 2 || zk_get_u16(p) > left - 2)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos,
			                   "length-prefixed data cut off");
		return 2 + (long)zk_get_u16(p);
	case F_DSHEX:
	case F_ZMDHEX:
	case F_FPHEX: {
		/* The digest type is the octet just before. */
		unsigned want;
		if (left == 0)
			return zk_error_at(ec, ZK_ETRUNC, (long)pos, "digest missing");
		if (pos > 0 && digest_rule(k, rd[pos - 1], left, &want) < 0)
			return zk_error_at(ec, ZK_ERDATA, (long)pos,
			                   "digest of %zu octets, digest type %u needs %s%u", left,
			                   rd[pos - 1], want ? "" : "at least ", want ? want : 12);
		return (long)left;
	}
	default: return zk_error_at(ec, ZK_EINVAL, (long)pos, "internal: field kind %u", k);
	}
}

int zk_rdata_check(uint16_t type, const uint8_t *rd, size_t n, zk_errctx_t *ec)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	size_t pos = 0;

	if (n > ZK_RDATA_MAXLEN)
		return zk_error(ec, ZK_ERDLEN, "rdata longer than 65535 octets");
	if (d == NULL)
		return 0; /* RFC 3597: unknown types are opaque */
	if (d->fields[0] == F_ODD)
		return d->odd->check(rd, n, ec);
	for (int i = 0; i < ZK_RD_MAXFIELDS && d->fields[i] != F_END; i++) {
		long l = field_len(d->fields[i], rd, n, pos, ec);
		if (l < 0) {
			if (ec != NULL) {
				char tb[16], m[sizeof(ec->msg)];
				snprintf(m, sizeof(m), "%s field %d: %.200s",
				         type_label(type, tb, sizeof(tb)), i + 1, ec->msg);
				memcpy(ec->msg, m, sizeof(ec->msg));
			}
			return (int)l;
		}
		pos += (size_t)l;
	}
	if (pos != n)
		return zk_error_at(ec, ZK_ERDATA, (long)pos, "%zu octets of trailing data in rdata",
		                   n - pos);
	return 0;
}

/* ---------------------------------------------------------------- text in */

static int generic_in(uint16_t type, const zk_token_t *t, size_t nt, zk_wbuf_t *w, zk_errctx_t *ec)
{
	uint64_t len;
	size_t start = w->len;
	int r;

	/* RFC 3597 §5: \# <length> <hex words> */
	if (nt < 2)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[0], "\\# without a length");
	if ((r = zk_rd_num(&t[1], 65535, &len, "\\# length", ec)) < 0)
		return r;
	if (len == 0 && nt > 2)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, &t[2], "data after \\# 0");
	if ((r = zk_rd_hex_tokens(t + 2, nt - 2, w, "\\# data", ec)) < 0)
		return r;
	if (w->err)
		return zk_error(ec, w->err, "rdata does not fit the buffer");
	if (w->len - start != len)
		return zk_rd_err_tok(ec, ZK_ERDLEN, &t[1], "\\# length %llu but %zu octets of data",
		                     (unsigned long long)len, w->len - start);
	return zk_rdata_check(type, w->buf + start, w->len - start, ec);
}

static int str_in(const zk_token_t *t, zk_wbuf_t *w, zk_errctx_t *ec)
{
	uint8_t *p = zk_wbuf_room(w, 1);
	size_t len;
	int r;

	if (p == NULL)
		return zk_error(ec, ZK_ESPACE, "rdata does not fit the buffer");
	/* Fast path: no escapes, copy as is. */
	if (memchr(t->s, '\\', t->n) == NULL) {
		if (t->n > 255)
			return zk_rd_err_tok(ec, ZK_ERANGE, t,
			                     "character-string longer than 255 octets");
		*p = (uint8_t)t->n;
		zk_wbuf_bytes(w, t->s, t->n);
		return 0;
	}
	uint8_t tmp[255];
	if ((r = zk_rd_unescape(t, tmp, sizeof(tmp), &len, ec)) < 0) {
		if (r == ZK_ERANGE && ec != NULL)
			snprintf(ec->msg, sizeof(ec->msg),
			         "character-string longer than 255 octets");
		return r;
	}
	*p = (uint8_t)len;
	zk_wbuf_bytes(w, tmp, len);
	return 0;
}

static int eui_in(const zk_token_t *t, size_t octets, zk_wbuf_t *w, zk_errctx_t *ec)
{
	/* xx-xx-...: 3 characters per octet minus the last dash. */
	if (t->n != octets * 3 - 1)
		goto bad;
	for (size_t i = 0; i < octets; i++) {
		int h = zk_rd_hexval((unsigned char)t->s[3 * i]),
		    l = zk_rd_hexval((unsigned char)t->s[3 * i + 1]);
		if (h < 0 || l < 0 || (i + 1 < octets && t->s[3 * i + 2] != '-'))
			goto bad;
		zk_wbuf_u8(w, (uint8_t)(h << 4 | l));
	}
	return 0;
bad:
	return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "bad EUI-%zu address " TOKF, octets * 8, TOKA(t));
}

static int ilnp_in(const zk_token_t *t, zk_wbuf_t *w, zk_errctx_t *ec)
{
	/* RFC 6742 §2.3/§2.5: four groups of 1..4 hex digits, colon separated. */
	size_t i = 0;

	for (int g = 0; g < 4; g++) {
		unsigned v = 0, digits = 0;
		while (i < t->n && t->s[i] != ':') {
			int h = zk_rd_hexval((unsigned char)t->s[i]);
			if (h < 0 || ++digits > 4)
				goto bad;
			v = v << 4 | (unsigned)h;
			i++;
		}
		if (digits == 0)
			goto bad;
		if (g < 3) {
			if (i >= t->n)
				goto bad;
			i++;
		}
		zk_wbuf_u16(w, (uint16_t)v);
	}
	if (i != t->n)
		goto bad;
	return 0;
bad:
	return zk_rd_err_tok(ec, ZK_ESYNTAX, t, "bad 64-bit locator " TOKF, TOKA(t));
}

/* One field of kind k from the tokens at *ti. */
static int field_in(uint16_t type, unsigned k, const zk_token_t *t, size_t nt, size_t *ti,
                    const zk_name_t *origin, zk_wbuf_t *w, zk_errctx_t *ec)
{
	const zk_token_t *tk = &t[*ti];
	const char *what = kind_name(k);
	uint64_t v;
	uint32_t v32 = 0;
	uint8_t a[16];
	int r;

	if (is_rest(k)) {
		size_t rest = nt - *ti;
		*ti = nt;
		switch (k) {
		case F_STRS:
			if (rest == 0)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing character-string");
			for (size_t j = 0; j < rest; j++)
				if ((r = str_in(&tk[j], w, ec)) < 0)
					return r;
			return 0;
		case F_STROPT:
			if (rest > 1)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, &tk[1], "extra token " TOKF,
				                     TOKA(&tk[1]));
			return rest ? str_in(tk, w, ec) : 0;
		case F_B64:
		case F_B64Z:
		case F_KEYB64:
			if (rest == 0) {
				if (k == F_B64Z || (k == F_KEYB64 && w->len >= 2 && !w->err &&
				                    (zk_get_u16(w->buf) & 0xc000) == 0xc000))
					return 0;
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing base64 data");
			}
			{
				size_t start = w->len;
				if ((r = zk_rd_b64_tokens(tk, rest, w, what, ec)) < 0)
					return r;
				if (k != F_B64Z && !w->err && w->len == start)
					return zk_rd_err_tok(ec, ZK_EBASE64, tk, "empty %s", what);
			}
			return 0;
		case F_B64DASH:
			if (rest == 1 && tk->n == 1 && tk->s[0] == '-' && !tk->quoted)
				return 0;
			if (rest == 0)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing base64 data (or '-')");
			return zk_rd_b64_tokens(tk, rest, w, what, ec);
		case F_HEX:
		case F_HEXZ:
		case F_ZMDHEX:
		case F_FPHEX:
		case F_DSHEX: {
			size_t start = w->len;
			if (rest == 0) {
				if (k == F_HEXZ)
					return 0;
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing %s", what);
			}
			if ((r = zk_rd_hex_tokens(tk, rest, w, what, ec)) < 0)
				return r;
			if (k != F_HEXZ && !w->err && w->len == start)
				return zk_rd_err_tok(ec, ZK_EHEX, tk, "empty %s", what);
			if ((k == F_DSHEX || k == F_ZMDHEX || k == F_FPHEX) && !w->err &&
			    start > 0) {
				unsigned want;
				size_t got = w->len - start;
				if (digest_rule(k, w->buf[start - 1], got, &want) < 0)
					return zk_rd_err_tok(ec, ZK_ERDATA, tk,
					                     "digest of %zu octets, digest type %u "
					                     "needs %s%u",
					                     got, w->buf[start - 1],
					                     want ? "" : "at least ",
					                     want ? want : 12);
			}
			return 0;
		}
		case F_BITMAP:
		case F_BITMAPNE:
			if (rest == 0 && k == F_BITMAPNE)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing type list");
			return bitmap_in(tk, rest, w, ec);
		case F_NXTBM: {
			uint8_t bm[16];
			unsigned used = 0;
			memset(bm, 0, sizeof(bm));
			for (size_t j = 0; j < rest; j++) {
				uint16_t ty;
				if (nxt_type(&tk[j], &ty) < 0)
					return zk_rd_err_tok(ec, ZK_ETYPE, &tk[j],
					                     "NXT bitmap: bad type " TOKF,
					                     TOKA(&tk[j]));
				bm[ty >> 3] |= (uint8_t)(0x80 >> (ty & 7));
				if (used < (ty >> 3) + 1u)
					used = (ty >> 3) + 1u;
			}
			zk_wbuf_bytes(w, bm, used);
			return 0;
		}
		case F_SVCB: return zk_rd_svcb_from_text(tk, rest, w, ec);
		case F_STRTAIL: {
			size_t len;
			uint8_t *p;
			if (rest == 0)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk > t ? tk - 1 : NULL,
				                     "missing %s", what);
			if (rest > 1)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, &tk[1], "extra token " TOKF,
				                     TOKA(&tk[1]));
			p = zk_wbuf_room(w, tk->n);
			if (p == NULL)
				return zk_error(ec, ZK_ESPACE, "rdata does not fit the buffer");
			if ((r = zk_rd_unescape(tk, p, tk->n, &len, ec)) < 0)
				return r;
			w->len -= tk->n - len;
			return 0;
		}
		default: return zk_error(ec, ZK_EINVAL, "internal: rest kind %u", k);
		}
	}

	if (*ti >= nt) {
		char tb[16];
		return zk_rd_err_tok(ec, ZK_ESYNTAX, nt ? &t[nt - 1] : NULL, "%s: missing %s",
		                     type_label(type, tb, sizeof(tb)), what);
	}
	(*ti)++;
	switch (k) {
	case F_NAME: return zk_rd_name_text_in(tk, origin, w, ec);
	case F_U8:
		if ((r = zk_rd_num(tk, 0xff, &v, what, ec)) < 0)
			return r;
		zk_wbuf_u8(w, (uint8_t)v);
		return 0;
	case F_U16:
		if ((r = zk_rd_num(tk, 0xffff, &v, what, ec)) < 0)
			return r;
		zk_wbuf_u16(w, (uint16_t)v);
		return 0;
	case F_U32:
		if ((r = zk_rd_num(tk, 0xffffffffULL, &v, what, ec)) < 0)
			return r;
		zk_wbuf_u32(w, (uint32_t)v);
		return 0;
	case F_U48:
		if ((r = zk_rd_num(tk, 0xffffffffffffULL, &v, what, ec)) < 0)
			return r;
		zk_wbuf_u48(w, v);
		return 0;
	case F_TTL:
		if ((r = zk_rd_ttl(tk, &v32, what, ec)) < 0)
			return r;
		zk_wbuf_u32(w, v32);
		return 0;
	case F_TIME:
		if ((r = zk_rd_time(tk, &v32, what, ec)) < 0)
			return r;
		zk_wbuf_u32(w, v32);
		return 0;
	case F_A:
		if (zk_rd_ipv4(tk->s, tk->n, a) < 0)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "bad IPv4 address " TOKF,
			                     TOKA(tk));
		zk_wbuf_bytes(w, a, 4);
		return 0;
	case F_AAAA:
		if (zk_rd_ipv6(tk->s, tk->n, a) < 0)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "bad IPv6 address " TOKF,
			                     TOKA(tk));
		zk_wbuf_bytes(w, a, 16);
		return 0;
	case F_STR: return str_in(tk, w, ec);
	case F_X25:
		if (tk->n < 4)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, tk,
			                     "X25 address shorter than 4 digits");
		for (size_t i = 0; i < tk->n; i++)
			if (tk->s[i] < '0' || tk->s[i] > '9')
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk,
				                     "X25 address not all digits: " TOKF, TOKA(tk));
		return str_in(tk, w, ec);
	case F_SALT: {
		size_t lpos = w->len;
		zk_wbuf_u8(w, 0);
		if (tk->n == 1 && tk->s[0] == '-')
			return 0;
		if (tk->n > 510)
			return zk_rd_err_tok(ec, ZK_ERANGE, tk, "salt longer than 255 octets");
		if ((r = zk_rd_hex_tokens(tk, 1, w, "salt", ec)) < 0)
			return r;
		if (!w->err)
			w->buf[lpos] = (uint8_t)(w->len - lpos - 1);
		return 0;
	}
	case F_B32: {
		size_t lpos = w->len, len;
		uint8_t *p;
		zk_wbuf_u8(w, 0);
		if (tk->n > 408)
			return zk_rd_err_tok(ec, ZK_ERANGE, tk, "next hashed owner too long");
		p = zk_wbuf_room(w, 255);
		if (p == NULL)
			return zk_error(ec, ZK_ESPACE, "rdata does not fit the buffer");
		if (zk_base32hex_decode(tk->s, tk->n, p, 255, &len) < 0 || len == 0)
			return zk_rd_err_tok(ec, ZK_EBASE32, tk, "bad base32hex " TOKF, TOKA(tk));
		w->len -= 255 - len;
		w->buf[lpos] = (uint8_t)len;
		if (len > 39)
			return zk_rd_err_tok(ec, ZK_ERANGE, tk,
			                     "next hashed owner of %zu octets, more than 39", len);
		if (w->buf[0] == 1 && len != 20)
			return zk_rd_err_tok(ec, ZK_ERANGE, tk,
			                     "next hashed owner of %zu octets, SHA-1 gives 20",
			                     len);
		return 0;
	}
	case F_TYPE:
	case F_SIGTYPE: {
		uint16_t ty;
		if (k == F_SIGTYPE && tk->n > 0 && tk->s[0] >= '0' && tk->s[0] <= '9') {
			if ((r = zk_rd_num(tk, 0xffff, &v, what, ec)) < 0)
				return r;
			ty = (uint16_t)v;
		} else if (zk_rrtype_from_text(tk->s, tk->n, &ty) < 0)
			return zk_rd_err_tok(ec, ZK_ETYPE, tk, "unknown type " TOKF, TOKA(tk));
		zk_wbuf_u16(w, ty);
		return 0;
	}
	case F_SECALG:
	case F_CERTALG:
		if ((r = zk_rd_mnem_in(tk, zk_rd_secalgs, 0xff, &v, "algorithm", ec)) < 0)
			return r;
		zk_wbuf_u8(w, (uint8_t)v);
		return 0;
	case F_DIGEST:
		if ((r = zk_rd_mnem_in(tk, zk_rd_digests, 0xff, &v, "digest type", ec)) < 0)
			return r;
		zk_wbuf_u8(w, (uint8_t)v);
		return 0;
	case F_SCHEME:
		if ((r = zk_rd_mnem_in(tk, zk_rd_schemes, 0xff, &v, "scheme", ec)) < 0)
			return r;
		zk_wbuf_u8(w, (uint8_t)v);
		return 0;
	case F_CERTTYPE:
		if ((r = zk_rd_mnem_in(tk, zk_rd_certtypes, 0xffff, &v, "certificate type", ec)) <
		    0)
			return r;
		zk_wbuf_u16(w, (uint16_t)v);
		return 0;
	case F_TSIGERR: {
		uint16_t rc;
		if (zk_rcode_from_text(tk->s, tk->n, &rc) < 0) {
			if ((r = zk_rd_num(tk, 0xffff, &v, "error", ec)) < 0)
				return r;
			rc = (uint16_t)v;
		}
		zk_wbuf_u16(w, rc);
		return 0;
	}
	case F_B64L16: {
		/* "len [base64]": as BIND prints the TSIG MAC and other data. */
		size_t lpos = w->len;
		if ((r = zk_rd_num(tk, 0xffff, &v, "length", ec)) < 0)
			return r;
		zk_wbuf_u16(w, 0);
		if (v > 0) {
			if (*ti >= nt)
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "missing base64 data");
			if ((r = zk_rd_b64_tokens(&t[*ti], 1, w, what, ec)) < 0)
				return r;
			(*ti)++;
		}
		if (!w->err) {
			if (w->len - lpos - 2 != v)
				return zk_rd_err_tok(ec, ZK_ERDLEN, tk,
				                     "length %llu but %zu octets of data",
				                     (unsigned long long)v, w->len - lpos - 2);
			zk_put_u16(w->buf + lpos, (uint16_t)v);
		}
		return 0;
	}
	case F_EUI48: return eui_in(tk, 6, w, ec);
	case F_EUI64: return eui_in(tk, 8, w, ec);
	case F_ILNP64: return ilnp_in(tk, w, ec);
	case F_CAATAG: {
		if (tk->n == 0 || tk->n > 255)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, tk, "bad CAA tag length");
		for (size_t i = 0; i < tk->n; i++) {
			char c = tk->s[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z')))
				return zk_rd_err_tok(ec, ZK_ESYNTAX, tk,
				                     "CAA tag not alphanumeric: " TOKF, TOKA(tk));
		}
		zk_wbuf_u8(w, (uint8_t)tk->n);
		zk_wbuf_bytes(w, tk->s, tk->n);
		return 0;
	}
	default: return zk_error(ec, ZK_EINVAL, "internal: field kind %u", k);
	}
}

int zk_rdata_from_text(uint16_t type, const zk_token_t *toks, size_t ntok, const zk_name_t *origin,
                       uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	zk_wbuf_t w;
	size_t ti = 0;
	int r;
	char tb[16];

	if (cap > ZK_RDATA_MAXLEN)
		cap = ZK_RDATA_MAXLEN;
	zk_wbuf_init(&w, out, cap);
	if (ntok > 0 && !toks[0].quoted && toks[0].n == 2 && toks[0].s[0] == '\\' &&
	    toks[0].s[1] == '#') {
		if ((r = generic_in(type, toks, ntok, &w, ec)) < 0)
			return r;
		*outlen = w.len;
		return 0;
	}
	if (d == NULL)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, ntok ? &toks[0] : NULL,
		                     "%s has no text form but RFC 3597 \\#",
		                     type_label(type, tb, sizeof(tb)));
	if (d->fields[0] == F_GENERIC)
		return zk_rd_err_tok(ec, ZK_ESYNTAX, ntok ? &toks[0] : NULL,
		                     "%s rdata must be written in RFC 3597 \\# form",
		                     type_label(type, tb, sizeof(tb)));
	if (d->fields[0] == F_ODD) {
		if ((r = d->odd->from_text(toks, ntok, origin, &w, ec)) < 0)
			return r;
	} else {
		for (int i = 0; i < ZK_RD_MAXFIELDS && d->fields[i] != F_END; i++) {
			if ((r = field_in(type, d->fields[i], toks, ntok, &ti, origin, &w, ec)) < 0)
				return r;
		}
		if (ti < ntok)
			return zk_rd_err_tok(ec, ZK_ESYNTAX, &toks[ti], "%s: extra token " TOKF,
			                     type_label(type, tb, sizeof(tb)), TOKA(&toks[ti]));
	}
	if (w.err)
		return zk_error(
		    ec, w.err == ZK_ESPACE && cap == ZK_RDATA_MAXLEN ? ZK_ERDLEN : w.err,
		    "%s rdata does not fit in %zu octets", type_label(type, tb, sizeof(tb)), cap);
	/* Odd types and a few semantic rules (bitmaps, SVCB) re-checked on
	 * the wire form; the common types are valid by construction. */
	if (d->fields[0] == F_ODD) {
		if ((r = d->odd->check(out, w.len, ec)) < 0)
			return r;
	}
	*outlen = w.len;
	return 0;
}

/* ---------------------------------------------------------------- wire forms */

/* Offsets of the names a row's layout puts in rd (validated), for the
 * canonical form and compression. Returns the count. */
static int name_offsets(const zk_rrdesc_t *d, const uint8_t *rd, size_t n, size_t *offs, int max)
{
	size_t pos = 0;
	int c = 0;

	if (d->fields[0] == F_ODD)
		return 0;
	for (int i = 0; i < ZK_RD_MAXFIELDS && d->fields[i] != F_END; i++) {
		long l = field_len(d->fields[i], rd, n, pos, NULL);
		if (l < 0)
			return c;
		if (d->fields[i] == F_NAME && c < max)
			offs[c++] = pos;
		pos += (size_t)l;
	}
	return c;
}

void zk_rdata_canonicalize(uint16_t type, uint8_t *rd, size_t n)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	size_t offs[ZK_RD_MAXFIELDS];
	int c;

	if (d == NULL || !(d->t.flags & ZK_RRF_DOWNCASE))
		return;
	if (type == ZK_TYPE_A6) {
		/* RFC 2874 §3.1.1: prefix length, address suffix, prefix name. */
		if (n >= 1 && rd[0] > 0 && rd[0] <= 128) {
			size_t off = 1 + (size_t)(128 - rd[0]) / 8;
			if (off < n && zk_name_wire_len(rd + off, n - off) > 0)
				zk_name_downcase_wire(rd + off);
		}
		return;
	}
	c = name_offsets(d, rd, n, offs, ZK_RD_MAXFIELDS);
	for (int i = 0; i < c; i++)
		zk_name_downcase_wire(rd + offs[i]);
}

int zk_rdata_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t m = an < bn ? an : bn;
	int r = m ? memcmp(a, b, m) : 0;

	if (r != 0)
		return r < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn ? 1 : 0;
}

int zk_rdata_from_wire(uint16_t type, const uint8_t *msg, size_t msglen, size_t off, uint16_t rdlen,
                       uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	size_t end = off + rdlen, pos = off;
	zk_wbuf_t w;
	int r;

	if (off > msglen || rdlen > msglen - off)
		return zk_error_at(ec, ZK_ERDLEN, (long)off, "RDLENGTH %u runs past the message",
		                   rdlen);
	zk_wbuf_init(&w, out, cap);
	if (d == NULL || !(d->t.flags & ZK_RRF_DECOMPRESS) || d->fields[0] == F_ODD || rdlen == 0) {
		zk_wbuf_bytes(&w, msg + off, rdlen);
	} else {
		for (int i = 0; i < ZK_RD_MAXFIELDS && d->fields[i] != F_END; i++) {
			unsigned k = d->fields[i];
			if (k == F_NAME) {
				zk_name_t nm;
				r = zk_name_from_wire(&nm, msg, end, &pos, ec);
				if (r < 0)
					return r == ZK_ETRUNC
					           ? zk_error_at(ec, ZK_ERDLEN, (long)pos,
					                         "name runs past RDLENGTH")
					           : r;
				zk_wbuf_bytes(&w, nm.wire, nm.len);
				continue;
			}
			long l = field_len(k, msg + pos, end - pos, 0, ec);
			if (l < 0) {
				if (ec != NULL && ec->offset >= 0)
					ec->offset += (long)pos;
				return (int)l;
			}
			zk_wbuf_bytes(&w, msg + pos, (size_t)l);
			pos += (size_t)l;
		}
		if (pos != end)
			return zk_error_at(ec, ZK_ERDLEN, (long)pos,
			                   "%zu octets after the last field", end - pos);
	}
	if (w.err)
		return zk_error(ec, w.err, "rdata does not fit the buffer");
	if ((r = zk_rdata_check(type, out, w.len, ec)) < 0) {
		/* Copied as is: the offset in the rdata is off into msg. */
		if (ec != NULL && ec->offset >= 0 && w.len == rdlen)
			ec->offset += (long)off;
		return r;
	}
	*outlen = w.len;
	return 0;
}

void zk_rdata_to_wire(uint16_t type, const uint8_t *rd, size_t n, zk_wbuf_t *w, zk_compress_t *c)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	size_t offs[ZK_RD_MAXFIELDS], pos = 0;
	int cnt;

	if (c == NULL || d == NULL || !(d->t.flags & ZK_RRF_COMPRESS)) {
		zk_wbuf_bytes(w, rd, n);
		return;
	}
	cnt = name_offsets(d, rd, n, offs, ZK_RD_MAXFIELDS);
	for (int i = 0; i < cnt; i++) {
		zk_name_t nm;
		size_t p = offs[i];
		zk_wbuf_bytes(w, rd + pos, offs[i] - pos);
		if (zk_name_from_wire_plain(&nm, rd, n, &p, NULL) < 0) {
			w->err = ZK_ERDATA;
			return;
		}
		zk_compress_put(c, w, &nm);
		pos = p;
	}
	zk_wbuf_bytes(w, rd + pos, n - pos);
}
