"""The stages on Dask workers (storyline.dask): the same records and candidate pairs on a
LocalCluster of two workers as in one process, every family the single-process store
finds among the candidates, and inputs that cannot be read reported by file and
position while the rest goes on."""

import json

import pytest

import storyline

distributed = pytest.importorskip("dask.distributed")
sd = pytest.importorskip("storyline.dask")
dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")


@pytest.fixture(scope="module")
def shards(corpus, tmp_path_factory):
    """The corpus in three shards, the first three articles copied into the third (later,
    elsewhere, with a sidebar), a broken line in the second, and a file that is not there."""
    d = tmp_path_factory.mktemp("shards")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    copies = []
    for i, line in enumerate(lines[:3]):
        a = json.loads(line)
        a.update(id="copy/%d" % i, source="copier.example", date="2025-06-01")
        a["text"] += "\nMost read: ten bridges to see before you die\nWeather: rain all week"
        copies.append(json.dumps(a))
    parts = [lines[:100], lines[100:200] + ['{"id": "broken", "text": '], lines[200:] + copies]
    paths = []
    for i, part in enumerate(parts):
        p = d / ("part%d.jsonl" % i)
        p.write_text("\n".join(part) + "\n", encoding="utf-8")
        paths.append(p)
    return paths + [d / "absent.jsonl"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_two_workers_give_what_one_process_gives(shards, client):
    local_stats, got_stats = {}, {}
    local_shards, local_pairs = sd.candidates(shards, stats=local_stats)
    got_shards, got_pairs = sd.candidates(shards, client, stats=got_stats)
    assert got_pairs == local_pairs
    assert [s["articles"] for s in got_shards] == [s["articles"] for s in local_shards]
    assert sum(len(s["articles"]) for s in got_shards) == 303
    # the keys crossed packed: under the 9 bytes a row a 48-bit key and a 20-bit place
    # take as whole bytes (a small shard's keys lie far apart: about five bytes each)
    rows = sum(len(sd.key_rows(s, i)) for i, s in enumerate(local_shards))
    assert got_stats == local_stats
    assert got_stats["articles"] == 303
    assert rows * 5 < got_stats["shuffle_bytes"] < rows * 8


def _reference_pairs(shards):
    """The pairs of the made-up shards' keys grouped as they are, in Python: each article
    of a key with the MAX_PER_KEY before it."""
    by_key = {}
    for number, shard in enumerate(shards):
        for k, n in sd.key_rows(shard, number):
            by_key.setdefault(k, []).append(n)
    want = set()
    for numbers in by_key.values():
        numbers = sorted(set(numbers))
        want |= {(numbers[i], numbers[j]) for j in range(len(numbers))
                 for i in range(max(0, j - sd.MAX_PER_KEY), j)}
    return want


def test_the_blobs_give_the_pairs_of_the_keys():
    """The pairs the partitions' reducers make from every shard's blobs are those of the
    keys grouped as they are (each article with the MAX_PER_KEY of its key before it), for
    any number of partitions: three made-up shards, a key in every article of them (300 >
    64), one in a
    few of each, the extreme keys of 48 bits (each in 50 articles), a key twice in one
    article (sent once), the rest their own."""
    import random

    rng = random.Random(11)
    edge = [0, 1, (1 << 32) - 1, 1 << 32, sd.KEY_MASK - 1, sd.KEY_MASK]
    shards = []
    for s in range(3):
        arts = []
        for i in range(100):
            bands = [rng.randrange(0, sd.KEY_MASK + 1) for _ in range(32)]
            bands[0] = 777  # every article
            if i % 25 == 0:
                bands[1] = 4242  # four of each shard
            arts.append({"bands": bands, "paragraphs": [bands[0], edge[(i + s) % len(edge)]]})
        shards.append({"path": "made-up-%d" % s, "articles": arts})
    want = _reference_pairs(shards)
    # 777: each article with the 64 before it; 4242: twelve; each extreme key: 50 (some
    # of their pairs 777's too)
    assert len(want) > 64 * 63 // 2 + 236 * 64
    for partitions in (1, 3, 16):
        blobs = {}
        for number, shard in enumerate(shards):
            for p, blob in sd.key_blobs(shard, number, partitions):
                blobs.setdefault(p, []).append(blob)
        got = [pair for bs in blobs.values() for pair in sd._partition_pairs(bs)]
        assert set(got) == want
    with pytest.raises(storyline.StorylineError):
        storyline.keys.KeyPairs().add(0, b"SLK1\x30")  # a blob cut short
    with pytest.raises(ValueError):
        sd.key_blobs({"path": "made-up", "articles": [{"bands": [-1], "paragraphs": []}]}, 0)


def test_the_shuffle_keys_48_bits():
    """Keys that agree in the store's low 32 bits but not in the shuffle's 48 pair no
    articles (at 100 M articles 32 bits would pair nearly every one by chance); keys that
    agree in 48 do. The sketch's hex keys are cut to their low 48 bits."""
    assert sd.KEY_BITS == 48
    assert sd.shuffle_key("ffffabcd12345678") == 0xabcd12345678
    low = 0x12345678
    arts = [{"bands": [low | (1 << 32)], "paragraphs": []},
            {"bands": [low | (2 << 32)], "paragraphs": []},
            {"bands": [low | (2 << 32)], "paragraphs": []}]
    shard = {"path": "made-up", "articles": arts}
    blobs = [blob for _, blob in sd.key_blobs(shard, 0, 4)]
    assert sd._partition_pairs(blobs) == [(1, 2)]


def test_every_family_is_among_the_candidates(shards, client, tmp_path):
    got_shards, pairs = sd.candidates(shards, client)
    with storyline.Store(tmp_path / "one.db") as st:
        st.add(shards)
        families = st.families()
        stored = {a.id: a for a in st.articles(text=True)}
    assert len(families) == 3
    for f in families:
        for m in f.members[1:]:
            assert tuple(sorted((f.origin, m.article))) in pairs
    # The cleaned text the workers made is the store's: with the line counts of every
    # shard merged, the sidebar line all three copies print is the copier's template on
    # the workers as in the store (without them a worker keeps it: prepare(shard)).
    prepared = {a["id"]: a for s in got_shards for a in s["articles"]}
    assert prepared.keys() == stored.keys()
    assert all(prepared[i]["text"] == stored[i].text for i in stored)
    assert "Most read" not in stored["copy/0"].text
    alone = sd.prepare(sd.read_shard(shards[2]))
    assert any("Most read" in a["text"] for a in alone["articles"] if a["id"] == "copy/0")


def test_counts_merged_in_two_rounds_keep_only_what_changes_a_cleaning(shards, client):
    """The counts merged on the workers in two rounds (the lines' keys, then the counts of
    the repeated lines), with the lines of fewer than three articles left out, clean every
    article as all the counts merged in one place do, and are smaller; what the shards
    send is a few bytes a line."""
    read = [sd.read_shard(p) for p in shards]
    whole = sd.merge_counts([sd.shard_counts(s) for s in read])
    bag = db.from_sequence(list(enumerate(read)), npartitions=len(read))
    got, sent1, sent2 = client.compute(list(sd.input_counts(bag, 5)), sync=True)
    got_sent = sent1 + sent2
    assert [got, sent1, sent2] == list(dask.compute(*sd.input_counts(bag, 5),
                                                    scheduler="sync"))
    whole_doc, got_doc = json.loads(whole), json.loads(got)
    assert sorted(got_doc["sources"]) == sorted(whole_doc["sources"])
    # kept: every pair of the lines that three articles or more print, as counted whole
    # (the copier's sidebar among them), and no other
    names, got_names = [n for n, _ in whole_doc["sources"]], [n for n, _ in got_doc["sources"]]
    totals = {}
    for line, _, n in whole_doc["pairs"]:
        totals[line] = totals.get(line, 0) + n
    want = {(line, names[s], n) for line, s, n in whole_doc["pairs"] if totals[line] >= 3}
    kept = {(line, got_names[s], n) for line, s, n in got_doc["pairs"]}
    assert kept == want
    assert 2 <= len(kept) < len(whole_doc["pairs"]) / 10
    assert any(src == "copier.example" for _, src, _ in kept)
    # the shards sent their lines as keys (3 to 5 bytes each: these shards' parts hold a
    # few dozen lines, far apart), then the counts of the repeated lines only: a fraction of
    # the whole counts' JSON
    lines = sum(len(json.loads(sd.shard_counts(s))["pairs"]) for s in read)
    assert lines < got_sent < min(8 * lines, len(whole) / 3)
    with pytest.raises(storyline.StorylineError) as e:
        storyline.LineTally().add(b"SLT1\x04")
    assert e.value.name == "SL_ERR_INVALID"
    a, b = storyline.LineCounts(whole), storyline.LineCounts(got)
    n = 0
    for s in read:
        for rec in s["records"]:
            assert storyline.clean_record(rec, a) == storyline.clean_record(rec, b)
            n += 1
    assert n == 303
    copied = storyline.clean_record(read[2]["records"][-3], b)
    assert copied["source"] == "copier.example" and "Most read" not in copied["text"]


def test_counts_are_made_exact_only_at_the_root_of_the_merge(tmp_path):
    """A line of three articles whose shards fall under two nodes of the merge's tree
    (twelve shards, eight a node): two under one, one under the other. Filtered at a node,
    it would be dropped; it is kept, and nothing else is."""
    line = "Subscribe to the Courier for news from Lindhaven every day."
    shards = []
    for i in range(12):
        text = "Story %d\nThe council met on day %d to talk about the bridge." % (i, i)
        if i in (0, 1, 9):
            text += "\n" + line
        path = tmp_path / ("s%d.jsonl" % i)
        path.write_text(json.dumps({"id": "a%d" % i, "source": "s.example", "text": text}) + "\n")
        shards.append((i, sd.read_shard(path)))
    merged = sd.input_counts(db.from_sequence(shards, npartitions=12), 3)[0]
    got = json.loads(dask.compute(merged, scheduler="sync")[0])
    assert got["sources"] == [["s.example", 12]]
    assert [n for _, _, n in got["pairs"]] == [3]
    counts = storyline.LineCounts(json.dumps(got))
    cleaned = storyline.clean_record(shards[9][1]["records"][0], counts)
    assert line not in cleaned["text"] and "day 9" in cleaned["text"]


@pytest.fixture(scope="module")
def near_shards(corpus, tmp_path_factory):
    """The corpus in two shards and a third of near copies: article 3 cut to its first
    half, article 4 with two paragraphs of article 50 after it, article 5 with every third
    paragraph one of article 60's, article 6 copied whole (all of the first shard), and
    article 200 (of the second) cut to its first half."""
    d = tmp_path_factory.mktemp("near")
    lines = corpus.read_text(encoding="utf-8").splitlines()
    arts = [json.loads(line) for line in lines]
    paras = [a["text"].split("\n\n") for a in arts]

    def made(i, name, text):
        a = dict(arts[i], id=name, source="near.example", date="2025-07-01", text=text)
        return json.dumps(a)

    near = [
        made(3, "trim/3", "\n\n".join(paras[3][:len(paras[3]) // 2])),
        made(4, "side/4", "\n\n".join(paras[4] + paras[50][:2])),
        made(5, "rewrite/5", "\n\n".join(q if k % 3 else paras[60][k % len(paras[60])]
                                          for k, q in enumerate(paras[5]))),
        made(6, "whole/6", arts[6]["text"]),
        made(200, "trim/200", "\n\n".join(paras[200][:len(paras[200]) // 2])),
    ]
    paths = []
    for i, part in enumerate([lines[:150], lines[150:], near]):
        p = d / ("near%d.jsonl" % i)
        p.write_text("\n".join(part) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def test_candidates_are_verified_on_the_workers_as_the_store_verifies_them(near_shards,
                                                                          client, tmp_path):
    """Every candidate pair compared on the workers (storyline.compare, the dedup stage's
    own code and rules): the same on two workers as in one process, every family member's
    Jaccard and containment as the store found them against the article it matched, and
    the verified matches joining exactly the store's families; only candidates' texts
    taken."""
    shards = near_shards
    stats, local_stats = {}, {}
    got = sd.verified(shards, client, stats=stats)
    assert got == sd.verified(shards, stats=local_stats) and stats == local_stats
    with storyline.Store(tmp_path / "one.db") as st:
        st.add(shards)
        families = st.families()
        stored = {a.id: a for a in st.articles(text=True)}
    # five families; seven pairs: the five near copies with their originals (two verifying
    # tasks, the first shard's and the second's), and two that share paragraphs but do not
    # match (the sidebar's source; the rewrite's second source, Jaccard 0.37 and
    # containment 0.75, just under the bars)
    assert len(families) == 5 and stats["pairs"] == len(got) == 7
    assert any(v["a"] == "gen/200" and v["b"] == "trim/200" for v in got)
    matches = [v for v in got if v["match"]]
    assert len(matches) == 5 and sum(v["copy"] for v in matches) == 4
    for f in families:
        for m in f.members[1:]:
            assert any(m.article in (v["a"], v["b"]) and abs(v["jaccard"] - m.jaccard) < 1e-6
                       and abs(v["containment"] - m.containment) < 1e-6 for v in matches)
    # the matches' connected articles are the families
    group = {}
    for v in matches:
        a, b = group.setdefault(v["a"], {v["a"]}), group.setdefault(v["b"], {v["b"]})
        if a is not b:
            a |= b
            for x in b:
                group[x] = a
    found = {frozenset(g) for g in group.values()}
    assert found == {frozenset(m.article for m in f.members) for f in families}
    # a pair's numbers are compare()'s on the store's cleaned texts
    v = got[0]
    assert storyline.compare(stored[v["a"]].text, stored[v["b"]].text) == {
        "shingles": storyline.compare(stored[v["a"]].text, "")["shingles"],
        "other_shingles": storyline.compare(stored[v["b"]].text, "")["shingles"],
        "jaccard": v["jaccard"], "containment": v["containment"], "match": v["match"],
        "copy": v["copy"]}
    texts = sum(len(a.text.encode()) for a in stored.values())
    assert 0 < stats["candidate_text_bytes"] < texts / 10
    assert stats["candidate_articles"] == 12


def test_inputs_that_cannot_be_read_are_reported(shards, client):
    got_shards, _ = sd.candidates(shards, client)
    reports = [r for s in got_shards for r in s["reports"]]
    assert len(reports) == 2
    broken = [r for r in reports if r["code"] == "SL_ERR_JSON"]
    absent = [r for r in reports if r["code"] == "SL_ERR_NOT_FOUND"]
    assert broken[0]["path"] == str(shards[1]) and broken[0]["line"] == 101
    assert absent[0]["path"] == str(shards[3])
    assert [len(s["articles"]) for s in got_shards] == [100, 100, 103, 0]


def _dies_once(path):
    """sd.read_shard, but the first call for the second shard kills its worker (a marker
    file beside the shard says it happened)."""
    import os

    marker = str(path) + ".died"
    if str(path).endswith("part1.jsonl") and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return sd.read_shard(path)


def test_a_worker_killed_mid_run_is_retried_and_nothing_is_lost(shards, client):
    import cloudpickle
    import sys

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    local_shards, local_pairs = sd.candidates(shards)
    got_shards, got_pairs = sd.candidates(shards, client, read_fn=_dies_once)
    assert (shards[1].parent / "part1.jsonl.died").exists()  # a worker did die
    assert got_pairs == local_pairs
    assert [s["articles"] for s in got_shards] == [s["articles"] for s in local_shards]
    assert [s["reports"] for s in got_shards] == [s["reports"] for s in local_shards]


# --- python3 -m storyline.dask: the pipeline into one store ---

from storyline.dask import pipeline as sp  # noqa: E402


def _same_store(storyline_cmd, a, b):
    """The two stores hold the same: events (with families, headlines, summaries),
    families, and every article's fields and cleaned text."""
    import subprocess

    def out(db, *args):
        return subprocess.run([storyline_cmd, "--db", str(db)] + list(args), check=True,
                              stdout=subprocess.PIPE).stdout

    for args in (("events", "--json"), ("dups", "--json"), ("export",)):
        assert out(a, *args) == out(b, *args), args
    with storyline.Store(a, readonly=True) as x, storyline.Store(b, readonly=True) as y:
        assert x.articles(text=True) == y.articles(text=True)


def test_the_pipeline_stores_what_the_command_stores(shards, client, storyline_cmd, tmp_path):
    import subprocess

    one, two = tmp_path / "one.db", tmp_path / "two.db"
    # slices of 50: the command's slicing is kept (a slice is cleaned and placed apart)
    r = subprocess.run([storyline_cmd, "--db", str(one), "add", "-q", "--slice", "50"]
                       + [str(p) for p in shards])
    assert r.returncode == 1  # inputs skipped
    summary, reports, counts = sp.run(shards, two, client, slice_articles=50)
    assert (summary.added, summary.slices) == (303, 7)
    assert [(x["path"], x["line"], x["code"]) for x in reports] == [
        (str(shards[1]), 101, "SL_ERR_JSON"), (str(shards[3]), 0, "SL_ERR_NOT_FOUND")]
    assert counts["files"] == 3
    _same_store(storyline_cmd, one, two)
    # and added again: every article present
    again, _, counts = sp.run(shards, two, client, slice_articles=50)
    assert (again.added, again.present) == (0, 303)
    # without the search index: the same store but for it; refused on one that has it
    three = tmp_path / "three.db"
    summary, _, _ = sp.run(shards, three, client, slice_articles=50, search=False)
    assert summary.added == 303
    with storyline.Store(three, readonly=True) as st:
        assert st.search_index is False
    _same_store(storyline_cmd, one, three)
    with pytest.raises(ValueError) as e:
        sp.run(shards, two, client, search=False)
    assert "search-index off" in str(e.value)


def test_the_command_line(shards, storyline_cmd, tmp_path):
    """python3 -m storyline.dask --workers 2 --db STORE PATH...: its own LocalCluster, the
    command's default slices, reports on stderr, exit status 1 (inputs skipped)."""
    import os
    import subprocess
    import sys

    one, two = tmp_path / "one.db", tmp_path / "two.db"
    # paths relative to the working folder: the origins are the command's
    rel = [os.path.relpath(p, shards[0].parent.parent) for p in shards]
    cwd = shards[0].parent.parent
    subprocess.run([storyline_cmd, "--db", str(one), "add", "-q"] + rel, cwd=cwd)
    r = subprocess.run([sys.executable, "-m", "storyline.dask", "--workers", "2", "--db",
                        str(two), "--json"] + rel, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    assert r.returncode == 1, r.stderr
    got = json.loads(r.stdout)
    assert (got["added"], got["skipped"], got["files"]) == (303, 2, 3)
    peaks = got["peak_rss_mb"]  # the writer's and each worker's peak memory
    assert peaks["writer"] > 10 and len(peaks["workers"]) == 2
    assert all(mb > 10 for mb in peaks["workers"].values())
    assert "part1.jsonl:101" in r.stderr.decode()
    _same_store(storyline_cmd, one, two)
    with storyline.Store(two, readonly=True) as st:
        assert not os.path.isabs(st.articles()[0].origin)
    indexed = subprocess.run([sys.executable, "-m", "storyline.dask", "--workers", "1",
                              "--no-search", "--db", str(two)] + rel, cwd=cwd,
                             stderr=subprocess.PIPE, env=os.environ)
    assert indexed.returncode == 2 and b"search-index off" in indexed.stderr
    bad = subprocess.run([sys.executable, "-m", "storyline.dask", "--db", str(two), "-"],
                         stderr=subprocess.PIPE)
    assert bad.returncode == 2 and b"standard input" in bad.stderr
    gone = subprocess.run([sys.executable, "-m", "storyline.dask", "--workers", "1", "--db",
                           str(tmp_path / "no" / "such" / "s.db"), str(shards[0])],
                          stderr=subprocess.PIPE, env=os.environ)
    assert gone.returncode == 2 and b"does not exist" in gone.stderr


def _blind_worker(paths, token_path, token):
    """sp.look on a worker that plays a machine of its own: it sees none of them."""
    return ["the store's folder %s" % token_path.rsplit("/", 1)[0]]


def test_a_store_the_workers_do_not_share_is_refused(shards, client, tmp_path):
    import cloudpickle
    import sys

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with pytest.raises(sp.NotShared, match="cannot see the store's folder"):
        sp.check_shared(client, tmp_path / "s.db", shards[:1], look_fn=_blind_worker)
    sp.check_shared(client, tmp_path / "s.db", shards[:1])  # the real look: shared
    # an input a worker sees otherwise than this process (here: changed in between)
    def changed(inputs, token_path, token):
        return sp.look({p: ("file", 0, 0) for p in inputs}, token_path, token)

    with pytest.raises(sp.NotShared, match="cannot see the input"):
        sp.check_shared(client, tmp_path / "s.db", shards[:1], look_fn=changed)
    assert not list(tmp_path.glob(".storyline-dask-*"))  # the token is gone
    assert not (tmp_path / "s.db").exists()  # refused before anything is written


def _dies_once_reading(path):
    """sp.read_record_shard, but the first call for the second shard kills its worker."""
    import os

    marker = str(path) + ".died-records"
    if str(path).endswith("part1.jsonl") and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return sp.read_record_shard(path)


def test_a_worker_killed_while_reading_loses_and_repeats_nothing(shards, client, storyline_cmd,
                                                                 tmp_path):
    import cloudpickle
    import subprocess
    import sys

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    subprocess.run([storyline_cmd, "--db", str(one), "add", "-q"] + [str(p) for p in shards])
    summary, reports, _ = sp.run(shards, two, client, read_fn=_dies_once_reading)
    assert (shards[1].parent / "part1.jsonl.died-records").exists()  # a worker did die
    assert (summary.added, summary.present, len(reports)) == (303, 0, 2)
    _same_store(storyline_cmd, one, two)


def test_repeated_ids_and_texts_are_stored_as_the_command_stores_them(client, storyline_cmd,
                                                                      tmp_path):
    """An id given again with another text (an update), in one shard and across shards, and
    a text given again under another id after its first id moved on: every read article
    goes to the writer, which decides against its store as the command's batch does."""
    import subprocess

    def line(i, text):
        return json.dumps({"id": i, "source": "x.example", "date": "2024-05-01",
                           "text": text})

    t1 = "The council approved the harbour budget on Monday after a long debate."
    t2 = "The council rejected the harbour budget on Tuesday after a short debate."
    t3 = "Ferries will run every ten minutes while the bridge is shut for repairs."
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join([line("x", t1), line("x", t2), line("y", t1)]) + "\n")
    b.write_text("\n".join([line("x", t3), line("z", t2)]) + "\n")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    subprocess.run([storyline_cmd, "--db", str(one), "add", "-q", str(a), str(b)], check=True)
    summary, reports, _ = sp.run([a, b], two, client)
    assert reports == []
    _same_store(storyline_cmd, one, two)
    with storyline.Store(two, readonly=True) as st:
        assert st.article("x").text.startswith("Ferries")  # the last one stands
        assert st.article("y").text.startswith("The council approved")


def _slow_first(path):
    """sp.read_record_shard, but the first shard takes a second longer to read, and every
    read is logged (in a file beside the shards: the worker is another process)."""
    import os
    import time

    log = os.path.join(os.path.dirname(str(path)), "reads.log")
    with open(log, "a") as f:
        f.write("read %s\n" % os.path.basename(str(path)))
    if str(path).endswith("part0.jsonl"):
        time.sleep(1.0)
    return sp.read_record_shard(path)


@pytest.mark.parametrize("ahead", [1, 2])
def test_the_workers_read_only_a_few_shards_ahead_of_the_writer(shards, client, storyline_cmd,
                                                                tmp_path, ahead):
    """A path is handed to a worker only when the writer takes the shard `ahead` places
    before it, so the workers never hold the whole input (at 1M articles, gigabytes of
    records): with every path handed over at once, the shards after a slow first one
    would all be read before the writer takes it."""
    import cloudpickle
    import os
    import subprocess
    import sys

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    log = shards[0].parent / "reads.log"
    if log.exists():
        log.unlink()
    names = [p.name for p in shards]

    def taken(path, shard):
        with open(log, "a") as f:
            f.write("took %s\n" % os.path.basename(str(path)))

    one, two = tmp_path / "one.db", tmp_path / "two.db"
    summary, reports, _ = sp.run(shards, two, client, read_fn=_slow_first, on_shard=taken,
                                 ahead=ahead)
    events = log.read_text().split("\n")
    for i in range(len(names) - ahead):  # path i + ahead read only after shard i was taken
        assert events.index("took " + names[i]) < events.index("read " + names[i + ahead])
    assert (summary.added, len(reports)) == (303, 2)
    subprocess.run([storyline_cmd, "--db", str(one), "add", "-q"] + [str(p) for p in shards])
    _same_store(storyline_cmd, one, two)


def _page(site, n, story, aside, date=None):
    """An HTML page of `site`: a story of two paragraphs, and an aside of two long
    sentences that only the page's structure marks as not the story."""
    meta = '<meta property="article:published_time" content="%s">' % date if date else ""
    return ("<!DOCTYPE html><html><head><title>%s</title>%s"
            '<meta name="author" content="Ana Varga">'
            '<link rel="canonical" href="https://%s/news/%d"></head><body><article>'
            "<h1>%s</h1><p>%s</p><p>%s</p></article><aside><p>%s</p><p>%s</p></aside>"
            "</body></html>" % (story[0], meta, site, n, story[0], story[1], story[2],
                                aside[0], aside[1]))


def test_html_pages_clean_on_the_workers_as_in_the_store(tmp_path, client):
    """Pages read on the workers are cleaned with their structure hints, as the store
    cleans them (the aside, which their text alone keeps, dropped), with the title, date
    and byline the store gives them; and the matches verified there are the store's
    families: a copy on another site with an aside of its own."""
    pages = tmp_path / "pages"
    pages.mkdir()
    words = ["council", "bridge", "river", "market", "school", "library", "harbour", "rail"]
    stories = []
    for i in range(4):
        w = words[i:] + words[:i]
        stories.append((
            "The %s of Lindhaven approves a plan for the %s" % (w[0], w[1]),
            "Members voted on Tuesday to spend %d million on the %s and the %s, which have "
            "been closed since the spring floods damaged them, officials said." % (i + 2, w[2], w[3]),
            "Engineers told meeting %d that the work on the %s would take eleven months and "
            "that the %s would stay open for most of that time." % (i, w[4], w[5])))
    for i, story in enumerate(stories[:3]):
        aside = ("Flood defences along the %s front will be raised next year after the "
                 "storms of spring, the mayor said on Monday." % words[i],
                 "The mayor opened the new %s on the square with a reading for the "
                 "children of the town on day %d." % (words[i + 1], i))
        (pages / ("courier-%d.html" % i)).write_text(
            _page("courier.example", i, story, aside, "2024-03-0%dT10:00:00Z" % (i + 1)))
    (pages / "mirror-0.html").write_text(_page("mirror.example", 9, stories[0], (
        "Our weekly newsletter brings the best of the valley's news to your inbox every "
        "Friday morning, free of charge.",
        "Readers can send their photographs of the floods to the newsroom for the gallery "
        "we publish at the end of the month.")))
    shards = [str(pages)]
    got_shards, _ = sd.candidates(shards, client)
    with storyline.Store(tmp_path / "pages.db") as st:
        summary = st.add(shards)
        stored = {a.id: a for a in st.articles(text=True)}
        families = st.families()
    assert summary.added == 4
    prepared = {a["id"]: a for s in got_shards for a in s["articles"]}
    assert prepared.keys() == stored.keys()
    for i, a in stored.items():
        p = prepared[i]
        assert (p["text"], p["title"], p["date"], p["byline"], p["source"]) == \
            (a.text, a.title, a.date, a.byline, a.source)
        assert "mayor" not in p["text"] and "newsletter" not in p["text"]
    assert prepared["courier-1.html"]["date"].startswith("2024-03-02")
    assert prepared["mirror-0.html"]["byline"] == "Ana Varga"
    # the page's text alone, cleaned as before records, keeps the aside
    arts, _ = storyline.read(str(pages))
    alone = [storyline.clean(a["text"], a["title"])["text"] for a in arts]
    assert all("mayor" in t or "newsletter" in t for t in alone)
    results = sd.verified(shards, client)
    matches = {(v["a"], v["b"]) for v in results if v["match"]}
    stored_pairs = {tuple(sorted((f.origin, m.article))) for f in families for m in f.members[1:]}
    assert matches == stored_pairs == {("courier-0.html", "mirror-0.html")}


def test_repeats_in_a_shard_kept_as_the_store_keeps_them(tmp_path):
    """A shard's records include those its input repeats (the writer decides against its
    store); the workers keep what the store keeps: an id again with its text, present; an
    id again with another text, updated to it; another id with a text its source has,
    present; the same text from another source, added."""
    def para(w):
        return ("The %s council met on Monday to hear the engineers report on the state of "
                "the bridge and the harbour walls after the winter storms." % w)
    rows = [("a1", "x.example", para("first")), ("a1", "x.example", para("first")),
            ("a2", "x.example", para("second")), ("a2", "x.example", para("third")),
            ("a3", "x.example", para("first")), ("a4", "y.example", para("first"))]
    path = tmp_path / "repeats.jsonl"
    path.write_text("".join(json.dumps({"id": i, "source": s, "title": "Story " + i,
                                        "text": t}) + "\n" for i, s, t in rows))
    got, pairs = sd.candidates([str(path)])
    with storyline.Store(tmp_path / "r.db") as st:
        summary = st.add([str(path)])
        stored = {a.id: a.text for a in st.articles(text=True)}
    assert (summary.added, summary.updated, summary.present) == (3, 1, 2)
    prepared = {a["id"]: a["text"] for a in got[0]["articles"]}
    assert prepared == stored
    assert sorted(prepared) == ["a1", "a2", "a4"] and "third" in prepared["a2"]
    assert ("a1", "a4") in pairs  # the same text from two sources


@pytest.mark.parametrize("rows", [
    [("a1", "x.example", "one"), ("a1", "y.example", "two")],  # an update moves the source
    [("a1", "x.example", "one"), ("a1", "y.example", "one")],  # the same text: present
    [("a1", "x.example", "one"), ("a2", "x.example", "two"), ("a1", "x.example", "two"),
     ("a1", "x.example", "three"), ("a3", "x.example", "two")],  # a2 still holds "two"
])
def test_updates_and_shared_texts_kept_as_the_store_keeps_them(tmp_path, rows):
    """Updates that change the source, the same text again from another source, and a
    text two ids held before one of them moved on: the workers keep (and clean) what the
    store keeps."""
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps({
        "id": i, "source": s, "title": "Story " + i,
        "text": "The %s council met on Monday to hear the engineers report on the state of "
                "the bridge and the harbour walls after the winter storms." % w}) + "\n"
        for i, s, w in rows))
    got, _ = sd.candidates([str(path)])
    with storyline.Store(tmp_path / "r.db") as st:
        st.add([str(path)])
        stored = {a.id: (a.source, a.text) for a in st.articles(text=True)}
    assert {a["id"]: (a["source"], a["text"]) for a in got[0]["articles"]} == stored
    # the same records dealt to two shards in turn: the repeats are across shards
    lines = path.read_text().splitlines(keepends=True)
    paths = []
    for k in range(2):
        (tmp_path / ("r%d.jsonl" % k)).write_text("".join(lines[k::2]))
        paths.append(str(tmp_path / ("r%d.jsonl" % k)))
    got, _ = sd.candidates(paths)
    with storyline.Store(tmp_path / "r2.db") as st:
        st.add(paths)
        stored = {a.id: (a.source, a.text) for a in st.articles(text=True)}
    assert {a["id"]: (a["source"], a["text"]) for s in got for a in s["articles"]} == stored


def _families_of(fams):
    """Families (dicts, or Store.families()' objects) as comparable tuples: the origin and
    every member's id, Jaccard, containment and relation, each number as the JSON prints
    it (6 significant digits, which a store's double is cut to first: rounded to 4 places
    from the double itself, 0.18705... and the JSON's 0.18705 fall apart)."""
    def num(x):
        return float("%.6g" % x)

    out = []
    for f in fams:
        ms = f["members"] if isinstance(f, dict) else [
            {"article": m.article, "jaccard": m.jaccard, "containment": m.containment,
             "relation": m.relation} for m in f.members]
        out.append((ms[0]["article"], tuple((m["article"], num(m["jaccard"]),
                                             num(m["containment"]), m["relation"])
                                            for m in ms)))
    return sorted(out)


def _mixed_corpus(seed, n=60, own_line=True):
    """Articles made of runs of paragraphs from one pool (some replaced by new ones):
    copies, cut copies, copies with a sidebar, rewrites and chains of weak links among
    them, over four days and five sources; with `own_line`, each text ends with a line of
    its own, so that no two are one text (without, a text of one source may come twice,
    under two ids: the second is present, not stored)."""
    import random

    rng = random.Random(seed)
    words = ("river bridge council harbour market school library ferry storm flood mayor "
             "budget engineers rail station tunnel festival museum hospital nurses teachers "
             "farmers harvest drought wind turbines solar panels voters election court "
             "judge police").split()

    def para():
        return " ".join(rng.choice(words) for _ in range(rng.randint(12, 30))).capitalize() + "."

    pool = [para() for _ in range(14)]
    rows = []
    for i in range(n):
        start = rng.randrange(len(pool))
        ps = [pool[(start + j) % len(pool)] if rng.random() < 0.8 else para()
              for j in range(rng.randint(1, 6))]
        rows.append({"id": "a%03d" % i, "source": "s%d.example" % rng.randrange(5),
                     "date": "2024-05-%02d" % rng.randint(1, 4) if rng.random() < 0.9 else None,
                     "title": "Story %d" % i,
                     "text": "\n".join(ps) + ("\nDesk %d filed this report." % i
                                               if own_line else "")})
    return rows


@pytest.mark.parametrize("seed,own_line", [(0, True), (1, True), (2, True), (3, True),
                                           (3, False), (8, False), (37, False), (66, True)])
def test_families_on_the_workers_are_the_stores(tmp_path, seed, own_line):
    """The families decided from the candidates' connected groups (storyline.dask.
    families: the dedup stage's rules in one place, sli_dedup_join) are the store's, origin,
    members, Jaccard, containment and relation, on corpora of copies, cut copies, sidebars
    and chains of weak links in two shards, also where a text comes again under another id
    in the other shard (found by the identities' shuffle, not stored twice). Seeds 37 and
    66 hold equally good candidates whose keys come in another order than their matching:
    they differ from the store when a group's candidates are its pairs, the last matched
    first, rather than found key by key (13 of 400 seeds did, 0 of 400 do)."""
    rows = _mixed_corpus(seed, own_line=own_line)
    paths = []
    for s in range(2):
        p = tmp_path / ("s%d.jsonl" % s)
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[s::2]))
        paths.append(str(p))
    got = sd.families(paths)
    with storyline.Store(tmp_path / "m.db") as st:
        st.add(paths)
        want = st.families()
    assert len(want) >= 3 and sum(len(f.members) for f in want) >= 10
    assert _families_of(got) == _families_of(want)


def test_families_on_two_workers(client, tmp_path):
    """The same families on a LocalCluster of two workers as in one process, and as the
    store's; the groups' articles come from both shards."""
    rows = _mixed_corpus(5)
    paths = []
    for s in range(2):
        p = tmp_path / ("s%d.jsonl" % s)
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[s::2]))
        paths.append(str(p))
    stats = {}
    got = sd.families(paths, client, stats=stats)
    assert got == sd.families(paths)
    with storyline.Store(tmp_path / "m.db") as st:
        st.add(paths)
        want = st.families()
    assert _families_of(got) == _families_of(want)
    assert stats["groups"] >= 1 and stats["pairs"] >= stats["groups"]


def _write_rows(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def _wire(w):
    return ("The %s council met on Monday to hear the engineers report on the state of the "
            "bridge and the harbour walls after the winter storms, and voted to close the "
            "ferry.\nEngineers said the repairs would take a year and cost more than the "
            "budget allowed." % w)


def test_many_repeats_and_copies_as_the_store(tmp_path):
    """Past 64 of a kind, as the store: an id in 70 records of one shard and updated in
    another is one article with the last text (the identities' reducer chains a key's
    records, uncapped); a wire story in 70 exact copies (other ids and sources) is one
    family of 70 (each article paired with the 64 of a key before it, as a batch gives it
    those matched before it)."""
    p0 = _write_rows(tmp_path / "x0.jsonl", [{"id": "x", "source": "a.example", "title": "T",
                                              "text": _wire("first")}] * 70)
    p1 = _write_rows(tmp_path / "x1.jsonl", [{"id": "x", "source": "a.example", "title": "T",
                                              "text": _wire("second")}])
    got, _ = sd.candidates([p0, p1])
    arts = [a for s in got for a in s["articles"]]
    assert len(arts) == 1 and "second" in arts[0]["text"]
    rows = [{"id": "w%03d" % i, "source": "s%d.example" % i, "title": "Wire",
             "date": "2024-05-01", "text": _wire("harbour")} for i in range(70)]
    paths = [_write_rows(tmp_path / ("w%d.jsonl" % s), rows[s::2]) for s in range(2)]
    fams = sd.families(paths)
    with storyline.Store(tmp_path / "w.db") as st:
        st.add(paths)
        want = st.families()
    assert [len(f["members"]) for f in fams] == [len(f.members) for f in want] == [70]


def test_equal_candidates_and_order_of_arrival_as_the_store(tmp_path):
    """Two equally good candidates: the one matched last is taken, as a batch's key index
    gives it first; and an article updated within a shard keeps its first place in the
    order of arrival while another shard repeats an unrelated record."""
    import itertools

    gen = ("".join(t) + "a" for t in itertools.product("bcdfghjklmnprstvz", repeat=3))

    def para(n):
        return " ".join(next(gen) for _ in range(n)).capitalize() + "."

    p1, p2, p3 = para(14), para(40), para(40)
    rows = [("P", "2024-05-01", [p1, p2]), ("R", "2024-05-02", [p3]),
            ("Q", "2024-05-03", [p1, p3]), ("X", "2024-05-04", [p1])]
    path = _write_rows(tmp_path / "t.jsonl", [
        {"id": i, "source": i + ".example", "title": "T", "date": d, "text": "\n".join(ps)}
        for i, d, ps in rows])
    q = [para(40) for _ in range(7)]
    s0 = [{"id": "a", "source": "x.example", "date": "2024-05-01", "text": q[6]},
          {"id": "b", "source": "y.example", "date": "2024-05-01", "text": "\n".join(q[1:4])},
          {"id": "a", "source": "x.example", "date": "2024-05-01", "text": "\n".join(q[0:3])},
          {"id": "z", "source": "w.example", "text": "A note on the tides in the bay."}]
    s1 = [{"id": "c", "source": "z.example", "date": "2024-05-01", "text": "\n".join(q[2:5])},
          {"id": "z", "source": "w.example", "text": "A note on the tides in the bay."}]
    paths = [_write_rows(tmp_path / "o0.jsonl", s0), _write_rows(tmp_path / "o1.jsonl", s1)]
    for inputs in ([path], paths):
        fams = sd.families(inputs)
        with storyline.Store(tmp_path / ("o%d.db" % len(inputs))) as st:
            st.add(inputs)
            want = st.families()
        assert _families_of(fams) == _families_of(want) and want
    assert sd.candidates([]) == ([], set()) and sd.families([]) == []


def test_an_article_updated_from_another_shard_keeps_its_first_arrival(tmp_path):
    """An id first read in one shard and updated in a later one is the store's article of
    its first record (its rid): matched before the articles that came after that record,
    so the family's origin is the store's. Here "a" comes first, is updated in the second
    shard to a text that "b" (first shard) and "c" (second) overlap, all of one date: the
    store matches a, b, c in that order and a is the origin; numbered by its last record,
    a would come after c and b would be."""
    import itertools

    gen = ("".join(t) + "o" for t in itertools.product("bcdfghjklmnprstvz", repeat=3))
    q = [" ".join(next(gen) for _ in range(40)).capitalize() + "." for _ in range(7)]

    def row(aid, source, text):
        return {"id": aid, "source": source, "date": "2024-05-01", "title": "T", "text": text}

    s0 = [row("a", "x.example", q[6]), row("b", "y.example", "\n".join(q[1:4]))]
    s1 = [row("c", "z.example", "\n".join(q[2:5])), row("a", "x.example", "\n".join(q[0:3]))]
    paths = [_write_rows(tmp_path / "u0.jsonl", s0), _write_rows(tmp_path / "u1.jsonl", s1)]
    fams = sd.families(paths)
    with storyline.Store(tmp_path / "u.db") as st:
        st.add(paths)
        want = st.families()
    assert [f.origin for f in want] == ["a"]
    assert _families_of(fams) == _families_of(want)
