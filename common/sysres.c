/* sysres — resolver configuration and server host names through c-ares. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <ares.h>
#include <ares_version.h>

#include "sysres.h"

#define DEFAULT_TIMEOUT_MS 5000

static int ares_err(zk_errctx_t *ec, int status, const char *what)
{
	int code;

	switch (status) {
	case ARES_ENOMEM: code = ZK_ENOMEM; break;
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
	case ARES_ENONAME: code = ZK_ENOENT; break;
	case ARES_ETIMEOUT:
	case ARES_ECANCELLED:
	case ARES_EDESTRUCTION: code = ZK_ETIMEOUT; break;
	case ARES_EFILE:
	case ARES_EOF: code = ZK_EIO; break;
	case ARES_EBADNAME:
	case ARES_EBADFAMILY: code = ZK_EINVAL; break;
	default: code = ZK_ENET; break;
	}
	return zk_error(ec, code, "%s: %s", what, ares_strerror(status));
}

/* A channel with the given files; the environment (LOCALDOMAIN,
 * RES_OPTIONS) is applied by c-ares between our options and the file. */
static int channel_open(ares_channel *ch, const zk_sysres_opts_t *o, zk_errctx_t *ec)
{
	struct ares_options opts;
	int mask = 0, status;

	memset(&opts, 0, sizeof(opts));
	if (o->resolvconf != NULL) {
		if (access(o->resolvconf, R_OK) != 0)
			return zk_error(ec, errno == ENOENT ? ZK_ENOENT : ZK_EIO, "%s: %s",
			                o->resolvconf, strerror(errno));
		opts.resolvconf_path = (char *)o->resolvconf;
		mask |= ARES_OPT_RESOLVCONF;
	}
	if (o->lookups != NULL) {
		opts.lookups = (char *)o->lookups;
		mask |= ARES_OPT_LOOKUPS;
	}
	if (o->port != 0) {
		opts.udp_port = o->port;
		opts.tcp_port = o->port;
		mask |= ARES_OPT_UDP_PORT | ARES_OPT_TCP_PORT;
	}
	status = ares_library_init(ARES_LIB_INIT_ALL);
	if (status != ARES_SUCCESS)
		return ares_err(ec, status, "c-ares");
	status = ares_init_options(ch, &opts, mask);
	if (status != ARES_SUCCESS) {
		ares_library_cleanup();
		return ares_err(ec, status,
		                o->resolvconf ? o->resolvconf : "resolver configuration");
	}
	return 0;
}

static void channel_close(ares_channel ch)
{
	ares_destroy(ch);
	ares_library_cleanup();
}

void zk_sysres_free(zk_sysres_t *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nsearch; i++)
		free(r->search[i]);
	free(r->search);
	free(r->servers);
	memset(r, 0, sizeof(*r));
}

static int copy_servers(zk_sysres_t *r, ares_channel ch, uint16_t defport, zk_errctx_t *ec)
{
	struct ares_addr_port_node *list = NULL, *p;
	size_t n = 0;
	int status = ares_get_servers_ports(ch, &list);

	if (status != ARES_SUCCESS)
		return ares_err(ec, status, "servers");
	for (p = list; p != NULL; p = p->next)
		n++;
	r->servers = calloc(n ? n : 1, sizeof(*r->servers));
	if (r->servers == NULL) {
		ares_free_data(list);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	for (p = list; p != NULL; p = p->next) {
		zk_net_addr_t *a = &r->servers[r->nservers];
		uint16_t port = p->udp_port ? (uint16_t)p->udp_port : defport;

		memset(a, 0, sizeof(*a));
		if (p->family == AF_INET) {
			struct sockaddr_in *s = (struct sockaddr_in *)&a->ss;
			s->sin_family = AF_INET;
			s->sin_port = htons(port);
			memcpy(&s->sin_addr, &p->addr.addr4, sizeof(s->sin_addr));
			a->len = sizeof(*s);
		} else if (p->family == AF_INET6) {
			struct sockaddr_in6 *s = (struct sockaddr_in6 *)&a->ss;
			s->sin6_family = AF_INET6;
			s->sin6_port = htons(port);
			memcpy(&s->sin6_addr, &p->addr.addr6, sizeof(s->sin6_addr));
			a->len = sizeof(*s);
		} else {
			continue;
		}
		r->nservers++;
	}
	ares_free_data(list);
	return 0;
}

/* c-ares before 1.20 applies only ndots, retrans, retry and rotate from
 * "options"; timeout: and attempts: (resolv.conf(5), the libc resolver's
 * words, which dig honours too) are read here, from the file and then
 * from RES_OPTIONS, which amends it. Limits as glibc's: RES_MAXRETRANS 30
 * seconds, RES_MAXRETRY 5 attempts. */
static void apply_options(zk_sysres_t *r, const char *s)
{
	while (*s != '\0') {
		size_t n;
		unsigned long v;

		s += strspn(s, " \t\r\n");
		n = strcspn(s, " \t\r\n");
		if (n > 8 && strncmp(s, "timeout:", 8) == 0) {
			v = strtoul(s + 8, NULL, 10);
			v = v < 1 ? 1 : v > 30 ? 30 : v;
			r->timeout_ms = (unsigned)v * 1000u;
			r->timeout_set = true;
		} else if (n > 9 && strncmp(s, "attempts:", 9) == 0) {
			v = strtoul(s + 9, NULL, 10);
			v = v < 1 ? 1 : v > 5 ? 5 : v;
			r->attempts = (unsigned)v;
			r->attempts_set = true;
		}
		s += n;
	}
}

static void legacy_options(zk_sysres_t *r, const char *path)
{
#if ARES_VERSION < 0x011400
	char line[1024];
	const char *env;
	FILE *f = fopen(path ? path : "/etc/resolv.conf", "r");

	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, "options", 7) == 0 && (line[7] == ' ' || line[7] == '\t'))
				apply_options(r, line + 7);
		}
		fclose(f);
	}
	env = getenv("RES_OPTIONS");
	if (env != NULL)
		apply_options(r, env);
#else
	(void)r;
	(void)path;
#endif
}

int zk_sysres_load(zk_sysres_t *out, const zk_sysres_opts_t *o, zk_errctx_t *ec)
{
	static const zk_sysres_opts_t none;
	zk_sysres_t r;
	ares_channel ch;
	struct ares_options saved;
	int mask = 0, status, rc;

	if (o == NULL)
		o = &none;
	memset(&r, 0, sizeof(r));
	rc = channel_open(&ch, o, ec);
	if (rc != 0)
		return rc;
	rc = copy_servers(&r, ch, o->port ? o->port : 53, ec);
	if (rc != 0)
		goto fail;
	memset(&saved, 0, sizeof(saved));
	status = ares_save_options(ch, &saved, &mask);
	if (status != ARES_SUCCESS) {
		rc = ares_err(ec, status, "resolver options");
		goto fail;
	}
	/* c-ares 1.18 keeps the time-out in milliseconds and reports it so
	 * with ARES_OPT_TIMEOUTMS. */
	r.timeout_ms =
	    (mask & ARES_OPT_TIMEOUTMS) ? (unsigned)saved.timeout : (unsigned)saved.timeout * 1000u;
	r.attempts = saved.tries > 0 ? (unsigned)saved.tries : 1;
	r.ndots = saved.ndots > 0 ? (unsigned)saved.ndots : 0;
	r.rotate = (mask & ARES_OPT_ROTATE) != 0;
	if (saved.ndomains > 0) {
		r.search = calloc((size_t)saved.ndomains, sizeof(*r.search));
		if (r.search == NULL) {
			ares_destroy_options(&saved);
			rc = zk_error(ec, ZK_ENOMEM, "out of memory");
			goto fail;
		}
		for (int i = 0; i < saved.ndomains; i++) {
			size_t len = strlen(saved.domains[i]);
			char *d = malloc(len + 1);

			if (d == NULL) {
				ares_destroy_options(&saved);
				rc = zk_error(ec, ZK_ENOMEM, "out of memory");
				goto fail;
			}
			memcpy(d, saved.domains[i], len + 1);
			if (len > 1 && d[len - 1] == '.')
				d[len - 1] = '\0';
			r.search[r.nsearch++] = d;
		}
	}
	ares_destroy_options(&saved);
	channel_close(ch);
	legacy_options(&r, o->resolvconf);
	*out = r;
	return 0;
fail:
	channel_close(ch);
	zk_sysres_free(&r);
	return rc;
}

/* ---------------------------------------------------------------- host names */

typedef struct lookup {
	bool done;
	int status;
	zk_net_addr_t *addrs;
	size_t n;
	uint16_t port;
	bool nomem;
} lookup_t;

static void lookup_done(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	lookup_t *l = arg;
	struct ares_addrinfo_node *p;
	size_t n = 0;

	(void)timeouts;
	l->done = true;
	l->status = status;
	if (status != ARES_SUCCESS || res == NULL)
		goto out;
	for (p = res->nodes; p != NULL; p = p->ai_next)
		n++;
	l->addrs = calloc(n ? n : 1, sizeof(*l->addrs));
	if (l->addrs == NULL) {
		l->nomem = true;
		goto out;
	}
	for (p = res->nodes; p != NULL; p = p->ai_next) {
		zk_net_addr_t *a = &l->addrs[l->n];

		if ((p->ai_family != AF_INET && p->ai_family != AF_INET6) || p->ai_addr == NULL ||
		    (size_t)p->ai_addrlen > sizeof(a->ss))
			continue;
		memset(a, 0, sizeof(*a));
		memcpy(&a->ss, p->ai_addr, (size_t)p->ai_addrlen);
		a->len = (socklen_t)p->ai_addrlen;
		zk_net_addr_set_port(a, l->port);
		/* The same address twice (hosts file and DNS): keep one. */
		bool dup = false;
		for (size_t i = 0; i < l->n; i++)
			dup = dup || zk_net_addr_eq(&l->addrs[i], a);
		if (!dup)
			l->n++;
	}
out:
	if (res != NULL)
		ares_freeaddrinfo(res);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Drive the channel until the lookup is done or the deadline passes. */
static int run_channel(ares_channel ch, lookup_t *l, uint64_t deadline, zk_errctx_t *ec)
{
	while (!l->done) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		struct pollfd pfd[ARES_GETSOCK_MAXNUM];
		struct timeval tv, *tvp;
		nfds_t nfds = 0;
		uint64_t now = now_ms(), wait;
		int bits, r;

		if (now >= deadline) {
			ares_cancel(ch); /* calls lookup_done with ARES_ECANCELLED */
			break;
		}
		wait = deadline - now;
		tvp = ares_timeout(ch, NULL, &tv);
		if (tvp != NULL) {
			uint64_t t = (uint64_t)tvp->tv_sec * 1000u + (uint64_t)tvp->tv_usec / 1000u;
			if (t < wait)
				wait = t ? t : 1;
		}
		bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short ev = 0;
			/* ARES_GETSOCK_WRITABLE shifts a signed 1 into bit 31
			 * for the last slot; test the bits unsigned. */
			if (((unsigned)bits >> i) & 1u)
				ev |= POLLIN;
			if (((unsigned)bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
				ev |= POLLOUT;
			if (ev == 0)
				continue;
			pfd[nfds].fd = socks[i];
			pfd[nfds].events = ev;
			pfd[nfds].revents = 0;
			nfds++;
		}
		r = poll(pfd, nfds, wait > INT_MAX ? INT_MAX : (int)wait);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return zk_error(ec, ZK_ENET, "poll: %s", strerror(errno));
		}
		if (r == 0) {
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* time-outs */
			continue;
		}
		for (nfds_t i = 0; i < nfds; i++) {
			short rev = pfd[i].revents;
			if (rev == 0)
				continue;
			ares_process_fd(
			    ch, (rev & (POLLIN | POLLERR | POLLHUP)) ? pfd[i].fd : ARES_SOCKET_BAD,
			    (rev & POLLOUT) ? pfd[i].fd : ARES_SOCKET_BAD);
		}
	}
	return 0;
}

int zk_sysres_resolve(const zk_sysres_opts_t *o, const char *host, int family, uint16_t port,
                      unsigned timeout_ms, zk_net_addr_t **addrs, size_t *naddrs, zk_errctx_t *ec)
{
	static const zk_sysres_opts_t none;
	struct ares_addrinfo_hints hints;
	lookup_t l;
	ares_channel ch;
	zk_net_addr_t lit;
	int rc;

	if (o == NULL)
		o = &none;
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return zk_error(ec, ZK_EINVAL, "bad address family");
	if (host[0] == '\0')
		return zk_error(ec, ZK_EINVAL, "empty host name");
	/* An address literal needs no lookup. */
	if (zk_net_addr_parse(&lit, host, port, NULL) == 0) {
		zk_net_addr_t *a;

		if (family != AF_UNSPEC && zk_net_addr_family(&lit) != family)
			return zk_error(ec, ZK_ENOENT, "%s: not an %s address", host,
			                family == AF_INET ? "IPv4" : "IPv6");
		a = malloc(sizeof(*a));
		if (a == NULL)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
		*a = lit;
		*addrs = a;
		*naddrs = 1;
		return 0;
	}
	rc = channel_open(&ch, o, ec);
	if (rc != 0)
		return rc;
	memset(&l, 0, sizeof(l));
	l.port = port;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	/* $CARES_HOSTS names another hosts file (tests use it). */
	hints.ai_flags = ARES_AI_ENVHOSTS;
	ares_getaddrinfo(ch, host, NULL, &hints, lookup_done, &l);
	rc = run_channel(ch, &l, now_ms() + (timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS), ec);
	if (rc == 0 && !l.done) {
		/* ares_cancel always calls back; be safe regardless. */
		rc = zk_error(ec, ZK_ETIMEOUT, "%s: lookup timed out", host);
	}
	channel_close(ch);
	if (rc != 0)
		goto fail;
	if (l.nomem) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto fail;
	}
	if (l.status == ARES_ECANCELLED) {
		rc = zk_error(ec, ZK_ETIMEOUT, "%s: lookup timed out", host);
		goto fail;
	}
	if (l.status == ARES_ECONNREFUSED && o->lookups != NULL &&
	    strchr(o->lookups, 'b') == NULL) {
		/* c-ares 1.18 reports a miss in the hosts file this way. */
		rc = zk_error(ec, ZK_ENOENT, "%s: not found in the hosts file", host);
		goto fail;
	}
	if (l.status != ARES_SUCCESS) {
		rc = ares_err(ec, l.status, host);
		goto fail;
	}
	if (l.n == 0) {
		rc = zk_error(ec, ZK_ENOENT, "%s: no address", host);
		goto fail;
	}
	*addrs = l.addrs;
	*naddrs = l.n;
	return 0;
fail:
	free(l.addrs);
	return rc;
}
