# Golden files: the output of each command in tests/golden/*.args, run on the small corpus
# in tests/golden/corpus, must equal tests/golden/NAME.out byte for byte (stdout and stderr
# together), and its exit status must equal the number in tests/golden/NAME.rc.
# After an intended change of output: UPDATE_GOLDEN=1 ctest -R golden, and review the diff.
. "$SRCDIR/tests/cli/lib.sh"
golden="$SRCDIR/tests/golden"
db="$SCRATCH/golden.db"
rc=0
(cd "$golden" && "$STORYLINE" --db "$db" add corpus >/dev/null) || rc=$?
check "the golden corpus is added" 0 "$rc"
for args_file in "$golden"/*.args; do
    name=$(basename "$args_file" .args)
    rc=0
    # shellcheck disable=SC2046
    (cd "$golden" && "$STORYLINE" --db "$db" $(cat "$args_file")) >"$name.actual" 2>&1 || rc=$?
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$name.actual" "$golden/$name.out"
        echo "$rc" >"$golden/$name.rc"
    fi
    checks=$((checks + 1))
    if ! cmp -s "$name.actual" "$golden/$name.out"; then
        fail "golden $name differs:"
        diff "$golden/$name.out" "$name.actual" | head -30 >&2 || true
    fi
    if [ -f "$golden/$name.rc" ]; then
        check "golden $name exit status" "$(cat "$golden/$name.rc")" "$rc"
    else
        fail "golden $name has no $name.rc (its exit status; UPDATE_GOLDEN=1 writes it)"
    fi
done
finish
