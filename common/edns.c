/* edns — the OPT pseudo-RR (RFC 6891) and its options.
 *
 * The OPT RDATA comes from an untrusted message: every option header and
 * length is checked against what is left before anything is stored, and
 * the options array is sized by a first counting pass over the bytes that
 * are really there (never by a length field). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "edns.h"
#include "rrtype.h"

/* RFC 8914 §5.2 and the IANA "Extended DNS Error Codes" registry. dig 9.18
 * names only 0..24; zk_edns_opt_to_text follows it, zk_edns_ede_name knows
 * the registry. */
static const char *const ede_names[] = {
    "Other",
    "Unsupported DNSKEY Algorithm",
    "Unsupported DS Digest Type",
    "Stale Answer",
    "Forged Answer",
    "DNSSEC Indeterminate",
    "DNSSEC Bogus",
    "Signature Expired",
    "Signature Not Yet Valid",
    "DNSKEY Missing",
    "RRSIGs Missing",
    "No Zone Key Bit Set",
    "NSEC Missing",
    "Cached Error",
    "Not Ready",
    "Blocked",
    "Censored",
    "Filtered",
    "Prohibited",
    "Stale NXDOMAIN Answer",
    "Not Authoritative",
    "Not Supported",
    "No Reachable Authority",
    "Network Error",
    "Invalid Data",
    "Signature Expired before Valid",
    "Too Early",
    "Unsupported NSEC3 Iterations Value",
    "Unable to conform to policy",
    "Synthesized",
    "Invalid Query Type",
};

#define DIG_EDE_MAX 24

const char *zk_edns_ede_name(uint16_t code)
{
	if (code < sizeof(ede_names) / sizeof(ede_names[0]))
		return ede_names[code];
	return NULL;
}

/* RFC 3629 §4 UTF-8, without overlongs or surrogates. */
static bool utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = p[i];
		size_t more;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (more > n - i - 1)
			return false;
		for (size_t k = 1; k <= more; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += more + 1;
	}
	return true;
}

/* RFC 7871 §6: FAMILY, SOURCE PREFIX-LENGTH, SCOPE PREFIX-LENGTH, then
 * exactly ceil(source/8) address octets with the bits past the source
 * prefix zero. Family 0 is accepted only with empty prefixes (what BIND
 * sends for "+subnet=0"). */
static const char *ecs_check(const uint8_t *d, size_t n)
{
	unsigned family, source, scope, max, bytes;

	if (n < 4)
		return "CLIENT-SUBNET shorter than 4 octets";
	family = zk_get_u16(d);
	source = d[2];
	scope = d[3];
	switch (family) {
	case 0: max = 0; break;
	case 1: max = 32; break;
	case 2: max = 128; break;
	default: return "CLIENT-SUBNET with an unknown address family";
	}
	if (source > max || scope > max)
		return "CLIENT-SUBNET prefix length too long for the family";
	bytes = (source + 7) / 8;
	if (n - 4 != bytes)
		return "CLIENT-SUBNET address length disagrees with the source prefix";
	if (source % 8 != 0 && (d[4 + bytes - 1] & (0xff >> (source % 8))) != 0)
		return "CLIENT-SUBNET address has bits set past the source prefix";
	return NULL;
}

/* What a well-formed option of a known code must look like; NULL if fine. */
static const char *opt_check(uint16_t code, const uint8_t *d, size_t n)
{
	switch (code) {
	case ZK_EDNS_ECS: return ecs_check(d, n);
	case ZK_EDNS_COOKIE:
		/* RFC 7873 §4: client cookie 8, server cookie 8..32. */
		if (n != 8 && (n < 16 || n > 40))
			return "COOKIE must be 8 or 16 to 40 octets";
		return NULL;
	case ZK_EDNS_KEEPALIVE:
		/* RFC 7828 §3.1 */
		if (n != 0 && n != 2)
			return "TCP-KEEPALIVE must be 0 or 2 octets";
		return NULL;
	case ZK_EDNS_EXPIRE:
		/* RFC 7314 §2 */
		if (n != 0 && n != 4)
			return "EXPIRE must be 0 or 4 octets";
		return NULL;
	case ZK_EDNS_EDE:
		/* RFC 8914 §2: INFO-CODE, then UTF-8 EXTRA-TEXT. */
		if (n < 2)
			return "EDE shorter than 2 octets";
		if (!utf8_valid(d + 2, n - 2))
			return "EDE EXTRA-TEXT is not UTF-8";
		return NULL;
	case ZK_EDNS_KEYTAG:
		/* RFC 8145 §4.1 */
		if (n == 0 || n % 2 != 0)
			return "KEY-TAG length must be a non-zero multiple of 2";
		return NULL;
	case ZK_EDNS_CLIENT_TAG:
	case ZK_EDNS_SERVER_TAG:
		if (n != 2)
			return "CLIENT-TAG/SERVER-TAG must be 2 octets";
		return NULL;
	default: return NULL;
	}
}

int zk_edns_parse(zk_edns_t *e, const zk_rr_t *opt, zk_arena_t *a, zk_errctx_t *ec)
{
	zk_wire_t w;
	size_t nopts = 0, i = 0;
	zk_edns_opt_t *opts = NULL;

	if (opt->type != ZK_TYPE_OPT)
		return zk_error(ec, ZK_EINVAL, "not an OPT record");
	if (opt->owner != NULL && !zk_name_is_root(opt->owner))
		return zk_error(ec, ZK_EMSG, "OPT owner is not the root (RFC 6891 §6.1.2)");

	/* Count and check first, so the array is exactly as long as the
	 * options really present. ec->offset is inside the RDATA. */
	zk_wire_init(&w, opt->rdata, opt->rdlen);
	while (zk_wire_left(&w) > 0) {
		size_t at = w.pos;
		uint16_t code, len;
		const uint8_t *d;
		const char *why;
		if (zk_wire_left(&w) < 4)
			return zk_error_at(ec, ZK_EMSG, (long)at, "OPT option header truncated");
		code = zk_wire_u16(&w);
		len = zk_wire_u16(&w);
		d = zk_wire_take(&w, len);
		if (d == NULL)
			return zk_error_at(ec, ZK_EMSG, (long)at,
			                   "OPT option %u length %u runs past the RDATA", code,
			                   len);
		why = opt_check(code, d, len);
		if (why != NULL)
			return zk_error_at(ec, ZK_EMSG, (long)at, "malformed OPT option: %s", why);
		nopts++;
	}
	if (nopts > 0) {
		opts = zk_arena_alloc(a, nopts * sizeof(*opts));
		if (opts == NULL)
			return zk_error(ec, ZK_ENOMEM, "out of memory");
		zk_wire_init(&w, opt->rdata, opt->rdlen);
		for (i = 0; i < nopts; i++) {
			opts[i].code = zk_wire_u16(&w);
			opts[i].len = zk_wire_u16(&w);
			opts[i].data = zk_wire_take(&w, opts[i].len);
		}
	}
	e->udp_size = opt->rclass;
	e->ext_rcode = (uint8_t)(opt->ttl >> 24);
	e->version = (uint8_t)(opt->ttl >> 16);
	e->flags = (uint16_t)opt->ttl;
	e->nopts = nopts;
	e->opts = opts;
	return ZK_OK;
}

size_t zk_edns_wire_size(const zk_edns_t *e)
{
	size_t n = 11; /* root owner, TYPE, CLASS, TTL, RDLENGTH */
	for (size_t i = 0; i < e->nopts; i++)
		n += 4 + (size_t)e->opts[i].len;
	return n;
}

void zk_edns_write(const zk_edns_t *e, zk_wbuf_t *w)
{
	size_t rdlen = zk_edns_wire_size(e) - 11;

	if (rdlen > 0xffff) {
		w->err = w->err ? w->err : ZK_ESPACE;
		return;
	}
	zk_wbuf_u8(w, 0);
	zk_wbuf_u16(w, ZK_TYPE_OPT);
	zk_wbuf_u16(w, e->udp_size);
	zk_wbuf_u32(w, (uint32_t)e->ext_rcode << 24 | (uint32_t)e->version << 16 | e->flags);
	zk_wbuf_u16(w, (uint16_t)rdlen);
	for (size_t i = 0; i < e->nopts; i++) {
		zk_wbuf_u16(w, e->opts[i].code);
		zk_wbuf_u16(w, e->opts[i].len);
		zk_wbuf_bytes(w, e->opts[i].data, e->opts[i].len);
	}
}

/* Names exactly as dig 9.18 prints them; the rest print as OPT=N. */
static const char *opt_name(uint16_t code)
{
	switch (code) {
	case ZK_EDNS_LLQ: return "LLQ";
	case ZK_EDNS_NSID: return "NSID";
	case ZK_EDNS_ECS: return "CLIENT-SUBNET";
	case ZK_EDNS_EXPIRE: return "EXPIRE";
	case ZK_EDNS_COOKIE: return "COOKIE";
	case ZK_EDNS_KEEPALIVE: return "TCP KEEPALIVE";
	case ZK_EDNS_PADDING: return "PAD";
	case ZK_EDNS_KEYTAG: return "KEY-TAG";
	case ZK_EDNS_EDE: return "EDE";
	case ZK_EDNS_CLIENT_TAG: return "CLIENT-TAG";
	case ZK_EDNS_SERVER_TAG: return "SERVER-TAG";
	default: return NULL;
	}
}

/* "1 day 6 hours" as BIND's verbose TTL text. */
static void ttl_verbose(uint32_t t, zk_buf_t *out)
{
	static const struct {
		uint32_t secs;
		const char *unit;
	} units[] = {
	    {604800, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};
	bool first = true;

	for (size_t i = 0; i < 5; i++) {
		uint32_t v = t / units[i].secs;
		t %= units[i].secs;
		if (v == 0 && !(units[i].secs == 1 && first))
			continue;
		zk_buf_printf(out, "%s%u %s%s", first ? "" : " ", v, units[i].unit,
		              v == 1 ? "" : "s");
		first = false;
	}
}

static bool ecs_to_text(const uint8_t *d, size_t n, zk_buf_t *out)
{
	uint8_t addr[16] = {0};
	char text[INET6_ADDRSTRLEN];
	unsigned family = zk_get_u16(d);

	if (ecs_check(d, n) != NULL)
		return false;
	memcpy(addr, d + 4, n - 4);
	if (family == 0)
		zk_buf_puts(out, " 0");
	else if (inet_ntop(family == 1 ? AF_INET : AF_INET6, addr, text, sizeof(text)) != NULL)
		zk_buf_printf(out, " %s", text);
	else
		return false;
	zk_buf_printf(out, "/%u/%u", d[2], d[3]);
	return true;
}

static void printable(const uint8_t *d, size_t n, bool utf8, zk_buf_t *out)
{
	for (size_t i = 0; i < n; i++) {
		if ((d[i] >= 0x20 && d[i] < 0x7f) || (utf8 && d[i] > 0x7f))
			zk_buf_putc(out, (char)d[i]);
		else
			zk_buf_putc(out, '.');
	}
}

void zk_edns_opt_to_text(const zk_edns_opt_t *o, zk_buf_t *out)
{
	const char *name = opt_name(o->code);
	const uint8_t *d = o->data;
	size_t n = o->len;
	bool utf8 = false;

	if (name != NULL)
		zk_buf_printf(out, "%s:", name);
	else
		zk_buf_printf(out, "OPT=%u:", o->code);

	switch (o->code) {
	case ZK_EDNS_LLQ:
		/* RFC 8764 §3.2 */
		if (n == 18) {
			zk_buf_printf(out,
			              " Version: %u, Opcode: %u, Error: %u, Identifier: %llu, "
			              "Lifetime: %u",
			              zk_get_u16(d), zk_get_u16(d + 2), zk_get_u16(d + 4),
			              (unsigned long long)zk_get_u32(d + 6) << 32 |
			                  zk_get_u32(d + 10),
			              zk_get_u32(d + 14));
			return;
		}
		break;
	case ZK_EDNS_ECS:
		if (ecs_to_text(d, n, out))
			return;
		break;
	case ZK_EDNS_EXPIRE:
		if (n == 4) {
			zk_buf_printf(out, " %u (", zk_get_u32(d));
			ttl_verbose(zk_get_u32(d), out);
			zk_buf_putc(out, ')');
			return;
		}
		break;
	case ZK_EDNS_KEEPALIVE:
		/* RFC 7828 §3.1: units of 100 milliseconds. */
		if (n == 2) {
			unsigned v = zk_get_u16(d);
			zk_buf_printf(out, " %u.%u secs", v / 10, v % 10);
			return;
		}
		break;
	case ZK_EDNS_PADDING:
		if (n > 0)
			zk_buf_printf(out, " (%zu bytes)", n);
		return;
	case ZK_EDNS_KEYTAG:
		if (n > 0 && n % 2 == 0) {
			for (size_t i = 0; i < n; i += 2)
				zk_buf_printf(out, "%s %u", i ? "," : "", zk_get_u16(d + i));
			return;
		}
		break;
	case ZK_EDNS_CLIENT_TAG:
	case ZK_EDNS_SERVER_TAG:
		if (n == 2) {
			zk_buf_printf(out, " %u", zk_get_u16(d));
			return;
		}
		break;
	case ZK_EDNS_EDE:
		if (n >= 2) {
			uint16_t info = zk_get_u16(d);
			zk_buf_printf(out, " %u", info);
			if (info <= DIG_EDE_MAX)
				zk_buf_printf(out, " (%s)", ede_names[info]);
			d += 2;
			n -= 2;
			if (n == 0)
				return;
			zk_buf_putc(out, ':');
			utf8 = utf8_valid(d, n);
		}
		break;
	default: break;
	}
	if (n == 0)
		return;
	zk_buf_putc(out, ' ');
	if (!utf8) {
		for (size_t i = 0; i < n; i++)
			zk_buf_printf(out, o->code == ZK_EDNS_COOKIE ? "%02x" : "%02x ", d[i]);
	}
	if (o->code == ZK_EDNS_COOKIE || o->code == ZK_EDNS_CLIENT_TAG ||
	    o->code == ZK_EDNS_SERVER_TAG)
		return;
	zk_buf_puts(out, o->code == ZK_EDNS_EDE ? "(" : "(\"");
	printable(d, n, utf8, out);
	zk_buf_puts(out, o->code == ZK_EDNS_EDE ? ")" : "\")");
}
