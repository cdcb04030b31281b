#!/bin/sh
# The store boundary (docs/store.md): only src/store/ names SQLite (not even in a
# comment), only its files include store_impl.h, and transactions are begun and ended in
# store.c alone. Reads the source tree, runs nothing.
. "$(dirname "$0")/lib.sh"
src="$SRCDIR/src"
outside() { grep -rn "$@" "$src" | sed "s|^$src/||" | grep -v '^store/' | tr '\n' ' ' || true; }
check "sqlite3 outside src/store" "" "$(outside sqlite3)"
check "store_impl.h included outside src/store" "" "$(outside store_impl.h)"
# SQL that begins or ends a transaction, in a string literal, outside store.c.
tx=$(grep -rnE '"[^"]*\b(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END TRANSACTION)\b' "$src" |
    sed "s|^$src/||" | grep -v '^store/store\.c:' | tr '\n' ' ' || true)
check "transaction SQL outside store/store.c" "" "$tx"
checks=$((checks + 1))
[ "$(grep -c '"\(BEGIN IMMEDIATE\|COMMIT\|ROLLBACK\)"' "$src/store/store.c")" -eq 3 ] ||
    fail "store.c no longer holds BEGIN IMMEDIATE, COMMIT and ROLLBACK"
check "sketch/ includes the store" "" "$(grep -rln 'store/' "$src/sketch" | tr '\n' ' ' || true)"
finish
