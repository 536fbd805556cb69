/* alloc — arenas, the growable buffer, and xmalloc for cmd/. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"

#define ARENA_DEFAULT_CHUNK (64 * 1024)
#define ARENA_ALIGN         8

/* A block header; the usable bytes follow it. The header size is a
 * multiple of ARENA_ALIGN (see data[]), so block memory starts aligned. */
typedef struct block {
	struct block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
} block_t;

struct zk_arena {
	block_t *head;  /* current block (allocations come from here) */
	block_t *first; /* the block kept across resets */
	size_t chunk;
	size_t total; /* bytes handed out since the last reset */
};

static block_t *block_new(size_t size)
{
	block_t *b;

	if (size > SIZE_MAX - sizeof(block_t))
		return NULL;
	b = malloc(sizeof(block_t) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

zk_arena_t *zk_arena_new(size_t chunk)
{
	zk_arena_t *a;

	if (chunk == 0)
		chunk = ARENA_DEFAULT_CHUNK;
	/* Keep every block size a multiple of the alignment. */
	chunk = (chunk + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	a = malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->first = block_new(chunk);
	if (a->first == NULL) {
		free(a);
		return NULL;
	}
	a->head = a->first;
	a->chunk = chunk;
	a->total = 0;
	return a;
}

void *zk_arena_alloc(zk_arena_t *a, size_t n)
{
	block_t *b;
	size_t rounded;
	void *p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	rounded = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	b = a->head;
	if (rounded <= b->size - b->used) {
		p = b->data + b->used;
		b->used += rounded;
		a->total += rounded;
		return p;
	}
	if (rounded > a->chunk) {
		/* A big request gets a block of its own, linked behind the
		 * current one so the current block keeps serving small ones. */
		b = block_new(rounded);
		if (b == NULL)
			return NULL;
		b->used = rounded;
		b->next = a->head->next;
		a->head->next = b;
		a->total += rounded;
		return b->data;
	}
	b = block_new(a->chunk);
	if (b == NULL)
		return NULL;
	b->next = a->head;
	a->head = b;
	b->used = rounded;
	a->total += rounded;
	return b->data;
}

void *zk_arena_memdup(zk_arena_t *a, const void *p, size_t n)
{
	void *q = zk_arena_alloc(a, n);

	if (q != NULL && n > 0)
		memcpy(q, p, n);
	return q;
}

static void free_except(block_t *b, const block_t *keep)
{
	while (b != NULL) {
		block_t *next = b->next;
		if (b != keep)
			free(b);
		b = next;
	}
}

void zk_arena_reset(zk_arena_t *a)
{
	free_except(a->head, a->first);
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
	a->total = 0;
}

void zk_arena_free(zk_arena_t *a)
{
	if (a == NULL)
		return;
	free_except(a->head, NULL);
	free(a);
}

size_t zk_arena_used(const zk_arena_t *a)
{
	return a->total;
}

/* ---------------------------------------------------------------- zk_buf */

void zk_buf_init(zk_buf_t *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

void zk_buf_free(zk_buf_t *b)
{
	free(b->data);
	zk_buf_init(b);
}

void zk_buf_reset(zk_buf_t *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Room for n more bytes plus the terminating NUL. */
char *zk_buf_room(zk_buf_t *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->err)
		return NULL;
	if (n > SIZE_MAX - b->len - 1) {
		b->err = ZK_ENOMEM;
		return NULL;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		cap = b->cap ? b->cap : 64;
		while (cap < need) {
			if (cap > SIZE_MAX / 2) {
				cap = need;
				break;
			}
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (p == NULL) {
			b->err = ZK_ENOMEM;
			return NULL;
		}
		b->data = p;
		b->cap = cap;
	}
	return b->data + b->len;
}

void zk_buf_advance(zk_buf_t *b, size_t n)
{
	if (b->err || b->data == NULL)
		return;
	if (n > b->cap - 1 - b->len)
		n = b->cap - 1 - b->len;
	b->len += n;
	b->data[b->len] = '\0';
}

void zk_buf_put(zk_buf_t *b, const void *p, size_t n)
{
	char *dst = zk_buf_room(b, n);

	if (dst == NULL)
		return;
	if (n > 0)
		memcpy(dst, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void zk_buf_puts(zk_buf_t *b, const char *s)
{
	zk_buf_put(b, s, strlen(s));
}

void zk_buf_putc(zk_buf_t *b, char c)
{
	zk_buf_put(b, &c, 1);
}

void zk_buf_vprintf(zk_buf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	char *dst;
	int n;

	if (b->err)
		return;
	/* Try the space we have; grow once to the exact size if short. */
	dst = zk_buf_room(b, 0);
	if (dst == NULL)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(dst, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->data[b->len] = '\0';
		b->err = ZK_EINVAL;
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		dst = zk_buf_room(b, (size_t)n);
		if (dst == NULL)
			return;
		va_copy(ap2, ap);
		n = vsnprintf(dst, b->cap - b->len, fmt, ap2);
		va_end(ap2);
		if (n < 0) {
			b->data[b->len] = '\0';
			b->err = ZK_EINVAL;
			return;
		}
	}
	b->len += (size_t)n;
}

void zk_buf_printf(zk_buf_t *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zk_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void zk_buf_trim(zk_buf_t *b, size_t n)
{
	if (b->data == NULL)
		return;
	b->len = n > b->len ? 0 : b->len - n;
	b->data[b->len] = '\0';
}

/* ---------------------------------------------------------------- cmd/ */

/* Set once by a tool's main() before any allocation; cmd/ only. */
static const char *progname = "zkit";

void zk_xmalloc_progname(const char *name)
{
	if (name != NULL)
		progname = name;
}

static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(10);
}

void *zk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *zk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *zk_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	return q;
}

char *zk_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = zk_xmalloc(n);

	memcpy(p, s, n);
	return p;
}
