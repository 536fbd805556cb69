/* zupdate — secure dynamic updates (RFC 2136) with TSIG and SIG(0),
 * GSS-TSIG, nsupdate-compatible. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zupdate.h"

int main(int argc, char **argv)
{
	params_t p;
	session_t s;
	int code = EXIT_OK;

	zk_xmalloc_progname("zupdate");
	if (params_parse(&p, argc, argv, &code) != 0)
		return code;
	memset(&s, 0, sizeof(s));
	s.p = &p;
	s.debug = p.debug;
	s.out = stdout;
	zk_keyfile_init(&s.sig0);
	if (zk_update_init(&s.upd, 1 /* IN */) < 0) {
		fprintf(stderr, "%s: out of memory\n", p.prog);
		return EXIT_INTERNAL;
	}
	if (p.gss_realm != NULL)
		snprintf(s.realm, sizeof(s.realm), "%s", p.gss_realm);
	if (p.gss)
		keys_use_gss(&s, p.gss_windows);
	if (p.keyfile != NULL && keys_load_file(&s, p.keyfile) < 0)
		code = EXIT_USAGE;
	else if (p.keystr != NULL && keys_load_string(&s, p.keystr) < 0)
		code = EXIT_USAGE;
	else
		code = interp_run(&s);
	gss_finish(&s); /* TKEY mode 5: the server forgets the context */
	keys_clear(&s);
	zk_update_free(&s.upd);
	free(s.last.reply);
	free(s.last.failed);
	return code;
}
