/* Property fuzzer for the TSIG key readers of common/tsig.c.
 *
 * The whole input is read by zk_tsig_keys_parse (named.conf key blocks,
 * tsig-keygen output, dnssec-keygen HMAC .private files) and, up to its
 * first NUL, by zk_tsig_key_from_string ("[alg:]name:secret", dig -y).
 * Properties:
 *  - a failure is a negative code of the enum, with the error context
 *    filled; keys_parse returns at most the room it was given;
 *  - every key read is sound: a secret of 1..ZK_TSIG_SECRET_MAX octets,
 *    a known algorithm whose MAC length is the digest's or an allowed
 *    truncation (RFC 8945 §5.2.2.1);
 *  - every key read, written back as a `key "name" { algorithm a; secret
 *    "b64"; };` block (the printer below), reads back as the identical key
 *    (name octet for octet, algorithm, MAC length, secret), alone and
 *    among the other keys; the -y string written back from it does too.
 * A violated property aborts, so libFuzzer keeps the input. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "name.h"
#include "tsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXKEYS 8

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_tsigkeys: property failed: %s (line %d)\n", #cond,   \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check_error(int rc, const zk_errctx_t *ec)
{
	CHECK(rc < 0 && rc > ZK_ELAST);
	CHECK(ec->code == rc);
	CHECK(ec->msg[0] != '\0');
}

static void check_sound(const zk_tsig_key_t *k)
{
	size_t full = zk_md_size(k->md);

	CHECK(full > 0);
	CHECK(k->secret_len >= 1 && k->secret_len <= ZK_TSIG_SECRET_MAX);
	CHECK(k->mac_len <= full && k->mac_len >= 10 && 2 * k->mac_len >= full);
	CHECK(k->truncated == (k->mac_len < full));
	CHECK(k->name.len >= 1 && k->alg.len > 1);
}

static void same_key(const zk_tsig_key_t *a, const zk_tsig_key_t *b)
{
	CHECK(a->name.len == b->name.len && a->name.labels == b->name.labels);
	CHECK(memcmp(a->name.wire, b->name.wire, a->name.len) == 0);
	CHECK(a->alg.len == b->alg.len && memcmp(a->alg.wire, b->alg.wire, a->alg.len) == 0);
	CHECK(a->md == b->md);
	CHECK(a->mac_len == b->mac_len);
	CHECK(a->truncated == b->truncated);
	CHECK(a->secret_len == b->secret_len);
	CHECK(memcmp(a->secret, b->secret, a->secret_len) == 0);
}

/* A name's presentation form, with the octets that would end or split the
 * token it sits in (a quote ends a named.conf string; a colon splits a -y
 * string) written as \DDD, which zk_name_from_text reads back. */
static void put_name(zk_buf_t *out, const zk_name_t *n)
{
	zk_buf_t t;

	zk_buf_init(&t);
	zk_name_to_text(n, &t);
	CHECK(t.err == 0 && t.data != NULL);
	for (size_t i = 0; i < t.len; i++) {
		if (t.data[i] == '\\' && i + 1 < t.len && t.data[i + 1] == '"') {
			zk_buf_puts(out, "\\034");
			i++;
		} else if (t.data[i] == ':') {
			zk_buf_puts(out, "\\058");
		} else {
			zk_buf_putc(out, t.data[i]);
		}
	}
	zk_buf_free(&t);
}

/* The algorithm as a key block names it: the wire name without its final
 * dot, with "-bits" when the MAC is truncated (RFC 4635 §3). */
static void put_alg(zk_buf_t *out, const zk_tsig_key_t *k)
{
	zk_buf_t t;

	zk_buf_init(&t);
	zk_name_to_text(&k->alg, &t);
	CHECK(t.err == 0 && t.len > 1 && t.data[t.len - 1] == '.');
	zk_buf_put(out, t.data, t.len - 1);
	if (k->truncated)
		zk_buf_printf(out, "-%zu", 8 * k->mac_len);
	zk_buf_free(&t);
}

static void put_block(zk_buf_t *out, const zk_tsig_key_t *k)
{
	zk_buf_puts(out, "key \"");
	put_name(out, &k->name);
	zk_buf_puts(out, "\" {\n\talgorithm ");
	put_alg(out, k);
	zk_buf_puts(out, ";\n\tsecret \"");
	zk_base64_encode(out, k->secret, k->secret_len);
	zk_buf_puts(out, "\";\n};\n");
}

/* One key: as a block alone, and as a -y string. */
static void round_trip(const zk_tsig_key_t *k)
{
	zk_tsig_key_t back[2];
	zk_errctx_t ec;
	zk_buf_t b;
	int rc;

	check_sound(k);
	zk_buf_init(&b);
	put_block(&b, k);
	CHECK(b.err == 0);
	zk_errctx_init(&ec);
	rc = zk_tsig_keys_parse(b.data, b.len, NULL, back, 2, &ec);
	if (rc != 1)
		fprintf(stderr, "fuzz_tsigkeys: re-parse of\n%s: %d %s\n", b.data, rc, ec.msg);
	CHECK(rc == 1);
	same_key(k, &back[0]);

	zk_buf_reset(&b);
	put_alg(&b, k);
	zk_buf_putc(&b, ':');
	put_name(&b, &k->name);
	zk_buf_putc(&b, ':');
	zk_base64_encode(&b, k->secret, k->secret_len);
	CHECK(b.err == 0);
	zk_errctx_init(&ec);
	rc = zk_tsig_key_from_string(&back[1], b.data, &ec);
	if (rc != 0)
		fprintf(stderr, "fuzz_tsigkeys: re-parse of '%s': %s\n", b.data, ec.msg);
	CHECK(rc == 0);
	same_key(k, &back[1]);
	zk_crypto_cleanse(b.data, b.len);
	zk_buf_free(&b);
}

static zk_tsig_key_t keys[MAXKEYS], back[MAXKEYS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zk_errctx_t ec;
	zk_tsig_key_t k;
	zk_buf_t all;
	char *t;
	int rc;

	if (size > 65536)
		return 0;
	/* An exact-size copy: the reader is given a length, not a string. */
	t = malloc(size ? size : 1);
	if (t == NULL)
		abort();
	memcpy(t, data, size);
	zk_errctx_init(&ec);
	rc = zk_tsig_keys_parse(t, size, "hint.example", keys, MAXKEYS, &ec);
	free(t);
	if (rc < 0) {
		check_error(rc, &ec);
	} else {
		CHECK(rc >= 1 && rc <= MAXKEYS);
		/* All keys together, as one file, read back in order. */
		zk_buf_init(&all);
		zk_buf_puts(&all, "# written back\n");
		for (int i = 0; i < rc; i++) {
			round_trip(&keys[i]);
			put_block(&all, &keys[i]);
			zk_buf_puts(&all, "options { directory \"/tmp\"; };\n");
		}
		CHECK(all.err == 0);
		CHECK(zk_tsig_keys_parse(all.data, all.len, NULL, back, MAXKEYS, NULL) == rc);
		for (int i = 0; i < rc; i++)
			same_key(&keys[i], &back[i]);
		/* One slot fewer than keys: ZK_ELIMIT, not an overflow (a
		 * .private holds one key and needs one slot). */
		if (rc > 1) {
			zk_errctx_init(&ec);
			CHECK(zk_tsig_keys_parse(all.data, all.len, NULL, back, (size_t)rc - 1,
			                         &ec) == ZK_ELIMIT);
		}
		zk_crypto_cleanse(all.data, all.len);
		zk_buf_free(&all);
	}

	/* The -y form reads a C string. */
	t = malloc(size + 1);
	if (t == NULL)
		abort();
	memcpy(t, data, size);
	t[size] = '\0';
	zk_errctx_init(&ec);
	memset(&k, 0, sizeof k);
	rc = zk_tsig_key_from_string(&k, t, &ec);
	free(t);
	if (rc != 0)
		check_error(rc, &ec);
	else
		round_trip(&k);
	return 0;
}
