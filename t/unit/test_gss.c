/* gss: GSS-TSIG (RFC 3645) over TKEY (RFC 2930).
 *
 * One program, two kinds of tests:
 *
 * - Unit tests (cmocka, no Kerberos server): the MAC input that RFC 3645
 *   §5.2 hands to gss_get_mic is the RFC 8945 §4.3 TSIG MAC input, so an
 *   HMAC over what zk_tsig_mac_input builds must give the MACs of BIND's
 *   real TSIG exchanges (t/data/tsig: dig's signed queries, named's
 *   replies, a 13-message signed AXFR). Credential errors are explained
 *   without a KDC (t/data/gss/krb5-offline.conf points at a closed port;
 *   t/data/gss/client.keytab holds a test-only key).
 *
 * - `test_gss live SCENARIO [ARG...]`: the module against a real MIT KDC
 *   and BIND named on loopback, started by t/system/gss-nsupdate.bats
 *   (environment: ZK_GSS_PORT, ZK_GSS_SERVER, ZK_GSS_ZONE, and optionally
 *   ZK_GSS_KEYTAB + ZK_GSS_PRINCIPAL, ZK_GSS_REALM, ZK_GSS_WINDOWS=1).
 *   Each scenario prints what it saw, one line per step, and exits 0 when
 *   every step did what it should; the bats file asserts on those lines. */
#include "config.h"

#include <time.h>

#include "testutil.h"

#include "alloc.h"
#include "crypto.h"
#include "gss.h"
#include "msg.h"
#include "net.h"
#include "rrtype.h"
#include "tsig.h"

/* ------------------------------------------------------------------ */
/* Captured BIND exchanges (t/data/tsig, made by t/data/tsig/capture.py). */

#define SHA256_KEY    "tsig-sha256.test."
#define SHA256_SECRET "cGFzc3dvcmQtZm9yLXpraXQtdHNpZy10ZXN0cy0xMjM="

/* A captured message that carries a TSIG. */
static void load(struct capture *c, const char *name)
{
	capture_load(c, name);
	assert_non_null(c->m.sig);
}

struct tsig_fields {
	zk_name_t alg;
	uint64_t time;
	uint16_t fudge, macsize, orig_id, error, otherlen;
	const uint8_t *mac, *other;
};

static void tsig_fields(const struct capture *c, struct tsig_fields *t)
{
	const zk_rr_t *rr = c->m.sig;
	size_t pos = 0;
	zk_wire_t w;

	assert_int_equal(zk_name_from_wire_plain(&t->alg, rr->rdata, rr->rdlen, &pos, NULL), 0);
	zk_wire_init(&w, rr->rdata + pos, rr->rdlen - pos);
	t->time = zk_wire_u48(&w);
	t->fudge = zk_wire_u16(&w);
	t->macsize = zk_wire_u16(&w);
	t->mac = zk_wire_take(&w, t->macsize);
	t->orig_id = zk_wire_u16(&w);
	t->error = zk_wire_u16(&w);
	t->otherlen = zk_wire_u16(&w);
	t->other = zk_wire_take(&w, t->otherlen);
	assert_int_equal(w.err, 0);
	assert_int_equal(zk_wire_left(&w), 0);
}

/* HMAC-SHA256 with the capture key over what zk_tsig_mac_input builds for
 * message c (prior MAC given or not) must equal the MAC in its TSIG. */
static void check_mac(const struct capture *c, const uint8_t *prior, size_t prior_len,
                      bool timers_only, uint8_t *mac_out, size_t *mac_len)
{
	zk_tsig_key_t k;
	struct tsig_fields t;
	zk_buf_t in;
	uint8_t mac[ZK_MD_MAXSIZE];

	assert_int_equal(zk_tsig_key_init(&k, SHA256_KEY, "hmac-sha256", SHA256_SECRET, NULL), 0);
	tsig_fields(c, &t);
	zk_tsig_vars_t v = {.key = c->m.sig->owner,
	                    .alg = &t.alg,
	                    .time = t.time,
	                    .fudge = t.fudge,
	                    .error = t.error,
	                    .other_len = t.otherlen,
	                    .other = t.other,
	                    .timers_only = timers_only};
	zk_buf_init(&in);
	assert_int_equal(
	    zk_tsig_mac_input(&in, prior, prior_len, c->buf, c->m.sig_offset, t.orig_id, &v), 0);
	assert_int_equal(zk_hmac(ZK_MD_SHA256, k.secret, k.secret_len, in.data, in.len, mac), 0);
	assert_int_equal(t.macsize, 32);
	assert_memory_equal(mac, t.mac, 32);
	memcpy(mac_out, t.mac, t.macsize);
	*mac_len = t.macsize;
	zk_buf_free(&in);
}

/* dig's signed query: no prior MAC, full variables. */
static void test_mac_input_request(void **state)
{
	struct capture *q = calloc(1, sizeof(*q));
	uint8_t mac[64];
	size_t n;

	(void)state;
	load(q, "hmac-sha256.query");
	check_mac(q, NULL, 0, false, mac, &n);
	capture_done(q);
	free(q);
}

/* named's reply: the request MAC first (RFC 8945 §4.3.1). */
static void test_mac_input_reply(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	uint8_t qmac[64], rmac[64];
	size_t qn, rn;

	(void)state;
	load(q, "hmac-sha256.query");
	load(r, "hmac-sha256.reply");
	check_mac(q, NULL, 0, false, qmac, &qn);
	check_mac(r, qmac, qn, false, rmac, &rn);
	capture_done(q);
	capture_done(r);
	free(q);
	free(r);
}

/* A signed AXFR: the first message as a reply, the later ones with the
 * previous MAC and only the timers (RFC 8945 §5.3.1). */
static void test_mac_input_stream(void **state)
{
	struct capture *q = calloc(1, sizeof(*q)), *r = calloc(1, sizeof(*r));
	uint8_t prior[64];
	size_t n;
	char name[32];

	(void)state;
	load(q, "axfr.query");
	check_mac(q, NULL, 0, false, prior, &n);
	for (int i = 0; i < 13; i++) {
		snprintf(name, sizeof(name), "axfr.reply.%d", i);
		load(r, name);
		check_mac(r, prior, n, i > 0, prior, &n);
		capture_done(r);
	}
	capture_done(q);
	free(q);
	free(r);
}

/* orig_id < 0 is the message as we are about to sign it: the same octets
 * as a received one whose header is restored (ID, ARCOUNT - 1). */
static void test_mac_input_own_message(void **state)
{
	struct capture *q = calloc(1, sizeof(*q));
	struct tsig_fields t;
	zk_buf_t a, b;
	uint8_t copy[512];

	(void)state;
	load(q, "hmac-sha256.query");
	tsig_fields(q, &t);
	zk_tsig_vars_t v = {
	    .key = q->m.sig->owner, .alg = &t.alg, .time = t.time, .fudge = t.fudge};
	assert_true(q->m.sig_offset <= sizeof(copy));
	memcpy(copy, q->buf, q->m.sig_offset);
	zk_put_u16(copy, t.orig_id);
	zk_put_u16(copy + 10, (uint16_t)(zk_get_u16(copy + 10) - 1));
	zk_buf_init(&a);
	zk_buf_init(&b);
	assert_int_equal(zk_tsig_mac_input(&a, NULL, 0, q->buf, q->m.sig_offset, t.orig_id, &v), 0);
	assert_int_equal(zk_tsig_mac_input(&b, NULL, 0, copy, q->m.sig_offset, -1, &v), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* message + key name + class + TTL + algorithm + time, fudge, error,
	 * other len (RFC 8945 §4.3.3) */
	assert_int_equal(a.len, q->m.sig_offset + q->m.sig->owner->len + 2 + 4 + t.alg.len + 6 + 2 +
	                            2 + 2);
	/* Key name and algorithm go in lower case. */
	zk_name_t upper;
	assert_int_equal(zk_name_from_text(&upper, "TSIG-SHA256.Test.", 17, NULL, NULL), 0);
	v.key = &upper;
	zk_buf_reset(&b);
	assert_int_equal(zk_tsig_mac_input(&b, NULL, 0, copy, q->m.sig_offset, -1, &v), 0);
	assert_memory_equal(a.data, b.data, a.len);
	/* Too short for a header. */
	assert_int_equal(zk_tsig_mac_input(&b, NULL, 0, copy, 11, -1, &v), ZK_EINVAL);
	zk_buf_free(&a);
	zk_buf_free(&b);
	capture_done(q);
	free(q);
}

/* ------------------------------------------------------------------ */
/* The module without a KDC. */

#ifndef HAVE_GSSAPI

static void test_built_out(void **state)
{
	zk_gss_opts_t o = {.server = "ns.test.zkit"};
	zk_gss_ctx_t *g = NULL;
	zk_errctx_t ec;

	(void)state;
	assert_false(zk_gss_available());
	zk_errctx_init(&ec);
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EUNSUPP);
	assert_string_equal(ec.msg, ZK_GSS_BUILT_OUT);
	assert_null(g);
}

#else

static void offline_env(const char *ccache)
{
	char path[4096];
	data_path(path, sizeof(path), "gss/krb5-offline.conf");
	setenv("KRB5_CONFIG", path, 1);
	setenv("KRB5CCNAME", ccache, 1);
	unsetenv("KRB5_CLIENT_KTNAME");
	unsetenv("KRB5_TRACE");
}

static void keytab_path(char *buf, size_t cap)
{
	data_path(buf, cap, "gss/client.keytab");
}

static void test_available(void **state)
{
	(void)state;
	assert_true(zk_gss_available());
}

/* Arguments checked before any Kerberos call. */
static void test_new_arguments(void **state)
{
	zk_gss_opts_t o = {0};
	zk_gss_ctx_t *g = NULL;
	zk_errctx_t ec;
	char kt[512];

	(void)state;
	offline_env("FILE:/nonexistent/zkit-ccache");
	zk_errctx_init(&ec);
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg, "GSS-TSIG needs the DNS server's name");
	o.server = ".";
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EINVAL);
	keytab_path(kt, sizeof(kt));
	o.server = "ns.test.zkit";
	o.keytab = kt;
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg, "a client keytab needs the client principal too");
	assert_null(g);
}

/* No credential cache: "run kinit" (the usual first mistake). */
static void test_no_credentials(void **state)
{
	zk_gss_opts_t o = {.server = "ns.test.zkit"};
	zk_gss_ctx_t *g = NULL;
	zk_errctx_t ec;

	(void)state;
	offline_env("FILE:/nonexistent/zkit-ccache");
	zk_errctx_init(&ec);
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EKEY);
	assert_null(g);
	assert_non_null(strstr(ec.msg, "cannot get Kerberos credentials: no Kerberos credentials: "
	                               "run kinit first, or give a client keytab and principal"));
	/* The library's own words follow, with the cache it looked at. */
	assert_non_null(strstr(ec.msg, "/nonexistent/zkit-ccache"));

	/* An explicit cache name is used instead of KRB5CCNAME. */
	o.ccache = "FILE:/nonexistent/other-ccache";
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EKEY);
	assert_non_null(strstr(ec.msg, "run kinit first"));
}

/* A keytab without the principal asked for. */
static void test_keytab_wrong_principal(void **state)
{
	zk_gss_opts_t o = {.server = "ns.test.zkit", .principal = "host/other.test.zkit@TEST.ZKIT"};
	zk_gss_ctx_t *g = NULL;
	zk_errctx_t ec;
	char kt[512];

	(void)state;
	offline_env("FILE:/nonexistent/zkit-ccache");
	keytab_path(kt, sizeof(kt));
	o.keytab = kt;
	zk_errctx_init(&ec);
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EKEY);
	assert_null(g);
	assert_non_null(strstr(ec.msg, "cannot get Kerberos credentials: "));
}

/* With a keytab, tickets are got at once: no KDC is explained. */
static void test_keytab_no_kdc(void **state)
{
	zk_gss_opts_t o = {.server = "ns.test.zkit",
	                   .principal = "host/client1.test.zkit@TEST.ZKIT"};
	zk_gss_ctx_t *g = NULL;
	zk_errctx_t ec;
	char kt[512];

	(void)state;
	offline_env("FILE:/nonexistent/zkit-ccache");
	keytab_path(kt, sizeof(kt));
	o.keytab = kt;
	zk_errctx_init(&ec);
	assert_int_equal(zk_gss_new(&g, &o, &ec), ZK_EKEY);
	assert_null(g);
	assert_string_equal(ec.msg, "cannot get Kerberos credentials: no KDC reachable for the "
	                            "realm (check krb5.conf) (Cannot contact any KDC for realm "
	                            "'TEST.ZKIT')");
}

#endif /* HAVE_GSSAPI */

/* ------------------------------------------------------------------ */
/* Live scenarios against a real KDC and named. */

struct live {
	zk_net_addr_t addr;
	zk_net_opts_t no;
	zk_net_conn_t *conn;
	zk_gss_opts_t o;
	zk_gss_ctx_t *g;
	const char *zone;
	uint8_t q[65535], r[65535];
	size_t qlen, rlen;
};

static int live_error(const char *what, const zk_errctx_t *ec)
{
	char b[600];
	zk_errctx_format(ec, b, sizeof(b));
	printf("error: %s: %s\n", what, b);
	return 1;
}

static uint64_t now_s(void)
{
	return (uint64_t)time(NULL);
}

static int live_setup(struct live *L, bool negotiate, zk_errctx_t *ec)
{
	const char *port = getenv("ZK_GSS_PORT");
	char text[ZK_NAME_TEXTMAX], who[512];

	if (port == NULL)
		return zk_error(ec, ZK_EINVAL, "ZK_GSS_PORT not set");
	L->o.server = getenv("ZK_GSS_SERVER") ? getenv("ZK_GSS_SERVER") : "ns.test.zkit";
	L->zone = getenv("ZK_GSS_ZONE") ? getenv("ZK_GSS_ZONE") : "test.zkit.";
	L->o.keytab = getenv("ZK_GSS_KEYTAB");
	L->o.principal = getenv("ZK_GSS_PRINCIPAL");
	L->o.realm = getenv("ZK_GSS_REALM");
	L->o.windows = getenv("ZK_GSS_WINDOWS") != NULL;
	L->no.timeout_ms = 5000;
	int rc = zk_net_addr_parse(&L->addr, "127.0.0.1", (uint16_t)atoi(port), ec);
	if (rc < 0 || (rc = zk_gss_new(&L->g, &L->o, ec)) < 0)
		return rc;
	if ((rc = zk_net_connect(&L->conn, &L->addr, &L->no, NULL, ec)) < 0)
		return rc;
	if (!negotiate)
		return 0;
	if ((rc = zk_gss_negotiate(L->g, L->conn, &L->no, now_s(), ec)) < 0)
		return rc;
	zk_name_to_cstr(zk_gss_key_name(L->g), text, sizeof(text));
	printf("established %s", text);
	zk_name_to_cstr(zk_gss_alg(L->g), text, sizeof(text));
	zk_gss_client_name(L->g, who, sizeof(who));
	printf(" %s client %s", text, who);
	uint64_t exp = zk_gss_expires(L->g), now = now_s();
	printf(" expires-in %s\n", exp > now + 60 && exp <= now + 86400 ? "ok" : "WRONG");
	return 0;
}

static void live_close(struct live *L)
{
	zk_gss_free(L->g);
	if (L->conn != NULL)
		zk_net_close(L->conn);
}

/* UPDATE for the zone: add NAME TXT "TEXT" (RFC 2136 §2.5.1). */
static int render_update(struct live *L, const char *name, const char *text, zk_errctx_t *ec)
{
	zk_name_t zone, owner;
	zk_wbuf_t w;
	uint16_t id;
	int rc;

	if ((rc = zk_name_from_text(&zone, L->zone, strlen(L->zone), NULL, ec)) < 0 ||
	    (rc = zk_name_from_text(&owner, name, strlen(name), &zone, ec)) < 0 ||
	    (rc = zk_net_random_id(&id)) < 0)
		return rc;
	zk_wbuf_init(&w, L->q, sizeof(L->q));
	zk_wbuf_u16(&w, id);
	zk_wbuf_u16(&w, ZK_OPCODE_UPDATE << 11);
	zk_wbuf_u16(&w, 1);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 1);
	zk_wbuf_u16(&w, 0);
	zk_name_to_wire(&zone, &w);
	zk_wbuf_u16(&w, ZK_TYPE_SOA);
	zk_wbuf_u16(&w, ZK_CLASS_IN);
	zk_name_to_wire(&owner, &w);
	zk_wbuf_u16(&w, ZK_TYPE_TXT);
	zk_wbuf_u16(&w, ZK_CLASS_IN);
	zk_wbuf_u32(&w, 60);
	zk_wbuf_u16(&w, (uint16_t)(strlen(text) + 1));
	zk_wbuf_u8(&w, (uint8_t)strlen(text));
	zk_wbuf_bytes(&w, text, strlen(text));
	L->qlen = w.len;
	return w.err;
}

static int render_query(struct live *L, const char *name, uint16_t type, zk_errctx_t *ec)
{
	zk_name_t qname;
	zk_wbuf_t w;
	uint16_t id;
	int rc;

	if ((rc = zk_name_from_text(&qname, name, strlen(name), NULL, ec)) < 0 ||
	    (rc = zk_net_random_id(&id)) < 0)
		return rc;
	zk_wbuf_init(&w, L->q, sizeof(L->q));
	zk_wbuf_u16(&w, id);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 1);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 0);
	zk_wbuf_u16(&w, 0);
	zk_name_to_wire(&qname, &w);
	zk_wbuf_u16(&w, type);
	zk_wbuf_u16(&w, ZK_CLASS_IN);
	L->qlen = w.len;
	return w.err;
}

/* Sign the query in L->q, send it, read the reply into L->r. */
static int signed_exchange(struct live *L, zk_errctx_t *ec)
{
	zk_wbuf_t w = {L->q, sizeof(L->q), L->qlen, 0};
	zk_net_stats_t st = {0};
	int rc;

	if ((rc = zk_gss_sign(L->g, &w, now_s(), ec)) < 0)
		return rc;
	L->qlen = w.len;
	return zk_net_stream_exchange(L->conn, &L->no, L->q, L->qlen, L->r, sizeof(L->r), &L->rlen,
	                              &st, ec);
}

/* Verify reply bytes; prints "<label>: ok" or "<label>: <error>". */
static int verify_bytes(struct live *L, const uint8_t *raw, size_t len, const char *label,
                        zk_msg_t *m, zk_arena_t *a)
{
	zk_errctx_t ec;
	zk_tsig_status_t st;
	int rc;

	zk_errctx_init(&ec);
	zk_arena_reset(a);
	if ((rc = zk_msg_parse(m, raw, len, a, &ec)) == 0)
		rc = zk_gss_verify(L->g, raw, len, m, now_s(), false, &st, &ec);
	if (rc == 0)
		printf("%s: verified\n", label);
	else
		printf("%s: %s\n", label, ec.msg);
	return rc;
}

static int live_delete(struct live *L)
{
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	if (zk_gss_delete(L->g, L->conn, &L->no, now_s(), &ec) < 0)
		return live_error("delete", &ec);
	printf("deleted: %s\n", zk_gss_established(L->g) ? "NO" : "yes");
	return 0;
}

static const char *rcode_text(uint16_t rcode)
{
	static char b[32];
	zk_rcode_to_text(rcode, false, b, sizeof(b));
	return b;
}

struct axfr {
	struct live *L;
	zk_arena_t *a;
	unsigned messages, nsigned, records, soas;
	int err;
	zk_errctx_t ec;
};

static int axfr_cb(void *ud, size_t index, const uint8_t *msg, size_t len)
{
	struct axfr *x = ud;
	zk_msg_t m;
	zk_tsig_status_t st;

	(void)index;
	zk_arena_reset(x->a);
	if ((x->err = zk_msg_parse(&m, msg, len, x->a, &x->ec)) < 0 ||
	    (x->err = zk_gss_verify(x->L->g, msg, len, &m, now_s(), x->messages > 0, &st, &x->ec)) <
	        0)
		return x->err;
	x->messages++;
	x->nsigned += st == ZK_TSIG_OK;
	for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
		x->records++;
		if (m.rr[ZK_SEC_ANSWER][i].type == ZK_TYPE_SOA)
			x->soas++;
	}
	return x->soas >= 2 ? 0 : 1;
}

/* named's real TKEY reply, changed on the way: each change is refused
 * with its reason and leaves the negotiation able to take the genuine
 * reply, which establishes the context. */
static int tkey_try(struct live *L, const uint8_t *msg, size_t len, const char *label)
{
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	int rc = zk_gss_tkey_reply(L->g, msg, len, now_s(), &ec);
	printf("%s: %s\n", label, rc == 0 ? "established" : rc == 1 ? "continue" : ec.msg);
	return rc;
}

static int live_tkey_hostile(struct live *L, zk_arena_t *a)
{
	zk_wbuf_t w = {L->q, sizeof(L->q), 0, 0};
	zk_net_stats_t st = {0};
	zk_errctx_t ec;
	zk_msg_t m;
	uint8_t *t = malloc(sizeof(L->r));
	const uint8_t *alg = zk_gss_alg(L->g)->wire;
	size_t alen = zk_gss_alg(L->g)->len, at = 0, n;
	int bad = 0;

	zk_errctx_init(&ec);
	if (t == NULL)
		return 1;
	/* Nothing is signed or taken before the negotiation. */
	zk_wbuf_init(&w, L->q, sizeof(L->q));
	zk_wbuf_bytes(&w, "\x12\x34\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12);
	if (zk_gss_sign(L->g, &w, now_s(), &ec) != ZK_EINVAL ||
	    zk_gss_delete_query(L->g, 1, now_s(), &w, NULL) != ZK_EINVAL ||
	    zk_gss_tkey_reply(L->g, L->q, 12, now_s(), NULL) != ZK_EINVAL ||
	    zk_gss_established(L->g) || zk_gss_expires(L->g) != 0) {
		free(t);
		return 1;
	}
	printf("before negotiation: %s\n", ec.msg);
	w.len = 0;
	if (zk_gss_tkey_query(L->g, 0x5151, now_s(), &w, &ec) < 0 ||
	    zk_net_stream_exchange(L->conn, &L->no, L->q, w.len, L->r, sizeof(L->r), &L->rlen, &st,
	                           &ec) < 0 ||
	    zk_msg_parse(&m, L->r, L->rlen, a, &ec) < 0 || m.sig == NULL) {
		free(t);
		return live_error("TKEY", &ec);
	}
	/* The TKEY rdata starts with the algorithm (the first copy of it in
	 * the reply; the TSIG's comes later): mode and error follow the
	 * inception and expiration. */
	while (at + alen <= L->rlen && memcmp(L->r + at, alg, alen) != 0)
		at++;
	size_t mode_at = at + alen + 8;
	n = L->rlen;
#define TRY(label, change)                                                                         \
	do {                                                                                       \
		memcpy(t, L->r, L->rlen);                                                          \
		n = L->rlen;                                                                       \
		change;                                                                            \
		bad += tkey_try(L, t, n, label) >= 0;                                              \
	} while (0)
	TRY("other ID", t[1] ^= 1);
	TRY("mode 2", zk_put_u16(t + mode_at, 2));
	TRY("TKEY error", zk_put_u16(t + mode_at + 2, ZK_RCODE_BADKEY));
	TRY("other algorithm", t[at + 1] = 'x');
	TRY("no TKEY record", zk_put_u16(t + at - 10, ZK_TYPE_NULL));
	TRY("unsigned", (n = m.sig_offset, zk_put_u16(t + 10, (uint16_t)(zk_get_u16(t + 10) - 1))));
	TRY("MAC changed", t[L->rlen - 7] ^= 0x80);
#undef TRY
	free(t);
	if (bad != 0 || tkey_try(L, L->r, L->rlen, "genuine") != 0)
		return 1;
	return live_delete(L);
}

static int live_main(int argc, char **argv)
{
	struct live *L = calloc(1, sizeof(*L));
	zk_arena_t *a = zk_arena_new(0);
	zk_errctx_t ec;
	zk_msg_t m;
	int rc = 1;

	zk_errctx_init(&ec);
	if (L == NULL || a == NULL || argc < 1) {
		printf("usage: test_gss live available|negotiate|update NAME TEXT|query|tamper|"
		       "tkey-hostile|axfr|forgotten|expired\n");
		goto out;
	}
	if (strcmp(argv[0], "available") == 0) {
		rc = zk_gss_available() ? 0 : 1;
		printf("%s\n", rc == 0 ? "GSS-API available" : ZK_GSS_BUILT_OUT);
		goto out;
	}
	if (live_setup(L, strcmp(argv[0], "tkey-hostile") != 0, &ec) < 0) {
		rc = live_error("negotiate", &ec);
		goto out;
	}
	if (strcmp(argv[0], "tkey-hostile") == 0) {
		rc = live_tkey_hostile(L, a);
	} else if (strcmp(argv[0], "negotiate") == 0) {
		rc = live_delete(L);
	} else if (strcmp(argv[0], "update") == 0 && argc == 3) {
		if (render_update(L, argv[1], argv[2], &ec) < 0 || signed_exchange(L, &ec) < 0) {
			rc = live_error("update", &ec);
			goto out;
		}
		if (verify_bytes(L, L->r, L->rlen, "reply", &m, a) < 0)
			goto out;
		printf("update %s: %s\n", argv[1], rcode_text(m.rcode));
		rc = live_delete(L);
	} else if (strcmp(argv[0], "query") == 0) {
		if (render_query(L, L->zone, ZK_TYPE_SOA, &ec) < 0 || signed_exchange(L, &ec) < 0) {
			rc = live_error("query", &ec);
			goto out;
		}
		if (verify_bytes(L, L->r, L->rlen, "reply", &m, a) < 0)
			goto out;
		printf("query: %s, %zu answer\n", rcode_text(m.rcode), m.count[ZK_SEC_ANSWER]);
		rc = live_delete(L);
	} else if (strcmp(argv[0], "tamper") == 0) {
		/* A reply changed on the way is rejected; the real one is
		 * accepted once, and a replay of it is not. */
		uint8_t *t = malloc(sizeof(L->r));
		if (t == NULL)
			goto out;
		if (render_query(L, L->zone, ZK_TYPE_SOA, &ec) < 0 || signed_exchange(L, &ec) < 0) {
			rc = live_error("query", &ec);
			free(t);
			goto out;
		}
		zk_arena_reset(a);
		if (zk_msg_parse(&m, L->r, L->rlen, a, &ec) < 0) {
			rc = live_error("parse", &ec);
			free(t);
			goto out;
		}
		size_t sig_at = m.sig_offset;
		int bad = 0;
		memcpy(t, L->r, L->rlen);
		t[3] ^= ZK_FLAG_AD; /* a header flag */
		bad += verify_bytes(L, t, L->rlen, "flag flipped", &m, a) == 0;
		memcpy(t, L->r, L->rlen);
		t[sig_at - 1] ^= 1; /* the last octet of the answer */
		bad += verify_bytes(L, t, L->rlen, "answer changed", &m, a) == 0;
		memcpy(t, L->r, L->rlen);
		t[L->rlen - 7] ^= 0x80; /* the last octet of the MAC */
		bad += verify_bytes(L, t, L->rlen, "MAC changed", &m, a) == 0;
		free(t);
		if (bad != 0 || verify_bytes(L, L->r, L->rlen, "original", &m, a) < 0)
			goto out;
		rc = live_delete(L);
	} else if (strcmp(argv[0], "axfr") == 0) {
		struct axfr x = {.L = L, .a = a};
		zk_net_stats_t st = {0};
		zk_wbuf_t w = {L->q, sizeof(L->q), 0, 0};
		zk_errctx_init(&x.ec);
		if (render_query(L, L->zone, ZK_TYPE_AXFR, &ec) < 0) {
			rc = live_error("axfr", &ec);
			goto out;
		}
		w.len = L->qlen;
		if (zk_gss_sign(L->g, &w, now_s(), &ec) < 0 ||
		    zk_net_stream(L->conn, &L->no, L->q, w.len, axfr_cb, &x, &st, &ec) < 0) {
			rc = live_error("axfr", x.err < 0 ? &x.ec : &ec);
			goto out;
		}
		if (zk_gss_stream_end(L->g, &ec) < 0) {
			rc = live_error("axfr", &ec);
			goto out;
		}
		printf("axfr: %u message%s (%u signed), %u records, verified\n", x.messages,
		       x.messages == 1 ? "" : "s", x.nsigned, x.records);
		rc = live_delete(L);
	} else if (strcmp(argv[0], "forgotten") == 0) {
		/* The server deletes the context (TKEY mode 5) but we keep
		 * ours: our next signed message meets BADKEY, explained. */
		zk_wbuf_t w = {L->q, sizeof(L->q), 0, 0};
		zk_net_stats_t st = {0};
		if (zk_gss_delete_query(L->g, 0x4242, now_s(), &w, &ec) < 0 ||
		    zk_net_stream_exchange(L->conn, &L->no, L->q, w.len, L->r, sizeof(L->r),
		                           &L->rlen, &st, &ec) < 0) {
			rc = live_error("delete", &ec);
			goto out;
		}
		if (render_update(L, "client1", "after deletion", &ec) < 0 ||
		    signed_exchange(L, &ec) < 0) {
			rc = live_error("update", &ec);
			goto out;
		}
		if (verify_bytes(L, L->r, L->rlen, "update after deletion", &m, a) == 0)
			goto out;
		printf("rcode: %s\n", rcode_text(m.rcode));
		rc = 0;
	} else if (strcmp(argv[0], "expired") == 0) {
		/* Past the context's end we refuse to sign. */
		zk_wbuf_t w = {L->q, sizeof(L->q), 0, 0};
		if (render_query(L, L->zone, ZK_TYPE_SOA, &ec) < 0)
			goto out;
		w.len = L->qlen;
		if (zk_gss_sign(L->g, &w, zk_gss_expires(L->g) + 5, &ec) == 0) {
			printf("signed past expiry\n");
			goto out;
		}
		printf("sign: %s\n", ec.msg);
		rc = live_delete(L);
	} else {
		printf("unknown scenario %s\n", argv[0]);
	}
out:
	if (L != NULL)
		live_close(L);
	free(L);
	zk_arena_free(a);
	fflush(stdout);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "live") == 0)
		return live_main(argc - 2, argv + 2);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mac_input_request), cmocka_unit_test(test_mac_input_reply),
	    cmocka_unit_test(test_mac_input_stream),  cmocka_unit_test(test_mac_input_own_message),
#ifdef HAVE_GSSAPI
	    cmocka_unit_test(test_available),         cmocka_unit_test(test_new_arguments),
	    cmocka_unit_test(test_no_credentials),    cmocka_unit_test(test_keytab_wrong_principal),
	    cmocka_unit_test(test_keytab_no_kdc),
#else
	    cmocka_unit_test(test_built_out),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
