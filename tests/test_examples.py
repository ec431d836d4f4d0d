"""The two real pages in ../shared/examples, checked as issue 2 and LABELS.md describe."""

from __future__ import annotations

from classifier import Label, Part, clean, label


def read(examples_dir, prefix: str) -> str:
    (path,) = examples_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_000_keeps_every_article_line_and_drops_the_comments(examples_dir, model):
    text = read(examples_dir, "000")
    out = clean(text)
    lines = text.splitlines()
    for line in lines[:12]:  # headline, body, "The Washington Post:", the quoted block with both attributed quotes
        assert line.strip() in out, line[:60]
    assert "worth a good laugh" not in out
    assert "ReplyDelete" not in out
    assert "As if the military" not in out


def test_000_segment_labels(examples_dir, model):
    segs = label(read(examples_dir, "000"))
    by_text = {s.text: s for s in segs}
    assert by_text["ReplyDelete"].label is Label.NOISE
    comments = [s for s in segs if s.part is Part.COMMENTS and s.text != "ReplyDelete"]
    assert comments and all(s.label is Label.OPINION for s in comments), [(s.text, s.label) for s in comments]
    quote = next(s for s in segs if s.text.startswith("“There‘s one decision-maker"))
    assert quote.label is Label.REPORTING and quote.part is Part.ARTICLE
    assert by_text["The Washington Post:"].label is Label.REPORTING
    assert next(s for s in segs if s.text.startswith("“We don’t want")).label is Label.REPORTING


def test_004_keeps_headline_and_body_and_drops_residue_and_furniture(examples_dir, model):
    text = read(examples_dir, "004")
    out = clean(text)
    assert "Bloomberg learned that the United States will respond to Russia’s security requirements" in out
    assert "an EU official told Bloomberg" in out
    assert "alt=" not in out and "://" not in out and "/>" not in out
    assert "Subscribe to Instagram RBC" not in out
    assert "Recent Posts" not in out
    for para in [line for line in text.splitlines() if len(line) > 200 and "alt=" not in line]:
        assert para.strip()[:80] in out


def test_004_segment_labels(examples_dir, model):
    segs = label(read(examples_dir, "004"))
    by_text = {s.text: s for s in segs}
    residue = next(s for s in segs if s.text.startswith("://"))
    assert residue.label is Label.NOISE
    assert by_text["Subscribe to Instagram RBC Get news faster than anyone"].label is Label.NOISE
    assert by_text["Recent Posts"].label is Label.NOISE
    assert next(s for s in segs if s.text.startswith("Bloomberg: U.S.")).label is Label.REPORTING
    assert all(s.part is Part.ARTICLE for s in segs)
