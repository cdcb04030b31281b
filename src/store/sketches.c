/* sketches.c — the sketch stage's row: an article's count of distinct shingles. */
#include "store_impl.h"

sl_error sli_store_put_shingles(sl_store *st, store_stmt **stmt, long long rid,
                                long long shingles)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_cached(st, stmt,
                                    "INSERT OR REPLACE INTO sketches(rid, shingles)"
                                    " VALUES(?1, ?2)",
                                    &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_int64(s, 2, shingles);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "saving sketch");
}
