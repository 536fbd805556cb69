/* alloc — arenas for bulk data, a growable text/byte buffer, and xmalloc
 * for cmd/ only (it exits on failure; the core never calls it). */
#ifndef ZK_ALLOC_H
#define ZK_ALLOC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Arena (region): many allocations, freed at once. */
typedef struct zk_arena zk_arena_t;

/* chunk: bytes per block (0 = a default of 64 KiB). NULL on ENOMEM. */
zk_arena_t *zk_arena_new(size_t chunk);
/* 8-byte aligned; NULL on ENOMEM. Requests larger than the chunk get their
 * own block. */
void *zk_arena_alloc(zk_arena_t *a, size_t n);
void *zk_arena_memdup(zk_arena_t *a, const void *p, size_t n);
/* Forget every allocation, keep the first block for reuse. */
void zk_arena_reset(zk_arena_t *a);
void zk_arena_free(zk_arena_t *a);
/* Bytes handed out since the last reset (for tests and statistics). */
size_t zk_arena_used(const zk_arena_t *a);

/* Growable buffer: text or bytes. The first failure sticks in err
 * (ZK_ENOMEM), later appends are no-ops. data is always NUL-terminated
 * when err == 0 and data != NULL. */
typedef struct zk_buf {
	char *data;
	size_t len;
	size_t cap;
	int err;
} zk_buf_t;

void zk_buf_init(zk_buf_t *b);
void zk_buf_free(zk_buf_t *b);
void zk_buf_reset(zk_buf_t *b); /* len = 0, keeps memory and clears err */
/* Make room for n more bytes; returns a pointer to write them (len is not
 * advanced: call zk_buf_advance) or NULL. */
char *zk_buf_room(zk_buf_t *b, size_t n);
void zk_buf_advance(zk_buf_t *b, size_t n);
void zk_buf_put(zk_buf_t *b, const void *p, size_t n);
void zk_buf_puts(zk_buf_t *b, const char *s);
void zk_buf_putc(zk_buf_t *b, char c);
void zk_buf_printf(zk_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zk_buf_vprintf(zk_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Drop the last n bytes (n > len clears). */
void zk_buf_trim(zk_buf_t *b, size_t n);

/* cmd/ only: print "<prog>: out of memory" and exit(10) on failure. */
void *zk_xmalloc(size_t n);
void *zk_xcalloc(size_t n, size_t size);
void *zk_xrealloc(void *p, size_t n);
char *zk_xstrdup(const char *s);
/* The <prog> in that message (default "zkit"); call once from main(). */
void zk_xmalloc_progname(const char *name);

#endif
