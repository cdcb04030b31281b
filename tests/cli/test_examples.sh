# The sample corpus against its truth (examples/truth.tsv): every article stored with the
# right id and source, header and JSON dates read, dates never guessed, re-adds add 0.
. "$SRCDIR/tests/cli/lib.sh"
ex="$SRCDIR/examples"
jq -R -s 'split("\n") | .[1:] | map(select(length > 0) | split("\t")
          | {id: .[0], source: .[1], form: .[2], date: .[3], event: .[4]})' \
    "$ex/truth.tsv" > truth.json
total=$(jq length truth.json)
[ "$total" -ge 40 ] || fail "the sample corpus has at least 40 articles (has $total)"

sl --db s.db add "$ex"
check "sample corpus ingests cleanly" 0 "$rc"
check "every sample article added" "$total added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

sl --db s.db articles --json
jq -s '.[0] as $truth | .[1] as $got
       | ($got | map({(.id): .}) | add) as $by_id
       | [$truth[] | select($by_id[.id] == null) | .id]' truth.json out.txt > missing.json
check "no truth article missing" "[]" "$(jq -c . missing.json)"
check "no article beyond the truth" "$total" "$(jq length out.txt)"
check "sources match the truth" "[]" "$(jq -s -c '.[0] as $truth | .[1] as $got
       | ($truth | map({(.id): .source}) | add) as $src
       | [$got[] | select($src[.id] != .source) | {id, source, truth: $src[.id]}]' truth.json out.txt)"
check "no date differs from the truth" "[]" "$(jq -s -c '.[0] as $truth | .[1] as $got
       | ($truth | map({(.id): .date}) | add) as $d
       | [$got[] | select(.date != null and (.date[0:10] != $d[.id])) | {id, date, truth: $d[.id]}]' truth.json out.txt)"
check "undated articles stay undated" "[]" "$(jq -s -c '.[0] as $truth | .[1] as $got
       | ($truth | map({(.id): .date}) | add) as $d
       | [$got[] | select(.date != null and $d[.id] == "-") | .id]' truth.json out.txt)"

# Every date given by a header line or a JSON field is read.
for f in $(cd "$ex" && find text -type f | sort); do
    want=$(head -c 200 "$ex/$f" | head -n 1 | sed -n 's/^[[:space:]]*[Dd][Aa][Tt][Ee][[:space:]]\{1,\}\([0-9]\{4\}-[0-9][0-9]-[0-9][0-9]\).*/\1/p')
    [ -n "$want" ] || continue
    check "header date of $f" "$want" "$(jq -r --arg id "$f" '.[] | select(.id == $id) | .date' out.txt)"
done
check "JSON dates read" "[]" "$(cat "$ex"/jsonl/*.jsonl | jq -s -c --slurpfile got out.txt '
       [.[] | select((.date // .published // .date_publish) != null)
        | . as $in | ($got[0][] | select(.id == $in.id)) as $a
        | select($a.date == null) | .id]')"

sl --db s.db add "$ex"
check "a second add adds nothing" "0 added, $total already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

sl run "$ex"
check "run on the sample exits 0" 0 "$rc"
check_contains "run reports every article" "storyline report: $total articles" out.txt

finish
