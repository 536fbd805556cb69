/* zdig — the interactive shell (-i, or +shell in ~/.zdigrc on a terminal
 * without arguments). A libedit prompt with a history file
 * ($ZDIG_HISTORY, default ~/.zdig_history) and tab completion of types,
 * classes and +options. Each line is a lookup in the command-line syntax;
 * settings persist between lines:
 *     server ADDR[#PORT]   the server of later lookups ("server" alone: resolv.conf)
 *     set +OPTION ...      options (and -4/-6/-p/-t/-c/-y/-k ...) for later lookups
 *     show                 the current server and settings
 *     help, quit / exit */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <editline/readline.h>

#include "rrtype.h"
#include "zdig.h"

static const char *const commands[] = {"server", "set", "show", "help", "quit", "exit", NULL};

/* Completion: commands at the start of a line, +options after '+',
 * otherwise type and class mnemonics. */
static char *complete_word(const char *text, int state)
{
	static size_t i, phase;
	size_t n = strlen(text);

	if (state == 0)
		i = phase = 0;
	if (text[0] == '+') {
		const char *name;
		while ((name = params_plus_name(i++)) != NULL)
			if (strncmp(name, text + 1, n - 1) == 0) {
				char *r = malloc(strlen(name) + 2);
				if (r != NULL)
					sprintf(r, "+%s", name);
				return r;
			}
		return NULL;
	}
	for (; phase == 0; i++) {
		const zk_rrtype_t *t = zk_rrtype_at(i);
		if (t == NULL) {
			phase = 1;
			i = 0;
			break;
		}
		if (t->name != NULL && strncasecmp(t->name, text, n) == 0) {
			i++;
			return strdup(t->name);
		}
	}
	if (phase == 1) {
		static const char *const classes[] = {"IN", "CH", "HS", "NONE", "ANY", NULL};
		while (classes[i] != NULL) {
			const char *c = classes[i++];
			if (strncasecmp(c, text, n) == 0)
				return strdup(c);
		}
		phase = 2;
		i = 0;
	}
	while (commands[i] != NULL) {
		const char *c = commands[i++];
		if (strncmp(c, text, n) == 0)
			return strdup(c);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)start, (void)end;
	return rl_completion_matches(text, complete_word);
}

static void show(const query_t *q)
{
	printf("server: %s%s%s\n", q->have_server ? q->server : "(resolv.conf)",
	       q->port ? " port " : "", "");
	if (q->port)
		printf("port: %u\n", q->port);
	printf("options:%s%s%s%s%s%s%s%s\n", q->tcp ? " +tcp" : "", q->dnssec ? " +dnssec" : "",
	       q->rd ? "" : " +norecurse", q->edns ? "" : " +noedns",
	       q->d.short_form ? " +short" : "", q->tls ? " +tls" : "",
	       q->d.color ? " +color" : " +nocolor", q->have_key ? " (TSIG key)" : "");
}

/* A ";;" diagnostic of the shell, in the error colour when the lookups
 * are coloured (+color, or by default on a terminal). */
static void diag(const query_t *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diag(const query_t *q, const char *fmt, ...)
{
	zk_style_t st;
	zk_buf_t b;
	va_list ap;

	params_style(&q->d, &st);
	zk_buf_init(&b);
	va_start(ap, fmt);
	zk_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!b.err && b.len > 0) {
		zk_buf_t out;
		zk_buf_init(&out);
		zk_present_painted(&st, ZK_PAINT_ERROR, &out, ";; %s\n", b.data);
		if (!out.err && out.len > 0)
			fwrite(out.data, 1, out.len, stdout);
		zk_buf_free(&out);
	}
	zk_buf_free(&b);
}

/* One line: a command, or lookups. Returns the exit code of the lookups. */
static int line_run(params_t *p, query_t *base, char *line, bool *quit)
{
	char err[512], *s = line, *word;
	query_t *q = NULL;
	size_t n = 0, cap = 0;
	int code = EXIT_OK;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#' || *s == ';')
		return EXIT_OK;
	word = s;
	s += strcspn(s, " \t");
	if (strncmp(word, "quit", 4) == 0 || strncmp(word, "exit", 4) == 0) {
		*quit = true;
		return EXIT_OK;
	}
	if (strncmp(word, "help", 4) == 0 && (word[4] == '\0' || word[4] == ' ')) {
		printf("NAME [TYPE] [CLASS] [@SERVER] [+OPTION...]   look up NAME\n"
		       "server ADDR[#PORT]   ask ADDR from now on (alone: resolv.conf)\n"
		       "set +OPTION ...      keep options for later lookups (set +dnssec)\n"
		       "show                 the current server and options\n"
		       "quit, exit           leave (or end of input)\n");
		return EXIT_OK;
	}
	if (strncmp(word, "show", 4) == 0 && (word[4] == '\0' || word[4] == ' ')) {
		show(base);
		return EXIT_OK;
	}
	if (strncmp(word, "server", 6) == 0 && (word[6] == '\0' || word[6] == ' ')) {
		char *arg = strtok(s, " \t");
		if (arg == NULL) {
			base->have_server = false;
			return EXIT_OK;
		}
		if (strlen(arg) + 1 >= sizeof(base->server)) {
			diag(base, "server name too long");
			return EXIT_USAGE;
		}
		snprintf(base->server, sizeof(base->server), "%s", arg[0] == '@' ? arg + 1 : arg);
		base->have_server = true;
		return EXIT_OK;
	}
	if (strncmp(word, "set", 3) == 0 && (word[3] == '\0' || word[3] == ' ')) {
		/* settings only: parse with no name and keep the result */
		if (params_parse_line(p, base, s, &q, &n, &cap, err, sizeof(err)) < 0) {
			diag(base, "%s", err);
			free(q);
			return EXIT_USAGE;
		}
		if (n > 0 && q[0].have_name)
			diag(base, "set takes options only; the name was ignored");
		if (n > 0) {
			q[0].have_name = false;
			q[0].type_set = false;
			q[0].qtype = 1;
			*base = q[0];
		}
		free(q);
		return EXIT_OK;
	}
	if (params_parse_line(p, base, word, &q, &n, &cap, err, sizeof(err)) < 0) {
		diag(base, "%s", err);
		free(q);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n; i++) {
		result_t r;
		zk_buf_init(&r.out);
		query_run(p, &q[i], false, &r);
		if (r.out.len > 0)
			fwrite(r.out.data, 1, r.out.len, stdout);
		fflush(stdout);
		code = r.code;
		zk_buf_free(&r.out);
	}
	free(q);
	return code;
}

int shell_run(params_t *p)
{
	char hist[1024] = "";
	const char *env = getenv("ZDIG_HISTORY"), *home = getenv("HOME");
	query_t base = p->glob;
	char *line;
	bool quit = false;
	int code = EXIT_OK;

	if (env != NULL)
		snprintf(hist, sizeof(hist), "%s", env);
	else if (home != NULL)
		snprintf(hist, sizeof(hist), "%s/.zdig_history", home);
	base.have_name = false;
	rl_attempted_completion_function = complete;
	using_history();
	if (hist[0])
		(void)read_history(hist);
	while (!quit && (line = readline("zdig> ")) != NULL) {
		if (*line)
			add_history(line);
		code = line_run(p, &base, line, &quit);
		free(line);
	}
	if (hist[0])
		(void)write_history(hist);
	return code;
}
