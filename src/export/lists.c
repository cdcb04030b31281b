/* lists.c — pages of the lists (sl_write_list), the storylines, and full-text search as
 * JSON. A page costs what it holds: its ids are read from an index walked to the offset
 * (store/list_rows.c), then only its items are loaded; the total is one count. */
#include <stdlib.h>
#include <string.h>

#include "../cluster/cluster.h"
#include "../core/grow.h"
#include "../core/json_writer.h"
#include "../dedup/dedup.h"
#include "../store/store.h"
#include "export.h"
#include "storyline.h"

typedef struct ids {
    long long *v;
    size_t n, cap;
} ids;

static sl_error take_id(void *user, long long id)
{
    ids *x = user;
    long long *v = sli_grow_array(x->v, &x->cap, x->n + 1, sizeof *v, 64);
    if (!v)
        return SL_ERR_NOMEM;
    x->v = v;
    x->v[x->n++] = id;
    return SL_OK;
}

static int article_item(void *user, const sl_article *a)
{
    jw *w = user;
    sli_article_json(w, a, 0);
    return w->err != SL_OK;
}

/* The items of the page [offset, offset + limit) (limit <= 0: to the end) to w. */
static sl_error write_page(sl_store *st, sl_list what, long long event, long long offset,
                           long long limit, jw *w)
{
    if (what == SL_LIST_ARTICLES)
        return sli_store_each_article_page(st, 0, offset, limit, article_item, w);
    ids x = {0};
    sl_error err = sli_store_list_ids(st, what, event, offset, limit, take_id, &x);
    if (!err) {
        switch (what) {
        case SL_LIST_EVENTS:
            err = sli_events_json(st, x.v, x.n, w);
            break;
        case SL_LIST_STORYLINES:
            err = sli_storylines_json(st, x.v, x.n, w);
            break;
        case SL_LIST_FAMILIES:
            err = sli_dedup_families_json(st, x.v, x.n, w);
            break;
        default: /* quotes: by id, so the page's are those between its first and last */
            err = x.n ? sli_quotes_json(st, event, x.v[0], x.v[x.n - 1], w) : SL_OK;
            break;
        }
    }
    free(x.v);
    return err;
}

sl_error sl_write_list(sl_store *st, sl_list what, const char *event, sl_range *range,
                       sl_write_fn fn, void *user)
{
    if (!st || !fn || (unsigned)what > SL_LIST_ARTICLES ||
        (event && what != SL_LIST_QUOTES) || (range && range->offset < 0))
        return SL_ERR_INVALID;
    long long e = 0;
    if (event) {
        int known = 0;
        e = sli_cluster_parse_id(event, 'E');
        sl_error err = e ? sli_store_event_known(st, e, &known) : SL_OK;
        if (err)
            return err;
        if (!known)
            return SL_ERR_NOT_FOUND;
    }
    if (range) {
        sl_error err = sli_store_list_count(st, what, e, &range->total);
        if (err)
            return err;
    }
    if (!range && what == SL_LIST_EVENTS)
        return sl_write_events(st, fn, user); /* all at once: one query */
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    sl_error err = SL_OK;
    /* past the end: an empty array, without a query */
    if (!range || range->offset < range->total)
        err = write_page(st, what, e, range ? range->offset : 0, range ? range->limit : 0,
                         &w);
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    sl_error werr = sli_jw_finish(&w);
    return err ? err : werr;
}

sl_error sl_write_storylines(sl_store *st, sl_write_fn fn, void *user)
{
    return sl_write_list(st, SL_LIST_STORYLINES, NULL, NULL, fn, user);
}

/* --- search --- */

sl_error sl_store_search(sl_store *st, const char *q, sl_range *range, sl_hit_fn fn,
                         void *user)
{
    if (!st || !q || !fn || (range && range->offset < 0))
        return SL_ERR_INVALID;
    return sli_store_search(st, q, range ? range->offset : 0, range ? range->limit : 0,
                            range ? &range->total : NULL, fn, user);
}

static int hit_json(void *user, const sl_hit *h)
{
    jw *w = user;
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "id", h->id);
    sli_jw_kv_string(w, "title", h->title);
    sli_jw_kv_string(w, "source", h->source);
    sli_jw_kv_string(w, "date", h->date);
    sli_jw_kv_string(w, "event", h->event);
    sli_jw_kv_string(w, "snippet", h->snippet);
    sli_jw_key(w, "rank");
    sli_jw_double(w, h->rank);
    sli_jw_end_object(w);
    return w->err != SL_OK;
}

sl_error sl_write_search(sl_store *st, const char *q, sl_range *range, sl_write_fn fn,
                         void *user)
{
    if (!st || !q || !fn || (range && range->offset < 0))
        return SL_ERR_INVALID;
    /* Checked before anything is written: a bad query is an error, not an empty array. */
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    sl_error err = sl_store_search(st, q, range, hit_json, &w);
    if (err) { /* found before any hit: what is buffered ("[") never reaches fn */
        sli_buf_free(&w.out);
        return err;
    }
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    return sli_jw_finish(&w);
}
