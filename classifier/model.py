"""features ─► labels: the segment model, and how it is saved, checked and loaded.

:class:`SegmentModel` gives every segment of a page the probability of each label in three steps:

1. a **word model** (logistic regression on hashed words) scores how much a segment reads like
   site furniture;
2. a **context model** (gradient-boosted trees) decides noise from the segment's shape, its
   block, its place on the page and the word scores of its neighbours: the smoothing from
   neighbours, learned by stacking on out-of-fold word scores;
3. a **voice model** (logistic regression on words and a few shape features) decides, for text
   that is not noise, between ``reporting`` and ``opinion``.

So P(noise) comes from step 2, smoothed over the page (the sentences of a block share one
noise probability; content outside the page's main run of content is furniture; the headline
that the page's title line repeats is reporting, and content above it furniture; a slideshow of
captioned photos under the article is furniture; residue is noise), and P(reporting),
P(opinion) share the rest by step 3.

The model is fitted with scikit-learn (:mod:`classifier.estimator`) and saved as plain arrays
(an ``.npz`` file read without pickle, so loading it runs no code): this module needs NumPy only.
:func:`load_model` still loads the project's own model only after checking its sha256 against the
card beside it, and another file only when the caller says it trusts it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .errors import ModelError
from .features import FEATURE_NAMES, hash_words, normalise_for_words, pages_features
from .segment import LABELS, Segment
from .split import occurrences
from .thread import HEADLINE_MIN_CHARS, HEADLINE_TITLE_SHARE

__all__ = ["CONTENT", "UNKNOWN", "SegmentModel", "Trees", "decide", "PageBatch", "load_model", "save_model", "default_model_path", "file_sha256"]

MODEL_FILE = "classifier.npz"
#: The layout of a model file; a file of another format is refused with a word on what to do.
FORMAT = 1
#: A training label for text known to be content (not noise) whose voice is unknown: it teaches
#: the noise decision and is left out of the reporting / opinion decision.
CONTENT = "content"
#: A training label for a segment whose label is unknown: it stays on the page as context for its
#: neighbours but teaches nothing itself.
UNKNOWN = "unknown"

#: Word scores of the segments this far on either side feed the context model.
SCORE_WINDOW = 3
#: The probability of noise given at least to a segment the splitter cut off as residue.
RESIDUE_NOISE = 0.99
_RESIDUE_COLUMN = FEATURE_NAMES.index("residue")
_LOG_WORDS_COLUMN = FEATURE_NAMES.index("log_words")
_IN_COMMENTS_COLUMN = FEATURE_NAMES.index("in_comments")
#: Blocks of other kinds that may stand between two content blocks of one article.
REGION_GAP = 8
#: A run of content holding at least this share of the page's content words is kept beside the
#: main one (an article broken by a long gallery or an embedded box).
REGION_KEEP_SHARE = 1.0
#: Blocks above the first content block searched for the headline.
HEADLINE_SEARCH_BLOCKS = 15
#: The probability of noise given at most to a headline found that way.
HEADLINE_NOISE = 0.1
#: A title line of fewer words, repeated whole below some content, is likelier the name of the
#: site or its author than a headline, and the content above it is not taken for furniture.
HEADLINE_TITLE_MIN_WORDS = 4
#: Content above a headline found among the content is furniture, unless it holds this many times
#: the content words below the headline (on dragnet-train this spared 2 short posts, F1 -0.0004,
#: and guards an article against a block under it that repeats the title).
HEADLINE_ABOVE_MAX_RATIO = 10
#: Blocks of content in a row, with nothing between them, under a headline below the main region
#: that make it the article's start (see _main_region).
HEADLINE_BELOW_MIN_BLOCKS = 3
#: On a page where no segment of the article part passed for content, those whose noise
#: probability is within this margin of the page's lowest (and below FALLBACK_MAX_NOISE) are taken
#: for the article, with this probability of noise.
FALLBACK_MARGIN = 0.5
FALLBACK_MAX_NOISE = 0.99
FALLBACK_NOISE = 0.45
#: The probability of noise given at least to content outside the page's main region, and to
#: content above the page's headline (see _headlines).
OUTSIDE_REGION_NOISE = 0.9
#: A block that starts like an item of a list: a bullet, a dash, or a number and a dot or bracket.
LIST_ITEM = re.compile(r"(?:[•·▪►▸◦●○■□✓✔*]|[-–—](?=\s)|\d{1,2}[.)](?=\s))")
#: Runs of list items this long at most are kept with the content beside them (see _list_runs).
LIST_MAX_ITEMS = 40
#: Items the model is this sure are furniture, taken together (the median), are left alone.
LIST_SURE_NOISE = 0.99
#: The probability of noise given at most to the items of a list kept with the content beside it.
LIST_NOISE = 0.45
#: Lines of verse in a row, each a block of one segment, that make a poem or a song (see _verse_runs).
VERSE_MIN_LINES = 4
#: A line of verse holds 2 to this many words.
VERSE_MAX_WORDS = 15
#: A line of verse ends with a punctuation mark (a closing quote or bracket may follow it) …
VERSE_END = re.compile(r"[,;:.!?][\"'”’)]*$")
#: … and half the lines of a verse or more with a comma or a semicolon: the sentence runs on.
VERSE_RUN_ON = re.compile(r"[,;][\"'”’)]*$")
#: Captioned photos in a row (blocks holding a photo credit) that make a gallery, the lines and
#: words without a credit that may stand between two of them, and the content words above the
#: gallery that make it a gallery beside an article rather than the page's story told in pictures
#: (see _galleries).
GALLERY_MIN_PHOTOS = 4
GALLERY_GAP_BLOCKS = 2
GALLERY_GAP_WORDS = 8
GALLERY_ARTICLE_WORDS = 100
#: A photo credit standing alone, noise by LABELS.md (rule 4) whatever stands around it: "(AP
#: Photo/Matt Slocum)", "Getty Images", "Photo: Damian Dovarganes, AP", "Image credit: Red Bull
#: Stratos", "Photos by Sara Bjork", "(Credit: NASA's Goddard Space Flight Center)". What follows
#: the opening (``rest``) must then read as names: see _photo_credits. ("Credits:" alone, plural,
#: is left out: it opens a film's credits as often.)
_AGENCY = r"(?:AP|AFP|Reuters|Getty|EPA|Bloomberg|Associated Press|Xinhua|Shutterstock|PA|dpa)"
PHOTO_CREDIT = re.compile(
    r"\(?\s*(?:"
    rf"{_AGENCY}(?:\s+\w+)?\s*(?:Photos?|Images?|Pictures?)\b"
    r"|(?:Photo|Photograph|Image|Picture|Illustration)(?:\s+credits?|\s+courtesy(?:\s+of)?)?\s*(?::|/|©|\bby\b)"
    r"|(?:Photo|Image|Picture)s\s+by\b|Credit\s*:"
    r")(?P<rest>[^()]{0,80}?)\)?\s*\.?"
)
#: Every credit PHOTO_CREDIT matches holds one of these words: only segments that hold one are tried.
_CREDIT_WORDS = ("Photo", "Image", "Picture", "Illustration", "Credit")
#: A credit is at most this long, and its names at most this many words, each capitalised (the
#: small words of _CREDIT_LINKS aside) unless they hold an agency, a "©" or a "/": "Photo: Blinken
#: meets Lavrov in Geneva" is a caption, which LABELS.md calls reporting.
CREDIT_MAX_CHARS = 120
CREDIT_MAX_WORDS = 12
_CREDIT_LINKS = frozenset("of for by and in via on at the de da von van courtesy".split())
_CREDIT_NAME = re.compile(r"[^\W\d_][\w'’.-]*")
_CREDIT_MARK = re.compile(rf"\b{_AGENCY}\b|©|/")
#: Shape features the voice model sees beside the words.
_VOICE_SHAPES = (
    "quote",
    "attribution",
    "first_person",
    "second_person",
    "question",
    "exclamation",
    "in_comments",
    "subjective_share",
    "subjective_count",
    "superlative_share",
    "log_words",
)
_VOICE_COLUMNS = [FEATURE_NAMES.index(n) for n in _VOICE_SHAPES]


@dataclass(frozen=True)
class PageBatch:
    """Several pages' segments, featurised together: the model's input."""

    texts: list[str]
    dense: np.ndarray
    page_ids: np.ndarray  # the page each row belongs to, 0..n_pages-1
    block_ids: np.ndarray  # the block each row belongs to, numbered across the batch

    @classmethod
    def from_pages(cls, pages: list[list[Segment]]) -> PageBatch:
        texts = [s.text for page in pages for s in page]
        page_ids = np.repeat(np.arange(len(pages), dtype=np.int64), [len(page) for page in pages])
        dense, block_ids = pages_features(pages)
        return cls(texts, dense, page_ids, block_ids)


def _main_region(p_noise: np.ndarray, X: PageBatch) -> np.ndarray:
    """Content outside the page's main region becomes noise.

    An article is one run of content blocks, interrupted at most by :data:`REGION_GAP` other
    blocks (captions, ad slots, share buttons). Content elsewhere in the article part, such as
    teasers of other stories, blurbs in a sidebar, a second post on a blog's front page, is site
    furniture for this page: its noise probability is raised to at least
    :data:`OUTSIDE_REGION_NOISE`. The comment thread is left as it is.

    The region reaches up to the article's headline, where one repeats the title line above the
    longest run: a box of links or a gallery that the scrape put inside an article can part its
    first paragraphs from the rest by more than :data:`REGION_GAP` blocks, and those paragraphs
    are the article's all the same (see :func:`_headline_above`).

    The region also takes in the article under a headline below it (see :func:`_run_under_headline`):
    a column of teasers above the article can hold more words than the article itself.
    """
    out = p_noise.copy()
    words = np.expm1(X.dense[:, _LOG_WORDS_COLUMN])
    article = X.dense[:, _IN_COMMENTS_COLUMN] == 0
    content = (p_noise < 0.5) & article
    bounds = np.flatnonzero(np.diff(X.page_ids)) + 1
    for page in np.split(np.arange(len(p_noise)), bounds):
        mine = page[article[page]]
        if len(mine) and not content[mine].any():
            # Every page has an article. Where nothing in the article part passed for content (a
            # short post: a photo, a few lines, a title and a date), the least furniture-like
            # text of the page is the article: what stands within FALLBACK_MARGIN of the best.
            best = out[mine].min()
            if best < FALLBACK_MAX_NOISE:
                chosen = mine[out[mine] <= min(best + FALLBACK_MARGIN, FALLBACK_MAX_NOISE)]
                out[chosen] = np.minimum(out[chosen], FALLBACK_NOISE)
                content[chosen] = True
        rows = page[content[page]]
        if len(rows) == 0:
            continue
        blocks = X.block_ids[rows]
        # runs of content blocks: a new run starts where more than REGION_GAP blocks lie between
        starts = np.concatenate([[True], np.diff(blocks) > REGION_GAP + 1])
        run = np.cumsum(starts) - 1
        mass = np.bincount(run, weights=words[rows])
        main = np.argmax(mass)
        kept = (mass >= REGION_KEEP_SHARE * mass.sum()) | (np.arange(len(mass)) == main)
        run_starts = blocks[starts]
        if run_starts[0] < run_starts[main]:
            headline = _headline_above(page, X, article, run_starts[main])
            if headline is not None:
                kept |= (run_starts > headline) & (run_starts < run_starts[main])
        outside = rows[~kept[run]]
        out[outside] = np.maximum(out[outside], OUTSIDE_REGION_NOISE)
        under = _run_under_headline(page, X, article, rows, rows[kept[run]])
        out[under] = p_noise[under]
    return out


def _run_under_headline(page: np.ndarray, X: PageBatch, article: np.ndarray, content: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The rows of the article that starts under a headline below a page's main region, if any.

    An article starts at its headline. Where the first block below the region (``kept``) that
    repeats the headline of the title line repeats it the way :func:`_starts_article` asks, and
    right under it (within :data:`REGION_GAP` blocks) comes a run of content of at least
    :data:`HEADLINE_BELOW_MIN_BLOCKS` blocks with nothing between them, that run is the article's
    start, and the region held teasers or a sidebar's posts put above it. A run whose texts the
    region already holds is a second copy of the article (a print version) and is left out; so is
    a run with gaps, such as a list of recent posts that repeats this one's title above its
    blurb.
    """
    none = page[:0]
    if len(kept) == 0 or X.block_ids[content[-1]] <= X.block_ids[kept[-1]] + 1:
        return none  # no content below the region, under a headline or not
    blocks = X.block_ids[page]
    title = _title_line(page, X)
    # The cheap test first: a block's words are no longer than its text (but for a rare letter
    # that lowercases to two), so a text shorter than title.shortest is no headline; nor is one of
    # more than twice the title line.
    longest = 2 * len(title.raw)
    below = page[np.searchsorted(blocks, max(int(X.block_ids[kept].max()), blocks[0] + 1) + 1) :]
    for b, group in groupby(below[article[below]].tolist(), X.block_ids.__getitem__):
        raw = " ".join(X.texts[r] for r in group)
        if not title.shortest <= len(raw) <= longest:
            continue
        text = _words_of(raw)
        if not _is_headline(text, title):
            continue
        if not _starts_article(text, title):
            return none
        under = content[X.block_ids[content] > b]
        if len(under) == 0:
            return none
        under_blocks = X.block_ids[under]
        if under_blocks[0] > b + REGION_GAP + 1:
            return none
        run = under[np.cumsum(np.concatenate([[True], np.diff(under_blocks) > REGION_GAP + 1])) == 1]
        run_blocks = np.unique(X.block_ids[run])
        if len(run_blocks) < HEADLINE_BELOW_MIN_BLOCKS or len(run_blocks) < run_blocks[-1] - run_blocks[0] + 1:
            return none
        have = {X.texts[r] for r in kept}
        if 2 * sum(X.texts[r] in have for r in run) > len(run):
            return none
        return run
    return none


def _verse_runs(p_noise: np.ndarray, X: PageBatch) -> np.ndarray:
    """Lines of verse are the article's.

    A poem, a hymn or a song's lyrics stands a line a block: short lines that look like a menu to
    the model one by one, so a post that is a poem lost it all. Menus and lists of links do not end
    their lines with punctuation, and never half of them with a comma or a semicolon as verse does,
    whose sentences run on from line to line. Where :data:`VERSE_MIN_LINES` or more blocks in a row
    of the article part are each one segment of 2 to :data:`VERSE_MAX_WORDS` words ending with a
    punctuation mark, and half of them or more end with a comma or a semicolon, they are content
    (noise probability at most :data:`LIST_NOISE`), unless the model is sure they are furniture
    (their median at least :data:`LIST_SURE_NOISE`). This runs before the main region is chosen,
    so that a poem can be the page's article.
    """
    blocks, pages = X.block_ids, X.page_ids
    same_as_next = (np.diff(blocks) == 0) & (np.diff(pages) == 0)
    alone = ~np.concatenate([[False], same_as_next]) & ~np.concatenate([same_as_next, [False]])
    alone &= X.dense[:, _IN_COMMENTS_COLUMN] == 0
    words = np.rint(np.expm1(X.dense[:, _LOG_WORDS_COLUMN]))
    alone &= (words >= 2) & (words <= VERSE_MAX_WORDS)
    line = np.zeros(len(p_noise), dtype=bool)
    run_on = np.zeros(len(p_noise), dtype=bool)
    for r in np.flatnonzero(alone):
        text = X.texts[r].rstrip()
        if VERSE_END.search(text):
            line[r] = True
            run_on[r] = VERSE_RUN_ON.search(text) is not None
    if np.count_nonzero(line) < VERSE_MIN_LINES:
        return p_noise
    out = p_noise.copy()
    rows = np.flatnonzero(line)
    # a line continues the previous one: next block of the same page
    follows = np.concatenate([[False], (np.diff(blocks[rows]) == 1) & (np.diff(pages[rows]) == 0)])
    run = np.cumsum(~follows) - 1
    for k in range(run[-1] + 1):
        verse = rows[run == k]
        if len(verse) >= VERSE_MIN_LINES and 2 * np.count_nonzero(run_on[verse]) >= len(verse) and np.median(p_noise[verse]) < LIST_SURE_NOISE:
            out[verse] = np.minimum(out[verse], LIST_NOISE)
    return out


def _list_runs(p_noise: np.ndarray, X: PageBatch) -> np.ndarray:
    """A list that runs on from the article's text is the article's.

    An article's lists (devices supported, steps, ingredients, key facts) are short lines that
    look like a menu to the model one by one, so it drops some of their items and keeps others.
    Where two or more blocks in a row of the article part start like list items and the block
    right before or right after them is content, all of them are content, unless the model is
    sure they are furniture (their median noise probability at least :data:`LIST_SURE_NOISE`). A
    menu of bullets stands apart from the text, with furniture around it.
    """
    blocks, pages = X.block_ids, X.page_ids
    head = np.flatnonzero(np.concatenate([[True], (np.diff(blocks) != 0) | (np.diff(pages) != 0)]))
    item = np.fromiter((LIST_ITEM.match(X.texts[r]) is not None for r in head), dtype=bool, count=len(head))
    item &= X.dense[head, _IN_COMMENTS_COLUMN] == 0
    if np.count_nonzero(item) < 2:
        return p_noise
    out = p_noise.copy()
    hb, hp = blocks[head], pages[head]
    # a head continues the previous one: next block of the same page
    follows = np.concatenate([[False], (np.diff(hb) == 1) & (np.diff(hp) == 0)])
    content = (p_noise[head] < 0.5) & (X.dense[head, _IN_COMMENTS_COLUMN] == 0)
    starts = np.flatnonzero(item & ~(np.concatenate([[False], item[:-1]]) & follows))
    for i in starts:
        j = i
        while j + 1 < len(head) and item[j + 1] and follows[j + 1]:
            j += 1
        if not 2 <= j - i + 1 <= LIST_MAX_ITEMS:
            continue
        before = i > 0 and follows[i] and content[i - 1]
        after = j + 1 < len(head) and follows[j + 1] and content[j + 1]
        if (before or after) and np.median(p_noise[head[i : j + 1]]) < LIST_SURE_NOISE:
            rows = slice(head[i], head[j + 1] if j + 1 < len(head) else len(p_noise))
            out[rows] = np.minimum(out[rows], LIST_NOISE)
    return out


@lru_cache(maxsize=1 << 12)
def _words_of(text: str) -> str:
    # curly and straight apostrophes alike: a title line and its headline often differ in them
    # (cached: the headline searches look at the same menu items and bylines on page after page)
    return " ".join(normalise_for_words(text.replace("’", "'").replace("‘", "'")))


_TITLE_SEPARATOR = re.compile(r"\s[|»«·:–—-]+\s|:\s|\s::\s")


class _Title(NamedTuple):
    """A page's first line (on scraped pages, the <title>: "Headline - Site name")."""

    raw: str  # as written
    words: str  # its words (see _words_of)
    parts: list[str]  # the words of its parts between separators, longest first
    #: What a headline may repeat besides most of the line: its longest part, and the line
    #: without its first or without its last part (where it has three parts or more: a site's
    #: name at one end, a headline with a separator of its own, "Kool A.D. – “Manny Pacquiao”
    #: Video - Stereogum", "The Science of Sport: London 2012: Spectacular 800m").
    headlines: frozenset[str]
    #: The fewest characters a block's words can have and pass :func:`_is_headline`.
    shortest: float


def _title_line(rows: np.ndarray, X: PageBatch) -> _Title:
    """The first line of a page (its rows)."""
    blocks = X.block_ids[rows]
    raw = " ".join(X.texts[r] for r in rows[blocks == blocks[0]])
    parts = sorted((_words_of(p) for p in _TITLE_SEPARATOR.split(raw)), key=len, reverse=True)
    separators = list(_TITLE_SEPARATOR.finditer(raw))
    ends = {_words_of(raw[: separators[-1].start()]), _words_of(raw[separators[0].end() :])} if len(separators) >= 2 else set()
    words = _words_of(raw)
    headlines = frozenset({parts[0], *ends} - {""})
    shortest = max(HEADLINE_MIN_CHARS, min([HEADLINE_TITLE_SHARE * len(words), *map(len, headlines)]))
    return _Title(raw, words, parts, headlines, shortest)


def _headline_above(rows: np.ndarray, X: PageBatch, article: np.ndarray, below: int) -> int | None:
    """The block nearest above block ``below`` of a page that repeats the headline of its title
    line (see :func:`_is_headline`), or None.

    The block right under the title line does not count: there a repeat of the title is the
    site's masthead as often as the article's headline (a blog whose title line is its name).
    """
    blocks = X.block_ids[rows]
    title = _title_line(rows, X)
    texts: dict[int, list[str]] = {}
    for r, b in zip(rows.tolist(), blocks.tolist()):
        if blocks[0] + 1 < b < below and article[r]:
            texts.setdefault(b, []).append(X.texts[r])
    for b in sorted(texts, reverse=True):
        if _is_headline(_words_of(" ".join(texts[b])), title):
            return b
    return None


def _is_headline(text: str, title: _Title) -> bool:
    """Whether a block's words repeat the headline in the page's title line: most of that line,
    or one of its :attr:`_Title.headlines` ("dy/dan » Blog Archive » 1,400 Rectangles")."""
    if len(text) < title.shortest or text not in title.words:  # (the length rule below, cheaply)
        return False
    return len(text) >= HEADLINE_TITLE_SHARE * len(title.words) or text in title.headlines


def _starts_article(text: str, title: _Title) -> bool:
    """Whether a headline's words (see :func:`_is_headline`) repeat the title line closely enough
    for the article to be taken to start there: one of its parts or :attr:`_Title.headlines`, or
    the whole line where it has at least :data:`HEADLINE_TITLE_MIN_WORDS` words (a shorter line,
    repeated whole, is likelier a name: a blog's, or its author's signing a comment)."""
    if text == title.words:
        return len(title.raw.split()) >= HEADLINE_TITLE_MIN_WORDS
    return text in title.parts or text in title.headlines


def _headlines(p_noise: np.ndarray, X: PageBatch) -> tuple[np.ndarray, np.ndarray]:
    """Mark each page's headline: the block that repeats the headline of the page's first line
    (on scraped pages, the <title>: "Headline - Site name"): the nearest one above the first
    content block, else the first one among the content (a blurb or a teaser above the headline
    can pass for content).

    Headlines are reporting (LABELS.md, rule 4), but alone on their line, short and without a
    sentence's punctuation they read like furniture to the model; the title repeats them.

    Also returns the rows of the article part that stand above a headline found among the content
    when it repeats the title line exactly, all of it, one of its parts, or all of it but the part
    at one end (see :class:`_Title`): an article starts at its
    headline, so what passed for content above it is a sidebar, a blurb or teasers that the scrape
    put first. Three kinds of match do not count:

    * a block that repeats only most of the title: it may be a subhead, and the content above it
      the article's own;
    * the whole of a title line of fewer than :data:`HEADLINE_TITLE_MIN_WORDS` words: likelier a
      name, as on a blog that reposts an article and signs its comment with its author's name;
    * a block with more than :data:`HEADLINE_ABOVE_MAX_RATIO` times as much content above it as
      below: likelier the site's name, or a link back, under the article.
    """
    out = np.zeros(len(p_noise), dtype=bool)
    above_headline = np.zeros(len(p_noise), dtype=bool)
    article = X.dense[:, _IN_COMMENTS_COLUMN] == 0
    content = (p_noise < 0.5) & article
    bounds = np.flatnonzero(np.diff(X.page_ids)) + 1
    for rows in np.split(np.arange(len(p_noise)), bounds):
        if len(rows) == 0 or not content[rows].any():
            continue
        blocks = X.block_ids[rows]
        first_block = blocks[0]
        title = _title_line(rows, X)
        first_content = blocks[content[rows]].min()
        last_content = blocks[content[rows]].max()
        above = range(first_content - 1, max(first_block, first_content - HEADLINE_SEARCH_BLOCKS - 1), -1)
        within = range(max(first_content, first_block + 1), last_content + 1)  # never the title line itself
        for b in [*above, *within]:
            mine = rows[(blocks == b) & article[rows]]
            if len(mine) == 0:
                continue
            text = _words_of(" ".join(X.texts[r] for r in mine))
            if _is_headline(text, title):
                out[mine] = True
                if b > first_content and _starts_article(text, title):
                    words = np.expm1(X.dense[rows, _LOG_WORDS_COLUMN]) * content[rows]
                    if words[blocks < b].sum() <= HEADLINE_ABOVE_MAX_RATIO * words[blocks > b].sum():
                        above_headline[rows[(blocks < b) & article[rows]]] = True
                break
    return out, above_headline


def _photo_credits(texts: list[str]) -> np.ndarray:
    """Which of the texts are a photo credit standing alone (PHOTO_CREDIT)."""
    out = np.zeros(len(texts), dtype=bool)
    # The credit words are looked for in all the texts at once (quicker than a test of each
    # text), and each one found is traced back to its text by its offset.
    found = occurrences("\n".join(texts), _CREDIT_WORDS)
    if not found:
        return out
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    for i in np.unique(np.searchsorted(ends, found, side="right")).tolist():
        text = texts[i].strip()
        match = PHOTO_CREDIT.fullmatch(text) if len(text) <= CREDIT_MAX_CHARS else None
        if match is None:
            continue
        rest = match["rest"]
        names = [w for w in _CREDIT_NAME.findall(rest) if w.lower() not in _CREDIT_LINKS]
        out[i] = len(names) <= CREDIT_MAX_WORDS and (
            all(w[0].isupper() for w in names) or _CREDIT_MARK.search(rest) is not None
        )
    return out


def _galleries(credits: np.ndarray, p_noise: np.ndarray, X: PageBatch) -> np.ndarray:
    """The rows of galleries beside an article: GALLERY_MIN_PHOTOS or more captioned photos in a row.

    A block that holds a photo credit is a photo's caption (with the block above it where the
    credit stands alone on its line). One such block, or a few apart, sits in the article's body,
    and LABELS.md calls a caption there reporting. A run of them, each straight after the last
    (GALLERY_GAP_BLOCKS lines of GALLERY_GAP_WORDS words in all, such as "Advertisement" or
    "Image 2 of 5", may stand between two), is a slideshow. Under an article of
    GALLERY_ARTICLE_WORDS content words or more (outside every photo) it is one the site put beside
    the story ("More photos", "Also on …"): furniture for this page. With less above it (a
    headline and a line of introduction) the gallery is the story, told in pictures, and stays.
    """
    out = np.zeros(len(credits), dtype=bool)
    if np.count_nonzero(credits) < GALLERY_MIN_PHOTOS:
        return out
    words = np.expm1(X.dense[:, _LOG_WORDS_COLUMN])
    article = X.dense[:, _IN_COMMENTS_COLUMN] == 0
    content = (p_noise < 0.5) & article
    credits = credits & article  # photos readers post in the thread are theirs
    for page in np.unique(X.page_ids[credits]).tolist():
        rows = np.arange(*np.searchsorted(X.page_ids, [page, page + 1]))
        blocks = X.block_ids[rows]
        credited = np.unique(blocks[credits[rows]]).tolist()
        if len(credited) < GALLERY_MIN_PHOTOS:
            continue
        first = blocks[0]
        block_words = np.bincount(blocks - first, weights=words[rows])
        alone = set(credited) - set(blocks[~credits[rows]].tolist())
        photos = [(b - 1 if b in alone else b, b) for b in credited]  # each photo's first and last block
        # the article: content outside every photo
        story = content[rows] & ~np.isin(blocks, [b for photo in photos for b in photo])
        runs = [[photos[0]]]
        for photo in photos[1:]:
            last = runs[-1][-1][1]
            if photo[0] - last - 1 <= GALLERY_GAP_BLOCKS and block_words[last + 1 - first : photo[0] - first].sum() <= GALLERY_GAP_WORDS:
                runs[-1].append(photo)
            else:
                runs.append([photo])
        for run in runs:
            top, bottom = run[0][0], run[-1][1]
            if len(run) >= GALLERY_MIN_PHOTOS and words[rows[story & (blocks < top)]].sum() >= GALLERY_ARTICLE_WORDS:
                out[rows[(blocks >= top) & (blocks <= bottom)]] = True
    return out


def _block_mean(p: np.ndarray, block_ids: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Each row's block mean of ``p`` over the rows marked in ``use`` (its own value where none are)."""
    sums = np.bincount(block_ids, weights=np.where(use, p, 0.0))
    counts = np.bincount(block_ids, weights=use.astype(float))
    mean = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return np.where(use, mean[block_ids], p)


def _neighbour_scores(score: np.ndarray, page_ids: np.ndarray) -> np.ndarray:
    """For each row, the scores of the rows up to SCORE_WINDOW before and after it on the same page."""
    n = len(score)
    cols = [score]
    for d in range(1, SCORE_WINDOW + 1):
        for sign in (-1, 1):
            shifted = np.full(n, 0.5)
            other = np.full(n, -1)
            if sign < 0:
                shifted[d:], other[d:] = score[:-d], page_ids[:-d]
            else:
                shifted[:-d], other[:-d] = score[d:], page_ids[d:]
            cols.append(np.where(other == page_ids, shifted, 0.5))
    window = np.stack(cols[1:], axis=1)
    cols.append(window.mean(axis=1))
    return np.stack(cols, axis=1)


@dataclass(frozen=True, eq=False)
class Trees:
    """A binary gradient-boosted tree ensemble as flat arrays, evaluated with NumPy alone.

    Every tree's nodes are stored one after another. Node ``i``'s children are
    ``children[2 * i + 1]`` (taken when the value is at most the threshold, or missing and
    ``missing_left[i]``) and ``children[2 * i]``; a leaf is its own child and compares with +inf,
    so that stepping ``depths[t]`` times from ``roots[t]`` always ends on the row's leaf.
    """

    feature: np.ndarray  # int32, the feature a node tests (0 at leaves)
    threshold: np.ndarray  # float64, go left when the value is <= threshold (+inf at leaves)
    missing_left: np.ndarray  # bool, where a missing value (NaN) goes
    children: np.ndarray  # int64, absolute node indices: (right, left) of each node
    value: np.ndarray  # float64, a leaf's contribution to the raw score
    roots: np.ndarray  # int64, each tree's first node
    depths: np.ndarray  # int64, each tree's depth
    baseline: float

    @cached_property
    def _leaf_tables(self) -> tuple[list[tuple[list[tuple[int, float, bool]], np.ndarray, np.ndarray]], int]:
        """Each tree as :meth:`decision` evaluates it, laid out once per ensemble: its split nodes'
        (feature, threshold, missing side), the bit mask of the leaves under each one's left branch
        (a column), and its leaves' values, the leaves numbered from left to right; and the most
        split nodes of any tree. A node ``depths[t]`` steps below the root counts as a leaf, where
        the walk of :class:`Trees` ends."""
        trees = self._pre_order_trees()
        if trees is None:
            nodes = (self.children.tolist(), self.feature.tolist(), self.threshold.tolist(), self.missing_left.tolist(), self.value.tolist())
            trees = [_lay_out_tree(root, depth, *nodes) for root, depth in zip(self.roots.tolist(), self.depths.tolist())]
        word = np.uint32 if all(len(leaves) <= 32 for _, _, leaves in trees) else np.uint64
        tables = [(splits, np.array(masks, dtype=word).reshape(-1, 1), leaves) for splits, masks, leaves in trees]
        return tables, max((len(splits) for splits, _, _ in tables), default=0)

    def _pre_order_trees(self) -> list[tuple[list[tuple[int, float, bool]], list[int], np.ndarray]] | None:
        """What :func:`_lay_out_tree` gives for each tree, worked out with array operations where
        the trees are stored as scikit-learn exports them: each tree's nodes in depth-first order,
        a node's left subtree right after it, then its right subtree, and no split node at the
        tree's depth. None for any other layout. (Tree by tree in Python, the layout took a tenth
        of the time of cleaning one page from the command line.)"""
        n = len(self.feature)
        roots = self.roots.astype(np.int64)
        ends = np.append(roots[1:], n)
        if n == 0 or roots[0] != 0 or np.any(ends <= roots):
            return None
        index = np.arange(n)
        right, left = self.children[0::2].astype(np.int64), self.children[1::2].astype(np.int64)
        leaf = (left == index) & (right == index)
        split = np.flatnonzero(~leaf)
        if np.any(left[split] != split + 1) or np.any(right[split] <= split + 1):
            return None
        # each node's last descendant, down the right children to a leaf (a larger index each step)
        last = np.where(leaf, index, right)
        while True:
            further = last[last]
            if np.array_equal(further, last):
                break
            last = further
        if np.any(last[left[split]] + 1 != right[split]) or np.any(last[roots] + 1 != ends):
            return None  # (a subtree that is not one run of nodes)
        parent = np.full(n, -1)
        parent[left[split]] = split
        parent[right[split]] = split
        level = np.zeros(n, dtype=np.int64)
        above = parent
        while np.any(above >= 0):
            level += above >= 0
            above = np.where(above >= 0, parent[above], -1)
        tree = np.repeat(np.arange(len(roots)), ends - roots)
        if np.any(level[split] >= self.depths[tree[split]]):
            return None
        before = np.cumsum(leaf) - leaf  # leaves before each node
        first = before[split + 1] - before[roots][tree[split]]
        under_left = before[right[split]] - before[split + 1]
        leaves_of = np.bincount(tree[leaf], minlength=len(roots))
        _check_leaves(int(leaves_of.max()))
        one = np.uint64(1)
        masks = (((one << under_left.astype(np.uint64)) - one) << first.astype(np.uint64)).tolist()
        splits = list(zip(self.feature[split].tolist(), self.threshold[split].tolist(), self.missing_left[split].tolist()))
        values = self.value[leaf]
        split_bounds = np.searchsorted(split, roots).tolist() + [len(split)]
        leaf_bounds = np.append(0, np.cumsum(leaves_of)).tolist()
        return [(splits[a:b], masks[a:b], values[c:d]) for a, b, c, d in zip(split_bounds, split_bounds[1:], leaf_bounds, leaf_bounds[1:])]

    def decision(self, X: np.ndarray) -> np.ndarray:
        """The raw score (log-odds) of each row of ``X``: :meth:`_walk` for fewer than
        :data:`WALK_ROWS` rows (a page or a few), :meth:`_rule_out` for more. Both add the trees'
        values in the same order, so a row's score does not depend on the rows beside it."""
        return self._walk(X) if X.shape[0] < WALK_ROWS else self._rule_out(X)

    @cached_property
    def _walk_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """For :meth:`_walk`: each node's children side by side (left at ``2 * i``, right at
        ``2 * i + 1``), feature, threshold and missing side, with every node ``depths[t]`` steps
        below its root made a leaf (its own child, tested against +inf), as :meth:`_rule_out`
        reads them; and the most steps from a root to a leaf."""
        n = len(self.feature)
        index = np.arange(n)
        right, left = self.children[0::2].astype(np.intp), self.children[1::2].astype(np.intp)
        level = np.zeros(n, dtype=np.int64)
        limit = np.zeros(n, dtype=np.int64)
        frontier, depth = self.roots.astype(np.intp), self.depths.astype(np.int64)
        limit[frontier] = depth
        for step in range(int(self.depths.max(initial=0))):
            inner = (left[frontier] != frontier) | (right[frontier] != frontier)
            frontier, depth = frontier[inner], depth[inner]
            frontier, depth = np.concatenate([left[frontier], right[frontier]]), np.concatenate([depth, depth])
            level[frontier], limit[frontier] = step + 1, depth
        leaf = ((left == index) & (right == index)) | (level >= limit)
        children = np.empty(2 * n, dtype=np.intp)
        children[0::2] = np.where(leaf, index, left)
        children[1::2] = np.where(leaf, index, right)
        feature = np.where(leaf, 0, self.feature).astype(np.intp)
        threshold = np.where(leaf, np.inf, self.threshold).astype(np.float64)
        missing_left = self.missing_left.astype(bool) & ~leaf
        return children, feature, threshold, missing_left, int(self.depths.max(initial=0))

    def _walk(self, X: np.ndarray) -> np.ndarray:
        """The raw scores, every row down every tree at once, a level a step: a few array
        operations per level on rows x trees nodes. Its cost grows with the rows faster than
        :meth:`_rule_out`'s, whose cost is mostly fixed (some 4,500 comparisons of a column
        each, whatever the number of rows)."""
        n, width = X.shape
        flat = np.ascontiguousarray(X, dtype=np.float64).ravel()
        nan = bool(np.isnan(flat).any())
        children, feature, threshold, missing_left, steps = self._walk_tables
        row_start = (np.arange(n, dtype=np.intp) * width)[:, None]
        nodes = np.broadcast_to(self.roots.astype(np.intp), (n, len(self.roots)))
        for _ in range(steps):
            x = flat.take(feature.take(nodes) + row_start)
            if nan:
                left = x <= threshold.take(nodes)
                left |= missing_left.take(nodes) & np.isnan(x)
                right = ~left
            else:
                right = x > threshold.take(nodes)
            nodes = children.take(2 * nodes + right)
        raw = np.full(n, self.baseline)
        for values in np.ascontiguousarray(self.value.take(nodes).T):
            raw += values
        return raw

    def _rule_out(self, X: np.ndarray) -> np.ndarray:
        """The raw scores, each tree's leaf found without walking it, as QuickScorer does: every
        split node that sends a row right rules out the leaves under its left branch (a bit mask
        of the tree's leaves, numbered from left to right), and the row's leaf is the leftmost
        one that no node ruled out. The tests are a comparison of one whole column each, the
        masks are combined in a few array operations per tree: less work than :meth:`_walk`
        for many rows, though every split node is tested.
        """
        n = X.shape[0]
        values = np.ascontiguousarray(X.T, dtype=np.float64)  # feature-major: one column per row
        nan = bool(np.isnan(values).any())
        columns = list(values)
        raw = np.full(n, self.baseline)
        tables, most_splits = self._leaf_tables
        goes_right = np.empty((most_splits, n), dtype=bool)
        for splits, left_masks, leaves in tables:
            right = goes_right[: len(splits)]
            for j, (column, threshold, missing_left) in enumerate(splits):
                x = columns[column]
                if not nan:
                    np.greater(x, threshold, out=right[j])
                else:
                    left = x <= threshold
                    if missing_left:
                        left |= np.isnan(x)
                    np.logical_not(left, out=right[j])
            ruled_out = np.bitwise_or.reduce(np.multiply(right, left_masks, dtype=left_masks.dtype), axis=0)
            first = ruled_out + 1
            first &= ~ruled_out  # the lowest bit not ruled out, a power of two: its exponent is the leaf
            raw += leaves.take((first.astype(np.float64).view(np.int64) >> 52) - 1023)
        return raw


#: Below this many rows :meth:`Trees.decision` walks the trees, from it on it rules leaves out.
#: The two took the same time at about 2,000 rows of the shipped model on the 2-core machine of
#: the README (a page has some 100 to 400); one page walked took a fifth to a third of the time.
WALK_ROWS = 1500

#: The most leaves a tree may have: :meth:`Trees.decision` numbers them as the bits of a 64-bit word.
MAX_TREE_LEAVES = 64


def _check_leaves(most: int) -> None:
    if most > MAX_TREE_LEAVES:
        raise ModelError(f"a tree of the model has {most} leaves; this classifier evaluates trees of at most {MAX_TREE_LEAVES}")


def _lay_out_tree(
    root: int, depth: int, children: list[int], feature: list[int], threshold: list[float], missing_left: list[bool], value: list[float]
) -> tuple[list[tuple[int, float, bool]], list[int], np.ndarray]:
    """One tree of :class:`Trees` as :meth:`Trees.decision` evaluates it (see ``_leaf_tables``)."""
    leaves: list[float] = []
    splits: list[tuple[int, float, bool]] = []
    masks: list[int] = []

    def visit(node: int, level: int) -> int:  # adds the leaves under node in order; returns their number
        right, left = children[2 * node], children[2 * node + 1]
        if level >= depth or (left == node and right == node):
            leaves.append(value[node])
            return 1
        first = len(leaves)
        splits.append((feature[node], threshold[node], missing_left[node]))
        masks.append(0)
        at = len(masks) - 1
        under_left = visit(left, level + 1)
        masks[at] = ((1 << under_left) - 1) << first
        return under_left + visit(right, level + 1)

    visit(root, 0)
    _check_leaves(len(leaves))
    return splits, masks, np.array(leaves, dtype=np.float64)


_TREE_ARRAYS = ("feature", "threshold", "missing_left", "children", "value", "roots", "depths")


def _row_dots(matrix: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Each row's dot product with ``coef``, worked out row by row: the same floats for a row
    whatever rows stand beside it (``matrix @ coef`` goes to BLAS, whose result for a row can
    change in the last bits with the number of rows and the row's place among them)."""
    return (matrix * coef).sum(axis=1)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True, eq=False)
class SegmentModel:
    """Labels segments ``reporting``, ``opinion`` or ``noise`` from their words, shape and context.

    The fitted model as plain arrays: the word model's and the voice model's coefficients and the
    context model's trees. It is fitted by :class:`classifier.estimator.SegmentEstimator`
    (scikit-learn) and exported to this form, so that labelling pages needs NumPy only: no
    scikit-learn import (which costs seconds at start-up) and no pickle (a saved model is an
    ``.npz`` of numbers, loaded without running code).
    """

    n_features: int
    word_coef: np.ndarray
    word_intercept: float
    trees: Trees
    voice_coef: np.ndarray  # n_features word columns, then one per _VOICE_SHAPES
    voice_intercept: float
    params: dict[str, Any]

    classes_ = np.array([label.value for label in LABELS])

    def predict_proba(self, X: PageBatch) -> np.ndarray:
        """Probabilities of (reporting, opinion, noise) for each segment of the batch."""
        if not X.texts:
            return np.zeros((0, len(LABELS)))
        words = hash_words(X.texts, self.n_features)
        score = _sigmoid(words.dot(self.word_coef) + self.word_intercept)
        context = np.hstack([X.dense, _neighbour_scores(score, X.page_ids)])
        p_noise = _sigmoid(self.trees.decision(context))
        shape = X.dense[:, _VOICE_COLUMNS].astype(np.float64)
        p_opinion = _sigmoid(words.dot(self.voice_coef[: self.n_features]) + _row_dots(shape, self.voice_coef[self.n_features :]) + self.voice_intercept)
        residue = X.dense[:, _RESIDUE_COLUMN] > 0
        # The sentences of one block are furniture or content together: the splitter cuts a block
        # into sentences where the voice may change, not where furniture starts (that it cuts off
        # as residue). So each sentence takes its block's mean noise probability.
        p_noise = _block_mean(p_noise, X.block_ids, ~residue)
        p_noise = _verse_runs(p_noise, X)
        p_noise = _main_region(p_noise, X)
        p_noise = _list_runs(p_noise, X)
        headline, above_headline = _headlines(p_noise, X)
        p_noise = np.where(above_headline, np.maximum(p_noise, OUTSIDE_REGION_NOISE), p_noise)
        p_noise = np.where(headline, np.minimum(p_noise, HEADLINE_NOISE), p_noise)
        p_opinion = np.where(headline, 0.0, p_opinion)
        # HTML residue and glued widget words are noise by definition (LABELS.md, rules 2 and 3);
        # the splitter recognised them by their form. So are photo credits standing alone (rule 4).
        # (A credit still counts in its block's mean above, "Caption. (AP Photo/…)" as one block:
        # left out of it as residue is, it changed 17 dragnet-train pages instead of 10, for F1
        # 0.8998 instead of 0.8999.)
        credits = _photo_credits(X.texts)
        # A run of captioned photos under an article is a slideshow beside it (see _galleries).
        # It is found after the main region: made noise before it, a gallery's captions without
        # a credit were left as runs of their own, and on T121 of dragnet-train they and the
        # teasers under them were kept (F1 0.55 against 0.80).
        p_noise = np.where(_galleries(credits, p_noise, X), np.maximum(p_noise, OUTSIDE_REGION_NOISE), p_noise)
        p_noise = np.where(residue | credits, np.maximum(p_noise, RESIDUE_NOISE), p_noise)
        return np.stack([(1 - p_noise) * (1 - p_opinion), (1 - p_noise) * p_opinion, p_noise], axis=1)

    def predict(self, X: PageBatch) -> np.ndarray:
        return self.classes_[decide(self.predict_proba(X))]

    def get_params(self) -> dict[str, Any]:
        """The parameters it was fitted with."""
        return dict(self.params)

    # -- the file: arrays only -------------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        t = self.trees
        return {
            "format": np.array(FORMAT),
            "feature_names": np.array(FEATURE_NAMES),
            "voice_shapes": np.array(_VOICE_SHAPES),
            "params": np.array(json.dumps(self.params, sort_keys=True)),
            "n_features": np.array(self.n_features),
            "word_coef": self.word_coef,
            "word_intercept": np.array(self.word_intercept),
            "voice_coef": self.voice_coef,
            "voice_intercept": np.array(self.voice_intercept),
            **{f"tree_{name}": getattr(t, name) for name in _TREE_ARRAYS},
            "tree_baseline": np.array(t.baseline),
        }

    @classmethod
    def from_arrays(cls, a: Any) -> SegmentModel:
        if int(a["format"]) != FORMAT:
            raise ModelError(f"model format {int(a['format'])}, but this classifier reads format {FORMAT}; retrain with 'classifier train'")
        if tuple(a["feature_names"]) != FEATURE_NAMES or tuple(a["voice_shapes"]) != _VOICE_SHAPES:
            raise ModelError("the model was fitted on other features than this classifier computes; retrain with 'classifier train'")
        trees = Trees(**{name: a[f"tree_{name}"] for name in _TREE_ARRAYS}, baseline=float(a["tree_baseline"]))
        n = int(a["n_features"])
        if a["word_coef"].shape != (n,) or a["voice_coef"].shape != (n + len(_VOICE_SHAPES),):
            raise ModelError("the model's arrays do not have the shapes its header gives")
        nodes = len(trees.feature)
        context_columns = len(FEATURE_NAMES) + 2 * SCORE_WINDOW + 2  # see _neighbour_scores
        if not (
            len(trees.threshold) == len(trees.missing_left) == len(trees.value) == nodes
            and trees.children.shape == (2 * nodes,)
            and len(trees.roots) == len(trees.depths)
            and (nodes == 0 or (0 <= trees.children.min() and trees.children.max() < nodes))
            and (len(trees.roots) == 0 or (0 <= trees.roots.min() and trees.roots.max() < nodes))
            and (nodes == 0 or (0 <= trees.feature.min() and trees.feature.max() < context_columns))
        ):
            raise ModelError("the model's trees are not consistent (node indices or features out of range)")
        return cls(n, a["word_coef"], float(a["word_intercept"]), trees, a["voice_coef"], float(a["voice_intercept"]), json.loads(str(a["params"])))

def decide(proba: np.ndarray) -> np.ndarray:
    """The label index of each row, decided as the model is built: noise or not first, then voice.

    (An argmax over the three probabilities would call a headline with P(noise) = 0.46 noise,
    because its remaining 0.54 is shared between reporting and opinion.)
    """
    noise = proba[:, 2] >= 0.5
    opinion = proba[:, 1] > proba[:, 0]
    return np.where(noise, 2, np.where(opinion, 1, 0))


# -- persistence -------------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_model_path() -> Path:
    """The shipped model: inside the installed package, or ``models/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    for folder in (here / "models", here.parent / "models"):
        if (folder / MODEL_FILE).is_file():
            return folder / MODEL_FILE
    return here.parent / "models" / MODEL_FILE


def save_model(model: SegmentModel, path: str | Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the model and its JSON card (with the file's sha256) atomically; return the card."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        # Stored, not deflated: the file is twice the size (4.5 MB) but loads in a fifth of the
        # time, which is most of what one page on the command line waits for after the imports.
        arrays: dict[str, Any] = model.to_arrays()  # (Any: the stubs' savez takes its own keywords among the arrays)
        np.savez(fh, **arrays)
    card = dict(card)
    card["sha256"] = file_sha256(tmp)
    card["format"] = FORMAT
    card["labels"] = [label.value for label in LABELS]
    card["file"] = path.name
    card_tmp = path.with_suffix(".json.tmp")
    card_tmp.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    card_tmp.replace(path.with_suffix(".json"))
    return card


_LOCK = threading.Lock()
_CACHE: dict[tuple[str, bool], SegmentModel] = {}


def load_model(path: str | Path | None = None, *, trusted: bool = False) -> SegmentModel:
    """Load a model once per process and keep it.

    Without ``path``, the project's own model is loaded, after checking its sha256 against the
    card beside it (``classifier.json``). With ``path``, the file is loaded when its own card's
    sha256 matches, or when ``trusted=True`` says the caller trusts it. A model file holds arrays
    only and is read without pickle; the check guards against a damaged or swapped file.
    """
    target = Path(path) if path is not None else default_model_path()
    key = (str(target.resolve()), trusted)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        model = _load_checked(target, own=path is None, trusted=trusted)
        _CACHE[key] = model
        return model


def read_card(path: str | Path) -> dict[str, Any]:
    card_path = Path(path).with_suffix(".json")
    try:
        return dict(json.loads(card_path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: no model card {card_path.name} beside it, so its sha256 cannot be checked; pass trusted=True (--trust-model) if you trust this file") from exc
    except (OSError, ValueError) as exc:
        raise ModelError(f"{card_path}: unreadable model card: {exc}") from exc


def _load_checked(path: Path, *, own: bool, trusted: bool) -> SegmentModel:
    if not path.is_file():
        hint = " Run 'classifier train' to build it." if own else ""
        raise ModelError(f"{path}: model file not found.{hint}")
    if not trusted:
        card = read_card(path)
        digest = file_sha256(path)
        if digest != card.get("sha256"):
            raise ModelError(f"{path}: sha256 {digest[:12]}… does not match its card ({str(card.get('sha256'))[:12]}…); refusing to load a file that may have been altered")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return SegmentModel.from_arrays(arrays)
    except ModelError as exc:
        raise ModelError(f"{path}: {exc}") from exc
    except Exception as exc:  # not an npz, a missing array, a wrong dtype: all "not a usable model"
        raise ModelError(f"{path}: not a classifier model file: {type(exc).__name__}: {exc}") from exc
