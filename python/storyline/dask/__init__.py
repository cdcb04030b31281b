"""The pipeline's stages that spread over Dask workers (issue 23; docs/scale.md says what
is built and what is next).

Built so far: reading (`read_shard`, with the library's readers), the line counts of
every shard merged (`input_counts`: per-site templates as one batch learns them, only
the lines printed by three articles or more, the only ones that change a cleaning, found
in a first round of packed keys and sent in a second), the per-article stage (`prepare`:
clean against them, sketch) and the first shuffle (`candidates`: band and paragraph keys grouped across all shards into the
pairs of articles that share one, the pairs the dedup stage verifies). A key is the low
32 bits the store keeps of it. What crosses the network is one packed blob of bytes per
shard and partition (`key_blobs`): the partition's rows (key, the article's place in the
shard) sorted, each key as its difference from the one before and each place as a
varint: 4.2 bytes a row measured where 8 would carry them as they are (docs/scale.md).
Then `verified`: every candidate pair compared where the texts are, with the dedup
stage's own code and bars (storyline.compare), only candidates' texts crossing.
"""

import zlib

import dask
import dask.bag as db

from ..reader import read
from ..text import LineCounts, LineTally, _tools

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


def _counted(shard):
    c = LineCounts()
    for a in shard["articles"]:
        c.add(a["source"], a["text"])
    return c


def shard_counts(shard):
    """The line counts of a read shard's articles (LineCounts JSON)."""
    return _counted(shard).to_json()


def merge_counts(many):
    """Line counts (JSON) merged into one."""
    c = LineCounts()
    for data in many:
        c.merge(data)
    return c.to_json()


def shard_lines(shard, parts):
    """The first round of the line counts' merge: a read shard's distinct lines in `parts`
    parts, each line a 32-bit key with its articles capped at three, packed (about 3 bytes
    a line; LineCounts.lines): [(part, blob)] for every part."""
    c = _counted(shard)
    return [(p, c.lines(p, parts)) for p in range(parts)]


def repeated_keys(blobs):
    """One part's blobs of every shard summed: the keys of the lines three articles or more
    print, a blob of the same form (LineTally.repeated)."""
    t = LineTally()
    for b in blobs:
        t.add(b)
    return t.repeated()


def shard_kept_counts(shard, repeated):
    """The second round: a read shard's line counts of the lines whose keys `repeated`
    (every part's repeated_keys) holds, as LineCounts JSON packed by zlib at its fastest
    level (the JSON's hex digits and punctuation take about 2.2 times the bytes)."""
    t = LineTally()
    for b in repeated:
        t.add(b)
    return zlib.compress(_counted(shard).to_json(kept=t), 1)


def _merge_packed(many):
    return zlib.compress(merge_counts(zlib.decompress(d) for d in many), 1)


def _exact(packed):
    """The merged counts with only the lines three articles or more print: a line whose key
    agreed with a repeated line's was sent too, and is left out here."""
    return LineCounts(zlib.decompress(packed)).to_json(0, 1, repeated=True)


def input_counts(read_bag, parts):
    """The line counts of every shard of a bag of (number, read shard), as one batch of all
    of them would count them for its cleaning, but holding only the lines printed by three
    articles or more (the others clean alike, counted or not; sl_line_tally), in two rounds
    so that the lines printed once or twice, most lines, stay on their shard: each shard
    sends its distinct lines as keys in `parts` parts (shard_lines), a groupby by part
    sums them (no task holds every line) into the keys of the repeated lines, every
    shard is given those and sends its counts of those lines only (shard_kept_counts), and
    those are merged (a tree of reductions) and made exact (_exact) once, at the root: a
    node below it holds only some shards' counts of a line. Each shard counts its lines
    twice (once a round) rather than keep its counts between them, and is given every
    part's repeated keys (each shard holds every repeated line's key). A Dask Item of
    LineCounts JSON, and two of the bytes the shards sent, in the first round and in the
    second (not the keys sent back to them)."""
    lines = read_bag.map(lambda s: shard_lines(s[1], parts)).flatten()
    repeated = (lines.groupby(lambda x: x[0], npartitions=parts)
                .map(lambda g: repeated_keys([b for _, b in g[1]])))
    every = repeated.reduction(list, lambda many: [b for part in many for b in part])
    kept = read_bag.map(lambda s, rep: shard_kept_counts(s[1], rep), every)
    merged = kept.reduction(_merge_packed, _merge_packed).apply(_exact)
    return merged, lines.map(lambda x: len(x[1])).sum(), kept.map(len).sum()


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


# The shuffle's partitions (reducers; a key goes to key mod partitions) when no client
# says how many threads it has: then four a worker thread, at least this many. The bytes a
# row do not depend on it (a partition's keys lie partitions times further apart, and
# their quotients as close as before).
PARTITIONS = 16


def _varint(out, v):
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)


def key_blobs(shard, number, partitions=PARTITIONS):
    """The rows of key_rows packed for the shuffle: [(partition, (number, blob))], one
    blob for each partition that has rows. A partition's rows (key as unsigned 32 bits,
    the article's place in the shard), sorted; a row is two varints: the key's quotient
    by `partitions` less the row before's (0: the same key again; the first row's less
    -1), then the place. The partition and the shard's number come once a blob. Sorted
    keys are close together (about 2^32 over a shard's rows apart: two bytes for 800,000
    rows), and the place is under 2^20: 4.2 bytes a row measured, not 8."""
    per = [[] for _ in range(partitions)]
    for k, i in key_rows(shard, 0):  # shard 0: the number is the place
        u = k & 0xFFFFFFFF
        per[u % partitions].append((u // partitions, i))
    out = []
    for p, rows in enumerate(per):
        if not rows:
            continue
        rows.sort()
        b = bytearray()
        prev = -1
        for q, i in rows:
            _varint(b, q - prev if q != prev else 0)
            _varint(b, i)
            prev = q
        out.append((p, (number, bytes(b))))
    return out


def unpack_blob(p, number, blob, partitions=PARTITIONS):
    """The rows of one blob of key_blobs: [(key as key_rows gives it, article number
    as key_rows gives it)]."""
    rows, at, q = [], 0, -1
    vals = []
    while at < len(blob):
        v = shift = 0
        while True:
            if at == len(blob):
                raise ValueError("a key blob cut short")
            c = blob[at]
            at += 1
            v |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                break
        vals.append(v)
        if len(vals) == 2:
            d, i = vals
            vals = []
            q += d
            u = q * partitions + p
            rows.append((u - (1 << 32) if u >= 1 << 31 else u, number << 20 | i))
    if vals:
        raise ValueError("a key blob cut short")
    return rows


def _partition_pairs(p, blobs, partitions):
    """The candidate pairs of one partition, from every shard's blob of it."""
    by_key = {}
    for number, blob in blobs:
        for k, n in unpack_blob(p, number, blob, partitions):
            by_key.setdefault(k, []).append(n)
    return [pair for item in by_key.items() for pair in _pairs(item)]


def _persist(client, *todo):
    if client is not None:
        return client.persist(list(todo))
    return dask.persist(*todo, scheduler="sync")


def _graph(paths, client, read_fn, partitions):
    """The bags of candidates(): the shards read, counted (the line counts) and prepared,
    all persisted (on the workers with a client), so that what follows does none of it
    again; the key blobs' bytes and the candidate pairs (article numbers: shard << 20 |
    place). (prepared, pairs, key bytes, [the counts' bytes in round 1, in round 2, the
    merged counts' length])."""
    shards = db.from_sequence(list(enumerate(paths)), npartitions=max(1, len(paths)))
    read_bag = shards.map(lambda np: (np[0], read_fn(np[1])))
    read_bag, = _persist(client, read_bag)
    if partitions is None:
        threads = sum(client.nthreads().values()) if client is not None else 0
        partitions = max(PARTITIONS, 4 * threads)
    counts, lines_sent, kept_sent = input_counts(read_bag, partitions)
    prepared = read_bag.map(lambda s, c: (s[0], prepare(s[1], c)), counts)
    prepared, lines_sent, kept_sent, counts_len = _persist(
        client, prepared, lines_sent, kept_sent, counts.apply(len))
    blobs = prepared.map(lambda s: key_blobs(s[1], s[0], partitions)).flatten()
    pairs = (blobs.groupby(lambda b: b[0], npartitions=partitions)
             .map(lambda g: _partition_pairs(g[0], [x for _, x in g[1]], partitions))
             .flatten().distinct())
    sent = blobs.map(lambda b: len(b[1][1])).sum()
    return prepared, pairs, sent, [lines_sent, kept_sent, counts_len]


def _compute(client, *todo):
    if client is not None:
        return client.compute(list(todo), sync=True)
    return dask.compute(*todo, scheduler="sync")


def _count_stats(stats, got):
    lines_sent, kept_sent, counts_len = got
    stats["count_bytes"] = int(lines_sent) + int(kept_sent)
    stats["counts_merged_bytes"] = int(counts_len)


def candidates(paths, client=None, read_fn=read_shard, partitions=None, stats=None):
    """Read every path on the workers, count their lines and merge the counts, clean and
    sketch every article against them, shuffle the keys, and give (shards, pairs): the
    prepared shards in the order of `paths`, and the set of candidate pairs as pairs of
    article ids (each pair once, ids in order). client: a dask.distributed Client (None:
    all in this process, one task after another: the reference the workers' answer is
    compared with). read_fn: read_shard, or a function that wraps it (the tests make one
    that kills its worker). partitions: the shuffle's (key_blobs; None: four a thread
    of the client's workers, at least PARTITIONS). stats: a dict, given
    "articles", "shuffle_bytes" (the packed keys' bytes that crossed, key_blobs),
    "count_bytes" (what the shards sent for the line counts, both rounds of input_counts)
    and "counts_merged_bytes" (the merged counts, which every shard's cleaning is given).
    Every task is a function of its inputs alone, so a task whose worker dies is run again
    elsewhere by Dask and nothing is lost or counted twice."""
    paths = [str(p) for p in paths]
    prepared, pairs, sent, count_info = _graph(paths, client, read_fn, partitions)
    got_shards, got_pairs, got_sent, *got_counts = _compute(
        client, prepared, pairs, sent, *count_info)
    if stats is not None:
        stats["articles"] = sum(len(s["articles"]) for _, s in got_shards)
        stats["shuffle_bytes"] = int(got_sent)
        _count_stats(stats, got_counts)
    by_number = dict(got_shards)
    ordered = [by_number[i] for i in range(len(paths))]

    def article(n):
        return ordered[n >> 20]["articles"][n & 0xFFFFF]["id"]

    named = set()
    for x, y in got_pairs:
        a, b = article(x), article(y)
        named.add((a, b) if a < b else (b, a))
    return ordered, named


def _candidate_texts(number, shard, places):
    """[(number, {place: (id, cleaned text)})]: one prepared shard's candidates."""
    arts = shard["articles"]
    return [(number, {i: (arts[i]["id"], arts[i]["text"]) for i in places})]


def _verify_group(pairs, *texts):
    """The pairs (article numbers) compared as the dedup stage verifies them, given the
    candidate texts of every shard they name (partitions of _candidate_texts):
    [(id, id, compare's dict)]."""
    by_number = {}
    for part in texts:
        for number, d in part:
            for i, at in d.items():
                by_number[number << 20 | i] = at
    tools = _tools()
    return [(by_number[x][0], by_number[y][0], tools.compare(by_number[x][1], by_number[y][1]))
            for x, y in pairs]


def verified(paths, client=None, read_fn=read_shard, partitions=None, stats=None):
    """candidates(), then every candidate pair verified on the workers as the dedup stage
    verifies one (storyline.compare, sl_write_text_compare: the exact shingle sets of the
    cleaned texts): [{"a", "b" (the articles' ids, in the order they were read),
    "jaccard", "containment", "match", "copy"}], sorted. The prepared shards stay on the
    workers; the pairs (two numbers each) come here, which tells each shard the places of
    its candidates (its own list only); each shard's task takes those ids and texts, and
    one task for each shard verifies the pairs whose first article it holds, fetching the
    candidate texts of the other shards its pairs name (all of a shard's candidates, not
    only those its pairs need): only candidates' texts cross, never the others'. stats: as
    candidates(), and "pairs", "candidate_articles" and "candidate_text_bytes" (one copy
    of the candidates' texts: a shard's cross to every worker that verifies pairs naming
    it, so up to workers - 1 copies of each cross)."""
    paths = [str(p) for p in paths]
    prepared, pairs, sent, count_info = _graph(paths, client, read_fn, partitions)
    articles = prepared.map(lambda s: len(s[1]["articles"])).sum()
    got_pairs, got_sent, got_articles, *got_counts = _compute(
        client, pairs, sent, articles, *count_info)
    nshards = max(1, len(paths))
    want, groups = [set() for _ in range(nshards)], {}
    for x, y in sorted(got_pairs):
        want[x >> 20].add(x & 0xFFFFF)
        want[y >> 20].add(y & 0xFFFFF)
        groups.setdefault(x >> 20, []).append((x, y))
    # a partition a shard, as prepared's: each shard's task is given its own places only
    places = db.from_sequence([sorted(w) for w in want], npartitions=nshards)
    texts = prepared.map(lambda s, w: _candidate_texts(s[0], s[1], w), places)
    texts = texts.flatten().to_delayed()  # a partition a shard, in the order of paths
    size = [dask.delayed(lambda part: sum(len(t.encode()) for _, d in part
                                          for _, t in d.values()))(t) for t in texts]
    tasks = [dask.delayed(_verify_group)(g, *[texts[n] for n in
                                              sorted({s} | {y >> 20 for _, y in g})])
             for s, g in sorted(groups.items())]
    done = _compute(client, *tasks, *size)
    results, sizes = done[:len(tasks)], done[len(tasks):]
    out = [dict(a=a, b=b, jaccard=r["jaccard"], containment=r["containment"],
                match=r["match"], copy=r["copy"]) for part in results for a, b, r in part]
    out.sort(key=lambda v: (v["a"], v["b"]))
    if stats is not None:
        stats["articles"] = int(got_articles)
        stats["shuffle_bytes"] = int(got_sent)
        _count_stats(stats, got_counts)
        stats["pairs"] = len(got_pairs)
        stats["candidate_articles"] = sum(len(w) for w in want)
        stats["candidate_text_bytes"] = int(sum(sizes))
    return out
