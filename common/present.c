/* present — text output driven by a style: dig-style messages, zone-file
 * lines, multiline, and JSON in the RFC 8427 shape.
 *
 * The layout follows what dig 9.18 prints, checked line by line against
 * dig's output for the same wire message (t/system/zdig-vs-dig.bats):
 * fields are aligned at fixed columns with tabs (8 wide), or one space
 * when the text already runs past the column. */
#include "config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "name.h"
#include "present.h"
#include "rdata.h"
#include "rrtype.h"

void zk_style_dig(zk_style_t *s)
{
	memset(s, 0, sizeof(*s));
	s->comments = true;
	s->question = true;
	s->answer = true;
	s->authority = true;
	s->additional = true;
	s->opt = true;
	s->header = true;
	s->ttlid = true;
	s->classid = true;
}

void zk_style_zone(zk_style_t *s)
{
	zk_style_dig(s);
	s->comments = false;
	s->header = false;
	s->opt = false;
	s->question = false;
}

/* ------------------------------------------------------------- colours */

/* ECMA-48 SGR sequences (1 bold, 2 faint, 3x a foreground colour): the
 * eight basic colours only, which every terminal theme maps to something
 * readable on its own background. */
static const char *const sgr[ZK_PAINT_COUNT] = {
    [ZK_PAINT_TITLE] = "\033[1m",    [ZK_PAINT_COMMENT] = "\033[2m",
    [ZK_PAINT_WARN] = "\033[1;33m",  [ZK_PAINT_OWNER] = "\033[36m",
    [ZK_PAINT_TTL] = "\033[35m",     [ZK_PAINT_CLASS] = "\033[34m",
    [ZK_PAINT_TYPE] = "\033[33m",    [ZK_PAINT_RDATA] = "\033[32m",
    [ZK_PAINT_OK] = "\033[1;32m",    [ZK_PAINT_NEGATIVE] = "\033[1;33m",
    [ZK_PAINT_ERROR] = "\033[1;31m",
};

const char *zk_paint_sgr(enum zk_paint p)
{
	return (unsigned)p < ZK_PAINT_COUNT ? sgr[p] : "";
}

/* NOERROR is good news; the rcodes that answer the question (the name or
 * RRset is not there, or is there when it should not be: RFC 1035 §4.1.1,
 * RFC 2136 §2.2) are a warning; everything else is a failure. */
enum zk_paint zk_paint_rcode(uint16_t rcode)
{
	switch (rcode) {
	case ZK_RCODE_NOERROR: return ZK_PAINT_OK;
	case ZK_RCODE_NXDOMAIN:
	case ZK_RCODE_YXDOMAIN:
	case ZK_RCODE_YXRRSET:
	case ZK_RCODE_NXRRSET: return ZK_PAINT_NEGATIVE;
	default: return ZK_PAINT_ERROR;
	}
}

static void paint(const zk_style_t *s, enum zk_paint p, zk_buf_t *out)
{
	if (s->color)
		zk_buf_puts(out, sgr[p]);
}

static void unpaint(const zk_style_t *s, zk_buf_t *out)
{
	if (s->color)
		zk_buf_puts(out, ZK_PAINT_RESET);
}

/* Each line of t wrapped in p, the newline outside: a pager or grep that
 * shows one line alone shows it in its colour and leaves the terminal
 * reset. */
static void put_painted(zk_buf_t *out, enum zk_paint p, const char *t, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t end = nl != NULL ? (size_t)(nl - t) : n;
		if (end > i) {
			zk_buf_puts(out, sgr[p]);
			zk_buf_put(out, t + i, end - i);
			zk_buf_puts(out, ZK_PAINT_RESET);
		}
		if (nl != NULL)
			zk_buf_putc(out, '\n');
		i = end + 1;
	}
}

void zk_present_painted(const zk_style_t *s, enum zk_paint p, zk_buf_t *out, const char *fmt, ...)
{
	va_list ap;
	zk_buf_t t;

	va_start(ap, fmt);
	if (!s->color) {
		zk_buf_vprintf(out, fmt, ap);
		va_end(ap);
		return;
	}
	zk_buf_init(&t);
	zk_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	if (t.err && !out->err)
		out->err = t.err;
	else if (t.len > 0)
		put_painted(out, p, t.data, t.len);
	zk_buf_free(&t);
}

/* Columns of TTL, class, type and rdata. dig moves them left when fields
 * are hidden, and uses narrow ones in multiline mode. */
typedef struct cols {
	unsigned ttl, cls, type, rdata;
} cols_t;

static cols_t columns(const zk_style_t *s)
{
	if (s->multiline || (!s->ttlid && !s->classid))
		return (cols_t){24, 24, 24, 32};
	if (!s->ttlid || !s->classid)
		return (cols_t){24, 24, 32, 40};
	return (cols_t){24, 32, 40, 48};
}

/* Tabs to reach column `to` (8 wide), or one space when already there or
 * past it: a field is always separated from the previous one. */
static void indent_to(zk_buf_t *out, unsigned *col, unsigned to)
{
	unsigned from = *col;
	unsigned tabs;

	if (to < from + 1)
		to = from + 1;
	tabs = to / 8 - from / 8;
	if (tabs > 0) {
		for (unsigned i = 0; i < tabs; i++)
			zk_buf_putc(out, '\t');
		from = to / 8 * 8;
	}
	for (; from < to; from++)
		zk_buf_putc(out, ' ');
	*col = to;
}

/* The TTL as "1h2m3s" (BIND's short units, lower case). */
static void ttl_units(uint32_t t, zk_buf_t *out)
{
	static const struct {
		uint32_t secs;
		char unit;
	} units[] = {{604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
	bool any = false;

	for (size_t i = 0; i < 5; i++) {
		uint32_t v = t / units[i].secs;
		t %= units[i].secs;
		if (v == 0 && !(units[i].secs == 1 && !any))
			continue;
		zk_buf_printf(out, "%u%c", v, units[i].unit);
		any = true;
	}
}

static unsigned rdtext_flags(const zk_style_t *s)
{
	unsigned f = 0;
	if (s->multiline)
		f |= ZK_RDTEXT_MULTILINE;
	if (s->rrcomments)
		f |= ZK_RDTEXT_COMMENTS;
	if (s->nocrypto)
		f |= ZK_RDTEXT_NOCRYPTO;
	return f;
}

/* A field of the RR line; the escapes take no column. */
static void put_text(zk_buf_t *out, unsigned *col, const char *t)
{
	zk_buf_puts(out, t);
	*col += (unsigned)strlen(t);
}

static void put_field(const zk_style_t *s, enum zk_paint p, zk_buf_t *out, unsigned *col,
                      const char *t)
{
	paint(s, p, out);
	put_text(out, col, t);
	unpaint(s, out);
}

static void put_rdata(const zk_rr_t *rr, const zk_style_t *s, zk_buf_t *out)
{
	zk_buf_t t;

	if (!s->color) {
		zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, rdtext_flags(s), "\t\t\t\t", out);
		return;
	}
	/* multiline rdata: every line painted on its own */
	zk_buf_init(&t);
	zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, rdtext_flags(s), "\t\t\t\t", &t);
	if (t.err && !out->err)
		out->err = t.err;
	else if (t.len > 0)
		put_painted(out, ZK_PAINT_RDATA, t.data, t.len);
	zk_buf_free(&t);
}

/* RFC 2136 §2.4/§2.5 records with no RDATA: dig prints nothing there. */
static bool empty_update(const zk_rr_t *rr)
{
	return rr->rdlen == 0 && (rr->rclass == ZK_CLASS_ANY || rr->rclass == ZK_CLASS_NONE);
}

void zk_present_rr(const zk_rr_t *rr, const zk_style_t *s, zk_buf_t *out)
{
	cols_t c = columns(s);
	char t[32];
	size_t start;
	unsigned col;

	if (s->short_form) {
		put_rdata(rr, s, out);
		zk_buf_putc(out, '\n');
		return;
	}
	paint(s, ZK_PAINT_OWNER, out);
	start = out->len;
	zk_name_to_text(rr->owner, out);
	col = (unsigned)(out->len - start);
	unpaint(s, out);
	if (s->ttlid) {
		indent_to(out, &col, c.ttl);
		if (s->ttlunits) {
			size_t before;
			paint(s, ZK_PAINT_TTL, out);
			before = out->len;
			ttl_units(rr->ttl, out);
			col += (unsigned)(out->len - before);
			unpaint(s, out);
		} else {
			snprintf(t, sizeof(t), "%u", rr->ttl);
			put_field(s, ZK_PAINT_TTL, out, &col, t);
		}
	}
	if (s->classid) {
		indent_to(out, &col, c.cls);
		zk_rrclass_to_text(rr->rclass, t, sizeof(t));
		put_field(s, ZK_PAINT_CLASS, out, &col, t);
	}
	indent_to(out, &col, c.type);
	zk_rrtype_to_text(rr->type, t, sizeof(t));
	put_field(s, ZK_PAINT_TYPE, out, &col, t);
	indent_to(out, &col, c.rdata);
	if (!empty_update(rr))
		put_rdata(rr, s, out);
	zk_buf_putc(out, '\n');
}

void zk_present_question(const zk_rr_t *q, const zk_style_t *s, zk_buf_t *out)
{
	cols_t c = columns(s);
	char t[32];
	size_t start;
	unsigned col;

	/* dig (BIND's question_totext) prints the ';' outside its column
	 * count: a 24-character ";name." still takes two tabs, and a long
	 * name is followed by a space where the columns run out. */
	paint(s, ZK_PAINT_COMMENT, out);
	zk_buf_putc(out, ';');
	start = out->len;
	zk_name_to_text(q->owner, out);
	col = (unsigned)(out->len - start);
	/* dig shows the question's class even with +noclass. */
	indent_to(out, &col, c.cls);
	zk_rrclass_to_text(q->rclass, t, sizeof(t));
	put_text(out, &col, t);
	indent_to(out, &col, c.type);
	zk_rrtype_to_text(q->type, t, sizeof(t));
	put_text(out, &col, t);
	unpaint(s, out);
	zk_buf_putc(out, '\n');
}

/* The status word as dig prints it: names for 0..10, 16 and 23,
 * RESERVEDn for 11..15, "?n" for the rest. */
static void status_text(const zk_msg_t *m, const zk_style_t *s, char *buf, size_t cap)
{
	uint16_t rc = m->rcode;

	if (rc >= 11 && rc <= 15)
		snprintf(buf, cap, "RESERVED%u", rc);
	else if (rc <= 10 || rc == 16 || rc == 23)
		zk_rcode_to_text(rc, s->tsig_rcode, buf, cap);
	else
		snprintf(buf, cap, "?%u", rc);
}

static void present_header(const zk_msg_t *m, const zk_style_t *s, zk_buf_t *out)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} flags[] = {{ZK_FLAG_QR, "qr"}, {ZK_FLAG_AA, "aa"}, {ZK_FLAG_TC, "tc"}, {ZK_FLAG_RD, "rd"},
	             {ZK_FLAG_RA, "ra"}, {ZK_FLAG_AD, "ad"}, {ZK_FLAG_CD, "cd"}};
	char op[32], st[32];
	bool upd = m->opcode == ZK_OPCODE_UPDATE;

	zk_opcode_to_text(m->opcode, op, sizeof(op));
	status_text(m, s, st, sizeof(st));
	if (!s->color) {
		zk_buf_printf(out, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n", op, st,
		              m->id);
	} else {
		zk_buf_printf(out, "%s;; ->>HEADER<<- opcode: %s, status: " ZK_PAINT_RESET "%s%s",
		              sgr[ZK_PAINT_TITLE], op, sgr[zk_paint_rcode(m->rcode)], st);
		zk_buf_printf(out, ZK_PAINT_RESET "%s, id: %u" ZK_PAINT_RESET "\n",
		              sgr[ZK_PAINT_TITLE], m->id);
	}
	paint(s, ZK_PAINT_COMMENT, out);
	zk_buf_puts(out, ";; flags:");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (m->flags & flags[i].bit)
			zk_buf_printf(out, " %s", flags[i].name);
	if (m->flags & ZK_FLAG_Z)
		zk_buf_puts(out, "; MBZ: 0x4");
	zk_buf_printf(out, "; %s: %zu, %s: %zu, %s: %zu, ADDITIONAL: %zu", upd ? "ZONE" : "QUERY",
	              zk_msg_wire_count(m, ZK_SEC_QUESTION), upd ? "PREREQ" : "ANSWER",
	              zk_msg_wire_count(m, ZK_SEC_ANSWER), upd ? "UPDATE" : "AUTHORITY",
	              zk_msg_wire_count(m, ZK_SEC_AUTHORITY),
	              zk_msg_wire_count(m, ZK_SEC_ADDITIONAL));
	unpaint(s, out);
	zk_buf_putc(out, '\n');
	/* the warning is about a reply: a query as sent has no RA */
	if ((m->flags & ZK_FLAG_RD) && !(m->flags & ZK_FLAG_RA) && !s->sent)
		zk_present_painted(s, ZK_PAINT_WARN, out,
		                   ";; WARNING: recursion requested but not available\n");
	zk_buf_putc(out, '\n');
}

static void present_opt(const zk_msg_t *m, const zk_style_t *s, zk_buf_t *out)
{
	const zk_edns_t *e = &m->edns;
	uint16_t mbz = e->flags & (uint16_t)~ZK_EDNS_DO;

	if (s->comments)
		zk_present_painted(s, ZK_PAINT_TITLE, out, ";; OPT PSEUDOSECTION:\n");
	paint(s, ZK_PAINT_COMMENT, out);
	zk_buf_printf(out, "; EDNS: version: %u, flags:%s", e->version,
	              (e->flags & ZK_EDNS_DO) ? " do" : "");
	if (mbz != 0)
		zk_buf_printf(out, "; MBZ: 0x%.4x, udp: %u", mbz, e->udp_size);
	else
		zk_buf_printf(out, "; udp: %u", e->udp_size);
	unpaint(s, out);
	zk_buf_putc(out, '\n');
	for (size_t i = 0; i < e->nopts; i++) {
		paint(s, ZK_PAINT_COMMENT, out);
		zk_buf_puts(out, "; ");
		zk_edns_opt_to_text(&e->opts[i], out);
		unpaint(s, out);
		zk_buf_putc(out, '\n');
	}
}

void zk_present_msg(const zk_msg_t *m, const zk_style_t *s, zk_buf_t *out)
{
	const bool shown[ZK_SEC_COUNT] = {s->question, s->answer, s->authority, s->additional};

	if (s->short_form) {
		if (s->answer)
			for (size_t i = 0; i < m->count[ZK_SEC_ANSWER]; i++)
				zk_present_rr(&m->rr[ZK_SEC_ANSWER][i], s, out);
		return;
	}
	if (s->comments && s->header) {
		if (!s->sent)
			zk_present_painted(s, ZK_PAINT_TITLE, out, ";; Got answer:\n");
		present_header(m, s, out);
	}
	if (s->comments && s->opt && m->has_edns)
		present_opt(m, s, out);
	for (int sec = 0; sec < ZK_SEC_COUNT; sec++) {
		if (!shown[sec] || m->count[sec] == 0)
			continue;
		if (s->comments)
			zk_present_painted(s, ZK_PAINT_TITLE, out, ";; %s SECTION:\n",
			                   zk_msg_section_name(m, (enum zk_section)sec));
		for (size_t i = 0; i < m->count[sec]; i++) {
			if (sec == ZK_SEC_QUESTION)
				zk_present_question(&m->rr[sec][i], s, out);
			else
				zk_present_rr(&m->rr[sec][i], s, out);
		}
		if (s->comments)
			zk_buf_putc(out, '\n');
	}
	if (s->additional && m->sig != NULL) {
		if (s->comments)
			zk_present_painted(s, ZK_PAINT_TITLE, out, ";; %s PSEUDOSECTION:\n",
			                   m->sig->type == ZK_TYPE_TSIG ? "TSIG" : "SIG0");
		zk_present_rr(m->sig, s, out);
		if (s->comments)
			zk_buf_putc(out, '\n');
	}
}

/* ---------------------------------------------------------------- JSON */

/* jansson wants UTF-8; our text is ASCII (names and rdata escape the rest)
 * except EDE text, which the parser checked. */
static int set_str(json_t *o, const char *key, const char *val)
{
	json_t *v = json_string(val);
	if (v == NULL)
		v = json_string("");
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

static int set_int(json_t *o, const char *key, json_int_t val)
{
	return json_object_set_new(o, key, json_integer(val));
}

static int set_hex(json_t *o, const char *key, const uint8_t *p, size_t n)
{
	zk_buf_t b;
	int r;

	zk_buf_init(&b);
	zk_hex_encode(&b, p, n, true);
	zk_buf_putc(&b, '\0');
	r = b.err ? -1 : set_str(o, key, b.data ? b.data : "");
	zk_buf_free(&b);
	return r;
}

/* RFC 8427 §2.2: NAME, TYPE, TYPEname, CLASS, CLASSname, TTL, RDLENGTH,
 * RDATAHEX and "rdata" + TYPEname with the presentation form. */
static json_t *rr_json(const zk_rr_t *rr, const zk_style_t *s, bool question)
{
	json_t *o = json_object();
	char tname[32], cname[32], key[48], name[ZK_NAME_TEXTMAX];
	zk_buf_t b;
	int err = 0;

	if (o == NULL)
		return NULL;
	zk_name_to_cstr(rr->owner, name, sizeof(name));
	zk_rrtype_to_text(rr->type, tname, sizeof(tname));
	zk_rrclass_to_text(rr->rclass, cname, sizeof(cname));
	err |= set_str(o, "NAME", name);
	err |= set_int(o, "TYPE", rr->type);
	err |= set_str(o, "TYPEname", tname);
	err |= set_int(o, "CLASS", rr->rclass);
	err |= set_str(o, "CLASSname", cname);
	if (!question) {
		err |= set_int(o, "TTL", rr->ttl);
		err |= set_int(o, "RDLENGTH", rr->rdlen);
		err |= set_hex(o, "RDATAHEX", rr->rdata, rr->rdlen);
		if (zk_rrtype_name(rr->type) != NULL && rr->type != ZK_TYPE_OPT &&
		    !empty_update(rr)) {
			zk_buf_init(&b);
			zk_rdata_to_text(rr->type, rr->rdata, rr->rdlen,
			                 s->nocrypto ? ZK_RDTEXT_NOCRYPTO : 0, " ", &b);
			zk_buf_putc(&b, '\0');
			snprintf(key, sizeof(key), "rdata%s", tname);
			err |= b.err ? -1 : set_str(o, key, b.data ? b.data : "");
			zk_buf_free(&b);
		}
	}
	if (err) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The OPT RR as it sits in the additional section, plus its decoded form
 * ("EDNS" is not in RFC 8427, which leaves EDNS to profiles). */
static json_t *opt_json(const zk_msg_t *m)
{
	const zk_edns_t *e = &m->edns;
	json_t *o = json_object(), *opts = json_array(), *ed = json_object();
	zk_wbuf_t w;
	uint8_t *wire;
	size_t n = zk_edns_wire_size(e);
	int err = 0;

	if (o == NULL || opts == NULL || ed == NULL)
		goto fail;
	wire = malloc(n);
	if (wire == NULL)
		goto fail;
	zk_wbuf_init(&w, wire, n);
	zk_edns_write(e, &w);
	err |= set_str(o, "NAME", ".");
	err |= set_int(o, "TYPE", ZK_TYPE_OPT);
	err |= set_str(o, "TYPEname", "OPT");
	err |= set_int(o, "CLASS", e->udp_size);
	err |= set_int(
	    o, "TTL",
	    (json_int_t)((uint32_t)e->ext_rcode << 24 | (uint32_t)e->version << 16 | e->flags));
	err |= set_int(o, "RDLENGTH", (json_int_t)(n - 11));
	err |= w.err ? -1 : set_hex(o, "RDATAHEX", wire + 11, n - 11);
	free(wire);
	err |= set_int(ed, "version", e->version);
	err |= json_object_set_new(ed, "DO", json_boolean(e->flags & ZK_EDNS_DO));
	err |= set_int(ed, "flags", e->flags);
	err |= set_int(ed, "udp", e->udp_size);
	for (size_t i = 0; i < e->nopts; i++) {
		json_t *oo = json_object();
		zk_buf_t b;
		if (oo == NULL || json_array_append_new(opts, oo) < 0)
			goto fail;
		err |= set_int(oo, "code", e->opts[i].code);
		err |= set_hex(oo, "hex", e->opts[i].data, e->opts[i].len);
		zk_buf_init(&b);
		zk_edns_opt_to_text(&e->opts[i], &b);
		zk_buf_putc(&b, '\0');
		err |= b.err ? -1 : set_str(oo, "text", b.data ? b.data : "");
		zk_buf_free(&b);
	}
	err |= json_object_set_new(ed, "options", opts);
	opts = NULL;
	err |= json_object_set_new(o, "EDNS", ed);
	ed = NULL;
	if (err)
		goto fail;
	return o;
fail:
	json_decref(o);
	json_decref(opts);
	json_decref(ed);
	return NULL;
}

int zk_present_msg_json(const zk_msg_t *m, const zk_style_t *s, const void *extra, zk_buf_t *out)
{
	static const char *const keys[ZK_SEC_COUNT] = {"questionRRs", "answerRRs", "authorityRRs",
	                                               "additionalRRs"};
	json_t *root = json_object();
	char *text = NULL;
	int err = 0;

	if (root == NULL)
		return ZK_ENOMEM;
	/* RFC 8427 §2.1, header members. */
	err |= set_int(root, "ID", m->id);
	err |= set_int(root, "QR", (m->flags & ZK_FLAG_QR) != 0);
	err |= set_int(root, "Opcode", m->opcode);
	err |= set_int(root, "AA", (m->flags & ZK_FLAG_AA) != 0);
	err |= set_int(root, "TC", (m->flags & ZK_FLAG_TC) != 0);
	err |= set_int(root, "RD", (m->flags & ZK_FLAG_RD) != 0);
	err |= set_int(root, "RA", (m->flags & ZK_FLAG_RA) != 0);
	err |= set_int(root, "AD", (m->flags & ZK_FLAG_AD) != 0);
	err |= set_int(root, "CD", (m->flags & ZK_FLAG_CD) != 0);
	err |= set_int(root, "RCODE", m->rcode);
	err |= set_int(root, "QDCOUNT", (json_int_t)zk_msg_wire_count(m, ZK_SEC_QUESTION));
	err |= set_int(root, "ANCOUNT", (json_int_t)zk_msg_wire_count(m, ZK_SEC_ANSWER));
	err |= set_int(root, "NSCOUNT", (json_int_t)zk_msg_wire_count(m, ZK_SEC_AUTHORITY));
	err |= set_int(root, "ARCOUNT", (json_int_t)zk_msg_wire_count(m, ZK_SEC_ADDITIONAL));
	if (m->count[ZK_SEC_QUESTION] == 1) {
		const zk_rr_t *q = &m->rr[ZK_SEC_QUESTION][0];
		char name[ZK_NAME_TEXTMAX], t[32];
		zk_name_to_cstr(q->owner, name, sizeof(name));
		err |= set_str(root, "QNAME", name);
		err |= set_int(root, "QTYPE", q->type);
		zk_rrtype_to_text(q->type, t, sizeof(t));
		err |= set_str(root, "QTYPEname", t);
		err |= set_int(root, "QCLASS", q->rclass);
		zk_rrclass_to_text(q->rclass, t, sizeof(t));
		err |= set_str(root, "QCLASSname", t);
	}
	for (int sec = 0; sec < ZK_SEC_COUNT && !err; sec++) {
		json_t *arr;
		bool shown = sec == ZK_SEC_QUESTION    ? s->question
		             : sec == ZK_SEC_ANSWER    ? s->answer
		             : sec == ZK_SEC_AUTHORITY ? s->authority
		                                       : s->additional;
		if (!shown || zk_msg_wire_count(m, (enum zk_section)sec) == 0)
			continue;
		if (sec == ZK_SEC_QUESTION && m->count[sec] == 1)
			continue; /* QNAME/QTYPE/QCLASS above */
		arr = json_array();
		if (arr == NULL || json_object_set_new(root, keys[sec], arr) < 0) {
			err = -1;
			break;
		}
		for (size_t i = 0; i < m->count[sec]; i++) {
			json_t *o = rr_json(&m->rr[sec][i], s, sec == ZK_SEC_QUESTION);
			if (o == NULL || json_array_append_new(arr, o) < 0)
				err = -1;
		}
		if (sec == ZK_SEC_ADDITIONAL && m->has_edns) {
			json_t *o = opt_json(m);
			if (o == NULL || json_array_append_new(arr, o) < 0)
				err = -1;
		}
		if (sec == ZK_SEC_ADDITIONAL && m->sig != NULL) {
			json_t *o = rr_json(m->sig, s, false);
			if (o == NULL || json_array_append_new(arr, o) < 0)
				err = -1;
		}
	}
	if (!err && extra != NULL && json_is_object((const json_t *)extra))
		err |= json_object_update(root, (json_t *)(uintptr_t)extra);
	if (!err)
		text = json_dumps(root, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(root);
	if (text == NULL)
		return ZK_ENOMEM;
	zk_buf_puts(out, text);
	free(text);
	return out->err ? ZK_ENOMEM : ZK_OK;
}
