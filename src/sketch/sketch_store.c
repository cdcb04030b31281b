/* sketch_store.c — signatures held in the store. */
#include "sketch_store.h"


sl_error sketch_load(sl_store *st, const char *id, sketch *out)
{
    long long shingles = 0;
    sl_error err = store_get_sketch(st, id, out->v, sizeof out->v, &shingles);
    out->shingles = (uint32_t)shingles;
    return err;
}
