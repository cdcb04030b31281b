/* fuzz_tally — libFuzzer harness for sl_line_tally_add, the parser of the packed line keys
 * another worker wrote (sl_line_counts_write_lines, sl_line_tally_write_repeated): any
 * bytes are added to a tally that already holds keys; a blob refused must leave the tally
 * writing what it wrote before (and, added three times to an empty tally, leave it empty:
 * a start of it added would reach three articles), and a blob taken must be written again
 * and read again without error, and its keys kept by sl_line_counts_write_kept must
 * merge. */
#include <stdlib.h>
#include <string.h>

#include "storyline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct text {
    char *s;
    size_t n;
} text;

static int collect(void *user, const char *d, size_t n)
{
    text *t = user;
    char *grown = realloc(t->s, t->n + n + 1);
    if (!grown)
        return 1;
    memcpy(grown + t->n, d, n);
    t->s = grown;
    t->n += n;
    t->s[t->n] = '\0';
    return 0;
}

static const char RAW[] = "A headline\nA line the site prints on every page.\nThe story.\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    sl_line_counts *c = NULL, *merged = NULL;
    sl_line_tally *t = NULL, *again = NULL;
    text lines = {0}, before = {0}, after = {0}, rewritten = {0}, kept = {0};
    if (sl_line_counts_create(&c) != SL_OK || sl_line_counts_create(&merged) != SL_OK ||
        sl_line_tally_create(&t) != SL_OK || sl_line_tally_create(&again) != SL_OK)
        goto done;
    for (int i = 0; i < 3; i++)
        sl_line_counts_add(c, "site.example", RAW, strlen(RAW));
    if (sl_line_counts_write_lines(c, 0, 1, collect, &lines) != SL_OK ||
        sl_line_tally_add(t, lines.s, lines.n) != SL_OK)
        goto done;
    sl_line_tally_write_repeated(t, collect, &before);
    sl_error err = sl_line_tally_add(t, data, size);
    sl_line_tally_write_repeated(t, collect, &after);
    if (err != SL_OK && err != SL_ERR_NOMEM &&
        (before.n != after.n || (before.n && memcmp(before.s, after.s, before.n))))
        abort(); /* a blob refused changed the tally */
    if (err == SL_OK && sl_line_tally_add(again, after.s, after.n) != SL_OK)
        abort(); /* what the tally writes, it reads */
    if (err == SL_OK && sl_line_tally_write_repeated(again, collect, &rewritten) == SL_OK &&
        (rewritten.n != after.n || memcmp(rewritten.s, after.s, after.n)))
        abort(); /* and writes it again as it was */
    if (err == SL_ERR_INVALID) { /* refused three times into a fresh tally: nothing in it,
                                    not even a start of one article a key, added thrice */
        sl_line_tally *fresh = NULL;
        text empty = {0};
        if (sl_line_tally_create(&fresh) == SL_OK) {
            for (int k = 0; k < 3; k++)
                if (sl_line_tally_add(fresh, data, size) != SL_ERR_INVALID)
                    abort();
            if (sl_line_tally_write_repeated(fresh, collect, &empty) == SL_OK && empty.n != 4)
                abort();
        }
        sl_line_tally_free(fresh);
        free(empty.s);
    }
    if (sl_line_counts_write_kept(c, t, collect, &kept) == SL_OK &&
        sl_line_counts_merge(merged, kept.s, kept.n) != SL_OK)
        abort(); /* the counts kept by any keys merge */
done:
    free(lines.s);
    free(before.s);
    free(after.s);
    free(rewritten.s);
    free(kept.s);
    sl_line_counts_free(c);
    sl_line_counts_free(merged);
    sl_line_tally_free(t);
    sl_line_tally_free(again);
    return 0;
}
