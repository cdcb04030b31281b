/* test_json_writer.c — the streaming JSON writer: structure, commas and indentation,
 * string escaping, numbers, flushing through a write callback, and errors. Every
 * document produced is parsed back with json-c (strict mode) to prove it is JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "core/json_writer.h"

/* Parse a whole document strictly; fails the test if it is not exactly one JSON value.
 * Returns the object (json_object_put it). */
static json_object *parse_strict(const char *doc, size_t len)
{
    /* The writer's only raw control character is the newline of pretty output and of
     * JSON Lines (json-c would accept raw controls inside strings). */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)doc[i] < 0x20 && doc[i] != '\n')
            fail_msg("raw control byte 0x%02x at %zu", (unsigned char)doc[i], i);
    json_tokener *tok = json_tokener_new_ex(JW_MAX_DEPTH + 1);
    assert_non_null(tok);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *obj = json_tokener_parse_ex(tok, doc, (int)len);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (err == json_tokener_continue) {
        /* A bare number or literal at the very end: the terminator ends it. */
        obj = json_tokener_parse_ex(tok, "", 1);
        err = json_tokener_get_error(tok);
    }
    json_tokener_free(tok);
    if (err != json_tokener_success) {
        json_object_put(obj);
        fail_msg("not valid JSON (%s at %zu): %.*s", json_tokener_error_desc(err), end,
                 (int)(len < 400 ? len : 400), doc);
    }
    /* Only whitespace may follow. */
    for (size_t i = end; i < len; i++)
        if (doc[i] != ' ' && doc[i] != '\n' && doc[i] != '\t' && doc[i] != '\r') {
            json_object_put(obj);
            fail_msg("text after the JSON value at %zu: %.*s", i, (int)(len - i), doc + i);
        }
    return obj;
}

/* Finish a writer without a callback and check its output is `want` and valid JSON. */
static void expect_doc(jw *w, const char *want)
{
    assert_int_equal(sli_jw_finish(w), SL_OK);
    const char *got = sli_buf_str(&w->out);
    assert_string_equal(got, want);
    json_object_put(parse_strict(got, w->out.len));
    sli_buf_free(&w->out);
}

/* Writes one fixed nested document into w. */
static void write_sample(jw *w)
{
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "id", "a1");
    sli_jw_kv_int(w, "n", 42);
    sli_jw_key(w, "list");
    sli_jw_begin_array(w);
    sli_jw_int(w, 1);
    sli_jw_string(w, "two");
    sli_jw_bool(w, 1);
    sli_jw_bool(w, 0);
    sli_jw_null(w);
    sli_jw_begin_object(w);
    sli_jw_kv_string(w, "k", "v");
    sli_jw_end_object(w);
    sli_jw_begin_array(w);
    sli_jw_end_array(w);
    sli_jw_begin_object(w);
    sli_jw_end_object(w);
    sli_jw_end_array(w);
    sli_jw_key(w, "empty");
    sli_jw_begin_object(w);
    sli_jw_end_object(w);
    sli_jw_key(w, "x");
    sli_jw_double(w, 1.5);
    sli_jw_end_object(w);
}

static void test_compact(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    write_sample(&w);
    expect_doc(&w, "{\"id\":\"a1\",\"n\":42,\"list\":[1,\"two\",true,false,null,{\"k\":\"v\"},[],{}],"
                   "\"empty\":{},\"x\":1.5}");
}

static void test_pretty(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 1);
    write_sample(&w);
    expect_doc(&w, "{\n"
                   "  \"id\": \"a1\",\n"
                   "  \"n\": 42,\n"
                   "  \"list\": [\n"
                   "    1,\n"
                   "    \"two\",\n"
                   "    true,\n"
                   "    false,\n"
                   "    null,\n"
                   "    {\n"
                   "      \"k\": \"v\"\n"
                   "    },\n"
                   "    [],\n"
                   "    {}\n"
                   "  ],\n"
                   "  \"empty\": {},\n"
                   "  \"x\": 1.5\n"
                   "}");
}

static void test_top_level_values(void **state)
{
    (void)state;
    static const struct {
        int kind;
        const char *want;
    } cases[] = {
        {0, "null"}, {1, "true"}, {2, "-7"}, {3, "\"s\""}, {4, "[]"}, {5, "{}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int pretty = 0; pretty <= 1; pretty++) {
            jw w;
            sli_jw_init(&w, NULL, NULL, pretty);
            switch (cases[i].kind) {
            case 0: sli_jw_null(&w); break;
            case 1: sli_jw_bool(&w, 7); break;
            case 2: sli_jw_int(&w, -7); break;
            case 3: sli_jw_string(&w, "s"); break;
            case 4: sli_jw_begin_array(&w); sli_jw_end_array(&w); break;
            default: sli_jw_begin_object(&w); sli_jw_end_object(&w); break;
            }
            expect_doc(&w, cases[i].want);
        }
    }
}

/* JSON Lines: one document per line. */
static void test_json_lines(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    for (int i = 0; i < 3; i++) {
        sli_jw_begin_object(&w);
        sli_jw_kv_int(&w, "i", i);
        sli_jw_end_object(&w);
        sli_jw_newline(&w);
    }
    assert_int_equal(sli_jw_finish(&w), SL_OK);
    assert_string_equal(sli_buf_str(&w.out), "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n");
    /* Each line parses on its own. */
    const char *p = sli_buf_str(&w.out);
    for (int i = 0; i < 3; i++) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        json_object *o = parse_strict(p, (size_t)(nl - p));
        json_object *v;
        assert_true(json_object_object_get_ex(o, "i", &v));
        assert_int_equal(json_object_get_int(v), i);
        json_object_put(o);
        p = nl + 1;
    }
    sli_buf_free(&w.out);
}

typedef struct esc_case {
    const char *in;
    size_t n;
    const char *json;    /* expected serialisation */
    const char *decoded; /* the string json-c reads back */
    size_t decoded_len;
} esc_case;

#define ESC(in, json, dec) {in, sizeof(in) - 1, json, dec, sizeof(dec) - 1}

static void test_string_escaping(void **state)
{
    (void)state;
    static const esc_case cases[] = {
        ESC("", "\"\"", ""),
        ESC("plain", "\"plain\"", "plain"),
        ESC("say \"hi\"", "\"say \\\"hi\\\"\"", "say \"hi\""),
        ESC("back\\slash", "\"back\\\\slash\"", "back\\slash"),
        ESC("line\nbreak", "\"line\\nbreak\"", "line\nbreak"),
        ESC("cr\rtab\t", "\"cr\\rtab\\t\"", "cr\rtab\t"),
        ESC("\b\f", "\"\\b\\f\"", "\b\f"),
        ESC("\x01", "\"\\u0001\"", "\x01"),
        ESC("a\x1f" "b", "\"a\\u001fb\"", "a\x1f" "b"),
        ESC("nul\0byte", "\"nul\\u0000byte\"", "nul\0byte"),
        ESC("slash/ok", "\"slash/ok\"", "slash/ok"),
        /* DEL, C1 controls (U+009B is a terminal's CSI), bidi overrides and isolates,
         * and the line separators are escaped: the output holds only printable text. */
        ESC("del\x7F", "\"del\\u007f\"", "del\x7F"),
        ESC("\xC2\x9B" "2J", "\"\\u009b2J\"", "\xC2\x9B" "2J"),
        ESC("\xC2\x80\xC2\x9F\xC2\xA0", "\"\\u0080\\u009f\xC2\xA0\"", "\xC2\x80\xC2\x9F\xC2\xA0"),
        ESC("a\xE2\x80\xAE" "b", "\"a\\u202eb\"", "a\xE2\x80\xAE" "b"),
        ESC("\xE2\x80\xAA\xE2\x81\xA6\xE2\x81\xA9", "\"\\u202a\\u2066\\u2069\"",
            "\xE2\x80\xAA\xE2\x81\xA6\xE2\x81\xA9"),
        ESC("\xE2\x80\x8F\xD8\x9C", "\"\\u200f\\u061c\"", "\xE2\x80\x8F\xD8\x9C"),
        /* Valid multibyte UTF-8 is kept as it is. */
        ESC("caf\xC3\xA9", "\"caf\xC3\xA9\"", "caf\xC3\xA9"),
        ESC("\xE2\x82\xAC\xF0\x9F\x98\x80", "\"\xE2\x82\xAC\xF0\x9F\x98\x80\"",
            "\xE2\x82\xAC\xF0\x9F\x98\x80"),
        ESC("\xE2\x80\xA8\xE2\x80\xA9", "\"\\u2028\\u2029\"", "\xE2\x80\xA8\xE2\x80\xA9"),
        /* Each invalid byte becomes U+FFFD. */
        ESC("a\xFF" "b", "\"a\xEF\xBF\xBD" "b\"", "a\xEF\xBF\xBD" "b"),
        ESC("\x80", "\"\xEF\xBF\xBD\"", "\xEF\xBF\xBD"),
        ESC("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"", "\xEF\xBF\xBD\xEF\xBF\xBD"),
        ESC("end\xC3", "\"end\xEF\xBF\xBD\"", "end\xEF\xBF\xBD"),
        ESC("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"",
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
        ESC("\xC3\xA9\xFF\xC3\xA9", "\"\xC3\xA9\xEF\xBF\xBD\xC3\xA9\"",
            "\xC3\xA9\xEF\xBF\xBD\xC3\xA9"),
        ESC("mix\"\n\xFF\\", "\"mix\\\"\\n\xEF\xBF\xBD\\\\\"", "mix\"\n\xEF\xBF\xBD\\"),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jw w;
        sli_jw_init(&w, NULL, NULL, 0);
        sli_jw_string_n(&w, cases[i].in, cases[i].n);
        assert_int_equal(sli_jw_finish(&w), SL_OK);
        if (strcmp(sli_buf_str(&w.out), cases[i].json) != 0) {
            char msg[512];
            snprintf(msg, sizeof msg, "case %zu: wrote %s, expected %s", i, sli_buf_str(&w.out),
                     cases[i].json);
            sli_buf_free(&w.out);
            fail_msg("%s", msg);
        }
        json_object *o = parse_strict(sli_buf_str(&w.out), w.out.len);
        assert_true(json_object_is_type(o, json_type_string));
        assert_int_equal((size_t)json_object_get_string_len(o), cases[i].decoded_len);
        assert_memory_equal(json_object_get_string(o), cases[i].decoded, cases[i].decoded_len);
        json_object_put(o);
        sli_buf_free(&w.out);
    }
}

/* Keys are escaped like values; a NULL string is null. */
static void test_keys_and_null_strings(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_object(&w);
    sli_jw_kv_string(&w, "we\"ird\nkey\xFF", "v");
    sli_jw_kv_string(&w, "none", NULL);
    sli_jw_key(&w, "raw");
    sli_jw_raw(&w, "{\"pre\":[1,2]}");
    sli_jw_key(&w, "rawnull");
    sli_jw_raw(&w, NULL);
    sli_jw_end_object(&w);
    expect_doc(&w, "{\"we\\\"ird\\nkey\xEF\xBF\xBD\":\"v\",\"none\":null,"
                   "\"raw\":{\"pre\":[1,2]},\"rawnull\":null}");

    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_array(&w);
    sli_jw_string(&w, NULL);
    sli_jw_string(&w, "");
    sli_jw_raw(&w, "3");
    /* Raw JSON gets the same escapes for DEL, C1 and bidi controls inside its strings. */
    sli_jw_raw(&w, "{\"k\":\"a\xC2\x9B" "b\xE2\x80\xAE" "c\x7F\xC3\xA9\"}");
    sli_jw_end_array(&w);
    expect_doc(&w, "[null,\"\",3,{\"k\":\"a\\u009bb\\u202ec\\u007f\xC3\xA9\"}]");
}

static void test_numbers(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_array(&w);
    sli_jw_int(&w, 0);
    sli_jw_int(&w, -1);
    sli_jw_int(&w, LLONG_MAX);
    sli_jw_int(&w, LLONG_MIN);
    sli_jw_double(&w, 0.0);
    sli_jw_double(&w, -2.25);
    sli_jw_double(&w, 1e20);
    sli_jw_double(&w, 1e-7);
    sli_jw_double(&w, NAN);
    sli_jw_double(&w, INFINITY);
    sli_jw_double(&w, -INFINITY);
    sli_jw_end_array(&w);
    assert_int_equal(sli_jw_finish(&w), SL_OK);
    const char *doc = sli_buf_str(&w.out);
    assert_non_null(strstr(doc, "[0,-1,9223372036854775807,-9223372036854775808,0,-2.25,"));
    assert_non_null(strstr(doc, ",null,null,null]"));
    json_object *a = parse_strict(doc, w.out.len);
    assert_int_equal(json_object_array_length(a), 11);
    assert_true(json_object_get_int64(json_object_array_get_idx(a, 2)) == LLONG_MAX);
    assert_true(json_object_get_int64(json_object_array_get_idx(a, 3)) == LLONG_MIN);
    assert_true(fabs(json_object_get_double(json_object_array_get_idx(a, 6)) - 1e20) < 1e14);
    assert_true(fabs(json_object_get_double(json_object_array_get_idx(a, 7)) - 1e-7) < 1e-12);
    for (int i = 8; i < 11; i++)
        assert_true(json_object_is_type(json_object_array_get_idx(a, (size_t)i), json_type_null));
    json_object_put(a);
    sli_buf_free(&w.out);

    /* A non-finite double as an object value: the key is still followed by null. */
    sli_jw_init(&w, NULL, NULL, 1);
    sli_jw_begin_object(&w);
    sli_jw_key(&w, "rate");
    sli_jw_double(&w, NAN);
    sli_jw_key(&w, "n");
    sli_jw_int(&w, 1);
    sli_jw_end_object(&w);
    expect_doc(&w, "{\n  \"rate\": null,\n  \"n\": 1\n}");
}

/* Exact doubles (amounts): every digit the value needs, no more; non-finite is null. */
static void test_double_exact(void **state)
{
    (void)state;
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_array(&w);
    sli_jw_double_exact(&w, 10365.45);
    sli_jw_double_exact(&w, 250000);
    sli_jw_double_exact(&w, 3.5e9);
    sli_jw_double_exact(&w, 0.1 + 0.2);
    sli_jw_double_exact(&w, INFINITY);
    sli_jw_end_array(&w);
    expect_doc(&w, "[10365.45,250000,3500000000,0.30000000000000004,null]");
}

/* Many values at one level: commas stay right after the per-level count saturates. */
static void test_many_values(void **state)
{
    (void)state;
    for (int pretty = 0; pretty <= 1; pretty++) {
        jw w;
        sli_jw_init(&w, NULL, NULL, pretty);
        sli_jw_begin_array(&w);
        for (int i = 0; i < 1000; i++) {
            sli_jw_begin_object(&w);
            sli_jw_kv_int(&w, "i", i);
            sli_jw_end_object(&w);
        }
        sli_jw_end_array(&w);
        assert_int_equal(sli_jw_finish(&w), SL_OK);
        json_object *a = parse_strict(sli_buf_str(&w.out), w.out.len);
        assert_int_equal(json_object_array_length(a), 1000);
        for (size_t i = 0; i < 1000; i += 111) {
            json_object *v;
            assert_true(json_object_object_get_ex(json_object_array_get_idx(a, i), "i", &v));
            assert_int_equal(json_object_get_int(v), (int)i);
        }
        json_object_put(a);
        sli_buf_free(&w.out);
    }
}

static void test_depth(void **state)
{
    (void)state;
    /* 63 levels are fine. */
    jw w;
    sli_jw_init(&w, NULL, NULL, 0);
    for (int i = 0; i < JW_MAX_DEPTH - 1; i++)
        sli_jw_begin_array(&w);
    for (int i = 0; i < JW_MAX_DEPTH - 1; i++)
        sli_jw_end_array(&w);
    assert_int_equal(sli_jw_finish(&w), SL_OK);
    assert_int_equal(w.out.len, 2 * (JW_MAX_DEPTH - 1));
    json_object_put(parse_strict(sli_buf_str(&w.out), w.out.len));
    sli_buf_free(&w.out);

    /* One more is an error, and the error sticks. */
    sli_jw_init(&w, NULL, NULL, 0);
    for (int i = 0; i < JW_MAX_DEPTH; i++)
        sli_jw_begin_object(&w);
    assert_int_equal(sli_jw_finish(&w), SL_ERR_INVALID);
    sli_buf_free(&w.out);

    /* Closing more than was opened is an error. */
    sli_jw_init(&w, NULL, NULL, 0);
    sli_jw_begin_array(&w);
    sli_jw_end_array(&w);
    sli_jw_end_array(&w);
    assert_int_equal(sli_jw_finish(&w), SL_ERR_INVALID);
    sli_buf_free(&w.out);

    sli_jw_init(&w, NULL, NULL, 1);
    sli_jw_end_object(&w);
    sli_jw_int(&w, 5);
    assert_int_equal(sli_jw_finish(&w), SL_ERR_INVALID);
    sli_buf_free(&w.out);
}

/* A write callback that collects everything, or fails on call number `fail_on`. */
typedef struct sink {
    buf all;
    int calls;
    int fail_on; /* 0: never */
    size_t largest;
} sink;

static int sink_write(void *user, const char *data, size_t len)
{
    sink *s = user;
    s->calls++;
    assert_non_null(data);
    assert_true(len > 0);
    if (len > s->largest)
        s->largest = len;
    if (s->fail_on && s->calls >= s->fail_on)
        return -1;
    assert_int_equal(sli_buf_append(&s->all, data, len), SL_OK);
    return 0;
}

static void write_big(jw *w, int items)
{
    sli_jw_begin_array(w);
    for (int i = 0; i < items; i++) {
        char text[64];
        snprintf(text, sizeof text, "item %d \"quoted\" caf\xC3\xA9", i);
        sli_jw_begin_object(w);
        sli_jw_kv_int(w, "i", i);
        sli_jw_kv_string(w, "text", text);
        sli_jw_end_object(w);
    }
    sli_jw_end_array(w);
}

/* Through a callback, output arrives in chunks (several, each bounded) whose
 * concatenation is exactly what the buffered writer produces. */
static void test_callback_chunks(void **state)
{
    (void)state;
    for (int pretty = 0; pretty <= 1; pretty++) {
        jw ref;
        sli_jw_init(&ref, NULL, NULL, pretty);
        write_big(&ref, 5000);
        assert_int_equal(sli_jw_finish(&ref), SL_OK);
        assert_true(ref.out.len > 200000);

        sink s = {{0}, 0, 0, 0};
        sli_buf_init(&s.all, BUF_UNLIMITED);
        jw w;
        sli_jw_init(&w, sink_write, &s, pretty);
        write_big(&w, 5000);
        assert_int_equal(sli_jw_finish(&w), SL_OK);
        assert_null(w.out.data); /* the buffer is freed when a callback is set */
        assert_true(s.calls > 5);
        assert_true(s.largest < 64 * 1024); /* flushed as it goes, not all at the end */
        assert_int_equal(s.all.len, ref.out.len);
        assert_memory_equal(s.all.data, ref.out.data, ref.out.len);
        json_object *a = parse_strict(s.all.data, s.all.len);
        assert_int_equal(json_object_array_length(a), 5000);
        json_object *v;
        assert_true(json_object_object_get_ex(json_object_array_get_idx(a, 4999), "text", &v));
        assert_string_equal(json_object_get_string(v), "item 4999 \"quoted\" caf\xC3\xA9");
        json_object_put(a);
        sli_buf_free(&s.all);
        sli_buf_free(&ref.out);
    }
}

/* A small document reaches the callback in one call, at sli_jw_finish. */
static void test_callback_small(void **state)
{
    (void)state;
    sink s = {{0}, 0, 0, 0};
    sli_buf_init(&s.all, BUF_UNLIMITED);
    jw w;
    sli_jw_init(&w, sink_write, &s, 0);
    sli_jw_begin_object(&w);
    sli_jw_kv_string(&w, "a", "b");
    sli_jw_end_object(&w);
    assert_int_equal(s.calls, 0);
    assert_int_equal(sli_jw_finish(&w), SL_OK);
    assert_int_equal(s.calls, 1);
    assert_string_equal(sli_buf_str(&s.all), "{\"a\":\"b\"}");
    sli_buf_free(&s.all);

    /* Nothing written: the callback is not called at all. */
    sink e = {{0}, 0, 0, 0};
    sli_buf_init(&e.all, BUF_UNLIMITED);
    sli_jw_init(&w, sink_write, &e, 0);
    assert_int_equal(sli_jw_finish(&w), SL_OK);
    assert_int_equal(e.calls, 0);
    sli_buf_free(&e.all);
}

/* A failing callback: SL_ERR_WRITE from sli_jw_finish, and no further calls after the
 * failure. */
static void test_callback_failure(void **state)
{
    (void)state;
    /* Failure on the final flush. */
    sink s = {{0}, 0, 1, 0};
    sli_buf_init(&s.all, BUF_UNLIMITED);
    jw w;
    sli_jw_init(&w, sink_write, &s, 0);
    sli_jw_begin_array(&w);
    sli_jw_int(&w, 1);
    sli_jw_end_array(&w);
    assert_int_equal(sli_jw_finish(&w), SL_ERR_WRITE);
    assert_int_equal(s.calls, 1);
    assert_null(w.out.data);
    sli_buf_free(&s.all);

    /* Failure in the middle of a large document: the writer stops there. */
    sink m = {{0}, 0, 2, 0};
    sli_buf_init(&m.all, BUF_UNLIMITED);
    sli_jw_init(&w, sink_write, &m, 1);
    write_big(&w, 5000);
    assert_int_equal(w.err, SL_ERR_WRITE);
    assert_int_equal(sli_jw_finish(&w), SL_ERR_WRITE);
    assert_int_equal(m.calls, 2);
    assert_null(w.out.data);
    /* Only the first chunk got through. */
    assert_true(m.all.len > 0 && m.all.len < 64 * 1024);
    sli_buf_free(&m.all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_top_level_values),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_string_escaping),
        cmocka_unit_test(test_keys_and_null_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_many_values),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_double_exact),
        cmocka_unit_test(test_callback_chunks),
        cmocka_unit_test(test_callback_small),
        cmocka_unit_test(test_callback_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
