/* fuzz_counts — libFuzzer harness for sl_line_counts_merge, the parser of line counts
 * another worker wrote: any bytes are merged into counts that already hold a source and
 * its lines; a document refused must leave the counts cleaning as before, and a document
 * taken must be written again and merged again without error, whole and in parts
 * (sl_line_counts_write_part, with and without only the repeated lines). Each input is
 * also counted as an article's raw text (sl_line_counts_add), valid UTF-8 or not. */
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
    sl_line_counts *c = NULL, *again = NULL;
    if (sl_line_counts_create(&c) != SL_OK || sl_line_counts_create(&again) != SL_OK)
        goto done;
    sl_line_counts_add(c, "site.example", RAW, strlen(RAW));
    text before = {0}, after = {0}, out = {0};
    sl_line_counts_write(c, collect, &before);
    sl_error err = sl_line_counts_merge(c, (const char *)data, size);
    sl_line_counts_write(c, collect, &after);
    if (err != SL_OK && err != SL_ERR_NOMEM &&
        (before.n != after.n || (before.n && memcmp(before.s, after.s, before.n))))
        abort(); /* a document refused changed the counts */
    if (err == SL_OK && sl_line_counts_merge(again, after.s, after.n) != SL_OK)
        abort(); /* what the counts write, they read */
    for (unsigned p = 0; err == SL_OK && p < 3; p++) { /* and so their parts */
        for (int repeated = 0; repeated < 2; repeated++) {
            text part = {0};
            sl_line_counts *fresh = NULL;
            if (sl_line_counts_create(&fresh) == SL_OK &&
                sl_line_counts_write_part(c, p, 3, repeated, collect, &part) == SL_OK &&
                sl_line_counts_merge(fresh, part.s, part.n) != SL_OK)
                abort();
            sl_line_counts_free(fresh);
            free(part.s);
        }
    }
    sl_line_counts_add(c, NULL, (const char *)data, size);
    sl_line_counts_write(c, collect, &out);
    free(before.s);
    free(after.s);
    free(out.s);
done:
    sl_line_counts_free(c);
    sl_line_counts_free(again);
    return 0;
}
