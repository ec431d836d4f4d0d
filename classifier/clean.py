"""labels ─► cleaned text: the front door of classifier.

:func:`clean` keeps the article's reporting and opinion in reading order (:func:`clean_pages`
does it for many pages at once); :func:`label` gives
every segment its label and probabilities; :func:`label_frame` lays many pages out as one table,
and :func:`label_partition` does the same for each partition of a dask DataFrame of pages.
What to keep is one immutable :class:`CleanConfig`, overridable by keyword.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import PageBatch, SegmentModel, decide, load_model
from .segment import LABELS, Label, LabelledSegment, Part, Segment, _labelled_segment
from .split import _check_text, split

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CleanConfig", "clean", "clean_pages", "label", "label_pages", "label_split", "segment_row", "label_frame", "label_partition", "label_frame_meta", "select", "repeated_passages", "DEFAULT_KEEP"]

#: What :func:`clean` keeps by default: the article's content, not its furniture.
DEFAULT_KEEP: frozenset[Label] = frozenset({Label.REPORTING, Label.OPINION})


def _labels(keep: Iterable[Label | str] | Label | str) -> frozenset[Label]:
    if isinstance(keep, (str, Label)):
        keep = [keep]
    out = set()
    for k in keep:
        try:
            out.add(Label(k))
        except ValueError:
            raise InputError(f"unknown label {k!r}: choose from {', '.join(label.value for label in LABELS)}") from None
    return frozenset(out)


@dataclass(frozen=True)
class CleanConfig:
    """What :func:`clean` keeps.

    keep
        The labels to keep (default: reporting and opinion).
    comments
        Keep the reader-comment thread too (default: the article only).
    separator
        What stands between kept blocks in the output.
    repeats
        Keep a passage as often as the page shows it (default: once; see :func:`repeated_passages`).
    """

    keep: frozenset[Label] = DEFAULT_KEEP
    comments: bool = False
    separator: str = "\n"
    repeats: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", _labels(self.keep))
        if not self.keep:
            raise InputError("keep names no label: nothing would be kept")


#: Pages :func:`label_pages` and :func:`clean_pages` put through the model in one pass: enough to
#: share its fixed costs, few enough to keep the arrays small.
PAGES_PER_PASS = 32


def label_pages(texts: Iterable[str], *, model: SegmentModel | None = None) -> list[list[LabelledSegment]]:
    """Label several pages, :data:`PAGES_PER_PASS` at a time through the model (faster than one
    page at a time, and a long list never builds one huge batch). A page gets the same labels and
    probabilities whatever pages go with it."""
    pages = _page_list(texts, "label_pages", "for one page, call label(text)")
    return [page for _, labelled in _passes(pages, model) for page in labelled]


def _page_list(texts: Iterable[str], name: str, one_page: str) -> list[str]:
    """The pages as a list, each checked before any is labelled; a bare string (one page, which
    would otherwise be taken a character a page) is refused with ``one_page`` as the hint."""
    if isinstance(texts, (str, bytes)):
        raise InputError(f"{name} takes a list of pages; {one_page}")
    pages = list(texts)
    for i, text in enumerate(pages):
        try:
            _check_text(text)
        except InputError as exc:
            raise InputError(f"page {i}: {exc}") from None
    return pages


def _passes(texts: list[str], model: SegmentModel | None) -> Iterator[tuple[list[str], list[list[LabelledSegment]]]]:
    """The pages :data:`PAGES_PER_PASS` at a time, each group with its labelled segments."""
    model = model or load_model()
    for start in range(0, len(texts), PAGES_PER_PASS):
        chunk = texts[start : start + PAGES_PER_PASS]
        yield chunk, label_split([split(t) for t in chunk], model)


def label_split(pages: list[list[Segment]], model: SegmentModel | None) -> list[list[LabelledSegment]]:
    """Label pages already cut by :func:`~classifier.split.split`, in one pass through the model."""
    model = model or load_model()
    batch = PageBatch.from_pages(pages)
    proba = model.predict_proba(batch)
    # each row's label and probabilities as Python objects, converted at once (indexing the
    # arrays row by row costs more than the labelling's own Python work)
    labels = [LABELS[i] for i in decide(proba).tolist()]
    probabilities = list(map(tuple, proba.tolist()))
    out: list[list[LabelledSegment]] = []
    row = 0
    for page in pages:
        out.append(list(map(_labelled_segment, page, labels[row : row + len(page)], probabilities[row : row + len(page)])))
        row += len(page)
    return out


def label(text: str, *, model: SegmentModel | None = None) -> list[LabelledSegment]:
    """Split a page and label every segment, with the probability of each label.

    >>> page = "Home | News\\nRiver levels rose two metres overnight, the agency said. Roads were closed.\\nShare"
    >>> [(s.text, s.label.value) for s in label(page)]
    [('Home | News', 'noise'), ('River levels rose two metres overnight, the agency said.', 'reporting'), ('Roads were closed.', 'reporting'), ('Share', 'noise')]
    """
    _check_text(text)
    return label_pages([text], model=model)[0]


def _wanted(s: LabelledSegment, config: CleanConfig) -> bool:
    """Whether ``config`` keeps the segment: one of its labels, in a part it keeps."""
    return s.label in config.keep and (s.part is not Part.COMMENTS or config.comments)


#: A kept segment shorter than this (in characters) may stand twice: "Read more", a name.
REPEAT_MIN_CHARS = 40


def repeated_passages(segments: Sequence[LabelledSegment], config: CleanConfig) -> set[int]:
    """The indices of the segments ``config`` keeps that copy a passage kept further up the page:
    two or more kept in a row, each of at least REPEAT_MIN_CHARS characters and each the same text
    as a kept segment above it. Some scraped pages show their article twice (a preview and the article,
    a print copy under it, a tab of the page scraped with the rest); :func:`select` gives it once.
    One repeated sentence alone (a pull quote, a subhead listed in a table of contents above) stays.

    >>> from classifier.segment import LabelledSegment, Segment
    >>> lead = "The council closed the old harbour pier on Monday."
    >>> more = "Repairs are expected to take two weeks, a spokesman said."
    >>> page = [LabelledSegment(Segment(t, 0, len(t), b, Part.ARTICLE), Label.REPORTING, (1.0, 0.0, 0.0)) for b, t in enumerate([lead, more, lead, more])]
    >>> sorted(repeated_passages(page, CleanConfig()))
    [2, 3]
    """
    kept = [n for n, s in enumerate(segments) if _wanted(s, config)]
    seen: set[str] = set()
    copy = []
    for n in kept:
        text = segments[n].text
        copy.append(len(text) >= REPEAT_MIN_CHARS and text in seen)
        seen.add(text)
    return {n for k, n in enumerate(kept) if copy[k] and ((k > 0 and copy[k - 1]) or (k + 1 < len(kept) and copy[k + 1]))}


def select(segments: Sequence[LabelledSegment], config: CleanConfig, text: str) -> str:
    """Join the kept segments: original spacing inside a block, ``config.separator`` between blocks."""
    parts: list[str] = []
    last: LabelledSegment | None = None  # the last segment kept
    adjacent = False  # whether the segment just before this one was kept
    copies = set() if config.repeats else repeated_passages(segments, config)
    for n, s in enumerate(segments):
        if not _wanted(s, config) or n in copies:
            adjacent = False
            continue
        if last is not None:
            if last.block != s.block:
                parts.append(config.separator)
            else:
                parts.append(text[last.end : s.start] if adjacent else " ")
        parts.append(s.text)
        last, adjacent = s, True
    return "".join(parts)


def clean(
    text: str,
    *,
    keep: Iterable[Label | str] | Label | str | None = None,
    comments: bool | None = None,
    config: CleanConfig | None = None,
    model: SegmentModel | None = None,
) -> str:
    """Return the article's text without site furniture or reader comments.

    By default the article's ``reporting`` and ``opinion`` segments are kept, in reading order,
    one block per line. ``keep`` chooses other labels (``keep="reporting"`` for reporting only);
    ``comments=True`` keeps the reader-comment thread as well.

    >>> page = (
    ...     "Home | World | Business | Sport\\n"
    ...     "The port authority closed the harbour on Monday after waves damaged the outer pier, "
    ...     "a spokesman said. Repairs are expected to take two weeks.\\n"
    ...     "Fishing boats were moved to the marina at Kellby, where the council opened four temporary berths.\\n"
    ...     "Share on Facebook\\n"
    ...     "2 comments\\n"
    ...     "harbourwatcher\\n"
    ...     "3 hours ago\\n"
    ...     "Typical. The council was warned about that pier years ago and did nothing about it.\\n"
    ...     "Reply\\n"
    ... )
    >>> print(clean(page))
    The port authority closed the harbour on Monday after waves damaged the outer pier, a spokesman said. Repairs are expected to take two weeks.
    Fishing boats were moved to the marina at Kellby, where the council opened four temporary berths.
    >>> print(clean(page, comments=True).splitlines()[-1])
    Typical. The council was warned about that pier years ago and did nothing about it.
    >>> clean(b"bytes")
    Traceback (most recent call last):
    ...
    classifier.errors.InputError: classifier works on text (str), but got bytes. Decode the bytes first, for example data.decode('utf-8'), or pass a file path to the command line, which detects the encoding.
    """
    text = _check_text(text)
    return select(label(text, model=model), _config(keep, comments, config), text)


def clean_pages(
    texts: Iterable[str],
    *,
    keep: Iterable[Label | str] | Label | str | None = None,
    comments: bool | None = None,
    config: CleanConfig | None = None,
    model: SegmentModel | None = None,
) -> list[str]:
    """:func:`clean` for many pages at once, in their order: the same output for each page,
    faster than one :func:`clean` call a page (the model sees :data:`PAGES_PER_PASS` pages a
    pass). Every page is checked before any is labelled.

    >>> clean_pages(["Home | News\\nRiver levels rose two metres overnight, the agency said.\\nShare", ""])
    ['River levels rose two metres overnight, the agency said.', '']
    """
    pages = _page_list(texts, "clean_pages", "for one page, call clean(text)")
    config = _config(keep, comments, config)
    return [select(segments, config, text) for chunk, labelled in _passes(pages, model) for text, segments in zip(chunk, labelled)]


def _config(keep: Iterable[Label | str] | Label | str | None, comments: bool | None, config: CleanConfig | None) -> CleanConfig:
    config = config or CleanConfig()
    if keep is not None:
        config = replace(config, keep=_labels(keep))
    if comments is not None:
        config = replace(config, comments=comments)
    return config


def label_frame(texts: Iterable[str] | str, *, model: SegmentModel | None = None, names: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per segment of each page: page, index, start, end, block, part, label, probabilities, text.

    >>> df = label_frame(["Home | News\\nRiver levels rose two metres overnight, the agency said. Roads were closed.\\nShare"])
    >>> list(df.columns)
    ['page', 'index', 'start', 'end', 'block', 'part', 'label', 'p_reporting', 'p_opinion', 'p_noise', 'text']
    >>> df["label"].tolist()
    ['noise', 'reporting', 'reporting', 'noise']
    """

    pages = _page_list(texts, "label_frame", "for one page, pass [text]")
    ids = list(names) if names is not None else list(range(len(pages)))
    if len(ids) != len(pages):
        raise InputError(f"{len(pages)} pages but {len(ids)} names")
    labelled = label_pages(pages, model=model)
    return segments_frame(labelled, ids)


def segment_row(index: int, s: LabelledSegment) -> tuple[object, ...]:
    """One segment as a table row: index, start, end, block, part, label, probabilities, text."""
    return (index, s.start, s.end, s.block, s.part.value, s.label.value, *s.probabilities, s.text)


FRAME_COLUMNS = ["page", "index", "start", "end", "block", "part", "label"] + [f"p_{label.value}" for label in LABELS] + ["text"]


def segments_frame(labelled: Sequence[Sequence[LabelledSegment]], ids: Sequence[object]) -> pd.DataFrame:
    import pandas as pd

    rows = [(pid, *segment_row(i, s)) for pid, page in zip(ids, labelled) for i, s in enumerate(page)]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def label_frame_meta(frame: Any = None, id_column: str | None = None) -> pd.DataFrame:
    """An empty :func:`label_frame` table with its column types: the ``meta`` that dask asks for.

    The ``page`` column takes the type of ``frame[id_column]``, or of ``frame``'s index without
    ``id_column`` (``frame`` a pandas or dask DataFrame of pages; integers without one).

    >>> label_frame_meta().dtypes.astype(str).to_dict()["p_noise"]
    'float64'
    """
    import pandas as pd

    page: Any = "int64" if frame is None else frame[id_column].dtype if id_column else frame.index.dtype
    types: dict[str, Any] = {"page": page, "index": "int64", "start": "int64", "end": "int64", "block": "int64", "part": str, "label": str, "text": str}
    return pd.DataFrame({c: pd.Series([], dtype=types.get(c, "float64")) for c in FRAME_COLUMNS})


def label_partition(df: pd.DataFrame, text_column: str = "text", id_column: str | None = None, *, model: SegmentModel | None = None) -> pd.DataFrame:
    """:func:`label_frame` of one pandas DataFrame of pages, typed as :func:`label_frame_meta` says.

    Made for ``map_partitions`` on a dask DataFrame with a text column: each partition's pages go
    through the model in one pass, and each worker process loads the model once. ``page`` is the
    page's ``id_column`` value, or its index label without one::

        segments = pages.map_partitions(label_partition, "text", "url", meta=label_frame_meta(pages, "url"))

    >>> import pandas as pd
    >>> pages = pd.DataFrame({"url": ["a"], "text": ["Home | News\\nRiver levels rose two metres overnight, the agency said.\\nShare"]})
    >>> label_partition(pages, "text", "url")[["page", "label"]].values.tolist()
    [['a', 'noise'], ['a', 'reporting'], ['a', 'noise']]
    """
    meta = label_frame_meta(df, id_column)
    if df.empty:
        return meta
    ids = df[id_column].tolist() if id_column else df.index.tolist()
    frame = label_frame(df[text_column].tolist(), model=model, names=ids)
    return frame.astype(meta.dtypes.to_dict())
