/* export.c — articles as the JSON shapes of docs/output.md, JSON Lines, or CSV. */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/json_writer.h"
#include "../core/utf8.h"
#include "export.h"
#include "storyline.h"

/* One article object (docs/output.md). */
void sli_article_json(jw *w, const sl_article *a, unsigned with)
{
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "id", a->id);
    sli_jw_kv_string(w, "source", a->source);
    sli_jw_kv_string(w, "url", a->url);
    sli_jw_kv_string(w, "date", a->date);
    sli_jw_kv_string(w, "title", a->title);
    sli_jw_kv_string(w, "byline", a->byline);
    sli_jw_kv_string(w, "credit", a->credit);
    sli_jw_kv_int(w, "chars_raw", a->chars_raw);
    sli_jw_kv_int(w, "chars_clean", a->chars_clean);
    sli_jw_kv_string(w, "family", a->family);
    sli_jw_kv_string(w, "event", a->event);
    sli_jw_key(w, "meta");
    sli_jw_raw(w, a->meta);
    sli_jw_kv_string(w, "origin", a->origin);
    /* what an HTML page said of itself (null for text input) */
    sli_jw_kv_string(w, "lang", a->lang);
    sli_jw_kv_string(w, "site_name", a->site_name);
    sli_jw_kv_string(w, "charset", a->charset);
    sli_jw_kv_string(w, "date_source", a->date_source);
    if (with & SL_WITH_TEXT)
        sli_jw_kv_string(w, "text", a->text);
    if (with & SL_WITH_RAW)
        sli_jw_kv_string(w, "raw", a->raw);
    if (with & SL_WITH_FACTS) { /* stored as written by the facts stage: JSON already */
        sli_jw_key(w, "facts");
        sli_jw_raw(w, a->facts);
    }
    sli_jw_end_object(w);
}

/* Bytes a CSV cell never carries as they are: C0 controls but tab, LF and CR, DEL, and
 * what core/utf8.h calls invisible controls (C1, bidi controls, U+2028/9). Each is written
 * as U+FFFD: a cell may reach a terminal (export to stdout) or a spreadsheet, and neither
 * may be steered by scraped text. Returns the length of the sequence to replace at p, or
 * 0 (invalid UTF-8 never reaches an export: the store holds valid text). */
static size_t csv_unsafe(const unsigned char *p)
{
    if (p[0] < 0x80)
        return (p[0] < 0x20 && p[0] != '\t' && p[0] != '\n' && p[0] != '\r') || p[0] == 0x7f;
    size_t len;
    unsigned cp = sli_utf8_decode(p, strnlen((const char *)p, 4), &len);
    return sli_utf8_invisible_control(cp) ? len : 0;
}

sl_error sli_csv_field(buf *out, const char *s, int last)
{
    sl_error err = SL_OK;
    if (s) {
        /* A cell that a spreadsheet would read as a formula (=HYPERLINK(...) opens as a
         * live link; +, - and @ start formulas too, and a leading tab or CR can hide
         * one) gets a ' in front, inside quotes, as OWASP's CSV injection advice says. */
        int formula = strchr("=+-@\t\r", s[0]) && s[0];
        /* ';' too: the separator of spreadsheets in locales with a decimal comma, where
         * "x;=HYPERLINK(...)" unquoted would open a formula in a cell of its own. */
        int quote = formula || strpbrk(s, ",;\"\r\n");
        if (quote)
            err = sli_buf_putc(out, '"');
        if (!err && formula)
            err = sli_buf_putc(out, '\'');
        const unsigned char *p = (const unsigned char *)s, *run = p;
        while (!err && *p) {
            size_t bad = csv_unsafe(p);
            if (!bad && !(quote && *p == '"')) {
                p++;
                continue;
            }
            err = sli_buf_append(out, (const char *)run, (size_t)(p - run));
            if (!err)
                err = bad ? sli_buf_puts(out, "\xEF\xBF\xBD") : sli_buf_puts(out, "\"\"");
            p += bad ? bad : 1;
            run = p;
        }
        if (!err)
            err = sli_buf_append(out, (const char *)run, (size_t)(p - run));
        if (!err && quote)
            err = sli_buf_putc(out, '"');
    }
    return err ? err : sli_buf_puts(out, last ? "\r\n" : ",");
}

typedef struct exporter {
    sl_format format;
    unsigned with;
    jw w;         /* JSON and JSON Lines */
    buf csv;      /* one CSV row at a time */
    sl_write_fn fn;
    void *user;
    sl_error err;
} exporter;

static void csv_header(exporter *x)
{
    static const char *const cols[] = {"id",         "source",    "url",    "date",
                                       "title",      "byline",    "credit", "chars_raw",
                                       "chars_clean", "family",   "event"};
    size_t n = sizeof cols / sizeof cols[0];
    for (size_t i = 0; i < n && !x->err; i++)
        x->err = sli_csv_field(&x->csv, cols[i], i + 1 == n && !(x->with & SL_WITH_TEXT));
    if (!x->err && (x->with & SL_WITH_TEXT))
        x->err = sli_csv_field(&x->csv, "text", 1);
}

static int export_one(void *user, const sl_article *a)
{
    exporter *x = user;
    if (x->format == SL_FORMAT_CSV) {
        char raw[24], clean[24];
        snprintf(raw, sizeof raw, "%lld", a->chars_raw);
        snprintf(clean, sizeof clean, "%lld", a->chars_clean);
        const char *vals[] = {a->id,    a->source, a->url,   a->date,  a->title, a->byline,
                              a->credit, raw,      clean,    a->family, a->event};
        size_t n = sizeof vals / sizeof vals[0];
        /* A row cut short by a failed append is never written: the export stops. */
        for (size_t i = 0; i < n && !x->err; i++)
            x->err = sli_csv_field(&x->csv, vals[i], i + 1 == n && !(x->with & SL_WITH_TEXT));
        if (!x->err && (x->with & SL_WITH_TEXT))
            x->err = sli_csv_field(&x->csv, a->text, 1);
        if (!x->err && x->csv.len >= 16384) {
            if (x->fn(x->user, x->csv.data, x->csv.len))
                x->err = SL_ERR_WRITE;
            sli_buf_clear(&x->csv);
        }
        return x->err != SL_OK;
    }
    sli_article_json(&x->w, a, x->with);
    if (x->format == SL_FORMAT_JSONL)
        sli_jw_newline(&x->w);
    return x->w.err != SL_OK;
}

sl_error sl_write_articles(sl_store *st, sl_format format, unsigned with, sl_write_fn fn,
                           void *user)
{
    if (!st || !fn || format > SL_FORMAT_CSV)
        return SL_ERR_INVALID;
    exporter x = {.format = format, .with = with, .fn = fn, .user = user};
    sli_jw_init(&x.w, fn, user, format == SL_FORMAT_JSON);
    sli_buf_init(&x.csv, BUF_UNLIMITED);
    if (format == SL_FORMAT_JSON)
        sli_jw_begin_array(&x.w);
    else if (format == SL_FORMAT_CSV)
        csv_header(&x);
    sl_error err = sl_store_each_article(st, with, export_one, &x);
    if (format == SL_FORMAT_JSON) {
        sli_jw_end_array(&x.w);
        sli_jw_newline(&x.w);
    }
    sl_error werr = sli_jw_finish(&x.w);
    if (!err && !x.err && x.csv.len && fn(user, x.csv.data, x.csv.len))
        x.err = SL_ERR_WRITE;
    sli_buf_free(&x.csv);
    return err ? err : x.err ? x.err : werr;
}

sl_error sl_write_article(sl_store *st, const char *id, sl_write_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    sl_article *a;
    sl_error err = sl_store_get_article(st, id, SL_WITH_TEXT | SL_WITH_FACTS, &a);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_article_json(&w, a, SL_WITH_TEXT | SL_WITH_FACTS);
    sli_jw_newline(&w);
    sl_article_free(a);
    return sli_jw_finish(&w);
}

/* A date field of sl_stats: "" means unknown. */
static void kv_date(jw *w, const char *key, const char *date)
{
    sli_jw_kv_string(w, key, *date ? date : NULL);
}

static void kv_table(void *user, const char *table, const char *group, long long bytes)
{
    (void)group;
    sli_jw_kv_int(user, table, bytes);
}

sl_error sl_write_stats(sl_store *st, sl_write_fn fn, void *user)
{
    return sl_write_stats_bytes(st, 0, fn, user);
}

sl_error sl_write_stats_bytes(sl_store *st, int bytes, sl_write_fn fn, void *user)
{
    if (!st || !fn)
        return SL_ERR_INVALID;
    sl_stats s;
    sl_error err = sl_store_stats(st, &s);
    sl_store_bytes g = {0};
    if (!err && bytes)
        err = sl_store_bytes_by_group(st, &g);
    if (err)
        return err;
    const sl_batch_summary *b = &s.last;
    double secs = b->seconds > 1e-6 ? b->seconds : 1e-6;
    jw w;
    sli_jw_init(&w, fn, user, 1);
    sli_jw_begin_object(&w);
    sli_jw_kv_int(&w, "articles", s.articles);
    sli_jw_kv_int(&w, "sources", s.sources);
    sli_jw_kv_int(&w, "dated", s.dated);
    kv_date(&w, "date_first", s.date_first);
    kv_date(&w, "date_last", s.date_last);
    sli_jw_kv_int(&w, "chars_raw", s.chars_raw);
    sli_jw_kv_int(&w, "store_bytes", s.store_bytes);
    sli_jw_kv_int(&w, "families", s.families);
    sli_jw_kv_int(&w, "family_members", s.family_members);
    sli_jw_kv_int(&w, "batches", s.batches);
    sli_jw_kv_int(&w, "articles_with_facts", s.with_facts);
    sli_jw_kv_int(&w, "quotes", s.quotes);
    sli_jw_kv_int(&w, "event_entities", s.entities);
    sli_jw_key(&w, "search_index");
    sli_jw_bool(&w, sl_store_has_search(st));
    sli_jw_key(&w, "last_batch");
    if (!s.batches) {
        sli_jw_null(&w);
    } else {
        sli_jw_begin_object(&w);
        kv_date(&w, "committed_at", s.last_at);
        sli_jw_kv_int(&w, "added", b->added);
        sli_jw_kv_int(&w, "updated", b->updated);
        sli_jw_kv_int(&w, "present", b->present);
        sli_jw_kv_int(&w, "skipped", b->skipped);
        sli_jw_kv_int(&w, "files", b->files);
        sli_jw_kv_int(&w, "bytes", b->bytes);
        sli_jw_key(&w, "seconds");
        sli_jw_double(&w, b->seconds);
        sli_jw_key(&w, "mb_per_s");
        sli_jw_double(&w, (double)b->bytes / 1e6 / secs);
        sli_jw_key(&w, "articles_per_s");
        sli_jw_double(&w, (double)(b->added + b->updated + b->present + b->skipped) / secs);
        sli_jw_end_object(&w);
    }
    if (bytes) {
        const struct {
            const char *name;
            long long n;
        } groups[] = {{"texts", g.texts},   {"facts", g.facts},   {"events", g.events},
                      {"dedup", g.dedup},   {"search", g.search}, {"other", g.other}};
        size_t k = sizeof groups / sizeof *groups;
        sli_jw_key(&w, "bytes_by_group");
        sli_jw_begin_object(&w);
        for (size_t i = 0; i < k; i++)
            sli_jw_kv_int(&w, groups[i].name, groups[i].n);
        sli_jw_end_object(&w);
        sli_jw_key(&w, "bytes_per_article");
        sli_jw_begin_object(&w);
        for (size_t i = 0; i < k; i++) {
            sli_jw_key(&w, groups[i].name);
            sli_jw_double(&w, s.articles ? (double)groups[i].n / (double)s.articles : 0);
        }
        sli_jw_end_object(&w);
        sli_jw_key(&w, "bytes_by_table");
        sli_jw_begin_object(&w);
        err = sl_store_table_bytes(st, kv_table, &w);
        sli_jw_end_object(&w);
    }
    sli_jw_end_object(&w);
    sli_jw_newline(&w);
    sl_error done = sli_jw_finish(&w);
    return err ? err : done;
}
