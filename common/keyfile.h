/* keyfile — BIND key files both ways: K<name>+<alg>+<tag>.key (the DNSKEY
 * or KEY record, with timing comments) and .private ("Private-key-format:
 * v1.3", the key fields, timing metadata), as dnssec-keygen and
 * ldns-keygen write them; atomic writes, private files mode 0600. */
#ifndef ZK_KEYFILE_H
#define ZK_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "crypto.h"
#include "err.h"
#include "name.h"

/* Timing metadata, in the order BIND writes it. */
enum {
	ZK_KT_CREATED,
	ZK_KT_PUBLISH,
	ZK_KT_ACTIVATE,
	ZK_KT_REVOKE,
	ZK_KT_INACTIVE,
	ZK_KT_DELETE,
	ZK_KT_SYNCPUBLISH,
	ZK_KT_SYNCDELETE,
	ZK_KT_COUNT
};

#define ZK_KT_UNSET INT64_MIN
/* DNSKEY rdata of a 4096-bit RSA key with a large exponent fits easily. */
#define ZK_KEYFILE_RDMAX 1024

typedef struct zk_keyfile {
	zk_name_t owner;
	uint16_t type; /* ZK_TYPE_DNSKEY or ZK_TYPE_KEY */
	uint16_t rclass;
	uint32_t ttl;
	bool has_ttl;
	uint8_t rdata[ZK_KEYFILE_RDMAX]; /* the DNSKEY/KEY rdata */
	size_t rdlen;
	uint16_t flags;
	uint8_t alg;
	uint16_t keytag;
	zk_key_t *key;              /* public key, or the pair once a .private is read */
	int64_t times[ZK_KT_COUNT]; /* seconds since the epoch, ZK_KT_UNSET */
	unsigned private_minor;     /* v1.N of the .private read (0 if none) */
} zk_keyfile_t;

void zk_keyfile_init(zk_keyfile_t *kf);
/* Frees the key; kf can be reused after zk_keyfile_init. */
void zk_keyfile_clear(zk_keyfile_t *kf);

/* "Created", "Publish", ... */
const char *zk_keytime_name(unsigned which);

/* Fill kf from a key: rdata (flags, protocol 3, algorithm, public key),
 * key tag. Takes ownership of key on success. */
int zk_keyfile_from_key(zk_keyfile_t *kf, const zk_name_t *owner, uint16_t type, uint16_t flags,
                        zk_key_t *key, zk_errctx_t *ec);

/* Recompute flags, key tag and rdata after kf->flags was changed. */
void zk_keyfile_set_flags(zk_keyfile_t *kf, uint16_t flags);

/* Parse a .key file's text: comments, then one DNSKEY or KEY record
 * (owner [ttl] [class] type rdata). name is used in error messages. */
int zk_keyfile_parse_public(zk_keyfile_t *kf, const char *text, size_t n, const char *name,
                            zk_errctx_t *ec);
/* Parse a .private file's text for the key already in kf (algorithm must
 * agree, and the private key must match the public key). */
int zk_keyfile_parse_private(zk_keyfile_t *kf, const char *text, size_t n, const char *name,
                             zk_errctx_t *ec);

/* Read K...key (and .private when want_private). path may name either
 * file or the base name without suffix. */
int zk_keyfile_read(zk_keyfile_t *kf, const char *path, bool want_private, zk_errctx_t *ec);

/* "K<name>+<alg>+<tag>" (alg 3 digits, tag 5 digits, as BIND). */
size_t zk_keyfile_basename(const zk_keyfile_t *kf, char *buf, size_t cap);

/* The .key text exactly as dnssec-keygen writes it (timing comments are
 * printed in UTC). */
void zk_keyfile_format_public(const zk_keyfile_t *kf, zk_buf_t *out);
/* The .private text (v1.3). ZK_EKEY if kf holds no private key. The
 * buffer holds secrets: zk_crypto_cleanse it before freeing. */
int zk_keyfile_format_private(const zk_keyfile_t *kf, zk_buf_t *out);

/* Write dir/K....private (mode 0600 from creation) and dir/K....key
 * (mode pubmode) atomically; refuses to replace existing files
 * (ZK_EEXIST). base (may be NULL) receives the base name. */
int zk_keyfile_write(const zk_keyfile_t *kf, const char *dir, unsigned pubmode, char *base,
                     size_t cap, zk_errctx_t *ec);

/* Key tags in use in dir for owner/alg: each existing key's tag and the
 * tag it would have revoked (RFC 5011 §7), so a new key avoids both.
 * Writes at most cap tags. A missing dir is an error, files that do not
 * parse are skipped. */
int zk_keyfile_dir_tags(const char *dir, const zk_name_t *owner, uint8_t alg, uint16_t *tags,
                        size_t cap, size_t *n, zk_errctx_t *ec);

/* Write data to path atomically: a temporary file in the same directory
 * (created mode 0600, then chmod'ed to mode), fsync, rename (or link when
 * !replace, so an existing file is never overwritten: ZK_EEXIST), fsync of
 * the directory. Never leaves a partial file at path. */
int zk_file_write_atomic(const char *path, const void *data, size_t n, unsigned mode, bool replace,
                         zk_errctx_t *ec);

/* Read a whole (small) file; *data is malloc'd and NUL-terminated. At
 * most max octets (ZK_ELIMIT beyond). ZK_EIO/ZK_ENOENT with errno text. */
int zk_file_read_all(const char *path, size_t max, char **data, size_t *n, zk_errctx_t *ec);

/* Key timing argument as dnssec-keygen takes it: YYYYMMDD[HHMMSS] (UTC),
 * "now", [now]+N or [now]-N with unit y, mo, w, d, h, mi, s (default s),
 * or "none" (ZK_KT_UNSET). now is passed in. */
int zk_keytime_from_text(const char *s, int64_t now, int64_t *out);
/* YYYYMMDDHHMMSS (UTC). */
void zk_keytime_to_text(int64_t t, char out[15]);

#endif
