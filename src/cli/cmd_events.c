/* cmd_events.c — `events`, `event ID`, `storylines`. */
#include <stdlib.h>

#include "cli.h"

int cli_print_event(void *user, const sl_event *e)
{
    (void)user;
    printf("%-6s %-10s .. %-10s  %-5s %3zu articles  ", e->id,
           e->date_first ? e->date_first : "undated", e->date_last ? e->date_last : "",
           e->storyline, e->n);
    cli_print_cell(stdout, e->headline ? e->headline : "(no headline)", 70, 0);
    putchar('\n');
    for (size_t i = 0; i < e->n; i++) {
        printf("    %-10s  ", e->dates[i] ? e->dates[i] : "-");
        cli_print_cell(stdout, e->articles[i], 100, 0);
        putchar('\n');
    }
    return 0;
}

static sl_error print_events(sl_store *st)
{
    return sl_store_each_event(st, cli_print_event, NULL);
}

int cmd_events(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] events [--json]\n"
        "Events, newest first: every article about one happening (a syndication family\n"
        "stays whole), with its dates, its storyline and its articles in date order.\n"
        "--json: the event objects of docs/output.md.\n";
    return cli_list(c, argc, argv, help, "events", sl_write_events, print_events);
}

static int print_entity(void *user, const sl_entity *e)
{
    (void)user;
    printf("  %-6s %4lld  ", e->type, e->count);
    cli_put_safe(stdout, e->name, CLI_SAFE_LINE);
    putchar('\n');
    return 0;
}

typedef struct event_page {
    sl_store *st;
    sl_error err;
} event_page;

static int print_event_page(void *user, const sl_event *e)
{
    event_page *p = user;
    printf("%-10s %s\n%-10s ", "event", e->id, "headline");
    cli_put_safe(stdout, e->headline ? e->headline : "-", CLI_SAFE_LINE);
    for (size_t i = 0; i < e->n_summary; i++) { /* the summary under the headline */
        printf("\n%-10s ", i ? "" : "summary");
        cli_put_safe(stdout, e->summary[i], CLI_SAFE_LINE);
    }
    printf("\n%-10s %s\n%-10s %s\n%-10s %s\n\ntimeline\n", "first",
           e->date_first ? e->date_first : "-", "last", e->date_last ? e->date_last : "-",
           "storyline", e->storyline);
    for (size_t i = 0; i < e->n; i++) {
        printf("  %-10s  ", e->dates[i] ? e->dates[i] : "-");
        cli_print_cell(stdout, e->sources[i], 28, 1);
        printf("  ");
        cli_print_cell(stdout, e->articles[i], 90, 0);
        putchar('\n');
    }
    printf("\nquotes\n");
    p->err = sl_store_each_quote(p->st, e->id, cli_print_quote, "  ");
    if (!p->err) {
        printf("\nentities\n");
        p->err = sl_store_event_entities(p->st, e->id, print_entity, NULL);
    }
    return 0;
}

int cmd_event(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] event [--json] ID\n"
        "One event (ID as in `events`, e.g. E12): headline, dates, storyline, and the\n"
        "timeline of its articles with their outlets, its quotes (as `quotes` shows them)\n"
        "and its entities, most mentioned first. Exit status 1 if there is no event ID.\n"
        "--json: the event object of docs/output.md, with a summary (3-5 sentences chosen\n"
        "across its outlets, docs/present.md), its quote ids and its entities.\n";
    const char *id = NULL;
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, &id, 1, 1, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    event_page page = {st, SL_OK};
    sl_error err = c->json ? sl_write_event(st, id, cli_write_file, stdout)
                           : sl_store_get_event(st, id, print_event_page, &page);
    if (!err)
        err = page.err;
    if (err == SL_ERR_NOT_FOUND)
        cli_error("no event with id '%s'", id);
    else if (err)
        cli_store_error(st, "cannot read the event", err);
    sl_store_free(st);
    return err == SL_ERR_NOT_FOUND ? EXIT_PARTIAL : err ? EXIT_FAILED : EXIT_ALL_OK;
}

/* The text form is the JSON one: a storyline is a short list of event ids. */
static sl_error print_storylines(sl_store *st)
{
    return sl_write_storylines(st, cli_write_file, stdout);
}

int cmd_storylines(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] storylines [--json]\n"
        "Storylines: events linked over weeks or months because they share their central\n"
        "names and vocabulary; each with its events in time order. Only storylines of two\n"
        "or more events are listed, as the storyline objects of docs/output.md (JSON, with\n"
        "or without --json).\n";
    return cli_list(c, argc, argv, help, "storylines", sl_write_storylines, print_storylines);
}
