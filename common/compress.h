/* compress — the name compression table used when rendering messages.
 *
 * Remembers where names (and each of their suffixes) were written in the
 * message being rendered; a later name whose suffix matches is written as
 * labels plus a pointer (RFC 1035 §4.1.4). Only offsets < 0x4000 can be
 * pointed to. Matching is case-insensitive. */
#ifndef ZK_COMPRESS_H
#define ZK_COMPRESS_H

#include <stdint.h>

#include "name.h"
#include "wire.h"

#define ZK_COMPRESS_SLOTS 1024

typedef struct zk_compress {
	const zk_wbuf_t *w; /* the message being rendered (offsets refer to w->buf) */
	uint16_t count;
	uint16_t off[ZK_COMPRESS_SLOTS]; /* hash table of remembered offsets; 0 = empty */
} zk_compress_t;

void zk_compress_init(zk_compress_t *c, const zk_wbuf_t *w);

/* Write n at the end of w: compressed against c and recorded in it when c
 * is not NULL, plainly otherwise. Errors stick in w->err. */
void zk_compress_put(zk_compress_t *c, zk_wbuf_t *w, const zk_name_t *n);

/* Forget every entry at or after offset len, after the renderer cut the
 * message back to len octets (a record that did not fit, truncation). */
void zk_compress_rollback(zk_compress_t *c, size_t len);

#endif
