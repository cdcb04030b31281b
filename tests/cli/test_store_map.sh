# A writer of a store larger than the memory map (2 GiB) reads every page with pread and
# maps nothing (src/store/store.c; docs/store.md, "No map for a writer of a store past 2
# GiB"); a writer of a smaller store, and a reader of any, map it. Seen through the mmap
# calls strace reports, each with the file it maps (-y). A store past 2 GiB is made
# cheaply: a small store's file grown with a hole, and its header's size marked stale, so
# that SQLite takes the file's size as the store's (its page count: 3 GiB of pages).
. "$SRCDIR/tests/cli/lib.sh"
need_strace

# storyline ARGS under strace: rc its status, n its maps of store.db
maps() {
    traced "-y -e trace=mmap" "$@"
    # -y names the file as the system resolves it (symbolic links followed): any folder
    n=$(grep -c 'MAP_SHARED, [0-9]*<[^>]*/store\.db>' trace.txt || true)
}

sl --db store.db add "$SRCDIR/examples"
check "the store made" 0 "$rc"
maps --db store.db add "$SRCDIR/examples"
check "a writer of a small store maps it" "0 1" "$rc $n"

truncate -s 3G store.db
# the header's "version valid for" (offset 92) made unlike its change counter (offset 24):
# its database size (offset 28) is then not trusted, and the file's size is
printf '\377\377\377\377' | dd of=store.db bs=1 seek=92 conv=notrunc 2>/dev/null
page=$(sqlite3 store.db 'PRAGMA page_size')
check "SQLite sees 3 GiB of pages" $((3 * 1024 * 1024 * 1024 / page)) \
    "$(sqlite3 store.db 'PRAGMA page_count' 2>&1)"

maps --db store.db add "$SRCDIR/examples"
check "a writer of a store past 2 GiB does not map it" "0 0" "$rc $n"
cat out.txt err.txt >said.txt
check_contains "and adds as before" "50 already present" said.txt
maps --db store.db stats
check "a reader maps it" "0 1" "$rc $n"
check "... its first 2 GiB" 1 \
    "$(grep -c 'mmap(NULL, 2147418112, PROT_READ, MAP_SHARED, [0-9]*<[^>]*/store\.db>' trace.txt || true)"
rm -f store.db # 3 GiB, most of it a hole: not left in the scratch folder
finish
