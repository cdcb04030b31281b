/* corpus.c — a deterministic generator of news-like articles. */
#include "corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 20000
#define OUTLETS 40
#define STORY_WORDS 8

struct corpus {
    uint64_t seed;
    size_t avg_bytes;
    char *words[VOCAB];
    double cdf[VOCAB];
    char *text;
    size_t cap;
    /* stories (corpus_set_stories): 0 when off */
    unsigned per_story, per_day;
    int story_words[STORY_WORDS]; /* the current article's story's words */
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

/* A word of the article's story about one time in six, when stories are on. */
static const char *story_or_word(corpus *c, uint64_t *s)
{
    if (c->per_story && splitmix(s) % 6 == 0)
        return c->words[c->story_words[splitmix(s) % STORY_WORDS]];
    return word(c, s);
}

static void sentence(corpus *c, uint64_t *s, size_t *len)
{
    int n = 8 + (int)(splitmix(s) % 22);
    for (int i = 0; i < n; i++) {
        const char *w = story_or_word(c, s);
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

/* ---- facts: quotes with attributions, amounts and dates ----
 * Drawn from a stream of their own (facts_stream), and added after a paragraph's sentences
 * without counting toward the article's length, so the words the corpus had before (its
 * duplicates, stories and figures) are unchanged; a paragraph gets one one time in two. */

static void append_s(corpus *c, size_t *len, const char *s)
{
    append(c, len, s, strlen(s));
}

/* A capitalised word: a name (a story's own word when stories are on, so its articles
 * quote the same people). */
static void name(corpus *c, uint64_t *f, size_t *len)
{
    const char *w = c->per_story ? c->words[c->story_words[splitmix(f) % STORY_WORDS]]
                                 : word(c, f);
    char buf[40];
    size_t wl = strlen(w);
    memcpy(buf, w, wl + 1);
    buf[0] = (char)(buf[0] - 32);
    append(c, len, buf, wl);
}

/* Words for a quote: like a sentence's, without its full stop. */
static void words(corpus *c, uint64_t *f, size_t *len, int lo, int spread)
{
    int n = lo + (int)(splitmix(f) % (uint64_t)spread);
    for (int i = 0; i < n; i++) {
        const char *w = story_or_word(c, f);
        char buf[40];
        size_t wl = strlen(w);
        memcpy(buf, w, wl + 1);
        if (i == 0)
            buf[0] = (char)(buf[0] - 32);
        append(c, len, buf, wl);
        if (i + 1 < n)
            append_s(c, len, splitmix(f) % 10 == 0 ? ", " : " ");
    }
}

static void amount(corpus *c, uint64_t *f, size_t *len)
{
    static const char *const forms[] = {"$%u.%u billion", "%u,%02u,000", "%u.%u million",
                                        "%u%02u,000", "%u lakh", "%u per cent", "EUR %u million",
                                        "a third"};
    char buf[64];
    unsigned a = 1 + (unsigned)(splitmix(f) % 9), b = (unsigned)(splitmix(f) % 10);
    snprintf(buf, sizeof buf, forms[splitmix(f) % 8], a, b);
    append_s(c, len, buf);
}

static void when(corpus *c, uint64_t *f, size_t *len)
{
    static const char *const forms[] = {"on Tuesday", "last week", "in May", "on 4 March",
                                        "in 2017", "next month", "on Friday", "this year"};
    (void)c;
    append_s(c, len, forms[splitmix(f) % 8]);
}

static void facts_sentence(corpus *c, uint64_t *f, size_t *len)
{
    append_s(c, len, " ");
    switch (splitmix(f) % 4) {
    case 0: /* "...," said X Y, the w w. */
        append_s(c, len, "\"");
        words(c, f, len, 6, 18);
        append_s(c, len, ",\" said ");
        name(c, f, len);
        append_s(c, len, " ");
        name(c, f, len);
        append_s(c, len, ", the ");
        words(c, f, len, 1, 2);
        append_s(c, len, " chief.");
        break;
    case 1: /* X Y told reporters when: "..." */
        name(c, f, len);
        append_s(c, len, " ");
        name(c, f, len);
        append_s(c, len, " told reporters ");
        when(c, f, len);
        append_s(c, len, ": \"");
        words(c, f, len, 5, 15);
        append_s(c, len, ".\"");
        break;
    case 2: /* "...," he said. "..." */
        append_s(c, len, "\"");
        words(c, f, len, 4, 10);
        append_s(c, len, ",\" ");
        append_s(c, len, splitmix(f) % 2 ? "he" : "she");
        append_s(c, len, " said. \"");
        words(c, f, len, 4, 12);
        append_s(c, len, ".\"");
        break;
    default: /* amounts and dates */
        append_s(c, len, "About ");
        amount(c, f, len);
        append_s(c, len, " ");
        words(c, f, len, 1, 3);
        append_s(c, len, " were counted ");
        when(c, f, len);
        append_s(c, len, ", up ");
        amount(c, f, len);
        append_s(c, len, " ");
        when(c, f, len);
        append_s(c, len, ".");
    }
}

void corpus_set_stories(corpus *c, unsigned per_story, unsigned per_day)
{
    c->per_story = per_story;
    c->per_day = per_day ? per_day : 1;
}

uint64_t corpus_story(const corpus *c, uint64_t n)
{
    return c->per_story ? n / c->per_story : n;
}

/* Days since 1970-01-01 as YYYY-MM-DD (the civil calendar). */
static void iso_date(long days, char *out, size_t size)
{
    days += 719468;
    long era = days / 146097, doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, size, "%04d-%02d-%02d", (int)((yoe + era * 400 + (m <= 2)) % 10000), (int)m,
             (int)d);
}

/* The story's words (rarer ones, never the commonest thousand) and date: its articles
 * come out within a day of the story's day, per_day articles a day from 2022-01-01. */
static void story_start(corpus *c, uint64_t n, corpus_article *a)
{
    uint64_t story = n / c->per_story, s = c->seed * 7777777u + story;
    for (int k = 0; k < STORY_WORDS; k++)
        c->story_words[k] = 1000 + (int)(splitmix(&s) % (VOCAB - 1000));
    long day = 18993 + (long)(story * c->per_story / c->per_day);
    uint64_t jitter = c->seed * 31u + n;
    day += (long)(splitmix(&jitter) % 3) - 1;
    iso_date(day, a->date, sizeof a->date);
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
    if (c->per_story)
        story_start(c, n, a);
    size_t tl = 0;
    int tw = 5 + (int)(splitmix(&s) % 7);
    for (int i = 0; i < tw; i++) {
        /* with stories, two of the title's words are the story's */
        const char *w = c->per_story && i < 2 ? c->words[c->story_words[i]] : word(c, &s);
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

    size_t len = 0, extra = 0; /* extra: the facts sentences' bytes */
    uint64_t f = c->seed * 2654435761u + n * 40503u + 0xFAC75;
    /* Article length varies from a third to twice the average. */
    size_t target = c->avg_bytes / 3 + (size_t)(splitmix(&s) % (c->avg_bytes * 5 / 3));
    while (len - extra < target) {
        int sentences = 2 + (int)(splitmix(&s) % 4);
        for (int i = 0; i < sentences; i++) {
            if (i)
                append(c, &len, " ", 1);
            sentence(c, &s, &len);
        }
        if (splitmix(&f) % 2) {
            size_t before = len;
            facts_sentence(c, &f, &len);
            extra += len - before;
        }
        append(c, &len, "\n\n", 2);
    }
    a->text = c->text;
    a->text_len = len;
    return 0;
}

/* Write s as a JSON string (the generator only makes ASCII letters, digits and
 * punctuation). */
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
