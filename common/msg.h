/* msg — DNS messages: parse, build, render (with a size limit and TC). */
#ifndef ZK_MSG_H
#define ZK_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "compress.h"
#include "edns.h"
#include "err.h"
#include "rr.h"

enum zk_section {
	ZK_SEC_QUESTION = 0,  /* ZONE in UPDATE */
	ZK_SEC_ANSWER = 1,    /* PREREQUISITE in UPDATE */
	ZK_SEC_AUTHORITY = 2, /* UPDATE in UPDATE */
	ZK_SEC_ADDITIONAL = 3,
	ZK_SEC_COUNT = 4
};

/* Header flag bits as they sit in the second 16-bit word. */
enum {
	ZK_FLAG_QR = 0x8000,
	ZK_FLAG_AA = 0x0400,
	ZK_FLAG_TC = 0x0200,
	ZK_FLAG_RD = 0x0100,
	ZK_FLAG_RA = 0x0080,
	ZK_FLAG_Z = 0x0040,
	ZK_FLAG_AD = 0x0020,
	ZK_FLAG_CD = 0x0010,
};

#define ZK_MSG_HDRLEN 12

typedef struct zk_msg {
	uint16_t id;
	uint16_t flags; /* ZK_FLAG_* bits only (opcode and rcode separate) */
	uint8_t opcode;
	uint16_t rcode; /* 12 bits: header rcode | OPT ext-rcode << 4 */
	zk_rr_t *rr[ZK_SEC_COUNT];
	size_t count[ZK_SEC_COUNT];
	size_t cap[ZK_SEC_COUNT]; /* allocated entries of rr[] (building) */
	/* The OPT RR is taken out of the additional section. */
	bool has_edns;
	zk_edns_t edns;
	/* A TSIG or SIG(0) that closes the additional section is taken out too
	 * (parse: it must be the last RR, RFC 8945 §5.1 / RFC 2931 §3.1).
	 * sig_offset is where that RR starts in the parsed wire, so the
	 * verifier can rebuild the MAC input. */
	const zk_rr_t *sig;
	size_t sig_offset;
	size_t wire_len; /* size of the parsed message */
	/* Decoding work of the last parse (also set when it fails): octets and
	 * pointer hops examined by name.c (zk_name_from_wire_count), octets
	 * read and names built from the parser's memo of decoded names, and
	 * the RDATA octets read and written. At most ZK_MSG_WORK_FACTOR times
	 * wire_len whatever the input (RFC 9267 §2, CVE-2023-4408); test_msg
	 * checks it on pointer chains and thousands of names. */
	size_t work;
} zk_msg_t;

/* Upper bound of zk_msg_t.work per octet of message: a name that name.c
 * decodes costs at most 255 + 2 * 128 (name.h), and the smallest entry
 * holding one (a question of a bare pointer) takes 6 octets; 96 > 511 / 6.
 * Names that continue a name decoded before cost only their own octets
 * and the name built (pointer chains measure about 4 per octet). */
#define ZK_MSG_WORK_FACTOR 96

/* Parse a whole message. Everything (names, rdata, arrays) goes into a.
 * Errors, each with ec->offset set to the octet where it was found:
 * ZK_ETRUNC (header, question or RR cut short; counts larger than the
 * data), ZK_ERDLEN (RDLENGTH past the end or disagreeing with the rdata),
 * ZK_EPTR / ZK_ELABEL / ZK_ELABELTYPE / ZK_ENAMELEN (names),
 * ZK_ERDATA and others from rdata validation, ZK_EMSG (OPT twice, OPT
 * outside the additional section or not owned by the root, bad EDNS
 * option, TSIG or SIG(0) not the last record, trailing octets).
 * Hostile input is cheap: counts are never trusted for allocation beyond
 * what the remaining bytes could hold; names and rdata are decoded by
 * name/rdata with their limits. Trailing garbage after the last counted RR
 * is ZK_EMSG. */
int zk_msg_parse(zk_msg_t *m, const uint8_t *buf, size_t len, zk_arena_t *a, zk_errctx_t *ec);

/* Building. */
void zk_msg_init(zk_msg_t *m);
/* Append a copy of rr (owner and rdata copied into a) to a section.
 * EDNS goes in m->edns (has_edns), not as an OPT record here; a TSIG is
 * appended to the rendered wire by the tsig module. */
int zk_msg_add(zk_msg_t *m, zk_arena_t *a, enum zk_section sec, const zk_rr_t *rr);
/* Question helper. */
int zk_msg_set_question(zk_msg_t *m, zk_arena_t *a, const zk_name_t *qname, uint16_t qtype,
                        uint16_t qclass);

/* Render into buf (at most maxsize bytes; maxsize <= cap). Names are
 * compressed. If the answer, authority or additional sections do not fit,
 * whole RRsets are dropped from the end, TC is set when an answer or
 * authority RRset was dropped (RFC 2181 §9), and the OPT RR is still
 * included (RFC 6891 §7). The TSIG/SIG(0) record is not rendered here (the
 * tsig module appends it). *outlen on success. */
int zk_msg_render(const zk_msg_t *m, uint8_t *buf, size_t maxsize, size_t *outlen, zk_errctx_t *ec);

/* Total RRs the header of the wire form counts in a section: the
 * additional count includes OPT and the TSIG/SIG(0) record. */
size_t zk_msg_wire_count(const zk_msg_t *m, enum zk_section sec);

/* Section name as dig prints it for this opcode ("ANSWER", or "PREREQUISITE"
 * for UPDATE, ...). */
const char *zk_msg_section_name(const zk_msg_t *m, enum zk_section sec);

#endif
