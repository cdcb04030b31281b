/* pack.h — texts compressed for the store (internal).
 *
 * One zstd frame per text, with its size in the frame header, so that reading a text back
 * allocates once. A packer holds the compression and decompression contexts (made once,
 * reused: a context costs more to make than a short article costs to compress) and,
 * optionally, a dictionary trained on texts of the same kind. Not thread-safe: one packer
 * per thread. */
#ifndef SL_CORE_PACK_H
#define SL_CORE_PACK_H

#include <stddef.h>

#include "buf.h"

typedef struct packer packer;

/* The longest text a frame may unpack to: SQLite's longest value (SQLITE_MAX_LENGTH's
 * default), so no text the store holds was longer. A frame whose header says more is
 * damaged, and is refused before anything is allocated. */
#define PACK_MAX_CONTENT 1000000000ull

/* A packer compressing at `level` (zstd's levels; 3 is its default). NULL when out of
 * memory. */
packer *sli_packer_create(int level);
void sli_packer_free(packer *p);

/* Use the dictionary dict[0..n) (zstd's format, from ZDICT_trainFromBuffer, or any raw
 * bytes) for both ways from now on; n 0 drops it. A text packed with a dictionary can be
 * unpacked only with the same one. SL_ERR_NOMEM, or SL_ERR_INVALID for a bad dictionary. */
sl_error sli_packer_use_dict(packer *p, const void *dict, size_t n);

/* src[0..n) compressed into out (cleared first). */
sl_error sli_pack(packer *p, const void *src, size_t n, buf *out);

/* A frame made by sli_pack decompressed into out (cleared first; NUL-terminated as every
 * buf). SL_ERR_TOO_BIG when its size passes out's maximum, SL_ERR_STORE when it is not a
 * whole frame (a damaged store), SL_ERR_NOMEM. */
sl_error sli_unpack(packer *p, const void *src, size_t n, buf *out);

/* A trained dictionary (ZDICT's format, which holds its id) made ready for both ways,
 * compressing at `level`; NULL when out of memory or when dict has no id. */
typedef struct pack_dict pack_dict;
pack_dict *sli_pack_dict_new(const void *dict, size_t n, int level);
void sli_pack_dict_free(pack_dict *d);
/* Make d's compression tables now (else the first sli_pack_with with d makes them, which
 * must then not run on two threads at once): before d is handed to other threads to pack
 * with. SL_ERR_NOMEM. */
sl_error sli_pack_dict_ready(pack_dict *d);
unsigned sli_pack_dict_id(const pack_dict *d);

/* A dictionary of at most cap bytes trained on the n samples laid end to end in samples
 * (sizes[i] bytes each) into out. SL_ERR_INVALID when zstd cannot train one (too few or
 * too small samples), SL_ERR_NOMEM. */
sl_error sli_pack_train(const void *samples, const size_t *sizes, unsigned n, size_t cap,
                        buf *out);

/* sli_pack and sli_unpack with the dictionary d (NULL: none). A frame packed with one
 * names it: sli_unpack_dict_id gives its id (0: packed without one). */
sl_error sli_pack_with(packer *p, const pack_dict *d, const void *src, size_t n, buf *out);
unsigned sli_unpack_dict_id(const void *src, size_t n);
sl_error sli_unpack_with(packer *p, const pack_dict *d, const void *src, size_t n, buf *out);

#endif
