/* api_calls.c — the library calls the HTTP API stands on, timed on a store opened
 * read-only: an event by id (random ids), a page of 50 events (random offsets), a search
 * of common words, an article by id. Prints microseconds per call (median, p99) and the
 * bytes each writes.
 *
 *   api_calls STORE [--calls N] [--words "w1 w2 ..."] [--migrate]
 *
 * --migrate: open the store writable once first, timed (a store made before the search
 * index gets it then), and print its size before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "storyline.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

typedef struct sink {
    size_t bytes;
    char first[256]; /* the first bytes written (ids are read from them) */
    size_t nfirst;
} sink;

static int to_sink(void *user, const char *data, size_t len)
{
    sink *s = user;
    s->bytes += len;
    size_t room = sizeof s->first - 1 - s->nfirst;
    size_t k = len < room ? len : room;
    memcpy(s->first + s->nfirst, data, k);
    s->nfirst += k;
    s->first[s->nfirst] = '\0';
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t n, size_t bytes, size_t failed)
{
    if (!n) {
        printf("%-28s no calls\n", what);
        return;
    }
    qsort(t, n, sizeof *t, cmp_double);
    printf("%-28s %6zu calls  median %9.1f us  p99 %9.1f us  %8zu bytes/call%s\n", what, n,
           t[n / 2], t[(size_t)((n - 1) * 0.99)], bytes / n, failed ? "  (some failed)" : "");
}

/* The value of the first "id": "..." in s into out. */
static int first_id(const char *s, char *out, size_t size)
{
    const char *p = strstr(s, "\"id\": \"");
    if (!p)
        return 0;
    p += 7;
    size_t n = strcspn(p, "\"");
    if (n >= size)
        return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: api_calls STORE [--calls N] [--words \"w1 w2\"] [--migrate]\n");
        return 2;
    }
    const char *path = argv[1];
    size_t calls = 2000;
    const char *words = "the said government minister police";
    int migrate = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--calls") && i + 1 < argc)
            calls = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--words") && i + 1 < argc)
            words = argv[++i];
        else if (!strcmp(argv[i], "--migrate"))
            migrate = 1;
    }
    sl_store *st;
    if (migrate) {
        long long before = file_size(path);
        double t0 = now_us();
        if (sl_store_open(path, 0, &st)) {
            fprintf(stderr, "cannot open %s writable\n", path);
            return 1;
        }
        sl_store_free(st);
        printf("writable open (search index built if new): %.1f s; store %lld -> %lld bytes\n",
               (now_us() - t0) / 1e6, before, file_size(path));
    }
    char msg[SL_ERRMSG_SIZE];
    if (sl_store_open_msg(path, SL_OPEN_READONLY, &st, msg, sizeof msg)) {
        fprintf(stderr, "cannot open %s: %s\n", path, msg);
        return 1;
    }
    srand(12345);
    double *t = malloc((calls ? calls : 1) * sizeof *t);
    sl_range all = {0, 1, 0};
    sink s = {0};
    sl_write_list(st, SL_LIST_EVENTS, NULL, &all, to_sink, &s);
    long long events = all.total;
    sl_range arts = {0, 1, 0};
    s = (sink){0};
    sl_write_list(st, SL_LIST_ARTICLES, NULL, &arts, to_sink, &s);
    long long articles = arts.total;
    printf("store: %lld articles, %lld events\n", articles, events);
    if (!events || !articles || !t)
        return 1;

    /* ids sampled through one-item pages, outside the timing */
    enum { IDS = 500 };
    static char ev_ids[IDS][64], art_ids[IDS][512];
    for (int i = 0; i < IDS; i++) {
        sl_range r = {rand() % events, 1, 0};
        s = (sink){0};
        sl_write_list(st, SL_LIST_EVENTS, NULL, &r, to_sink, &s);
        first_id(s.first, ev_ids[i], sizeof ev_ids[i]);
        r = (sl_range){rand() % articles, 1, 0};
        s = (sink){0};
        sl_write_list(st, SL_LIST_ARTICLES, NULL, &r, to_sink, &s);
        first_id(s.first, art_ids[i], sizeof art_ids[i]);
    }

    size_t bytes = 0, failed = 0;
    for (size_t i = 0; i < calls; i++) {
        s = (sink){0};
        double t0 = now_us();
        failed += sl_write_event(st, ev_ids[i % IDS], to_sink, &s) != SL_OK;
        t[i] = now_us() - t0;
        bytes += s.bytes;
    }
    report("sl_write_event", t, calls, bytes, failed);

    size_t pages = calls / 10 ? calls / 10 : 1;
    bytes = failed = 0;
    for (size_t i = 0; i < pages; i++) {
        sl_range r = {rand() % events, 50, 0};
        s = (sink){0};
        double t0 = now_us();
        failed += sl_write_list(st, SL_LIST_EVENTS, NULL, &r, to_sink, &s) != SL_OK;
        t[i] = now_us() - t0;
        bytes += s.bytes;
    }
    report("sl_write_list(EVENTS, 50)", t, pages, bytes, failed);

    char wordv[16][64];
    int nw = 0;
    for (const char *p = words; *p && nw < 16;) {
        size_t n = strcspn(p, " ");
        if (n && n < 64) {
            memcpy(wordv[nw], p, n);
            wordv[nw++][n] = '\0';
        }
        p += n;
        p += strspn(p, " ");
    }
    long long limits[] = {10, 50};
    for (int l = 0; l < 2 && nw; l++) {
        bytes = failed = 0;
        long long hits = 0;
        for (size_t i = 0; i < pages; i++) {
            char q[160];
            /* one word, or two of them */
            if (i % 2)
                snprintf(q, sizeof q, "%s", wordv[i % nw]);
            else
                snprintf(q, sizeof q, "%s %s", wordv[i % nw], wordv[(i / 2 + 1) % nw]);
            sl_range r = {0, limits[l], 0};
            s = (sink){0};
            double t0 = now_us();
            failed += sl_write_search(st, q, &r, to_sink, &s) != SL_OK;
            t[i] = now_us() - t0;
            bytes += s.bytes;
            hits += r.total;
        }
        char what[64];
        snprintf(what, sizeof what, "sl_write_search(limit %lld)", limits[l]);
        report(what, t, pages, bytes, failed);
        printf("%-28s %lld matching articles per query on average\n", "", hits / (long long)pages);
    }

    bytes = failed = 0;
    for (size_t i = 0; i < calls; i++) {
        s = (sink){0};
        double t0 = now_us();
        failed += sl_write_article(st, art_ids[i % IDS], to_sink, &s) != SL_OK;
        t[i] = now_us() - t0;
        bytes += s.bytes;
    }
    report("sl_write_article", t, calls, bytes, failed);
    free(t);
    sl_store_free(st);
    return 0;
}
