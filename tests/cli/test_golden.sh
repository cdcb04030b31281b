# Golden files: the output of each command in tests/golden/*.args, run on the small corpus
# in tests/golden/corpus, must equal tests/golden/NAME.out byte for byte.
# After an intended change of output: UPDATE_GOLDEN=1 ctest -R golden, and review the diff.
. "$SRCDIR/tests/cli/lib.sh"
golden="$SRCDIR/tests/golden"
db="$SCRATCH/golden.db"
(cd "$golden" && "$STORYLINE" --db "$db" add corpus >/dev/null)
for args_file in "$golden"/*.args; do
    name=$(basename "$args_file" .args)
    # shellcheck disable=SC2046
    (cd "$golden" && "$STORYLINE" --db "$db" $(cat "$args_file")) >"$name.actual" 2>&1 || true
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$name.actual" "$golden/$name.out"
    fi
    checks=$((checks + 1))
    if ! cmp -s "$name.actual" "$golden/$name.out"; then
        fail "golden $name differs:"
        diff "$golden/$name.out" "$name.actual" | head -30 >&2 || true
    fi
done
finish
