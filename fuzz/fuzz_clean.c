/* fuzz_clean — libFuzzer harness for the cleaner and its metadata readers: any text is
 * split into lines, labelled (shape, context, end of article, dates, bylines, credits,
 * title), with a repetition lookup that calls some lines templates. */
#include <string.h>

#include "clean/clean.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Every third line is "in many articles of this source". */
static void lookup(void *user, const uint64_t *hashes, size_t n, clean_repeats *out)
{
    (void)user;
    for (size_t i = 0; i < n; i++) {
        out[i].same_source = hashes[i] % 3 == 0 ? 10 : 1;
        out[i].sources = (long)(hashes[i] % 7);
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *text = (const char *)data;
    /* The cleaner is given valid UTF-8 (ingest checks it first); cut at the first bad byte. */
    size_t n = sli_utf8_invalid_at(text, size);
    const char *nul = memchr(text, '\0', n);
    if (nul)
        n = (size_t)(nul - text);
    clean_result r;
    sli_clean_result_init(&r, BUF_UNLIMITED);
    clean_input in = {size % 2 ? "A title" : NULL, 10, lookup, NULL};
    if (sli_clean_split(text, n, &r, NULL) == SL_OK)
        sli_clean_label_lines(text, n, &in, &r);
    meta_date d;
    char out[64];
    sli_meta_find_date(text, n, &d);
    sli_meta_find_byline(text, n, out, sizeof out);
    sli_meta_find_credit(text, n, out, sizeof out);
    sli_clean_result_free(&r);
    return 0;
}
