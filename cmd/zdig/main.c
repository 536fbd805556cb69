/* zdig — DNS lookup utility. This version prints saved messages
 * (--read); live queries come in a later version. */
#include "config.h"

#include "zdig.h"

int main(int argc, char **argv)
{
	params_t p;
	int code = EXIT_OK;

	if (params_parse(&p, argc, argv, &code) != 0)
		return code;
	return exec_run(&p);
}
