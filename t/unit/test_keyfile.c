/* Unit tests for common/keyfile.c: reading key pairs written by BIND
 * (v1.2 RFC keys, v1.3 dnssec-keygen/dnssec-settime) and ldns-keygen,
 * writing the exact text dnssec-settime writes (t/data/keys/settime),
 * bad input, atomic writes, key timing arguments, tags in a directory. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dnssec.h"
#include "keyfile.h"
#include "rrtype.h"

static void data_path(char *buf, size_t cap, const char *file)
{
	const char *src = getenv("ZKIT_SRC");
	snprintf(buf, cap, "%s/t/data/keys/%s", src ? src : ".", file);
}

static char *slurp(const char *file, size_t *n)
{
	char path[512], *text = NULL;
	data_path(path, sizeof path, file);
	assert_int_equal(zk_file_read_all(path, 1 << 20, &text, n, NULL), 0);
	return text;
}

static void test_read_all(void **state)
{
	/* Every pair in the fixtures: tag in the name = computed tag. */
	static const char *const files[] = {
	    "Kexample.com.+015+03613",       "Kexample.com.+015+35217",
	    "Kexample.com.+016+09713",       "Kexample.com.+016+38353",
	    "Kexample.net.+008+09033",       "Kexample.net.+010+03740",
	    "Kexample.net.+013+55648",       "Kexample.net.+014+10771",
	    "bind/Kbind.example.+005+65267", "bind/Kbind.example.+007+03754",
	    "bind/Kbind.example.+008+11821", "bind/Kbind.example.+010+46437",
	    "bind/Kbind.example.+013+07635", "bind/Kbind.example.+013+42356",
	    "bind/Kbind.example.+014+13378", "bind/Kbind.example.+015+50232",
	    "bind/Kbind.example.+016+57529", "ldns/Kldns.example.+005+11321",
	    "ldns/Kldns.example.+008+10330", "ldns/Kldns.example.+010+28522",
	    "ldns/Kldns.example.+013+35222", "ldns/Kldns.example.+014+47684",
	    "ldns/Kldns.example.+015+45285", "ldns/Kldns.example.+016+41740",
	};
	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[512], base[256];
		const char *slash = strrchr(files[i], '/');
		zk_keyfile_t kf;
		zk_errctx_t ec;
		zk_errctx_init(&ec);
		zk_keyfile_init(&kf);
		data_path(path, sizeof path, files[i]);
		if (zk_keyfile_read(&kf, path, true, &ec) != 0)
			fail_msg("%s: %s", files[i], ec.msg);
		assert_true(zk_key_is_private(kf.key));
		zk_keyfile_basename(&kf, base, sizeof base);
		assert_string_equal(base, slash ? slash + 1 : files[i]);
		assert_int_equal(kf.type, ZK_TYPE_DNSKEY);
		zk_keyfile_clear(&kf);
	}
}

static void test_read_variants(void **state)
{
	zk_keyfile_t kf;
	char path[512];
	(void)state;
	zk_keyfile_init(&kf);
	/* ".key", ".private" or the base name all name the pair. */
	data_path(path, sizeof path, "Kexample.net.+013+55648.private");
	assert_int_equal(zk_keyfile_read(&kf, path, true, NULL), 0);
	assert_int_equal(kf.keytag, 55648);
	assert_int_equal(kf.flags, 257);
	assert_int_equal(kf.alg, 13);
	assert_true(kf.has_ttl);
	assert_int_equal(kf.ttl, 3600);
	assert_int_equal(kf.private_minor, 2);
	data_path(path, sizeof path, "bind/Kbind.example.+013+07635.key");
	assert_int_equal(zk_keyfile_read(&kf, path, false, NULL), 0);
	assert_false(zk_key_is_private(kf.key));
	assert_int_equal(kf.flags, 256);
	assert_false(kf.has_ttl);
	assert_int_equal(kf.times[ZK_KT_PUBLISH], ZK_KT_UNSET); /* only in .private */
	assert_int_equal(zk_keyfile_read(&kf, path, true, NULL), 0);
	assert_int_equal(kf.private_minor, 3);
	assert_int_equal(kf.times[ZK_KT_PUBLISH], 1767225600); /* 20260101000000 */
	assert_int_equal(kf.times[ZK_KT_ACTIVATE], 1767225600);
	assert_int_equal(kf.times[ZK_KT_DELETE], ZK_KT_UNSET);
	zk_keyfile_clear(&kf);
}

/* Re-format what dnssec-settime wrote and get the same bytes. */
static void roundtrip(const char *file)
{
	char name[256];
	char *want_pub, *want_priv;
	size_t pl, vl;
	zk_keyfile_t kf;
	zk_buf_t out;
	snprintf(name, sizeof name, "settime/%s.key", file);
	want_pub = slurp(name, &pl);
	snprintf(name, sizeof name, "settime/%s.private", file);
	want_priv = slurp(name, &vl);
	zk_keyfile_init(&kf);
	assert_int_equal(zk_keyfile_parse_public(&kf, want_pub, pl, "x.key", NULL), 0);
	assert_int_equal(zk_keyfile_parse_private(&kf, want_priv, vl, "x.private", NULL), 0);
	zk_buf_init(&out);
	zk_keyfile_format_private(&kf, &out);
	assert_string_equal(out.data, want_priv);
	zk_buf_reset(&out);
	zk_keyfile_format_public(&kf, &out);
	assert_string_equal(out.data, want_pub);
	zk_buf_free(&out);
	zk_keyfile_clear(&kf);
	free(want_pub);
	free(want_priv);
}

static void test_format_like_bind(void **state)
{
	(void)state;
	roundtrip("Kexample.com.+015+03613");
	roundtrip("Kexample.net.+008+09033");
}

static int parse_pair(const char *pub, const char *priv, zk_errctx_t *ec)
{
	zk_keyfile_t kf;
	int rc;
	zk_keyfile_init(&kf);
	rc = zk_keyfile_parse_public(&kf, pub, strlen(pub), "t.key", ec);
	if (rc == 0)
		rc = zk_keyfile_parse_private(&kf, priv, strlen(priv), "t.private", ec);
	zk_keyfile_clear(&kf);
	return rc;
}

static void test_bad_input(void **state)
{
	static const char pub[] = "; comment\nexample.com. 3600 IN DNSKEY 257 3 15 "
	                          "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQw AQEX1SxZJA4=\n";
	static const char good[] = "Private-key-format: v1.2\nAlgorithm: 15 (ED25519)\n"
	                           "PrivateKey: ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=\n";
	zk_errctx_t ec;
	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(parse_pair(pub, good, &ec), 0);
	/* Truncated: no PrivateKey line. */
	assert_int_equal(
	    parse_pair(pub, "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n", &ec), ZK_EKEY);
	assert_string_equal(ec.msg, "t.private: PrivateKey is missing (truncated file?)");
	/* Truncated in the middle of the base64. */
	assert_int_equal(parse_pair(pub,
	                            "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n"
	                            "PrivateKey: ODIyNjAzODQ2MjgwODAx\n",
	                            &ec),
	                 ZK_EKEY);
	assert_non_null(strstr(ec.msg, "must be 32 octets"));
	/* Garbled base64. */
	assert_int_equal(parse_pair(pub,
	                            "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n"
	                            "PrivateKey: OD*yNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=\n",
	                            &ec),
	                 ZK_EBASE64);
	assert_string_equal(ec.msg, "t.private:3: bad base64 in PrivateKey");
	/* Wrong algorithm number. */
	assert_int_equal(parse_pair(pub,
	                            "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\n"
	                            "PrivateKey: ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=\n",
	                            &ec),
	                 ZK_EKEY);
	assert_string_equal(ec.msg, "t.private:2: algorithm 13 does not match the public key's 15");
	/* Mismatched pair: the other RFC 8080 Ed25519 private key. */
	assert_int_equal(parse_pair(pub,
	                            "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n"
	                            "PrivateKey: DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=\n",
	                            &ec),
	                 ZK_EKEY);
	assert_string_equal(ec.msg, "t.private: private key does not match the public key");
	/* Not a private key file at all. */
	assert_int_equal(parse_pair(pub, pub, &ec), ZK_ESYNTAX);
	assert_int_equal(parse_pair(pub, "Private-key-format: v2.0\n", &ec), ZK_EKEY);
	assert_int_equal(parse_pair(pub, "", &ec), ZK_EKEY);
	assert_string_equal(ec.msg, "t.private: empty private key file");
	/* Public side: unsupported algorithm, wrong type, garbage. */
	assert_int_equal(parse_pair("x. IN DNSKEY 257 3 1 AwEAAcFcGsaxxdgiuuGmCkVI\n", good, &ec),
	                 ZK_EUNSUPP);
	assert_string_equal(ec.msg, "t.key: algorithm 1 (RSAMD5) is not supported");
	assert_int_equal(parse_pair("x. IN DNSKEY 257 3 99 AwEAAcFcGsaxxdgiuuGmCkVI\n", good, &ec),
	                 ZK_EUNSUPP);
	assert_int_equal(parse_pair("x. IN A 192.0.2.1\n", good, &ec), ZK_ESYNTAX);
	assert_string_equal(ec.msg, "t.key: not a DNSKEY or KEY record");
	assert_int_equal(parse_pair("", good, &ec), ZK_ESYNTAX);
	assert_int_equal(parse_pair("x. IN DNSKEY 257 3 15 AAAA\n", good, &ec), ZK_EKEY);
}

static void test_missing_file(void **state)
{
	zk_keyfile_t kf;
	zk_errctx_t ec;
	char dir[] = "/tmp/zk-keyfile-XXXXXX", path[256];
	FILE *f;
	(void)state;
	zk_errctx_init(&ec);
	zk_keyfile_init(&kf);
	assert_int_equal(zk_keyfile_read(&kf, "/nonexistent/Kx.+013+00001", false, &ec), ZK_ENOENT);
	assert_string_equal(ec.msg, "/nonexistent/Kx.+013+00001.key: No such file or directory");
	/* .key present, .private missing. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/Kexample.com.+015+03613.key", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("example.com. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n", f);
	fclose(f);
	assert_int_equal(zk_keyfile_read(&kf, path, true, &ec), ZK_ENOENT);
	assert_non_null(strstr(ec.msg, ".private: No such file"));
	assert_int_equal(zk_keyfile_read(&kf, path, false, &ec), 0);
	assert_int_equal(kf.keytag, 3613);
	zk_keyfile_clear(&kf);
	unlink(path);
	rmdir(dir);
}

static void test_write(void **state)
{
	char dir[] = "/tmp/zk-keyfile-XXXXXX", base[256], path[512];
	zk_keyfile_t kf, back;
	zk_key_t *k = NULL;
	zk_name_t owner;
	struct stat st;
	uint16_t tags[16];
	size_t nt = 0;
	zk_errctx_t ec;
	(void)state;
	zk_errctx_init(&ec);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(zk_name_from_text(&owner, "Example.ORG.", 12, NULL, NULL), 0);
	assert_int_equal(zk_key_generate(13, 0, &k, NULL), 0);
	zk_keyfile_init(&kf);
	assert_int_equal(zk_keyfile_from_key(&kf, &owner, ZK_TYPE_DNSKEY, 257, k, NULL), 0);
	kf.times[ZK_KT_CREATED] = 1767225600;
	kf.times[ZK_KT_PUBLISH] = 1767225600;
	assert_int_equal(zk_keyfile_write(&kf, dir, 0644, base, sizeof base, &ec), 0);
	snprintf(path, sizeof path, "%s/%s.private", dir, base);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof path, "%s/%s.key", dir, base);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Read back: same tag, same key, same times. */
	zk_keyfile_init(&back);
	assert_int_equal(zk_keyfile_read(&back, path, true, &ec), 0);
	assert_int_equal(back.keytag, kf.keytag);
	assert_int_equal(back.rdlen, kf.rdlen);
	assert_memory_equal(back.rdata, kf.rdata, kf.rdlen);
	assert_int_equal(back.times[ZK_KT_PUBLISH], 1767225600);
	assert_int_equal(back.times[ZK_KT_ACTIVATE], ZK_KT_UNSET);
	zk_keyfile_clear(&back);
	/* Never overwritten. */
	assert_int_equal(zk_keyfile_write(&kf, dir, 0644, NULL, 0, &ec), ZK_EEXIST);
	assert_non_null(strstr(ec.msg, "already exists"));
	/* The directory's tags: this key's and its revoked form's. */
	assert_int_equal(zk_keyfile_dir_tags(dir, &owner, 13, tags, 16, &nt, &ec), 0);
	assert_true(nt >= 2);
	assert_int_equal(tags[0], kf.keytag);
	zk_keyfile_set_flags(&kf, 257 | ZK_DNSKEY_REVOKE);
	{
		bool found = false;
		for (size_t i = 0; i < nt; i++)
			found |= tags[i] == kf.keytag;
		assert_true(found);
	}
	assert_int_equal(zk_keyfile_dir_tags(dir, &owner, 8, tags, 16, &nt, &ec), 0);
	assert_int_equal(nt, 0);
	assert_int_equal(zk_keyfile_dir_tags("/nonexistent", &owner, 8, tags, 16, &nt, &ec),
	                 ZK_EIO);
	zk_keyfile_clear(&kf);
	/* Clean up. */
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_atomic(void **state)
{
	char dir[] = "/tmp/zk-keyfile-XXXXXX", path[256];
	char *back = NULL;
	size_t n = 0;
	struct stat st;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	assert_int_equal(zk_file_write_atomic(path, "one\n", 4, 0640, false, NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(zk_file_write_atomic(path, "two\n", 4, 0644, false, NULL), ZK_EEXIST);
	assert_int_equal(zk_file_write_atomic(path, "three\n", 6, 0644, true, NULL), 0);
	assert_int_equal(zk_file_read_all(path, 100, &back, &n, NULL), 0);
	assert_string_equal(back, "three\n");
	free(back);
	assert_int_equal(zk_file_read_all(path, 3, &back, &n, NULL), ZK_ELIMIT);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* no temporary left behind */
	assert_int_equal(zk_file_write_atomic("/nonexistent/x", "a", 1, 0644, true, NULL), ZK_EIO);
}

static void test_keytime(void **state)
{
	int64_t t = 0, now = 1767225600; /* 2026-01-01 00:00:00 */
	char buf[15];
	(void)state;
	assert_int_equal(zk_keytime_from_text("20260101000000", 0, &t), 0);
	assert_int_equal(t, 1767225600);
	assert_int_equal(zk_keytime_from_text("20260102", 0, &t), 0);
	assert_int_equal(t, 1767225600 + 86400);
	assert_int_equal(zk_keytime_from_text("now", now, &t), 0);
	assert_int_equal(t, now);
	assert_int_equal(zk_keytime_from_text("+1d", now, &t), 0);
	assert_int_equal(t, now + 86400);
	assert_int_equal(zk_keytime_from_text("now+2w", now, &t), 0);
	assert_int_equal(t, now + 14 * 86400);
	assert_int_equal(zk_keytime_from_text("-90mi", now, &t), 0);
	assert_int_equal(t, now - 5400);
	assert_int_equal(zk_keytime_from_text("+3600", now, &t), 0);
	assert_int_equal(t, now + 3600);
	assert_int_equal(zk_keytime_from_text("+1mo", now, &t), 0);
	assert_int_equal(t, now + 30 * 86400);
	assert_int_equal(zk_keytime_from_text("+1y", now, &t), 0);
	assert_int_equal(t, now + 365 * 86400);
	assert_int_equal(zk_keytime_from_text("none", now, &t), 0);
	assert_int_equal(t, ZK_KT_UNSET);
	assert_int_equal(zk_keytime_from_text("+1x", now, &t), ZK_ESYNTAX);
	assert_int_equal(zk_keytime_from_text("+", now, &t), ZK_ESYNTAX);
	assert_int_equal(zk_keytime_from_text("2026010", now, &t), ZK_ESYNTAX);
	assert_int_equal(zk_keytime_from_text("20261301000000", now, &t), ZK_ERANGE);
	assert_int_equal(zk_keytime_from_text("yesterday", now, &t), ZK_ESYNTAX);
	zk_keytime_to_text(1438207200, buf);
	assert_string_equal(buf, "20150729220000");
	assert_string_equal(zk_keytime_name(ZK_KT_INACTIVE), "Inactive");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_all),         cmocka_unit_test(test_read_variants),
	    cmocka_unit_test(test_format_like_bind), cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_missing_file),     cmocka_unit_test(test_write),
	    cmocka_unit_test(test_atomic),           cmocka_unit_test(test_keytime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
