#!/bin/sh
# The store boundary (docs/store.md): transactions are begun and ended in store.c alone,
# and sketch/ keeps out of the store. (That only src/store/ names SQLite and includes
# store_impl.h is test_layering.sh's.) Reads the source tree, runs nothing.
. "$(dirname "$0")/lib.sh"
src="$SRCDIR/src"
# SQL that begins or ends a transaction, in a string literal, outside store.c.
tx=$(grep -rnE '"[^"]*\b(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END TRANSACTION)\b' "$src" |
    sed "s|^$src/||" | grep -v '^store/store\.c:' | tr '\n' ' ' || true)
check "transaction SQL outside store/store.c" "" "$tx"
checks=$((checks + 1))
[ "$(grep -c '"\(BEGIN IMMEDIATE\|COMMIT\|ROLLBACK\)"' "$src/store/store.c")" -ge 3 ] ||
    fail "store.c no longer holds BEGIN IMMEDIATE, COMMIT and ROLLBACK"
check "sketch/ includes the store" "" "$(grep -rln 'store/' "$src/sketch" | tr '\n' ' ' || true)"
finish
