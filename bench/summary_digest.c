/* summary_digest.c — the present stage's headline and summary of each GOLD event of a
 * labelled set, over a grid of its parameters, for bench/summary_eval.sh to score.
 *
 *   summary_digest EXPORT.jsonl GOLD.jsonl
 *
 * EXPORT: `storyline export` of a store holding the set (cleaned text, title, date,
 * family); GOLD: the set itself (`id`, `event`, optional `event_name`). For each gold
 * event (articles by date, undated last, then file order), one JSON line:
 *   {"event", "name", "articles": [{"id", "source", "family", "title",
 *    "sentences": [first 12 sentences]}], "headline": index or -1,
 *    "runs": [{"lambda", "redundant", "position", "keep", "picks": [[article, sentence]]}]}
 * The first run is the fitted default. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present/present.h"

typedef struct art {
    char *id, *event, *name, *topic, *source, *title, *date, *text;
    long long family;
    size_t order;
} art;

static char *dupstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return strdup(json_object_get_string(v));
}

static int by_event(const void *a, const void *b)
{
    const art *x = a, *y = b;
    int c = strcmp(x->event, y->event);
    if (c)
        return c;
    if (!x->date != !y->date)
        return x->date ? -1 : 1;
    if (x->date && (c = strcmp(x->date, y->date)))
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void jstr(const char *s)
{
    json_object *o = json_object_new_string(s ? s : "");
    fputs(s ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null", stdout);
    json_object_put(o);
}

/* The word sets of a's sentences fit to stand alone (of its first
 * PRESENT_SENTENCES_PER_ARTICLE), with their places; returns how many (-1 on error). */
static int fit_words(present_words *w, const art *a, uint64_t **ws, size_t *ns, size_t *pos)
{
    if (!a->text)
        return 0;
    size_t len = strlen(a->text);
    present_span sp[PRESENT_SENTENCES_PER_ARTICLE];
    size_t n = sli_present_sentences(a->text, len, sp, PRESENT_SENTENCES_PER_ARTICLE);
    int m = 0;
    for (size_t k = 0; k < n; k++) {
        if (sli_present_unfit(a->text + sp[k].start, sp[k].len))
            continue;
        if (sli_present_word_set(w, a->text + sp[k].start, sp[k].len, &ws[m], &ns[m]))
            return -1;
        pos[m++] = k;
    }
    return m;
}

static void pair_line(const char *kind, const uint64_t *a, size_t na, const uint64_t *b,
                      size_t nb)
{
    if (na && nb)
        printf("{\"kind\":\"%s\",\"overlap\":%.4f,\"jaccard\":%.4f}\n", kind,
               sli_present_overlap(a, na, b, nb), sli_present_jaccard(a, na, b, nb));
}

/* --pairs: for every two articles of different families, of one gold event or of one
 * topic (ECB+ `topic`, Giveme5W1H `category`), the overlap coefficient and Jaccard of
 * sentence pairs, as {"kind", "overlap", "jaccard"} lines for bench/summary_cut.py:
 * "lead": the two leads (first fit sentences) of one event, mostly its main fact in two
 * outlets' words; "late": one's lead and a fit sentence of the other's from its
 * LATE-th sentence on, one event, mostly different facts of it; "topic": the two leads of
 * two events of one topic. */
#define LATE 4
static int pair_figures(present_words *w, const art *a, size_t n)
{
    uint64_t *(*ws)[PRESENT_SENTENCES_PER_ARTICLE] = calloc(n ? n : 1, sizeof *ws);
    size_t(*ns)[PRESENT_SENTENCES_PER_ARTICLE] = calloc(n ? n : 1, sizeof *ns);
    size_t(*pos)[PRESENT_SENTENCES_PER_ARTICLE] = calloc(n ? n : 1, sizeof *pos);
    int *m = calloc(n ? n : 1, sizeof *m);
    for (size_t i = 0; i < n; i++)
        if ((m[i] = fit_words(w, &a[i], ws[i], ns[i], pos[i])) < 0)
            return 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j || !m[i] || !m[j] || (a[i].family && a[i].family == a[j].family))
                continue;
            if (!strcmp(a[i].event, a[j].event)) {
                if (i < j)
                    pair_line("lead", ws[i][0], ns[i][0], ws[j][0], ns[j][0]);
                for (int k = 1; k < m[j]; k++)
                    if (pos[j][k] >= LATE)
                        pair_line("late", ws[i][0], ns[i][0], ws[j][k], ns[j][k]);
            } else if (i < j && a[i].topic && a[j].topic && !strcmp(a[i].topic, a[j].topic)) {
                pair_line("topic", ws[i][0], ns[i][0], ws[j][0], ns[j][0]);
            }
        }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < m[i]; k++)
            free(ws[i][k]);
    free(ws);
    free(ns);
    free(pos);
    free(m);
    sli_present_words_free(w);
    return 0;
}

int main(int argc, char **argv)
{
    int pairs = argc == 4 && !strcmp(argv[1], "--pairs");
    if (argc != 3 && !pairs) {
        fprintf(stderr, "usage: summary_digest [--pairs] EXPORT.jsonl GOLD.jsonl\n");
        return 2;
    }
    argv += pairs;
    FILE *g = fopen(argv[2], "r"), *e = fopen(argv[1], "r");
    if (!g || !e) {
        perror("open");
        return 2;
    }
    art *a = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, g) > 0) {
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            a = realloc(a, cap * sizeof *a);
        }
        art *x = &a[n];
        memset(x, 0, sizeof *x);
        x->id = dupstr(o, "id");
        x->event = dupstr(o, "event");
        x->name = dupstr(o, "event_name");
        x->topic = dupstr(o, "topic");
        if (!x->topic)
            x->topic = dupstr(o, "category");
        x->order = n;
        json_object_put(o);
        if (x->id && x->event)
            n++;
    }
    while (getline(&line, &lcap, e) > 0) { /* the cleaned articles, by id */
        json_object *o = json_tokener_parse(line);
        if (!o)
            continue;
        char *id = dupstr(o, "id");
        for (size_t i = 0; id && i < n; i++)
            if (!strcmp(a[i].id, id)) {
                a[i].source = dupstr(o, "source");
                a[i].title = dupstr(o, "title");
                a[i].date = dupstr(o, "date");
                a[i].text = dupstr(o, "text");
                char *f = dupstr(o, "family");
                a[i].family = f ? strtoll(f + 1, NULL, 10) : 0;
                free(f);
                if (a[i].date && strlen(a[i].date) > 10)
                    a[i].date[10] = '\0';
                break;
            }
        free(id);
        json_object_put(o);
    }
    free(line);
    fclose(g);
    fclose(e);
    qsort(a, n, sizeof *a, by_event);

    present_words *w;
    if (sli_present_words_create(&w))
        return 1;
    present_params def;
    sli_present_params_default(&def);
    static const double lengths[] = {0, 0.25, 0.5, 0.75, 1.0};
    static const double keeps[] = {0, 0.1, 0.2, 0.4, 0.6};
    static const double redundants[] = {0.21, 0.3, 0.4, 0.5, 0.6, 1.01};
    if (pairs)
        return pair_figures(w, a, n);
    present_article *pa = calloc(n ? n : 1, sizeof *pa);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && !strcmp(a[end].event, a[i].event))
            end++;
        size_t m = end - i;
        if (m > PRESENT_ARTICLES_MAX)
            m = PRESENT_ARTICLES_MAX; /* as the stage reads them */
        for (size_t k = 0; k < m; k++)
            pa[k] = (present_article){a[i + k].title, a[i + k].text,
                                      a[i + k].text ? strlen(a[i + k].text) : 0,
                                      a[i + k].family};
        fputs("{\"event\":", stdout);
        jstr(a[i].event);
        fputs(",\"name\":", stdout);
        jstr(a[i].name);
        fputs(",\"articles\":[", stdout);
        for (size_t k = 0; k < m; k++) {
            present_span sp[PRESENT_SENTENCES_PER_ARTICLE];
            size_t ns = pa[k].text ? sli_present_sentences(pa[k].text, pa[k].len, sp,
                                                           PRESENT_SENTENCES_PER_ARTICLE)
                                   : 0;
            printf("%s{\"id\":", k ? "," : "");
            jstr(a[i + k].id);
            fputs(",\"source\":", stdout);
            jstr(a[i + k].source);
            printf(",\"family\":%lld,\"title\":", a[i + k].family);
            jstr(a[i + k].title);
            fputs(",\"sentences\":[", stdout);
            for (size_t s = 0; s < ns; s++) {
                char *t = strndup(pa[k].text + sp[s].start, sp[s].len);
                printf("%s", s ? "," : "");
                jstr(t);
                free(t);
            }
            fputs("]}", stdout);
        }
        present_digest d;
        if (sli_present_digest(w, pa, m, &def, &d))
            return 1;
        printf("],\"headline\":%ld,\"runs\":[", d.headline);
        int first = 1;
        for (int run = -1; run < (int)(sizeof lengths / sizeof *lengths * sizeof keeps /
                                       sizeof *keeps * sizeof redundants / sizeof *redundants);
             run++) {
            present_params p = def;
            if (run >= 0) {
                p.length = lengths[(size_t)run % 5];
                p.keep = keeps[(size_t)run / 5 % 5];
                p.redundant = redundants[(size_t)run / 25];
            }
            if (sli_present_digest(w, pa, m, &p, &d))
                return 1;
            printf("%s{\"length\":%g,\"redundant\":%g,\"keep\":%g,\"picks\":[",
                   first ? "" : ",", p.length, p.redundant, p.keep);
            first = 0;
            for (size_t k = 0; k < d.n; k++)
                printf("%s[%zu,%zu]", k ? "," : "", d.pick[k].article, d.pick[k].sentence);
            fputs("]}", stdout);
        }
        fputs("]}\n", stdout);
        i = end;
    }
    sli_present_words_free(w);
    for (size_t i = 0; i < n; i++) {
        free(a[i].id);
        free(a[i].event);
        free(a[i].name);
        free(a[i].topic);
        free(a[i].source);
        free(a[i].title);
        free(a[i].date);
        free(a[i].text);
    }
    free(a);
    free(pa);
    return 0;
}
