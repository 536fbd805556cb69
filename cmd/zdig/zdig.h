/* zdig — the tool's own types, shared by main.c, params.c, query.c and
 * exec.c. */
#ifndef ZDIG_H
#define ZDIG_H

#include <stdbool.h>
#include <stdint.h>

#include <pthread.h>

#include "alloc.h"
#include "name.h"
#include "net.h"
#include "opt.h"
#include "present.h"
#include "tsig.h"

/* Exit codes, as dig's (documented in zdig(1)), plus zkit's 11 and 12. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_NOFILE = 8,    /* the batch or --read file cannot be read */
	EXIT_NOREPLY = 9,   /* no reply (or no message in the --read file) */
	EXIT_INTERNAL = 10, /* malformed reply or message, internal error */
	EXIT_TSIG = 11,     /* the reply failed TSIG verification */
	EXIT_RCODE = 12     /* +fail-rcode: the rcode was not NOERROR */
};

/* What to show; the +options set these. */
typedef struct display {
	bool comments, question, answer, authority, additional;
	bool short_form, multiline, ttlid, ttlunits, classid, crypto;
	bool stats, cmd, json, identify, qr, color, idnout;
	int rrcomments; /* -1: follow multiline (dig's default) */
} display_t;

#define ZDIG_PATHMAX 512

/* One lookup: everything the command line says about it. Plain data
 * (fixed arrays) so that a query copies the global settings by value. */
typedef struct query {
	/* what */
	char name[ZK_NAME_TEXTMAX];
	bool have_name;
	uint16_t qtype, qclass;
	bool type_set, class_set;
	/* where */
	char server[ZK_OPT_HOSTMAX + 16]; /* the @argument, without '@' */
	bool have_server;
	uint16_t port; /* -p (0: 53, or 853 with +tls) */
	int family;    /* AF_UNSPEC, AF_INET (-4), AF_INET6 (-6) */
	char source[ZK_OPT_HOSTMAX + 16];
	bool have_source;
	/* transport */
	bool tcp, ignore, tls;
	unsigned tries, timeout_s;
	bool tries_set, timeout_set;
	char tls_ca[ZDIG_PATHMAX], tls_hostname[ZK_OPT_HOSTMAX];
	char tls_cert[ZDIG_PATHMAX], tls_key[ZDIG_PATHMAX];
	bool tls_verify;
	/* the message */
	bool rd, cd, ad, aa, zflag, header_only;
	uint8_t opcode;
	bool edns;
	uint8_t edns_version;
	uint16_t bufsize;
	bool dnssec, nsid, cookie, expire, keepalive;
	uint8_t cookie_val[40];
	size_t cookie_len; /* 0: a fresh random client cookie */
	unsigned padding;  /* block size, 0: none */
	bool ecs;
	uint8_t ecs_family, ecs_prefix, ecs_addr[16];
	/* lookup */
	bool search, trace, nssearch, fail_rcode, idnin;
	int ndots; /* -1: resolv.conf */
	char roothints[ZDIG_PATHMAX];
	unsigned parallel;   /* +parallel=N: batch window (global) */
	bool shell;          /* +shell: interactive on a TTY without arguments */
	uint16_t trace_port; /* +trace-port=N, 0: 53 */
	/* TSIG */
	bool have_key;
	zk_tsig_key_t key;
	/* GSS-TSIG (-g, --oldgsstsig): one context per server, negotiated
	 * once per run (gss.c) */
	bool gss, gss_windows;
	char gss_keytab[ZDIG_PATHMAX], gss_principal[256], gss_realm[256];
	char gss_server[ZK_OPT_HOSTMAX]; /* --gss-server-name */
	display_t d;
} query_t;

typedef struct params {
	const char *prog;
	const char *read_file;  /* --read FILE ("-" is stdin) */
	const char *batch_file; /* -f FILE */
	bool interactive;       /* -i */
	query_t glob;           /* options before the first name */
	query_t *q;             /* the lookups, in order */
	size_t nq, capq;
	char cmdline[4096]; /* the arguments as given, for the banner */
} params_t;

/* Parse argv. Returns 0 to run, or 1 with *code the exit code to use now
 * (after -h/-V: 0; usage errors: 1, message already printed). */
int params_parse(params_t *p, int argc, char **argv, int *code);
/* One batch or shell line, with the defaults in base; 0 or -1 (the
 * message in err). The line's queries are appended to *out. */
int params_parse_line(const params_t *p, const query_t *base, char *line, query_t **out, size_t *n,
                      size_t *cap, char *err, size_t errcap);
/* Apply one "+option" to q (the shell's `set`). */
int params_plus(const params_t *p, query_t *q, const char *arg, char *err, size_t errcap);
void params_free(params_t *p);
void params_style(const display_t *d, zk_style_t *s);
void params_usage(const char *prog, bool full);
/* Names for tab completion in the shell: NULL-terminated. */
const char *params_plus_name(size_t i);

/* The outcome of one lookup: what it prints and its exit code. */
typedef struct result {
	zk_buf_t out;
	int code;
} result_t;

/* IDN (idn.c): name to its ASCII form when it has non-ASCII octets
 * (+idnin); xn-- labels of the text from `from` on to Unicode (+idnout).
 * idn_to_ascii returns 0, or -1 with a message in err. */
int idn_to_ascii(char *name, size_t cap, char *err, size_t errcap);
void idn_output(zk_buf_t *b, size_t from);
bool idn_available(void);

/* Run one lookup; output goes to r->out (stdout text). first: print the
 * banner (+cmd) before it. */
void query_run(const params_t *p, const query_t *q, bool first, result_t *r);

/* c-ares' library set-up (ares_library_init/cleanup in zk_sysres_*) is
 * not safe from several threads at once, and a batch runs lookups,
 * traces among them, concurrently: every zk_sysres_ call of zdig holds
 * this one lock (query.c). */
extern pthread_mutex_t zdig_sysres_lock;

/* +trace and +nssearch (trace.c); they return an exit code. */
int trace_run(const params_t *p, const query_t *q, bool first, zk_buf_t *o);
int nssearch_run(const params_t *p, const query_t *q, const zk_net_addr_t *server, zk_buf_t *o);

/* GSS-TSIG (gss.c). gsstsig_acquire returns the context for the server at
 * addr (negotiating it the first time: over TCP), locked for the caller's
 * exchange until gsstsig_release; host is the @server host name or NULL, qname
 * the name asked (its SOA MNAME is the last resort for the service name).
 * On failure returns NULL with the message in err (nothing locked).
 * gsstsig_finish deletes every context (TKEY mode 5) at the end of the run. */
struct zk_gss_ctx;
struct zk_gss_ctx *gsstsig_acquire(const query_t *q, const zk_net_addr_t *addr, const char *host,
                                   const zk_name_t *qname, char *err, size_t cap);
void gsstsig_release(void);
void gsstsig_finish(void);

int exec_run(params_t *p);
int shell_run(params_t *p);

#endif
