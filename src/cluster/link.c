/* link.c — how strongly two clusters belong together: per view the mean cosine of their
 * articles, weighted, times what their dates say (engine.h, sli_engine_link). */
#include "engine.h"

#include <math.h>

static double dot(const cterm *a, uint32_t na, const cterm *b, uint32_t nb)
{
    /* Both sides step on a tie; which side steps is computed rather than branched on
     * (this loop is the largest single cost of the events stage). */
    double s = 0;
    uint32_t i = 0, j = 0;
    while (i < na && j < nb) {
        uint64_t x = a[i].id, y = b[j].id;
        if (x == y)
            s += (double)a[i].w * b[j].w;
        i += x <= y;
        j += y <= x;
    }
    return s;
}

int sli_engine_days_apart(const cevent *a, const cevent *b)
{
    if (!a->ndated || !b->ndated)
        return 0;
    if (a->first > b->last)
        return a->first - b->last;
    return b->first > a->last ? b->first - a->last : 0;
}

/* Time as evidence: both dated and within `grace` days of each other's span, `boost`;
 * further apart, down from there by exp(-gap / tau) to `floor`; no date, neutral (1).
 * The gap between spans (oldest to newest dates) is at least the distance between the
 * mean dates less half of each span and `mean_window`: that is the gap itself for an
 * evenly spread event, more for one whose articles crowd far from the near end of its
 * span (a stray article stretched it). */
static double time_factor(const cluster_params *p, const cevent *a, const cevent *b)
{
    if (!a->ndated || !b->ndated)
        return 1;
    double gap = sli_engine_days_apart(a, b);
    double means = fabs(a->daysum / a->ndated - b->daysum / b->ndated) -
                   (double)(a->last - a->first + b->last - b->first) / 2 - p->mean_window;
    if (means > gap)
        gap = means;
    gap -= p->grace_days;
    if (gap <= 0)
        return p->boost;
    double f = p->boost * exp(-gap / p->tau_days);
    return f < p->time_floor ? p->time_floor : f;
}

double sli_engine_centroid_cos(const cevent *a, const cevent *b, int v)
{
    const centroid *x = &a->c[v], *y = &b->c[v];
    if (x->norm2 <= 0 || y->norm2 <= 0)
        return 0;
    return dot(x->t, x->n, y->t, y->n) / sqrt(x->norm2 * y->norm2);
}

/* --- the link --- */

double sli_engine_link(const cluster_params *p, const cevent *a, const cevent *b)
{
    if (!a->n || !b->n)
        return -1;
    double pairs = (double)a->n * b->n, s = 0, mean[VIEWS] = {0};
    for (int v = 0; v < VIEWS; v++) {
        if (!a->c[v].n || !b->c[v].n)
            continue;
        /* the sum of unit vectors' dot products over all pairs, over the pairs: the
         * mean cosine of an article of a with one of b */
        mean[v] = dot(a->c[v].t, a->c[v].n, b->c[v].t, b->c[v].n) / pairs;
        s += p->w[v] * mean[v];
    }
    /* A name or a number in common is not enough: the texts must share content too
     * (every article of a country names it). Content is the body, or the title where
     * one side is too short to have a body view. */
    int body = a->c[VIEW_BODY].n && b->c[VIEW_BODY].n;
    if (mean[body ? VIEW_BODY : VIEW_TITLE] < p->body_min)
        return -1;
    return s * time_factor(p, a, b);
}
