/* tally.c — ids named at least `need` times, counted in a hash table that is
 * stamped, not cleared, for each list. */
#include "tally.h"

#include <stdlib.h>

#include "../core/select.h"

/* The most counted first; of equals, the highest id (the newest event). Ids are distinct
 * in a list: strict and total. */
static inline int count_before(const tally_pair *x, const tally_pair *y)
{
    return x->n != y->n ? x->n > y->n : x->id > y->id;
}

static inline int id_before(const long long *x, const long long *y)
{
    return *x < *y;
}

/* Which ids are kept is all a cut needs (they are sorted by id after), and the kept ones
 * sorted: with the orders inline, not through qsort's calls (docs/profile.md, "Nineteenth
 * round"). */
SLI_DEFINE_SELECT(select_most, tally_pair, count_before)
SLI_DEFINE_SORT(sort_ids, long long, id_before)

sl_error sli_tally_reserve(tally *t, size_t n)
{
    if (n <= t->room && t->pair)
        return SL_OK;
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    tally_pair *p = malloc((n ? n : 1) * sizeof *p);
    tally_slot *s = calloc(slots, sizeof *s);
    if (!p || !s) {
        free(p);
        free(s);
        return SL_ERR_NOMEM;
    }
    free(t->pair);
    free(t->slot);
    t->pair = p;
    t->slot = s;
    t->mask = slots - 1;
    t->list = 0; /* every slot's stamp is 0: the first list is 1 */
    t->room = n;
    return SL_OK;
}

/* The slot of id in this list (claimed, count 0, if new): the table is at most half full. */
static tally_slot *slot_of(tally *t, long long id)
{
    size_t h = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
    for (;;) {
        tally_slot *s = &t->slot[h];
        if (s->list != t->list) {
            *s = (tally_slot){id, t->list, 0};
            return s;
        }
        if (s->id == id)
            return s;
        h = (h + 1) & t->mask;
    }
}

static const tally_slot *slot_get(const tally *t, long long id)
{
    size_t h = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
    for (;;) {
        const tally_slot *s = &t->slot[h];
        if (s->list != t->list)
            return NULL;
        if (s->id == id)
            return s;
        h = (h + 1) & t->mask;
    }
}

/* Counts up to this many are ranked by a histogram (a list of an article's postings
 * counts an id once a key: at most ENGINE_QUERY_KEYS); above, by sorting. */
#define HIST_COUNTS 64

/* ids[0..m) (their counts in the table) cut to the `most` counted most often, the highest
 * ids first on ties, in no order; returns `most`. The counts are small: a histogram finds
 * the count at which the cut falls, and only the ids at that count are ranked, by id:
 * the whole list sorted by count showed in profiles (a search past ENGINE_BEST_CANDIDATES
 * events). */
static size_t keep_most(tally *t, long long *ids, size_t m, size_t most)
{
    size_t hist[HIST_COUNTS + 1] = {0};
    int beyond = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = sli_tally_count(t, ids[i]);
        t->pair[i] = (tally_pair){ids[i], c};
        if (c > HIST_COUNTS)
            beyond = 1;
        else
            hist[c]++;
    }
    if (beyond) { /* not met by a search: ranked by a selection */
        select_most(t->pair, m, most);
        for (size_t j = 0; j < most; j++)
            ids[j] = t->pair[j].id;
        return most;
    }
    uint32_t cut = HIST_COUNTS; /* the count of the last id kept */
    size_t above = 0;           /* ids counted more than cut */
    while (cut > 0 && above + hist[cut] < most) {
        above += hist[cut];
        cut--;
    }
    size_t k = 0, nties = 0, want = most - above;
    for (size_t i = 0; i < m; i++) {
        if (t->pair[i].n > cut)
            ids[k++] = t->pair[i].id;
        else if (t->pair[i].n == cut)
            t->pair[nties++] = (tally_pair){t->pair[i].id, cut}; /* nties <= i: read already */
    }
    if (nties > want) /* the highest ids of those at the cut (equal counts: by id) */
        select_most(t->pair, nties, want);
    for (size_t j = 0; j < want; j++)
        ids[k++] = t->pair[j].id;
    return most;
}

size_t sli_tally_at_least(tally *t, long long *ids, size_t n, int need, size_t most)
{
    if (!t->pair)
        return 0; /* n is 0: nothing reserved, nothing to count */
    if (++t->list == 0) { /* the stamps wrapped: every slot empty again */
        for (size_t i = 0; i <= t->mask; i++)
            t->slot[i].list = 0;
        t->list = 1;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        tally_slot *s = slot_of(t, ids[i]);
        if (++s->n == (uint32_t)need)
            ids[m++] = ids[i]; /* m <= i: ids[i] was read already */
    }
    if (m > most) /* the most often counted, the newest (highest id) first on ties */
        m = keep_most(t, ids, m, most);
    sort_ids(ids, m);
    return m;
}

uint32_t sli_tally_count(const tally *t, long long id)
{
    const tally_slot *s = t->slot ? slot_get(t, id) : NULL;
    return s ? s->n : 0;
}

void sli_tally_free(tally *t)
{
    free(t->slot);
    free(t->pair);
    *t = (tally){0};
}
