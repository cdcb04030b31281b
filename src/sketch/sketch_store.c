/* sketch_store.c — sketching the articles held in the store. */
#include "sketch_store.h"

#include "../core/buf.h"
#include "../text/normalize.h" /* text_normalize */

typedef struct sketcher {
    sl_store *st;
    sqlite3_stmt *put;
    buf norm;
    sketch sk;
} sketcher;

static sl_error sketch_one(void *user, long long rid, const char *text, size_t len)
{
    sketcher *k = user;
    buf_clear(&k->norm);
    sl_error err = text_normalize(text, len, &k->norm);
    if (err)
        return err;
    sketch_text(buf_str(&k->norm), k->norm.len, &k->sk);
    return store_put_sketch(k->st, &k->put, rid, k->sk.v, sizeof k->sk.v, k->sk.shingles);
}

sl_error sketch_stored(sl_store *st, long long batch)
{
    sketcher k = {.st = st};
    buf_init(&k.norm, BUF_UNLIMITED);
    sl_error err = store_each_text(st, batch, sketch_one, &k);
    sqlite3_finalize(k.put);
    buf_free(&k.norm);
    return err;
}

sl_error sketch_load(sl_store *st, const char *id, sketch *out)
{
    long long shingles = 0;
    sl_error err = store_get_sketch(st, id, out->v, sizeof out->v, &shingles);
    out->shingles = (uint32_t)shingles;
    return err;
}
