"""classifier: split scraped pages into segments, label them reporting / opinion / noise, clean them.

The front door is :func:`clean`::

    >>> from classifier import clean
    >>> print(clean("Home | News\\nRiver levels rose two metres overnight, the agency said. Roads were closed.\\nShare"))
    River levels rose two metres overnight, the agency said. Roads were closed.

:func:`label` gives every segment its label and probabilities, :func:`split` the segments alone,
:func:`label_frame` a table of many pages, :func:`clean_folder` whole folders.
"""

from __future__ import annotations

from .batch import BatchSummary, clean_folder
from .clean import DEFAULT_KEEP, CleanConfig, clean, label, label_frame, label_pages
from .errors import ClassifierError, DataError, InputError, ModelError
from .model import SegmentModel, load_model
from .segment import LABELS, Label, LabelledSegment, Part, Segment
from .split import split

__all__ = [
    "clean",
    "label",
    "label_pages",
    "label_frame",
    "split",
    "clean_folder",
    "load_model",
    "CleanConfig",
    "DEFAULT_KEEP",
    "BatchSummary",
    "SegmentModel",
    "Label",
    "LABELS",
    "Part",
    "Segment",
    "LabelledSegment",
    "ClassifierError",
    "InputError",
    "ModelError",
    "DataError",
]

__version__ = "0.1.0"
