"""The records that flow through classifier: labels, parts and segments.

A :class:`Segment` is a frozen slice of the original page (``original[start:end] == text``); a
:class:`LabelledSegment` adds the model's label and its probabilities. Neither grows attributes
after construction.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

__all__ = ["Label", "Part", "Segment", "LabelledSegment", "LABELS"]


class Label(StrEnum):
    """What a segment is, as ``LABELS.md`` defines it."""

    REPORTING = "reporting"
    OPINION = "opinion"
    NOISE = "noise"


class Part(StrEnum):
    """Where a segment stands: in the article, or in the reader-comment thread after it."""

    ARTICLE = "article"
    COMMENTS = "comments"


#: The labels in the fixed order used for probability columns and model outputs.
LABELS: tuple[Label, ...] = (Label.REPORTING, Label.OPINION, Label.NOISE)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a page: its text, its offsets in the page, its block and its part.

    ``block`` numbers the page's non-blank lines from 0; several segments share a block when the
    splitter cut a line into sentences, widget words or HTML residue. ``residue`` is true for a
    piece the splitter recognised as markup or widget text by its form alone.
    """

    text: str
    start: int
    end: int
    block: int
    part: Part
    residue: bool = False


@dataclass(frozen=True, slots=True)
class LabelledSegment:
    """A :class:`Segment` with the label the model gave it and the probability of each label."""

    segment: Segment
    label: Label
    probabilities: tuple[float, float, float]  # in the order of LABELS

    @property
    def text(self) -> str:
        return self.segment.text

    @property
    def start(self) -> int:
        return self.segment.start

    @property
    def end(self) -> int:
        return self.segment.end

    @property
    def block(self) -> int:
        return self.segment.block

    @property
    def part(self) -> Part:
        return self.segment.part

    @property
    def probability(self) -> float:
        """The probability of the chosen label."""
        return self.probabilities[LABELS.index(self.label)]


# Pages are cut into segments by the hundred thousand. Setting the slots through their descriptors
# takes half the time of the frozen dataclasses' __init__, which goes through object.__setattr__
# for each field: the splitter and the labelling make their records with these two.
# The setters are taken by name; a field added to either class must be set here too.
_new = object.__new__
if [f.name for f in fields(Segment)] != ["text", "start", "end", "block", "part", "residue"] or [f.name for f in fields(LabelledSegment)] != ["segment", "label", "probabilities"]:
    raise RuntimeError("segment.py: the fast constructors below do not set every field")
_set_text, _set_start, _set_end, _set_block, _set_part, _set_residue = (Segment.__dict__[n].__set__ for n in ("text", "start", "end", "block", "part", "residue"))
_set_segment, _set_label, _set_probabilities = (LabelledSegment.__dict__[n].__set__ for n in ("segment", "label", "probabilities"))


def _segment(text: str, start: int, end: int, block: int, part: Part, residue: bool) -> Segment:
    """``Segment(text, start, end, block, part, residue)``, made faster."""
    s = _new(Segment)
    _set_text(s, text)
    _set_start(s, start)
    _set_end(s, end)
    _set_block(s, block)
    _set_part(s, part)
    _set_residue(s, residue)
    return s


def _labelled_segment(segment: Segment, label: Label, probabilities: tuple[float, float, float]) -> LabelledSegment:
    """``LabelledSegment(segment, label, probabilities)``, made faster."""
    s = _new(LabelledSegment)
    _set_segment(s, segment)
    _set_label(s, label)
    _set_probabilities(s, probabilities)
    return s
