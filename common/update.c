/* update — DNS UPDATE request building (RFC 2136 §2.4, §2.5, §3).
 *
 * Every record is stored in the encoding the server reads (class ANY or
 * NONE, TTL 0, empty rdata where §2.4/§2.5 say so), so rendering is just
 * msg's renderer and printing the pending update (`show`) shows exactly
 * what would be sent. */
#include "config.h"

#include <string.h>

#include "rrtype.h"
#include "update.h"

int zk_update_init(zk_update_t *u, uint16_t rclass)
{
	memset(u, 0, sizeof(*u));
	u->arena = zk_arena_new(0);
	if (u->arena == NULL)
		return ZK_ENOMEM;
	zk_msg_init(&u->msg);
	u->msg.opcode = ZK_OPCODE_UPDATE;
	u->rclass = rclass;
	return 0;
}

void zk_update_clear(zk_update_t *u)
{
	zk_arena_reset(u->arena);
	zk_msg_init(&u->msg);
	u->msg.opcode = ZK_OPCODE_UPDATE;
}

void zk_update_free(zk_update_t *u)
{
	zk_arena_free(u->arena);
	u->arena = NULL;
}

static int add(zk_update_t *u, enum zk_section sec, const zk_name_t *owner, uint16_t type,
               uint16_t rclass, uint32_t ttl, const uint8_t *rd, size_t rdlen, zk_errctx_t *ec)
{
	zk_rr_t rr = {.owner = owner,
	              .type = type,
	              .rclass = rclass,
	              .ttl = ttl,
	              .rdlen = (uint16_t)rdlen,
	              .rdata = rd};

	if (rdlen > 0xffff)
		return zk_error(ec, ZK_ERANGE, "rdata of %zu octets", rdlen);
	if (zk_msg_add(&u->msg, u->arena, sec, &rr) < 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	return 0;
}

/* Types that are not data (RFC 2136 §3.4.1.2 names ANY, AXFR, MAILA,
 * MAILB; OPT, TSIG, TKEY, IXFR are no zone data either). */
static bool is_meta(uint16_t type)
{
	const zk_rrtype_t *t = zk_rrtype_get(type);
	return t != NULL && (t->flags & ZK_RRF_META) != 0;
}

static int meta_error(zk_errctx_t *ec, uint16_t type, const char *what)
{
	char tb[16];
	zk_rrtype_to_text(type, tb, sizeof(tb));
	return zk_error(ec, ZK_EINVAL, "%s: %s is a meta type, not zone data", what, tb);
}

int zk_update_prereq(zk_update_t *u, zk_prereq_t kind, const zk_name_t *owner, uint16_t type,
                     const uint8_t *rd, size_t rdlen, bool has_rdata, zk_errctx_t *ec)
{
	if (has_rdata && kind != ZK_PREREQ_YXRRSET)
		return zk_error(ec, ZK_EINVAL, "only yxrrset takes record data");
	switch (kind) {
	case ZK_PREREQ_NXDOMAIN:
		return add(u, ZK_SEC_ANSWER, owner, ZK_TYPE_ANY, ZK_CLASS_NONE, 0, NULL, 0, ec);
	case ZK_PREREQ_YXDOMAIN:
		return add(u, ZK_SEC_ANSWER, owner, ZK_TYPE_ANY, ZK_CLASS_ANY, 0, NULL, 0, ec);
	case ZK_PREREQ_NXRRSET:
		if (is_meta(type))
			return meta_error(ec, type, "nxrrset");
		return add(u, ZK_SEC_ANSWER, owner, type, ZK_CLASS_NONE, 0, NULL, 0, ec);
	case ZK_PREREQ_YXRRSET:
		if (is_meta(type))
			return meta_error(ec, type, "yxrrset");
		if (!has_rdata)
			return add(u, ZK_SEC_ANSWER, owner, type, ZK_CLASS_ANY, 0, NULL, 0, ec);
		/* §2.4.2: the zone class, TTL 0, the exact rdata. */
		return add(u, ZK_SEC_ANSWER, owner, type, u->rclass, 0, rd, rdlen, ec);
	}
	return zk_error(ec, ZK_EINVAL, "unknown prerequisite");
}

int zk_update_add(zk_update_t *u, const zk_name_t *owner, uint16_t type, uint32_t ttl,
                  const uint8_t *rd, size_t rdlen, zk_errctx_t *ec)
{
	if (is_meta(type))
		return meta_error(ec, type, "add");
	/* RFC 2181 §8: TTLs are 31-bit. */
	if (ttl > 0x7fffffffu)
		return zk_error(ec, ZK_ERANGE, "TTL %u out of range (at most 2147483647)", ttl);
	return add(u, ZK_SEC_AUTHORITY, owner, type, u->rclass, ttl, rd, rdlen, ec);
}

int zk_update_delete(zk_update_t *u, const zk_name_t *owner, uint16_t type, const uint8_t *rd,
                     size_t rdlen, bool has_rdata, zk_errctx_t *ec)
{
	if (!has_rdata) {
		if (type != ZK_TYPE_ANY && is_meta(type))
			return meta_error(ec, type, "delete");
		return add(u, ZK_SEC_AUTHORITY, owner, type, ZK_CLASS_ANY, 0, NULL, 0, ec);
	}
	if (is_meta(type))
		return meta_error(ec, type, "delete");
	return add(u, ZK_SEC_AUTHORITY, owner, type, ZK_CLASS_NONE, 0, rd, rdlen, ec);
}

size_t zk_update_nprereq(const zk_update_t *u)
{
	return u->msg.count[ZK_SEC_ANSWER];
}

size_t zk_update_nupdate(const zk_update_t *u)
{
	return u->msg.count[ZK_SEC_AUTHORITY];
}

const zk_name_t *zk_update_first_name(const zk_update_t *u)
{
	if (u->msg.count[ZK_SEC_AUTHORITY] > 0)
		return u->msg.rr[ZK_SEC_AUTHORITY][0].owner;
	if (u->msg.count[ZK_SEC_ANSWER] > 0)
		return u->msg.rr[ZK_SEC_ANSWER][0].owner;
	return NULL;
}

int zk_update_check_zone(const zk_update_t *u, const zk_name_t *zone, zk_errctx_t *ec)
{
	for (int s = ZK_SEC_ANSWER; s <= ZK_SEC_AUTHORITY; s++) {
		for (size_t i = 0; i < u->msg.count[s]; i++) {
			const zk_name_t *o = u->msg.rr[s][i].owner;
			if (!zk_name_is_sub(o, zone)) {
				char a[ZK_NAME_TEXTMAX], b[ZK_NAME_TEXTMAX];
				zk_name_to_cstr(o, a, sizeof(a));
				zk_name_to_cstr(zone, b, sizeof(b));
				return zk_error(ec, ZK_EZONE, "%s is not in zone %s", a, b);
			}
		}
	}
	return 0;
}

int zk_update_render(zk_update_t *u, const zk_name_t *zone, uint16_t id, uint8_t *buf,
                     size_t maxsize, size_t *outlen, zk_errctx_t *ec)
{
	size_t len;
	int rc;

	/* §2.3: ZOCOUNT 1, the zone's SOA in the zone's class. */
	if (zk_msg_set_question(&u->msg, u->arena, zone, ZK_TYPE_SOA, u->rclass) < 0)
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	u->msg.id = id;
	u->msg.flags = 0;
	u->msg.opcode = ZK_OPCODE_UPDATE;
	u->msg.rcode = 0;
	rc = zk_msg_render(&u->msg, buf, maxsize, &len, ec);
	if (rc < 0)
		return rc;
	/* msg drops whole RRsets that do not fit; an update must never go
	 * out with part of its records. */
	if (zk_get_u16(buf + 6) != u->msg.count[ZK_SEC_ANSWER] ||
	    zk_get_u16(buf + 8) != u->msg.count[ZK_SEC_AUTHORITY] ||
	    (zk_get_u16(buf + 2) & ZK_FLAG_TC) != 0)
		return zk_error(ec, ZK_ESPACE, "the update does not fit in %zu octets", maxsize);
	*outlen = len;
	return 0;
}
