/* zcheck — the command line. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "rrtype.h"
#include "zcheck.h"
#include "zonefile.h"

static const char usage_text[] =
    "usage: zcheck [options] [-o origin] zonefile...\n"
    "  -o, --origin NAME     zone apex (default: the owner of the first SOA;\n"
    "                        relative names are then relative to the root)\n"
    "  -c, --class CLASS     zone class (default IN)\n"
    "  -p, --print           print the zone in canonical form to stdout\n"
    "      --generic         with --print: rdata in RFC 3597 \\# form\n"
    "      --parse-only      only parse (flat memory, no zone checks)\n"
    "  -W CODE=error|warn|info|ignore   change a check's severity\n"
    "      --list-checks     list the checks with their codes and severities\n"
    "      --format FMT      text (default), json, sarif, github\n"
    "      --strict          exit 2 when there are warnings but no errors\n"
    "      --max-errors N    stop parsing after N errors (default 100)\n"
    "      --max-ttl TTL     TTLs above this are errors (max-ttl)\n"
    "      --no-include      $INCLUDE is an error (untrusted input)\n"
    "  -j N                  threads for the checks (accepted; checks run on one)\n"
    "  -q, --quiet           no summary line, no progress\n"
    "  -h, --help            this text\n"
    "  -V, --version         version\n"
    "exit: 0 clean, 1 errors, 2 warnings with --strict, 3 usage, 4 unreadable input\n";

enum {
	OPT_GENERIC = 256,
	OPT_PARSE_ONLY,
	OPT_LIST,
	OPT_FORMAT,
	OPT_STRICT,
	OPT_MAX_ERRORS,
	OPT_MAX_TTL,
	OPT_NO_INCLUDE,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
};

static const struct option longopts[] = {
    {"origin", required_argument, NULL, 'o'},
    {"class", required_argument, NULL, 'c'},
    {"print", no_argument, NULL, 'p'},
    {"generic", no_argument, NULL, OPT_GENERIC},
    {"parse-only", no_argument, NULL, OPT_PARSE_ONLY},
    {"list-checks", no_argument, NULL, OPT_LIST},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
    {"max-ttl", required_argument, NULL, OPT_MAX_TTL},
    {"no-include", no_argument, NULL, OPT_NO_INCLUDE},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

__attribute__((format(printf, 1, 0))) static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "zcheck: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fprintf(stderr, "\nTry 'zcheck --help'.\n");
	return -1;
}

static const char *sev_word(zk_lint_sev_t s)
{
	switch (s) {
	case ZK_LINT_ERROR: return "error";
	case ZK_LINT_WARNING: return "warning";
	case ZK_LINT_INFO: return "info";
	default: return "ignore";
	}
}

static int set_severity(params_t *pr, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char code[64];
	zk_lint_sev_t s;
	int i;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(code))
		return usage_error("-W wants CODE=error|warn|info|ignore, not '%s'", arg);
	memcpy(code, arg, (size_t)(eq - arg));
	code[eq - arg] = '\0';
	if (strcmp(eq + 1, "error") == 0)
		s = ZK_LINT_ERROR;
	else if (strcmp(eq + 1, "warn") == 0 || strcmp(eq + 1, "warning") == 0)
		s = ZK_LINT_WARNING;
	else if (strcmp(eq + 1, "info") == 0)
		s = ZK_LINT_INFO;
	else if (strcmp(eq + 1, "ignore") == 0)
		s = ZK_LINT_IGNORE;
	else
		return usage_error("-W: unknown severity '%s' (error, warn, info, ignore)", eq + 1);
	if (strcmp(code, "all") == 0) {
		for (i = 0; zk_lint_checks()[i].code != NULL; i++)
			pr->sev[i] = s;
		return 0;
	}
	if ((i = zk_lint_check_index(code)) < 0)
		return usage_error("-W: unknown check '%s' (see --list-checks)", code);
	pr->sev[i] = s;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int params_parse(params_t *pr, int argc, char **argv, int *code)
{
	const zk_lint_check_t *tab = zk_lint_checks();
	size_t n = 0;
	int c;
	unsigned long v;
	bool list = false;

	memset(pr, 0, sizeof(*pr));
	pr->rclass = ZK_CLASS_IN;
	pr->format = FMT_TEXT;
	pr->threads = 1;
	pr->progress = isatty(STDERR_FILENO);
	while (tab[n].code != NULL)
		n++;
	pr->sev = zk_xcalloc(n, sizeof(*pr->sev));
	for (size_t i = 0; i < n; i++)
		pr->sev[i] = tab[i].sev;
	*code = EXIT_USAGE;

	while ((c = getopt_long(argc, argv, "o:c:pW:j:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': {
			zk_errctx_t ec;
			zk_errctx_init(&ec);
			if (zk_name_from_text(&pr->origin, optarg, strlen(optarg), &zk_name_root,
			                      &ec) != 0)
				return usage_error("-o: bad zone name '%s'", optarg);
			pr->origin_text = optarg;
			pr->have_origin = true;
			break;
		}
		case 'c':
			if (zk_rrclass_from_text(optarg, strlen(optarg), &pr->rclass) != 0)
				return usage_error("-c: unknown class '%s'", optarg);
			break;
		case 'p': pr->print = true; break;
		case OPT_GENERIC: pr->generic = true; break;
		case OPT_PARSE_ONLY: pr->parse_only = true; break;
		case OPT_STRICT: pr->strict = true; break;
		case OPT_NO_INCLUDE: pr->no_include = true; break;
		case OPT_PROGRESS: pr->progress = true; break;
		case OPT_NO_PROGRESS: pr->progress = false; break;
		case 'q': pr->quiet = true; break;
		case 'W':
			if (set_severity(pr, optarg) != 0)
				return -1;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				pr->format = FMT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				pr->format = FMT_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				pr->format = FMT_SARIF;
			else if (strcmp(optarg, "github") == 0)
				pr->format = FMT_GITHUB;
			else
				return usage_error("--format: unknown format '%s' (text, json, "
				                   "sarif, github)",
				                   optarg);
			break;
		case OPT_MAX_ERRORS:
			if (parse_uint(optarg, 1000000, &v) != 0 || v == 0)
				return usage_error("--max-errors: bad number '%s'", optarg);
			pr->max_errors = (unsigned)v;
			break;
		case OPT_MAX_TTL: {
			uint32_t t;
			if (zk_ttl_from_text(optarg, strlen(optarg), &t) != 0)
				return usage_error("--max-ttl: bad TTL '%s'", optarg);
			pr->max_ttl = t;
			pr->have_max_ttl = true;
			break;
		}
		case 'j':
			if (parse_uint(optarg, 1024, &v) != 0 || v == 0)
				return usage_error("-j: bad thread count '%s'", optarg);
			pr->threads = (unsigned)v;
			break;
		case OPT_LIST: list = true; break;
		case 'h':
			fputs(usage_text, stdout);
			*code = EXIT_CLEAN;
			return -1;
		case 'V':
			printf("zcheck (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			*code = EXIT_CLEAN;
			return -1;
		default: fprintf(stderr, "Try 'zcheck --help'.\n"); return -1;
		}
	}
	if (list) {
		/* after every -W, so the list shows what would be used */
		for (size_t i = 0; i < n; i++)
			printf("%-22s %-8s %s\n", tab[i].code, sev_word(pr->sev[i]),
			       tab[i].summary);
		*code = EXIT_CLEAN;
		return -1;
	}
	if (optind >= argc)
		return usage_error("%s", "no zone file given");
	if (pr->parse_only && pr->print)
		return usage_error("%s", "--print needs the zone: not with --parse-only");
	pr->files = argv + optind;
	pr->nfiles = argc - optind;
	if (pr->quiet)
		pr->progress = false;
	*code = 0;
	return 0;
}

void params_free(params_t *pr)
{
	free(pr->sev);
	pr->sev = NULL;
}
