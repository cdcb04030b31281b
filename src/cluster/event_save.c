/* event_save.c — a run's changed events saved (event_blob.h): each centroid's blob made
 * and packed on every core, the rows put in order on the store's thread. Making the blobs
 * (their IDFs' bases, the weights' codes) and packing them (zstd, with the store's
 * dictionary) was most of the saving, which a run did on one thread while the other
 * core idled (docs/profile.md, "Eighteenth round"). */
#include "event_blob.h"

#include <stdlib.h>

#include "../core/grow.h"
#include "../core/pack.h"
#include "../core/workers.h"

/* Events made ready at once, each one's blob and frame held until it is put (a few KB,
 * up to about a MB for the largest): enough that a block's fork-join is small beside it. */
#define SAVE_BLOCK 256

typedef struct save_item {
    const cevent *ev;
    unsigned char *blob; /* malloc'd by sli_event_blob */
    store_event_row row;
    buf frame; /* the packed centroid, when packed here */
    sl_error err;
} save_item;

typedef struct saving {
    save_item *item;
    size_t n;        /* items in this block */
    unsigned threads;
    idf_memo **memo; /* one a thread (each may be NULL: computed again) */
    packer **pk;     /* one a thread, or all NULL: the store's put packs */
} saving;

typedef struct dirty_list {
    const cevent **ev;
    size_t n, cap;
    sl_error err;
} dirty_list;

static int note_dirty(void *user, cevent *ev)
{
    dirty_list *d = user;
    if (!ev->dirty)
        return 0;
    const cevent **p = sli_grow_array(d->ev, &d->cap, d->n + 1, sizeof *p, 1024);
    if (!p) {
        d->err = SL_ERR_NOMEM;
        return 1;
    }
    d->ev = p;
    d->ev[d->n++] = ev;
    return 0;
}

static void make_one(saving *s, unsigned t, save_item *it)
{
    size_t len;
    it->blob = sli_event_blob(s->memo[t], it->ev, &len, &it->err);
    if (!it->blob)
        return;
    it->row = sli_event_row(it->ev, it->blob, len);
    if (s->pk[t])
        it->err = sli_store_event_pack(s->pk[t], &it->row, &it->frame);
}

/* Thread t makes items t, t + threads, ...: fixed parts, not taken in turn, so that what
 * each thread allocates (its packer's tables included) is the same from run to run
 * whichever thread is quicker (tests/cli/test_oom.sh counts a run's allocations). */
static void make_part(void *user, unsigned t)
{
    saving *s = user;
    for (size_t k = t; k < s->n; k += s->threads)
        make_one(s, t, &s->item[k]);
}

sl_error sli_event_save_dirty(store_events *es, engine *e, workers *team)
{
    dirty_list d = {NULL, 0, 0, SL_OK};
    sli_engine_each(e, note_dirty, &d);
    if (d.err || !d.n) {
        free(d.ev);
        return d.err;
    }
    saving s = {NULL, 0, team && d.n > 1 ? sli_workers_count(team) : 1, NULL, NULL};
    size_t block = d.n < SAVE_BLOCK ? d.n : SAVE_BLOCK;
    s.item = calloc(block, sizeof *s.item);
    s.memo = calloc(s.threads, sizeof *s.memo);
    s.pk = calloc(s.threads, sizeof *s.pk);
    sl_error err = s.item && s.memo && s.pk ? SL_OK : SL_ERR_NOMEM;
    for (unsigned t = 0; !err && t < s.threads; t++)
        s.memo[t] = sli_idf_memo_new(); /* none: the same blobs, computed again */
    if (!err)
        err = sli_store_event_packers(es, s.threads, s.pk);
    for (size_t at = 0; !err && at < d.n; at += block) {
        s.n = d.n - at < block ? d.n - at : block;
        for (size_t k = 0; k < s.n; k++) {
            s.item[k] = (save_item){.ev = d.ev[at + k]};
            sli_buf_init(&s.item[k].frame, BUF_UNLIMITED);
        }
        if (s.threads > 1)
            sli_workers_run(team, make_part, &s);
        else
            make_part(&s, 0);
        for (size_t k = 0; k < s.n; k++) { /* in order, each freed */
            save_item *it = &s.item[k];
            if (!err)
                err = it->err;
            if (!err)
                err = sli_store_event_put(es, &it->row);
            free(it->blob);
            sli_buf_free(&it->frame);
        }
    }
    for (unsigned t = 0; s.memo && t < s.threads; t++)
        sli_idf_memo_free(s.memo[t]);
    for (unsigned t = 0; s.pk && t < s.threads; t++)
        sli_packer_free(s.pk[t]);
    free(s.memo);
    free(s.pk);
    free(s.item);
    free(d.ev);
    return err;
}
