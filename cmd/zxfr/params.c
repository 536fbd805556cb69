/* zxfr — the command line. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gss.h"
#include "opt.h"
#include "rrtype.h"
#include "xfr.h"
#include "zxfr.h"

void params_usage(const char *prog, bool full)
{
	FILE *f = full ? stdout : stderr;

	fprintf(f,
	        "usage: %s [@server[#port]] [-k keyfile | -y [alg:]name:secret | -g] [--tls]\n"
	        "       [-o out.zone] [--ixfr[=serial]] [--if-newer] [--verify] [--json] zone\n",
	        prog);
	if (!full) {
		fprintf(f, "Try '%s -h' for more information.\n", prog);
		return;
	}
	fprintf(f,
	        "\nTransfer a zone (AXFR, RFC 5936; IXFR, RFC 1995) and print it or write it\n"
	        "to a file. Every message is checked (ID, question, SOA brackets, TSIG);\n"
	        "a file is replaced only by a complete, valid transfer.\n\n"
	        "  @server[#port]      server (default: the first of resolv.conf)\n"
	        "  -p PORT             port (default 53, 853 with --tls)\n"
	        "  -4, -6              IPv4 / IPv6 only\n"
	        "  -c CLASS            zone class (default IN)\n"
	        "  -k FILE             TSIG key file (tsig-keygen or dnssec-keygen format)\n"
	        "  -y [ALG:]NAME:KEY   TSIG key (default algorithm hmac-sha256)\n"
	        "  -g, --gsstsig       GSS-TSIG (RFC 3645, Kerberos: kinit first)\n"
	        "  --oldgsstsig        GSS-TSIG, the Windows 2000 variant (gss.microsoft.com)\n"
	        "  --keytab FILE --principal P  GSS-TSIG credentials from a client keytab\n"
	        "  --realm REALM       realm of the service principal DNS/<server>\n"
	        "  --gss-server-name NAME  the server's FQDN for DNS/<NAME> (default: the\n"
	        "                      server's host name, else the zone's SOA MNAME)\n"
	        "  --tls               zone transfer over TLS (XoT, RFC 9103)\n"
	        "  --tls-ca FILE       authenticate the server against these CAs\n"
	        "  --tls-hostname NAME name the server's certificate must carry\n"
	        "  -o FILE             write the zone to FILE (atomically)\n"
	        "  --ixfr[=SERIAL]     ask for the differences since SERIAL (default: the\n"
	        "                      serial of FILE) and apply them to FILE\n"
	        "  --udp               try IXFR over UDP first\n"
	        "  --if-newer          transfer only when the server's serial is newer\n"
	        "  --verify            check the zone (zcheck's rules, ZONEMD) before replacing\n"
	        "                      FILE; errors fail, warnings are printed\n"
	        "  --strict            with --verify: warnings fail too\n"
	        "  --json              JSON Lines on standard output\n"
	        "  --no-onesoa         print the closing SOA too (as dig does)\n"
	        "  --timeout SECS      per network wait (default 10)\n"
	        "  --max-records N     refuse larger transfers (default %llu)\n"
	        "  --max-bytes N       refuse larger transfers (default %llu)\n"
	        "  --[no-]progress     progress on standard error (default: on a TTY)\n"
	        "  -q                  no messages but errors\n"
	        "  -v                  say what happens (GSS-TSIG, the summary) on stderr\n"
	        "  -h, --help          this help\n"
	        "  -V, --version       print the version\n\n"
	        "Exit status: 0 transferred or up to date, 1 usage, 2 network, 3 server\n"
	        "refused, 4 TSIG, 5 broken transfer, 6 limit, 7 file or --verify, 10 internal.\n",
	        (unsigned long long)ZK_XFR_MAX_RECORDS, (unsigned long long)ZK_XFR_MAX_BYTES);
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

	prog = prog != NULL ? prog + 1 : (argc > 0 && argv[0] != NULL ? argv[0] : "zxfr");
	memset(p, 0, sizeof(*p));
	p->prog = prog;
	p->qclass = ZK_CLASS_IN;
	p->onesoa = true;
	p->progress = -1;
	p->timeout_ms = 10000;
	p->max_records = ZK_XFR_MAX_RECORDS;
	p->max_bytes = ZK_XFR_MAX_BYTES;
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
		} else if (strcmp(a, "-4") == 0) {
			p->family = AF_INET;
		} else if (strcmp(a, "-6") == 0) {
			p->family = AF_INET6;
		} else if (strcmp(a, "-q") == 0) {
			p->quiet = true;
		} else if (strcmp(a, "-v") == 0) {
			p->verbose++;
		} else if (strcmp(a, "-g") == 0 || strcmp(a, "--gsstsig") == 0 ||
		           strcmp(a, "--oldgsstsig") == 0) {
			if (!zk_gss_available()) {
				fprintf(stderr, "%s: %s: GSS-TSIG unavailable: %s\n", prog, a,
				        ZK_GSS_BUILT_OUT);
				return 1;
			}
			p->gss = true;
			p->gss_windows = strcmp(a, "--oldgsstsig") == 0;
		} else if (zk_opt_is(a, "--keytab")) {
			if ((p->gss_keytab = arg_of(prog, argc, argv, &i, "--keytab")) == NULL)
				return 1;
		} else if (zk_opt_is(a, "--principal")) {
			if ((p->gss_principal = arg_of(prog, argc, argv, &i, "--principal")) ==
			    NULL)
				return 1;
		} else if (zk_opt_is(a, "--realm")) {
			if ((p->gss_realm = arg_of(prog, argc, argv, &i, "--realm")) == NULL)
				return 1;
		} else if (zk_opt_is(a, "--gss-server-name")) {
			if ((p->gss_server_name =
			         arg_of(prog, argc, argv, &i, "--gss-server-name")) == NULL)
				return 1;
		} else if (zk_opt_is(a, "-p")) {
			if ((val = arg_of(prog, argc, argv, &i, "-p")) == NULL)
				return 1;
			if (zk_opt_port_parse(val, &p->port, &ec) < 0)
				return fail_ec(prog, "-p", &ec);
		} else if (zk_opt_is(a, "-c")) {
			if ((val = arg_of(prog, argc, argv, &i, "-c")) == NULL)
				return 1;
			if (zk_rrclass_from_text(val, strlen(val), &p->qclass) < 0) {
				fprintf(stderr, "%s: -c: unknown class %s\n", prog, val);
				return 1;
			}
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
		} else if (zk_opt_is(a, "-o")) {
			if ((val = arg_of(prog, argc, argv, &i, "-o")) == NULL)
				return 1;
			p->out = val;
		} else if (strcmp(a, "--tls") == 0) {
			p->tls = true;
		} else if (zk_opt_is(a, "--tls-ca")) {
			if ((p->tls_ca = arg_of(prog, argc, argv, &i, "--tls-ca")) == NULL)
				return 1;
			p->tls = p->tls_verify = true;
		} else if (zk_opt_is(a, "--tls-hostname")) {
			if ((p->tls_hostname = arg_of(prog, argc, argv, &i, "--tls-hostname")) ==
			    NULL)
				return 1;
			p->tls = p->tls_verify = true;
		} else if (strcmp(a, "--ixfr") == 0) {
			p->ixfr = true;
		} else if (strncmp(a, "--ixfr=", 7) == 0) {
			if (zk_opt_uint_parse(a + 7, 0, UINT32_MAX, &v, &ec) < 0)
				return fail_ec(prog, "--ixfr", &ec);
			p->ixfr = p->have_serial = true;
			p->serial = (uint32_t)v;
		} else if (strcmp(a, "--udp") == 0) {
			p->udp = true;
		} else if (strcmp(a, "--if-newer") == 0) {
			p->if_newer = true;
		} else if (strcmp(a, "--verify") == 0) {
			p->verify = true;
		} else if (strcmp(a, "--strict") == 0) {
			p->strict = true;
		} else if (strcmp(a, "--json") == 0) {
			p->json = true;
		} else if (strcmp(a, "--onesoa") == 0) {
			p->onesoa = true;
		} else if (strcmp(a, "--no-onesoa") == 0) {
			p->onesoa = false;
		} else if (strcmp(a, "--progress") == 0) {
			p->progress = 1;
		} else if (strcmp(a, "--no-progress") == 0) {
			p->progress = 0;
		} else if (zk_opt_is(a, "--timeout")) {
			if ((val = arg_of(prog, argc, argv, &i, "--timeout")) == NULL)
				return 1;
			if (zk_opt_duration_parse(val, &v, &ec) < 0)
				return fail_ec(prog, "--timeout", &ec);
			if (v == 0 || v > 3600) {
				fprintf(stderr, "%s: --timeout: 1 to 3600 seconds\n", prog);
				return 1;
			}
			p->timeout_ms = (unsigned)v * 1000;
		} else if (zk_opt_is(a, "--max-records")) {
			if ((val = arg_of(prog, argc, argv, &i, "--max-records")) == NULL)
				return 1;
			if (zk_opt_uint_parse(val, 1, UINT64_MAX / 2, &p->max_records, &ec) < 0)
				return fail_ec(prog, "--max-records", &ec);
		} else if (zk_opt_is(a, "--max-bytes")) {
			if ((val = arg_of(prog, argc, argv, &i, "--max-bytes")) == NULL)
				return 1;
			if (zk_opt_uint_parse(val, 1, UINT64_MAX / 2, &p->max_bytes, &ec) < 0)
				return fail_ec(prog, "--max-bytes", &ec);
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "%s: unknown option: %s\n", prog, a);
			params_usage(prog, false);
			return 1;
		} else if (p->zone_text == NULL) {
			p->zone_text = a;
			if (zk_name_from_text(&p->zone, a, strlen(a), NULL, &ec) < 0)
				return fail_ec(prog, a, &ec);
		} else {
			fprintf(stderr, "%s: unexpected argument: %s (one zone only)\n", prog, a);
			params_usage(prog, false);
			return 1;
		}
	}
	if (p->zone_text == NULL) {
		fprintf(stderr, "%s: no zone given\n", prog);
		params_usage(prog, false);
		return 1;
	}
	if (p->ixfr && !p->have_serial && p->out == NULL) {
		fprintf(stderr, "%s: --ixfr needs a serial (--ixfr=N) or an existing -o file\n",
		        prog);
		return 1;
	}
	if (p->udp && !p->ixfr) {
		fprintf(stderr, "%s: --udp is for IXFR only (AXFR is TCP, RFC 5936 §4.2)\n", prog);
		return 1;
	}
	if (p->verify && p->out == NULL) {
		fprintf(stderr, "%s: --verify checks the file before it is replaced: give -o\n",
		        prog);
		return 1;
	}
	if (p->strict && !p->verify) {
		fprintf(stderr, "%s: --strict applies to --verify\n", prog);
		return 1;
	}
	if (p->gss && p->have_key) {
		fprintf(stderr, "%s: -g (GSS-TSIG) and a TSIG key (-k, -y) exclude each other\n",
		        prog);
		return 1;
	}
	if ((p->gss_keytab || p->gss_principal || p->gss_realm || p->gss_server_name) && !p->gss) {
		fprintf(stderr,
		        "%s: --keytab, --principal, --realm and --gss-server-name are for -g\n",
		        prog);
		return 1;
	}
	if (p->gss_keytab != NULL && p->gss_principal == NULL) {
		fprintf(stderr, "%s: --keytab needs --principal (the client principal in it)\n",
		        prog);
		return 1;
	}
	if (p->json && p->out != NULL) {
		fprintf(stderr, "%s: --json prints to standard output: not with -o\n", prog);
		return 1;
	}
	*code = EXIT_OK;
	return 0;
}
