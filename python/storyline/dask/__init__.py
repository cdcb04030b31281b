"""The pipeline's stages that spread over Dask workers (issue 23; docs/scale.md says what
is built and what is next).

Built so far: reading (`read_shard`, with the library's readers, into the records the
pipeline's writer stores), the line counts of
every shard merged (`input_counts`: per-site templates as one batch learns them, only
the lines printed by three articles or more, the only ones that change a cleaning, found
in a first round of packed keys and sent in a second), the per-article stage (`prepare`:
clean against them as the store cleans, an HTML page with its structure hints; sketch) and the first shuffle (`candidates`: band and paragraph keys grouped across all shards into the
pairs of articles that share one, the pairs the dedup stage verifies). A key is the low
KEY_BITS (48) bits of the sketch's 64: the store keeps the low 32, which at 100 M articles
would pair nearly every article by chance. What crosses the network is one packed blob of bytes per
shard and partition (`key_blobs`): the partition's rows (key, the article's place in the
shard) sorted, each key's gap from the one before Rice-coded and each place in the bits
of the largest (sl_key_blobs_write): 5.6 bytes a row measured, where a 48-bit key and a
place take 9 as whole bytes; a reducer in C (sl_key_pairs) makes a partition's pairs
(docs/scale.md).
Then `verified`: every candidate pair compared where the texts are, with the dedup
stage's own code and bars (storyline.compare), only candidates' texts crossing.
"""

import hashlib
import zlib

import dask
import dask.bag as db

from .. import keys as _keys
from ..errors import NotFoundError, StorylineError
from ..reader import read_records
from ..text import LineCounts, LineTally, _tools

MAX_PER_KEY = 64  # articles of a key each is paired with, as the dedup stage (src/dedup/run.h)


# The bits of a sketch's 64-bit key that the shuffle keeps. Two articles share a key by
# chance with about rows^2 / 2^(bits+1) pairs among all rows (40 an article): with the
# store's 32 bits about 1,900 pairs at 100,000 articles and nearly every article at 100 M;
# with 48, 0.03 and about 29,000 (docs/scale.md). The low bits, so that a pair sharing a
# shuffle key shares the store's 32-bit key too (each article is paired with the 64 of a
# key before it, as a batch gives it those matched before it), for about a byte more a
# row.
KEY_BITS = 48
KEY_MASK = (1 << KEY_BITS) - 1


def shuffle_key(hex_key):
    """A 64-bit key (16 hex digits, as sketch gives it) as the shuffle keys it: its low
    KEY_BITS bits, unsigned (the store keeps the low 32 of them)."""
    return int(hex_key, 16) & KEY_MASK


def read_shard(path):
    """One shard read (a path given to the pipeline: a file of any form, or a directory,
    read whole so that its articles' ids are the ones a batch gives them) into records
    (storyline.read_records: all a batch keeps of each article, an HTML page's structure
    hints included): {"path", "records" (bytes each), "reports" (inputs skipped: code,
    path, line, offset, detail), "counts" (files, bytes)}. Runs on a worker; a function
    of its path alone, so a task whose worker dies is run again elsewhere and gives the
    same. The pipeline's writer takes the same shards (storyline.dask.pipeline)."""
    counts = {}
    records, reports = read_records(path, counts=counts)
    return {"path": str(path), "records": records, "reports": reports, "counts": counts}


def _records_fields(shard):
    """(place, id, (text hash, source)) of every record of a shard that is one: the
    shard's "fields" when _graph made them once (each costs a split of the text into
    lines), else made here."""
    if "fields" in shard:
        return shard["fields"]
    tools = _tools()
    out = []
    for i, r in enumerate(shard["records"]):
        try:
            f = tools.record_fields(r)
        except StorylineError:
            continue
        out.append((i, f["id"], (f["text_hash"], f["source"])))
    return out


def _batch_rules(records):
    """The batch's rules (src/store/article_write.c) over records in the order a batch
    takes them, [(where, id, (text hash, source))]: the same id again is present with the
    same text (whatever its source), else it updates the article (its text and source;
    kept: the last record of an id; an update's lines are not counted again); another id
    with a text that an article of its source holds is present (neither). (added: the
    places whose lines are counted, kept: (the place of the id's first record, the place
    of the record kept) for each article, in the order their ids first came, the store's
    rids)."""
    added, kept, texts = [], {}, {}  # kept: id -> [first, last, (hash, source)]
    for where, rid, text in records:
        if rid in kept:
            k = kept[rid]
            if k[2][0] != text[0]:  # updated: the new text (and source) replaces the old
                texts[k[2]] -= 1
                texts[text] = texts.get(text, 0) + 1
                k[1:] = [where, text]
        elif not texts.get(text):
            added.append(where)
            kept[rid] = [where, where, text]
            texts[text] = texts.get(text, 0) + 1
    return added, [(first, last) for first, last, _ in sorted(kept.values())]


def _added_and_kept(shard):
    """The places of a shard's records that a batch of every path adds (their lines
    counted) and keeps (_batch_rules): the shard's own repeats decided here, those of
    records that share an id or a text of one source with another shard's as
    `repeats_across` (identities()) decided them over the whole input. A record that is
    not one (bytes from anywhere) is in neither; the writer reports it. (added, [(order,
    place kept)]): an article's order of arrival is the number (shard << 20 | place) of
    its id's first record, in this shard or an earlier one, as the store's rid is its
    first record's; the articles in that order."""
    base = shard.get("number", 0) << 20
    added, kept = _batch_rules(_records_fields(shard))
    kept = [(base | first, last) for first, last in kept]
    across = shard.get("repeats_across") or {}
    if across:  # {place: (counted, kept, the number of its id's first record)}
        added = sorted({i for i in added if i not in across} |
                       {i for i, (a, _, _) in across.items() if a})
        kept = sorted({(order, last) for order, last in kept if last not in across} |
                      {(first, i) for i, (_, k, first) in across.items() if k})
    return added, kept


def _counted(shard):
    c = LineCounts()
    for i in _added_and_kept(shard)[0]:
        c.add_record(shard["records"][i])
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
    """A read shard's records cleaned as the store cleans them (against `counts`,
    LineCounts JSON of every shard, as one batch of them all cleans; None: no per-site
    templates; an HTML page with its structure hints, TextTools.clean_record) and
    sketched: {"path", "reports", "articles": [per article: id, source, date, title,
    byline, origin, text (cleaned), shingles (the sketch's count), bands and paragraphs
    (each key's shuffle_key), order (of arrival, the store's rid's: _added_and_kept)]}.
    Runs on a worker. Of the records the shard repeats (an id, or a text of one source), those the
    store keeps (_added_and_kept)."""
    tools = _tools()
    lc = LineCounts(counts) if counts is not None else None
    out = []
    for order, i in _added_and_kept(shard)[1]:
        try:
            c = tools.clean_record(shard["records"][i], lc)
        except NotFoundError:  # updated to a source no added article has: none counted
            c = tools.clean_record(shard["records"][i])
        s = tools.sketch(c["text"])
        out.append({
            "id": c["id"], "source": c["source"], "origin": c["origin"], "date": c["date"],
            "title": c["title"], "byline": c["byline"], "text": c["text"],
            "shingles": s["shingles"], "order": order,
            "bands": [shuffle_key(k) for k in s["bands"]],
            "paragraphs": [shuffle_key(k) for k in s["paragraphs"]]})
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


# The shuffle's partitions (reducers; a key goes to key mod partitions) when no client
# says how many threads it has: then four a worker thread, at least this many. The bytes a
# row do not depend on it (a partition's keys lie partitions times further apart, and
# their quotients as close as before).
PARTITIONS = 16


def key_blobs(shard, number, partitions=PARTITIONS):
    """The rows of key_rows packed for the shuffle (storyline.keys.key_blobs,
    sl_key_blobs_write): [(partition, (number, blob))], one blob for each partition that
    has rows. A partition's rows (key, the article's place in the shard) sorted, each key
    as its gap from the one before, Rice-coded, and each place in the bits of the shard's
    largest: 5.6 bytes a row measured at 20,000 articles a shard, near the 5.5 their
    information takes, where a 48-bit key and a 20-bit place take 9 as whole bytes (a
    varint packing took 6.6). The partition and the shard's number come once a blob."""
    keys, places = [], []
    for k, i in key_rows(shard, 0):  # shard 0: the number is the place
        if not 0 <= k <= KEY_MASK:
            raise ValueError("%s: a key out of range: %r" % (shard["path"], k))
        keys.append(k)
        places.append(i)
    return [(p, (number, blob))
            for p, blob in _keys.key_blobs(keys, places, KEY_BITS, partitions)]


def _partition_pairs(blobs, window=MAX_PER_KEY):
    """The candidate pairs of one partition, from every shard's (number, blob) of it (a C
    reducer, storyline.keys.KeyPairs: the partition's rows sorted, not held in a dict):
    each article with the `window` of its key before it."""
    kp = _keys.KeyPairs(window)
    for number, blob in blobs:
        kp.add(number, blob)
    return kp.pairs()


def _stable_key(text):
    """A 48-bit key of a string, the same in every process (Python's hash is not)."""
    d = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(d, "little") & KEY_MASK


def identity_blobs(shard, number, partitions=PARTITIONS):
    """A read shard's records as two shuffle rows each, packed as key_blobs packs band
    keys: a key of its id and a key of its text's hash with its source, so that the
    records that repeat an id or a text of one source across shards meet in a partition
    (about 11 bytes a record)."""
    keys, places = [], []
    for i, rid, (text, source) in _records_fields(shard):
        keys += [_stable_key("id\0" + rid), _stable_key("text\0%s\0%s" % (text, source))]
        places += [i, i]
    return [(p, (number, blob))
            for p, blob in _keys.key_blobs(keys, places, KEY_BITS, partitions)]


def _places_wanted(pairs, nshards):
    """The places each shard holds of the articles that pairs (of numbers, shard << 20 |
    place) name: a sorted list a shard, in the order of the shards."""
    want = [set() for _ in range(nshards)]
    for pair in pairs:
        for n in pair:
            want[n >> 20].add(n & 0xFFFFF)
    return [sorted(w) for w in want]


def _by_number(parts):
    """{number: value} from partitions of [(shard number, {place: value})]."""
    return {number << 20 | i: v for part in parts for number, d in part for i, v in d.items()}


def _identities_of(number, shard, places):
    """[(number, {place: (id, (text hash, source))})] of a shard's records at places."""
    want = set(places)
    return [(number, {i: (rid, text) for i, rid, text in _records_fields(shard)
                      if i in want})]


def _repeats_across(read_bag, client, partitions, nshards):
    """The records that share an id or a text of one source with another shard's, decided
    over the whole input by the batch's rules in the order a batch takes the paths: a bag
    of {place: (counted, kept, the number of its id's first record, shard << 20 |
    place)} for each shard, in the order of the paths (empty for most).
    The identities shuffle (identity_blobs) finds them; only those records' ids and hashes
    come here. (the bag, the bytes the shuffle sent)."""
    blobs = read_bag.map(lambda s: identity_blobs(s[1], s[0], partitions)).flatten()
    pairs = (blobs.groupby(lambda b: b[0], npartitions=partitions)  # chains: all of a key
             .map(lambda g: _partition_pairs([x for _, x in g[1]], 1))
             .flatten().distinct())
    got_pairs, sent = _compute(client, pairs, blobs.map(lambda b: len(b[1][1])).sum())
    groups = [g for g in _connected(got_pairs)
              if len({n >> 20 for pair in g for n in pair}) > 1]
    decided = [{} for _ in range(nshards)]
    if groups:
        want = _places_wanted((pair for g in groups for pair in g), nshards)
        places = db.from_sequence(want, npartitions=nshards)
        found = read_bag.map(lambda s, w: _identities_of(s[0], s[1], w), places)
        ids = _by_number(_compute(client, found)[0])
        for g in groups:
            numbers = sorted({n for pair in g for n in pair})
            added, kept = _batch_rules([(n, ids[n][0], ids[n][1]) for n in numbers])
            added, first_of = set(added), {last: first for first, last in kept}
            for n in numbers:  # an article's order: its id's first record, any shard's
                decided[n >> 20][n & 0xFFFFF] = (n in added, n in first_of,
                                                 first_of.get(n, n))
    return db.from_sequence(decided, npartitions=nshards), int(sent)


def _persist(client, *todo):
    if client is not None:
        return client.persist(list(todo))
    return dask.persist(*todo, scheduler="sync")


def _graph(paths, client, read_fn, partitions):
    """The bags of candidates(): the shards read, counted (the line counts) and prepared,
    all persisted (on the workers with a client), so that what follows does none of it
    again; the key blobs' bytes and the candidate pairs (article numbers: shard << 20 |
    place). (prepared, pairs, key bytes, [the counts' bytes in round 1, in round 2, the
    merged counts' length, the identities' shuffle bytes])."""
    nshards = max(1, len(paths))
    shards = db.from_sequence(list(enumerate(paths)), npartitions=nshards)
    read_bag = shards.map(lambda np: (np[0], read_fn(np[1])))
    read_bag = read_bag.map(lambda s: (s[0], dict(s[1], fields=_records_fields(s[1]),
                                                  number=s[0])))
    read_bag, = _persist(client, read_bag)
    if partitions is None:
        threads = sum(client.nthreads().values()) if client is not None else 0
        partitions = max(PARTITIONS, 4 * threads)
    across, identity_sent = _repeats_across(read_bag, client, partitions, nshards)
    read_bag = read_bag.map(lambda s, a: (s[0], dict(s[1], repeats_across=a)), across)
    read_bag, = _persist(client, read_bag)
    counts, lines_sent, kept_sent = input_counts(read_bag, partitions)
    prepared = read_bag.map(lambda s, c: (s[0], prepare(s[1], c)), counts)
    prepared, lines_sent, kept_sent, counts_len = _persist(
        client, prepared, lines_sent, kept_sent, counts.apply(len))
    blobs = prepared.map(lambda s: key_blobs(s[1], s[0], partitions)).flatten()
    pairs = (blobs.groupby(lambda b: b[0], npartitions=partitions)
             .map(lambda g: _partition_pairs([x for _, x in g[1]]))
             .flatten().distinct())
    sent = blobs.map(lambda b: len(b[1][1])).sum()
    return prepared, pairs, sent, [lines_sent, kept_sent, counts_len,
                                   dask.delayed(identity_sent)]


def _compute(client, *todo):
    if client is not None:
        return client.compute(list(todo), sync=True)
    return dask.compute(*todo, scheduler="sync")


def _count_stats(stats, got):
    lines_sent, kept_sent, counts_len, identity_sent = got
    stats["count_bytes"] = int(lines_sent) + int(kept_sent)
    stats["counts_merged_bytes"] = int(counts_len)
    stats["identity_bytes"] = int(identity_sent)


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
    if not paths:
        return [], set()  # no shard: nothing read, no pairs
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


def _candidates_of(number, shard, places, fields):
    """[(number, {place: (the article's `fields`)})]: one prepared shard's candidates."""
    arts = shard["articles"]
    return [(number, {i: tuple(arts[i][f] for f in fields) for i in places})]


def _paired(paths, client, read_fn, partitions, stats):
    """The stages up to the candidate pairs, computed: (prepared shards, still on the
    workers; the pairs of article numbers), with stats filled as candidates() says."""
    prepared, pairs, sent, count_info = _graph(paths, client, read_fn, partitions)
    articles = prepared.map(lambda s: len(s[1]["articles"])).sum()
    got_pairs, got_sent, got_articles, *got_counts = _compute(
        client, pairs, sent, articles, *count_info)
    if stats is not None:
        stats["articles"] = int(got_articles)
        stats["shuffle_bytes"] = int(got_sent)
        _count_stats(stats, got_counts)
        stats["pairs"] = len(got_pairs)
    return prepared, got_pairs


def _fetch(prepared, want, fields):
    """The candidates' `fields` of every shard (want: the places of each), as one Dask
    delayed object a shard, in the order of the paths: each shard's task is given its own
    places only."""
    places = db.from_sequence(want, npartitions=len(want))
    found = prepared.map(lambda s, w: _candidates_of(s[0], s[1], w, fields), places)
    return found.flatten().to_delayed()


def _verify_group(pairs, *texts):
    """The pairs (article numbers) compared as the dedup stage verifies them, given the
    candidate ids and texts of every shard they name (partitions of _candidates_of):
    [(id, id, compare's dict)]."""
    by_number = _by_number(texts)
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
    if not paths:
        return []
    prepared, got_pairs = _paired(paths, client, read_fn, partitions, stats)
    want, groups = _places_wanted(got_pairs, len(paths)), {}
    for x, y in sorted(got_pairs):
        groups.setdefault(x >> 20, []).append((x, y))
    texts = _fetch(prepared, want, ("id", "text"))
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
        stats["candidate_articles"] = sum(len(w) for w in want)
        stats["candidate_text_bytes"] = int(sum(sizes))
    return out


def _group_families(groups, *texts):
    """The families of connected groups of candidate pairs (each a list of pairs of
    article numbers), given the candidate articles of every shard they name (partitions
    of _candidates_of: id, date, shingles, text, order, bands, paragraphs): one
    storyline.keys.FamilyGroup a group, its articles numbered by their order of arrival
    (the store's rids' order), their candidates found key by key from their keys, as a
    batch finds them (so that of two equally good candidates the batch's is taken)."""
    by_number = _by_number(texts)
    out = []
    for pairs in groups:
        g = _keys.FamilyGroup()
        for n in sorted({n for pair in pairs for n in pair}):
            aid, date, shingles, text, order, bands, paragraphs = by_number[n]
            g.add(order, aid, date, shingles, text)
            g.keys(order, bands, paragraphs)
        out += g.families()
    return out


def _connected(pairs):
    """The connected groups of pairs of numbers: [[pairs of a group]], each group's pairs
    sorted, the groups in the order of their lowest number."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in pairs:
        a, b = root(x), root(y)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups = {}
    for x, y in sorted(pairs):
        groups.setdefault(root(x), []).append((x, y))
    return [groups[r] for r in sorted(groups)]


def families(paths, client=None, read_fn=read_shard, partitions=None, stats=None):
    """candidates(), then the families decided on the workers: the candidate pairs'
    connected groups (found here from the pairs, two numbers each), each matched on one
    task with its articles (their ids, dates, shingle counts, cleaned texts, orders of
    arrival and band and paragraph keys, fetched from the shards that hold them) by the
    dedup stage's own rules, each article's candidates found key by key as a batch finds
    them (storyline.keys.FamilyGroup, sl_family_group): the families one batch of every
    path makes, as Store.families() reads them ([{"id" ("G" and the order of arrival of
    its first article: shard << 20 | the place of its id's first record), "origin",
    "members": [{"article", "jaccard", "containment", "relation"}]}], the origin first),
    sorted by origin. The groups go to one task for each shard that holds a group's
    lowest article. stats: as verified(), with "groups"."""
    paths = [str(p) for p in paths]
    if not paths:
        return []
    prepared, got_pairs = _paired(paths, client, read_fn, partitions, stats)
    want, groups, tasks_of = _places_wanted(got_pairs, len(paths)), _connected(got_pairs), {}
    for g in groups:
        tasks_of.setdefault(g[0][0] >> 20, []).append(g)
    texts = _fetch(prepared, want, ("id", "date", "shingles", "text", "order", "bands",
                                    "paragraphs"))
    tasks = [dask.delayed(_group_families)(gs, *[texts[n] for n in sorted(
        {n for g in gs for x, y in g for n in (x >> 20, y >> 20)})])
        for _, gs in sorted(tasks_of.items())]
    done = _compute(client, *tasks)
    out = sorted((f for part in done for f in part), key=lambda f: f["origin"])
    if stats is not None:
        stats["groups"] = len(groups)
        stats["candidate_articles"] = sum(len(w) for w in want)
    return out
