"""The pipeline into one store (`python3 -m storyline.dask`): the inputs read on the
workers, one shard a path, into records (storyline.read_records: every form, the same
checks and reports as `storyline add`); then this process, the one writer, stores them in
the order of the paths, sliced as the command slices a batch, so the store is the one
`storyline add --db STORE PATH...` makes. docs/scale.md says what runs where today and what
moves to the workers next (cleaning, sketching, matching: storyline.dask's other stages).
"""

import os
import uuid

from ..reader import read_records
from ..store import Store
from .._native import lib


class NotShared(Exception):
    """The store's folder or an input is not on a file system every worker shares with
    this process (the message says which, seen from which worker)."""


def read_record_shard(path):
    """One shard read into records on a worker: {"path", "records" (bytes each),
    "reports" (inputs skipped: code, path, line, offset, detail), "counts" (files,
    bytes, present, updated)}. A function of its path alone: a task whose worker dies is
    run again elsewhere and gives the same."""
    counts = {}
    records, reports = read_records(path, counts=counts)
    return {"path": str(path), "records": records, "reports": reports, "counts": counts}


def look(paths, token_path, token):
    """On a worker: what it cannot see of the store's folder (the token file this process
    wrote there) and of the inputs; a list of phrases, empty when it sees them all."""
    missing = []
    try:
        with open(token_path, encoding="ascii") as f:
            seen = f.read()
    except OSError:
        seen = None
    if seen != token:
        missing.append("the store's folder %s" % os.path.dirname(token_path))
    missing += ["the input %s" % p for p in paths if not os.path.exists(p)]
    return missing


def check_shared(client, db, paths, look_fn=look):
    """Refuse (NotShared) a store or inputs that a worker cannot see as this process sees
    them: every worker must read the token this process writes beside the store, and
    find every input. look_fn runs on each worker (the tests give one that plays a
    machine of its own)."""
    folder = os.path.dirname(os.path.abspath(db))
    if not os.path.isdir(folder):
        raise NotShared("%s: its folder %s does not exist" % (db, folder))
    token = uuid.uuid4().hex
    token_path = os.path.join(folder, ".storyline-dask-%s" % token)
    with open(token_path, "w", encoding="ascii") as f:
        f.write(token)
    try:
        answers = client.run(look_fn, list(paths), token_path, token)
    finally:
        os.unlink(token_path)
    blind = {w: m for w, m in answers.items() if m}
    if blind:
        raise NotShared(
            "%s: the store and its inputs must be on a file system that every worker shares"
            " with this process, and %s" % (db, "; ".join(
                "worker %s cannot see %s" % (w, ", ".join(m)) for w, m in sorted(blind.items()))))


def run(paths, db, client, slice_articles=None, read_fn=read_record_shard, on_shard=None):
    """Read every path on the workers and store what they read into db (created when
    absent) as one batch. slice_articles: as `storyline add --slice N` (None: the
    command's default slices). read_fn: read_record_shard, or one that wraps it (the tests
    make one that kills its worker). on_shard(path, shard) is called as each shard is
    stored, in the order of the paths. Returns (BatchSummary of the writer's batch, the
    reports of every shard and then the writer's, the shards' counts summed)."""
    paths = [os.path.abspath(os.fspath(p)) for p in paths]
    # an input this process cannot see either is the reader's to report, as the
    # command reports it, while the rest goes on
    check_shared(client, db, [p for p in paths if os.path.exists(p)])
    futures = client.map(read_fn, paths, pure=False)
    reports, counts = [], {"files": 0, "bytes": 0, "present": 0, "updated": 0}

    def records():
        for path, f in zip(paths, futures):
            shard = f.result()
            f.release()  # its records go as they are stored
            reports.extend(shard["reports"])
            for k in counts:
                counts[k] += shard["counts"].get(k, 0)
            if on_shard:
                on_shard(path, shard)
            yield from shard["records"]

    if slice_articles is None:
        slicing = dict(slice_articles=lib.SL_SLICE_DEFAULT_ARTICLES,
                       slice_grow=lib.SL_SLICE_DEFAULT_GROW)
    else:
        slicing = dict(slice_articles=int(slice_articles), slice_grow=0)
    try:
        with Store(db) as st:
            summary = st.add(records=records(), **slicing)
    finally:
        for f in futures:
            f.release()
    reports += [dict(code=r.code, path=r.path, line=r.line, offset=r.offset, detail=r.detail)
                for r in summary.reports]
    return summary, reports, counts
