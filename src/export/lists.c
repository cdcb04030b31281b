/* lists.c — pages of the lists (sl_write_list), one storyline, and full-text search as
 * JSON. Stubs until issue 20's work lands: each says "not built yet". */
#include "storyline.h"

sl_error sl_write_list(sl_store *st, sl_list what, const char *event, sl_range *range,
                       sl_write_fn fn, void *user)
{
    (void)st, (void)what, (void)event, (void)range, (void)fn, (void)user;
    return SL_ERR_UNSUPPORTED;
}

sl_error sl_write_storyline(sl_store *st, const char *id, sl_write_fn fn, void *user)
{
    (void)st, (void)id, (void)fn, (void)user;
    return SL_ERR_UNSUPPORTED;
}

sl_error sl_store_search(sl_store *st, const char *q, sl_range *range, sl_hit_fn fn,
                         void *user)
{
    (void)st, (void)q, (void)range, (void)fn, (void)user;
    return SL_ERR_UNSUPPORTED;
}

sl_error sl_write_search(sl_store *st, const char *q, sl_range *range, sl_write_fn fn,
                         void *user)
{
    (void)st, (void)q, (void)range, (void)fn, (void)user;
    return SL_ERR_UNSUPPORTED;
}
