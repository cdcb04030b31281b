/* read_html.c — HTML pages: files (.html, .htm, gzip-compressed or not) and pages handed
 * over by other readers (JSON Lines `html`, WARC records), through the front end (html.h)
 * into records. */
#include "ingest.h"

#include <errno.h>
#include <unistd.h> /* dup */
#include <string.h>

#include <zlib.h>

#include "html.h"
#include "url.h"

sl_error sli_ingest_html(sl_batch *b, const ingest_html *h)
{
    html_page page;
    sli_html_page_init(&page);
    const char *why = NULL;
    sl_error err = sli_html_page_read(&page, h->bytes, h->n, h->content_type, h->url, &why);
    if (err == SL_ERR_NOMEM) {
        sli_html_page_free(&page);
        return err;
    }
    if (err) {
        sli_ingest_report(b, err, h->path, h->line, h->offset, "%s",
                          why ? why : sl_strerror(err));
        sli_html_page_free(&page);
        return SL_OK;
    }
    const html_meta *m = &page.meta;
    const char *url = h->url ? h->url : (m->canonical.len ? m->canonical.data : NULL);
    const char *date = h->date ? h->date : (m->date.len ? m->date.data : h->fetch_date);
    const char *title = h->title ? h->title : (m->title.len ? m->title.data : NULL);
    ingest_record r = {
        .id = h->id,
        .source = h->source ? h->source : h->fallback_source,
        .url = url,
        .date = date,
        .title = title,
        .text = page.text.data,
        .text_len = page.text.len,
        .meta = h->meta,
        .path = h->path,
        .line = h->line,
        .offset = h->offset,
    };
    err = sli_ingest_put(b, &r);
    sli_html_page_free(&page);
    return err;
}

sl_error sli_ingest_html_file(sl_batch *b, const char *path, const char *id, const char *source)
{
    FILE *f;
    sl_error err = sli_ingest_open(b, path, &f);
    if (err || !f)
        return err; /* out of memory, or reported and skipped */
    /* zlib reads plain files as they are, and gzip ones decompressed. */
    gzFile gz = gzdopen(dup(fileno(f)), "rb");
    fclose(f);
    if (!gz)
        return SL_ERR_NOMEM;
    buf data;
    sli_buf_init(&data, HTML_PAGE_MAX_BYTES);
    char chunk[65536];
    int got;
    while ((got = gzread(gz, chunk, sizeof chunk)) > 0) {
        err = sli_buf_append(&data, chunk, (size_t)got);
        if (err)
            break;
    }
    int zerr = 0;
    const char *zmsg = got < 0 ? gzerror(gz, &zerr) : NULL;
    gzclose(gz);
    b->sum.files++;
    b->sum.bytes += (long long)data.len;
    if (err == SL_ERR_TOO_BIG) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, 0, (long long)data.len,
                          "page is over the limit of %zu bytes", (size_t)HTML_PAGE_MAX_BYTES);
        err = SL_OK;
    } else if (!err && zmsg) {
        sli_ingest_report(b, SL_ERR_IO, path, 0, (long long)data.len, "read error: %s", zmsg);
    } else if (!err && data.len == 0) {
        sli_ingest_report(b, SL_ERR_EMPTY, path, 0, 0, "empty file");
    } else if (!err) {
        ingest_html h = {.path = path, .offset = 0, .id = id, .fallback_source = source,
                         .bytes = data.data, .n = data.len};
        err = sli_ingest_html(b, &h);
    }
    sli_buf_free(&data);
    sli_ingest_progress(b, path, 1);
    return err;
}
