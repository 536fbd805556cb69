/* present — text output driven by a style: dig-style messages, zone-file
 * lines, multiline, and JSON in the RFC 8427 shape. The core never prints:
 * everything is appended to a zk_buf_t. */
#ifndef ZK_PRESENT_H
#define ZK_PRESENT_H

#include <stdbool.h>

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
} zk_style_t;

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
