/* Unit tests for common/rdata*.c: every row of the BIND-generated corpus
 * (t/data/rdata/corpus.tsv), the RFC 3597 §5 and RFC 9460 Appendix D
 * vectors, malformed input with its error code, canonical form
 * (RFC 4034 §6.2 / RFC 6840 §5.1), compression (RFC 3597 §4), key tags. */
#include "config.h"

#include "testutil.h"

#include "compress.h"
#include "rdata.h"
#include "rrtype.h"

/* ---------------------------------------------------------------- helpers */

static void tohex(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Text (one piece, may span lines) to wire; returns the zk code. */
static int text2wire(uint16_t type, const char *text, uint8_t *out, size_t cap, size_t *len,
                     zk_errctx_t *ec)
{
	zk_token_t toks[512];
	size_t nt;
	int r;

	zk_errctx_init(ec);
	r = zk_text_tokenize(text, strlen(text), toks, 512, &nt, ec);
	if (r < 0)
		return r;
	return zk_rdata_from_text(type, toks, nt, NULL, out, cap, len, ec);
}

static char *wire2text(uint16_t type, const uint8_t *rd, size_t n, unsigned flags, int *rc)
{
	zk_buf_t b;
	zk_buf_init(&b);
	*rc = zk_rdata_to_text(type, rd, n, flags, "\t", &b);
	assert_int_equal(b.err, 0);
	if (b.data == NULL)
		zk_buf_puts(&b, "");
	return b.data;
}

static uint16_t type_of(const char *s)
{
	uint16_t t;
	if (zk_rrtype_from_text(s, strlen(s), &t) != 0)
		fail_msg("unknown type %s", s);
	return t;
}

/* ---------------------------------------------------------------- corpus */

static void test_corpus(void **state)
{
	FILE *f = open_data("rdata/corpus.tsv");
	char *line = malloc(65536);
	int rows = 0, bad = 0;
	bool seen[65536];

	(void)state;
	memset(seen, 0, sizeof(seen));
	assert_non_null(line);
	while (fgets(line, 65536, f) != NULL) {
		char *col[4], *p = line;
		uint8_t want[65535], got[65535], again[65535];
		size_t wn, gn, an;
		zk_errctx_t ec;
		char hex[2 * 65535 + 1];
		int r, rc;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (int i = 0; i < 4; i++) {
			col[i] = p;
			p = i < 3 ? strchr(p, '\t') : NULL;
			if (i < 3) {
				assert_non_null(p);
				*p++ = '\0';
			}
		}
		rows++;
		uint16_t type = type_of(col[0]);
		seen[type] = true;
		wn = unhex_text(col[2], want, sizeof(want));

		/* text -> wire == BIND's wire */
		r = text2wire(type, col[1], got, sizeof(got), &gn, &ec);
		tohex(got, r == 0 ? gn : 0, hex);
		if (r != 0 || gn != wn || memcmp(got, want, wn) != 0) {
			print_message("# %s %s: text->wire %s (%s), want %s\n", col[0], col[1],
			              r ? zk_strerror(r) : hex, ec.msg, col[2]);
			bad++;
			continue;
		}
		if ((r = zk_rdata_check(type, want, wn, &ec)) != 0) {
			print_message("# %s %s: check: %s\n", col[0], col[1], ec.msg);
			bad++;
		}
		/* wire -> text == BIND's presentation */
		char *txt = wire2text(type, want, wn, 0, &rc);
		if (rc != 0 || strcmp(txt, col[3]) != 0) {
			print_message("# %s %s: wire->text\n#   got  '%s'\n#   want '%s'\n", col[0],
			              col[1], txt, col[3]);
			bad++;
		}
		/* text -> wire -> text -> wire is stable */
		r = text2wire(type, txt, again, sizeof(again), &an, &ec);
		if (r != 0 || an != wn || memcmp(again, want, wn) != 0) {
			print_message("# %s %s: re-parse of '%s' differs (%s)\n", col[0], col[1],
			              txt, ec.msg);
			bad++;
		}
		free(txt);
		/* multiline (and comments) -> tokenize -> same wire */
		txt = wire2text(type, want, wn, ZK_RDTEXT_MULTILINE | ZK_RDTEXT_COMMENTS, &rc);
		r = text2wire(type, txt, again, sizeof(again), &an, &ec);
		if (rc != 0 || r != 0 || an != wn || memcmp(again, want, wn) != 0) {
			print_message("# %s %s: multiline '%s' does not read back (%s)\n", col[0],
			              col[1], txt, ec.msg);
			bad++;
		}
		free(txt);
		/* generic form reads back */
		txt = wire2text(type, want, wn, ZK_RDTEXT_GENERIC, &rc);
		r = text2wire(type, txt, again, sizeof(again), &an, &ec);
		if (r != 0 || an != wn || memcmp(again, want, wn) != 0) {
			print_message("# %s: generic '%s' does not read back (%s)\n", col[0], txt,
			              ec.msg);
			bad++;
		}
		free(txt);
		/* from_wire out of a message (rdata after a 12-octet header) */
		{
			uint8_t msg[12 + 65535];
			memset(msg, 0, 12);
			memcpy(msg + 12, want, wn);
			r = zk_rdata_from_wire(type, msg, 12 + wn, 12, (uint16_t)wn, again,
			                       sizeof(again), &an, &ec);
			if (r != 0 || an != wn || memcmp(again, want, wn) != 0) {
				print_message("# %s %s: from_wire: %s\n", col[0], col[1], ec.msg);
				bad++;
			}
		}
	}
	fclose(f);
	free(line);
	/* Every type BIND knows has at least one row. */
	for (size_t i = 0; zk_rrtype_at(i) != NULL; i++) {
		const zk_rrtype_t *t = zk_rrtype_at(i);
		if (!(t->flags & ZK_RRF_META) && !seen[t->code]) {
			print_message("# no corpus row for %s\n", t->name);
			bad++;
		}
	}
	print_message("# corpus: %d rows, %d problems\n", rows, bad);
	assert_true(rows >= 150);
	assert_int_equal(bad, 0);
}

/* ---------------------------------------------------------------- RFC vectors */

/* RFC 3597 §5: the four examples (t/data/rdata/rfc3597-s5-examples.zone). */
static void test_rfc3597(void **state)
{
	FILE *f = open_data("rdata/rfc3597-s5-examples.zone");
	static const struct {
		uint16_t type;
		const char *hex, *text;
	} want[] = {
	    {731, "ABCDEF012345", "\\# 6 ABCDEF012345"},
	    {62347, "", "\\# 0"},
	    {ZK_TYPE_A, "0A000001", "10.0.0.1"},
	    {ZK_TYPE_A, "0A000002", "10.0.0.2"},
	};
	char text[4096] = "", line[512];
	size_t k = 0;

	(void)state;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == ';')
			continue;
		strcat(text, line);
		if (strchr(line, '(') != NULL && strchr(line, ')') == NULL)
			continue; /* the record goes on (RFC 1035 §5.1 parentheses) */
		zk_token_t toks[64];
		size_t nt, wn;
		uint8_t wire[64], exp[64];
		uint16_t type, rclass;
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		assert_int_equal(zk_text_tokenize(text, strlen(text), toks, 64, &nt, &ec), 0);
		assert_true(nt >= 3);
		assert_int_equal(zk_rrclass_from_text(toks[1].s, toks[1].n, &rclass), 0);
		assert_int_equal(zk_rrtype_from_text(toks[2].s, toks[2].n, &type), 0);
		assert_true(k < 4);
		assert_int_equal(type, want[k].type);
		assert_int_equal(
		    zk_rdata_from_text(type, toks + 3, nt - 3, NULL, wire, sizeof(wire), &wn, &ec),
		    0);
		size_t en = unhex_text(want[k].hex, exp, sizeof(exp));
		assert_int_equal(wn, en);
		assert_memory_equal(wire, exp, en);
		int rc;
		char *out = wire2text(type, wire, wn, 0, &rc);
		assert_int_equal(rc, 0);
		assert_string_equal(out, want[k].text);
		free(out);
		k++;
		text[0] = '\0';
	}
	fclose(f);
	assert_int_equal(k, 4);
	/* Classes of the examples. */
	uint16_t c;
	assert_int_equal(zk_rrclass_from_text("CLASS32", 7, &c), 0);
	assert_int_equal(c, 32);
	assert_int_equal(zk_rrclass_from_text("HS", 2, &c), 0);
	assert_int_equal(c, ZK_CLASS_HS);
}

/* Tokens of a whole record "owner TYPE rdata...": the rdata tokens. */
static int record2wire(const char *rec, uint16_t *type, uint8_t *out, size_t cap, size_t *len,
                       zk_errctx_t *ec)
{
	zk_token_t toks[128];
	size_t nt;
	int r;

	zk_errctx_init(ec);
	if ((r = zk_text_tokenize(rec, strlen(rec), toks, 128, &nt, ec)) < 0)
		return r;
	assert_true(nt >= 2);
	assert_int_equal(zk_rrtype_from_text(toks[1].s, toks[1].n, type), 0);
	return zk_rdata_from_text(*type, toks + 2, nt - 2, NULL, out, cap, len, ec);
}

/* RFC 9460 Appendix D.1/D.2: presentation -> wire, the \# form -> the
 * same wire, wire -> text -> wire. */
static void test_rfc9460_good(void **state)
{
	FILE *f = open_data("rdata/rfc9460-d2-vectors.tsv");
	char line[1024];
	int n = 0;

	(void)state;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *col[5], *p = line;
		uint8_t wire[512], exp[512], back[512];
		size_t wn, en, bn;
		uint16_t type;
		zk_errctx_t ec;
		char generic[1200];

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (int i = 0; i < 5; i++) {
			col[i] = p;
			if (i < 4) {
				p = strchr(p, '\t');
				assert_non_null(p);
				*p++ = '\0';
			}
		}
		en = unhex_text(col[4], exp, sizeof(exp));
		assert_int_equal(en, (size_t)atoi(col[3]));
		if (record2wire(col[2], &type, wire, sizeof(wire), &wn, &ec) != 0)
			fail_msg("Figure %s: %s: %s", col[0], col[2], ec.msg);
		assert_int_equal(wn, en);
		assert_memory_equal(wire, exp, en);
		snprintf(generic, sizeof(generic), "x. %s \\# %s %s",
		         type == ZK_TYPE_SVCB ? "SVCB" : "HTTPS", col[3], col[4]);
		assert_int_equal(record2wire(generic, &type, back, sizeof(back), &bn, &ec), 0);
		assert_int_equal(bn, en);
		assert_memory_equal(back, exp, en);
		int rc;
		char *txt = wire2text(type, wire, wn, 0, &rc);
		assert_int_equal(rc, 0);
		assert_int_equal(text2wire(type, txt, back, sizeof(back), &bn, &ec), 0);
		assert_int_equal(bn, en);
		assert_memory_equal(back, exp, en);
		free(txt);
		n++;
	}
	fclose(f);
	assert_int_equal(n, 10);
	/* Figure 9 as BIND prints it: keys in wire order. */
	{
		uint8_t w[128];
		size_t wn;
		zk_errctx_t ec;
		int rc;
		assert_int_equal(
		    text2wire(ZK_TYPE_SVCB,
		              "16 foo.example.org. ( alpn=h2,h3-19 mandatory=ipv4hint,alpn "
		              "ipv4hint=192.0.2.1 )",
		              w, sizeof(w), &wn, &ec),
		    0);
		char *txt = wire2text(ZK_TYPE_SVCB, w, wn, 0, &rc);
		assert_string_equal(txt,
		                    "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2,h3-19\" "
		                    "ipv4hint=192.0.2.1");
		free(txt);
	}
}

/* RFC 9460 Appendix D.3: every failure case fails, with ZK_ESVCB. */
static void test_rfc9460_failures(void **state)
{
	FILE *f = open_data("rdata/rfc9460-d3-failures.tsv");
	char line[1024];
	int n = 0;

	(void)state;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *rec;
		uint8_t wire[512];
		size_t wn;
		uint16_t type;
		zk_errctx_t ec;

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		rec = strrchr(line, '\t');
		assert_non_null(rec);
		rec++;
		int r = record2wire(rec, &type, wire, sizeof(wire), &wn, &ec);
		if (r != ZK_ESVCB)
			fail_msg("D.3 %s: got %d (%s), want ZK_ESVCB", rec, r, ec.msg);
		assert_true(ec.msg[0] != '\0');
		n++;
	}
	fclose(f);
	assert_int_equal(n, 10);
}

/* ---------------------------------------------------------------- malformed text */

static void test_bad_text(void **state)
{
	static const struct {
		uint16_t type;
		const char *text;
		int code;
	} cases[] = {
	    {ZK_TYPE_A, "1.2.3", ZK_ESYNTAX},
	    {ZK_TYPE_A, "1.2.3.256", ZK_ESYNTAX},
	    {ZK_TYPE_A, "01.2.3.4", ZK_ESYNTAX},
	    {ZK_TYPE_A, "1.2.3.4 5", ZK_ESYNTAX},
	    {ZK_TYPE_A, "", ZK_ESYNTAX},
	    {ZK_TYPE_AAAA, "2001:db8::g", ZK_ESYNTAX},
	    {ZK_TYPE_AAAA, "1.2.3.4", ZK_ESYNTAX},
	    {ZK_TYPE_MX, "65536 a.", ZK_ERANGE},
	    {ZK_TYPE_MX, "99999999999999999999999 a.", ZK_ERANGE},
	    {ZK_TYPE_MX, "-1 a.", ZK_ESYNTAX},
	    {ZK_TYPE_MX, "10", ZK_ESYNTAX},
	    {ZK_TYPE_MX, "10 a..b.", ZK_ESYNTAX},
	    {ZK_TYPE_NS, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
	     ZK_ELABEL},
	    {ZK_TYPE_SOA, "a. b. 4294967296 1 2 3 4", ZK_ERANGE},
	    {ZK_TYPE_SOA, "a. b. 1 1 2 3 9999999999w", ZK_ERANGE},
	    {ZK_TYPE_SOA, "a. b. 1 1 2 3 1x", ZK_ESYNTAX},
	    {ZK_TYPE_SOA, "a. b. 1 1 2 3", ZK_ESYNTAX},
	    {ZK_TYPE_SSHFP, "256 1 00", ZK_ERANGE},
	    {ZK_TYPE_DNSKEY, "256 3 8 AQ=D", ZK_EBASE64},
	    {ZK_TYPE_DNSKEY, "256 3 8 A", ZK_EBASE64},
	    {ZK_TYPE_DNSKEY, "256 3 8 AQID=", ZK_EBASE64},
	    {ZK_TYPE_DNSKEY, "256 3 256 AQID", ZK_ERANGE},
	    {ZK_TYPE_DNSKEY, "256 3 NOSUCHALG AQID", ZK_ESYNTAX},
	    {ZK_TYPE_DNSKEY, "256 3 8", ZK_ESYNTAX},
	    {ZK_TYPE_DS, "1 8 2 ABCD", ZK_ERDATA},
	    {ZK_TYPE_DS, "1 8 1 XYZ", ZK_EHEX},
	    {ZK_TYPE_DS, "1 8 1 ABC", ZK_EHEX},
	    {ZK_TYPE_TXT, "\"\\256\"", ZK_ESYNTAX},
	    {ZK_TYPE_TXT, "\"\\12\"", ZK_ESYNTAX},
	    {ZK_TYPE_NSEC, "a. FOO", ZK_ETYPE},
	    {ZK_TYPE_NSEC, "a.", ZK_ESYNTAX},
	    {ZK_TYPE_NSEC3, "1 0 0 - !!!!", ZK_EBASE32},
	    {ZK_TYPE_NSEC3, "1 0 0 zz 2t7b4g4vsa5smi47k61mv5bv1a22bojr", ZK_EHEX},
	    {ZK_TYPE_NSEC3PARAM, "1 0 65536 -", ZK_ERANGE},
	    {ZK_TYPE_RRSIG, "A 8 2 300 20241301000000 20240101000000 1 a. AA==", ZK_ERANGE},
	    {ZK_TYPE_RRSIG, "A 8 2 300 2024010100000x 20240101000000 1 a. AA==", ZK_ESYNTAX},
	    {ZK_TYPE_RRSIG, "FOO 8 2 300 1 1 1 a. AA==", ZK_ETYPE},
	    {ZK_TYPE_RRSIG, "A 8 2 4294967296 1 1 1 a. AA==", ZK_ERANGE},
	    {ZK_TYPE_A, "\\# 3 0102", ZK_ERDLEN},
	    {ZK_TYPE_A, "\\# 2 0102 03", ZK_ERDLEN},
	    {ZK_TYPE_A, "\\# x", ZK_ESYNTAX},
	    {ZK_TYPE_A, "\\#", ZK_ESYNTAX},
	    {ZK_TYPE_A, "\\# 65536 00", ZK_ERANGE},
	    {ZK_TYPE_A, "\\# 3 010203", ZK_ETRUNC},
	    {ZK_TYPE_A, "\\# 5 0102030405", ZK_ERDATA},
	    {ZK_TYPE_A, "\\# 4 0102030G", ZK_EHEX},
	    {ZK_TYPE_NULL, "0102", ZK_ESYNTAX},
	    {ZK_TYPE_LOC, "91 N 0 E 0m", ZK_ERANGE},
	    {ZK_TYPE_LOC, "1 2 3.4567 N 0 E 0m", ZK_ESYNTAX},
	    {ZK_TYPE_LOC, "1 X 0 E 0m", ZK_ESYNTAX},
	    {ZK_TYPE_CAA, "0 is-sue \"x\"", ZK_ESYNTAX},
	    {ZK_TYPE_EUI48, "00-00-5e-00-53", ZK_ESYNTAX},
	    {ZK_TYPE_EUI64, "00-00-5e-00-53-2a-00-0g", ZK_ESYNTAX},
	    {ZK_TYPE_NID, "10 1:2:3", ZK_ESYNTAX},
	    {ZK_TYPE_SVCB, "1 . port=70000", ZK_ERANGE},
	    {ZK_TYPE_SVCB, "1 . alpn=", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . foo=bar", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . ipv4hint=1.2.3.4,", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . ipv6hint=1.2.3.4", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . ech=!!!!", ZK_EBASE64},
	    {ZK_TYPE_SVCB, "1 . key65536=x", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . dohpath=/x", ZK_ESVCB},
	    {ZK_TYPE_SVCB, "1 . alpn=h2 no-default-alpn=x", ZK_ESVCB},
	    {ZK_TYPE_APL, "3:00/8", ZK_EUNSUPP},
	    {ZK_TYPE_APL, "1:1.2.3.4/33", ZK_ESYNTAX},
	    {ZK_TYPE_WKS, "1.2.3.4 6 65536", ZK_ERANGE},
	    {ZK_TYPE_X25, "12ab", ZK_ESYNTAX},
	    {ZK_TYPE_NSAP, "47.0005", ZK_ESYNTAX},
	    {ZK_TYPE_IPSECKEY, "10 4 2 . AQID", ZK_ERANGE},
	    {ZK_TYPE_IPSECKEY, "10 1 2 1.2.3 AQID", ZK_ESYNTAX},
	    {ZK_TYPE_AMTRELAY, "0 2 0 .", ZK_ERANGE},
	    {ZK_TYPE_ZONEMD, "1 1 1 00", ZK_ERDATA},
	    {ZK_TYPE_TLSA, "0 0 1", ZK_ESYNTAX},
	    {ZK_TYPE_TLSA, "0 0 1 \"\"", ZK_EHEX},
	    {ZK_TYPE_A6, "129 ::1 a.", ZK_ERANGE},
	    {ZK_TYPE_OPENPGPKEY, "\"\"", ZK_EBASE64},
	    {ZK_TYPE_SSHFP, "1 1 1234", ZK_ERDATA},
	    {ZK_TYPE_SSHFP, "1 2 1234", ZK_ERDATA},
	    {ZK_TYPE_NSEC3, "1 0 1 - 2t7b4g4v", ZK_ERANGE},
	    {ZK_TYPE_KEY, "6592 0 3", ZK_ESYNTAX},
	    {ZK_TYPE_NXT, "a. 128", ZK_ETYPE},
	    {ZK_TYPE_NXT, "a. TYPE0", ZK_ETYPE},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t w[1024];
		size_t wn = 12345;
		zk_errctx_t ec;
		int r = text2wire(cases[i].type, cases[i].text, w, sizeof(w), &wn, &ec);
		if (r != cases[i].code)
			fail_msg("type %u '%s': got %d (%s), want %d", cases[i].type, cases[i].text,
			         r, ec.msg, cases[i].code);
		assert_true(ec.msg[0] != '\0');
		assert_int_equal(wn, 12345); /* untouched on failure */
	}
	/* A TXT string of 256 octets. */
	{
		char txt[300];
		uint8_t w[300];
		size_t wn;
		zk_errctx_t ec;
		memset(txt, 'x', 256);
		txt[256] = '\0';
		assert_int_equal(text2wire(ZK_TYPE_TXT, txt, w, sizeof(w), &wn, &ec), ZK_ERANGE);
		txt[255] = '\0';
		assert_int_equal(text2wire(ZK_TYPE_TXT, txt, w, sizeof(w), &wn, &ec), 0);
		assert_int_equal(wn, 256);
	}
	/* A name over 255 octets inside rdata. */
	{
		char nm[600] = "10 ";
		uint8_t w[600];
		size_t wn;
		zk_errctx_t ec;
		for (int i = 0; i < 5; i++)
			strcat(nm,
			       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
		assert_int_equal(text2wire(ZK_TYPE_MX, nm, w, sizeof(w), &wn, &ec), ZK_ENAMELEN);
	}
	/* The output buffer too small. */
	{
		uint8_t w[3];
		size_t wn;
		zk_errctx_t ec;
		assert_int_equal(text2wire(ZK_TYPE_A, "1.2.3.4", w, sizeof(w), &wn, &ec),
		                 ZK_ESPACE);
	}
}

/* Errors name the token's line and column. */
static void test_error_location(void **state)
{
	const char *text = "10 (\n   mail.example.\n  extra )";
	zk_token_t toks[8];
	size_t nt, wn;
	uint8_t w[64];
	zk_errctx_t ec;
	char buf[300];

	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_text_tokenize(text, strlen(text), toks, 8, &nt, &ec), 0);
	assert_int_equal(nt, 3);
	assert_int_equal(toks[1].line, 2);
	assert_int_equal(toks[1].col, 4);
	assert_int_equal(zk_rdata_from_text(ZK_TYPE_MX, toks, nt, NULL, w, sizeof(w), &wn, &ec),
	                 ZK_ESYNTAX);
	assert_int_equal(ec.line, 3);
	assert_int_equal(ec.col, 3);
	assert_non_null(strstr(ec.msg, "extra"));
	ec.file = "zone.db";
	zk_errctx_format(&ec, buf, sizeof(buf));
	assert_true(strncmp(buf, "zone.db:3:3: ", 13) == 0);

	/* Out of range number: message names the field and the value. */
	zk_errctx_init(&ec);
	assert_int_equal(zk_text_tokenize("70000 a.", 8, toks, 8, &nt, &ec), 0);
	assert_int_equal(zk_rdata_from_text(ZK_TYPE_MX, toks, nt, NULL, w, sizeof(w), &wn, &ec),
	                 ZK_ERANGE);
	assert_int_equal(ec.col, 1);
	assert_non_null(strstr(ec.msg, "70000"));
	assert_non_null(strstr(ec.msg, "16-bit"));
}

/* ---------------------------------------------------------------- malformed wire */

static void test_bad_wire(void **state)
{
	static const struct {
		uint16_t type;
		const char *hex;
		int code;
		long offset; /* -1: don't care */
	} cases[] = {
	    {ZK_TYPE_A, "010203", ZK_ETRUNC, 0},
	    {ZK_TYPE_A, "0102030405", ZK_ERDATA, 4},
	    {ZK_TYPE_AAAA, "20010db8", ZK_ETRUNC, 0},
	    {ZK_TYPE_MX, "000a03666f6f", ZK_ETRUNC, 2},
	    {ZK_TYPE_MX, "000a", ZK_ETRUNC, 2},
	    {ZK_TYPE_MX, "000ac00c", ZK_EPTR, 2},
	    {ZK_TYPE_MX, "000a4161", ZK_ELABELTYPE, 2},
	    {ZK_TYPE_NS, "4000", ZK_ELABELTYPE, 0},
	    {ZK_TYPE_TXT, "056162", ZK_ETRUNC, 0},
	    {ZK_TYPE_TXT, "", ZK_ETRUNC, 0},
	    {ZK_TYPE_SOA, "00000000000100000002", ZK_ETRUNC, -1},
	    {ZK_TYPE_NSEC, "00", ZK_ERDATA, -1},
	    {ZK_TYPE_NSEC, "000100", ZK_ERDATA, 2},
	    {ZK_TYPE_NSEC, "00010140000140", ZK_ERDATA, 4},
	    {ZK_TYPE_NSEC, "000140000140", ZK_ERDATA, -1},
	    {ZK_TYPE_NSEC, "00002140", ZK_ERDATA, -1},
	    {ZK_TYPE_NSEC, "00000340", ZK_ERDATA, -1},
	    {ZK_TYPE_NSEC, "0000024000", ZK_ERDATA, -1},
	    {ZK_TYPE_DS, "000108010102", ZK_ERDATA, 4},
	    {ZK_TYPE_DS, "00010801", ZK_ETRUNC, 4},
	    {ZK_TYPE_NSEC3, "010000000301", ZK_ETRUNC, 4},
	    {ZK_TYPE_NSEC3,
	     "0100000000"
	     "00",
	     ZK_ERDATA, 5},
	    {ZK_TYPE_NSEC3PARAM, "01000000", ZK_ETRUNC, 4},
	    {ZK_TYPE_RRSIG, "0001080200000e10", ZK_ETRUNC, -1},
	    {ZK_TYPE_DNSKEY, "01010308", ZK_ETRUNC, 4},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "000300020035"
	     "000100030268"
	     "32",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "00030002003500030002003",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "000300030000ff",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "00010000",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "0000000200"
	     "07",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "00000002"
	     "0000",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "000400030102"
	     "03",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "0001000502683200",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB,
	     "000100"
	     "00010010",
	     ZK_ESVCB, -1},
	    {ZK_TYPE_SVCB, "0001", ZK_ETRUNC, -1},
	    {ZK_TYPE_LOC, "0100", 0, -1},
	    {ZK_TYPE_LOC, "00121613", ZK_ETRUNC, -1},
	    {ZK_TYPE_LOC, "00a216138b3cf018810cbce0009895b8", ZK_ERANGE, 1},
	    {ZK_TYPE_LOC, "001002687fffffff7fffffff00000000", ZK_ERANGE, 2},
	    {ZK_TYPE_SSHFP, "01011234", ZK_ERDATA, 2},
	    {ZK_TYPE_SSHFP,
	     "0103"
	     "1234",
	     0, -1},
	    {ZK_TYPE_NSEC3, "01004e000002847b", ZK_ERDATA, 5},
	    {ZK_TYPE_NSEC3, "02004e000002847b", 0, -1},
	    {ZK_TYPE_NSEC3,
	     "0200000100"
	     "28"
	     "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
	     ZK_ERDATA, 5},
	    {ZK_TYPE_KEY, "19c00003", ZK_ETRUNC, 4},
	    {ZK_TYPE_KEY, "c0000308", 0, -1},
	    {ZK_TYPE_LOC, "0012161300000000810cbce0009895b8", ZK_ERANGE, 4},
	    {ZK_TYPE_APL, "000120", ZK_ETRUNC, 0},
	    {ZK_TYPE_APL, "00012102c0", ZK_ETRUNC, -1},
	    {ZK_TYPE_APL,
	     "00012001"
	     "00",
	     ZK_ERDATA, -1},
	    {ZK_TYPE_APL,
	     "00012105"
	     "0102030405",
	     ZK_ERANGE, -1},
	    {ZK_TYPE_WKS, "01020304", ZK_ETRUNC, -1},
	    {ZK_TYPE_WKS, "010203040600", ZK_ERDATA, -1},
	    {ZK_TYPE_A6, "81", ZK_ERANGE, 0},
	    {ZK_TYPE_A6, "01ff", ZK_ETRUNC, -1},
	    {ZK_TYPE_HIP, "0102000401", ZK_ETRUNC, -1},
	    {ZK_TYPE_HIP,
	     "00020001"
	     "01",
	     ZK_ERDATA, 0},
	    {ZK_TYPE_IPSECKEY, "0a0402", ZK_ERDATA, 1},
	    {ZK_TYPE_IPSECKEY, "0a0102c0000226", ZK_ETRUNC, -1},
	    {ZK_TYPE_ATMA, "0141ff", ZK_ERDATA, 1},
	    {ZK_TYPE_CAA, "0000", ZK_ERDATA, 1},
	    {ZK_TYPE_CAA, "00032d2d2d", ZK_ERDATA, -1},
	    {ZK_TYPE_X25, "03313233", ZK_ERDATA, -1},
	    {ZK_TYPE_ZONEMD,
	     "000000010101"
	     "00",
	     ZK_ERDATA, 6},
	    {ZK_TYPE_TSIG,
	     "00"
	     "000000000001"
	     "012c"
	     "0005"
	     "0102",
	     ZK_ETRUNC, -1},
	    {ZK_TYPE_OPT,
	     "000a0008"
	     "0102",
	     ZK_ETRUNC, -1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t rd[256];
		size_t n = unhex_text(cases[i].hex, rd, sizeof(rd));
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		int r = zk_rdata_check(cases[i].type, rd, n, &ec);
		if (r != cases[i].code)
			fail_msg("type %u %s: got %d (%s), want %d", cases[i].type, cases[i].hex, r,
			         ec.msg, cases[i].code);
		if (r != 0) {
			assert_true(ec.msg[0] != '\0');
			if (cases[i].offset >= 0 && ec.offset != cases[i].offset)
				fail_msg("type %u %s: offset %ld, want %ld (%s)", cases[i].type,
				         cases[i].hex, ec.offset, cases[i].offset, ec.msg);
			/* Malformed input prints as \# and says so. */
			zk_buf_t b;
			zk_buf_init(&b);
			assert_int_equal(zk_rdata_to_text(cases[i].type, rd, n, 0, "\t", &b),
			                 ZK_ERDATA);
			assert_true(strncmp(b.data, "\\# ", 3) == 0);
			zk_buf_free(&b);
		}
	}
}

/* zk_rdata_from_wire: RDLENGTH lies, names running out of the rdata,
 * compression only where RFC 3597 §4 allows it. */
static void test_from_wire(void **state)
{
	/* Header (12 octets), then "example.com." at 12, then rdata at 25. */
	uint8_t msg[128] = {0};
	static const uint8_t owner[] = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
	uint8_t out[256];
	size_t on;
	zk_errctx_t ec;

	(void)state;
	memcpy(msg + 12, owner, sizeof(owner));
	/* MX 10 mail.<ptr to 12>: decompressed. */
	static const uint8_t mx[] = {0, 10, 4, 'm', 'a', 'i', 'l', 0xc0, 12};
	memcpy(msg + 25, mx, sizeof(mx));
	zk_errctx_init(&ec);
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_MX, msg, 25 + sizeof(mx), 25, sizeof(mx), out,
	                                    sizeof(out), &on, &ec),
	                 0);
	assert_int_equal(on, 2 + 5 + 13);
	assert_memory_equal(out + 7, owner, sizeof(owner));
	/* SRV (decompress only, RFC 3597 §4): accepted. */
	static const uint8_t srv[] = {0, 1, 0, 2, 0, 3, 0xc0, 12};
	memcpy(msg + 25, srv, sizeof(srv));
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_SRV, msg, 25 + sizeof(srv), 25, sizeof(srv),
	                                    out, sizeof(out), &on, &ec),
	                 0);
	assert_int_equal(on, 6 + 13);
	/* NSEC, DNAME, SVCB: not in the list, a pointer is an error. */
	static const uint8_t nsec[] = {0xc0, 12, 0, 1, 0x40};
	memcpy(msg + 25, nsec, sizeof(nsec));
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_NSEC, msg, 25 + sizeof(nsec), 25, sizeof(nsec),
	                                    out, sizeof(out), &on, &ec),
	                 ZK_EPTR);
	zk_errctx_init(&ec);
	assert_int_equal(
	    zk_rdata_from_wire(ZK_TYPE_DNAME, msg, 27, 25, 2, out, sizeof(out), &on, &ec), ZK_EPTR);
	assert_int_equal(ec.offset, 25); /* offsets are into the message */
	/* RDLENGTH past the end of the message. */
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_A, msg, 29, 25, 8, out, sizeof(out), &on, &ec),
	                 ZK_ERDLEN);
	/* RDLENGTH shorter than the name: the name may not run past it. */
	memcpy(msg + 25, mx, sizeof(mx));
	assert_int_equal(
	    zk_rdata_from_wire(ZK_TYPE_MX, msg, sizeof(msg), 25, 6, out, sizeof(out), &on, &ec),
	    ZK_ERDLEN);
	/* RDLENGTH longer than the fields. */
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_MX, msg, sizeof(msg), 25, sizeof(mx) + 2, out,
	                                    sizeof(out), &on, &ec),
	                 ZK_ERDLEN);
	/* A forward pointer is refused (name.c). */
	static const uint8_t fwd[] = {0, 10, 0xc0, 40};
	memcpy(msg + 25, fwd, sizeof(fwd));
	assert_int_equal(zk_rdata_from_wire(ZK_TYPE_MX, msg, sizeof(msg), 25, sizeof(fwd), out,
	                                    sizeof(out), &on, &ec),
	                 ZK_EPTR);
}

/* ---------------------------------------------------------------- canonical form */

static void canon(uint16_t type, const char *in, const char *want_text)
{
	uint8_t w[512];
	size_t wn;
	zk_errctx_t ec;
	int rc;

	if (text2wire(type, in, w, sizeof(w), &wn, &ec) != 0)
		fail_msg("%s: %s", in, ec.msg);
	zk_rdata_canonicalize(type, w, wn);
	char *t = wire2text(type, w, wn, ZK_RDTEXT_NOSPLIT, &rc);
	if (strcmp(t, want_text) != 0)
		fail_msg("canonical %u '%s': got '%s', want '%s'", type, in, t, want_text);
	free(t);
}

static void test_canonical(void **state)
{
	(void)state;
	/* RFC 4034 §6.2 item 3: lower-cased. */
	canon(ZK_TYPE_NS, "NS.Example.COM.", "ns.example.com.");
	canon(ZK_TYPE_CNAME, "A.B.", "a.b.");
	canon(ZK_TYPE_SOA, "NS.X. Host.X. 1 2 3 4 5", "ns.x. host.x. 1 2 3 4 5");
	canon(ZK_TYPE_MX, "10 MAIL.X.", "10 mail.x.");
	canon(ZK_TYPE_MINFO, "A.X. B.X.", "a.x. b.x.");
	canon(ZK_TYPE_RP, "A.X. B.X.", "a.x. b.x.");
	canon(ZK_TYPE_AFSDB, "1 A.X.", "1 a.x.");
	canon(ZK_TYPE_RT, "1 A.X.", "1 a.x.");
	canon(ZK_TYPE_PX, "1 A.X. B.X.", "1 a.x. b.x.");
	canon(ZK_TYPE_SRV, "1 2 3 SRV.X.", "1 2 3 srv.x.");
	canon(ZK_TYPE_NAPTR, "1 2 \"S\" \"E2U\" \"\" REPL.X.", "1 2 \"S\" \"E2U\" \"\" repl.x.");
	canon(ZK_TYPE_KX, "1 KX.X.", "1 kx.x.");
	canon(ZK_TYPE_DNAME, "TARGET.X.", "target.x.");
	canon(ZK_TYPE_A6, "64 ::1 PREFIX.X.", "64 ::1 prefix.x.");
	canon(ZK_TYPE_NXT, "NEXT.X. A", "next.x. A");
	canon(ZK_TYPE_SIG, "A 8 1 1 1 1 1 SIGNER.X. AA==",
	      "A 8 1 1 19700101000001 19700101000001 1 signer.x. AA==");
	/* RFC 6840 §5.1: RRSIG names are lower-cased, NSEC names are not. */
	canon(ZK_TYPE_RRSIG, "A 8 1 1 1 1 1 Example.COM. AA==",
	      "A 8 1 1 19700101000001 19700101000001 1 example.com. AA==");
	canon(ZK_TYPE_NSEC, "Host.Example.COM. A", "Host.Example.COM. A");
	/* Not on the list: untouched. */
	canon(ZK_TYPE_SVCB, "1 Target.X.", "1 Target.X.");
	canon(ZK_TYPE_HINFO, "\"CPU\" \"OS\"", "\"CPU\" \"OS\"");
	canon(ZK_TYPE_TXT, "\"ABC\"", "\"ABC\"");
	canon(ZK_TYPE_TALINK, "A.X. B.X.", "A.X. B.X.");
	canon(ZK_TYPE_LP, "1 A.X.", "1 A.X.");
	canon(ZK_TYPE_IPSECKEY, "1 3 2 GW.X. AQID", "1 3 2 GW.X. AQID");
	canon(ZK_TYPE_HIP, "2 00 AQID RVS.X.", "2 00 AQID RVS.X.");
	canon(ZK_TYPE_NAPTR, "1 2 \"S\" \"\" \"\" .", "1 2 \"S\" \"\" \"\" .");
	canon(65280, "\\# 3 414243", "\\# 3 414243");

	/* Canonical order (RFC 4034 §6.3): octets, shorter first. */
	static const uint8_t a[] = {1, 2, 3}, b[] = {1, 2, 4}, c[] = {1, 2};
	assert_true(zk_rdata_cmp(a, 3, b, 3) < 0);
	assert_true(zk_rdata_cmp(b, 3, a, 3) > 0);
	assert_true(zk_rdata_cmp(c, 2, a, 3) < 0);
	assert_int_equal(zk_rdata_cmp(a, 3, a, 3), 0);
	assert_int_equal(zk_rdata_cmp(a, 0, b, 0), 0);
}

/* ---------------------------------------------------------------- compression */

static void test_to_wire(void **state)
{
	uint8_t buf[256];
	zk_wbuf_t w;
	zk_compress_t c;
	zk_name_t owner;
	uint8_t rd[64];
	size_t rn;
	zk_errctx_t ec;

	(void)state;
	zk_wbuf_init(&w, buf, sizeof(buf));
	memset(buf, 0, 12);
	w.len = 12;
	zk_compress_init(&c, &w);
	assert_int_equal(zk_name_from_text(&owner, "example.com.", 12, NULL, &ec), 0);
	zk_compress_put(&c, &w, &owner);
	assert_int_equal(w.len, 25);
	/* MX (RFC 1035 type): compressed against the owner. */
	assert_int_equal(text2wire(ZK_TYPE_MX, "10 mail.example.com.", rd, sizeof(rd), &rn, &ec),
	                 0);
	zk_rdata_to_wire(ZK_TYPE_MX, rd, rn, &w, &c);
	static const uint8_t mx[] = {0, 10, 4, 'm', 'a', 'i', 'l', 0xc0, 12};
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, 25 + sizeof(mx));
	assert_memory_equal(buf + 25, mx, sizeof(mx));
	/* SRV and RRSIG: never compressed on render (RFC 3597 §4, RFC 4034 §3.1.7). */
	size_t before = w.len;
	assert_int_equal(text2wire(ZK_TYPE_SRV, "1 2 3 example.com.", rd, sizeof(rd), &rn, &ec), 0);
	zk_rdata_to_wire(ZK_TYPE_SRV, rd, rn, &w, &c);
	assert_int_equal(w.len - before, rn);
	assert_memory_equal(buf + before, rd, rn);
	before = w.len;
	assert_int_equal(
	    text2wire(ZK_TYPE_RRSIG, "A 8 2 1 1 1 1 example.com. AA==", rd, sizeof(rd), &rn, &ec),
	    0);
	zk_rdata_to_wire(ZK_TYPE_RRSIG, rd, rn, &w, &c);
	assert_int_equal(w.len - before, rn);
	/* SOA: both names compressed, the timers copied. */
	before = w.len;
	assert_int_equal(text2wire(ZK_TYPE_SOA, "ns.example.com. example.com. 1 2 3 4 5", rd,
	                           sizeof(rd), &rn, &ec),
	                 0);
	zk_rdata_to_wire(ZK_TYPE_SOA, rd, rn, &w, &c);
	static const uint8_t soa[] = {2, 'n', 's', 0xc0, 12, 0xc0, 12, 0, 0, 0, 1, 0, 0, 0,
	                              2, 0,   0,   0,    3,  0,    0,  0, 4, 0, 0, 0, 5};
	assert_int_equal(w.len - before, sizeof(soa));
	assert_memory_equal(buf + before, soa, sizeof(soa));
	/* Without a table: plain copy. */
	before = w.len;
	zk_rdata_to_wire(ZK_TYPE_MX, mx, 2, &w, NULL);
	assert_int_equal(w.len - before, 2);
}

/* ---------------------------------------------------------------- key tags, meta types */

static uint16_t tag_of(const char *text)
{
	uint8_t w[1024];
	size_t wn;
	zk_errctx_t ec;
	if (text2wire(ZK_TYPE_DNSKEY, text, w, sizeof(w), &wn, &ec) != 0)
		fail_msg("%s: %s", text, ec.msg);
	return zk_rdata_keytag(w, wn);
}

static void test_keytag(void **state)
{
	(void)state;
	/* RFC 4034 §5.4 (dskey.example.com, DS key tag 60485). */
	assert_int_equal(tag_of("256 3 5 ( AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
	                        "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+"
	                        "X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/"
	                        "rljwvFw== )"),
	                 60485);
	/* RFC 4034 §2.3 (example.com, the key tag of the §3.3 RRSIG: 2642). */
	assert_int_equal(
	    tag_of("256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3 Cbl+BBZH4b/0PY1kxkmvHjcZc8no "
	           "kfzj31GajIQKY+5CptLr3buXA10h WqTkF7H6RfoRqXQeogmMHfpftf6z "
	           "Mv1LyBUgia7za6ZEzOJBOztyvhjL 742iU/TpPSEDhm2SNKLijfUppn1U aNvv4w== )"),
	    2642);
	/* dig's comments for the corpus keys (multiline.tsv). */
	assert_int_equal(tag_of("257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+ "
	                        "KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
	                 2371);
	assert_int_equal(tag_of("385 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="), 3741);
	/* Algorithm 1: App. B.1 (modulus octets n-3, n-2), while dig's comment
	 * for the same key says 60481 (the App. B sum, multiline.tsv). */
	assert_int_equal(tag_of("256 3 1 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
	                        "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+"
	                        "X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/"
	                        "rljwvFw=="),
	                 0x3c2f);
	/* Comment text in multiline style. */
	{
		uint8_t w[256];
		size_t wn;
		zk_errctx_t ec;
		int rc;
		assert_int_equal(text2wire(ZK_TYPE_DNSKEY, "257 3 8 AQID", w, sizeof(w), &wn, &ec),
		                 0);
		char *t =
		    wire2text(ZK_TYPE_DNSKEY, w, wn, ZK_RDTEXT_MULTILINE | ZK_RDTEXT_COMMENTS, &rc);
		assert_string_equal(
		    t, "257 3 8 (\n\tAQID\n\t) ; KSK; alg = RSASHA256 ; key id = 2059");
		free(t);
		t = wire2text(ZK_TYPE_DNSKEY, w, wn, ZK_RDTEXT_MULTILINE, &rc);
		assert_string_equal(t, "257 3 8 (\n\tAQID )");
		free(t);
		t = wire2text(ZK_TYPE_DNSKEY, w, wn, ZK_RDTEXT_NOCRYPTO, &rc);
		assert_string_equal(t, "257 3 8 [key id = 2059]");
		free(t);
	}
	assert_string_equal(zk_rdata_secalg_name(13), "ECDSAP256SHA256");
	assert_null(zk_rdata_secalg_name(99));
}

static void roundtrip_text(uint16_t type, const char *text, const char *hex)
{
	uint8_t w[512], exp[512];
	size_t wn, en;
	zk_errctx_t ec;
	int rc;

	if (text2wire(type, text, w, sizeof(w), &wn, &ec) != 0)
		fail_msg("%s: %s", text, ec.msg);
	en = unhex_text(hex, exp, sizeof(exp));
	assert_int_equal(wn, en);
	assert_memory_equal(w, exp, en);
	char *t = wire2text(type, w, wn, 0, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t, text);
	free(t);
}

static void test_meta_types(void **state)
{
	(void)state;
	/* RFC 8945 §4.2 layout, printed as BIND's tsig totext. */
	roundtrip_text(ZK_TYPE_TSIG, "hmac-sha256. 1700000000 300 3 AQID 12345 NOERROR 0",
	               "0b686d61632d73686132353600"
	               "00006553f100"
	               "012c"
	               "0003010203"
	               "3039"
	               "0000"
	               "0000");
	roundtrip_text(ZK_TYPE_TSIG, "hmac-md5.sig-alg.reg.int. 1 1 0 0 BADTIME 6 AAAAAAAB",
	               "08686d61632d6d6435077369672d616c67037265670369"
	               "6e7400"
	               "000000000001"
	               "0001"
	               "0000"
	               "0000"
	               "0012"
	               "0006"
	               "000000000001");
	/* RFC 2930 §2 TKEY. */
	roundtrip_text(ZK_TYPE_TKEY,
	               "gss.example. 20250101000000 20250102000000 3 NOERROR 3 AQID 0",
	               "03677373076578616d706c6500"
	               "67748580"
	               "6775d700"
	               "0003"
	               "0000"
	               "0003010203"
	               "0000");
	/* OPT prints in RFC 3597 form (the presenter shows the options). */
	roundtrip_text(ZK_TYPE_OPT, "\\# 6 000A00020102", "000a00020102");
	assert_true(zk_rrtype_get(ZK_TYPE_OPT)->flags & ZK_RRF_META);
}

/* Relative names are completed with the origin; "@" is the origin. */
static void test_origin(void **state)
{
	zk_name_t origin;
	zk_token_t toks[8];
	size_t nt, wn;
	uint8_t w[128];
	zk_errctx_t ec;
	int rc;

	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_name_from_text(&origin, "example.com.", 12, NULL, &ec), 0);
	assert_int_equal(zk_text_tokenize("10 mail", 7, toks, 8, &nt, &ec), 0);
	assert_int_equal(zk_rdata_from_text(ZK_TYPE_MX, toks, nt, &origin, w, sizeof(w), &wn, &ec),
	                 0);
	char *t = wire2text(ZK_TYPE_MX, w, wn, 0, &rc);
	assert_string_equal(t, "10 mail.example.com.");
	free(t);
	assert_int_equal(zk_text_tokenize("@ hostmaster 1 2 3 4 5", 22, toks, 8, &nt, &ec), 0);
	assert_int_equal(zk_rdata_from_text(ZK_TYPE_SOA, toks, nt, &origin, w, sizeof(w), &wn, &ec),
	                 0);
	t = wire2text(ZK_TYPE_SOA, w, wn, 0, &rc);
	assert_string_equal(t, "example.com. hostmaster.example.com. 1 2 3 4 5");
	free(t);
	/* No origin: the root. */
	assert_int_equal(zk_text_tokenize("10 mail", 7, toks, 8, &nt, &ec), 0);
	assert_int_equal(zk_rdata_from_text(ZK_TYPE_MX, toks, nt, NULL, w, sizeof(w), &wn, &ec), 0);
	t = wire2text(ZK_TYPE_MX, w, wn, 0, &rc);
	assert_string_equal(t, "10 mail.");
	free(t);
}

/* A name of more than 255 octets inside wire rdata, and rdata of zero
 * length for a type that needs fields (an UPDATE delete). */
static void test_wire_limits(void **state)
{
	uint8_t rd[400];
	size_t n = 0;
	zk_errctx_t ec;
	zk_buf_t b;

	(void)state;
	rd[n++] = 0;
	rd[n++] = 10;
	for (int i = 0; i < 5; i++) {
		rd[n++] = 63;
		memset(rd + n, 'a', 63);
		n += 63;
	}
	rd[n++] = 0;
	zk_errctx_init(&ec);
	assert_int_equal(zk_rdata_check(ZK_TYPE_MX, rd, n, &ec), ZK_ENAMELEN);
	assert_int_equal(ec.offset, 2);
	assert_non_null(strstr(ec.msg, "MX field 2"));
	zk_buf_init(&b);
	assert_int_equal(zk_rdata_to_text(ZK_TYPE_A, rd, 0, 0, "\t", &b), ZK_ERDATA);
	assert_string_equal(b.data, "\\# 0");
	zk_buf_free(&b);
	/* Unknown types: anything goes (RFC 3597). */
	assert_int_equal(zk_rdata_check(65280, rd, n, &ec), 0);
	assert_int_equal(zk_rdata_check(65280, rd, 0, &ec), 0);
}

/* ---------------------------------------------------------------- tokenizer */

static void test_tokenize(void **state)
{
	zk_token_t t[8];
	size_t n;
	zk_errctx_t ec;
	const char *s = "a \"b c\" ( d\\ e ; comment\n \"x\\\"y\" ) f;g";

	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_text_tokenize(s, strlen(s), t, 8, &n, &ec), 0);
	assert_int_equal(n, 5);
	assert_int_equal(t[0].n, 1);
	assert_false(t[0].quoted);
	assert_true(t[1].quoted);
	assert_int_equal(t[1].n, 3);
	assert_memory_equal(t[1].s, "b c", 3);
	assert_int_equal(t[2].n, 4); /* escapes kept as written */
	assert_memory_equal(t[2].s, "d\\ e", 4);
	assert_int_equal(t[3].n, 4);
	assert_memory_equal(t[3].s, "x\\\"y", 4);
	assert_int_equal(t[3].line, 2);
	assert_int_equal(t[4].n, 1);
	assert_memory_equal(t[4].s, "f", 1);
	/* ';' ends the token "f" and starts a comment: "g" is not a token. */
	assert_int_equal(zk_text_tokenize("\"abc", 4, t, 8, &n, &ec), ZK_ESYNTAX);
	assert_int_equal(zk_text_tokenize("( a", 3, t, 8, &n, &ec), ZK_ESYNTAX);
	assert_int_equal(zk_text_tokenize("a )", 3, t, 8, &n, &ec), ZK_ESYNTAX);
	assert_int_equal(zk_text_tokenize("a b c", 5, t, 2, &n, &ec), ZK_ELIMIT);
	assert_int_equal(zk_text_tokenize("", 0, t, 2, &n, &ec), 0);
	assert_int_equal(n, 0);
	assert_int_equal(zk_text_tokenize("; only\n", 7, t, 2, &n, &ec), 0);
	assert_int_equal(n, 0);
}

/* dig +multiline (with its rrcomments) for every row named would serve:
 * t/data/rdata/multiline.tsv, made by scripts/gen-rdata-corpus --multiline. */
static void unescape_c(char *s)
{
	char *d = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*d++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static void test_multiline(void **state)
{
	FILE *f = open_data("rdata/multiline.tsv");
	char *line = malloc(65536);
	int rows = 0, bad = 0;
	static const unsigned styles[5] = {
	    ZK_RDTEXT_MULTILINE | ZK_RDTEXT_COMMENTS,
	    ZK_RDTEXT_NOCRYPTO,
	    ZK_RDTEXT_NOCRYPTO | ZK_RDTEXT_MULTILINE | ZK_RDTEXT_COMMENTS,
	    ZK_RDTEXT_COMMENTS,
	    ZK_RDTEXT_MULTILINE,
	};

	(void)state;
	assert_non_null(line);
	while (fgets(line, 65536, f) != NULL) {
		char *col[7], *p = line;
		uint8_t wire[65535];
		size_t wn;
		zk_errctx_t ec;
		int r;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (int i = 0; i < 7; i++) {
			col[i] = p;
			if (i < 6) {
				p = strchr(p, '\t');
				assert_non_null(p);
				*p++ = '\0';
			}
		}
		rows++;
		uint16_t t = type_of(col[0]);
		r = text2wire(t, col[1], wire, sizeof(wire), &wn, &ec);
		assert_int_equal(r, 0);
		for (int k = 0; k < 5; k++) {
			zk_buf_t b;
			unescape_c(col[2 + k]);
			zk_buf_init(&b);
			zk_rdata_to_text(t, wire, wn, styles[k], "\t\t\t\t", &b);
			if (strcmp(b.data ? b.data : "", col[2 + k]) != 0) {
				print_message("# %s %s: style %d\n#   got  '%s'\n#   want '%s'\n",
				              col[0], col[1], k, b.data ? b.data : "", col[2 + k]);
				bad++;
			}
			zk_buf_free(&b);
		}
	}
	fclose(f);
	free(line);
	print_message("# multiline/nocrypto: %d rows, %d problems\n", rows, bad);
	assert_true(rows >= 150);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),           cmocka_unit_test(test_multiline),
	    cmocka_unit_test(test_rfc3597),          cmocka_unit_test(test_rfc9460_good),
	    cmocka_unit_test(test_rfc9460_failures), cmocka_unit_test(test_bad_text),
	    cmocka_unit_test(test_error_location),   cmocka_unit_test(test_bad_wire),
	    cmocka_unit_test(test_from_wire),        cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_to_wire),          cmocka_unit_test(test_keytag),
	    cmocka_unit_test(test_meta_types),       cmocka_unit_test(test_tokenize),
	    cmocka_unit_test(test_origin),           cmocka_unit_test(test_wire_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
