#!/usr/bin/python3
"""The workers' stages of the Dask pipeline that decide families, timed on a LocalCluster:
reading, the line counts in two rounds, cleaning and sketching, the band-key shuffle and
the candidates' verification (storyline.dask.verified), or with --families the families
themselves (storyline.dask.families: the candidates' groups matched by the dedup stage's
rules), with what crossed between processes, in bytes an article. docs/scale.md quotes it.

usage: PYTHONPATH=BUILD/python /usr/bin/python3 bench/dask_verify.py
           [--families [--against STORE]] WORKERS PATH...
       (each PATH a shard; WORKERS 0: one process, no cluster; STORE: a store of the same
       paths, `storyline add` or the pipeline's, whose families are compared with the
       workers': origin, members, relations, Jaccard and containment to six digits)
"""

import sys
import time

from storyline import dask as sd


def _comparable(fams):
    def num(x):
        return float("%.6g" % x)

    out = []
    for f in fams:
        ms = f["members"] if isinstance(f, dict) else [
            {"article": m.article, "jaccard": m.jaccard, "containment": m.containment,
             "relation": m.relation} for m in f.members]
        out.append(tuple((m["article"], num(m["jaccard"]), num(m["containment"]),
                          m["relation"]) for m in ms))
    return sorted(out)


def _timed(stage, workers, paths):
    """stage(paths, client, stats=...) on a LocalCluster of `workers` (0: one process):
    (its result, stats, its seconds, the cluster's start in seconds)."""
    client = cluster = None
    t0 = time.perf_counter()
    if workers:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    t1 = time.perf_counter()
    stats = {}
    got = stage(paths, client, stats=stats)
    t2 = time.perf_counter()
    if client is not None:
        client.close()
        cluster.close()
    return got, stats, t2 - t1, t1 - t0


def families(workers, paths, against):
    got, stats, took, _ = _timed(sd.families, workers, paths)
    n = stats["articles"] or 1
    print(f"{stats['articles']} articles in {len(paths)} shards, "
          f"{workers or 'no'} workers: families in {took:.1f} s ({n / took:.0f} "
          f"articles/s)")
    print(f"pairs {stats['pairs']} in {stats['groups']} groups, candidate articles "
          f"{stats['candidate_articles']}; families {len(got)} of "
          f"{sum(len(f['members']) for f in got)} articles; bytes an article: band and "
          f"paragraph keys {stats['shuffle_bytes'] / n:.1f}, line counts sent "
          f"{stats['count_bytes'] / n:.1f}, identities {stats['identity_bytes'] / n:.1f}")
    if against:
        import storyline

        with storyline.Store(against, readonly=True) as st:
            want = _comparable(st.families())
        mine = _comparable(got)
        print(f"against {against}: {len(want)} families; "
              f"{sum(f not in want for f in mine)} of the workers' not the store's, "
              f"{sum(f not in mine for f in want)} of the store's not the workers'")


def main(workers, paths):
    got, stats, took, start = _timed(sd.verified, workers, paths)
    n = stats["articles"] or 1
    print(f"{stats['articles']} articles in {len(paths)} shards, "
          f"{workers or 'no'} workers: {took:.1f} s ({n / took:.0f} articles/s; "
          f"the cluster's start {start:.1f} s)")
    print(f"bytes an article: band and paragraph keys {stats['shuffle_bytes'] / n:.1f}, "
          f"line counts sent {stats['count_bytes'] / n:.1f}, merged counts "
          f"{stats['counts_merged_bytes'] / n:.2f} (given to each of {len(paths)} shards: "
          f"{len(paths) * stats['counts_merged_bytes'] / n:.2f}), candidates' texts "
          f"{stats['candidate_text_bytes'] / n:.1f} (one copy; up to workers - 1 cross), "
          f"the records' identities (repeats across shards) {stats['identity_bytes'] / n:.1f}")
    print(f"pairs {stats['pairs']}, candidate articles {stats['candidate_articles']}, "
          f"matches {sum(v['match'] for v in got)}, copies {sum(v['copy'] for v in got)}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--families"]:
        against = None
        if args[1:2] == ["--against"] and len(args) > 2:
            against, args = args[2], args[3:]
        else:
            args = args[1:]
        if len(args) < 2:
            sys.exit(__doc__)
        families(int(args[0]), args[1:], against)
    elif len(args) < 2 or args[0].startswith("-"):
        sys.exit(__doc__)
    else:
        main(int(args[0]), args[1:])
