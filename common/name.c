/* name — domain names: text and wire forms, decompression, canonical order.
 *
 * A name is kept as its uncompressed wire octets (case preserved) plus the
 * label count; comparisons fold ASCII case (RFC 4034 §6.1, RFC 4343). */
#include "config.h"

#include <string.h>

#include "name.h"

const zk_name_t zk_name_root = {.len = 1, .labels = 0, .wire = {0}};

static inline uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

void zk_name_copy(zk_name_t *dst, const zk_name_t *src)
{
	if (dst == src)
		return;
	dst->len = src->len;
	dst->labels = src->labels;
	memcpy(dst->wire, src->wire, src->len);
}

zk_name_t *zk_name_dup(zk_arena_t *a, const zk_name_t *src)
{
	zk_name_t *n = zk_arena_alloc(a, zk_name_size(src));

	if (n == NULL)
		return NULL;
	n->len = src->len;
	n->labels = src->labels;
	memcpy(n->wire, src->wire, src->len);
	return n;
}

/* ---------------------------------------------------------------- text in */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One escape at s[*i] (a backslash): "\X" is the octet X, "\DDD" the
 * octet with decimal value DDD, exactly three digits and at most 255. */
static int unescape(const char *s, size_t n, size_t *i, unsigned *c, zk_errctx_t *ec)
{
	size_t at = *i;

	if (at + 1 >= n)
		return zk_error(ec, ZK_ESYNTAX, "name ends with a backslash");
	if (!is_digit(s[at + 1])) {
		*c = (unsigned char)s[at + 1];
		*i = at + 2;
		return 0;
	}
	if (at + 3 >= n || !is_digit(s[at + 2]) || !is_digit(s[at + 3]))
		return zk_error(ec, ZK_ESYNTAX,
		                "bad escape at position %zu in name: \\DDD needs three digits",
		                at + 1);
	*c = (unsigned)(s[at + 1] - '0') * 100 + (unsigned)(s[at + 2] - '0') * 10 +
	     (unsigned)(s[at + 3] - '0');
	if (*c > 255)
		return zk_error(ec, ZK_ESYNTAX,
		                "bad escape at position %zu in name: \\%c%c%c is more than 255",
		                at + 1, s[at + 1], s[at + 2], s[at + 3]);
	*i = at + 4;
	return 0;
}

/* Presentation format (RFC 1035 §5.1): labels separated by unescaped dots,
 * escapes as in unescape(). A trailing dot makes the name absolute; otherwise
 * origin (root if NULL) is appended. "@" alone is the origin. */
int zk_name_from_text(zk_name_t *out, const char *s, size_t n, const zk_name_t *origin,
                      zk_errctx_t *ec)
{
	uint8_t wire[ZK_NAME_MAXLEN + 1];
	size_t wlen = 0, i = 0;
	unsigned labels = 0;
	bool absolute = false;

	if (origin == NULL)
		origin = &zk_name_root;
	if (n == 0)
		return zk_error(ec, ZK_ESYNTAX, "empty name");
	if (n == 1 && s[0] == '@') {
		zk_name_copy(out, origin);
		return 0;
	}
	if (n == 1 && s[0] == '.') {
		zk_name_copy(out, &zk_name_root);
		return 0;
	}

	while (i < n) {
		size_t lenpos = wlen, llen = 0;

		if (s[i] == '.')
			return zk_error(ec, ZK_ESYNTAX, "empty label at position %zu in name",
			                i + 1);
		/* Room for the length octet; the 255 limit is checked below. */
		if (wlen >= ZK_NAME_MAXLEN)
			return zk_error(ec, ZK_ENAMELEN, "name longer than 255 octets");
		wlen++;
		while (i < n && s[i] != '.') {
			unsigned c = (unsigned char)s[i];

			if (c == '\\') {
				int r = unescape(s, n, &i, &c, ec);
				if (r != 0)
					return r;
			} else {
				i++;
			}
			if (llen >= ZK_LABEL_MAXLEN)
				return zk_error(ec, ZK_ELABEL, "label longer than 63 octets");
			if (wlen >= ZK_NAME_MAXLEN)
				return zk_error(ec, ZK_ENAMELEN, "name longer than 255 octets");
			wire[wlen++] = (uint8_t)c;
			llen++;
		}
		wire[lenpos] = (uint8_t)llen;
		labels++;
		if (i < n) {
			/* s[i] is a dot: the last one makes the name absolute. */
			i++;
			if (i == n)
				absolute = true;
		}
	}

	if (absolute) {
		if (wlen + 1 > ZK_NAME_MAXLEN)
			return zk_error(ec, ZK_ENAMELEN, "name longer than 255 octets");
		wire[wlen++] = 0;
	} else {
		if (wlen + origin->len > ZK_NAME_MAXLEN)
			return zk_error(ec, ZK_ENAMELEN,
			                "name longer than 255 octets with the origin appended");
		memcpy(wire + wlen, origin->wire, origin->len);
		wlen += origin->len;
		labels += origin->labels;
	}
	out->len = (uint8_t)wlen;
	out->labels = (uint8_t)labels;
	memcpy(out->wire, wire, wlen);
	return 0;
}

/* ---------------------------------------------------------------- text out */

/* How BIND prints an octet of a label: these get a backslash, octets outside
 * the printable range 0x21..0x7e are written as \DDD. */
static bool needs_backslash(uint8_t c)
{
	switch (c) {
	case '.':
	case ';':
	case '\\':
	case '(':
	case ')':
	case '"':
	case '@':
	case '$': return true;
	default: return false;
	}
}

/* Writes the text form into dst (up to cap bytes, no NUL); returns the
 * full length. */
static size_t name_text(const zk_name_t *n, char *dst, size_t cap)
{
	size_t k = 0, i = 0;

#define EMIT(ch)                                                                                   \
	do {                                                                                       \
		if (k < cap)                                                                       \
			dst[k] = (char)(ch);                                                       \
		k++;                                                                               \
	} while (0)

	if (n->len <= 1) {
		EMIT('.');
		return k;
	}
	while (i < n->len && n->wire[i] != 0) {
		uint8_t llen = n->wire[i++];
		for (uint8_t j = 0; j < llen && i < n->len; j++, i++) {
			uint8_t c = n->wire[i];
			if (needs_backslash(c)) {
				EMIT('\\');
				EMIT(c);
			} else if (c < 0x21 || c > 0x7e) {
				EMIT('\\');
				EMIT('0' + c / 100);
				EMIT('0' + c / 10 % 10);
				EMIT('0' + c % 10);
			} else {
				EMIT(c);
			}
		}
		EMIT('.');
	}
#undef EMIT
	return k;
}

void zk_name_to_text(const zk_name_t *n, zk_buf_t *out)
{
	char tmp[ZK_NAME_TEXTMAX];
	size_t k = name_text(n, tmp, sizeof(tmp));

	zk_buf_put(out, tmp, k);
}

size_t zk_name_to_cstr(const zk_name_t *n, char *buf, size_t cap)
{
	size_t k = name_text(n, buf, cap);

	if (cap > 0)
		buf[k < cap ? k : cap - 1] = '\0';
	return k;
}

/* ---------------------------------------------------------------- wire in */

/* DECODING NAMES FROM UNTRUSTED MESSAGES
 *
 * Everything here comes from the network and may be built to hurt:
 *  - pointer loops (a pointer to itself, two pointers to each other) and
 *    forward pointers, which let a name be assembled from anywhere; we
 *    require every pointer to target an offset strictly before the start
 *    of the name part being read (hence before the pointer itself), so each
 *    hop strictly descends and no loop can exist;
 *  - long pointer chains that make one name cost many steps, and the
 *    quadratic blow-up when a message holds many names that each follow
 *    such a chain (CVE-2023-4408 in BIND): at most 128 hops, and the caller
 *    can add up the work reported by zk_name_from_wire_count;
 *  - pointers into the 12-octet header, offsets past the end, lengths that
 *    run past the end of the message (NAME:WRECK, Forescout 2021, found
 *    all of these in embedded stacks);
 *  - assembled names longer than 255 octets, labels longer than 63;
 *  - the reserved label types 0x40 and 0x80 (RFC 6891 §5 retired the
 *    extended types), which we reject rather than guess a length for.
 * RFC 9267 ("Common Implementation Anti-Patterns Related to DNS Resource
 * Record Processing") lists these; every check below names its threat.
 * Nothing is written to the output until the whole name is valid. */

#define MAX_HOPS   128
#define HEADER_LEN 12

static int from_wire(zk_name_t *out, const uint8_t *msg, size_t msglen, size_t *pos, size_t *work,
                     bool allow_ptr, zk_errctx_t *ec)
{
	uint8_t wire[ZK_NAME_MAXLEN];
	size_t cur, part_start, end = 0, wlen = 0, steps = 0;
	unsigned labels = 0, hops = 0;
	bool jumped = false;
	int err;

	if (*pos >= msglen)
		return zk_error_at(ec, ZK_ETRUNC, (long)*pos,
		                   "name starts past the end of the data");
	cur = part_start = *pos;

	for (;;) {
		uint8_t b;

		if (cur >= msglen) {
			err = zk_error_at(ec, ZK_ETRUNC, (long)cur,
			                  "name runs past the end of the data");
			goto fail;
		}
		b = msg[cur];
		steps++;
		switch (b & 0xc0) {
		case 0x00: break;
		case 0xc0: {
			size_t target;

			if (!allow_ptr) {
				err = zk_error_at(ec, ZK_EPTR, (long)cur,
				                  "compression pointer in an uncompressed name");
				goto fail;
			}
			if (cur + 1 >= msglen) {
				err = zk_error_at(
				    ec, ZK_ETRUNC, (long)cur,
				    "compression pointer cut off by the end of the data");
				goto fail;
			}
			target = (size_t)(b & 0x3f) << 8 | msg[cur + 1];
			steps++;
			if (++hops > MAX_HOPS) {
				err = zk_error_at(ec, ZK_EPTR, (long)cur,
				                  "more than %d compression pointers in one name",
				                  MAX_HOPS);
				goto fail;
			}
			/* Strictly backward: before this part, so hops descend
			 * and no loop (or self pointer) is possible. */
			if (target >= part_start) {
				err = zk_error_at(
				    ec, ZK_EPTR, (long)cur,
				    "compression pointer to %zu does not point backward", target);
				goto fail;
			}
			if (target < HEADER_LEN) {
				err = zk_error_at(
				    ec, ZK_EPTR, (long)cur,
				    "compression pointer to %zu points into the header", target);
				goto fail;
			}
			if (!jumped) {
				end = cur + 2;
				jumped = true;
			}
			cur = part_start = target;
			continue;
		}
		default:
			err = zk_error_at(ec, ZK_ELABELTYPE, (long)cur,
			                  "reserved label type 0x%02x", b & 0xc0);
			goto fail;
		}

		/* An ordinary label of length b (0 = the root, the end). */
		if (wlen + 1 + b > ZK_NAME_MAXLEN) {
			err =
			    zk_error_at(ec, ZK_ENAMELEN, (long)cur, "name longer than 255 octets");
			goto fail;
		}
		if (b > msglen - cur - 1) {
			err = zk_error_at(ec, ZK_ETRUNC, (long)cur,
			                  "label runs past the end of the data");
			goto fail;
		}
		memcpy(wire + wlen, msg + cur, (size_t)b + 1);
		wlen += (size_t)b + 1;
		steps += b;
		cur += (size_t)b + 1;
		if (b == 0)
			break;
		labels++;
	}
	if (!jumped)
		end = cur;

	out->len = (uint8_t)wlen;
	out->labels = (uint8_t)labels;
	memcpy(out->wire, wire, wlen);
	*pos = end;
	if (work != NULL)
		*work += steps;
	return 0;
fail:
	if (work != NULL)
		*work += steps;
	return err;
}

int zk_name_from_wire_count(zk_name_t *out, const uint8_t *msg, size_t msglen, size_t *pos,
                            size_t *work, zk_errctx_t *ec)
{
	return from_wire(out, msg, msglen, pos, work, true, ec);
}

int zk_name_from_wire(zk_name_t *out, const uint8_t *msg, size_t msglen, size_t *pos,
                      zk_errctx_t *ec)
{
	size_t work = 0;

	return from_wire(out, msg, msglen, pos, &work, true, ec);
}

int zk_name_from_wire_plain(zk_name_t *out, const uint8_t *buf, size_t len, size_t *pos,
                            zk_errctx_t *ec)
{
	return from_wire(out, buf, len, pos, NULL, false, ec);
}

int zk_name_wire_len(const uint8_t *buf, size_t len)
{
	size_t i = 0;

	for (;;) {
		uint8_t b;

		if (i >= len)
			return ZK_ETRUNC;
		b = buf[i];
		if ((b & 0xc0) == 0xc0)
			return ZK_EPTR;
		if ((b & 0xc0) != 0)
			return ZK_ELABELTYPE;
		if (i + 1 + b > ZK_NAME_MAXLEN)
			return ZK_ENAMELEN;
		if (b > len - i - 1)
			return ZK_ETRUNC;
		i += (size_t)b + 1;
		if (b == 0)
			return (int)i;
	}
}

/* ---------------------------------------------------------------- wire out */

void zk_name_to_wire(const zk_name_t *n, zk_wbuf_t *w)
{
	zk_wbuf_bytes(w, n->wire, n->len);
}

/* ---------------------------------------------------------------- compare */

/* Offsets of each label's length octet (root excluded); returns the count. */
static unsigned label_offsets(const uint8_t *wire, uint8_t off[ZK_NAME_MAXLABELS + 1])
{
	unsigned k = 0;
	size_t i = 0;

	while (i < ZK_NAME_MAXLEN && wire[i] != 0 && k <= ZK_NAME_MAXLABELS) {
		off[k++] = (uint8_t)i;
		i += (size_t)wire[i] + 1;
	}
	return k;
}

/* RFC 4034 §6.1: compare label by label from the rightmost; each label as
 * a left-justified octet string with upper case folded to lower, a missing
 * octet before any octet; with equal labels the name with fewer labels is
 * first. */
int zk_name_cmp_wire(const uint8_t *a, const uint8_t *b)
{
	uint8_t oa[ZK_NAME_MAXLABELS + 1], ob[ZK_NAME_MAXLABELS + 1];
	unsigned na = label_offsets(a, oa), nb = label_offsets(b, ob);

	while (na > 0 && nb > 0) {
		const uint8_t *la = a + oa[--na], *lb = b + ob[--nb];
		unsigned lena = la[0], lenb = lb[0], m = lena < lenb ? lena : lenb;

		for (unsigned j = 1; j <= m; j++) {
			uint8_t ca = lower(la[j]), cb = lower(lb[j]);
			if (ca != cb)
				return ca < cb ? -1 : 1;
		}
		if (lena != lenb)
			return lena < lenb ? -1 : 1;
	}
	if (na != nb)
		return na < nb ? -1 : 1;
	return 0;
}

int zk_name_cmp(const zk_name_t *a, const zk_name_t *b)
{
	return zk_name_cmp_wire(a->wire, b->wire);
}

bool zk_name_eq(const zk_name_t *a, const zk_name_t *b)
{
	if (a->len != b->len || a->labels != b->labels)
		return false;
	/* Length octets are < 64, so folding them is harmless. */
	for (size_t i = 0; i < a->len; i++) {
		if (lower(a->wire[i]) != lower(b->wire[i]))
			return false;
	}
	return true;
}

void zk_name_downcase_wire(uint8_t *wire)
{
	size_t i = 0;

	while (i < ZK_NAME_MAXLEN && wire[i] != 0) {
		size_t llen = wire[i];
		for (size_t j = 1; j <= llen; j++)
			wire[i + j] = lower(wire[i + j]);
		i += llen + 1;
	}
}

void zk_name_downcase(zk_name_t *n)
{
	zk_name_downcase_wire(n->wire);
}

bool zk_name_is_sub(const zk_name_t *n, const zk_name_t *parent)
{
	size_t i = 0;

	if (n->labels < parent->labels || n->len < parent->len)
		return false;
	for (unsigned k = n->labels - parent->labels; k > 0; k--)
		i += (size_t)n->wire[i] + 1;
	if (n->len - i != parent->len)
		return false;
	for (size_t j = 0; j < parent->len; j++) {
		if (lower(n->wire[i + j]) != lower(parent->wire[j]))
			return false;
	}
	return true;
}

bool zk_name_is_wildcard(const zk_name_t *n)
{
	return n->len >= 3 && n->wire[0] == 1 && n->wire[1] == '*';
}

bool zk_name_is_root(const zk_name_t *n)
{
	return n->len == 1;
}

int zk_name_parent(zk_name_t *out, const zk_name_t *n, unsigned count)
{
	size_t i = 0;

	if (count > n->labels)
		return ZK_EINVAL;
	for (unsigned k = 0; k < count; k++)
		i += (size_t)n->wire[i] + 1;
	/* memmove: out may be n. */
	memmove(out->wire, n->wire + i, n->len - i);
	out->len = (uint8_t)(n->len - i);
	out->labels = (uint8_t)(n->labels - count);
	return 0;
}

int zk_name_concat(zk_name_t *out, const zk_name_t *prefix, const zk_name_t *suffix)
{
	uint8_t wire[ZK_NAME_MAXLEN];
	size_t plen = (size_t)prefix->len - 1;

	if (plen + suffix->len > ZK_NAME_MAXLEN)
		return ZK_ENAMELEN;
	memcpy(wire, prefix->wire, plen);
	memcpy(wire + plen, suffix->wire, suffix->len);
	out->labels = (uint8_t)(prefix->labels + suffix->labels);
	out->len = (uint8_t)(plen + suffix->len);
	memcpy(out->wire, wire, out->len);
	return 0;
}

uint32_t zk_name_hash(const zk_name_t *n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n->len; i++) {
		h ^= lower(n->wire[i]);
		h *= 16777619u;
	}
	return h;
}
