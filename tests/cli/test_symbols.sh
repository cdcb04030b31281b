#!/bin/sh
# The static library exports only the public sl_ API and the private sli_ prefix, so an
# internal name (buf_init, utf8_decode, ...) cannot clash with one in a user's program.
. "$(dirname "$0")/lib.sh"
command -v nm >/dev/null || skip "nm is not installed (binutils)"
checks=$((checks + 1))
[ -f "${LIBSTORYLINE:-}" ] || { fail "no static library at '${LIBSTORYLINE:-}'"; finish; }
nm -g --defined-only "$LIBSTORYLINE" | awk 'NF == 3 { print $3 }' | sort -u >syms.txt
check "symbols without the sl_/sli_ prefix" "" "$(grep -v -e '^sl_' -e '^sli_' syms.txt | tr '\n' ' ')"
checks=$((checks + 1))
[ "$(grep -c '^sl_' syms.txt)" -gt 20 ] || fail "few public sl_ symbols: is this the library?"
check "sl_store_open exported" "sl_store_open" "$(grep -x sl_store_open syms.txt)"
finish
