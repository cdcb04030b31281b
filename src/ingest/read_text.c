/* read_text.c — plain-text articles: one per file, an optional " date YYYY-MM-DD" header. */
#include "ingest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h> /* strncasecmp */

#include "../text/date.h" /* sli_text_parse_iso_date */

/* Whether the first bytes look like binary data rather than text: any NUL byte, or many
 * control characters other than whitespace. Returns the offset of the evidence, or -1. */
static long long binary_at(const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    if (nul)
        return nul - s;
    size_t probe = n < 4096 ? n : 4096, controls = 0, first = 0;
    for (size_t i = 0; i < probe; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') {
            if (!controls)
                first = i;
            controls++;
        }
    }
    return controls * 10 > probe ? (long long)first : -1;
}

/* Recognise the header line: optional blanks, "date" (any case), blanks, YYYY-MM-DD.
 * Returns the bytes it spans (the rest of the line is article text), or 0. */
static size_t date_header(const char *s, size_t n, char date[32])
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i < 5 || strncasecmp(s + i, "date", 4) != 0 || (s[i + 4] != ' ' && s[i + 4] != '\t'))
        return 0;
    i += 4;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    char iso[32];
    /* Only the date belongs to the header: a time after it is article text. */
    size_t used = sli_text_parse_iso_date(s + i, n - i < 10 ? n - i : 10, iso);
    if (used != 10 || (i + used < n && s[i + used] != ' ' && s[i + used] != '\t' &&
                       s[i + used] != '\r' && s[i + used] != '\n'))
        return 0;
    memcpy(date, iso, 11);
    i += used;
    /* One separating blank belongs to the header; a line end too. */
    if (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    else if (i < n && s[i] == '\r')
        i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
    else if (i < n && s[i] == '\n')
        i++;
    return i;
}

sl_error sli_ingest_text_buffer(sl_batch *b, const char *path, const char *id, const char *source,
                            const char *data, size_t n)
{
    long long bin = binary_at(data, n);
    if (bin >= 0) {
        sli_ingest_report(b, SL_ERR_BINARY, path, 0, bin,
                      "binary data (control byte 0x%02x), not a text article",
                      (unsigned char)data[bin]);
        return SL_OK;
    }
    size_t skip = 0;
    if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        skip = 3; /* UTF-8 byte order mark */
    char date[32];
    size_t header = date_header(data + skip, n - skip, date);
    skip += header;
    ingest_record r = {
        .id = id,
        .source = source,
        .date = header ? date : NULL,
        .text = data + skip,
        .text_len = n - skip,
        .path = path,
        .offset = (long long)skip,
    };
    return sli_ingest_put(b, &r);
}

sl_error sli_ingest_text_file(sl_batch *b, const char *path, const char *id, const char *source)
{
    FILE *f;
    sl_error oerr = sli_ingest_open(b, path, &f);
    if (oerr || !f)
        return oerr; /* out of memory, or reported and skipped */
    buf data;
    sli_buf_init(&data, b->opt.max_article_bytes);
    sl_error err = SL_OK;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        err = sli_buf_append(&data, chunk, got);
        if (err)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    b->sum.files++;
    b->sum.bytes += (long long)data.len;
    if (err == SL_ERR_TOO_BIG) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, 0, (long long)data.len,
                      "file is over the article limit of %zu bytes", b->opt.max_article_bytes);
        err = SL_OK;
    } else if (!err && read_error) {
        sli_ingest_report(b, SL_ERR_IO, path, 0, (long long)data.len, "read error: %s",
                      strerror(errno));
    } else if (!err && data.len == 0) {
        sli_ingest_report(b, SL_ERR_EMPTY, path, 0, 0, "empty file");
    } else if (!err) {
        err = sli_ingest_text_buffer(b, path, id, source, data.data, data.len);
    }
    sli_buf_free(&data);
    sli_ingest_progress(b, path, 1);
    return err;
}
