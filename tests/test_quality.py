"""The quality gate: pinned minimums on the real page and sentence sets in ../shared/corpora.

The minimums and each set's sha256 live in ``quality_minimums.json``. A figure that drops more
than EPSILON below its minimum fails; lowering a minimum is an explicit, reviewed edit of that
file. A set whose content changed (another sha256) fails too, since its old minimum no longer
means anything. Skipped, with a message, where the corpora are absent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from classifier.train import CV_FOLDS, _cross_validated, build_training_set, score_page_set, sentence_report

PINS = json.loads((Path(__file__).with_name("quality_minimums.json")).read_text(encoding="utf-8"))
#: How far below its minimum a figure may fall (noise from thread timing is nil: fitting is seeded).
EPSILON = 0.005
DATA = Path(__file__).resolve().parent.parent / "data"


def set_sha256(path: Path) -> str:
    """One digest for a file, or for every file of a folder (names and contents, in sorted order)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(path.parent if path.is_file() else path).as_posix().encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def check(name: str, figures: dict[str, float]) -> None:
    pins = PINS[name]
    failures = []
    for key, minimum in pins.get("at_least", {}).items():
        if figures[key] < minimum - EPSILON:
            failures.append(f"{key} {figures[key]:.4f} < pinned {minimum:.4f}")
    for key, maximum in pins.get("at_most", {}).items():
        if figures[key] > maximum + EPSILON:
            failures.append(f"{key} {figures[key]:.4f} > pinned {maximum:.4f}")
    assert not failures, f"{name}: " + "; ".join(failures)


def corpus_path(corpora: Path, name: str) -> Path:
    path = corpora / PINS[name]["path"]
    if not path.exists():
        pytest.skip(f"{path} is absent: quality gate for {name} skipped")
    digest = set_sha256(path)
    assert digest == PINS[name]["sha256"], f"{name} changed (sha256 {digest}); re-measure and re-pin its minimums in quality_minimums.json"
    return path


def test_dragnet_train_eval_only(corpora, model):
    folder = corpus_path(corpora, "dragnet-train")
    check("dragnet-train", score_page_set(model, folder))


def test_checkthat_devtest_eval_only(corpora, model):
    check("checkthat-devtest", sentence_report(model, corpus_path(corpora, "checkthat-devtest")))


#: Refits whose held-out folds the scrapinghub pins are the mean of (seeds 0, 1, …). One fit's
#: folds move with its seed by more than EPSILON (0.911 to 0.923 over four seeds), so a change of
#: data that leaves the mean where it was could still fall below a one-seed pin.
GATE_SEEDS = 4


def test_scrapinghub_held_out_folds(corpora):
    corpus_path(corpora, "scrapinghub")
    ts = build_training_set(DATA, corpora, log=lambda _m: None)
    runs = [_cross_validated(ts, corpora / "scrapinghub", log=lambda _m: None, random_state=seed) for seed in range(GATE_SEEDS)]
    assert all(r["folds"] == CV_FOLDS for r in runs)
    check("scrapinghub", {key: sum(r[key] for r in runs) / len(runs) for key in ("f1", "good_pages")})


def _rewritten_pages(folder: Path, out: Path, rewrite: Callable[[str], str], pages: int = 300) -> list[str]:
    """The first ``pages`` pages of a page set and their gold, written to ``out`` with each
    page's text rewritten; their ids."""
    from classifier.data import read_gold

    golds = read_gold(folder)[:pages]
    (out / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in golds), encoding="utf-8")
    for g in golds:
        text = (folder / f"{g['id']}.txt").read_text(encoding="utf-8", errors="replace")
        (out / f"{g['id']}.txt").write_text(rewrite(text), encoding="utf-8")
    return [g["id"] for g in golds]


def test_hard_wrapped_pages_clean_as_well_as_a_block_a_line(corpora, model, tmp_path):
    """The same pages hard-wrapped at 76 columns, as text-mode browsers and HTML-to-text
    converters write them, lose little against the block-a-line scrape (not joining the lines
    back: F1 0.70 against 0.90 on all of dragnet-train)."""
    import textwrap

    folder = corpus_path(corpora, "dragnet-train")
    ids = _rewritten_pages(folder, tmp_path, lambda text: "\n\n".join("\n".join(textwrap.wrap(line, 76)) for line in text.splitlines() if line.strip()))
    as_scraped = score_page_set(model, folder, ids)
    wrapped = score_page_set(model, tmp_path)
    assert wrapped["f1"] >= as_scraped["f1"] - 0.02, (wrapped, as_scraped)


def test_pages_that_lost_their_line_breaks_are_still_cleaned(corpora, model, tmp_path):
    """The same pages with all their text joined by spaces, as a scraper that collapses white
    space leaves them, are cleaned well above keeping the whole text (first 300 pages of
    dragnet-train: F1 0.792, comment leak 0.167, against 0.522 and 0.99 for the text as it is;
    without cutting such a page back into blocks, it was kept whole)."""
    _rewritten_pages(corpus_path(corpora, "dragnet-train"), tmp_path, lambda text: " ".join(text.split()))
    one_line = score_page_set(model, tmp_path)
    assert one_line["f1"] >= 0.76 and one_line["comment_leak"] <= 0.2, one_line
