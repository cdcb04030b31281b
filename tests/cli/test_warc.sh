# WARC ingest: pages written here, archived by gen_warc (per-record and whole-file gzip,
# plain), added: ids are the target URIs, dates the WARC-Date; the same pages added as
# .html files give the same cleaned texts; a corrupted archive reports file and offset and
# still adds its other records.
. "$SRCDIR/tests/cli/lib.sh"

GENWARC="${BUILDDIR:?}/bench/gen_warc"
[ -x "$GENWARC" ] || skip "gen_warc not built"

mkdir -p pages/files.example
cat > pages/files.example/harbour.html <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Dock workers end strike | Portvale Post</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Dock workers end strike at Portvale harbour</h1>
<p>Dock workers at Portvale harbour went back to work on Monday after the union accepted a new offer on pay, officials said.</p>
<p>The agreement raises wages by four percent this year and three percent next year, the union's leader told reporters outside the gates.</p>
<p>Shipping companies said the backlog of containers would take about a week to clear.</p>
</article><footer>Portvale Post. All rights reserved.</footer></body></html>
HTML
cat > pages/files.example/bridge.html <<'HTML'
<!DOCTYPE html>
<html><head><meta charset="iso-8859-1"><title>Bridge repairs</title></head>
<body><div class="content"><h1>River bridge to close for repairs</h1>
<p>The old river bridge in Lowmere will close for three months while engineers replace its deck, the council announced.</p>
<p>Drivers will be sent along the ring road, which the council expects to add ten minutes to most journeys.</p>
</div></body></html>
HTML
cat > pages/files.example/festival.html <<'HTML'
<html><head><title>Festival returns</title></head>
<body><h1>Summer festival returns to the old market square</h1>
<p>The summer festival is back in the old market square after a break of two years, with music on three stages.</p>
<ul><li>Local bands play on the first night.</li><li>A food market runs all weekend.</li></ul>
<p>Organisers expect about twenty thousand visitors over the weekend.</p>
</body></html>
HTML

texts() { # DB: "name<TAB>text" lines, sorted, ids reduced to the file name
    "$STORYLINE" --db "$1" export --format jsonl |
        jq -r '(.id | sub(".*/"; "")) + "\t" + (.text | gsub("\n"; "\\n"))' | sort
}

sl --db html.db add pages/files.example
check "HTML files added" 0 "$rc"
texts html.db > html.txt
check "three HTML texts" 3 "$(wc -l < html.txt)"

for form in record file none; do
    ext=warc.gz
    [ "$form" = none ] && ext=warc
    "$GENWARC" --gzip "$form" --plain-bodies -o "a-$form.$ext" pages/files.example/*.html 2>gen.txt
    sl --db "w-$form.db" add "a-$form.$ext"
    check "$form: add exits 0" 0 "$rc"
    check_contains "$form: summary" "3 added, 0 already present, 0 skipped" out.txt
    sl --db "w-$form.db" articles --json
    check "$form: ids are the target URIs" \
        "https://files.example/bridge.html https://files.example/festival.html https://files.example/harbour.html" \
        "$(jq -r '[.[].id] | sort | join(" ")' out.txt)"
    check "$form: url is the target URI" "https://files.example/bridge.html" \
        "$(jq -r '.[] | select(.id | endswith("bridge.html")) | .url' out.txt)"
    check "$form: source is the host" "files.example" \
        "$(jq -r '[.[].source] | unique | join(" ")' out.txt)"
    check "$form: dates from WARC-Date" "2024-03-01T12:00:00Z 2024-03-02T12:00:00Z 2024-03-03T12:00:00Z" \
        "$(jq -r '[.[].date] | sort | join(" ")' out.txt)"
    texts "w-$form.db" > "warc-$form.txt"
    if cmp -s html.txt "warc-$form.txt"; then
        check "$form: the same texts as the HTML files" same same
    else
        diff html.txt "warc-$form.txt" | head -20 >&2
        check "$form: the same texts as the HTML files" same different
    fi
done

# Chunked, gzip and deflate bodies and the other records of a crawl: the same texts.
"$GENWARC" --gzip record --records 3 -o mixed.warc.gz pages/files.example/*.html 2>gen.txt
sl --db mixed.db add mixed.warc.gz
check "mixed: add exits 0" 0 "$rc"
check_contains "mixed: other records passed over, counted" "WARC records passed over" out.txt
texts mixed.db > mixed.txt
if cmp -s html.txt mixed.txt; then check "mixed: the same texts" same same
else diff html.txt mixed.txt | head >&2; check "mixed: the same texts" same different; fi

# A bigger generated archive: every kind of record counted.
"$GENWARC" --gzip file --records 40 -o gen.warc.gz 2>gen.txt
sl --db gen.db add gen.warc.gz --json
check "generated: add exits 0" 0 "$rc"
check "generated: 40 added" 40 "$(jq .added out.txt)"
check "generated: nothing skipped" 0 "$(jq .skipped out.txt)"

# A lying Content-Length in the second record of a plain archive: reported with the file
# and the record's byte offset; the other two are added.
"$GENWARC" --gzip none --plain-bodies -o plain.warc pages/files.example/*.html 2>gen.txt
off=$(grep -abo 'WARC/1.0' plain.warc | sed -n 3p | cut -d: -f1) # warcinfo, then pages
len=$(dd if=plain.warc bs=1 skip="$off" count=600 2>/dev/null | sed -n 's/^Content-Length: \([0-9]*\).*/\1/p' | head -1)
sed "s/^Content-Length: $len\r\$/Content-Length: $((len + 200))\r/" plain.warc > lying.warc
if cmp -s plain.warc lying.warc; then fail "the Content-Length was not changed"; fi
sl --db lying.db add lying.warc
check "lying: partial success exit" 1 "$rc"
check_contains "lying: file and offset" "lying.warc: byte $off: WARC record's block does not end" err.txt
check_contains "lying: the other records added" "2 added, 0 already present, 1 skipped" out.txt

# A gzip member cut in half (per-record gzip): reported at the member's offset.
"$GENWARC" --gzip record --plain-bodies -o cut-src.warc.gz pages/files.example/*.html 2>gen.txt
python3 - <<'PY' || fail "could not cut a member"
import re
d = open("cut-src.warc.gz", "rb").read()
s = [m.start() for m in re.finditer(b"\x1f\x8b\x08", d)]
a, b = s[2], s[3]        # the second page's member
open("cut.warc.gz", "wb").write(d[:a + (b - a) // 2] + d[b:])
open("cut-offset.txt", "w").write(str(a))
PY
sl --db cut.db add cut.warc.gz
check "cut: partial success exit" 1 "$rc"
check_contains "cut: file and offset" "cut.warc.gz: byte $(cat cut-offset.txt): " err.txt
check_contains "cut: the member named" "gzip member at offset $(cat cut-offset.txt)" err.txt
check_contains "cut: the other records added" "2 added" out.txt

# A gzip-encoded response with no WARC-Target-URI, in a file with a long name: its id is
# the file's name and the record's offset, built apart from the decoded page (found in
# review: the id once overwrote the page's bytes).
long=$(printf 'n%.0s' $(seq 1 120))
printf '<html><body><p>The budget vote was moved to the council meeting on Thursday evening.</p></body></html>' | gzip -c >nouri-body.gz
{
    printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n'
    printf 'Content-Length: %d\r\n\r\n' "$(wc -c <nouri-body.gz)"
    cat nouri-body.gz
} >nouri-block
{
    printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-03-04T12:00:00Z\r\n'
    printf 'Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n' \
        "$(wc -c <nouri-block)"
    cat nouri-block
    printf '\r\n\r\n'
} >"$long.warc"
sl --db nouri.db add "$long.warc"
check "no target URI: added" 0 "$rc"
sl --db nouri.db articles --json
check "no target URI: id is the file and offset" "$long.warc@0" "$(jq -r '.[0].id' out.txt)"
sl --db nouri.db export --format jsonl
check "no target URI: the page's text intact" \
    "The budget vote was moved to the council meeting on Thursday evening." \
    "$(jq -r .text out.txt)"

# Not a WARC at all.
printf 'hello\n' > junk.warc
sl --db junk.db add junk.warc
check "junk: nothing added" 2 "$rc"
check_contains "junk: reported" "junk.warc: byte 0: no WARC record here" err.txt

finish
