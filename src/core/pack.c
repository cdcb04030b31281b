/* pack.c — zstd frames for the store's texts. */
#include "pack.h"

#include <stdlib.h>
#include <zstd.h>
#include <zstd_errors.h> /* ZSTD_getErrorCode */

struct packer {
    ZSTD_CCtx *c;
    ZSTD_DCtx *d;
    int level;
};

packer *sli_packer_create(int level)
{
    packer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->level = level;
    p->c = ZSTD_createCCtx();
    p->d = ZSTD_createDCtx();
    if (!p->c || !p->d ||
        ZSTD_isError(ZSTD_CCtx_setParameter(p->c, ZSTD_c_compressionLevel, level)) ||
        /* the size in the header (the reader allocates once); no checksum: SQLite's
         * pages are what a damaged disk shows first, and 4 bytes a text add up */
        ZSTD_isError(ZSTD_CCtx_setParameter(p->c, ZSTD_c_contentSizeFlag, 1))) {
        sli_packer_free(p);
        return NULL;
    }
    return p;
}

void sli_packer_free(packer *p)
{
    if (!p)
        return;
    ZSTD_freeCCtx(p->c);
    ZSTD_freeDCtx(p->d);
    free(p);
}

sl_error sli_packer_use_dict(packer *p, const void *dict, size_t n)
{
    size_t rc = ZSTD_CCtx_loadDictionary(p->c, n ? dict : NULL, n);
    if (ZSTD_isError(rc))
        return ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation ? SL_ERR_NOMEM
                                                                     : SL_ERR_INVALID;
    rc = ZSTD_DCtx_loadDictionary(p->d, n ? dict : NULL, n);
    if (ZSTD_isError(rc))
        return ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation ? SL_ERR_NOMEM
                                                                     : SL_ERR_INVALID;
    return SL_OK;
}

sl_error sli_pack(packer *p, const void *src, size_t n, buf *out)
{
    sli_buf_clear(out);
    size_t bound = ZSTD_compressBound(n);
    sl_error err = sli_buf_reserve(out, bound);
    if (err)
        return err;
    size_t got = ZSTD_compress2(p->c, out->data, bound, src, n);
    if (ZSTD_isError(got))
        return SL_ERR_NOMEM; /* the bound always fits: only an allocation can fail */
    out->len = got;
    out->data[got] = '\0';
    return SL_OK;
}

sl_error sli_unpack(packer *p, const void *src, size_t n, buf *out)
{
    sli_buf_clear(out);
    unsigned long long size = ZSTD_getFrameContentSize(src, n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        return SL_ERR_STORE;
    if (size > out->max)
        return SL_ERR_TOO_BIG;
    sl_error err = sli_buf_reserve(out, (size_t)size);
    if (err)
        return err;
    size_t got = ZSTD_decompressDCtx(p->d, out->data, (size_t)size, src, n);
    if (ZSTD_isError(got) || got != size) {
        sli_buf_clear(out);
        return ZSTD_isError(got) && ZSTD_getErrorCode(got) == ZSTD_error_memory_allocation
                   ? SL_ERR_NOMEM
                   : SL_ERR_STORE;
    }
    out->len = got;
    out->data[got] = '\0';
    return SL_OK;
}
