/* test_sysres — resolver configuration from temporary resolv.conf files
 * and the environment, and host-name lookups from a hosts file and from
 * an in-process DNS responder on 127.0.0.1. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysres.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zk-sysres-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	/* The tests decide what the environment says. */
	unsetenv("LOCALDOMAIN");
	unsetenv("RES_OPTIONS");
	unsetenv("CARES_HOSTS");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (strncmp(dir, "/tmp/zk-sysres-", 15) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)system(cmd);
	}
	return 0;
}

/* Write text to dir/name; returns the path (static buffer per call site). */
static const char *put_file(char *path, size_t cap, const char *name, const char *text)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void addr_is(const zk_net_addr_t *a, const char *want)
{
	char buf[ZK_NET_ADDRSTRLEN];

	zk_net_addr_to_text(a, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_resolvconf(void **state)
{
	char path[128];
	zk_sysres_opts_t o = {0};
	zk_sysres_t r;

	(void)state;
	o.resolvconf = put_file(path, sizeof(path), "r1.conf",
	                        "# comment\n"
	                        "nameserver 192.0.2.1\n"
	                        "nameserver 2001:db8::53\n"
	                        "nameserver 198.51.100.2\n"
	                        "search example.com. example.net\n"
	                        "options ndots:3 timeout:2 attempts:4 rotate\n");
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	assert_int_equal(r.nservers, 3);
	addr_is(&r.servers[0], "192.0.2.1#53");
	addr_is(&r.servers[1], "2001:db8::53#53");
	addr_is(&r.servers[2], "198.51.100.2#53");
	assert_int_equal(r.nsearch, 2);
	assert_string_equal(r.search[0], "example.com");
	assert_string_equal(r.search[1], "example.net");
	assert_int_equal(r.ndots, 3);
	assert_int_equal(r.timeout_ms, 2000);
	assert_int_equal(r.attempts, 4);
	assert_true(r.timeout_set);
	assert_true(r.attempts_set);
	assert_true(r.rotate);
	zk_sysres_free(&r);

	/* A port for servers that have none. */
	o.port = 5300;
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	addr_is(&r.servers[1], "2001:db8::53#5300");
	zk_sysres_free(&r);
}

static void test_domain(void **state)
{
	char path[128];
	zk_sysres_opts_t o = {0};
	zk_sysres_t r;

	(void)state;
	o.resolvconf = put_file(path, sizeof(path), "r2.conf",
	                        "domain example.org\n"
	                        "nameserver ::1\n"
	                        "options ndots:0 attempts:1 timeout:1\n");
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	assert_int_equal(r.nservers, 1);
	addr_is(&r.servers[0], "::1#53");
	assert_int_equal(r.nsearch, 1);
	assert_string_equal(r.search[0], "example.org");
	assert_int_equal(r.ndots, 0);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.timeout_ms, 1000);
	assert_false(r.rotate);
	zk_sysres_free(&r);
}

static void test_environment(void **state)
{
	char path[128];
	zk_sysres_opts_t o = {0};
	zk_sysres_t r;

	(void)state;
	o.resolvconf = put_file(path, sizeof(path), "r3.conf",
	                        "nameserver 192.0.2.1\n"
	                        "search example.com\n"
	                        "options ndots:3 timeout:2 attempts:4\n");
	/* resolv(5): LOCALDOMAIN replaces the search list, RES_OPTIONS
	 * amends the options of the file. */
	setenv("LOCALDOMAIN", "a.test b.test", 1);
	setenv("RES_OPTIONS", "ndots:5 attempts:2", 1);
	/* ... and limits: glibc caps attempts at 5, timeout at 30 s. */
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	unsetenv("LOCALDOMAIN");
	unsetenv("RES_OPTIONS");
	assert_int_equal(r.nsearch, 2);
	assert_string_equal(r.search[0], "a.test");
	assert_string_equal(r.search[1], "b.test");
	assert_int_equal(r.ndots, 5);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.timeout_ms, 2000); /* from the file */
	assert_int_equal(r.nservers, 1);
	zk_sysres_free(&r);

	setenv("RES_OPTIONS", "timeout:99 attempts:9", 1);
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	unsetenv("RES_OPTIONS");
	assert_int_equal(r.timeout_ms, 30000);
	assert_int_equal(r.attempts, 5);
	assert_int_equal(r.ndots, 3);
	assert_int_equal(r.nsearch, 1);
	assert_string_equal(r.search[0], "example.com");
	zk_sysres_free(&r);
}

static void test_defaults(void **state)
{
	char path[128];
	zk_sysres_opts_t o = {0};
	zk_sysres_t r;
	zk_errctx_t ec;

	(void)state;
	/* No nameserver line: c-ares falls back to the local host. */
	o.resolvconf = put_file(path, sizeof(path), "r4.conf", "search x.test\n");
	assert_int_equal(zk_sysres_load(&r, &o, NULL), 0);
	assert_true(r.nservers >= 1);
	addr_is(&r.servers[0], "127.0.0.1#53");
	assert_int_equal(r.ndots, 1);
	assert_true(r.timeout_ms > 0);
	assert_true(r.attempts > 0);
	assert_false(r.timeout_set);
	assert_false(r.attempts_set);
	zk_sysres_free(&r);

	zk_errctx_init(&ec);
	o.resolvconf = "/nonexistent/resolv.conf";
	assert_int_equal(zk_sysres_load(&r, &o, &ec), ZK_ENOENT);
	assert_string_equal(ec.msg, "/nonexistent/resolv.conf: No such file or directory");

	/* The system's own file loads (whatever it says). */
	assert_int_equal(zk_sysres_load(&r, NULL, NULL), 0);
	assert_true(r.nservers >= 1);
	zk_sysres_free(&r);
	zk_sysres_free(NULL);
}

static void test_hosts_file(void **state)
{
	char hosts[128], rc[128];
	zk_sysres_opts_t o = {.lookups = "f"};
	zk_net_addr_t *a = NULL;
	size_t n = 0;
	zk_errctx_t ec;

	(void)state;
	put_file(hosts, sizeof(hosts), "hosts",
	         "127.0.0.1 localhost\n"
	         "192.0.2.7 ns1.test ns1\n"
	         "2001:db8::7 ns1.test\n");
	o.resolvconf = put_file(rc, sizeof(rc), "r5.conf", "nameserver 127.0.0.1\n");
	setenv("CARES_HOSTS", hosts, 1);

	assert_int_equal(zk_sysres_resolve(&o, "ns1.test", AF_INET, 5300, 2000, &a, &n, NULL), 0);
	assert_int_equal(n, 1);
	addr_is(&a[0], "192.0.2.7#5300");
	free(a);

	assert_int_equal(zk_sysres_resolve(&o, "ns1.test", AF_INET6, 53, 2000, &a, &n, NULL), 0);
	assert_int_equal(n, 1);
	addr_is(&a[0], "2001:db8::7#53");
	free(a);

	assert_int_equal(zk_sysres_resolve(&o, "ns1.test", AF_UNSPEC, 53, 2000, &a, &n, NULL), 0);
	assert_int_equal(n, 2);
	/* Order is c-ares' (RFC 6724 sorting); both must be there. */
	char t0[ZK_NET_ADDRSTRLEN], t1[ZK_NET_ADDRSTRLEN];
	zk_net_addr_to_text(&a[0], t0, sizeof(t0));
	zk_net_addr_to_text(&a[1], t1, sizeof(t1));
	assert_true((strcmp(t0, "192.0.2.7#53") == 0 && strcmp(t1, "2001:db8::7#53") == 0) ||
	            (strcmp(t1, "192.0.2.7#53") == 0 && strcmp(t0, "2001:db8::7#53") == 0));
	free(a);

	zk_errctx_init(&ec);
	a = NULL;
	assert_int_equal(zk_sysres_resolve(&o, "nohost.test", AF_UNSPEC, 53, 2000, &a, &n, &ec),
	                 ZK_ENOENT);
	assert_null(a);
	assert_string_equal(ec.msg, "nohost.test: not found in the hosts file");
	unsetenv("CARES_HOSTS");

	/* localhost from the system's /etc/hosts. */
	assert_int_equal(zk_sysres_resolve(&o, "localhost", AF_INET, 53, 2000, &a, &n, NULL), 0);
	assert_true(n >= 1);
	addr_is(&a[0], "127.0.0.1#53");
	free(a);
}

static void test_literal(void **state)
{
	zk_net_addr_t *a = NULL;
	size_t n = 0;
	zk_errctx_t ec;

	(void)state;
	zk_errctx_init(&ec);
	assert_int_equal(zk_sysres_resolve(NULL, "::1", AF_UNSPEC, 853, 0, &a, &n, NULL), 0);
	assert_int_equal(n, 1);
	addr_is(&a[0], "::1#853");
	free(a);
	assert_int_equal(zk_sysres_resolve(NULL, "::1", AF_INET, 853, 0, &a, &n, &ec), ZK_ENOENT);
	assert_string_equal(ec.msg, "::1: not an IPv4 address");
	assert_int_equal(zk_sysres_resolve(NULL, "", AF_INET, 853, 0, &a, &n, &ec), ZK_EINVAL);
	assert_int_equal(zk_sysres_resolve(NULL, "x", 99, 853, 0, &a, &n, &ec), ZK_EINVAL);
}

/* ---------------------------------------------------------------- DNS lookups */

typedef struct resp {
	int fd;
	uint16_t port;
	bool silent;
	int queries;
	pthread_t th;
} resp_t;

/* Answers A queries for srv.test with 192.0.2.9, everything else with
 * NOERROR and no answer, until the socket times out. */
static void *resp_main(void *arg)
{
	resp_t *r = arg;

	for (;;) {
		uint8_t q[512], a[600];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(r->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		size_t qn, an;
		static const uint8_t name[] = "\x03srv\x04test";

		if (n < 12)
			return NULL;
		r->queries++;
		if (r->silent)
			continue;
		qn = (size_t)n;
		memcpy(a, q, qn);
		a[2] = (uint8_t)(0x84 | (q[2] & 0x01)); /* QR AA, RD echoed */
		a[3] = 0x80;                            /* RA, NOERROR */
		an = qn;
		/* Question is at 12: compare the name, then type A? */
		if (qn >= 12 + sizeof(name) + 4 && memcmp(q + 12, name, sizeof(name)) == 0 &&
		    q[12 + sizeof(name) + 1] == 1) {
			static const uint8_t rr[] = {0xc0, 12, 0, 1, 0,   1, 0, 0,
			                             0,    60, 0, 4, 192, 0, 2, 9};
			memcpy(a + an, rr, sizeof(rr));
			an += sizeof(rr);
			a[7] = 1;
		} else if (memcmp(q + 12, name, sizeof(name)) != 0) {
			a[3] = 0x83; /* NXDOMAIN */
		}
		(void)sendto(r->fd, a, an, 0, (struct sockaddr *)&from, fl);
	}
}

static void resp_start(resp_t *r, bool silent)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	struct timeval tv = {.tv_sec = 2};

	memset(r, 0, sizeof(*r));
	r->silent = silent;
	r->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(r->fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(r->fd, (struct sockaddr *)&sin, &len), 0);
	r->port = ntohs(sin.sin_port);
	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(pthread_create(&r->th, NULL, resp_main, r), 0);
}

static void resp_stop(resp_t *r)
{
	pthread_join(r->th, NULL);
	close(r->fd);
}

static void test_dns_lookup(void **state)
{
	char rc[128];
	zk_sysres_opts_t o = {.lookups = "b"};
	zk_net_addr_t *a = NULL;
	size_t n = 0;
	resp_t r;
	zk_errctx_t ec;

	(void)state;
	zk_errctx_init(&ec);
	o.resolvconf = put_file(rc, sizeof(rc), "r6.conf",
	                        "nameserver 127.0.0.1\n"
	                        "search invalid\n"
	                        "options timeout:1 attempts:1\n");
	resp_start(&r, false);
	o.port = r.port;
	assert_int_equal(zk_sysres_resolve(&o, "srv.test", AF_INET, 53, 3000, &a, &n, NULL), 0);
	assert_int_equal(n, 1);
	addr_is(&a[0], "192.0.2.9#53");
	free(a);
	/* NXDOMAIN for the name and for the name + search domain. */
	a = NULL;
	assert_int_equal(zk_sysres_resolve(&o, "other.test", AF_INET, 53, 3000, &a, &n, &ec),
	                 ZK_ENOENT);
	assert_null(a);
	resp_stop(&r);
	assert_true(r.queries >= 2);

	/* A silent server: bounded by our time-out, not c-ares' retries. */
	resp_start(&r, true);
	o.port = r.port;
	o.resolvconf = put_file(rc, sizeof(rc), "r7.conf",
	                        "nameserver 127.0.0.1\n"
	                        "options timeout:5 attempts:5\n");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(zk_sysres_resolve(&o, "srv.test", AF_INET, 53, 300, &a, &n, &ec),
	                 ZK_ETIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 290 && ms < 1500);
	assert_string_equal(ec.msg, "srv.test: lookup timed out");
	resp_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_resolvconf),  cmocka_unit_test(test_domain),
	    cmocka_unit_test(test_environment), cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_hosts_file),  cmocka_unit_test(test_literal),
	    cmocka_unit_test(test_dns_lookup),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
