/* tsig — TSIG (RFC 8945): sign requests, verify replies and multi-message
 * streams (zone transfers), every HMAC incl. truncated MACs (RFC 4635 §3),
 * and the key formats operators have: "[alg:]name:secret" strings, BIND
 * `key "name" { algorithm ...; secret "..."; };` blocks, and the old
 * dnssec-keygen HMAC .private files. */
#ifndef ZK_TSIG_H
#define ZK_TSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "crypto.h"
#include "err.h"
#include "msg.h"
#include "name.h"
#include "wire.h"

#define ZK_TSIG_SECRET_MAX 512
#define ZK_TSIG_FUDGE      300

typedef struct zk_tsig_key {
	zk_name_t name; /* key name as written (compared case-insensitively) */
	zk_name_t alg;  /* algorithm name on the wire ("hmac-sha256.") */
	zk_md_t md;
	size_t mac_len; /* MAC octets we send and require at least (truncation) */
	bool truncated; /* mac_len < the full digest (hmac-sha256-128 style) */
	uint8_t secret[ZK_TSIG_SECRET_MAX];
	size_t secret_len;
} zk_tsig_key_t;

/* "hmac-sha256", "hmac-sha256-128", "hmac-md5", "HMAC-MD5.SIG-ALG.REG.INT",
 * case-insensitive, with or without a final dot. Fills md, alg, mac_len and
 * truncated of k. ZK_EUNSUPP for an unknown name, ZK_ERANGE for a
 * truncation below RFC 8945 §5.2.2.1's floor (10 octets, half the hash). */
int zk_tsig_key_set_alg(zk_tsig_key_t *k, const char *alg, size_t n, zk_errctx_t *ec);

/* name, algorithm text and base64 secret. */
int zk_tsig_key_init(zk_tsig_key_t *k, const char *name, const char *alg, const char *secret_b64,
                     zk_errctx_t *ec);

/* "[alg:]name:secret" as dig -y and nsupdate -y take it (default
 * algorithm hmac-sha256, as BIND 9.18). */
int zk_tsig_key_from_string(zk_tsig_key_t *k, const char *s, zk_errctx_t *ec);

/* Keys from text: BIND `key "name" { algorithm a; secret "s"; };` blocks
 * (a named.conf include or tsig-keygen output; comments allowed), or a
 * dnssec-keygen HMAC .private file ("Algorithm: 163 (HMAC_SHA256)",
 * "Key: ..."; the key name then comes from name_hint). Returns the number
 * of keys stored in keys[0..max) or a negative error; ec gets line:col. */
int zk_tsig_keys_parse(const char *text, size_t n, const char *name_hint, zk_tsig_key_t *keys,
                       size_t max, zk_errctx_t *ec);

/* The state of one exchange or one stream of replies. */
typedef struct zk_tsig_ctx {
	const zk_tsig_key_t *key;
	uint16_t fudge;
	uint8_t mac[ZK_MD_MAXSIZE]; /* last MAC sent or accepted */
	size_t mac_len;
	bool have_mac;
	unsigned replies;      /* replies verified so far */
	unsigned unsigned_run; /* unsigned messages since the last signed one */
	zk_hmac_ctx_t *run;    /* MAC over the unsigned run (streams) */
	uint64_t last_time;    /* Time Signed of the last verified reply */
	uint16_t last_error;   /* TSIG error field of the last reply */
} zk_tsig_ctx_t;

void zk_tsig_ctx_init(zk_tsig_ctx_t *c, const zk_tsig_key_t *k, uint16_t fudge);
void zk_tsig_ctx_free(zk_tsig_ctx_t *c);

/* Sign the message in w (rendered, without TSIG): append the TSIG RR and
 * increment ARCOUNT. A request when c holds no MAC yet; otherwise the
 * stored MAC is the request MAC (a signed reply, for test responders).
 * now: seconds since the epoch. The MAC is kept in c for the reply. */
int zk_tsig_sign(zk_tsig_ctx_t *c, zk_wbuf_t *w, uint64_t now, uint16_t error, zk_errctx_t *ec);

/* Outcome of verifying one reply. */
typedef enum zk_tsig_status {
	ZK_TSIG_OK = 0,
	ZK_TSIG_UNSIGNED,     /* no TSIG on a reply to a signed request */
	ZK_TSIG_UNSIGNED_OK,  /* unsigned message inside a stream (<= 99 in a row) */
	ZK_TSIG_BADKEY,       /* not our key name or algorithm */
	ZK_TSIG_BADSIG,       /* MAC wrong */
	ZK_TSIG_BADTIME,      /* outside the fudge window */
	ZK_TSIG_BADTRUNC,     /* MAC shorter than allowed */
	ZK_TSIG_FORMERR,      /* malformed TSIG */
	ZK_TSIG_SERVER_ERROR, /* the server reported a TSIG error (last_error) */
} zk_tsig_status_t;

const char *zk_tsig_status_text(zk_tsig_status_t s);

/* Verify one reply, in RFC 8945 §5.2 order: key, MAC, time, truncation.
 * raw/len is the message as received; m its parse (zk_msg_parse takes a
 * closing TSIG out into m->sig). In a stream (stream true: second and
 * later messages of a zone transfer) up to 99 unsigned messages may sit
 * between signed ones (§5.3.1). Returns 0 with *status ZK_TSIG_OK or
 * ZK_TSIG_UNSIGNED_OK, or ZK_ETSIG with *status and ec saying why. */
int zk_tsig_verify(zk_tsig_ctx_t *c, const uint8_t *raw, size_t len, const zk_msg_t *m,
                   uint64_t now, bool stream, zk_tsig_status_t *status, zk_errctx_t *ec);

/* End of a stream: the last message must have been signed. */
int zk_tsig_stream_end(const zk_tsig_ctx_t *c, zk_errctx_t *ec);

/* ---------------------------------------------------------------- */
/* The pieces every TSIG flavour shares (HMAC here, GSS-API in gss.c,
 * which RFC 3645 §5.2 makes cover the same octets). */

/* The octets a TSIG MAC covers (RFC 8945 §4.3). Appended to out, in order:
 *   prior MAC (prior_len != 0: MAC Size + MAC; a reply's request MAC or a
 *     stream's previous MAC),
 *   msg[0..msg_len) with, when orig_id >= 0, the ID replaced by orig_id
 *     and ARCOUNT one lower (a received message whose TSIG RR starts at
 *     msg_len; orig_id < 0: a message we are about to sign, as it is),
 *   the TSIG variables: key name and algorithm lower-cased, class ANY,
 *     TTL 0, time signed, fudge, error, other len and data; or, when
 *     timers_only (later messages of a stream, §5.3.1), time and fudge.
 * Returns 0 or ZK_ENOMEM (out->err) / ZK_EINVAL (msg shorter than a
 * header). */
typedef struct zk_tsig_vars {
	const zk_name_t *key, *alg;
	uint64_t time;
	uint16_t fudge, error, other_len;
	const uint8_t *other;
	bool timers_only;
} zk_tsig_vars_t;

int zk_tsig_mac_input(zk_buf_t *out, const uint8_t *prior, size_t prior_len, const uint8_t *msg,
                      size_t msg_len, int32_t orig_id, const zk_tsig_vars_t *v);

/* TSIG rdata (RFC 8945 §4.2), pointing into the rdata it was read from. */
typedef struct zk_tsig_rdata {
	zk_name_t alg;
	uint64_t time;
	uint16_t fudge, mac_len, orig_id, error, other_len;
	const uint8_t *mac, *other;
} zk_tsig_rdata_t;

/* ZK_EMSG when a length runs past the rdata or octets are left over. */
int zk_tsig_rdata_parse(const uint8_t *rd, size_t n, zk_tsig_rdata_t *t);

/* Append the TSIG RR to the message in w and increment its ARCOUNT; the
 * Original ID is the message's. Errors stick in w->err. */
void zk_tsig_append(zk_wbuf_t *w, const zk_name_t *key, const zk_name_t *alg, uint64_t time,
                    uint16_t fudge, const uint8_t *mac, size_t mac_len, uint16_t error);

#endif
