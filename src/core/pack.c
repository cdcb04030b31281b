/* pack.c — zstd frames for the store's texts. */
#include "pack.h"

#include <stdlib.h>
#include <string.h>
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

/* A frame into out, with the dictionary dd (NULL: the packer's own, if any). */
static sl_error unpack(packer *p, const ZSTD_DDict *dd, const void *src, size_t n, buf *out)
{
    sli_buf_clear(out);
    unsigned long long size = ZSTD_getFrameContentSize(src, n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > PACK_MAX_CONTENT) /* no text packed was that long: a damaged header */
        return SL_ERR_STORE;
    if (size > out->max)
        return SL_ERR_TOO_BIG;
    sl_error err = sli_buf_reserve(out, (size_t)size);
    if (err)
        return err;
    size_t got = dd ? ZSTD_decompress_usingDDict(p->d, out->data, (size_t)size, src, n, dd)
                    : ZSTD_decompressDCtx(p->d, out->data, (size_t)size, src, n);
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

sl_error sli_unpack(packer *p, const void *src, size_t n, buf *out)
{
    return unpack(p, NULL, src, n, out);
}

/* --- dictionaries --- */

/* ZDICT_trainFromBuffer_fastCover and its parameters are zstd's "static linking only"
 * API: libzstd.so exports the function (Debian's 1.5.4: `nm -D`), but the parameters'
 * struct may change between minor versions (it did in 1.4.5), so it is used only when
 * the library is the major.minor version of the header (fixed_params_ok), else the
 * stable ZDICT_trainFromBuffer. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

/* The compression side (CDict: tables for the level, a few hundred KB to fill) is made at
 * the first packing, not with the dictionary: a reader of the store (the clustering's,
 * dedup's) loads a source's dictionary only to unpack, and the CDicts it made for nothing
 * were 5% of a +1,000 batch's time (docs/store.md). */
struct pack_dict {
    ZSTD_CDict *c; /* NULL until the first packing (sli_pack_dict_ready) */
    ZSTD_DDict *d;
    unsigned id;
    int level;
    void *bytes; /* the dictionary, for the CDict */
    size_t n;
};

pack_dict *sli_pack_dict_new(const void *dict, size_t n, int level)
{
    unsigned id = ZDICT_getDictID(dict, n);
    if (!id)
        return NULL; /* not a trained dictionary: its frames could not name it */
    pack_dict *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->id = id;
    d->level = level;
    d->n = n;
    d->bytes = malloc(n);
    if (d->bytes)
        memcpy(d->bytes, dict, n);
    d->d = d->bytes ? ZSTD_createDDict(dict, n) : NULL;
    if (!d->d) {
        sli_pack_dict_free(d);
        return NULL;
    }
    return d;
}

sl_error sli_pack_dict_ready(pack_dict *d)
{
    if (!d->c && !(d->c = ZSTD_createCDict(d->bytes, d->n, d->level)))
        return SL_ERR_NOMEM;
    return SL_OK;
}

void sli_pack_dict_free(pack_dict *d)
{
    if (!d)
        return;
    ZSTD_freeCDict(d->c);
    ZSTD_freeDDict(d->d);
    free(d->bytes);
    free(d);
}

unsigned sli_pack_dict_id(const pack_dict *d)
{
    return d->id;
}

/* fastCover's parameters, fixed: ZDICT_trainFromBuffer tries k from 50 to 2,000 (and
 * finalises a dictionary for each) and took k = 50, d = 8 for 34 of 40 sources of the
 * generated corpus; fixed, with a smaller table (f = 16, zstd's default 20), the 40
 * dictionaries pack their sources' next texts to 36.5% against 36.7%, trained in 8 ms
 * against 57 (docs/tuned-constants.md). */
#define TRAIN_K 50
#define TRAIN_D 8
#define TRAIN_F 16

static int fixed_params_ok(void)
{
    return ZSTD_versionNumber() / 100 == ZSTD_VERSION_NUMBER / 100;
}

sl_error sli_pack_train(const void *samples, const size_t *sizes, unsigned n, size_t cap,
                        buf *out)
{
    sli_buf_clear(out);
    sl_error err = sli_buf_reserve(out, cap);
    if (err)
        return err;
    size_t got;
    if (fixed_params_ok()) {
        ZDICT_fastCover_params_t p = {0};
        p.k = TRAIN_K;
        p.d = TRAIN_D;
        p.f = TRAIN_F;
        p.accel = 1;
        p.zParams.compressionLevel = 3; /* zstd's default, as ZDICT_trainFromBuffer */
        got = ZDICT_trainFromBuffer_fastCover(out->data, cap, samples, sizes, n, p);
    } else {
        got = ZDICT_trainFromBuffer(out->data, cap, samples, sizes, n);
    }
    if (ZDICT_isError(got))
        return SL_ERR_INVALID;
    out->len = got;
    return SL_OK;
}

sl_error sli_pack_with(packer *p, const pack_dict *d, const void *src, size_t n, buf *out)
{
    if (!d)
        return sli_pack(p, src, n, out);
    /* made once, at the first packing; d is not shared between threads until then */
    sl_error ready = sli_pack_dict_ready((pack_dict *)d);
    if (ready)
        return ready;
    sli_buf_clear(out);
    size_t bound = ZSTD_compressBound(n);
    sl_error err = sli_buf_reserve(out, bound);
    if (err)
        return err;
    /* the CDict's frame parameters: content size and dictionary id written, no checksum */
    size_t got = ZSTD_compress_usingCDict(p->c, out->data, bound, src, n, d->c);
    if (ZSTD_isError(got))
        return SL_ERR_NOMEM;
    out->len = got;
    out->data[got] = '\0';
    return SL_OK;
}

unsigned sli_unpack_dict_id(const void *src, size_t n)
{
    return ZSTD_getDictID_fromFrame(src, n);
}

sl_error sli_unpack_with(packer *p, const pack_dict *d, const void *src, size_t n, buf *out)
{
    return unpack(p, d ? d->d : NULL, src, n, out);
}
