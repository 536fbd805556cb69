/* zcheck — zone lint for CI: parse, check, report. */
#include "config.h"

#include "zcheck.h"

int main(int argc, char **argv)
{
	params_t pr;
	int code = 0;

	if (params_parse(&pr, argc, argv, &code) != 0) {
		params_free(&pr);
		return code;
	}
	code = exec_run(&pr);
	params_free(&pr);
	return code;
}
