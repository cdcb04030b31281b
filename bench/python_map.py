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
    whole = sd.shard_counts(sd.read_shard(path))
    parts = sd.shard_count_parts(sd.read_shard(path), sd.PARTITIONS)
    kept = sd.merge_counts([sd.repeated_part(p, sd.PARTITIONS, [d]) for p, d in parts])
    print(f"line counts (this file as one shard): {len(whole) / n:.1f} bytes an article as "
          f"JSON; in {sd.PARTITIONS} parts, packed as the shards send them "
          f"{sum(len(d) for _, d in parts) / n:.1f}; only the lines of three articles or more "
          f"(what every cleaning is given, storyline.dask.input_counts) {len(kept) / n:.1f}")
    t5 = time.perf_counter()
    blobs = sd.key_blobs(shard, 0)
    t6 = time.perf_counter()
    packed = sum(len(b) for _, (_, b) in blobs)
    print(f"shuffle rows {len(rows) / n:.1f} an article (32 bands, {paras:.1f} paragraph keys): "
          f"{8 * len(rows) / n:.0f} bytes at 8 a row; packed (key_blobs, {sd.PARTITIONS} "
          f"partitions, this file as one shard) {packed / n:.1f} bytes an article, "
          f"{packed / max(1, len(rows)):.2f} a row, {1e6 * (t6 - t5) / n:.0f} us an article to pack")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
