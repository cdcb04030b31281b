#!/usr/bin/python3
"""events_cv.py: the event engine's link model fitted and cross-validated by gold event
(docs/cluster.md, "The link model" and "Held-out figures: the protocol"). Standard library
only.

  events_cv.py bcubed GOLD.jsonl PRED.jsonl     BCubed P R F1 over the ids both hold
  events_cv.py run TUNE STORYLINE TMPDIR NAME GOLD [NAME GOLD ...]
  events_cv.py fitcheck                         the fitter on a made-up sample of known model
  (environment: EVENTS_CV_K=N for N folds instead of 5, EVENTS_CV_SEED=S for another deal)

`run` splits each set's gold groups (topic where the gold has one, else event) into K=5
folds (groups sorted, shuffled with a fixed seed, dealt round robin) and makes a store of
each fold's articles and one of the rest (STORYLINE add, in TMPDIR). For each fold k:

  1. the link model (bias, one weight per view) is fitted by L2-regularised
     logistic regression on the article pairs of every set's training store (pairs as
     `TUNE STORE --pairs` prints them; pairs that share too little content to link at all
     are left out, as the engine never links them; label: same gold event);
  2. the bar is chosen among BARS by the mean BCubed F1 over the sets' training stores
     clustered with that model (ties: the bar nearest 0.5);
  3. each set's fold-k store -- articles never seen in steps 1-2, clustered alone, as a
     held-out half would be -- is clustered with the model and bar and scored.

The figure is the mean +- sd over the folds; beside it, the in-sample one (fitted and the
bar chosen on all articles, scored on the same) and the cross-set ones (fitted and the bar
chosen on one set, scored on another). The fits are printed as cluster_tune arguments:
the engine's defaults are the in-sample fit, rounded (engine.c).

EVENTS_CV_GRID="name=v1,v2" adds another engine constant to what is chosen per fold: each
value (and the engine's default) gets its own fit and bar on the training stores, and the
best there is scored on the fold.
"""
import json, math, os, random, statistics, subprocess, sys

K = max(2, int(os.environ.get("EVENTS_CV_K", "5")))
SEED = int(os.environ.get("EVENTS_CV_SEED", "21"))
BARS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
L2 = 1.0  # ridge on the weights (not the bias): pairs are many, this only steadies them
NAMES = ["bias", "w_title", "w_body", "w_names", "w_details", "w_quotes"]


def read_jsonl(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                out[o["id"]] = (o, line)
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
    gold = {k: str(v[0]["event"]) for k, v in read_jsonl(gold_path).items()}
    pred = {k: str(v[0]["event"]) for k, v in read_jsonl(pred_path).items()}
    P, R, F, n = bcubed(gold, pred)
    print("articles %d  BCubed P %.4f R %.4f F1 %.4f" % (n, P, R, F))


# --- the model ---

def features(mean, t):
    """As link.c's model: 1 (bias), the five views' mean cosines times the time factor
    (a prior, not fitted: cluster_tune prints it as the engine has it)."""
    return [1.0] + [t * m for m in mean]


def args_of(params):
    return ["%s=%.6g" % (k, v) for k, v in params.items()]


PAIRS = {}  # (store, setting) -> rows: the in-sample and cross-set fits read them again


def pairs(tune, store, gold, setting):
    """The store's linkable article pairs as (features, label), under setting (other
    engine constants, as cluster_tune arguments)."""
    key = (store, tuple(sorted(setting.items())))
    if key not in PAIRS:
        PAIRS[key] = read_pairs(tune, store, gold, setting)
    return PAIRS[key]


def read_pairs(tune, store, gold, setting):
    out = subprocess.run([tune, store, "--pairs"] + args_of(setting), check=True,
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        a, b, ok, *rest = line.split("\t")
        if ok == "1":
            rows.append((features([float(x) for x in rest[:5]], float(rest[6])),
                         1.0 if gold[a] == gold[b] else 0.0))
    return rows


def solve(H, g):
    n = len(g)
    M = [H[i][:] + [g[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c:
                f = M[r][c] / M[c][c]
                for k in range(c, n + 1):
                    M[r][k] -= f * M[c][k]
    return [M[i][n] / M[i][i] for i in range(n)]


def fit(rows):
    """Logistic regression by Newton's method, L2 on all but the bias."""
    d = len(NAMES)
    beta = [0.0] * d
    for _ in range(50):
        g = [0.0] * d
        H = [[0.0] * d for _ in range(d)]
        for x, t in rows:
            z = sum(b * v for b, v in zip(beta, x))
            p = 1 / (1 + math.exp(-z)) if z > -35 else 0.0
            r, s = p - t, p * (1 - p)
            for i in range(d):
                if x[i]:
                    g[i] += r * x[i]
                    xi, Hi = s * x[i], H[i]
                    for j in range(i + 1):
                        Hi[j] += xi * x[j]
        for i in range(d):
            for j in range(i):
                H[j][i] = H[i][j]
        for i in range(1, d):
            g[i] += L2 * beta[i]
            H[i][i] += L2
        step = solve(H, g)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return dict(zip(NAMES, beta))


def cluster(tune, store, params):
    args = [tune, store] + args_of(params)
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return {o["id"]: str(o["event"]) for o in map(json.loads, out.split("\n")[:-1])}


def choose_bar(tune, stores, golds, model):
    """The bar with the best mean F1 over stores (ties: nearest 0.5), and that F1."""
    def score(bar):
        p = dict(model, join=bar)
        return statistics.mean(bcubed(g, cluster(tune, s, p))[2] for s, g in zip(stores, golds))
    scores = {b: round(score(b), 6) for b in BARS}
    best = max(BARS, key=lambda b: (scores[b], -abs(b - 0.5)))
    return best, scores[best]


def settings_from_env():
    """EVENTS_CV_GRID="name=v1,v2,...": the values of one other engine constant to choose
    among per fold, as the bar is (the engine's default first: ties go to it)."""
    spec = os.environ.get("EVENTS_CV_GRID")
    if not spec:
        return [{}]
    name, values = spec.split("=", 1)
    if name in NAMES or name == "join":
        sys.exit("events_cv.py: %s is fitted or chosen by the protocol itself" % name)
    return [{}] + [{name: float(v)} for v in values.split(",")]


def fit_and_bar(tune, data, which, setting):
    """Fit on the pairs of each set's store `which` (a function of the set), choose the
    bar on the same stores: (params, training F1)."""
    rows = [r for d in data for r in pairs(tune, which(d), d["gold"], setting)]
    model = fit(rows)
    p = dict(setting, **model)
    bar, score = choose_bar(tune, [which(d) for d in data], [d["gold"] for d in data], p)
    return dict(p, join=bar), score, len(rows)


def choose(tune, data, which, settings):
    """The setting (and its fitted params) best on the stores `which`."""
    best = None
    for st in settings:
        p, score, nrows = fit_and_bar(tune, data, which, st)
        if best is None or score > best[1]:
            best = (p, score, nrows, st)
    return best


def label(p):
    return " ".join("%s=%.3g" % (k, v) for k, v in p.items())


# --- the protocol ---

def make_store(storyline, path, lines):
    with open(path + ".jsonl", "w", encoding="utf-8") as f:
        f.writelines(l if l.endswith("\n") else l + "\n" for l in lines)
    subprocess.run([storyline, "--db", path, "-q", "add", path + ".jsonl"], check=True,
                   capture_output=True)
    return path


def folds_of(golds):
    key = "topic" if all("topic" in o for o, _ in golds.values()) else "event"
    groups = sorted({str(o[key]) for o, _ in golds.values()})
    random.Random(SEED).shuffle(groups)
    fold_of_group = {g: n % K for n, g in enumerate(groups)}
    folds = [[] for _ in range(K)]
    for i, (o, _) in golds.items():
        folds[fold_of_group[str(o[key])]].append(i)
    return key, len(groups), folds


def cmd_run(tune, storyline, tmp, sets):
    data = []
    for name, path in sets:
        golds = read_jsonl(path)
        gold = {i: str(o["event"]) for i, (o, _) in golds.items()}
        key, ngroups, folds = folds_of(golds)
        lines = lambda ids: [golds[i][1] for i in ids]
        full = make_store(storyline, os.path.join(tmp, name), lines(gold))
        test = [make_store(storyline, os.path.join(tmp, "%s.test%d" % (name, k)), lines(f))
                for k, f in enumerate(folds)]
        train = [make_store(storyline, os.path.join(tmp, "%s.train%d" % (name, k)),
                            lines([i for j in range(K) if j != k for i in folds[j]]))
                 for k in range(K)]
        data.append(dict(name=name, gold=gold, folds=folds, full=full, test=test, train=train,
                         key=key, ngroups=ngroups))
        print("%s: %d articles, %d events; folds by %s (%d groups), sizes %s" %
              (name, len(gold), len(set(gold.values())), key, ngroups,
               "/".join(str(len(f)) for f in folds)))
    settings = settings_from_env()
    print("K=%d folds, seed %d; bars %s; L2 %g; settings %s" % (K, SEED, BARS, L2, settings))

    held = {d["name"]: [] for d in data}
    for k in range(K):
        p, score, nrows, st = choose(tune, data, lambda d: d["train"][k], settings)
        print("\nfold %d: fitted on %d pairs (training F1 %.4f): %s" % (k, nrows, score, label(p)))
        for d in data:
            pred = cluster(tune, d["test"][k], p)
            P, R, F, n = bcubed(d["gold"], pred)
            held[d["name"]].append(F)
            print("  %s: %3d held-out articles, %d events, %d clusters: P %.4f R %.4f F1 %.4f" %
                  (d["name"], n, len({d["gold"][i] for i in pred}), len(set(pred.values())),
                   P, R, F))

    p = choose(tune, data, lambda d: d["full"], settings)[0]
    print("\n== in-sample fit (all articles of every set): %s" % label(p))
    for d in data:
        pred = cluster(tune, d["full"], p)
        P, R, F, n = bcubed(d["gold"], pred)
        h = held[d["name"]]
        print("%s: held-out F1 mean %.4f +- %.4f (folds %s); in-sample %.4f (P %.4f R %.4f, "
              "%d clusters for %d events); gap %.4f" %
              (d["name"], statistics.mean(h), statistics.stdev(h),
               " ".join("%.3f" % x for x in h), F, P, R, len(set(pred.values())),
               len(set(d["gold"].values())), F - statistics.mean(h)))

    if len(data) > 1:
        print("\n== cross-set: fitted and the bar chosen on one set, scored on another")
        for a in data:
            pa = choose(tune, [a], lambda d: d["full"], settings)[0]
            for b in data:
                if b is not a:
                    F = bcubed(b["gold"], cluster(tune, b["full"], pa))[2]
                    print("fitted on %s (%s) -> %s F1 %.4f" % (a["name"], label(pa), b["name"], F))


def cmd_fitcheck():
    """Draws 20,000 pairs from a known model (uniform features, a fixed seed) and prints
    what fit() recovers: it should be the model, within sampling error."""
    true = [-4.0, 3.0, 2.0, 6.0, 1.0, 0.0]
    rng = random.Random(7)
    rows = []
    for _ in range(20000):
        x = [1.0] + [rng.random() for _ in true[1:]]
        z = sum(b * v for b, v in zip(true, x))
        rows.append((x, 1.0 if rng.random() < 1 / (1 + math.exp(-z)) else 0.0))
    got = fit(rows)
    print(" ".join("%s=%.2f" % (k, got[k]) for k in NAMES))


def main(argv):
    if len(argv) == 2 and argv[1] == "fitcheck":
        cmd_fitcheck()
        return 0
    if len(argv) == 4 and argv[1] == "bcubed":
        cmd_bcubed(argv[2], argv[3])
        return 0
    if len(argv) >= 7 and argv[1] == "run" and (len(argv) - 5) % 2 == 0:
        cmd_run(argv[2], argv[3], argv[4], [tuple(argv[n:n + 2]) for n in range(5, len(argv), 2)])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
