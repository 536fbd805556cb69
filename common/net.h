/* net — our transport: UDP with retries, TCP framing and pipelining, TLS
 * (DoT, RFC 7858). Every wait is bounded by a deadline (poll), EINTR is
 * retried, nothing blocks forever.
 *
 * net works at the wire level: the caller renders queries (msg) and parses
 * replies itself. net only reads the header fields and the question
 * section, to decide whether a reply belongs to a query. */
#ifndef ZK_NET_H
#define ZK_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

/* ---------------------------------------------------------------- addresses */

/* A socket address (IPv4 or IPv6) with its port. */
typedef struct zk_net_addr {
	struct sockaddr_storage ss;
	socklen_t len; /* 0: unset */
} zk_net_addr_t;

/* Longest text form: "[ffff:...%scope]#65535" and more. */
#define ZK_NET_ADDRSTRLEN 96

/* A numeric address ("127.0.0.1", "::1", "fe80::1%eth0"; no brackets, no
 * port) with the given port. ZK_EINVAL when s is not an address literal
 * (a host name is sysres' business). */
int zk_net_addr_parse(zk_net_addr_t *out, const char *s, uint16_t port, zk_errctx_t *ec);
void zk_net_addr_set_port(zk_net_addr_t *a, uint16_t port);
uint16_t zk_net_addr_port(const zk_net_addr_t *a);
int zk_net_addr_family(const zk_net_addr_t *a); /* AF_INET, AF_INET6 or AF_UNSPEC */
/* Same family, address and port. */
bool zk_net_addr_eq(const zk_net_addr_t *a, const zk_net_addr_t *b);
/* "127.0.0.1#53" / "::1#5300" as dig prints a server; returns the length. */
size_t zk_net_addr_to_text(const zk_net_addr_t *a, char *buf, size_t cap);
/* Only the address ("::1"). */
size_t zk_net_addr_host_text(const zk_net_addr_t *a, char *buf, size_t cap);

/* ---------------------------------------------------------------- random */

/* A query ID from the CSPRNG (RFC 5452 §9.2: unpredictable); ZK_ECRYPTO
 * if it is not seeded. */
int zk_net_random_id(uint16_t *id);

/* ---------------------------------------------------------------- matching */

/* Why a reply was not taken for the query. */
enum zk_net_mismatch {
	ZK_NET_MM_SOURCE = 0, /* from another address or port (UDP) */
	ZK_NET_MM_SHORT,      /* shorter than a header, or truncated by the buffer */
	ZK_NET_MM_ID,         /* another message ID */
	ZK_NET_MM_QR,         /* QR bit clear: not a response */
	ZK_NET_MM_OPCODE,     /* another opcode */
	ZK_NET_MM_QUESTION,   /* question section differs or is malformed */
	ZK_NET_MM_COUNT
};

/* Short text for a reason ("ID mismatch", ...). */
const char *zk_net_mismatch_text(enum zk_net_mismatch why);

/* Flags for matching. */
enum {
	/* Accept a reply with an empty question section (QDCOUNT 0). Needed
	 * for the messages after the first of a zone transfer (RFC 5936
	 * §2.2.1) and for servers that answer FORMERR without a question. */
	ZK_NET_MATCH_NOQUESTION = 1 << 0,
};

/* Does reply answer query? Checks ID, QR = 1, opcode, and the question
 * section entry by entry (names compared ignoring ASCII case, the reply's
 * names may be compressed; type and class exactly). 0 when it does,
 * ZK_EMISMATCH with *why set when it does not (why may be NULL). The
 * query is trusted to be well-formed (we rendered it); the reply is not. */
int zk_net_reply_match(const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
                       unsigned flags, enum zk_net_mismatch *why);

/* ---------------------------------------------------------------- options */

/* How to reach a server. Zero-initialise, then set what you need. */
typedef struct zk_net_opts {
	int family;                  /* AF_UNSPEC, or AF_INET (-4) / AF_INET6 (-6) only */
	const zk_net_addr_t *source; /* -b: bind to this address (port 0: any), or NULL */
	unsigned timeout_ms;         /* per UDP try / per TCP wait; 0 = 5000 */
	unsigned tries;              /* UDP sends (first + retries); 0 = 3 */
	unsigned match_flags;        /* ZK_NET_MATCH_* */
	unsigned total_ms;           /* TCP/TLS exchanges: limit for the whole
	                              * exchange (a transfer), 0 = none; each
	                              * wait is bounded by timeout_ms anyway */
} zk_net_opts_t;

/* What happened, filled by the exchanges. Unlike other outputs, the
 * counters are updated on failure too, so a tool can say how many replies
 * it ignored before it timed out. */
typedef struct zk_net_stats {
	unsigned sent;                 /* queries sent (UDP: tries used) */
	unsigned mismatched;           /* replies ignored, all reasons */
	unsigned why[ZK_NET_MM_COUNT]; /* ... by reason */
	uint64_t elapsed_us;           /* first send to accepted reply (or failure) */
	size_t bytes_in, bytes_out;    /* payload octets (no TCP length fields) */
} zk_net_stats_t;

/* ---------------------------------------------------------------- UDP */

/* Send query to server over UDP and wait for the reply that matches it
 * (zk_net_reply_match, and for UDP the source address and port). Other
 * datagrams are counted in st and ignored while the wait goes on. Up to
 * o->tries sends, each waiting o->timeout_ms; a late reply to an earlier
 * send is accepted. On success the reply is in buf (cap should be 65535:
 * a datagram larger than cap counts as ZK_NET_MM_SHORT), *rlen its size,
 * *tc whether it has TC=1 (retrying over TCP is the caller's decision; a
 * mismatched TC=1 reply never reaches the caller).
 * Errors: ZK_ETIMEOUT (no matching reply), ZK_ENET (network error; an ICMP
 * port unreachable from the server reads "connection refused"),
 * ZK_EINVAL (address family disagrees with o->family or o->source). */
int zk_net_udp_exchange(const zk_net_addr_t *server, const zk_net_opts_t *o, const uint8_t *query,
                        size_t qlen, uint8_t *buf, size_t cap, size_t *rlen, bool *tc,
                        zk_net_stats_t *st, zk_errctx_t *ec);

/* Many queries in flight on one socket (a batch): the caller sends with
 * sendto/sendmmsg, receives, and matches each datagram itself.
 * zk_net_udp_open: a non-blocking UDP socket for server's family, bound to
 * o->source if set, with ICMP errors queued (IP_RECVERR) so that they can
 * be told apart per query; the errors of zk_net_udp_exchange.
 * zk_net_udp_check: does a datagram from `from` (truncated: MSG_TRUNC)
 * answer query sent to server? The checks and reasons of
 * zk_net_udp_exchange, in its order: 0 or ZK_EMISMATCH with *why.
 * zk_net_udp_error: take one queued ICMP error: the destination and the
 * leading octets of the datagram that caused it (the query, so its ID)
 * into buf, *err the errno (ECONNREFUSED: port unreachable). 1 when one
 * was taken, 0 when the queue is empty. */
int zk_net_udp_open(const zk_net_addr_t *server, const zk_net_opts_t *o, zk_errctx_t *ec);
int zk_net_udp_check(const zk_net_addr_t *server, const zk_net_addr_t *from, bool truncated,
                     const uint8_t *query, size_t qlen, const uint8_t *reply, size_t rlen,
                     unsigned flags, enum zk_net_mismatch *why);
int zk_net_udp_error(int fd, zk_net_addr_t *dest, uint8_t *buf, size_t cap, size_t *len, int *err);

/* ---------------------------------------------------------------- TCP and TLS */

/* TLS settings for DoT. Zero-initialised: opportunistic TLS (encrypted,
 * server not authenticated), as dig +tls and kdig +tls do. */
typedef struct zk_net_tls {
	bool verify;                      /* authenticate the server: chain and name */
	const char *hostname;             /* SNI, and the name its certificate must carry
	                                   * (verify); NULL with verify: the certificate
	                                   * must carry the server's IP address */
	const char *ca_file;              /* PEM trust anchors; NULL: the system store */
	const char *cert_file, *key_file; /* client certificate (optional) */
} zk_net_tls_t;

/* A stream connection (TCP or TLS over TCP). */
typedef struct zk_net_conn zk_net_conn_t;

/* Connect with a bounded wait (non-blocking connect + poll); with tls not
 * NULL, then run the TLS handshake (TLS 1.2 or later, ALPN "dot") in the
 * same deadline. Errors: ZK_ETIMEOUT, ZK_ENET, ZK_ECRYPTO (handshake or
 * verification failed: the reason is in ec), ZK_EINVAL, ZK_ENOMEM. */
int zk_net_connect(zk_net_conn_t **out, const zk_net_addr_t *server, const zk_net_opts_t *o,
                   const zk_net_tls_t *tls, zk_errctx_t *ec);
void zk_net_close(zk_net_conn_t *c);
/* TLS protocol and cipher ("TLSv1.3/TLS_AES_256_GCM_SHA384"), or "" for
 * plain TCP. */
const char *zk_net_conn_tls_info(const zk_net_conn_t *c, char *buf, size_t cap);

/* Low level: one message with its 2-octet length (RFC 1035 §4.2.2) /
 * the next framed message. The message stays valid until the next call
 * on c; ZK_ENOENT when the peer closed the connection cleanly between
 * messages, ZK_ENET when it closed inside one. */
int zk_net_send(zk_net_conn_t *c, const uint8_t *msg, size_t len, unsigned timeout_ms,
                zk_errctx_t *ec);
int zk_net_recv(zk_net_conn_t *c, const uint8_t **msg, size_t *len, unsigned timeout_ms,
                zk_errctx_t *ec);

/* Called for each message that matches query `index`. The message is
 * valid only during the call. Return 0 when that query is answered,
 * 1 to expect more messages for it (a zone transfer: later messages may
 * have an empty question), or a negative error to stop. */
typedef int (*zk_net_reply_cb)(void *ud, size_t index, const uint8_t *msg, size_t len);

/* Send n queries on c and read their replies, writing and reading at the
 * same time so that neither side's buffers can deadlock (RFC 7766 §6.2.1.1
 * pipelining: replies may come in any order). Replies are matched to
 * queries by ID and question; others are counted and ignored. The IDs of
 * the n queries must differ (ZK_EINVAL). Each wait for progress is bounded
 * by o->timeout_ms (ZK_ETIMEOUT). Returns 0 when every query is answered. */
int zk_net_pipeline(zk_net_conn_t *c, const zk_net_opts_t *o, size_t n,
                    const uint8_t *const *queries, const size_t *qlens, zk_net_reply_cb cb,
                    void *ud, zk_net_stats_t *st, zk_errctx_t *ec);

/* One query, one matching reply copied into buf (cap >= 65535 is always
 * enough). */
int zk_net_stream_exchange(zk_net_conn_t *c, const zk_net_opts_t *o, const uint8_t *query,
                           size_t qlen, uint8_t *buf, size_t cap, size_t *rlen, zk_net_stats_t *st,
                           zk_errctx_t *ec);

/* One query, many messages (AXFR/IXFR): cb is called for each matching
 * message until it returns 0 (done) or an error. */
int zk_net_stream(zk_net_conn_t *c, const zk_net_opts_t *o, const uint8_t *query, size_t qlen,
                  zk_net_reply_cb cb, void *ud, zk_net_stats_t *st, zk_errctx_t *ec);

#endif
