/* lint — the zone checks over a whole zone.
 *
 * One pass over the nodes in canonical order: a delegation or DNAME seen
 * on the way hides (occludes) everything sorted after it that lies below
 * it, so a single "current cut" is enough. Names are looked up through a
 * hash of the nodes, not by searching the sorted array, so that a zone of
 * a million delegations is checked in a fraction of a second. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rrtype.h"
#include "wire.h"
#include "zonefile.h"

static const zk_lint_check_t checks[] = {
    {"syntax", ZK_LINT_ERROR, "the file does not parse (or $INCLUDE failed)"},
    {"ttl-rfc1035", ZK_LINT_WARNING, "no $TTL: a record takes the previous record's TTL"},
    {"ttl-soa-minimum", ZK_LINT_WARNING, "no TTL known: the SOA MINIMUM was used"},
    {"ttl-too-large", ZK_LINT_WARNING, "TTL above 2^31-1, set to 0 (RFC 2181 §8)"},
    {"ttl-directive-missing", ZK_LINT_WARNING, "the zone file has no $TTL (RFC 2308 §4)"},
    {"soa-missing", ZK_LINT_ERROR, "no SOA record at the apex"},
    {"soa-multiple", ZK_LINT_ERROR, "more than one SOA record at the apex"},
    {"soa-not-apex", ZK_LINT_ERROR, "SOA record below the apex"},
    {"soa-fields", ZK_LINT_WARNING, "SOA timers that do not make sense (RFC 1912 §2.2)"},
    {"ns-apex-missing", ZK_LINT_ERROR, "no NS records at the apex"},
    {"cname-and-other", ZK_LINT_ERROR, "CNAME beside other data (RFC 2181 §10.1)"},
    {"cname-multiple", ZK_LINT_ERROR, "more than one CNAME record at a name"},
    {"cname-apex", ZK_LINT_ERROR, "CNAME at the zone apex"},
    {"dname-apex", ZK_LINT_WARNING, "DNAME at the zone apex (redirects the whole zone)"},
    {"dname-multiple", ZK_LINT_ERROR, "more than one DNAME record at a name (RFC 6672 §2.4)"},
    {"target-cname", ZK_LINT_WARNING, "NS/MX/SRV target is a CNAME (RFC 2181 §10.3)"},
    {"target-address", ZK_LINT_ERROR, "NS/MX/SRV target is an address, not a host name"},
    {"glue-missing", ZK_LINT_ERROR, "in-zone NS target without A/AAAA records"},
    {"glue-extra", ZK_LINT_WARNING, "address records below a delegation that no NS names"},
    {"occluded", ZK_LINT_WARNING, "data below a delegation or DNAME is never served"},
    {"out-of-zone", ZK_LINT_WARNING, "record outside the zone; ignored"},
    {"ttl-mismatch", ZK_LINT_WARNING, "TTLs differ inside an RRset (RFC 2181 §5.2)"},
    {"duplicate", ZK_LINT_WARNING, "the same record twice; one is ignored"},
    {"check-names", ZK_LINT_WARNING, "not a valid host name (RFC 952, RFC 1123 §2.1)"},
    {"max-ttl", ZK_LINT_ERROR, "TTL above --max-ttl"},
    {"wildcard-label", ZK_LINT_INFO, "'*' that is not the leftmost label is not a wildcard"},
    {"wildcard-ns", ZK_LINT_ERROR, "NS or DNAME at a wildcard name (RFC 4592 §4.2, §4.4)"},
    {"wildcard-ent", ZK_LINT_INFO, "empty non-terminal that a wildcard does not cover"},
    {NULL, ZK_LINT_IGNORE, NULL},
};

const zk_lint_check_t *zk_lint_checks(void)
{
	return checks;
}

int zk_lint_check_index(const char *code)
{
	for (int i = 0; checks[i].code != NULL; i++) {
		if (strcmp(checks[i].code, code) == 0)
			return i;
	}
	return -1;
}

void zk_lint_opts_init(zk_lint_opts_t *o)
{
	memset(o, 0, sizeof(*o));
	o->check_names = true;
	o->saw_ttl = true;
}

/* ---------------------------------------------------------- name hash */

static uint32_t hash_wire(const uint8_t *w, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = w[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static bool eq_wire(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (uint8_t)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (uint8_t)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

typedef struct slot {
	const uint8_t *w; /* lower-case or not: compared ignoring case */
	uint32_t hash;
	uint32_t val; /* nodemap: index of the node's first RR */
	uint8_t len;
} slot_t;

/* Open addressing over (hash, name); grows at half full. */
typedef struct nametab {
	slot_t *slot;
	size_t mask, n;
	bool oom; /* a grow failed: the table is incomplete */
} nametab_t;

static void tab_put(nametab_t *t, const uint8_t *w, uint8_t len, uint32_t h, uint32_t val);

static bool tab_grow(nametab_t *t)
{
	nametab_t big = {0};
	size_t size = t->slot ? (t->mask + 1) * 2 : 1024;

	big.slot = calloc(size, sizeof(*big.slot));
	if (big.slot == NULL) {
		t->oom = true;
		return false;
	}
	big.mask = size - 1;
	for (size_t i = 0; t->slot && i <= t->mask; i++) {
		if (t->slot[i].w != NULL)
			tab_put(&big, t->slot[i].w, t->slot[i].len, t->slot[i].hash,
			        t->slot[i].val);
	}
	free(t->slot);
	*t = big;
	return true;
}

static slot_t *tab_find(const nametab_t *t, const uint8_t *w, uint8_t len, uint32_t h)
{
	size_t i;

	if (t->slot == NULL)
		return NULL;
	for (i = h & t->mask; t->slot[i].w != NULL; i = (i + 1) & t->mask) {
		const slot_t *s = &t->slot[i];
		if (s->hash == h && s->len == len && eq_wire(s->w, w, len))
			return &t->slot[i];
	}
	return NULL;
}

static void tab_put(nametab_t *t, const uint8_t *w, uint8_t len, uint32_t h, uint32_t val)
{
	size_t i;

	if ((t->slot == NULL || 2 * (t->n + 1) > t->mask + 1) && !tab_grow(t))
		return;
	for (i = h & t->mask; t->slot[i].w != NULL; i = (i + 1) & t->mask) {
		if (t->slot[i].hash == h && t->slot[i].len == len && eq_wire(t->slot[i].w, w, len))
			return;
	}
	t->slot[i].w = w;
	t->slot[i].len = len;
	t->slot[i].hash = h;
	t->slot[i].val = val;
	t->n++;
}

/* ------------------------------------------------------------ helpers */

enum {
	K_SOA_MISSING,
	K_SOA_MULTIPLE,
	K_SOA_NOT_APEX,
	K_SOA_FIELDS,
	K_NS_APEX,
	K_CNAME_OTHER,
	K_CNAME_MULTIPLE,
	K_CNAME_APEX,
	K_DNAME_APEX,
	K_DNAME_MULTIPLE,
	K_TARGET_CNAME,
	K_TARGET_ADDRESS,
	K_GLUE_MISSING,
	K_GLUE_EXTRA,
	K_OCCLUDED,
	K_OUT_OF_ZONE,
	K_CHECK_NAMES,
	K_MAX_TTL,
	K_WILDCARD_LABEL,
	K_WILDCARD_NS,
	K_WILDCARD_ENT,
	K_TTL_DIRECTIVE,
	K_COUNT
};

static const char *const kcodes[K_COUNT] = {
    "soa-missing",     "soa-multiple",          "soa-not-apex", "soa-fields",     "ns-apex-missing",
    "cname-and-other", "cname-multiple",        "cname-apex",   "dname-apex",     "dname-multiple",
    "target-cname",    "target-address",        "glue-missing", "glue-extra",     "occluded",
    "out-of-zone",     "check-names",           "max-ttl",      "wildcard-label", "wildcard-ns",
    "wildcard-ent",    "ttl-directive-missing",
};

typedef struct ctx {
	const zk_lint_opts_t *o;
	const zk_zone_t *z;
	const zk_name_t *apex;
	nametab_t nodes;   /* every owner */
	nametab_t targets; /* every NS target */
	int ck[K_COUNT];
	char name[ZK_NAME_TEXTMAX], name2[ZK_NAME_TEXTMAX];
} ctx_t;

static zk_lint_sev_t sev_of(const zk_lint_opts_t *o, int check)
{
	return o->sev != NULL ? o->sev[check] : checks[check].sev;
}

static void vemit(const zk_lint_opts_t *o, int check, const char *file, int file_idx, unsigned line,
                  unsigned col, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static void vemit(const zk_lint_opts_t *o, int check, const char *file, int file_idx, unsigned line,
                  unsigned col, const char *fmt, va_list ap)
{
	zk_lint_finding_t f;
	char msg[512];

	if (check < 0 || o->on_finding == NULL)
		return;
	f.sev = sev_of(o, check);
	if (f.sev == ZK_LINT_IGNORE)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	f.check = check;
	f.code = checks[check].code;
	f.file = file != NULL ? file : "-";
	f.file_idx = file_idx;
	f.line = line;
	f.col = col;
	f.msg = msg;
	o->on_finding(o->ctx, &f);
}

static void emit(const zk_lint_opts_t *o, int check, const char *file, int file_idx, unsigned line,
                 unsigned col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void emit(const zk_lint_opts_t *o, int check, const char *file, int file_idx, unsigned line,
                 unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(o, check, file, file_idx, line, col, fmt, ap);
	va_end(ap);
}

/* A finding about record r. */
static void add(ctx_t *x, int k, const zk_zone_rr_t *r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(ctx_t *x, int k, const zk_zone_rr_t *r, const char *fmt, ...)
{
	va_list ap;

	if (k == K_CHECK_NAMES && !x->o->check_names)
		return;
	va_start(ap, fmt);
	vemit(x->o, x->ck[k], zk_zone_file(x->z, r->file), (int)r->file, r->line, 0, fmt, ap);
	va_end(ap);
}

static const char *nm(ctx_t *x, const zk_name_t *n)
{
	zk_name_to_cstr(n, x->name, sizeof(x->name));
	return x->name;
}

static const char *nmw(ctx_t *x, const uint8_t *w)
{
	zk_name_t n;
	size_t pos = 0;

	if (zk_name_from_wire_plain(&n, w, ZK_NAME_MAXLEN, &pos, NULL) != 0)
		return "?";
	zk_name_to_cstr(&n, x->name2, sizeof(x->name2));
	return x->name2;
}

static const char *tname(uint16_t type, char *buf)
{
	zk_rrtype_to_text(type, buf, 16);
	return buf;
}

/* RFC 952 / RFC 1123 §2.1: letters, digits, hyphens inside; a leading '*'
 * label is allowed for owners (wildcards). */
static bool hostname_ok(const uint8_t *w, bool owner)
{
	size_t i = 0;
	bool first = true;

	while (w[i] != 0) {
		unsigned len = w[i];
		const uint8_t *l = w + i + 1;
		if (first && owner && len == 1 && l[0] == '*') {
			i += 2;
			first = false;
			continue;
		}
		for (unsigned j = 0; j < len; j++) {
			uint8_t c = l[j];
			bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			             (c >= '0' && c <= '9');
			if (!alnum && !(c == '-' && j > 0 && j + 1 < len))
				return false;
		}
		first = false;
		i += len + 1;
	}
	return true;
}

/* The leftmost labels read as an IPv4 address ("192.0.2.1.") or hold a
 * ':' (an IPv6 literal): someone wrote an address where a name belongs. */
static bool looks_like_address(const uint8_t *w)
{
	size_t i = 0;
	unsigned k;

	for (k = 0; k < 4 && w[i] != 0; k++) {
		unsigned len = w[i], v = 0;
		if (len == 0 || len > 3)
			break;
		for (unsigned j = 1; j <= len; j++) {
			if (w[i + j] < '0' || w[i + j] > '9')
				goto not_v4;
			v = v * 10 + (unsigned)(w[i + j] - '0');
		}
		if (v > 255)
			break;
		i += len + 1;
	}
	if (k == 4)
		return true;
not_v4:
	for (i = 0; w[i] != 0; i += (size_t)w[i] + 1) {
		if (memchr(w + i + 1, ':', w[i]) != NULL)
			return true;
	}
	return false;
}

static bool is_wild(const zk_name_t *n)
{
	return n->len >= 2 && n->wire[0] == 1 && n->wire[1] == '*';
}

static bool inner_star(const zk_name_t *n)
{
	size_t i = n->wire[0] + 1;
	while (i < n->len && n->wire[i] != 0) {
		if (n->wire[i] == 1 && n->wire[i + 1] == '*')
			return true;
		i += (size_t)n->wire[i] + 1;
	}
	return false;
}

/* Offset of the target name inside rdata, or -1 (NS, MX, SRV). */
static long target_off(uint16_t type)
{
	switch (type) {
	case ZK_TYPE_NS: return 0;
	case ZK_TYPE_MX: return 2;
	case ZK_TYPE_SRV: return 6;
	default: return -1;
	}
}

/* Index of the node's first RR, or -1. */
static long node_get(const ctx_t *x, const uint8_t *w, size_t len)
{
	const slot_t *s = tab_find(&x->nodes, w, (uint8_t)len, hash_wire(w, len));
	return s ? (long)s->val : -1;
}

static bool target_has(const ctx_t *x, const uint8_t *w, size_t len)
{
	return tab_find(&x->targets, w, (uint8_t)len, hash_wire(w, len)) != NULL;
}

static bool has_addr(ctx_t *x, const uint8_t *w, size_t len)
{
	long i = node_get(x, w, len);
	size_t e;

	if (i < 0)
		return false;
	e = zk_zone_node_end(x->z, (size_t)i);
	for (size_t k = (size_t)i; k < e; k++) {
		uint16_t t = zk_zone_at(x->z, k)->type;
		if (t == ZK_TYPE_A || t == ZK_TYPE_AAAA)
			return true;
	}
	return false;
}

static bool has_type(ctx_t *x, const uint8_t *w, size_t len, uint16_t type)
{
	long i = node_get(x, w, len);
	size_t e;

	if (i < 0)
		return false;
	e = zk_zone_node_end(x->z, (size_t)i);
	for (size_t k = (size_t)i; k < e; k++) {
		if (zk_zone_at(x->z, k)->type == type)
			return true;
	}
	return false;
}

static void check_target(ctx_t *x, const zk_zone_rr_t *r)
{
	long off = target_off(r->type);
	const uint8_t *w;
	int len;
	char tb[16];

	if (off < 0 || r->rdlen <= off)
		return;
	w = r->rdata + off;
	len = zk_name_wire_len(w, r->rdlen - (size_t)off);
	if (len <= 0)
		return;
	if (r->type == ZK_TYPE_SRV && len == 1)
		return; /* "." means no service (RFC 2782) */
	if (r->type == ZK_TYPE_MX && len == 1)
		return; /* null MX (RFC 7505) */
	if (looks_like_address(w)) {
		add(x, K_TARGET_ADDRESS, r, "%s target %s is an address, not a host name",
		    tname(r->type, tb), nmw(x, w));
		return;
	}
	if (!hostname_ok(w, false))
		add(x, K_CHECK_NAMES, r, "%s target %s is not a valid host name",
		    tname(r->type, tb), nmw(x, w));
	if (has_type(x, w, (size_t)len, ZK_TYPE_CNAME))
		add(x, K_TARGET_CNAME, r, "%s target %s is a CNAME", tname(r->type, tb), nmw(x, w));
	if (r->type == ZK_TYPE_NS) {
		zk_name_t t;
		size_t pos = 0;
		if (zk_name_from_wire_plain(&t, w, (size_t)len, &pos, NULL) == 0 &&
		    zk_name_is_sub(&t, x->apex) && !has_addr(x, w, (size_t)len))
			add(x, K_GLUE_MISSING, r,
			    "NS target %s is in the zone but has no A or AAAA", nmw(x, w));
	}
}

static void check_soa(ctx_t *x, const zk_zone_rr_t *r)
{
	zk_wire_t w;
	uint32_t refresh, retry, expire, minimum;
	int a, b;

	a = zk_name_wire_len(r->rdata, r->rdlen);
	if (a <= 0)
		return;
	b = zk_name_wire_len(r->rdata + a, r->rdlen - (size_t)a);
	if (b <= 0)
		return;
	zk_wire_init(&w, r->rdata + a + b, r->rdlen - (size_t)a - (size_t)b);
	(void)zk_wire_u32(&w);
	refresh = zk_wire_u32(&w);
	retry = zk_wire_u32(&w);
	expire = zk_wire_u32(&w);
	minimum = zk_wire_u32(&w);
	if (w.err)
		return;
	/* RFC 1912 §2.2 */
	if (retry >= refresh)
		add(x, K_SOA_FIELDS, r, "SOA retry %u is not less than refresh %u", retry, refresh);
	if (expire <= refresh + (uint64_t)retry)
		add(x, K_SOA_FIELDS, r, "SOA expire %u is not more than refresh + retry (%u + %u)",
		    expire, refresh, retry);
	/* RFC 2308 §5: negative answers are cached at most 3 hours by most
	 * resolvers; a day or more only delays recovery */
	if (minimum > 86400)
		add(x, K_SOA_FIELDS, r, "SOA minimum (negative TTL) %u is more than a day",
		    minimum);
}

/* RFC 4592 §2.2.2: a wildcard *.P does not match below an empty
 * non-terminal X.P; operators often expect it to. */
static void check_wild_ent(ctx_t *x, const zk_zone_rr_t *w)
{
	zk_name_t parent;
	size_t n = zk_zone_count(x->z), i;

	if (zk_name_parent(&parent, w->owner, 1) != 0)
		return;
	i = zk_zone_lower_bound(x->z, &parent);
	while (i < n) {
		const zk_zone_rr_t *r = zk_zone_at(x->z, i);
		zk_name_t child;
		if (!zk_name_is_sub(r->owner, &parent))
			break;
		if (r->owner->labels <= parent.labels + 1 ||
		    zk_name_parent(&child, r->owner, r->owner->labels - parent.labels - 1) != 0 ||
		    is_wild(&child) || node_get(x, child.wire, child.len) >= 0) {
			i = zk_zone_node_end(x->z, i);
			continue;
		}
		add(x, K_WILDCARD_ENT, w,
		    "%s exists only as an empty non-terminal; wildcard %s does not answer for it "
		    "or below it",
		    nm(x, &child), nmw(x, w->owner->wire));
		/* skip the rest of that subtree */
		while (i < n && zk_name_is_sub(zk_zone_at(x->z, i)->owner, &child))
			i = zk_zone_node_end(x->z, i);
	}
}

int zk_lint_zone(const zk_zone_t *z, const zk_lint_opts_t *opt)
{
	ctx_t *x = calloc(1, sizeof(*x));
	size_t n = zk_zone_count(z), i;
	const zk_name_t *cut = NULL;
	bool cut_dname = false, apex_seen = false;
	const char *topfile = opt->topfile;
	char tb[16];
	int rc = 0;

	if (x == NULL)
		return ZK_ENOMEM;
	x->o = opt;
	x->z = z;
	x->apex = zk_zone_origin(z);
	for (int k = 0; k < K_COUNT; k++)
		x->ck[k] = zk_lint_check_index(kcodes[k]);
	if (!opt->saw_ttl && n > 0)
		emit(opt, x->ck[K_TTL_DIRECTIVE], topfile, -1, 1, 0,
		     "no $TTL directive; BIND's fallbacks decide the TTLs (RFC 2308 §4)");
	for (i = 0; i < n; i = zk_zone_node_end(z, i)) {
		const zk_name_t *o = zk_zone_at(z, i)->owner;
		tab_put(&x->nodes, o->wire, o->len, hash_wire(o->wire, o->len), (uint32_t)i);
	}
	if (x->nodes.oom) {
		rc = ZK_ENOMEM;
		goto done;
	}
	/* every NS target, for telling glue from junk below delegations */
	for (i = 0; i < n; i++) {
		const zk_zone_rr_t *r = zk_zone_at(z, i);
		int len;
		if (r->type != ZK_TYPE_NS || r->rdlen == 0)
			continue;
		len = zk_name_wire_len(r->rdata, r->rdlen);
		if (len > 0)
			tab_put(&x->targets, r->rdata, (uint8_t)len,
			        hash_wire(r->rdata, (size_t)len), 0);
	}
	if (x->targets.oom) {
		rc = ZK_ENOMEM;
		goto done;
	}

	for (i = 0; i < n;) {
		size_t e = zk_zone_node_end(z, i), k;
		const zk_zone_rr_t *first = zk_zone_at(z, i);
		const zk_name_t *owner = first->owner;
		bool apex, occluded = false;
		unsigned nsoa = 0, ncname = 0, ndname = 0, nns = 0, nother = 0;

		if (!zk_name_is_sub(owner, x->apex)) {
			add(x, K_OUT_OF_ZONE, first, "%s is outside the zone %s; ignored",
			    nm(x, owner), nmw(x, x->apex->wire));
			i = e;
			continue;
		}
		apex = zk_name_eq(owner, x->apex);
		if (cut != NULL && !zk_name_is_sub(owner, cut))
			cut = NULL;
		if (cut != NULL)
			occluded = true;

		for (k = i; k < e; k++) {
			const zk_zone_rr_t *r = zk_zone_at(z, k);
			switch (r->type) {
			case ZK_TYPE_SOA: nsoa++; break;
			case ZK_TYPE_CNAME: ncname++; break;
			case ZK_TYPE_DNAME: ndname++; break;
			case ZK_TYPE_NS: nns++; break;
			case ZK_TYPE_RRSIG:
			case ZK_TYPE_NSEC: break;
			default: nother++; break;
			}
			if (opt->have_max_ttl && r->ttl > opt->max_ttl)
				add(x, K_MAX_TTL, r, "TTL %u of %s %s is above --max-ttl %u",
				    r->ttl, nm(x, owner), tname(r->type, tb), opt->max_ttl);
			if (occluded) {
				bool glue =
				    (r->type == ZK_TYPE_A || r->type == ZK_TYPE_AAAA) && !cut_dname;
				if (glue && !target_has(x, owner->wire, owner->len))
					add(x, K_GLUE_EXTRA, r,
					    "%s %s below the delegation %s is not a name server's "
					    "address",
					    nm(x, owner), tname(r->type, tb), nmw(x, cut->wire));
				else if (!glue)
					add(x, K_OCCLUDED, r,
					    "%s %s is below the %s %s and never served",
					    nm(x, owner), tname(r->type, tb),
					    cut_dname ? "DNAME at" : "delegation",
					    nmw(x, cut->wire));
				continue;
			}
			if (r->type == ZK_TYPE_A || r->type == ZK_TYPE_AAAA) {
				if (!hostname_ok(owner->wire, true))
					add(x, K_CHECK_NAMES, r,
					    "%s owner %s is not a valid host name",
					    tname(r->type, tb), nm(x, owner));
			} else {
				check_target(x, r);
			}
			if (r->type == ZK_TYPE_SOA && apex)
				check_soa(x, r);
		}
		if (occluded) {
			i = e;
			continue;
		}

		/* structure of the node */
		if (apex) {
			apex_seen = true;
			if (nsoa == 0)
				add(x, K_SOA_MISSING, first, "no SOA record at the apex %s",
				    nm(x, owner));
			if (nns == 0)
				add(x, K_NS_APEX, first, "no NS records at the apex %s",
				    nm(x, owner));
			if (ncname > 0)
				add(x, K_CNAME_APEX, first, "CNAME at the zone apex %s",
				    nm(x, owner));
			if (ndname > 0)
				add(x, K_DNAME_APEX, first, "DNAME at the zone apex %s",
				    nm(x, owner));
		}
		for (k = i; k < e; k++) {
			const zk_zone_rr_t *r = zk_zone_at(z, k);
			if (r->type == ZK_TYPE_SOA && !apex)
				add(x, K_SOA_NOT_APEX, r, "SOA record at %s, below the apex",
				    nm(x, owner));
			if (r->type == ZK_TYPE_SOA && apex && nsoa > 1 && k > i &&
			    zk_zone_at(z, k - 1)->type == ZK_TYPE_SOA)
				add(x, K_SOA_MULTIPLE, r, "more than one SOA record at the apex");
			if (r->type == ZK_TYPE_CNAME && ncname > 1 && k > i &&
			    zk_zone_at(z, k - 1)->type == ZK_TYPE_CNAME)
				add(x, K_CNAME_MULTIPLE, r, "more than one CNAME record at %s",
				    nm(x, owner));
			if (r->type == ZK_TYPE_DNAME && ndname > 1 && k > i &&
			    zk_zone_at(z, k - 1)->type == ZK_TYPE_DNAME)
				add(x, K_DNAME_MULTIPLE, r, "more than one DNAME record at %s",
				    nm(x, owner));
			if (ncname > 0 && r->type != ZK_TYPE_CNAME && r->type != ZK_TYPE_RRSIG &&
			    r->type != ZK_TYPE_NSEC)
				add(x, K_CNAME_OTHER, r, "%s has a CNAME and %s data", nm(x, owner),
				    tname(r->type, tb));
		}
		if (inner_star(owner))
			add(x, K_WILDCARD_LABEL, first,
			    "'*' in %s is not the leftmost label: it is not a wildcard",
			    nm(x, owner));
		if (is_wild(owner)) {
			if (nns > 0 || ndname > 0)
				add(x, K_WILDCARD_NS, first, "%s at the wildcard %s",
				    nns > 0 ? "NS" : "DNAME", nm(x, owner));
			check_wild_ent(x, first);
		}
		/* delegations and DNAMEs hide what is below them */
		if (nns > 0 && !apex) {
			cut = owner;
			cut_dname = false;
			for (k = i; k < e; k++) {
				const zk_zone_rr_t *r = zk_zone_at(z, k);
				uint16_t t = r->type;
				if (t == ZK_TYPE_NS || t == ZK_TYPE_DS || t == ZK_TYPE_RRSIG ||
				    t == ZK_TYPE_NSEC)
					continue;
				if ((t == ZK_TYPE_A || t == ZK_TYPE_AAAA) &&
				    target_has(x, owner->wire, owner->len))
					continue;
				add(x, K_OCCLUDED, r,
				    "%s %s at the delegation point is never served", nm(x, owner),
				    tname(t, tb));
			}
		} else if (ndname > 0) {
			cut = owner;
			cut_dname = true;
		}
		i = e;
	}
	if (!apex_seen)
		emit(opt, x->ck[K_SOA_MISSING], topfile, -1, 0, 0, "no SOA record at the apex %s",
		     nm(x, x->apex));
done:
	free(x->nodes.slot);
	free(x->targets.slot);
	free(x);
	return rc;
}

/* ------------------------------------------------- parser and zone notes */

int zk_lint_zf_check(int severity, int code)
{
	if (severity != ZK_ZF_WARNING)
		return zk_lint_check_index("syntax");
	switch (code) {
	case ZK_ZFW_TTL1035: return zk_lint_check_index("ttl-rfc1035");
	case ZK_ZFW_SOAMIN: return zk_lint_check_index("ttl-soa-minimum");
	default: return zk_lint_check_index("ttl-too-large");
	}
}

void zk_lint_zf_msg(const zk_lint_opts_t *o, int severity, const zk_errctx_t *ec)
{
	emit(o, zk_lint_zf_check(severity, ec->code), ec->file, -1, ec->line, ec->col, "%s",
	     ec->msg);
}

void zk_lint_note(const zk_zone_t *z, const zk_lint_opts_t *o, int kind, const zk_zone_rr_t *rr,
                  const zk_zone_rr_t *other, uint32_t old_ttl)
{
	char tn[16];

	zk_rrtype_to_text(rr->type, tn, sizeof(tn));
	if (kind == ZK_ZONE_TTL)
		emit(o, zk_lint_check_index("ttl-mismatch"), zk_zone_file(z, rr->file),
		     (int)rr->file, rr->line, 0,
		     "TTL %u of this %s record differs from the RRset's TTL %u (from %s:%u); "
		     "using %u as BIND does",
		     old_ttl, tn, other->ttl, zk_zone_file(z, other->file), other->line,
		     other->ttl);
	else
		emit(o, zk_lint_check_index("duplicate"), zk_zone_file(z, rr->file), (int)rr->file,
		     rr->line, 0, "duplicate %s record (first at %s:%u); ignored", tn,
		     zk_zone_file(z, other->file), other->line);
}
