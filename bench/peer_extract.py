#!/usr/bin/python3
"""peer_extract.py: run one Python peer extractor over HTML pages, for bench/peer_extraction.sh.

    /usr/bin/python3 bench/peer_extract.py PEER OUT.jsonl PAGE.html[.gz]...

PEER is one of:
  trafilatura       trafilatura.extract(html, include_comments=False) (2.0; text output)
  trafilatura-default  trafilatura.extract(html) (comments kept, its default)
  readability-lxml  readability.Document(html).summary(html_partial=True), its text

The peers are not part of storyline: they are imported from PYTHONPATH (see
bench/peer_extraction.sh and docs/bench.md for how to set them up in a scratch folder).
Every page is read and gunzipped into memory first; only the extraction loop is timed
(time.perf_counter and time.process_time). Each page is handed over as bytes, so the peer
finds the charset itself as storyline does. Writes {"id","text"} per page to OUT.jsonl and
prints one line: "extract PEER pages N bytes B wall S cpu C".
Exit status: 0; 2 on a usage error; 3 when the peer cannot be imported.
"""
import gzip
import json
import os
import sys
import time


def load(paths):
    pages = []
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        name = os.path.basename(path)
        for end in (".html.gz", ".htm.gz", ".html", ".htm"):
            if name.endswith(end):
                name = name[: -len(end)]
                break
        pages.append((name, data))
    return pages


def make_extractor(peer):
    if peer in ("trafilatura", "trafilatura-default"):
        import trafilatura

        if peer == "trafilatura":
            return lambda html: trafilatura.extract(html, include_comments=False) or ""
        return lambda html: trafilatura.extract(html) or ""
    if peer == "readability-lxml":
        import lxml.html
        from readability import Document

        def run(html):
            summary = Document(html).summary(html_partial=True)
            if not summary:
                return ""
            return lxml.html.fromstring(summary).text_content()

        return run
    raise ValueError(peer)


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    peer, out_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        extract = make_extractor(peer)
    except ValueError:
        print(f"peer_extract.py: unknown peer {peer}", file=sys.stderr)
        return 2
    except ImportError as e:
        print(f"peer_extract.py: {peer} is not installed ({e})", file=sys.stderr)
        return 3
    pages = load(paths)
    texts = []
    w0, c0 = time.perf_counter(), time.process_time()
    for _, html in pages:
        try:
            texts.append(extract(html))
        except Exception as e:  # a peer failing on one page scores it as empty
            print(f"peer_extract.py: {peer}: {type(e).__name__}: {e}", file=sys.stderr)
            texts.append("")
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    with open(out_path, "w", encoding="utf-8") as out:
        for (name, _), text in zip(pages, texts):
            out.write(json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n")
    total = sum(len(h) for _, h in pages)
    print(f"extract {peer} pages {len(pages)} bytes {total} wall {wall:.4f} cpu {cpu:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
