/* rdata_int — internal to rrtype.c and rdata*.c: the field kinds of the
 * type table and the hooks of the odd types. Not part of the public API. */
#ifndef ZK_RDATA_INT_H
#define ZK_RDATA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "name.h"
#include "rdata.h"
#include "rrtype.h"
#include "wire.h"

/* Field kinds. A row lists them in wire order; a kind marked "rest" must
 * be last and takes the remaining octets (and remaining tokens). */
enum {
	F_END = 0,
	F_NAME,     /* domain name; compression/downcase per the type's flags */
	F_U8,       /* decimal 0..255 */
	F_U16,      /* decimal 0..65535 */
	F_U32,      /* decimal 0..4294967295 */
	F_TTL,      /* u32, text also as BIND TTL units (1h30m): SOA timers */
	F_TIME,     /* u32 seconds, text YYYYMMDDHHMMSS or decimal (RRSIG) */
	F_U48,      /* 48-bit decimal (TSIG time signed) */
	F_A,        /* 4 octets, dotted quad */
	F_AAAA,     /* 16 octets, RFC 5952 text */
	F_STR,      /* <character-string> */
	F_STRS,     /* rest: one or more <character-string>s */
	F_B64,      /* rest: base64, at least one octet */
	F_B64Z,     /* rest: base64, may be empty */
	F_HEX,      /* rest: hex, at least one octet */
	F_HEXZ,     /* rest: hex, may be empty */
	F_SALT,     /* u8 length + octets, hex or "-" (NSEC3 salt) */
	F_B32,      /* u8 length + octets, base32hex (NSEC3 next hash) */
	F_BITMAP,   /* rest: RFC 4034 §4.1.2 type bitmap, may be empty */
	F_BITMAPNE, /* rest: the same, at least one type (NSEC, as BIND) */
	F_TYPE,     /* u16 type, text mnemonic */
	F_SIGTYPE,  /* u16 type, mnemonic when known, else decimal (SIG, as BIND) */
	F_SECALG,   /* u8 DNSSEC algorithm: mnemonic accepted, printed as number */
	F_DIGEST,   /* u8 DS digest type: mnemonic accepted, printed as number */
	F_DSHEX,    /* rest: DS digest, hex; length checked for known digests */
	F_ZMDHEX,   /* rest: ZONEMD digest, hex; >= 12 octets, exact for SHA384/512 */
	F_FPHEX,    /* rest: SSHFP fingerprint, hex; exact for SHA-1/SHA-256 */
	F_KEYB64,   /* rest: KEY data, base64; empty only with the NOKEY flags */
	F_CERTTYPE, /* u16 CERT type, mnemonic in and out (RFC 4398 §2.1) */
	F_CERTALG,  /* u8 algorithm, mnemonic in and out (CERT) */
	F_SVCB,     /* rest: SvcParams (RFC 9460 §2.2) */
	F_NXTBM,    /* rest: NXT bitmap (RFC 2535 §5.2) */
	F_B64L16,   /* u16 length + octets, printed "len base64" (TKEY/TSIG) */
	F_TSIGERR,  /* u16 extended rcode, mnemonic (TKEY/TSIG error) */
	F_STRTAIL,  /* rest: octets as one quoted string (URI target, CAA value) */
	F_EUI48,    /* 6 octets xx-xx-xx-xx-xx-xx */
	F_EUI64,    /* 8 octets xx-...-xx */
	F_ILNP64,   /* 8 octets as four 16-bit hex groups (NID, L64) */
	F_SCHEME,   /* u8 DSYNC scheme, mnemonic in and out */
	F_CAATAG,   /* u8 length + alphanumeric tag, unquoted */
	F_B64DASH,  /* rest: base64, or "-" for empty (DOA data) */
	F_X25,      /* <character-string> of digits, at least 4 */
	F_STROPT,   /* rest: zero or one <character-string> (ISDN subaddress) */
	F_GENERIC,  /* rest: no type-specific text form; only \# (NULL, ...) */
	F_ODD,      /* the type's hooks do everything */
	F_KINDS
};

#define ZK_RD_MAXFIELDS 10

/* Odd types: one function per job. */
typedef struct rd_odd {
	int (*check)(const uint8_t *rd, size_t n, zk_errctx_t *ec);
	int (*from_text)(const zk_token_t *t, size_t nt, const zk_name_t *origin, zk_wbuf_t *w,
	                 zk_errctx_t *ec);
	/* Returns -1 without writing when the data has no type-specific text
	 * that reads back to the same octets (the caller prints \# then). */
	int (*to_text)(const uint8_t *rd, size_t n, unsigned flags, const char *indent,
	               zk_buf_t *out);
} rd_odd_t;

/* Multiline layouts, as dig +multiline prints them (BIND's totext with
 * DNS_STYLEFLAG_MULTILINE). `paren` is the field index the style needs.
 * ML_REST: "f0 f1 f2 (" NL chunks NL chunks " )" (DS, TLSA, CERT, ...);
 *   nothing wrapped when the last field is empty.
 * ML_KEY: the same, closed by NL ")" and the key comment (DNSKEY, KEY).
 * ML_SIG: "f0..f(k-1) (" NL "fk ... signer" NL chunks " )" (RRSIG, SIG).
 * ML_NSEC3: "... (" NL next NL one bitmap window per line " )".
 * ML_WHOLE: "( f0 ... " chunks on lines " )" (OPENPGPKEY, DHCID, EID).
 * ML_SPACE: " (" chunks " )" (HHIT, BRID: BIND prints " (" first).
 * ML_SOA: one timer per line with comments. */
enum { ML_NONE = 0, ML_REST, ML_KEY, ML_SIG, ML_NSEC3, ML_WHOLE, ML_SPACE, ML_SOA };

typedef struct zk_rrdesc {
	zk_rrtype_t t;
	uint8_t fields[ZK_RD_MAXFIELDS];
	uint8_t ml;    /* ML_* */
	uint8_t paren; /* field index for ML_REST/KEY/SIG/NSEC3 */
	const rd_odd_t *odd;
} zk_rrdesc_t;

/* The row for a type, or NULL. */
const zk_rrdesc_t *zk_rrdesc_get(uint16_t type);

/* Odd-type hooks (rdata_odd.c, rdata_svcb.c). */
extern const rd_odd_t zk_odd_wks, zk_odd_loc, zk_odd_apl, zk_odd_a6, zk_odd_nsap, zk_odd_atma,
    zk_odd_ipseckey, zk_odd_amtrelay, zk_odd_hip, zk_odd_opt;

/* Split width of base64/hex in one-line text (named-rrchecker -p and dig:
 * chunks of 56 characters separated by a space) and in dig +multiline (44). */
#define SPLIT_LINE  56
#define SPLIT_MULTI 44

/* A token in error messages: at most 40 characters of it. */
#define TOKF    "'%.*s%s'"
#define TOKA(t) (int)((t)->n > 40 ? 40 : (t)->n), (t)->s, ((t)->n > 40 ? "..." : "")

/* Kinds that take the rest of the rdata (and of the tokens). */
static inline bool is_rest(unsigned k)
{
	switch (k) {
	case F_STRS:
	case F_B64:
	case F_B64Z:
	case F_HEX:
	case F_HEXZ:
	case F_BITMAP:
	case F_BITMAPNE:
	case F_DSHEX:
	case F_ZMDHEX:
	case F_FPHEX:
	case F_KEYB64:
	case F_SVCB:
	case F_NXTBM:
	case F_STRTAIL:
	case F_B64DASH:
	case F_STROPT:
	case F_GENERIC: return true;
	default: return false;
	}
}

/* Mnemonic tables (rdata_text.c), ended by {0, NULL}. */
typedef struct zk_rd_mnem {
	unsigned v;
	const char *s;
} zk_rd_mnem_t;
extern const zk_rd_mnem_t zk_rd_secalgs[], zk_rd_certtypes[], zk_rd_digests[], zk_rd_schemes[];
const char *zk_rd_mnem_name(const zk_rd_mnem_t *tab, unsigned v);
/* A decimal up to max, or a mnemonic of tab (any case). */
int zk_rd_mnem_in(const zk_token_t *t, const zk_rd_mnem_t *tab, uint64_t max, uint64_t *v,
                  const char *what, zk_errctx_t *ec);

int zk_rd_ttl(const zk_token_t *t, uint32_t *v, const char *what, zk_errctx_t *ec);
int zk_rd_time(const zk_token_t *t, uint32_t *v, const char *what, zk_errctx_t *ec);
void zk_rd_time_text(uint32_t t, zk_buf_t *out);
int zk_rd_hexval(unsigned char c);
void zk_rd_put_u64(zk_buf_t *out, uint64_t v);

/* Shared helpers of rdata*.c. */
int zk_rd_svcb_check(const uint8_t *p, size_t n, size_t base, zk_errctx_t *ec);
int zk_rd_svcb_from_text(const zk_token_t *t, size_t nt, zk_wbuf_t *w, zk_errctx_t *ec);
void zk_rd_svcb_to_text(const uint8_t *p, size_t n, zk_buf_t *out);

int zk_rd_err_tok(zk_errctx_t *ec, int code, const zk_token_t *t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Decode one token with escapes (\X, \DDD) into out; ZK_ESYNTAX/ZK_ESPACE. */
int zk_rd_unescape(const zk_token_t *t, uint8_t *out, size_t cap, size_t *outlen, zk_errctx_t *ec);
int zk_rd_num(const zk_token_t *t, uint64_t max, uint64_t *v, const char *what, zk_errctx_t *ec);
int zk_rd_ipv4(const char *s, size_t n, uint8_t out[4]);
int zk_rd_ipv6(const char *s, size_t n, uint8_t out[16]);
void zk_rd_ipv4_text(const uint8_t *a, zk_buf_t *out);
void zk_rd_ipv6_text(const uint8_t *a, zk_buf_t *out);
/* Quoted <character-string> text as BIND prints it. */
void zk_rd_str_text(const uint8_t *p, size_t n, zk_buf_t *out);
/* Hex/base64 of a whole run, joined from several tokens. */
int zk_rd_b64_tokens(const zk_token_t *t, size_t nt, zk_wbuf_t *w, const char *what,
                     zk_errctx_t *ec);
int zk_rd_hex_tokens(const zk_token_t *t, size_t nt, zk_wbuf_t *w, const char *what,
                     zk_errctx_t *ec);
/* Split base64/hex text into chunks as BIND prints them (width 0 = none). */
void zk_rd_b64_text(const uint8_t *p, size_t n, size_t width, const char *brk, zk_buf_t *out);
void zk_rd_hex_text(const uint8_t *p, size_t n, size_t width, const char *brk, zk_buf_t *out);
int zk_rd_name_text_in(const zk_token_t *t, const zk_name_t *origin, zk_wbuf_t *w, zk_errctx_t *ec);
/* Append the presentation form of the uncompressed name at p (<= n
 * octets); returns its wire length or a negative error. */
int zk_rd_name_out(const uint8_t *p, size_t n, zk_buf_t *out);

#endif
