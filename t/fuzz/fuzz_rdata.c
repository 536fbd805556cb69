/* Property fuzzer for common/rdata*.c.
 *
 * Input: 2 octets of type (big-endian), then rdata in wire form.
 *  - zk_rdata_to_text never crashes, whatever the octets and flags;
 *  - if zk_rdata_check accepts the rdata, then wire -> text -> tokenize ->
 *    from_text gives the same octets, in the one-line, multiline (with
 *    comments), unsplit and RFC 3597 forms; from_wire of the rdata inside
 *    a message gives the same octets; the canonical form is still valid;
 *  - the same octets read as presentation text: if from_text accepts them,
 *    the result passes zk_rdata_check and reads back through to_text. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rdata.h"

#define MAXTOK 70000

static zk_token_t toks[MAXTOK];
static uint8_t back[65536];
static uint8_t msg[12 + 65536];

static void roundtrip(uint16_t type, const uint8_t *rd, size_t n, unsigned flags)
{
	zk_buf_t b;
	size_t nt, bn;
	int r;

	zk_buf_init(&b);
	r = zk_rdata_to_text(type, rd, n, flags, "\t\t", &b);
	if (r != 0 || b.err != 0)
		abort();
	if (zk_text_tokenize(b.data ? b.data : "", b.len, toks, MAXTOK, &nt, NULL) != 0)
		abort();
	r = zk_rdata_from_text(type, toks, nt, NULL, back, sizeof(back), &bn, NULL);
	if (r != 0 || bn != n || (n > 0 && memcmp(back, rd, n) != 0))
		abort();
	zk_buf_free(&b);
}

static void text_side(uint16_t type, const uint8_t *data, size_t size)
{
	static uint8_t wire[65536];
	size_t nt, wn;
	zk_buf_t b;

	if (zk_text_tokenize((const char *)data, size, toks, MAXTOK, &nt, NULL) != 0)
		return;
	if (zk_rdata_from_text(type, toks, nt, NULL, wire, sizeof(wire), &wn, NULL) != 0)
		return;
	if (zk_rdata_check(type, wire, wn, NULL) != 0)
		abort();
	zk_buf_init(&b);
	if (zk_rdata_to_text(type, wire, wn, 0, "\t", &b) != 0)
		abort();
	zk_buf_free(&b);
	roundtrip(type, wire, wn, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flagsets[] = {
	    0,
	    ZK_RDTEXT_MULTILINE | ZK_RDTEXT_COMMENTS,
	    ZK_RDTEXT_MULTILINE,
	    ZK_RDTEXT_COMMENTS,
	    ZK_RDTEXT_NOSPLIT,
	    ZK_RDTEXT_GENERIC,
	};
	uint16_t type;
	const uint8_t *rd;
	size_t n;

	if (size < 2 || size - 2 > 65535)
		return 0;
	type = (uint16_t)(data[0] << 8 | data[1]);
	rd = data + 2;
	n = size - 2;

	/* Printing never crashes, valid or not. */
	for (size_t i = 0; i < sizeof(flagsets) / sizeof(flagsets[0]); i++) {
		zk_buf_t b;
		zk_buf_init(&b);
		(void)zk_rdata_to_text(type, rd, n, flagsets[i] | ZK_RDTEXT_NOCRYPTO * (i == 3),
		                       "\t", &b);
		zk_buf_free(&b);
	}

	if (zk_rdata_check(type, rd, n, NULL) == 0) {
		size_t bn;
		for (size_t i = 0; i < sizeof(flagsets) / sizeof(flagsets[0]); i++)
			roundtrip(type, rd, n, flagsets[i]);
		memset(msg, 0, 12);
		memcpy(msg + 12, rd, n);
		if (zk_rdata_from_wire(type, msg, 12 + n, 12, (uint16_t)n, back, sizeof(back), &bn,
		                       NULL) != 0 ||
		    bn != n || (n > 0 && memcmp(back, rd, n) != 0))
			abort();
		memcpy(back, rd, n);
		zk_rdata_canonicalize(type, back, n);
		if (zk_rdata_check(type, back, n, NULL) != 0)
			abort();
	} else {
		/* Also the decoder for messages must refuse it (or decompress
		 * to something valid). */
		size_t bn;
		memset(msg, 0, 12);
		memcpy(msg + 12, rd, n);
		if (zk_rdata_from_wire(type, msg, 12 + n, 12, (uint16_t)n, back, sizeof(back), &bn,
		                       NULL) == 0 &&
		    zk_rdata_check(type, back, bn, NULL) != 0)
			abort();
	}
	text_side(type, rd, n);
	return 0;
}
