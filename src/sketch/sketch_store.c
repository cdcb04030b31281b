/* sketch_store.c — signatures held in the store. */
#include "sketch_store.h"


sl_error sli_sketch_load(sl_store *st, const char *id, sketch *out)
{
    long long shingles = 0;
    sl_error err = sli_store_get_sketch(st, id, out->v, sizeof out->v, &shingles);
    out->shingles = (uint32_t)shingles;
    return err;
}
