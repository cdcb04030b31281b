"""The dedup keys' shuffle across machines (sl_key_blobs_write, sl_key_pairs) and the
families decided from it (sl_family_group): a shard's band and paragraph keys packed a
partition at a time, a partition's reducer that turns every shard's blobs into the
candidate pairs (the articles that share a key), and a connected group of candidates'
families, by the dedup stage's rules. storyline.dask runs them; docs/scale.md measures
them."""

import struct
import threading

from ._native import ffi, lib
from ._util import Calls, Sink, c_body, c_text
from .errors import check


def key_blobs(keys, places, key_bits=48, partitions=16):
    """A shard's rows (keys[i], an int, cut to its low key_bits bits; places[i], the
    article's place in the shard, under 2^20) packed for the shuffle: [(partition, blob)]
    for every partition (key modulo partitions) that has rows, in rising order. A row
    given twice is sent once."""
    if len(keys) != len(places):
        raise ValueError("keys and places differ in length")
    got = []
    calls = Calls()

    def one(user, partition, blob, n):
        got.append((partition, ffi.buffer(blob, n)[:]))

    cb = ffi.callback("sl_key_blob_fn", calls.guard(one))
    k = ffi.new("unsigned long long[]", keys)
    p = ffi.new("unsigned[]", places)
    err = lib.sl_key_blobs_write(k, p, len(keys), key_bits, partitions, cb, ffi.NULL)
    calls.reraise()
    check(err)
    return got


class KeyPairs:
    """A reducer of the shuffle: add every shard's blob of one partition (with the shard's
    number), then pairs() gives the candidate pairs: for each key, its articles (numbered
    shard << 20 | place) in rising order, each paired with the `window` before it (64:
    those a batch of the dedup stage would give it; 1: a chain, enough to join a key's
    articles), every pair once (lower first), sorted. A blob that is not one raises
    (SL_ERR_INVALID) and adds nothing."""

    def __init__(self, window=64):
        out = ffi.new("sl_key_pairs **")
        check(lib.sl_key_pairs_create(out, window))
        self._k = ffi.gc(out[0], lib.sl_key_pairs_free)
        self._lock = threading.Lock()

    def add(self, shard, blob):
        b = c_body(blob, "blob")
        with self._lock:
            check(lib.sl_key_pairs_add(self._k, shard, b, len(b)))

    def pairs(self):
        sink = Sink()
        with self._lock:
            check(lib.sl_key_pairs_write(self._k, sink.fn, sink.user))
        return list(struct.iter_unpack("<QQ", sink.bytes()))


class FamilyGroup:
    """Families decided for a group of articles that pair only among themselves
    (sl_family_group): add each article (number: its order of arrival among articles of
    one date, a lower number first; id; date; shingle count, storyline.sketch's
    "shingles"; cleaned text) and each candidate pair (or every article's keys: keys()),
    then families() gives them as
    Store.families() and `storyline dups --json` give a store's: matched as one batch of
    the dedup stage matches them, by its own rules."""

    def __init__(self):
        out = ffi.new("sl_family_group **")
        check(lib.sl_family_group_create(out))
        self._g = ffi.gc(out[0], lib.sl_family_group_free)
        self._lock = threading.Lock()

    def add(self, number, id, date, shingles, text):
        t = c_body(text, "text")
        with self._lock:
            check(lib.sl_family_group_add(self._g, number, c_text(id, "id"),
                                          c_text(date, "date"), shingles, t, len(t)))

    def pair(self, a, b):
        with self._lock:
            check(lib.sl_family_group_pair(self._g, a, b))

    def keys(self, number, bands, paragraphs):
        """An added article's band and paragraph keys (storyline.sketch's, in order, each
        as the shuffle keys them: integers under 2^64). When every article has its keys,
        candidates are found key by key as a batch finds them and the pairs given are not
        read; else the keys are not read (sl_family_group_keys)."""
        b = ffi.new("unsigned long long[]", list(bands))
        p = ffi.new("unsigned long long[]", list(paragraphs))
        with self._lock:
            check(lib.sl_family_group_keys(self._g, number, b, len(bands), p, len(paragraphs)))

    def families(self):
        """[{"id" ("G" and its first article's number), "origin", "members": [{"article",
        "jaccard", "containment", "relation"}]}], the origin first."""
        sink = Sink()
        with self._lock:
            check(lib.sl_family_group_write(self._g, sink.fn, sink.user))
        return sink.json()
