/* read_jsonl.c — JSON Lines: one article per line, with the field aliases of docs/ingest.md.
 *
 * A malformed line is reported as file:line and skipped; the rest of the file goes on.
 * Lines are read through a buffer capped at the article limit, so one endless line
 * cannot exhaust memory: it is skipped to its end and reported. */
#include "ingest.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdint.h> /* INT32_MAX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/date.h" /* sli_text_parse_iso_date */
#include "url.h"          /* sli_ingest_url_host */

#include <xxhash.h> /* XXH3_64bits: ids of stdin records without one */

/* The fields docs/ingest.md names, in order of preference within each group. */
static const char *const date_keys[] = {"date", "published", "date_publish"};
static const char *const text_keys[] = {"text", "maintext", "content", "body"};

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* A string field's value, or NULL when absent, null, empty or not a string. */
static const char *string_field(json_object *obj, const char *key, size_t *len)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    size_t n = (size_t)json_object_get_string_len(v);
    if (!n)
        return NULL;
    if (len)
        *len = n;
    return json_object_get_string(v);
}

/* Whether a string field holds a NUL ("\u0000"): C strings would cut it there. */
static int has_nul(json_object *obj, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return 0;
    return memchr(json_object_get_string(v), '\0', (size_t)json_object_get_string_len(v)) != NULL;
}

/* The fields taken out of one record; the rest go to meta. */
typedef struct fields {
    const char *taken[8];
    int ntaken;
} fields;

static void take(fields *f, const char *key)
{
    if (f->ntaken < (int)NKEYS(f->taken))
        f->taken[f->ntaken++] = key;
}

static int was_taken(const fields *f, const char *key)
{
    for (int i = 0; i < f->ntaken; i++)
        if (!strcmp(f->taken[i], key))
            return 1;
    return 0;
}

/* Serialise the fields not taken as a JSON object string in *out, NULL when there are
 * none. *owner receives the object that owns the string (put it when done, also after
 * an error). json-c reports a failed allocation only by a NULL or -1 here and there, and
 * not at all in some places: errno is the witness that none failed. */
static sl_error meta_of(json_object *obj, const fields *f, json_object **owner, const char **out)
{
    json_object *meta = NULL;
    *owner = NULL;
    *out = NULL;
    errno = 0;
    json_object_object_foreach(obj, key, val)
    {
        if (was_taken(f, key))
            continue;
        if (!meta && !(*owner = meta = json_object_new_object()))
            return SL_ERR_NOMEM;
        if (json_object_object_add(meta, key, json_object_get(val)) != 0) {
            json_object_put(val);
            return SL_ERR_NOMEM;
        }
    }
    if (meta && !(*out = json_object_to_json_string_ext(
                      meta, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)))
        return SL_ERR_NOMEM;
    return errno == ENOMEM ? SL_ERR_NOMEM : SL_OK;
}

static sl_error record_from_object(sl_batch *b, json_object *obj, const char *path,
                                   const char *id_base, const char *source, long line,
                                   long long offset)
{
    fields f = {{0}, 0};
    ingest_record r = {.path = path, .line = line, .offset = offset};

    for (size_t i = 0; i < NKEYS(text_keys) && !r.text; i++)
        if ((r.text = string_field(obj, text_keys[i], &r.text_len)))
            take(&f, text_keys[i]);
    /* A record with the page's HTML and no text: the HTML front end reads it (news-please
     * writes the page's HTML beside its own extraction; a text field wins). */
    /* A JSON string is Unicode already: the page's own <meta charset> must not decode
     * it a second time. */
    ingest_html h = {.path = path, .line = line, .offset = offset,
                     .content_type = "text/html; charset=utf-8"};
    if (!r.text && (h.bytes = string_field(obj, "html", &h.n)))
        take(&f, "html");
    /* A headline with no body (a flash, a brief) is an article of one line. The title
     * field stays taken as the title too. */
    if (!r.text && !h.bytes && (r.text = string_field(obj, "title", &r.text_len)) && !*r.text)
        r.text = NULL;
    if (!r.text && !h.bytes) {
        sli_ingest_report(b, SL_ERR_NO_TEXT, path, line, offset,
                      "record has no text (fields text, maintext, content, body or html)");
        return SL_OK;
    }

    static const char *const named[] = {"id", "url", "source", "title"};
    for (size_t i = 0; i < NKEYS(named); i++)
        if (has_nul(obj, named[i])) {
            sli_ingest_report(b, SL_ERR_BINARY, path, line, offset,
                          "field \"%s\" holds a NUL character (\\u0000)", named[i]);
            return SL_OK;
        }

    char id_buf[64];
    json_object *v;
    if ((r.id = string_field(obj, "id", NULL))) {
        take(&f, "id");
    } else if (json_object_object_get_ex(obj, "id", &v) && json_object_is_type(v, json_type_int)) {
        snprintf(id_buf, sizeof id_buf, "%lld", (long long)json_object_get_int64(v));
        r.id = id_buf;
        take(&f, "id");
    }
    if ((r.url = string_field(obj, "url", NULL)))
        take(&f, "url");
    if (!r.id)
        r.id = r.url;

    char date[32];
    for (size_t i = 0; i < NKEYS(date_keys) && !r.date; i++) {
        size_t n;
        const char *d = string_field(obj, date_keys[i], &n);
        if (d && sli_text_parse_iso_date(d, n, date)) {
            r.date = date;
            take(&f, date_keys[i]);
        }
    }
    if ((r.title = string_field(obj, "title", NULL)))
        take(&f, "title");

    char host[256];
    if ((r.source = string_field(obj, "source", NULL)))
        take(&f, "source");
    else if (r.url && sli_ingest_url_host(r.url, host, sizeof host))
        r.source = host;
    else
        r.source = source;

    /* Without id or url the line's place in its file names it; on standard input, which
     * starts at line 1 on every run, the text's hash does. */
    char *fallback = NULL;
    if (!r.id) {
        size_t n = strlen(id_base) + 24;
        fallback = malloc(n);
        if (!fallback)
            return SL_ERR_NOMEM;
        if (!strcmp(path, "-"))
            snprintf(fallback, n, "%s:%016llx", id_base,
                     (unsigned long long)(h.bytes ? XXH3_64bits(h.bytes, h.n)
                                                  : XXH3_64bits(r.text, r.text_len)));
        else
            snprintf(fallback, n, "%s:%ld", id_base, line);
        r.id = fallback;
    }

    /* news-please's download date: the fetch date of a page, used only when neither the
     * page nor its text is dated */
    char fetched[32];
    size_t fn;
    const char *dd = h.bytes ? string_field(obj, "date_download", &fn) : NULL;
    if (dd && sli_text_parse_iso_date(dd, fn, fetched)) {
        h.fetch_date = fetched;
        take(&f, "date_download");
    }

    json_object *meta_owner = NULL;
    sl_error err = meta_of(obj, &f, &meta_owner, &r.meta);
    if (!err && h.bytes) {
        h.id = r.id;
        h.source = r.source;
        h.url = r.url;
        h.date = r.date;
        h.title = r.title;
        h.meta = r.meta;
        err = sli_ingest_html(b, &h);
    } else if (!err) {
        err = sli_ingest_put(b, &r);
    }
    json_object_put(meta_owner);
    free(fallback);
    return err;
}

sl_error sli_ingest_jsonl_line(sl_batch *b, const char *path, const char *id_base,
                           const char *source, long line, long long offset, const char *data,
                           size_t n)
{
    while (n && (data[n - 1] == '\r' || data[n - 1] == ' ' || data[n - 1] == '\t'))
        n--;
    size_t lead = 0;
    while (lead < n && (data[lead] == ' ' || data[lead] == '\t'))
        lead++;
    if (lead == n)
        return SL_OK; /* blank lines are allowed between records */
    if (n > (size_t)INT32_MAX) {
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, line, offset, "line too long");
        return SL_OK;
    }
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok)
        return SL_ERR_NOMEM;
    /* json-c does not say when an allocation failed: a line would read as malformed, or
     * lose a field. errno tells (malloc sets ENOMEM; nothing else in a parse does). */
    errno = 0;
    json_object *obj = json_tokener_parse_ex(tok, data + lead, (int)(n - lead));
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = lead + json_tokener_get_parse_end(tok);
    json_tokener_free(tok);

    sl_error err = SL_OK;
    if (errno == ENOMEM) {
        err = SL_ERR_NOMEM;
    } else if (jerr != json_tokener_success) {
        const char *why = jerr == json_tokener_continue ? "unexpected end of line"
                                                        : json_tokener_error_desc(jerr);
        sli_ingest_report(b, SL_ERR_JSON, path, line, offset + (long long)end,
                      "malformed JSON at column %zu: %s", end + 1, why);
    } else if (end != n) {
        sli_ingest_report(b, SL_ERR_JSON, path, line, offset + (long long)end,
                      "malformed JSON at column %zu: text after the JSON value", end + 1);
    } else if (!json_object_is_type(obj, json_type_object)) {
        sli_ingest_report(b, SL_ERR_JSON, path, line, offset,
                      "line is JSON but not an object: each line must be one article object");
    } else {
        err = record_from_object(b, obj, path, id_base, source, line, offset);
    }
    json_object_put(obj);
    return err;
}

sl_error sli_ingest_jsonl_stream(sl_batch *b, FILE *f, const char *path, const char *id_base,
                             const char *source)
{
    b->sum.files++;
    buf line;
    sli_buf_init(&line, b->opt.max_article_bytes);
    enum { CHUNK = 1 << 16 };
    char *chunk = malloc(CHUNK);
    if (!chunk)
        return SL_ERR_NOMEM; /* (line holds nothing yet) */
    long lineno = 1;
    long long offset = 0, line_start = 0;
    int too_long = 0;
    sl_error err = SL_OK;
    size_t got;
    while (!err && !b->read_stopped && (got = fread(chunk, 1, CHUNK, f)) > 0) {
        b->sum.bytes += (long long)got;
        size_t i = 0;
        while (!err && i < got) {
            const char *nl = memchr(chunk + i, '\n', got - i);
            size_t end = nl ? (size_t)(nl - chunk) : got;
            if (!too_long) {
                sl_error e = sli_buf_append(&line, chunk + i, end - i);
                if (e == SL_ERR_TOO_BIG)
                    too_long = 1;
                else if (e)
                    err = e;
            }
            if (err)
                break;
            offset += (long long)(end - i);
            i = end;
            if (!nl)
                break;
            /* A whole line (a byte order mark before the first is dropped). */
            if (lineno == 1 && line.len >= 3 && !memcmp(line.data, "\xEF\xBB\xBF", 3)) {
                memmove(line.data, line.data + 3, line.len - 3);
                line.len -= 3;
                line_start += 3;
            }
            if (too_long)
                sli_ingest_report(b, SL_ERR_TOO_BIG, path, lineno, line_start,
                              "line over the article limit of %zu bytes",
                              b->opt.max_article_bytes);
            else
                err = sli_ingest_jsonl_line(b, path, id_base, source, lineno, line_start,
                                        line.data ? line.data : "", line.len);
            sli_buf_clear(&line);
            too_long = 0;
            i++;
            offset++;
            lineno++;
            line_start = offset;
        }
    }
    int read_error = ferror(f);
    if (!err && read_error)
        sli_ingest_report(b, SL_ERR_IO, path, lineno, offset, "read error: %s", strerror(errno));
    else if (!err && too_long)
        sli_ingest_report(b, SL_ERR_TOO_BIG, path, lineno, line_start,
                      "line over the article limit of %zu bytes", b->opt.max_article_bytes);
    else if (!err && line.len)
        err = sli_ingest_jsonl_line(b, path, id_base, source, lineno, line_start, line.data,
                                line.len);
    sli_buf_free(&line);
    free(chunk);
    sli_ingest_progress(b, path, 1);
    return err;
}

sl_error sli_ingest_jsonl_file(sl_batch *b, const char *path, const char *id_base,
                           const char *source)
{
    int is_stdin = !strcmp(path, "-");
    FILE *f = stdin;
    if (!is_stdin) {
        sl_error oerr = sli_ingest_open(b, path, &f);
        if (oerr || !f)
            return oerr; /* out of memory, or reported and skipped */
    }
    sl_error err = sli_ingest_jsonl_stream(b, f, path, id_base, source);
    if (!is_stdin)
        fclose(f);
    return err;
}
