/* fuzz_record — libFuzzer harness for sli_record_unpack, the parser of the records a
 * reader on another machine wrote (sl_batch_add_record): any bytes are unpacked; a record
 * taken must pack again and that packing unpack to the same packing (what the library
 * writes, it reads), and nothing read may lie outside the input (AddressSanitizer). */
#include <stdlib.h>
#include <string.h>

#include "ingest/record.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

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
    sli_buf_free(&one);
    sli_buf_free(&two);
    free(in);
    return 0;
}
