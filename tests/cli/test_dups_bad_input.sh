# Near-duplicate detection on awkward input: empty or one-word articles, other scripts,
# a 5 MB article, the same line 100,000 times. Nothing crashes, stalls, or floods a family.
. "$SRCDIR/tests/cli/lib.sh"

mkdir -p in/a.example in/b.example in/c.example
for s in a b c; do
    printf 'Hello\n' > in/$s.example/one-word.txt
    printf '.\n' > in/$s.example/dot.txt
done
# The same story in Greek from two outlets: a family; a different Greek story: not in it.
greek='Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για τη στήριξη των αλιέων στο λιμάνι, μετά από τρεις ημέρες απεργίας που άφησε δεκάδες πλοία να περιμένουν στα ανοιχτά του κόλπου.'
printf '%s\n%s\n' "$greek" "Ο υπουργός είπε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα με όλους τους φορείς του κλάδου και των λιμενικών αρχών." > in/a.example/greek.txt
printf 'Αρχική | Ειδήσεις\n%s\n%s\n' "$greek" "Ο υπουργός είπε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα με όλους τους φορείς του κλάδου και των λιμενικών αρχών." > in/b.example/greek.txt
printf '%s\n' 'Η ομάδα της πόλης κέρδισε τον τελικό του κυπέλλου μετά από παράταση, με ένα γκολ στο τελευταίο λεπτό που έφερε χιλιάδες οπαδούς στους δρόμους για να γιορτάσουν.' > in/c.example/greek.txt
# The same line 100,000 times, from two outlets; and a 5 MB article of varied text.
awk 'BEGIN { for (i = 0; i < 100000; i++) print "Read more stories like this one on our website every day" }' > in/a.example/repeat.txt
cp in/a.example/repeat.txt in/b.example/repeat.txt
awk 'BEGIN { srand(3); for (i = 0; i < 80000; i++) { printf "word%d and the council met %d times ", int(rand() * 50000), i; if (i % 12 == 11) print "." } }' > in/c.example/big.txt

sl --db s.db add in
check "awkward input goes in" "0" "$rc"
"$STORYLINE" --db s.db dups --json > fam.json
check "no family of one-word or empty articles" "[]" \
    "$(jq -c '[.[] | select(any(.members[]; .article | test("one-word|dot")))]' fam.json)"
check "the Greek copies are one family, without the other story" \
    '["a.example/greek.txt","b.example/greek.txt"]' \
    "$(jq -c '[.[] | select(any(.members[]; .article | test("greek"))) | .members[].article] | sort' fam.json)"
check "no family holds the 5 MB article with anything" "[]" \
    "$(jq -c '[.[] | select(any(.members[]; .article | test("big")))]' fam.json)"
check "families stay small" "true" "$(jq 'all(.[]; (.members | length) <= 2)' fam.json)"
finish
