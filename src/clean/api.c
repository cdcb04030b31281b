/* api.c — the public face of the clean stage: explain one article. (Re-cleaning them all
 * runs every stage after it: the pipeline's sl_store_reclean.) */
#include "clean.h"

typedef struct explain_ctx {
    sl_line_fn fn;
    void *user;
} explain_ctx;

static int explain_one(void *user, const char *line, size_t len, clean_label label,
                       const char *why, const char *detail)
{
    explain_ctx *x = user;
    sl_line l = {line, len, sli_clean_label_name(label), label == CLEAN_BODY, why, detail};
    return x->fn(x->user, &l);
}

sl_error sl_explain_article(sl_store *st, const char *id, sl_line_fn fn, void *user)
{
    if (!st || !id || !fn)
        return SL_ERR_INVALID;
    explain_ctx x = {fn, user};
    return sli_clean_explain(st, id, explain_one, &x);
}
