# The command's surface: help, version, exit codes of usage errors.
. "$SRCDIR/tests/cli/lib.sh"

sl --help
check "--help exits 0" 0 "$rc"
check_contains "--help lists add" "add PATH..." out.txt
check_contains "--help lists export" "export [--format jsonl|csv]" out.txt

sl --version
check "--version exits 0" 0 "$rc"
check "--version prints the version" "storyline 0.1.0" "$(cat out.txt)"

sl
check "no command exits 2" 2 "$rc"
sl frobnicate
check "unknown command exits 2" 2 "$rc"
check_contains "unknown command says so" "unknown command 'frobnicate'" err.txt
sl --bogus articles
check "unknown option exits 2" 2 "$rc"

sl --db nowhere.db serve --port 0
check "serve without a store exits 2" 2 "$rc"
check_contains "serve without a store says so" "no store at" err.txt
sl --db nowhere.db quotes
check "quotes without a store exits 2" 2 "$rc"

sl --db nowhere.db articles
check "articles without a store exits 2" 2 "$rc"
check_contains "missing store is explained" "no store at nowhere.db" err.txt
test ! -e nowhere.db || fail "reading must not create a store"

sl --db s.db add
check "add without paths exits 2" 2 "$rc"
sl --db s.db add --help
check "add --help exits 0" 0 "$rc"
check_contains "add --help explains the summary" "already present" out.txt

echo "not a database, just text that is long enough to be noticed by sqlite" > bad.db
sl --db bad.db articles
check "a non-store file exits 2" 2 "$rc"
check_contains "a non-store file is named" "cannot open store bad.db" err.txt

finish
