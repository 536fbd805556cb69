/* zupdate — the command line: nsupdate's options plus --secure, --json,
 * --resolv-conf. Short options may be grouped (-dv) and take their
 * argument attached or separate (-t30, -t 30). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "zupdate.h"

void params_usage(const char *prog, bool full)
{
	FILE *f = full ? stdout : stderr;

	fprintf(f,
	        "usage: %s [-d] [-D] [-v] [-l] [-4|-6] [-t timeout] [-u udp-timeout] [-r retries]\n"
	        "       [-k keyfile] [-y [alg:]name:secret] [-g|-o] [-p port]\n"
	        "       [--keytab FILE --principal P] [--realm REALM] [--gss-server-name NAME]\n"
	        "       [--secure=auto|always|never] [--json] [--resolv-conf FILE] [file]\n",
	        prog);
	if (!full) {
		fprintf(f, "Try '%s -h' for more information.\n", prog);
		return;
	}
	fprintf(
	    f,
	    "\nSend DNS dynamic updates (RFC 2136), nsupdate-compatible: commands come\n"
	    "from FILE or standard input (server, local, zone, class, ttl, key, origin,\n"
	    "prereq, update, add, del, show, send, answer, debug, gsstsig, oldgsstsig,\n"
	    "realm, quit; a blank line sends).\n\n"
	    "  -d, -D            debug output (-D: every step of finding the server)\n"
	    "  -v                use TCP\n"
	    "  -t SECONDS        limit for a whole update (default 300, 0: none)\n"
	    "  -u SECONDS        UDP retry interval (default 3)\n"
	    "  -r N              UDP retries (default 3)\n"
	    "  -k FILE           TSIG key file (key {} block, K*.private HMAC) or\n"
	    "                    SIG(0) private key K<name>+<alg>+<tag>.private\n"
	    "  -y [ALG:]NAME:SECRET  TSIG key (default hmac-sha256)\n"
	    "  -g                GSS-TSIG (RFC 3645, Kerberos: kinit first)\n"
	    "  -o                GSS-TSIG, the Windows 2000 variant (gss.microsoft.com)\n"
	    "  --keytab FILE --principal P  GSS-TSIG credentials from a client keytab\n"
	    "  --realm REALM     realm of the service principal DNS/<server>\n"
	    "  --gss-server-name NAME  the server's FQDN for DNS/<NAME> (default: the\n"
	    "                    server's host name, else the zone's SOA MNAME)\n"
	    "  -p PORT           server port (default 53)\n"
	    "  -l                local-host only: send to 127.0.0.1 (or ::1)\n"
	    "  -4, -6            IPv4 / IPv6 only\n"
	    "  --secure=MODE     auto (default: unsigned first, signed after REFUSED),\n"
	    "                    always, never\n"
	    "  --json            one JSON object per send on standard output\n"
	    "  --resolv-conf FILE  resolver configuration for finding the zone\n"
	    "  -h, --help        this help\n"
	    "  -V, --version     print the version\n\n"
	    "Exit status: 0 success, 1 usage or syntax error, 2 an update was refused\n"
	    "or failed (rcode), 3 TSIG/SIG(0)/GSS-TSIG failure, 4 no reply, 5 zone or server not\n"
	    "found, 10 internal error.\n");
}

static int number(const params_t *p, char opt, const char *arg, uint64_t max, uint64_t *v)
{
	zk_errctx_t ec;

	zk_errctx_init(&ec);
	if (zk_opt_uint_parse(arg, 0, max, v, &ec) < 0) {
		fprintf(stderr, "%s: -%c %s: %s\n", p->prog, opt, arg, ec.msg);
		return -1;
	}
	return 0;
}

static int long_opt(params_t *p, const char *a, int argc, char **argv, int *i)
{
	const char *val = strchr(a, '=');
	size_t n = val ? (size_t)(val - a) : strlen(a);

	if (val != NULL)
		val++;
	if (n == 6 && strncmp(a, "--help", n) == 0)
		return 2;
	if (n == 9 && strncmp(a, "--version", n) == 0)
		return 3;
	if (n == 6 && strncmp(a, "--json", n) == 0) {
		p->json = true;
		return 0;
	}
	/* Options with an argument: "--opt VALUE" or "--opt=VALUE". */
	static const char *const with_arg[] = {
	    "--secure",    "--resolv-conf", "--clock-skew",      "--keytab",
	    "--principal", "--realm",       "--gss-server-name", NULL};
	size_t k;
	for (k = 0; with_arg[k] != NULL; k++)
		if (strlen(with_arg[k]) == n && strncmp(a, with_arg[k], n) == 0)
			break;
	if (with_arg[k] == NULL) {
		fprintf(stderr, "%s: unknown option: %s\n", p->prog, a);
		return -1;
	}
	if (val == NULL) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "%s: %.*s needs an argument\n", p->prog, (int)n, a);
			return -1;
		}
		val = argv[++*i];
	}
	switch (k) {
	case 0:
		if (strcmp(val, "auto") == 0)
			p->secure = SECURE_AUTO;
		else if (strcmp(val, "always") == 0)
			p->secure = SECURE_ALWAYS;
		else if (strcmp(val, "never") == 0)
			p->secure = SECURE_NEVER;
		else {
			fprintf(stderr, "%s: --secure=%s: want auto, always or never\n", p->prog,
			        val);
			return -1;
		}
		return 0;
	case 1: p->resolvconf = val; return 0;
	case 2: {
		char *end;
		long long v = strtoll(val, &end, 10);
		if (*val == '\0' || *end != '\0' || v < -100000000LL || v > 100000000LL) {
			fprintf(stderr, "%s: --clock-skew %s: want seconds\n", p->prog, val);
			return -1;
		}
		p->clock_skew = v;
		return 0;
	}
	case 3: p->gss_keytab = val; return 0;
	case 4: p->gss_principal = val; return 0;
	case 5: p->gss_realm = val; return 0;
	default: p->gss_server_name = val; return 0;
	}
}

int params_parse(params_t *p, int argc, char **argv, int *code)
{
	const char *prog = argc > 0 && argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	uint64_t v;

	prog = prog != NULL ? prog + 1 : (argc > 0 && argv[0] != NULL ? argv[0] : "zupdate");
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->timeout_s = 300;
	p->udp_timeout_ms = 3000;
	p->retries = 3;
	p->family = AF_UNSPEC;
	p->secure = SECURE_AUTO;
	p->resolvconf = getenv("ZUPDATE_RESOLV_CONF");
	*code = EXIT_USAGE;

	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strncmp(a, "--", 2) == 0) {
			int r = long_opt(p, a, argc, argv, &i);
			if (r == 2) {
				params_usage(prog, true);
				*code = EXIT_OK;
				return 1;
			}
			if (r == 3) {
				printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
				*code = EXIT_OK;
				return 1;
			}
			if (r < 0) {
				params_usage(prog, false);
				return 1;
			}
			continue;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		for (const char *c = a + 1; *c; c++) {
			const char *arg = NULL;
			if (strchr("tuprkyL", *c) != NULL) {
				if (c[1] != '\0')
					arg = c + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else {
					fprintf(stderr, "%s: -%c needs an argument\n", prog, *c);
					params_usage(prog, false);
					return 1;
				}
			}
			switch (*c) {
			case 'd':
				if (p->debug < 1)
					p->debug = 1;
				break;
			case 'D': p->debug = 2; break;
			case 'v': p->tcp = true; break;
			case 'l': p->local = true; break;
			case '4': p->family = AF_INET; break;
			case '6': p->family = AF_INET6; break;
			case 'i': break; /* nsupdate: interactive even when stdin is no TTY */
			case 'h':
				params_usage(prog, true);
				*code = EXIT_OK;
				return 1;
			case 'V':
				printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
				*code = EXIT_OK;
				return 1;
			case 't':
				if (number(p, 't', arg, 86400, &v) < 0)
					return 1;
				p->timeout_s = (unsigned)v;
				break;
			case 'u':
				if (number(p, 'u', arg, 3600, &v) < 0)
					return 1;
				p->udp_timeout_ms = v ? (unsigned)v * 1000 : 3000;
				break;
			case 'r':
				if (number(p, 'r', arg, 100, &v) < 0)
					return 1;
				p->retries = (unsigned)v;
				break;
			case 'L':
				if (number(p, 'L', arg, 10, &v) < 0)
					return 1;
				p->debug = v > 0 ? 2 : p->debug;
				break;
			case 'p': {
				zk_errctx_t ec;
				zk_errctx_init(&ec);
				if (zk_opt_port_parse(arg, &p->port, &ec) < 0) {
					fprintf(stderr, "%s: -p %s: %s\n", prog, arg, ec.msg);
					return 1;
				}
				break;
			}
			case 'k': p->keyfile = arg; break;
			case 'y': p->keystr = arg; break;
			case 'g':
			case 'o': {
				char what[3] = {'-', *c, '\0'};
				if (!gss_check_available(prog, what))
					return 1;
				p->gss = true;
				p->gss_windows = *c == 'o';
				break;
			}
			default:
				fprintf(stderr, "%s: unknown option: -%c\n", prog, *c);
				params_usage(prog, false);
				return 1;
			}
			if (arg != NULL)
				break;
		}
	}
	if (i < argc)
		p->file = argv[i++];
	if (i < argc) {
		fprintf(stderr, "%s: unexpected argument: %s\n", prog, argv[i]);
		params_usage(prog, false);
		return 1;
	}
	if (p->keyfile != NULL && p->keystr != NULL) {
		fprintf(stderr, "%s: -k and -y cannot be used together\n", prog);
		return 1;
	}
	if (p->gss && (p->keyfile != NULL || p->keystr != NULL)) {
		fprintf(stderr, "%s: -%c and -k/-y cannot be used together\n", prog,
		        p->gss_windows ? 'o' : 'g');
		return 1;
	}
	if (p->gss_keytab != NULL && p->gss_principal == NULL) {
		fprintf(stderr, "%s: --keytab needs --principal (the client principal in it)\n",
		        prog);
		return 1;
	}
	*code = EXIT_OK;
	return 0;
}
