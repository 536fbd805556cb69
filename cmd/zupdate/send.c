/* zupdate — sending an update: finding the zone and its primary, the
 * security policy, the exchange with reply verification, and the report.
 *
 * The flow follows the Windows 2000 secure-update paper's steps: (1) ask
 * the resolver for the SOA of the first updated name, walking up to the
 * zone cut; (2) take the zone and its primary (SOA MNAME), resolve the
 * primary and send there (other NS on failure); then the policy: try
 * unsigned and sign after REFUSED (auto), or always, or never. A signed
 * request's reply must carry our key's valid TSIG: unsigned or forged
 * replies are dropped while we keep waiting for the real one (step 7). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "present.h"
#include "rdata.h"
#include "rrtype.h"
#include "sysres.h"
#include "zupdate.h"

#define BUFSZ 65535

/* What happened to one send, for the report. */
typedef struct outcome {
	int code;         /* EXIT_* */
	bool replied;     /* a reply was accepted */
	uint16_t rcode;   /* of that reply */
	uint16_t tsigerr; /* TSIG error field the server reported */
	const char *sec;  /* "none", "tsig", "sig0", "gss-tsig" */
	char tsig[64];    /* "ok", "unsigned", "BADSIG", ... or "" */
	char server[ZK_NET_ADDRSTRLEN];
	char zone[ZK_NAME_TEXTMAX];
	char error[2048];
	unsigned ignored; /* replies dropped (unverified) */
	uint64_t elapsed_us;
} outcome_t;

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t wall_now(const session_t *s)
{
	return (uint64_t)((int64_t)time(NULL) + s->p->clock_skew);
}

uint64_t send_now(const session_t *s)
{
	return wall_now(s);
}

static uint16_t port_of(const session_t *s)
{
	return s->p->port ? s->p->port : 53;
}

/* ---------------------------------------------------------------- exchange */

/* How a reply is checked before it is taken. */
typedef struct verifier {
	enum key_kind kind;
	zk_tsig_ctx_t tsig;   /* request MAC (TSIG) */
	zk_gss_ctx_t *gss;    /* the context that signed the request (GSS-TSIG) */
	char server_msg[256]; /* the verifier's explanation of a server's TSIG error */
	bool gss_failed;      /* no context could be negotiated: gss_err says why */
	char gss_err[1536];
	unsigned ignored;
	char last_reason[512];
	/* TSIG status of the accepted reply */
	zk_tsig_status_t status;
	uint16_t tsigerr;
} verifier_t;

/* The error field of a reply's TSIG (RFC 8945 §4.2), 0 when unsigned. */
static uint16_t tsig_error_of(const zk_msg_t *m)
{
	zk_name_t alg;
	zk_wire_t w;
	size_t pos = 0;

	if (m->sig == NULL || m->sig->type != ZK_TYPE_TSIG ||
	    zk_name_from_wire_plain(&alg, m->sig->rdata, m->sig->rdlen, &pos, NULL) < 0)
		return 0;
	zk_wire_init(&w, m->sig->rdata + pos, m->sig->rdlen - pos);
	zk_wire_skip(&w, 6 + 2); /* time signed, fudge */
	zk_wire_skip(&w, zk_wire_u16(&w));
	zk_wire_skip(&w, 2); /* original ID */
	uint16_t e = zk_wire_u16(&w);
	return w.err ? 0 : e;
}

/* 0: take it; 1: drop it and keep waiting. */
static int verify_reply(const session_t *s, verifier_t *v, const uint8_t *r, size_t n)
{
	zk_arena_t *a;
	zk_msg_t m;
	zk_errctx_t ec;
	int rc, out = 0;

	if (v->kind != KEY_TSIG && v->kind != KEY_GSS)
		return 0;
	a = zk_arena_new(0);
	if (a == NULL)
		return 1;
	zk_errctx_init(&ec);
	rc = zk_msg_parse(&m, r, n, a, &ec);
	if (rc < 0) {
		snprintf(v->last_reason, sizeof(v->last_reason), "malformed reply: %s",
		         ec.msg[0] ? ec.msg : zk_strerror(rc));
		out = 1;
		goto done;
	}
	zk_tsig_status_t st = ZK_TSIG_OK;
	if (v->kind == KEY_GSS) {
		/* A reply that fails leaves the request MAC as it was (gss.h). */
		rc = zk_gss_verify(v->gss, r, n, &m, wall_now(s), false, &st, &ec);
		if (rc == 0 || st == ZK_TSIG_SERVER_ERROR) {
			v->status = st;
			v->tsigerr = tsig_error_of(&m);
			snprintf(v->server_msg, sizeof(v->server_msg), "%s", rc == 0 ? "" : ec.msg);
			goto done;
		}
		goto drop;
	}
	zk_tsig_ctx_t c = v->tsig; /* a failed check must not touch the request MAC */
	c.run = NULL;
	rc = zk_tsig_verify(&c, r, n, &m, wall_now(s), false, &st, &ec);
	if (rc == 0 || st == ZK_TSIG_SERVER_ERROR) {
		/* A TSIG error from the server (BADKEY/BADSIG/BADTIME) comes
		 * unsigned by design (RFC 8945 §5.3.2): it is the answer. */
		v->status = st;
		v->tsigerr = c.last_error;
		zk_tsig_ctx_free(&c);
		goto done;
	}
	zk_tsig_ctx_free(&c);
drop:
	v->ignored++;
	char rcb[32];
	zk_rcode_to_text(m.rcode, false, rcb, sizeof(rcb));
	snprintf(v->last_reason, sizeof(v->last_reason), "%s reply (rcode %s): %s",
	         st == ZK_TSIG_UNSIGNED ? "unsigned" : "forged", rcb,
	         ec.msg[0] ? ec.msg : zk_tsig_status_text(st));
	dbg(s, 1, "dropped a reply that is not validly signed: %s", v->last_reason);
	out = 1;
done:
	zk_arena_free(a);
	return out;
}

static unsigned remaining_ms(uint64_t deadline)
{
	uint64_t now = mono_us();
	return deadline > now ? (unsigned)((deadline - now + 999) / 1000) : 0;
}

/* UDP with retries; every matching reply goes through the verifier and
 * the wait continues after one it drops. */
static int udp_exchange(const session_t *s, const zk_net_addr_t *srv, const uint8_t *q, size_t qlen,
                        verifier_t *v, uint64_t deadline, uint8_t *buf, size_t *rlen, bool *tc,
                        zk_errctx_t *ec)
{
	unsigned tries = s->p->retries + 1;
	int fd, rc = 0;
	char txt[ZK_NET_ADDRSTRLEN];

	zk_net_addr_to_text(srv, txt, sizeof(txt));
	fd = socket(srv->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return zk_error(ec, ZK_ENET, "%s: socket: %s", txt, strerror(errno));
	if (s->has_local && bind(fd, (const struct sockaddr *)&s->local.ss, s->local.len) != 0) {
		rc = zk_error(ec, ZK_ENET, "bind to local address: %s", strerror(errno));
		goto out;
	}
	/* Connected: the kernel reports ICMP port unreachable (server down)
	 * as ECONNREFUSED and drops datagrams from other sources. */
	if (connect(fd, (const struct sockaddr *)&srv->ss, srv->len) != 0) {
		rc = zk_error(ec, ZK_ENET, "%s: %s", txt, strerror(errno));
		goto out;
	}
	for (unsigned t = 0; t < tries; t++) {
		uint64_t try_end = mono_us() + (uint64_t)s->p->udp_timeout_ms * 1000u;
		if (try_end > deadline)
			try_end = deadline;
		dbg(s, 2, "sending %zu octets to %s over UDP (try %u of %u)", qlen, txt, t + 1,
		    tries);
		if (send(fd, q, qlen, 0) < 0) {
			rc = zk_error(ec, ZK_ENET, "%s: %s", txt,
			              errno == ECONNREFUSED ? "connection refused"
			                                    : strerror(errno));
			goto out;
		}
		for (;;) {
			struct pollfd pf = {.fd = fd, .events = POLLIN};
			unsigned ms = remaining_ms(try_end);
			if (ms == 0)
				break;
			int pr = poll(&pf, 1, (int)ms);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr <= 0)
				break;
			ssize_t n = recv(fd, buf, BUFSZ, 0);
			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				rc = zk_error(ec, ZK_ENET, "%s: %s", txt,
				              errno == ECONNREFUSED
				                  ? "connection refused (server down?)"
				                  : strerror(errno));
				goto out;
			}
			enum zk_net_mismatch why;
			if (zk_net_reply_match(q, qlen, buf, (size_t)n, ZK_NET_MATCH_NOQUESTION,
			                       &why) != 0) {
				dbg(s, 2, "ignored a datagram: %s", zk_net_mismatch_text(why));
				continue;
			}
			if (verify_reply(s, v, buf, (size_t)n) != 0)
				continue;
			*rlen = (size_t)n;
			*tc = (zk_get_u16(buf + 2) & ZK_FLAG_TC) != 0;
			rc = 0;
			goto out;
		}
		if (mono_us() >= deadline)
			break;
	}
	rc = zk_error(ec, ZK_ETIMEOUT, "%s: no %sreply after %u tr%s", txt,
	              v->ignored ? "valid " : "", tries, tries == 1 ? "y" : "ies");
out:
	close(fd);
	return rc;
}

static int tcp_exchange(const session_t *s, const zk_net_addr_t *srv, const uint8_t *q, size_t qlen,
                        verifier_t *v, uint64_t deadline, uint8_t *buf, size_t *rlen,
                        zk_errctx_t *ec)
{
	zk_net_opts_t o = {0};
	zk_net_conn_t *c = NULL;
	char txt[ZK_NET_ADDRSTRLEN];
	int rc;

	zk_net_addr_to_text(srv, txt, sizeof(txt));
	o.family = s->p->family;
	o.source = s->has_local ? &s->local : NULL;
	o.timeout_ms = remaining_ms(deadline);
	if (o.timeout_ms == 0)
		return zk_error(ec, ZK_ETIMEOUT, "%s: out of time", txt);
	dbg(s, 2, "sending %zu octets to %s over TCP", qlen, txt);
	rc = zk_net_connect(&c, srv, &o, NULL, ec);
	if (rc < 0)
		return rc;
	rc = zk_net_send(c, q, qlen, remaining_ms(deadline), ec);
	while (rc == 0) {
		const uint8_t *m;
		size_t n;
		unsigned ms = remaining_ms(deadline);
		if (ms == 0) {
			rc = zk_error(ec, ZK_ETIMEOUT, "%s: no %sreply over TCP", txt,
			              v->ignored ? "valid " : "");
			break;
		}
		rc = zk_net_recv(c, &m, &n, ms, ec);
		if (rc == ZK_ENOENT)
			rc = zk_error(ec, ZK_ENET, "%s: connection closed without a %sreply", txt,
			              v->ignored ? "valid " : "");
		else if (rc == ZK_ETIMEOUT)
			rc = zk_error(ec, ZK_ETIMEOUT, "%s: no %sreply over TCP in time", txt,
			              v->ignored ? "valid " : "");
		if (rc < 0)
			break;
		if (zk_net_reply_match(q, qlen, m, n, ZK_NET_MATCH_NOQUESTION, NULL) != 0)
			continue;
		if (verify_reply(s, v, m, n) != 0)
			continue;
		memcpy(buf, m, n);
		*rlen = n;
		break;
	}
	zk_net_close(c);
	return rc;
}

/* One request to one address: UDP (TCP when it is large, with -v, or
 * after TC=1). */
static int exchange(const session_t *s, const zk_net_addr_t *srv, const uint8_t *q, size_t qlen,
                    verifier_t *v, uint64_t deadline, uint8_t *buf, size_t *rlen, zk_errctx_t *ec)
{
	bool tc = false;
	int rc;

	if (s->p->family != AF_UNSPEC && zk_net_addr_family(srv) != s->p->family)
		return zk_error(ec, ZK_EINVAL, "server address of the wrong family (-4/-6)");
	/* RFC 2136 §3.8 / RFC 1035 §4.2.1: over 512 octets needs TCP
	 * (updates carry no EDNS). */
	if (!s->p->tcp && qlen <= 512) {
		rc = udp_exchange(s, srv, q, qlen, v, deadline, buf, rlen, &tc, ec);
		if (rc < 0 || !tc)
			return rc;
		dbg(s, 1, "reply truncated: retrying over TCP");
	}
	return tcp_exchange(s, srv, q, qlen, v, deadline, buf, rlen, ec);
}

/* ---------------------------------------------------------------- discovery */

/* Resolver configuration (for the SOA walk and host names). */
static void sysres_opts(const session_t *s, zk_sysres_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->resolvconf = s->p->resolvconf;
	o->port = port_of(s);
}

/* A plain query (SOA/NS), RD set for a resolver. The reply is parsed into
 * a; *m on success. */
static int query(const session_t *s, const zk_net_addr_t *srv, const zk_name_t *qname,
                 uint16_t qtype, bool rd, uint64_t deadline, zk_arena_t *a, zk_msg_t *m,
                 zk_errctx_t *ec)
{
	static uint8_t q[512], buf[BUFSZ];
	zk_msg_t qm;
	size_t qlen, rlen;
	uint16_t id;
	verifier_t v = {.kind = KEY_NONE};
	int rc;

	zk_msg_init(&qm);
	if (zk_net_random_id(&id) < 0)
		return zk_error(ec, ZK_ECRYPTO, "no random numbers");
	qm.id = id;
	qm.flags = rd ? ZK_FLAG_RD : 0;
	if (zk_msg_set_question(&qm, a, qname, qtype, ZK_CLASS_IN) < 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	rc = zk_msg_render(&qm, q, sizeof(q), &qlen, ec);
	if (rc < 0)
		return rc;
	rc = exchange(s, srv, q, qlen, &v, deadline, buf, &rlen, ec);
	if (rc < 0)
		return rc;
	return zk_msg_parse(m, buf, rlen, a, ec);
}

/* The SOA's MNAME (first rdata field). */
static int soa_mname(const zk_rr_t *rr, zk_name_t *out)
{
	size_t pos = 0;
	return zk_name_from_wire_plain(out, rr->rdata, rr->rdlen, &pos, NULL);
}

/* Step 1: the zone of name and its primary, asking the servers in turn. */
static int find_zone(session_t *s, const zk_net_addr_t *servers, size_t nservers, bool rd,
                     const zk_name_t *name, uint64_t deadline, zk_name_t *zone, zk_name_t *mname,
                     zk_errctx_t *ec)
{
	zk_name_t qname;
	char txt[ZK_NAME_TEXTMAX], stxt[ZK_NET_ADDRSTRLEN];
	int rc = zk_error(ec, ZK_ENOENT, "no server to ask");

	for (size_t i = 0; i < nservers; i++) {
		zk_name_copy(&qname, name);
		zk_net_addr_to_text(&servers[i], stxt, sizeof(stxt));
		for (;;) {
			zk_arena_t *a = zk_arena_new(0);
			zk_msg_t m;
			bool found = false;

			if (a == NULL)
				return zk_error(ec, ZK_ENOMEM, "out of memory");
			zk_name_to_cstr(&qname, txt, sizeof(txt));
			dbg(s, 2, "finding the zone: SOA query for %s to %s", txt, stxt);
			rc = query(s, &servers[i], &qname, ZK_TYPE_SOA, rd, deadline, a, &m, ec);
			if (rc == 0 && m.rcode != ZK_RCODE_NOERROR &&
			    m.rcode != ZK_RCODE_NXDOMAIN) {
				char rcb[32];
				zk_rcode_to_text(m.rcode, false, rcb, sizeof(rcb));
				rc = zk_error(ec, ZK_ENOENT,
				              "%s answered %s to the SOA query for %s", stxt, rcb,
				              txt);
			}
			if (rc < 0) {
				dbg(s, 2, "  %s", ec->msg);
				zk_arena_free(a);
				break; /* next server */
			}
			/* The SOA of the zone holding qname: in the answer when qname
			 * is the apex, else in the authority section (RFC 2308 §2). */
			for (int sec = ZK_SEC_ANSWER; sec <= ZK_SEC_AUTHORITY && !found; sec++) {
				for (size_t j = 0; j < m.count[sec]; j++) {
					const zk_rr_t *rr = &m.rr[sec][j];
					if (rr->type != ZK_TYPE_SOA ||
					    !zk_name_is_sub(name, rr->owner) ||
					    soa_mname(rr, mname) < 0)
						continue;
					zk_name_copy(zone, rr->owner);
					found = true;
					break;
				}
			}
			zk_arena_free(a);
			if (found) {
				char zt[ZK_NAME_TEXTMAX], mt[ZK_NAME_TEXTMAX];
				zk_name_to_cstr(zone, zt, sizeof(zt));
				zk_name_to_cstr(mname, mt, sizeof(mt));
				dbg(s, 2, "  zone %s, primary (SOA MNAME) %s", zt, mt);
				return 0;
			}
			/* No SOA: walk up towards the zone cut. */
			if (qname.labels == 0) {
				rc = zk_error(ec, ZK_ENOENT, "no SOA found for %s", txt);
				break;
			}
			zk_name_t up;
			zk_name_parent(&up, &qname, 1);
			zk_name_copy(&qname, &up);
			dbg(s, 2, "  no SOA in the reply: trying the parent name");
		}
	}
	return rc;
}

/* Addresses of a host name (-4/-6 honoured). */
static int resolve(const session_t *s, const char *host, uint16_t port, zk_net_addr_t **addrs,
                   size_t *n, zk_errctx_t *ec)
{
	zk_sysres_opts_t o;

	sysres_opts(s, &o);
	return zk_sysres_resolve(&o, host, s->p->family, port, s->p->udp_timeout_ms, addrs, n, ec);
}

/* The servers to ask for the SOA: the `server` (authoritative: no RD),
 * else the resolver's. */
static int discovery_servers(const session_t *s, zk_net_addr_t **out, size_t *n, bool *rd,
                             zk_errctx_t *ec)
{
	if (s->has_server) {
		*rd = false;
		if (s->server.is_addr) {
			*out = malloc(sizeof(**out));
			if (*out == NULL)
				return zk_error(ec, ZK_ENOMEM, "out of memory");
			**out = s->server.addr;
			if (s->server.port == 0)
				zk_net_addr_set_port(*out, port_of(s));
			*n = 1;
			return 0;
		}
		return resolve(s, s->server.host, s->server.port ? s->server.port : port_of(s), out,
		               n, ec);
	}
	zk_sysres_t r;
	zk_sysres_opts_t o;
	int rc;

	*rd = true;
	sysres_opts(s, &o);
	rc = zk_sysres_load(&r, &o, ec);
	if (rc < 0)
		return rc;
	*out = malloc((r.nservers ? r.nservers : 1) * sizeof(**out));
	if (*out == NULL) {
		zk_sysres_free(&r);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	memcpy(*out, r.servers, r.nservers * sizeof(**out));
	*n = r.nservers;
	for (size_t i = 0; i < r.nservers; i++) {
		char t[ZK_NET_ADDRSTRLEN];
		zk_net_addr_to_text(&r.servers[i], t, sizeof(t));
		dbg(s, 2, "resolver from %s: %s",
		    s->p->resolvconf ? s->p->resolvconf : "/etc/resolv.conf", t);
	}
	zk_sysres_free(&r);
	return 0;
}

/* ---------------------------------------------------------------- report */

static const char *explain(uint16_t rcode)
{
	switch (rcode) {
	case ZK_RCODE_NOERROR: return "the update was applied";
	case ZK_RCODE_FORMERR: return "the server could not parse the update";
	case ZK_RCODE_SERVFAIL: return "the server failed while applying the update";
	case ZK_RCODE_NXDOMAIN:
		return "prerequisite failed: a name required to exist (yxdomain) does not";
	case ZK_RCODE_NOTIMP: return "the server does not implement dynamic update";
	case ZK_RCODE_REFUSED:
		return "the server refused the update (not allowed for this client or key)";
	case ZK_RCODE_YXDOMAIN:
		return "prerequisite failed: a name required not to exist (nxdomain) does";
	case ZK_RCODE_YXRRSET:
		return "prerequisite failed: an RRset required not to exist (nxrrset) does";
	case ZK_RCODE_NXRRSET:
		return "prerequisite failed: an RRset required to exist (yxrrset) does not, or "
		       "not with that data";
	case ZK_RCODE_NOTAUTH:
		return "the server is not authoritative for the zone or did not accept the "
		       "request's signature";
	case ZK_RCODE_NOTZONE: return "a record is outside the zone named in the update";
	default: return "the update failed";
	}
}

static const char *explain_tsig(uint16_t err)
{
	switch (err) {
	case ZK_RCODE_BADSIG:
		return "the server could not verify our TSIG: wrong secret or algorithm";
	case ZK_RCODE_BADKEY: return "the server does not know our TSIG key (name or algorithm)";
	case ZK_RCODE_BADTIME:
		return "our clock and the server's differ by more than the fudge (300 s): check "
		       "the "
		       "time";
	case ZK_RCODE_BADTRUNC: return "the server refused our truncated MAC";
	default: return "TSIG error";
	}
}

/* The same for a GSS-TSIG context: no secret to get wrong, but a context
 * the server may have lost. */
static const char *explain_gss(uint16_t err)
{
	switch (err) {
	case ZK_RCODE_BADSIG: return "the server could not verify our GSS-TSIG signature";
	case ZK_RCODE_BADKEY:
		return "the server does not know the GSS-TSIG context (expired or deleted), even "
		       "after negotiating a new one";
	case ZK_RCODE_BADTIME:
		return "our clock and the server's differ by more than the fudge (300 s): check "
		       "the time";
	default: return "GSS-TSIG error";
	}
}

static void print_msg(FILE *f, const uint8_t *wire, size_t len, const char *title, bool tsig)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;
	zk_style_t st;
	zk_buf_t b;

	if (a == NULL)
		return;
	zk_buf_init(&b);
	if (zk_msg_parse(&m, wire, len, a, NULL) == 0) {
		zk_style_dig(&st);
		st.tsig_rcode = tsig;
		zk_present_msg(&m, &st, &b);
		const char *text = b.data ? b.data : "";
		/* present starts with dig's ";; Got answer:"; we have a title. */
		if (strncmp(text, ";; Got answer:\n", 15) == 0)
			text += 15;
		fprintf(f, "%s\n%s", title, text);
	}
	zk_buf_free(&b);
	zk_arena_free(a);
}

void send_print_answer(session_t *s)
{
	if (!s->last.have_reply) {
		fprintf(s->out, "no answer yet\n");
		return;
	}
	print_msg(s->out, s->last.reply, s->last.reply_len, "Answer:", s->last.tsig_reply);
}

void send_print_pending(session_t *s, FILE *f)
{
	static uint8_t buf[BUFSZ];
	zk_errctx_t ec;
	size_t len;

	if (zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd) == 0 &&
	    s->last.failed != NULL) {
		print_msg(f, s->last.failed, s->last.failed_len,
		          "Last failed update (not applied):", false);
		return;
	}
	zk_errctx_init(&ec);
	if (zk_update_render(&s->upd, s->has_zone ? &s->zone : &zk_name_root, 0, buf, sizeof(buf),
	                     &len, &ec) < 0) {
		fprintf(stderr, "%s: cannot show the update: %s\n", s->p->prog, ec.msg);
		return;
	}
	print_msg(f, buf, len, "Outgoing update query:", false);
}

static void report_json(const session_t *s, const outcome_t *o)
{
	json_t *j = json_object();
	char rcb[32] = "", *text;

	if (j == NULL)
		return;
	json_object_set_new(j, "zone", o->zone[0] ? json_string(o->zone) : json_null());
	json_object_set_new(j, "server", o->server[0] ? json_string(o->server) : json_null());
	if (o->replied) {
		zk_rcode_to_text(o->rcode, false, rcb, sizeof(rcb));
		json_object_set_new(j, "rcode", json_string(rcb));
	} else {
		json_object_set_new(j, "rcode", json_null());
	}
	json_object_set_new(j, "ok", json_boolean(o->code == EXIT_OK));
	json_object_set_new(j, "exit", json_integer(o->code));
	json_object_set_new(j, "security", json_string(o->sec));
	if (s->key != KEY_NONE && strcmp(o->sec, "none") != 0)
		json_object_set_new(j, "key", json_string(s->keyname));
	json_object_set_new(j, "tsig", o->tsig[0] ? json_string(o->tsig) : json_null());
	if (strcmp(o->sec, "gss-tsig") == 0) {
		char who[512] = "";
		if (s->gss != NULL)
			zk_gss_client_name(s->gss, who, sizeof(who));
		json_object_set_new(j, "gss_client", who[0] ? json_string(who) : json_null());
		json_object_set_new(j, "gss_server",
		                    s->gss_host[0] ? json_string(s->gss_host) : json_null());
	}
	json_object_set_new(j, "ignored_replies", json_integer(o->ignored));
	json_object_set_new(j, "time_ms", json_real((double)o->elapsed_us / 1000.0));
	json_object_set_new(j, "prereqs", json_integer((json_int_t)zk_update_nprereq(&s->upd)));
	json_object_set_new(j, "updates", json_integer((json_int_t)zk_update_nupdate(&s->upd)));
	json_object_set_new(j, "error", o->error[0] ? json_string(o->error) : json_null());
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	if (text != NULL) {
		fprintf(s->out, "%s\n", text);
		free(text);
	}
	json_decref(j);
}

/* ---------------------------------------------------------------- send */

typedef struct request {
	uint8_t wire[BUFSZ];
	size_t len;
} request_t;

/* Render, then sign as asked (the verifier was set up for kind). */
static int build(session_t *s, const zk_name_t *zone, enum key_kind kind, request_t *rq,
                 verifier_t *v, zk_errctx_t *ec)
{
	uint16_t id;
	zk_wbuf_t w;
	int rc;

	if (zk_net_random_id(&id) < 0)
		return zk_error(ec, ZK_ECRYPTO, "no random numbers");
	rc = zk_update_render(&s->upd, zone, id, rq->wire, sizeof(rq->wire) - 4096, &rq->len, ec);
	if (rc < 0)
		return rc;
	zk_wbuf_init(&w, rq->wire, sizeof(rq->wire));
	w.len = rq->len;
	if (kind == KEY_TSIG) {
		zk_tsig_ctx_init(&v->tsig, &s->tsig, ZK_TSIG_FUDGE);
		rc = zk_tsig_sign(&v->tsig, &w, wall_now(s), 0, ec);
	} else if (kind == KEY_GSS) {
		/* RFC 3645 §5.2: signed with the context of this server. */
		v->gss = s->gss;
		rc = zk_gss_sign(s->gss, &w, wall_now(s), ec);
	} else if (kind == KEY_SIG0) {
		zk_sig0_signer_t sg = {.key = s->sig0.key, .keytag = s->sig0.keytag};
		uint32_t now = (uint32_t)wall_now(s);
		zk_name_copy(&sg.name, &s->sig0.owner);
		rc = zk_sig0_sign(&sg, &w, now - ZK_SIG0_FUDGE, now + ZK_SIG0_FUDGE, NULL, 0, ec);
	}
	if (rc < 0)
		return rc;
	rq->len = w.len;
	return 0;
}

/* Where the name of DNS/<name> comes from, for GSS-TSIG. */
typedef struct gss_target {
	char host[ZK_NAME_TEXTMAX];
	const char *src;
} gss_target_t;

static unsigned gss_timeout(uint64_t deadline)
{
	unsigned ms = remaining_ms(deadline);
	return ms > 10000 ? 10000 : ms;
}

/* Send to the first address that answers. *used gets the one that did.
 * With GSS-TSIG the context is negotiated with that address first and
 * the update signed with it (rendered again for each address). */
static int send_to(session_t *s, const zk_net_addr_t *addrs, size_t n, const zk_name_t *zone,
                   const gss_target_t *gt, request_t *rq, verifier_t *v, uint64_t deadline,
                   uint8_t *buf, size_t *rlen, zk_net_addr_t *used, zk_errctx_t *ec)
{
	int rc = zk_error(ec, ZK_ENOENT, "no server address");

	for (size_t i = 0; i < n; i++) {
		if (v->kind == KEY_GSS) {
			char t[ZK_NET_ADDRSTRLEN];
			zk_net_addr_to_text(&addrs[i], t, sizeof(t));
			rc = gss_ensure(s, &addrs[i], gt->host, gt->src, gss_timeout(deadline),
			                v->gss_err, sizeof(v->gss_err));
			if (rc < 0) {
				zk_error(ec, rc, "%s: %s", t, v->gss_err);
				dbg(s, 1, "%s", ec->msg);
				if ((rc == ZK_ENET || rc == ZK_ETIMEOUT) && mono_us() < deadline)
					continue; /* the next address of the server */
				v->gss_failed = true;
				return rc;
			}
			if ((rc = build(s, zone, KEY_GSS, rq, v, ec)) < 0) {
				snprintf(v->gss_err, sizeof(v->gss_err), "GSS-TSIG: %s", ec->msg);
				v->gss_failed = true;
				return rc;
			}
		}
		rc = exchange(s, &addrs[i], rq->wire, rq->len, v, deadline, buf, rlen, ec);
		if (rc == 0) {
			*used = addrs[i];
			return 0;
		}
		dbg(s, 1, "%s", ec->msg);
		if (mono_us() >= deadline)
			break;
	}
	return rc;
}

/* The server's host name for GSS-TSIG: --gss-server-name, else the host
 * name of the `server` command, else the zone's SOA MNAME (what nsupdate
 * -g uses; asked of the `server` when it was given as an address). */
static int gss_target(session_t *s, const zk_name_t *zone, const zk_name_t *mname, bool have_mname,
                      uint64_t deadline, gss_target_t *gt, zk_errctx_t *ec)
{
	zk_name_t m, z2;
	size_t n;

	if (s->p->gss_server_name != NULL) {
		snprintf(gt->host, sizeof(gt->host), "%s", s->p->gss_server_name);
		gt->src = "--gss-server-name";
	} else if (s->has_server && !s->server.is_addr) {
		snprintf(gt->host, sizeof(gt->host), "%s", s->server.host);
		gt->src = "the server command";
	} else {
		if (have_mname) {
			zk_name_copy(&m, mname);
		} else {
			zk_net_addr_t *ds = NULL;
			size_t nds = 0;
			bool rd = true;
			int rc = discovery_servers(s, &ds, &nds, &rd, ec);
			if (rc == 0)
				rc = find_zone(s, ds, nds, rd, zone, deadline, &z2, &m, ec);
			free(ds);
			if (rc < 0)
				return rc;
		}
		zk_name_to_cstr(&m, gt->host, sizeof(gt->host));
		gt->src = "the zone's SOA MNAME";
	}
	n = strlen(gt->host);
	if (n > 1 && gt->host[n - 1] == '.')
		gt->host[n - 1] = '\0';
	dbg(s, 2, "GSS-TSIG service principal DNS/%s (from %s)", gt->host, gt->src);
	return 0;
}

static const char *kind_name(enum key_kind k)
{
	return k == KEY_TSIG ? "tsig" : k == KEY_SIG0 ? "sig0" : k == KEY_GSS ? "gss-tsig" : "none";
}

int send_update(session_t *s)
{
	static uint8_t buf[BUFSZ];
	static request_t rq;
	outcome_t o;
	zk_errctx_t ec;
	zk_name_t zone, mname;
	zk_net_addr_t *targets = NULL, used;
	size_t ntargets = 0, rlen = 0;
	verifier_t v;
	enum key_kind kind;
	uint64_t start = mono_us();
	uint64_t deadline =
	    start + (uint64_t)(s->p->timeout_s ? s->p->timeout_s : 86400) * 1000000u;
	bool have_mname = false, gss_renewed = false;
	gss_target_t gt = {.host = "", .src = NULL};
	int rc;

	if (zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd) == 0) {
		dbg(s, 1, "nothing to send");
		return 0;
	}
	memset(&o, 0, sizeof(o));
	memset(&used, 0, sizeof(used));
	zk_errctx_init(&ec);
	o.sec = "none";

	/* -l: the local server, with named's session key unless one was given. */
	if (s->p->local && !s->has_server) {
		zk_opt_server_parse(&s->server, s->p->family == AF_INET6 ? "::1" : "127.0.0.1",
		                    NULL);
		s->has_server = true;
		if (s->key == KEY_NONE && access("/var/run/named/session.key", R_OK) == 0)
			(void)keys_load_file(s, "/var/run/named/session.key");
	}

	/* Which security to start with. */
	if (s->p->secure == SECURE_ALWAYS) {
		if (s->key == KEY_NONE) {
			snprintf(
			    o.error, sizeof(o.error),
			    "--secure=always but no key (give -k FILE, -y [alg:]name:secret or "
			    "`key`)");
			o.code = EXIT_USAGE;
			goto report;
		}
		kind = s->key;
	} else if (s->p->secure == SECURE_NEVER || s->key == KEY_NONE) {
		kind = KEY_NONE;
	} else {
		kind = KEY_NONE; /* auto: unsigned first (the paper's default) */
	}

	/* Zone and primary (steps 1-2). */
	if (s->has_zone) {
		zk_name_copy(&zone, &s->zone);
	} else {
		const zk_name_t *first = zk_update_first_name(&s->upd);
		zk_net_addr_t *ds = NULL;
		size_t nds = 0;
		bool rd = true;

		rc = discovery_servers(s, &ds, &nds, &rd, &ec);
		if (rc == 0)
			rc = find_zone(s, ds, nds, rd, first, deadline, &zone, &mname, &ec);
		free(ds);
		if (rc < 0) {
			snprintf(o.error, sizeof(o.error), "could not find the zone: %s", ec.msg);
			o.code = EXIT_DISCOVERY;
			goto report;
		}
		have_mname = true;
	}
	zk_name_to_cstr(&zone, o.zone, sizeof(o.zone));
	rc = zk_update_check_zone(&s->upd, &zone, &ec);
	if (rc < 0) {
		snprintf(o.error, sizeof(o.error), "%s (the server would answer NOTZONE)", ec.msg);
		o.code = EXIT_USAGE;
		goto report;
	}

	if (s->has_server) {
		uint16_t port = s->server.port ? s->server.port : port_of(s);
		if (s->server.is_addr) {
			targets = malloc(sizeof(*targets));
			if (targets == NULL)
				goto nomem;
			targets[0] = s->server.addr;
			zk_net_addr_set_port(&targets[0], port);
			ntargets = 1;
		} else if ((rc = resolve(s, s->server.host, port, &targets, &ntargets, &ec)) < 0) {
			snprintf(o.error, sizeof(o.error), "server %s: %s", s->server.host, ec.msg);
			o.code = EXIT_DISCOVERY;
			goto report;
		}
	} else {
		char mt[ZK_NAME_TEXTMAX];
		if (!have_mname) {
			/* zone given, no server: ask for its SOA to learn the primary. */
			zk_net_addr_t *ds = NULL;
			size_t nds = 0;
			bool rd = true;
			zk_name_t z2;
			rc = discovery_servers(s, &ds, &nds, &rd, &ec);
			if (rc == 0)
				rc = find_zone(s, ds, nds, rd, &zone, deadline, &z2, &mname, &ec);
			free(ds);
			if (rc < 0) {
				snprintf(o.error, sizeof(o.error),
				         "could not find the primary of %s: %s", o.zone, ec.msg);
				o.code = EXIT_DISCOVERY;
				goto report;
			}
			have_mname = true;
		}
		zk_name_to_cstr(&mname, mt, sizeof(mt));
		if (mt[0] && strcmp(mt, ".") != 0 && mt[strlen(mt) - 1] == '.')
			mt[strlen(mt) - 1] = '\0';
		dbg(s, 2, "resolving the primary %s", mt);
		rc = resolve(s, mt, port_of(s), &targets, &ntargets, &ec);
		if (rc < 0) {
			snprintf(o.error, sizeof(o.error), "cannot resolve the primary %s: %s", mt,
			         ec.msg);
			o.code = EXIT_DISCOVERY;
			goto report;
		}
	}
	for (size_t i = 0; i < ntargets; i++) {
		char t[ZK_NET_ADDRSTRLEN];
		zk_net_addr_to_text(&targets[i], t, sizeof(t));
		dbg(s, 2, "update goes to %s", t);
	}

	/* Attempts: unsigned first (auto), signed; with GSS-TSIG one more
	 * after a BADKEY (the server lost the context: negotiate anew). */
	for (int attempt = 0; attempt < 3; attempt++) {
		o.sec = kind_name(kind);
		memset(&v, 0, sizeof(v));
		v.kind = kind;
		if (kind == KEY_GSS && gt.src == NULL) {
			rc = gss_target(s, &zone, &mname, have_mname, deadline, &gt, &ec);
			if (rc < 0) {
				snprintf(o.error, sizeof(o.error),
				         "GSS-TSIG needs the server's host name (DNS/<name>): the "
				         "zone's SOA MNAME could not be found: %s [give it with "
				         "--gss-server-name NAME]",
				         ec.msg);
				o.code = EXIT_DISCOVERY;
				goto report;
			}
		}
		if (kind != KEY_GSS && (rc = build(s, &zone, kind, &rq, &v, &ec)) < 0) {
			snprintf(o.error, sizeof(o.error), "cannot build the update: %s", ec.msg);
			o.code = EXIT_INTERNAL;
			goto report;
		}
		dbg(s, 1, "sending the update for %s (%s)", o.zone,
		    kind == KEY_NONE   ? "unsigned"
		    : kind == KEY_TSIG ? "TSIG-signed"
		    : kind == KEY_GSS  ? "GSS-TSIG-signed"
		                       : "SIG(0)-signed");
		rc = send_to(s, targets, ntargets, &zone, &gt, &rq, &v, deadline, buf, &rlen, &used,
		             &ec);
		if (rc < 0 && !s->has_server && ntargets > 0 && mono_us() < deadline &&
		    (rc == ZK_ETIMEOUT || rc == ZK_ENET)) {
			/* Step 2's fallback: the other name servers of the zone. */
			zk_net_addr_t *ds = NULL;
			size_t nds = 0;
			bool rd = true;
			dbg(s, 1,
			    "the primary did not answer: trying the zone's other name servers");
			if (discovery_servers(s, &ds, &nds, &rd, &ec) == 0) {
				for (size_t i = 0; i < nds && rc < 0; i++) {
					zk_arena_t *a = zk_arena_new(0);
					zk_msg_t m;
					if (a == NULL)
						break;
					if (query(s, &ds[i], &zone, ZK_TYPE_NS, rd, deadline, a, &m,
					          &ec) == 0) {
						for (size_t j = 0;
						     j < m.count[ZK_SEC_ANSWER] && rc < 0; j++) {
							const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][j];
							zk_name_t ns;
							size_t pos = 0;
							char nt[ZK_NAME_TEXTMAX];
							zk_net_addr_t *na = NULL;
							size_t nn = 0;
							if (rr->type != ZK_TYPE_NS ||
							    zk_name_from_wire_plain(&ns, rr->rdata,
							                            rr->rdlen, &pos,
							                            NULL) < 0 ||
							    zk_name_eq(&ns, &mname))
								continue;
							zk_name_to_cstr(&ns, nt, sizeof(nt));
							dbg(s, 2, "trying name server %s", nt);
							if (resolve(s, nt, port_of(s), &na, &nn,
							            &ec) == 0) {
								gss_target_t g2;
								size_t l;
								snprintf(g2.host, sizeof(g2.host),
								         "%s", nt);
								l = strlen(g2.host);
								if (l > 1 && g2.host[l - 1] == '.')
									g2.host[l - 1] = '\0';
								g2.src = "the zone's NS records";
								rc = send_to(s, na, nn, &zone, &g2,
								             &rq, &v, deadline, buf,
								             &rlen, &used, &ec);
								free(na);
							}
						}
					}
					zk_arena_free(a);
				}
				free(ds);
			}
		}
		o.elapsed_us = mono_us() - start;
		o.ignored = v.ignored;
		if (used.len)
			zk_net_addr_to_text(&used, o.server, sizeof(o.server));
		else if (ntargets > 0)
			zk_net_addr_to_text(&targets[0], o.server, sizeof(o.server));
		if (rc < 0 && v.gss_failed) {
			snprintf(o.error, sizeof(o.error), "%s", v.gss_err);
			o.code = EXIT_SECURITY;
			snprintf(o.tsig, sizeof(o.tsig), "no context");
			goto report;
		}
		if (rc < 0) {
			if (v.ignored > 0)
				snprintf(
				    o.error, sizeof(o.error),
				    "%s; %u repl%s dropped because not validly signed (last: %s)",
				    ec.msg, v.ignored, v.ignored == 1 ? "y" : "ies", v.last_reason);
			else
				snprintf(o.error, sizeof(o.error), "%s", ec.msg);
			o.code = v.ignored > 0 ? EXIT_SECURITY : EXIT_NOREPLY;
			if (kind == KEY_TSIG || kind == KEY_GSS)
				snprintf(o.tsig, sizeof(o.tsig), "%s",
				         v.ignored ? "no valid reply" : "");
			goto report;
		}
		/* Keep the reply for `answer`. */
		free(s->last.reply);
		s->last.reply = malloc(rlen);
		s->last.have_reply = s->last.reply != NULL;
		if (s->last.reply != NULL)
			memcpy(s->last.reply, buf, rlen);
		s->last.reply_len = rlen;
		s->last.tsig_reply = kind == KEY_TSIG || kind == KEY_GSS;
		o.replied = true;
		o.rcode = (uint16_t)(buf[3] & 0x0f);
		o.tsigerr = v.tsigerr;
		if (kind == KEY_TSIG || kind == KEY_GSS)
			snprintf(o.tsig, sizeof(o.tsig), "%s",
			         v.status == ZK_TSIG_OK ? "ok" : "server error");
		if (kind == KEY_GSS && v.status == ZK_TSIG_SERVER_ERROR &&
		    v.tsigerr == ZK_RCODE_BADKEY && !gss_renewed) {
			dbg(s, 1,
			    "the server no longer knows the GSS-TSIG context %s: negotiating a "
			    "new one",
			    s->keyname);
			gss_drop(s);
			gss_renewed = true;
			continue;
		}
		if ((kind == KEY_TSIG || kind == KEY_GSS) && v.status == ZK_TSIG_SERVER_ERROR) {
			char eb[32], rb[32];
			zk_rcode_to_text(v.tsigerr, true, eb, sizeof(eb));
			zk_rcode_to_text(o.rcode, false, rb, sizeof(rb));
			snprintf(o.tsig, sizeof(o.tsig), "%s", eb);
			int len = snprintf(o.error, sizeof(o.error), "%s/%s: %s", rb, eb,
			                   kind == KEY_GSS ? explain_gss(v.tsigerr)
			                                   : explain_tsig(v.tsigerr));
			/* A retry after dropped replies repeats a MAC the server
			 * has seen: GSS-API takes it for a replay (BADSIG). */
			if (v.ignored > 0 && len > 0 && (size_t)len < sizeof(o.error))
				snprintf(o.error + len, sizeof(o.error) - (size_t)len,
				         "; before that %u repl%s dropped because not validly "
				         "signed (last: %s)",
				         v.ignored, v.ignored == 1 ? "y was" : "ies were",
				         v.last_reason);
			o.code = EXIT_SECURITY;
			goto report;
		}
		if (kind == KEY_NONE && s->p->secure == SECURE_AUTO &&
		    (o.rcode == ZK_RCODE_REFUSED || o.rcode == ZK_RCODE_NOTAUTH)) {
			if (s->key != KEY_NONE && attempt == 0) {
				dbg(s, 1, "unsigned update refused: retrying signed with key %s",
				    s->keyname);
				kind = s->key;
				continue;
			}
			char rb[32];
			zk_rcode_to_text(o.rcode, false, rb, sizeof(rb));
			snprintf(o.error, sizeof(o.error),
			         "%s: %s (hint: the server may require a signed update: give a key "
			         "with -k FILE or -y [alg:]name:secret)",
			         rb, explain(o.rcode));
			o.code = EXIT_RCODE;
			goto report;
		}
		if (o.rcode != ZK_RCODE_NOERROR) {
			char rb[32];
			zk_rcode_to_text(o.rcode, false, rb, sizeof(rb));
			snprintf(o.error, sizeof(o.error), "%s: %s", rb, explain(o.rcode));
			o.code = EXIT_RCODE;
		}
		break;
	}
	goto report;
nomem:
	snprintf(o.error, sizeof(o.error), "out of memory");
	o.code = EXIT_INTERNAL;
report:
	free(targets);
	if (s->p->json)
		report_json(s, &o);
	if (o.code != EXIT_OK) {
		fprintf(stderr, "%s: update failed: %s", s->p->prog, o.error);
		if (o.zone[0] || o.server[0])
			fprintf(stderr, " [zone %s, server %s]", o.zone[0] ? o.zone : "?",
			        o.server[0] ? o.server : "?");
		fputc('\n', stderr);
		/* Nothing lost: say exactly what was not applied. */
		static uint8_t fw[BUFSZ];
		size_t flen;
		zk_errctx_t e2;
		zk_errctx_init(&e2);
		if (zk_update_render(&s->upd, o.zone[0] ? &zone : &zk_name_root, 0, fw, sizeof(fw),
		                     &flen, &e2) == 0) {
			free(s->last.failed);
			s->last.failed = malloc(flen);
			if (s->last.failed != NULL) {
				memcpy(s->last.failed, fw, flen);
				s->last.failed_len = flen;
			}
			print_msg(stderr, fw, flen, "Not applied:", false);
		}
		s->exit_code = o.code;
	} else {
		dbg(s, 1, "update applied (zone %s, server %s, %.1f ms)", o.zone, o.server,
		    (double)o.elapsed_us / 1000.0);
		free(s->last.failed);
		s->last.failed = NULL;
	}
	zk_update_clear(&s->upd);
	return o.code;
}
