#!/usr/bin/python3
"""extraction_worst.py: where an extractor loses on the article-extraction benchmark: the N
worst pages, each with its site, the F1 of every extractor given, and the first text it
missed and the first it added.

    /usr/bin/python3 bench/extraction_worst.py [-n N] [--chars C] [--scorer BIN] GT.json A.jsonl [B.jsonl ...]

A.jsonl, B.jsonl: predictions ({"id","text"} per line: storyline's html_speed --predict or
export, a peer's from bench/peer_extraction.sh with KEEP=1). Each is scored with
score_extraction --per-page (the scorer's own per-page P/R/F1, so the figures are the
benchmark's); pages are ranked by A's F1, worst first (ties: by how many true shingles were
missed). For each page and extractor: F1 (P/R), then
  missing: the first run of the true text whose 4-token shingles the prediction lacks,
  extra:   the first run of the prediction whose shingles the true text lacks,
each cut to C characters (default 200), on one line. Shingles and tokens as the scorer
(Unicode word runs, Python's \\w here: a display aid, not the score).
--scorer as in extraction_folds.py. Exit status: 0; 2 on a usage or input error.
"""
import argparse
import collections
import json
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extraction_folds import default_scorer, load_gt, page_key, per_page, site_of  # noqa: E402

WORD = re.compile(r"\w+")


def load_preds(path):
    preds = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError:
                print(f"extraction_worst.py: {path}:{n}: not JSON", file=sys.stderr)
                continue
            if isinstance(o.get("id"), str):
                preds[page_key(o["id"])] = o.get("text") or ""
    return preds


def shingles(text):
    """Token spans and the list of 4-token shingles (as tuples) in order."""
    toks = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    words = [t[2] for t in toks]
    n = max(1, len(words) - 3) if words else 0
    return toks, [tuple(words[i:i + 4]) for i in range(n)]


def first_run_not_in(text, other, chars):
    """The first run of `text` whose shingles are not in `other` (a multiset), as text."""
    toks, sh = shingles(text)
    _, other_sh = shingles(other)
    have = collections.Counter(other_sh)
    miss = []
    for s in sh:  # consume the multiset in order, as the scorer's min(count) does
        if have[s] > 0:
            have[s] -= 1
            miss.append(False)
        else:
            miss.append(True)
    if True not in miss:
        return ""
    i = miss.index(True)
    j = i
    while j + 1 < len(miss) and miss[j + 1]:
        j += 1
    start = toks[i][0]
    end = toks[min(j + 3, len(toks) - 1)][1]
    span = " ".join(text[start:end].split())
    return span if len(span) <= chars else span[:chars - 1] + "…"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=20, help="pages to list (default 20)")
    ap.add_argument("--chars", type=int, default=200)
    ap.add_argument("--scorer", default=default_scorer())
    ap.add_argument("gt")
    ap.add_argument("preds", nargs="+")
    a = ap.parse_args()
    gt = load_gt(a.gt)
    names = [os.path.basename(p).rsplit(".jsonl", 1)[0] for p in a.preds]
    scores = [per_page(a.gt, p, a.scorer) for p in a.preds]
    texts = [load_preds(p) for p in a.preds]
    for p, s in zip(a.preds, scores):
        if any(k not in s for k in gt):
            print(f"extraction_worst.py: {p}: the score output lacks pages of the ground truth",
                  file=sys.stderr)
            return 2
    first = scores[0]
    order = sorted(gt, key=lambda k: (first[k][0], -(first[k][3] * (1 - first[k][2])), k))
    width = max(len(n) for n in names)
    print(f"{len(gt)} pages; the {min(a.n, len(order))} worst by {names[0]}'s F1")
    for rank, k in enumerate(order[:a.n], 1):
        truth = gt[k].get("articleBody", "")
        f1s = "  ".join(f"{n} {s[k][0]:.3f}" for n, s in zip(names, scores))
        print(f"\n{rank:>3}. {k[:16]}  {site_of(gt[k].get('url', ''))}  {f1s}")
        print(f"     {gt[k].get('url', '')}")
        for n, s, t in zip(names, scores, texts):
            pred = t.get(k, "")
            f1, p, r, n_true, n_pred = s[k]
            print(f"     {n:<{width}} F1 {f1:.3f} (P {p:.3f} R {r:.3f}; {n_true} true, {n_pred} predicted shingles)")
            miss = first_run_not_in(truth, pred, a.chars)
            extra = first_run_not_in(pred, truth, a.chars)
            if miss:
                print(f"     {'':<{width}} missing: {miss}")
            if extra:
                print(f"     {'':<{width}} extra:   {extra}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under head
    sys.exit(main())
