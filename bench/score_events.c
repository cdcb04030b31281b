/* score_events — an event partition scored against gold event labels.
 *
 * As ../shared/eval/event-clustering/README.md defines them: BCubed precision, recall and
 * F1 (per article: the share of its predicted cluster that shares its gold event, and of
 * its gold event that it was clustered with; means over articles), and the standard
 * pairwise F1 (over unordered pairs of articles: together in both, in the prediction
 * only, in the gold only). Both come from the contingency table of predicted cluster by
 * gold event, so the cost is linear in the articles.
 *
 * Input: GOLD, JSON Lines with "id" and "event" (a string or a number); PRED, JSON Lines
 * with "id" and "event" (e.g. `storyline export --format jsonl`), or "-" for stdin. An
 * article with a null or missing predicted event, or absent from PRED, is a cluster of
 * its own. --baseline singletons|one scores a reference partition instead of PRED. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

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
        s->gold = realloc(s->gold, (size_t)s->cap * sizeof *s->gold);
        s->pred = realloc(s->pred, (size_t)s->cap * sizeof *s->pred);
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

/* Pairs and BCubed sums from the contingency table: cells (pred, gold) with counts. */
typedef struct cell {
    int pred, gold;
    long n;
} cell;

static int by_cell(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->pred != y->pred)
        return x->pred < y->pred ? -1 : 1;
    return (x->gold > y->gold) - (x->gold < y->gold);
}

static double pairs(long n)
{
    return (double)n * (double)(n - 1) / 2;
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

    cell *c = malloc((size_t)n * sizeof *c);
    long *pred_size = calloc((size_t)next, sizeof *pred_size);
    long *gold_size = calloc((size_t)s.gold_events.n, sizeof *gold_size);
    for (long i = 0; i < n; i++) {
        c[i] = (cell){s.pred[i], s.gold[i], 1};
        pred_size[s.pred[i]]++;
        gold_size[s.gold[i]]++;
    }
    qsort(c, (size_t)n, sizeof *c, by_cell);
    double tp = 0, bp = 0, br = 0;
    for (long i = 0; i < n;) {
        long k = i;
        while (k < n && c[k].pred == c[i].pred && c[k].gold == c[i].gold)
            k++;
        long m = k - i; /* articles in this cell */
        tp += pairs(m);
        /* Each of the m articles: m of its predicted cluster share its gold event. */
        bp += (double)m * (double)m / (double)pred_size[c[i].pred];
        br += (double)m * (double)m / (double)gold_size[c[i].gold];
        i = k;
    }
    double pred_pairs = 0, gold_pairs = 0;
    long clusters = 0;
    for (long p = 0; p < next; p++) {
        pred_pairs += pairs(pred_size[p]);
        clusters += pred_size[p] > 0;
    }
    for (int g = 0; g < s.gold_events.n; g++)
        gold_pairs += pairs(gold_size[g]);
    double P = bp / (double)n, R = br / (double)n;
    double pp = pred_pairs ? tp / pred_pairs : 1, pr = gold_pairs ? tp / gold_pairs : 1;
    printf("articles %ld, gold events %d, predicted clusters %ld", n, s.gold_events.n, clusters);
    if (missing)
        printf(" (%ld articles without a predicted event, each its own)", missing);
    if (s.unknown)
        printf(" (%ld predicted ids not in the gold, ignored)", s.unknown);
    printf("\nBCubed    P %.4f  R %.4f  F1 %.4f\n", P, R, P + R ? 2 * P * R / (P + R) : 0);
    printf("pairwise  P %.4f  R %.4f  F1 %.4f\n", pp, pr, pp + pr ? 2 * pp * pr / (pp + pr) : 0);
    free(c);
    free(pred_size);
    free(gold_size);
    free(s.gold);
    free(s.pred);
    json_object_put(s.ids.map);
    json_object_put(s.gold_events.map);
    json_object_put(s.pred_events.map);
    return 0;
}
