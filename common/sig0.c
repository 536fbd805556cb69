/* sig0 — SIG(0) transaction signatures (RFC 2931).
 *
 * The signed data (RFC 2931 §3.1, RFC 2535 §4.1.8.1): the SIG rdata
 * without its signature, then — for a reply — the request exactly as it
 * was sent (with its own SIG(0)), then the message without the SIG(0) RR
 * and with ARCOUNT counting it out. The verifier rebuilds that from the
 * octets received, never from a re-rendering, so compression choices of
 * the sender cannot change what is checked.
 *
 * Threats on the verify side: the message and its SIG rdata come from the
 * network. The rdata is parsed with bounds checks (a short rdata or a bad
 * signer name is ZK_ERDATA); the signature is only ever handed to the
 * crypto module with its length; sig_offset from msg is checked against
 * the message length before it is used. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rdata.h"
#include "rr.h"
#include "rrtype.h"
#include "sig0.h"

int zk_sig0_parse(const uint8_t *rd, size_t n, zk_sig0_info_t *out, zk_errctx_t *ec)
{
	zk_sig0_info_t s;
	zk_wire_t w;
	size_t pos = ZK_SIG0_FIXED;

	zk_wire_init(&w, rd, n);
	s.type_covered = zk_wire_u16(&w);
	s.alg = zk_wire_u8(&w);
	s.labels = zk_wire_u8(&w);
	s.orig_ttl = zk_wire_u32(&w);
	s.expiration = zk_wire_u32(&w);
	s.inception = zk_wire_u32(&w);
	s.keytag = zk_wire_u16(&w);
	if (w.err)
		return zk_error(ec, ZK_ERDATA, "SIG rdata of %zu octets is too short", n);
	if (zk_name_from_wire_plain(&s.signer, rd, n, &pos, NULL) < 0)
		return zk_error(ec, ZK_ERDATA, "bad signer name in SIG rdata");
	s.fixed_len = pos;
	s.sig = rd + pos;
	s.siglen = n - pos;
	*out = s;
	return 0;
}

/* RFC 2931 §3: SIG(0) rdata without the signature. */
static void put_fixed(zk_wbuf_t *w, uint8_t alg, uint16_t keytag, const zk_name_t *signer,
                      uint32_t inception, uint32_t expiration)
{
	zk_wbuf_u16(w, 0); /* type covered */
	zk_wbuf_u8(w, alg);
	zk_wbuf_u8(w, 0);  /* labels */
	zk_wbuf_u32(w, 0); /* original TTL */
	zk_wbuf_u32(w, expiration);
	zk_wbuf_u32(w, inception);
	zk_wbuf_u16(w, keytag);
	zk_name_to_wire(signer, w);
}

int zk_sig0_sign(const zk_sig0_signer_t *s, zk_wbuf_t *w, uint32_t inception, uint32_t expiration,
                 const uint8_t *request, size_t reqlen, zk_errctx_t *ec)
{
	uint8_t fixed[ZK_SIG0_FIXED + ZK_NAME_MAXLEN];
	zk_wbuf_t fw;
	zk_buf_t data;
	uint8_t *sig = NULL;
	size_t cap, siglen = 0, rdlen;
	int rc;

	if (w->err || w->len < ZK_MSG_HDRLEN)
		return zk_error(ec, ZK_EINVAL, "no message to sign");
	if (s->key == NULL || !zk_key_is_private(s->key))
		return zk_error(ec, ZK_EKEY, "SIG(0) needs a private key");
	zk_wbuf_init(&fw, fixed, sizeof(fixed));
	put_fixed(&fw, zk_key_alg(s->key), s->keytag, &s->name, inception, expiration);

	zk_buf_init(&data);
	zk_buf_put(&data, fixed, fw.len);
	if (request != NULL)
		zk_buf_put(&data, request, reqlen);
	zk_buf_put(&data, w->buf, w->len);
	if (data.err) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto fail;
	}
	cap = zk_key_sig_size(s->key);
	sig = malloc(cap ? cap : 1);
	if (sig == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto fail;
	}
	rc = zk_key_sign(s->key, (const uint8_t *)data.data, data.len, sig, cap, &siglen, ec);
	if (rc < 0)
		goto fail;

	rdlen = fw.len + siglen;
	uint16_t arcount = zk_get_u16(w->buf + 10);
	zk_wbuf_u8(w, 0); /* owner: the root */
	zk_wbuf_u16(w, ZK_TYPE_SIG);
	zk_wbuf_u16(w, ZK_CLASS_ANY);
	zk_wbuf_u32(w, 0);
	zk_wbuf_u16(w, (uint16_t)rdlen);
	zk_wbuf_bytes(w, fixed, fw.len);
	zk_wbuf_bytes(w, sig, siglen);
	if (w->err) {
		rc = zk_error(ec, w->err, "no room for the SIG(0) record");
		goto fail;
	}
	zk_put_u16(w->buf + 10, (uint16_t)(arcount + 1));
	rc = 0;
fail:
	free(sig);
	zk_buf_free(&data);
	return rc;
}

int zk_sig0_verify(const uint8_t *raw, size_t len, const zk_msg_t *m, const uint8_t *key,
                   size_t keylen, const zk_name_t *keyname, const uint8_t *request, size_t reqlen,
                   uint32_t now, zk_errctx_t *ec)
{
	zk_sig0_info_t si;
	zk_key_t *k = NULL;
	zk_buf_t data;
	uint8_t hdr[ZK_MSG_HDRLEN];
	int rc;

	if (m->sig == NULL || m->sig->type != ZK_TYPE_SIG)
		return zk_error(ec, ZK_EDNSSEC, "the message has no SIG(0)");
	if (m->sig_offset < ZK_MSG_HDRLEN || m->sig_offset > len || len < ZK_MSG_HDRLEN)
		return zk_error(ec, ZK_EDNSSEC, "SIG(0) outside the message");
	rc = zk_sig0_parse(m->sig->rdata, m->sig->rdlen, &si, ec);
	if (rc < 0)
		return zk_error(ec, ZK_EDNSSEC, "malformed SIG(0) record");
	/* RFC 2931 §3: owner root, class ANY, TTL 0; type covered and
	 * labels 0. */
	if (m->sig->owner->len != 1 || m->sig->rclass != ZK_CLASS_ANY || si.type_covered != 0)
		return zk_error(ec, ZK_EDNSSEC, "not a SIG(0) record (RFC 2931 §3)");
	if (keylen < 4)
		return zk_error(ec, ZK_EKEY, "KEY rdata of %zu octets", keylen);
	if (!zk_name_eq(&si.signer, keyname)) {
		char a[ZK_NAME_TEXTMAX], b[ZK_NAME_TEXTMAX];
		zk_name_to_cstr(&si.signer, a, sizeof(a));
		zk_name_to_cstr(keyname, b, sizeof(b));
		return zk_error(ec, ZK_EDNSSEC, "SIG(0) signed by %s, expected %s", a, b);
	}
	if (si.alg != key[3] || si.keytag != zk_rdata_keytag(key, keylen))
		return zk_error(ec, ZK_EDNSSEC,
		                "SIG(0) made by key %u algorithm %u, not by key %u algorithm %u",
		                si.keytag, si.alg, zk_rdata_keytag(key, keylen), key[3]);
	if (zk_serial_cmp(si.inception, now) > 0 || zk_serial_cmp(now, si.expiration) > 0)
		return zk_error(ec, ZK_EDNSSEC,
		                "SIG(0) valid from %u to %u, outside it at %u (clock skew?)",
		                si.inception, si.expiration, now);
	rc = zk_key_from_public(si.alg, key + 4, keylen - 4, &k, ec);
	if (rc < 0)
		return zk_error(ec, ZK_EKEY, "cannot use the KEY: %s", zk_strerror(rc));

	zk_buf_init(&data);
	zk_buf_put(&data, m->sig->rdata, si.fixed_len);
	if (request != NULL)
		zk_buf_put(&data, request, reqlen);
	memcpy(hdr, raw, sizeof(hdr));
	zk_put_u16(hdr + 10, (uint16_t)(zk_get_u16(raw + 10) - 1));
	zk_buf_put(&data, hdr, sizeof(hdr));
	zk_buf_put(&data, raw + ZK_MSG_HDRLEN, m->sig_offset - ZK_MSG_HDRLEN);
	if (data.err) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto out;
	}
	rc = zk_key_verify(k, (const uint8_t *)data.data, data.len, si.sig, si.siglen, ec);
	if (rc == ZK_EDNSSEC)
		rc = zk_error(ec, ZK_EDNSSEC, "the SIG(0) signature does not verify");
out:
	zk_buf_free(&data);
	zk_key_free(k);
	return rc;
}
