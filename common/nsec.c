/* nsec — type bitmaps, NSEC chains, NSEC3 hashing and chains (RFC 4034
 * §4, RFC 4035 §2.3, RFC 5155). See nsec.h for what a chain covers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "encode.h"
#include "nsec.h"
#include "rrtype.h"
#include "wire.h"

/* ---------------------------------------------------------- type bitmaps */

void zk_typeset_clear(zk_typeset_t *s)
{
	memset(s->bits, 0, sizeof(s->bits));
}

void zk_typeset_add(zk_typeset_t *s, uint16_t type)
{
	s->bits[type >> 3] |= (uint8_t)(0x80 >> (type & 7));
}

void zk_typeset_del(zk_typeset_t *s, uint16_t type)
{
	s->bits[type >> 3] &= (uint8_t) ~(0x80 >> (type & 7));
}

bool zk_typeset_has(const zk_typeset_t *s, uint16_t type)
{
	return (s->bits[type >> 3] & (0x80 >> (type & 7))) != 0;
}

/* Append one window block (RFC 4034 §4.1.2) from its 32 octets of bits;
 * a window without bits is left out. */
static void put_window(zk_wbuf_t *w, unsigned win, const uint8_t blk[32])
{
	unsigned len = 32;

	while (len > 0 && blk[len - 1] == 0)
		len--;
	if (len == 0)
		return;
	zk_wbuf_u8(w, (uint8_t)win);
	zk_wbuf_u8(w, (uint8_t)len);
	zk_wbuf_bytes(w, blk, len);
}

int zk_bitmap_from_types(const uint16_t *types, size_t n, uint8_t *out, size_t cap, size_t *outlen)
{
	uint8_t used[32] = {0};
	zk_wbuf_t w;

	/* Windows in use first, then one pass over the types per window: no
	 * sorting, no allocation, and types come in any order. */
	for (size_t i = 0; i < n; i++)
		used[types[i] >> 11] |= (uint8_t)(0x80 >> ((types[i] >> 8) & 7));
	zk_wbuf_init(&w, out, cap);
	for (unsigned win = 0; win < 256; win++) {
		uint8_t blk[32] = {0};

		if (!(used[win >> 3] & (0x80 >> (win & 7))))
			continue;
		for (size_t i = 0; i < n; i++) {
			if ((types[i] >> 8) == win) {
				unsigned b = types[i] & 0xff;
				blk[b >> 3] |= (uint8_t)(0x80 >> (b & 7));
			}
		}
		put_window(&w, win, blk);
	}
	if (w.err)
		return w.err;
	*outlen = w.len;
	return 0;
}

int zk_bitmap_from_set(const zk_typeset_t *s, uint8_t *out, size_t cap, size_t *outlen)
{
	zk_wbuf_t w;

	zk_wbuf_init(&w, out, cap);
	for (unsigned win = 0; win < 256; win++)
		put_window(&w, win, s->bits + win * 32);
	if (w.err)
		return w.err;
	*outlen = w.len;
	return 0;
}

int zk_bitmap_check(const uint8_t *bm, size_t n, zk_errctx_t *ec)
{
	size_t pos = 0;
	int prev = -1;

	/* Untrusted input (rdata of a received or loaded record): every
	 * length is checked against what is left before it is used. */
	while (pos < n) {
		unsigned win, len;

		if (n - pos < 2)
			return zk_error_at(ec, ZK_ERDATA, (long)pos,
			                   "type bitmap: truncated window");
		win = bm[pos];
		len = bm[pos + 1];
		if ((int)win <= prev)
			return zk_error_at(ec, ZK_ERDATA, (long)pos,
			                   "type bitmap: window %u out of order", win);
		if (len == 0 || len > 32)
			return zk_error_at(ec, ZK_ERDATA, (long)pos + 1,
			                   "type bitmap: window %u length %u not in 1..32", win,
			                   len);
		if (n - pos - 2 < len)
			return zk_error_at(ec, ZK_ERDATA, (long)pos + 1,
			                   "type bitmap: window %u runs past the end", win);
		if (bm[pos + 2 + len - 1] == 0)
			return zk_error_at(ec, ZK_ERDATA, (long)(pos + 2 + len - 1),
			                   "type bitmap: window %u has a trailing zero octet", win);
		prev = (int)win;
		pos += 2 + len;
	}
	return 0;
}

/* Calls fn for each type of a checked bitmap, in ascending order. */
static void bitmap_walk(const uint8_t *bm, size_t n, void (*fn)(void *ctx, uint16_t t), void *ctx)
{
	size_t pos = 0;

	while (pos + 2 <= n) {
		unsigned win = bm[pos], len = bm[pos + 1];

		for (unsigned i = 0; i < len; i++) {
			uint8_t o = bm[pos + 2 + i];
			for (unsigned b = 0; b < 8; b++) {
				if (o & (0x80 >> b))
					fn(ctx, (uint16_t)(win << 8 | (i * 8 + b)));
			}
		}
		pos += 2 + len;
	}
}

static void count_type(void *ctx, uint16_t t)
{
	(void)t;
	(*(size_t *)ctx)++;
}

struct type_list {
	uint16_t *t;
	size_t n;
};

static void list_type(void *ctx, uint16_t t)
{
	struct type_list *l = ctx;
	l->t[l->n++] = t;
}

static void set_type(void *ctx, uint16_t t)
{
	zk_typeset_add(ctx, t);
}

int zk_bitmap_to_types(const uint8_t *bm, size_t n, uint16_t *types, size_t max, size_t *ntypes,
                       zk_errctx_t *ec)
{
	size_t count = 0;
	struct type_list l = {types, 0};
	int r = zk_bitmap_check(bm, n, ec);

	if (r != 0)
		return r;
	bitmap_walk(bm, n, count_type, &count);
	if (count > max)
		return zk_error(ec, ZK_ESPACE, "type bitmap: %zu types, room for %zu", count, max);
	bitmap_walk(bm, n, list_type, &l);
	*ntypes = l.n;
	return 0;
}

int zk_bitmap_to_set(const uint8_t *bm, size_t n, zk_typeset_t *s, zk_errctx_t *ec)
{
	int r = zk_bitmap_check(bm, n, ec);

	if (r != 0)
		return r;
	zk_typeset_clear(s);
	bitmap_walk(bm, n, set_type, s);
	return 0;
}

bool zk_bitmap_has(const uint8_t *bm, size_t n, uint16_t type)
{
	size_t pos = 0;
	unsigned win = type >> 8, octet = (type & 0xff) >> 3;

	while (n - pos >= 2) {
		unsigned len = bm[pos + 1];

		if (len > n - pos - 2)
			return false;
		if (bm[pos] == win)
			return octet < len && (bm[pos + 2 + octet] & (0x80 >> (type & 7)));
		pos += 2 + len;
	}
	return false;
}

/* ------------------------------------------------------------ zone walk */

/* One name of the zone as a chain sees it: its authoritative types
 * (sorted, unique; at a delegation point only NS and DS). */
typedef struct node {
	const zk_name_t *owner;
	uint16_t rclass;
	bool apex;
	bool deleg;  /* NS at a name other than the apex */
	bool has_ds; /* with DS: a secure delegation */
	uint16_t *types;
	size_t ntypes;
} node_t;

typedef struct walk {
	const zk_rr_t *rrs;
	size_t n, i;
	const zk_name_t *apex;
	const zk_name_t *cut;  /* delegation or DNAME owner occluding what follows */
	const zk_name_t *prev; /* owner of the previous RR: order check */
	uint16_t *types;       /* storage for node_t.types */
	size_t cap;
} walk_t;

/* Records of an old chain: NSEC, NSEC3 and the RRSIGs covering them. */
static bool old_chain(const zk_rr_t *rr)
{
	if (rr->type == ZK_TYPE_NSEC || rr->type == ZK_TYPE_NSEC3)
		return true;
	if (rr->type == ZK_TYPE_RRSIG && rr->rdlen >= 2) {
		uint16_t covered = zk_get_u16(rr->rdata);
		return covered == ZK_TYPE_NSEC || covered == ZK_TYPE_NSEC3;
	}
	return false;
}

/* Insert into the walk's sorted, unique type list. */
static int add_type(walk_t *w, size_t *nt, uint16_t t)
{
	size_t k = *nt;

	while (k > 0 && w->types[k - 1] > t)
		k--;
	if (k > 0 && w->types[k - 1] == t)
		return 0;
	if (*nt == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 32;
		uint16_t *p = realloc(w->types, cap * sizeof(*p));
		if (p == NULL)
			return ZK_ENOMEM;
		w->types = p;
		w->cap = cap;
	}
	memmove(w->types + k + 1, w->types + k, (*nt - k) * sizeof(uint16_t));
	w->types[k] = t;
	(*nt)++;
	return 0;
}

static void walk_init(walk_t *w, const zk_rr_t *rrs, size_t n, const zk_name_t *apex)
{
	memset(w, 0, sizeof(*w));
	w->rrs = rrs;
	w->n = n;
	w->apex = apex;
}

/* The next name of the zone that a chain covers: 1 and *nd filled, 0 at
 * the end, or a negative error. */
static int walk_next(walk_t *w, node_t *nd, zk_errctx_t *ec)
{
	while (w->i < w->n) {
		const zk_name_t *owner = w->rrs[w->i].owner;
		size_t start = w->i, end, nt = 0;
		bool has_ns = false, has_ds = false, has_dname = false;
		int r;

		if (w->prev != NULL && zk_name_cmp(w->prev, owner) > 0)
			return zk_error(ec, ZK_EINVAL,
			                "records not in canonical order (record %zu)", start);
		end = start + 1;
		while (end < w->n && zk_name_cmp(w->rrs[end].owner, owner) == 0)
			end++;
		w->prev = owner;
		w->i = end;
		if (!zk_name_is_sub(owner, w->apex))
			continue;
		/* Canonical order puts everything below a cut right after
		 * it, so one cut at a time is enough. */
		if (w->cut != NULL) {
			if (zk_name_is_sub(owner, w->cut))
				continue;
			w->cut = NULL;
		}
		for (size_t k = start; k < end; k++) {
			const zk_rr_t *rr = &w->rrs[k];
			if (rr->type == ZK_TYPE_RRSIG || old_chain(rr))
				continue;
			has_ns |= rr->type == ZK_TYPE_NS;
			has_ds |= rr->type == ZK_TYPE_DS;
			has_dname |= rr->type == ZK_TYPE_DNAME;
			if ((r = add_type(w, &nt, rr->type)) != 0)
				return zk_error(ec, r, "out of memory");
		}
		if (nt == 0)
			continue;
		nd->owner = owner;
		nd->rclass = w->rrs[start].rclass;
		nd->apex = zk_name_eq(owner, w->apex);
		nd->deleg = !nd->apex && has_ns;
		nd->has_ds = has_ds;
		nd->types = w->types;
		nd->ntypes = nt;
		if (nd->deleg) {
			/* RFC 4035 §2.3: at a delegation point the parent is
			 * authoritative only for NS and DS; the rest is glue. */
			nd->ntypes = 0;
			w->types[nd->ntypes++] = ZK_TYPE_NS;
			if (has_ds)
				w->types[nd->ntypes++] = ZK_TYPE_DS;
		}
		if (nd->deleg || has_dname)
			w->cut = owner;
		return 1;
	}
	return 0;
}

static void walk_free(walk_t *w)
{
	free(w->types);
	w->types = NULL;
}

/* Encode a node's types plus the extra ones into bm (ZK_BITMAP_MAXLEN
 * octets); returns the length, *err the outcome. */
static size_t node_bitmap(walk_t *w, node_t *nd, const uint16_t *extra, size_t nextra, uint8_t *bm,
                          zk_errctx_t *ec, int *err)
{
	size_t nt = nd->ntypes, len = 0;
	int r;

	for (size_t k = 0; k < nextra; k++) {
		if ((r = add_type(w, &nt, extra[k])) != 0) {
			*err = zk_error(ec, r, "out of memory");
			return 0;
		}
	}
	nd->types = w->types; /* add_type may have moved the storage */
	r = zk_bitmap_from_types(w->types, nt, bm, ZK_BITMAP_MAXLEN, &len);
	*err = r;
	return len;
}

/* Growable array of output RRs (malloc'd until copied into the arena). */
typedef struct rrvec {
	zk_rr_t *v;
	size_t n, cap;
} rrvec_t;

static int rrvec_push(rrvec_t *rv, const zk_rr_t *rr)
{
	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 64;
		zk_rr_t *p = realloc(rv->v, cap * sizeof(*p));
		if (p == NULL)
			return ZK_ENOMEM;
		rv->v = p;
		rv->cap = cap;
	}
	rv->v[rv->n++] = *rr;
	return 0;
}

/* ------------------------------------------------------------------ NSEC */

/* Emit the NSEC of `owner` pointing at `next`. */
static int emit_nsec(rrvec_t *rv, zk_arena_t *a, const zk_name_t *owner, uint16_t rclass,
                     uint32_t ttl, const zk_name_t *next, const uint8_t *bm, size_t bmlen,
                     zk_errctx_t *ec)
{
	size_t len = next->len + bmlen;
	uint8_t *rd = zk_arena_alloc(a, len ? len : 1);
	zk_rr_t rr;

	if (rd == NULL || len > UINT16_MAX)
		return zk_error(ec, rd == NULL ? ZK_ENOMEM : ZK_ESPACE, "NSEC rdata");
	memcpy(rd, next->wire, next->len);
	memcpy(rd + next->len, bm, bmlen);
	rr.owner = owner;
	rr.type = ZK_TYPE_NSEC;
	rr.rclass = rclass;
	rr.ttl = ttl;
	rr.rdlen = (uint16_t)len;
	rr.rdata = rd;
	if (rrvec_push(rv, &rr) != 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	return 0;
}

static int rrvec_finish(rrvec_t *rv, zk_arena_t *a, zk_rr_t **out, size_t *nout, zk_errctx_t *ec)
{
	zk_rr_t *v = zk_arena_alloc(a, rv->n ? rv->n * sizeof(zk_rr_t) : 1);

	if (v == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if (rv->n)
		memcpy(v, rv->v, rv->n * sizeof(zk_rr_t));
	*out = v;
	*nout = rv->n;
	return 0;
}

int zk_nsec_chain(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint32_t ttl, zk_arena_t *a,
                  zk_rr_t **out, size_t *nout, zk_errctx_t *ec)
{
	/* RFC 4035 §2.3: every NSEC is signed and is itself at the name. */
	static const uint16_t extra[] = {ZK_TYPE_RRSIG, ZK_TYPE_NSEC};
	walk_t w;
	node_t nd;
	rrvec_t rv = {0};
	uint8_t *bm = NULL;
	size_t prevlen = 0;
	const zk_name_t *prev = NULL, *first = NULL;
	uint16_t prevclass = 0;
	unsigned cur = 0;
	int r;

	walk_init(&w, rrs, n, apex);
	/* Two bitmap buffers: the previous name's waits for its next name. */
	bm = malloc(2 * ZK_BITMAP_MAXLEN);
	if (bm == NULL) {
		r = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto fail;
	}
	while ((r = walk_next(&w, &nd, ec)) == 1) {
		uint8_t *buf = bm + cur * ZK_BITMAP_MAXLEN;
		size_t len;

		if (prev == NULL && !nd.apex) {
			r = zk_error(ec, ZK_EZONE, "no records at the zone apex");
			goto fail;
		}
		len = node_bitmap(&w, &nd, extra, 2, buf, ec, &r);
		if (r != 0)
			goto fail;
		if (prev != NULL) {
			r = emit_nsec(&rv, a, prev, prevclass, ttl, nd.owner,
			              bm + (cur ^ 1) * ZK_BITMAP_MAXLEN, prevlen, ec);
			if (r != 0)
				goto fail;
		} else {
			first = nd.owner;
		}
		prev = nd.owner;
		prevclass = nd.rclass;
		prevlen = len;
		cur ^= 1;
	}
	if (r < 0)
		goto fail;
	if (prev == NULL) {
		r = zk_error(ec, ZK_EZONE, "no records at the zone apex");
		goto fail;
	}
	r = emit_nsec(&rv, a, prev, prevclass, ttl, first, bm + (cur ^ 1) * ZK_BITMAP_MAXLEN,
	              prevlen, ec);
	if (r != 0)
		goto fail;
	r = rrvec_finish(&rv, a, out, nout, ec);
fail:
	free(bm);
	free(rv.v);
	walk_free(&w);
	return r;
}

/* ----------------------------------------------------------------- NSEC3 */

int zk_nsec3_params_from_rdata(const uint8_t *rd, size_t n, zk_nsec3_params_t *p, zk_errctx_t *ec)
{
	zk_nsec3_params_t q;

	if (n < 5 || n - 5 < rd[4])
		return zk_error(ec, ZK_ERDATA, "NSEC3 parameters truncated");
	q.alg = rd[0];
	q.flags = rd[1];
	q.iterations = zk_get_u16(rd + 2);
	q.salt_len = rd[4];
	memset(q.salt, 0, sizeof(q.salt));
	memcpy(q.salt, rd + 5, q.salt_len);
	*p = q;
	return 0;
}

int zk_nsec3param_rdata(const zk_nsec3_params_t *p, uint8_t *out, size_t cap, size_t *outlen)
{
	zk_wbuf_t w;

	zk_wbuf_init(&w, out, cap);
	zk_wbuf_u8(&w, p->alg);
	zk_wbuf_u8(&w, 0);
	zk_wbuf_u16(&w, p->iterations);
	zk_wbuf_u8(&w, p->salt_len);
	zk_wbuf_bytes(&w, p->salt, p->salt_len);
	if (w.err)
		return w.err;
	*outlen = w.len;
	return 0;
}

/* RFC 5155 §5: IH(salt, x, 0) = H(x || salt),
 * IH(salt, x, k) = H(IH(salt, x, k-1) || salt), x the owner name in
 * canonical wire form (lower case, RFC 4034 §6.2). */
static int nsec3_ih(zk_md_ctx_t *c, const zk_name_t *name, const zk_nsec3_params_t *p,
                    uint8_t out[ZK_NSEC3_HASH_MAX])
{
	uint8_t x[ZK_NAME_MAXLEN];
	int r;

	memcpy(x, name->wire, name->len);
	zk_name_downcase_wire(x);
	r = zk_md_ctx_update(c, x, name->len);
	if (r == 0)
		r = zk_md_ctx_update(c, p->salt, p->salt_len);
	if (r == 0)
		r = zk_md_ctx_final(c, out);
	for (unsigned k = 0; r == 0 && k < p->iterations; k++) {
		r = zk_md_ctx_update(c, out, ZK_NSEC3_HASH_MAX);
		if (r == 0)
			r = zk_md_ctx_update(c, p->salt, p->salt_len);
		if (r == 0)
			r = zk_md_ctx_final(c, out);
	}
	return r;
}

int zk_nsec3_hash(const zk_name_t *name, const zk_nsec3_params_t *p, uint8_t out[ZK_NSEC3_HASH_MAX],
                  zk_errctx_t *ec)
{
	zk_md_ctx_t *c = NULL;
	uint8_t h[ZK_NSEC3_HASH_MAX];
	int r;

	if (p->alg != ZK_NSEC3_SHA1)
		return zk_error(ec, ZK_EUNSUPP, "NSEC3 hash algorithm %u not supported", p->alg);
	if ((r = zk_md_ctx_new(ZK_MD_SHA1, &c)) != 0)
		return zk_error(ec, r, "SHA-1 not available");
	r = nsec3_ih(c, name, p, h);
	zk_md_ctx_free(c);
	if (r != 0)
		return zk_error(ec, r, "NSEC3 hash failed");
	memcpy(out, h, sizeof(h));
	return 0;
}

static int owner_from_hash(zk_buf_t *b, const uint8_t *hash, size_t hlen, const zk_name_t *apex,
                           zk_name_t *out, zk_errctx_t *ec)
{
	zk_name_t nm;

	zk_buf_reset(b);
	zk_base32hex_encode(b, hash, hlen, true);
	if (b->err)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if (b->len > ZK_LABEL_MAXLEN || (size_t)apex->len + 1 + b->len > ZK_NAME_MAXLEN)
		return zk_error(ec, ZK_ENAMELEN, "hashed owner name too long");
	nm.wire[0] = (uint8_t)b->len;
	memcpy(nm.wire + 1, b->data, b->len);
	memcpy(nm.wire + 1 + b->len, apex->wire, apex->len);
	nm.len = (uint8_t)(1 + b->len + apex->len);
	nm.labels = (uint8_t)(apex->labels + 1);
	zk_name_copy(out, &nm);
	return 0;
}

int zk_nsec3_owner(const uint8_t *hash, size_t hlen, const zk_name_t *apex, zk_name_t *out,
                   zk_errctx_t *ec)
{
	zk_buf_t b;
	int r;

	zk_buf_init(&b);
	r = owner_from_hash(&b, hash, hlen, apex, out, ec);
	zk_buf_free(&b);
	return r;
}

/* Labels two names share at their right end (case-insensitive). */
static unsigned common_labels(const zk_name_t *a, const zk_name_t *b)
{
	uint8_t oa[ZK_NAME_MAXLABELS + 1], ob[ZK_NAME_MAXLABELS + 1];
	unsigned na = 0, nb = 0, common = 0;

	for (size_t i = 0; a->wire[i] != 0 && na <= ZK_NAME_MAXLABELS; i += a->wire[i] + 1u)
		oa[na++] = (uint8_t)i;
	for (size_t i = 0; b->wire[i] != 0 && nb <= ZK_NAME_MAXLABELS; i += b->wire[i] + 1u)
		ob[nb++] = (uint8_t)i;
	while (common < na && common < nb) {
		const uint8_t *la = a->wire + oa[na - 1 - common];
		const uint8_t *lb = b->wire + ob[nb - 1 - common];
		bool eq = la[0] == lb[0];

		for (unsigned k = 1; eq && k <= la[0]; k++) {
			uint8_t ca = la[k], cb = lb[k];
			ca = ca >= 'A' && ca <= 'Z' ? ca + 32 : ca;
			cb = cb >= 'A' && cb <= 'Z' ? cb + 32 : cb;
			eq = ca == cb;
		}
		if (!eq)
			break;
		common++;
	}
	return common;
}

/* One NSEC3 before the chain is sorted: the rdata is complete except the
 * next hashed owner, filled in once the order is known. */
typedef struct h3 {
	uint8_t hash[ZK_NSEC3_HASH_MAX];
	uint8_t *rdata;
	uint16_t rdlen;
} h3_t;

typedef struct h3vec {
	h3_t *v;
	size_t n, cap;
} h3vec_t;

static int h3_cmp(const void *pa, const void *pb)
{
	const h3_t *a = pa, *b = pb;
	return memcmp(a->hash, b->hash, ZK_NSEC3_HASH_MAX);
}

/* Offset of the next-hash field in our NSEC3 rdata. */
static size_t next_off(const zk_nsec3_params_t *p)
{
	return 5 + (size_t)p->salt_len + 1;
}

static int emit_nsec3(h3vec_t *hv, zk_arena_t *a, zk_md_ctx_t *c, const zk_name_t *name,
                      const zk_nsec3_params_t *p, const uint8_t *bm, size_t bmlen, zk_errctx_t *ec)
{
	size_t off = next_off(p), len = off + ZK_NSEC3_HASH_MAX + bmlen;
	h3_t e;
	uint8_t *rd;
	int r;

	if ((r = nsec3_ih(c, name, p, e.hash)) != 0)
		return zk_error(ec, r, "NSEC3 hash failed");
	if (len > UINT16_MAX)
		return zk_error(ec, ZK_ESPACE, "NSEC3 rdata too long");
	if ((rd = zk_arena_alloc(a, len)) == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	rd[0] = p->alg;
	rd[1] = p->flags;
	zk_put_u16(rd + 2, p->iterations);
	rd[4] = p->salt_len;
	memcpy(rd + 5, p->salt, p->salt_len);
	rd[off - 1] = ZK_NSEC3_HASH_MAX;
	memset(rd + off, 0, ZK_NSEC3_HASH_MAX);
	if (bmlen > 0)
		memcpy(rd + off + ZK_NSEC3_HASH_MAX, bm, bmlen);
	e.rdata = rd;
	e.rdlen = (uint16_t)len;
	if (hv->n == hv->cap) {
		size_t cap = hv->cap ? hv->cap * 2 : 64;
		h3_t *v = realloc(hv->v, cap * sizeof(*v));
		if (v == NULL)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
		hv->v = v;
		hv->cap = cap;
	}
	hv->v[hv->n++] = e;
	return 0;
}

/* Sort by hash, link each to the next, make the owners. */
static int nsec3_finish(h3vec_t *hv, zk_arena_t *a, const zk_name_t *apex,
                        const zk_nsec3_params_t *p, uint16_t rclass, uint32_t ttl, zk_rr_t **out,
                        size_t *nout, zk_errctx_t *ec)
{
	size_t off = next_off(p);
	zk_rr_t *v;
	zk_buf_t b;
	int r = 0;

	qsort(hv->v, hv->n, sizeof(h3_t), h3_cmp);
	for (size_t i = 0; i + 1 < hv->n; i++) {
		if (memcmp(hv->v[i].hash, hv->v[i + 1].hash, ZK_NSEC3_HASH_MAX) == 0)
			return zk_error(
			    ec, ZK_EEXIST,
			    "NSEC3 hash collision between two names: choose another salt");
	}
	if ((v = zk_arena_alloc(a, hv->n * sizeof(zk_rr_t))) == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	zk_buf_init(&b);
	for (size_t i = 0; i < hv->n; i++) {
		const h3_t *e = &hv->v[i], *nx = &hv->v[(i + 1) % hv->n];
		zk_name_t nm;
		zk_name_t *owner;

		memcpy(e->rdata + off, nx->hash, ZK_NSEC3_HASH_MAX);
		if ((r = owner_from_hash(&b, e->hash, ZK_NSEC3_HASH_MAX, apex, &nm, ec)) != 0)
			break;
		if ((owner = zk_name_dup(a, &nm)) == NULL) {
			r = zk_error(ec, ZK_ENOMEM, "out of memory");
			break;
		}
		v[i].owner = owner;
		v[i].type = ZK_TYPE_NSEC3;
		v[i].rclass = rclass;
		v[i].ttl = ttl;
		v[i].rdlen = e->rdlen;
		v[i].rdata = e->rdata;
	}
	zk_buf_free(&b);
	if (r != 0)
		return r;
	*out = v;
	*nout = hv->n;
	return 0;
}

int zk_nsec3_chain(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, const zk_nsec3_params_t *p,
                   uint32_t ttl, zk_arena_t *a, zk_rr_t **out, size_t *nout, zk_errctx_t *ec)
{
	walk_t w;
	node_t nd;
	h3vec_t hv = {0};
	zk_md_ctx_t *c = NULL;
	uint8_t *bm = NULL;
	const zk_name_t *prevc = NULL; /* previous name that got an NSEC3 */
	bool optout = (p->flags & ZK_NSEC3_OPTOUT) != 0;
	uint16_t rclass = 0;
	int r;

	walk_init(&w, rrs, n, apex);
	if (p->alg != ZK_NSEC3_SHA1)
		return zk_error(ec, ZK_EUNSUPP, "NSEC3 hash algorithm %u not supported", p->alg);
	/* RFC 9276 §3.1 asks for 0; BIND refuses more than 50. */
	if (p->iterations > ZK_NSEC3_MAX_ITER)
		return zk_error(ec, ZK_ERANGE, "NSEC3 iterations %u above the limit of %u",
		                p->iterations, ZK_NSEC3_MAX_ITER);
	if ((size_t)apex->len + 1 + 32 > ZK_NAME_MAXLEN)
		return zk_error(ec, ZK_ENAMELEN, "apex too long for NSEC3 owner names");
	if ((r = zk_md_ctx_new(ZK_MD_SHA1, &c)) != 0) {
		r = zk_error(ec, r, "SHA-1 not available");
		goto fail;
	}
	if ((bm = malloc(ZK_BITMAP_MAXLEN)) == NULL) {
		r = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto fail;
	}
	while ((r = walk_next(&w, &nd, ec)) == 1) {
		uint16_t extra[2];
		size_t nextra = 0, len;
		unsigned common;

		if (prevc == NULL && !nd.apex) {
			r = zk_error(ec, ZK_EZONE, "no records at the zone apex");
			goto fail;
		}
		/* RFC 5155 §6, §7.1: opt-out leaves insecure delegations
		 * out, and with them the empty non-terminals they alone
		 * would create. */
		if (optout && nd.deleg && !nd.has_ds)
			continue;
		if (nd.apex)
			rclass = nd.rclass;
		/* RFC 5155 §7.1: empty non-terminals get an NSEC3 too.
		 * Ancestors below the deepest one shared with the previous
		 * chained name are new: in canonical order an existing or
		 * already chained ancestor would be shared with it. */
		common = prevc == NULL ? nd.owner->labels : common_labels(nd.owner, prevc);
		for (unsigned k = common + 1; k < nd.owner->labels; k++) {
			zk_name_t ent;

			if ((r = zk_name_parent(&ent, nd.owner, nd.owner->labels - k)) != 0) {
				r = zk_error(ec, r, "bad owner name");
				goto fail;
			}
			if ((r = emit_nsec3(&hv, a, c, &ent, p, NULL, 0, ec)) != 0)
				goto fail;
		}
		if (nd.deleg ? nd.has_ds : nd.ntypes > 0)
			extra[nextra++] = ZK_TYPE_RRSIG;
		if (nd.apex)
			extra[nextra++] = ZK_TYPE_NSEC3PARAM;
		len = node_bitmap(&w, &nd, extra, nextra, bm, ec, &r);
		if (r != 0)
			goto fail;
		if ((r = emit_nsec3(&hv, a, c, nd.owner, p, bm, len, ec)) != 0)
			goto fail;
		prevc = nd.owner;
	}
	if (r < 0)
		goto fail;
	if (prevc == NULL) {
		r = zk_error(ec, ZK_EZONE, "no records at the zone apex");
		goto fail;
	}
	r = nsec3_finish(&hv, a, apex, p, rclass, ttl, out, nout, ec);
fail:
	zk_md_ctx_free(c);
	free(bm);
	free(hv.v);
	walk_free(&w);
	return r;
}
