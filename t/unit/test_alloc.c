/* Unit tests for common/alloc.c: arena alignment, big blocks, reset; the
 * growable buffer. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"
#include "err.h"

static void test_arena_alignment(void **state)
{
	(void)state;
	zk_arena_t *a = zk_arena_new(256);
	assert_non_null(a);
	assert_int_equal(zk_arena_used(a), 0);

	/* Odd sizes, across several blocks: every pointer 8-aligned, each
	 * allocation writable over its full size without touching others. */
	unsigned char *prev = NULL;
	size_t prevn = 0;
	for (size_t n = 1; n < 200; n += 3) {
		unsigned char *p = zk_arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 8, 0);
		memset(p, (int)n, n);
		if (prev != NULL)
			for (size_t i = 0; i < prevn; i++)
				assert_int_equal(prev[i], (unsigned char)prevn);
		prev = p;
		prevn = n;
	}
	/* used counts the rounded sizes: sum over n = 1, 4, ..., 199 */
	size_t want = 0;
	for (size_t n = 1; n < 200; n += 3)
		want += (n + 7) / 8 * 8;
	assert_int_equal(zk_arena_used(a), want);

	/* Zero-size requests still give distinct, aligned pointers. */
	void *z1 = zk_arena_alloc(a, 0), *z2 = zk_arena_alloc(a, 0);
	assert_non_null(z1);
	assert_non_null(z2);
	assert_ptr_not_equal(z1, z2);
	zk_arena_free(a);
}

static void test_arena_big_and_reset(void **state)
{
	(void)state;
	zk_arena_t *a = zk_arena_new(1024);
	assert_non_null(a);

	char *small1 = zk_arena_alloc(a, 100);
	/* Larger than a chunk: its own block, and the current block keeps
	 * serving small requests right after small1. */
	char *big = zk_arena_alloc(a, 1 << 20);
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % 8, 0);
	memset(big, 0x5a, 1 << 20);
	char *small2 = zk_arena_alloc(a, 8);
	assert_ptr_equal(small2, small1 + 104);
	assert_int_equal(zk_arena_used(a), 104 + (1 << 20) + 8);

	/* memdup */
	const char msg[] = "hello, arena";
	char *d = zk_arena_memdup(a, msg, sizeof(msg));
	assert_non_null(d);
	assert_string_equal(d, msg);
	assert_ptr_not_equal(d, msg);

	/* Many allocations spill into new chunks. */
	for (int i = 0; i < 1000; i++) {
		int *p = zk_arena_alloc(a, sizeof(int) * 10);
		assert_non_null(p);
		p[9] = i;
	}

	/* Reset: nothing used, the first block is reused from its start. */
	zk_arena_reset(a);
	assert_int_equal(zk_arena_used(a), 0);
	char *again = zk_arena_alloc(a, 100);
	assert_ptr_equal(again, small1);
	zk_arena_reset(a);
	zk_arena_reset(a);
	assert_non_null(zk_arena_alloc(a, 5000));
	zk_arena_free(a);
	zk_arena_free(NULL);

	/* Default chunk size. */
	a = zk_arena_new(0);
	assert_non_null(a);
	char *p1 = zk_arena_alloc(a, 60000), *p2 = zk_arena_alloc(a, 5000);
	assert_non_null(p1);
	assert_non_null(p2);
	assert_ptr_equal(p2, p1 + 60000); /* 65000 of 65536 used */
	char *p3 = zk_arena_alloc(a, 1000);
	assert_non_null(p3);
	assert_true((uintptr_t)p3 < (uintptr_t)p1 || (uintptr_t)p3 >= (uintptr_t)p1 + 65536);
	zk_arena_free(a);

	/* An impossible size fails cleanly. */
	a = zk_arena_new(64);
	assert_null(zk_arena_alloc(a, SIZE_MAX - 3));
	assert_non_null(zk_arena_alloc(a, 8));
	zk_arena_free(a);
}

static void test_buf_growth(void **state)
{
	(void)state;
	zk_buf_t b;

	zk_buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	zk_buf_puts(&b, "");
	assert_non_null(b.data);
	assert_string_equal(b.data, "");

	/* Grow well past the first allocation, one byte at a time. */
	for (int i = 0; i < 10000; i++)
		zk_buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[10000], '\0');
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);

	zk_buf_trim(&b, 9990);
	assert_string_equal(b.data, "abcdefghij");
	zk_buf_trim(&b, 100);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");

	zk_buf_put(&b, "x\0y", 3); /* bytes, including a NUL */
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "x\0y", 4);

	/* room + advance */
	zk_buf_reset(&b);
	char *r = zk_buf_room(&b, 5);
	assert_non_null(r);
	memcpy(r, "12345", 5);
	assert_int_equal(b.len, 0);
	zk_buf_advance(&b, 3);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "123");

	/* A sticky error: later appends are no-ops; reset clears it. */
	b.err = ZK_ENOMEM;
	zk_buf_puts(&b, "more");
	zk_buf_printf(&b, "%d", 42);
	assert_int_equal(b.len, 3);
	assert_null(zk_buf_room(&b, 1));
	zk_buf_reset(&b);
	assert_int_equal(b.err, 0);
	zk_buf_puts(&b, "ok");
	assert_string_equal(b.data, "ok");
	zk_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void vwrap(zk_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vwrap(zk_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zk_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void test_buf_printf(void **state)
{
	(void)state;
	zk_buf_t b;
	char big[5000];

	zk_buf_init(&b);
	zk_buf_printf(&b, "%s=%u;", "ttl", 3600u);
	zk_buf_printf(&b, "%05d|%x", 42, 255u);
	assert_string_equal(b.data, "ttl=3600;00042|ff");
	assert_int_equal(b.len, strlen("ttl=3600;00042|ff"));

	/* Output larger than the free space: grows and retries. */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	zk_buf_printf(&b, "[%s]", big);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 17 + 2 + 4999);
	assert_int_equal(b.data[17], '[');
	assert_int_equal(b.data[17 + 1 + 4999], ']');
	assert_int_equal(b.data[b.len], '\0');

	zk_buf_reset(&b);
	vwrap(&b, "%s-%d", "v", -1);
	assert_string_equal(b.data, "v--1");
	zk_buf_printf(&b, "%s", "");
	assert_string_equal(b.data, "v--1");
	zk_buf_free(&b);
}

static void test_xmalloc(void **state)
{
	(void)state;
	char *s = zk_xstrdup("zkit");
	assert_string_equal(s, "zkit");
	s = zk_xrealloc(s, 100);
	assert_string_equal(s, "zkit");
	free(s);
	int *z = zk_xcalloc(10, sizeof(int));
	for (int i = 0; i < 10; i++)
		assert_int_equal(z[i], 0);
	free(z);
	void *p = zk_xmalloc(0);
	assert_non_null(p);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena_alignment), cmocka_unit_test(test_arena_big_and_reset),
	    cmocka_unit_test(test_buf_growth),      cmocka_unit_test(test_buf_printf),
	    cmocka_unit_test(test_xmalloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
