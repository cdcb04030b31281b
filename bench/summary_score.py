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
article (the expectation over the event's articles). Coverage ("cover"): weighted
distinct n-gram coverage of the first COVER sentences of the articles the summary does not
draw from (each n-gram weighs the number of those articles using it and counts once: a
fact repeated earns nothing more), recall and F (with the share of the summary's distinct
n-grams found there as precision). Paraphrase-aware redundancy ("overlap"): the scorer's
own overlap coefficient of content words (numbers and clock times normalised), mean and
max over the summary's pairs. The parameters (length, keep, redundant) are fitted by
5-fold cross-validation by event on J = (C1-F + C2-F) / 2 over the grid of runs: the
held-out J per fold (mean and spread) beside the in-sample best, and the best run at each
redundancy cut with the former objective (ROUGE F against the leads left out) beside it.
Headline: word Jaccard
with the gold event name (where the set has one) and mean word Jaccard with the event's
other titles, beside the first, the longest and a random title.
"""
import json
import random
import re
import statistics
import sys

LEAD = 3
COVER = 8  # the coverage objective's reference: each article's first COVER sentences
FOLDS = 5
STOP = set("""a an the of to in on at by for from with and or but as is are was were be been
being has have had do does did will would shall should can could may might must not no
that this these those it its he she they them his her their we our you your i me my which
who whom whose what when where why how than then there here so if into over under after
before about up down out off also said says say more most some any all each other such
only own same too very just about against between during while per""".split())
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


def content(s):
    """The scorer's own paraphrase-aware word set: lower-case words less stop words,
    numbers with their thousands commas dropped, clock times as one word ("6 a.m." =
    "6am"), a crude suffix cut (-s, -es, -ed, -ing) in place of a stemmer."""
    low = re.sub(r"(\d),(\d{3})\b", r"\1\2", (s or "").lower())
    low = re.sub(r"\b(\d+)\s?([ap])\.?m\b\.?", r"\1\2m", low)
    out = set()
    for w in WORD.findall(low):
        if w in STOP or (len(w) < 2 and not w.isdigit()):
            continue
        for suf in ("ing", "ed", "es", "s"):
            if len(w) > len(suf) + 2 and w.endswith(suf):
                w = w[:-len(suf)]
                break
        out.add(w)
    return out


def overlap(a, b):
    a, b = content(a), content(b)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def coverage(summary, ref_articles, n):
    """Weighted distinct n-gram coverage: each n-gram of the reference (the articles'
    first COVER sentences) weighs the number of those articles that use it and counts
    once; recall = weight of the summary's n-grams found there / weight of all; precision
    = share of the summary's distinct n-grams found there; returns (recall, F)."""
    df = {}
    for sents in ref_articles:
        for g in set(ngrams([w for x in sents for w in words(x)], n)):
            df[g] = df.get(g, 0) + 1
    mine = set(ngrams([w for x in summary for w in words(x)], n))
    total = sum(df.values())
    if not total or not mine:
        return None
    rec = sum(df.get(g, 0) for g in mine) / total
    prec = sum(1 for g in mine if g in df) / len(mine)
    return rec, (2 * rec * prec / (rec + prec) if rec + prec else 0.0)


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
    cov_ref = [x["sentences"][:COVER] for i, x in enumerate(arts) if i not in used]
    for n in (1, 2):
        c = coverage(sents, cov_ref, n) if sents and cov_ref else None
        if c is not None:
            f["c%d" % n] = c
    pairs = [(i, j) for i in range(len(sents)) for j in range(i + 1, len(sents))]
    if pairs:
        f["redundancy"] = statistics.mean(jaccard(sents[i], sents[j]) for i, j in pairs)
        ov = [overlap(sents[i], sents[j]) for i, j in pairs]
        f["overlap_mean"] = statistics.mean(ov)
        f["overlap_max"] = max(ov)
    f["dangling"] = bool(sents) and dangling(sents[0])
    return f


def objective(f):
    """The fit's objective: the mean of the weighted coverage F of unigrams and bigrams."""
    if "c1" not in f or "c2" not in f:
        return None
    return (f["c1"][1] + f["c2"][1]) / 2


def old_objective(f):
    """The former objective: ROUGE-1/2 F against the leads of the articles left out."""
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
          " | %5.3f %5.3f %5.3f %5.3f | %5.3f %5.3f"
          % (name, m("r1_all", 0), m("r1_all", 1), m("r2_all", 0), m("r2_all", 1),
             m("r1_out", 0), m("r1_out", 1), m("r2_out", 0), m("r2_out", 1),
             m("redundancy"), m("dangling"), m("three"), m("n"), m("articles"),
             m("c1", 0), m("c1", 1), m("c2", 0), m("c2", 1),
             m("overlap_mean"), m("overlap_max")))


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
    print("fit J=(C1-F + C2-F)/2 over %d events, %d runs: in-sample best %.4f "
          "(length %g keep %g redundant %g); held-out %.4f +- %.4f (5 folds: %s); "
          "fitted default %.4f"
          % (len(usable), len(runs) - 1, mean_j(usable, r_in), p["length"], p["keep"], p["redundant"],
             statistics.mean(held), statistics.stdev(held),
             " ".join("%.3f" % h for h in held), mean_j(usable, 0)))
    print("fold picks: %s" % "; ".join("length %g keep %g redundant %g"
                                       % (runs[r]["length"], runs[r]["keep"], runs[r]["redundant"])
                                       for r in picks))
    # the trade: the best run at each redundancy cut (in-sample J), and the former objective
    for cut in sorted({r["redundant"] for r in runs[1:]}):
        rs = [r for r in range(1, len(runs)) if runs[r]["redundant"] == cut]
        b = max(rs, key=lambda r: (mean_j(usable, r), -r))
        rows = [score_one(events[i], events[i]["runs"][b]["picks"]) for i in usable]
        print("  cut %-5g best length %g keep %g: J %.4f  former (R1-F+R2-F out)/2 %.4f  "
              "overlap mean %.3f max %.3f  sentences %.2f"
              % (cut, runs[b]["length"], runs[b]["keep"], mean_j(usable, b),
                 statistics.mean(v for v in (old_objective(f) for f in rows) if v is not None),
                 mean_of(rows, "overlap_mean")[0], mean_of(rows, "overlap_max")[0],
                 mean_of(rows, "n")[0]))


def main():
    events = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            events += [json.loads(line) for line in f if line.strip()]
    events = [ev for ev in events if ev["articles"]]
    print("%d events, %d articles; reference: each article's first %d sentences"
          % (len(events), sum(len(ev["articles"]) for ev in events), LEAD))
    print("%-22s %-23s | %-23s | %s" % ("", "all: R1 rec/F  R2 rec/F", "out: R1 rec/F  R2 rec/F",
                                        "redund dangl >=3  sent arts | cover: C1 rec/F  C2 rec/F"
                                        " | overlap mean/max"))
    present = [score_one(ev, ev["runs"][0]["picks"]) for ev in events]
    first = [score_one(ev, lead3(ev, 0)) for ev in events]
    rand = [expectation([score_one(ev, lead3(ev, a)) for a in range(len(ev["articles"]))])
            for ev in events]
    report("present (fitted)", present)
    report("lead-3 first article", first)
    report("lead-3 random article", rand)
    olds = [old_objective(f) for f in present]
    olds = [v for v in olds if v is not None]
    print("present: former objective (R1-F out + R2-F out)/2 %.4f over %d events; "
          "overlap max >= 0.5 in %d of %d summaries"
          % (statistics.mean(olds), len(olds),
             sum(1 for f in present if f.get("overlap_max", 0) >= 0.5), len(present)))
    if "length" in events[0]["runs"][0]:  # not a digest of the former (MMR) stage
        cross_validate(events)
    headline_figures(events)


if __name__ == "__main__":
    main()
