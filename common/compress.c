/* compress — name compression while rendering (RFC 1035 §4.1.4).
 *
 * The table maps a name suffix (hashed case-insensitively over its
 * uncompressed wire form) to the offset in the message where that suffix
 * starts. Entries are checked against the message bytes on every hit, so a
 * hash collision never produces a wrong pointer. */
#include "config.h"

#include <string.h>

#include "compress.h"

#define PTR_MAX   0x3fff
#define MAX_HOPS  128
#define MAX_FILL  (ZK_COMPRESS_SLOTS * 3 / 4)
#define SLOT_MASK (ZK_COMPRESS_SLOTS - 1)

_Static_assert((ZK_COMPRESS_SLOTS & SLOT_MASK) == 0, "slots must be a power of two");

static inline uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* FNV-1a over the lower-cased wire of a suffix (ends with the root). */
static uint32_t suffix_hash(const uint8_t *wire)
{
	uint32_t h = 2166136261u;
	size_t i = 0;

	for (;;) {
		uint8_t llen = wire[i];
		for (size_t j = 0; j <= llen; j++) {
			h ^= lower(wire[i + j]);
			h *= 16777619u;
		}
		if (llen == 0)
			return h;
		i += (size_t)llen + 1;
	}
}

void zk_compress_init(zk_compress_t *c, const zk_wbuf_t *w)
{
	c->w = w;
	c->count = 0;
	memset(c->off, 0, sizeof(c->off));
}

/* Does the (possibly compressed) name at msg[off] equal the uncompressed
 * suffix, ignoring case? The message is ours, but stay bounded anyway. */
static bool matches(const uint8_t *msg, size_t msglen, size_t off, const uint8_t *suffix)
{
	size_t i = 0;
	unsigned hops = 0;

	for (;;) {
		uint8_t b;

		if (off >= msglen)
			return false;
		b = msg[off];
		if ((b & 0xc0) == 0xc0) {
			size_t target;
			if (off + 1 >= msglen || ++hops > MAX_HOPS)
				return false;
			target = (size_t)(b & 0x3f) << 8 | msg[off + 1];
			if (target >= off)
				return false;
			off = target;
			continue;
		}
		if ((b & 0xc0) != 0 || b != suffix[i] || b > msglen - off - 1)
			return false;
		for (size_t j = 1; j <= b; j++) {
			if (lower(msg[off + j]) != lower(suffix[i + j]))
				return false;
		}
		if (b == 0)
			return true;
		off += (size_t)b + 1;
		i += (size_t)b + 1;
	}
}

static size_t lookup(const zk_compress_t *c, const zk_wbuf_t *w, const uint8_t *suffix, uint32_t h)
{
	for (size_t k = 0; k < ZK_COMPRESS_SLOTS; k++) {
		size_t slot = (h + k) & SLOT_MASK;
		uint16_t off = c->off[slot];

		if (off == 0)
			return 0;
		if (off < w->len && matches(w->buf, w->len, off, suffix))
			return off;
	}
	return 0;
}

static void remember(zk_compress_t *c, size_t off, uint32_t h)
{
	if (off == 0 || off > PTR_MAX || c->count >= MAX_FILL)
		return;
	for (size_t k = 0; k < ZK_COMPRESS_SLOTS; k++) {
		size_t slot = (h + k) & SLOT_MASK;
		if (c->off[slot] == 0) {
			c->off[slot] = (uint16_t)off;
			c->count++;
			return;
		}
	}
}

void zk_compress_put(zk_compress_t *c, zk_wbuf_t *w, const zk_name_t *n)
{
	uint32_t hashes[ZK_NAME_MAXLABELS + 1];
	size_t starts[ZK_NAME_MAXLABELS + 1];
	size_t i = 0, base, ptr = 0;
	unsigned k = 0, nlab;

	if (c == NULL || n->len <= 1) {
		zk_name_to_wire(n, w);
		return;
	}

	/* Find the longest suffix (the whole name first) already written. */
	while (i < n->len && n->wire[i] != 0 && k <= ZK_NAME_MAXLABELS) {
		starts[k] = i;
		hashes[k] = suffix_hash(n->wire + i);
		ptr = lookup(c, w, n->wire + i, hashes[k]);
		if (ptr != 0)
			break;
		k++;
		i += (size_t)n->wire[i] + 1;
	}
	nlab = k; /* labels written out in full before the pointer */

	base = w->len;
	if (ptr != 0) {
		zk_wbuf_bytes(w, n->wire, i);
		zk_wbuf_u16(w, (uint16_t)(0xc000 | ptr));
	} else {
		zk_wbuf_bytes(w, n->wire, n->len);
	}
	if (w->err)
		return;
	/* Each fully written label starts a suffix later names may reuse. */
	for (k = 0; k < nlab; k++)
		remember(c, base + starts[k], hashes[k]);
}

void zk_compress_rollback(zk_compress_t *c, size_t len)
{
	uint16_t keep[ZK_COMPRESS_SLOTS];
	size_t nkeep = 0;

	for (size_t k = 0; k < ZK_COMPRESS_SLOTS; k++) {
		if (c->off[k] != 0 && c->off[k] < len)
			keep[nkeep++] = c->off[k];
	}
	if (nkeep == c->count)
		return;
	/* Open addressing cannot delete in place: rebuild from the survivors,
	 * rehashing each from the message bytes. */
	memset(c->off, 0, sizeof(c->off));
	c->count = 0;
	for (size_t k = 0; k < nkeep; k++) {
		zk_name_t name;
		size_t pos = keep[k];
		if (zk_name_from_wire(&name, c->w->buf, len, &pos, NULL) == 0)
			remember(c, keep[k], suffix_hash(name.wire));
	}
}
