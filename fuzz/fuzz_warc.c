/* fuzz_warc — libFuzzer harness for the WARC reader (warc.c, http.c, read_warc.c).
 *
 * The input is read three ways through the same stream reader as real files: as it is (a
 * .warc, or a .warc.gz when it starts with gzip's magic bytes, so the fuzzer mutates
 * compressed members directly), compressed as one gzip member (a whole-file .warc.gz),
 * and cut before every "WARC/1." with each piece its own gzip member (a per-record
 * .warc.gz). Every HTML response goes through the HTML front end and an in-memory store;
 * the batch is rolled back after each input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "ingest/ingest.h"
#include "storyline.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static sl_store *store;

static void run(const unsigned char *data, size_t size)
{
    sl_ingest_options opt = {.max_article_bytes = 4096};
    sl_batch *b;
    if (sl_batch_begin(store, &opt, &b) != SL_OK)
        return;
    FILE *f = fmemopen((void *)(uintptr_t)data, size ? size : 1, "rb");
    if (f) {
        if (size)
            sli_ingest_warc_stream(b, f, "fuzz.warc", "fuzz.warc", "fuzz");
        fclose(f);
    }
    sl_batch_free(b);
}

/* Append p[0..n) to out as one gzip member. Returns the new length, or 0. */
static size_t gzip_member(unsigned char *out, size_t at, size_t cap, const unsigned char *p,
                          size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (unsigned char *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = out + at;
    z.avail_out = (uInt)(cap - at);
    int zr = deflate(&z, Z_FINISH);
    size_t end = cap - z.avail_out;
    deflateEnd(&z);
    return zr == Z_STREAM_END ? end : 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!store && sl_store_open(":memory:", SL_OPEN_CREATE, &store) != SL_OK)
        return 0;
    run(data, size);
    if (size == 0 || size > 1 << 20)
        return 0;
    size_t cap = size + size / 8 + 64 * 32 + 4096;
    unsigned char *gz = malloc(cap);
    if (!gz)
        return 0;
    size_t n = gzip_member(gz, 0, cap, data, size);
    if (n)
        run(gz, n);
    /* One member per piece, cut before each "WARC/1." (at most 32 pieces). */
    size_t at = 0, start = 0;
    int pieces = 0;
    for (size_t i = 1; i + 7 <= size && pieces < 31; i++) {
        if (!memcmp(data + i, "WARC/1.", 7)) {
            at = gzip_member(gz, at, cap, data + start, i - start);
            if (!at)
                break;
            start = i;
            pieces++;
        }
    }
    if (pieces && at && (at = gzip_member(gz, at, cap, data + start, size - start)))
        run(gz, at);
    free(gz);
    return 0;
}
