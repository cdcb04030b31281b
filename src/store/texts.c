/* texts.c — the articles' texts as schema version 2 keeps them (docs/store.md).
 *
 * raws.raw: the raw text, one zstd frame (src/core/pack.h).
 * articles.text: the cleaned text, a BLOB:
 *   - empty: the empty text;
 *   - TEXT_SPANS, then pairs of varints (gap, len): the cleaned text is the raw text's
 *     bytes [start, start + len) of each pair joined by '\n', start = the end of the pair
 *     before (0 for the first) + gap. The cleaner keeps or drops whole trimmed raw lines
 *     and joins those kept with '\n' (src/clean/classify.c), so a few bytes say it;
 *   - TEXT_FRAME, then a zstd frame of the text: what spans cannot say (never made by the
 *     cleaner today; kept so that any text can be stored).
 * A TEXT value (a version-1 store, read while it is migrated) is the text itself.
 *
 * The SQL functions sl_text(text, raw) and sl_raw(raw) give the plain texts back; every
 * connection has them (sl_store_open), and the view article_text (store.c) uses them, so
 * that readers select `text FROM article_text` and the search index reads its content
 * there. */
#include "store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "../core/pack.h"

enum { TEXT_SPANS = 1, TEXT_FRAME = 2 };

/* zstd's level for the store's texts: its default (docs/store.md gives the sizes). */
#define TEXTS_LEVEL 3

struct store_texts {
    packer *p;
    buf raw, text, out; /* the raw text unpacked; the cleaned text made; a blob made */
};

store_texts *sli_store_texts_new(void)
{
    store_texts *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->p = sli_packer_create(TEXTS_LEVEL);
    if (!t->p) {
        free(t);
        return NULL;
    }
    sli_buf_init(&t->raw, BUF_UNLIMITED);
    sli_buf_init(&t->text, BUF_UNLIMITED);
    sli_buf_init(&t->out, BUF_UNLIMITED);
    return t;
}

void sli_store_texts_free(store_texts *t)
{
    if (!t)
        return;
    sli_packer_free(t->p);
    sli_buf_free(&t->raw);
    sli_buf_free(&t->text);
    sli_buf_free(&t->out);
    free(t);
}

static sl_error put_varint(buf *b, size_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return sli_buf_append(b, tmp, n);
}

static int get_varint(const unsigned char **p, const unsigned char *end, size_t *out)
{
    size_t v = 0;
    for (int shift = 0; *p < end && shift < 63; shift += 7) {
        unsigned char c = *(*p)++;
        v |= (size_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

sl_error sli_store_pack_raw(store_texts *t, const char *raw, size_t n, const void **blob,
                            size_t *size)
{
    sl_error err = sli_pack(t->p, raw, n, &t->out);
    *blob = t->out.data;
    *size = t->out.len;
    return err;
}

/* The first place of needle[0..m) (m > 0) in hay[0..n), or NULL (memmem is GNU's). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    const char *end = hay + n;
    while ((size_t)(end - hay) >= m) {
        const char *c = memchr(hay, needle[0], (size_t)(end - hay) - m + 1);
        if (!c)
            return NULL;
        if (!memcmp(c, needle, m))
            return c;
        hay = c + 1;
    }
    return NULL;
}

/* Spans of raw[0..rawn) that joined by '\n' make text[0..n), into out after its tag;
 * 0 when some piece of the text is not in the raw text after the piece before. */
static int find_spans(const char *raw, size_t rawn, const char *text, size_t n, buf *out,
                      sl_error *err)
{
    size_t at = 0; /* where the previous span ended in raw */
    const char *p = text, *end = text + n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        const char *hit = NULL;
        if (len == 0)
            hit = raw + at;
        else if (len <= rawn - at)
            hit = find(raw + at, rawn - at, p, len);
        if (!hit)
            return 0;
        size_t start = (size_t)(hit - raw);
        if ((*err = put_varint(out, start - at)) || (*err = put_varint(out, len)))
            return 0;
        at = start + len;
        if (!nl)
            return 1;
        p = nl + 1;
    }
}

sl_error sli_store_pack_text(store_texts *t, const char *raw, size_t rawn, const char *text,
                             size_t n, const void **blob, size_t *size)
{
    sli_buf_clear(&t->out);
    *blob = t->out.data;
    *size = 0;
    if (n == 0)
        return SL_OK;
    sl_error err = sli_buf_putc(&t->out, TEXT_SPANS);
    if (err)
        return err;
    if (raw && find_spans(raw, rawn, text, n, &t->out, &err)) {
        *blob = t->out.data;
        *size = t->out.len;
        return SL_OK;
    }
    if (err)
        return err;
    /* Not spans: a frame of its own, after the tag. */
    err = sli_pack(t->p, text, n, &t->text);
    sli_buf_clear(&t->out);
    if (!err)
        err = sli_buf_putc(&t->out, TEXT_FRAME);
    if (!err)
        err = sli_buf_append(&t->out, t->text.data, t->text.len);
    *blob = t->out.data;
    *size = err ? 0 : t->out.len;
    return err;
}

/* The raw text of a raws.raw value into t->raw: a frame (BLOB), or the text (TEXT). */
static sl_error raw_of(store_texts *t, sqlite3_value *v)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_BLOB: {
        const void *b = sqlite3_value_blob(v);
        int n = sqlite3_value_bytes(v);
        if (!b && n == 0) {
            sli_buf_clear(&t->raw);
            return SL_OK;
        }
        return b ? sli_unpack(t->p, b, (size_t)n, &t->raw) : SL_ERR_NOMEM;
    }
    case SQLITE_NULL:
        sli_buf_clear(&t->raw);
        return SL_OK;
    default: {
        const unsigned char *s = sqlite3_value_text(v);
        sli_buf_clear(&t->raw);
        return s ? sli_buf_append(&t->raw, s, (size_t)sqlite3_value_bytes(v)) : SL_ERR_NOMEM;
    }
    }
}

sl_error sli_store_unpack_raw(store_texts *t, const void *blob, size_t n, buf *out)
{
    if (n == 0) {
        sli_buf_clear(out);
        return SL_OK;
    }
    return sli_unpack(t->p, blob, n, out);
}

sl_error sli_store_repack_text(store_texts *t, const void *raw, size_t rawn, const char *text,
                               size_t n, const void **blob, size_t *size)
{
    sl_error err = sli_store_unpack_raw(t, raw, rawn, &t->raw);
    if (err) {
        *blob = NULL;
        *size = 0;
        return err;
    }
    return sli_store_pack_text(t, t->raw.data, t->raw.len, text, n, blob, size);
}

/* The cleaned text of blob[0..n) (with the raw text in t->raw, for spans) into t->text. */
static sl_error text_of(store_texts *t, const unsigned char *b, size_t n)
{
    sli_buf_clear(&t->text);
    if (n == 0)
        return SL_OK;
    if (b[0] == TEXT_FRAME)
        return sli_unpack(t->p, b + 1, n - 1, &t->text);
    if (b[0] != TEXT_SPANS)
        return SL_ERR_STORE;
    const unsigned char *p = b + 1, *end = b + n;
    size_t at = 0;
    sl_error err = SL_OK;
    for (int first = 1; !err && p < end; first = 0) {
        size_t gap, len;
        if (!get_varint(&p, end, &gap) || !get_varint(&p, end, &len) ||
            gap > t->raw.len - at || len > t->raw.len - at - gap)
            return SL_ERR_STORE;
        at += gap;
        if (!first)
            err = sli_buf_putc(&t->text, '\n');
        if (!err)
            err = sli_buf_append(&t->text, t->raw.data + at, len);
        at += len;
    }
    return err;
}

static void result_error(sqlite3_context *ctx, sl_error err)
{
    if (err == SL_ERR_NOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (err == SL_ERR_TOO_BIG)
        sqlite3_result_error_toobig(ctx);
    else
        sqlite3_result_error(ctx, "an article's stored text cannot be read back", -1);
}

/* sl_text(text, raw): the cleaned text. */
static void sql_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    store_texts *t = sqlite3_user_data(ctx);
    sqlite3_value *v = argv[0];
    int type = sqlite3_value_type(v);
    if (type == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (type != SQLITE_BLOB) { /* the text itself (version 1) */
        sqlite3_result_value(ctx, v);
        return;
    }
    const unsigned char *b = sqlite3_value_blob(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    sl_error err = n && !b ? SL_ERR_NOMEM : SL_OK;
    if (!err && n && b[0] == TEXT_SPANS)
        err = raw_of(t, argv[1]);
    if (!err)
        err = text_of(t, b, n);
    if (err) {
        result_error(ctx, err);
        return;
    }
    sqlite3_result_text(ctx, sli_buf_str(&t->text), (int)t->text.len, SQLITE_TRANSIENT);
}

/* sl_raw(raw): the raw text. */
static void sql_raw(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    store_texts *t = sqlite3_user_data(ctx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    sl_error err = raw_of(t, argv[0]);
    if (err) {
        result_error(ctx, err);
        return;
    }
    sqlite3_result_text(ctx, sli_buf_str(&t->raw), (int)t->raw.len, SQLITE_TRANSIENT);
}

static void texts_destroy(void *p)
{
    sli_store_texts_free(p);
}

sl_error sli_store_texts_register(sl_store *st)
{
    /* One packer for the functions, its own: a function runs inside a statement's step,
     * while the writer's packer (st->texts) may hold a text it is making. */
    store_texts *t = sli_store_texts_new();
    if (!t)
        return SL_ERR_NOMEM;
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    /* sl_text owns t (its destructor frees it, also when registering fails); sl_raw
     * shares it */
    int rc = sqlite3_create_function_v2(st->db, "sl_text", 2, flags, t, sql_text, NULL, NULL,
                                        texts_destroy);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(st->db, "sl_raw", 1, flags, t, sql_raw, NULL, NULL,
                                        NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "opening it");
}
