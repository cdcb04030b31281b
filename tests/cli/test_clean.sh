# Cleaning through the command: boilerplate out, templates learnt across batches and
# applied to earlier articles by `clean`, --explain, all-boilerplate articles kept empty.
. "$SRCDIR/tests/cli/lib.sh"

page() { # page DIR NAME TOPIC: an article of a site with the same footer on every page
    mkdir -p "$1"
    cat > "$1/$2.txt" <<PAGE
Home | News | Business | Sport
$3 plans unveiled at the town hall
The council said on Monday that the $3 plan would be paid for by the regional budget, and that work on it would begin in the spring once the contracts have been signed.
Also Read | Ten things to do this weekend
Residents who spoke at the meeting were divided about the $3 plan, with some saying it was long overdue and others that the money would be better spent on the schools.
Advertisement
The Valley Gazette is the weekly newspaper of Lowmere and the Tarn valley, published every Thursday by Gazette Media; it has reported on the council, the schools and the sports clubs of the valley since it was founded in 1921.
PAGE
}
page batch1/gazette.example one bridge
sl --db s.db add batch1
check "first article added" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
sl --db s.db article --json gazette.example/one.txt
text=$(jq -r .text out.txt)
case "$text" in *"Also Read"*|*"Advertisement"*|*"Home | News"*) fail "furniture left in: $text" ;; esac
case "$text" in *"paid for by the regional budget"*) ;; *) fail "body sentence lost: $text" ;; esac
checks=$((checks + 2))
check "headline as title" "bridge plans unveiled at the town hall" "$(jq -r .title out.txt)"

# More articles of the same site: the footer repeats, and is learnt as its template.
for t in library pool market park; do page batch2/gazette.example "$t" "$t"; done
sl --db s.db add batch2
sl --db s.db article --json gazette.example/park.txt
case "$(jq -r .text out.txt)" in *"published every Thursday"*) fail "template line kept in a new article" ;; esac
sl --db s.db article --json gazette.example/one.txt
case "$(jq -r .text out.txt)" in *"published every Thursday"*) ;; *) fail "the first article changed before 'clean'" ;; esac
checks=$((checks + 2))
sl --db s.db clean
check "clean exits 0" 0 "$rc"
check "clean counts the articles" "5 articles cleaned" "$(cat out.txt)"
sl --db s.db article --json gazette.example/one.txt
case "$(jq -r .text out.txt)" in *"published every Thursday"*) fail "clean did not apply the template learnt later" ;; esac
checks=$((checks + 1))

sl --db s.db article --explain gazette.example/one.txt
check "explain exits 0" 0 "$rc"
check_contains "explain shows a template line" "- template    The Valley Gazette is the weekly newspaper" out.txt
check_contains "explain shows a learnt template line" "- template    Also Read | Ten things to do this weekend" out.txt
check_contains "explain shows the body" "+ body        The council said on Monday" out.txt
printf 'Gold prices ease\nAlso Read | Ten things to do this weekend\nPrices of gold fell on Tuesday for a third day as the dollar rose, traders in the city said, and jewellers expect demand to pick up before the festive season.\n' > fresh.txt
sl --db s.db add fresh.txt
sl --db s.db article --explain fresh.txt
check_contains "explain shows a furniture line" "- furniture   Also Read | Ten things to do this weekend" out.txt
check_contains "explain says why" 'furniture wording: "also read"' out.txt
sl --db s.db article --explain nope.txt
check "explain of an absent article exits 1" 1 "$rc"

# All boilerplate: kept, empty, and said so.
printf 'Home | News | Sport\nAdvertisement\nShare this article\n' > allboiler.txt
sl --db s.db add allboiler.txt
check "all-boilerplate article is added" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
check_contains "all-boilerplate is reported" "left with no text by cleaning" err.txt
check "empty text" "0" "$("$STORYLINE" --db s.db article --json allboiler.txt | jq .chars_clean)"
sl --db s.db article --explain allboiler.txt
check "explain of the all-boilerplate article exits 0" 0 "$rc"
check "explain marks its three lines" 3 "$(grep -c '^- ' out.txt)"
check "and keeps none of them" 0 "$(grep -c '^+ ' out.txt || true)"
check_contains "explain says why the menu went" "- boilerplate Home | News | Sport" out.txt

# Windows line ends and no line breaks at all.
printf 'Ferry service resumes after the storm\r\n\r\nThe first ferry of the day left Portvale at noon on Tuesday, the operator said, after three days of cancellations caused by the storm.\r\n' > crlf.txt
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "the council met again and the plan was approved by the members. "; }' > oneline.txt
sl --db s.db add crlf.txt oneline.txt
check "CRLF and one-line articles go in" "2 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
check "CRLF body has no carriage returns" "0" "$("$STORYLINE" --db s.db article --json crlf.txt | jq -r .text | tr -cd '\r' | wc -c | tr -d ' ')"
check "one-line article kept whole" "true" "$("$STORYLINE" --db s.db article --json oneline.txt | jq '.chars_clean > 1000000')"

# Issue 21, end to end, two invented sites met once (nothing learnt from repetition):
# prose after a single furniture line is kept (a quotation with a number in it), and a
# promotion and a notice rating the site at the end of an article are dropped.
mkdir -p once
cat > once/herald.txt <<'PAGE'
Dunmore to close its last coal-fired power station
The owners of the Dunmore power station said on Wednesday they would shut its last two coal-fired units in May, ending almost seventy years of coal burning on the estuary and putting 240 jobs at risk.
READ MORE: Petrol prices hit a 9-month high as refinery outage drags on
"We expect 180 of our workers will move to the battery plant," she said.
Union officials said they would meet the owners next week to discuss the terms.
Dunmore Herald Ltd | 14 Quay Street, Dunmore | Registered in Scotland SC041122 | Contact
PAGE
cat > once/courier.txt <<'PAGE'
Lighthouse keepers' cottages to become a museum
The trust that owns the old lighthouse on Inchmore said on Friday it had raised the money to turn the keepers' cottages into a museum of the island's maritime history, which will open next summer.
Volunteers have collected more than 400 objects from island families, including logbooks, lamps and a foghorn that was last sounded in 1987, the trust's chairwoman told the Courier.
Be the first to know: follow the Inchmore Courier on Google News for the latest updates
This website has earned a credibility rating of 92/100 from an independent trust panel.
PAGE
sl --db once.db add once
check "once: added" "2 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"
text=$("$STORYLINE" --db once.db article --json herald.txt | jq -r .text)
case "$text" in *"READ MORE"*) fail "furniture line kept: $text" ;; esac
case "$text" in *"We expect 180 of our workers"*) ;; *) fail "quotation after furniture lost: $text" ;; esac
case "$text" in *"Union officials said"*) ;; *) fail "paragraph after furniture lost: $text" ;; esac
text=$("$STORYLINE" --db once.db article --json courier.txt | jq -r .text)
case "$text" in *"Google News"*|*"credibility"*) fail "trailer kept: $text" ;; esac
case "$text" in *"Volunteers have collected"*) ;; *) fail "last paragraph lost: $text" ;; esac
checks=$((checks + 5))
sl --db once.db article --explain courier.txt
check_contains "explain names the promotion" "a promotion: imperative and channel" out.txt
check_contains "explain names the rating notice" "a notice rating the site" out.txt

finish
