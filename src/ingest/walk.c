/* walk.c — from the paths a user names to the files a batch reads.
 *
 * A directory is walked first, in name order (so ids and reports come out the same on
 * every machine), to learn the total size for progress; then its files are read. */
#define _DEFAULT_SOURCE /* DT_* and realpath */
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strcasecmp */
#include <fcntl.h>   /* open, O_NONBLOCK */
#include <sys/stat.h>
#include <unistd.h>  /* close */

#define WALK_MAX_DEPTH 64

typedef enum file_kind { KIND_NONE, KIND_TEXT, KIND_JSONL, KIND_HTML, KIND_WARC } file_kind;

/* The kind of input a file name says it holds. */
static file_kind kind_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return KIND_TEXT; /* no extension */
    if (!strcasecmp(dot, ".txt"))
        return KIND_TEXT;
    if (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson"))
        return KIND_JSONL;
    if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
        return KIND_HTML;
    size_t len = strlen(base);
    if ((len > 8 && !strcasecmp(base + len - 8, ".html.gz")) ||
        (len > 7 && !strcasecmp(base + len - 7, ".htm.gz")))
        return KIND_HTML;
    if (!strcasecmp(dot, ".warc") || (len > 8 && !strcasecmp(base + len - 8, ".warc.gz")))
        return KIND_WARC;
    return KIND_NONE;
}

/* Why a file that is neither a regular file nor a directory is not read; NULL for those
 * two. Reading a FIFO, a socket or a device could block forever (a FIFO's open() waits
 * for a writer) while the batch holds the store's write lock: they are refused. */
static const char *special_why(mode_t mode)
{
    if (S_ISREG(mode) || S_ISDIR(mode))
        return NULL;
    if (S_ISFIFO(mode))
        return "not a regular file (a FIFO): not read";
    if (S_ISSOCK(mode))
        return "not a regular file (a socket): not read";
    if (S_ISCHR(mode))
        return "not a regular file (a character device): not read";
    if (S_ISBLK(mode))
        return "not a regular file (a block device): not read";
    return "not a regular file: not read";
}

sl_error sl_input_check(const char *path, const char **why)
{
    if (why)
        *why = "";
    if (!path)
        return SL_ERR_INVALID;
    if (!strcmp(path, "-"))
        return SL_OK; /* standard input, asked for by name */
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int e = errno;
        if (why)
            *why = strerror(e);
        return e == ENOENT ? SL_ERR_NOT_FOUND : SL_ERR_IO;
    }
    const char *special = special_why(sb.st_mode);
    if (!special)
        return SL_OK;
    if (why)
        *why = special;
    return SL_ERR_UNSUPPORTED;
}

sl_error sli_ingest_open(sl_batch *b, const char *path, FILE **out)
{
    *out = NULL;
    /* O_NONBLOCK: a FIFO put in the place of a file after it was walked opens at once
     * instead of waiting for a writer; fstat then refuses it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOMEM)
            return SL_ERR_NOMEM; /* not the file's fault: the batch fails */
        if (errno == EMFILE || errno == ENFILE) { /* nor is running out of file handles */
            sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot open: %s: the batch stops",
                              strerror(errno));
            return SL_ERR_IO;
        }
        sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot open: %s", strerror(errno));
        return SL_OK;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot stat: %s", strerror(errno));
        close(fd);
        return SL_OK;
    }
    const char *special = S_ISDIR(sb.st_mode) ? "a directory, not a file: not read"
                                              : special_why(sb.st_mode);
    if (special) {
        sli_ingest_report(b, SL_ERR_UNSUPPORTED, path, 0, -1, "%s", special);
        close(fd);
        return SL_OK;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1 ? NULL : fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        if (e == ENOMEM)
            return SL_ERR_NOMEM;
        sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot open: %s", strerror(e));
        return SL_OK;
    }
    *out = f;
    return SL_OK;
}

typedef struct entry {
    char *path; /* as found: the argument joined with the walked names */
    char *id;   /* relative to the directory argument, or the file name */
    file_kind kind;
} entry;

typedef struct entries {
    entry *v;
    size_t n, cap;
} entries;

static sl_error push(entries *es, const char *path, const char *id, file_kind kind)
{
    if (es->n == es->cap) {
        size_t cap = es->cap ? es->cap * 2 : 64;
        entry *v = realloc(es->v, cap * sizeof *v);
        if (!v)
            return SL_ERR_NOMEM;
        es->v = v;
        es->cap = cap;
    }
    entry *e = &es->v[es->n];
    e->path = strdup(path);
    e->id = strdup(id);
    e->kind = kind;
    if (!e->path || !e->id) {
        free(e->path);
        free(e->id);
        return SL_ERR_NOMEM;
    }
    es->n++;
    return SL_OK;
}

static void entries_free(entries *es)
{
    for (size_t i = 0; i < es->n; i++) {
        free(es->v[i].path);
        free(es->v[i].id);
    }
    free(es->v);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int visible(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Directories already walked, by device and inode: a link back to one is not followed
 * again (a loop of links would otherwise be walked to the depth limit, exponentially). */
typedef struct visited {
    struct {
        dev_t dev;
        ino_t ino;
    } *v;
    size_t n, cap;
} visited;

/* *fresh: 1 if (dev, ino) was new (and is now recorded), 0 if seen before. */
static sl_error visit(visited *vs, const struct stat *sb, int *fresh)
{
    *fresh = 0;
    for (size_t i = 0; i < vs->n; i++)
        if (vs->v[i].dev == sb->st_dev && vs->v[i].ino == sb->st_ino)
            return SL_OK;
    if (vs->n == vs->cap) {
        size_t cap = vs->cap ? vs->cap * 2 : 32;
        void *v = realloc(vs->v, cap * sizeof *vs->v);
        if (!v)
            return SL_ERR_NOMEM;
        vs->v = v;
        vs->cap = cap;
    }
    vs->v[vs->n].dev = sb->st_dev;
    vs->v[vs->n].ino = sb->st_ino;
    vs->n++;
    *fresh = 1;
    return SL_OK;
}

/* Walk directory `dir` (whose id prefix is `rel`, "" at the top), collecting files. */
static sl_error walk(sl_batch *b, const char *dir, const char *rel, int depth, entries *out,
                     visited *seen)
{
    if (depth > WALK_MAX_DEPTH) {
        sli_ingest_report(b, SL_ERR_INVALID, dir, 0, -1,
                      "directories nested deeper than %d levels (a link loop?): not read",
                      WALK_MAX_DEPTH);
        return SL_OK;
    }
    struct dirent **names;
    int n = scandir(dir, &names, visible, by_name);
    if (n < 0 && errno == ENOMEM)
        return SL_ERR_NOMEM; /* not the directory's fault: the batch fails */
    if (n < 0 && (errno == EMFILE || errno == ENFILE)) { /* nor out of file handles */
        sli_ingest_report(b, SL_ERR_IO, dir, 0, -1, "cannot read directory: %s: the batch stops",
                          strerror(errno));
        return SL_ERR_IO;
    }
    if (n < 0) {
        sli_ingest_report(b, SL_ERR_IO, dir, 0, -1, "cannot read directory: %s", strerror(errno));
        return SL_OK;
    }
    sl_error err = SL_OK;
    size_t dlen = strlen(dir);
    int slash = dlen && dir[dlen - 1] == '/';
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char path[PATH_MAX], id[PATH_MAX];
        int pl = snprintf(path, sizeof path, "%s%s%s", dir, slash ? "" : "/", name);
        int il = snprintf(id, sizeof id, "%s%s%s", rel, *rel ? "/" : "", name);
        struct stat sb;
        if (err) {
            /* keep freeing */
        } else if (pl >= (int)sizeof path || il >= (int)sizeof id) {
            sli_ingest_report(b, SL_ERR_INVALID, dir, 0, -1, "path too long: %s", name);
        } else if (stat(path, &sb) != 0) {
            sli_ingest_report(b, SL_ERR_IO, path, 0, -1, "cannot stat: %s", strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            int fresh;
            err = visit(seen, &sb, &fresh);
            if (!err && fresh)
                err = walk(b, path, id, depth + 1, out, seen);
        } else if (S_ISREG(sb.st_mode)) {
            file_kind k = kind_of(name);
            if (k != KIND_NONE) {
                b->bytes_total += (long long)sb.st_size;
                err = push(out, path, id, k);
            }
        } else if (kind_of(name) != KIND_NONE) {
            /* A FIFO, socket or device named like an input: said, never opened. (One
             * named otherwise is passed over, as files of other forms are.) */
            sli_ingest_report(b, SL_ERR_UNSUPPORTED, path, 0, -1, "%s", special_why(sb.st_mode));
        }
        free(names[i]);
    }
    free(names);
    return err;
}

/* The name of the folder that holds `path`, the source of last resort ("unknown" when
 * it cannot be resolved; out of memory is an error, not an unknown source). */
static sl_error parent_name(const char *path, char *out, size_t size)
{
    char full[PATH_MAX + 1];
    char *dir = strdup(path);
    snprintf(out, size, "unknown");
    if (!dir)
        return SL_ERR_NOMEM;
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0'; /* "/a.txt": the root */
    else if (slash)
        *slash = '\0';
    const char *which = slash ? dir : ".";
    sl_error err = SL_OK;
    errno = 0;
    if (realpath(which, full)) {
        const char *base = strrchr(full, '/');
        base = base && base[1] ? base + 1 : full;
        size_t n = strlen(base);
        if (n >= size)
            n = size - 1;
        memcpy(out, base, n);
        out[n] = '\0';
    } else if (errno == ENOMEM) {
        err = SL_ERR_NOMEM;
    }
    free(dir);
    return err;
}

static sl_error read_entry(sl_batch *b, const entry *e)
{
    char source[256];
    sl_error err = parent_name(e->path, source, sizeof source);
    if (err)
        return err;
    if (e->kind == KIND_JSONL)
        return sli_ingest_jsonl_file(b, e->path, e->id, source);
    if (e->kind == KIND_HTML)
        return sli_ingest_html_file(b, e->path, e->id, source);
    if (e->kind == KIND_WARC)
        return sli_ingest_warc_file(b, e->path, e->id, source);
    return sli_ingest_text_file(b, e->path, e->id, source);
}

sl_error sl_batch_add_path(sl_batch *b, const char *path)
{
    if (!b || !path)
        return SL_ERR_INVALID;
    if (b->state != BATCH_OPEN)
        return SL_ERR_STATE;
    if (!strcmp(path, "-")) {
        sl_error err = sli_ingest_jsonl_file(b, "-", "stdin", "stdin");
        if (err)
            b->state = BATCH_FAILED; /* only freed: a part of the input is not a batch */
        return err;
    }

    struct stat sb;
    if (stat(path, &sb) != 0) {
        sli_ingest_report(b, errno == ENOENT ? SL_ERR_NOT_FOUND : SL_ERR_IO, path, 0, -1,
                      "cannot open: %s", strerror(errno));
        return SL_OK;
    }
    entries es = {0};
    sl_error err = SL_OK;
    const char *special = special_why(sb.st_mode);
    if (special) {
        sli_ingest_report(b, SL_ERR_UNSUPPORTED, path, 0, -1, "%s", special);
    } else if (S_ISDIR(sb.st_mode)) {
        visited seen = {0};
        long long reported = b->sum.skipped;
        int fresh;
        err = visit(&seen, &sb, &fresh);
        if (!err)
            err = walk(b, path, "", 0, &es, &seen);
        free(seen.v);
        if (!err && !es.n && b->sum.skipped == reported)
            sli_ingest_report(b, SL_ERR_EMPTY, path, 0, -1,
                              "no article file found in this directory (looked for .txt, "
                              "no extension, .jsonl, .ndjson, .html, .htm, .html.gz, .warc "
                              "and .warc.gz, hidden ones passed over)");
    } else {
        file_kind k = kind_of(path);
        const char *slash = strrchr(path, '/');
        const char *name = slash ? slash + 1 : path;
        if (k != KIND_NONE) {
            b->bytes_total += (long long)sb.st_size;
            err = push(&es, path, name, k);
        } else {
            sli_ingest_report(b, SL_ERR_UNSUPPORTED, path, 0, -1,
                          "unknown input form (expected .txt, no extension, .jsonl, .ndjson, "
                          ".html, .htm, .html.gz, .warc or .warc.gz)");
        }
    }
    for (size_t i = 0; !err && !b->read_stopped && i < es.n; i++)
        err = read_entry(b, &es.v[i]);
    if (err) /* out of memory, say, in the walk or a read: the batch can only be freed */
        b->state = BATCH_FAILED;
    entries_free(&es);
    return err;
}
