/* cmd_stats.c — `stats`: counts, sizes, the last batch, and the bytes by group of tables
 * (docs/store-size.md). */
#include <string.h>
#include <unistd.h> /* isatty */

#include "cli.h"

int cmd_stats(cli *c, int argc, char **argv)
{
    static const char help[] = "usage: storyline [--db PATH] stats [--json]\n"
                               "Counts and sizes of the store, and what the last batch did;\n"
                               "its bytes by group of tables (texts, facts, events, dedup,\n"
                               "search, other), in all and per article (every page is read).\n";
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    if (c->json) {
        sl_error err = sl_write_stats_bytes(st, 1, cli_write_file, stdout);
        if (err)
            cli_store_error(st, "cannot read the store", err);
        sl_store_free(st);
        return err ? EXIT_FAILED : EXIT_ALL_OK;
    }
    sl_stats s;
    sl_store_bytes g;
    sl_error err = sl_store_stats(st, &s);
    if (!err)
        err = sl_store_bytes_by_group(st, &g);
    if (err) {
        cli_store_error(st, "cannot read the store", err);
        sl_store_free(st);
        return EXIT_FAILED;
    }
    int search = sl_store_has_search(st);
    sl_store_free(st);
    const sl_batch_summary *b = &s.last;
    double secs = b->seconds > 1e-6 ? b->seconds : 1e-6;
    double rate = (double)(b->added + b->updated + b->present + b->skipped) / secs;
    char size[32], bytes[32];
    printf("store       ");
    cli_put_safe(stdout, c->db, CLI_SAFE_LINE);
    printf(" (%s)\n", cli_bytes(s.store_bytes, size));
    printf("articles    %lld (%lld dated", s.articles, s.dated);
    if (s.dated)
        printf(", %s to %s", s.date_first, s.date_last);
    printf("), %lld characters of raw text\n", s.chars_raw);
    printf("sources     %lld\n", s.sources);
    printf("families    %lld (%lld articles)\n", s.families, s.family_members);
    printf("facts       %lld articles; %lld quotes, %lld entities in events\n", s.with_facts,
           s.quotes, s.entities);
    printf("batches     %lld\n", s.batches);
    if (s.batches)
        printf("last batch  %s: %lld added, %lld updated, %lld already present, %lld skipped;"
               " %lld files, %s in %.2f s (%.1f MB/s, %.0f articles/s)\n",
               s.last_at, b->added, b->updated, b->present, b->skipped, b->files,
               cli_bytes(b->bytes, bytes), b->seconds, (double)b->bytes / 1e6 / secs, rate);
    printf("search      %s\n",
           search ? "index on" : "index off (`storyline search-index on` builds it)");
    /* the pages by group of tables, and per article */
    const struct {
        const char *name;
        long long n;
    } groups[] = {{"texts", g.texts}, {"facts", g.facts},   {"events", g.events},
                  {"dedup", g.dedup}, {"search", g.search}, {"other", g.other}};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++) {
        printf("%-12s%-7s %10s", i ? "" : "space", groups[i].name, cli_bytes(groups[i].n, size));
        if (s.articles)
            printf(" (%s an article)", cli_bytes(groups[i].n / s.articles, bytes));
        putchar('\n');
    }
    return EXIT_ALL_OK;
}

static void clean_progress(void *user, long long done)
{
    if (user)
        fprintf(stderr, "\r\033[Kclean: %lld articles", done);
}

int cmd_clean(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] clean [--quiet]\n"
        "Clean every stored article again with the repetition statistics as they are now:\n"
        "lines that a site prints in many of its articles are learnt as its template as\n"
        "batches arrive, so earlier articles improve when cleaned again. One transaction.\n";
    int rc = cli_parse(c, argc, argv, help, 0, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st;
    sl_error err = cli_open_store(c->db, 0, &st);
    if (err)
        return EXIT_FAILED;
    long long n = 0;
    int tty = !c->quiet && isatty(STDERR_FILENO);
    err = sl_store_reclean(st, clean_progress, tty ? st : NULL, &n);
    if (tty)
        fputs("\r\033[K", stderr);
    if (err)
        cli_store_error(st, "clean failed, nothing changed", err);
    else
        printf("%lld articles cleaned\n", n);
    sl_store_free(st);
    return err ? EXIT_FAILED : EXIT_ALL_OK;
}

int cmd_compact(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] compact [--json]\n"
        "Rewrite the store's file without its free pages and with its tables' pages full\n"
        "(SQLite's VACUUM): after `search-index off`, a migration or a large load, a\n"
        "smaller file that reads the same. Reads and writes the whole store (minutes at a\n"
        "million articles); needs free room on its disk of about the store's size, and no\n"
        "other storyline on the store meanwhile. Prints the file's size before and after\n"
        "(--json: {\"bytes_before\": N, \"bytes_after\": N}).\n";
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = NULL;
    /* (a store made before the search index is not given one here) */
    if (cli_open_store(c->db, SL_OPEN_NO_SEARCH, &st))
        return EXIT_FAILED;
    if (!c->quiet)
        cli_error("compacting %s...", c->db);
    long long before = 0, after = 0;
    sl_error err = sl_store_compact(st, &before, &after);
    if (err)
        cli_store_error(st, "cannot compact the store", err);
    sl_store_free(st);
    if (err)
        return cli_finish(EXIT_FAILED);
    if (c->json) {
        printf("{\"bytes_before\": %lld, \"bytes_after\": %lld}\n", before, after);
    } else {
        char b1[32], b2[32];
        printf("%s -> %s (%.1f%% smaller)\n", cli_bytes(before, b1), cli_bytes(after, b2),
               before > 0 ? 100.0 * (double)(before - after) / (double)before : 0.0);
    }
    return cli_finish(EXIT_ALL_OK);
}
