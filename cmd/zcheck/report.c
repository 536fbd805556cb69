/* zcheck — findings out: text (like a compiler), JSON lines, SARIF 2.1.0,
 * GitHub workflow annotations. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zcheck.h"

static const char *sev_word(zk_lint_sev_t s)
{
	switch (s) {
	case ZK_LINT_ERROR: return "error";
	case ZK_LINT_WARNING: return "warning";
	case ZK_LINT_INFO: return "info";
	default: return "ignore";
	}
}

/* Files in order of first mention, then line, column, insertion. */
static const finding_t *sort_base;
static char **sort_files;
static size_t sort_nfiles;

static size_t file_rank(const char *f)
{
	for (size_t i = 0; i < sort_nfiles; i++) {
		if (strcmp(sort_files[i], f) == 0)
			return i;
	}
	return sort_nfiles;
}

static int cmp_finding(const void *a, const void *b)
{
	const finding_t *x = a, *y = b;
	size_t fx = file_rank(x->file), fy = file_rank(y->file);

	(void)sort_base;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void sort_findings(zc_t *c)
{
	if (c->nf == 0)
		return;
	sort_files = calloc(c->nf + 1, sizeof(*sort_files));
	sort_nfiles = 0;
	for (size_t i = 0; sort_files != NULL && i < c->nf; i++) {
		if (file_rank(c->f[i].file) == sort_nfiles)
			sort_files[sort_nfiles++] = c->f[i].file;
	}
	if (sort_files != NULL)
		qsort(c->f, c->nf, sizeof(*c->f), cmp_finding);
	free(sort_files);
	sort_files = NULL;
	sort_nfiles = 0;
}

static void print_text(zc_t *c, FILE *out)
{
	const zk_lint_check_t *tab = zk_lint_checks();

	for (size_t i = 0; i < c->nf; i++) {
		const finding_t *f = &c->f[i];
		if (f->line > 0 && f->col > 0)
			fprintf(out, "%s:%u:%u: ", f->file, f->line, f->col);
		else if (f->line > 0)
			fprintf(out, "%s:%u: ", f->file, f->line);
		else
			fprintf(out, "%s: ", f->file);
		fprintf(out, "%s: %s [%s]\n", sev_word(f->sev), f->msg, tab[f->check].code);
	}
}

static json_t *finding_json(const finding_t *f)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "type", "finding", "code",
	                 zk_lint_checks()[f->check].code, "severity", sev_word(f->sev), "file",
	                 f->file, "line", (json_int_t)f->line, "column", (json_int_t)f->col,
	                 "message", f->msg);
}

static void print_json(zc_t *c, FILE *out, int code)
{
	json_t *s;
	char *txt;

	for (size_t i = 0; i < c->nf; i++) {
		json_t *o = finding_json(&c->f[i]);
		txt = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (txt != NULL)
			fprintf(out, "%s\n", txt);
		free(txt);
		json_decref(o);
	}
	s = json_pack("{s:s, s:I, s:i, s:i, s:i, s:i}", "type", "summary", "records",
	              (json_int_t)c->records, "errors", (json_int_t)c->counts[ZK_LINT_ERROR],
	              "warnings", (json_int_t)c->counts[ZK_LINT_WARNING], "infos",
	              (json_int_t)c->counts[ZK_LINT_INFO], "exit", (json_int_t)code);
	txt = s ? json_dumps(s, JSON_COMPACT) : NULL;
	if (txt != NULL)
		fprintf(out, "%s\n", txt);
	free(txt);
	json_decref(s);
}

static const char *sarif_level(zk_lint_sev_t s)
{
	return s == ZK_LINT_ERROR ? "error" : s == ZK_LINT_WARNING ? "warning" : "note";
}

static void print_sarif(zc_t *c, FILE *out)
{
	const zk_lint_check_t *tab = zk_lint_checks();
	json_t *rules = json_array(), *results = json_array(), *doc;
	char *txt;

	for (int i = 0; tab[i].code != NULL; i++)
		json_array_append_new(rules, json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", tab[i].code,
		                                       "shortDescription", "text", tab[i].summary,
		                                       "defaultConfiguration", "level",
		                                       sarif_level(tab[i].sev)));
	for (size_t i = 0; i < c->nf; i++) {
		const finding_t *f = &c->f[i];
		json_t *region = json_object();
		if (f->line > 0)
			json_object_set_new(region, "startLine", json_integer(f->line));
		if (f->col > 0)
			json_object_set_new(region, "startColumn", json_integer(f->col));
		json_t *phys = json_pack("{s:{s:s}}", "artifactLocation", "uri", f->file);
		if (f->line > 0)
			json_object_set_new(phys, "region", region);
		else
			json_decref(region);
		json_array_append_new(
		    results,
		    json_pack("{s:s, s:i, s:s, s:{s:s}, s:[{s:o}]}", "ruleId", tab[f->check].code,
		              "ruleIndex", (json_int_t)f->check, "level", sarif_level(f->sev),
		              "message", "text", f->msg, "locations", "physicalLocation", phys));
	}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:o}]}", "$schema",
	                "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
	                "tool", "driver", "name", "zcheck", "version", PACKAGE_VERSION,
	                "informationUri", "https://github.com/zkit/zkit", "rules", rules, "results",
	                results);
	txt = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	if (txt != NULL)
		fprintf(out, "%s\n", txt);
	free(txt);
	json_decref(doc);
}

/* Workflow commands: data escapes % CR LF, properties also ':' and ','. */
static void gh_escape(FILE *out, const char *s, bool prop)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (prop && *s == ':')
			fputs("%3A", out);
		else if (prop && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

static void print_github(zc_t *c, FILE *out)
{
	const zk_lint_check_t *tab = zk_lint_checks();

	for (size_t i = 0; i < c->nf; i++) {
		const finding_t *f = &c->f[i];
		const char *kind = f->sev == ZK_LINT_ERROR     ? "error"
		                   : f->sev == ZK_LINT_WARNING ? "warning"
		                                               : "notice";
		fprintf(out, "::%s file=", kind);
		gh_escape(out, f->file, true);
		if (f->line > 0)
			fprintf(out, ",line=%u", f->line);
		if (f->col > 0)
			fprintf(out, ",col=%u", f->col);
		fputs(",title=", out);
		gh_escape(out, tab[f->check].code, true);
		fputs("::", out);
		gh_escape(out, f->msg, false);
		fputc('\n', out);
	}
}

void report_print(zc_t *c, int code)
{
	/* with --print the zone owns stdout */
	FILE *out = c->pr->print ? stderr : stdout;

	sort_findings(c);
	switch (c->pr->format) {
	case FMT_TEXT:
		print_text(c, stderr);
		if (!c->pr->quiet)
			fprintf(stderr, "zcheck: %llu records, %u errors, %u warnings, %u notes\n",
			        (unsigned long long)c->records, c->counts[ZK_LINT_ERROR],
			        c->counts[ZK_LINT_WARNING], c->counts[ZK_LINT_INFO]);
		break;
	case FMT_JSON: print_json(c, out, code); break;
	case FMT_SARIF: print_sarif(c, out); break;
	case FMT_GITHUB: print_github(c, out); break;
	}
	fflush(stdout);
}
