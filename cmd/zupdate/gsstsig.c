/* zupdate — the GSS-TSIG context (RFC 3645) of the server an update goes
 * to: credentials from the cache or a client keytab, TKEY negotiation
 * over TCP (RFC 2930 mode 3; the tokens do not fit in UDP), reuse across
 * sends while it is valid, deletion (mode 5) at the end.
 *
 * One context at a time, bound to the server address, its host name and
 * realm (the service principal is DNS/<host>[@realm]): an update for
 * another server, or with the other variant (-o), deletes the old one
 * first. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "zupdate.h"

bool gss_check_available(const char *prog, const char *what)
{
	if (zk_gss_available())
		return true;
	fprintf(stderr, "%s: %s: GSS-TSIG unavailable: %s\n", prog, what, ZK_GSS_BUILT_OUT);
	return false;
}

void gss_drop(session_t *s)
{
	zk_gss_free(s->gss);
	s->gss = NULL;
	s->gss_host[0] = '\0';
}

static void net_opts(const session_t *s, unsigned timeout_ms, zk_net_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->family = s->p->family;
	o->source = s->has_local ? &s->local : NULL;
	o->timeout_ms = timeout_ms;
}

void gss_finish(session_t *s)
{
	zk_net_opts_t no;
	zk_net_conn_t *c = NULL;
	zk_errctx_t ec;
	char key[ZK_NAME_TEXTMAX], at[ZK_NET_ADDRSTRLEN];
	uint64_t now = send_now(s), exp;

	if (s->gss == NULL)
		return;
	exp = zk_gss_expires(s->gss);
	zk_name_to_cstr(zk_gss_key_name(s->gss), key, sizeof(key));
	zk_net_addr_to_text(&s->gss_addr, at, sizeof(at));
	zk_errctx_init(&ec);
	/* An expired context is gone on the server too: nothing to delete. */
	if (zk_gss_established(s->gss) && (exp == 0 || now < exp)) {
		net_opts(s, 5000, &no);
		if (zk_net_connect(&c, &s->gss_addr, &no, NULL, &ec) == 0 &&
		    zk_gss_delete(s->gss, c, &no, now, &ec) == 0)
			dbg(s, 1, "GSS-TSIG context %s deleted on %s (TKEY mode 5)", key, at);
		else
			dbg(s, 1, "could not delete the GSS-TSIG context %s on %s: %s", key, at,
			    ec.msg[0] ? ec.msg : zk_strerror(ec.code));
		if (c != NULL)
			zk_net_close(c);
	}
	gss_drop(s);
}

/* The usual mistakes get the tool's own hint on top of the module's. */
static void explain(const session_t *s, int rc, const char *msg, const char *host,
                    const char *host_src, char *err, size_t cap)
{
	int n = snprintf(err, cap, "GSS-TSIG: %s", msg);

	if (n < 0 || (size_t)n >= cap)
		return;
	if (rc == ZK_EKEY && strstr(msg, "no Kerberos credentials") != NULL &&
	    s->p->gss_keytab == NULL)
		snprintf(err + n, cap - (size_t)n,
		         " [hint: run kinit, or give --keytab FILE --principal PRINCIPAL]");
	else if (strstr(msg, "service principal") != NULL)
		snprintf(err + n, cap - (size_t)n,
		         " [the name %s came from %s; give the right one with --gss-server-name "
		         "NAME]",
		         host, host_src);
}

int gss_ensure(session_t *s, const zk_net_addr_t *addr, const char *host, const char *host_src,
               unsigned timeout_ms, char *err, size_t cap)
{
	zk_gss_opts_t o;
	zk_gss_ctx_t *g = NULL;
	zk_net_opts_t no;
	zk_net_conn_t *c = NULL;
	zk_errctx_t ec;
	char at[ZK_NET_ADDRSTRLEN], key[ZK_NAME_TEXTMAX], who[512], msg[sizeof(ec.msg) + 96];
	uint64_t now = send_now(s), exp;
	bool expired = false;
	int rc;

	zk_net_addr_to_text(addr, at, sizeof(at));
	if (s->gss != NULL && zk_net_addr_eq(&s->gss_addr, addr) &&
	    strcasecmp(s->gss_host, host) == 0 && s->gss_ctx_windows == s->gss_windows &&
	    strcmp(s->gss_ctx_realm, s->realm) == 0 && zk_gss_established(s->gss)) {
		exp = zk_gss_expires(s->gss);
		/* A few seconds of margin: the update must arrive in time. */
		if (exp == 0 || now + 5 < exp)
			return 0;
		zk_name_to_cstr(zk_gss_key_name(s->gss), key, sizeof(key));
		dbg(s, 1, "GSS-TSIG context %s expired: negotiating a new one", key);
		gss_drop(s);
		expired = true;
	} else if (s->gss != NULL) {
		gss_finish(s);
	}

	memset(&o, 0, sizeof(o));
	o.server = host;
	o.realm = s->realm[0] ? s->realm : NULL;
	o.keytab = s->p->gss_keytab;
	o.principal = s->p->gss_principal;
	o.windows = s->gss_windows;
	zk_errctx_init(&ec);
	dbg(s, 1, "negotiating a GSS-TSIG context with %s (service DNS/%s%s%s, %s)", at, host,
	    o.realm ? "@" : "", o.realm ? o.realm : "",
	    o.windows ? "Windows 2000 variant gss.microsoft.com" : "gss-tsig");
	rc = zk_gss_new(&g, &o, &ec);
	if (rc == 0) {
		net_opts(s, timeout_ms, &no);
		rc = zk_net_connect(&c, addr, &no, NULL, &ec);
	}
	if (rc == 0)
		rc = zk_gss_negotiate(g, c, &no, now, &ec);
	if (c != NULL)
		zk_net_close(c);
	if (rc < 0) {
		zk_gss_free(g);
		snprintf(msg, sizeof(msg), "%s%s",
		         rc == ZK_ENET || rc == ZK_ETIMEOUT ? "TKEY negotiation: " : "",
		         ec.msg[0] ? ec.msg : zk_strerror(rc));
		if (expired) {
			char m2[sizeof(msg) + 80];
			snprintf(m2, sizeof(m2), "the context expired and a new one failed: %s",
			         msg);
			explain(s, rc, m2, host, host_src, err, cap);
		} else {
			explain(s, rc, msg, host, host_src, err, cap);
		}
		return rc;
	}
	s->gss = g;
	s->gss_addr = *addr;
	snprintf(s->gss_host, sizeof(s->gss_host), "%s", host);
	s->gss_ctx_windows = s->gss_windows;
	snprintf(s->gss_ctx_realm, sizeof(s->gss_ctx_realm), "%s", s->realm);
	zk_name_to_cstr(zk_gss_key_name(g), s->keyname, sizeof(s->keyname));
	zk_gss_client_name(g, who, sizeof(who));
	exp = zk_gss_expires(g);
	dbg(s, 1, "GSS-TSIG context %s established with %s as %s, valid for %llu s", s->keyname, at,
	    who[0] ? who : "?", exp > now ? (unsigned long long)(exp - now) : 0ULL);
	return 0;
}
