"""The dedup keys' shuffle across machines (sl_key_blobs_write, sl_key_pairs): a shard's
band and paragraph keys packed a partition at a time, and a partition's reducer that
turns every shard's blobs into the candidate pairs (the articles that share a key).
storyline.dask's candidates() runs them; docs/scale.md measures them."""

import struct
import threading

from ._native import ffi, lib
from ._util import Calls, Sink, c_body
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
    number), then pairs() gives the candidate pairs: the articles (numbered shard << 20 |
    place) that share a key, the lowest `max_per_key` of each key, every pair once
    (lower first), sorted. A blob that is not one raises (SL_ERR_INVALID) and adds
    nothing."""

    def __init__(self, max_per_key=64):
        out = ffi.new("sl_key_pairs **")
        check(lib.sl_key_pairs_create(out, max_per_key))
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
