/* tsig — TSIG signing and verification (RFC 8945, truncation RFC 4635 §3).
 *
 * The MAC covers, in order (RFC 8945 §4.3): the request MAC (replies only,
 * as MAC Size + MAC), the message without its TSIG RR (ARCOUNT one lower,
 * ID replaced by the Original ID), and the TSIG variables (key name and
 * algorithm in canonical form, class ANY, TTL 0, time signed, fudge, error,
 * other len, other data). The second and later messages of a stream cover
 * the prior MAC, every message since it, and only the timers (§5.3.1).
 *
 * Verification runs in the §5.2 order — key, MAC, time, truncation — so a
 * forged reply is reported as BADSIG before anything it claims about time
 * is believed. MACs are compared in constant time. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "encode.h"
#include "rrtype.h"
#include "tsig.h"

struct alg {
	const char *name; /* wire name, without the final dot */
	zk_md_t md;
};

static const struct alg algs[] = {
    {"hmac-md5.sig-alg.reg.int", ZK_MD_MD5}, {"hmac-sha1", ZK_MD_SHA1},
    {"hmac-sha224", ZK_MD_SHA224},           {"hmac-sha256", ZK_MD_SHA256},
    {"hmac-sha384", ZK_MD_SHA384},           {"hmac-sha512", ZK_MD_SHA512},
};

/* dnssec-keygen's private-file algorithm numbers for HMAC keys. */
static const struct {
	unsigned num;
	const char *alg;
} private_algs[] = {
    {157, "hmac-md5"},    {161, "hmac-sha1"},   {162, "hmac-sha224"},
    {163, "hmac-sha256"}, {164, "hmac-sha384"}, {165, "hmac-sha512"},
};

static bool ieq(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

int zk_tsig_key_set_alg(zk_tsig_key_t *k, const char *s, size_t n, zk_errctx_t *ec)
{
	const struct alg *found = NULL;
	size_t base = n, bits = 0;

	if (n > 0 && s[n - 1] == '.')
		n--;
	base = n;
	/* "hmac-sha256-128": a truncated MAC of 128 bits (RFC 4635 §3). */
	for (size_t i = n; i > 0; i--) {
		if (s[i - 1] == '-') {
			size_t j = i, v = 0;
			if (j == n)
				break;
			for (; j < n && isdigit((unsigned char)s[j]) && v < 100000; j++)
				v = v * 10 + (size_t)(s[j] - '0');
			if (j == n) {
				base = i - 1;
				bits = v;
			}
			break;
		}
		if (!isdigit((unsigned char)s[i - 1]))
			break;
	}
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (ieq(s, base, algs[i].name) ||
		    (algs[i].md == ZK_MD_MD5 && ieq(s, base, "hmac-md5"))) {
			found = &algs[i];
			break;
		}
	}
	if (found == NULL)
		return zk_error(ec, ZK_EUNSUPP, "unknown TSIG algorithm '%.*s'", (int)n, s);

	size_t full = zk_md_size(found->md);
	size_t len = full;
	if (bits != 0) {
		/* RFC 8945 §5.2.2.1: no fewer than 10 octets nor half the hash. */
		if (bits % 8 != 0 || bits / 8 > full || bits / 8 < 10 || bits / 8 < (full + 1) / 2)
			return zk_error(ec, ZK_ERANGE,
			                "TSIG truncation to %zu bits is not allowed for %s "
			                "(at least %zu bits, a multiple of 8)",
			                bits, found->name,
			                8 * ((full + 1) / 2 > 10 ? (full + 1) / 2 : 10));
		len = bits / 8;
	}
	int rc = zk_name_from_text(&k->alg, found->name, strlen(found->name), &zk_name_root, ec);
	if (rc < 0)
		return rc;
	k->md = found->md;
	k->mac_len = len;
	k->truncated = len < full;
	return 0;
}

static int set_secret(zk_tsig_key_t *k, const char *b64, size_t n, zk_errctx_t *ec)
{
	char clean[ZK_TSIG_SECRET_MAX * 2];
	size_t m = 0, out = 0;

	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)b64[i]))
			continue;
		if (m == sizeof(clean))
			return zk_error(ec, ZK_ERANGE, "TSIG secret too long");
		clean[m++] = b64[i];
	}
	if (m == 0)
		return zk_error(ec, ZK_EBASE64, "empty TSIG secret");
	if (zk_base64_decode(clean, m, k->secret, sizeof(k->secret), &out) < 0)
		return zk_error(ec, ZK_EBASE64, "TSIG secret is not valid base64");
	k->secret_len = out;
	return 0;
}

int zk_tsig_key_init(zk_tsig_key_t *k, const char *name, const char *alg, const char *secret_b64,
                     zk_errctx_t *ec)
{
	zk_tsig_key_t t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = zk_name_from_text(&t.name, name, strlen(name), &zk_name_root, ec);
	if (rc < 0)
		return rc;
	rc = zk_tsig_key_set_alg(&t, alg, strlen(alg), ec);
	if (rc < 0)
		return rc;
	rc = set_secret(&t, secret_b64, strlen(secret_b64), ec);
	if (rc < 0)
		return rc;
	*k = t;
	zk_crypto_cleanse(&t, sizeof(t));
	return 0;
}

int zk_tsig_key_from_string(zk_tsig_key_t *k, const char *s, zk_errctx_t *ec)
{
	const char *c1 = strchr(s, ':'), *c2;
	char alg[64], name[ZK_NAME_TEXTMAX];
	int rc;

	if (c1 == NULL)
		return zk_error(ec, ZK_ESYNTAX, "key '%s': expected [alg:]name:secret", s);
	c2 = strchr(c1 + 1, ':');
	if (c2 == NULL) {
		snprintf(alg, sizeof(alg), "hmac-sha256");
		if ((size_t)(c1 - s) >= sizeof(name))
			return zk_error(ec, ZK_ENAMELEN, "key name too long");
		memcpy(name, s, (size_t)(c1 - s));
		name[c1 - s] = '\0';
		c2 = c1;
	} else {
		if ((size_t)(c1 - s) >= sizeof(alg) || (size_t)(c2 - c1 - 1) >= sizeof(name))
			return zk_error(ec, ZK_ESYNTAX, "key '%s': expected [alg:]name:secret", s);
		memcpy(alg, s, (size_t)(c1 - s));
		alg[c1 - s] = '\0';
		memcpy(name, c1 + 1, (size_t)(c2 - c1 - 1));
		name[c2 - c1 - 1] = '\0';
	}
	if (name[0] == '\0')
		return zk_error(ec, ZK_ESYNTAX, "key '%s': empty key name", s);
	rc = zk_tsig_key_init(k, name, alg, c2 + 1, ec);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Key text: named.conf key blocks and dnssec-keygen HMAC .private files. */

struct lex {
	const char *s, *end, *p;
	unsigned line, col;
	const char *line_start;
};

enum { T_EOF, T_WORD, T_STRING, T_PUNCT };

struct tok {
	int kind;
	const char *s;
	size_t n;
	unsigned line, col;
};

static void lex_skip(struct lex *l)
{
	while (l->p < l->end) {
		char c = *l->p;
		if (c == '\n') {
			l->line++;
			l->p++;
			l->line_start = l->p;
		} else if (isspace((unsigned char)c)) {
			l->p++;
		} else if (c == '#' || (c == '/' && l->p + 1 < l->end && l->p[1] == '/')) {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
		} else if (c == '/' && l->p + 1 < l->end && l->p[1] == '*') {
			l->p += 2;
			while (l->p + 1 < l->end && !(l->p[0] == '*' && l->p[1] == '/')) {
				if (*l->p == '\n') {
					l->line++;
					l->line_start = l->p + 1;
				}
				l->p++;
			}
			l->p = l->p + 2 <= l->end ? l->p + 2 : l->end;
		} else {
			break;
		}
	}
}

static int lex_next(struct lex *l, struct tok *t, zk_errctx_t *ec)
{
	lex_skip(l);
	t->line = l->line;
	t->col = (unsigned)(l->p - l->line_start) + 1;
	if (l->p >= l->end) {
		t->kind = T_EOF;
		t->s = l->p;
		t->n = 0;
		return 0;
	}
	if (*l->p == '{' || *l->p == '}' || *l->p == ';') {
		t->kind = T_PUNCT;
		t->s = l->p++;
		t->n = 1;
		return 0;
	}
	if (*l->p == '"') {
		const char *q = ++l->p;
		while (l->p < l->end && *l->p != '"' && *l->p != '\n')
			l->p++;
		if (l->p >= l->end || *l->p != '"') {
			ec->line = t->line;
			ec->col = t->col;
			return zk_error(ec, ZK_ESYNTAX, "unterminated quoted string");
		}
		t->kind = T_STRING;
		t->s = q;
		t->n = (size_t)(l->p - q);
		l->p++;
		return 0;
	}
	t->kind = T_WORD;
	t->s = l->p;
	while (l->p < l->end && !isspace((unsigned char)*l->p) && *l->p != '{' && *l->p != '}' &&
	       *l->p != ';' && *l->p != '"')
		l->p++;
	t->n = (size_t)(l->p - t->s);
	return 0;
}

static int syntax(zk_errctx_t *ec, const struct tok *t, const char *what)
{
	if (ec != NULL) {
		ec->line = t->line;
		ec->col = t->col;
	}
	if (t->kind == T_EOF)
		return zk_error(ec, ZK_ESYNTAX, "expected %s, found end of input", what);
	return zk_error(ec, ZK_ESYNTAX, "expected %s, found '%.*s'", what, (int)t->n, t->s);
}

static int expect_punct(struct lex *l, char c, zk_errctx_t *ec)
{
	struct tok t;
	char what[8] = {'\'', c, '\'', 0};
	int rc = lex_next(l, &t, ec);
	if (rc < 0)
		return rc;
	if (t.kind != T_PUNCT || t.s[0] != c)
		return syntax(ec, &t, what);
	return 0;
}

/* Skip a statement we do not care about: up to its ';' at depth 0. */
static int skip_statement(struct lex *l, zk_errctx_t *ec)
{
	int depth = 0;
	struct tok t;
	for (;;) {
		int rc = lex_next(l, &t, ec);
		if (rc < 0)
			return rc;
		if (t.kind == T_EOF)
			return depth == 0 ? 0 : syntax(ec, &t, "'}'");
		if (t.kind != T_PUNCT)
			continue;
		if (t.s[0] == '{')
			depth++;
		else if (t.s[0] == '}')
			depth--;
		else if (t.s[0] == ';' && depth <= 0)
			return 0;
	}
}

static int parse_key_block(struct lex *l, zk_tsig_key_t *k, zk_errctx_t *ec)
{
	struct tok t, name, alg = {0}, secret = {0};
	char buf[ZK_NAME_TEXTMAX];
	int rc;

	memset(k, 0, sizeof(*k));
	if ((rc = lex_next(l, &name, ec)) < 0)
		return rc;
	if (name.kind != T_WORD && name.kind != T_STRING)
		return syntax(ec, &name, "a key name");
	if ((rc = expect_punct(l, '{', ec)) < 0)
		return rc;
	for (;;) {
		struct tok v;
		if ((rc = lex_next(l, &t, ec)) < 0)
			return rc;
		if (t.kind == T_PUNCT && t.s[0] == '}')
			break;
		if (t.kind != T_WORD)
			return syntax(ec, &t, "'algorithm', 'secret' or '}'");
		if ((rc = lex_next(l, &v, ec)) < 0)
			return rc;
		if (v.kind != T_WORD && v.kind != T_STRING)
			return syntax(ec, &v, "a value");
		if (ieq(t.s, t.n, "algorithm"))
			alg = v;
		else if (ieq(t.s, t.n, "secret"))
			secret = v;
		else
			return syntax(ec, &t, "'algorithm' or 'secret'");
		if ((rc = expect_punct(l, ';', ec)) < 0)
			return rc;
	}
	if ((rc = expect_punct(l, ';', ec)) < 0)
		return rc;
	if (alg.s == NULL || secret.s == NULL) {
		ec->line = name.line;
		ec->col = name.col;
		return zk_error(ec, ZK_ESYNTAX, "key '%.*s' lacks %s", (int)name.n, name.s,
		                alg.s == NULL ? "an algorithm" : "a secret");
	}
	if (name.n >= sizeof(buf))
		return syntax(ec, &name, "a shorter key name");
	memcpy(buf, name.s, name.n);
	buf[name.n] = '\0';
	if ((rc = zk_name_from_text(&k->name, buf, name.n, &zk_name_root, ec)) < 0 ||
	    (rc = zk_tsig_key_set_alg(k, alg.s, alg.n, ec)) < 0 ||
	    (rc = set_secret(k, secret.s, secret.n, ec)) < 0) {
		if (ec != NULL && ec->line == 0) {
			ec->line = name.line;
			ec->col = name.col;
		}
		return rc;
	}
	return 0;
}

static int parse_private(const char *text, size_t n, const char *name_hint, zk_tsig_key_t *k,
                         zk_errctx_t *ec)
{
	const char *p = text, *end = text + n;
	const char *alg = NULL, *key = NULL;
	size_t keylen = 0;
	unsigned line = 0, alg_line = 0;
	int rc;

	memset(k, 0, sizeof(*k));
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
		line++;
		if (len > 10 && strncmp(p, "Algorithm:", 10) == 0) {
			unsigned num = 0;
			const char *q = p + 10;
			while (q < p + len && *q == ' ')
				q++;
			while (q < p + len && isdigit((unsigned char)*q) && num < 1000)
				num = num * 10 + (unsigned)(*q++ - '0');
			for (size_t i = 0; i < sizeof(private_algs) / sizeof(private_algs[0]); i++)
				if (private_algs[i].num == num)
					alg = private_algs[i].alg;
			alg_line = line;
			if (alg == NULL) {
				ec->line = line;
				return zk_error(ec, ZK_EUNSUPP,
				                "algorithm %u is not a TSIG (HMAC) algorithm", num);
			}
		} else if (len > 4 && strncmp(p, "Key:", 4) == 0) {
			key = p + 4;
			keylen = len - 4;
		}
		p = e ? e + 1 : end;
	}
	if (alg == NULL || key == NULL) {
		ec->line = alg_line;
		return zk_error(ec, ZK_ESYNTAX, "HMAC private key file lacks %s",
		                alg == NULL ? "an Algorithm: line" : "a Key: line");
	}
	if (name_hint == NULL)
		return zk_error(ec, ZK_EINVAL, "no key name for a .private file");
	if ((rc = zk_name_from_text(&k->name, name_hint, strlen(name_hint), &zk_name_root, ec)) <
	        0 ||
	    (rc = zk_tsig_key_set_alg(k, alg, strlen(alg), ec)) < 0 ||
	    (rc = set_secret(k, key, keylen, ec)) < 0)
		return rc;
	return 0;
}

int zk_tsig_keys_parse(const char *text, size_t n, const char *name_hint, zk_tsig_key_t *keys,
                       size_t max, zk_errctx_t *ec)
{
	struct lex l = {text, text + n, text, 1, 1, text};
	struct tok t;
	size_t count = 0;
	zk_errctx_t local;
	int rc;

	if (ec == NULL) {
		zk_errctx_init(&local);
		ec = &local;
	}
	if (n >= 19 && strncmp(text, "Private-key-format:", 19) == 0) {
		if (max < 1)
			return zk_error(ec, ZK_ESPACE, "no room for the key");
		rc = parse_private(text, n, name_hint, &keys[0], ec);
		return rc < 0 ? rc : 1;
	}
	for (;;) {
		if ((rc = lex_next(&l, &t, ec)) < 0)
			return rc;
		if (t.kind == T_EOF)
			break;
		if (t.kind == T_WORD && ieq(t.s, t.n, "key")) {
			if (count == max)
				return zk_error(ec, ZK_ELIMIT, "more than %zu keys", max);
			if ((rc = parse_key_block(&l, &keys[count], ec)) < 0)
				return rc;
			count++;
		} else if (t.kind == T_WORD) {
			if ((rc = skip_statement(&l, ec)) < 0)
				return rc;
		} else {
			return syntax(ec, &t, "'key'");
		}
	}
	if (count == 0)
		return zk_error(ec, ZK_ENOENT, "no key { } block found");
	return (int)count;
}

/* ------------------------------------------------------------------ */
/* Signing and verification. */

void zk_tsig_ctx_init(zk_tsig_ctx_t *c, const zk_tsig_key_t *k, uint16_t fudge)
{
	memset(c, 0, sizeof(*c));
	c->key = k;
	c->fudge = fudge ? fudge : ZK_TSIG_FUDGE;
}

void zk_tsig_ctx_free(zk_tsig_ctx_t *c)
{
	if (c->run != NULL)
		zk_hmac_ctx_free(c->run);
	c->run = NULL;
	zk_crypto_cleanse(c->mac, sizeof(c->mac));
}

const char *zk_tsig_status_text(zk_tsig_status_t s)
{
	switch (s) {
	case ZK_TSIG_OK: return "ok";
	case ZK_TSIG_UNSIGNED: return "reply is not signed";
	case ZK_TSIG_UNSIGNED_OK: return "unsigned message inside a signed stream";
	case ZK_TSIG_BADKEY: return "BADKEY";
	case ZK_TSIG_BADSIG: return "BADSIG";
	case ZK_TSIG_BADTIME: return "BADTIME";
	case ZK_TSIG_BADTRUNC: return "BADTRUNC";
	case ZK_TSIG_FORMERR: return "malformed TSIG record";
	case ZK_TSIG_SERVER_ERROR: return "server reported a TSIG error";
	}
	return "unknown";
}

/* The one layout of the MAC input (RFC 8945 §4.3); gss.c uses it too. */
int zk_tsig_mac_input(zk_buf_t *out, const uint8_t *prior, size_t prior_len, const uint8_t *msg,
                      size_t msg_len, int32_t orig_id, const zk_tsig_vars_t *v)
{
	uint8_t b[ZK_NAME_MAXLEN];

	if (msg_len < ZK_MSG_HDRLEN || prior_len > 0xffff)
		return ZK_EINVAL;
	if (prior_len > 0) {
		zk_put_u16(b, (uint16_t)prior_len);
		zk_buf_put(out, b, 2);
		zk_buf_put(out, prior, prior_len);
	}
	if (orig_id >= 0) {
		/* §4.3.2: the message as it was before the TSIG was added. */
		memcpy(b, msg, ZK_MSG_HDRLEN);
		zk_put_u16(b, (uint16_t)orig_id);
		zk_put_u16(b + 10, (uint16_t)(zk_get_u16(msg + 10) - 1));
		zk_buf_put(out, b, ZK_MSG_HDRLEN);
		zk_buf_put(out, msg + ZK_MSG_HDRLEN, msg_len - ZK_MSG_HDRLEN);
	} else {
		zk_buf_put(out, msg, msg_len);
	}
	if (!v->timers_only) {
		/* key name and algorithm in canonical (lower-case) form */
		memcpy(b, v->key->wire, v->key->len);
		zk_name_downcase_wire(b);
		zk_buf_put(out, b, v->key->len);
		zk_put_u16(b, ZK_CLASS_ANY);
		memset(b + 2, 0, 4); /* TTL */
		zk_buf_put(out, b, 6);
		memcpy(b, v->alg->wire, v->alg->len);
		zk_name_downcase_wire(b);
		zk_buf_put(out, b, v->alg->len);
	}
	/* §4.3.3.1: the timers, Time Signed then Fudge */
	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)(v->time >> (40 - 8 * i));
	zk_put_u16(b + 6, v->fudge);
	zk_buf_put(out, b, 8);
	if (!v->timers_only) {
		zk_put_u16(b, v->error);
		zk_put_u16(b + 2, v->other_len);
		zk_buf_put(out, b, 4);
		if (v->other_len > 0)
			zk_buf_put(out, v->other, v->other_len);
	}
	return out->err ? ZK_ENOMEM : 0;
}

int zk_tsig_rdata_parse(const uint8_t *rd, size_t n, zk_tsig_rdata_t *t)
{
	size_t pos = 0;
	zk_wire_t w;

	if (zk_name_from_wire_plain(&t->alg, rd, n, &pos, NULL) < 0)
		return ZK_EMSG;
	zk_wire_init(&w, rd + pos, n - pos);
	t->time = zk_wire_u48(&w);
	t->fudge = zk_wire_u16(&w);
	t->mac_len = zk_wire_u16(&w);
	t->mac = zk_wire_take(&w, t->mac_len);
	t->orig_id = zk_wire_u16(&w);
	t->error = zk_wire_u16(&w);
	t->other_len = zk_wire_u16(&w);
	t->other = zk_wire_take(&w, t->other_len);
	if (w.err || zk_wire_left(&w) != 0)
		return ZK_EMSG;
	return 0;
}

void zk_tsig_append(zk_wbuf_t *w, const zk_name_t *key, const zk_name_t *alg, uint64_t time,
                    uint16_t fudge, const uint8_t *mac, size_t mac_len, uint16_t error)
{
	uint16_t id, arcount;
	size_t rdlen_at;

	if (w->err || w->len < ZK_MSG_HDRLEN) {
		w->err = w->err ? w->err : ZK_EINVAL;
		return;
	}
	id = zk_get_u16(w->buf);
	arcount = zk_get_u16(w->buf + 10);
	zk_name_to_wire(key, w);
	zk_wbuf_u16(w, ZK_TYPE_TSIG);
	zk_wbuf_u16(w, ZK_CLASS_ANY);
	zk_wbuf_u32(w, 0);
	rdlen_at = w->len;
	zk_wbuf_u16(w, 0);
	zk_name_to_wire(alg, w);
	zk_wbuf_u48(w, time);
	zk_wbuf_u16(w, fudge);
	zk_wbuf_u16(w, (uint16_t)mac_len);
	zk_wbuf_bytes(w, mac, mac_len);
	zk_wbuf_u16(w, id);
	zk_wbuf_u16(w, error);
	zk_wbuf_u16(w, 0); /* other len */
	if (w->err)
		return;
	zk_put_u16(w->buf + rdlen_at, (uint16_t)(w->len - rdlen_at - 2));
	zk_put_u16(w->buf + 10, (uint16_t)(arcount + 1));
}

/* HMAC over the MAC input built in buf (which is reset first). h, when not
 * NULL, already holds the start of the input (a stream's unsigned run). */
static int hmac_over(const zk_tsig_key_t *k, zk_hmac_ctx_t *h, const zk_buf_t *in, uint8_t *mac)
{
	zk_hmac_ctx_t *own = NULL;
	int rc = 0;

	if (in->err)
		return ZK_ENOMEM;
	if (h == NULL) {
		rc = zk_hmac_ctx_new(k->md, k->secret, k->secret_len, &own);
		h = own;
	}
	if (rc == 0)
		rc = zk_hmac_ctx_update(h, in->data, in->len);
	if (rc == 0)
		rc = zk_hmac_ctx_final(h, mac);
	if (own != NULL)
		zk_hmac_ctx_free(own);
	return rc;
}

int zk_tsig_sign(zk_tsig_ctx_t *c, zk_wbuf_t *w, uint64_t now, uint16_t error, zk_errctx_t *ec)
{
	const zk_tsig_key_t *k = c->key;
	zk_tsig_vars_t v = {
	    .key = &k->name, .alg = &k->alg, .time = now, .fudge = c->fudge, .error = error};
	uint8_t mac[ZK_MD_MAXSIZE];
	zk_buf_t in;
	int rc;

	if (w->err || w->len < ZK_MSG_HDRLEN)
		return zk_error(ec, ZK_EINVAL, "no message to sign");
	zk_buf_init(&in);
	rc = zk_tsig_mac_input(&in, c->have_mac ? c->mac : NULL, c->have_mac ? c->mac_len : 0,
	                       w->buf, w->len, -1, &v);
	if (rc == 0)
		rc = hmac_over(k, NULL, &in, mac);
	zk_buf_free(&in);
	if (rc < 0)
		return zk_error(ec, rc == ZK_ENOMEM ? rc : ZK_ECRYPTO, "HMAC failed");
	zk_tsig_append(w, &k->name, &k->alg, now, c->fudge, mac, k->mac_len, error);
	if (w->err)
		return zk_error(ec, w->err, "no room for the TSIG record");
	memcpy(c->mac, mac, k->mac_len);
	c->mac_len = k->mac_len;
	c->have_mac = true;
	zk_crypto_cleanse(mac, sizeof(mac));
	return 0;
}

static int fail(zk_tsig_status_t *status, zk_tsig_status_t s, zk_errctx_t *ec, const char *detail)
{
	*status = s;
	return zk_error(ec, ZK_ETSIG, "%s%s", zk_tsig_status_text(s), detail);
}

int zk_tsig_verify(zk_tsig_ctx_t *c, const uint8_t *raw, size_t len, const zk_msg_t *m,
                   uint64_t now, bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	const zk_tsig_key_t *k = c->key;
	uint8_t mac[ZK_MD_MAXSIZE];
	zk_tsig_rdata_t t;
	bool later = stream && c->replies > 0;
	int rc;

	if (len < ZK_MSG_HDRLEN)
		return fail(status, ZK_TSIG_FORMERR, ec, ": message too short");

	if (m->sig == NULL || m->sig->type != ZK_TYPE_TSIG) {
		/* §5.3.1: up to 99 unsigned messages between signed ones. */
		if (!later)
			return fail(status, ZK_TSIG_UNSIGNED, ec, " (the request was signed)");
		if (c->unsigned_run >= 99)
			return fail(status, ZK_TSIG_UNSIGNED, ec,
			            ": more than 99 unsigned messages in a row");
		if (c->run == NULL) {
			uint8_t l[2];
			zk_put_u16(l, (uint16_t)c->mac_len);
			rc = zk_hmac_ctx_new(k->md, k->secret, k->secret_len, &c->run);
			if (rc == 0)
				rc = zk_hmac_ctx_update(c->run, l, 2);
			if (rc == 0)
				rc = zk_hmac_ctx_update(c->run, c->mac, c->mac_len);
			if (rc < 0)
				return zk_error(ec, ZK_ECRYPTO, "HMAC failed");
		}
		if (zk_hmac_ctx_update(c->run, raw, len) < 0)
			return zk_error(ec, ZK_ECRYPTO, "HMAC failed");
		c->unsigned_run++;
		*status = ZK_TSIG_UNSIGNED_OK;
		return 0;
	}

	if (m->sig_offset < ZK_MSG_HDRLEN || m->sig_offset > len ||
	    zk_tsig_rdata_parse(m->sig->rdata, m->sig->rdlen, &t) < 0)
		return fail(status, ZK_TSIG_FORMERR, ec, "");

	/* 1. Key: the name and algorithm we signed with. */
	if (!zk_name_eq(m->sig->owner, &k->name) || !zk_name_eq(&t.alg, &k->alg))
		return fail(status, ZK_TSIG_BADKEY, ec,
		            ": the reply is signed with another key or algorithm");

	/* The server could not verify us: BADSIG/BADKEY come unsigned
	 * (MAC size 0, §5.3.2); report what it said. */
	if (t.error != 0 && t.mac_len == 0) {
		char rc_text[32];
		c->last_error = t.error;
		zk_rcode_to_text(t.error, true, rc_text, sizeof(rc_text));
		*status = ZK_TSIG_SERVER_ERROR;
		return zk_error(ec, ZK_ETSIG, "server rejected our TSIG: %s", rc_text);
	}

	/* §5.2.2.1: MAC size sanity before computing anything. */
	size_t full = zk_md_size(k->md);
	if (t.mac_len > full || t.mac_len < 10 || t.mac_len < (full + 1) / 2)
		return fail(status, ZK_TSIG_FORMERR, ec,
		            ": MAC size out of range for the algorithm");

	/* 2. MAC: the prior MAC (unless a stream's unsigned run in c->run
	 * already starts with it), this message as it was, the variables. */
	zk_tsig_vars_t v = {.key = &k->name,
	                    .alg = &t.alg,
	                    .time = t.time,
	                    .fudge = t.fudge,
	                    .error = t.error,
	                    .other_len = t.other_len,
	                    .other = t.other,
	                    .timers_only = later};
	zk_buf_t in;
	bool prior = c->run == NULL && c->have_mac;
	zk_buf_init(&in);
	rc = zk_tsig_mac_input(&in, prior ? c->mac : NULL, prior ? c->mac_len : 0, raw,
	                       m->sig_offset, t.orig_id, &v);
	if (rc == 0)
		rc = hmac_over(k, c->run, &in, mac);
	zk_buf_free(&in);
	if (c->run != NULL)
		zk_hmac_ctx_free(c->run);
	c->run = NULL;
	c->unsigned_run = 0;
	if (rc < 0)
		return zk_error(ec, rc == ZK_ENOMEM ? rc : ZK_ECRYPTO, "HMAC failed");
	if (!zk_crypto_memeq(mac, t.mac, t.mac_len)) {
		zk_crypto_cleanse(mac, sizeof(mac));
		return fail(status, ZK_TSIG_BADSIG, ec, ": the MAC does not verify");
	}
	zk_crypto_cleanse(mac, sizeof(mac));

	/* 3. Time. */
	uint64_t skew = now > t.time ? now - t.time : t.time - now;
	if (skew > t.fudge) {
		*status = ZK_TSIG_BADTIME;
		return zk_error(
		    ec, ZK_ETSIG, "BADTIME: reply signed %llu s %s our clock (fudge %u)",
		    (unsigned long long)skew, now > t.time ? "behind" : "ahead of", t.fudge);
	}

	/* 4. Truncation: no shorter than what we use ourselves. */
	if (t.mac_len < k->mac_len)
		return fail(status, ZK_TSIG_BADTRUNC, ec, ": the reply's MAC is shorter than ours");

	c->last_error = t.error;
	memcpy(c->mac, t.mac, t.mac_len);
	c->mac_len = t.mac_len;
	c->have_mac = true;
	c->last_time = t.time;
	c->replies++;
	if (t.error != 0) {
		char rc_text[32];
		zk_rcode_to_text(t.error, true, rc_text, sizeof(rc_text));
		*status = ZK_TSIG_SERVER_ERROR;
		return zk_error(ec, ZK_ETSIG, "server reported TSIG error %s", rc_text);
	}
	*status = ZK_TSIG_OK;
	return 0;
}

int zk_tsig_stream_end(const zk_tsig_ctx_t *c, zk_errctx_t *ec)
{
	if (c->unsigned_run > 0)
		return zk_error(ec, ZK_ETSIG, "the last %u message%s of the stream %s not signed",
		                c->unsigned_run, c->unsigned_run == 1 ? "" : "s",
		                c->unsigned_run == 1 ? "is" : "are");
	if (c->replies == 0)
		return zk_error(ec, ZK_ETSIG, "no signed message in the stream");
	return 0;
}
