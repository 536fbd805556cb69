/* zone — an in-memory zone: one arena, one sorted array of records. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "rdata.h"
#include "rrtype.h"
#include "zone.h"

struct zk_zone {
	zk_arena_t *arena;
	zk_zone_rr_t *rr;
	size_t n, cap;
	zk_name_t origin;
	uint16_t rclass;
	const zk_name_t *last_owner; /* for sharing a repeated owner */
	const char **files;
	size_t nfiles, capfiles;
	const char *last_file; /* the caller's pointer last interned */
	uint16_t last_fidx;
	uint16_t last_type; /* cache of the type's downcase flag */
	bool last_down;
	bool finished;
};

zk_zone_t *zk_zone_new(const zk_name_t *origin, uint16_t rclass)
{
	zk_zone_t *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return NULL;
	z->arena = zk_arena_new(1 << 20);
	if (z->arena == NULL) {
		free(z);
		return NULL;
	}
	zk_name_copy(&z->origin, origin ? origin : &zk_name_root);
	z->rclass = rclass;
	return z;
}

void zk_zone_free(zk_zone_t *z)
{
	if (z == NULL)
		return;
	zk_arena_free(z->arena);
	free(z->rr);
	free(z->files);
	free(z);
}

void zk_zone_drop_index(zk_zone_t *z)
{
	free(z->rr);
	z->rr = NULL;
	z->n = z->cap = 0;
	z->last_owner = NULL;
}

const zk_name_t *zk_zone_origin(const zk_zone_t *z)
{
	return &z->origin;
}

void zk_zone_set_origin(zk_zone_t *z, const zk_name_t *origin)
{
	zk_name_copy(&z->origin, origin);
}

static int intern_file(zk_zone_t *z, const char *file, uint16_t *idx)
{
	size_t i;

	if (file == NULL)
		file = "-";
	/* the same pointer may carry another name later (a reused buffer),
	 * so the text is compared too */
	if (file == z->last_file && strcmp(file, z->files[z->last_fidx]) == 0) {
		*idx = z->last_fidx;
		return 0;
	}
	z->last_file = file;
	for (i = z->nfiles; i > 0; i--) {
		if (strcmp(z->files[i - 1], file) == 0) {
			*idx = (uint16_t)(i - 1);
			z->last_fidx = *idx;
			return 0;
		}
	}
	if (z->nfiles >= 65535)
		return ZK_ELIMIT;
	if (z->nfiles == z->capfiles) {
		size_t nc = z->capfiles ? z->capfiles * 2 : 8;
		const char **nf = realloc(z->files, nc * sizeof(*nf));
		if (nf == NULL)
			return ZK_ENOMEM;
		z->files = nf;
		z->capfiles = nc;
	}
	{
		size_t len = strlen(file) + 1;
		char *copy = zk_arena_memdup(z->arena, file, len);
		if (copy == NULL)
			return ZK_ENOMEM;
		z->files[z->nfiles] = copy;
	}
	*idx = (uint16_t)z->nfiles++;
	z->last_fidx = *idx;
	return 0;
}

static bool downcase_type(zk_zone_t *z, uint16_t type)
{
	if (type != z->last_type || type == 0) {
		const zk_rrtype_t *row = zk_rrtype_get(type);
		z->last_type = type;
		z->last_down = row != NULL && (row->flags & ZK_RRF_DOWNCASE);
	}
	return z->last_down;
}

int zk_zone_add(zk_zone_t *z, const zk_rr_t *rr, const char *file, unsigned line, uint32_t run)
{
	zk_zone_rr_t *r;
	uint16_t fidx = 0;
	uint8_t *rd;
	int rc;

	if (z->n >= UINT32_MAX)
		return ZK_ELIMIT;
	if (z->n == z->cap) {
		size_t nc = z->cap ? z->cap * 2 : 1024;
		zk_zone_rr_t *nr = realloc(z->rr, nc * sizeof(*nr));
		if (nr == NULL)
			return ZK_ENOMEM;
		z->rr = nr;
		z->cap = nc;
	}
	if ((rc = intern_file(z, file, &fidx)) != 0)
		return rc;
	r = &z->rr[z->n];
	if (z->last_owner == NULL || z->last_owner->len != rr->owner->len ||
	    memcmp(z->last_owner->wire, rr->owner->wire, rr->owner->len) != 0) {
		zk_name_t *o = zk_name_dup(z->arena, rr->owner);
		if (o == NULL)
			return ZK_ENOMEM;
		z->last_owner = o;
	}
	r->owner = z->last_owner;
	rd = zk_arena_memdup(z->arena, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	if (rd == NULL)
		return ZK_ENOMEM;
	r->orig = rd;
	r->rdata = rd;
	if (rr->rdlen > 0 && downcase_type(z, rr->type)) {
		/* RFC 4034 §6.2: order and duplicates are decided on the
		 * canonical form; keep the written case only when it differs */
		uint8_t tmp[ZK_RDATA_MAXLEN];
		memcpy(tmp, rd, rr->rdlen);
		zk_rdata_canonicalize(rr->type, tmp, rr->rdlen);
		if (memcmp(tmp, rd, rr->rdlen) != 0) {
			uint8_t *c = zk_arena_memdup(z->arena, tmp, rr->rdlen);
			if (c == NULL)
				return ZK_ENOMEM;
			r->rdata = c;
		}
	}
	r->ttl = rr->ttl;
	r->line = line;
	r->seq = (uint32_t)z->n;
	r->run = run;
	r->node = 0;
	r->type = rr->type;
	r->rclass = rr->rclass;
	r->rdlen = rr->rdlen;
	r->file = fidx;
	z->n++;
	z->finished = false;
	return 0;
}

/* Sort key of an owner: labels right to left, lower-cased, each ended by
 * 0x00, with octets 0x00/0x01 escaped as 0x01 0x0N, so that memcmp gives
 * RFC 4034 §6.1 order (a label that is a prefix of another sorts first). */
typedef struct okey {
	const uint8_t *key;
	uint32_t len;
	uint32_t first; /* an index into rr[] */
} okey_t;

static size_t make_key(const zk_name_t *n, uint8_t *out)
{
	uint8_t off[ZK_NAME_MAXLABELS + 1];
	unsigned nl = 0;
	size_t i = 0, o = 0;

	while (i < n->len && n->wire[i] != 0 && nl < ZK_NAME_MAXLABELS) {
		off[nl++] = (uint8_t)i;
		i += (size_t)n->wire[i] + 1;
	}
	while (nl > 0) {
		const uint8_t *l = n->wire + off[--nl];
		for (unsigned j = 1; j <= l[0]; j++) {
			uint8_t c = l[j];
			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + 32);
			if (c <= 1)
				out[o++] = 1;
			out[o++] = c;
		}
		out[o++] = 0;
	}
	return o;
}

static int cmp_okey(const void *a, const void *b)
{
	const okey_t *x = a, *y = b;
	size_t m = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, m);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int cmp_rr(const void *a, const void *b)
{
	const zk_zone_rr_t *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->rclass != y->rclass)
		return x->rclass < y->rclass ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	{
		int c = zk_rdata_cmp(x->rdata, x->rdlen, y->rdata, y->rdlen);
		if (c != 0)
			return c;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Give every record the canonical rank of its owner in .node. */
static int rank_owners(zk_zone_t *z)
{
	okey_t *keys = NULL;
	size_t nk = 0, i;
	zk_arena_t *ka = NULL;
	int rc = ZK_ENOMEM;

	if (z->n == 0)
		return 0;
	/* one key per stored owner (records sharing an owner pointer are
	 * consecutive in file order) */
	keys = malloc(z->n * sizeof(*keys));
	ka = zk_arena_new(1 << 20);
	if (keys == NULL || ka == NULL)
		goto fail;
	for (i = 0; i < z->n; i++) {
		uint8_t buf[2 * ZK_NAME_MAXLEN + 2];
		size_t len;
		if (i > 0 && z->rr[i].owner == z->rr[i - 1].owner)
			continue;
		len = make_key(z->rr[i].owner, buf);
		keys[nk].key = zk_arena_memdup(ka, buf, len ? len : 1);
		if (keys[nk].key == NULL)
			goto fail;
		keys[nk].len = (uint32_t)len;
		keys[nk].first = (uint32_t)i;
		nk++;
	}
	/* A zone file is often in canonical order already (a signed zone
	 * fed back for an incremental re-sign always is): check first. */
	for (i = 1; i < nk; i++)
		if (cmp_okey(&keys[i - 1], &keys[i]) > 0)
			break;
	if (i < nk)
		qsort(keys, nk, sizeof(*keys), cmp_okey);
	/* rank by key; then spread each owner's rank over its records */
	{
		uint32_t r = 0;
		for (i = 0; i < nk; i++) {
			if (i > 0 && (keys[i].len != keys[i - 1].len ||
			              memcmp(keys[i].key, keys[i - 1].key, keys[i].len) != 0))
				r++;
			z->rr[keys[i].first].node = r;
		}
	}
	for (i = 1; i < z->n; i++) {
		if (z->rr[i].owner == z->rr[i - 1].owner)
			z->rr[i].node = z->rr[i - 1].node;
	}
	rc = 0;
fail:
	free(keys);
	if (ka != NULL)
		zk_arena_free(ka);
	return rc;
}

/* Records by owner rank (a counting sort: ranks are dense), then each
 * owner's few records by class, type and rdata. */
static int sort_records(zk_zone_t *z)
{
	uint32_t nodes = 0, *start;
	zk_zone_rr_t *out;
	size_t i;

	for (i = 0; i < z->n; i++)
		if (z->rr[i].node + 1 > nodes)
			nodes = z->rr[i].node + 1;
	start = calloc((size_t)nodes + 1, sizeof(*start));
	out = malloc((z->n ? z->n : 1) * sizeof(*out));
	if (start == NULL || out == NULL) {
		free(start);
		free(out);
		return ZK_ENOMEM;
	}
	for (i = 0; i < z->n; i++)
		start[z->rr[i].node + 1]++;
	for (i = 1; i <= nodes; i++)
		start[i] += start[i - 1];
	for (i = 0; i < z->n; i++)
		out[start[z->rr[i].node]++] = z->rr[i];
	free(start);
	free(z->rr);
	z->rr = out;
	z->cap = z->n ? z->n : 1;
	for (i = 0; i < z->n;) {
		size_t e = i + 1;
		while (e < z->n && z->rr[e].node == z->rr[i].node)
			e++;
		for (size_t k = i + 1; k < e; k++)
			if (cmp_rr(&z->rr[k - 1], &z->rr[k]) > 0) {
				qsort(z->rr + i, e - i, sizeof(*z->rr), cmp_rr);
				break;
			}
		i = e;
	}
	return 0;
}

/* Where the records that must share one TTL end. Signatures form one set
 * per covered type (RFC 4034 §3: an RRSIG's TTL is the covered RRset's),
 * as BIND keeps them; canonical order puts each covered type together,
 * since it is the first field of the rdata. */
static size_t ttl_group_end(const zk_zone_t *z, size_t i)
{
	size_t end = zk_zone_rrset_end(z, i), k = i + 1;
	const zk_zone_rr_t *a = &z->rr[i];

	if ((a->type != ZK_TYPE_RRSIG && a->type != ZK_TYPE_SIG) || a->rdlen < 2)
		return end;
	while (k < end && z->rr[k].rdlen >= 2 && memcmp(z->rr[k].rdata, a->rdata, 2) == 0)
		k++;
	return k;
}

int zk_zone_finish(zk_zone_t *z, zk_zone_note_fn note, void *ctx)
{
	size_t i, o;
	int rc;

	if (z->finished)
		return 0;
	if ((rc = rank_owners(z)) != 0)
		return rc;
	if ((rc = sort_records(z)) != 0)
		return rc;

	/* RRset TTLs: the first record (file order) of the last owner run
	 * wins, as BIND's loader does */
	for (i = 0; i < z->n;) {
		size_t end = ttl_group_end(z, i), best = i;
		for (size_t k = i + 1; k < end; k++) {
			const zk_zone_rr_t *a = &z->rr[k], *b = &z->rr[best];
			if (a->run > b->run || (a->run == b->run && a->seq < b->seq))
				best = k;
		}
		for (size_t k = i; k < end; k++) {
			if (z->rr[k].ttl != z->rr[best].ttl) {
				uint32_t old = z->rr[k].ttl;
				z->rr[k].ttl = z->rr[best].ttl;
				if (note != NULL)
					note(ctx, ZK_ZONE_TTL, &z->rr[k], &z->rr[best], old);
			}
		}
		i = end;
	}
	/* exact duplicates (canonical rdata) are adjacent; keep the first */
	for (i = 0, o = 0; i < z->n; i++) {
		if (o > 0) {
			const zk_zone_rr_t *p = &z->rr[o - 1], *c = &z->rr[i];
			if (p->node == c->node && p->rclass == c->rclass && p->type == c->type &&
			    p->rdlen == c->rdlen && memcmp(p->rdata, c->rdata, c->rdlen) == 0) {
				if (note != NULL)
					note(ctx, ZK_ZONE_DUPLICATE, c, p, c->ttl);
				continue;
			}
		}
		if (o != i)
			z->rr[o] = z->rr[i];
		o++;
	}
	z->n = o;
	z->finished = true;
	return 0;
}

size_t zk_zone_count(const zk_zone_t *z)
{
	return z->n;
}

const zk_zone_rr_t *zk_zone_at(const zk_zone_t *z, size_t i)
{
	return i < z->n ? &z->rr[i] : NULL;
}

const char *zk_zone_file(const zk_zone_t *z, unsigned idx)
{
	return idx < z->nfiles ? z->files[idx] : "-";
}

void zk_zone_rr_view(const zk_zone_rr_t *r, bool orig, zk_rr_t *out)
{
	out->owner = r->owner;
	out->type = r->type;
	out->rclass = r->rclass;
	out->ttl = r->ttl;
	out->rdlen = r->rdlen;
	out->rdata = orig ? r->orig : r->rdata;
}

size_t zk_zone_rrset_end(const zk_zone_t *z, size_t i)
{
	const zk_zone_rr_t *a = &z->rr[i];
	size_t k = i + 1;

	while (k < z->n && z->rr[k].node == a->node && z->rr[k].rclass == a->rclass &&
	       z->rr[k].type == a->type)
		k++;
	return k;
}

size_t zk_zone_node_end(const zk_zone_t *z, size_t i)
{
	size_t k = i + 1;

	while (k < z->n && z->rr[k].node == z->rr[i].node)
		k++;
	return k;
}

size_t zk_zone_lower_bound(const zk_zone_t *z, const zk_name_t *name)
{
	size_t lo = 0, hi = z->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (zk_name_cmp(z->rr[mid].owner, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool zk_zone_find(const zk_zone_t *z, const zk_name_t *name, uint16_t type, size_t *first,
                  size_t *end)
{
	size_t i = zk_zone_lower_bound(z, name), e;

	if (i >= z->n || !zk_name_eq(z->rr[i].owner, name))
		return false;
	e = zk_zone_node_end(z, i);
	if (type == 0) {
		*first = i;
		*end = e;
		return true;
	}
	for (; i < e; i++) {
		if (z->rr[i].type == type) {
			*first = i;
			*end = zk_zone_rrset_end(z, i);
			return true;
		}
	}
	return false;
}

bool zk_zone_is_ent(const zk_zone_t *z, const zk_name_t *name)
{
	size_t i = zk_zone_lower_bound(z, name);

	if (i >= z->n || zk_name_eq(z->rr[i].owner, name))
		return false;
	return zk_name_is_sub(z->rr[i].owner, name);
}
