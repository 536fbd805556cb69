/* znotify — find the targets, send each a NOTIFY (RFC 1996 §3.7) over UDP
 * with retries and a doubling wait (§3.6), report what each answered. */
#include "config.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "net.h"
#include "rrtype.h"
#include "sysres.h"
#include "xfr.h"
#include "zonefile.h"

#include "znotify.h"

#define MAX_TARGETS 256

/* What we know of the zone: SOA, NS names, addresses of names. */
typedef struct zinfo {
	zk_arena_t *a;
	bool have_soa;
	zk_rr_t soa;
	zk_name_t mname;
	zk_name_t *ns[MAX_TARGETS];
	size_t nns;
	zk_rr_t *addr; /* A and AAAA records (glue) */
	size_t naddr, capaddr;
	int err;
} zinfo_t;

typedef struct target {
	char label[ZK_NAME_TEXTMAX + 8]; /* as given, or the NS name */
	zk_net_addr_t addr;
} target_t;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void errmsg(const params_t *p, const char *what, const zk_errctx_t *ec)
{
	char msg[600];

	zk_errctx_format(ec, msg, sizeof(msg));
	fprintf(stderr, "%s: %s%s%s\n", p->prog, what ? what : "", what ? ": " : "", msg);
}

/* ---------------------------------------------------------------- the zone */

static int keep_rr(zinfo_t *z, const zk_rr_t *rr, const zk_name_t *zone)
{
	if (rr->type == ZK_TYPE_SOA && zk_name_eq(rr->owner, zone) && !z->have_soa) {
		size_t pos = 0;
		z->soa = *rr;
		z->soa.owner = zk_name_dup(z->a, rr->owner);
		z->soa.rdata = zk_arena_memdup(z->a, rr->rdata, rr->rdlen);
		if (z->soa.owner == NULL || z->soa.rdata == NULL)
			return ZK_ENOMEM;
		if (zk_name_from_wire_plain(&z->mname, rr->rdata, rr->rdlen, &pos, NULL) < 0)
			return ZK_ERDATA;
		z->have_soa = true;
	} else if (rr->type == ZK_TYPE_NS && zk_name_eq(rr->owner, zone)) {
		size_t pos = 0;
		zk_name_t n;
		if (z->nns >= MAX_TARGETS)
			return 0;
		if (zk_name_from_wire_plain(&n, rr->rdata, rr->rdlen, &pos, NULL) < 0)
			return ZK_ERDATA;
		z->ns[z->nns] = zk_name_dup(z->a, &n);
		if (z->ns[z->nns] == NULL)
			return ZK_ENOMEM;
		z->nns++;
	} else if (rr->type == ZK_TYPE_A || rr->type == ZK_TYPE_AAAA) {
		if (z->naddr == z->capaddr) {
			size_t cap = z->capaddr ? z->capaddr * 2 : 64;
			zk_rr_t *v = realloc(z->addr, cap * sizeof(*v));
			if (v == NULL)
				return ZK_ENOMEM;
			z->addr = v;
			z->capaddr = cap;
		}
		zk_rr_t *c = &z->addr[z->naddr];
		*c = *rr;
		c->owner = zk_name_dup(z->a, rr->owner);
		c->rdata = zk_arena_memdup(z->a, rr->rdata, rr->rdlen);
		if (c->owner == NULL || c->rdata == NULL)
			return ZK_ENOMEM;
		z->naddr++;
	}
	return 0;
}

struct file_ctx {
	zinfo_t *z;
	const zk_name_t *zone;
};

static int file_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	struct file_ctx *c = ctx;
	(void)loc;
	return keep_rr(c->z, rr, c->zone);
}

static int load_file(const params_t *p, zinfo_t *z, zk_errctx_t *ec)
{
	struct file_ctx c = {.z = z, .zone = &p->zone};
	zk_zf_opts_t o;

	zk_zf_opts_init(&o);
	o.origin = &p->zone;
	o.on_rr = file_rr;
	o.ctx = &c;
	return zk_zonefile_parse_file(p->zone_file, &o, NULL, ec);
}

/* Where to ask for NS and SOA without a zone file. */
static int query_server(const params_t *p, zk_net_addr_t *out, zk_errctx_t *ec)
{
	zk_sysres_opts_t so = {0};
	zk_sysres_t sr;
	zk_net_addr_t *v = NULL;
	size_t n = 0;
	int rc;

	if (p->have_server && p->server.is_addr) {
		*out = p->server.addr;
		zk_net_addr_set_port(out, p->server.port ? p->server.port : 53);
		return 0;
	}
	if (p->have_server) {
		rc = zk_sysres_resolve(&so, p->server.host, AF_UNSPEC,
		                       p->server.port ? p->server.port : 53, 5000, &v, &n, ec);
		if (rc < 0)
			return rc;
		*out = v[0];
		free(v);
		return 0;
	}
	rc = zk_sysres_load(&sr, &so, ec);
	if (rc < 0)
		return rc;
	if (sr.nservers == 0) {
		zk_sysres_free(&sr);
		return zk_error(ec, ZK_ENOENT, "no server in resolv.conf");
	}
	*out = sr.servers[0];
	zk_sysres_free(&sr);
	return 0;
}

/* One plain query (NS or SOA); records of the answer and additional
 * sections go into z. */
static int ask(const params_t *p, const zk_net_addr_t *srv, uint16_t qtype, zinfo_t *z,
               zk_errctx_t *ec)
{
	uint8_t q[512], *reply = malloc(65536);
	size_t qlen = 0, rlen;
	zk_net_opts_t o = {.timeout_ms = p->timeout_ms, .tries = 3};
	zk_net_stats_t st = {0};
	zk_wbuf_t w;
	zk_msg_t m;
	bool tc;
	uint16_t id = 0;
	int rc;

	if (reply == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	rc = zk_net_random_id(&id);
	zk_wbuf_init(&w, q, sizeof(q));
	zk_wbuf_u16(&w, id);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 1);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 0);
	zk_name_to_wire(&p->zone, &w);
	zk_wbuf_u16(&w, qtype);
	zk_wbuf_u16(&w, p->qclass);
	qlen = w.len;
	if (rc == 0)
		rc = zk_net_udp_exchange(srv, &o, q, qlen, reply, 65536, &rlen, &tc, &st, ec);
	if (rc == 0)
		rc = zk_msg_parse(&m, reply, rlen, z->a, ec);
	if (rc == 0 && m.rcode != 0) {
		char t[32];
		zk_rcode_to_text(m.rcode, false, t, sizeof(t));
		rc = zk_error(ec, ZK_EMSG, "%s query answered %s",
		              qtype == ZK_TYPE_NS ? "NS" : "SOA", t);
	}
	for (int s = ZK_SEC_ANSWER; rc == 0 && s < ZK_SEC_COUNT; s += 2)
		for (size_t i = 0; rc == 0 && i < m.count[s]; i++)
			rc = keep_rr(z, &m.rr[s][i], &p->zone);
	free(reply);
	return rc;
}

/* ---------------------------------------------------------------- targets */

static bool is_local_host(const zk_name_t *n)
{
	char host[256], t[ZK_NAME_TEXTMAX];
	size_t len;

	if (gethostname(host, sizeof(host) - 1) != 0)
		return false;
	host[sizeof(host) - 1] = '\0';
	len = zk_name_to_cstr(n, t, sizeof(t));
	if (len > 1 && t[len - 1] == '.')
		t[len - 1] = '\0';
	return strcasecmp(t, host) == 0;
}

static void add_target(target_t *v, size_t *n, const char *label, const zk_net_addr_t *a)
{
	for (size_t i = 0; i < *n; i++)
		if (zk_net_addr_eq(&v[i].addr, a))
			return; /* one NOTIFY per address */
	if (*n >= MAX_TARGETS)
		return;
	snprintf(v[*n].label, sizeof(v[*n].label), "%s", label);
	v[*n].addr = *a;
	(*n)++;
}

static void add_resolved(const params_t *p, target_t *v, size_t *n, const char *label,
                         const char *host, uint16_t port)
{
	zk_sysres_opts_t so = {0};
	zk_net_addr_t *addrs = NULL;
	size_t na = 0;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_sysres_resolve(&so, host, AF_UNSPEC, port, p->timeout_ms * 2, &addrs, &na, &ec) <
	    0) {
		errmsg(p, label, &ec);
		return;
	}
	for (size_t i = 0; i < na; i++)
		add_target(v, n, label, &addrs[i]);
	free(addrs);
}

/* Targets given on the command line. */
static int given_targets(const params_t *p, target_t *v, size_t *n)
{
	for (int i = 0; i < p->ntargets; i++) {
		zk_opt_server_t s;
		zk_errctx_t ec;
		uint16_t port;

		zk_errctx_init(&ec);
		if (zk_opt_server_parse(&s, p->targets[i], &ec) < 0) {
			errmsg(p, p->targets[i], &ec);
			return EXIT_USAGE;
		}
		port = s.port ? s.port : p->port ? p->port : 53;
		if (s.is_addr) {
			zk_net_addr_set_port(&s.addr, port);
			add_target(v, n, p->targets[i], &s.addr);
		} else {
			add_resolved(p, v, n, p->targets[i], s.host, port);
		}
	}
	return 0;
}

/* BIND's notify list: the NS names minus the SOA MNAME and this host,
 * each resolved (addresses from the zone file first, as glue). */
static void derived_targets(const params_t *p, const zinfo_t *z, target_t *v, size_t *n)
{
	uint16_t port = p->port ? p->port : 53;

	for (size_t i = 0; i < z->nns; i++) {
		const zk_name_t *ns = z->ns[i];
		char label[ZK_NAME_TEXTMAX];
		bool found = false;

		zk_name_to_cstr(ns, label, sizeof(label));
		if (z->have_soa && zk_name_eq(ns, &z->mname))
			continue; /* RFC 1996 §3.10: not the primary master */
		if (is_local_host(ns))
			continue;
		for (size_t k = 0; k < z->naddr; k++) {
			const zk_rr_t *a = &z->addr[k];
			zk_net_addr_t na;
			char txt[64];
			if (!zk_name_eq(a->owner, ns))
				continue;
			if (a->type == ZK_TYPE_A && a->rdlen == 4)
				snprintf(txt, sizeof(txt), "%u.%u.%u.%u", a->rdata[0], a->rdata[1],
				         a->rdata[2], a->rdata[3]);
			else if (a->type == ZK_TYPE_AAAA && a->rdlen == 16 &&
			         inet_ntop(AF_INET6, a->rdata, txt, sizeof(txt)) != NULL)
				;
			else
				continue;
			if (zk_net_addr_parse(&na, txt, port, NULL) == 0) {
				add_target(v, n, label, &na);
				found = true;
			}
		}
		if (!found)
			add_resolved(p, v, n, label, label, port);
	}
}

/* ---------------------------------------------------------------- NOTIFY */

typedef enum result {
	R_ACKED = 0,
	R_NOTIMP,
	R_REFUSED,
	R_RCODE,
	R_TIMEOUT,
	R_ERROR,
} result_t;

static const char *result_text(result_t r)
{
	static const char *t[] = {"acked", "NOTIMP", "REFUSED", "error", "timeout", "error"};
	return t[r];
}

static result_t notify_one(const params_t *p, const zk_rr_t *soa, const target_t *t,
                           unsigned *tries, uint64_t *us, char *detail, size_t dcap)
{
	uint8_t q[1024], reply[65536];
	size_t qlen, rlen = 0;
	zk_tsig_ctx_t tc;
	zk_net_stats_t st = {0};
	zk_arena_t *a = NULL;
	zk_errctx_t ec;
	zk_msg_t m;
	uint16_t id;
	unsigned wait = p->timeout_ms;
	uint64_t t0 = now_us();
	result_t res = R_ERROR;
	bool tc_bit;
	int rc;

	detail[0] = '\0';
	*tries = 0;
	zk_errctx_init(&ec);
	if (p->have_key)
		zk_tsig_ctx_init(&tc, &p->key, ZK_TSIG_FUDGE);
	rc = zk_net_random_id(&id);
	if (rc == 0)
		rc = zk_xfr_soa_msg(id, ZK_OPCODE_NOTIFY, &p->zone, p->qclass, soa,
		                    p->have_key ? &tc : NULL, (uint64_t)time(NULL), q, sizeof(q),
		                    &qlen, &ec);
	/* RFC 1996 §3.6: resend until answered, each wait longer. */
	for (unsigned i = 0; rc == 0 && i <= p->retries; i++) {
		zk_net_opts_t o = {.timeout_ms = wait, .tries = 1};
		zk_errctx_init(&ec);
		(*tries)++;
		rc = zk_net_udp_exchange(&t->addr, &o, q, qlen, reply, sizeof(reply), &rlen,
		                         &tc_bit, &st, &ec);
		if (rc != ZK_ETIMEOUT)
			break;
		if (i < p->retries) {
			rc = 0;
			wait = wait * 2 > 30000 ? 30000 : wait * 2;
		}
	}
	*us = now_us() - t0;
	if (rc == ZK_ETIMEOUT) {
		snprintf(detail, dcap, "no answer after %u %s", *tries,
		         *tries == 1 ? "try" : "tries");
		res = R_TIMEOUT;
		goto done;
	}
	if (rc < 0) {
		zk_errctx_format(&ec, detail, dcap);
		goto done;
	}
	a = zk_arena_new(0);
	if (a == NULL) {
		snprintf(detail, dcap, "out of memory");
		goto done;
	}
	if (zk_msg_parse(&m, reply, rlen, a, &ec) < 0) {
		zk_errctx_format(&ec, detail, dcap);
		goto done;
	}
	if (p->have_key) {
		zk_tsig_status_t ts;
		if (zk_tsig_verify(&tc, reply, rlen, &m, (uint64_t)time(NULL), false, &ts, &ec) <
		    0) {
			char rt[32];
			zk_rcode_to_text(m.rcode, true, rt, sizeof(rt));
			snprintf(detail, dcap, "%s; %s", rt, ec.msg);
			res = R_ERROR;
			goto done;
		}
	}
	switch (m.rcode) {
	case ZK_RCODE_NOERROR: res = R_ACKED; break;
	case ZK_RCODE_NOTIMP:
		res = R_NOTIMP;
		snprintf(detail, dcap, "the server does not implement NOTIFY");
		break;
	case ZK_RCODE_REFUSED: res = R_REFUSED; break;
	default: {
		char rt[32];
		zk_rcode_to_text(m.rcode, p->have_key, rt, sizeof(rt));
		snprintf(detail, dcap, "%s", rt);
		res = R_RCODE;
	}
	}
	if (res != R_ACKED && res != R_NOTIMP) {
		zk_buf_t b;
		zk_buf_init(&b);
		zk_xfr_ede_text(&m, &b);
		if (b.len && b.data)
			snprintf(detail + strlen(detail), dcap - strlen(detail), "%s%s",
			         detail[0] ? "; " : "", b.data);
		zk_buf_free(&b);
	}
done:
	if (p->have_key)
		zk_tsig_ctx_free(&tc);
	zk_arena_free(a);
	return res;
}

static void print_result(const params_t *p, const target_t *t, result_t r, unsigned tries,
                         uint64_t us, const char *detail)
{
	char addr[ZK_NET_ADDRSTRLEN];

	zk_net_addr_to_text(&t->addr, addr, sizeof(addr));
	if (p->json) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:i,s:I}", "target", t->label, "address", addr,
		                      "result", result_text(r), "tries", (int)tries, "ms",
		                      (json_int_t)(us / 1000));
		if (o != NULL && detail[0])
			json_object_set_new(o, "detail", json_string(detail));
		char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	if (p->quiet && (r == R_ACKED || (r == R_NOTIMP && !p->strict)))
		return;
	printf("%s", t->label);
	if (strcmp(t->label, addr) != 0)
		printf(" (%s)", addr);
	printf(": %s", result_text(r));
	if (detail[0])
		printf(" (%s)", detail);
	if (r != R_TIMEOUT)
		printf(" in %.3f s, %u %s", (double)us / 1e6, tries, tries == 1 ? "try" : "tries");
	printf("\n");
}

int exec_run(params_t *p)
{
	zinfo_t z = {0};
	target_t *tv = NULL;
	size_t nt = 0;
	zk_errctx_t ec;
	zk_rr_t soa;
	uint8_t soa_rd[600];
	const zk_rr_t *soap = NULL;
	int code = EXIT_OK, rc;

	zk_errctx_init(&ec);
	z.a = zk_arena_new(0);
	tv = calloc(MAX_TARGETS, sizeof(*tv));
	if (z.a == NULL || tv == NULL) {
		fprintf(stderr, "%s: out of memory\n", p->prog);
		code = EXIT_INTERNAL;
		goto done;
	}
	if (p->zone_file != NULL) {
		rc = load_file(p, &z, &ec);
		if (rc < 0) {
			errmsg(p, NULL, &ec);
			code = EXIT_USAGE;
			goto done;
		}
	} else if (p->ntargets == 0) {
		zk_net_addr_t srv;
		rc = query_server(p, &srv, &ec);
		if (rc == 0)
			rc = ask(p, &srv, ZK_TYPE_SOA, &z, &ec);
		if (rc == 0)
			rc = ask(p, &srv, ZK_TYPE_NS, &z, &ec);
		if (rc < 0) {
			errmsg(p, "finding the zone's name servers", &ec);
			code = EXIT_NOTARGET;
			goto done;
		}
	}
	if (p->ntargets > 0) {
		code = given_targets(p, tv, &nt);
		if (code != EXIT_OK)
			goto done;
	} else {
		derived_targets(p, &z, tv, &nt);
	}
	if (nt == 0) {
		fprintf(stderr, "%s: no target to notify%s\n", p->prog,
		        p->ntargets ? "" : " (the NS records name only the primary or this host)");
		code = EXIT_NOTARGET;
		goto done;
	}

	/* RFC 1996 §3.7: the answer section may carry the SOA with the new
	 * serial. */
	if (z.have_soa && z.soa.rdlen <= sizeof(soa_rd)) {
		soa = z.soa;
		memcpy(soa_rd, z.soa.rdata, z.soa.rdlen);
		soa.rdata = soa_rd;
		soap = &soa;
	} else if (p->have_serial) {
		memset(soa_rd, 0, 22);
		soa = (zk_rr_t){.owner = &p->zone,
		                .type = ZK_TYPE_SOA,
		                .rclass = p->qclass,
		                .ttl = 0,
		                .rdlen = 22,
		                .rdata = soa_rd};
		soap = &soa;
	}
	if (soap != NULL && p->have_serial) {
		int l1 = zk_name_wire_len(soa_rd, soa.rdlen);
		int l2 = l1 < 0 ? -1 : zk_name_wire_len(soa_rd + l1, soa.rdlen - (size_t)l1);
		if (l2 >= 0) {
			uint8_t *s = soa_rd + l1 + l2;
			s[0] = (uint8_t)(p->serial >> 24);
			s[1] = (uint8_t)(p->serial >> 16);
			s[2] = (uint8_t)(p->serial >> 8);
			s[3] = (uint8_t)p->serial;
		}
	}

	for (size_t i = 0; i < nt; i++) {
		char detail[400];
		unsigned tries;
		uint64_t us;
		result_t r = notify_one(p, soap, &tv[i], &tries, &us, detail, sizeof(detail));
		print_result(p, &tv[i], r, tries, us, detail);
		if (r != R_ACKED && !(r == R_NOTIMP && !p->strict))
			code = EXIT_FAILED;
	}
	fflush(stdout);
done:
	free(z.addr);
	zk_arena_free(z.a);
	free(tv);
	free(p->targets);
	return code;
}
