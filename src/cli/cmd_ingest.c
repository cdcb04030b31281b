/* cmd_ingest.c — `add` (into the store) and `run` (into a temporary store, then report). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Per-input messages shown before the rest are only counted. */
#define MAX_SHOWN_REPORTS 100

typedef struct ingest_ui {
    progress *bar;
    int quiet;
    long long reports;
    char last[512]; /* the last report, said even with --quiet when it stopped the batch */
    int last_shown; /* whether it was printed as it came */
} ingest_ui;

static void on_report(void *user, const sl_report *r)
{
    ingest_ui *ui = user;
    snprintf(ui->last, sizeof ui->last, "%s: %s", r->path, r->detail);
    ui->last_shown = 0;
    if (ui->quiet || ++ui->reports > MAX_SHOWN_REPORTS)
        return;
    ui->last_shown = 1;
    progress_clear(ui->bar);
    /* cli_error makes the file name safe for the terminal. */
    if (r->line)
        cli_error("%s:%ld: %s", r->path, r->line, r->detail);
    else if (r->offset >= 0 && (r->code == SL_ERR_UTF8 || r->code == SL_ERR_BINARY))
        cli_error("%s: byte %lld: %s", r->path, r->offset, r->detail);
    else
        cli_error("%s: %s", r->path, r->detail);
    if (ui->reports == MAX_SHOWN_REPORTS)
        cli_error("(further problems are counted, not shown)");
}

static void on_progress(void *user, const sl_progress *p)
{
    progress_update(((ingest_ui *)user)->bar, p);
}

/* Ingest `paths` into `store` as one batch. Fills *sum; returns an exit code. */
static int ingest(cli *c, sl_store *store, int npaths, const char **paths,
                  sl_batch_summary *sum)
{
    ingest_ui ui = {progress_create("ingest", !c->quiet), c->quiet, 0, "", 0};
    sl_ingest_options opt = {c->max_article_bytes, on_report, on_progress, &ui};
    opt.slice_articles = c->slice >= 0 ? c->slice : CLI_DEFAULT_SLICE;
    opt.slice_grow = c->slice >= 0 ? 0 : CLI_SLICE_GROW;
    sl_batch *batch;
    sl_error err = sl_batch_begin(store, &opt, &batch);
    if (err) {
        progress_done(ui.bar);
        cli_store_error(store, "cannot start a batch", err);
        return EXIT_FAILED;
    }
    for (int i = 0; i < npaths && !err; i++)
        err = sl_batch_add_path(batch, paths[i]);
    if (!err)
        err = sl_batch_commit(batch, sum);
    if (err)
        sl_batch_peek(batch, sum); /* what was read, for the summary */
    sl_batch_free(batch);
    progress_done(ui.bar);
    if (ui.reports > MAX_SHOWN_REPORTS && !c->quiet)
        cli_error("%lld problems in all", ui.reports);
    if (err) {
        /* The input problem that stopped the batch (SL_ERR_IO: out of file handles; any
         * other error is not an input's, and the last report then did not stop it),
         * unless it was printed already: with --quiet, or past MAX_SHOWN_REPORTS. */
        if (err == SL_ERR_IO && ui.last[0] && !ui.last_shown)
            cli_error("%s", ui.last);
        if (!sum->slices) {
            cli_store_error(store, "batch failed, nothing was added", err);
            /* Rolled back: the summary must not claim what the store does not hold. */
            *sum = (sl_batch_summary){.skipped = sum->skipped, .files = sum->files,
                                      .bytes = sum->bytes, .seconds = sum->seconds};
        } else {
            /* The slices committed stay; the counts are those read, the last slice's
             * articles among them but not stored. */
            char what[320];
            snprintf(what, sizeof what,
                     "batch failed: its first %lld slice%s stay%s, the last was rolled back"
                     " (adding the same inputs again goes on from there; the quotes,"
                     " entities and summaries of the events they touched may wait for it)",
                     sum->slices, sum->slices == 1 ? "" : "s", sum->slices == 1 ? "s" : "");
            cli_store_error(store, what, err);
        }
        return EXIT_FAILED;
    }
    if (sum->empty && !c->quiet)
        cli_error("%lld article%s left with no text by cleaning (every line boilerplate):"
                  " kept, with 0 characters of text",
                  sum->empty, sum->empty == 1 ? " is" : "s are");
    if (sum->added + sum->updated + sum->present == 0)
        return EXIT_FAILED;
    return sum->skipped ? EXIT_PARTIAL : EXIT_ALL_OK;
}

static void print_summary(FILE *f, const sl_batch_summary *s)
{
    char bytes[32];
    fprintf(f, "%lld added, ", s->added);
    if (s->updated)
        fprintf(f, "%lld updated, ", s->updated);
    fprintf(f, "%lld already present, %lld skipped", s->present, s->skipped);
    if (s->warc_not_response + s->warc_not_ok + s->warc_not_html)
        fprintf(f, ", %lld WARC records passed over (%lld not responses, %lld not 200, "
                   "%lld not HTML)", s->warc_not_response + s->warc_not_ok + s->warc_not_html,
                s->warc_not_response, s->warc_not_ok, s->warc_not_html);
    if (s->seconds <= 0) { /* nothing was run: no rates */
        fprintf(f, " (%lld files, %s)\n", s->files, cli_bytes(s->bytes, bytes));
        return;
    }
    double secs = s->seconds > 1e-6 ? s->seconds : 1e-6;
    fprintf(f, " (%lld files, %s in %.2f s, %.1f MB/s, %.0f articles/s)\n", s->files,
            cli_bytes(s->bytes, bytes), s->seconds, (double)s->bytes / 1e6 / secs,
            (double)(s->added + s->updated + s->present + s->skipped) / secs);
}

static void summary_json(const sl_batch_summary *s)
{
    printf("{\"added\": %lld, \"updated\": %lld, \"present\": %lld, \"skipped\": %lld,"
           " \"empty\": %lld, \"files\": %lld, \"bytes\": %lld, \"seconds\": %.3f",
           s->added, s->updated, s->present, s->skipped, s->empty, s->files, s->bytes,
           s->seconds);
    if (s->warc_records)
        printf(", \"warc_records\": %lld, \"warc_not_response\": %lld, \"warc_not_200\": %lld,"
               " \"warc_not_html\": %lld", s->warc_records, s->warc_not_response,
               s->warc_not_ok, s->warc_not_html);
    /* Where the time went (sl_batch_summary's stages): bench/curve.sh reads it. */
    printf(", \"stage_seconds\": {\"ingest\": %.3f, \"clean\": %.3f, \"match\": %.3f,"
           " \"cluster\": %.3f, \"facts\": %.3f, \"present\": %.3f, \"commit\": %.3f}",
           s->ingest_seconds, s->clean_seconds, s->match_seconds, s->cluster_seconds,
           s->facts_seconds, s->present_seconds, s->commit_seconds);
    printf("}\n");
}

/* Inputs that reading could block on forever (a FIFO, a socket, a device) are refused
 * here, before the store is opened and its write lock taken; the library refuses them
 * too (met in a directory, or put in place of a file meanwhile) without blocking.
 * Removes them from paths; returns how many were refused. */
static long long refuse_special(const cli *c, const char **paths, int *npaths)
{
    long long refused = 0;
    int k = 0;
    for (int i = 0; i < *npaths; i++) {
        const char *why;
        if (sl_input_check(paths[i], &why) == SL_ERR_UNSUPPORTED) {
            if (!c->quiet)
                cli_error("%s: %s", paths[i], why);
            refused++;
        } else {
            paths[k++] = paths[i];
        }
    }
    *npaths = k;
    return refused;
}

/* The exit code once `refused` inputs were refused before the batch. */
static int with_refused(int rc, long long refused)
{
    return refused && rc == EXIT_ALL_OK ? EXIT_PARTIAL : rc;
}

/* Shared argument parsing of add and run: options, then at least one path. Returns -1 to
 * go on, else an exit code; *paths is to be freed in both cases. */
static int parse_paths(cli *c, int argc, char **argv, const char *help, unsigned options,
                       const char ***paths, int *npaths)
{
    *paths = calloc((size_t)argc, sizeof **paths);
    if (!*paths) {
        cli_error("%s", sl_strerror(SL_ERR_NOMEM));
        return EXIT_FAILED;
    }
    return cli_parse(c, argc, argv, help, options, *paths, 1, argc, npaths);
}

int cmd_add(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] add [--json] [--quiet] [--max-article-bytes N]\n"
        "                 [--slice N] [--no-search] PATH...\n"
        "Ingest files, directories or - (JSON Lines on stdin) into the store in atomic\n"
        "slices. An article already stored is left as it is when its text is the same\n"
        "(same id, or same source under another id), and updated when its id comes with\n"
        "a changed text. Prints\n"
        "'N added, M already present, K skipped' (--json: the same as an object).\n"
        "Problems with single inputs are reported as FILE[:LINE] on stderr and skipped.\n"
        "--max-article-bytes N: skip articles (files, JSON lines) larger than N bytes\n"
        "(suffix k or M; default 64M).\n"
        "--slice N: commit every N articles added or updated as a batch of its own, then\n"
        "go on reading (memory stays bounded whatever the input's size; a failure or a\n"
        "kill loses only the current slice, and adding the same inputs again goes on\n"
        "where it stopped); 0: the whole add in one transaction. Default: 5000, or 1/25\n"
        "of the articles the store holds when that is more (at most 50000): a slice's\n"
        "commit costs more as the store grows, and larger slices pay it less often.\n"
        "--no-search: make the store without its full-text search index (about a fifth\n"
        "smaller, and a first load 6-10% less CPU time; `storyline search-index on`\n"
        "builds it later); a store that has the index is refused.\n"
        "Other commands can read the store meanwhile, except during the first add into an\n"
        "empty store, which holds it alone until it commits (a faster bulk load).\n";
    const char **paths;
    int npaths;
    int rc = parse_paths(c, argc, argv, help,
                         OPT_JSON | OPT_MAX_ARTICLE | OPT_SLICE | OPT_NO_SEARCH, &paths, &npaths);
    if (rc >= 0) {
        free(paths);
        return rc;
    }
    sl_batch_summary sum = {0};
    long long refused = refuse_special(c, paths, &npaths);
    if (!npaths) { /* nothing left to read: the store is not touched */
        sum.skipped = refused;
        if (c->json)
            summary_json(&sum);
        else
            print_summary(stdout, &sum);
        free(paths);
        return EXIT_FAILED;
    }
    sl_store *store;
    sl_error err =
        cli_open_store(c->db, SL_OPEN_CREATE | (c->no_search ? SL_OPEN_NO_SEARCH : 0), &store);
    if (err) {
        free(paths);
        return EXIT_FAILED;
    }
    if (c->no_search && sl_store_has_search(store)) {
        cli_error("--no-search: the store %s has a search index (`storyline --db %s"
                  " search-index off` drops it)", c->db, c->db);
        sl_store_free(store);
        free(paths);
        return EXIT_FAILED;
    }
    rc = with_refused(ingest(c, store, npaths, paths, &sum), refused);
    sum.skipped += refused;
    if (c->json)
        summary_json(&sum);
    else
        print_summary(stdout, &sum);
    sl_store_free(store);
    free(paths);
    return rc;
}

/* --- run: the one-shot report --- */

static int print_source(void *user, const char *source, long long n, const char *first,
                        const char *last)
{
    (void)user;
    printf("  ");
    cli_print_cell(stdout, source, 28, 1);
    printf(" %5lld  %s .. %s\n", n, first ? first : "undated", last ? last : "undated");
    return 0;
}

static int print_article_line(void *user, const sl_article *a)
{
    (void)user;
    printf("  %-10.10s  ", a->date ? a->date : "undated");
    cli_print_cell(stdout, a->source, 24, 1);
    printf(" %6lld  ", a->chars_clean);
    cli_print_cell(stdout, a->title ? a->title : a->id, 60, 0);
    putchar('\n');
    return 0;
}

static int print_family_line(void *user, const char *family, const sl_family_member *m,
                             size_t n)
{
    ++*(int *)user;
    printf("  %s, %zu articles\n", family, n);
    for (size_t i = 0; i < n; i++) {
        printf("    %-10s", m[i].relation);
        cli_print_cell(stdout, m[i].article, 70, 0);
        putchar('\n');
    }
    return 0;
}

static int report(sl_store *store)
{
    sl_stats s;
    sl_error err = sl_store_stats(store, &s);
    if (err) {
        cli_store_error(store, "cannot read the store", err);
        return EXIT_FAILED;
    }
    printf("\nstoryline report: %lld articles from %lld sources", s.articles, s.sources);
    if (s.dated)
        printf(", %s to %s", s.date_first, s.date_last);
    if (s.articles - s.dated)
        printf(" (%lld undated)", s.articles - s.dated);
    printf("\n\nsources                          articles  dates\n");
    err = sl_store_each_source(store, print_source, NULL);
    if (!err) {
        printf("\narticles, by date                                chars  title\n");
        err = sl_store_each_article(store, 0, print_article_line, NULL);
    }
    if (!err) {
        printf("\nsyndication families (origin first)\n");
        int families = 0;
        err = sl_store_each_family(store, print_family_line, &families);
        if (!families)
            printf("  none\n");
    }
    if (!err) {
        printf("\nevents, newest first (id, dates, storyline, articles, headline; then its\n"
               "articles and its summary, > a sentence)\n");
        err = sl_store_each_event(store, cli_print_event_summary, NULL);
    }
    if (err) {
        fflush(stdout); /* the report so far, then why it stops */
        cli_store_error(store, "cannot finish the report", err);
        return EXIT_FAILED;
    }
    return EXIT_ALL_OK;
}

int cmd_run(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline run [--quiet] [--max-article-bytes N] [--slice N] PATH...\n"
        "Ingest PATHs into a temporary store (removed afterwards) and print a report:\n"
        "sources, articles by date, and what later stages find.\n"
        "--slice N: articles per committed slice, as for add (default 5000, growing\n"
        "with the store as for add; 0: one).\n";
    const char **paths;
    int npaths;
    int rc = parse_paths(c, argc, argv, help, OPT_MAX_ARTICLE | OPT_SLICE, &paths, &npaths);
    if (rc >= 0) {
        free(paths);
        return rc;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[4096], db[4200];
    snprintf(dir, sizeof dir, "%s/storyline-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        cli_error("cannot make a temporary directory in %s", tmp && *tmp ? tmp : "/tmp");
        free(paths);
        return EXIT_FAILED;
    }
    snprintf(db, sizeof db, "%s/run.db", dir);
    long long refused = refuse_special(c, paths, &npaths);
    sl_store *store; /* the report searches nothing: no index to fill */
    sl_error err = cli_open_store(db, SL_OPEN_CREATE | SL_OPEN_NO_SEARCH, &store);
    if (err) {
        rc = EXIT_FAILED;
    } else {
        sl_batch_summary sum = {0};
        rc = npaths ? with_refused(ingest(c, store, npaths, paths, &sum), refused) : EXIT_FAILED;
        sum.skipped += refused;
        printf("ingested: ");
        print_summary(stdout, &sum);
        if (rc != EXIT_FAILED) {
            int r = report(store);
            if (r)
                rc = r;
        }
        sl_store_free(store);
    }
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(db, sizeof db, "%s/run.db%s", dir, suffixes[i]);
        unlink(db);
    }
    rmdir(dir);
    free(paths);
    return rc;
}
