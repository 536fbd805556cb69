/* plusopt — dig-style "+option" matching for the tools' option tables:
 * "+name", "+noname", "+name=value", by exact name or by a unique prefix
 * ("+mul" is +multiline; "+a" is ambiguous when several names start so).
 *
 * A tool keeps its table as data (one row per option, the name the first
 * member or at a fixed offset) and passes it with its stride; what an
 * option does stays the tool's business. Nothing here prints. */
#ifndef ZK_PLUSOPT_H
#define ZK_PLUSOPT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct zk_plusopt_hit {
	size_t index;      /* the row found */
	bool on;           /* false for the "+no" form */
	const char *value; /* text after '=', or NULL */
} zk_plusopt_hit_t;

/* Find arg ("+name[=value]", the '+' optional) in table: n rows of
 * `stride` bytes, the row's name a `const char *` at byte offset
 * name_off. An exact name wins over prefixes; a name of the table that
 * itself starts with "no" wins over the "+no" form. Errors: ZK_ENOENT
 * (unknown: ec says "unknown option: ARG"), ZK_EINVAL (ambiguous: ec
 * lists the candidates, "ambiguous option: +a (matches: +all +answer)").
 * *hit is written only on success. */
int zk_plusopt_find(const char *arg, const void *table, size_t n, size_t stride, size_t name_off,
                    zk_plusopt_hit_t *hit, zk_errctx_t *ec);

#endif
