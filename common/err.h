/* err — the one error enum and the error context filled by a failing call.
 *
 * 0 is success, errors are negative. A failing core call returns the code
 * and, when given an error context, writes what went wrong and where; the
 * tool prints it. Callers that add location (file:line:col of a zone file,
 * the peer of a reply) fill those fields on the way out. */
#ifndef ZK_ERR_H
#define ZK_ERR_H

#include <stddef.h>

typedef enum zk_err {
	ZK_OK = 0,
	ZK_ENOMEM = -1,     /* out of memory */
	ZK_EINVAL = -2,     /* invalid argument */
	ZK_ETRUNC = -3,     /* input ended early */
	ZK_ESPACE = -4,     /* output buffer too small */
	ZK_ELABEL = -5,     /* empty or over-long (> 63) label */
	ZK_ENAMELEN = -6,   /* name longer than 255 octets */
	ZK_EPTR = -7,       /* bad compression pointer */
	ZK_ELABELTYPE = -8, /* reserved label type (0x40, 0x80) */
	ZK_ESYNTAX = -9,    /* presentation-format syntax error */
	ZK_ERANGE = -10,    /* number out of range */
	ZK_EBASE64 = -11,   /* bad base64 */
	ZK_EHEX = -12,      /* bad hex */
	ZK_EBASE32 = -13,   /* bad base32hex */
	ZK_ERDATA = -14,    /* malformed rdata */
	ZK_ERDLEN = -15,    /* RDLENGTH disagrees with the data */
	ZK_EMSG = -16,      /* malformed message */
	ZK_ETYPE = -17,     /* unknown type mnemonic */
	ZK_ECLASS = -18,    /* unknown class mnemonic */
	ZK_ESVCB = -19,     /* bad SVCB/HTTPS parameters */
	ZK_EIO = -20,       /* read/write failure (errno in the message) */
	ZK_ENOENT = -21,    /* not found */
	ZK_EUNSUPP = -22,   /* not supported (or built out) */
	ZK_ETIMEOUT = -23,  /* no answer in time */
	ZK_ENET = -24,      /* network error */
	ZK_ECRYPTO = -25,   /* crypto library failure */
	ZK_EKEY = -26,      /* bad or unusable key */
	ZK_ETSIG = -27,     /* TSIG verification failure */
	ZK_EDNSSEC = -28,   /* DNSSEC signature or chain failure */
	ZK_EZONE = -29,     /* zone content error */
	ZK_ELIMIT = -30,    /* a configured limit was exceeded */
	ZK_EMISMATCH = -31, /* a reply that does not match the query */
	ZK_EEXIST = -32,    /* already exists */
	ZK_ELAST = -33
} zk_err_t;

/* Where and what. Every field is optional; format with zk_errctx_format. */
typedef struct zk_errctx {
	int code;           /* the zk_err_t that was returned */
	char msg[256];      /* what went wrong, no location, no trailing newline */
	const char *file;   /* file name, or NULL */
	unsigned line, col; /* 1-based; 0 = unknown */
	long offset;        /* byte offset into wire input; -1 = unknown */
	char peer[80];      /* server that sent it ("127.0.0.1#5300"), or "" */
} zk_errctx_t;

void zk_errctx_init(zk_errctx_t *ec);

/* Record an error (ec may be NULL) and return code, so that
 *	return zk_error(ec, ZK_ERANGE, "TTL %lu out of range", v);
 * reads as one statement. Location fields are left as they are. */
int zk_error(zk_errctx_t *ec, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same with a byte offset into wire input. */
int zk_error_at(zk_errctx_t *ec, int code, long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Short text for a code ("label too long"); never NULL. */
const char *zk_strerror(int code);

/* One line: "file:line:col: msg", "peer: msg", "offset N: msg" or "msg"
 * (zk_strerror(code) when msg is empty). Returns the length it wanted. */
size_t zk_errctx_format(const zk_errctx_t *ec, char *buf, size_t cap);

#endif
