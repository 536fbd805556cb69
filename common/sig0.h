/* sig0 — SIG(0) transaction signatures (RFC 2931): sign a rendered
 * request (or, for test responders, a reply) with a KEY/DNSKEY private
 * key, and verify a message's SIG(0) with the signer's public KEY.
 *
 * The SIG(0) RR (RFC 2931 §3): owner the root, type SIG, class ANY, TTL 0;
 * rdata type covered 0, algorithm, labels 0, original TTL 0, expiration,
 * inception, key tag, signer name (the key's owner), signature. The
 * signature covers that rdata without the signature, then (replies only)
 * the whole request as sent, then the message as it was before the SIG
 * RR was added (ARCOUNT one lower).
 *
 * Time is passed in; nothing here reads the clock. */
#ifndef ZK_SIG0_H
#define ZK_SIG0_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "err.h"
#include "msg.h"
#include "name.h"
#include "wire.h"

/* RFC 2931 §3: a short validity window guards against replay; BIND signs
 * with now - 300 .. now + 300 as we do. */
#define ZK_SIG0_FUDGE 300

/* Fixed rdata octets before the signer name (as RRSIG, RFC 4034 §3.1). */
#define ZK_SIG0_FIXED 18

typedef struct zk_sig0_signer {
	const zk_key_t *key; /* private key */
	uint16_t keytag;     /* of its KEY/DNSKEY rdata (RFC 4034 App. B) */
	zk_name_t name;      /* the key's owner name: the signer */
} zk_sig0_signer_t;

/* Sign the message in w (rendered, without SIG(0)): append the SIG RR and
 * increment ARCOUNT. request/reqlen: NULL for a request; for a reply the
 * request exactly as received (RFC 2931 §3.1). The window is
 * [inception, expiration] (seconds since the epoch, mod 2^32). */
int zk_sig0_sign(const zk_sig0_signer_t *s, zk_wbuf_t *w, uint32_t inception, uint32_t expiration,
                 const uint8_t *request, size_t reqlen, zk_errctx_t *ec);

/* What a SIG(0) rdata says (signer and signature point into the rdata). */
typedef struct zk_sig0_info {
	uint16_t type_covered; /* 0 for SIG(0) */
	uint8_t alg;
	uint8_t labels;
	uint32_t orig_ttl;
	uint32_t expiration, inception;
	uint16_t keytag;
	zk_name_t signer;
	const uint8_t *sig;
	size_t siglen;
	size_t fixed_len; /* octets before the signature */
} zk_sig0_info_t;

/* Parse SIG rdata. ZK_ERDATA when malformed. */
int zk_sig0_parse(const uint8_t *rd, size_t n, zk_sig0_info_t *out, zk_errctx_t *ec);

/* Verify the SIG(0) of a message. raw/len: the message as received; m its
 * parse (zk_msg_parse takes the closing SIG(0) out into m->sig). key: the
 * KEY (or DNSKEY) rdata of the signer, keyname its owner. request/reqlen:
 * the request as sent when m is a reply, else NULL. now: seconds since
 * the epoch. 0 when it verifies; ZK_EDNSSEC with a reason otherwise
 * (no SIG(0), another signer/algorithm/key tag, outside its window,
 * signature wrong); ZK_EKEY for an unusable key. */
int zk_sig0_verify(const uint8_t *raw, size_t len, const zk_msg_t *m, const uint8_t *key,
                   size_t keylen, const zk_name_t *keyname, const uint8_t *request, size_t reqlen,
                   uint32_t now, zk_errctx_t *ec);

#endif
