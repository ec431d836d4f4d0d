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
