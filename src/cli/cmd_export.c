/* cmd_export.c — `export`: everything in a machine-readable form, on stdout. */
#include <string.h>
#include <unistd.h> /* isatty */

#include "cli.h"

int cmd_export(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] export [--format jsonl|csv] [--what articles|quotes]\n"
        "Write every article with its cleaned text and facts to stdout: JSON Lines\n"
        "(default; one article object per line, with `facts`) or CSV with a header row\n"
        "(without facts). --what quotes: every quote of every event instead, as quote\n"
        "objects (docs/output.md) or CSV rows, one per article of each variant.\n"
        "--what events: not yet built.\n";
    int rc = cli_parse(c, argc, argv, help, OPT_EXPORT, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    const char *format = c->format ? c->format : "jsonl";
    const char *what = c->what ? c->what : "articles";
    sl_format fmt;
    if (!strcmp(format, "jsonl"))
        fmt = SL_FORMAT_JSONL;
    else if (!strcmp(format, "csv"))
        fmt = SL_FORMAT_CSV;
    else if (!strcmp(format, "json"))
        fmt = SL_FORMAT_JSON;
    else {
        cli_error("export: unknown format '%s' (jsonl or csv)", format);
        return EXIT_FAILED;
    }
    if (!strcmp(what, "events")) {
        cli_error("export --what %s is not yet built", what);
        return EXIT_FAILED;
    }
    int quotes = !strcmp(what, "quotes");
    if (!quotes && strcmp(what, "articles")) {
        cli_error("export: unknown --what '%s' (articles, events or quotes)", what);
        return EXIT_FAILED;
    }
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    /* CSV holds article data as it is: on a terminal it goes through the terminal filter
     * (JSON has its own escapes). Into a file or a pipe it is written unchanged. */
    int tty = fmt == SL_FORMAT_CSV && isatty(STDOUT_FILENO);
    sl_write_fn out = tty ? cli_write_terminal : cli_write_file;
    sl_error err = quotes ? sl_write_quotes(st, fmt, out, stdout)
                          : sl_write_articles(st, fmt,
                                              SL_WITH_TEXT |
                                                  (fmt == SL_FORMAT_CSV ? 0 : SL_WITH_FACTS),
                                              out, stdout);
    if (!err && fflush(stdout))
        err = SL_ERR_WRITE;
    if (err)
        cli_store_error(st, "export failed", err);
    sl_store_free(st);
    return err ? EXIT_FAILED : EXIT_ALL_OK;
}
