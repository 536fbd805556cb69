/* sysres — the system resolver configuration, through c-ares, and host
 * names of servers turned into addresses.
 *
 * c-ares is used for configuration only: which servers, search list,
 * ndots, timeout and attempts (resolv.conf, with LOCALDOMAIN and
 * RES_OPTIONS from the environment overriding it as c-ares and the libc
 * resolver do), and resolving the host name of a server given by name.
 * Queries, updates and transfers go through net, never c-ares: its cache
 * and automatic cookies would falsify what a tool shows. */
#ifndef ZK_SYSRES_H
#define ZK_SYSRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "net.h"

/* Where to read from. Zero-initialised: the system's files. */
typedef struct zk_sysres_opts {
	const char *resolvconf; /* NULL: /etc/resolv.conf; a named file must exist */
	const char *lookups;    /* host-name lookups: NULL as configured, "f" hosts
	                         * file only, "b" DNS only, "fb", "bf" (c-ares syntax;
	                         * the hosts file is $CARES_HOSTS or /etc/hosts) */
	uint16_t port;          /* port for servers without one (0: 53); also the
	                         * port c-ares uses for host-name lookups */
} zk_sysres_opts_t;

/* The configuration. */
typedef struct zk_sysres {
	zk_net_addr_t *servers; /* in resolv.conf order (c-ares' default
	                         * 127.0.0.1 when there is none) */
	size_t nservers;
	char **search; /* search domains, no trailing dot */
	size_t nsearch;
	unsigned ndots;
	unsigned timeout_ms; /* per try */
	unsigned attempts;   /* tries per server */
	/* timeout:/attempts: were configured (resolv.conf or RES_OPTIONS);
	 * when false the values above are c-ares' defaults and a tool may
	 * prefer its own. */
	bool timeout_set, attempts_set;
	bool rotate;
} zk_sysres_t;

/* Read the configuration into r (free with zk_sysres_free). Errors:
 * ZK_ENOENT (an explicitly named file is missing), ZK_ENOMEM, ZK_EIO
 * (c-ares could not read it). */
int zk_sysres_load(zk_sysres_t *r, const zk_sysres_opts_t *o, zk_errctx_t *ec);
void zk_sysres_free(zk_sysres_t *r);

/* Addresses of a server's host name (an address literal is returned as
 * is, without a lookup), each with the given port. family: AF_UNSPEC,
 * AF_INET or AF_INET6 (-4/-6). The lookup is bounded by timeout_ms
 * (0: 5000) through our own poll loop over c-ares' sockets. *addrs is
 * malloc()ed; free() it. Errors: ZK_ENOENT (no such host / no address of
 * that family), ZK_ETIMEOUT, ZK_ENET, ZK_ENOMEM. */
int zk_sysres_resolve(const zk_sysres_opts_t *o, const char *host, int family, uint16_t port,
                      unsigned timeout_ms, zk_net_addr_t **addrs, size_t *naddrs, zk_errctx_t *ec);

#endif
