/* gss — GSS-TSIG (RFC 3645) over TKEY (RFC 2930).
 *
 * Negotiation (RFC 3645 §4.1): the client calls gss_init_sec_context and
 * sends each output token in a TKEY record (mode 3) of a QUERY for
 * <key name> ANY TKEY; the server answers with its token in a TKEY record
 * of the answer section. While GSS-API says CONTINUE_NEEDED (or has a
 * token left for the server) another round trip follows. The server's
 * reply that completes its side is signed with the new context (§4.1.3);
 * we verify that TSIG before the context is used.
 *
 * Signing (§5.2): the TSIG MAC is gss_get_mic over exactly the octets an
 * HMAC TSIG covers (RFC 8945 §4.3), so they come from tsig.c's
 * zk_tsig_mac_input. Verification follows RFC 8945 §5.2: key and algorithm,
 * then the MAC (gss_verify_mic), then the time.
 *
 * Kerberos through SPNEGO, as nsupdate -g and Windows clients do, with
 * mutual authentication, replay detection and integrity. Credentials come
 * from a credential cache or, for unattended clients, a client keytab
 * (gss_acquire_cred_from with client_keytab and a private MEMORY cache).
 *
 * Untrusted input: the TKEY and TSIG replies. They are parsed by msg.c;
 * here only their rdata is read, with the sticky cursor, and every length
 * is checked against the rdata. Tokens are handed to GSS-API as they are. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "gss.h"
#include "rrtype.h"

#ifndef HAVE_GSSAPI

/* ------------------------------------------------------------------ */
/* Built without GSS-API: every entry point says so. */

static int built_out(zk_errctx_t *ec)
{
	return zk_error(ec, ZK_EUNSUPP, "%s", ZK_GSS_BUILT_OUT);
}

bool zk_gss_available(void)
{
	return false;
}

int zk_gss_new(zk_gss_ctx_t **out, const zk_gss_opts_t *o, zk_errctx_t *ec)
{
	(void)out, (void)o;
	return built_out(ec);
}

void zk_gss_free(zk_gss_ctx_t *g)
{
	(void)g;
}

const zk_name_t *zk_gss_key_name(const zk_gss_ctx_t *g)
{
	(void)g;
	return &zk_name_root;
}

const zk_name_t *zk_gss_alg(const zk_gss_ctx_t *g)
{
	(void)g;
	return &zk_name_root;
}

bool zk_gss_established(const zk_gss_ctx_t *g)
{
	(void)g;
	return false;
}

uint64_t zk_gss_expires(const zk_gss_ctx_t *g)
{
	(void)g;
	return 0;
}

size_t zk_gss_client_name(const zk_gss_ctx_t *g, char *buf, size_t cap)
{
	(void)g;
	if (cap > 0)
		buf[0] = '\0';
	return 0;
}

int zk_gss_tkey_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec)
{
	(void)g, (void)id, (void)now, (void)w;
	return built_out(ec);
}

int zk_gss_tkey_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                      zk_errctx_t *ec)
{
	(void)g, (void)reply, (void)len, (void)now;
	return built_out(ec);
}

int zk_gss_negotiate(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                     zk_errctx_t *ec)
{
	(void)g, (void)c, (void)o, (void)now;
	return built_out(ec);
}

int zk_gss_delete_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec)
{
	(void)g, (void)id, (void)now, (void)w;
	return built_out(ec);
}

int zk_gss_delete_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                        zk_errctx_t *ec)
{
	(void)g, (void)reply, (void)len, (void)now;
	return built_out(ec);
}

int zk_gss_delete(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                  zk_errctx_t *ec)
{
	(void)g, (void)c, (void)o, (void)now;
	return built_out(ec);
}

int zk_gss_sign(zk_gss_ctx_t *g, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec)
{
	(void)g, (void)w, (void)now;
	return built_out(ec);
}

int zk_gss_verify(zk_gss_ctx_t *g, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
                  bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	(void)g, (void)raw, (void)len, (void)m, (void)now, (void)stream;
	*status = ZK_TSIG_BADKEY;
	return built_out(ec);
}

int zk_gss_stream_end(const zk_gss_ctx_t *g, zk_errctx_t *ec)
{
	(void)g;
	return built_out(ec);
}

#else /* HAVE_GSSAPI */

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
/* For the error-table constants only (KRB5KRB_AP_ERR_SKEW, ...): nothing
 * from libkrb5 is called. */
#include <krb5/krb5.h>

/* SPNEGO (RFC 4178): what nsupdate -g and Windows negotiate. */
static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};

/* Largest MIC token we keep as a request MAC (Kerberos: 28 to 44). */
#define MAC_MAX 1024

enum state {
	ST_START,  /* nothing sent yet */
	ST_WAIT,   /* a TKEY query is out, its reply not processed */
	ST_SEND,   /* a token is pending for the next TKEY query */
	ST_DONE,   /* established */
	ST_DELETED /* deleted (TKEY mode 5 sent, or given up) */
};

struct zk_gss_ctx {
	char server[ZK_NAME_TEXTMAX]; /* without the final dot */
	char target_text[ZK_NAME_TEXTMAX + 64];
	zk_name_t key, alg;
	bool windows;
	uint32_t lifetime;
	uint16_t fudge;

	gss_cred_id_t cred;
	gss_name_t target;
	gss_ctx_id_t ctx;
	gss_buffer_desc pending; /* output token for the next TKEY query */
	bool client_complete;    /* gss_init_sec_context returned COMPLETE */
	enum state state;
	uint16_t qid; /* ID of the TKEY query that is out */
	uint8_t qmode;
	uint64_t expires;
	char client[512];

	/* TSIG state of the current exchange or stream. */
	uint8_t mac[MAC_MAX];
	size_t mac_len;
	bool have_mac;
	unsigned replies, unsigned_run;
	zk_buf_t run; /* unsigned messages since the last signed one (§5.3.1) */
};

bool zk_gss_available(void)
{
	return true;
}

/* ------------------------------------------------------------------ */
/* Errors, explained. */

/* gss_display_status text of one status value, appended to out. */
static void status_text(OM_uint32 code, int type, zk_buf_t *out)
{
	OM_uint32 minor, more = 0;
	gss_buffer_desc b;
	do {
		if (GSS_ERROR(gss_display_status(&minor, code, type, GSS_C_NO_OID, &more, &b)))
			break;
		if (out->len > 0)
			zk_buf_puts(out, ", ");
		zk_buf_put(out, b.value, b.length);
		gss_release_buffer(&minor, &b);
	} while (more != 0);
}

/* A hint for the usual mistakes, from the routine error and the Kerberos
 * error code, or its text: through SPNEGO the mechanism glue hands back
 * a mapped minor code whose text is still Kerberos' own message. */
static const char *hint(OM_uint32 major, OM_uint32 minor, const char *text)
{
	long m = (long)(int32_t)minor;
	OM_uint32 routine = GSS_ROUTINE_ERROR(major);

	/* The Kerberos reason first, the GSS-API routine error after. */
	if (m == KRB5KRB_AP_ERR_SKEW || strstr(text, "lock skew") != NULL)
		return "the clocks of this host, the KDC and the DNS server must agree "
		       "within 5 minutes (use NTP)";
	bool unknown = strstr(text, "not found in Kerberos database") != NULL;
	if (unknown && strstr(text, "krbtgt/") != NULL)
		return "the KDC has no path to the service's realm: check the realm "
		       "(realm command, krb5.conf domain_realm)";
	if (m == KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN || (unknown && strstr(text, "Server ") != NULL))
		return "the KDC does not know that service principal: it must be "
		       "DNS/<the server's FQDN as in its SOA MNAME> (try: kvno DNS/<fqdn>)";
	if (m == KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN || (unknown && strstr(text, "Client ") != NULL))
		return "the KDC does not know the client principal";
	if (m == KRB5KRB_AP_ERR_TKT_NYV || strstr(text, "not yet valid") != NULL)
		return "this host's clock is behind the KDC's: clocks must agree within 5 "
		       "minutes (use NTP)";
	if (m == KRB5KRB_AP_ERR_TKT_EXPIRED || strstr(text, "icket expired") != NULL)
		return "the Kerberos ticket expired: run kinit again";
	if (m == KRB5_KDC_UNREACH || strstr(text, "contact any KDC") != NULL)
		return "no KDC reachable for the realm (check krb5.conf)";
	if (m == KRB5_REALM_UNKNOWN || strstr(text, "Cannot find KDC for realm") != NULL)
		return "unknown realm: give it (realm command) or map the host in krb5.conf";
	if (m == KRB5_KT_NOTFOUND || strstr(text, "eytab") != NULL)
		return "the keytab has no key for that principal (check with klist -k)";
	if (m == KRB5_FCC_NOFILE || m == KRB5_CC_NOTFOUND || routine == GSS_S_NO_CRED ||
	    strstr(text, "No Kerberos credentials") != NULL)
		return "no Kerberos credentials: run kinit first, or give a client keytab "
		       "and principal";
	if (routine == GSS_S_CREDENTIALS_EXPIRED)
		return "the Kerberos ticket expired: run kinit again";
	if (routine == GSS_S_CONTEXT_EXPIRED)
		return "the GSS-TSIG context expired: negotiate a new one";
	return NULL;
}

static int gss_fail(zk_errctx_t *ec, int code, const char *what, OM_uint32 major, OM_uint32 minor)
{
	zk_buf_t t;
	const char *h;
	int rc;

	zk_buf_init(&t);
	if (minor != 0)
		status_text(minor, GSS_C_MECH_CODE, &t);
	if (t.len == 0)
		status_text(major, GSS_C_GSS_CODE, &t);
	h = hint(major, minor, t.data ? t.data : "");
	if (h != NULL)
		rc = zk_error(ec, code, "%s: %s (%s)", what, h, t.data ? t.data : "GSS-API error");
	else
		rc = zk_error(ec, code, "%s: %s", what, t.data ? t.data : "GSS-API error");
	zk_buf_free(&t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Context set-up. */

static int import_name(gss_name_t *out, const char *text, gss_OID type)
{
	OM_uint32 minor;
	gss_buffer_desc b = {strlen(text), (void *)(uintptr_t)text};
	return (int)gss_import_name(&minor, &b, type, out);
}

static int acquire(zk_gss_ctx_t *g, const zk_gss_opts_t *o, zk_errctx_t *ec)
{
	gss_OID_set_desc mechs = {1, &spnego_oid};
	gss_key_value_element_desc el[2];
	gss_key_value_set_desc store = {0, el};
	gss_name_t name = GSS_C_NO_NAME, got = GSS_C_NO_NAME;
	OM_uint32 major, minor, life = 0;
	char memcc[64];
	uint32_t r = 0;

	if (o->keytab != NULL) {
		if (o->principal == NULL)
			return zk_error(ec, ZK_EINVAL,
			                "a client keytab needs the client principal too");
		if (zk_random_bytes(&r, sizeof(r)) < 0)
			return zk_error(ec, ZK_ECRYPTO, "no random numbers");
		/* Tickets from the keytab go to a cache of our own, never the
		 * user's: an unattended client must not disturb it. */
		snprintf(memcc, sizeof(memcc), "MEMORY:zkit-gss-%08x", (unsigned)r);
		el[store.count++] = (gss_key_value_element_desc){"client_keytab", o->keytab};
		el[store.count++] = (gss_key_value_element_desc){"ccache", memcc};
	} else if (o->ccache != NULL) {
		el[store.count++] = (gss_key_value_element_desc){"ccache", o->ccache};
	}
	if (o->principal != NULL &&
	    GSS_ERROR(import_name(&name, o->principal, GSS_KRB5_NT_PRINCIPAL_NAME)))
		return zk_error(ec, ZK_EKEY, "bad principal name '%s'", o->principal);
	major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
	                              store.count ? &store : GSS_C_NO_CRED_STORE, &g->cred, NULL,
	                              &life);
	if (GSS_ERROR(major)) {
		/* SPNEGO only says it found no mechanism; Kerberos says why
		 * (no cache, no KDC, no key in the keytab). */
		gss_OID_set_desc krb5 = {1, (gss_OID)gss_mech_krb5};
		gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
		OM_uint32 m2, major2 = gss_acquire_cred_from(
		                  &m2, name, GSS_C_INDEFINITE, &krb5, GSS_C_INITIATE,
		                  store.count ? &store : GSS_C_NO_CRED_STORE, &c, NULL, NULL);
		if (c != GSS_C_NO_CREDENTIAL)
			gss_release_cred(&minor, &c);
		if (GSS_ERROR(major2))
			major = major2, minor = m2;
		if (name != GSS_C_NO_NAME)
			gss_release_name(&m2, &name);
		return gss_fail(ec, ZK_EKEY, "cannot get Kerberos credentials", major, minor);
	}
	if (name != GSS_C_NO_NAME)
		gss_release_name(&minor, &name);
	if (life == 0 && o->keytab == NULL)
		return zk_error(ec, ZK_EKEY, "the Kerberos ticket expired: run kinit again");
	if (!GSS_ERROR(gss_inquire_cred(&minor, g->cred, &got, NULL, NULL, NULL))) {
		gss_buffer_desc b;
		if (!GSS_ERROR(gss_display_name(&minor, got, &b, NULL))) {
			snprintf(g->client, sizeof(g->client), "%.*s", (int)b.length,
			         (const char *)b.value);
			gss_release_buffer(&minor, &b);
		}
		gss_release_name(&minor, &got);
	}
	return 0;
}

static int set_target(zk_gss_ctx_t *g, const zk_gss_opts_t *o, zk_errctx_t *ec)
{
	gss_OID type = GSS_KRB5_NT_PRINCIPAL_NAME;

	if (o->service != NULL)
		snprintf(g->target_text, sizeof(g->target_text), "%s", o->service);
	else if (o->realm != NULL)
		snprintf(g->target_text, sizeof(g->target_text), "DNS/%s@%s", g->server, o->realm);
	else {
		/* Host-based: krb5.conf's domain_realm (or referrals) picks the
		 * realm, the principal is DNS/<server>. */
		snprintf(g->target_text, sizeof(g->target_text), "DNS@%s", g->server);
		type = GSS_C_NT_HOSTBASED_SERVICE;
	}
	if (GSS_ERROR(import_name(&g->target, g->target_text, type)))
		return zk_error(ec, ZK_EINVAL, "bad service principal '%s'", g->target_text);
	if (type == GSS_C_NT_HOSTBASED_SERVICE)
		snprintf(g->target_text, sizeof(g->target_text), "DNS/%s", g->server);
	return 0;
}

int zk_gss_new(zk_gss_ctx_t **out, const zk_gss_opts_t *o, zk_errctx_t *ec)
{
	zk_gss_ctx_t *g;
	char keytext[ZK_NAME_TEXTMAX + 32];
	const char *alg;
	size_t n;
	uint32_t r;
	int rc;

	if (o->server == NULL || o->server[0] == '\0')
		return zk_error(ec, ZK_EINVAL, "GSS-TSIG needs the DNS server's name");
	n = strlen(o->server);
	if (o->server[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(g->server))
		return zk_error(ec, ZK_EINVAL, "bad server name '%s'", o->server);
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	g->cred = GSS_C_NO_CREDENTIAL;
	g->target = GSS_C_NO_NAME;
	g->ctx = GSS_C_NO_CONTEXT;
	g->pending = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
	zk_buf_init(&g->run);
	memcpy(g->server, o->server, n);
	g->server[n] = '\0';
	g->windows = o->windows;
	g->lifetime = o->lifetime;
	g->fudge = o->fudge ? o->fudge : ZK_TSIG_FUDGE;

	/* "<random>.sig-<server>", the name nsupdate gives its keys. */
	if (zk_random_bytes(&r, sizeof(r)) < 0) {
		rc = zk_error(ec, ZK_ECRYPTO, "no random numbers");
		goto fail;
	}
	snprintf(keytext, sizeof(keytext), "%u.sig-%s.", (unsigned)r, g->server);
	if ((rc = zk_name_from_text(&g->key, keytext, strlen(keytext), NULL, ec)) < 0)
		goto fail;
	zk_name_downcase(&g->key);
	alg = g->windows ? ZK_GSS_ALG_MS : ZK_GSS_ALG_TSIG;
	if ((rc = zk_name_from_text(&g->alg, alg, strlen(alg), NULL, ec)) < 0)
		goto fail;
	if ((rc = set_target(g, o, ec)) < 0 || (rc = acquire(g, o, ec)) < 0)
		goto fail;
	*out = g;
	return 0;
fail:
	zk_gss_free(g);
	return rc;
}

static void delete_local(zk_gss_ctx_t *g)
{
	OM_uint32 minor;
	if (g->ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&minor, &g->ctx, GSS_C_NO_BUFFER);
	g->ctx = GSS_C_NO_CONTEXT;
	zk_crypto_cleanse(g->mac, sizeof(g->mac));
	g->have_mac = false;
	g->state = ST_DELETED;
}

void zk_gss_free(zk_gss_ctx_t *g)
{
	OM_uint32 minor;
	if (g == NULL)
		return;
	delete_local(g);
	if (g->pending.length > 0)
		gss_release_buffer(&minor, &g->pending);
	if (g->target != GSS_C_NO_NAME)
		gss_release_name(&minor, &g->target);
	if (g->cred != GSS_C_NO_CREDENTIAL)
		gss_release_cred(&minor, &g->cred);
	zk_buf_free(&g->run);
	free(g);
}

const zk_name_t *zk_gss_key_name(const zk_gss_ctx_t *g)
{
	return &g->key;
}

const zk_name_t *zk_gss_alg(const zk_gss_ctx_t *g)
{
	return &g->alg;
}

bool zk_gss_established(const zk_gss_ctx_t *g)
{
	return g->state == ST_DONE;
}

uint64_t zk_gss_expires(const zk_gss_ctx_t *g)
{
	return g->state == ST_DONE ? g->expires : 0;
}

size_t zk_gss_client_name(const zk_gss_ctx_t *g, char *buf, size_t cap)
{
	size_t n = strlen(g->client);
	if (cap > 0)
		snprintf(buf, cap, "%s", g->client);
	return n;
}

/* ------------------------------------------------------------------ */
/* GSS-API steps. */

/* One gss_init_sec_context call; the output token becomes pending.
 * Returns 0 when our side is complete, 1 when it continues. */
static int step(zk_gss_ctx_t *g, const uint8_t *in, size_t inlen, zk_errctx_t *ec)
{
	OM_uint32 major, minor, flags = 0;
	gss_buffer_desc inb = {inlen, (void *)(uintptr_t)in};
	const OM_uint32 want = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_INTEG_FLAG;

	if (g->pending.length > 0)
		gss_release_buffer(&minor, &g->pending);
	g->pending = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
	major = gss_init_sec_context(&minor, g->cred, &g->ctx, g->target, &spnego_oid, want, 0,
	                             GSS_C_NO_CHANNEL_BINDINGS, in ? &inb : GSS_C_NO_BUFFER, NULL,
	                             &g->pending, &flags, NULL);
	if (GSS_ERROR(major)) {
		char what[ZK_NAME_TEXTMAX + 96];
		snprintf(what, sizeof(what), "GSS-API negotiation with %s failed", g->target_text);
		if (g->pending.length > 0)
			gss_release_buffer(&minor, &g->pending);
		return gss_fail(ec, ZK_EKEY, what, major, minor);
	}
	if (major & GSS_S_CONTINUE_NEEDED)
		return 1;
	if (!(flags & GSS_C_INTEG_FLAG))
		return zk_error(ec, ZK_EKEY, "the GSS-API context cannot sign messages");
	g->client_complete = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* TKEY messages. */

struct tkey_rd {
	zk_name_t alg;
	uint32_t inception, expiration;
	uint16_t mode, error, keylen, otherlen;
	const uint8_t *key, *other;
};

static int parse_tkey(const zk_rr_t *rr, struct tkey_rd *t)
{
	size_t pos = 0;
	zk_wire_t w;

	if (zk_name_from_wire_plain(&t->alg, rr->rdata, rr->rdlen, &pos, NULL) < 0)
		return ZK_EMSG;
	zk_wire_init(&w, rr->rdata + pos, rr->rdlen - pos);
	t->inception = zk_wire_u32(&w);
	t->expiration = zk_wire_u32(&w);
	t->mode = zk_wire_u16(&w);
	t->error = zk_wire_u16(&w);
	t->keylen = zk_wire_u16(&w);
	t->key = zk_wire_take(&w, t->keylen);
	t->otherlen = zk_wire_u16(&w);
	t->other = zk_wire_take(&w, t->otherlen);
	if (w.err || zk_wire_left(&w) != 0)
		return ZK_EMSG;
	return 0;
}

/* QUERY <key> ANY TKEY with one TKEY record: in the additional section
 * (RFC 2930 §4), or the answer section for Windows 2000 (-o), which
 * BIND's nsupdate -o does too. */
static int render_tkey(const zk_gss_ctx_t *g, zk_wbuf_t *w, uint16_t id, uint16_t mode,
                       uint32_t inception, uint32_t expiration, const void *key, size_t keylen,
                       zk_errctx_t *ec)
{
	size_t rdlen_at;

	if (keylen > 0xffff)
		return zk_error(ec, ZK_ERANGE, "GSS-API token of %zu octets", keylen);
	w->len = 0;
	w->err = 0;
	zk_wbuf_u16(w, id);
	zk_wbuf_u16(w, 0); /* QUERY, no flags */
	zk_wbuf_u16(w, 1);
	zk_wbuf_u16(w, g->windows ? 1 : 0);
	zk_wbuf_u16(w, 0);
	zk_wbuf_u16(w, g->windows ? 0 : 1);
	zk_name_to_wire(&g->key, w);
	zk_wbuf_u16(w, ZK_TYPE_TKEY);
	zk_wbuf_u16(w, ZK_CLASS_ANY);
	zk_name_to_wire(&g->key, w);
	zk_wbuf_u16(w, ZK_TYPE_TKEY);
	zk_wbuf_u16(w, ZK_CLASS_ANY);
	zk_wbuf_u32(w, 0);
	rdlen_at = w->len;
	zk_wbuf_u16(w, 0);
	zk_name_to_wire(&g->alg, w);
	zk_wbuf_u32(w, inception);
	zk_wbuf_u32(w, expiration);
	zk_wbuf_u16(w, mode);
	zk_wbuf_u16(w, 0); /* error */
	zk_wbuf_u16(w, (uint16_t)keylen);
	zk_wbuf_bytes(w, key, keylen);
	zk_wbuf_u16(w, 0); /* other */
	if (w->err)
		return zk_error(ec, w->err, "no room for the TKEY query");
	zk_put_u16(w->buf + rdlen_at, (uint16_t)(w->len - rdlen_at - 2));
	return 0;
}

int zk_gss_tkey_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec)
{
	int rc;

	if (g->state == ST_START) {
		if ((rc = step(g, NULL, 0, ec)) < 0)
			return rc;
	} else if (g->state != ST_SEND) {
		return zk_error(ec, ZK_EINVAL, "no TKEY query to send now (%s)",
		                g->state == ST_DONE ? "context established"
		                                    : "waiting for a reply");
	}
	if (g->pending.length == 0)
		return zk_error(ec, ZK_EKEY, "GSS-API produced no token to send");
	/* RFC 3645 §4.1.1: inception and expiration are what we ask for;
	 * the server decides (BIND answers with its own). */
	rc = render_tkey(g, w, id, ZK_TKEY_MODE_GSSAPI, (uint32_t)now,
	                 (uint32_t)(now + g->lifetime), g->pending.value, g->pending.length, ec);
	if (rc < 0)
		return rc;
	g->qid = id;
	g->qmode = ZK_TKEY_MODE_GSSAPI;
	g->state = ST_WAIT;
	return 0;
}

static const char *rcode_hint(uint16_t rcode)
{
	switch (rcode) {
	case ZK_RCODE_REFUSED:
		return ": GSS-TSIG is not enabled there (BIND: tkey-gssapi-keytab or "
		       "tkey-gssapi-credential)";
	case ZK_RCODE_NOTIMP: return ": the server does not implement TKEY";
	case ZK_RCODE_SERVFAIL:
		return ": it could not accept our GSS-API token; see its log (keytab without "
		       "the service principal, old key version)";
	case ZK_RCODE_FORMERR: return ": it could not parse the TKEY query";
	default: return "";
	}
}

static const char *tkey_error_hint(const zk_gss_ctx_t *g, uint16_t error)
{
	switch (error) {
	case ZK_RCODE_BADKEY:
	case ZK_RCODE_BADSIG:
		return "the server could not accept our GSS-API token: clock skew over 5 minutes "
		       "between this host and the server, a server keytab without the service "
		       "principal or with an old key version; see the server's log";
	case ZK_RCODE_BADTIME: return "clock skew between this host and the server";
	case ZK_RCODE_BADMODE: return "the server does not support GSS-API TKEY";
	case ZK_RCODE_BADNAME: return "the server refused the key name";
	case ZK_RCODE_BADALG:
		return g->windows
		           ? "the server does not know gss.microsoft.com (try without -o)"
		           : "the server does not know gss-tsig (a Windows 2000 server: try -o)";
	default: return "the server refused the TKEY negotiation";
	}
}

/* Check a parsed reply to our TKEY query and find its TKEY record
 * (answer section; the additional one is tolerated). */
static int tkey_check(const zk_gss_ctx_t *g, const zk_msg_t *m, struct tkey_rd *t, zk_errctx_t *ec)
{
	const zk_rr_t *rr = NULL;
	char rc_text[32];

	if (!(m->flags & ZK_FLAG_QR) || m->id != g->qid || m->opcode != ZK_OPCODE_QUERY)
		return zk_error(ec, ZK_EMISMATCH, "not a reply to our TKEY query");
	if (m->rcode != ZK_RCODE_NOERROR) {
		zk_rcode_to_text(m->rcode, false, rc_text, sizeof(rc_text));
		/* A signed error reply still carries the TSIG error. */
		return zk_error(ec, ZK_EKEY, "the server answered the TKEY %s with %s%s",
		                g->qmode == ZK_TKEY_MODE_DELETE ? "deletion" : "query", rc_text,
		                g->qmode == ZK_TKEY_MODE_DELETE ? "" : rcode_hint(m->rcode));
	}
	for (int s = ZK_SEC_ANSWER; s <= ZK_SEC_ADDITIONAL && rr == NULL; s += 2)
		for (size_t i = 0; i < m->count[s] && rr == NULL; i++)
			if (m->rr[s][i].type == ZK_TYPE_TKEY &&
			    zk_name_eq(m->rr[s][i].owner, &g->key))
				rr = &m->rr[s][i];
	if (rr == NULL)
		return zk_error(ec, ZK_EMSG, "the TKEY reply has no TKEY record for our key");
	if (parse_tkey(rr, t) < 0)
		return zk_error(ec, ZK_EMSG, "malformed TKEY record in the reply");
	if (t->error != 0) {
		zk_rcode_to_text(t->error, true, rc_text, sizeof(rc_text));
		return zk_error(ec, ZK_EKEY, "TKEY error %s: %s", rc_text,
		                tkey_error_hint(g, t->error));
	}
	if (t->mode != g->qmode)
		return zk_error(ec, ZK_EMSG, "the TKEY reply has mode %u, not %u", t->mode,
		                g->qmode);
	if (!zk_name_eq(&t->alg, &g->alg))
		return zk_error(ec, ZK_EMSG, "the TKEY reply names another algorithm");
	return 0;
}

static int verify_signed(zk_gss_ctx_t *g, const uint8_t *raw, size_t len, const zk_msg_t *m,
                         uint64_t now, bool stream, zk_tsig_status_t *status, zk_errctx_t *ec);

static void established(zk_gss_ctx_t *g, const struct tkey_rd *t, uint64_t now)
{
	OM_uint32 minor, life = 0;
	uint64_t end = 0;

	g->state = ST_DONE;
	if (!GSS_ERROR(
	        gss_inquire_context(&minor, g->ctx, NULL, NULL, &life, NULL, NULL, NULL, NULL)) &&
	    life != GSS_C_INDEFINITE)
		end = now + life;
	/* The server's expiration counts when it is in the future (BIND
	 * sends the ticket's end; some servers echo ours or send 0). */
	if (t->expiration > now && (end == 0 || t->expiration < end))
		end = t->expiration;
	g->expires = end;
}

int zk_gss_tkey_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                      zk_errctx_t *ec)
{
	zk_arena_t *a;
	zk_msg_t m;
	struct tkey_rd t;
	zk_tsig_status_t st;
	int rc;

	if (g->state != ST_WAIT || g->qmode != ZK_TKEY_MODE_GSSAPI)
		return zk_error(ec, ZK_EINVAL, "no TKEY query is waiting for a reply");
	a = zk_arena_new(0);
	if (a == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if ((rc = zk_msg_parse(&m, reply, len, a, ec)) < 0 || (rc = tkey_check(g, &m, &t, ec)) < 0)
		goto done;
	if (!g->client_complete) {
		if (t.keylen == 0) {
			rc = zk_error(ec, ZK_EKEY,
			              "the server's TKEY reply carries no GSS-API token");
			goto done;
		}
		if ((rc = step(g, t.key, t.keylen, ec)) < 0)
			goto done;
	}
	if (!g->client_complete || g->pending.length > 0) {
		/* GSS-API continues, or has a last token for the server. */
		g->state = ST_SEND;
		rc = 1;
		goto done;
	}
	/* Established on our side. RFC 3645 §4.1.3: the server signs the
	 * reply that completes its side with the new context. Windows 2000
	 * servers (-o) are known to leave it unsigned. */
	g->state = ST_DONE;
	g->have_mac = false;
	g->replies = g->unsigned_run = 0;
	if (m.sig != NULL || !g->windows) {
		if (m.sig == NULL) {
			rc = zk_error(
			    ec, ZK_ETSIG,
			    "the server's final TKEY reply is not signed (RFC 3645 §4.1.3)");
			g->state = ST_WAIT;
			goto done;
		}
		if ((rc = verify_signed(g, reply, len, &m, now, false, &st, ec)) < 0) {
			char msg[sizeof(ec->msg)];
			if (ec != NULL) {
				snprintf(msg, sizeof(msg), "%s", ec->msg);
				zk_error(ec, rc, "the server's final TKEY reply: %s", msg);
			}
			g->state = ST_WAIT;
			goto done;
		}
	}
	established(g, &t, now);
	rc = 0;
done:
	zk_arena_free(a);
	return rc;
}

int zk_gss_negotiate(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                     zk_errctx_t *ec)
{
	uint8_t *q = malloc(65535), *r = malloc(65535);
	zk_net_stats_t st;
	zk_wbuf_t w;
	size_t rlen = 0;
	uint16_t id;
	int rc = ZK_ENOMEM;

	if (q == NULL || r == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	for (unsigned round = 0; round < ZK_GSS_MAX_ROUNDS; round++) {
		memset(&st, 0, sizeof(st));
		zk_wbuf_init(&w, q, 65535);
		if ((rc = zk_net_random_id(&id)) < 0) {
			rc = zk_error(ec, rc, "no random numbers");
			goto done;
		}
		if ((rc = zk_gss_tkey_query(g, id, now, &w, ec)) < 0)
			goto done;
		if ((rc = zk_net_stream_exchange(c, o, w.buf, w.len, r, 65535, &rlen, &st, ec)) < 0)
			goto done;
		if ((rc = zk_gss_tkey_reply(g, r, rlen, now, ec)) <= 0)
			goto done;
	}
	rc = zk_error(ec, ZK_ELIMIT, "no GSS-API context after %d TKEY round trips",
	              ZK_GSS_MAX_ROUNDS);
done:
	free(q);
	free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* TSIG with the context. */

static int need_context(const zk_gss_ctx_t *g, uint64_t now, zk_errctx_t *ec)
{
	if (g->state != ST_DONE)
		return zk_error(ec, ZK_EINVAL, "no established GSS-TSIG context");
	if (g->expires != 0 && now >= g->expires)
		return zk_error(ec, ZK_EKEY,
		                "the GSS-TSIG context expired %llu s ago: negotiate a new one",
		                (unsigned long long)(now - g->expires));
	return 0;
}

static int sign(zk_gss_ctx_t *g, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec)
{
	zk_tsig_vars_t v = {.key = &g->key, .alg = &g->alg, .time = now, .fudge = g->fudge};
	gss_buffer_desc in, mic = GSS_C_EMPTY_BUFFER;
	OM_uint32 major, minor;
	zk_buf_t input;
	size_t rdlen_at;
	int rc;

	if ((rc = need_context(g, now, ec)) < 0)
		return rc;
	if (w->err || w->len < ZK_MSG_HDRLEN)
		return zk_error(ec, ZK_EINVAL, "no message to sign");
	zk_buf_init(&input);
	if (zk_tsig_mac_input(&input, NULL, 0, w->buf, w->len, -1, &v) < 0) {
		zk_buf_free(&input);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	in.value = input.data;
	in.length = input.len;
	major = gss_get_mic(&minor, g->ctx, GSS_C_QOP_DEFAULT, &in, &mic);
	zk_buf_free(&input);
	if (GSS_ERROR(major))
		return gss_fail(ec, ZK_EKEY, "cannot sign with the GSS-TSIG context", major, minor);
	if (mic.length > MAC_MAX) {
		gss_release_buffer(&minor, &mic);
		return zk_error(ec, ZK_ERANGE, "GSS-API MIC of %zu octets", (size_t)mic.length);
	}

	uint16_t id = zk_get_u16(w->buf);
	uint16_t arcount = zk_get_u16(w->buf + 10);
	zk_name_to_wire(&g->key, w);
	zk_wbuf_u16(w, ZK_TYPE_TSIG);
	zk_wbuf_u16(w, ZK_CLASS_ANY);
	zk_wbuf_u32(w, 0);
	rdlen_at = w->len;
	zk_wbuf_u16(w, 0);
	zk_name_to_wire(&g->alg, w);
	zk_wbuf_u48(w, now);
	zk_wbuf_u16(w, g->fudge);
	zk_wbuf_u16(w, (uint16_t)mic.length);
	zk_wbuf_bytes(w, mic.value, mic.length);
	zk_wbuf_u16(w, id);
	zk_wbuf_u16(w, 0); /* error */
	zk_wbuf_u16(w, 0); /* other len */
	if (w->err) {
		gss_release_buffer(&minor, &mic);
		return zk_error(ec, w->err, "no room for the TSIG record");
	}
	zk_put_u16(w->buf + rdlen_at, (uint16_t)(w->len - rdlen_at - 2));
	zk_put_u16(w->buf + 10, (uint16_t)(arcount + 1));
	memcpy(g->mac, mic.value, mic.length);
	g->mac_len = mic.length;
	g->have_mac = true;
	g->replies = g->unsigned_run = 0;
	zk_buf_reset(&g->run);
	gss_release_buffer(&minor, &mic);
	return 0;
}

int zk_gss_sign(zk_gss_ctx_t *g, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec)
{
	return sign(g, w, now, ec);
}

static int vfail(zk_tsig_status_t *status, zk_tsig_status_t s, zk_errctx_t *ec, const char *detail)
{
	*status = s;
	return zk_error(ec, ZK_ETSIG, "%s%s", zk_tsig_status_text(s), detail);
}

static int verify_signed(zk_gss_ctx_t *g, const uint8_t *raw, size_t len, const zk_msg_t *m,
                         uint64_t now, bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	bool later = stream && g->replies > 0;
	zk_tsig_rdata_t t;
	zk_buf_t input;
	gss_buffer_desc in, tok;
	OM_uint32 major, minor;
	gss_qop_t qop;
	char rc_text[32];
	int rc;

	if (len < ZK_MSG_HDRLEN)
		return vfail(status, ZK_TSIG_FORMERR, ec, ": message too short");
	if (m->sig == NULL || m->sig->type != ZK_TYPE_TSIG) {
		/* RFC 8945 §5.3.1: up to 99 unsigned messages between signed
		 * ones; they are covered by the next MAC. */
		if (!later)
			return vfail(status, ZK_TSIG_UNSIGNED, ec, " (the request was signed)");
		if (g->unsigned_run >= 99)
			return vfail(status, ZK_TSIG_UNSIGNED, ec,
			             ": more than 99 unsigned messages in a row");
		zk_buf_put(&g->run, raw, len);
		if (g->run.err)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
		g->unsigned_run++;
		*status = ZK_TSIG_UNSIGNED_OK;
		return 0;
	}
	if (m->sig_offset < ZK_MSG_HDRLEN || m->sig_offset > len ||
	    zk_tsig_rdata_parse(m->sig->rdata, m->sig->rdlen, &t) < 0)
		return vfail(status, ZK_TSIG_FORMERR, ec, "");

	/* 1. Key: our key name and algorithm. */
	if (!zk_name_eq(m->sig->owner, &g->key) || !zk_name_eq(&t.alg, &g->alg))
		return vfail(status, ZK_TSIG_BADKEY, ec,
		             ": the reply is signed with another key or algorithm");

	/* The server could not verify us: the error comes unsigned. BADKEY
	 * means it no longer has the context (§5.3.2 of RFC 8945). */
	if (t.error != 0 && t.mac_len == 0) {
		*status = ZK_TSIG_SERVER_ERROR;
		if (t.error == ZK_RCODE_BADKEY)
			return zk_error(ec, ZK_ETSIG,
			                "the server no longer knows the GSS-TSIG context (BADKEY): "
			                "it expired or was deleted; negotiate a new one");
		zk_rcode_to_text(t.error, true, rc_text, sizeof(rc_text));
		return zk_error(ec, ZK_ETSIG, "server rejected our GSS-TSIG signature: %s",
		                rc_text);
	}

	/* 2. MAC: prior MAC (request or previous message), the unsigned
	 * run, this message as it was, the variables. */
	zk_tsig_vars_t v = {.key = &g->key,
	                    .alg = &t.alg,
	                    .time = t.time,
	                    .fudge = t.fudge,
	                    .error = t.error,
	                    .other_len = t.other_len,
	                    .other = t.other,
	                    .timers_only = later};
	zk_buf_init(&input);
	if (g->have_mac) {
		uint8_t l[2];
		zk_put_u16(l, (uint16_t)g->mac_len);
		zk_buf_put(&input, l, 2);
		zk_buf_put(&input, g->mac, g->mac_len);
	}
	if (g->run.len > 0)
		zk_buf_put(&input, g->run.data, g->run.len);
	rc = zk_tsig_mac_input(&input, NULL, 0, raw, m->sig_offset, t.orig_id, &v);
	zk_buf_reset(&g->run);
	g->unsigned_run = 0;
	if (rc < 0 || input.err) {
		zk_buf_free(&input);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	in.value = input.data;
	in.length = input.len;
	tok.value = (void *)(uintptr_t)t.mac;
	tok.length = t.mac_len;
	major = gss_verify_mic(&minor, g->ctx, &in, &tok, &qop);
	zk_buf_free(&input);
	if (GSS_ROUTINE_ERROR(major) == GSS_S_CONTEXT_EXPIRED) {
		*status = ZK_TSIG_BADSIG;
		return zk_error(ec, ZK_ETSIG, "the GSS-TSIG context expired: negotiate a new one");
	}
	if (GSS_ERROR(major)) {
		*status = ZK_TSIG_BADSIG;
		if (GSS_ROUTINE_ERROR(major) == GSS_S_BAD_SIG ||
		    GSS_ROUTINE_ERROR(major) == GSS_S_DEFECTIVE_TOKEN)
			return zk_error(ec, ZK_ETSIG, "BADSIG: the MAC does not verify");
		return gss_fail(ec, ZK_ETSIG, "BADSIG", major, minor);
	}
	if (major & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN)) {
		*status = ZK_TSIG_BADSIG;
		return zk_error(ec, ZK_ETSIG, "BADSIG: a replayed signature");
	}

	/* 3. Time. */
	uint64_t skew = now > t.time ? now - t.time : t.time - now;
	if (skew > t.fudge) {
		*status = ZK_TSIG_BADTIME;
		return zk_error(
		    ec, ZK_ETSIG, "BADTIME: reply signed %llu s %s our clock (fudge %u)",
		    (unsigned long long)skew, now > t.time ? "behind" : "ahead of", t.fudge);
	}

	if (t.mac_len > MAC_MAX)
		return vfail(status, ZK_TSIG_FORMERR, ec, ": MAC too long");
	memcpy(g->mac, t.mac, t.mac_len);
	g->mac_len = t.mac_len;
	g->have_mac = true;
	g->replies++;
	if (t.error != 0) {
		zk_rcode_to_text(t.error, true, rc_text, sizeof(rc_text));
		*status = ZK_TSIG_SERVER_ERROR;
		return zk_error(ec, ZK_ETSIG, "server reported TSIG error %s", rc_text);
	}
	*status = ZK_TSIG_OK;
	return 0;
}

int zk_gss_verify(zk_gss_ctx_t *g, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
                  bool stream, zk_tsig_status_t *status, zk_errctx_t *ec)
{
	if (g->state != ST_DONE) {
		*status = ZK_TSIG_BADKEY;
		return zk_error(ec, ZK_EINVAL, "no established GSS-TSIG context");
	}
	if (!g->have_mac) {
		*status = ZK_TSIG_FORMERR;
		return zk_error(ec, ZK_EINVAL, "no signed request to verify a reply to");
	}
	return verify_signed(g, raw, len, m, now, stream, status, ec);
}

int zk_gss_stream_end(const zk_gss_ctx_t *g, zk_errctx_t *ec)
{
	if (g->unsigned_run > 0)
		return zk_error(ec, ZK_ETSIG, "the last %u message%s of the stream %s not signed",
		                g->unsigned_run, g->unsigned_run == 1 ? "" : "s",
		                g->unsigned_run == 1 ? "is" : "are");
	if (g->replies == 0)
		return zk_error(ec, ZK_ETSIG, "no signed message in the stream");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Deletion (RFC 2930 §4.1): a signed TKEY query with mode 5. */

int zk_gss_delete_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec)
{
	int rc;

	if ((rc = need_context(g, now, ec)) < 0)
		return rc;
	if ((rc = render_tkey(g, w, id, ZK_TKEY_MODE_DELETE, (uint32_t)now, (uint32_t)now, NULL, 0,
	                      ec)) < 0 ||
	    (rc = sign(g, w, now, ec)) < 0)
		return rc;
	g->qid = id;
	g->qmode = ZK_TKEY_MODE_DELETE;
	return 0;
}

int zk_gss_delete_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                        zk_errctx_t *ec)
{
	zk_arena_t *a;
	zk_msg_t m;
	struct tkey_rd t;
	zk_tsig_status_t st;
	int rc;

	if (g->state != ST_DONE || g->qmode != ZK_TKEY_MODE_DELETE || !g->have_mac)
		return zk_error(ec, ZK_EINVAL, "no TKEY deletion is waiting for a reply");
	a = zk_arena_new(0);
	if (a == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if ((rc = zk_msg_parse(&m, reply, len, a, ec)) < 0)
		goto done;
	if (m.sig == NULL && m.rcode != ZK_RCODE_NOERROR) {
		char rc_text[32];
		zk_rcode_to_text(m.rcode, false, rc_text, sizeof(rc_text));
		rc = zk_error(ec, ZK_EKEY,
		              "the server answered the TKEY deletion with %s (unsigned)", rc_text);
		goto done;
	}
	/* The reply is verified before anything it says is believed. */
	if ((rc = verify_signed(g, reply, len, &m, now, false, &st, ec)) < 0)
		goto done;
	rc = tkey_check(g, &m, &t, ec);
done:
	zk_arena_free(a);
	delete_local(g);
	return rc;
}

int zk_gss_delete(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                  zk_errctx_t *ec)
{
	uint8_t *q = malloc(65535), *r = malloc(65535);
	zk_net_stats_t st;
	zk_wbuf_t w;
	size_t rlen = 0;
	uint16_t id;
	int rc;

	memset(&st, 0, sizeof(st));
	if (q == NULL || r == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	zk_wbuf_init(&w, q, 65535);
	if ((rc = zk_net_random_id(&id)) < 0) {
		rc = zk_error(ec, rc, "no random numbers");
		goto done;
	}
	if ((rc = zk_gss_delete_query(g, id, now, &w, ec)) < 0 ||
	    (rc = zk_net_stream_exchange(c, o, w.buf, w.len, r, 65535, &rlen, &st, ec)) < 0)
		goto done;
	rc = zk_gss_delete_reply(g, r, rlen, now, ec);
done:
	delete_local(g);
	free(q);
	free(r);
	return rc;
}

#endif /* HAVE_GSSAPI */
