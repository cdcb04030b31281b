/* compact.c — the store's file rewritten without free pages (sl_store_compact).
 *
 * Pages that a migration, a dropped search index or deleted rows leave free stay in the
 * file for later batches, and b-trees filled in random order keep part of each page
 * empty. SQLite's VACUUM copies the database into a new one, every b-tree written in
 * order with its pages full, and writes it back through the log (WAL): the file
 * shrinks, and reads the same. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

/* The file's size in bytes (page count x page size). */
static sl_error file_bytes(sl_store *st, long long *bytes)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT page_count * page_size FROM"
                                         " pragma_page_count(), pragma_page_size()", &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *bytes = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading its size");
}

/* Free bytes on the file system that holds the folder of path (with dir_of: path's
 * folder; else path itself), or -1 when unknown. */
static long long free_room(const char *path, int dir_of)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n >= sizeof dir)
        return -1;
    memcpy(dir, path, n + 1);
    char *slash = dir_of ? strrchr(dir, '/') : NULL;
    if (dir_of && !slash)
        strcpy(dir, ".");
    else if (dir_of && slash == dir)
        dir[1] = '\0';
    else if (dir_of)
        *slash = '\0';
    struct statvfs v;
    if (statvfs(dir, &v) != 0)
        return -1;
    return (long long)v.f_bavail * (long long)v.f_frsize;
}

sl_error sl_store_compact(sl_store *st, long long *before, long long *after)
{
    if (before)
        *before = 0;
    if (after)
        *after = 0;
    if (!st)
        return SL_ERR_INVALID;
    if (st->readonly) {
        sli_store_set_error(st, "a store cannot be compacted through a read-only handle");
        return SL_ERR_INVALID;
    }
    if (!sqlite3_get_autocommit(st->db)) {
        sli_store_set_error(st, "a store cannot be compacted while a batch is open on this"
                                " handle");
        return SL_ERR_STATE;
    }
    long long was = 0, now = 0;
    sl_error err = file_bytes(st, &was);
    if (err)
        return err;
    /* The log receives every page again before the checkpoint writes them back; the
     * copy goes to SQLite's folder for temporary files (its first of SQLITE_TMPDIR,
     * TMPDIR, /var/tmp, /usr/tmp, /tmp that exists), on a disk, not in memory: the
     * handle keeps its temporary tables in memory, and a copy of a store of millions of
     * articles there would take gigabytes. */
    const char *tmp = getenv("SQLITE_TMPDIR");
    if (!tmp)
        tmp = getenv("TMPDIR");
    const char *const tmps[] = {tmp ? tmp : "/var/tmp", "/usr/tmp", "/tmp"};
    long long room = free_room(st->path, 1), troom = -1;
    for (size_t i = 0; troom < 0 && i < sizeof tmps / sizeof *tmps; i++)
        troom = free_room(tmps[i], 0);
    if ((room >= 0 && room < was) || (troom >= 0 && troom < was)) {
        sli_store_set_error(st, "%s: compacting it needs about %lld MB free on its disk and"
                                " as much in the folder for temporary files (SQLite copies"
                                " the store there, then writes it again through its log);"
                                " there are %lld and %lld MB",
                            st->path, was >> 20, room >> 20, troom >> 20);
        return SL_ERR_TOO_BIG;
    }
    err = sli_store_exec(st, "PRAGMA temp_store=FILE");
    if (!err)
        err = sli_store_exec(st, "VACUUM");
    /* back to the handle's setting, whatever the VACUUM did */
    sl_error back = sli_store_exec(st, "PRAGMA temp_store=MEMORY");
    if (!err)
        err = back;
    if (!err) /* the log emptied: it held the whole store */
        err = sli_store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (!err)
        err = file_bytes(st, &now);
    if (!err && before)
        *before = was;
    if (!err && after)
        *after = now;
    return err;
}
