/* zdig — the command line: dash options, positional name/type/class,
 * @server, and dig-style +options.
 *
 * +options are data: one row each, matched by common/plusopt (+no forms,
 * unique prefixes: "+mul" is +multiline, "+a" is ambiguous). A row is
 * either a bool of query_t or a handler for options with a value.
 *
 * As in dig, options before the first name are global; options after a
 * name apply to that lookup only; a second name starts a second lookup
 * with the global settings. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "encode.h"
#include "gss.h"
#include "plusopt.h"
#include "rrtype.h"
#include "zdig.h"

typedef int (*plus_fn)(query_t *q, bool on, const char *val, char *err, size_t cap);

typedef struct plus_opt {
	const char *name;
	size_t off; /* a query_t bool, when fn is NULL */
	plus_fn fn;
	const char *help;
	bool global; /* as in dig, for every lookup of the command wherever given */
} plus_opt_t;

#define ERR(...) (snprintf(err, cap, __VA_ARGS__), -1)

static int need_val(const char *val, const char *name, char *err, size_t cap)
{
	if (val == NULL || *val == '\0')
		return ERR("+%s needs a value (+%s=...)", name, name);
	return 0;
}

static int get_uint(const char *val, const char *name, uint64_t min, uint64_t max, uint64_t *out,
                    char *err, size_t cap)
{
	zk_errctx_t ec;

	if (need_val(val, name, err, cap) < 0)
		return -1;
	zk_errctx_init(&ec);
	if (zk_opt_uint_parse(val, min, max, out, &ec) < 0)
		return ERR("+%s=%s: a number from %llu to %llu", name, val, (unsigned long long)min,
		           (unsigned long long)max);
	return 0;
}

static int copy_str(char *dst, size_t dcap, const char *val, const char *name, char *err,
                    size_t cap)
{
	if (need_val(val, name, err, cap) < 0)
		return -1;
	if (strlen(val) >= dcap)
		return ERR("+%s: value too long", name);
	strcpy(dst, val);
	return 0;
}

static int f_all(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	display_t *d = &q->d;
	(void)val, (void)err, (void)cap;
	d->comments = d->question = d->answer = d->authority = d->additional = on;
	d->stats = d->cmd = on;
	return 0;
}

static int f_rrcomments(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val, (void)err, (void)cap;
	q->d.rrcomments = on;
	return 0;
}

static int f_short(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val, (void)err, (void)cap;
	q->d.short_form = on;
	/* dig: +short also turns +nottlid +noclass... and keeps the rest */
	return 0;
}

static int f_tries(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "tries", 1, 100, &v, err, cap) < 0)
		return -1;
	q->tries = (unsigned)v;
	q->tries_set = true;
	return 0;
}

static int f_retry(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "retry", 0, 99, &v, err, cap) < 0)
		return -1;
	q->tries = (unsigned)v + 1;
	q->tries_set = true;
	return 0;
}

static int f_timeout(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "timeout", 1, 3600, &v, err, cap) < 0)
		return -1;
	q->timeout_s = (unsigned)v;
	q->timeout_set = true;
	return 0;
}

static int f_bufsize(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "bufsize", 0, 65535, &v, err, cap) < 0)
		return -1;
	q->bufsize = (uint16_t)v;
	return 0;
}

static int f_edns(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	q->edns = on;
	if (on && val != NULL) {
		if (get_uint(val, "edns", 0, 255, &v, err, cap) < 0)
			return -1;
		q->edns_version = (uint8_t)v;
	} else if (on) {
		q->edns_version = 0;
	}
	return 0;
}

static int f_opcode(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	zk_errctx_t ec;
	uint8_t op;

	if (!on) {
		q->opcode = 0;
		return 0;
	}
	if (need_val(val, "opcode", err, cap) < 0)
		return -1;
	zk_errctx_init(&ec);
	if (zk_opcode_from_text(val, strlen(val), &op) == 0) {
		q->opcode = op;
		return 0;
	}
	if (zk_opt_uint_parse(val, 0, 15, &v, &ec) < 0)
		return ERR("+opcode=%s: an opcode name or 0..15", val);
	q->opcode = (uint8_t)v;
	return 0;
}

static int f_ndots(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "ndots", 0, 255, &v, err, cap) < 0)
		return -1;
	q->ndots = (int)v;
	return 0;
}

static int f_parallel(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	(void)on;
	if (get_uint(val, "parallel", 1, 1024, &v, err, cap) < 0)
		return -1;
	q->parallel = (unsigned)v;
	return 0;
}

static int f_cookie(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	size_t n = 0;

	q->cookie = on;
	q->cookie_len = 0;
	if (!on || val == NULL)
		return 0;
	if (zk_hex_decode(val, strlen(val), q->cookie_val, sizeof(q->cookie_val), &n) < 0 ||
	    (n != 8 && (n < 16 || n > 40)))
		return ERR("+cookie=%s: 8, or 16 to 40 octets in hex (RFC 7873 §4)", val);
	q->cookie_len = n;
	return 0;
}

static int f_padding(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v = 468; /* RFC 8467 §4.1: queries padded to a multiple of 128 */
	if (!on) {
		q->padding = 0;
		return 0;
	}
	if (val != NULL && get_uint(val, "padding", 0, 512, &v, err, cap) < 0)
		return -1;
	q->padding = val == NULL ? 128 : (unsigned)v;
	return 0;
}

/* +subnet=addr[/len] (RFC 7871 §6). */
static int f_subnet(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	char a[64];
	const char *slash;
	uint64_t len;
	zk_errctx_t ec;

	q->ecs = on;
	if (!on)
		return 0;
	if (need_val(val, "subnet", err, cap) < 0)
		return -1;
	slash = strchr(val, '/');
	if ((slash ? (size_t)(slash - val) : strlen(val)) >= sizeof(a))
		return ERR("+subnet=%s: bad address", val);
	snprintf(a, sizeof(a), "%.*s", (int)(slash ? (size_t)(slash - val) : strlen(val)), val);
	memset(q->ecs_addr, 0, sizeof(q->ecs_addr));
	if (inet_pton(AF_INET, a, q->ecs_addr) == 1) {
		q->ecs_family = 1;
		len = 32;
	} else if (inet_pton(AF_INET6, a, q->ecs_addr) == 1) {
		q->ecs_family = 2;
		len = 128;
	} else {
		return ERR("+subnet=%s: bad address", val);
	}
	if (slash != NULL) {
		zk_errctx_init(&ec);
		if (zk_opt_uint_parse(slash + 1, 0, len, &len, &ec) < 0)
			return ERR("+subnet=%s: bad prefix length", val);
	}
	q->ecs_prefix = (uint8_t)len;
	return 0;
}

static int f_tls(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val, (void)err, (void)cap;
	q->tls = on;
	return 0;
}

static int f_tls_ca(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	q->tls_verify = on;
	if (on)
		q->tls = true;
	q->tls_ca[0] = '\0';
	if (on && val != NULL)
		return copy_str(q->tls_ca, sizeof(q->tls_ca), val, "tls-ca", err, cap);
	return 0;
}

static int f_tls_hostname(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	q->tls_hostname[0] = '\0';
	if (!on)
		return 0;
	q->tls = true;
	return copy_str(q->tls_hostname, sizeof(q->tls_hostname), val, "tls-hostname", err, cap);
}

static int f_tls_cert(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	q->tls_cert[0] = '\0';
	if (!on)
		return 0;
	q->tls = true;
	return copy_str(q->tls_cert, sizeof(q->tls_cert), val, "tls-certfile", err, cap);
}

static int f_tls_key(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	q->tls_key[0] = '\0';
	if (!on)
		return 0;
	q->tls = true;
	return copy_str(q->tls_key, sizeof(q->tls_key), val, "tls-keyfile", err, cap);
}

static int f_roothints(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	q->roothints[0] = '\0';
	if (!on)
		return 0;
	return copy_str(q->roothints, sizeof(q->roothints), val, "roothints", err, cap);
}

static int f_trace_port(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	uint64_t v;
	q->trace_port = 0;
	if (!on)
		return 0;
	if (get_uint(val, "trace-port", 1, 65535, &v, err, cap) < 0)
		return -1;
	q->trace_port = (uint16_t)v;
	return 0;
}

static int f_trace(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val, (void)err, (void)cap;
	q->trace = on;
	/* as dig: the queries of a trace look like a resolver's, DO set
	 * (a later +nodnssec still clears it) */
	if (on) {
		q->rd = false;
		q->dnssec = true;
	}
	return 0;
}

static int f_idnin(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val;
	if (on && !idn_available())
		return ERR("IDN conversion is not built in (zdig was built without libidn2)");
	q->idnin = on;
	return 0;
}

static int f_idnout(query_t *q, bool on, const char *val, char *err, size_t cap)
{
	(void)val;
	if (on && !idn_available())
		return ERR("IDN conversion is not built in (zdig was built without libidn2)");
	q->d.idnout = on;
	return 0;
}

#define B(n, field, h)                                                                             \
	{                                                                                          \
		n, offsetof(query_t, field), NULL, h, false                                        \
	}
#define F(n, fn, h)                                                                                \
	{                                                                                          \
		n, 0, fn, h, false                                                                 \
	}
#define G(n, field, h)                                                                             \
	{                                                                                          \
		n, offsetof(query_t, field), NULL, h, true                                         \
	}

static const plus_opt_t plus_opts[] = {
    B("aaflag", aa, "set AA in the query"),
    B("aaonly", aa, "same as +aaflag"),
    B("additional", d.additional, "show the additional section"),
    B("adflag", ad, "set AD in the query (default on)"),
    F("all", f_all, "set or clear every display flag"),
    B("answer", d.answer, "show the answer section"),
    B("authority", d.authority, "show the authority section"),
    F("bufsize", f_bufsize, "=N: EDNS UDP payload size (default 1232)"),
    B("cdflag", cd, "set CD in the query"),
    B("class", d.classid, "show the class of records"),
    G("cmd", d.cmd, "print the banner with the command line"),
    G("color", d.color, "colours (default: on a terminal)"),
    B("comments", d.comments, "show comment lines: header, flags, OPT, section names"),
    F("cookie", f_cookie, "[=HEX]: send an EDNS COOKIE (default on)"),
    B("crypto", d.crypto, "show key and signature data (+nocrypto: [omitted])"),
    B("dnssec", dnssec, "set the DO bit (RFC 3225)"),
    F("edns", f_edns, "[=N]: send EDNS version N (default 0)"),
    B("expire", expire, "send the EDNS EXPIRE option (RFC 7314)"),
    B("fail-rcode", fail_rcode, "exit 12 when the rcode is not NOERROR"),
    B("header-only", header_only, "send a query with no question"),
    G("identify", d.identify, "+short: name the server after each answer"),
    F("idnin", f_idnin, "names given in Unicode sent as xn-- (default on; libidn2)"),
    F("idnout", f_idnout, "xn-- names printed in Unicode (default: on a terminal)"),
    B("ignore", ignore, "do not retry over TCP when the reply is truncated"),
    G("json", d.json, "print each reply as JSON (RFC 8427 shape)"),
    B("keepalive", keepalive, "send EDNS TCP keepalive (RFC 7828)"),
    B("multiline", d.multiline, "long records over several lines, with comments"),
    F("ndots", f_ndots, "=N: dots before the name is tried as is first (+search)"),
    B("nsid", nsid, "ask for the server's NSID (RFC 5001)"),
    B("nssearch", nssearch, "SOA serial from every authoritative server of the zone"),
    F("opcode", f_opcode, "=OP: the opcode (QUERY, NOTIFY, ... or 0..15)"),
    F("padding", f_padding, "[=N]: pad the query to a multiple of N (RFC 7830)"),
    F("parallel", f_parallel, "=N: batch: queries in flight (default 32)"),
    B("qr", d.qr, "print the query as sent"),
    B("question", d.question, "show the question section"),
    B("rdflag", rd, "set RD in the query (default on)"),
    B("recurse", rd, "same as +rdflag"),
    F("retry", f_retry, "=N: UDP retries (tries - 1)"),
    F("roothints", f_roothints, "=FILE: root hints for +trace"),
    F("rrcomments", f_rrcomments, "per-record comments (default: with +multiline)"),
    B("search", search, "use the search list of resolv.conf"),
    B("shell", shell, "interactive shell on a terminal without arguments"),
    {"short", 0, f_short, "print only the answer data", true},
    B("stats", d.stats, "show the Query time, SERVER, WHEN and MSG SIZE lines"),
    F("subnet", f_subnet, "=ADDR/LEN: EDNS client subnet (RFC 7871)"),
    B("tcp", tcp, "use TCP"),
    F("timeout", f_timeout, "=SEC: wait per try (default 5)"),
    F("tls", f_tls, "DNS over TLS (RFC 7858), port 853"),
    F("tls-ca", f_tls_ca, "[=FILE]: verify the server's certificate (FILE: trust anchors)"),
    F("tls-certfile", f_tls_cert, "=FILE: client certificate"),
    F("tls-hostname", f_tls_hostname, "=NAME: the name the certificate must carry"),
    F("tls-keyfile", f_tls_key, "=FILE: client key"),
    F("trace", f_trace, "iterative resolution from the root, each referral printed"),
    F("trace-port", f_trace_port, "=N: port of every server during +trace"),
    F("tries", f_tries, "=N: UDP tries (default 3)"),
    B("ttlid", d.ttlid, "show the TTL of records"),
    B("ttlunits", d.ttlunits, "TTLs in units (1h2m3s)"),
    B("vc", tcp, "same as +tcp"),
    B("zflag", zflag, "set the Z bit in the query"),
};

#define N_PLUS (sizeof(plus_opts) / sizeof(plus_opts[0]))

const char *params_plus_name(size_t i)
{
	return i < N_PLUS ? plus_opts[i].name : NULL;
}

/* dig's short forms that are not prefixes of one name: +aa, +ad, +cd,
 * +rd (each a prefix of two) and +fail. */
static const struct {
	const char *alias, *name;
} aliases[] = {
    {"aa", "aaflag"}, {"ad", "adflag"}, {"cd", "cdflag"}, {"rd", "rdflag"}, {"fail", "fail-rcode"}};

/* The row for arg, through zk_plusopt_find (exact name, unique prefix,
 * +no forms). NULL with the message in err. */
static const plus_opt_t *plus_lookup(const char *arg, bool *on, const char **val, char *err,
                                     size_t cap)
{
	const char *s = arg[0] == '+' ? arg + 1 : arg;
	size_t len = strcspn(s, "=");
	char buf[64];
	zk_plusopt_hit_t hit;
	zk_errctx_t ec;

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		for (int no = 0; no < 2; no++) {
			const char *a = aliases[i].alias;
			size_t al = strlen(a);
			if (len != al + (no ? 2 : 0) || (no && strncmp(s, "no", 2) != 0) ||
			    strncmp(s + (no ? 2 : 0), a, al) != 0)
				continue;
			snprintf(buf, sizeof(buf), "+%s%s%s", no ? "no" : "", aliases[i].name,
			         s + len);
			arg = buf;
		}
	}
	zk_errctx_init(&ec);
	if (zk_plusopt_find(arg, plus_opts, N_PLUS, sizeof(plus_opt_t), offsetof(plus_opt_t, name),
	                    &hit, &ec) < 0) {
		/* the message names what the user typed */
		if (ec.code == ZK_ENOENT)
			snprintf(err, cap, "unknown option: %s", arg);
		else
			snprintf(err, cap, "%s", ec.msg);
		return NULL;
	}
	*on = hit.on;
	*val = hit.value;
	return &plus_opts[hit.index];
}

static bool plus_global(const char *arg)
{
	char err[256];
	bool on;
	const char *val;
	const plus_opt_t *o = plus_lookup(arg, &on, &val, err, sizeof(err));
	return o != NULL && o->global;
}

int params_plus(const params_t *p, query_t *q, const char *arg, char *err, size_t cap)
{
	const char *val;
	bool on;
	const plus_opt_t *o;

	(void)p;
	o = plus_lookup(arg, &on, &val, err, cap);
	if (o == NULL)
		return -1;
	if (o->fn != NULL)
		return o->fn(q, on, val, err, cap);
	if (val != NULL)
		return ERR("+%s takes no value", o->name);
	*(bool *)((char *)q + o->off) = on;
	return 0;
}

void params_usage(const char *prog, bool full)
{
	FILE *f = full ? stdout : stderr;

	fprintf(f,
	        "usage: %s [@server[#port]] [-p port] [-4|-6] [-b addr[#port]] [-t type]\n"
	        "            [-c class] [-q name] [-x addr] [-k keyfile] [-y [alg:]name:secret]\n"
	        "            [-f batchfile] [-i] [name] [type] [class] [+[no]option ...]\n"
	        "       %s --read FILE [+[no]option ...]\n",
	        prog, prog);
	if (!full) {
		fprintf(f, "Try '%s -h' for more information.\n", prog);
		return;
	}
	fprintf(f, "\nAsk a DNS server and print the reply as dig does. Several lookups may\n"
	           "be given; options before the first name apply to all of them.\n\n"
	           "  @server[#port]  server address or host name (default: resolv.conf)\n"
	           "  -p PORT         server port (53; 853 with +tls)\n"
	           "  -4, -6          IPv4 or IPv6 only\n"
	           "  -b ADDR[#PORT]  source address\n"
	           "  -t TYPE, -c CLASS, -q NAME   the question\n"
	           "  -x ADDR         reverse lookup (PTR)\n"
	           "  -k FILE         TSIG key file (key {} block or K*.private)\n"
	           "  -y [ALG:]NAME:SECRET   TSIG key (default hmac-sha256)\n"
	           "  -g, --gsstsig   sign with GSS-TSIG (Kerberos; kinit first), over TCP\n"
	           "  --oldgsstsig    GSS-TSIG, the Windows 2000 variant (gss.microsoft.com)\n"
	           "  --keytab FILE --principal P  GSS-TSIG credentials from a client keytab\n"
	           "  --realm REALM   realm of the service principal DNS/<server>\n"
	           "  --gss-server-name NAME  the server's FQDN for DNS/<NAME> (default: the\n"
	           "                  @server host name, else the SOA MNAME for the name)\n"
	           "  -f FILE         batch: one lookup per line, sent concurrently\n"
	           "  -i              interactive shell\n"
	           "  -r              do not read ~/.zdigrc\n"
	           "  --read FILE     print a saved message (wire or hex) instead\n"
	           "  -h, --help      this help\n"
	           "  -V, --version   print the version\n\n"
	           "Options (+name or +noname, any unique prefix):\n");
	for (size_t i = 0; i < N_PLUS; i++)
		fprintf(f, "  +[no]%-13s %s\n", plus_opts[i].name, plus_opts[i].help);
	fprintf(f, "\nExit status: 0 a reply (any rcode), 1 usage error, 8 batch or --read file\n"
	           "unreadable, 9 no reply, 10 malformed message (reply or --read) or internal\n"
	           "error, 11 TSIG or GSS-TSIG failed, 12 rcode not NOERROR with +fail-rcode.\n");
}

/* Colour by default on a terminal only, and not when NO_COLOR is set to
 * a non-empty value (https://no-color.org): it turns off the default,
 * while an explicit +color still wins. */
static bool color_default(void)
{
	const char *no = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (no == NULL || no[0] == '\0');
}

static void defaults(query_t *q)
{
	memset(q, 0, sizeof(*q));
	q->qtype = 1; /* A */
	q->qclass = ZK_CLASS_IN;
	q->family = AF_UNSPEC;
	q->tries = 3;
	q->timeout_s = 5;
	q->rd = true;
	q->ad = true;
	q->edns = true;
	q->bufsize = 1232;
	q->cookie = true;
	q->ndots = -1;
	q->idnin = idn_available();
	q->parallel = 32;
	q->d = (display_t){.color = color_default(),
	                   .idnout = idn_available() && isatty(STDOUT_FILENO),
	                   .comments = true,
	                   .question = true,
	                   .answer = true,
	                   .authority = true,
	                   .additional = true,
	                   .ttlid = true,
	                   .classid = true,
	                   .crypto = true,
	                   .stats = true,
	                   .cmd = true,
	                   .rrcomments = -1};
}

/* "192.0.2.1" → "1.2.0.192.in-addr.arpa."; IPv6 → nibbles in ip6.arpa.
 * (RFC 1035 §3.5, RFC 3596 §2.5). */
static int reverse_name(const char *addr, char *out, size_t cap)
{
	uint8_t a[16];
	size_t k = 0;

	if (inet_pton(AF_INET, addr, a) == 1) {
		snprintf(out, cap, "%u.%u.%u.%u.in-addr.arpa.", a[3], a[2], a[1], a[0]);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, a) != 1 || cap < 73)
		return -1;
	for (int i = 15; i >= 0; i--) {
		static const char hex[] = "0123456789abcdef";
		out[k++] = hex[a[i] & 15];
		out[k++] = '.';
		out[k++] = hex[a[i] >> 4];
		out[k++] = '.';
	}
	strcpy(out + k, "ip6.arpa.");
	return 0;
}

/* The state of one parse: the current lookup and where they go. */
typedef struct parser {
	const params_t *p;
	query_t glob; /* options before the first name */
	query_t cur;
	bool started; /* cur has a name (or -x, -q) */
	bool typed;   /* cur's type came from a positional or -t */
	bool classed;
	query_t **out;
	size_t *n, *cap;
	size_t first; /* lookups of this parse start here in *out */
	char *err;
	size_t errcap;
} parser_t;

static void push(parser_t *ps)
{
	if (*ps->n == *ps->cap) {
		*ps->cap = *ps->cap ? *ps->cap * 2 : 4;
		*ps->out = zk_xrealloc(*ps->out, *ps->cap * sizeof(query_t));
	}
	(*ps->out)[(*ps->n)++] = ps->cur;
}

/* A new lookup starts when a second name arrives. */
static void set_name(parser_t *ps, const char *name)
{
	if (ps->started) {
		push(ps);
		ps->cur = ps->glob;
		ps->typed = ps->glob.type_set;
		ps->classed = ps->glob.class_set;
	}
	snprintf(ps->cur.name, sizeof(ps->cur.name), "%s", name);
	ps->cur.have_name = true;
	ps->started = true;
}

/* Apply a setting to the current lookup, and to the global defaults as
 * long as no name was given. */
#define BOTH(ps, stmt)                                                                             \
	do {                                                                                       \
		query_t *q_ = &(ps)->cur;                                                          \
		stmt;                                                                              \
		if (!(ps)->started) {                                                              \
			q_ = &(ps)->glob;                                                          \
			stmt;                                                                      \
		}                                                                                  \
	} while (0)

static int perr(parser_t *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(parser_t *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errcap, fmt, ap);
	va_end(ap);
	return -1;
}

/* -g, --gsstsig, --oldgsstsig: GSS-TSIG (RFC 3645), as nsupdate's -g and
 * -o. A build without GSS-API says so at once. */
static int gss_flag(parser_t *ps, const char *a)
{
	bool win = strcmp(a, "--oldgsstsig") == 0;

	if (!zk_gss_available())
		return perr(ps, "%s: GSS-TSIG unavailable: %s", a, ZK_GSS_BUILT_OUT);
	BOTH(ps, (q_->gss = true, q_->gss_windows = win));
	return 0;
}

/* The GSS-TSIG long options (zupdate's and zxfr's names). Returns 0 when
 * taken, -1 on error, 1 when not one of them. */
static int gss_long(parser_t *ps, int argc, char **argv, int *i)
{
	static const char *const names[] = {"--keytab", "--principal", "--realm",
	                                    "--gss-server-name"};
	const char *a = argv[*i], *v = NULL;
	size_t cap, k;
	char *dst;

	if (strcmp(a, "--gsstsig") == 0 || strcmp(a, "--oldgsstsig") == 0)
		return gss_flag(ps, a);
	for (k = 0; k < 4; k++) {
		size_t n = strlen(names[k]);
		if (strncmp(a, names[k], n) == 0 && a[n] == '=') {
			v = a + n + 1;
			break;
		}
		if (strcmp(a, names[k]) == 0) {
			if (*i + 1 >= argc)
				return perr(ps, "%s needs an argument", a);
			v = argv[++*i];
			break;
		}
	}
	if (k == 4)
		return 1;
	dst = k == 0   ? ps->cur.gss_keytab
	      : k == 1 ? ps->cur.gss_principal
	      : k == 2 ? ps->cur.gss_realm
	               : ps->cur.gss_server;
	cap = k == 0   ? sizeof(ps->cur.gss_keytab)
	      : k == 1 ? sizeof(ps->cur.gss_principal)
	      : k == 2 ? sizeof(ps->cur.gss_realm)
	               : sizeof(ps->cur.gss_server);
	if (v[0] == '\0' || strlen(v) >= cap)
		return perr(ps, "bad %s: %s", names[k], v);
	/* the same field of both copies: offsets into query_t */
	{
		size_t off = (size_t)(dst - (char *)&ps->cur);
		BOTH(ps, snprintf((char *)q_ + off, cap, "%s", v));
	}
	return 0;
}

/* A lookup's GSS-TSIG settings that cannot go together. */
static int gss_check(const query_t *q, char *err, size_t cap)
{
	if (q->gss && q->have_key)
		snprintf(err, cap, "-g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other");
	else if (!q->gss &&
	         (q->gss_keytab[0] || q->gss_principal[0] || q->gss_realm[0] || q->gss_server[0]))
		snprintf(err, cap,
		         "--keytab, --principal, --realm and --gss-server-name are for -g");
	else if (q->gss_keytab[0] && !q->gss_principal[0])
		snprintf(err, cap, "--keytab needs --principal (the client principal in it)");
	else
		return 0;
	return -1;
}

/* One argument (and maybe its value, *i advanced). Returns 0, -1 on error,
 * or 1 when the argument is not ours (the caller's: --read, -f, -h). */
static int parse_arg(parser_t *ps, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *v = NULL;
	zk_errctx_t ec;
	uint16_t u16;

	zk_errctx_init(&ec);
	if (a[0] == '@') {
		zk_opt_server_t srv;
		if (zk_opt_server_parse(&srv, a, &ec) < 0)
			return perr(ps, "bad server: %s", a);
		if (strlen(a + 1) >= sizeof(ps->cur.server))
			return perr(ps, "bad server: %s", a);
		BOTH(ps, (strcpy(q_->server, a + 1), q_->have_server = true));
		return 0;
	}
	if (a[0] == '+') {
		if (params_plus(ps->p, &ps->cur, a, ps->err, ps->errcap) < 0)
			return -1;
		if (!ps->started || plus_global(a))
			(void)params_plus(ps->p, &ps->glob, a, ps->err, ps->errcap);
		if (plus_global(a))
			for (size_t k = ps->first; k < *ps->n; k++)
				(void)params_plus(ps->p, &(*ps->out)[k], a, ps->err, ps->errcap);
		return 0;
	}
	if (a[0] == '-' && a[1] != '\0' && a[1] != '-') {
		char c = a[1];
		if (strchr("46ir", c) != NULL && a[2] == '\0') {
			if (c == '4')
				BOTH(ps, q_->family = AF_INET);
			else if (c == '6')
				BOTH(ps, q_->family = AF_INET6);
			return c == 'i' ? 1 : 0;
		}
		if (c == 'f')
			return 1; /* the caller's: -f FILE */
		if (c == 'g' && a[2] == '\0')
			return gss_flag(ps, a);
		if (strchr("ptcqxbky", c) == NULL)
			return c == 'h' || c == 'V' ? 1 : perr(ps, "unknown option: %s", a);
		if (a[2] != '\0')
			v = a + 2;
		else if (*i + 1 < argc)
			v = argv[++*i];
		else
			return perr(ps, "%s needs an argument", a);
		switch (c) {
		case 'p':
			if (zk_opt_port_parse(v, &u16, &ec) < 0)
				return perr(ps, "bad port: %s", v);
			BOTH(ps, q_->port = u16);
			return 0;
		case 't':
			if (zk_rrtype_from_text(v, strlen(v), &u16) < 0)
				return perr(ps, "unknown type: %s", v);
			BOTH(ps, (q_->qtype = u16, q_->type_set = true));
			ps->typed = true;
			return 0;
		case 'c':
			if (zk_rrclass_from_text(v, strlen(v), &u16) < 0)
				return perr(ps, "unknown class: %s", v);
			BOTH(ps, (q_->qclass = u16, q_->class_set = true));
			ps->classed = true;
			return 0;
		case 'q': set_name(ps, v); return 0;
		case 'x': {
			char rev[80];
			if (reverse_name(v, rev, sizeof(rev)) < 0)
				return perr(ps, "-x needs an IPv4 or IPv6 address: %s", v);
			set_name(ps, rev);
			if (!ps->typed)
				ps->cur.qtype = ZK_TYPE_PTR;
			ps->cur.type_set = true;
			return 0;
		}
		case 'b':
			if (strlen(v) >= sizeof(ps->cur.source))
				return perr(ps, "bad source address: %s", v);
			BOTH(ps, (strcpy(q_->source, v), q_->have_source = true));
			return 0;
		case 'k':
		case 'y': {
			zk_tsig_key_t k;
			int rc =
			    c == 'k' ? zk_opt_key_file(&k, v, &ec) : zk_opt_key_string(&k, v, &ec);
			if (rc < 0) {
				char m[400];
				zk_errctx_format(&ec, m, sizeof(m));
				snprintf(ps->err, ps->errcap, "-%c: %s", c, m);
				return -1;
			}
			BOTH(ps, (q_->key = k, q_->have_key = true));
			return 0;
		}
		}
		return perr(ps, "unknown option: %s", a);
	}
	if (a[0] == '-' && a[1] == '-') {
		int rc = gss_long(ps, argc, argv, i);
		if (rc <= 0)
			return rc;
		return 1;
	}
	/* A positional: type, class or name. */
	if (!ps->typed && zk_rrtype_from_text(a, strlen(a), &u16) == 0) {
		ps->cur.qtype = u16;
		ps->cur.type_set = ps->typed = true;
		return 0;
	}
	if (!ps->classed && zk_rrclass_from_text(a, strlen(a), &u16) == 0) {
		ps->cur.qclass = u16;
		ps->cur.class_set = ps->classed = true;
		return 0;
	}
	set_name(ps, a);
	return 0;
}

static void finish_types(query_t *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!q[i].type_set && !q[i].have_name)
			q[i].qtype = ZK_TYPE_NS; /* dig: no name is ". NS" */
}

int params_parse_line(const params_t *p, const query_t *base, char *line, query_t **out, size_t *n,
                      size_t *cap, char *err, size_t errcap)
{
	char *argv[256];
	int argc = 0;
	parser_t ps = {.p = p, .out = out, .n = n, .cap = cap, .err = err, .errcap = errcap};
	size_t before = *n;

	for (char *t = strtok(line, " \t\r\n"); t != NULL && argc < 255;
	     t = strtok(NULL, " \t\r\n"))
		argv[argc++] = t;
	ps.glob = *base;
	ps.cur = *base;
	ps.first = before;
	for (int i = 0; i < argc; i++) {
		int rc = parse_arg(&ps, argc, argv, &i);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			snprintf(err, errcap, "not allowed here: %s", argv[i]);
			return -1;
		}
	}
	if (ps.started || argc > 0)
		push(&ps);
	finish_types(*out + before, *n - before);
	for (size_t k = before; k < *n; k++)
		if (gss_check(&(*out)[k], err, errcap) < 0)
			return -1;
	return 0;
}

/* ~/.zdigrc: options and settings, as dig's .digrc, applied before the
 * command line. Returns a malloc()ed copy of its text or NULL. */
static char *read_rc(void)
{
	const char *env = getenv("ZDIGRC");
	const char *home = getenv("HOME");
	char path[1024];
	FILE *f;
	char *buf;
	size_t n;

	if (env != NULL)
		snprintf(path, sizeof(path), "%s", env);
	else if (home != NULL)
		snprintf(path, sizeof(path), "%s/.zdigrc", home);
	else
		return NULL;
	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	buf = zk_xmalloc(65536);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

void params_free(params_t *p)
{
	free(p->q);
	p->q = NULL;
	p->nq = p->capq = 0;
}

int params_parse(params_t *p, int argc, char **argv, int *code)
{
	const char *prog = argc > 0 && argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	char err[512];
	char *rc_text = NULL;
	char *rcv[128];
	int rcc = 0;
	bool no_rc = false;
	parser_t ps;

	prog = prog != NULL ? prog + 1 : (argc > 0 && argv[0] != NULL ? argv[0] : "zdig");
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	zk_xmalloc_progname(prog);
	defaults(&p->glob);
	*code = EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		size_t k = strlen(p->cmdline);
		snprintf(p->cmdline + k, sizeof(p->cmdline) - k, "%s%s", k ? " " : "", argv[i]);
		if (strcmp(argv[i], "-r") == 0)
			no_rc = true;
	}
	if (!no_rc && (rc_text = read_rc()) != NULL) {
		/* blank out comment lines (# or ;), then split into words */
		for (char *l = rc_text; *l != '\0';) {
			char *e = l + strcspn(l, "\n");
			char *w = l + strspn(l, " \t");
			if (*w == '#' || *w == ';')
				memset(l, ' ', (size_t)(e - l));
			l = *e ? e + 1 : e;
		}
		for (char *t = strtok(rc_text, " \t\r\n"); t != NULL && rcc < 127;
		     t = strtok(NULL, " \t\r\n"))
			rcv[rcc++] = t;
	}

	memset(&ps, 0, sizeof(ps));
	ps.p = p;
	ps.out = &p->q;
	ps.n = &p->nq;
	ps.cap = &p->capq;
	ps.err = err;
	ps.errcap = sizeof(err);
	ps.glob = p->glob;
	ps.cur = p->glob;
	for (int pass = 0; pass < 2; pass++) {
		int n = pass == 0 ? rcc : argc;
		char **v = pass == 0 ? rcv : argv;
		for (int i = pass == 0 ? 0 : 1; i < n; i++) {
			const char *a = v[i];
			int rc = parse_arg(&ps, n, v, &i);
			if (rc == 0)
				continue;
			if (rc < 0) {
				fprintf(stderr, "%s: %s%s\n", prog, err,
				        pass == 0 ? " (in .zdigrc)" : "");
				goto usage;
			}
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				params_usage(prog, true);
				*code = EXIT_OK;
				goto stop;
			}
			if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
				printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
				*code = EXIT_OK;
				goto stop;
			}
			if (strcmp(a, "-i") == 0) {
				p->interactive = true;
			} else if (strcmp(a, "--read") == 0 || strcmp(a, "-f") == 0) {
				if (i + 1 >= n) {
					fprintf(stderr, "%s: %s needs a FILE argument\n", prog, a);
					goto usage;
				}
				if (a[1] == 'f')
					p->batch_file = v[++i];
				else
					p->read_file = v[++i];
			} else if (strncmp(a, "--read=", 7) == 0) {
				p->read_file = a + 7;
			} else if (strncmp(a, "-f", 2) == 0) {
				p->batch_file = a + 2;
			} else {
				fprintf(stderr, "%s: unknown option: %s\n", prog, a);
				goto usage;
			}
		}
		if (pass == 0) {
			/* .zdigrc settings are global */
			ps.glob = ps.cur;
		}
	}
	p->glob = ps.glob;
	/* +shell (from .zdigrc): no arguments on a terminal opens the shell */
	if (argc <= 1 && p->glob.shell && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		p->interactive = true;
	if (ps.started || (p->nq == 0 && p->batch_file == NULL && !p->interactive))
		push(&ps);
	finish_types(p->q, p->nq);
	for (size_t k = 0; k <= p->nq; k++)
		if (gss_check(k < p->nq ? &p->q[k] : &p->glob, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s\n", prog, err);
			goto usage;
		}
	free(rc_text);
	*code = EXIT_OK;
	return 0;
usage:
	params_usage(prog, false);
stop:
	free(rc_text);
	params_free(p);
	return 1;
}

void params_style(const display_t *d, zk_style_t *s)
{
	zk_style_dig(s);
	s->comments = d->comments;
	s->header = d->comments;
	s->opt = d->comments;
	s->question = d->question;
	s->answer = d->answer;
	s->authority = d->authority;
	s->additional = d->additional;
	s->short_form = d->short_form;
	s->multiline = d->multiline;
	s->rrcomments = d->rrcomments < 0 ? d->multiline : d->rrcomments != 0;
	s->ttlid = d->ttlid;
	s->ttlunits = d->ttlunits;
	s->classid = d->classid;
	s->nocrypto = !d->crypto;
	/* JSON is for programs: never an escape in it */
	s->color = d->color && !d->json;
}
