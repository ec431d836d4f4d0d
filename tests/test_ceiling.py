"""benchmarks/ceiling.py: the best choice of segments against a gold, and rule 4's lines."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from classifier.split import split

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "ceiling.py"
_spec = importlib.util.spec_from_file_location("ceiling", _PATH)
assert _spec is not None and _spec.loader is not None
ceiling = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ceiling)


def bag(text: str) -> Counter[str]:
    """A bag of words as the scorer makes one, for these plain ASCII texts."""
    return Counter(re.findall(r"\w+", text.lower()))


def test_the_climb_keeps_the_gold_segments_and_leaves_the_rest():
    gold = bag("Rivers rose overnight. Roads were closed in the valley.")
    bags = [bag(t) for t in ("Home News Sport", "Rivers rose overnight.", "Share this", "Roads were closed in the valley.")]
    assert ceiling.best_f1(bags, gold, [True] * 4) == pytest.approx(1.0)
    # without the second sentence, the best is the first alone: precision 1, recall 3/9
    assert ceiling.best_f1(bags, gold, [True, True, True, False]) == pytest.approx(2 * (3 / 9) / (1 + 3 / 9))


def test_the_climb_leaves_out_a_segment_that_costs_more_precision_than_it_gives_recall():
    gold = bag("one two three four five six seven eight nine ten")
    bags = [bag("one two three four five six seven eight nine"), bag("ten " + " ".join(f"x{i}" for i in range(20)))]
    assert ceiling.best_f1(bags, gold, [True, True]) == pytest.approx(2 * 0.9 / 1.9)


@pytest.mark.parametrize(
    ("line", "rule_4"),
    [
        ("By Jane Smith", True),
        ("Posted by admin on March 3, 2021", True),
        ("March 3, 2021 at 10:15 am", True),
        ("Photo: Jane Smith/Reuters", True),
        ("Rivers rose two metres overnight, the agency said on Tuesday 3 March 2021.", False),
        ("Home", False),
    ],
)
def test_bylines_dates_and_credits_standing_alone_are_found(line, rule_4):
    page = f"Flood warning | News\n{line}\nThe river rose two metres overnight, and roads were closed across the valley.\n"
    segments = split(page)
    blocks = Counter(s.block for s in segments)
    found = [s for s in segments if s.text == line]
    assert len(found) == 1
    assert ceiling.stands_alone_as_rule_4(found[0], blocks) is rule_4
