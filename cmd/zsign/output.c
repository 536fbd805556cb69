/* zsign — the output file, written so that a crash, a kill -9 or a full
 * disk leaves the previous file as it was and no temporary file behind.
 *
 * Linux: the data goes to an unnamed file (O_TMPFILE) in the target's
 * directory, which the kernel removes if we die; only after fsync does it
 * get a name (linkat through /proc/self/fd) and is renamed over the
 * target, then the directory is fsync'd. Elsewhere, or when the file
 * system has no O_TMPFILE, a named temporary file is used and removed on
 * every error path we control. */
/* glibc declares O_TMPFILE (and linkat's AT_* use) only under
 * _GNU_SOURCE; without it the #ifdef below silently took the named
 * temporary file, which a kill -9 leaves behind. */
#define _GNU_SOURCE 1
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "crypto.h"
#include "zsign.h"

struct out {
	int fd;
	bool is_stdout;
	bool unnamed; /* O_TMPFILE */
	char *path;   /* the target */
	char *dir;
	char *tmp; /* named temporary file (fallback) */
};

static void set_err(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return zk_xstrdup(".");
	if (slash == path)
		return zk_xstrdup("/");
	d = zk_xmalloc((size_t)(slash - path) + 1);
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

/* A fresh name next to the target: .<base>.zsign-<random>. */
static char *tmp_name(const out_t *o)
{
	const char *base = strrchr(o->path, '/');
	uint8_t rnd[6];
	char *t;
	size_t n;

	base = base ? base + 1 : o->path;
	if (zk_random_bytes(rnd, sizeof(rnd)) != 0)
		memset(rnd, 0, sizeof(rnd));
	n = strlen(o->dir) + strlen(base) + 32;
	t = zk_xmalloc(n);
	snprintf(t, n, "%s/.%s.zsign-%02x%02x%02x%02x%02x%02x", o->dir, base, rnd[0], rnd[1],
	         rnd[2], rnd[3], rnd[4], rnd[5]);
	return t;
}

out_t *out_open(const char *path, char *err, size_t errlen)
{
	out_t *o = zk_xcalloc(1, sizeof(*o));

	if (strcmp(path, "-") == 0) {
		o->fd = 1;
		o->is_stdout = true;
		return o;
	}
	o->path = zk_xstrdup(path);
	o->dir = dir_of(path);
#ifdef O_TMPFILE
	o->fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (o->fd >= 0) {
		o->unnamed = true;
		return o;
	}
#endif
	o->tmp = tmp_name(o);
	o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (o->fd < 0) {
		set_err(err, errlen, "cannot create a temporary file in", o->dir);
		free(o->tmp);
		o->tmp = NULL;
		out_abort(o);
		return NULL;
	}
	return o;
}

int out_write(out_t *o, const void *p, size_t n, char *err, size_t errlen)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(o->fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			set_err(err, errlen, "cannot write", o->is_stdout ? "stdout" : o->path);
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int out_commit(out_t *o, char *err, size_t errlen)
{
	int rc = -1;

	if (o->is_stdout) {
		free(o);
		return 0;
	}
	if (fsync(o->fd) != 0) {
		set_err(err, errlen, "cannot write", o->path);
		goto done;
	}
	if (o->unnamed) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
		o->tmp = tmp_name(o);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) != 0) {
			set_err(err, errlen, "cannot name the output in", o->dir);
			free(o->tmp);
			o->tmp = NULL;
			goto done;
		}
	}
	/* Rename right after naming: the named temporary file exists only
	 * between the two calls (a kill -9 there leaves it behind). The data
	 * are synced already, so closing afterwards cannot lose them. */
	if (rename(o->tmp, o->path) != 0) {
		set_err(err, errlen, "cannot rename the output to", o->path);
		goto done;
	}
	free(o->tmp);
	o->tmp = NULL;
	if (close(o->fd) != 0) {
		o->fd = -1;
		set_err(err, errlen, "cannot write", o->path);
		goto done;
	}
	o->fd = -1;
	if (fsync_dir(o->dir) != 0) {
		set_err(err, errlen, "cannot sync directory", o->dir);
		goto done;
	}
	rc = 0;
done:
	out_abort(o);
	return rc;
}

void out_abort(out_t *o)
{
	if (o == NULL)
		return;
	if (o->is_stdout) {
		free(o);
		return;
	}
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->dir);
	free(o->path);
	free(o);
}
