/* zdig — running: --read prints a saved message; live lookups from the
 * command line, and -f batches run concurrently (+parallel in flight:
 * plain UDP lookups on burst.c's event loop, the others on worker
 * threads) and printed in input order, each line with dig's banner. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "encode.h"
#include "err.h"
#include "msg.h"
#include "burst.h"
#include "zdig.h"

/* A saved message in hex is at most 64 KiB of octets; allow generous
 * comments around it, but not unbounded input. */
#define MAX_INPUT (4u << 20)

static int read_all(const char *path, zk_buf_t *b, const char *prog)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int code = EXIT_OK;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return EXIT_NOFILE;
	}
	for (;;) {
		char *room = zk_buf_room(b, 65536);
		size_t n;
		if (room == NULL) {
			fprintf(stderr, "%s: out of memory\n", prog);
			code = EXIT_INTERNAL;
			break;
		}
		n = fread(room, 1, 65536, f);
		zk_buf_advance(b, n);
		if (b->len > MAX_INPUT) {
			fprintf(stderr, "%s: %s: input larger than %u octets\n", prog, path,
			        MAX_INPUT);
			code = EXIT_INTERNAL;
			break;
		}
		if (n < 65536) {
			if (ferror(f)) {
				fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
				code = EXIT_NOFILE;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	return code;
}

/* Hex when every octet is a hex digit, whitespace, or inside a comment
 * that starts with '#' or ';' and runs to the end of the line (xxd -p,
 * tcpdump -xx pasted with notes, our t/data/msg files). */
static bool looks_hex(const char *s, size_t n)
{
	bool digits = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#' || c == ';') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (isxdigit(c)) {
			digits = true;
		} else if (!isspace(c)) {
			return false;
		}
	}
	return digits;
}

/* Keep the hex digits only; returns their count. */
static size_t hex_digits(char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '#' || s[i] == ';') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (isxdigit((unsigned char)s[i])) {
			s[k++] = s[i];
		}
	}
	return k;
}

static int print_msg(const params_t *p, const zk_msg_t *m, size_t size)
{
	zk_style_t style;
	zk_buf_t out;
	int code = EXIT_OK;

	params_style(&p->glob.d, &style);
	zk_buf_init(&out);
	if (p->glob.d.json) {
		if (zk_present_msg_json(m, &style, NULL, &out) < 0)
			code = EXIT_INTERNAL;
		zk_buf_putc(&out, '\n');
	} else {
		zk_present_msg(m, &style, &out);
		if (p->glob.d.stats && !style.short_form)
			zk_buf_printf(&out, ";; MSG SIZE  rcvd: %zu\n\n", size);
	}
	if (out.err || code != EXIT_OK) {
		fprintf(stderr, "%s: out of memory\n", p->prog);
		code = EXIT_INTERNAL;
	} else if (out.len > 0 &&
	           (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)) {
		fprintf(stderr, "%s: write error: %s\n", p->prog, strerror(errno));
		code = EXIT_INTERNAL;
	}
	zk_buf_free(&out);
	return code;
}

static int run_read(const params_t *p)
{
	const char *name = strcmp(p->read_file, "-") == 0 ? "(stdin)" : p->read_file;
	zk_buf_t in;
	zk_arena_t *a = NULL;
	zk_msg_t m;
	zk_errctx_t ec;
	const uint8_t *wire;
	uint8_t *hexbuf = NULL;
	size_t len;
	int code;

	zk_buf_init(&in);
	code = read_all(p->read_file, &in, p->prog);
	if (code != EXIT_OK)
		goto done;
	if (in.len == 0) {
		fprintf(stderr, "%s: %s: no message (empty input)\n", p->prog, name);
		code = EXIT_NOREPLY;
		goto done;
	}
	wire = (const uint8_t *)in.data;
	len = in.len;
	if (looks_hex(in.data, in.len)) {
		size_t nd = hex_digits(in.data, in.len), outlen = 0;
		if (nd % 2 != 0) {
			fprintf(stderr, "%s: %s: odd number of hex digits (%zu)\n", p->prog, name,
			        nd);
			code = EXIT_INTERNAL;
			goto done;
		}
		hexbuf = malloc(nd / 2 + 1);
		if (hexbuf == NULL) {
			fprintf(stderr, "%s: out of memory\n", p->prog);
			code = EXIT_INTERNAL;
			goto done;
		}
		if (zk_hex_decode(in.data, nd, hexbuf, nd / 2 + 1, &outlen) < 0) {
			fprintf(stderr, "%s: %s: bad hex\n", p->prog, name);
			code = EXIT_INTERNAL;
			goto done;
		}
		wire = hexbuf;
		len = outlen;
	}
	if (len > 65535) {
		fprintf(stderr, "%s: %s: %zu octets is longer than any DNS message (65535)\n",
		        p->prog, name, len);
		code = EXIT_INTERNAL;
		goto done;
	}
	a = zk_arena_new(0);
	if (a == NULL) {
		fprintf(stderr, "%s: out of memory\n", p->prog);
		code = EXIT_INTERNAL;
		goto done;
	}
	zk_errctx_init(&ec);
	if (zk_msg_parse(&m, wire, len, a, &ec) < 0) {
		char msg[512];
		zk_errctx_format(&ec, msg, sizeof(msg));
		fprintf(stderr, "%s: %s: %s\n", p->prog, name, msg);
		code = EXIT_INTERNAL;
		goto done;
	}
	code = print_msg(p, &m, len);
done:
	zk_arena_free(a);
	free(hexbuf);
	zk_buf_free(&in);
	return code;
}

/* flush: at once (lookups of the command line, so that output and
 * diagnostics interleave in order); a batch is flushed at the end. */
static int write_out(const params_t *p, const zk_buf_t *b, bool flush)
{
	if ((b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len) ||
	    (flush && fflush(stdout) != 0)) {
		fprintf(stderr, "%s: write error: %s\n", p->prog, strerror(errno));
		return -1;
	}
	return 0;
}

/* The exit code of several lookups: the worst one. */
static int worse(int a, int b)
{
	return b > a ? b : a;
}

typedef struct batch {
	const params_t *p;
	const query_t *q;
	const char *const *ban;
	bool first_is_first;
	size_t n;
	result_t *res;
	bool *done;
	size_t next;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} batch_t;

static void *worker(void *arg)
{
	batch_t *b = arg;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&b->mu);
		i = b->next++;
		pthread_mutex_unlock(&b->mu);
		if (i >= b->n)
			return NULL;
		query_run_banner(b->p, &b->q[i], b->ban[i], i == 0 && b->first_is_first,
		                 &b->res[i]);
		pthread_mutex_lock(&b->mu);
		b->done[i] = true;
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
	}
}

/* The batch's output: gathered and written in large pieces. */
typedef struct sink {
	const params_t *p;
	zk_buf_t buf;
	bool failed;
} sink_t;

#define SINK_CHUNK 65536

static int sink_flush(void *ud)
{
	sink_t *k = ud;

	if (k->buf.len > 0 && !k->failed && write_out(k->p, &k->buf, true) < 0)
		k->failed = true;
	zk_buf_reset(&k->buf);
	return k->failed ? -1 : 0;
}

static int sink_emit(void *ud, result_t *r)
{
	sink_t *k = ud;

	zk_buf_put(&k->buf, r->out.data, r->out.len);
	if (k->buf.err) {
		fprintf(stderr, "%s: out of memory\n", k->p->prog);
		k->failed = true;
		zk_buf_reset(&k->buf);
	}
	if (k->buf.len >= SINK_CHUNK)
		return sink_flush(k);
	return k->failed ? -1 : 0;
}

/* The batch's lookups, made from their lines when they start: a query_t
 * is several KiB, so 10,000 of them at once cost more than the queries. */
typedef struct lines {
	const params_t *p;
	char **text;     /* the lines as read */
	size_t *line_of; /* lookup → line */
	unsigned *k_of;  /* lookup → its place on the line */
} lines_t;

static const query_t *lines_get(void *ud, size_t i)
{
	lines_t *l = ud;
	char *copy = zk_xstrdup(l->text[l->line_of[i]]), err[512];
	query_t *q = NULL, *one = NULL;
	size_t n = 0, cap = 0;

	/* the line parsed once already (run_batch): it parses again */
	if (params_parse_line(l->p, &l->p->glob, copy, &q, &n, &cap, err, sizeof(err)) == 0 &&
	    l->k_of[i] < n) {
		one = zk_xmalloc(sizeof(*one));
		*one = q[l->k_of[i]];
	}
	free(q);
	free(copy);
	return one;
}

static void lines_put(void *ud, size_t i, const query_t *q)
{
	(void)ud, (void)i;
	free((void *)q);
}

/* The threaded runner alone (ZDIG_SLOWBATCH=1, to compare against): up to
 * `window` lookups in flight, each query_run on a thread of its own. */
static int run_threads(const params_t *p, lines_t *l, const char *const *ban, size_t n,
                       unsigned window, bool first_is_first, sink_t *k)
{
	batch_t b = {.p = p, .ban = ban, .first_is_first = first_is_first, .n = n};
	query_t *all = zk_xcalloc(n ? n : 1, sizeof(query_t));
	pthread_t *th;
	size_t nth = window < n ? window : n;
	int code = EXIT_OK;
	size_t started = 0;

	for (size_t i = 0; i < n; i++) {
		const query_t *q = lines_get(l, i);
		if (q == NULL) {
			fprintf(stderr, "%s: out of memory\n", p->prog);
			free(all);
			return EXIT_INTERNAL;
		}
		all[i] = *q;
		lines_put(l, i, q);
	}
	b.q = all;
	b.res = zk_xcalloc(n ? n : 1, sizeof(result_t));
	b.done = zk_xcalloc(n ? n : 1, sizeof(bool));
	th = zk_xcalloc(nth ? nth : 1, sizeof(pthread_t));
	pthread_mutex_init(&b.mu, NULL);
	pthread_cond_init(&b.cv, NULL);
	for (size_t i = 0; i < n; i++)
		zk_buf_init(&b.res[i].out);
	for (size_t i = 0; i < nth; i++) {
		if (pthread_create(&th[i], NULL, worker, &b) != 0)
			break;
		started++;
	}
	if (started == 0 && n > 0)
		worker(&b);
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&b.mu);
		if (!b.done[i]) {
			pthread_mutex_unlock(&b.mu);
			if (sink_flush(k) < 0)
				code = worse(code, EXIT_INTERNAL);
			pthread_mutex_lock(&b.mu);
		}
		while (!b.done[i])
			pthread_cond_wait(&b.cv, &b.mu);
		pthread_mutex_unlock(&b.mu);
		if (sink_emit(k, &b.res[i]) < 0)
			code = worse(code, EXIT_INTERNAL);
		code = worse(code, b.res[i].code);
		zk_buf_free(&b.res[i].out);
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&b.mu);
	pthread_cond_destroy(&b.cv);
	free(th);
	free(b.done);
	free(b.res);
	free(all);
	return code;
}

/* Run n lookups with up to `window` in flight; print in order as soon as
 * each one's predecessors are printed. Plain UDP lookups take the fast
 * path (burst.c), the others run on threads. */
static int run_many(const params_t *p, lines_t *l, const char *const *ban, size_t n,
                    unsigned window, bool first_is_first)
{
	const char *slow = getenv("ZDIG_SLOWBATCH");
	sink_t k = {.p = p};
	int code;

	zk_buf_init(&k.buf);
	if (slow != NULL && strcmp(slow, "1") == 0) {
		code = run_threads(p, l, ban, n, window, first_is_first, &k);
	} else {
		burst_job_t j = {.p = p,
		                 .get = lines_get,
		                 .put = lines_put,
		                 .qud = l,
		                 .ban = ban,
		                 .n = n,
		                 .window = window ? window : 1,
		                 .first_is_first = first_is_first};
		code = burst_run(&j, sink_emit, sink_flush, &k);
	}
	if (sink_flush(&k) < 0)
		code = worse(code, EXIT_INTERNAL);
	zk_buf_free(&k.buf);
	return code;
}

/* dig -f prints each line's words, one space apart, in its banner. */
static char *banner_words(const char *line)
{
	size_t n = strlen(line), k = 0;
	char *w = zk_xmalloc(n + 1);

	for (size_t i = 0; i < n;) {
		if (isspace((unsigned char)line[i])) {
			i++;
			continue;
		}
		if (k > 0)
			w[k++] = ' ';
		while (i < n && !isspace((unsigned char)line[i]))
			w[k++] = line[i++];
	}
	w[k] = '\0';
	return w;
}

/* -f FILE: one lookup per line, the command line's syntax; blank lines and
 * lines starting with '#' or ';' are skipped. Every line is checked before
 * the first query is sent. */
static int run_batch(params_t *p)
{
	FILE *f = strcmp(p->batch_file, "-") == 0 ? stdin : fopen(p->batch_file, "r");
	char line[8192], err[512];
	query_t *q = NULL;
	char **ban = NULL;
	lines_t l = {.p = p};
	size_t n = 0, nq = 0, cap = 0, qcap = 0, nlines = 0, lcap = 0;
	unsigned lineno = 0;
	int code = EXIT_OK;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", p->prog, p->batch_file, strerror(errno));
		return EXIT_NOFILE;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = line, *keep;
		lineno++;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '\n' || *s == '#' || *s == ';')
			continue;
		keep = zk_xstrdup(s);
		n = 0;
		if (params_parse_line(p, &p->glob, s, &q, &n, &cap, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s: %s:%u: %s\n", p->prog, p->batch_file, lineno, err);
			free(keep);
			code = EXIT_USAGE;
			goto out;
		}
		if (nlines == lcap) {
			lcap = lcap ? 2 * lcap : 256;
			l.text = zk_xrealloc(l.text, lcap * sizeof(char *));
		}
		l.text[nlines] = keep;
		if (nq + n > qcap) {
			qcap = 2 * (nq + n) + 256;
			ban = zk_xrealloc(ban, qcap * sizeof(char *));
			l.line_of = zk_xrealloc(l.line_of, qcap * sizeof(size_t));
			l.k_of = zk_xrealloc(l.k_of, qcap * sizeof(unsigned));
		}
		for (size_t i = 0; i < n; i++) {
			/* the banner goes with the line's first lookup */
			ban[nq] = i == 0 ? banner_words(keep) : NULL;
			l.line_of[nq] = nlines;
			l.k_of[nq] = (unsigned)i;
			nq++;
		}
		nlines++;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: %s\n", p->prog, p->batch_file, strerror(errno));
		code = EXIT_NOFILE;
		goto out;
	}
	code = run_many(p, &l, (const char *const *)ban, nq, p->glob.parallel, p->nq == 0);
out:
	if (f != stdin)
		fclose(f);
	for (size_t i = 0; i < nq; i++)
		free(ban[i]);
	for (size_t i = 0; i < nlines; i++)
		free(l.text[i]);
	free(l.text);
	free(l.line_of);
	free(l.k_of);
	free(ban);
	free(q);
	return code;
}

static int run_all(params_t *p)
{
	int code = EXIT_OK;

	if (p->interactive)
		return shell_run(p);
	/* Lookups of the command line, one after the other as dig does. */
	for (size_t i = 0; i < p->nq; i++) {
		result_t r;
		zk_buf_init(&r.out);
		query_run(p, &p->q[i], i == 0, &r);
		if (write_out(p, &r.out, true) < 0)
			code = worse(code, EXIT_INTERNAL);
		code = worse(code, r.code);
		zk_buf_free(&r.out);
	}
	if (p->batch_file != NULL)
		code = worse(code, run_batch(p));
	return code;
}

int exec_run(params_t *p)
{
	int code;

	if (p->read_file != NULL)
		return run_read(p);
	code = run_all(p);
	/* -g: delete the GSS-TSIG contexts (RFC 2930 §4.1, TKEY mode 5) */
	gsstsig_finish();
	return code;
}
