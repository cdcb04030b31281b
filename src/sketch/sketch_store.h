/* sketch_store.h — sketching the articles held in the store (internal, sketch stage). */
#ifndef SL_SKETCH_STORE_H
#define SL_SKETCH_STORE_H

#include "../store/store.h"
#include "sketch.h"

/* Sketch the cleaned text of the articles of `batch` (0: every article) and save the
 * signatures, replacing earlier ones. Run after cleaning, in the same transaction. */
sl_error sketch_stored(sl_store *st, long long batch);

/* The saved signature of article `id`. */
sl_error sketch_load(sl_store *st, const char *id, sketch *out);

#endif
