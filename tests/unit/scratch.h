/* scratch.h — scratch directories for the unit tests (included, not linked: each test is
 * one file). */
#ifndef SL_TEST_SCRATCH_H
#define SL_TEST_SCRATCH_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storyline.h"

/* Remove a file or a directory tree (no error if absent). */
static void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[1024];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* A new store, s.db, in a new scratch directory /tmp/sl-test-NAME-XXXXXX: its paths into
 * dir and db, the open store into *st. 0, or -1 when any step fails. */
static inline int scratch_store(const char *name, char dir[64], char db[128], sl_store **st)
{
    snprintf(dir, 64, "/tmp/sl-test-%s-XXXXXX", name);
    if (!mkdtemp(dir))
        return -1;
    snprintf(db, 128, "%s/s.db", dir);
    return sl_store_open(db, SL_OPEN_CREATE, st) == SL_OK ? 0 : -1;
}

/* The integer the first row of `sql` gives on store file db (opened apart, read-only), or
 * LLONG_MIN when the query fails or gives no row. */
static inline long long scratch_int(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    long long v = -0x7fffffffffffffffLL - 1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

/* Run `sql` on store file db (opened apart); SQLite's code. */
static inline int scratch_exec(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    sqlite3_close(h);
    return rc;
}

/* Write data into the file dir/name (made or replaced); 0, or -1 when it cannot. */
static inline int scratch_write(const char *dir, const char *name, const char *data)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fputs(data, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Close a scratch store and remove its directory. */
static inline void scratch_close(sl_store *st, const char *dir)
{
    sl_store_free(st);
    remove_tree(dir);
}

#endif
