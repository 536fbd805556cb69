/* zdig — GSS-TSIG (RFC 3645) for -g and --oldgsstsig: one context per
 * server, negotiated with TKEY over TCP (RFC 2930 mode 3; the tokens do
 * not fit in UDP) the first time a lookup goes there, used by every later
 * lookup of the run, deleted (mode 5) at the end.
 *
 * Batch lookups run concurrently, but a context signs one request at a
 * time (it keeps the request MAC to verify the reply), so the whole
 * exchange holds one lock. A failed negotiation is remembered too, so a
 * batch does not ask the KDC and the server again for every line. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gss.h"
#include "msg.h"
#include "rrtype.h"
#include "xfr.h"
#include "zdig.h"

typedef struct entry {
	zk_net_addr_t addr;
	char host[ZK_NAME_TEXTMAX]; /* the service is DNS/<host> */
	char realm[256];
	bool windows;
	zk_gss_ctx_t *g; /* NULL: the negotiation failed with err */
	char err[1400];
	unsigned timeout_s;
	int family;
} entry_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry_t *tab;
static size_t ntab;

static uint64_t wall(void)
{
	return (uint64_t)time(NULL);
}

static void net_opts(const query_t *q, unsigned timeout_s, zk_net_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->family = q->family;
	o->timeout_ms = (timeout_s ? timeout_s : 5) * 1000;
	o->tries = 1;
}

/* The last resort for the service name, as nsupdate -g takes it: the
 * MNAME of the SOA the server gives for the name asked (in the answer at
 * a zone apex, in the authority section below it). Unsigned: it only
 * names the principal, and Kerberos authenticates the server. */
static int soa_mname(const query_t *q, const zk_net_addr_t *addr, const zk_name_t *qname, char *out,
                     size_t cap, zk_errctx_t *ec)
{
	uint8_t qb[600], *r = malloc(65536);
	size_t qlen, rlen = 0;
	zk_net_opts_t no;
	zk_net_stats_t st = {0};
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;
	uint16_t id = 0;
	bool tc = false;
	int rc;

	if (r == NULL || a == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	net_opts(q, q->timeout_s, &no);
	no.tries = q->tries ? q->tries : 3;
	rc = zk_net_random_id(&id);
	if (rc == 0)
		rc = zk_xfr_soa_msg(id, ZK_OPCODE_QUERY, qname, q->qclass, NULL, NULL, wall(), qb,
		                    sizeof(qb), &qlen, ec);
	if (rc == 0)
		rc = zk_net_udp_exchange(addr, &no, qb, qlen, r, 65536, &rlen, &tc, &st, ec);
	if (rc == 0)
		rc = zk_msg_parse(&m, r, rlen, a, ec);
	if (rc < 0)
		goto done;
	rc = zk_error(ec, ZK_EMSG, "the server gave no SOA for the name");
	for (int sec = ZK_SEC_ANSWER; sec <= ZK_SEC_AUTHORITY && rc < 0; sec++)
		for (size_t i = 0; i < m.count[sec]; i++) {
			const zk_rr_t *rr = &m.rr[sec][i];
			zk_name_t mn;
			size_t pos = 0;
			if (rr->type == ZK_TYPE_SOA &&
			    zk_name_from_wire_plain(&mn, rr->rdata, rr->rdlen, &pos, NULL) == 0) {
				zk_name_to_cstr(&mn, out, cap);
				zk_errctx_init(ec);
				rc = 0;
				break;
			}
		}
done:
	zk_arena_free(a);
	free(r);
	return rc;
}

/* The usual mistakes get a hint on top of the module's explanation. */
static void explain(const query_t *q, int rc, const char *msg, const char *host,
                    const char *host_src, char *err, size_t cap)
{
	int n = snprintf(err, cap, "GSS-TSIG: %s", msg);

	if (n < 0 || (size_t)n >= cap)
		return;
	if (rc == ZK_EKEY && strstr(msg, "no Kerberos credentials") != NULL && !q->gss_keytab[0])
		snprintf(err + n, cap - (size_t)n,
		         " [hint: run kinit, or give --keytab FILE --principal PRINCIPAL]");
	else if (host != NULL && strstr(msg, "service principal") != NULL)
		snprintf(err + n, cap - (size_t)n,
		         " [the name %s came from %s; give the right one with --gss-server-name "
		         "NAME]",
		         host, host_src);
}

static void negotiate(const query_t *q, entry_t *e, const char *host_src)
{
	zk_gss_opts_t o;
	zk_net_opts_t no;
	zk_net_conn_t *c = NULL;
	zk_errctx_t ec;
	char msg[sizeof(ec.msg) + 32];
	int rc;

	memset(&o, 0, sizeof(o));
	o.server = e->host;
	o.realm = e->realm[0] ? e->realm : NULL;
	o.keytab = q->gss_keytab[0] ? q->gss_keytab : NULL;
	o.principal = q->gss_principal[0] ? q->gss_principal : NULL;
	o.windows = e->windows;
	zk_errctx_init(&ec);
	rc = zk_gss_new(&e->g, &o, &ec);
	if (rc == 0) {
		net_opts(q, e->timeout_s, &no);
		rc = zk_net_connect(&c, &e->addr, &no, NULL, &ec);
	}
	if (rc == 0)
		rc = zk_gss_negotiate(e->g, c, &no, wall(), &ec);
	if (c != NULL)
		zk_net_close(c);
	if (rc < 0) {
		zk_gss_free(e->g);
		e->g = NULL;
		snprintf(msg, sizeof(msg), "%s%s",
		         rc == ZK_ENET || rc == ZK_ETIMEOUT ? "TKEY negotiation: " : "",
		         ec.msg[0] ? ec.msg : zk_strerror(rc));
		explain(q, rc, msg, e->host, host_src, e->err, sizeof(e->err));
	}
}

zk_gss_ctx_t *gsstsig_acquire(const query_t *q, const zk_net_addr_t *addr, const char *host,
                              const zk_name_t *qname, char *err, size_t cap)
{
	char h[ZK_NAME_TEXTMAX];
	const char *src;
	entry_t *e = NULL;
	zk_errctx_t ec;

	if (!zk_gss_available()) {
		snprintf(err, cap, "GSS-TSIG unavailable: %s", ZK_GSS_BUILT_OUT);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	/* The service name: --gss-server-name, else the @server host name,
	 * else the SOA MNAME the server gives (nsupdate's order). */
	if (q->gss_server[0]) {
		snprintf(h, sizeof(h), "%s", q->gss_server);
		src = "--gss-server-name";
	} else if (host != NULL) {
		snprintf(h, sizeof(h), "%s", host);
		src = "@server";
	} else {
		/* a context already made with this server serves, whatever
		 * name the next lookup's SOA would give */
		for (size_t i = 0; i < ntab; i++)
			if (zk_net_addr_eq(&tab[i].addr, addr) &&
			    tab[i].windows == q->gss_windows &&
			    strcmp(tab[i].realm, q->gss_realm) == 0) {
				e = &tab[i];
				break;
			}
		src = "the SOA MNAME";
		zk_errctx_init(&ec);
		if (e == NULL && soa_mname(q, addr, qname, h, sizeof(h), &ec) < 0) {
			snprintf(err, cap,
			         "GSS-TSIG: no server name for the service principal: asking the "
			         "SOA: %s [give it with --gss-server-name NAME]",
			         ec.msg[0] ? ec.msg : zk_strerror(ec.code));
			pthread_mutex_unlock(&lock);
			return NULL;
		}
	}
	/* DNS/<host>: the name without the root's trailing dot */
	if (strlen(h) > 1 && h[strlen(h) - 1] == '.')
		h[strlen(h) - 1] = '\0';
	for (size_t i = 0; e == NULL && i < ntab; i++)
		if (zk_net_addr_eq(&tab[i].addr, addr) && strcasecmp(tab[i].host, h) == 0 &&
		    tab[i].windows == q->gss_windows && strcmp(tab[i].realm, q->gss_realm) == 0)
			e = &tab[i];
	if (e == NULL) {
		entry_t *t = realloc(tab, (ntab + 1) * sizeof(*tab));
		if (t == NULL) {
			snprintf(err, cap, "out of memory");
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		tab = t;
		e = &tab[ntab++];
		memset(e, 0, sizeof(*e));
		e->addr = *addr;
		snprintf(e->host, sizeof(e->host), "%s", h);
		snprintf(e->realm, sizeof(e->realm), "%s", q->gss_realm);
		e->windows = q->gss_windows;
		e->timeout_s = q->timeout_s;
		e->family = q->family;
		negotiate(q, e, src);
	}
	if (e->g == NULL) {
		snprintf(err, cap, "%s", e->err);
		pthread_mutex_unlock(&lock);
		return NULL;
	}
	return e->g; /* locked until gsstsig_release */
}

void gsstsig_release(void)
{
	pthread_mutex_unlock(&lock);
}

void gsstsig_finish(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < ntab; i++) {
		entry_t *e = &tab[i];
		uint64_t exp;
		if (e->g == NULL)
			continue;
		exp = zk_gss_expires(e->g);
		/* An expired context is gone on the server too. */
		if (zk_gss_established(e->g) && (exp == 0 || wall() < exp)) {
			zk_net_opts_t no;
			zk_net_conn_t *c = NULL;
			zk_errctx_t ec;
			query_t q;
			memset(&q, 0, sizeof(q));
			q.family = e->family;
			net_opts(&q, e->timeout_s, &no);
			zk_errctx_init(&ec);
			/* Best effort, as dig's: the context expires on the
			 * server anyway. */
			if (zk_net_connect(&c, &e->addr, &no, NULL, &ec) == 0)
				(void)zk_gss_delete(e->g, c, &no, wall(), &ec);
			if (c != NULL)
				zk_net_close(c);
		}
		zk_gss_free(e->g);
		e->g = NULL;
	}
	free(tab);
	tab = NULL;
	ntab = 0;
	pthread_mutex_unlock(&lock);
}
