#!/usr/bin/env python3
"""How high a cleaner that keeps or drops the splitter's segments can score on a page set.

Run by hand from the repository root, with the project's environment::

    .venv/bin/python benchmarks/ceiling.py ../shared/corpora/dragnet-train ../shared/corpora/scrapinghub

For each page it chooses the set of segments (as :func:`classifier.split.split` cuts the page)
whose text scores best against the gold article, by the same word-bag F1 as
``../shared/tools/score_clean.py`` (its word bags, without the gold's neutral words that are not
the article's, as it counts them): a hill climb that adds or removes one segment at a time
while F1 rises. The mean over pages is the ceiling of any labelling of these segments.

The gold of a page set may keep text that ``LABELS.md`` calls noise: rule 4 makes bylines,
datelines, photo credits and timestamps standing alone noise. So the climb is run a second time
never keeping a segment that stands alone as its block, has at most ``ALONE_MAX_WORDS`` words,
and is a byline ("By …", "Posted by …"), a date or time of at most ``DATE_MAX_WORDS`` words, or
a photo credit: the ceiling of a cleaner that follows the labels. (Found by these patterns, so
an estimate: a headline that is a date counts as one.)

Last, the shipped model's own F1, and the same output with such segments added back where they
are the gold's (80% of their words in the gold article or more): how much of the model's loss
is text the labels ask it to drop. (On a set the model was trained on, such as scrapinghub, its
own figure here is in-sample; the two ceilings are not.)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifier.clean import CleanConfig, label_split, select  # noqa: E402
from classifier.data import read_gold  # noqa: E402
from classifier.features import _DATE_TIME  # noqa: E402  (the date pattern the features use)
from classifier.model import PHOTO_CREDIT, load_model  # noqa: E402
from classifier.segment import Label, Segment  # noqa: E402
from classifier.split import split  # noqa: E402
from classifier.train import _scorer  # noqa: E402

ALONE_MAX_WORDS = 15
DATE_MAX_WORDS = 8
GOLD_SHARE = 0.8
BYLINE = re.compile(r"^(?:by|posted by|written by|posted on|published|updated|von|par|por)\b", re.IGNORECASE)
WORD = re.compile(r"\w+")


def f1(hit: int, got: int, wanted: int) -> float:
    if not got or not wanted:
        return 0.0
    p, r = hit / got, hit / wanted
    return 2 * p * r / (p + r) if p + r else 0.0


def best_f1(bags: list[Counter[str]], content: Counter[str], allowed: list[bool]) -> float:
    """The F1 of the segments a hill climb keeps (adding or removing one at a time while F1 rises)."""
    wanted = sum(content.values())
    have: Counter[str] = Counter()
    keep = [False] * len(bags)
    hit = got = 0
    rising = True
    while rising:
        rising = False
        for i, b in enumerate(bags):
            if not allowed[i] or not b:
                continue
            sign = -1 if keep[i] else 1
            d_hit = sum(min(have[w] + sign * c, content[w]) - min(have[w], content[w]) for w, c in b.items())
            d_got = sign * sum(b.values())
            if f1(hit + d_hit, got + d_got, wanted) > f1(hit, got, wanted) + 1e-12:
                for w, c in b.items():
                    have[w] += sign * c
                hit, got, keep[i] = hit + d_hit, got + d_got, not keep[i]
                rising = True
    return f1(hit, got, wanted)


def stands_alone_as_rule_4(segment: Segment, block_sizes: Counter[int]) -> bool:
    """Whether a segment is a byline, a date or time, or a photo credit standing alone (LABELS.md, rule 4)."""
    words = len(WORD.findall(segment.text))
    if block_sizes[segment.block] != 1 or words > ALONE_MAX_WORDS:
        return False
    text = segment.text.strip()
    return bool(BYLINE.match(text) or (words <= DATE_MAX_WORDS and _DATE_TIME.search(text)) or PHOTO_CREDIT.search(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path, help="page sets (folders with <id>.txt and gold.jsonl)")
    args = parser.parse_args()
    scorer = _scorer()
    if scorer is None:
        sys.exit("../shared/tools/score_clean.py not found")
    model = load_model()
    config = CleanConfig()
    for folder in args.sets:
        totals: Counter[str] = Counter()
        pages = 0
        for gold in read_gold(folder):
            text = (folder / f"{gold['id']}.txt").read_text(encoding="utf-8", errors="replace")
            segments = split(text)
            content = scorer.bag(gold["content"])
            # the scorer leaves out of the output the gold's neutral words that are not the article's
            ignored = set(scorer.bag(gold.get("neutral", ""))) - set(content)
            bags = [Counter({w: c for w, c in scorer.bag(s.text).items() if w not in ignored}) for s in segments]
            block_sizes = Counter(s.block for s in segments)
            rule_4 = [stands_alone_as_rule_4(s, block_sizes) for s in segments]
            totals["ceiling"] += best_f1(bags, content, [True] * len(segments))
            totals["labels_ceiling"] += best_f1(bags, content, [not r for r in rule_4])
            labelled = label_split([segments], model)[0]
            output = select(labelled, config, text)
            totals["model"] += scorer.score_page(output, gold)["f1"]
            back = [
                s.text
                for s, r, b in zip(labelled, rule_4, bags)
                if r and s.label is Label.NOISE and b and sum(c for w, c in b.items() if w in content) >= GOLD_SHARE * sum(b.values())
            ]
            totals["model_with_back"] += scorer.score_page("\n".join([output, *back]), gold)["f1"]
            totals["rule_4_segments"] += sum(rule_4)
            pages += 1
        print(
            f"{folder.name}: {pages} pages; best choice of segments F1 {totals['ceiling'] / pages:.4f}, "
            f"never keeping bylines, dates and credits standing alone ({totals['rule_4_segments']} segments) "
            f"{totals['labels_ceiling'] / pages:.4f}; shipped model {totals['model'] / pages:.4f}, "
            f"with the gold's such segments added back {totals['model_with_back'] / pages:.4f}"
        )


if __name__ == "__main__":
    main()
