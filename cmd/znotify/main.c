/* znotify — send NOTIFY (RFC 1996) to a zone's secondaries. */
#include "config.h"

#include <stdlib.h>

#include "alloc.h"
#include "znotify.h"

int main(int argc, char **argv)
{
	params_t p;
	int code = EXIT_OK;

	zk_xmalloc_progname("znotify");
	if (params_parse(&p, argc, argv, &code) != 0) {
		free(p.targets);
		return code;
	}
	return exec_run(&p);
}
