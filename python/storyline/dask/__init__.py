"""The pipeline's stages that spread over Dask workers (issue 23; docs/scale.md says what
is built and what is next).

Built so far: reading (`read_shard`, with the library's readers), the line counts of
every shard merged (`shard_counts`, `merge_counts`: per-site templates as one batch
learns them), the per-article stage (`prepare`: clean against them, sketch) and the
first shuffle (`candidates`: band and paragraph keys grouped across all shards into the
pairs of articles that share one, the pairs the dedup stage verifies). A key crosses the network as the store keeps it, its low 32 bits, with the
article's number (32 bits): 8 bytes a row.
"""

import dask
import dask.bag as db

from ..reader import read
from ..text import LineCounts, _tools

MAX_PER_KEY = 64  # articles taken from one key, as the dedup stage takes (src/dedup/run.h)

def low32(hex_key):
    """A 64-bit key (16 hex digits) as the store keeps it: its low 32 bits, signed."""
    k = int(hex_key, 16) & 0xFFFFFFFF
    return k - (1 << 32) if k >= 1 << 31 else k


def read_shard(path):
    """One shard read (a path given to the pipeline: a file of any form, or a directory,
    read whole so that its articles' ids are the ones a batch gives them): {"path",
    "articles": [the raw articles as storyline.read gives them], "reports": [inputs
    skipped: code, path, line, offset, detail]}. Runs on a worker."""
    arts, reports = read(path)
    return {"path": str(path), "articles": arts, "reports": reports}


def shard_counts(shard):
    """The line counts of a read shard's articles (LineCounts JSON)."""
    c = LineCounts()
    for a in shard["articles"]:
        c.add(a["source"], a["text"])
    return c.to_json()


def merge_counts(many):
    """Line counts (JSON) merged into one."""
    c = LineCounts()
    for data in many:
        c.merge(data)
    return c.to_json()


def prepare(shard, counts=None):
    """A read shard's articles cleaned (against `counts`, LineCounts JSON of every shard,
    as one batch of them all cleans; None: no per-site templates) and sketched:
    {"path", "reports", "articles": [per article: id, source, date, title, origin, text
    (cleaned), bands and paragraphs (low 32 bits of each key)]}. Runs on a worker."""
    tools = _tools()
    lc = LineCounts(counts) if counts is not None else None
    out = []
    for a in shard["articles"]:
        c = tools.clean(a["text"], a["title"], lc, a["source"]) if lc else \
            tools.clean(a["text"], a["title"])
        s = tools.sketch(c["text"])
        out.append({
            "id": a["id"], "source": a["source"], "origin": a["origin"],
            "date": a["date"] or c["date"], "title": a["title"] or c["title"],
            "text": c["text"], "bands": [low32(k) for k in s["bands"]],
            "paragraphs": [low32(k) for k in s["paragraphs"]]})
    return {"path": shard["path"], "articles": out, "reports": shard["reports"]}


def key_rows(shard, number):
    """(key, article number) for every band and paragraph key of a prepared shard; an
    article's number is its shard's `number` << 20 | its place in the shard."""
    if len(shard["articles"]) >= 1 << 20:
        raise ValueError("%s: a shard of %d articles; at most 1,048,575 (split the input)"
                         % (shard["path"], len(shard["articles"])))
    rows = []
    for i, a in enumerate(shard["articles"]):
        n = number << 20 | i
        seen = set()
        for k in a["bands"] + a["paragraphs"]:
            if k not in seen:  # a key twice in one article pairs it with nothing
                seen.add(k)
                rows.append((k, n))
    return rows


def _pairs(group):
    key, numbers = group
    numbers = sorted(set(numbers))[:MAX_PER_KEY]
    return [(numbers[i], numbers[j]) for i in range(len(numbers))
            for j in range(i + 1, len(numbers))]


def candidates(paths, client=None, read_fn=read_shard):
    """Read every path on the workers, count their lines and merge the counts, clean and
    sketch every article against them, shuffle the keys, and give (shards, pairs): the
    prepared shards in the order of `paths`, and the set of candidate pairs as pairs of
    article ids (each pair once, ids in order). client: a dask.distributed Client (None:
    all in this process, one task after another: the reference the workers' answer is
    compared with). read_fn: read_shard, or a function that wraps it (the tests make one
    that kills its worker). Every task is a function of its inputs alone, so a task whose
    worker dies is run again elsewhere by Dask and nothing is lost or counted twice."""
    paths = [str(p) for p in paths]
    shards = db.from_sequence(list(enumerate(paths)), npartitions=max(1, len(paths)))
    read_bag = shards.map(lambda np: (np[0], read_fn(np[1])))
    read_bag = read_bag.persist() if client is not None else read_bag.persist(scheduler="sync")
    counts = read_bag.map(lambda s: shard_counts(s[1])).reduction(merge_counts, merge_counts)
    prepared = read_bag.map(lambda s, c: (s[0], prepare(s[1], c)), counts)
    rows = prepared.map(lambda s: key_rows(s[1], s[0])).flatten()
    pairs = (rows.groupby(lambda r: r[0]).map(lambda g: (g[0], [n for _, n in g[1]]))
             .map(_pairs).flatten().distinct())
    if client is not None:
        got_shards, got_pairs = client.compute([prepared, pairs], sync=True)
    else:
        got_shards, got_pairs = dask.compute(prepared, pairs, scheduler="sync")
    by_number = dict(got_shards)
    ordered = [by_number[i] for i in range(len(paths))]

    def article(n):
        return ordered[n >> 20]["articles"][n & 0xFFFFF]["id"]

    named = set()
    for x, y in got_pairs:
        a, b = article(x), article(y)
        named.add((a, b) if a < b else (b, a))
    return ordered, named
