/* Property fuzzer for common/keyfile.c (BIND .key and .private files).
 *
 * Input: the text of a .key file, optionally followed by a NUL octet and
 * the text of a .private file for it (the seeds are real pairs from
 * t/data/keys). Properties:
 *  - a failing parse returns a negative code that is in the enum, fills
 *    the error context with it and a message, and leaves the key file
 *    untouched (outputs are set only on success);
 *  - a .key that parses has a key tag that is RFC 4034 Appendix B's over
 *    its rdata, and is written back (zk_keyfile_format_public) as text that
 *    parses to the same owner (octet for octet), type, class, TTL, rdata,
 *    flags, algorithm and key tag; writing that again gives the same text;
 *  - a .private that parses gives a private key whose public half is the
 *    one of the .key; it is written back (zk_keyfile_format_private) as
 *    text that parses, for the same .key, to the same key material and
 *    times, and writing that again gives the same text.
 * A violated property aborts, so libFuzzer keeps the input. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crypto.h"
#include "dnssec.h"
#include "keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Texts are handed over without a NUL after them (the API takes a
 * length), but the C library reads past what ASan sees: sscanf measures
 * its whole string first, strtoul reads on while there are digits. With
 * KEYFILE_STRICT the text ends right before an inaccessible page, so any
 * read past it faults. keyfile.c still reads past the end (the TTL's
 * strtoul, the sscanf of the .private format and Algorithm lines; the
 * corpus files crash-* show it), so by default a NUL is put after the
 * .private text and the .key text is an exact-size heap copy. */
#ifndef KEYFILE_STRICT
#define KEYFILE_STRICT 1
#endif

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_keyfile: property failed: %s (line %d)\n", #cond,    \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check_error(int rc, const zk_errctx_t *ec)
{
	CHECK(rc < 0 && rc > ZK_ELAST);
	CHECK(ec->code == rc);
	CHECK(ec->msg[0] != '\0');
	CHECK(memchr(ec->msg, '\0', sizeof ec->msg) != NULL);
}

/* The parts of a key file the public text carries. */
static void same_public(const zk_keyfile_t *a, const zk_keyfile_t *b)
{
	CHECK(a->owner.len == b->owner.len && a->owner.labels == b->owner.labels);
	CHECK(memcmp(a->owner.wire, b->owner.wire, a->owner.len) == 0);
	CHECK(a->type == b->type);
	CHECK(a->rclass == b->rclass);
	CHECK(a->has_ttl == b->has_ttl);
	CHECK(!a->has_ttl || a->ttl == b->ttl);
	CHECK(a->rdlen == b->rdlen);
	CHECK(memcmp(a->rdata, b->rdata, a->rdlen) == 0);
	CHECK(a->flags == b->flags);
	CHECK(a->alg == b->alg);
	CHECK(a->keytag == b->keytag);
}

static void same_material(const zk_key_t *a, const zk_key_t *b)
{
	zk_key_material_t ma, mb;

	CHECK(zk_key_export(a, &ma) == 0);
	CHECK(zk_key_export(b, &mb) == 0);
	for (unsigned f = 0; f < ZK_KF_COUNT; f++) {
		CHECK((ma.f[f] == NULL) == (mb.f[f] == NULL));
		CHECK(ma.len[f] == mb.len[f]);
		CHECK(ma.f[f] == NULL || memcmp(ma.f[f], mb.f[f], ma.len[f]) == 0);
	}
	zk_key_material_clear(&ma);
	zk_key_material_clear(&mb);
}

/* The public key field both keys give. */
static void same_public_key(const zk_key_t *a, const zk_key_t *b)
{
	static uint8_t pa[ZK_KEYFILE_RDMAX], pb[ZK_KEYFILE_RDMAX];
	size_t la = 0, lb = 0;

	CHECK(zk_key_public(a, pa, sizeof pa, &la) == 0);
	CHECK(zk_key_public(b, pb, sizeof pb, &lb) == 0);
	CHECK(la == lb && memcmp(pa, pb, la) == 0);
}

/* The text to parse: before a guard page (KEYFILE_STRICT), or an
 * exact-size heap copy (so ASan sees reads past it by our code), with a
 * NUL after it when nul. Release with drop(). */
struct text {
	char *s;
	void *map;
	size_t maplen;
};

static void place(struct text *t, const uint8_t *p, size_t n, bool nul)
{
	memset(t, 0, sizeof *t);
	if (KEYFILE_STRICT) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		size_t len = (n + page - 1) / page * page + page;
		t->map =
		    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t->map == MAP_FAILED ||
		    mprotect((char *)t->map + len - page, page, PROT_NONE) != 0)
			abort();
		t->maplen = len;
		t->s = (char *)t->map + len - page - n;
	} else {
		t->s = malloc(n + (nul ? 1 : 0) + (n == 0));
		if (t->s == NULL)
			abort();
		if (nul)
			t->s[n] = '\0';
	}
	if (n > 0)
		memcpy(t->s, p, n);
}

static void drop(struct text *t, size_t n)
{
	zk_crypto_cleanse(t->s, n);
	if (t->map != NULL)
		munmap(t->map, t->maplen);
	else
		free(t->s);
}

static void private_side(zk_keyfile_t *kf, const uint8_t *text, size_t n)
{
	zk_keyfile_t snap, kf2, kf3;
	zk_buf_t out, out2, pub;
	zk_errctx_t ec;
	struct text t;
	int rc;

	memcpy(&snap, kf, sizeof snap);
	zk_errctx_init(&ec);
	place(&t, text, n, true);
	rc = zk_keyfile_parse_private(kf, t.s, n, "fuzz.private", &ec);
	drop(&t, n);
	if (rc != 0) {
		check_error(rc, &ec);
		CHECK(memcmp(&snap, kf, sizeof snap) == 0);
		return;
	}
	CHECK(kf->key != NULL && zk_key_is_private(kf->key));
	CHECK(zk_key_alg(kf->key) == kf->alg);

	/* Write it back, read the .key and .private again. */
	zk_buf_init(&pub);
	zk_buf_init(&out);
	zk_buf_init(&out2);
	zk_keyfile_format_public(kf, &pub);
	CHECK(pub.err == 0);
	CHECK(zk_keyfile_format_private(kf, &out) == 0);
	zk_keyfile_init(&kf2);
	zk_errctx_init(&ec);
	rc = zk_keyfile_parse_public(&kf2, pub.data, pub.len, "back.key", &ec);
	if (rc != 0)
		fprintf(stderr, "fuzz_keyfile: re-parse of\n%s: %s\n", pub.data, ec.msg);
	CHECK(rc == 0);
	rc = zk_keyfile_parse_private(&kf2, out.data, out.len, "back.private", &ec);
	if (rc != 0)
		fprintf(stderr, "fuzz_keyfile: re-parse of the private file: %s\n", ec.msg);
	CHECK(rc == 0);
	same_public(kf, &kf2);
	same_material(kf->key, kf2.key);
	for (unsigned i = 0; i < ZK_KT_COUNT; i++)
		CHECK(kf->times[i] == kf2.times[i]);
	CHECK(kf2.private_minor == 3);
	CHECK(zk_keyfile_format_private(&kf2, &out2) == 0);
	CHECK(out.len == out2.len && memcmp(out.data, out2.data, out.len) == 0);

	/* The .key written back is a public-only key with the same public
	 * half as the pair. */
	zk_keyfile_init(&kf3);
	CHECK(zk_keyfile_parse_public(&kf3, pub.data, pub.len, "back.key", NULL) == 0);
	CHECK(!zk_key_is_private(kf3.key));
	same_public_key(kf3.key, kf->key);
	zk_keyfile_clear(&kf3);

	zk_keyfile_clear(&kf2);
	zk_crypto_cleanse(out.data, out.len);
	zk_crypto_cleanse(out2.data, out2.len);
	zk_buf_free(&out);
	zk_buf_free(&out2);
	zk_buf_free(&pub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t pn = nul ? (size_t)(nul - data) : size;
	zk_keyfile_t kf, snap, kf2;
	zk_buf_t out, out2;
	zk_errctx_t ec;
	struct text t;
	int rc;

	if (size > 16384)
		return 0;
	zk_keyfile_init(&kf);
	memcpy(&snap, &kf, sizeof snap);
	zk_errctx_init(&ec);
	place(&t, data, pn, false);
	rc = zk_keyfile_parse_public(&kf, t.s, pn, "fuzz.key", &ec);
	drop(&t, pn);
	if (rc != 0) {
		check_error(rc, &ec);
		CHECK(memcmp(&snap, &kf, sizeof snap) == 0);
		/* Without a public key a private file is refused cleanly. */
		if (nul != NULL) {
			zk_errctx_init(&ec);
			place(&t, nul + 1, size - pn - 1, true);
			rc = zk_keyfile_parse_private(&kf, t.s, size - pn - 1, "fuzz.private", &ec);
			drop(&t, size - pn - 1);
			CHECK(rc == ZK_EINVAL);
			check_error(rc, &ec);
		}
		return 0;
	}
	CHECK(kf.key != NULL && !zk_key_is_private(kf.key));
	CHECK(kf.rdlen >= 5 && kf.rdlen <= ZK_KEYFILE_RDMAX);
	CHECK(kf.keytag == zk_dnssec_keytag(kf.rdata, kf.rdlen));
	CHECK(kf.flags == zk_get_u16(kf.rdata) && kf.alg == kf.rdata[3] && kf.rdata[2] == 3);
	CHECK(kf.private_minor == 0);

	zk_buf_init(&out);
	zk_buf_init(&out2);
	zk_keyfile_format_public(&kf, &out);
	CHECK(out.err == 0 && out.data != NULL);
	zk_keyfile_init(&kf2);
	zk_errctx_init(&ec);
	rc = zk_keyfile_parse_public(&kf2, out.data, out.len, "back.key", &ec);
	if (rc != 0)
		fprintf(stderr, "fuzz_keyfile: re-parse of\n%s: %s\n", out.data, ec.msg);
	CHECK(rc == 0);
	same_public(&kf, &kf2);
	same_public_key(kf.key, kf2.key);
	zk_keyfile_format_public(&kf2, &out2);
	CHECK(out2.err == 0);
	CHECK(out.len == out2.len && memcmp(out.data, out2.data, out.len) == 0);
	zk_keyfile_clear(&kf2);
	zk_buf_free(&out);
	zk_buf_free(&out2);

	if (nul != NULL)
		private_side(&kf, nul + 1, size - pn - 1);
	zk_keyfile_clear(&kf);
	return 0;
}
