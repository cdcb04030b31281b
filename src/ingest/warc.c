/* warc.c — a streaming WARC record reader over zlib (warc.h). */
#include "warc.h"

#include <stdarg.h>
#include <sys/types.h> /* off_t */
#include <string.h>
#include <strings.h>

static const char WARC_MAGIC[] = "WARC/1.";
#define WARC_MAGIC_LEN 7
#define WARC_LINE_MAX 16384 /* one header line */
#define WARC_TRAILER_KEEP 64

void sli_warc_init(warc_reader *r, FILE *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->gz = -1;
    r->state = WARC_SRC_OK;
    sli_buf_init(&r->pb, BUF_UNLIMITED);
    sli_buf_init(&r->pb2, BUF_UNLIMITED);
    sli_buf_init(&r->uri, WARC_URI_MAX);
    sli_buf_init(&r->line, WARC_LINE_MAX);
}

void sli_warc_free(warc_reader *r)
{
    if (r->z_init)
        inflateEnd(&r->z);
    r->z_init = 0;
    sli_buf_free(&r->pb);
    sli_buf_free(&r->pb2);
    sli_buf_free(&r->uri);
    sli_buf_free(&r->line);
}

long long sli_warc_consumed(const warc_reader *r)
{
    return r->gz == 1 ? r->in_off + (long long)r->in_pos : r->in_off;
}

/* ---------------------------------------------------------------------------------- */
/* The byte source: plain or gzip, with given-back bytes read first                    */
/* ---------------------------------------------------------------------------------- */

static void cp_add(warc_reader *r, long long pos, long long off, int member)
{
    unsigned i;
    if (r->cp_n < WARC_CHECKPOINTS) {
        i = (r->cp_head + r->cp_n) % WARC_CHECKPOINTS;
        r->cp_n++;
    } else {
        i = r->cp_head;
        r->cp_head = (r->cp_head + 1) % WARC_CHECKPOINTS;
    }
    r->cp[i] = (warc_checkpoint){pos, off, member};
}

/* The file offset of decompressed position pos (warc.h says how exact). */
static long long offset_of(const warc_reader *r, long long pos)
{
    if (r->gz != 1)
        return pos;
    for (unsigned k = r->cp_n; k-- > 0;) {
        const warc_checkpoint *c = &r->cp[(r->cp_head + k) % WARC_CHECKPOINTS];
        if (c->pos <= pos)
            return c->off;
    }
    return r->cp_n ? r->cp[r->cp_head].off : 0;
}

static void src_break(warc_reader *r, long long resume, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void src_break(warc_reader *r, long long resume, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->src_msg, sizeof r->src_msg, fmt, ap);
    va_end(ap);
    r->state = WARC_SRC_BROKEN;
    r->resume_off = resume;
    r->member_open = 0;
    r->out_pos = r->out_len = 0;
}

/* At least n compressed bytes in in[] from in_pos, unless the file ends first. Returns the
 * bytes available. */
static size_t ensure_in(warc_reader *r, size_t n)
{
    size_t have = r->in_len - r->in_pos;
    if (have >= n || r->in_eof)
        return have;
    memmove(r->in, r->in + r->in_pos, have);
    r->in_off += (long long)r->in_pos;
    r->in_pos = 0;
    r->in_len = have;
    while (r->in_len < n && !r->in_eof) {
        size_t got = fread(r->in + r->in_len, 1, sizeof r->in - r->in_len, r->f);
        r->in_len += got;
        if (got == 0) {
            r->in_eof = 1;
            if (ferror(r->f))
                r->io_error = 1;
        }
    }
    return r->in_len - r->in_pos;
}

static int is_gzip_magic(const unsigned char *p, size_t n)
{
    return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && (n < 4 || (p[3] & 0xe0) == 0);
}

/* Where to look for the next member after the current one broke: just after its start,
 * unless it began inside the span broken members had already inflated (a member found by
 * the scan inside a broken one, which broke too): then at the end of that span, so that no
 * compressed byte is inflated more than twice (linear time on nested fakes); the members
 * between are lost. */
static long long broken_resume(warc_reader *r)
{
    long long hi = r->in_off + (long long)r->in_pos, resume = r->member_off + 1;
    if (r->member_off < r->broken_far && r->broken_far > resume)
        resume = r->broken_far;
    if (hi > r->broken_far)
        r->broken_far = hi;
    return resume;
}

/* Produce more decompressed bytes into out[]. Returns how many (0: end, broken or out of
 * memory: see r->state and r->nomem). Only called with pb and out used up. */
static size_t src_fill(warc_reader *r)
{
    if (r->state != WARC_SRC_OK || r->nomem)
        return 0;
    if (r->gz < 0) {
        size_t have = ensure_in(r, 2);
        r->gz = have >= 2 && r->in[r->in_pos] == 0x1f && r->in[r->in_pos + 1] == 0x8b;
        if (r->gz) {
            memset(&r->z, 0, sizeof r->z);
            int zr = inflateInit2(&r->z, 16 + MAX_WBITS);
            if (zr != Z_OK) {
                r->gz = 0;
                r->nomem = 1;
                return 0;
            }
            r->z_init = 1;
        }
    }
    r->out_pos = r->out_len = 0;
    if (!r->gz) {
        /* Plain: bytes left in in[] (from the sniffing), then the file. */
        size_t n = r->in_len - r->in_pos;
        if (n) {
            if (n > sizeof r->out)
                n = sizeof r->out;
            memcpy(r->out, r->in + r->in_pos, n);
            r->in_pos += n;
            if (r->in_pos == r->in_len) {
                r->in_off += (long long)r->in_len; /* in_off: file bytes consumed */
                r->in_pos = r->in_len = 0;
            }
        } else {
            n = r->in_eof ? 0 : fread(r->out, 1, sizeof r->out, r->f);
            r->in_off += (long long)n;
            if (n == 0) {
                r->in_eof = 1;
                if (ferror(r->f) || r->io_error)
                    src_break(r, -1, "read error");
                else
                    r->state = WARC_SRC_EOF;
                return 0;
            }
        }
        r->out_len = n;
        r->work += (long long)n;
        return n;
    }
    for (;;) {
        if (!r->member_open) {
            size_t have = ensure_in(r, 4);
            if (have == 0) {
                if (r->io_error)
                    src_break(r, -1, "read error");
                else
                    r->state = WARC_SRC_EOF;
                return 0;
            }
            long long at = r->in_off + (long long)r->in_pos;
            if (!is_gzip_magic(r->in + r->in_pos, have)) {
                src_break(r, at + 1, "bytes at offset %lld are not the start of a gzip member",
                          at);
                r->member_off = at;
                return 0;
            }
            if (inflateReset(&r->z) != Z_OK) {
                src_break(r, at + 1, "cannot restart the gzip decoder");
                return 0;
            }
            r->member_open = 1;
            r->member_fresh = 1;
            r->member_off = at;
        }
        if (ensure_in(r, 1) == 0) {
            /* Later members may lie inside the one cut short: look for them. */
            src_break(r, broken_resume(r),
                      "the gzip member at offset %lld is cut short at the end of the file",
                      r->member_off);
            return 0;
        }
        long long off0 = r->in_off + (long long)r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        r->z.next_in = r->in + r->in_pos;
        r->z.avail_in = (uInt)avail;
        r->z.next_out = r->out;
        r->z.avail_out = (uInt)sizeof r->out;
        int zr = inflate(&r->z, Z_NO_FLUSH);
        r->in_pos += avail - r->z.avail_in;
        size_t made = sizeof r->out - r->z.avail_out;
        if (zr == Z_MEM_ERROR) {
            r->nomem = 1;
            return 0;
        }
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            src_break(r, broken_resume(r), "the gzip member at offset %lld is corrupt (%s)",
                      r->member_off, r->z.msg ? r->z.msg : "bad data");
            return 0;
        }
        if (zr == Z_STREAM_END)
            r->member_open = 0;
        if (made) {
            r->work += (long long)made;
            cp_add(r, r->pos, r->member_fresh ? r->member_off : off0, r->member_fresh);
            if (r->member_fresh)
                r->new_member = 1;
            r->member_fresh = 0;
            r->out_len = made;
            return made;
        }
    }
}

static int src_more(warc_reader *r)
{
    if (r->pb_pos < r->pb.len || r->out_pos < r->out_len)
        return 1;
    if (r->pb.len) {
        sli_buf_clear(&r->pb);
        r->pb_pos = 0;
    }
    return src_fill(r) > 0;
}

/* The bytes at hand once src_more() said there are some: given back ones first, then
 * decompressed ones. *member (may be NULL): 1 when these are the first bytes of a gzip
 * member (the mark is then cleared). */
static size_t src_span(warc_reader *r, const char **p, int *member)
{
    if (member)
        *member = 0;
    if (r->pb_pos < r->pb.len) {
        *p = r->pb.data + r->pb_pos;
        return r->pb.len - r->pb_pos;
    }
    if (r->new_member && r->out_pos == 0) {
        r->new_member = 0;
        if (member)
            *member = 1;
    }
    *p = (const char *)r->out + r->out_pos;
    return r->out_len - r->out_pos;
}

/* Consume n bytes of the span src_span() gave. */
static void src_take(warc_reader *r, size_t n)
{
    if (r->pb_pos < r->pb.len)
        r->pb_pos += n;
    else
        r->out_pos += n;
    r->pos += (long long)n;
}

static int src_peek(warc_reader *r)
{
    if (!src_more(r))
        return -1;
    if (r->pb_pos < r->pb.len)
        return (unsigned char)r->pb.data[r->pb_pos];
    return r->out[r->out_pos];
}

/* One byte, or -1. r->member_first: the byte is the first of a gzip member. */
static int src_get(warc_reader *r)
{
    r->member_first = 0;
    if (!src_more(r))
        return -1;
    r->pos++;
    if (r->pb_pos < r->pb.len)
        return (unsigned char)r->pb.data[r->pb_pos++];
    if (r->new_member && r->out_pos == 0) {
        r->member_first = 1;
        r->new_member = 0;
    }
    return r->out[r->out_pos++];
}

/* The byte k ahead of the next one, among the bytes already at hand (given back, then
 * decompressed), without producing more: the byte, -1 when the input has ended there,
 * -2 when it is not known yet. */
static int src_ahead(const warc_reader *r, long long k)
{
    long long npb = (long long)(r->pb.len - r->pb_pos);
    if (k < npb)
        return (unsigned char)r->pb.data[r->pb_pos + (size_t)k];
    k -= npb;
    if (k < (long long)(r->out_len - r->out_pos))
        return r->out[r->out_pos + (size_t)k];
    return r->state == WARC_SRC_EOF && !r->nomem ? -1 : -2;
}

/* Give n bytes back: they are read again before anything else (positions too). */
static sl_error src_unread(warc_reader *r, const void *p, size_t n)
{
    if (!n)
        return SL_OK;
    r->work += (long long)n;
    r->pos -= (long long)n;
    if (r->pb_pos >= n) {
        r->pb_pos -= n;
        memmove(r->pb.data + r->pb_pos, p, n);
        return SL_OK;
    }
    sli_buf_clear(&r->pb2);
    sl_error err = sli_buf_append(&r->pb2, p, n);
    if (!err)
        err = sli_buf_append(&r->pb2, r->pb.data ? r->pb.data + r->pb_pos : "",
                             r->pb.len - r->pb_pos);
    if (err)
        return err;
    buf t = r->pb;
    r->pb = r->pb2;
    r->pb2 = t;
    sli_buf_clear(&r->pb2);
    r->pb_pos = 0;
    return SL_OK;
}

/* After a break: go on at the next gzip member after the broken one (plain input, or an
 * unreadable file: the end). */
static void src_recover(warc_reader *r)
{
    if (r->state != WARC_SRC_BROKEN)
        return;
    r->out_pos = r->out_len = 0;
    r->new_member = 0;
    if (r->gz != 1 || r->resume_off < 0 || r->io_error) {
        r->state = WARC_SRC_EOF;
        return;
    }
    r->state = WARC_SRC_OK;
    r->member_open = 0;
    long long target = r->resume_off;
    long long cur = r->in_off + (long long)r->in_pos;
    if (target >= r->in_off && target <= r->in_off + (long long)r->in_len) {
        r->in_pos = (size_t)(target - r->in_off);
    } else if (target > cur || fseeko(r->f, (off_t)target, SEEK_SET) != 0) {
        /* Not seekable (or ahead): look from where the reading is. */
    } else {
        r->in_off = target;
        r->in_pos = r->in_len = 0;
        r->in_eof = 0;
    }
    for (;;) {
        size_t have = ensure_in(r, 4);
        if (have < 3) {
            r->in_pos = r->in_len;
            r->state = r->io_error ? WARC_SRC_EOF : WARC_SRC_EOF;
            return;
        }
        const unsigned char *p = r->in + r->in_pos;
        const unsigned char *q = memchr(p, 0x1f, have - 2);
        if (!q) {
            r->in_pos += have - 2;
            continue;
        }
        r->in_pos += (size_t)(q - p);
        if (is_gzip_magic(q, r->in_len - r->in_pos))
            return;
        r->in_pos++;
    }
}

/* ---------------------------------------------------------------------------------- */
/* Records                                                                             */
/* ---------------------------------------------------------------------------------- */

static sl_error problem(warc_reader *r, sl_error code, long long off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static sl_error problem(warc_reader *r, sl_error code, long long off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->msg_off = off;
    return code;
}

/* The source stopped (end, break or memory) where more was needed: the error to return.
 * `what` says what was cut short. Arranges the resynchronisation. */
static sl_error source_stopped(warc_reader *r, const char *what)
{
    if (r->nomem)
        return SL_ERR_NOMEM;
    r->resync = 1;
    r->in_record = 0;
    sl_error code = r->io_error ? SL_ERR_IO : SL_ERR_INVALID;
    if (r->state == WARC_SRC_BROKEN) {
        problem(r, code, r->rec_off, "%s: %s", what, r->src_msg);
        src_recover(r);
        return code;
    }
    return problem(r, code, r->rec_off, "%s at the end of the file", what);
}

/* Read one line (through '\n', which is not kept, nor a '\r' before it) into r->line.
 * 1: a line; 0: nothing left; -1: the input stopped mid-line; -2: the line is too long. */
static int read_line(warc_reader *r)
{
    sli_buf_clear(&r->line);
    int any = 0;
    for (;;) {
        if (!src_more(r))
            return any ? -1 : 0;
        const char *p;
        size_t n = src_span(r, &p, NULL);
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) + 1 : n;
        any = 1;
        if (r->line.len + take > WARC_LINE_MAX)
            return -2;
        if (sli_buf_append(&r->line, p, nl ? take - 1 : take) != SL_OK)
            return -2;
        src_take(r, take);
        if (nl) {
            if (r->line.len && r->line.data[r->line.len - 1] == '\r')
                r->line.data[--r->line.len] = '\0';
            return 1;
        }
    }
}

/* Look for the next "WARC/1." at the start of a line (or of a gzip member) and give it
 * back, so the header is read from there. */
static sl_error resync(warc_reader *r)
{
    int k = 0, ls = r->resync_ls;
    for (;;) {
        int c = src_get(r);
        if (c < 0) {
            if (r->nomem)
                return SL_ERR_NOMEM;
            if (r->state == WARC_SRC_BROKEN) {
                problem(r, r->io_error ? SL_ERR_IO : SL_ERR_INVALID, r->member_off, "%s",
                        r->src_msg);
                src_recover(r);
                r->resync_ls = 1;
                return r->io_error ? SL_ERR_IO : SL_ERR_INVALID;
            }
            r->resync = 0;
            return SL_OK; /* the end */
        }
        if (r->member_first) {
            ls = 1;
            k = 0;
        }
        if ((k > 0 || ls) && c == WARC_MAGIC[k]) {
            ls = 0;
            if (++k == WARC_MAGIC_LEN) {
                r->resync = 0;
                return src_unread(r, WARC_MAGIC, WARC_MAGIC_LEN);
            }
            continue;
        }
        k = 0;
        ls = c == '\n';
    }
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

static void copy_field(char *dst, size_t size, const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    if (n >= size)
        n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Content-Length: digits only, not absurd. */
static int parse_length(const char *s, const char *e, long long *out)
{
    if (s == e || e - s > 15)
        return 0;
    long long v = 0;
    for (; s < e; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 1;
}

static sl_error bad_header(warc_reader *r, const char *why)
{
    r->resync = 1;
    r->resync_ls = 1;
    return problem(r, SL_ERR_INVALID, r->rec_off, "bad WARC record header: %s", why);
}

sl_error sli_warc_next(warc_reader *r, int *got)
{
    *got = 0;
    if (r->in_record) { /* the caller did not close the last record: pass over its rest */
        sl_error err = sli_warc_end(r, NULL);
        if (err)
            return err;
    }
    if (r->resync) {
        sl_error err = resync(r);
        if (err)
            return err;
    }
    /* Blank lines between records. */
    for (;;) {
        int c = src_peek(r);
        if (c < 0) {
            if (r->nomem)
                return SL_ERR_NOMEM;
            if (r->state == WARC_SRC_BROKEN) {
                problem(r, r->io_error ? SL_ERR_IO : SL_ERR_INVALID, r->member_off, "%s",
                        r->src_msg);
                src_recover(r);
                r->resync = 1;
                r->resync_ls = 1;
                return r->msg[0] && r->io_error ? SL_ERR_IO : SL_ERR_INVALID;
            }
            return SL_OK; /* the end */
        }
        if (c != '\r' && c != '\n')
            break;
        src_get(r);
    }
    r->rec_pos = r->pos;
    r->rec_off = offset_of(r, r->pos);
    r->type[0] = r->date[0] = r->content_type[0] = '\0';
    sli_buf_clear(&r->uri);
    r->uri_too_long = 0;
    r->length = -1;
    r->next_k = r->next_seen = 0;

    int lr = read_line(r);
    if (lr < 0 && lr != -2)
        return source_stopped(r, "WARC record header cut short");
    if (lr == -2 || r->line.len < WARC_MAGIC_LEN || memcmp(r->line.data, WARC_MAGIC, WARC_MAGIC_LEN)) {
        r->resync = 1;
        r->resync_ls = lr != -2;
        return problem(r, SL_ERR_INVALID, r->rec_off,
                       "no WARC record here (a record starts with a line \"WARC/1.0\" or "
                       "\"WARC/1.1\"): skipped to the next record");
    }
    size_t total = r->line.len;
    for (;;) {
        lr = read_line(r);
        if (lr == 0 || lr == -1)
            return source_stopped(r, "WARC record header cut short");
        if (lr == -2)
            return bad_header(r, "a line is too long");
        total += r->line.len + 2;
        if (total > WARC_HEADER_MAX)
            return bad_header(r, "the header is too long");
        if (r->line.len == 0)
            break;
        const char *s = r->line.data, *e = s + r->line.len;
        if (*s == ' ' || *s == '\t')
            continue; /* a folded line: nothing we read is folded */
        const char *colon = memchr(s, ':', r->line.len);
        if (!colon)
            return bad_header(r, "a line without a colon");
        const char *ns = s, *ne = colon, *vs = colon + 1, *ve = e;
        trim(&ns, &ne);
        trim(&vs, &ve);
        size_t nl = (size_t)(ne - ns);
#define IS(name) (nl == sizeof(name) - 1 && !strncasecmp(ns, name, nl))
        if (IS("WARC-Type")) {
            copy_field(r->type, sizeof r->type, vs, ve);
            for (char *t = r->type; *t; t++)
                if (*t >= 'A' && *t <= 'Z')
                    *t = (char)(*t - 'A' + 'a');
        } else if (IS("Content-Length")) {
            if (!parse_length(vs, ve, &r->length))
                return bad_header(r, "Content-Length is not a number");
        } else if (IS("WARC-Target-URI")) {
            if (ve - vs >= 2 && *vs == '<' && ve[-1] == '>')
                vs++, ve--;
            sli_buf_clear(&r->uri);
            r->uri_too_long = 0;
            if (sli_buf_append(&r->uri, vs, (size_t)(ve - vs)) != SL_OK) {
                sli_buf_clear(&r->uri);
                r->uri_too_long = 1;
            }
        } else if (IS("WARC-Date")) {
            copy_field(r->date, sizeof r->date, vs, ve);
        } else if (IS("Content-Type")) {
            copy_field(r->content_type, sizeof r->content_type, vs, ve);
        }
#undef IS
    }
    if (r->length < 0)
        return bad_header(r, "no Content-Length");
    r->left = r->length;
    r->in_record = 1;
    *got = 1;
    return SL_OK;
}

/* A record is giving back its last n bytes read (its block, kept): how many of the first
 * ones not to give back because they were given back before (the record was found inside
 * a span given back by another record that lied, and lied again). Nothing before the
 * furthest give-back is given back twice, so nested lying records cost linear time. */
static size_t given_back_before(warc_reader *r, size_t n)
{
    long long end = r->pos, start = end - (long long)n;
    size_t skip = 0;
    if (start < r->gb_end)
        skip = r->gb_end - start >= (long long)n ? n : (size_t)(r->gb_end - start);
    if (end > r->gb_end)
        r->gb_end = end;
    return skip;
}

static sl_error lie(warc_reader *r)
{
    return problem(r, SL_ERR_INVALID, r->rec_off,
                   "WARC record's block does not end where its Content-Length (%lld) says "
                   "(a lying Content-Length?): skipped to the next record",
                   r->length);
}

/* What sli_warc_end would say of the record just begun, from the bytes at hand alone:
 * 0 not known (or fine), 1 its block does not end where Content-Length says, 2 the input
 * ends inside its block. Mirrors sli_warc_end. */
static int block_verdict(const warc_reader *r)
{
    long long k = r->left;
    int c = src_ahead(r, k - 1 < 0 ? 0 : k - 1);
    if (k > 0 && c == -2)
        return 0;
    if (k > 0 && c == -1)
        return 2;
    unsigned char t[4];
    size_t nb = 0;
    while ((c = src_ahead(r, k)) == '\r' || c == '\n') {
        if (nb < 4)
            t[nb] = (unsigned char)c;
        nb++;
        k++;
        if (nb > WARC_TRAILER_KEEP)
            return 0;
    }
    if (nb >= 4 && !memcmp(t, "\r\n\r\n", 4))
        return 0;
    for (int nm = 0; nm < WARC_MAGIC_LEN; nm++, k++) {
        c = src_ahead(r, k);
        if (c == -2)
            return 0;
        if (c == -1)
            return nm > 0 ? 1 : 0;
        if (c != WARC_MAGIC[nm])
            return 1;
    }
    return 0;
}

/* The next record's start as seen from inside a block: a blank line ("\r\n\r\n") or the
 * start of a gzip member, then "WARC/1.". */
static const char NEXT_PAT[] = "\r\n\r\nWARC/1.";
#define NEXT_PAT_LEN 11
#define NEXT_PAT_MAGIC 4 /* where "WARC/1." begins in it */

/* One more byte c of a block for the search of NEXT_PAT: the new state (bytes matched). */
static int next_step(int k, int c)
{
    if (c == NEXT_PAT[k])
        return k + 1;
    if (c != '\r')
        return 0;
    return k == 4 ? 3 : 1; /* "\r\n\r\n" + '\r' ends with "\r\n\r" */
}

/* A record was found starting inside the block: close this one as a lie. */
static sl_error next_inside(warc_reader *r)
{
    r->next_seen = 0;
    r->next_k = 0;
    r->in_record = 0;
    r->resync = 0;
    return problem(r, SL_ERR_INVALID, r->rec_off,
                   "WARC record's block does not end where its Content-Length (%lld) says: "
                   "a record starts inside it at offset %lld (a lying Content-Length?): "
                   "skipped to there",
                   r->length, offset_of(r, r->pos));
}

sl_error sli_warc_read(warc_reader *r, buf *out, long long n)
{
    if (!r->in_record)
        return SL_ERR_STATE;
    if (r->next_seen)
        return next_inside(r);
    if (n > r->left)
        n = r->left;
    int from_start = r->left == r->length;
    size_t start = out->len;
    if (from_start && n == r->left) {
        /* When the whole block and what follows it are already at hand (given back by a
         * record that lied), tell a lie before copying the block: a record inside a
         * given-back span that lies again then costs its header, not its block, and
         * nested lying records stay linear. */
        int v = block_verdict(r);
        if (v == 2) {
            char what[160];
            snprintf(what, sizeof what,
                     "WARC record cut short (Content-Length %lld, %lld bytes of its block read)",
                     r->length, 0LL);
            sl_error err = source_stopped(r, what);
            r->resync_ls = 1;
            return err;
        }
        if (v == 1) {
            r->in_record = 0;
            r->resync = 1;
            r->resync_ls = 1;
            return lie(r);
        }
    }
    while (n > 0) {
        if (!src_more(r)) {
            /* Give back what was read: the record may have swallowed the next ones. */
            long long had = r->length - r->left;
            size_t skip = 0;
            if (from_start) {
                skip = given_back_before(r, out->len - start);
                sl_error e = src_unread(r, out->data + start + skip, out->len - start - skip);
                if (e)
                    return e;
                out->len = start;
                if (out->data)
                    out->data[start] = '\0';
            }
            char what[160];
            snprintf(what, sizeof what,
                     "WARC record cut short (Content-Length %lld, %lld bytes of its block read)",
                     r->length, had);
            sl_error err = source_stopped(r, what);
            r->resync_ls = from_start && !skip;
            return err;
        }
        const char *p;
        size_t avail = src_span(r, &p, NULL);
        size_t take = (long long)avail < n ? avail : (size_t)n;
        sl_error err = sli_buf_append(out, p, take);
        if (err)
            return err;
        src_take(r, take);
        r->left -= (long long)take;
        n -= (long long)take;
    }
    if (r->left > 0) {
        /* Only part of the block read (its head): the rest will be passed over, so look
         * in the part read for the next record's start, as sli_warc_skip does. */
        int k = r->next_k;
        for (size_t i = start; i < out->len; i++) {
            k = next_step(k, (unsigned char)out->data[i]);
            if (k == NEXT_PAT_LEN) {
                size_t w = i + 1 - WARC_MAGIC_LEN, back = out->len - w;
                sl_error err = src_unread(r, out->data + w, back);
                if (err)
                    return err;
                r->left += (long long)back;
                out->len = w;
                out->data[w] = '\0';
                r->next_seen = 1;
                k = 0;
                break;
            }
        }
        r->next_k = k;
    }
    return SL_OK;
}

/* Pass over the rest of the block. A block passed over is not kept, so a lying
 * Content-Length cannot be told at the end by giving the block back: the next record's
 * start seen inside it (a blank line or a gzip member, then "WARC/1.") ends the record
 * there, reported as a lie, and reading goes on with that record, so that a lying length
 * loses only its own record (not the rest of the file). */
sl_error sli_warc_skip(warc_reader *r)
{
    if (!r->in_record)
        return SL_ERR_STATE;
    if (r->next_seen)
        return next_inside(r);
    int k = r->next_k;
    r->next_k = 0;
    while (r->left > 0) {
        if (!src_more(r)) {
            char what[160];
            snprintf(what, sizeof what,
                     "WARC record cut short (Content-Length %lld, %lld bytes of its block read)",
                     r->length, r->length - r->left);
            sl_error err = source_stopped(r, what);
            r->resync_ls = 0;
            return err;
        }
        const char *span;
        int member;
        size_t avail = src_span(r, &span, &member);
        const unsigned char *p = (const unsigned char *)span;
        if (member && r->gz == 1)
            k = NEXT_PAT_MAGIC; /* a member starts: a record may start */
        size_t take = (long long)avail < r->left ? avail : (size_t)r->left;
        size_t i = 0;
        for (; i < take && k < NEXT_PAT_LEN; i++) {
            if (k == 0) { /* fast path: to the next '\r' */
                const unsigned char *q = memchr(p + i, '\r', take - i);
                if (!q) {
                    i = take;
                    break;
                }
                i = (size_t)(q - p);
            }
            k = next_step(k, p[i]);
        }
        src_take(r, i);
        r->left -= (long long)i;
        if (k == NEXT_PAT_LEN) {
            sl_error err = src_unread(r, WARC_MAGIC, WARC_MAGIC_LEN);
            if (err)
                return err;
            return next_inside(r);
        }
    }
    return SL_OK;
}

sl_error sli_warc_end(warc_reader *r, buf *kept)
{
    sl_error err = SL_OK;
    if (!r->in_record) {
        if (kept)
            sli_buf_clear(kept);
        return SL_ERR_STATE;
    }
    if (r->left > 0) {
        err = sli_warc_skip(r);
        if (err) {
            if (kept)
                sli_buf_clear(kept);
            return err;
        }
    }
    r->in_record = 0;
    unsigned char t[WARC_TRAILER_KEEP + WARC_MAGIC_LEN];
    size_t nt = 0;
    int c;
    while ((c = src_peek(r)) == '\r' || c == '\n') {
        src_get(r);
        if (nt < WARC_TRAILER_KEEP)
            t[nt++] = (unsigned char)c;
    }
    size_t nb = nt, nm = 0;
    int ok = 1;
    while (nm < WARC_MAGIC_LEN) {
        c = src_get(r);
        if (c < 0)
            break;
        t[nt++] = (unsigned char)c;
        if (c != WARC_MAGIC[nm++]) {
            ok = 0;
            break;
        }
    }
    if (r->nomem) {
        if (kept)
            sli_buf_clear(kept);
        return SL_ERR_NOMEM;
    }
    if (c < 0 && nm > 0)
        ok = 0; /* "WAR" and the end */
    /* The block ended with its record's own "\r\n\r\n": the record is whole, whatever
     * follows (that is the next record's problem). */
    if (nb >= 4 && !memcmp(t, "\r\n\r\n", 4))
        ok = 1;
    if (c < 0 && nm == 0 && r->state == WARC_SRC_BROKEN)
        ok = 1; /* the block ended well; the break is the next record's problem */
    if (ok)
        return src_unread(r, t + nb, nt - nb);
    /* The block did not end where Content-Length said: give back the block (when kept)
     * and what followed it, and look for the next record there. */
    if (kept && (long long)kept->len == r->length) {
        size_t skip = given_back_before(r, kept->len + nt);
        if (skip > kept->len)
            skip = kept->len;
        err = src_unread(r, t, nt);
        if (!err)
            err = src_unread(r, kept->data ? kept->data + skip : "", kept->len - skip);
        r->resync_ls = !skip;
    } else {
        err = src_unread(r, t, nt);
        r->resync_ls = 0;
    }
    if (kept)
        sli_buf_clear(kept);
    if (err)
        return err;
    r->resync = 1;
    return lie(r);
}
