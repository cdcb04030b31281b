/* scale_bench — how `add` scales with the size of the store.
 *
 * A generated news stream (bench/corpus.c with stories: a handful of articles per story,
 * each dated within a day of its story's day, a thousand articles a day; one article in five a whole
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

#include "core/grow.h"
#include "corpus.h"
#include "partition.h"
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
    int *story;   /* article number -> its story (the truth) */
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
    int *story = sli_grow_array(s->story, &s->cap, (size_t)n + 1, sizeof *story, 65536);
    if (!story)
        return SL_ERR_NOMEM;
    s->story = story;
    s->story[n] = (int)corpus_story(s->c, (uint64_t)from);
    char id[32], source[40];
    snprintf(id, sizeof id, "s%ld", n);
    snprintf(source, sizeof source, "%s", a.source);
    const char *text = a.text;
    size_t len = a.text_len;
    if (from != n) {
        static const char head[] = "Home | News | World\nAdvertisement\n";
        char *buf = sli_grow_array(s->buf, &s->buf_cap, len + sizeof head, 1, 8192);
        if (!buf)
            return SL_ERR_NOMEM;
        s->buf = buf;
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

/* --- scoring events --- */

typedef struct labelling {
    int *label; /* article number -> the index of its event in the store */
    long n;
    int next;
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

/* Each of articles s0..s(n-1): its event's index (an article in none: a label of its
 * own); NULL on failure. */
static int *event_labels(sl_store *st, long n)
{
    labelling l = {malloc((size_t)(n ? n : 1) * sizeof(int)), n, 0};
    if (!l.label)
        return NULL;
    for (long i = 0; i < n; i++)
        l.label[i] = -1 - (int)i;
    if (sl_store_each_event(st, on_label, &l) != SL_OK) {
        free(l.label);
        return NULL;
    }
    return l.label;
}

/* The store's events over articles s0..s(n-1) against truth[]; 0 on success. */
static int score(sl_store *st, const int *truth, long n, partition_scores *sc)
{
    int *label = event_labels(st, n);
    int rc = !label || partition_compare(label, truth, n, sc);
    free(label);
    return rc;
}

/* Incremental against batch: the first n articles of the stream as one batch into one
 * store and as five into another; BCubed of the five-batch events against the one-batch
 * events, and of both against the stories. */
static int agree(long n)
{
    char dir[] = "/tmp/storyline-agree-XXXXXX", db[2][64] = {"", ""};
    if (!mkdtemp(dir))
        return 1;
    partition_scores sc[2], with;
    int *one = NULL;
    int rc = 0;
    for (int k = 0; !rc && k < 2; k++) {
        stream s = {corpus_create(11, 3000), NULL, 0, NULL, 0};
        corpus_set_stories(s.c, PER_STORY, PER_DAY);
        snprintf(db[k], sizeof db[k], "%s/%s.db", dir, k ? "five" : "one");
        sl_store *st = NULL;
        sl_batch_summary sum;
        rc = !s.c || sl_store_open(db[k], SL_OPEN_CREATE, &st);
        for (long at = 0, step = k ? (n + 4) / 5 : n; !rc && at < n; at += step)
            rc = add_range(st, &s, at, at + step < n ? at + step : n, &sum);
        rc = rc || score(st, s.story, n, &sc[k]);
        if (!rc && !k)
            rc = !(one = event_labels(st, n));
        if (!rc && k)
            rc = score(st, one, n, &with);
        sl_store_free(st);
        corpus_free(s.c);
        free(s.story);
        free(s.buf);
    }
    if (!rc)
        printf("%ld articles, one batch: %ld events, BCubed F1 %.4f against the stories;\n"
               "five batches: %ld events, F1 %.4f against the stories, %.4f against one batch"
               " (P %.4f R %.4f)\n", n, sc[0].clusters,
               partition_f1(sc[0].bcubed_p, sc[0].bcubed_r), sc[1].clusters,
               partition_f1(sc[1].bcubed_p, sc[1].bcubed_r),
               partition_f1(with.bcubed_p, with.bcubed_r), with.bcubed_p, with.bcubed_r);
    for (int k = 0; k < 2; k++) {
        char path[sizeof db[k] + 8];
        static const char *const tail[] = {"", "-wal", "-shm"};
        for (int t = 0; db[k][0] && t < 3; t++) {
            if (snprintf(path, sizeof path, "%s%s", db[k], tail[t]) < (int)sizeof path)
                unlink(path);
        }
    }
    rmdir(dir);
    free(one);
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
          "  --resume N: with --db, a store an earlier run left with N articles of the\n"
          "  stream: time one more batch only.\n"
          "  --agree N: instead, N articles as one batch and as five, into two new stores:\n"
          "  how far the five-batch events agree with the one-batch events (BCubed).\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    long upto = 100000, step = 100000, then = 1000, score_upto = 100000, agree_n = 0;
    const char *db_arg = NULL;
    long resume = 0; /* the articles of the stream a store already holds */
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
        else if (!strcmp(argv[i], "--resume") && i + 1 < argc)
            resume = strtol(argv[++i], NULL, 10);
        else
            return usage();
    }
    if (upto < 1 || step < 1 || then < 1 || agree_n < 0 || resume < 0 ||
        (resume && !db_arg))
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
           "grow art/s", "+then s", "ingest", "match", "events", "rest", "events", "P", "R",
           "F1", "peak MB", "db MB");
    fflush(stdout);
    static const long checkpoints[] = {10000, 30000, 100000, 300000, 1000000};
    long have = 0;
    int rc = 0;
    if (resume) /* one more timed batch on the store as an earlier run left it */
        upto = have = resume;
    const long *cp = resume ? &upto : checkpoints;
    size_t ncp = resume ? 1 : sizeof checkpoints / sizeof *checkpoints;
    for (size_t c = 0; !rc && c < ncp; c++) {
        long target = cp[c] < upto ? cp[c] : upto;
        if (target < have || (target == have && !resume))
            break;
        double t0 = now();
        long start = have;
        sl_batch_summary sum;
        while (!rc && have < target) {
            long next = have + step < target ? have + step : target;
            rc = add_range(st, &s, have, next, &sum);
            have = next;
        }
        double grow = have > start ? (double)(have - start) / (now() - t0) : 0;
        rc = rc || add_range(st, &s, have, have + then, &sum);
        have += then;
        if (rc)
            break;
        partition_scores sc;
        int scored = have - then <= score_upto && !score(st, s.story, have, &sc);
        printf("%9ld %11.0f | %7.2f %7.2f %7.2f %7.2f %7.2f | ", have - then, grow,
               sum.seconds, sum.ingest_seconds + sum.clean_seconds, sum.match_seconds,
               sum.cluster_seconds,
               sum.seconds - sum.ingest_seconds - sum.clean_seconds - sum.match_seconds -
                   sum.cluster_seconds);
        if (scored)
            printf("%8ld %5.3f %5.3f %5.3f", sc.clusters, sc.bcubed_p, sc.bcubed_r,
                   partition_f1(sc.bcubed_p, sc.bcubed_r));
        else
            printf("%8s %5s %5s %5s", "-", "-", "-", "-");
        printf(" | %7ld %7.0f\n", peak_mb(), file_mb(db));
        fflush(stdout);
        if (target == upto)
            break;
    }
    printf("\n(stories: %ld; +then: the next %ld articles of the stream as one batch, by stage:"
           " ingest = ingest, clean and sketch (with the facts extraction); rest = the facts"
           " stage and the commit)\n", have ? (long)s.story[have - 1] + 1 : 0, then);
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
