#!/usr/bin/python3
"""Where the quote finder fails, by kind (bench/quotes_eval.sh runs it).

usage: quotes_failures.py GOLD.jsonl PRED.jsonl [--show KIND] [--limit N] [--articles IDS]
                         [--context ARTICLES.jsonl CHARS]

Matches predictions to gold exactly as score_quotes.py does (a prediction is right when half
its words lie in one gold quote; a direct gold quote is found when the right predictions
cover half its words; the speaker of a found quote is the prediction's with the most words
in it) and sorts what went wrong:
  quote missed        a direct gold quote no speech prediction covers
                      (+ "as phrase" when a phrase-kind prediction would have covered it)
  quote spurious      a speech prediction in no gold quote
  speaker missing     found, gold speaker a name or description, predicted none
  speaker wrong-name  predicted a name that shares no word with the gold speaker
  speaker wrong-desc  predicted a description ("a spokeswoman") that shares none
  speaker pronoun-unresolved / pronoun-resolved: found quotes whose gold speaker is a
                      pronoun (not scored): left null, or resolved to a name
--show KIND prints the cases of that kind (first word of the kind is enough).
"""
import json, re, sys
from collections import Counter

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "his", "its", "their"}
FILLER = {"the", "a", "an", "of", "for", "and", "mr", "mrs", "ms", "dr", "said", "says", "to", "in", "on", "at"}


def toks(s):
    return TOKEN.findall((s or "").casefold())


def content(s):
    return {t for t in toks(s) if t not in FILLER and t not in PRONOUNS}


def overlap(a, b):
    return sum((Counter(a) & Counter(b)).values())


def main(argv):
    show, limit, arts, ctx, texts = None, 30, None, 0, {}
    if "--context" in argv:
        i = argv.index("--context"); ctx = int(argv[i + 2]); art_path = argv[i + 1]; del argv[i:i + 3]
        for line in open(art_path, encoding="utf-8"):
            r = json.loads(line)
            texts[r["id"]] = r["text"]
    if "--show" in argv:
        i = argv.index("--show"); show = argv[i + 1]; del argv[i:i + 2]
    if "--limit" in argv:
        i = argv.index("--limit"); limit = int(argv[i + 1]); del argv[i:i + 2]
    if "--articles" in argv:
        i = argv.index("--articles"); arts = set(argv[i + 1].split(",")); del argv[i:i + 2]
    gold, pred, phr = {}, {}, {}
    for line in open(argv[1], encoding="utf-8"):
        g = json.loads(line)
        w = toks(" ".join(g["segments"]))
        if w:
            gold.setdefault(g["article"], []).append((g, w))
    for line in open(argv[2], encoding="utf-8"):
        if not line.strip():
            continue
        r = json.loads(line)
        if not toks(r.get("text")):
            continue
        (phr if r.get("kind") == "phrase" else pred).setdefault(r["article"], []).append(r)
    kinds = Counter()
    cases = []
    keep = [a for a in gold if arts is None or a.split("_")[0] in arts or a in arts]
    for a in keep:
        G = gold[a]
        covered = [Counter() for _ in G]
        best = [(0, None) for _ in G]
        for r in pred.get(a, []):
            w = toks(r["text"])
            sc = [overlap(w, gw) for _, gw in G]
            j = max(range(len(G)), key=lambda k: sc[k])
            if sc[j] * 2 >= len(w):
                covered[j] |= Counter(w) & Counter(G[j][1])
                if sc[j] > best[j][0]:
                    best[j] = (sc[j], r.get("speaker"))
            else:
                kinds["quote spurious"] += 1
                cases.append(("quote spurious", a, r["text"][:100], r.get("speaker"), "", r["text"][:60]))
        pcov = [Counter() for _ in G]
        for r in phr.get(a, []):
            w = toks(r["text"])
            sc = [overlap(w, gw) for _, gw in G]
            j = max(range(len(G)), key=lambda k: sc[k])
            if sc[j] * 2 >= len(w):
                pcov[j] |= Counter(w) & Counter(G[j][1])
        for k, (g, gw) in enumerate(G):
            if g["kind"] != "direct":
                continue
            if sum(covered[k].values()) * 2 < len(gw):
                if sum((covered[k] | pcov[k]).values()) * 2 >= len(gw):
                    kind = "quote missed (as phrase)"
                else:
                    kind = "quote missed"
                kinds[kind] += 1
                cases.append((kind, a, " ".join(gw[:16]), None, g["speaker"], g["segments"][0]))
                continue
            spk = best[k][1]
            if g["speaker_is_pronoun"] or not g["speaker"] or not content(g["speaker"]):
                kind = "speaker pronoun-resolved" if spk else "speaker pronoun-unresolved"
                kinds[kind] += 1
                cases.append((kind, a, " ".join(gw[:12]), spk, g["speaker"], g["segments"][0]))
                continue
            kinds["speaker scored"] += 1
            if content(spk) & content(g["speaker"]):
                kinds["speaker right"] += 1
                continue
            if not spk:
                kind = "speaker missing"
            elif spk[:1].isupper():
                kind = "speaker wrong-name"
            else:
                kind = "speaker wrong-desc"
            kinds[kind] += 1
            cases.append((kind, a, " ".join(gw[:12]), spk, g["speaker"], g["segments"][0]))
    order = ["quote missed", "quote missed (as phrase)", "quote spurious", "speaker scored",
             "speaker right", "speaker missing", "speaker wrong-name", "speaker wrong-desc",
             "speaker pronoun-resolved", "speaker pronoun-unresolved"]
    for k in order:
        print(f"  {k:28s} {kinds[k]}")
    if show:
        n = 0
        for kind, a, text, spk, gs, seg in cases:
            if kind.split()[1].startswith(show) or kind.startswith(show):
                print(f"{kind} | {a} | gold {gs!r} | pred {spk!r} | {text}")
                t = texts.get(a, "")
                i = t.find(seg.strip(' "\u201c\u201d')[:40]) if t else -1
                if ctx and i >= 0:
                    print("    " + repr(t[max(0, i - ctx):i + len(seg) + ctx]))
                n += 1
                if n >= limit:
                    break


if __name__ == "__main__":
    main(sys.argv)
