/* msg — DNS messages: parse, build, render (with a size limit and TC).
 *
 * The parser reads untrusted input. Threats and what stops them:
 *  - counts (QDCOUNT..ARCOUNT) larger than the data: arrays are sized by
 *    what the remaining octets could hold (a question takes at least 5
 *    octets, an RR at least 11), never by the count alone;
 *  - RDLENGTH lies: checked against the octets left before any copy, and
 *    the rdata decoder must end exactly at RDLENGTH;
 *  - compression loops, forward pointers, pointer chains (RFC 9267,
 *    NAME:WRECK, CVE-2023-4408): name.c only follows strictly backward
 *    pointers, at most 128 per name, and reports the octets it examined,
 *    which we sum in m->work so tests can prove the parse stays linear;
 *  - misplaced pseudo-RRs: OPT at most once, owned by the root, only in
 *    the additional section (RFC 6891 §6.1.1); TSIG only as the last
 *    additional RR (RFC 8945 §5.1), SIG(0) likewise (RFC 2931 §3.1);
 *  - trailing octets after the last counted RR.
 * Every failure names the octet offset where it was found. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "name.h"
#include "rdata.h"
#include "rrtype.h"

#define Q_MIN  5  /* root name + QTYPE + QCLASS */
#define RR_MIN 11 /* root name + TYPE CLASS TTL RDLENGTH */

static const char *const sec_names[] = {"QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"};
static const char *const upd_names[] = {"ZONE", "PREREQUISITE", "UPDATE", "ADDITIONAL"};

const char *zk_msg_section_name(const zk_msg_t *m, enum zk_section sec)
{
	if (sec >= ZK_SEC_COUNT)
		return "?";
	return m->opcode == ZK_OPCODE_UPDATE ? upd_names[sec] : sec_names[sec];
}

size_t zk_msg_wire_count(const zk_msg_t *m, enum zk_section sec)
{
	size_t n = m->count[sec];
	if (sec == ZK_SEC_ADDITIONAL)
		n += (m->has_edns ? 1 : 0) + (m->sig != NULL ? 1 : 0);
	return n;
}

void zk_msg_init(zk_msg_t *m)
{
	memset(m, 0, sizeof(*m));
}

/* A SIG(0) request/transaction signature: SIG with type covered 0. */
static bool is_sig0(const zk_rr_t *rr)
{
	return rr->type == ZK_TYPE_SIG && rr->rdlen >= 2 && zk_get_u16(rr->rdata) == 0;
}

/* Where a name error was found, if the decoder said; else at. */
static int name_fail(zk_errctx_t *ec, int r, size_t at, const char *what)
{
	if (ec != NULL) {
		char inner[sizeof(ec->msg)];
		if (ec->offset < 0)
			ec->offset = (long)at;
		memcpy(inner, ec->msg, sizeof(inner));
		snprintf(ec->msg, sizeof(ec->msg), "%s: %s", what,
		         inner[0] ? inner : zk_strerror(r));
	}
	return r;
}

typedef struct parser {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	zk_arena_t *a;
	zk_msg_t *m;
	uint8_t *scratch;       /* one RDATA, uncompressed */
	const zk_name_t **memo; /* [len]: the name starting at each offset */
	uint8_t *memo_hops;     /* [len]: its pointer count, or HOPS_UNKNOWN */
	const zk_name_t *last_owner;
	zk_errctx_t *ec;
} parser_t;

#define MAX_HOPS     128 /* name.h: pointers followed per name */
#define HOPS_UNKNOWN 0xff

/* The memo: names already decoded, by the offset where they start. A later
 * name made of labels and a pointer to one of them (ordinary compression,
 * and the shape of a pointer-chain attack) is finished from the memo
 * instead of walking the chain again, so decoding stays proportional to
 * the message plus the names produced (RFC 9267 §2, CVE-2023-4408). The
 * memo keeps each name's pointer count, so name.c's limit of 128 holds
 * across memoized names. Anything else, including every error, goes
 * through name.c. Returns 1 when the name was built here, 0 to fall back
 * (*target is then the pointer target of the in-place part, or SIZE_MAX
 * for a name without pointer), ZK_ENOMEM. */
static int memo_name(parser_t *p, size_t start, const zk_name_t **out, uint8_t *hops,
                     size_t *target)
{
	size_t i = start, wlen = 0, t;
	const zk_name_t *base;
	zk_name_t n;

	*target = SIZE_MAX;
	for (;;) {
		uint8_t b;
		if (i >= p->len)
			return 0;
		b = p->buf[i];
		if (b == 0)
			return 0; /* no pointer: name.c reads it in one pass */
		if ((b & 0xc0) == 0xc0)
			break;
		if ((b & 0xc0) != 0 || b > p->len - i - 1)
			return 0;
		wlen += 1 + (size_t)b;
		if (wlen >= ZK_NAME_MAXLEN)
			return 0;
		i += 1 + (size_t)b;
	}
	if (i + 1 >= p->len)
		return 0;
	t = (size_t)(p->buf[i] & 0x3f) << 8 | p->buf[i + 1];
	if (t >= start)
		return 0; /* not backward: name.c says so */
	*target = t;
	base = p->memo[t];
	if (base == NULL || p->memo_hops[t] >= MAX_HOPS || wlen + base->len > ZK_NAME_MAXLEN)
		return 0;
	p->m->work += i + 2 - start;
	p->pos = i + 2;
	*hops = (uint8_t)(p->memo_hops[t] + 1);
	if (wlen == 0) {
		*out = base; /* a bare pointer: share the name */
		return 1;
	}
	n.len = (uint8_t)(wlen + base->len);
	n.labels = 0;
	memcpy(n.wire, p->buf + start, wlen);
	memcpy(n.wire + wlen, base->wire, base->len);
	for (size_t k = 0; k < n.len && n.wire[k] != 0; k += 1 + (size_t)n.wire[k])
		n.labels++;
	p->m->work += n.len;
	*out = zk_name_dup(p->a, &n);
	return *out == NULL ? ZK_ENOMEM : 1;
}

/* Decode a name at p->pos into the arena; reuse the previous owner when
 * equal (runs of one owner are the common case). */
static int read_name(parser_t *p, const zk_name_t **out, const char *what)
{
	zk_name_t n;
	size_t at = p->pos, target;
	uint8_t hops = HOPS_UNKNOWN;
	int r;

	r = memo_name(p, at, out, &hops, &target);
	if (r < 0)
		return zk_error(p->ec, ZK_ENOMEM, "out of memory");
	if (r == 1)
		goto found;
	if (p->ec != NULL)
		p->ec->offset = -1;
	r = zk_name_from_wire_count(&n, p->buf, p->len, &p->pos, &p->m->work, p->ec);
	if (r < 0)
		return name_fail(p->ec, r, at, what);
	if (target == SIZE_MAX)
		hops = 0; /* no pointer in the name (name.c has accepted it) */
	else if (p->memo[target] != NULL && p->memo_hops[target] < MAX_HOPS)
		hops = (uint8_t)(p->memo_hops[target] + 1);
	if (p->last_owner != NULL && p->last_owner->len == n.len &&
	    memcmp(p->last_owner->wire, n.wire, n.len) == 0) {
		*out = p->last_owner;
	} else {
		*out = zk_name_dup(p->a, &n);
		if (*out == NULL)
			return zk_error(p->ec, ZK_ENOMEM, "out of memory");
	}
found:
	p->last_owner = *out;
	p->memo[at] = *out;
	p->memo_hops[at] = hops;
	return ZK_OK;
}

static int read_question(parser_t *p, zk_rr_t *q)
{
	size_t at = p->pos;
	int r = read_name(p, &q->owner, "question name");
	if (r < 0)
		return r;
	if (p->len - p->pos < 4)
		return zk_error_at(p->ec, ZK_ETRUNC, (long)p->pos,
		                   "question at %zu cut off before QTYPE/QCLASS", at);
	q->type = zk_get_u16(p->buf + p->pos);
	q->rclass = zk_get_u16(p->buf + p->pos + 2);
	q->ttl = 0;
	q->rdlen = 0;
	q->rdata = NULL;
	p->pos += 4;
	p->m->work += 4;
	return ZK_OK;
}

static int read_rr(parser_t *p, zk_rr_t *rr)
{
	size_t at = p->pos, rdoff, outlen = 0;
	uint16_t rdlen;
	int r = read_name(p, &rr->owner, "owner name");

	if (r < 0)
		return r;
	if (p->len - p->pos < 10)
		return zk_error_at(p->ec, ZK_ETRUNC, (long)p->pos,
		                   "record at %zu cut off in its fixed fields", at);
	rr->type = zk_get_u16(p->buf + p->pos);
	rr->rclass = zk_get_u16(p->buf + p->pos + 2);
	rr->ttl = zk_get_u32(p->buf + p->pos + 4);
	rdlen = zk_get_u16(p->buf + p->pos + 8);
	rdoff = p->pos + 10;
	if (rdlen > p->len - rdoff)
		return zk_error_at(p->ec, ZK_ERDLEN, (long)(p->pos + 8),
		                   "RDLENGTH %u runs past the end of the message (%zu octets left)",
		                   rdlen, p->len - rdoff);
	p->m->work += 10 + rdlen;
	if (rdlen == 0 && (rr->rclass == ZK_CLASS_ANY || rr->rclass == ZK_CLASS_NONE)) {
		/* RFC 2136 §2.4, §2.5: prerequisites and deletions carry no
		 * RDATA whatever the type. */
		outlen = 0;
	} else if (rr->type == ZK_TYPE_OPT) {
		/* Options are checked by zk_edns_parse; keep the octets. */
		outlen = rdlen;
		memcpy(p->scratch, p->buf + rdoff, rdlen);
	} else {
		if (p->ec != NULL)
			p->ec->offset = -1;
		r = zk_rdata_from_wire(rr->type, p->buf, p->len, rdoff, rdlen, p->scratch,
		                       ZK_RDATA_MAXLEN, &outlen, p->ec);
		if (r < 0) {
			char tbuf[16];
			zk_rrtype_to_text(rr->type, tbuf, sizeof(tbuf));
			/* Name errors carry the octet of the bad label or
			 * pointer; anything else is reported at the RDATA. */
			if (p->ec != NULL && !(r == ZK_EPTR || r == ZK_ELABEL ||
			                       r == ZK_ELABELTYPE || r == ZK_ENAMELEN))
				p->ec->offset = (long)rdoff;
			return name_fail(p->ec, r, rdoff, tbuf);
		}
		p->m->work += outlen;
	}
	rr->rdlen = (uint16_t)outlen;
	rr->rdata = outlen ? zk_arena_memdup(p->a, p->scratch, outlen) : (const uint8_t *)"";
	if (rr->rdata == NULL)
		return zk_error(p->ec, ZK_ENOMEM, "out of memory");
	p->pos = rdoff + rdlen;
	return ZK_OK;
}

static int parse(parser_t *p)
{
	zk_msg_t *m = p->m;
	uint16_t counts[ZK_SEC_COUNT];
	const zk_rr_t *opt = NULL;
	size_t opt_at = 0;
	int r;

	if (p->len < ZK_MSG_HDRLEN)
		return zk_error_at(p->ec, ZK_ETRUNC, (long)p->len,
		                   "message of %zu octets is shorter than the 12-octet header",
		                   p->len);
	m->id = zk_get_u16(p->buf);
	m->flags = zk_get_u16(p->buf + 2) & (ZK_FLAG_QR | ZK_FLAG_AA | ZK_FLAG_TC | ZK_FLAG_RD |
	                                     ZK_FLAG_RA | ZK_FLAG_Z | ZK_FLAG_AD | ZK_FLAG_CD);
	m->opcode = (p->buf[2] >> 3) & 0x0f;
	m->rcode = p->buf[3] & 0x0f;
	for (int s = 0; s < ZK_SEC_COUNT; s++)
		counts[s] = zk_get_u16(p->buf + 4 + 2 * s);
	p->pos = ZK_MSG_HDRLEN;
	m->work = ZK_MSG_HDRLEN;

	for (int s = 0; s < ZK_SEC_COUNT; s++) {
		/* Never trust a count for allocation beyond what the rest of
		 * the message could hold. */
		size_t room = (p->len - p->pos) / (s == ZK_SEC_QUESTION ? Q_MIN : RR_MIN);
		size_t want = counts[s], n = 0;
		zk_rr_t *arr = NULL;

		if (want > room)
			want = room + 1; /* one more: its parse fails with an offset */
		if (want > 0) {
			arr = zk_arena_alloc(p->a, want * sizeof(*arr));
			if (arr == NULL)
				return zk_error(p->ec, ZK_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < counts[s]; i++) {
			size_t at = p->pos;
			zk_rr_t *rr;
			if (p->pos >= p->len)
				return zk_error_at(p->ec, ZK_ETRUNC, (long)p->pos,
				                   "%s count %u but the message ends after %zu",
				                   zk_msg_section_name(m, (enum zk_section)s),
				                   counts[s], i);
			if (n >= want) /* cannot happen: each entry takes >= Q_MIN */
				return zk_error_at(p->ec, ZK_ETRUNC, (long)p->pos,
				                   "more entries than octets");
			rr = &arr[n];
			r = s == ZK_SEC_QUESTION ? read_question(p, rr) : read_rr(p, rr);
			if (r < 0)
				return r;
			if (m->sig != NULL)
				return zk_error_at(p->ec, ZK_EMSG, (long)m->sig_offset,
				                   "%s record is not the last one in the message",
				                   m->sig->type == ZK_TYPE_TSIG ? "TSIG"
				                                                : "SIG(0)");
			if (s != ZK_SEC_QUESTION && rr->type == ZK_TYPE_OPT) {
				if (s != ZK_SEC_ADDITIONAL)
					return zk_error_at(
					    p->ec, ZK_EMSG, (long)at,
					    "OPT record in the %s section (RFC 6891 §6.1.1)",
					    zk_msg_section_name(m, (enum zk_section)s));
				if (opt != NULL)
					return zk_error_at(
					    p->ec, ZK_EMSG, (long)at,
					    "second OPT record (first at offset %zu)", opt_at);
				if (!zk_name_is_root(rr->owner))
					return zk_error_at(p->ec, ZK_EMSG, (long)at,
					                   "OPT record not owned by the root");
				opt = zk_arena_memdup(p->a, rr, sizeof(*rr));
				if (opt == NULL)
					return zk_error(p->ec, ZK_ENOMEM, "out of memory");
				opt_at = at;
				continue; /* taken out of the section */
			}
			if (s != ZK_SEC_QUESTION && (rr->type == ZK_TYPE_TSIG || is_sig0(rr))) {
				if (s != ZK_SEC_ADDITIONAL)
					return zk_error_at(
					    p->ec, ZK_EMSG, (long)at, "%s record in the %s section",
					    rr->type == ZK_TYPE_TSIG ? "TSIG" : "SIG(0)",
					    zk_msg_section_name(m, (enum zk_section)s));
				m->sig = zk_arena_memdup(p->a, rr, sizeof(*rr));
				if (m->sig == NULL)
					return zk_error(p->ec, ZK_ENOMEM, "out of memory");
				m->sig_offset = at;
				continue;
			}
			n++;
		}
		m->rr[s] = arr;
		m->count[s] = n;
		m->cap[s] = n;
	}
	if (p->pos != p->len)
		return zk_error_at(p->ec, ZK_EMSG, (long)p->pos, "%zu octets after the last record",
		                   p->len - p->pos);
	if (opt != NULL) {
		if (p->ec != NULL)
			p->ec->offset = -1;
		r = zk_edns_parse(&m->edns, opt, p->a, p->ec);
		if (r < 0) {
			/* Option offsets are inside the RDATA, which starts 11
			 * octets after the (root) owner. */
			if (p->ec != NULL)
				p->ec->offset =
				    (long)opt_at + 11 + (p->ec->offset >= 0 ? p->ec->offset : 0);
			return r;
		}
		m->has_edns = true;
		m->rcode |= (uint16_t)m->edns.ext_rcode << 4;
	}
	m->wire_len = p->len;
	return ZK_OK;
}

int zk_msg_parse(zk_msg_t *m, const uint8_t *buf, size_t len, zk_arena_t *a, zk_errctx_t *ec)
{
	zk_msg_t tmp;
	parser_t p = {.buf = buf, .len = len, .a = a, .m = &tmp, .ec = ec};
	int r;

	zk_msg_init(&tmp);
	p.scratch = malloc(ZK_RDATA_MAXLEN);
	p.memo = calloc(len ? len : 1, sizeof(*p.memo));
	p.memo_hops = calloc(len ? len : 1, 1);
	if (p.scratch == NULL || p.memo == NULL || p.memo_hops == NULL)
		r = zk_error(ec, ZK_ENOMEM, "out of memory");
	else
		r = parse(&p);
	free(p.scratch);
	free(p.memo);
	free(p.memo_hops);
	if (r < 0) {
		m->work = tmp.work; /* for tests on hostile input */
		return r;
	}
	*m = tmp;
	return ZK_OK;
}

/* ---------------------------------------------------------------- build */

static int grow(zk_msg_t *m, zk_arena_t *a, enum zk_section sec)
{
	size_t ncap = m->cap[sec] ? m->cap[sec] * 2 : 8;
	zk_rr_t *arr;

	if (m->count[sec] < m->cap[sec])
		return ZK_OK;
	arr = zk_arena_alloc(a, ncap * sizeof(*arr));
	if (arr == NULL)
		return ZK_ENOMEM;
	if (m->count[sec] > 0)
		memcpy(arr, m->rr[sec], m->count[sec] * sizeof(*arr));
	m->rr[sec] = arr;
	m->cap[sec] = ncap;
	return ZK_OK;
}

int zk_msg_add(zk_msg_t *m, zk_arena_t *a, enum zk_section sec, const zk_rr_t *rr)
{
	zk_rr_t copy = *rr;

	if (sec >= ZK_SEC_COUNT)
		return ZK_EINVAL;
	copy.owner = zk_name_dup(a, rr->owner);
	if (copy.owner == NULL)
		return ZK_ENOMEM;
	if (rr->rdlen > 0) {
		copy.rdata = zk_arena_memdup(a, rr->rdata, rr->rdlen);
		if (copy.rdata == NULL)
			return ZK_ENOMEM;
	}
	if (grow(m, a, sec) < 0)
		return ZK_ENOMEM;
	m->rr[sec][m->count[sec]++] = copy;
	return ZK_OK;
}

int zk_msg_set_question(zk_msg_t *m, zk_arena_t *a, const zk_name_t *qname, uint16_t qtype,
                        uint16_t qclass)
{
	zk_rr_t q = {.owner = qname, .type = qtype, .rclass = qclass};

	m->count[ZK_SEC_QUESTION] = 0;
	return zk_msg_add(m, a, ZK_SEC_QUESTION, &q);
}

/* ---------------------------------------------------------------- render */

static bool same_rrset(const zk_rr_t *a, const zk_rr_t *b)
{
	return a->type == b->type && a->rclass == b->rclass && zk_name_eq(a->owner, b->owner);
}

static void put_rr(zk_wbuf_t *w, zk_compress_t *c, const zk_rr_t *rr)
{
	size_t lenpos;

	zk_compress_put(c, w, rr->owner);
	zk_wbuf_u16(w, rr->type);
	zk_wbuf_u16(w, rr->rclass);
	zk_wbuf_u32(w, rr->ttl);
	lenpos = w->len;
	zk_wbuf_u16(w, 0);
	zk_rdata_to_wire(rr->type, rr->rdata, rr->rdlen, w, c);
	if (w->err == 0) {
		size_t n = w->len - lenpos - 2;
		if (n > 0xffff) {
			w->err = ZK_ESPACE;
			return;
		}
		zk_put_u16(w->buf + lenpos, (uint16_t)n);
	}
}

int zk_msg_render(const zk_msg_t *m, uint8_t *buf, size_t maxsize, size_t *outlen, zk_errctx_t *ec)
{
	zk_wbuf_t w;
	zk_compress_t *c;
	size_t optsize = m->has_edns ? zk_edns_wire_size(&m->edns) : 0;
	size_t written[ZK_SEC_COUNT] = {0};
	uint16_t flags = m->flags;
	bool stop = false;
	int r = ZK_OK;

	if (m->rcode > 0x0f && !m->has_edns)
		return zk_error(ec, ZK_EINVAL, "rcode %u needs EDNS (RFC 6891 §6.1.3)", m->rcode);
	if (maxsize < ZK_MSG_HDRLEN + optsize)
		return zk_error(ec, ZK_ESPACE, "%zu octets cannot hold the header and OPT",
		                maxsize);
	for (int s = 0; s < ZK_SEC_COUNT; s++)
		if (zk_msg_wire_count(m, (enum zk_section)s) > 0xffff)
			return zk_error(ec, ZK_ERANGE, "more than 65535 records in a section");
	c = malloc(sizeof(*c));
	if (c == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");

	/* Records may use everything but the room the OPT RR needs: it is
	 * kept even when the message is truncated (RFC 6891 §7). */
	zk_wbuf_init(&w, buf, maxsize - optsize);
	zk_compress_init(c, &w);
	zk_wbuf_u16(&w, m->id);
	zk_wbuf_u16(&w, 0); /* flags, patched below */
	for (int s = 0; s < ZK_SEC_COUNT; s++)
		zk_wbuf_u16(&w, 0);

	for (size_t i = 0; i < m->count[ZK_SEC_QUESTION]; i++) {
		const zk_rr_t *q = &m->rr[ZK_SEC_QUESTION][i];
		zk_compress_put(c, &w, q->owner);
		zk_wbuf_u16(&w, q->type);
		zk_wbuf_u16(&w, q->rclass);
	}
	if (w.err) {
		r = zk_error(ec, ZK_ESPACE, "the question does not fit in %zu octets", maxsize);
		goto fail;
	}
	written[ZK_SEC_QUESTION] = m->count[ZK_SEC_QUESTION];

	/* RFC 2181 §9: drop whole RRsets from the end; TC only when an
	 * answer or authority RRset had to go, not for additional data. */
	for (int s = ZK_SEC_ANSWER; s < ZK_SEC_COUNT && !stop; s++) {
		size_t i = 0, n = m->count[s];
		while (i < n) {
			size_t mark = w.len, j = i;
			while (j < n && (j == i || same_rrset(&m->rr[s][i], &m->rr[s][j])))
				put_rr(&w, c, &m->rr[s][j++]);
			if (w.err) {
				w.err = 0;
				w.len = mark;
				zk_compress_rollback(c, mark);
				if (s != ZK_SEC_ADDITIONAL)
					flags |= ZK_FLAG_TC;
				stop = true;
				break;
			}
			written[s] += j - i;
			i = j;
		}
	}

	w.cap = maxsize;
	if (m->has_edns) {
		zk_edns_t e = m->edns;
		e.ext_rcode = (uint8_t)(m->rcode >> 4);
		zk_edns_write(&e, &w);
		written[ZK_SEC_ADDITIONAL]++;
	}
	if (w.err) {
		r = zk_error(ec, w.err, "%s", zk_strerror(w.err));
		goto fail;
	}
	zk_put_u16(buf + 2, (uint16_t)(flags | (m->opcode & 0x0f) << 11 | (m->rcode & 0x0f)));
	for (int s = 0; s < ZK_SEC_COUNT; s++)
		zk_put_u16(buf + 4 + 2 * s, (uint16_t)written[s]);
	*outlen = w.len;
fail:
	free(c);
	return r;
}
