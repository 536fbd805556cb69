/* opt — command-line helpers shared by the tools: @server[#port], ports
 * and bounded numbers, TSIG keys from -y and -k, time arguments
 * (+30d, now-1h, YYYYMMDDHHMMSS, unix seconds), durations (1w2d3h4m5s)
 * and ";;" diagnostics for query output.
 *
 * Nothing here prints or reads the clock: `now` is passed in, text is
 * appended to a zk_buf_t, errors go to the error context. */
#ifndef ZK_OPT_H
#define ZK_OPT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "net.h"
#include "tsig.h"

/* ---------------------------------------------------------------- servers */

#define ZK_OPT_HOSTMAX 256

/* A server as given on the command line. */
typedef struct zk_opt_server {
	char host[ZK_OPT_HOSTMAX]; /* the address literal or host name, without
	                            * '@', brackets or port */
	uint16_t port;             /* 0: not given (the tool's default applies) */
	bool is_addr;              /* host is an IP address literal ... */
	zk_net_addr_t addr;        /* ... this one, with port (0 if not given) */
} zk_opt_server_t;

/* "@127.0.0.1", "@192.0.2.1#5300", "@::1", "@::1#5300", "@[::1]#5300",
 * "@[fe80::1%eth0]", "@ns1.example.net", "@ns1.example.net#53"; the '@'
 * is optional (nsupdate's `server` command has none). A port is 1..65535.
 * Errors: ZK_ESYNTAX, ZK_ERANGE. */
int zk_opt_server_parse(zk_opt_server_t *out, const char *arg, zk_errctx_t *ec);

/* "-p 5300": 1..65535. */
int zk_opt_port_parse(const char *s, uint16_t *port, zk_errctx_t *ec);

/* A decimal number in [min, max] ("+tries=3", "+bufsize=1232"). No sign,
 * no spaces, no trailing junk. ZK_ESYNTAX or ZK_ERANGE. */
int zk_opt_uint_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out, zk_errctx_t *ec);

/* ---------------------------------------------------------------- TSIG keys */

/* -y [alg:]name:secret (BIND's order; algorithm hmac-sha256 when not
 * given; hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384,
 * hmac-sha512 and truncated forms like hmac-sha256-128). The parsing is
 * tsig's (zk_tsig_key_from_string); the message says "-y". */
int zk_opt_key_string(zk_tsig_key_t *k, const char *arg, zk_errctx_t *ec);

/* -k FILE: a `key "name" { algorithm ...; secret "..."; };` file (the
 * first key in it, as tsig-keygen writes), or a dnssec-keygen HMAC key
 * pair K<name>+<alg>+<tag>.key / .private (either name may be given; the
 * .private file is read and the key name is taken from the file name).
 * Files over 1 MiB are refused. ZK_EIO, ZK_ENOENT, and tsig's errors
 * with file:line:col in ec. */
int zk_opt_key_file(zk_tsig_key_t *k, const char *path, zk_errctx_t *ec);

/* ---------------------------------------------------------------- time */

/* A duration: "3600", or units in any order (each a number and a unit,
 * case-insensitive): y (365 days), mo (30 days), w, d, h, mi or m
 * (minutes), s — "1w2d3h4m5s", "30d", "1h30mi", "2y". A bare number is
 * seconds only as the whole string. ZK_ESYNTAX, ZK_ERANGE (over 2^62). */
int zk_opt_duration_parse(const char *s, uint64_t *secs, zk_errctx_t *ec);

/* A point in time (seconds since the epoch, UTC):
 *   "now", "now+D", "now-D", "+D", "-D"   relative to now (D a duration)
 *   "YYYYMMDDHHMMSS"                        14 digits, UTC (RFC 4034 §3.2)
 *   "1700000000"                            other all-digit strings: seconds
 * Errors: ZK_ESYNTAX, ZK_ERANGE (bad date fields, before 1970, after 9999). */
int zk_opt_time_parse(const char *s, int64_t now, int64_t *out, zk_errctx_t *ec);

/* YYYYMMDDHHMMSS of t (buf >= 15). ZK_ERANGE outside 1970..9999. */
int zk_opt_time_to_text(int64_t t, char *buf, size_t cap);

/* ---------------------------------------------------------------- diagnostics */

/* ";; " + the text + "\n", every line of a multi-line text prefixed:
 * the form dig uses for comments in its output. */
void zk_opt_diag(zk_buf_t *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zk_opt_vdiag(zk_buf_t *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* ";; " + zk_errctx_format(ec) + "\n". */
void zk_opt_diag_err(zk_buf_t *out, const zk_errctx_t *ec);

/* Long/short option words as the simple tools (zxfr, znotify) take them.
 * zk_opt_is: arg is the option name ("--timeout", "--timeout=3", "-o",
 * "-ofile" for a two-character name). zk_opt_arg: its value from
 * "--opt=value", "--opt value", "-o value" or "-ovalue", advancing *i past
 * a separate value; NULL when the value is missing (the tool says so). */
bool zk_opt_is(const char *arg, const char *name);
const char *zk_opt_arg(int argc, char **argv, int *i, const char *name);

#endif
