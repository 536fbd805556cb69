/* gss — GSS-TSIG: a GSS-API security context negotiated with TKEY
 * (RFC 2930 mode 3) and used to sign DNS messages with TSIG (RFC 3645),
 * the secure dynamic update of Windows 2000 and later, BIND's nsupdate -g
 * and -o. Kerberos 5 through SPNEGO, as those peers do; the credentials
 * come from a credential cache (kinit first) or a client keytab.
 *
 * Built only when configure found GSS-API (MIT krb5, HAVE_GSSAPI).
 * Without it every entry point fails with ZK_EUNSUPP and the message
 * ZK_GSS_BUILT_OUT, so a tool can say so; zk_gss_available() tells first.
 *
 * Use (a few lines in a tool):
 *
 *	zk_gss_opts_t o = {.server = "ns.example.com"};      // DNS/ns.example.com
 *	zk_gss_ctx_t *g;
 *	zk_gss_new(&g, &o, &ec);                              // credentials
 *	zk_net_connect(&conn, &addr, &nopts, NULL, &ec);      // TKEY needs TCP
 *	zk_gss_negotiate(g, conn, &nopts, now, &ec);          // TKEY round trips
 *	... render the update into w ...
 *	zk_gss_sign(g, &w, now, &ec);                         // append TSIG
 *	... exchange, zk_msg_parse the reply into m ...
 *	zk_gss_verify(g, reply, len, &m, now, false, &st, &ec);
 *	zk_gss_delete(g, conn, &nopts, now, &ec);             // TKEY mode 5
 *	zk_gss_free(g);
 *
 * The negotiation is also available one message at a time
 * (zk_gss_tkey_query / zk_gss_tkey_reply) for tools that drive their own
 * transport. Nothing here prints; failures fill the error context with
 * what went wrong and, for the usual Kerberos mistakes, what to do (run
 * kinit; the service principal must be DNS/<server FQDN>; clocks must
 * agree within 5 minutes; the server refused TKEY; the context expired). */
#ifndef ZK_GSS_H
#define ZK_GSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "err.h"
#include "msg.h"
#include "name.h"
#include "net.h"
#include "tsig.h"
#include "wire.h"

/* ec->msg of every call in a build without GSS-API. */
#define ZK_GSS_BUILT_OUT "built without GSS-API (install libkrb5-dev and re-run configure)"

/* TSIG/TKEY algorithm names: RFC 3645 §2 and the Windows 2000 one. */
#define ZK_GSS_ALG_TSIG "gss-tsig."
#define ZK_GSS_ALG_MS   "gss.microsoft.com."

/* TKEY modes (RFC 2930 §2.5). */
enum { ZK_TKEY_MODE_GSSAPI = 3, ZK_TKEY_MODE_DELETE = 5 };

/* Round trips zk_gss_negotiate allows before it gives up (Kerberos needs
 * one, SPNEGO at most two; a server that keeps asking is broken). */
#define ZK_GSS_MAX_ROUNDS 8

/* What to negotiate with. Zero-initialise, set server, then what you need. */
typedef struct zk_gss_opts {
	/* FQDN of the DNS server (the SOA MNAME, as nsupdate -g uses). The
	 * service principal is DNS/<server>, in `realm` when given, else in
	 * the realm krb5.conf maps the host to. Also the suffix of the key
	 * name ("<random>.sig-<server>", as nsupdate names it). */
	const char *server;
	const char *realm;   /* nsupdate's `realm` command, or NULL */
	const char *service; /* the whole service principal, overriding
	                      * server and realm ("DNS/ns.example.com@EXAMPLE.COM") */
	/* Credentials. Default: the credential cache (KRB5CCNAME, kinit).
	 * keytab + principal: unattended clients (DHCP servers): tickets are
	 * got from the keytab into a private in-memory cache. principal
	 * alone picks that client's cache from a cache collection. */
	const char *ccache;    /* a credential cache name, or NULL */
	const char *keytab;    /* client keytab file, or NULL */
	const char *principal; /* client principal, or NULL */
	/* nsupdate -o: the Windows 2000 variant (algorithm gss.microsoft.com,
	 * the TKEY record in the answer section of the query). */
	bool windows;
	uint32_t lifetime; /* key lifetime asked for in TKEY (0: the server's choice) */
	uint16_t fudge;    /* TSIG fudge; 0 = ZK_TSIG_FUDGE */
} zk_gss_opts_t;

typedef struct zk_gss_ctx zk_gss_ctx_t;

/* True when this build has GSS-API. */
bool zk_gss_available(void);

/* Get the credentials and prepare a negotiation. With a keytab this asks
 * the KDC for the initial ticket; with a cache nothing goes on the wire.
 * Errors: ZK_EUNSUPP (built out), ZK_EINVAL (no server; a keytab without
 * a principal), ZK_EKEY (no or unusable credentials, no KDC: the message
 * says why and what to do), ZK_ENOMEM. */
int zk_gss_new(zk_gss_ctx_t **out, const zk_gss_opts_t *o, zk_errctx_t *ec);
void zk_gss_free(zk_gss_ctx_t *g); /* also deletes the local context; NULL is fine */

/* The key name ("1234567890.sig-ns.example.com.") and TSIG algorithm. */
const zk_name_t *zk_gss_key_name(const zk_gss_ctx_t *g);
const zk_name_t *zk_gss_alg(const zk_gss_ctx_t *g);
/* The context is established (TKEY done) and not deleted. */
bool zk_gss_established(const zk_gss_ctx_t *g);
/* When the key expires: the earlier of the server's TKEY expiration and
 * the Kerberos ticket's end (0 before establishment). */
uint64_t zk_gss_expires(const zk_gss_ctx_t *g);
/* Our principal ("host/client.example.com@EXAMPLE.COM") as text; returns
 * the length it wanted, 0 when unknown. */
size_t zk_gss_client_name(const zk_gss_ctx_t *g, char *buf, size_t cap);

/* ---------------------------------------------------------------- TKEY */

/* Render the next TKEY query of the negotiation into w (from its start):
 * QUERY for <key name> ANY TKEY with a TKEY record (mode 3, our
 * algorithm, inception now, expiration now + lifetime) carrying the next
 * GSS-API token (RFC 3645 §4.1.1); id is the message ID. Errors from
 * GSS-API (credentials, unknown service principal, clock skew against the
 * KDC) are ZK_EKEY with the explanation. */
int zk_gss_tkey_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec);

/* Take the server's reply to that query (raw bytes). Returns 0 when the
 * context is established — the reply's TSIG, made with the new context
 * (RFC 3645 §4.1.3), verified — or 1 when another query is needed
 * (GSS_S_CONTINUE_NEEDED: call zk_gss_tkey_query again). Errors:
 * ZK_EMSG (no TKEY record, wrong owner/mode/algorithm), ZK_EKEY (the
 * server refused: rcode or TKEY error, explained; or GSS-API rejected its
 * token), ZK_ETSIG (the final reply's TSIG is missing or wrong). */
int zk_gss_tkey_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                      zk_errctx_t *ec);

/* The whole negotiation over a stream connection (TKEY tokens do not fit
 * in 512-octet UDP): query, reply, up to ZK_GSS_MAX_ROUNDS times. */
int zk_gss_negotiate(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                     zk_errctx_t *ec);

/* Key deletion (RFC 2930 §4.1, mode 5): a TKEY query signed with the
 * context; its reply must be signed too and carry TKEY error 0. After the
 * reply (or when the caller gives up) the local context is deleted. */
int zk_gss_delete_query(zk_gss_ctx_t *g, uint16_t id, uint64_t now, zk_wbuf_t *w, zk_errctx_t *ec);
int zk_gss_delete_reply(zk_gss_ctx_t *g, const uint8_t *reply, size_t len, uint64_t now,
                        zk_errctx_t *ec);
int zk_gss_delete(zk_gss_ctx_t *g, zk_net_conn_t *c, const zk_net_opts_t *o, uint64_t now,
                  zk_errctx_t *ec);

/* ---------------------------------------------------------------- TSIG */

/* Sign a request rendered in w (without TSIG): append the TSIG RR (owner
 * the key name, algorithm gss-tsig., MAC = gss_get_mic over the RFC 8945
 * §4.3 MAC input, RFC 3645 §5.2) and increment ARCOUNT. Starts a new
 * exchange: the MAC is kept to verify the reply (or a transfer's stream).
 * ZK_EKEY with "context expired" when now is past zk_gss_expires or
 * GSS-API says so. */
int zk_gss_sign(zk_gss_ctx_t *g, zk_wbuf_t *w, uint64_t now, zk_errctx_t *ec);

/* Verify a reply to the last signed request, in RFC 8945 §5.2 order (key,
 * MAC with gss_verify_mic, time); raw/len as received, m its parse. In a
 * stream (stream true for the second and later messages of a transfer)
 * up to 99 unsigned messages may sit between signed ones (§5.3.1). Same
 * contract as zk_tsig_verify: 0 with *status ZK_TSIG_OK or
 * ZK_TSIG_UNSIGNED_OK, or ZK_ETSIG with *status and ec saying why (a
 * BADKEY from the server reads "the server no longer knows the context:
 * expired or deleted, negotiate again"). A reply that fails leaves the
 * request MAC as it was, so a tool may go on waiting for the genuine
 * reply (UDP). */
int zk_gss_verify(zk_gss_ctx_t *g, const uint8_t *raw, size_t len, const zk_msg_t *m, uint64_t now,
                  bool stream, zk_tsig_status_t *status, zk_errctx_t *ec);
/* End of a stream: the last message must have been signed. */
int zk_gss_stream_end(const zk_gss_ctx_t *g, zk_errctx_t *ec);

/* ---------------------------------------------------------------- MAC input */

/* The MAC input is tsig.h's zk_tsig_mac_input: RFC 3645 §5.2 hands
 * gss_get_mic exactly the octets an HMAC TSIG covers. */

#endif
