from __future__ import annotations

import pytest

from classifier import InputError, Part, split
from classifier.thread import find_comment_start, marker_kind

ARTICLE = (
    "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said. "
    "Engineers found cracks in two of its piers during an inspection in the spring, according to a report."
)


def texts(page: str) -> list[str]:
    return [s.text for s in split(page)]


def test_offsets_reproduce_the_text():
    page = "Home | News\r\n\r\n  Bridge closes  \n" + ARTICLE + "\n\n\nShare\n"
    for s in split(page):
        assert page[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text


@pytest.mark.parametrize("sep", ["\n", "\n\n", "\r\n", "\r\n\r\n"])
def test_blocks_with_and_without_blank_lines(sep):
    page = sep.join(["Menu", "Bridge closes", ARTICLE, "Share"])
    segs = split(page)
    assert [s.block for s in segs] == [0, 1, 2, 2, 3]


def test_long_block_is_cut_into_sentences_but_not_after_abbreviations():
    block = "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5 to sign the deal. It was signed at noon. Was it wise?"
    assert texts(block) == [
        "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5 to sign the deal.",
        "It was signed at noon.",
        "Was it wise?",
    ]


def test_glued_widget_word_is_cut_off_the_comment():
    page = ARTICLE + "\nFirst comment here, long enough to stand alone as a comment.\nReplyDeleteAs if the military had no say."
    assert texts(page)[-2:] == ["ReplyDelete", "As if the military had no say."]
    assert split(page)[-2].residue


def test_widget_word_glued_at_the_end_and_between_comments():
    assert texts("Great post, thanks.Reply") == ["Great post, thanks.", "Reply"]
    assert texts("I agree.LikeReplyBut not with the ending.") == ["I agree.", "LikeReply", "But not with the ending."]


def test_words_that_merely_start_with_a_widget_word_are_not_cut():
    for block in ["Likely voters stayed home.", "Reporters waited outside.", "Shared costs rose.", "Like many towns, it flooded."]:
        assert texts(block) == [block]


def test_html_residue_is_cut_into_its_own_segment():
    page = "an EU official told Bloomberg ://” alt=”Bloomberg learned that the US will respond” />"
    segs = split(page)
    assert [s.text for s in segs] == ["an EU official told Bloomberg", "://” alt=”Bloomberg learned that the US will respond” />"]
    assert [s.residue for s in segs] == [False, True]


@pytest.mark.parametrize(
    "residue",
    ['<img src="x.jpg" />', "&nbsp;", '[caption id="attachment_5" align="alignleft"]', "{{ comment.author }}", "<br>"],
)
def test_other_residue(residue):
    segs = split(f"The bridge reopened on Monday.{residue}Traffic resumed")
    assert residue in [s.text for s in segs if s.residue]


@pytest.mark.parametrize(
    "marker",
    [
        "12 comments",
        "3 comments:",
        "Comments",
        "Leave a Reply",
        "4 thoughts on “Bridge closes”",
        "One Response to Bridge closes",
        "Jane Doe said...",
        "Anne M. on September 2, 2012 at 8:06 pm said:",
        "Posted by: Bob James | October 30, 2012 at 08:58 AM",
        "Mary K. October 10, 2012 at 12:16 pm",
        "by jdoe (2606607) writes: on Monday July 23, @09:07PM (#40744323)",
        "Join the discussion",
        "Kommentare",
        "Комментарии",
    ],
)
def test_comment_thread_starts_at_its_marker(marker):
    thread = [marker, "Jane Doe", "March 3, 2024 at 8:14 pm", "What a mess, they knew for years.", "Reply", "Footer"]
    page = "\n".join(["Bridge closes", ARTICLE, ARTICLE, *thread])
    parts = {s.text: s.part for s in split(page)}
    assert parts["Bridge closes"] is Part.ARTICLE
    assert parts[marker] is Part.COMMENTS
    assert parts["Footer"] is Part.COMMENTS


@pytest.mark.parametrize("marker", ["Comments", "103 comments", "View Comments", "Add a Comment"])
def test_toolbar_markers_with_article_text_below_open_no_thread(marker):
    # "Comments" in a toolbar between the standfirst and the body: no comment follows it
    page = "\n".join(["Bridge closes", ARTICLE, marker, "Print", ARTICLE, ARTICLE, "Share"])
    assert all(s.part is Part.ARTICLE for s in split(page))


def test_a_counter_over_names_over_comments_opens_the_thread():
    # a widget that signs each comment with the name alone: no time stamp, no button
    thread = ["{ 3 comments }", "Gibbo", "Brilliant, that settles it.", "Robert", "Not seeing the update yet. Coming later?", "Amy D.", "Works for me, thanks."]
    page = "\n".join(["Bridge closes", ARTICLE, ARTICLE, *thread])
    assert find_comment_start(page.split("\n")) == 3
    # the same names over paragraphs, but not under a counter: subheads, perhaps
    page = "\n".join(["Bridge closes", ARTICLE, ARTICLE, "Share", *thread[1:]])
    assert find_comment_start(page.split("\n")) is None


def test_a_tab_over_a_second_copy_of_the_article_opens_no_thread():
    # "Article | Comments" tabs, then the article again under its dateline: the dateline was
    # shown above the tabs, so it is no comment's time stamp
    header = ["HEALTH", "July 23, 2012, 7:28 p.m. ET", "Bridge closes"]
    page = "\n".join(["Bridge closes - Gazette", ARTICLE, ARTICLE, *header, "Article", "Comments", "Reprints", *header, ARTICLE, ARTICLE, "Share"])
    assert find_comment_start(page.split("\n")) is None
    # a comment's time stamp under the same tab does open the thread
    page = "\n".join(["Bridge closes - Gazette", ARTICLE, ARTICLE, *header, "Article", "Comments", "Jane Doe", "July 24, 2012, 9:02 a.m. ET", "What a mess."])
    assert find_comment_start(page.split("\n")) == 7
    # a button that stands in the share bar above as under each comment still counts
    page = "\n".join(["Bridge closes - Gazette", ARTICLE, "Like", ARTICLE, "Comments", "Jane Doe", "Like", "What a mess, they knew for years."])
    assert find_comment_start(page.split("\n")) == 4


def test_a_counter_over_numbered_signed_comments_opens_the_thread_of_a_short_post():
    thread = ["14 Responses to \u201cOur new puppy\u201d", "1", "Tomasz Says:", "May 2nd, 2013 at 8:12 am", "Lovely news, congratulations!", "2", "Priya Says:"]
    page = "\n".join(["Our new puppy", "Meet Biscuit, eight weeks old. Already chewing the sofa.", *thread])
    assert find_comment_start(page.split("\n")) == 2


def test_a_memo_quoted_in_an_article_is_no_forum_thread():
    memo = ["FROM: Lena Hart, finance office", "TO: All heads of department", "DATE: March 3, 2011", "RE: Travel budget", "Please send your travel plans for the spring to this office by Friday."]
    page = "\n".join(["A letter", ARTICLE, ARTICLE, *memo, ARTICLE])
    assert find_comment_start(page.split("\n")) is None
    # the same "RE:" line with no header over it is a forum reply
    page = "\n".join(["A letter", ARTICLE, ARTICLE, "Share", "RE: Travel budget", "Please send your travel plans for the spring to this office by Friday."])
    assert find_comment_start(page.split("\n")) == 4


def test_a_post_by_line_shown_over_and_under_the_post_opens_no_thread():
    byline = "Posted by City Desk at 9:12 AM"
    thread = ["3 comments:", "Anonymous", "June 3, 2024 at 10:30 AM", "Same story every year.", "ReplyDelete"]
    # (teasers of other posts in a sidebar above: prose enough for a thread to start under them)
    page = ["Harbour News", "Popular Posts", ARTICLE, ARTICLE, "Ferry capsizes off the islands", byline, ARTICLE, ARTICLE, byline, "Share to X", *thread]
    assert find_comment_start(page) == 10
    # shown once, under the post, it is the post's footer right over the thread, as before
    assert find_comment_start([line for n, line in enumerate(page) if n != 5]) == 7
    # the same signature twice without a time can be one reader's two comments of a day
    twice = ["Posted by: Jane | March 3, 2012", "I agree.", "Posted by: Tom | March 3, 2012", "No.", "Posted by: Jane | March 3, 2012"]
    assert find_comment_start(["Bridge closes", ARTICLE, ARTICLE, *twice]) == 3


def test_a_forum_topic_s_opening_post_is_the_article():
    post = ["Runner_Bean", "Join Date", "Mar 2011", "Posts", "2,314"]
    notice = (
        "Welcome to the allotment forums. New here? Read the house rules and the questions most often asked before you "
        "register, then say hello in the members' corner. Your first post waits for a moderator, and after that you can "
        "start topics and reply to anyone."
    )
    page = ["Plot rents up 40%? - Allotment Forums", "Forum", "New Posts", notice, "Thread Tools", "02-11-2025, 07:48 PM #1", *post, ARTICLE, ARTICLE, "Reply With Quote"]
    replies = ["02-11-2025, 08:15 PM #2", "Compost_Queen", "Join Date", "Jun 2014", "Ours went up 30% last year.", "Reply With Quote"]
    assert find_comment_start(page + replies) == len(page)
    # a "#1" alone numbers a blog's first comment, and opens the thread
    comments = ["#1", "Jo Pratt", "March 3, 2024 at 8:14 pm", "They should have fixed it years ago.", "#2", "Sam", "March 3, 2024 at 9:02 pm", "Agreed."]
    assert find_comment_start(["Bridge closes", ARTICLE, ARTICLE, "Share", *comments]) == 4


def test_a_bracketed_count_after_sound_off_opens_the_thread():
    thread = ["sound off (12 Responses)", "harbourfan", "They should have fixed that bridge years ago.", "March 3, 2024 02:07 pm at 2:07 pm |"]
    page = "\n".join(["Bridge closes", ARTICLE, ARTICLE, "Filed under: Bridges", *thread])
    assert find_comment_start(page.split("\n")) == 4


def test_a_count_in_square_brackets_opens_the_thread():
    thread = ["[ 24 comments ]", "Top Rated Comments", "(View all)", "harbourfan", "2 days ago at 07:52 am", "They should have fixed that bridge years ago."]
    page = "\n".join(["Bridge closes", ARTICLE, ARTICLE, "Tag: bridges", *thread])
    assert find_comment_start(page.split("\n")) == 4
    assert marker_kind("[167 Comments]") == "count"
    assert marker_kind("[ 3 ]") is None


def test_markers_above_the_article_open_no_thread():
    page = "\n".join(["Bridge closes", "12 comments", "By Jane Doe", ARTICLE, "Share"])
    assert all(s.part is Part.ARTICLE for s in split(page))


@pytest.mark.parametrize(
    "line", ["The minister said:", "A spokesman for the council said...", "Officials said:", "Comments were invited until May.", "By then the mayor writes: on the whole, yes."]
)
def test_article_lines_that_resemble_markers_open_no_thread(line):
    page = "\n".join(["Bridge closes", ARTICLE, line, ARTICLE])
    assert all(s.part is Part.ARTICLE for s in split(page)), line


def test_replydelete_puts_the_comment_above_it_in_the_thread():
    page = "\n".join(["Bridge closes", ARTICLE, "What a laugh this whole story is, honestly.", "ReplyDeleteAs if they did not know."])
    segs = split(page)
    assert [s.part for s in segs if s.text.startswith("What a laugh")] == [Part.COMMENTS]
    assert find_comment_start(page.split("\n")) == 2


@pytest.mark.parametrize("bad", [b"bytes", bytearray(b"x"), None, 12, ["a"]])
def test_non_text_is_refused_with_advice(bad):
    with pytest.raises(InputError, match="works on text"):
        split(bad)


def test_bytes_message_says_what_to_do():
    with pytest.raises(InputError, match=r"decode\('utf-8'\)"):
        split(b"abc")


@pytest.mark.parametrize("page", ["", "   \n\n  ", "\n"])
def test_empty_pages_give_no_segments(page):
    assert split(page) == []


WRAPPED_PARAGRAPHS = [
    "The harbour board met late on Thursday and agreed to keep the north quay shut until the "
    "divers have finished their survey of the old timber piles, which the storm in March loosened "
    "along a stretch of some forty metres, the board's chairman told reporters afterwards.",
    "Fishing boats will moor at the south quay in the meantime. Skippers said the berths there "
    "are too shallow at low water for the larger trawlers, and two of them have already taken "
    "their catch to the next port along the coast rather than wait for the tide to turn.",
    "A report on the repairs is due in six weeks. The board expects the work to cost more than "
    "last year's budget allowed and will ask the county for help, though no figure was given at "
    "the meeting and members declined to guess at one when they were asked.",
]


@pytest.mark.parametrize("sep", ["\n", "\r\n"])
@pytest.mark.parametrize("blank", [True, False])
def test_a_hard_wrapped_page_gets_its_paragraphs_back(sep, blank):
    import textwrap

    lines = ["Home | Harbour | Weather", "North quay stays shut"]
    lines += ["\n".join(textwrap.wrap(p, 72)) for p in WRAPPED_PARAGRAPHS]
    lines += ["Share this story", "2 comments"]
    page = (sep * 2 if blank else sep).join(lines).replace("\n", sep)
    segs = split(page)
    assert all(page[s.start : s.end] == s.text for s in segs)
    blocks: dict[int, list[str]] = {}
    for s in segs:
        blocks.setdefault(s.block, []).append(s.text)
    assert len(blocks) == len(lines)
    for block, paragraph in zip(list(blocks.values())[2:5], WRAPPED_PARAGRAPHS):
        assert " ".join(" ".join(blocks_text.split()) for blocks_text in block) == paragraph


def test_short_lines_of_a_block_a_line_page_stay_apart():
    """Teasers a site cut at a fixed length, and a page of short lines, are not paragraphs."""
    teasers = [f"Story {n}: the council's plan for the old mill site draws a crowd of critics at the ..." for n in range(8)]
    page = "\n".join(["Latest", *teasers, "About us", "Contact"])
    assert len({s.block for s in split(page)}) == len(teasers) + 3


def test_a_page_that_lost_its_line_breaks_is_cut_back_into_blocks():
    """A scraper that joined a page's text with spaces leaves one block, kept or dropped whole.
    Its sentences, menus and menu items, and the comments' signatures and stamps become blocks
    again, and the comment thread is found among them."""
    lines = ["Home | Harbour | Weather", "Top Stories Local News World Sports", "North quay stays shut", *WRAPPED_PARAGRAPHS, *WRAPPED_PARAGRAPHS, "2 comments", "Jo Smith says:"]
    lines += ["Shut it for good, it has been falling apart for years.", "Ann Lee", "March 3, 2024 at 8:14 pm", "About time they did something."]
    page = " ".join(lines)
    segs = split(page)
    assert all(page[s.start : s.end] == s.text for s in segs)
    blocks: dict[int, list[str]] = {}
    for s in segs:
        blocks.setdefault(s.block, []).append(s.text)
    first = [b[0] for b in blocks.values()]
    assert first[:3] == ["Home", "Harbour", "Weather Top Stories Local News World Sports"]  # the menu cut off its sentence
    assert blocks[3][0].startswith("North quay stays shut The harbour board met late")
    assert "Fishing boats will moor at the south quay in the meantime." in first
    for piece in ("2 comments", "Jo Smith says:", "March 3, 2024 at 8:14 pm"):
        assert [piece] in blocks.values()
    comments = [s.text for s in segs if s.part is Part.COMMENTS]
    assert comments[0] == "2 comments" and comments[-1] == "About time they did something."
    assert len(comments) == 6


def test_a_long_line_among_many_is_left_whole():
    """A page with its line breaks whose article stands on one long line (a scraper that joined
    the story's paragraphs, and not the menus around it) keeps that line as one block."""
    article = " ".join(WRAPPED_PARAGRAPHS * 2)
    furniture = [f"Section {n}" for n in range(60)]
    page = "\n".join(["North quay stays shut", *furniture, article, "Share this story", "Contact us", "Privacy policy"])
    assert len({s.block for s in split(page)}) == len(furniture) + 5
