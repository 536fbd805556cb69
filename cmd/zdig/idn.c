/* zdig — internationalised names (IDNA 2008 through libidn2, when built
 * with it): +idnin turns a name typed in Unicode into its xn-- form before
 * the query; +idnout prints xn-- names in Unicode. The wire never carries
 * anything but the ASCII form. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zdig.h"

#ifdef HAVE_IDN2
#include <idn2.h>

bool idn_available(void)
{
	return true;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

int idn_to_ascii(char *name, size_t cap, char *err, size_t errcap)
{
	char *out = NULL;
	int rc;

	if (!has_non_ascii(name))
		return 0;
	rc = idn2_to_ascii_8z(name, &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK) {
		snprintf(err, errcap, "'%s' is not a valid IDN name: %s", name, idn2_strerror(rc));
		return -1;
	}
	if (strlen(out) >= cap) {
		idn2_free(out);
		snprintf(err, errcap, "'%s': name too long", name);
		return -1;
	}
	strcpy(name, out);
	idn2_free(out);
	return 0;
}

/* Every white-space separated word holding "xn--" is converted as a name;
 * a word that does not convert is left as it is. +color's escapes
 * ("ESC [ ... m") separate words too and are copied as they are. */
void idn_output(zk_buf_t *b, size_t from)
{
	zk_buf_t t;
	size_t i = from;

	if (b->err || b->len <= from)
		return;
	zk_buf_init(&t);
	while (i < b->len) {
		size_t j = i;
		while (j < b->len && b->data[j] != ' ' && b->data[j] != '\t' &&
		       b->data[j] != '\n' && b->data[j] != '\033')
			j++;
		if (j > i) {
			char *w = strndup(b->data + i, j - i), *u = NULL;
			if (w != NULL && strstr(w, "xn--") != NULL &&
			    idn2_to_unicode_8z8z(w, &u, 0) == IDN2_OK) {
				zk_buf_puts(&t, u);
			} else {
				zk_buf_put(&t, b->data + i, j - i);
			}
			idn2_free(u);
			free(w);
		}
		if (j < b->len && b->data[j] == '\033') {
			size_t e = j;
			while (e < b->len && b->data[e] != 'm')
				e++;
			e = e < b->len ? e + 1 : e;
			zk_buf_put(&t, b->data + j, e - j);
			i = e;
			continue;
		}
		if (j < b->len)
			zk_buf_putc(&t, b->data[j]);
		i = j + 1;
	}
	if (!t.err) {
		zk_buf_trim(b, b->len - from);
		zk_buf_put(b, t.data, t.len);
	}
	zk_buf_free(&t);
}
#else
bool idn_available(void)
{
	return false;
}

int idn_to_ascii(char *name, size_t cap, char *err, size_t errcap)
{
	(void)name, (void)cap, (void)err, (void)errcap;
	return 0;
}

void idn_output(zk_buf_t *b, size_t from)
{
	(void)b, (void)from;
}
#endif
