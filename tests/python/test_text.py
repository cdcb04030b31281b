"""The per-article functions on a text, without a store."""

import threading

import pytest

import storyline

RAW = (
    "Harbour bridge to close for repairs after storm damage\n"
    "November 9, 2023, 21:40 IST\n"
    "By Asha Menon\n"
    "The harbour bridge will close for three weeks from Monday while engineers repair the "
    "cables that the storm loosened last Tuesday, the city council said on Thursday.\n"
    "\u201cWe will not open it until every cable has been tested,\u201d said Mayor Jane Doe.\n"
    "The repairs will cost 2,50,000 rupees, and ferries will run every ten minutes in the "
    "meantime, according to the Port Authority of Lindhaven.\n"
    "Traffic on the coast road is expected to double during the closure, and the council "
    "asked drivers to leave earlier than usual for the next three weeks.\n"
    "Share this article\n"
)


def test_clean_finds_title_date_byline_and_drops_the_share_prompt():
    c = storyline.clean(RAW)
    assert c["title"] == "Harbour bridge to close for repairs after storm damage"
    assert c["date"] == "2023-11-09T21:40:00+05:30"
    assert c["byline"] == "Asha Menon"
    assert "engineers repair the cables" in c["text"]
    assert "Share this article" not in c["text"]
    assert c["lines"] == 8 and 4 <= c["kept"] < 8
    assert storyline.clean(RAW, title="Given")["title"] == "Given"


def test_sketch_keys_find_a_copy_with_a_sidebar():
    body = storyline.clean(RAW)["text"]
    a = storyline.sketch(body)
    b = storyline.sketch(body + "\nMost read: ten bridges to see\nWeather: rain all week")
    assert len(a["signature"]) == 128 and len(a["bands"]) == 32
    assert all(len(k) == 16 and int(k, 16) >= 0 for k in a["bands"] + a["paragraphs"])
    assert set(a["paragraphs"]) <= set(b["paragraphs"]) and a["paragraphs"]
    assert storyline.sketch(body) == a  # the same text, the same keys
    other = storyline.sketch("An unrelated text about the price of wheat in the spring "
                             "markets of the northern provinces this year.")
    assert not set(other["bands"]) & set(a["bands"])


def test_minhash_agrees_with_the_shingles():
    """The share of equal signature values estimates the Jaccard of the shingle sets."""
    words = ["w%d" % i for i in range(400)]
    x = " ".join(words[:300])
    y = " ".join(words[100:400])  # 196 of 296 5-word shingles each; 196 / 396 shared
    sx, sy = storyline.sketch(x)["signature"], storyline.sketch(y)["signature"]
    est = sum(p == q for p, q in zip(sx, sy)) / 128
    assert abs(est - 196 / 396) < 0.15


def test_features_by_view_heaviest_first():
    f = storyline.features(storyline.clean(RAW)["text"], title="Harbour bridge to close")
    assert set(f) == {"title", "body", "names", "details", "quotes"}
    assert len(f["title"]) == 3
    for view in f.values():
        weights = [w for _, w in view]
        assert weights == sorted(weights, reverse=True) and all(w >= 1 for w in weights)
    assert len(f["body"]) > 20 and f["names"] and f["quotes"]


def test_facts_quote_speaker_amount_and_dates():
    f = storyline.facts(storyline.clean(RAW)["text"], date="2023-11-09")
    assert [(q["text"], q["speaker"]) for q in f["quotes"]] == [
        ("We will not open it until every cable has been tested", "Jane Doe")]
    assert 250000 in [a["value"] for a in f["amounts"]]  # "2,50,000"
    assert {"text": "last Tuesday", "date": "2023-11-07"} in f["dates"]
    people = [e["name"] for e in f["entities"] if e["type"] == "person"]
    assert "Jane Doe" in people


def test_errors_carry_the_library_text():
    with pytest.raises(storyline.StorylineError) as e:
        storyline.clean(b"caf\xc3 au lait")
    assert e.value.name == "SL_ERR_UTF8"
    assert str(e.value) == e.value.strerror and "UTF-8" in e.value.strerror
    with pytest.raises(storyline.StorylineError):
        storyline.facts("ok", date="\ud800")  # a lone surrogate is no UTF-8
    with pytest.raises(TypeError):
        storyline.sketch(42)
    with pytest.raises(TypeError):
        storyline.clean(None)
    with pytest.raises(ValueError):  # would be cut short at the NUL, unseen
        storyline.clean("text", title="Good\0Evil")
    with pytest.raises(storyline.StorylineError) as e:  # as a batch refuses it
        storyline.sketch("a\0b")
    assert e.value.name == "SL_ERR_BINARY"
    tools = storyline.TextTools()
    tools.close()
    with pytest.raises(ValueError):
        tools.clean("x")


def test_threads_get_the_same_answers():
    want = storyline.facts(RAW, date="2023-11-09")
    got, errors = [], []

    def work():
        try:
            for _ in range(5):
                got.append(storyline.facts(RAW, date="2023-11-09"))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(got) == 15 and all(g == want for g in got)


def test_line_counts_make_a_site_template():
    side = "The Courier is printed on recycled paper in Lindhaven every morning, seven days a week."
    texts = ["Headline %d\nThe council met on Monday to talk about the bridge, item %d.\n%s\n"
             "The ferry runs every ten minutes, said officials at meeting %d." % (i, i, side, i)
             for i in range(3)]
    one, two = storyline.LineCounts(), storyline.LineCounts()
    one.add("site.example", texts[0])
    for t in texts[1:]:
        two.add("site.example", t)
    both = storyline.LineCounts(one.to_json())
    both.merge(two.to_json())
    assert side in storyline.clean(texts[0])["text"]  # alone: no template known
    assert side not in storyline.clean(texts[0], counts=both, source="site.example")["text"]
    assert side in storyline.clean(texts[0], counts=one, source="site.example")["text"]
    with pytest.raises(storyline.NotFoundError):
        storyline.clean(texts[0], counts=both, source="other.example")
    with pytest.raises(storyline.StorylineError) as e:
        both.merge(b'{"sources": []}')
    assert e.value.name == "SL_ERR_JSON"
