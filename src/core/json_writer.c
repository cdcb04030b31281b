/* json_writer.c — a small streaming JSON writer. */
#include "json_writer.h"

#include <math.h>   /* isfinite */
#include <stdio.h>  /* snprintf */
#include <stdlib.h>
#include <string.h>

#include "utf8.h" /* sli_utf8_seq_len */

#define FLUSH_AT 16384

void sli_jw_init(jw *w, sl_write_fn fn, void *user, int pretty)
{
    memset(w, 0, sizeof *w);
    sli_buf_init(&w->out, BUF_UNLIMITED);
    w->fn = fn;
    w->user = user;
    w->pretty = pretty;
}

static void put(jw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    w->err = sli_buf_append(&w->out, s, n);
    if (!w->err && w->fn && w->out.len >= FLUSH_AT) {
        if (w->fn(w->user, w->out.data, w->out.len))
            w->err = SL_ERR_WRITE;
        sli_buf_clear(&w->out);
    }
}

static void indent(jw *w)
{
    static const char spaces[] = "                                ";
    put(w, "\n", 1);
    for (int i = 0; i < w->depth; i++)
        put(w, spaces, 2);
}

/* Comma and indentation before a value or key at the current depth. */
static void before_value(jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->count[w->depth])
            put(w, ",", 1);
        if (w->pretty)
            indent(w);
        if (w->count[w->depth] < 255)
            w->count[w->depth]++;
    }
}

static void open_container(jw *w, char c)
{
    before_value(w);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->err = w->err ? w->err : SL_ERR_INVALID;
        return;
    }
    put(w, &c, 1);
    w->depth++;
    w->count[w->depth] = 0;
}

static void close_container(jw *w, char c)
{
    if (w->depth <= 0) {
        w->err = w->err ? w->err : SL_ERR_INVALID;
        return;
    }
    int had = w->count[w->depth] != 0;
    w->depth--;
    if (w->pretty && had)
        indent(w);
    put(w, &c, 1);
}

void sli_jw_begin_object(jw *w) { open_container(w, '{'); }
void sli_jw_end_object(jw *w) { close_container(w, '}'); }
void sli_jw_begin_array(jw *w) { open_container(w, '['); }
void sli_jw_end_array(jw *w) { close_container(w, ']'); }

static void quoted(jw *w, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    put(w, "\"", 1);
    size_t run = 0; /* start of the current run of bytes that need no escaping */
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
            i++;
            continue;
        }
        size_t len = 1;
        int bad = 0; /* an invalid UTF-8 byte */
        if (c >= 0x80) {
            len = sli_utf8_seq_len(s + i, n - i);
            if (len) {
                unsigned cp = sli_utf8_decode(s + i, n - i, &len);
                if (!sli_utf8_invisible_control(cp)) {
                    i += len;
                    continue;
                }
                c = cp; /* written as \uXXXX below */
            } else {
                len = 1;
                bad = 1;
            }
        }
        put(w, str + run, i - run);
        char esc[8];
        const char *e = esc;
        switch (c) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        default:
            if (bad)
                e = "\xEF\xBF\xBD"; /* invalid UTF-8 byte: U+FFFD */
            else
                snprintf(esc, sizeof esc, "\\u%04x", c); /* C0, DEL, the controls above */
        }
        put(w, e, strlen(e));
        i += len;
        run = i;
    }
    put(w, str + run, n - run);
    put(w, "\"", 1);
}

void sli_jw_key(jw *w, const char *key)
{
    before_value(w);
    quoted(w, key, strlen(key));
    put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = 1;
}

void sli_jw_string_n(jw *w, const char *s, size_t n)
{
    before_value(w);
    quoted(w, s, n);
}

void sli_jw_string(jw *w, const char *s)
{
    if (!s)
        sli_jw_null(w);
    else
        sli_jw_string_n(w, s, strlen(s));
}

void sli_jw_int(jw *w, long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    before_value(w);
    put(w, tmp, (size_t)n);
}

void sli_jw_double(jw *w, double v)
{
    if (!isfinite(v)) {
        sli_jw_null(w);
        return;
    }
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.6g", v);
    before_value(w);
    put(w, tmp, (size_t)n);
}

void sli_jw_double_exact(jw *w, double v)
{
    if (!isfinite(v)) {
        sli_jw_null(w);
        return;
    }
    /* The shortest of 15 or 17 significant digits that reads back as v: 10365.45 stays
     * 10365.45, where %.17g would write 10365.450000000001. */
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.15g", v);
    if (strtod(tmp, NULL) != v)
        n = snprintf(tmp, sizeof tmp, "%.17g", v);
    before_value(w);
    put(w, tmp, (size_t)n);
}

void sli_jw_bool(jw *w, int v)
{
    before_value(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void sli_jw_null(jw *w)
{
    before_value(w);
    put(w, "null", 4);
}

void sli_jw_raw(jw *w, const char *json)
{
    if (!json) {
        sli_jw_null(w);
        return;
    }
    before_value(w);
    /* JSON made elsewhere (an input's unknown fields, as json-c wrote them): the code
     * points quoted() escapes can only stand inside its strings, so writing them as
     * \uXXXX leaves the same JSON, with only printable text. */
    const unsigned char *s = (const unsigned char *)json;
    size_t n = strlen(json), run = 0, i = 0;
    while (i < n) {
        if (s[i] < 0x7F) {
            i++;
            continue;
        }
        size_t len = 1;
        unsigned cp = s[i];
        if (cp >= 0x80) {
            if (!sli_utf8_seq_len(s + i, n - i)) {
                i++; /* not ours to mend */
                continue;
            }
            cp = sli_utf8_decode(s + i, n - i, &len);
            if (!sli_utf8_invisible_control(cp)) {
                i += len;
                continue;
            }
        }
        put(w, json + run, i - run);
        char esc[8];
        snprintf(esc, sizeof esc, "\\u%04x", cp);
        put(w, esc, 6);
        i += len;
        run = i;
    }
    put(w, json + run, n - run);
}

void sli_jw_newline(jw *w)
{
    put(w, "\n", 1);
}

sl_error sli_jw_finish(jw *w)
{
    if (!w->err && w->fn && w->out.len) {
        if (w->fn(w->user, w->out.data, w->out.len))
            w->err = SL_ERR_WRITE;
        sli_buf_clear(&w->out);
    }
    if (w->fn)
        sli_buf_free(&w->out);
    return w->err;
}

void sli_jw_kv_string(jw *w, const char *key, const char *s)
{
    sli_jw_key(w, key);
    sli_jw_string(w, s);
}

void sli_jw_hex64(jw *w, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char s[16];
    for (int i = 15; i >= 0; i--, v >>= 4)
        s[i] = hex[v & 15];
    sli_jw_string_n(w, s, sizeof s);
}

void sli_jw_kv_int(jw *w, const char *key, long long v)
{
    sli_jw_key(w, key);
    sli_jw_int(w, v);
}
