"""Labelled data: the project's own ``.page`` files and the public corpora beside the project.

* :func:`read_page` reads one ``.page`` file (format in ``data/README.md``) into the page text a
  scraper would have left and its labelled pieces;
* :func:`segment_labels` gives each segment of :func:`classifier.split` the label of the piece it
  overlaps most, so the model learns on the segments it will meet;
* :func:`gold_page_labels` derives noise / content labels for a corpus page from its gold article
  text, and :func:`read_sentences` reads the OBJ / SUBJ sentence sets.

Errors name the file and the line.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .features import normalise_for_words
from .segment import Label, Part, Segment

__all__ = [
    "Piece",
    "LabelledPage",
    "read_page",
    "read_pages",
    "segment_labels",
    "gold_page_labels",
    "gold_header",
    "read_sentences",
    "read_gold",
    "corpora_dir",
]

_CODES = {"R": Label.REPORTING, "O": Label.OPINION, "N": Label.NOISE}
_LINE = re.compile(r"^([RON])([+>]?) (.*\S.*)$")
_META = re.compile(r"^# ([a-z-]+): (.+)$")
_REQUIRED_META = ("style", "lang", "blank-lines")


@dataclass(frozen=True, slots=True)
class Piece:
    """One labelled piece of a page: offsets into the rebuilt page text, label and part."""

    start: int
    end: int
    label: Label
    part: Part


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """A page rebuilt from a ``.page`` file: its text, its labelled pieces and its metadata."""

    path: str
    text: str
    pieces: tuple[Piece, ...]
    meta: tuple[tuple[str, str], ...]

    def get(self, key: str, default: str = "") -> str:
        return dict(self.meta).get(key, default)


def read_page(path: str | Path) -> LabelledPage:
    """Read one ``.page`` file; a malformed line raises :class:`DataError` naming file and line."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    meta: dict[str, str] = {}
    chunks: list[str] = []
    pieces: list[Piece] = []
    part = Part.ARTICLE
    pos = 0
    blank_lines: bool | None = None
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = _META.match(line)
            if m and not pieces:
                meta[m.group(1)] = m.group(2).strip()
            continue
        if line.strip() == "== comments":
            if part is Part.COMMENTS:
                raise DataError(f"{path}:{n}: '== comments' stands twice")
            part = Part.COMMENTS
            continue
        m = _LINE.match(line)
        if not m:
            raise DataError(f"{path}:{n}: expected 'CODE[JOIN] TEXT' with CODE one of R, O, N and JOIN one of '', '+', '>'; got {line[:60]!r}")
        if blank_lines is None:
            missing = [k for k in _REQUIRED_META if k not in meta]
            if missing:
                raise DataError(f"{path}:{n}: the metadata lacks {', '.join(missing)} (write '# {missing[0]}: …' at the top)")
            if meta["blank-lines"] not in ("yes", "no"):
                raise DataError(f"{path}: '# blank-lines:' must be yes or no, not {meta['blank-lines']!r}")
            blank_lines = meta["blank-lines"] == "yes"
        code, join, text = m.groups()
        text = text.rstrip()
        if not pieces and join:
            raise DataError(f"{path}:{n}: the first piece cannot join a previous one ('{code}{join}')")
        sep = "" if not pieces else {"": "\n\n" if blank_lines else "\n", "+": " ", ">": ""}[join]
        chunks.append(sep)
        pos += len(sep)
        pieces.append(Piece(pos, pos + len(text), _CODES[code], part))
        chunks.append(text)
        pos += len(text)
    if not pieces:
        raise DataError(f"{path}: no labelled lines")
    return LabelledPage(str(path), "".join(chunks) + "\n", tuple(pieces), tuple(sorted(meta.items())))


def read_pages(folder: str | Path) -> list[LabelledPage]:
    """Read every ``.page`` file under a folder, in sorted order."""
    files = sorted(Path(folder).rglob("*.page"))
    if not files:
        raise DataError(f"{folder}: no .page files found")
    return [read_page(f) for f in files]


def segment_labels(segments: list[Segment], pieces: tuple[Piece, ...]) -> list[Label]:
    """The label of the piece each segment overlaps most (pieces and segments both in page order)."""
    out = []
    j = 0
    for s in segments:
        while j < len(pieces) and pieces[j].end <= s.start:
            j += 1
        best, best_overlap = Label.NOISE, 0
        k = j
        while k < len(pieces) and pieces[k].start < s.end:
            overlap = min(s.end, pieces[k].end) - max(s.start, pieces[k].start)
            if overlap > best_overlap:
                best, best_overlap = pieces[k].label, overlap
            k += 1
        out.append(best)
    return out


#: Segments of fewer words than this count as article text only when they continue a neighbour's
#: run of gold words, since short words ("World", "Share") turn up inside any article by chance.
GOLD_SHORT_WORDS = 4


def gold_page_labels(segments: list[Segment], content: str) -> list[bool]:
    """For a corpus page, whether each segment is article content, judged from the gold text.

    A segment is content when its words stand in the gold text in the same order (as a run of
    consecutive words). A short segment must also continue a neighbour's run: its words joined
    to the words of the segment before or after it must stand in the gold text too.
    """
    gold = " " + " ".join(normalise_for_words(content)) + " "
    words = [" ".join(normalise_for_words(s.text)) for s in segments]
    found = [bool(w) and f" {w} " in gold for w in words]
    out = []
    for i, w in enumerate(words):
        if not found[i] or len(w.split()) >= GOLD_SHORT_WORDS:
            out.append(found[i])
            continue
        before = i > 0 and found[i - 1] and f" {words[i - 1]} {w} " in gold
        after = i + 1 < len(words) and found[i + 1] and f" {w} {words[i + 1]} " in gold
        out.append(bool(before or after))
    return out


#: Blocks above a page's first gold sentence whose unmatched segments are left unlabelled: the
#: headline stands there, and some gold sets leave it out of the article text while LABELS.md
#: counts it as reporting.
GOLD_HEADER_BLOCKS = 6


def gold_header(segments: list[Segment], content: list[bool]) -> list[bool]:
    """Which segments stand in the header zone just above the first content segment, unmatched."""
    first = next((s.block for s, c in zip(segments, content) if c), None)
    if first is None:
        return [False] * len(segments)
    return [not c and first - GOLD_HEADER_BLOCKS <= s.block < first for s, c in zip(segments, content)]


def read_sentences(path: str | Path) -> Iterator[tuple[str, Label]]:
    """Read an OBJ / SUBJ sentence file (``.csv`` with Sentence,Label or ``.tsv`` with sentence, label)."""
    path = Path(path)
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        for n, row in enumerate(reader, 2):
            row = {k.lower(): v for k, v in row.items() if k}
            text, tag = (row.get("sentence") or "").strip(), (row.get("label") or "").strip()
            if tag not in ("OBJ", "SUBJ") or not text:
                raise DataError(f"{path}:{n}: expected a sentence labelled OBJ or SUBJ")
            yield text, Label.REPORTING if tag == "OBJ" else Label.OPINION


def read_gold(folder: str | Path) -> list[dict[str, str]]:
    """The lines of a page set's ``gold.jsonl``."""
    path = Path(folder) / "gold.jsonl"
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{n}: {exc}") from exc
    return rows


def corpora_dir() -> Path | None:
    """``../shared/corpora`` beside the project checkout (or ``$CLASSIFIER_CORPORA``), if it exists."""
    import os

    env = os.environ.get("CLASSIFIER_CORPORA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve().parent
    candidates += [here.parent.parent / "shared" / "corpora", Path.cwd().parent / "shared" / "corpora", Path.cwd() / "shared" / "corpora"]
    for c in candidates:
        if c.is_dir():
            return c
    return None
