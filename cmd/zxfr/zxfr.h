/* zxfr — the tool's own types, shared by main.c, params.c and exec.c. */
#ifndef ZXFR_H
#define ZXFR_H

#include <stdbool.h>
#include <stdint.h>

#include "name.h"
#include "net.h"
#include "opt.h"
#include "tsig.h"

/* Exit codes (documented in zxfr(1)). */
enum {
	EXIT_OK = 0,       /* transferred, or up to date */
	EXIT_USAGE = 1,    /* bad command line, unreadable key */
	EXIT_NET = 2,      /* no connection, time-out, closed before the end */
	EXIT_RCODE = 3,    /* the server refused (REFUSED, NOTAUTH, NOTIMP, ...) */
	EXIT_TSIG = 4,     /* TSIG verification failed */
	EXIT_BAD = 5,      /* a broken transfer: malformed, bad SOA brackets, ... */
	EXIT_LIMIT = 6,    /* --max-records / --max-bytes exceeded */
	EXIT_FILE = 7,     /* the output or local zone file, or --verify failed */
	EXIT_INTERNAL = 10 /* out of memory, internal error */
};

typedef struct params {
	const char *prog;
	zk_name_t zone;
	const char *zone_text;
	uint16_t qclass;
	zk_opt_server_t server;
	bool have_server;
	uint16_t port; /* -p, 0: default (53, 853 with --tls) */
	int family;
	zk_tsig_key_t key;
	bool have_key;
	bool tls, tls_verify;
	const char *tls_ca, *tls_hostname;
	const char *out;  /* -o FILE */
	bool ixfr;        /* --ixfr */
	bool have_serial; /* --ixfr=SERIAL */
	uint32_t serial;
	bool udp; /* --udp: IXFR over UDP first */
	bool if_newer;
	bool verify;
	bool strict; /* --strict: a --verify warning fails too */
	bool json;
	bool onesoa;  /* default true */
	int progress; /* -1 auto (TTY), 0 off, 1 on */
	unsigned timeout_ms;
	uint64_t max_records, max_bytes;
	bool quiet;
	int verbose; /* -v: what happens, on standard error */
	/* GSS-TSIG (RFC 3645): -g, --oldgsstsig (the Windows 2000 variant) */
	bool gss, gss_windows;
	const char *gss_keytab, *gss_principal, *gss_realm;
	const char *gss_server_name; /* DNS/<name>; default: @server's host
	                              * name, else the zone's SOA MNAME */
} params_t;

/* Parse argv. Returns 0 to run, or 1 with *code the exit code to use now. */
int params_parse(params_t *p, int argc, char **argv, int *code);
void params_usage(const char *prog, bool full);

int exec_run(params_t *p);

#endif
