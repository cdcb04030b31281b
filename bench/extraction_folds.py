#!/usr/bin/python3
"""extraction_folds.py: per-site folds of the article-extraction benchmark, and the score of
predictions on each fold (held-out figures: fit on four folds, report the fifth).

    /usr/bin/python3 bench/extraction_folds.py [--folds K] [--scorer BIN] GT.json RESULT...
    /usr/bin/python3 bench/extraction_folds.py [--folds K] --list GT.json

RESULT is a predictions file (*.jsonl, {"id","text"} per line: the scorer is run on it with
--per-page) or a saved `score_extraction --per-page` output. For each RESULT: per fold, the
pages, sites, precision, recall and F1 (the scorer's definition: means of the per-page P and
R of the fold's pages, F1 of the two means), then the mean of the folds' F1 and the figure
over all pages. --list prints the fold of every page instead ("id fold site url").

A page's fold: the first 8 bytes of SHA-1 of its site, modulo K (default 5). Its site is the
host of its ground-truth URL less "www.", reduced to its registrable part ("edition.cnn.com"
-> "cnn.com", "news.bbc.co.uk" -> "bbc.co.uk": the last two labels, three when the second
last is a generic second level such as co/com/org/net/ac/gov/edu under a two-letter country
code). So every page of a site falls in one fold, and a rule fitted on the others is
measured on sites it has not seen. The hash, not the order of the file, decides: the folds
are the same for anyone, whatever pages are added.

--scorer: the score_extraction binary (default: $BUILD/bench/score_extraction, BUILD
defaulting to build-plain in this repository).
Exit status: 0; 2 on a usage or input error.
"""
import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
GENERIC_SLD = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gob", "nic"}


def site_of(url):
    host = (urllib.parse.urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in GENERIC_SLD and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def fold_of(site, k):
    return int.from_bytes(hashlib.sha1(site.encode()).digest()[:8], "big") % k


def page_key(pid):
    """A prediction's id as the ground truth's key: the file name less its extensions."""
    base = os.path.basename(pid)
    return base.split(".", 1)[0]


def default_scorer():
    build = os.environ.get("BUILD", os.path.join(HERE, "..", "build-plain"))
    return os.path.join(build, "bench", "score_extraction")


PAGE_ROW = re.compile(r"^([0-9a-f]{16,})\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+(\d+)\s+(\d+)\s+(\S*)")


def parse_per_page(text):
    """score_extraction --per-page output -> {sha: (f1, p, r, n_true, n_pred)}."""
    rows = {}
    for line in text.splitlines():
        m = PAGE_ROW.match(line)
        if m:
            rows[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)),
                                int(m.group(5)), int(m.group(6)))
    return rows


def per_page(gt_path, result, scorer):
    """The per-page scores of a RESULT (predictions to score, or a saved score output)."""
    if result.endswith(".jsonl"):
        if not os.access(scorer, os.X_OK):
            sys.exit(f"extraction_folds.py: no scorer at {scorer} (--scorer BIN, or BUILD=DIR)")
        out = subprocess.run([scorer, gt_path, result, "--per-page"], check=False,
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"extraction_folds.py: {scorer} failed on {result}: {out.stderr.strip()}")
        text = out.stdout
    else:
        with open(result, encoding="utf-8") as f:
            text = f.read()
    rows = parse_per_page(text)
    if not rows:
        sys.exit(f"extraction_folds.py: {result}: no per-page rows (score_extraction --per-page)")
    return rows


def load_gt(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def figures(rows, ids):
    if not ids:
        return 0.0, 0.0, 0.0
    p = sum(rows[i][1] for i in ids) / len(ids)
    r = sum(rows[i][2] for i in ids) / len(ids)
    return p, r, (2 * p * r / (p + r) if p + r > 0 else 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--scorer", default=default_scorer())
    ap.add_argument("--list", action="store_true", help="print every page's fold")
    ap.add_argument("gt")
    ap.add_argument("results", nargs="*")
    a = ap.parse_args()
    if a.folds < 2 or (not a.list and not a.results):
        ap.print_usage(sys.stderr)
        return 2
    gt = load_gt(a.gt)
    site = {k: site_of(v.get("url", "")) for k, v in gt.items()}
    fold = {k: fold_of(s, a.folds) for k, s in site.items()}
    if a.list:
        for k in sorted(gt, key=lambda k: (fold[k], site[k], k)):
            print(k, fold[k], site[k], gt[k].get("url", ""))
        return 0
    for result in a.results:
        rows = per_page(a.gt, result, a.scorer)
        missing = [k for k in gt if k not in rows]
        if missing:
            print(f"extraction_folds.py: {result}: {len(missing)} page(s) of the ground truth "
                  "not in the score output", file=sys.stderr)
            return 2
        print(f"{result}: {len(gt)} pages, {len(set(site.values()))} sites, {a.folds} folds by site")
        print(f"{'fold':>6} {'pages':>6} {'sites':>6} {'P':>7} {'R':>7} {'F1':>7}")
        f1s = []
        for f in range(a.folds):
            ids = [k for k in gt if fold[k] == f]
            p, r, f1 = figures(rows, ids)
            f1s.append(f1)
            print(f"{f:>6} {len(ids):>6} {len({site[k] for k in ids}):>6} {p:7.3f} {r:7.3f} {f1:7.3f}")
        p, r, f1 = figures(rows, list(gt))
        mean = sum(f1s) / len(f1s)
        spread = (sum((x - mean) ** 2 for x in f1s) / (len(f1s) - 1)) ** 0.5
        print(f"{'all':>6} {len(gt):>6} {len(set(site.values())):>6} {p:7.3f} {r:7.3f} {f1:7.3f}")
        print(f"  mean of the folds' F1 {mean:.3f} (sd {spread:.3f}, min {min(f1s):.3f}, max {max(f1s):.3f})")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under head
    sys.exit(main())
