/* net — UDP with retries, TCP framing and pipelining, TLS (DoT).
 *
 * Replies come from the network and are untrusted: only the header and
 * the question section are looked at here, through bounds-checked reads
 * and name.c's pointer-safe decompression. Every wait is a poll() against
 * a deadline on the monotonic clock, restarted after EINTR.
 *
 * TLS lives here rather than in crypto.c: it is transport, and the
 * connection state (SSL, SSL_CTX, our socket BIO) belongs to the
 * connection. Keys and signatures stay in crypto.c. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "name.h"
#include "net.h"

#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_TRIES      3
#define FRAME_MAX          (2 + 65535)

/* ---------------------------------------------------------------- helpers */

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t deadline_after(unsigned ms)
{
	return now_us() + (uint64_t)ms * 1000u;
}

static unsigned timeout_of(const zk_net_opts_t *o)
{
	return o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
}

/* Record an error with the server as its location. */
static int net_error(zk_errctx_t *ec, const zk_net_addr_t *peer, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int net_error(zk_errctx_t *ec, const zk_net_addr_t *peer, int code, const char *fmt, ...)
{
	va_list ap;

	if (ec == NULL)
		return code;
	ec->code = code;
	va_start(ap, fmt);
	vsnprintf(ec->msg, sizeof(ec->msg), fmt, ap);
	va_end(ap);
	if (peer != NULL && peer->len > 0)
		zk_net_addr_to_text(peer, ec->peer, sizeof(ec->peer));
	return code;
}

/* Wait for events on fd until deadline (monotonic µs). Returns the
 * revents (> 0), 0 at the deadline, or ZK_ENET. */
static int wait_fd(int fd, short events, uint64_t deadline, const zk_net_addr_t *peer,
                   zk_errctx_t *ec)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events, .revents = 0};
		uint64_t now = now_us(), left;
		int r;

		if (now >= deadline)
			return 0;
		left = (deadline - now + 999) / 1000;
		r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0 && p.revents != 0)
			return p.revents;
		if (r < 0 && errno != EINTR)
			return net_error(ec, peer, ZK_ENET, "poll: %s", strerror(errno));
	}
}

static void stats_mismatch(zk_net_stats_t *st, enum zk_net_mismatch why)
{
	if (st == NULL)
		return;
	st->mismatched++;
	st->why[why]++;
}

/* ---------------------------------------------------------------- addresses */

int zk_net_addr_parse(zk_net_addr_t *out, const char *s, uint16_t port, zk_errctx_t *ec)
{
	zk_net_addr_t a;
	char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	const char *pct;

	memset(&a, 0, sizeof(a));
	if (strlen(s) >= sizeof(host))
		return zk_error(ec, ZK_EINVAL, "'%s' is not an IP address", s);
	struct sockaddr_in *sin = (struct sockaddr_in *)&a.ss;
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		a.len = sizeof(*sin);
		*out = a;
		return 0;
	}
	/* IPv6, with an optional %scope (RFC 4007 §11). */
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a.ss;
	pct = strchr(s, '%');
	memcpy(host, s, pct ? (size_t)(pct - s) : strlen(s));
	host[pct ? (size_t)(pct - s) : strlen(s)] = '\0';
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
		return zk_error(ec, ZK_EINVAL, "'%s' is not an IP address", s);
	if (pct != NULL) {
		char *end;
		unsigned long v;

		if (pct[1] == '\0')
			return zk_error(ec, ZK_EINVAL, "'%s': empty scope", s);
		v = if_nametoindex(pct + 1);
		if (v == 0) {
			v = strtoul(pct + 1, &end, 10);
			if (*end != '\0' || v == 0 || v > UINT32_MAX)
				return zk_error(ec, ZK_EINVAL, "'%s': unknown interface", s);
		}
		sin6->sin6_scope_id = (uint32_t)v;
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	a.len = sizeof(*sin6);
	*out = a;
	return 0;
}

void zk_net_addr_set_port(zk_net_addr_t *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

uint16_t zk_net_addr_port(const zk_net_addr_t *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return 0;
}

int zk_net_addr_family(const zk_net_addr_t *a)
{
	if (a->len == 0)
		return AF_UNSPEC;
	return a->ss.ss_family == AF_INET || a->ss.ss_family == AF_INET6 ? a->ss.ss_family
	                                                                 : AF_UNSPEC;
}

bool zk_net_addr_eq(const zk_net_addr_t *a, const zk_net_addr_t *b)
{
	if (a->ss.ss_family != b->ss.ss_family)
		return false;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss, *y = (const void *)&b->ss;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss, *y = (const void *)&b->ss;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

size_t zk_net_addr_host_text(const zk_net_addr_t *a, char *buf, size_t cap)
{
	char tmp[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "";
	int n;

	if (a->ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->ss)->sin_addr, tmp,
		          sizeof(tmp));
	} else if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&a->ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, tmp, sizeof(tmp));
		if (s6->sin6_scope_id != 0) {
			size_t l = strlen(tmp);
			char ifname[IF_NAMESIZE];
			if (if_indextoname(s6->sin6_scope_id, ifname) != NULL)
				snprintf(tmp + l, sizeof(tmp) - l, "%%%s", ifname);
			else
				snprintf(tmp + l, sizeof(tmp) - l, "%%%u",
				         (unsigned)s6->sin6_scope_id);
		}
	} else {
		snprintf(tmp, sizeof(tmp), "?");
	}
	n = snprintf(buf, cap, "%s", tmp);
	return n < 0 ? 0 : (size_t)n;
}

size_t zk_net_addr_to_text(const zk_net_addr_t *a, char *buf, size_t cap)
{
	char host[ZK_NET_ADDRSTRLEN];
	int n;

	zk_net_addr_host_text(a, host, sizeof(host));
	n = snprintf(buf, cap, "%s#%u", host, (unsigned)zk_net_addr_port(a));
	return n < 0 ? 0 : (size_t)n;
}

/* ---------------------------------------------------------------- random */

int zk_net_random_id(uint16_t *id)
{
	uint8_t b[2];
	/* crypto's CSPRNG (OpenSSL RAND_bytes, seeded from the kernel). */
	int rc = zk_random_bytes(b, sizeof(b));

	if (rc == 0)
		*id = zk_get_u16(b);
	return rc;
}

/* ---------------------------------------------------------------- matching */

const char *zk_net_mismatch_text(enum zk_net_mismatch why)
{
	switch (why) {
	case ZK_NET_MM_SOURCE: return "reply from unexpected source";
	case ZK_NET_MM_SHORT: return "reply too short or too long";
	case ZK_NET_MM_ID: return "ID mismatch";
	case ZK_NET_MM_QR: return "QR bit not set";
	case ZK_NET_MM_OPCODE: return "opcode mismatch";
	case ZK_NET_MM_QUESTION: return "question section mismatch";
	case ZK_NET_MM_COUNT: break;
	}
	return "mismatch";
}

#define HDR_OPCODE(flags) (((flags) >> 11) & 0x0f)

static int mismatch(enum zk_net_mismatch *why, enum zk_net_mismatch w)
{
	if (why != NULL)
		*why = w;
	return ZK_EMISMATCH;
}

int zk_net_reply_match(const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
                       unsigned flags, enum zk_net_mismatch *why)
{
	uint16_t qflags, rflags, qd, rqd;
	size_t qpos = 12, rpos = 12;

	if (rlen < 12 || qlen < 12)
		return mismatch(why, ZK_NET_MM_SHORT);
	if (zk_get_u16(query) != zk_get_u16(reply))
		return mismatch(why, ZK_NET_MM_ID);
	qflags = zk_get_u16(query + 2);
	rflags = zk_get_u16(reply + 2);
	if (!(rflags & 0x8000))
		return mismatch(why, ZK_NET_MM_QR);
	if (HDR_OPCODE(qflags) != HDR_OPCODE(rflags))
		return mismatch(why, ZK_NET_MM_OPCODE);
	qd = zk_get_u16(query + 4);
	rqd = zk_get_u16(reply + 4);
	if (rqd == 0 && (flags & ZK_NET_MATCH_NOQUESTION))
		return 0;
	if (qd != rqd)
		return mismatch(why, ZK_NET_MM_QUESTION);
	for (uint16_t i = 0; i < qd; i++) {
		zk_name_t qn, rn;

		if (zk_name_from_wire(&qn, query, qlen, &qpos, NULL) != 0 || qlen - qpos < 4)
			return mismatch(why, ZK_NET_MM_QUESTION);
		if (zk_name_from_wire(&rn, reply, rlen, &rpos, NULL) != 0 || rlen - rpos < 4)
			return mismatch(why, ZK_NET_MM_QUESTION);
		/* RFC 1035 §7.3 / RFC 5452 §9.1: name, type and class must
		 * all be those asked; the name's case may differ (0x20). */
		if (!zk_name_eq(&qn, &rn) || memcmp(query + qpos, reply + rpos, 4) != 0)
			return mismatch(why, ZK_NET_MM_QUESTION);
		qpos += 4;
		rpos += 4;
	}
	return 0;
}

/* ---------------------------------------------------------------- sockets */

static int check_family(const zk_net_addr_t *server, const zk_net_opts_t *o, zk_errctx_t *ec)
{
	int fam = zk_net_addr_family(server);

	if (fam == AF_UNSPEC)
		return zk_error(ec, ZK_EINVAL, "no server address");
	if (o->family != AF_UNSPEC && o->family != fam)
		return net_error(ec, server, ZK_EINVAL, "address family not allowed (%s only)",
		                 o->family == AF_INET ? "IPv4" : "IPv6");
	if (o->source != NULL && zk_net_addr_family(o->source) != fam)
		return net_error(ec, server, ZK_EINVAL,
		                 "source address and server are of different families");
	return 0;
}

static int open_socket(const zk_net_addr_t *server, const zk_net_opts_t *o, int type,
                       zk_errctx_t *ec)
{
	int fd = socket(server->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return net_error(ec, server, ZK_ENET, "socket: %s", strerror(errno));
	if (o->source != NULL) {
		int one = 1;
		char txt[ZK_NET_ADDRSTRLEN];

		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&o->source->ss, o->source->len) != 0) {
			int e = errno;
			close(fd);
			zk_net_addr_to_text(o->source, txt, sizeof(txt));
			return net_error(ec, server, ZK_ENET, "bind to %s: %s", txt, strerror(e));
		}
	}
	return fd;
}

/* ---------------------------------------------------------------- UDP */

/* After POLLERR or a failed receive: the pending socket error, if any.
 * With IP_RECVERR the kernel also queues the ICMP message; drain it so
 * that poll stops reporting POLLERR. */
static int udp_socket_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	uint8_t junk[64];

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
#ifdef MSG_ERRQUEUE
	for (int i = 0; i < 16; i++) {
		struct iovec iov = {.iov_base = junk, .iov_len = sizeof(junk)};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
		if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
	}
#endif
	return err;
}

static int udp_send(int fd, const zk_net_addr_t *server, const uint8_t *q, size_t qlen,
                    uint64_t deadline, zk_errctx_t *ec)
{
	for (;;) {
		ssize_t r =
		    sendto(fd, q, qlen, 0, (const struct sockaddr *)&server->ss, server->len);
		if (r >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int ev = wait_fd(fd, POLLOUT, deadline, server, ec);
			if (ev < 0)
				return ev;
			if (ev == 0)
				return net_error(ec, server, ZK_ETIMEOUT, "cannot send");
			continue;
		}
		return net_error(ec, server, ZK_ENET, "send: %s", strerror(errno));
	}
}

int zk_net_udp_open(const zk_net_addr_t *server, const zk_net_opts_t *o, zk_errctx_t *ec)
{
	int fd, rc = check_family(server, o, ec);

	if (rc != 0)
		return rc;
	fd = open_socket(server, o, SOCK_DGRAM, ec);
	if (fd < 0)
		return fd;
	{
		/* ICMP errors (port unreachable) on an unconnected socket:
		 * without this only a connected socket would see them, and a
		 * connected one would let the kernel drop replies from other
		 * sources before we could count them. */
		int one = 1;
#ifdef IP_RECVERR
		if (server->ss.ss_family == AF_INET)
			(void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
#endif
#ifdef IPV6_RECVERR
		if (server->ss.ss_family == AF_INET6)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
#endif
		(void)one;
	}
	return fd;
}

int zk_net_udp_check(const zk_net_addr_t *server, const zk_net_addr_t *from, bool truncated,
                     const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
                     unsigned flags, enum zk_net_mismatch *why)
{
	/* the order of the checks decides the reason counted */
	if (!zk_net_addr_eq(from, server))
		return mismatch(why, ZK_NET_MM_SOURCE);
	if (truncated)
		return mismatch(why, ZK_NET_MM_SHORT);
	return zk_net_reply_match(query, qlen, reply, rlen, flags, why);
}

int zk_net_udp_error(int fd, zk_net_addr_t *dest, uint8_t *buf, size_t cap, size_t *len, int *err)
{
#ifdef MSG_ERRQUEUE
	union {
		struct cmsghdr h;
		uint8_t b[512];
	} ctl;
	zk_net_addr_t to;
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	struct msghdr mh = {.msg_name = &to.ss,
	                    .msg_namelen = sizeof(to.ss),
	                    .msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = ctl.b,
	                    .msg_controllen = sizeof(ctl.b)};
	ssize_t n;
	int e = 0;

	memset(&to, 0, sizeof(to));
	n = recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		/* struct sock_extended_err opens with ee_errno (a u32) */
		if ((c->cmsg_level == IPPROTO_IP || c->cmsg_level == IPPROTO_IPV6) &&
		    c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			uint32_t v;
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			e = (int)v;
		}
	}
	to.len = mh.msg_namelen;
	*dest = to;
	*len = (size_t)n;
	*err = e != 0 ? e : EIO;
	return 1;
#else
	(void)fd, (void)dest, (void)buf, (void)cap, (void)len, (void)err;
	return 0;
#endif
}

int zk_net_udp_exchange(const zk_net_addr_t *server, const zk_net_opts_t *o, const uint8_t *query,
                        size_t qlen, uint8_t *buf, size_t cap, size_t *rlen, bool *tc,
                        zk_net_stats_t *st, zk_errctx_t *ec)
{
	unsigned tries = o->tries ? o->tries : DEFAULT_TRIES;
	uint64_t start;
	int fd, rc;

	if (qlen < 12 || qlen > 65535)
		return zk_error(ec, ZK_EINVAL, "query of %zu octets", qlen);
	fd = zk_net_udp_open(server, o, ec);
	if (fd < 0)
		return fd;

	start = now_us();
	for (unsigned t = 0; t < tries; t++) {
		uint64_t deadline = deadline_after(timeout_of(o));

		rc = udp_send(fd, server, query, qlen, deadline, ec);
		if (rc != 0)
			goto fail;
		if (st != NULL) {
			st->sent++;
			st->bytes_out += qlen;
		}
		for (;;) {
			zk_net_addr_t from;
			struct iovec iov = {.iov_base = buf, .iov_len = cap};
			struct msghdr mh = {.msg_name = &from.ss,
			                    .msg_namelen = sizeof(from.ss),
			                    .msg_iov = &iov,
			                    .msg_iovlen = 1};
			enum zk_net_mismatch why;
			ssize_t n;
			int ev = wait_fd(fd, POLLIN, deadline, server, ec);

			if (ev < 0) {
				rc = ev;
				goto fail;
			}
			if (ev == 0)
				break; /* this try timed out */
			if (ev & POLLERR) {
				int e = udp_socket_error(fd);
				if (e != 0) {
					rc = net_error(ec, server, ZK_ENET, "%s",
					               e == ECONNREFUSED ? "connection refused"
					                                 : strerror(e));
					goto fail;
				}
				if (!(ev & POLLIN))
					continue;
			}
			memset(&from, 0, sizeof(from));
			n = recvmsg(fd, &mh, 0);
			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
					continue;
				if (errno == ECONNREFUSED)
					(void)udp_socket_error(fd);
				rc = net_error(ec, server, ZK_ENET, "%s",
				               errno == ECONNREFUSED ? "connection refused"
				                                     : strerror(errno));
				goto fail;
			}
			from.len = mh.msg_namelen;
			if (zk_net_udp_check(server, &from, (mh.msg_flags & MSG_TRUNC) != 0, query,
			                     qlen, buf, (size_t)n, o->match_flags, &why) != 0) {
				stats_mismatch(st, why);
				continue;
			}
			if (st != NULL) {
				st->bytes_in += (size_t)n;
				st->elapsed_us = now_us() - start;
			}
			close(fd);
			*rlen = (size_t)n;
			*tc = (zk_get_u16(buf + 2) & 0x0200) != 0;
			return 0;
		}
	}
	rc = net_error(ec, server, ZK_ETIMEOUT, "no reply after %u tr%s of %u ms", tries,
	               tries == 1 ? "y" : "ies", timeout_of(o));
fail:
	if (st != NULL)
		st->elapsed_us = now_us() - start;
	close(fd);
	return rc;
}

/* ---------------------------------------------------------------- connections */

struct zk_net_conn {
	int fd;
	zk_net_addr_t peer;
	SSL_CTX *ctx;
	SSL *ssl;
	BIO_METHOD *biom;
	size_t rlen;    /* bytes in rbuf */
	size_t consume; /* the message handed out last: dropped at the next read */
	uint8_t rbuf[FRAME_MAX + 16384];
	size_t wlen, woff; /* the frame being written */
	uint8_t wbuf[FRAME_MAX];
};

/* A socket BIO of our own: send() with MSG_NOSIGNAL, so a server that
 * closes early cannot kill the tool with SIGPIPE, and no global signal
 * disposition has to change. */
static int bio_write_ex(BIO *b, const char *data, size_t n, size_t *written)
{
	zk_net_conn_t *c = BIO_get_data(b);

	BIO_clear_retry_flags(b);
	for (;;) {
		ssize_t r = send(c->fd, data, n, MSG_NOSIGNAL);
		if (r >= 0) {
			*written = (size_t)r;
			return 1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			BIO_set_retry_write(b);
		return 0;
	}
}

static int bio_read_ex(BIO *b, char *data, size_t n, size_t *got)
{
	zk_net_conn_t *c = BIO_get_data(b);

	BIO_clear_retry_flags(b);
	for (;;) {
		ssize_t r = recv(c->fd, data, n, 0);
		if (r > 0) {
			*got = (size_t)r;
			return 1;
		}
		if (r == 0)
			return 0; /* EOF: no retry flag */
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			BIO_set_retry_read(b);
		return 0;
	}
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* What went wrong in the last TLS call, never NULL. */
static const char *ssl_errtext(int e, char *buf, size_t cap)
{
	unsigned long code = ERR_get_error();

	if (code != 0) {
		const char *r = ERR_reason_error_string(code);
		if (r != NULL)
			return r;
		ERR_error_string_n(code, buf, cap);
		return buf;
	}
	if (e == SSL_ERROR_SYSCALL && errno != 0)
		return strerror(errno);
	return e == SSL_ERROR_SYSCALL ? "connection closed" : "TLS error";
}

/* 0, or ZK_ENOENT at end of stream, or an error. *got 0 with *want set:
 * would block. */
static int io_read(zk_net_conn_t *c, uint8_t *buf, size_t n, size_t *got, short *want,
                   zk_errctx_t *ec)
{
	*got = 0;
	if (c->ssl != NULL) {
		char ebuf[160];
		int r, e;

		ERR_clear_error();
		r = SSL_read_ex(c->ssl, buf, n, got);
		if (r == 1)
			return 0;
		e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ) {
			*want = POLLIN;
			return 0;
		}
		if (e == SSL_ERROR_WANT_WRITE) {
			*want = POLLOUT;
			return 0;
		}
		if (e == SSL_ERROR_ZERO_RETURN)
			return ZK_ENOENT;
		if (e == SSL_ERROR_SYSCALL && errno == 0 && ERR_peek_error() == 0)
			return ZK_ENOENT;
		return net_error(ec, &c->peer, ZK_ENET, "TLS read: %s",
		                 ssl_errtext(e, ebuf, sizeof(ebuf)));
	}
	for (;;) {
		ssize_t r = recv(c->fd, buf, n, 0);
		if (r > 0) {
			*got = (size_t)r;
			return 0;
		}
		if (r == 0)
			return ZK_ENOENT;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			*want = POLLIN;
			return 0;
		}
		return net_error(ec, &c->peer, ZK_ENET, "read: %s", strerror(errno));
	}
}

static int io_write(zk_net_conn_t *c, const uint8_t *buf, size_t n, size_t *put, short *want,
                    zk_errctx_t *ec)
{
	*put = 0;
	if (c->ssl != NULL) {
		char ebuf[160];
		int r, e;

		ERR_clear_error();
		r = SSL_write_ex(c->ssl, buf, n, put);
		if (r == 1)
			return 0;
		e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ) {
			*want = POLLIN;
			return 0;
		}
		if (e == SSL_ERROR_WANT_WRITE) {
			*want = POLLOUT;
			return 0;
		}
		return net_error(ec, &c->peer, ZK_ENET, "TLS write: %s",
		                 ssl_errtext(e, ebuf, sizeof(ebuf)));
	}
	for (;;) {
		ssize_t r = send(c->fd, buf, n, MSG_NOSIGNAL);
		if (r >= 0) {
			*put = (size_t)r;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			*want = POLLOUT;
			return 0;
		}
		return net_error(ec, &c->peer, ZK_ENET, "write: %s", strerror(errno));
	}
}

static int tcp_connect(int fd, const zk_net_addr_t *server, uint64_t deadline, zk_errctx_t *ec)
{
	int err = 0, ev;
	socklen_t len = sizeof(err);

	if (connect(fd, (const struct sockaddr *)&server->ss, server->len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EINTR)
		return net_error(ec, server, ZK_ENET, "connect: %s",
		                 errno == ECONNREFUSED ? "connection refused" : strerror(errno));
	ev = wait_fd(fd, POLLOUT, deadline, server, ec);
	if (ev < 0)
		return ev;
	if (ev == 0)
		return net_error(ec, server, ZK_ETIMEOUT, "connection timed out");
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err != 0)
		return net_error(ec, server, ZK_ENET, "connect: %s",
		                 err == ECONNREFUSED ? "connection refused" : strerror(err));
	return 0;
}

static bool is_ip_literal(const char *s)
{
	zk_net_addr_t a;

	return zk_net_addr_parse(&a, s, 0, NULL) == 0;
}

static int tls_fail(zk_net_conn_t *c, zk_errctx_t *ec, const char *what)
{
	unsigned long e = ERR_get_error();
	long vr = c->ssl ? SSL_get_verify_result(c->ssl) : X509_V_OK;
	char buf[200];

	if (vr != X509_V_OK)
		return net_error(ec, &c->peer, ZK_ECRYPTO,
		                 "%s: certificate verification failed: %s", what,
		                 X509_verify_cert_error_string(vr));
	if (e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		return net_error(ec, &c->peer, ZK_ECRYPTO, "%s: %s", what, buf);
	}
	return net_error(ec, &c->peer, ZK_ECRYPTO, "%s failed", what);
}

static int tls_setup(zk_net_conn_t *c, const zk_net_tls_t *tls, zk_errctx_t *ec)
{
	static const unsigned char alpn[] = {3, 'd', 'o', 't'};
	BIO *bio;

	ERR_clear_error();
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL)
		return tls_fail(c, ec, "TLS context");
	/* RFC 8310 §9 / RFC 9325 §3.1.1: nothing older than TLS 1.2. */
	if (SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1)
		return tls_fail(c, ec, "TLS context");
	/* A server closing without close_notify after the last reply is
	 * common for DNS; treat it as end of stream, framing tells the rest. */
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (tls->verify) {
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
		if (tls->ca_file != NULL) {
			if (SSL_CTX_load_verify_locations(c->ctx, tls->ca_file, NULL) != 1)
				return tls_fail(c, ec, tls->ca_file);
		} else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
			return tls_fail(c, ec, "system trust store");
		}
	} else {
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	}
	if (tls->cert_file != NULL) {
		if (SSL_CTX_use_certificate_chain_file(c->ctx, tls->cert_file) != 1)
			return tls_fail(c, ec, tls->cert_file);
		if (SSL_CTX_use_PrivateKey_file(c->ctx,
		                                tls->key_file ? tls->key_file : tls->cert_file,
		                                SSL_FILETYPE_PEM) != 1)
			return tls_fail(c, ec, tls->key_file ? tls->key_file : tls->cert_file);
		if (SSL_CTX_check_private_key(c->ctx) != 1)
			return tls_fail(c, ec, "client key");
	}
	/* RFC 9103 §7.1 (XoT) asks for ALPN "dot"; harmless for plain DoT. */
	if (SSL_CTX_set_alpn_protos(c->ctx, alpn, sizeof(alpn)) != 0)
		return tls_fail(c, ec, "ALPN");

	c->ssl = SSL_new(c->ctx);
	if (c->ssl == NULL)
		return tls_fail(c, ec, "TLS");
	SSL_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

	c->biom = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "zkit socket");
	if (c->biom == NULL || BIO_meth_set_write_ex(c->biom, bio_write_ex) != 1 ||
	    BIO_meth_set_read_ex(c->biom, bio_read_ex) != 1 ||
	    BIO_meth_set_ctrl(c->biom, bio_ctrl) != 1 ||
	    BIO_meth_set_create(c->biom, bio_create) != 1)
		return tls_fail(c, ec, "TLS BIO");
	bio = BIO_new(c->biom);
	if (bio == NULL)
		return tls_fail(c, ec, "TLS BIO");
	BIO_set_data(bio, c);
	SSL_set_bio(c->ssl, bio, bio);

	if (tls->hostname != NULL && !is_ip_literal(tls->hostname)) {
		/* RFC 6066 §3: SNI carries host names only, never addresses. */
		if (SSL_set_tlsext_host_name(c->ssl, tls->hostname) != 1)
			return tls_fail(c, ec, "SNI");
		if (tls->verify && SSL_set1_host(c->ssl, tls->hostname) != 1)
			return tls_fail(c, ec, "host name check");
	} else if (tls->verify) {
		/* RFC 8310 §8.1 allows authenticating by the address. */
		X509_VERIFY_PARAM *vp = SSL_get0_param(c->ssl);
		char ip[ZK_NET_ADDRSTRLEN];
		zk_net_addr_host_text(&c->peer, ip, sizeof(ip));
		char *pct = strchr(ip, '%');
		if (pct != NULL)
			*pct = '\0';
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, tls->hostname ? tls->hostname : ip) != 1)
			return tls_fail(c, ec, "address check");
	}
	SSL_set_connect_state(c->ssl);
	return 0;
}

static int tls_handshake(zk_net_conn_t *c, uint64_t deadline, zk_errctx_t *ec)
{
	for (;;) {
		int r, e, ev;
		short want;

		ERR_clear_error();
		r = SSL_do_handshake(c->ssl);
		if (r == 1)
			return 0;
		e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ)
			want = POLLIN;
		else if (e == SSL_ERROR_WANT_WRITE)
			want = POLLOUT;
		else if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
			return net_error(ec, &c->peer, ZK_ENET, "TLS handshake: %s",
			                 errno ? strerror(errno) : "connection closed");
		else
			return tls_fail(c, ec, "TLS handshake");
		ev = wait_fd(c->fd, want, deadline, &c->peer, ec);
		if (ev < 0)
			return ev;
		if (ev == 0)
			return net_error(ec, &c->peer, ZK_ETIMEOUT, "TLS handshake timed out");
	}
}

int zk_net_connect(zk_net_conn_t **out, const zk_net_addr_t *server, const zk_net_opts_t *o,
                   const zk_net_tls_t *tls, zk_errctx_t *ec)
{
	uint64_t deadline = deadline_after(timeout_of(o));
	zk_net_conn_t *c;
	int rc, one = 1;

	rc = check_family(server, o, ec);
	if (rc != 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	c->peer = *server;
	c->fd = open_socket(server, o, SOCK_STREAM, ec);
	if (c->fd < 0) {
		rc = c->fd;
		c->fd = -1;
		goto fail;
	}
	/* Small queries go out at once, also when pipelined. */
	(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	rc = tcp_connect(c->fd, server, deadline, ec);
	if (rc != 0)
		goto fail;
	if (tls != NULL) {
		rc = tls_setup(c, tls, ec);
		if (rc != 0)
			goto fail;
		rc = tls_handshake(c, deadline, ec);
		if (rc != 0)
			goto fail;
	}
	*out = c;
	return 0;
fail:
	zk_net_close(c);
	return rc;
}

void zk_net_close(zk_net_conn_t *c)
{
	if (c == NULL)
		return;
	if (c->ssl != NULL) {
		/* One try at close_notify; no waiting for the peer's. */
		ERR_clear_error();
		(void)SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	BIO_meth_free(c->biom);
	ERR_clear_error();
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

const char *zk_net_conn_tls_info(const zk_net_conn_t *c, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (c->ssl != NULL)
		snprintf(buf, cap, "%s/%s", SSL_get_version(c->ssl),
		         SSL_CIPHER_get_name(SSL_get_current_cipher(c->ssl)));
	return buf;
}

/* ---------------------------------------------------------------- framing */

/* Drop the message handed out last. */
static void rbuf_consume(zk_net_conn_t *c)
{
	if (c->consume == 0)
		return;
	memmove(c->rbuf, c->rbuf + c->consume, c->rlen - c->consume);
	c->rlen -= c->consume;
	c->consume = 0;
}

/* A complete frame at the start of rbuf? */
static bool rbuf_frame(zk_net_conn_t *c, const uint8_t **msg, size_t *len)
{
	size_t n;

	rbuf_consume(c);
	if (c->rlen < 2)
		return false;
	n = zk_get_u16(c->rbuf);
	if (c->rlen < 2 + n)
		return false;
	*msg = c->rbuf + 2;
	*len = n;
	c->consume = 2 + n;
	return true;
}

/* Read what is there. 0 (maybe nothing: *want tells what to wait for),
 * ZK_ENOENT at end of stream, or an error. */
static int rbuf_fill(zk_net_conn_t *c, size_t *got, short *want, zk_errctx_t *ec)
{
	rbuf_consume(c);
	return io_read(c, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen, got, want, ec);
}

static void frame_set(zk_net_conn_t *c, const uint8_t *msg, size_t len)
{
	zk_put_u16(c->wbuf, (uint16_t)len);
	memcpy(c->wbuf + 2, msg, len);
	c->wlen = 2 + len;
	c->woff = 0;
}

int zk_net_send(zk_net_conn_t *c, const uint8_t *msg, size_t len, unsigned timeout_ms,
                zk_errctx_t *ec)
{
	uint64_t deadline = deadline_after(timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);

	if (len > 65535)
		return zk_error(ec, ZK_EINVAL, "message of %zu octets", len);
	frame_set(c, msg, len);
	while (c->woff < c->wlen) {
		size_t put;
		short want = 0;
		int rc = io_write(c, c->wbuf + c->woff, c->wlen - c->woff, &put, &want, ec);

		if (rc != 0)
			return rc;
		c->woff += put;
		if (put == 0) {
			int ev = wait_fd(c->fd, want, deadline, &c->peer, ec);
			if (ev < 0)
				return ev;
			if (ev == 0)
				return net_error(ec, &c->peer, ZK_ETIMEOUT, "send timed out");
		}
	}
	return 0;
}

int zk_net_recv(zk_net_conn_t *c, const uint8_t **msg, size_t *len, unsigned timeout_ms,
                zk_errctx_t *ec)
{
	uint64_t deadline = deadline_after(timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS);

	for (;;) {
		size_t got;
		short want = 0;
		int rc;

		if (rbuf_frame(c, msg, len))
			return 0;
		rc = rbuf_fill(c, &got, &want, ec);
		if (rc == ZK_ENOENT) {
			if (c->rlen == 0)
				return net_error(ec, &c->peer, ZK_ENOENT, "connection closed");
			return net_error(ec, &c->peer, ZK_ENET,
			                 "connection closed inside a message");
		}
		if (rc != 0)
			return rc;
		c->rlen += got;
		if (got == 0) {
			int ev = wait_fd(c->fd, want, deadline, &c->peer, ec);
			if (ev < 0)
				return ev;
			if (ev == 0)
				return net_error(ec, &c->peer, ZK_ETIMEOUT, "timed out");
		}
	}
}

/* ---------------------------------------------------------------- pipelining */

typedef struct pending {
	uint16_t id;
	uint8_t state; /* 0 waiting, 1 in a stream (first message seen), 2 done */
	size_t index;
} pending_t;

static int pending_cmp(const void *a, const void *b)
{
	const pending_t *x = a, *y = b;
	return (int)x->id - (int)y->id;
}

/* A received message: to whom does it belong? */
static int dispatch(zk_net_conn_t *c, const zk_net_opts_t *o, pending_t *p, size_t n,
                    const uint8_t *const *queries, const size_t *qlens, const uint8_t *msg,
                    size_t len, zk_net_reply_cb cb, void *ud, size_t *left, zk_net_stats_t *st)
{
	pending_t key, *hit;
	enum zk_net_mismatch why;
	unsigned flags = o->match_flags;
	int r;

	(void)c;
	if (len < 12) {
		stats_mismatch(st, ZK_NET_MM_SHORT);
		return 0;
	}
	key.id = zk_get_u16(msg);
	hit = bsearch(&key, p, n, sizeof(*p), pending_cmp);
	if (hit == NULL || hit->state == 2) {
		stats_mismatch(st, ZK_NET_MM_ID);
		return 0;
	}
	if (hit->state == 1)
		flags |= ZK_NET_MATCH_NOQUESTION; /* RFC 5936 §2.2.1 */
	if (zk_net_reply_match(queries[hit->index], qlens[hit->index], msg, len, flags, &why) !=
	    0) {
		stats_mismatch(st, why);
		return 0;
	}
	if (st != NULL)
		st->bytes_in += len;
	r = cb(ud, hit->index, msg, len);
	if (r < 0)
		return r;
	if (r == 0) {
		hit->state = 2;
		(*left)--;
	} else {
		hit->state = 1;
	}
	return 0;
}

int zk_net_pipeline(zk_net_conn_t *c, const zk_net_opts_t *o, size_t n,
                    const uint8_t *const *queries, const size_t *qlens, zk_net_reply_cb cb,
                    void *ud, zk_net_stats_t *st, zk_errctx_t *ec)
{
	pending_t *p;
	size_t left = n, wi = 0;
	uint64_t start = now_us(), deadline, hard = UINT64_MAX;
	int rc = 0;

	if (n == 0)
		return 0;
	p = calloc(n, sizeof(*p));
	if (p == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (qlens[i] < 12 || qlens[i] > 65535) {
			rc = zk_error(ec, ZK_EINVAL, "query %zu: %zu octets", i, qlens[i]);
			goto done;
		}
		p[i].id = zk_get_u16(queries[i]);
		p[i].index = i;
	}
	qsort(p, n, sizeof(*p), pending_cmp);
	for (size_t i = 1; i < n; i++) {
		if (p[i].id == p[i - 1].id) {
			rc = zk_error(ec, ZK_EINVAL, "two queries with ID %u", p[i].id);
			goto done;
		}
	}
	c->wlen = c->woff = 0;
	deadline = deadline_after(timeout_of(o));
	if (o->total_ms != 0)
		hard = start + (uint64_t)o->total_ms * 1000u;

	while (left > 0) {
		short rwant = POLLIN, wwant = 0;
		bool progress = false;
		const uint8_t *msg;
		size_t len, got;
		int ev;

		/* Write while the socket takes it. */
		for (;;) {
			size_t put;
			if (c->woff == c->wlen) {
				if (wi == n)
					break;
				frame_set(c, queries[wi], qlens[wi]);
				wi++;
				if (st != NULL) {
					st->sent++;
					st->bytes_out += qlens[wi - 1];
				}
			}
			rc = io_write(c, c->wbuf + c->woff, c->wlen - c->woff, &put, &wwant, ec);
			if (rc != 0)
				goto done;
			if (put == 0)
				break;
			c->woff += put;
			progress = true;
		}
		/* Read and hand out whatever is complete. */
		for (;;) {
			while (left > 0 && rbuf_frame(c, &msg, &len)) {
				rc = dispatch(c, o, p, n, queries, qlens, msg, len, cb, ud, &left,
				              st);
				if (rc != 0)
					goto done;
				progress = true;
			}
			if (left == 0)
				break;
			rc = rbuf_fill(c, &got, &rwant, ec);
			if (rc == ZK_ENOENT) {
				rc = net_error(ec, &c->peer, ZK_ENET,
				               "connection closed with %zu repl%s missing", left,
				               left == 1 ? "y" : "ies");
				goto done;
			}
			if (rc != 0)
				goto done;
			if (got == 0)
				break;
			c->rlen += got;
		}
		if (left == 0)
			break;
		if (progress)
			deadline = deadline_after(timeout_of(o));
		/* A peer that trickles data keeps every single wait short; the
		 * overall limit bounds the whole exchange. */
		if (deadline > hard)
			deadline = hard;
		/* Data already decrypted inside OpenSSL does not wake poll. */
		if (c->ssl != NULL && SSL_pending(c->ssl) > 0)
			continue;
		ev = wait_fd(c->fd, (short)(rwant | (c->woff < c->wlen || wi < n ? wwant : 0)),
		             deadline, &c->peer, ec);
		if (ev < 0) {
			rc = ev;
			goto done;
		}
		if (ev == 0 && deadline == hard) {
			rc = net_error(ec, &c->peer, ZK_ETIMEOUT, "not done within %u ms",
			               o->total_ms);
			goto done;
		}
		if (ev == 0) {
			rc = net_error(ec, &c->peer, ZK_ETIMEOUT,
			               "timed out with %zu repl%s missing", left,
			               left == 1 ? "y" : "ies");
			goto done;
		}
	}
	rc = 0;
done:
	if (st != NULL)
		st->elapsed_us = now_us() - start;
	free(p);
	return rc;
}

typedef struct copy_ctx {
	uint8_t *buf;
	size_t cap, len;
} copy_ctx_t;

static int copy_reply(void *ud, size_t index, const uint8_t *msg, size_t len)
{
	copy_ctx_t *cc = ud;

	(void)index;
	if (len > cc->cap)
		return ZK_ESPACE;
	memcpy(cc->buf, msg, len);
	cc->len = len;
	return 0;
}

int zk_net_stream_exchange(zk_net_conn_t *c, const zk_net_opts_t *o, const uint8_t *query,
                           size_t qlen, uint8_t *buf, size_t cap, size_t *rlen, zk_net_stats_t *st,
                           zk_errctx_t *ec)
{
	copy_ctx_t cc = {.buf = buf, .cap = cap, .len = 0};
	int rc = zk_net_pipeline(c, o, 1, &query, &qlen, copy_reply, &cc, st, ec);

	if (rc == ZK_ESPACE)
		return zk_error(ec, rc, "reply larger than %zu octets", cap);
	if (rc == 0)
		*rlen = cc.len;
	return rc;
}

int zk_net_stream(zk_net_conn_t *c, const zk_net_opts_t *o, const uint8_t *query, size_t qlen,
                  zk_net_reply_cb cb, void *ud, zk_net_stats_t *st, zk_errctx_t *ec)
{
	return zk_net_pipeline(c, o, 1, &query, &qlen, cb, ud, st, ec);
}
