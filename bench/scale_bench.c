/* scale_bench — how `add` scales with the size of the store.
 *
 * A generated news stream (bench/corpus.c with stories: a handful of articles per story,
 * dated within a day of each other, a thousand articles a day; one article in five a whole
 * copy of a recent one by another outlet) grows a store through checkpoints (10k, 30k,
 * 100k, 300k, 1M articles, up to --upto), in batches of at most --step articles. At each
 * checkpoint the next --then articles of the stream go in as one more batch, timed by
 * stage: that is the "1,000 new articles into a store of N" figure. Up to --score-upto
 * articles, the events are also scored against the planted stories (BCubed). One row per
 * checkpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "storyline.h"

#define PER_STORY 6
#define PER_DAY 1000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct stream {
    corpus *c;
    long *story;  /* article number -> its story (the truth) */
    size_t cap;
    char *buf;
    size_t buf_cap;
} stream;

/* Add stream article n to the batch: the corpus's article n, or (one in five) a whole
 * copy of one of the eight before it, with site furniture, from another outlet. */
static sl_error add_one(stream *s, sl_batch *b, long n)
{
    uint64_t h = mix((uint64_t)n + 0x5EED);
    long from = n >= 16 && h % 5 == 0 ? n - 1 - (long)(h / 5 % 8) : n;
    corpus_article a;
    corpus_article_n(s->c, (uint64_t)from, &a);
    if ((size_t)n >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        long *p = realloc(s->story, cap * sizeof *p);
        if (!p)
            return SL_ERR_NOMEM;
        s->story = p;
        s->cap = cap;
    }
    s->story[n] = (long)corpus_story(s->c, (uint64_t)from);
    char id[32], source[40];
    snprintf(id, sizeof id, "s%ld", n);
    snprintf(source, sizeof source, "%s", a.source);
    const char *text = a.text;
    size_t len = a.text_len;
    if (from != n) {
        static const char head[] = "Home | News | World\nAdvertisement\n";
        if (s->buf_cap < len + sizeof head) {
            char *p = realloc(s->buf, len + sizeof head);
            if (!p)
                return SL_ERR_NOMEM;
            s->buf = p;
            s->buf_cap = len + sizeof head;
        }
        memcpy(s->buf, head, sizeof head - 1);
        memcpy(s->buf + sizeof head - 1, a.text, len);
        text = s->buf;
        len += sizeof head - 1;
        snprintf(source, sizeof source, "copy%02u.example", (unsigned)(h % 40));
    }
    sl_article_input in = {id, source, NULL, a.date, a.title, text, len};
    return sl_batch_add_article(b, &in);
}

static int add_range(sl_store *st, stream *s, long from, long to, sl_batch_summary *sum)
{
    sl_batch *b;
    sl_error err = sl_batch_begin(st, NULL, &b);
    for (long n = from; !err && n < to; n++)
        err = add_one(s, b, n);
    if (!err)
        err = sl_batch_commit(b, sum);
    if (err)
        fprintf(stderr, "scale_bench: add failed: %s (%s)\n", sl_strerror(err),
                sl_store_errmsg(st));
    sl_batch_free(b);
    return err != SL_OK;
}

/* --- scoring events against the planted stories --- */

typedef struct pair {
    long pred, gold;
} pair;

typedef struct scoring {
    const long *truth; /* article number -> its true cluster */
    pair *p;
    long n, max;
    long next_event;
} scoring;

static int on_event(void *user, const sl_event *ev)
{
    scoring *s = user;
    long e = s->next_event++;
    for (size_t i = 0; i < ev->n; i++) {
        long a = strtol(ev->articles[i] + 1, NULL, 10);
        if (a >= 0 && a < s->max && s->n < s->max)
            s->p[s->n++] = (pair){e, s->truth[a]};
    }
    return 0;
}

static int by_pred(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->pred != b->pred)
        return a->pred < b->pred ? -1 : 1;
    return a->gold < b->gold ? -1 : a->gold > b->gold;
}

static int by_gold(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->gold != b->gold)
        return a->gold < b->gold ? -1 : 1;
    return a->pred < b->pred ? -1 : a->pred > b->pred;
}

/* Sum over (pred, gold) cells of cell^2 / size of the cell's group (pred when sorted by
 * pred, gold when sorted by gold). */
static double cell_sum(const pair *p, long n, int by_gold_first)
{
    double sum = 0;
    for (long i = 0; i < n;) {
        long j = i;
        while (j < n && (by_gold_first ? p[j].gold == p[i].gold : p[j].pred == p[i].pred))
            j++;
        double group = (double)(j - i), cells = 0;
        for (long k = i; k < j;) {
            long m = k;
            while (m < j && p[m].pred == p[k].pred && p[m].gold == p[k].gold)
                m++;
            cells += (double)(m - k) * (double)(m - k);
            k = m;
        }
        sum += cells / group;
        i = j;
    }
    return sum;
}

/* BCubed precision, recall and F1 (prf[0..3)) of the store's events over articles
 * s0..s(n-1) against truth[]; *events: how many events hold them. */
static int score(sl_store *st, const long *truth, long n, double *prf, long *events)
{
    scoring sc = {truth, malloc((size_t)n * sizeof(pair)), 0, n, 0};
    if (!sc.p || sl_store_each_event(st, on_event, &sc)) {
        free(sc.p);
        return 1;
    }
    qsort(sc.p, (size_t)sc.n, sizeof *sc.p, by_pred);
    double prec = sc.n ? cell_sum(sc.p, sc.n, 0) / (double)sc.n : 0;
    qsort(sc.p, (size_t)sc.n, sizeof *sc.p, by_gold);
    double rec = sc.n ? cell_sum(sc.p, sc.n, 1) / (double)sc.n : 0;
    prf[0] = prec;
    prf[1] = rec;
    prf[2] = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
    *events = sc.next_event;
    free(sc.p);
    return 0;
}

/* article number -> the index of its event in the store (-1: none), for s0..s(n-1) */
typedef struct labelling {
    long *label;
    long n, next;
} labelling;

static int on_label(void *user, const sl_event *ev)
{
    labelling *l = user;
    for (size_t i = 0; i < ev->n; i++) {
        long a = strtol(ev->articles[i] + 1, NULL, 10);
        if (a >= 0 && a < l->n)
            l->label[a] = l->next;
    }
    l->next++;
    return 0;
}

/* Incremental against batch: the first n articles of the stream as one batch into one
 * store and as five into another; BCubed of the five-batch events against the one-batch
 * events, and of both against the stories. */
static int agree(long n)
{
    char dir[] = "/tmp/storyline-agree-XXXXXX", db[2][64];
    if (!mkdtemp(dir))
        return 1;
    double prf[2][3], with[3];
    long events[2], ignored;
    labelling one = {calloc((size_t)n, sizeof(long)), n, 0};
    int rc = !one.label;
    for (int k = 0; !rc && k < 2; k++) {
        stream s = {corpus_create(11, 3000), NULL, 0, NULL, 0};
        corpus_set_stories(s.c, PER_STORY, PER_DAY);
        snprintf(db[k], sizeof db[k], "%s/%s.db", dir, k ? "five" : "one");
        sl_store *st = NULL;
        sl_batch_summary sum;
        rc = !s.c || sl_store_open(db[k], SL_OPEN_CREATE, &st);
        for (long at = 0, step = k ? (n + 4) / 5 : n; !rc && at < n; at += step)
            rc = add_range(st, &s, at, at + step < n ? at + step : n, &sum);
        rc = rc || score(st, s.story, n, prf[k], &events[k]);
        if (!rc && !k)
            rc = sl_store_each_event(st, on_label, &one) != SL_OK;
        if (!rc && k)
            rc = score(st, one.label, n, with, &ignored);
        sl_store_free(st);
        corpus_free(s.c);
        free(s.story);
        free(s.buf);
    }
    if (!rc)
        printf("%ld articles, one batch: %ld events, BCubed F1 %.4f against the stories;\n"
               "five batches: %ld events, F1 %.4f against the stories, %.4f against one batch"
               " (P %.4f R %.4f)\n", n, events[0], prf[0][2], events[1], prf[1][2], with[2],
               with[0], with[1]);
    for (int k = 0; k < 2; k++) {
        char path[sizeof db[k] + 8];
        static const char *const tail[] = {"", "-wal", "-shm"};
        for (int t = 0; t < 3; t++) {
            if (snprintf(path, sizeof path, "%s%s", db[k], tail[t]) < (int)sizeof path)
                unlink(path);
        }
    }
    rmdir(dir);
    free(one.label);
    return rc;
}

static long peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static double file_mb(const char *path)
{
    struct stat sb;
    return stat(path, &sb) ? 0 : (double)sb.st_size / 1e6;
}

static int usage(void)
{
    fputs("usage: scale_bench [--upto N] [--step N] [--then N] [--score-upto N] [--db PATH]\n"
          "  grows a store through 10k, 30k, 100k, 300k, 1M articles (up to --upto,\n"
          "  default 100000) in batches of at most --step (default 100000); at each\n"
          "  checkpoint times one more batch of --then articles (default 1000), and up to\n"
          "  --score-upto articles (default 100000) scores the events against the planted\n"
          "  stories. --db: the store's path (default: a new one under /tmp, removed after).\n"
          "  --agree N: instead, N articles as one batch and as five, into two new stores:\n"
          "  how far the five-batch events agree with the one-batch events (BCubed).\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    long upto = 100000, step = 100000, then = 1000, score_upto = 100000, agree_n = 0;
    const char *db_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--upto") && i + 1 < argc)
            upto = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--step") && i + 1 < argc)
            step = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--then") && i + 1 < argc)
            then = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--score-upto") && i + 1 < argc)
            score_upto = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--agree") && i + 1 < argc)
            agree_n = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--db") && i + 1 < argc)
            db_arg = argv[++i];
        else
            return usage();
    }
    if (upto < 1 || step < 1 || then < 1 || agree_n < 0)
        return usage();
    if (agree_n)
        return agree(agree_n);
    char dir[] = "/tmp/storyline-scale-XXXXXX", db[300];
    if (!db_arg && !mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s", db_arg ? db_arg : dir);
    if (!db_arg)
        strncat(db, "/scale.db", sizeof db - strlen(db) - 1);
    stream s = {corpus_create(11, 3000), NULL, 0, NULL, 0};
    if (!s.c)
        return 1;
    corpus_set_stories(s.c, PER_STORY, PER_DAY);
    sl_store *st;
    if (sl_store_open(db, SL_OPEN_CREATE, &st)) {
        fprintf(stderr, "scale_bench: cannot open %s\n", db);
        return 1;
    }
    printf("storyline %s scaling benchmark: a generated stream (%d articles a story, %d a day,"
           " a fifth copies)\n\n", sl_version(), PER_STORY, PER_DAY);
    printf("%9s %11s | %7s %7s %7s %7s %7s | %8s %5s %5s %5s | %7s %7s\n", "store",
           "grow art/s", "+then s", "ingest", "match", "events", "commit", "events", "P", "R",
           "F1", "peak MB", "db MB");
    fflush(stdout);
    static const long checkpoints[] = {10000, 30000, 100000, 300000, 1000000, 3000000};
    long have = 0;
    int rc = 0;
    for (size_t c = 0; !rc && c < sizeof checkpoints / sizeof *checkpoints; c++) {
        long target = checkpoints[c] < upto ? checkpoints[c] : upto;
        if (target <= have)
            break;
        double t0 = now();
        long start = have;
        sl_batch_summary sum;
        while (!rc && have < target) {
            long next = have + step < target ? have + step : target;
            rc = add_range(st, &s, have, next, &sum);
            have = next;
        }
        double grow = (double)(have - start) / (now() - t0);
        rc = rc || add_range(st, &s, have, have + then, &sum);
        have += then;
        if (rc)
            break;
        double prf[3] = {0};
        long events = 0;
        int scored = have - then <= score_upto && !score(st, s.story, have, prf, &events);
        printf("%9ld %11.0f | %7.2f %7.2f %7.2f %7.2f %7.2f | ", have - then, grow,
               sum.seconds, sum.ingest_seconds + sum.clean_seconds, sum.match_seconds,
               sum.cluster_seconds,
               sum.seconds - sum.ingest_seconds - sum.clean_seconds - sum.match_seconds -
                   sum.cluster_seconds);
        if (scored)
            printf("%8ld %5.3f %5.3f %5.3f", events, prf[0], prf[1], prf[2]);
        else
            printf("%8s %5s %5s %5s", "-", "-", "-", "-");
        printf(" | %7ld %7.0f\n", peak_mb(), file_mb(db));
        fflush(stdout);
        if (target == upto)
            break;
    }
    printf("\n(stories: %ld; +then: the next %ld articles of the stream as one batch, by stage:"
           " ingest = ingest, clean and sketch)\n", have ? s.story[have - 1] + 1 : 0, then);
    sl_store_free(st);
    if (!db_arg) {
        char wal[320];
        unlink(db);
        snprintf(wal, sizeof wal, "%s-wal", db);
        unlink(wal);
        snprintf(wal, sizeof wal, "%s-shm", db);
        unlink(wal);
        rmdir(dir);
    }
    corpus_free(s.c);
    free(s.story);
    free(s.buf);
    return rc;
}
