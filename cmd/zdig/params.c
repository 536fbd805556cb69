/* zdig — the option table: dash options and dig-style +options.
 *
 * +options are data: one row each, with +no forms and unique-prefix
 * matching ("+mul" is +multiline, "+a" is ambiguous). New options (query
 * flags, +time=, +bufsize=, ...) are new rows. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "zdig.h"

typedef struct plus_opt {
	const char *name;
	size_t off;                       /* a display_t bool, when fn is NULL */
	void (*fn)(params_t *p, bool on); /* anything else */
	const char *help;
} plus_opt_t;

static void set_all(params_t *p, bool on)
{
	display_t *d = &p->d;
	d->comments = d->question = d->answer = d->authority = d->additional = on;
	d->stats = d->cmd = on;
}

static void set_rrcomments(params_t *p, bool on)
{
	p->d.rrcomments = on;
}

#define FLAG(n, field, h)                                                                          \
	{                                                                                          \
		n, offsetof(display_t, field), NULL, h                                             \
	}

static const plus_opt_t plus_opts[] = {
    FLAG("additional", additional, "show the additional section"),
    {"all", 0, set_all, "set or clear every display flag"},
    FLAG("answer", answer, "show the answer section"),
    FLAG("authority", authority, "show the authority section"),
    FLAG("class", classid, "show the class of records"),
    FLAG("cmd", cmd, "accepted for dig compatibility (no banner for --read)"),
    FLAG("comments", comments, "show comment lines: header, flags, OPT, section names"),
    FLAG("crypto", crypto, "show key and signature data (+nocrypto: key tag, [omitted])"),
    FLAG("json", json, "print the message as JSON (RFC 8427 shape)"),
    FLAG("multiline", multiline, "long records over several lines, with comments"),
    FLAG("question", question, "show the question section"),
    {"rrcomments", 0, set_rrcomments, "per-record comments (default: with +multiline)"},
    FLAG("short", short_form, "print only the answer data"),
    FLAG("stats", stats, "show the MSG SIZE line"),
    FLAG("ttlid", ttlid, "show the TTL of records"),
    FLAG("ttlunits", ttlunits, "TTLs in units (1h2m3s)"),
};

#define N_PLUS (sizeof(plus_opts) / sizeof(plus_opts[0]))

/* Exact name, else the one option the text is a prefix of. *ambiguous is
 * set when several match. */
static const plus_opt_t *plus_find(const char *s, size_t n, bool *ambiguous)
{
	const plus_opt_t *hit = NULL;
	size_t hits = 0;

	*ambiguous = false;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < N_PLUS; i++) {
		if (strncmp(plus_opts[i].name, s, n) != 0)
			continue;
		if (plus_opts[i].name[n] == '\0')
			return &plus_opts[i];
		hit = &plus_opts[i];
		hits++;
	}
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return hit;
}

static int plus_apply(params_t *p, const char *arg)
{
	const char *s = arg + 1;
	const plus_opt_t *o;
	bool on = true, amb = false;

	/* "+no" then a name; a name of our own starting with "no" wins. */
	o = plus_find(s, strlen(s), &amb);
	if (o == NULL && !amb && strncmp(s, "no", 2) == 0) {
		on = false;
		o = plus_find(s + 2, strlen(s + 2), &amb);
	}
	if (o == NULL) {
		if (amb) {
			fprintf(stderr, "%s: ambiguous option: %s (matches:", p->prog, arg);
			const char *name = on ? s : s + 2;
			for (size_t i = 0; i < N_PLUS; i++)
				if (strncmp(plus_opts[i].name, name, strlen(name)) == 0)
					fprintf(stderr, " +%s", plus_opts[i].name);
			fprintf(stderr, ")\n");
		} else {
			fprintf(stderr, "%s: unknown option: %s\n", p->prog, arg);
		}
		return -1;
	}
	if (o->fn != NULL)
		o->fn(p, on);
	else
		*(bool *)((char *)&p->d + o->off) = on;
	return 0;
}

void params_usage(const char *prog, bool full)
{
	FILE *f = full ? stdout : stderr;

	fprintf(f, "usage: %s --read FILE [+[no]option ...]\n", prog);
	if (!full) {
		fprintf(f, "Try '%s -h' for more information.\n", prog);
		return;
	}
	fprintf(f, "\nPrint a DNS message saved in FILE (\"-\" for standard input) as dig\n"
	           "does. FILE holds the raw wire message, or hex (as xxd -p prints it;\n"
	           "whitespace and comments from # or ; to the end of a line are ignored).\n"
	           "Live queries come in a later version.\n\n"
	           "  --read FILE     the message to print\n"
	           "  -h, --help      this help\n"
	           "  -V, --version   print the version\n\n"
	           "Display options (+name or +noname, any unique prefix):\n");
	for (size_t i = 0; i < N_PLUS; i++)
		fprintf(f, "  +[no]%-12s %s\n", plus_opts[i].name, plus_opts[i].help);
	fprintf(f, "\nExit status: 0 success, 1 usage error, 8 FILE cannot be read,\n"
	           "9 no message in FILE, 10 malformed message or internal error.\n");
}

static void defaults(params_t *p, const char *prog)
{
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->d = (display_t){.comments = true,
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

int params_parse(params_t *p, int argc, char **argv, int *code)
{
	const char *prog = argc > 0 && argv[0] != NULL ? strrchr(argv[0], '/') : NULL;

	prog = prog != NULL ? prog + 1 : (argc > 0 && argv[0] != NULL ? argv[0] : "zdig");
	defaults(p, prog);
	*code = EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			params_usage(prog, true);
			*code = EXIT_OK;
			return 1;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
			*code = EXIT_OK;
			return 1;
		}
		if (strcmp(a, "--read") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --read needs a FILE argument\n", prog);
				params_usage(prog, false);
				return 1;
			}
			p->read_file = argv[++i];
			continue;
		}
		if (strncmp(a, "--read=", 7) == 0) {
			p->read_file = a + 7;
			continue;
		}
		if (a[0] == '+') {
			if (plus_apply(p, a) < 0) {
				params_usage(prog, false);
				return 1;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "%s: unknown option: %s\n", prog, a);
		} else {
			fprintf(stderr,
			        "%s: unexpected argument: %s (live queries come in a later "
			        "version; use --read FILE)\n",
			        prog, a);
		}
		params_usage(prog, false);
		return 1;
	}
	if (p->read_file == NULL) {
		fprintf(stderr,
		        "%s: nothing to do: give --read FILE (live queries come in a later "
		        "version)\n",
		        prog);
		params_usage(prog, false);
		return 1;
	}
	*code = EXIT_OK;
	return 0;
}

void params_style(const params_t *p, zk_style_t *s)
{
	const display_t *d = &p->d;

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
}
