#!/bin/sh
# The scale curve: one `storyline add` per corpus size into a fresh store, every stage on,
# as a user runs it (default slices), and one table of where the time and the bytes go;
# beside it datasketch (MinHash + MinHashLSH, bench/peer_datasketch.py) on the same corpus
# against storyline's dedup; then +EXTRA articles into the largest store in a fresh
# process, warm and cold. docs/bench.md ("The scale curve") says how to read it.
#
# usage: bench/curve.sh BUILD [SIZES...]        (default sizes: 10000 100000 1000000)
# environment:
#   CORPUS=FILE    JSON Lines to take the first SIZE lines of (default: BUILD's gen_corpus
#                  writes one of the largest size, seed 1, into the scratch folder)
#   PEER=DIR       the folder that holds the `datasketch` package (see peer_datasketch.py);
#                  unset: the peer is not run
#   PEER_MAX=N     largest size the peer runs at (default 100000: at 1.5 MB/s per core it
#                  would take about 50 minutes and several GB at 1M)
#   EXTRA=N        articles added to the largest store afterwards (default 1000)
#   ADD_ARGS=...   more options for every `add` (e.g. "--slice 0")
#   SCRATCH=DIR    where corpora and stores go (default a new folder in /tmp); KEEP=1 keeps it
set -eu

if [ $# -lt 1 ]; then
    sed -n '2,20p' "$0" >&2
    exit 2
fi
build=$1
shift
[ $# -gt 0 ] || set -- 10000 100000 1000000
here=$(cd "$(dirname "$0")" && pwd)
sl=$build/storyline
gen=$build/bench/gen_corpus
for t in "$sl" "$gen"; do
    [ -x "$t" ] || { echo "$0: $t not built" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "$0: needs the sqlite3 command (dbstat)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "$0: needs /usr/bin/time (GNU time, for the peak RSS)" >&2; exit 2; }
py=/usr/bin/python3
peer_max=${PEER_MAX:-100000}
extra=${EXTRA:-1000}
add_args=${ADD_ARGS:-}

if [ -n "${SCRATCH:-}" ]; then
    dir=$SCRATCH
    mkdir -p "$dir"
else
    dir=$(mktemp -d /tmp/storyline-curve-XXXXXX)
fi
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$dir"' EXIT
res=$dir/results.txt
: >"$res"

max=0
for n in "$@"; do
    [ "$n" -gt "$max" ] && max=$n
done
# The corpus, and 2 x EXTRA articles after it for the extra runs: the lines that follow
# the largest size, where the corpus has them (the same generator and seed, new ids);
# else another seed of the generator (EXTRA_SEED, default 2212), its ids made new.
want=$((max + 2 * extra))
if [ -n "${CORPUS:-}" ]; then
    corpus=$CORPUS
    have=$(head -n "$want" "$corpus" | wc -l)
    [ "$have" -ge "$max" ] || { echo "$0: $corpus has $have lines, fewer than $max" >&2; exit 2; }
else
    corpus=$dir/corpus.jsonl
    echo "generating $want articles: $gen --articles $want $corpus" >&2
    "$gen" --articles "$want" "$corpus"
    have=$want
fi
if [ "$have" -ge "$want" ]; then
    head -n "$want" "$corpus" | tail -n $((2 * extra)) >"$dir/extra.jsonl"
    extra_from="lines $((max + 1))-$want of the corpus"
else
    "$gen" --articles $((2 * extra)) --seed "${EXTRA_SEED:-2212}" - |
        sed 's/^{"id":"/{"id":"plus-/' >"$dir/extra.jsonl"
    extra_from="gen_corpus --seed ${EXTRA_SEED:-2212}, ids prefixed plus-"
fi
head -n "$extra" "$dir/extra.jsonl" >"$dir/warm.jsonl"
tail -n "$extra" "$dir/extra.jsonl" >"$dir/cold.jsonl"

# timed_add LABEL STORE INPUT: one add in a fresh process; its figures into $res as
# "LABEL key value" lines.
timed_add() {
    label=$1 store=$2 input=$3
    # shellcheck disable=SC2086 # ADD_ARGS is a list of options
    if ! /usr/bin/time -v "$sl" --db "$store" add --json --quiet $add_args "$input" \
        >"$dir/add.json" 2>"$dir/time.txt"; then
        echo "$0: storyline add failed ($label):" >&2
        grep -v '^\s' "$dir/time.txt" >&2 || true
        exit 1
    fi
    $py - "$label" "$dir/add.json" "$dir/time.txt" >>"$res" <<'EOF'
import json, sys
label, add, timing = sys.argv[1:4]
s = json.load(open(add))
st = s["stage_seconds"]
out = {"seconds": s["seconds"], "added": s["added"], "updated": s["updated"],
       "present": s["present"], "skipped": s["skipped"], "bytes": s["bytes"]}
out.update({"s_" + k: v for k, v in st.items()})
out["s_other"] = s["seconds"] - sum(st.values())
for line in open(timing):
    if "Maximum resident set size" in line:
        out["rss_kb"] = int(line.split(":")[1])
    if "Elapsed (wall clock) time" in line:
        wall = 0.0
        for part in line.rsplit(" ", 1)[1].strip().split(":"):
            wall = wall * 60 + float(part)
        out["wall"] = wall
for k, v in out.items():
    print(label, k, v)
EOF
}

# store_bytes STORE: the file and its WAL, if any.
store_bytes() {
    t=0
    for f in "$1" "$1-wal"; do
        [ -f "$f" ] && t=$((t + $(wc -c <"$f")))
    done
    echo "$t"
}

prev_store=
for n in "$@"; do
    input=$dir/in-$n.jsonl
    head -n "$n" "$corpus" >"$input"
    store=$dir/store-$n.db
    rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
    echo "add $n articles ($(wc -c <"$input") bytes) into a new store" >&2
    timed_add "$n" "$store" "$input"
    echo "$n input_bytes $(wc -c <"$input")" >>"$res"
    echo "$n store_bytes $(store_bytes "$store")" >>"$res"
    sqlite3 "$store" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name" |
        awk -F'|' -v n="$n" '{ print n, "table:" $1, $2 }' >>"$res"
    if [ -n "${PEER:-}" ] && [ "$n" -le "$peer_max" ]; then
        echo "datasketch on the same $n articles" >&2
        pdir=$dir/peer-$n
        mkdir -p "$pdir"
        ln -sf "$input" "$pdir/corpus.jsonl"
        # peer_datasketch.py scores planted copies from truth.tsv: none here, each its own.
        $py -c 'import json, sys
print("id\tbase\tkind")
for line in sys.stdin:
    i = json.loads(line)["id"]
    print(f"{i}\t{i}\tbase")' <"$input" >"$pdir/truth.tsv"
        if PYTHONPATH=$PEER /usr/bin/time -v $py "$here/peer_datasketch.py" "$pdir" \
            >"$pdir/out.txt" 2>"$pdir/time.txt"; then
            sed -n 's/^minhash: \([0-9.]*\) s.*/peer_minhash \1/p;
                    s/^lsh insert+query: \([0-9.]*\) s.*/peer_lsh \1/p;
                    s/^total (minhash + lsh): \([0-9.]*\) s.*/peer_total \1/p' "$pdir/out.txt" |
                sed "s/^/$n /" >>"$res"
            awk -F: -v n="$n" '/Maximum resident set size/ { print n, "peer_rss_kb", $2 + 0 }' \
                "$pdir/time.txt" >>"$res"
        else
            echo "$0: datasketch failed at $n:" >&2
            tail -n 5 "$pdir/time.txt" >&2
        fi
        rm -rf "$pdir"
    fi
    rm -f "$input"
    # Only the largest store stays (for the extra articles): a 1M store is tens of GB.
    if [ -n "$prev_store" ] && [ "${KEEP:-0}" != 1 ]; then
        rm -f "$prev_store" "$prev_store-wal" "$prev_store-shm"
    fi
    prev_store=$store
done
largest=$store

# +EXTRA into the largest store, each in a fresh process: warm (the store just read
# through the page cache), then cold (caches dropped first, when this machine lets us).
cat "$largest" >/dev/null
timed_add "warm" "$largest" "$dir/warm.jsonl"
cold=no
sync
if (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
    cold=yes
    timed_add "cold" "$largest" "$dir/cold.jsonl"
fi

# The tables.
$py - "$res" "$max" "$extra" "$cold" "${PEER:-}" "$peer_max" "$add_args" "$extra_from" <<'EOF'
import sys
from collections import defaultdict
res, largest, extra, cold, peer, peer_max, add_args, extra_from = sys.argv[1:9]
r = defaultdict(dict)
tables = defaultdict(dict)
for line in open(res):
    label, key, value = line.split(None, 2)
    value = float(value)
    if key.startswith("table:"):
        tables[label][key[6:]] = value
    else:
        r[label][key] = value
sizes = [l for l in r if l.isdigit()]
sizes.sort(key=int)
stages = ["ingest", "clean", "match", "cluster", "facts", "present", "commit", "other"]

def arts(d):
    return d["added"] + d["updated"] + d["present"] + d["skipped"]

print(f"storyline add{(' ' + add_args) if add_args else ''}, one per size into a new store: "
      "wall = the process (/usr/bin/time),\nseconds = the batch, by stage (sl_batch_summary; "
      "present = headlines and summaries; commit = the store's commits;\nother = the rest);"
      " art/s = articles / seconds; peakMB = "
      "maximum resident set; B/art = store bytes per article")
head = (f"{'articles':>9} {'wall':>7} {'seconds':>8} " + " ".join(f"{s:>7}" for s in stages) +
        f" {'art/s':>7} {'peakMB':>7} {'inputMB':>8} {'storeMB':>8} {'B/art':>7}"
        f" {'store/in':>8}")
print(head)
for n in sizes:
    d = r[n]
    print(f"{int(n):>9} {d['wall']:>7.1f} {d['seconds']:>8.1f} " +
          " ".join(f"{d.get('s_' + s, 0):>7.1f}" for s in stages) +
          f" {arts(d) / d['seconds']:>7.0f} {d['rss_kb'] / 1024:>7.0f}"
          f" {d['input_bytes'] / 1e6:>8.1f} {d['store_bytes'] / 1e6:>8.1f}"
          f" {d['store_bytes'] / int(n):>7.0f} {d['store_bytes'] / d['input_bytes']:>8.2f}")

print("\nstore bytes per article by table and index (dbstat), largest first; under 0.5% "
      "of the largest store: summed")
big = tables[sizes[-1]]
total_big = max(sum(big.values()), 1)
names = sorted(big, key=lambda t: -big[t])
shown = [t for t in names if big[t] >= 0.005 * total_big]
print(f"{'table':<28}" + "".join(f" {int(n):>9}" for n in sizes) + f" {'share':>6}")
for t in shown:
    print(f"{t:<28}" + "".join(f" {tables[n].get(t, 0) / int(n):>9.0f}" for n in sizes) +
          f" {100 * big[t] / total_big:>5.1f}%")
rest = [t for t in names if t not in shown]
if rest:
    print(f"{'(%d others)' % len(rest):<28}" +
          "".join(f" {sum(v for t, v in tables[n].items() if t not in shown) / int(n):>9.0f}"
                  for n in sizes) +
          f" {100 * sum(big[t] for t in rest) / total_big:>5.1f}%")
print(f"{'(all pages)':<28}" +
      "".join(f" {sum(tables[n].values()) / int(n):>9.0f}" for n in sizes))

print("\ndatasketch MinHash(128)+MinHashLSH(0.5) on the same corpus (bench/peer_datasketch.py)"
      "\nagainst storyline's dedup: its match stage (LSH keys, candidates, families), and")
print("match + clean (its sketching runs inside cleaning, on the cleaning threads, with the"
      "\ncleaner and the facts extraction): storyline's dedup alone lies between the two.")
if not peer:
    print("  not run: set PEER to the folder holding the datasketch package")
else:
    print(f"{'articles':>9} {'ds minhash':>10} {'ds lsh':>7} {'ds total':>8} {'ds peakMB':>9}"
          f" {'sl match':>8} {'sl +clean':>9} {'ds/match':>8} {'ds/(m+c)':>8}")
    for n in sizes:
        d = r[n]
        if "peer_total" not in d:
            why = f"over PEER_MAX={peer_max}" if int(n) > int(peer_max) else "failed"
            print(f"{int(n):>9}  not run ({why})")
            continue
        m, mc = d["s_match"], d["s_match"] + d["s_clean"]
        print(f"{int(n):>9} {d['peer_minhash']:>10.1f} {d['peer_lsh']:>7.1f}"
              f" {d['peer_total']:>8.1f} {d.get('peer_rss_kb', 0) / 1024:>9.0f} {m:>8.2f}"
              f" {mc:>9.1f} {d['peer_total'] / max(m, 1e-3):>7.1f}x"
              f" {d['peer_total'] / max(mc, 1e-3):>7.1f}x")

print(f"\n+{extra} new articles ({extra_from}) into the {int(largest)}-article store, "
      "a fresh process each;\nwarm: the store read through the page cache first; cold: "
      "sync; echo 3 > /proc/sys/vm/drop_caches first")
print(f"{'cache':>6} {'added':>6} {'wall':>6} {'seconds':>8} " + " ".join(f"{s:>7}" for s in stages) +
      f" {'art/s':>7} {'peakMB':>7}")
for label in ("warm", "cold"):
    if label not in r:
        print(f"{label:>6}  cold not measurable (cannot write /proc/sys/vm/drop_caches here)")
        continue
    d = r[label]
    if d["added"] != int(extra):
        print(f"  warning: {int(d['added'])} of {extra} added: the others were already stored")
    print(f"{label:>6} {int(d['added']):>6} {d['wall']:>6.2f} {d['seconds']:>8.2f} " + " ".join(f"{d.get('s_' + s, 0):>7.2f}" for s in stages) +
          f" {arts(d) / d['seconds']:>7.0f} {d['rss_kb'] / 1024:>7.0f}")
EOF
