/* score_events — an event partition scored against gold event labels.
 *
 * As ../shared/eval/event-clustering/README.md defines them: BCubed precision, recall and
 * F1 (per article: the share of its predicted cluster that shares its gold event, and of
 * its gold event that it was clustered with; means over articles), and the standard
 * pairwise F1 (over unordered pairs of articles: together in both, in the prediction
 * only, in the gold only), by partition.c.
 *
 * Input: GOLD, JSON Lines with "id" and "event" (a string or a number); PRED, JSON Lines
 * with "id" and "event" (e.g. `storyline export --format jsonl`), or "-" for stdin. An
 * article with a null or missing predicted event, or absent from PRED, is a cluster of
 * its own. --baseline singletons|one scores a reference partition instead of PRED. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "partition.h"

/* Interned strings: name -> small integer, through a json-c object used as a map. */
typedef struct interner {
    json_object *map;
    int n;
} interner;

static int intern(interner *t, const char *name)
{
    json_object *v;
    if (json_object_object_get_ex(t->map, name, &v))
        return json_object_get_int(v);
    json_object_object_add(t->map, name, json_object_new_int(t->n));
    return t->n++;
}

/* The event of a record as text ("" when null or missing). */
static const char *event_of(json_object *rec, char num[32])
{
    json_object *ev;
    if (!json_object_object_get_ex(rec, "event", &ev) || json_object_is_type(ev, json_type_null))
        return "";
    if (json_object_is_type(ev, json_type_string))
        return json_object_get_string(ev);
    snprintf(num, 32, "%s", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
    return num;
}

typedef void (*record_fn)(void *user, json_object *rec, long line);

static int each_record(const char *path, record_fn fn, void *user)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        fprintf(stderr, "score_events: cannot open %s\n", path);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0;
    long n = 0;
    ssize_t len;
    int ok = 1;
    while ((len = getline(&line, &cap, f)) > 0) {
        n++;
        if (len <= 1)
            continue;
        json_object *rec = json_tokener_parse(line);
        if (!rec || !json_object_is_type(rec, json_type_object)) {
            fprintf(stderr, "score_events: %s:%ld: not a JSON object\n", path, n);
            ok = 0;
        } else {
            fn(user, rec, n);
        }
        json_object_put(rec);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return ok;
}

typedef struct scoring {
    interner ids, gold_events, pred_events;
    int *gold; /* article -> gold event */
    int *pred; /* article -> predicted cluster, -1 until seen */
    long cap;
    long unknown; /* predicted ids not in the gold */
} scoring;

static void take_gold(void *user, json_object *rec, long line)
{
    scoring *s = user;
    json_object *id;
    char num[32];
    if (!json_object_object_get_ex(rec, "id", &id)) {
        fprintf(stderr, "score_events: gold line %ld has no id\n", line);
        return;
    }
    int i = intern(&s->ids, json_object_get_string(id));
    if (i >= s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        int *g = realloc(s->gold, (size_t)s->cap * sizeof *s->gold);
        s->gold = g ? g : s->gold;
        int *p = g ? realloc(s->pred, (size_t)s->cap * sizeof *s->pred) : NULL;
        s->pred = p ? p : s->pred;
        if (!p) {
            fprintf(stderr, "score_events: out of memory\n");
            exit(2);
        }
    }
    s->gold[i] = intern(&s->gold_events, event_of(rec, num));
    s->pred[i] = -1;
}

static void take_pred(void *user, json_object *rec, long line)
{
    scoring *s = user;
    json_object *id, *v;
    char num[32];
    (void)line;
    if (!json_object_object_get_ex(rec, "id", &id) ||
        !json_object_object_get_ex(s->ids.map, json_object_get_string(id), &v)) {
        s->unknown++;
        return;
    }
    const char *ev = event_of(rec, num);
    if (*ev)
        s->pred[json_object_get_int(v)] = intern(&s->pred_events, ev);
}

int main(int argc, char **argv)
{
    const char *gold_path = NULL, *pred_path = NULL, *baseline = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--baseline") && i + 1 < argc)
            baseline = argv[++i];
        else if (!gold_path)
            gold_path = argv[i];
        else if (!pred_path)
            pred_path = argv[i];
        else
            gold_path = NULL, i = argc; /* too many: usage */
    }
    if (!gold_path || (!pred_path && !baseline) ||
        (baseline && strcmp(baseline, "singletons") && strcmp(baseline, "one"))) {
        fputs("usage: score_events GOLD.jsonl PRED.jsonl|-\n"
              "       score_events GOLD.jsonl --baseline singletons|one\n"
              "Scores a partition (records with \"id\" and \"event\", e.g. `storyline export\n"
              "--format jsonl`) against gold event labels: BCubed and pairwise precision,\n"
              "recall and F1, and the cluster counts.\n",
              stderr);
        return 2;
    }
    scoring s = {{json_object_new_object(), 0}, {json_object_new_object(), 0},
                 {json_object_new_object(), 0}, NULL, NULL, 0, 0};
    if (!each_record(gold_path, take_gold, &s) || s.ids.n == 0) {
        fprintf(stderr, "score_events: no gold records in %s\n", gold_path);
        return 1;
    }
    long n = s.ids.n;
    if (baseline) { /* one cluster of all, or one an article */
        int one = !strcmp(baseline, "one");
        for (long i = 0; i < n; i++)
            s.pred[i] = one ? 0 : (int)i;
        s.pred_events.n = one ? 1 : (int)n;
    } else if (!each_record(pred_path, take_pred, &s)) {
        return 1;
    }
    long missing = 0, next = s.pred_events.n;
    for (long i = 0; i < n; i++)
        if (s.pred[i] < 0) { /* a cluster of its own */
            s.pred[i] = (int)next++;
            missing++;
        }

    partition_scores sc;
    if (partition_compare(s.pred, s.gold, n, &sc)) {
        fputs("score_events: out of memory\n", stderr);
        return 1;
    }
    printf("articles %ld, gold events %d, predicted clusters %ld", n, s.gold_events.n,
           sc.clusters);
    if (missing)
        printf(" (%ld articles without a predicted event, each its own)", missing);
    if (s.unknown)
        printf(" (%ld predicted ids not in the gold, ignored)", s.unknown);
    printf("\nBCubed    P %.4f  R %.4f  F1 %.4f\n", sc.bcubed_p, sc.bcubed_r,
           partition_f1(sc.bcubed_p, sc.bcubed_r));
    printf("pairwise  P %.4f  R %.4f  F1 %.4f\n", sc.pair_p, sc.pair_r,
           partition_f1(sc.pair_p, sc.pair_r));
    free(s.gold);
    free(s.pred);
    json_object_put(s.ids.map);
    json_object_put(s.gold_events.map);
    json_object_put(s.pred_events.map);
    return 0;
}
