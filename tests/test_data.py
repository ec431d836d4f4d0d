from __future__ import annotations

from pathlib import Path

import pytest

from classifier import DataError, Label, Part, split
from classifier.data import gold_page_labels, read_page, read_pages, segment_labels
from classifier.train import build_training_set, unseen_set

PAGE = """# style: blogger
# lang: en
# blank-lines: no
N Home | World
R Ministers agree to delay the port tender
R The tender will reopen in March, the ministry said.
O+ Another delay nobody will answer for.
== comments
N 2 comments:
O Same story every year.
N ReplyDelete
O> As if anyone expected March to hold.
"""


def write(tmp_path: Path, text: str, name: str = "a.page") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_read_page_rebuilds_the_scraped_text(tmp_path):
    page = read_page(write(tmp_path, PAGE))
    assert page.text == (
        "Home | World\nMinisters agree to delay the port tender\n"
        "The tender will reopen in March, the ministry said. Another delay nobody will answer for.\n"
        "2 comments:\nSame story every year.\nReplyDeleteAs if anyone expected March to hold.\n"
    )
    got = [(page.text[p.start : p.end], p.label, p.part) for p in page.pieces]
    assert got[3] == ("Another delay nobody will answer for.", Label.OPINION, Part.ARTICLE)
    assert got[-2:] == [("ReplyDelete", Label.NOISE, Part.COMMENTS), ("As if anyone expected March to hold.", Label.OPINION, Part.COMMENTS)]
    assert page.get("style") == "blogger"


def test_blank_lines_yes_puts_a_blank_line_between_blocks(tmp_path):
    page = read_page(write(tmp_path, PAGE.replace("blank-lines: no", "blank-lines: yes")))
    assert page.text.startswith("Home | World\n\nMinisters agree")


def test_segment_labels_follow_the_pieces(tmp_path):
    page = read_page(write(tmp_path, PAGE))
    segs = split(page.text)
    labels = dict(zip((s.text for s in segs), segment_labels(segs, page.pieces)))
    assert labels["ReplyDelete"] is Label.NOISE
    assert labels["As if anyone expected March to hold."] is Label.OPINION
    assert labels["The tender will reopen in March, the ministry said."] is Label.REPORTING
    assert labels["Another delay nobody will answer for."] is Label.OPINION


@pytest.mark.parametrize(
    "broken, where",
    [
        (PAGE.replace("R The tender", "X The tender"), ":6:"),
        (PAGE.replace("N Home | World", "N+ Home | World"), ":4:"),
        (PAGE + "== comments\n", ":13:"),
        (PAGE.replace("# lang: en\n", ""), "lang"),
        (PAGE.replace("blank-lines: no", "blank-lines: maybe"), "yes or no"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path, broken, where):
    path = write(tmp_path, broken, "broken.page")
    with pytest.raises(DataError) as err:
        read_page(path)
    assert str(path) in str(err.value) and where in str(err.value)


def test_read_pages_needs_pages(tmp_path):
    with pytest.raises(DataError, match="no .page files"):
        read_pages(tmp_path)


def test_project_pages_all_load_and_cover_every_label_and_part():
    pages = read_pages(Path(__file__).resolve().parent.parent / "data" / "pages")
    labels = {p.label for page in pages for p in page.pieces}
    parts = {p.part for page in pages for p in page.pieces}
    assert labels == set(Label) and parts == set(Part)


def test_gold_labels_mark_runs_of_gold_words_as_content():
    text = "World\nBridge closes after inspection\nThe council voted to close the bridge on Tuesday.\nShare\nWorld news in brief"
    segs = split(text)
    gold = "Bridge closes after inspection\nThe council voted to close the bridge on Tuesday. World"
    assert gold_page_labels(segs, gold) == [False, True, True, False, False]


def test_unseen_pages_load_and_stay_out_of_training():
    data = Path(__file__).resolve().parent.parent / "data"
    unseen = unseen_set(data)
    assert len(unseen.pages) >= 50
    assert {label for page in unseen.labels for label in page} == {label.value for label in Label}
    trained = {Path(s).resolve() for s in build_training_set(data, None, log=lambda _m: None).sources}
    assert trained and not trained & {Path(s).resolve() for s in unseen.sources}


def test_corpus_pages_are_weighted_and_project_pages_are_not(tmp_path):
    import json

    data = tmp_path / "data"
    (data / "pages").mkdir(parents=True)
    write(data / "pages", PAGE)
    corpus = tmp_path / "corpora" / "scrapinghub"
    corpus.mkdir(parents=True)
    (corpus / "p1.txt").write_text("Home | World\nMinisters agree to delay the port tender\nShare this\n", encoding="utf-8")
    gold = {"id": "p1", "content": "Ministers agree to delay the port tender", "comments": "", "neutral": ""}
    (corpus / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")

    ts = build_training_set(data, tmp_path / "corpora", corpus_weight=3.0, log=lambda _m: None)
    assert [(Path(s).suffix, w) for s, w in zip(ts.sources, ts.weights)] == [(".page", 1.0), (".txt", 3.0)]
    # a subset keeps each page's weight with it
    kept = ts.subset(lambda s: s.endswith(".txt"))
    assert kept.weights == [3.0] and kept.sources == [str(corpus / "p1.txt")]
    with pytest.raises(ValueError, match="positive"):
        build_training_set(data, tmp_path / "corpora", corpus_weight=0, log=lambda _m: None)
