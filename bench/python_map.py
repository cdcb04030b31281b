#!/usr/bin/python3
"""The per-article stage through the Python package, in one process: microseconds an
article for reading, cleaning + sketching (storyline.dask.prepare), features and facts,
the line counts' bytes an article (all, and the lines that change a cleaning only),
and the shuffle rows an article (band and paragraph keys) with their bytes at 8 a row and
as packed for the shuffle (storyline.dask.key_blobs; docs/scale.md quotes them).

usage: PYTHONPATH=BUILD/python /usr/bin/python3 bench/python_map.py FILE.jsonl|DIRECTORY
"""

import os
import sys
import time

import storyline
from storyline import dask as sd


def main(path):
    size = (sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
            if os.path.isdir(path) else os.path.getsize(path))
    t0 = time.perf_counter()
    storyline.read(path)
    t1 = time.perf_counter()
    shard = sd.prepare(sd.read_shard(path))
    t2 = time.perf_counter()
    arts = shard["articles"]
    n = len(arts) or 1
    tools = storyline.TextTools()
    for a in arts:
        tools.features(a["text"], a["title"])
    t3 = time.perf_counter()
    for a in arts:
        tools.facts(a["text"], a["title"], a["date"])
    t4 = time.perf_counter()
    rows = sd.key_rows(shard, 0)
    paras = sum(len(a["paragraphs"]) for a in arts) / n
    print(f"{len(arts)} articles, {size / 1e6:.1f} MB")
    print(f"read {1e6 * (t1 - t0) / n:.0f} us/article; read + clean (no counts) + sketch "
          f"{1e6 * (t2 - t1) / n:.0f} us ({size / 1e6 / (t2 - t1):.1f} MB/s); features "
          f"{1e6 * (t3 - t2) / n:.0f} us; facts {1e6 * (t4 - t3) / n:.0f} us")
    read = sd.read_shard(path)
    whole = sd.shard_counts(read)
    t7 = time.perf_counter()
    lines = sd.shard_lines(read, sd.PARTITIONS)
    repeated = [sd.repeated_keys([b]) for _, b in lines]
    kept = sd.shard_kept_counts(read, repeated)
    final = sd._exact(sd._merge_packed([kept]))
    t8 = time.perf_counter()
    print(f"line counts (this file as one shard): {len(whole) / n:.1f} bytes an article as "
          f"JSON; sent in two rounds (storyline.dask.input_counts, {sd.PARTITIONS} parts): the "
          f"lines' keys {sum(len(b) for _, b in lines) / n:.1f}, then the counts of the "
          f"repeated lines, packed, {len(kept) / n:.1f} (the keys of those sent back "
          f"{sum(len(b) for b in repeated) / n:.1f}); the merged counts every cleaning is given "
          f"{len(final) / n:.1f}; {1e6 * (t8 - t7) / n:.0f} us an article for both rounds")
    t5 = time.perf_counter()
    blobs = sd.key_blobs(shard, 0)
    t6 = time.perf_counter()
    packed = sum(len(b) for _, (_, b) in blobs)
    print(f"shuffle rows {len(rows) / n:.1f} an article (32 bands, {paras:.1f} paragraph keys): "
          f"{9 * len(rows) / n:.0f} bytes at 9 a row (a 48-bit key, a 20-bit place); "
          f"packed (key_blobs, {sd.PARTITIONS} "
          f"partitions, this file as one shard) {packed / n:.1f} bytes an article, "
          f"{packed / max(1, len(rows)):.2f} a row, {1e6 * (t6 - t5) / n:.0f} us an article to pack")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
