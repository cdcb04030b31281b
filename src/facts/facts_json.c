/* facts_json.c — an article's facts in DESIGN.md's JSON shape. */
#include "facts.h"

#include <limits.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/json_writer.h"
#include "../core/utf8.h"

static void write_json(jw *w, const sli_facts *f, int quotes)
{
    sli_jw_begin_object(w);
    sli_jw_key(w, "quotes");
    sli_jw_begin_array(w);
    for (size_t i = 0; quotes && i < f->n_quotes; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->quotes[i].text);
        sli_jw_kv_string(w, "speaker", f->quotes[i].speaker);
        sli_jw_kv_string(w, "kind", sli_quote_kind_name(f->quotes[i].kind));
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "entities");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_entities; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "name", f->entities[i].name);
        sli_jw_kv_string(w, "type", sli_entity_type_name(f->entities[i].type));
        sli_jw_kv_int(w, "count", f->entities[i].count);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "amounts");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_amounts; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->amounts[i].text);
        sli_jw_key(w, "value");
        sli_jw_double_exact(w, f->amounts[i].value);
        sli_jw_kv_string(w, "unit", f->amounts[i].unit);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_key(w, "dates");
    sli_jw_begin_array(w);
    for (size_t i = 0; i < f->n_dates; i++) {
        sli_jw_begin_object(w);
        sli_jw_kv_string(w, "text", f->dates[i].text);
        sli_jw_kv_string(w, "date", f->dates[i].value);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
    sli_jw_end_object(w);
}

void sli_facts_write_json(jw *w, const sli_facts *f)
{
    write_json(w, f, 1);
}

void sli_facts_write_json_stored(jw *w, const sli_facts *f)
{
    write_json(w, f, 0);
}

/* ---- the entities read back from the object's "entities" array ---- */

typedef struct jr {
    const char *p, *end;
} jr;

static void skip_ws(jr *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15)
            return 0;
        *v = *v * 16 + d;
    }
    return 1;
}

/* A string at r->p, unescaped into out (cleared first); 0 when it is not one. */
static int read_string(jr *r, buf *out, sl_error *err)
{
    sli_buf_clear(out);
    if (r->p >= r->end || *r->p != '"')
        return 0;
    r->p++;
    while (r->p < r->end && *r->p != '"') {
        const char *run = r->p;
        while (r->p < r->end && *r->p != '"' && *r->p != '\\')
            r->p++;
        if ((*err = sli_buf_append(out, run, (size_t)(r->p - run))))
            return 0;
        if (r->p >= r->end || *r->p == '"')
            break;
        if (r->end - r->p < 2)
            return 0;
        char c = r->p[1], one = 0;
        r->p += 2;
        switch (c) {
        case '"': one = '"'; break;
        case '\\': one = '\\'; break;
        case '/': one = '/'; break;
        case 'b': one = '\b'; break;
        case 'f': one = '\f'; break;
        case 'n': one = '\n'; break;
        case 'r': one = '\r'; break;
        case 't': one = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (r->end - r->p < 4 || !hex4(r->p, &cp))
                return 0;
            r->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' &&
                r->p[1] == 'u' && hex4(r->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                r->p += 6;
            }
            if (!cp || (cp >= 0xD800 && cp < 0xE000))
                return 0; /* NUL, or half a pair: not what the writer writes */
            char u[4];
            size_t n = sli_utf8_encode(cp, u);
            if ((*err = sli_buf_append(out, u, n)))
                return 0;
            continue;
        }
        default:
            return 0;
        }
        if ((*err = sli_buf_append(out, &one, 1)))
            return 0;
    }
    if (r->p >= r->end)
        return 0;
    r->p++;
    return 1;
}

/* Before an item of a list: the comma after the one before (none before the first). */
static int separated(jr *r, int *first)
{
    if (*first) {
        *first = 0;
        return 1;
    }
    if (r->p >= r->end || *r->p != ',')
        return 0;
    r->p++;
    skip_ws(r);
    return 1;
}

sl_error sli_facts_read_entities(const char *json, size_t len,
                                 sl_error (*fn)(void *user, const char *name, const char *type,
                                                long long count),
                                 void *user)
{
    jr r = {json, json + len};
    buf key, name, type;
    sli_buf_init(&key, BUF_UNLIMITED);
    sli_buf_init(&name, BUF_UNLIMITED);
    sli_buf_init(&type, BUF_UNLIMITED);
    sl_error err = SL_OK;
    int good = 1;
    skip_ws(&r);
    good = r.p < r.end && *r.p == '[';
    if (good)
        r.p++;
    skip_ws(&r);
    int first = 1;
    while (good && !err && r.p < r.end && *r.p != ']') {
        good = separated(&r, &first) && r.p < r.end && *r.p == '{';
        if (!good)
            break;
        r.p++;
        int has_name = 0, has_type = 0, has_count = 0, firstk = 1;
        long long count = 0;
        skip_ws(&r);
        while (good && !err && r.p < r.end && *r.p != '}') {
            good = separated(&r, &firstk) && read_string(&r, &key, &err);
            skip_ws(&r);
            good = good && r.p < r.end && *r.p == ':';
            if (!good)
                break;
            r.p++;
            skip_ws(&r);
            const char *k = sli_buf_str(&key);
            if (!strcmp(k, "name") && !has_name)
                good = has_name = read_string(&r, &name, &err);
            else if (!strcmp(k, "type") && !has_type)
                good = has_type = read_string(&r, &type, &err);
            else if (!strcmp(k, "count") && !has_count) {
                int neg = r.p < r.end && *r.p == '-';
                r.p += neg;
                good = r.p < r.end && *r.p >= '0' && *r.p <= '9';
                while (good && r.p < r.end && *r.p >= '0' && *r.p <= '9') {
                    if (count > (LLONG_MAX - 9) / 10)
                        good = 0;
                    else
                        count = count * 10 + (*r.p++ - '0');
                }
                count = neg ? -count : count;
                has_count = good;
            } else {
                good = 0; /* not what the writer writes */
            }
            skip_ws(&r);
        }
        good = good && !err && has_name && has_type && has_count && r.p < r.end;
        if (good) {
            r.p++;
            err = fn(user, sli_buf_str(&name), sli_buf_str(&type), count);
            skip_ws(&r);
        }
    }
    if (good && !err && (r.p >= r.end || *r.p != ']'))
        good = 0;
    sli_buf_free(&key);
    sli_buf_free(&name);
    sli_buf_free(&type);
    return err ? err : good ? SL_OK : SL_ERR_STORE;
}
