/* Unit tests for common/plusopt.c: exact names, unique prefixes, +no
 * forms, values, ambiguity and unknown names. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plusopt.h"

typedef struct row {
	int unused;
	const char *name;
} row_t;

static const row_t table[] = {{0, "additional"}, {0, "all"},   {0, "answer"},
                              {0, "authority"},  {0, "nsid"},  {0, "notify"},
                              {0, "tcp"},        {0, "tries"}, {0, "multiline"}};

#define N (sizeof(table) / sizeof(table[0]))

static int find(const char *arg, zk_plusopt_hit_t *hit, zk_errctx_t *ec)
{
	zk_errctx_init(ec);
	return zk_plusopt_find(arg, table, N, sizeof(row_t), offsetof(row_t, name), hit, ec);
}

static void test_exact_and_prefix(void **state)
{
	zk_plusopt_hit_t h;
	zk_errctx_t ec;
	(void)state;
	assert_int_equal(find("+all", &h, &ec), 0);
	assert_int_equal(h.index, 1);
	assert_true(h.on);
	assert_null(h.value);
	/* "+a" is ambiguous, but "+all" exact wins over "+all..." */
	assert_int_equal(find("+mul", &h, &ec), 0);
	assert_int_equal(h.index, 8);
	assert_int_equal(find("tc", &h, &ec), 0); /* the '+' is optional */
	assert_int_equal(h.index, 6);
}

static void test_no_forms(void **state)
{
	zk_plusopt_hit_t h;
	zk_errctx_t ec;
	(void)state;
	assert_int_equal(find("+noall", &h, &ec), 0);
	assert_int_equal(h.index, 1);
	assert_false(h.on);
	assert_int_equal(find("+noadd", &h, &ec), 0);
	assert_int_equal(h.index, 0);
	assert_false(h.on);
	/* names of the table starting with "no" win over the +no form */
	assert_int_equal(find("+notify", &h, &ec), 0);
	assert_int_equal(h.index, 5);
	assert_true(h.on);
	assert_int_equal(find("+nonsid", &h, &ec), 0);
	assert_int_equal(h.index, 4);
	assert_false(h.on);
}

static void test_values(void **state)
{
	zk_plusopt_hit_t h;
	zk_errctx_t ec;
	(void)state;
	assert_int_equal(find("+tries=3", &h, &ec), 0);
	assert_int_equal(h.index, 7);
	assert_string_equal(h.value, "3");
	assert_int_equal(find("+tri=", &h, &ec), 0);
	assert_string_equal(h.value, "");
	assert_int_equal(find("+notries=3", &h, &ec), 0);
	assert_false(h.on);
}

static void test_errors(void **state)
{
	zk_plusopt_hit_t h = {.index = 99};
	zk_errctx_t ec;
	(void)state;
	assert_int_equal(find("+a", &h, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg,
	                    "ambiguous option: +a (matches: +additional +all +answer +authority)");
	assert_int_equal(h.index, 99); /* untouched */
	assert_int_equal(find("+t", &h, &ec), ZK_EINVAL);
	assert_string_equal(ec.msg, "ambiguous option: +t (matches: +tcp +tries)");
	assert_int_equal(find("+frob", &h, &ec), ZK_ENOENT);
	assert_string_equal(ec.msg, "unknown option: +frob");
	assert_int_equal(find("+", &h, &ec), ZK_ENOENT);
	assert_int_equal(find("+nox", &h, &ec), ZK_ENOENT);
	assert_int_equal(find("+no", &h, &ec), 0); /* the one name starting so */
	assert_int_equal(h.index, 5);
	assert_int_equal(find("+=1", &h, &ec), ZK_ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exact_and_prefix),
	    cmocka_unit_test(test_no_forms),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
