/* cmd_quotes.c — `quotes`: every quote with its speaker, and the wordings the outlets
 * printed. */
#include "cli.h"

/* One quote: id, event, kind, speaker; its canonical wording; then each variant, earliest
 * first, with the outlets and articles that print it (a lone wording is not repeated). Scraped text goes through the
 * terminal filter (LINE: a quote is shown on one line). */
int cli_print_quote(void *user, const sl_quote *q)
{
    const char *indent = user ? user : "";
    printf("%s%-6s %-6s %-6s ", indent, q->id, q->event, q->kind);
    cli_put_safe(stdout, q->speaker ? q->speaker : "(speaker unknown)", CLI_SAFE_LINE);
    printf("\n%s    \"", indent);
    cli_put_safe(stdout, q->text, CLI_SAFE_LINE);
    printf("\"\n");
    /* One wording: its articles straight under it; more: each wording numbered. */
    int numbered = q->n_variants > 1;
    for (size_t v = 0; v < q->n_variants; v++) {
        const sl_quote_variant *x = &q->variants[v];
        if (numbered) {
            printf("%s    %zu. \"", indent, v + 1);
            cli_put_safe(stdout, x->text, CLI_SAFE_LINE);
            printf("\"\n");
        }
        for (size_t i = 0; i < x->n; i++) {
            printf("%s         %-10s  ", indent, x->dates[i] ? x->dates[i] : "-");
            cli_print_cell(stdout, x->sources[i], 28, 1);
            printf("  ");
            cli_print_cell(stdout, x->articles[i], 80, 0);
            putchar('\n');
        }
    }
    return 0;
}

static sl_error quotes_json(sl_store *st, sl_write_fn fn, void *user)
{
    return sl_write_quotes(st, SL_FORMAT_JSON, fn, user);
}

static sl_error print_quotes(sl_store *st)
{
    return sl_store_each_quote(st, NULL, cli_print_quote, NULL);
}

int cmd_quotes(cli *c, int argc, char **argv)
{
    static const char help[] =
        "usage: storyline [--db PATH] quotes [--json]\n"
        "Every quote of every event, by id: its speaker (the fullest name its articles\n"
        "give), its kind (speech, or phrase: scare quotes and quoted titles), its canonical\n"
        "wording, then each wording the outlets printed (typos, trims, digit grouping),\n"
        "earliest first, with the date, outlet and id of every article that prints it.\n"
        "--json: one JSON array of quote objects (docs/output.md), variants earliest\n"
        "first, each with its articles.\n";
    return cli_list(c, argc, argv, help, "quotes", quotes_json, print_quotes);
}
