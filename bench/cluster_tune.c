/* cluster_tune — run the event clustering engine in memory over a store's articles with
 * parameters from the command line, and print the partition as JSON Lines
 * ({"id":..., "event":...}) for score_events. For tuning on the labelled sets of
 * ../shared/eval/event-clustering without re-ingesting:
 *
 *   storyline --db dev.db add ../shared/eval/event-clustering/ecbplus.dev.jsonl
 *   cluster_tune dev.db join=0.4 w_names=12 | score_events GOLD.jsonl -
 *
 * --chunk N places the articles N at a time, as batches of N would be (with
 * --df-per-chunk, with the document frequencies of the chunks so far, as a store would
 * have them).
 *
 * --shuffle SEED places articles of the same day (and the undated) in a random order
 * instead of the store's, to see how much the result owes to input order.
 *
 * --pairs prints, instead of a partition, every pair of articles as the link sees it
 * (features for fitting the link model: bench/events_cv.py).
 *
 * --groups FILE starts the articles in the groups FILE gives (JSON Lines with "id" and
 * "event", as this tool prints and `storyline export` writes) instead of their families:
 * the articles of a group start as one cluster and are never split, as copies are. With
 * the events of separate stores (time windows) as the groups, the placing stitches them:
 * groups whose average link reaches the bar become one event (bench/window_stitch.sh,
 * docs/scale.md "What windows do to events, measured"). An article FILE does not name starts alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/agglo.h"
#include "cluster/engine.h"
#include "cluster/features.h"
#include "text/date.h"
#include <json-c/json.h>
#include <xxhash.h>
#include <stddef.h>

typedef struct doc {
    char *id, *family;
    int day;
    unsigned order;
    features f;
} doc;

typedef struct docs {
    doc *d;
    size_t n, cap;
    features_ctx *ctx;
} docs;

static int take(void *user, const sl_article *a)
{
    docs *ds = user;
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? 2 * ds->cap : 256;
        ds->d = realloc(ds->d, ds->cap * sizeof *ds->d);
        if (!ds->d)
            return 1;
    }
    doc *d = &ds->d[ds->n];
    d->id = strdup(a->id);
    d->family = a->family ? strdup(a->family) : NULL;
    int ok;
    long day = sli_text_iso_days(a->date, &ok);
    d->day = ok ? (int)day : ENGINE_NO_DAY;
    d->order = (unsigned)ds->n;
    if (sli_features_extract(ds->ctx, a->title, a->text, strlen(a->text), &d->f))
        return 1;
    ds->n++;
    return 0;
}

/* One line of a groups file: {"id": string, "event": string, integer or null} and nothing
 * after it. The event goes into by_id under the id (null, kept as NULL: the article
 * starts alone).
 * Nonzero when the line is not that, or memory runs out. */
static int group_line(json_object *by_id, const char *line)
{
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return 1;
    size_t len = strlen(line);
    json_object *o = json_tokener_parse_ex(tok, line, (int)len), *id, *ev;
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (end < len && strchr(" \t\r\n", line[end]))
        end++;
    int bad = !o || end != len || !json_object_object_get_ex(o, "id", &id) ||
              !json_object_is_type(id, json_type_string) ||
              !json_object_object_get_ex(o, "event", &ev) ||
              !(json_object_is_type(ev, json_type_string) ||
                json_object_is_type(ev, json_type_int) || json_object_is_type(ev, json_type_null));
    if (!bad) { /* a null event is kept as NULL: the article is named, and starts alone */
        json_object *g = json_object_is_type(ev, json_type_null)
                             ? NULL
                             : json_object_new_string(json_object_get_string(ev));
        bad = (!g && !json_object_is_type(ev, json_type_null)) ||
              json_object_object_add(by_id, json_object_get_string(id), g);
        if (bad)
            json_object_put(g); /* not taken on failure; NULL is fine */
    }
    json_object_put(o);
    return bad;
}

/* --groups: every article's family replaced by its group in path (id -> "event"), or
 * none when path does not name it. Nonzero (with a message) when path cannot be read, a
 * line is not a group, or no article of the store is named. */
static int read_groups(const char *path, docs *ds)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cluster_tune: cannot read %s\n", path);
        return 1;
    }
    json_object *by_id = json_object_new_object();
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    int bad = !by_id;
    if (bad)
        fputs("cluster_tune: out of memory\n", stderr);
    while (!bad && getline(&line, &cap, f) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == strlen(line))
            continue; /* a blank line */
        if (group_line(by_id, line)) {
            fprintf(stderr,
                    "cluster_tune: %s:%ld: not a group ({\"id\": string, \"event\": string,"
                    " integer or null})\n",
                    path, lineno);
            bad = 1;
        }
    }
    if (!bad && ferror(f)) {
        fprintf(stderr, "cluster_tune: %s: read error\n", path);
        bad = 1;
    }
    free(line);
    fclose(f);
    size_t named = 0;
    for (size_t i = 0; !bad && i < ds->n; i++) {
        json_object *g;
        free(ds->d[i].family);
        ds->d[i].family = NULL;
        if (!json_object_object_get_ex(by_id, ds->d[i].id, &g))
            continue;
        named++;
        if (g && !(ds->d[i].family = strdup(json_object_get_string(g)))) {
            fputs("cluster_tune: out of memory\n", stderr);
            bad = 1;
        }
    }
    if (!bad && ds->n && !named) {
        fprintf(stderr, "cluster_tune: %s names no article of the store\n", path);
        bad = 1;
    }
    json_object_put(by_id);
    return bad;
}

static int by_day(const void *a, const void *b)
{
    const doc *x = a, *y = b;
    int ux = x->day == ENGINE_NO_DAY, uy = y->day == ENGINE_NO_DAY;
    if (ux != uy)
        return ux - uy;
    if (!ux && x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Add docs[0..n)'s terms to the counts in df (each once per doc), and give the engine
 * the sums. */
static void count_df(engine *e, u64map *df, const doc *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        u64map seen = {0};
        for (uint32_t k = 0; k < d[i].f.at[VIEWS - 1] + d[i].f.n[VIEWS - 1]; k++) {
            uint64_t id = d[i].f.terms[k].id, *c = NULL;
            int added = 0;
            if (!sli_u64map_put(&seen, id, NULL, &added) &&
                (!added || !sli_u64map_put(df, id, &c, NULL))) {
                if (c)
                    sli_engine_set_df(e, id, (double)++*c);
                continue;
            }
            fputs("cluster_tune: out of memory\n", stderr);
            exit(1);
        }
        sli_u64map_free(&seen);
    }
}

/* --pairs: every pair of articles as the link sees it, tab-separated: the two ids,
 * whether they share enough content to link at all (1/0), the mean cosine of each view,
 * the days between them (-1 when either is undated) and the time factor of those days.
 * For fitting the link model (bench/events_cv.py). */
static int print_pairs(const cluster_params *p, const docs *ds, const avec *a)
{
    cevent *one = calloc(ds->n ? ds->n : 1, sizeof *one);
    int err = !one;
    for (size_t i = 0; !err && i < ds->n; i++)
        err = sli_cevent_of_article(&a[i], &one[i]) != SL_OK;
    for (size_t i = 0; !err && i < ds->n; i++)
        for (size_t j = i + 1; j < ds->n; j++) {
            double mean[VIEWS], gap;
            int ok = sli_engine_link_parts(p, &one[i], &one[j], mean, &gap);
            printf("%s\t%s\t%d", ds->d[i].id, ds->d[j].id, ok);
            for (int v = 0; v < VIEWS; v++)
                printf("\t%.5f", mean[v]);
            printf("\t%.1f\t%.6f\n", gap, sli_engine_time_factor(p, gap));
        }
    for (size_t i = 0; one && i < ds->n; i++)
        sli_cevent_clear(&one[i]);
    free(one);
    return err;
}

/* Stored events meet a later batch's document frequencies (run.c does it on loading). */
static int reweight_one(void *user, cevent *ev)
{
    sli_engine_reweight(user, ev);
    return 0;
}

static int set_param(cluster_params *p, const char *arg)
{
    static const struct {
        const char *name;
        size_t off;
    } names[] = {
        {"w_title", offsetof(cluster_params, w) + VIEW_TITLE * sizeof(float)},
        {"w_body", offsetof(cluster_params, w) + VIEW_BODY * sizeof(float)},
        {"w_names", offsetof(cluster_params, w) + VIEW_NAMES * sizeof(float)},
        {"w_details", offsetof(cluster_params, w) + VIEW_DETAILS * sizeof(float)},
        {"w_quotes", offsetof(cluster_params, w) + VIEW_QUOTES * sizeof(float)},
        {"join", offsetof(cluster_params, join)},
        {"body_min", offsetof(cluster_params, body_min)},
        {"body_terms", offsetof(cluster_params, body_terms)},
        {"quote_terms", offsetof(cluster_params, quote_terms)},
        {"bias", offsetof(cluster_params, bias)},
        {"boost", offsetof(cluster_params, boost)},
        {"tau", offsetof(cluster_params, tau_days)},
        {"floor", offsetof(cluster_params, time_floor)},
        {"grace", offsetof(cluster_params, grace_days)},
        {"mean_window", offsetof(cluster_params, mean_window)},
        {"idf_prior", offsetof(cluster_params, idf_prior)},
    };
    const char *eq = strchr(arg, '=');
    for (size_t i = 0; eq && i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].name) == (size_t)(eq - arg) && !strncmp(arg, names[i].name, (size_t)(eq - arg))) {
            *(float *)((char *)p + names[i].off) = strtof(eq + 1, NULL);
            return 0;
        }
    fprintf(stderr, "cluster_tune: unknown parameter %s\n", arg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: cluster_tune STORE [--shuffle SEED] [--chunk N [--df-per-chunk]] [--groups FILE] [--dump | --pairs] [name=value ...]\n");
        return 2;
    }
    cluster_params p;
    sli_cluster_params_default(&p);
    unsigned seed = 0;
    int dump = 0, df_per_chunk = 0;
    const char *groups = NULL;
    size_t chunk = 2048;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
            chunk = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dump"))
            dump = 1;
        else if (!strcmp(argv[i], "--pairs"))
            dump = 2;
        else if (!strcmp(argv[i], "--df-per-chunk"))
            df_per_chunk = 1;
        else if (!strcmp(argv[i], "--groups") && i + 1 < argc)
            groups = argv[++i];
        else if (!strcmp(argv[i], "--shuffle") && i + 1 < argc)
            seed = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (set_param(&p, argv[i]))
            return 2;
    }
    if (dump && df_per_chunk) { /* vectors and pairs are under the whole set's counts */
        fprintf(stderr, "cluster_tune: --dump or --pairs and --df-per-chunk do not go together\n");
        return 2;
    }
    if (dump && groups) { /* vectors and pairs do not place anything */
        fprintf(stderr, "cluster_tune: --dump or --pairs and --groups do not go together\n");
        return 2;
    }
    sl_store *st;
    if (sl_store_open(argv[1], SL_OPEN_READONLY, &st)) {
        fprintf(stderr, "cluster_tune: cannot open %s\n", argv[1]);
        return 2;
    }
    docs ds = {0};
    if (sli_features_ctx_create(&ds.ctx) || sl_store_each_article(st, SL_WITH_TEXT, take, &ds)) {
        fprintf(stderr, "cluster_tune: reading failed\n");
        return 1;
    }
    if (groups && read_groups(groups, &ds))
        return 1;
    if (seed) {
        srand(seed);
        for (size_t i = ds.n; i > 1; i--) {
            size_t j = (size_t)rand() % i;
            unsigned t = ds.d[i - 1].order;
            ds.d[i - 1].order = ds.d[j].order;
            ds.d[j].order = t;
        }
    }
    qsort(ds.d, ds.n, sizeof *ds.d, by_day);

    engine *e;
    if (sli_engine_create(&p, 1, &e))
        return 1;
    u64map df = {0};
    /* document frequencies over the whole set, or (--df-per-chunk) over the chunks so far,
     * as batches of that size would have them */
    if (!df_per_chunk) {
        count_df(e, &df, ds.d, ds.n);
        sli_engine_set_ndocs(e, (double)ds.n);
    }

    avec *a = malloc((ds.n ? ds.n : 1) * sizeof *a);
    long long *into = calloc(ds.n + 1, sizeof *into), *event = calloc(ds.n + 1, sizeof *event);
    uint32_t *group = calloc(ds.n + 1, sizeof *group);
    if (!a || !into || !event || !group || !chunk)
        return 1;
    for (size_t i = 0; i < ds.n && !df_per_chunk; i++) {
        sli_engine_vector(e, &ds.d[i].f, ds.d[i].day, &a[i]);
        if (dump != 1)
            continue;
        /* the vectors, for trying other algorithms outside */
        printf("{\"id\":\"%s\",\"day\":%d,\"v\":[", ds.d[i].id,
               ds.d[i].day == ENGINE_NO_DAY ? -1 : ds.d[i].day);
        for (int v = 0; v < VIEWS; v++) {
            printf("%s{", v ? "," : "");
            for (uint32_t k = 0; k < a[i].n[v]; k++)
                printf("%s\"%llx\":%.5f", k ? "," : "",
                       (unsigned long long)a[i].t[a[i].at[v] + k].id, a[i].t[a[i].at[v] + k].w);
            printf("}");
        }
        printf("]}\n");
    }
    if (dump == 2 && print_pairs(&p, &ds, a))
        return 1;
    u64map fam = {0}; /* family name hash -> event (earlier chunks) or position + 1 (this) */
    for (size_t at = 0; !dump && at < ds.n; at += chunk) {
        size_t m = ds.n - at < chunk ? ds.n - at : chunk;
        if (df_per_chunk) { /* as a batch would: the chunk's terms counted, then placed */
            count_df(e, &df, ds.d + at, m);
            sli_engine_set_ndocs(e, (double)(at + m));
            sli_engine_each(e, reweight_one, e);
            for (size_t i = at; i < at + m; i++)
                sli_engine_vector(e, &ds.d[i].f, ds.d[i].day, &a[i]);
        }
        u64map here = {0};
        for (size_t i = 0; i < m; i++) {
            const doc *d = &ds.d[at + i];
            into[at + i] = 0;
            group[at + i] = (uint32_t)i;
            if (!d->family)
                continue;
            uint64_t fh = XXH3_64bits(d->family, strlen(d->family)) | 1;
            const uint64_t *ev = sli_u64map_get(&fam, fh);
            if (ev) {
                into[at + i] = (long long)*ev;
                continue;
            }
            int added;
            uint64_t *pos;
            if (sli_u64map_put(&here, fh, &pos, &added)) {
                fputs("cluster_tune: out of memory\n", stderr);
                return 1;
            }
            if (added)
                *pos = i;
            else
                group[at + i] = (uint32_t)*pos;
        }
        sli_u64map_free(&here);
        if (sli_agglo_place(e, a + at, into + at, group + at, NULL, m, event + at))
            return 1;
        for (size_t i = 0; i < m; i++) {
            const doc *d = &ds.d[at + i];
            uint64_t *ev;
            if (d->family && sli_u64map_put(&fam, XXH3_64bits(d->family, strlen(d->family)) | 1,
                                            &ev, NULL)) {
                fputs("cluster_tune: out of memory\n", stderr);
                return 1;
            }
            if (d->family)
                *ev = (uint64_t)event[at + i];
            printf("{\"id\":\"%s\",\"event\":\"E%lld\"}\n", d->id, event[at + i]);
        }
    }
    free(a);
    free(into);
    free(event);
    free(group);
    sli_engine_free(e);
    sli_u64map_free(&df);
    sli_u64map_free(&fam);
    sli_features_ctx_free(ds.ctx);
    for (size_t i = 0; i < ds.n; i++) {
        free(ds.d[i].id);
        free(ds.d[i].family);
    }
    free(ds.d);

    sl_store_free(st);
    return 0;
}
