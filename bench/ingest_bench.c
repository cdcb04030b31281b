/* ingest_bench — ingest throughput on a generated corpus.
 *
 * Prints, for N generated articles (default 100,000, about 3 kB each):
 *   - the text path alone (NFKC/case-fold normalisation + XXH3 hash), one core,
 *   - the cleaner alone, the sketcher alone and the facts extractors alone, one core,
 *   - a full `add` through the public API into a fresh store (parse JSON Lines,
 *     validate, normalise, hash, store, clean, sketch, match, cluster, facts, commit),
 *     and where its time went, stage by stage,
 *   - the same batch added again (every article already present),
 * with MB/s, articles/s, peak resident memory and the store's size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clean/clean.h"
#include "core/buf.h"
#include "corpus.h"
#include "facts/facts.h"
#include "sketch/sketch.h"
#include "storyline.h"
#include "text/normalize.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static long long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static void row(const char *what, long long articles, long long bytes, double secs)
{
    printf("%-34s %10lld %9.1f %9.2f %10.1f %12.0f %8ld\n", what, articles, (double)bytes / 1e6,
           secs, (double)bytes / 1e6 / secs, (double)articles / secs, peak_rss_mb());
}

static int add(const char *db, const char *corpus_path, sl_batch_summary *sum)
{
    sl_store *st;
    sl_batch *b;
    sl_error err = sl_store_open(db, SL_OPEN_CREATE, &st);
    if (!err)
        err = sl_batch_begin(st, NULL, &b);
    if (!err) {
        err = sl_batch_add_path(b, corpus_path);
        if (!err)
            err = sl_batch_commit(b, sum);
        sl_batch_free(b);
    }
    if (err)
        fprintf(stderr, "ingest_bench: %s: %s\n", sl_strerror(err), sl_store_errmsg(st));
    sl_store_free(st);
    return err != SL_OK;
}

/* Where an add's time went. The facts stage's own figures are in the summary once the
 * pipeline runs it (SL_BENCH_FACTS: sl_batch_summary.facts_seconds, the stage after
 * clustering, and facts_extract_seconds, the extraction's processor time, which runs
 * beside the match and the placing); without them the facts stage is in "rest". */
static void stages(const sl_batch_summary *s)
{
    double rest = s->seconds - s->ingest_seconds - s->clean_seconds - s->match_seconds -
                  s->cluster_seconds;
    printf("  %-32s %9.2f s\n", "read+store (ingest)", s->ingest_seconds);
    printf("  %-32s %9.2f s\n", "clean+sketch", s->clean_seconds);
    printf("  %-32s %9.2f s\n", "match", s->match_seconds);
    printf("  %-32s %9.2f s\n", "cluster", s->cluster_seconds);
#ifdef SL_BENCH_FACTS
    rest -= s->facts_seconds;
    printf("  %-32s %9.2f s\n", "facts (events' quotes, stored)", s->facts_seconds);
    printf("  %-32s %9.2f s\n", "  facts extraction, CPU", s->facts_extract_seconds);
    /* The extraction runs beside the match and the placing, on a thread of its own at
     * the lowest priority (pipeline/facts_queue.h); what it has not done when the facts
     * stage begins, the stage does (within facts_seconds). So what facts add lies between
     * the stage alone (the extraction hidden beside the placing) and the stage with all
     * of the extraction on top (none of it hidden). */
    double est = s->facts_seconds;
    double worst = s->facts_seconds + s->facts_extract_seconds;
    printf("  %-32s %9.1f %%  (the stage, the extraction beside the placing; against the"
           " rest of add)\n", "facts adds", s->seconds > est ? 100.0 * est / (s->seconds - est) : 0);
    printf("  %-32s %9.1f %%  (the extraction not hidden at all)\n", "  at worst",
           s->seconds > worst ? 100.0 * worst / (s->seconds - est) : 0);
#endif
    printf("  %-32s %9.2f s\n", "rest (commit)", rest);
}

int main(int argc, char **argv)
{
    unsigned long long n = 100000, avg = 3000;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--articles") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--avg-bytes") && i + 1 < argc)
            avg = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else {
            fputs("usage: ingest_bench [--articles N] [--avg-bytes B] [--dir SCRATCH]\n", stderr);
            return 2;
        }
    }
    char tmpl[] = "/tmp/storyline-bench-XXXXXX";
    if (!dir && !(dir = mkdtemp(tmpl))) {
        perror("mkdtemp");
        return 1;
    }
    char corpus_path[4096], db[4096];
    snprintf(corpus_path, sizeof corpus_path, "%s/corpus.jsonl", dir);
    snprintf(db, sizeof db, "%s/bench.db", dir);

    /* The corpus, written once (not timed). */
    corpus *c = corpus_create(42, avg);
    FILE *f = fopen(corpus_path, "w");
    if (!c || !f) {
        perror(corpus_path);
        return 1;
    }
    corpus_article a;
    for (unsigned long long k = 0; k < n; k++) {
        corpus_article_n(c, k, &a);
        corpus_write_jsonl(f, &a);
    }
    fclose(f);
    long long corpus_bytes = file_size(corpus_path);

    printf("storyline %s ingest benchmark: %llu generated articles, %.1f MB of JSON Lines\n\n",
           sl_version(), n, (double)corpus_bytes / 1e6);
    printf("%-34s %10s %9s %9s %10s %12s %8s\n", "stage", "articles", "MB", "seconds", "MB/s",
           "articles/s", "peakMB");

    /* The text path alone, in memory, on one core. */
    buf norm;
    sli_buf_init(&norm, BUF_UNLIMITED);
    unsigned long long m = n < 50000 ? n : 50000;
    long long text_bytes = 0;
    double t_text = 0;
    unsigned char h[16];
    for (unsigned long long k = 0; k < m; k++) {
        corpus_article_n(c, k, &a);
        double t0 = now();
        sli_buf_clear(&norm);
        sli_text_normalize(a.text, a.text_len, &norm);
        sli_text_hash128(norm.data, norm.len, h);
        t_text += now() - t0;
        text_bytes += (long long)a.text_len;
    }
    sli_buf_free(&norm);
    row("normalise+hash (1 core)", (long long)m, text_bytes, t_text);

    /* The cleaner alone: split into lines (normalised and hashed) and label them. */
    clean_result cr;
    sli_clean_result_init(&cr, BUF_UNLIMITED);
    clean_input in = {NULL, 1, NULL, NULL};
    double t_clean = 0;
    for (unsigned long long k = 0; k < m; k++) {
        corpus_article_n(c, k, &a);
        double t0 = now();
        sli_clean_split(a.text, a.text_len, &cr, NULL);
        sli_clean_label_lines(a.text, a.text_len, &in, &cr);
        t_clean += now() - t0;
    }
    sli_clean_result_free(&cr);
    row("clean: split+label (1 core)", (long long)m, text_bytes, t_clean);

    /* Sketching: word 5-shingles and a 128-value MinHash of the normalised text. */
    sli_buf_init(&norm, BUF_UNLIMITED);
    double t_sketch = 0;
    long long norm_bytes = 0;
    sketch sk;
    for (unsigned long long k = 0; k < m; k++) {
        corpus_article_n(c, k, &a);
        sli_buf_clear(&norm);
        sli_text_normalize(a.text, a.text_len, &norm);
        double t0 = now();
        sli_sketch_text(norm.data, norm.len, &sk);
        t_sketch += now() - t0;
        norm_bytes += (long long)norm.len;
    }
    sli_buf_free(&norm);
    row("sketch: MinHash-128 (1 core)", (long long)m, norm_bytes, t_sketch);

    /* The facts extractors (entities, quotes, amounts, dates) on the raw text. */
    sli_facts_ctx *fctx = NULL;
    if (sli_facts_ctx_create(&fctx) != SL_OK) {
        fputs("ingest_bench: out of memory\n", stderr);
        return 1;
    }
    double t_facts = 0;
    long long n_quotes = 0, n_entities = 0, n_amounts = 0, n_dates = 0;
    for (unsigned long long k = 0; k < m; k++) {
        corpus_article_n(c, k, &a);
        sli_facts fa = {0};
        double t0 = now();
        sli_facts_extract(fctx, a.text, a.text_len, a.date, &fa);
        t_facts += now() - t0;
        n_quotes += (long long)fa.n_quotes;
        n_entities += (long long)fa.n_entities;
        n_amounts += (long long)fa.n_amounts;
        n_dates += (long long)fa.n_dates;
        sli_facts_clear(&fa);
    }
    sli_facts_ctx_free(fctx);
    corpus_free(c);
    row("facts: extract (1 core)", (long long)m, text_bytes, t_facts);
    printf("%-34s %lld quotes, %lld entities, %lld amounts, %lld dates\n", "  found", n_quotes,
           n_entities, n_amounts, n_dates);

    unlink(db);
    sl_batch_summary sum;
    double t0 = now();
    if (add(db, corpus_path, &sum))
        return 1;
    row("add: new store", sum.added, sum.bytes, now() - t0);
    stages(&sum);
    t0 = now();
    if (add(db, corpus_path, &sum))
        return 1;
    row("add again: all already present", sum.present, sum.bytes, now() - t0);
    long long store_bytes = file_size(db);
    strcat(db, "-wal");
    store_bytes += file_size(db);
    printf("\nstore size: %.1f MB (%.2f x the input); %lld added, %lld present, %lld skipped\n",
           (double)store_bytes / 1e6, (double)store_bytes / (double)corpus_bytes, sum.added,
           sum.present, sum.skipped);
    if (dir == tmpl) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "ingest_bench: could not remove %s\n", dir);
    }
    return 0;
}
