/* name — domain names as uncompressed wire bytes plus a label count.
 *
 * Text form exists only at the edges (zk_name_from_text/zk_name_to_text).
 * Case is preserved; comparison is canonical (RFC 4034 §6.1). */
#ifndef ZK_NAME_H
#define ZK_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "wire.h"

#define ZK_NAME_MAXLEN    255
#define ZK_LABEL_MAXLEN   63
#define ZK_NAME_MAXLABELS 127
/* Longest presentation form: every octet as \DDD plus dots and NUL. */
#define ZK_NAME_TEXTMAX 1024

/* `wire` must stay the last member: arenas may store only the first
 * offsetof(zk_name_t, wire) + len bytes (zk_name_size). Never copy a name
 * by struct assignment; use zk_name_copy. */
typedef struct zk_name {
	uint8_t len;    /* wire octets including the root label (root: 1) */
	uint8_t labels; /* labels, not counting the root (root: 0) */
	uint8_t wire[ZK_NAME_MAXLEN];
} zk_name_t;

extern const zk_name_t zk_name_root;

/* Bytes a name really occupies (for arena storage). */
static inline size_t zk_name_size(const zk_name_t *n)
{
	return 2 + (size_t)n->len;
}

void zk_name_copy(zk_name_t *dst, const zk_name_t *src);
/* Arena copy of exactly zk_name_size bytes; NULL on ENOMEM. */
zk_name_t *zk_name_dup(zk_arena_t *a, const zk_name_t *src);

/* Text to wire. Escapes \X and \DDD; "@" is the origin; a name without a
 * final dot is relative to origin (the root when origin is NULL); "." is
 * the root. Errors: ZK_ESYNTAX (bad escape, empty label), ZK_ELABEL,
 * ZK_ENAMELEN. *out written only on success. */
int zk_name_from_text(zk_name_t *out, const char *s, size_t n, const zk_name_t *origin,
                      zk_errctx_t *ec);

/* Wire to text with a trailing dot, escaped as BIND does: . ; \ ( ) " @ $
 * get a backslash, octets outside 0x21..0x7e become \DDD. Appends to out. */
void zk_name_to_text(const zk_name_t *n, zk_buf_t *out);
/* The same into a fixed buffer (ZK_NAME_TEXTMAX is always enough);
 * returns the length without the NUL. Like snprintf, a short buffer gets
 * a truncated, NUL-terminated text and the return is the full length. */
size_t zk_name_to_cstr(const zk_name_t *n, char *buf, size_t cap);

/* A possibly compressed name from a message: msg/msglen is the whole
 * message, *pos the name's offset; on success *pos is advanced past the
 * name as it appears there. Hostile input (see name.c): pointers strictly
 * backward, at most 128 hops, label types 0x40/0x80 rejected, result
 * <= 255 octets. */
int zk_name_from_wire(zk_name_t *out, const uint8_t *msg, size_t msglen, size_t *pos,
                      zk_errctx_t *ec);
/* The same, adding to *work the octets and pointer hops it examined (label
 * length and content octets plus two per pointer), also on failure. A
 * message parser sums this to prove its work stays linear in the message
 * size on hostile input: one call never adds more than ZK_NAME_MAXWORK
 * (255 label octets, 128 pointers and the 129th that is refused). */
#define ZK_NAME_MAXWORK (ZK_NAME_MAXLEN + 2 * 129)
int zk_name_from_wire_count(zk_name_t *out, const uint8_t *msg, size_t msglen, size_t *pos,
                            size_t *work, zk_errctx_t *ec);
/* An uncompressed name (rdata in canonical/uncompressed form, zone data):
 * any pointer is ZK_EPTR. */
int zk_name_from_wire_plain(zk_name_t *out, const uint8_t *buf, size_t len, size_t *pos,
                            zk_errctx_t *ec);
/* Length of an uncompressed wire name at buf (<= len), or a negative error. */
int zk_name_wire_len(const uint8_t *buf, size_t len);

/* Append uncompressed wire form. */
void zk_name_to_wire(const zk_name_t *n, zk_wbuf_t *w);

/* RFC 4034 §6.1 canonical order: <0, 0, >0. */
int zk_name_cmp(const zk_name_t *a, const zk_name_t *b);
/* Canonical comparison of two uncompressed wire names (no struct needed). */
int zk_name_cmp_wire(const uint8_t *a, const uint8_t *b);
/* Equal ignoring ASCII case. */
bool zk_name_eq(const zk_name_t *a, const zk_name_t *b);
void zk_name_downcase(zk_name_t *n);
/* Lower-case an uncompressed wire name in place (ASCII only). */
void zk_name_downcase_wire(uint8_t *wire);
/* n is parent or below it. */
bool zk_name_is_sub(const zk_name_t *n, const zk_name_t *parent);
bool zk_name_is_wildcard(const zk_name_t *n);
bool zk_name_is_root(const zk_name_t *n);
/* Strip `count` leftmost labels (count <= labels). */
int zk_name_parent(zk_name_t *out, const zk_name_t *n, unsigned count);
/* The labels of `prefix` (its root label dropped) followed by `suffix`. */
int zk_name_concat(zk_name_t *out, const zk_name_t *prefix, const zk_name_t *suffix);
/* Case-insensitive hash (FNV-1a over the lower-cased wire). */
uint32_t zk_name_hash(const zk_name_t *n);

#endif
