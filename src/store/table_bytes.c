/* table_bytes.c — the store's bytes by table and by group of tables (`stats`), from
 * SQLite's dbstat table: the pages of each table and of its indexes, summed. */
#include "store_impl.h"

#include <string.h>

/* Each table's group, by name; a table not named here (and SQLite's schema, and the free
 * pages) is "other". Indexes count with their table; the search index's shadow tables
 * (articles_fts_data, _idx, _docsize, _config) with articles_fts; its stop words
 * (search_stop) in its group. */
static const struct {
    const char *table;
    const char *group;
} groups[] = {
    {"articles", "texts"},          {"raws", "texts"},
    {"article_hashes", "texts"},    {"article_hashes_recent", "texts"},
    {"article_order", "texts"},     {"article_order_recent", "texts"},
    {"pages", "texts"},             {"dicts", "texts"},
    {"article_facts", "facts"},
    {"article_quotes", "facts"},    {"article_entities", "facts"},
    {"quotes", "facts"},            {"quote_variants", "facts"},
    {"variant_articles", "facts"},  {"event_entities", "facts"},
    {"facts_dict", "facts"},        {"memo_dict", "facts"},
    {"quote_dict", "facts"},
    {"quote_memos", "facts"},       {"entity_memos", "facts"},
    {"events", "events"},
    {"event_keys", "events"},       {"article_events", "events"},
    {"term_df", "events"},          {"open_events", "events"},
    {"event_keys_recent", "events"}, {"term_df_recent", "events"},
    {"event_keys_gone", "events"},  {"events_pending", "events"},
    {"event_key_blocks", "events"}, {"term_df_blocks", "events"},
    {"event_digests", "events"},    {"centroid_dict", "events"},
    {"digest_dict", "events"},      {"sketches", "dedup"},
    {"lsh", "dedup"},               {"paras", "dedup"},
    {"lsh_blocks", "dedup"},        {"paras_blocks", "dedup"},
    {"lsh_recent", "dedup"},        {"paras_recent", "dedup"},
    {"dedup_filter", "dedup"},
    {"members", "dedup"},           {"search_stop", "search"},
};

static const char *group_of(const char *table)
{
    if (strncmp(table, "articles_fts", 12) == 0)
        return "search";
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (strcmp(groups[i].table, table) == 0)
            return groups[i].group;
    return "other";
}

static long long *group_slot(sl_store_bytes *b, const char *group)
{
    return strcmp(group, "texts") == 0    ? &b->texts
           : strcmp(group, "facts") == 0  ? &b->facts
           : strcmp(group, "events") == 0 ? &b->events
           : strcmp(group, "dedup") == 0  ? &b->dedup
           : strcmp(group, "search") == 0 ? &b->search
                                          : &b->other;
}

/* Pages of each table with its indexes (biggest first), then the free pages as
 * "(free)". */
static const char table_sql[] =
    "SELECT coalesce(m.tbl_name, d.name) AS t, sum(d.pgsize) AS n"
    " FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name"
    " GROUP BY t ORDER BY n DESC, t";

sl_error sl_store_table_bytes(sl_store *st, sl_table_bytes_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, table_sql, &s);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = sli_store_column_text(s, 0);
        if (!t) {
            rc = SQLITE_NOMEM;
            break;
        }
        fn(user, t, group_of(t), sqlite3_column_int64(s, 1));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(st, rc, "reading the tables' sizes");
    err = sli_store_prepare(st,
                            "SELECT f.freelist_count * p.page_size"
                            " FROM pragma_freelist_count f, pragma_page_size p",
                            &s);
    if (err)
        return err;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        long long free_bytes = sqlite3_column_int64(s, 0);
        if (free_bytes)
            fn(user, "(free)", "other", free_bytes);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "reading the free pages");
}

static void add_table(void *user, const char *table, const char *group, long long bytes)
{
    (void)table;
    *group_slot(user, group) += bytes;
}

sl_error sl_store_bytes_by_group(sl_store *st, sl_store_bytes *out)
{
    if (!st || !out)
        return SL_ERR_INVALID;
    memset(out, 0, sizeof *out);
    return sl_store_table_bytes(st, add_table, out);
}
