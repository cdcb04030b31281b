"""python3 -m storyline.dask [--scheduler ADDRESS | --workers N] --db STORE PATH...

The inputs read on Dask workers, stored into STORE by this process (storyline.dask.pipeline):
the store `storyline add --db STORE PATH...` makes, which the storyline command then reads
like any other. Exit status as the command's: 0 all stored, 1 some inputs skipped (each
reported with its file and position), 2 nothing stored, a usage error or a failure.
"""

import argparse
import json
import os
import sys
import time

MAX_SHOWN_REPORTS = 100  # as the command shows (src/cli/cmd_ingest.c); --json has all

USAGE_EPILOG = """\
Each PATH (a file of any form storyline reads, or a directory read whole) is one shard,
read by one worker; the store and the inputs must be on a file system that every worker
shares with this process (checked first: a store a worker cannot see is refused).
Without --scheduler a LocalCluster of --workers processes is started here (default: one
per processor). docs/scale.md says what runs on the workers today and what comes next."""


def _escape(s):
    """A path or detail from an input, safe for a terminal (no control characters)."""
    return "".join(c if c.isprintable() else "\\x%02x" % ord(c) if ord(c) < 256 else
                   "\\u%04x" % ord(c) for c in str(s))


def _parse(argv):
    p = argparse.ArgumentParser(
        prog="python3 -m storyline.dask", epilog=USAGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Add inputs to a storyline store, read on Dask workers.")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler (tcp://host:port)")
    where.add_argument("--workers", metavar="N", type=int,
                       help="workers of the LocalCluster started here (default: processors)")
    p.add_argument("--db", metavar="STORE", required=True, help="the store (made if absent)")
    p.add_argument("--slice", metavar="N", type=int,
                   help="commit every N articles (as storyline add --slice N; 0: one"
                        " transaction); default: the command's slices")
    p.add_argument("--ahead", metavar="N", type=int,
                   help="shards handed to the workers beyond the one being stored"
                        " (default: two a worker thread)")
    p.add_argument("--no-search", action="store_true",
                   help="make the store without its search index (as storyline add"
                        " --no-search)")
    p.add_argument("--json", action="store_true",
                   help="the summary as JSON on stdout (with each process's peak memory)")
    p.add_argument("-q", "--quiet", action="store_true", help="no reports, no summary line")
    p.add_argument("paths", nargs="+", metavar="PATH")
    a = p.parse_args(argv)
    if a.workers is not None and a.workers < 1:
        p.error("--workers must be at least 1")
    if a.ahead is not None and a.ahead < 1:
        p.error("--ahead must be at least 1")
    if a.slice is not None and a.slice < 0:
        p.error("--slice must be 0 or more")
    if "-" in a.paths:
        p.error("standard input (-) cannot be read by workers: give files or directories")
    return a


def main(argv=None):
    a = _parse(sys.argv[1:] if argv is None else argv)
    try:
        import dask.distributed as dd
    except ImportError:
        print("storyline.dask: needs dask.distributed (Debian: python3-distributed)",
              file=sys.stderr)
        return 2
    from .pipeline import NotShared, check_folder, peak_rss_mb, run

    t0 = time.monotonic()
    cluster = None
    try:
        check_folder(a.db)  # before any worker is started
        if a.scheduler:
            client = dd.Client(a.scheduler)
        else:
            cluster = dd.LocalCluster(n_workers=a.workers or os.cpu_count() or 1,
                                      threads_per_worker=1, processes=True,
                                      dashboard_address=None)
            client = dd.Client(cluster)
        with client:
            summary, reports, counts = run(a.paths, a.db, client, slice_articles=a.slice,
                                           ahead=a.ahead, search=not a.no_search)
            workers_mb = client.run(peak_rss_mb) if a.json else {}
    except NotShared as e:
        print("storyline.dask: %s" % _escape(e), file=sys.stderr)
        return 2
    except Exception as e:  # the store, a worker lost too often, the scheduler: failed
        print("storyline.dask: %s: %s" % (type(e).__name__, _escape(e)), file=sys.stderr)
        return 2
    finally:
        if cluster is not None:
            cluster.close()
    seconds = time.monotonic() - t0
    present = summary.present
    skipped = len(reports)
    if not a.quiet:
        for r in reports[:MAX_SHOWN_REPORTS]:
            where = r["path"] or "?"
            if r["line"]:
                where += ":%d" % r["line"]
            if r["offset"] is not None and r["offset"] >= 0:
                where += " (byte %d)" % r["offset"]
            print("storyline.dask: %s: %s" % (_escape(where), _escape(r["detail"])),
                  file=sys.stderr)
        if len(reports) > MAX_SHOWN_REPORTS:
            print("storyline.dask: %d problems in all" % len(reports), file=sys.stderr)
    if a.json:
        json.dump({"added": summary.added, "updated": summary.updated, "present": present,
                   "skipped": skipped, "empty": summary.empty, "files": counts["files"],
                   "bytes": counts["bytes"], "slices": summary.slices,
                   "seconds": round(seconds, 3),
                   "peak_rss_mb": {"writer": round(peak_rss_mb(), 1),
                                   "workers": {w: round(mb, 1)
                                               for w, mb in sorted(workers_mb.items())}},
                   "reports": reports}, sys.stdout)
        print()
    elif not a.quiet:
        print("%d added, %s%d already present, %d skipped (%d files, %.1f MB in %.2f s,"
              " %.0f articles/s)" % (
                  summary.added, "%d updated, " % summary.updated if summary.updated else "",
                  present, skipped, counts["files"], counts["bytes"] / 1e6, seconds,
                  (summary.added + summary.updated + present + skipped) / max(seconds, 1e-6)))
    if summary.added + summary.updated + present == 0:
        return 2
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
