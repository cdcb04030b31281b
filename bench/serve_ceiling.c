/* serve_ceiling.c — the store's ceiling for bench/serve_bench.sh: the library calls the
 * server makes for a route, in a loop, without HTTP and without the server's cache.
 *
 *   serve_ceiling STORE event|search|list FILE SECONDS THREADS
 *
 * event: sl_write_event of a random id of FILE; search: sl_write_search of a random word
 * of FILE, first page of 50; list: sl_write_list of the events, first page of 50 (FILE
 * unused). Each thread has its own read-only handle, as the server's workers do. Prints
 * "CEILING calls/s p50_ms p99_ms". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "storyline.h"

static const char *store_path, *mode;
static char **items;
static size_t nitems;
static double seconds;

typedef struct worker {
    pthread_t t;
    unsigned seed;
    long long calls, bytes;
    double *lat;
    size_t nlat, cap;
    int failed;
} worker;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count(void *user, const char *data, size_t len)
{
    (void)data;
    *(long long *)user += (long long)len;
    return 0;
}

static void *run(void *arg)
{
    worker *w = arg;
    sl_store *st;
    if (sl_store_open(store_path, SL_OPEN_READONLY, &st)) {
        w->failed = 1;
        return NULL;
    }
    double end = now() + seconds;
    while (1) {
        double t0 = now();
        if (t0 >= end)
            break;
        const char *it = nitems ? items[rand_r(&w->seed) % nitems] : "";
        sl_range r = {0, 50, 0};
        sl_error err = !strcmp(mode, "event")    ? sl_write_event(st, it, count, &w->bytes)
                       : !strcmp(mode, "search") ? sl_write_search(st, it, &r, count, &w->bytes)
                                                 : sl_write_list(st, SL_LIST_EVENTS, NULL, &r,
                                                                 count, &w->bytes);
        if (err) {
            fprintf(stderr, "serve_ceiling: %s %s: %s\n", mode, it, sl_strerror(err));
            w->failed = 1;
            break;
        }
        if (w->nlat == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 4096;
            w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
            if (!w->lat)
                abort();
        }
        w->lat[w->nlat++] = now() - t0;
        w->calls++;
    }
    sl_store_free(st);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: serve_ceiling STORE event|search|list FILE SECONDS THREADS\n");
        return 2;
    }
    store_path = argv[1];
    mode = argv[2];
    seconds = atof(argv[4]);
    int threads = atoi(argv[5]);
    if (threads < 1)
        threads = 1;
    FILE *f = strcmp(mode, "list") ? fopen(argv[3], "r") : NULL;
    char line[512];
    size_t cap = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        if (nitems == cap) {
            cap = cap ? cap * 2 : 1024;
            items = realloc(items, cap * sizeof *items);
        }
        items[nitems++] = strdup(line);
    }
    if (f)
        fclose(f);
    worker *w = calloc((size_t)threads, sizeof *w);
    for (int i = 0; i < threads; i++) {
        w[i].seed = 12345u + (unsigned)i;
        pthread_create(&w[i].t, NULL, run, &w[i]);
    }
    long long calls = 0;
    size_t nlat = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].t, NULL);
        calls += w[i].calls;
        nlat += w[i].nlat;
        failed |= w[i].failed;
    }
    double *lat = malloc((nlat ? nlat : 1) * sizeof *lat);
    size_t k = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(lat + k, w[i].lat, w[i].nlat * sizeof *lat);
        k += w[i].nlat;
        free(w[i].lat);
    }
    qsort(lat, nlat, sizeof *lat, cmp);
    printf("CEILING %.0f %.3f %.3f\n", (double)calls / seconds,
           nlat ? lat[nlat / 2] * 1e3 : 0.0, nlat ? lat[nlat * 99 / 100] * 1e3 : 0.0);
    free(lat);
    free(w);
    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    free(items);
    return failed;
}
