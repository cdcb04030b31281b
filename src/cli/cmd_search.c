/* cmd_search.c — `search QUERY`: full-text search over the articles. */
#include <string.h>

#include "cli.h"

typedef struct shown {
    long long n;
} shown;

/* The snippet on one line: the marks around matched words shown as [ and ], the rest
 * made safe. */
static void put_snippet(const char *s)
{
    while (*s) {
        size_t n = strcspn(s, SL_MARK_START SL_MARK_END);
        cli_write_safe(stdout, s, n, CLI_SAFE_CELL);
        s += n;
        if (*s) {
            putchar(*s == SL_MARK_START[0] ? '[' : ']');
            s++;
        }
    }
}

static int print_hit(void *user, const sl_hit *h)
{
    shown *x = user;
    x->n++;
    cli_print_cell(stdout, h->id, 40, 1);
    printf("  ");
    cli_print_cell(stdout, h->source, 24, 1);
    printf("  %-10s  %-7s ", h->date ? h->date : "-", h->event ? h->event : "-");
    cli_print_cell(stdout, h->title ? h->title : "(no title)", 70, 0);
    printf("\n    ");
    put_snippet(h->snippet);
    putchar('\n');
    return 0;
}

int cmd_search(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] search [--json] [--limit N] [--offset N] QUERY...\n"
        "Articles whose title or cleaned text hold every word of QUERY (accents and case\n"
        "aside), best first (bm25, a title match above a text match): id, source, date,\n"
        "event, title, and a snippet with the matched words in [brackets]. QUERY is words:\n"
        "quotes, stars and operators in it are words too, never search syntax. At most 32\n"
        "words and 1000 bytes. --limit N (default 20), --offset N: a page of the hits.\n"
        "--json: the hit objects of docs/output.md.\n";
    const char *words[64];
    int n = 0;
    int rc = cli_parse(c, argc, argv, help, OPT_JSON | OPT_PAGE, words, 1, 64, &n);
    if (rc >= 0)
        return rc;
    char q[1024 + 1];
    size_t len = 0;
    for (int i = 0; i < n; i++) { /* the words joined by spaces; too long: refused below */
        size_t w = strlen(words[i]);
        if (len + w + 1 >= sizeof q) {
            len = sizeof q; /* more than the library takes */
            break;
        }
        if (i)
            q[len++] = ' ';
        memcpy(q + len, words[i], w);
        len += w;
    }
    if (len >= sizeof q) {
        cli_error("search: the query is too long (at most 1000 bytes)");
        return EXIT_FAILED;
    }
    q[len] = '\0';
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    sl_range range = {c->offset, c->limit ? c->limit : 20, 0};
    shown x = {0};
    sl_error err = c->json ? sl_write_search(st, q, &range, cli_write_file, stdout)
                           : sl_store_search(st, q, &range, print_hit, &x);
    if (err == SL_ERR_INVALID)
        cli_error("search: %s", sl_store_errmsg(st));
    else if (err)
        cli_store_error(st, "cannot search", err);
    else if (!c->json)
        printf("%lld hit%s%s", range.total, range.total == 1 ? "" : "s",
               x.n ? "" : "\n");
    if (!err && !c->json && x.n)
        printf(", %lld to %lld shown\n", range.offset + 1, range.offset + x.n);
    sl_store_free(st);
    return cli_finish(err ? EXIT_FAILED : EXIT_ALL_OK);
}

int cmd_search_index(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] search-index [--json] [on|off]\n"
        "Whether the store has its full-text search index (what `search` reads): prints\n"
        "'on' or 'off' (--json: {\"search_index\": true|false}). on: build it from every\n"
        "stored article (minutes at a million); off: drop it (the store then takes about\n"
        "a fifth less room once later batches reuse its pages, or after SQLite's\n"
        "VACUUM). The choice is kept: a store whose index is off stays without one\n"
        "until `search-index on`. A store made with `add --no-search` starts without\n"
        "one.\n";
    const char *pos[1] = {NULL};
    int n = 0;
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, pos, 0, 1, &n);
    if (rc >= 0)
        return rc;
    int set = -1;
    if (n && (!strcmp(pos[0], "on") || !strcmp(pos[0], "off")))
        set = pos[0][1] == 'n';
    else if (n) {
        cli_error("search-index: expected on or off (see storyline search-index --help)");
        return EXIT_FAILED;
    }
    sl_store *st = NULL;
    if (set < 0)
        st = cli_open_readonly(c);
    else if (cli_open_store(c->db, SL_OPEN_NO_SEARCH, &st)) /* built here, not by the open */
        st = NULL;
    if (!st)
        return EXIT_FAILED;
    sl_error err = SL_OK;
    if (set >= 0 && set != sl_store_has_search(st)) {
        if (set && !c->quiet)
            cli_error("building the search index of every stored article...");
        err = sl_store_set_search(st, set);
        if (err)
            cli_store_error(st, set ? "cannot build the search index"
                                    : "cannot drop the search index", err);
    }
    if (!err && c->json)
        printf("{\"search_index\": %s}\n", sl_store_has_search(st) ? "true" : "false");
    else if (!err)
        printf("%s\n", sl_store_has_search(st) ? "on" : "off");
    sl_store_free(st);
    return cli_finish(err ? EXIT_FAILED : EXIT_ALL_OK);
}
