"""Inputs read as a batch reads them, without a store (sl_read_path)."""

from ._native import ffi, lib
from ._util import Calls, c_path, path_of, text_of
from .errors import StorylineError, check


def _report(reports):
    def on_report(user, r):
        reports.append({"code": StorylineError(r.code).name, "path": path_of(r.path),
                        "line": r.line, "offset": r.offset, "detail": text_of(r.detail)})
    return on_report


def read_records(path, max_article_bytes=0, counts=None):
    """Every article under `path` as read() finds them, each as a record (bytes): all a
    batch keeps of it, the input's other fields, where it was read and an HTML page's
    structure hints included, for Store.add(records=...) to store as the batch that read
    it would have, on this machine or another. (records, reports) as read() gives.
    counts (a dict, may be None) gets what was read: files and bytes. Every article that
    passes a batch's checks is a record, also one the same input repeats: the batch that
    stores them finds it present or updated, against its store."""
    records, reports, calls = [], [], Calls()

    def take(user, data, n):
        records.append(ffi.buffer(data, n)[:])
        return 0

    take_cb = ffi.callback("sl_record_fn", calls.guard(take))
    report_cb = ffi.callback("sl_report_fn", calls.guard_void(_report(reports)))
    opts = ffi.new("sl_ingest_options *")
    opts.on_report = report_cb
    opts.max_article_bytes = int(max_article_bytes)
    sum_ = ffi.new("sl_batch_summary *")
    rc = lib.sl_read_records(c_path(path), opts, take_cb, ffi.NULL, sum_)
    calls.reraise()
    check(rc)
    if counts is not None:
        counts.update(files=sum_.files, bytes=sum_.bytes)
    return records, reports


def read(path, max_article_bytes=0):
    """Every article under `path` (a file of any form, a directory, "-"), as a batch
    would store it: (articles, reports). articles: dicts with id, source, url, date (ISO
    or None), title (the input's, or None), text (raw) and origin ("path" or
    "path:line"); reports: the inputs skipped, as dicts with code, path, line, offset and
    detail. Raises StorylineError only for what would stop a batch (memory)."""
    articles, reports, calls = [], [], Calls()

    def take(user, a, origin):
        articles.append({
            "id": text_of(a.id), "source": text_of(a.source), "url": text_of(a.url),
            "date": text_of(a.date), "title": text_of(a.title),
            "text": ffi.buffer(a.text, a.text_len)[:].decode("utf-8"),
            "origin": path_of(origin)})
        return 0

    take_cb = ffi.callback("sl_read_fn", calls.guard(take))
    report_cb = ffi.callback("sl_report_fn", calls.guard_void(_report(reports)))
    opts = ffi.new("sl_ingest_options *")
    opts.on_report = report_cb
    opts.max_article_bytes = int(max_article_bytes)
    rc = lib.sl_read_path(c_path(path), opts, take_cb, ffi.NULL, ffi.NULL)
    calls.reraise()
    check(rc)
    return articles, reports
