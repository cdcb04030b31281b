/* json_writer.h — a small streaming JSON writer (internal).
 *
 * Values are appended to a buffer that is flushed to an sl_write_fn whenever it passes a
 * few kilobytes, so exporting a million articles never holds them all in memory. The
 * writer places commas and (when pretty) indentation itself. Errors are sticky: after the
 * first failure every call does nothing and sli_jw_finish() returns that error. */
#ifndef SL_CORE_JSON_WRITER_H
#define SL_CORE_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define JW_MAX_DEPTH 64

typedef struct jw {
    buf out;
    sl_write_fn fn; /* NULL: keep everything in `out` */
    void *user;
    sl_error err;
    int pretty;
    int depth;
    int after_key;                   /* the next value follows a key: no comma */
    unsigned char count[JW_MAX_DEPTH]; /* values so far at each depth (saturating) */
} jw;

void sli_jw_init(jw *w, sl_write_fn fn, void *user, int pretty);
void sli_jw_begin_object(jw *w);
void sli_jw_end_object(jw *w);
void sli_jw_begin_array(jw *w);
void sli_jw_end_array(jw *w);
void sli_jw_key(jw *w, const char *key);
void sli_jw_string(jw *w, const char *s);          /* NULL writes null */
void sli_jw_string_n(jw *w, const char *s, size_t n);
void sli_jw_int(jw *w, long long v);
void sli_jw_double(jw *w, double v);               /* 6 significant digits; non-finite: null */
void sli_jw_double_exact(jw *w, double v);         /* as many digits as v needs (amounts) */
void sli_jw_bool(jw *w, int v);
void sli_jw_null(jw *w);
/* A 64-bit key as a string of 16 lower-case hexadecimal digits (JSON numbers keep 53 bits). */
void sli_jw_hex64(jw *w, uint64_t v);
/* Append already-serialised JSON (trusted, e.g. stored by this library); NULL: null. */
void sli_jw_raw(jw *w, const char *json);
/* A newline between top-level documents (JSON Lines). */
void sli_jw_newline(jw *w);
/* Flush what is buffered; returns the first error seen. Frees the buffer when a write
 * function is set; without one the caller reads w->out and frees it. */
sl_error sli_jw_finish(jw *w);

/* Convenience pairs for objects: "key": value. */
void sli_jw_kv_string(jw *w, const char *key, const char *s);
void sli_jw_kv_int(jw *w, const char *key, long long v);

#endif
