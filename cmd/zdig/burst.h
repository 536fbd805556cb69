/* zdig — the pieces of one lookup (query.c) that the batch fast path
 * (burst.c) shares with query_run, and the fast path itself. */
#ifndef ZDIG_BURST_H
#define ZDIG_BURST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "gss.h"
#include "msg.h"
#include "net.h"
#include "sysres.h"
#include "tsig.h"
#include "zdig.h"

#define MAXMSG 65535

/* A server to ask and how dig names it in ";; SERVER: addr#port(name)". */
typedef struct server {
	zk_net_addr_t addr;
	char name[ZK_OPT_HOSTMAX];
	bool by_name; /* @host name: the name a DoT certificate must carry */
} server_t;

/* Everything about one exchange with one server. */
typedef struct xchg {
	uint8_t q[MAXMSG];
	size_t qlen;
	uint8_t r[MAXMSG];
	size_t rlen;
	uint8_t cookie[40]; /* client cookie sent */
	size_t cookie_len;
	const char *proto; /* "UDP", "TCP", "TLS" */
	zk_net_stats_t st;
	zk_tsig_ctx_t tsig;
	zk_gss_ctx_t *gss; /* -g: the server's context (locked, gss.c) */
	bool signed_q;
	char tls_info[128];
} xchg_t;

/* What a lookup's servers are: @server or resolv.conf's, with the timeout
 * and tries resolv.conf may set. */
typedef struct srvset {
	server_t *servers; /* malloc()ed */
	size_t n;
	unsigned timeout_s, tries;
	zk_sysres_t conf;
	bool have_conf;
} srvset_t;

/* ---- query.c */

/* Like query_run; args: the banner's words ("; <<>> zdig ... <<>> args"),
 * NULL for none; first: the run's first lookup (a blank line before the
 * banner, the server count and ";; global options" after it). */
void query_run_banner(const params_t *p, const query_t *q, const char *args, bool first,
                      result_t *r);
/* Banner text into ban, in two parts as dig prints them: the head (before
 * the servers are known) and the tail (nservers known). */
void query_banner_head(const params_t *p, const query_t *q, const char *args, bool first,
                       zk_buf_t *ban);
void query_banner_tail(const query_t *q, bool first, size_t nservers, zk_buf_t *ban);
/* The servers of q; -1 with the message in o. Free with srvset_free. */
int query_servers(const query_t *q, srvset_t *s, zk_buf_t *o);
void srvset_free(srvset_t *s);
/* How many names q tries (+search candidates); the first into name. */
size_t query_first_name(const query_t *q, const srvset_t *s, char *name, size_t cap);
/* The query name in wire form (+idnin applied); -1 with the diagnostic
 * in o and *code set. */
int query_qname(const query_t *q, const char *name, zk_name_t *qname, zk_buf_t *o, int *code);
/* Render (and sign) the query for qname into x. edns < 0: no EDNS. */
int query_build(const query_t *q, const zk_name_t *qname, int edns, xchg_t *x, zk_arena_t *a,
                zk_errctx_t *ec);
/* ";; communications error to ...": an exchange with s failed with rc. */
void query_comm_error(zk_buf_t *o, const server_t *s, int rc, const zk_errctx_t *ec,
                      const xchg_t *x);

/* What to do after a reply: done (printed, *code set), or ask again
 * (the EDNS fallback: *edns changed, the note is in o). */
enum reply_step { REPLY_DONE, REPLY_AGAIN };

/* A matching reply is in x->r: parse it, decide on the EDNS fallback
 * (RFC 6891 §6.1.3, §7), else check TSIG and print it. rounds counts the
 * fallbacks; *rcode is the reply's rcode, or -1 for a bad packet. */
enum reply_step query_take_reply(const query_t *q, const server_t *s, xchg_t *x, zk_arena_t *a,
                                 int *edns, unsigned *rounds, bool print_nx, zk_buf_t *ban,
                                 zk_buf_t *o, int *code, int *rcode);
/* The lookup failed with every server. */
void query_no_servers(zk_buf_t *ban, zk_buf_t *o, int *code);
/* The end of every lookup's output (+json: JSON only on stdout). */
void query_end(const query_t *q, zk_buf_t *o, int code);

/* ---- burst.c */

/* Can q take the fast path (plain UDP, one name, nothing interactive)?
 * The servers are not known yet: burst_run may still hand q back. */
bool burst_eligible(const query_t *q);

/* The batch: n lookups, results in res[i] as each completes. */
typedef struct burst_job {
	const params_t *p;
	/* lookup i: made when it starts (NULL: out of memory), released
	 * once printed; a batch's lookups are not all in memory at once */
	const query_t *(*get)(void *qud, size_t i);
	void (*put)(void *qud, size_t i, const query_t *q);
	void *qud;
	const char *const *ban; /* banner words per lookup, or NULL */
	size_t n;
	unsigned window;
	bool first_is_first; /* lookup 0 is the run's first */
} burst_job_t;

/* Run the batch: emit(ud, result) is called for each lookup in input
 * order, as soon as it and its predecessors are done; flush(ud) when the
 * loop is about to wait. Returns the worst exit code. */
int burst_run(const burst_job_t *j, int (*emit)(void *, result_t *), int (*flush)(void *),
              void *ud);

#endif
