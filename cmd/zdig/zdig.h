/* zdig — the tool's own types, shared by main.c, params.c and exec.c. */
#ifndef ZDIG_H
#define ZDIG_H

#include <stdbool.h>

#include "present.h"

/* Exit codes, as dig's (documented in zdig(1)). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_NOFILE = 8,   /* the --read file cannot be opened or read */
	EXIT_NOREPLY = 9,  /* no message (empty input) */
	EXIT_INTERNAL = 10 /* malformed message, internal error */
};

/* What to show; the +options set these. */
typedef struct display {
	bool comments, question, answer, authority, additional;
	bool short_form, multiline, ttlid, ttlunits, classid, crypto;
	bool stats, cmd, json;
	int rrcomments; /* -1: follow multiline (dig's default) */
} display_t;

typedef struct params {
	const char *prog;
	const char *read_file; /* --read FILE ("-" is stdin) */
	display_t d;
} params_t;

/* Parse argv. Returns 0 to run, or 1 with *code the exit code to use now
 * (after -h/-V: 0; usage errors: 1, message already printed). */
int params_parse(params_t *p, int argc, char **argv, int *code);
void params_style(const params_t *p, zk_style_t *s);
void params_usage(const char *prog, bool full);

int exec_run(const params_t *p);

#endif
