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

/* The days between two dated clusters as the link weighs them (-1 when either is
 * undated): the gap between their spans (oldest to newest dates), or more: at least the
 * distance between the mean dates less half of each span and `mean_window`. That is the
 * gap itself for an evenly spread event, more for one whose articles crowd far from the
 * near end of its span (a stray article stretched it). */
static double time_gap(const cluster_params *p, const cevent *a, const cevent *b)
{
    if (!a->ndated || !b->ndated)
        return -1;
    double gap = sli_engine_days_apart(a, b);
    double means = fabs(a->daysum / a->ndated - b->daysum / b->ndated) -
                   (double)(a->last - a->first + b->last - b->first) / 2 - p->mean_window;
    return means > gap ? means : gap;
}

double sli_engine_link_model(const cluster_params *p, const double mean[VIEWS], double gap)
{
    double z = 0;
    for (int v = 0; v < VIEWS; v++)
        z += p->w[v] * mean[v];
    z = p->bias + z * sli_engine_time_factor(p, gap);
    return 1 / (1 + exp(-z));
}

double sli_engine_link_at(const cluster_params *p, double k)
{
    /* a bar of 0 or 1 (or past them) would be an infinite logit: kept inside */
    double join = p->join < 1e-6 ? 1e-6 : p->join > 1 - 1e-6 ? 1 - 1e-6 : p->join;
    double bar = log(join / (1 - join)) - p->bias;
    return 1 / (1 + exp(-(p->bias + k * bar)));
}

/* Time scales the evidence of the texts: in full when either side is undated or they are
 * within `grace` days; further apart, down by exp(-(gap - grace) / tau) to `floor`. Not
 * fitted (the dev sets cannot: ECB+ is undated, Giveme5W1H's gold events span months):
 * a prior, so that the same topic months later is a new event (of the same storyline). */
double sli_engine_time_factor(const cluster_params *p, double gap)
{
    if (gap < 0)
        return 1;
    if (gap <= p->grace_days)
        return p->boost;
    double f = p->boost * exp(-(gap - p->grace_days) / p->tau_days);
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

int sli_engine_link_parts(const cluster_params *p, const cevent *a, const cevent *b,
                          double mean[VIEWS], double *gap)
{
    double pairs = (double)a->n * b->n;
    for (int v = 0; v < VIEWS; v++) {
        mean[v] = 0;
        if (!a->c[v].n || !b->c[v].n || pairs <= 0)
            continue;
        /* the sum of unit vectors' dot products over all pairs, over the pairs: the
         * mean cosine of an article of a with one of b */
        mean[v] = dot(a->c[v].t, a->c[v].n, b->c[v].t, b->c[v].n) / pairs;
    }
    *gap = time_gap(p, a, b);
    /* A name or a number in common is not enough: the texts must share content too
     * (every article of a country names it). Content is the body, or the title where
     * one side is too short to have a body view. */
    int body = a->c[VIEW_BODY].n && b->c[VIEW_BODY].n;
    return mean[body ? VIEW_BODY : VIEW_TITLE] >= p->body_min;
}

double sli_engine_link(const cluster_params *p, const cevent *a, const cevent *b)
{
    if (!a->n || !b->n)
        return -1;
    double mean[VIEWS], gap;
    if (!sli_engine_link_parts(p, a, b, mean, &gap))
        return -1;
    return sli_engine_link_model(p, mean, gap);
}
