/* clean_store.c — cleaning articles held in the store. */
#include "clean_store.h"

#include "../core/hset.h"

#include <stdlib.h>
#include <string.h>

/* --- counting lines during a batch --- */

#define FLUSH_AT (1u << 20) /* entries held before they go to the store */

struct clean_counts {
    store_line_count *slot; /* open addressing on (hash, source); articles 0: empty */
    size_t mask, n;
    char *last_source;      /* a one-entry cache of source name -> id */
    long long last_id;
};

static int counts_grow(clean_counts *c, size_t cap)
{
    store_line_count *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return 0;
    for (size_t i = 0; c->slot && i <= c->mask; i++) {
        store_line_count *e = &c->slot[i];
        if (!e->articles)
            continue;
        size_t j = (size_t)((e->hash ^ (uint64_t)e->source * 0x9E3779B97F4A7C15ull) & (cap - 1));
        while (slot[j].articles)
            j = (j + 1) & (cap - 1);
        slot[j] = *e;
    }
    free(c->slot);
    c->slot = slot;
    c->mask = cap - 1;
    return 1;
}

clean_counts *clean_counts_create(void)
{
    clean_counts *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!counts_grow(c, 4096)) {
        free(c);
        return NULL;
    }
    return c;
}

void clean_counts_free(clean_counts *c)
{
    if (!c)
        return;
    free(c->slot);
    free(c->last_source);
    free(c);
}

static int counts_add(clean_counts *c, uint64_t hash, long long source)
{
    if ((c->n + 1) * 2 > c->mask + 1 && !counts_grow(c, (c->mask + 1) * 2))
        return 0;
    size_t j = (size_t)((hash ^ (uint64_t)source * 0x9E3779B97F4A7C15ull) & c->mask);
    while (c->slot[j].articles) {
        if (c->slot[j].hash == hash && c->slot[j].source == source) {
            c->slot[j].articles++;
            return 1;
        }
        j = (j + 1) & c->mask;
    }
    c->slot[j] = (store_line_count){hash, source, 1};
    c->n++;
    return 1;
}

sl_error clean_counts_note(clean_counts *c, sl_store *st, const char *source,
                           const clean_result *lines)
{
    if (!c->last_source || strcmp(c->last_source, source)) {
        long long id;
        sl_error err = store_source_id(st, source, &id);
        if (err)
            return err;
        free(c->last_source);
        c->last_source = strdup(source);
        if (!c->last_source)
            return SL_ERR_NOMEM;
        c->last_id = id;
    }
    /* Each line once per article: a line printed twice is counted once. */
    hset seen;
    if (!hset_init(&seen, lines->n))
        return SL_ERR_NOMEM;
    sl_error err = SL_OK;
    for (size_t i = 0; i < lines->n && !err; i++) {
        const clean_line *l = &lines->lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue;
        int added = hset_add(&seen, l->hash);
        if (added < 0 || (added && !counts_add(c, l->hash, c->last_id)))
            err = SL_ERR_NOMEM;
    }
    hset_free(&seen);
    if (err)
        return err;
    if (c->n >= FLUSH_AT)
        return clean_counts_flush(c, st);
    return SL_OK;
}

sl_error clean_counts_flush(clean_counts *c, sl_store *st)
{
    /* Pack the entries to the front, then hand them over in one go. */
    size_t k = 0;
    for (size_t i = 0; i <= c->mask; i++)
        if (c->slot[i].articles)
            c->slot[k++] = c->slot[i];
    sl_error err = store_lines_add(st, c->slot, k);
    memset(c->slot, 0, (c->mask + 1) * sizeof *c->slot);
    c->n = 0;
    return err;
}

/* --- cleaning stored articles --- */

typedef struct cleaner {
    sl_store *st;
    store_line_reader reader;
    clean_result r;
    buf title;
    sqlite3_stmt *update;
    long long source_id, source_articles;
    char *source_name;
    sl_error err;
    sl_error (*done)(void *user, const clean_done *a);
    void *user;
    clean_explain_fn explain;
    void *explain_user;
    long long empty;
} cleaner;

static void lookup(void *user, const uint64_t *hashes, size_t n, clean_repeats *out)
{
    cleaner *cl = user;
    for (size_t i = 0; i < n && !cl->err; i++) {
        const clean_line *l = &cl->r.lines[i];
        if (l->chars > CLEAN_COUNTED_CHARS)
            continue; /* never counted */
        cl->err = store_line_lookup(&cl->reader, cl->source_id, hashes[i], &out[i].same_source,
                                    &out[i].sources);
    }
}

static sl_error use_source(cleaner *cl, const char *name)
{
    if (cl->source_name && !strcmp(cl->source_name, name))
        return SL_OK;
    sl_error err = store_source_find(cl->st, name, &cl->source_id, &cl->source_articles);
    if (err)
        return err;
    free(cl->source_name);
    cl->source_name = strdup(name);
    return cl->source_name ? SL_OK : SL_ERR_NOMEM;
}

static sl_error clean_row(void *user, const store_clean_row *row)
{
    cleaner *cl = user;
    const char *raw = row->raw ? row->raw : "";
    size_t n = strlen(raw);
    sl_error err = use_source(cl, row->source ? row->source : "");
    if (!err)
        err = clean_split(raw, n, &cl->r, NULL);
    if (err)
        return err;
    clean_input in = {row->title_in, cl->source_articles, lookup, cl};
    err = clean_label_lines(raw, n, &in, &cl->r);
    if (!err)
        err = cl->err;
    if (err)
        return err;
    if (cl->explain) {
        for (size_t i = 0; i < cl->r.n; i++) {
            const clean_line *l = &cl->r.lines[i];
            if (cl->explain(cl->explain_user, raw + l->start, l->len, l->label,
                            l->why ? l->why : "prose", l->detail))
                break;
        }
        return SL_OK;
    }
    const char *title = row->title_in;
    buf_clear(&cl->title);
    if (!title && cl->r.title_line >= 0) {
        const clean_line *l = &cl->r.lines[cl->r.title_line];
        err = buf_append(&cl->title, raw + l->start, l->len);
        if (err)
            return err;
        title = cl->title.data;
    }
    size_t chars = 0;
    for (size_t i = 0; i < cl->r.text.len; i++)
        chars += (cl->r.text.data[i] & 0xC0) != 0x80;
    store_clean_update u = {
        .text = buf_str(&cl->r.text),
        .text_len = cl->r.text.len,
        .chars_clean = (long long)chars,
        .title = title,
        .date = row->date_in ? row->date_in : (cl->r.date.kind ? cl->r.date.iso : NULL),
        .byline = cl->r.byline[0] ? cl->r.byline : NULL,
        .credit = cl->r.credit[0] ? cl->r.credit : NULL,
    };
    cl->empty += cl->r.text.len == 0;
    err = store_update_cleaned(cl->st, &cl->update, row->rid, &u);
    if (!err && cl->done) {
        clean_done d = {row->rid, u.text, u.text_len, u.date};
        err = cl->done(cl->user, &d);
    }
    return err;
}

static sl_error run(cleaner *cl, long long batch, const char *id)
{
    clean_result_init(&cl->r, BUF_UNLIMITED);
    buf_init(&cl->title, BUF_UNLIMITED);
    sl_error err = store_line_reader_open(cl->st, &cl->reader);
    if (!err)
        err = store_each_for_cleaning(cl->st, batch, id, clean_row, cl);
    store_line_reader_close(&cl->reader);
    sqlite3_finalize(cl->update);
    clean_result_free(&cl->r);
    buf_free(&cl->title);
    free(cl->source_name);
    return err;
}

sl_error clean_stored(sl_store *st, long long batch,
                      sl_error (*done)(void *user, const clean_done *a), void *user,
                      long long *empty)
{
    cleaner cl = {.st = st, .done = done, .user = user};
    sl_error err = run(&cl, batch, NULL);
    if (empty)
        *empty = cl.empty;
    return err;
}

sl_error clean_explain(sl_store *st, const char *id, clean_explain_fn fn, void *user)
{
    cleaner cl = {.st = st, .explain = fn, .explain_user = user};
    return run(&cl, 0, id);
}
