/* encode — base16, base32hex (RFC 4648 §7) and base64.
 *
 * Encoders append to a zk_buf_t. Decoders are strict (alphabet, padding,
 * no stray bits) and write to caller memory; whitespace is NOT accepted
 * (zone-file tokens are joined by the caller). */
#ifndef ZK_ENCODE_H
#define ZK_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"

void zk_base64_encode(zk_buf_t *out, const uint8_t *in, size_t n);
/* ZK_EBASE64 or ZK_ESPACE on failure; *outlen set only on success. */
int zk_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen);

/* upper: "0A1B" (BIND's rdata style) or "0a1b". */
void zk_hex_encode(zk_buf_t *out, const uint8_t *in, size_t n, bool upper);
/* Case-insensitive; odd length is ZK_EHEX. */
int zk_hex_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen);

/* Base32 with the extended hex alphabet, no padding (NSEC3, RFC 5155 §3.3). */
void zk_base32hex_encode(zk_buf_t *out, const uint8_t *in, size_t n, bool upper);
int zk_base32hex_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *outlen);

#endif
