from __future__ import annotations

import pandas as pd
import pytest

import classifier
from classifier import CleanConfig, InputError, Label, Part, clean, label, label_frame

PAGE = (
    "Home | World | Business | Sport\n"
    "Harbour closed after storm damages pier\n"
    "The port authority closed the harbour on Monday after waves damaged the outer pier, a spokesman said.\n"
    "Repairs are expected to take two weeks, according to the authority's chief engineer.\n"
    "Fishing boats were moved to the marina at Kellby, where the council opened four temporary berths on Sunday night.\n"
    "Share on Facebook\n"
    "2 comments\n"
    "harbourwatcher\n"
    "3 hours ago\n"
    "Typical. They were warned about that pier years ago and did nothing.\n"
    "Reply\n"
)


def test_public_names_are_exported():
    for name in classifier.__all__:
        assert hasattr(classifier, name), name


def test_clean_keeps_the_article_and_drops_furniture_and_comments(model):
    out = clean(PAGE)
    assert "The port authority closed the harbour" in out
    assert "Share on Facebook" not in out and "Home | World" not in out
    assert "Typical." not in out


def test_clean_with_comments_keeps_the_thread(model):
    assert "They were warned" in clean(PAGE, comments=True)


def test_clean_keep_noise_only(model):
    out = clean(PAGE, keep="noise", comments=True)
    assert "Share on Facebook" in out and "closed the harbour" not in out


def test_keep_accepts_labels_and_strings_and_refuses_unknown():
    assert CleanConfig(keep=["reporting", Label.OPINION]).keep == {Label.REPORTING, Label.OPINION}
    with pytest.raises(InputError, match="unknown label 'news'"):
        clean(PAGE, keep="news")
    with pytest.raises(InputError, match="nothing would be kept"):
        CleanConfig(keep=[])


LEAD = "The port authority closed the harbour on Monday after waves damaged the outer pier, a spokesman said."
SECOND = "Repairs are expected to take two weeks, according to the authority's chief engineer, who inspected the pier on Tuesday."
QUOTE = "\u201cWe will not reopen the pier until every pile has been checked,\u201d the engineer said."
# a preview of the article above its tabs, then the article: the scrape holds its first paragraphs twice
PREVIEWED = "\n".join(
    [
        "Harbour closed after storm damages pier | Kellby Gazette",
        "Home | News | Sport | Business",
        "Harbour closed after storm damages pier",
        LEAD,
        SECOND,
        "Article",
        "Comments",
        "Harbour closed after storm damages pier",
        "By Ann Murray",
        LEAD,
        SECOND,
        "Fishing boats were moved to the marina at Kellby, where the council opened four temporary berths on Sunday night.",
        QUOTE,
        "The council said it would meet harbour users on Thursday to discuss the cost of the repairs and who should pay for them.",
        QUOTE,
        "Share on Facebook",
        "About us | Contact | Privacy",
    ]
)


def test_a_passage_the_page_shows_twice_is_kept_once(model):
    every = clean(PREVIEWED, config=CleanConfig(repeats=True))
    assert every.count(LEAD) == 2 and every.count(SECOND) == 2  # the model keeps both copies
    once = clean(PREVIEWED)
    assert once.count(LEAD) == 1 and once.count(SECOND) == 1
    assert once.index(LEAD) < once.index("Fishing boats")  # the first copy, in reading order
    assert once.count(QUOTE) == 2  # a single repeated sentence (a pull quote) is not a passage


def test_config_is_immutable():
    config = CleanConfig()
    with pytest.raises(AttributeError):
        config.comments = True  # type: ignore[misc]


def test_label_gives_probabilities_that_sum_to_one(model):
    segs = label(PAGE)
    assert segs and all(abs(sum(s.probabilities) - 1) < 1e-6 for s in segs)
    assert all((s.label is Label.NOISE) == (s.probabilities[2] >= 0.5) for s in segs)
    assert all(s.probability == s.probabilities[["reporting", "opinion", "noise"].index(s.label.value)] for s in segs)
    assert {s.part for s in segs} == {Part.ARTICLE, Part.COMMENTS}


def test_label_frame_one_row_per_segment(model):
    df = label_frame([PAGE, "Short page about nothing in particular, said nobody."], names=["a", "b"])
    assert isinstance(df, pd.DataFrame)
    assert set(df["page"]) == {"a", "b"}
    assert len(df) == len(label(PAGE)) + len(label("Short page about nothing in particular, said nobody."))
    assert set(df["label"]) <= {"reporting", "opinion", "noise"}
    row = df.iloc[0]
    assert PAGE[row["start"] : row["end"]] == row["text"]


def test_label_frame_refuses_a_bare_string():
    with pytest.raises(InputError, match=r"pass \[text\]"):
        label_frame(PAGE)


@pytest.mark.parametrize("fn", [clean, label])
def test_bytes_are_refused(fn):
    with pytest.raises(InputError, match="decode"):
        fn(PAGE.encode())


def test_empty_text_cleans_to_empty(model):
    assert clean("") == ""
    assert label("  \n ") == []


def test_clean_pages_gives_what_clean_gives_page_by_page(model):
    from pathlib import Path

    from classifier import clean_pages
    from classifier.clean import PAGES_PER_PASS
    from classifier.data import read_pages

    pages = [p.text for p in read_pages(Path(__file__).resolve().parent.parent / "data" / "unseen")] + ["", PAGE]
    assert len(pages) > PAGES_PER_PASS  # the pages go through the model in more than one pass
    assert clean_pages(pages, model=model) == [clean(t, model=model) for t in pages]
    assert clean_pages(iter(pages), keep="opinion", comments=True, model=model) == [clean(t, keep="opinion", comments=True, model=model) for t in pages]
    assert clean_pages([], model=model) == []


def test_clean_pages_refuses_a_bare_string_and_names_the_bad_page():
    from classifier import clean_pages

    with pytest.raises(InputError, match="for one page, call clean"):
        clean_pages(PAGE)
    with pytest.raises(InputError, match="page 1: .*got bytes"):
        clean_pages([PAGE, PAGE.encode()])


def test_label_pages_and_label_frame_refuse_a_bare_string_and_name_the_bad_page():
    from classifier import label_frame, label_pages

    with pytest.raises(InputError, match="for one page, call label"):
        label_pages(PAGE)
    with pytest.raises(InputError, match=r"for one page, pass \[text\]"):
        label_frame(PAGE)
    for labelling in (label_pages, label_frame):
        with pytest.raises(InputError, match="page 2: .*got bytes"):
            labelling([PAGE, PAGE, PAGE.encode()])
