/* zdig — +trace (iterative resolution from the root, each step printed as
 * dig does) and +nssearch (the SOA serial from every authoritative server
 * of a zone).
 *
 * Where the trace starts (zdig(1) documents the order):
 *   1. +roothints=FILE naming root servers: those, nothing asked;
 *   2. otherwise, as dig: ". NS" asked of @server, or of the system
 *      resolver's servers, whose answer is printed first; the trace then
 *      goes on from the servers it names (their glue, or their addresses
 *      asked of the same server);
 *   3. without @server, when the system resolver does not answer: the
 *      built-in root hints, with a note saying so.
 *
 * A hints file holds zone-file lines ". NS a.root.test." and
 * "a.root.test. A 127.0.0.1" (TTL and class are optional; other types and
 * $ lines are ignored). Two zkit extensions for a laboratory hierarchy of
 * servers on loopback:
 *   +trace-port=N   every query of the trace goes to port N;
 *   ";@ FROM TO#PORT" lines in the hints file: a query that would go to
 *                   address FROM goes to TO#PORT instead (so glue like
 *                   127.0.0.3 can reach a server on 127.0.0.1#40001).
 *                   The map also applies to +nssearch and to the ". NS"
 *                   query of 2. above; a file of only such lines gives
 *                   the map and leaves the root servers to 2. */
#include "config.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "msg.h"
#include "opt.h"
#include "net.h"
#include "rrtype.h"
#include "sysres.h"
#include "zdig.h"

#define MAXMSG     65535
#define MAXSERVERS 64
#define MAXSTEPS   32

/* IANA root hints (named.root), the 13 root server addresses. */
static const char builtin_hints[] = ". NS a.root-servers.net.\n"
                                    ". NS b.root-servers.net.\n"
                                    ". NS c.root-servers.net.\n"
                                    ". NS d.root-servers.net.\n"
                                    ". NS e.root-servers.net.\n"
                                    ". NS f.root-servers.net.\n"
                                    ". NS g.root-servers.net.\n"
                                    ". NS h.root-servers.net.\n"
                                    ". NS i.root-servers.net.\n"
                                    ". NS j.root-servers.net.\n"
                                    ". NS k.root-servers.net.\n"
                                    ". NS l.root-servers.net.\n"
                                    ". NS m.root-servers.net.\n"
                                    "a.root-servers.net. A 198.41.0.4\n"
                                    "b.root-servers.net. A 170.247.170.2\n"
                                    "c.root-servers.net. A 192.33.4.12\n"
                                    "d.root-servers.net. A 199.7.91.13\n"
                                    "e.root-servers.net. A 192.203.230.10\n"
                                    "f.root-servers.net. A 192.5.5.241\n"
                                    "g.root-servers.net. A 192.112.36.4\n"
                                    "h.root-servers.net. A 198.97.190.53\n"
                                    "i.root-servers.net. A 192.36.148.17\n"
                                    "j.root-servers.net. A 192.58.128.30\n"
                                    "k.root-servers.net. A 193.0.14.129\n"
                                    "l.root-servers.net. A 199.7.83.42\n"
                                    "m.root-servers.net. A 202.12.27.33\n"
                                    "a.root-servers.net. AAAA 2001:503:ba3e::2:30\n"
                                    "b.root-servers.net. AAAA 2801:1b8:10::b\n"
                                    "c.root-servers.net. AAAA 2001:500:2::c\n"
                                    "d.root-servers.net. AAAA 2001:500:2d::d\n"
                                    "e.root-servers.net. AAAA 2001:500:a8::e\n"
                                    "f.root-servers.net. AAAA 2001:500:2f::f\n"
                                    "g.root-servers.net. AAAA 2001:500:12::d0d\n"
                                    "h.root-servers.net. AAAA 2001:500:1::53\n"
                                    "i.root-servers.net. AAAA 2001:7fe::53\n"
                                    "j.root-servers.net. AAAA 2001:503:c27::2:30\n"
                                    "k.root-servers.net. AAAA 2001:7fd::1\n"
                                    "l.root-servers.net. AAAA 2001:500:9f::42\n"
                                    "m.root-servers.net. AAAA 2001:dc3::35\n";

/* A name server of the zone being asked: its name, and its addresses
 * (glue or looked up). */
typedef struct nsaddr {
	char name[ZK_NAME_TEXTMAX];
	zk_net_addr_t addr;
	bool has_addr;
} nsaddr_t;

typedef struct nsset {
	nsaddr_t s[MAXSERVERS];
	size_t n;
} nsset_t;

typedef struct addrmap {
	zk_net_addr_t from, to;
} addrmap_t;

typedef struct tctx {
	const query_t *q;
	nsset_t hints;
	addrmap_t map[MAXSERVERS];
	size_t nmap;
	uint16_t port;
	bool rd;       /* RD in the queries: only for the ". NS" one */
	zk_style_t st; /* how RRs and the step lines are printed */
	zk_buf_t *o;
	uint8_t qbuf[MAXMSG], rbuf[MAXMSG];
} tctx_t;

static bool family_ok(const query_t *q, int fam)
{
	return q->family == AF_UNSPEC || q->family == fam;
}

static void nsset_add(nsset_t *set, const char *name, const zk_net_addr_t *a)
{
	/* a name without an address yet is one entry; each address another */
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->s[i].name, name) != 0)
			continue;
		if (a == NULL)
			return;
		if (!set->s[i].has_addr) {
			set->s[i].addr = *a;
			set->s[i].has_addr = true;
			return;
		}
		if (zk_net_addr_eq(&set->s[i].addr, a))
			return;
	}
	if (set->n == MAXSERVERS)
		return;
	snprintf(set->s[set->n].name, sizeof(set->s[set->n].name), "%s", name);
	set->s[set->n].has_addr = a != NULL;
	if (a != NULL)
		set->s[set->n].addr = *a;
	set->n++;
}

/* Hints text: "owner [ttl] [IN] TYPE data" lines. */
static int parse_hints(tctx_t *t, const char *text, const char *file, char *err, size_t cap)
{
	char *copy = zk_xstrdup(text), *save = NULL;
	unsigned lineno = 0;
	int rc = 0;

	for (char *line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok[8], *s2 = NULL;
		size_t nt = 0;
		lineno++;
		if (strncmp(line, ";@", 2) == 0) {
			char from[128], to[300];
			zk_opt_server_t ts;
			zk_errctx_t ec;
			zk_errctx_init(&ec);
			if (sscanf(line + 2, "%127s %299s", from, to) != 2 ||
			    t->nmap == MAXSERVERS ||
			    zk_net_addr_parse(&t->map[t->nmap].from, from, 0, &ec) < 0 ||
			    zk_opt_server_parse(&ts, to, &ec) < 0 || !ts.is_addr) {
				snprintf(err, cap,
				         "%s:%u: expected ;@ FROM-ADDRESS TO-ADDRESS#PORT", file,
				         lineno);
				rc = -1;
				break;
			}
			t->map[t->nmap].to = ts.addr;
			if (ts.port == 0)
				zk_net_addr_set_port(&t->map[t->nmap].to, 53);
			t->nmap++;
			continue;
		}
		for (char *c = line; *c; c++)
			if (*c == ';') {
				*c = '\0';
				break;
			}
		for (char *w = strtok_r(line, " \t\r", &s2); w != NULL && nt < 8;
		     w = strtok_r(NULL, " \t\r", &s2))
			tok[nt++] = w;
		if (nt == 0 || tok[0][0] == '$')
			continue;
		size_t k = 1;
		while (k < nt && (strspn(tok[k], "0123456789") == strlen(tok[k]) ||
		                  strcmp(tok[k], "IN") == 0 || strcmp(tok[k], "in") == 0))
			k++;
		if (k + 1 >= nt) {
			snprintf(err, cap, "%s:%u: expected OWNER [TTL] [IN] TYPE DATA", file,
			         lineno);
			rc = -1;
			break;
		}
		uint16_t type;
		if (zk_rrtype_from_text(tok[k], strlen(tok[k]), &type) < 0)
			continue;
		if (type == ZK_TYPE_NS) {
			nsset_add(&t->hints, tok[k + 1], NULL);
		} else if (type == ZK_TYPE_A || type == ZK_TYPE_AAAA) {
			zk_net_addr_t a;
			zk_errctx_t ec;
			zk_errctx_init(&ec);
			if (zk_net_addr_parse(&a, tok[k + 1], t->port, &ec) < 0) {
				snprintf(err, cap, "%s:%u: bad address %s", file, lineno,
				         tok[k + 1]);
				rc = -1;
				break;
			}
			if (family_ok(t->q, zk_net_addr_family(&a)))
				nsset_add(&t->hints, tok[0], &a);
		}
	}
	free(copy);
	/* a file of ";@" lines alone: the root servers come from asking */
	if (rc == 0 && t->hints.n == 0 && t->nmap == 0) {
		snprintf(err, cap, "%s: no root servers", file);
		rc = -1;
	}
	return rc;
}

static int load_hints(tctx_t *t, char *err, size_t cap)
{
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	if (t->q->roothints[0] == '\0')
		return parse_hints(t, builtin_hints, "built-in hints", err, cap);
	f = fopen(t->q->roothints, "r");
	if (f == NULL) {
		snprintf(err, cap, "%s: cannot open", t->q->roothints);
		return -1;
	}
	buf = zk_xmalloc(1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	rc = parse_hints(t, buf, t->q->roothints, err, cap);
	free(buf);
	return rc;
}

/* One question to one server, RD=0; TC → TCP. */
static int ask(tctx_t *t, const zk_net_addr_t *srv, const zk_name_t *qname, uint16_t qtype,
               zk_arena_t *a, zk_msg_t *m, size_t *rlen, zk_net_stats_t *st, zk_errctx_t *ec)
{
	const query_t *q = t->q;
	zk_msg_t qm;
	zk_net_opts_t no = {0};
	size_t qlen;
	uint16_t id;
	bool tc = false;
	int rc;

	zk_msg_init(&qm);
	if (zk_net_random_id(&id) < 0)
		return zk_error(ec, ZK_ECRYPTO, "no random numbers");
	qm.id = id;
	qm.flags = (q->cd ? ZK_FLAG_CD : 0) | (t->rd ? ZK_FLAG_RD : 0);
	if (zk_msg_set_question(&qm, a, qname, qtype, q->qclass) < 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if (q->edns) {
		qm.has_edns = true;
		qm.edns.udp_size = q->bufsize;
		qm.edns.flags = q->dnssec ? ZK_EDNS_DO : 0;
	}
	rc = zk_msg_render(&qm, t->qbuf, MAXMSG, &qlen, ec);
	if (rc < 0)
		return rc;
	no.family = q->family;
	no.timeout_ms = q->timeout_s * 1000;
	no.tries = q->tries;
	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < t->nmap; i++) {
		zk_net_addr_t from = t->map[i].from;
		zk_net_addr_set_port(&from, zk_net_addr_port(srv));
		if (zk_net_addr_eq(&from, srv)) {
			srv = &t->map[i].to;
			break;
		}
	}
	if (!q->tcp) {
		rc = zk_net_udp_exchange(srv, &no, t->qbuf, qlen, t->rbuf, MAXMSG, rlen, &tc, st,
		                         ec);
		if (rc < 0)
			return rc;
	}
	if (q->tcp || (tc && !q->ignore)) {
		zk_net_conn_t *c = NULL;
		rc = zk_net_connect(&c, srv, &no, NULL, ec);
		if (rc < 0)
			return rc;
		rc = zk_net_stream_exchange(c, &no, t->qbuf, qlen, t->rbuf, MAXMSG, rlen, st, ec);
		zk_net_close(c);
		if (rc < 0)
			return rc;
	}
	return zk_msg_parse(m, t->rbuf, *rlen, a, ec);
}

static void name_text(const zk_name_t *n, char *buf, size_t cap)
{
	zk_name_to_cstr(n, buf, cap);
}

static int iterate(tctx_t *t, const zk_name_t *qname, uint16_t qtype, bool print, unsigned depth,
                   nsset_t *found);

/* Addresses of the servers without glue: looked up from the root, quietly. */
static void fill_addresses(tctx_t *t, nsset_t *ns, unsigned depth)
{
	size_t n = ns->n;

	for (size_t i = 0; i < n; i++) {
		nsset_t r = {.n = 0};
		zk_name_t nm;
		zk_errctx_t ec;
		if (ns->s[i].has_addr)
			continue;
		zk_errctx_init(&ec);
		if (depth >= 3 ||
		    zk_name_from_text(&nm, ns->s[i].name, strlen(ns->s[i].name), NULL, &ec) < 0)
			continue;
		if (family_ok(t->q, AF_INET))
			(void)iterate(t, &nm, ZK_TYPE_A, false, depth + 1, &r);
		if (r.n == 0 && family_ok(t->q, AF_INET6))
			(void)iterate(t, &nm, ZK_TYPE_AAAA, false, depth + 1, &r);
		for (size_t k = 0; k < r.n; k++)
			if (r.s[k].has_addr)
				nsset_add(ns, ns->s[i].name, &r.s[k].addr);
		if (r.n > 0)
			return; /* one server with an address is enough to go on */
	}
}

static void print_section(tctx_t *t, const zk_msg_t *m, enum zk_section sec)
{
	for (size_t i = 0; i < m->count[sec]; i++)
		zk_present_rr(&m->rr[sec][i], &t->st, t->o);
}

/* The addresses of target (text tn) in a section of m, into set. */
static void add_glue_section(tctx_t *t, nsset_t *set, const zk_msg_t *m, enum zk_section sec,
                             const zk_name_t *target, const char *tn)
{
	for (size_t k = 0; k < m->count[sec]; k++) {
		const zk_rr_t *g = &m->rr[sec][k];
		zk_net_addr_t ad;
		zk_errctx_t ec;
		char host[64];
		if (!zk_name_eq(g->owner, target))
			continue;
		if (g->type == ZK_TYPE_A && g->rdlen == 4)
			snprintf(host, sizeof(host), "%u.%u.%u.%u", g->rdata[0], g->rdata[1],
			         g->rdata[2], g->rdata[3]);
		else if (g->type != ZK_TYPE_AAAA || g->rdlen != 16 ||
		         inet_ntop(AF_INET6, g->rdata, host, sizeof(host)) == NULL)
			continue;
		zk_errctx_init(&ec);
		if (zk_net_addr_parse(&ad, host, t->port, &ec) == 0 &&
		    family_ok(t->q, zk_net_addr_family(&ad)))
			nsset_add(set, tn, &ad);
	}
}

/* The glue for target in m's additional section. */
static void add_glue(tctx_t *t, nsset_t *set, const zk_msg_t *m, const zk_name_t *target,
                     const char *tn)
{
	add_glue_section(t, set, m, ZK_SEC_ADDITIONAL, target, tn);
}

/* Walk down from the root. print: show each step as dig +trace; otherwise
 * collect the A/AAAA answers into found. Returns an exit code. */
static int iterate(tctx_t *t, const zk_name_t *qname, uint16_t qtype, bool print, unsigned depth,
                   nsset_t *found)
{
	nsset_t *ns = zk_xcalloc(1, sizeof(*ns));
	zk_arena_t *a = zk_arena_new(0);
	zk_name_t zone;
	int code = EXIT_NOREPLY;

	*ns = t->hints;
	zk_name_copy(&zone, &zk_name_root);
	for (unsigned step = 0; step < MAXSTEPS; step++) {
		zk_msg_t m;
		zk_net_stats_t st;
		size_t rlen = 0, used = SIZE_MAX;
		int rc = -1;
		bool referral = false;
		zk_name_t next;

		fill_addresses(t, ns, depth);
		for (size_t i = 0; i < ns->n; i++) {
			zk_errctx_t ec;
			if (!ns->s[i].has_addr)
				continue;
			zk_errctx_init(&ec);
			zk_arena_reset(a);
			rc = ask(t, &ns->s[i].addr, qname, qtype, a, &m, &rlen, &st, &ec);
			if (rc == 0) {
				used = i;
				break;
			}
			if (print) {
				char srv[ZK_NET_ADDRSTRLEN], msg[300];
				zk_net_addr_to_text(&ns->s[i].addr, srv, sizeof(srv));
				zk_errctx_format(&ec, msg, sizeof(msg));
				zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o,
				                   ";; communications error to %s(%s): %s\n", srv,
				                   ns->s[i].name,
				                   rc == ZK_ETIMEOUT ? "timed out" : msg);
			}
		}
		if (used == SIZE_MAX) {
			if (print)
				zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o,
				                   ";; no servers could be reached\n");
			break;
		}
		if (print) {
			char srv[ZK_NET_ADDRSTRLEN];
			print_section(t, &m, ZK_SEC_ANSWER);
			print_section(t, &m, ZK_SEC_AUTHORITY);
			zk_net_addr_to_text(&ns->s[used].addr, srv, sizeof(srv));
			zk_present_painted(&t->st, ZK_PAINT_COMMENT, t->o,
			                   ";; Received %zu bytes from %s(%s) in %llu ms\n", rlen,
			                   srv, ns->s[used].name,
			                   (unsigned long long)(st.elapsed_us / 1000));
			zk_buf_putc(t->o, '\n');
		}
		code = EXIT_OK;
		if (m.rcode != ZK_RCODE_NOERROR || m.count[ZK_SEC_ANSWER] > 0) {
			if (found != NULL)
				for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
					const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][i];
					zk_net_addr_t ad;
					memset(&ad, 0, sizeof(ad));
					if (rr->type == ZK_TYPE_A && rr->rdlen == 4) {
						struct sockaddr_in *sin =
						    (struct sockaddr_in *)&ad.ss;
						sin->sin_family = AF_INET;
						memcpy(&sin->sin_addr, rr->rdata, 4);
						ad.len = sizeof(*sin);
					} else if (rr->type == ZK_TYPE_AAAA && rr->rdlen == 16) {
						struct sockaddr_in6 *s6 =
						    (struct sockaddr_in6 *)&ad.ss;
						s6->sin6_family = AF_INET6;
						memcpy(&s6->sin6_addr, rr->rdata, 16);
						ad.len = sizeof(*s6);
					} else {
						continue;
					}
					zk_net_addr_set_port(&ad, t->port);
					nsset_add(found, "answer", &ad);
					found->s[found->n - 1].name[0] = '\0';
				}
			break;
		}
		/* A referral: NS records for a zone below the one just asked
		 * (RFC 1034 §4.3.2 step 3b). */
		nsset_t *nx = zk_xcalloc(1, sizeof(*nx));
		for (size_t i = 0; i < m.count[ZK_SEC_AUTHORITY]; i++) {
			const zk_rr_t *rr = &m.rr[ZK_SEC_AUTHORITY][i];
			zk_name_t target;
			size_t pos = 0;
			char tn[ZK_NAME_TEXTMAX];
			if (rr->type != ZK_TYPE_NS || !zk_name_is_sub(rr->owner, &zone) ||
			    rr->owner->labels <= zone.labels || !zk_name_is_sub(qname, rr->owner))
				continue;
			if (zk_name_from_wire_plain(&target, rr->rdata, rr->rdlen, &pos, NULL) < 0)
				continue;
			zk_name_copy(&next, rr->owner);
			referral = true;
			name_text(&target, tn, sizeof(tn));
			nsset_add(nx, tn, NULL);
			add_glue(t, nx, &m, &target, tn);
		}
		if (!referral) {
			free(nx);
			break; /* NODATA, or a lame server: nothing further to ask */
		}
		zk_name_copy(&zone, &next);
		*ns = *nx;
		free(nx);
	}
	zk_arena_free(a);
	free(ns);
	return code;
}

/* A server asked for the root NS set, and how ";; Received" names it
 * (the @server argument, or the address). */
typedef struct primer {
	zk_net_addr_t addr;
	char name[ZK_OPT_HOSTMAX];
} primer_t;

/* @server (an address, or a host name through the system resolver), or
 * resolv.conf's servers (ZDIG_RESOLV_CONF names another file, as for any
 * lookup). Returns how many; 0 with the reason in err. */
static size_t primers(const query_t *q, primer_t *out, size_t max, char *err, size_t cap)
{
	zk_sysres_opts_t so = {0};
	zk_errctx_t ec;
	uint16_t port = q->port ? q->port : 53;
	size_t n = 0;
	int rc;

	zk_errctx_init(&ec);
	so.resolvconf = getenv("ZDIG_RESOLV_CONF");
	so.port = port;
	if (q->have_server) {
		zk_opt_server_t s;
		zk_net_addr_t *addrs = NULL;
		size_t na = 0;
		if (zk_opt_server_parse(&s, q->server, &ec) < 0)
			goto fail;
		if (s.port != 0)
			port = s.port;
		if (s.is_addr) {
			out[0].addr = s.addr;
			zk_net_addr_set_port(&out[0].addr, port);
			snprintf(out[0].name, sizeof(out[0].name), "%s", s.host);
			return 1;
		}
		pthread_mutex_lock(&zdig_sysres_lock);
		rc = zk_sysres_resolve(&so, s.host, q->family, port, q->timeout_s * 1000, &addrs,
		                       &na, &ec);
		pthread_mutex_unlock(&zdig_sysres_lock);
		if (rc < 0)
			goto fail;
		for (size_t i = 0; i < na && n < max; i++, n++) {
			out[n].addr = addrs[i];
			snprintf(out[n].name, sizeof(out[n].name), "%s", s.host);
		}
		free(addrs);
	} else {
		zk_sysres_t conf;
		pthread_mutex_lock(&zdig_sysres_lock);
		rc = zk_sysres_load(&conf, &so, &ec);
		pthread_mutex_unlock(&zdig_sysres_lock);
		if (rc < 0)
			goto fail;
		for (size_t i = 0; i < conf.nservers && n < max; i++) {
			if (!family_ok(q, zk_net_addr_family(&conf.servers[i])))
				continue;
			out[n].addr = conf.servers[i];
			zk_net_addr_set_port(&out[n].addr, port);
			zk_net_addr_host_text(&out[n].addr, out[n].name, sizeof(out[n].name));
			n++;
		}
		zk_sysres_free(&conf);
	}
	if (n == 0)
		snprintf(err, cap, "no server address%s",
		         q->family != AF_UNSPEC ? " of that family" : "");
	return n;
fail:
	zk_errctx_format(&ec, err, cap);
	return 0;
}

static bool has_root_ns(const zk_msg_t *m)
{
	for (size_t i = 0; i < m->count[ZK_SEC_ANSWER]; i++) {
		const zk_rr_t *rr = &m->rr[ZK_SEC_ANSWER][i];
		if (rr->type == ZK_TYPE_NS && zk_name_eq(rr->owner, &zk_name_root))
			return true;
	}
	return false;
}

/* Addresses of the root servers named without glue, asked of the server
 * that named them (dig asks its system resolver), until one has one. */
static void primer_addresses(tctx_t *t, const primer_t *p, zk_arena_t *a)
{
	size_t n = t->hints.n;

	for (size_t i = 0; i < n; i++) {
		if (t->hints.s[i].has_addr)
			return;
	}
	for (size_t i = 0; i < n; i++) {
		zk_name_t nm;
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		if (zk_name_from_text(&nm, t->hints.s[i].name, strlen(t->hints.s[i].name), NULL,
		                      &ec) < 0)
			continue;
		for (int k = 0; k < 2; k++) {
			uint16_t ty = k == 0 ? ZK_TYPE_A : ZK_TYPE_AAAA;
			zk_msg_t m;
			zk_net_stats_t st;
			size_t rlen;
			if (!family_ok(t->q, k == 0 ? AF_INET : AF_INET6))
				continue;
			zk_arena_reset(a);
			zk_errctx_init(&ec);
			if (ask(t, &p->addr, &nm, ty, a, &m, &rlen, &st, &ec) < 0)
				continue;
			add_glue_section(t, &t->hints, &m, ZK_SEC_ANSWER, &nm, t->hints.s[i].name);
		}
		for (size_t k = 0; k < t->hints.n; k++)
			if (t->hints.s[k].has_addr)
				return;
	}
}

/* dig +trace's first step: ". NS" asked of @server or of the system
 * resolver (RD as +[no]recurse, since that is usually a resolver), its
 * answer printed, and the servers it names the ones to start from.
 * Returns 0, or an exit code with the failure printed (quiet: not). */
static int prime(tctx_t *t, const primer_t *ps, size_t np, const char *why, bool quiet)
{
	zk_arena_t *a = zk_arena_new(0);
	char err[400];
	size_t used = SIZE_MAX, rlen = 0;
	zk_msg_t m;
	zk_net_stats_t st;
	int code = EXIT_NOREPLY;

	if (a == NULL) {
		code = EXIT_INTERNAL;
		goto done;
	}
	if (np == 0) {
		if (!quiet)
			zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o, ";; no servers: %s\n",
			                   why);
		goto done;
	}
	t->rd = t->q->rd;
	for (size_t i = 0; i < np; i++) {
		zk_errctx_t ec;
		char srv[ZK_NET_ADDRSTRLEN], rc_t[32];
		int rc;
		zk_errctx_init(&ec);
		zk_arena_reset(a);
		rc = ask(t, &ps[i].addr, &zk_name_root, ZK_TYPE_NS, a, &m, &rlen, &st, &ec);
		if (rc == 0 && m.rcode == ZK_RCODE_NOERROR && has_root_ns(&m)) {
			used = i;
			break;
		}
		if (quiet)
			continue;
		zk_net_addr_to_text(&ps[i].addr, srv, sizeof(srv));
		if (rc < 0) {
			zk_errctx_format(&ec, err, sizeof(err));
			zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o,
			                   ";; communications error to %s(%s): %s\n", srv,
			                   ps[i].name, rc == ZK_ETIMEOUT ? "timed out" : err);
		} else {
			zk_rcode_to_text(m.rcode, false, rc_t, sizeof(rc_t));
			zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o,
			                   ";; no root NS set from %s(%s): status %s\n", srv,
			                   ps[i].name, rc_t);
		}
	}
	if (used == SIZE_MAX) {
		if (!quiet)
			zk_present_painted(&t->st, ZK_PAINT_ERROR, t->o,
			                   ";; no servers could be reached\n");
		goto done;
	}
	{
		char srv[ZK_NET_ADDRSTRLEN];
		print_section(t, &m, ZK_SEC_ANSWER);
		zk_net_addr_to_text(&ps[used].addr, srv, sizeof(srv));
		zk_present_painted(&t->st, ZK_PAINT_COMMENT, t->o,
		                   ";; Received %zu bytes from %s(%s) in %llu ms\n", rlen, srv,
		                   ps[used].name, (unsigned long long)(st.elapsed_us / 1000));
		zk_buf_putc(t->o, '\n');
	}
	for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
		const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][i];
		zk_name_t target;
		size_t pos = 0;
		char tn[ZK_NAME_TEXTMAX];
		if (rr->type != ZK_TYPE_NS || !zk_name_eq(rr->owner, &zk_name_root) ||
		    zk_name_from_wire_plain(&target, rr->rdata, rr->rdlen, &pos, NULL) < 0)
			continue;
		name_text(&target, tn, sizeof(tn));
		nsset_add(&t->hints, tn, NULL);
		add_glue(t, &t->hints, &m, &target, tn);
	}
	primer_addresses(t, &ps[used], a);
	code = 0;
done:
	t->rd = false;
	zk_arena_free(a);
	return code;
}

/* The hints' root NS set, printed where dig prints the ". NS" answer. */
static void print_hints(tctx_t *t, const char *from)
{
	for (size_t i = 0; i < t->hints.n; i++) {
		zk_name_t target;
		zk_errctx_t ec;
		zk_rr_t rr = {.owner = &zk_name_root,
		              .type = ZK_TYPE_NS,
		              .rclass = ZK_CLASS_IN,
		              .ttl = 518400};
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= strcmp(t->hints.s[k].name, t->hints.s[i].name) == 0;
		zk_errctx_init(&ec);
		if (dup || zk_name_from_text(&target, t->hints.s[i].name,
		                             strlen(t->hints.s[i].name), NULL, &ec) < 0)
			continue;
		rr.rdata = target.wire;
		rr.rdlen = target.len;
		zk_present_rr(&rr, &t->st, t->o);
	}
	zk_present_painted(&t->st, ZK_PAINT_COMMENT, t->o, ";; Received root hints from %s\n",
	                   from);
	zk_buf_putc(t->o, '\n');
}

int trace_run(const params_t *p, const query_t *q, bool first, zk_buf_t *o)
{
	tctx_t *t = zk_xcalloc(1, sizeof(*t));
	primer_t *ps = NULL;
	size_t np = 0;
	char err[600] = "";
	zk_name_t qname;
	zk_errctx_t ec;
	int code = EXIT_OK;
	const char *name = q->have_name ? q->name : ".";

	t->q = q;
	t->o = o;
	t->port = q->trace_port ? q->trace_port : (q->port ? q->port : 53);
	params_style(&q->d, &t->st);
	if (q->roothints[0] && load_hints(t, err, sizeof(err)) < 0) {
		zk_buf_printf(o, ";; root hints: %s\n", err);
		code = EXIT_USAGE;
		goto done;
	}
	if (t->hints.n == 0) {
		ps = zk_xcalloc(MAXSERVERS, sizeof(*ps));
		np = primers(q, ps, MAXSERVERS, err, sizeof(err));
	}
	if (first && q->d.cmd) {
		zk_present_painted(&t->st, ZK_PAINT_COMMENT, o, "\n; <<>> zdig (zkit) %s <<>> %s\n",
		                   PACKAGE_VERSION, p->cmdline);
		if (q->have_server && np > 0)
			zk_present_painted(&t->st, ZK_PAINT_COMMENT, o, "; (%zu server%s found)\n",
			                   np, np == 1 ? "" : "s");
		zk_present_painted(&t->st, ZK_PAINT_COMMENT, o, ";; global options: +cmd\n");
	}
	zk_errctx_init(&ec);
	if (zk_name_from_text(&qname, name, strlen(name), NULL, &ec) < 0) {
		zk_buf_printf(o, ";; '%s' is not a legal name\n", name);
		code = EXIT_USAGE;
		goto done;
	}
	if (t->hints.n > 0) {
		print_hints(t, q->roothints);
	} else if (q->have_server || q->roothints[0]) {
		code = prime(t, ps, np, err, false);
		if (code != 0)
			goto done;
	} else if (prime(t, ps, np, err, true) != 0) {
		/* no resolver to ask: the built-in hints rather than nothing */
		zk_present_painted(&t->st, ZK_PAINT_WARN, o,
		                   ";; no root NS set from the system resolver; using the "
		                   "built-in root hints\n");
		if (parse_hints(t, builtin_hints, "built-in hints", err, sizeof(err)) < 0) {
			zk_buf_printf(o, ";; root hints: %s\n", err);
			code = EXIT_INTERNAL;
			goto done;
		}
		print_hints(t, "(built in)");
	}
	if (t->hints.n == 0) {
		zk_present_painted(&t->st, ZK_PAINT_ERROR, o,
		                   ";; no address for any root name server\n");
		code = EXIT_NOREPLY;
		goto done;
	}
	code = iterate(t, &qname, q->qtype, true, 0, NULL);
done:
	free(ps);
	free(t);
	return code;
}

/* +nssearch: ask the configured server for the zone's NS set, then every
 * address of every name server for the SOA (RD=0), and print its serial
 * line as dig does, so that a lagging secondary shows at once. */
int nssearch_run(const params_t *p, const query_t *q, const zk_net_addr_t *server, zk_buf_t *o)
{
	tctx_t *t = zk_xcalloc(1, sizeof(*t));
	zk_arena_t *a = zk_arena_new(0);
	nsset_t *ns = zk_xcalloc(1, sizeof(*ns));
	zk_name_t zone;
	zk_errctx_t ec;
	zk_msg_t m;
	zk_net_stats_t st;
	size_t rlen;
	const char *name = q->have_name ? q->name : ".";
	int code = EXIT_OK;
	char srv[ZK_NET_ADDRSTRLEN], msg[400];

	(void)p;
	t->q = q;
	t->o = o;
	t->port = q->trace_port ? q->trace_port : zk_net_addr_port(server);
	if (q->roothints[0] && load_hints(t, msg, sizeof(msg)) < 0) {
		zk_buf_printf(o, ";; root hints: %s\n", msg);
		code = EXIT_USAGE;
		goto done;
	}
	zk_errctx_init(&ec);
	if (a == NULL || zk_name_from_text(&zone, name, strlen(name), NULL, &ec) < 0) {
		zk_buf_printf(o, ";; '%s' is not a legal name\n", name);
		code = EXIT_USAGE;
		goto done;
	}
	if (ask(t, server, &zone, ZK_TYPE_NS, a, &m, &rlen, &st, &ec) < 0) {
		zk_net_addr_to_text(server, srv, sizeof(srv));
		zk_errctx_format(&ec, msg, sizeof(msg));
		zk_buf_printf(o,
		              ";; communications error to %s: %s\n;; no servers could be reached\n",
		              srv, msg);
		code = EXIT_NOREPLY;
		goto done;
	}
	for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
		const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][i];
		zk_name_t target;
		size_t pos = 0;
		char tn[ZK_NAME_TEXTMAX];
		if (rr->type != ZK_TYPE_NS ||
		    zk_name_from_wire_plain(&target, rr->rdata, rr->rdlen, &pos, NULL) < 0)
			continue;
		zk_name_to_cstr(&target, tn, sizeof(tn));
		nsset_add(ns, tn, NULL);
	}
	if (ns->n == 0) {
		zk_buf_printf(o, ";; no NS records for %s\n", name);
		code = EXIT_NOREPLY;
		goto done;
	}
	/* addresses of each name server, from the same server */
	for (size_t i = 0, n = ns->n; i < n; i++) {
		zk_name_t nm;
		zk_errctx_init(&ec);
		if (zk_name_from_text(&nm, ns->s[i].name, strlen(ns->s[i].name), NULL, &ec) < 0)
			continue;
		for (int k = 0; k < 2; k++) {
			uint16_t ty = k == 0 ? ZK_TYPE_A : ZK_TYPE_AAAA;
			if (!family_ok(q, k == 0 ? AF_INET : AF_INET6))
				continue;
			zk_arena_reset(a);
			if (ask(t, server, &nm, ty, a, &m, &rlen, &st, &ec) < 0)
				continue;
			for (size_t j = 0; j < m.count[ZK_SEC_ANSWER]; j++) {
				const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][j];
				char host[64];
				zk_net_addr_t ad;
				if (rr->type != ty ||
				    inet_ntop(k == 0 ? AF_INET : AF_INET6, rr->rdata, host,
				              sizeof(host)) == NULL ||
				    rr->rdlen != (k == 0 ? 4 : 16))
					continue;
				if (zk_net_addr_parse(&ad, host, t->port, &ec) == 0)
					nsset_add(ns, ns->s[i].name, &ad);
			}
		}
	}
	for (size_t i = 0; i < ns->n; i++) {
		char host[ZK_NET_ADDRSTRLEN];
		if (!ns->s[i].has_addr)
			continue;
		zk_net_addr_host_text(&ns->s[i].addr, host, sizeof(host));
		zk_arena_reset(a);
		zk_errctx_init(&ec);
		if (ask(t, &ns->s[i].addr, &zone, ZK_TYPE_SOA, a, &m, &rlen, &st, &ec) < 0) {
			zk_buf_printf(
			    o, ";; connection timed out; no servers could be reached (%s %s)\n",
			    ns->s[i].name, host);
			code = EXIT_NOREPLY;
			continue;
		}
		bool shown = false;
		for (size_t j = 0; j < m.count[ZK_SEC_ANSWER]; j++) {
			const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][j];
			zk_buf_t rd;
			if (rr->type != ZK_TYPE_SOA)
				continue;
			zk_buf_init(&rd);
			{
				zk_style_t s;
				zk_rr_t copy = *rr;
				params_style(&q->d, &s);
				s.short_form = true;
				zk_present_rr(&copy, &s, &rd);
			}
			if (rd.len > 0 && rd.data[rd.len - 1] == '\n')
				rd.len--;
			zk_buf_printf(o, "SOA %.*s from server %s in %llu ms.\n", (int)rd.len,
			              rd.data ? rd.data : "", host,
			              (unsigned long long)(st.elapsed_us / 1000));
			zk_buf_free(&rd);
			shown = true;
		}
		if (!shown) {
			char rc[32];
			zk_rcode_to_text(m.rcode, false, rc, sizeof(rc));
			zk_buf_printf(o, ";; %s (%s) is not authoritative: %s, no SOA\n",
			              ns->s[i].name, host, rc);
		}
	}
done:
	free(ns);
	zk_arena_free(a);
	free(t);
	return code;
}
