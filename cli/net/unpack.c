// SPDX-License-Identifier: MIT
/*
 * Every name is cleaned and judged by us before anything touches the disk, and the disk
 * is then written through openat() one component at a time with O_NOFOLLOW, so even a
 * name that slipped past the lexical checks cannot leave the staging folder or write
 * through a link. (archive_write_disk's ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS cannot be
 * combined with a staging folder without chdir(), which a library must not do.)
 */
#include "unpack.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "fdio.h"
#include "hex.h"
#include "fsutil.h"
#include "interrupt.h"

/* Names longer or deeper than this are refused: no real package or kernel tree
 * comes close, and path-length bombs (thousands of nested folders) stay out. */
#define NAME_MAX_BYTES 1024
#define NAME_MAX_DEPTH 64

enum kind { K_FILE, K_DIR, K_SYMLINK, K_HARDLINK };

struct entry {
	char name[NAME_MAX_BYTES + 1];  /* cleaned, relative, stripped */
	char link[NAME_MAX_BYTES + 1];  /* symlink target (verbatim) or hardlink (cleaned) */
	enum kind kind;
	int64_t size;
	bool size_set;                  /* the header declares it (zip may say it after) */
	unsigned mode;
};

/* Reads of the archive: 1 MiB, a 256 MiB package in 256 syscalls, memory still flat. */
#define READ_BLOCK (1u << 20)

struct reader {
	struct archive *a;
	const char *path;
	const struct unpack_opts *o;
	unsigned count;
	unsigned max_entries;
	uint64_t max_size, max_total;
	uint64_t declared;       /* sizes the headers declared so far */
	uint64_t written;        /* data bytes produced so far */
	/* The one descriptor everything is read from, and the digest of what was read. */
	int fd;
	unsigned char *buf;      /* two READ_BLOCKs, read into in turn (see read_block) */
	int cur;                 /* the half read last */
	size_t len[2];
	uint64_t consumed;
	struct digest_stream d;
	bool hashing;
};

static int unsafe(struct reader *r, const char *entry, const char *why, struct error *e)
{
	return error_set(e, ERR_UNSAFE_ARCHIVE, "%s: unsafe entry '%.300s': %s; nothing was "
			 "extracted (get the package from its official source)", r->path, entry,
			 why);
}

/*
 * Turns a raw member name into a clean relative path in out: "\" read as "/" for zip,
 * %XX decoded for OPC names, "." and empty components dropped, strip_components
 * applied. Returns 1 when the entry is stripped away entirely, 0 when clean, -1 unsafe.
 */
static int clean_name(struct reader *r, const char *raw, bool zip, char *out,
		      struct error *e)
{
	char buf[NAME_MAX_BYTES * 3 + 1];
	size_t n = 0, depth = 0, o = 0;
	unsigned skip = r->o->strip_components;
	char *save = NULL, *comp;

	if (strlen(raw) >= sizeof(buf))
		return unsafe(r, raw, "name too long", e);
	for (const char *p = raw; *p; p++) {
		char ch = *p;

		if (r->o->percent_decode && ch == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			ch = (char)(hexval(p[1]) << 4 | hexval(p[2]));
			p += 2;
			if (!ch)
				return unsafe(r, raw, "encoded NUL byte in the name", e);
		}
		if (zip && ch == '\\')
			ch = '/';
		buf[n++] = ch;
	}
	buf[n] = '\0';
	if (n == 0)
		return unsafe(r, raw, "empty name", e);
	if (buf[0] == '/')
		return unsafe(r, raw, "absolute path", e);
	/* A Windows drive ("C:/x") is absolute for the tool that made the zip. */
	if (zip && n >= 2 && buf[1] == ':')
		return unsafe(r, raw, "absolute Windows path", e);
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		size_t cl = strlen(comp);

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, ".."))
			return unsafe(r, raw, "'..' path component", e);
		if (skip) {
			skip--;
			continue;
		}
		if (++depth > NAME_MAX_DEPTH)
			return unsafe(r, raw, "more than 64 nested folders", e);
		if (o + cl + 1 > NAME_MAX_BYTES)
			return unsafe(r, raw, "name too long", e);
		if (o)
			out[o++] = '/';
		memcpy(out + o, comp, cl);
		o += cl;
	}
	out[o] = '\0';
	return o == 0 ? 1 : 0;
}

/*
 * A symlink target must be relative, and its ".." components must all come first and
 * not climb above the staging folder ("../../include/dt", as kernel trees have). A ".."
 * after a name is refused: that name may itself be a link ("l/.." where l -> ".."
 * escapes although it looks inside). Since every folder an entry is written to is a
 * real one, leading ".." land on a real folder inside, and each name after them is a
 * real folder or another link that obeys the same rule.
 */
static bool link_stays_inside(const char *name, const char *target)
{
	long depth = 0;
	bool descended = false;
	const char *p;

	if (target[0] == '/' || target[0] == '\0')
		return false;
	for (p = name; *p; p++)
		if (*p == '/')
			depth++;
	for (p = target; *p;) {
		size_t cl = strcspn(p, "/");

		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			if (descended || --depth < 0)
				return false;
		} else if (cl && !(cl == 1 && p[0] == '.')) {
			descended = true;
		}
		p += cl;
		while (*p == '/')
			p++;
	}
	return true;
}

/* The first component of NAME is the caller's reserved name. */
static bool reserved(const struct reader *r, const char *name)
{
	size_t n = strcspn(name, "/");

	return r->o->reserved && strlen(r->o->reserved) == n &&
	       !strncmp(name, r->o->reserved, n);
}

static int over_total(struct reader *r, const char *entry, struct error *e)
{
	char why[96];

	snprintf(why, sizeof(why), "the archive holds more than %llu MiB in all",
		 (unsigned long long)(r->max_total >> 20));
	return unsafe(r, entry, why, e);
}

/*
 * Reads the next header and judges it. Returns 1 with *ent filled, 2 for an entry to
 * skip (stripped away), 0 at the end, -1 on error.
 */
static int next_entry(struct reader *r, struct entry *ent, struct error *e)
{
	struct archive_entry *ae;
	const char *raw, *hl, *sl;
	bool zip;
	int rc;

	if (interrupt_check(e) < 0)
		return -1;
	rc = archive_read_next_header(r->a, &ae);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc < ARCHIVE_WARN)
		return interrupt_check(e) < 0 ? -1 :
		       error_set(e, ERR_INVALID_FILE, "%s: not a readable archive: %s", r->path,
				 archive_error_string(r->a));
	if (++r->count > r->max_entries) {
		char why[64];

		snprintf(why, sizeof(why), "the archive has more than %u entries", r->max_entries);
		return unsafe(r, archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "?",
			      why, e);
	}
	zip = (archive_format(r->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
	raw = archive_entry_pathname_utf8(ae);
	if (!raw)
		raw = archive_entry_pathname(ae);
	if (!raw)
		return unsafe(r, "?", "entry without a name", e);
	if (archive_entry_is_encrypted(ae))
		return error_set(e, ERR_INVALID_FILE, "%s: entry '%s' is encrypted", r->path, raw);
	rc = clean_name(r, raw, zip, ent->name, e);
	if (rc < 0)
		return -1;
	if (rc == 0 && reserved(r, ent->name))
		return unsafe(r, raw, "the name is reserved for wslctl's own marker", e);
	/* Packages and source trees have no sparse files: a sparse map only serves to
	 * declare a size far beyond the data stored (a 4 GiB kernel from 203 bytes). */
	if (archive_entry_sparse_count(ae) > 0)
		return unsafe(r, raw, "sparse entry (a declared size beyond its data)", e);
	ent->size_set = archive_entry_size_is_set(ae);
	ent->size = ent->size_set ? archive_entry_size(ae) : 0;
	ent->mode = archive_entry_perm(ae);
	ent->link[0] = '\0';
	hl = archive_entry_hardlink(ae);
	sl = archive_entry_symlink(ae);
	if (hl) {
		if (!r->o->allow_internal_links)
			return unsafe(r, raw, "hard link", e);
		int hr = clean_name(r, hl, zip, ent->link, e);

		if (hr < 0)
			return -1;
		if (hr > 0)
			return unsafe(r, raw, "hard link to nothing", e);
		ent->kind = K_HARDLINK;
	} else {
		switch (archive_entry_filetype(ae)) {
		case AE_IFREG:
			ent->kind = K_FILE;
			break;
		case AE_IFDIR:
			ent->kind = K_DIR;
			break;
		case AE_IFLNK:
			if (!r->o->allow_internal_links)
				return unsafe(r, raw, "symbolic link", e);
			if (!sl || !link_stays_inside(ent->name, sl))
				return unsafe(r, raw, "symbolic link pointing outside the folder", e);
			snprintf(ent->link, sizeof(ent->link), "%s", sl);
			ent->kind = K_SYMLINK;
			break;
		case AE_IFCHR:
		case AE_IFBLK:
			return unsafe(r, raw, "device node", e);
		case AE_IFIFO:
			return unsafe(r, raw, "named pipe", e);
		case AE_IFSOCK:
			return unsafe(r, raw, "socket", e);
		default:
			return unsafe(r, raw, "unknown entry type", e);
		}
	}
	if (ent->size < 0 || (uint64_t)ent->size > r->max_size)
		return unsafe(r, raw, "entry over the size limit", e);
	if (ent->kind == K_FILE) {
		r->declared += (uint64_t)ent->size;
		if (r->declared > r->max_total)
			return over_total(r, raw, e);
	}
	return rc == 1 ? 2 : 1;
}

static void reader_close(struct reader *r);

/*
 * The next block of the file, hashed, into the half of r->buf not read last: the last
 * two blocks stay in memory (libarchive keeps using the one it was given until it asks
 * for more; zip_links reads the central directory from the tail).
 */
static ssize_t read_block(struct reader *r, const void **out)
{
	int next = r->cur ^ 1;
	unsigned char *b = r->buf + (size_t)next * READ_BLOCK;
	ssize_t n;

	while ((n = read(r->fd, b, READ_BLOCK)) < 0 && errno == EINTR && !interrupt_pending())
		;
	*out = b;
	if (n <= 0)
		return n;
	r->cur = next;
	r->len[next] = (size_t)n;
	if (r->hashing)
		digest_stream_update(&r->d, b, (size_t)n);
	r->consumed += (uint64_t)n;
	return n;
}

/* libarchive's read callback: the next block of the file, hashed as it is handed over. */
static la_ssize_t on_read(struct archive *a, void *ud, const void **out)
{
	struct reader *r = ud;
	ssize_t n = read_block(r, out);

	if (n < 0) {
		if (a) /* NULL from unpack_copy */
			archive_set_error(a, errno, "reading: %s", strerror(errno));
		return -1;
	}
	return n;
}

/* Opens PATH (a regular file, never blocking on a FIFO) and starts its digest. */
static int source_open(struct reader *r, const char *path, const struct unpack_opts *o,
		       struct error *e)
{
	static const struct unpack_opts defaults;
	unsigned algs;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->path = path;
	r->o = o ? o : &defaults;
	r->max_entries = r->o->max_entries ? r->o->max_entries : UNPACK_MAX_ENTRIES;
	r->max_size = r->o->max_entry_size ? r->o->max_entry_size : UNPACK_MAX_ENTRY_SIZE;
	r->max_total = r->o->max_total ? r->o->max_total : UNPACK_MAX_TOTAL;
	r->fd = open_regular(path, SIZE_MAX, e);
	if (r->fd < 0)
		return errno == ENOENT ? error_set(e, ERR_NOT_FOUND, "%s: %s", path,
						   strerror(ENOENT)) : -1;
	if (fcntl(r->fd, F_SETFL, 0) < 0) { /* reads below block as usual */
		close(r->fd);
		r->fd = -1;
		return error_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	}
	algs = r->o->algs | digest_flag(r->o->want);
	r->buf = malloc(2 * READ_BLOCK);
	if (!r->buf || (algs && digest_stream_init(&r->d, algs, e) < 0)) {
		if (!r->buf)
			error_set(e, ERR_IO, "out of memory");
		free(r->buf);
		r->buf = NULL;
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	r->hashing = algs != 0;
	return 0;
}

/*
 * Only the compressions a package or source tarball comes in (kpkg.c's extensions), each
 * built into libarchive: filter_all would also hand bytes nobody has verified yet to
 * external programs (lrzip, grzip, lzop...) found on PATH. ARCHIVE_WARN means this
 * libarchive would run such a program for one of ours: refused.
 */
static int support_filters(struct archive *a, const char *path, struct error *e)
{
	static const struct {
		const char *name;
		int (*add)(struct archive *);
	} filters[] = {
		{ "gzip", archive_read_support_filter_gzip },
		{ "xz", archive_read_support_filter_xz },
		{ "zstd", archive_read_support_filter_zstd },
		{ "bzip2", archive_read_support_filter_bzip2 },
	};

	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (filters[i].add(a) != ARCHIVE_OK)
			return error_set(e, ERR_IO, "%s: this libarchive has no built-in %s "
					 "support and would run an external program: refusing "
					 "(install a libarchive built with it)", path,
					 filters[i].name);
	return 0;
}

static int reader_open(struct reader *r, const char *path, const struct unpack_opts *o,
		       struct error *e)
{
	if (source_open(r, path, o, e) < 0)
		return -1;
	r->a = archive_read_new();
	if (!r->a) {
		reader_close(r);
		return error_set(e, ERR_IO, "out of memory");
	}
	if (support_filters(r->a, path, e) < 0) {
		reader_close(r);
		return -1;
	}
	archive_read_support_format_zip(r->a);
	archive_read_support_format_tar(r->a);
	archive_read_support_format_gnutar(r->a);
	/* No seek or skip callback: libarchive reads the file once, front to back, and
	 * every byte it sees passes on_read's digest. */
	if (archive_read_open(r->a, r, NULL, on_read, NULL) != ARCHIVE_OK) {
		if (interrupt_check(e) == 0)
			error_set(e, ERR_INVALID_FILE, "%s: %s", path,
				  archive_error_string(r->a));
		reader_close(r);
		return -1;
	}
	return 0;
}

static void reader_close(struct reader *r)
{
	if (r->a)
		archive_read_free(r->a);
	r->a = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->buf);
	r->buf = NULL;
	digest_stream_free(&r->d);
	r->hashing = false;
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

/*
 * The last bytes of the file (up to two blocks), in order, in r->buf itself: the reader
 * is done with it, and a copy would add two blocks to the peak memory (BENCH.md's RSS).
 */
static unsigned char *tail_of(struct reader *r, size_t *n)
{
	unsigned char tmp[64 * 1024];
	size_t len;

	if (r->consumed <= r->len[r->cur]) {
		*n = r->len[r->cur];
		return r->buf + (size_t)r->cur * READ_BLOCK;
	}
	if (r->cur == 0) { /* the last block is in front: swap the halves */
		for (size_t k = 0; k < READ_BLOCK; k += sizeof(tmp)) {
			memcpy(tmp, r->buf + k, sizeof(tmp));
			memcpy(r->buf + k, r->buf + READ_BLOCK + k, sizeof(tmp));
			memcpy(r->buf + READ_BLOCK + k, tmp, sizeof(tmp));
		}
		len = r->len[0];
		r->len[0] = r->len[1];
		r->len[1] = len;
		r->cur = 1;
	}
	/* A short read before the last one leaves a gap: close it. */
	if (r->len[0] < READ_BLOCK)
		memmove(r->buf + r->len[0], r->buf + READ_BLOCK, r->len[1]);
	*n = r->len[0] + r->len[1];
	return r->buf;
}

/* Judges the central directory's records in CD[0..size): links are refused. */
static int cd_records(struct reader *r, const unsigned char *cd, size_t size, struct error *e)
{
	for (size_t i = 0; i + 46 <= size;) {
		const unsigned char *p = cd + i;
		size_t nl = le16(p + 28), len = 46 + nl + le16(p + 30) + le16(p + 32);
		char name[NAME_MAX_BYTES + 1];

		if (le32(p) != 0x02014b50u || i + len > size)
			return unsafe(r, "?", "a damaged central directory", e);
		/* Made on Unix (host 3): the mode above the DOS attributes. A file type other
		 * than a plain file or a folder (0: none given) is a link, device, FIFO or
		 * socket. */
		unsigned type = le32(p + 38) >> 16 & 0170000;

		if (p[5] == 3 && type && type != 0100000 && type != 0040000) {
			snprintf(name, sizeof(name), "%.*s", (int)(nl < NAME_MAX_BYTES ? nl : NAME_MAX_BYTES),
				 (const char *)p + 46);
			return unsafe(r, name, type == 0120000 ? "symbolic link" :
				      "a device, FIFO or socket", e);
		}
		i += len;
	}
	return 0;
}

/*
 * Zip keeps a link's type only in its central directory, which the stream reader never
 * consults: read from the file's last bytes (hashed like the rest), links are refused
 * where the caller allows none. The directory must lie within those bytes (1 MiB at
 * least: ~10,000 entries of ordinary names).
 */
static int zip_links(struct reader *r, struct error *e)
{
	unsigned char *t;
	size_t n, i, end;
	uint64_t size;
	int rc = 0;

	if (!r->a || r->o->allow_internal_links || r->count == 0 ||
	    (archive_format(r->a) & ARCHIVE_FORMAT_BASE_MASK) != ARCHIVE_FORMAT_ZIP)
		return 0;
	t = tail_of(r, &n);
	/* The end record: 22 bytes and a comment of up to 64 KiB, last in the file. */
	for (i = n >= 22 ? n - 22 : 0; n >= 22 && le32(t + i) != 0x06054b50u; i--)
		if (i == 0 || n - i >= 22 + 65535) {
			n = 0;
			break;
		}
	if (n < 22)
		return unsafe(r, r->path, "no central directory at the end", e);
	end = i;
	size = le32(t + i + 12);
	/* Zip64: a 56-byte end record and a 20-byte locator come before it. */
	if (i >= 76 && le32(t + i - 20) == 0x07064b50u) {
		end = i - 76;
		size = (uint64_t)le32(t + end + 40) | (uint64_t)le32(t + end + 44) << 32;
		if (le32(t + end) != 0x06064b50u)
			rc = unsafe(r, r->path, "a damaged zip64 end record", e);
	}
	if (!rc && size > end)
		rc = unsafe(r, r->path, "a central directory over 1 MiB", e);
	if (!rc)
		rc = cd_records(r, t + end - size, (size_t)size, e);
	return rc;
}

/*
 * The archive was read to its end: the bytes after it (zip's central directory, tar's
 * padding) join the digest, which must be the one wanted. Reports it in o->digest.
 */
static int reader_finish(struct reader *r, struct error *e)
{
	struct digest_result got;
	const void *ignored;
	ssize_t n;

	while ((n = read_block(r, &ignored)) != 0)
		if (n < 0)
			return interrupt_check(e) < 0 ? -1 :
			       error_set(e, ERR_IO, "reading %s: %s", r->path, strerror(errno));
	if (zip_links(r, e) < 0)
		return -1;
	if (!r->hashing)
		return 0;
	r->hashing = false;
	if (digest_stream_final(&r->d, &got, e) < 0)
		return -1;
	if (r->o->want && r->o->want->alg != DIGEST_NONE &&
	    digest_check(r->o->want, &got, r->path, e) < 0)
		return error_wrap(e, "%s does not have the digest wanted (not the file "
				  "published, or changed on disk); nothing extracted from it was "
				  "kept", r->path);
	if (r->o->digest)
		*r->o->digest = got;
	return 0;
}

/* Dirty bytes of a member after which its writeback is started (see copy_data). */
#define WRITEBACK_CHUNK (8u << 20)

/* One more block of LEN bytes written: within the total and the expansion ratio. */
static int count_written(struct reader *r, const char *entry, size_t len, struct error *e)
{
	char why[96];

	r->written += len;
	if (r->written > r->max_total)
		return over_total(r, entry, e);
	if (r->written > UNPACK_RATIO_FLOOR &&
	    r->written / UNPACK_MAX_RATIO > r->consumed) {
		snprintf(why, sizeof(why), "the archive expands more than %u times",
			 UNPACK_MAX_RATIO);
		return unsafe(r, entry, why, e);
	}
	return interrupt_check(e);
}

/*
 * Copies the entry's data to fd, hashing it into D (when not NULL). The data must come
 * in order, without holes, and be as long as the header said. WRITEBACK (for files
 * fsynced next): start writing each WRITEBACK_CHUNK to disk while the rest is
 * extracted, so the fsync that follows only waits for the tail. It is only a hint; that
 * fsync still decides durability and reports the errors.
 */
static int copy_data(struct reader *r, const struct entry *ent, int fd, const char *dest,
		     struct digest_stream *d, bool writeback, uint64_t *written,
		     struct error *e)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	uint64_t end = 0, kicked = 0;
	int rc;

	while ((rc = archive_read_data_block(r->a, &buf, &len, &off)) == ARCHIVE_OK) {
		if (off < 0 || (uint64_t)off != end)
			return unsafe(r, ent->name, "data with holes (sparse)", e);
		if (end + len > r->max_size || (ent->size_set && end + len > (uint64_t)ent->size))
			return unsafe(r, ent->name, "data beyond the declared size", e);
		if (count_written(r, ent->name, len, e) < 0)
			return -1;
		if (d)
			digest_stream_update(d, buf, len);
		if (write_all(fd, buf, len) < 0)
			return error_set(e, ERR_IO, "writing %s: %s", dest, strerror(errno));
		end += len;
		if (writeback && end - kicked >= WRITEBACK_CHUNK) {
			sync_file_range(fd, (off_t)kicked, (off_t)(end - kicked),
					SYNC_FILE_RANGE_WRITE);
			kicked = end;
		}
	}
	if (rc != ARCHIVE_EOF)
		return interrupt_check(e) < 0 ? -1 :
		       error_set(e, ERR_INVALID_FILE, "%s: entry '%s': %s", r->path, ent->name,
				 archive_error_string(r->a));
	if (ent->size_set && end != (uint64_t)ent->size)
		return unsafe(r, ent->name, "less data than the declared size", e);
	*written = end;
	return 0;
}

/* ---- unpack_list ---- */

int unpack_list(const char *archive, const struct unpack_opts *o,
		int (*cb)(const char *name, uint64_t size, void *arg), void *arg,
		struct error *e)
{
	struct reader r;
	struct entry ent;
	int rc;

	if (reader_open(&r, archive, o, e) < 0)
		return -1;
	while ((rc = next_entry(&r, &ent, e)) > 0) {
		if (rc == 2)
			continue;
		if (cb(ent.name, (uint64_t)ent.size, arg) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = reader_finish(&r, e);
	reader_close(&r);
	return rc < 0 ? -1 : 0;
}

/* ---- unpack_all ---- */

/*
 * Opens the folder that holds `rel` below rootfd, creating missing folders, never
 * following a symlink. *leaf points into rel at the last component.
 */
static int open_parent(struct reader *r, int rootfd, char *rel, const char **leaf,
		       struct error *e)
{
	int fd = dup(rootfd);
	char *p = rel, *slash;

	if (fd < 0)
		return error_set(e, ERR_IO, "dup: %s", strerror(errno));
	while ((slash = strchr(p, '/'))) {
		int next;

		*slash = '\0';
		if (mkdirat(fd, p, 0755) < 0 && errno != EEXIST) {
			error_set(e, ERR_IO, "creating folder %s: %s", rel, strerror(errno));
			*slash = '/';
			close(fd);
			return -1;
		}
		next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		close(fd);
		if (next < 0) {
			if (errno == ELOOP || errno == ENOTDIR)
				return unsafe(r, rel, "a path through a link or a file", e);
			return error_set(e, ERR_IO, "opening folder for %s: %s", rel,
					 strerror(errno));
		}
		fd = next;
		p = slash + 1;
	}
	*leaf = p;
	return fd;
}

static int extract_one(struct reader *r, int rootfd, struct entry *ent, struct error *e)
{
	char rel[sizeof(ent->name)];
	const char *leaf;
	int dfd, fd, rc = 0;
	uint64_t written;

	snprintf(rel, sizeof(rel), "%s", ent->name);
	dfd = open_parent(r, rootfd, rel, &leaf, e);
	if (dfd < 0)
		return -1;
	switch (ent->kind) {
	case K_DIR:
		if (mkdirat(dfd, leaf, 0755) < 0 && errno != EEXIST)
			rc = error_set(e, ERR_IO, "creating folder %s: %s", ent->name,
				       strerror(errno));
		break;
	case K_SYMLINK:
		if (symlinkat(ent->link, dfd, leaf) < 0)
			rc = errno == EEXIST ? unsafe(r, ent->name, "the name appears twice", e) :
			     error_set(e, ERR_IO, "creating link %s: %s", ent->name, strerror(errno));
		break;
	case K_HARDLINK: {
		char trel[sizeof(ent->link)];
		const char *tleaf;
		int tfd;

		snprintf(trel, sizeof(trel), "%s", ent->link);
		tfd = open_parent(r, rootfd, trel, &tleaf, e);
		if (tfd < 0) {
			rc = -1;
			break;
		}
		if (linkat(tfd, tleaf, dfd, leaf, 0) < 0)
			rc = errno == EEXIST ? unsafe(r, ent->name, "the name appears twice", e) :
			     unsafe(r, ent->name, "hard link to an entry not extracted before it", e);
		close(tfd);
		break;
	}
	case K_FILE:
		fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    ent->mode & 0111 ? 0755 : 0644);
		if (fd < 0) {
			rc = errno == EEXIST ? unsafe(r, ent->name, "the name appears twice", e) :
			     error_set(e, ERR_IO, "creating %s: %s", ent->name, strerror(errno));
			break;
		}
		rc = copy_data(r, ent, fd, ent->name, NULL, false, &written, e);
		if (close(fd) < 0 && !rc)
			rc = error_set(e, ERR_IO, "writing %s: %s", ent->name, strerror(errno));
		break;
	}
	close(dfd);
	return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

/* Judges every header without writing anything (the data is read past, not hashed). */
static int check_all(const char *archive, const struct unpack_opts *o, struct error *e)
{
	struct unpack_opts plain = *o;
	struct reader r;
	struct entry ent;
	int rc;

	plain.want = NULL;
	plain.algs = 0;
	plain.digest = NULL;
	if (reader_open(&r, archive, &plain, e) < 0)
		return -1;
	while ((rc = next_entry(&r, &ent, e)) > 0)
		;
	reader_close(&r);
	return rc;
}

int unpack_all(const char *archive, const char *staging, const struct unpack_opts *o,
	       struct error *e)
{
	struct reader r;
	struct entry ent;
	int rootfd, rc;

	/* A first pass over the headers, so a hostile archive leaves no trace at all
	 * (not 10,000 files written and removed again); the second pass checks again. */
	if (!(o && o->checked) && check_all(archive, o ? o : &(struct unpack_opts){ 0 }, e) < 0)
		return -1;
	rootfd = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return error_set(e, ERR_IO, "staging folder %s: %s", staging, strerror(errno));
	if (reader_open(&r, archive, o, e) < 0) {
		close(rootfd);
		return -1;
	}
	while ((rc = next_entry(&r, &ent, e)) > 0) {
		if (rc == 2)
			continue;
		if (extract_one(&r, rootfd, &ent, e) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = reader_finish(&r, e);
	reader_close(&r);
	close(rootfd);
	if (rc < 0)
		nftw(staging, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc < 0 ? -1 : 0;
}

/* ---- unpack_members ---- */

static int part_path(const char *dest, char *buf, size_t n, struct error *e)
{
	if ((size_t)snprintf(buf, n, "%s.part", dest) >= n)
		return error_set(e, ERR_IO, "%s: path too long", dest);
	return 0;
}

static int fsync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_member(struct reader *r, struct entry *ent, struct unpack_member *m,
			struct error *e)
{
	char part[PATH_MAX];
	struct digest_stream d;
	int fd, rc;

	if (part_path(m->dest, part, sizeof(part), e) < 0)
		return -1;
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_set(e, ERR_IO, "creating %s: %s", part, strerror(errno));
	if (digest_stream_init(&d, m->algs, e) < 0) {
		close(fd);
		return -1;
	}
	rc = copy_data(r, ent, fd, part, &d, true, &m->size, e);
	if (!rc && fsync(fd) < 0)
		rc = error_set(e, ERR_IO, "writing %s: %s", part, strerror(errno));
	if (close(fd) < 0 && !rc)
		rc = error_set(e, ERR_IO, "writing %s: %s", part, strerror(errno));
	if (!rc)
		rc = digest_stream_final(&d, &m->digest, e);
	else
		digest_stream_free(&d);
	m->found = true;
	return rc;
}

static void drop_parts(struct unpack_member *m, size_t n)
{
	char part[PATH_MAX];

	for (size_t i = 0; i < n; i++)
		if (m[i].found && snprintf(part, sizeof(part), "%s.part", m[i].dest) <
		    (int)sizeof(part))
			unlink(part);
}

int unpack_members(const char *archive, struct unpack_member *m, size_t n,
		   const struct unpack_opts *o, struct error *e)
{
	struct reader r;
	struct entry ent;
	int rc;

	for (size_t i = 0; i < n; i++) {
		m[i].found = false;
		m[i].size = 0;
		memset(&m[i].digest, 0, sizeof(m[i].digest));
	}
	if (reader_open(&r, archive, o, e) < 0)
		return -1;
	while ((rc = next_entry(&r, &ent, e)) > 0) {
		if (rc == 2 || ent.kind != K_FILE)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(ent.name, m[i].name))
				continue;
			if (m[i].found)
				rc = unsafe(&r, ent.name, "the name appears twice", e);
			else
				rc = write_member(&r, &ent, &m[i], e);
			break;
		}
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = reader_finish(&r, e);
	reader_close(&r);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if (!m[i].found && !m[i].optional)
			rc = error_set(e, ERR_NOT_FOUND, "%s: the package has no '%s'", archive,
				       m[i].name);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		char part[PATH_MAX];

		if (!m[i].found)
			continue;
		snprintf(part, sizeof(part), "%s.part", m[i].dest);
		if (rename(part, m[i].dest) < 0) {
			rc = error_set(e, ERR_IO, "renaming %s to %s: %s", part, m[i].dest,
				       strerror(errno));
			break;
		}
		fsync_parent(m[i].dest);
	}
	if (rc < 0) {
		drop_parts(m, n);
		return -1;
	}
	return 0;
}

/* ---- unpack_copy ---- */

/* Copies R's file to the open FD in one pass (hashed by on_read), within R's size limit. */
static int copy_plain(struct reader *r, int fd, const char *part, struct error *e)
{
	const void *buf;
	la_ssize_t n;

	while ((n = on_read(NULL, r, &buf)) > 0) {
		if (r->consumed > r->max_size)
			return unsafe(r, r->path, "file over the size limit", e);
		if (write_all(fd, buf, (size_t)n) < 0)
			return error_set(e, ERR_IO, "writing %s: %s", part, strerror(errno));
		if (interrupt_check(e) < 0)
			return -1;
	}
	if (n < 0)
		return interrupt_check(e) < 0 ? -1 :
		       error_set(e, ERR_IO, "reading %s: %s", r->path, strerror(errno));
	return fsync(fd) < 0 ? error_set(e, ERR_IO, "writing %s: %s", part, strerror(errno)) : 0;
}

int unpack_copy(const char *file, const char *dest, const struct unpack_opts *o,
		struct error *e)
{
	char part[PATH_MAX];
	struct reader r;
	int fd, rc;

	if (part_path(dest, part, sizeof(part), e) < 0 || source_open(&r, file, o, e) < 0)
		return -1;
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		reader_close(&r);
		return error_set(e, ERR_IO, "creating %s: %s", part, strerror(errno));
	}
	rc = copy_plain(&r, fd, part, e);
	if (close(fd) < 0 && !rc)
		rc = error_set(e, ERR_IO, "writing %s: %s", part, strerror(errno));
	if (!rc)
		rc = reader_finish(&r, e);
	reader_close(&r);
	if (!rc && rename(part, dest) < 0)
		rc = error_set(e, ERR_IO, "renaming %s to %s: %s", part, dest, strerror(errno));
	if (rc < 0) {
		unlink(part);
		return -1;
	}
	fsync_parent(dest);
	return 0;
}
