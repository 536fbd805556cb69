/* zxfr — output: records to stdout or to a temporary file renamed into
 * place, IXFR deltas applied to the local copy, --verify. */
#ifndef ZXFR_OUT_H
#define ZXFR_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "alloc.h"
#include "err.h"
#include "present.h"
#include "rr.h"
#include "xfr.h"
#include "zxfr.h"

/* One recorded IXFR operation. */
typedef struct delta_op {
	zk_xfr_ev_t ev;
	zk_rr_t rr;
} delta_op_t;

typedef struct sink {
	const params_t *p;
	FILE *f;      /* stdout or the temporary file */
	char *tmp;    /* the temporary file's path (NULL: stdout) */
	zk_buf_t buf; /* text waiting to be written */
	zk_style_t style;
	int err; /* first write error (ZK_EIO) */
	/* --no-onesoa: the opening SOA, printed again at the end. */
	zk_name_t soa_owner;
	uint8_t soa_rd[600];
	zk_rr_t soa;
	bool have_soa;
	/* IXFR deltas kept until the transfer is complete. */
	zk_arena_t *arena;
	delta_op_t *ops;
	size_t nops, capops;
	bool keep_deltas;
	/* progress */
	uint64_t records, bytes;
	bool progress;
	uint64_t t0_us, last_us;
} sink_t;

/* Local serial of a zone file: its first SOA. ZK_ENOENT when the file
 * does not exist, ZK_EZONE when it has no SOA. */
int out_file_serial(const char *path, const zk_name_t *zone, uint32_t *serial, zk_errctx_t *ec);

/* Start writing: to stdout, or a temporary file next to p->out. */
int sink_open(sink_t *s, const params_t *p, zk_errctx_t *ec);
/* The xfr callback. */
int sink_rr(void *ctx, zk_xfr_ev_t ev, const zk_rr_t *rr);
/* Progress line (on a TTY): records and octets received; force: print
 * now, with a newline. */
void sink_progress(sink_t *s, uint64_t records, uint64_t bytes, bool force);
/* Throw the temporary file away and begin again (an IXFR falls back to
 * AXFR). */
int sink_restart(sink_t *s, zk_errctx_t *ec);
/* The IXFR deltas recorded: apply them to p->out into the temporary file.
 * ZK_EZONE when they do not apply (the caller falls back to AXFR). */
int sink_apply_deltas(sink_t *s, zk_errctx_t *ec);
/* Finish: flush, fsync, --verify, rename over p->out. */
int sink_commit(sink_t *s, zk_errctx_t *ec);
/* Remove the temporary file (on failure); idempotent. */
void sink_abort(sink_t *s);
void sink_free(sink_t *s);

/* Signals: remove the temporary file before dying. */
void out_signals(void);

#endif
