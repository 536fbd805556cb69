/* zxfr — running a transfer: find the server, ask the SOA (--if-newer),
 * IXFR (UDP first with --udp) falling back to AXFR, stream every message
 * through the xfr state machine into the output. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gss.h"
#include "msg.h"
#include "net.h"
#include "rrtype.h"
#include "sysres.h"
#include "xfr.h"

#include "out.h"
#include "zxfr.h"

typedef struct run {
	params_t *p;
	zk_net_addr_t *addrs;
	size_t naddrs;
	zk_net_addr_t used; /* the server that answered */
	char peer[ZK_NET_ADDRSTRLEN];
	zk_net_opts_t no;
	zk_net_tls_t tls;
	int net_failed; /* the error was the network's (exit 2) */
	/* -g: the GSS-TSIG context, wired into xfr through auth */
	zk_gss_ctx_t *gss;
	zk_xfr_auth_t auth;
	char gss_host[ZK_NAME_TEXTMAX];
	const char *gss_host_src;
	/* Said around the error's message (which has room for one message
	 * only): "GSS-TSIG: " before, a hint after. */
	const char *prefix;
	char hint[ZK_NAME_TEXTMAX + 128];
} run_t;

static uint64_t wall(void)
{
	return (uint64_t)time(NULL);
}

static int report(const run_t *r, int code, const zk_errctx_t *ec)
{
	char msg[600];

	zk_errctx_format(ec, msg, sizeof(msg));
	if (r->peer[0] && ec->peer[0] == '\0')
		fprintf(stderr, "%s: %s: %s%s%s%s\n", r->p->prog, r->peer,
		        r->prefix ? r->prefix : "", msg, r->hint[0] ? " " : "", r->hint);
	else
		fprintf(stderr, "%s: %s%s%s%s\n", r->p->prog, r->prefix ? r->prefix : "", msg,
		        r->hint[0] ? " " : "", r->hint);
	return code;
}

static int exit_for(const run_t *r, int rc, const zk_xfr_stats_t *st)
{
	if (r->net_failed)
		return EXIT_NET;
	if (rc == ZK_ETSIG)
		return EXIT_TSIG;
	if (st != NULL && st->rcode != 0)
		return EXIT_RCODE;
	switch (rc) {
	case ZK_ETSIG: return EXIT_TSIG;
	case ZK_ELIMIT: return EXIT_LIMIT;
	case ZK_EIO:
	case ZK_ENOENT: return EXIT_FILE;
	case ZK_ENOMEM: return EXIT_INTERNAL;
	case ZK_ETIMEOUT:
	case ZK_ENET: return EXIT_NET;
	default: return EXIT_BAD;
	}
}

/* The server's addresses: @server (a literal or a host name), else the
 * first server of resolv.conf. */
static int resolve(run_t *r, zk_errctx_t *ec)
{
	params_t *p = r->p;
	uint16_t port = p->port ? p->port : p->server.port ? p->server.port : p->tls ? 853 : 53;
	zk_sysres_opts_t so = {0};
	zk_sysres_t sr;
	int rc;

	if (p->have_server && p->server.is_addr) {
		r->addrs = malloc(sizeof(*r->addrs));
		if (r->addrs == NULL)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
		r->addrs[0] = p->server.addr;
		zk_net_addr_set_port(&r->addrs[0], port);
		r->naddrs = 1;
		return 0;
	}
	if (p->have_server)
		return zk_sysres_resolve(&so, p->server.host, p->family, port, p->timeout_ms,
		                         &r->addrs, &r->naddrs, ec);
	rc = zk_sysres_load(&sr, &so, ec);
	if (rc < 0)
		return rc;
	if (sr.nservers == 0) {
		zk_sysres_free(&sr);
		return zk_error(ec, ZK_ENOENT, "no server given and none in resolv.conf");
	}
	r->addrs = malloc(sizeof(*r->addrs));
	if (r->addrs == NULL) {
		zk_sysres_free(&sr);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	r->addrs[0] = sr.servers[0];
	zk_net_addr_set_port(&r->addrs[0], port);
	r->naddrs = 1;
	zk_sysres_free(&sr);
	return 0;
}

static int connect_any(run_t *r, zk_net_conn_t **c, zk_errctx_t *ec)
{
	int rc = ZK_ENET;

	for (size_t i = 0; i < r->naddrs; i++) {
		if (r->p->family && zk_net_addr_family(&r->addrs[i]) != r->p->family)
			continue;
		zk_net_addr_to_text(&r->addrs[i], r->peer, sizeof(r->peer));
		zk_errctx_init(ec);
		rc = zk_net_connect(c, &r->addrs[i], &r->no, r->p->tls ? &r->tls : NULL, ec);
		if (rc == 0) {
			r->used = r->addrs[i];
			return 0;
		}
	}
	r->net_failed = 1;
	return rc;
}

/* ---------------------------------------------------------------- SOA query */

/* The server's serial for the zone (UDP, TCP when truncated; TLS with
 * --tls), the reply TSIG-verified when we have a key or GSS-TSIG verified
 * when a context is established; with mname, also the SOA's MNAME (the
 * primary's name, the default GSS-TSIG service name as in nsupdate). */
static int soa_serial(run_t *r, uint32_t *serial, zk_name_t *mname, zk_errctx_t *ec)
{
	params_t *p = r->p;
	uint8_t q[1024], *reply = NULL;
	size_t qlen, rlen = 0;
	zk_tsig_ctx_t tc;
	zk_net_stats_t st = {0};
	zk_arena_t *a = NULL;
	zk_msg_t m;
	uint16_t id;
	bool trunc = false, gss = r->gss != NULL && zk_gss_established(r->gss);
	int rc;

	if (p->have_key)
		zk_tsig_ctx_init(&tc, &p->key, ZK_TSIG_FUDGE);
	rc = zk_net_random_id(&id);
	if (rc == 0)
		rc = zk_xfr_soa_msg(id, ZK_OPCODE_QUERY, &p->zone, p->qclass, NULL,
		                    p->have_key ? &tc : NULL, wall(), q, sizeof(q), &qlen, ec);
	if (rc == 0 && gss) {
		zk_wbuf_t w = {q, sizeof(q), qlen, 0};
		rc = zk_gss_sign(r->gss, &w, wall(), ec);
		qlen = w.len;
	}
	if (rc < 0)
		goto done;
	reply = malloc(65536);
	a = zk_arena_new(0);
	if (reply == NULL || a == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	if (!p->tls) {
		zk_net_addr_to_text(&r->addrs[0], r->peer, sizeof(r->peer));
		rc = zk_net_udp_exchange(&r->addrs[0], &r->no, q, qlen, reply, 65536, &rlen, &trunc,
		                         &st, ec);
		if (rc < 0) {
			r->net_failed = 1;
			goto done;
		}
	}
	if (p->tls || trunc) {
		zk_net_conn_t *c = NULL;
		rc = connect_any(r, &c, ec);
		if (rc == 0) {
			rc = zk_net_stream_exchange(c, &r->no, q, qlen, reply, 65536, &rlen, &st,
			                            ec);
			if (rc < 0)
				r->net_failed = 1;
		}
		zk_net_close(c);
		if (rc < 0)
			goto done;
	}
	rc = zk_msg_parse(&m, reply, rlen, a, ec);
	if (rc < 0)
		goto done;
	if (p->have_key) {
		zk_tsig_status_t ts;
		rc = zk_tsig_verify(&tc, reply, rlen, &m, wall(), false, &ts, ec);
		if (rc < 0)
			goto done;
	} else if (gss) {
		zk_tsig_status_t ts;
		rc = zk_gss_verify(r->gss, reply, rlen, &m, wall(), false, &ts, ec);
		if (rc < 0)
			goto done;
	}
	if (m.rcode != 0) {
		char t[32];
		zk_buf_t b;
		zk_buf_init(&b);
		zk_xfr_ede_text(&m, &b);
		zk_rcode_to_text(m.rcode, p->have_key || gss, t, sizeof(t));
		rc = zk_error(ec, ZK_EMSG, "SOA query answered %s%s%s%s", t, b.len ? " (" : "",
		              b.len && b.data ? b.data : "", b.len ? ")" : "");
		zk_buf_free(&b);
		goto done;
	}
	rc = zk_error(ec, ZK_EMSG, "no SOA for the zone in the answer");
	for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
		const zk_rr_t *rr = &m.rr[ZK_SEC_ANSWER][i];
		size_t pos = 0;
		if (rr->type == ZK_TYPE_SOA && zk_name_eq(rr->owner, &p->zone) &&
		    zk_xfr_soa_serial(rr->rdata, rr->rdlen, serial) == 0 &&
		    (mname == NULL ||
		     zk_name_from_wire_plain(mname, rr->rdata, rr->rdlen, &pos, NULL) == 0)) {
			rc = 0;
			break;
		}
	}
done:
	if (p->have_key)
		zk_tsig_ctx_free(&tc);
	zk_arena_free(a);
	free(reply);
	return rc;
}

/* ---------------------------------------------------------------- GSS-TSIG */

/* xfr signs and verifies through these (common/xfr.h: zk_xfr_auth_t). */
static int auth_sign(void *ctx, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec)
{
	return zk_gss_sign(ctx, w, now, ec);
}

static int auth_verify(void *ctx, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
                       bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	return zk_gss_verify(ctx, raw, len, m, now, stream, status, ec);
}

static int auth_stream_end(void *ctx, zk_errctx_t *ec)
{
	return zk_gss_stream_end(ctx, ec);
}

static void verbose(const run_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void verbose(const run_t *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->p->verbose)
		return;
	fprintf(stderr, "%s: ", r->p->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The usual mistakes get a hint on top of the module's explanation (the
 * same hints as zupdate -g). */
static void gss_explain(run_t *r, int rc, const zk_errctx_t *ec)
{
	const char *m = ec->msg;

	r->prefix = "GSS-TSIG: ";
	if (rc == ZK_EKEY && strstr(m, "no Kerberos credentials") != NULL &&
	    r->p->gss_keytab == NULL)
		snprintf(r->hint, sizeof(r->hint),
		         "[hint: run kinit, or give --keytab FILE --principal PRINCIPAL]");
	else if (strstr(m, "service principal") != NULL)
		snprintf(r->hint, sizeof(r->hint),
		         "[the name %s came from %s; give the right one with --gss-server-name "
		         "NAME]",
		         r->gss_host, r->gss_host_src);
}

/* -g: the service name, the credentials, the TKEY negotiation (RFC 3645
 * §3.1, over TCP: tokens do not fit in UDP). */
static int gss_start(run_t *r, zk_errctx_t *ec)
{
	params_t *p = r->p;
	zk_gss_opts_t o = {0};
	zk_net_conn_t *c = NULL;
	char key[ZK_NAME_TEXTMAX], who[512];
	uint64_t now, exp;
	int rc;

	/* DNS/<name>: given, or the host name of @server, or the primary's
	 * name in the zone's SOA (MNAME), as nsupdate -g takes it. */
	if (p->gss_server_name != NULL) {
		snprintf(r->gss_host, sizeof(r->gss_host), "%s", p->gss_server_name);
		r->gss_host_src = "--gss-server-name";
	} else if (p->have_server && !p->server.is_addr) {
		snprintf(r->gss_host, sizeof(r->gss_host), "%s", p->server.host);
		r->gss_host_src = "@server";
	} else {
		zk_name_t mname;
		uint32_t serial;

		rc = soa_serial(r, &serial, &mname, ec);
		if (rc < 0) {
			r->prefix =
			    "GSS-TSIG: cannot learn the server's name from the zone's SOA: ";
			snprintf(r->hint, sizeof(r->hint), "[give it with --gss-server-name NAME]");
			return rc;
		}
		zk_name_to_cstr(&mname, r->gss_host, sizeof(r->gss_host));
		r->gss_host_src = "the zone's SOA MNAME";
	}
	/* The service principal has no final dot. */
	size_t n = strlen(r->gss_host);
	if (n > 1 && r->gss_host[n - 1] == '.')
		r->gss_host[n - 1] = '\0';
	r->net_failed = 0;

	o.server = r->gss_host;
	o.realm = p->gss_realm;
	o.keytab = p->gss_keytab;
	o.principal = p->gss_principal;
	o.windows = p->gss_windows;
	verbose(r, "negotiating a GSS-TSIG context (service DNS/%s%s%s, from %s; %s)", r->gss_host,
	        o.realm ? "@" : "", o.realm ? o.realm : "", r->gss_host_src,
	        o.windows ? "Windows 2000 variant gss.microsoft.com" : "gss-tsig");
	rc = zk_gss_new(&r->gss, &o, ec);
	if (rc < 0) {
		r->gss = NULL;
		gss_explain(r, rc, ec);
		return rc;
	}
	rc = connect_any(r, &c, ec);
	if (rc < 0)
		return rc;
	now = wall();
	rc = zk_gss_negotiate(r->gss, c, &r->no, now, ec);
	zk_net_close(c);
	if (rc < 0) {
		gss_explain(r, rc, ec);
		if (rc == ZK_ENET || rc == ZK_ETIMEOUT) {
			r->net_failed = 1;
			r->prefix = "GSS-TSIG: TKEY negotiation: ";
		}
		return rc;
	}
	r->auth.sign = auth_sign;
	r->auth.verify = auth_verify;
	r->auth.stream_end = auth_stream_end;
	r->auth.ctx = r->gss;
	zk_name_to_cstr(zk_gss_key_name(r->gss), key, sizeof(key));
	zk_gss_client_name(r->gss, who, sizeof(who));
	exp = zk_gss_expires(r->gss);
	verbose(r, "GSS-TSIG context %s established with %s as %s, valid for %llu s", key, r->peer,
	        who[0] ? who : "?", exp > now ? (unsigned long long)(exp - now) : 0ULL);
	return 0;
}

/* Delete the context on the server (RFC 2930 §4.1, TKEY mode 5) on a
 * connection of its own: the transfer's may hold the rest of a broken
 * stream. A failure only costs the server a context that expires. */
static void gss_end(run_t *r)
{
	zk_net_conn_t *c = NULL;
	zk_errctx_t ec;
	char key[ZK_NAME_TEXTMAX];
	uint64_t now = wall(), exp;

	if (r->gss == NULL)
		return;
	exp = zk_gss_expires(r->gss);
	zk_name_to_cstr(zk_gss_key_name(r->gss), key, sizeof(key));
	zk_errctx_init(&ec);
	if (zk_gss_established(r->gss) && (exp == 0 || now < exp) && r->used.len != 0) {
		if (zk_net_connect(&c, &r->used, &r->no, r->p->tls ? &r->tls : NULL, &ec) == 0 &&
		    zk_gss_delete(r->gss, c, &r->no, now, &ec) == 0)
			verbose(r, "GSS-TSIG context %s deleted (TKEY mode 5)", key);
		else
			verbose(r, "could not delete the GSS-TSIG context %s: %s", key,
			        ec.msg[0] ? ec.msg : zk_strerror(ec.code));
		zk_net_close(c);
	}
	zk_gss_free(r->gss);
	r->gss = NULL;
}

/* ---------------------------------------------------------------- transfers */

static zk_xfr_t *new_xfr(run_t *r, sink_t *s, uint16_t qtype, uint32_t serial, bool udp)
{
	zk_xfr_opts_t o = {.zone = &r->p->zone,
	                   .qtype = qtype,
	                   .qclass = r->p->qclass,
	                   .serial = serial,
	                   .key = r->p->have_key ? &r->p->key : NULL,
	                   .auth = r->gss != NULL ? &r->auth : NULL,
	                   .udp = udp,
	                   .max_records = r->p->max_records,
	                   .max_bytes = r->p->max_bytes,
	                   .on_rr = sink_rr,
	                   .ctx = s};
	return zk_xfr_new(&o);
}

/* IXFR over UDP: 0 done, 1 "use TCP" (truncated, or more than one
 * message needed), or an error. */
static int xfr_udp(run_t *r, sink_t *s, uint32_t serial, zk_xfr_stats_t *st, zk_errctx_t *ec)
{
	zk_xfr_t *x = new_xfr(r, s, ZK_TYPE_IXFR, serial, true);
	uint8_t q[1024], *reply = malloc(65536);
	size_t qlen, rlen;
	zk_net_stats_t ns = {0};
	zk_net_opts_t uo;
	bool tc = false;
	uint16_t id;
	int rc;

	if (x == NULL || reply == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	rc = zk_net_random_id(&id);
	if (rc == 0)
		rc = zk_xfr_query(x, id, wall(), q, sizeof(q), &qlen, ec);
	if (rc < 0)
		goto done;
	zk_net_addr_to_text(&r->addrs[0], r->peer, sizeof(r->peer));
	/* One short try: the fallback is TCP, not waiting. */
	uo = r->no;
	uo.tries = 1;
	uo.timeout_ms = uo.timeout_ms < 2000 ? uo.timeout_ms : 2000;
	rc = zk_net_udp_exchange(&r->addrs[0], &uo, q, qlen, reply, 65536, &rlen, &tc, &ns, ec);
	if (rc == ZK_ETIMEOUT || rc == ZK_ENET) {
		/* No IXFR over UDP there (RFC 1995 §2 makes it optional): TCP. */
		zk_errctx_init(ec);
		rc = 1;
		goto done;
	}
	if (rc < 0)
		goto done;
	rc = zk_xfr_feed(x, reply, rlen, wall(), ec);
	if (rc == ZK_ETRUNC || rc == 1) {
		zk_errctx_init(ec);
		rc = sink_restart(s, ec);
		if (rc == 0)
			rc = 1;
	}
	zk_xfr_get_stats(x, st);
done:
	zk_xfr_free(x);
	free(reply);
	return rc;
}

static int xfr_stream(run_t *r, sink_t *s, uint16_t qtype, uint32_t serial, zk_xfr_stats_t *st,
                      zk_errctx_t *ec)
{
	zk_xfr_t *x = new_xfr(r, s, qtype, serial, false);
	zk_net_conn_t *c = NULL;
	uint8_t q[1024];
	size_t qlen;
	uint16_t id;
	int rc;

	memset(st, 0, sizeof(*st));
	if (x == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	rc = connect_any(r, &c, ec);
	if (rc < 0)
		goto done;
	rc = zk_net_random_id(&id);
	if (rc == 0)
		rc = zk_xfr_query(x, id, wall(), q, sizeof(q), &qlen, ec);
	if (rc == 0) {
		rc = zk_net_send(c, q, qlen, r->no.timeout_ms, ec);
		if (rc < 0)
			r->net_failed = 1;
	}
	while (rc == 0) {
		const uint8_t *msg;
		size_t len;
		zk_xfr_stats_t now;

		rc = zk_net_recv(c, &msg, &len, r->no.timeout_ms, ec);
		if (rc == ZK_ENOENT) {
			/* Closed between messages: fine only after the end. */
			rc = zk_xfr_eof(x, ec);
			r->net_failed = 1;
			break;
		}
		if (rc < 0) {
			zk_xfr_get_stats(x, &now);
			r->net_failed = 1;
			if (now.messages > 0) {
				char m[300];
				snprintf(m, sizeof(m), "%s", ec->msg);
				zk_error(ec, rc, "the transfer broke off after %llu records: %s",
				         (unsigned long long)now.records, m);
			}
			break;
		}
		rc = zk_xfr_feed(x, msg, len, wall(), ec);
		zk_xfr_get_stats(x, &now);
		sink_progress(s, now.records, now.bytes, false);
		if (rc == 0)
			break;
		if (rc == 1)
			rc = 0;
	}
done:
	if (x != NULL)
		zk_xfr_get_stats(x, st);
	zk_net_close(c);
	zk_xfr_free(x);
	return rc;
}

static void summary(const run_t *r, const sink_t *s, const zk_xfr_stats_t *st, const char *what)
{
	const params_t *p = r->p;

	char sig[160] = "";

	if (p->quiet || (p->out == NULL && !p->verbose))
		return;
	if (p->have_key)
		snprintf(sig, sizeof(sig), ", TSIG verified");
	else if (r->gss != NULL)
		snprintf(sig, sizeof(sig),
		         ", GSS-TSIG verified (%s ok, %llu of %llu messages signed)",
		         p->gss_windows ? "gss.microsoft.com" : "gss-tsig",
		         (unsigned long long)st->signed_messages, (unsigned long long)st->messages);
	fprintf(stderr,
	        "%s: %s serial %u from %s: %s, %llu records in %llu messages (%llu octets)%s\n",
	        p->prog, p->zone_text, st->serial, r->peer, what, (unsigned long long)st->records,
	        (unsigned long long)st->messages, (unsigned long long)st->bytes, sig);
	(void)s;
}

int exec_run(params_t *p)
{
	run_t r = {.p = p};
	sink_t s;
	zk_errctx_t ec;
	zk_xfr_stats_t st = {0};
	uint32_t local = 0;
	bool have_local = false, opened = false;
	int rc, code = EXIT_OK;

	zk_errctx_init(&ec);
	out_signals();
	r.no.family = p->family;
	r.no.timeout_ms = p->timeout_ms;
	r.no.tries = 3;
	r.tls.verify = p->tls_verify;
	r.tls.ca_file = p->tls_ca;
	r.tls.hostname = p->tls_hostname;

	rc = resolve(&r, &ec);
	if (rc < 0) {
		code = report(&r, EXIT_NET, &ec);
		goto done;
	}
	if (p->gss) {
		rc = gss_start(&r, &ec);
		if (rc < 0) {
			/* The network's failure is exit 2; GSS-API's, the KDC's
			 * and the server's refusal of TKEY are exit 4. */
			code = report(&r,
			              r.net_failed      ? EXIT_NET
			              : rc == ZK_ENOMEM ? EXIT_INTERNAL
			                                : EXIT_TSIG,
			              &ec);
			goto done;
		}
	}
	if (p->have_serial) {
		local = p->serial;
		have_local = true;
	} else if (p->out != NULL && (p->if_newer || p->ixfr)) {
		rc = out_file_serial(p->out, &p->zone, &local, &ec);
		if (rc == 0) {
			have_local = true;
		} else if (rc != ZK_ENOENT) {
			code = report(&r, EXIT_FILE, &ec);
			goto done;
		}
		zk_errctx_init(&ec);
	}

	/* --if-newer: what a secondary does on refresh (RFC 1034 §4.3.5) or
	 * after a NOTIFY (RFC 1996 §3.11): the SOA first. */
	if (p->if_newer && have_local) {
		uint32_t remote;
		rc = soa_serial(&r, &remote, NULL, &ec);
		if (rc < 0) {
			code = report(&r, exit_for(&r, rc, NULL), &ec);
			goto done;
		}
		if (zk_serial_cmp(remote, local) != 1) {
			if (!p->quiet)
				fprintf(stderr, "%s: %s is up to date (serial %u, server %u)\n",
				        p->prog, p->zone_text, local, remote);
			goto done;
		}
	}

	rc = sink_open(&s, p, &ec);
	opened = true; /* sink_free cleans up after a failed open too */
	if (rc < 0) {
		code = report(&r, EXIT_FILE, &ec);
		goto done;
	}

	if (p->ixfr && have_local) {
		rc = 1;
		if (p->udp)
			rc = xfr_udp(&r, &s, local, &st, &ec);
		if (rc == 1) {
			r.net_failed = 0;
			zk_errctx_init(&ec);
			rc = xfr_stream(&r, &s, ZK_TYPE_IXFR, local, &st, &ec);
		}
		if (rc == 0 && st.kind == ZK_XFR_KIND_UPTODATE) {
			sink_abort(&s);
			if (!p->quiet)
				fprintf(stderr, "%s: %s is up to date (serial %u)\n", p->prog,
				        p->zone_text, st.serial);
			goto done;
		}
		if (rc == 0 && st.kind == ZK_XFR_KIND_DELTAS && p->out != NULL)
			rc = sink_apply_deltas(&s, &ec);
		if (rc == ZK_EZONE && p->out != NULL) {
			/* The differences do not fit our copy: take the whole zone. */
			if (!p->quiet) {
				char m[600];
				zk_errctx_format(&ec, m, sizeof(m));
				fprintf(stderr, "%s: %s; falling back to AXFR\n", p->prog, m);
			}
			zk_errctx_init(&ec);
			rc = sink_restart(&s, &ec);
			if (rc == 0)
				rc = xfr_stream(&r, &s, ZK_TYPE_AXFR, 0, &st, &ec);
		}
	} else {
		rc = xfr_stream(&r, &s, ZK_TYPE_AXFR, 0, &st, &ec);
	}
	if (rc < 0) {
		code = report(&r, exit_for(&r, rc, &st), &ec);
		goto done;
	}
	sink_progress(&s, st.records, st.bytes, true);
	rc = sink_commit(&s, &ec);
	if (rc < 0) {
		code = report(&r, rc == ZK_ENOMEM ? EXIT_INTERNAL : EXIT_FILE, &ec);
		goto done;
	}
	summary(&r, &s, &st,
	        st.kind == ZK_XFR_KIND_DELTAS ? "IXFR applied" : (p->ixfr ? "full zone" : "AXFR"));
done:
	if (opened)
		sink_free(&s);
	gss_end(&r);
	free(r.addrs);
	return code;
}
