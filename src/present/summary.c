/* summary.c — the event's summary: 3 to 5 sentences chosen across its articles for
 * weighted coverage of the event's words, in reading order (docs/present.md). */
#include "present.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grow.h"
#include "../core/u64map.h"

/* At most this many sentences from one article while others have some to give. */
#define PER_ARTICLE_MAX 2
/* A 4th and 5th sentence only while the summary stays under this many bytes. */
#define SUMMARY_CHARS_MAX 900

void sli_present_params_default(present_params *p)
{
    p->length = 0.5;
    p->redundant = 0.4;
    p->keep = 0;
}

typedef struct sent {
    size_t article, pos, start, len;
    uint64_t *w;
    size_t nw;
    int unfit;
    int chosen;
} sent;

typedef struct work {
    sent *s;
    size_t n, cap;
    u64map df; /* word -> articles (family first members) whose sentences use it */
} work;

static void work_free(work *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->s[i].w);
    free(x->s);
    sli_u64map_free(&x->df);
}

/* Whether article i is the first of its family (or in none), with text. */
static int counts(const present_article *a, size_t i)
{
    if (!a[i].text || !a[i].len)
        return 0;
    if (!a[i].family)
        return 1;
    for (size_t j = 0; j < i; j++)
        if (a[j].family == a[i].family && a[j].text && a[j].len)
            return 0;
    return 1;
}

/* The sentences of article i, with their words; each word's article count in df. */
static sl_error read_article(present_words *w, const present_article *a, size_t i, work *x)
{
    present_span sp[PRESENT_SENTENCES_PER_ARTICLE];
    size_t ns = sli_present_sentences(a[i].text, a[i].len, sp, PRESENT_SENTENCES_PER_ARTICLE);
    u64map seen = {0};
    sl_error err = sli_u64map_init_set(&seen, 128);
    for (size_t k = 0; !err && k < ns; k++) {
        sent *grown = sli_grow_array(x->s, &x->cap, x->n + 1, sizeof *grown, 64);
        if (!grown) {
            err = SL_ERR_NOMEM;
            break;
        }
        x->s = grown;
        sent *s = &x->s[x->n++];
        memset(s, 0, sizeof *s);
        s->article = i;
        s->pos = k;
        s->start = sp[k].start;
        s->len = sp[k].len;
        s->unfit = sli_present_unfit(a[i].text + s->start, s->len);
        err = sli_present_word_set(w, a[i].text + s->start, s->len, &s->w, &s->nw);
        for (size_t m = 0; !err && m < s->nw; m++) {
            int added = 0;
            err = sli_u64map_put(&seen, s->w[m], NULL, &added);
            uint64_t *v = NULL;
            if (!err && added)
                err = sli_u64map_put(&x->df, s->w[m], &v, NULL);
            if (v)
                (*v)++;
        }
    }
    sli_u64map_free(&seen);
    return err;
}

/* The weight of each word: how many of the event's articles use it besides the one whose
 * sentence says it (df - 1), so a word is worth covering when other outlets say it too;
 * in a one-article event every word weighs 1. */
static double weight(const work *x, size_t articles, uint64_t word)
{
    if (articles <= 1)
        return 1.0;
    return (double)*sli_u64map_get(&x->df, word) - 1.0;
}

/* A sentence's gain: the weight of its words not covered yet (each word counts once in a
 * summary), plus a small amount per new word so that a sentence of words no other
 * outlet uses still ranks among those that add nothing at all (which are never taken);
 * divided by its length^p->length. 0 when it adds no word. */
#define NEW_WORD 1e-3
static double gain(const work *x, size_t articles, const u64map *covered, const sent *s,
                   const present_params *p)
{
    double g = 0;
    size_t fresh = 0;
    for (size_t m = 0; m < s->nw; m++)
        if (!sli_u64map_has(covered, s->w[m])) {
            g += weight(x, articles, s->w[m]);
            fresh++;
        }
    if (!fresh)
        return 0;
    return (g + NEW_WORD * (double)fresh) / pow((double)s->nw, p->length);
}

static int by_place(const void *a, const void *b)
{
    const present_pick *x = a, *y = b;
    if (x->article != y->article)
        return x->article < y->article ? -1 : 1;
    return x->sentence < y->sentence ? -1 : x->sentence > y->sentence;
}

/* The chosen sentence nearest the top of its article (the earliest such) opens the
 * summary: a lead states what happened, the rest follow in reading order. Without it a
 * later outlet's lead, the event's main fact, would come after the first outlet's
 * details. */
static void lead_first(present_digest *out)
{
    size_t best = 0;
    for (size_t k = 1; k < out->n; k++)
        if (out->pick[k].sentence < out->pick[best].sentence)
            best = k;
    present_pick lead = out->pick[best];
    memmove(out->pick + 1, out->pick, best * sizeof *out->pick);
    out->pick[0] = lead;
}

static void pick(present_digest *out, const sent *s)
{
    out->pick[out->n++] = (present_pick){s->article, s->pos, s->start, s->len};
}

/* Greedy weighted coverage over the fit sentences (a monotone submodular objective: the
 * greedy choice is within 1 - 1/e of the best set of its size), a sentence that says what
 * a chosen one says (overlap coefficient >= p->redundant) passed over. */
static sl_error choose(work *x, size_t articles, const present_params *p, present_digest *out)
{
    u64map covered = {0};
    sl_error err = sli_u64map_init_set(&covered, 256);
    size_t chosen[PRESENT_SUMMARY_MAX], chars = 0;
    double first = 0;
    while (!err && out->n < PRESENT_SUMMARY_MAX) {
        long best = -1;
        double best_v = 0;
        for (size_t i = 0; i < x->n; i++) {
            const sent *s = &x->s[i];
            if (s->unfit || s->chosen || !s->nw)
                continue;
            size_t same = 0;
            double sim = 0;
            for (size_t k = 0; k < out->n; k++) {
                const sent *c = &x->s[chosen[k]];
                same += c->article == s->article;
                double o = sli_present_overlap(s->w, s->nw, c->w, c->nw);
                if (o > sim)
                    sim = o;
            }
            if (sim >= p->redundant)
                continue; /* says what a chosen one says */
            if (articles > 1 && same >= PER_ARTICLE_MAX)
                continue;
            double v = gain(x, articles, &covered, s, p);
            if (v > 0 && (best < 0 || v > best_v * (1 + 1e-12))) {
                best = (long)i;
                best_v = v;
            }
        }
        if (best < 0)
            break;
        sent *s = &x->s[best];
        if (out->n >= PRESENT_SUMMARY_MIN &&
            (best_v < p->keep * first || chars + s->len > SUMMARY_CHARS_MAX))
            break;
        if (out->n == 0)
            first = best_v;
        s->chosen = 1;
        chars += s->len;
        chosen[out->n] = (size_t)best;
        pick(out, s);
        for (size_t m = 0; !err && m < s->nw; m++)
            err = sli_u64map_put(&covered, s->w[m], NULL, NULL);
    }
    sli_u64map_free(&covered);
    return err;
}

/* No sentence fit to stand alone: the first article's first sentences that have words,
 * as a reader of that article would meet them. */
static void lead(work *x, present_digest *out)
{
    if (!x->n)
        return;
    size_t article = x->s[0].article;
    for (size_t i = 0; i < x->n && x->s[i].article == article && out->n < PRESENT_SUMMARY_MIN;
         i++)
        if (x->s[i].nw && x->s[i].unfit != PRESENT_SHORT)
            pick(out, &x->s[i]);
    for (size_t i = 0; !out->n && i < x->n && x->s[i].article == article && out->n <
                                                  PRESENT_SUMMARY_MIN;
         i++)
        if (x->s[i].nw)
            pick(out, &x->s[i]);
}

sl_error sli_present_digest(present_words *w, const present_article *a, size_t n,
                            const present_params *p, present_digest *out)
{
    memset(out, 0, sizeof *out);
    out->headline = -1;
    present_params def;
    if (!p) {
        sli_present_params_default(&def);
        p = &def;
    }
    sl_error err = sli_present_headline(w, a, n, &out->headline);
    if (err)
        return err;
    work x;
    memset(&x, 0, sizeof x);
    err = sli_u64map_init(&x.df, 1024);
    size_t articles = 0;
    for (size_t i = 0; !err && i < n; i++)
        if (counts(a, i)) {
            err = read_article(w, a, i, &x);
            articles++;
        }
    if (!err)
        err = choose(&x, articles, p, out);
    if (!err) {
        if (!out->n)
            lead(&x, out);
        qsort(out->pick, out->n, sizeof *out->pick, by_place);
        lead_first(out);
    }
    work_free(&x);
    return err;
}
