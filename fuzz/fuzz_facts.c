/* fuzz_facts — libFuzzer harness for the facts stage: any bytes (valid UTF-8 or not, NUL
 * bytes included) go through sli_facts_extract with or without an article date, the facts
 * are written as JSON, the entities merged as one event's, and the quotes grouped into
 * variants — those found, and the input's lines taken as quotes of three articles (so the
 * grouping is fuzzed while the extractors find little). The first byte picks the date. */
#include <stdlib.h>
#include <string.h>

#include "core/json_writer.h"
#include "facts/facts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MAX_LINES 256

static const sli_facts_ctx *context(void)
{
    static sli_facts_ctx *ctx;
    if (!ctx && sli_facts_ctx_create(&ctx) != SL_OK)
        ctx = NULL;
    return ctx;
}

/* Groups the quotes given and checks what the contract promises. */
static void group(const sli_quote_seen *seen, size_t n)
{
    size_t *g = malloc((n + 1) * sizeof *g), *c = malloc((n + 1) * sizeof *c), ng = 0;
    if (g && c && sli_quotes_group(seen, n, g, c, &ng) == SL_OK) {
        if (ng > n)
            abort();
        for (size_t i = 0; i < n; i++)
            if (g[i] >= ng)
                abort();
        for (size_t k = 0; k < ng; k++)
            if (c[k] >= n || g[c[k]] != k)
                abort(); /* the canonical wording is one of its own */
    }
    free(g);
    free(c);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *dates[] = {NULL, "2024-05-18", "2008-02-29", "1999-12-31"};
    const char *date = size ? dates[data[0] % 4] : NULL;
    const char *text = size ? (const char *)data + 1 : (const char *)data;
    size_t len = size ? size - 1 : 0;

    sli_facts f = {0};
    (void)sli_facts_extract(context(), text, len, date, &f); /* an error leaves f valid */

    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_facts_write_json(&w, &f);
    sli_jw_finish(&w);
    sli_buf_free(&w.out);

    sli_facts event = {0};
    sli_entities_merge(&event, f.entities, f.n_entities);
    sli_entities_merge(&event, f.entities, f.n_entities); /* a second article, the same */
    sli_facts_clear(&event);

    /* the quotes found, as printed by two articles */
    size_t nq = f.n_quotes;
    sli_quote_seen *seen = malloc((2 * nq + 1) * sizeof *seen);
    if (seen) {
        for (size_t i = 0; i < 2 * nq; i++) {
            const sli_quote *q = &f.quotes[i % nq];
            seen[i] = (sli_quote_seen){q->text, q->speaker, q->kind, i < nq ? "a" : "b",
                                       i < nq ? date : NULL, (long long)(i < nq)};
        }
        group(seen, 2 * nq);
        free(seen);
    }
    sli_facts_clear(&f);

    /* the input's lines as quotes: NUL-terminated copies; every third has a speaker (the
     * line before it), the articles take turns */
    char *copy = malloc(len + 1);
    seen = malloc(MAX_LINES * sizeof *seen);
    if (copy && seen) {
        if (len)
            memcpy(copy, text, len);
        copy[len] = '\0';
        size_t n = 0;
        char *p = copy, *end = copy + len;
        while (p <= end && n < MAX_LINES) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl)
                *nl = '\0';
            static const char *arts[] = {"a", "b", "c"};
            seen[n] = (sli_quote_seen){p, n % 3 == 2 ? seen[n - 1].text : NULL,
                                       n % 2 ? SLI_QUOTE_PHRASE : SLI_QUOTE_SPEECH,
                                       arts[n % 3], n % 3 ? date : NULL, (long long)(n % 5)};
            n++;
            if (!nl)
                break;
            p = nl + 1;
        }
        group(seen, n);
    }
    free(copy);
    free(seen);
    return 0;
}
