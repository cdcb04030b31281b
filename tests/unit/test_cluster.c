/* test_cluster.c — the cluster stage's pieces: growing arrays, the tally,
 * ISO days, stop words, features (names), the engine's join-or-new decision, and the
 * cheaper links (indexed dots, merge bounds, threads) giving the same numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libstemmer.h>
#include <math.h>
#include <xxhash.h>

#include "cluster/agglo.h"
#include "cluster/engine.h"
#include "cluster/event_blob.h"
#include "cluster/features.h"
#include "text/stem_memo.h"
#include "text/stopwords.h"
#include "cluster/tally.h"
#include "core/grow.h"
#include "core/workers.h"
#include "text/date.h"
#include "scratch.h"

static void test_grow_array(void **state)
{
    (void)state;
    size_t cap = 0;
    int *p = sli_grow_array(NULL, &cap, 0, sizeof *p, 4); /* made even for nothing */
    assert_non_null(p);
    assert_int_equal(cap, 4);
    assert_ptr_equal(sli_grow_array(p, &cap, 4, sizeof *p, 4), p);
    p = sli_grow_array(p, &cap, 9, sizeof *p, 4);
    assert_non_null(p);
    assert_int_equal(cap, 16);
    size_t huge = 1;
    assert_null(sli_grow_array(p, &huge, SIZE_MAX / 2, sizeof *p, 4));
    assert_int_equal(huge, 1);
    free(p);
}

static int by_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* sli_tally_at_least against counting by sorting, on random lists: the ids named `need`
 * times or more, ascending; past `most`, the most named (ties: highest ids). */
static void test_tally(void **state)
{
    (void)state;
    tally t = {0};
    assert_int_equal(sli_tally_at_least(&t, NULL, 0, 2, 8), 0); /* nothing reserved yet */
    uint64_t seed = 42;
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(round * 7 % 1600);
        int need = 1 + round % 3;
        size_t most = round % 2 ? 1000000 : (size_t)(1 + round % 40);
        long long *ids = malloc((n + 1) * sizeof *ids), *sorted = malloc((n + 1) * sizeof *ids);
        long long(*want)[2] = malloc((n + 1) * sizeof *want);
        assert_true(ids && sorted && want);
        long long range = 1 + round % 500; /* few distinct ids: many repeats */
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            ids[i] = sorted[i] = 1 + (long long)((seed >> 33) % (uint64_t)range);
            if (round % 3 == 1) /* ids apart only in their high bits */
                ids[i] = sorted[i] = ids[i] << 32;
        }
        qsort(sorted, n, sizeof *sorted, by_ll);
        size_t m = 0; /* (count, id) of each id named need times or more */
        for (size_t i = 0, end; i < n; i = end) {
            for (end = i + 1; end < n && sorted[end] == sorted[i];)
                end++;
            if (end - i >= (size_t)need)
                want[m][0] = (long long)(end - i), want[m++][1] = sorted[i];
        }
        /* keep the `most` best: by count, then the highest id */
        for (size_t i = 0; i < m; i++)
            for (size_t j = i + 1; j < m; j++)
                if (want[j][0] > want[i][0] ||
                    (want[j][0] == want[i][0] && want[j][1] > want[i][1])) {
                    long long c = want[i][0], id = want[i][1];
                    want[i][0] = want[j][0], want[i][1] = want[j][1];
                    want[j][0] = c, want[j][1] = id;
                }
        if (m > most)
            m = most;
        for (size_t i = 0; i < m; i++)
            sorted[i] = want[i][1];
        qsort(sorted, m, sizeof *sorted, by_ll);
        assert_int_equal(sli_tally_reserve(&t, n), SL_OK);
        if (round == 150) /* the lists' stamps wrap: every slot empty again */
            t.list = UINT32_MAX - 1;
        size_t got = sli_tally_at_least(&t, ids, n, need, most);
        assert_int_equal(got, m);
        for (size_t i = 0; i < m; i++)
            assert_int_equal(ids[i], sorted[i]);
        free(ids);
        free(sorted);
        free(want);
    }
    /* counts past the histogram's (HIST_COUNTS, 64): 40 ids named 60 to 99 times each,
     * the 8 named most kept (ties to the higher id) */
    long long big[40 * 99];
    size_t nb = 0;
    for (long long id = 1; id <= 40; id++)
        for (long long k = 0; k < 60 + (id * 7) % 40; k++)
            big[nb++] = id;
    assert_int_equal(sli_tally_reserve(&t, nb), SL_OK);
    assert_int_equal(sli_tally_at_least(&t, big, nb, 1, 8), 8);
    long long top[8], nt = 0; /* counts 60 + 7id mod 40: the 8 highest, by hand */
    for (int c = 99; c >= 60 && nt < 8; c--)
        for (long long id = 40; id >= 1 && nt < 8; id--)
            if (60 + (id * 7) % 40 == c)
                top[nt++] = id;
    qsort(top, 8, sizeof *top, by_ll);
    for (int i = 0; i < 8; i++)
        assert_int_equal(big[i], top[i]);
    sli_tally_free(&t);
    sli_tally_free(&t); /* twice: left empty */
}

/* The engine's postings (the newest ENGINE_MAX_POSTINGS events of a term, held in one
 * array) against the linked list they replace, every posting kept: an event indexed
 * again moves to the head when among the newest ENGINE_MAX_POSTINGS, else is posted
 * again; a search reads the newest ENGINE_MAX_POSTINGS of each key. */
typedef struct ref_post {
    long long ev[4096];
    int n; /* newest last */
} ref_post;

static void ref_index(ref_post *l, long long id)
{
    for (int read = 0, at = l->n - 1; at >= 0 && read < ENGINE_MAX_POSTINGS; at--, read++)
        if (l->ev[at] == id) {
            memmove(l->ev + at, l->ev + at + 1, (size_t)(l->n - at - 1) * sizeof *l->ev);
            l->ev[l->n - 1] = id;
            return;
        }
    l->ev[l->n++] = id;
}

static void test_engine_postings(void **state)
{
    (void)state;
    enum { TERMS = 6, ROUNDS = 3000 };
    cluster_params p;
    sli_cluster_params_default(&p);
    engine *e;
    assert_int_equal(sli_engine_create(&p, 1, &e), SL_OK);
    ref_post *ref = calloc(TERMS, sizeof *ref);
    tally t = {0};
    assert_non_null(ref);
    assert_int_equal(sli_tally_reserve(&t, ENGINE_CANDIDATES), SL_OK);
    uint64_t seed = 7, terms[TERMS];
    for (int k = 0; k < TERMS; k++)
        terms[k] = 0x9E3779B97F4A7C15ull * (uint64_t)(k + 1);
    for (int round = 0; round < ROUNDS; round++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        /* ids from a range that grows: many new, some again (near the head or far) */
        long long id = 1 + (long long)((seed >> 33) % (uint64_t)(1 + round / 4));
        uint64_t keys[3];
        int nk = 1 + (int)((seed >> 20) % 3);
        for (int k = 0; k < nk; k++)
            keys[k] = terms[(seed >> (8 * k)) % TERMS];
        assert_int_equal(sli_engine_index(e, id, keys, (size_t)nk), SL_OK);
        for (int k = 0; k < nk; k++)
            ref_index(&ref[(seed >> (8 * k)) % TERMS], id);
        if (round % 7)
            continue;
        /* every term searched, need 1 and 2, skipping an id */
        for (int need = 1; need <= 2; need++) {
            long long got[ENGINE_CANDIDATES], want[ENGINE_CANDIDATES];
            size_t ng = sli_engine_candidates(e, terms, TERMS, id, need, got, ENGINE_CANDIDATES);
            size_t nw = 0;
            for (int k = 0; k < TERMS; k++)
                for (int read = 0, at = ref[k].n - 1; at >= 0 && read < ENGINE_MAX_POSTINGS;
                     at--, read++)
                    if (ref[k].ev[at] != id)
                        want[nw++] = ref[k].ev[at];
            nw = sli_tally_at_least(&t, want, nw, need, ENGINE_BEST_CANDIDATES);
            assert_int_equal(ng, nw);
            assert_memory_equal(got, want, nw * sizeof *want);
        }
    }
    for (int k = 0; k < TERMS; k++) /* the lists outgrew what a search reads */
        assert_true(ref[k].n > 2 * ENGINE_MAX_POSTINGS);
    sli_tally_free(&t);
    free(ref);
    sli_engine_free(e);
}

static void test_iso_days(void **state)
{
    (void)state;
    int ok;
    assert_int_equal(sli_text_iso_days("1970-01-01", &ok), 0);
    assert_true(ok);
    assert_int_equal(sli_text_iso_days("2024-03-01T10:00:00Z", &ok), 19783);
    assert_true(ok);
    assert_int_equal(sli_text_iso_days("2024-02-29", &ok) + 1, sli_text_iso_days("2024-03-01", &ok));
    sli_text_iso_days("2023-02-29", &ok);
    assert_false(ok);
    sli_text_iso_days("2024-13-01", &ok);
    assert_false(ok);
    sli_text_iso_days(NULL, &ok);
    assert_false(ok);
    sli_text_iso_days("March 1", &ok);
    assert_false(ok);
}

static void test_stop_words(void **state)
{
    (void)state;
    assert_true(sli_features_is_stop("the", 3));
    assert_true(sli_features_is_stop("said", 4));
    assert_true(sli_features_is_stop("a", 1));
    assert_false(sli_features_is_stop("th", 2)); /* a prefix of a stop word is not one */
    assert_false(sli_features_is_stop("harbour", 7));
    assert_false(sli_features_is_stop("yourselves", 10));
}

/* How many names terms a text yields. */
static uint32_t names_of(features_ctx *c, const char *text)
{
    features f;
    assert_int_equal(sli_features_extract(c, NULL, text, strlen(text), &f), SL_OK);
    return f.n[VIEW_NAMES];
}

static void test_names(void **state)
{
    (void)state;
    features_ctx *c;
    assert_int_equal(sli_features_ctx_create(&c), SL_OK);
    /* A capital that only opens a sentence is no name; a stop word never is. */
    assert_int_equal(names_of(c, "Boats left early. The harbour was calm."), 0);
    /* "Portvale" mid-sentence: one name. */
    assert_int_equal(names_of(c, "boats left Portvale early"), 1);
    /* "Gwen Tarrow" opens a sentence but goes on: both words and the pair. */
    assert_int_equal(names_of(c, "Gwen Tarrow spoke."), 3);
    features f;
    assert_int_equal(sli_features_extract(c, "Dockers strike", "dockers dockers strike", 22, &f), SL_OK);
    assert_int_equal(f.n[VIEW_TITLE], 2);
    assert_int_equal(f.n[VIEW_BODY], 2);
    /* in id order; "dockers" (tf 2) the heavier, wherever its id falls */
    const cterm *b = &f.terms[f.at[VIEW_BODY]];
    assert_true(b[0].id < b[1].id);
    assert_true(b[0].w != b[1].w);
    const cterm *strike = b[0].w < b[1].w ? &b[0] : &b[1];
    features one;
    assert_int_equal(sli_features_extract(c, NULL, "strike", 6, &one), SL_OK);
    assert_int_equal(one.n[VIEW_BODY], 1);
    assert_true(one.terms[one.at[VIEW_BODY]].id == strike->id); /* the lighter: strike */
    sli_features_ctx_free(c);
}

/* A body's terms past FEATURES_MAX_BODY: the most frequent kept first, then the earliest;
 * so 150 words once each and one word thrice keep that word and the first 95 words, the
 * terms of a text of those 96 words alone; kept in id order. */
static void test_features_top(void **state)
{
    (void)state;
    features_ctx *c;
    assert_int_equal(sli_features_ctx_create(&c), SL_OK);
    static char all[150 * 16], first[96 * 16];
    char *p = all, *q = first;
    for (int i = 0; i < 150; i++) {
        p += sprintf(p, "qx%dz ", i);
        if (i < FEATURES_MAX_BODY - 1)
            q += sprintf(q, "qx%dz ", i);
    }
    sprintf(p, "harbour harbour harbour");
    sprintf(q, "harbour harbour harbour");
    features f, g;
    assert_int_equal(sli_features_extract(c, NULL, all, strlen(all), &f), SL_OK);
    assert_int_equal(sli_features_extract(c, NULL, first, strlen(first), &g), SL_OK);
    assert_int_equal(f.n[VIEW_BODY], FEATURES_MAX_BODY);
    assert_int_equal(g.n[VIEW_BODY], FEATURES_MAX_BODY);
    for (uint32_t k = 0; k < FEATURES_MAX_BODY; k++) {
        assert_true(f.terms[f.at[VIEW_BODY] + k].id == g.terms[g.at[VIEW_BODY] + k].id);
        assert_true(f.terms[f.at[VIEW_BODY] + k].w == g.terms[g.at[VIEW_BODY] + k].w);
    }
    /* in id order, as vectors need them; one term (harbour, three times) the heaviest */
    float top = 0;
    for (uint32_t k = 0; k < FEATURES_MAX_BODY; k++) {
        const cterm *t = &f.terms[f.at[VIEW_BODY] + k];
        if (k)
            assert_true(t[-1].id < t->id);
        if (t->w > top)
            top = t->w;
    }
    uint32_t at_top = 0;
    for (uint32_t k = 0; k < FEATURES_MAX_BODY; k++)
        at_top += f.terms[f.at[VIEW_BODY] + k].w == top;
    assert_int_equal(at_top, 1);
    sli_features_ctx_free(c);
}

/* The same rule on random texts (property): 100 to 399 words, each said 1 to 5 times in a
 * shuffled order; the body keeps the FEATURES_MAX_BODY most frequent, of equals the
 * earliest, so its terms are those of the text with every other word left out (the kept
 * words' counts, and the order of their first occurrences, unchanged). 200 texts: the
 * selection's partitions take every path (a kept set's edge inside, at, and past a
 * pivot), and the id sort's recursion too. */
static void test_features_top_random(void **state)
{
    (void)state;
    features_ctx *c;
    assert_int_equal(sli_features_ctx_create(&c), SL_OK);
    enum { MOST = 400, SAID = 5 };
    static int tf[MOST], first[MOST], order[MOST * SAID], by_rank[MOST], kept[MOST];
    static char all[MOST * SAID * 12], some[MOST * SAID * 12];
    uint64_t seed = 0x5eed;
    for (int round = 0; round < 200; round++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        int words = 100 + (int)(seed >> 33) % 300, n = 0;
        for (int w = 0; w < words; w++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            tf[w] = 1 + (int)(seed >> 33) % SAID;
            for (int k = 0; k < tf[w]; k++)
                order[n++] = w;
        }
        for (int i = n - 1; i > 0; i--) { /* Fisher-Yates */
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            int j = (int)((seed >> 33) % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int w = 0; w < words; w++)
            first[w] = -1;
        for (int i = 0; i < n; i++)
            if (first[order[i]] < 0)
                first[order[i]] = i;
        /* the words by rank: most said first, then the earliest (selection sort: small) */
        for (int w = 0; w < words; w++)
            by_rank[w] = w;
        for (int i = 0; i < words; i++)
            for (int j = i + 1; j < words; j++) {
                int a = by_rank[i], b = by_rank[j];
                if (tf[b] > tf[a] || (tf[b] == tf[a] && first[b] < first[a])) {
                    by_rank[i] = b;
                    by_rank[j] = a;
                }
            }
        for (int w = 0; w < words; w++)
            kept[w] = 0;
        for (int i = 0; i < words && i < FEATURES_MAX_BODY; i++)
            kept[by_rank[i]] = 1;
        char *p = all, *q = some;
        for (int i = 0; i < n; i++) {
            p += sprintf(p, "qx%dz ", order[i]);
            if (kept[order[i]])
                q += sprintf(q, "qx%dz ", order[i]);
        }
        features f, g;
        assert_int_equal(sli_features_extract(c, NULL, all, strlen(all), &f), SL_OK);
        assert_int_equal(sli_features_extract(c, NULL, some, strlen(some), &g), SL_OK);
        uint32_t want = words < FEATURES_MAX_BODY ? (uint32_t)words : FEATURES_MAX_BODY;
        assert_int_equal(f.n[VIEW_BODY], want);
        assert_int_equal(g.n[VIEW_BODY], want);
        for (uint32_t k = 0; k < want; k++) {
            const cterm *x = &f.terms[f.at[VIEW_BODY] + k], *y = &g.terms[g.at[VIEW_BODY] + k];
            assert_true(x->id == y->id);
            assert_true(x->w == y->w);
            if (k)
                assert_true(x[-1].id < x->id);
        }
    }
    sli_features_ctx_free(c);
}

/* A stem memo answers as the stemmer and the stop-word list do: 20,000 words (slots taken
 * and taken again, words seen before, words longer than a slot keeps, stop words), each
 * hash that of the stem, each word's kinds those of the list. */
static void test_stem_memo(void **state)
{
    (void)state;
    stem_memo *m;
    assert_int_equal(sli_stem_memo_create(&m), SL_OK);
    struct sb_stemmer *st = sb_stemmer_new("english", NULL);
    assert_non_null(st);
    static const char *const roots[] = {"harbour", "running", "internationalisations",
                                        "nationalisations-of-everything", "the", "said",
                                        "a", "whereupon"};
    int stops = 0;
    for (int i = 0; i < 20000; i++) {
        char w[64];
        int n = i % 4 ? snprintf(w, sizeof w, "%s%d", roots[i % 8], i % 5000)
                      : snprintf(w, sizeof w, "%s", roots[(i / 4) % 8]);
        if (i % 3 == 0) { /* asked before the stem, or only after it */
            unsigned kinds = sli_stem_memo_kinds(m, w, (size_t)n);
            assert_int_equal(kinds, sli_stopword_kinds(w, (size_t)n));
            stops += kinds != 0;
        }
        uint64_t got;
        assert_int_equal(sli_stem_memo_hash(m, w, (size_t)n, &got), SL_OK);
        const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)w, n);
        assert_non_null(s);
        assert_true(got == XXH3_64bits(s, (size_t)sb_stemmer_length(st)));
        assert_int_equal(sli_stem_memo_kinds(m, w, (size_t)n), sli_stopword_kinds(w, (size_t)n));
    }
    assert_true(stops > 0);
    sb_stemmer_delete(st);
    sli_stem_memo_free(m);
    sli_stem_memo_free(NULL);
}

/* A context's remembered stems (text/stem_memo.c) change nothing: each story's
 * features from a context that has seen 20,000 other words (its slots taken and taken
 * again, stop words and long words among them) are those of a fresh context. */
static void test_features_remembered(void **state)
{
    (void)state;
    static const char *const texts[] = {
        ("Dockworkers at the Estline terminal in Portvale walked out over driverless carriers, "
         "and the internationalisation-of-everything campaigners said they would not."),
        "The the the said said harbour harbours harboured 2024 2,50,000 Ünïcödé ÉCOLE école",
        "Gwen Tarrow spoke. Boats left Portvale early; the harbour was calm and quiet.",
    };
    features_ctx *warm, *fresh;
    assert_int_equal(sli_features_ctx_create(&warm), SL_OK);
    static char noise[20000 * 40];
    char *p = noise;
    for (int i = 0; i < 20000; i++) /* words, stop words, words over 23 bytes */
        p += i % 7 == 0    ? sprintf(p, "the ")
             : i % 11 == 0 ? sprintf(p, "internationalisations%d ", i)
                           : sprintf(p, "%c%d ", i % 2 ? 'w' : 'x', i);
    features f, g;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(sli_features_extract(warm, NULL, noise, strlen(noise), &f), SL_OK);
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            assert_int_equal(sli_features_ctx_create(&fresh), SL_OK);
            assert_int_equal(sli_features_extract(warm, "Harbour strike", texts[t],
                                                  strlen(texts[t]), &f), SL_OK);
            assert_int_equal(sli_features_extract(fresh, "Harbour strike", texts[t],
                                                  strlen(texts[t]), &g), SL_OK);
            assert_memory_equal(f.at, g.at, sizeof f.at);
            assert_memory_equal(f.n, g.n, sizeof f.n);
            uint32_t used = f.at[VIEWS - 1] + f.n[VIEWS - 1];
            assert_true(used > 0);
            for (uint32_t k = 0; k < used; k++) {
                assert_true(f.terms[k].id == g.terms[k].id);
                assert_true(f.terms[k].w == g.terms[k].w);
            }
            sli_features_ctx_free(fresh);
        }
    }
    sli_features_ctx_free(warm);
}

/* Document frequencies of n articles' terms: each term in as many as have it. */
static void set_dfs(engine *e, const features *f, int n)
{
    for (int i = 0; i < n; i++)
        for (uint32_t k = 0; k < f[i].at[VIEWS - 1] + f[i].n[VIEWS - 1]; k++) {
            int df = 0;
            for (int j = 0; j < n; j++)
                for (uint32_t m = 0; m < f[j].at[VIEWS - 1] + f[j].n[VIEWS - 1]; m++)
                    if (f[j].terms[m].id == f[i].terms[k].id) {
                        df++;
                        break;
                    }
            assert_int_equal(sli_engine_set_df(e, f[i].terms[k].id, df), SL_OK);
        }
    sli_engine_set_ndocs(e, n);
}

/* Two tellings of a port strike and an unrelated rate decision. */
static const char *const stories[3] = {
        "Dockworkers at the Estline terminal in Portvale walked out over driverless carriers, "
        "and thirty ships waited at anchor as union leader Gwen Tarrow vowed to stay out.",
        "Thirty ships waited at anchor off Portvale as dockworkers of the Estline terminal "
        "struck over driverless carriers; Gwen Tarrow said the union would not back down.",
        "The Bank of Estmark raised its key rate to a sixteen year high, Governor Ilse Marten "
        "told reporters after a five to two vote on borrowing costs and inflation.",
};

/* An engine with the default parameters (into *p), giving ids from 1. */
static engine *default_engine(cluster_params *p)
{
    sli_cluster_params_default(p);
    engine *e = NULL;
    assert_int_equal(sli_engine_create(p, 1, &e), SL_OK);
    return e;
}

/* n articles (titles may be NULL) as vectors of engine e, with their own document
 * frequencies; article i dated day + i * step. */
static void vectors_of(engine *e, const char *const *title, const char *const *text, int n,
                       int day, int step, avec *a)
{
    features_ctx *c;
    assert_int_equal(sli_features_ctx_create(&c), SL_OK);
    features f[8];
    assert_true(n <= 8);
    for (int i = 0; i < n; i++)
        assert_int_equal(sli_features_extract(c, title ? title[i] : NULL, text[i], strlen(text[i]),
                                          &f[i]),
                         SL_OK);
    set_dfs(e, f, n);
    for (int i = 0; i < n; i++)
        sli_engine_vector(e, &f[i], day + i * step, &a[i]);
    sli_features_ctx_free(c);
}

/* Three texts into an engine: two tellings of one story join, an unrelated one does not. */
static void test_engine_join_or_new(void **state)
{
    (void)state;
    const char *const *texts = stories;
    cluster_params p;
    engine *e = default_engine(&p);
    avec a[3];
    vectors_of(e, NULL, texts, 3, 19737, 1, a);
    /* One chunk: ids in chunk order. */
    long long got[3];
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, NULL, 3, got), SL_OK);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 1);
    assert_int_equal(got[2], 2);
    cevent *one = sli_engine_event(e, 1);
    assert_non_null(one);
    assert_int_equal(one->n, 2);
    assert_int_equal(one->first, 19737);
    assert_int_equal(one->last, 19738);
    sli_engine_free(e);

    /* Reopened articles: the port pair was event 7 and forms again as 7; the rate story
     * had been put with them (7) and now stands alone: a new id, not 7 again. */
    assert_int_equal(sli_engine_create(&p, 10, &e), SL_OK);
    long long was[3] = {7, 7, 7};
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, was, 3, got), SL_OK);
    assert_int_equal(got[0], 7);
    assert_int_equal(got[1], 7);
    assert_int_equal(got[2], 10);
    sli_engine_free(e);
    /* Two old events merged: the first article's id is kept. */
    assert_int_equal(sli_engine_create(&p, 10, &e), SL_OK);
    was[0] = 8, was[1] = 5, was[2] = 0;
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, was, 3, got), SL_OK);
    assert_int_equal(got[0], 8);
    assert_int_equal(got[1], 8);
    assert_int_equal(got[2], 10);
    sli_engine_free(e);

    /* The same one at a time: the second telling finds the first's event. */
    assert_int_equal(sli_engine_create(&p, 1, &e), SL_OK);
    for (int i = 0; i < 3; i++)
        for (uint32_t k = 0; k < a[i].at[VIEWS - 1] + a[i].n[VIEWS - 1]; k++)
            assert_int_equal(sli_engine_set_df(e, a[i].t[k].id, 1), SL_OK);
    sli_engine_set_ndocs(e, 3);
    const int order[3] = {0, 2, 1};
    const long long want[3] = {1, 2, 1};
    for (int i = 0; i < 3; i++) {
        long long ev;
        assert_int_equal(sli_agglo_place(e, &a[order[i]], NULL, NULL, NULL, 1, &ev), SL_OK);
        assert_int_equal(ev, want[i]);
    }
    /* A copy (family) goes into its family's event whatever it says. */
    long long into = 2, ev;
    assert_int_equal(sli_agglo_place(e, &a[0], &into, NULL, NULL, 1, &ev), SL_OK);
    assert_int_equal(ev, 2);
    sli_engine_free(e);
}

/* A brief too short for a body view joins by its title: a two-line brief whose body
 * shares no word with the full story's still joins it; one that shares only a name with
 * it (and no title word) does not, though names weigh as much as the body. */
static void test_engine_short_articles(void **state)
{
    (void)state;
    const char *title[3] = {"Dockworkers at Estline terminal strike over driverless carriers",
                            "Portvale dockworkers strike at Estline", "Quiet night in Lindhaven"};
    const char *text[3] = {
        stories[0],
        "Crews picket overnight, says Gwen Tarrow.",
        "Gwen Tarrow was seen downtown.",
    };
    cluster_params p;
    engine *e = default_engine(&p);
    avec a[3];
    vectors_of(e, title, text, 3, 19737, 0, a);
    assert_true(a[0].n[VIEW_BODY] > 0);
    assert_int_equal(a[1].n[VIEW_BODY], 0);
    assert_int_equal(a[2].n[VIEW_BODY], 0);
    long long got[3];
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, NULL, 3, got), SL_OK);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 1);
    assert_int_equal(got[2], 2);
    sli_engine_free(e);
}

/* Two rewrites of one strike around the same quote, dated a day apart: the quote's word
 * pairs raise their link from next to nothing (their other words share little) to
 * within reach of the bar: a quote in common is strong evidence, though under the
 * fitted model (docs/cluster.md, "The link model") not enough alone. */
static void test_engine_quotes(void **state)
{
    (void)state;
    const char *title[3] = {"Harbour strike enters second week", "Estline talks collapse",
                            "Bank of Estmark raises key rate"};
    const char *text[3] = {
        "Union leader Gwen Tarrow told a rally in Portvale: \u201cWe will not unload a single "
        "ship until the driverless carriers are parked for good and every docker keeps his "
        "job.\u201d The terminal operator declined to comment on the dispute. Police closed "
        "the harbour road as hundreds of supporters marched past the customs house. Fishing "
        "crews joined in solidarity, shops along the quay shut early and pension funds "
        "holding shares in the operator sold heavily.",
        "Negotiations at the Estline terminal broke down on Tuesday evening. \"We will not "
        "unload a single ship until the driverless carriers are parked for good and every "
        "docker keeps his job,\" Tarrow said afterwards. Mediators from the labour ministry "
        "had flown in from the capital. Investors fear losses for importers of grain, coffee "
        "and machine parts, and agents rerouted three freighters to northern ports.",
        ("The Bank of Estmark raised its key rate to a sixteen year high, Governor Ilse Marten "
         "told reporters after a five to two vote on borrowing costs and inflation."),
    };
    cluster_params p;
    engine *e = default_engine(&p);
    avec a[3];
    vectors_of(e, title, text, 3, 19737, 1, a);
    assert_true(a[0].n[VIEW_QUOTES] >= 4);
    assert_true(a[1].n[VIEW_QUOTES] >= 4);
    cevent x = {0}, y = {0};
    assert_int_equal(sli_cevent_of_article(&a[0], &x), SL_OK);
    assert_int_equal(sli_cevent_of_article(&a[1], &y), SL_OK);
    double with = sli_engine_link(&p, &x, &y);
    cluster_params no = p;
    no.w[VIEW_QUOTES] = 0;
    double without = sli_engine_link(&no, &x, &y);
    assert_true(without < 0.05);
    assert_true(with > 0.2);
    assert_true(with > 10 * without);
    sli_cevent_clear(&x);
    sli_cevent_clear(&y);
    sli_engine_free(e);
}

/* The link's evidence, the part that time scales: logit(link) - bias. */
static double evidence(const cluster_params *p, double link)
{
    return log(link / (1 - link)) - p->bias;
}

/* The time factor averaged over the days of [a, b] against day x, each pair of days
 * given mean_window days more of grace, by a plain sum. */
static double factor_mean(const cluster_params *p, int x, int a, int b)
{
    double s = 0;
    for (int y = a; y <= b; y++) {
        double gap = abs(y - x) - p->mean_window;
        s += sli_engine_time_factor(p, gap < 0 ? 0 : gap);
    }
    return s / (b - a + 1);
}

/* Time against an event's oldest, newest and mean dates: an article 5 days after an
 * event's newest gets the full boost when the event is compact; when the event spreads
 * over 200 days, its factor is the mean over pairs of days (mean_window more of grace:
 * few of them are near), and no more than the factor of its mean date when one stray
 * article stretched it and its mean date lies 185 days back. */
static void test_engine_time_mean(void **state)
{
    (void)state;
    const char *const *text = stories; /* the first two */
    cluster_params p;
    engine *e = default_engine(&p);
    avec a[2];
    vectors_of(e, NULL, text, 2, 19900, 5, a);
    cevent ev = {0}, late = {0};
    assert_int_equal(sli_cevent_of_article(&a[0], &ev), SL_OK);
    assert_int_equal(sli_cevent_of_article(&a[1], &late), SL_OK);
    cluster_params no_mean = p;
    no_mean.mean_window = 1e9f;
    double compact = sli_engine_link(&p, &ev, &late);
    assert_true(compact > p.join);
    assert_float_equal(compact, sli_engine_link(&no_mean, &ev, &late), 1e-9);
    /* as if of ten articles, nine on day 19700 and one on 19900 (same centroid) */
    ev.ndated = 10;
    ev.first = 19700;
    ev.daysum = 9.0 * 19700 + 19900;
    double stretched = sli_engine_link(&p, &ev, &late);
    /* the lesser of the mean over the days and the factor of the mean dates' gap:
     * |19905 - 19720| - 200 / 2 - 30 = 55 days, less the 7 of grace */
    double spread = factor_mean(&p, 19905, 19700, 19900) / p.boost;
    assert_true(spread > 0.2 && spread < 0.9);
    double by_means = exp(-48.0 / 150);
    assert_float_equal(evidence(&p, stretched) / evidence(&p, compact),
                       spread < by_means ? spread : by_means, 1e-6);
    /* spread evenly over the same span (mean 19800): the mean over its days; with
     * mean_window off, the span alone (the full boost) */
    ev.daysum = 10.0 * 19800;
    assert_float_equal(evidence(&p, sli_engine_link(&p, &ev, &late)) / evidence(&p, compact),
                       spread, 1e-6);
    assert_float_equal(sli_engine_link(&no_mean, &ev, &late), compact, 1e-9);
    /* an article inside the span, and two spans of a few days each (every pair of days
     * counted), as the plain sums say */
    late.first = late.last = 19800;
    late.daysum = 19800;
    assert_float_equal(evidence(&p, sli_engine_link(&p, &ev, &late)) / evidence(&p, compact),
                       factor_mean(&p, 19800, 19700, 19900) / p.boost, 1e-6);
    ev.ndated = 2;
    ev.first = 19880;
    ev.last = 19890;
    ev.daysum = 19880.0 + 19890;
    late.ndated = 2;
    late.first = 19893;
    late.last = 19920;
    late.daysum = 19893.0 + 19920;
    double pairs = 0;
    for (int x = 19880; x <= 19890; x++)
        pairs += factor_mean(&p, x, 19893, 19920);
    assert_float_equal(evidence(&p, sli_engine_link(&p, &ev, &late)) / evidence(&p, compact),
                       pairs / 11 / p.boost, 1e-6);
    sli_cevent_clear(&ev);
    sli_cevent_clear(&late);
    sli_engine_free(e);
}

/* The link model's scale: the link at the bar's evidence is the bar; the doubtful band
 * (half to one and a half times the bar's evidence) lies around it; time scales the
 * evidence, not the bias (a link of no evidence is sigmoid(bias) whatever the dates);
 * a bar at 0 or 1 stays finite. */
static void test_engine_link_scale(void **state)
{
    (void)state;
    cluster_params p;
    sli_cluster_params_default(&p);
    assert_float_equal(sli_engine_link_at(&p, 1), p.join, 1e-9);
    double lo = sli_engine_link_at(&p, 0.5), hi = sli_engine_link_at(&p, 1.5);
    assert_true(lo > 0 && lo < p.join && hi > p.join && hi < 1);
    assert_float_equal(sli_engine_link_at(&p, 0), 1 / (1 + exp(-p.bias)), 1e-9);
    double mean[VIEWS] = {0.5, 0.4, 0.3, 0.2, 0.1}, none[VIEWS] = {0};
    double near = sli_engine_link_model(&p, mean, 1), undated = sli_engine_link_model(&p, mean, -1);
    double far = sli_engine_link_model(&p, mean, 400);
    assert_true(near > undated && undated > far);
    assert_float_equal(sli_engine_time_factor(&p, 1), p.boost, 1e-9);
    assert_float_equal(sli_engine_time_factor(&p, 400), p.time_floor, 1e-9);
    assert_float_equal(sli_engine_link_model(&p, none, 1), sli_engine_link_model(&p, none, 400), 1e-12);
    p.join = 1;
    assert_true(isfinite(sli_engine_link_at(&p, 0.5)) && sli_engine_link_at(&p, 0.5) < 1);
    p.join = 0;
    assert_true(isfinite(sli_engine_link_at(&p, 1.5)));
}

/* --- links made cheaper: the same numbers, the same decisions --- */

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 17;
}

/* Features of a made-up article of topic `topic`: per view, n[v] distinct terms, most
 * from the topic's words and the rest from words every topic shares (term ids, as
 * features.c makes them). */
static void made_up(uint64_t *seed, int topic, features *f)
{
    static const uint32_t n[VIEWS] = {8, 90, 20, 6, 0};
    uint32_t used = 0;
    for (int v = 0; v < VIEWS; v++) {
        f->at[v] = used;
        f->n[v] = 0;
        while (f->n[v] < n[v]) {
            int own = lcg(seed) % 10 < 8;
            uint64_t id = ((uint64_t)(v + 1) << 40) + (own ? (uint64_t)(topic + 1) << 20 : 0) +
                          lcg(seed) % (own ? 100 : 3000);
            id = sli_term_id(id * 0x9E3779B97F4A7C15ull);
            uint32_t k = 0;
            while (k < f->n[v] && f->terms[used + k].id != id)
                k++;
            if (k < f->n[v])
                continue;
            f->terms[used + f->n[v]++] = (cterm){id, 1 + (float)(lcg(seed) % 3), 0, 0};
        }
        used += f->n[v];
    }
}

/* m made-up articles of `topics` topics as vectors of engine e (document frequencies of
 * their own), a day apart in groups of 50. */
static void made_up_vectors(engine *e, int m, int topics, uint64_t seed, avec *a)
{
    features *f = malloc((size_t)m * sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < m; i++)
        made_up(&seed, i % topics, &f[i]);
    for (int i = 0; i < m; i++)
        for (uint32_t k = 0; k < f[i].at[VIEWS - 1] + f[i].n[VIEWS - 1]; k++)
            assert_int_equal(sli_engine_set_df(e, f[i].terms[k].id, 2 + (double)(k % 7)), SL_OK);
    sli_engine_set_ndocs(e, m);
    for (int i = 0; i < m; i++)
        sli_engine_vector(e, &f[i], 19700 + i / 50, &a[i]);
    free(f);
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const cterm *)a)->id, y = ((const cterm *)b)->id;
    return (x > y) - (x < y);
}

/* The order keys are chosen in: heavier first, ties to the lower id. */
static int key_order(const void *a, const void *b)
{
    const cterm *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* A vector's keys are the first ENGINE_QUERY_KEYS distinct terms of its views but the
 * quotes, heaviest first (ties to the lower id), passing over terms of one article: as a
 * full sort of the terms would choose them (the selection replaced one), on 300 made-up
 * articles whose views share terms, with tied weights, features in id order or not. */
static void test_vector_keys(void **state)
{
    (void)state;
    cluster_params p;
    engine *e = default_engine(&p);
    uint64_t seed = 99, pool[60];
    for (int i = 0; i < 60; i++) {
        pool[i] = sli_term_id(lcg(&seed) * 0x9E3779B97F4A7C15ull);
        /* a third of the terms in one article only: never a key */
        assert_int_equal(sli_engine_set_df(e, pool[i], i % 3 ? 2 + i % 5 : 1), SL_OK);
    }
    sli_engine_set_ndocs(e, 100);
    static const uint32_t most[VIEWS] = {10, 50, 20, 10, 8};
    for (int art = 0; art < 300; art++) {
        features f;
        uint32_t used = 0;
        for (int v = 0; v < VIEWS; v++) {
            f.at[v] = used;
            f.n[v] = 0;
            uint32_t want = (uint32_t)(lcg(&seed) % (most[v] + 1));
            for (int tries = 0; f.n[v] < want && tries < 500; tries++) {
                uint64_t id = pool[lcg(&seed) % 60];
                uint32_t k = 0;
                while (k < f.n[v] && f.terms[used + k].id != id)
                    k++;
                if (k == f.n[v])
                    f.terms[used + f.n[v]++] = (cterm){id, 1 + (float)(lcg(&seed) % 3), 0, 0};
            }
            if (art % 2) /* as features come: in id order */
                qsort(f.terms + used, f.n[v], sizeof *f.terms, by_id);
            used += f.n[v];
        }
        avec a;
        sli_engine_vector(e, &f, 19700, &a);
        cterm all[FEATURES_MAX];
        uint32_t n = a.at[VIEW_QUOTES];
        memcpy(all, a.t, n * sizeof *all);
        qsort(all, n, sizeof *all, key_order);
        uint64_t want[ENGINE_QUERY_KEYS];
        int k = 0;
        for (uint32_t i = 0; i < n && k < ENGINE_QUERY_KEYS; i++) {
            int j = 0, lone = 0;
            for (int q = 0; q < 60; q++)
                lone |= pool[q] == all[i].id && q % 3 == 0;
            while (j < k && want[j] != all[i].id)
                j++;
            if (!lone && j == k)
                want[k++] = all[i].id;
        }
        assert_int_equal(a.nkeys, k);
        for (int j = 0; j < k; j++)
            assert_true(a.keys[j] == want[j]);
    }
    sli_engine_free(e);
}

/* A dot looked up in a cluster's index is the walk's dot to the last bit, both ways
 * round, for an article against a grown cluster (whose centroid dropped terms), against
 * an article, and with an empty view; a centroid holding term id 0 is not indexed and
 * still gives the same dots. */
static void test_engine_dots_indexed(void **state)
{
    (void)state;
    cluster_params p;
    engine *e = default_engine(&p);
    avec *a = malloc(12 * sizeof *a);
    assert_non_null(a);
    made_up_vectors(e, 12, 2, 7, a);
    cevent big = {0}, one[12];
    for (int i = 0; i < 12; i++)
        assert_int_equal(sli_cevent_of_article(&a[i], &one[i]), SL_OK);
    assert_int_equal(sli_cevent_of_article(&a[0], &big), SL_OK);
    for (int i = 2; i < 12; i++)
        if (i != 3)
            assert_int_equal(sli_cevent_merge(&big, &one[i], NULL), SL_OK);
    assert_int_equal(big.c[VIEW_BODY].n, ENGINE_CENTROID_MAX); /* terms were dropped */
    cindex ix = {0};
    const cevent *side[3] = {&big, &one[1], &one[3]};
    for (int x = 0; x < 3; x++)
        for (int y = 0; y < 3; y++) {
            double walk[VIEWS], look[VIEWS];
            sli_engine_dots(side[x], side[y], walk);
            assert_int_equal(sli_cindex_build(&ix, side[y]), SL_OK);
            assert_true(ix.ok);
            sli_engine_dots_indexed(side[x], side[y], &ix, look);
            assert_memory_equal(walk, look, sizeof walk);
            assert_true(walk[VIEW_BODY] > 0);
            assert_true(walk[VIEW_QUOTES] == 0); /* no quotes view */
        }
    big.c[VIEW_NAMES].t[0].id = 0;
    assert_int_equal(sli_cindex_build(&ix, &big), SL_OK);
    assert_false(ix.ok);
    double walk[VIEWS], look[VIEWS];
    sli_engine_dots(&one[1], &big, walk);
    sli_engine_dots_indexed(&one[1], &big, &ix, look);
    assert_memory_equal(walk, look, sizeof walk);
    sli_cindex_free(&ix);
    sli_cevent_clear(&big);
    for (int i = 0; i < 12; i++)
        sli_cevent_clear(&one[i]);
    free(a);
    sli_engine_free(e);
}

static int by_cterm_id(const void *x, const void *y)
{
    const cterm *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

/* A dot is the products of the terms two views share added in id order, to the last bit,
 * though dot walks the ids below and above 2^63 side by side: views of 40 to 300 terms
 * over the whole range of ids (a few all above, a few all below), a third of them shared,
 * weights that lose bits when added out of order. Also the Cauchy-Schwarz bound is not
 * below the dot. */
static void test_engine_dot_halves(void **state)
{
    (void)state;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    enum { MOST = 600 };
    cterm *pool = malloc(MOST * sizeof *pool), *ta = malloc(MOST * sizeof *ta),
          *tb = malloc(MOST * sizeof *tb);
    assert_true(pool && ta && tb);
    for (int round = 0; round < 200; round++) {
        uint32_t n = 0, na = 0, nb = 0;
        int where = round % 10; /* 0: every id above 2^39 (half of a term id's); 1: below */
        uint32_t want = 60 + (uint32_t)(round * 37 % 500);
        for (uint32_t i = 0; i < want; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            const uint64_t half = 1ull << (TERM_ID_BITS - 1);
            uint64_t at = sli_term_id(rng);
            at = where == 0 ? at | half : where == 1 ? at & ~half : at;
            float w = (float)((rng >> 11) % 1000000) / 3e5f + 1e-3f * (float)(i % 7);
            pool[n++] = (cterm){at, w, 1, w * w};
        }
        qsort(pool, n, sizeof *pool, by_cterm_id); /* random ids: distinct */
        uint32_t below = 0;
        for (uint32_t i = 0; i < n; i++)
            below += pool[i].id < 1ull << (TERM_ID_BITS - 1);
        assert_true(where == 0 ? below == 0 : where == 1 ? below == n : below > 5 && below < n - 5);
        for (uint32_t i = 0; i < n; i++) {
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            int pick = (int)(rng % 3); /* 0: a only, 1: b only, 2: both */
            if (pick != 1)
                ta[na++] = pool[i];
            if (pick != 0) {
                tb[nb] = pool[i];
                tb[nb++].w = pool[i].w * 0.37f + 1e-4f;
            }
        }
        double want_dot = 0;
        for (uint32_t i = 0, j = 0; i < na && j < nb;) {
            if (ta[i].id == tb[j].id)
                want_dot += (double)ta[i++].w * tb[j++].w;
            else if (ta[i].id < tb[j].id)
                i++;
            else
                j++;
        }
        cevent a = {0}, b = {0};
        a.c[VIEW_BODY] = (centroid){ta, na, 0};
        b.c[VIEW_BODY] = (centroid){tb, nb, 0};
        double na2 = 0, nb2 = 0;
        for (uint32_t i = 0; i < na; i++)
            na2 += (double)ta[i].w * ta[i].w;
        for (uint32_t i = 0; i < nb; i++)
            nb2 += (double)tb[i].w * tb[i].w;
        a.c[VIEW_BODY].norm2 = na2;
        b.c[VIEW_BODY].norm2 = nb2;
        double got = sli_engine_dot_view(&a, &b, NULL, VIEW_BODY);
        assert_memory_equal(&got, &want_dot, sizeof got);
        double back = sli_engine_dot_view(&b, &a, NULL, VIEW_BODY);
        assert_memory_equal(&back, &want_dot, sizeof back);
        assert_true(want_dot > 0);
        assert_true(sli_engine_dot_bound(&a, &b, VIEW_BODY) >= want_dot);
    }
    free(pool);
    free(ta);
    free(tb);
}

/* The bound a merge keeps: a merged cluster's dots with a third are at most the sums of
 * its parts' (though its centroid dropped terms); a link judged below the bar from such
 * a bound is below it; from the exact dots, the judgement is the link's own (a copy of
 * a member is above, another topic's article below); a negative weight bounds nothing. */
static void test_engine_link_bound(void **state)
{
    (void)state;
    cluster_params p;
    engine *e = default_engine(&p);
    avec *a = malloc(24 * sizeof *a);
    assert_non_null(a);
    made_up_vectors(e, 24, 2, 11, a);
    cevent part[2] = {{0}}, merged = {0}, third[24];
    for (int i = 0; i < 24; i++)
        assert_int_equal(sli_cevent_of_article(&a[i], &third[i]), SL_OK);
    for (int i = 0; i < 12; i += 2) { /* topic 0: articles 0, 2, ... 10 and 12, 14, ... 22 */
        assert_int_equal(sli_cevent_merge(&part[0], &third[i], NULL), SL_OK);
        assert_int_equal(sli_cevent_merge(&part[1], &third[i + 12], NULL), SL_OK);
    }
    assert_int_equal(sli_cevent_merge(&merged, &part[0], NULL), SL_OK);
    int rescaled = 0;
    assert_int_equal(sli_cevent_merge(&merged, &part[1], &rescaled), SL_OK);
    assert_false(rescaled); /* one IDF throughout */
    assert_int_equal(merged.c[VIEW_BODY].n, ENGINE_CENTROID_MAX);
    int below = 0, above = 0;
    for (int c = 0; c < 24; c++) {
        double d0[VIEWS], d1[VIEWS], sum[VIEWS], exact[VIEWS];
        sli_engine_dots(&part[0], &third[c], d0);
        sli_engine_dots(&part[1], &third[c], d1);
        sli_engine_dots(&merged, &third[c], exact);
        for (int v = 0; v < VIEWS; v++) {
            sum[v] = d0[v] + d1[v];
            assert_true(exact[v] <= sum[v] * (1 + 1e-6));
        }
        double link = sli_engine_link(&p, &merged, &third[c]);
        if (sli_engine_link_below(&p, &merged, &third[c], sum))
            assert_true(link < p.join);
        assert_int_equal(sli_engine_link_below(&p, &merged, &third[c], exact), link < p.join);
        below += link < p.join;
        above += link >= p.join;
    }
    assert_true(above > 0 && below > 0);
    cluster_params neg = p;
    neg.w[VIEW_DETAILS] = -1;
    double none[VIEWS] = {0};
    assert_false(sli_engine_link_below(&neg, &merged, &third[1], none));
    assert_true(sli_engine_link_below(&p, &merged, &third[1], none));
    sli_cevent_clear(&part[0]);
    sli_cevent_clear(&part[1]);
    sli_cevent_clear(&merged);
    for (int i = 0; i < 24; i++)
        sli_cevent_clear(&third[i]);
    free(a);
    sli_engine_free(e);
}

/* A chunk placed with its links scored on four threads, or on the caller's alone, ends
 * in the same events (enough links that every thread scores some; with 2 topics, more
 * than a block of CONNECT_BLOCK, so that a block is gathered while the one before is
 * scored); the articles joined (a few events a topic) and no event mixes topics. */
static void agglo_team(int topics)
{
    enum { M = 400 };
    avec *a = malloc(M * sizeof *a);
    long long alone[M], team[M];
    assert_non_null(a);
    cluster_params p;
    engine *e = default_engine(&p);
    made_up_vectors(e, M, topics, 3, a);
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, NULL, M, alone), SL_OK);
    sli_engine_free(e);
    workers *w = NULL;
    assert_int_equal(sli_workers_create(4, &w), SL_OK);
    e = default_engine(&p);
    made_up_vectors(e, M, topics, 3, a);
    sli_engine_set_team(e, w);
    assert_int_equal(sli_agglo_place(e, a, NULL, NULL, NULL, M, team), SL_OK);
    sli_engine_free(e);
    sli_workers_free(w);
    assert_memory_equal(alone, team, sizeof alone);
    int firsts = 0, apart = 0;
    for (int i = 0; i < M; i++) {
        int j = 0;
        while (alone[j] != alone[i])
            j++;
        firsts += j == i;                /* an event's first article */
        apart += j % topics != i % topics; /* an event of two topics */
    }
    assert_true(firsts <= M / 3);
    assert_int_equal(apart, 0);
    free(a);
}

static void test_agglo_team(void **state)
{
    (void)state;
    agglo_team(20);
    agglo_team(2);
}

/* Made-up articles whose links spread around the bar: each of `topics` topics has its
 * own words, and each article takes its words from its topic with a probability of its
 * own (0.3 to 0.9), the rest from words all topics share; dated over three weeks. */
static void loose_vectors(engine *e, int m, int topics, uint64_t seed, avec *a)
{
    static const uint32_t n[VIEWS] = {6, 60, 12, 4, 0};
    features *f = malloc((size_t)m * sizeof *f);
    assert_non_null(f);
    for (int i = 0; i < m; i++) {
        uint32_t used = 0, focus = 3 + (uint32_t)(lcg(&seed) % 7); /* in tenths */
        for (int v = 0; v < VIEWS; v++) {
            f[i].at[v] = used;
            f[i].n[v] = 0;
            while (f[i].n[v] < n[v]) {
                int own = lcg(&seed) % 10 < focus;
                uint64_t id = ((uint64_t)(v + 1) << 40) +
                              (own ? (uint64_t)(i % topics + 1) << 20 : 0) +
                              lcg(&seed) % (own ? 60 : 400);
                id = sli_term_id(id * 0x9E3779B97F4A7C15ull);
                uint32_t k = 0;
                while (k < f[i].n[v] && f[i].terms[used + k].id != id)
                    k++;
                if (k == f[i].n[v])
                    f[i].terms[used + f[i].n[v]++] = (cterm){id, 1 + (float)(lcg(&seed) % 3), 0, 0};
            }
            qsort(f[i].terms + used, f[i].n[v], sizeof *f[i].terms, by_id);
            used += f[i].n[v];
        }
    }
    for (int i = 0; i < m; i++)
        for (uint32_t k = 0; k < f[i].at[VIEWS - 1] + f[i].n[VIEWS - 1]; k++)
            assert_int_equal(sli_engine_set_df(e, f[i].terms[k].id, 2 + (double)(k % 7)), SL_OK);
    sli_engine_set_ndocs(e, m);
    for (int i = 0; i < m; i++)
        sli_engine_vector(e, &f[i], 19700 + (int)(lcg(&seed) % 21), &a[i]);
    free(f);
}

/* The placing as agglo.h states it, with no bound and no shortcut: every link of two
 * clusters computed in full (sli_engine_link) whenever either changes; article i links to
 * an earlier j when j's first ENGINE_KEYS keys hold `need` of i's; the strongest link at
 * the bar joins its clusters (the larger keeps its place), and the merged cluster links to
 * its parts' neighbours. For at most ENGINE_MAX_POSTINGS articles (no posting is passed
 * over) and no more neighbours than NEIGHBOURS_MAX. label[i]: article i's cluster (the
 * index of a member). */
static void place_in_full(const cluster_params *p, const avec *a, int n, int *label)
{
    cevent *c = calloc((size_t)n, sizeof *c);
    int *up = malloc((size_t)n * sizeof *up);
    unsigned char *nb = calloc((size_t)n * (size_t)n, 1); /* nb[x * n + y]: x links to y */
    assert_true(c && up && nb);
    for (int i = 0; i < n; i++) {
        assert_int_equal(sli_cevent_of_article(&a[i], &c[i]), SL_OK);
        up[i] = i;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            int hits = 0, keys_j = a[j].nkeys < ENGINE_KEYS ? a[j].nkeys : ENGINE_KEYS;
            for (int k = 0; k < a[i].nkeys; k++)
                for (int l = 0; l < keys_j; l++)
                    hits += a[i].keys[k] == a[j].keys[l];
            if (hits >= engine_keys_needed(&a[i]))
                nb[i * n + j] = nb[j * n + i] = 1;
        }
    for (;;) {
        /* the strongest link between two clusters (roots) that are neighbours */
        double best = -1;
        int x = -1, y = -1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (up[i] == i && up[j] == j && i != j && nb[i * n + j]) {
                    double s = sli_engine_link(p, &c[i], &c[j]);
                    if (s >= p->join && s > best) {
                        best = s;
                        x = i;
                        y = j;
                    }
                }
        if (x < 0)
            break;
        int keep = c[y].n > c[x].n ? y : x, gone = keep == x ? y : x;
        assert_int_equal(sli_cevent_merge(&c[keep], &c[gone], NULL), SL_OK);
        sli_cevent_clear(&c[gone]);
        up[gone] = keep;
        for (int r = 0; r < n; r++) {
            nb[keep * n + r] |= nb[gone * n + r];
            nb[r * n + keep] |= nb[r * n + gone];
        }
        nb[keep * n + keep] = 0;
        for (int i = 0; i < n; i++) /* members of gone now in keep */
            if (up[i] == gone)
                up[i] = keep;
    }
    for (int i = 0; i < n; i++) {
        int r = i;
        while (up[r] != r)
            r = up[r];
        label[i] = r;
        sli_cevent_clear(&c[i]);
    }
    free(c);
    free(up);
    free(nb);
}

/* The placing's bounds (a merged cluster's links bounded by its parts' dots, a side not
 * known bounded with the body's Cauchy-Schwarz bound, the body last in every link) change
 * no decision: on made-up articles whose links spread around the bar, in five draws, a
 * chunk placed by sli_agglo_place (alone and on four threads) is partitioned as by
 * computing every link in full; the draws join articles into events of several, and keep
 * some apart. */
static void test_agglo_in_full(void **state)
{
    (void)state;
    enum { M = ENGINE_MAX_POSTINGS, TOPICS = 5 };
    avec *a = malloc(M * sizeof *a);
    assert_non_null(a);
    workers *w = NULL;
    assert_int_equal(sli_workers_create(4, &w), SL_OK);
    int grown = 0, apart = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        for (int t = 0; t < 2; t++) {
            cluster_params p;
            engine *e = default_engine(&p);
            loose_vectors(e, M, TOPICS, seed, a);
            if (t)
                sli_engine_set_team(e, w);
            long long got[M];
            int label[M];
            assert_int_equal(sli_agglo_place(e, a, NULL, NULL, NULL, M, got), SL_OK);
            place_in_full(&p, a, M, label);
            for (int i = 0; i < M; i++)
                for (int j = 0; j < i; j++)
                    assert_int_equal(got[i] == got[j], label[i] == label[j]);
            for (int i = 0; i < M; i++) {
                int size = 0;
                for (int j = 0; j < M; j++)
                    size += got[j] == got[i];
                grown += size >= 3;
                apart += size == 1;
            }
            sli_engine_free(e);
        }
    }
    assert_true(grown > 0 && apart > 0);
    sli_workers_free(w);
    free(a);
}

/* An event made when a term was rare meets a store where it has become common: the
 * term's centroid weight follows its IDF; a term the engine has no frequency for, or
 * one of a store made before IDFs were kept (idf 0), keeps its weight. (No q here, as in
 * a store made before q was kept: the weights are not renormalised.) */
static void test_engine_reweight(void **state)
{
    (void)state;
    cluster_params p;
    sli_cluster_params_default(&p);
    p.idf_prior = 0; /* IDF = ln((99 + 1) / (df + 1)) + 1 */
    engine *e;
    assert_int_equal(sli_engine_create(&p, 1, &e), SL_OK);
    sli_engine_set_ndocs(e, 99);
    assert_int_equal(sli_engine_set_df(e, 11, 9), SL_OK);  /* idf ln(100/10) + 1 */
    assert_int_equal(sli_engine_set_df(e, 22, 99), SL_OK); /* idf ln(100/100) + 1 = 1 */
    cterm t[4] = {{11, 0.5f, 2.0f}, {22, 0.5f, 4.0f}, {33, 0.5f, 3.0f}, {44, 0.5f, 0}};
    cevent ev;
    memset(&ev, 0, sizeof ev);
    ev.c[VIEW_BODY].t = t;
    ev.c[VIEW_BODY].n = 4;
    sli_engine_reweight(e, &ev);
    const double want[4] = {0.5 * (log(10.0) + 1) / 2, 0.5 / 4, 0.5, 0.5};
    double norm2 = 0;
    for (int i = 0; i < 4; i++) {
        assert_float_equal(t[i].w, want[i], 1e-5);
        norm2 += want[i] * want[i];
    }
    assert_float_equal(t[0].idf, log(10.0) + 1, 1e-5);
    assert_float_equal(t[1].idf, 1, 1e-6);
    assert_float_equal(t[2].idf, 3, 0);
    assert_float_equal(ev.c[VIEW_BODY].norm2, norm2, 1e-6);
    /* Again with the same frequencies: nothing moves. */
    sli_engine_reweight(e, &ev);
    for (int i = 0; i < 4; i++)
        assert_float_equal(t[i].w, want[i], 1e-5);
    sli_engine_free(e);
}

/* One article's unit vector, reweighted, is that article's vector under the new IDF:
 * unit again (q tells its squared length), pointing where the new weights point. Two
 * articles: their mean squared length is divided out. */
static void test_engine_renormalise(void **state)
{
    (void)state;
    cluster_params p;
    sli_cluster_params_default(&p);
    p.idf_prior = 0;
    engine *e;
    assert_int_equal(sli_engine_create(&p, 1, &e), SL_OK);
    sli_engine_set_ndocs(e, 99);
    assert_int_equal(sli_engine_set_df(e, 11, 9), SL_OK);  /* idf ln(10) + 1 */
    assert_int_equal(sli_engine_set_df(e, 22, 99), SL_OK); /* idf 1 */
    /* made when both had IDF 2: weights 0.6 and 0.8 */
    cterm t[2] = {{11, 0.6f, 2, 0.36f}, {22, 0.8f, 2, 0.64f}};
    cevent ev;
    memset(&ev, 0, sizeof ev);
    ev.n = 1;
    ev.c[VIEW_BODY].t = t;
    ev.c[VIEW_BODY].n = 2;
    sli_engine_reweight(e, &ev);
    double x = 0.6 * (log(10.0) + 1) / 2, y = 0.8 * 1 / 2, len = sqrt(x * x + y * y);
    assert_float_equal(t[0].w, x / len, 1e-5);
    assert_float_equal(t[1].w, y / len, 1e-5);
    assert_float_equal(ev.c[VIEW_BODY].norm2, 1, 1e-5);
    assert_float_equal(t[0].q + t[1].q, 1, 1e-5);

    /* two articles, (1, 0) and (0, 1) when both terms had IDF 1: after, term 11 weighs
     * ln(10) + 1 and term 22 1; their mean squared length is ((ln 10 + 1)^2 + 1) / 2 */
    cterm u[2] = {{11, 1, 1, 1}, {22, 1, 1, 1}};
    ev.n = 2;
    ev.c[VIEW_BODY].t = u;
    sli_engine_reweight(e, &ev);
    double a = log(10.0) + 1, rms = sqrt((a * a + 1) / 2);
    assert_float_equal(u[0].w, a / rms, 1e-5);
    assert_float_equal(u[1].w, 1 / rms, 1e-5);
    assert_float_equal(u[0].q + u[1].q, 2, 1e-5);
    sli_engine_free(e);
}

/* A new store in dir (a mkdtemp template) with its events open. */
static sl_store *events_store(char *dir, store_events *es)
{
    char db[64];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st;
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    assert_int_equal(sli_store_event_open(st, es), SL_OK);
    return st;
}

static void events_store_free(sl_store *st, store_events *es, const char *dir)
{
    sli_store_event_close(es);
    sl_store_free(st);
    remove_tree(dir);
}

/* Overwrite event id's centroid blob as an older (or other) storyline would have written
 * it. */
static void set_centroid(store_events *es, long long id, const void *blob, int len)
{
    store_event_row row = {.id = id, .storyline = id, .articles = 2, .centroid = blob,
                           .centroid_len = (size_t)len};
    assert_int_equal(sli_store_event_put(es, &row), SL_OK);
}

/* The stored centroid's length, into *(size_t *)user. */
static sl_error row_len(void *user, const store_event_row *row)
{
    *(size_t *)user = row->centroid_len;
    return SL_OK;
}

/* The stored centroid, into user (big enough). */
static sl_error row_copy(void *user, const store_event_row *row)
{
    memcpy(user, row->centroid, row->centroid_len);
    return SL_OK;
}

/* A centroid blob of four views with one body term (id and `floats` of f), as stores
 * before the quotes view wrote them; its length. */
static int old_blob(unsigned char *out, uint32_t word, uint64_t id, const float *f, int floats)
{
    const uint32_t one = 1, none = 0;
    unsigned char *p = out;
    memcpy(p, &word, 4);
    memcpy(p + 4, &none, 4); /* title */
    memcpy(p + 8, &one, 4);  /* body: one term */
    memcpy(p + 12, &id, 8);
    memcpy(p + 20, f, 4 * (size_t)floats);
    p += 20 + 4 * floats;
    memcpy(p, &none, 4);     /* names */
    memcpy(p + 4, &none, 4); /* details */
    return (int)(p + 8 - out);
}

/* Event i's body view for test_centroids_packed: 40 terms from ids every event shares,
 * weights that differ (into terms[40]). */
static void packed_terms(int i, cterm *terms)
{
    for (int k = 0; k < 40; k++) {
        float w = 0.01f * (float)(k + 1) + 0.001f * (float)(i % 13);
        terms[k] = (cterm){(uint64_t)(5000 + 17 * k + i % 5), w, 2.0f + 0.25f * (float)(k % 4),
                           (float)((double)w * w)};
    }
}

/* Centroids (version 7): kept as they are until CENTROID_DICT_SAMPLES are stored (tried
 * from the event id CENTROID_DICT_SAMPLES on), then a dictionary is trained from the stored ones
 * (centroid_dict) and later centroids are kept as frames, shorter; either loads back bit
 * for bit, also on a new handle; a damaged frame is an error that names the event. */
static void test_centroids_packed(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    assert_int_equal(sli_store_begin(st), SL_OK);
    cterm terms[40];
    cevent ev;
    for (int i = 1; i <= 1100; i++) {
        memset(&ev, 0, sizeof ev);
        ev.id = i;
        ev.storyline = i;
        ev.n = 1;
        packed_terms(i, terms);
        ev.c[VIEW_BODY] = (centroid){terms, 40, 1};
        assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    }
    assert_int_equal(sli_store_commit(st), SL_OK);
    char db[96];
    snprintf(db, sizeof db, "%s/s.db", dir);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM centroid_dict"), 1);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events"
                                " WHERE hex(substr(centroid, 1, 4)) = '28B52FFD'"),
                     100);
    /* event 1000 found 999 before it: the dictionary is trained at 1001 */
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events WHERE id <= 1000"
                                " AND hex(substr(centroid, 1, 4)) = '28B52FFD'"),
                     0);
    assert_true(scratch_int(db, "SELECT length(centroid) FROM events WHERE id = 1050") <
                scratch_int(db, "SELECT length(centroid) FROM events WHERE id = 950"));
    /* on a new handle (the dictionary loaded from the store), both kinds bit for bit */
    sli_store_event_close(&es);
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    int picks[] = {1, 1000, 1001, 1100};
    for (size_t k = 0; k < sizeof picks / sizeof *picks; k++) {
        cevent got;
        assert_int_equal(sli_event_load(&es, picks[k], &got), SL_OK);
        packed_terms(picks[k], terms);
        assert_int_equal(got.c[VIEW_BODY].n, 40);
        for (int t = 0; t < 40; t++) {
            assert_true(got.c[VIEW_BODY].t[t].id == terms[t].id);
            assert_memory_equal(&got.c[VIEW_BODY].t[t].w, &terms[t].w, sizeof(float));
            assert_memory_equal(&got.c[VIEW_BODY].t[t].idf, &terms[t].idf, sizeof(float));
            assert_memory_equal(&got.c[VIEW_BODY].t[t].q, &terms[t].q, sizeof(float));
        }
        sli_cevent_clear(&got);
    }
    /* damaged: a frame cut short */
    assert_int_equal(scratch_exec(db, "UPDATE events SET centroid = substr(centroid, 1, 12)"
                                      " WHERE id = 1100"),
                     SQLITE_OK);
    cevent got;
    assert_int_equal(sli_event_load(&es, 1100, &got), SL_ERR_STORE);
    assert_non_null(strstr(sl_store_errmsg(st), "event 1100: centroid damaged"));
    events_store_free(st, &es, dir);
}

/* Articles from..to-1 of a made-up corpus, each its own story, added as one batch. */
static void add_stories(sl_store *st, int from, int to)
{
    static const char *const words[] = {"harbour", "council", "election", "bridge", "storm",
                                        "budget", "festival", "strike", "court", "river",
                                        "school", "market", "museum", "airport", "hospital"};
    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    for (int i = from; i < to; i++) {
        char id[32], text[512];
        snprintf(id, sizeof id, "story-%d", i);
        const char *a = words[i % 15], *c = words[(i / 15) % 15];
        snprintf(text, sizeof text,
                 "The %s of district %d met on Monday over the %s.\n\n"
                 "Officials said the %s plan for ward %d would go ahead after the %s vote.\n",
                 a, i, c, c, i * 7, a);
        sl_article_input in = {.id = id, .source = "example.com", .date = "2024-03-01",
                               .text = text};
        assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    }
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
}

/* The settled (packed) entries of `key` in blocks of kind k: how many, their values as
 * the digits of *digits (in block order), their sum in *sum; key -1: every entry. */
typedef struct {
    long long key, n, digits, sum;
} settled_walk;

static void walk_settled(void *user, long long key, long long value)
{
    settled_walk *w = user;
    if (w->key >= 0 && key != w->key)
        return;
    w->n++;
    if (w->key >= 0) /* one key's few values */
        w->digits = w->digits * 10 + value;
    w->sum += value;
}

static settled_walk settled_of(sl_store *st, int df, long long key)
{
    settled_walk w = {key, 0, 0, 0};
    assert_int_equal(sli_store_key_blocks_each(st, df ? sli_term_df_blocks() : sli_event_key_blocks(),
                                               df ? "term_df_blocks" : "event_key_blocks",
                                               walk_settled, &w),
                     SL_OK);
    return w;
}

/* Merge (term, value[, op]) rows of `sql` into the event keys' blocks, committed. */
static void merge_keys(sl_store *st, const char *sql)
{
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_key_blocks_merge(st, sli_event_key_blocks(), "event_key_blocks",
                                                sql),
                     SL_OK);
    assert_int_equal(sli_store_commit(st), SL_OK);
}

/* Event keys and document frequencies go to the recent tables, are read through both, and
 * are merged into the large ones once the articles since the last merge pass a sixteenth
 * of those before it (events.c, "Recent rows"). */
static void test_event_recent_rows(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("events-recent", dir, db, &st), 0);
    static const char recent[] = "SELECT (SELECT count(*) FROM event_keys_recent)"
                                 " + (SELECT count(*) FROM term_df_recent)";
    static const char settled[] = "SELECT value FROM counters WHERE name='events_settled'";
    add_stories(st, 0, 64); /* nothing stored before: merged at once */
    assert_int_equal(scratch_int(db, recent), 0);
    assert_true(settled_of(st, 0, -1).n > 0);
    assert_int_equal(scratch_int(db, settled), 64);
    add_stories(st, 64, 67); /* 3 x 16 <= 64: kept recent */
    assert_true(scratch_int(db, "SELECT count(*) FROM event_keys_recent") > 0);
    assert_true(scratch_int(db, "SELECT count(*) FROM term_df_recent") > 0);
    assert_int_equal(scratch_int(db, settled), 64);
    /* a term counted in both tables reads as the sum */
    long long term = -1, both = 0;
    for (int k = 0; term < 0 && k < 1000; k++) {
        char pick[96];
        snprintf(pick, sizeof pick, "SELECT term FROM term_df_recent ORDER BY term LIMIT 1"
                                    " OFFSET %d", k);
        long long t = scratch_int(db, pick);
        assert_true(t > 0);
        settled_walk w = settled_of(st, 1, t);
        if (w.n) {
            term = t;
            snprintf(pick, sizeof pick, "SELECT n FROM term_df_recent WHERE term = %lld", t);
            both = w.sum + scratch_int(db, pick);
        }
    }
    assert_true(term > 0 && both > 1);
    store_events es;
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    long long df = 0;
    assert_int_equal(sli_store_event_df(&es, (uint64_t)term, &df), SL_OK);
    assert_int_equal(df, both);
    assert_int_equal(sli_store_begin(st), SL_OK); /* adding gives the sum too */
    assert_int_equal(sli_store_event_add_df(&es, (uint64_t)term, 2, &df), SL_OK);
    assert_int_equal(df, both + 2);
    sli_store_rollback(st);
    /* an event found by a recent key, newest first with the large table's; dropped from
     * both */
    long long rterm = scratch_int(db, "SELECT term FROM event_keys_recent"
                                      " ORDER BY event DESC LIMIT 1");
    long long revent = scratch_int(db, "SELECT max(event) FROM event_keys_recent"
                                       " WHERE term = (SELECT term FROM event_keys_recent"
                                       " ORDER BY event DESC LIMIT 1)");
    long long ids[64];
    size_t n = 0;
    assert_int_equal(sli_store_event_by_key(&es, (uint64_t)rterm, ids, 64, &n), SL_OK);
    assert_true(n >= 1);
    assert_int_equal(ids[0], revent);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_event_drop_key(&es, (uint64_t)rterm, revent), SL_OK);
    size_t m = 0;
    assert_int_equal(sli_store_event_by_key(&es, (uint64_t)rterm, ids, 64, &m), SL_OK);
    assert_int_equal(m, n - 1);
    sli_store_rollback(st);
    /* a term's keys in both tables: the newest first across them, as many as asked */
    sli_store_event_close(&es);
    merge_keys(st, "SELECT 42, 1 UNION ALL SELECT 42, 3");
    assert_int_equal(scratch_exec(db, "INSERT INTO event_keys_recent VALUES(42, 2), (42, 4),"
                                      " (42, 3)"),
                     SQLITE_OK);
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    assert_int_equal(sli_store_event_by_key(&es, 42, ids, 3, &m), SL_OK);
    assert_int_equal(m, 3);
    assert_true(ids[0] == 4 && ids[1] == 3 && ids[2] == 2);
    /* keys of vanished events: read as absent at once, deleted from the large table only
     * by the merge; one saved again is read again */
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_event_drop_key(&es, 42, 1), SL_OK); /* large only */
    assert_int_equal(sli_store_event_drop_key(&es, 42, 3), SL_OK); /* both */
    assert_int_equal(sli_store_event_by_key(&es, 42, ids, 64, &m), SL_OK);
    assert_int_equal(m, 2);
    assert_true(ids[0] == 4 && ids[1] == 2);
    assert_int_equal(sli_store_event_put_key(&es, 42, 3), SL_OK); /* formed again */
    assert_int_equal(sli_store_event_by_key(&es, 42, ids, 64, &m), SL_OK);
    assert_int_equal(m, 3);
    assert_true(ids[0] == 4 && ids[1] == 3 && ids[2] == 2);
    assert_int_equal(sli_store_commit(st), SL_OK);
    sli_store_event_close(&es);
    assert_int_equal(settled_of(st, 0, 42).n, 2);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM event_keys_gone WHERE term = 42"),
                     2);
    /* 67 + 8 articles: 11 x 16 > 64, merged; the sums as they were; the gone keys
     * deleted before the recent ones go in */
    add_stories(st, 67, 75);
    assert_int_equal(scratch_int(db, recent), 0);
    assert_int_equal(scratch_int(db, settled), 75);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM event_keys_gone"), 0);
    assert_int_equal(settled_of(st, 0, 42).digits, 234);
    merge_keys(st, "SELECT 42, 2, 0 UNION ALL SELECT 42, 3, 0 UNION ALL SELECT 42, 4, 0");
    assert_int_equal(settled_of(st, 0, 42).n, 0);
    assert_true(settled_of(st, 1, term).sum >= both);
    /* a clear empties them too (and the counter) */
    assert_int_equal(scratch_exec(db, "INSERT INTO term_df_recent VALUES(1, 1);"
                                      "INSERT INTO event_keys_recent VALUES(1, 1);"
                                      "INSERT INTO event_keys_gone VALUES(1, 2)"),
                     SQLITE_OK);
    assert_int_equal(scratch_int(db, recent), 2);
    assert_int_equal(sli_store_begin(st), SL_OK);
    assert_int_equal(sli_store_event_clear(st), SL_OK);
    assert_int_equal(sli_store_commit(st), SL_OK);
    assert_int_equal(scratch_int(db, recent), 0);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM event_keys_gone"), 0);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM counters"
                                     " WHERE name='events_settled'"),
                     0);
    sl_store_free(st);
    remove_tree(dir);
}

/* The settled keys of event `event`, as SQL rows "SELECT term, 999999 UNION ALL ...". */
typedef struct {
    long long event;
    char *sql;
    size_t len, n;
} event_terms;

static void collect_terms(void *user, long long key, long long value)
{
    event_terms *t = user;
    if (value != t->event)
        return;
    char row[64];
    int k = snprintf(row, sizeof row, "%sSELECT %lld, 999999", t->n++ ? " UNION ALL " : "", key);
    char *grown = realloc(t->sql, t->len + (size_t)k + 1);
    assert_non_null(grown);
    memcpy(grown + t->len, row, (size_t)k + 1);
    t->sql = grown;
    t->len += (size_t)k;
}

/* Keys of an event that is gone (here one that never was: 999999, given every key of a
 * story's event) are forgotten when a search meets them: noted in event_keys_gone, which
 * reads take as deleted (the merge deletes them). A copy of the story from another outlet
 * searches by those keys. */
static void test_stale_keys_forgotten(void **state)
{
    (void)state;
    char dir[64], db[128];
    sl_store *st;
    assert_int_equal(scratch_store("stale-keys", dir, db, &st), 0);
    add_stories(st, 0, 64);
    event_terms t = {scratch_int(db, "SELECT event FROM article_events WHERE rid ="
                                     " (SELECT rid FROM articles WHERE id = 'story-5')"),
                     NULL, 0, 0};
    assert_true(t.event > 0);
    assert_int_equal(sli_store_key_blocks_each(st, sli_event_key_blocks(), "event_key_blocks",
                                               collect_terms, &t),
                     SL_OK);
    assert_true(t.n > 4);
    merge_keys(st, t.sql); /* the terms in order, as the walk gave them */
    free(t.sql);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM event_keys_gone"), 0);
    store_events es;
    long long ids[64];
    size_t n = 0;

    sl_batch *b;
    assert_int_equal(sl_batch_begin(st, NULL, &b), SL_OK);
    char text[512];
    snprintf(text, sizeof text,
             "The %s of district %d met on Monday over the %s.\n\n"
             "Officials said the %s plan for ward %d would go ahead after the %s vote.\n",
             "budget", 5, "harbour", "harbour", 35, "budget"); /* story-5's text */
    sl_article_input in = {.id = "copy-5", .source = "copies.example", .date = "2024-03-01",
                           .text = text};
    assert_int_equal(sl_batch_add_article(b, &in), SL_OK);
    assert_int_equal(sl_batch_commit(b, NULL), SL_OK);
    sl_batch_free(b);
    long long gone = scratch_int(db, "SELECT count(*) FROM event_keys_gone WHERE event = 999999");
    assert_true(gone > 0);
    /* read as absent */
    long long term = scratch_int(db, "SELECT term FROM event_keys_gone WHERE event = 999999");
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    assert_int_equal(sli_store_event_by_key(&es, (uint64_t)term, ids, 64, &n), SL_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(ids[i] != 999999);
    sli_store_event_close(&es);
    /* the copy joins the story's event */
    assert_int_equal(scratch_int(db, "SELECT event FROM article_events WHERE rid ="
                                     " (SELECT rid FROM articles WHERE id = 'copy-5')"),
                     t.event);
    sl_store_free(st);
    remove_tree(dir);
}

/* A centroid saved and loaded keeps each term's weight, IDF and q; one written by an older
 * storyline loads with what it had: "SLD" with q 0, "SLC" with IDF 0 too. */
static void test_event_blob_centroid(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    cterm body[2] = {{7, 0.25f, 3.5f, 0.125f}, {9, 0.75f, 1.25f, 0.5f}},
          names[1] = {{7, 1, 2, 1}};
    cevent ev;
    memset(&ev, 0, sizeof ev);
    ev.id = 5;
    ev.storyline = 5;
    ev.n = 2;
    ev.c[VIEW_BODY] = (centroid){body, 2, 0.625};
    ev.c[VIEW_NAMES] = (centroid){names, 1, 1};
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    cevent got;
    assert_int_equal(sli_event_load(&es, 5, &got), SL_OK);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.c[VIEW_TITLE].n, 0);
    assert_int_equal(got.c[VIEW_BODY].n, 2);
    for (int i = 0; i < 2; i++) {
        assert_true(got.c[VIEW_BODY].t[i].id == body[i].id);
        assert_float_equal(got.c[VIEW_BODY].t[i].w, body[i].w, 0);
        assert_float_equal(got.c[VIEW_BODY].t[i].idf, body[i].idf, 0);
        assert_float_equal(got.c[VIEW_BODY].t[i].q, body[i].q, 0);
    }
    assert_float_equal(got.c[VIEW_BODY].norm2, 0.625, 1e-9);
    assert_float_equal(got.c[VIEW_NAMES].t[0].idf, 2, 0);
    assert_float_equal(got.c[VIEW_NAMES].t[0].q, 1, 0);
    sli_cevent_clear(&got);
    /* "SLG": the names term's q (1, its weight squared) is not written; no IDF here is
     * one the engine's formula makes (no base), each written as a float after a code 0: a
     * uint32 marker, a byte of no bases, a count a view, a bitmap byte for each of the two
     * views with terms, 18 bytes for each body term (an id of 5), 14 for the names term. */
    size_t blob_len = 0;
    assert_int_equal(sli_store_event_get(&es, 5, row_len, &blob_len), SL_OK);
    assert_int_equal(blob_len, 4 + 1 + 1 + 5 * VIEWS + 2 + 2 * 18 + 14);

    /* Twelve terms over two bitmap bytes, every third q not its weight squared (nor is
     * -0 the square of 0): each comes back bit for bit. */
    cterm many[12];
    for (int i = 0; i < 12; i++) {
        float w = 0.1f * (float)(i + 1);
        many[i] = (cterm){(uint64_t)(100 + i), w, 1.5f, (float)((double)w * w)};
        if (i % 3 == 0)
            many[i].q = many[i].q * 2;
    }
    many[11].w = 0;
    many[11].q = -0.0f;
    ev.c[VIEW_BODY] = (centroid){many, 12, 1};
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    assert_int_equal(sli_event_load(&es, 5, &got), SL_OK);
    assert_int_equal(got.c[VIEW_BODY].n, 12);
    for (int i = 0; i < 12; i++) {
        assert_true(got.c[VIEW_BODY].t[i].id == many[i].id);
        assert_memory_equal(&got.c[VIEW_BODY].t[i].w, &many[i].w, sizeof(float));
        assert_memory_equal(&got.c[VIEW_BODY].t[i].q, &many[i].q, sizeof(float));
    }
    sli_cevent_clear(&got);
    assert_int_equal(sli_store_event_get(&es, 5, row_len, &blob_len), SL_OK);
    assert_int_equal(blob_len, 4 + 1 + 1 + 5 * VIEWS + 2 + 1 + 12 * 14 + 5 * 4 + 14);
    /* an id that no term has (past 2^40) is refused, the stored event kept */
    many[3].id = 1ull << 40 | 103;
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_ERR_INVALID);
    many[3].id = 103;
    assert_int_equal(sli_store_event_get(&es, 5, row_len, &blob_len), SL_OK);
    assert_int_equal(blob_len, 4 + 1 + 1 + 5 * VIEWS + 2 + 1 + 12 * 14 + 5 * 4 + 14);
    /* cut inside the terms: damaged */
    unsigned char *cut = malloc(blob_len);
    assert_non_null(cut);
    assert_int_equal(sli_store_event_get(&es, 5, row_copy, cut), SL_OK);
    set_centroid(&es, 5, cut, (int)blob_len - 17);
    assert_int_equal(sli_event_load(&es, 5, &got), SL_ERR_STORE);
    free(cut);

    /* "SLF" (before "SLG"): the bitmap, then (id, weight, idf[, q]) a term; ids are whole
     * hashes, read as term ids (their top 40 bits, sli_term_id). */
    const uint64_t hash_body = 0x9E3779B97F4A7C15ull, hash_names = 0x0123456789ABCDEFull;
    {
        unsigned char f_blob[4 + 4 * VIEWS + 2 + 20 + 16];
        uint32_t word = 0x534C4600u | VIEWS, one = 1, none = 0;
        const float body_f[3] = {0.5f, 3, 0.125f}, names_f[2] = {0.5f, 2.5f};
        unsigned char *p = f_blob;
        memcpy(p, &word, 4);
        p += 4;
        for (int v = 0; v < VIEWS; v++) {
            int has = v == VIEW_BODY || v == VIEW_NAMES;
            memcpy(p, has ? &one : &none, 4);
            p += 4;
            if (!has)
                continue;
            uint64_t id = v == VIEW_BODY ? hash_body : hash_names;
            *p++ = v == VIEW_NAMES; /* the names term's q is its weight squared */
            memcpy(p, &id, 8);
            memcpy(p + 8, v == VIEW_BODY ? body_f : names_f, v == VIEW_BODY ? 12 : 8);
            p += v == VIEW_BODY ? 20 : 16;
        }
        set_centroid(&es, 5, f_blob, (int)(p - f_blob));
        assert_int_equal(sli_event_load(&es, 5, &got), SL_OK);
        assert_true(got.c[VIEW_BODY].n == 1 && got.c[VIEW_BODY].t[0].id == 0x9E3779B97Full);
        assert_float_equal(got.c[VIEW_BODY].t[0].idf, 3, 0);
        assert_float_equal(got.c[VIEW_BODY].t[0].q, 0.125, 0);
        assert_true(got.c[VIEW_NAMES].n == 1 &&
                    got.c[VIEW_NAMES].t[0].id == sli_term_id(hash_names));
        assert_float_equal(got.c[VIEW_NAMES].t[0].idf, 2.5, 0);
        assert_float_equal(got.c[VIEW_NAMES].t[0].q, 0.25, 0);
        sli_cevent_clear(&got);
    }

    /* "SLF" with two body hashes of the same top 40 bits: one term, the first. */
    {
        unsigned char f_blob[4 + 4 * VIEWS + 1 + 2 * 20];
        uint32_t word = 0x534C4600u | VIEWS, two = 2, none = 0;
        const float first[3] = {0.5f, 3, 0.125f}, second[3] = {0.75f, 2, 0.5f};
        const uint64_t ids[2] = {hash_body, hash_body + 0x800000};
        unsigned char *p = f_blob;
        memcpy(p, &word, 4);
        p += 4;
        for (int v = 0; v < VIEWS; v++) {
            memcpy(p, v == VIEW_BODY ? &two : &none, 4);
            p += 4;
            if (v != VIEW_BODY)
                continue;
            *p++ = 0; /* every q written */
            for (int i = 0; i < 2; i++, p += 20) {
                memcpy(p, &ids[i], 8);
                memcpy(p + 8, i ? second : first, 12);
            }
        }
        set_centroid(&es, 5, f_blob, (int)(p - f_blob));
        assert_int_equal(sli_event_load(&es, 5, &got), SL_OK);
        assert_int_equal(got.c[VIEW_BODY].n, 1);
        assert_true(got.c[VIEW_BODY].t[0].id == sli_term_id(hash_body));
        assert_float_equal(got.c[VIEW_BODY].t[0].w, 0.5, 0);
        assert_float_equal(got.c[VIEW_BODY].norm2, 0.25, 0);
        sli_cevent_clear(&got);
    }

    /* Older layouts, of the four views stores had before the quotes: "SLC" (id, weight),
     * "SLD" (id, weight, idf: q unknown), "SLE" (id, weight, idf, q); one body term. */
    unsigned char blob[4 + 4 * 4 + 20];
    const float f[3] = {0.5f, 3, 0.25f};
    const uint32_t layouts[3] = {0x534C4300u, 0x534C4400u, 0x534C4500u};
    for (int k = 0; k < 3; k++) {
        int len = old_blob(blob, layouts[k] | 4, hash_body, f, k + 1);
        set_centroid(&es, 5, blob, len);
        assert_int_equal(sli_event_load(&es, 5, &got), SL_OK);
        assert_int_equal(got.c[VIEW_BODY].n, 1);
        assert_true(got.c[VIEW_BODY].t[0].id == sli_term_id(hash_body));
        assert_float_equal(got.c[VIEW_BODY].t[0].w, 0.5, 0);
        assert_float_equal(got.c[VIEW_BODY].t[0].idf, k >= 1 ? 3 : 0, 0);
        assert_float_equal(got.c[VIEW_BODY].t[0].q, k >= 2 ? 0.25 : 0, 0);
        sli_cevent_clear(&got);
    }
    /* An "SLE" that says five views and holds four: damaged, not misread. */
    int len = old_blob(blob, 0x534C4500u | VIEWS, 42, f, 3);
    set_centroid(&es, 5, blob, len);
    assert_int_equal(sli_event_load(&es, 5, &got), SL_ERR_STORE);
    /* Named with the store's file, and what to do. */
    char want[512];
    snprintf(want, sizeof want, "%s/s.db: event 5: centroid damaged (run `storyline clean` to "
             "cluster again)", dir);
    assert_string_equal(sl_store_errmsg(st), want);

    /* Another views count: told apart, not misread. */
    len = old_blob(blob, 0x534C4400u | (VIEWS + 1), 42, f, 2);
    set_centroid(&es, 5, blob, len);
    assert_int_equal(sli_event_load(&es, 5, &got), SL_ERR_STORE_VERSION);
    assert_non_null(strstr(sl_store_errmsg(st), "event 5: centroid of another storyline"));
    assert_int_equal(sli_event_load(&es, 6, &got), SL_ERR_NOT_FOUND);
    events_store_free(st, &es, dir);
}

/* A version-11 store's event keys and frequencies, whole hashes, migrated by a writer's
 * open to term ids (sli_term_id): as the cluster stage finds and counts them now, hashes
 * of the same top 40 bits as one term (frequencies added), the forgotten keys still
 * forgotten. */
static void test_migrated_term_ids(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-term-ids-XXXXXX", db[64], sql[1024];
    store_events es;
    sl_store *st = events_store(dir, &es);
    sli_store_event_close(&es);
    sl_store_free(st);
    snprintf(db, sizeof db, "%s/s.db", dir);
    /* h1 and its twin share their top 40 bits; h2 is negative as SQLite holds it */
    const uint64_t h1 = 0x1234567890ABCDEFull, twin = h1 ^ 0x00000000007F0000ull,
                   h2 = 0xFEDCBA9876543210ull, h3 = 0x0000000001000000ull;
    snprintf(sql, sizeof sql,
             "DROP TABLE event_key_blocks; DROP TABLE term_df_blocks;"
             "CREATE TABLE event_keys(term INTEGER NOT NULL, event INTEGER NOT NULL,"
             " PRIMARY KEY(term, event)) WITHOUT ROWID;"
             "CREATE TABLE term_df(term INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
             "INSERT INTO term_df VALUES(%lld, 3), (%lld, 4), (%lld, 5);"
             "INSERT INTO term_df_recent VALUES(%lld, 2), (%lld, 6);"
             "INSERT INTO event_keys VALUES(%lld, 8), (%lld, 10), (%lld, 7), (%lld, 9),"
             " (%lld, 8), (%lld, 9);"
             "INSERT INTO event_keys_recent VALUES(%lld, 9);"
             "INSERT INTO event_keys_gone VALUES(%lld, 8), (%lld, 7);"
             "PRAGMA user_version=11",
             (long long)h1, (long long)twin, (long long)h2, (long long)h3, (long long)twin,
             (long long)h1, (long long)h1, (long long)twin, (long long)twin, (long long)h2,
             (long long)h3, (long long)h2, (long long)h2, (long long)twin);
    assert_int_equal(scratch_exec(db, sql), SQLITE_OK);
    /* and 1,000 hashes spread over all 64 bits, each its own frequency */
    enum { SPREAD = 1000 };
    static uint64_t spread[SPREAD];
    uint64_t seed = 99;
    char *many = malloc(SPREAD * 48 + 64);
    assert_non_null(many);
    size_t at = (size_t)sprintf(many, "INSERT INTO term_df VALUES");
    for (int i = 0; i < SPREAD; i++) {
        spread[i] = lcg(&seed) << 17 ^ lcg(&seed); /* lcg gives 47 bits */
        at += (size_t)sprintf(many + at, "%s(%lld, %d)", i ? ", " : "", (long long)spread[i],
                              100 + i);
    }
    assert_int_equal(scratch_exec(db, many), SQLITE_OK);
    free(many);

    assert_int_equal(sl_store_open(db, 0, &st), SL_OK); /* migrated */
    assert_int_equal(scratch_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(sli_store_event_open(st, &es), SL_OK);
    long long df = 0, ids[8];
    size_t n = 0;
    assert_int_equal(sli_store_event_df(&es, sli_term_id(h1), &df), SL_OK);
    assert_int_equal(df, 3 + 4 + 6);
    assert_int_equal(sli_store_event_df(&es, sli_term_id(h2), &df), SL_OK);
    assert_int_equal(df, 5);
    assert_int_equal(sli_store_event_df(&es, sli_term_id(h3), &df), SL_OK);
    assert_int_equal(df, 2);
    assert_int_equal(sli_store_event_df(&es, h1, &df), SL_OK); /* the hash: no term now */
    assert_int_equal(df, 0);
    for (int i = 0; i < SPREAD; i++) {
        assert_int_equal(sli_store_event_df(&es, sli_term_id(spread[i]), &df), SL_OK);
        assert_int_equal(df, 100 + i);
    }
    /* h1's events and its twin's, one term's now, out of order in its block: read newest
     * first, the forgotten 7 passed over */
    assert_int_equal(sli_store_event_by_key(&es, sli_term_id(h1), ids, 8, &n), SL_OK);
    assert_true(n == 3 && ids[0] == 10 && ids[1] == 9 && ids[2] == 8);
    assert_int_equal(sli_store_event_by_key(&es, sli_term_id(h1), ids, 2, &n), SL_OK);
    assert_true(n == 2 && ids[0] == 10 && ids[1] == 9);
    assert_int_equal(sli_store_event_by_key(&es, sli_term_id(h2), ids, 8, &n), SL_OK);
    assert_true(n == 1 && ids[0] == 9); /* 8 forgotten */
    assert_int_equal(sli_store_event_by_key(&es, sli_term_id(h3), ids, 8, &n), SL_OK);
    assert_true(n == 1 && ids[0] == 9);
    /* every row a term id; the settled keys packed, h1's once; no table of the old rows
     * left */
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM (SELECT term FROM term_df_recent"
                                     " UNION ALL SELECT term FROM event_keys_recent UNION ALL"
                                     " SELECT term FROM event_keys_gone) WHERE term < 0"
                                     " OR term >= 1 << 40 OR term % 2 = 0"),
                     0);
    assert_int_equal(settled_of(st, 0, -1).n, 6);
    assert_int_equal(settled_of(st, 1, -1).n, 3 + SPREAD - 1); /* h1 and twin one term */
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE"
                                     " '%_v11' OR name IN ('event_keys', 'term_df')"),
                     0);
    /* the merge deletes the forgotten keys, the folded term's 7 too, and puts its events
     * in order */
    merge_keys(st, "SELECT term, event, 0 FROM event_keys_gone UNION ALL"
                   " SELECT term, event, 1 FROM event_keys_recent ORDER BY 1, 2, 3");
    settled_walk w = settled_of(st, 0, (long long)sli_term_id(h1));
    assert_true(w.n == 3 && w.sum == 8 + 9 + 10 && w.digits == (8 * 10 + 9) * 10 + 10);
    w = settled_of(st, 0, (long long)sli_term_id(h2));
    assert_true(w.n == 1 && w.sum == 9);
    assert_int_equal(settled_of(st, 0, -1).n, 5);
    events_store_free(st, &es, dir);
}

/* The IDF as engine.c makes it, for `articles` in all (idf_prior 500) and df. */
static float engine_idf(double articles, double df)
{
    return (float)(log((articles + 1 + 500.0f) / (df + 1)) + 1);
}

/* A run's memo of IDFs (sli_idf_memo_new) changes no blob: 300 events saved without one,
 * then again (ids 301-600) through one memo shared by all, their terms' IDFs from three
 * bases (terms of every frequency, those past the memo's small tables, many repeated
 * between events, some not of any base), each pair of blobs byte for byte. */
static void test_idf_memo_same_blobs(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    idf_memo *memo = sli_idf_memo_new();
    assert_non_null(memo);
    enum { EVENTS = 300, TERMS = 60 };
    static const double bases[3] = {10000, 4321, 777};
    cterm body[TERMS];
    uint64_t seed = 5;
    for (int pass = 0; pass < 2; pass++)
        for (int e = 1; e <= EVENTS; e++) {
            uint64_t x = seed + (uint64_t)e * 7919; /* the same terms both passes */
            for (int i = 0; i < TERMS; i++) {
                double df = (double)(lcg(&x) % (i % 3 ? 90 : 5000));
                float idf = engine_idf(bases[lcg(&x) % 3], df);
                if (lcg(&x) % 17 == 0)
                    idf = 2.5f + (float)(lcg(&x) % 1000) / 997.0f; /* of no base */
                float w = 0.001f * (float)(1 + lcg(&x) % 500);
                body[i] = (cterm){(uint64_t)(1000 + 31 * i), w, idf, (float)((double)w * w)};
            }
            cevent ev;
            memset(&ev, 0, sizeof ev);
            ev.id = e + pass * EVENTS;
            ev.storyline = ev.id;
            ev.n = 1;
            ev.c[VIEW_BODY] = (centroid){body, TERMS, 1};
            assert_int_equal(sli_event_save(&es, pass ? memo : NULL, &ev), SL_OK);
        }
    sli_idf_memo_free(memo);
    sli_idf_memo_free(NULL);
    char db[96];
    snprintf(db, sizeof db, "%s/s.db", dir);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events a JOIN events b"
                                     " ON b.id = a.id + 300 WHERE a.centroid = b.centroid"),
                     EVENTS);
    assert_int_equal(scratch_int(db, "SELECT count(DISTINCT centroid) FROM events"), EVENTS);
    events_store_free(st, &es, dir);
}

/* Events from..to-1 for test_save_dirty_same_rows made in engine e: 30 to 69 body terms
 * and a few of names, IDFs from two bases and some of none, one article's weights or
 * several's; every 7th left clean (not to be saved). */
static void dirty_events(engine *e, int from, int to)
{
    uint64_t x = (uint64_t)from * 2654435761u + 1;
    for (int i = from; i < to; i++) {
        cevent ev;
        memset(&ev, 0, sizeof ev);
        ev.storyline = i - i % 3;
        ev.n = 1 + (i % 4 == 0) * (int)(lcg(&x) % 9);
        ev.ndated = ev.n;
        ev.first = 19000 + i % 50;
        ev.last = ev.first + i % 3;
        ev.daysum = (double)ev.first * ev.n;
        uint32_t nb = 30 + (uint32_t)(lcg(&x) % 40), nn = 1 + (uint32_t)(lcg(&x) % 6);
        cterm *body = malloc(nb * sizeof *body), *names = malloc(nn * sizeof *names);
        assert_non_null(body);
        assert_non_null(names);
        for (uint32_t k = 0; k < nb + nn; k++) {
            double df = (double)(lcg(&x) % (k % 3 ? 60 : 3000));
            float idf = engine_idf(k % 2 ? 20000 : 7000, df);
            if (lcg(&x) % 19 == 0)
                idf = 2.5f + (float)(lcg(&x) % 1000) / 997.0f; /* of no base */
            float w = 0.002f * (float)(1 + lcg(&x) % 400);
            cterm t = {(uint64_t)(100 + 37 * k + lcg(&x) % 11), w, idf, (float)((double)w * w)};
            if (k < nb)
                body[k] = t;
            else
                names[k - nb] = t;
        }
        ev.c[VIEW_BODY] = (centroid){body, nb, 1};
        ev.c[VIEW_NAMES] = (centroid){names, nn, 1};
        cevent *held;
        assert_int_equal(sli_engine_take(e, &ev, i, &held), SL_OK);
        held->dirty = i % 7 != 0;
    }
}

static int save_each(void *user, cevent *ev)
{
    if (ev->dirty)
        assert_int_equal(sli_event_save(user, NULL, ev), SL_OK);
    return 0;
}

static int make_clean(void *user, cevent *ev)
{
    (void)user;
    ev->dirty = 0;
    return 0;
}

/* sli_event_save_dirty (blobs made and packed on a team of two, put in order) saves the
 * same rows as sli_event_save of each dirty event in turn, and no clean one: 1,300
 * events first (the store trains its centroid dictionary among them, put packing), then
 * 700 more (packed on the team with it), against a second store saved one by one. */
static void test_save_dirty_same_rows(void **state)
{
    (void)state;
    char dir[2][32] = {"/tmp/sl-test-cluster-XXXXXX", "/tmp/sl-test-cluster-XXXXXX"};
    store_events es[2];
    sl_store *st[2] = {events_store(dir[0], &es[0]), events_store(dir[1], &es[1])};
    workers *team = NULL;
    assert_int_equal(sli_workers_create(2, &team), SL_OK);
    cluster_params p;
    sli_cluster_params_default(&p);
    for (int k = 0; k < 2; k++) {
        engine *e;
        assert_int_equal(sli_engine_create(&p, 1, &e), SL_OK);
        assert_int_equal(sli_store_begin(st[k]), SL_OK);
        for (int round = 0; round < 2; round++) {
            dirty_events(e, round ? 1301 : 1, round ? 2001 : 1301);
            if (k == 0)
                assert_int_equal(sli_event_save_dirty(&es[k], e, team), SL_OK);
            else
                sli_engine_each(e, save_each, &es[k]);
            sli_engine_each(e, make_clean, NULL);
        }
        assert_int_equal(sli_store_commit(st[k]), SL_OK);
        sli_engine_free(e);
    }
    char db[96], sql[256];
    snprintf(db, sizeof db, "%s/s.db", dir[0]);
    int saved = 2000 - 2000 / 7;
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events"), saved);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events WHERE id % 7 = 0"), 0);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM centroid_dict"), 1);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events WHERE id > 1300"
                                     " AND hex(substr(centroid, 1, 4)) <> '28B52FFD'"),
                     0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events a JOIN b.events o USING (id) WHERE a.centroid ="
             " o.centroid AND a.storyline = o.storyline AND a.articles = o.articles AND"
             " a.dated = o.dated AND a.day_first = o.day_first AND a.day_last = o.day_last"
             " AND a.day_sum = o.day_sum");
    char attach[160];
    snprintf(attach, sizeof attach, "ATTACH '%s/s.db' AS b", dir[1]);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, attach, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), saved);
    sqlite3_finalize(s);
    sqlite3_close(h);
    snprintf(db, sizeof db, "%s/s.db", dir[1]);
    assert_int_equal(scratch_int(db, "SELECT count(*) FROM events"), saved);
    sli_workers_free(team);
    for (int k = 0; k < 2; k++)
        events_store_free(st[k], &es[k], dir[k]);
}

/* "SLG" writes an IDF the engine's formula makes as its frequency against one of the
 * blob's bases, which the writer finds from the IDFs alone: terms weighted in two
 * batches (of 10,000 and 4,321 articles in all) and one IDF no formula made come back bit
 * for bit, the blob 3 bytes a term smaller than "SLF" (1 or 2 bytes for a float) but for
 * the two bases (8 bytes each) and the float's code; a code past the bases, a blob saying
 * more bases than it holds or than a blob may have: damaged. */
static void test_event_blob_idf_codes(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    enum { N = 40 };
    cterm body[N];
    const double dfs[8] = {1, 2, 3, 1, 7, 120, 2, 3000};
    for (int i = 0; i < N; i++) {
        float w = 0.01f * (float)(i + 1);
        double df = dfs[i % 8] + (i >= 24 ? 0 : i / 8);
        /* the last 12 terms were weighted in an older batch */
        float idf = engine_idf(i >= 28 ? 4321 : 10000, df);
        body[i] = (cterm){(uint64_t)(1000 + 17 * i), w, idf, (float)((double)w * w)};
    }
    body[5].idf = 3.14159f; /* no base makes it: written as a float */
    body[6].idf = 60.0f;    /* nor this (e^59 articles): looked for, not found */
    cevent ev;
    memset(&ev, 0, sizeof ev);
    ev.id = 7;
    ev.storyline = 7;
    ev.n = 1;
    ev.c[VIEW_BODY] = (centroid){body, N, 1};
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    cevent got;
    assert_int_equal(sli_event_load(&es, 7, &got), SL_OK);
    assert_int_equal(got.c[VIEW_BODY].n, N);
    for (int i = 0; i < N; i++) {
        assert_true(got.c[VIEW_BODY].t[i].id == body[i].id);
        assert_memory_equal(&got.c[VIEW_BODY].t[i].w, &body[i].w, sizeof(float));
        assert_memory_equal(&got.c[VIEW_BODY].t[i].idf, &body[i].idf, sizeof(float));
        assert_memory_equal(&got.c[VIEW_BODY].t[i].q, &body[i].q, sizeof(float));
    }
    sli_cevent_clear(&got);
    size_t len = 0;
    assert_int_equal(sli_store_event_get(&es, 7, row_len, &len), SL_OK);
    /* codes: 1 + base + 2 df; two bytes where that reaches 128 (df 120 and 9000) */
    size_t codes = 0;
    for (int i = 0; i < N; i++) {
        /* base 0 (10,000 articles) is found first: its rarest term is the heaviest IDF */
        uint64_t code = 1 + (i >= 28) + 2 * (uint64_t)(dfs[i % 8] + (i >= 24 ? 0 : i / 8));
        codes += i == 5 || i == 6 ? 1 + 4 : code < 128 ? 1 : 2;
    }
    assert_int_equal(len, 4 + 1 + 2 * 8 + 1 + 5 * VIEWS + (N + 7) / 8 + N * 9 + codes);

    /* Damaged codes and bases. */
    unsigned char *blob = malloc(len);
    assert_non_null(blob);
    assert_int_equal(sli_store_event_get(&es, 7, row_copy, blob), SL_OK);
    unsigned char keep = blob[4];
    blob[4] = 9; /* more bases than a blob may have */
    set_centroid(&es, 7, blob, (int)len);
    assert_int_equal(sli_event_load(&es, 7, &got), SL_ERR_STORE);
    blob[4] = keep;
    set_centroid(&es, 7, blob, 4 + 1 + 8); /* says two bases, holds one */
    assert_int_equal(sli_event_load(&es, 7, &got), SL_ERR_STORE);
    free(blob);
    /* one term, its code 1 (base 0, df 0), but no base */
    unsigned char none[4 + 1 + 1 + 5 * VIEWS + 1 + 13];
    uint32_t word = 0x534C4700u | VIEWS, zero = 0, one = 1;
    unsigned char *p = none, *code = NULL;
    memcpy(p, &word, 4);
    p[4] = 0; /* no bases */
    p[5] = 0; /* no tf weights */
    p += 6;
    for (int v = 0; v < VIEWS; v++) {
        memcpy(p, v == VIEW_BODY ? &one : &zero, 4);
        p += 4;
        if (v == VIEW_BODY)
            *p++ = 1; /* the bitmap: q is w squared */
        *p++ = 0;     /* weights written as floats */
        if (v != VIEW_BODY)
            continue;
        uint64_t id = 5;
        float w = 1;
        memcpy(p, &id, 8);
        memcpy(p + 8, &w, 4);
        code = p + 12;
        *code = 1;
        p += 13;
    }
    set_centroid(&es, 7, none, (int)(p - none));
    assert_int_equal(sli_event_load(&es, 7, &got), SL_ERR_STORE);
    *code = 0; /* code 0: a float should follow, and does not */
    set_centroid(&es, 7, none, (int)(p - none));
    assert_int_equal(sli_event_load(&es, 7, &got), SL_ERR_STORE);
    events_store_free(st, &es, dir);
}

/* An event's base hints (engine.h): newest first, each once, the oldest dropped past
 * CEVENT_BASE_HINTS; a merge puts the other's first (newest first) and its own after; an
 * article's cluster starts from the base its vector was weighted against; a reweighting
 * that weighs a term against the engine's frequencies notes the engine's base, one that
 * weighs none notes nothing; a base under 1 or not finite (a damaged blob's) is never
 * noted. */
static void test_cevent_base_hints(void **state)
{
    (void)state;
    assert_int_equal(CEVENT_BASE_HINTS, 4); /* the table's width */
    static const struct {
        double note;
        unsigned n;
        double want[4];
    } steps[] = {
        {10, 1, {10}},
        {20, 2, {20, 10}},
        {10, 2, {10, 20}}, /* held: made the newest */
        {30, 3, {30, 10, 20}},
        {40, 4, {40, 30, 10, 20}},
        {50, 4, {50, 40, 30, 10}}, /* full: 20, the oldest, goes */
        {30, 4, {30, 50, 40, 10}},
        {0, 4, {30, 50, 40, 10}}, /* no batch's: not noted */
        {0.5, 4, {30, 50, 40, 10}},
        {-0.0, 4, {30, 50, 40, 10}},
        {INFINITY, 4, {30, 50, 40, 10}},
        {NAN, 4, {30, 50, 40, 10}},
    };
    cevent ev, other;
    memset(&ev, 0, sizeof ev);
    memset(&other, 0, sizeof other);
    for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
        sli_cevent_hint_base(&ev, steps[k].note);
        assert_int_equal(ev.n_base_hints, steps[k].n);
        for (unsigned i = 0; i < steps[k].n; i++)
            assert_true(ev.base_hint[i] == steps[k].want[i]);
    }
    sli_cevent_hint_base(&other, 7);
    sli_cevent_hint_base(&other, 40); /* other: 40, 7 */
    int rescaled = 0;
    assert_int_equal(sli_cevent_merge(&ev, &other, &rescaled), SL_OK);
    static const double merged[4] = {40, 7, 30, 50};
    assert_int_equal(ev.n_base_hints, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_true(ev.base_hint[i] == merged[i]);
    sli_cevent_clear(&ev);
    sli_cevent_clear(&other);

    cluster_params p;
    engine *e = default_engine(&p);
    const char *const text[] = {"the harbour strike closed the port of Valparaiso for a day"};
    avec *a = malloc(sizeof *a);
    assert_non_null(a);
    vectors_of(e, NULL, text, 1, 19700, 1, a); /* one article in all */
    double base = 1 + 1 + (double)p.idf_prior;
    assert_true(a->base == base);
    assert_int_equal(sli_cevent_of_article(a, &ev), SL_OK);
    assert_int_equal(ev.n_base_hints, 1);
    assert_true(ev.base_hint[0] == base);
    sli_cevent_hint_base(&ev, 5); /* as if loaded with another base: 5, base */
    sli_engine_set_ndocs(e, 1000);
    for (int v = 0; v < VIEWS; v++) /* weighted with another IDF */
        for (uint32_t i = 0; i < ev.c[v].n; i++)
            ev.c[v].t[i].idf *= 0.5f;
    sli_engine_reweight(e, &ev);
    assert_int_equal(ev.n_base_hints, 3);
    assert_true(ev.base_hint[0] == 1000 + 1 + (double)p.idf_prior);
    assert_true(ev.base_hint[1] == 5);
    sli_cevent_clear(&ev);
    memset(&ev, 0, sizeof ev); /* terms the engine has no frequency of: none moves */
    cterm unknown = {12345, 1, 3, 1};
    ev.c[VIEW_BODY] = (centroid){&unknown, 1, 1};
    sli_engine_reweight(e, &ev);
    assert_int_equal(ev.n_base_hints, 0);
    free(a);
    sli_engine_free(e);
}

/* Saved, then loaded: the stored centroid's length and the bases it was loaded with
 * (the blob's, in its order). Its terms come back bit for bit. */
static size_t save_load(store_events *es, cevent *ev, cevent *got)
{
    assert_int_equal(sli_event_save(es, NULL, ev), SL_OK);
    assert_int_equal(sli_event_load(es, ev->id, got), SL_OK);
    for (int v = 0; v < VIEWS; v++) {
        assert_int_equal(got->c[v].n, ev->c[v].n);
        for (uint32_t i = 0; i < ev->c[v].n; i++) {
            const cterm *x = &got->c[v].t[i], *y = &ev->c[v].t[i];
            assert_true(x->id == y->id);
            assert_memory_equal(&x->w, &y->w, sizeof(float));
            assert_memory_equal(&x->idf, &y->idf, sizeof(float));
            assert_memory_equal(&x->q, &y->q, sizeof(float));
        }
    }
    size_t len = 0;
    assert_int_equal(sli_store_event_get(es, ev->id, row_len, &len), SL_OK);
    return len;
}

/* The blob's writer takes an event's hinted bases before guessing: a batch's base none of
 * whose terms is rare enough to be guessed from (every df 40 or more) codes its 10 terms
 * only when hinted (4 bytes each saved, 8 for the base), and a base that gives back fewer
 * than BASE_LEAST (4) terms, hinted (none, or D's 2) or guessed (D's, from its df 31 as
 * df 15 of half its base), is not kept. A base is guessed from the heaviest IDF no base
 * gives, kept when it gives back half its sample at least (3 of 6: kept; 3 of 7: not),
 * and the guessing stops after GUESSES_FAILED (2) terms in a row gave none. */
static void test_event_blob_base_hints(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    const double A = 10000 + 1 + 500.0, B = 4321 + 1 + 500.0, D = 777 + 1 + 500.0;
    enum { N = 24 };
    cterm body[N];
    for (int i = 0; i < N; i++) {
        /* 12 of A (df 1-12), 10 of B (df 40-49), 2 of D (df 30, 31) */
        double base = i < 12 ? A : i < 22 ? B : D, df = i < 12 ? 1 + i : i < 22 ? 28 + i : 8 + i;
        float w = 0.01f * (float)(i + 1), idf = (float)(log(base / (df + 1)) + 1);
        body[i] = (cterm){(uint64_t)(1000 + 17 * i), w, idf, (float)((double)w * w)};
    }
    cevent ev, got;
    memset(&ev, 0, sizeof ev);
    ev.id = ev.storyline = 1;
    ev.n = 3;
    ev.c[VIEW_BODY] = (centroid){body, N, 1};
    size_t plain = save_load(&es, &ev, &got);
    assert_int_equal(got.n_base_hints, 1); /* A, guessed; B and D not */
    assert_true(got.base_hint[0] == A);
    sli_cevent_clear(&got);
    sli_cevent_hint_base(&ev, B);
    sli_cevent_hint_base(&ev, D);
    sli_cevent_hint_base(&ev, 99999.5); /* no term's */
    ev.id = 2;
    size_t hinted = save_load(&es, &ev, &got);
    assert_int_equal(got.n_base_hints, 2); /* B (hinted), then A (guessed) */
    assert_true(got.base_hint[0] == B);
    assert_true(got.base_hint[1] == A);
    sli_cevent_clear(&got);
    /* B's terms: a 1-byte code for a 0 and a float; A's codes stay 1 byte */
    assert_int_equal(plain - hinted, 10 * 4 - 8);
    /* a damaged blob's base of 0 is no hint (the writer would code against it) */
    unsigned char *blob = malloc(hinted);
    assert_non_null(blob);
    assert_int_equal(sli_store_event_get(&es, 2, row_copy, blob), SL_OK);
    const double zero = 0;
    memcpy(blob + 4 + 1, &zero, sizeof zero); /* after the magic word and the count */
    set_centroid(&es, 2, blob, (int)hinted);
    free(blob);
    assert_int_equal(sli_event_load(&es, 2, &got), SL_OK);
    assert_int_equal(got.n_base_hints, 1);
    assert_true(got.base_hint[0] == A);
    sli_cevent_clear(&got);

    /* The guesses, without hints: E's terms of df 0-3 among 3 or 4 of no base (lighter),
     * then after one or two heavier terms of no base. */
    const double E = 2000 + 1 + 500.0;
    static const struct {
        int others, heavy, kept;
    } cases[] = {{3, 0, 1}, {4, 0, 0}, {3, 1, 1}, {3, 2, 0}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cterm t[10];
        int n = 0;
        /* ids 11, 12, ... (the index and the id set apart: not in one expression) */
        for (int i = 0; i < cases[k].heavy; i++, n++) /* no base gives an IDF of 40 or 39 */
            t[n] = (cterm){(uint64_t)(11 + n), 0.1f, 40.0f - (float)i, 0.01f};
        for (int i = 0; i < 4; i++, n++)
            t[n] = (cterm){(uint64_t)(11 + n), 0.1f, (float)(log(E / (i + 1)) + 1), 0.01f};
        for (int i = 0; i < cases[k].others; i++, n++)
            t[n] = (cterm){(uint64_t)(11 + n), 0.1f, 2.5f + 0.37f * (float)i, 0.01f};
        memset(&ev, 0, sizeof ev);
        ev.id = ev.storyline = 10 + (long long)k;
        ev.n = 3;
        ev.c[VIEW_BODY] = (centroid){t, (uint32_t)n, 1};
        save_load(&es, &ev, &got);
        assert_int_equal(got.n_base_hints, cases[k].kept);
        if (cases[k].kept)
            assert_true(got.base_hint[0] == E);
        sli_cevent_clear(&got);
    }
    events_store_free(st, &es, dir);
}

/* An event of one article keeps its weights as the engine made them: "SLG" writes each as
 * the index of its tf weight (the view's length once), and they come back bit for bit:
 * under 12 bytes a term (an id, a frequency's code, a weight's code and the few the
 * blob's header holds), where a float each would take 13 at least. */
static void test_event_blob_one_article(void **state)
{
    (void)state;
    char dir[] = "/tmp/sl-test-cluster-XXXXXX";
    store_events es;
    sl_store *st = events_store(dir, &es);
    cluster_params p;
    engine *e = default_engine(&p);
    const char *title[2] = {"Harbour strike closes the port of Valmera for a third day",
                            "Valmera port strike: talks resume"};
    const char *text[2] = {
        "Dock workers in Valmera kept the port closed on Tuesday as the strike over night "
        "shifts entered its third day. The port authority said forty ships were waiting "
        "outside the harbour, and the union said the strike would go on until the night "
        "shift rota is withdrawn. \"We will not load a single ship,\" said union leader "
        "Marta Kowal. Exporters of fruit and timber said the strike was costing them "
        "millions, and the port authority asked the labour ministry to mediate. Ships "
        "waiting in the bay include three tankers and a cruise ship with 2,000 passengers.",
        "Talks between the Valmera dock union and the port authority resumed on Wednesday, "
        "the labour ministry said, as the strike closed the port for a fourth day."};
    avec *a = malloc(2 * sizeof *a);
    assert_non_null(a);
    vectors_of(e, title, text, 2, 19700, 1, a);
    cevent ev;
    assert_int_equal(sli_cevent_of_article(&a[0], &ev), SL_OK);
    ev.id = 9;
    ev.storyline = 9;
    size_t nt = 0;
    for (int v = 0; v < VIEWS; v++)
        nt += ev.c[v].n;
    assert_true(nt > 40);
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    cevent got;
    assert_int_equal(sli_event_load(&es, 9, &got), SL_OK);
    for (int v = 0; v < VIEWS; v++) {
        assert_int_equal(got.c[v].n, ev.c[v].n);
        for (uint32_t i = 0; i < ev.c[v].n; i++) {
            assert_true(got.c[v].t[i].id == ev.c[v].t[i].id);
            assert_memory_equal(&got.c[v].t[i].w, &ev.c[v].t[i].w, sizeof(float));
            assert_memory_equal(&got.c[v].t[i].idf, &ev.c[v].t[i].idf, sizeof(float));
            assert_memory_equal(&got.c[v].t[i].q, &ev.c[v].t[i].q, sizeof(float));
        }
        assert_memory_equal(&got.c[v].norm2, &ev.c[v].norm2, sizeof(double));
    }
    sli_cevent_clear(&got);
    size_t len = 0;
    assert_int_equal(sli_store_event_get(&es, 9, row_len, &len), SL_OK);
    assert_true(len < 12 * nt);
    /* damaged: a byte changed or the blob cut anywhere loads or is refused, never misread
     * past its end (ASan) */
    unsigned char *blob = malloc(len), *bad = malloc(len);
    assert_true(blob && bad);
    assert_int_equal(sli_store_event_get(&es, 9, row_copy, blob), SL_OK);
    uint64_t rng = 42;
    for (int k = 0; k < 400; k++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        memcpy(bad, blob, len);
        size_t at = (size_t)(rng % len), keep = k % 2 ? len : at;
        bad[at] ^= (unsigned char)(1u << (rng >> 32) % 8);
        set_centroid(&es, 9, bad, (int)keep);
        sl_error err = sli_event_load(&es, 9, &got);
        assert_true(err == SL_OK || err == SL_ERR_STORE || err == SL_ERR_STORE_VERSION);
        if (!err)
            sli_cevent_clear(&got);
    }
    free(blob);
    free(bad);
    /* as two articles' centroid: weights are floats again (10 bytes a term at least) */
    ev.n = 2;
    assert_int_equal(sli_event_save(&es, NULL, &ev), SL_OK);
    assert_int_equal(sli_store_event_get(&es, 9, row_len, &len), SL_OK);
    assert_true(len >= 10 * nt);
    sli_cevent_clear(&ev);
    free(a);
    sli_engine_free(e);
    events_store_free(st, &es, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_array),
        cmocka_unit_test(test_event_recent_rows),
        cmocka_unit_test(test_tally),
        cmocka_unit_test(test_engine_postings),
        cmocka_unit_test(test_iso_days),
        cmocka_unit_test(test_stop_words),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_features_remembered),
        cmocka_unit_test(test_stem_memo),
        cmocka_unit_test(test_features_top),
        cmocka_unit_test(test_features_top_random),
        cmocka_unit_test(test_engine_join_or_new),
        cmocka_unit_test(test_engine_short_articles),
        cmocka_unit_test(test_engine_quotes),
        cmocka_unit_test(test_engine_time_mean),
        cmocka_unit_test(test_engine_link_scale),
        cmocka_unit_test(test_engine_dots_indexed),
        cmocka_unit_test(test_engine_dot_halves),
        cmocka_unit_test(test_engine_link_bound),
        cmocka_unit_test(test_agglo_team),
        cmocka_unit_test(test_agglo_in_full),
        cmocka_unit_test(test_engine_reweight),
        cmocka_unit_test(test_engine_renormalise),
        cmocka_unit_test(test_event_blob_centroid),
        cmocka_unit_test(test_migrated_term_ids),
        cmocka_unit_test(test_vector_keys),
        cmocka_unit_test(test_idf_memo_same_blobs),
        cmocka_unit_test(test_stale_keys_forgotten),
        cmocka_unit_test(test_centroids_packed),
        cmocka_unit_test(test_save_dirty_same_rows),
        cmocka_unit_test(test_event_blob_idf_codes),
        cmocka_unit_test(test_event_blob_one_article),
        cmocka_unit_test(test_cevent_base_hints),
        cmocka_unit_test(test_event_blob_base_hints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
