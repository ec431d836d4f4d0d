"""Where the reader-comment thread begins: the first thread marker once the article has begun.

Lines such as "12 comments", "Leave a Reply", "Jane said...", "Posted by: Jane | March 3, 2012",
"ReplyDelete" or a commenter's name over a time stamp are *markers*. The same words also stand in
page headers ("12 comments" under a headline), so a marker opens the thread only once
:data:`MIN_ARTICLE_WORDS_BEFORE_THREAD` words of prose stand above it, and a marker of a kind
common in headers and toolbars (:data:`WEAK_KINDS`) only when signs of comments follow it.

Where the comment widget leaves no such marker, the commenters' names or handles standing over
their comments ("h4rm0ny" over a paragraph, "http://twitter.com/jo Jo Smith" over a line) make
the thread. Markers above the article's headline (the block that repeats part of the page's
title line) are header furniture and open no thread; a comment counter with the first comment's
signature right under it opens the thread even under a short post.

(A logistic regression choosing among the markers from page-level features was tried: trained on
the project's pages it kept more of the article on dragnet-train but let through five times as
much of the comment text, so the rule stays.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["marker_kind", "find_comment_start", "main_run", "prose_words", "KINDS", "RUN_ON_MARKER_START", "RUN_ON_MARKER_END"]

#: Prose needed above a marker before it may open the thread: markers above the article's first
#: sentences are counters and links in the header.
MIN_ARTICLE_WORDS_BEFORE_THREAD = 40
#: A prose block has at least this many words and ends like a sentence.
PROSE_BLOCK_WORDS = 8
#: Blocks between two prose blocks that still leave them in one run of prose.
PROSE_RUN_GAP = 2

_NUMBER = r"(?:\d+(?:[,.]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|no)"
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = rf"(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS}\.?,?\s+\d{{4}}|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"
_COMMENT_WORDS = (
    r"(?:comments?|responses?|repl(?:y|ies)|reactions?|thoughts?|answers?|kommentare?|комментари[иийяев]*|"
    r"коментар[іиів]*|commentaires?|réflexions?|réactions?|comentarios?|comentários?|respostas?|respuestas?|commenti|"
    r"risposte|komentarz[eya]*|odpowiedzi|reacties|reacciones|yorum(?:lar)?|antworten|beiträge)"
)
_PREPOSITIONS = r"(?:on|to|for|sur|à|en|em|a|op|zu|zum|zur|su|a|na|do|к|на|до|için|hakkında)"
_RELATIVE_TIME = r"(?:\d+\s*(?:s|m|h|d|w|y|mo|min|hr|hrs)\b|\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago|yesterday|just\s+now)"

# Each kind of marker, matched against one whole block, lowercased. The order is the features' order.
_KIND_PATTERNS: dict[str, str] = {
    "thoughts_on": rf"^{_NUMBER}\s+(?:\w+\s+)?{_COMMENT_WORDS}\s+{_PREPOSITIONS}\b",
    "count": rf"^[{{(\[\s]*(?:top\s+|all\s+|show\s+all\s+|reader\s+|readers'?\s+|user\s+|sound\s+off\s+)?[{{(\[]?\s*(?:{_NUMBER}\s+{_COMMENT_WORDS}|{_COMMENT_WORDS}\s*\(\s*[\d,.]+(?:\s+{_COMMENT_WORDS})?\s*\))\s*[:…»]?\s*(?:[-–—|…,].*)?[}})\]]?$",
    "heading": rf"^(?:reader\s+|user\s+|your\s+|readers'?\s+|top\s+|latest\s+|best\s+)?(?:{_COMMENT_WORDS}|discussion|conversation|what\s+do\s+you\s+think\??|réagir|reagieren|guest\s*book)\s*:?$",
    "invite": r"^(?:leave|post|add|write|submit|have)\s+(?:a|your|an?)\s+(?:reply|comment|response|opinion|answer)\b|^(?:join|start)\s+the\s+(?:discussion|conversation|debate)\b"
    r"|^comments\s+are\s+|^you\s+must\s+be\s+logged\s+in\s+to\s+(?:post\s+a\s+)?comment|^(?:sign|log)\s+in\s+to\s+(?:comment|reply|join)",
    "policy": r"\b(?:(?:login|log\s+in|register|sign\s+in|sign\s+up)\s+(?:or\s+\w+\s+)?to\s+(?:post\s+|leave\s+|add\s+)?(?:a\s+)?comments?|to\s+(?:post|leave|add|write)\s+(?:a\s+)?comments?\b|"
    r"comments?\s+(?:policy|guidelines|are\s+moderated|are\s+subject|per\s+page)|display\s+the\s+comments|easy\s+to\s+comment)",
    "widget": r"^(?:sort(?:ed)?(?:\s+by)?:?\s+(?:best|newest|oldest|top|popular|recency|date|score|rating)|powered\s+by\s+disqus|facebook\s+comments\s+plugin|(?:show|view|load|see|read)\s+(?:all\s+)?(?:\d+\s+)?(?:more\s+)?(?:comments?|responses|replies)\b|you\s+can\s+follow\s+this\s+conversation|notify\s+of\b)",
    "said": r"^\S+\s+reblogged\s+this\s+from\s+\S+\s+and\s+added:$|^.{1,40}\s+(?:said(?:\.\.\.|…|,)|added:|(?:dit|dice|disse|sagt|schreibt|schrieb|говорит|пишет|написал[аи]?|scrive|pisze|napisał[a]?|zegt|diyor)(?:\.\.\.|…|\s*:))\s*$",
    "posted_by": rf"^posted\s+by:?\s+.{{1,60}}\s+(?:\|\s+|at\s+{_TIME}|on\s+{_DATE})|^by\s+\S.{{0,60}}?\s+(?:writes|wrote):\s+(?:<[^>]{{0,80}}>\s+)?on\s+(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?:{_MONTHS}|\d)",
    "forum": rf"^re:\s|^(?:by|von|beitrag\s+von|posted\s+by|par|por|da)\s+\S.{{0,40}}\s»\s|^{_DATE}.{{0,20}}#\d+$|^#\d+\s*$|^quote:?$|^quote\s+from\s",
    "replydelete": r"replydelete",
}
_KINDS_RE = {k: re.compile(p) for k, p in _KIND_PATTERNS.items()}
# Cheap tests that every match of the two costliest patterns passes, tried before them: each
# alternative of "policy" holds "comment", and a "said" line ends, past its white space, in
# "...", "…", "," or ":".
_KIND_HINTS: dict[str, Callable[[str], bool]] = {
    "policy": lambda low: "comment" in low,
    "said": lambda low: low.rstrip()[-1:] in (".", "…", ",", ":"),
}
_KIND_TESTS = [(k, r.search, _KIND_HINTS.get(k)) for k, r in _KINDS_RE.items()]

# A commenter's name followed by "says:" or by a comment timestamp ("Mary K. October 10, 2012 at
# 12:16 pm"); the name is checked apart, so that "The minister said:" is no candidate.
_NAMED_POST = re.compile(
    rf"^(?P<name>\S+(?:\s+\S+){{0,3}}?)\s+(?:(?:says|said|wrote)\s*:?|(?:on\s+)?{_DATE}\s*(?:,|at|-|–|\|)?\s*{_TIME}(?:\s+(?:said|says|wrote))?\s*:?)\s*$",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    "the a an he she it they we i you this that his her their our its who which what officials "
    "official spokesman spokeswoman spokesperson minister president report police statement "
    "by on at last updated update published posted modified created written filed date time "
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    # links and buttons over a teaser's date: "Read More", "Continue Reading", "Next Post"
    "read more continue reading view see click here next previous older newer post posts share print email "
    "home reply comments related popular latest recent archives tags".split()
)
# A line that is nothing but a comment's time stamp: "April 3, 2024 at 8:14 pm", "4h", "3 days ago".
_STAMP_LINE = re.compile(rf"^(?:(?:on\s+)?{_DATE}(?:\s*(?:,|at|-|–|\||@)?\s*{_TIME})?|{_RELATIVE_TIME}|{_TIME}\s*(?:,|-|·)?\s*{_DATE})\.?$", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^(?:[A-ZА-ЯЁÀ-Ý][\w.'’-]*|@?\w*[_\d]\w*)$")

# In text that lost its line breaks (see split._run_on), where a thread marker may begin, after
# white space: "12 comments", "Leave a reply", a comment's date and time; and where a comment's
# signature or a marker may end: "says:", a date and time, "12 comments", "Leave a reply". (Patterns,
# to be compiled with re.IGNORECASE where a page needs them: few do.)
_RUN_ON_COUNT_OR_INVITE = rf"\d+\s+{_COMMENT_WORDS}\b|leave\s+a\s+(?:reply|comment)\b"
_RUN_ON_STAMP = rf"{_DATE}\s*(?:at|,|-)?\s*{_TIME}"
RUN_ON_MARKER_START = rf"(?<=\s)(?={_RUN_ON_COUNT_OR_INVITE}|{_RUN_ON_STAMP})"
RUN_ON_MARKER_END = rf"(?:\b(?:says|said|wrote):|\b(?:{_RUN_ON_COUNT_OR_INVITE})|{_RUN_ON_STAMP})(?=\s)"

#: The kinds of candidate, in feature order; "named_post" is the name-and-timestamp kind.
KINDS: tuple[str, ...] = tuple(_KIND_PATTERNS) + ("named_post", "name_then_date")
_WORD = re.compile(r"\w+")
_MAX_MARKER_CHARS = 200

def marker_kind(block: str, next_block: str = "") -> str | None:
    """The kind of thread marker a block is (``next_block`` is the block after it), or ``None``."""
    if "ReplyDelete" in block:
        return "replydelete"
    if len(block) > _MAX_MARKER_CHARS:
        return None
    kind = _short_block_kind(block)
    if kind is _NAME_OVER_STAMP:
        return "name_then_date" if _STAMP_LINE.match(next_block.strip()) else None
    return kind


# What marker_kind answers for a short block that is a name, when the block after it is a time stamp.
_NAME_OVER_STAMP = "name over a time stamp?"


@lru_cache(maxsize=1 << 13)  # the same menus, counters and buttons stand on page after page of a site
def _short_block_kind(block: str) -> str | None:
    """marker_kind of a block of at most _MAX_MARKER_CHARS characters without "ReplyDelete", as far
    as the block itself tells it: _NAME_OVER_STAMP where the block after it decides."""
    low = block.lower()
    for kind, search, hint in _KIND_TESTS:
        if (hint is None or hint(low)) and search(low):
            return kind
    m = _NAMED_POST.match(block) if _NAMED_POST_END.search(_tail(block)) else None
    if m and _is_name(m.group("name")):
        return "named_post"
    if len(block) <= 40 and _is_name(block):
        return _NAME_OVER_STAMP
    return None


# How every _NAMED_POST line ends, before "\s*:?\s*$": its search on the last characters rules out
# most blocks before the costlier match, which backtracks over the name.
_NAMED_POST_END = re.compile(r"(?:says|said|wrote|\d|[ap]\.?m\.?)$", re.IGNORECASE)


def _tail(block: str) -> str:
    """The last characters of a block, without the white space and the one colon that _NAMED_POST allows at its end."""
    tail = block.rstrip()
    if tail.endswith(":"):
        tail = tail[:-1].rstrip()
    return tail[-5:]


def _is_name(name: str) -> bool:
    tokens = name.split()
    return 0 < len(tokens) <= 4 and not any(t.lower().strip(",.:|") in _NOT_NAMES for t in tokens) and all(_NAME_TOKEN.match(t) for t in tokens)


#: ASCII word characters (of _WORD) to "w", the others to spaces.
_ASCII_WORD_STARTS = "".join("w" if _WORD.fullmatch(chr(i)) else " " for i in range(128)).encode("ascii") + bytes(128)


def ascii_word_count(raw: bytes) -> int:
    """The number of words (runs of \\w) in ASCII bytes, at C speed: a word begins at each word
    character after a non-word one, and at a leading one."""
    starts = raw.translate(_ASCII_WORD_STARTS)
    return starts.count(b" w") + starts.startswith(b"w")


_PROSE_ENDS = ".!?\"”’»)…:"


def prose_words(block: str) -> int:
    """The block's word count if it reads as prose (enough words, sentence punctuation at the end), else 0."""
    if block.rstrip()[-1:] not in _PROSE_ENDS:  # tested first: it is cheaper than counting the words
        return 0
    if block.isascii():
        words = ascii_word_count(block.encode("ascii"))
    else:
        words = len(_WORD.findall(block))
    return words if words >= PROSE_BLOCK_WORDS else 0


def main_run(prose: list[int], gap: int = PROSE_RUN_GAP) -> tuple[int, int]:
    """The run of blocks holding the most prose words, allowing short gaps; (first, last) or (-1, -1)."""
    best = (0, -1, -1)
    start = -1
    total = 0
    misses = 0
    for i, words in enumerate(prose):
        if words:
            if start < 0:
                start, total = i, 0
            total += words
            misses = 0
            if total > best[0]:
                best = (total, start, i)
        elif start >= 0:
            misses += 1
            if misses > gap:
                start = -1
    return best[1], best[2]


#: Kinds that also stand in page headers, toolbars and sidebars ("Comments", "103 comments",
#: "View Comments", "Add a Comment"): they open the thread only when comments follow them.
WEAK_KINDS = frozenset({"count", "heading", "widget", "invite", "policy"})
#: Kinds that stand once per comment: evidence that a thread follows.
PER_COMMENT_KINDS = frozenset({"said", "named_post", "name_then_date", "replydelete", "forum", "posted_by"})
#: Counters of comments ("2 comments… read them below"), and the per-comment signatures that,
#: right under such a counter, open the thread above less than MIN_ARTICLE_WORDS_BEFORE_THREAD of prose.
COUNTER_KINDS = frozenset({"count", "thoughts_on"})
SIGNED_KINDS = frozenset({"said", "named_post", "name_then_date", "posted_by"})
#: Blocks after a weak marker searched for signs of comments.
COMMENT_EVIDENCE_BLOCKS = 15

# A short line with a date, a time or a comment button in it: a comment's by-line or footer
# ("October 26, 2012 | José", "by Jo on Aug 8, 2012 5:21 PM reply", "Reply 0 Flag this comment").
_DATE_OR_TIME = rf"{_DATE}|\b{_TIME}\b"
_COMMENT_META = re.compile(
    rf"{_DATE_OR_TIME}|{_RELATIVE_TIME}$|\b(?:reply|replies|permalink|flag|report|recommend|upvote|downvote)\b|^(?:like|anonymous|guest)$|\b\d+\s+(?:likes?|points?|pts|votes?)\b",
    re.IGNORECASE,
)
_DATED = re.compile(_DATE_OR_TIME, re.IGNORECASE)
#: A by-line or footer of a comment is short.
COMMENT_META_WORDS = 16


def _comments_follow(kind_of: Callable[[int], str | None], blocks: list[str], i: int) -> bool:
    """Whether the blocks after block ``i`` look like comments: per-comment markers, time stamps, reply buttons."""
    above: set[str] | None = None
    for j in range(i + 1, min(len(blocks), i + 1 + COMMENT_EVIDENCE_BLOCKS)):
        block = blocks[j].strip()
        if len(block.split()) <= COMMENT_META_WORDS and _COMMENT_META.search(block):
            if above is None:
                above = {b.strip() for b in blocks[:i]}
            if block not in above or not _DATED.search(block):
                # (a dateline the page showed above the marker too is the article's header
                # again: tabs "Article | Comments" over a second copy of the article; a button
                # such as "Like" may stand in a share bar above and under each comment alike)
                return True
        if kind_of(j) in PER_COMMENT_KINDS:
            return True
    pairs, sure = _commenter_pairs(blocks, i + 1, i + 1 + COMMENT_EVIDENCE_BLOCKS)
    return pairs >= 2 and sure


# A commenter's name standing alone over the comment: "Amy D.", "h4rm0ny", "johnbattelle",
# "http://twitter.com/jyarmis Jonathan L. Yarmis" (Disqus and most comment widgets, scraped).
_URL_NAME = re.compile(r"^(?:https?://|www\.)\S+\s+\S.{0,40}$")
_HANDLE = re.compile(r"^@?(?=[\w.-]*[a-zа-яё])[^\W\d_][\w.-]{2,29}$")
_HANDLE_SIGN = re.compile(r"^@|^[a-zа-яё]|[\d_]")
#: Name-over-text pairs that make a run of comments without any other marker.
COMMENTER_RUN_PAIRS = 3
#: A comment under a name ends like a sentence or has at least this many words (link titles do neither).
COMMENT_TEXT_WORDS = 12
#: Longest commenter line, in characters.
COMMENTER_MAX_CHARS = 50


@lru_cache(maxsize=1 << 13)  # each marker's look-ahead window looks at the same blocks again
def _commenter(block: str) -> str | None:
    """How a block reads as a commenter's name on its own line: "url", "handle", "name", or None."""
    b = block.strip()
    if not b or len(b) > COMMENTER_MAX_CHARS:
        return None
    if _URL_NAME.match(b):
        return "url"
    if _HANDLE.match(b) and _HANDLE_SIGN.search(b) and b.lower() not in _NOT_HANDLES:
        return "handle"
    name = b[:-1] if b.endswith(".") and len(b.split()) <= 3 else b
    if _is_name(name) and not name.isupper() and any(c.isalpha() for c in name) and not any(c.isdigit() or c == "_" for c in name) and name.lower() not in _NOT_HANDLES:
        return "name"
    return None


_NOT_HANDLES = frozenset(
    "reply delete like likes report share quote flag edit permalink tweet retweet follow unfollow print email "
    "home about contact archives menu search login logout register subscribe comments comment next previous "
    "more tags tagged categories related advertisement".split()
)


def _commenter_pairs(blocks: list[str], start: int, stop: int) -> tuple[int, bool]:
    """Name-over-text pairs in blocks[start:stop], and whether they read as commenters for sure
    (a handle, a link before the name): title-case names alone do not, as subheads and the
    entries of a live blog by its authors look the same."""
    pairs = 0
    sure = False
    for j in range(start, min(stop, len(blocks) - 1)):
        how = _commenter(blocks[j])
        if how is None:
            continue
        nxt = blocks[j + 1].strip()
        if _commenter(nxt) is not None or not (len(nxt.split()) >= COMMENT_TEXT_WORDS or nxt[-1:] in ".!?…\"”)"):
            continue
        pairs += 1
        sure = sure or how != "name"
    return pairs, sure


#: A headline covers at least this share of the page's title line (its <title>, on most scraped
#: pages: "Headline | Site"), not the site name alone, and has this many characters. The thread
#: finder, the features and the smoothing all use these.
HEADLINE_TITLE_SHARE = 0.5
HEADLINE_MIN_CHARS = 15


def _headline_index(blocks: list[str], prose: list[int]) -> int:
    """The first block after the page's first line (its <title> on scraped pages: "Headline | Site")
    that repeats part of that line, with the article under it: where the article begins. 0 where
    there is none (a title line that is all headline or all site name is no guide). ``prose`` is
    each block's :func:`prose_words`."""
    if not blocks:
        return 0
    title = " ".join(_WORD.findall(blocks[0].lower()))
    # prose from each block to the end: a headline has the article under it (a site name
    # repeated in the footer has not)
    after = [0] * (len(blocks) + 1)
    for j in range(len(blocks) - 1, -1, -1):
        after[j] = after[j + 1] + prose[j]
    for j in range(1, len(blocks)):
        if after[j] < 2 * MIN_ARTICLE_WORDS_BEFORE_THREAD:
            break
        if len(blocks[j]) > _MAX_MARKER_CHARS * 2:
            continue
        low = blocks[j].lower()
        if len(low) < HEADLINE_MIN_CHARS or len(low) < HEADLINE_TITLE_SHARE * len(title):
            continue  # (its words joined by single spaces are no longer than it: too short)
        text = " ".join(_WORD.findall(low))
        if len(text) >= HEADLINE_MIN_CHARS and len(text) >= HEADLINE_TITLE_SHARE * len(title) and text in title and text != title:
            # the article's headline has more prose under it than above it; a title repeated in
            # a list of posts or a sidebar further down has not
            return j if after[j] > after[0] - after[j] else 0
    return 0


# A comment's buttons under it: "Reply", "Report this comment", "Permalink", "12 likes".
_COMMENT_BUTTON = re.compile(r"\b(?:reply|permalink|flag|report\s+(?:this\s+)?(?:comment|abuse)|upvote|downvote)\b|\b\d+\s+(?:likes?|points?|votes?)\b", re.IGNORECASE)
COMMENT_BUTTON_WORDS = 6
#: Per-comment kinds that also stand once in an article's header as its byline ("Suzanne Gamboa"
#: over "Nov. 18, 2019, 4:43 PM"): they open the thread only when another comment's signature follows.
BYLINE_KINDS = frozenset({"named_post", "name_then_date"})


def _signed_again(kind_of: Callable[[int], str | None], blocks: list[str], i: int) -> bool:
    """Whether another per-comment signature follows block ``i`` within COMMENT_EVIDENCE_BLOCKS."""
    for j in range(i + 2, min(len(blocks), i + 1 + COMMENT_EVIDENCE_BLOCKS)):
        if kind_of(j) in PER_COMMENT_KINDS or (len(blocks[j].split()) <= COMMENT_BUTTON_WORDS and _COMMENT_BUTTON.search(blocks[j])):
            return True
    return False


def _names_under_counter(kind_of: Callable[[int], str | None], blocks: list[str], i: int) -> bool:
    """Whether block ``i`` is a comment counter ("{ 131 comments }") with the first commenter's
    name right under it, over the comment, and more names over comments after it: the widgets
    that sign a comment with a name alone, no time stamp and no button. (Names over text alone
    could be an article's subheads; right under a counter they are not.)"""
    if kind_of(i) not in COUNTER_KINDS or _commenter_pairs(blocks, i + 1, i + 2)[0] == 0:
        return False
    return _commenter_pairs(blocks, i + 1, i + 1 + COMMENT_EVIDENCE_BLOCKS)[0] >= COMMENTER_RUN_PAIRS


def _signed_by_name(blocks: list[str], j: int) -> bool:
    """Whether block ``j`` is a commenter's name with the comment's time stamp or buttons under it."""
    if j + 1 >= len(blocks) or _commenter(blocks[j]) is None:
        return False
    meta = blocks[j + 1].strip()
    return len(meta.split()) <= COMMENT_META_WORDS and bool(_COMMENT_META.search(meta))


# The lines of a letter's or an e-mail's header ("FROM: …", "To: …", "Date: …"), over its "RE:" line.
_MEMO_HEADER = re.compile(r"(?:from|to|date|sent|cc|subject)\s*:", re.IGNORECASE)
MEMO_HEADER_BLOCKS = 3


def _in_memo_header(blocks: list[str], i: int) -> bool:
    """Whether block ``i`` ("RE: …") stands under a memo's or an e-mail's header lines: an article
    quoting a letter, not a forum reply."""
    return any(_MEMO_HEADER.match(blocks[j].lstrip()) for j in range(max(0, i - MEMO_HEADER_BLOCKS), i))


_CLOCK = re.compile(rf"\b{_TIME}", re.IGNORECASE)
#: A forum post's dated header numbered 1 ("02-11-2025, 07:48 PM #1") heads the topic's opening
#: post: the page's article. The replies start at #2. (A "#1" alone may number a blog's first
#: comment, and still opens the thread.)
_FIRST_POST = re.compile(rf"^{_DATE}.{{0,20}}#1$", re.IGNORECASE)


def _post_byline(blocks: list[str], i: int) -> bool:
    """Whether block ``i`` ("Posted by Desk at 9:12 AM") is a post's by-line that the page shows
    twice, over the post and under it, as some blog templates do: the same name and time to the
    minute on two lines is one post, not two comments."""
    line = blocks[i].strip()
    return _CLOCK.search(line) is not None and sum(b.strip() == line for b in blocks) > 1


def _not_a_comment(kind: str | None, blocks: list[str], i: int) -> bool:
    """Whether block ``i``, a marker of ``kind``, belongs to the article after all: a memo's "RE:",
    the dated header of a forum topic's opening post, a post's by-line shown twice."""
    if kind == "forum":
        return _in_memo_header(blocks, i) or _FIRST_POST.match(blocks[i].strip()) is not None
    return kind == "posted_by" and _post_byline(blocks, i)


#: A comment's number standing alone over its signature ("1", "#1", "1.").
_COMMENT_NUMBER = re.compile(r"#?\d{1,4}\.?")


def find_comment_start(blocks: list[str]) -> int | None:
    """The index of the block that opens the reader-comment thread, or ``None`` when there is none."""
    kinds: dict[int, str | None] = {}

    def kind_of(j: int) -> str | None:  # each block's kind is worked out once
        if j >= len(blocks):
            return None
        if j not in kinds:
            kinds[j] = marker_kind(blocks[j], blocks[j + 1] if j + 1 < len(blocks) else "")
        return kinds[j]

    block_prose = [prose_words(b) for b in blocks]
    headline = _headline_index(blocks, block_prose)
    prose = 0
    for i, block in enumerate(blocks):
        if i < headline:
            continue  # the page's header: counters and links above the headline open no thread
        if prose >= MIN_ARTICLE_WORDS_BEFORE_THREAD:
            kind = kind_of(i)
            if _not_a_comment(kind, blocks, i):
                kind = None
            followed = kind not in WEAK_KINDS or _comments_follow(kind_of, blocks, i) or _names_under_counter(kind_of, blocks, i)
            if kind is not None and followed and (kind not in BYLINE_KINDS or _signed_again(kind_of, blocks, i)):
                if kind == "replydelete" and block.startswith("ReplyDelete") and i > 0:
                    # Blogger puts "ReplyDelete" under each comment: the block above is a comment.
                    return i - 1
                return i
            if _commenter(block) is not None:
                pairs, sure = _commenter_pairs(blocks, i, i + COMMENT_EVIDENCE_BLOCKS)
                if pairs >= COMMENTER_RUN_PAIRS and sure:
                    return i
        elif i > 0 and kind_of(i) in COUNTER_KINDS:
            # A short post (a photo, a video, a few lines): a comment counter with the first
            # comment's signature right under it (or under the comment's number) opens the
            # thread whatever stands above.
            first = i + 2 if i + 1 < len(blocks) and _COMMENT_NUMBER.fullmatch(blocks[i + 1].strip()) else i + 1
            if kind_of(first) in SIGNED_KINDS or _signed_by_name(blocks, first):
                return i
        prose += block_prose[i]
    return None
