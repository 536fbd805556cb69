/* dnssec — key tags, DS, RRSIG over canonical RRsets (RFC 4034, 4035). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnssec.h"
#include "rdata.h"
#include "rrtype.h"
#include "wire.h"

uint16_t zk_dnssec_keytag(const uint8_t *rd, size_t n)
{
	/* RFC 4034 Appendix B (and B.1 for algorithm 1) lives in rdata.c,
	 * which prints it in key comments: one implementation. Rdata
	 * shorter than flags/protocol/algorithm is not a key. */
	return n < 4 ? 0 : zk_rdata_keytag(rd, n);
}

int zk_dnssec_dnskey_rdata(const zk_key_t *k, uint16_t flags, uint8_t *out, size_t cap,
                           size_t *outlen)
{
	size_t pl = 0;
	int rc;
	if (cap < 4)
		return ZK_ESPACE;
	rc = zk_key_public(k, out + 4, cap - 4, &pl);
	if (rc != 0)
		return rc;
	zk_put_u16(out, flags);
	out[2] = 3; /* RFC 4034 §2.1.2: protocol MUST be 3 */
	out[3] = zk_key_alg(k);
	*outlen = 4 + pl;
	return ZK_OK;
}

/* ------------------------------------------------------------------ DS */

static const struct {
	uint8_t type;
	zk_md_t md;
	const char *name;
} ds_digests[] = {
    {ZK_DS_SHA1, ZK_MD_SHA1, "SHA-1"},
    {ZK_DS_SHA256, ZK_MD_SHA256, "SHA-256"},
    {ZK_DS_SHA384, ZK_MD_SHA384, "SHA-384"},
};

static zk_md_t ds_md(uint8_t type)
{
	for (size_t i = 0; i < sizeof ds_digests / sizeof ds_digests[0]; i++)
		if (ds_digests[i].type == type)
			return ds_digests[i].md;
	return 0;
}

size_t zk_ds_digest_size(uint8_t digest_type)
{
	zk_md_t md = ds_md(digest_type);
	return md ? zk_md_size(md) : 0;
}

const char *zk_ds_digest_name(uint8_t digest_type)
{
	for (size_t i = 0; i < sizeof ds_digests / sizeof ds_digests[0]; i++)
		if (ds_digests[i].type == digest_type)
			return ds_digests[i].name;
	return NULL;
}

int zk_ds_digest_from_text(const char *s, uint8_t *digest_type)
{
	for (size_t i = 0; i < sizeof ds_digests / sizeof ds_digests[0]; i++) {
		const char *nm = ds_digests[i].name;
		char nodash[8];
		char num[4];
		/* "SHA-256", "SHA256", "2" (BIND and ldns spellings) */
		nodash[0] = '\0';
		strncat(nodash, nm, 3);
		strcat(nodash, nm + 4);
		snprintf(num, sizeof num, "%u", ds_digests[i].type);
		if (strcasecmp(s, nm) == 0 || strcasecmp(s, nodash) == 0 || strcmp(s, num) == 0) {
			*digest_type = ds_digests[i].type;
			return ZK_OK;
		}
	}
	return ZK_EINVAL;
}

int zk_dnssec_ds(const zk_name_t *owner, const uint8_t *dnskey, size_t n, uint8_t digest_type,
                 uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec)
{
	zk_md_t md = ds_md(digest_type);
	zk_md_ctx_t *c = NULL;
	zk_name_t lc;
	size_t dl;
	int rc;
	if (md == 0)
		return zk_error(ec, ZK_EUNSUPP, "DS digest type %u is not supported", digest_type);
	if (n < 4)
		return zk_error(ec, ZK_ERDATA, "DNSKEY rdata too short");
	dl = zk_md_size(md);
	if (cap < 4 + dl)
		return zk_error(ec, ZK_ESPACE, "DS buffer too small");
	/* RFC 4034 §5.1.4: digest = hash(canonical owner name | DNSKEY RDATA). */
	zk_name_copy(&lc, owner);
	zk_name_downcase(&lc);
	rc = zk_md_ctx_new(md, &c);
	if (rc == 0)
		rc = zk_md_ctx_update(c, lc.wire, lc.len);
	if (rc == 0)
		rc = zk_md_ctx_update(c, dnskey, n);
	if (rc == 0)
		rc = zk_md_ctx_final(c, out + 4);
	zk_md_ctx_free(c);
	if (rc != 0)
		return zk_error(ec, rc, "DS digest failed");
	zk_put_u16(out, zk_dnssec_keytag(dnskey, n));
	out[2] = dnskey[3];
	out[3] = digest_type;
	*outlen = 4 + dl;
	return ZK_OK;
}

/* --------------------------------------------------------------- RRSIG */

uint8_t zk_dnssec_labels(const zk_name_t *owner)
{
	/* RFC 4034 §3.1.3: the root is not counted, nor a leading "*". */
	if (zk_name_is_wildcard(owner))
		return (uint8_t)(owner->labels - 1);
	return owner->labels;
}

int zk_rrsig_parse(const uint8_t *rd, size_t n, zk_rrsig_t *out, zk_errctx_t *ec)
{
	zk_rrsig_t r;
	zk_wire_t w;
	size_t pos = ZK_RRSIG_FIXED;
	int rc;
	zk_wire_init(&w, rd, n);
	r.type_covered = zk_wire_u16(&w);
	r.alg = zk_wire_u8(&w);
	r.labels = zk_wire_u8(&w);
	r.orig_ttl = zk_wire_u32(&w);
	r.expiration = zk_wire_u32(&w);
	r.inception = zk_wire_u32(&w);
	r.keytag = zk_wire_u16(&w);
	if (w.err)
		return zk_error(ec, ZK_ERDATA, "RRSIG rdata too short");
	rc = zk_name_from_wire_plain(&r.signer, rd, n, &pos, ec);
	if (rc != 0)
		return zk_error(ec, rc, "RRSIG signer name is malformed");
	if (pos >= n)
		return zk_error(ec, ZK_ERDATA, "RRSIG has no signature");
	r.fixed_len = pos;
	r.sig = rd + pos;
	r.siglen = n - pos;
	*out = r;
	return ZK_OK;
}

typedef struct canon_rd {
	uint8_t *rd;
	uint16_t len;
} canon_rd_t;

static int canon_cmp(const void *pa, const void *pb)
{
	const canon_rd_t *a = pa, *b = pb;
	return zk_rdata_cmp(a->rd, a->len, b->rd, b->len);
}

int zk_dnssec_signing_input(const uint8_t *fixed, size_t fixed_len, uint8_t labels,
                            uint32_t orig_ttl, const zk_rr_t *rrs, size_t n, zk_buf_t *out,
                            zk_errctx_t *ec)
{
	zk_name_t owner;
	canon_rd_t *v = NULL;
	uint8_t *store = NULL;
	size_t total = 0, off = 0, i;
	uint8_t hdr[10];
	int rc = ZK_OK;
	if (n == 0)
		return zk_error(ec, ZK_EINVAL, "empty RRset");
	for (i = 1; i < n; i++)
		if (rrs[i].type != rrs[0].type || rrs[i].rclass != rrs[0].rclass ||
		    !zk_name_eq(rrs[i].owner, rrs[0].owner))
			return zk_error(ec, ZK_EINVAL, "records are not one RRset");
	/* RFC 4034 §6.2 item 2: owner in lower case. RFC 4035 §5.3.2: a
	 * labels field below the owner's label count means the RRset was
	 * expanded from a wildcard; the signed owner is "*." + the rightmost
	 * `labels` labels. */
	if (labels > rrs[0].owner->labels)
		return zk_error(ec, ZK_EDNSSEC, "RRSIG labels %u exceed the owner's %u", labels,
		                rrs[0].owner->labels);
	if (labels < rrs[0].owner->labels) {
		zk_name_t parent;
		rc = zk_name_parent(&parent, rrs[0].owner, rrs[0].owner->labels - labels);
		if (rc != 0)
			return zk_error(ec, rc, "cannot build the wildcard owner");
		owner.wire[0] = 1;
		owner.wire[1] = '*';
		memcpy(owner.wire + 2, parent.wire, parent.len);
		owner.len = (uint8_t)(parent.len + 2);
		owner.labels = (uint8_t)(parent.labels + 1);
	} else {
		zk_name_copy(&owner, rrs[0].owner);
	}
	zk_name_downcase(&owner);

	for (i = 0; i < n; i++)
		total += rrs[i].rdlen;
	v = calloc(n, sizeof *v);
	store = malloc(total ? total : 1);
	if (v == NULL || store == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	/* §6.2 items 3-4: names inside rdata lower-cased for the types that
	 * say so (RFC 6840 §5.1 trimmed the list), on a copy. */
	for (i = 0; i < n; i++) {
		v[i].rd = store + off;
		v[i].len = rrs[i].rdlen;
		if (rrs[i].rdlen)
			memcpy(v[i].rd, rrs[i].rdata, rrs[i].rdlen);
		zk_rdata_canonicalize(rrs[0].type, v[i].rd, v[i].len);
		off += rrs[i].rdlen;
	}
	/* §6.3: canonical RR order within the set; duplicates are one RR. */
	qsort(v, n, sizeof *v, canon_cmp);

	zk_buf_put(out, fixed, fixed_len);
	zk_put_u16(hdr, rrs[0].type);
	zk_put_u16(hdr + 2, rrs[0].rclass);
	/* §6.2 item 5 / RFC 4035 §5.3.2: the original TTL. */
	hdr[4] = (uint8_t)(orig_ttl >> 24);
	hdr[5] = (uint8_t)(orig_ttl >> 16);
	hdr[6] = (uint8_t)(orig_ttl >> 8);
	hdr[7] = (uint8_t)orig_ttl;
	for (i = 0; i < n; i++) {
		if (i > 0 && canon_cmp(&v[i - 1], &v[i]) == 0)
			continue;
		zk_put_u16(hdr + 8, v[i].len);
		zk_buf_put(out, owner.wire, owner.len);
		zk_buf_put(out, hdr, sizeof hdr);
		zk_buf_put(out, v[i].rd, v[i].len);
	}
	if (out->err)
		rc = zk_error(ec, out->err, "out of memory");
done:
	free(v);
	free(store);
	return rc;
}

/* RRSIG rdata up to the signer name (canonical). */
static size_t rrsig_fixed(uint8_t *p, uint16_t type, uint8_t alg, uint8_t labels, uint32_t ttl,
                          uint32_t exp, uint32_t inc, uint16_t tag, const zk_name_t *signer)
{
	zk_wbuf_t w;
	zk_name_t s;
	zk_wbuf_init(&w, p, ZK_RRSIG_FIXED + ZK_NAME_MAXLEN);
	zk_wbuf_u16(&w, type);
	zk_wbuf_u8(&w, alg);
	zk_wbuf_u8(&w, labels);
	zk_wbuf_u32(&w, ttl);
	zk_wbuf_u32(&w, exp);
	zk_wbuf_u32(&w, inc);
	zk_wbuf_u16(&w, tag);
	/* RFC 4034 §3.1.7 / RFC 6840 §5.1: signer name in canonical form. */
	zk_name_copy(&s, signer);
	zk_name_downcase(&s);
	zk_wbuf_bytes(&w, s.wire, s.len);
	return w.len;
}

int zk_dnssec_sign(const zk_key_t *k, uint16_t keytag, const zk_name_t *signer, const zk_rr_t *rrs,
                   size_t n, uint32_t inception, uint32_t expiration, uint8_t *out, size_t cap,
                   size_t *outlen, zk_errctx_t *ec)
{
	uint8_t fixed[ZK_RRSIG_FIXED + ZK_NAME_MAXLEN];
	size_t fl, sl = 0;
	uint8_t labels;
	zk_buf_t in;
	int rc;
	if (n == 0)
		return zk_error(ec, ZK_EINVAL, "empty RRset");
	if (!zk_name_is_sub(rrs[0].owner, signer))
		return zk_error(ec, ZK_EINVAL, "owner is outside the signer's zone");
	labels = zk_dnssec_labels(rrs[0].owner);
	fl = rrsig_fixed(fixed, rrs[0].type, zk_key_alg(k), labels, rrs[0].ttl, expiration,
	                 inception, keytag, signer);
	if (cap < fl + zk_key_sig_size(k))
		return zk_error(ec, ZK_ESPACE, "RRSIG buffer too small");
	zk_buf_init(&in);
	rc = zk_dnssec_signing_input(fixed, fl, labels, rrs[0].ttl, rrs, n, &in, ec);
	if (rc == 0)
		rc = zk_key_sign(k, (const uint8_t *)in.data, in.len, out + fl, cap - fl, &sl, ec);
	zk_buf_free(&in);
	if (rc != 0)
		return rc;
	memcpy(out, fixed, fl);
	*outlen = fl + sl;
	return ZK_OK;
}

int zk_dnssec_verify(const uint8_t *dnskey, size_t dnskey_len, const uint8_t *rrsig,
                     size_t rrsig_len, const zk_rr_t *rrs, size_t n, zk_errctx_t *ec)
{
	uint8_t fixed[ZK_RRSIG_FIXED + ZK_NAME_MAXLEN];
	zk_rrsig_t r;
	zk_key_t *k = NULL;
	zk_buf_t in;
	int rc;
	if (n == 0)
		return zk_error(ec, ZK_EINVAL, "empty RRset");
	if (dnskey_len < 5)
		return zk_error(ec, ZK_ERDATA, "DNSKEY rdata too short");
	rc = zk_rrsig_parse(rrsig, rrsig_len, &r, ec);
	if (rc != 0)
		return rc;
	/* RFC 4035 §5.3.1: the checks before any cryptography. */
	if (dnskey[2] != 3)
		return zk_error(ec, ZK_EDNSSEC, "DNSKEY protocol is %u, not 3", dnskey[2]);
	if (r.alg != dnskey[3])
		return zk_error(ec, ZK_EDNSSEC,
		                "RRSIG algorithm %u does not match DNSKEY algorithm %u", r.alg,
		                dnskey[3]);
	if (r.keytag != zk_dnssec_keytag(dnskey, dnskey_len))
		return zk_error(ec, ZK_EDNSSEC, "RRSIG key tag %u does not match DNSKEY key tag %u",
		                r.keytag, zk_dnssec_keytag(dnskey, dnskey_len));
	if (r.type_covered != rrs[0].type)
		return zk_error(ec, ZK_EDNSSEC, "RRSIG covers type %u, not %u", r.type_covered,
		                rrs[0].type);
	if (r.labels > rrs[0].owner->labels)
		return zk_error(ec, ZK_EDNSSEC, "RRSIG labels %u exceed the owner's %u", r.labels,
		                rrs[0].owner->labels);
	if (!zk_name_is_sub(rrs[0].owner, &r.signer))
		return zk_error(ec, ZK_EDNSSEC, "RRSIG signer is not an ancestor of the owner");
	rc = zk_key_from_public(dnskey[3], dnskey + 4, dnskey_len - 4, &k, ec);
	if (rc != 0)
		return rc;
	/* RFC 6840 §5.1: the signer name is signed in canonical form. */
	memcpy(fixed, rrsig, ZK_RRSIG_FIXED);
	memcpy(fixed + ZK_RRSIG_FIXED, r.signer.wire, r.signer.len);
	zk_name_downcase_wire(fixed + ZK_RRSIG_FIXED);
	zk_buf_init(&in);
	rc = zk_dnssec_signing_input(fixed, r.fixed_len, r.labels, r.orig_ttl, rrs, n, &in, ec);
	if (rc == 0)
		rc = zk_key_verify(k, (const uint8_t *)in.data, in.len, r.sig, r.siglen, ec);
	zk_buf_free(&in);
	zk_key_free(k);
	return rc;
}

int zk_dnssec_check_window(uint32_t inception, uint32_t expiration, uint32_t now, zk_errctx_t *ec)
{
	/* RFC 4034 §3.1.5: both compared with serial number arithmetic. */
	int a = zk_serial_cmp(inception, now), b = zk_serial_cmp(now, expiration);
	if (a == 1 || a == 2)
		return zk_error(ec, ZK_EDNSSEC, "signature not yet valid (inception %u, now %u)",
		                inception, now);
	if (b == 1 || b == 2)
		return zk_error(ec, ZK_EDNSSEC, "signature expired (expiration %u, now %u)",
		                expiration, now);
	return ZK_OK;
}

int zk_dnssec_verify_keyset(const zk_rr_t *keys, size_t nkeys, const zk_rr_t *sigs, size_t nsigs,
                            uint32_t now, unsigned *good, zk_errctx_t *ec)
{
	unsigned ok = 0;
	int rc;
	if (nkeys == 0)
		return zk_error(ec, ZK_EDNSSEC, "no DNSKEY records");
	if (nsigs == 0)
		return zk_error(ec, ZK_EDNSSEC, "the DNSKEY RRset is not signed");
	for (size_t k = 0; k < nkeys; k++)
		if (keys[k].type != ZK_TYPE_DNSKEY || !zk_name_eq(keys[k].owner, keys[0].owner))
			return zk_error(ec, ZK_EINVAL, "records are not one DNSKEY RRset");
	for (size_t s = 0; s < nsigs; s++) {
		const zk_rr_t *key = NULL;
		zk_rrsig_t r;
		rc = zk_rrsig_parse(sigs[s].rdata, sigs[s].rdlen, &r, ec);
		if (rc != 0)
			return rc;
		if (r.type_covered != ZK_TYPE_DNSKEY)
			return zk_error(ec, ZK_EDNSSEC, "an RRSIG covers type %u, not DNSKEY",
			                r.type_covered);
		/* Key tags collide (RFC 4034 Appendix B): try every match. */
		rc = ZK_EDNSSEC;
		for (size_t k = 0; k < nkeys && rc != 0; k++) {
			if (keys[k].rdlen < 5 || keys[k].rdata[3] != r.alg ||
			    zk_dnssec_keytag(keys[k].rdata, keys[k].rdlen) != r.keytag)
				continue;
			key = &keys[k];
			rc = zk_dnssec_verify(key->rdata, key->rdlen, sigs[s].rdata, sigs[s].rdlen,
			                      keys, nkeys, ec);
		}
		if (key == NULL)
			return zk_error(ec, ZK_EDNSSEC,
			                "RRSIG by key %u (algorithm %u): no such DNSKEY in the set",
			                r.keytag, r.alg);
		if (rc != 0) {
			char msg[sizeof ec->msg];
			snprintf(msg, sizeof msg, "%s", ec ? ec->msg : "");
			return zk_error(ec, rc, "RRSIG by key %u: %s", r.keytag, msg);
		}
		if (!zk_name_eq(&r.signer, keys[0].owner))
			return zk_error(ec, ZK_EDNSSEC, "RRSIG by key %u: signer is not the zone",
			                r.keytag);
		rc = zk_dnssec_check_window(r.inception, r.expiration, now, ec);
		if (rc != 0) {
			char msg[sizeof ec->msg];
			snprintf(msg, sizeof msg, "%s", ec ? ec->msg : "");
			return zk_error(ec, rc, "RRSIG by key %u: %s", r.keytag, msg);
		}
		ok++;
	}
	if (good != NULL)
		*good = ok;
	return ZK_OK;
}
