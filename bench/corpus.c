/* corpus.c — a deterministic generator of news-like articles. */
#include "corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 20000
#define OUTLETS 40

struct corpus {
    uint64_t seed;
    size_t avg_bytes;
    char *words[VOCAB];
    double cdf[VOCAB];
    char *text;
    size_t cap;
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(splitmix(s) >> 11) / 9007199254740992.0;
}

corpus *corpus_create(uint64_t seed, size_t avg_bytes)
{
    static const char *const syl[] = {"ka", "lo", "mi", "ren", "sta", "por", "vel", "an",
                                      "tri", "de", "gor", "bel", "sun", "ma", "ter", "ol",
                                      "in", "es", "ca", "ro", "nu", "pe", "za", "ti"};
    corpus *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->seed = seed;
    c->avg_bytes = avg_bytes ? avg_bytes : 3000;
    uint64_t s = seed ^ 0xC0FFEE;
    double total = 0;
    for (int i = 0; i < VOCAB; i++) {
        char w[32] = "";
        int n = 1 + (int)(splitmix(&s) % 3) + (i > 200);
        for (int k = 0; k < n; k++)
            strcat(w, syl[splitmix(&s) % (sizeof syl / sizeof syl[0])]);
        c->words[i] = strdup(w);
        total += 1.0 / pow(i + 1, 1.05);
        c->cdf[i] = total;
    }
    for (int i = 0; i < VOCAB; i++)
        c->cdf[i] /= total;
    return c;
}

void corpus_free(corpus *c)
{
    if (!c)
        return;
    for (int i = 0; i < VOCAB; i++)
        free(c->words[i]);
    free(c->text);
    free(c);
}

static const char *word(corpus *c, uint64_t *s)
{
    double u = uniform(s);
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c->words[lo];
}

static void append(corpus *c, size_t *len, const char *s, size_t n)
{
    if (*len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8192;
        while (cap < *len + n + 1)
            cap *= 2;
        char *p = realloc(c->text, cap);
        if (!p)
            abort(); /* benchmark tool: out of memory is fatal */
        c->text = p;
        c->cap = cap;
    }
    memcpy(c->text + *len, s, n);
    *len += n;
    c->text[*len] = '\0';
}

static void sentence(corpus *c, uint64_t *s, size_t *len)
{
    int n = 8 + (int)(splitmix(s) % 22);
    for (int i = 0; i < n; i++) {
        const char *w = word(c, s);
        char buf[40];
        size_t wl = strlen(w);
        memcpy(buf, w, wl + 1);
        if (i == 0 || splitmix(s) % 12 == 0)
            buf[0] = (char)(buf[0] - 32); /* capitalised: sentence start or a name */
        append(c, len, buf, wl);
        const char *sep = i + 1 == n ? "." : splitmix(s) % 10 == 0 ? ", " : " ";
        append(c, len, sep, strlen(sep));
    }
}

int corpus_article_n(corpus *c, uint64_t n, corpus_article *a)
{
    uint64_t s = c->seed * 1000003u + n;
    splitmix(&s);
    snprintf(a->id, sizeof a->id, "gen/%llu", (unsigned long long)n);
    snprintf(a->source, sizeof a->source, "outlet%02u.example",
             (unsigned)(splitmix(&s) % OUTLETS));
    snprintf(a->date, sizeof a->date, "2024-%02u-%02u", 1 + (unsigned)(splitmix(&s) % 12),
             1 + (unsigned)(splitmix(&s) % 28));
    size_t tl = 0;
    int tw = 5 + (int)(splitmix(&s) % 7);
    for (int i = 0; i < tw; i++) {
        const char *w = word(c, &s);
        size_t wl = strlen(w);
        if (tl + wl + 2 >= sizeof a->title)
            break;
        memcpy(a->title + tl, w, wl);
        if (i == 0)
            a->title[0] = (char)(a->title[0] - 32);
        tl += wl;
        a->title[tl++] = ' ';
    }
    a->title[tl ? tl - 1 : 0] = '\0';

    size_t len = 0;
    /* Article length varies from a third to twice the average. */
    size_t target = c->avg_bytes / 3 + (size_t)(splitmix(&s) % (c->avg_bytes * 5 / 3));
    while (len < target) {
        int sentences = 2 + (int)(splitmix(&s) % 4);
        for (int i = 0; i < sentences; i++) {
            if (i)
                append(c, &len, " ", 1);
            sentence(c, &s, &len);
        }
        append(c, &len, "\n\n", 2);
    }
    a->text = c->text;
    a->text_len = len;
    return 0;
}

/* Write s as a JSON string (the generator only makes ASCII letters and punctuation). */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

void corpus_write_jsonl(FILE *f, const corpus_article *a)
{
    fputs("{\"id\":", f);
    json_string(f, a->id);
    fputs(",\"source\":", f);
    json_string(f, a->source);
    fputs(",\"date\":", f);
    json_string(f, a->date);
    fputs(",\"title\":", f);
    json_string(f, a->title);
    fputs(",\"text\":", f);
    json_string(f, a->text);
    fputs("}\n", f);
}
