/* zupdate — the tool's own types, shared by its files. */
#ifndef ZUPDATE_H
#define ZUPDATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "alloc.h"
#include "gss.h"
#include "keyfile.h"
#include "net.h"
#include "opt.h"
#include "sig0.h"
#include "tsig.h"
#include "update.h"

/* Exit codes (documented in zupdate(1)). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,     /* bad option, syntax error in the commands, unreadable key */
	EXIT_RCODE = 2,     /* a send was answered with an error rcode */
	EXIT_SECURITY = 3,  /* TSIG/SIG(0) failure: BADKEY, BADSIG, BADTIME, no verified reply */
	EXIT_NOREPLY = 4,   /* server down, time-out, network error */
	EXIT_DISCOVERY = 5, /* zone or primary server not found */
	EXIT_INTERNAL = 10
};

enum secure_mode { SECURE_AUTO, SECURE_ALWAYS, SECURE_NEVER };

typedef struct params {
	const char *prog;
	int debug;               /* -d 1, -D 2 */
	bool tcp;                /* -v */
	unsigned timeout_s;      /* -t: whole update (0: no limit beyond the tries) */
	unsigned udp_timeout_ms; /* -u: per UDP try */
	unsigned retries;        /* -r: UDP retries after the first send */
	const char *keyfile;     /* -k */
	const char *keystr;      /* -y */
	uint16_t port;           /* -p (0: 53) */
	int family;              /* -4 / -6 */
	bool local;              /* -l: localhost only */
	const char *file;        /* commands; NULL: stdin */
	enum secure_mode secure; /* --secure= */
	bool json;               /* --json */
	const char *resolvconf;  /* --resolv-conf (also $ZUPDATE_RESOLV_CONF) */
	int64_t clock_skew;      /* --clock-skew: seconds added to our clock (tests) */
	/* GSS-TSIG (RFC 3645) */
	bool gss;                    /* -g (or -o) */
	bool gss_windows;            /* -o: the Windows 2000 variant */
	const char *gss_keytab;      /* --keytab: client keytab (unattended) */
	const char *gss_principal;   /* --principal: client principal */
	const char *gss_server_name; /* --gss-server-name: DNS/<name> */
	const char *gss_realm;       /* --realm (also the `realm` command) */
} params_t;

enum key_kind { KEY_NONE, KEY_TSIG, KEY_SIG0, KEY_GSS };

/* Result of the last send (for `answer` and --json). */
typedef struct result {
	bool have_reply;
	uint8_t *reply; /* malloc'd wire form */
	size_t reply_len;
	bool tsig_reply; /* rcode 16 reads BADSIG */
	uint8_t *failed; /* the last update that failed, rendered (for `show`) */
	size_t failed_len;
} result_t;

typedef struct session {
	const params_t *p;
	zk_update_t upd;
	/* state set by commands */
	bool has_server;
	zk_opt_server_t server;
	bool has_local;
	zk_net_addr_t local;
	bool has_zone;
	zk_name_t zone;
	zk_name_t origin;
	uint32_t ttl;
	bool has_ttl;
	enum key_kind key;
	zk_tsig_key_t tsig;
	zk_keyfile_t sig0;
	char keyname[ZK_NAME_TEXTMAX];
	/* GSS-TSIG: the variant and realm asked for, and the context of the
	 * server last negotiated with (kept across sends, deleted at the end
	 * or when another server or variant is needed). */
	bool gss_windows;
	char realm[256];
	zk_gss_ctx_t *gss;
	zk_net_addr_t gss_addr;
	char gss_host[ZK_NAME_TEXTMAX];
	bool gss_ctx_windows;
	char gss_ctx_realm[256];
	int debug;
	result_t last;
	int exit_code; /* of the last failed send, 0 while none failed */
	const char *src;
	unsigned line;
	bool interactive;
	FILE *out; /* normal output */
} session_t;

/* params.c */
int params_parse(params_t *p, int argc, char **argv, int *code);
void params_usage(const char *prog, bool full);

/* keys.c: -k / -y / `key`. */
int keys_load_file(session_t *s, const char *path);
int keys_load_string(session_t *s, const char *str);
void keys_clear(session_t *s);
/* -g / -o / gsstsig / oldgsstsig: sign with GSS-TSIG from now on. */
void keys_use_gss(session_t *s, bool windows);

/* gsstsig.c: the GSS-TSIG context for one server. */
/* The context for the server at addr whose host name is host (the
 * service principal is DNS/<host>; host_src says where the name came
 * from, for the hint when the KDC does not know it): reused when it is
 * established with the same server and not about to expire, else
 * negotiated (TKEY over TCP). On failure err gets the whole explanation;
 * ZK_ENET/ZK_ETIMEOUT: the server did not answer. */
int gss_ensure(session_t *s, const zk_net_addr_t *addr, const char *host, const char *host_src,
               unsigned timeout_ms, char *err, size_t cap);
/* Delete the context on the server (TKEY mode 5) and locally. */
void gss_finish(session_t *s);
/* Forget the context without telling the server (it no longer has it). */
void gss_drop(session_t *s);
/* "GSS-TSIG unavailable: built without GSS-API (...)" when built out. */
bool gss_check_available(const char *prog, const char *what);
/* Wall clock with --clock-skew (send.c). */
uint64_t send_now(const session_t *s);

/* interp.c: read and run commands. */
int interp_run(session_t *s);
/* One command line; returns 0, INTERP_QUIT, or an EXIT_ code after an
 * error (EXIT_USAGE for a syntax error). */
#define INTERP_QUIT (-1)
int interp_line(session_t *s, char *line);

/* send.c */
/* Send the pending update (and clear it when it was applied). Returns 0 or
 * an EXIT_ code; messages are printed. */
int send_update(session_t *s);
/* Print the last answer. */
void send_print_answer(session_t *s);
/* Print the pending update (nsupdate's `show`). */
void send_print_pending(session_t *s, FILE *f);

/* Diagnostics. */
void say(const session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbg(const session_t *s, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
