/* warc_scan — the WARC reader alone (src/ingest/warc.c, http.c) over files: every record's
 * header read, every response's block read and its HTTP body decoded, nothing stored.
 * Prints records, bytes and the time, to tell the reader's own speed and memory from the
 * rest of `add` (bench/warc_bench.sh runs it beside `add`).
 *
 *   warc_scan FILE.warc[.gz] ... */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ingest/html.h"
#include "ingest/http.h"
#include "ingest/warc.h"

static warc_reader r; /* about 100 kB: not on the stack */

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: warc_scan FILE.warc[.gz] ...\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long long records = 0, responses = 0, html = 0, problems = 0, file_bytes = 0,
              body_bytes = 0;
    buf block, a, b;
    sli_buf_init(&block, HTML_PAGE_MAX_BYTES + HTTP_HEAD_MAX + (HTML_PAGE_MAX_BYTES >> 4));
    sli_buf_init(&a, HTML_PAGE_MAX_BYTES);
    sli_buf_init(&b, HTML_PAGE_MAX_BYTES);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        sli_warc_init(&r, f);
        for (;;) {
            int got;
            sl_error err = sli_warc_next(&r, &got);
            if (err == SL_ERR_NOMEM)
                return 1;
            if (err) {
                problems++;
                continue;
            }
            if (!got)
                break;
            records++;
            sli_buf_clear(&block);
            int keep = !strcmp(r.type, "response") && r.length <= (long long)block.max;
            err = keep ? sli_warc_read(&r, &block, r.length) : SL_OK;
            if (!err)
                err = sli_warc_end(&r, keep ? &block : NULL);
            if (err) {
                problems++;
                continue;
            }
            if (!keep)
                continue;
            responses++;
            http_head h;
            const char *why, *out;
            size_t on;
            if (sli_http_head_parse(block.data, block.len, &h, &why) || h.status != 200 ||
                !sli_http_type_is_html(h.content_type))
                continue;
            if (sli_http_body_decode(&h, block.data + h.head_len, block.len - h.head_len, &a,
                                     &b, &out, &on, &why) == SL_OK) {
                html++;
                body_bytes += (long long)on;
            }
        }
        file_bytes += sli_warc_consumed(&r);
        sli_warc_free(&r);
        fclose(f);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%lld records (%lld responses, %lld HTML pages decoded, %lld problems), "
           "%.1f MB read, %.1f MB of HTML, %.2f s: %.1f MB/s, %.0f records/s\n",
           records, responses, html, problems, (double)file_bytes / 1e6,
           (double)body_bytes / 1e6, s, (double)file_bytes / 1e6 / s, (double)records / s);
    sli_buf_free(&block);
    sli_buf_free(&a);
    sli_buf_free(&b);
    return 0;
}
