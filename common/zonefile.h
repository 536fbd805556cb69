/* zonefile — streaming master-file parser (RFC 1035 §5 and what operators
 * write: $ORIGIN, $TTL, $INCLUDE, $GENERATE, RFC 3597 generic form).
 *
 * The file is read in large blocks and scanned once; each record is handed
 * to a callback with owner and rdata in parser-owned buffers that are valid
 * only during the call. Memory does not grow with the file. Errors carry
 * file:line:col and the parser keeps going to report them all (bounded).
 * Where RFC 1035 is silent the defaults are BIND's: a record without TTL
 * takes $TTL, else the last explicit TTL, else (SOA only) the SOA MINIMUM
 * with a warning. */
#ifndef ZK_ZONEFILE_H
#define ZK_ZONEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "name.h"
#include "rr.h"

/* Where a record or a message comes from. */
typedef struct zk_zf_loc {
	const char *file;   /* as opened (include paths already joined) */
	unsigned line, col; /* 1-based */
	unsigned depth;     /* 0 = top file, 1 = first $INCLUDE level, ... */
	uint32_t run;       /* grows when the owner changes (exact bytes) or at
	                     * $INCLUDE/$GENERATE: BIND's TTL rule for RRsets */
} zk_zf_loc_t;

enum { ZK_ZF_ERROR = 0, ZK_ZF_WARNING = 1 };

/* For a warning, ec->code says which (errors carry a zk_err_t). */
enum {
	ZK_ZFW_TTL1035 = 1, /* no $TTL: the last explicit TTL is used (RFC 1035 §5.1) */
	ZK_ZFW_SOAMIN = 2,  /* no TTL known: the SOA MINIMUM is used (BIND) */
	ZK_ZFW_MAXTTL = 3,  /* TTL above 2^31-1 set to 0 (RFC 2181 §8) */
};

/* One record; return 0 to go on, anything else stops the parse and is
 * returned by zk_zonefile_parse_*. */
typedef int (*zk_zf_rr_fn)(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc);
/* An error or a warning: ec has code, msg, file, line, col. */
typedef void (*zk_zf_msg_fn)(void *ctx, int severity, const zk_errctx_t *ec);

typedef struct zk_zf_opts {
	const zk_name_t *origin; /* initial $ORIGIN (root when NULL) */
	uint16_t rclass;         /* zone class; 0 = the first record's (IN if none) */
	uint32_t default_ttl;    /* used when have_default_ttl, as if "$TTL n" */
	bool have_default_ttl;
	bool no_include;              /* $INCLUDE is an error (untrusted input) */
	unsigned include_depth;       /* nesting limit; 0 = 16 */
	unsigned max_errors;          /* stop after this many; 0 = 100 */
	unsigned long generate_limit; /* iterations per $GENERATE; 0 = 2^24 */
	zk_zf_rr_fn on_rr;
	zk_zf_msg_fn on_msg; /* may be NULL */
	void *ctx;
} zk_zf_opts_t;

/* Counters after a parse. */
typedef struct zk_zf_stats {
	uint64_t records;
	uint64_t bytes;
	unsigned errors;
	unsigned warnings;
	bool saw_ttl_directive; /* a $TTL line was seen (or have_default_ttl) */
} zk_zf_stats_t;

void zk_zf_opts_init(zk_zf_opts_t *o);

/* Parse a file. Returns 0 when no error was found, ZK_EIO (ec filled) when
 * the top file cannot be read, ZK_ESYNTAX when errors were reported through
 * on_msg (ec holds the first), ZK_ELIMIT when max_errors stopped it, or
 * what on_rr returned. stats may be NULL. */
int zk_zonefile_parse_file(const char *path, const zk_zf_opts_t *o, zk_zf_stats_t *stats,
                           zk_errctx_t *ec);

/* The same over memory; `name` is the file name used in messages and as
 * the base of relative $INCLUDE paths. */
int zk_zonefile_parse_mem(const char *name, const char *buf, size_t len, const zk_zf_opts_t *o,
                          zk_zf_stats_t *stats, zk_errctx_t *ec);

/* A TTL as zone files write it: seconds, or units 1w2d3h4m5s in any case
 * and order ("1h30" is an error, as in BIND). Up to 2^32-1; the parser
 * turns values above 2^31-1 into 0 with a warning (RFC 2181 §8, BIND).
 * ZK_ESYNTAX / ZK_ERANGE. */
int zk_ttl_from_text(const char *s, size_t n, uint32_t *ttl);

/* $GENERATE template expansion for iterator value `it`: $ -> it,
 * ${offset,width,base} with base d o x X n N, $$ -> a literal $, \X kept
 * as written (so \$ stays an escaped $). Writes NUL-terminated text. */
int zk_generate_expand(const char *tmpl, size_t n, long it, char *out, size_t cap, size_t *outlen);

#endif
