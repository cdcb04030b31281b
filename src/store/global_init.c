/* global_init.c — what the library asks of SQLite for the whole process (sl_global_init). */
#include <sqlite3.h>

#include "storyline.h"

sl_error sl_global_init(void)
{
    /* SQLite keeps memory statistics by default, and takes one process-wide lock at every
     * allocation and free to keep them: 3% of the CPU time of +1,000 articles into a
     * store of a million (docs/profile.md, "Thirteenth round"). Nothing here reads them.
     * sqlite3_config refuses (SQLITE_MISUSE) once SQLite is initialised, changing nothing. */
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? SL_OK : SL_ERR_STATE;
}
