"""segments ─► features: what the model sees of each segment, its block, its neighbours and its page.

Two kinds of features:

* the segment's **words**, hashed (:func:`hash_words`), so no vocabulary has to be stored;
* a dense row of **shape and context** numbers (:func:`page_features`): length, punctuation,
  capitals, digits, stopword share, quotation, attribution verbs, first and second person, calls
  to action; the block's length and prose; the neighbours' shapes; where the segment stands on the
  page relative to the page's main run of prose and to the comment thread.

Shape and context carry across sites and languages; the words add what a site's vocabulary says.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

import numpy as np

from .lexicon import ATTRIBUTION, CALL_TO_ACTION, FIRST_PERSON, FURNITURE, SECOND_PERSON, STOPWORDS, SUBJECTIVE
from .segment import Part, Segment
from .thread import HEADLINE_MIN_CHARS, HEADLINE_TITLE_SHARE, main_run

__all__ = ["page_features", "pages_features", "hash_words", "HashedWords", "FEATURE_NAMES", "normalise_for_words"]

_WORD = re.compile(r"\w+(?:['’]\w+)?")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_QUOTE = re.compile(r"[\"“”«»„]|(?:^|\s)['‘’]")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b|@\w|\w@\w")
# Each match of _SEPARATOR holds one of these characters (a cheap test before the pattern runs).
_SEPARATOR = re.compile(r"[|»›•·]|\s[-–—/]\s")
_SEPARATOR_CHAR = re.compile(r"[|»›•·\-–—/]")
# _DATE_TIME and _COUNTER begin with a look-ahead at what each of their matches begins with (a
# digit or a month's first letter; a digit or "("): the same matches, found faster.
_DATE_TIME = re.compile(
    r"(?=[\djfmasond])(?:"
    r"\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b"
    r")",
    re.IGNORECASE,
)
_COUNTER = re.compile(
    r"(?=[(\d])(?:"
    r"^\(?\d[\d,.]*[km]?\)?\s*\w*$|\b\d+\s+of\s+\d+\b|^\d+\s+(?:comments?|likes?|shares?|views?|replies|notes?|points?)\b"
    r")",
    re.IGNORECASE,
)
_SENTENCE_END = frozenset(".!?\"”’»)…")

#: Blocks on either side whose shape each segment sees.
NEIGHBOUR_WINDOW = 3
#: Blocks between two prose blocks that still leave them in one run of prose (captions, subheads).
PROSE_RUN_GAP = 3
#: Words a block needs to count as prose (with sentence punctuation at its end).
PROSE_WORDS = 10

_OWN = [
    "log_chars",
    "log_words",
    "ends_sentence",
    "ends_colon",
    "starts_upper",
    "title_share",
    "all_caps",
    "digit_share",
    "punct_share",
    "stopword_share",
    "quote",
    "attribution",
    "first_person",
    "second_person",
    "question",
    "exclamation",
    "url",
    "separators",
    "residue",
    "date_time",
    "counter",
    "call_to_action",
    "furniture_share",
    "mean_word_len",
    "subjective_share",
    "subjective_count",
    "superlative_share",
]
_BLOCK = [
    "block_log_chars",
    "block_log_words",
    "block_prose",
    "block_segments",
    "index_in_block",
    "in_comments",
    "page_position",
    "prose_before_share",
    "in_main_run",
    "before_main_run",
    "after_main_run",
    "blocks_to_main_run",
    "local_prose_density",
    "repeated_on_page",
    "in_title_line",
    "blocks_to_comments",
    "page_log_blocks",
    "first_block",
]
_NEIGHBOUR = [f"{name}_{d:+d}" for d in range(-NEIGHBOUR_WINDOW, NEIGHBOUR_WINDOW + 1) if d for name in ("log_words", "prose", "ends_sentence", "furniture")]

#: The names of the dense feature columns, in order.
FEATURE_NAMES: tuple[str, ...] = tuple(_OWN + _BLOCK + _NEIGHBOUR)
_RESIDUE_AT = _OWN.index("residue")
_LOG_WORDS_AT, _ENDS_SENTENCE_AT, _FURNITURE_AT = (_OWN.index(n) for n in ("log_words", "ends_sentence", "furniture_share"))


def normalise_for_words(text: str) -> list[str]:
    """The lowercased words of a text, as the features and the training alignment see them."""
    return _WORD.findall(text.lower())


# Each lexicon word's membership as one bit mask, so a segment's words are looked up once.
_STOP, _ATTR, _FIRST, _SECOND, _FURN, _SUBJ = 1, 2, 4, 8, 16, 32
_LEXICON: dict[str, int] = {}
for _bit, _words in ((_STOP, STOPWORDS), (_ATTR, ATTRIBUTION), (_FIRST, FIRST_PERSON), (_SECOND, SECOND_PERSON), (_FURN, FURNITURE), (_SUBJ, SUBJECTIVE)):
    for _w in _words:
        _LEXICON[_w] = _LEXICON.get(_w, 0) | _bit
_SUPERLATIVES = frozenset({"most", "least"})
#: Distinct segment texts whose shape is remembered: furniture repeats within and across pages.
#: (With the word hashes cached beside it, an entry held about 1.5 KB: at 1 << 16 entries a
#: one-process run of dragnet-train peaked at 210 MB, at 1 << 13 at 113 MB, in the same time.)
SHAPE_CACHE_SIZE = 1 << 13


# Each lexicon word's memberships packed into one integer, a 64-bit field per list (no text has
# 2**64 words), so that one C-level sum over a text's words counts all six lists at once, and one
# struct call reads the six counts out of it (faster than shifting and masking six times).
_PACKED = {w: sum(1 << (64 * k) for k, bit in enumerate((_STOP, _ATTR, _FIRST, _SECOND, _FURN, _SUBJ)) if m & bit) for w, m in _LEXICON.items()}
_LEXICON_COUNTS = struct.Struct("<6Q")

# ASCII text without an apostrophe (most segments) is measured without the regular expressions,
# which cost more per character than all the rest: its bytes are translated into classes of
# character, and counted and split at C speed. The classes are taken from the patterns
# themselves, character by character, so both ways give the same numbers.
_ASCII = [chr(i) for i in range(128)]
_ASCII_WORD = frozenset(c for c in _ASCII if _WORD.fullmatch(c))


def _byte_table(classify: Callable[[str], str]) -> bytes:
    return "".join(map(classify, _ASCII)).encode("ascii") + bytes(128)


#: Word characters lowercased, the others to spaces: split() then gives the lowercased words.
_LOWER_WORDS = _byte_table(lambda c: c.lower() if c in _ASCII_WORD else " ")
#: Each character's class: " " white space, "." punctuation (_PUNCT), "0" a digit (_DIGIT),
#: "A" a capital, "a" another word character.
_CLASSES = _byte_table(lambda c: " " if c.isspace() else "." if _PUNCT.fullmatch(c) else "0" if _DIGIT.fullmatch(c) else "A" if c.isupper() else "a")


# Most other texts are ASCII but for a few punctuation marks: with an ASCII punctuation mark
# standing in for each, such a text is measured the quick way too. "’" joins words as "'" does
# (_WORD), so it stands in as "\x01", which the words then give back; a text that holds "\x01"
# itself is left to the patterns. Checked below: each stand-in is of its mark's class in every
# pattern, and lowercasing leaves the marks as they are.
_CURLY_APOSTROPHE = "\x01"
_STAND_INS = (("’", _CURLY_APOSTROPHE), *((mark, "?") for mark in "“”—–…»►‘©•«·£´″′®™€"))
for _mark, _stand_in in _STAND_INS:
    if _mark.lower() != _mark or any(bool(p.search(_mark)) != bool(p.search(_stand_in)) for p in (_DIGIT, _PUNCT, re.compile(r"\w|\s"))):
        raise RuntimeError(f"features.py: {_stand_in!r} does not stand in for {_mark!r}")
#: _WORD on the ASCII bytes of a text, "\x01" standing in for "’".
_BYTES_WORD = re.compile(rb"\w+(?:['\x01]\w+)?")
#: Word characters and apostrophes kept, the others to spaces: split() then gives runs that hold
#: the words, each run without an apostrophe one word.
_WORDS_AND_APOSTROPHES = _byte_table(lambda c: c if c in _ASCII_WORD or c in ("'", _CURLY_APOSTROPHE) else " ")


def _ascii_stand_in(text: str) -> bytes | None:
    """The text as ASCII bytes, stand-ins for the punctuation marks of _STAND_INS; None where it
    holds another non-ASCII character, or "\x01"."""
    if text.isascii():
        return None if _CURLY_APOSTROPHE in text else text.encode("ascii")
    if _CURLY_APOSTROPHE in text:
        return None
    for mark, stand_in in _STAND_INS:
        if mark in text:
            text = text.replace(mark, stand_in)
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return None


def _words_and_counts(text: str) -> tuple[list[str], str, int, int, int, int, int]:
    """A text's lowercased words (_WORD), a lowercased text that holds them, and its counts of
    words, of words with a capital first letter, of word characters, of digits and of punctuation."""
    if text.isascii() and "'" not in text:
        raw: bytes | None = text.encode("ascii")
        apostrophes = False
    else:
        raw = _ascii_stand_in(text)
        apostrophes = "'" in text or "’" in text
    if raw is None:
        return _words_and_counts_by_pattern(text)
    classes = raw.translate(_CLASSES)
    punct = classes.count(b".")
    if not apostrophes:
        low = raw.translate(_LOWER_WORDS).decode("ascii")
        lower = low.split()
        return (
            lower,
            low,
            len(lower),  # (on one character, _WORD is \w: the words are the runs of word characters)
            classes.count(b" A") + classes.count(b".A") + classes.startswith(b"A"),  # after a non-word character
            len(raw) - classes.count(b" ") - punct,
            classes.count(b"0"),
            punct,
        )
    # With apostrophes: a run of word characters and apostrophes without one is a word, the few
    # others are left to the pattern (a match of _WORD stands inside one run).
    words: list[bytes] = []
    for run in raw.translate(_WORDS_AND_APOSTROPHES).split():
        if run.isalnum():
            words.append(run)
        else:
            words += _BYTES_WORD.findall(run)
    joined = b" ".join(words)
    starts = joined.translate(_CLASSES)
    low = joined.lower().decode("ascii").replace(_CURLY_APOSTROPHE, "’")
    return (
        low.split(" ") if words else [],
        low,
        len(words),
        starts.count(b" A") + starts.startswith(b"A"),  # (a capital after an apostrophe starts no word)
        len(joined) - len(words) + 1 if words else 0,
        classes.count(b"0"),
        punct,
    )


def _words_and_counts_by_pattern(text: str) -> tuple[list[str], str, int, int, int, int, int]:
    """What :func:`_words_and_counts` gives, by the patterns alone: for any text, and the
    reference its quicker ways are tested against."""
    words = _WORD.findall(text)
    low = text.lower()
    return (
        _WORD.findall(low),
        low,
        len(words),
        sum(map(str.isupper, [w[0] for w in words])),
        sum(map(len, words)),
        len(_DIGIT.findall(text)),
        len(_PUNCT.findall(text)),
    )


#: A text's shape row as float32 bytes (struct rounds each number as NumPy's float32 cast does):
#: the rows of a page are then joined and read as one array, and a cached row takes less memory.
_SHAPE_ROW = struct.Struct(f"{len(_OWN)}f")


@lru_cache(maxsize=SHAPE_CACHE_SIZE)
def _text_shape(text: str) -> bytes:
    lower, low, n_words, capitals, word_chars, digits, punct = _words_and_counts(text)
    n = n_words or 1
    lexicon = sum(map(_PACKED.get, lower, repeat(0)))
    stop, attr, first, second, furn, subjective = _LEXICON_COUNTS.unpack(lexicon.to_bytes(_LEXICON_COUNTS.size, "little"))
    nchar = len(text) or 1
    last = text[-1:]
    # The patterns run only where the cheap tests written out (faster than any()) leave a chance.
    quote = '"' in text or "“" in text or "”" in text or "«" in text or "»" in text or "„" in text  # _QUOTE finds these anywhere
    if not quote and ("'" in text or "‘" in text or "’" in text):
        quote = bool(_QUOTE.search(text))
    # (_URL is looked for only where there is a "." or an "@", so a bare "http://x" is no URL)
    url = "@" in text or ("." in text and ("://" in text or "www." in text or ".com" in text or ".org" in text or ".net" in text or ".htm" in text))
    url = url and bool(_URL.search(text))
    # (in printable ASCII text the only white space is " ", and the only separator characters
    # "|", "-" and "/": three substring tests instead of a search)
    may_separate = ("|" in text or " -" in text or " /" in text) if text.isascii() and text.isprintable() else bool(_SEPARATOR_CHAR.search(text))
    separators = len(_SEPARATOR.findall(text)) if may_separate else 0
    return _SHAPE_ROW.pack(
        math.log1p(len(text)),
        math.log1p(n_words),
        float(last in _SENTENCE_END),
        float(last == ":"),
        float(text[:1].isupper()),
        capitals / n,
        float(text.isupper()),
        digits / nchar,
        punct / nchar,
        stop / n,
        float(quote),
        float(attr > 0),
        first / n,
        second / n,
        float("?" in text),
        float("!" in text),
        float(url),
        float(separators),
        0.0,  # residue: the segment's, set by page_features
        float(digits > 0 and bool(_DATE_TIME.search(text))),  # every date or time pattern has a digit
        # and so has every counter, which starts with a digit or "(", or holds "of"
        float(digits > 0 and (text[:1] == "(" or bool(_DIGIT.match(text)) or "of" in low) and bool(_COUNTER.search(text))),
        float(bool(lower) and lower[0] in CALL_TO_ACTION),
        furn / n,
        word_chars / n,
        subjective / n,
        min(subjective, 4) / 4,
        (sum(1 for w in lower if w in _SUPERLATIVES or (len(w) > 5 and w.endswith("est"))) if "est" in low or "most" in low or "least" in low else 0) / n,
    )


def page_features(segments: list[Segment]) -> np.ndarray:
    """The dense feature rows (one per segment, columns :data:`FEATURE_NAMES`) of one page."""
    return pages_features([segments])[0]


def _window_counts(flags: np.ndarray, page_of: np.ndarray, local: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Each block's count of flagged blocks of its page in the window ``np.convolve(page_flags,
    ones(2 * NEIGHBOUR_WINDOW + 1), "same")`` gives it. That window is centred on pages of at
    least the kernel's length; on a shorter page the kernel is the longer array, and the window
    of block ``j`` ends ``(blocks - 1) // 2`` blocks after it."""
    width = 2 * NEIGHBOUR_WINDOW + 1
    n = sizes[page_of]
    after = np.where(n >= width, NEIGHBOUR_WINDOW, (n - 1) // 2)
    page_start = np.cumsum(sizes) - sizes
    before_each = np.concatenate([[0], np.cumsum(flags)])  # flagged blocks before each block, over the batch
    lo = np.clip(local + after - width + 1, 0, n) + page_start[page_of]
    hi = np.clip(local + after + 1, 0, n) + page_start[page_of]
    return before_each[hi] - before_each[lo]


def pages_features(pages: Sequence[list[Segment]]) -> tuple[np.ndarray, np.ndarray]:
    """The dense feature rows of several pages, one page after another: the rows
    :func:`page_features` gives each page, its NumPy work done once for all of them. Also each
    row's block, numbered across the pages (a page's blocks after those of the pages before it)."""
    segments = [s for page in pages for s in page]
    if not segments:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32), np.zeros(0, dtype=np.int64)
    texts = [s.text for s in segments]
    own = np.frombuffer(b"".join(map(_text_shape, texts)), dtype=np.float32).reshape(len(texts), len(_OWN)).copy()
    own[:, _RESIDUE_AT] = [s.residue for s in segments]

    # Blocks: numbered across the pages; each block's extent rebuilt from its segments, summing in
    # the segments' order (so each sum is the one its page alone gives).
    sizes_list = [page[-1].block + 1 if page else 0 for page in pages]
    sizes = np.array(sizes_list, dtype=np.int64)
    block_offset = np.cumsum(sizes) - sizes
    nblocks = int(sizes.sum())
    page_of = np.repeat(np.arange(len(pages)), sizes)  # each block's page
    idx = np.arange(nblocks) - block_offset[page_of]  # each block's index on its page
    seg_blocks = np.fromiter((s.block for s in segments), dtype=np.int64, count=len(segments)) + np.repeat(block_offset, [len(page) for page in pages])
    words = list(map(math.expm1, own[:, _LOG_WORDS_AT].tolist()))  # each segment's word count, as its row holds it
    block_nseg = np.bincount(seg_blocks, minlength=nblocks).astype(np.float64)
    block_chars = np.bincount(seg_blocks, weights=list(map(len, texts)), minlength=nblocks)
    block_words = np.bincount(seg_blocks, weights=words, minlength=nblocks)
    block_furn = np.bincount(seg_blocks, weights=own[:, _FURNITURE_AT] * np.array(words, dtype=np.float32), minlength=nblocks)  # (products in float32)
    block_ends = np.zeros(nblocks)
    blocks, last_of_block = np.unique(seg_blocks[::-1], return_index=True)  # each block's last segment ends it
    block_ends[blocks] = own[len(segments) - 1 - last_of_block, _ENDS_SENTENCE_AT]
    # each block's text: its segments (consecutive) joined by spaces; "" for a block without any
    first_of_block = np.concatenate([[0], np.flatnonzero(np.diff(seg_blocks)) + 1])
    joined = [""] * nblocks
    for b, a, e in zip(seg_blocks[first_of_block].tolist(), first_of_block.tolist(), np.append(first_of_block[1:], len(segments)).tolist()):
        joined[b] = texts[a] if e - a == 1 else " ".join(texts[a:e])
    present = block_nseg > 0
    prose = np.where(present & (block_words >= PROSE_WORDS) & (block_ends > 0), block_words, 0.0)
    furn_share = np.divide(block_furn, block_words, out=np.zeros(nblocks), where=block_words > 0)
    is_prose = (prose > 0).astype(float)
    density = _window_counts(is_prose, page_of, idx, sizes) / (2 * NEIGHBOUR_WINDOW + 1)
    lows = list(map(str.lower, joined))

    # What each page decides as a whole, given to each of its blocks.
    prose_list = prose.tolist()
    prose_before = np.zeros(nblocks)
    first = np.empty(len(pages), dtype=np.int64)
    last = np.empty(len(pages), dtype=np.int64)
    comment_start = np.empty(len(pages), dtype=np.int64)
    top = np.empty(len(pages), dtype=np.int64)
    repeated = np.zeros(nblocks)
    in_title = np.zeros(nblocks)
    for p, page in enumerate(pages):
        if not page:
            first[p] = last[p] = comment_start[p] = top[p] = 0
            continue
        a, n = int(block_offset[p]), sizes_list[p]
        first[p], last[p] = main_run([int(w) for w in prose_list[a : a + n]], PROSE_RUN_GAP)
        page_prose = prose[a : a + n]
        prose_before[a : a + n] = np.concatenate([[0.0], np.cumsum(page_prose)[:-1]]) / (page_prose.sum() or 1.0)
        page_lows = lows[a : a + n]
        counts = Counter(page_lows)
        counts.pop("", None)  # (blocks without segments repeat nothing)
        top[p] = head = page[0].block
        title = page_lows[head]
        title_share = HEADLINE_TITLE_SHARE * len(title)
        comment_start[p] = next((s.block for s in page if s.part is Part.COMMENTS), n)
        repeated[a : a + n] = [counts.get(low, 0) > 1 for low in page_lows]
        in_title[a : a + n] = [
            b > head and len(low) > HEADLINE_MIN_CHARS and ((low in title and len(low) >= title_share) or title in low) for b, low in enumerate(page_lows)
        ]

    log_words = np.log1p(block_words)
    # each block's neighbours at distance d on its page (zeros where there is no such block)
    near = np.stack([log_words, is_prose, block_ends, furn_share], axis=1)
    neighbours = np.zeros((nblocks, 4 * 2 * NEIGHBOUR_WINDOW))
    column = 0
    for d in range(-NEIGHBOUR_WINDOW, NEIGHBOUR_WINDOW + 1):
        if d:
            lo, hi = max(0, -d), min(nblocks, nblocks - d)
            if lo < hi:
                same = page_of[lo + d : hi + d] == page_of[lo:hi]
                neighbours[lo:hi, column : column + 4] = np.where(same[:, None], near[lo + d : hi + d], 0.0)
            column += 4

    first_b, last_b, size_b = first[page_of], last[page_of], sizes[page_of]
    found = first_b >= 0
    in_main = found & (idx >= first_b) & (idx <= last_b)
    to_main = np.where(found, np.where(idx < first_b, first_b - idx, np.where(idx > last_b, idx - last_b, 0)), size_b)
    to_comments = comment_start[page_of] - idx
    per_block = np.stack(
        [
            np.log1p(block_chars),
            log_words,
            is_prose,
            block_nseg,
            np.zeros(nblocks),  # index_in_block: the segment's, below
            np.zeros(nblocks),  # in_comments: the segment's, below
            idx / np.maximum(size_b - 1, 1),
            prose_before,
            in_main.astype(float),
            found & (idx < first_b),
            found & (idx > last_b),
            np.log1p(to_main),
            density,
            repeated,
            in_title,
            np.copysign(np.log1p(np.abs(to_comments)), to_comments),
            np.repeat([math.log1p(n) for n in sizes_list], sizes),
            (idx == top[page_of]).astype(float),
        ],
        axis=1,
    )
    block_rows = per_block[seg_blocks]
    # the segment's place in its block and its part
    run_start = np.repeat(first_of_block, np.diff(np.append(first_of_block, len(segments))))
    block_rows[:, 4] = (np.arange(len(segments)) - run_start) / block_nseg[seg_blocks]
    block_rows[:, 5] = [s.part is Part.COMMENTS for s in segments]
    block_rows = block_rows.astype(np.float32)
    return np.hstack([own, block_rows, neighbours[seg_blocks].astype(np.float32)]), seg_blocks


_TOKEN = re.compile(r"\b\w+\b")


@dataclass(frozen=True)
class HashedWords:
    """Hashed word counts of ``n_rows`` texts as sparse triplets: row ``rows[k]`` has value
    ``values[k]`` in column ``cols[k]``. Plain arrays, so that cleaning needs no sparse-matrix
    library; :meth:`to_csr` gives SciPy's matrix for fitting."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    n_rows: int
    n_features: int

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """Each row's dot product with ``coef`` (length ``n_features``)."""
        return np.bincount(self.rows, weights=coef[self.cols] * self.values, minlength=self.n_rows)

    def to_csr(self):  # type: ignore[no-untyped-def]
        import scipy.sparse as sp

        return sp.csr_matrix((self.values, (self.rows, self.cols)), shape=(self.n_rows, self.n_features))


# CRC-32 of a bigram from its words' CRC-32s. CRC-32 is linear: crc32(x + y) is crc32(x) carried
# over len(y) bytes, xor crc32(y) (zlib's crc32_combine), and carrying over k bytes is a linear map
# of the 32 bits, tabled here by byte (4 x 256 entries). So each word is hashed once, and each
# bigram "a b" costs a few NumPy look-ups instead of building its string and hashing it.
_BYTE_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1  # the 8 bits of each byte value
_CRC_SPACE = np.uint32(zlib.crc32(b" "))
#: Carry tables are kept for up to this many bytes, all in one array; longer words are rare.
_CARRY_KEPT = 64
_CARRY: list[np.ndarray] = []


def _carry_table(k: int) -> np.ndarray:
    """(4, 256) uint32: ``table[j, b]`` is the CRC-32 ``b << 8j`` carried over ``k`` bytes."""
    zeros = bytes(k)
    none = zlib.crc32(zeros)
    images = np.array([zlib.crc32(zeros, 1 << i) ^ none for i in range(32)], dtype=np.uint32)
    return np.stack([np.bitwise_xor.reduce(np.where(_BYTE_BITS, images[8 * j : 8 * j + 8], 0), axis=1) for j in range(4)]).astype(np.uint32)


def _carry(crc: np.ndarray, nbytes: np.ndarray) -> np.ndarray:
    """Each CRC-32 of ``crc`` carried over its ``nbytes`` bytes."""
    if not _CARRY:
        _CARRY.append(np.stack([_carry_table(k) for k in range(_CARRY_KEPT)]).reshape(-1))  # [k, j, byte]
    tables = _CARRY[0]
    kept = nbytes < _CARRY_KEPT
    base = np.where(kept, nbytes, 0) * 1024
    out = tables[base + (crc & 255)]
    for j in range(1, 4):
        out ^= tables[base + 256 * j + ((crc >> (8 * j)) & 255)]
    for k in np.unique(nbytes[~kept]):
        at = np.flatnonzero(nbytes == k)
        table = _carry_table(int(k))
        out[at] = table[0, crc[at] & 255] ^ table[1, (crc[at] >> 8) & 255] ^ table[2, (crc[at] >> 16) & 255] ^ table[3, crc[at] >> 24]
    return out


def _gram_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The CRC-32 of every lowercased word unigram and bigram of each text: (unigram hashes,
    bigram hashes, each text's unigram count, its bigram count), the texts one after another."""
    # each text's lowercased words as UTF-8, ASCII text (or text with stand-ins, see
    # _words_and_counts) the quick way, and an empty mark after them
    encoded: list[bytes] = []
    marks = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        raw = text.encode("ascii") if text.isascii() else _ascii_stand_in(text)
        encoded += raw.translate(_LOWER_WORDS).split() if raw is not None else [w.encode() for w in _TOKEN.findall(text.lower())]
        marks[i] = len(encoded)
        encoded.append(b"")
    crc = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=len(encoded))
    nbytes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    word = np.ones(len(encoded), dtype=bool)
    word[marks] = False
    pair = word[:-1] & word[1:]  # a bigram wherever two words of one text stand together
    with_space = _carry(crc[:-1][pair], np.ones(int(pair.sum()), dtype=np.int64)) ^ _CRC_SPACE  # crc32(a + " ")
    bi = _carry(with_space, nbytes[1:][pair]) ^ crc[1:][pair]  # crc32(a + " " + b)
    n_uni = np.diff(marks, prepend=-1) - 1
    return crc[word], bi, n_uni, np.maximum(n_uni - 1, 0)


def _slices(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices of the slices [start, start + length), one after another."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1] if len(ends) else 0)


def hash_words(texts: Sequence[str], n_features: int = 2**18) -> HashedWords:
    """The hashed words of each text: lowercased word unigrams and bigrams, each counted in
    column ``crc32(gram) mod n_features``, each row's counts l2-normalised.

    ``n_features`` is a power of two. CRC-32 is in the standard library and gives the same column
    on every machine and Python version.
    """
    if n_features <= 0 or n_features & (n_features - 1):
        raise ValueError(f"n_features must be a power of two, not {n_features}")
    # Each distinct text is tokenised and hashed once (furniture repeats), then its grams are
    # given to every row with that text.
    distinct: dict[str, int] = {}
    which = np.fromiter((distinct.setdefault(t, len(distinct)) for t in texts), dtype=np.int64, count=len(texts))
    uni, bi, n_uni, n_bi = _gram_hashes(list(distinct))
    uni_start, bi_start = np.cumsum(n_uni) - n_uni, np.cumsum(n_bi) - n_bi
    row_ids = np.arange(len(texts), dtype=np.int64)
    rows = np.concatenate([np.repeat(row_ids, n_uni[which]), np.repeat(row_ids, n_bi[which])])
    hashes = np.concatenate([uni[_slices(uni_start[which], n_uni[which])], bi[_slices(bi_start[which], n_bi[which])]])
    cols = hashes.astype(np.int64) & (n_features - 1)
    # Sum repeated grams of a row: sort by (row, column) and count.
    keys, counts = np.unique(rows * n_features + cols, return_counts=True)
    r, c = keys // n_features, keys % n_features
    values = counts.astype(np.float64)
    norm = np.sqrt(np.bincount(r, weights=values * values, minlength=len(texts)))
    return HashedWords(r, c, values / norm[r] if len(r) else values, len(texts), n_features)
