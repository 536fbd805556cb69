/* keyfile — BIND-compatible key files (K<name>+<alg>+<tag>.{key,private}).
 *
 * Input files come from other tools and from users: every field is
 * checked, and a .private file must describe the key of its .key file. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dnssec.h"
#include "encode.h"
#include "keyfile.h"
#include "rdata.h"
#include "rrtype.h"

#define KEYFILE_MAX (64 * 1024)

static const char *const time_names[ZK_KT_COUNT] = {
    "Created", "Publish", "Activate", "Revoke", "Inactive", "Delete", "SyncPublish", "SyncDelete",
};

const char *zk_keytime_name(unsigned which)
{
	return which < ZK_KT_COUNT ? time_names[which] : NULL;
}

void zk_keyfile_init(zk_keyfile_t *kf)
{
	memset(kf, 0, sizeof *kf);
	zk_name_copy(&kf->owner, &zk_name_root);
	kf->type = ZK_TYPE_DNSKEY;
	kf->rclass = ZK_CLASS_IN;
	for (unsigned i = 0; i < ZK_KT_COUNT; i++)
		kf->times[i] = ZK_KT_UNSET;
}

void zk_keyfile_clear(zk_keyfile_t *kf)
{
	zk_key_free(kf->key);
	kf->key = NULL;
}

void zk_keyfile_set_flags(zk_keyfile_t *kf, uint16_t flags)
{
	kf->flags = flags;
	if (kf->rdlen >= 4) {
		zk_put_u16(kf->rdata, flags);
		kf->keytag = zk_dnssec_keytag(kf->rdata, kf->rdlen);
	}
}

int zk_keyfile_from_key(zk_keyfile_t *kf, const zk_name_t *owner, uint16_t type, uint16_t flags,
                        zk_key_t *key, zk_errctx_t *ec)
{
	size_t len = 0;
	int rc = zk_dnssec_dnskey_rdata(key, flags, kf->rdata, sizeof kf->rdata, &len);
	if (rc != 0)
		return zk_error(ec, rc, "cannot encode the public key");
	zk_name_copy(&kf->owner, owner);
	kf->type = type;
	kf->rdlen = len;
	kf->alg = zk_key_alg(key);
	zk_key_free(kf->key);
	kf->key = key;
	zk_keyfile_set_flags(kf, flags);
	return ZK_OK;
}

/* ---------------------------------------------------------------- time */

void zk_keytime_to_text(int64_t t, char out[15])
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		memcpy(out, "00000000000000", 15);
		return;
	}
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(out, tmp, 14);
	out[14] = '\0';
}

/* "Mon Nov 23 00:19:18 2026" as ctime(3) writes it, in UTC. */
static void human_time(int64_t t, char *buf, size_t cap)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	time_t tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, cap, "?");
		return;
	}
	snprintf(buf, cap, "%.3s %.3s %2d %02d:%02d:%02d %d", days + 3 * tm.tm_wday,
	         mons + 3 * tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         tm.tm_year + 1900);
}

static int parse_stamp(const char *s, size_t n, int64_t *out)
{
	struct tm tm;
	int v[6] = {0, 1, 1, 0, 0, 0};
	static const int w[6] = {4, 2, 2, 2, 2, 2};
	size_t pos = 0;
	time_t t;
	if (n != 8 && n != 14)
		return ZK_ESYNTAX;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return ZK_ESYNTAX;
	for (int i = 0; i < 6 && pos < n; i++) {
		int x = 0;
		for (int j = 0; j < w[i]; j++)
			x = x * 10 + (s[pos++] - '0');
		v[i] = x;
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return ZK_ERANGE;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	t = timegm(&tm);
	if (t == (time_t)-1 && v[0] != 1969)
		return ZK_ERANGE;
	*out = (int64_t)t;
	return ZK_OK;
}

int zk_keytime_from_text(const char *s, int64_t now, int64_t *out)
{
	int64_t base = now, mult = 1, v = 0;
	int sign;
	const char *p;
	if (strcasecmp(s, "none") == 0) {
		*out = ZK_KT_UNSET;
		return ZK_OK;
	}
	if (strncasecmp(s, "now", 3) == 0) {
		s += 3;
		if (*s == '\0') {
			*out = now;
			return ZK_OK;
		}
	} else if (*s != '+' && *s != '-') {
		return parse_stamp(s, strlen(s), out);
	}
	if (*s != '+' && *s != '-')
		return ZK_ESYNTAX;
	sign = *s == '-' ? -1 : 1;
	p = s + 1;
	if (!isdigit((unsigned char)*p))
		return ZK_ESYNTAX;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > INT64_C(1) << 40)
			return ZK_ERANGE;
	}
	/* dnssec-keygen's units: y mo w d h mi s; bare number = seconds */
	if (*p == '\0' || strcasecmp(p, "s") == 0)
		mult = 1;
	else if (strcasecmp(p, "mi") == 0)
		mult = 60;
	else if (strcasecmp(p, "h") == 0)
		mult = 3600;
	else if (strcasecmp(p, "d") == 0)
		mult = 86400;
	else if (strcasecmp(p, "w") == 0)
		mult = 7 * 86400;
	else if (strcasecmp(p, "mo") == 0)
		mult = 30 * 86400;
	else if (strcasecmp(p, "y") == 0)
		mult = 365 * 86400;
	else
		return ZK_ESYNTAX;
	*out = base + sign * v * mult;
	return ZK_OK;
}

/* ---------------------------------------------------------------- files */

int zk_file_read_all(const char *path, size_t max, char **data, size_t *n, zk_errctx_t *ec)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t len = 0, got;
	if (f == NULL)
		return zk_error(ec, errno == ENOENT ? ZK_ENOENT : ZK_EIO, "%s: %s", path,
		                strerror(errno));
	buf = malloc(max + 1);
	if (buf == NULL) {
		fclose(f);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	while ((got = fread(buf + len, 1, max + 1 - len, f)) > 0) {
		len += got;
		if (len > max)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		return zk_error(ec, ZK_EIO, "%s: %s", path, strerror(e));
	}
	fclose(f);
	if (len > max) {
		free(buf);
		return zk_error(ec, ZK_ELIMIT, "%s: file too large (over %zu bytes)", path, max);
	}
	buf[len] = '\0';
	*data = buf;
	*n = len;
	return ZK_OK;
}

static int fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else {
		size_t l = (size_t)(slash - path);
		if (l >= sizeof dir)
			return -1;
		memcpy(dir, path, l);
		dir[l] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int zk_file_write_atomic(const char *path, const void *data, size_t n, unsigned mode, bool replace,
                         zk_errctx_t *ec)
{
	char tmp[PATH_MAX];
	const uint8_t *p = data;
	int fd, e;
	if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= (int)sizeof tmp)
		return zk_error(ec, ZK_EINVAL, "%s: path too long", path);
	/* mkstemp creates the file mode 0600: secrets are never readable by
	 * others, not even for a moment. */
	fd = mkstemp(tmp);
	if (fd < 0)
		return zk_error(ec, ZK_EIO, "%s: %s", tmp, strerror(errno));
	if ((mode & 0777) != 0600 && fchmod(fd, (mode_t)(mode & 0777)) != 0)
		goto fail;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (replace) {
		if (rename(tmp, path) != 0)
			goto fail;
	} else {
		/* link(2) fails on an existing target: nothing is overwritten. */
		if (link(tmp, path) != 0) {
			e = errno;
			unlink(tmp);
			if (e == EEXIST)
				return zk_error(ec, ZK_EEXIST, "%s: already exists", path);
			return zk_error(ec, ZK_EIO, "%s: %s", path, strerror(e));
		}
		unlink(tmp);
	}
	if (fsync_dir_of(path) != 0)
		return zk_error(ec, ZK_EIO, "%s: cannot sync directory: %s", path, strerror(errno));
	return ZK_OK;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return zk_error(ec, ZK_EIO, "%s: %s", path, strerror(e));
}

/* Prefix the message a lower layer left in ec with the file name. */
static int prefixed(zk_errctx_t *ec, int rc, const char *name, const char *what)
{
	char msg[sizeof ec->msg];
	snprintf(msg, sizeof msg, "%s", ec && ec->msg[0] ? ec->msg : zk_strerror(rc));
	return zk_error(ec, rc, "%s: %s%s", name, what, msg);
}

/* ---------------------------------------------------------- public file */

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int zk_keyfile_parse_public(zk_keyfile_t *kf, const char *text, size_t n, const char *name,
                            zk_errctx_t *ec)
{
	zk_token_t toks[256];
	size_t nt = 0, i = 0, rdlen = 0;
	zk_name_t owner;
	uint16_t type = 0, rclass = ZK_CLASS_IN;
	uint32_t ttl = 0;
	bool has_ttl = false, has_class = false;
	uint8_t rd[ZK_KEYFILE_RDMAX];
	zk_key_t *key = NULL;
	int rc;
	rc = zk_text_tokenize(text, n, toks, sizeof toks / sizeof toks[0], &nt, ec);
	if (rc != 0)
		return prefixed(ec, rc, name, "");
	if (nt == 0)
		return zk_error(ec, ZK_ESYNTAX, "%s: no key record", name);
	rc = zk_name_from_text(&owner, toks[0].s, toks[0].n, NULL, NULL);
	if (rc != 0)
		return zk_error(ec, ZK_ESYNTAX, "%s: bad owner name '%.*s'", name, (int)toks[0].n,
		                toks[0].s);
	/* TTL and class, in either order, then the type (RFC 1035 §5.1). */
	for (i = 1; i < nt && i < 3; i++) {
		if (!has_ttl && all_digits(toks[i].s, toks[i].n)) {
			/* by hand: the token is not NUL-terminated */
			uint64_t v = 0;
			for (size_t d = 0; d < toks[i].n && d < 11; d++)
				v = v * 10 + (uint64_t)(toks[i].s[d] - '0');
			if (toks[i].n > 10 || v > UINT32_MAX)
				return zk_error(ec, ZK_ERANGE, "%s: TTL out of range", name);
			ttl = (uint32_t)v;
			has_ttl = true;
		} else if (!has_class && zk_rrclass_from_text(toks[i].s, toks[i].n, &rclass) == 0) {
			has_class = true;
		} else {
			break;
		}
	}
	if (i >= nt || zk_rrtype_from_text(toks[i].s, toks[i].n, &type) != 0 ||
	    (type != ZK_TYPE_DNSKEY && type != ZK_TYPE_KEY))
		return zk_error(ec, ZK_ESYNTAX, "%s: not a DNSKEY or KEY record", name);
	i++;
	rc = zk_rdata_from_text(type, toks + i, nt - i, NULL, rd, sizeof rd, &rdlen, ec);
	if (rc != 0)
		return prefixed(ec, rc, name,
		                type == ZK_TYPE_KEY ? "bad KEY rdata: " : "bad DNSKEY rdata: ");
	if (rdlen < 5)
		return zk_error(ec, ZK_ERDATA, "%s: key record has no public key", name);
	if (rd[2] != 3)
		return zk_error(ec, ZK_EKEY, "%s: protocol is %u, not 3", name, rd[2]);
	if (!zk_alg_supported(rd[3]))
		return zk_error(ec, ZK_EUNSUPP, "%s: algorithm %u%s%s%s is not supported", name,
		                rd[3], zk_alg_name(rd[3]) ? " (" : "",
		                zk_alg_name(rd[3]) ? zk_alg_name(rd[3]) : "",
		                zk_alg_name(rd[3]) ? ")" : "");
	rc = zk_key_from_public(rd[3], rd + 4, rdlen - 4, &key, ec);
	if (rc != 0)
		return prefixed(ec, rc, name, "");
	zk_keyfile_clear(kf);
	zk_name_copy(&kf->owner, &owner);
	kf->type = type;
	kf->rclass = rclass;
	kf->ttl = ttl;
	kf->has_ttl = has_ttl;
	memcpy(kf->rdata, rd, rdlen);
	kf->rdlen = rdlen;
	kf->alg = rd[3];
	kf->key = key;
	zk_keyfile_set_flags(kf, zk_get_u16(rd));
	return ZK_OK;
}

/* --------------------------------------------------------- private file */

/* A decimal number in [*p, e) (at least one digit, at most 9, so no
 * overflow); *p moves past it. The key texts are not NUL-terminated, so
 * no libc string function may look at them. */
static bool take_uint(const char **p, const char *e, unsigned *out)
{
	const char *q = *p;
	unsigned v = 0;

	while (q < e && q - *p < 9 && *q >= '0' && *q <= '9')
		v = v * 10 + (unsigned)(*q++ - '0');
	if (q == *p || (q < e && *q >= '0' && *q <= '9'))
		return false;
	*p = q;
	*out = v;
	return true;
}

static bool only_blanks(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

int zk_keyfile_parse_private(zk_keyfile_t *kf, const char *text, size_t n, const char *name,
                             zk_errctx_t *ec)
{
	zk_key_material_t m;
	int64_t times[ZK_KT_COUNT];
	unsigned fields[ZK_KF_COUNT], major = 0, minor = 0, line = 0;
	size_t nf, pos = 0;
	bool have_fmt = false, have_alg = false;
	zk_key_t *key = NULL;
	int rc = ZK_OK;
	memset(&m, 0, sizeof m);
	for (unsigned i = 0; i < ZK_KT_COUNT; i++)
		times[i] = ZK_KT_UNSET;
	if (kf->key == NULL || kf->rdlen < 5)
		return zk_error(ec, ZK_EINVAL, "%s: read the public key first", name);
	nf = zk_key_fields(kf->alg, fields);

	while (pos < n) {
		const char *l = text + pos, *eol = memchr(l, '\n', n - pos), *colon, *v;
		size_t ll = eol ? (size_t)(eol - l) : n - pos, tl, vl;
		pos += ll + (eol ? 1 : 0);
		line++;
		while (ll > 0 && (l[ll - 1] == '\r' || l[ll - 1] == ' ' || l[ll - 1] == '\t'))
			ll--;
		if (ll == 0)
			continue;
		colon = memchr(l, ':', ll);
		if (colon == NULL) {
			rc = zk_error(ec, ZK_ESYNTAX, "%s:%u: expected 'Name: value'", name, line);
			goto fail;
		}
		tl = (size_t)(colon - l);
		v = colon + 1;
		while (v < l + ll && (*v == ' ' || *v == '\t'))
			v++;
		vl = (size_t)(l + ll - v);
		if (line == 1 || !have_fmt) {
			/* The first line names the format; majors other than 1
			 * would change the meaning of the fields. */
			const char *q = v, *e = v + vl;
			if (tl != 18 || strncmp(l, "Private-key-format", 18) != 0 || q == e ||
			    *q++ != 'v' || !take_uint(&q, e, &major) || q == e || *q++ != '.' ||
			    !take_uint(&q, e, &minor) || !only_blanks(q, e) || major != 1) {
				rc = zk_error(
				    ec, ZK_EKEY,
				    "%s:%u: not a private key file (no 'Private-key-format: v1.x')",
				    name, line);
				goto fail;
			}
			have_fmt = true;
			continue;
		}
		if (tl == 9 && strncmp(l, "Algorithm", 9) == 0) {
			unsigned a = 0;
			const char *q = v;
			/* "13 (ECDSAP256SHA256)": the number, then anything */
			if (!take_uint(&q, v + vl, &a) || a > 255) {
				rc = zk_error(ec, ZK_ESYNTAX, "%s:%u: bad Algorithm line", name,
				              line);
				goto fail;
			}
			if (a != kf->alg) {
				rc = zk_error(
				    ec, ZK_EKEY,
				    "%s:%u: algorithm %u does not match the public key's %u", name,
				    line, a, kf->alg);
				goto fail;
			}
			have_alg = true;
			continue;
		}
		for (unsigned t = 0; t < ZK_KT_COUNT; t++)
			if (tl == strlen(time_names[t]) && strncmp(l, time_names[t], tl) == 0) {
				if (parse_stamp(v, vl, &times[t]) != 0) {
					rc = zk_error(ec, ZK_ESYNTAX, "%s:%u: bad %s time", name,
					              line, time_names[t]);
					goto fail;
				}
				goto next;
			}
		for (size_t i = 0; i < nf; i++) {
			unsigned f = fields[i];
			const char *fn = zk_key_field_name(f);
			size_t got = 0;
			if (tl != strlen(fn) || strncmp(l, fn, tl) != 0)
				continue;
			if (m.f[f] != NULL) {
				rc = zk_error(ec, ZK_EKEY, "%s:%u: %s given twice", name, line, fn);
				goto fail;
			}
			m.f[f] = malloc(vl + 1);
			if (m.f[f] == NULL) {
				rc = zk_error(ec, ZK_ENOMEM, "out of memory");
				goto fail;
			}
			if (zk_base64_decode(v, vl, m.f[f], vl + 1, &got) != 0 || got == 0) {
				rc = zk_error(ec, ZK_EBASE64, "%s:%u: bad base64 in %s", name, line,
				              fn);
				goto fail;
			}
			m.len[f] = got;
			goto next;
		}
		if ((tl == 6 && strncmp(l, "Engine", 6) == 0) ||
		    (tl == 5 && strncmp(l, "Label", 5) == 0)) {
			rc = zk_error(ec, ZK_EUNSUPP,
			              "%s:%u: keys held in an HSM (%.*s) are not supported", name,
			              line, (int)tl, l);
			goto fail;
		}
		/* Other lines (newer BIND metadata) are ignored, as BIND does. */
	next:;
	}
	if (!have_fmt) {
		rc = zk_error(ec, ZK_EKEY, "%s: empty private key file", name);
		goto fail;
	}
	if (!have_alg) {
		rc = zk_error(ec, ZK_EKEY, "%s: no Algorithm line", name);
		goto fail;
	}
	for (size_t i = 0; i < nf; i++)
		if (m.f[fields[i]] == NULL) {
			rc = zk_error(ec, ZK_EKEY, "%s: %s is missing (truncated file?)", name,
			              zk_key_field_name(fields[i]));
			goto fail;
		}
	rc = zk_key_import(kf->alg, &m, kf->rdata + 4, kf->rdlen - 4, &key, ec);
	if (rc != 0) {
		rc = prefixed(ec, rc, name, "");
		goto fail;
	}
	zk_key_material_clear(&m);
	zk_key_free(kf->key);
	kf->key = key;
	kf->private_minor = minor;
	for (unsigned i = 0; i < ZK_KT_COUNT; i++)
		if (times[i] != ZK_KT_UNSET)
			kf->times[i] = times[i];
	return ZK_OK;
fail:
	zk_key_material_clear(&m);
	return rc;
}

/* Strip ".key", ".private" or a final "." to get the base name. */
static int base_of(const char *path, char *base, size_t cap)
{
	size_t l = strlen(path);
	if (l >= cap)
		return ZK_EINVAL;
	memcpy(base, path, l + 1);
	if (l > 4 && strcmp(base + l - 4, ".key") == 0)
		base[l - 4] = '\0';
	else if (l > 8 && strcmp(base + l - 8, ".private") == 0)
		base[l - 8] = '\0';
	else if (l > 1 && base[l - 1] == '.')
		base[l - 1] = '\0';
	return ZK_OK;
}

int zk_keyfile_read(zk_keyfile_t *kf, const char *path, bool want_private, zk_errctx_t *ec)
{
	char base[PATH_MAX], fn[PATH_MAX + 16];
	char *text = NULL;
	size_t n = 0;
	zk_keyfile_t tmp;
	int rc;
	if (base_of(path, base, sizeof base) != 0)
		return zk_error(ec, ZK_EINVAL, "%s: path too long", path);
	zk_keyfile_init(&tmp);
	snprintf(fn, sizeof fn, "%s.key", base);
	rc = zk_file_read_all(fn, KEYFILE_MAX, &text, &n, ec);
	if (rc != 0)
		return rc;
	rc = zk_keyfile_parse_public(&tmp, text, n, fn, ec);
	free(text);
	text = NULL;
	if (rc == 0 && want_private) {
		snprintf(fn, sizeof fn, "%s.private", base);
		rc = zk_file_read_all(fn, KEYFILE_MAX, &text, &n, ec);
		if (rc == 0) {
			rc = zk_keyfile_parse_private(&tmp, text, n, fn, ec);
			zk_crypto_cleanse(text, n);
			free(text);
		}
	}
	if (rc != 0) {
		zk_keyfile_clear(&tmp);
		return rc;
	}
	zk_keyfile_clear(kf);
	*kf = tmp;
	return ZK_OK;
}

size_t zk_keyfile_basename(const zk_keyfile_t *kf, char *buf, size_t cap)
{
	char name[ZK_NAME_TEXTMAX];
	int l;
	zk_name_to_cstr(&kf->owner, name, sizeof name);
	l = snprintf(buf, cap, "K%s+%03u+%05u", name, kf->alg, kf->keytag);
	return l < 0 ? 0 : (size_t)l;
}

void zk_keyfile_format_public(const zk_keyfile_t *kf, zk_buf_t *out)
{
	char stamp[15], human[40], cls[16], owner[ZK_NAME_TEXTMAX];
	zk_name_to_cstr(&kf->owner, owner, sizeof owner);
	/* dnssec-keygen comments only DNSKEY files (SIG(0) KEY files have
	 * none). */
	if (kf->type == ZK_TYPE_DNSKEY) {
		zk_buf_printf(out, "; This is a %s%s-signing key, keyid %u, for %s\n",
		              kf->flags & ZK_DNSKEY_REVOKE ? "revoked " : "",
		              kf->flags & ZK_DNSKEY_SEP ? "key" : "zone", kf->keytag, owner);
		for (unsigned t = 0; t < ZK_KT_COUNT; t++) {
			if (kf->times[t] == ZK_KT_UNSET)
				continue;
			zk_keytime_to_text(kf->times[t], stamp);
			human_time(kf->times[t], human, sizeof human);
			zk_buf_printf(out, "; %s: %s (%s)\n", time_names[t], stamp, human);
		}
	}
	zk_buf_puts(out, owner);
	if (kf->has_ttl)
		zk_buf_printf(out, " %u", kf->ttl);
	zk_rrclass_to_text(kf->rclass, cls, sizeof cls);
	zk_buf_printf(out, " %s %s ", cls, kf->type == ZK_TYPE_KEY ? "KEY" : "DNSKEY");
	zk_rdata_to_text(kf->type, kf->rdata, kf->rdlen, 0, NULL, out);
	zk_buf_putc(out, '\n');
}

int zk_keyfile_format_private(const zk_keyfile_t *kf, zk_buf_t *out)
{
	zk_key_material_t m;
	unsigned fields[ZK_KF_COUNT];
	size_t nf;
	char stamp[15];
	int rc;
	if (kf->key == NULL || !zk_key_is_private(kf->key))
		return ZK_EKEY;
	rc = zk_key_export(kf->key, &m);
	if (rc != 0)
		return rc;
	zk_buf_puts(out, "Private-key-format: v1.3\n");
	zk_buf_printf(out, "Algorithm: %u (%s)\n", kf->alg, zk_alg_name(kf->alg));
	nf = zk_key_fields(kf->alg, fields);
	for (size_t i = 0; i < nf; i++) {
		zk_buf_printf(out, "%s: ", zk_key_field_name(fields[i]));
		zk_base64_encode(out, m.f[fields[i]], m.len[fields[i]]);
		zk_buf_putc(out, '\n');
	}
	zk_key_material_clear(&m);
	for (unsigned t = 0; t < ZK_KT_COUNT; t++) {
		if (kf->times[t] == ZK_KT_UNSET)
			continue;
		zk_keytime_to_text(kf->times[t], stamp);
		zk_buf_printf(out, "%s: %s\n", time_names[t], stamp);
	}
	return out->err ? out->err : ZK_OK;
}

int zk_keyfile_write(const zk_keyfile_t *kf, const char *dir, unsigned pubmode, char *base,
                     size_t cap, zk_errctx_t *ec)
{
	char bn[ZK_NAME_TEXTMAX + 32], path[PATH_MAX];
	zk_buf_t priv, pub;
	int rc;
	zk_keyfile_basename(kf, bn, sizeof bn);
	zk_buf_init(&priv);
	zk_buf_init(&pub);
	rc = zk_keyfile_format_private(kf, &priv);
	if (rc != 0) {
		rc = zk_error(ec, rc, "cannot format the private key");
		goto done;
	}
	zk_keyfile_format_public(kf, &pub);
	if (pub.err) {
		rc = zk_error(ec, pub.err, "out of memory");
		goto done;
	}
	if (snprintf(path, sizeof path, "%s/%s.private", dir ? dir : ".", bn) >= (int)sizeof path) {
		rc = zk_error(ec, ZK_EINVAL, "path too long");
		goto done;
	}
	rc = zk_file_write_atomic(path, priv.data, priv.len, 0600, false, ec);
	if (rc != 0)
		goto done;
	snprintf(path, sizeof path, "%s/%s.key", dir ? dir : ".", bn);
	rc = zk_file_write_atomic(path, pub.data, pub.len, pubmode, false, ec);
	if (rc != 0) {
		/* Do not leave half a pair behind. */
		snprintf(path, sizeof path, "%s/%s.private", dir ? dir : ".", bn);
		unlink(path);
		goto done;
	}
	if (base != NULL && cap > 0)
		snprintf(base, cap, "%s", bn);
done:
	if (priv.data != NULL)
		zk_crypto_cleanse(priv.data, priv.cap);
	zk_buf_free(&priv);
	zk_buf_free(&pub);
	return rc;
}

int zk_keyfile_dir_tags(const char *dir, const zk_name_t *owner, uint8_t alg, uint16_t *tags,
                        size_t cap, size_t *n, zk_errctx_t *ec)
{
	char prefix[ZK_NAME_TEXTMAX + 16], name[ZK_NAME_TEXTMAX], path[PATH_MAX];
	DIR *d = opendir(dir ? dir : ".");
	struct dirent *de;
	size_t count = 0, pl;
	if (d == NULL)
		return zk_error(ec, ZK_EIO, "%s: %s", dir ? dir : ".", strerror(errno));
	zk_name_to_cstr(owner, name, sizeof name);
	snprintf(prefix, sizeof prefix, "K%s+%03u+", name, alg);
	pl = strlen(prefix);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		zk_keyfile_t kf;
		zk_errctx_t ignore;
		uint16_t fl;
		/* Names compare case-insensitively, as owner names do. */
		if (l < pl + 4 || strncasecmp(de->d_name, prefix, pl) != 0 ||
		    strcmp(de->d_name + l - 4, ".key") != 0)
			continue;
		/* The tag in the file name counts even if the file is unreadable. */
		if (all_digits(de->d_name + pl, l - pl - 4) && count < cap)
			tags[count++] = (uint16_t)strtoul(de->d_name + pl, NULL, 10);
		if (snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", de->d_name) >=
		    (int)sizeof path)
			continue;
		zk_keyfile_init(&kf);
		zk_errctx_init(&ignore);
		if (zk_keyfile_read(&kf, path, false, &ignore) != 0)
			continue;
		fl = kf.flags;
		if (count < cap)
			tags[count++] = kf.keytag;
		zk_keyfile_set_flags(&kf, (uint16_t)(fl ^ ZK_DNSKEY_REVOKE));
		if (count < cap)
			tags[count++] = kf.keytag;
		zk_keyfile_clear(&kf);
	}
	closedir(d);
	*n = count;
	return ZK_OK;
}
