/* zsign — the zone signer: shared declarations of the tool's files. */
#ifndef ZSIGN_H
#define ZSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"
#include "nsec.h"

/* Exit codes (documented in zsign(1)). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,  /* bad zone, bad or missing keys, signing failed */
	EXIT_WRITE = 2, /* the output could not be written */
	EXIT_USAGE = 3,
};

typedef enum { SERIAL_KEEP, SERIAL_INCREMENT, SERIAL_UNIXTIME, SERIAL_DATE } serial_t;

typedef struct params {
	const char *zonefile;
	const char *output; /* -f; NULL: zonefile + ".signed"; "-": stdout */
	zk_name_t origin;   /* -o */
	bool have_origin;
	const char *keydir;              /* -K, default "." */
	bool smart;                      /* -S */
	const char **ksk, **zsk, **keys; /* -k, -z, positional */
	size_t nksk, nzsk, nkeys;
	int64_t now, inception, expiration, dnskey_expiration;
	uint32_t interval; /* -i */
	uint32_t jitter;   /* -j */
	bool nsec3;        /* -3 given */
	zk_nsec3_params_t n3;
	bool update_chain; /* -u */
	serial_t serial;
	int zonemd; /* -1 not given, 0 none, else ZK_ZONEMD_SHA384/512 */
	uint32_t dnskey_ttl;
	bool have_dnskey_ttl;
	uint32_t max_ttl;
	bool have_max_ttl;
	bool dnssec_only; /* -D */
	unsigned threads; /* -t */
	const char *keyset;
	const char *cache; /* --cache; NULL: OUTPUT.zsigcache */
	bool no_cache;     /* --no-cache */
	bool verify;       /* -a */
	bool quiet;        /* -q */
	bool progress;
} params_t;

/* params.c: parse the command line. Returns -1 to exit with *code (help,
 * version, usage error), 0 to run. */
int params_parse(params_t *pr, int argc, char **argv, int *code);
void params_free(params_t *pr);

/* exec.c: sign; returns the exit code. */
int exec_run(params_t *pr);

/* output.c: a file written atomically (temporary file in the target's
 * directory, fsync, rename, directory fsync), or stdout. */
typedef struct out out_t;
/* NULL with errno text in err on failure. */
out_t *out_open(const char *path, char *err, size_t errlen);
/* 0 or -1 (err filled); after a failure the output is abandoned. */
int out_write(out_t *o, const void *p, size_t n, char *err, size_t errlen);
int out_commit(out_t *o, char *err, size_t errlen);
void out_abort(out_t *o);

#endif
