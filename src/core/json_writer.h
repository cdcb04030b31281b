/* json_writer.h — a small streaming JSON writer (internal).
 *
 * Values are appended to a buffer that is flushed to an sl_write_fn whenever it passes a
 * few kilobytes, so exporting a million articles never holds them all in memory. The
 * writer places commas and (when pretty) indentation itself. Errors are sticky: after the
 * first failure every call does nothing and jw_finish() returns that error. */
#ifndef SL_CORE_JSON_WRITER_H
#define SL_CORE_JSON_WRITER_H

#include <stddef.h>
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

void jw_init(jw *w, sl_write_fn fn, void *user, int pretty);
void jw_begin_object(jw *w);
void jw_end_object(jw *w);
void jw_begin_array(jw *w);
void jw_end_array(jw *w);
void jw_key(jw *w, const char *key);
void jw_string(jw *w, const char *s);          /* NULL writes null */
void jw_string_n(jw *w, const char *s, size_t n);
void jw_int(jw *w, long long v);
void jw_double(jw *w, double v);               /* non-finite values write null */
void jw_bool(jw *w, int v);
void jw_null(jw *w);
/* Append already-serialised JSON (trusted, e.g. stored by this library); NULL: null. */
void jw_raw(jw *w, const char *json);
/* A newline between top-level documents (JSON Lines). */
void jw_newline(jw *w);
/* Flush what is buffered; returns the first error seen. Frees the buffer when a write
 * function is set; without one the caller reads w->out and frees it. */
sl_error jw_finish(jw *w);

/* Convenience pairs for objects: "key": value. */
void jw_kv_string(jw *w, const char *key, const char *s);
void jw_kv_int(jw *w, const char *key, long long v);

#endif
