/* zcheck — zone lint: shared declarations of the tool's files. */
#ifndef ZCHECK_H
#define ZCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lint.h"
#include "name.h"
#include "zone.h"

/* Exit codes (documented in zcheck(1)). */
enum {
	EXIT_CLEAN = 0,
	EXIT_ERRORS = 1,
	EXIT_WARNINGS = 2, /* only warnings, with --strict */
	EXIT_USAGE = 3,
	EXIT_INPUT = 4,
};

typedef enum { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB } fmt_t;

typedef struct finding {
	int check; /* index in zk_lint_checks() */
	zk_lint_sev_t sev;
	char *file;
	unsigned line, col;
	char *msg;
	size_t order; /* insertion order, for a stable sort */
} finding_t;

typedef struct params {
	const char *origin_text; /* -o */
	zk_name_t origin;
	bool have_origin;
	uint16_t rclass; /* -c, default IN */
	bool print, generic, parse_only, strict, quiet, no_include, progress;
	fmt_t format;
	unsigned max_errors;
	uint32_t max_ttl;
	bool have_max_ttl;
	unsigned threads;
	zk_lint_sev_t *sev; /* per check, after -W */
	char **files;
	int nfiles;
} params_t;

typedef struct zc {
	params_t *pr;
	finding_t *f;
	size_t nf, capf;
	unsigned counts[4]; /* by severity */
	uint64_t records;
	const char *zone_text; /* apex of the zone being checked, for reports */
	bool input_failed;
} zc_t;

/* params.c: parse the command line. Returns -1 to exit with `*code`
 * (help, version, usage error), 0 to run. */
int params_parse(params_t *pr, int argc, char **argv, int *code);
void params_free(params_t *pr);

/* exec.c: check every file; returns the exit code. */
int exec_run(params_t *pr);

/* Record a finding (ignored when the check is off). */
void zc_add(zc_t *c, int check, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* report.c: print every finding in the chosen format. */
void report_print(zc_t *c, int exitcode);

#endif
