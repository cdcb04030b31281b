/* scratch.h — scratch directories for the unit tests (included, not linked: each test is
 * one file). */
#ifndef SL_TEST_SCRATCH_H
#define SL_TEST_SCRATCH_H

#include <dirent.h>
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

/* Close a scratch store and remove its directory. */
static inline void scratch_close(sl_store *st, const char *dir)
{
    sl_store_free(st);
    remove_tree(dir);
}

#endif
