/* article_keys.c — the articles' hashes and their date order (tables article_hashes,
 * article_order, and their recent tables; store.c's article_keys_sql makes them and the
 * triggers that fill them): the merge of the recent rows, the migration that fills them,
 * and the walk of the date order the readers list articles in. */
#include "store_impl.h"

#include <string.h>

/* The recent rows are merged once the articles added since the last merge pass this
 * share of those before: the dedup keys' share (families.c), not fitted. */
#define ARTICLES_RECENT_SHARE 16

/* In the large tables' key order, so that the merge walks their b-trees once. */
#define MERGE_SQL                                                                          \
    "INSERT INTO article_hashes(hash, rid) SELECT hash, rid FROM article_hashes_recent"    \
    " ORDER BY hash, rid;"                                                                 \
    "DELETE FROM article_hashes_recent;"                                                   \
    "INSERT INTO article_order(undated, date, source, id, rid)"                            \
    " SELECT undated, date, source, id, rid FROM article_order_recent"                     \
    " ORDER BY undated, date, source, id;"                                                 \
    "DELETE FROM article_order_recent;"

sl_error sli_store_articles_settle(sl_store *st)
{
    return sli_store_settle(st, "articles_settled", ARTICLES_RECENT_SHARE, MERGE_SQL);
}

sl_error sli_store_article_keys_migrate(sl_store *st)
{
    /* Emptied first, so that the fill is right whatever the tables held (nothing, made
     * just before in the same transaction, as things are). The old indexes, where the
     * store has them, give both orders without a sort. */
    sl_error err = sli_store_exec(
        st, "DELETE FROM article_hashes; DELETE FROM article_hashes_recent;"
            "DELETE FROM article_order; DELETE FROM article_order_recent;"
            "INSERT INTO article_hashes(hash, rid) SELECT hash, rid FROM articles"
            " ORDER BY hash, rid;"
            "INSERT INTO article_order(undated, date, source, id, rid)"
            " SELECT date IS NULL, coalesce(date, ''), source, id, rid FROM articles"
            " ORDER BY date IS NULL, date, source, id;"
            "DROP INDEX IF EXISTS articles_hash; DROP INDEX IF EXISTS articles_order;");
    long long last = 0;
    if (!err)
        err = sli_store_last_rid(st, &last);
    return err ? err : sli_store_event_set_counter(st, "articles_settled", last);
}

/* --- the date order --- */

static const char settled_sql[] = "SELECT undated, date, source, id, rid FROM article_order"
                                  " ORDER BY undated, date, source, id";
static const char recent_sql[] = "SELECT undated, date, source, id, rid"
                                 " FROM article_order_recent ORDER BY undated, date, source, id";

/* Two rows' keys compared as SQLite orders them: undated, then the texts by their bytes
 * (the BINARY collation: memcmp, the shorter first when one begins the other). */
static int key_cmp(sqlite3_stmt *a, sqlite3_stmt *b)
{
    long long ua = sqlite3_column_int64(a, 0), ub = sqlite3_column_int64(b, 0);
    if (ua != ub)
        return ua < ub ? -1 : 1;
    for (int c = 1; c <= 3; c++) {
        const unsigned char *x = sqlite3_column_text(a, c), *y = sqlite3_column_text(b, c);
        size_t nx = (size_t)sqlite3_column_bytes(a, c), ny = (size_t)sqlite3_column_bytes(b, c);
        int d = memcmp(x ? (const void *)x : "", y ? (const void *)y : "", nx < ny ? nx : ny);
        if (d)
            return d;
        if (nx != ny)
            return nx < ny ? -1 : 1;
    }
    return 0;
}

/* The next row of s: *has 1, or 0 at its end. */
static sl_error step(sl_store *st, sqlite3_stmt *s, int *has)
{
    int rc = sqlite3_step(s);
    *has = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK
                                                 : sli_store_fail(st, rc, "reading articles");
}

sl_error sli_store_article_order(sl_store *st, long long offset, long long limit,
                                 sl_error (*fn)(void *user, long long rid, int *stop),
                                 void *user)
{
    sqlite3_stmt *side[2] = {NULL, NULL};
    int has[2] = {0, 0}, own = 0;
    /* one read of both tables: outside a transaction, a merge committed between the
     * two statements' first steps would be seen by one and not the other */
    sl_error err = sli_store_read_begin(st, &own);
    if (err)
        return err;
    err = sli_store_borrow(st, settled_sql, &side[0]);
    if (!err)
        err = sli_store_borrow(st, recent_sql, &side[1]);
    for (int i = 0; !err && i < 2; i++)
        err = step(st, side[i], &has[i]);
    int stop = 0;
    while (!err && !stop && limit && (has[0] || has[1])) {
        /* of equal keys (none: an id is in one table) the settled first */
        int i = !has[0] || (has[1] && key_cmp(side[1], side[0]) < 0);
        if (offset > 0) {
            offset--;
        } else {
            err = fn(user, sqlite3_column_int64(side[i], 4), &stop);
            if (limit > 0)
                limit--;
        }
        if (!err)
            err = step(st, side[i], &has[i]);
    }
    sli_store_return(st, side[0]);
    sli_store_return(st, side[1]);
    sli_store_read_end(st, own);
    return err;
}
