/* fuzz_record — libFuzzer harness for sli_record_unpack, the parser of the records a
 * reader on another machine wrote (sl_batch_add_record, sl_write_record_clean,
 * sl_line_counts_add_record): any bytes are unpacked; a record taken must pack again and
 * that packing unpack to the same packing (what the library writes, it reads), and
 * nothing read may lie outside the input (AddressSanitizer). The same bytes are counted
 * and cleaned as a record: taken only when they unpack. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int discard(void *user, const char *d, size_t n)
{
    (void)user, (void)d, (void)n;
    return 0;
}

/* The bytes counted and cleaned as a record: neither may take what does not unpack. */
static void clean_as_record(const unsigned char *in, size_t size, int unpacked)
{
    static sl_text_tools *tools; /* made once: it reads Debian's data files */
    if (!tools && sl_text_tools_create(&tools) != SL_OK)
        return;
    sl_line_counts *c = NULL;
    if (sl_line_counts_create(&c) != SL_OK)
        return;
    sl_error counted = sl_line_counts_add_record(c, in, size);
    if (counted == SL_OK && !unpacked)
        abort();
    sl_error cleaned = sl_write_record_clean(tools, counted == SL_OK ? c : NULL, in, size,
                                             discard, NULL);
    if (cleaned == SL_OK && !unpacked)
        abort();
    sl_line_counts_free(c);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* a copy of exactly the input's size: a read past its end is caught */
    unsigned char *in = malloc(size ? size : 1);
    if (!in)
        return 0;
    if (size)
        memcpy(in, data, size);
    ingest_record r, again;
    store_page page, page2;
    const char *why;
    buf one, two;
    sli_buf_init(&one, BUF_UNLIMITED);
    sli_buf_init(&two, BUF_UNLIMITED);
    if (sli_record_unpack(in, size, &r, &page, &why) == SL_OK) {
        if (r.text_len && !r.text)
            abort();
        if (sli_record_pack(&r, &one) == SL_OK) {
            if (sli_record_unpack(one.data, one.len, &again, &page2, &why) != SL_OK)
                abort(); /* what it packs, it unpacks */
            if (sli_record_pack(&again, &two) == SL_OK &&
                (two.len != one.len || memcmp(one.data, two.data, one.len)))
                abort(); /* the same record packs the same */
        }
    } else if (!why || !*why) {
        abort(); /* a refusal says why */
    }
    clean_as_record(in, size, sli_record_unpack(in, size, &r, &page, &why) == SL_OK);
    sli_buf_free(&one);
    sli_buf_free(&two);
    free(in);
    return 0;
}
