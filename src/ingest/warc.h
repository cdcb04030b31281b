/* warc.h — a streaming reader of WARC records (internal), over zlib.
 *
 * Reads a .warc file, or a .warc.gz one whether it holds one gzip member per record (as
 * crawlers write them) or one member for the whole file (gzip is found by its magic bytes,
 * not by the file's name). Memory does not grow with the file: a few fixed buffers, plus
 * whatever block the caller chooses to keep.
 *
 * The caller asks for the next record's header (sli_warc_next), then either reads its block
 * into memory (sli_warc_read) or passes over it (sli_warc_skip), then closes the record
 * (sli_warc_end), which checks that the block ended where its Content-Length said.
 *
 * A problem (a header that is not a WARC header, a lying Content-Length, a record cut short,
 * a broken gzip member) comes back as an error with a message (r->msg) and an offset
 * (r->msg_off); the reader has then already arranged to resynchronise: the next call to
 * sli_warc_next looks for the next line that starts "WARC/1." (and, in a .warc.gz, goes on
 * at the next gzip member when the current one is broken).
 *
 * Offsets are byte offsets in the file. In a .warc.gz they are those of the compressed
 * data: exact for a record that begins a gzip member (one member per record, as CDX
 * indexes use), otherwise the offset of the compressed data being read when the record
 * began (within WARC_SRC_OUT bytes of decompressed data). */
#ifndef SL_INGEST_WARC_H
#define SL_INGEST_WARC_H

#include <stdio.h>

#include <zlib.h>

#include "../core/buf.h"

#define WARC_SRC_IN 65536       /* compressed bytes read at a time */
#define WARC_SRC_OUT 16384      /* decompressed bytes produced at a time */
#define WARC_HEADER_MAX 65536   /* the most bytes a record header may have */
#define WARC_URI_MAX 8192       /* the longest WARC-Target-URI kept */
#define WARC_CHECKPOINTS 512    /* decompressed -> compressed offset map (gzip) */

typedef struct warc_checkpoint {
    long long pos; /* decompressed position */
    long long off; /* compressed offset */
    int member;    /* pos is the first byte of a gzip member that starts at off */
} warc_checkpoint;

typedef enum warc_state { WARC_SRC_OK, WARC_SRC_EOF, WARC_SRC_BROKEN } warc_state;

typedef struct warc_reader {
    /* --- the byte source --- */
    FILE *f;
    int gz;                 /* -1 until the first bytes are seen, then 0 or 1 */
    z_stream z;
    int z_init;
    int member_open;        /* inside a gzip member */
    int member_fresh;       /* no output yet from the current member */
    long long member_off;   /* file offset of the current (or last) member */
    long long resume_off;   /* where to look for the next member after a break */
    unsigned char in[WARC_SRC_IN];
    size_t in_pos, in_len;
    long long in_off;       /* file offset of in[0] */
    int in_eof;
    unsigned char out[WARC_SRC_OUT];
    size_t out_pos, out_len;
    buf pb;                 /* bytes given back (a block that was not a record), read first */
    buf pb2;                /* scratch for giving back */
    size_t pb_pos;
    long long pos;          /* decompressed position of the next byte */
    warc_state state;
    int io_error;           /* the file could not be read */
    int nomem;              /* zlib ran out of memory */
    int member_first;       /* the byte src_get returned last began a gzip member */
    char src_msg[200];      /* why the source broke */
    int new_member;         /* a member began since the last byte read (a line start) */
    warc_checkpoint cp[WARC_CHECKPOINTS];
    unsigned cp_n, cp_head;
    long long broken_far;   /* furthest compressed offset inflated by a member that broke */
    long long gb_end;       /* decompressed position just past the furthest give-back */
    long long work;         /* bytes produced by the source plus bytes given back: a test
                             * hook, to bound the work on hostile input */

    /* --- the record --- */
    int resync;             /* look for the next "WARC/1." before the next header */
    int resync_ls;          /* ... and the next byte starts a line */
    int in_record;          /* a header was read and the record is not closed */
    int next_k;             /* bytes of "\r\n\r\nWARC/1." matched at the end of the block read */
    int next_seen;          /* a record starts inside the block (given back, not read yet) */
    long long rec_pos;      /* decompressed position of the record's first byte */
    long long rec_off;      /* its file offset (see above) */
    long long length;       /* Content-Length */
    long long left;         /* bytes of the block not read yet */
    char type[32];          /* WARC-Type, lower-cased, "" when absent */
    char date[64];          /* WARC-Date as given, "" when absent */
    char content_type[128]; /* the record's Content-Type, "" when absent */
    buf uri;                /* WARC-Target-URI without <>, "" when absent */
    int uri_too_long;
    buf line;               /* scratch: one header line */

    /* --- the last problem --- */
    char msg[320];
    long long msg_off;
} warc_reader;

void sli_warc_init(warc_reader *r, FILE *f);
void sli_warc_free(warc_reader *r);

/* The next record's header. SL_OK with *got = 1: r->type, length, uri, date, rec_off are
 * set; *got = 0: the end of the input. SL_ERR_INVALID (bad header, broken gzip),
 * SL_ERR_IO (read error): r->msg and r->msg_off say what and where; call again to go on.
 * SL_ERR_NOMEM. */
sl_error sli_warc_next(warc_reader *r, int *got);

/* Read up to `n` more bytes of the block, appending them to out. Returns SL_OK when they
 * were all read; SL_ERR_INVALID when the input ended (or its gzip broke) first (r->msg);
 * SL_ERR_TOO_BIG when out is full; SL_ERR_NOMEM. */
sl_error sli_warc_read(warc_reader *r, buf *out, long long n);

/* Pass over the rest of the block. SL_ERR_INVALID when the input ends first, or when the
 * next record's start shows inside the block (a blank line or, in a .warc.gz, a gzip
 * member, then "WARC/1."; also looked for in a head read by sli_warc_read): the record is
 * closed as a lie (r->msg says where the next one starts) and the next call to
 * sli_warc_next reads that record. */
sl_error sli_warc_skip(warc_reader *r);

/* Close the record: the block must be followed by its blank lines and then the next
 * record or the end. SL_OK, or SL_ERR_INVALID (r->msg) when the Content-Length lied:
 * then `kept` (the record's block read into memory, or NULL) is given back to the reader,
 * which looks for the next record inside it, and kept is left empty. On SL_OK kept is
 * left as it was. */
sl_error sli_warc_end(warc_reader *r, buf *kept);

/* File bytes consumed so far (for progress). */
long long sli_warc_consumed(const warc_reader *r);

#endif
