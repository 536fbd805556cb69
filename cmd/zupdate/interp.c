/* zupdate — the command language (nsupdate's, plus knsupdate's `origin`),
 * read from a file or standard input; interactive with libedit on a TTY
 * (prompt, history in ~/.zupdate_history, completion of commands, types
 * and classes).
 *
 * Nothing is lost: a syntax error in a batch stops the run before the
 * pending update is sent, and says so. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h>

#include "rdata.h"
#include "rrtype.h"
#include "zupdate.h"

#define MAXTOK 512

void say(const session_t *s, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", s->p->prog);
	if (!s->interactive && s->line > 0)
		fprintf(stderr, "%s:%u: ", s->src, s->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void dbg(const session_t *s, int level, const char *fmt, ...)
{
	va_list ap;

	if (s->debug < level)
		return;
	fputs(";; ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

typedef struct cmdline {
	zk_token_t t[MAXTOK];
	size_t n;
} cmdline_t;

static bool tok_is(const zk_token_t *t, const char *w)
{
	return !t->quoted && strlen(w) == t->n && strncasecmp(t->s, w, t->n) == 0;
}

static int syntax(session_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int syntax(session_t *s, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say(s, "%s", msg);
	return EXIT_USAGE;
}

static int name_arg(session_t *s, const zk_token_t *t, zk_name_t *out)
{
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_name_from_text(out, t->s, t->n, &s->origin, &ec) < 0)
		return syntax(s, "bad name '%.*s': %s", (int)t->n, t->s,
		              ec.msg[0] ? ec.msg : zk_strerror(ec.code));
	return 0;
}

static bool is_number(const zk_token_t *t)
{
	if (t->n == 0 || t->quoted)
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (!isdigit((unsigned char)t->s[i]))
			return false;
	return true;
}

/* A TTL: seconds or units (1h30m). */
static bool ttl_arg(const zk_token_t *t, uint32_t *ttl)
{
	char buf[64];
	uint64_t v;

	if (t->quoted || t->n == 0 || t->n >= sizeof(buf) || !isdigit((unsigned char)t->s[0]))
		return false;
	memcpy(buf, t->s, t->n);
	buf[t->n] = '\0';
	if (zk_opt_duration_parse(buf, &v, NULL) < 0 || v > 0x7fffffffu)
		return false;
	*ttl = (uint32_t)v;
	return true;
}

static bool class_arg(const zk_token_t *t, uint16_t *c)
{
	return !t->quoted && zk_rrclass_from_text(t->s, t->n, c) == 0;
}

static bool type_arg(const zk_token_t *t, uint16_t *type)
{
	return !t->quoted && zk_rrtype_from_text(t->s, t->n, type) == 0;
}

/* Record data from tokens [i, n). */
static int rdata_arg(session_t *s, uint16_t type, const cmdline_t *c, size_t i, uint8_t *rd,
                     size_t *rdlen)
{
	zk_errctx_t ec;
	char tb[16];

	zk_errctx_init(&ec);
	if (zk_rdata_from_text(type, c->t + i, c->n - i, &s->origin, rd, ZK_RDATA_MAXLEN, rdlen,
	                       &ec) < 0) {
		zk_rrtype_to_text(type, tb, sizeof(tb));
		return syntax(s, "bad %s data: %s", tb, ec.msg[0] ? ec.msg : zk_strerror(ec.code));
	}
	return 0;
}

/* The class named in a record must be the zone's (nsupdate: "class
 * mismatch"). */
static int check_class(session_t *s, uint16_t rclass)
{
	char a[16], b[16];

	if (rclass == s->upd.rclass)
		return 0;
	zk_rrclass_to_text(rclass, a, sizeof(a));
	zk_rrclass_to_text(s->upd.rclass, b, sizeof(b));
	return syntax(s, "class mismatch: %s (the update's class is %s; use `class %s` first)", a,
	              b, a);
}

static int core_err(session_t *s, const zk_errctx_t *ec)
{
	return syntax(s, "%s", ec->msg[0] ? ec->msg : zk_strerror(ec->code));
}

/* prereq nxdomain|yxdomain NAME
 * prereq nxrrset NAME [CLASS] TYPE
 * prereq yxrrset NAME [CLASS] TYPE [DATA...] */
static int cmd_prereq(session_t *s, const cmdline_t *c, size_t i)
{
	static uint8_t rd[ZK_RDATA_MAXLEN];
	zk_prereq_t kind;
	zk_name_t owner;
	uint16_t type = 0, rclass;
	size_t rdlen = 0;
	zk_errctx_t ec;
	int rc;

	if (i >= c->n)
		return syntax(s, "prereq: want nxdomain, yxdomain, nxrrset or yxrrset");
	if (tok_is(&c->t[i], "nxdomain"))
		kind = ZK_PREREQ_NXDOMAIN;
	else if (tok_is(&c->t[i], "yxdomain"))
		kind = ZK_PREREQ_YXDOMAIN;
	else if (tok_is(&c->t[i], "nxrrset"))
		kind = ZK_PREREQ_NXRRSET;
	else if (tok_is(&c->t[i], "yxrrset"))
		kind = ZK_PREREQ_YXRRSET;
	else
		return syntax(s,
		              "prereq: unknown kind '%.*s' (nxdomain, yxdomain, nxrrset, yxrrset)",
		              (int)c->t[i].n, c->t[i].s);
	if (++i >= c->n)
		return syntax(s, "prereq: a name is needed");
	if ((rc = name_arg(s, &c->t[i++], &owner)) != 0)
		return rc;
	if (kind == ZK_PREREQ_NXDOMAIN || kind == ZK_PREREQ_YXDOMAIN) {
		if (i < c->n)
			return syntax(s, "prereq: extra text after the name: '%.*s'",
			              (int)c->t[i].n, c->t[i].s);
	} else {
		if (i < c->n && class_arg(&c->t[i], &rclass) && !type_arg(&c->t[i], &type)) {
			if ((rc = check_class(s, rclass)) != 0)
				return rc;
			i++;
		}
		if (i >= c->n || !type_arg(&c->t[i], &type))
			return syntax(s, "prereq: a type is needed");
		i++;
		if (i < c->n) {
			if (kind != ZK_PREREQ_YXRRSET)
				return syntax(s, "prereq nxrrset takes no record data");
			if ((rc = rdata_arg(s, type, c, i, rd, &rdlen)) != 0)
				return rc;
		}
	}
	zk_errctx_init(&ec);
	if (zk_update_prereq(&s->upd, kind, &owner, type, rd, rdlen, i < c->n, &ec) < 0)
		return core_err(s, &ec);
	return 0;
}

/* update add NAME TTL [CLASS] TYPE DATA...
 * update delete NAME [TTL] [CLASS] [TYPE [DATA...]] */
static int cmd_update(session_t *s, const cmdline_t *c, size_t i, bool add)
{
	static uint8_t rd[ZK_RDATA_MAXLEN];
	zk_name_t owner;
	uint32_t ttl = 0;
	uint16_t type = ZK_TYPE_ANY, rclass;
	size_t rdlen = 0;
	bool has_ttl = false, has_type = false;
	zk_errctx_t ec;
	int rc;

	if (i >= c->n)
		return syntax(s, "%s: a name is needed", add ? "add" : "delete");
	if ((rc = name_arg(s, &c->t[i++], &owner)) != 0)
		return rc;
	if (i < c->n && is_number(&c->t[i]) && ttl_arg(&c->t[i], &ttl)) {
		has_ttl = true;
		i++;
	} else if (i < c->n && ttl_arg(&c->t[i], &ttl) && !type_arg(&c->t[i], &type)) {
		has_ttl = true;
		i++;
	}
	if (i < c->n && class_arg(&c->t[i], &rclass) && !type_arg(&c->t[i], &type)) {
		if ((rc = check_class(s, rclass)) != 0)
			return rc;
		i++;
	}
	if (i < c->n) {
		if (!type_arg(&c->t[i], &type))
			return syntax(s, "unknown type '%.*s'", (int)c->t[i].n, c->t[i].s);
		has_type = true;
		i++;
	}
	zk_errctx_init(&ec);
	if (add) {
		if (!has_type)
			return syntax(s, "add: a type and record data are needed");
		if (!has_ttl) {
			if (!s->has_ttl)
				return syntax(s, "add: a TTL is needed (or set one with `ttl`)");
			ttl = s->ttl;
		}
		if (i >= c->n)
			return syntax(s, "add: record data is needed");
		if ((rc = rdata_arg(s, type, c, i, rd, &rdlen)) != 0)
			return rc;
		if (zk_update_add(&s->upd, &owner, type, ttl, rd, rdlen, &ec) < 0)
			return core_err(s, &ec);
		return 0;
	}
	if (i < c->n) {
		if ((rc = rdata_arg(s, type, c, i, rd, &rdlen)) != 0)
			return rc;
	}
	if (zk_update_delete(&s->upd, &owner, type, rd, rdlen, i < c->n, &ec) < 0)
		return core_err(s, &ec);
	return 0;
}

static int cmd_server(session_t *s, const cmdline_t *c, bool local)
{
	zk_opt_server_t sv;
	zk_errctx_t ec;
	char arg[ZK_OPT_HOSTMAX + 16];
	uint16_t port = 0;

	if (c->n < 2 || c->n > 3)
		return syntax(s, "%s: want an address [port]", local ? "local" : "server");
	if (c->t[1].n >= ZK_OPT_HOSTMAX)
		return syntax(s, "server name too long");
	zk_errctx_init(&ec);
	if (c->n == 3) {
		char pb[16];
		if (c->t[2].n >= sizeof(pb))
			return syntax(s, "bad port");
		memcpy(pb, c->t[2].s, c->t[2].n);
		pb[c->t[2].n] = '\0';
		if (zk_opt_port_parse(pb, &port, &ec) < 0)
			return syntax(s, "bad port '%s': %s", pb, ec.msg);
	}
	memcpy(arg, c->t[1].s, c->t[1].n);
	arg[c->t[1].n] = '\0';
	if (zk_opt_server_parse(&sv, arg, &ec) < 0)
		return syntax(s, "bad server '%s': %s", arg, ec.msg);
	if (port != 0) {
		sv.port = port;
		if (sv.is_addr)
			zk_net_addr_set_port(&sv.addr, port);
	}
	if (local) {
		if (!sv.is_addr)
			return syntax(s, "local: want an address, not a host name");
		s->local = sv.addr;
		s->has_local = true;
		return 0;
	}
	s->server = sv;
	s->has_server = true;
	return 0;
}

static int cmd_key(session_t *s, const cmdline_t *c)
{
	char buf[2048];
	int len;

	if (c->n != 3)
		return syntax(s, "key: want [alg:]name secret");
	len = snprintf(buf, sizeof(buf), "%.*s:%.*s", (int)c->t[1].n, c->t[1].s, (int)c->t[2].n,
	               c->t[2].s);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return syntax(s, "key: too long");
	if (keys_load_string(s, buf) < 0) {
		zk_crypto_cleanse(buf, sizeof(buf));
		return EXIT_USAGE;
	}
	zk_crypto_cleanse(buf, sizeof(buf));
	return 0;
}

static int one_name(session_t *s, const cmdline_t *c, const char *what, zk_name_t *out)
{
	if (c->n != 2)
		return syntax(s, "%s: want one name", what);
	return name_arg(s, &c->t[1], out);
}

int interp_line(session_t *s, char *line)
{
	static cmdline_t c;
	zk_errctx_t ec;
	size_t i = 1;
	int rc;

	zk_errctx_init(&ec);
	if (zk_text_tokenize(line, strlen(line), c.t, MAXTOK, &c.n, &ec) < 0)
		return syntax(s, "%s", ec.msg[0] ? ec.msg : zk_strerror(ec.code));
	if (c.n == 0) {
		/* nsupdate: a blank line sends, when there is something. */
		const char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n' || *p == '\r')
			return (zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd)) > 0
			           ? send_update(s)
			           : 0;
		return 0; /* a comment line */
	}
	const zk_token_t *w = &c.t[0];
	if (tok_is(w, "update")) {
		if (c.n < 2)
			return syntax(s, "update: want add or delete");
		if (tok_is(&c.t[1], "add"))
			return cmd_update(s, &c, 2, true);
		if (tok_is(&c.t[1], "delete") || tok_is(&c.t[1], "del"))
			return cmd_update(s, &c, 2, false);
		return syntax(s, "update: want add or delete, not '%.*s'", (int)c.t[1].n, c.t[1].s);
	}
	if (tok_is(w, "add"))
		return cmd_update(s, &c, 1, true);
	if (tok_is(w, "del") || tok_is(w, "delete"))
		return cmd_update(s, &c, 1, false);
	if (tok_is(w, "prereq"))
		return cmd_prereq(s, &c, 1);
	if (tok_is(w, "send"))
		return c.n == 1 ? send_update(s) : syntax(s, "send takes no argument");
	if (tok_is(w, "show")) {
		send_print_pending(s, s->out);
		return 0;
	}
	if (tok_is(w, "answer")) {
		send_print_answer(s);
		return 0;
	}
	if (tok_is(w, "quit") || tok_is(w, "exit"))
		return INTERP_QUIT;
	if (tok_is(w, "server"))
		return cmd_server(s, &c, false);
	if (tok_is(w, "local"))
		return cmd_server(s, &c, true);
	if (tok_is(w, "zone")) {
		if ((rc = one_name(s, &c, "zone", &s->zone)) != 0)
			return rc;
		s->has_zone = true;
		return 0;
	}
	if (tok_is(w, "origin"))
		return one_name(s, &c, "origin", &s->origin);
	if (tok_is(w, "class")) {
		uint16_t rclass;
		if (c.n != 2 || !class_arg(&c.t[1], &rclass))
			return syntax(s, "class: want a class (IN, CH, HS)");
		if (rclass == ZK_CLASS_ANY || rclass == ZK_CLASS_NONE)
			return syntax(s, "class: ANY and NONE are not zone classes");
		if (zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd) > 0 &&
		    rclass != s->upd.rclass)
			return syntax(s, "class: send the pending update first");
		s->upd.rclass = rclass;
		return 0;
	}
	if (tok_is(w, "ttl")) {
		if (c.n != 2 || !ttl_arg(&c.t[1], &s->ttl))
			return syntax(s, "ttl: want seconds (or units: 1h30m)");
		s->has_ttl = true;
		return 0;
	}
	if (tok_is(w, "key")) {
		if (c.n == 1) {
			keys_clear(s);
			return 0;
		}
		return cmd_key(s, &c);
	}
	if (tok_is(w, "debug")) {
		s->debug = s->debug > 0 ? s->debug : 2;
		return 0;
	}
	if (tok_is(w, "gsstsig") || tok_is(w, "oldgsstsig")) {
		char what[16];
		if (c.n != 1)
			return syntax(s, "%.*s takes no argument", (int)w->n, w->s);
		snprintf(what, sizeof(what), "%.*s", (int)w->n, w->s);
		if (!gss_check_available(s->p->prog, what))
			return EXIT_USAGE;
		keys_use_gss(s, w->n == 10);
		return 0;
	}
	if (tok_is(w, "realm")) {
		/* nsupdate: the realm of DNS/<server>; none clears it. */
		if (c.n > 2)
			return syntax(s, "realm: want one realm name (or none to clear it)");
		if (c.n == 2 && c.t[1].n >= sizeof(s->realm))
			return syntax(s, "realm: too long");
		snprintf(s->realm, sizeof(s->realm), "%.*s", c.n == 2 ? (int)c.t[1].n : 0,
		         c.n == 2 ? c.t[1].s : "");
		return 0;
	}
	if (tok_is(w, "check-names") || tok_is(w, "lifetime"))
		return 0; /* accepted for nsupdate scripts; no effect here */
	(void)i;
	return syntax(s, "unknown command '%.*s'", (int)w->n, w->s);
}

/* ---------------------------------------------------------------- libedit */

/* The first word completes to a command; later words to the words that
 * follow commands, types and classes. */
static const char *const commands[] = {
    "add",  "answer", "class",      "debug",  "del",    "delete", "gsstsig",
    "key",  "local",  "oldgsstsig", "origin", "prereq", "quit",   "realm",
    "send", "server", "show",       "ttl",    "update", "zone",   NULL};
static const char *const args[] = {"add",     "delete", "nxdomain", "yxdomain", "nxrrset",
                                   "yxrrset", "IN",     "CH",       "HS",       NULL};
static bool completing_command;

static char *complete_word(const char *text, int state)
{
	static size_t ci, ti;
	size_t n = strlen(text);
	const zk_rrtype_t *t;
	const char *const *words = completing_command ? commands : args;

	if (state == 0)
		ci = ti = 0;
	while (words[ci] != NULL) {
		const char *w = words[ci++];
		if (strncasecmp(w, text, n) == 0)
			return strdup(w);
	}
	if (completing_command)
		return NULL;
	while ((t = zk_rrtype_at(ti)) != NULL) {
		ti++;
		if (t->name != NULL && strncasecmp(t->name, text, n) == 0)
			return strdup(t->name);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	completing_command = start == 0;
	return rl_completion_matches(text, complete_word);
}

static int run_interactive(session_t *s)
{
	char hist[4096] = "";
	const char *home = getenv("HOME");
	char *line;
	int rc = 0;

	if (home != NULL)
		snprintf(hist, sizeof(hist), "%s/.zupdate_history", home);
	rl_attempted_completion_function = complete;
	using_history();
	if (hist[0])
		(void)read_history(hist);
	while ((line = readline("> ")) != NULL) {
		s->line++;
		if (*line)
			add_history(line);
		rc = interp_line(s, line);
		free(line);
		if (rc == INTERP_QUIT)
			break;
	}
	if (hist[0])
		(void)write_history(hist);
	size_t pending = zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd);
	if (pending > 0) {
		say(s, "%s: the pending update (%zu record%s) was not sent",
		    line ? "quit" : "end of input", pending, pending == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return 0;
}

static int run_stream(session_t *s, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	bool quit = false;

	while ((n = getline(&line, &cap, f)) >= 0) {
		s->line++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		rc = interp_line(s, line);
		if (rc == INTERP_QUIT) {
			rc = 0;
			quit = true;
			break;
		}
		if (rc == EXIT_USAGE) {
			size_t pending = zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd);
			if (pending > 0)
				say(s, "stopped; the pending update (%zu record%s) was not sent",
				    pending, pending == 1 ? "" : "s");
			free(line);
			return EXIT_USAGE;
		}
	}
	free(line);
	if (ferror(f)) {
		say(s, "read error");
		return EXIT_USAGE;
	}
	/* Like nsupdate, records after the last `send` are not sent at the
	 * end of the input; unlike it, we say so and fail. */
	size_t pending = zk_update_nupdate(&s->upd) + zk_update_nprereq(&s->upd);
	if (pending > 0) {
		s->line = 0;
		say(s,
		    "%s: the pending update (%zu record%s) was not sent (no `send` or blank "
		    "line after it)",
		    quit ? "quit" : "end of input", pending, pending == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return s->exit_code;
}

int interp_run(session_t *s)
{
	FILE *f = stdin;
	int rc;

	s->origin = zk_name_root;
	s->src = s->p->file ? s->p->file : "stdin";
	if (s->p->file != NULL && strcmp(s->p->file, "-") != 0) {
		f = fopen(s->p->file, "r");
		if (f == NULL) {
			fprintf(stderr, "%s: cannot open %s\n", s->p->prog, s->p->file);
			return EXIT_USAGE;
		}
	}
	if (f == stdin && isatty(STDIN_FILENO)) {
		s->interactive = true;
		rc = run_interactive(s);
		return rc ? rc : s->exit_code;
	}
	rc = run_stream(s, f);
	if (f != stdin)
		fclose(f);
	return rc;
}
