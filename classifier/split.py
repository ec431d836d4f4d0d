"""raw text ─► segments: cut a scraped page into blocks, sentences, widget words and HTML residue.

Every segment keeps its offsets into the original text, so ``text[s.start:s.end] == s.text``
always holds. The splitter also decides the segment's part: everything from the start of the
reader-comment thread to the end of the page is ``comments``. It works from the page's form alone
(lines, punctuation, comment-thread markers); the labels come later, from the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from .errors import InputError
from .segment import Part, Segment, _segment
from .thread import RUN_ON_MARKER_END, RUN_ON_MARKER_START, find_comment_start

__all__ = ["split", "BYTES_MESSAGE"]

BYTES_MESSAGE = (
    "classifier works on text (str), but got {kind}. Decode the bytes first, for example "
    "data.decode('utf-8'), or pass a file path to the command line, which detects the encoding."
)

#: A block longer than this many characters is cut into sentences; shorter ones stay whole,
#: since menus, bylines and headlines are rarely more than one sentence.
SENTENCE_SPLIT_MIN_CHARS = 60

_WIDGET_WORDS = (
    "ReplyDelete|Reply|Delete|Like|Likes|Report|Share|Quote|Flag|Edit|Permalink|Tweet|Retweet|"
    "Translate|Hide|Upvote|Downvote|Follow|Unfollow|Antworten|Melden|Ответить|Пожаловаться|"
    "Répondre|Signaler|Responder|Rispondi|Odpowiedz|Відповісти|Beantwoorden|Yanıtla"
)
# (one widget word, then more: the same runs as (?:...)+, but a pattern that begins with the
# alternatives lets the regular expression engine skip to their first letters, five times faster)
_WIDGET_RUN = re.compile(rf"(?:{_WIDGET_WORDS})(?:{_WIDGET_WORDS})*")
_GLUE_LEFT = re.compile(r"[a-zа-яё.!?:;,)\]\"”’»…]")  # what may stand just before a glued widget word
_GLUE_RIGHT = re.compile(r"[A-ZА-ЯЁÀ-Ý\"“«(0-9]")  # what may stand just after one

_RESIDUE = re.compile(
    r"""
    (?:\S*://\S*\s*)?alt\s*=\s*(?:"[^"]*"|“[^”]*”|”[^”]*”|'[^']*')(?:\s*/?>)?   # alt-text leftovers
    | \S*://\S*?["”]\s*/?>                                                   # the tail of a src/href
    | </?[a-zA-Z][a-zA-Z0-9]*(?:\s+[^<>]{0,300})?/?>                          # tags
    | &(?:[a-zA-Z]{2,8}|\#\d{1,6}|\#x[0-9a-fA-F]{1,6});                       # entities
    | \[/?(?:caption|gallery|embed|video|audio|img|url|quote)\b[^\]]{0,300}\]  # shortcodes, BBCode
    | \{\{[^}]{0,200}\}\} | \{%[^%]{0,200}%\}                                  # template tags
    | \b(?:src|href|class|style|width|height|data-[a-z-]+)\s*=\s*(?:"[^"]*"|”[^”]*”)(?:\s*/?>)?
    """,
    re.VERBOSE,
)

#: One of these characters stands in every match of _RESIDUE.
_RESIDUE_HINT_CHARS = "<>&[{="
_RESIDUE_HINT = re.compile(f"[{re.escape(_RESIDUE_HINT_CHARS)}]")


def occurrences(text: str, needles: Iterable[str]) -> list[int]:
    """Every offset in ``text`` where one of ``needles`` starts, needle by needle, found with
    str.find: where a text holds a few of them, finding each costs less than a pattern that
    tests every character of the text."""
    out = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            out.append(i)
            i = text.find(needle, i + 1)
    return out

_SENTENCE_END = re.compile(r"[.!?…][.!?…]*[\"”’»)\]]*(\s+)(?=[\"“‘«(\[]?[A-ZА-ЯЁÀ-Ý0-9])")  # ([.!?…]+, written so for speed)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft gen gov sen rep col lt sgt capt rev vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos fig approx dept est vol pp p ca cf "
    "e.g i.e u.s u.k u.n a.m p.m d.c".split()
)
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")  # "j.r.r", "u.s.a": initials, after which no sentence ends

def _check_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise InputError(BYTES_MESSAGE.format(kind=type(text).__name__))
    raise InputError(f"classifier works on text (str), but got {type(text).__name__}.")


#: A page is taken as hard-wrapped (each paragraph broken into lines of at most a fixed width,
#: as text-mode browsers and HTML-to-text converters write it) when at least this many of its
#: lines were broken where the next word did not fit, and this share of its lines that come
#: within WRAPPED_NEAR characters of the width, do not end a sentence and run on into the next
#: line.
WRAPPED_MIN_LINES = 5
WRAPPED_MIN_SHARE = 0.6
WRAPPED_NEAR = 15
#: Widths a page may be wrapped at; a page whose lines run longer holds a block a line.
WRAPPED_WIDTHS = (30, 200)


#: A page lost its line breaks (a scraper joined all its text with spaces) when one block holds
#: this share of its characters, and at least RUN_ON_MIN_CHARS of them: that block is cut back
#: into blocks (see :func:`_run_on`).
RUN_ON_SHARE = 0.9
RUN_ON_MIN_CHARS = 1000
#: Separators of menus and link lists, dropped where _run_on cuts a block at them.
_RUN_ON_SEPARATOR = re.compile(r"\s[|•·»]\s")
#: In such a page a menu runs on into the sentence after it ("Top News World Sports …
#: WASHINGTON — The number of…"). It is cut off where at least RUN_ON_MENU_WORDS words,
#: RUN_ON_MENU_CAPITALS of them not starting lowercase (capitalised, or a digit or a mark),
#: stand before at least RUN_ON_PROSE_WORDS words, RUN_ON_PROSE_LOWERCASE of them lowercase.
#: (A sentence that opens with a run of names, "The Prime Minister David Cameron said…", can be
#: cut too; both parts stay blocks of the page.)
RUN_ON_MENU_WORDS, RUN_ON_MENU_CAPITALS = 4, 0.8
RUN_ON_PROSE_WORDS, RUN_ON_PROSE_LOWERCASE = 6, 0.5
_TOKEN = re.compile(r"\S+")


@cache
def _run_on_markers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(RUN_ON_MARKER_START, re.IGNORECASE), re.compile(RUN_ON_MARKER_END, re.IGNORECASE)


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of the page: its non-blank lines (:func:`_lines`), those of a
    hard-wrapped paragraph joined (:func:`_unwrap`), a block that holds almost all of the page
    cut up (:func:`_run_on`)."""
    spans = _unwrap(text, *_lines(text))
    if not spans:
        return spans
    longest = max(spans, key=lambda s: s[1] - s[0])
    size = longest[1] - longest[0]
    if size < RUN_ON_MIN_CHARS or size < RUN_ON_SHARE * sum(b - a for a, b in spans):
        return spans
    i = spans.index(longest)
    return spans[:i] + _run_on(text, *longest) + spans[i + 1 :]


def _run_on(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a page's text that lost its line breaks back into blocks: at its sentences' ends, at the
    separators of menus (" | ", " • ", dropped), before the thread markers that start a block
    ("12 comments", "Leave a reply", a comment's date and time) and after those that end one
    ("says:", a date and time, "12 comments", "Leave a reply"), and between a menu and the
    sentence it runs on into
    (:func:`_menu_cut`). Blocks are what the model and the thread finder judge: without these
    cuts, the page would be one block, kept or dropped whole."""
    out = []
    marker_start, marker_end = _run_on_markers()
    for sa, sb in _sentences(text, start, end):
        pos = sa
        cuts = [m.span() for m in _RUN_ON_SEPARATOR.finditer(text, sa, sb)]
        cuts += [(m.start(), m.start()) for m in marker_start.finditer(text, sa, sb)]
        cuts += [(m.end(), m.end()) for m in marker_end.finditer(text, sa, sb)]
        for ca, cb in sorted(cuts) + [(sb, sb)]:
            if ca > pos:
                piece = text[pos:ca]
                if piece.strip():
                    out += _menu_cut(text, pos + len(piece) - len(piece.lstrip()), pos + len(piece.rstrip()))
            pos = max(pos, cb)
    return out


def _menu_cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] as one span, or two where a menu runs on into a sentence (see
    :data:`RUN_ON_MENU_WORDS`): cut before the capitalised word that best parts capitalised
    words before it from lowercase ones after it."""
    tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
    n = len(tokens)
    if n < RUN_ON_MENU_WORDS + RUN_ON_PROSE_WORDS:
        return [(start, end)]
    lower = [text[a].islower() for a, _ in tokens]
    before = [0]  # lowercase words before each word
    for is_lower in lower:
        before.append(before[-1] + is_lower)
    best, cut = -1, 0
    for k in range(RUN_ON_MENU_WORDS, n - RUN_ON_PROSE_WORDS + 1):
        if lower[k] or not text[tokens[k][0]].isalnum():
            continue
        capitals, lowercase = k - before[k], before[n] - before[k]
        if capitals >= RUN_ON_MENU_CAPITALS * k and lowercase >= RUN_ON_PROSE_LOWERCASE * (n - k) and capitals + lowercase > best:
            best, cut = capitals + lowercase, k
    if not cut:
        return [(start, end)]
    return [(start, tokens[cut - 1][1]), (tokens[cut][0], end)]


def _lines(text: str) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each non-blank line, without its surrounding white space (what
    str.strip() removes; "\r" and "\n" both end a line), and how many of them are longer than
    any wrapping width. Found line by line with str.strip(), a tenth of the cost of a pattern
    that tests every character against a set."""
    spans = []
    start = 0
    wide = 0
    widest = WRAPPED_WIDTHS[1]
    for line in (text.replace("\r", "\n") if "\r" in text else text).split("\n"):  # (the pattern's line breaks)
        stripped = line.strip()
        if stripped:
            a = start + len(line) - len(line.lstrip())
            spans.append((a, a + len(stripped)))
            if len(stripped) > widest:
                wide += 1
        start += len(line) + 1
    return spans, wide


def _line_breaks(gap: str) -> int:
    return gap.count("\n") + gap.count("\r") - gap.count("\r\n")


def _line_length(text: str, a: int, b: int) -> int:
    """The length of the line that holds text[a:b] up to b, from the line's start (a's
    indentation included); past the widest wrapping width, only that it is wider."""
    before = text[max(0, a - WRAPPED_WIDTHS[1] - 1) : a]
    start = max(before.rfind("\n"), before.rfind("\r"))
    if start < 0 and a > len(before):
        return WRAPPED_WIDTHS[1] + 1 + b - a
    return b - a + len(before) - start - 1


def _width_rank(n: int) -> int:
    """Where a wrapped page's width stands among its n line lengths, sorted: all but the longest
    2% are no longer."""
    return int(0.98 * (n - 1))


def _unwrap(text: str, spans: list[tuple[int, int]], wide: int) -> list[tuple[int, int]]:
    """Join the lines of a hard-wrapped page back into its paragraphs.

    A wrapped paragraph's line ends where the next word would not have fitted within the width,
    so a line joins the next one (with no blank line between them) when its length, a space and
    the next line's first word run past the width. The width is the length that all but the
    longest 2% of the page's lines keep within. Pages that hold a block a line are left as they
    are: their lines are longer than any wrapping width, or too few of them end so. ``wide``
    is the number of lines longer than the widest wrapping width without their indentation.
    """
    # A line's length counts from the line's start, its indentation included; without it it is
    # no longer, so most pages, whose lines run longer than any width, stop here (more than 2%
    # of their lines are wider).
    if len(spans) < WRAPPED_MIN_LINES or wide >= len(spans) - _width_rank(len(spans)):
        return spans
    lengths = [_line_length(text, a, b) for a, b in spans]
    width = sorted(lengths)[_width_rank(len(lengths))]
    if not WRAPPED_WIDTHS[0] <= width <= WRAPPED_WIDTHS[1]:
        return spans
    broken = set()
    near = 0
    for i in range(len(spans) - 1):
        (a, b), (c, d) = spans[i], spans[i + 1]
        # A line that ends a sentence is left to end its block: lines of a page that holds a
        # block a line may be of about one length (teasers a site cut at a fixed length, with an
        # ellipsis), and they end so, where a wrapped line seldom does.
        line = text[a:b]
        if width - WRAPPED_NEAR <= lengths[i] <= width and " " in line and _line_breaks(text[b:c]) == 1 and not line.endswith((".", "!", "?", "…")):
            near += 1
            if lengths[i] + 1 + len(text[c:d].split(None, 1)[0]) > width:
                broken.add(i)
    # (and a paragraph of three lines or more, as wrapped prose has)
    if len(broken) < max(WRAPPED_MIN_LINES, WRAPPED_MIN_SHARE * near) or not any(i + 1 in broken for i in broken):
        return spans
    out = [spans[0]]
    for i in range(1, len(spans)):
        if i - 1 in broken:
            out[-1] = (out[-1][0], spans[i][1])
        else:
            out.append(spans[i])
    return out


def _cuts(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Cut one block into (start, end, residue) pieces: HTML residue, glued widget words, the rest."""
    block = text[start:end]
    # every residue pattern holds one of these characters: most blocks skip the search
    marks: list[tuple[int, int]] = [m.span() for m in _RESIDUE.finditer(block)] if _RESIDUE_HINT.search(block) else []
    for m in _WIDGET_RUN.finditer(block):
        a, b = m.span()
        if a == 0 and b == len(block):
            continue  # the whole block is widget text: it stays one segment
        left_ok = a == 0 or bool(_GLUE_LEFT.match(block[a - 1]))
        right_ok = b == len(block) or bool(_GLUE_RIGHT.match(block[b]))
        glued = (a > 0 and not block[a - 1].isspace()) or (b < len(block) and not block[b].isspace())
        if left_ok and right_ok and glued:
            marks.append((a, b))
    if not marks:
        return [(start, end, False)]
    marks.sort()
    merged: list[list[int]] = []
    for a, b in marks:
        if merged and a <= merged[-1][1] + 1 and not block[merged[-1][1] : a].strip():
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    pieces: list[tuple[int, int, bool]] = []
    pos = 0
    for a, b in merged:
        if a < pos:  # overlapping marks: keep the earlier one
            continue
        if block[pos:a].strip():
            pieces.append((pos, a, False))
        pieces.append((a, b, True))
        pos = b
    if block[pos:].strip():
        pieces.append((pos, len(block), False))
    out = []
    for a, b, residue in pieces:
        piece = block[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        out.append((start + a + lead, start + b - trail, residue))
    return out


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the sentences of text[start:end] as (start, end), without surrounding space."""
    if end - start < SENTENCE_SPLIT_MIN_CHARS:
        yield start, end
        return
    piece = text[start:end]
    pos = 0
    for m in _SENTENCE_END.finditer(piece):
        cut = m.start(1)
        # the word before the sentence end: the last run of non-space characters of
        # piece[pos:m.start()] when that ends in one, as (\S+)$ would find it (str.rsplit: much
        # cheaper than that search)
        head = piece[pos : m.start()]
        if head and not head[-1].isspace():
            w = head.rsplit(None, 1)[-1].rstrip(".!?…\"”’»)]").lower()
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or _INITIALS.fullmatch(w):
                continue
        if cut - pos < 2:
            continue
        yield start + pos, start + cut
        pos = m.end(1)
    if pos < len(piece):
        yield start + pos, end


def split(text: str) -> list[Segment]:
    """Cut a scraped page into segments, each with its offsets, block number and part.

    >>> page = "Storm closes harbour\\nThe harbour closed on Monday, officials said. It may reopen Friday.\\n3 comments"
    >>> [(s.text, s.part.value) for s in split(page)][:2]
    [('Storm closes harbour', 'article'), ('The harbour closed on Monday, officials said.', 'article')]
    >>> all(page[s.start:s.end] == s.text for s in split(page))
    True
    """
    text = _check_text(text)
    blocks = _blocks(text)
    thread = find_comment_start([text[a:b] for a, b in blocks])
    # Where residue or a widget word may stand, found in the whole text at once: a block with
    # neither is one piece, and only the others go through _cuts. (A widget run holds no white
    # space, so the whole text's runs are each inside one block, the same as the block's own.)
    marked = sorted(occurrences(text, _RESIDUE_HINT_CHARS) + [m.start() for m in _WIDGET_RUN.finditer(text)])
    marked.append(len(text))
    k = 0
    segments: list[Segment] = []
    for i, (a, b) in enumerate(blocks):
        part = Part.COMMENTS if thread is not None and i >= thread else Part.ARTICLE
        while marked[k] < a:
            k += 1
        for pa, pb, residue in _cuts(text, a, b) if marked[k] < b else ((a, b, False),):
            if residue:
                segments.append(_segment(text[pa:pb], pa, pb, i, part, True))
            elif pb - pa < SENTENCE_SPLIT_MIN_CHARS:  # (_sentences leaves it whole)
                segments.append(_segment(text[pa:pb], pa, pb, i, part, False))
            else:
                for sa, sb in _sentences(text, pa, pb):
                    segments.append(_segment(text[sa:sb], sa, sb, i, part, False))
    return segments
