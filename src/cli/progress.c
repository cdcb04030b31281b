/* progress.c — a one-line progress display on stderr, only when it is a terminal. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct progress {
    const char *label;
    struct timespec t0, last;
    int shown;
};

static double since(const struct timespec *a)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - a->tv_sec) + (double)(t.tv_nsec - a->tv_nsec) / 1e9;
}

progress *progress_create(const char *label, int enabled)
{
    if (!enabled || !isatty(STDERR_FILENO))
        return NULL;
    progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->label = label;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    p->last = p->t0;
    return p;
}

void progress_update(void *user, const sl_progress *pr)
{
    progress *p = user;
    if (!p || since(&p->last) < 0.1)
        return;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    double secs = since(&p->t0);
    char done[32], total[32];
    if (pr->stage && strcmp(pr->stage, "reading")) {
        /* the facts stage counts the events it makes again */
        fprintf(stderr, "\r\033[K%s: %s %lld of %lld %s", p->label, pr->stage,
                pr->stage_done, pr->stage_total,
                strcmp(pr->stage, "facts") ? "articles" : "events");
        if (pr->stage_total > 0)
            fprintf(stderr, " (%d%%)", (int)(100.0 * (double)pr->stage_done /
                                             (double)pr->stage_total));
        fflush(stderr);
        p->shown = 1;
        return;
    }
    fprintf(stderr, "\r\033[K%s: %lld articles, %s", p->label, pr->articles,
            cli_bytes(pr->bytes_done, done));
    if (pr->bytes_total > 0 && pr->bytes_done <= pr->bytes_total)
        fprintf(stderr, " of %s (%d%%)", cli_bytes(pr->bytes_total, total),
                (int)(100.0 * (double)pr->bytes_done / (double)pr->bytes_total));
    if (secs > 0)
        fprintf(stderr, ", %.1f MB/s", (double)pr->bytes_done / 1e6 / secs);
    fflush(stderr);
    p->shown = 1;
}

void progress_clear(progress *p)
{
    if (p && p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = 0;
    }
}

void progress_done(progress *p)
{
    if (!p)
        return;
    if (p->shown)
        fputs("\r\033[K", stderr);
    free(p);
}
