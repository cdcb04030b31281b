/* text_tools.c — the per-article stages on one text, without a store (the public
 * sl_text_tools): what a batch does to each article as it is cleaned (clean, sketch,
 * features, facts), each written as one JSON object, so that the work can be spread over
 * machines and the keys shuffled between them (docs/python.md). Each function calls the
 * same code the pipeline calls, so a text gives here what it gives in a batch (but for the
 * cleaner's repetition statistics, which need the store). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <xxhash.h>

#include "../clean/clean.h"
#include "../cluster/cluster.h"
#include "../core/buf.h"
#include "../core/json_writer.h"
#include "../core/utf8.h"
#include "../dedup/dedup.h"
#include "../facts/facts.h"
#include "../ingest/ingest.h" /* a batch's limits on an article */
#include "../text/date.h"
#include "line_counts.h"
#include "pipeline.h"

struct sl_text_tools {
    sli_facts_ctx *facts;
    features_ctx *features;
    clean_result clean;
    buf norm, scratch, title;
    sli_facts f;
    sketch sk;
    uint64_t paras[DEDUP_MAX_PARAS];
    features feat;
    cterm sorted[FEATURES_MAX];
};

sl_error sl_text_tools_create(sl_text_tools **out)
{
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    sl_text_tools *t = calloc(1, sizeof *t);
    if (!t)
        return SL_ERR_NOMEM;
    sli_clean_result_init(&t->clean, BUF_UNLIMITED);
    sli_buf_init(&t->norm, BUF_UNLIMITED);
    sli_buf_init(&t->scratch, BUF_UNLIMITED);
    sli_buf_init(&t->title, BUF_UNLIMITED);
    sl_error err = sli_facts_ctx_create(&t->facts);
    if (!err)
        err = sli_features_ctx_create(&t->features);
    if (err) {
        sl_text_tools_free(t);
        return err;
    }
    *out = t;
    return SL_OK;
}

void sl_text_tools_free(sl_text_tools *t)
{
    if (!t)
        return;
    sli_facts_ctx_free(t->facts);
    sli_features_ctx_free(t->features);
    sli_clean_result_free(&t->clean);
    sli_buf_free(&t->norm);
    sli_buf_free(&t->scratch);
    sli_buf_free(&t->title);
    sli_facts_clear(&t->f);
    free(t);
}

/* The most a text may be and the most lines a raw text may have: a batch's (ingest.h). */
#define TEXT_MAX_BYTES INGEST_DEFAULT_MAX_ARTICLE
#define TEXT_MAX_LINES INGEST_MAX_LINES

/* Every text these read is one a batch would take (these come from anywhere): UTF-8, no
 * NUL byte, not too big. */
static sl_error checked(const char *s, size_t len)
{
    if (!s && len)
        return SL_ERR_INVALID;
    if (len > TEXT_MAX_BYTES)
        return SL_ERR_TOO_BIG;
    if (s && sli_utf8_invalid_at(s, len) != len)
        return SL_ERR_UTF8;
    return s && memchr(s, '\0', len) ? SL_ERR_BINARY : SL_OK;
}

static sl_error checked_str(const char *s)
{
    return s ? checked(s, strlen(s)) : SL_OK;
}

/* The arguments every sl_write_text_* takes: the tools, a writer, a text, a title. */
static sl_error args_ok(const sl_text_tools *t, sl_write_fn fn, const char *text, size_t len,
                        const char *title)
{
    if (!t || !fn)
        return SL_ERR_INVALID;
    sl_error err = checked(text, len);
    return err ? err : checked_str(title);
}

/* A record's "origin": "path" or "path:line", as the batch's (built in out). */
static sl_error write_origin(jw *w, const ingest_record *rec, buf *out)
{
    char num[24] = "";
    if (rec->line)
        snprintf(num, sizeof num, ":%ld", rec->line);
    sli_buf_clear(out);
    sl_error err = sli_buf_puts(out, rec->path);
    if (!err)
        err = sli_buf_puts(out, num);
    if (!err) {
        sli_jw_key(w, "origin");
        sli_jw_string_n(w, out->data, out->len);
    }
    return err;
}

/* Clean raw against counts (NULL: none, the only article of its source). rec: the record
 * the text is from (sl_write_record_clean), or NULL: then its page's hints are the
 * cleaner's, and the date and byline are resolved as the store resolves them. */
static sl_error clean_text(sl_text_tools *t, const sl_line_counts *counts, const char *source,
                           const char *raw, size_t len, const char *title,
                           const ingest_record *rec, sl_write_fn fn, void *user)
{
    sl_error err = args_ok(t, fn, raw, len, title);
    if (err)
        return err;
    raw = raw ? raw : "";
    if (title && !*title)
        title = NULL; /* as a batch takes an empty title */
    clean_result *r = &t->clean;
    clean_input in = {title, 1, NULL, NULL, NULL, 0};
    const store_page *page = rec ? rec->page : NULL;
    if (page && page->hints) {
        in.hints = page->hints;
        in.n_hints = page->n_hints;
    }
    line_counts_lookup k;
    if (counts)
        err = sli_line_counts_input(counts, source, &in, &k);
    if (!err)
        err = sli_clean_split(raw, len, r, NULL);
    if (!err && r->n > TEXT_MAX_LINES)
        err = SL_ERR_TOO_BIG;
    if (!err && rec && !r->n)
        err = SL_ERR_EMPTY; /* a record a batch would not store: no article text */
    if (!err)
        err = sli_clean_label_lines(raw, len, &in, r);
    if (err)
        return err;
    const char *found = title;
    if (!found && r->title_line >= 0) { /* as the pipeline: the input's title, else the text's */
        const clean_line *l = &r->lines[r->title_line];
        sli_buf_clear(&t->title);
        if ((err = sli_buf_append(&t->title, raw + l->start, l->len)))
            return err;
        found = sli_buf_str(&t->title);
    }
    size_t kept = 0;
    for (size_t i = 0; i < r->n; i++)
        kept += r->lines[i].label == CLEAN_BODY;
    const char *date = r->date.kind ? r->date.iso : NULL;
    const char *byline = r->byline[0] ? r->byline : NULL;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_jw_begin_object(&w);
    if (rec) { /* as clean_store.c resolves them: the input's date, else the text's, else
                  the fetch date; the text's byline, else the page's author */
        date = rec->date ? rec->date : date ? date : page ? page->fetch_date : NULL;
        /* the store keeps an empty page field as NULL */
        byline = byline                                     ? byline
                 : page && page->author.value && *page->author.value ? page->author.value
                                                                     : NULL;
        sli_jw_kv_string(&w, "id", rec->id);
        sli_jw_kv_string(&w, "source", source);
        sli_jw_kv_string(&w, "url", rec->url);
        if ((err = write_origin(&w, rec, &t->scratch))) {
            sli_jw_finish(&w); /* frees what the writer holds */
            return err;
        }
    }
    sli_jw_kv_string(&w, "title", found);
    sli_jw_kv_string(&w, "date", date);
    sli_jw_kv_string(&w, "byline", byline);
    sli_jw_kv_string(&w, "credit", r->credit[0] ? r->credit : NULL);
    sli_jw_key(&w, "text");
    sli_jw_string_n(&w, r->text.data ? r->text.data : "", r->text.len);
    sli_jw_kv_int(&w, "lines", (long long)r->n);
    sli_jw_kv_int(&w, "kept", (long long)kept);
    sli_jw_end_object(&w);
    return sli_jw_finish(&w);
}

sl_error sl_write_text_clean(sl_text_tools *t, const char *raw, size_t len, const char *title,
                             sl_write_fn fn, void *user)
{
    return clean_text(t, NULL, NULL, raw, len, title, NULL, fn, user);
}

sl_error sl_write_text_clean_counted(sl_text_tools *t, const sl_line_counts *counts,
                                     const char *source, const char *raw, size_t len,
                                     const char *title, sl_write_fn fn, void *user)
{
    if (!counts)
        return SL_ERR_INVALID;
    return clean_text(t, counts, source, raw, len, title, NULL, fn, user);
}

/* A record unpacked and checked as a batch checks it before it stores it
 * (sl_batch_add_record's sli_record_check, then sli_ingest_put's checks of the fields and
 * the text: an id, UTF-8, no NUL, the size; the lines are counted where it is split). */
static sl_error record_of(const void *record, size_t len, ingest_record *r, store_page *page,
                          char date[32])
{
    const char *why;
    if ((!record && len) || sli_record_unpack(record, len, r, page, &why))
        return SL_ERR_INVALID;
    json_object *meta;
    why = sli_record_check(r, page, date, &meta);
    json_object_put(meta); /* r->meta is not read here */
    r->meta = NULL;
    if (why)
        return SL_ERR_INVALID;
    if (!r->id || !*r->id)
        return SL_ERR_INVALID;
    const char *strs[] = {r->id, r->source, r->url, r->title};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        sl_error err = checked_str(strs[i]);
        if (err)
            return err;
    }
    if (r->source && !*r->source)
        r->source = NULL;
    return checked(r->text, r->text_len);
}

sl_error sl_write_record_clean(sl_text_tools *t, const sl_line_counts *counts,
                               const void *record, size_t len, sl_write_fn fn, void *user)
{
    ingest_record r;
    store_page page;
    char date[32];
    sl_error err = record_of(record, len, &r, &page, date);
    if (err)
        return err;
    return clean_text(t, counts, r.source ? r.source : "unknown", r.text, r.text_len, r.title,
                      &r, fn, user);
}

sl_error sl_write_record_fields(sl_text_tools *t, const void *record, size_t len,
                               sl_write_fn fn, void *user)
{
    ingest_record r;
    store_page page;
    char date[32];
    if (!t || !fn)
        return SL_ERR_INVALID;
    sl_error err = record_of(record, len, &r, &page, date);
    sli_buf_clear(&t->norm); /* the normalised text, as a batch hashes it */
    if (!err)
        err = sli_clean_split(r.text ? r.text : "", r.text_len, &t->clean, &t->norm);
    if (!err && !t->clean.n)
        err = SL_ERR_EMPTY; /* as a batch: no article text */
    if (!err && t->clean.n > TEXT_MAX_LINES)
        err = SL_ERR_TOO_BIG;
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_jw_begin_object(&w);
    sli_jw_kv_string(&w, "id", r.id);
    sli_jw_kv_string(&w, "source", r.source ? r.source : "unknown");
    sli_jw_kv_string(&w, "url", r.url);
    sli_jw_kv_string(&w, "date", r.date);
    sli_jw_kv_string(&w, "title", r.title && *r.title ? r.title : NULL);
    if ((err = write_origin(&w, &r, &t->scratch))) {
        sli_jw_finish(&w);
        return err;
    }
    sli_jw_key(&w, "text_hash");
    sli_jw_hex64(&w, XXH3_64bits(t->norm.data ? t->norm.data : "", t->norm.len));
    sli_jw_end_object(&w);
    return sli_jw_finish(&w);
}

sl_error sl_line_counts_add_record(sl_line_counts *counts, const void *record, size_t len)
{
    ingest_record r;
    store_page page;
    char date[32];
    sl_error err = record_of(record, len, &r, &page, date);
    if (!err)
        err = checked(r.text, r.text_len);
    return err ? err : sl_line_counts_add(counts, r.source, r.text, r.text_len);
}

sl_error sl_write_text_compare(sl_text_tools *t, const char *a, size_t alen, const char *b,
                               size_t blen, sl_write_fn fn, void *user)
{
    sl_error err = args_ok(t, fn, a, alen, NULL);
    if (!err)
        err = checked(b, blen);
    dedup_verdict v;
    if (!err)
        err = sli_dedup_compare(a, alen, b, blen, &t->norm, &v);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_jw_begin_object(&w);
    sli_jw_kv_int(&w, "shingles", (long long)v.na);
    sli_jw_kv_int(&w, "other_shingles", (long long)v.nb);
    sli_jw_key(&w, "jaccard");
    sli_jw_double_exact(&w, v.j);
    sli_jw_key(&w, "containment");
    sli_jw_double_exact(&w, v.c);
    sli_jw_key(&w, "match");
    sli_jw_bool(&w, v.match);
    sli_jw_key(&w, "copy");
    sli_jw_bool(&w, v.copy);
    sli_jw_end_object(&w);
    return sli_jw_finish(&w);
}

sl_error sl_write_text_sketch(sl_text_tools *t, const char *text, size_t len, sl_write_fn fn,
                              void *user)
{
    sl_error err = args_ok(t, fn, text, len, NULL);
    uint64_t bands[DEDUP_BANDS];
    uint32_t nparas = 0;
    if (!err)
        err = sli_dedup_text_keys(text ? text : "", len, &t->norm, &t->sk, bands, t->paras,
                                  &nparas);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_jw_begin_object(&w);
    sli_jw_kv_int(&w, "shingles", t->sk.shingles);
    sli_jw_key(&w, "signature");
    sli_jw_begin_array(&w);
    for (int i = 0; i < SKETCH_K; i++)
        sli_jw_int(&w, t->sk.v[i]);
    sli_jw_end_array(&w);
    sli_jw_key(&w, "bands");
    sli_jw_begin_array(&w);
    for (int b = 0; b < DEDUP_BANDS; b++)
        sli_jw_hex64(&w, bands[b]);
    sli_jw_end_array(&w);
    sli_jw_key(&w, "paragraphs");
    sli_jw_begin_array(&w);
    for (uint32_t p = 0; p < nparas; p++)
        sli_jw_hex64(&w, t->paras[p]);
    sli_jw_end_array(&w);
    sli_jw_end_object(&w);
    return sli_jw_finish(&w);
}

static int by_weight(const void *a, const void *b)
{
    const cterm *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

sl_error sl_write_text_features(sl_text_tools *t, const char *title, const char *text,
                                size_t len, sl_write_fn fn, void *user)
{
    static const char *const view_name[VIEWS] = {"title", "body", "names", "details", "quotes"};
    sl_error err = args_ok(t, fn, text, len, title);
    if (!err)
        err = sli_features_extract(t->features, title, text ? text : "", len, &t->feat);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_jw_begin_object(&w);
    for (int v = 0; v < VIEWS; v++) {
        uint32_t n = t->feat.n[v];
        memcpy(t->sorted, t->feat.terms + t->feat.at[v], n * sizeof *t->sorted);
        qsort(t->sorted, n, sizeof *t->sorted, by_weight);
        sli_jw_key(&w, view_name[v]);
        sli_jw_begin_array(&w);
        for (uint32_t i = 0; i < n; i++) {
            sli_jw_begin_array(&w);
            sli_jw_hex64(&w, t->sorted[i].id);
            sli_jw_double(&w, t->sorted[i].w);
            sli_jw_end_array(&w);
        }
        sli_jw_end_array(&w);
    }
    sli_jw_end_object(&w);
    return sli_jw_finish(&w);
}

sl_error sl_write_text_facts(sl_text_tools *t, const char *title, const char *text, size_t len,
                             const char *date, sl_write_fn fn, void *user)
{
    sl_error err = args_ok(t, fn, text, len, title);
    if (!err)
        err = checked_str(date);
    if (err)
        return err;
    sli_facts_clear(&t->f);
    err = sli_facts_of_article(t->facts, title, text ? text : "", len, date, &t->scratch, &t->f);
    if (err)
        return err;
    jw w;
    sli_jw_init(&w, fn, user, 0);
    sli_facts_write_json(&w, &t->f);
    return sli_jw_finish(&w);
}
