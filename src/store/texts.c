/* texts.c — the articles' texts as schema version 2 keeps them (docs/store.md).
 *
 * raws.raw: the raw text, one zstd frame (src/core/pack.h); once a writer's handle has
 *   packed DICT_SAMPLES raw texts of a source that has no dictionary yet, it trains one
 *   on them and packs the source's later texts with it (table dicts, by zstd's
 *   dictionary id, which each frame names).
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
#include <xxhash.h> /* XXH3_64bits */

#include "../core/grow.h"
#include "../core/pack.h"
#include "../core/u64map.h"

enum { TEXT_SPANS = 1, TEXT_FRAME = 2 };

/* zstd's level for the store's texts: its default (docs/store.md gives the sizes). */
#define TEXTS_LEVEL 3

/* A source's dictionary is trained on DICT_SAMPLES raw texts, DICT_BYTES at most
 * (measured on the generated corpus: docs/store.md). The texts waiting to train one are
 * kept in memory, SAMPLES_MAX bytes at most for all sources: past that, a source not
 * sampling yet waits for a later handle. */
#define DICT_SAMPLES 100
#define DICT_BYTES 16384
#define SAMPLES_MAX (32u << 20)

/* What this handle knows of a source's dictionary (the writer's side). */
typedef struct source_dict {
    pack_dict *d;  /* NULL: none yet */
    buf samples;   /* none yet: its raw texts packed so far, end to end */
    size_t *sizes; /* and their sizes (DICT_SAMPLES of room) */
    unsigned n;
    int failed; /* none can be trained (this handle does not try again) */
} source_dict;

struct store_texts {
    sqlite3 *db;
    packer *p;
    buf raw, text, out; /* the raw text unpacked; the cleaned text made; a blob made */
    /* dictionaries: by id (owned; the readers' side), and by source (XXH3 of its name:
     * an index into sources) for the writer */
    u64map by_id, by_source;
    pack_dict **dicts;
    size_t n_dicts, cap_dicts;
    source_dict *sources;
    size_t n_sources, cap_sources;
    size_t sampled; /* bytes of samples held, all sources */
    int no_train;   /* the migration packs without dictionaries */
    int pending;    /* a dictionary trained since the last commit */
    int failed;     /* SQLite's code when reading or saving a dictionary failed (a full
                       disk, an I/O error), told apart from a damaged text */
};

store_texts *sli_store_texts_new(sqlite3 *db)
{
    store_texts *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->db = db;
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

static void drop_samples(store_texts *t, source_dict *sd)
{
    t->sampled -= sd->samples.len;
    sli_buf_free(&sd->samples);
    free(sd->sizes);
    sd->sizes = NULL;
    sd->n = 0;
}

/* Forget the dictionaries this handle knows (read again from the store when needed). */
static void forget(store_texts *t)
{
    for (size_t i = 0; i < t->n_dicts; i++)
        sli_pack_dict_free(t->dicts[i]);
    for (size_t i = 0; i < t->n_sources; i++)
        drop_samples(t, &t->sources[i]);
    t->n_dicts = t->n_sources = 0;
    sli_u64map_clear(&t->by_id);
    sli_u64map_clear(&t->by_source);
}

void sli_store_texts_committed(store_texts *t)
{
    t->pending = 0;
}

void sli_store_texts_rolled_back(store_texts *t)
{
    if (t->pending)
        forget(t);
    t->pending = 0;
}

void sli_store_texts_no_train(store_texts *t, int no)
{
    t->no_train = no;
}

void sli_store_texts_free(store_texts *t)
{
    if (!t)
        return;
    forget(t);
    free(t->dicts);
    free(t->sources);
    sli_u64map_free(&t->by_id);
    sli_u64map_free(&t->by_source);
    sli_packer_free(t->p);
    sli_buf_free(&t->raw);
    sli_buf_free(&t->text);
    sli_buf_free(&t->out);
    free(t);
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

/* Keep d (owned from now on: freed here on failure) as the dictionary of its id. */
static sl_error keep_dict(store_texts *t, pack_dict *d)
{
    pack_dict **a = sli_grow_array(t->dicts, &t->cap_dicts, t->n_dicts + 1, sizeof *a, 16);
    if (!a) {
        sli_pack_dict_free(d);
        return SL_ERR_NOMEM;
    }
    t->dicts = a;
    uint64_t *v;
    sl_error err = sli_u64map_put(&t->by_id, sli_pack_dict_id(d), &v, NULL);
    if (err) {
        sli_pack_dict_free(d);
        return err;
    }
    *v = t->n_dicts;
    t->dicts[t->n_dicts++] = d;
    return SL_OK;
}

/* The dictionary of id (read from the table dicts the first time), or NULL with
 * SL_ERR_STORE when the store has none of that id. */
static sl_error dict_by_id(store_texts *t, unsigned id, pack_dict **out)
{
    *out = NULL;
    const uint64_t *v = sli_u64map_get(&t->by_id, id);
    if (v) {
        *out = t->dicts[*v];
        return SL_OK;
    }
    /* prepared per miss (once per dictionary and handle), not kept: a statement kept
     * here would outlive the connection's close */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(t->db, "SELECT dict FROM dicts WHERE id=?1", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        if (rc != SQLITE_NOMEM) /* kept only beside SL_ERR_STORE, which it explains */
            t->failed = rc;
        return rc == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
    }
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    sl_error err = SL_ERR_STORE;
    if (rc == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0);
        int ec = b ? SQLITE_OK : sqlite3_errcode(t->db); /* the blob's pages not read */
        if (ec != SQLITE_OK && ec != SQLITE_ROW) {
            if (ec != SQLITE_NOMEM)
                t->failed = ec;
            sqlite3_finalize(s);
            return ec == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
        }
        pack_dict *d = b ? sli_pack_dict_new(b, (size_t)n, TEXTS_LEVEL) : NULL;
        err = !d ? SL_ERR_NOMEM : sli_pack_dict_id(d) != id ? SL_ERR_STORE : SL_OK;
        if (err)
            sli_pack_dict_free(d);
        else if (!(err = keep_dict(t, d)))
            *out = d;
    } else if (rc == SQLITE_NOMEM) {
        err = SL_ERR_NOMEM;
    } else if (rc != SQLITE_DONE) { /* not read: not a damaged frame */
        t->failed = rc;
    }
    sqlite3_finalize(s);
    return err;
}

int sli_store_texts_failed(store_texts *t)
{
    int rc = t->failed;
    t->failed = 0;
    return rc;
}

/* A frame unpacked into out, with the dictionary it names. */
static sl_error unpack_frame(store_texts *t, const void *blob, size_t n, buf *out)
{
    unsigned id = sli_unpack_dict_id(blob, n);
    pack_dict *d = NULL;
    sl_error err = id ? dict_by_id(t, id, &d) : SL_OK;
    return err ? err : sli_unpack_with(t->p, d, blob, n, out);
}

/* Train the dictionary of `source` on the samples it holds and save it. */
static sl_error train(store_texts *t, const char *source, source_dict *sd)
{
    pack_dict *d = NULL;
    sl_error err = sli_pack_train(sd->samples.data, sd->sizes, sd->n, DICT_BYTES, &t->out);
    drop_samples(t, sd);
    if (err == SL_ERR_INVALID) { /* zstd could not: none for this source */
        sd->failed = 1;
        return SL_OK;
    }
    if (!err && !(d = sli_pack_dict_new(t->out.data, t->out.len, TEXTS_LEVEL)))
        err = SL_ERR_NOMEM;
    if (err)
        return err;
    /* saved by its id; one of the same id (another source's: a hash collision) keeps
     * the id, and this source has none */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(t->db, "INSERT OR IGNORE INTO dicts(id, source, dict)"
                                   " VALUES(?1, ?2, ?3)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, sli_pack_dict_id(d));
        sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 3, t->out.data, (int)t->out.len, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
    }
    if (rc != SQLITE_DONE) {
        sli_pack_dict_free(d);
        if (rc != SQLITE_NOMEM)
            t->failed = rc;
        return rc == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
    }
    if (sqlite3_changes(t->db) == 0 || sli_u64map_get(&t->by_id, sli_pack_dict_id(d))) {
        sli_pack_dict_free(d);
        sd->failed = 1;
        return SL_OK;
    }
    t->pending = 1;
    if ((err = keep_dict(t, d)))
        return err;
    sd->d = d;
    return SL_OK;
}

/* The dictionary to pack raw[0..n), a text of `source`, with, or NULL: none yet (the
 * text is kept as a sample, and the DICT_SAMPLES-th trains one), or none can be made. */
static sl_error dict_for_source(store_texts *t, const char *source, const char *raw, size_t n,
                                pack_dict **out)
{
    *out = NULL;
    if (!source || t->no_train)
        return SL_OK;
    uint64_t key = XXH3_64bits(source, strlen(source));
    uint64_t *v = sli_u64map_get(&t->by_source, key);
    sl_error err = SL_OK;
    if (!v) { /* first sight: its dictionary in the store, if any */
        source_dict *a = sli_grow_array(t->sources, &t->cap_sources, t->n_sources + 1,
                                        sizeof *a, 16);
        if (!a)
            return SL_ERR_NOMEM;
        t->sources = a;
        source_dict sd = {0};
        sli_buf_init(&sd.samples, BUF_UNLIMITED);
        sqlite3_stmt *s = NULL;
        int rc = sqlite3_prepare_v2(t->db, "SELECT id FROM dicts WHERE source = ?1", -1, &s,
                                    NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
            rc = sqlite3_step(s);
        }
        if (rc == SQLITE_ROW)
            err = dict_by_id(t, (unsigned)sqlite3_column_int64(s, 0), &sd.d);
        else if (rc != SQLITE_DONE)
            err = rc == SQLITE_NOMEM ? SL_ERR_NOMEM : SL_ERR_STORE;
        sqlite3_finalize(s);
        if (!err)
            err = sli_u64map_put(&t->by_source, key, &v, NULL);
        if (err)
            return err;
        *v = t->n_sources;
        t->sources[t->n_sources++] = sd;
    }
    source_dict *sd = &t->sources[*v];
    if (sd->d || sd->failed)
        return *out = sd->d, SL_OK;
    if (!sd->n && t->sampled + n > SAMPLES_MAX)
        return SL_OK; /* no room to start: a later handle */
    if (!sd->sizes && !(sd->sizes = malloc(DICT_SAMPLES * sizeof *sd->sizes)))
        return SL_ERR_NOMEM;
    if ((err = sli_buf_append(&sd->samples, raw, n)))
        return err;
    t->sampled += n;
    sd->sizes[sd->n++] = n;
    if (sd->n == DICT_SAMPLES)
        err = train(t, source, sd); /* for the texts after this one */
    return err;
}

sl_error sli_store_raw_dict(store_texts *t, const char *source, const char *raw, size_t n,
                            const pack_dict **d)
{
    pack_dict *out = NULL;
    sl_error err = dict_for_source(t, source, raw, n, &out);
    if (!err && out) /* the packing thread must not make its tables */
        err = sli_pack_dict_ready(out);
    *d = out;
    return err;
}

packer *sli_store_raw_packer(void)
{
    return sli_packer_create(TEXTS_LEVEL);
}

sl_error sli_store_pack_raw(store_texts *t, const char *source, const char *raw, size_t n,
                            const void **blob, size_t *size)
{
    pack_dict *d = NULL;
    sl_error err = dict_for_source(t, source, raw, n, &d);
    if (!err)
        err = sli_pack_with(t->p, d, raw, n, &t->out);
    *blob = t->out.data;
    *size = t->out.len;
    return err;
}

/* The first place of needle[0..m) (m > 0) in hay[0..n), or NULL (memmem is GNU's).
 * Every comparison is charged to *budget (bytes); NULL once it is spent. A text repeating
 * one letter would make this search quadratic; the budget keeps it linear, and a text it
 * cannot place is packed as a frame instead (find_spans). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m, size_t *budget)
{
    const char *end = hay + n;
    while ((size_t)(end - hay) >= m) {
        const char *c = memchr(hay, needle[0], (size_t)(end - hay) - m + 1);
        if (!c)
            return NULL;
        if (*budget < m)
            return NULL;
        *budget -= m;
        if (!memcmp(c, needle, m))
            return c;
        hay = c + 1;
    }
    return NULL;
}

/* Bytes compared, at most, in placing a cleaned text's lines: SPANS_WORK times the raw
 * text, plus a little for short ones. A cleaned line is nearly always where the raw line
 * it came from is, after a few false starts. */
#define SPANS_WORK 16u

/* Spans of raw[0..rawn) that joined by '\n' make text[0..n), into out after its tag;
 * 0 when some piece of the text is not in the raw text after the piece before, or
 * placing it would cost more than SPANS_WORK times the raw text. */
static int find_spans(const char *raw, size_t rawn, const char *text, size_t n, buf *out,
                      sl_error *err)
{
    size_t at = 0; /* where the previous span ended in raw */
    size_t budget = SPANS_WORK * rawn + 65536;
    const char *p = text, *end = text + n;
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        const char *hit = NULL;
        if (len == 0)
            hit = raw + at;
        else if (len <= rawn - at)
            hit = find(raw + at, rawn - at, p, len, &budget);
        if (!hit)
            return 0;
        size_t start = (size_t)(hit - raw);
        if ((*err = sli_buf_put_varint(out, start - at)) || (*err = sli_buf_put_varint(out, len)))
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
        if (!b)
            return SL_ERR_NOMEM;
        return unpack_frame(t, b, (size_t)n, &t->raw);
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
    return unpack_frame(t, blob, n, out);
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

static void result_error(sqlite3_context *ctx, store_texts *t, sl_error err)
{
    if (err == SL_ERR_NOMEM)
        sqlite3_result_error_nomem(ctx);
    else if (err == SL_ERR_TOO_BIG)
        sqlite3_result_error_toobig(ctx);
    else if (t->failed) { /* a dictionary not read: SQLite's own failure, passed on */
        sqlite3_result_error(ctx, sqlite3_errstr(t->failed), -1);
        sqlite3_result_error_code(ctx, t->failed);
        t->failed = 0;
    } else
        sqlite3_result_error(ctx, "an article's stored text cannot be read back", -1);
}

/* A text as the function's result, copied by SQLite with its terminator (length -1):
 * sqlite3_column_text then hands it out as it is, where a result without one would be
 * copied again to add it (an allocation that can fail after the statement succeeded).
 * A text holding a NUL byte goes with its length. */
static void result_plain(sqlite3_context *ctx, const buf *b)
{
    const char *p = sli_buf_str(b);
    if (memchr(p, '\0', b->len))
        sqlite3_result_text(ctx, p, (int)b->len, SQLITE_TRANSIENT);
    else
        sqlite3_result_text(ctx, p, -1, SQLITE_TRANSIENT);
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
        result_error(ctx, t, err);
        return;
    }
    result_plain(ctx, &t->text);
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
        result_error(ctx, t, err);
        return;
    }
    result_plain(ctx, &t->raw);
}

static void texts_destroy(void *p)
{
    sli_store_texts_free(p);
}

sl_error sli_store_texts_register(sl_store *st)
{
    /* One packer for the functions, its own: a function runs inside a statement's step,
     * while the writer's packer (st->texts) may hold a text it is making. */
    store_texts *t = sli_store_texts_new(st->db);
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
