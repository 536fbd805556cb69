/* Property fuzzer for common/name.c and common/compress.c.
 *
 * The input is used twice:
 *  - as a message holding a possibly compressed wire name, read from
 *    several start offsets: each read either fails cleanly or yields a
 *    name whose text form parses back to the very same octets, whose
 *    compressed rendering reads back the same, and whose decoding cost
 *    stays under the per-name bound;
 *  - as presentation text: it either fails or survives
 *    text -> wire -> text -> wire unchanged. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

static bool same(const zk_name_t *a, const zk_name_t *b)
{
	return a->len == b->len && a->labels == b->labels && memcmp(a->wire, b->wire, a->len) == 0;
}

/* The name is well formed: label lengths chain to a root at len - 1. */
static void check_shape(const zk_name_t *n)
{
	CHECK(n->len >= 1);
	CHECK(zk_name_wire_len(n->wire, n->len) == n->len);
	unsigned labels = 0;
	for (size_t i = 0; n->wire[i] != 0; i += (size_t)n->wire[i] + 1)
		labels++;
	CHECK(labels == n->labels);
}

/* text -> name must reproduce the name exactly. */
static void check_text_roundtrip(const zk_name_t *n)
{
	char text[ZK_NAME_TEXTMAX];
	size_t k = zk_name_to_cstr(n, text, sizeof(text));
	zk_name_t back;

	CHECK(k < sizeof(text));
	CHECK(zk_name_from_text(&back, text, k, NULL, NULL) == 0);
	CHECK(zk_name_eq(n, &back));
	CHECK(same(n, &back));
	CHECK(zk_name_cmp(n, &back) == 0);
	CHECK(zk_name_hash(n) == zk_name_hash(&back));
}

/* Render the name twice (and its parent) with compression into a fresh
 * message, read all back. */
static void check_compress(const zk_name_t *n)
{
	uint8_t msg[12 + 3 * (ZK_NAME_MAXLEN + 2)];
	zk_wbuf_t w;
	zk_compress_t c;
	zk_name_t parent, got;
	size_t offs[3], pos;

	zk_wbuf_init(&w, msg, sizeof(msg));
	zk_wbuf_bytes(&w, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	zk_compress_init(&c, &w);
	CHECK(zk_name_parent(&parent, n, n->labels > 0 ? 1 : 0) == 0);
	offs[0] = w.len;
	zk_compress_put(&c, &w, n);
	offs[1] = w.len;
	zk_compress_put(&c, &w, &parent);
	offs[2] = w.len;
	zk_compress_put(&c, &w, n);
	CHECK(w.err == 0);
	/* The second copy of the name is at most two octets. */
	CHECK(n->len == 1 ? w.len - offs[2] == 1 : w.len - offs[2] == 2);
	for (int i = 0; i < 3; i++) {
		pos = offs[i];
		CHECK(zk_name_from_wire(&got, msg, w.len, &pos, NULL) == 0);
		CHECK(same(&got, i == 1 ? &parent : n));
		CHECK(pos == (i < 2 ? offs[i + 1] : w.len));
	}
}

static void as_wire(const uint8_t *data, size_t size)
{
	/* The last two octets as a pointer reach the end of chains. */
	size_t starts[5] = {0, 12, size / 2, size > 0 ? data[0] % size : 0,
	                    size >= 2 ? size - 2 : 0};

	for (int i = 0; i < 5; i++) {
		zk_name_t n;
		zk_errctx_t ec;
		size_t pos = starts[i], work = 0;
		int r;

		zk_errctx_init(&ec);
		r = zk_name_from_wire_count(&n, data, size, &pos, &work, &ec);
		CHECK(work <= ZK_NAME_MAXWORK);
		if (r != 0) {
			CHECK(r < 0 && ec.code == r && pos == starts[i]);
			/* The offset is where it went wrong: inside the input,
			 * or the start itself when that lies past the end. */
			CHECK(ec.offset >= 0);
			CHECK((size_t)ec.offset <= size || (size_t)ec.offset == starts[i]);
			continue;
		}
		CHECK(pos > starts[i] && pos <= size);
		check_shape(&n);
		check_text_roundtrip(&n);
		check_compress(&n);

		/* Plain decoding agrees whenever there was no pointer. */
		zk_name_t plain;
		size_t ppos = starts[i];
		if (zk_name_from_wire_plain(&plain, data, size, &ppos, NULL) == 0) {
			CHECK(same(&plain, &n));
			CHECK(ppos == pos);
		}
	}
}

static void as_text(const uint8_t *data, size_t size)
{
	static const zk_name_t origin = {.len = 8, .labels = 2, .wire = "\003Org\002ex"};
	zk_name_t n, back;
	char text[ZK_NAME_TEXTMAX];
	uint8_t buf[ZK_NAME_MAXLEN];
	zk_wbuf_t w;
	size_t pos = 0, k;

	if (zk_name_from_text(&n, (const char *)data, size, &origin, NULL) != 0)
		return;
	check_shape(&n);
	/* wire -> name */
	zk_wbuf_init(&w, buf, sizeof(buf));
	zk_name_to_wire(&n, &w);
	CHECK(w.err == 0 && w.len == n.len);
	CHECK(zk_name_from_wire_plain(&back, buf, w.len, &pos, NULL) == 0);
	CHECK(pos == w.len && same(&back, &n));
	/* name -> text -> name -> wire, identical */
	k = zk_name_to_cstr(&back, text, sizeof(text));
	CHECK(zk_name_from_text(&back, text, k, NULL, NULL) == 0);
	CHECK(same(&back, &n));
	/* The printed form is canonical: printing again gives the same text. */
	char again[ZK_NAME_TEXTMAX];
	CHECK(zk_name_to_cstr(&back, again, sizeof(again)) == k);
	CHECK(memcmp(text, again, k) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_wire(data, size);
	as_text(data, size);
	return 0;
}
