/* zxfr — zone transfer client: AXFR (RFC 5936), IXFR (RFC 1995), TSIG,
 * XoT (RFC 9103), written atomically to a zone file. */
#include "config.h"

#include "alloc.h"
#include "zxfr.h"

int main(int argc, char **argv)
{
	params_t p;
	int code = EXIT_OK;

	zk_xmalloc_progname("zxfr");
	if (params_parse(&p, argc, argv, &code) != 0)
		return code;
	return exec_run(&p);
}
