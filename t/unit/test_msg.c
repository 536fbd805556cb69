/* Unit tests for common/msg.c: parsing real messages (RFC 1035 §4.1.4,
 * responses captured from BIND named in t/data/msg), malformed and
 * hostile messages (each with its error code and offset), linear decoding
 * work, and rendering with a size limit (RFC 2181 §9, RFC 6891 §7). */
#include "config.h"

#define TESTUTIL_GROUP_ARENA
#include "testutil.h"

#include "encode.h"
#include "msg.h"
#include "name.h"
#include "rrtype.h"

/* ---------------------------------------------------------------- helpers */

/* A message under construction, for the malformed cases. */
typedef struct mb {
	uint8_t b[65536 + 64];
	size_t n;
} mb_t;

static void put8(mb_t *m, unsigned v)
{
	m->b[m->n++] = (uint8_t)v;
}

static void put16(mb_t *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 0xff);
}

static void put32(mb_t *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void putbytes(mb_t *m, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

/* Uncompressed wire name from "a.b.c." (no escapes needed here). */
static void putname(mb_t *m, const char *s)
{
	while (*s != '\0' && strcmp(s, ".") != 0) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		put8(m, (unsigned)l);
		putbytes(m, s, l);
		s += l + (dot ? 1 : 0);
	}
	put8(m, 0);
}

static void header(mb_t *m, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
                   unsigned ar)
{
	m->n = 0;
	put16(m, id);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

static void question(mb_t *m, const char *name, unsigned type)
{
	putname(m, name);
	put16(m, type);
	put16(m, ZK_CLASS_IN);
}

static void rr_fixed(mb_t *m, unsigned type, unsigned rclass, uint32_t ttl, unsigned rdlen)
{
	put16(m, type);
	put16(m, rclass);
	put32(m, ttl);
	put16(m, rdlen);
}

static void rr_a(mb_t *m, const char *owner, uint32_t ttl, const uint8_t ip[4])
{
	putname(m, owner);
	rr_fixed(m, ZK_TYPE_A, ZK_CLASS_IN, ttl, 4);
	putbytes(m, ip, 4);
}

static void opt_rr(mb_t *m, unsigned udp, const uint8_t *opts, size_t n)
{
	put8(m, 0);
	rr_fixed(m, ZK_TYPE_OPT, udp, 0, (unsigned)n);
	putbytes(m, opts, n);
}

/* A TSIG RR with an empty 32-octet MAC (RFC 8945 §4.2 layout). */
static void tsig_rr(mb_t *m)
{
	mb_t rd;
	rd.n = 0;
	putname(&rd, "hmac-sha256.");
	put16(&rd, 0);
	put32(&rd, 1700000000);
	put16(&rd, 300);
	put16(&rd, 32);
	for (int i = 0; i < 32; i++)
		put8(&rd, (unsigned)i);
	put16(&rd, 1234);
	put16(&rd, 0);
	put16(&rd, 0);
	putname(m, "key.example.");
	rr_fixed(m, ZK_TYPE_TSIG, ZK_CLASS_ANY, 0, (unsigned)rd.n);
	putbytes(m, rd.b, rd.n);
}

static void parse_ok(zk_msg_t *m, const uint8_t *b, size_t n)
{
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	int r = zk_msg_parse(m, b, n, arena, &ec);
	if (r != 0)
		fail_msg("parse: %d %s at %ld", r, ec.msg, ec.offset);
}

/* Parse must fail with code at offset; returns ec for more checks. */
static zk_errctx_t parse_fail(const mb_t *mb, int code, long offset)
{
	zk_msg_t m;
	zk_errctx_t ec;
	uint8_t *copy = malloc(mb->n ? mb->n : 1); /* exact size: ASan sees over-reads */

	assert_non_null(copy);
	memcpy(copy, mb->b, mb->n);
	zk_errctx_init(&ec);
	memset(&m, 0xa5, sizeof(m));
	m.work = 0;
	int r = zk_msg_parse(&m, copy, mb->n, arena, &ec);
	free(copy);
	if (r != code || ec.offset != offset)
		fail_msg("want %d at %ld, got %d (%s) at %ld", code, offset, r, ec.msg, ec.offset);
	assert_int_equal(ec.code, code);
	assert_true(ec.msg[0] != '\0');
	assert_int_equal(m.id, 0xa5a5); /* output untouched */
	return ec;
}

static void name_is(const zk_name_t *n, const char *want)
{
	char buf[ZK_NAME_TEXTMAX];
	zk_name_to_cstr(n, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* t/data/msg/<file>: hex with # comments, as capture.py wrote it. */
static size_t load_msg_hex(const char *file, uint8_t *out, size_t cap)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "msg/%s", file);
	return load_hex(rel, out, cap);
}

/* ---------------------------------------------------------------- RFC 1035 */

/* RFC 1035 §4.1.4: F.ISI.ARPA at offset 20, FOO + pointer to 20 at 40, a
 * pointer to 26 (ARPA) at 64 and the root at 92, octet for octet as in
 * /work/shared/vectors/rfc1035/compression-example.tsv (copied to
 * t/data/msg/rfc1035-s4.1.4.tsv). The octets the RFC leaves out are filled
 * so that each of those names is read by the message parser: a first
 * question "ab." (12..19), F.ISI.ARPA as the second qname, FOO.F.ISI.ARPA as
 * the tail of a third qname BAR.FOO.F.ISI.ARPA (36), an answer owned by a
 * 13-letter label plus the ARPA pointer (50), whose NS rdata ends with the
 * root label at 92. */
static void test_rfc1035_compression(void **state)
{
	static const uint8_t at20[] = {0x01, 'F', 0x03, 'I', 'S', 'I',
	                               0x04, 'A', 'R',  'P', 'A', 0x00};
	static const uint8_t at40[] = {0x03, 'F', 'O', 'O', 0xc0, 0x14};
	mb_t mb;
	zk_msg_t m;
	(void)state;

	header(&mb, 0x1035, 0x8400, 3, 1, 0, 0);
	question(&mb, "ab.", ZK_TYPE_A); /* 12..19 */
	assert_int_equal(mb.n, 20);
	putbytes(&mb, at20, sizeof(at20)); /* 20..31 */
	put16(&mb, ZK_TYPE_A);
	put16(&mb, ZK_CLASS_IN);
	put8(&mb, 3);
	putbytes(&mb, "BAR", 3); /* 36..39 */
	assert_int_equal(mb.n, 40);
	putbytes(&mb, at40, sizeof(at40)); /* 40..45 */
	put16(&mb, ZK_TYPE_A);
	put16(&mb, ZK_CLASS_IN);
	put8(&mb, 13);
	putbytes(&mb, "thirteenchars", 13); /* 50..63 */
	assert_int_equal(mb.n, 64);
	put8(&mb, 0xc0);
	put8(&mb, 26); /* 64: pointer to "ARPA" inside the name at 20 */
	rr_fixed(&mb, ZK_TYPE_NS, ZK_CLASS_IN, 86400, 17);
	put8(&mb, 15);
	putbytes(&mb, "fifteen-octets.", 15); /* 76..91 */
	assert_int_equal(mb.n, 92);
	put8(&mb, 0); /* 92: the root */
	assert_int_equal(mb.n, 93);

	parse_ok(&m, mb.b, mb.n);
	assert_int_equal(m.id, 0x1035);
	assert_int_equal(m.count[ZK_SEC_QUESTION], 3);
	assert_int_equal(m.count[ZK_SEC_ANSWER], 1);
	name_is(m.rr[0][0].owner, "ab.");
	name_is(m.rr[0][1].owner, "F.ISI.ARPA.");
	name_is(m.rr[0][2].owner, "BAR.FOO.F.ISI.ARPA.");
	name_is(m.rr[1][0].owner, "thirteenchars.ARPA.");
	assert_int_equal(m.rr[1][0].type, ZK_TYPE_NS);
	assert_int_equal(m.rr[1][0].ttl, 86400);
	/* NS rdata stored uncompressed: "fifteen-octets\.." as wire. */
	assert_int_equal(m.rr[1][0].rdlen, 17);
	assert_int_equal(m.rr[1][0].rdata[16], 0);
	assert_int_equal(m.wire_len, 93);
}

/* ---------------------------------------------------------------- named */

static void test_named_soa(void **state)
{
	uint8_t b[65536];
	size_t n = load_msg_hex("named-soa.hex", b, sizeof(b));
	zk_msg_t m;
	(void)state;

	parse_ok(&m, b, n);
	assert_int_equal(m.flags, ZK_FLAG_QR | ZK_FLAG_AA | ZK_FLAG_RD);
	assert_int_equal(m.opcode, ZK_OPCODE_QUERY);
	assert_int_equal(m.rcode, ZK_RCODE_NOERROR);
	assert_int_equal(m.count[ZK_SEC_QUESTION], 1);
	assert_int_equal(m.count[ZK_SEC_ANSWER], 1);
	assert_int_equal(m.count[ZK_SEC_AUTHORITY], 0);
	assert_int_equal(m.count[ZK_SEC_ADDITIONAL], 0);
	assert_true(m.has_edns);
	assert_int_equal(m.edns.udp_size, 1232);
	assert_int_equal(m.edns.version, 0);
	assert_int_equal(zk_msg_wire_count(&m, ZK_SEC_ADDITIONAL), 1);
	name_is(m.rr[ZK_SEC_ANSWER][0].owner, "example.");
	assert_int_equal(m.rr[ZK_SEC_ANSWER][0].type, ZK_TYPE_SOA);
	assert_int_equal(m.rr[ZK_SEC_ANSWER][0].ttl, 3600);
	/* ns1.example. hostmaster.example. + 5 * 4 octets, uncompressed. */
	assert_int_equal(m.rr[ZK_SEC_ANSWER][0].rdlen, 13 + 20 + 20);
	assert_int_equal(m.wire_len, n);
	assert_int_equal(n, 87);
}

static void test_named_nsid(void **state)
{
	uint8_t b[65536];
	size_t n = load_msg_hex("named-nsid.hex", b, sizeof(b));
	zk_msg_t m;
	(void)state;

	parse_ok(&m, b, n);
	assert_true(m.has_edns);
	assert_int_equal(m.edns.nopts, 1);
	assert_int_equal(m.edns.opts[0].code, ZK_EDNS_NSID);
	assert_int_equal(m.edns.opts[0].len, 9);
	assert_memory_equal(m.edns.opts[0].data, "zkit-test", 9);
}

static void test_named_badvers(void **state)
{
	uint8_t b[65536];
	size_t n = load_msg_hex("named-badvers.hex", b, sizeof(b));
	zk_msg_t m;
	(void)state;

	parse_ok(&m, b, n);
	/* RFC 6891 §6.1.3: ext-rcode 1 << 4 | 0 = 16, BADVERS. */
	assert_int_equal(m.rcode, ZK_RCODE_BADVERS);
	assert_int_equal(m.edns.ext_rcode, 1);
	assert_int_equal(m.count[ZK_SEC_ANSWER], 0);
}

static void test_named_opcodes(void **state)
{
	uint8_t b[65536];
	size_t n;
	zk_msg_t m;
	(void)state;

	n = load_msg_hex("named-notify.hex", b, sizeof(b));
	parse_ok(&m, b, n);
	assert_int_equal(m.opcode, ZK_OPCODE_NOTIFY);
	assert_string_equal(zk_msg_section_name(&m, ZK_SEC_ANSWER), "ANSWER");

	n = load_msg_hex("named-update.hex", b, sizeof(b));
	parse_ok(&m, b, n);
	assert_int_equal(m.opcode, ZK_OPCODE_UPDATE);
	assert_string_equal(zk_msg_section_name(&m, ZK_SEC_QUESTION), "ZONE");
	assert_string_equal(zk_msg_section_name(&m, ZK_SEC_ANSWER), "PREREQUISITE");
	assert_string_equal(zk_msg_section_name(&m, ZK_SEC_AUTHORITY), "UPDATE");
	assert_string_equal(zk_msg_section_name(&m, ZK_SEC_ADDITIONAL), "ADDITIONAL");
}

/* A response named signed with TSIG (capture.py signs the query with
 * hmac-sha256): OPT and TSIG are taken out of the additional section, the
 * TSIG is found where it starts for the verifier. */
static void test_named_tsig(void **state)
{
	uint8_t b[65536];
	size_t n = load_msg_hex("named-tsig.hex", b, sizeof(b));
	zk_msg_t m;
	(void)state;

	parse_ok(&m, b, n);
	assert_true(m.has_edns);
	assert_non_null(m.sig);
	assert_int_equal(m.sig->type, ZK_TYPE_TSIG);
	assert_int_equal(m.sig->rclass, ZK_CLASS_ANY);
	name_is(m.sig->owner, "zkit-test-key.");
	assert_int_equal(m.count[ZK_SEC_ADDITIONAL], 0);
	assert_int_equal(zk_msg_wire_count(&m, ZK_SEC_ADDITIONAL), 2);
	/* The TSIG RR is the tail of the message: owner, fixed fields, and
	 * hmac-sha256. + 48-bit time + fudge + 32-octet MAC + ID, error, len. */
	assert_int_equal(n - m.sig_offset, 15 + 10 + 13 + 6 + 2 + 2 + 32 + 2 + 2 + 2);
	assert_int_equal(b[m.sig_offset], 13); /* "zkit-test-key" label */
}

static void test_named_truncated(void **state)
{
	uint8_t b[65536];
	size_t n = load_msg_hex("named-big-tc.hex", b, sizeof(b));
	zk_msg_t m;
	(void)state;

	/* named with a 512-octet buffer: TC, no answer records. */
	parse_ok(&m, b, n);
	assert_true(m.flags & ZK_FLAG_TC);
	assert_int_equal(m.count[ZK_SEC_ANSWER], 0);

	n = load_msg_hex("named-big.hex", b, sizeof(b));
	parse_ok(&m, b, n);
	assert_false(m.flags & ZK_FLAG_TC);
	assert_int_equal(m.count[ZK_SEC_ANSWER], 40);
}

/* Every capture parses, and renders back to a message that parses to the
 * same header and records. */
static void test_named_all_roundtrip(void **state)
{
	static const char *const files[] = {
	    "named-aaaa.hex",   "named-badvers.hex", "named-big.hex",      "named-caa.hex",
	    "named-chaos.hex",  "named-cname.hex",   "named-cookie.hex",   "named-dname.hex",
	    "named-dnskey.hex", "named-do.hex",      "named-ds.hex",       "named-hinfo.hex",
	    "named-https.hex",  "named-loc.hex",     "named-longname.hex", "named-mx.hex",
	    "named-naptr.hex",  "named-nodata.hex",  "named-noedns.hex",   "named-notify.hex",
	    "named-ns.hex",     "named-nsid.hex",    "named-nxdomain.hex", "named-prohibited.hex",
	    "named-ptr.hex",    "named-refused.hex", "named-rp.hex",       "named-soa.hex",
	    "named-srv.hex",    "named-sshfp.hex",   "named-svcb.hex",     "named-tab.hex",
	    "named-tlsa.hex",   "named-tsig.hex",    "named-txt.hex",      "named-unknown.hex",
	    "named-update.hex", "named-uri.hex",
	};
	(void)state;

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		uint8_t b[65536], out[65536];
		size_t n = load_msg_hex(files[f], b, sizeof(b)), outlen = 0;
		zk_msg_t m, m2;
		zk_errctx_t ec;

		parse_ok(&m, b, n);
		assert_true(m.work <= ZK_MSG_WORK_FACTOR * n);
		zk_errctx_init(&ec);
		assert_int_equal(zk_msg_render(&m, out, sizeof(out), &outlen, &ec), 0);
		/* named compresses as we do: the same size. Except that BIND
		 * also points into DNAME and SRV targets, which we do not
		 * remember (RFC 6672 §2.5, RFC 2782 forbid compressing them,
		 * not pointing at them). */
		bool bind_points_into_rdata = strcmp(files[f], "named-dname.hex") == 0 ||
		                              strcmp(files[f], "named-srv.hex") == 0;
		/* The TSIG is the signer's to append: not rendered. */
		size_t want = m.sig != NULL ? m.sig_offset : n;
		if (bind_points_into_rdata ? outlen > want + 16 : outlen != want)
			fail_msg("%s: rendered %zu octets, named sent %zu", files[f], outlen, n);
		parse_ok(&m2, out, outlen);
		assert_int_equal(m2.id, m.id);
		assert_int_equal(m2.flags, m.flags);
		assert_int_equal(m2.rcode, m.rcode);
		assert_int_equal(m2.opcode, m.opcode);
		assert_int_equal(m2.has_edns, m.has_edns);
		for (int s = 0; s < ZK_SEC_COUNT; s++) {
			assert_int_equal(m2.count[s], m.count[s]);
			for (size_t i = 0; i < m.count[s]; i++) {
				assert_true(zk_name_eq(m2.rr[s][i].owner, m.rr[s][i].owner));
				assert_int_equal(m2.rr[s][i].type, m.rr[s][i].type);
				assert_int_equal(m2.rr[s][i].ttl, m.rr[s][i].ttl);
				assert_int_equal(m2.rr[s][i].rdlen, m.rr[s][i].rdlen);
				assert_memory_equal(m2.rr[s][i].rdata, m.rr[s][i].rdata,
				                    m.rr[s][i].rdlen);
			}
		}
	}
}

/* ---------------------------------------------------------------- malformed */

static const uint8_t ip1[4] = {192, 0, 2, 1};

static void test_bad_header(void **state)
{
	mb_t mb;
	(void)state;
	header(&mb, 1, 0, 0, 0, 0, 0);
	mb.n = 11;
	parse_fail(&mb, ZK_ETRUNC, 11);
	mb.n = 0;
	parse_fail(&mb, ZK_ETRUNC, 0);
}

static void test_bad_compression_loop(void **state)
{
	mb_t mb;
	(void)state;
	/* A qname that points at itself (offset 12). */
	header(&mb, 1, 0, 1, 0, 0, 0);
	put8(&mb, 0xc0);
	put8(&mb, 12);
	put16(&mb, 1);
	put16(&mb, 1);
	parse_fail(&mb, ZK_EPTR, 12);

	/* Two labels pointing at each other: a -> b -> a. */
	header(&mb, 1, 0, 1, 1, 0, 0);
	put8(&mb, 1);
	put8(&mb, 'a');
	put8(&mb, 0xc0);
	put8(&mb, 18); /* forward, to the owner below */
	put16(&mb, 1);
	put16(&mb, 1);
	put8(&mb, 1); /* 18 */
	put8(&mb, 'b');
	put8(&mb, 0xc0);
	put8(&mb, 12);
	parse_fail(&mb, ZK_EPTR, 14);
}

static void test_bad_forward_pointer(void **state)
{
	mb_t mb;
	(void)state;
	header(&mb, 1, 0, 1, 0, 0, 0);
	put8(&mb, 0xc0);
	put8(&mb, 20); /* past itself */
	put16(&mb, 1);
	put16(&mb, 1);
	put32(&mb, 0);
	parse_fail(&mb, ZK_EPTR, 12);

	/* Into the header. */
	header(&mb, 1, 0, 1, 0, 0, 0);
	put8(&mb, 0xc0);
	put8(&mb, 4);
	put16(&mb, 1);
	put16(&mb, 1);
	parse_fail(&mb, ZK_EPTR, 12);
}

static void test_bad_label_type(void **state)
{
	mb_t mb;
	(void)state;
	header(&mb, 1, 0, 1, 0, 0, 0);
	put8(&mb, 0x41); /* RFC 6891 §5: extended label types are gone */
	put8(&mb, 0);
	put16(&mb, 1);
	put16(&mb, 1);
	parse_fail(&mb, ZK_ELABELTYPE, 12);
}

static void test_bad_truncated_rdata(void **state)
{
	mb_t mb;
	(void)state;
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_A, ZK_CLASS_IN, 300, 4);
	put8(&mb, 192);
	put8(&mb, 0); /* two of four octets */
	/* RDLENGTH sits at 25 + 9 + 8 = 42. */
	parse_fail(&mb, ZK_ERDLEN, 42);
}

static void test_bad_rdlength_lies(void **state)
{
	mb_t mb;
	zk_errctx_t ec;
	(void)state;
	/* A with RDLENGTH 5: one octet too many for an address. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_A, ZK_CLASS_IN, 300, 5);
	putbytes(&mb, ip1, 4);
	put8(&mb, 9);
	ec = parse_fail(&mb, ZK_ERDATA, 44);
	assert_non_null(strstr(ec.msg, "A"));

	/* NS whose name ends before RDLENGTH does. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_NS);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_NS, ZK_CLASS_IN, 300, 6);
	putname(&mb, "ns.");
	put8(&mb, 0);
	put8(&mb, 0);
	parse_fail(&mb, ZK_ERDLEN, 44);

	/* NS whose name runs past RDLENGTH into the next record. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_NS);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_NS, ZK_CLASS_IN, 300, 2);
	putname(&mb, "ns.");
	parse_fail(&mb, ZK_ERDLEN, 44);

	/* RDLENGTH larger than the rest of the message. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_A, ZK_CLASS_IN, 300, 65535);
	putbytes(&mb, ip1, 4);
	parse_fail(&mb, ZK_ERDLEN, 42);
}

static void test_bad_counts(void **state)
{
	mb_t mb;
	zk_msg_t m;
	size_t used;
	(void)state;
	/* QDCOUNT 2, one question. */
	header(&mb, 1, 0, 2, 0, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	parse_fail(&mb, ZK_ETRUNC, 25);

	/* Every count 65535, nothing behind: no allocation by count. */
	header(&mb, 1, 0, 65535, 65535, 65535, 65535);
	question(&mb, "x.", ZK_TYPE_A);
	zk_arena_reset(arena);
	parse_fail(&mb, ZK_ETRUNC, 19);
	used = zk_arena_used(arena);
	assert_true(used < 4096);

	/* ANCOUNT larger than the records present. */
	header(&mb, 1, 0x8000, 1, 3, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	rr_a(&mb, "example.", 60, ip1);
	parse_fail(&mb, ZK_ETRUNC, 48); /* where the second record should start */

	/* A record cut inside its fixed fields. */
	header(&mb, 1, 0x8000, 0, 1, 0, 0);
	putname(&mb, "example.");
	put16(&mb, 1);
	put16(&mb, 1);
	parse_fail(&mb, ZK_ETRUNC, 21);

	/* A question cut before QCLASS. */
	header(&mb, 1, 0, 1, 0, 0, 0);
	putname(&mb, "example.");
	put16(&mb, 1);
	parse_fail(&mb, ZK_ETRUNC, 21);
	(void)m;
}

static void test_bad_trailing(void **state)
{
	mb_t mb;
	(void)state;
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	rr_a(&mb, "example.", 60, ip1);
	put8(&mb, 0xde);
	put8(&mb, 0xad);
	parse_fail(&mb, ZK_EMSG, 48);
}

static void test_bad_opt(void **state)
{
	static const uint8_t cookie9[] = {0, 10, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	mb_t mb;
	(void)state;
	/* OPT twice: the second is reported. */
	header(&mb, 1, 0x8000, 1, 0, 0, 2);
	question(&mb, "example.", ZK_TYPE_A);
	opt_rr(&mb, 1232, NULL, 0);
	opt_rr(&mb, 512, NULL, 0);
	parse_fail(&mb, ZK_EMSG, 36);

	/* OPT in the answer section. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	opt_rr(&mb, 1232, NULL, 0);
	parse_fail(&mb, ZK_EMSG, 25);

	/* OPT not owned by the root (RFC 6891 §6.1.2). */
	header(&mb, 1, 0x8000, 1, 0, 0, 1);
	question(&mb, "example.", ZK_TYPE_A);
	putname(&mb, "example.");
	rr_fixed(&mb, ZK_TYPE_OPT, 1232, 0, 0);
	parse_fail(&mb, ZK_EMSG, 25);

	/* A COOKIE of 9 octets (RFC 7873 §4): offset of the option. */
	header(&mb, 1, 0x8000, 1, 0, 0, 1);
	question(&mb, "example.", ZK_TYPE_A);
	opt_rr(&mb, 1232, cookie9, sizeof(cookie9));
	parse_fail(&mb, ZK_EMSG, 36);

	/* An option length past the RDATA. */
	static const uint8_t over[] = {0, 3, 0, 9, 'a'};
	header(&mb, 1, 0x8000, 1, 0, 0, 1);
	question(&mb, "example.", ZK_TYPE_A);
	opt_rr(&mb, 1232, over, sizeof(over));
	parse_fail(&mb, ZK_EMSG, 36);
}

static void test_bad_tsig_placement(void **state)
{
	mb_t mb;
	zk_msg_t m;
	(void)state;
	/* TSIG, then OPT: TSIG must be last (RFC 8945 §5.1). */
	header(&mb, 1, 0x8000, 1, 0, 0, 2);
	question(&mb, "example.", ZK_TYPE_A);
	tsig_rr(&mb);
	opt_rr(&mb, 1232, NULL, 0);
	parse_fail(&mb, ZK_EMSG, 25);

	/* TSIG in the answer section. */
	header(&mb, 1, 0x8000, 1, 1, 0, 0);
	question(&mb, "example.", ZK_TYPE_A);
	tsig_rr(&mb);
	parse_fail(&mb, ZK_EMSG, 25);

	/* OPT then TSIG is right: both taken out of the section. */
	header(&mb, 7, 0x8000, 1, 1, 0, 2);
	question(&mb, "example.", ZK_TYPE_A);
	rr_a(&mb, "example.", 60, ip1);
	opt_rr(&mb, 1232, NULL, 0);
	size_t at = mb.n;
	tsig_rr(&mb);
	parse_ok(&m, mb.b, mb.n);
	assert_true(m.has_edns);
	assert_non_null(m.sig);
	assert_int_equal(m.sig->type, ZK_TYPE_TSIG);
	assert_int_equal(m.sig_offset, at);
	assert_int_equal(m.count[ZK_SEC_ADDITIONAL], 0);
	assert_int_equal(zk_msg_wire_count(&m, ZK_SEC_ADDITIONAL), 2);
	name_is(m.sig->owner, "key.example.");
}

static void test_update_empty_rdata(void **state)
{
	mb_t mb;
	zk_msg_t m;
	(void)state;
	/* RFC 2136 §2.4.3 / §2.5.2: class NONE/ANY records without RDATA. */
	header(&mb, 9, 5 << 11, 1, 1, 1, 0);
	question(&mb, "example.", ZK_TYPE_SOA);
	putname(&mb, "a.example.");
	rr_fixed(&mb, ZK_TYPE_A, ZK_CLASS_NONE, 0, 0);
	putname(&mb, "b.example.");
	rr_fixed(&mb, ZK_TYPE_ANY, ZK_CLASS_ANY, 0, 0);
	parse_ok(&m, mb.b, mb.n);
	assert_int_equal(m.opcode, ZK_OPCODE_UPDATE);
	assert_int_equal(m.rr[ZK_SEC_ANSWER][0].rdlen, 0);
	assert_int_equal(m.rr[ZK_SEC_AUTHORITY][0].rclass, ZK_CLASS_ANY);

	/* The same empty A in class IN is malformed. */
	header(&mb, 9, 0x8000, 0, 1, 0, 0);
	putname(&mb, "a.example.");
	rr_fixed(&mb, ZK_TYPE_A, ZK_CLASS_IN, 0, 0);
	parse_fail(&mb, ZK_ETRUNC, 33);
}

/* ---------------------------------------------------------------- work */

/* A 64 KB message of questions whose names form one long descending
 * chain: each name is a label and a pointer to the previous name, every
 * hundredth starts afresh so that no name passes 255 octets. Decoding
 * each name walks the whole chain below it; the work must still be
 * linear in the message size. */
static void test_work_pointer_chain(void **state)
{
	static mb_t mb;
	static size_t offs[65536 / 6];
	zk_msg_t m;
	size_t prev = 0, deepest = 0, count = 0;
	(void)state;

	header(&mb, 1, 0, 0, 0, 0, 0);
	while (mb.n + 8 <= 65535 && mb.n < 0x3ff0) {
		size_t here = mb.n;
		if (count % 100 == 0) {
			put8(&mb, 2);
			putbytes(&mb, "ab", 2);
			put8(&mb, 0);
		} else {
			put8(&mb, 1);
			put8(&mb, 'a');
			put8(&mb, 0xc0 | (unsigned)(prev >> 8));
			put8(&mb, prev & 0xff);
		}
		put16(&mb, 1);
		put16(&mb, 1);
		if (count % 100 == 99)
			deepest = here; /* 100 labels deep */
		prev = here;
		offs[count++] = here;
	}
	/* Fill the rest of 64 KB with bare pointers to the deepest name. */
	while (mb.n + 6 <= 65535) {
		offs[count++] = mb.n;
		put8(&mb, 0xc0 | (unsigned)(deepest >> 8));
		put8(&mb, deepest & 0xff);
		put16(&mb, 1);
		put16(&mb, 1);
	}
	mb.b[4] = (uint8_t)(count >> 8);
	mb.b[5] = (uint8_t)count;
	assert_true(count <= 65535);
	parse_ok(&m, mb.b, mb.n);
	assert_int_equal(m.count[ZK_SEC_QUESTION], count);
	/* The last names: 99 labels "a" on top of "ab.", 202 octets. */
	assert_int_equal(m.rr[0][count - 1].owner->labels, 100);
	assert_int_equal(m.rr[0][count - 1].owner->len, 202);
	/* Every name is what name.c decodes at its offset on its own. */
	for (size_t i = 0; i < count; i++) {
		zk_name_t n;
		size_t pos = offs[i];
		assert_int_equal(zk_name_from_wire(&n, mb.b, mb.n, &pos, NULL), 0);
		assert_int_equal(n.len, m.rr[0][i].owner->len);
		assert_int_equal(n.labels, m.rr[0][i].owner->labels);
		assert_memory_equal(n.wire, m.rr[0][i].owner->wire, n.len);
	}
	assert_true(mb.n > 65000);
	print_message("pointer chain: work %zu for %zu octets (%.1f per octet)\n", m.work, mb.n,
	              (double)m.work / (double)mb.n);
	/* Names finished from the memo: work is the octets read plus the
	 * names built, far below the general bound. */
	assert_true(m.work <= 8 * mb.n);
}

/* Bare pointers into the middle of a 202-octet name (not where a name
 * starts, so the memo cannot help): each walks the whole name, and the
 * work is still within the general bound. */
static void test_work_pointer_midname(void **state)
{
	static mb_t mb;
	zk_msg_t m;
	size_t count = 1;
	(void)state;

	header(&mb, 1, 0, 0, 0, 0, 0);
	for (int i = 0; i < 99; i++) {
		put8(&mb, 1);
		put8(&mb, 'a');
	}
	put8(&mb, 2);
	putbytes(&mb, "ab", 2);
	put8(&mb, 0);
	put16(&mb, 1);
	put16(&mb, 1);
	while (mb.n + 6 <= 65535) {
		put8(&mb, 0xc0);
		put8(&mb, 14); /* the second label of the first name */
		put16(&mb, 1);
		put16(&mb, 1);
		count++;
	}
	mb.b[4] = (uint8_t)(count >> 8);
	mb.b[5] = (uint8_t)count;
	parse_ok(&m, mb.b, mb.n);
	assert_int_equal(m.rr[0][count - 1].owner->labels, 99);
	print_message("mid-name pointers: work %zu for %zu octets (%.1f per octet)\n", m.work, mb.n,
	              (double)m.work / (double)mb.n);
	if (m.work > (size_t)ZK_MSG_WORK_FACTOR * mb.n)
		fail_msg("work %zu for %zu octets", m.work, mb.n);
}

/* A chain of bare pointers, each to the one before: a name of more than
 * 128 hops is refused, and the work done up to the failure is linear. */
static void test_work_pointer_only_chain(void **state)
{
	static mb_t mb;
	zk_msg_t m;
	zk_errctx_t ec;
	size_t prev = 12, count = 1, fail_at = 0;
	(void)state;

	header(&mb, 1, 0, 0, 0, 0, 0);
	put8(&mb, 0); /* the root at 12 */
	put16(&mb, 1);
	put16(&mb, 1);
	while (mb.n + 6 <= 0x3fff) {
		size_t here = mb.n;
		if (count == 129)
			fail_at = here; /* its name takes 129 hops */
		put8(&mb, 0xc0 | (unsigned)(prev >> 8));
		put8(&mb, prev & 0xff);
		put16(&mb, 1);
		put16(&mb, 1);
		prev = here;
		count++;
	}
	mb.b[4] = (uint8_t)(count >> 8);
	mb.b[5] = (uint8_t)count;
	zk_errctx_init(&ec);
	memset(&m, 0, sizeof(m));
	int r = zk_msg_parse(&m, mb.b, mb.n, arena, &ec);
	assert_int_equal(r, ZK_EPTR);
	/* The 129th hop, taken by the name at fail_at, is the pointer of
	 * the first chained entry (17, pointing at the root at 12). */
	assert_true(fail_at > 0);
	assert_int_equal(ec.offset, 17);
	assert_non_null(strstr(ec.msg, "question name"));
	assert_true(m.work > 0);
	if (m.work > (size_t)ZK_MSG_WORK_FACTOR * mb.n)
		fail_msg("work %zu for %zu octets", m.work, mb.n);
}

/* Thousands of distinct owner names, uncompressed. */
static void test_work_distinct_names(void **state)
{
	static mb_t mb;
	zk_msg_t m;
	unsigned count = 0;
	(void)state;

	header(&mb, 1, 0x8400, 0, 0, 0, 0);
	while (mb.n + 60 <= 65535) {
		char name[64];
		snprintf(name, sizeof(name), "host-%05u.some-zone-name.example.", count++);
		rr_a(&mb, name, 60, ip1);
	}
	mb.b[6] = (uint8_t)(count >> 8);
	mb.b[7] = (uint8_t)count;
	parse_ok(&m, mb.b, mb.n);
	assert_int_equal(m.count[ZK_SEC_ANSWER], count);
	assert_true(count > 1000);
	if (m.work > (size_t)ZK_MSG_WORK_FACTOR * mb.n)
		fail_msg("work %zu for %zu octets", m.work, mb.n);
	print_message("distinct names: work %zu for %zu octets\n", m.work, mb.n);
	/* Plain names: work is about the message size itself. */
	assert_true(m.work <= 3 * mb.n);
}

/* ---------------------------------------------------------------- render */

static void add_a(zk_msg_t *m, enum zk_section sec, const char *owner, unsigned last)
{
	zk_name_t n;
	uint8_t ip[4] = {192, 0, 2, (uint8_t)last};
	zk_rr_t rr = {.owner = &n,
	              .type = ZK_TYPE_A,
	              .rclass = ZK_CLASS_IN,
	              .ttl = 300,
	              .rdlen = 4,
	              .rdata = ip};
	assert_int_equal(zk_name_from_text(&n, owner, strlen(owner), NULL, NULL), 0);
	assert_int_equal(zk_msg_add(m, arena, sec, &rr), 0);
}

static void build_big(zk_msg_t *m)
{
	zk_name_t q;
	char owner[64];

	zk_msg_init(m);
	m->id = 4242;
	m->flags = ZK_FLAG_QR | ZK_FLAG_AA;
	assert_int_equal(zk_name_from_text(&q, "www.example.", 12, NULL, NULL), 0);
	assert_int_equal(zk_msg_set_question(m, arena, &q, ZK_TYPE_A, ZK_CLASS_IN), 0);
	/* 10 RRsets of 3 A records each in the answer, 5 of 2 in additional. */
	for (unsigned s = 0; s < 10; s++) {
		snprintf(owner, sizeof(owner), "set%u.www.example.", s);
		for (unsigned i = 0; i < 3; i++)
			add_a(m, ZK_SEC_ANSWER, owner, s * 10 + i);
	}
	for (unsigned s = 0; s < 5; s++) {
		snprintf(owner, sizeof(owner), "glue%u.example.", s);
		for (unsigned i = 0; i < 2; i++)
			add_a(m, ZK_SEC_ADDITIONAL, owner, 100 + s * 10 + i);
	}
	m->has_edns = true;
	m->edns.udp_size = 1232;
	m->edns.flags = ZK_EDNS_DO;
}

static void test_render_roundtrip(void **state)
{
	zk_msg_t m, m2;
	uint8_t buf[4096];
	size_t len = 0;
	(void)state;

	build_big(&m);
	assert_int_equal(zk_msg_render(&m, buf, sizeof(buf), &len, NULL), 0);
	parse_ok(&m2, buf, len);
	assert_int_equal(m2.id, 4242);
	assert_false(m2.flags & ZK_FLAG_TC);
	assert_int_equal(m2.count[ZK_SEC_ANSWER], 30);
	assert_int_equal(m2.count[ZK_SEC_ADDITIONAL], 10);
	assert_true(m2.has_edns);
	assert_int_equal(m2.edns.flags, ZK_EDNS_DO);
	/* Compressed: each answer owner is "setN" + pointer, or a pointer. */
	assert_true(len < 12 + 16 + 30 * 16 + 10 * 30 + 11);
	for (size_t i = 0; i < 30; i++)
		assert_true(zk_name_eq(m2.rr[1][i].owner, m.rr[1][i].owner));
}

static void test_render_truncates(void **state)
{
	zk_msg_t m, m2;
	uint8_t buf[512];
	size_t len = 0;
	(void)state;

	build_big(&m);
	m.rcode = ZK_RCODE_BADCOOKIE; /* extended: rides in OPT */
	assert_int_equal(zk_msg_render(&m, buf, 512, &len, NULL), 0);
	assert_true(len <= 512);
	parse_ok(&m2, buf, len);
	/* RFC 2181 §9: TC, whole RRsets only; RFC 6891 §7: OPT kept. */
	assert_true(m2.flags & ZK_FLAG_TC);
	assert_true(m2.count[ZK_SEC_ANSWER] < 30);
	assert_true(m2.count[ZK_SEC_ANSWER] > 0);
	assert_int_equal(m2.count[ZK_SEC_ANSWER] % 3, 0);
	assert_int_equal(m2.count[ZK_SEC_ADDITIONAL], 0);
	assert_true(m2.has_edns);
	assert_int_equal(m2.edns.udp_size, 1232);
	assert_int_equal(m2.rcode, ZK_RCODE_BADCOOKIE);
	assert_int_equal(zk_msg_wire_count(&m2, ZK_SEC_ADDITIONAL), 1);
	for (size_t i = 0; i < m2.count[ZK_SEC_ANSWER]; i++) {
		assert_true(zk_name_eq(m2.rr[1][i].owner, m.rr[1][i].owner));
		assert_int_equal(m2.rr[1][i].rdata[3], m.rr[1][i].rdata[3]);
	}
	/* One more RRset would not have fitted. */
	assert_true(len + 3 * 16 + 7 > 512 || m2.count[ZK_SEC_ANSWER] == 30);
}

static void test_render_additional_no_tc(void **state)
{
	zk_msg_t m, m2;
	uint8_t buf[4096];
	size_t full = 0, len = 0;
	(void)state;

	build_big(&m);
	assert_int_equal(zk_msg_render(&m, buf, sizeof(buf), &full, NULL), 0);
	/* Room for all answers but not all additional data: no TC. */
	assert_int_equal(zk_msg_render(&m, buf, full - 20, &len, NULL), 0);
	parse_ok(&m2, buf, len);
	assert_false(m2.flags & ZK_FLAG_TC);
	assert_int_equal(m2.count[ZK_SEC_ANSWER], 30);
	assert_true(m2.count[ZK_SEC_ADDITIONAL] < 10);
	assert_int_equal(m2.count[ZK_SEC_ADDITIONAL] % 2, 0);
	assert_true(m2.has_edns);
}

static void test_render_errors(void **state)
{
	zk_msg_t m;
	uint8_t buf[64];
	size_t len = 0;
	zk_errctx_t ec;
	(void)state;

	build_big(&m);
	zk_errctx_init(&ec);
	/* Not even the header and OPT. */
	assert_int_equal(zk_msg_render(&m, buf, 20, &len, &ec), ZK_ESPACE);
	/* Header and OPT but not the question. */
	assert_int_equal(zk_msg_render(&m, buf, 25, &len, &ec), ZK_ESPACE);
	/* An extended rcode needs EDNS. */
	m.has_edns = false;
	m.rcode = ZK_RCODE_BADVERS;
	assert_int_equal(zk_msg_render(&m, buf, sizeof(buf), &len, &ec), ZK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc1035_compression),
	    cmocka_unit_test(test_named_soa),
	    cmocka_unit_test(test_named_nsid),
	    cmocka_unit_test(test_named_badvers),
	    cmocka_unit_test(test_named_opcodes),
	    cmocka_unit_test(test_named_tsig),
	    cmocka_unit_test(test_named_truncated),
	    cmocka_unit_test(test_named_all_roundtrip),
	    cmocka_unit_test(test_bad_header),
	    cmocka_unit_test(test_bad_compression_loop),
	    cmocka_unit_test(test_bad_forward_pointer),
	    cmocka_unit_test(test_bad_label_type),
	    cmocka_unit_test(test_bad_truncated_rdata),
	    cmocka_unit_test(test_bad_rdlength_lies),
	    cmocka_unit_test(test_bad_counts),
	    cmocka_unit_test(test_bad_trailing),
	    cmocka_unit_test(test_bad_opt),
	    cmocka_unit_test(test_bad_tsig_placement),
	    cmocka_unit_test(test_update_empty_rdata),
	    cmocka_unit_test(test_work_pointer_chain),
	    cmocka_unit_test(test_work_pointer_only_chain),
	    cmocka_unit_test(test_work_pointer_midname),
	    cmocka_unit_test(test_work_distinct_names),
	    cmocka_unit_test(test_render_roundtrip),
	    cmocka_unit_test(test_render_truncates),
	    cmocka_unit_test(test_render_additional_no_tc),
	    cmocka_unit_test(test_render_errors),
	};
	return cmocka_run_group_tests(tests, arena_setup, arena_teardown);
}
