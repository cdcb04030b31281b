/* dict_codec.c — values packed with a dictionary the store trained (dict_codec.h). */
#include "dict_codec.h"

#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <stdio.h>
#include <zstd.h>

#include "store_impl.h"

void sli_codec_init(dict_codec *c, const char *dict_sql, int raw_blobs)
{
    memset(c, 0, sizeof *c);
    c->dict_sql = dict_sql;
    c->raw_blobs = raw_blobs;
    sli_buf_init(&c->dict, BUF_UNLIMITED);
    sli_buf_init(&c->out, BUF_UNLIMITED);
}

void sli_codec_clear(dict_codec *c)
{
    const char *sql = c->dict_sql;
    int raw = c->raw_blobs, keep = c->keep_dict;
    sli_packer_free(c->plain);
    sli_packer_free(c->dicted);
    sli_buf_free(&c->dict);
    sli_buf_free(&c->out);
    sli_codec_init(c, sql, raw);
    c->keep_dict = keep;
}

sl_error sli_codec_use_dict(dict_codec *c, unsigned id, const void *dict, size_t n)
{
    sli_packer_free(c->dicted);
    c->dict_id = 0;
    sli_buf_clear(&c->dict);
    c->dicted = sli_packer_create(DICT_CODEC_LEVEL);
    if (!c->dicted)
        return SL_ERR_NOMEM;
    sl_error err = sli_packer_use_dict(c->dicted, dict, n);
    if (!err && c->keep_dict)
        err = sli_buf_append(&c->dict, dict, n);
    if (err) {
        sli_packer_free(c->dicted);
        c->dicted = NULL;
        return err;
    }
    c->dict_id = id;
    return SL_OK;
}

packer *sli_codec_packer(dict_codec *c, sqlite3 *db, unsigned id, sl_error *err)
{
    *err = SL_OK;
    if (!id) {
        if (!c->plain && !(c->plain = sli_packer_create(DICT_CODEC_LEVEL)))
            *err = SL_ERR_NOMEM;
        return c->plain;
    }
    if (c->dicted && c->dict_id == id)
        return c->dicted;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, c->dict_sql, -1, &s, NULL);
    if (rc) {
        c->failed = rc;
        *err = rc == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
        return NULL;
    }
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_BLOB) {
        const void *d = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0);
        /* an empty dictionary is damage (SQLite gives NULL for it), not a lack of memory */
        *err = n == 0 ? SL_ERR_STORE : d ? sli_codec_use_dict(c, id, d, (size_t)n) : SL_ERR_NOMEM;
        if (*err == SL_ERR_INVALID) /* not a dictionary zstd can use: damage */
            *err = SL_ERR_STORE;
    } else {
        /* no such dictionary: damaged; the dictionary not read (a full disk spilling the
         * cache, an I/O error, a lock): SQLite's failure, kept to be said as it is */
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            c->failed = rc;
        *err = rc == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
    }
    sqlite3_finalize(s);
    return *err ? NULL : c->dicted;
}

/* Whether p[0..n) begins as a zstd frame does. A stored memo begins with its own tag
 * ("EE1"), a centroid blob with "SL" and a version letter: never with these bytes. */
static int is_frame(const unsigned char *p, size_t n)
{
    static const unsigned char magic[4] = {0x28, 0xB5, 0x2F, 0xFD}; /* ZSTD_MAGICNUMBER */
    return n >= 4 && !memcmp(p, magic, 4);
}

sl_error sli_codec_read(dict_codec *c, sqlite3 *db, sqlite3_value *v, const char **data,
                        size_t *len)
{
    if (sqlite3_value_type(v) != SQLITE_BLOB) {
        *data = (const char *)sqlite3_value_text(v);
        *len = (size_t)sqlite3_value_bytes(v);
        return *data || sqlite3_value_type(v) == SQLITE_NULL ? SL_OK : SL_ERR_NOMEM;
    }
    const void *p = sqlite3_value_blob(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    if (!p && !n) { /* an empty BLOB (SQLite gives NULL for it) */
        *data = NULL;
        *len = 0;
        return SL_OK;
    }
    if (!p)
        return SL_ERR_NOMEM;
    if (c->raw_blobs && !is_frame(p, n)) {
        *data = p;
        *len = n;
        return SL_OK;
    }
    sl_error err;
    packer *pk = sli_codec_packer(c, db, ZSTD_getDictID_fromFrame(p, n), &err);
    if (!err)
        err = sli_unpack(pk, p, n, &c->out);
    if (!err) {
        *data = c->out.data;
        *len = c->out.len;
    }
    return err;
}

sl_error sli_codec_pack_into(packer *p, const void *src, size_t n, buf *out, const void **packed,
                             size_t *packed_len)
{
    *packed = NULL;
    *packed_len = 0;
    sl_error err = sli_pack(p, src, n, out);
    if (!err && out->len < n) {
        *packed = out->data;
        *packed_len = out->len;
    }
    return err;
}

sl_error sli_codec_pack(dict_codec *c, const void *src, size_t n, const void **packed,
                        size_t *packed_len)
{
    *packed = NULL;
    *packed_len = 0;
    sl_error err = SL_OK;
    packer *pk = c->dicted ? c->dicted : sli_codec_packer(c, NULL, 0, &err);
    return err ? err : sli_codec_pack_into(pk, src, n, &c->out, packed, packed_len);
}

packer *sli_codec_packer_like(const dict_codec *c)
{
    if (c->dicted && !c->keep_dict)
        return NULL;
    packer *p = sli_packer_create(DICT_CODEC_LEVEL);
    if (p && c->dicted && sli_packer_use_dict(p, c->dict.data, c->dict.len)) {
        sli_packer_free(p);
        return NULL;
    }
    return p;
}

sl_error sli_codec_load(sl_store *st, dict_codec *c, const char *table, int *found)
{
    *found = 0;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT id, dict FROM %s ORDER BY id LIMIT 1", table);
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, sql, &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const void *d = sqlite3_column_blob(s, 1);
        int n = sqlite3_column_bytes(s, 1);
        /* an empty or unusable dictionary is damage (SQLite gives NULL for an empty
         * blob), not a lack of memory */
        err = n <= 0 ? SL_ERR_STORE
              : !d   ? SL_ERR_NOMEM
                     : sli_codec_use_dict(c, (unsigned)sqlite3_column_int64(s, 0), d, (size_t)n);
        if (err == SL_ERR_INVALID)
            err = SL_ERR_STORE;
        if (err == SL_ERR_STORE)
            sli_store_set_error(st, "the dictionary in %s is damaged (run `storyline clean`"
                                    " after deleting its rows)", table);
        *found = !err;
    } else if (rc != SQLITE_DONE) {
        err = sli_store_fail(st, rc, "reading a dictionary");
    }
    sqlite3_finalize(s);
    return err;
}

sl_error sli_codec_train(sl_store *st, dict_codec *c, const char *select, unsigned samples,
                         size_t cap, const char *insert, const char *what, unsigned *had)
{
    *had = 0;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, select, &s);
    if (err)
        return err;
    sqlite3_bind_int64(s, 1, samples);
    buf all, dict;
    sli_buf_init(&all, BUF_UNLIMITED);
    sli_buf_init(&dict, BUF_UNLIMITED);
    size_t *sizes = calloc(samples ? samples : 1, sizeof *sizes);
    if (!sizes)
        err = SL_ERR_NOMEM;
    unsigned n = 0;
    int rc = SQLITE_DONE;
    while (!err && n < samples && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(s, 0);
        int len = sqlite3_column_bytes(s, 0);
        if (!p && len > 0)
            err = SL_ERR_NOMEM;
        else if (len > 0) {
            err = sli_buf_append(&all, p, (size_t)len);
            sizes[n++] = (size_t)len;
        }
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        char msg[96];
        snprintf(msg, sizeof msg, "reading %s", what);
        err = sli_store_fail(st, rc, msg);
    }
    sqlite3_finalize(s);
    *had = n;
    /* too few yet (ids left by dropped events, memos deleted): later, on more */
    if (err || n < samples) {
        sli_buf_free(&all);
        free(sizes);
        return err;
    }
    sl_error made = sli_pack_train(all.data, sizes, n, cap, &dict);
    sli_buf_free(&all);
    free(sizes);
    if (made == SL_ERR_NOMEM)
        err = made;
    unsigned id = made ? 0 : ZDICT_getDictID(dict.data, dict.len);
    if (!err && id) { /* else zstd could not train one: the store goes without */
        err = sli_store_prepare(st, insert, &s);
        if (!err) {
            sqlite3_bind_int64(s, 1, id);
            sqlite3_bind_blob(s, 2, dict.data, (int)dict.len, SQLITE_STATIC);
            rc = sqlite3_step(s);
            sqlite3_finalize(s);
            char msg[96];
            snprintf(msg, sizeof msg, "saving the dictionary of %s", what);
            err = rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, msg);
        }
        if (!err)
            err = sli_codec_use_dict(c, id, dict.data, dict.len);
    }
    sli_buf_free(&dict);
    return err;
}

void sli_codec_result(sqlite3_context *ctx, dict_codec *c, sl_error err, const char *data,
                      size_t len, int as_text, int damaged_is_null, const char *damaged)
{
    if (err == SL_ERR_NOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (err && c->failed) {
        sqlite3_result_error(ctx, sqlite3_errstr(c->failed), -1);
        sqlite3_result_error_code(ctx, c->failed);
    } else if (err && !damaged_is_null) {
        sqlite3_result_error(ctx, damaged, -1);
        sqlite3_result_error_code(ctx, SQLITE_CORRUPT);
    } else if (err || !data)
        sqlite3_result_null(ctx);
    else if (as_text)
        sqlite3_result_text64(ctx, data, len, SQLITE_TRANSIENT, SQLITE_UTF8);
    else
        sqlite3_result_blob64(ctx, data, len, SQLITE_TRANSIENT);
    c->failed = 0;
}
