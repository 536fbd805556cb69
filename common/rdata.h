/* rdata — rdata wire <-> text, driven by the rrtype table.
 *
 * Stored rdata is always uncompressed wire form. Names inside keep their
 * case; zk_rdata_canonicalize lower-cases them where RFC 4034 §6.2 (as
 * amended by RFC 6840 §5.1) says so. RFC 3597 "\# len hex" is accepted for
 * every type and goes through the same wire validation as the wire path. */
#ifndef ZK_RDATA_H
#define ZK_RDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "compress.h"
#include "err.h"
#include "name.h"
#include "wire.h"

#define ZK_RDATA_MAXLEN 65535

/* A token of presentation text as the zone-file lexer (or a command line)
 * gives it. Escapes are NOT decoded: each field parser decodes them, since
 * "\." means something different in a name and in a string. */
typedef struct zk_token {
	const char *s;
	size_t n;
	bool quoted;        /* was inside double quotes (quotes not included) */
	unsigned line, col; /* where it starts, 1-based; 0 = unknown */
} zk_token_t;

/* Split one piece of presentation text into tokens: blanks separate,
 * "..." is one token, \X escapes are kept as written, parentheses are
 * dropped, ';' starts a comment to the end of the line. Tokens point into s.
 * ZK_ESYNTAX for an unterminated quote or unbalanced parenthesis,
 * ZK_ELIMIT when more than max tokens. */
int zk_text_tokenize(const char *s, size_t n, zk_token_t *toks, size_t max, size_t *ntok,
                     zk_errctx_t *ec);

/* Presentation tokens to uncompressed wire rdata. Relative names are
 * completed with origin (root when NULL). On error ec gets the token's
 * line/col (when the token has them) and a message naming the field. */
int zk_rdata_from_text(uint16_t type, const zk_token_t *toks, size_t ntok, const zk_name_t *origin,
                       uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);

/* Validate uncompressed wire rdata against the type's layout (unknown
 * types: anything goes). ec->offset is the offset inside the rdata. */
int zk_rdata_check(uint16_t type, const uint8_t *rd, size_t n, zk_errctx_t *ec);

/* Rdata of a received message: msg[off .. off+rdlen). Names are
 * decompressed where the type allows (RFC 3597 §4), pointers elsewhere are
 * ZK_EPTR; the result is validated and written uncompressed. A name may not
 * run past off+rdlen (ZK_ERDLEN). ec->offset is an offset into msg. */
int zk_rdata_from_wire(uint16_t type, const uint8_t *msg, size_t msglen, size_t off, uint16_t rdlen,
                       uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);

/* Render rdata (without RDLENGTH) compressing names only where RFC 3597 §4
 * allows it (c may be NULL). Errors stick in w->err. */
void zk_rdata_to_wire(uint16_t type, const uint8_t *rd, size_t n, zk_wbuf_t *w, zk_compress_t *c);

/* Text flags for zk_rdata_to_text. */
enum {
	ZK_RDTEXT_MULTILINE = 1 << 0, /* dig +multiline: "( ... )" over lines */
	ZK_RDTEXT_COMMENTS = 1 << 1,  /* dig +rrcomments: "; KSK; alg = ... ; key id = N"
	                                 after keys; with MULTILINE also SOA "; serial",
	                                 "; refresh (1 hour)" ..., DHCID */
	ZK_RDTEXT_GENERIC = 1 << 2,   /* always RFC 3597 \# form */
	ZK_RDTEXT_NOCRYPTO = 1 << 3,  /* dig +nocrypto: keys "[key id = N]", RRSIG signatures,
	                                 DS/ZONEMD digests, OPENPGPKEY "[omitted]" */
	ZK_RDTEXT_NOSPLIT = 1 << 4,   /* base64/hex in one piece (default: BIND's
	                                 56-character chunks, 44 in multiline) */
};

/* Presentation form as BIND prints it (field order, escaping, base64/hex
 * case, time formats, SVCB key order). Appends to out. Malformed input
 * falls back to the \# form and returns ZK_ERDATA. In multiline style the
 * continuation lines start with `indent` (e.g. "\t\t\t\t"). */
int zk_rdata_to_text(uint16_t type, const uint8_t *rd, size_t n, unsigned flags, const char *indent,
                     zk_buf_t *out);

/* RFC 4034 §6.2 / RFC 6840 §5.1: lower-case embedded names in place for
 * the types that require it. */
void zk_rdata_canonicalize(uint16_t type, uint8_t *rd, size_t n);

/* RFC 4034 Appendix B key tag of DNSKEY/KEY/CDNSKEY/RKEY rdata (flags,
 * protocol, algorithm, key), App. B.1 for algorithm 1 (RSA/MD5). (dig's
 * "key id" comments use the App. B sum for every algorithm, as BIND does;
 * the two differ only for algorithm 1.) */
uint16_t zk_rdata_keytag(const uint8_t *rd, size_t n);

/* DNSSEC algorithm mnemonic as BIND prints it ("ECDSAP256SHA256") or NULL. */
const char *zk_rdata_secalg_name(uint8_t alg);

/* Canonical rdata order (RFC 4034 §6.3): octet-wise, shorter first. Both
 * must already be canonical. */
int zk_rdata_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);

#endif
