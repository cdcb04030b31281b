/* link.c — how strongly two clusters belong together: per view the mean cosine of their
 * articles, weighted, times what their dates say (engine.h, sli_engine_link). */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The walk of a[i..na) and b[j..nb), its products added to s in id order. */
static double walk(const cterm *a, uint32_t i, uint32_t na, const cterm *b, uint32_t j,
                   uint32_t nb, double s)
{
    /* Both sides step on a tie; which side steps is computed rather than branched on
     * (this loop is the largest single cost of the events stage). */
    while (i < na && j < nb) {
        uint64_t x = a[i].id, y = b[j].id;
        if (x == y)
            s += (double)a[i].w * b[j].w;
        i += x <= y;
        j += y <= x;
    }
    return s;
}

/* The first of t[0..n) (sorted by id) whose id is at least `from`. */
static uint32_t first_from(const cterm *t, uint32_t n, uint64_t from)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t[mid].id < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Views with fewer terms on either side are walked in one piece. */
#define DOT_SPLIT_LEAST 16
/* The products of the upper half that dot holds until the lower half's sum is done. */
#define DOT_HELD 256

static double dot(const cterm *a, uint32_t na, const cterm *b, uint32_t nb)
{
    /* A walk's every step waits on the last. Ids are hashes' top bits, spread evenly:
     * the halves below and above 2^(TERM_ID_BITS - 1) are walked side by side, two
     * chains of steps the processor
     * overlaps. The sum is still made in id order (the lower half's, then the upper
     * half's products added to it one by one): the same double. */
    if (na < DOT_SPLIT_LEAST || nb < DOT_SPLIT_LEAST)
        return walk(a, 0, na, b, 0, nb, 0);
    const uint64_t half = 1ull << (TERM_ID_BITS - 1);
    uint32_t ma = first_from(a, na, half), mb = first_from(b, nb, half);
    uint32_t most = na - ma < nb - mb ? na - ma : nb - mb; /* upper products at most */
    if (most >= DOT_HELD)
        return walk(a, 0, na, b, 0, nb, 0);
    double s = 0, held[DOT_HELD];
    uint32_t nheld = 0, i = 0, j = 0, k = ma, l = mb;
    while (i < ma && j < mb && k < na && l < nb) {
        uint64_t x = a[i].id, y = b[j].id, u = a[k].id, v = b[l].id;
        if (x == y)
            s += (double)a[i].w * b[j].w;
        i += x <= y;
        j += y <= x;
        held[nheld] = (double)a[k].w * b[l].w; /* kept when the ids meet */
        nheld += u == v;
        k += u <= v;
        l += v <= u;
    }
    s = walk(a, i, ma, b, j, mb, s);
    while (k < na && l < nb) {
        uint64_t u = a[k].id, v = b[l].id;
        held[nheld] = (double)a[k].w * b[l].w;
        nheld += u == v;
        k += u <= v;
        l += v <= u;
    }
    for (uint32_t h = 0; h < nheld; h++)
        s += held[h];
    return s;
}

/* --- dots against an index --- */

/* A term's first slot. Ids are hashes, but some have their low bit set (features.c):
 * Fibonacci hashing takes the high bits. */
static inline uint32_t slot_of(uint64_t id, uint32_t mask)
{
    return (uint32_t)((id * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

void sli_cindex_free(cindex *x)
{
    free(x->id);
    free(x->w);
    *x = (cindex){0};
}

sl_error sli_cindex_build(cindex *x, const cevent *ev)
{
    uint32_t slots = 0, size[VIEWS];
    for (int v = 0; v < VIEWS; v++) {
        size[v] = 0;
        if (ev->c[v].n)
            for (size[v] = 8; size[v] < 2 * ev->c[v].n; size[v] *= 2)
                ;
        slots += size[v];
    }
    x->ok = 0;
    if (slots > x->cap) {
        uint64_t *id = realloc(x->id, slots * sizeof *id);
        if (id)
            x->id = id;
        float *w = id ? realloc(x->w, slots * sizeof *w) : NULL;
        if (w)
            x->w = w;
        if (!id || !w)
            return SL_ERR_NOMEM;
        x->cap = slots;
    }
    if (slots)
        memset(x->id, 0, slots * sizeof *x->id);
    uint32_t at = 0;
    for (int v = 0; v < VIEWS; v++) {
        x->at[v] = at;
        x->mask[v] = size[v] ? size[v] - 1 : 0;
        for (uint32_t i = 0; i < ev->c[v].n; i++) {
            uint64_t id = ev->c[v].t[i].id;
            if (!id)
                return SL_OK; /* 0 marks an empty slot: such a centroid is walked (x->ok 0) */
            uint32_t h = slot_of(id, x->mask[v]);
            while (x->id[at + h])
                h = (h + 1) & x->mask[v];
            x->id[at + h] = id;
            x->w[at + h] = ev->c[v].t[i].w;
        }
        at += size[v];
    }
    x->ok = 1;
    return SL_OK;
}

/* dot(t[0..n), a view of an index): t's terms in order, each looked up, so the products
 * are summed in the order dot() sums them, to the same double. */
static double dot_probe(const cterm *t, uint32_t n, const uint64_t *ids, const float *w,
                        uint32_t mask)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t id = t[i].id;
        uint32_t h = slot_of(id, mask);
        while (ids[h] && ids[h] != id)
            h = (h + 1) & mask;
        if (ids[h] == id && id)
            s += (double)t[i].w * w[h];
    }
    return s;
}

void sli_engine_dots_indexed(const cevent *a, const cevent *b, const cindex *bx, double d[VIEWS])
{
    if (!bx->ok) {
        sli_engine_dots(a, b, d);
        return;
    }
    for (int v = 0; v < VIEWS; v++)
        d[v] = a->c[v].n && b->c[v].n ? dot_probe(a->c[v].t, a->c[v].n, bx->id + bx->at[v],
                                                  bx->w + bx->at[v], bx->mask[v])
                                      : 0;
}

double sli_engine_dot_view(const cevent *a, const cevent *b, const cindex *bx, int v)
{
    if (!a->c[v].n || !b->c[v].n)
        return 0;
    if (bx && bx->ok)
        return dot_probe(a->c[v].t, a->c[v].n, bx->id + bx->at[v], bx->w + bx->at[v],
                         bx->mask[v]);
    return dot(a->c[v].t, a->c[v].n, b->c[v].t, b->c[v].n);
}

double sli_engine_dot_bound(const cevent *a, const cevent *b, int v)
{
    if (!a->c[v].n || !b->c[v].n)
        return 0;
    /* a dot's rounding is parts in 10^13 of it (256 terms): 10^-9 is room enough */
    return sqrt(a->c[v].norm2 * b->c[v].norm2) * (1 + 1e-9);
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

/* The model with the time factor given. */
static double model(const cluster_params *p, const double mean[VIEWS], double time)
{
    double z = 0;
    for (int v = 0; v < VIEWS; v++)
        z += p->w[v] * mean[v];
    z = p->bias + z * time;
    return 1 / (1 + exp(-z));
}

double sli_engine_link_model(const cluster_params *p, const double mean[VIEWS], double gap)
{
    return model(p, mean, sli_engine_time_factor(p, gap));
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

/* The time factor's shape in whole days apart, for sums over days: `boost` on days
 * 0..grace, then boost * exp(-(j - grace) / tau) while above the floor (days up to
 * last), then the floor. */
typedef struct decay {
    double grace, last; /* the last day of grace, the last day of the decay */
    double boost, floor;
    double head, tau;   /* the factor on day grace + 1; tau */
    double per_day;     /* 1 / (1 - exp(-1 / tau)): the geometric series' sum */
} decay;

static void decay_of(const cluster_params *p, double slack, decay *d)
{
    double grace_days = p->grace_days + slack;
    d->grace = grace_days < 0 ? -1 : floor(grace_days);
    d->last = d->grace;
    d->boost = p->boost;
    d->floor = p->time_floor;
    d->tau = p->tau_days;
    d->head = d->per_day = 0;
    if (p->tau_days > 0 && p->boost > p->time_floor) {
        double last = floor(grace_days + p->tau_days * log(p->boost / p->time_floor));
        if (last > d->grace) {
            d->last = last;
            d->head = p->boost * exp(-(d->grace + 1 - grace_days) / p->tau_days);
            d->per_day = 1 / (1 - exp(-1 / p->tau_days));
        }
    }
}

/* The sum of the time factor over whole days apart 0..k (0 for k < 0), in closed form. */
static double factor_sum(const decay *d, double k)
{
    if (k < 0)
        return 0;
    double in_grace = (k < d->grace ? k : d->grace) + 1;
    double s = in_grace > 0 ? in_grace * d->boost : 0;
    if (k <= d->grace)
        return s;
    if (d->last > d->grace) { /* days grace+1 .. min(k, last) */
        double m = (k < d->last ? k : d->last) - d->grace;
        s += d->head * (1 - exp(-m / d->tau)) * d->per_day;
    }
    if (k > d->last)
        s += (k - d->last) * d->floor;
    return s;
}

/* The time factor summed over the days of [a, b] against day x. */
static double factor_over(const decay *d, double x, double a, double b)
{
    if (x <= a)
        return factor_sum(d, b - x) - factor_sum(d, a - x - 1);
    if (x >= b)
        return factor_sum(d, x - a) - factor_sum(d, x - b - 1);
    return factor_sum(d, x - a) + factor_sum(d, b - x) - factor_sum(d, 0);
}

/* Days of the narrower span the mean is taken over; a wider one is sampled evenly. */
#define SPAN_SAMPLES 32

/* The time factor of two dated clusters. The link is an average over pairs of articles,
 * and so is this, roughly: the factor's mean over pairs of days, one from each span
 * (oldest to newest date), as if each cluster's articles were spread evenly over its
 * span, and with `mean_window` more days of grace (the dates of one story's articles
 * stray that far). Without it, any date inside a span got the full boost: an event
 * spread over months boosted every article dated inside it and took in anything that
 * shared a little (docs/cluster.md, "The span's mean"). Never above the factor of the
 * gap between the spans, nor of the mean dates (time_gap): so two clusters whose days
 * all lie within grace + mean_window of each other, and two single days, have the
 * factor they always had. */
static double time_between(const cluster_params *p, const cevent *a, const cevent *b)
{
    double gap = time_gap(p, a, b);
    double f = sli_engine_time_factor(p, gap);
    if (gap < 0 || (a->first == a->last && b->first == b->last))
        return f;
    const cevent *s = a->last - a->first <= b->last - b->first ? a : b; /* narrower */
    const cevent *w = s == a ? b : a;
    int far = w->last - s->first > s->last - w->first ? w->last - s->first
                                                      : s->last - w->first;
    if (far <= p->grace_days + p->mean_window)
        return f; /* every pair of days within the grace: the full boost, at most f */
    double n = (double)(s->last - s->first) + 1, k = n < SPAN_SAMPLES ? n : SPAN_SAMPLES;
    decay d;
    decay_of(p, p->mean_window, &d);
    double sum = 0;
    for (double i = 0; i < k; i++) {
        double x = k == n ? s->first + i : s->first + floor((i + 0.5) * n / k);
        sum += factor_over(&d, x, w->first, w->last);
    }
    double mean = sum / (k * ((double)(w->last - w->first) + 1));
    return mean < f ? mean : f;
}

double sli_engine_centroid_cos(const cevent *a, const cevent *b, int v)
{
    const centroid *x = &a->c[v], *y = &b->c[v];
    if (x->norm2 <= 0 || y->norm2 <= 0)
        return 0;
    return dot(x->t, x->n, y->t, y->n) / sqrt(x->norm2 * y->norm2);
}

/* --- the link --- */

void sli_engine_dots(const cevent *a, const cevent *b, double d[VIEWS])
{
    for (int v = 0; v < VIEWS; v++)
        d[v] = a->c[v].n && b->c[v].n ? dot(a->c[v].t, a->c[v].n, b->c[v].t, b->c[v].n) : 0;
}

/* The mean cosines from the dot products (the link's inputs), and whether the two share
 * enough content to link at all. */
static int parts_of_dots(const cluster_params *p, const cevent *a, const cevent *b,
                         const double d[VIEWS], double mean[VIEWS], double *gap)
{
    double pairs = (double)a->n * b->n;
    for (int v = 0; v < VIEWS; v++) {
        mean[v] = 0;
        if (!a->c[v].n || !b->c[v].n || pairs <= 0)
            continue;
        /* the sum of unit vectors' dot products over all pairs, over the pairs: the
         * mean cosine of an article of a with one of b */
        mean[v] = d[v] / pairs;
    }
    *gap = time_gap(p, a, b);
    return mean[sli_engine_content_view(a, b)] >= p->body_min;
}

/* A name or a number in common is not enough: the texts must share content too (every
 * article of a country names it). Content is the body, or the title where one side is
 * too short to have a body view. */
int sli_engine_content_view(const cevent *a, const cevent *b)
{
    return a->c[VIEW_BODY].n && b->c[VIEW_BODY].n ? VIEW_BODY : VIEW_TITLE;
}

int sli_engine_link_parts(const cluster_params *p, const cevent *a, const cevent *b,
                          double mean[VIEWS], double *gap)
{
    double d[VIEWS];
    sli_engine_dots(a, b, d);
    return parts_of_dots(p, a, b, d, mean, gap);
}

double sli_engine_link_dots(const cluster_params *p, const cevent *a, const cevent *b,
                            const double d[VIEWS])
{
    if (!a->n || !b->n)
        return -1;
    double mean[VIEWS], gap;
    if (!parts_of_dots(p, a, b, d, mean, &gap))
        return -1;
    return model(p, mean, time_between(p, a, b));
}

double sli_engine_link(const cluster_params *p, const cevent *a, const cevent *b)
{
    if (!a->n || !b->n)
        return -1;
    double d[VIEWS];
    sli_engine_dots(a, b, d);
    return sli_engine_link_dots(p, a, b, d);
}

int sli_engine_link_below(const cluster_params *p, const cevent *a, const cevent *b,
                          const double d[VIEWS])
{
    return sli_engine_link_under(p, a, b, d, p->join);
}

double sli_engine_link_unless_under(const cluster_params *p, const cevent *a, const cevent *b,
                                    const cevent *from, const cindex *ix, double floor,
                                    double d[VIEWS])
{
    const cevent *in = from == a ? b : a;
    int cv = sli_engine_content_view(a, b);
    for (int v = 0; v < VIEWS; v++)
        if (v != cv)
            d[v] = sli_engine_dot_view(from, in, ix, v);
    d[cv] = sli_engine_dot_bound(a, b, cv);
    if (sli_engine_link_under(p, a, b, d, floor))
        return -1;
    d[cv] = sli_engine_dot_view(from, in, ix, cv);
    return sli_engine_link_dots(p, a, b, d);
}

int sli_engine_link_under(const cluster_params *p, const cevent *a, const cevent *b,
                          const double d[VIEWS], double floor)
{
    double pairs = (double)a->n * b->n;
    if (pairs <= 0)
        return 1; /* no link at all */
    double evidence = 0;
    for (int v = 0; v < VIEWS; v++) {
        if (!(p->w[v] >= 0) || !(d[v] >= 0))
            return 0; /* a negative weight: a larger dot is not a stronger link */
        if (a->c[v].n && b->c[v].n)
            evidence += p->w[v] * (d[v] / pairs);
    }
    double join = floor;
    if (!(join > 0 && join < 1))
        return 0;
    /* Room for rounding: the merged centroid's weights are float sums, so its dot may
     * exceed the sum of its parts' by a few parts in 10^7 (SLACK_REL), and the logit is
     * compared with a margin (SLACK_ABS); a link this close to the bar is computed. */
    const double SLACK_REL = 1e-5, SLACK_ABS = 1e-6;
    double z = p->bias + time_between(p, a, b) * evidence * (1 + SLACK_REL);
    return z < log(join / (1 - join)) - SLACK_ABS;
}
