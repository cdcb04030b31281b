#!/usr/bin/python3
"""summary_cut.py — place the summary's redundancy cut (bench/summary_eval.sh).

  summary_cut.py PAIRS.jsonl [PAIRS.jsonl ...]

Input: `summary_digest --pairs` lines {"kind", "overlap", "jaccard"} of sentence pairs from
articles of different families. "lead": two outlets' leads (first fit sentence) on one gold
event: mostly its main fact in two wordings, the paraphrases the summary must not repeat.
"late": one article's lead against a sentence from the 5th on of another article of the
same event: mostly a different fact of the same event (what a summary should add).
"topic": the leads of two events of one topic (ECB+: two earthquakes; Giveme5W1H: one
category). The cut is the value that best tells "lead" from "late" (the summary's own
question: does this sentence of the event say what a chosen one says?): the threshold t
maximising Youden's J = TPR - FPR of "measure >= t means the same fact", over the
observed values. Printed for both measures with TPR, FPR, J and AUC, pooled and per file
(the cut's stability); "lead" against "topic" is printed too, for comparison.
"""
import bisect
import json
import sys


def youden(pos, neg):
    pos, neg = sorted(pos), sorted(neg)
    best = (-1.0, 1.0, 0.0, 0.0)
    for t in sorted(set(pos) | set(neg)):
        tpr = (len(pos) - bisect.bisect_left(pos, t)) / len(pos)
        fpr = (len(neg) - bisect.bisect_left(neg, t)) / len(neg)
        if tpr - fpr > best[0] + 1e-12:
            best = (tpr - fpr, t, tpr, fpr)
    # AUC: the chance that a positive pair measures above a negative one (ties count half)
    wins = sum(bisect.bisect_left(neg, v) + (bisect.bisect_right(neg, v)
                                             - bisect.bisect_left(neg, v)) / 2 for v in pos)
    return best, wins / (len(pos) * len(neg))


def report(name, rows):
    for neg_kind in ("late", "topic"):
        for key in ("overlap", "jaccard"):
            pos = [r[key] for r in rows if r["kind"] == "lead"]
            neg = [r[key] for r in rows if r["kind"] == neg_kind]
            if not pos or not neg:
                continue
            (j, t, tpr, fpr), auc = youden(pos, neg)
            print("%-24s lead vs %-5s %-8s cut %.3f  TPR %.3f FPR %.3f  J %.3f  AUC %.3f"
                  "  (%d / %d pairs)" % (name, neg_kind, key, t, tpr, fpr, j, auc,
                                          len(pos), len(neg)))


def main():
    pooled = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        report(path.rsplit("/", 1)[-1].split(".")[0], rows)
        pooled += rows
    report("pooled", pooled)


if __name__ == "__main__":
    main()
