"""classifier: split scraped pages into segments, label them reporting / opinion / noise, clean them.

The front door is :func:`clean`::

    >>> from classifier import clean
    >>> print(clean("Home | News\\nRiver levels rose two metres overnight, the agency said. Roads were closed.\\nShare"))
    River levels rose two metres overnight, the agency said. Roads were closed.

:func:`clean_pages` cleans many pages at once (faster than a call a page), :func:`label` gives
every segment its label and probabilities, :func:`split` the segments alone,
:func:`label_frame` a table of many pages (:func:`label_partition` per partition of a dask
DataFrame), :func:`clean_folder` whole folders, locally or on a dask cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clean import DEFAULT_KEEP, CleanConfig, clean, clean_pages, label, label_frame, label_frame_meta, label_pages, label_partition
from .errors import ClassifierError, DataError, DependencyError, InputError, ModelError
from .model import SegmentModel, load_model
from .segment import LABELS, Label, LabelledSegment, Part, Segment
from .split import split

__all__ = [
    "clean",
    "clean_pages",
    "label",
    "label_pages",
    "label_frame",
    "label_partition",
    "label_frame_meta",
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
    "DependencyError",
]

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .batch import BatchSummary, clean_folder

#: Names imported on first use: the folder engine pulls in multiprocessing, concurrent.futures
#: and csv, which one page (``clean``, or ``classifier clean FILE``) does not need.
_LAZY = {"BatchSummary": ".batch", "clean_folder": ".batch"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
