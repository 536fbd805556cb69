/* znotify — the command line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "rrtype.h"
#include "znotify.h"

void params_usage(const char *prog, bool full)
{
	FILE *f = full ? stdout : stderr;

	fprintf(f,
	        "usage: %s [-k keyfile | -y [alg:]name:secret] [-s serial] [-f zonefile]\n"
	        "       [@server] [--retries N] [--timeout S] [--strict] zone [target...]\n",
	        prog);
	if (!full) {
		fprintf(f, "Try '%s -h' for more information.\n", prog);
		return;
	}
	fprintf(f, "\nSend NOTIFY (RFC 1996) for zone to each target (address[#port] or host\n"
	           "name) and wait for its acknowledgement. Without targets they are derived\n"
	           "as BIND does: the zone's NS names (from -f, else asked of @server) minus\n"
	           "the SOA MNAME and this host, resolved to addresses.\n\n"
	           "  -f FILE           the zone file: NS, MNAME, addresses, SOA serial\n"
	           "  @server[#port]    where to ask for NS and SOA without -f\n"
	           "  -p PORT           port of derived targets (default 53)\n"
	           "  -s SERIAL         the serial to announce (SOA in the answer section)\n"
	           "  -k FILE           TSIG key file\n"
	           "  -y [ALG:]NAME:KEY TSIG key (default algorithm hmac-sha256)\n"
	           "  --retries N       resends after the first (default 4; the wait doubles)\n"
	           "  --timeout SECS    first wait for an answer (default 1)\n"
	           "  --strict          NOTIMP (a server without NOTIFY) is a failure\n"
	           "  --json            one JSON object per target\n"
	           "  -q                print failures only\n"
	           "  -h, --help        this help\n"
	           "  -V, --version     print the version\n\n"
	           "Exit status: 0 every target acknowledged, 1 usage, 2 some target did\n"
	           "not (REFUSED, time-out, ...), 3 no target, 10 internal error.\n");
}

static int fail_ec(const char *prog, const char *what, const zk_errctx_t *ec)
{
	char msg[512];

	zk_errctx_format(ec, msg, sizeof(msg));
	fprintf(stderr, "%s: %s: %s\n", prog, what, msg);
	return 1;
}

static const char *arg_of(const char *prog, int argc, char **argv, int *i, const char *name)
{
	const char *v = zk_opt_arg(argc, argv, i, name);
	if (v == NULL)
		fprintf(stderr, "%s: %s needs an argument\n", prog, name);
	return v;
}

int params_parse(params_t *p, int argc, char **argv, int *code)
{
	const char *prog = argc > 0 && argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	zk_errctx_t ec;
	uint64_t v;

	prog = prog != NULL ? prog + 1 : (argc > 0 && argv[0] != NULL ? argv[0] : "znotify");
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->qclass = ZK_CLASS_IN;
	p->retries = 4;
	p->timeout_ms = 1000;
	p->targets = zk_xcalloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
	*code = EXIT_USAGE;
	zk_errctx_init(&ec);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			params_usage(prog, true);
			*code = EXIT_OK;
			return 1;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("%s (zkit) %s\n", prog, PACKAGE_VERSION);
			*code = EXIT_OK;
			return 1;
		}
		if (a[0] == '@') {
			if (zk_opt_server_parse(&p->server, a, &ec) < 0)
				return fail_ec(prog, a, &ec);
			p->have_server = true;
		} else if (strcmp(a, "-q") == 0) {
			p->quiet = true;
		} else if (strcmp(a, "--strict") == 0) {
			p->strict = true;
		} else if (strcmp(a, "--json") == 0) {
			p->json = true;
		} else if (zk_opt_is(a, "-f")) {
			if ((p->zone_file = arg_of(prog, argc, argv, &i, "-f")) == NULL)
				return 1;
		} else if (zk_opt_is(a, "-p")) {
			if ((val = arg_of(prog, argc, argv, &i, "-p")) == NULL)
				return 1;
			if (zk_opt_port_parse(val, &p->port, &ec) < 0)
				return fail_ec(prog, "-p", &ec);
		} else if (zk_opt_is(a, "-s")) {
			if ((val = arg_of(prog, argc, argv, &i, "-s")) == NULL)
				return 1;
			if (zk_opt_uint_parse(val, 0, UINT32_MAX, &v, &ec) < 0)
				return fail_ec(prog, "-s", &ec);
			p->serial = (uint32_t)v;
			p->have_serial = true;
		} else if (zk_opt_is(a, "-k")) {
			if ((val = arg_of(prog, argc, argv, &i, "-k")) == NULL)
				return 1;
			if (zk_opt_key_file(&p->key, val, &ec) < 0)
				return fail_ec(prog, val, &ec);
			p->have_key = true;
		} else if (zk_opt_is(a, "-y")) {
			if ((val = arg_of(prog, argc, argv, &i, "-y")) == NULL)
				return 1;
			if (zk_opt_key_string(&p->key, val, &ec) < 0)
				return fail_ec(prog, "-y", &ec);
			p->have_key = true;
		} else if (zk_opt_is(a, "--retries")) {
			if ((val = arg_of(prog, argc, argv, &i, "--retries")) == NULL)
				return 1;
			if (zk_opt_uint_parse(val, 0, 20, &v, &ec) < 0)
				return fail_ec(prog, "--retries", &ec);
			p->retries = (unsigned)v;
		} else if (zk_opt_is(a, "--timeout")) {
			if ((val = arg_of(prog, argc, argv, &i, "--timeout")) == NULL)
				return 1;
			if (zk_opt_duration_parse(val, &v, &ec) < 0)
				return fail_ec(prog, "--timeout", &ec);
			if (v == 0 || v > 60) {
				fprintf(stderr, "%s: --timeout: 1 to 60 seconds\n", prog);
				return 1;
			}
			p->timeout_ms = (unsigned)v * 1000;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "%s: unknown option: %s\n", prog, a);
			params_usage(prog, false);
			return 1;
		} else if (p->zone_text == NULL) {
			p->zone_text = a;
			if (zk_name_from_text(&p->zone, a, strlen(a), NULL, &ec) < 0)
				return fail_ec(prog, a, &ec);
		} else {
			p->targets[p->ntargets++] = argv[i];
		}
	}
	if (p->zone_text == NULL) {
		fprintf(stderr, "%s: no zone given\n", prog);
		params_usage(prog, false);
		return 1;
	}
	*code = EXIT_OK;
	return 0;
}
