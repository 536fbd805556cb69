/* rdata_svcb — SvcParams of SVCB and HTTPS (RFC 9460 §2.1, §2.2, §7;
 * dohpath RFC 9461). Wire checks, text in, and text out as BIND 9.18 prints
 * them (keys in wire order, alpn quoted, unknown keys as keyNNNNN="..."). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "rdata_int.h"

enum {
	K_MANDATORY = 0,
	K_ALPN = 1,
	K_NODEFALPN = 2,
	K_PORT = 3,
	K_IPV4HINT = 4,
	K_ECH = 5,
	K_IPV6HINT = 6,
	K_DOHPATH = 7,
};

/* Names BIND 9.18 prints; dohpath is read but printed as key7. */
static const char *const key_names[] = {"mandatory", "alpn", "no-default-alpn", "port",
                                        "ipv4hint",  "ech",  "ipv6hint"};
#define NAMED_OUT 7

#define MAXPARAMS 512

static bool has_dns_var(const uint8_t *p, size_t n)
{
	/* RFC 9461 §5: the URI template must contain the "dns" variable. */
	for (size_t i = 0; i + 6 <= n; i++)
		if (memcmp(p + i, "{?dns}", 6) == 0 || memcmp(p + i, "{&dns}", 6) == 0)
			return true;
	return false;
}

/* Validate the SvcParams at p[0..n); base is their offset in the rdata. */
int zk_rd_svcb_check(const uint8_t *p, size_t n, size_t base, zk_errctx_t *ec)
{
	size_t i = 0;
	long last = -1;
	const uint8_t *mand = NULL;
	size_t mandlen = 0;
	bool alpn = false, nodef = false;
	uint16_t keys[MAXPARAMS];
	size_t nkeys = 0;

	while (i < n) {
		if (n - i < 4)
			return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
			                   "SvcParam header cut off");
		uint16_t key = zk_get_u16(p + i), len = zk_get_u16(p + i + 2);
		const uint8_t *v = p + i + 4;
		if ((long)key <= last)
			return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
			                   "SvcParamKey %u not in increasing order", key);
		if (len > n - i - 4)
			return zk_error_at(ec, ZK_ESVCB, (long)(base + i + 2),
			                   "SvcParamValue of key%u runs past the rdata", key);
		if (nkeys == MAXPARAMS)
			return zk_error_at(ec, ZK_ESVCB, (long)(base + i), "too many SvcParams");
		keys[nkeys++] = key;
		switch (key) {
		case K_MANDATORY:
			if (len < 2 || len % 2)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "mandatory: bad length %u", len);
			mand = v;
			mandlen = len;
			for (size_t j = 0; j < len; j += 2) {
				uint16_t k = zk_get_u16(v + j);
				if (k == K_MANDATORY)
					return zk_error_at(ec, ZK_ESVCB, (long)(base + i + 4 + j),
					                   "mandatory lists itself");
				if (j > 0 && k <= zk_get_u16(v + j - 2))
					return zk_error_at(
					    ec, ZK_ESVCB, (long)(base + i + 4 + j),
					    "mandatory keys not strictly increasing");
			}
			break;
		case K_ALPN: {
			size_t j = 0;
			if (len == 0)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i), "empty alpn");
			while (j < len) {
				if (v[j] == 0 || v[j] > len - j - 1)
					return zk_error_at(ec, ZK_ESVCB, (long)(base + i + 4 + j),
					                   "bad alpn-id length");
				j += 1 + (size_t)v[j];
			}
			alpn = true;
			break;
		}
		case K_NODEFALPN:
			if (len != 0)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "no-default-alpn with a value");
			nodef = true;
			break;
		case K_PORT:
			if (len != 2)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "port: length %u, not 2", len);
			break;
		case K_IPV4HINT:
			if (len == 0 || len % 4)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "ipv4hint: bad length %u", len);
			break;
		case K_IPV6HINT:
			if (len == 0 || len % 16)
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "ipv6hint: bad length %u", len);
			break;
		case K_DOHPATH:
			if (!has_dns_var(v, len))
				return zk_error_at(ec, ZK_ESVCB, (long)(base + i),
				                   "dohpath without the {?dns} variable");
			break;
		default: break;
		}
		last = key;
		i += 4 + (size_t)len;
	}
	/* RFC 9460 §8: every key in mandatory must be present. */
	for (size_t j = 0; j < mandlen; j += 2) {
		uint16_t k = zk_get_u16(mand + j);
		bool found = false;
		for (size_t q = 0; q < nkeys && !found; q++)
			found = keys[q] == k;
		if (!found)
			return zk_error_at(ec, ZK_ESVCB, (long)base, "mandatory key%u is missing",
			                   k);
	}
	/* RFC 9460 §7.1.1 (and BIND): no-default-alpn needs alpn. */
	if (nodef && !alpn)
		return zk_error_at(ec, ZK_ESVCB, (long)base, "no-default-alpn without alpn");
	return 0;
}

/* ---------------------------------------------------------------- text in */

static int key_from_text(const char *s, size_t n, uint16_t *key)
{
	static const char *const in_names[] = {"mandatory", "alpn", "no-default-alpn", "port",
	                                       "ipv4hint",  "ech",  "ipv6hint",        "dohpath"};
	unsigned long v = 0;

	for (unsigned i = 0; i < sizeof(in_names) / sizeof(in_names[0]); i++) {
		if (strlen(in_names[i]) == n && memcmp(s, in_names[i], n) == 0) {
			*key = (uint16_t)i;
			return 0;
		}
	}
	if (n < 4 || n > 8 || memcmp(s, "key", 3) != 0)
		return -1;
	for (size_t i = 3; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*key = (uint16_t)v;
	return 0;
}

/* Split a decoded value on unescaped commas (RFC 9460 App. A.1 value-list):
 * "\," is a comma inside an item, "\\" a backslash. Calls back per item. */
typedef int (*item_fn)(const uint8_t *item, size_t len, zk_wbuf_t *w, void *arg);

static int value_list(const uint8_t *v, size_t n, item_fn fn, zk_wbuf_t *w, void *arg)
{
	uint8_t item[256];
	size_t k = 0;
	int r;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || v[i] == ',') {
			if (k == 0)
				return -1; /* empty item */
			if ((r = fn(item, k, w, arg)) < 0)
				return r;
			k = 0;
			if (i + 1 == n && v[i] == ',')
				return -1; /* trailing comma */
			continue;
		}
		if (v[i] == '\\') {
			if (++i == n)
				return -1;
		}
		if (k == sizeof(item))
			return -1;
		item[k++] = v[i];
	}
	return 0;
}

static int alpn_item(const uint8_t *item, size_t len, zk_wbuf_t *w, void *arg)
{
	(void)arg;
	if (len > 255)
		return -1;
	zk_wbuf_u8(w, (uint8_t)len);
	zk_wbuf_bytes(w, item, len);
	return 0;
}

static int v4_item(const uint8_t *item, size_t len, zk_wbuf_t *w, void *arg)
{
	uint8_t a[4];
	(void)arg;
	if (zk_rd_ipv4((const char *)item, len, a) < 0)
		return -1;
	zk_wbuf_bytes(w, a, 4);
	return 0;
}

static int v6_item(const uint8_t *item, size_t len, zk_wbuf_t *w, void *arg)
{
	uint8_t a[16];
	(void)arg;
	if (zk_rd_ipv6((const char *)item, len, a) < 0)
		return -1;
	zk_wbuf_bytes(w, a, 16);
	return 0;
}

static int key_item(const uint8_t *item, size_t len, zk_wbuf_t *w, void *arg)
{
	uint16_t key;
	(void)arg;
	if (key_from_text((const char *)item, len, &key) < 0)
		return -1;
	zk_wbuf_u16(w, key);
	return 0;
}

static int u16cmp(const void *a, const void *b)
{
	uint16_t x = zk_get_u16(a), y = zk_get_u16(b);
	return x < y ? -1 : x > y;
}

typedef struct {
	uint16_t key;
	size_t off, len; /* of the whole param (header included) in the scratch */
} param_t;

static int value_in(uint16_t key, const uint8_t *v, size_t vn, bool has_value, const zk_token_t *t,
                    zk_wbuf_t *w, zk_errctx_t *ec)
{
	size_t start = w->len;
	int r = 0;

	if (!has_value || vn == 0) {
		switch (key) {
		case K_MANDATORY:
		case K_ALPN:
		case K_PORT:
		case K_IPV4HINT:
		case K_IPV6HINT:
			/* RFC 9460 App. D.3 Figure 12. */
			return zk_rd_err_tok(ec, ZK_ESVCB, t, "SvcParam %s needs a value",
			                     key_names[key]);
		default: return 0;
		}
	}
	switch (key) {
	case K_MANDATORY:
		r = value_list(v, vn, key_item, w, NULL);
		if (r == 0 && !w->err)
			qsort(w->buf + start, (w->len - start) / 2, 2, u16cmp);
		break;
	case K_ALPN: r = value_list(v, vn, alpn_item, w, NULL); break;
	case K_NODEFALPN: return zk_rd_err_tok(ec, ZK_ESVCB, t, "no-default-alpn takes no value");
	case K_PORT: {
		zk_token_t nt = {.s = (const char *)v, .n = vn, .line = t->line, .col = t->col};
		uint64_t port;
		if ((r = zk_rd_num(&nt, 65535, &port, "port", ec)) < 0)
			return r == ZK_ERANGE ? r : zk_rd_err_tok(ec, ZK_ESVCB, t, "bad port");
		zk_wbuf_u16(w, (uint16_t)port);
		break;
	}
	case K_IPV4HINT: r = value_list(v, vn, v4_item, w, NULL); break;
	case K_IPV6HINT: r = value_list(v, vn, v6_item, w, NULL); break;
	case K_ECH: {
		zk_token_t bt = {.s = (const char *)v, .n = vn, .line = t->line, .col = t->col};
		if ((r = zk_rd_b64_tokens(&bt, 1, w, "ech", ec)) < 0)
			return r;
		break;
	}
	default: zk_wbuf_bytes(w, v, vn); break;
	}
	if (r < 0)
		return zk_rd_err_tok(ec, ZK_ESVCB, t, "bad value for SvcParam %s",
		                     key < NAMED_OUT ? key_names[key] : "key");
	return 0;
}

int zk_rd_svcb_from_text(const zk_token_t *t, size_t nt, zk_wbuf_t *w, zk_errctx_t *ec)
{
	param_t ps[MAXPARAMS];
	size_t np = 0, start = w->len;
	uint8_t val[65535];
	uint8_t scratch[65535];
	int r;

	for (size_t i = 0; i < nt; i++) {
		const zk_token_t *tk = &t[i];
		const char *eq = memchr(tk->s, '=', tk->n);
		size_t kn = eq ? (size_t)(eq - tk->s) : tk->n, vn = 0;
		uint16_t key;
		bool has_value = eq != NULL;

		if (key_from_text(tk->s, kn, &key) < 0)
			return zk_rd_err_tok(ec, ZK_ESVCB, tk, "unknown SvcParamKey '%.*s'",
			                     (int)(kn > 40 ? 40 : kn), tk->s);
		if (eq != NULL) {
			zk_token_t vt = {.s = eq + 1,
			                 .n = tk->n - kn - 1,
			                 .quoted = tk->quoted,
			                 .line = tk->line,
			                 .col = tk->col};
			/* key="quoted value": the lexer gives the quoted part as
			 * the next token. */
			if (vt.n == 0 && i + 1 < nt && t[i + 1].quoted) {
				vt = t[i + 1];
				i++;
			}
			if ((r = zk_rd_unescape(&vt, val, sizeof(val), &vn, ec)) < 0)
				return r;
		}
		for (size_t j = 0; j < np; j++)
			if (ps[j].key == key)
				return zk_rd_err_tok(ec, ZK_ESVCB, tk,
				                     "duplicate SvcParamKey '%.*s'",
				                     (int)(kn > 40 ? 40 : kn), tk->s);
		if (np == MAXPARAMS)
			return zk_rd_err_tok(ec, ZK_ESVCB, tk, "too many SvcParams");
		size_t hdr = w->len;
		zk_wbuf_u16(w, key);
		zk_wbuf_u16(w, 0);
		if (kn >= 3 && memcmp(tk->s, "key", 3) == 0) {
			/* keyNNNNN=value is the raw wire value, for any key. */
			zk_wbuf_bytes(w, val, vn);
		} else if ((r = value_in(key, val, vn, has_value, tk, w, ec)) < 0) {
			return r;
		}
		if (w->err)
			return zk_error(ec, ZK_ESPACE, "rdata does not fit the buffer");
		if (w->len - hdr - 4 > 65535)
			return zk_rd_err_tok(ec, ZK_ESVCB, tk, "SvcParamValue too long");
		zk_put_u16(w->buf + hdr + 2, (uint16_t)(w->len - hdr - 4));
		ps[np].key = key;
		ps[np].off = hdr - start;
		ps[np].len = w->len - hdr;
		np++;
	}
	/* RFC 9460 §2.2: keys in increasing order on the wire. */
	for (size_t a = 1; a < np; a++) {
		param_t x = ps[a];
		size_t b = a;
		while (b > 0 && ps[b - 1].key > x.key) {
			ps[b] = ps[b - 1];
			b--;
		}
		ps[b] = x;
	}
	size_t total = w->len - start, k = 0;
	memcpy(scratch, w->buf + start, total);
	for (size_t j = 0; j < np; j++) {
		memcpy(w->buf + start + k, scratch + ps[j].off, ps[j].len);
		k += ps[j].len;
	}
	r = zk_rd_svcb_check(w->buf + start, total, 0, ec);
	if (r < 0 && ec != NULL) {
		/* A text error has a place in the text, not a wire offset. */
		char m[sizeof(ec->msg)];
		memcpy(m, ec->msg, sizeof(m));
		ec->offset = -1;
		return zk_rd_err_tok(ec, r, nt ? &t[0] : NULL, "%s", m);
	}
	return r;
}

/* ---------------------------------------------------------------- text out */

static void key_text(uint16_t key, zk_buf_t *out)
{
	if (key < NAMED_OUT)
		zk_buf_puts(out, key_names[key]);
	else
		zk_buf_printf(out, "key%u", (unsigned)key);
}

/* An alpn-id inside the quoted value: ',' and '\' need two levels of
 * escaping (value-list, then character-string); octets outside 0x21..0x7e
 * as \DDD. */
static void alpn_item_text(const uint8_t *p, size_t n, zk_buf_t *out)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c == ',')
			zk_buf_puts(out, "\\\\,");
		else if (c == '\\')
			zk_buf_puts(out, "\\\\\\\\");
		else if (c < 0x21 || c >= 0x7f)
			zk_buf_printf(out, "\\%03u", c);
		else if (c == '"')
			zk_buf_puts(out, "\\\"");
		else
			zk_buf_putc(out, (char)c);
	}
}

void zk_rd_svcb_to_text(const uint8_t *p, size_t n, zk_buf_t *out)
{
	size_t i = 0;

	while (i + 4 <= n) {
		uint16_t key = zk_get_u16(p + i), len = zk_get_u16(p + i + 2);
		const uint8_t *v = p + i + 4;
		if (len > n - i - 4)
			return;
		zk_buf_putc(out, ' ');
		key_text(key, out);
		i += 4 + (size_t)len;
		if (len == 0)
			continue;
		zk_buf_putc(out, '=');
		switch (key) {
		case K_MANDATORY:
			for (size_t j = 0; j + 1 < len; j += 2) {
				if (j)
					zk_buf_putc(out, ',');
				key_text(zk_get_u16(v + j), out);
			}
			break;
		case K_ALPN: {
			size_t j = 0;
			zk_buf_putc(out, '"');
			while (j < len) {
				if (j)
					zk_buf_putc(out, ',');
				alpn_item_text(v + j + 1, v[j], out);
				j += 1 + (size_t)v[j];
			}
			zk_buf_putc(out, '"');
			break;
		}
		case K_PORT: zk_buf_printf(out, "%u", zk_get_u16(v)); break;
		case K_IPV4HINT:
			for (size_t j = 0; j + 4 <= len; j += 4) {
				if (j)
					zk_buf_putc(out, ',');
				zk_rd_ipv4_text(v + j, out);
			}
			break;
		case K_IPV6HINT:
			for (size_t j = 0; j + 16 <= len; j += 16) {
				if (j)
					zk_buf_putc(out, ',');
				zk_rd_ipv6_text(v + j, out);
			}
			break;
		case K_ECH: zk_rd_b64_text(v, len, 0, "", out); break;
		default: zk_rd_str_text(v, len, out); break;
		}
	}
}
