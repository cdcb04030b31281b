#!/usr/bin/python3
"""Make COPY byte-identical to ORIGINAL again, rewriting only the blocks that differ.

usage: bench/store_reset.py ORIGINAL COPY

Benchmarks of "+N articles into a large store" need a fresh copy of the store for every
run; copying a store of several GB (and `sync`ing it, so that the run's first fsync does
not wait for the copy's dirty pages: docs/profile.md, "Eighth round") takes most of a
run's time. A batch changes a few thousand pages, so comparing the two files and writing
back the blocks that differ is several times faster. COPY's -wal and -shm files are
removed, the file is cut or grown to ORIGINAL's size, synced, and the blocks rewritten are
printed. A COPY that does not exist is copied whole.
"""
import os
import shutil
import sys

BLOCK = 1 << 16  # compared at once; a store page is at most 64 KB


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    orig, copy = sys.argv[1], sys.argv[2]
    for extra in (copy + "-wal", copy + "-shm", copy + "-journal"):
        if os.path.exists(extra):
            os.remove(extra)
    if not os.path.exists(copy):
        shutil.copyfile(orig, copy)
        written = os.path.getsize(orig) // BLOCK
    else:
        written = 0
        size = os.path.getsize(orig)
        with open(orig, "rb") as a, open(copy, "r+b") as b:
            pos = 0
            while pos < size:
                x = a.read(BLOCK)
                y = b.read(len(x))
                if x != y:
                    b.seek(pos)
                    b.write(x)
                    written += 1
                pos += len(x)
                b.seek(pos)
            b.truncate(size)
            b.flush()
            os.fsync(b.fileno())
    print(f"{written} blocks of {BLOCK} bytes rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
