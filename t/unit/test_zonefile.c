/* Unit tests for common/zonefile.c: lexer, directives, BIND defaults,
 * errors with line:col, streaming across read blocks. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc.h"
#include "rrtype.h"
#include "zonefile.h"

/* What a parse produced: one line per RR "owner ttl class type hex", one
 * line per message "E|W line:col: msg". */
typedef struct out {
	zk_buf_t rrs;
	zk_buf_t msgs;
	unsigned nrr;
	int stop_after; /* on_rr returns 7 after this many (0 = never) */
} out_t;

static int on_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	out_t *o = ctx;
	char name[ZK_NAME_TEXTMAX], t[16], c[16];

	(void)loc;
	zk_name_to_cstr(rr->owner, name, sizeof(name));
	zk_rrtype_to_text(rr->type, t, sizeof(t));
	zk_rrclass_to_text(rr->rclass, c, sizeof(c));
	zk_buf_printf(&o->rrs, "%s %u %s %s ", name, rr->ttl, c, t);
	for (size_t i = 0; i < rr->rdlen; i++)
		zk_buf_printf(&o->rrs, "%02x", rr->rdata[i]);
	zk_buf_putc(&o->rrs, '\n');
	o->nrr++;
	if (o->stop_after && o->nrr == (unsigned)o->stop_after)
		return 7;
	return 0;
}

static void on_msg(void *ctx, int sev, const zk_errctx_t *ec)
{
	out_t *o = ctx;
	zk_buf_printf(&o->msgs, "%c %u:%u: %s\n", sev == ZK_ZF_ERROR ? 'E' : 'W', ec->line, ec->col,
	              ec->msg);
}

static int run_opts(out_t *o, const char *text, zk_zf_opts_t *opts, const char *origin)
{
	zk_name_t org;
	int rc;

	zk_buf_init(&o->rrs);
	zk_buf_init(&o->msgs);
	zk_buf_puts(&o->rrs, "");
	zk_buf_puts(&o->msgs, "");
	assert_int_equal(zk_name_from_text(&org, origin, strlen(origin), NULL, NULL), 0);
	opts->origin = &org;
	opts->on_rr = on_rr;
	opts->on_msg = on_msg;
	opts->ctx = o;
	rc = zk_zonefile_parse_mem("test.zone", text, strlen(text), opts, NULL, NULL);
	return rc;
}

static int run(out_t *o, const char *text)
{
	zk_zf_opts_t opts;
	zk_zf_opts_init(&opts);
	o->nrr = 0;
	return run_opts(o, text, &opts, "example.com.");
}

static void done(out_t *o)
{
	zk_buf_free(&o->rrs);
	zk_buf_free(&o->msgs);
}

static void test_ttl_units(void **state)
{
	uint32_t v = 1;
	(void)state;
	assert_int_equal(zk_ttl_from_text("1w2d3h4m5s", 10, &v), 0);
	assert_int_equal(v, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	assert_int_equal(zk_ttl_from_text("1H1h", 4, &v), 0);
	assert_int_equal(v, 7200);
	assert_int_equal(zk_ttl_from_text("1W", 2, &v), 0);
	assert_int_equal(v, 604800);
	assert_int_equal(zk_ttl_from_text("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(zk_ttl_from_text("4294967295", 10, &v), 0);
	assert_int_equal(v, 4294967295u);
	/* BIND rejects these too (checked with named-checkzone 9.18) */
	assert_int_equal(zk_ttl_from_text("1h30", 4, &v), ZK_ESYNTAX);
	assert_int_equal(zk_ttl_from_text("4294967296", 10, &v), ZK_ERANGE);
	assert_int_equal(zk_ttl_from_text("0x10", 4, &v), ZK_ESYNTAX);
	assert_int_equal(zk_ttl_from_text("h", 1, &v), ZK_ESYNTAX);
	assert_int_equal(zk_ttl_from_text("", 0, &v), ZK_ESYNTAX);
}

static void expand_is(const char *tmpl, long it, const char *want)
{
	char buf[256];
	size_t n = 0;
	assert_int_equal(zk_generate_expand(tmpl, strlen(tmpl), it, buf, sizeof(buf), &n), 0);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_generate_expand(void **state)
{
	char buf[8];
	size_t n;
	(void)state;
	expand_is("host$", 7, "host7");
	expand_is("a${-1,3,d}.", 10, "a009.");
	expand_is("${0,5,n}", 10, "a.0.0"); /* BIND: width counts the dots */
	expand_is("${0,3,N}", 250, "A.F");
	expand_is("${0,1,n}", 0x123, "3.2.1");
	expand_is("g${1,4,x}", 1, "g0002");
	expand_is("g${0,0,X}", 255, "gFF");
	expand_is("${0,4,o}", 8, "0010");
	expand_is("${5}", 1, "6");
	expand_is("a$$ \\$ b", 1, "a$ \\$ b");
	expand_is("$-$", 3, "3-3");
	assert_int_equal(zk_generate_expand("${x}", 4, 1, buf, sizeof(buf), &n), ZK_ESYNTAX);
	assert_int_equal(zk_generate_expand("${1,2,q}", 8, 1, buf, sizeof(buf), &n), ZK_ESYNTAX);
	assert_int_equal(zk_generate_expand("${1", 3, 1, buf, sizeof(buf), &n), ZK_ESYNTAX);
	assert_int_equal(zk_generate_expand("${0,20}", 7, 1, buf, sizeof(buf), &n), ZK_ESPACE);
}

static void test_basic_zone(void **state)
{
	out_t o = {0};
	(void)state;
	assert_int_equal(run(&o, "$TTL 1h\n"
	                         "@ IN SOA ns1 host.example.com. 1 2 3 4 5\n"
	                         "\tNS ns1 ; comment\n"
	                         "ns1 300 A 192.0.2.1\n"
	                         "ns1 IN 600 AAAA 2001:db8::1\n"
	                         "www CLASS1 CNAME ns1\n"),
	                 0);
	assert_string_equal(o.rrs.data,
	                    "example.com. 3600 IN SOA "
	                    "036e7331076578616d706c6503636f6d0004686f7374076578616d706c6503636f6d00"
	                    "0000000100000002000000030000000400000005\n"
	                    "example.com. 3600 IN NS 036e7331076578616d706c6503636f6d00\n"
	                    "ns1.example.com. 300 IN A c0000201\n"
	                    "ns1.example.com. 600 IN AAAA 20010db8000000000000000000000001\n"
	                    "www.example.com. 3600 IN CNAME 036e7331076578616d706c6503636f6d00\n");
	assert_string_equal(o.msgs.data, "");
	done(&o);
}

static void test_parens_quotes_comments(void **state)
{
	out_t o = {0};
	(void)state;
	assert_int_equal(run(&o, "$TTL 60\n"
	                         "t TXT ( \"a;b\" ; comment inside\n"
	                         "   \"c\\\"d\" plain\n"
	                         "  ) ; after\n"
	                         "m ( MX\n 10 mail )\n"
	                         "q TXT \"x(y)\"\r\n"),
	                 0);
	assert_string_equal(o.rrs.data,
	                    "t.example.com. 60 IN TXT 03613b620363226405706c61696e\n"
	                    "m.example.com. 60 IN MX 000a046d61696c076578616d706c6503636f6d00\n"
	                    "q.example.com. 60 IN TXT 0478287929\n");
	done(&o);
}

static void test_generic_and_classes(void **state)
{
	out_t o = {0};
	(void)state;
	/* RFC 3597 §5 examples */
	assert_int_equal(run(&o, "$TTL 0\n"
	                         "a.example. CLASS32 TYPE731 \\# 6 abcd (\n ef 01 23 45 )\n"
	                         "b.example. HS TYPE62347 \\# 0\n"
	                         "e.example. IN A \\# 4 0A000001\n"),
	                 ZK_ESYNTAX);
	/* CLASS32 sets the class; HS and IN differ from it: errors */
	assert_string_equal(o.rrs.data, "a.example. 0 CLASS32 TYPE731 abcdef012345\n");
	assert_string_equal(o.msgs.data,
	                    "E 4:12: class 'HS' differs from the zone class 'CLASS32'\n"
	                    "E 5:12: class 'IN' differs from the zone class 'CLASS32'\n");
	done(&o);
	assert_int_equal(run(&o, "$TTL 0\ne.example. IN A \\# 4 0A000001\n"
	                         "e.example. CLASS1 TYPE1 10.0.0.2\n"),
	                 0);
	assert_string_equal(o.rrs.data, "e.example. 0 IN A 0a000001\ne.example. 0 IN A 0a000002\n");
	done(&o);
}

static void test_ttl_defaults(void **state)
{
	out_t o = {0};
	(void)state;
	/* the SOA minimum becomes the default (BIND 9.18, checked) */
	assert_int_equal(run(&o, "@ IN SOA ns1 host 1 3600 600 86400 300\n"
	                         " NS ns1\n"
	                         "x 100 A 1.2.3.4\n"
	                         " A 1.2.3.5\n"),
	                 0);
	assert_string_equal(o.msgs.data, "W 1:0: no TTL specified; using SOA MINTTL instead\n");
	assert_string_equal(o.rrs.data,
	                    "example.com. 300 IN SOA "
	                    "036e7331076578616d706c6503636f6d0004686f7374076578616d706c"
	                    "6503636f6d000000000100000e1000000258000151800000012c\n"
	                    "example.com. 300 IN NS 036e7331076578616d706c6503636f6d00\n"
	                    "x.example.com. 100 IN A 01020304\n"
	                    "x.example.com. 300 IN A 01020305\n");
	done(&o);
	/* RFC 1035: the last explicit TTL, with BIND's warning once */
	assert_int_equal(run(&o, "@ 500 IN SOA ns1 host 1 3600 600 86400 300\n"
	                         " NS ns1\n"
	                         "a A 1.1.1.1\n"),
	                 0);
	assert_string_equal(o.msgs.data, "W 2:0: using RFC1035 TTL semantics\n");
	assert_non_null(strstr(o.rrs.data, "a.example.com. 500 IN A"));
	done(&o);
	/* nothing known: an error, and the parse goes on */
	assert_int_equal(run(&o, "a IN A 1.1.1.1\n"
	                         "b 5 IN A 1.1.1.2\n"),
	                 ZK_ESYNTAX);
	assert_string_equal(o.msgs.data, "E 1:0: no TTL specified\n");
	assert_string_equal(o.rrs.data, "b.example.com. 5 IN A 01010102\n");
	done(&o);
	/* above 2^31-1: 0 with a warning (RFC 2181 §8) */
	assert_int_equal(run(&o, "$TTL 3000000000\na A 1.1.1.1\nb 2147483648 A 1.1.1.1\n"), 0);
	assert_string_equal(o.msgs.data, "W 1:6: $TTL 3000000000 > MAXTTL, setting $TTL to 0\n"
	                                 "W 3:3: TTL 2147483648 > MAXTTL, setting TTL to 0\n");
	assert_string_equal(o.rrs.data,
	                    "a.example.com. 0 IN A 01010101\nb.example.com. 0 IN A 01010101\n");
	done(&o);
}

static void test_origin_and_at(void **state)
{
	out_t o = {0};
	(void)state;
	assert_int_equal(run(&o, "$TTL 1\n"
	                         "$ORIGIN sub\n"
	                         "@ A 1.1.1.1\n"
	                         "x A 1.1.1.2\n"
	                         "$ORIGIN other.\n"
	                         "y.  A 1.1.1.3\n"
	                         "z A 1.1.1.4\n"),
	                 0);
	assert_string_equal(o.rrs.data, "sub.example.com. 1 IN A 01010101\n"
	                                "x.sub.example.com. 1 IN A 01010102\n"
	                                "y. 1 IN A 01010103\n"
	                                "z.other. 1 IN A 01010104\n");
	done(&o);
}

static void test_errors_line_col(void **state)
{
	out_t o = {0};
	(void)state;
	assert_int_equal(run(&o, "$TTL 1\n"
	                         "a FOO 1.1.1.1\n"
	                         "b A 1.1.1.300\n"
	                         "  c..d A 1.1.1.1\n"
	                         "c..d A 1.1.1.1\n"
	                         "$BOGUS x\n"
	                         "e TXT \"open\n"
	                         "f A 1.1.1.1 )\n"
	                         "$TTL 1h30\n"
	                         "g\n"
	                         "h A 1.1.1.1\n"
	                         " A 1.1.1.2 (\n"),
	                 ZK_ESYNTAX);
	/* every error, each with its line and column; good lines still come */
	assert_string_equal(o.rrs.data, "h.example.com. 1 IN A 01010101\n");
	{
		const char *m = o.msgs.data;
		assert_non_null(strstr(m, "E 2:3: unknown RR type 'FOO'\n"));
		assert_non_null(strstr(m, "E 3:5: bad A record"));
		assert_non_null(strstr(m, "E 4:3: unknown RR type 'c..d'\n"));
		assert_non_null(strstr(m, "E 5:1: bad owner name 'c..d'"));
		assert_non_null(strstr(m, "E 6:1: unknown directive '$BOGUS'\n"));
		assert_non_null(strstr(m, "E 7:7: unterminated quoted string\n"));
		assert_non_null(strstr(m, "E 8:13: unbalanced ')'\n"));
		assert_non_null(strstr(m, "E 9:6: bad TTL '1h30'\n"));
		assert_non_null(strstr(m, "E 10:2: missing RR type\n"));
		assert_non_null(strstr(m, "E 12:12: '(' without ')' before the end of the file\n"));
	}
	done(&o);
}

static void test_max_errors_and_stop(void **state)
{
	out_t o = {0};
	zk_zf_opts_t opts;
	zk_buf_t big;
	(void)state;
	zk_buf_init(&big);
	zk_buf_puts(&big, "$TTL 1\n");
	for (int i = 0; i < 50; i++)
		zk_buf_puts(&big, "a BAD x\n");
	zk_zf_opts_init(&opts);
	opts.max_errors = 5;
	assert_int_equal(run_opts(&o, big.data, &opts, "."), ZK_ELIMIT);
	{
		unsigned lines = 0;
		for (const char *p = o.msgs.data; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 5);
	}
	done(&o);
	zk_buf_free(&big);
	/* the callback's code stops the parse and comes back */
	o.stop_after = 2;
	zk_zf_opts_init(&opts);
	assert_int_equal(
	    run_opts(&o, "$TTL 1\na A 1.1.1.1\nb A 1.1.1.1\nc A 1.1.1.1\n", &opts, "."), 7);
	assert_int_equal(o.nrr, 2);
	done(&o);
}

static void test_generate(void **state)
{
	out_t o = {0};
	(void)state;
	assert_int_equal(run(&o, "$TTL 300\n"
	                         "$GENERATE 1-3 n$ A 10.0.0.$\n"
	                         "$GENERATE 10-12/2 ${0,5,n} 7 IN PTR a${-1,3,d}.\n"
	                         "$GENERATE 250-250 ${0,3,N} TXT \"a$$ \\$ b\"\n"),
	                 0);
	assert_string_equal(o.rrs.data, "n1.example.com. 300 IN A 0a000001\n"
	                                "n2.example.com. 300 IN A 0a000002\n"
	                                "n3.example.com. 300 IN A 0a000003\n"
	                                "a.0.0.example.com. 7 IN PTR 046130303900\n"
	                                "c.0.0.example.com. 7 IN PTR 046130313100\n"
	                                "A.F.example.com. 300 IN TXT 02612401240162\n");
	done(&o);
	assert_int_equal(run(&o, "$TTL 1\n"
	                         "$GENERATE 5-1 x$ A 1.1.1.1\n"
	                         "$GENERATE 1-2 x$ A 1.1.1.$ extra\n"
	                         "$GENERATE 1-2 x${q} A 1.1.1.1\n"
	                         "$GENERATE 1-4294967295 x$ A 1.1.1.1\n"),
	                 ZK_ESYNTAX);
	assert_string_equal(o.rrs.data, "");
	assert_non_null(strstr(o.msgs.data, "E 2:11: bad $GENERATE range '5-1'\n"));
	assert_non_null(strstr(o.msgs.data, "E 3:28: extra text after the $GENERATE rdata"));
	assert_non_null(strstr(o.msgs.data, "E 4:15: bad $GENERATE owner 'x${q}'\n"));
	assert_non_null(
	    strstr(o.msgs.data, "E 5:11: $GENERATE range '1-4294967295' has more than"));
	done(&o);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_include(void **state)
{
	char dir[] = "/tmp/zk-zf-XXXXXX", top[300], inc[300], loop[300];
	out_t o = {0};
	zk_zf_opts_t opts;
	zk_name_t org;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(top, sizeof(top), "%s/top.zone", dir);
	snprintf(inc, sizeof(inc), "%s/inc.zone", dir);
	snprintf(loop, sizeof(loop), "%s/loop.zone", dir);
	write_file(top, "$TTL 5\n"
	                "a A 1.1.1.1\n"
	                "$INCLUDE inc.zone sub\n" /* relative to top.zone's directory */
	                " A 1.1.1.9\n"            /* owner a again after the include */
	                "b A 1.1.1.2\n");
	write_file(inc, "@ A 2.2.2.2\n"
	                "$ORIGIN x.example.com.\n"
	                "c A 2.2.2.3\n");
	write_file(loop, "$INCLUDE loop.zone\n");
	zk_buf_init(&o.rrs);
	zk_buf_init(&o.msgs);
	zk_buf_puts(&o.rrs, "");
	zk_buf_puts(&o.msgs, "");
	zk_name_from_text(&org, "example.com.", 12, NULL, NULL);
	zk_zf_opts_init(&opts);
	opts.origin = &org;
	opts.on_rr = on_rr;
	opts.on_msg = on_msg;
	opts.ctx = &o;
	assert_int_equal(zk_zonefile_parse_file(top, &opts, NULL, NULL), 0);
	assert_string_equal(o.rrs.data, "a.example.com. 5 IN A 01010101\n"
	                                "sub.example.com. 5 IN A 02020202\n"
	                                "c.x.example.com. 5 IN A 02020203\n"
	                                "a.example.com. 5 IN A 01010109\n"
	                                "b.example.com. 5 IN A 01010102\n");
	done(&o);

	/* disabled for untrusted input */
	zk_buf_init(&o.rrs);
	zk_buf_init(&o.msgs);
	zk_buf_puts(&o.rrs, "");
	zk_buf_puts(&o.msgs, "");
	opts.no_include = true;
	assert_int_equal(zk_zonefile_parse_file(top, &opts, NULL, NULL), ZK_ESYNTAX);
	assert_string_equal(o.msgs.data, "E 3:1: $INCLUDE is disabled for this input\n");
	done(&o);

	/* a loop ends at the depth limit */
	zk_buf_init(&o.rrs);
	zk_buf_init(&o.msgs);
	zk_buf_puts(&o.msgs, "");
	opts.no_include = false;
	opts.include_depth = 4;
	assert_int_equal(zk_zonefile_parse_file(loop, &opts, NULL, NULL), ZK_ESYNTAX);
	assert_string_equal(o.msgs.data, "E 1:1: $INCLUDE nested deeper than 4\n");
	done(&o);

	/* a missing file */
	{
		zk_errctx_t ec;
		char path[320];
		snprintf(path, sizeof(path), "%s/nope.zone", dir);
		zk_errctx_init(&ec);
		assert_int_equal(zk_zonefile_parse_file(path, &opts, NULL, &ec), ZK_EIO);
		assert_string_equal(ec.file, path);
	}
	unlink(top);
	unlink(inc);
	unlink(loop);
	rmdir(dir);
}

/* Tokens, comments and quoted strings that straddle the 256 KiB read
 * blocks, and an entry longer than a block. */
static void test_block_boundaries(void **state)
{
	out_t o = {0};
	zk_buf_t big;
	unsigned want = 0;
	(void)state;
	zk_buf_init(&big);
	zk_buf_puts(&big, "$TTL 1\n");
	for (unsigned i = 0; big.len < 3 * 256 * 1024; i++) {
		switch (i % 4) {
		case 0:
			zk_buf_printf(&big, "host%u A 10.0.%u.%u\n", i, (i >> 8) & 255, i & 255);
			break;
		case 1: zk_buf_printf(&big, "; a comment line number %u ...........\n", i); break;
		case 2: zk_buf_printf(&big, "t%u TXT \"quoted %u\" ( x\n y )\n", i, i); break;
		case 3: zk_buf_printf(&big, " AAAA 2001:db8::%x\n", i); break;
		}
		want += (i % 4) != 1;
	}
	/* one entry of ~600 KB: a comment inside parentheses */
	zk_buf_puts(&big, "long TXT ( \"x\"\n");
	for (int i = 0; i < 20000; i++)
		zk_buf_puts(&big, " ; padding padding padding padding\n");
	zk_buf_puts(&big, " \"y\" )\n");
	want++;
	assert_int_equal(run(&o, big.data), 0);
	assert_string_equal(o.msgs.data, "");
	assert_int_equal(o.nrr, want);
	assert_non_null(strstr(o.rrs.data, "long.example.com. 1 IN TXT 01780179\n"));
	/* each record kept intact across boundaries */
	assert_non_null(strstr(o.rrs.data, "host4000.example.com. 1 IN A 0a000fa0\n"));
	done(&o);
	zk_buf_free(&big);
}

/* An escape whose backslash ends the first read block (512 KiB - 1 bytes
 * from memory) and whose escaped quote starts the next one. */
static void test_escape_across_blocks(void **state)
{
	const size_t first = 512 * 1024 - 2; /* index of the block's last byte */
	const char *rec = "q TXT \"a\\\"b\" c\\;d\n";
	zk_buf_t big;
	out_t o = {0};
	(void)state;
	for (int k = 0; k < 2; k++) {
		/* k = 0: in a quoted string; k = 1: in a plain token */
		size_t at = k == 0 ? 8 : 14; /* offset of the backslash in rec */
		zk_buf_init(&big);
		zk_buf_puts(&big, "$TTL 1\n");
		while (big.len < first - at - 200)
			zk_buf_puts(&big, "; filler filler filler filler filler filler filler\n");
		zk_buf_putc(&big, ';');
		while (big.len < first - at - 1)
			zk_buf_putc(&big, 'x');
		zk_buf_putc(&big, '\n');
		assert_int_equal(big.len + at, first);
		zk_buf_puts(&big, rec);
		assert_int_equal(big.data[first], '\\');
		assert_int_equal(run(&o, big.data), 0);
		assert_string_equal(o.msgs.data, "");
		/* "a\"b" and c\;d: 03 61 22 62, 03 63 3b 64 */
		assert_string_equal(o.rrs.data, "q.example.com. 1 IN TXT 0361226203633b64\n");
		done(&o);
		zk_buf_free(&big);
	}
}

static void test_stats_and_bad_input(void **state)
{
	zk_zf_opts_t opts;
	zk_zf_stats_t st;
	out_t o = {0};
	static const char nul_text[] = "$TTL 1\na\0b A 1.1.1.1\nc A 1.1.1.1\n";
	(void)state;
	zk_zf_opts_init(&opts);
	opts.on_rr = on_rr;
	opts.ctx = &o;
	zk_buf_init(&o.rrs);
	zk_buf_puts(&o.rrs, "");
	/* a NUL byte is data, not the end of the input */
	assert_int_equal(
	    zk_zonefile_parse_mem("x", nul_text, sizeof(nul_text) - 1, &opts, &st, NULL), 0);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.bytes, sizeof(nul_text) - 1);
	assert_true(st.saw_ttl_directive);
	assert_string_equal(o.rrs.data, "a\\000b. 1 IN A 01010101\nc. 1 IN A 01010101\n");
	zk_buf_free(&o.rrs);
	/* no callback: refused */
	opts.on_rr = NULL;
	assert_int_equal(zk_zonefile_parse_mem("x", "", 0, &opts, NULL, NULL), ZK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ttl_units),
	    cmocka_unit_test(test_generate_expand),
	    cmocka_unit_test(test_basic_zone),
	    cmocka_unit_test(test_parens_quotes_comments),
	    cmocka_unit_test(test_generic_and_classes),
	    cmocka_unit_test(test_ttl_defaults),
	    cmocka_unit_test(test_origin_and_at),
	    cmocka_unit_test(test_errors_line_col),
	    cmocka_unit_test(test_max_errors_and_stop),
	    cmocka_unit_test(test_generate),
	    cmocka_unit_test(test_include),
	    cmocka_unit_test(test_block_boundaries),
	    cmocka_unit_test(test_escape_across_blocks),
	    cmocka_unit_test(test_stats_and_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
