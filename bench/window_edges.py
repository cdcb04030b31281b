#!/usr/bin/python3
"""The groups for a stitch that places the window edges again (bench/window_stitch.sh).

usage: bench/window_edges.py [--first] BY_DATE WINDOWED DAYS > GROUPS

BY_DATE: the corpus (JSON Lines with "id" and "date"); WINDOWED: every article's window
event, as "WINDOW:EVENT" ({"id", "event"}). A window event with an article dated on one of
its window's first or last DAYS days is open: its articles start apart (event null), to
be placed again one by one as a batch places the open events it takes back; the rest
keep their window event. Prints the groups, and on stderr how many start apart.
--first: only the events on a window's first DAYS days start apart (one side of each
cut: bench/window_stitch_cost.sh).
"""
import datetime
import json
import sys


def main():
    args = sys.argv[1:]
    first_only = bool(args) and args[0] == "--first"
    if first_only:
        args = args[1:]
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    by_date, windowed, edge = args[0], args[1], int(args[2])
    day = {}
    for line in open(by_date):
        a = json.loads(line)
        d = a.get("date")
        day[a["id"]] = datetime.date.fromisoformat(d[:10]).toordinal() if d else None
    rows = [json.loads(line) for line in open(windowed)]
    span = {}  # window -> its first and last day
    for r in rows:
        d = day.get(r["id"])
        if r["event"] and d is not None:
            w = r["event"].split(":")[0]
            lo, hi = span.get(w, (d, d))
            span[w] = (min(lo, d), max(hi, d))
    near = set()
    for r in rows:
        d = day.get(r["id"])
        if r["event"] and d is not None:
            lo, hi = span[r["event"].split(":")[0]]
            if d - lo < edge or (not first_only and hi - d < edge):
                near.add(r["event"])
    loose = 0
    for r in rows:
        if r["event"] in near:
            r["event"] = None
            loose += 1
        print(json.dumps(r))
    sys.stderr.write(f"{loose} of {len(rows)} articles start apart\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
