# A loading command starts itself again once, with glibc's heap on huge pages
# (src/cli/huge_pages.c), and gives the same store; not when GLIBC_TUNABLES is set already,
# not when STORYLINE_NO_HUGE_PAGES asks it not to, not for a reading command. Seen through
# the execve calls that strace reports.
. "$SRCDIR/tests/cli/lib.sh"
need_strace

# storyline ARGS under strace: rc its status, n its starts again (execs of /proc/self/exe)
starts() {
    traced "-v -s 200 -e trace=execve" "$@"
    n=$(grep -c 'execve("/proc/self/exe"' trace.txt || true)
}

starts --db a.db add "$SRCDIR/examples"
check "add: done" 0 "$rc"
check "add: started again once" 1 "$n"
check "the second start has the tunable" 1 \
    "$(grep 'execve("/proc/self/exe"' trace.txt | grep -c 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1' || true)"
starts --db a.db clean
check "clean: started again once" "0 1" "$rc $n"
starts --db a.db articles --json
check "a reading command: not" "0 0" "$rc $n"
GLIBC_TUNABLES=glibc.malloc.hugetlb=0 starts --db b.db add "$SRCDIR/examples"
check "GLIBC_TUNABLES set: not" "0 0" "$rc $n"
STORYLINE_NO_HUGE_PAGES=1 starts --db c.db add "$SRCDIR/examples"
check "STORYLINE_NO_HUGE_PAGES: not" "0 0" "$rc $n"
sl --db a.db export --format jsonl
cp out.txt a.jsonl
sl --db c.db export --format jsonl
check "the same store either way" "$(cat a.jsonl)" "$(cat out.txt)"
finish
