/* zsign — the zone signer: parse the command line, sign, clean up. */
#include "config.h"

#include "zsign.h"

int main(int argc, char **argv)
{
	params_t pr;
	int code = 0;

	if (params_parse(&pr, argc, argv, &code) != 0)
		return code;
	code = exec_run(&pr);
	params_free(&pr);
	return code;
}
