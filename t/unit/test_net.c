/* test_net — the transport against tiny in-process responders on
 * 127.0.0.1 (a thread per test): reply matching, retries and time-outs,
 * TCP framing across partial reads, pipelining out of order, a transfer
 * stream, and DoT against a test CA made with the openssl CLI. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net.h"

/* ---------------------------------------------------------------- messages */

/* "example.com. IN A" with the given ID, RD set. */
static size_t make_query(uint8_t *q, uint16_t id, uint16_t qtype)
{
	static const uint8_t qname[] = "\x07"
	                               "example\x03"
	                               "com";
	size_t n = 0;

	q[n++] = (uint8_t)(id >> 8);
	q[n++] = (uint8_t)id;
	q[n++] = 0x01; /* RD */
	q[n++] = 0x00;
	q[n++] = 0, q[n++] = 1; /* QDCOUNT */
	memset(q + n, 0, 6);
	n += 6;
	memcpy(q + n, qname, sizeof(qname)); /* includes the root label */
	n += sizeof(qname);
	q[n++] = (uint8_t)(qtype >> 8);
	q[n++] = (uint8_t)qtype;
	q[n++] = 0, q[n++] = 1; /* IN */
	return n;
}

/* The reply: the question echoed, QR RA set, one A record 192.0.2.1
 * whose owner is a pointer to the question name, plus pad octets of
 * padding in a TXT-ish tail (an unknown type) when pad > 0. */
static size_t make_reply(const uint8_t *q, size_t qlen, uint8_t *r, size_t pad)
{
	size_t n = qlen;

	memcpy(r, q, qlen);
	r[2] |= 0x80;
	r[3] |= 0x80;
	r[7] = 1; /* ANCOUNT */
	r[n++] = 0xc0, r[n++] = 12;
	r[n++] = 0, r[n++] = 1, r[n++] = 0, r[n++] = 1;
	r[n++] = 0, r[n++] = 0, r[n++] = 0x0e, r[n++] = 0x10;
	r[n++] = 0, r[n++] = 4, r[n++] = 192, r[n++] = 0, r[n++] = 2, r[n++] = 1;
	if (pad > 0) {
		r[7] = 2;
		r[n++] = 0xc0, r[n++] = 12;
		r[n++] = 0xff, r[n++] = 0x00, r[n++] = 0, r[n++] = 1; /* TYPE65280 */
		r[n++] = 0, r[n++] = 0, r[n++] = 0, r[n++] = 0;
		r[n++] = (uint8_t)(pad >> 8), r[n++] = (uint8_t)pad;
		memset(r + n, 'x', pad);
		n += pad;
	}
	return n;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void set_rcvtimeo(int fd, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int bind_lo(int type, uint16_t *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void server_addr(zk_net_addr_t *a, uint16_t port)
{
	assert_int_equal(zk_net_addr_parse(a, "127.0.0.1", port, NULL), 0);
}

/* ---------------------------------------------------------------- UDP responder */

enum umode { U_OK, U_MISMATCH, U_TC, U_SILENT, U_SECOND, U_BADTC };

typedef struct udp_resp {
	enum umode mode;
	int fd, fd2; /* fd2: another port, for "wrong source" */
	uint16_t port;
	pthread_t th;
} udp_resp_t;

static void usend(int fd, const struct sockaddr_in *to, const uint8_t *p, size_t n)
{
	(void)sendto(fd, p, n, 0, (const struct sockaddr *)to, sizeof(*to));
}

static void *udp_main(void *arg)
{
	udp_resp_t *u = arg;
	uint8_t q[512], r[1024], bad[1024];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n;
	size_t rn;
	int seen = 0;

again:
	fl = sizeof(from);
	n = recvfrom(u->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	if (n < 12)
		return NULL; /* time-out: the test is over */
	seen++;
	rn = make_reply(q, (size_t)n, r, 0);
	switch (u->mode) {
	case U_OK: usend(u->fd, &from, r, rn); break;
	case U_TC:
		r[2] |= 0x02;
		usend(u->fd, &from, r, rn);
		break;
	case U_BADTC:
		/* A TC=1 reply with the wrong ID, then the real one, TC=0. */
		memcpy(bad, r, rn);
		bad[2] |= 0x02;
		bad[1] ^= 0x55;
		usend(u->fd, &from, bad, rn);
		usend(u->fd, &from, r, rn);
		break;
	case U_MISMATCH:
		/* 1: a perfect reply, but from another port. */
		usend(u->fd2, &from, r, rn);
		/* 2: wrong ID. */
		memcpy(bad, r, rn);
		bad[0] ^= 0xff;
		usend(u->fd, &from, bad, rn);
		/* 3: QR clear. */
		memcpy(bad, r, rn);
		bad[2] &= 0x7f;
		usend(u->fd, &from, bad, rn);
		/* 4: opcode NOTIFY. */
		memcpy(bad, r, rn);
		bad[2] |= 4 << 3;
		usend(u->fd, &from, bad, rn);
		/* 5: another name (same length). */
		memcpy(bad, r, rn);
		bad[13] = 'f';
		usend(u->fd, &from, bad, rn);
		/* 6: another type. */
		memcpy(bad, r, rn);
		bad[26] = 28;
		usend(u->fd, &from, bad, rn);
		/* 7: another class. */
		memcpy(bad, r, rn);
		bad[28] = 3;
		usend(u->fd, &from, bad, rn);
		/* 8: no question. */
		memcpy(bad, r, 12);
		bad[5] = 0;
		usend(u->fd, &from, bad, 12);
		/* 9: garbage shorter than a header. */
		usend(u->fd, &from, (const uint8_t *)"junk!", 5);
		/* 10: a name that runs off the end. */
		memcpy(bad, r, 20);
		usend(u->fd, &from, bad, 20);
		/* 11: a TC=1 reply with the wrong ID. */
		memcpy(bad, r, rn);
		bad[1] ^= 0x01;
		bad[2] |= 0x02;
		usend(u->fd, &from, bad, rn);
		/* Finally the right one, its name in other case (RFC 5452 §9.1
		 * "0x20" is allowed). */
		r[14] = 'X';
		usend(u->fd, &from, r, rn);
		break;
	case U_SILENT: goto again;
	case U_SECOND:
		if (seen == 1)
			goto again;
		usend(u->fd, &from, r, rn);
		break;
	}
	return NULL;
}

static void udp_start(udp_resp_t *u, enum umode mode)
{
	uint16_t p2;

	memset(u, 0, sizeof(*u));
	u->mode = mode;
	u->fd = bind_lo(SOCK_DGRAM, &u->port);
	u->fd2 = bind_lo(SOCK_DGRAM, &p2);
	set_rcvtimeo(u->fd, 1500);
	assert_int_equal(pthread_create(&u->th, NULL, udp_main, u), 0);
}

static void udp_stop(udp_resp_t *u)
{
	pthread_join(u->th, NULL);
	close(u->fd);
	close(u->fd2);
}

/* ---------------------------------------------------------------- tests: addresses */

static void test_addr(void **state)
{
	zk_net_addr_t a, b;
	char buf[ZK_NET_ADDRSTRLEN];
	zk_errctx_t ec;

	(void)state;
	assert_int_equal(zk_net_addr_parse(&a, "127.0.0.1", 53, NULL), 0);
	assert_int_equal(zk_net_addr_family(&a), AF_INET);
	assert_int_equal(zk_net_addr_port(&a), 53);
	zk_net_addr_to_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1#53");

	assert_int_equal(zk_net_addr_parse(&b, "::1", 5300, NULL), 0);
	assert_int_equal(zk_net_addr_family(&b), AF_INET6);
	zk_net_addr_to_text(&b, buf, sizeof(buf));
	assert_string_equal(buf, "::1#5300");
	assert_false(zk_net_addr_eq(&a, &b));

	assert_int_equal(zk_net_addr_parse(&b, "127.0.0.1", 54, NULL), 0);
	assert_false(zk_net_addr_eq(&a, &b));
	zk_net_addr_set_port(&b, 53);
	assert_true(zk_net_addr_eq(&a, &b));

	assert_int_equal(zk_net_addr_parse(&a, "2001:db8::1", 853, NULL), 0);
	zk_net_addr_host_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(zk_net_addr_parse(&a, "fe80::1%1", 53, NULL), 0);
	assert_int_equal(((struct sockaddr_in6 *)&a.ss)->sin6_scope_id, 1);

	zk_errctx_init(&ec);
	assert_int_equal(zk_net_addr_parse(&a, "ns1.example", 53, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg, "'ns1.example' is not an IP address");
	assert_int_equal(zk_net_addr_parse(&a, "1.2.3.256", 53, NULL), ZK_EINVAL);
	assert_int_equal(zk_net_addr_parse(&a, "[::1]", 53, NULL), ZK_EINVAL);
	assert_int_equal(zk_net_addr_parse(&a, "::1%", 53, NULL), ZK_EINVAL);
	assert_int_equal(zk_net_addr_parse(&a, "::1%nosuchif0", 53, NULL), ZK_EINVAL);
	assert_int_equal(zk_net_addr_parse(&a, "", 53, NULL), ZK_EINVAL);
}

static void test_random(void **state)
{
	uint16_t ids[64];
	int distinct = 0;

	(void)state;
	for (int i = 0; i < 64; i++)
		assert_int_equal(zk_net_random_id(&ids[i]), 0);
	for (int i = 1; i < 64; i++)
		distinct += ids[i] != ids[0];
	/* 63 draws equal to the first: probability 2^-1008. */
	assert_true(distinct > 0);
}

/* ---------------------------------------------------------------- tests: matching */

static void test_match(void **state)
{
	uint8_t q[64], r[256];
	size_t qn = make_query(q, 0x1234, 1), rn = make_reply(q, qn, r, 0);
	enum zk_net_mismatch why = ZK_NET_MM_COUNT;

	(void)state;
	assert_int_equal(zk_net_reply_match(q, qn, r, rn, 0, &why), 0);
	assert_int_equal(why, ZK_NET_MM_COUNT); /* untouched on success */

	/* The reply's question name compressed: a pointer back into the
	 * header is illegal (not a name), so this is a mismatch. */
	uint8_t c[256];
	memcpy(c, r, 12);
	c[12] = 0xc0, c[13] = 0x00;
	assert_int_equal(zk_net_reply_match(q, qn, c, 18, 0, &why), ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_QUESTION);

	/* Upper-case in the reply's question: still ours. */
	r[13] = 'E';
	r[21] = 'C';
	assert_int_equal(zk_net_reply_match(q, qn, r, rn, 0, NULL), 0);

	r[3] ^= 0x0f; /* rcode changes are the caller's business */
	assert_int_equal(zk_net_reply_match(q, qn, r, rn, 0, NULL), 0);

	/* Empty question: only with ZK_NET_MATCH_NOQUESTION. */
	memcpy(c, r, 12);
	c[5] = 0;
	assert_int_equal(zk_net_reply_match(q, qn, c, 12, 0, &why), ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_QUESTION);
	assert_int_equal(zk_net_reply_match(q, qn, c, 12, ZK_NET_MATCH_NOQUESTION, NULL), 0);
	/* ... but the ID still has to be right. */
	c[0] ^= 1;
	assert_int_equal(zk_net_reply_match(q, qn, c, 12, ZK_NET_MATCH_NOQUESTION, &why),
	                 ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_ID);

	/* Two questions in the reply to one. */
	memcpy(c, r, rn);
	c[5] = 2;
	assert_int_equal(zk_net_reply_match(q, qn, c, rn, 0, &why), ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_QUESTION);

	/* Truncated in the question's type/class. */
	assert_int_equal(zk_net_reply_match(q, qn, r, qn - 1, 0, &why), ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_QUESTION);
	assert_int_equal(zk_net_reply_match(q, qn, r, 11, 0, &why), ZK_EMISMATCH);
	assert_int_equal(why, ZK_NET_MM_SHORT);
	assert_string_equal(zk_net_mismatch_text(ZK_NET_MM_ID), "ID mismatch");
	assert_string_equal(zk_net_mismatch_text(ZK_NET_MM_SOURCE), "reply from unexpected source");
}

/* ---------------------------------------------------------------- tests: UDP */

static void test_udp_ok(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 1000, .tries = 1};
	zk_net_stats_t st = {0};
	uint8_t q[64], want[256], buf[65535];
	size_t qn = make_query(q, 0xbeef, 1), wn = make_reply(q, qn, want, 0), rlen = 0;
	bool tc = true;

	(void)state;
	udp_start(&u, U_OK);
	server_addr(&srv, u.port);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	udp_stop(&u);
	assert_int_equal(rlen, wn);
	assert_memory_equal(buf, want, wn);
	assert_false(tc);
	assert_int_equal(st.sent, 1);
	assert_int_equal(st.mismatched, 0);
	assert_int_equal(st.bytes_out, qn);
	assert_int_equal(st.bytes_in, wn);
	assert_true(st.elapsed_us < 1000000);
}

static void test_udp_mismatch(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 2000, .tries = 1};
	zk_net_stats_t st = {0};
	uint8_t q[64], want[256], buf[65535];
	size_t qn = make_query(q, 0x0102, 1), wn = make_reply(q, qn, want, 0), rlen = 0;
	bool tc = true;

	(void)state;
	udp_start(&u, U_MISMATCH);
	server_addr(&srv, u.port);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	udp_stop(&u);
	want[14] = 'X';
	assert_int_equal(rlen, wn);
	assert_memory_equal(buf, want, wn);
	/* The mismatched TC=1 reply (11) must not have set tc. */
	assert_false(tc);
	assert_int_equal(st.mismatched, 11);
	assert_int_equal(st.why[ZK_NET_MM_SOURCE], 1);
	assert_int_equal(st.why[ZK_NET_MM_ID], 2);
	assert_int_equal(st.why[ZK_NET_MM_QR], 1);
	assert_int_equal(st.why[ZK_NET_MM_OPCODE], 1);
	assert_int_equal(st.why[ZK_NET_MM_QUESTION], 5);
	assert_int_equal(st.why[ZK_NET_MM_SHORT], 1);
	assert_int_equal(st.sent, 1);
}

static void test_udp_tc(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 1000, .tries = 1};
	zk_net_stats_t st = {0};
	uint8_t q[64], buf[65535];
	size_t qn = make_query(q, 7, 1), rlen = 0;
	bool tc = false;

	(void)state;
	udp_start(&u, U_TC);
	server_addr(&srv, u.port);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	udp_stop(&u);
	assert_true(tc);
	assert_int_equal(buf[2] & 0x02, 0x02);

	/* A TC=1 reply with a wrong ID is ignored; the real one has TC=0. */
	memset(&st, 0, sizeof(st));
	udp_start(&u, U_BADTC);
	server_addr(&srv, u.port);
	tc = true;
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	udp_stop(&u);
	assert_false(tc);
	assert_int_equal(st.mismatched, 1);
	assert_int_equal(st.why[ZK_NET_MM_ID], 1);
}

static void test_udp_timeout(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 150, .tries = 2};
	zk_net_stats_t st = {0};
	uint8_t q[64], buf[65535];
	size_t qn = make_query(q, 9, 1), rlen = 12345;
	bool tc = false;
	zk_errctx_t ec;
	uint64_t t0, dt;

	(void)state;
	zk_errctx_init(&ec);
	udp_start(&u, U_SILENT);
	server_addr(&srv, u.port);
	t0 = mono_ms();
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, &ec),
	    ZK_ETIMEOUT);
	dt = mono_ms() - t0;
	udp_stop(&u);
	assert_true(dt >= 295 && dt < 1000);
	assert_int_equal(st.sent, 2);
	assert_int_equal(rlen, 12345); /* not written on failure */
	assert_string_equal(ec.msg, "no reply after 2 tries of 150 ms");
	char line[200];
	zk_errctx_format(&ec, line, sizeof(line));
	char want[200];
	snprintf(want, sizeof(want), "127.0.0.1#%u: no reply after 2 tries of 150 ms", u.port);
	assert_string_equal(line, want);
}

static void test_udp_retry(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 200, .tries = 3};
	zk_net_stats_t st = {0};
	uint8_t q[64], buf[65535];
	size_t qn = make_query(q, 10, 1), rlen = 0;
	bool tc;

	(void)state;
	udp_start(&u, U_SECOND);
	server_addr(&srv, u.port);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	udp_stop(&u);
	assert_int_equal(st.sent, 2);
	assert_true(st.elapsed_us >= 190000);
}

static void test_udp_refused(void **state)
{
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 3000, .tries = 1};
	uint8_t q[64], buf[512];
	size_t qn = make_query(q, 11, 1), rlen;
	uint16_t port;
	bool tc;
	zk_errctx_t ec;
	uint64_t t0;
	int fd = bind_lo(SOCK_DGRAM, &port);

	(void)state;
	close(fd); /* nobody listens there now */
	zk_errctx_init(&ec);
	server_addr(&srv, port);
	t0 = mono_ms();
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, NULL, &ec), ZK_ENET);
	assert_true(mono_ms() - t0 < 2000);
	assert_string_equal(ec.msg, "connection refused");
}

static void test_udp_family(void **state)
{
	zk_net_addr_t srv, src;
	zk_net_opts_t o = {.timeout_ms = 100, .tries = 1, .family = AF_INET6};
	uint8_t q[64], buf[512];
	size_t qn = make_query(q, 12, 1), rlen;
	bool tc;
	zk_errctx_t ec;

	(void)state;
	zk_errctx_init(&ec);
	server_addr(&srv, 53);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, NULL, &ec),
	    ZK_EINVAL);
	assert_string_equal(ec.msg, "address family not allowed (IPv6 only)");
	o.family = AF_INET;
	assert_int_equal(zk_net_addr_parse(&src, "::1", 0, NULL), 0);
	o.source = &src;
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, NULL, &ec),
	    ZK_EINVAL);
	/* A query that is not even a header. */
	o.source = NULL;
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, 5, buf, sizeof(buf), &rlen, &tc, NULL, &ec),
	    ZK_EINVAL);
}

/* -b: the reply goes to the bound source; the responder sees it. */
static void *udp_srcport_main(void *arg)
{
	udp_resp_t *u = arg;
	uint8_t q[512], r[1024];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(u->fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);

	if (n < 12)
		return NULL;
	u->fd2 = ntohs(from.sin_port); /* reuse as "seen source port" */
	usend(u->fd, &from, r, make_reply(q, (size_t)n, r, 0));
	return NULL;
}

static void test_udp_source(void **state)
{
	udp_resp_t u;
	zk_net_addr_t srv, src;
	zk_net_opts_t o = {.timeout_ms = 1000, .tries = 1};
	uint8_t q[64], buf[65535];
	size_t qn = make_query(q, 13, 1), rlen;
	uint16_t sport;
	bool tc;
	int fd = bind_lo(SOCK_DGRAM, &sport);

	(void)state;
	close(fd); /* a free port to bind to */
	memset(&u, 0, sizeof(u));
	u.fd = bind_lo(SOCK_DGRAM, &u.port);
	set_rcvtimeo(u.fd, 1500);
	assert_int_equal(pthread_create(&u.th, NULL, udp_srcport_main, &u), 0);
	server_addr(&srv, u.port);
	assert_int_equal(zk_net_addr_parse(&src, "127.0.0.1", sport, NULL), 0);
	o.source = &src;
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, NULL, NULL), 0);
	pthread_join(u.th, NULL);
	close(u.fd);
	assert_int_equal(u.fd2, sport);
}

/* IPv6 loopback: the same exchange over ::1 (skipped where the host has
 * no IPv6). */
static void *udp6_main(void *arg)
{
	int fd = *(int *)arg;
	uint8_t q[512], r[1024];
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);

	if (n >= 12)
		(void)sendto(fd, r, make_reply(q, (size_t)n, r, 0), 0, (struct sockaddr *)&from,
		             fl);
	return NULL;
}

static void test_udp6(void **state)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
	socklen_t len = sizeof(sin6);
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 1000, .tries = 1, .family = AF_INET6};
	zk_net_stats_t st = {0};
	uint8_t q[64], want[256], buf[65535];
	size_t qn = make_query(q, 0x0666, 28), wn = make_reply(q, qn, want, 0), rlen = 0;
	bool tc;
	pthread_t th;
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	(void)state;
	sin6.sin6_addr = in6addr_loopback;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) != 0) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin6, &len), 0);
	set_rcvtimeo(fd, 1500);
	assert_int_equal(pthread_create(&th, NULL, udp6_main, &fd), 0);
	assert_int_equal(zk_net_addr_parse(&srv, "::1", ntohs(sin6.sin6_port), NULL), 0);
	assert_int_equal(
	    zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, &st, NULL), 0);
	pthread_join(th, NULL);
	close(fd);
	assert_int_equal(rlen, wn);
	assert_memory_equal(buf, want, wn);
	assert_int_equal(st.mismatched, 0);
}

/* ---------------------------------------------------------------- TCP responder */

enum tmode { T_SLOW, T_REVERSE, T_STREAM, T_CLOSE, T_SILENT, T_BULK, T_HALF };

typedef struct tcp_resp {
	enum tmode mode;
	int lfd;
	uint16_t port;
	size_t nq; /* queries to expect */
	pthread_t th;
	SSL_CTX *sctx; /* TLS when set */
	int tls_ok;    /* the TLS handshake completed */
} tcp_resp_t;

typedef struct tconn {
	int fd;
	SSL *ssl;
} tconn_t;

static int t_read(tconn_t *c, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r;
		if (c->ssl != NULL) {
			int k = SSL_read(c->ssl, p, (int)n);
			r = k > 0 ? k : -1;
		} else {
			r = recv(c->fd, p, n, 0);
		}
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int t_write(tconn_t *c, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r;
		if (c->ssl != NULL) {
			int k = SSL_write(c->ssl, p, (int)n);
			r = k > 0 ? k : -1;
		} else {
			r = send(c->fd, p, n, MSG_NOSIGNAL);
		}
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int t_read_frame(tconn_t *c, uint8_t *q, size_t *n)
{
	uint8_t l[2];

	if (t_read(c, l, 2) != 0)
		return -1;
	*n = (size_t)(l[0] << 8 | l[1]);
	return t_read(c, q, *n);
}

static int t_write_frame(tconn_t *c, const uint8_t *r, size_t n)
{
	uint8_t l[2] = {(uint8_t)(n >> 8), (uint8_t)n};

	if (t_write(c, l, 2) != 0)
		return -1;
	return t_write(c, r, n);
}

static void *tcp_main(void *arg)
{
	tcp_resp_t *t = arg;
	tconn_t c = {.fd = -1, .ssl = NULL};
	struct pollfd p = {.fd = t->lfd, .events = POLLIN};
	uint8_t q[512], r[70000];
	size_t qn, rn;

	if (poll(&p, 1, 3000) != 1)
		return NULL;
	c.fd = accept(t->lfd, NULL, NULL);
	if (c.fd < 0)
		return NULL;
	set_rcvtimeo(c.fd, 3000);
	if (t->sctx != NULL) {
		c.ssl = SSL_new(t->sctx);
		SSL_set_fd(c.ssl, c.fd);
		if (SSL_accept(c.ssl) != 1)
			goto out;
		t->tls_ok = 1;
	}
	switch (t->mode) {
	case T_SLOW:
		/* Framing across partial reads: the reply one octet at a time. */
		if (t_read_frame(&c, q, &qn) != 0)
			goto out;
		rn = make_reply(q, qn, r + 2, 0);
		r[0] = (uint8_t)(rn >> 8), r[1] = (uint8_t)rn;
		for (size_t i = 0; i < rn + 2; i++) {
			if (t_write(&c, r + i, 1) != 0)
				goto out;
			usleep(2000);
		}
		break;
	case T_REVERSE: {
		/* Read all, answer in reverse order, with a stranger first. */
		static uint8_t qs[8][64];
		size_t ql[8];
		for (size_t i = 0; i < t->nq; i++)
			if (t_read_frame(&c, qs[i], &ql[i]) != 0)
				goto out;
		rn = make_reply(qs[0], ql[0], r, 0);
		r[0] ^= 0x80;
		r[1] ^= 0x80;
		t_write_frame(&c, r, rn);
		for (size_t i = t->nq; i-- > 0;) {
			rn = make_reply(qs[i], ql[i], r, 0);
			if (t_write_frame(&c, r, rn) != 0)
				goto out;
		}
		break;
	}
	case T_STREAM:
		/* A transfer: three messages with the query's ID, the later two
		 * with no question (RFC 5936 §2.2.1). */
		if (t_read_frame(&c, q, &qn) != 0)
			goto out;
		rn = make_reply(q, qn, r, 0);
		t_write_frame(&c, r, rn);
		r[5] = 0;
		memmove(r + 12, r + qn, rn - qn);
		t_write_frame(&c, r, rn - (qn - 12));
		t_write_frame(&c, r, rn - (qn - 12));
		break;
	case T_CLOSE: (void)t_read_frame(&c, q, &qn); break;
	case T_HALF:
		/* Close in the middle of a reply. */
		if (t_read_frame(&c, q, &qn) != 0)
			goto out;
		rn = make_reply(q, qn, r + 2, 0);
		r[0] = (uint8_t)(rn >> 8), r[1] = (uint8_t)rn;
		t_write(&c, r, 10);
		break;
	case T_SILENT:
		(void)t_read_frame(&c, q, &qn);
		(void)t_read(&c, q, 1); /* until the client gives up */
		break;
	case T_BULK:
		/* Answer each query at once with a large reply; the client
		 * writes its many queries while these pile up. */
		for (size_t i = 0; i < t->nq; i++) {
			if (t_read_frame(&c, q, &qn) != 0)
				goto out;
			rn = make_reply(q, qn, r, 4000);
			if (t_write_frame(&c, r, rn) != 0)
				goto out;
		}
		break;
	}
out:
	if (c.ssl != NULL) {
		SSL_shutdown(c.ssl);
		SSL_free(c.ssl);
	}
	close(c.fd);
	return NULL;
}

static void tcp_start(tcp_resp_t *t, enum tmode mode, size_t nq, SSL_CTX *sctx)
{
	memset(t, 0, sizeof(*t));
	t->mode = mode;
	t->nq = nq;
	t->sctx = sctx;
	t->lfd = bind_lo(SOCK_STREAM, &t->port);
	assert_int_equal(listen(t->lfd, 4), 0);
	assert_int_equal(pthread_create(&t->th, NULL, tcp_main, t), 0);
}

static void tcp_stop(tcp_resp_t *t)
{
	pthread_join(t->th, NULL);
	close(t->lfd);
}

/* ---------------------------------------------------------------- tests: TCP */

static void test_tcp_partial(void **state)
{
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 2000};
	zk_net_conn_t *c = NULL;
	zk_net_stats_t st = {0};
	uint8_t q[64], want[256], buf[65535];
	size_t qn = make_query(q, 0x4242, 1), wn = make_reply(q, qn, want, 0), rlen = 0;
	char info[64];

	(void)state;
	tcp_start(&t, T_SLOW, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_string_equal(zk_net_conn_tls_info(c, info, sizeof(info)), "");
	assert_int_equal(zk_net_stream_exchange(c, &o, q, qn, buf, sizeof(buf), &rlen, &st, NULL),
	                 0);
	zk_net_close(c);
	tcp_stop(&t);
	assert_int_equal(rlen, wn);
	assert_memory_equal(buf, want, wn);
	assert_int_equal(st.sent, 1);
	assert_int_equal(st.bytes_in, wn);
}

typedef struct collect {
	size_t n;
	size_t order[16];
	uint16_t ids[16];
	size_t calls;
	int ret[16]; /* what to return per call */
} collect_t;

static int collect_cb(void *ud, size_t index, const uint8_t *msg, size_t len)
{
	collect_t *cc = ud;

	assert_true(len >= 12);
	if (cc->calls < 16) {
		cc->order[cc->calls] = index;
		cc->ids[cc->calls] = (uint16_t)(msg[0] << 8 | msg[1]);
	}
	return cc->ret[cc->calls++ % 16];
}

static void test_tcp_pipeline(void **state)
{
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 2000};
	zk_net_conn_t *c = NULL;
	zk_net_stats_t st = {0};
	uint8_t q[4][64];
	const uint8_t *qs[4];
	size_t ql[4];
	collect_t cc = {0};

	(void)state;
	for (int i = 0; i < 4; i++) {
		ql[i] = make_query(q[i], (uint16_t)(100 + i), (uint16_t)(1 + i));
		qs[i] = q[i];
	}
	tcp_start(&t, T_REVERSE, 4, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_pipeline(c, &o, 4, qs, ql, collect_cb, &cc, &st, NULL), 0);
	zk_net_close(c);
	tcp_stop(&t);
	assert_int_equal(cc.calls, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(cc.order[i], 3 - i);
		assert_int_equal(cc.ids[i], 103 - i);
	}
	assert_int_equal(st.sent, 4);
	assert_int_equal(st.mismatched, 1);
	assert_int_equal(st.why[ZK_NET_MM_ID], 1);

	/* Two queries with one ID cannot be told apart. */
	zk_errctx_t ec;
	zk_errctx_init(&ec);
	qs[1] = q[0];
	assert_int_equal(zk_net_pipeline(c = NULL, &o, 2, qs, ql, collect_cb, &cc, NULL, &ec),
	                 ZK_EINVAL);
	assert_string_equal(ec.msg, "two queries with ID 100");
}

static void test_tcp_stream(void **state)
{
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 2000};
	zk_net_conn_t *c = NULL;
	uint8_t q[64];
	size_t qn = make_query(q, 0x7777, 252);
	collect_t cc = {.ret = {1, 1, 0}};

	(void)state;
	tcp_start(&t, T_STREAM, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_stream(c, &o, q, qn, collect_cb, &cc, NULL, NULL), 0);
	zk_net_close(c);
	tcp_stop(&t);
	assert_int_equal(cc.calls, 3);
	assert_int_equal(cc.ids[2], 0x7777);

	/* The callback's error stops the stream and is returned. */
	cc = (collect_t){.ret = {1, ZK_EZONE}};
	tcp_start(&t, T_STREAM, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_stream(c, &o, q, qn, collect_cb, &cc, NULL, NULL), ZK_EZONE);
	zk_net_close(c);
	tcp_stop(&t);
	assert_int_equal(cc.calls, 2);

	/* Without "more": the first message ends it; the rest is unread. */
	cc = (collect_t){.ret = {0}};
	tcp_start(&t, T_STREAM, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_stream(c, &o, q, qn, collect_cb, &cc, NULL, NULL), 0);
	/* The next two are still there for a low-level read. */
	const uint8_t *m;
	size_t ml;
	assert_int_equal(zk_net_recv(c, &m, &ml, 1000, NULL), 0);
	assert_int_equal(ml, 12 + 16);
	assert_int_equal(m[5], 0);
	zk_net_close(c);
	tcp_stop(&t);
}

static void test_tcp_errors(void **state)
{
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 300};
	zk_net_conn_t *c = NULL;
	uint8_t q[64], buf[65535];
	size_t qn = make_query(q, 1, 1), rlen = 99;
	zk_errctx_t ec;
	uint64_t t0, dt;
	uint16_t port;
	int fd;

	(void)state;
	zk_errctx_init(&ec);
	/* Closed before the reply. */
	tcp_start(&t, T_CLOSE, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_stream_exchange(c, &o, q, qn, buf, sizeof(buf), &rlen, NULL, &ec),
	                 ZK_ENET);
	assert_string_equal(ec.msg, "connection closed with 1 reply missing");
	assert_int_equal(rlen, 99);
	zk_net_close(c);
	tcp_stop(&t);

	/* Closed inside a reply: the low-level read says so. */
	tcp_start(&t, T_HALF, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_send(c, q, qn, 1000, NULL), 0);
	const uint8_t *m;
	size_t ml;
	assert_int_equal(zk_net_recv(c, &m, &ml, 1000, &ec), ZK_ENET);
	assert_string_equal(ec.msg, "connection closed inside a message");
	zk_net_close(c);
	tcp_stop(&t);

	/* Silence: bounded by the timeout. */
	tcp_start(&t, T_SILENT, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	t0 = mono_ms();
	assert_int_equal(zk_net_stream_exchange(c, &o, q, qn, buf, sizeof(buf), &rlen, NULL, &ec),
	                 ZK_ETIMEOUT);
	dt = mono_ms() - t0;
	assert_true(dt >= 295 && dt < 1500);
	assert_string_equal(ec.msg, "timed out with 1 reply missing");
	zk_net_close(c);
	tcp_stop(&t);

	/* A trickle (an octet every 2 ms): each wait is short, the whole is
	 * bounded by total_ms. */
	tcp_start(&t, T_SLOW, 1, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	o.total_ms = 20;
	t0 = mono_ms();
	assert_int_equal(zk_net_stream_exchange(c, &o, q, qn, buf, sizeof(buf), &rlen, NULL, &ec),
	                 ZK_ETIMEOUT);
	dt = mono_ms() - t0;
	assert_true(dt >= 19 && dt < 500);
	assert_string_equal(ec.msg, "not done within 20 ms");
	o.total_ms = 0;
	zk_net_close(c);
	tcp_stop(&t);

	/* Refused. */
	fd = bind_lo(SOCK_STREAM, &port);
	close(fd);
	server_addr(&srv, port);
	c = NULL;
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, &ec), ZK_ENET);
	assert_null(c);
	assert_string_equal(ec.msg, "connect: connection refused");
}

static void test_tcp_bulk(void **state)
{
	enum { N = 400 };
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 3000};
	zk_net_conn_t *c = NULL;
	zk_net_stats_t st = {0};
	static uint8_t q[N][64];
	const uint8_t *qs[N];
	size_t ql[N];
	collect_t cc = {0};

	(void)state;
	for (int i = 0; i < N; i++) {
		ql[i] = make_query(q[i], (uint16_t)(1000 + i), 1);
		qs[i] = q[i];
	}
	tcp_start(&t, T_BULK, N, NULL);
	server_addr(&srv, t.port);
	assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
	assert_int_equal(zk_net_pipeline(c, &o, N, qs, ql, collect_cb, &cc, &st, NULL), 0);
	zk_net_close(c);
	tcp_stop(&t);
	assert_int_equal(cc.calls, N);
	assert_int_equal(st.sent, N);
	assert_int_equal(st.mismatched, 0);
	assert_int_equal(cc.ids[15], 1015); /* this responder keeps the order */
}

/* ---------------------------------------------------------------- TLS */

typedef struct pki {
	char dir[64];
	char ca[128], cert[128], key[128], ccert[128], ckey[128];
	bool ok;
} pki_t;

static pki_t pki;

/* A test CA and a server certificate for dns.test and 127.0.0.1, made
 * with the openssl CLI (valid two days: made afresh on every run). */
static int pki_setup(void **state)
{
	char cmd[2048], ext[160];
	FILE *f;

	(void)state;
	snprintf(pki.dir, sizeof(pki.dir), "/tmp/zk-net-XXXXXX");
	if (mkdtemp(pki.dir) == NULL)
		return 0;
	snprintf(pki.ca, sizeof(pki.ca), "%s/ca.pem", pki.dir);
	snprintf(pki.cert, sizeof(pki.cert), "%s/srv.pem", pki.dir);
	snprintf(pki.key, sizeof(pki.key), "%s/srv.key", pki.dir);
	snprintf(pki.ccert, sizeof(pki.ccert), "%s/client.pem", pki.dir);
	snprintf(pki.ckey, sizeof(pki.ckey), "%s/client.key", pki.dir);
	snprintf(ext, sizeof(ext), "%s/ext.cnf", pki.dir);
	f = fopen(ext, "w");
	if (f == NULL)
		return 0;
	fprintf(f, "subjectAltName=DNS:dns.test,IP:127.0.0.1\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "cd %s && "
	         "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	         "-keyout ca.key -out ca.pem -days 2 -subj /CN=zkit-test-ca "
	         "-addext basicConstraints=critical,CA:TRUE "
	         "-addext keyUsage=critical,keyCertSign >/dev/null 2>&1 && "
	         "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	         "-keyout srv.key -out srv.csr -subj /CN=dns.test >/dev/null 2>&1 && "
	         "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
	         "-days 2 -extfile ext.cnf -out srv.pem >/dev/null 2>&1 && "
	         "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	         "-keyout client.key -out client.csr -subj /CN=client >/dev/null 2>&1 && "
	         "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
	         "-days 2 -out client.pem >/dev/null 2>&1",
	         pki.dir);
	pki.ok = system(cmd) == 0;
	return 0;
}

static int pki_teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (pki.dir[0] != '\0' && strncmp(pki.dir, "/tmp/zk-net-", 12) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pki.dir);
		(void)system(cmd);
	}
	return 0;
}

/* need_client: the server insists on a client certificate from our CA. */
static SSL_CTX *server_ctx(bool need_client)
{
	SSL_CTX *s = SSL_CTX_new(TLS_server_method());

	assert_non_null(s);
	assert_int_equal(SSL_CTX_use_certificate_chain_file(s, pki.cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(s, pki.key, SSL_FILETYPE_PEM), 1);
	if (need_client) {
		assert_int_equal(SSL_CTX_load_verify_locations(s, pki.ca, NULL), 1);
		SSL_CTX_set_verify(s, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	return s;
}

static bool need_client_cert;

static int tls_try(const zk_net_tls_t *tls, zk_errctx_t *ec, char *info, size_t cap, uint8_t *buf,
                   size_t *rlen)
{
	tcp_resp_t t;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 3000};
	zk_net_conn_t *c = NULL;
	uint8_t q[64];
	size_t qn = make_query(q, 0x0853, 1);
	SSL_CTX *sctx = server_ctx(need_client_cert);
	int rc;

	tcp_start(&t, T_SLOW, 1, sctx);
	server_addr(&srv, t.port);
	rc = zk_net_connect(&c, &srv, &o, tls, ec);
	if (rc == 0) {
		zk_net_conn_tls_info(c, info, cap);
		rc = zk_net_stream_exchange(c, &o, q, qn, buf, 65535, rlen, NULL, ec);
		zk_net_close(c);
	}
	tcp_stop(&t);
	SSL_CTX_free(sctx);
	return rc;
}

static void test_tls(void **state)
{
	zk_net_tls_t tls = {0};
	zk_errctx_t ec;
	char info[80];
	uint8_t buf[65535], q[64], want[256];
	size_t rlen = 0, qn = make_query(q, 0x0853, 1), wn = make_reply(q, qn, want, 0);

	(void)state;
	if (!pki.ok)
		skip();
	zk_errctx_init(&ec);

	/* Strict: our CA, the right name. */
	tls.verify = true;
	tls.ca_file = pki.ca;
	tls.hostname = "dns.test";
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), 0);
	assert_int_equal(strncmp(info, "TLSv1.3/", 8), 0);
	assert_int_equal(rlen, wn);
	assert_memory_equal(buf, want, wn);

	/* Strict by address: the certificate lists IP:127.0.0.1. */
	tls.hostname = NULL;
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), 0);
	tls.hostname = "127.0.0.1";
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), 0);

	/* Wrong name. */
	tls.hostname = "other.test";
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), ZK_ECRYPTO);
	assert_string_equal(ec.msg,
	                    "TLS handshake: certificate verification failed: hostname mismatch");
	assert_int_equal(strncmp(ec.peer, "127.0.0.1#", 10), 0);

	/* Not our CA: the system store does not know the test CA. */
	tls.hostname = "dns.test";
	tls.ca_file = NULL;
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), ZK_ECRYPTO);
	assert_string_equal(ec.msg, "TLS handshake: certificate verification failed: "
	                            "unable to get local issuer certificate");

	/* A CA file that does not exist. */
	tls.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), ZK_ECRYPTO);
	assert_int_equal(strncmp(ec.msg, "/nonexistent/ca.pem: ", 21), 0);

	/* Opportunistic: encrypted, not authenticated. */
	tls = (zk_net_tls_t){0};
	rlen = 0;
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), 0);
	assert_int_equal(rlen, wn);

	/* Client certificates: refused without one, accepted with ours. */
	need_client_cert = true;
	tls = (zk_net_tls_t){.verify = true, .ca_file = pki.ca, .hostname = "dns.test"};
	/* TLS 1.3: the server checks after our handshake is done; we learn
	 * of it as a reset or an alert on the next write or read. */
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), ZK_ENET);
	assert_int_equal(strncmp(ec.msg, "TLS ", 4), 0);
	tls.cert_file = pki.ccert;
	tls.key_file = pki.ckey;
	rlen = 0;
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), 0);
	assert_int_equal(rlen, wn);
	/* A key that does not belong to the certificate. */
	tls.key_file = pki.key;
	assert_int_equal(tls_try(&tls, &ec, info, sizeof(info), buf, &rlen), ZK_ECRYPTO);
	need_client_cert = false;
	tls = (zk_net_tls_t){0};

	/* TLS to a plain TCP responder fails within the bound. */
	{
		tcp_resp_t t;
		zk_net_addr_t srv;
		zk_net_opts_t o = {.timeout_ms = 500};
		zk_net_conn_t *c = NULL;
		uint64_t t0 = mono_ms();

		tcp_start(&t, T_SILENT, 1, NULL);
		server_addr(&srv, t.port);
		assert_int_not_equal(zk_net_connect(&c, &srv, &o, &tls, &ec), 0);
		assert_null(c);
		assert_true(mono_ms() - t0 < 2500);
		tcp_stop(&t);
	}
}

/* ---------------------------------------------------------------- named */

/* A real peer: BIND named 9.18 with a DoT listener on an ephemeral
 * (self-signed) certificate, started by this test and stopped by PID. */
static size_t make_query_for(uint8_t *q, uint16_t id, const char *name, uint16_t qtype)
{
	size_t n = 12;

	memset(q, 0, 12);
	q[0] = (uint8_t)(id >> 8);
	q[1] = (uint8_t)id;
	q[5] = 1;
	while (*name != '\0') {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		q[n++] = (uint8_t)l;
		memcpy(q + n, name, l);
		n += l;
		name += l + (dot != NULL);
	}
	q[n++] = 0;
	q[n++] = (uint8_t)(qtype >> 8);
	q[n++] = (uint8_t)qtype;
	q[n++] = 0;
	q[n++] = 1;
	return n;
}

static bool has_bytes(const uint8_t *p, size_t n, const void *what, size_t wn)
{
	for (size_t i = 0; i + wn <= n; i++)
		if (memcmp(p + i, what, wn) == 0)
			return true;
	return false;
}

static int axfr_cb(void *ud, size_t index, const uint8_t *msg, size_t len)
{
	unsigned *ancount = ud;

	(void)index;
	assert_true(len > 12);
	*ancount += (unsigned)(msg[6] << 8 | msg[7]);
	/* The zone is small: one message holds it, SOA to SOA. */
	return 0;
}

static void test_named(void **state)
{
	char dir[] = "/tmp/zk-named-XXXXXX", path[128], cmd[256];
	uint16_t port, tport;
	int fd1, fd2;
	pid_t pid;
	FILE *f;
	zk_net_addr_t srv;
	zk_net_opts_t o = {.timeout_ms = 300, .tries = 1};
	uint8_t q[512], q2[512], buf[65535];
	size_t qn, rlen = 0;
	bool tc, up = false;
	zk_net_conn_t *c = NULL;
	zk_net_tls_t tls = {0};
	collect_t cc = {0};
	unsigned ancount = 0;
	char info[80];

	(void)state;
	if (system("command -v named >/dev/null 2>&1") != 0)
		skip();
	assert_non_null(mkdtemp(dir));
	/* Two free ports (the kernel's choice, then released). */
	fd1 = bind_lo(SOCK_STREAM, &port);
	fd2 = bind_lo(SOCK_STREAM, &tport);
	close(fd1);
	close(fd2);
	snprintf(path, sizeof(path), "%s/named.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
	        "options { directory \"%s\"; pid-file none; recursion no;\n"
	        "  listen-on port %u { 127.0.0.1; };\n"
	        "  listen-on port %u tls ephemeral { 127.0.0.1; };\n"
	        "  listen-on-v6 { none; }; dnssec-validation no; };\n"
	        "zone \"example\" { type primary; file \"example.db\"; };\n",
	        dir, port, tport);
	fclose(f);
	snprintf(path, sizeof(path), "%s/example.db", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("$TTL 300\n@ SOA ns1 admin 1 3600 600 86400 300\n@ NS ns1\n"
	      "ns1 A 192.0.2.53\nwww A 192.0.2.80\n",
	      f);
	fclose(f);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/named.conf", dir);
		snprintf(cmd, sizeof(cmd), "%s/named.log", dir);
		if (freopen(cmd, "w", stdout) == NULL || freopen(cmd, "w", stderr) == NULL)
			_exit(127);
		execlp("named", "named", "-g", "-c", path, (char *)NULL);
		_exit(127);
	}

	server_addr(&srv, port);
	qn = make_query_for(q, 0x5151, "www.example", 1);
	for (int i = 0; i < 50 && !up; i++) {
		up = zk_net_udp_exchange(&srv, &o, q, qn, buf, sizeof(buf), &rlen, &tc, NULL,
		                         NULL) == 0;
		if (!up)
			usleep(100000);
	}
	if (up) {
		/* UDP: one answer, www's A record 192.0.2.80. */
		assert_int_equal(buf[7], 1);
		assert_true(has_bytes(buf, rlen, "\xc0\x00\x02\x50", 4));

		/* TCP, three pipelined queries. */
		uint8_t q3[512];
		const uint8_t *qs[3] = {q, q2, q3};
		size_t ql[3] = {qn, make_query_for(q2, 2, "ns1.example", 1),
		                make_query_for(q3, 3, "example", 6)};
		o.timeout_ms = 3000;
		assert_int_equal(zk_net_connect(&c, &srv, &o, NULL, NULL), 0);
		assert_int_equal(zk_net_pipeline(c, &o, 3, qs, ql, collect_cb, &cc, NULL, NULL), 0);
		zk_net_close(c);
		assert_int_equal(cc.calls, 3);

		/* DoT (opportunistic: named's certificate is ephemeral), a query
		 * and a zone transfer on the same connection. */
		zk_net_addr_set_port(&srv, tport);
		assert_int_equal(zk_net_connect(&c, &srv, &o, &tls, NULL), 0);
		zk_net_conn_tls_info(c, info, sizeof(info));
		assert_int_equal(strncmp(info, "TLSv1.3/", 8), 0);
		assert_int_equal(
		    zk_net_stream_exchange(c, &o, q, qn, buf, sizeof(buf), &rlen, NULL, NULL), 0);
		assert_true(has_bytes(buf, rlen, "\xc0\x00\x02\x50", 4));
		qn = make_query_for(q, 0x0afe, "example", 252);
		assert_int_equal(zk_net_stream(c, &o, q, qn, axfr_cb, &ancount, NULL, NULL), 0);
		zk_net_close(c);
		assert_int_equal(ancount, 5); /* SOA NS A A SOA */

		/* Strict: the ephemeral certificate is nobody's. */
		tls.verify = true;
		c = NULL;
		assert_int_equal(zk_net_connect(&c, &srv, &o, &tls, NULL), ZK_ECRYPTO);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
	assert_true(up);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addr),         cmocka_unit_test(test_random),
	    cmocka_unit_test(test_match),        cmocka_unit_test(test_udp_ok),
	    cmocka_unit_test(test_udp_mismatch), cmocka_unit_test(test_udp_tc),
	    cmocka_unit_test(test_udp_timeout),  cmocka_unit_test(test_udp_retry),
	    cmocka_unit_test(test_udp_refused),  cmocka_unit_test(test_udp_family),
	    cmocka_unit_test(test_udp_source),   cmocka_unit_test(test_udp6),
	    cmocka_unit_test(test_tcp_partial),  cmocka_unit_test(test_tcp_pipeline),
	    cmocka_unit_test(test_tcp_stream),   cmocka_unit_test(test_tcp_errors),
	    cmocka_unit_test(test_tcp_bulk),     cmocka_unit_test(test_tls),
	    cmocka_unit_test(test_named),
	};

	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
