/* zdig — the batch fast path: plain UDP lookups of a -f batch without a
 * thread, a socket and a poll loop per query.
 *
 * One thread keeps up to +parallel queries in flight on a few UDP sockets
 * per address family (unconnected, so one socket serves every server; a
 * query is told apart by its ID, unique among the socket's queries in
 * flight). Sends and receives go in batches (sendmmsg, recvmmsg), the try
 * deadlines sit in a heap. Each query is built, matched, printed and
 * failed by the same code as query_run's (query.c, net.c), so the output
 * is the same for the same replies.
 *
 * What the fast path does not do it hands to the threaded query_run, from
 * the start: lookups that are not plain UDP (burst_eligible), a truncated
 * reply (TC=1: TCP), the EDNS fallback, +search lists, a server list that
 * cannot be had. A timeout or an ICMP error moves on to the next server and
 * ends with ";; no servers could be reached", as lookup() does.
 *
 * Replies are untrusted. A datagram is matched against the query whose ID
 * it carries; one with an ID no query uses (nor used in the last
 * RETIRE_US) is held against the oldest query in flight on that socket, as
 * a socket of its own would have seen it. Every mismatch is counted on a
 * query and ignored, exactly as zk_net_udp_exchange does. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "burst.h"
#include "wire.h"
#include "zdig.h"

#define NSOCK         4        /* sockets per address family */
#define BATCH         64       /* datagrams per sendmmsg / recvmmsg */
#define RETIRE_US     3000000u /* a finished query's ID is not reused for this long */
#define DEFAULT_MS    5000     /* net.c's defaults, for the same waits */
#define DEFAULT_TRIES 3

struct bsock;

typedef struct item {
	size_t idx; /* in the batch */
	const query_t *q;
	srvset_t *srv;
	size_t si;      /* the server asked (srv->servers[si]) */
	unsigned tries; /* sends to it so far */
	struct bsock *sock;
	uint16_t id;
	uint8_t *qmsg; /* malloc()ed */
	size_t qlen;
	uint8_t cookie[40];
	size_t cookie_len;
	zk_tsig_ctx_t tsig;
	bool signed_q;
	zk_net_stats_t st;
	uint64_t start, deadline;
	unsigned gen; /* heap entries of older sends are stale */
	bool queued;  /* waiting to be sent */
	zk_name_t qname;
	int edns;
	zk_buf_t ban;
	struct item *prev, *next; /* in flight on sock, oldest first */
	struct item *snext;       /* send queue */
	struct item *free_next;
} item_t;

typedef struct bsock {
	int fd;
	int family;
	item_t **byid;     /* 65536: the query in flight with that ID */
	uint64_t *retired; /* 65536: when that ID's query finished */
	item_t *head, *tail;
	item_t *sq_head, *sq_tail; /* to send */
	size_t inflight;
} bsock_t;

typedef struct hent {
	uint64_t when;
	item_t *it;
	unsigned gen;
} hent_t;

typedef struct cache {
	query_t key; /* a copy: the lookup goes away once printed */
	srvset_t s;
	int rc;
	struct cache *next;
} cache_t;

typedef struct burst {
	const burst_job_t *job;
	int (*emit)(void *, result_t *);
	int (*flush)(void *);
	void *ud;
	result_t *res;
	const query_t **qs; /* the lookups started, until printed */
	bool *done;
	size_t next, printed;
	int code;
	/* the fast path */
	bsock_t socks[2][NSOCK];
	unsigned rr[2];
	item_t *items, *free_items;
	size_t inflight;
	hent_t *heap;
	size_t nheap, capheap;
	cache_t *cache;
	xchg_t *x;
	zk_arena_t *arena;
	struct mmsghdr *mm;
	struct iovec *iov;
	zk_net_addr_t *from;
	uint8_t *rbuf; /* BATCH * MAXMSG */
	/* the slow path: worker threads over a queue of indices */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t *slowq;
	size_t sq_head, sq_tail, nslow_pending;
	pthread_t *th;
	size_t nth, idle;
	bool stop;
	int pipe[2];
} burst_t;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool burst_eligible(const query_t *q)
{
	/* -b and +qr stay on the normal path (rare; +qr prints before the
	 * exchange); +search with a list to try is refused in start() */
	return !q->trace && !q->nssearch && !q->tcp && !q->tls && !q->gss && !q->have_source &&
	       !q->d.qr;
}

/* ------------------------------------------------------------ the slow path */

static void *slow_worker(void *arg)
{
	burst_t *b = arg;
	const burst_job_t *j = b->job;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		size_t i;
		while (b->sq_head == b->sq_tail && !b->stop) {
			b->idle++;
			pthread_cond_wait(&b->cv, &b->mu);
			b->idle--;
		}
		if (b->sq_head == b->sq_tail)
			break;
		i = b->slowq[b->sq_head++];
		pthread_mutex_unlock(&b->mu);
		query_run_banner(j->p, b->qs[i], j->ban ? j->ban[i] : NULL,
		                 i == 0 && j->first_is_first, &b->res[i]);
		pthread_mutex_lock(&b->mu);
		b->done[i] = true;
		b->nslow_pending--;
		/* wake the loop (a lost byte only delays it to its next
		 * deadline: the pipe is non-blocking) */
		if (write(b->pipe[1], "x", 1) < 0) {
		}
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static void slow_push(burst_t *b, size_t i)
{
	pthread_mutex_lock(&b->mu);
	b->slowq[b->sq_tail++] = i;
	b->nslow_pending++;
	if (b->sq_tail - b->sq_head > b->idle && b->nth < b->job->window) {
		if (pthread_create(&b->th[b->nth], NULL, slow_worker, b) == 0)
			b->nth++;
	}
	if (b->nth == 0) {
		/* no thread: run it here */
		b->sq_head++;
		pthread_mutex_unlock(&b->mu);
		query_run_banner(b->job->p, b->qs[i], b->job->ban ? b->job->ban[i] : NULL,
		                 i == 0 && b->job->first_is_first, &b->res[i]);
		pthread_mutex_lock(&b->mu);
		b->done[i] = true;
		b->nslow_pending--;
	} else {
		pthread_cond_signal(&b->cv);
	}
	pthread_mutex_unlock(&b->mu);
}

/* ------------------------------------------------------------ deadlines */

static void heap_push(burst_t *b, item_t *it)
{
	size_t i;

	if (b->nheap == b->capheap) {
		b->capheap = b->capheap ? 2 * b->capheap : 256;
		b->heap = zk_xrealloc(b->heap, b->capheap * sizeof(hent_t));
	}
	i = b->nheap++;
	while (i > 0 && b->heap[(i - 1) / 2].when > it->deadline) {
		b->heap[i] = b->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	b->heap[i] = (hent_t){.when = it->deadline, .it = it, .gen = it->gen};
}

static void heap_pop(burst_t *b)
{
	hent_t last = b->heap[--b->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= b->nheap)
			break;
		if (c + 1 < b->nheap && b->heap[c + 1].when < b->heap[c].when)
			c++;
		if (b->heap[c].when >= last.when)
			break;
		b->heap[i] = b->heap[c];
		i = c;
	}
	if (b->nheap > 0)
		b->heap[i] = last;
}

static bool stale(const hent_t *h)
{
	return h->it->gen != h->gen || h->it->q == NULL || h->it->queued;
}

/* ------------------------------------------------------------ sockets */

static int fam_index(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

/* A socket for a query to s: round robin over the family's pool, opened
 * on first use. NULL when no socket can be had (the query goes the
 * normal way and reports why). */
static bsock_t *sock_for(burst_t *b, const query_t *q, const server_t *s)
{
	int f = fam_index(zk_net_addr_family(&s->addr));
	bsock_t *k = &b->socks[f][b->rr[f]++ % NSOCK];

	if (k->fd < 0) {
		zk_net_opts_t no = {0};
		zk_errctx_t ec;
		int fd;
		no.family = q->family;
		zk_errctx_init(&ec);
		fd = zk_net_udp_open(&s->addr, &no, &ec);
		if (fd < 0)
			return NULL;
		{
			/* room for a window's replies arriving at once; the
			 * kernel caps it at rmem_max */
			int sz = 1 << 20;
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		}
		k->fd = fd;
		k->family = zk_net_addr_family(&s->addr);
		k->byid = zk_xcalloc(65536, sizeof(item_t *));
		k->retired = zk_xcalloc(65536, sizeof(uint64_t));
	}
	return k;
}

static void inflight_add(bsock_t *k, item_t *it)
{
	it->prev = k->tail;
	it->next = NULL;
	if (k->tail)
		k->tail->next = it;
	else
		k->head = it;
	k->tail = it;
	k->byid[it->id] = it;
	k->inflight++;
}

static void inflight_del(bsock_t *k, item_t *it, uint64_t now)
{
	if (it->prev)
		it->prev->next = it->next;
	else
		k->head = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		k->tail = it->prev;
	it->prev = it->next = NULL;
	k->byid[it->id] = NULL;
	k->retired[it->id] = now;
	k->inflight--;
}

static void sendq_add(bsock_t *k, item_t *it)
{
	it->queued = true;
	it->snext = NULL;
	if (k->sq_tail)
		k->sq_tail->snext = it;
	else
		k->sq_head = it;
	k->sq_tail = it;
}

/* ------------------------------------------------------------ one query */

static const server_t *server_of(const item_t *it)
{
	return &it->srv->servers[it->si];
}

static unsigned timeout_ms(const item_t *it)
{
	return it->srv->timeout_s ? it->srv->timeout_s * 1000 : DEFAULT_MS;
}

static unsigned tries_of(const item_t *it)
{
	return it->srv->tries ? it->srv->tries : DEFAULT_TRIES;
}

static void item_release(burst_t *b, item_t *it)
{
	zk_tsig_ctx_free(&it->tsig);
	zk_buf_free(&it->ban);
	it->q = NULL;
	it->gen++;
	it->free_next = b->free_items;
	b->free_items = it;
	b->inflight--;
}

static void finish(burst_t *b, item_t *it, int code)
{
	result_t *r = &b->res[it->idx];

	r->code = code;
	query_end(it->q, &r->out, code);
	b->done[it->idx] = true;
	item_release(b, it);
}

static void hand_off(burst_t *b, item_t *it)
{
	size_t i = it->idx;

	zk_buf_reset(&b->res[i].out);
	item_release(b, it);
	slow_push(b, i);
}

/* Build the query for the current server and queue it. false: the item
 * is finished or handed off. */
static bool item_start_server(burst_t *b, item_t *it, uint64_t now)
{
	zk_buf_t *o = &b->res[it->idx].out;
	xchg_t *x = b->x;
	const server_t *s = server_of(it);
	bsock_t *k;
	zk_errctx_t ec;
	int rc = 0;

	if (it->q->family != AF_UNSPEC && zk_net_addr_family(&s->addr) != it->q->family) {
		hand_off(b, it);
		return false;
	}
	k = sock_for(b, it->q, s);
	if (k == NULL) {
		hand_off(b, it);
		return false;
	}
	for (int attempt = 0;; attempt++) {
		uint16_t id;
		zk_errctx_init(&ec);
		zk_arena_reset(b->arena);
		x->gss = NULL;
		rc = query_build(it->q, &it->qname, it->edns, x, b->arena, &ec);
		if (rc < 0)
			break;
		id = zk_get_u16(x->q);
		/* unique among the socket's queries in flight; not one that
		 * finished a moment ago (its late replies are dropped) */
		if (k->byid[id] == NULL &&
		    (attempt >= 16 || k->retired[id] == 0 || now - k->retired[id] > RETIRE_US))
			break;
		if (attempt >= 64) {
			rc = ZK_EINVAL;
			zk_error(&ec, ZK_EINVAL, "no free query ID");
			break;
		}
	}
	if (rc < 0) {
		char msg[600];
		zk_errctx_format(&ec, msg, sizeof(msg));
		zk_buf_printf(o, ";; cannot build the query: %s\n", msg);
		finish(b, it, EXIT_INTERNAL);
		return false;
	}
	it->qmsg = zk_xrealloc(it->qmsg, x->qlen);
	memcpy(it->qmsg, x->q, x->qlen);
	it->qlen = x->qlen;
	memcpy(it->cookie, x->cookie, x->cookie_len);
	it->cookie_len = x->cookie_len;
	zk_tsig_ctx_free(&it->tsig);
	it->tsig = x->tsig; /* moved */
	memset(&x->tsig, 0, sizeof(x->tsig));
	it->signed_q = x->signed_q;
	it->id = zk_get_u16(it->qmsg);
	it->sock = k;
	it->tries = 0;
	memset(&it->st, 0, sizeof(it->st));
	it->start = 0;
	inflight_add(k, it);
	sendq_add(k, it);
	return true;
}

/* The exchange with the current server failed: the next server, or the
 * end of the lookup. */
static void item_fail(burst_t *b, item_t *it, int rc, const zk_errctx_t *ec, uint64_t now)
{
	zk_buf_t *o = &b->res[it->idx].out;
	int code = EXIT_OK;

	inflight_del(it->sock, it, now);
	b->x->st = it->st;
	query_comm_error(o, server_of(it), rc, ec, b->x);
	if (++it->si < it->srv->n) {
		it->gen++;
		item_start_server(b, it, now);
		return;
	}
	query_no_servers(&it->ban, o, &code);
	finish(b, it, code);
}

static void item_reply(burst_t *b, item_t *it, const uint8_t *msg, size_t len, uint64_t now)
{
	xchg_t *x = b->x;
	zk_buf_t *o = &b->res[it->idx].out;
	unsigned rounds = 0;
	int code = EXIT_OK, rcode, edns = it->edns;
	enum reply_step step;

	inflight_del(it->sock, it, now);
	it->st.bytes_in += len;
	it->st.elapsed_us = now - it->start;
	/* RFC 7766 §5: truncated, ask again over TCP: the normal path's job */
	if ((zk_get_u16(msg + 2) & 0x0200) && !it->q->ignore) {
		hand_off(b, it);
		return;
	}
	memcpy(x->r, msg, len);
	x->rlen = len;
	memcpy(x->cookie, it->cookie, it->cookie_len);
	x->cookie_len = it->cookie_len;
	x->proto = "UDP";
	x->st = it->st;
	x->gss = NULL;
	x->signed_q = it->signed_q;
	x->tls_info[0] = '\0';
	zk_tsig_ctx_free(&x->tsig);
	x->tsig = it->tsig; /* moved */
	memset(&it->tsig, 0, sizeof(it->tsig));
	zk_arena_reset(b->arena);
	step = query_take_reply(it->q, server_of(it), x, b->arena, &edns, &rounds, true, &it->ban,
	                        o, &code, &rcode);
	zk_tsig_ctx_free(&x->tsig);
	memset(&x->tsig, 0, sizeof(x->tsig));
	if (step == REPLY_AGAIN) {
		/* the EDNS fallback: the normal path, from the start */
		hand_off(b, it);
		return;
	}
	finish(b, it, code);
}

static srvset_t *servers_for(burst_t *b, const query_t *q)
{
	for (cache_t *c = b->cache; c != NULL; c = c->next) {
		const query_t *k = &c->key;
		if (k->have_server == q->have_server && strcmp(k->server, q->server) == 0 &&
		    k->port == q->port && k->family == q->family && k->tls == q->tls &&
		    k->timeout_s == q->timeout_s && k->timeout_set == q->timeout_set &&
		    k->tries == q->tries && k->tries_set == q->tries_set)
			return c->rc == 0 ? &c->s : NULL;
	}
	{
		cache_t *c = zk_xcalloc(1, sizeof(*c));
		zk_buf_t junk;
		zk_buf_init(&junk);
		c->key = *q;
		c->rc = query_servers(&c->key, &c->s, &junk);
		zk_buf_free(&junk);
		c->next = b->cache;
		b->cache = c;
		return c->rc == 0 ? &c->s : NULL;
	}
}

/* Take lookup i: onto the fast path, or to the workers. */
static void start(burst_t *b, size_t i, uint64_t now)
{
	const burst_job_t *j = b->job;
	const query_t *q = j->get(j->qud, i);
	srvset_t *s;
	item_t *it;
	char name[ZK_NAME_TEXTMAX];
	bool first = i == 0 && j->first_is_first;
	int code = EXIT_OK;

	if (q == NULL) {
		zk_buf_puts(&b->res[i].out, ";; out of memory\n");
		b->res[i].code = EXIT_INTERNAL;
		b->done[i] = true;
		return;
	}
	b->qs[i] = q;
	if (!burst_eligible(q) || (s = servers_for(b, q)) == NULL || s->n == 0 ||
	    query_first_name(q, s, name, sizeof(name)) != 1) {
		slow_push(b, i);
		return;
	}
	it = b->free_items;
	b->free_items = it->free_next;
	b->inflight++;
	it->idx = i;
	it->q = q;
	it->srv = s;
	it->si = 0;
	it->edns = q->edns ? q->edns_version : -1;
	it->queued = false;
	zk_buf_init(&it->ban);
	query_banner_head(j->p, q, j->ban ? j->ban[i] : NULL, first, &it->ban);
	query_banner_tail(q, first, s->n, &it->ban);
	if (query_qname(q, name, &it->qname, &b->res[i].out, &code) < 0) {
		finish(b, it, code);
		return;
	}
	item_start_server(b, it, now);
}

/* ------------------------------------------------------------ I/O */

static void send_queue(burst_t *b, bsock_t *k)
{
	unsigned refused = 0;

	while (k->sq_head != NULL) {
		item_t *batch[BATCH];
		unsigned n = 0;
		int r;
		for (item_t *it = k->sq_head; it != NULL && n < BATCH; it = it->snext) {
			const server_t *s = server_of(it);
			batch[n] = it;
			b->iov[n] = (struct iovec){.iov_base = it->qmsg, .iov_len = it->qlen};
			memset(&b->mm[n], 0, sizeof(b->mm[n]));
			b->mm[n].msg_hdr.msg_name = (void *)&s->addr.ss;
			b->mm[n].msg_hdr.msg_namelen = s->addr.len;
			b->mm[n].msg_hdr.msg_iov = &b->iov[n];
			b->mm[n].msg_hdr.msg_iovlen = 1;
			n++;
		}
		r = sendmmsg(k->fd, b->mm, n, 0);
		if (r < 0) {
			zk_errctx_t ec;
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return; /* poll for POLLOUT */
			if ((errno == ECONNREFUSED || errno == EHOSTUNREACH ||
			     errno == ENETUNREACH || errno == EHOSTDOWN) &&
			    refused++ < 8)
				continue; /* an earlier ICMP error reported here: it
				           * is in the error queue, for its query */
			/* this query cannot be sent */
			zk_errctx_init(&ec);
			ec.code = ZK_ENET;
			snprintf(ec.msg, sizeof(ec.msg), "send: %s", strerror(errno));
			r = 0;
			{
				item_t *it = k->sq_head;
				k->sq_head = it->snext;
				if (k->sq_head == NULL)
					k->sq_tail = NULL;
				it->queued = false;
				item_fail(b, it, ZK_ENET, &ec, now_us());
			}
			continue;
		}
		{
			uint64_t now = now_us();
			for (int i = 0; i < r; i++) {
				item_t *it = batch[i];
				k->sq_head = it->snext;
				it->queued = false;
				if (it->tries == 0)
					it->start = now;
				it->tries++;
				it->st.sent++;
				it->st.bytes_out += it->qlen;
				it->gen++;
				it->deadline = now + (uint64_t)timeout_ms(it) * 1000u;
				heap_push(b, it);
			}
			if (k->sq_head == NULL)
				k->sq_tail = NULL;
		}
	}
}

/* The ICMP errors queued on k: each ends its query's try with this server
 * (net.c's "connection refused"). */
static void drain_errors(burst_t *b, bsock_t *k)
{
	uint8_t buf[64];
	zk_net_addr_t dest;
	size_t len;
	int e;

	while (zk_net_udp_error(k->fd, &dest, buf, sizeof(buf), &len, &e) == 1) {
		item_t *it;
		zk_errctx_t ec;
		if (len < 2)
			continue;
		it = k->byid[zk_get_u16(buf)];
		if (it == NULL || it->queued || !zk_net_addr_eq(&dest, &server_of(it)->addr))
			continue;
		zk_errctx_init(&ec);
		ec.code = ZK_ENET;
		snprintf(ec.msg, sizeof(ec.msg), "%s",
		         e == ECONNREFUSED ? "connection refused" : strerror(e));
		zk_net_addr_to_text(&dest, ec.peer, sizeof(ec.peer));
		item_fail(b, it, ZK_ENET, &ec, now_us());
	}
}

static void recv_batch(burst_t *b, bsock_t *k)
{
	for (;;) {
		int r;
		uint64_t now;
		for (unsigned i = 0; i < BATCH; i++) {
			b->iov[i] = (struct iovec){.iov_base = b->rbuf + (size_t)i * MAXMSG,
			                           .iov_len = MAXMSG};
			memset(&b->mm[i], 0, sizeof(b->mm[i]));
			b->mm[i].msg_hdr.msg_name = &b->from[i].ss;
			b->mm[i].msg_hdr.msg_namelen = sizeof(b->from[i].ss);
			b->mm[i].msg_hdr.msg_iov = &b->iov[i];
			b->mm[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(k->fd, b->mm, BATCH, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			/* a pending ICMP error: its query is in the queue */
			drain_errors(b, k);
			continue;
		}
		now = now_us();
		for (int i = 0; i < r; i++) {
			const uint8_t *msg = b->iov[i].iov_base;
			size_t len = b->mm[i].msg_len;
			enum zk_net_mismatch why;
			item_t *it = NULL;
			b->from[i].len = b->mm[i].msg_hdr.msg_namelen;
			if (len >= 2) {
				uint16_t id = zk_get_u16(msg);
				it = k->byid[id];
				/* a late reply to a finished query: its own
				 * socket would be closed by now */
				if (it == NULL && k->retired[id] != 0 &&
				    now - k->retired[id] <= RETIRE_US)
					continue;
			}
			if (it == NULL)
				it = k->head;
			if (it == NULL)
				continue;
			if (zk_net_udp_check(&server_of(it)->addr, &b->from[i],
			                     (b->mm[i].msg_hdr.msg_flags & MSG_TRUNC) != 0,
			                     it->qmsg, it->qlen, msg, len,
			                     it->q->header_only ? ZK_NET_MATCH_NOQUESTION : 0,
			                     &why) != 0) {
				it->st.mismatched++;
				it->st.why[why]++;
				continue;
			}
			if (it->queued) {
				/* answered while waiting to be sent again */
				item_t **pp = &k->sq_head, *prev = NULL;
				while (*pp != it) {
					prev = *pp;
					pp = &(*pp)->snext;
				}
				*pp = it->snext;
				if (k->sq_tail == it)
					k->sq_tail = prev;
				it->queued = false;
			}
			item_reply(b, it, msg, len, now);
		}
		if (r < BATCH)
			return;
	}
}

static void expire(burst_t *b, uint64_t now)
{
	while (b->nheap > 0) {
		hent_t h = b->heap[0];
		item_t *it = h.it;
		if (stale(&h)) {
			heap_pop(b);
			continue;
		}
		if (h.when > now)
			return;
		heap_pop(b);
		if (it->tries < tries_of(it)) {
			/* another try: the same message, so a late reply to the
			 * earlier one is taken too (as net.c does) */
			sendq_add(it->sock, it);
		} else {
			zk_errctx_t ec;
			zk_errctx_init(&ec);
			it->st.elapsed_us = now - it->start;
			item_fail(b, it, ZK_ETIMEOUT, &ec, now);
		}
	}
}

/* Print the finished prefix. */
static void print_ready(burst_t *b)
{
	pthread_mutex_lock(&b->mu);
	while (b->printed < b->job->n && b->done[b->printed]) {
		size_t i = b->printed++;
		pthread_mutex_unlock(&b->mu);
		if (b->emit(b->ud, &b->res[i]) < 0)
			b->code = EXIT_INTERNAL;
		if (b->res[i].code > b->code)
			b->code = b->res[i].code;
		zk_buf_free(&b->res[i].out);
		if (b->qs[i] != NULL)
			b->job->put(b->job->qud, i, b->qs[i]);
		b->qs[i] = NULL;
		pthread_mutex_lock(&b->mu);
	}
	pthread_mutex_unlock(&b->mu);
}

static void loop(burst_t *b)
{
	const burst_job_t *j = b->job;
	struct pollfd pf[2 * NSOCK + 1];
	bsock_t *pk[2 * NSOCK];

	while (b->printed < j->n) {
		uint64_t now = now_us();
		int np = 0, wait_ms = -1;
		while (b->next < j->n && b->inflight < j->window)
			start(b, b->next++, now);
		for (int f = 0; f < 2; f++)
			for (int s = 0; s < NSOCK; s++)
				if (b->socks[f][s].fd >= 0)
					send_queue(b, &b->socks[f][s]);
		print_ready(b);
		if (b->printed >= j->n)
			break;
		expire(b, now_us());
		/* the last lookups may have just timed out, making room */
		print_ready(b);
		if (b->printed >= j->n)
			break;
		if (b->next < j->n && b->inflight < j->window)
			continue;
		if (b->nheap > 0) {
			now = now_us();
			wait_ms = b->heap[0].when <= now
			              ? 0
			              : (int)((b->heap[0].when - now + 999) / 1000);
		}
		if (wait_ms != 0 && b->flush(b->ud) < 0)
			b->code = EXIT_INTERNAL;
		for (int f = 0; f < 2; f++)
			for (int s = 0; s < NSOCK; s++) {
				bsock_t *k = &b->socks[f][s];
				if (k->fd < 0 || (k->inflight == 0 && k->sq_head == NULL))
					continue;
				pf[np] = (struct pollfd){
				    .fd = k->fd, .events = POLLIN | (k->sq_head ? POLLOUT : 0)};
				pk[np++] = k;
			}
		if (np == 0 && wait_ms < 0) {
			bool waiting, ready;
			pthread_mutex_lock(&b->mu);
			waiting = b->nslow_pending > 0;
			ready = b->done[b->printed];
			pthread_mutex_unlock(&b->mu);
			if (ready)
				continue;
			if (!waiting) {
				/* nothing left that could finish a lookup: a bug,
				 * but never a hang */
				fprintf(stderr, "%s: internal error: batch stalled at line %zu\n",
				        j->p->prog, b->printed + 1);
				b->code = EXIT_INTERNAL;
				break;
			}
		}
		pf[np] = (struct pollfd){.fd = b->pipe[0], .events = POLLIN};
		if (poll(pf, (nfds_t)np + 1, wait_ms) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < np; i++) {
			if (pf[i].revents & POLLERR)
				drain_errors(b, pk[i]);
			if (pf[i].revents & POLLIN)
				recv_batch(b, pk[i]);
		}
		if (pf[np].revents & POLLIN) {
			char junk[256];
			while (read(b->pipe[0], junk, sizeof(junk)) > 0) {
			}
		}
	}
}

int burst_run(const burst_job_t *j, int (*emit)(void *, result_t *), int (*flush)(void *), void *ud)
{
	burst_t *b = zk_xcalloc(1, sizeof(*b));
	size_t nitems = j->window ? j->window : 1;
	int code;

	b->job = j;
	b->emit = emit;
	b->flush = flush;
	b->ud = ud;
	b->res = zk_xcalloc(j->n ? j->n : 1, sizeof(result_t));
	b->done = zk_xcalloc(j->n ? j->n : 1, sizeof(bool));
	b->qs = zk_xcalloc(j->n ? j->n : 1, sizeof(query_t *));
	b->slowq = zk_xcalloc(j->n ? j->n : 1, sizeof(size_t));
	b->th = zk_xcalloc(nitems, sizeof(pthread_t));
	b->items = zk_xcalloc(nitems, sizeof(item_t));
	for (size_t i = 0; i < nitems; i++) {
		b->items[i].free_next = b->free_items;
		b->free_items = &b->items[i];
	}
	for (int f = 0; f < 2; f++)
		for (int s = 0; s < NSOCK; s++)
			b->socks[f][s].fd = -1;
	for (size_t i = 0; i < j->n; i++)
		zk_buf_init(&b->res[i].out);
	b->x = zk_xcalloc(1, sizeof(xchg_t));
	b->arena = zk_arena_new(0);
	b->mm = zk_xcalloc(BATCH, sizeof(struct mmsghdr));
	b->iov = zk_xcalloc(BATCH, sizeof(struct iovec));
	b->from = zk_xcalloc(BATCH, sizeof(zk_net_addr_t));
	b->rbuf = zk_xmalloc((size_t)BATCH * MAXMSG);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	if (b->arena == NULL || pipe2(b->pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		fprintf(stderr, "%s: cannot set up the batch: %s\n", j->p->prog, strerror(errno));
		code = EXIT_INTERNAL;
		goto out;
	}
	loop(b);
	code = b->code;
	close(b->pipe[0]);
	close(b->pipe[1]);
out:
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	for (size_t i = 0; i < b->nth; i++)
		pthread_join(b->th[i], NULL);
	for (int f = 0; f < 2; f++)
		for (int s = 0; s < NSOCK; s++) {
			bsock_t *k = &b->socks[f][s];
			if (k->fd >= 0)
				close(k->fd);
			free(k->byid);
			free(k->retired);
		}
	while (b->cache != NULL) {
		cache_t *c = b->cache;
		b->cache = c->next;
		if (c->rc == 0)
			srvset_free(&c->s);
		free(c);
	}
	for (size_t i = 0; i < j->n; i++) {
		zk_buf_free(&b->res[i].out);
		if (b->qs[i] != NULL)
			j->put(j->qud, i, b->qs[i]);
	}
	zk_tsig_ctx_free(&b->x->tsig);
	zk_arena_free(b->arena);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b->x);
	free(b->mm);
	free(b->iov);
	free(b->from);
	free(b->rbuf);
	free(b->heap);
	for (size_t i = 0; i < nitems; i++)
		free(b->items[i].qmsg);
	free(b->items);
	free(b->th);
	free(b->slowq);
	free(b->done);
	free(b->qs);
	free(b->res);
	free(b);
	return code;
}
