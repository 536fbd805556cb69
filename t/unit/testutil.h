/* Helpers shared by the cmocka unit tests (t/unit/test_*.c): finding and
 * reading t/data files, hex and base64 fixtures, names from text, zones
 * loaded into a sorted array, and captured DNS messages.
 *
 * Header only: each test is a program of its own, so every helper is a
 * static function, marked unused because no test needs all of them. The
 * helpers fail the running test (fail_msg, assert_*) instead of returning
 * errors: a fixture that does not load is a broken test, not a result. */
#ifndef ZKIT_TESTUTIL_H
#define ZKIT_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "encode.h"
#include "err.h"
#include "msg.h"
#include "name.h"
#include "rdata.h"
#include "rr.h"
#include "rrtype.h"
#include "zonefile.h"

#define TU_UNUSED __attribute__((unused))

/* ------------------------------------------------------------ data files */

/* $ZKIT_SRC/t/data/<rel>; scripts/run-tests sets ZKIT_SRC, and a test run
 * by hand from the repository root finds its data without it. */
TU_UNUSED static void data_path(char *buf, size_t cap, const char *rel)
{
	const char *src = getenv("ZKIT_SRC");
	snprintf(buf, cap, "%s/t/data/%s", src ? src : ".", rel);
}

/* t/data/<rel>, opened for reading. */
TU_UNUSED static FILE *open_data(const char *rel)
{
	char path[4096];
	FILE *f;

	data_path(path, sizeof(path), rel);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (run from the repository root or set ZKIT_SRC)", path);
	return f;
}

/* The whole of t/data/<rel>, NUL-terminated, to be freed by the caller. */
TU_UNUSED static char *read_text(const char *rel)
{
	FILE *f = open_data(rel);
	char *buf;
	long n;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n >= 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

TU_UNUSED static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Octets from hex as BIND, the RFCs and the capture scripts write it:
 * characters that are not hex digits (spaces, line breaks) are skipped and
 * '#' starts a comment that runs to the end of the line. A last digit
 * without a partner is dropped; *dangling (may be NULL) says if there was
 * one. */
TU_UNUSED static size_t hex_octets(const char *s, uint8_t *out, size_t cap, bool *dangling)
{
	size_t n = 0;
	int hi = -1;

	for (; *s != '\0'; s++) {
		int v;

		if (*s == '#') {
			s += strcspn(s, "\n");
			if (*s == '\0')
				break;
			continue;
		}
		v = hex_digit((unsigned char)*s);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (dangling != NULL)
		*dangling = hi >= 0;
	return n;
}

/* hex_octets of a string; test_rdata has a vector whose last digit is
 * meant to be dropped. */
TU_UNUSED static size_t unhex_text(const char *s, uint8_t *out, size_t cap)
{
	return hex_octets(s, out, cap, NULL);
}

/* The octets written as hex (as hex_octets reads it) in t/data/<rel>; an
 * odd number of digits fails the test. */
TU_UNUSED static size_t load_hex(const char *rel, uint8_t *buf, size_t cap)
{
	char *text = read_text(rel);
	bool dangling;
	size_t n = hex_octets(text, buf, cap, &dangling);

	free(text);
	if (dangling)
		fail_msg("t/data/%s: odd number of hex digits", rel);
	return n;
}

/* ------------------------------------------------------ text to octets */

TU_UNUSED static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	assert_int_equal(zk_hex_decode(s, strlen(s), out, cap, &n), 0);
	return n;
}

TU_UNUSED static size_t unb64(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	assert_int_equal(zk_base64_decode(s, strlen(s), out, cap, &n), 0);
	return n;
}

/* An absolute name from text ("example.", "NS1.Example."). */
TU_UNUSED static zk_name_t name(const char *s)
{
	zk_name_t n;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_name_from_text(&n, s, strlen(s), NULL, &ec) != 0)
		fail_msg("name %s: %s", s, ec.msg);
	return n;
}

/* ----------------------------------------------------------------- zones */

/* A zone as the signer and the digest hold it: every RR with its owner and
 * canonical rdata (RFC 4034 §6.2) copied into the arena, sorted in
 * canonical order after a load. user is for the test's own callbacks. */
typedef struct zone {
	zk_arena_t *a;
	zk_rr_t *rr;
	size_t n, cap;
	void *user;
} zone_t;

/* The zone's arena, made on first use. */
TU_UNUSED static zk_arena_t *zone_arena(zone_t *z)
{
	if (z->a == NULL) {
		z->a = zk_arena_new(0);
		assert_non_null(z->a);
	}
	return z->a;
}

/* Append a copy of rr (not sorted in). */
TU_UNUSED static void zone_push(zone_t *z, const zk_rr_t *rr)
{
	zk_rr_t c = *rr;
	zk_arena_t *a = zone_arena(z);
	uint8_t *rd;

	if (z->n == z->cap) {
		z->cap = z->cap ? z->cap * 2 : 64;
		z->rr = realloc(z->rr, z->cap * sizeof(zk_rr_t));
		assert_non_null(z->rr);
	}
	c.owner = zk_name_dup(a, rr->owner);
	rd = zk_arena_memdup(a, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	assert_non_null(c.owner);
	assert_non_null(rd);
	zk_rdata_canonicalize(rr->type, rd, rr->rdlen);
	c.rdata = rd;
	z->rr[z->n++] = c;
}

/* zk_zf_rr_fn with a zone_t as ctx. */
TU_UNUSED static int zone_on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	(void)loc;
	zone_push(ctx, rr);
	return 0;
}

/* Add one RR of class IN from presentation text, "owner [ttl] type rdata"
 * with an absolute owner and a TTL of 3600 when none is given, and sort
 * the zone again. */
TU_UNUSED static void zone_add(zone_t *z, const char *line)
{
	zk_token_t t[32];
	size_t nt, rdlen, i = 1;
	uint8_t rd[1024];
	zk_rr_t rr;
	zk_name_t owner;
	uint16_t type;
	uint32_t ttl = 3600;

	assert_int_equal(zk_text_tokenize(line, strlen(line), t, 32, &nt, NULL), 0);
	assert_true(nt >= 2);
	assert_int_equal(zk_name_from_text(&owner, t[0].s, t[0].n, NULL, NULL), 0);
	/* No type name starts with a digit. */
	if (t[1].s[0] >= '0' && t[1].s[0] <= '9')
		ttl = (uint32_t)strtoul(t[i++].s, NULL, 10);
	assert_int_equal(zk_rrtype_from_text(t[i].s, t[i].n, &type), 0);
	i++;
	assert_int_equal(
	    zk_rdata_from_text(type, t + i, nt - i, NULL, rd, sizeof(rd), &rdlen, NULL), 0);
	rr.owner = &owner;
	rr.type = type;
	rr.rclass = ZK_CLASS_IN;
	rr.ttl = ttl;
	rr.rdlen = (uint16_t)rdlen;
	rr.rdata = rd;
	zone_push(z, &rr);
	zk_rr_sort(z->rr, z->n);
}

/* Parse the zone file t/data/<rel> (text when text is not NULL, then rel
 * only names it) into z, appending; on_msg may be NULL. Returns what the
 * parser returned, with ec set, so that a test can accept a known error;
 * the RRs are not sorted. */
TU_UNUSED static int zone_parse(zone_t *z, const char *rel, const char *text, const char *origin,
                                zk_zf_msg_fn on_msg, zk_errctx_t *ec)
{
	char path[4096];
	zk_zf_opts_t o;
	zk_name_t org = name(origin);

	zone_arena(z);
	zk_zf_opts_init(&o);
	o.origin = &org;
	o.on_rr = zone_on_rr;
	o.on_msg = on_msg;
	o.ctx = z;
	zk_errctx_init(ec);
	if (text != NULL)
		return zk_zonefile_parse_mem(rel, text, strlen(text), &o, NULL, ec);
	data_path(path, sizeof(path), rel);
	return zk_zonefile_parse_file(path, &o, NULL, ec);
}

/* Load the zone file t/data/<rel> into z and sort it. */
TU_UNUSED static void zone_load(zone_t *z, const char *rel, const char *origin)
{
	zk_errctx_t ec;

	if (zone_parse(z, rel, NULL, origin, NULL, &ec) != 0)
		fail_msg("%s:%u:%u: %s", rel, ec.line, ec.col, ec.msg);
	zk_rr_sort(z->rr, z->n);
}

/* Load a zone given as text into z and sort it. */
TU_UNUSED static void zone_load_text(zone_t *z, const char *text, const char *origin)
{
	zk_errctx_t ec;

	if (zone_parse(z, "t", text, origin, NULL, &ec) != 0)
		fail_msg("zone text:%u:%u: %s", ec.line, ec.col, ec.msg);
	zk_rr_sort(z->rr, z->n);
}

TU_UNUSED static void zone_free(zone_t *z)
{
	zk_arena_free(z->a);
	free(z->rr);
	memset(z, 0, sizeof(*z));
}

#ifdef TESTUTIL_GROUP_ARENA
/* One arena for a whole group of tests, made and freed by cmocka's group
 * setup and teardown; opt in by defining TESTUTIL_GROUP_ARENA before the
 * include, so that other tests keep the name arena for themselves. */
static zk_arena_t *arena;

TU_UNUSED static int arena_setup(void **state)
{
	(void)state;
	arena = zk_arena_new(0);
	return arena == NULL;
}

TU_UNUSED static int arena_teardown(void **state)
{
	(void)state;
	zk_arena_free(arena);
	return 0;
}
#endif

/* ------------------------------------------------------------- messages */

/* A DNS message from a file, parsed into its own arena. */
struct capture {
	uint8_t buf[65536];
	size_t len;
	zk_msg_t m;
	zk_arena_t *a;
};

/* Parse buf into m, in a new arena that the caller frees. */
TU_UNUSED static zk_arena_t *parse_msg(zk_msg_t *m, const uint8_t *buf, size_t len)
{
	zk_arena_t *a = zk_arena_new(0);
	zk_errctx_t ec;

	assert_non_null(a);
	zk_errctx_init(&ec);
	if (zk_msg_parse(m, buf, len, a, &ec) != 0)
		fail_msg("message does not parse: %s", ec.msg);
	return a;
}

/* t/data/tsig/<file>.hex: a message of a real exchange with BIND 9.18,
 * captured by t/data/tsig/capture.py. */
TU_UNUSED static void capture_load(struct capture *c, const char *file)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "tsig/%s.hex", file);
	c->len = load_hex(rel, c->buf, sizeof(c->buf));
	c->a = parse_msg(&c->m, c->buf, c->len);
}

TU_UNUSED static void capture_done(struct capture *c)
{
	zk_arena_free(c->a);
}

#endif
