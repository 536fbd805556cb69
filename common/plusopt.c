/* plusopt — "+option" matching with +no forms and unique prefixes. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "plusopt.h"

static const char *row_name(const void *table, size_t i, size_t stride, size_t name_off)
{
	const char *const *p = (const char *const *)((const char *)table + i * stride + name_off);
	return *p;
}

/* 1 and *index: one match (exact, or the only prefix); 0: none; -1:
 * several. */
static int lookup(const char *s, size_t len, const void *table, size_t n, size_t stride,
                  size_t name_off, size_t *index)
{
	size_t hits = 0, at = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = row_name(table, i, stride, name_off);
		if (strncmp(name, s, len) != 0)
			continue;
		if (name[len] == '\0') {
			*index = i;
			return 1;
		}
		hits++;
		at = i;
	}
	if (hits > 1)
		return -1;
	if (hits == 1)
		*index = at;
	return hits == 1 ? 1 : 0;
}

int zk_plusopt_find(const char *arg, const void *table, size_t n, size_t stride, size_t name_off,
                    zk_plusopt_hit_t *hit, zk_errctx_t *ec)
{
	const char *s = arg[0] == '+' ? arg + 1 : arg;
	const char *eq = strchr(s, '=');
	size_t len = eq != NULL ? (size_t)(eq - s) : strlen(s), index = 0;
	bool on = true;
	int r;

	r = lookup(s, len, table, n, stride, name_off, &index);
	if (r == 0 && len > 2 && strncmp(s, "no", 2) == 0) {
		on = false;
		s += 2;
		len -= 2;
		r = lookup(s, len, table, n, stride, name_off, &index);
	}
	if (r > 0) {
		hit->index = index;
		hit->on = on;
		hit->value = eq != NULL ? eq + 1 : NULL;
		return 0;
	}
	if (r == 0)
		return zk_error(ec, ZK_ENOENT, "unknown option: %s", arg);
	{
		char list[200];
		size_t k = 0;
		list[0] = '\0';
		for (size_t i = 0; i < n && k < sizeof(list); i++) {
			const char *name = row_name(table, i, stride, name_off);
			if (strncmp(name, s, len) == 0)
				k += (size_t)snprintf(list + k, sizeof(list) - k, " +%s", name);
		}
		return zk_error(ec, ZK_EINVAL, "ambiguous option: %s (matches:%s)", arg, list);
	}
}
