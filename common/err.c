/* err — error codes and the error context. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const char *const messages[] = {
    [0] = "success",
    [-ZK_ENOMEM] = "out of memory",
    [-ZK_EINVAL] = "invalid argument",
    [-ZK_ETRUNC] = "input ends early",
    [-ZK_ESPACE] = "no space left in the output buffer",
    [-ZK_ELABEL] = "bad label length",
    [-ZK_ENAMELEN] = "name longer than 255 octets",
    [-ZK_EPTR] = "bad compression pointer",
    [-ZK_ELABELTYPE] = "reserved label type",
    [-ZK_ESYNTAX] = "syntax error",
    [-ZK_ERANGE] = "number out of range",
    [-ZK_EBASE64] = "bad base64",
    [-ZK_EHEX] = "bad hex",
    [-ZK_EBASE32] = "bad base32hex",
    [-ZK_ERDATA] = "malformed rdata",
    [-ZK_ERDLEN] = "RDLENGTH disagrees with the data",
    [-ZK_EMSG] = "malformed message",
    [-ZK_ETYPE] = "unknown type",
    [-ZK_ECLASS] = "unknown class",
    [-ZK_ESVCB] = "bad SVCB parameters",
    [-ZK_EIO] = "input/output error",
    [-ZK_ENOENT] = "not found",
    [-ZK_EUNSUPP] = "not supported",
    [-ZK_ETIMEOUT] = "timed out",
    [-ZK_ENET] = "network error",
    [-ZK_ECRYPTO] = "crypto failure",
    [-ZK_EKEY] = "bad key",
    [-ZK_ETSIG] = "TSIG verification failed",
    [-ZK_EDNSSEC] = "DNSSEC verification failed",
    [-ZK_EZONE] = "zone error",
    [-ZK_ELIMIT] = "limit exceeded",
    [-ZK_EMISMATCH] = "reply does not match the query",
    [-ZK_EEXIST] = "already exists",
};

void zk_errctx_init(zk_errctx_t *ec)
{
	memset(ec, 0, sizeof(*ec));
	ec->offset = -1;
}

const char *zk_strerror(int code)
{
	if (code > 0 || code <= ZK_ELAST || messages[-code] == NULL)
		return "unknown error";
	return messages[-code];
}

__attribute__((format(printf, 4, 0))) static int record(zk_errctx_t *ec, int code, long offset,
                                                        const char *fmt, va_list ap)
{
	if (ec == NULL)
		return code;
	ec->code = code;
	if (offset >= 0)
		ec->offset = offset;
	vsnprintf(ec->msg, sizeof(ec->msg), fmt, ap);
	return code;
}

int zk_error(zk_errctx_t *ec, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(ec, code, -1, fmt, ap);
	va_end(ap);
	return code;
}

int zk_error_at(zk_errctx_t *ec, int code, long offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(ec, code, offset, fmt, ap);
	va_end(ap);
	return code;
}

size_t zk_errctx_format(const zk_errctx_t *ec, char *buf, size_t cap)
{
	const char *msg = ec->msg[0] ? ec->msg : zk_strerror(ec->code);
	int n;

	if (ec->file != NULL && ec->line > 0 && ec->col > 0)
		n = snprintf(buf, cap, "%s:%u:%u: %s", ec->file, ec->line, ec->col, msg);
	else if (ec->file != NULL && ec->line > 0)
		n = snprintf(buf, cap, "%s:%u: %s", ec->file, ec->line, msg);
	else if (ec->file != NULL)
		n = snprintf(buf, cap, "%s: %s", ec->file, msg);
	else if (ec->peer[0] != '\0')
		n = snprintf(buf, cap, "%s: %s", ec->peer, msg);
	else if (ec->offset >= 0)
		n = snprintf(buf, cap, "offset %ld: %s", ec->offset, msg);
	else
		n = snprintf(buf, cap, "%s", msg);
	return n < 0 ? 0 : (size_t)n;
}
