/* sign — zone-signing engine: RRset classification, parallel RRSIG
 * generation with signature reuse, canonical merge. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec.h"
#include "rdata.h"
#include "rrtype.h"
#include "sign.h"

/* ------------------------------------------------------------- roles */

void zk_sign_fill_roles(zk_sign_key_t *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned have = 0;
		for (size_t j = 0; j < n; j++)
			if (keys[j].alg == keys[i].alg)
				have |= keys[j].roles;
		if (!(have & ZK_SIGN_ZSK) && (keys[i].roles & ZK_SIGN_KSK))
			keys[i].roles |= ZK_SIGN_ZSK;
		else if (!(have & ZK_SIGN_KSK) && (keys[i].roles & ZK_SIGN_ZSK))
			keys[i].roles |= ZK_SIGN_KSK;
	}
}

/* -------------------------------------------------------------- walk */

void zk_sign_walk_init(zk_sign_walk_t *w, const zk_rr_t *rrs, size_t n, const zk_name_t *apex)
{
	memset(w, 0, sizeof(*w));
	w->rrs = rrs;
	w->n = n;
	w->apex = apex;
}

static bool same_set(const zk_rr_t *a, const zk_rr_t *b)
{
	return a->type == b->type && a->rclass == b->rclass &&
	       (a->owner == b->owner || zk_name_eq(a->owner, b->owner));
}

static bool same_owner(const zk_rr_t *a, const zk_rr_t *b)
{
	return a->owner == b->owner || zk_name_eq(a->owner, b->owner);
}

bool zk_sign_walk_next(zk_sign_walk_t *w, size_t *start, size_t *end, zk_sign_kind_t *kind)
{
	const zk_rr_t *r;
	size_t s, e;
	bool inside, at_cut;

	if (w->pos >= w->n)
		return false;
	s = w->pos;
	r = &w->rrs[s];
	for (e = s + 1; e < w->n && same_set(&w->rrs[e], r); e++)
		;
	w->pos = e;
	inside = zk_name_is_sub(r->owner, w->apex);
	if (s == 0 || !same_owner(r, &w->rrs[s - 1])) {
		/* A new node: leave the cut we were under, or find a new one. */
		w->node = r->owner;
		w->node_deleg = false;
		if (w->cut != NULL && !zk_name_is_sub(r->owner, w->cut))
			w->cut = NULL;
		if (w->cut == NULL && inside) {
			bool apex = zk_name_eq(r->owner, w->apex);
			for (size_t i = s; i < w->n && same_owner(&w->rrs[i], r); i++) {
				if (w->rrs[i].type == ZK_TYPE_NS && !apex) {
					w->node_deleg = true;
					w->cut = r->owner;
					w->cut_is_dname = false;
				} else if (w->rrs[i].type == ZK_TYPE_DNAME && w->cut == NULL) {
					w->cut = r->owner;
					w->cut_is_dname = true;
				}
			}
		}
	}
	at_cut = w->cut != NULL && w->cut == w->node;
	*start = s;
	*end = e;
	if (!inside || r->type == ZK_TYPE_RRSIG)
		*kind = ZK_SIGN_NONE;
	else if (w->cut != NULL && !at_cut)
		*kind = ZK_SIGN_NONE; /* occluded (RFC 4035 §2.2: glue is not signed) */
	else if (at_cut && w->node_deleg && r->type != ZK_TYPE_DS && r->type != ZK_TYPE_NSEC)
		*kind = ZK_SIGN_NONE; /* delegation NS (and anything else there) */
	else if ((r->type == ZK_TYPE_DNSKEY || r->type == ZK_TYPE_CDS ||
	          r->type == ZK_TYPE_CDNSKEY) &&
	         zk_name_eq(r->owner, w->apex))
		*kind = ZK_SIGN_BY_KSK;
	else
		*kind = ZK_SIGN_BY_ZSK;
	return true;
}

/* ------------------------------------------------------------ signing */

typedef struct job {
	uint32_t start, end;
	uint8_t kind;
} job_t;

typedef struct chunk {
	zk_rr_t *v;
	uint8_t *d; /* digests, when asked for */
	size_t n;
} chunk_t;

#define CHUNK_JOBS 64

typedef struct shared {
	const zk_rr_t *rrs;
	const zk_sign_key_t *keys;
	size_t nkeys;
	const zk_rr_t *old;
	size_t nold;
	const zk_sign_opts_t *o;
	zk_name_t signer;
	/* Per key: the private key object holds the public key of its
	 * DNSKEY, so an old signature is verified with it rather than with
	 * a key imported from the DNSKEY for every RRset. */
	bool *direct;
	job_t *jobs;
	size_t njobs;
	chunk_t *chunks;
	size_t nchunks;
	atomic_size_t next;
	atomic_size_t done;
	atomic_int stop;
	pthread_mutex_t mu;
	int err;
	zk_errctx_t ec;
} shared_t;

typedef struct worker {
	shared_t *sh;
	zk_arena_t *a;
	zk_sign_stats_t st;
	zk_rr_t *tmp;
	uint8_t *dig; /* ZK_SIGN_DIGEST per tmp entry */
	size_t ntmp, cap;
	zk_buf_t in;
	zk_md_ctx_t *md; /* SHA-256 for sig_digest, made on first use */
	bool main;
	pthread_t tid;
} worker_t;

static int push(worker_t *wk, const zk_rr_t *rr, const uint8_t *dig)
{
	if (wk->ntmp == wk->cap) {
		size_t nc = wk->cap ? wk->cap * 2 : 256;
		zk_rr_t *v = realloc(wk->tmp, nc * sizeof(*v));
		uint8_t *d;
		if (v == NULL)
			return ZK_ENOMEM;
		wk->tmp = v;
		d = realloc(wk->dig, nc * ZK_SIGN_DIGEST);
		if (d == NULL)
			return ZK_ENOMEM;
		wk->dig = d;
		wk->cap = nc;
	}
	memcpy(wk->dig + wk->ntmp * ZK_SIGN_DIGEST, dig, ZK_SIGN_DIGEST);
	wk->tmp[wk->ntmp++] = *rr;
	return 0;
}

/* Sort one owner's new RRSIGs (and their digests) by canonical rdata. */
static void sort_sigs(worker_t *wk, size_t first)
{
	for (size_t i = first + 1; i < wk->ntmp; i++)
		for (size_t j = i;
		     j > first && zk_rdata_cmp(wk->tmp[j - 1].rdata, wk->tmp[j - 1].rdlen,
		                               wk->tmp[j].rdata, wk->tmp[j].rdlen) > 0;
		     j--) {
			zk_rr_t t = wk->tmp[j];
			uint8_t d[ZK_SIGN_DIGEST];
			wk->tmp[j] = wk->tmp[j - 1];
			wk->tmp[j - 1] = t;
			memcpy(d, wk->dig + j * ZK_SIGN_DIGEST, ZK_SIGN_DIGEST);
			memcpy(wk->dig + j * ZK_SIGN_DIGEST, wk->dig + (j - 1) * ZK_SIGN_DIGEST,
			       ZK_SIGN_DIGEST);
			memcpy(wk->dig + (j - 1) * ZK_SIGN_DIGEST, d, ZK_SIGN_DIGEST);
		}
}

/* SHA-256(DNSKEY rdata | RRSIG rdata | signing input), truncated. */
static int sig_digest(worker_t *wk, const zk_sign_key_t *k, const uint8_t *sig, size_t siglen,
                      const zk_rrsig_t *rs, const zk_rr_t *set, size_t cnt,
                      uint8_t out[ZK_SIGN_DIGEST])
{
	uint8_t full[ZK_MD_MAXSIZE];
	int rc;

	zk_buf_reset(&wk->in);
	zk_buf_put(&wk->in, k->dnskey, k->dnskey_len);
	zk_buf_put(&wk->in, sig, siglen);
	rc = zk_dnssec_signing_input(sig, rs->fixed_len, rs->labels, rs->orig_ttl, set, cnt,
	                             &wk->in, NULL);
	if (rc == 0 && wk->in.err)
		rc = ZK_ENOMEM;
	/* One context per worker: a one-shot digest sets up and tears down
	 * an OpenSSL context per call, several times the cost of hashing
	 * a few hundred octets. */
	if (rc == 0 && wk->md == NULL)
		rc = zk_md_ctx_new(ZK_MD_SHA256, &wk->md);
	if (rc == 0)
		rc = zk_md_ctx_update(wk->md, wk->in.data, wk->in.len);
	if (rc == 0)
		rc = zk_md_ctx_final(wk->md, full);
	if (rc == 0)
		memcpy(out, full, ZK_SIGN_DIGEST);
	return rc;
}

static int dig_cmp(const void *a, const void *b)
{
	return memcmp(a, b, ZK_SIGN_DIGEST);
}

/* First old RR with owner >= name. */
static size_t old_lower(const shared_t *sh, const zk_name_t *name)
{
	size_t lo = 0, hi = sh->nold;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (zk_name_cmp(sh->old[mid].owner, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The public-key check of an old signature. The RFC 4035 §5.3.1 checks
 * zk_dnssec_verify makes first are reusable()'s (algorithm, key tag,
 * type, labels, signer = apex) and zk_sign_zone's (DNSKEY protocol,
 * algorithm and public key = the signing key's). */
static bool verify_old(worker_t *wk, const zk_sign_key_t *k, const zk_rr_t *sig,
                       const zk_rrsig_t *rs, const zk_rr_t *set, size_t cnt)
{
	uint8_t fixed[ZK_RRSIG_FIXED + ZK_NAME_MAXLEN];

	if (!wk->sh->direct[k - wk->sh->keys])
		return zk_dnssec_verify(k->dnskey, k->dnskey_len, sig->rdata, sig->rdlen, set, cnt,
		                        NULL) == 0;
	/* RFC 6840 §5.1: the signer name is signed in canonical form. */
	memcpy(fixed, sig->rdata, ZK_RRSIG_FIXED);
	memcpy(fixed + ZK_RRSIG_FIXED, rs->signer.wire, rs->signer.len);
	zk_name_downcase_wire(fixed + ZK_RRSIG_FIXED);
	zk_buf_reset(&wk->in);
	if (zk_dnssec_signing_input(fixed, rs->fixed_len, rs->labels, rs->orig_ttl, set, cnt,
	                            &wk->in, NULL) != 0 ||
	    wk->in.err)
		return false;
	return zk_key_verify(k->key, (const uint8_t *)wk->in.data, wk->in.len, rs->sig, rs->siglen,
	                     NULL) == 0;
}

/* An old signature by k over the set that can stay; its digest in dig. */
static bool reusable(worker_t *wk, const zk_sign_key_t *k, const zk_rr_t *set, size_t cnt,
                     const zk_rr_t *sig, uint8_t dig[ZK_SIGN_DIGEST])
{
	shared_t *sh = wk->sh;
	const zk_sign_opts_t *o = sh->o;
	zk_rrsig_t rs;
	bool have = false;

	if (zk_rrsig_parse(sig->rdata, sig->rdlen, &rs, NULL) != 0)
		return false;
	if (rs.type_covered != set->type || rs.alg != k->alg || rs.keytag != k->keytag ||
	    !zk_name_eq(&rs.signer, &sh->signer) || rs.orig_ttl != set->ttl ||
	    rs.labels != zk_dnssec_labels(set->owner))
		return false;
	/* RFC 4034 §3.1.5 serial arithmetic: valid now and for a while. */
	if (zk_serial_cmp(rs.inception, o->now) > 0 ||
	    zk_serial_cmp(rs.expiration, zk_serial_add(o->now, o->refresh)) <= 0)
		return false;
	if (o->nknown > 0 || o->digests != NULL)
		have = sig_digest(wk, k, sig->rdata, sig->rdlen, &rs, set, cnt, dig) == 0;
	if (have && o->nknown > 0 &&
	    bsearch(dig, o->known, o->nknown, ZK_SIGN_DIGEST, dig_cmp) != NULL) {
		wk->st.cached++;
		return true;
	}
	if (!have)
		memset(dig, 0, ZK_SIGN_DIGEST);
	return verify_old(wk, k, sig, &rs, set, cnt);
}

static uint32_t jitter_for(const zk_rr_t *set, uint32_t jitter)
{
	uint32_t h = zk_name_hash(set->owner);
	h ^= set->type;
	h *= 16777619u;
	h ^= h >> 15;
	return h % (jitter + 1);
}

static int do_job(worker_t *wk, const job_t *j, zk_errctx_t *ec)
{
	shared_t *sh = wk->sh;
	const zk_sign_opts_t *o = sh->o;
	const zk_rr_t *set = sh->rrs + j->start;
	size_t cnt = j->end - j->start, first = wk->ntmp, os = sh->nold, oe = sh->nold;
	unsigned role = j->kind == ZK_SIGN_BY_KSK ? ZK_SIGN_KSK : ZK_SIGN_ZSK;
	uint32_t exp = j->kind == ZK_SIGN_BY_KSK ? o->dnskey_expiration : o->expiration;
	int rc;

	if (o->skip_dnskey && set->type == ZK_TYPE_DNSKEY && j->kind == ZK_SIGN_BY_KSK)
		return 0;
	if (o->jitter > 0) {
		uint32_t span = exp - o->inception, jt = jitter_for(set, o->jitter);
		/* Never below half the window: a signature must outlive its TTL. */
		if (jt > span / 2)
			jt = span / 2;
		exp -= jt;
	}
	if (sh->nold > 0) {
		os = old_lower(sh, set->owner);
		for (oe = os; oe < sh->nold && zk_name_eq(sh->old[oe].owner, set->owner); oe++)
			;
	}
	wk->st.rrsets++;
	for (size_t k = 0; k < sh->nkeys; k++) {
		const zk_sign_key_t *key = &sh->keys[k];
		bool kept = false;
		uint8_t buf[ZK_RRSIG_FIXED + ZK_NAME_MAXLEN + 1024], dig[ZK_SIGN_DIGEST];
		size_t len = 0;
		zk_rr_t rr;

		if (!(key->roles & role))
			continue;
		rr.owner = set->owner;
		rr.type = ZK_TYPE_RRSIG;
		rr.rclass = set->rclass;
		rr.ttl = set->ttl;
		for (size_t i = os; i < oe && !kept; i++) {
			if (sh->old[i].type != ZK_TYPE_RRSIG ||
			    !reusable(wk, key, set, cnt, &sh->old[i], dig))
				continue;
			rr.rdlen = sh->old[i].rdlen;
			rr.rdata = sh->old[i].rdata;
			kept = true;
			wk->st.retained++;
		}
		if (!kept) {
			uint8_t *p;
			rc = zk_dnssec_sign(key->key, key->keytag, &sh->signer, set, cnt,
			                    o->inception, exp, buf, sizeof(buf), &len, ec);
			if (rc != 0)
				return rc;
			if (o->verify) {
				rc = zk_dnssec_verify(key->dnskey, key->dnskey_len, buf, len, set,
				                      cnt, ec);
				if (rc != 0)
					return rc;
				wk->st.verified++;
			}
			p = zk_arena_memdup(wk->a, buf, len);
			if (p == NULL)
				return zk_error(ec, ZK_ENOMEM, "out of memory");
			memset(dig, 0, sizeof(dig));
			if (o->digests != NULL) {
				zk_rrsig_t rs;
				if (zk_rrsig_parse(p, len, &rs, NULL) == 0)
					sig_digest(wk, key, p, len, &rs, set, cnt, dig);
			}
			rr.rdlen = (uint16_t)len;
			rr.rdata = p;
			wk->st.generated++;
		}
		if (push(wk, &rr, dig) != 0)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	/* RFC 4034 §6.3: the RRSIGs of one owner in canonical rdata order
	 * (type covered first, so sets already come in order). */
	if (wk->ntmp - first > 1)
		sort_sigs(wk, first);
	return 0;
}

static void fail_shared(shared_t *sh, int rc, const zk_errctx_t *ec, const zk_rr_t *set)
{
	pthread_mutex_lock(&sh->mu);
	if (sh->err == 0) {
		char owner[ZK_NAME_TEXTMAX], tn[16];
		zk_name_to_cstr(set->owner, owner, sizeof(owner));
		zk_rrtype_to_text(set->type, tn, sizeof(tn));
		sh->err = rc;
		zk_errctx_init(&sh->ec);
		zk_error(&sh->ec, rc, "%s/%s: %s", owner, tn,
		         ec->msg[0] ? ec->msg : zk_strerror(rc));
	}
	pthread_mutex_unlock(&sh->mu);
	atomic_store(&sh->stop, 1);
}

static void *work(void *arg)
{
	worker_t *wk = arg;
	shared_t *sh = wk->sh;
	zk_errctx_t ec;

	for (;;) {
		size_t c, js, je;
		if (atomic_load(&sh->stop))
			break;
		c = atomic_fetch_add(&sh->next, 1);
		if (c >= sh->nchunks)
			break;
		js = c * CHUNK_JOBS;
		je = js + CHUNK_JOBS < sh->njobs ? js + CHUNK_JOBS : sh->njobs;
		wk->ntmp = 0;
		for (size_t j = js; j < je; j++) {
			int rc;
			zk_errctx_init(&ec);
			rc = do_job(wk, &sh->jobs[j], &ec);
			if (rc != 0) {
				fail_shared(sh, rc, &ec, sh->rrs + sh->jobs[j].start);
				return NULL;
			}
		}
		if (wk->ntmp > 0) {
			sh->chunks[c].v =
			    zk_arena_memdup(wk->a, wk->tmp, wk->ntmp * sizeof(zk_rr_t));
			if (sh->o->digests != NULL)
				sh->chunks[c].d =
				    zk_arena_memdup(wk->a, wk->dig, wk->ntmp * ZK_SIGN_DIGEST);
			if (sh->chunks[c].v == NULL ||
			    (sh->o->digests != NULL && sh->chunks[c].d == NULL)) {
				zk_errctx_init(&ec);
				zk_error(&ec, ZK_ENOMEM, "out of memory");
				fail_shared(sh, ZK_ENOMEM, &ec, sh->rrs + sh->jobs[js].start);
				return NULL;
			}
		}
		sh->chunks[c].n = wk->ntmp;
		atomic_fetch_add(&sh->done, je - js);
		if (wk->main && sh->o->progress != NULL)
			sh->o->progress(sh->o->progress_ctx, atomic_load(&sh->done), sh->njobs);
	}
	return NULL;
}

int zk_sign_zone(const zk_rr_t *rrs, size_t n, const zk_sign_key_t *keys, size_t nkeys,
                 const zk_rr_t *old, size_t nold, const zk_sign_opts_t *opts, zk_arena_t **arenas,
                 zk_rr_t **sigs, size_t *nsigs, zk_sign_stats_t *st, zk_errctx_t *ec)
{
	shared_t sh;
	worker_t *wk = NULL;
	zk_sign_walk_t w;
	size_t s, e, capj = 0, total = 0, off = 0;
	zk_sign_kind_t kind;
	unsigned nt = opts->threads ? opts->threads : 1, started = 0;
	zk_rr_t *out = NULL;
	uint8_t *dout = NULL;
	int rc = 0;

	if (n > UINT32_MAX)
		return zk_error(ec, ZK_ELIMIT, "zone too large");
	memset(&sh, 0, sizeof(sh));
	sh.rrs = rrs;
	sh.keys = keys;
	sh.nkeys = nkeys;
	sh.old = old;
	sh.nold = old ? nold : 0;
	sh.o = opts;
	zk_name_copy(&sh.signer, opts->apex);
	zk_name_downcase(&sh.signer);
	pthread_mutex_init(&sh.mu, NULL);

	sh.direct = calloc(nkeys ? nkeys : 1, sizeof(bool));
	if (sh.direct == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nkeys; i++) {
		const zk_sign_key_t *k = &keys[i];
		uint8_t pub[1024];
		size_t pl = 0;
		sh.direct[i] = k->dnskey_len > 4 && k->dnskey[2] == 3 && k->dnskey[3] == k->alg &&
		               zk_key_alg(k->key) == k->alg &&
		               zk_key_public(k->key, pub, sizeof(pub), &pl) == 0 &&
		               pl == k->dnskey_len - 4 && memcmp(pub, k->dnskey + 4, pl) == 0;
	}
	zk_sign_walk_init(&w, rrs, n, opts->apex);
	while (zk_sign_walk_next(&w, &s, &e, &kind)) {
		if (kind == ZK_SIGN_NONE)
			continue;
		if (sh.njobs == capj) {
			size_t nc = capj ? capj * 2 : 1024;
			job_t *v = realloc(sh.jobs, nc * sizeof(*v));
			if (v == NULL) {
				rc = zk_error(ec, ZK_ENOMEM, "out of memory");
				goto done;
			}
			sh.jobs = v;
			capj = nc;
		}
		sh.jobs[sh.njobs].start = (uint32_t)s;
		sh.jobs[sh.njobs].end = (uint32_t)e;
		sh.jobs[sh.njobs].kind = (uint8_t)kind;
		sh.njobs++;
	}
	sh.nchunks = (sh.njobs + CHUNK_JOBS - 1) / CHUNK_JOBS;
	sh.chunks = calloc(sh.nchunks ? sh.nchunks : 1, sizeof(chunk_t));
	wk = calloc(nt, sizeof(*wk));
	if (sh.chunks == NULL || wk == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	for (unsigned i = 0; i < nt; i++) {
		wk[i].sh = &sh;
		wk[i].a = arenas[i];
		wk[i].main = i == 0;
		zk_buf_init(&wk[i].in);
	}
	for (unsigned i = 1; i < nt; i++) {
		if (pthread_create(&wk[i].tid, NULL, work, &wk[i]) != 0)
			break;
		started = i;
	}
	if (opts->progress != NULL)
		opts->progress(opts->progress_ctx, 0, sh.njobs);
	work(&wk[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(wk[i].tid, NULL);
	if (sh.err != 0) {
		rc = sh.err;
		if (ec != NULL)
			*ec = sh.ec;
		goto done;
	}
	for (size_t c = 0; c < sh.nchunks; c++)
		total += sh.chunks[c].n;
	out = malloc((total ? total : 1) * sizeof(*out));
	if (opts->digests != NULL)
		dout = malloc((total ? total : 1) * ZK_SIGN_DIGEST);
	if (out == NULL || (opts->digests != NULL && dout == NULL)) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t c = 0; c < sh.nchunks; c++) {
		if (sh.chunks[c].n)
			memcpy(out + off, sh.chunks[c].v, sh.chunks[c].n * sizeof(*out));
		if (sh.chunks[c].n && dout != NULL)
			memcpy(dout + off * ZK_SIGN_DIGEST, sh.chunks[c].d,
			       sh.chunks[c].n * ZK_SIGN_DIGEST);
		off += sh.chunks[c].n;
	}
	if (st != NULL) {
		memset(st, 0, sizeof(*st));
		for (unsigned i = 0; i < nt; i++) {
			st->rrsets += wk[i].st.rrsets;
			st->generated += wk[i].st.generated;
			st->retained += wk[i].st.retained;
			st->verified += wk[i].st.verified;
			st->cached += wk[i].st.cached;
		}
		st->dropped = sh.nold - st->retained;
	}
	*sigs = out;
	*nsigs = total;
	if (opts->digests != NULL)
		*opts->digests = dout;
	out = NULL;
	dout = NULL;
done:
	if (wk != NULL)
		for (unsigned i = 0; i < nt; i++) {
			free(wk[i].tmp);
			free(wk[i].dig);
			zk_buf_free(&wk[i].in);
			zk_md_ctx_free(wk[i].md);
		}
	free(wk);
	free(out);
	free(dout);
	free(sh.chunks);
	free(sh.jobs);
	free(sh.direct);
	pthread_mutex_destroy(&sh.mu);
	return rc;
}

/* -------------------------------------------------------------- merge */

void zk_sign_merge(const zk_rr_t *a, size_t na, const zk_rr_t *b, size_t nb, zk_rr_t *out)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na && j < nb) {
		if (zk_rr_cmp(&b[j], &a[i]) < 0)
			out[k++] = b[j++];
		else
			out[k++] = a[i++];
	}
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}
