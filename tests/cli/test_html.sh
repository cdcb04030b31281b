#!/bin/sh
# HTML input end to end: a folder of .html/.htm/.html.gz pages in several encodings, their
# metadata in `article --json` and `--explain`, a JSON Lines record with an `html` field,
# bad pages (binary, unclosed tags, 10,000 levels of nesting, 50 MB) reported or read with
# the batch going on, and the rest of the pipeline on HTML: two outlets' pages of one
# story form an event, and a quote in a page is found by `storyline quotes`.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip "jq is not installed"
command -v gzip >/dev/null || skip "gzip is not installed"
db=html.db
mkdir -p pages/harbour.example pages/coast.example

# 1. UTF-8 with JSON-LD (@graph), og:site_name, canonical link, html lang.
cat >pages/harbour.example/storm.html <<'HTML'
<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Storm closes Port Elling harbour bridge | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<link rel="canonical" href="https://harbour.example/news/2024/03/15/storm-bridge">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Harbour Times"},
 {"@type":"NewsArticle","headline":"Storm closes Port Elling harbour bridge",
  "datePublished":"2024-03-15T09:30:00Z","author":[{"@type":"Person","name":"Ana Ruiz"}]}]}
</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Storm closes Port Elling harbour bridge</h1>
<p>The harbour bridge in Port Elling was closed on Friday after a storm damaged two of its cables, officials said.</p>
<p>"The bridge will stay closed until engineers have checked every cable," said Marta Keller, the city's transport director.</p>
<p>Traffic was diverted through the old tunnel, and ferries ran extra services across the harbour. The storm brought winds of more than 120 kilometres an hour to the coast overnight.</p>
<p>Engineers from the national roads agency arrived in the afternoon to inspect the damaged cables and the towers of the bridge.</p>
</article><footer>&copy; Harbour Times</footer></body></html>
HTML

# 2. windows-1252 named by <meta http-equiv>, gzip-compressed, author in <meta>, date in
#    the URL of its canonical link only.
printf '%s\n' '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' \
    '<title>Port Elling bridge shut by storm - Coast Daily</title>' \
    '<meta name="author" content="By Tom Lee">' \
    '<link rel="canonical" href="/2024/03/15/port-elling-bridge/">' \
    '<base href="https://coast.example/">' \
    '</head><body><div class="story">' \
    '<p>Port Elling'"'"'s harbour bridge was closed on Friday after a storm damaged two of its cables.</p>' \
    '<p>"The bridge will stay closed until engineers have checked every cable," said Marta Keller, the city'"'"'s transport director.</p>' \
    '<p>Traffic was diverted through the old tunnel and ferries ran extra services across the harbour, after the storm brought winds of more than 120 kilometres an hour to the coast.</p>' \
    '<p>Engineers from the national roads agency inspected the damaged cables and towers. Caf' | tr -d '\n' >pages/coast.example/bridge.html
printf '\351 owners near the bridge said trade had fallen by half \226 \223a bad week\224.</p></div></body></html>\n' \
    >>pages/coast.example/bridge.html
gzip pages/coast.example/bridge.html # bridge.html.gz

# 3. Shift_JIS without any label (detected), as .htm.
printf '<html><body><p>\223\214\213\236\202\305\221\345\211\112\202\252\215\176\202\350\202\334\202\265\202\275\201\102\223\144\216\324\202\252\216\176\202\334\202\350\202\334\202\265\202\275\201\102\223\214\213\236\202\305\221\345\211\112\202\252\215\176\202\350\202\334\202\265\202\275\201\102</p></body></html>' \
    >pages/tokyo.htm

# 4. a JPEG served as a page: reported with its file name, the batch goes on.
printf '\377\330\377\340\000\020JFIF\000\001\001\000\000\001\000\001\000\000\377\333\000C\000\010\006\006\007\006\005\010\007\007\007\011\011\010\012\014\024\015\014\013\013\014\031\022\023\017\024\035\032\037\036\035\032\034\034 $.\047 ",#\034\034(7),01444\037\047=9=82<.342' \
    >pages/photo.html

# 5. unclosed tags everywhere.
printf '<html><head><title>Unclosed page<body><div><p>First paragraph of a page whose tags are never closed, as broken pages are.<p>Second paragraph of the page, with <b>bold words and <i>italic ones that are never closed either.<table><tr><td>a cell with more words in it' \
    >pages/unclosed.html

# 6. 10,000 levels of nesting (generated).
awk 'BEGIN { printf "<html><body>"; for (i = 0; i < 10000; i++) printf "<div>";
             printf "<p>A paragraph ten thousand levels down, still read as text.</p>";
             for (i = 0; i < 10000; i++) printf "</div>"; print "</body></html>" }' >pages/deep.html

sl --db "$db" add pages
check "a folder of pages with one bad page: exit status 1" 1 "$rc"
check_contains "the binary page is reported with its name" "photo.html" err.txt
check_contains "and why" "binary data" err.txt
check_contains "the others are added" "5 added" out.txt
sl --db "$db" articles --json
check "five HTML articles" 5 "$(jq length out.txt)"

# --- article --json: the page's metadata ---
sl --db "$db" article --json harbour.example/storm.html
check "json: title from JSON-LD" "Storm closes Port Elling harbour bridge" "$(jq -r .title out.txt)"
check "json: date from JSON-LD" "2024-03-15T09:30:00Z json-ld" "$(jq -r '.date + " " + .date_source' out.txt)"
check "json: byline from the page's author" "Ana Ruiz" "$(jq -r .byline out.txt)"
check "json: url from the canonical link" "https://harbour.example/news/2024/03/15/storm-bridge" "$(jq -r .url out.txt)"
check "json: lang, site_name, charset" "en-GB|Harbour Times|UTF-8" "$(jq -r '[.lang, .site_name, .charset] | join("|")' out.txt)"
check "json: the menu is not the text" "false" "$(jq '.text | contains("Home")' out.txt)"
check "json: the quote is in the text" "true" "$(jq '.text | contains("checked every cable")' out.txt)"

sl --db "$db" article --json coast.example/bridge.html.gz
check "gz: windows-1252 read" "windows-1252" "$(jq -r .charset out.txt)"
check "gz: its bytes decoded" "true" "$(jq '.text | contains("Café owners") and contains("– “a bad week”")' out.txt)"
check "gz: byline from meta author, By dropped" "Tom Lee" "$(jq -r .byline out.txt)"
check "gz: title less the site's name" "Port Elling bridge shut by storm" "$(jq -r .title out.txt)"
check "gz: canonical resolved against <base>" "https://coast.example/2024/03/15/port-elling-bridge/" "$(jq -r .url out.txt)"
check "gz: the date from the canonical URL" "2024-03-15 url" "$(jq -r '.date + " " + .date_source' out.txt)"
check "gz: language detected from the text" "en" "$(jq -r .lang out.txt)"

sl --db "$db" article --json tokyo.htm
check "Shift_JIS detected" "Shift_JIS" "$(jq -r .charset out.txt)"
check "Shift_JIS decoded" "true" "$(jq '.text | contains("東京で大雨が降りました")' out.txt)"
check "Japanese detected" "ja" "$(jq -r .lang out.txt)"

sl --db "$db" article --json unclosed.html
check "unclosed tags: both paragraphs" "true" \
    "$(jq '.text | contains("First paragraph") and contains("Second paragraph")' out.txt)"
sl --db "$db" article --json deep.html
check "10,000 levels: the text" "true" "$(jq '.text | contains("ten thousand levels down")' out.txt)"

# --- article --explain: the page's metadata and where it came from, then the lines ---
sl --db "$db" article --explain harbour.example/storm.html
check "explain exits 0" 0 "$rc"
check_contains "explain: the page block" "page (what the HTML said of itself, and where):" out.txt
check_contains "explain: the date's source" "from json-ld" out.txt
check_contains "explain: the site name's source" "from og:site_name" out.txt
check_contains "explain: the canonical's source" "from link rel=canonical" out.txt
check_contains "explain: then the lines" "lines (+ kept, - dropped" out.txt
check "explain: the page block comes first" "page (what the HTML said of itself, and where):" "$(head -1 out.txt)"
# a text article has no page block
printf 'A plain text article about nothing in particular, written as prose.\n' >plain.txt
sl --db "$db" add plain.txt
sl --db "$db" article --explain plain.txt
check "explain of text: no page block" "0" "$(grep -c '^page ' out.txt || true)"
sl --db "$db" article --json plain.txt
check "text input: the new fields are null" "null null null null" \
    "$(jq -r '[.lang, .site_name, .charset, .date_source] | map(tostring) | join(" ")' out.txt)"

# --- JSON Lines with an html field; date precedence: the input's, then the page's ---
jq -nc '{id: "j1", url: "https://wire.example/a", date: "2024-01-02",
         html: "<html><head><meta property=\"article:published_time\" content=\"2023-06-12\"></head><body><p>An article given as HTML in a JSON line, read by the HTML front end.</p></body></html>"}' >feed.jsonl
jq -nc '{id: "j2", url: "https://wire.example/b", date_download: "2024-02-03T04:05:06Z",
         html: "<html><head><meta name=\"pubdate\" content=\"20230612\"></head><body><p>A second article with the page dated and a download date as well.</p></body></html>"}' >>feed.jsonl
jq -nc '{id: "j3", url: "https://wire.example/c", date_download: "2024-02-03T04:05:06Z",
         html: "<html><body><p>A third article with no date anywhere but its download date.</p></body></html>"}' >>feed.jsonl
jq -nc '{id: "j4", date_download: "2024-02-03T04:05:06Z",
         html: "<html><body><p>Published on 7 March 2024, a fourth article dated in its text.</p></body></html>"}' >>feed.jsonl
sl --db "$db" add feed.jsonl
check "JSON Lines with html: added" 0 "$rc"
sl --db "$db" article --json j1
check "jsonl html: the input's date wins" "2024-01-02 input" "$(jq -r '.date + " " + .date_source' out.txt)"
check "jsonl html: text" "true" "$(jq '.text | contains("read by the HTML front end")' out.txt)"
sl --db "$db" article --json j2
check "jsonl html: the page's date before the download date" "2023-06-12 pubdate" "$(jq -r '.date + " " + .date_source' out.txt)"
sl --db "$db" article --json j3
check "jsonl html: the download date when nothing else" "2024-02-03T04:05:06Z warc-date" "$(jq -r '.date + " " + .date_source' out.txt)"
check "jsonl html: date_download not left in meta" "null" "$(jq -c .meta out.txt)"

# --- a 50 MB page: read (most of it markup), the batch fast enough ---
awk 'BEGIN { printf "<html><head><script>var x = \"";
             s = "abcdefghij"; for (i = 0; i < 6; i++) s = s s s s;   # 40,960 bytes
             for (i = 0; i < 610; i++) printf "%s", s;              # 25 MB of script
             printf "\";</script></head><body>";
             # 25 MB of markup in 612 empty divs (a page of a million elements is refused:
             # the "page of nothing but tags" case below)
             for (i = 0; i < 612; i++) printf "<div class=\"c\" data-blob=\"%s\"></div>", s;
             print "<p>The one paragraph of a fifty megabyte page, kept as its article.</p></body></html>" }' \
    >big.html
size=$(wc -c <big.html)
[ "$size" -gt 50000000 ] || fail "big.html is only $size bytes"
sl --db "$db" add big.html
check "50 MB page: added" 0 "$rc"
sl --db "$db" article --json big.html
check "50 MB page: its paragraph" "true" "$(jq '.text | contains("fifty megabyte page")' out.txt)"

# --- the pipeline on HTML: two outlets' pages of one story, one event; the quote found ---
sl --db "$db" events --json
e=$(jq -r '.[] | select(.articles | index("harbour.example/storm.html")) | .id' out.txt)
check "the two outlets' pages form one event" "true" \
    "$(jq --arg e "$e" '.[] | select(.id == $e) | .articles | index("coast.example/bridge.html.gz") != null' out.txt)"
sl --db "$db" quotes --json
check "the quote in the pages is found" "true" \
    "$(jq '[.[] | select(.text | contains("will stay closed until engineers"))] | length > 0' out.txt)"
check "its speaker" "true" \
    "$(jq '[.[] | select(.text | contains("will stay closed")) | .speaker] | any(. != null and contains("Keller"))' out.txt)"

# --- found in review: a cut .html.gz, a JSON page naming a legacy charset, the source
#     from the canonical link's host, a page of nothing but tags ---
mkdir -p rv
gzip -c pages/harbour.example/storm.html >full.gz
head -c $(($(wc -c <full.gz) / 2)) full.gz >rv/cut.html.gz
sl --db rv.db add rv/cut.html.gz
check "cut .html.gz: skipped, exit 2" "2" "$rc"
check_contains "cut .html.gz: named, with why" "cut.html.gz: read error after" err.txt
check_contains "cut .html.gz: zlib's reason" "unexpected end of file" err.txt
# A JSON string is Unicode already: the page's <meta charset> must not decode it again.
printf '%s\n' '{"id": "jp1", "url": "https://news.example.jp/a", "html": "<html><head><meta charset=\"shift_jis\"><title>東京で新しい予算</title></head><body><h1>東京で新しい予算</h1><p>東京都は来年度の新しい予算案を発表した。教育と防災に重点を置く。</p></body></html>"}' >rv/sjis.jsonl
sl --db rv.db add rv/sjis.jsonl
check "JSON html with meta shift_jis: added" "0" "$rc"
sl --db rv.db article --json jp1
check "JSON html with meta shift_jis: title read as the JSON gave it" "東京で新しい予算" "$(jq -r .title out.txt)"
printf '%s' '<html><head><link rel="canonical" href="https://www.canon.example/2024/05/02/vote"></head><body><p>The council voted on Thursday to keep the ferry running through the winter months.</p></body></html>' >rv/folder-name.html
sl --db rv.db add rv/folder-name.html
sl --db rv.db article --json folder-name.html
check "an HTML file's source is its canonical URL's host" "canon.example" "$(jq -r .source out.txt)"
awk 'BEGIN { printf "<html><body>"; for (i = 0; i < 260000; i++) printf "<b>x</b>"; print "</body></html>" }' >rv/dense.html
sl --db rv.db add rv/dense.html
check "a page of 260,000 elements: skipped" "2" "$rc"
check_contains "a page of 260,000 elements: why" "dense.html: page opens over 250,000 elements" err.txt

# --- a store made before the pages table: read as it is, given the table when written ---
command -v sqlite3 >/dev/null || { finish; exit 0; }
cp "$db" old.db
sqlite3 old.db "DROP TABLE pages"
sl --db old.db article --json harbour.example/storm.html
check "old store: read-only commands read it" "0 null" "$(echo "$rc $(jq -r .charset out.txt)")"
sl --db old.db article --explain harbour.example/storm.html
check "old store: explain without a page block" "0 0" "$rc $(grep -c '^page ' out.txt || true)"
check "old store: no table added by reading" "0" "$(sqlite3 old.db "SELECT count(*) FROM sqlite_master WHERE name='pages'")"
sl --db old.db add pages/tokyo.htm
check "old store: the table added at the next writable open" "1" "$(sqlite3 old.db "SELECT count(*) FROM sqlite_master WHERE name='pages'")"
# an article updated from HTML to text loses its page row (same transaction as the article)
mkdir -p upd && printf '<html><body><p>The first version of an updated article, as a page.</p></body></html>' >upd/u.html
sl --db "$db" add upd/u.html
cp upd/u.html upd/u.html.bak
printf '{"id": "u.html", "text": "The second version of the updated article, as text."}\n' >upd.jsonl
sl --db "$db" add upd.jsonl
sl --db "$db" article --json u.html
check "updated to text: the page's fields are gone" "null" "$(jq -r .charset out.txt)"
check "updated to text: its page row deleted" "0" \
    "$(sqlite3 "$db" "SELECT count(*) FROM pages p JOIN articles a ON a.rid = p.rid WHERE a.id = 'u.html'")"
finish
