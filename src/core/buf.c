/* buf.c — growable byte buffer with a hard maximum size. */
#include "buf.h"

#include <stdlib.h> /* realloc, free */
#include <string.h> /* memcpy, strlen */

void sli_buf_init(buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void sli_buf_free(buf *b)
{
    free(b->data);
    sli_buf_init(b, b->max);
}

sl_error sli_buf_reserve(buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return SL_ERR_TOO_BIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SL_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 4 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return SL_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return SL_OK;
}

sl_error sli_buf_append(buf *b, const void *data, size_t n)
{
    sl_error err = sli_buf_reserve(b, n);
    if (err)
        return err;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SL_OK;
}

sl_error sli_buf_puts(buf *b, const char *s)
{
    return sli_buf_append(b, s, strlen(s));
}

sl_error sli_buf_putc(buf *b, char c)
{
    return sli_buf_append(b, &c, 1);
}

sl_error sli_buf_put_varint(buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return sli_buf_append(b, tmp, n);
}

void sli_buf_clear(buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *sli_buf_str(const buf *b)
{
    return b->data ? b->data : "";
}

char *sli_buf_take(buf *b)
{
    if (!b->data && sli_buf_reserve(b, 0) != SL_OK)
        return NULL;
    if (!b->len)
        b->data[0] = '\0';
    char *p = b->data;
    sli_buf_init(b, b->max);
    return p;
}
