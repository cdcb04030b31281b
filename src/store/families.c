/* families.c — the dedup stage's rows: band keys, paragraph keys, family membership. */
#include "store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store_dedup_stmts {
    sqlite3_stmt *add_lsh, *add_para, *find_lsh, *find_para, *recent_lsh, *recent_para,
        *family_of, *set_member, *article, *article_id, *merge, *leave, *family_size,
        *refound, *disband;
};

/* Recent keys. A key saved goes to lsh_recent or paras_recent (rows); a search reads
 * those and the settled keys' blocks (lsh_blocks, paras_blocks: key_blocks.c), as one
 * (rids in order, each once); sli_store_dedup_settle merges the recent tables into the
 * blocks, in key order, once the articles stored since the last merge pass
 * 1/DEDUP_RECENT_SHARE of those stored before it. Why: keys are hashes, and a batch's
 * thousands of them land on every leaf page of a large table, which its commit then
 * writes again (at 300k articles, +1,000 rewrote the 130 MB of lsh, as rows then); a
 * recent table stays at most a sixteenth of the store, and the blocks are written again
 * once per sixteenth of growth, not once per batch. */
#define DEDUP_RECENT_SHARE 16

static const char *const statements[] = {
    "INSERT OR IGNORE INTO lsh_recent(key, rid) VALUES(?1, ?2)",
    "INSERT OR IGNORE INTO paras_recent(key, rid) VALUES(?1, ?2)",
    "SELECT block, entries FROM lsh_blocks WHERE block <= ?1 ORDER BY block DESC LIMIT 1",
    "SELECT block, entries FROM paras_blocks WHERE block <= ?1 ORDER BY block DESC LIMIT 1",
    "SELECT rid FROM lsh_recent WHERE key=?1 ORDER BY rid LIMIT ?2",
    "SELECT rid FROM paras_recent WHERE key=?1 ORDER BY rid LIMIT ?2",
    "SELECT family FROM members WHERE rid=?1",
    "INSERT OR REPLACE INTO members(rid, family, matched, jaccard, containment)"
    " VALUES(?1, ?2, ?3, ?4, ?5)",
    "SELECT a.text, a.date, k.shingles FROM article_text a LEFT JOIN sketches k"
    " ON k.rid = a.rid WHERE a.rid=?1",
    "SELECT id FROM articles WHERE rid=?1",
    "UPDATE members SET family=?1 WHERE family=?2",
    "DELETE FROM members WHERE rid=?1",
    "SELECT min(rid), count(*) FROM members WHERE family=?1",
    "UPDATE members SET matched=NULL, jaccard=1, containment=1 WHERE rid=?1",
    "DELETE FROM members WHERE family=?1",
};

#define STATEMENTS (sizeof statements / sizeof *statements)

/* The statements' slots, in the order of statements[]. */
static void slots(struct store_dedup_stmts *q, sqlite3_stmt **slot[STATEMENTS])
{
    sqlite3_stmt **all[] = {&q->add_lsh,     &q->add_para,    &q->find_lsh,   &q->find_para,
                            &q->recent_lsh,  &q->recent_para, &q->family_of,  &q->set_member,
                            &q->article,     &q->article_id,  &q->merge,      &q->leave,
                            &q->family_size, &q->refound,     &q->disband};
    _Static_assert(sizeof all / sizeof *all == STATEMENTS, "a slot each");
    memcpy(slot, all, sizeof all);
}

sl_error sli_store_dedup_open(sl_store *st, store_dedup *d)
{
    memset(d, 0, sizeof *d);
    d->st = st;
    d->q = calloc(1, sizeof *d->q);
    if (!d->q)
        return SL_ERR_NOMEM;
    sqlite3_stmt **slot[STATEMENTS];
    slots(d->q, slot);
    sl_error err = sli_store_prepare_all(st, statements, slot, STATEMENTS);
    if (err)
        sli_store_dedup_close(d);
    return err;
}

void sli_store_dedup_close(store_dedup *d)
{
    if (d->q) {
        sqlite3_stmt **slot[STATEMENTS];
        slots(d->q, slot);
        sli_store_finalize_all(slot, STATEMENTS);
        free(d->q);
    }
    memset(d, 0, sizeof *d);
}

static sl_error step_done(store_dedup *d, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SL_OK : sli_store_fail(d->st, rc, what);
}

uint64_t sli_store_dedup_stored_key(uint64_t key)
{
    uint32_t low = (uint32_t)key;
    int64_t v = low >= 0x80000000u ? (int64_t)low - 0x100000000LL : (int64_t)low;
    return (uint64_t)v;
}

/* The key bound as the index keeps it: a value of 4 bytes (SQLite stores an integer in
 * the fewest bytes that hold it). */
static void bind_key(sqlite3_stmt *s, uint64_t key)
{
    sqlite3_bind_int64(s, 1, (sqlite3_int64)sli_store_dedup_stored_key(key));
}

sl_error sli_store_dedup_add_key(store_dedup *d, int paragraphs, uint64_t key, long long rid)
{
    sqlite3_stmt *s = paragraphs ? d->q->add_para : d->q->add_lsh;
    bind_key(s, key);
    sqlite3_bind_int64(s, 2, rid);
    sl_error err = step_done(d, s, paragraphs ? "saving paragraph key" : "saving band key");
    if (!err) /* every stored key in the handle's filter */
        sli_store_key_filter_add(d->st, paragraphs, key);
    return err;
}

sl_error sli_store_dedup_merge(store_dedup *d, long long keep, long long gone)
{
    sqlite3_bind_int64(d->q->merge, 1, keep);
    sqlite3_bind_int64(d->q->merge, 2, gone);
    return step_done(d, d->q->merge, "merging families");
}

/* The first member (smallest rid) and the size of family `family`. */
static sl_error family_size(store_dedup *d, long long family, long long *first, long long *n)
{
    sqlite3_bind_int64(d->q->family_size, 1, family);
    int rc = sqlite3_step(d->q->family_size);
    *first = rc == SQLITE_ROW ? sqlite3_column_int64(d->q->family_size, 0) : 0;
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(d->q->family_size, 1) : 0;
    sqlite3_reset(d->q->family_size);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(d->st, rc, "reading family");
}

static sl_error bind_step(store_dedup *d, sqlite3_stmt *s, long long v, const char *what)
{
    sqlite3_bind_int64(s, 1, v);
    return step_done(d, s, what);
}

sl_error sli_store_dedup_leave(store_dedup *d, long long rid)
{
    long long family, first, n;
    sl_error err = sli_store_dedup_family(d, rid, &family);
    if (err || !family)
        return err;
    err = bind_step(d, d->q->leave, rid, "leaving a family");
    if (!err)
        err = family_size(d, family, &first, &n);
    if (!err && n && family == rid) {
        /* Its founder gone, the family is founded by its first remaining member. */
        err = sli_store_dedup_merge(d, first, family);
        if (!err)
            err = bind_step(d, d->q->refound, first, "founding a family");
        family = first;
    }
    if (!err && n == 1) /* no family of one */
        err = bind_step(d, d->q->disband, family, "leaving a family");
    return err;
}

sl_error sli_store_dedup_candidates(store_dedup *d, int paragraphs, uint64_t key, int max,
                                void (*fn)(void *user, long long rid), void *user)
{
    if (max < 0 || max > STORE_KEY_MAX_RIDS) { /* the blocks keep no more */
        sli_store_set_error(d->st, "a key's candidates are asked for %d at most (%d asked)",
                            STORE_KEY_MAX_RIDS, max);
        return SL_ERR_INVALID;
    }
    long long settled[STORE_KEY_MAX_RIDS], recent[STORE_KEY_MAX_RIDS];
    int ns = 0, nr = 0;
    int maybe;
    sl_error err = sli_store_dedup_settled_maybe(d->st, paragraphs, key, &maybe);
    if (!err && !maybe)
        d->st->settled_spared++;
    else if (!err)
        err = sli_store_key_blocks_find(
            d->st, sli_dedup_blocks(), paragraphs ? d->q->find_para : d->q->find_lsh,
            sli_store_key_place((long long)sli_store_dedup_stored_key(key)), settled, max, &ns);
    if (err)
        return err;
    sqlite3_stmt *s = paragraphs ? d->q->recent_para : d->q->recent_lsh;
    bind_key(s, key);
    sqlite3_bind_int(s, 2, max);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        recent[nr++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sli_store_fail(d->st, rc, "finding candidates");
    /* the two lists merged: rids in order, each once, `max` at most */
    for (int i = 0, j = 0, given = 0; given < max && (i < ns || j < nr); given++) {
        long long rid;
        if (j == nr || (i < ns && settled[i] <= recent[j])) {
            rid = settled[i++];
            if (j < nr && recent[j] == rid)
                j++;
        } else {
            rid = recent[j++];
        }
        fn(user, rid);
    }
    return SL_OK;
}

sl_error sli_store_dedup_family(store_dedup *d, long long rid, long long *family)
{
    sqlite3_bind_int64(d->q->family_of, 1, rid);
    int rc = sqlite3_step(d->q->family_of);
    *family = rc == SQLITE_ROW ? sqlite3_column_int64(d->q->family_of, 0) : 0;
    sqlite3_reset(d->q->family_of);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(d->st, rc, "reading family");
}

sl_error sli_store_dedup_set_member(store_dedup *d, long long rid, long long family,
                                long long matched, double jaccard, double containment)
{
    sqlite3_bind_int64(d->q->set_member, 1, rid);
    sqlite3_bind_int64(d->q->set_member, 2, family);
    if (matched)
        sqlite3_bind_int64(d->q->set_member, 3, matched);
    else
        sqlite3_bind_null(d->q->set_member, 3);
    sqlite3_bind_double(d->q->set_member, 4, jaccard);
    sqlite3_bind_double(d->q->set_member, 5, containment);
    sl_error err = step_done(d, d->q->set_member, "saving family");
    sqlite3_clear_bindings(d->q->set_member);
    return err;
}

sl_error sli_store_dedup_article(store_dedup *d, long long rid, buf *text, char date[32],
                             long long *shingles)
{
    sqlite3_bind_int64(d->q->article, 1, rid);
    int rc = sqlite3_step(d->q->article);
    sl_error err = SL_OK;
    sli_buf_clear(text);
    date[0] = '\0';
    *shingles = 0;
    if (rc == SQLITE_ROW) {
        const char *t = sli_store_column_text(d->q->article, 0);
        const char *dt = sli_store_column_text(d->q->article, 1);
        err = sli_buf_append(text, t ? t : "", (size_t)sqlite3_column_bytes(d->q->article, 0));
        if (dt)
            snprintf(date, 32, "%s", dt);
        *shingles = sqlite3_column_int64(d->q->article, 2);
    } else if (rc == SQLITE_DONE) {
        err = SL_ERR_NOT_FOUND;
    } else {
        err = sli_store_fail(d->st, rc, "reading article");
    }
    sqlite3_reset(d->q->article);
    return err;
}

sl_error sli_store_each_family(sl_store *st,
                           sl_error (*fn)(void *user, long long family, const long long *rids,
                                          size_t n),
                           void *user)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT family, rid FROM members ORDER BY family, rid", &s);
    if (err)
        return err;
    long long *rids = NULL, family = 0;
    size_t n = 0, cap = 0;
    int rc;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        long long f = sqlite3_column_int64(s, 0);
        if (n && f != family) {
            err = fn(user, family, rids, n);
            n = 0;
        }
        family = f;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            long long *v = realloc(rids, cap * sizeof *v);
            if (!v) {
                err = SL_ERR_NOMEM;
                break;
            }
            rids = v;
        }
        rids[n++] = sqlite3_column_int64(s, 1);
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = sli_store_fail(st, rc, "listing families");
    if (!err && n)
        err = fn(user, family, rids, n);
    sqlite3_finalize(s);
    free(rids);
    return err;
}

sl_error sli_store_dedup_article_id(store_dedup *d, long long rid, buf *id)
{
    sqlite3_bind_int64(d->q->article_id, 1, rid);
    int rc = sqlite3_step(d->q->article_id);
    sl_error err = SL_OK;
    sli_buf_clear(id);
    if (rc == SQLITE_ROW)
        err = sli_buf_puts(id, sli_store_column_text(d->q->article_id, 0));
    else
        err = rc == SQLITE_DONE ? SL_ERR_NOT_FOUND : sli_store_fail(d->st, rc, "reading article id");
    sqlite3_reset(d->q->article_id);
    return err;
}

sl_error sli_store_dedup_stored_keys(sl_store *st, long long *keys)
{
    sqlite3_stmt *s;
    /* Both answered from the ends of b-trees: no scan. */
    sl_error err = sli_store_prepare(st,
                                 "SELECT EXISTS(SELECT 1 FROM lsh_blocks)"
                                 " OR EXISTS(SELECT 1 FROM paras_blocks)"
                                 " OR EXISTS(SELECT 1 FROM lsh_recent)"
                                 " OR EXISTS(SELECT 1 FROM paras_recent),"
                                 " (SELECT max(rid) FROM articles)",
                                 &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *keys = 0;
    if (rc == SQLITE_ROW && sqlite3_column_int(s, 0))
        *keys = 42 * sqlite3_column_int64(s, 1); /* 32 bands and about 10 paragraphs */
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "counting keys");
}

sl_error sli_store_dedup_clear(sl_store *st)
{
    sli_store_key_filter_drop(st); /* dropped, not emptied: the clear may be rolled back */
    sl_error err = sli_store_settled_filter_delete(st);
    if (!err)
        err = sli_store_exec(st, "DELETE FROM lsh_blocks; DELETE FROM paras_blocks;"
                                 " DELETE FROM lsh_recent; DELETE FROM paras_recent;"
                                 " DELETE FROM members;"
                                 " DELETE FROM counters WHERE name='dedup_settled';");
    return err;
}

/* The recent tables' keys into the blocks. The keys stay the same set (a key's rids
 * past STORE_KEY_MAX_RIDS aside, which no search returns), so the handle's filter of
 * stored keys stays right; the settled keys' saved filter lacks the recent ones, and goes
 * (made again at the batch's end: sli_store_dedup_keep_filter). */
static sl_error merge_recent(sl_store *st)
{
    sl_error err = sli_store_settled_filter_delete(st);
    if (!err)
        err = sli_store_key_blocks_merge(st, sli_dedup_blocks(), "lsh_blocks",
                                         "SELECT key, rid FROM lsh_recent ORDER BY key, rid");
    if (!err)
        err = sli_store_key_blocks_merge(st, sli_dedup_blocks(), "paras_blocks",
                                         "SELECT key, rid FROM paras_recent ORDER BY key, rid");
    return err ? err : sli_store_exec(st, "DELETE FROM lsh_recent; DELETE FROM paras_recent;");
}

sl_error sli_store_dedup_settle(sl_store *st)
{
    return sli_store_settle_with(st, "dedup_settled", DEDUP_RECENT_SHARE, merge_recent);
}
