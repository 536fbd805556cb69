/* wire — bounded read and write cursors over bytes.
 *
 * The first error sticks: a read past the end sets ZK_ETRUNC (a write past
 * the capacity ZK_ESPACE), returns zeros, and every later call is a no-op.
 * Decode a run of fields, then check `err` once. */
#ifndef ZK_WIRE_H
#define ZK_WIRE_H

#include <stdint.h>
#include <string.h>

#include "err.h"

typedef struct zk_wire {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int err;
} zk_wire_t;

typedef struct zk_wbuf {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
} zk_wbuf_t;

static inline void zk_wire_init(zk_wire_t *w, const uint8_t *buf, size_t len)
{
	w->buf = buf;
	w->len = len;
	w->pos = 0;
	w->err = 0;
}

static inline size_t zk_wire_left(const zk_wire_t *w)
{
	return w->err ? 0 : w->len - w->pos;
}

/* Returns a pointer to the next n bytes and advances, or NULL. */
static inline const uint8_t *zk_wire_take(zk_wire_t *w, size_t n)
{
	const uint8_t *p;
	if (w->err)
		return NULL;
	if (n > w->len - w->pos) {
		w->err = ZK_ETRUNC;
		return NULL;
	}
	p = w->buf + w->pos;
	w->pos += n;
	return p;
}

static inline uint8_t zk_wire_u8(zk_wire_t *w)
{
	const uint8_t *p = zk_wire_take(w, 1);
	return p ? p[0] : 0;
}

static inline uint16_t zk_wire_u16(zk_wire_t *w)
{
	const uint8_t *p = zk_wire_take(w, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint32_t zk_wire_u32(zk_wire_t *w)
{
	const uint8_t *p = zk_wire_take(w, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

/* 48-bit unsigned (TSIG time signed). */
static inline uint64_t zk_wire_u48(zk_wire_t *w)
{
	uint64_t hi = zk_wire_u16(w);
	return hi << 32 | zk_wire_u32(w);
}

static inline void zk_wire_bytes(zk_wire_t *w, void *dst, size_t n)
{
	const uint8_t *p = zk_wire_take(w, n);
	if (p != NULL)
		memcpy(dst, p, n);
}

static inline void zk_wire_skip(zk_wire_t *w, size_t n)
{
	(void)zk_wire_take(w, n);
}

static inline void zk_wbuf_init(zk_wbuf_t *b, uint8_t *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->err = 0;
}

/* Reserves n bytes and returns where to write them, or NULL. */
static inline uint8_t *zk_wbuf_room(zk_wbuf_t *b, size_t n)
{
	uint8_t *p;
	if (b->err)
		return NULL;
	if (n > b->cap - b->len) {
		b->err = ZK_ESPACE;
		return NULL;
	}
	p = b->buf + b->len;
	b->len += n;
	return p;
}

static inline void zk_wbuf_u8(zk_wbuf_t *b, uint8_t v)
{
	uint8_t *p = zk_wbuf_room(b, 1);
	if (p)
		p[0] = v;
}

static inline void zk_wbuf_u16(zk_wbuf_t *b, uint16_t v)
{
	uint8_t *p = zk_wbuf_room(b, 2);
	if (p) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	}
}

static inline void zk_wbuf_u32(zk_wbuf_t *b, uint32_t v)
{
	uint8_t *p = zk_wbuf_room(b, 4);
	if (p) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	}
}

static inline void zk_wbuf_u48(zk_wbuf_t *b, uint64_t v)
{
	zk_wbuf_u16(b, (uint16_t)(v >> 32));
	zk_wbuf_u32(b, (uint32_t)v);
}

static inline void zk_wbuf_bytes(zk_wbuf_t *b, const void *src, size_t n)
{
	uint8_t *p = zk_wbuf_room(b, n);
	if (p && n)
		memcpy(p, src, n);
}

/* Big-endian stores into already reserved space (lengths patched later). */
static inline void zk_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t zk_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t zk_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
