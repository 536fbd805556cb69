/* zxfr — output. A file is written to a temporary file in its directory
 * and renamed over the old one only once the transfer is complete and
 * valid (and --verify passed): a cut, broken or unsigned transfer never
 * replaces a good zone, and a reader never sees half a file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lint.h"
#include "name.h"
#include "rdata.h"
#include "rrtype.h"
#include "zone.h"
#include "zonefile.h"
#include "zonemd.h"

#include "out.h"

#define FLUSH_AT (256u << 10)

/* For the signal handler: the temporary file to remove. */
static char sig_tmp[4096];
static volatile sig_atomic_t sig_have_tmp;

static void on_signal(int sig)
{
	if (sig_have_tmp)
		unlink(sig_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

void out_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---------------------------------------------------------------- local serial */

struct serial_ctx {
	const zk_name_t *zone;
	uint32_t serial;
	bool found;
};

static int serial_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	struct serial_ctx *c = ctx;

	(void)loc;
	if (rr->type != ZK_TYPE_SOA || !zk_name_eq(rr->owner, c->zone))
		return 0;
	if (zk_xfr_soa_serial(rr->rdata, rr->rdlen, &c->serial) < 0)
		return 0;
	c->found = true;
	return 1; /* stop: the first SOA is enough */
}

int out_file_serial(const char *path, const zk_name_t *zone, uint32_t *serial, zk_errctx_t *ec)
{
	struct serial_ctx c = {.zone = zone};
	zk_zf_opts_t o;
	int rc;

	if (access(path, F_OK) != 0)
		return zk_error(ec, ZK_ENOENT, "%s: %s", path, strerror(errno));
	zk_zf_opts_init(&o);
	o.origin = zone;
	o.on_rr = serial_rr;
	o.ctx = &c;
	rc = zk_zonefile_parse_file(path, &o, NULL, ec);
	if (c.found) {
		*serial = c.serial;
		return 0;
	}
	if (rc < 0)
		return rc;
	return zk_error(ec, ZK_EZONE, "%s: no SOA record for the zone", path);
}

/* ---------------------------------------------------------------- writing */

static void flush(sink_t *s, bool force)
{
	if (s->buf.len == 0 || (!force && s->buf.len < FLUSH_AT))
		return;
	if (s->buf.err && s->err == 0)
		s->err = ZK_ENOMEM;
	if (s->err == 0 && fwrite(s->buf.data, 1, s->buf.len, s->f) != s->buf.len)
		s->err = ZK_EIO;
	zk_buf_reset(&s->buf);
}

int sink_open(sink_t *s, const params_t *p, zk_errctx_t *ec)
{
	memset(s, 0, sizeof(*s));
	s->p = p;
	zk_buf_init(&s->buf);
	zk_style_zone(&s->style);
	s->progress = p->progress == 1 || (p->progress < 0 && !p->quiet && isatty(2));
	s->t0_us = s->last_us = now_us();
	s->arena = zk_arena_new(0);
	if (s->arena == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	if (p->out == NULL) {
		s->f = stdout;
		return 0;
	}
	/* The temporary file sits in the target's directory, so the rename is
	 * atomic (same file system). */
	size_t n = strlen(p->out);
	const char *slash = strrchr(p->out, '/');
	size_t dirlen = slash ? (size_t)(slash - p->out) + 1 : 0;
	s->tmp = malloc(n + 16);
	if (s->tmp == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	memcpy(s->tmp, p->out, dirlen);
	snprintf(s->tmp + dirlen, n + 16 - dirlen, ".%s.XXXXXX", p->out + dirlen);
	int fd = mkstemp(s->tmp);
	if (fd < 0) {
		int e = errno;
		free(s->tmp);
		s->tmp = NULL;
		return zk_error(ec, ZK_EIO, "cannot create a temporary file next to %s: %s", p->out,
		                strerror(e));
	}
	if (strlen(s->tmp) < sizeof(sig_tmp)) {
		memcpy(sig_tmp, s->tmp, strlen(s->tmp) + 1);
		sig_have_tmp = 1;
	}
	/* A zone file is public data: the mode a new file would get. */
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	s->f = fdopen(fd, "w");
	if (s->f == NULL) {
		close(fd);
		sink_abort(s);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	return 0;
}

static void put_json(sink_t *s, const char *op, const zk_rr_t *rr)
{
	char owner[ZK_NAME_TEXTMAX], type[16], cls[16];
	zk_buf_t rd;
	json_t *o;
	char *text;

	zk_name_to_cstr(rr->owner, owner, sizeof(owner));
	zk_rrtype_to_text(rr->type, type, sizeof(type));
	zk_rrclass_to_text(rr->rclass, cls, sizeof(cls));
	zk_buf_init(&rd);
	zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, ZK_RDTEXT_NOSPLIT, "", &rd);
	o = json_pack("{s:s,s:I,s:s,s:s,s:s}", "name", owner, "ttl", (json_int_t)rr->ttl, "class",
	              cls, "type", type, "rdata", rd.data ? rd.data : "");
	if (o != NULL && op != NULL)
		json_object_set_new(o, "op", json_string(op));
	text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (text == NULL) {
		s->err = ZK_ENOMEM;
	} else {
		zk_buf_puts(&s->buf, text);
		zk_buf_putc(&s->buf, '\n');
	}
	free(text);
	json_decref(o);
	zk_buf_free(&rd);
}

static void put_rr(sink_t *s, const char *op, const zk_rr_t *rr)
{
	if (s->p->json)
		put_json(s, op, rr);
	else
		zk_present_rr(rr, &s->style, &s->buf);
	flush(s, false);
}

int sink_rr(void *ctx, zk_xfr_ev_t ev, const zk_rr_t *rr)
{
	sink_t *s = ctx;

	if (ev == ZK_XFR_RR) {
		if (!s->have_soa && rr->type == ZK_TYPE_SOA && rr->rdlen <= sizeof(s->soa_rd)) {
			zk_name_copy(&s->soa_owner, rr->owner);
			memcpy(s->soa_rd, rr->rdata, rr->rdlen);
			s->soa = *rr;
			s->soa.owner = &s->soa_owner;
			s->soa.rdata = s->soa_rd;
			s->have_soa = true;
		}
		put_rr(s, NULL, rr);
		return s->err;
	}
	if (s->p->out == NULL) {
		/* No local copy: show the differences as they come. */
		put_rr(s, ev == ZK_XFR_DEL ? "del" : "add", rr);
		return s->err;
	}
	/* Keep the deltas: they are applied once the transfer is complete. */
	if (s->nops == s->capops) {
		size_t cap = s->capops ? s->capops * 2 : 256;
		delta_op_t *n = realloc(s->ops, cap * sizeof(*n));
		if (n == NULL)
			return ZK_ENOMEM;
		s->ops = n;
		s->capops = cap;
	}
	delta_op_t *d = &s->ops[s->nops];
	d->ev = ev;
	d->rr = *rr;
	d->rr.owner = zk_name_dup(s->arena, rr->owner);
	d->rr.rdata = rr->rdlen ? zk_arena_memdup(s->arena, rr->rdata, rr->rdlen) : NULL;
	if (d->rr.owner == NULL || (rr->rdlen && d->rr.rdata == NULL))
		return ZK_ENOMEM;
	s->nops++;
	return 0;
}

static void human(uint64_t v, char *buf, size_t cap)
{
	if (v >= 10u << 20)
		snprintf(buf, cap, "%.1f MiB", (double)v / (1 << 20));
	else if (v >= 10u << 10)
		snprintf(buf, cap, "%.1f KiB", (double)v / (1 << 10));
	else
		snprintf(buf, cap, "%llu B", (unsigned long long)v);
}

void sink_progress(sink_t *s, uint64_t records, uint64_t bytes, bool force)
{
	uint64_t t;
	char b[32], r[32];

	s->bytes = bytes;
	s->records = records;
	if (!s->progress)
		return;
	t = now_us();
	if (!force && t - s->last_us < 250000)
		return;
	s->last_us = t;
	double secs = (double)(t - s->t0_us) / 1e6;
	human(bytes, b, sizeof(b));
	human(secs > 0 ? (uint64_t)((double)bytes / secs) : 0, r, sizeof(r));
	fprintf(stderr, "\r%s: %llu records, %s, %s/s   %s", s->p->prog,
	        (unsigned long long)s->records, b, r, force ? "\n" : "");
}

int sink_restart(sink_t *s, zk_errctx_t *ec)
{
	zk_buf_reset(&s->buf);
	s->nops = 0;
	s->have_soa = false;
	s->records = 0;
	zk_arena_reset(s->arena);
	if (s->tmp == NULL)
		return 0;
	if (fflush(s->f) != 0 || ftruncate(fileno(s->f), 0) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
		return zk_error(ec, ZK_EIO, "%s: %s", s->tmp, strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------- IXFR apply */

/* The local zone as a list of records with a hash index for deletions. */
typedef struct lrr {
	zk_rr_t rr;
	uint8_t *canon; /* canonical rdata (RFC 4034 §6.2) */
	uint32_t hash;
	bool dead;
} lrr_t;

typedef struct local {
	zk_arena_t *a;
	lrr_t *v;
	size_t n, cap;
	size_t *slot; /* open addressing: index + 1, 0 empty */
	size_t nslot;
	int err;
} local_t;

static uint32_t rr_hash(const zk_rr_t *rr, const uint8_t *canon)
{
	uint32_t h = zk_name_hash(rr->owner) ^ (uint32_t)rr->type * 16777619u;
	for (size_t i = 0; i < rr->rdlen; i++)
		h = (h ^ canon[i]) * 16777619u;
	return h;
}

static int local_push(local_t *l, const zk_rr_t *rr)
{
	lrr_t *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		lrr_t *v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return ZK_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	e->rr = *rr;
	e->rr.owner = zk_name_dup(l->a, rr->owner);
	e->rr.rdata = zk_arena_memdup(l->a, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	e->canon = zk_arena_memdup(l->a, rr->rdata, rr->rdlen ? rr->rdlen : 1);
	if (e->rr.owner == NULL || e->rr.rdata == NULL || e->canon == NULL)
		return ZK_ENOMEM;
	zk_rdata_canonicalize(rr->type, e->canon, rr->rdlen);
	e->hash = rr_hash(rr, e->canon);
	l->n++;
	return 0;
}

static int local_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	local_t *l = ctx;
	(void)loc;
	l->err = local_push(l, rr);
	return l->err;
}

static int local_index(local_t *l)
{
	size_t ns = 16;
	while (ns < l->n * 2 + 16)
		ns *= 2;
	free(l->slot);
	l->slot = calloc(ns, sizeof(*l->slot));
	if (l->slot == NULL)
		return ZK_ENOMEM;
	l->nslot = ns;
	for (size_t i = 0; i < l->n; i++) {
		size_t k = l->v[i].hash & (ns - 1);
		while (l->slot[k] != 0)
			k = (k + 1) & (ns - 1);
		l->slot[k] = i + 1;
	}
	return 0;
}

static bool same_rr(const lrr_t *e, const zk_rr_t *rr, const uint8_t *canon)
{
	return !e->dead && e->rr.type == rr->type && e->rr.rclass == rr->rclass &&
	       e->rr.rdlen == rr->rdlen && zk_name_eq(e->rr.owner, rr->owner) &&
	       memcmp(e->canon, canon, rr->rdlen) == 0;
}

/* The live record equal to rr (owner case-insensitively, canonical
 * rdata), or NULL. */
static lrr_t *local_find(local_t *l, const zk_rr_t *rr, uint8_t *canon)
{
	memcpy(canon, rr->rdata, rr->rdlen);
	zk_rdata_canonicalize(rr->type, canon, rr->rdlen);
	uint32_t h = rr_hash(rr, canon);
	for (size_t k = h & (l->nslot - 1); l->slot[k] != 0; k = (k + 1) & (l->nslot - 1)) {
		lrr_t *e = &l->v[l->slot[k] - 1];
		if (e->hash == h && same_rr(e, rr, canon))
			return e;
	}
	return NULL;
}

static int local_add(local_t *l, const zk_rr_t *rr)
{
	int rc = local_push(l, rr);
	if (rc < 0)
		return rc;
	if (l->n * 2 + 16 > l->nslot)
		return local_index(l);
	size_t k = l->v[l->n - 1].hash & (l->nslot - 1);
	while (l->slot[k] != 0)
		k = (k + 1) & (l->nslot - 1);
	l->slot[k] = l->n;
	return 0;
}

int sink_apply_deltas(sink_t *s, zk_errctx_t *ec)
{
	local_t l = {0};
	zk_zf_opts_t o;
	uint8_t canon[65536];
	int rc;

	l.a = zk_arena_new(0);
	if (l.a == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	zk_zf_opts_init(&o);
	o.origin = &s->p->zone;
	o.on_rr = local_rr;
	o.ctx = &l;
	rc = zk_zonefile_parse_file(s->p->out, &o, NULL, ec);
	if (rc < 0)
		goto done;
	rc = local_index(&l);
	if (rc < 0)
		goto done;
	for (size_t i = 0; i < s->nops; i++) {
		const delta_op_t *d = &s->ops[i];
		if (d->ev == ZK_XFR_DEL) {
			lrr_t *e = local_find(&l, &d->rr, canon);
			if (e == NULL) {
				char t[ZK_NAME_TEXTMAX], ty[16];
				zk_name_to_cstr(d->rr.owner, t, sizeof(t));
				zk_rrtype_to_text(d->rr.type, ty, sizeof(ty));
				rc =
				    zk_error(ec, ZK_EZONE,
				             "the differences do not apply: %s %s to delete is not "
				             "in %s",
				             t, ty, s->p->out);
				goto done;
			}
			e->dead = true;
		} else if (local_find(&l, &d->rr, canon) == NULL) {
			/* Adding a record that is there already changes nothing. */
			rc = local_add(&l, &d->rr);
			if (rc < 0)
				goto done;
		}
	}
	/* The SOA first, then the rest in file order. */
	size_t nsoa = 0;
	for (size_t i = 0; i < l.n; i++)
		if (!l.v[i].dead && l.v[i].rr.type == ZK_TYPE_SOA &&
		    zk_name_eq(l.v[i].rr.owner, &s->p->zone)) {
			if (nsoa++ == 0)
				put_rr(s, NULL, &l.v[i].rr);
		}
	if (nsoa != 1) {
		rc = zk_error(ec, ZK_EZONE, "the differences do not apply: %zu SOA records after",
		              nsoa);
		goto done;
	}
	for (size_t i = 0; i < l.n; i++)
		if (!l.v[i].dead && l.v[i].rr.type != ZK_TYPE_SOA)
			put_rr(s, NULL, &l.v[i].rr);
	rc = s->err;
done:
	free(l.v);
	free(l.slot);
	zk_arena_free(l.a);
	return rc;
}

/* ---------------------------------------------------------------- verify */

/* --verify runs zcheck's rules (common/lint) over the received zone as it
 * was written to the temporary file, then the ZONEMD digest when the zone
 * has one (RFC 8976 §4). Findings name the output file: the temporary one
 * is renamed to it, or removed. */
struct vctx {
	zk_zone_t *z;
	const params_t *p;
	zk_lint_opts_t lo;
	unsigned errors, warnings;
};

static void verify_finding(void *ctx, const zk_lint_finding_t *f)
{
	struct vctx *v = ctx;
	const char *sev = f->sev == ZK_LINT_ERROR     ? "error"
	                  : f->sev == ZK_LINT_WARNING ? "warning"
	                                              : "info";

	if (f->sev == ZK_LINT_ERROR)
		v->errors++;
	else if (f->sev == ZK_LINT_WARNING)
		v->warnings++;
	/* -q keeps only what fails the transfer; infos only with -v */
	if ((f->sev == ZK_LINT_INFO && v->p->verbose == 0) ||
	    (v->p->quiet &&
	     (f->sev != ZK_LINT_ERROR && !(f->sev == ZK_LINT_WARNING && v->p->strict))))
		return;
	if (f->line > 0 && f->col > 0)
		fprintf(stderr, "%s: %s:%u:%u: %s: %s [%s]\n", v->p->prog, v->p->out, f->line,
		        f->col, sev, f->msg, f->code);
	else if (f->line > 0)
		fprintf(stderr, "%s: %s:%u: %s: %s [%s]\n", v->p->prog, v->p->out, f->line, sev,
		        f->msg, f->code);
	else
		fprintf(stderr, "%s: %s: %s: %s [%s]\n", v->p->prog, v->p->out, sev, f->msg,
		        f->code);
}

static int verify_rr(void *ctx, const zk_rr_t *rr, const zk_zf_loc_t *loc)
{
	struct vctx *v = ctx;
	return zk_zone_add(v->z, rr, v->p->out, loc->line, loc->run);
}

static void verify_msg(void *ctx, int severity, const zk_errctx_t *ec)
{
	struct vctx *v = ctx;
	zk_errctx_t named = *ec;

	if (severity == ZK_ZF_WARNING && (ec->code == ZK_ZFW_TTL1035 || ec->code == ZK_ZFW_SOAMIN))
		v->lo.saw_ttl = false; /* a TTL came from a fallback */
	named.file = v->p->out;        /* not the temporary file's name */
	zk_lint_zf_msg(&v->lo, severity, &named);
}

static void verify_note(void *ctx, int kind, const zk_zone_rr_t *rr, const zk_zone_rr_t *other,
                        uint32_t old_ttl)
{
	struct vctx *v = ctx;
	zk_lint_note(v->z, &v->lo, kind, rr, other, old_ttl);
}

static int verify_zonemd(const zk_zone_t *z, const zk_name_t *zone, zk_errctx_t *ec)
{
	size_t n = zk_zone_count(z), first, end, nres = 0;
	zk_rr_t *rrs;
	int rc;

	if (!zk_zone_find(z, zone, ZK_TYPE_ZONEMD, &first, &end))
		return 0;
	rrs = malloc((n ? n : 1) * sizeof(*rrs));
	if (rrs == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		zk_zone_rr_view(zk_zone_at(z, i), false, &rrs[i]);
	rc = zk_zonemd_verify(rrs, n, zone, NULL, 0, &nres, ec);
	free(rrs);
	if (rc < 0 && rc != ZK_ENOENT) {
		char m[256];
		snprintf(m, sizeof(m), "%s", ec ? ec->msg : "");
		return zk_error(ec, ZK_EZONE, "verify: ZONEMD: %s", m);
	}
	return 0;
}

static int verify_file(const char *path, const params_t *p, zk_errctx_t *ec)
{
	struct vctx v = {.p = p};
	zk_zf_opts_t o;
	zk_errctx_t pec;
	int rc;

	v.z = zk_zone_new(&p->zone, ZK_CLASS_IN);
	if (v.z == NULL)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	zk_lint_opts_init(&v.lo);
	v.lo.topfile = p->out;
	v.lo.on_finding = verify_finding;
	v.lo.ctx = &v;
	zk_zf_opts_init(&o);
	o.origin = &p->zone;
	o.no_include = true;
	o.on_rr = verify_rr;
	o.on_msg = verify_msg;
	o.ctx = &v;
	zk_errctx_init(&pec);
	rc = zk_zonefile_parse_file(path, &o, NULL, &pec);
	/* Syntax errors were reported as findings; anything else (the file
	 * cannot be read, out of memory) stops here. */
	if (rc < 0 && rc != ZK_ESYNTAX && !(rc == ZK_ELIMIT && v.errors > 0)) {
		if (pec.msg[0] == '\0')
			zk_error(&pec, rc, "%s: %s", path, zk_strerror(rc));
		if (ec != NULL)
			*ec = pec;
		goto done;
	}
	rc = zk_zone_finish(v.z, verify_note, &v);
	if (rc == 0)
		rc = zk_lint_zone(v.z, &v.lo);
	if (rc < 0) {
		zk_error(ec, rc, "verify: cannot check the zone");
		goto done;
	}
	if (v.errors > 0 || (p->strict && v.warnings > 0)) {
		rc = zk_error(ec, ZK_EZONE,
		              "verify: %u error%s, %u warning%s in the received zone%s", v.errors,
		              v.errors == 1 ? "" : "s", v.warnings, v.warnings == 1 ? "" : "s",
		              v.errors > 0 ? "" : " (--strict)");
		goto done;
	}
	rc = verify_zonemd(v.z, &p->zone, ec);
done:
	zk_zone_free(v.z);
	return rc;
}

/* ---------------------------------------------------------------- commit */

int sink_commit(sink_t *s, zk_errctx_t *ec)
{
	if (s->have_soa && !s->p->onesoa)
		put_rr(s, NULL, &s->soa);
	flush(s, true);
	if (s->err == 0 && fflush(s->f) != 0)
		s->err = ZK_EIO;
	if (s->err != 0)
		return zk_error(ec, s->err, "%s: write error: %s", s->tmp ? s->tmp : "stdout",
		                strerror(errno));
	if (s->tmp == NULL)
		return 0;
	if (fsync(fileno(s->f)) != 0 || fclose(s->f) != 0) {
		s->f = NULL;
		return zk_error(ec, ZK_EIO, "%s: %s", s->tmp, strerror(errno));
	}
	s->f = NULL;
	if (s->p->verify) {
		int rc = verify_file(s->tmp, s->p, ec);
		if (rc < 0)
			return rc;
	}
	if (rename(s->tmp, s->p->out) != 0)
		return zk_error(ec, ZK_EIO, "cannot rename %s to %s: %s", s->tmp, s->p->out,
		                strerror(errno));
	sig_have_tmp = 0;
	free(s->tmp);
	s->tmp = NULL;
	return 0;
}

void sink_abort(sink_t *s)
{
	if (s->tmp == NULL)
		return;
	sig_have_tmp = 0;
	if (s->f != NULL) {
		fclose(s->f);
		s->f = NULL;
	}
	unlink(s->tmp);
	free(s->tmp);
	s->tmp = NULL;
}

void sink_free(sink_t *s)
{
	sink_abort(s);
	if (s->f != NULL && s->f != stdout)
		fclose(s->f);
	zk_buf_free(&s->buf);
	free(s->ops);
	zk_arena_free(s->arena);
}
