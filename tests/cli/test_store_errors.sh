# Every store error names the file and gives the reason (SQLite's, and the system's where
# a file could not be opened); a damaged store is called damaged, with what to do; a batch
# that fails still says how much it read.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?run through ctest}"

"$GENCORPUS" --articles 200 --seed 7 corpus.jsonl >/dev/null 2>&1
sl --db good.db add corpus.jsonl
check "a store to damage" 0 "$rc"
size=$(wc -c < good.db)

advice="restore it from a backup, or move it away and add the articles again"

# A truncated store (a copy cut short), early and late.
page=$(od -An -tu1 -j16 -N2 good.db | awk '{print $1 * 256 + $2}') # the header's page size
for cut in 8192 $((size / 2)) $((size - page)); do
    head -c "$cut" good.db > cut.db
    for cmd in articles "add corpus.jsonl" stats; do
        sl --db cut.db $cmd
        check "cut at $cut, $cmd: failure" 2 "$rc"
        check_contains "cut at $cut, $cmd: named damaged" "cut.db is damaged, or not a storyline store (database disk image is malformed)" err.txt
        check_contains "cut at $cut, $cmd: what to do" "$advice" err.txt
    done
done

# A file that is not a store at all.
printf 'hello, this is not an SQLite database but a text file with a .db name\n%.0s' $(seq 1 100) > garbage.db
for cmd in articles "add corpus.jsonl" events; do
    sl --db garbage.db $cmd
    check "garbage, $cmd: failure" 2 "$rc"
    check_contains "garbage, $cmd: named, with SQLite's reason" "garbage.db is damaged, or not a storyline store (file is not a database)" err.txt
    check_contains "garbage, $cmd: what to do" "$advice" err.txt
done

# A store with damaged pages (the articles' raw texts, which export reads, found by SQLite's
# dbstat; where else they lie changes with the layout): it opens, and the read that meets
# the pages says so.
cp good.db holed.db
for p in $(sqlite3 good.db "SELECT pageno FROM dbstat WHERE name = 'raws' AND pagetype = 'leaf' LIMIT 40"); do
    dd if=/dev/zero of=holed.db bs="$page" seek=$((p - 1)) count=1 conv=notrunc 2>/dev/null
done
sl --db holed.db export
check "a hole: export fails" 2 "$rc"
check_contains "a hole: the file, the step, SQLite's reason, what to do" "holed.db: reading articles: database disk image is malformed: the store is damaged: $advice" err.txt

# A damaged centroid (found outside SQLite, by the cluster stage): the file and what to do.
if command -v sqlite3 >/dev/null; then
    sl --db centroid.db add "$SRCDIR/examples/text"
    check "a store with events" 0 "$rc"
    sqlite3 centroid.db "UPDATE events SET centroid = x'00'"
    sl --db centroid.db add "$SRCDIR/examples/jsonl"
    check "damaged centroid: failure" 2 "$rc"
    check_contains "damaged centroid: the file, the event, what to do" "centroid.db: event 1: centroid damaged (run \`storyline clean\` to cluster again)" err.txt
else
    echo "note: no sqlite3 to damage a centroid with: not tested"
fi

# A store under a path that is a file: the system's reason.
sl --db corpus.jsonl/s.db add corpus.jsonl
check "under a file: failure" 2 "$rc"
check_contains "under a file: named, with the reason" "cannot open store corpus.jsonl/s.db: opening it: unable to open database file (Not a directory)" err.txt

# A disk that fills during a first load (a file size limit: writes fail with EFBIG).
rc=0
sh -c 'trap "" XFSZ; ulimit -f 2000; exec "$0" --db full.db add corpus.jsonl' "$STORYLINE" \
    >out.txt 2>err.txt || rc=$?
check "disk full: failure" 2 "$rc"
check_contains "disk full: the file and the reason" "batch failed, nothing was added: store error: full.db: " err.txt
checks=$((checks + 1))
grep -qE "full.db: [a-z ]+: (disk I/O error|database or disk is full)" err.txt ||
    fail "disk full: no SQLite reason in: $(cat err.txt)"
check "disk full: the summary says what was read" "0 added, 0 already present, 0 skipped (1 files, " \
    "$(sed 's/\(files, \).*/\1/' out.txt)"
sl --db full.db articles
check "disk full: the store still opens, empty" "0 1" "$rc $(wc -l < out.txt)"

# A store on a read-only mount (where this test may make one: root in a mount namespace).
mkdir ro
cp good.db ro/s.db
if unshare -m true 2>/dev/null; then
    rc=0
    unshare -m sh -c 'mount --bind ro ro && mount -o remount,bind,ro ro &&
        { "$0" --db ro/s.db add corpus.jsonl; echo "add $?";
          "$0" --db ro/new.db add corpus.jsonl; echo "new $?"; }' "$STORYLINE" >out.txt 2>err.txt || rc=$?
    check "read-only mount: ran" 0 "$rc"
    check_contains "read-only mount: add fails" "add 2" out.txt
    check_contains "read-only mount: the file and why" "cannot open store ro/s.db: opening it: unable to open database file (Read-only file system)" err.txt
    check_contains "read-only mount: a new store, why" "cannot open store ro/new.db: opening it: unable to open database file (cannot create it in ro: Read-only file system)" err.txt
elif [ "$(id -u)" -ne 0 ]; then
    chmod 555 ro
    sl --db ro/new.db add corpus.jsonl
    check "read-only folder: failure" 2 "$rc"
    check_contains "read-only folder: a new store, why" "cannot create it in ro: Permission denied" err.txt
    chmod 755 ro
else
    echo "note: no mount namespace and running as root: read-only store not tested"
fi

# A store that is there but cannot be read (no permission): the reason, not "no store"
# (a user namespace makes the test an unprivileged user even when it runs as root).
cp good.db unreadable.db
chmod 000 unreadable.db
if [ "$(id -u)" -ne 0 ]; then
    sl --db unreadable.db articles
elif unshare -U true 2>/dev/null; then
    rc=0
    unshare -U "$STORYLINE" --db unreadable.db articles >out.txt 2>err.txt || rc=$?
else
    rc=skip
fi
if [ "$rc" != skip ]; then
    check "unreadable store: failure" 2 "$rc"
    check_contains "unreadable store: the file and why" "cannot open store unreadable.db: opening it: unable to open database file (Permission denied)" err.txt
    check "unreadable store: not called absent" 0 "$(grep -c 'no store at' err.txt || true)"
else
    echo "note: running as root without user namespaces: unreadable store not tested"
fi
chmod 644 unreadable.db

# add --help says what happens to an article stored before.
sl add --help
check_contains "help: a changed text updates" "updated when its id comes with" out.txt
finish
