/* huge_pages.c — a loading command's heap on transparent huge pages.
 *
 * Why: a fresh process touches hundreds of megabytes of heap (SQLite's page cache, the
 * events' vectors, zstd's tables), one page fault every 4 KB; with glibc's malloc asked
 * to back its heap with huge pages (the tunable glibc.malloc.hugetlb=1, glibc 2.35 and
 * later; ignored by older ones), one every 2 MB. Measured: +1,000 articles into a store
 * of a million 13% faster, a first load of 20,000 4% (docs/profile.md, "Twelfth round").
 * A tunable is read when the process starts, so a loading command (add, clean, run)
 * starts itself again with it set, before it has done anything.
 *
 * Not when GLIBC_TUNABLES is set already (the user's, or this process's second start: no
 * loop), when STORYLINE_NO_HUGE_PAGES is set, or under valgrind (its preload library in
 * LD_PRELOAD): a process started again there would run untraced. If the new start fails,
 * the command goes on as it is. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_huge_pages(char **argv)
{
#ifdef __GLIBC__
    const char *preload = getenv("LD_PRELOAD");
    if (getenv("GLIBC_TUNABLES") || getenv("STORYLINE_NO_HUGE_PAGES") ||
        (preload && strstr(preload, "valgrind")))
        return;
    if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1))
        return;
    execv("/proc/self/exe", argv);
    unsetenv("GLIBC_TUNABLES"); /* not started again: on as it is */
#else
    (void)argv;
#endif
}
