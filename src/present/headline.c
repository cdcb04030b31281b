/* headline.c — the event's headline: the title most central to its other titles. */
#include "present.h"

#include <stdlib.h>

/* A title with fewer content words is a brand or a stub ("BBC News", "Live"): used only
 * when no title has as many. */
#define TITLE_MIN_WORDS 3

typedef struct title {
    size_t article;
    uint64_t *w;
    size_t n;
} title;

sl_error sli_present_headline(present_words *w, const present_article *a, size_t n,
                              long *out)
{
    *out = -1;
    title *t = calloc(n ? n : 1, sizeof *t);
    if (!t)
        return SL_ERR_NOMEM;
    size_t nt = 0, longest = 0;
    sl_error err = SL_OK;
    for (size_t i = 0; !err && i < n && nt < PRESENT_TITLES_MAX; i++) {
        if (!a[i].title || !a[i].title[0])
            continue;
        size_t j = 0; /* one title per family: its first */
        while (j < i && !(a[i].family && a[j].family == a[i].family && a[j].title &&
                          a[j].title[0]))
            j++;
        if (j < i)
            continue;
        const char *s = a[i].title;
        size_t len = 0;
        while (s[len])
            len++;
        t[nt].article = i;
        err = sli_present_word_set(w, s, len, &t[nt].w, &t[nt].n);
        if (!err && t[nt].n > longest)
            longest = t[nt].n;
        nt++;
    }
    /* The titles that count: those with TITLE_MIN_WORDS words, or the best there are. */
    size_t need = longest < TITLE_MIN_WORDS ? longest : TITLE_MIN_WORDS;
    if (need == 0)
        need = 1;
    double best = -1;
    for (size_t i = 0; !err && i < nt; i++) {
        if (t[i].n < need)
            continue;
        double sum = 0;
        size_t votes = 0;
        for (size_t j = 0; j < nt; j++) {
            if (j == i || t[j].n < need)
                continue;
            sum += sli_present_jaccard(t[i].w, t[i].n, t[j].w, t[j].n);
            votes++;
        }
        double score = votes ? sum / (double)votes : 0;
        if (score > best + 1e-12) { /* ties to the earliest */
            best = score;
            *out = (long)t[i].article;
        }
    }
    if (*out < 0 && !err) /* titles without a content word: the first */
        for (size_t i = 0; i < nt && *out < 0; i++)
            *out = (long)t[i].article;
    for (size_t i = 0; i < nt; i++)
        free(t[i].w);
    free(t);
    return err;
}
