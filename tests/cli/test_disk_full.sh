#!/bin/sh
# A disk that fills during a later batch (the WAL), on a real small file system: a tmpfs
# mounted in a mount namespace (root only; skipped where that cannot be done). The batch
# fails with the file and "database or disk is full"; the store opens, passes
# integrity_check and exports byte for byte what it did before; with room made (the tmpfs
# grown), the same add goes through. tests/unit/test_disk_full.c sweeps the point of
# failure through every phase of a batch with an injected fault.
. "$(dirname "$0")/lib.sh"

command -v unshare >/dev/null || skip "no unshare"
command -v sqlite3 >/dev/null || skip "no sqlite3 to check the store's integrity"
mkdir mnt
unshare -m sh -c 'mount -t tmpfs -o size=1m tmpfs mnt' 2>/dev/null ||
    skip "cannot mount a tmpfs in a mount namespace here (needs root)"

"$GENCORPUS" --articles 500 corpus.jsonl
head -n 100 corpus.jsonl >first.jsonl
tail -n 400 corpus.jsonl >more.jsonl

# Everything on the tmpfs happens in one namespace; each step's exit status is printed.
rc=0
unshare -m sh -c '
    sl=$0
    mount -t tmpfs -o size=5m tmpfs mnt || exit 9
    "$sl" --db mnt/s.db add first.jsonl >/dev/null 2>&1; echo "first $?"
    "$sl" --db mnt/s.db export >before.jsonl 2>&1
    "$sl" --db mnt/s.db add more.jsonl >add.out 2>add.err; echo "full $?"
    "$sl" --db mnt/s.db export >after.jsonl 2>&1; echo "export $?"
    echo "integrity $(sqlite3 mnt/s.db "PRAGMA integrity_check")"
    mount -o remount,size=64m mnt || exit 9
    "$sl" --db mnt/s.db add more.jsonl >room.out 2>&1; echo "room $?"
    echo "articles $(sqlite3 mnt/s.db "SELECT count(*) FROM articles")"
' "$STORYLINE" >steps.txt 2>&1 || rc=$?
check "the namespace ran" 0 "$rc"
check_contains "first load fits" "first 0" steps.txt
check_contains "the batch that fills the disk fails" "full 2" steps.txt
check_contains "it says which store and that the disk is full" \
    "batch failed, nothing was added: store error: mnt/s.db: " add.err
checks=$((checks + 1))
grep -qE "mnt/s.db: [a-z' ]+: database or disk is full" add.err ||
    fail "no 'database or disk is full' in: $(cat add.err)"
check_contains "the store exports after it" "export 0" steps.txt
check_contains "integrity_check passes" "integrity ok" steps.txt
check "the store holds exactly what it held" "$(cksum <before.jsonl)" "$(cksum <after.jsonl)"
check "it held the first load" 100 "$(grep -c '"id"' before.jsonl)"
check_contains "with room made, the same add goes through" "room 0" steps.txt
check_contains "and the store holds both" "articles 500" steps.txt

# The store is gone with its namespace's tmpfs; events were exported too (they are in
# each article's object) and checked above.
finish
