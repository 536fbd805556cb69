/* Fuzz target for common/msg.c, edns.c and present.c.
 *
 * Property: whatever the input, parsing never crashes or reads outside the
 * buffer, and its work stays within ZK_MSG_WORK_FACTOR per octet. When the
 * input parses: printing it (dig text in several styles, +short, JSON)
 * works and the JSON is valid; rendering it gives a message that parses to
 * the same header, EDNS and records (whole RRsets fewer, with TC, only
 * when 64 KB is not enough), and rendering that again gives the same
 * octets. A violated property aborts, so libFuzzer keeps the input. */
#include "config.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "name.h"
#include "present.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_msg: property failed: %s (line %d)\n", #cond,        \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Octets equal ignoring ASCII case: the compressor matches names case-
 * insensitively (compress.h), so a name may come back in the case of the
 * earlier name it points to. */
static bool same_fold(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

static bool same_rr(const zk_rr_t *a, const zk_rr_t *b)
{
	return a->type == b->type && a->rclass == b->rclass && a->ttl == b->ttl &&
	       a->rdlen == b->rdlen && a->owner->len == b->owner->len &&
	       same_fold(a->owner->wire, b->owner->wire, a->owner->len) &&
	       (a->rdlen == 0 || same_fold(a->rdata, b->rdata, a->rdlen));
}

/* Uncompressed size of the RRset starting at rr[sec][i]: more than what
 * rendering it could have taken. */
static size_t rrset_size(const zk_msg_t *m, int sec, size_t i)
{
	const zk_rr_t *first = &m->rr[sec][i];
	size_t n = 0;

	for (; i < m->count[sec]; i++) {
		const zk_rr_t *rr = &m->rr[sec][i];
		if (rr->type != first->type || rr->rclass != first->rclass ||
		    !zk_name_eq(rr->owner, first->owner))
			break;
		n += rr->owner->len + 10 + rr->rdlen;
	}
	return n;
}

static void print_all(const zk_msg_t *m)
{
	zk_style_t s;
	zk_buf_t out;
	json_t *j;

	zk_buf_init(&out);
	zk_style_dig(&s);
	zk_present_msg(m, &s, &out);
	s.multiline = s.rrcomments = true;
	zk_present_msg(m, &s, &out);
	s.multiline = false;
	s.ttlid = false;
	s.ttlunits = true;
	s.nocrypto = true;
	zk_present_msg(m, &s, &out);
	s.short_form = true;
	zk_present_msg(m, &s, &out);
	zk_style_zone(&s);
	zk_present_msg(m, &s, &out);
	CHECK(out.err == 0);
	zk_buf_reset(&out);
	zk_style_dig(&s);
	CHECK(zk_present_msg_json(m, &s, NULL, &out) == 0);
	zk_buf_putc(&out, '\0');
	j = json_loads(out.data, 0, NULL);
	CHECK(j != NULL);
	CHECK(json_integer_value(json_object_get(j, "ID")) == m->id);
	json_decref(j);
	zk_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[65535], out2[65535];
	zk_arena_t *a = zk_arena_new(0), *a2 = zk_arena_new(0);
	zk_msg_t m, m2;
	zk_errctx_t ec;
	size_t outlen = 0, outlen2 = 0;
	int r;

	if (a == NULL || a2 == NULL)
		goto done;
	zk_errctx_init(&ec);
	m.work = 0;
	r = zk_msg_parse(&m, data, size, a, &ec);
	CHECK(m.work <= (size_t)ZK_MSG_WORK_FACTOR * (size > 12 ? size : 12));
	if (r < 0) {
		/* A failure says where, inside the input. */
		CHECK(ec.code == r);
		CHECK(ec.offset >= 0 && (size_t)ec.offset <= size);
		goto done;
	}
	CHECK(m.wire_len == size);
	print_all(&m);

	r = zk_msg_render(&m, out, sizeof(out), &outlen, NULL);
	if (r == ZK_ESPACE)
		goto done; /* the question and OPT alone do not fit (names grew) */
	CHECK(r == 0);
	zk_errctx_init(&ec);
	r = zk_msg_parse(&m2, out, outlen, a2, &ec);
	if (r != 0)
		fprintf(stderr, "fuzz_msg: re-parse: %s at %ld\n", ec.msg, ec.offset);
	CHECK(r == 0);
	CHECK(m2.id == m.id);
	CHECK(m2.opcode == m.opcode);
	CHECK(m2.rcode == m.rcode);
	CHECK((m2.flags & ~ZK_FLAG_TC) == (m.flags & ~ZK_FLAG_TC));
	CHECK(m2.has_edns == m.has_edns);
	if (m.has_edns) {
		CHECK(m2.edns.udp_size == m.edns.udp_size);
		CHECK(m2.edns.version == m.edns.version);
		CHECK(m2.edns.flags == m.edns.flags);
		CHECK(m2.edns.nopts == m.edns.nopts);
		for (size_t i = 0; i < m.edns.nopts; i++) {
			CHECK(m2.edns.opts[i].code == m.edns.opts[i].code);
			CHECK(m2.edns.opts[i].len == m.edns.opts[i].len);
			CHECK(memcmp(m2.edns.opts[i].data, m.edns.opts[i].data,
			             m.edns.opts[i].len) == 0);
		}
	}
	CHECK(m2.sig == NULL); /* TSIG/SIG(0) are the signer's to append */
	for (int s = 0; s < ZK_SEC_COUNT; s++) {
		CHECK(m2.count[s] <= m.count[s]);
		for (size_t i = 0; i < m2.count[s]; i++)
			CHECK(same_rr(&m2.rr[s][i], &m.rr[s][i]));
		if (m2.count[s] < m.count[s]) {
			/* Only when 64 KB was not enough; TC unless only
			 * additional data went (RFC 2181 §9). */
			CHECK(outlen + rrset_size(&m, s, m2.count[s]) > sizeof(out));
			if (s == ZK_SEC_ANSWER || s == ZK_SEC_AUTHORITY)
				CHECK(m2.flags & ZK_FLAG_TC);
			for (int t = s + 1; t < ZK_SEC_COUNT; t++)
				CHECK(m2.count[t] == 0 || t == ZK_SEC_ADDITIONAL);
		}
	}
	if (!(m.flags & ZK_FLAG_TC) && m2.count[ZK_SEC_ANSWER] == m.count[ZK_SEC_ANSWER] &&
	    m2.count[ZK_SEC_AUTHORITY] == m.count[ZK_SEC_AUTHORITY])
		CHECK(!(m2.flags & ZK_FLAG_TC));
	/* Rendering is a function of the message: the same octets again. */
	r = zk_msg_render(&m2, out2, sizeof(out2), &outlen2, NULL);
	CHECK(r == 0);
	if (m2.count[ZK_SEC_ANSWER] == m.count[ZK_SEC_ANSWER] &&
	    m2.count[ZK_SEC_AUTHORITY] == m.count[ZK_SEC_AUTHORITY] &&
	    m2.count[ZK_SEC_ADDITIONAL] == m.count[ZK_SEC_ADDITIONAL]) {
		CHECK(outlen2 == outlen);
		CHECK(memcmp(out, out2, outlen) == 0);
	}
done:
	zk_arena_free(a);
	zk_arena_free(a2);
	return 0;
}
