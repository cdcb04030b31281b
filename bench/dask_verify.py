#!/usr/bin/python3
"""The workers' stages of the Dask pipeline that decide families, timed on a LocalCluster:
reading, the line counts in two rounds, cleaning and sketching, the band-key shuffle and
the candidates' verification (storyline.dask.verified), with what crossed between
processes, in bytes an article. docs/scale.md quotes it.

usage: PYTHONPATH=BUILD/python /usr/bin/python3 bench/dask_verify.py WORKERS PATH...
       (each PATH a shard; WORKERS 0: one process, no cluster)
"""

import sys
import time

from storyline import dask as sd


def main(workers, paths):
    client = cluster = None
    t0 = time.perf_counter()
    if workers:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    t1 = time.perf_counter()
    stats = {}
    got = sd.verified(paths, client, stats=stats)
    t2 = time.perf_counter()
    if client is not None:
        client.close()
        cluster.close()
    n = stats["articles"] or 1
    print(f"{stats['articles']} articles in {len(paths)} shards, "
          f"{workers or 'no'} workers: {t2 - t1:.1f} s ({n / (t2 - t1):.0f} articles/s; "
          f"the cluster's start {t1 - t0:.1f} s)")
    print(f"bytes an article: band and paragraph keys {stats['shuffle_bytes'] / n:.1f}, "
          f"line counts sent {stats['count_bytes'] / n:.1f}, merged counts "
          f"{stats['counts_merged_bytes'] / n:.2f} (given to each of {len(paths)} shards: "
          f"{len(paths) * stats['counts_merged_bytes'] / n:.2f}), candidates' texts "
          f"{stats['candidate_text_bytes'] / n:.1f} (one copy; up to workers - 1 cross), "
          f"the records' identities (repeats across shards) {stats['identity_bytes'] / n:.1f}")
    print(f"pairs {stats['pairs']}, candidate articles {stats['candidate_articles']}, "
          f"matches {sum(v['match'] for v in got)}, copies {sum(v['copy'] for v in got)}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2:])
