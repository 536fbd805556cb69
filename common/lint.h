/* lint — the zone checks (zcheck's rules) over a finished zone, for every
 * tool that wants to know whether a zone is fit to serve: zcheck reports
 * them, zxfr --verify refuses a transfer with errors.
 *
 * The module finds and describes; it never prints. Each finding goes to a
 * callback with its check (a stable code from the table below), severity,
 * file and line and a one-line message. The table also names the checks
 * that the zone file parser (zonefile) and zk_zone_finish report, so that
 * a tool can file their messages under the same codes. */
#ifndef ZK_LINT_H
#define ZK_LINT_H

#include <stdbool.h>
#include <stdint.h>

#include "zone.h"

typedef enum {
	ZK_LINT_IGNORE = 0, /* as a severity override: the check is off */
	ZK_LINT_INFO,
	ZK_LINT_WARNING,
	ZK_LINT_ERROR,
} zk_lint_sev_t;

/* One check: a stable code, its default severity, one line about it. */
typedef struct zk_lint_check {
	const char *code;
	zk_lint_sev_t sev;
	const char *summary;
} zk_lint_check_t;

/* Every check, then {NULL}. The order is stable (zcheck lists it). */
const zk_lint_check_t *zk_lint_checks(void);
/* Index of a code in the table, or -1. */
int zk_lint_check_index(const char *code);

typedef struct zk_lint_finding {
	int check;         /* index in zk_lint_checks() */
	const char *code;  /* zk_lint_checks()[check].code */
	zk_lint_sev_t sev; /* the override from the options, else the default */
	const char *file;  /* the record's file, or the options' topfile */
	int file_idx;      /* zk_zone_file() index, -1 for topfile */
	unsigned line;     /* 0: about the whole file */
	unsigned col;      /* 0 unless a parser message */
	const char *msg;   /* valid during the call only */
} zk_lint_finding_t;

typedef void (*zk_lint_fn)(void *ctx, const zk_lint_finding_t *f);

typedef struct zk_lint_opts {
	/* Per check, in table order; NULL: the defaults. A check whose
	 * severity is ZK_LINT_IGNORE is neither run nor reported. */
	const zk_lint_sev_t *sev;
	uint32_t max_ttl; /* "max-ttl": only when have_max_ttl */
	bool have_max_ttl;
	bool check_names; /* "check-names" (RFC 952/1123 host names); default on */
	/* The file had $TTL, or no record's TTL came from a fallback;
	 * otherwise "ttl-directive-missing" is reported. Default true. */
	bool saw_ttl;
	const char *topfile; /* file named by zone-wide findings ("-" if NULL) */
	zk_lint_fn on_finding;
	void *ctx;
} zk_lint_opts_t;

void zk_lint_opts_init(zk_lint_opts_t *o);

/* Run every zone check over z (after zk_zone_finish; the origin is the
 * apex) in one pass, reporting in a stable order: per node in canonical
 * order, then the zone-wide ones. 0, or ZK_ENOMEM (findings made so far
 * have been reported). */
int zk_lint_zone(const zk_zone_t *z, const zk_lint_opts_t *o);

/* The check a zone file parser message belongs to: "syntax" for errors,
 * "ttl-rfc1035", "ttl-soa-minimum" or "ttl-too-large" for the warnings
 * (ec->code, ZK_ZFW_*). */
int zk_lint_zf_check(int severity, int code);

/* Report a parser message (zk_zf_msg_fn arguments) as a finding. */
void zk_lint_zf_msg(const zk_lint_opts_t *o, int severity, const zk_errctx_t *ec);

/* Report what zk_zone_finish changed (zk_zone_note_fn arguments) as a
 * "duplicate" or "ttl-mismatch" finding. */
void zk_lint_note(const zk_zone_t *z, const zk_lint_opts_t *o, int kind, const zk_zone_rr_t *rr,
                  const zk_zone_rr_t *other, uint32_t old_ttl);

#endif
