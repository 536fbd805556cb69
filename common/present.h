/* present — text output driven by a style: dig-style messages, zone-file
 * lines, multiline, and JSON in the RFC 8427 shape. The core never prints:
 * everything is appended to a zk_buf_t. */
#ifndef ZK_PRESENT_H
#define ZK_PRESENT_H

#include <stdbool.h>
#include <stdint.h>

#include "alloc.h"
#include "msg.h"
#include "rr.h"

typedef struct zk_style {
	bool comments; /* ";; ..." comment lines (dig +comments) */
	bool question; /* sections shown */
	bool answer;
	bool authority;
	bool additional;
	bool opt;        /* OPT PSEUDOSECTION */
	bool header;     /* ";; ->>HEADER<<-" and flags lines */
	bool multiline;  /* dig +multiline */
	bool rrcomments; /* per-RR comments (key id, ...) (dig +rrcomments) */
	bool ttlid;      /* show TTL */
	bool ttlunits;   /* TTL as 1h2m3s */
	bool classid;    /* show class */
	bool short_form; /* dig +short: rdata only */
	bool nocrypto;   /* keys and signatures "[omitted]" */
	bool color;      /* ANSI colours (only when asked: the tool decides) */
	bool tsig_rcode; /* rcode 16 reads BADSIG (reply to a TSIG-signed query) */
	bool sent;       /* a query as sent (dig +qr): no ";; Got answer:" line and
	                    no RA warning */
} zk_style_t;

/* The colour scheme of s->color (documented in zdig(1), COLOURS): what
 * kind of text each ANSI SGR sequence marks. With colour off nothing is
 * added, and with it on, removing every "ESC [ ... m" gives back the
 * uncoloured text byte for byte. */
enum zk_paint {
	ZK_PAINT_TITLE,   /* ";; Got answer:", HEADER line, section titles */
	ZK_PAINT_COMMENT, /* other comment lines, the question line */
	ZK_PAINT_WARN,    /* ";; WARNING: ..." */
	ZK_PAINT_OWNER,   /* RR fields: */
	ZK_PAINT_TTL,
	ZK_PAINT_CLASS,
	ZK_PAINT_TYPE,
	ZK_PAINT_RDATA,
	ZK_PAINT_OK,       /* status NOERROR */
	ZK_PAINT_NEGATIVE, /* status NXDOMAIN, YXDOMAIN, YXRRSET, NXRRSET */
	ZK_PAINT_ERROR,    /* any other status; the tool's error lines */
	ZK_PAINT_COUNT
};

#define ZK_PAINT_RESET "\033[0m"

/* The SGR sequence of p ("\033[...m"). */
const char *zk_paint_sgr(enum zk_paint p);
/* The paint of a status line for this rcode. */
enum zk_paint zk_paint_rcode(uint16_t rcode);

/* Text of the tool's own, printf-style, painted with p when s->color:
 * each line (up to each "\n") is wrapped in p and ZK_PAINT_RESET, the
 * newline itself left outside. Without colour, exactly zk_buf_printf. */
void zk_present_painted(const zk_style_t *s, enum zk_paint p, zk_buf_t *out, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* dig's defaults. */
void zk_style_dig(zk_style_t *s);
/* Zone-file lines: no comments, tab separated, one RR per line. */
void zk_style_zone(zk_style_t *s);

/* One RR (or question entry when ttl/rdlen are 0 and it came from the
 * question section: use zk_present_question). Ends with "\n". */
void zk_present_rr(const zk_rr_t *rr, const zk_style_t *s, zk_buf_t *out);
void zk_present_question(const zk_rr_t *q, const zk_style_t *s, zk_buf_t *out);

/* The message as dig 9.18 prints it: ";; Got answer:", the HEADER line,
 * flags and counts, OPT PSEUDOSECTION (EDE text), each section, TSIG
 * PSEUDOSECTION. Not the ";; Query time/SERVER/WHEN/MSG SIZE" lines: those
 * belong to the tool, which knows them. */
void zk_present_msg(const zk_msg_t *m, const zk_style_t *s, zk_buf_t *out);

/* RFC 8427 JSON object for the message (one line, no trailing newline).
 * extra may add members (the tool's query time, server, ...): a
 * json_t object from jansson or NULL; it is merged, not stolen. */
int zk_present_msg_json(const zk_msg_t *m, const zk_style_t *s, const void *extra, zk_buf_t *out);

#endif
