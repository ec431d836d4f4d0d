"""Shared fixtures: the shipped model, the shared examples and corpora (skipped where absent), and
an output folder held as a running classifier run holds it."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from classifier.data import corpora_dir

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    folder = SHARED / "examples"
    if not folder.is_dir():
        pytest.skip(f"the shared examples are not at {folder}: these tests need ../shared/examples beside the checkout")
    return folder


@pytest.fixture(scope="session")
def corpora() -> Path:
    folder = corpora_dir()
    if folder is None:
        pytest.skip("../shared/corpora is absent (set CLASSIFIER_CORPORA to its path): corpus tests skipped")
    return folder


@pytest.fixture(scope="session")
def model():
    from classifier import load_model

    return load_model()


class HeldFolder:
    """An empty folder held as a running classifier run holds its output folder (flock on it)."""

    def __init__(self, path: Path, fcntl: ModuleType) -> None:
        path.mkdir()
        self.path = path
        self._fd: int | None = os.open(path, os.O_RDONLY)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@pytest.fixture
def held_folder(tmp_path):
    fcntl = pytest.importorskip("fcntl", reason="the output folder is held with flock, which needs POSIX")
    held = HeldFolder(tmp_path / "held", fcntl)
    yield held
    held.release()
