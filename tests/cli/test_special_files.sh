# A FIFO, a socket or a device is never opened for reading (a FIFO's open() would wait
# for a writer forever, holding the store's write lock): named on the command line it is
# refused before the store is opened; met in a directory walk it is reported and passed
# over; either way at once, with its name and why, and the other inputs go in.
. "$SRCDIR/tests/cli/lib.sh"

mkdir -p in/site.example
printf 'Good article one\n\nA sentence of text.\n' > in/site.example/good1.txt
printf 'Good article two\n\nAnother sentence.\n' > in/site.example/good2.txt
mkfifo in/site.example/pipe.txt
mkfifo named.txt
mkfifo named.jsonl

# add_timed ARGS...: storyline under a 10 s timeout (124: it hung).
add_timed() {
    rc=0
    timeout 10 "$STORYLINE" "$@" >out.txt 2>err.txt </dev/null || rc=$?
}

add_timed --db s.db add named.txt in/site.example/good1.txt named.jsonl
check "named FIFOs: done at once, partial" 1 "$rc"
check_contains "a named FIFO is refused with its name and why" "storyline: named.txt: not a regular file (a FIFO): not read" err.txt
check_contains "a FIFO named .jsonl too" "storyline: named.jsonl: not a regular file (a FIFO): not read" err.txt
check "the regular file went in; the FIFOs counted as skipped" "1 added, 0 already present, 2 skipped" "$(sed 's/ (.*//' out.txt)"

add_timed --db s.db add in
check "a FIFO in a directory: done at once, partial" 1 "$rc"
check_contains "a FIFO met in a walk is reported" "in/site.example/pipe.txt: not a regular file (a FIFO): not read" err.txt
check "the other files went in" "1 added, 1 already present, 1 skipped" "$(sed 's/ (.*//' out.txt)"

# Only FIFOs: nothing is read, and the store is not even created.
add_timed --db only.db add named.txt
check "only a FIFO: failure, at once" 2 "$rc"
check_contains "said" "named.txt: not a regular file (a FIFO)" err.txt
check "no store made for nothing" "absent" "$([ -e only.db ] && echo present || echo absent)"

# The store is free afterwards: another writer gets in (no lock left behind).
printf 'Third article\n\nA third sentence.\n' > third.txt
add_timed --db s.db add third.txt
check "another writer after the refusals" 0 "$rc"

# A character device named on the command line.
if [ -c /dev/zero ]; then
    add_timed --db s.db add /dev/zero third.txt
    check "a device: refused at once" 1 "$rc"
    check_contains "a device named" "/dev/zero: not a regular file (a character device): not read" err.txt
fi

# run refuses them the same way.
add_timed run named.txt in/site.example/good2.txt
check "run: at once, partial" 1 "$rc"
check_contains "run: refused" "named.txt: not a regular file (a FIFO)" err.txt

# "-" (standard input) stays allowed, even when stdin is a pipe.
rc=0
printf '{"id":"s1","source":"stdin.example","text":"From standard input."}\n' |
    timeout 10 "$STORYLINE" --db s.db add - >out.txt 2>err.txt || rc=$?
check "stdin through a pipe is read" 0 "$rc"
check "one added from stdin" "1 added, 0 already present, 0 skipped" "$(sed 's/ (.*//' out.txt)"

# An empty directory says so.
mkdir empty
add_timed --db s.db add empty
check "an empty directory: nothing usable" 2 "$rc"
check_contains "an empty directory named, and why" "empty: no article file found in this directory" err.txt
finish
