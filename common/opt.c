/* opt — command-line helpers shared by the tools. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

/* ---------------------------------------------------------------- numbers */

/* Digits only, into *v; false on anything else or overflow past max. */
static bool digits(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (!isdigit((unsigned char)s[i]))
			return false;
		d = (unsigned)(s[i] - '0');
		if (x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int zk_opt_uint_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out, zk_errctx_t *ec)
{
	size_t n = strlen(s);
	uint64_t v;

	if (!all_digits(s, n))
		return zk_error(ec, ZK_ESYNTAX, "'%s' is not a number", s);
	if (!digits(s, n, max, &v) || v < min)
		return zk_error(ec, ZK_ERANGE, "%s is out of range (%llu..%llu)", s,
		                (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int zk_opt_port_parse(const char *s, uint16_t *port, zk_errctx_t *ec)
{
	uint64_t v;
	size_t n = strlen(s);

	if (!all_digits(s, n))
		return zk_error(ec, ZK_ESYNTAX, "bad port '%s'", s);
	if (!digits(s, n, 65535, &v) || v == 0)
		return zk_error(ec, ZK_ERANGE, "port %s is out of range (1..65535)", s);
	*port = (uint16_t)v;
	return 0;
}

/* ---------------------------------------------------------------- servers */

/* A host name as the resolver would take it: labels of 1..63 octets
 * separated by single dots, at most 253 octets without a final dot, no
 * spaces or the characters we use as separators. Octets >= 0x80 pass
 * (UTF-8 names are the IDN layer's business). */
static bool host_name_ok(const char *h, size_t n)
{
	size_t label = 0;

	if (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (c <= ' ' || c == 0x7f || strchr("@#[]/\\:;,\"'()", c) != NULL)
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

int zk_opt_server_parse(zk_opt_server_t *out, const char *arg, zk_errctx_t *ec)
{
	zk_opt_server_t s;
	const char *p = arg, *host, *port = NULL;
	size_t hn;

	memset(&s, 0, sizeof(s));
	if (*p == '@')
		p++;
	if (*p == '[') {
		/* "[v6]" with an optional "#port" or ":port" (RFC 3986 §3.2.2). */
		const char *close = strchr(p, ']');
		if (close == NULL)
			return zk_error(ec, ZK_ESYNTAX, "server '%s': missing ']'", arg);
		host = p + 1;
		hn = (size_t)(close - host);
		if (close[1] == '#' || close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0')
			return zk_error(ec, ZK_ESYNTAX, "server '%s': junk after ']'", arg);
	} else {
		const char *hash = strrchr(p, '#');
		host = p;
		hn = hash ? (size_t)(hash - p) : strlen(p);
		if (hash != NULL)
			port = hash + 1;
	}
	if (hn == 0)
		return zk_error(ec, ZK_ESYNTAX, "server '%s': no address or host name", arg);
	if (hn >= sizeof(s.host))
		return zk_error(ec, ZK_ESYNTAX, "server '%s': host name too long", arg);
	memcpy(s.host, host, hn);
	s.host[hn] = '\0';
	if (port != NULL) {
		int rc = zk_opt_port_parse(port, &s.port, ec);
		if (rc != 0)
			return rc;
	}
	if (zk_net_addr_parse(&s.addr, s.host, s.port, NULL) == 0) {
		s.is_addr = true;
	} else if (*p == '[') {
		return zk_error(ec, ZK_ESYNTAX, "server '%s': bad IPv6 address", arg);
	} else if (strchr(s.host, ':') != NULL) {
		return zk_error(ec, ZK_ESYNTAX, "server '%s': bad IPv6 address", arg);
	} else if (strspn(s.host, "0123456789.") == hn && strpbrk(s.host, "0123456789")) {
		return zk_error(ec, ZK_ESYNTAX, "server '%s': bad IPv4 address", arg);
	} else if (!host_name_ok(s.host, hn)) {
		return zk_error(ec, ZK_ESYNTAX, "server '%s': bad host name", arg);
	}
	*out = s;
	return 0;
}

/* ---------------------------------------------------------------- TSIG keys */

int zk_opt_key_string(zk_tsig_key_t *k, const char *arg, zk_errctx_t *ec)
{
	int rc = zk_tsig_key_from_string(k, arg, ec);

	if (rc < 0 && ec != NULL) {
		char msg[sizeof(ec->msg)];
		snprintf(msg, sizeof(msg), "-y: %.250s", ec->msg[0] ? ec->msg : zk_strerror(rc));
		memcpy(ec->msg, msg, sizeof(msg));
	}
	return rc;
}

#define KEYFILE_MAX (1024 * 1024)

static int read_file(const char *path, char **text, size_t *len, zk_errctx_t *ec)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (f == NULL)
		return zk_error(ec, errno == ENOENT ? ZK_ENOENT : ZK_EIO, "%s: %s", path,
		                strerror(errno));
	buf = malloc(KEYFILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return zk_error(ec, ZK_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, KEYFILE_MAX + 1, f);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		free(buf);
		return zk_error(ec, ZK_EIO, "%s: %s", path, strerror(e));
	}
	fclose(f);
	if (n > KEYFILE_MAX) {
		free(buf);
		return zk_error(ec, ZK_ELIMIT, "%s: larger than 1 MiB", path);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int zk_opt_key_file(zk_tsig_key_t *k, const char *path, zk_errctx_t *ec)
{
	const char *base = strrchr(path, '/');
	char *priv = NULL, hint[ZK_OPT_HOSTMAX] = "";
	const char *file = path;
	char *text = NULL;
	size_t len = 0, pn = strlen(path);
	zk_tsig_key_t *keys = NULL;
	int rc;

	base = base ? base + 1 : path;
	/* dnssec-keygen names: K<name>+<alg>+<tag>.key / .private; the
	 * secret is in .private, the name only in the file name. */
	if (base[0] == 'K' && strchr(base, '+') != NULL) {
		size_t hn = (size_t)(strchr(base, '+') - base - 1);
		if (hn > 0 && hn < sizeof(hint)) {
			memcpy(hint, base + 1, hn);
			hint[hn] = '\0';
		}
		if (pn > 4 && strcmp(path + pn - 4, ".key") == 0) {
			priv = malloc(pn + 5);
			if (priv == NULL)
				return zk_error(ec, ZK_ENOMEM, "out of memory");
			memcpy(priv, path, pn - 4);
			memcpy(priv + pn - 4, ".private", 9);
			file = priv;
		}
	}
	rc = read_file(file, &text, &len, ec);
	if (rc != 0)
		goto done;
	keys = calloc(16, sizeof(*keys));
	if (keys == NULL) {
		rc = zk_error(ec, ZK_ENOMEM, "out of memory");
		goto done;
	}
	rc = zk_tsig_keys_parse(text, len, hint[0] ? hint : NULL, keys, 16, ec);
	if (rc < 0) {
		if (ec != NULL && ec->file == NULL)
			ec->file = path; /* the caller's string: it outlives ec's use */
		goto done;
	}
	*k = keys[0];
	rc = 0;
done:
	if (keys != NULL) {
		zk_crypto_cleanse(keys, 16 * sizeof(*keys));
		free(keys);
	}
	if (text != NULL) {
		zk_crypto_cleanse(text, len);
		free(text);
	}
	free(priv);
	return rc;
}

/* ---------------------------------------------------------------- time */

#define DURATION_MAX ((uint64_t)1 << 62)

int zk_opt_duration_parse(const char *s, uint64_t *secs, zk_errctx_t *ec)
{
	const char *p = s;
	uint64_t total = 0;
	size_t n = strlen(s);

	if (n == 0)
		return zk_error(ec, ZK_ESYNTAX, "empty duration");
	if (all_digits(s, n)) {
		if (!digits(s, n, DURATION_MAX, &total))
			return zk_error(ec, ZK_ERANGE, "duration %s is too long", s);
		*secs = total;
		return 0;
	}
	while (*p != '\0') {
		size_t dn = strspn(p, "0123456789");
		uint64_t v, unit;
		char u;

		if (dn == 0)
			return zk_error(ec, ZK_ESYNTAX, "bad duration '%s'", s);
		if (!digits(p, dn, DURATION_MAX, &v))
			return zk_error(ec, ZK_ERANGE, "duration %s is too long", s);
		p += dn;
		u = (char)tolower((unsigned char)*p);
		if (u == '\0')
			return zk_error(ec, ZK_ESYNTAX, "duration '%s': number without a unit", s);
		p++;
		switch (u) {
		case 'y': unit = 365 * 86400; break;
		case 'w': unit = 7 * 86400; break;
		case 'd': unit = 86400; break;
		case 'h': unit = 3600; break;
		case 's': unit = 1; break;
		case 'm':
			if (tolower((unsigned char)*p) == 'o') {
				unit = 30 * 86400;
				p++;
			} else {
				if (tolower((unsigned char)*p) == 'i')
					p++;
				unit = 60;
			}
			break;
		default: return zk_error(ec, ZK_ESYNTAX, "duration '%s': unknown unit '%c'", s, u);
		}
		if (v > (DURATION_MAX - total) / unit)
			return zk_error(ec, ZK_ERANGE, "duration %s is too long", s);
		total += v * unit;
	}
	*secs = total;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (y >= 1). Eras of
 * 400 years have 146097 days; the year is counted from March so that the
 * leap day falls at its end. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

#define TIME_MAX ((int64_t)253402300799) /* 9999-12-31 23:59:59 */

static int parse_stamp(const char *s, int64_t *out, zk_errctx_t *ec)
{
	static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	uint64_t f[6];
	static const size_t w[6] = {4, 2, 2, 2, 2, 2};
	const char *p = s;

	for (int i = 0; i < 6; i++) {
		(void)digits(p, w[i], UINT64_MAX, &f[i]);
		p += w[i];
	}
	if (f[0] < 1970 || f[1] < 1 || f[1] > 12 || f[2] < 1 ||
	    f[2] > mdays[f[1] - 1] + (f[1] == 2 && leap((int64_t)f[0])) || f[3] > 23 || f[4] > 59 ||
	    f[5] > 59)
		return zk_error(ec, ZK_ERANGE, "'%s' is not a valid YYYYMMDDHHMMSS time", s);
	*out = days_from_civil((int64_t)f[0], (unsigned)f[1], (unsigned)f[2]) * 86400 +
	       (int64_t)(f[3] * 3600 + f[4] * 60 + f[5]);
	return 0;
}

int zk_opt_time_parse(const char *s, int64_t now, int64_t *out, zk_errctx_t *ec)
{
	size_t n = strlen(s);
	const char *rel = NULL;
	int64_t t = 0;

	if (strncmp(s, "now", 3) == 0) {
		if (s[3] == '\0') {
			*out = now;
			return 0;
		}
		rel = s + 3;
	} else if (s[0] == '+' || s[0] == '-') {
		rel = s;
	}
	if (rel != NULL) {
		uint64_t d;
		int rc;

		if (rel[0] != '+' && rel[0] != '-')
			return zk_error(ec, ZK_ESYNTAX, "bad time '%s'", s);
		rc = zk_opt_duration_parse(rel + 1, &d, ec);
		if (rc != 0)
			return rc;
		if (rel[0] == '+') {
			if (d > (uint64_t)(TIME_MAX - (now < 0 ? 0 : now)))
				return zk_error(ec, ZK_ERANGE, "time '%s' is after 9999", s);
			t = now + (int64_t)d;
		} else {
			if (now < 0 || d > (uint64_t)now)
				return zk_error(ec, ZK_ERANGE, "time '%s' is before 1970", s);
			t = now - (int64_t)d;
		}
		if (t > TIME_MAX)
			return zk_error(ec, ZK_ERANGE, "time '%s' is after 9999", s);
		*out = t;
		return 0;
	}
	if (!all_digits(s, n))
		return zk_error(ec, ZK_ESYNTAX, "bad time '%s'", s);
	if (n == 14) {
		int rc = parse_stamp(s, &t, ec);
		if (rc != 0)
			return rc;
		*out = t;
		return 0;
	}
	{
		uint64_t v;
		if (!digits(s, n, (uint64_t)TIME_MAX, &v))
			return zk_error(ec, ZK_ERANGE, "time %s is after 9999", s);
		*out = (int64_t)v;
	}
	return 0;
}

int zk_opt_time_to_text(int64_t t, char *buf, size_t cap)
{
	int64_t y, day = t / 86400, rem = t % 86400;
	unsigned m, d;

	if (t < 0 || t > TIME_MAX || cap < 15)
		return ZK_ERANGE;
	civil_from_days(day, &y, &m, &d);
	snprintf(buf, cap, "%04u%02u%02u%02u%02u%02u", (unsigned)y, m, d, (unsigned)(rem / 3600),
	         (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
	return 0;
}

/* ---------------------------------------------------------------- diagnostics */

void zk_opt_vdiag(zk_buf_t *out, const char *fmt, va_list ap)
{
	zk_buf_t tmp;
	const char *p, *end;

	zk_buf_init(&tmp);
	zk_buf_vprintf(&tmp, fmt, ap);
	if (tmp.err) {
		if (!out->err)
			out->err = tmp.err;
		zk_buf_free(&tmp);
		return;
	}
	p = tmp.data ? tmp.data : "";
	end = p + tmp.len;
	/* A final newline ends the text; it does not start an empty line. */
	if (end > p && end[-1] == '\n')
		end--;
	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		zk_buf_puts(out, len ? ";; " : ";;");
		zk_buf_put(out, p, len);
		zk_buf_putc(out, '\n');
		p += len + (nl != NULL);
	} while (p < end);
	zk_buf_free(&tmp);
}

void zk_opt_diag(zk_buf_t *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zk_opt_vdiag(out, fmt, ap);
	va_end(ap);
}

void zk_opt_diag_err(zk_buf_t *out, const zk_errctx_t *ec)
{
	char line[512];

	zk_errctx_format(ec, line, sizeof(line));
	zk_opt_diag(out, "%s", line);
}

bool zk_opt_is(const char *a, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '\0' || (name[1] == '-' && a[n] == '='))
		return true;
	return name[1] != '-' && n == 2;
}

const char *zk_opt_arg(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (name[1] != '-' && a[2] != '\0')
		return a + 2;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}
