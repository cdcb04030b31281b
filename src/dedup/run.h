/* run.h — a batch's matching run, shared by the files of the dedup stage (internal).
 *
 * note.c fills it as the cleaner hands over articles (prepare on any thread, note on the
 * store's); dedup.c matches what was noted. */
#ifndef SL_DEDUP_RUN_H
#define SL_DEDUP_RUN_H

#include "../core/u64map.h"
#include "../sketch/sketch.h"
#include "dedup.h"
#include "key_index.h"
#include "shingle_set.h"

#define BANDS DEDUP_BANDS
#define ROWS (SKETCH_K / BANDS)
#define PARA_MIN_WORDS 10
#define MAX_PARAS DEDUP_MAX_PARAS
#define MAX_CANDIDATES 100   /* verified per article */
#define MAX_PER_KEY 64       /* articles taken from one key */
/* Paragraph keys share the in-memory index with band keys. */
#define PARA_SALT 0x5bd1e9955bd1e995ull

/* What matching needs of one noted article. */
typedef struct prep {
    long long rid;
    uint64_t bands[BANDS];
    uint32_t shingles;
    uint32_t para_at, nparas; /* into dedup_run.paras */
    char date[32];            /* "" when undated */
} prep;

/* What the cleaning threads prepare for one article of a chunk. */
typedef struct slot_work {
    prep p;
    sketch sk;
    uint64_t paras[MAX_PARAS];
} slot_work;

struct dedup_run {
    sl_store *st;
    store_dedup d;
    store_stmt *put_sketch;
    buf text, norm;
    buf *thread_norm; /* one a preparing thread */
    unsigned threads, nslots;
    slot_work *slots;
    prep *preps;
    size_t n, cap;
    uint64_t *paras;
    size_t nparas, paras_cap;

    /* matching */
    key_index *ix;          /* keys of the batch's articles matched so far */
    int stored;             /* the store has keys of earlier batches */
    const store_key_filter *keys; /* the handle's, over the stored keys; NULL: search each */
    u64map seen;            /* the candidates' rids (a set) */
    sl_error seen_err;      /* out of memory adding to seen (in a callback) */
    long long cand[MAX_CANDIDATES];
    size_t ncand;
    long long self;
    /* The stored candidates of a block of articles' keys, read ahead in key order
     * (dedup.c, "Read ahead"): (paragraphs, stored key) -> where in ahead_rids << 8 | how
     * many; on while a block is being matched. */
    u64map ahead;
    long long *ahead_rids;
    size_t n_ahead, ahead_cap;
    int ahead_on;
    verified ok[MAX_CANDIDATES];
    shingle_set mine, theirs, root_a, root_b;
};

#endif
