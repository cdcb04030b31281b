#!/usr/bin/python3
"""Which tables a run read and wrote, page by page, from an strace of it.

usage: bench/pages_by_table.py STORE TRACE

STORE is the store as it was before the run (a copy: bench/store_reset.py's ORIGINAL),
whose pages are mapped to their tables and indexes through SQLite's dbstat (about 2 s for
a store of a million articles). TRACE is `strace -f -y -e trace=pread64,pwrite64 -o TRACE
storyline add --db COPY ...` run on a copy of it. For each table: the page reads of the
store's file (every handle's: the facts stage's snapshot has its own), the distinct pages
they read, and the pages written into the file (the checkpoint: what the batch changed;
"(new)" is a page past STORE's end or on its free list). The write-ahead log's page reads
and writes are counted apart (its reads are the checkpoint's, once a frame, and the pages
the writer's cache spilled, read back).

With `-y` strace names each descriptor's file: a call on the file ending in "-wal" is the
log's, one on the file beside it the store's, any other is not counted. Without it, a page-sized call at a multiple of the page size is taken as the
store's: the log's frames lie between those bounds but for about one in 2,048 (with 16 KB
pages), which then counts as a page of the store. A call strace prints in two parts
(`<unfinished ...>`, then `<... resumed>`, when another thread's call came between) is
joined by its thread. Used in docs/profile.md, "Thirtieth round".
"""
import collections
import re
import sqlite3
import sys

# pid, call, fd, the descriptor's file (-y), the rest of the line
HEAD = re.compile(r"^\s*(\d+)\s+(pread64|pwrite64)\((\d+)(?:<([^>]*)>)?,(.*)$")
# pid, call, the rest of the line after "resumed>"
RESUMED = re.compile(r"^\s*(\d+)\s+<\.\.\. (pread64|pwrite64) resumed>(.*)$")
# the end of a call's arguments and its result: count, offset, result; the buffer before
# them is printed cut short by strace, so the last such group on the line is the call's
ARGS_END = re.compile(r",\s*(\d+),\s*(\d+)\)\s*=\s*(-?\d+)")
ARGS_OPEN = re.compile(r",\s*(\d+),\s*(\d+)\s*<unfinished \.\.\.>\s*$")
RESULT = re.compile(r"^\)\s*=\s*(-?\d+)")


def page_map(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = {pageno: name for pageno, name in db.execute("SELECT pageno, name FROM dbstat")}
    db.close()
    return size, pages


def last(pattern, text):
    found = None
    for found in pattern.finditer(text):
        pass
    return found


def calls(path):
    """(call, file or None, bytes, offset) of every call in the trace that succeeded."""
    open_calls = {}  # pid -> (call, file, count, offset) of its unfinished call
    with open(path, errors="replace") as f:
        for line in f:
            m = HEAD.match(line)
            if m:
                pid, call, name, rest = m.group(1), m.group(2), m.group(4), m.group(5)
                if rest.rstrip().endswith("<unfinished ...>"):
                    # a pwrite64 shows its count and offset here, a pread64 at its end
                    a = ARGS_OPEN.search(rest)
                    open_calls[pid] = (call, name, int(a.group(1)) if a else None,
                                       int(a.group(2)) if a else None)
                    continue
                a = last(ARGS_END, rest)
                if a and int(a.group(3)) > 0:
                    yield call, name, int(a.group(1)), int(a.group(2))
                continue
            m = RESUMED.match(line)
            if m and m.group(1) in open_calls:
                call, name, count, offset = open_calls.pop(m.group(1))
                rest = m.group(3)
                a = last(ARGS_END, rest)
                if a:
                    count, offset, result = int(a.group(1)), int(a.group(2)), int(a.group(3))
                else:
                    r = RESULT.match(rest)
                    result = int(r.group(1)) if r else -1
                if result > 0 and count is not None:
                    yield call, name, count, offset


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    size, pages = page_map(sys.argv[1])
    reads, distinct, writes = collections.Counter(), collections.defaultdict(set), collections.Counter()
    log = collections.Counter()
    paged = [c for c in calls(sys.argv[2]) if c[2] >= size]  # not a header: a page
    # with -y, the store's file is the one beside the log (else the one most paged), and
    # a call on any other file is not counted
    files = collections.Counter(c[1] for c in paged if c[1])
    logs = {f for f in files if f.endswith("-wal")}
    stores = {f[:-4] for f in logs} or set(f for f, _ in files.most_common(1))
    for call, file, nbytes, offset in paged:
        if (file in logs) if file else offset % size:  # the log's
            log[call] += 1
            continue
        if file and file not in stores:
            continue
        page = offset // size + 1
        table = pages.get(page, "(new)")
        if call == "pread64":
            reads[table] += 1
            distinct[table].add(page)
        else:
            writes[table] += 1
    tables = sorted(set(reads) | set(writes), key=lambda t: -(reads[t] + writes[t]))
    print("%-28s %8s %8s %8s" % ("table", "reads", "pages", "written"))
    for t in tables:
        print("%-28s %8d %8d %8d" % (t, reads[t], len(distinct[t]), writes[t]))
    print("%-28s %8d %8d %8d" % ("(all)", sum(reads.values()),
                                  sum(len(s) for s in distinct.values()), sum(writes.values())))
    print("the log: %d page reads, %d page writes" % (log["pread64"], log["pwrite64"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
