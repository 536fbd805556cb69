/* rrtype — THE table of RR types (with their rdata field layout), and the
 * mnemonics of classes, rcodes and opcodes.
 *
 * One row per type: code, mnemonic, flags and the field kinds that drive
 * rdata.c (validation, text in/out, canonical form, compression). Rows are
 * sorted by code; mnemonic lookup goes by first letter, then length. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "rdata_int.h"
#include "rrtype.h"

/* RFC 3597 §4: names compressed on render only in the RFC 1035 types,
 * accepted compressed on receipt also in RP AFSDB RT SIG PX NXT NAPTR SRV.
 * RFC 4034 §6.2 item 3 as corrected by RFC 6840 §5.1 (NSEC removed):
 * names lower-cased in canonical form. */
#define C1035  (ZK_RRF_COMPRESS | ZK_RRF_DECOMPRESS | ZK_RRF_DOWNCASE)
#define DECOMP (ZK_RRF_DECOMPRESS | ZK_RRF_DOWNCASE)
#define LOWER  ZK_RRF_DOWNCASE
#define META   ZK_RRF_META
#define OBS    ZK_RRF_OBSOLETE
#define ONE    ZK_RRF_SINGLETON

/* p: multiline style, ML_x | field index << 4 (see rdata_int.h). */
#define ROW(c, n, fl, p, ...)                                                                      \
	{                                                                                          \
		.t = {.code = (c), .name = (n), .flags = (fl)}, .fields = {__VA_ARGS__},           \
		.ml = (p)&15, .paren = (p) >> 4                                                    \
	}
#define REST(i)  (ML_REST | (i) << 4)
#define KEYML    (ML_KEY | 3 << 4)
#define SIGML(i) (ML_SIG | (i) << 4)
#define ODD(c, n, fl, o)                                                                           \
	{                                                                                          \
		.t = {.code = (c), .name = (n), .flags = (fl)}, .fields = {F_ODD}, .odd = &(o)     \
	}

static const zk_rrdesc_t rows[] = {
    ROW(ZK_TYPE_A, "A", 0, 0, F_A),
    ROW(ZK_TYPE_NS, "NS", C1035, 0, F_NAME),
    ROW(ZK_TYPE_MD, "MD", C1035 | OBS, 0, F_NAME),
    ROW(ZK_TYPE_MF, "MF", C1035 | OBS, 0, F_NAME),
    ROW(ZK_TYPE_CNAME, "CNAME", C1035 | ONE, 0, F_NAME),
    ROW(ZK_TYPE_SOA, "SOA", C1035 | ONE, ML_SOA, F_NAME, F_NAME, F_U32, F_TTL, F_TTL, F_TTL, F_TTL),
    ROW(ZK_TYPE_MB, "MB", C1035, 0, F_NAME),
    ROW(ZK_TYPE_MG, "MG", C1035, 0, F_NAME),
    ROW(ZK_TYPE_MR, "MR", C1035, 0, F_NAME),
    ROW(ZK_TYPE_NULL, "NULL", 0, 0, F_GENERIC),
    ODD(ZK_TYPE_WKS, "WKS", 0, zk_odd_wks),
    ROW(ZK_TYPE_PTR, "PTR", C1035, 0, F_NAME),
    ROW(ZK_TYPE_HINFO, "HINFO", LOWER, 0, F_STR, F_STR),
    ROW(ZK_TYPE_MINFO, "MINFO", C1035, 0, F_NAME, F_NAME),
    ROW(ZK_TYPE_MX, "MX", C1035, 0, F_U16, F_NAME),
    ROW(ZK_TYPE_TXT, "TXT", 0, 0, F_STRS),
    ROW(ZK_TYPE_RP, "RP", DECOMP, 0, F_NAME, F_NAME),
    ROW(ZK_TYPE_AFSDB, "AFSDB", DECOMP, 0, F_U16, F_NAME),
    ROW(ZK_TYPE_X25, "X25", 0, 0, F_X25),
    ROW(ZK_TYPE_ISDN, "ISDN", 0, 0, F_STR, F_STROPT),
    ROW(ZK_TYPE_RT, "RT", DECOMP, 0, F_U16, F_NAME),
    ODD(ZK_TYPE_NSAP, "NSAP", 0, zk_odd_nsap),
    ROW(ZK_TYPE_NSAP_PTR, "NSAP-PTR", 0, 0, F_NAME),
    ROW(ZK_TYPE_SIG, "SIG", DECOMP, SIGML(5), F_SIGTYPE, F_SECALG, F_U8, F_U32, F_TIME, F_TIME,
        F_U16, F_NAME, F_B64),
    ROW(ZK_TYPE_KEY, "KEY", 0, KEYML, F_U16, F_U8, F_SECALG, F_KEYB64),
    ROW(ZK_TYPE_PX, "PX", DECOMP, 0, F_U16, F_NAME, F_NAME),
    ROW(ZK_TYPE_GPOS, "GPOS", 0, 0, F_STR, F_STR, F_STR),
    ROW(ZK_TYPE_AAAA, "AAAA", 0, 0, F_AAAA),
    ODD(ZK_TYPE_LOC, "LOC", 0, zk_odd_loc),
    ROW(ZK_TYPE_NXT, "NXT", DECOMP | OBS, 0, F_NAME, F_NXTBM),
    ROW(ZK_TYPE_EID, "EID", 0, ML_WHOLE, F_HEX),
    ROW(ZK_TYPE_NIMLOC, "NIMLOC", 0, ML_WHOLE, F_HEX),
    ROW(ZK_TYPE_SRV, "SRV", DECOMP, 0, F_U16, F_U16, F_U16, F_NAME),
    ODD(ZK_TYPE_ATMA, "ATMA", 0, zk_odd_atma),
    ROW(ZK_TYPE_NAPTR, "NAPTR", DECOMP, 0, F_U16, F_U16, F_STR, F_STR, F_STR, F_NAME),
    ROW(ZK_TYPE_KX, "KX", LOWER, 0, F_U16, F_NAME),
    ROW(ZK_TYPE_CERT, "CERT", 0, REST(3), F_CERTTYPE, F_U16, F_CERTALG, F_B64),
    ODD(ZK_TYPE_A6, "A6", LOWER | OBS, zk_odd_a6),
    ROW(ZK_TYPE_DNAME, "DNAME", LOWER | ONE, 0, F_NAME),
    ROW(ZK_TYPE_SINK, "SINK", 0, REST(3), F_U8, F_U8, F_U8, F_B64Z),
    ODD(ZK_TYPE_OPT, "OPT", META, zk_odd_opt),
    ODD(ZK_TYPE_APL, "APL", 0, zk_odd_apl),
    ROW(ZK_TYPE_DS, "DS", 0, REST(3), F_U16, F_SECALG, F_DIGEST, F_DSHEX),
    ROW(ZK_TYPE_SSHFP, "SSHFP", 0, REST(2), F_U8, F_U8, F_FPHEX),
    ODD(ZK_TYPE_IPSECKEY, "IPSECKEY", 0, zk_odd_ipseckey),
    ROW(ZK_TYPE_RRSIG, "RRSIG", LOWER, SIGML(4), F_TYPE, F_SECALG, F_U8, F_U32, F_TIME, F_TIME,
        F_U16, F_NAME, F_B64),
    ROW(ZK_TYPE_NSEC, "NSEC", 0, 0, F_NAME, F_BITMAPNE),
    ROW(ZK_TYPE_DNSKEY, "DNSKEY", 0, KEYML, F_U16, F_U8, F_SECALG, F_B64),
    ROW(ZK_TYPE_DHCID, "DHCID", 0, ML_WHOLE, F_B64),
    ROW(ZK_TYPE_NSEC3, "NSEC3", 0, ML_NSEC3 | 4 << 4, F_U8, F_U8, F_U16, F_SALT, F_B32, F_BITMAP),
    ROW(ZK_TYPE_NSEC3PARAM, "NSEC3PARAM", 0, 0, F_U8, F_U8, F_U16, F_SALT),
    ROW(ZK_TYPE_TLSA, "TLSA", 0, REST(3), F_U8, F_U8, F_U8, F_HEX),
    ROW(ZK_TYPE_SMIMEA, "SMIMEA", 0, REST(3), F_U8, F_U8, F_U8, F_HEX),
    ODD(ZK_TYPE_HIP, "HIP", 0, zk_odd_hip),
    ROW(ZK_TYPE_NINFO, "NINFO", 0, 0, F_STRS),
    ROW(ZK_TYPE_RKEY, "RKEY", 0, KEYML, F_U16, F_U8, F_SECALG, F_B64),
    ROW(ZK_TYPE_TALINK, "TALINK", 0, 0, F_NAME, F_NAME),
    ROW(ZK_TYPE_CDS, "CDS", 0, REST(3), F_U16, F_SECALG, F_DIGEST, F_DSHEX),
    ROW(ZK_TYPE_CDNSKEY, "CDNSKEY", 0, KEYML, F_U16, F_U8, F_SECALG, F_B64),
    ROW(ZK_TYPE_OPENPGPKEY, "OPENPGPKEY", 0, ML_WHOLE, F_B64),
    ROW(ZK_TYPE_CSYNC, "CSYNC", 0, 0, F_U32, F_U16, F_BITMAP),
    ROW(ZK_TYPE_ZONEMD, "ZONEMD", 0, REST(3), F_U32, F_U8, F_U8, F_ZMDHEX),
    ROW(ZK_TYPE_SVCB, "SVCB", 0, 0, F_U16, F_NAME, F_SVCB),
    ROW(ZK_TYPE_HTTPS, "HTTPS", 0, 0, F_U16, F_NAME, F_SVCB),
    ROW(ZK_TYPE_DSYNC, "DSYNC", 0, 0, F_TYPE, F_SCHEME, F_U16, F_NAME),
    ROW(ZK_TYPE_HHIT, "HHIT", 0, ML_SPACE, F_B64),
    ROW(ZK_TYPE_BRID, "BRID", 0, ML_SPACE, F_B64),
    ROW(ZK_TYPE_SPF, "SPF", 0, 0, F_STRS),
    ROW(ZK_TYPE_UINFO, "UINFO", OBS, 0, F_GENERIC),
    ROW(ZK_TYPE_UID, "UID", OBS, 0, F_GENERIC),
    ROW(ZK_TYPE_GID, "GID", OBS, 0, F_GENERIC),
    ROW(ZK_TYPE_UNSPEC, "UNSPEC", OBS, 0, F_GENERIC),
    ROW(ZK_TYPE_NID, "NID", 0, 0, F_U16, F_ILNP64),
    ROW(ZK_TYPE_L32, "L32", 0, 0, F_U16, F_A),
    ROW(ZK_TYPE_L64, "L64", 0, 0, F_U16, F_ILNP64),
    ROW(ZK_TYPE_LP, "LP", 0, 0, F_U16, F_NAME),
    ROW(ZK_TYPE_EUI48, "EUI48", 0, 0, F_EUI48),
    ROW(ZK_TYPE_EUI64, "EUI64", 0, 0, F_EUI64),
    ROW(ZK_TYPE_TKEY, "TKEY", META, 0, F_NAME, F_TIME, F_TIME, F_U16, F_TSIGERR, F_B64L16,
        F_B64L16),
    ROW(ZK_TYPE_TSIG, "TSIG", META, 0, F_NAME, F_U48, F_U16, F_B64L16, F_U16, F_TSIGERR, F_B64L16),
    ROW(ZK_TYPE_IXFR, "IXFR", META, 0, F_GENERIC),
    ROW(ZK_TYPE_AXFR, "AXFR", META, 0, F_GENERIC),
    ROW(ZK_TYPE_MAILB, "MAILB", META, 0, F_GENERIC),
    ROW(ZK_TYPE_MAILA, "MAILA", META, 0, F_GENERIC),
    ROW(ZK_TYPE_ANY, "ANY", META, 0, F_GENERIC),
    ROW(ZK_TYPE_URI, "URI", 0, 0, F_U16, F_U16, F_STRTAIL),
    ROW(ZK_TYPE_CAA, "CAA", 0, 0, F_U8, F_CAATAG, F_STRTAIL),
    ROW(ZK_TYPE_AVC, "AVC", 0, 0, F_STRS),
    ROW(ZK_TYPE_DOA, "DOA", 0, 0, F_U32, F_U32, F_U8, F_STR, F_B64DASH),
    ODD(ZK_TYPE_AMTRELAY, "AMTRELAY", 0, zk_odd_amtrelay),
    ROW(ZK_TYPE_RESINFO, "RESINFO", 0, 0, F_STRS),
    ROW(ZK_TYPE_WALLET, "WALLET", 0, 0, F_STRS),
    ROW(ZK_TYPE_TA, "TA", 0, REST(3), F_U16, F_SECALG, F_DIGEST, F_DSHEX),
    ROW(ZK_TYPE_DLV, "DLV", 0, REST(3), F_U16, F_SECALG, F_DIGEST, F_DSHEX),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

const zk_rrdesc_t *zk_rrdesc_get(uint16_t type)
{
	size_t lo = 0, hi = NROWS;

	/* Most lookups are for codes 1..68 where the rows are nearly dense. */
	if (type >= 1 && type <= 53 && rows[type - 1].t.code == type)
		return &rows[type - 1];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rows[mid].t.code == type)
			return &rows[mid];
		if (rows[mid].t.code < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const zk_rrtype_t *zk_rrtype_get(uint16_t type)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	return d ? &d->t : NULL;
}

const char *zk_rrtype_name(uint16_t type)
{
	const zk_rrdesc_t *d = zk_rrdesc_get(type);
	return d ? d->t.name : NULL;
}

const zk_rrtype_t *zk_rrtype_at(size_t i)
{
	return i < NROWS ? &rows[i].t : NULL;
}

size_t zk_rrtype_to_text(uint16_t type, char *buf, size_t cap)
{
	const char *n = zk_rrtype_name(type);
	int len;

	/* Printing a signed zone names a type twice per RRSIG: no printf
	 * for the common case of a known mnemonic. */
	if (n != NULL) {
		size_t l = strlen(n);
		if (l < cap) {
			memcpy(buf, n, l + 1);
			return l;
		}
		len = snprintf(buf, cap, "%s", n);
	} else {
		len = snprintf(buf, cap, "TYPE%u", (unsigned)type);
	}
	return len < 0 ? 0 : (size_t)len;
}

static inline char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool same_upper(const char *s, size_t n, const char *u)
{
	for (size_t i = 0; i < n; i++)
		if (upper(s[i]) != u[i])
			return false;
	return u[n] == '\0';
}

/* "PREFIXnnn" with a decimal of at most max: RFC 3597 §5 TYPEnnn/CLASSnnn. */
static int prefixed_number(const char *s, size_t n, const char *prefix, unsigned long max,
                           unsigned long *v)
{
	size_t pl = strlen(prefix);
	unsigned long x = 0;

	if (n <= pl || n > pl + 5)
		return -1;
	for (size_t i = 0; i < pl; i++)
		if (upper(s[i]) != prefix[i])
			return -1;
	for (size_t i = pl; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

/* Mnemonics grouped by first letter, most common first: a lookup is a
 * switch on the letter, then a length test and a short compare. */
static const struct {
	const char *name;
	uint8_t len;
	uint16_t code;
} mnemonics[] = {
    {"A", 1, ZK_TYPE_A},
    {"AAAA", 4, ZK_TYPE_AAAA},
    {"AFSDB", 5, ZK_TYPE_AFSDB},
    {"APL", 3, ZK_TYPE_APL},
    {"ATMA", 4, ZK_TYPE_ATMA},
    {"A6", 2, ZK_TYPE_A6},
    {"AMTRELAY", 8, ZK_TYPE_AMTRELAY},
    {"AVC", 3, ZK_TYPE_AVC},
    {"AXFR", 4, ZK_TYPE_AXFR},
    {"ANY", 3, ZK_TYPE_ANY},
    {"BRID", 4, ZK_TYPE_BRID},
    {"CNAME", 5, ZK_TYPE_CNAME},
    {"CAA", 3, ZK_TYPE_CAA},
    {"CDS", 3, ZK_TYPE_CDS},
    {"CDNSKEY", 7, ZK_TYPE_CDNSKEY},
    {"CERT", 4, ZK_TYPE_CERT},
    {"CSYNC", 5, ZK_TYPE_CSYNC},
    {"DS", 2, ZK_TYPE_DS},
    {"DNSKEY", 6, ZK_TYPE_DNSKEY},
    {"DNAME", 5, ZK_TYPE_DNAME},
    {"DHCID", 5, ZK_TYPE_DHCID},
    {"DSYNC", 5, ZK_TYPE_DSYNC},
    {"DLV", 3, ZK_TYPE_DLV},
    {"DOA", 3, ZK_TYPE_DOA},
    {"EID", 3, ZK_TYPE_EID},
    {"EUI48", 5, ZK_TYPE_EUI48},
    {"EUI64", 5, ZK_TYPE_EUI64},
    {"GPOS", 4, ZK_TYPE_GPOS},
    {"GID", 3, ZK_TYPE_GID},
    {"HTTPS", 5, ZK_TYPE_HTTPS},
    {"HINFO", 5, ZK_TYPE_HINFO},
    {"HIP", 3, ZK_TYPE_HIP},
    {"HHIT", 4, ZK_TYPE_HHIT},
    {"IPSECKEY", 8, ZK_TYPE_IPSECKEY},
    {"ISDN", 4, ZK_TYPE_ISDN},
    {"IXFR", 4, ZK_TYPE_IXFR},
    {"KEY", 3, ZK_TYPE_KEY},
    {"KX", 2, ZK_TYPE_KX},
    {"LOC", 3, ZK_TYPE_LOC},
    {"L32", 3, ZK_TYPE_L32},
    {"L64", 3, ZK_TYPE_L64},
    {"LP", 2, ZK_TYPE_LP},
    {"MX", 2, ZK_TYPE_MX},
    {"MD", 2, ZK_TYPE_MD},
    {"MF", 2, ZK_TYPE_MF},
    {"MB", 2, ZK_TYPE_MB},
    {"MG", 2, ZK_TYPE_MG},
    {"MR", 2, ZK_TYPE_MR},
    {"MINFO", 5, ZK_TYPE_MINFO},
    {"MAILB", 5, ZK_TYPE_MAILB},
    {"MAILA", 5, ZK_TYPE_MAILA},
    {"NS", 2, ZK_TYPE_NS},
    {"NSEC", 4, ZK_TYPE_NSEC},
    {"NSEC3", 5, ZK_TYPE_NSEC3},
    {"NSEC3PARAM", 10, ZK_TYPE_NSEC3PARAM},
    {"NAPTR", 5, ZK_TYPE_NAPTR},
    {"NULL", 4, ZK_TYPE_NULL},
    {"NSAP", 4, ZK_TYPE_NSAP},
    {"NSAP-PTR", 8, ZK_TYPE_NSAP_PTR},
    {"NXT", 3, ZK_TYPE_NXT},
    {"NIMLOC", 6, ZK_TYPE_NIMLOC},
    {"NINFO", 5, ZK_TYPE_NINFO},
    {"NID", 3, ZK_TYPE_NID},
    {"OPENPGPKEY", 10, ZK_TYPE_OPENPGPKEY},
    {"OPT", 3, ZK_TYPE_OPT},
    {"PTR", 3, ZK_TYPE_PTR},
    {"PX", 2, ZK_TYPE_PX},
    {"RRSIG", 5, ZK_TYPE_RRSIG},
    {"RP", 2, ZK_TYPE_RP},
    {"RT", 2, ZK_TYPE_RT},
    {"RKEY", 4, ZK_TYPE_RKEY},
    {"RESINFO", 7, ZK_TYPE_RESINFO},
    {"SOA", 3, ZK_TYPE_SOA},
    {"SRV", 3, ZK_TYPE_SRV},
    {"SVCB", 4, ZK_TYPE_SVCB},
    {"SSHFP", 5, ZK_TYPE_SSHFP},
    {"SPF", 3, ZK_TYPE_SPF},
    {"SIG", 3, ZK_TYPE_SIG},
    {"SINK", 4, ZK_TYPE_SINK},
    {"SMIMEA", 6, ZK_TYPE_SMIMEA},
    {"TXT", 3, ZK_TYPE_TXT},
    {"TLSA", 4, ZK_TYPE_TLSA},
    {"TALINK", 6, ZK_TYPE_TALINK},
    {"TKEY", 4, ZK_TYPE_TKEY},
    {"TSIG", 4, ZK_TYPE_TSIG},
    {"TA", 2, ZK_TYPE_TA},
    {"URI", 3, ZK_TYPE_URI},
    {"UINFO", 5, ZK_TYPE_UINFO},
    {"UID", 3, ZK_TYPE_UID},
    {"UNSPEC", 6, ZK_TYPE_UNSPEC},
    {"WKS", 3, ZK_TYPE_WKS},
    {"WALLET", 6, ZK_TYPE_WALLET},
    {"X25", 3, ZK_TYPE_X25},
    {"ZONEMD", 6, ZK_TYPE_ZONEMD},
};

static const struct {
	uint8_t start, count;
} by_letter[26] = {
    {0, 10},  /* A */
    {10, 1},  /* B */
    {11, 6},  /* C */
    {17, 7},  /* D */
    {24, 3},  /* E */
    {0, 0},   /* F */
    {27, 2},  /* G */
    {29, 4},  /* H */
    {33, 3},  /* I */
    {0, 0},   /* J */
    {36, 2},  /* K */
    {38, 4},  /* L */
    {42, 9},  /* M */
    {51, 12}, /* N */
    {63, 2},  /* O */
    {65, 2},  /* P */
    {0, 0},   /* Q */
    {67, 5},  /* R */
    {72, 8},  /* S */
    {80, 6},  /* T */
    {86, 4},  /* U */
    {0, 0},   /* V */
    {90, 2},  /* W */
    {92, 1},  /* X */
    {0, 0},   /* Y */
    {93, 1},  /* Z */
};

int zk_rrtype_from_text(const char *s, size_t n, uint16_t *type)
{
	unsigned long v;
	char c;

	if (n == 0 || n > 10)
		goto generic;
	c = upper(s[0]);
	if (c < 'A' || c > 'Z')
		goto generic;
	for (unsigned i = by_letter[c - 'A'].start, e = i + by_letter[c - 'A'].count; i < e; i++) {
		if (mnemonics[i].len == n && same_upper(s, n, mnemonics[i].name)) {
			*type = mnemonics[i].code;
			return 0;
		}
	}
generic:
	if (prefixed_number(s, n, "TYPE", 65535, &v) == 0) {
		*type = (uint16_t)v;
		return 0;
	}
	return ZK_ETYPE;
}

/* ---------------------------------------------------------------- classes */

size_t zk_rrclass_to_text(uint16_t rclass, char *buf, size_t cap)
{
	const char *n = NULL;
	int len;

	switch (rclass) {
	case ZK_CLASS_IN: n = "IN"; break;
	case ZK_CLASS_CH: n = "CH"; break;
	case ZK_CLASS_HS: n = "HS"; break;
	case ZK_CLASS_NONE: n = "NONE"; break;
	case ZK_CLASS_ANY: n = "ANY"; break;
	default: break;
	}
	if (n != NULL)
		len = snprintf(buf, cap, "%s", n);
	else
		len = snprintf(buf, cap, "CLASS%u", (unsigned)rclass);
	return len < 0 ? 0 : (size_t)len;
}

int zk_rrclass_from_text(const char *s, size_t n, uint16_t *rclass)
{
	unsigned long v;

	if (n == 2 && same_upper(s, 2, "IN"))
		*rclass = ZK_CLASS_IN;
	else if (n == 2 && same_upper(s, 2, "CH"))
		*rclass = ZK_CLASS_CH;
	else if (n == 5 && same_upper(s, 5, "CHAOS"))
		*rclass = ZK_CLASS_CH;
	else if (n == 2 && same_upper(s, 2, "HS"))
		*rclass = ZK_CLASS_HS;
	else if (n == 6 && same_upper(s, 6, "HESIOD"))
		*rclass = ZK_CLASS_HS;
	else if (n == 4 && same_upper(s, 4, "NONE"))
		*rclass = ZK_CLASS_NONE;
	else if (n == 3 && same_upper(s, 3, "ANY"))
		*rclass = ZK_CLASS_ANY;
	else if (prefixed_number(s, n, "CLASS", 65535, &v) == 0)
		*rclass = (uint16_t)v;
	else
		return ZK_ECLASS;
	return 0;
}

/* ---------------------------------------------------------------- rcodes */

static const char *const rcode_names[] = {
    [ZK_RCODE_NOERROR] = "NOERROR",   [ZK_RCODE_FORMERR] = "FORMERR",
    [ZK_RCODE_SERVFAIL] = "SERVFAIL", [ZK_RCODE_NXDOMAIN] = "NXDOMAIN",
    [ZK_RCODE_NOTIMP] = "NOTIMP",     [ZK_RCODE_REFUSED] = "REFUSED",
    [ZK_RCODE_YXDOMAIN] = "YXDOMAIN", [ZK_RCODE_YXRRSET] = "YXRRSET",
    [ZK_RCODE_NXRRSET] = "NXRRSET",   [ZK_RCODE_NOTAUTH] = "NOTAUTH",
    [ZK_RCODE_NOTZONE] = "NOTZONE",   [ZK_RCODE_DSOTYPENI] = "DSOTYPENI",
    [ZK_RCODE_BADVERS] = "BADVERS",   [ZK_RCODE_BADKEY] = "BADKEY",
    [ZK_RCODE_BADTIME] = "BADTIME",   [ZK_RCODE_BADMODE] = "BADMODE",
    [ZK_RCODE_BADNAME] = "BADNAME",   [ZK_RCODE_BADALG] = "BADALG",
    [ZK_RCODE_BADTRUNC] = "BADTRUNC", [ZK_RCODE_BADCOOKIE] = "BADCOOKIE",
};

size_t zk_rcode_to_text(uint16_t rcode, bool tsig, char *buf, size_t cap)
{
	const char *n = NULL;
	int len;

	if (rcode == 16 && tsig)
		n = "BADSIG";
	else if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0]))
		n = rcode_names[rcode];
	if (n != NULL)
		len = snprintf(buf, cap, "%s", n);
	else
		len = snprintf(buf, cap, "%u", (unsigned)rcode);
	return len < 0 ? 0 : (size_t)len;
}

int zk_rcode_from_text(const char *s, size_t n, uint16_t *rcode)
{
	unsigned long v = 0;

	if (n == 6 && same_upper(s, 6, "BADSIG")) {
		*rcode = 16;
		return 0;
	}
	for (size_t i = 0; i < sizeof(rcode_names) / sizeof(rcode_names[0]); i++) {
		if (rcode_names[i] != NULL && strlen(rcode_names[i]) == n &&
		    same_upper(s, n, rcode_names[i])) {
			*rcode = (uint16_t)i;
			return 0;
		}
	}
	if (n == 0 || n > 4)
		return ZK_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ZK_EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 4095)
		return ZK_ERANGE;
	*rcode = (uint16_t)v;
	return 0;
}

/* ---------------------------------------------------------------- opcodes */

static const char *const opcode_names[16] = {
    [ZK_OPCODE_QUERY] = "QUERY",   [ZK_OPCODE_IQUERY] = "IQUERY", [ZK_OPCODE_STATUS] = "STATUS",
    [ZK_OPCODE_NOTIFY] = "NOTIFY", [ZK_OPCODE_UPDATE] = "UPDATE",
};

size_t zk_opcode_to_text(uint8_t opcode, char *buf, size_t cap)
{
	int len;

	if (opcode < 16 && opcode_names[opcode] != NULL)
		len = snprintf(buf, cap, "%s", opcode_names[opcode]);
	else
		len = snprintf(buf, cap, "RESERVED%u", (unsigned)opcode);
	return len < 0 ? 0 : (size_t)len;
}

int zk_opcode_from_text(const char *s, size_t n, uint8_t *opcode)
{
	unsigned long v = 0;

	for (unsigned i = 0; i < 16; i++) {
		if (opcode_names[i] != NULL && strlen(opcode_names[i]) == n &&
		    same_upper(s, n, opcode_names[i])) {
			*opcode = (uint8_t)i;
			return 0;
		}
	}
	if (prefixed_number(s, n, "RESERVED", 15, &v) == 0) {
		*opcode = (uint8_t)v;
		return 0;
	}
	if (n == 0 || n > 2)
		return ZK_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ZK_EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 15)
		return ZK_ERANGE;
	*opcode = (uint8_t)v;
	return 0;
}
