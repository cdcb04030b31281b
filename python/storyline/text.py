"""The per-article stages on one text, without a store (the C library's sl_text_tools).

Each function gives what a batch does to an article, as a dict: `clean` (title, date,
byline, credit, cleaned text), `sketch` (MinHash signature, LSH band keys, paragraph
keys), `features` (the events stage's weighted terms by view) and `facts` (quotes,
entities, amounts, dates). Keys are 64-bit and come as 16 hexadecimal digits.
"""

import threading

from ._native import ffi, lib
from ._util import Sink, c_body, c_text
from .errors import check


class LineCounts:
    """The cleaner's repetition statistics without a store (sl_line_counts): count the
    lines of articles here, merge counts made elsewhere (`to_json` / `merge`), then clean
    against them (TextTools.clean(..., counts=, source=)) as one batch of all of them
    would: lines repeated across a site's articles are its template."""

    def __init__(self, data=None):
        out = ffi.new("sl_line_counts **")
        check(lib.sl_line_counts_create(out))
        self._c = ffi.gc(out[0], lib.sl_line_counts_free)
        self._lock = threading.Lock()
        if data is not None:
            self.merge(data)

    def add(self, source, raw):
        """Count the lines of one article's raw text from `source`."""
        b = c_body(raw, "raw")
        with self._lock:
            check(lib.sl_line_counts_add(self._c, c_text(source, "source"), b, len(b)))

    def to_json(self, part=0, parts=1, repeated=False, kept=None):
        """The counts as JSON bytes, for merge() elsewhere: all of them, or part `part` of
        `parts` (the lines whose hash modulo parts is part; part 0 names every source with
        its articles, another part only the sources its lines name: the parts merged are
        the whole); with `repeated`, only the lines printed by enough articles to change a
        cleaning, the others cleaning alike counted or not (sl_line_counts_write_part).
        kept: a LineTally holding the repeated lines' keys of every part: all the counts
        of those lines only (sl_line_counts_write_kept; part, parts and repeated not
        given)."""
        sink = Sink()
        with self._lock:
            if kept is not None:
                if (part, parts, repeated) != (0, 1, False):
                    raise ValueError("kept= writes every part of the kept lines")
                with kept._lock:
                    check(lib.sl_line_counts_write_kept(self._c, kept._t, sink.fn, sink.user))
            elif parts == 1 and part == 0 and not repeated:
                check(lib.sl_line_counts_write(self._c, sink.fn, sink.user))
            else:
                check(lib.sl_line_counts_write_part(self._c, part, parts, 1 if repeated else 0,
                                                    sink.fn, sink.user))
        return sink.bytes()

    def add_record(self, record):
        """Count the lines of a record (bytes, as storyline.read_records gives it) under
        its source."""
        b = c_body(record, "record")
        with self._lock:
            check(lib.sl_line_counts_add_record(self._c, b, len(b)))

    def lines(self, part=0, parts=1):
        """The distinct lines of part `part` of `parts`, each as a 32-bit key with its
        articles capped at three, packed (about 3 bytes a line): the first round of a
        merge that leaves the lines printed once at home (LineTally)."""
        sink = Sink()
        with self._lock:
            check(lib.sl_line_counts_write_lines(self._c, part, parts, sink.fn, sink.user))
        return sink.bytes()

    def merge(self, data):
        """Add the counts another to_json() wrote."""
        b = c_body(data, "data")
        with self._lock:
            check(lib.sl_line_counts_merge(self._c, b, len(b)))


class LineTally:
    """The lines that three articles or more print, found from every shard's lines
    (LineCounts.lines) without their counts (sl_line_tally): add the blobs of one part from
    every shard, and `repeated()` gives the keys of those lines, a blob of the same form;
    add every part's to one tally and give it to LineCounts.to_json(kept=) on each shard."""

    def __init__(self):
        out = ffi.new("sl_line_tally **")
        check(lib.sl_line_tally_create(out))
        self._t = ffi.gc(out[0], lib.sl_line_tally_free)
        self._lock = threading.Lock()

    def add(self, blob):
        """Add a blob of LineCounts.lines or LineTally.repeated (bytes); a blob that is
        not one raises (SL_ERR_INVALID) and adds nothing."""
        b = c_body(blob, "blob")
        with self._lock:
            check(lib.sl_line_tally_add(self._t, b, len(b)))

    def repeated(self):
        """The keys of the lines three articles or more print, as a blob (bytes)."""
        sink = Sink()
        with self._lock:
            check(lib.sl_line_tally_write_repeated(self._t, sink.fn, sink.user))
        return sink.bytes()


class TextTools:
    """One sl_text_tools: the facts' gazetteer and word list, a stemmer, scratch space.
    Creating one reads Debian's data files (tens of milliseconds): keep one and use it for
    many texts, one per thread (the module functions keep one per thread)."""

    def __init__(self):
        out = ffi.new("sl_text_tools **")
        check(lib.sl_text_tools_create(out))
        self._t = ffi.gc(out[0], lib.sl_text_tools_free)
        # cffi lets go of the GIL in C calls: one call at a time on the handle, and no
        # free during a call (its scratch space is one).
        self._lock = threading.Lock()

    def close(self):
        """Free the C handle now (else when the object is collected)."""
        with self._lock:
            if self._t is not None:
                ffi.release(self._t)
                self._t = None

    def _handle(self):
        if self._t is None:
            raise ValueError("the TextTools are closed")
        return self._t

    def clean(self, text, title=None, counts=None, source=None):
        """Clean a raw article text (lines separated by newlines). title: the input's own,
        or None to find one. {"title", "date", "byline", "credit", "text", "lines",
        "kept"}. Per-site templates are learnt from repetition across a site's articles:
        give `counts` (LineCounts that counted this article among the others) and its
        `source` to clean as a batch of all of them would; without, none are found."""
        raw = c_body(text, "text")
        sink = Sink()
        with self._lock:
            if counts is None:
                check(lib.sl_write_text_clean(self._handle(), raw, len(raw),
                                              c_text(title, "title"), sink.fn, sink.user))
            else:
                with counts._lock:
                    check(lib.sl_write_text_clean_counted(
                        self._handle(), counts._c, c_text(source, "source"), raw, len(raw),
                        c_text(title, "title"), sink.fn, sink.user))
        return sink.json()

    def clean_record(self, record, counts=None):
        """Clean a record (bytes, as storyline.read_records gives it) as the batch that
        stores it cleans it: an HTML page with its structure hints, the date and byline
        resolved as the store resolves them (sl_write_record_clean). counts: LineCounts
        that counted this record among the others (LineCounts.add_record), or None. The
        dict of clean() with "id", "source", "url" and "origin" besides."""
        b = c_body(record, "record")
        sink = Sink()
        with self._lock:
            if counts is None:
                check(lib.sl_write_record_clean(self._handle(), ffi.NULL, b, len(b), sink.fn,
                                                sink.user))
            else:
                with counts._lock:
                    check(lib.sl_write_record_clean(self._handle(), counts._c, b, len(b),
                                                    sink.fn, sink.user))
        return sink.json()

    def record_fields(self, record):
        """A record's fields as the batch would store them, before cleaning (bytes, as
        storyline.read_records gives it): {"id", "source", "url", "date", "title",
        "origin", "text_hash" (by which a batch finds a text present)}
        (sl_write_record_fields). A blob that is not a record raises."""
        b = c_body(record, "record")
        sink = Sink()
        with self._lock:
            check(lib.sl_write_record_fields(self._handle(), b, len(b), sink.fn, sink.user))
        return sink.json()

    def sketch(self, text):
        """The dedup keys of a cleaned text: {"shingles", "signature" (128 integers),
        "bands" (32 keys), "paragraphs" (keys of its lines of ten words or more)}."""
        raw = c_body(text, "text")
        sink = Sink()
        with self._lock:
            check(lib.sl_write_text_sketch(self._handle(), raw, len(raw), sink.fn, sink.user))
        return sink.json()

    def compare(self, a, b):
        """Two cleaned texts compared as the dedup stage verifies a candidate pair:
        {"shingles", "other_shingles", "jaccard", "containment", "match", "copy"}
        (sl_write_text_compare)."""
        ba, bb = c_body(a, "a"), c_body(b, "b")
        sink = Sink()
        with self._lock:
            check(lib.sl_write_text_compare(self._handle(), ba, len(ba), bb, len(bb), sink.fn,
                                            sink.user))
        return sink.json()

    def features(self, text, title=None):
        """The events stage's features of a cleaned text and its title: {"title", "body",
        "names", "details", "quotes"}, each a list of [term, weight], heaviest first."""
        raw = c_body(text, "text")
        sink = Sink()
        with self._lock:
            check(lib.sl_write_text_features(self._handle(), c_text(title, "title"), raw, len(raw),
                                             sink.fn, sink.user))
        return sink.json()

    def facts(self, text, title=None, date=None):
        """The facts of a cleaned text: {"quotes", "entities", "amounts", "dates"} as an
        article's `facts` (docs/output.md); date ("YYYY-MM-DD") resolves relative dates."""
        raw = c_body(text, "text")
        sink = Sink()
        with self._lock:
            check(lib.sl_write_text_facts(self._handle(), c_text(title, "title"), raw, len(raw),
                                          c_text(date, "date"), sink.fn, sink.user))
        return sink.json()


_local = threading.local()


def _tools():
    t = getattr(_local, "tools", None)
    if t is None:
        t = _local.tools = TextTools()
    return t


def clean(text, title=None, counts=None, source=None):
    """TextTools.clean with this thread's tools."""
    return _tools().clean(text, title, counts, source)


def clean_record(record, counts=None):
    """TextTools.clean_record with this thread's tools."""
    return _tools().clean_record(record, counts)


def record_fields(record):
    """TextTools.record_fields with this thread's tools."""
    return _tools().record_fields(record)


def sketch(text):
    """TextTools.sketch with this thread's tools."""
    return _tools().sketch(text)


def compare(a, b):
    """TextTools.compare with this thread's tools."""
    return _tools().compare(a, b)


def features(text, title=None):
    """TextTools.features with this thread's tools."""
    return _tools().features(text, title)


def facts(text, title=None, date=None):
    """TextTools.facts with this thread's tools."""
    return _tools().facts(text, title, date)
