/* Property fuzzer for zk_net_reply_match (common/net.c): does a reply,
 * as received from anyone, answer our query?
 *
 * Input: one selector octet, then the reply. The selector picks the match
 * flags (bit 0: ZK_NET_MATCH_NOQUESTION) and the query: one of four fixed
 * queries we render (plain, 0x20 mixed case with two questions and a
 * compressed name, NOTIFY, UPDATE), or one rendered from the reply's own
 * header and question, perturbed or not (case, ID, opcode, type, class,
 * one question fewer, a longer name), so that real replies reach both
 * outcomes. Properties:
 *  - it never reads outside either buffer (ASan); on a mismatch why is
 *    one of the documented reasons; the verdict is the same with why NULL;
 *  - the verdict is the one RFC 5452 §9.1 / RFC 1035 §7.3 give, checked
 *    in the documented order: short, ID, QR, opcode, question. The header
 *    part is computed here from the octets. The question part is decided
 *    from zk_msg_parse of the reply cut after its question section (other
 *    counts zeroed): names equal ignoring ASCII case, type and class
 *    equal, as many questions as asked (or none with the flag). A
 *    question section that does not decode never matches;
 *  - the query with QR set matches itself.
 * A violated property aborts, so libFuzzer keeps the input. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "name.h"
#include "net.h"
#include "rrtype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_reply: property failed: %s (line %d)\n", #cond,      \
			        __LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAXQ   8
#define QUERYS 4

struct query {
	uint8_t wire[4096];
	size_t len;
};

static struct query fixed[QUERYS];
static bool fixed_done;

struct qspec {
	uint16_t id;
	uint8_t opcode;
	uint16_t flags;
	size_t n;
	zk_name_t names[MAXQ];
	uint16_t type[MAXQ], rclass[MAXQ];
};

static void render(const struct qspec *s, struct query *q)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_msg_t m;

	CHECK(a != NULL);
	zk_msg_init(&m);
	m.id = s->id;
	m.opcode = s->opcode;
	m.flags = s->flags;
	for (size_t i = 0; i < s->n; i++) {
		zk_rr_t rr = {.owner = &s->names[i], .type = s->type[i], .rclass = s->rclass[i]};
		CHECK(zk_msg_add(&m, a, ZK_SEC_QUESTION, &rr) == 0);
	}
	CHECK(zk_msg_render(&m, q->wire, sizeof q->wire, &q->len, NULL) == 0);
	zk_arena_free(a);
}

static void add_q(struct qspec *s, const char *name, uint16_t type)
{
	CHECK(zk_name_from_text(&s->names[s->n], name, strlen(name), NULL, NULL) == 0);
	s->type[s->n] = type;
	s->rclass[s->n] = ZK_CLASS_IN;
	s->n++;
}

static void make_fixed(void)
{
	struct qspec s;

	memset(&s, 0, sizeof s);
	s.id = 0x1234;
	s.flags = ZK_FLAG_RD;
	add_q(&s, "example.com.", ZK_TYPE_A);
	render(&s, &fixed[0]);

	memset(&s, 0, sizeof s);
	s.id = 0xbeef;
	s.flags = ZK_FLAG_RD | ZK_FLAG_CD;
	add_q(&s, "WwW.ExAmPlE.oRg.", ZK_TYPE_AAAA);
	add_q(&s, "example.ORG.", ZK_TYPE_MX);
	render(&s, &fixed[1]);

	memset(&s, 0, sizeof s);
	s.id = 0;
	s.opcode = 4; /* NOTIFY */
	s.flags = ZK_FLAG_AA;
	add_q(&s, "example.com.", ZK_TYPE_SOA);
	render(&s, &fixed[2]);

	memset(&s, 0, sizeof s);
	s.id = 0xffff;
	s.opcode = 5; /* UPDATE */
	add_q(&s, "example.com.", ZK_TYPE_SOA);
	render(&s, &fixed[3]);
	fixed_done = true;
}

/* Flip the case of the ASCII letters of a name's labels. */
static void flip_case(zk_name_t *n)
{
	size_t i = 0;

	while (i < n->len && n->wire[i] != 0) {
		size_t l = n->wire[i];
		for (size_t j = i + 1; j <= i + l; j++) {
			uint8_t c = n->wire[j];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
				n->wire[j] = c ^ 0x20;
		}
		i += l + 1;
	}
}

/* The reply cut after its question section, other counts zeroed; its
 * parse, or false when the section does not decode. */
static bool parse_question(const uint8_t *r, size_t rlen, zk_msg_t *m, zk_arena_t *a)
{
	static uint8_t cut[65536];
	size_t pos = 12;
	uint16_t qd;

	if (rlen < 12)
		return false;
	qd = zk_get_u16(r + 4);
	for (uint16_t i = 0; i < qd; i++) {
		zk_name_t n;
		if (zk_name_from_wire(&n, r, rlen, &pos, NULL) != 0 || rlen - pos < 4)
			return false;
		pos += 4;
	}
	memcpy(cut, r, pos);
	memset(cut + 6, 0, 6);
	return zk_msg_parse(m, cut, pos, a, NULL) == 0;
}

/* A reply to derive the query from: its header and question. */
static bool spec_from_reply(const zk_msg_t *m, struct qspec *s)
{
	if (m->count[ZK_SEC_QUESTION] == 0 || m->count[ZK_SEC_QUESTION] > MAXQ)
		return false;
	memset(s, 0, sizeof s[0]);
	s->id = m->id;
	s->opcode = m->opcode;
	s->flags = ZK_FLAG_RD;
	s->n = m->count[ZK_SEC_QUESTION];
	for (size_t i = 0; i < s->n; i++) {
		const zk_rr_t *q = &m->rr[ZK_SEC_QUESTION][i];
		zk_name_copy(&s->names[i], q->owner);
		s->type[i] = q->type;
		s->rclass[i] = q->rclass;
	}
	return true;
}

static void perturb(struct qspec *s, unsigned how)
{
	size_t last = s->n - 1;

	switch (how) {
	case 1:
		for (size_t i = 0; i < s->n; i++)
			flip_case(&s->names[i]);
		break;
	case 2: s->id++; break;
	case 3: s->opcode = (uint8_t)((s->opcode + 1) & 15); break;
	case 4: s->type[last]++; break;
	case 5: s->rclass[last] ^= 1; break;
	case 6: s->n--; break;
	case 7: {
		zk_name_t x, longer;
		CHECK(zk_name_from_text(&x, "x.", 2, NULL, NULL) == 0);
		if (zk_name_concat(&longer, &x, &s->names[last]) == 0)
			zk_name_copy(&s->names[last], &longer);
		break;
	}
	default: break;
	}
}

/* The verdict RFC 5452 §9.1 asks for, -1 for "match or question
 * mismatch, not decided here". */
static int expected(const struct query *q, const uint8_t *r, size_t rlen, unsigned flags,
                    zk_arena_t *a)
{
	zk_msg_t mq, mr;
	uint16_t qd, rqd;

	if (rlen < 12)
		return ZK_NET_MM_SHORT;
	if (zk_get_u16(q->wire) != zk_get_u16(r))
		return ZK_NET_MM_ID;
	if (!(r[2] & 0x80))
		return ZK_NET_MM_QR;
	if (((q->wire[2] >> 3) & 15) != ((r[2] >> 3) & 15))
		return ZK_NET_MM_OPCODE;
	qd = zk_get_u16(q->wire + 4);
	rqd = zk_get_u16(r + 4);
	if (rqd == 0 && (flags & ZK_NET_MATCH_NOQUESTION))
		return ZK_NET_MM_COUNT; /* a match */
	if (qd != rqd)
		return ZK_NET_MM_QUESTION;
	CHECK(zk_msg_parse(&mq, q->wire, q->len, a, NULL) == 0);
	if (!parse_question(r, rlen, &mr, a)) {
		/* zk_msg_parse may refuse a section the name decoder reads:
		 * then only "not a match unless it decodes" is known. */
		size_t pos = 12;
		for (uint16_t i = 0; i < rqd; i++) {
			zk_name_t n;
			if (zk_name_from_wire(&n, r, rlen, &pos, NULL) != 0 || rlen - pos < 4)
				return ZK_NET_MM_QUESTION;
			pos += 4;
		}
		return -1;
	}
	CHECK(mq.count[ZK_SEC_QUESTION] == qd && mr.count[ZK_SEC_QUESTION] == rqd);
	for (size_t i = 0; i < qd; i++) {
		const zk_rr_t *x = &mq.rr[ZK_SEC_QUESTION][i], *y = &mr.rr[ZK_SEC_QUESTION][i];
		if (!zk_name_eq(x->owner, y->owner) || x->type != y->type || x->rclass != y->rclass)
			return ZK_NET_MM_QUESTION;
	}
	return ZK_NET_MM_COUNT;
}

static void check_match(const struct query *q, const uint8_t *r, size_t rlen, unsigned flags,
                        zk_arena_t *a)
{
	enum zk_net_mismatch why = ZK_NET_MM_COUNT;
	int rc = zk_net_reply_match(q->wire, q->len, r, rlen, flags, &why);
	int rc2 = zk_net_reply_match(q->wire, q->len, r, rlen, flags, NULL);
	int want = expected(q, r, rlen, flags, a);

	CHECK(rc == 0 || rc == ZK_EMISMATCH);
	CHECK(rc2 == rc);
	if (rc == 0) {
		CHECK(want == ZK_NET_MM_COUNT || want == -1);
	} else {
		CHECK(why > ZK_NET_MM_SOURCE && why < ZK_NET_MM_COUNT);
		if (want == -1)
			CHECK(why == ZK_NET_MM_QUESTION);
		else
			CHECK((int)why == want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t self[4096];
	const uint8_t *r;
	size_t rlen;
	unsigned sel, flags, mode;
	const struct query *q;
	struct query derived;
	zk_arena_t *a;

	if (size < 1 || size > 65536)
		return 0;
	if (!fixed_done)
		make_fixed();
	sel = data[0];
	flags = (sel & 1) ? ZK_NET_MATCH_NOQUESTION : 0;
	mode = (sel >> 1) & 3;
	r = data + 1;
	rlen = size - 1;
	a = zk_arena_new(0);
	CHECK(a != NULL);

	q = &fixed[(sel >> 3) & 3];
	if (mode != 0) {
		zk_msg_t m;
		struct qspec s;
		if (parse_question(r, rlen, &m, a) && spec_from_reply(&m, &s)) {
			perturb(&s, sel >> 3);
			render(&s, &derived);
			q = &derived;
		}
	}
	check_match(q, r, rlen, flags, a);
	/* The same reply against every fixed query, with both flags. */
	for (size_t i = 0; i < QUERYS; i++) {
		check_match(&fixed[i], r, rlen, 0, a);
		check_match(&fixed[i], r, rlen, ZK_NET_MATCH_NOQUESTION, a);
	}

	/* Our query, as its own reply. */
	memcpy(self, q->wire, q->len);
	self[2] |= 0x80;
	CHECK(zk_net_reply_match(q->wire, q->len, self, q->len, 0, NULL) == 0);
	zk_arena_free(a);
	return 0;
}
