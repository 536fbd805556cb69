/* znotify — the tool's own types, shared by main.c, params.c and exec.c. */
#ifndef ZNOTIFY_H
#define ZNOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "name.h"
#include "opt.h"
#include "tsig.h"

/* Exit codes (documented in znotify(1)). */
enum {
	EXIT_OK = 0,       /* every target acknowledged (NOTIMP counts, unless --strict) */
	EXIT_USAGE = 1,    /* bad command line, unreadable key or zone file */
	EXIT_FAILED = 2,   /* some target did not acknowledge */
	EXIT_NOTARGET = 3, /* no target given or found */
	EXIT_INTERNAL = 10
};

typedef struct params {
	const char *prog;
	zk_name_t zone;
	const char *zone_text;
	uint16_t qclass;
	const char *zone_file;  /* -f: NS, MNAME, glue and SOA from here */
	zk_opt_server_t server; /* @server: where to ask NS/SOA without -f */
	bool have_server;
	uint16_t port; /* -p: port of derived targets (default 53) */
	zk_tsig_key_t key;
	bool have_key;
	bool have_serial;
	uint32_t serial;
	unsigned retries;    /* resends after the first (default 4) */
	unsigned timeout_ms; /* first wait; doubles on every retry */
	bool strict;         /* NOTIMP is a failure */
	bool json;
	bool quiet;
	char **targets;
	int ntargets;
} params_t;

int params_parse(params_t *p, int argc, char **argv, int *code);
void params_usage(const char *prog, bool full);
int exec_run(params_t *p);

#endif
