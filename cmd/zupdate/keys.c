/* zupdate — keys: TSIG from -y, `key`, key {} files and HMAC K*.private
 * files; SIG(0) from a KEY/DNSKEY private key file (RFC 2931); GSS-TSIG
 * (RFC 3645) from Kerberos credentials (gsstsig.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rrtype.h"
#include "zupdate.h"

void keys_clear(session_t *s)
{
	zk_crypto_cleanse(&s->tsig, sizeof(s->tsig));
	zk_keyfile_clear(&s->sig0);
	zk_keyfile_init(&s->sig0);
	s->key = KEY_NONE;
	s->keyname[0] = '\0';
}

/* The algorithm number in a K<name>+<alg>+<tag>.{key,private} file name,
 * or -1 when the name has another shape. */
static int file_alg(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *plus;
	base = base ? base + 1 : path;
	if (base[0] != 'K')
		return -1;
	plus = strchr(base, '+');
	if (plus == NULL || strlen(plus) < 5)
		return -1;
	if (plus[4] != '+')
		return -1;
	return atoi(plus + 1);
}

static void err(const session_t *s, const char *what, const zk_errctx_t *ec)
{
	char buf[512];
	zk_errctx_format(ec, buf, sizeof(buf));
	fprintf(stderr, "%s: %s: %s\n", s->p->prog, what, buf);
}

int keys_load_file(session_t *s, const char *path)
{
	zk_errctx_t ec;
	int alg = file_alg(path);
	int rc;

	zk_errctx_init(&ec);
	keys_clear(s);
	/* dnssec-keygen numbers HMAC keys 157 and 161..165 (not DNSSEC
	 * algorithms); anything else named K*+alg+tag is a SIG(0) key. */
	if (alg > 0 && alg < 157) {
		rc = zk_keyfile_read(&s->sig0, path, true, &ec);
		if (rc < 0) {
			err(s, path, &ec);
			return rc;
		}
		if (s->sig0.type != ZK_TYPE_KEY && s->sig0.type != ZK_TYPE_DNSKEY) {
			fprintf(stderr, "%s: %s: not a KEY or DNSKEY key\n", s->p->prog, path);
			return ZK_EKEY;
		}
		s->key = KEY_SIG0;
		zk_name_to_cstr(&s->sig0.owner, s->keyname, sizeof(s->keyname));
		dbg(s, 1, "SIG(0) key %s algorithm %u tag %u", s->keyname, s->sig0.alg,
		    s->sig0.keytag);
		return 0;
	}
	rc = zk_opt_key_file(&s->tsig, path, &ec);
	if (rc < 0) {
		err(s, path, &ec);
		return rc;
	}
	s->key = KEY_TSIG;
	zk_name_to_cstr(&s->tsig.name, s->keyname, sizeof(s->keyname));
	dbg(s, 1, "TSIG key %s", s->keyname);
	return 0;
}

void keys_use_gss(session_t *s, bool windows)
{
	keys_clear(s);
	s->key = KEY_GSS;
	s->gss_windows = windows;
	/* The key name is known once a context is negotiated. */
	snprintf(s->keyname, sizeof(s->keyname), "%s",
	         windows ? "GSS-TSIG (gss.microsoft.com)" : "GSS-TSIG");
}

int keys_load_string(session_t *s, const char *str)
{
	zk_errctx_t ec;
	int rc;

	zk_errctx_init(&ec);
	keys_clear(s);
	rc = zk_opt_key_string(&s->tsig, str, &ec);
	if (rc < 0) {
		err(s, "key", &ec);
		return rc;
	}
	s->key = KEY_TSIG;
	zk_name_to_cstr(&s->tsig.name, s->keyname, sizeof(s->keyname));
	return 0;
}
