/* zdig — DNS lookup utility: dig's command line, kdig's and drill's
 * extras, and --read to print a saved message. */
#include "config.h"

#include "zdig.h"

int main(int argc, char **argv)
{
	params_t p;
	int code = EXIT_OK;

	if (params_parse(&p, argc, argv, &code) != 0)
		return code;
	code = exec_run(&p);
	params_free(&p);
	return code;
}
