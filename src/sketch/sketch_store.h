/* sketch_store.h — signatures held in the store (internal, sketch stage). They are made
 * and saved as each article is cleaned (sli_dedup_run_note), for the dedup stage. */
#ifndef SL_SKETCH_STORE_H
#define SL_SKETCH_STORE_H

#include "../store/store.h"
#include "sketch.h"

/* The saved signature of article `id`. */
sl_error sli_sketch_load(sl_store *st, const char *id, sketch *out);

#endif
