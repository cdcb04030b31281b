# Families across batches: a later article that is a copy of members of two families
# merges them when the two are parts of one story (their first articles overlap), and
# does not when they are two stories (a roundup that carries both whole).
. "$SRCDIR/tests/cli/lib.sh"

# story SEED PARAGRAPHS: numbered paragraphs of news-like prose, one a line, the same for
# the same seed. Paragraph k of a story is the same wherever it is printed.
story() {
    awk -v seed="$1" -v n="$2" 'BEGIN {
        split("council minister union company court mayor police committee board agency", who, " ")
        split("approved rejected delayed announced questioned defended reviewed extended", did, " ")
        split("budget plan contract proposal inquiry deal project report rule schedule", what, " ")
        split("harbour river valley market station bridge district airport school hospital", where, " ")
        split("Monday Tuesday Wednesday Thursday Friday weekend morning evening", when, " ")
        srand(seed)
        for (p = 1; p <= n; p++) {
            line = ""
            for (s = 0; s < 3; s++)
                line = line sprintf("The %s %s the %s for the %s on %s after %d people had asked what the %s would mean for the %s. ",
                    who[int(rand()*10)+1], did[int(rand()*8)+1], what[int(rand()*10)+1],
                    where[int(rand()*10)+1], when[int(rand()*8)+1], int(rand()*900)+10,
                    what[int(rand()*10)+1], where[int(rand()*10)+1])
            print line
        }
    }'
}
paras() { sed -n "$1,$2p"; }
put() { # put SITE NAME DATE: stdin is the text
    mkdir -p "$1"
    { echo " date $3"; cat; } > "$1/$2.txt"
}

story 11 10 > s.txt
story 22 8 > r1.txt
story 33 8 > r2.txt

# Batch 1: the first half of story s, twice; story r1, twice.
mkdir b1 b2 b3
(cd b1; paras 1 5 < ../s.txt | put north.example part-a 2024-03-02
        paras 1 5 < ../s.txt | put south.example part-a 2024-03-02
        put north.example r1 2024-03-02 < ../r1.txt
        put south.example r1 2024-03-02 < ../r1.txt)
# Batch 2: paragraphs 3 to 10 of s, twice (they overlap the first half, yet too little
# to match it: J 0.3, C 0.6); story r2, twice.
(cd b2; paras 3 10 < ../s.txt | put east.example part-b 2024-03-02
        paras 3 10 < ../s.txt | put west.example part-b 2024-03-02
        put east.example r2 2024-03-02 < ../r2.txt
        put west.example r2 2024-03-02 < ../r2.txt)
# Batch 3: the whole of s (a copy of both parts), and a roundup that carries r1 and r2.
(cd b3; put wire.example full 2024-03-02 < ../s.txt
        cat ../r1.txt ../r2.txt | put digest.example roundup 2024-03-02)

families() {
    "$STORYLINE" --db s.db dups --json |
        jq -c 'map(.members | map(.article) | sort) | sort'
}
sl --db s.db add -q b1
sl --db s.db add -q b2
check "before the bridge: four families" \
    '[["east.example/part-b.txt","west.example/part-b.txt"],["east.example/r2.txt","west.example/r2.txt"],["north.example/part-a.txt","south.example/part-a.txt"],["north.example/r1.txt","south.example/r1.txt"]]' \
    "$(families)"
sl --db s.db add -q b3
check "add of the bridge exits 0" 0 "$rc"
check "the whole story merges its two parts' families" \
    '["east.example/part-b.txt","north.example/part-a.txt","south.example/part-a.txt","west.example/part-b.txt","wire.example/full.txt"]' \
    "$(families | jq -c '.[] | select(any(.[]; test("full")))')"
check "the roundup joins one story's family and merges nothing" \
    "1 2" \
    "$(families | jq -r '[.[] | select(any(.[]; test("roundup")))] | length' ) $(families | jq -r '[.[] | select(any(.[]; test("/r[12]")))] | length')"
check "four families before the bridge, three after" "3" "$(families | jq length)"

# The same articles in one batch give the same families.
sl --db one.db add -q b1 b2 b3
check "one batch: the same families" "$(families)" \
    "$("$STORYLINE" --db one.db dups --json | jq -c 'map(.members | map(.article) | sort) | sort')"
finish
