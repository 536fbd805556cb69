/* test_opt — @server[#port], numbers, TSIG keys from -y and -k, time
 * arguments and durations, ";;" diagnostics.
 *
 * Ground truth: epoch seconds from `date -u -d ... +%s` (GNU date);
 * t/data/net/tsig-keygen.conf is BIND 9.18 tsig-keygen output, whose
 * secret bytes below come from `base64 -d`. */
#include "config.h"

#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "opt.h"

/* ---------------------------------------------------------------- servers */

static void server_ok(const char *arg, const char *host, uint16_t port, int family)
{
	zk_opt_server_t s;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_opt_server_parse(&s, arg, &ec) != 0)
		fail_msg("%s: %s", arg, ec.msg);
	assert_string_equal(s.host, host);
	assert_int_equal(s.port, port);
	assert_int_equal(s.is_addr, family != AF_UNSPEC);
	if (family != AF_UNSPEC) {
		assert_int_equal(zk_net_addr_family(&s.addr), family);
		assert_int_equal(zk_net_addr_port(&s.addr), port);
	}
}

static void server_bad(const char *arg, int code, const char *msg)
{
	zk_opt_server_t s;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	memset(&s, 0x5a, sizeof(s));
	assert_int_equal(zk_opt_server_parse(&s, arg, &ec), code);
	assert_string_equal(ec.msg, msg);
	assert_int_equal((unsigned char)s.host[0], 0x5a); /* untouched */
}

static void test_server(void **state)
{
	char buf[ZK_NET_ADDRSTRLEN];
	zk_opt_server_t s;

	(void)state;
	server_ok("@127.0.0.1", "127.0.0.1", 0, AF_INET);
	server_ok("@192.0.2.1#5300", "192.0.2.1", 5300, AF_INET);
	server_ok("@::1", "::1", 0, AF_INET6);
	server_ok("@::1#5300", "::1", 5300, AF_INET6);
	server_ok("@[::1]#5300", "::1", 5300, AF_INET6);
	server_ok("@[::1]:5300", "::1", 5300, AF_INET6);
	server_ok("@[2001:db8::53]", "2001:db8::53", 0, AF_INET6);
	server_ok("@2001:db8::53#853", "2001:db8::53", 853, AF_INET6);
	server_ok("@ns1.example.net", "ns1.example.net", 0, AF_UNSPEC);
	server_ok("@ns1.example.net.#53", "ns1.example.net.", 53, AF_UNSPEC);
	server_ok("@localhost#65535", "localhost", 65535, AF_UNSPEC);
	server_ok("10.0.0.1", "10.0.0.1", 0, AF_INET); /* nsupdate: no '@' */
	server_ok("_dns.resolver.arpa", "_dns.resolver.arpa", 0, AF_UNSPEC);

	assert_int_equal(zk_opt_server_parse(&s, "@::1#5300", NULL), 0);
	zk_net_addr_to_text(&s.addr, buf, sizeof(buf));
	assert_string_equal(buf, "::1#5300");

	server_bad("@", ZK_ESYNTAX, "server '@': no address or host name");
	server_bad("@#53", ZK_ESYNTAX, "server '@#53': no address or host name");
	server_bad("@127.0.0.1#", ZK_ESYNTAX, "bad port ''");
	server_bad("@127.0.0.1#0", ZK_ERANGE, "port 0 is out of range (1..65535)");
	server_bad("@127.0.0.1#65536", ZK_ERANGE, "port 65536 is out of range (1..65535)");
	server_bad("@127.0.0.1#53x", ZK_ESYNTAX, "bad port '53x'");
	server_bad("@127.0.0.1#-1", ZK_ESYNTAX, "bad port '-1'");
	server_bad("@[::1", ZK_ESYNTAX, "server '@[::1': missing ']'");
	server_bad("@[::1]x", ZK_ESYNTAX, "server '@[::1]x': junk after ']'");
	server_bad("@[ns1.example]", ZK_ESYNTAX, "server '@[ns1.example]': bad IPv6 address");
	server_bad("@::g", ZK_ESYNTAX, "server '@::g': bad IPv6 address");
	server_bad("@1.2.3.256", ZK_ESYNTAX, "server '@1.2.3.256': bad IPv4 address");
	server_bad("@bad..name", ZK_ESYNTAX, "server '@bad..name': bad host name");
	server_bad("@has space", ZK_ESYNTAX, "server '@has space': bad host name");
	server_bad("@a@b", ZK_ESYNTAX, "server '@a@b': bad host name");
	server_bad("@.", ZK_ESYNTAX, "server '@.': bad host name");
	/* A 64-octet label. */
	server_bad(
	    "@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test", ZK_ESYNTAX,
	    "server '@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test': "
	    "bad host name");
}

static void test_numbers(void **state)
{
	uint64_t v = 77;
	uint16_t port = 0;
	zk_errctx_t ec;

	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_opt_uint_parse("3", 1, 10, &v, NULL), 0);
	assert_int_equal(v, 3);
	assert_int_equal(zk_opt_uint_parse("18446744073709551615", 0, UINT64_MAX, &v, NULL), 0);
	assert_true(v == UINT64_MAX);
	v = 77;
	assert_int_equal(zk_opt_uint_parse("0", 1, 10, &v, &ec), ZK_ERANGE);
	assert_string_equal(ec.msg, "0 is out of range (1..10)");
	assert_int_equal(zk_opt_uint_parse("11", 1, 10, &v, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_uint_parse("18446744073709551616", 0, UINT64_MAX, &v, NULL),
	                 ZK_ERANGE);
	assert_int_equal(zk_opt_uint_parse("", 0, 10, &v, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "'' is not a number");
	assert_int_equal(zk_opt_uint_parse("1a", 0, 10, &v, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_uint_parse("-1", 0, 10, &v, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_uint_parse(" 1", 0, 10, &v, NULL), ZK_ESYNTAX);
	assert_int_equal(v, 77);

	assert_int_equal(zk_opt_port_parse("53", &port, NULL), 0);
	assert_int_equal(port, 53);
	assert_int_equal(zk_opt_port_parse("65535", &port, NULL), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(zk_opt_port_parse("0", &port, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_port_parse("99999999999999999999", &port, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_port_parse("domain", &port, NULL), ZK_ESYNTAX);
	assert_int_equal(port, 65535);
}

/* ---------------------------------------------------------------- keys */

static void key_alg_is(const zk_tsig_key_t *k, const char *alg, size_t mac_len, bool trunc)
{
	char buf[ZK_NAME_TEXTMAX];

	zk_name_to_cstr(&k->alg, buf, sizeof(buf));
	assert_string_equal(buf, alg);
	assert_int_equal(k->mac_len, mac_len);
	assert_int_equal(k->truncated, trunc);
}

static void test_key_string(void **state)
{
	zk_tsig_key_t k;
	zk_errctx_t ec;
	char buf[ZK_NAME_TEXTMAX];

	(void)state;
	zk_errctx_init(&ec);
	/* "secret" in base64; BIND's default algorithm is hmac-sha256. */
	assert_int_equal(zk_opt_key_string(&k, "key.example:c2VjcmV0", &ec), 0);
	zk_name_to_cstr(&k.name, buf, sizeof(buf));
	assert_string_equal(buf, "key.example.");
	key_alg_is(&k, "hmac-sha256.", 32, false);
	assert_int_equal(k.secret_len, 6);
	assert_memory_equal(k.secret, "secret", 6);

	assert_int_equal(zk_opt_key_string(&k, "hmac-md5:key.example.:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-md5.sig-alg.reg.int.", 16, false);
	assert_int_equal(zk_opt_key_string(&k, "hmac-sha1:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-sha1.", 20, false);
	assert_int_equal(zk_opt_key_string(&k, "hmac-sha224:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-sha224.", 28, false);
	assert_int_equal(zk_opt_key_string(&k, "HMAC-SHA384:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-sha384.", 48, false);
	assert_int_equal(zk_opt_key_string(&k, "hmac-sha512:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-sha512.", 64, false);
	/* RFC 4635 §3 / RFC 8945 §5.2.2.1 truncation. */
	assert_int_equal(zk_opt_key_string(&k, "hmac-sha256-128:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-sha256.", 16, true);
	assert_int_equal(zk_opt_key_string(&k, "hmac-md5-80:k:c2VjcmV0", NULL), 0);
	key_alg_is(&k, "hmac-md5.sig-alg.reg.int.", 10, true);

	assert_int_equal(zk_opt_key_string(&k, "hmac-sha512-80:k:c2VjcmV0", &ec), ZK_ERANGE);
	assert_int_equal(strncmp(ec.msg, "-y: ", 4), 0);
	assert_int_equal(zk_opt_key_string(&k, "hmac-sha999:k:c2VjcmV0", &ec), ZK_EUNSUPP);
	assert_string_equal(ec.msg, "-y: unknown TSIG algorithm 'hmac-sha999'");
	assert_int_equal(zk_opt_key_string(&k, "justaname", &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "-y: key 'justaname': expected [alg:]name:secret");
	assert_int_equal(zk_opt_key_string(&k, ":c2VjcmV0", &ec), ZK_ESYNTAX);
	assert_true(zk_opt_key_string(&k, "k:not*base64", &ec) < 0);
	assert_int_equal(strncmp(ec.msg, "-y: ", 4), 0);
}

static const char *data_path(char *buf, size_t cap, const char *name)
{
	const char *src = getenv("ZKIT_SRC");

	snprintf(buf, cap, "%s/t/data/net/%s", src ? src : ".", name);
	return buf;
}

static void test_key_file(void **state)
{
	static const uint8_t sha384_secret[48] = {
	    0x52, 0x5c, 0xe0, 0x1d, 0xe0, 0x87, 0x7d, 0xf3, 0x1c, 0x4b, 0x63, 0xda,
	    0xeb, 0x02, 0x5a, 0xa3, 0xc0, 0xc2, 0x54, 0x3d, 0xa6, 0x12, 0xf6, 0x4a,
	    0x27, 0x1a, 0x61, 0xc8, 0x13, 0x91, 0x92, 0x0f, 0xbc, 0x5f, 0x22, 0x22,
	    0x5f, 0x32, 0xf0, 0x88, 0x85, 0x4d, 0x5a, 0x50, 0x72, 0x2c, 0x43, 0x00};
	char path[512], buf[ZK_NAME_TEXTMAX];
	zk_tsig_key_t k;
	zk_errctx_t ec;

	(void)state;
	zk_errctx_init(&ec);
	/* tsig-keygen output: the first key of the file. */
	if (zk_opt_key_file(&k, data_path(path, sizeof(path), "tsig-keygen.conf"), &ec) != 0)
		fail_msg("%s", ec.msg);
	zk_name_to_cstr(&k.name, buf, sizeof(buf));
	assert_string_equal(buf, "key.example.");
	key_alg_is(&k, "hmac-sha384.", 48, false);
	assert_int_equal(k.secret_len, 48);
	assert_memory_equal(k.secret, sha384_secret, 48);

	/* A dnssec-keygen style pair, by its .private and by its .key name
	 * (only the .private file exists: it holds everything). */
	assert_int_equal(
	    zk_opt_key_file(&k, data_path(path, sizeof(path), "Kkey.example.+163+12345.private"),
	                    &ec),
	    0);
	zk_name_to_cstr(&k.name, buf, sizeof(buf));
	assert_string_equal(buf, "key.example.");
	key_alg_is(&k, "hmac-sha256.", 32, false);
	assert_int_equal(k.secret_len, 27);
	assert_memory_equal(k.secret, "secret-for-the-tests-of-opt", 27);
	memset(&k, 0, sizeof(k));
	assert_int_equal(
	    zk_opt_key_file(&k, data_path(path, sizeof(path), "Kkey.example.+163+12345.key"), &ec),
	    0);
	assert_int_equal(k.secret_len, 27);

	zk_errctx_init(&ec);
	assert_int_equal(zk_opt_key_file(&k, "/nonexistent/key.conf", &ec), ZK_ENOENT);
	assert_string_equal(ec.msg, "/nonexistent/key.conf: No such file or directory");
	/* Not a key file: tsig's error, located in our file. */
	zk_errctx_init(&ec);
	assert_true(
	    zk_opt_key_file(&k, data_path(path, sizeof(path), "../../unit/test_opt.c"), &ec) < 0);
	assert_ptr_equal(ec.file, path);
}

/* ---------------------------------------------------------------- time */

static void duration_is(const char *s, uint64_t want)
{
	uint64_t v = 0;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_opt_duration_parse(s, &v, &ec) != 0)
		fail_msg("%s: %s", s, ec.msg);
	assert_true(v == want);
}

static void test_duration(void **state)
{
	uint64_t v = 5;
	zk_errctx_t ec;

	(void)state;
	duration_is("0", 0);
	duration_is("3600", 3600);
	duration_is("1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	duration_is("1W2D3H4M5S", 788645);
	duration_is("5s4m3h2d1w", 788645);
	duration_is("30d", 2592000);
	duration_is("1h30mi", 5400);
	duration_is("1mo", 2592000);
	duration_is("2y", 63072000);
	duration_is("1y1mo1w1d1h1mi1s", 31536000 + 2592000 + 604800 + 86400 + 3600 + 60 + 1);
	duration_is("90m", 5400);

	zk_errctx_init(&ec);
	assert_int_equal(zk_opt_duration_parse("", &v, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "empty duration");
	assert_int_equal(zk_opt_duration_parse("5x", &v, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "duration '5x': unknown unit 'x'");
	assert_int_equal(zk_opt_duration_parse("1h2", &v, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "duration '1h2': number without a unit");
	assert_int_equal(zk_opt_duration_parse("h", &v, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_duration_parse("-1", &v, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_duration_parse("1 h", &v, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_duration_parse("99999999999999999999", &v, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_duration_parse("999999999999y", &v, NULL), ZK_ERANGE);
	assert_int_equal(v, 5);
}

static void time_is(const char *s, int64_t now, int64_t want)
{
	int64_t t = -1;
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_opt_time_parse(s, now, &t, &ec) != 0)
		fail_msg("%s: %s", s, ec.msg);
	assert_true(t == want);
}

static void test_time(void **state)
{
	const int64_t now = 1700000000; /* 20231114221320 */
	int64_t t = 42;
	zk_errctx_t ec;
	char buf[16];

	(void)state;
	time_is("now", now, now);
	time_is("now+1h", now, now + 3600);
	time_is("now-1h", now, now - 3600);
	time_is("now+0", now, now);
	time_is("+30d", now, now + 30 * 86400);
	time_is("+3600", now, now + 3600);
	time_is("-1w", now, now - 604800);
	time_is("1234567890", now, 1234567890);
	time_is("0", now, 0);
	/* YYYYMMDDHHMMSS, checked against GNU date -u. */
	time_is("19700101000000", now, 0);
	time_is("20000229235959", now, 951868799);
	time_is("20240229120000", now, 1709208000);
	time_is("20261123002000", now, 1795393200);
	time_is("20380119031408", now, 2147483648);
	time_is("21060207062816", now, 4294967296);
	time_is("99991231235959", now, 253402300799);

	zk_errctx_init(&ec);
	assert_int_equal(zk_opt_time_parse("21000229000000", now, &t, &ec), ZK_ERANGE);
	assert_string_equal(ec.msg, "'21000229000000' is not a valid YYYYMMDDHHMMSS time");
	assert_int_equal(zk_opt_time_parse("20231301000000", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("20231100000000", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("20230431000000", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("20231114240000", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("20231114236000", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("20231114235960", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("19691231235959", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(zk_opt_time_parse("2026112300200", now, &t, &ec), ZK_ERANGE);
	assert_string_equal(ec.msg, "time 2026112300200 is after 9999");
	assert_int_equal(zk_opt_time_parse("nowx", now, &t, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "bad time 'nowx'");
	assert_int_equal(zk_opt_time_parse("now+", now, &t, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_time_parse("+", now, &t, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_time_parse("", now, &t, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_time_parse("2023-11-14", now, &t, NULL), ZK_ESYNTAX);
	assert_int_equal(zk_opt_time_parse("now-100y", now, &t, &ec), ZK_ERANGE);
	assert_string_equal(ec.msg, "time 'now-100y' is before 1970");
	assert_int_equal(zk_opt_time_parse("+8000y", now, &t, NULL), ZK_ERANGE);
	assert_int_equal(t, 42);

	assert_int_equal(zk_opt_time_to_text(now, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "20231114221320");
	assert_int_equal(zk_opt_time_to_text(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "19700101000000");
	assert_int_equal(zk_opt_time_to_text(951868799, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "20000229235959");
	assert_int_equal(zk_opt_time_to_text(253402300799, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "99991231235959");
	assert_int_equal(zk_opt_time_to_text(-1, buf, sizeof(buf)), ZK_ERANGE);
	assert_int_equal(zk_opt_time_to_text(253402300800, buf, sizeof(buf)), ZK_ERANGE);
	assert_int_equal(zk_opt_time_to_text(0, buf, 14), ZK_ERANGE);
	/* Round trip across every day boundary of 1970..2400 in 97-day steps. */
	for (int64_t s = 0; s < 13569465600; s += 97 * 86400 + 3601) {
		assert_int_equal(zk_opt_time_to_text(s, buf, sizeof(buf)), 0);
		assert_int_equal(zk_opt_time_parse(buf, now, &t, NULL), 0);
		assert_true(t == s);
	}
}

/* ---------------------------------------------------------------- diagnostics */

static void test_diag(void **state)
{
	zk_buf_t b;
	zk_errctx_t ec;
	zk_net_addr_t a;

	(void)state;
	zk_buf_init(&b);
	zk_opt_diag(&b, "Query time: %d msec", 3);
	assert_string_equal(b.data, ";; Query time: 3 msec\n");
	zk_buf_reset(&b);
	zk_opt_diag(&b, "first\nsecond\n");
	assert_string_equal(b.data, ";; first\n;; second\n");
	zk_buf_reset(&b);
	zk_opt_diag(&b, "a\n\nb");
	assert_string_equal(b.data, ";; a\n;;\n;; b\n");
	zk_buf_reset(&b);

	zk_errctx_init(&ec);
	zk_error(&ec, ZK_ETIMEOUT, "no reply after %d tries", 3);
	assert_int_equal(zk_net_addr_parse(&a, "127.0.0.1", 53, NULL), 0);
	zk_net_addr_to_text(&a, ec.peer, sizeof(ec.peer));
	zk_opt_diag_err(&b, &ec);
	assert_string_equal(b.data, ";; 127.0.0.1#53: no reply after 3 tries\n");
	zk_buf_free(&b);
}

/* The option words of zxfr and znotify: names with and without a value. */
static void test_opt_words(void **state)
{
	char *argv[] = {"t", "--timeout=3", "--timeout", "7", "-o", "f", "-ofile", "-x", NULL};
	int i;
	(void)state;

	assert_true(zk_opt_is("--timeout", "--timeout"));
	assert_true(zk_opt_is("--timeout=3", "--timeout"));
	assert_false(zk_opt_is("--timeouts", "--timeout"));
	assert_false(zk_opt_is("--time", "--timeout"));
	assert_true(zk_opt_is("-o", "-o"));
	assert_true(zk_opt_is("-ofile", "-o"));
	assert_false(zk_opt_is("-p", "-o"));

	i = 1;
	assert_string_equal(zk_opt_arg(8, argv, &i, "--timeout"), "3");
	assert_int_equal(i, 1);
	i = 2;
	assert_string_equal(zk_opt_arg(8, argv, &i, "--timeout"), "7");
	assert_int_equal(i, 3);
	i = 4;
	assert_string_equal(zk_opt_arg(8, argv, &i, "-o"), "f");
	assert_int_equal(i, 5);
	i = 6;
	assert_string_equal(zk_opt_arg(8, argv, &i, "-o"), "file");
	assert_int_equal(i, 6);
	i = 7; /* the last word: no value follows */
	assert_null(zk_opt_arg(8, argv, &i, "-x"));
	assert_int_equal(i, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_opt_words), cmocka_unit_test(test_server),
	    cmocka_unit_test(test_numbers),   cmocka_unit_test(test_key_string),
	    cmocka_unit_test(test_key_file),  cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_time),      cmocka_unit_test(test_diag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
