/* fuzz_jsonl — libFuzzer harness for the JSON Lines reader.
 *
 * The input is a whole JSON Lines file, read through the same stream reader as real
 * files, with a small article limit so over-long lines are exercised too. Every record
 * goes through validation, tidying, normalisation and an in-memory store; the batch is
 * rolled back after each input. */
#include <stdio.h>

#include "ingest/ingest.h"
#include "storyline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sl_store *store;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!store && sl_store_open(":memory:", SL_OPEN_CREATE, &store) != SL_OK)
        return 0;
    sl_ingest_options opt = {.max_article_bytes = 4096};
    sl_batch *b;
    if (sl_batch_begin(store, &opt, &b) != SL_OK)
        return 0;
    FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
    if (f) {
        if (size)
            sli_ingest_jsonl_stream(b, f, "fuzz.jsonl", "fuzz.jsonl", "fuzz");
        fclose(f);
    }
    sl_batch_free(b);
    return 0;
}
