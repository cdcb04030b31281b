# SIGKILL in the middle of a large batch leaves a store that opens and holds either none
# or all of that batch.
# The store's integrity is read by sqlite3 (scripts/deps.txt): without it the test fails,
# it does not pass having checked less.
. "$SRCDIR/tests/cli/lib.sh"
: "${GENCORPUS:?}"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed (scripts/deps.txt)" >&2; exit 1; }

mkdir -p k1 k2
"$GENCORPUS" --articles 200 --seed 7 --format text k1/base
# 5,000 articles of 2 kB: long enough that the kills below land mid-batch even in a plain
# build (the check "at least one kill landed mid-batch" says if they no longer do), and
# short enough for the whole test to add it four times (20,000 took 35 s of the suite).
big=5000
"$GENCORPUS" --articles "$big" --seed 8 --avg-bytes 2000 --format text k2/big
sl --db s.db add -q k1
check "base batch" "200 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

count() { "$STORYLINE" --db s.db stats --json | jq .articles; }
killed_mid_batch=0
for delay in 0.3 0.8 1.5 2.5; do
    "$STORYLINE" --db s.db add -q k2 >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    alive=0
    if kill -0 "$pid" 2>/dev/null; then
        alive=1
        kill -9 "$pid"
    fi
    wait "$pid" 2>/dev/null || true
    n=$(count)
    case "$n" in
        200) [ "$alive" = 1 ] && killed_mid_batch=$((killed_mid_batch + 1)) ;;
        $((200 + big))) break ;;  # the batch finished before the kill: all of it, fine
        *) fail "after SIGKILL at ${delay}s the store holds $n articles (expected 200 or $((200 + big)))" ;;
    esac
    check "integrity after kill at ${delay}s" "ok" "$(sqlite3 s.db 'PRAGMA integrity_check')"
done
echo "killed mid-batch $killed_mid_batch times"
check "at least one kill landed mid-batch" "true" "$([ "$killed_mid_batch" -ge 1 ] && echo true || echo false)"

# A first load takes the store alone (a rollback journal, not the WAL): killed once it
# has written to the file, it leaves a hot journal. A read-only open rolls it back: the
# store holds nothing of the batch, or all of it, and opens for reading and writing.
# The batch writes the file only as it commits (its pages fit SQLite's cache): the commit's
# writes and syncs are the window, tens of milliseconds, which a shell polling with stat
# and sleep missed on a slower machine (both rounds). A poller at 1 ms catches it:
# started here, it runs the first load and kills it (SIGKILL) once the store has 1 MB
# with its journal there, and says "killed" or "finished".
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
kill_once_written() {
    /usr/bin/python3 - "$STORYLINE" <<'PY'
import os, signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "--db", "e.db", "add", "-q", "k2"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def size(f):
    try:
        return os.stat(f).st_size
    except OSError:
        return 0
end = time.monotonic() + 120
while p.poll() is None and time.monotonic() < end:
    if size("e.db") >= 1048576 and size("e.db-journal") > 0:
        p.send_signal(signal.SIGKILL)
        p.wait()
        print("killed")
        sys.exit(0)
    time.sleep(0.001)
p.kill()
p.wait()
print("finished")
PY
}
empty_killed=0
for round in 1 2; do
    rm -f e.db e.db-journal e.db-wal e.db-shm
    outcome=$(kill_once_written)
    if [ "$outcome" = killed ]; then
        empty_killed=$((empty_killed + 1))
        [ "$(size e.db-journal)" -gt 0 ] || fail "round $round: no journal left by the killed first load"
    fi
    n=$("$STORYLINE" --db e.db stats --json | jq .articles)
    case "$n" in
        0|"$big") checks=$((checks + 1)) ;;
        *) fail "first load killed (round $round): the store holds $n articles (expected 0 or $big)" ;;
    esac
    check "first load killed (round $round): integrity" "ok" "$(sqlite3 e.db 'PRAGMA integrity_check')"
done
echo "first loads killed after writing: $empty_killed of 2"
check "a first load was killed after writing" "true" "$([ "$empty_killed" -ge 1 ] && echo true || echo false)"
sl --db e.db add -q k1
check "the store takes a batch after the kills" "0" "$rc"
check "and is back in WAL mode" "wal" "$(sqlite3 e.db 'PRAGMA journal_mode')"

# The store still works: the batch goes in whole, then again adds nothing.
sl --db s.db add -q k2
check "batch after kills" "0" "$rc"
check "store holds both batches" "$((200 + big))" "$(count)"
sl --db s.db add -q k2
check "re-add after kills adds nothing" "0 added, $big already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

finish
