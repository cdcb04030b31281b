#!/usr/bin/python3
"""Peer run: datasketch MinHash + MinHashLSH on the corpus kept by dedup_bench.

Runs the reference Python MinHash/LSH library on the exact corpus that
build/bench/dedup_bench generates (KEEP=1 keeps it), and scores it the same way:
a planted copy is found when the LSH query for the copy returns its base.

datasketch is NOT vendored in this repository. To get it (see
../shared/peers/README.md), extract a snapshot of the public repository ekzhu/datasketch
into a scratch folder outside the repo, e.g. /tmp/datasketch-src, then:

    apt-get install -y python3-numpy python3-scipy
    PYTHONPATH=/tmp/datasketch-src /usr/bin/python3 bench/peer_datasketch.py DIR

(use /usr/bin/python3: Debian's numpy/scipy are not visible to a pyenv python3).
bench/peer_compare.sh runs both sides and prints the ratio.
"""
import argparse
import json
import os
import resource
import time

from datasketch import MinHash, MinHashLSH

KINDS = ("whole", "sidebar", "trimmed", "typos")


def shingles(text):
    words = text.lower().split()
    if len(words) < 5:
        return [" ".join(words).encode("utf-8")]
    return [" ".join(words[i:i + 5]).encode("utf-8") for i in range(len(words) - 4)]


def main():
    ap = argparse.ArgumentParser(
        description="Run datasketch MinHash/MinHashLSH on a corpus kept by "
        "`KEEP=1 build/bench/dedup_bench` and score it against its truth.tsv.")
    ap.add_argument("dir", help="kept folder holding corpus.jsonl and truth.tsv")
    ap.add_argument("--threshold", type=float, default=0.5,
                    help="MinHashLSH Jaccard threshold (default 0.5)")
    ap.add_argument("--num-perm", type=int, default=128,
                    help="MinHash permutations (default 128)")
    args = ap.parse_args()

    ids, texts = [], []
    with open(os.path.join(args.dir, "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            ids.append(o["id"])
            texts.append(o["text"])
    truth = {}
    with open(os.path.join(args.dir, "truth.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            i, base, kind = line.rstrip("\n").split("\t")
            truth[i] = (base, kind)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    n = len(texts)

    t0 = time.perf_counter()
    sketches = []
    for t in texts:
        m = MinHash(num_perm=args.num_perm)
        m.update_batch(shingles(t))
        sketches.append(m)
    t_hash = time.perf_counter() - t0

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    for i, m in zip(ids, sketches):
        lsh.insert(i, m)
    results = {i: lsh.query(m) for i, m in zip(ids, sketches)}
    t_lsh = time.perf_counter() - t0

    planted = dict.fromkeys(KINDS, 0)
    found = dict.fromkeys(KINDS, 0)
    for i, (base, kind) in truth.items():
        if kind == "base":
            continue
        planted[kind] += 1
        found[kind] += base in results[i]
    pairs = true_pairs = 0
    for i, res in results.items():
        for j in res:
            if j != i:
                pairs += 1
                true_pairs += truth[i][0] == truth[j][0]

    print(f"datasketch MinHash({args.num_perm}) + MinHashLSH(threshold {args.threshold}) "
          f"on word 5-shingles: {n} articles, {mb:.1f} MB\n")
    print(f"{'copy kind':<10} {'planted':>8} {'found':>8} {'recall':>8}")
    for k in KINDS:
        print(f"{k:<10} {planted[k]:>8} {found[k]:>8} {found[k] / max(planted[k], 1):>8.4f}")
    p, fd = sum(planted.values()), sum(found.values())
    print(f"{'all':<10} {p:>8} {fd:>8} {fd / max(p, 1):>8.4f}")
    print(f"\nresult pairs (query != result): {pairs}, same base: {true_pairs} "
          f"(precision {true_pairs / max(pairs, 1):.4f})")
    print(f"minhash: {t_hash:.1f} s, {mb / t_hash:.2f} MB/s, {n / t_hash:.0f} docs/s")
    print(f"lsh insert+query: {t_lsh:.1f} s, {n / t_lsh:.0f} docs/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"total (minhash + lsh): {t_hash + t_lsh:.1f} s; peak memory {peak} MB")


if __name__ == "__main__":
    main()
