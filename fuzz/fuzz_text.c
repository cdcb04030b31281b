/* fuzz_text — libFuzzer harness for the plain-text article reader (date header, binary
 * and UTF-8 checks, tidying, normalisation, title guess), into an in-memory store. */
#include "ingest/ingest.h"
#include "storyline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sl_store *store;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!store && sl_store_open(":memory:", SL_OPEN_CREATE, &store) != SL_OK)
        return 0;
    sl_batch *b;
    if (sl_batch_begin(store, NULL, &b) != SL_OK)
        return 0;
    sli_ingest_text_buffer(b, "fuzz.txt", "fuzz.txt", "fuzz", (const char *)data, size);
    sl_batch_free(b);
    return 0;
}
