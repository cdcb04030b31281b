/* engine.h — event clustering's state and measures over articles' term vectors
 * (internal).
 *
 * The engine holds the events it has seen (made here or loaded by the caller from the
 * store), each a centroid per view (the sum of its articles' unit TF-IDF vectors), its
 * dates and an inverted index from key terms to events: an article finds the events that
 * share a key term with it (the newest ENGINE_MAX_POSTINGS per term, so a search never
 * grows with the store). Clusters are compared by average link (sli_engine_link): a
 * logistic model over per view the mean cosine of their articles, weighted, times a time
 * factor (cluster_params). agglo.c decides which clusters become one.
 *
 * It knows no SQLite: the run (run.c) loads events from the store before a chunk is
 * placed and saves the ones that changed. */
#ifndef SL_CLUSTER_ENGINE_H
#define SL_CLUSTER_ENGINE_H

#include <limits.h>

#include "../core/u64map.h"
#include "features.h"

#define ENGINE_NO_DAY INT_MIN
#define ENGINE_KEYS 12            /* terms an event is found by, from each of its articles */
#define ENGINE_QUERY_KEYS 32      /* terms an article searches by: more than the above, as
                                     two articles' dozen heaviest terms may not meet */
#define ENGINE_MAX_POSTINGS 48    /* events read per key term, newest first */
#define ENGINE_CENTROID_MAX 256   /* terms kept per view of a centroid */
#define ENGINE_CANDIDATES (ENGINE_QUERY_KEYS * ENGINE_MAX_POSTINGS)
#define ENGINE_BEST_CANDIDATES 32 /* events a search returns at most: those under the most
                                     of its keys (a store of a million articles gave 120
                                     an article, nearly all far below the bar) */

typedef struct cluster_params {
    /* The link of two clusters is a logistic model (link.c, docs/cluster.md "The link
     * model"): the probability that they report one event,
     *   1 / (1 + exp(-(bias + time * sum_v w[v] * mean cosine of view v))),
     * where time is 1 when either is undated or they are within `grace_days` of each
     * other, else exp(-(days past the grace) / tau_days), at least `time_floor`. bias
     * and w are fitted by logistic regression on the dev sets' article pairs
     * (bench/events_cv.sh); time is a prior set by hand (link.c); the bar `join`, the
     * probability two clusters need to become one, is chosen by the same script. */
    float w[VIEWS];
    float bias;
    float boost, grace_days, tau_days, time_floor;
    float join;
    float body_min;     /* ... and no link at all under this much of the body's mean
                           cosine when both have a body view, else of the title's */
    float body_terms;   /* an article with a title and fewer body terms has no body
                           view (one without a title keeps it): a brief's
                           few words would share none with a full story's and keep it
                           out of the story's event (Giveme5W1H 0.962 -> 0.973) */
    float quote_terms;  /* an article with fewer quote pairs has no quotes view: one
                           catchphrase ("fake news") in common is no shared quote */
    /* the days between two clusters count at least the distance of their mean dates
       less half of each span and `mean_window` days: an event whose span a stray
       article stretched over months is still where most of its articles are */
    float mean_window;
    /* IDF = ln((articles + 1 + idf_prior) / (df + 1)) + 1: as if the store held idf_prior
     * more articles without the term. A first batch of a few dozen articles would
     * otherwise weigh terms by noise, and decide differently from the same articles
     * among many (five batches of 35 Giveme5W1H articles agree 0.981 with one batch
     * without it, 0.986 with 500); past some thousands of articles it stops mattering. */
    float idf_prior;
    /* storylines: events linked when their names and body centroids are this close,
     * within link_days of each other */
    float link_names, link_body, link_days;
} cluster_params;

void sli_cluster_params_default(cluster_params *p);

/* One view of a centroid: terms sorted by id. */
typedef struct centroid {
    cterm *t;
    uint32_t n;
    double norm2;
} centroid;

/* Bases an event remembers as hints (an event's terms come from a few batches). */
#define CEVENT_BASE_HINTS 4

typedef struct cevent {
    long long id;
    long long storyline; /* the id of the storyline's first event */
    int n;               /* articles */
    int ndated, first, last; /* days since 1970-01-01, when ndated > 0 */
    double daysum;
    centroid c[VIEWS];
    /* The bases its terms' IDFs were likely made against (IDF = ln(base / (df + 1)) + 1,
     * base = articles + 1 + idf_prior of the batch that weighted them), newest first: its
     * articles' (avec.base), the engine's at a reweighting, the blob's it was loaded with;
     * a merge takes the other's too. Only a hint to the blob's writer (event_blob.c),
     * which finds bases without it, far more slowly; the blob is lossless either way. */
    double base_hint[CEVENT_BASE_HINTS];
    unsigned char n_base_hints;
    unsigned dirty : 1;  /* changed since loaded or made */
} cevent;

/* Note base among ev's hints (first: the newest), if not there; the oldest goes. A base
 * under 1 or not finite (no batch's) is not noted. */
void sli_cevent_hint_base(cevent *ev, double base);

/* An article ready to place: its unit TF-IDF vector per view and its key terms. */
typedef struct avec {
    cterm t[FEATURES_MAX];
    uint32_t at[VIEWS], n[VIEWS];
    uint64_t keys[ENGINE_QUERY_KEYS]; /* heaviest first: the first ENGINE_KEYS index */
    int nkeys;
    int day;
    double base; /* what its IDFs were made against (cevent's base_hint) */
} avec;

typedef struct engine engine;

sl_error sli_engine_create(const cluster_params *p, long long next_id, engine **out);
void sli_engine_free(engine *e);

/* Document frequencies: ndocs articles in all; df(term) as set (0 when never set). */
void sli_engine_set_ndocs(engine *e, double ndocs);
sl_error sli_engine_set_df(engine *e, uint64_t term, double df);
int sli_engine_has_df(const engine *e, uint64_t term);

/* Weight f's terms by IDF, normalise each view, pick the key terms. */
void sli_engine_vector(const engine *e, const features *f, int day, avec *a);

/* The event with this id, if the engine has it. */
cevent *sli_engine_event(engine *e, long long id);

/* Forget event id (placed again from its articles: see reopen.c). */
void sli_engine_forget(engine *e, long long id);

/* Bring ev's centroid weights to the engine's document frequencies, where it has them
 * (an event made in an earlier batch was weighted with the IDF of its day). */
void sli_engine_reweight(const engine *e, cevent *ev);

/* Give the engine an event (loaded from the store): it takes *ev's contents, whatever the
 * result (freed on failure; *ev is left empty), brings its weights to the engine's
 * document frequencies (sli_engine_reweight), and indexes it under keys[0..nkeys). */
sl_error sli_engine_adopt(engine *e, cevent *ev, const uint64_t *keys, size_t nkeys);

/* Clusters (an article, a group of them, an event) as cevents. sli_cevent_of_article makes
 * one of a (the caller clears it with sli_cevent_clear); sli_cevent_merge adds src to dst,
 * and sets *rescaled (when not NULL) to 1 if a weight of dst made with another IDF was
 * brought to src's (then a dot of dst + src is no sum of theirs), else leaves it. */
sl_error sli_cevent_of_article(const avec *a, cevent *ev);
sl_error sli_cevent_merge(cevent *dst, const cevent *src, int *rescaled);
void sli_cevent_clear(cevent *ev);

/* The average link of two clusters: the model above over, per view, the mean cosine of
 * an article of a with one of b (exact from summed unit vectors), and their dates; a
 * probability. Negative when they share no body content. */
double sli_engine_link(const cluster_params *p, const cevent *a, const cevent *b);
/* The link's inputs: per view the mean cosine, and the days between the two as the
 * link weighs them (-1 when either is undated); 0 when they share too little content
 * to link at all (body_min), else 1. */
int sli_engine_link_parts(const cluster_params *p, const cevent *a, const cevent *b,
                          double mean[VIEWS], double *gap);
/* The link as sli_engine_link, from the per-view dot products of the two clusters'
 * summed vectors (sli_engine_dots: the sums of their articles' pairwise cosines). */
void sli_engine_dots(const cevent *a, const cevent *b, double d[VIEWS]);
double sli_engine_link_dots(const cluster_params *p, const cevent *a, const cevent *b,
                            const double d[VIEWS]);
/* A cluster's terms in hash tables by id, a table a view (built from a cevent, and stale
 * once it changes): a dot with it costs a look-up per term of the other side instead of a
 * walk through both, and the look-ups are independent of each other, where a walk's steps
 * wait on each other. ok 0: not built (a term id 0), the dots walk instead. */
typedef struct cindex {
    uint64_t *id; /* 0: an empty slot */
    float *w;
    size_t cap;
    uint32_t at[VIEWS], mask[VIEWS];
    int ok;
} cindex;
sl_error sli_cindex_build(cindex *x, const cevent *ev);
void sli_cindex_free(cindex *x);
/* sli_engine_dots(a, b, d) with bx, the index of b: the same sums to the last bit (the
 * products are added in the same order). Cheaper when b is the larger. */
void sli_engine_dots_indexed(const cevent *a, const cevent *b, const cindex *bx, double d[VIEWS]);
/* One view's dot of a and b: by look-ups in bx (the index of b) when it is not NULL,
 * else walked; the same double as the above. */
double sli_engine_dot_view(const cevent *a, const cevent *b, const cindex *bx, int v);
/* An upper bound of view v's dot of a and b without computing it (Cauchy-Schwarz: the
 * product of the summed vectors' lengths, with room for rounding). */
double sli_engine_dot_bound(const cevent *a, const cevent *b, int v);
/* The view whose mean cosine says whether a and b share content at all (body_min): the
 * body, or the title where either has no body view. */
int sli_engine_content_view(const cevent *a, const cevent *b);
/* 1 when no link of a and b whose dot products are at most d[] (per view) can reach the
 * join bar: an upper bound on the dots (agglo.c keeps sums of its parts' dots, which
 * bound the merged cluster's: weights are positive and a centroid only drops terms) is
 * enough to know a link is too weak without computing it. 0 when it may reach it, or
 * when a weight is negative (then a bound on the dots bounds nothing). */
int sli_engine_link_below(const cluster_params *p, const cevent *a, const cevent *b,
                          const double d[VIEWS]);
/* The same against another bar: `floor`, a probability (0 when not in (0, 1)). */
int sli_engine_link_under(const cluster_params *p, const cevent *a, const cevent *b,
                          const double d[VIEWS], double floor);
/* The link of a and b (sli_engine_link_dots of their dots, into d), unless it cannot reach
 * `floor` (a probability): then -1, without the content view's dot (the largest, the
 * body: d holds its upper bound, sli_engine_dot_bound, which is not below it), judged
 * from the other views and that bound. The dots are of `from` (a or b) against the other,
 * looked up in ix (the other's index) when not NULL, as sli_engine_dot_view. */
double sli_engine_link_unless_under(const cluster_params *p, const cevent *a, const cevent *b,
                                    const cevent *from, const cindex *ix, double floor,
                                    double d[VIEWS]);
/* The link whose evidence (logit - bias, the part time scales) is k times that of the
 * join bar: k = 1 is the bar itself. */
double sli_engine_link_at(const cluster_params *p, double k);
/* The link from its inputs (the model above), and its time factor alone. */
double sli_engine_link_model(const cluster_params *p, const double mean[VIEWS], double gap);
double sli_engine_time_factor(const cluster_params *p, double gap);
/* Days between the spans of two dated clusters (0 if they overlap or either is undated). */
int sli_engine_days_apart(const cevent *a, const cevent *b);

/* How many of an article's keys an event or article must share to be its candidate: two,
 * one for an article of few terms (one in common is every story of a country or a team). */
static inline int engine_keys_needed(const avec *a)
{
    return a->nkeys >= 4 ? 2 : 1;
}

/* Events indexed under at least `need` of keys (the newest ENGINE_MAX_POSTINGS of each,
 * ENGINE_CANDIDATES postings at most), but not `skip`: ids into out[0..max), sorted, each
 * once; how many. Past ENGINE_BEST_CANDIDATES, those under the most keys. */
size_t sli_engine_candidates(engine *e, const uint64_t *keys, size_t nkeys, long long skip,
                         int need, long long *out, size_t max);

/* Make *ev (contents taken, *ev left empty) an event of the engine with this id (one the
 * engine does not hold), or with the next id when id is 0. */
sl_error sli_engine_take(engine *e, cevent *ev, long long id, cevent **out);

const cluster_params *sli_engine_params(const engine *e);

/* Threads the placing may score links on (agglo.c; NULL: the caller's alone). The engine
 * does not own them. */
struct workers;
void sli_engine_set_team(engine *e, struct workers *team);
struct workers *sli_engine_team(const engine *e);

/* Index event id under keys[0..n) as well, as the newest posting of each (once: a posting
 * already among the newest ENGINE_MAX_POSTINGS moves to the head). */
sl_error sli_engine_index(engine *e, long long id, const uint64_t *keys, size_t n);

/* Every event the engine holds, in no order: fn returns nonzero to stop. */
int sli_engine_each(engine *e, int (*fn)(void *user, cevent *ev), void *user);
/* The places in the engine's order (that of sli_engine_each) held now: events held
 * later come after them. */
size_t sli_engine_size(const engine *e);
/* sli_engine_each over the events at places from..to only. */
int sli_engine_each_in(engine *e, size_t from, size_t to, int (*fn)(void *user, cevent *ev),
                       void *user);

/* Candidate events for storyline links of ev: the events found by two of keys (its own,
 * from sli_engine_event_keys), ids into out[0..max); how many. */
size_t sli_engine_neighbours(engine *e, const cevent *ev, const uint64_t *keys, size_t nkeys,
                         long long *out, size_t max);

/* Cosine of two events' centroids in view v. */
double sli_engine_centroid_cos(const cevent *a, const cevent *b, int v);

/* The centroid's top terms by weight across views (keys for candidate search): at most
 * max into out, how many in *n. */
sl_error sli_engine_event_keys(const cevent *ev, uint64_t *out, size_t max, size_t *n);

long long sli_engine_next_id(const engine *e);

#endif
