/* record.c — an article as read, packed into one blob and read back (layout: ingest.h, "Records"). */
#include "ingest.h"

#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "../core/utf8.h"
#include "../core/varint.h"
#include "../text/date.h"
#include "html_hint.h"

static const char MAGIC[4] = {'S', 'L', 'R', '1'};

#define HAS_PAGE 1u

/* A string: its length + 1 (0: NULL), its bytes, a NUL. */
static sl_error put_bytes(buf *out, const char *s, size_t len)
{
    if (!s)
        return sli_buf_put_varint(out, 0);
    sl_error err = sli_buf_put_varint(out, (uint64_t)len + 1);
    if (!err && len)
        err = sli_buf_append(out, s, len);
    return err ? err : sli_buf_putc(out, '\0');
}

static sl_error put_str(buf *out, const char *s)
{
    return put_bytes(out, s, s ? strlen(s) : 0);
}

sl_error sli_record_pack(const ingest_record *r, buf *out)
{
    sli_buf_clear(out);
    const store_page *p = r->page;
    sl_error err = sli_buf_append(out, MAGIC, sizeof MAGIC);
    if (!err)
        err = sli_buf_put_varint(out, p ? HAS_PAGE : 0);
    const char *strs[] = {r->id, r->source, r->url, r->date, r->title};
    for (size_t i = 0; !err && i < sizeof strs / sizeof *strs; i++)
        err = put_str(out, strs[i]);
    if (!err)
        err = put_bytes(out, r->text, r->text ? r->text_len : 0);
    if (!err)
        err = put_str(out, r->meta);
    if (!err)
        err = put_str(out, r->path);
    if (!err)
        err = sli_buf_put_varint(out, r->line > 0 ? (uint64_t)r->line : 0);
    if (!err)
        err = sli_buf_put_varint(out, r->offset >= 0 ? (uint64_t)r->offset + 1 : 0);
    if (err || !p)
        return err;
    err = sli_buf_put_varint(out, p->hints ? p->n_hints : 0);
    if (!err && p->hints && p->n_hints)
        err = sli_buf_append(out, p->hints, p->n_hints);
    const store_page_field *f[] = {&p->title,     &p->date, &p->author,     &p->site_name,
                                   &p->canonical, &p->lang, &p->description};
    if (!err)
        err = put_str(out, p->charset);
    for (size_t i = 0; !err && i < sizeof f / sizeof *f; i++) {
        err = put_str(out, f[i]->value);
        if (!err)
            err = put_str(out, f[i]->from);
    }
    return err ? err : put_str(out, p->fetch_date);
}

/* --- reading back --- */

typedef struct reader {
    const unsigned char *p, *end;
    const char *why;
} reader;

static int get_varint(reader *x, uint64_t *v, const char *what)
{
    if (sli_varint_get(&x->p, x->end, v))
        return 1;
    x->why = what;
    return 0;
}

/* A string: *s NULL for a NULL one; a C string unless `any_bytes` (then it may hold NULs,
 * *len says how long). */
static int get_str(reader *x, const char **s, size_t *len, int any_bytes, const char *what)
{
    uint64_t n;
    if (!get_varint(x, &n, what))
        return 0;
    *s = NULL;
    if (len)
        *len = 0;
    if (!n)
        return 1;
    n--;
    if (n >= (uint64_t)(x->end - x->p)) { /* the bytes and the NUL */
        x->why = what;
        return 0;
    }
    const char *at = (const char *)x->p;
    if (at[n] != '\0' || (!any_bytes && memchr(at, '\0', (size_t)n))) {
        x->why = what;
        return 0;
    }
    *s = at;
    if (len)
        *len = (size_t)n;
    x->p += n + 1;
    return 1;
}

sl_error sli_record_unpack(const void *data, size_t len, ingest_record *r, store_page *page,
                           const char **why)
{
    memset(r, 0, sizeof *r);
    memset(page, 0, sizeof *page);
    *why = "";
    reader x = {data, (const unsigned char *)data + len, NULL};
    if (!data || len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC)) {
        *why = "not a record (no SLR1 mark)";
        return SL_ERR_INVALID;
    }
    x.p += sizeof MAGIC;
    uint64_t flags = 0, line = 0, offset = 0;
    int ok = get_varint(&x, &flags, "its flags") && get_str(&x, &r->id, NULL, 0, "its id") &&
             get_str(&x, &r->source, NULL, 0, "its source") &&
             get_str(&x, &r->url, NULL, 0, "its url") &&
             get_str(&x, &r->date, NULL, 0, "its date") &&
             get_str(&x, &r->title, NULL, 0, "its title") &&
             get_str(&x, &r->text, &r->text_len, 1, "its text") &&
             get_str(&x, &r->meta, NULL, 0, "its other fields") &&
             get_str(&x, &r->path, NULL, 0, "its path") &&
             get_varint(&x, &line, "its line") && get_varint(&x, &offset, "its offset");
    if (ok && (flags & ~(uint64_t)HAS_PAGE)) {
        x.why = "its flags";
        ok = 0;
    }
    /* offsets are reported as offset + a place in the text: kept far from overflow */
    if (ok && (line > (uint64_t)LONG_MAX || offset > (uint64_t)1 << 62 ||
               r->text_len > (size_t)1 << 62)) {
        x.why = "its line or offset";
        ok = 0;
    }
    if (ok && (!r->text || !r->id || !r->path)) { /* sl_read_records writes all three */
        x.why = !r->text ? "its text" : !r->id ? "its id" : "its path";
        ok = 0;
    }
    if (ok && (flags & HAS_PAGE)) {
        uint64_t n = 0;
        ok = get_varint(&x, &n, "its page's hints");
        if (ok && n > (uint64_t)(x.end - x.p)) {
            x.why = "its page's hints";
            ok = 0;
        }
        for (uint64_t i = 0; ok && i < n; i++) /* each names a region the cleaner knows */
            if ((x.p[i] & HTML_HINT_REGION_MASK) >= HTML_REGION__COUNT) {
                x.why = "its page's hints";
                ok = 0;
            }
        if (ok) {
            page->hints = n ? x.p : NULL;
            page->n_hints = (size_t)n;
            x.p += n;
        }
        store_page_field *f[] = {&page->title,     &page->date, &page->author,
                                 &page->site_name, &page->canonical, &page->lang,
                                 &page->description};
        ok = ok && get_str(&x, &page->charset, NULL, 0, "its page's charset");
        for (size_t i = 0; ok && i < sizeof f / sizeof *f; i++)
            ok = get_str(&x, &f[i]->value, NULL, 0, "its page's metadata") &&
                 get_str(&x, &f[i]->from, NULL, 0, "its page's metadata");
        ok = ok && get_str(&x, &page->fetch_date, NULL, 0, "its page's fetch date");
        if (ok)
            r->page = page;
    }
    if (ok && x.p != x.end) {
        x.why = "bytes after its end";
        ok = 0;
    }
    if (!ok) {
        *why = x.why ? x.why : "";
        memset(r, 0, sizeof *r);
        memset(page, 0, sizeof *page);
        return SL_ERR_INVALID;
    }
    r->line = (long)line;
    r->offset = offset ? (long long)(offset - 1) : -1;
    return SL_OK;
}

static int field_ok(const char *s)
{
    return !s || sli_utf8_invalid_at(s, strlen(s)) == strlen(s);
}

const char *sli_record_check(ingest_record *r, const store_page *page, char date[32],
                             json_object **meta)
{
    *meta = NULL;
    if (r->date && !sli_text_parse_iso_date(r->date, strlen(r->date), date))
        return "its date is not ISO 8601";
    if (r->date)
        r->date = date;
    const char *strs[] = {r->path, page->charset, page->title.value, page->title.from,
                          page->date.value, page->date.from, page->author.value,
                          page->author.from, page->site_name.value, page->site_name.from,
                          page->canonical.value, page->canonical.from, page->lang.value,
                          page->lang.from, page->description.value, page->description.from,
                          page->fetch_date};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (!field_ok(strs[i]))
            return "invalid UTF-8 in its path or its page's metadata";
    if (r->meta) { /* a JSON object, written as a reader writes it */
        *meta = json_tokener_parse(r->meta);
        r->meta = json_object_is_type(*meta, json_type_object)
                      ? json_object_to_json_string_ext(*meta, JSON_C_TO_STRING_PLAIN |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE)
                      : NULL;
        if (!r->meta)
            return "its other fields are not a JSON object";
    }
    return NULL;
}
