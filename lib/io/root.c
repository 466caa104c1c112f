/* SPDX-License-Identifier: MIT */
#include "io/root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/strv.h"

#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2_H 1
#endif

/* The kernel's bound on the symlinks one lookup follows (MAXSYMLINKS). */
#define WALK_MAX_LINKS 40
/* A path with one link's target spliced in. */
#define WALK_BUF (2 * PATH_MAX)

struct rootfs {
	int fd;
	char *path;
	bool openat2; /* false: the component walk (no openat2, or a seccomp filter) */
};

/*
 * Whether openat2 answers here: kernels before 5.6 say ENOSYS, container
 * runtimes' seccomp filters ENOSYS or EPERM. Asked once, with an open that
 * cannot fail otherwise.
 */
static bool have_openat2(int rootfd)
{
#ifdef HAVE_OPENAT2_H
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, rootfd, ".", &how, sizeof(how));

	if (fd >= 0) {
		close(fd);
		return true;
	}
#else
	(void)rootfd;
#endif
	return false;
}

int rootfs_new_opts(const char *root, unsigned flags, struct rootfs **out)
{
	struct rootfs *rfs;

	if (flags & ~ROOTFS_WALK)
		return -EINVAL;
	if (!root || !*root)
		root = "/";
	rfs = calloc(1, sizeof(*rfs));
	if (!rfs)
		return -ENOMEM;
	rfs->path = strdup(root);
	if (!rfs->path) {
		free(rfs);
		return -ENOMEM;
	}
	rfs->fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfs->fd < 0) {
		int r = -errno;

		free(rfs->path);
		free(rfs);
		return r;
	}
	rfs->openat2 = !(flags & ROOTFS_WALK) && have_openat2(rfs->fd);
	*out = rfs;
	return 0;
}

int rootfs_new(const char *root, struct rootfs **out)
{
	return rootfs_new_opts(root, 0, out);
}

void rootfs_free(struct rootfs *rfs)
{
	if (!rfs)
		return;
	close(rfs->fd);
	free(rfs->path);
	free(rfs);
}

const char *rootfs_path(const struct rootfs *rfs)
{
	return rfs->path;
}

bool rootfs_uses_openat2(const struct rootfs *rfs)
{
	return rfs->openat2;
}

const char *rootfs_strerror(int err)
{
	if (err == -EBADFD)
		return "not a regular file";
	/* RESOLVE_BENEATH's answer, and the walk's */
	if (err == -EXDEV)
		return "leads out of the directory it is read from";
	return strerror(-err);
}

/*
 * The directories a walk has entered: fd[0] is where it began (the root or
 * the caller's directory, not ours to close), then one O_PATH fd per
 * component. ".." pops one, so it never consults the filesystem and can
 * climb no higher than fd[0].
 */
struct walk {
	int *fd;
	size_t n, cap;
};

static int walk_push(struct walk *w, int fd)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		int *nfd = realloc(w->fd, cap * sizeof(*nfd));

		if (!nfd)
			return -ENOMEM;
		w->fd = nfd;
		w->cap = cap;
	}
	w->fd[w->n++] = fd;
	return 0;
}

static void walk_unwind(struct walk *w, size_t to)
{
	while (w->n > to)
		close(w->fd[--w->n]);
}

/*
 * If @name in @dir is a symlink, splice its target in front of @rest (in
 * @buf) and go back to the start for an absolute one. 0 when it was a
 * link; -EINVAL when it is not; -ELOOP after WALK_MAX_LINKS; -EXDEV when
 * an absolute link would leave a walk that must stay beneath its start.
 */
static int walk_link(struct walk *w, bool in_root, int dir, const char *name,
		     char *buf, const char **rest, unsigned *links)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dir, name, target, sizeof(target));
	size_t rlen;

	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	if (n == 0)
		return -ENOENT;
	if (++*links > WALK_MAX_LINKS)
		return -ELOOP;
	if (target[0] == '/') {
		if (!in_root)
			return -EXDEV;
		walk_unwind(w, 1);
	}
	/* @rest is "" or "/…": the target takes the link's place */
	rlen = strlen(*rest);
	if ((size_t)n + rlen + 1 > WALK_BUF)
		return -ENAMETOOLONG;
	memmove(buf + n, *rest, rlen + 1);
	memcpy(buf, target, (size_t)n);
	*rest = buf;
	return 0;
}

static bool fd_is_link(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
}

/*
 * openat2's RESOLVE_IN_ROOT (@in_root) or RESOLVE_BENEATH by hand, for
 * kernels and sandboxes without it: one component at a time, never
 * following a link by the kernel (O_NOFOLLOW), reading each link and
 * resolving its target inside the walk. ".." at the root stays there
 * (-EXDEV above a directory fd), an absolute target starts again at the
 * root (-EXDEV below a directory fd), and more than WALK_MAX_LINKS links
 * are -ELOOP.
 */
static int walk_open(struct rootfs *rfs, int dirfd, const char *path,
		     int flags, mode_t mode)
{
	bool in_root = dirfd == ROOTFS_TOP;
	bool follow = !(flags & (O_NOFOLLOW | O_CREAT));
	char buf[WALK_BUF], name[NAME_MAX + 1];
	struct walk w = { 0 };
	const char *p = buf;
	unsigned links = 0;
	int fd, r;

	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(buf, path);
	r = walk_push(&w, in_root ? rfs->fd : dirfd);
	while (r == 0) {
		const char *end;
		size_t len;
		int dir;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		len = (size_t)(end - p);
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		/* "" at the end ("dir/", or the start itself) opens the directory */
		memcpy(name, len ? p : ".", len ? len : 1);
		name[len ? len : 1] = '\0';
		p = end;
		if (strcmp(name, "..") == 0) {
			if (w.n > 1)
				walk_unwind(&w, w.n - 1);
			else if (!in_root)
				r = -EXDEV;
			strcpy(name, ".");
		}
		dir = w.fd[w.n - 1];
		if (r < 0 || (strcmp(name, ".") == 0 && *p))
			continue;
		if (*p) {
			fd = openat(dir, name,
				    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				r = walk_push(&w, fd);
				if (r < 0)
					close(fd);
				continue;
			}
			/* a link (ENOTDIR; ELOOP on some kernels) or a file */
			r = -errno;
			if (r == -ENOTDIR || r == -ELOOP) {
				r = walk_link(&w, in_root, dir, name, buf, &p,
					      &links);
				if (r == -EINVAL)
					r = -ENOTDIR;
			}
			continue;
		}
		fd = openat(dir, name, flags | O_NOFOLLOW, mode);
		/* O_PATH|O_NOFOLLOW opens a link itself */
		if (fd >= 0 && !(follow && (flags & O_PATH) && fd_is_link(fd))) {
			r = fd;
			break;
		}
		r = fd >= 0 ? -ELOOP : -errno;
		if (fd >= 0)
			close(fd);
		if (!follow || (r != -ELOOP && r != -ENOTDIR))
			break;
		fd = walk_link(&w, in_root, dir, name, buf, &p, &links);
		/* not a link after all: the open's own answer */
		if (fd != -EINVAL)
			r = fd;
	}
	walk_unwind(&w, 1);
	free(w.fd);
	return r;
}

/* systemd's convention: a directory, a link, anything else. */
static int fd_regular(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISREG(st.st_mode))
		return 0;
	return S_ISDIR(st.st_mode) ? -EISDIR :
	       S_ISLNK(st.st_mode) ? -ELOOP : -EBADFD;
}

static int open_mode(struct rootfs *rfs, int dirfd, const char *path,
		     int flags, mode_t mode)
{
	bool file = !(flags & (O_PATH | O_DIRECTORY));
	int fd, r;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	flags |= O_CLOEXEC;
	/* A FIFO must not block the open, nor a tty become ours. */
	if (file)
		flags |= O_NONBLOCK | O_NOCTTY;
#ifdef HAVE_OPENAT2_H
	if (rfs->openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.mode = flags & O_CREAT ? (uint64_t)mode : 0,
			.resolve = dirfd == ROOTFS_TOP ? RESOLVE_IN_ROOT
						       : RESOLVE_BENEATH,
		};

		fd = (int)syscall(SYS_openat2,
				  dirfd == ROOTFS_TOP ? rfs->fd : dirfd, path,
				  &how, sizeof(how));
		if (fd < 0)
			fd = -errno;
	} else
#endif
		fd = walk_open(rfs, dirfd, path, flags, mode);
	if (fd < 0 || !file)
		return fd;
	r = fd_regular(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int rootfs_open_outside(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = fd_regular(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int sriov_read_user_file(const char *path, size_t max, char **out, size_t *len)
{
	int fd = rootfs_open_outside(path), r;

	*out = NULL;
	if (fd < 0)
		return fd;
	r = rootfs_read_all(fd, max, out, len);
	close(fd);
	return r;
}

int rootfs_open(struct rootfs *rfs, int dirfd, const char *path, int flags)
{
	return open_mode(rfs, dirfd, path, flags & ~O_CREAT, 0);
}

int rootfs_create(struct rootfs *rfs, const char *path, int flags,
		  mode_t mode)
{
	struct stat st;
	int fd, r = 0;

	if (flags & (O_PATH | O_DIRECTORY | O_TRUNC))
		return -EINVAL;
	fd = open_mode(rfs, ROOTFS_TOP, path, flags | O_CREAT | O_NOFOLLOW,
		       mode);
	if (fd < 0)
		return fd;
	/* A second name (a hard link planted to another file) or another
	 * owner: not the file sriovctl made. */
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (st.st_nlink != 1)
		r = -EMLINK;
	else if (st.st_uid != geteuid())
		r = -EPERM;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}


int rootfs_mkdir(struct rootfs *rfs, const char *path, mode_t mode)
{
	const char *slash, *base;
	char parent[4096];
	int dfd, r = 0;

	while (*path == '/')
		path++;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base)
		return -EINVAL;
	if (slash) {
		if ((size_t)(slash - path) >= sizeof(parent))
			return -ENAMETOOLONG;
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
	} else {
		strcpy(parent, ".");
	}
	/* The parent is resolved inside the root, then one plain component. */
	dfd = rootfs_open(rfs, ROOTFS_TOP, parent, O_DIRECTORY | O_RDONLY);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, base, mode) < 0)
		r = -errno;
	close(dfd);
	return r;
}

int rootfs_open_dir(struct rootfs *rfs, int dirfd, const char *path)
{
	return rootfs_open(rfs, dirfd, path, O_PATH | O_DIRECTORY);
}

/*
 * Sysfs serves an attribute whole to the first read(2), so one read is
 * enough there; a file that fills @size is reported as too big. Prefix
 * reads (config space, procfs) loop until @size or end of file.
 */
static ssize_t read_fd(int fd, void *buf, size_t size, bool whole)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, (char *)buf + len, size - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (whole)
			return len == size ? -EFBIG : (ssize_t)len;
	}
	return (ssize_t)len;
}

int rootfs_read_all(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	*out = NULL;
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *nb;

			if (n > max) {
				free(buf);
				return -EFBIG;
			}
			cap = cap ? 2 * cap : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		return -EFBIG;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

static ssize_t read_path(struct rootfs *rfs, int dirfd, const char *path,
			 void *buf, size_t size, bool whole)
{
	ssize_t r;
	int fd;

	fd = rootfs_open(rfs, dirfd, path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return fd;
	r = read_fd(fd, buf, size, whole);
	close(fd);
	return r;
}

ssize_t rootfs_read(struct rootfs *rfs, int dirfd, const char *path,
		    void *buf, size_t size)
{
	return read_path(rfs, dirfd, path, buf, size, true);
}

ssize_t rootfs_read_prefix(struct rootfs *rfs, int dirfd, const char *path,
			   void *buf, size_t size)
{
	return read_path(rfs, dirfd, path, buf, size, false);
}

ssize_t rootfs_readlink(struct rootfs *rfs, int dirfd, const char *path,
			char *buf, size_t size)
{
	const char *slash;
	ssize_t n;
	int fd = -1;

	if (size < 2)
		return -ERANGE;
	while (*path == '/')
		path++;
	/*
	 * Resolve the parent directory inside the root, then read the link
	 * itself without following it.
	 */
	slash = strrchr(path, '/');
	if (slash) {
		char dir[4096];
		size_t dlen = (size_t)(slash - path);

		if (dlen >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
		fd = rootfs_open_dir(rfs, dirfd, dir);
		if (fd < 0)
			return fd;
		path = slash + 1;
	} else if (dirfd == ROOTFS_TOP) {
		dirfd = rfs->fd;
	}
	n = readlinkat(fd >= 0 ? fd : dirfd, path, buf, size - 1);
	if (n < 0)
		n = -errno;
	else if ((size_t)n >= size - 1)
		n = -ERANGE;
	else
		buf[n] = '\0';
	if (fd >= 0)
		close(fd);
	return n;
}

int rootfs_foreach(struct rootfs *rfs, int dirfd, const char *path,
		   int (*fn)(const char *name, void *data), void *data)
{
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	fd = rootfs_open(rfs, dirfd, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		r = fn(de->d_name, data);
		if (r)
			break;
	}
	if (!de && errno && r == 0)
		r = -errno;
	closedir(d);
	return r;
}

static int list_push(const char *name, void *data)
{
	return strv_push(data, name);
}

int rootfs_list(struct rootfs *rfs, int dirfd, const char *path,
		struct sriov_strv *out)
{
	struct sriov_strv sv = { 0 };
	int r = rootfs_foreach(rfs, dirfd, path, list_push, &sv);

	if (r < 0) {
		sriov_strv_clear(&sv);
		return r;
	}
	strv_sort(&sv);
	*out = sv;
	return 0;
}

bool rootfs_exists(struct rootfs *rfs, int dirfd, const char *path)
{
	int fd = rootfs_open(rfs, dirfd, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int rootfs_join(const char *base, const char *rel, char *out, size_t outsz)
{
	size_t len = 0;
	const char *p;

	if (outsz == 0)
		return -ERANGE;
	if (*rel == '/') {
		base = "";
	} else {
		len = strlen(base);
		while (len > 0 && base[len - 1] == '/')
			len--;
		if (len >= outsz)
			return -ERANGE;
		memcpy(out, base, len);
	}
	out[len] = '\0';
	for (p = rel; *p;) {
		const char *end = strchrnul(p, '/');
		size_t clen = (size_t)(end - p);

		if (clen == 0 || (clen == 1 && p[0] == '.')) {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (len == 0)
				return -EINVAL;
			slash = strrchr(out, '/');
			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
		} else {
			size_t need = len + (len ? 1 : 0) + clen;

			if (need >= outsz)
				return -ERANGE;
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, clen);
			len += clen;
			out[len] = '\0';
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int rootfs_write(struct rootfs *rfs, int dirfd, const char *path,
		 const void *buf, size_t len)
{
	ssize_t n;
	int fd, r = 0;

	/* O_TRUNC as the shell's ">" does: sysfs ignores it, a file in a
	 * generated tree needs it. Never through a link: attributes are
	 * files, a link where one should be is planted. */
	fd = rootfs_open(rfs, dirfd, path, O_WRONLY | O_TRUNC | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	/* sysfs reports some errors only at close. */
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	return r;
}
