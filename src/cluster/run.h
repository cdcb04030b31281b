/* run.h — a batch's clustering run, shared by run.c (noting, placing, saving) and
 * reopen.c (events placed again) (internal). */
#ifndef SL_CLUSTER_RUN_H
#define SL_CLUSTER_RUN_H

#include "cluster.h"
#include "event_blob.h"
#include "tally.h"

typedef struct cdoc {
    long long rid;
    long long was;        /* the event it was in, when placed again (0: new) */
    int counted;          /* counted in the document frequencies already */
    int day;
    uint32_t at;          /* into cluster_run.terms */
    uint16_t n[VIEWS];
} cdoc;

typedef struct slot_work {
    features f;
    int day;
} slot_work;

typedef struct key_event {
    uint64_t term;
    long long event;
} key_event;

struct cluster_run {
    sl_store *st;
    store_events es;
    cluster_params p;
    unsigned threads, nslots;
    features_ctx **ctx;
    slot_work *slots;
    cdoc *docs;
    size_t n, cap;
    cterm *terms;
    size_t nterms, terms_cap;

    /* placing */
    engine *e;
    int stored;          /* the store had events before this run */
    u64map posted;       /* term -> its stored postings in posted_ids (stored_postings) */
    u64map dropped;      /* stale keys forgotten this run (load_event), by drop_slot */
    long long *posted_ids;
    size_t nposted, posted_cap;
    struct found *found; /* load_found's scratch */
    size_t found_cap;
    long long *found_ids;
    size_t found_ids_cap;
    tally tally;
    u64map family;       /* rid -> the rid that founded its family */
    u64map family_event; /* founding rid -> event, for this run */
    key_event *keys;
    size_t nkeys, keys_cap;

    /* reopening */
    u64map own;          /* rids of the batch's own articles */
    u64map reopened;     /* events placed again from their articles this run */
};

/* Keep an article's features for placing: `was` the event it was in when placed again
 * (0: new to the stage). */
sl_error sli_run_note_doc(cluster_run *r, long long rid, long long was, int day,
                      const features *f);
/* The features sli_run_note_doc kept of d, into f. */
void sli_run_doc_features(const cluster_run *r, const cdoc *d, features *f);
/* Document frequencies of the terms of docs[from..n), counted, saved and given to the
 * engine. */
sl_error sli_run_update_df(cluster_run *r, size_t from);
/* Note that rid's family was founded by `family` (a callback: user is the run). */
sl_error sli_run_take_family(void *user, long long rid, long long family);
/* The event this article's family is in already (0 if none). */
sl_error sli_run_family_event(cluster_run *r, long long rid, long long *event);
/* Bring into the engine the stored events found by `need` of terms[0..n). */
sl_error sli_run_load_found(cluster_run *r, const uint64_t *terms, size_t n, int need);

/* reopen.c: before the engine exists, take back the articles of the events the batch
 * updates and of the open events; */
sl_error sli_run_reopen(cluster_run *r);
/* once the engine has the batch's frequencies, those of stored events a batch article
 * links to doubtfully; */
sl_error sli_run_reopen_near(cluster_run *r);
/* after placing, note the events that stay open for the next batch. */
sl_error sli_run_keep_open(cluster_run *r);

#endif
