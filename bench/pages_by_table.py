#!/usr/bin/python3
"""Which tables a run read and wrote, page by page, from an strace of it.

usage: bench/pages_by_table.py STORE TRACE

STORE is the store as it was before the run (a copy: bench/store_reset.py's ORIGINAL),
whose pages are mapped to their tables and indexes through SQLite's dbstat (about 2 s for
a store of a million articles). TRACE is `strace -f -e trace=pread64,pwrite64 -o TRACE
storyline add --db COPY ...` run on a copy of it. For each table: the reads of the store's
file (every thread's, `pread64` of 16 KB pages), the distinct pages they read (so the
reads again of pages the page cache let go), and the pages written into the file (the
checkpoints: what the batch changed; pages past STORE's end count as "(new)"). The
write-ahead log's reads and writes, on another descriptor, are counted apart.

A page-sized call at a multiple of the page size is the store's file (through any handle:
the facts stage's snapshot has its own); the log's frames lie between those bounds. A
call strace prints in two parts (`<unfinished ...>`, then `<... resumed>`, when another
thread's call came between) is joined by its thread. Used in docs/profile.md, "Thirtieth
round".
"""
import collections
import re
import sqlite3
import sys

CALL = re.compile(r"^\s*(\d+)\s+(pread64|pwrite64)\((\d+),.*,\s*(\d+),\s*(\d+)\)\s*=\s*(-?\d+)")
# a call another thread's interrupted: its start, then its end
STARTED = re.compile(r"^\s*(\d+)\s+(pread64|pwrite64)\((\d+),.*<unfinished \.\.\.>")
RESUMED = re.compile(r"^\s*(\d+)\s+<\.\.\. (pread64|pwrite64) resumed>.*,\s*(\d+),\s*(\d+)\)\s*=\s*(-?\d+)")


def page_map(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = {pageno: name for pageno, name in db.execute("SELECT pageno, name FROM dbstat")}
    db.close()
    return size, pages


def calls(path):
    """(call, fd, bytes, offset) of every completed call in the trace."""
    open_calls = {}  # pid -> (call, fd) of its unfinished call
    with open(path, errors="replace") as f:
        for line in f:
            m = CALL.match(line)
            if m:
                if int(m.group(6)) > 0:
                    yield m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5))
                continue
            m = STARTED.match(line)
            if m:
                open_calls[m.group(1)] = (m.group(2), int(m.group(3)))
                continue
            m = RESUMED.match(line)
            if m and m.group(1) in open_calls:
                call, fd = open_calls.pop(m.group(1))
                if int(m.group(5)) > 0:
                    yield call, fd, int(m.group(3)), int(m.group(4))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    size, pages = page_map(sys.argv[1])
    reads, distinct, writes = collections.Counter(), collections.defaultdict(set), collections.Counter()
    log = collections.Counter()
    for call, fd, nbytes, offset in calls(sys.argv[2]):
        if nbytes < size:  # a header (the store's, the log's, a frame's), not a page
            continue
        if offset % size:  # a page of the log: its frames lie between the pages' bounds
            log[call] += 1
            continue
        page = offset // size + 1
        name = pages.get(page, "(new)")
        if call == "pread64":
            reads[name] += 1
            distinct[name].add(page)
        else:
            writes[name] += 1
    names = sorted(set(reads) | set(writes), key=lambda n: -(reads[n] + writes[n]))
    print("%-28s %8s %8s %8s" % ("table", "reads", "pages", "written"))
    for n in names:
        print("%-28s %8d %8d %8d" % (n, reads[n], len(distinct[n]), writes[n]))
    print("%-28s %8d %8d %8d" % ("(all)", sum(reads.values()),
                                  sum(len(s) for s in distinct.values()), sum(writes.values())))
    print("the log: %d page reads, %d page writes" % (log["pread64"], log["pwrite64"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
