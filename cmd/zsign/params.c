/* zsign — the command line (modelled on dnssec-signzone). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "encode.h"
#include "opt.h"
#include "zonefile.h"
#include "zonemd.h"
#include "zsign.h"

static const char usage_text[] =
    "usage: zsign [options] zonefile [key...]\n"
    "  -o ORIGIN        zone apex (default: the owner of the SOA)\n"
    "  -f FILE          output (default: zonefile.signed; - for stdout)\n"
    "  -K DIR           key directory (default .)\n"
    "  -S               smart signing: keys from -K by their timing metadata\n"
    "  -k KEY           key signing key (signs DNSKEY, CDS, CDNSKEY)\n"
    "  -z KEY           zone signing key\n"
    "  -s TIME          signature inception (default now-1h)\n"
    "  -e TIME          signature expiration (default start+30d; +N from start)\n"
    "  -X TIME          expiration of DNSKEY/CDS/CDNSKEY signatures (default -e)\n"
    "  -i INTERVAL      re-sign signatures expiring within this (default 1/4 of the window)\n"
    "  -j JITTER        spread expirations down by up to this\n"
    "  -3 SALT|-        NSEC3 with this hex salt (- for none)\n"
    "  -H ITERATIONS    NSEC3 additional iterations (default 0, at most 50)\n"
    "  -A               NSEC3 opt-out\n"
    "  -u               change the chain type or parameters of a signed zone\n"
    "  -N keep|increment|unixtime|date   SOA serial (default keep)\n"
    "  -Z sha384|sha512|none   add a ZONEMD record (RFC 8976)\n"
    "  -T TTL           TTL of DNSKEY records added from key files\n"
    "  -M MAXTTL        lower TTLs above this to it\n"
    "  -D               output only the DNSSEC records (for $INCLUDE)\n"
    "  -t THREADS       signing threads (default: every core)\n"
    "  -a               verify every new signature\n"
    "  --keyset FILE    DNSKEY RRset signed offline (zkeysign keyset)\n"
    "  --cache FILE     signature cache (default: OUTPUT.zsigcache): re-signing\n"
    "                   skips verifying signatures over unchanged RRsets\n"
    "  --no-cache       neither read nor write a signature cache\n"
    "  --now TIME       the current time (for tests)\n"
    "  -q               no summary, no progress\n"
    "  -h, --help       this text\n"
    "  -V, --version    version\n"
    "exit: 0 signed, 1 zone or key error, 2 output not written, 3 usage\n";

enum { OPT_KEYSET = 256, OPT_NOW, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_CACHE, OPT_NO_CACHE };

static const struct option longopts[] = {
    {"keyset", required_argument, NULL, OPT_KEYSET},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"now", required_argument, NULL, OPT_NOW},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int usage_error(params_t *pr, const char *what, const char *arg)
{
	fprintf(stderr, "zsign: %s%s%s%s\nTry 'zsign --help'.\n", what, arg ? " '" : "",
	        arg ? arg : "", arg ? "'" : "");
	params_free(pr);
	return -1;
}

static void push(const char ***v, size_t *n, const char *s)
{
	*v = zk_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

static bool parse_ttl(const char *s, uint32_t *out)
{
	return zk_ttl_from_text(s, strlen(s), out) == 0;
}

/* -e and -X: "+N" counts from the inception, "now+N" from now. */
static bool parse_end(const char *s, int64_t now, int64_t inception, int64_t *out)
{
	int64_t base = strncmp(s, "now", 3) == 0 ? now : inception;
	return zk_opt_time_parse(s, base, out, NULL) == 0;
}

int params_parse(params_t *pr, int argc, char **argv, int *code)
{
	const char *start = NULL, *end = NULL, *xend = NULL, *interval = NULL, *now = NULL;
	int c;

	zk_xmalloc_progname("zsign");
	memset(pr, 0, sizeof(*pr));
	pr->keydir = ".";
	pr->zonemd = -1;
	pr->progress = isatty(2);
	pr->n3.alg = ZK_NSEC3_SHA1;
	*code = EXIT_USAGE;
	while ((c = getopt_long(argc, argv, "o:f:K:Sk:z:s:e:X:i:j:3:H:AuN:Z:T:M:Dt:aqhV", longopts,
	                        NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case 'o':
			if (zk_name_from_text(&pr->origin, optarg, strlen(optarg), &zk_name_root,
			                      NULL) != 0)
				return usage_error(pr, "bad origin", optarg);
			pr->have_origin = true;
			break;
		case 'f': pr->output = optarg; break;
		case 'K': pr->keydir = optarg; break;
		case 'S': pr->smart = true; break;
		case 'k': push(&pr->ksk, &pr->nksk, optarg); break;
		case 'z': push(&pr->zsk, &pr->nzsk, optarg); break;
		case 's': start = optarg; break;
		case 'e': end = optarg; break;
		case 'X': xend = optarg; break;
		case 'i': interval = optarg; break;
		case 'j':
			if (zk_opt_duration_parse(optarg, &v, NULL) != 0 || v > 0x7fffffff)
				return usage_error(pr, "bad jitter", optarg);
			pr->jitter = (uint32_t)v;
			break;
		case '3':
			pr->nsec3 = true;
			if (strcmp(optarg, "-") == 0) {
				pr->n3.salt_len = 0;
			} else {
				size_t sl = 0;
				if (zk_hex_decode(optarg, strlen(optarg), pr->n3.salt,
				                  sizeof(pr->n3.salt), &sl) != 0)
					return usage_error(pr, "bad NSEC3 salt (hex or -)", optarg);
				pr->n3.salt_len = (uint8_t)sl;
			}
			break;
		case 'H':
			if (zk_opt_uint_parse(optarg, 0, 65535, &v, NULL) != 0)
				return usage_error(pr, "bad NSEC3 iterations", optarg);
			/* RFC 9276 §3.1 recommends 0; BIND refuses more than 50. */
			if (v > ZK_NSEC3_MAX_ITER)
				return usage_error(
				    pr, "NSEC3 iterations above 50 are refused (RFC 9276)", optarg);
			pr->n3.iterations = (uint16_t)v;
			break;
		case 'A': pr->n3.flags |= ZK_NSEC3_OPTOUT; break;
		case 'u': pr->update_chain = true; break;
		case 'N':
			if (strcmp(optarg, "keep") == 0)
				pr->serial = SERIAL_KEEP;
			else if (strcmp(optarg, "increment") == 0)
				pr->serial = SERIAL_INCREMENT;
			else if (strcmp(optarg, "unixtime") == 0)
				pr->serial = SERIAL_UNIXTIME;
			else if (strcmp(optarg, "date") == 0)
				pr->serial = SERIAL_DATE;
			else
				return usage_error(
				    pr, "-N wants keep, increment, unixtime or date, not", optarg);
			break;
		case 'Z':
			if (strcasecmp(optarg, "sha384") == 0)
				pr->zonemd = ZK_ZONEMD_SHA384;
			else if (strcasecmp(optarg, "sha512") == 0)
				pr->zonemd = ZK_ZONEMD_SHA512;
			else if (strcasecmp(optarg, "none") == 0)
				pr->zonemd = 0;
			else
				return usage_error(pr, "-Z wants sha384, sha512 or none, not",
				                   optarg);
			break;
		case 'T':
			if (!parse_ttl(optarg, &pr->dnskey_ttl))
				return usage_error(pr, "bad TTL", optarg);
			pr->have_dnskey_ttl = true;
			break;
		case 'M':
			if (!parse_ttl(optarg, &pr->max_ttl))
				return usage_error(pr, "bad maximum TTL", optarg);
			pr->have_max_ttl = true;
			break;
		case 'D': pr->dnssec_only = true; break;
		case 't':
			if (zk_opt_uint_parse(optarg, 1, 1024, &v, NULL) != 0)
				return usage_error(pr, "bad thread count (1..1024)", optarg);
			pr->threads = (unsigned)v;
			break;
		case 'a': pr->verify = true; break;
		case 'q': pr->quiet = true; break;
		case OPT_KEYSET: pr->keyset = optarg; break;
		case OPT_CACHE: pr->cache = optarg; break;
		case OPT_NO_CACHE: pr->no_cache = true; break;
		case OPT_NOW: now = optarg; break;
		case OPT_PROGRESS: pr->progress = true; break;
		case OPT_NO_PROGRESS: pr->progress = false; break;
		case 'h':
			fputs(usage_text, stdout);
			*code = EXIT_OK;
			params_free(pr);
			return -1;
		case 'V':
			printf("zsign (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			*code = EXIT_OK;
			params_free(pr);
			return -1;
		default:
			fputs(usage_text, stderr);
			params_free(pr);
			return -1;
		}
	}
	if (optind >= argc)
		return usage_error(pr, "no zone file given", NULL);
	pr->zonefile = argv[optind++];
	for (; optind < argc; optind++)
		push(&pr->keys, &pr->nkeys, argv[optind]);
	if (pr->quiet)
		pr->progress = false;

	pr->now = (int64_t)time(NULL);
	if (now != NULL && zk_opt_time_parse(now, pr->now, &pr->now, NULL) != 0)
		return usage_error(pr, "bad --now time", now);
	/* dnssec-signzone's defaults: an hour ago, for 30 days. */
	pr->inception = pr->now - 3600;
	if (start != NULL && zk_opt_time_parse(start, pr->now, &pr->inception, NULL) != 0)
		return usage_error(pr, "bad start time", start);
	pr->expiration = pr->inception + 30 * 86400;
	if (end != NULL && !parse_end(end, pr->now, pr->inception, &pr->expiration))
		return usage_error(pr, "bad end time", end);
	pr->dnskey_expiration = pr->expiration;
	if (xend != NULL && !parse_end(xend, pr->now, pr->inception, &pr->dnskey_expiration))
		return usage_error(pr, "bad DNSKEY end time", xend);
	if (pr->expiration <= pr->inception || pr->dnskey_expiration <= pr->inception)
		return usage_error(pr, "the end time is not after the start time", NULL);
	if (pr->expiration <= pr->now || pr->dnskey_expiration <= pr->now)
		return usage_error(pr, "the end time is in the past", NULL);
	/* RFC 4034 §3.1.5: serial arithmetic cannot span 2^31 seconds. */
	if (pr->expiration - pr->inception >= INT64_C(0x7fffffff) ||
	    pr->dnskey_expiration - pr->inception >= INT64_C(0x7fffffff))
		return usage_error(pr, "validity window longer than 68 years", NULL);
	pr->interval = (uint32_t)((pr->expiration - pr->inception) / 4);
	if (interval != NULL) {
		uint64_t v;
		if (zk_opt_duration_parse(interval, &v, NULL) != 0 || v > 0x7fffffff)
			return usage_error(pr, "bad interval", interval);
		pr->interval = (uint32_t)v;
	}
	if (pr->jitter >= (uint64_t)(pr->expiration - pr->inception))
		return usage_error(pr, "jitter is not smaller than the validity window", NULL);
	if ((pr->n3.flags || pr->n3.iterations) && !pr->nsec3)
		return usage_error(pr, "-A and -H need -3", NULL);
	if (pr->threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		pr->threads = n > 0 ? (unsigned)(n > 256 ? 256 : n) : 1;
	}
	*code = EXIT_OK;
	return 0;
}

void params_free(params_t *pr)
{
	free(pr->ksk);
	free(pr->zsk);
	free(pr->keys);
	pr->ksk = pr->zsk = pr->keys = NULL;
}
