"""Properties that must hold for any input, checked on generated text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import clean, split

# Text built from pieces that exercise the splitter's rules, mixed with arbitrary characters.
pieces = st.sampled_from(
    ["ReplyDelete", "Reply", "Like", "Share", "\n", "\n\n", "\r\n", " ", ". ", "said...", "3 comments", "Leave a Reply",
     "://” alt=”x” />", "<br />", "&nbsp;", "Mr. ", "U.S. ", "“", "”", "The council voted on Tuesday, the mayor said.",
     "What a mess.", "Comments", "Posted by: Bob | March 3, 2012 at 8:00 AM"]
)
pages = st.lists(st.one_of(pieces, st.text(max_size=40)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_split_never_raises_and_offsets_reproduce_the_input(page):
    last_end = 0
    for s in split(page):
        assert page[s.start : s.end] == s.text
        assert s.start >= last_end and s.end > s.start
        last_end = s.end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_clean_returns_only_input_text_in_order(page):
    out = clean(page, keep=["reporting", "opinion", "noise"], comments=True)
    pos = 0
    for line in out.split("\n"):
        if not line:
            continue
        for piece in line.split(" "):  # segments of one block are joined by their original gap or a space
            if not piece:
                continue
            found = page.find(piece, pos)
            assert found >= 0, (piece, page)
            pos = found + len(piece)


# The quick ways of the splitter and the features (str methods and byte tables instead of
# patterns) against the patterns they stand for. Text from characters that each quick way treats
# apart: ASCII of every class, apostrophes (inside words too), the marks with an ASCII stand-in,
# "\x01", other letters, and every kind of white space and line break.
quick_way_chars = st.sampled_from(
    list("aZ09 -/|.,'!?<>&[{=_") + ["’", "“", "—", "…", "»", "©", "\x01", "é", "Ж", "İ", "ß", "\t", "\r", "\n", "\x0b", "\x85", "\u2028", "\xa0", "\u3000"]
)
quick_way_words = st.sampled_from(["don’t", "it's", "O’Neil", "rock’n’roll", "’90s", "A’", "Über", "x1"])
quick_way_texts = st.lists(st.one_of(quick_way_chars, quick_way_words), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(quick_way_texts)
def test_lines_are_the_stripped_lines(text):
    import re

    from classifier.split import _lines

    # each line (up to "\r" or "\n") without its leading and trailing white space, blank ones left out
    stripped_line = re.compile(r"[^\S\r\n]*([^\r\n]*\S)")
    assert _lines(text)[0] == [m.span(1) for m in stripped_line.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(quick_way_texts)
def test_residue_hints_are_the_pattern_s_matches(text):
    from classifier.split import _RESIDUE_HINT, _RESIDUE_HINT_CHARS, occurrences

    assert sorted(occurrences(text, _RESIDUE_HINT_CHARS)) == [m.start() for m in _RESIDUE_HINT.finditer(text)]


@settings(max_examples=1000, deadline=None)
@given(quick_way_texts)
def test_word_counts_the_quick_way_are_the_patterns(text):
    from classifier.features import _words_and_counts, _words_and_counts_by_pattern

    quick, reference = _words_and_counts(text), _words_and_counts_by_pattern(text)
    # the lowercased text may differ outside the words, and is only searched for parts of words
    assert quick[:1] + quick[2:] == reference[:1] + reference[2:]
    for part in ("of", "est", "most", "least"):
        assert (part in quick[1]) == (part in reference[1])


@settings(max_examples=500, deadline=None)
@given(quick_way_texts)
def test_hashed_words_the_quick_way_are_the_pattern_s(text):
    from classifier.features import _LOWER_WORDS, _TOKEN, _ascii_stand_in

    raw = text.encode("ascii") if text.isascii() else _ascii_stand_in(text)
    if raw is not None:  # where _gram_hashes takes the quick way
        assert raw.translate(_LOWER_WORDS).split() == [w.encode() for w in _TOKEN.findall(text.lower())]


@settings(max_examples=500, deadline=None)
@given(quick_way_texts)
def test_separator_count_is_the_pattern_s(text):
    from classifier.features import _OWN, _SEPARATOR, _SHAPE_ROW, _text_shape

    row = _SHAPE_ROW.unpack(_text_shape(text))
    assert row[_OWN.index("separators")] == len(_SEPARATOR.findall(text))
