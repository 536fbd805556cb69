/* Property fuzzer for the type bitmaps of common/nsec.c (RFC 4034 §4.1.2).
 *
 * The input is read twice: as a wire bitmap, and as a list of big-endian
 * 16-bit types. Properties:
 *  - the checker's verdict agrees with an independent reading of §4.1.2
 *    written here (windows increasing, 1..32 octets, no trailing zero
 *    octet, nothing left over); a refusal points inside the bitmap, and
 *    both decoders refuse what the checker refuses;
 *  - a bitmap the checker accepts decodes to strictly ascending types,
 *    from which the builder makes the identical octets — from the list as
 *    decoded, reversed with duplicates, and through a type set; the set
 *    and zk_bitmap_has agree with the list; a list of the exact size is
 *    enough, one fewer is ZK_ESPACE with nothing written;
 *  - any list of types builds a bitmap the checker accepts that decodes to
 *    the sorted, de-duplicated list, and a short output buffer is
 *    ZK_ESPACE.
 * A violated property aborts, so libFuzzer keeps the input. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_bitmap: property failed: %s (line %d)\n", #cond,     \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static uint16_t types[65536 + 1], types2[65536 * 2];
static uint8_t out[ZK_BITMAP_MAXLEN], out2[ZK_BITMAP_MAXLEN];
static zk_typeset_t set, set2;
static uint8_t seen[8192];

/* RFC 4034 §4.1.2 read directly: a sequence of (window, length, bits). */
static bool valid(const uint8_t *bm, size_t n)
{
	int last = -1;
	size_t i = 0;

	while (i != n) {
		if (i + 2 > n)
			return false;
		if (bm[i] <= last || bm[i + 1] < 1 || bm[i + 1] > 32 || i + 2 + bm[i + 1] > n ||
		    bm[i + 1 + bm[i + 1]] == 0)
			return false;
		last = bm[i];
		i += 2 + bm[i + 1];
	}
	return true;
}

static void same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	CHECK(an == bn);
	CHECK(an == 0 || memcmp(a, b, an) == 0);
}

static void wire_side(const uint8_t *bm, size_t n)
{
	zk_errctx_t ec;
	size_t nt = 12345, len = 0;
	int rc;

	zk_errctx_init(&ec);
	rc = zk_bitmap_check(bm, n, &ec);
	CHECK(rc == 0 || rc == ZK_ERDATA);
	CHECK((rc == 0) == valid(bm, n));
	if (rc != 0) {
		CHECK(ec.code == rc && ec.offset >= 0 && (size_t)ec.offset < n);
		CHECK(zk_bitmap_to_types(bm, n, types, 65536, &nt, NULL) == rc && nt == 12345);
		CHECK(zk_bitmap_to_set(bm, n, &set, NULL) == rc);
		(void)zk_bitmap_has(bm, n, (uint16_t)(n > 0 ? bm[0] << 8 : 0));
		return;
	}

	CHECK(zk_bitmap_to_types(bm, n, types, 65536, &nt, NULL) == 0);
	CHECK(nt <= 65536);
	CHECK((nt == 0) == (n == 0));
	for (size_t i = 1; i < nt; i++)
		CHECK(types[i - 1] < types[i]);
	/* A list with exactly the room needed is enough; one fewer is not,
	 * and then nothing is written. */
	if (nt > 0) {
		size_t nt2 = 777;
		CHECK(zk_bitmap_to_types(bm, n, types2, nt, &nt2, NULL) == 0 && nt2 == nt);
		CHECK(memcmp(types, types2, nt * sizeof types[0]) == 0);
		nt2 = 777;
		CHECK(zk_bitmap_to_types(bm, n, types2, nt - 1, &nt2, NULL) == ZK_ESPACE);
		CHECK(nt2 == 777);
	}

	/* Builder: from the list, the identical octets. */
	CHECK(zk_bitmap_from_types(types, nt, out, sizeof out, &len) == 0);
	same_bytes(bm, n, out, len);
	/* The same from the list reversed and every type twice. */
	for (size_t i = 0; i < nt; i++)
		types2[i] = types2[2 * nt - 1 - i] = types[nt - 1 - i];
	CHECK(zk_bitmap_from_types(types2, 2 * nt, out, sizeof out, &len) == 0);
	same_bytes(bm, n, out, len);
	/* A buffer one octet short is refused. */
	if (n > 0)
		CHECK(zk_bitmap_from_types(types, nt, out, n - 1, &len) == ZK_ESPACE);

	/* Through a set. */
	CHECK(zk_bitmap_to_set(bm, n, &set, NULL) == 0);
	zk_typeset_clear(&set2);
	for (size_t i = 0; i < nt; i++) {
		CHECK(zk_typeset_has(&set, types[i]));
		zk_typeset_add(&set2, types[i]);
	}
	CHECK(memcmp(set.bits, set2.bits, sizeof set.bits) == 0);
	CHECK(zk_bitmap_from_set(&set, out2, sizeof out2, &len) == 0);
	same_bytes(bm, n, out2, len);

	/* zk_bitmap_has: every listed type, and in each window used every
	 * other type of it; outside them a sample. */
	for (size_t i = 0; i < nt; i++)
		CHECK(zk_bitmap_has(bm, n, types[i]));
	for (size_t i = 0; i < n; i += 2 + bm[i + 1]) {
		for (unsigned b = 0; b < 256; b++) {
			uint16_t t = (uint16_t)(bm[i] << 8 | b);
			CHECK(zk_bitmap_has(bm, n, t) == zk_typeset_has(&set, t));
		}
	}
	for (unsigned w = 0; w < 256; w += 17)
		CHECK(zk_bitmap_has(bm, n, (uint16_t)(w << 8 | 0x5a)) ==
		      zk_typeset_has(&set, (uint16_t)(w << 8 | 0x5a)));
	zk_typeset_del(&set, nt > 0 ? types[0] : 0);
	CHECK(nt == 0 || !zk_typeset_has(&set, types[0]));
}

static void list_side(const uint8_t *data, size_t size)
{
	size_t n = size / 2, len = 0, nt = 0, want = 0;
	int rc;

	for (size_t i = 0; i < n; i++)
		types2[i] = (uint16_t)(data[2 * i] << 8 | data[2 * i + 1]);
	rc = zk_bitmap_from_types(types2, n, out, sizeof out, &len);
	CHECK(rc == 0);
	CHECK(len <= ZK_BITMAP_MAXLEN);
	CHECK(zk_bitmap_check(out, len, NULL) == 0);
	CHECK(zk_bitmap_to_types(out, len, types, 65536, &nt, NULL) == 0);

	/* The sorted, de-duplicated list, counted independently. */
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < n; i++)
		seen[types2[i] >> 3] |= (uint8_t)(0x80 >> (types2[i] & 7));
	for (uint32_t o = 0; o < sizeof seen; o++) {
		if (seen[o] == 0)
			continue;
		for (uint32_t t = o * 8; t < o * 8 + 8; t++) {
			if (seen[t >> 3] & (0x80 >> (t & 7))) {
				CHECK(want < nt && types[want] == t);
				want++;
			}
		}
	}
	CHECK(want == nt);
	/* A set with the same bits gives the same octets. */
	memcpy(set.bits, seen, sizeof seen);
	CHECK(zk_bitmap_from_set(&set, out2, sizeof out2, &nt) == 0);
	same_bytes(out, len, out2, nt);
	if (len > 0) {
		CHECK(zk_bitmap_from_types(types2, n, out2, len - 1, &nt) == ZK_ESPACE);
		CHECK(zk_bitmap_from_set(&set, out2, len - 1, &nt) == ZK_ESPACE);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * 65536)
		return 0;
	wire_side(data, size);
	list_side(data, size);
	return 0;
}
