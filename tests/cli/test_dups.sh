# Syndication families on the sample corpus: exactly the families of examples/truth.tsv,
# with their origins, whether the corpus comes in one batch or in two.
. "$SRCDIR/tests/cli/lib.sh"
ex="$SRCDIR/examples"

# The truth: family key -> sorted member ids, and the origin of each.
jq -R -s 'split("\n") | .[1:] | map(select(length > 0) | split("\t")
          | select(.[5] != "-") | {id: .[0], family: .[5], relation: .[6]})' \
    "$ex/truth.tsv" > truth.json
want=$(jq -c 'group_by(.family) | map({origin: (map(select(.relation == "origin"))[0].id),
               members: (map(.id) | sort)}) | sort_by(.origin)' truth.json)
got_families() {
    jq -c 'map({origin, members: (.members | map(.article) | sort)}) | sort_by(.origin)' "$1"
}

sl --db one.db add -q "$ex"
sl --db one.db dups --json
check "dups --json exits 0" 0 "$rc"
check "one batch: the families of the truth, with their origins" "$want" "$(got_families out.txt)"
check "origin listed first with relation origin" "true" "$(jq 'all(.[]; .members[0].relation == "origin" and .members[0].article == .origin)' out.txt)"
check "copies have Jaccard >= 0.8 or containment >= 0.8" "true" \
    "$(jq '[.[].members[1:][] | (.jaccard >= 0.8 or .containment >= 0.8)] | all' out.txt)"

# Cleaning again rebuilds the families: the same ones.
sl --db one.db clean
sl --db one.db dups --json
check "after clean: the same families" "$want" "$(got_families out.txt)"

# Two batches: the text files, then the feeds; later articles join earlier families.
sl --db two.db add -q "$ex/text"
sl --db two.db add -q "$ex/jsonl"
"$STORYLINE" --db two.db dups --json > two.json
# Ids of text files are relative to the directory given: put "text/" back.
jq 'map(.origin |= (if startswith("http") then . else "text/" + . end)
        | .members |= map(.article |= (if startswith("http") then . else "text/" + . end)))' \
    two.json > two-fixed.json
check "two batches: the same families" "$want" "$(got_families two-fixed.json)"

# The family id appears on the articles (8 + 3 + 3 members).
sl --db one.db articles --json

check "family on every family member" "14" "$(jq '[.[] | select(.family != null)] | length' out.txt)"

sl --db one.db stats --json
check "stats counts families and their articles" "3 14" "$(jq -r '"\(.families) \(.family_members)"' out.txt)"

sl --db one.db dups
check "dups exits 0" 0 "$rc"
check_contains "human listing names the origin" "origin" out.txt
finish
