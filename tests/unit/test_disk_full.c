/* test_disk_full.c — a disk that fills during a batch. A VFS registered as the default
 * wraps SQLite's own and, once armed with a budget of N bytes, lets writes through until
 * N bytes were written (the write that crosses it is written in part, as a full file
 * system does) and fails every later write and truncate with SQLITE_FULL. Each scenario
 * runs its batch once unarmed to learn where it writes (the journal or the WAL, the store
 * file, at which byte), then again with N swept over that trace: at the start, in the
 * middle, at the first and last write of each file, at the checkpoint's writes to the
 * store file. Every run must end either with an error that says the disk is full and,
 * once the fault is gone, a store that opens, passes PRAGMA integrity_check and holds
 * exactly what it held before the batch; or (the fault came after the commit: a
 * checkpoint, the switch back to the WAL) with no error and exactly what the unarmed run
 * left. Nothing in between. A batch committed in slices (sl_ingest_options.slice_articles,
 * as `storyline add` does by default) must hold exactly what its first k slices leave,
 * k the slices it says it kept (sl_batch_peek). Each point runs twice: the disk kept full
 * until the store is closed (the rollback fails too: the next open rolls back), and space
 * freed at the error (the rollback runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <cmocka.h>

#include "corpus.h"
#include "scratch.h"
#include "store/store_impl.h" /* the connection: cache size, autocheckpoint, integrity */
#include "storyline.h"

/* ---------------------------------------------------------------------------------- */
/* The wrapping VFS                                                                   */
/* ---------------------------------------------------------------------------------- */

enum { K_DB, K_JOURNAL, K_WAL, K_OTHER, K_KINDS };
static const char *const KIND_NAME[K_KINDS] = {"store", "journal", "wal", "other"};

typedef struct trace_write {
    int kind;
    long long before; /* bytes written (all files) before this write */
    long long len;
} trace_write;

#define TRACE_MAX 200000
static struct {
    sqlite3_vfs *real;
    int armed;           /* 0: count only */
    long long budget;    /* bytes the disk still takes when armed */
    long long written;   /* bytes written since the last reset */
    long long faults;    /* writes and truncates refused */
    trace_write *trace;  /* the writes since the last reset (not when armed) */
    size_t ntrace;
} fs;

typedef struct wfile {
    sqlite3_file base;
    int kind;
    sqlite3_file *real; /* follows this struct in the same allocation */
} wfile;

static sqlite3_file *R(sqlite3_file *f)
{
    return ((wfile *)f)->real;
}

static int w_close(sqlite3_file *f)
{
    sqlite3_file *r = R(f);
    return r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int w_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
    return R(f)->pMethods->xRead(R(f), out, n, off);
}

static int w_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
    if (!fs.armed && fs.trace && fs.ntrace < TRACE_MAX)
        fs.trace[fs.ntrace++] = (trace_write){((wfile *)f)->kind, fs.written, n};
    if (fs.armed && fs.budget < n) {
        /* The part that fits is written: a full disk tears the write. */
        int part = fs.budget > 0 ? (int)fs.budget : 0;
        if (part)
            R(f)->pMethods->xWrite(R(f), data, part, off);
        fs.budget = 0;
        fs.written += part;
        fs.faults++;
        return SQLITE_FULL;
    }
    int rc = R(f)->pMethods->xWrite(R(f), data, n, off);
    if (rc == SQLITE_OK) {
        fs.written += n;
        if (fs.armed)
            fs.budget -= n;
    }
    return rc;
}

static int w_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (fs.armed && fs.budget <= 0) {
        fs.faults++;
        return SQLITE_FULL;
    }
    return R(f)->pMethods->xTruncate(R(f), size);
}

static int w_sync(sqlite3_file *f, int flags)
{
    return R(f)->pMethods->xSync(R(f), flags);
}

static int w_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return R(f)->pMethods->xFileSize(R(f), size);
}

static int w_lock(sqlite3_file *f, int l)
{
    return R(f)->pMethods->xLock(R(f), l);
}

static int w_unlock(sqlite3_file *f, int l)
{
    return R(f)->pMethods->xUnlock(R(f), l);
}

static int w_reserved(sqlite3_file *f, int *out)
{
    return R(f)->pMethods->xCheckReservedLock(R(f), out);
}

static int w_fcntl(sqlite3_file *f, int op, void *arg)
{
    return R(f)->pMethods->xFileControl(R(f), op, arg);
}

static int w_sector(sqlite3_file *f)
{
    return R(f)->pMethods->xSectorSize(R(f));
}

static int w_device(sqlite3_file *f)
{
    return R(f)->pMethods->xDeviceCharacteristics(R(f));
}

static int w_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **out)
{
    return R(f)->pMethods->xShmMap(R(f), pg, pgsz, extend, out);
}

static int w_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return R(f)->pMethods->xShmLock(R(f), off, n, flags);
}

static void w_shm_barrier(sqlite3_file *f)
{
    R(f)->pMethods->xShmBarrier(R(f));
}

static int w_shm_unmap(sqlite3_file *f, int del)
{
    return R(f)->pMethods->xShmUnmap(R(f), del);
}

static int w_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    return R(f)->pMethods->xFetch(R(f), off, n, out);
}

static int w_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return R(f)->pMethods->xUnfetch(R(f), off, p);
}

static const sqlite3_io_methods W_METHODS = {
    3,         w_close,    w_read,      w_write,         w_truncate, w_sync,
    w_size,    w_lock,     w_unlock,    w_reserved,      w_fcntl,    w_sector,
    w_device,  w_shm_map,  w_shm_lock,  w_shm_barrier,   w_shm_unmap, w_fetch,
    w_unfetch,
};

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    wfile *w = (wfile *)f;
    w->real = (sqlite3_file *)(w + 1);
    w->kind = flags & SQLITE_OPEN_MAIN_DB        ? K_DB
              : flags & SQLITE_OPEN_MAIN_JOURNAL ? K_JOURNAL
              : flags & SQLITE_OPEN_WAL          ? K_WAL
                                                 : K_OTHER;
    int rc = fs.real->xOpen(fs.real, name, w->real, flags, out);
    /* The real file's methods are version 3 (the unix VFS); a file that failed to open
     * has none, and then neither has ours (SQLite calls no xClose on it). */
    f->pMethods = w->real->pMethods ? &W_METHODS : NULL;
    return rc;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return fs.real->xDelete(fs.real, name, sync);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return fs.real->xAccess(fs.real, name, flags, out);
}

static int v_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return fs.real->xFullPathname(fs.real, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return fs.real->xDlOpen(fs.real, name);
}

static void v_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    fs.real->xDlError(fs.real, n, out);
}

static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return fs.real->xDlSym(fs.real, h, sym);
}

static void v_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    fs.real->xDlClose(fs.real, h);
}

static int v_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return fs.real->xRandomness(fs.real, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return fs.real->xSleep(fs.real, us);
}

static int v_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return fs.real->xCurrentTime(fs.real, out);
}

static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return fs.real->xGetLastError(fs.real, n, out);
}

static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return fs.real->xCurrentTimeInt64(fs.real, out);
}

static sqlite3_vfs wrap_vfs;

static void vfs_install(void)
{
    if (fs.real)
        return;
    fs.real = sqlite3_vfs_find(NULL);
    assert_non_null(fs.real);
    assert_true(fs.real->iVersion >= 2);
    wrap_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(wfile) + fs.real->szOsFile,
        .mxPathname = fs.real->mxPathname,
        .zName = "sl_disk_full",
        .xOpen = v_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full,
        .xDlOpen = v_dlopen,
        .xDlError = v_dlerror,
        .xDlSym = v_dlsym,
        .xDlClose = v_dlclose,
        .xRandomness = v_random,
        .xSleep = v_sleep,
        .xCurrentTime = v_time,
        .xGetLastError = v_lasterr,
        .xCurrentTimeInt64 = v_time64,
    };
    assert_int_equal(sqlite3_vfs_register(&wrap_vfs, 1), SQLITE_OK);
    fs.trace = malloc(TRACE_MAX * sizeof *fs.trace);
    assert_non_null(fs.trace);
}

static void vfs_count(void)
{
    fs.armed = 0;
    fs.written = 0;
    fs.ntrace = 0;
    fs.faults = 0;
}

static void vfs_arm(long long budget)
{
    vfs_count();
    fs.armed = 1;
    fs.budget = budget;
}

/* ---------------------------------------------------------------------------------- */
/* Batches and what a store holds                                                     */
/* ---------------------------------------------------------------------------------- */

/* What a store holds, compared before and after. */
typedef struct holding {
    long long articles, events, with_facts, quotes, entities, families, batches;
    uint64_t ids;    /* hash of the article ids in order */
    uint64_t export; /* hash of the exported articles (text, facts) and events as JSON */
    char integrity[64];
} holding;

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static int hash_out(void *user, const char *data, size_t len)
{
    uint64_t *h = user;
    *h = fnv(*h, data, len);
    return 0;
}

static int each_id(void *user, const sl_article *a)
{
    holding *h = user;
    h->ids = fnv(h->ids, a->id, strlen(a->id) + 1);
    return 0;
}

static int each_event(void *user, const sl_event *e)
{
    (void)e;
    ((holding *)user)->events++;
    return 0;
}

static int integrity(void *user, int n, char **v, char **names)
{
    (void)names;
    char *out = user;
    if (n > 0 && v[0] && !out[0])
        snprintf(out, 64, "%s", v[0]);
    return 0;
}

/* Open the store (a writer's open: it rolls back a hot journal), check and describe it. */
static holding hold(const char *db)
{
    holding h = {0};
    h.ids = h.export = 14695981039346656037ull;
    sl_store *st = NULL;
    char why[SL_ERRMSG_SIZE];
    sl_error err = sl_store_open_msg(db, 0, &st, why, sizeof why);
    if (err)
        fail_msg("%s: does not open after the fault: %s", db, why);
    assert_int_equal(sqlite3_exec(st->db, "PRAGMA integrity_check", integrity, h.integrity,
                                  NULL),
                     SQLITE_OK);
    sl_stats s;
    assert_int_equal(sl_store_stats(st, &s), SL_OK);
    h.articles = s.articles;
    h.with_facts = s.with_facts;
    h.quotes = s.quotes;
    h.entities = s.entities;
    h.families = s.families;
    h.batches = s.batches;
    assert_int_equal(sl_store_each_article(st, 0, each_id, &h), SL_OK);
    assert_int_equal(sl_store_each_event(st, each_event, &h), SL_OK);
    assert_int_equal(sl_write_articles(st, SL_FORMAT_JSON, SL_WITH_TEXT | SL_WITH_FACTS,
                                       hash_out, &h.export),
                     SL_OK);
    assert_int_equal(sl_write_events(st, hash_out, &h.export), SL_OK);
    sl_store_free(st);
    return h;
}

static int same(const holding *a, const holding *b)
{
    return a->articles == b->articles && a->events == b->events &&
           a->with_facts == b->with_facts && a->quotes == b->quotes &&
           a->entities == b->entities && a->families == b->families &&
           a->batches == b->batches && a->ids == b->ids && a->export == b->export &&
           !strcmp(a->integrity, b->integrity);
}

static void describe(const char *label, const holding *h)
{
    print_message("  %s: %lld articles, %lld events, %lld with facts, %lld quotes, %lld "
                  "entities, %lld families, %lld batches, ids %016llx, export %016llx, %s\n",
                  label, h->articles, h->events, h->with_facts, h->quotes, h->entities,
                  h->families, h->batches, (unsigned long long)h->ids,
                  (unsigned long long)h->export, h->integrity);
}

/* The generated articles: stories of four articles (so events gather several), dated
 * ten a day, each paragraph in two closing on a quote or amounts (facts). */
static corpus *gen;

/* Whether space comes back as soon as a call fails, before the batch is freed (rolled
 * back): the rollback then runs on a disk that takes writes again. Otherwise the fault
 * stays until the store is closed. */
static int freed_on_error;

/* Articles [from, to) as one batch, committed in slices of `slice` articles when
 * slice > 0. A copy of article `copy_of` under another id and source is added too when
 * copy_of >= 0 (a family for dedup). With stop > 0, the batch is freed (its open slice
 * rolled back) after `stop` articles instead of committed. *slices (may be NULL): the
 * slices committed. Returns the first error. */
static sl_error batch(sl_store *st, long long from, long long to, long long copy_of,
                      long long slice, long long stop, long long *slices)
{
    sl_ingest_options opt = {.slice_articles = slice};
    sl_batch *b = NULL;
    sl_error err = sl_batch_begin(st, &opt, &b);
    long long added = 0;
    for (long long k = from; !err && k < to && (stop <= 0 || added < stop); k++) {
        corpus_article a;
        assert_int_equal(corpus_article_n(gen, (uint64_t)k, &a), 0);
        sl_article_input in = {.id = a.id, .source = a.source, .date = a.date,
                               .title = a.title, .text = a.text, .text_len = a.text_len};
        err = sl_batch_add_article(b, &in);
        added++;
        if (!err && k == copy_of && (stop <= 0 || added < stop)) {
            char id[64], source[64];
            snprintf(id, sizeof id, "%s-copy", a.id);
            snprintf(source, sizeof source, "%s-copies", a.source);
            in.id = id;
            in.source = source;
            err = sl_batch_add_article(b, &in);
            added++;
        }
    }
    sl_batch_summary sum = {0};
    if (!err && stop <= 0)
        err = sl_batch_commit(b, &sum);
    if (err || stop > 0)
        sl_batch_peek(b, &sum);
    if (slices)
        *slices = sum.slices;
    if (err && freed_on_error)
        fs.armed = 0;
    sl_batch_free(b);
    return err;
}

/* ---------------------------------------------------------------------------------- */
/* Scenarios                                                                          */
/* ---------------------------------------------------------------------------------- */

typedef struct scenario {
    const char *name;
    int first_load;      /* the batch under test is the first (journal mode TRUNCATE) */
    int small_cache;     /* a page cache of 8 pages: pages spill while the batch runs */
    int checkpoint;      /* wal_autocheckpoint=1: the commit checkpoints into the store */
    long long slice;     /* > 0: the batch commits in slices of this many articles */
} scenario;

#define PRE_ARTICLES 40  /* before a later batch */
#define TEST_ARTICLES 24 /* the batch under test (and a copy of one: 25 added) */
#define MAX_SLICES 8

static void remove_store(const char *db)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
        char name[160];
        snprintf(name, sizeof name, "%s%s", db, side[i]);
        remove(name);
    }
}

/* A store in `tmpl` holding what the scenario starts from (closed: one file). */
static void build(const scenario *sc, const char *tmpl)
{
    remove_store(tmpl);
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(tmpl, SL_OPEN_CREATE, &st), SL_OK);
    if (!sc->first_load)
        assert_int_equal(batch(st, 0, PRE_ARTICLES, 3, 0, 0, NULL), SL_OK);
    sl_store_free(st);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", tmpl);
    assert_int_equal(access(wal, F_OK), -1); /* checkpointed at the close */
}

/* A fresh copy of the template in `db` (the unarmed file system: not counted). */
static void copy_store(const char *tmpl, const char *db)
{
    remove_store(db);
    FILE *in = fopen(tmpl, "rb"), *out = fopen(db, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        assert_int_equal(fwrite(chunk, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The batch under test on the store in `db` (stop > 0: only its first `stop` articles,
 * then freed: what its committed slices leave); its error (SL_OK when it committed),
 * the store's message for it in msg, the slices it committed in *slices. The fault is
 * still on when the store is closed. */
static sl_error run_batch(const scenario *sc, const char *db, long long stop, char msg[512],
                          long long *slices)
{
    sl_store *st = NULL;
    assert_int_equal(sl_store_open(db, 0, &st), SL_OK);
    if (sc->small_cache)
        assert_int_equal(sqlite3_exec(st->db, "PRAGMA cache_size=8", NULL, NULL, NULL),
                         SQLITE_OK);
    if (sc->checkpoint)
        assert_int_equal(sqlite3_exec(st->db, "PRAGMA wal_autocheckpoint=1", NULL, NULL,
                                      NULL),
                         SQLITE_OK);
    long long from = sc->first_load ? 0 : PRE_ARTICLES;
    sl_error err = batch(st, from, from + TEST_ARTICLES, from + 5, sc->slice, stop, slices);
    snprintf(msg, 512, "%s", sl_store_errmsg(st));
    sl_store_free(st);
    return err;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Where to make the disk full: a budget per point, from the unarmed run's writes. */
static size_t sweep_points(long long total, long long *out, size_t max)
{
    size_t n = 0;
    out[n++] = 0;
    for (int i = 1; i < 4; i++) /* evenly through the batch */
        out[n++] = total * i / 4;
    out[n++] = total - 1;
    /* The first and the last write to each file, each cut in the middle. */
    for (int k = 0; k < K_KINDS; k++) {
        long long first = -1, last = -1;
        for (size_t i = 0; i < fs.ntrace; i++)
            if (fs.trace[i].kind == k) {
                if (first < 0)
                    first = (long long)i;
                last = (long long)i;
            }
        if (first >= 0) {
            out[n++] = fs.trace[first].before + fs.trace[first].len / 2;
            out[n++] = fs.trace[last].before + fs.trace[last].len / 2;
        }
    }
    /* The store file's writes after the last write to the WAL: the checkpoint. */
    long long last_wal = -1;
    for (size_t i = 0; i < fs.ntrace; i++)
        if (fs.trace[i].kind == K_WAL)
            last_wal = (long long)i;
    long long cp_first = -1;
    for (size_t i = last_wal >= 0 ? (size_t)last_wal : 0; i < fs.ntrace; i++)
        if (fs.trace[i].kind == K_DB && cp_first < 0)
            cp_first = (long long)i;
    if (last_wal >= 0 && cp_first >= 0) {
        out[n++] = fs.trace[cp_first].before;
        out[n++] = fs.trace[(size_t)cp_first + (fs.ntrace - (size_t)cp_first) / 2].before;
    }
    assert_true(n <= max);
    qsort(out, n, sizeof *out, cmp_ll);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (out[i] >= 0 && out[i] < total && (k == 0 || out[i] != out[k - 1]))
            out[k++] = out[i];
    return k;
}

/* The kind of file the write at byte `at` went to in the unarmed run. */
static const char *kind_at(long long at)
{
    for (size_t i = 0; i < fs.ntrace; i++)
        if (at < fs.trace[i].before + fs.trace[i].len)
            return KIND_NAME[fs.trace[i].kind];
    return "none";
}

static int mentions_full(const char *msg)
{
    return strstr(msg, "disk is full") != NULL;
}

static void run_scenario(const scenario *sc)
{
    vfs_install();
    char dir[64] = "/tmp/sl-test-diskfull-XXXXXX", db[128], tmpl[128];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    snprintf(tmpl, sizeof tmpl, "%s/before.db", dir);
    print_message("scenario %s\n", sc->name);

    /* Unarmed: what the store holds before and after, and where the batch writes. */
    build(sc, tmpl);
    copy_store(tmpl, db);
    holding before = hold(db);
    vfs_count();
    char msg[512];
    long long slices = 0;
    assert_int_equal(run_batch(sc, db, 0, msg, &slices), SL_OK);
    long long total = fs.written;
    size_t ntrace = fs.ntrace;
    assert_true(ntrace > 0 && ntrace < TRACE_MAX);
    trace_write *trace = malloc(ntrace * sizeof *trace);
    assert_non_null(trace);
    memcpy(trace, fs.trace, ntrace * sizeof *trace);
    holding after = hold(db);
    describe("before", &before);
    describe("after", &after);
    assert_string_equal(before.integrity, "ok");
    assert_string_equal(after.integrity, "ok");
    assert_true(after.articles == before.articles + TEST_ARTICLES + 1);
    assert_true(after.events > before.events);
    assert_true(after.with_facts > before.with_facts);
    assert_true(after.quotes > before.quotes);
    /* Sliced: what the store holds once its first k slices are committed, k = 1.. (the
     * batch stopped at the article after k slices', which commits them, and freed). A
     * failed slice must leave that. */
    holding sliced[MAX_SLICES];
    sliced[0] = before;
    long long nslices = 0;
    if (sc->slice > 0) {
        nslices = TEST_ARTICLES / sc->slice; /* before the last: 25 articles in all */
        assert_true(nslices >= 2 && nslices < MAX_SLICES);
        for (long long k = 1; k <= nslices; k++) {
            copy_store(tmpl, db);
            long long got = -1;
            assert_int_equal(run_batch(sc, db, k * sc->slice + 1, msg, &got), SL_OK);
            assert_int_equal(got, k);
            sliced[k] = hold(db);
            assert_true(sliced[k].articles == before.articles + k * sc->slice);
        }
    }
    memcpy(fs.trace, trace, ntrace * sizeof *trace);
    fs.ntrace = ntrace;
    long long wrote[K_KINDS] = {0};
    for (size_t i = 0; i < ntrace; i++)
        wrote[fs.trace[i].kind] += fs.trace[i].len;
    print_message("  unarmed batch: %lld bytes in %zu writes (store %lld, journal %lld, "
                  "wal %lld, other %lld)\n",
                  total, ntrace, wrote[K_DB], wrote[K_JOURNAL], wrote[K_WAL], wrote[K_OTHER]);
    long long points[64];
    size_t npoints = sweep_points(total, points, sizeof points / sizeof points[0]);

    int failed = 0, committed = 0, kept_any = 0;
    for (size_t run = 0; run < 2 * npoints; run++) {
        size_t p = run / 2;
        freed_on_error = (int)(run % 2);
        /* kind_at reads fs.trace: the unarmed run's, restored before each look. */
        memcpy(fs.trace, trace, ntrace * sizeof *trace);
        fs.ntrace = ntrace;
        const char *where = kind_at(points[p]);
        copy_store(tmpl, db);
        vfs_arm(points[p]);
        long long kept = -1;
        sl_error err = run_batch(sc, db, 0, msg, &kept);
        long long faults = fs.faults;
        vfs_count(); /* the fault removed */
        holding now = hold(db);
        print_message("  full after %lld of %lld bytes (in the %s)%s: %s, %lld refused, "
                      "%lld slices kept; %s\n",
                      points[p], total, where, freed_on_error ? ", freed at the error" : "",
                      err ? sl_strerror(err) : "committed", faults, err ? kept : 0,
                      err ? msg : "");
        if (strcmp(now.integrity, "ok"))
            fail_msg("integrity_check after a full disk at %lld: %s", points[p],
                     now.integrity);
        if (err) {
            failed++;
            assert_int_equal(err, SL_ERR_STORE);
            if (!mentions_full(msg) || !strstr(msg, db))
                fail_msg("the error does not say the disk is full, or which store: %s", msg);
            /* Unsliced: as before the batch. Sliced: as after the slices it says it
             * kept (sl_batch_peek), the failed one rolled back. */
            if (kept < 0 || kept > nslices)
                fail_msg("%lld slices kept, of %lld", kept, nslices);
            kept_any += kept > 0;
            if (!same(&now, &sliced[kept])) {
                describe("now", &now);
                fail_msg("a failed batch (disk full at byte %lld of %lld, %lld slices kept) "
                         "changed the store otherwise",
                         points[p], total, kept);
            }
        } else {
            committed++;
            if (!same(&now, &after)) {
                describe("now", &now);
                fail_msg("a batch that said it committed (disk full at byte %lld of %lld) "
                         "left something else than the unarmed run",
                         points[p], total);
            }
        }
    }
    print_message("  %d points, twice: %d failed and left the store as before the batch "
                  "(%d: as after the slices they kept), %d committed whole\n",
                  (int)npoints, failed, kept_any, committed);
    assert_true(failed >= 8);
    if (sc->slice > 0) /* some failures came after a slice was committed */
        assert_true(kept_any > 0);
    free(trace);
    remove_tree(dir);
}

static void test_first_load(void **state)
{
    (void)state;
    static const scenario sc = {"first load (journal mode TRUNCATE)", 1, 0, 0, 0};
    run_scenario(&sc);
}

static void test_first_load_spilling(void **state)
{
    (void)state;
    static const scenario sc = {"first load, pages spilled mid-batch", 1, 1, 0, 0};
    run_scenario(&sc);
}

static void test_wal_batch_spilling(void **state)
{
    (void)state;
    static const scenario sc = {"later batch (WAL), pages spilled mid-batch", 0, 1, 0, 0};
    run_scenario(&sc);
}

static void test_first_load_sliced(void **state)
{
    (void)state;
    static const scenario sc = {"first load in slices of 8", 1, 0, 0, 8};
    run_scenario(&sc);
}

static void test_wal_batch_sliced(void **state)
{
    (void)state;
    static const scenario sc = {"later batch (WAL) in slices of 8", 0, 0, 0, 8};
    run_scenario(&sc);
}

static void test_wal_batch_checkpoint(void **state)
{
    (void)state;
    static const scenario sc = {"later batch (WAL), checkpoint at its commit", 0, 0, 1, 0};
    run_scenario(&sc);
}

/* A store that cannot be made on a full disk is not left behind half made. */
static void test_create_full(void **state)
{
    (void)state;
    vfs_install();
    char dir[64] = "/tmp/sl-test-diskfull-XXXXXX", db[128];
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/s.db", dir);
    sl_store *st = NULL;
    char why[SL_ERRMSG_SIZE];
    vfs_arm(1000);
    sl_error err = sl_store_open_msg(db, SL_OPEN_CREATE, &st, why, sizeof why);
    vfs_count();
    print_message("create on a full disk: %s: %s\n", sl_strerror(err), why);
    assert_int_equal(err, SL_ERR_STORE);
    assert_null(st);
    assert_true(mentions_full(why));
    assert_int_equal(access(db, F_OK), -1);
    assert_int_equal(sl_store_open(db, SL_OPEN_CREATE, &st), SL_OK);
    sl_store_free(st);
    remove_tree(dir);
}

static int setup_corpus(void **state)
{
    (void)state;
    gen = corpus_create(22, 1000);
    if (!gen)
        return -1;
    corpus_set_stories(gen, 4, 10);
    return 0;
}

static int teardown_corpus(void **state)
{
    (void)state;
    corpus_free(gen);
    gen = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_load),
        cmocka_unit_test(test_first_load_spilling),
        cmocka_unit_test(test_wal_batch_spilling),
        cmocka_unit_test(test_wal_batch_checkpoint),
        cmocka_unit_test(test_first_load_sliced),
        cmocka_unit_test(test_wal_batch_sliced),
        cmocka_unit_test(test_create_full),
    };
    int rc = cmocka_run_group_tests(tests, setup_corpus, teardown_corpus);
    free(fs.trace);
    return rc;
}
