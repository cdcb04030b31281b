#!/usr/bin/python3
"""summary_score.py — score summary_digest's output (bench/summary_eval.sh).

  summary_score.py DIGEST.jsonl [DIGEST.jsonl ...]

Per gold event, a summary is scored against a reference made of the lead sentences (the
first LEAD sentences) of the event's articles: ROUGE-1 and ROUGE-2 recall and F (lower-case
words, no stemming, n-gram counts clipped), both with every article's lead in the reference
("all") and with the leads of the articles the summary draws from left out ("out": a lead
sentence chosen from its own article scores nothing for being there). Also: mean pairwise
word Jaccard between its sentences (redundancy), whether its first sentence opens with a
pronoun or connective (dangling), whether it has at least 3 sentences, and how many
articles it draws from. Systems: the present stage (its fitted parameters: the first run),
lead-3 of the first article (the reader's behaviour before it), and lead-3 of a random
article (the expectation over the event's articles). The parameters are fitted by 5-fold
cross-validation by event on J = (R1-F out + R2-F out) / 2 over the grid of runs: the
held-out J per fold (mean and spread) beside the in-sample best. Headline: word Jaccard
with the gold event name (where the set has one) and mean word Jaccard with the event's
other titles, beside the first, the longest and a random title.
"""
import json
import random
import re
import statistics
import sys

LEAD = 3
FOLDS = 5
WORD = re.compile(r"[^\W_]+", re.UNICODE)
DANGLING = set("""he she it they we i you this that these those his her its their our them
him such but and or so yet nor however also meanwhile moreover furthermore still
nevertheless nonetheless instead then thus therefore hence besides otherwise likewise
similarly additionally afterwards separately indeed regardless both another later earlier
here""".split())
DANGLING_PHRASES = ("the statement", "the move", "the decision", "the announcement",
                    "the comments", "the remarks", "the spokesman", "the spokeswoman",
                    "in addition", "as a result", "in response", "at the same time")


def words(s):
    return WORD.findall((s or "").lower())


def ngrams(toks, n):
    out = {}
    for i in range(len(toks) - n + 1):
        g = tuple(toks[i:i + n])
        out[g] = out.get(g, 0) + 1
    return out


def rouge(summary, reference, n):
    """(recall, F) of summary sentences against reference sentences, ROUGE-n."""
    s = ngrams([w for x in summary for w in words(x)], n)
    r = ngrams([w for x in reference for w in words(x)], n)
    rt, st = sum(r.values()), sum(s.values())
    if not rt or not st:
        return None
    hit = sum(min(c, r.get(g, 0)) for g, c in s.items())
    rec, prec = hit / rt, hit / st
    return rec, (2 * rec * prec / (rec + prec) if hit else 0.0)


def jaccard(a, b):
    a, b = set(words(a)), set(words(b))
    return len(a & b) / len(a | b) if a | b else 0.0


def dangling(s):
    w = words(s)
    low = (s or "").lower()
    return bool(w) and (w[0] in DANGLING or low.startswith(DANGLING_PHRASES))


def score_one(ev, picks):
    """Figures of one summary given as [[article, sentence]] picks."""
    arts = ev["articles"]
    sents = [arts[a]["sentences"][k] for a, k in picks]
    used = {a for a, _ in picks}
    ref_all = [s for x in arts for s in x["sentences"][:LEAD]]
    ref_out = [s for i, x in enumerate(arts) if i not in used for s in x["sentences"][:LEAD]]
    f = {"n": len(sents), "three": len(sents) >= 3, "articles": len(used)}
    for name, ref in (("all", ref_all), ("out", ref_out)):
        for n in (1, 2):
            r = rouge(sents, ref, n) if sents else (0.0, 0.0)
            if r is None and sents and ref:
                r = (0.0, 0.0)
            if r is not None:
                f["r%d_%s" % (n, name)] = r
    pairs = [(i, j) for i in range(len(sents)) for j in range(i + 1, len(sents))]
    if pairs:
        f["redundancy"] = statistics.mean(jaccard(sents[i], sents[j]) for i, j in pairs)
    f["dangling"] = bool(sents) and dangling(sents[0])
    return f


def objective(f):
    if "r1_out" not in f or "r2_out" not in f:
        return None
    return (f["r1_out"][1] + f["r2_out"][1]) / 2


def mean_of(rows, key, part=None):
    vals = []
    for f in rows:
        if key not in f:
            continue
        v = f[key]
        vals.append(v[part] if part is not None else float(v))
    return statistics.mean(vals) if vals else float("nan"), len(vals)


def report(name, rows):
    def m(key, part=None):
        return mean_of(rows, key, part)[0]
    print("%-22s %5.3f %5.3f %5.3f %5.3f | %5.3f %5.3f %5.3f %5.3f | %5.3f %5.3f %5.3f %4.2f %4.2f"
          % (name, m("r1_all", 0), m("r1_all", 1), m("r2_all", 0), m("r2_all", 1),
             m("r1_out", 0), m("r1_out", 1), m("r2_out", 0), m("r2_out", 1),
             m("redundancy"), m("dangling"), m("three"), m("n"), m("articles")))


def expectation(rows_per_article):
    """The mean figures over the event's articles (a random article's lead-3)."""
    out = {}
    for key in rows_per_article[0]:
        vals = [f[key] for f in rows_per_article if key in f]
        if not vals:
            continue
        if isinstance(vals[0], tuple):
            out[key] = (statistics.mean(v[0] for v in vals), statistics.mean(v[1] for v in vals))
        else:
            out[key] = statistics.mean(float(v) for v in vals)
    return out


def lead3(ev, a):
    return [[a, k] for k in range(min(LEAD, len(ev["articles"][a]["sentences"])))]


def headline_figures(events):
    rows = {"present": [], "first": [], "longest": [], "random": []}
    central = {k: [] for k in rows}
    for ev in events:
        titles = [(i, x["title"]) for i, x in enumerate(ev["articles"]) if x.get("title")]
        if not titles:
            continue
        pick = ev["headline"] if ev["headline"] >= 0 else titles[0][0]
        chosen = {"present": [pick], "first": [titles[0][0]],
                  "longest": [max(titles, key=lambda t: (len(t[1]), -t[0]))[0]],
                  "random": [i for i, _ in titles]}
        for k, idx in chosen.items():
            if ev.get("name"):
                rows[k].append(statistics.mean(jaccard(ev["articles"][i]["title"], ev["name"])
                                               for i in idx))
            if len(titles) > 1:
                central[k].append(statistics.mean(
                    statistics.mean(jaccard(ev["articles"][i]["title"], t)
                                    for j, t in titles if j != i) for i in idx))
    for k in rows:
        name = ("%5.3f (%d)" % (statistics.mean(rows[k]), len(rows[k]))) if rows[k] else "   -"
        cen = ("%5.3f (%d)" % (statistics.mean(central[k]), len(central[k]))) if central[k] else "-"
        print("headline %-8s Jaccard with gold name %s; mean Jaccard with other titles %s"
              % (k, name, cen))


def cross_validate(events):
    """Fit the run (parameters) on J by 5-fold CV by event."""
    runs = events[0]["runs"]
    scored = []  # per event: J of each run (None when not scorable)
    for ev in events:
        scored.append([objective(score_one(ev, r["picks"])) for r in ev["runs"]])
    # the events where every run leaves an article out of its sources (else the "out"
    # reference is empty and the run cannot be scored there)
    usable = [i for i, s in enumerate(scored) if all(j is not None for j in s)]
    order = sorted(usable, key=lambda i: events[i]["event"])
    random.Random(20).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]

    def mean_j(idx, r):
        return statistics.mean(scored[i][r] for i in idx)

    def best(idx):
        return max(range(1, len(runs)), key=lambda r: (mean_j(idx, r), -r))

    held, picks = [], []
    for k in range(FOLDS):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        r = best(train)
        picks.append(r)
        held.append(mean_j(folds[k], r))
    r_in = best(usable)
    p = runs[r_in]
    print("fit J=(R1-F out + R2-F out)/2 over %d events, %d runs: in-sample best %.4f "
          "(lambda %g redundant %g position %g); held-out %.4f +- %.4f (5 folds: %s); "
          "fitted default %.4f"
          % (len(usable), len(runs) - 1, mean_j(usable, r_in), p["lambda"], p["redundant"],
             p["position"], statistics.mean(held), statistics.stdev(held),
             " ".join("%.3f" % h for h in held), mean_j(usable, 0)))
    print("fold picks: %s" % "; ".join("l%g r%g p%g" % (runs[r]["lambda"], runs[r]["redundant"],
                                                          runs[r]["position"]) for r in picks))


def main():
    events = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            events += [json.loads(line) for line in f if line.strip()]
    events = [ev for ev in events if ev["articles"]]
    print("%d events, %d articles; reference: each article's first %d sentences"
          % (len(events), sum(len(ev["articles"]) for ev in events), LEAD))
    print("%-22s %-23s | %-23s | %s" % ("", "all: R1 rec/F  R2 rec/F", "out: R1 rec/F  R2 rec/F",
                                        "redund dangl >=3  sent arts"))
    present = [score_one(ev, ev["runs"][0]["picks"]) for ev in events]
    first = [score_one(ev, lead3(ev, 0)) for ev in events]
    rand = [expectation([score_one(ev, lead3(ev, a)) for a in range(len(ev["articles"]))])
            for ev in events]
    report("present (fitted)", present)
    report("lead-3 first article", first)
    report("lead-3 random article", rand)
    cross_validate(events)
    headline_figures(events)


if __name__ == "__main__":
    main()
