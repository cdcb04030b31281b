# Running out of file handles is the system's failure, not the input's: a batch that meets
# it stops and leaves the store as it was; it never goes in with some files quietly left
# out, and it says why even with --quiet. Tried with limits from below what opening the
# store needs to well above, since how many handles the store takes is SQLite's business.
. "$SRCDIR/tests/cli/lib.sh"

mkdir -p first/a.example second/b.example
for i in 1 2 3; do
    printf 'First batch story %s\n\nA sentence of the first batch, number %s.\n' "$i" "$i" \
        >first/a.example/f$i.txt
done
for i in 1 2 3 4 5 6; do
    printf 'Second batch story %s\n\nThe second batch says something else, %s.\n' "$i" "$i" \
        >second/b.example/s$i.txt
done

stopped=0
whole=0
for n in 4 5 6 7 8 9 10 11 12 14 16 20 32; do
    rm -f s.db s.db-wal s.db-shm
    sl --db s.db add -q first
    check "limit $n: first batch in" 0 "$rc"
    status=0
    (ulimit -n "$n" && exec "$STORYLINE" --db s.db add -q second) >add.out 2>add.err || status=$?
    sl --db s.db articles --json
    got=$(grep -o '"id"' out.txt | wc -l | tr -d ' ')
    if [ "$status" -eq 0 ]; then
        whole=$((whole + 1))
        check "limit $n: exit 0 holds both batches" 9 "$got"
    else
        stopped=$((stopped + 1))
        check "limit $n: a failed batch leaves the first alone" 3 "$got"
        checks=$((checks + 1))
        # 127: too few handles for the loader to start the program at all
        [ "$status" -eq 127 ] || grep -q 'Too many open files\|unable to open' add.err ||
            fail "limit $n: exit $status without saying why: $(head -c 300 add.err)"
    fi
    checks=$((checks + 1))
    [ "$status" -ne 1 ] || fail "limit $n: exit 1, inputs skipped for want of file handles"
    check "limit $n: no signal" 0 "$([ "$status" -lt 128 ] && echo 0 || echo "$status")"
done

# Without --quiet, past the 100 problems shown one by one (here 101 missing inputs named
# before the directory), the handle shortage that stopped the batch is still said.
missing=""
for i in $(seq 101); do missing="$missing missing$i.txt"; done
said=0
for n in 4 5 6 7 8 9 10 11 12 14 16 20 32; do
    rm -f s.db s.db-wal s.db-shm
    sl --db s.db add -q first
    status=0
    # shellcheck disable=SC2086 # the names are plain words
    (ulimit -n "$n" && exec "$STORYLINE" --db s.db add $missing second) >add.out 2>add.err ||
        status=$?
    [ "$status" -eq 2 ] || continue
    grep -q 'unable to open' add.err && continue # the store, not an input, ran out
    said=$((said + 1))
    checks=$((checks + 1))
    grep -q 'Too many open files' add.err ||
        fail "limit $n, 101 problems first: the stop is not said: $(tail -c 300 add.err)"
done
checks=$((checks + 1))
[ "$said" -gt 0 ] || fail "no limit stopped a batch after its store opened"
checks=$((checks + 1))
[ "$whole" -gt 0 ] || fail "no limit let the second batch in"
checks=$((checks + 1))
[ "$stopped" -gt 0 ] || fail "no limit stopped the second batch"
finish
