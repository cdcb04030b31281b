/* api_calls.c — the library calls the HTTP API stands on, timed on a store opened
 * read-only: an event by id (random ids), a page of 50 events (random offsets), a search
 * of common words, an article by id. Prints microseconds per call (median, p99) and the
 * bytes each writes.
 *
 *   api_calls STORE [--calls N] [--words "w1 w2 ..."] [--migrate] [--search-only]
 *
 * Searches are timed apart by the number of words (one word; two of the list together).
 * --search-only: only the searches (a first query of each word is timed too, since the
 * search keeps what it learns of a word on the handle: the first pass over the words is
 * reported as "cold").
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
        fprintf(stderr, "usage: api_calls STORE [--calls N] [--words \"w1 w2\"] [--migrate]"
                        " [--search-only]\n");
        return 2;
    }
    const char *path = argv[1];
    size_t calls = 2000;
    const char *words = "the said government minister police";
    int migrate = 0, search_only = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--calls") && i + 1 < argc)
            calls = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--words") && i + 1 < argc)
            words = argv[++i];
        else if (!strcmp(argv[i], "--migrate"))
            migrate = 1;
        else if (!strcmp(argv[i], "--search-only"))
            search_only = 1;
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
    for (size_t i = 0; !search_only && i < calls; i++) {
        s = (sink){0};
        double t0 = now_us();
        failed += sl_write_event(st, ev_ids[i % IDS], to_sink, &s) != SL_OK;
        t[i] = now_us() - t0;
        bytes += s.bytes;
    }
    if (!search_only)
        report("sl_write_event", t, calls, bytes, failed);

    size_t pages = calls / 10 ? calls / 10 : 1;
    bytes = failed = 0;
    for (size_t i = 0; !search_only && i < pages; i++) {
        sl_range r = {rand() % events, 50, 0};
        s = (sink){0};
        double t0 = now_us();
        failed += sl_write_list(st, SL_LIST_EVENTS, NULL, &r, to_sink, &s) != SL_OK;
        t[i] = now_us() - t0;
        bytes += s.bytes;
    }
    if (!search_only)
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
    if (search_only && nw) { /* the first query of each word, and of each pair */
        double *t1 = malloc(2 * (size_t)nw * sizeof *t1);
        size_t n1 = 0, n2 = 0;
        bytes = failed = 0;
        for (int i = 0; t1 && i < nw; i++) {
            sl_range r = {0, 10, 0};
            s = (sink){0};
            double t0 = now_us();
            failed += sl_write_search(st, wordv[i], &r, to_sink, &s) != SL_OK;
            t1[n1++] = now_us() - t0;
            bytes += s.bytes;
        }
        report("search cold, 1 word, lim 10", t1, n1, bytes, failed);
        bytes = failed = 0;
        for (unsigned i = 0; t1 && i < (unsigned)nw; i++) {
            char q[256];
            snprintf(q, sizeof q, "%s %s", wordv[i], wordv[(i + 1) % (unsigned)nw]);
            sl_range r = {0, 10, 0};
            s = (sink){0};
            double t0 = now_us();
            failed += sl_write_search(st, q, &r, to_sink, &s) != SL_OK;
            t1[n2++] = now_us() - t0;
            bytes += s.bytes;
        }
        report("search cold, 2 words, lim 10", t1, n2, bytes, failed);
        free(t1);
    }
    long long limits[] = {10, 50};
    double *t2 = malloc((pages ? pages : 1) * sizeof *t2);
    for (int l = 0; l < 2 && nw && t2; l++) {
        size_t bytes1 = 0, bytes2 = 0, failed1 = 0, failed2 = 0, n1 = 0, n2 = 0;
        long long hits1 = 0, hits2 = 0;
        for (size_t i = 0; i < pages; i++) {
            char q[160];
            /* one word, or two of them */
            int one = i % 2;
            if (one)
                snprintf(q, sizeof q, "%s", wordv[i % nw]);
            else
                snprintf(q, sizeof q, "%s %s", wordv[i % nw], wordv[(i / 2 + 1) % nw]);
            sl_range r = {0, limits[l], 0};
            s = (sink){0};
            double t0 = now_us();
            int bad = sl_write_search(st, q, &r, to_sink, &s) != SL_OK;
            double dt = now_us() - t0;
            if (one) {
                t[n1++] = dt, bytes1 += s.bytes, failed1 += bad, hits1 += r.total;
            } else {
                t2[n2++] = dt, bytes2 += s.bytes, failed2 += bad, hits2 += r.total;
            }
        }
        char what[64];
        snprintf(what, sizeof what, "search 1 word, limit %lld", limits[l]);
        report(what, t, n1, bytes1, failed1);
        printf("%-28s %lld matching articles per query on average\n", "",
               n1 ? hits1 / (long long)n1 : 0);
        snprintf(what, sizeof what, "search 2 words, limit %lld", limits[l]);
        report(what, t2, n2, bytes2, failed2);
        printf("%-28s %lld matching articles per query on average\n", "",
               n2 ? hits2 / (long long)n2 : 0);
    }
    free(t2);
    if (search_only) {
        free(t);
        sl_store_free(st);
        return 0;
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
    /* one article read back: its row and cleaned text; then with its raw text too */
    static const unsigned with[2] = {SL_WITH_TEXT, SL_WITH_TEXT | SL_WITH_RAW};
    static const char *const what[2] = {"sl_store_get_article text", "  ... text and raw"};
    for (int w = 0; w < 2; w++) {
        bytes = failed = 0;
        for (size_t i = 0; i < calls; i++) {
            sl_article *a = NULL;
            double t0 = now_us();
            failed += sl_store_get_article(st, art_ids[i % IDS], with[w], &a) != SL_OK;
            t[i] = now_us() - t0;
            bytes += a && a->text ? strlen(a->text) : 0;
            sl_article_free(a);
        }
        report(what[w], t, calls, bytes, failed);
    }
    free(t);
    sl_store_free(st);
    return 0;
}
