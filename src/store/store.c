/* store.c — opening the store, its schema, and small SQLite helpers. */
#include "store_impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>    /* open: O_EXCL */
#include <sys/stat.h> /* stat */
#include <unistd.h>   /* access, close */

#include "../core/grow.h"

/* The settled dedup keys' blocks (version 11): in schema_sql, and made by the migration
 * from 10 or older. */
#define STORE_KEY_BLOCKS_SQL                                                               \
    "CREATE TABLE IF NOT EXISTS lsh_blocks(block INTEGER PRIMARY KEY, entries BLOB NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS paras_blocks(block INTEGER PRIMARY KEY,"                   \
    "  entries BLOB NOT NULL);"

/* The settled dedup keys' saved Bloom filter (version 15, settled_filter.c): in
 * schema_sql, and made by the migration from 14 or older. */
#define DEDUP_FILTER_SQL                                                                   \
    "CREATE TABLE IF NOT EXISTS dedup_filter(part INTEGER PRIMARY KEY, bits BLOB NOT NULL);"

/* The settled event keys' and frequencies' blocks (version 12): in schema_sql, and made by
 * the migration from 11 or older. */
#define EVENT_BLOCKS_SQL                                                                   \
    "CREATE TABLE IF NOT EXISTS event_key_blocks(block INTEGER PRIMARY KEY,"               \
    "  entries BLOB NOT NULL);"                                                            \
    "CREATE TABLE IF NOT EXISTS term_df_blocks(block INTEGER PRIMARY KEY,"                 \
    "  entries BLOB NOT NULL);"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS batches("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  committed_at TEXT,"
    "  added INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  present INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0,"
    "  files INTEGER NOT NULL DEFAULT 0,"
    "  bytes INTEGER NOT NULL DEFAULT 0,"
    "  seconds REAL NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS articles("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  source TEXT NOT NULL,"
    "  url TEXT, date TEXT, title TEXT, byline TEXT, credit TEXT,"
    /* as the input gave them, before cleaning; an empty blob (since version 11): the same
     * as title or date (STORE_TITLE_IN reads them) */
    "  title_in TEXT, date_in TEXT,"
    /* the cleaned text: spans of the raw text, or a zstd frame (texts.c); read it as
     * article_text.text */
    "  text BLOB NOT NULL,"
    "  hash BLOB NOT NULL,"
    "  chars_raw INTEGER NOT NULL,"
    "  chars_clean INTEGER NOT NULL,"
    "  meta TEXT,"
    "  origin TEXT,"
    "  batch INTEGER NOT NULL REFERENCES batches(id));"
    /* The text as it came in, one zstd frame (texts.c), apart from the row that cleaning
     * rewrites, so that it is written once. */
    "CREATE TABLE IF NOT EXISTS raws("
    "  rid INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,"
    "  raw BLOB NOT NULL);"
    /* (Same text from the same source under another id is the same article: found by
     * its hash in article_hashes since version 13, article_keys_sql below.) */
    "CREATE INDEX IF NOT EXISTS articles_batch ON articles(batch);"
    /* Sources, with their article counts, for the cleaner's repetition statistics. */
    "CREATE TABLE IF NOT EXISTS sources("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  articles INTEGER NOT NULL DEFAULT 0);"
    /* In how many articles of each source a line (by the hash of its normalised form)
     * is printed. Only lines of up to CLEAN_COUNTED_CHARS count: templates are short. */
    "CREATE TABLE IF NOT EXISTS line_counts("
    "  hash INTEGER NOT NULL,"
    "  source INTEGER NOT NULL,"
    "  articles INTEGER NOT NULL,"
    "  PRIMARY KEY(hash, source)) WITHOUT ROWID;"
    /* How many distinct shingles each article's cleaned text has (sketch stage: a family's
     * representative is its fullest copy). The signature itself is not kept (version 7):
     * nothing reads it, matching reads the band keys (lsh), and sketching the stored
     * text gives it again. */
    "CREATE TABLE IF NOT EXISTS sketches("
    "  rid INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,"
    "  shingles INTEGER NOT NULL);"
    /* Deduplication: LSH band keys of the signatures, paragraph fingerprints, and each
     * matched article's family (the rid of the family's first article) and its
     * similarity to the article it matched. */
    /* Since version 11, the keys packed: a row a run of about 32 keys in order, its rowid
     * the first key's place (key_blocks.c); version 10 kept a row a key (lsh, paras). */
    STORE_KEY_BLOCKS_SQL
    /* Since version 6, new keys go to these small tables first, merged into the large
     * ones when they pass a sixteenth of the store (families.c, "recent keys"): a batch's
     * keys land on every leaf page of a large b-tree, so each commit wrote it all again. */
    "CREATE TABLE IF NOT EXISTS lsh_recent(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS paras_recent(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
    /* Since version 15, a Bloom filter of the settled keys (settled_filter.c): a small
     * batch searches the blocks only for the keys it may find there. */
    DEDUP_FILTER_SQL
    "CREATE TABLE IF NOT EXISTS members("
    "  rid INTEGER PRIMARY KEY,"
    "  family INTEGER NOT NULL,"
    "  matched INTEGER,"
    "  jaccard REAL, containment REAL);"
    "CREATE INDEX IF NOT EXISTS members_family ON members(family);"
    /* Events (cluster stage): each with its centroid (src/cluster/event_blob.c gives the
     * blob's layout) and dates in days since 1970-01-01; the key terms that find an event
     * (newest events first: ORDER BY event DESC); each article's event; the document
     * frequency of every term seen, and counters (the number of documents). */
    "CREATE TABLE IF NOT EXISTS events("
    "  id INTEGER PRIMARY KEY,"
    "  storyline INTEGER NOT NULL,"
    "  articles INTEGER NOT NULL,"
    "  dated INTEGER NOT NULL, day_first INTEGER, day_last INTEGER,"
    "  day_sum REAL NOT NULL,"
    "  centroid BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS events_storyline ON events(storyline);"
    /* since version 12 the settled keys and frequencies packed (key_blocks.c; until
     * then rows of event_keys(term, event) and term_df(term, n)) */
    EVENT_BLOCKS_SQL
    "CREATE TABLE IF NOT EXISTS article_events("
    "  rid INTEGER PRIMARY KEY,"
    "  event INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS article_events_event ON article_events(event);"
    "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    /* The small events the last batch made or changed: the next batch places their
     * articles again, with more evidence (src/cluster/run.c, reopen). */
    "CREATE TABLE IF NOT EXISTS open_events(id INTEGER PRIMARY KEY);"
    /* Facts (facts stage, store/facts.c): each article's facts as the JSON object of
     * DESIGN.md (its entities kept there only, since version 4), and its quotes as rows
     * (what an event's quotes are made of); per event, its quotes ("Q" || id; ids never given twice: counter
     * quote_ids), each quote's variants (n: earliest first) and the articles printing
     * each (k: earliest first), and its entities (n: most mentioned first). A store made
     * before these tables gets them at its next writable open, empty: `storyline clean`
     * extracts the facts of the articles it held. */
    "CREATE TABLE IF NOT EXISTS article_facts("
    "  rid INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,"
    "  json TEXT NOT NULL,"
    "  quotes INTEGER NOT NULL, entities INTEGER NOT NULL);"
    /* a small index: `stats` counts articles with facts without reading their JSON */
    "CREATE INDEX IF NOT EXISTS article_facts_quotes ON article_facts(quotes);"
    "CREATE TABLE IF NOT EXISTS article_quotes(rid INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  text TEXT NOT NULL, speaker TEXT, kind TEXT NOT NULL,"
    "  PRIMARY KEY(rid, n)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS quotes(id INTEGER PRIMARY KEY, event INTEGER NOT NULL,"
    "  text TEXT, speaker TEXT, kind TEXT, rid INTEGER, n INTEGER);"
    "CREATE INDEX IF NOT EXISTS quotes_event ON quotes(event);"
    "CREATE TABLE IF NOT EXISTS quote_variants(quote INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  text TEXT NOT NULL, PRIMARY KEY(quote, n)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS variant_articles(quote INTEGER NOT NULL,"
    "  n INTEGER NOT NULL, k INTEGER NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(quote, n, k)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS event_entities(event INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  name TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,"
    "  PRIMARY KEY(event, n)) WITHOUT ROWID;";

/* The event keys' and document frequencies' recent tables (version 8): in schema2_sql,
 * and made by the migration from 7. */
#define EVENT_RECENT_SQL                                                                   \
    "CREATE TABLE IF NOT EXISTS event_keys_recent(term INTEGER NOT NULL,"                  \
    "  event INTEGER NOT NULL, PRIMARY KEY(term, event)) WITHOUT ROWID;"                   \
    "CREATE TABLE IF NOT EXISTS term_df_recent(term INTEGER PRIMARY KEY,"                  \
    "  n INTEGER NOT NULL) WITHOUT ROWID;"

/* Version 9: the event keys of vanished events, forgotten, and the line counts' recent
 * table: in schema2_sql, and made by the migration from 8 or older. */
#define SCHEMA_V9_SQL                                                                      \
    "CREATE TABLE IF NOT EXISTS event_keys_gone(term INTEGER NOT NULL,"                    \
    "  event INTEGER NOT NULL, PRIMARY KEY(term, event)) WITHOUT ROWID;"                   \
    "CREATE TABLE IF NOT EXISTS line_counts_recent(hash INTEGER NOT NULL,"                 \
    "  source INTEGER NOT NULL, articles INTEGER NOT NULL,"                                \
    "  PRIMARY KEY(hash, source)) WITHOUT ROWID;"

/* Version 10: the events whose facts and digests a batch's slices left for its last
 * (pipeline.c, "Deferred events"): in schema2_sql, and made by the migration from 9 or
 * older (an older storyline would never make them). */
#define SCHEMA_V10_SQL "CREATE TABLE IF NOT EXISTS events_pending(id INTEGER PRIMARY KEY);"

/* The schema goes on (C17 compilers need support string literals of 4095 bytes only). */
static const char schema2_sql[] =
    /* HTML articles (store/article_write.c): what the HTML front end said of the page,
     * apart from the text: the DOM hint byte of each raw line (src/ingest/html_hint.h),
     * read by the cleaner; the encoding read; the page's metadata, each with where it came
     * from; the fetch date (WARC-Date), the article's date only when neither the input,
     * the page nor the text gives one. Written with the article, replaced or deleted when
     * the article is updated; a store made before this table gets it at its next writable
     * open (its articles have no row: they read as text input). */
    "CREATE TABLE IF NOT EXISTS pages("
    "  rid INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,"
    "  hints BLOB, charset TEXT,"
    "  title TEXT, title_from TEXT, date TEXT, date_from TEXT, author TEXT, author_from TEXT,"
    "  site_name TEXT, site_name_from TEXT, canonical TEXT, canonical_from TEXT,"
    "  lang TEXT, lang_from TEXT, description TEXT, description_from TEXT,"
    "  fetch_date TEXT);"
    /* Readers' orders (src/store/list_rows.c): a page of the events (newest first) walks
     * an index instead of sorting the whole table (the articles by date walk
     * article_order since version 13: article_keys_sql below). */
    "CREATE INDEX IF NOT EXISTS events_order ON events(day_last IS NULL, day_last DESC,"
    "  id DESC);"
    /* Per event, its headline and summary (the present stage, store/digests.c): the
     * summary's sentences joined by newlines; since version 7 a zstd frame (a BLOB) made
     * with the store's digest_dict where that is shorter, read through sl_summary. Made for the events a batch touched; a
     * store made before this table gets it empty at its next writable open, and its
     * events read the first article's lead sentences until made again. `inputs`: the
     * hash of the articles the summary was made from (present/digest.c), NULL when not
     * known (a row of a build before it; the column is added by the first writer that
     * makes digests, store/digests.c). */
    "CREATE TABLE IF NOT EXISTS event_digests(event INTEGER PRIMARY KEY,"
    "  headline TEXT, summary TEXT NOT NULL, inputs INTEGER);"
    /* Per source, the zstd dictionary its raw texts are packed with once it has enough
     * of them (texts.c), by zstd's dictionary id, which each frame names. */
    "CREATE TABLE IF NOT EXISTS dicts(id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE,"
    "  dict BLOB NOT NULL);"
    /* Per event, the memo of its entities' merge (facts stage; docs/facts-entities.md,
     * "Resuming"), which since version 5 is also where its entities are read from
     * (store/facts.c; event_entities holds them only for an event whose memo could not be
     * kept), `shown` of them: `stats` sums those through the index. */
    "CREATE TABLE IF NOT EXISTS entity_memos(event INTEGER PRIMARY KEY, memo BLOB NOT NULL,"
    "  shown INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS entity_memos_shown ON entity_memos(shown) WHERE shown > 0;"
    /* Since version 8, new event keys and document frequencies go to these small tables
     * first, merged into event_keys and term_df when they pass a sixteenth of the store
     * (events.c, "Recent rows"), as the dedup keys do since version 6. */
    EVENT_RECENT_SQL
    /* Since version 9, a key of an event that is gone is not deleted from event_keys at
     * once but noted in event_keys_gone, read as absent, and deleted with the merge
     * (events.c, "Recent rows"); and a batch's line counts go to line_counts_recent,
     * read with line_counts (their counts summed) and merged into it once the store
     * grows by a sixteenth (lines.c). */
    SCHEMA_V9_SQL
    /* Since version 10, the events a batch's slices touched, whose quotes, entities
     * and digests are made once, by its last slice (or by the next batch, when the load
     * stopped before it) */
    SCHEMA_V10_SQL;

/* Version 13: an article's hash (the same text from the same source under another id is
 * the same article) and its place in the readers' date order (date IS NULL, date, source,
 * id), which were indexes on articles, kept in tables of their own as the dedup and event
 * keys are: new rows go to the small recent tables, merged into the large ones once the
 * store grows by a sixteenth (article_keys.c). An index on articles took a random leaf of
 * its b-tree for every article added: of the 3,619 pages +1,000 wrote into a store of a
 * million, 936 were articles_order's and 798 articles_hash's (docs/store.md, "The
 * articles' keys"). Triggers keep them, so that every path that writes an article (a
 * batch, its cleaning, `clean`) keeps them without knowing of them. The date order's key
 * has no NULL (a WITHOUT ROWID table's key cannot): `undated` 1 and date '' for an
 * article without a date, which sorts as the index's `date IS NULL, date` did. Two texts
 * with one 128-bit hash are the same text, so a hash found is the rare case in which the
 * row is read for its source. In schema order after schema2_sql, and made by the
 * migration from 12 or older (article_keys.c fills them). */
static const char article_keys_sql[] =
    "CREATE TABLE IF NOT EXISTS article_hashes(hash BLOB NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(hash, rid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS article_hashes_recent(hash BLOB NOT NULL,"
    "  rid INTEGER NOT NULL, PRIMARY KEY(hash, rid)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS article_order(undated INTEGER NOT NULL, date TEXT NOT NULL,"
    "  source TEXT NOT NULL, id TEXT NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(undated, date, source, id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS article_order_recent(undated INTEGER NOT NULL,"
    "  date TEXT NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(undated, date, source, id)) WITHOUT ROWID;"
    "CREATE TRIGGER IF NOT EXISTS article_keys_put AFTER INSERT ON articles BEGIN"
    "  INSERT INTO article_hashes_recent(hash, rid) VALUES(new.hash, new.rid);"
    "  INSERT INTO article_order_recent(undated, date, source, id, rid)"
    "   VALUES(new.date IS NULL, coalesce(new.date, ''), new.source, new.id, new.rid);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS article_hash_move AFTER UPDATE OF hash ON articles"
    " WHEN old.hash IS NOT new.hash BEGIN"
    "  DELETE FROM article_hashes WHERE hash = old.hash AND rid = old.rid;"
    "  DELETE FROM article_hashes_recent WHERE hash = old.hash AND rid = old.rid;"
    "  INSERT INTO article_hashes_recent(hash, rid) VALUES(new.hash, new.rid);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS article_order_move AFTER UPDATE OF date, source, id"
    " ON articles WHEN old.date IS NOT new.date OR old.source IS NOT new.source"
    "  OR old.id IS NOT new.id BEGIN"
    "  DELETE FROM article_order WHERE undated = (old.date IS NULL)"
    "   AND date = coalesce(old.date, '') AND source = old.source AND id = old.id;"
    "  DELETE FROM article_order_recent WHERE undated = (old.date IS NULL)"
    "   AND date = coalesce(old.date, '') AND source = old.source AND id = old.id;"
    "  INSERT INTO article_order_recent(undated, date, source, id, rid)"
    "   VALUES(new.date IS NULL, coalesce(new.date, ''), new.source, new.id, new.rid);"
    " END;"
    "CREATE TRIGGER IF NOT EXISTS article_keys_drop AFTER DELETE ON articles BEGIN"
    "  DELETE FROM article_hashes WHERE hash = old.hash AND rid = old.rid;"
    "  DELETE FROM article_hashes_recent WHERE hash = old.hash AND rid = old.rid;"
    "  DELETE FROM article_order WHERE undated = (old.date IS NULL)"
    "   AND date = coalesce(old.date, '') AND source = old.source AND id = old.id;"
    "  DELETE FROM article_order_recent WHERE undated = (old.date IS NULL)"
    "   AND date = coalesce(old.date, '') AND source = old.source AND id = old.id;"
    " END;";

/* Full-text search (store/search.c): an external-content FTS5 index over the articles'
 * title and cleaned text. Its content is the view article_text, where the cleaned text
 * is plain (sl_text, texts.c): readers read texts there too. An article goes into it when
 * it is cleaned, with the rest of its cleaning, in one statement at the cleaning's end
 * (sli_store_search_cleaned): a trigger that put each article in as its cleaned text was
 * saved ran inside the cleaning's UPDATEs, where FTS5 writes what it holds to a new
 * segment at every statement's savepoint, and it indexed each new article twice (its
 * title as it came in, then taken out again as it was cleaned): 217 s of a 1M first load
 * against 150 s for the whole index built in one pass. The triggers take an article out,
 * so that every path that deletes or changes one keeps the index right without knowing
 * of it: before it is deleted, or when its title or text change, if the index holds it
 * (its docsize row: an article not yet cleaned is not there). The rule for a writer:
 * an article whose title or text it changes is out of the index until a cleaning puts
 * it back, so it must be cleaned in the same transaction, as the batch's update does
 * (article_write.c sets its batch anew; the batch's cleaning puts in every article of
 * the batch). A path that changed them otherwise would leave the article unsearchable.
 * They pass the plain old text: the raw text an article's spans point into is replaced only while its cleaned
 * text is empty (article_write.c), and a deleted article's raws row goes with it (hence
 * BEFORE DELETE). A store made before the index gets it at its next writable open, built
 * from the articles it holds (fts_rebuild_sql); one without it by choice
 * (SL_OPEN_NO_SEARCH, sl_store_set_search: counter SEARCH_OFF_COUNTER) keeps only the
 * view and the (empty) stop words. */
#define TEXT_VIEW_SQL                                                                      \
    "CREATE VIEW IF NOT EXISTS article_text AS SELECT a.rid AS rid, a.title AS title,"     \
    "  sl_text(a.text, r.raw) AS text, a.date AS date"                                     \
    "  FROM articles a LEFT JOIN raws r ON r.rid = a.rid;"                                 \
    "CREATE TABLE IF NOT EXISTS search_stop(term TEXT PRIMARY KEY) WITHOUT ROWID;"
#define FTS_INDEXED "WHEN EXISTS(SELECT 1 FROM articles_fts_docsize WHERE id = old.rid)"
#define FTS_TAKE_OUT                                                                       \
    "  INSERT INTO articles_fts(articles_fts, rowid, title, text)"                         \
    "   VALUES('delete', old.rid, old.title,"                                              \
    "   sl_text(old.text, (SELECT raw FROM raws WHERE rid = old.rid)));"
#define FTS_TRIGGERS_SQL                                                                   \
    "CREATE TRIGGER IF NOT EXISTS articles_fts_gone BEFORE DELETE ON articles "            \
    FTS_INDEXED " BEGIN" FTS_TAKE_OUT " END;"                                              \
    "CREATE TRIGGER IF NOT EXISTS articles_fts_change AFTER UPDATE OF title, text"         \
    " ON articles " FTS_INDEXED " BEGIN" FTS_TAKE_OUT " END;"
/* FTS5 holds the terms of the articles it is given in memory until they are this many
 * bytes (its `hashsize`, kept in articles_fts_config; FTS5's default 1 MB), then writes
 * them out as a segment, which it merges with others of its size as they come. A
 * cleaning's articles come in one statement: larger segments are fewer merges. Building
 * the index of 20,000 articles: 3.2-3.3 s with 1 MB, 2.8 s with 4 MB, 2.5 s with 16 MB,
 * 3.0 s with 64 MB (docs/profile.md, "Twenty-sixth round"). */
#define FTS_HASHSIZE_SQL "INSERT INTO articles_fts(articles_fts, rank) VALUES('hashsize', 16777216);"
static const char fts_sql[] =
    TEXT_VIEW_SQL
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, text,"
    "  content='article_text', content_rowid='rid',"
    "  tokenize='" STORE_FTS_TOKENIZE "');"
    FTS_HASHSIZE_SQL FTS_TRIGGERS_SQL;
static const char fts_rebuild_sql[] = "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')";
/* articles_fts_put: the trigger of versions 1 to 13 that put an article in */
#define FTS_TRIGGERS_DROP_SQL                                                              \
    "DROP TRIGGER IF EXISTS articles_fts_put;"                                             \
    "DROP TRIGGER IF EXISTS articles_fts_gone;"                                            \
    "DROP TRIGGER IF EXISTS articles_fts_change;"
static const char fts_drop_sql[] = FTS_TRIGGERS_DROP_SQL "DROP TABLE IF EXISTS articles_fts;";

/* The touched-event log of the facts stage (store/facts.c): created on a writer's
 * connection when the facts stage opens, before the cluster stage writes. Here, with the
 * schema and the transactions, as its triggers' BEGIN ... END are SQL that only store.c
 * holds (test_store_boundary.sh). Temporary objects live with the connection and take
 * part in its transactions (a rolled-back batch forgets what it noted). */
static const char touched_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS facts_touched(event INTEGER PRIMARY KEY);"
    "CREATE TEMP TRIGGER IF NOT EXISTS facts_ae_put BEFORE INSERT ON main.article_events"
    " BEGIN"
    "  INSERT OR IGNORE INTO facts_touched SELECT event FROM main.article_events"
    "   WHERE rid = new.rid;"
    "  INSERT OR IGNORE INTO facts_touched VALUES(new.event);"
    " END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS facts_ae_move AFTER UPDATE OF event"
    " ON main.article_events BEGIN"
    "  INSERT OR IGNORE INTO facts_touched VALUES(old.event);"
    "  INSERT OR IGNORE INTO facts_touched VALUES(new.event);"
    " END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS facts_ae_gone AFTER DELETE ON main.article_events"
    " BEGIN INSERT OR IGNORE INTO facts_touched VALUES(old.event); END;"
    "CREATE TEMP TRIGGER IF NOT EXISTS facts_ev_gone AFTER DELETE ON main.events"
    " BEGIN INSERT OR IGNORE INTO facts_touched VALUES(old.id); END;";

/* What to do about a damaged store, said wherever SQLite finds one. */
#define STORE_DAMAGED_ADVICE                                                               \
    "restore it from a backup, or move it away and add the articles again"
#define STORE_DAMAGED_SUFFIX ": the store is damaged: " STORE_DAMAGED_ADVICE

/* Why the file at `path` (or the files beside it: the WAL, its index, a journal) cannot
 * be opened, asked of the system: SQLite's "unable to open database file" does not say,
 * and the errno it keeps is that of its last try (a fallback to read-only: ENOENT). */
static const char *cantopen_why(const char *path, int write, char *out, size_t size)
{
    /* The folder that holds the file: path up to its last slash ("/" itself), or ".". */
    const char *slash = strrchr(path, '/');
    const char *dir = slash ? path : ".";
    int dlen = slash ? (slash == path ? 1 : (int)(slash - path)) : 1;
    char dirz[4096];
    snprintf(dirz, sizeof dirz, "%.*s", dlen, dir);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int e = errno;
        if (e == ENOENT && write && access(dirz, W_OK) != 0)
            snprintf(out, size, "cannot create it in %.*s: %s", dlen, dir, strerror(errno));
        else
            snprintf(out, size, "%s", strerror(e));
    } else if (S_ISDIR(sb.st_mode)) {
        snprintf(out, size, "it is a directory");
    } else if (access(path, write ? R_OK | W_OK : R_OK) != 0) {
        snprintf(out, size, "%s", strerror(errno));
    } else if (access(dirz, W_OK) != 0) {
        snprintf(out, size, "its folder %.*s does not let the files beside it be made: %s",
                 dlen, dir, strerror(errno));
    } else {
        out[0] = '\0';
    }
    return out;
}

sl_error sli_store_fail(sl_store *st, int rc, const char *what)
{
    /* Every message names the file and gives SQLite's reason (and the system's, when a
     * file could not be opened, read or written). */
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    int primary = rc & 0xFF;
    int damaged = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
    char sys[256] = "";
    if (primary == SQLITE_CANTOPEN && st->path) {
        cantopen_why(st->path, !st->readonly, sys, sizeof sys);
    } else if (primary == SQLITE_IOERR && st->db && sqlite3_system_errno(st->db)) {
        snprintf(sys, sizeof sys, "%s", strerror(sqlite3_system_errno(st->db)));
    }
    int n = snprintf(st->errmsg, sizeof st->errmsg, "%s: %s: %s%s%s%s%s",
                     st->path ? st->path : "store", what, msg, *sys ? " (" : "", sys,
                     *sys ? ")" : "", damaged ? STORE_DAMAGED_SUFFIX : "");
    (void)n; /* a long path cuts the end of the message */
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SL_ERR_BUSY;
    case SQLITE_NOMEM:
        return SL_ERR_NOMEM;
    default:
        return SL_ERR_STORE;
    }
}

int sli_store_readonly(const sl_store *st)
{
    return st->readonly;
}

void sli_store_set_error(sl_store *st, const char *fmt, ...)
{
    /* Named like every other store error: the file first. */
    int n = snprintf(st->errmsg, sizeof st->errmsg, "%s: ", st->path ? st->path : "store");
    if (n < 0 || (size_t)n >= sizeof st->errmsg)
        return; /* a path that long: the path, cut */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->errmsg + n, sizeof st->errmsg - (size_t)n, fmt, ap);
    va_end(ap);
}

sl_error sli_store_exec(sl_store *st, const char *sql)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "SQL");
}

sl_error sli_store_touched_log(sl_store *st)
{
    return sli_store_exec(st, touched_sql);
}

sl_error sli_store_begin(sl_store *st)
{
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sli_store_search_stop_stale(st, 0); /* another writer may have picked them */
    if (rc != SQLITE_OK)
        return sli_store_fail(st, rc, "beginning a transaction");
    sl_error err = sli_store_search_recheck(st); /* or built or dropped the index */
    if (err)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->writing = !err;
    return err;
}

/* A read transaction, when the caller holds none (*own says whether one was begun):
 * reads between this and sli_store_read_end see one state of the store. */
sl_error sli_store_read_begin(sl_store *st, int *own)
{
    *own = sqlite3_get_autocommit(st->db);
    if (!*own)
        return SL_OK;
    int rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        *own = 0;
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "beginning a read");
}

void sli_store_read_end(sl_store *st, int own)
{
    if (own && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL); /* a read: nothing is lost */
}

sl_error sli_store_commit(sl_store *st)
{
    sli_store_settled_filter_rest(st); /* its blob handle would keep reading past it */
    int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        st->writing = 0;
    if (rc == SQLITE_OK && st->texts)
        sli_store_texts_committed(st->texts);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "committing");
}

void sli_store_rollback(sl_store *st)
{
    sli_store_settled_filter_rest(st);
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sli_store_search_stop_stale(st, 1); /* stop words picked in it are gone */
    /* a dictionary trained in the transaction is gone with it (also when SQLite rolled
     * it back by itself) */
    if (st->texts)
        sli_store_texts_rolled_back(st->texts);
    /* A write transaction given up (by SQLite itself too): the dedup keys' filters may
     * lack keys it took back in (a clear's, a filter made after it): read or made again
     * when needed. (Called after a commit too, as a no-op: they stay.) */
    if (st->writing) {
        sli_store_key_filter_drop(st);
        sli_store_settled_filter_forget(st);
    }
    st->writing = 0;
}

sl_error sli_store_prepare(sl_store *st, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "prepare");
}

sl_error sli_store_cached(sl_store *st, store_stmt **cache, const char *sql,
                          sqlite3_stmt **out)
{
    if (!*cache) {
        store_stmt *c = calloc(1, sizeof *c);
        if (!c)
            return SL_ERR_NOMEM;
        sl_error err = sli_store_prepare(st, sql, &c->s);
        if (err) {
            free(c);
            return err;
        }
        *cache = c;
    }
    *out = (*cache)->s;
    return SL_OK;
}

sl_error sli_store_borrow(sl_store *st, const char *sql, sqlite3_stmt **out)
{
    *out = NULL;
    size_t empty = STORE_CACHED;
    for (size_t i = 0; i < STORE_CACHED; i++) {
        store_cached *c = &st->cache[i];
        if (c->sql == sql && !c->busy) {
            c->busy = 1;
            *out = c->s;
            return SL_OK;
        }
        if (!c->sql && empty == STORE_CACHED)
            empty = i;
    }
    sl_error err = sli_store_prepare(st, sql, out);
    if (!err && empty < STORE_CACHED) /* else a statement of its own, finalised at return */
        st->cache[empty] = (store_cached){sql, *out, 1};
    return err;
}

void sli_store_return(sl_store *st, sqlite3_stmt *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < STORE_CACHED; i++) {
        store_cached *c = &st->cache[i];
        if (c->s == s) {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            c->busy = 0;
            return;
        }
    }
    sqlite3_finalize(s);
}

void sli_store_stmt_free(store_stmt *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->s);
    free(s);
}

sl_error sli_store_prepare_all(sl_store *st, const char *const *sql, sqlite3_stmt **const *slot,
                               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sl_error err = sli_store_prepare(st, sql[i], slot[i]);
        if (err) {
            sli_store_finalize_all(slot, i);
            return err;
        }
    }
    return SL_OK;
}

void sli_store_finalize_all(sqlite3_stmt **const *slot, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_finalize(*slot[i]);
        *slot[i] = NULL;
    }
}

int sli_store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
    return s ? sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC)
             : sqlite3_bind_null(stmt, idx);
}

const char *sli_store_column_text(sqlite3_stmt *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

const void *sli_store_column_blob(sl_store *st, sqlite3_stmt *stmt, int col, size_t *n,
                                  sl_error *err, const char *what)
{
    const void *b = sqlite3_column_blob(stmt, col);
    *n = b ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
    if (!b) {
        /* NULL for a NULL or empty value, and for a read that failed: then the
         * connection holds the failure's code (SQLite's documented way to tell). */
        int rc = sqlite3_errcode(st->db);
        if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
            *err = sli_store_fail(st, rc, what);
    }
    return b;
}

void sli_store_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The memory map's size (mmap_size below: the most Debian's SQLite allows), and the page
 * cache of a writer of a store larger than it: at most, at least, and by the articles of
 * the slice whose stages it serves (sli_store_cache_for; docs/tuned-constants.md). */
#define STORE_MAP_BYTES 2147418112LL
#define STORE_CACHE_LARGE_KIB 262144
#define STORE_CACHE_SMALL_KIB 16384
#define STORE_CACHE_KIB_PER_ARTICLE 8

/* Every page such a writer reads comes through its page cache, and each page of the
 * cache is memory the process touches for the first time, which costs more here than
 * reading a page again from the system's cache (2-4 ms a megabyte on the project's
 * machine, against 0.06 to touch it again): a small slice's stages, which read few pages
 * more than once, run faster with a small cache (+1,000 into a million: 16 MiB against
 * 256), a large one's with the large (+100,000 in slices of 40,000: 256 MiB against 16);
 * docs/profile.md, "Twenty-eighth round". */
sl_error sli_store_cache_for(sl_store *st, long long articles)
{
    if (!st->cache_scaled)
        return SL_OK;
    long long kib = articles * STORE_CACHE_KIB_PER_ARTICLE;
    if (kib < STORE_CACHE_SMALL_KIB)
        kib = STORE_CACHE_SMALL_KIB;
    if (kib > STORE_CACHE_LARGE_KIB)
        kib = STORE_CACHE_LARGE_KIB;
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%lld", kib);
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? SL_OK : sli_store_fail(st, rc, "sizing the page cache");
}

/* The value of `PRAGMA name` (user_version: the store's schema version; schema_version:
 * SQLite's count of schema changes). */
static sl_error pragma_int(sl_store *st, const char *name, long long *out)
{
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    sqlite3_stmt *stmt;
    sl_error err = sli_store_prepare(st, sql, &stmt);
    if (err)
        return err;
    int rc = sqlite3_step(stmt);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading its settings");
}

static sl_error user_version(sl_store *st, int *out)
{
    long long v = 0;
    sl_error err = pragma_int(st, "user_version", &v);
    *out = (int)v;
    return err;
}

static sl_error table_exists(sl_store *st, const char *name, int *exists);

/* After the schema's statements (err: how they went): the version stamped and the
 * transaction committed, or rolled back. */
static sl_error stamp_and_commit(sl_store *st, sl_error err)
{
    if (!err) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", STORE_SCHEMA_VERSION);
        err = sli_store_exec(st, sql);
    }
    if (!err)
        err = sli_store_commit(st);
    if (err)
        sli_store_rollback(st);
    return err;
}

/* Version 1 to 2, in the migration's transaction: each raw text packed into raws (a zstd
 * frame; from articles.raw for articles made before raws), each cleaned text made spans
 * of it (texts.c), the columns nobody reads (articles.raw, norm) dropped, and the search
 * index made again over the view article_text. */
static sl_error migrate_v1(sl_store *st)
{
    sl_error err = SL_OK;
    long long *rids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *all = NULL, *get = NULL, *put_raw = NULL, *put_text = NULL;
    err = sli_store_exec(st, fts_drop_sql);
    if (!err)
        err = sli_store_exec(st, schema_sql); /* raws, if it was made before it */
    if (!err)
        err = sli_store_exec(st, schema2_sql);
    /* The rids first: rows are rewritten while they are visited */
    if (!err)
        err = sli_store_prepare(st, "SELECT rid FROM articles ORDER BY rid", &all);
    int rc = SQLITE_DONE;
    while (!err && (rc = sqlite3_step(all)) == SQLITE_ROW) {
        long long *r = sli_grow_array(rids, &cap, n + 1, sizeof *r, 1024);
        if (!r) {
            err = SL_ERR_NOMEM;
            break;
        }
        rids = r;
        rids[n++] = sqlite3_column_int64(all, 0);
    }
    if (!err && rc != SQLITE_DONE)
        err = sli_store_fail(st, rc, "migrating it to version 2");
    if (!err)
        err = sli_store_prepare(st, "SELECT coalesce(r.raw, a.raw), a.text, a.source FROM articles a"
                                    " LEFT JOIN raws r ON r.rid = a.rid WHERE a.rid = ?1",
                                &get);
    if (!err)
        err = sli_store_prepare(st, "INSERT OR REPLACE INTO raws(rid, raw) VALUES(?1, ?2)",
                                &put_raw);
    if (!err)
        err = sli_store_prepare(st, "UPDATE articles SET text = ?2 WHERE rid = ?1", &put_text);
    buf raw;
    sli_buf_init(&raw, BUF_UNLIMITED);
    /* without dictionaries: the next batch trains them, from texts all packed by then */
    sli_store_texts_no_train(st->texts, 1);
    for (size_t i = 0; !err && i < n; i++) {
        sqlite3_bind_int64(get, 1, rids[i]);
        rc = sqlite3_step(get);
        if (rc != SQLITE_ROW) {
            err = sli_store_fail(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                                 "migrating it to version 2");
            break;
        }
        /* Both columns are NOT NULL in version 1: NULL is a read that failed (memory, a
         * page not read), never an empty text to migrate. */
        const char *r = sli_store_column_text(get, 0);
        size_t rn = r ? (size_t)sqlite3_column_bytes(get, 0) : 0;
        const char *t = r ? sli_store_column_text(get, 1) : NULL;
        size_t tn = t ? (size_t)sqlite3_column_bytes(get, 1) : 0;
        if (!r || !t) {
            int ec = sqlite3_errcode(st->db);
            err = ec == SQLITE_NOMEM ? SL_ERR_NOMEM
                  : sli_store_fail(st, ec != SQLITE_OK && ec != SQLITE_ROW ? ec : SQLITE_CORRUPT,
                                   "migrating it to version 2");
        }
        if (!err)
            err = sli_buf_append(&raw, r, rn);
        const void *blob;
        size_t size;
        if (!err)
            err = sli_store_pack_text(st->texts, raw.data, raw.len, t, tn, &blob, &size);
        if (!err) {
            sqlite3_bind_int64(put_text, 1, rids[i]);
            sqlite3_bind_blob(put_text, 2, size ? blob : "", (int)size, SQLITE_STATIC);
            rc = sqlite3_step(put_text);
            sqlite3_reset(put_text);
            if (rc != SQLITE_DONE)
                err = sli_store_fail(st, rc, "migrating it to version 2");
        }
        if (!err)
            err = sli_store_pack_raw(st->texts, sli_store_column_text(get, 2), raw.data, raw.len,
                                     &blob, &size);
        if (!err) {
            sqlite3_bind_int64(put_raw, 1, rids[i]);
            sqlite3_bind_blob(put_raw, 2, blob, (int)size, SQLITE_STATIC);
            rc = sqlite3_step(put_raw);
            sqlite3_reset(put_raw);
            if (rc != SQLITE_DONE)
                err = sli_store_fail(st, rc, "migrating it to version 2");
        }
        sqlite3_reset(get);
        sli_buf_clear(&raw);
    }
    sli_store_texts_no_train(st->texts, 0);
    sli_buf_free(&raw);
    free(rids);
    sqlite3_finalize(all);
    sqlite3_finalize(get);
    sqlite3_finalize(put_raw);
    sqlite3_finalize(put_text);
    if (!err)
        err = sli_store_exec(st, "ALTER TABLE articles DROP COLUMN raw;"
                                 "ALTER TABLE articles DROP COLUMN norm;");
    if (!err && st->no_search) /* the index is not wanted: setup_schema notes that */
        err = sli_store_exec(st, TEXT_VIEW_SQL);
    else if (!err)
        err = sli_store_exec(st, fts_sql);
    if (!err && !st->no_search)
        err = sli_store_exec(st, fts_rebuild_sql);
    return err;
}

/* The low 32 bits of column key, sign extended: sli_store_dedup_stored_key in SQL
 * (SQLite has no exclusive or). */
#define NARROW_KEY                                                                         \
    "CASE WHEN (key & 0xFFFFFFFF) >= 0x80000000 THEN (key & 0xFFFFFFFF) - 0x100000000"     \
    " ELSE key & 0xFFFFFFFF END"

/* Version 2 to 3: the dedup index's keys (lsh, paras) narrowed to what version 3 keeps
 * (sli_store_dedup_stored_key, families.c), each table made again in key order. Two keys
 * of one article that narrow to one are one row. */
static const char migrate_v2_sql[] =
    "CREATE TABLE lsh_v3(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO lsh_v3 SELECT " NARROW_KEY ", rid FROM lsh ORDER BY 1, 2;"
    "DROP TABLE lsh;"
    "ALTER TABLE lsh_v3 RENAME TO lsh;"
    "CREATE TABLE paras_v3(key INTEGER NOT NULL, rid INTEGER NOT NULL,"
    "  PRIMARY KEY(key, rid)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO paras_v3 SELECT " NARROW_KEY ", rid FROM paras ORDER BY 1, 2;"
    "DROP TABLE paras;"
    "ALTER TABLE paras_v3 RENAME TO paras;";

/* Version 3 to 4: the search index made again with tokenizer sl_stop, which leaves out
 * the store's stop words (search.c), picked first from the index as it was (its tokens
 * are sl_stop's before any is left out). A store without the index gets it after the
 * migration, as before (setup_schema). */
static sl_error migrate_v3(sl_store *st)
{
    int had_fts = 0, picked = 0;
    sl_error err = table_exists(st, "articles_fts", &had_fts);
    if (err || !had_fts)
        return err;
    err = sli_store_exec(st, "CREATE TABLE IF NOT EXISTS search_stop(term TEXT PRIMARY KEY)"
                             " WITHOUT ROWID;");
    if (!err)
        err = sli_store_search_stop_pick(st, &picked);
    if (!err)
        err = sli_store_exec(st, fts_drop_sql);
    if (!err)
        err = sli_store_exec(st, fts_sql);
    if (!err)
        err = sli_store_exec(st, fts_rebuild_sql);
    return err;
}

/* Version 13 to 14: the search index's triggers only take articles out, the cleaning
 * puts them in, and FTS5 holds more in memory (fts_sql). The index holds what it held:
 * every article of such a store was cleaned in the transaction that added it. */
static sl_error migrate_v13(sl_store *st)
{
    int had_fts = 0;
    sl_error err = table_exists(st, "articles_fts", &had_fts);
    if (!err && had_fts)
        err = sli_store_exec(st, FTS_TRIGGERS_DROP_SQL FTS_HASHSIZE_SQL FTS_TRIGGERS_SQL);
    return err;
}

/* Version 6 to 7: the signatures dropped from sketches (512 bytes an article that nothing
 * read), the table made again in rid order. */
static const char migrate_v6_sql[] =
    "CREATE TABLE sketches_v7("
    "  rid INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,"
    "  shingles INTEGER NOT NULL);"
    "INSERT INTO sketches_v7 SELECT rid, shingles FROM sketches ORDER BY rid;"
    "DROP TABLE sketches;"
    "ALTER TABLE sketches_v7 RENAME TO sketches;";

/* Version 10 to 11: the dedup keys' rows (lsh, paras) packed into blocks (key_blocks.c),
 * the row tables dropped; articles_hash dropped, to be made again on the hash alone. (A store whose version was set back by hand has no rows to
 * pack.) */
static sl_error migrate_v10(sl_store *st)
{
    /* the index on the hash alone, made again in the migration's transaction */
    sl_error err = sli_store_exec(st, "DROP INDEX IF EXISTS articles_hash;"
                                      "CREATE INDEX articles_hash ON articles(hash);"
                                      STORE_KEY_BLOCKS_SQL);
    static const char *const rows[2] = {"lsh", "paras"};
    for (int t = 0; !err && t < 2; t++) {
        int had = 0;
        err = table_exists(st, rows[t], &had);
        if (err || !had)
            continue;
        char blocks[32], source[96], drop[32];
        snprintf(blocks, sizeof blocks, "%s_blocks", rows[t]);
        snprintf(source, sizeof source, "SELECT key, rid FROM %s ORDER BY key, rid", rows[t]);
        snprintf(drop, sizeof drop, "DROP TABLE %s", rows[t]);
        err = sli_store_key_blocks_merge(st, sli_dedup_blocks(), blocks, source);
        if (!err)
            err = sli_store_exec(st, drop);
    }
    return err;
}

/* Version 11 to 12: the term ids of the events' keys and frequencies, which were whole
 * 64-bit hashes, taken to their top 40 bits with the low bit set, as sli_term_id
 * (src/cluster/features.h) makes them now (test_cluster checks the two agree): TERM_ID_SQL.
 * The settled keys (event_keys) and frequencies (term_df) packed into blocks
 * (key_blocks.c), the recent and gone rows kept as rows of term ids. Terms that become
 * one add up their frequencies; their keys' events may then be out of order (and repeated)
 * in a block, which a read sorts until the first settle puts them in order (events.c,
 * ORDERED_COUNTER). The centroids' blobs are left as they are: their older
 * layout is read so (event_blob.c). Each table is read in two ranges of its old order:
 * hashes of the top bit clear (SQLite's non-negative integers) give the lower term ids,
 * each range's ids already in order (its ORDER BY the primary key's), so no sort is
 * needed. */
#define TERM_ID_SQL "((term >> 24) & 1099511627775 | 1)"
#define RECENT_SQL(table, ddl, cols, tail)                                                 \
    "ALTER TABLE " table " RENAME TO " table "_v11;"                                        \
    "CREATE TABLE " table ddl " WITHOUT ROWID;"                                             \
    "INSERT INTO " table " SELECT " cols " FROM " table "_v11 WHERE term >= 0 " tail ";"    \
    "INSERT INTO " table " SELECT " cols " FROM " table "_v11 WHERE term < 0 " tail ";"     \
    "DROP TABLE " table "_v11;"
#define KEYS_SQL(table)                                                                    \
    RECENT_SQL(table,                                                                      \
               "(term INTEGER NOT NULL, event INTEGER NOT NULL, PRIMARY KEY(term, event))", \
               TERM_ID_SQL ", event", "ON CONFLICT DO NOTHING")
#define DF_SQL(table)                                                                      \
    RECENT_SQL(table, "(term INTEGER PRIMARY KEY, n INTEGER NOT NULL)", TERM_ID_SQL ", n",  \
               "ON CONFLICT(term) DO UPDATE SET n = n + excluded.n")
static const char migrate_v11_sql[] =
    EVENT_BLOCKS_SQL KEYS_SQL("event_keys_recent") KEYS_SQL("event_keys_gone")
        DF_SQL("term_df_recent");

static sl_error migrate_v11(sl_store *st)
{
    sl_error err = sli_store_exec(st, migrate_v11_sql);
    const struct {
        const char *rows, *blocks, *value, *order; /* order: the primary key's */
        const store_block_kind *k;
    } packed[2] = {
        {"event_keys", "event_key_blocks", "event", "term, event", sli_event_key_blocks()},
        {"term_df", "term_df_blocks", "n", "term", sli_term_df_blocks()}};
    for (int t = 0; !err && t < 2; t++) {
        int had = 0;
        err = table_exists(st, packed[t].rows, &had);
        for (int half = 0; !err && had && half < 2; half++) {
            char source[160];
            snprintf(source, sizeof source, "SELECT %s, %s FROM %s WHERE term %s 0 ORDER BY %s",
                     TERM_ID_SQL, packed[t].value, packed[t].rows, half ? "< " : ">=",
                     packed[t].order);
            err = sli_store_key_blocks_merge(st, packed[t].k, packed[t].blocks, source);
        }
        if (!err && had) {
            char drop[48];
            snprintf(drop, sizeof drop, "DROP TABLE %s", packed[t].rows);
            err = sli_store_exec(st, drop);
        }
    }
    return err;
}

/* An older store (version 1 to 14) made this version's, in place and in one transaction:
 * a failure leaves it at the version it had, and the next writer tries again. */
static sl_error migrate(sl_store *st)
{
    sl_error err = sli_store_begin(st);
    if (err)
        return err;
    /* Asked again under the lock: another writer that opened it at the same moment may
     * have migrated it while this one waited. */
    int version = 0;
    err = user_version(st, &version);
    if (err || version < 1 || version >= STORE_SCHEMA_VERSION) {
        if (!err)
            err = sli_store_commit(st);
        if (err)
            sli_store_rollback(st);
        return err;
    }
    if (version == 1)
        err = migrate_v1(st);
    if (!err && version <= 2)
        err = sli_store_exec(st, migrate_v2_sql);
    if (!err && version <= 3)
        err = migrate_v3(st); /* the search index's stop words */
    if (!err && version <= 3)
        err = sli_store_facts_migrate_v3(st); /* entity memos, not article_entities */
    if (!err && version <= 4)
        err = sli_store_facts_migrate_v4(st); /* quotes refer to their printings */
    /* 5 to 6: the dedup keys' recent tables, made empty by the schema after this (an
     * older storyline must not write keys where this one does not look, nor miss them:
     * hence a version) */
    /* 6 to 7: the signatures dropped; centroids, summaries and entity memos may be frames
     * from now on (an older storyline would read them as damaged: hence a version) */
    if (!err && version <= 6)
        err = sli_store_exec(st, migrate_v6_sql);
    /* 7 to 8: the event keys' and document frequencies' recent tables (an older storyline
     * would miss the rows there: hence a version), made here, in the migration's
     * transaction, so that no store of version 8 lacks them */
    if (!err && version <= 7)
        err = sli_store_exec(st, EVENT_RECENT_SQL);
    /* 8 to 9: the event keys forgotten (an older storyline would read them as stored, and
     * would not clear them with the events, whose ids then start again), and the line
     * counts' recent table (an older one would miss its counts) */
    if (!err && version <= 8)
        err = sli_store_exec(st, SCHEMA_V9_SQL);
    /* 9 to 10: the events left pending by a batch's slices (an older storyline would
     * leave them without facts) */
    if (!err && version <= 9)
        err = sli_store_exec(st, SCHEMA_V10_SQL);
    /* 10 to 11: the dedup keys packed (an older storyline would find no keys); an input
     * title or date the same as the cleaned one written as an empty blob from now on (an
     * older one would read ""), those stored before left as they are (both read alike) */
    if (!err && version <= 10)
        err = migrate_v10(st);
    /* 11 to 12: term ids of 40 bits, the settled event keys and frequencies packed (an
     * older storyline would find no event by its keys) */
    if (!err && version <= 11)
        err = migrate_v11(st);
    /* 12 to 13: the articles' hashes and date order in tables of their own, their indexes
     * dropped (an older storyline would add articles these tables miss) */
    if (!err && version <= 12)
        err = sli_store_exec(st, article_keys_sql);
    if (!err && version <= 12)
        err = sli_store_article_keys_migrate(st);
    /* 13 to 14: the search index's triggers no longer put articles in (an older storyline
     * would put them in twice, and its cleaning would leave their texts out) */
    if (!err && version <= 13)
        err = migrate_v13(st);
    /* 14 to 15: the settled dedup keys' filter, made here from the blocks (an older
     * storyline would settle keys without deleting it, and a search through it would
     * miss them) */
    if (!err && version <= 14)
        err = sli_store_exec(st, DEDUP_FILTER_SQL);
    if (!err && version <= 14)
        err = sli_store_dedup_keep_filter(st);
    return stamp_and_commit(st, err);
}

/* Create the schema in a new store, or check an existing one. */
static sl_error setup_schema(sl_store *st)
{
    int version;
    sl_error err = user_version(st, &version);
    if (err)
        return err;
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "%s: store schema version %d is newer than this storyline's (%d)", st->path,
                 version, STORE_SCHEMA_VERSION);
        return SL_ERR_STORE_VERSION;
    }
    /* A reader reads a store of STORE_READS_SINCE or later as it is: the versions since
     * changed only what a writer does (14: the search index's triggers; 15: the dedup
     * keys' filter). */
    if (version >= STORE_READS_SINCE && version < STORE_SCHEMA_VERSION && st->readonly)
        return SL_OK;
    if (version >= 1 && version < STORE_SCHEMA_VERSION && st->readonly) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "%s: store schema version %d is older than this storyline's (%d): it cannot"
                 " be read until migrated, which `storyline add` or `storyline clean` with a"
                 " store that can be written does (once, in place)",
                 st->path, version, STORE_SCHEMA_VERSION);
        return SL_ERR_STORE_VERSION;
    }
    if (version >= 1 && version < STORE_SCHEMA_VERSION) {
        err = migrate(st);
        if (err)
            return err;
        version = STORE_SCHEMA_VERSION;
    }
    if (version == STORE_SCHEMA_VERSION) {
        /* Tables added since the store was made are created now (a no-op, and no write,
         * for those that exist). A change to an existing table needs a new version. */
        if (st->readonly)
            return SL_OK;
        /* Facts tables to be made now: the articles held have none (facts.c,
         * sli_store_facts_complete). Forgotten first: the tables made, a failure before
         * it would be seen by no later open. */
        int had_facts = 0, had_counters = 0;
        err = table_exists(st, "article_facts", &had_facts);
        if (!err && !had_facts)
            err = table_exists(st, "counters", &had_counters);
        if (!err && had_counters)
            err = sli_store_exec(st, "DELETE FROM counters WHERE name='facts_complete'");
        if (!err)
            err = sli_store_exec(st, schema_sql);
        if (!err)
            err = sli_store_exec(st, schema2_sql);
        if (!err)
            err = sli_store_exec(st, article_keys_sql);
        int had_fts = 0;
        long long off = 0;
        if (!err)
            err = table_exists(st, "articles_fts", &had_fts);
        if (!err && !had_fts) /* made without it, or it was dropped: so it stays */
            err = sli_store_event_counter(st, SEARCH_OFF_COUNTER, &off);
        if (err || had_fts)
            return err;
        if (off) /* the readers' view only */
            return sli_store_exec(st, TEXT_VIEW_SQL);
        /* The search index is new to this store: made and filled in one transaction, its
         * stop words too, as a build does; or, not wanted (SL_OPEN_NO_SEARCH), the choice
         * noted with the readers' view. */
        err = sli_store_begin(st);
        if (!err && st->no_search) {
            err = sli_store_exec(st, TEXT_VIEW_SQL);
            if (!err)
                err = sli_store_event_set_counter(st, SEARCH_OFF_COUNTER, 1);
        } else if (!err) {
            err = sli_store_exec(st, fts_sql);
            if (!err)
                err = sli_store_search_fill(st);
        }
        if (!err)
            err = sli_store_commit(st);
        if (err)
            sli_store_rollback(st);
        return err;
    }
    if (st->readonly) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "%s: not a storyline store (an SQLite file without its tables)", st->path);
        return SL_ERR_STORE;
    }
    err = sli_store_begin(st);
    if (err)
        return err;
    err = sli_store_exec(st, schema_sql);
    if (!err)
        err = sli_store_exec(st, schema2_sql);
    if (!err)
        err = sli_store_exec(st, article_keys_sql);
    if (!err && st->no_search) {
        err = sli_store_exec(st, TEXT_VIEW_SQL);
        if (!err)
            err = sli_store_event_set_counter(st, SEARCH_OFF_COUNTER, 1);
    } else if (!err) {
        err = sli_store_exec(st, fts_sql);
    }
    return stamp_and_commit(st, err);
}

/* --- the search index, on or off --- */

sl_error sli_store_search_recheck(sl_store *st)
{
    long long v = -1;
    sl_error err = pragma_int(st, "schema_version", &v);
    if (err || v == st->schema_seen)
        return err;
    err = table_exists(st, "articles_fts", &st->has_fts);
    if (err)
        return err;
    st->schema_seen = v;
    sli_store_search_stop_stale(st, 1); /* read again at their next use */
    return SL_OK;
}

int sl_store_has_search(const sl_store *st)
{
    return st && st->has_fts;
}

/* Made: the index over every stored article, its stop words picked from the first
 * texts as a store that had it from the start picked them (sli_store_search_fill).
 * Dropped: its tables and triggers, and the stop words (picked again from the index
 * when it is made again). Either way in one transaction, and the choice noted
 * (SEARCH_OFF_COUNTER) so that no later open makes it by itself. */
sl_error sl_store_set_search(sl_store *st, int on)
{
    if (!st)
        return SL_ERR_INVALID;
    if (st->readonly) {
        sli_store_set_error(st, "the search index cannot be built or dropped through a"
                                " read-only handle");
        return SL_ERR_INVALID;
    }
    if (!sqlite3_get_autocommit(st->db)) {
        sli_store_set_error(st, "the search index cannot be built or dropped while a batch"
                                " is open on this handle");
        return SL_ERR_STATE;
    }
    int was = st->has_fts;
    sl_error err = sli_store_begin(st);
    if (err)
        return err;
    int had = st->has_fts; /* as this transaction sees it (sli_store_search_recheck) */
    if (!err && on && !had) {
        err = sli_store_exec(st, fts_sql);
        if (!err)
            err = sli_store_exec(st, "DELETE FROM search_stop;"
                                     "DELETE FROM counters WHERE name='" SEARCH_OFF_COUNTER "'");
        sli_store_search_stop_stale(st, 1);
        if (!err)
            err = sli_store_search_fill(st);
    } else if (!err && !on) {
        err = sli_store_exec(st, fts_drop_sql);
        if (!err)
            err = sli_store_exec(st, "DELETE FROM search_stop");
        if (!err)
            err = sli_store_event_set_counter(st, SEARCH_OFF_COUNTER, 1);
        sli_store_search_stop_stale(st, 1);
    }
    if (!err)
        err = sli_store_commit(st);
    if (err) {
        sli_store_rollback(st);
        st->has_fts = was;
        st->schema_seen = -1; /* read again at the next transaction */
        return err;
    }
    sli_store_search_free(st); /* what searches learnt of words */
    st->has_fts = on != 0;
    return SL_OK;
}

static sl_error table_exists(sl_store *st, const char *name, int *exists)
{
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1",
                                 &s);
    if (err)
        return err;
    sli_store_bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    *exists = rc == SQLITE_ROW;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SL_OK : sli_store_fail(st, rc, "reading schema");
}

/* A batch that took the store alone (a rollback journal: article_write.c) and was killed
 * leaves a hot journal, which only a writer can roll back. Before a read-only open, a
 * journal beside the store is handed to a short-lived writer: it rolls it back and puts
 * the store back in WAL mode. A live batch is never rolled back (SQLite does not take
 * the journal of a writer that holds its lock for a hot one); the read-only open then
 * meets the lock as readers do. A store in a read-only directory cannot be recovered
 * this way: its open fails until a writer can open it. */
static void recover_journal(const char *path)
{
    char journal[4096];
    struct stat sb;
    if ((size_t)snprintf(journal, sizeof journal, "%s-journal", path) >= sizeof journal ||
        stat(journal, &sb) != 0 || sb.st_size == 0)
        return;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        /* A second reader recovering at the same moment holds the lock briefly: wait
         * for it; a live batch holds it long: then the switch below fails at once. */
        sqlite3_busy_timeout(db, 1000);
        if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) ==
            SQLITE_OK) {
            sqlite3_busy_timeout(db, 0);
            sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        }
    }
    sqlite3_close(db);
}

/* A store this open created, and failed to set up (out of memory, a full disk), is
 * removed with its side files: left behind, it would be a file without a schema, which
 * a read-only open refuses. What failed never held anything. */
static void remove_new_store(const char *path)
{
    static const char *const side[] = {"-wal", "-shm", "-journal"};
    char name[4096];
    for (size_t i = 0; i < sizeof side / sizeof side[0]; i++)
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, side[i]) < sizeof name)
            remove(name);
    remove(path);
}

/* After a failed open: is the file damaged? PRAGMA quick_check on its own read-only
 * connection says (a file that is not an SQLite database fails it too). When it is,
 * st->errmsg is rewritten to name the store as damaged, with SQLite's reason (`sqlmsg`,
 * from the failed open) and what to do. */
static void diagnose(sl_store *st, const char *sqlmsg)
{
    sqlite3 *db = NULL;
    char check[160] = "";
    int damaged = 0;
    int rc = sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *s = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        if (r && strcmp(r, "ok")) {
            damaged = 1;
            snprintf(check, sizeof check, "%s", r);
        } else if (r) {
            rc = SQLITE_OK;
        }
    }
    if (!damaged && rc != SQLITE_OK) {
        int primary = (db ? sqlite3_extended_errcode(db) : rc) & 0xFF;
        damaged = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
        snprintf(check, sizeof check, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (!damaged)
        return;
    int same = !strcmp(check, sqlmsg);
    int n = snprintf(st->errmsg, sizeof st->errmsg,
                     "%s is damaged, or not a storyline store (%s%s%s): " STORE_DAMAGED_ADVICE,
                     st->path, sqlmsg, same ? "" : "; PRAGMA quick_check: ", same ? "" : check);
    (void)n; /* a long path cuts the end of the message, not its start */
}

/* Whether the open's failure may come from a damaged file, and so is worth the
 * PRAGMA quick_check of diagnose() (a scan of the whole store): not when SQLite named
 * another cause (no permission, a read-only file system, a full disk, a lock, memory). */
static int may_be_damage(sqlite3 *db)
{
    switch (sqlite3_extended_errcode(db) & 0xFF) {
    case SQLITE_CANTOPEN: case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH:
    case SQLITE_FULL: case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_NOMEM:
        return 0;
    default:
        return 1;
    }
}

sl_error sl_store_open_msg(const char *path, unsigned flags, sl_store **out, char *errbuf,
                           size_t errbuf_size)
{
    if (errbuf && errbuf_size)
        errbuf[0] = '\0';
    if (!out)
        return SL_ERR_INVALID;
    *out = NULL;
    if (!path || !*path)
        return SL_ERR_INVALID;
    int readonly = (flags & SL_OPEN_READONLY) != 0;
    if (!(flags & SL_OPEN_CREATE) && access(path, F_OK) != 0) {
        if (errbuf && errbuf_size)
            snprintf(errbuf, errbuf_size, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? SL_ERR_NOT_FOUND : SL_ERR_STORE;
    }

    sl_store *st = calloc(1, sizeof *st);
    if (!st)
        return SL_ERR_NOMEM;
    st->readonly = readonly;
    st->no_search = (flags & SL_OPEN_NO_SEARCH) != 0;
    st->schema_seen = -1;
    st->path = strdup(path);
    if (!st->path) {
        free(st);
        return SL_ERR_NOMEM;
    }
    if (readonly)
        recover_journal(path);
    /* Made here, or there already? Decided by O_EXCL, not by a look beforehand: a store
     * that another process makes between a look and the open is never taken for ours
     * and removed when this open fails. Nothing below returns before that removal. */
    int created = 0;
    if ((flags & SL_OPEN_CREATE) && !readonly && strcmp(path, ":memory:") != 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            created = 1;
            close(fd);
        }
    }
    /* NOMUTEX: a handle is used by one thread at a time (storyline.h), so SQLite need not
     * lock the connection at every call (2% of a batch's main thread: docs/profile.md,
     * "Eighteenth round") */
    int oflags = SQLITE_OPEN_NOMUTEX |
                 (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    sl_error err = SL_OK;
    /* Not found only when the file is gone (removed since the check above): one that is
     * there but cannot be opened (no permission to read it, a hot journal that cannot be
     * rolled back) says why, with the system's reason. */
    if (rc != SQLITE_OK)
        err = rc == SQLITE_CANTOPEN && readonly && access(path, F_OK) != 0 && errno == ENOENT
                  ? SL_ERR_NOT_FOUND
                  : sli_store_fail(st, rc, "opening it");
    if (!err && created && STORE_PAGE_SIZE != 4096) {
        /* a new store's page size, before anything is written (docs/store.md) */
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA page_size=%d", STORE_PAGE_SIZE);
        rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            err = sli_store_fail(st, rc, "opening it");
    }
    if (!err) {
        sqlite3_extended_result_codes(st->db, 1);
        /* Wait a little for another writer instead of failing at once. */
        sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
        rc = sqlite3_exec(st->db, readonly ? "PRAGMA query_only=1"
                                           : "PRAGMA journal_mode=WAL;"
                                             "PRAGMA synchronous=NORMAL;"
                                             "PRAGMA foreign_keys=ON;",
                          NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            err = sli_store_fail(st, rc, "opening it");
    }
    if (!err) {
        rc = sqlite3_exec(st->db, "PRAGMA cache_size=-65536;" /* 64 MiB page cache */
                                  "PRAGMA temp_store=MEMORY;PRAGMA mmap_size=2147418112;",
                          NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            err = sli_store_fail(st, rc, "opening it");
    }
    /* A writer of a store larger than the map reads every page with pread, through its
     * page cache: 256 MiB then (STORE_CACHE_LARGE_KIB; docs/tuned-constants.md), and no
     * map. The map would cover under half such a store, and in a new process each page
     * it touches is a fault that reads the device's read-ahead around it (8 MB on the
     * project's machine): a cold +1,000 into a million read 2.6 GB with the map, 1.0 GB
     * without (docs/store.md). A reader, or a smaller store, keeps 64 MiB and the map (but
     * the facts stage's snapshot: 16 MiB, no map, sli_store_snapshot). */
    long long pages = 0, page = 0;
    if (!err && !readonly && !(err = pragma_int(st, "page_count", &pages)) &&
        !(err = pragma_int(st, "page_size", &page)) && pages * page > STORE_MAP_BYTES) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d;PRAGMA mmap_size=0",
                 STORE_CACHE_LARGE_KIB);
        rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            err = sli_store_fail(st, rc, "opening it");
        st->cache_scaled = !err;
    }
    if (!err && !(st->texts = sli_store_texts_new(st->db)))
        err = SL_ERR_NOMEM;
    if (!err)
        err = sli_store_texts_register(st);
    if (!err)
        err = sli_store_facts_functions(st);
    if (!err)
        err = sli_store_digest_functions(st);
    if (!err)
        err = sli_store_search_register(st);
    if (!err)
        err = setup_schema(st);
    if (!err)
        err = table_exists(st, "raws", &st->has_raws);
    if (!err)
        err = table_exists(st, "events", &st->has_events);
    if (!err)
        err = table_exists(st, "article_facts", &st->has_facts);
    if (!err)
        err = table_exists(st, "entity_memos", &st->has_memos);
    if (!err)
        err = table_exists(st, "pages", &st->has_pages);
    if (!err)
        err = table_exists(st, "articles_fts", &st->has_fts);
    if (!err)
        err = table_exists(st, "event_digests", &st->has_digests);
    if (err) {
        if (err == SL_ERR_NOT_FOUND && !st->errmsg[0])
            snprintf(st->errmsg, sizeof st->errmsg, "%s: cannot open: %s", path,
                     sqlite3_errstr(rc));
        if (err == SL_ERR_STORE && st->db && may_be_damage(st->db)) {
            char sqlmsg[256];
            snprintf(sqlmsg, sizeof sqlmsg, "%s", sqlite3_errmsg(st->db));
            sqlite3_close(st->db); /* its locks and file handles, before the check */
            st->db = NULL;
            diagnose(st, sqlmsg);
        }
        if (errbuf && errbuf_size)
            snprintf(errbuf, errbuf_size, "%s", st->errmsg);
        sl_store_free(st);
        if (created && err != SL_ERR_BUSY) /* busy: another opened what we made */
            remove_new_store(path);
        return err;
    }
    *out = st;
    return SL_OK;
}

sl_error sl_store_open(const char *path, unsigned flags, sl_store **out)
{
    return sl_store_open_msg(path, flags, out, NULL, 0);
}

void sli_store_copy_error(sl_store *to, const sl_store *from)
{
    if (to && from && from->errmsg[0])
        memcpy(to->errmsg, from->errmsg, sizeof to->errmsg);
}

sl_error sli_store_snapshot(sl_store *st, sl_store **out)
{
    *out = NULL;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "PRAGMA journal_mode", &s);
    if (err)
        return err;
    int wal = sqlite3_step(s) == SQLITE_ROW && sli_store_column_text(s, 0) &&
              strcmp(sli_store_column_text(s, 0), "wal") == 0;
    sqlite3_finalize(s);
    sl_store *ro = NULL;
    if (!wal || sl_store_open(st->path, SL_OPEN_READONLY, &ro) != SL_OK)
        return SL_OK;
    /* A small page cache: the snapshot reads each event's rows once, so it needs little
     * more than the b-trees' upper pages, and each page of its cache is memory touched
     * for the first time (sli_store_cache_for above). With a reader's 64 MiB, the old
     * quotes of +1,000 into a million filled it and the writer waited for them
     * (docs/profile.md, "Twenty-ninth round"). */
    int own = 0;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA mmap_size=0;PRAGMA cache_size=-%d", STORE_CACHE_SMALL_KIB);
    if (sqlite3_exec(ro->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sli_store_read_begin(ro, &own) != SL_OK ||
        sqlite3_exec(ro->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK) {
        sl_store_free(ro); /* its read, if begun, ends with it */
        return SL_OK;
    }
    *out = ro;
    return SL_OK;
}

void sl_store_free(sl_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < STORE_CACHED; i++)
        sqlite3_finalize(st->cache[i].s);
    sli_store_search_free(st);
    sli_store_settled_filter_forget(st); /* its blob handle, if open: before the close */
    sqlite3_close(st->db);
    sli_store_search_stop_free(st); /* after the tokenizers the connection made */
    sli_store_texts_free(st->texts);
    sli_store_key_filter_drop(st);
    free(st->get_sql);
    free(st->path);
    free(st);
}

const char *sl_store_errmsg(const sl_store *st)
{
    return st ? st->errmsg : "";
}

/* PRAGMA data_version: changes on this connection whenever another one has committed. */
sl_error sl_store_data_version(sl_store *st, long long *out)
{
    if (!st || !out)
        return SL_ERR_INVALID;
    sqlite3_stmt *s;
    sl_error err = sli_store_prepare(st, "PRAGMA data_version", &s);
    if (err)
        return err;
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SL_OK : sli_store_fail(st, rc, "reading the data version");
}
