/* normalize.c — NFKC + case fold + quote/dash/space unification, ASCII fast path. */
#include "normalize.h"

#include <stdlib.h> /* free */
#include <string.h>
#include <utf8proc.h> /* utf8proc_map, utf8proc_category */
#include <xxhash.h>   /* XXH3_128bits */

#include "../core/utf8.h" /* sli_utf8_decode, sli_utf8_encode */

/* Whether an ASCII byte is whitespace. */
static int ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The state shared by both paths: whether a space is owed before the next character. */
typedef struct norm {
    buf *out;
    size_t start;  /* out->len when we began: nothing before it is ours */
    int pending_space;
    sl_error err;
} norm;

static void emit(norm *st, const char *s, size_t n)
{
    if (st->err)
        return;
    if (st->pending_space && st->out->len > st->start)
        st->err = sli_buf_putc(st->out, ' ');
    st->pending_space = 0;
    if (!st->err)
        st->err = sli_buf_append(st->out, s, n);
}

/* Quote marks and dashes, made ASCII: 0 if cp is neither. Done before NFKC too, which
 * would otherwise split some of them first ("″" into two "′", "´" into a space and an
 * accent). */
static unsigned quote_or_dash(unsigned cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0x0060: case 0x00B4: case 0x02BC:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
    case 0x2033: case 0x2036: case 0x301D: case 0x301E:
        return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
        return '-';
    default:
        return 0;
    }
}

/* Control characters (C0 but for whitespace, DEL, C1): dropped before NFKC, so that they
 * do not stand between a letter and its combining mark. */
static int control(unsigned cp)
{
    return (cp < 0x20 && !ascii_space((unsigned char)cp)) || (cp >= 0x7F && cp <= 0x9F);
}

/* Map one code point of utf8proc's output to what we emit. Returns 0 to drop it,
 * -1 for whitespace, otherwise the code point to emit. */
static long map_codepoint(unsigned cp)
{
    unsigned q = quote_or_dash(cp);
    if (q)
        return q;
    if (cp < 0x80) {
        if (ascii_space((unsigned char)cp))
            return -1;
        if (cp < 0x20 || cp == 0x7F)
            return 0;
        return (long)cp;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return -1;
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
        return 0;
    default:
        return (long)cp;
    }
}

/* Normalise a segment holding non-ASCII text through utf8proc. */
static void slow_segment(norm *st, const char *s, size_t n)
{
    /* First quote marks and dashes made ASCII, control characters dropped. */
    buf pre;
    sli_buf_init(&pre, BUF_UNLIMITED);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, len; i < n && !st->err; i += len) {
        unsigned cp = sli_utf8_decode(u + i, n - i, &len);
        unsigned q = quote_or_dash(cp);
        if (q)
            st->err = sli_buf_putc(&pre, (char)q);
        else if (cp == 0x85) /* NEL, the C1 line break: a space */
            st->err = sli_buf_putc(&pre, ' ');
        else if (!control(cp))
            st->err = sli_buf_append(&pre, s + i, len);
    }
    if (st->err) {
        sli_buf_free(&pre);
        return;
    }
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)sli_buf_str(&pre),
                                      (utf8proc_ssize_t)pre.len,
                                      &mapped,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
                                          UTF8PROC_STRIPCC);
    sli_buf_free(&pre);
    if (m < 0) {
        /* Only on memory failure: the input was validated as UTF-8 before. */
        st->err = m == UTF8PROC_ERROR_NOMEM ? SL_ERR_NOMEM : SL_ERR_UTF8;
        free(mapped);
        return;
    }
    const unsigned char *p = mapped;
    size_t i = 0, len;
    while (i < (size_t)m) {
        unsigned cp = sli_utf8_decode(p + i, (size_t)m - i, &len);
        i += len;
        long to = map_codepoint(cp);
        if (to == 0)
            continue;
        if (to < 0) {
            st->pending_space = 1;
            continue;
        }
        char enc[4];
        emit(st, enc, sli_utf8_encode((unsigned)to, enc));
    }
    free(mapped);
}

/* What the fast path writes for each ASCII byte: lower case, ` as ', 0 to drop (controls). */
static const unsigned char ascii_map[128] = {
    ['\''] = '\'', ['`'] = '\'',
#define R(a) [a] = a
    R(' '), R('!'), R('"'), R('#'), R('$'), R('%'), R('&'), R('('), R(')'), R('*'), R('+'),
    R(','), R('-'), R('.'), R('/'), R('0'), R('1'), R('2'), R('3'), R('4'), R('5'), R('6'),
    R('7'), R('8'), R('9'), R(':'), R(';'), R('<'), R('='), R('>'), R('?'), R('@'), R('['),
    R('\\'), R(']'), R('^'), R('_'), R('{'), R('|'), R('}'), R('~'),
    R('a'), R('b'), R('c'), R('d'), R('e'), R('f'), R('g'), R('h'), R('i'), R('j'), R('k'),
    R('l'), R('m'), R('n'), R('o'), R('p'), R('q'), R('r'), R('s'), R('t'), R('u'), R('v'),
    R('w'), R('x'), R('y'), R('z'),
#undef R
#define U(a) [a] = a + 32
    U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'), U('H'), U('I'), U('J'), U('K'),
    U('L'), U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'), U('S'), U('T'), U('U'), U('V'),
    U('W'), U('X'), U('Y'), U('Z'),
#undef U
};

/* Word by word: an all-ASCII word is written straight into the output through a table; a
 * word holding non-ASCII bytes, with any such words right after it, goes to utf8proc in
 * one call (whole words, so combining marks meet the letter they follow). */
sl_error sli_text_normalize(const char *s, size_t n, buf *out)
{
    norm st = {out, out->len, 0, SL_OK};
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !st.err) {
        if (ascii_space(u[i])) {
            st.pending_space = 1;
            i++;
            continue;
        }
        size_t w = i;
        int high = 0;
        while (i < n && !ascii_space(u[i]))
            high |= u[i++] >= 0x80;
        if (!high) {
            /* One reserve for the whole text covers every ASCII word (they never grow);
             * only after the slow path has appended is it needed again. */
            if (out->len + (i - w) + 2 > out->cap && (st.err = sli_buf_reserve(out, n - w + 1)))
                break;
            size_t len = out->len, before = len;
            if (st.pending_space && len > st.start)
                out->data[len++] = ' ';
            size_t mark = len;
            for (size_t k = w; k < i; k++) {
                unsigned char c = ascii_map[u[k]];
                out->data[len] = (char)c;
                len += c != 0;
            }
            if (len == mark)
                len = before; /* only control characters: nothing, not even the space */
            else
                st.pending_space = 0;
            out->len = len;
            out->data[len] = '\0';
            continue;
        }
        /* Take in the following words too while they hold non-ASCII bytes. */
        for (;;) {
            size_t next = i;
            while (next < n && ascii_space(u[next]))
                next++;
            size_t probe = next;
            int more = 0;
            while (probe < n && !ascii_space(u[probe]))
                more |= u[probe++] >= 0x80;
            if (!more || next >= n)
                break;
            i = probe;
        }
        slow_segment(&st, s + w, i - w);
    }
    return st.err;
}

sl_error sli_text_normalize_line(const char *s, size_t n, buf *out, size_t *start)
{
    size_t before = out->len;
    sl_error err = before ? sli_buf_putc(out, ' ') : SL_OK;
    *start = out->len;
    if (!err)
        err = sli_text_normalize(s, n, out);
    if (!err && before && out->len == *start) { /* nothing: take the space back */
        out->data[--out->len] = '\0';
        *start = out->len;
    }
    return err;
}

void sli_text_hash128(const char *s, size_t n, unsigned char out[16])
{
    XXH128_hash_t h = XXH3_128bits(s, n);
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, h);
    memcpy(out, c.digest, 16);
}
