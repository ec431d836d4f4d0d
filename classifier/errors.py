"""The exceptions classifier raises: one base class, one subclass per kind of failure.

The command line turns any :class:`ClassifierError` into a one-line message on stderr and a
non-zero exit code; library callers can catch the base class or a precise subclass.
"""

from __future__ import annotations

__all__ = ["ClassifierError", "InputError", "ModelError", "DataError", "DependencyError"]


class ClassifierError(Exception):
    """Base class of every error classifier raises on purpose."""


class InputError(ClassifierError, ValueError):
    """The text or file given to classifier cannot be used as it is (wrong type, not text, too large)."""


class ModelError(ClassifierError):
    """A model file is missing, does not match its recorded sha256, or is not a model this classifier can read."""


class DataError(ClassifierError, ValueError):
    """A labelled data file is malformed; the message names the file and line."""


class DependencyError(ClassifierError, ImportError):
    """An optional feature was asked for whose packages are not installed; the message says what to install."""
