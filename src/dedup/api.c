/* api.c — the public face of the dedup stage: families as callbacks and as JSON. */
#include <stdio.h>
#include <stdlib.h>

#include "../core/json_writer.h"
#include "dedup.h"

typedef struct family_ctx {
    sl_store *st;
    store_dedup d;
    sl_family_fn fn;
    void *user;
    buf *ids;
    size_t cap;
    sl_family_member *out;
    int stop;
} family_ctx;

static sl_error to_public(void *user, long long family, const dedup_member *m, size_t n)
{
    family_ctx *x = user;
    if (x->stop)
        return SL_OK;
    if (n > x->cap) {
        buf *ids = realloc(x->ids, n * sizeof *ids);
        if (!ids)
            return SL_ERR_NOMEM;
        for (size_t i = x->cap; i < n; i++)
            sli_buf_init(&ids[i], 4096);
        x->ids = ids;
        sl_family_member *out = realloc(x->out, n * sizeof *out);
        if (!out)
            return SL_ERR_NOMEM;
        x->out = out;
        x->cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        sl_error err = sli_store_dedup_article_id(&x->d, m[i].rid, &x->ids[i]);
        if (err)
            return err;
        x->out[i] = (sl_family_member){sli_buf_str(&x->ids[i]), m[i].jaccard, m[i].containment,
                                       m[i].relation};
    }
    char name[32];
    snprintf(name, sizeof name, "F%lld", family);
    x->stop = x->fn(x->user, name, x->out, n) != 0;
    return SL_OK;
}

/* Every family (families NULL), or those of families[0..n). */
static sl_error each_of(sl_store *st, const long long *families, size_t n, sl_family_fn fn,
                        void *user)
{
    family_ctx x = {.st = st, .fn = fn, .user = user};
    sl_error err = sli_store_dedup_open(st, &x.d);
    if (!err)
        err = families ? sli_dedup_families(st, families, n, to_public, &x)
                       : sli_dedup_each_family(st, to_public, &x);
    sli_store_dedup_close(&x.d);
    for (size_t i = 0; i < x.cap; i++)
        sli_buf_free(&x.ids[i]);
    free(x.ids);
    free(x.out);
    return err;
}

sl_error sl_store_each_family(sl_store *st, sl_family_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    return each_of(st, NULL, 0, fn, user);
}

int sli_dedup_family_json(void *user, const char *family, const sl_family_member *m, size_t n)
{
    jw *w = user;
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "id", family);
    sli_jw_kv_string(w, "origin", m[0].article);
    sli_jw_key(w, "members");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "article", m[i].article);
        sli_jw_key(w, "jaccard");
        sli_jw_double(w, m[i].jaccard);
        sli_jw_key(w, "containment");
        sli_jw_double(w, m[i].containment);
        sli_jw_kv_string(w, "relation", m[i].relation);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_end_object(w);
    return w->err != SL_OK;
}

sl_error sli_dedup_families_json(sl_store *st, const long long *families, size_t n, jw *w)
{
    return n ? each_of(st, families, n, sli_dedup_family_json, w) : SL_OK;
}

sl_error sl_write_families(sl_store *st, sl_write_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_array(&w);
    sl_error err = sl_store_each_family(st, sli_dedup_family_json, &w);
    sli_jw_end_array(&w);
    sli_jw_newline(&w);
    sl_error werr = sli_jw_finish(&w);
    return err ? err : werr;
}
