/* rrtype — THE table of RR types, classes, rcodes and opcodes.
 *
 * One row per type: mnemonic, code, rdata field layout and flags. The
 * layout drives wire validation, text in, text out, canonical form and
 * compression (rdata.c); nothing else in the tree switches on a type to
 * do those jobs. */
#ifndef ZK_RRTYPE_H
#define ZK_RRTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h" /* ZK_ETYPE, ZK_ECLASS */

enum {
	ZK_TYPE_A = 1,
	ZK_TYPE_NS = 2,
	ZK_TYPE_MD = 3,
	ZK_TYPE_MF = 4,
	ZK_TYPE_CNAME = 5,
	ZK_TYPE_SOA = 6,
	ZK_TYPE_MB = 7,
	ZK_TYPE_MG = 8,
	ZK_TYPE_MR = 9,
	ZK_TYPE_NULL = 10,
	ZK_TYPE_WKS = 11,
	ZK_TYPE_PTR = 12,
	ZK_TYPE_HINFO = 13,
	ZK_TYPE_MINFO = 14,
	ZK_TYPE_MX = 15,
	ZK_TYPE_TXT = 16,
	ZK_TYPE_RP = 17,
	ZK_TYPE_AFSDB = 18,
	ZK_TYPE_X25 = 19,
	ZK_TYPE_ISDN = 20,
	ZK_TYPE_RT = 21,
	ZK_TYPE_NSAP = 22,
	ZK_TYPE_NSAP_PTR = 23,
	ZK_TYPE_SIG = 24,
	ZK_TYPE_KEY = 25,
	ZK_TYPE_PX = 26,
	ZK_TYPE_GPOS = 27,
	ZK_TYPE_AAAA = 28,
	ZK_TYPE_LOC = 29,
	ZK_TYPE_NXT = 30,
	ZK_TYPE_EID = 31,
	ZK_TYPE_NIMLOC = 32,
	ZK_TYPE_SRV = 33,
	ZK_TYPE_ATMA = 34,
	ZK_TYPE_NAPTR = 35,
	ZK_TYPE_KX = 36,
	ZK_TYPE_CERT = 37,
	ZK_TYPE_A6 = 38,
	ZK_TYPE_DNAME = 39,
	ZK_TYPE_SINK = 40,
	ZK_TYPE_OPT = 41,
	ZK_TYPE_APL = 42,
	ZK_TYPE_DS = 43,
	ZK_TYPE_SSHFP = 44,
	ZK_TYPE_IPSECKEY = 45,
	ZK_TYPE_RRSIG = 46,
	ZK_TYPE_NSEC = 47,
	ZK_TYPE_DNSKEY = 48,
	ZK_TYPE_DHCID = 49,
	ZK_TYPE_NSEC3 = 50,
	ZK_TYPE_NSEC3PARAM = 51,
	ZK_TYPE_TLSA = 52,
	ZK_TYPE_SMIMEA = 53,
	ZK_TYPE_HIP = 55,
	ZK_TYPE_NINFO = 56,
	ZK_TYPE_RKEY = 57,
	ZK_TYPE_TALINK = 58,
	ZK_TYPE_CDS = 59,
	ZK_TYPE_CDNSKEY = 60,
	ZK_TYPE_OPENPGPKEY = 61,
	ZK_TYPE_CSYNC = 62,
	ZK_TYPE_ZONEMD = 63,
	ZK_TYPE_SVCB = 64,
	ZK_TYPE_HTTPS = 65,
	ZK_TYPE_DSYNC = 66,
	ZK_TYPE_HHIT = 67,
	ZK_TYPE_BRID = 68,
	ZK_TYPE_SPF = 99,
	ZK_TYPE_UINFO = 100,
	ZK_TYPE_UID = 101,
	ZK_TYPE_GID = 102,
	ZK_TYPE_UNSPEC = 103,
	ZK_TYPE_NID = 104,
	ZK_TYPE_L32 = 105,
	ZK_TYPE_L64 = 106,
	ZK_TYPE_LP = 107,
	ZK_TYPE_EUI48 = 108,
	ZK_TYPE_EUI64 = 109,
	ZK_TYPE_TKEY = 249,
	ZK_TYPE_TSIG = 250,
	ZK_TYPE_IXFR = 251,
	ZK_TYPE_AXFR = 252,
	ZK_TYPE_MAILB = 253,
	ZK_TYPE_MAILA = 254,
	ZK_TYPE_ANY = 255,
	ZK_TYPE_URI = 256,
	ZK_TYPE_CAA = 257,
	ZK_TYPE_AVC = 258,
	ZK_TYPE_DOA = 259,
	ZK_TYPE_AMTRELAY = 260,
	ZK_TYPE_RESINFO = 261,
	ZK_TYPE_WALLET = 262,
	ZK_TYPE_TA = 32768,
	ZK_TYPE_DLV = 32769,
};

enum {
	ZK_CLASS_IN = 1,
	ZK_CLASS_CH = 3,
	ZK_CLASS_HS = 4,
	ZK_CLASS_NONE = 254,
	ZK_CLASS_ANY = 255,
};

enum {
	ZK_OPCODE_QUERY = 0,
	ZK_OPCODE_IQUERY = 1,
	ZK_OPCODE_STATUS = 2,
	ZK_OPCODE_NOTIFY = 4,
	ZK_OPCODE_UPDATE = 5,
};

/* Rcodes, including the extended ones (OPT ext-rcode, TSIG/TKEY error). */
enum {
	ZK_RCODE_NOERROR = 0,
	ZK_RCODE_FORMERR = 1,
	ZK_RCODE_SERVFAIL = 2,
	ZK_RCODE_NXDOMAIN = 3,
	ZK_RCODE_NOTIMP = 4,
	ZK_RCODE_REFUSED = 5,
	ZK_RCODE_YXDOMAIN = 6,
	ZK_RCODE_YXRRSET = 7,
	ZK_RCODE_NXRRSET = 8,
	ZK_RCODE_NOTAUTH = 9,
	ZK_RCODE_NOTZONE = 10,
	ZK_RCODE_DSOTYPENI = 11,
	ZK_RCODE_BADVERS = 16,
	ZK_RCODE_BADSIG = 16,
	ZK_RCODE_BADKEY = 17,
	ZK_RCODE_BADTIME = 18,
	ZK_RCODE_BADMODE = 19,
	ZK_RCODE_BADNAME = 20,
	ZK_RCODE_BADALG = 21,
	ZK_RCODE_BADTRUNC = 22,
	ZK_RCODE_BADCOOKIE = 23,
};

/* Behaviour flags of a type (zk_rrtype_t.flags). */
enum {
	ZK_RRF_COMPRESS = 1 << 0,   /* embedded names compressible on render (RFC 3597 §4) */
	ZK_RRF_DECOMPRESS = 1 << 1, /* embedded names may arrive compressed */
	ZK_RRF_DOWNCASE =
	    1 << 2, /* canonical form lower-cases names (RFC 4034 §6.2, RFC 6840 §5.1) */
	ZK_RRF_META = 1 << 3,      /* QTYPE/meta-type: not zone data (OPT, TSIG, TKEY, AXFR, ...) */
	ZK_RRF_OBSOLETE = 1 << 4,  /* known, historic */
	ZK_RRF_SINGLETON = 1 << 5, /* at most one per owner (SOA, CNAME, DNAME) */
};

/* The field layout lives in rdata.c's table; this is what other modules
 * may look at. */
typedef struct zk_rrtype {
	uint16_t code;
	const char *name; /* mnemonic as BIND prints it */
	unsigned flags;   /* ZK_RRF_* */
} zk_rrtype_t;

/* The row for a type, or NULL for one we do not know. */
const zk_rrtype_t *zk_rrtype_get(uint16_t type);
/* Mnemonic ("A") or NULL. */
const char *zk_rrtype_name(uint16_t type);
/* Mnemonic or "TYPEnnn" into buf (16 bytes is enough); returns length. */
size_t zk_rrtype_to_text(uint16_t type, char *buf, size_t cap);
/* Case-insensitive mnemonic or TYPEnnn. ZK_ETYPE if unknown. */
int zk_rrtype_from_text(const char *s, size_t n, uint16_t *type);

/* IN CH HS NONE ANY or CLASSnnn. */
size_t zk_rrclass_to_text(uint16_t rclass, char *buf, size_t cap);
int zk_rrclass_from_text(const char *s, size_t n, uint16_t *rclass);

/* "NOERROR", "BADSIG", ... or the number as text; rcode 16 is BADVERS
 * unless tsig is true (then BADSIG). */
size_t zk_rcode_to_text(uint16_t rcode, bool tsig, char *buf, size_t cap);
int zk_rcode_from_text(const char *s, size_t n, uint16_t *rcode);
/* "QUERY", "NOTIFY", "UPDATE", ... or "RESERVEDn" as dig prints. */
size_t zk_opcode_to_text(uint8_t opcode, char *buf, size_t cap);
int zk_opcode_from_text(const char *s, size_t n, uint8_t *opcode);

/* Every known type, for completion and listings: iterate i from 0 until
 * NULL. */
const zk_rrtype_t *zk_rrtype_at(size_t i);

#endif
