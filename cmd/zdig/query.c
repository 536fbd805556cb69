/* zdig — one lookup: servers, the query message, the exchange (UDP with
 * TC → TCP, TCP, DoT), EDNS fallback, TSIG verification, and the output in
 * dig 9.18's layout. Everything printed goes into the result's buffer so
 * that batch lookups run concurrently and still print in order. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "crypto.h"
#include "edns.h"
#include "encode.h"
#include "gss.h"
#include "msg.h"
#include "net.h"
#include "rrtype.h"
#include "sysres.h"
#include "zdig.h"
#include "burst.h"

/* MAXMSG, server_t and xchg_t: burst.h (shared with the batch fast path). */

static uint64_t wall_now(void)
{
	return (uint64_t)time(NULL);
}

static uint16_t default_port(const query_t *q)
{
	if (q->port != 0)
		return q->port;
	return q->tls ? 853 : 53;
}

/* The servers: @server (an address, or a host name through sysres), or
 * resolv.conf's (ZDIG_RESOLV_CONF names another file, for tests). */
static int find_servers_locked(const query_t *q, server_t **out, size_t *n, unsigned *timeout_s,
                               unsigned *tries, zk_sysres_t *conf, bool *have_conf, zk_buf_t *o);

pthread_mutex_t zdig_sysres_lock = PTHREAD_MUTEX_INITIALIZER;

static int find_servers(const query_t *q, server_t **out, size_t *n, unsigned *timeout_s,
                        unsigned *tries, zk_sysres_t *conf, bool *have_conf, zk_buf_t *o)
{
	int rc;

	pthread_mutex_lock(&zdig_sysres_lock);
	rc = find_servers_locked(q, out, n, timeout_s, tries, conf, have_conf, o);
	pthread_mutex_unlock(&zdig_sysres_lock);
	return rc;
}

int query_servers(const query_t *q, srvset_t *s, zk_buf_t *o)
{
	memset(s, 0, sizeof(*s));
	s->timeout_s = q->timeout_s;
	s->tries = q->tries;
	return find_servers(q, &s->servers, &s->n, &s->timeout_s, &s->tries, &s->conf,
	                    &s->have_conf, o);
}

void srvset_free(srvset_t *s)
{
	if (s->have_conf)
		zk_sysres_free(&s->conf);
	free(s->servers);
	memset(s, 0, sizeof(*s));
}

static int find_servers_locked(const query_t *q, server_t **out, size_t *n, unsigned *timeout_s,
                               unsigned *tries, zk_sysres_t *conf, bool *have_conf, zk_buf_t *o)
{
	zk_errctx_t ec;
	zk_sysres_opts_t so = {0};
	char m[400];

	zk_errctx_init(&ec);
	so.resolvconf = getenv("ZDIG_RESOLV_CONF");
	so.port = default_port(q);
	*have_conf = false;
	if (q->have_server) {
		zk_opt_server_t s;
		zk_net_addr_t *addrs = NULL;
		size_t na = 0;
		uint16_t port;
		if (zk_opt_server_parse(&s, q->server, &ec) < 0)
			goto fail;
		port = s.port != 0 ? s.port : default_port(q);
		if (zk_sysres_resolve(&so, s.host, q->family, port, *timeout_s * 1000, &addrs, &na,
		                      &ec) < 0)
			goto fail;
		*out = zk_xcalloc(na, sizeof(server_t));
		for (size_t i = 0; i < na; i++) {
			(*out)[i].addr = addrs[i];
			snprintf((*out)[i].name, sizeof((*out)[i].name), "%s", s.host);
			(*out)[i].by_name = !s.is_addr;
		}
		free(addrs);
		*n = na;
		return 0;
	}
	if (zk_sysres_load(conf, &so, &ec) < 0)
		goto fail;
	*have_conf = true;
	*out = zk_xcalloc(conf->nservers ? conf->nservers : 1, sizeof(server_t));
	*n = 0;
	for (size_t i = 0; i < conf->nservers; i++) {
		server_t *s = &(*out)[*n];
		int fam = zk_net_addr_family(&conf->servers[i]);
		if (q->family != AF_UNSPEC && fam != q->family)
			continue;
		s->addr = conf->servers[i];
		if (q->port != 0 || q->tls)
			zk_net_addr_set_port(&s->addr, default_port(q));
		zk_net_addr_host_text(&s->addr, s->name, sizeof(s->name));
		(*n)++;
	}
	if (!q->timeout_set && conf->timeout_set)
		*timeout_s = (conf->timeout_ms + 999) / 1000;
	if (!q->tries_set && conf->attempts_set)
		*tries = conf->attempts;
	return 0;
fail:
	zk_errctx_format(&ec, m, sizeof(m));
	zk_buf_printf(o, ";; no servers: %s\n", m);
	return -1;
}

static void add_opt(zk_edns_opt_t *opts, size_t *n, uint16_t code, const uint8_t *data,
                    uint16_t len)
{
	opts[*n] = (zk_edns_opt_t){.code = code, .len = len, .data = data};
	(*n)++;
}

/* Random octets for query IDs and client cookies, drawn from the CSPRNG
 * (RFC 5452 §9.2) a few hundred at a time: a getrandom(2) per draw was a
 * tenth of a batch's CPU. Per thread; used octets are wiped. */
static int rand_take(uint8_t *out, size_t n)
{
	static _Thread_local uint8_t pool[256];
	static _Thread_local size_t left;
	uint8_t *p;

	if (n > sizeof(pool))
		return zk_random_bytes(out, n);
	if (left < n) {
		if (zk_random_bytes(pool, sizeof(pool)) < 0)
			return ZK_ECRYPTO;
		left = sizeof(pool);
	}
	p = pool + sizeof(pool) - left;
	memcpy(out, p, n);
	memset(p, 0, n);
	left -= n;
	return 0;
}

/* Render the query for qname (and sign it). edns_ver < 0: no EDNS. */
int query_build(const query_t *q, const zk_name_t *qname, int edns_ver, xchg_t *x, zk_arena_t *a,
                zk_errctx_t *ec)
{
	static const uint8_t zeros[512];
	zk_msg_t m;
	zk_edns_opt_t opts[8];
	size_t nopts = 0;
	uint8_t ecs[20], idb[2];
	int rc;

	zk_msg_init(&m);
	if (rand_take(idb, sizeof(idb)) < 0)
		return zk_error(ec, ZK_ECRYPTO, "no random numbers for the query ID");
	m.id = zk_get_u16(idb);
	m.opcode = q->opcode;
	m.flags = (q->rd ? ZK_FLAG_RD : 0) | (q->cd ? ZK_FLAG_CD : 0) | (q->ad ? ZK_FLAG_AD : 0) |
	          (q->aa ? ZK_FLAG_AA : 0) | (q->zflag ? ZK_FLAG_Z : 0);
	if (!q->header_only && zk_msg_set_question(&m, a, qname, q->qtype, q->qclass) < 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	x->cookie_len = 0;
	if (edns_ver >= 0) {
		m.has_edns = true;
		m.edns.udp_size = q->bufsize;
		m.edns.version = (uint8_t)edns_ver;
		m.edns.flags = q->dnssec ? ZK_EDNS_DO : 0;
		if (q->nsid)
			add_opt(opts, &nopts, ZK_EDNS_NSID, NULL, 0);
		if (q->ecs) {
			size_t al = (q->ecs_prefix + 7u) / 8u;
			zk_put_u16(ecs, q->ecs_family);
			ecs[2] = q->ecs_prefix;
			ecs[3] = 0;
			memcpy(ecs + 4, q->ecs_addr, al);
			add_opt(opts, &nopts, ZK_EDNS_ECS, ecs, (uint16_t)(4 + al));
		}
		if (q->cookie) {
			if (q->cookie_len > 0) {
				memcpy(x->cookie, q->cookie_val, q->cookie_len);
				x->cookie_len = q->cookie_len;
			} else {
				/* RFC 7873 §4.1: a fresh pseudo-random client cookie */
				if (rand_take(x->cookie, 8) < 0)
					return zk_error(ec, ZK_ECRYPTO, "no random numbers");
				x->cookie_len = 8;
			}
			add_opt(opts, &nopts, ZK_EDNS_COOKIE, x->cookie, (uint16_t)x->cookie_len);
		}
		if (q->expire)
			add_opt(opts, &nopts, ZK_EDNS_EXPIRE, NULL, 0);
		if (q->keepalive)
			add_opt(opts, &nopts, ZK_EDNS_KEEPALIVE, NULL, 0);
		m.edns.opts = opts;
		m.edns.nopts = nopts;
	}
	rc = zk_msg_render(&m, x->q, MAXMSG, &x->qlen, ec);
	if (rc < 0)
		return rc;
	if (edns_ver >= 0 && q->padding > 0) {
		/* RFC 7830 §3, RFC 8467 §4.1: pad the whole query (TSIG aside)
		 * to a multiple of the block size. */
		size_t block = q->padding, pad = (block - (x->qlen + 4) % block) % block;
		if (pad > sizeof(zeros))
			pad = sizeof(zeros);
		add_opt(opts, &nopts, ZK_EDNS_PADDING, zeros, (uint16_t)pad);
		m.edns.nopts = nopts;
		rc = zk_msg_render(&m, x->q, MAXMSG, &x->qlen, ec);
		if (rc < 0)
			return rc;
	}
	x->signed_q = false;
	if (q->have_key) {
		zk_wbuf_t w;
		zk_tsig_ctx_free(&x->tsig);
		zk_tsig_ctx_init(&x->tsig, &q->key, ZK_TSIG_FUDGE);
		zk_wbuf_init(&w, x->q, MAXMSG);
		w.len = x->qlen;
		rc = zk_tsig_sign(&x->tsig, &w, wall_now(), 0, ec);
		if (rc < 0)
			return rc;
		x->qlen = w.len;
		x->signed_q = true;
	} else if (x->gss != NULL) {
		/* a fresh signature for every message sent: the server
		 * rejects a GSS-TSIG request it has seen (a replay) */
		zk_wbuf_t w;
		zk_wbuf_init(&w, x->q, MAXMSG);
		w.len = x->qlen;
		rc = zk_gss_sign(x->gss, &w, wall_now(), ec);
		if (rc < 0)
			return rc;
		x->qlen = w.len;
		x->signed_q = true;
	}
	return 0;
}

static int stream_exchange(const query_t *q, const server_t *s, const zk_net_opts_t *no, xchg_t *x,
                           zk_errctx_t *ec)
{
	zk_net_conn_t *c = NULL;
	zk_net_tls_t tls = {0};
	int rc;

	if (q->tls) {
		tls.verify = q->tls_verify;
		tls.ca_file = q->tls_ca[0] ? q->tls_ca : NULL;
		tls.hostname = q->tls_hostname[0] ? q->tls_hostname : (s->by_name ? s->name : NULL);
		tls.cert_file = q->tls_cert[0] ? q->tls_cert : NULL;
		tls.key_file = q->tls_key[0] ? q->tls_key : NULL;
	}
	x->proto = q->tls ? "TLS" : "TCP";
	rc = zk_net_connect(&c, &s->addr, no, q->tls ? &tls : NULL, ec);
	if (rc < 0)
		return rc;
	if (q->tls)
		zk_net_conn_tls_info(c, x->tls_info, sizeof(x->tls_info));
	rc = zk_net_stream_exchange(c, no, x->q, x->qlen, x->r, sizeof(x->r), &x->rlen, &x->st, ec);
	zk_net_close(c);
	return rc;
}

/* Send x->q to s and take the matching reply into x->r. */
static int exchange(const query_t *q, const server_t *s, unsigned timeout_s, unsigned tries,
                    xchg_t *x, zk_buf_t *o, zk_errctx_t *ec)
{
	zk_net_opts_t no = {0};
	zk_net_addr_t src;
	bool tc = false;
	int rc;

	no.family = q->family;
	no.timeout_ms = timeout_s * 1000;
	no.tries = tries;
	no.match_flags = q->header_only ? ZK_NET_MATCH_NOQUESTION : 0;
	if (q->have_source) {
		zk_opt_server_t b;
		if (zk_opt_server_parse(&b, q->source, ec) < 0 || !b.is_addr)
			return zk_error(ec, ZK_EINVAL, "-b needs an address: %s", q->source);
		src = b.addr;
		no.source = &src;
	}
	memset(&x->st, 0, sizeof(x->st));
	x->tls_info[0] = '\0';
	/* GSS-TSIG goes over TCP: UDP retries would resend the same signed
	 * message, which the server takes for a replay (BADSIG). */
	if (q->tcp || q->tls || x->gss != NULL)
		return stream_exchange(q, s, &no, x, ec);
	x->proto = "UDP";
	rc = zk_net_udp_exchange(&s->addr, &no, x->q, x->qlen, x->r, sizeof(x->r), &x->rlen, &tc,
	                         &x->st, ec);
	if (rc < 0 || !tc || q->ignore)
		return rc;
	/* RFC 7766 §5: a truncated answer is asked again over TCP. */
	zk_buf_puts(o, ";; Truncated, retrying in TCP mode.\n");
	{
		zk_net_stats_t keep = x->st;
		rc = stream_exchange(q, s, &no, x, ec);
		x->st.mismatched += keep.mismatched;
		for (int i = 0; i < ZK_NET_MM_COUNT; i++)
			x->st.why[i] += keep.why[i];
	}
	return rc;
}

/* dig adds " (good)" to the COOKIE line when the reply carries our client
 * cookie back (RFC 7873 §5.3), " (bad)" when it carries another. */
static void mark_cookie(zk_buf_t *o, size_t from, const zk_msg_t *m, const xchg_t *x)
{
	const char *tag = NULL;
	char *line, *eol;

	if (!m->has_edns || x->cookie_len == 0)
		return;
	for (size_t i = 0; i < m->edns.nopts; i++) {
		const zk_edns_opt_t *e = &m->edns.opts[i];
		if (e->code != ZK_EDNS_COOKIE)
			continue;
		tag = e->len >= 8 && memcmp(e->data, x->cookie, 8) == 0 ? " (good)" : " (bad)";
	}
	if (tag == NULL || o->data == NULL || o->err)
		return;
	zk_buf_putc(o, '\0');
	line = strstr(o->data + from, "\n; COOKIE: ");
	if (line == NULL) {
		/* +color: the line opens with the comment colour */
		char painted[32];
		snprintf(painted, sizeof(painted),
		         "\n%s; COOKIE: ", zk_paint_sgr(ZK_PAINT_COMMENT));
		line = strstr(o->data + from, painted);
	}
	zk_buf_trim(o, 1);
	if (line == NULL)
		return;
	eol = strchr(line + 1, '\n');
	if (eol == NULL)
		return;
	{
		size_t at = (size_t)(eol - o->data), tail, tl = strlen(tag);
		const size_t rl = sizeof(ZK_PAINT_RESET) - 1;
		/* inside the colour, before its reset */
		if (at - (size_t)(line - o->data) > rl && memcmp(eol - rl, ZK_PAINT_RESET, rl) == 0)
			at -= rl;
		tail = o->len - at;
		if (zk_buf_room(o, tl) == NULL)
			return;
		zk_buf_advance(o, tl);
		memmove(o->data + at + tl, o->data + at, tail);
		memcpy(o->data + at, tag, tl);
	}
}

static void hexdump(zk_buf_t *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		zk_buf_printf(o, "%02x%s", p[i], (i % 16 == 15 || i + 1 == n) ? "\n" : " ");
}

/* The query as sent (+qr). */
static void print_query(const query_t *q, const xchg_t *x, const zk_style_t *style, zk_buf_t *o)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;
	zk_errctx_t ec;
	zk_buf_t t;

	if (a == NULL)
		return;
	zk_errctx_init(&ec);
	if (zk_msg_parse(&m, x->q, x->qlen, a, &ec) == 0) {
		zk_style_t s = *style;
		s.short_form = false;
		/* no ";; Got answer:" and no RA warning: this is the query */
		s.sent = true;
		zk_buf_init(&t);
		zk_present_msg(&m, &s, &t);
		if (t.err)
			goto out;
		zk_present_painted(&s, ZK_PAINT_TITLE, o, ";; Sending:\n");
		zk_buf_put(o, t.data, t.len);
		zk_present_painted(&s, ZK_PAINT_COMMENT, o, ";; QUERY SIZE: %zu\n", x->qlen);
		zk_buf_putc(o, '\n');
	out:
		zk_buf_free(&t);
	}
	(void)q;
	zk_arena_free(a);
}

static void print_json(const query_t *q, const zk_msg_t *m, const zk_style_t *style,
                       const server_t *s, const xchg_t *x, zk_buf_t *o)
{
	json_t *extra = json_object();
	char srv[ZK_NET_ADDRSTRLEN];

	(void)q;
	zk_net_addr_to_text(&s->addr, srv, sizeof(srv));
	if (extra != NULL) {
		json_object_set_new(extra, "server", json_string(srv));
		json_object_set_new(extra, "transport", json_string(x->proto));
		json_object_set_new(extra, "queryTime",
		                    json_integer((json_int_t)(x->st.elapsed_us / 1000)));
		json_object_set_new(extra, "msgSize", json_integer((json_int_t)x->rlen));
		if (x->tls_info[0])
			json_object_set_new(extra, "tls", json_string(x->tls_info));
		json_object_set_new(extra, "dateSeconds", json_integer((json_int_t)time(NULL)));
	}
	if (zk_present_msg_json(m, style, extra, o) == 0)
		zk_buf_putc(o, '\n');
	json_decref(extra);
}

/* +short +identify: " from server X in N ms." after every line. */
static void identify_lines(zk_buf_t *o, size_t from, const server_t *s, const xchg_t *x)
{
	zk_buf_t t;
	char host[ZK_NET_ADDRSTRLEN];
	size_t i = from;

	zk_net_addr_host_text(&s->addr, host, sizeof(host));
	zk_buf_init(&t);
	while (i < o->len) {
		const char *nl = memchr(o->data + i, '\n', o->len - i);
		size_t end = nl ? (size_t)(nl - o->data) : o->len;
		zk_buf_put(&t, o->data + i, end - i);
		zk_buf_printf(&t, " from server %s in %llu ms.\n", host,
		              (unsigned long long)(x->st.elapsed_us / 1000));
		i = end + 1;
	}
	zk_buf_trim(o, o->len - from);
	zk_buf_put(o, t.data, t.len);
	zk_buf_free(&t);
}

/* Print the reply in dig's layout. */
static void print_reply(const query_t *q, const zk_msg_t *m, const server_t *s, const xchg_t *x,
                        bool tsig_rcode, zk_buf_t *o)
{
	zk_style_t style;
	size_t from = o->len;

	params_style(&q->d, &style);
	style.tsig_rcode = tsig_rcode;
	if (q->d.json) {
		print_json(q, m, &style, s, x, o);
		return;
	}
	zk_present_msg(m, &style, o);
	if (q->d.idnout)
		idn_output(o, from);
	if (style.short_form) {
		if (q->d.identify)
			identify_lines(o, from, s, x);
		return;
	}
	mark_cookie(o, from, m, x);
	if (q->d.stats) {
		char srv[ZK_NET_ADDRSTRLEN], when[64];
		time_t now = time(NULL);
		struct tm tm;
		zk_net_addr_to_text(&s->addr, srv, sizeof(srv));
		localtime_r(&now, &tm);
		strftime(when, sizeof(when), "%a %b %d %H:%M:%S %Z %Y", &tm);
		zk_present_painted(&style, ZK_PAINT_COMMENT, o,
		                   ";; Query time: %llu msec\n;; SERVER: %s(%s) (%s)\n;; WHEN: "
		                   "%s\n;; MSG SIZE  rcvd: %zu\n",
		                   (unsigned long long)(x->st.elapsed_us / 1000), srv, s->name,
		                   x->proto, when, x->rlen);
		zk_buf_putc(o, '\n');
	}
	if (x->st.mismatched > 0) {
		zk_buf_printf(o, "%s;; Ignored %u reply(ies) that did not match the query:",
		              style.color ? zk_paint_sgr(ZK_PAINT_WARN) : "", x->st.mismatched);
		for (int i = 0; i < ZK_NET_MM_COUNT; i++)
			if (x->st.why[i])
				zk_buf_printf(o, " %s %u",
				              zk_net_mismatch_text((enum zk_net_mismatch)i),
				              x->st.why[i]);
		zk_buf_puts(o, style.color ? ZK_PAINT_RESET "\n\n" : "\n\n");
	}
}

/* TSIG: §5.2 order is the tsig module's; here the outcome is reported. */
static int check_tsig(xchg_t *x, const zk_msg_t *m, zk_buf_t *o)
{
	zk_tsig_status_t st = ZK_TSIG_OK;
	zk_errctx_t ec;
	int rc;

	zk_errctx_init(&ec);
	if (x->gss != NULL)
		rc = zk_gss_verify(x->gss, x->r, x->rlen, m, wall_now(), false, &st, &ec);
	else
		rc = zk_tsig_verify(&x->tsig, x->r, x->rlen, m, wall_now(), false, &st, &ec);
	if (rc == 0)
		return 0;
	if (st == ZK_TSIG_SERVER_ERROR && x->gss != NULL) {
		zk_buf_printf(o, ";; TSIG error from the server: %s\n",
		              ec.msg[0] ? ec.msg : zk_tsig_status_text(st));
	} else if (st == ZK_TSIG_SERVER_ERROR) {
		char e[32];
		zk_rcode_to_text(x->tsig.last_error, true, e, sizeof(e));
		zk_buf_printf(o, ";; TSIG error from the server: %s\n", e);
	} else {
		zk_buf_printf(o, ";; Couldn't verify signature: %s\n",
		              ec.msg[0] ? ec.msg : zk_tsig_status_text(st));
	}
	return -1;
}

static bool is_absolute(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && name[n - 1] == '.' && (n < 2 || name[n - 2] != '\\');
}

static unsigned count_dots(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		if (*s == '.')
			n++;
	return n;
}

/* The names to try: +search tries the search list (RFC 1535 / resolv.conf
 * ndots rule); otherwise the name as given, relative to the root. */
static size_t candidates(const query_t *q, const zk_sysres_t *conf, bool have_conf,
                         char names[][ZK_NAME_TEXTMAX], size_t max)
{
	const char *name = q->have_name ? q->name : ".";
	size_t n = 0;
	unsigned ndots = q->ndots >= 0 ? (unsigned)q->ndots : (have_conf ? conf->ndots : 1);
	bool as_is_first;

	if (!q->search || !have_conf || is_absolute(name) || conf->nsearch == 0) {
		snprintf(names[0], ZK_NAME_TEXTMAX, "%s", name);
		return 1;
	}
	as_is_first = count_dots(name) >= ndots;
	if (as_is_first)
		snprintf(names[n++], ZK_NAME_TEXTMAX, "%s", name);
	for (size_t i = 0; i < conf->nsearch && n < max - 1; i++)
		snprintf(names[n++], ZK_NAME_TEXTMAX, "%s.%s", name, conf->search[i]);
	if (!as_is_first)
		snprintf(names[n++], ZK_NAME_TEXTMAX, "%s", name);
	return n;
}

/* dig prints its banner with the first reply (or the final failure),
 * after the diagnostics of the exchange. */
static void flush_banner(zk_buf_t *ban, zk_buf_t *o)
{
	if (ban->len > 0)
		zk_buf_put(o, ban->data, ban->len);
	zk_buf_reset(ban);
}

int query_qname(const query_t *q, const char *name, zk_name_t *qname, zk_buf_t *o, int *code)
{
	zk_errctx_t ec;
	char msg[1536];
	int rc;

	zk_errctx_init(&ec);
	if (q->idnin) {
		char *ascii = zk_xmalloc(ZK_NAME_TEXTMAX);
		snprintf(ascii, ZK_NAME_TEXTMAX, "%s", name);
		if (idn_to_ascii(ascii, ZK_NAME_TEXTMAX, msg, sizeof(msg)) < 0) {
			zk_buf_printf(o, ";; %s\n", msg);
			free(ascii);
			*code = EXIT_USAGE;
			return -1;
		}
		rc = zk_name_from_text(qname, ascii, strlen(ascii), NULL, &ec);
		free(ascii);
	} else {
		rc = zk_name_from_text(qname, name, strlen(name), NULL, &ec);
	}
	if (rc < 0) {
		zk_errctx_format(&ec, msg, sizeof(msg));
		zk_buf_printf(o, ";; '%s' is not a legal name (%s)\n", name, msg);
		*code = EXIT_USAGE;
		return -1;
	}
	return 0;
}

void query_comm_error(zk_buf_t *o, const server_t *s, int rc, const zk_errctx_t *ec,
                      const xchg_t *x)
{
	char srv[ZK_NET_ADDRSTRLEN];

	zk_net_addr_to_text(&s->addr, srv, sizeof(srv));
	zk_buf_printf(o, ";; communications error to %s: %s%s%s\n", srv,
	              rc == ZK_ETIMEOUT ? "timed out" : zk_strerror(rc),
	              rc == ZK_ETIMEOUT || !ec->msg[0] ? "" : ": ",
	              rc == ZK_ETIMEOUT ? "" : ec->msg);
	if (x->st.mismatched > 0)
		zk_buf_printf(o, ";; ignored %u reply(ies) that did not match the query\n",
		              x->st.mismatched);
}

enum reply_step query_take_reply(const query_t *q, const server_t *s, xchg_t *x, zk_arena_t *a,
                                 int *edns, unsigned *rounds, bool print_nx, zk_buf_t *ban,
                                 zk_buf_t *o, int *code, int *rcode)
{
	zk_errctx_t ec;
	zk_msg_t m;
	char msg[1536];

	*rcode = -1;
	zk_errctx_init(&ec);
	if (zk_msg_parse(&m, x->r, x->rlen, a, &ec) < 0) {
		zk_errctx_format(&ec, msg, sizeof(msg));
		zk_buf_printf(o, ";; Got bad packet: %s\n%zu bytes\n", msg, x->rlen);
		hexdump(o, x->r, x->rlen);
		*code = EXIT_INTERNAL;
		return REPLY_DONE;
	}
	/* RFC 6891 §7: a server that does not know EDNS answers FORMERR (or
	 * NOTIMP) without an OPT; ask again without. */
	if (*edns >= 0 && !m.has_edns &&
	    (m.rcode == ZK_RCODE_FORMERR || m.rcode == ZK_RCODE_NOTIMP) && (*rounds)++ < 2) {
		char rc_t[32];
		zk_rcode_to_text(m.rcode, false, rc_t, sizeof(rc_t));
		zk_buf_printf(o, ";; %s to EDNS, retrying without EDNS.\n", rc_t);
		*edns = -1;
		return REPLY_AGAIN;
	}
	if (*edns > 0 && m.has_edns && m.rcode == ZK_RCODE_BADVERS && !x->signed_q &&
	    m.edns.version < *edns && (*rounds)++ < 2) {
		/* RFC 6891 §6.1.3: BADVERS carries the highest version the
		 * server implements. */
		*edns = m.edns.version;
		zk_buf_printf(o, ";; BADVERS, retrying with EDNS version %d.\n", *edns);
		return REPLY_AGAIN;
	}
	*rcode = m.rcode;
	{
		zk_buf_t tb;
		bool tsig_bad;
		zk_buf_init(&tb);
		tsig_bad = x->signed_q && check_tsig(x, &m, &tb) < 0;
		flush_banner(ban, o);
		if (print_nx || m.rcode != ZK_RCODE_NXDOMAIN)
			print_reply(q, &m, s, x, x->signed_q, o);
		zk_buf_put(o, tb.data, tb.len);
		zk_buf_free(&tb);
		if (tsig_bad)
			*code = EXIT_TSIG;
		else if (q->fail_rcode && m.rcode != ZK_RCODE_NOERROR)
			*code = EXIT_RCODE;
		else
			*code = EXIT_OK;
	}
	return REPLY_DONE;
}

void query_no_servers(zk_buf_t *ban, zk_buf_t *o, int *code)
{
	flush_banner(ban, o);
	zk_buf_puts(o, ";; no servers could be reached\n");
	*code = EXIT_NOREPLY;
}

/* Ask the servers in turn for one name. *code: the exit code; returns the
 * rcode of the reply or -1 when there was none. */
static int lookup(const query_t *q, const char *name, const server_t *servers, size_t nservers,
                  unsigned timeout_s, unsigned tries, bool print_nx, zk_buf_t *ban, zk_buf_t *o,
                  int *code)
{
	xchg_t *x = zk_xcalloc(1, sizeof(*x));
	zk_arena_t *a = zk_arena_new(0);
	zk_errctx_t ec;
	zk_name_t qname;
	int edns = q->edns ? q->edns_version : -1, rcode = -1;
	char msg[1536];

	if (a == NULL)
		goto oom;
	if (query_qname(q, name, &qname, o, code) < 0)
		goto done;
	for (size_t i = 0; i < nservers; i++) {
		int rc;
		unsigned rounds = 0;
		enum reply_step step = REPLY_DONE;
		if (q->gss) {
			if (x->gss != NULL)
				gsstsig_release();
			x->gss = gsstsig_acquire(q, &servers[i].addr,
			                         servers[i].by_name ? servers[i].name : NULL,
			                         &qname, msg, sizeof(msg));
			if (x->gss == NULL) {
				flush_banner(ban, o);
				zk_buf_printf(o, ";; %s\n", msg);
				*code = EXIT_TSIG;
				goto done;
			}
		}
		do {
			zk_errctx_init(&ec);
			zk_arena_reset(a);
			rc = query_build(q, &qname, edns, x, a, &ec);
			if (rc < 0) {
				zk_errctx_format(&ec, msg, sizeof(msg));
				zk_buf_printf(o, ";; cannot build the query: %s\n", msg);
				*code = EXIT_INTERNAL;
				goto done;
			}
			if (q->d.qr && !q->d.json) {
				zk_style_t st;
				params_style(&q->d, &st);
				flush_banner(ban, o);
				print_query(q, x, &st, o);
			}
			rc = exchange(q, &servers[i], timeout_s, tries, x, o, &ec);
			if (rc < 0) {
				query_comm_error(o, &servers[i], rc, &ec, x);
				break;
			}
			step = query_take_reply(q, &servers[i], x, a, &edns, &rounds, print_nx, ban,
			                        o, code, &rcode);
		} while (step == REPLY_AGAIN);
		if (rc < 0)
			continue;
		goto done;
	}
	query_no_servers(ban, o, code);
done:
	if (x->gss != NULL)
		gsstsig_release();
	zk_tsig_ctx_free(&x->tsig);
	zk_arena_free(a);
	free(x);
	return rcode;
oom:
	zk_buf_puts(o, ";; out of memory\n");
	*code = EXIT_INTERNAL;
	free(x);
	return -1;
}

/* +json: standard output carries one JSON object per lookup (JSON Lines
 * in batch mode). The ";;" diagnostics go to standard error; a lookup
 * without a reply gets an object {"QNAME", "error", "exitCode"}. */
static void json_only(const query_t *q, zk_buf_t *o, int code)
{
	zk_buf_t keep, diag;
	size_t i = 0;

	if (o->err)
		return;
	zk_buf_init(&keep);
	zk_buf_init(&diag);
	while (i < o->len) {
		const char *nl = memchr(o->data + i, '\n', o->len - i);
		size_t end = nl ? (size_t)(nl - o->data) : o->len;
		const char *l = o->data + i;
		size_t n = end - i;
		if (n > 0 && l[0] == '{') {
			zk_buf_put(&keep, l, n);
			zk_buf_putc(&keep, '\n');
		} else if (n > 0) {
			if (n >= 3 && memcmp(l, ";; ", 3) == 0)
				l += 3, n -= 3;
			if (diag.len > 0)
				zk_buf_puts(&diag, "; ");
			zk_buf_put(&diag, l, n);
		}
		i = end + 1;
	}
	if (diag.len > 0) {
		zk_buf_putc(&diag, '\0');
		fprintf(stderr, "zdig: %s: %s\n", q->have_name ? q->name : ".", diag.data);
	}
	if (keep.len == 0) {
		json_t *e = json_object();
		char *txt;
		if (e != NULL) {
			json_object_set_new(e, "QNAME", json_string(q->have_name ? q->name : "."));
			json_object_set_new(e, "error",
			                    json_string(diag.len ? diag.data : "no reply"));
			json_object_set_new(e, "exitCode", json_integer(code));
			txt = json_dumps(e, JSON_COMPACT);
			if (txt != NULL) {
				zk_buf_puts(&keep, txt);
				zk_buf_putc(&keep, '\n');
				free(txt);
			}
			json_decref(e);
		}
	}
	zk_buf_reset(o);
	zk_buf_put(o, keep.data, keep.len);
	zk_buf_free(&keep);
	zk_buf_free(&diag);
}

void query_banner_head(const params_t *p, const query_t *q, const char *args, bool first,
                       zk_buf_t *ban)
{
	/* dig: a blank line before the run's first banner only; in a batch,
	 * the line's words after "<<>>" */
	if (args != NULL && q->d.cmd && !q->d.short_form && !q->d.json)
		zk_buf_printf(ban, "%s; <<>> zdig (zkit) %s <<>> %s\n", first ? "\n" : "",
		              PACKAGE_VERSION, args);
	(void)p;
}

void query_banner_tail(const query_t *q, bool first, size_t nservers, zk_buf_t *ban)
{
	if (first && q->d.cmd && !q->d.short_form && !q->d.json) {
		if (q->have_server)
			zk_buf_printf(ban, "; (%zu server%s found)\n", nservers,
			              nservers == 1 ? "" : "s");
		zk_buf_puts(ban, ";; global options: +cmd\n");
	}
}

size_t query_first_name(const query_t *q, const srvset_t *s, char *name, size_t cap)
{
	char names[8][ZK_NAME_TEXTMAX];
	size_t nc = candidates(q, &s->conf, s->have_conf, names, 8);

	snprintf(name, cap, "%s", names[0]);
	return nc;
}

void query_end(const query_t *q, zk_buf_t *o, int code)
{
	if (q->d.json)
		json_only(q, o, code);
}

void query_run(const params_t *p, const query_t *q, bool first, result_t *r)
{
	query_run_banner(p, q, first ? p->cmdline : NULL, first, r);
}

void query_run_banner(const params_t *p, const query_t *q, const char *args, bool first,
                      result_t *r)
{
	srvset_t s;
	size_t nc;
	char names[8][ZK_NAME_TEXTMAX];
	zk_buf_t *o = &r->out, ban;

	r->code = EXIT_OK;
	zk_buf_init(&ban);
	if (q->trace) {
		r->code = trace_run(p, q, first, o);
		return;
	}
	query_banner_head(p, q, args, first, &ban);
	if (query_servers(q, &s, o) < 0) {
		r->code = EXIT_NOREPLY;
		goto done;
	}
	query_banner_tail(q, first, s.n, &ban);
	if (s.n == 0) {
		query_no_servers(&ban, o, &r->code);
		goto done;
	}
	if (q->nssearch) {
		r->code = nssearch_run(p, q, &s.servers[0].addr, o);
		goto done;
	}
	nc = candidates(q, &s.conf, s.have_conf, names, 8);
	for (size_t i = 0; i < nc; i++) {
		int rc = lookup(q, names[i], s.servers, s.n, s.timeout_s, s.tries, i + 1 == nc,
		                &ban, o, &r->code);
		if (rc != ZK_RCODE_NXDOMAIN)
			break;
	}
done:
	query_end(q, o, r->code);
	zk_buf_free(&ban);
	srvset_free(&s);
}
