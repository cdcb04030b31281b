/* note.c — articles noted as they are cleaned: normalised once, sketched, keyed. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "../core/grow.h"
#include "../text/normalize.h"

sl_error sli_dedup_run_create(sl_store *st, unsigned threads, unsigned slots, dedup_run **out)
{
    dedup_run *r = calloc(1, sizeof *r);
    if (!r)
        return SL_ERR_NOMEM;
    r->st = st;
    sli_buf_init(&r->text, BUF_UNLIMITED);
    sli_buf_init(&r->norm, BUF_UNLIMITED);
    r->thread_norm = calloc(threads ? threads : 1, sizeof *r->thread_norm);
    r->slots = calloc(slots ? slots : 1, sizeof *r->slots);
    r->threads = threads ? threads : 1;
    r->nslots = slots ? slots : 1;
    sl_error err = !r->thread_norm || !r->slots ? SL_ERR_NOMEM : SL_OK;
    for (unsigned t = 0; !err && t < r->threads; t++)
        sli_buf_init(&r->thread_norm[t], BUF_UNLIMITED);
    if (!err)
        err = sli_store_dedup_open(st, &r->d);
    if (err) {
        sli_dedup_run_free(r);
        return err;
    }
    *out = r;
    return SL_OK;
}

void sli_dedup_run_free(dedup_run *r)
{
    if (!r)
        return;
    sli_store_dedup_close(&r->d);
    sli_store_stmt_free(r->put_sketch);
    sli_buf_free(&r->text);
    sli_buf_free(&r->norm);
    for (unsigned t = 0; r->thread_norm && t < r->threads; t++)
        sli_buf_free(&r->thread_norm[t]);
    free(r->thread_norm);
    free(r->slots);
    free(r->preps);
    free(r->paras);
    sli_key_index_free(r->ix);
    sli_u64map_free(&r->seen);
    sli_u64map_free(&r->ahead);
    free(r->ahead_rids);
    sli_shingle_set_free(&r->mine);
    sli_shingle_set_free(&r->theirs);
    sli_shingle_set_free(&r->root_a);
    sli_shingle_set_free(&r->root_b);
    free(r);
}

/* --- noting articles --- */

/* The normalised text into norm, line by line (the same as normalising it whole); on
 * the way, the paragraph keys: the hashes of the normalised lines of PARA_MIN_WORDS words
 * or more. */
static sl_error normalize_lines(buf *norm, const char *t, size_t n, uint64_t *paras,
                                uint32_t *nparas)
{
    sli_buf_clear(norm);
    *nparas = 0;
    sl_error err = SL_OK;
    for (size_t i = 0; i < n && !err;) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - t) : n, words = 0, at;
        err = sli_text_normalize_line(t + i, end - i, norm, &at);
        for (size_t j = i; j < end; j++)
            words += t[j] == ' ';
        if (!err && words + 1 >= PARA_MIN_WORDS && *nparas < MAX_PARAS && norm->len > at)
            paras[(*nparas)++] = XXH3_64bits(norm->data + at, norm->len - at);
        i = end + 1;
    }
    return err;
}

sl_error sli_dedup_text_keys(const char *text, size_t len, buf *norm, sketch *sk,
                             uint64_t bands[BANDS], uint64_t paras[MAX_PARAS], uint32_t *nparas)
{
    sl_error err = normalize_lines(norm, text, len, paras, nparas);
    if (err)
        return err;
    sli_sketch_text(sli_buf_str(norm), norm->len, sk);
    for (int b = 0; b < BANDS; b++)
        bands[b] = XXH3_64bits_withSeed(&sk->v[b * ROWS], ROWS * sizeof sk->v[0], (uint64_t)b);
    return SL_OK;
}

sl_error sli_dedup_run_prepare(dedup_run *r, unsigned thread, unsigned slot, long long rid,
                           const char *text, size_t len, const char *date)
{
    if (thread >= r->threads || slot >= r->nslots)
        return SL_ERR_INVALID;
    slot_work *w = &r->slots[slot];
    buf *norm = &r->thread_norm[thread];
    memset(&w->p, 0, sizeof w->p);
    w->p.rid = rid;
    if (date)
        snprintf(w->p.date, sizeof w->p.date, "%s", date);
    sl_error err = sli_dedup_text_keys(text, len, norm, &w->sk, w->p.bands, w->paras, &w->p.nparas);
    w->p.shingles = w->sk.shingles;
    return err;
}

sl_error sli_dedup_run_note(dedup_run *r, unsigned slot)
{
    if (slot >= r->nslots)
        return SL_ERR_INVALID;
    const slot_work *w = &r->slots[slot];
    sl_error err = sli_store_put_shingles(r->st, &r->put_sketch, w->p.rid, w->sk.shingles);
    if (err)
        return err;
    prep *v = sli_grow_array(r->preps, &r->cap, r->n + 1, sizeof *v, 256);
    if (!v)
        return SL_ERR_NOMEM;
    r->preps = v;
    uint64_t *pv = sli_grow_array(r->paras, &r->paras_cap, r->nparas + w->p.nparas, sizeof *pv, 4096);
    if (!pv)
        return SL_ERR_NOMEM;
    r->paras = pv;
    prep *p = &r->preps[r->n++];
    *p = w->p;
    p->para_at = (uint32_t)r->nparas;
    if (w->p.nparas)
        memcpy(r->paras + r->nparas, w->paras, w->p.nparas * sizeof *w->paras);
    r->nparas += w->p.nparas;
    return SL_OK;
}

sl_error sli_dedup_sink_prepare(void *user, unsigned thread, unsigned slot, const clean_done *a)
{
    return sli_dedup_run_prepare(user, thread, slot, a->rid, a->text, a->len, a->date);
}

sl_error sli_dedup_sink_done(void *user, unsigned slot, const clean_done *a)
{
    (void)a;
    return sli_dedup_run_note(user, slot);
}
