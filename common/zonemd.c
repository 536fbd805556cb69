/* zonemd — message digests over whole zones (RFC 8976). See zonemd.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "rdata.h"
#include "rrtype.h"
#include "wire.h"
#include "zonemd.h"

size_t zk_zonemd_digest_size(uint8_t hash_alg)
{
	switch (hash_alg) {
	case ZK_ZONEMD_SHA384: return 48;
	case ZK_ZONEMD_SHA512: return 64;
	default: return 0;
	}
}

bool zk_zonemd_supported(uint8_t scheme, uint8_t hash_alg)
{
	return scheme == ZK_ZONEMD_SIMPLE && zk_zonemd_digest_size(hash_alg) != 0;
}

static zk_md_t md_of(uint8_t hash_alg)
{
	return hash_alg == ZK_ZONEMD_SHA384 ? ZK_MD_SHA384 : ZK_MD_SHA512;
}

/* §3.3.1.1: the apex ZONEMD RRset and the RRSIGs covering it are left
 * out; a ZONEMD anywhere else is ordinary data (§2.1). */
static bool excluded(const zk_rr_t *rr, const zk_name_t *apex)
{
	if (rr->type == ZK_TYPE_ZONEMD)
		return zk_name_eq(rr->owner, apex);
	if (rr->type == ZK_TYPE_RRSIG && rr->rdlen >= 2 && zk_get_u16(rr->rdata) == ZK_TYPE_ZONEMD)
		return zk_name_eq(rr->owner, apex);
	return false;
}

/* Feed one RR in canonical wire form (RFC 4034 §6.2): lower-case owner,
 * uncompressed, names in the rdata lower-cased where the type says so.
 * scratch holds 65535 octets (allocated on first need). */
static int digest_rr(zk_md_ctx_t *c, const zk_rr_t *rr, uint8_t **scratch)
{
	uint8_t hdr[ZK_NAME_MAXLEN + 10];
	size_t len = rr->owner->len;
	const zk_rrtype_t *t = zk_rrtype_get(rr->type);
	const uint8_t *rd = rr->rdata;
	int r;

	memcpy(hdr, rr->owner->wire, len);
	zk_name_downcase_wire(hdr);
	zk_put_u16(hdr + len, rr->type);
	zk_put_u16(hdr + len + 2, rr->rclass);
	zk_put_u16(hdr + len + 4, (uint16_t)(rr->ttl >> 16));
	zk_put_u16(hdr + len + 6, (uint16_t)rr->ttl);
	zk_put_u16(hdr + len + 8, rr->rdlen);
	if ((r = zk_md_ctx_update(c, hdr, len + 10)) != 0)
		return r;
	if (rr->rdlen == 0)
		return 0;
	if (t != NULL && (t->flags & ZK_RRF_DOWNCASE)) {
		if (*scratch == NULL && (*scratch = malloc(UINT16_MAX)) == NULL)
			return ZK_ENOMEM;
		memcpy(*scratch, rr->rdata, rr->rdlen);
		zk_rdata_canonicalize(rr->type, *scratch, rr->rdlen);
		rd = *scratch;
	}
	return zk_md_ctx_update(c, rd, rr->rdlen);
}

int zk_zonemd_digest(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint8_t scheme,
                     uint8_t hash_alg, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	zk_md_ctx_t *c = NULL;
	uint8_t *scratch = NULL;
	uint8_t d[ZK_ZONEMD_DIGEST_MAX];
	size_t dlen = zk_zonemd_digest_size(hash_alg);
	const zk_rr_t *prev = NULL;
	int r;

	if (scheme != ZK_ZONEMD_SIMPLE)
		return zk_error(ec, ZK_EUNSUPP, "ZONEMD scheme %u not supported", scheme);
	if (dlen == 0)
		return zk_error(ec, ZK_EUNSUPP, "ZONEMD hash algorithm %u not supported", hash_alg);
	if (cap < dlen)
		return zk_error(ec, ZK_ESPACE, "ZONEMD digest needs %zu octets", dlen);
	if ((r = zk_md_ctx_new(md_of(hash_alg), &c)) != 0)
		return zk_error(ec, r, "digest %s not available", zk_md_name(md_of(hash_alg)));
	for (size_t i = 0; i < n; i++) {
		const zk_rr_t *rr = &rrs[i];

		if (prev != NULL) {
			int cmp = zk_rr_cmp(prev, rr);
			if (cmp > 0) {
				r = zk_error(ec, ZK_EINVAL,
				             "records not in canonical order (record %zu)", i);
				goto fail;
			}
			/* §3.3.1.1: a duplicate RR is digested once. */
			if (cmp == 0)
				continue;
		}
		prev = rr;
		if (!zk_name_is_sub(rr->owner, apex) || excluded(rr, apex))
			continue;
		if ((r = digest_rr(c, rr, &scratch)) != 0) {
			r = zk_error(ec, r, "ZONEMD digest failed");
			goto fail;
		}
	}
	if ((r = zk_md_ctx_final(c, d)) != 0) {
		r = zk_error(ec, r, "ZONEMD digest failed");
		goto fail;
	}
	memcpy(out, d, dlen);
	*outlen = dlen;
fail:
	free(scratch);
	zk_md_ctx_free(c);
	return r;
}

/* The serial of the first SOA at the apex. */
static int apex_serial(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint32_t *serial,
                       zk_errctx_t *ec)
{
	for (size_t i = 0; i < n; i++) {
		const zk_rr_t *rr = &rrs[i];
		size_t pos = 0;
		int l1, l2;

		if (rr->type != ZK_TYPE_SOA || !zk_name_eq(rr->owner, apex))
			continue;
		/* MNAME, RNAME, then SERIAL (RFC 1035 §3.3.13). */
		l1 = zk_name_wire_len(rr->rdata, rr->rdlen);
		if (l1 > 0) {
			pos = (size_t)l1;
			l2 = zk_name_wire_len(rr->rdata + pos, rr->rdlen - pos);
			if (l2 > 0 && rr->rdlen - pos - (size_t)l2 >= 20) {
				*serial = zk_get_u32(rr->rdata + pos + (size_t)l2);
				return 0;
			}
		}
		return zk_error(ec, ZK_ERDATA, "malformed SOA rdata at the apex");
	}
	return zk_error(ec, ZK_EZONE, "no SOA at the zone apex");
}

int zk_zonemd_rdata(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, uint8_t scheme,
                    uint8_t hash_alg, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	uint8_t rd[ZK_ZONEMD_RDATA_MAX];
	size_t dlen;
	uint32_t serial;
	int r;

	if ((r = apex_serial(rrs, n, apex, &serial, ec)) != 0)
		return r;
	r = zk_zonemd_digest(rrs, n, apex, scheme, hash_alg, rd + 6, sizeof(rd) - 6, &dlen, ec);
	if (r != 0)
		return r;
	if (cap < 6 + dlen)
		return zk_error(ec, ZK_ESPACE, "ZONEMD rdata needs %zu octets", 6 + dlen);
	zk_put_u16(rd, (uint16_t)(serial >> 16));
	zk_put_u16(rd + 2, (uint16_t)serial);
	rd[4] = scheme;
	rd[5] = hash_alg;
	memcpy(out, rd, 6 + dlen);
	*outlen = 6 + dlen;
	return 0;
}

int zk_zonemd_placeholder(uint32_t serial, uint8_t scheme, uint8_t hash_alg, uint8_t *out,
                          size_t cap, size_t *outlen)
{
	size_t dlen = zk_zonemd_digest_size(hash_alg);

	if (dlen == 0)
		dlen = ZK_ZONEMD_DIGEST_MIN;
	if (cap < 6 + dlen)
		return ZK_ESPACE;
	zk_put_u16(out, (uint16_t)(serial >> 16));
	zk_put_u16(out + 2, (uint16_t)serial);
	out[4] = scheme;
	out[5] = hash_alg;
	memset(out + 6, 0, dlen);
	*outlen = 6 + dlen;
	return 0;
}

const char *zk_zonemd_status_text(zk_zonemd_status_t s)
{
	switch (s) {
	case ZK_ZONEMD_VERIFIED: return "verified";
	case ZK_ZONEMD_MISMATCH: return "digest mismatch";
	case ZK_ZONEMD_SERIAL: return "serial differs from the SOA serial";
	case ZK_ZONEMD_SCHEME: return "unsupported scheme";
	case ZK_ZONEMD_HASH: return "unsupported hash algorithm";
	case ZK_ZONEMD_LENGTH: return "wrong digest length";
	case ZK_ZONEMD_DUPLICATE: return "duplicate scheme and hash algorithm";
	case ZK_ZONEMD_MALFORMED: return "malformed rdata";
	}
	return "unknown";
}

/* One apex ZONEMD record under examination. */
typedef struct zmd {
	const zk_rr_t *rr;
	zk_zonemd_result_t res;
} zmd_t;

int zk_zonemd_verify(const zk_rr_t *rrs, size_t n, const zk_name_t *apex, zk_zonemd_result_t *res,
                     size_t max, size_t *nres, zk_errctx_t *ec)
{
	zmd_t *z = NULL;
	size_t nz = 0, nok = 0;
	uint32_t serial;
	/* Computed digests, once per hash algorithm. */
	uint8_t dig[3][ZK_ZONEMD_DIGEST_MAX];
	bool have[3] = {false, false, false};
	int r;

	for (size_t i = 0; i < n; i++) {
		if (rrs[i].type == ZK_TYPE_ZONEMD && zk_name_eq(rrs[i].owner, apex))
			nz++;
	}
	if (nz == 0)
		return zk_error(ec, ZK_ENOENT, "no ZONEMD record at the zone apex");
	if ((r = apex_serial(rrs, n, apex, &serial, ec)) != 0)
		return r == ZK_ERDATA ? zk_error(ec, ZK_EZONE, "malformed SOA at the zone apex")
		                      : r;
	if ((z = calloc(nz, sizeof(*z))) == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	nz = 0;
	for (size_t i = 0; i < n; i++) {
		const zk_rr_t *rr = &rrs[i];
		zk_zonemd_result_t *q;

		if (rr->type != ZK_TYPE_ZONEMD || !zk_name_eq(rr->owner, apex))
			continue;
		/* One RR even when written twice (an RRset is a set). */
		if (nz > 0 && zk_rr_cmp(z[nz - 1].rr, rr) == 0)
			continue;
		z[nz].rr = rr;
		q = &z[nz++].res;
		if (rr->rdlen < 6) {
			q->status = ZK_ZONEMD_MALFORMED;
			continue;
		}
		q->serial = zk_get_u32(rr->rdata);
		q->scheme = rr->rdata[4];
		q->hash_alg = rr->rdata[5];
		q->digest_len = (uint16_t)(rr->rdlen - 6);
		q->status = ZK_ZONEMD_MISMATCH;
	}
	/* §4 step 4: a (scheme, hash) pair used twice verifies neither. */
	for (size_t i = 0; i < nz; i++) {
		for (size_t j = i + 1; j < nz; j++) {
			zk_zonemd_result_t *a = &z[i].res, *b = &z[j].res;
			if (a->status != ZK_ZONEMD_MALFORMED && b->status != ZK_ZONEMD_MALFORMED &&
			    a->scheme == b->scheme && a->hash_alg == b->hash_alg) {
				a->status = ZK_ZONEMD_DUPLICATE;
				b->status = ZK_ZONEMD_DUPLICATE;
			}
		}
	}
	/* §4 step 5. */
	for (size_t i = 0; i < nz; i++) {
		zk_zonemd_result_t *q = &z[i].res;
		size_t want = zk_zonemd_digest_size(q->hash_alg), dlen;

		if (q->status != ZK_ZONEMD_MISMATCH)
			continue;
		if (q->serial != serial)
			q->status = ZK_ZONEMD_SERIAL;
		else if (q->scheme != ZK_ZONEMD_SIMPLE)
			q->status = ZK_ZONEMD_SCHEME;
		else if (want == 0)
			q->status = ZK_ZONEMD_HASH;
		else if (q->digest_len < ZK_ZONEMD_DIGEST_MIN || q->digest_len != want)
			q->status = ZK_ZONEMD_LENGTH;
		if (q->status != ZK_ZONEMD_MISMATCH)
			continue;
		if (!have[q->hash_alg]) {
			r = zk_zonemd_digest(rrs, n, apex, q->scheme, q->hash_alg, dig[q->hash_alg],
			                     sizeof(dig[0]), &dlen, ec);
			if (r != 0)
				goto fail;
			have[q->hash_alg] = true;
		}
		if (memcmp(dig[q->hash_alg], z[i].rr->rdata + 6, want) == 0) {
			q->status = ZK_ZONEMD_VERIFIED;
			nok++;
		}
	}
	for (size_t i = 0; i < nz && i < max; i++)
		res[i] = z[i].res;
	*nres = nz;
	if (nok > 0) {
		r = 0;
	} else {
		const zk_zonemd_result_t *q = &z[0].res;
		r = zk_error(ec, ZK_EZONE, "ZONEMD verification failed: %s (%u %u %u)%s",
		             zk_zonemd_status_text(q->status), (unsigned)q->serial, q->scheme,
		             q->hash_alg, nz > 1 ? " and no other record verified" : "");
	}
fail:
	free(z);
	return r;
}
