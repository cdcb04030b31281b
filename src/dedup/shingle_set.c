/* shingle_set.c — collect, radix-sort and deduplicate shingle hashes; merge to compare. */
#include "shingle_set.h"

#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../sketch/sketch.h"

typedef struct collector {
    shingle_set *s;
    sl_error err; /* the shingle callback returns nothing: its failure is kept here */
} collector;

static void collect(void *user, uint64_t h)
{
    collector *c = user;
    shingle_set *s = c->s;
    uint64_t *v = sli_grow_array(s->v, &s->cap, s->n + 1, sizeof *v, 256);
    if (!v) {
        c->err = SL_ERR_NOMEM;
        return;
    }
    s->v = v;
    s->v[s->n++] = h;
}

/* LSD radix sort, a byte a pass: on the hundreds to thousands of shingles of an article
 * it beats qsort's comparisons (which showed in profiles of verification). */
static sl_error radix_sort(shingle_set *s)
{
    if (s->n < 64) { /* insertion sort */
        for (size_t i = 1; i < s->n; i++) {
            uint64_t x = s->v[i];
            size_t k = i;
            for (; k && s->v[k - 1] > x; k--)
                s->v[k] = s->v[k - 1];
            s->v[k] = x;
        }
        return SL_OK;
    }
    uint64_t *room = sli_grow_array(s->tmp, &s->tmp_cap, s->n, sizeof *room, 256);
    if (!room)
        return SL_ERR_NOMEM;
    s->tmp = room;
    size_t count[256];
    uint64_t *from = s->v, *to = s->tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < s->n; i++)
            count[from[i] >> shift & 0xFF]++;
        size_t sum = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < s->n; i++)
            to[count[from[i] >> shift & 0xFF]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    /* An even number of passes: the sorted values are back in s->v. */
    return SL_OK;
}

sl_error sli_shingle_set_of(shingle_set *s, const char *t, size_t n)
{
    s->n = 0;
    collector c = {s, SL_OK};
    sli_sketch_each_shingle(t, n, collect, &c);
    sl_error err = c.err ? c.err : radix_sort(s);
    if (err) {
        s->n = 0;
        return err;
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!k || s->v[k - 1] != s->v[i])
            s->v[k++] = s->v[i];
    s->n = k;
    return SL_OK;
}

void sli_shingle_set_free(shingle_set *s)
{
    free(s->v);
    free(s->tmp);
    memset(s, 0, sizeof *s);
}

void sli_shingle_set_compare(const shingle_set *a, const shingle_set *b, double *jaccard,
                         double *containment)
{
    size_t i = 0, k = 0, inter = 0;
    while (i < a->n && k < b->n) {
        if (a->v[i] < b->v[k])
            i++;
        else if (a->v[i] > b->v[k])
            k++;
        else
            inter++, i++, k++;
    }
    size_t uni = a->n + b->n - inter, small = a->n < b->n ? a->n : b->n;
    *jaccard = uni ? (double)inter / (double)uni : 0;
    *containment = small ? (double)inter / (double)small : 0;
}
