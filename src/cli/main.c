/* main.c — the storyline command: global options, then one command. */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: storyline [--db PATH] [--quiet] COMMAND [ARGS]\n"
    "\n"
    "Turns scraped news articles into clean, deduplicated, dated stories.\n"
    "\n"
    "commands:\n"
    "  run PATH...              ingest into a temporary store and print a report\n"
    "  add PATH...              ingest into the store (incremental; a batch is atomic)\n"
    "  articles [--json]        articles with id, source, date, title, cleaned length\n"
    "  article ID [--json]      one article: metadata, cleaned text and facts\n"
    "  article ID --explain     every raw line, kept or dropped, and why\n"
    "  export [--format jsonl|csv] [--what articles|quotes]\n"
    "                           every article with its text and facts, or every\n"
    "                           quote, to stdout\n"
    "  stats [--json]           counts, sizes, and the last batch\n"
    "  compact [--json]         rewrite the store's file without its free pages\n"
    "  clean                    clean every article again with what the store has learnt\n"
    "  dups [--json]            syndication families: origin and copies, with similarity\n"
    "  events [--json]          events, newest first, with their articles\n"
    "  event ID [--json]        one event: headline, dates, storyline, timeline,\n"
    "                           quotes and entities\n"
    "  storylines [--json]      storylines: events linked over months, in time order\n"
    "  storyline ID [--json]    one storyline: its events in date order\n"
    "  search [--json] [--limit N] [--offset N] QUERY\n"
    "                           articles holding every word of QUERY, best first\n"
    "  search-index [--json] [on|off]\n"
    "                           whether the store has its search index; build or drop it\n"
    "  quotes [--json]          quotes, speakers, and the wordings each outlet printed\n"
    "  serve [--port N]         the HTTP API and the web page (storyline serve --help)\n"
    "\n"
    "inputs (PATH): a .txt file or one with no extension (one article; an optional first\n"
    "line ' date YYYY-MM-DD' gives its date), a .jsonl/.ndjson file (one article object per\n"
    "line), a directory (walked recursively), or - for JSON Lines on standard input.\n"
    "\n"
    "options:\n"
    "  --db PATH      the store (default ./storyline.db)\n"
    "  --quiet, -q    no progress display and no per-input messages\n"
    "  --help, -h     this help\n"
    "  --version      the version\n"
    "\n"
    "exit status: 0 all done; 1 some inputs skipped (or an asked-for article absent);\n"
    "2 nothing usable, a usage error, or a failure.\n";

static const struct {
    const char *name;
    cli_command_fn fn;
} commands[] = {
    {"run", cmd_run},           {"add", cmd_add},
    {"articles", cmd_articles}, {"article", cmd_article},
    {"export", cmd_export},     {"stats", cmd_stats},
    {"compact", cmd_compact},
    {"clean", cmd_clean},
    {"dups", cmd_dups},         {"events", cmd_events},
    {"event", cmd_event},       {"storylines", cmd_storylines},
    {"quotes", cmd_quotes},     {"serve", cmd_serve},
    {"storyline", cmd_storyline}, {"search", cmd_search},
    {"search-index", cmd_search_index},
};

int main(int argc, char **argv)
{
    cli c = {.db = "storyline.db", .slice = -1, .prog = argv[0]};
    sl_global_init(); /* the process is the command's: first, before any store is opened */
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return cli_finish(EXIT_ALL_OK);
        } else if (!strcmp(a, "--version")) {
            printf("storyline %s\n", sl_version());
            return cli_finish(EXIT_ALL_OK);
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            c.quiet = 1;
        } else if (!strcmp(a, "--db") && i + 1 < argc) {
            c.db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            c.db = a + 5;
        } else {
            cli_error("unknown option '%s' (see storyline --help)", a);
            return EXIT_FAILED;
        }
    }
    if (i == argc) {
        fputs(usage, stderr);
        return EXIT_FAILED;
    }
    if (!strcmp(argv[i], "add") || !strcmp(argv[i], "clean") || !strcmp(argv[i], "run"))
        cli_huge_pages(argv);
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(argv[i], commands[k].name))
            return cli_finish(commands[k].fn(&c, argc - i, argv + i));
    cli_error("unknown command '%s' (see storyline --help)", argv[i]);
    return EXIT_FAILED;
}
