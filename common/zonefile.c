/* zonefile — streaming master-file parser.
 *
 * Input is untrusted: a zone file may come from a customer. Threats and
 * how they are bounded: endless $INCLUDE recursion (depth limit, and
 * $INCLUDE can be switched off), huge $GENERATE ranges (iteration limit),
 * an entry that never ends (a '(' without ')': the entry buffer has a hard
 * cap), error floods (max_errors). Every token points into the read
 * buffer; nothing is allocated per token or per line.
 *
 * Lexing follows RFC 1035 §5.1: blanks separate tokens, '(' ... ')' joins
 * lines, ';' starts a comment, "..." is one token, a line that starts with
 * a blank inherits the previous owner. Escapes are left in the tokens for
 * the field parsers (rdata.c, name.c) to decode. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rdata.h"
#include "rrtype.h"
#include "zonefile.h"

#define BLOCK       (256 * 1024)
#define ENTRY_MAX   (16 * 1024 * 1024) /* longest entry (a record over many lines) */
#define GEN_TEXTMAX 4096
#define GEN_TOKMAX  512
#define MAXTTL      0x7fffffffu /* RFC 2181 §8 */

/* Character classes of the lexer. */
enum { C_TEXT = 0, C_BLANK, C_NL, C_OPEN, C_CLOSE, C_SEMI, C_QUOTE, C_ESC, C_NUL };

static const uint8_t cls[256] = {
    [0] = C_NUL,    [' '] = C_BLANK, ['\t'] = C_BLANK, ['\r'] = C_BLANK, ['\n'] = C_NL,
    ['('] = C_OPEN, [')'] = C_CLOSE, [';'] = C_SEMI,   ['"'] = C_QUOTE,  ['\\'] = C_ESC,
};

/* One input file (or memory buffer) being read. */
typedef struct reader {
	const char *name;
	int fd;          /* -1 for memory input */
	const char *mem; /* memory input not yet copied */
	size_t memleft;
	char *buf; /* buf[len] is always a NUL sentinel */
	size_t cap, len;
	bool eof;
	size_t pos;        /* scan position */
	size_t line_start; /* offset of the current line's first byte */
	unsigned line;
	unsigned depth;
	zk_name_t origin;
	zk_name_t owner;
	bool have_owner;
} reader_t;

typedef struct parser {
	const zk_zf_opts_t *o;
	zk_zf_stats_t st;
	uint16_t rclass;
	bool have_class;
	uint32_t default_ttl, last_ttl;
	bool have_default, have_last, warned_1035;
	unsigned max_errors, max_depth;
	unsigned long gen_limit;
	int stop;
	zk_errctx_t first;
	bool have_first;
	/* the entry being parsed */
	zk_token_t *toks;
	size_t ntok, captok;
	bool inherit, entry_bad;
	unsigned entry_line;
	/* owner cache: the text of the last owner token, for reuse */
	char owner_text[ZK_NAME_TEXTMAX];
	size_t owner_len;
	uint32_t origin_gen, owner_gen;
	/* type cache: the last mnemonic as written */
	char type_text[16];
	size_t type_len;
	uint16_t type_code;
	/* BIND's RRset TTL rule needs owner runs */
	uint8_t run_owner[ZK_NAME_MAXLEN];
	uint8_t run_len;
	uint32_t run;
	uint8_t rdata[ZK_RDATA_MAXLEN];
} parser_t;

void zk_zf_opts_init(zk_zf_opts_t *o)
{
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------------------ messages */

__attribute__((format(printf, 7, 0))) static void vreport(parser_t *p, reader_t *r, int sev,
                                                          int code, unsigned line, unsigned col,
                                                          const char *fmt, va_list ap)
{
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	ec.code = code;
	ec.file = r->name;
	ec.line = line;
	ec.col = col;
	vsnprintf(ec.msg, sizeof(ec.msg), fmt, ap);
	if (sev == ZK_ZF_ERROR) {
		p->st.errors++;
		if (!p->have_first) {
			p->first = ec;
			p->have_first = true;
		}
	} else {
		p->st.warnings++;
	}
	if (p->o->on_msg != NULL)
		p->o->on_msg(p->o->ctx, sev, &ec);
	if (sev == ZK_ZF_ERROR && p->st.errors >= p->max_errors && p->stop == 0)
		p->stop = ZK_ELIMIT;
}

__attribute__((format(printf, 6, 7))) static void
report(parser_t *p, reader_t *r, int code, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(p, r, ZK_ZF_ERROR, code, line, col, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 6, 7))) static void
warn(parser_t *p, reader_t *r, int kind, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(p, r, ZK_ZF_WARNING, kind, line, col, fmt, ap);
	va_end(ap);
}

/* A token for a message: at most 40 bytes, control bytes as '?'. */
static const char *show(const zk_token_t *t, char *buf, size_t cap)
{
	size_t n = t->n < cap - 4 ? t->n : cap - 4, i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t->s[i];
		buf[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	if (n < t->n) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* ------------------------------------------------------------- reading */

static int reader_fill(parser_t *p, reader_t *r, size_t keep)
{
	ssize_t got;
	size_t room;

	if (r->eof)
		return 0;
	if (keep > 0) {
		memmove(r->buf, r->buf + keep, r->len - keep);
		for (size_t i = 0; i < p->ntok; i++)
			p->toks[i].s -= keep;
		r->len -= keep;
		r->pos -= keep;
		r->line_start = r->line_start >= keep ? r->line_start - keep : 0;
	}
	if (r->cap - r->len < BLOCK / 2 + 1) {
		size_t ncap = r->cap * 2;
		char *nb, *old = r->buf;
		if (ncap > ENTRY_MAX + BLOCK)
			return ZK_ELIMIT;
		nb = malloc(ncap);
		if (nb == NULL)
			return ZK_ENOMEM;
		memcpy(nb, old, r->len + 1);
		for (size_t i = 0; i < p->ntok; i++)
			p->toks[i].s = nb + (p->toks[i].s - old);
		free(old);
		r->buf = nb;
		r->cap = ncap;
	}
	room = r->cap - r->len - 1;
	if (r->fd >= 0) {
		do
			got = read(r->fd, r->buf + r->len, room);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return ZK_EIO;
	} else {
		got = (ssize_t)(r->memleft < room ? r->memleft : room);
		memcpy(r->buf + r->len, r->mem, (size_t)got);
		r->mem += got;
		r->memleft -= (size_t)got;
	}
	if (got == 0)
		r->eof = true;
	r->len += (size_t)got;
	r->buf[r->len] = '\0';
	p->st.bytes += (uint64_t)got;
	return got > 0;
}

static inline int push_token(parser_t *p, reader_t *r, size_t start, size_t end, bool quoted)
{
	zk_token_t *t;

	if (p->ntok == p->captok) {
		size_t ncap = p->captok ? p->captok * 2 : 256;
		zk_token_t *nt = realloc(p->toks, ncap * sizeof(*nt));
		if (nt == NULL)
			return ZK_ENOMEM;
		p->toks = nt;
		p->captok = ncap;
	}
	t = &p->toks[p->ntok++];
	t->s = r->buf + start;
	t->n = end - start;
	t->quoted = quoted;
	t->line = r->line;
	t->col = (unsigned)(start - r->line_start + 1 - (quoted ? 1 : 0));
	return 0;
}

/* RFC 1035 §5.1: an entry whose first line starts with a blank has the
 * previous owner. */
static void first_token(parser_t *p, const reader_t *r, size_t entry)
{
	p->inherit = cls[(uint8_t)r->buf[entry]] == C_BLANK;
	p->entry_line = p->toks[0].line;
}

/* Scan the next entry (a logical line) into p->toks. Returns 1 for an
 * entry, 0 at the end of input, or a negative error (I/O, memory). Lexical
 * errors are reported here and mark the entry bad. */
static int next_entry(parser_t *p, reader_t *r)
{
	size_t entry = r->pos, i = r->pos, start, shift;
	unsigned paren = 0, paren_line = 0, paren_col = 0;
	int rc;
	char *b;

	p->ntok = 0;
	p->entry_bad = false;
	p->inherit = false;
	p->entry_line = r->line;

/* Read more input. Keeps the entry from `entry` on; afterwards `shift`
 * says how far everything moved left (start offsets need it). */
#define REFILL()                                                                                   \
	do {                                                                                       \
		shift = r->eof ? 0 : entry;                                                        \
		r->pos = i;                                                                        \
		rc = reader_fill(p, r, shift);                                                     \
		if (rc < 0)                                                                        \
			goto fail;                                                                 \
		i = r->pos;                                                                        \
		entry -= shift;                                                                    \
	} while (0)

	for (;;) {
		b = r->buf;
		switch (cls[(uint8_t)b[i]]) {
		case C_BLANK: i++; break;
		case C_NL:
			i++;
			r->line++;
			r->line_start = i;
			if (paren > 0)
				break;
			if (p->ntok > 0)
				goto done;
			/* blank or comment-only line: the entry starts afresh */
			entry = i;
			break;
		case C_OPEN:
			if (paren++ == 0) {
				paren_line = r->line;
				paren_col = (unsigned)(i - r->line_start + 1);
			}
			i++;
			break;
		case C_CLOSE:
			if (paren == 0) {
				report(p, r, ZK_ESYNTAX, r->line, (unsigned)(i - r->line_start + 1),
				       "unbalanced ')'");
				p->entry_bad = true;
			} else {
				paren--;
			}
			i++;
			break;
		case C_SEMI:
			for (;;) {
				char *nl = memchr(b + i, '\n', r->len - i);
				if (nl != NULL) {
					i = (size_t)(nl - b);
					break;
				}
				i = r->len;
				/* drop the comment text from what we keep */
				REFILL();
				b = r->buf;
				if (rc == 0)
					break;
			}
			break;
		case C_QUOTE:
			start = ++i;
			for (;;) {
				uint8_t c = (uint8_t)r->buf[i];
				if (c == '"')
					break;
				if (c == '\\' && i + 1 >= r->len && !r->eof) {
					/* the escaped octet is in the next block */
					REFILL();
					start -= shift;
					continue;
				}
				if (c == '\\' && i + 1 < r->len) {
					if (r->buf[i + 1] == '\n') {
						r->line++;
						r->line_start = i + 2;
					}
					i += 2;
					continue;
				}
				if (c == '\n') {
					report(p, r, ZK_ESYNTAX, r->line,
					       (unsigned)(start - r->line_start),
					       "unterminated quoted string");
					p->entry_bad = true;
					break;
				}
				if (i >= r->len) {
					REFILL();
					start -= shift;
					if (rc == 0) {
						report(p, r, ZK_ESYNTAX, r->line,
						       (unsigned)(start - r->line_start),
						       "unterminated quoted string");
						p->entry_bad = true;
						break;
					}
					continue;
				}
				i++;
			}
			if ((rc = push_token(p, r, start, i, true)) < 0)
				goto fail;
			if (p->ntok == 1)
				first_token(p, r, entry);
			if (r->buf[i] == '"')
				i++;
			break;
		case C_NUL:
			if (i < r->len) /* a NUL byte in the file: part of a token */
				goto text;
			REFILL();
			if (rc == 0) {
				if (paren > 0) {
					report(p, r, ZK_ESYNTAX, paren_line, paren_col,
					       "'(' without ')' before the end of the file");
					p->entry_bad = true;
				}
				r->pos = i;
				return p->ntok > 0;
			}
			break;
		default:
		text:
			start = i;
			for (;;) {
				uint8_t k = cls[(uint8_t)r->buf[i]];
				if (k == C_TEXT) {
					i++;
					continue;
				}
				if (k == C_ESC) {
					if (i + 1 < r->len) {
						if (r->buf[i + 1] == '\n') {
							r->line++;
							r->line_start = i + 2;
						}
						i += 2;
						continue;
					}
				} else if (k != C_NUL) {
					break;
				} else if (i < r->len) {
					i++;
					continue;
				}
				/* the token runs into the end of the buffer */
				{
					REFILL();
					start -= shift;
					if (rc == 0) {
						if (i < r->len)
							i++; /* a lone '\' at the very end */
						break;
					}
				}
			}
			if ((rc = push_token(p, r, start, i, false)) < 0)
				goto fail;
			if (p->ntok == 1)
				first_token(p, r, entry);
			break;
		}
		if (p->stop)
			break;
	}
done:
	r->pos = i;
	return 1;
fail:
	r->pos = i;
	return rc;
#undef REFILL
}

/* ------------------------------------------------------------- numbers */

int zk_ttl_from_text(const char *s, size_t n, uint32_t *ttl)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;

	if (n == 0)
		return ZK_ESYNTAX;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		uint64_t mult;
		if (c - '0' < 10) {
			cur = cur * 10 + (c - '0');
			if (cur > UINT32_MAX)
				return ZK_ERANGE;
			digits = true;
			continue;
		}
		switch (c | 0x20) {
		case 'w': mult = 604800; break;
		case 'd': mult = 86400; break;
		case 'h': mult = 3600; break;
		case 'm': mult = 60; break;
		case 's': mult = 1; break;
		default: return ZK_ESYNTAX;
		}
		if (!digits)
			return ZK_ESYNTAX;
		total += cur * mult;
		if (total > UINT32_MAX)
			return ZK_ERANGE;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		if (units) /* "1h30": BIND rejects it */
			return ZK_ESYNTAX;
		total = cur;
	}
	*ttl = (uint32_t)total;
	return 0;
}

static bool is_digit(char c)
{
	return (unsigned)(c - '0') < 10;
}

/* ------------------------------------------------------------ $GENERATE */

static size_t put_num(char *out, size_t cap, long v, unsigned width, char base)
{
	char tmp[80];
	size_t n = 0, w;
	unsigned long u;
	bool neg = false;

	if (base == 'n' || base == 'N') {
		/* nibble form, least significant first, dot separated; width
		 * counts the dots too (BIND) */
		const char *digs = base == 'n' ? "0123456789abcdef" : "0123456789ABCDEF";
		long left = (long)width;
		u = (unsigned long)v;
		for (;;) {
			if (n + 2 >= sizeof(tmp))
				return (size_t)-1;
			tmp[n++] = digs[u & 15];
			u >>= 4;
			left--;
			if (u == 0 && left <= 0)
				break;
			tmp[n++] = '.';
			left--;
		}
		if (n > cap)
			return (size_t)-1;
		memcpy(out, tmp, n);
		return n;
	}
	if (v < 0) {
		neg = true;
		u = (unsigned long)-v;
	} else {
		u = (unsigned long)v;
	}
	{
		unsigned radix = base == 'o' ? 8 : (base == 'x' || base == 'X') ? 16 : 10;
		const char *digs = base == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
		do {
			tmp[n++] = digs[u % radix];
			u /= radix;
		} while (u != 0);
	}
	w = n + (neg ? 1 : 0);
	if (width > 64)
		return (size_t)-1;
	{
		size_t pad = width > w ? width - w : 0, k = 0;
		if (w + pad > cap)
			return (size_t)-1;
		if (neg)
			out[k++] = '-';
		while (pad--)
			out[k++] = '0';
		while (n > 0)
			out[k++] = tmp[--n];
		return k;
	}
}

int zk_generate_expand(const char *t, size_t n, long it, char *out, size_t cap, size_t *outlen)
{
	size_t i = 0, o = 0;

	if (cap == 0)
		return ZK_ESPACE;
	while (i < n) {
		char c = t[i];
		if (c == '\\') {
			size_t k = i + 2 <= n ? 2 : 1;
			if (o + k >= cap)
				return ZK_ESPACE;
			memcpy(out + o, t + i, k);
			o += k;
			i += k;
			continue;
		}
		if (c != '$') {
			if (o + 1 >= cap)
				return ZK_ESPACE;
			out[o++] = c;
			i++;
			continue;
		}
		i++;
		if (i < n && t[i] == '$') {
			if (o + 1 >= cap)
				return ZK_ESPACE;
			out[o++] = '$';
			i++;
			continue;
		}
		long off = 0;
		unsigned width = 0;
		char base = 'd';
		if (i < n && t[i] == '{') {
			/* ${offset[,width[,base]]} */
			size_t j = i + 1, k;
			bool neg = false;
			int field = 0;
			unsigned long v;
			for (;;) {
				if (field < 2) {
					if (field == 0 && j < n && (t[j] == '-' || t[j] == '+'))
						neg = t[j++] == '-';
					v = 0;
					k = j;
					while (j < n && is_digit(t[j]) && v < 100000000000UL)
						v = v * 10 + (unsigned long)(t[j++] - '0');
					if (j == k || v > 0xffffffffUL)
						return ZK_ESYNTAX;
					if (field == 0)
						off = neg ? -(long)v : (long)v;
					else
						width = (unsigned)v;
				} else {
					if (j >= n || strchr("doxXnN", t[j]) == NULL ||
					    t[j] == '\0')
						return ZK_ESYNTAX;
					base = t[j++];
				}
				field++;
				if (j < n && t[j] == '}')
					break;
				if (field == 3 || j >= n || t[j] != ',')
					return ZK_ESYNTAX;
				j++;
			}
			i = j + 1;
		}
		size_t w = put_num(out + o, cap - o - 1, it + off, width, base);
		if (w == (size_t)-1)
			return ZK_ESPACE;
		o += w;
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/* --------------------------------------------------------------- records */

/* zk_errctx_init clears 400 bytes; per record only these matter. */
static void ec_reset(zk_errctx_t *ec)
{
	ec->code = 0;
	ec->msg[0] = '\0';
	ec->file = NULL;
	ec->line = ec->col = 0;
	ec->offset = -1;
	ec->peer[0] = '\0';
}

/* The common owner spelling (plain labels, no escapes, not "@") without
 * the general parser; false sends everything else to zk_name_from_text,
 * which also words the errors. */
static bool fast_name(const char *s, size_t n, const zk_name_t *origin, zk_name_t *out)
{
	size_t w = 0, i = 0;
	unsigned labels = 0;
	bool absolute = s[n - 1] == '.';

	if (absolute)
		n--;
	if (n == 0 || n + 2 > ZK_NAME_MAXLEN)
		return false;
	while (i < n) {
		const char *dot;
		size_t len;
		dot = memchr(s + i, '.', n - i);
		len = dot ? (size_t)(dot - (s + i)) : n - i;
		if (len == 0 || len > ZK_LABEL_MAXLEN || memchr(s + i, '\\', len) != NULL)
			return false;
		out->wire[w] = (uint8_t)len;
		memcpy(out->wire + w + 1, s + i, len);
		w += len + 1;
		labels++;
		i += len + 1;
	}
	if (n == 1 && s[0] == '@')
		return false;
	if (absolute) {
		out->wire[w++] = 0;
	} else {
		if (w + origin->len > ZK_NAME_MAXLEN)
			return false;
		memcpy(out->wire + w, origin->wire, origin->len);
		w += origin->len;
		labels += origin->labels;
	}
	out->len = (uint8_t)w;
	out->labels = (uint8_t)labels;
	return true;
}

static int emit(parser_t *p, reader_t *r, const zk_name_t *owner, uint16_t type, uint16_t rclass,
                uint32_t ttl, size_t rdlen, unsigned line, unsigned col)
{
	zk_rr_t rr;
	zk_zf_loc_t loc;
	int rc;

	/* a new run when the owner's exact bytes change (BIND commits its
	 * per-owner list there; see zone.c for the TTL rule) */
	if (owner->len != p->run_len || memcmp(owner->wire, p->run_owner, owner->len) != 0) {
		p->run++;
		p->run_len = owner->len;
		memcpy(p->run_owner, owner->wire, owner->len);
	}
	rr.owner = owner;
	rr.type = type;
	rr.rclass = rclass;
	rr.ttl = ttl;
	rr.rdlen = (uint16_t)rdlen;
	rr.rdata = p->rdata;
	loc.file = r->name;
	loc.line = line;
	loc.col = col;
	loc.depth = r->depth;
	loc.run = p->run;
	p->st.records++;
	rc = p->o->on_rr(p->o->ctx, &rr, &loc);
	if (rc != 0 && p->stop == 0)
		p->stop = rc;
	return rc;
}

static int parse_class(const zk_token_t *t, uint16_t *c)
{
	if (t->n == 2 && (t->s[0] | 0x20) == 'i' && (t->s[1] | 0x20) == 'n') {
		*c = ZK_CLASS_IN;
		return 0;
	}
	return zk_rrclass_from_text(t->s, t->n, c);
}

/* Optional TTL and class in either order. Returns the index of the type
 * token; *ttl_set tells whether a TTL was given. Errors reported. */
static int ttl_class(parser_t *p, reader_t *r, size_t k, uint32_t *ttl, bool *ttl_set,
                     uint16_t *rclass, size_t *class_tok)
{
	bool cs = false;

	*ttl_set = false;
	*class_tok = 0;
	for (int round = 0; round < 2 && k < p->ntok; round++) {
		const zk_token_t *t = &p->toks[k];
		if (t->quoted)
			break;
		if (!*ttl_set && is_digit(t->s[0])) {
			int rc = zk_ttl_from_text(t->s, t->n, ttl);
			if (rc == ZK_ERANGE || (rc == 0 && *ttl > MAXTTL)) {
				char sb[48];
				warn(p, r, ZK_ZFW_MAXTTL, t->line, t->col,
				     "TTL %s > MAXTTL, setting TTL to 0", show(t, sb, sizeof(sb)));
				*ttl = 0;
				rc = 0;
			}
			if (rc != 0)
				break; /* the type check says "unknown type" */
			*ttl_set = true;
			k++;
			continue;
		}
		if (!cs && parse_class(t, rclass) == 0) {
			cs = true;
			*class_tok = k;
			k++;
			continue;
		}
		break;
	}
	return (int)k;
}

static bool check_class(parser_t *p, reader_t *r, const zk_token_t *t, uint16_t c)
{
	char a[24], b[24];

	if (!p->have_class) {
		p->rclass = c;
		p->have_class = true;
		return true;
	}
	if (c == p->rclass)
		return true;
	zk_rrclass_to_text(c, a, sizeof(a));
	zk_rrclass_to_text(p->rclass, b, sizeof(b));
	report(p, r, ZK_ECLASS, t->line, t->col, "class '%s' differs from the zone class '%s'", a,
	       b);
	return false;
}

static int parse_type(parser_t *p, reader_t *r, size_t k, uint16_t *type)
{
	char sb[48];
	const zk_token_t *t;

	if (k >= p->ntok) {
		const zk_token_t *last = &p->toks[p->ntok - 1];
		report(p, r, ZK_ESYNTAX, last->line, last->col + (unsigned)last->n,
		       "missing RR type");
		return -1;
	}
	t = &p->toks[k];
	/* most files repeat a handful of mnemonics: remember the last one */
	if (t->n == p->type_len && !t->quoted && memcmp(t->s, p->type_text, t->n) == 0) {
		*type = p->type_code;
		return 0;
	}
	if (t->quoted || zk_rrtype_from_text(t->s, t->n, type) != 0) {
		report(p, r, ZK_ETYPE, t->line, t->col, "unknown RR type '%s'",
		       show(t, sb, sizeof(sb)));
		return -1;
	}
	{
		const zk_rrtype_t *row = zk_rrtype_get(*type);
		if (row != NULL && (row->flags & ZK_RRF_META)) {
			report(p, r, ZK_ETYPE, t->line, t->col, "meta type '%s' in zone data",
			       show(t, sb, sizeof(sb)));
			return -1;
		}
	}
	if (t->n <= sizeof(p->type_text)) {
		memcpy(p->type_text, t->s, t->n);
		p->type_len = t->n;
		p->type_code = *type;
	}
	return 0;
}

/* Rdata from tokens [k, end); errors reported with the token's place. */
static int rdata(parser_t *p, reader_t *r, uint16_t type, const zk_token_t *toks, size_t ntok,
                 const zk_token_t *typetok, size_t *len)
{
	zk_errctx_t ec;
	int rc;
	char tn[16];

	ec_reset(&ec);
	rc = zk_rdata_from_text(type, toks, ntok, &r->origin, p->rdata, sizeof(p->rdata), len, &ec);
	if (rc == 0)
		return 0;
	zk_rrtype_to_text(type, tn, sizeof(tn));
	{
		unsigned line = ec.line ? ec.line : (ntok ? toks[0].line : typetok->line);
		unsigned col =
		    ec.line ? ec.col : (ntok ? toks[0].col : typetok->col + (unsigned)typetok->n);
		report(p, r, rc, line, col, "bad %s record: %s", tn,
		       ec.msg[0] ? ec.msg : zk_strerror(rc));
	}
	return -1;
}

/* Which TTL an RR without one gets (BIND's rules); false: error reported. */
static bool implicit_ttl(parser_t *p, reader_t *r, uint16_t type, size_t rdlen, unsigned line,
                         uint32_t *ttl)
{
	if (p->have_default) {
		*ttl = p->default_ttl;
		return true;
	}
	if (p->have_last) {
		if (!p->warned_1035) {
			warn(p, r, ZK_ZFW_TTL1035, line, 0, "using RFC1035 TTL semantics");
			p->warned_1035 = true;
		}
		*ttl = p->last_ttl;
		return true;
	}
	if (type == ZK_TYPE_SOA && rdlen >= 20) {
		*ttl = zk_get_u32(p->rdata + rdlen - 4);
		if (*ttl > MAXTTL)
			*ttl = 0;
		warn(p, r, ZK_ZFW_SOAMIN, line, 0, "no TTL specified; using SOA MINTTL instead");
		p->default_ttl = *ttl;
		p->have_default = true;
		return true;
	}
	report(p, r, ZK_ESYNTAX, line, 0, "no TTL specified");
	return false;
}

static int owner_from_token(parser_t *p, reader_t *r, const zk_token_t *t)
{
	zk_errctx_t ec;
	char sb[48];
	int rc;

	if (t->quoted) {
		report(p, r, ZK_ESYNTAX, t->line, t->col, "quoted owner name");
		return -1;
	}
	if (r->have_owner && p->owner_gen == p->origin_gen && t->n == p->owner_len &&
	    memcmp(t->s, p->owner_text, t->n) == 0)
		return 0;
	if (fast_name(t->s, t->n, &r->origin, &r->owner)) {
		r->have_owner = true;
		goto cache;
	}
	ec_reset(&ec);
	rc = zk_name_from_text(&r->owner, t->s, t->n, &r->origin, &ec);
	if (rc != 0) {
		r->have_owner = false;
		p->owner_len = 0;
		report(p, r, rc, t->line, t->col, "bad owner name '%s': %s",
		       show(t, sb, sizeof(sb)), ec.msg[0] ? ec.msg : zk_strerror(rc));
		return -1;
	}
	r->have_owner = true;
cache:
	if (t->n <= sizeof(p->owner_text)) {
		memcpy(p->owner_text, t->s, t->n);
		p->owner_len = t->n;
		p->owner_gen = p->origin_gen;
	} else {
		p->owner_len = 0;
	}
	return 0;
}

static void record(parser_t *p, reader_t *r)
{
	size_t k = 0, rdlen;
	uint32_t ttl = 0;
	uint16_t rclass = 0, type;
	bool ttl_set;
	size_t ctok;
	const zk_token_t *t0 = &p->toks[0];
	unsigned col = p->inherit ? 1 : t0->col;

	if (p->inherit) {
		if (!r->have_owner) {
			report(p, r, ZK_ESYNTAX, t0->line, 1, "no current owner name");
			return;
		}
	} else {
		if (owner_from_token(p, r, t0) != 0)
			return;
		k = 1;
	}
	k = (size_t)ttl_class(p, r, k, &ttl, &ttl_set, &rclass, &ctok);
	if (parse_type(p, r, k, &type) != 0)
		return;
	if (ctok) {
		if (!check_class(p, r, &p->toks[ctok], rclass))
			return;
	} else if (!p->have_class) {
		p->rclass = ZK_CLASS_IN;
		p->have_class = true;
	}
	if (rdata(p, r, type, p->toks + k + 1, p->ntok - k - 1, &p->toks[k], &rdlen) != 0)
		return;
	if (ttl_set) {
		p->last_ttl = ttl;
		p->have_last = true;
	} else if (!implicit_ttl(p, r, type, rdlen, p->entry_line, &ttl)) {
		return;
	}
	emit(p, r, &r->owner, type, p->rclass, ttl, rdlen, p->entry_line, col);
}

static void directive_ttl(parser_t *p, reader_t *r)
{
	char sb[48];
	uint32_t ttl;
	int rc;

	if (p->ntok != 2) {
		const zk_token_t *t = &p->toks[p->ntok > 2 ? 2 : 0];
		report(p, r, ZK_ESYNTAX, t->line, t->col,
		       p->ntok > 2 ? "extra text after $TTL" : "$TTL needs a value");
		return;
	}
	rc = zk_ttl_from_text(p->toks[1].s, p->toks[1].n, &ttl);
	if (rc == ZK_ERANGE || (rc == 0 && ttl > MAXTTL)) {
		warn(p, r, ZK_ZFW_MAXTTL, p->toks[1].line, p->toks[1].col,
		     "$TTL %s > MAXTTL, setting $TTL to 0", show(&p->toks[1], sb, sizeof(sb)));
		ttl = 0;
		rc = 0;
	}
	if (rc != 0 || p->toks[1].quoted) {
		report(p, r, ZK_ESYNTAX, p->toks[1].line, p->toks[1].col, "bad TTL '%s'",
		       show(&p->toks[1], sb, sizeof(sb)));
		return;
	}
	p->default_ttl = ttl;
	p->have_default = true;
	p->st.saw_ttl_directive = true;
}

static void directive_origin(parser_t *p, reader_t *r)
{
	zk_errctx_t ec;
	zk_name_t n;
	char sb[48];
	int rc;

	if (p->ntok != 2) {
		const zk_token_t *t = &p->toks[p->ntok > 2 ? 2 : 0];
		report(p, r, ZK_ESYNTAX, t->line, t->col,
		       p->ntok > 2 ? "extra text after $ORIGIN" : "$ORIGIN needs a name");
		return;
	}
	zk_errctx_init(&ec);
	rc = zk_name_from_text(&n, p->toks[1].s, p->toks[1].n, &r->origin, &ec);
	if (rc != 0) {
		report(p, r, rc, p->toks[1].line, p->toks[1].col, "bad $ORIGIN '%s': %s",
		       show(&p->toks[1], sb, sizeof(sb)), ec.msg[0] ? ec.msg : zk_strerror(rc));
		return;
	}
	zk_name_copy(&r->origin, &n);
	p->origin_gen++;
}

static int parse_reader(parser_t *p, reader_t *r);

static void directive_include(parser_t *p, reader_t *r)
{
	reader_t child;
	char path[4096];
	const zk_token_t *f;
	zk_errctx_t ec;
	int rc;

	if (p->ntok < 2 || p->ntok > 3) {
		const zk_token_t *t = &p->toks[p->ntok > 3 ? 3 : 0];
		report(p, r, ZK_ESYNTAX, t->line, t->col,
		       p->ntok > 3 ? "extra text after $INCLUDE" : "$INCLUDE needs a file name");
		return;
	}
	if (p->o->no_include) {
		report(p, r, ZK_EUNSUPP, p->toks[0].line, p->toks[0].col,
		       "$INCLUDE is disabled for this input");
		return;
	}
	if (r->depth + 1 > p->max_depth) {
		report(p, r, ZK_ELIMIT, p->toks[0].line, p->toks[0].col,
		       "$INCLUDE nested deeper than %u", p->max_depth);
		return;
	}
	memset(&child, 0, sizeof(child));
	zk_name_copy(&child.origin, &r->origin);
	if (p->ntok == 3) {
		char sb[48];
		zk_errctx_init(&ec);
		rc = zk_name_from_text(&child.origin, p->toks[2].s, p->toks[2].n, &r->origin, &ec);
		if (rc != 0) {
			report(p, r, rc, p->toks[2].line, p->toks[2].col, "bad origin '%s': %s",
			       show(&p->toks[2], sb, sizeof(sb)),
			       ec.msg[0] ? ec.msg : zk_strerror(rc));
			return;
		}
	}
	/* the file name relative to the including file's directory */
	f = &p->toks[1];
	{
		const char *slash = strrchr(r->name, '/');
		size_t dl =
		    (f->n > 0 && f->s[0] != '/' && slash) ? (size_t)(slash - r->name) + 1 : 0;
		if (dl + f->n + 1 > sizeof(path) || memchr(f->s, '\0', f->n) != NULL) {
			report(p, r, ZK_EINVAL, f->line, f->col, "bad $INCLUDE file name");
			return;
		}
		memcpy(path, r->name, dl);
		/* a file name with escapes is taken as written */
		memcpy(path + dl, f->s, f->n);
		path[dl + f->n] = '\0';
	}
	child.name = path;
	child.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (child.fd < 0) {
		report(p, r, ZK_EIO, f->line, f->col, "cannot open '%s': %s", path,
		       strerror(errno));
		return;
	}
	child.depth = r->depth + 1;
	zk_name_copy(&child.owner, &r->owner);
	child.have_owner = r->have_owner;
	p->run++;
	p->origin_gen++;
	{
		/* the parent's tokens are done with; the child reuses the array */
		rc = parse_reader(p, &child);
		if (rc < 0 && rc != ZK_ELIMIT)
			report(p, r, rc, f->line, f->col, "reading '%s': %s", path,
			       rc == ZK_EIO ? strerror(errno) : zk_strerror(rc));
	}
	close(child.fd);
	p->run++;
	p->origin_gen++;
	p->owner_len = 0;
}

static void directive_generate(parser_t *p, reader_t *r)
{
	char sb[48], text[GEN_TEXTMAX];
	zk_token_t gt[GEN_TOKMAX];
	zk_name_t owner;
	unsigned long start, stop, step = 1;
	const zk_token_t *rt, *lhs, *rhs;
	uint32_t ttl = 0;
	uint16_t rclass = 0, type;
	bool ttl_set;
	size_t k, tl, ng, rdlen, ctok;
	zk_errctx_t ec;
	int rc;

	if (p->ntok < 5) {
		const zk_token_t *t = &p->toks[p->ntok - 1];
		report(p, r, ZK_ESYNTAX, t->line, t->col + (unsigned)t->n,
		       "$GENERATE needs a range, an owner, a type and rdata");
		return;
	}
	/* range: start-stop[/step] */
	rt = &p->toks[1];
	{
		const char *s = rt->s, *e = rt->s + rt->n;
		unsigned long *dst[3] = {&start, &stop, &step};
		int field = 0;
		bool ok = true;
		while (ok && field < 3) {
			const char *d = s;
			unsigned long v = 0;
			while (s < e && is_digit(*s) && v <= 0xffffffffUL)
				v = v * 10 + (unsigned long)(*s++ - '0');
			if (s == d || v > 0xffffffffUL) {
				ok = false;
				break;
			}
			*dst[field++] = v;
			if (s == e)
				break;
			if ((field == 1 && *s == '-') || (field == 2 && *s == '/'))
				s++;
			else
				ok = false;
		}
		if (!ok || field < 2 || s != e || start > stop || step == 0) {
			report(p, r, ZK_ESYNTAX, rt->line, rt->col, "bad $GENERATE range '%s'",
			       show(rt, sb, sizeof(sb)));
			return;
		}
	}
	if ((stop - start) / step >= p->gen_limit) {
		report(p, r, ZK_ELIMIT, rt->line, rt->col,
		       "$GENERATE range '%s' has more than %lu steps", show(rt, sb, sizeof(sb)),
		       p->gen_limit);
		return;
	}
	lhs = &p->toks[2];
	k = (size_t)ttl_class(p, r, 3, &ttl, &ttl_set, &rclass, &ctok);
	if (parse_type(p, r, k, &type) != 0)
		return;
	if (ctok && !check_class(p, r, &p->toks[ctok], rclass))
		return;
	if (!p->have_class) {
		p->rclass = ZK_CLASS_IN;
		p->have_class = true;
	}
	if (k + 2 != p->ntok) {
		const zk_token_t *t = &p->toks[k + 1 < p->ntok ? k + 2 : k];
		report(p, r, ZK_ESYNTAX, t->line, t->col,
		       k + 1 < p->ntok ? "extra text after the $GENERATE rdata (quote it)"
		                       : "$GENERATE needs rdata");
		return;
	}
	rhs = &p->toks[k + 1];
	if (ttl_set) {
		p->last_ttl = ttl;
		p->have_last = true;
	}
	p->run++;
	for (unsigned long it = start;; it += step) {
		rc = zk_generate_expand(lhs->s, lhs->n, (long)it, text, sizeof(text), &tl);
		if (rc != 0) {
			report(p, r, rc, lhs->line, lhs->col, "bad $GENERATE owner '%s'",
			       show(lhs, sb, sizeof(sb)));
			return;
		}
		zk_errctx_init(&ec);
		rc = zk_name_from_text(&owner, text, tl, &r->origin, &ec);
		if (rc != 0) {
			report(p, r, rc, lhs->line, lhs->col, "bad $GENERATE owner '%s': %s", text,
			       ec.msg[0] ? ec.msg : zk_strerror(rc));
			return;
		}
		rc = zk_generate_expand(rhs->s, rhs->n, (long)it, text, sizeof(text), &tl);
		if (rc == 0) {
			zk_errctx_init(&ec);
			rc = zk_text_tokenize(text, tl, gt, GEN_TOKMAX, &ng, &ec);
		}
		if (rc != 0) {
			report(p, r, rc, rhs->line, rhs->col, "bad $GENERATE rdata '%s'",
			       show(rhs, sb, sizeof(sb)));
			return;
		}
		for (size_t j = 0; j < ng; j++) {
			gt[j].line = rhs->line;
			gt[j].col = rhs->col;
		}
		if (rdata(p, r, type, gt, ng, &p->toks[k], &rdlen) != 0)
			return;
		if (!ttl_set && !implicit_ttl(p, r, type, rdlen, p->entry_line, &ttl))
			return;
		if (emit(p, r, &owner, type, p->rclass, ttl, rdlen, p->entry_line,
		         p->toks[0].col) != 0 ||
		    p->stop)
			return;
		if (stop - it < step)
			break;
	}
	p->run++;
}

static void entry(parser_t *p, reader_t *r)
{
	const zk_token_t *t = &p->toks[0];

	if (!p->inherit && !t->quoted && t->n > 1 && t->s[0] == '$') {
		char sb[48];
		if (t->n == 4 && strncasecmp(t->s, "$TTL", 4) == 0)
			directive_ttl(p, r);
		else if (t->n == 7 && strncasecmp(t->s, "$ORIGIN", 7) == 0)
			directive_origin(p, r);
		else if (t->n == 8 && strncasecmp(t->s, "$INCLUDE", 8) == 0)
			directive_include(p, r);
		else if (t->n == 9 && strncasecmp(t->s, "$GENERATE", 9) == 0)
			directive_generate(p, r);
		else
			report(p, r, ZK_ESYNTAX, t->line, t->col, "unknown directive '%s'",
			       show(t, sb, sizeof(sb)));
		return;
	}
	record(p, r);
}

static int parse_reader(parser_t *p, reader_t *r)
{
	int rc;

	r->cap = 2 * BLOCK;
	r->buf = malloc(r->cap);
	if (r->buf == NULL)
		return ZK_ENOMEM;
	r->buf[0] = '\0';
	r->line = 1;
	while (p->stop == 0) {
		rc = next_entry(p, r);
		if (rc < 0)
			goto out;
		if (rc == 0)
			break;
		if (!p->entry_bad && p->stop == 0)
			entry(p, r);
	}
	rc = 0;
out:
	if (rc == ZK_ELIMIT) {
		report(p, r, ZK_ELIMIT, r->line, 1, "entry longer than %u bytes", ENTRY_MAX);
		rc = ZK_ESYNTAX;
	}
	free(r->buf);
	r->buf = NULL;
	return rc;
}

static int parse(reader_t *r, const zk_zf_opts_t *o, zk_zf_stats_t *stats, zk_errctx_t *ec)
{
	parser_t *p;
	int rc;

	if (o == NULL || o->on_rr == NULL)
		return zk_error(ec, ZK_EINVAL, "no record callback");
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	p->o = o;
	p->max_errors = o->max_errors ? o->max_errors : 100;
	p->max_depth = o->include_depth ? o->include_depth : 16;
	p->gen_limit = o->generate_limit ? o->generate_limit : (1UL << 24);
	if (o->rclass != 0) {
		p->rclass = o->rclass;
		p->have_class = true;
	}
	if (o->have_default_ttl) {
		p->default_ttl = o->default_ttl;
		p->have_default = true;
		p->st.saw_ttl_directive = true;
	}
	zk_name_copy(&r->origin, o->origin ? o->origin : &zk_name_root);
	rc = parse_reader(p, r);
	if (rc < 0) {
		if (ec != NULL) {
			zk_error(ec, rc, "%s", rc == ZK_EIO ? strerror(errno) : zk_strerror(rc));
			ec->file = r->name;
		}
	} else if (p->stop != 0 && p->stop != ZK_ELIMIT) {
		rc = p->stop;
	} else if (p->st.errors > 0) {
		rc = p->stop == ZK_ELIMIT ? ZK_ELIMIT : ZK_ESYNTAX;
		if (ec != NULL) {
			*ec = p->first;
			ec->code = rc;
		}
	}
	if (stats != NULL)
		*stats = p->st;
	free(p->toks);
	free(p);
	return rc;
}

int zk_zonefile_parse_file(const char *path, const zk_zf_opts_t *o, zk_zf_stats_t *stats,
                           zk_errctx_t *ec)
{
	reader_t r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	r.name = path;
	r.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0) {
		rc = zk_error(ec, ZK_EIO, "%s", strerror(errno));
		if (ec != NULL)
			ec->file = path;
		return rc;
	}
	rc = parse(&r, o, stats, ec);
	close(r.fd);
	return rc;
}

int zk_zonefile_parse_mem(const char *name, const char *buf, size_t len, const zk_zf_opts_t *o,
                          zk_zf_stats_t *stats, zk_errctx_t *ec)
{
	reader_t r;

	memset(&r, 0, sizeof(r));
	r.name = name ? name : "-";
	r.fd = -1;
	r.mem = buf;
	r.memleft = len;
	return parse(&r, o, stats, ec);
}
