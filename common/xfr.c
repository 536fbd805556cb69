/* xfr — AXFR (RFC 5936) and IXFR (RFC 1995) client state machine.
 *
 * Every message comes from the network and is untrusted. Threats and
 * what we do about them:
 *   - a message that belongs to another query, or changes ID, opcode or
 *     question in mid-stream: refused (RFC 5936 §2.2.1 lets later messages
 *     drop the question, not change it);
 *   - a stream that ends early, or whose closing SOA is not the opening
 *     one, or carries an SOA in the middle: refused, so a cut or spliced
 *     transfer never passes for a zone (§2.2);
 *   - unsigned or tampered messages when we signed: zk_tsig_verify (or
 *     the caller's zk_xfr_auth_t, GSS-TSIG) checks the MAC chain across
 *     messages and allows at most 99 unsigned ones in a row (RFC 8945
 *     §5.3.1); the last message must be signed;
 *   - a server that never stops: record and octet limits;
 *   - hostile wire data: zk_msg_parse with its bounded work.
 * Records are handed out one by one; nothing grows with the zone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "edns.h"
#include "net.h"
#include "rrtype.h"
#include "wire.h"
#include "xfr.h"

enum state {
	ST_START = 0, /* waiting for the first SOA */
	ST_IXFR_SOA,  /* IXFR: the first SOA seen, form not known yet */
	ST_FULL,      /* full zone: records until the closing SOA */
	ST_DEL,       /* IXFR delta: deletions */
	ST_ADD,       /* IXFR delta: additions */
	ST_DONE,
	ST_DEAD,
};

struct zk_xfr {
	zk_xfr_opts_t o;
	zk_name_t zone;
	zk_arena_t *arena; /* one message's parse, reset per message */
	zk_tsig_ctx_t tsig;
	bool have_tsig;
	const zk_xfr_auth_t *auth; /* GSS-TSIG and the like, or NULL */
	uint8_t query[1024];
	size_t qlen;
	enum state st;
	uint32_t first_serial; /* serial of the opening SOA */
	uint32_t cur_serial;   /* IXFR: the serial the deltas have reached */
	/* IXFR: the opening SOA, held until we know the form of the answer. */
	zk_name_t soa_owner;
	uint8_t soa_rd[ZK_NAME_MAXLEN * 2 + 20];
	zk_rr_t soa;
	zk_xfr_stats_t stats;
};

zk_xfr_t *zk_xfr_new(const zk_xfr_opts_t *o)
{
	zk_xfr_t *x;

	if (o == NULL || o->zone == NULL || o->on_rr == NULL ||
	    (o->qtype != ZK_TYPE_AXFR && o->qtype != ZK_TYPE_IXFR))
		return NULL;
	if (o->auth != NULL && (o->key != NULL || o->auth->sign == NULL ||
	                        o->auth->verify == NULL || o->auth->stream_end == NULL))
		return NULL;
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return NULL;
	x->o = *o;
	if (x->o.qclass == 0)
		x->o.qclass = ZK_CLASS_IN;
	if (x->o.max_records == 0)
		x->o.max_records = ZK_XFR_MAX_RECORDS;
	if (x->o.max_bytes == 0)
		x->o.max_bytes = ZK_XFR_MAX_BYTES;
	zk_name_copy(&x->zone, o->zone);
	x->o.zone = &x->zone;
	x->arena = zk_arena_new(0);
	if (x->arena == NULL) {
		free(x);
		return NULL;
	}
	if (o->key != NULL) {
		zk_tsig_ctx_init(&x->tsig, o->key, ZK_TSIG_FUDGE);
		x->have_tsig = true;
	}
	x->auth = o->auth;
	return x;
}

void zk_xfr_free(zk_xfr_t *x)
{
	if (x == NULL)
		return;
	if (x->have_tsig)
		zk_tsig_ctx_free(&x->tsig);
	zk_arena_free(x->arena);
	free(x);
}

void zk_xfr_get_stats(const zk_xfr_t *x, zk_xfr_stats_t *st)
{
	*st = x->stats;
}

int zk_xfr_soa_serial(const uint8_t *rd, size_t n, uint32_t *serial)
{
	int a, b;

	a = zk_name_wire_len(rd, n);
	if (a < 0)
		return ZK_ERDATA;
	b = zk_name_wire_len(rd + a, n - (size_t)a);
	if (b < 0 || n != (size_t)a + (size_t)b + 20)
		return ZK_ERDATA;
	*serial = zk_get_u32(rd + a + b);
	return 0;
}

/* Header and question (and for IXFR our SOA) of a query. */
static void put_header(zk_wbuf_t *w, uint16_t id, uint16_t flags, uint16_t an, uint16_t ns)
{
	zk_wbuf_u16(w, id);
	zk_wbuf_u16(w, flags);
	zk_wbuf_u16(w, 1);
	zk_wbuf_u16(w, an);
	zk_wbuf_u16(w, ns);
	zk_wbuf_u16(w, 0);
}

static void put_rr(zk_wbuf_t *w, const zk_rr_t *rr)
{
	zk_name_to_wire(rr->owner, w);
	zk_wbuf_u16(w, rr->type);
	zk_wbuf_u16(w, rr->rclass);
	zk_wbuf_u32(w, rr->ttl);
	zk_wbuf_u16(w, rr->rdlen);
	zk_wbuf_bytes(w, rr->rdata, rr->rdlen);
}

int zk_xfr_query(zk_xfr_t *x, uint16_t id, uint64_t now, uint8_t *buf, size_t cap, size_t *len,
                 zk_errctx_t *ec)
{
	zk_wbuf_t w;
	bool ixfr = x->o.qtype == ZK_TYPE_IXFR;
	int rc;

	zk_wbuf_init(&w, buf, cap);
	put_header(&w, id, 0, 0, ixfr ? 1 : 0);
	zk_name_to_wire(&x->zone, &w);
	zk_wbuf_u16(&w, x->o.qtype);
	zk_wbuf_u16(&w, x->o.qclass);
	if (ixfr) {
		/* RFC 1995 §3: our version's SOA in the authority section. Only
		 * the serial matters to the server. */
		uint8_t rd[22] = {0};
		zk_rr_t soa = {.owner = &x->zone,
		               .type = ZK_TYPE_SOA,
		               .rclass = x->o.qclass,
		               .ttl = 0,
		               .rdlen = sizeof(rd),
		               .rdata = rd};
		zk_put_u16(rd + 2, (uint16_t)(x->o.serial >> 16));
		zk_put_u16(rd + 4, (uint16_t)x->o.serial);
		put_rr(&w, &soa);
	}
	if (w.err)
		return zk_error(ec, ZK_ESPACE, "no room for the query");
	if (x->have_tsig) {
		zk_tsig_ctx_free(&x->tsig);
		zk_tsig_ctx_init(&x->tsig, x->o.key, ZK_TSIG_FUDGE);
		rc = zk_tsig_sign(&x->tsig, &w, now, 0, ec);
		if (rc < 0)
			return rc;
	} else if (x->auth != NULL) {
		rc = x->auth->sign(x->auth->ctx, &w, now, ec);
		if (rc < 0)
			return rc;
	}
	if (w.len > sizeof(x->query))
		return zk_error(ec, ZK_ESPACE, "query too long");
	memcpy(x->query, buf, w.len);
	x->qlen = w.len;
	x->st = ST_START;
	memset(&x->stats, 0, sizeof(x->stats));
	*len = w.len;
	return 0;
}

int zk_xfr_set_query(zk_xfr_t *x, const uint8_t *query, size_t len, zk_errctx_t *ec)
{
	zk_msg_t m;
	int rc;

	if (len > sizeof(x->query))
		return zk_error(ec, ZK_ESPACE, "query too long");
	zk_arena_reset(x->arena);
	rc = zk_msg_parse(&m, query, len, x->arena, ec);
	if (rc < 0)
		return zk_error(ec, ZK_EMSG, "the query does not parse");
	if (x->have_tsig) {
		zk_name_t alg;
		size_t pos = 0;
		zk_wire_t w;

		if (m.sig == NULL || m.sig->type != ZK_TYPE_TSIG ||
		    zk_name_from_wire_plain(&alg, m.sig->rdata, m.sig->rdlen, &pos, NULL) < 0)
			return zk_error(ec, ZK_EMSG, "the query has no TSIG");
		zk_wire_init(&w, m.sig->rdata + pos, m.sig->rdlen - pos);
		zk_wire_skip(&w, 8); /* time signed, fudge */
		uint16_t maclen = zk_wire_u16(&w);
		const uint8_t *mac = zk_wire_take(&w, maclen);
		if (mac == NULL || maclen > sizeof(x->tsig.mac))
			return zk_error(ec, ZK_EMSG, "the query's TSIG is malformed");
		zk_tsig_ctx_free(&x->tsig);
		zk_tsig_ctx_init(&x->tsig, x->o.key, ZK_TSIG_FUDGE);
		memcpy(x->tsig.mac, mac, maclen);
		x->tsig.mac_len = maclen;
		x->tsig.have_mac = true;
	}
	memcpy(x->query, query, len);
	x->qlen = len;
	x->st = ST_START;
	memset(&x->stats, 0, sizeof(x->stats));
	return 0;
}

int zk_xfr_soa_msg(uint16_t id, uint8_t opcode, const zk_name_t *zone, uint16_t qclass,
                   const zk_rr_t *soa, zk_tsig_ctx_t *tsig, uint64_t now, uint8_t *buf, size_t cap,
                   size_t *len, zk_errctx_t *ec)
{
	zk_wbuf_t w;
	uint16_t flags = (uint16_t)((opcode & 0xf) << 11);
	int rc;

	/* RFC 1996 §3.7: a NOTIFY has AA set. */
	if (opcode == ZK_OPCODE_NOTIFY)
		flags |= ZK_FLAG_AA;
	zk_wbuf_init(&w, buf, cap);
	put_header(&w, id, flags, soa != NULL ? 1 : 0, 0);
	zk_name_to_wire(zone, &w);
	zk_wbuf_u16(&w, ZK_TYPE_SOA);
	zk_wbuf_u16(&w, qclass ? qclass : ZK_CLASS_IN);
	if (soa != NULL)
		put_rr(&w, soa);
	if (w.err)
		return zk_error(ec, ZK_ESPACE, "no room for the message");
	if (tsig != NULL) {
		rc = zk_tsig_sign(tsig, &w, now, 0, ec);
		if (rc < 0)
			return rc;
	}
	*len = w.len;
	return 0;
}

void zk_xfr_ede_text(const zk_msg_t *m, zk_buf_t *out)
{
	if (!m->has_edns)
		return;
	for (size_t i = 0; i < m->edns.nopts; i++) {
		const zk_edns_opt_t *op = &m->edns.opts[i];
		uint16_t code;
		const char *name;

		if (op->code != ZK_EDNS_EDE || op->len < 2)
			continue;
		code = zk_get_u16(op->data);
		name = zk_edns_ede_name(code);
		zk_buf_printf(out, "%sEDE %u", out->len ? "; " : "", code);
		if (name != NULL)
			zk_buf_printf(out, " (%s)", name);
		if (op->len > 2) {
			zk_buf_puts(out, ": ");
			for (size_t k = 2; k < op->len; k++) {
				uint8_t c = op->data[k];
				if (c >= 0x20 && c < 0x7f)
					zk_buf_putc(out, (char)c);
				else
					zk_buf_printf(out, "\\%03u", c);
			}
		}
	}
}

static int die(zk_xfr_t *x, int rc)
{
	x->st = ST_DEAD;
	return rc;
}

static int emit(zk_xfr_t *x, zk_xfr_ev_t ev, const zk_rr_t *rr)
{
	return x->o.on_rr(x->o.ctx, ev, rr);
}

/* Keep the opening SOA of an IXFR answer until its form is known. */
static void hold_soa(zk_xfr_t *x, const zk_rr_t *rr)
{
	zk_name_copy(&x->soa_owner, rr->owner);
	memcpy(x->soa_rd, rr->rdata, rr->rdlen);
	x->soa = *rr;
	x->soa.owner = &x->soa_owner;
	x->soa.rdata = x->soa_rd;
}

/* One answer record through the state machine. */
static int step(zk_xfr_t *x, const zk_rr_t *rr, zk_errctx_t *ec)
{
	bool is_soa = rr->type == ZK_TYPE_SOA;
	uint32_t serial = 0;
	int rc = 0;

	if (is_soa) {
		if (zk_xfr_soa_serial(rr->rdata, rr->rdlen, &serial) < 0)
			return zk_error(ec, ZK_EMSG, "malformed SOA record");
		if (!zk_name_eq(rr->owner, &x->zone))
			return zk_error(ec, ZK_EMSG, "SOA record of another name in the transfer");
	} else if (!zk_name_is_sub(rr->owner, &x->zone)) {
		/* RFC 5936 §3.3: out-of-zone data is not part of the zone. */
		char t[ZK_NAME_TEXTMAX];
		zk_name_to_cstr(rr->owner, t, sizeof(t));
		return zk_error(ec, ZK_EMSG, "record outside the zone: %s", t);
	}
	if (rr->rclass != x->o.qclass)
		return zk_error(ec, ZK_EMSG, "record of another class in the transfer");

	switch (x->st) {
	case ST_START:
		/* RFC 5936 §2.2: the first record is the zone's SOA. */
		if (!is_soa)
			return zk_error(ec, ZK_EMSG, "the first record is not the zone's SOA");
		x->first_serial = serial;
		x->stats.serial = serial;
		if (x->o.qtype == ZK_TYPE_IXFR) {
			hold_soa(x, rr);
			x->st = ST_IXFR_SOA;
			return 0;
		}
		x->stats.kind = ZK_XFR_KIND_FULL;
		x->st = ST_FULL;
		return emit(x, ZK_XFR_RR, rr);
	case ST_IXFR_SOA:
		if (is_soa && serial != x->first_serial) {
			/* RFC 1995 §4: incremental; the first delta starts at our
			 * version. */
			if (serial != x->o.serial)
				return zk_error(ec, ZK_EZONE,
				                "the differences start at serial %u, ours is %u",
				                serial, x->o.serial);
			x->stats.kind = ZK_XFR_KIND_DELTAS;
			x->stats.deltas = 1;
			x->cur_serial = serial;
			x->st = ST_DEL;
			return emit(x, ZK_XFR_DEL, rr);
		}
		/* The whole zone in AXFR form (RFC 1995 §4). */
		x->stats.kind = ZK_XFR_KIND_FULL;
		rc = emit(x, ZK_XFR_RR, &x->soa);
		if (rc != 0)
			return rc;
		if (is_soa) {
			x->st = ST_DONE; /* a zone of its SOA alone */
			return 0;
		}
		x->st = ST_FULL;
		return emit(x, ZK_XFR_RR, rr);
	case ST_FULL:
		if (!is_soa)
			return emit(x, ZK_XFR_RR, rr);
		if (serial != x->first_serial)
			return zk_error(ec, ZK_EMSG,
			                "SOA with serial %u in mid-stream (the transfer began "
			                "with %u)",
			                serial, x->first_serial);
		x->st = ST_DONE;
		return 0;
	case ST_DEL:
		if (!is_soa)
			return emit(x, ZK_XFR_DEL, rr);
		if (zk_serial_cmp(serial, x->cur_serial) != 1)
			return zk_error(ec, ZK_EZONE, "a difference goes from serial %u to %u",
			                x->cur_serial, serial);
		x->cur_serial = serial;
		x->st = ST_ADD;
		return emit(x, ZK_XFR_ADD, rr);
	case ST_ADD:
		if (!is_soa)
			return emit(x, ZK_XFR_ADD, rr);
		if (serial == x->first_serial && x->cur_serial == x->first_serial) {
			x->st = ST_DONE;
			return 0;
		}
		/* The next delta starts where the last one ended. */
		if (serial != x->cur_serial)
			return zk_error(ec, ZK_EZONE,
			                "the differences do not chain: serial %u after %u", serial,
			                x->cur_serial);
		x->stats.deltas++;
		x->st = ST_DEL;
		return emit(x, ZK_XFR_DEL, rr);
	case ST_DONE: return zk_error(ec, ZK_EMSG, "records after the closing SOA");
	default: return zk_error(ec, ZK_EINVAL, "transfer already failed");
	}
}

static int check_header(zk_xfr_t *x, const uint8_t *msg, size_t len, zk_errctx_t *ec)
{
	enum zk_net_mismatch why;
	unsigned flags = x->stats.messages > 0 ? ZK_NET_MATCH_NOQUESTION : 0;

	if (len < ZK_MSG_HDRLEN)
		return zk_error(ec, ZK_EMSG, "message of %zu octets is shorter than a header", len);
	/* An error (FORMERR, NOTIMP, ...) may come without the question: let
	 * it through to be reported with its rcode. */
	if ((msg[3] & 0x0f) != 0 && zk_get_u16(msg + 4) == 0)
		flags |= ZK_NET_MATCH_NOQUESTION;
	if (zk_get_u16(msg) != zk_get_u16(x->query))
		return zk_error(ec, ZK_EMISMATCH, "message %llu has ID %u, the query had %u",
		                (unsigned long long)x->stats.messages + 1, zk_get_u16(msg),
		                zk_get_u16(x->query));
	if (zk_net_reply_match(x->query, x->qlen, msg, len, flags, &why) < 0)
		return zk_error(ec, ZK_EMISMATCH, "message %llu does not answer the query: %s",
		                (unsigned long long)x->stats.messages + 1,
		                zk_net_mismatch_text(why));
	return 0;
}

int zk_xfr_feed(zk_xfr_t *x, const uint8_t *msg, size_t len, uint64_t now, zk_errctx_t *ec)
{
	zk_msg_t m;
	zk_tsig_status_t ts;
	zk_errctx_t tec;
	int rc, trc = 0;

	if (x->st == ST_DEAD || x->qlen == 0)
		return zk_error(ec, ZK_EINVAL, "transfer already failed or not started");
	if (x->st == ST_DONE)
		return die(x, zk_error(ec, ZK_EMSG, "message after the closing SOA"));
	rc = check_header(x, msg, len, ec);
	if (rc < 0)
		return die(x, rc);
	x->stats.bytes += len;
	if (x->stats.bytes > x->o.max_bytes)
		return die(x, zk_error(ec, ZK_ELIMIT, "transfer larger than %llu octets",
		                       (unsigned long long)x->o.max_bytes));
	zk_arena_reset(x->arena);
	zk_errctx_init(&tec);
	rc = zk_msg_parse(&m, msg, len, x->arena, &tec);
	if (rc < 0)
		return die(x, zk_error(ec, ZK_EMSG, "malformed message %llu: %s",
		                       (unsigned long long)x->stats.messages + 1,
		                       tec.msg[0] ? tec.msg : zk_strerror(rc)));

	/* RFC 8945 §5.3.1: every message verified, the MAC chained. */
	if (x->have_tsig || x->auth != NULL) {
		zk_errctx_init(&tec);
		if (x->have_tsig)
			trc = zk_tsig_verify(&x->tsig, msg, len, &m, now, true, &ts, &tec);
		else
			trc = x->auth->verify(x->auth->ctx, msg, len, &m, now, true, &ts, &tec);
		if (trc == 0 && ts == ZK_TSIG_OK)
			x->stats.signed_messages++;
	}
	if (m.rcode != ZK_RCODE_NOERROR && trc < 0 && ts == ZK_TSIG_SERVER_ERROR) {
		/* RFC 8945 §5.3.2: the server could not verify our request. */
		char rt[32];
		zk_rcode_to_text(m.rcode, true, rt, sizeof(rt));
		x->stats.rcode = m.rcode;
		return die(x, zk_error(ec, ZK_ETSIG, "server answered %s: %s", rt, tec.msg));
	}
	if (m.rcode != ZK_RCODE_NOERROR) {
		char rt[32];
		zk_buf_t b;

		zk_buf_init(&b);
		zk_xfr_ede_text(&m, &b);
		zk_rcode_to_text(m.rcode, x->have_tsig || x->auth != NULL, rt, sizeof(rt));
		x->stats.rcode = m.rcode;
		rc = zk_error(ec, ZK_EMSG, "server answered %s%s%s%s%s", rt, b.len ? " (" : "",
		              b.len && b.data ? b.data : "", b.len ? ")" : "",
		              trc < 0 ? (m.sig ? "; its TSIG does not verify" : "; unsigned") : "");
		zk_buf_free(&b);
		return die(x, rc);
	}
	if (trc < 0) {
		if (ec != NULL)
			zk_error(ec, ZK_ETSIG, "message %llu: %s",
			         (unsigned long long)x->stats.messages + 1, tec.msg);
		return die(x, ZK_ETSIG);
	}
	if (m.flags & ZK_FLAG_TC)
		return die(x, zk_error(ec, ZK_ETRUNC,
		                       x->o.udp ? "truncated (TC=1): retry over TCP"
		                                : "truncated message (TC=1) in a TCP transfer"));
	if (x->stats.messages == 0 && m.count[ZK_SEC_ANSWER] == 0)
		return die(x, zk_error(ec, ZK_EMSG, "the first message has no answer records"));
	x->stats.messages++;

	for (size_t i = 0; i < m.count[ZK_SEC_ANSWER]; i++) {
		/* Counted once accepted: the stats never exceed the limit. */
		if (x->stats.records >= x->o.max_records)
			return die(x, zk_error(ec, ZK_ELIMIT, "transfer of more than %llu records",
			                       (unsigned long long)x->o.max_records));
		x->stats.records++;
		rc = step(x, &m.rr[ZK_SEC_ANSWER][i], ec);
		if (rc != 0)
			return die(x, rc);
	}

	if (x->st == ST_IXFR_SOA && m.count[ZK_SEC_ANSWER] == 1 && x->stats.messages == 1) {
		/* RFC 1995 §2/§4: a single SOA. Not newer than ours: up to
		 * date. Newer over UDP: the answer did not fit, use TCP. */
		if (zk_serial_cmp(x->first_serial, x->o.serial) != 1) {
			x->stats.kind = ZK_XFR_KIND_UPTODATE;
			x->st = ST_DONE;
		} else if (x->o.udp) {
			return die(x, zk_error(ec, ZK_ETRUNC,
			                       "the server has serial %u: the differences need TCP",
			                       x->first_serial));
		}
	}
	if (x->st != ST_DONE)
		return 1;
	if (x->have_tsig && zk_tsig_stream_end(&x->tsig, ec) < 0)
		return die(x, ZK_ETSIG);
	if (x->auth != NULL && x->auth->stream_end(x->auth->ctx, ec) < 0)
		return die(x, ZK_ETSIG);
	x->stats.done = true;
	return 0;
}

int zk_xfr_eof(zk_xfr_t *x, zk_errctx_t *ec)
{
	if (x->st == ST_DONE)
		return 0;
	x->st = ST_DEAD;
	if (x->stats.messages == 0)
		return zk_error(ec, ZK_ETRUNC, "no answer to the transfer request");
	return zk_error(ec, ZK_ETRUNC,
	                "the transfer ended before the closing SOA (%llu records "
	                "in %llu messages)",
	                (unsigned long long)x->stats.records,
	                (unsigned long long)x->stats.messages);
}
