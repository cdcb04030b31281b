#!/bin/sh
# test_pages_by_table.sh — bench/pages_by_table.py on made-up traces of a real store. First
# without file names: a page of `articles` read twice (one page, two reads), a page of
# `raws` read through another handle in a call strace split in two (its start, another
# thread's call between, its end), a write split in two (a pwrite64 shows its count and
# offset at its start), a page written past the store's end ("(new)"), the store's header
# (not a page), a frame of the log (between the pages' bounds) and a failed read. Then with
# `strace -y`'s names: the log's frame that lies on a page's bound counts as the log's by
# its file's name, and a page-sized read of another file is not counted.
. "$SRCDIR/tests/cli/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
command -v "$PY" >/dev/null 2>&1 || skip "no python3 to run bench/pages_by_table.py"
"$PY" -c 'import sqlite3; c = sqlite3.connect(":memory:"); c.execute("SELECT * FROM dbstat")' \
    2>/dev/null || skip "this Python's SQLite has no dbstat"

cat >in.jsonl <<'J'
{"id":"p1","date":"2024-05-01","title":"Harbour council meets","text":"The harbour council met on Tuesday to discuss the new ferry timetable.\n\nMembers said the timetable would change in June."}
{"id":"p2","date":"2024-05-02","title":"Ferry timetable changes","text":"The ferry timetable changes in June, the harbour council said on Wednesday.\n\nThe first boat will leave at six."}
J
sl add --db s.db -q in.jsonl
check "store made" 0 "$rc"

# offsets: a page of articles, a page of raws, the file's end; and the page size
set -- $("$PY" - s.db <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
size = db.execute("PRAGMA page_size").fetchone()[0]
def page(name):
    return db.execute("SELECT min(pageno) FROM dbstat WHERE name=?", (name,)).fetchone()[0]
print(size, (page("articles") - 1) * size, (page("raws") - 1) * size, os.path.getsize(sys.argv[1]))
PY
)
size=$1 articles=$2 raws=$3 end=$4
cat >trace.txt <<T
100 pread64(3, "SQLite format 3\\0"..., 100, 0) = 100
100 pread64(3, "\\r\\0"..., $size, $articles) = $size
100 pread64(3, "\\r\\0"..., $size, $articles) = $size
101 pread64(7,  <unfinished ...>
100 pwrite64(3, "\\r\\0"..., $size, $raws) = $size
101 <... pread64 resumed>"\\r\\0"..., $size, $raws) = $size
100 pwrite64(3, "\\r\\0"..., $size, $end) = $size
100 pread64(4, "\\0\\0"..., $size, 56) = $size
100 pread64(3, "\\r\\0"..., $size, $articles) = -1 EINTR (Interrupted system call)
102 pwrite64(3, "\\r\\0, 5, 6) = 7"..., $size, $raws <unfinished ...>
100 pread64(3, "\\r\\0"..., $size, $articles) = $size
102 <... pwrite64 resumed>) = $size
T
out=$("$PY" "$SRCDIR/bench/pages_by_table.py" s.db trace.txt)
echo "$out"
row() { echo "$out" | awk -v t="$1" '$1 == t { print $2, $3, $4 }'; }
check "articles: three reads of one page, none written" "3 1 0" "$(row articles)"
check "raws: the joined read, and both writes" "1 1 2" "$(row raws)"
check "past the end: new" "0 0 1" "$(row '(new)')"
check "all" "4 2 3" "$(row '(all)')"
check "the log's frame" "the log: 1 page reads, 0 page writes" "$(echo "$out" | tail -1)"

# With -y: the 1,364th frame's page (56 + 1363 x (24 + 16,384) bytes in) lies on a page's
# bound when pages are 16 KB; its file's name says it is the log's.
frame=$((56 + 1363 * (24 + size)))
cat >named.txt <<T
100 pread64(3</x/copy.db>, "\\r\\0"..., $size, $articles) = $size
100 pread64(4</x/copy.db-wal>, "\\0\\0"..., $size, $frame) = $size
100 pwrite64(4</x/copy.db-wal>, "\\0\\0"..., $size, 56) = $size
100 pread64(5</x/corpus.bin>, "\\0\\0"..., $size, $raws) = $size
T
out=$("$PY" "$SRCDIR/bench/pages_by_table.py" s.db named.txt)
echo "$out"
check "named: the store's read" "1 1 0" "$(row articles)"
check "named: another file's read not counted" "" "$(row raws)"
check "named: the log's, by name" "the log: 1 page reads, 1 page writes" "$(echo "$out" | tail -1)"
finish
