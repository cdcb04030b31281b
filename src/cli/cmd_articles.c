/* cmd_articles.c — `articles` (the list) and `article ID` (one, with its text). */
#include <string.h>

#include "cli.h"

static int list_line(void *user, const sl_article *a)
{
    (void)user;
    cli_print_cell(stdout, a->id, 40, 1);
    printf("  ");
    cli_print_cell(stdout, a->source, 22, 1);
    printf("  %-10.10s  %6lld  ", a->date ? a->date : "-", a->chars_clean);
    cli_print_cell(stdout, a->title, 60, 0);
    putchar('\n');
    return 0;
}

int cmd_articles(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] articles [--json]\n"
        "Every article, by date (undated last): id, source, date, cleaned length, title.\n"
        "--json: one JSON array of article objects (docs/output.md), without their text.\n";
    int rc = cli_parse(c, argc, argv, help, OPT_JSON, NULL, 0, 0, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    sl_error err;
    if (c->json) {
        err = sl_write_articles(st, SL_FORMAT_JSON, 0, cli_write_file, stdout);
    } else {
        printf("%-40s  %-22s  %-10s  %6s  %s\n", "id", "source", "date", "chars", "title");
        err = sl_store_each_article(st, 0, list_line, NULL);
    }
    if (err)
        cli_store_error(st, "cannot list articles", err);
    sl_store_free(st);
    return err ? EXIT_FAILED : EXIT_ALL_OK;
}

static int explain_line(void *user, const sl_line *l)
{
    (void)user;
    char line[4096];
    size_t n = l->len < sizeof line - 1 ? l->len : sizeof line - 1;
    memcpy(line, l->text, n);
    line[n] = '\0';
    printf("%c %-11s ", l->kept ? '+' : '-', l->label);
    cli_print_cell(stdout, line, 70, 1);
    printf("  %s", l->why);
    if (l->detail) {
        printf(": \"");
        cli_put_safe(stdout, l->detail, CLI_SAFE_LINE);
        putchar('"');
    }
    putchar('\n');
    return 0;
}

/* An HTML article's page metadata, before its lines in --explain. */
static int explain_page_field(void *user, const char *field, const char *value, const char *from)
{
    int *n = user;
    if (!(*n)++)
        printf("page (what the HTML said of itself, and where):\n");
    printf("  %-12s ", field);
    if (*from) {
        cli_print_cell(stdout, value, 60, 1);
        printf("  from ");
        cli_put_safe(stdout, from, CLI_SAFE_LINE);
    } else {
        cli_print_cell(stdout, value, 60, 0);
    }
    putchar('\n');
    return 0;
}

/* One fact of an article, a line each under its heading. */
typedef struct fact_page {
    const char *last; /* the kind of the fact before */
} fact_page;

static int print_fact(void *user, const sl_fact *f)
{
    fact_page *p = user;
    if (!p->last || strcmp(p->last, f->kind)) {
        printf("\n%s\n", !strcmp(f->kind, "quote")    ? "quotes"
                          : !strcmp(f->kind, "entity") ? "entities"
                          : !strcmp(f->kind, "amount") ? "amounts"
                                                       : "dates");
        p->last = f->kind;
    }
    printf("  ");
    if (!strcmp(f->kind, "quote")) {
        printf("%-6s ", f->type ? f->type : "speech");
        cli_put_safe(stdout, f->speaker ? f->speaker : "(speaker unknown)", CLI_SAFE_LINE);
        printf(": \"");
        cli_put_safe(stdout, f->text, CLI_SAFE_LINE);
        putchar('"');
    } else if (!strcmp(f->kind, "entity")) {
        printf("%-6s %3.0f  ", f->type ? f->type : "-", f->value);
        cli_put_safe(stdout, f->text, CLI_SAFE_LINE);
    } else if (!strcmp(f->kind, "amount")) {
        printf("%-16.15g ", f->value);
        cli_put_safe(stdout, f->type ? f->type : "-", CLI_SAFE_LINE);
        printf("  \"");
        cli_put_safe(stdout, f->text, CLI_SAFE_LINE);
        putchar('"');
    } else {
        printf("%-10s  \"", f->date ? f->date : "-");
        cli_put_safe(stdout, f->text, CLI_SAFE_LINE);
        putchar('"');
    }
    putchar('\n');
    return 0;
}

static void field(const char *name, const char *value)
{
    printf("%-8s ", name);
    cli_put_safe(stdout, value ? value : "-", CLI_SAFE_LINE);
    putchar('\n');
}

int cmd_article(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] article [--json | --explain] ID\n"
        "One article: its metadata, then its cleaned text, then its facts (quotes with\n"
        "their speakers, entities, amounts, dates mentioned). Exit status 1 if there is no\n"
        "article ID. --json: the article object (docs/output.md), with text and facts.\n"
        "--explain: for an HTML page, what it said of itself (title, date, author, ...)\n"
        "and where each came from; then every raw line, + kept or - dropped, with its\n"
        "label and the signal that decided it.\n";
    const char *id = NULL;
    int rc = cli_parse(c, argc, argv, help, OPT_JSON | OPT_EXPLAIN, &id, 1, 1, NULL);
    if (rc >= 0)
        return rc;
    sl_store *st = cli_open_readonly(c);
    if (!st)
        return EXIT_FAILED;
    sl_error err;
    if (c->explain) {
        int fields = 0;
        err = sl_store_article_page(st, id, explain_page_field, &fields);
        if (!err && fields)
            printf("\nlines (+ kept, - dropped; label, then the signal that decided):\n");
        if (!err)
            err = sl_explain_article(st, id, explain_line, NULL);
    } else if (c->json) {
        err = sl_write_article(st, id, cli_write_file, stdout);
    } else {
        sl_article *a;
        err = sl_store_get_article(st, id, SL_WITH_TEXT, &a);
        if (!err) {
            field("id", a->id);
            field("source", a->source);
            field("url", a->url);
            field("date", a->date);
            field("title", a->title);
            field("byline", a->byline);
            field("credit", a->credit);
            if (a->charset) { /* an HTML page */
                field("lang", a->lang);
                field("site", a->site_name);
                field("charset", a->charset);
                field("dated by", a->date_source);
            }
            printf("%-8s %lld raw, %lld cleaned\n", "chars", a->chars_raw, a->chars_clean);
            field("from", a->origin);
            if (a->meta)
                field("meta", a->meta);
            if (a->text && *a->text) {
                putchar('\n');
                cli_put_safe(stdout, a->text, CLI_SAFE_TEXT);
                putchar('\n');
            }
            else
                printf("\n(no text: every line of this article was boilerplate; see --explain)\n");
            sl_article_free(a);
            fact_page page = {NULL};
            err = sl_store_article_facts(st, id, print_fact, &page);
        }
    }
    if (err == SL_ERR_NOT_FOUND)
        cli_error("no article with id '%s'", id);
    else if (err)
        cli_store_error(st, "cannot read the article", err);
    sl_store_free(st);
    return err == SL_ERR_NOT_FOUND ? EXIT_PARTIAL : err ? EXIT_FAILED : EXIT_ALL_OK;
}
