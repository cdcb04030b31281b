/* cmd_events.c — `events`, `event ID`, `storylines`. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

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

/* The run report's form: as cli_print_event, then the event's summary, a sentence a line. */
int cli_print_event_summary(void *user, const sl_event *e)
{
    cli_print_event(user, e);
    for (size_t i = 0; i < e->n_summary; i++) {
        fputs("    > ", stdout);
        cli_put_safe(stdout, e->summary[i], CLI_SAFE_LINE);
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
        /* the timeline: each family's origin (*) before its copies (+ copy, > contained,
         * ~ rewrite), named by family */
        const char *rel = e->relations ? e->relations[i] : NULL;
        const char *fam = e->families ? e->families[i] : NULL;
        char mark = !rel ? ' ' : !strcmp(rel, "origin") ? '*' : !strcmp(rel, "copy") ? '+'
                  : !strcmp(rel, "contained") ? '>' : '~';
        printf("  %-10s %c ", e->dates[i] ? e->dates[i] : "-", mark);
        cli_print_cell(stdout, rel ? rel : "", 9, 1);
        printf(" ");
        cli_print_cell(stdout, fam ? fam : "", 7, 1);
        printf(" ");
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

/* --- one storyline --- */

static int to_buffer(void *user, const char *data, size_t len)
{
    FILE *f = user;
    return fwrite(data, 1, len, f) != len;
}

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* The storyline object (sl_write_storyline) as text: its title and dates, then its
 * timeline, an event a line. */
static int print_storyline(const char *json)
{
    json_object *root = json_tokener_parse(json);
    if (!root)
        return 0;
    printf("%-10s %s\n%-10s ", "storyline", field(root, "id"), "title");
    cli_put_safe(stdout, field(root, "title") ? field(root, "title") : "-", CLI_SAFE_LINE);
    printf("\n%-10s %s\n%-10s %s\n\ntimeline\n", "first",
           field(root, "date_first") ? field(root, "date_first") : "-", "last",
           field(root, "date_last") ? field(root, "date_last") : "-");
    json_object *tl;
    size_t n = json_object_object_get_ex(root, "timeline", &tl) ? json_object_array_length(tl)
                                                                  : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(tl, i), *count;
        const char *first = field(e, "date_first"), *last = field(e, "date_last");
        long long articles = json_object_object_get_ex(e, "articles", &count)
                                 ? json_object_get_int64(count)
                                 : 0;
        printf("  %-10s .. %-10s  %-7s %4lld articles  ", first ? first : "undated",
               last ? last : "", field(e, "event"), articles);
        cli_print_cell(stdout, field(e, "headline") ? field(e, "headline") : "(no headline)",
                       80, 0);
        putchar('\n');
    }
    json_object_put(root);
    return 1;
}

int cmd_storyline(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] storyline [--json] ID\n"
        "One storyline (ID as in `storylines` or an event's storyline, e.g. S3; one of a\n"
        "single event too): its title, dates, and its events in date order, each with its\n"
        "dates, article count and headline. Exit status 1 if there is no storyline ID.\n"
        "--json: the storyline object of docs/output.md, with its timeline.\n";
    const char *id = NULL;
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, &id, 1, 1, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    sl_error err;
    if (c->json) {
        err = sl_write_storyline(st, id, cli_write_file, stdout);
    } else {
        char *json = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&json, &len);
        err = mem ? sl_write_storyline(st, id, to_buffer, mem) : SL_ERR_NOMEM;
        if (mem && fclose(mem) && !err)
            err = SL_ERR_NOMEM;
        if (!err && !print_storyline(json))
            err = SL_ERR_NOMEM;
        free(json);
    }
    if (err == SL_ERR_NOT_FOUND)
        cli_error("no storyline with id '%s'", id);
    else if (err)
        cli_store_error(st, "cannot read the storyline", err);
    sl_store_free(st);
    return cli_finish(err == SL_ERR_NOT_FOUND ? EXIT_PARTIAL : err ? EXIT_FAILED : EXIT_ALL_OK);
}
