"""The pipeline into one store (`python3 -m storyline.dask`): the inputs read on the
workers, one shard a path, into records (storyline.read_records: every form, the same
checks and reports as `storyline add`); then this process, the one writer, stores them in
the order of the paths, sliced as the command slices a batch, so the store is the one
`storyline add --db STORE PATH...` makes. docs/scale.md says what runs where today and what
moves to the workers next (cleaning, sketching, matching: storyline.dask's other stages).
"""

import collections
import os
import resource
import uuid

from . import read_shard
from ..store import Store
from .._native import lib


class NotShared(Exception):
    """The store's folder or an input is not on a file system every worker shares with
    this process (the message says which, seen from which worker)."""


# One shard read into records on a worker: the same read as the workers' other stages.
read_record_shard = read_shard


def seen_as(path):
    """What identifies an input here and on another machine that shares it: a file's
    size and modification time, a directory's names (one level)."""
    try:
        st = os.stat(path)
        if os.path.isdir(path):
            return ("dir", sorted(os.listdir(path)))
        return ("file", st.st_size, st.st_mtime_ns)
    except OSError:
        return None


def look(inputs, token_path, token):
    """On a worker: what it does not see as this process does, of the store's folder (the
    token file this process wrote there) and of the inputs ({path: seen_as here}); a list
    of phrases, empty when it sees them all the same."""
    missing = []
    try:
        with open(token_path, encoding="ascii") as f:
            seen = f.read()
    except OSError:
        seen = None
    if seen != token:
        missing.append("the store's folder %s" % os.path.dirname(token_path))
    for p, here in inputs.items():
        there = seen_as(p)
        if there is None or list(there) != list(here):
            missing.append("the input %s" % p)
    return missing


def check_folder(db):
    """The store's folder must exist (NotShared otherwise): asked before any worker is
    started."""
    folder = os.path.dirname(os.path.abspath(db))
    if not os.path.isdir(folder):
        raise NotShared("%s: its folder %s does not exist" % (db, folder))
    return folder


def check_shared(client, db, paths, look_fn=look):
    """Refuse (NotShared) a store or inputs that a worker does not see as this process
    sees them: every worker must read the token this process writes beside the store
    (the store is written by this process today, by a worker once the writer moves
    there: docs/scale.md), and see every input with the same size and time (a
    directory: the same names). Only the workers connected now are asked; an input this
    process cannot see either is left to the reader, which reports it. look_fn runs on
    each worker (the tests give one that plays a machine of its own)."""
    folder = check_folder(db)
    inputs = {p: seen_as(p) for p in paths}
    inputs = {p: here for p, here in inputs.items() if here is not None}
    token = uuid.uuid4().hex
    token_path = os.path.join(folder, ".storyline-dask-%s" % token)
    with open(token_path, "w", encoding="ascii") as f:
        f.write(token)
    try:
        answers = client.run(look_fn, inputs, token_path, token)
    finally:
        os.unlink(token_path)
    blind = {w: m for w, m in answers.items() if m}
    if blind:
        raise NotShared(
            "%s: the store and its inputs must be on a file system that every worker shares"
            " with this process, and %s" % (db, "; ".join(
                "worker %s cannot see %s" % (w, ", ".join(m)) for w, m in sorted(blind.items()))))


def peak_rss_mb():
    """This process's peak resident memory in MB (Linux counts ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


WORKER_WAIT_SECONDS = 120  # for a scheduler's first worker, before anything is checked


def run(paths, db, client, slice_articles=None, read_fn=read_record_shard, on_shard=None,
        ahead=None, search=True):
    """Read every path on the workers and store what they read into db (created when
    absent) as one batch. slice_articles: as `storyline add --slice N` (None: the
    command's default slices). read_fn: read_record_shard, or one that wraps it (the tests
    make one that kills its worker). on_shard(path, shard) is called as each shard is
    taken to be stored, in the order of the paths, before the next path is handed over.
    ahead: how many shards may be handed to the workers beyond the one being stored
    (None: two a worker thread connected when the run starts); the next path is handed
    over as the writer takes a shard, so the workers hold a few shards at a time, not the
    whole input (the writer is the slow side). search=False: as `storyline add
    --no-search` (a store made here has no search index; one that has it is refused
    with ValueError before anything is read). Returns (BatchSummary of the writer's
    batch, the reports of every shard and then the writer's, the shards' files and bytes
    summed). Every article read goes to the writer, which finds what is present (the same
    id and text, or the same text from the same source) as the command's batch does."""
    # A relative path is read as given (its articles' origins and ids the command's) when
    # every worker works in this process's folder (a LocalCluster's do); else absolute.
    here = os.getcwd()
    given = [os.fspath(p) for p in paths]
    paths = [os.path.abspath(p) for p in given]
    if ahead is not None and ahead < 1:
        raise ValueError("ahead must be at least 1")
    # A scheduler with no worker yet would pass the checks below unasked.
    client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
    check_shared(client, db, paths)
    if all(cwd == here for cwd in client.run(os.getcwd).values()):
        paths = given
    if not search:
        with Store(db, search=False) as st:
            if st.search_index:
                raise ValueError("--no-search: the store %s has a search index (`storyline"
                                 " --db %s search-index off` drops it)" % (db, db))
    if ahead is None:
        ahead = 2 * max(1, sum(client.nthreads().values()))
    waiting = iter(paths)
    reading = collections.deque()  # (path, future), in the order of the paths

    def read_next():
        path = next(waiting, None)
        if path is not None:
            reading.append((path, client.submit(read_fn, path, pure=False)))

    for _ in range(ahead):
        read_next()
    reports, counts = [], {"files": 0, "bytes": 0}

    def records():
        while reading:
            path, f = reading.popleft()
            shard = f.result()
            f.release()  # its records go as they are stored
            reports.extend(shard["reports"])
            for k in counts:
                counts[k] += shard["counts"].get(k, 0)
            if on_shard:
                on_shard(path, shard)
            read_next()  # in its place, the next path
            yield from shard["records"]
            del shard  # not held while the next one is awaited

    if slice_articles is None:
        slicing = dict(slice_articles=lib.SL_SLICE_DEFAULT_ARTICLES,
                       slice_grow=lib.SL_SLICE_DEFAULT_GROW)
    else:
        slicing = dict(slice_articles=int(slice_articles), slice_grow=0)
    try:
        with Store(db, search=search) as st:
            summary = st.add(records=records(), **slicing)
    finally:
        for _, f in reading:
            f.release()
    reports += [dict(code=r.code, path=r.path, line=r.line, offset=r.offset, detail=r.detail)
                for r in summary.reports]
    return summary, reports, counts
