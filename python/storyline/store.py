"""A store: open it, add batches, read what it holds as Python objects."""

import json
import os
from dataclasses import dataclass, field
from typing import List, Optional

from ._native import ffi, lib
from ._util import Calls, Sink, c_body, c_path, c_text, path_of, text_of, texts_of
from .errors import StorylineError, check, error_for


@dataclass
class Article:
    id: str
    source: str
    url: Optional[str]
    date: Optional[str]
    title: Optional[str]
    byline: Optional[str]
    credit: Optional[str]
    family: Optional[str]
    event: Optional[str]
    origin: Optional[str]
    chars_raw: int
    chars_clean: int
    batch: int
    text: Optional[str] = None  # with text=True
    raw: Optional[str] = None  # with raw=True
    facts: Optional[dict] = None  # with facts=True (None when never extracted)
    meta: Optional[dict] = None  # the input's fields storyline does not read
    lang: Optional[str] = None
    site_name: Optional[str] = None
    charset: Optional[str] = None
    date_source: Optional[str] = None


@dataclass
class Member:
    article: str
    jaccard: float
    containment: float
    relation: str  # "origin", "copy", "contained", "rewrite"


@dataclass
class Family:
    id: str
    members: List[Member]  # the origin first

    @property
    def origin(self):
        return self.members[0].article


@dataclass
class EventArticle:
    id: str
    source: str
    date: Optional[str]
    family: Optional[str]
    relation: Optional[str]


@dataclass
class Event:
    id: str
    storyline: str
    headline: Optional[str]
    date_first: Optional[str]
    date_last: Optional[str]
    articles: List[EventArticle]  # the timeline: by day, each family's origin first
    summary: List[str]


@dataclass
class Variant:
    text: str
    articles: List[str]
    sources: List[str]
    dates: List[Optional[str]]


@dataclass
class Quote:
    id: str
    event: str
    text: str
    speaker: Optional[str]
    kind: str  # "speech" or "phrase"
    variants: List[Variant] = field(default_factory=list)


@dataclass
class Entity:
    name: str
    type: str  # "person", "org", "place"
    count: int


@dataclass
class Fact:
    kind: str  # "quote", "entity", "amount", "date"
    text: str
    speaker: Optional[str]
    type: Optional[str]
    date: Optional[str]
    value: float


@dataclass
class Hit:
    id: str
    title: Optional[str]
    source: str
    date: Optional[str]
    event: Optional[str]
    snippet: str  # matched words between \x02 and \x03
    rank: float


@dataclass
class Report:
    """One input skipped by a batch: the file, its line and byte offset where known."""

    code: str
    path: str
    line: int
    offset: int
    detail: str


@dataclass
class BatchSummary:
    added: int
    updated: int
    present: int
    skipped: int
    empty: int
    files: int
    bytes: int
    seconds: float
    slices: int
    reports: List[Report]


def _article(a):
    facts, meta = text_of(a.facts), text_of(a.meta)

    return Article(
        id=text_of(a.id), source=text_of(a.source), url=text_of(a.url), date=text_of(a.date),
        title=text_of(a.title), byline=text_of(a.byline), credit=text_of(a.credit),
        family=text_of(a.family), event=text_of(a.event), origin=text_of(a.origin),
        chars_raw=a.chars_raw, chars_clean=a.chars_clean, batch=a.batch, text=text_of(a.text),
        raw=text_of(a.raw), facts=json.loads(facts) if facts is not None else None,
        meta=json.loads(meta) if meta is not None else None, lang=text_of(a.lang),
        site_name=text_of(a.site_name), charset=text_of(a.charset),
        date_source=text_of(a.date_source))


def _event(e):
    n = e.n
    ids, sources, dates = texts_of(e.articles, n), texts_of(e.sources, n), texts_of(e.dates, n)
    families, relations = texts_of(e.families, n), texts_of(e.relations, n)
    return Event(
        id=text_of(e.id), storyline=text_of(e.storyline), headline=text_of(e.headline),
        date_first=text_of(e.date_first), date_last=text_of(e.date_last),
        articles=[EventArticle(ids[i], sources[i], dates[i], families[i], relations[i])
                  for i in range(n)],
        summary=texts_of(e.summary, e.n_summary))


def _with(text, raw, facts):
    return ((lib.SL_WITH_TEXT if text else 0) | (lib.SL_WITH_RAW if raw else 0)
            | (lib.SL_WITH_FACTS if facts else 0))


class Store:
    """An open store (sl_store). Use as a context manager, or close() it.

    Store(path) opens it for writing, creating it when absent (create=False: it must
    exist); readonly=True never writes. A store of an older version is migrated in place
    by a writer's open. search=False: a store made by this open has no full-text search
    index (the `search_index` property turns it on or off later). One thread at a time
    per Store: open one per thread."""

    def __init__(self, path, create=True, readonly=False, search=True):
        flags = lib.SL_OPEN_READONLY if readonly else (lib.SL_OPEN_CREATE if create else 0)
        if not search:
            flags |= lib.SL_OPEN_NO_SEARCH
        out = ffi.new("sl_store **")
        msg = ffi.new("char[]", lib.SL_ERRMSG_SIZE)
        rc = lib.sl_store_open_msg(c_path(path), flags, out, msg,
                                   lib.SL_ERRMSG_SIZE)
        if rc != lib.SL_OK:
            raise error_for(rc, text_of(msg))
        self._st = out[0]
        self.path = os.fspath(path)

    def close(self):
        if self._st is not None:
            lib.sl_store_free(self._st)
            self._st = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _handle(self):
        if self._st is None:
            raise ValueError("the store is closed")
        return self._st

    def _check(self, rc):
        check(rc, lambda: text_of(lib.sl_store_errmsg(self._st)))

    def errmsg(self):
        """The detail of the last failure on this store ("" if none)."""
        return text_of(lib.sl_store_errmsg(self._handle()))

    # --- adding ---

    def add(self, paths=(), articles=(), slice_articles=0, progress=None, records=(),
            slice_grow=0):
        """One batch: every file or directory of `paths` (plain text, JSON Lines, HTML,
        WARC; "-" for standard input), then every dict of `articles` (keys id and text
        required; source, url, date, title optional), then every record (bytes) that
        storyline.read_records gave, committed as one transaction (with
        slice_articles > 0, a transaction every that many articles, or with slice_grow
        > 0 at least 1/slice_grow of the store's: as `storyline add` slices a batch,
        SL_SLICE_DEFAULT_ARTICLES and SL_SLICE_DEFAULT_GROW). Inputs that cannot be
        read are skipped and listed in the summary's `reports` with file and position;
        anything that stops the batch (the store, memory) raises and rolls it back.
        progress: called with a dict of the C sl_progress fields now and then; an exception
        it raises while the inputs are read is raised when the path being read is done,
        and the batch is rolled back; one it raises in the commit's stages ("cleaning",
        "matching", ...) is raised after the commit: the batch is then stored."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        if isinstance(articles, dict):
            articles = [articles]
        st = self._handle()
        reports = []
        calls = Calls()

        def on_report(user, r):
            reports.append(Report(
                code=StorylineError(r.code).name, path=path_of(r.path), line=r.line,
                offset=r.offset, detail=text_of(r.detail)))

        def on_progress(user, p):
            progress({"articles": p.articles, "bytes_done": p.bytes_done,
                      "bytes_total": p.bytes_total, "path": path_of(p.path),
                      "stage": text_of(p.stage), "stage_done": p.stage_done,
                      "stage_total": p.stage_total})

        report_cb = ffi.callback("sl_report_fn", calls.guard_void(on_report))
        progress_cb = (ffi.callback("sl_progress_fn", calls.guard_void(on_progress))
                       if progress else ffi.NULL)
        opts = ffi.new("sl_ingest_options *")
        opts.on_report = report_cb
        opts.on_progress = progress_cb
        opts.slice_articles = int(slice_articles)
        opts.slice_grow = int(slice_grow)
        out = ffi.new("sl_batch **")
        self._check(lib.sl_batch_begin(st, opts, out))
        batch = out[0]
        try:
            for p in paths:
                self._check(lib.sl_batch_add_path(batch, c_path(p)))
                calls.reraise()
            for a in articles:
                self._add_article(batch, a)
                calls.reraise()
            for r in records:
                if not isinstance(r, (bytes, bytearray, memoryview)):
                    raise TypeError("a record is bytes, not %s" % type(r).__name__)
                view = memoryview(r).cast("B")  # bytes, whatever the view's items
                self._check(lib.sl_batch_add_record(batch, ffi.from_buffer(view),
                                                    view.nbytes))
                calls.reraise()
            calls.reraise()  # before the commit: the batch is rolled back
            s = ffi.new("sl_batch_summary *")
            self._check(lib.sl_batch_commit(batch, s))
            calls.reraise()
        finally:
            lib.sl_batch_free(batch)
        return BatchSummary(added=s.added, updated=s.updated, present=s.present,
                            skipped=s.skipped, empty=s.empty, files=s.files, bytes=s.bytes,
                            seconds=s.seconds, slices=s.slices, reports=reports)

    def _add_article(self, batch, a):
        if not isinstance(a, dict):
            raise TypeError("an article is a dict, not %s" % type(a).__name__)
        unknown = set(a) - {"id", "source", "url", "date", "title", "text"}
        if unknown:
            raise ValueError("unknown article keys: %s" % ", ".join(sorted(unknown)))
        if a.get("id") is None or a.get("text") is None:
            raise ValueError("an article needs an id and a text")
        keep = {}
        for k in ("id", "source", "url", "date", "title", "text"):
            b = c_body(a[k], k) if k == "text" else c_text(a.get(k), k)
            keep[k] = b if b is ffi.NULL else ffi.new("char[]", b)  # alive until the call returns
        inp = ffi.new("sl_article_input *")
        inp.id, inp.source, inp.url = keep["id"], keep["source"], keep["url"]
        inp.date, inp.title, inp.text = keep["date"], keep["title"], keep["text"]
        inp.text_len = len(keep["text"]) - 1  # without the NUL ffi.new added
        self._check(lib.sl_batch_add_article(batch, inp))

    # --- reading ---

    def article(self, id, text=True, raw=False, facts=False):
        """One article by id (NotFoundError when absent)."""
        out = ffi.new("sl_article **")
        self._check(lib.sl_store_get_article(self._handle(), c_text(id, "id"),
                                             _with(text, raw, facts), out))
        try:
            return _article(out[0])
        finally:
            lib.sl_article_free(out[0])

    def _collect(self, fn_type, item, call):
        """What the library hands to a callback of C type fn_type, one call an item, each
        made a Python object by item(its C arguments but the user pointer), in the order
        given: call(callback) makes the C call and returns its code. An exception item
        raises stops the iteration and is raised here; a failed call raises its error."""
        got, calls = [], Calls()
        cb = ffi.callback(fn_type, calls.guard(lambda user, *c: got.append(item(*c))))
        rc = call(cb)
        calls.reraise()
        self._check(rc)
        return got

    def articles(self, text=False, raw=False, facts=False):
        """Every article, by date (undated last), then source, then id: a list."""
        st, how = self._handle(), _with(text, raw, facts)
        return self._collect("sl_article_fn", _article,
                             lambda cb: lib.sl_store_each_article(st, how, cb, ffi.NULL))

    def families(self):
        """Every family of two or more articles, in the order they were founded."""
        def family(fid, m, n):
            return Family(text_of(fid), [
                Member(text_of(m[i].article), m[i].jaccard, m[i].containment,
                       text_of(m[i].relation)) for i in range(n)])

        st = self._handle()
        return self._collect("sl_family_fn", family,
                             lambda cb: lib.sl_store_each_family(st, cb, ffi.NULL))

    def events(self):
        """Every event, newest first."""
        st = self._handle()
        return self._collect("sl_event_fn", _event,
                             lambda cb: lib.sl_store_each_event(st, cb, ffi.NULL))

    def event(self, id):
        """One event ("E12" or "12"; NotFoundError when absent)."""
        st, key = self._handle(), c_text(str(id), "id")
        return self._collect("sl_event_fn", _event,
                             lambda cb: lib.sl_store_get_event(st, key, cb, ffi.NULL))[0]

    def quotes(self, event=None):
        """The quotes of one event, or of every event (event None), by id."""
        def quote(q):
            return Quote(
                id=text_of(q.id), event=text_of(q.event), text=text_of(q.text),
                speaker=text_of(q.speaker), kind=text_of(q.kind),
                variants=[Variant(text_of(v.text), texts_of(v.articles, v.n),
                                  texts_of(v.sources, v.n), texts_of(v.dates, v.n))
                          for v in (q.variants[i] for i in range(q.n_variants))])

        st, key = self._handle(), c_text(event, "event")
        return self._collect("sl_quote_fn", quote,
                             lambda cb: lib.sl_store_each_quote(st, key, cb, ffi.NULL))

    def entities(self, event):
        """The entities of an event, most mentioned first."""
        st, key = self._handle(), c_text(event, "event")
        return self._collect(
            "sl_entity_fn", lambda e: Entity(text_of(e.name), text_of(e.type), e.count),
            lambda cb: lib.sl_store_event_entities(st, key, cb, ffi.NULL))

    def facts(self, id):
        """The facts of an article: quotes, then entities, amounts and dates."""
        def fact(f):
            return Fact(text_of(f.kind), text_of(f.text), text_of(f.speaker),
                        text_of(f.type), text_of(f.date), f.value)

        st, key = self._handle(), c_text(id, "id")
        return self._collect("sl_fact_fn", fact,
                             lambda cb: lib.sl_store_article_facts(st, key, cb, ffi.NULL))

    @property
    def search_index(self):
        """Whether the store has its full-text search index; set it to build or drop it
        (sl_store_set_search: building reads every stored article)."""
        return bool(lib.sl_store_has_search(self._handle()))

    @search_index.setter
    def search_index(self, on):
        self._check(lib.sl_store_set_search(self._handle(), 1 if on else 0))

    def compact(self):
        """Rewrite the store's file without its free pages (sl_store_compact: SQLite's
        VACUUM); returns its bytes before and after, as a tuple."""
        before, after = ffi.new("long long *"), ffi.new("long long *")
        self._check(lib.sl_store_compact(self._handle(), before, after))
        return before[0], after[0]

    def search(self, q, limit=20, offset=0):
        """Articles holding every word of q, best first (at most `limit`); without the
        search index (search_index False) it raises, saying how to build it."""
        def hit(h):
            return Hit(text_of(h.id), text_of(h.title), text_of(h.source), text_of(h.date),
                       text_of(h.event), text_of(h.snippet), h.rank)

        st, key = self._handle(), c_text(q, "q")
        rng = ffi.new("sl_range *")
        rng.offset, rng.limit = int(offset), int(limit)
        return self._collect("sl_hit_fn", hit,
                             lambda cb: lib.sl_store_search(st, key, rng, cb, ffi.NULL))

    def stats(self):
        """The store's statistics as `storyline stats --json` gives them (a dict)."""
        sink = Sink()
        self._check(lib.sl_write_stats(self._handle(), sink.fn, sink.user))
        return sink.json()

    def export_events(self):
        """Every event as the JSON objects of docs/output.md (a list of dicts)."""
        sink = Sink()
        self._check(lib.sl_write_events(self._handle(), sink.fn, sink.user))
        return sink.json()
