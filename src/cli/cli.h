/* cli.h — shared pieces of the storyline command (the CLI only calls the public API). */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <stdio.h>
#include "storyline.h"

/* Exit codes (the command-line contract): */
enum {
    EXIT_ALL_OK = 0,  /* everything done */
    EXIT_PARTIAL = 1, /* done, but some inputs were skipped, or the asked-for item is absent */
    EXIT_FAILED = 2   /* nothing usable, a usage error, or a failure */
};

typedef struct cli {
    const char *db;  /* store path */
    int json;        /* --json given */
    int quiet;       /* --quiet: no progress, no per-input messages */
    size_t max_article_bytes; /* --max-article-bytes; 0: the library's default */
    long long slice;          /* --slice N; -1: not given (CLI_DEFAULT_SLICE) */
    const char *format;       /* export --format */
    const char *what;         /* export --what */
    int explain;              /* article --explain */
    int no_search;            /* add --no-search */
    long long limit, offset;  /* --limit N, --offset N (OPT_PAGE); limit 0: not given */
    const char *prog;
} cli;

/* A command: runs with its own arguments (argv[0] is the command name). */
typedef int (*cli_command_fn)(cli *c, int argc, char **argv);

int cmd_add(cli *c, int argc, char **argv);
int cmd_run(cli *c, int argc, char **argv);
int cmd_articles(cli *c, int argc, char **argv);
int cmd_article(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_stats(cli *c, int argc, char **argv);
int cmd_compact(cli *c, int argc, char **argv);
int cmd_clean(cli *c, int argc, char **argv);
int cmd_dups(cli *c, int argc, char **argv);
int cmd_events(cli *c, int argc, char **argv);
int cmd_event(cli *c, int argc, char **argv);
int cmd_storylines(cli *c, int argc, char **argv);
int cmd_storyline(cli *c, int argc, char **argv);
int cmd_search(cli *c, int argc, char **argv);
int cmd_search_index(cli *c, int argc, char **argv);
int cmd_quotes(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);

/* Options a command takes: each flag below that is set in `options` is accepted. */
enum {
    OPT_JSON = 1u << 0,        /* --json */
    OPT_MAX_ARTICLE = 1u << 1, /* --max-article-bytes N */
    OPT_EXPORT = 1u << 2,      /* --format F, --what W */
    OPT_EXPLAIN = 1u << 3,     /* --explain */
    OPT_SLICE = 1u << 4,       /* --slice N */
    OPT_PAGE = 1u << 5,        /* --limit N, --offset N */
    OPT_NO_SEARCH = 1u << 6    /* --no-search */
};

/* Articles per slice of `add` and `run` without --slice, and unless --slice is given a
 * slice is at least 1/CLI_SLICE_GROW of the store's articles (storyline.h). */
#define CLI_DEFAULT_SLICE SL_SLICE_DEFAULT_ARTICLES
#define CLI_SLICE_GROW SL_SLICE_DEFAULT_GROW

/* Parse a command's arguments (argv[0] is its name): --help (prints `help`), --db PATH,
 * --quiet, the options in `options`, then between min_pos and max_pos positional
 * arguments, stored in pos[] (room for max_pos) and counted in *npos ("--" ends the
 * options). Returns -1 to go on, otherwise the exit code to return at once. */
int cli_parse(cli *c, int argc, char **argv, const char *help, unsigned options,
              const char **pos, int min_pos, int max_pos, int *npos);

/* Text from articles and file names on a terminal (output.c says what is escaped, how):
 * CLI_SAFE_LINE  a single-line field or message: newline, CR and tab escaped too;
 * CLI_SAFE_TEXT  text that has lines (an article's body): newlines and tabs kept;
 * CLI_SAFE_CELL  a listing cell: newline, CR and tab become a space. */
enum { CLI_SAFE_LINE, CLI_SAFE_TEXT, CLI_SAFE_CELL };
#define CLI_SAFE_MAX 16 /* room for the longest form of one code point, "\u{HHHH}" */

/* What the code point at s[0..n) (n > 0) is printed as, in mode: its own bytes when
 * safe, else an escape, NUL-terminated in out. Returns the bytes of s it stands for. */
size_t cli_safe_next(const char *s, size_t n, int mode, char out[CLI_SAFE_MAX]);

/* Print s (NULL: nothing) made safe for a terminal in mode. */
void cli_put_safe(FILE *f, const char *s, int mode);
/* The same for n bytes of s (NUL bytes, if any, written as escapes). */
void cli_write_safe(FILE *f, const char *s, size_t n, int mode);

/* Messages on stderr, prefixed "storyline: ", the whole message made safe (LINE). */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Open the store at path (sl_store_open's flags); prints why on failure. */
sl_error cli_open_store(const char *path, unsigned flags, sl_store **out);

/* Open the store for reading; prints why on failure and returns NULL. */
sl_store *cli_open_readonly(const cli *c);

/* "WHAT: <error>: <the store's message, which names the file>" on stderr. */
void cli_store_error(sl_store *st, const char *what, sl_error err);

/* One quote as `quotes` lists it (an sl_quote_fn; user: a prefix for each line, or
 * NULL). */
int cli_print_quote(void *user, const sl_quote *q);

/* One event and its articles, as `events` lists them (an sl_event_fn; user unused). */
int cli_print_event(void *user, const sl_event *e);
/* The same, then the event's summary (the `run` report). */
int cli_print_event_summary(void *user, const sl_event *e);

/* A listing command, `NAME [--json]`: the store opened for reading, then json() to
 * stdout with --json, else text(). `what` names the listing in an error message. */
int cli_list(cli *c, int argc, char **argv, const char *help, const char *what,
             sl_error (*json)(sl_store *st, sl_write_fn fn, void *user),
             sl_error (*text)(sl_store *st));

/* Flush stdout; the exit code `rc`, or EXIT_FAILED (after a message) if writing failed. */
int cli_finish(int rc);

/* sl_write_fn that writes to a FILE *. */
int cli_write_file(void *user, const char *data, size_t len);
/* An sl_write_fn onto a terminal (user: the FILE *): what it is given made safe (text
 * mode, a line's closing CR kept), for output that is not JSON (CSV). */
int cli_write_terminal(void *user, const char *data, size_t len);

/* Human-readable byte count ("12.3 MB") into out[32]. */
const char *cli_bytes(long long n, char out[32]);

/* Print at most `width` columns of text s made safe (CELL), padded with spaces to `width`
 * if pad; NULL prints "-". */
void cli_print_cell(FILE *f, const char *s, int width, int pad);

/* For a command that loads (add, clean, run): start the process again with glibc's heap on
 * huge pages, if it can and was not (huge_pages.c says when not). Returns only when it
 * did not. */
void cli_huge_pages(char **argv);

/* Progress bar on a terminal (stderr); silent when stderr is not a terminal. */
typedef struct progress progress;
progress *progress_create(const char *label, int enabled);
void progress_update(void *user, const sl_progress *p);
/* Erase the line before printing a message under it. */
void progress_clear(progress *p);
void progress_done(progress *p);

#endif
