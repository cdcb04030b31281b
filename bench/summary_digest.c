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
    char *id, *event, *name, *source, *title, *date, *text;
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

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: summary_digest EXPORT.jsonl GOLD.jsonl\n");
        return 2;
    }
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
    static const double lambdas[] = {0.3, 0.5, 0.7, 0.9, 1.0};
    static const double redundants[] = {0.2, 0.3, 0.4, 0.5, 1.01};
    static const double positions[] = {0, 0.5, 1, 2};
    static const double keeps[] = {0.6};
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
        for (int run = -1; run < (int)(sizeof lambdas / sizeof *lambdas *
                                       sizeof redundants / sizeof *redundants *
                                       sizeof positions / sizeof *positions *
                                       sizeof keeps / sizeof *keeps);
             run++) {
            present_params p = def;
            if (run >= 0) {
                size_t r = (size_t)run;
                p.lambda = lambdas[r % 5];
                r /= 5;
                p.redundant = redundants[r % 5];
                r /= 5;
                p.position = positions[r % 4];
                r /= 4;
                p.keep = keeps[r];
            }
            if (sli_present_digest(w, pa, m, &p, &d))
                return 1;
            printf("%s{\"lambda\":%g,\"redundant\":%g,\"position\":%g,\"keep\":%g,\"picks\":[",
                   first ? "" : ",", p.lambda, p.redundant, p.position, p.keep);
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
        free(a[i].source);
        free(a[i].title);
        free(a[i].date);
        free(a[i].text);
    }
    free(a);
    free(pa);
    return 0;
}
