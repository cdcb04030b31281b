/* sketches.c — the sketch stage's rows: signatures of cleaned text. */
#include "store_impl.h"

#include <string.h>

sl_error sli_store_put_sketch(sl_store *st, store_stmt **stmt, long long rid, const void *sig,
                          size_t bytes, long long shingles)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_cached(st, stmt,
                                    "INSERT OR REPLACE INTO sketches(rid, sig, shingles)"
                                    " VALUES(?1, ?2, ?3)",
                                    &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_blob(s, 2, sig, (int)bytes, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, shingles);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "saving sketch");
}

sl_error sli_store_get_sketch(sl_store *st, const char *id, void *sig, size_t bytes,
                          long long *shingles)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st,
                                 "SELECT k.sig, k.shingles FROM sketches k"
                                 " JOIN articles a ON a.rid = k.rid WHERE a.id = ?1",
                                 &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == bytes) {
        memcpy(sig, sqlite3_column_blob(s, 0), bytes);
        *shingles = sqlite3_column_int64(s, 1);
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        err = SL_ERR_NOT_FOUND;
    } else {
        err = sli_store_fail(st, rc, "reading sketch");
    }
    sqlite3_finalize(s);
    return err;
}
