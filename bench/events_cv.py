#!/usr/bin/python3
"""events_cv.py: the event engine's parameters cross-validated by gold event (docs/cluster.md,
"Held-out figures: the protocol"). Standard library only.

  events_cv.py bcubed GOLD.jsonl PRED.jsonl        BCubed P R F1 over the ids both hold
  events_cv.py run TUNE NAME GOLD STORE [NAME GOLD STORE ...]
  (environment: EVENTS_CV_GRID="name=v1,v2;name2=v1,v2" for another grid, the rest at defaults)

`run` clusters ALL of a set's articles once per grid point (TUNE = the cluster_tune binary),
splits the gold groups (topic where the gold has one, else event) into K=5 folds (groups
sorted, shuffled with a fixed seed, dealt round robin), and for each fold picks the grid
point with the best BCubed F1 on the other folds' articles (ties: the defaults, else the
first in grid order) and scores it on the fold's articles. Scores on a subset are those of
the two partitions restricted to the subset (a predicted cluster counts only its members
inside the subset). Then the shipped defaults
and the in-sample best on the whole set, and each set's in-sample best scored on the others.
"""
import json, random, statistics, subprocess, sys, itertools

K = 5
SEED = 21
# The grid: the bar and the three heaviest view weights (defaults 0.225 / 0.15 / 0.35 / 0.35).
GRID = [
    ("join", [0.175, 0.2, 0.225, 0.25, 0.275, 0.3]),
    ("w_title", [0.1, 0.15, 0.2]),
    ("w_body", [0.25, 0.35, 0.45]),
    ("w_names", [0.25, 0.35, 0.45]),
]
# The engine's defaults (sli_cluster_params_default, engine.c), for the names a grid may use.
ENGINE_DEFAULTS = {"join": 0.225, "w_title": 0.15, "w_body": 0.35, "w_names": 0.35,
                   "w_details": 0.15, "w_quotes": 0.15, "body_min": 0.02, "body_terms": 10,
                   "quote_terms": 4, "boost": 2.0, "grace": 7, "tau": 150, "floor": 0.4,
                   "mean_window": 30, "idf_prior": 500}


def grid_from_env():
    """EVENTS_CV_GRID="name=v1,v2;name2=v1,v2" replaces the grid (other names at defaults)."""
    import os
    spec = os.environ.get("EVENTS_CV_GRID")
    if not spec:
        return
    GRID.clear()
    for part in spec.split(";"):
        name, vals = part.split("=")
        if name not in ENGINE_DEFAULTS:
            raise SystemExit("events_cv.py: unknown parameter %r" % name)
        GRID.append((name, [float(v) for v in vals.split(",")]))


def defaults():
    return {k: ENGINE_DEFAULTS[k] for k, _ in GRID}


def read_jsonl(path, field):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            o = json.loads(line)
            out[o["id"]] = o
    return out


def bcubed(gold, pred, ids=None):
    """gold, pred: id -> label. Over ids (default: ids in both). Returns (P, R, F1, n)."""
    if ids is None:
        ids = [i for i in gold if i in pred]
    ids = list(ids)
    if not ids:
        return (0.0, 0.0, 0.0, 0)
    gc, pc, both = {}, {}, {}
    for i in ids:
        g, p = gold[i], pred[i]
        gc[g] = gc.get(g, 0) + 1
        pc[p] = pc.get(p, 0) + 1
        both[(g, p)] = both.get((g, p), 0) + 1
    P = sum(both[(gold[i], pred[i])] / pc[pred[i]] for i in ids) / len(ids)
    R = sum(both[(gold[i], pred[i])] / gc[gold[i]] for i in ids) / len(ids)
    F = 2 * P * R / (P + R) if P + R > 0 else 0.0
    return (P, R, F, len(ids))


def cmd_bcubed(gold_path, pred_path):
    gold = {k: str(v["event"]) for k, v in read_jsonl(gold_path, "event").items()}
    pred = {k: str(v["event"]) for k, v in read_jsonl(pred_path, "event").items()}
    P, R, F, n = bcubed(gold, pred)
    print("articles %d  BCubed P %.4f R %.4f F1 %.4f" % (n, P, R, F))


def cluster(tune, store, params):
    args = [tune, store] + ["%s=%g" % (k, v) for k, v in params.items()]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    pred = {}
    for line in out.splitlines():
        if line.strip():
            o = json.loads(line)
            pred[o["id"]] = str(o["event"])
    return pred


def folds_of(golds):
    group_key = "topic" if all("topic" in o for o in golds.values()) else "event"
    groups = sorted({str(o[group_key]) for o in golds.values()})
    random.Random(SEED).shuffle(groups)
    fold_of_group = {g: n % K for n, g in enumerate(groups)}
    folds = [[] for _ in range(K)]
    for i, o in golds.items():
        folds[fold_of_group[str(o[group_key])]].append(i)
    return group_key, len(groups), folds


def label(params):
    return " ".join("%s=%g" % (k, params[k]) for k, _ in GRID)


def cmd_run(tune, sets):
    grid_from_env()
    DEFAULTS = defaults()
    points = [dict(zip([k for k, _ in GRID], vals))
              for vals in itertools.product(*[v for _, v in GRID])]
    if DEFAULTS not in points:
        points.append(dict(DEFAULTS))
    print("grid: %d points (%s); K=%d folds, seed %d" %
          (len(points), "; ".join("%s %s" % (k, v) for k, v in GRID), K, SEED))
    results = {}
    for name, gold_path, store in sets:
        golds = read_jsonl(gold_path, "event")
        gold = {i: str(o["event"]) for i, o in golds.items()}
        preds = [cluster(tune, store, p) for p in points]
        key, ngroups, folds = folds_of(golds)
        dn = points.index(DEFAULTS)  # ties go to the defaults, then to the first in grid order
        print("\n== %s: %d articles, %d events; folds by %s (%d groups), sizes %s" %
              (name, len(gold), len(set(gold.values())), key, ngroups,
               "/".join(str(len(f)) for f in folds)))
        held = []
        for k in range(K):
            train = [i for j in range(K) if j != k for i in folds[j]]
            best = max(range(len(points)),
                       key=lambda n: (bcubed(gold, preds[n], train)[2], n == dn, -n))
            tr = bcubed(gold, preds[best], train)[2]
            P, R, F, n = bcubed(gold, preds[best], folds[k])
            dflt = bcubed(gold, preds[points.index(DEFAULTS)], folds[k])[2]
            held.append(F)
            print("fold %d: %3d held-out articles; picked %s (F1 %.4f on the other folds); "
                  "held-out P %.4f R %.4f F1 %.4f (defaults on this fold %.4f)" %
                  (k, n, label(points[best]), tr, P, R, F, dflt))
        mean, sd = statistics.mean(held), statistics.stdev(held)
        din = bcubed(gold, preds[points.index(DEFAULTS)])[2]
        ib = max(range(len(points)), key=lambda n: (bcubed(gold, preds[n])[2], n == dn, -n))
        fin = bcubed(gold, preds[ib])[2]
        print("%s: held-out F1 mean %.4f +- %.4f (sd over %d folds)" % (name, mean, sd, K))
        print("%s: in-sample F1, shipped defaults %.4f (%d clusters)" %
              (name, din, len(set(preds[points.index(DEFAULTS)].values()))))
        print("%s: in-sample F1, best grid point %.4f (%s)" % (name, fin, label(points[ib])))
        print("%s: gap, defaults in-sample minus held-out mean: %.4f" % (name, din - mean))
        results[name] = (gold, preds, ib)
    names = [s[0] for s in sets]
    if len(names) > 1:
        print("\n== cross-set: each set's in-sample best scored on the other")
        for a in names:
            for b in names:
                if a == b:
                    continue
                gold_b, preds_b, ib_b = results[b]
                ib_a = results[a][2]
                F = bcubed(gold_b, preds_b[ib_a])[2]
                print("tuned on %s (%s) -> %s F1 %.4f (best on %s itself %.4f)" %
                      (a, label(points[ib_a]), b, F, b, bcubed(gold_b, preds_b[ib_b])[2]))


def main(argv):
    if len(argv) == 4 and argv[1] == "bcubed":
        cmd_bcubed(argv[2], argv[3])
        return 0
    if len(argv) >= 6 and argv[1] == "run" and (len(argv) - 3) % 3 == 0:
        cmd_run(argv[2], [tuple(argv[n:n + 3]) for n in range(3, len(argv), 3)])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
