"""Shared fixtures: the shipped model, the shared examples and corpora (skipped where absent)."""

from __future__ import annotations

from pathlib import Path

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
