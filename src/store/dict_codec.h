/* dict_codec.h — values kept as zstd frames made with a dictionary the store trained
 * (internal to the store): the facts objects (article_facts.json, dictionary in
 * facts_dict), the entity memos (entity_memos.memo, in memo_dict), the events' centroids
 * (events.centroid, in centroid_dict) and summaries (event_digests.summary, in
 * digest_dict). A codec reads
 * either form a value may have, loads a frame's dictionary by the id the frame names, and
 * trains the store's dictionary once enough values are stored. Not thread-safe: one per
 * connection or writer. */
#ifndef SL_STORE_DICT_CODEC_H
#define SL_STORE_DICT_CODEC_H

#include <sqlite3.h>

#include "../core/buf.h"
#include "../core/pack.h"
#include "storyline.h"

typedef struct dict_codec {
    const char *dict_sql; /* the dictionary of id ?1: "SELECT dict FROM ... WHERE id=?1" */
    int raw_blobs;        /* a BLOB that is not a frame is a value as it is (memos) */
    packer *plain;
    packer *dicted;
    unsigned dict_id;
    int keep_dict; /* keep a copy of the dictionary loaded, for sli_codec_packer_like */
    buf dict;      /* that copy */
    buf out;
    int failed; /* SQLite's code when the dictionary could not be read (0: none) */
} dict_codec;

/* The level every codec packs at: zstd's default (level 9 packs facts 11% smaller, at 9x
 * the time; docs/store-size.md). */
#define DICT_CODEC_LEVEL 3

void sli_codec_init(dict_codec *c, const char *dict_sql, int raw_blobs);
void sli_codec_clear(dict_codec *c);

/* Use dictionary dict[0..n) with id `id` for packing and unpacking. */
sl_error sli_codec_use_dict(dict_codec *c, unsigned id, const void *dict, size_t n);

/* The packer for dictionary `id` (0: none), made on first use; the dictionary is read
 * through db with dict_sql when it is not the one loaded. NULL with *err set when it
 * cannot be had (SL_ERR_STORE: no such dictionary, a damaged store). */
packer *sli_codec_packer(dict_codec *c, sqlite3 *db, unsigned id, sl_error *err);

/* A stored value (TEXT, or a BLOB: a frame, or with raw_blobs a value as it is) as bytes:
 * *data and *len, valid until the next call on c or the statement's next step. */
sl_error sli_codec_read(dict_codec *c, sqlite3 *db, sqlite3_value *v, const char **data,
                        size_t *len);

/* Pack src[0..n) with the loaded dictionary (or none) into c's buffer: *packed, *packed_len
 * when the frame is shorter than n, else *packed NULL (keep the value as it is). */
sl_error sli_codec_pack(dict_codec *c, const void *src, size_t n, const void **packed,
                        size_t *packed_len);

/* sli_codec_pack with packer p (one of sli_codec_packer_like's) into out, on any thread:
 * *packed (out's bytes) and *packed_len when the frame is shorter than n, else *packed
 * NULL. */
sl_error sli_codec_pack_into(packer *p, const void *src, size_t n, buf *out, const void **packed,
                             size_t *packed_len);

/* A new packer that packs as sli_codec_pack does now (with the dictionary loaded, or
 * none), frame for frame, for another thread, from a codec with keep_dict set before
 * its dictionary was loaded; NULL when out of memory (or when c kept no copy). */
packer *sli_codec_packer_like(const dict_codec *c);

/* The store's dictionary in `table` (id, dict), the first by id, loaded into c: *found 1;
 * none there: *found 0. One that cannot be used is SL_ERR_STORE, with a message. */
sl_error sli_codec_load(sl_store *st, dict_codec *c, const char *table, int *found);

/* Train a dictionary of at most cap bytes (sli_pack_train) from the first `samples`
 * values that `select` gives (plain values: TEXT or BLOB, ?1 bound to samples), save it
 * with `insert` (?1 its id, ?2 its bytes), and pack with it from now on. *had: how many
 * non-empty values there were; fewer than `samples`: nothing done (try again once there
 * can be that many); else a dictionary made or, when zstd cannot train one from them
 * (too alike), the store left without. `what` names the values in a failure's message. */
sl_error sli_codec_train(sl_store *st, dict_codec *c, const char *select, unsigned samples,
                         size_t cap, const char *insert, const char *what, unsigned *had);

/* An SQL function's result from sli_codec_read's (err, data, len): the value (text or
 * blob), NULL for none; out of memory, or SQLite's failure reading the dictionary, as
 * that error; a damaged value as NULL when damaged_is_null (a cache, made again when
 * missing), else as SQLITE_CORRUPT with the message `damaged`. */
void sli_codec_result(sqlite3_context *ctx, dict_codec *c, sl_error err, const char *data,
                      size_t len, int as_text, int damaged_is_null, const char *damaged);

#endif
