/* charset.c — a page's bytes to UTF-8 (html.h).
 *
 * The encoding, in this order (as browsers decide, WHATWG "encoding sniffing"):
 *   1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE);
 *   2. the charset parameter of the HTTP Content-Type;
 *   3. <meta charset=...> or <meta http-equiv=Content-Type content="...charset=...">
 *      in the first HTML_META_SCAN bytes;
 *   4. when the bytes are valid UTF-8: UTF-8; else uchardet's guess over the first
 *      HTML_DETECT_BYTES bytes; else windows-1252.
 * A label is read through the WHATWG aliases (latin1 and iso-8859-1 are windows-1252,
 * Shift_JIS is windows-31j, gb2312 is GBK, euc-kr is windows-949, a <meta> saying UTF-16
 * means UTF-8). One correction to a label: a page labelled with a legacy single-byte
 * encoding whose bytes are valid UTF-8 with multibyte sequences in them is UTF-8 (a
 * mislabelled UTF-8 page is common; windows-1252 text that forms valid multibyte UTF-8
 * is not), and a page labelled UTF-8 with more invalid sequences than valid multibyte
 * ones is detected instead. Bytes that do not convert become U+FFFD.
 *
 * A page is refused as binary when more than 1 in HTML_BINARY_RATIO of its bytes (at
 * least 8) are NUL or C0 control bytes other than tab, newlines, form feed and escape
 * (an image or archive served as text/html), and as not text when more than 1 in
 * HTML_FFFD_RATIO of its characters are U+FFFD after conversion.
 *
 * Work: one pass to look for controls, one to validate UTF-8, uchardet over a bounded
 * prefix, one conversion pass: linear in the page. */
#include "html.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <uchardet/uchardet.h>

#include "../core/utf8.h"

#define HTML_META_SCAN 4096
#define HTML_DETECT_BYTES ((size_t)256 << 10)
#define HTML_BINARY_RATIO 50 /* binary: more than 2% control bytes */
#define HTML_FFFD_RATIO 4    /* not text: more than 25% U+FFFD */

/* An encoding: its iconv name and the name reported (*charset). */
typedef struct enc {
    const char *iconv;
    const char *name;
} enc;

static const enc ENC_UTF8 = {"UTF-8", "UTF-8"};
static const enc ENC_1252 = {"WINDOWS-1252", "windows-1252"};

/* Labels (lower case) and the encoding each names. Labels of the WHATWG Encoding
 * standard for the encodings glibc's iconv has, and uchardet's names. */
static const struct label {
    const char *label;
    enc e;
} labels[] = {
    {"utf-8", {"UTF-8", "UTF-8"}},
    {"utf8", {"UTF-8", "UTF-8"}},
    {"unicode-1-1-utf-8", {"UTF-8", "UTF-8"}},
    {"x-unicode20utf8", {"UTF-8", "UTF-8"}},
    {"ascii", {"WINDOWS-1252", "windows-1252"}},
    {"us-ascii", {"WINDOWS-1252", "windows-1252"}},
    {"ansi_x3.4-1968", {"WINDOWS-1252", "windows-1252"}},
    {"iso-8859-1", {"WINDOWS-1252", "windows-1252"}},
    {"iso8859-1", {"WINDOWS-1252", "windows-1252"}},
    {"iso88591", {"WINDOWS-1252", "windows-1252"}},
    {"iso_8859-1", {"WINDOWS-1252", "windows-1252"}},
    {"iso_8859-1:1987", {"WINDOWS-1252", "windows-1252"}},
    {"latin1", {"WINDOWS-1252", "windows-1252"}},
    {"latin-1", {"WINDOWS-1252", "windows-1252"}},
    {"l1", {"WINDOWS-1252", "windows-1252"}},
    {"cp1252", {"WINDOWS-1252", "windows-1252"}},
    {"cp819", {"WINDOWS-1252", "windows-1252"}},
    {"windows-1252", {"WINDOWS-1252", "windows-1252"}},
    {"x-cp1252", {"WINDOWS-1252", "windows-1252"}},
    {"iso-8859-15", {"ISO-8859-15", "ISO-8859-15"}},
    {"iso8859-15", {"ISO-8859-15", "ISO-8859-15"}},
    {"latin9", {"ISO-8859-15", "ISO-8859-15"}},
    {"latin-9", {"ISO-8859-15", "ISO-8859-15"}},
    {"iso-8859-2", {"ISO-8859-2", "ISO-8859-2"}},
    {"latin2", {"ISO-8859-2", "ISO-8859-2"}},
    {"iso-8859-3", {"ISO-8859-3", "ISO-8859-3"}},
    {"iso-8859-4", {"ISO-8859-4", "ISO-8859-4"}},
    {"iso-8859-5", {"ISO-8859-5", "ISO-8859-5"}},
    {"iso-8859-6", {"ISO-8859-6", "ISO-8859-6"}},
    {"iso-8859-7", {"ISO-8859-7", "ISO-8859-7"}},
    {"greek", {"ISO-8859-7", "ISO-8859-7"}},
    {"iso-8859-8", {"ISO-8859-8", "ISO-8859-8"}},
    {"iso-8859-8-i", {"ISO-8859-8", "ISO-8859-8"}},
    {"iso-8859-9", {"WINDOWS-1254", "windows-1254"}},
    {"latin5", {"WINDOWS-1254", "windows-1254"}},
    {"iso-8859-10", {"ISO-8859-10", "ISO-8859-10"}},
    {"iso-8859-13", {"ISO-8859-13", "ISO-8859-13"}},
    {"iso-8859-14", {"ISO-8859-14", "ISO-8859-14"}},
    {"iso-8859-16", {"ISO-8859-16", "ISO-8859-16"}},
    {"iso-8859-11", {"WINDOWS-874", "windows-874"}},
    {"tis-620", {"WINDOWS-874", "windows-874"}},
    {"windows-874", {"WINDOWS-874", "windows-874"}},
    {"windows-1250", {"WINDOWS-1250", "windows-1250"}},
    {"cp1250", {"WINDOWS-1250", "windows-1250"}},
    {"windows-1251", {"WINDOWS-1251", "windows-1251"}},
    {"cp1251", {"WINDOWS-1251", "windows-1251"}},
    {"x-cp1251", {"WINDOWS-1251", "windows-1251"}},
    {"windows-1253", {"WINDOWS-1253", "windows-1253"}},
    {"windows-1254", {"WINDOWS-1254", "windows-1254"}},
    {"windows-1255", {"WINDOWS-1255", "windows-1255"}},
    {"windows-1256", {"WINDOWS-1256", "windows-1256"}},
    {"windows-1257", {"WINDOWS-1257", "windows-1257"}},
    {"windows-1258", {"WINDOWS-1258", "windows-1258"}},
    {"koi8-r", {"KOI8-R", "KOI8-R"}},
    {"koi8r", {"KOI8-R", "KOI8-R"}},
    {"koi8", {"KOI8-R", "KOI8-R"}},
    {"koi8-u", {"KOI8-U", "KOI8-U"}},
    {"koi8-ru", {"KOI8-U", "KOI8-U"}},
    {"ibm866", {"IBM866", "IBM866"}},
    {"cp866", {"IBM866", "IBM866"}},
    {"macintosh", {"MACINTOSH", "macintosh"}},
    {"mac", {"MACINTOSH", "macintosh"}},
    {"x-mac-roman", {"MACINTOSH", "macintosh"}},
    {"mac-cyrillic", {"MAC-CYRILLIC", "x-mac-cyrillic"}},
    {"x-mac-cyrillic", {"MAC-CYRILLIC", "x-mac-cyrillic"}},
    {"shift_jis", {"CP932", "Shift_JIS"}},
    {"shift-jis", {"CP932", "Shift_JIS"}},
    {"sjis", {"CP932", "Shift_JIS"}},
    {"x-sjis", {"CP932", "Shift_JIS"}},
    {"ms_kanji", {"CP932", "Shift_JIS"}},
    {"ms932", {"CP932", "Shift_JIS"}},
    {"windows-31j", {"CP932", "Shift_JIS"}},
    {"csshiftjis", {"CP932", "Shift_JIS"}},
    {"cp932", {"CP932", "Shift_JIS"}},
    {"euc-jp", {"EUC-JP", "EUC-JP"}},
    {"x-euc-jp", {"EUC-JP", "EUC-JP"}},
    {"iso-2022-jp", {"ISO-2022-JP", "ISO-2022-JP"}},
    {"gb2312", {"GBK", "GBK"}},
    {"gbk", {"GBK", "GBK"}},
    {"x-gbk", {"GBK", "GBK"}},
    {"cp936", {"GBK", "GBK"}},
    {"chinese", {"GBK", "GBK"}},
    {"gb18030", {"GB18030", "gb18030"}},
    {"hz-gb-2312", {"GBK", "GBK"}},
    {"big5", {"BIG5-HKSCS", "Big5"}},
    {"big5-hkscs", {"BIG5-HKSCS", "Big5"}},
    {"x-x-big5", {"BIG5-HKSCS", "Big5"}},
    {"cn-big5", {"BIG5-HKSCS", "Big5"}},
    {"euc-tw", {"EUC-TW", "EUC-TW"}},
    {"euc-kr", {"CP949", "EUC-KR"}},
    {"uhc", {"CP949", "EUC-KR"}},
    {"cp949", {"CP949", "EUC-KR"}},
    {"windows-949", {"CP949", "EUC-KR"}},
    {"ks_c_5601-1987", {"CP949", "EUC-KR"}},
    {"korean", {"CP949", "EUC-KR"}},
    {"utf-16", {"UTF-16LE", "UTF-16LE"}},
    {"utf-16le", {"UTF-16LE", "UTF-16LE"}},
    {"utf-16be", {"UTF-16BE", "UTF-16BE"}},
    {"unicode", {"UTF-16LE", "UTF-16LE"}},
    {"ucs-2", {"UTF-16LE", "UTF-16LE"}},
    {"viscii", {"VISCII", "VISCII"}},
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The encoding a label names, or NULL (unknown labels are ignored, as browsers do). */
static const enc *label_enc(const char *s, size_t n)
{
    while (n && (is_space((unsigned char)*s) || *s == '"' || *s == '\''))
        s++, n--;
    while (n && (is_space((unsigned char)s[n - 1]) || s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    if (!n || n > 31)
        return NULL;
    char l[32];
    for (size_t i = 0; i < n; i++)
        l[i] = (char)lower((unsigned char)s[i]);
    l[n] = '\0';
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (!strcmp(labels[i].label, l))
            return &labels[i].e;
    return NULL;
}

/* Case-insensitive search for `needle` (lower case) in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && lower((unsigned char)s[i + j]) == needle[j])
            j++;
        if (j == k)
            return s + i;
    }
    return NULL;
}

/* The value after "charset" [spaces] "=" in s[0..n): *len bytes at the return, or NULL. */
static const char *charset_param(const char *s, size_t n, size_t *len)
{
    const char *end = s + n;
    const char *p = s;
    while ((p = find_ci(p, (size_t)(end - p), "charset"))) {
        p += 7;
        const char *q = p;
        while (q < end && is_space((unsigned char)*q))
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && is_space((unsigned char)*q))
            q++;
        char quote = 0;
        if (q < end && (*q == '"' || *q == '\''))
            quote = *q++;
        const char *v = q;
        while (q < end && (quote ? *q != quote
                                 : !is_space((unsigned char)*q) && *q != ';' && *q != '"' &&
                                       *q != '\'' && *q != '>' && *q != '/'))
            q++;
        if (q > v) {
            *len = (size_t)(q - v);
            return v;
        }
    }
    return NULL;
}

/* The encoding a <meta> in the first HTML_META_SCAN bytes names, or NULL. Each <meta ...>
 * tag is searched for a charset= (the charset attribute, or the content of an
 * http-equiv=Content-Type). Comments are skipped. */
static const enc *meta_enc(const char *s, size_t n)
{
    if (n > HTML_META_SCAN)
        n = HTML_META_SCAN;
    const char *end = s + n;
    const char *p = s;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            break;
        if (end - lt >= 4 && !memcmp(lt, "<!--", 4)) {
            const char *c = find_ci(lt + 4, (size_t)(end - lt - 4), "-->");
            if (!c)
                break;
            p = c + 3;
            continue;
        }
        p = lt + 1;
        if (end - lt < 6 || lower((unsigned char)lt[1]) != 'm' || !find_ci(lt + 1, 4, "meta") ||
            !(is_space((unsigned char)lt[5]) || lt[5] == '/'))
            continue;
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            gt = end;
        size_t len;
        const char *v = charset_param(lt + 5, (size_t)(gt - lt - 5), &len);
        if (v) {
            const enc *e = label_enc(v, len);
            if (e) {
                /* A page that can say so in ASCII is not UTF-16: a <meta> naming it
                 * means UTF-8 (WHATWG). */
                if (!strncmp(e->iconv, "UTF-16", 6))
                    return &ENC_UTF8;
                return e;
            }
        }
        p = gt;
    }
    return NULL;
}

/* What validating the bytes as UTF-8 found. */
typedef struct utf8_scan {
    size_t invalid; /* invalid sequences */
    size_t multi;   /* valid multibyte sequences */
} utf8_scan;

static utf8_scan scan_utf8(const unsigned char *s, size_t n)
{
    utf8_scan r = {0, 0};
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = sli_utf8_seq_len(s + i, n - i);
        if (k) {
            r.multi++;
            i += k;
        } else {
            r.invalid++;
            i++;
        }
    }
    return r;
}

static int is_control(unsigned char c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b;
}

/* Whether too many of the bytes are NUL or control bytes to be a page of text. */
static int too_many_controls(const unsigned char *s, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += is_control(s[i]);
    return bad >= 8 && bad > n / HTML_BINARY_RATIO;
}

/* uchardet's guess over the first bytes, or NULL. */
static sl_error detect(const char *s, size_t n, const enc **out)
{
    *out = NULL;
    uchardet_t ud = uchardet_new();
    if (!ud)
        return SL_ERR_NOMEM;
    if (uchardet_handle_data(ud, s, n < HTML_DETECT_BYTES ? n : HTML_DETECT_BYTES) != 0) {
        uchardet_delete(ud);
        return SL_ERR_NOMEM;
    }
    uchardet_data_end(ud);
    const char *name = uchardet_get_charset(ud);
    if (name && *name)
        *out = label_enc(name, strlen(name));
    uchardet_delete(ud);
    return SL_OK;
}

static sl_error put_fffd(buf *out)
{
    return sli_buf_append(out, "\xEF\xBF\xBD", 3);
}

/* Controls that survive into the text (a stray NUL, a form feed) become spaces: the
 * parser would stop at a NUL, and the store takes no control bytes. */
static void blank_controls(buf *out, size_t from)
{
    for (size_t i = from; i < out->len; i++) {
        unsigned char c = (unsigned char)out->data[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            out->data[i] = ' ';
    }
}

/* UTF-8 to UTF-8: invalid sequences become U+FFFD. */
static sl_error copy_utf8(const char *s, size_t n, buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    sl_error err = sli_buf_reserve(out, n);
    size_t i = 0;
    while (!err && i < n) {
        size_t start = i;
        while (i < n && (u[i] < 0x80 || sli_utf8_seq_len(u + i, n - i))) {
            if (u[i] < 0x80)
                i++;
            else
                i += sli_utf8_seq_len(u + i, n - i);
        }
        err = sli_buf_append(out, s + start, i - start);
        if (!err && i < n) {
            err = put_fffd(out);
            i++;
        }
    }
    return err;
}

/* Convert with iconv; a byte that does not convert becomes U+FFFD and is skipped. */
static sl_error convert(const char *s, size_t n, const char *from, buf *out)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? SL_ERR_NOMEM : SL_ERR_UNSUPPORTED;
    sl_error err = sli_buf_reserve(out, n + n / 2 + 16);
    char *in = (char *)s;
    size_t left = n;
    while (!err && left) {
        if (out->cap - out->len < 64) {
            err = sli_buf_reserve(out, left * 2 + 64);
            if (err)
                break;
        }
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1; /* the terminator's byte stays */
        size_t r = iconv(cd, &in, &left, &o, &room);
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            err = sli_buf_reserve(out, left * 2 + 64);
        } else if (errno == EILSEQ || errno == EINVAL) {
            err = put_fffd(out);
            if (left) { /* glibc's UHC can fail with every byte consumed (fuzz finding) */
                in++;
                left--;
            }
        } else {
            err = SL_ERR_UNSUPPORTED;
        }
    }
    if (!err) { /* flush a stateful encoding's shift */
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        if (iconv(cd, NULL, NULL, &o, &room) != (size_t)-1)
            out->len = (size_t)(o - out->data), out->data[out->len] = '\0';
    }
    iconv_close(cd);
    return err;
}

/* U+FFFD characters and all characters in valid UTF-8. */
static int mostly_fffd(const char *s, size_t n)
{
    size_t chars = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
            (unsigned char)s[i + 2] == 0xBD)
            bad++;
    }
    return bad >= 8 && bad > chars / HTML_FFFD_RATIO;
}

sl_error sli_html_decode(const char *bytes, size_t n, const char *content_type, buf *out,
                         const char **charset, const char **why)
{
    *why = NULL;
    *charset = "UTF-8";
    sli_buf_clear(out);
    if (!bytes || !n)
        return SL_OK;
    const unsigned char *u = (const unsigned char *)bytes;
    const enc *e = NULL;
    int bom = 0; /* a BOM decides: no correction */
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        e = &ENC_UTF8, bytes += 3, n -= 3, bom = 1;
    } else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        e = label_enc("utf-16le", 8), bytes += 2, n -= 2, bom = 1;
    } else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        e = label_enc("utf-16be", 8), bytes += 2, n -= 2, bom = 1;
    }
    u = (const unsigned char *)bytes;
    /* The HTTP header before the control-byte check: UTF-16 named there alone has a NUL
     * in every other byte of ASCII text. */
    if (!e && content_type) {
        size_t len;
        const char *v = charset_param(content_type, strlen(content_type), &len);
        if (v)
            e = label_enc(v, len);
    }
    int utf16 = e && !strncmp(e->iconv, "UTF-16", 6);
    if (!utf16 && too_many_controls(u, n)) {
        *why = "binary data, not a page of text (NUL or control bytes)";
        return SL_ERR_BINARY;
    }
    if (!e)
        e = meta_enc(bytes, n);
    if (!bom && !utf16) {
        utf8_scan sc = scan_utf8(u, n);
        int valid = sc.invalid == 0;
        int single_byte = e && strcmp(e->iconv, "UTF-8") && strncmp(e->iconv, "UTF-16", 6) &&
                          strcmp(e->iconv, "CP932") && strcmp(e->iconv, "EUC-JP") &&
                          strcmp(e->iconv, "GBK") && strcmp(e->iconv, "GB18030") &&
                          strncmp(e->iconv, "BIG5", 4) && strcmp(e->iconv, "CP949") &&
                          strcmp(e->iconv, "EUC-TW") && strcmp(e->iconv, "ISO-2022-JP");
        if (e && single_byte && valid && sc.multi > 0)
            e = &ENC_UTF8; /* labelled legacy, written in UTF-8 */
        else if (e && !strcmp(e->iconv, "UTF-8") && sc.invalid > sc.multi)
            e = NULL; /* labelled UTF-8, mostly not */
        if (!e && (valid || sc.invalid <= sc.multi / 64))
            e = &ENC_UTF8; /* a stray bad byte in UTF-8 text */
        if (!e) {
            sl_error err = detect(bytes, n, &e);
            if (err)
                return err;
            if (e && !strcmp(e->iconv, "UTF-8"))
                e = NULL; /* uchardet says UTF-8 of bytes that are not */
        }
        if (!e)
            e = &ENC_1252;
    }
    sl_error err;
    if (!strcmp(e->iconv, "UTF-8"))
        err = copy_utf8(bytes, n, out);
    else
        err = convert(bytes, n, e->iconv, out);
    if (err == SL_ERR_UNSUPPORTED) { /* an iconv without that encoding */
        sli_buf_clear(out);
        e = &ENC_UTF8;
        err = copy_utf8(bytes, n, out);
    }
    if (err == SL_ERR_TOO_BIG) {
        *why = "page too large once converted to UTF-8";
        return err;
    }
    if (err)
        return err;
    *charset = e->name;
    if (utf16 && too_many_controls((const unsigned char *)out->data, out->len)) {
        *why = "binary data, not a page of text (NUL or control bytes)";
        return SL_ERR_BINARY;
    }
    if (mostly_fffd(out->data, out->len)) {
        *why = "not text in any encoding found (mostly invalid characters)";
        return SL_ERR_UTF8;
    }
    blank_controls(out, 0);
    return SL_OK;
}
