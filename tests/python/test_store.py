"""A store from Python: the same answer as the command, objects for what it holds, errors
that say what the library says."""

import json
import os
import subprocess

import pytest

import storyline


def with_copies(corpus, tmp_path):
    """The corpus and, for its first three articles, a copy elsewhere with a sidebar."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    out = list(lines)
    for i, line in enumerate(lines[:3]):
        a = json.loads(line)
        a["id"] = "copy/%d" % i
        a["source"] = "copier.example"
        a["date"] = "2025-06-01"  # later: the original is the family's origin
        a["text"] += "\nMost read: ten bridges to see before you die\nWeather: rain all week"
        out.append(json.dumps(a))
    path = tmp_path / "with-copies.jsonl"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path, [json.loads(x)["id"] for x in lines[:3]]


def test_add_and_read_back(corpus, tmp_path):
    path, originals = with_copies(corpus, tmp_path)
    with storyline.Store(tmp_path / "s.db") as st:
        s = st.add([path])
        assert (s.added, s.present, s.skipped, s.files, s.reports) == (303, 0, 0, 1, [])
        again = st.add([path])
        assert (again.added, again.present) == (0, 303)

        fams = st.families()
        assert len(fams) == 3
        for f in fams:
            assert f.origin in originals and f.members[0].relation == "origin"
            assert f.members[1].article.startswith("copy/") and f.members[1].containment > 0.8

        arts = st.articles()
        assert len(arts) == 303 and all(a.text is None for a in arts)
        a = st.article(originals[0], text=True, raw=True, facts=True)
        assert a.id == originals[0] and a.text and a.raw and isinstance(a.facts, dict)
        assert a.family == fams[[f.origin for f in fams].index(a.id)].id
        assert a.event is not None

        events = st.events()
        assert sum(len(e.articles) for e in events) == 303
        ev = st.event(a.event)
        assert a.id in [x.id for x in ev.articles] and ev.summary
        copy = [x for x in ev.articles if x.family == a.family]
        assert [x.relation for x in copy] == ["origin", "copy"] or \
            [x.relation for x in copy] == ["origin", "contained"]

        quotes = st.quotes()
        assert quotes and all(q.variants and q.variants[0].articles for q in quotes)
        assert st.quotes(quotes[0].event) == [q for q in quotes if q.event == quotes[0].event]
        assert st.entities(ev.id)
        kinds = {f.kind for f in st.facts(a.id)}
        assert "entity" in kinds
        word = a.title.split()[0]
        assert any(h.id == a.id for h in st.search(word, limit=300))
        assert st.stats()["articles"] == 303


def test_the_command_reads_it_and_gives_the_same_events(corpus, tmp_path, storyline_cmd):
    path, _ = with_copies(corpus, tmp_path)
    with storyline.Store(tmp_path / "py.db") as st:
        st.add([path])
        mine = st.export_events()
    subprocess.run([storyline_cmd, "--db", str(tmp_path / "cli.db"), "-q", "add", str(path)],
                   check=True)
    theirs = json.loads(subprocess.run(
        [storyline_cmd, "--db", str(tmp_path / "cli.db"), "events", "--json"],
        check=True, capture_output=True).stdout)
    assert mine == theirs
    read = json.loads(subprocess.run(
        [storyline_cmd, "--db", str(tmp_path / "py.db"), "events", "--json"],
        check=True, capture_output=True).stdout)
    assert read == theirs


def test_articles_given_as_dicts(tmp_path):
    text = ("The harbour bridge will close for three weeks from Monday while engineers "
            "repair the cables, the city council said on Thursday.")
    with storyline.Store(tmp_path / "d.db") as st:
        s = st.add(articles=[{"id": "a", "source": "x.example", "date": "2024-03-15",
                              "title": "Bridge to close", "text": text}])
        assert s.added == 1
        a = st.article("a")
        assert (a.title, a.date, a.source) == ("Bridge to close", "2024-03-15", "x.example")
        with pytest.raises(ValueError):
            st.add(articles=[{"id": "b"}])
        with pytest.raises(ValueError):
            st.add(articles=[{"id": "b", "text": "t", "colour": "red"}])
        assert len(st.articles()) == 1  # the failed batches left nothing


def test_a_broken_line_is_reported_and_the_rest_goes_on(tmp_path):
    good = json.dumps({"id": "g1", "text": "A good article about the harbour bridge and "
                                            "the repairs to its cables this winter."})
    path = tmp_path / "mixed.jsonl"
    path.write_text(good + "\n{\"id\": \"bad\", \"text\": \n" +
                    good.replace("g1", "g2").replace("winter", "spring") + "\n", encoding="utf-8")
    with storyline.Store(tmp_path / "m.db") as st:
        s = st.add([path])
        assert (s.added, s.skipped) == (2, 1)
        (r,) = s.reports
        assert (r.path, r.line, r.code) == (str(path), 2, "SL_ERR_JSON")
        assert r.offset > 0 and r.detail


def test_errors_say_what_the_library_says(tmp_path):
    with pytest.raises(storyline.NotFoundError) as e:
        storyline.Store(tmp_path / "absent.db", readonly=True)
    assert isinstance(e.value, LookupError) and e.value.name == "SL_ERR_NOT_FOUND"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a store" * 100)
    with pytest.raises(storyline.StorylineError) as e:
        storyline.Store(junk)
    assert e.value.name == "SL_ERR_STORE" and "junk.db" in e.value.detail
    assert str(e.value).startswith(e.value.strerror)
    with storyline.Store(tmp_path / "e.db") as st:
        with pytest.raises(storyline.NotFoundError):
            st.article("nope")
        with pytest.raises(storyline.NotFoundError):
            st.event("E999")
        with pytest.raises(storyline.StorylineError) as e:
            st.search("")
        assert e.value.name == "SL_ERR_INVALID"
    with pytest.raises(ValueError):
        st.articles()  # closed


def test_search_index_off_and_on(corpus, tmp_path):
    """search=False makes a store without the index: search raises, saying how to build
    it; the property builds it (the stored articles then found) and drops it."""
    with storyline.Store(tmp_path / "n.db", search=False) as st:
        st.add(paths=[corpus])
        assert st.search_index is False and st.stats()["search_index"] is False
        a = st.articles()[0]
        word = a.title.split()[0]
        with pytest.raises(storyline.StorylineError) as e:
            st.search(word)
        assert e.value.name == "SL_ERR_UNSUPPORTED" and "search-index on" in e.value.detail
        st.search_index = True
        assert st.search_index is True
        assert any(h.id == a.id for h in st.search(word, limit=300))
        st.search_index = False
        assert st.search_index is False
    with storyline.Store(tmp_path / "n.db", readonly=True) as st:
        assert st.search_index is False
        with pytest.raises(storyline.StorylineError) as e:
            st.search_index = True
        assert e.value.name == "SL_ERR_INVALID"


def test_compact(corpus, tmp_path):
    """compact() rewrites the file without its free pages (the dropped index's) and gives
    its sizes; the store reads the same; a read-only store refuses."""
    path = tmp_path / "c.db"
    with storyline.Store(path) as st:
        st.add(paths=[corpus])
        ids = [a.id for a in st.articles()]
        st.search_index = False
        before, after = st.compact()
        assert after < before and after == os.path.getsize(path)
        assert [a.id for a in st.articles()] == ids
    with storyline.Store(path, readonly=True) as st:
        with pytest.raises(storyline.StorylineError) as e:
            st.compact()
        assert e.value.name == "SL_ERR_INVALID"


def test_paths_not_utf8_and_a_single_dict(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.jsonl")  # Latin-1 bytes: no UTF-8 name
    path = tmp_path / name
    path.write_text(json.dumps({"id": "n1", "text": "The ferry runs every ten minutes "
                                                  "while the bridge is closed."}) + "\nbad\n")
    arts, reports = storyline.read(path)
    assert [a["id"] for a in arts] == ["n1"] and arts[0]["origin"] == "%s:1" % path
    assert reports[0]["path"] == str(path)  # as the file system names it: it opens again
    with storyline.Store(tmp_path / "n.db") as st:
        s = st.add([path])
        assert s.added == 1 and s.reports[0].path == str(path)
        assert st.add(articles={"id": "n2", "text": "Another text."}).added == 1
        with pytest.raises(ValueError):
            st.article("n1\0x")


def test_an_exception_in_the_commit_comes_after_it(corpus, tmp_path):
    def progress(p):
        if p["stage"] == "cleaning":
            raise RuntimeError("in the commit")

    with storyline.Store(tmp_path / "c.db") as st:
        with pytest.raises(RuntimeError, match="in the commit"):
            st.add([corpus], progress=progress)
        assert len(st.articles()) == 300  # committed, as the docstring says


def test_an_exception_in_a_callback_stops_the_batch(corpus, tmp_path):
    def progress(p):
        if p["articles"] >= 64:
            raise RuntimeError("stop here")

    with storyline.Store(tmp_path / "p.db") as st:
        with pytest.raises(RuntimeError, match="stop here"):
            st.add([corpus], progress=progress)
        assert st.articles() == []  # rolled back
        seen = []
        st.add([corpus], progress=seen.append)
        assert seen and seen[-1]["articles"] == 300 and len(st.articles()) == 300


def test_read_gives_what_a_batch_would_store(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "r1", "source": "x.example", "date": "2024-03-15",
                                "title": "T", "text": "A line of text.\nAnother."}) +
                    "\nnot json\n", encoding="utf-8")
    arts, reports = storyline.read(path)
    assert arts == [{"id": "r1", "source": "x.example", "url": None, "date": "2024-03-15",
                     "title": "T", "text": "A line of text.\nAnother.",
                     "origin": "%s:1" % path}]
    assert [(r["code"], r["path"], r["line"]) for r in reports] == [
        ("SL_ERR_JSON", str(path), 2)]
    with storyline.Store(tmp_path / "r.db") as st:
        st.add([path])
        a = st.article("r1", raw=True)
        assert (a.raw, a.origin, a.source) == (arts[0]["text"], arts[0]["origin"], "x.example")


def test_records_stored_as_read(corpus, tmp_path):
    """Articles read into records (as a worker would) and stored by another batch: the
    same store as the batch that reads the files itself; a damaged record is reported."""
    path, _ = with_copies(corpus, tmp_path)
    broken = tmp_path / "in" / "broken.jsonl"
    broken.parent.mkdir()
    broken.write_text('{"id": "x1", "text": \n{"id": "x2", "section": "metro",'
                      ' "text": "The harbour reopened today after storms."}\n', encoding="utf-8")
    inputs = [path, broken.parent]
    with storyline.Store(tmp_path / "a.db") as a:
        sa = a.add(inputs)
        want_events, want = a.export_events(), a.articles(text=True)
    records, reports = [], []
    for p in inputs:
        r, rep = storyline.read_records(p)
        records += r
        reports += rep
    assert len(records) == 304 and all(isinstance(r, bytes) for r in records)
    assert [(x["path"], x["line"]) for x in reports] == [(str(broken), 1)]
    with storyline.Store(tmp_path / "b.db") as b:
        sb = b.add(records=records)
        assert (sb.added, sb.skipped) == (sa.added, 0)
        assert b.export_events() == want_events
        assert b.articles(text=True) == want  # origins and the input's other fields too
        assert b.article("x2").meta == {"section": "metro"}
        bad = b.add(records=[records[0][:20], b"SLR9" + records[0][4:]])
        assert (bad.added, bad.skipped) == (0, 2)
        assert {r.path for r in bad.reports} == {"(record)"}
        with pytest.raises(TypeError):
            b.add(records=["not bytes"])
