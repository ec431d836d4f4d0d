from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from classifier import ModelError, SegmentModel, load_model
from classifier.model import default_model_path, file_sha256, read_card


def test_shipped_model_matches_its_card():
    path = default_model_path()
    card = read_card(path)
    assert card["sha256"] == file_sha256(path)
    assert card["labels"] == ["reporting", "opinion", "noise"]
    assert "command" in card and "trained_on" in card and "licences" in card


def test_model_is_loaded_once():
    assert load_model() is load_model()
    assert isinstance(load_model(), SegmentModel)


def copy_model(tmp_path):
    src = default_model_path()
    dst = tmp_path / "mine.npz"
    shutil.copy(src, dst)
    shutil.copy(src.with_suffix(".json"), dst.with_suffix(".json"))
    return dst


def test_own_copy_with_its_card_loads(tmp_path):
    assert isinstance(load_model(copy_model(tmp_path)), SegmentModel)


def test_altered_file_is_refused(tmp_path):
    path = copy_model(tmp_path)
    with open(path, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(path)


def test_file_without_card_is_refused_unless_trusted(tmp_path):
    path = copy_model(tmp_path)
    path.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match="no model card"):
        load_model(path)
    assert isinstance(load_model(path, trusted=True), SegmentModel)


def _rewrite(path, **changes):
    import numpy as np

    with np.load(path, allow_pickle=False) as a:
        arrays = {k: a[k] for k in a.files}
    arrays.update(changes)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_other_file_format_is_refused(tmp_path):
    import numpy as np

    path = copy_model(tmp_path)
    _rewrite(path, format=np.array(99))
    with pytest.raises(ModelError, match="format 99"):
        load_model(path, trusted=True)


def test_model_fitted_on_other_features_is_refused(tmp_path):
    import numpy as np

    from classifier.features import FEATURE_NAMES

    path = copy_model(tmp_path)
    _rewrite(path, feature_names=np.array(FEATURE_NAMES[:-1]))
    with pytest.raises(ModelError, match="other features"):
        load_model(path, trusted=True)


def test_trees_pointing_outside_the_model_are_refused(tmp_path):
    import numpy as np

    path = copy_model(tmp_path)
    with np.load(path, allow_pickle=False) as a:
        children = a["tree_children"].copy()
    children[5] = len(children)  # a node index past the last node
    _rewrite(path, tree_children=children)
    with pytest.raises(ModelError, match="not consistent"):
        load_model(path, trusted=True)


def test_missing_file_says_how_to_build_it(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.npz")


def test_a_pickle_is_never_run_even_when_trusted(tmp_path):
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.npz"
    path.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(ModelError, match="not a classifier model file"):
        load_model(path, trusted=True)
    assert not marker.exists()


def test_estimator_contract():
    from classifier.estimator import SegmentEstimator

    m = SegmentEstimator(text_C=3.0)
    assert m.get_params()["text_C"] == 3.0
    assert not any(k.endswith("_") for k in vars(m))


def _small_training_set():
    from classifier.data import read_page, segment_labels
    from classifier.split import split
    from classifier.train import TrainingSet

    ts = TrainingSet()
    files = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").rglob("*.page"))[::15]
    for f in files:
        page = read_page(f)
        segs = split(page.text)
        ts.add(segs, [label.value for label in segment_labels(segs, page.pieces)], str(f))
    return ts


def test_exported_model_gives_what_scikit_learn_gives():
    import numpy as np
    import scipy.sparse as sp
    from threadpoolctl import threadpool_limits

    from classifier.estimator import SegmentEstimator
    from classifier.features import hash_words
    from classifier.model import _VOICE_COLUMNS, PageBatch, _neighbour_scores, _sigmoid

    ts = _small_training_set()
    batch = PageBatch.from_pages(ts.pages)
    with threadpool_limits(1):
        est = SegmentEstimator(max_iter=30).fit(batch, [v for page in ts.labels for v in page])
    exported = est.export()
    words = hash_words(batch.texts, est.n_features)
    csr = words.to_csr()
    score = est.word_model_.predict_proba(csr)[:, 1]
    np.testing.assert_allclose(_sigmoid(words.dot(exported.word_coef) + exported.word_intercept), score, rtol=1e-12, atol=1e-12)
    context = np.hstack([batch.dense, _neighbour_scores(score, batch.page_ids)])
    trees = exported.trees
    for missing in (False, True):
        if missing:
            context[::7, 3] = np.nan  # missing values take the side the trees learned for them
        expected = est.context_model_.predict_proba(context)[:, 1]
        # both ways of evaluating the trees, whichever decision() picks for this many rows
        np.testing.assert_allclose(_sigmoid(trees._walk(context)), expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(_sigmoid(trees._rule_out(context)), expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(_sigmoid(trees.decision(context)), expected, rtol=1e-12, atol=1e-12)
    shape = batch.dense[:, _VOICE_COLUMNS]
    voice = est.voice_model_.predict_proba(sp.hstack([csr, sp.csr_matrix(shape)]).tocsr())[:, 1]
    mine = _sigmoid(words.dot(exported.voice_coef[: exported.n_features]) + shape.astype(float) @ exported.voice_coef[exported.n_features :] + exported.voice_intercept)
    np.testing.assert_allclose(mine, voice, rtol=1e-9, atol=1e-12)


def test_trees_stored_in_another_node_order_give_the_same_scores():
    import numpy as np

    from classifier.model import Trees

    # the shipped trees as scikit-learn lays them out (depth first) are laid out for evaluation by
    # array operations; the same trees with each one's nodes after its root in reverse order are
    # laid out tree by tree, and both give the same scores, missing values included
    t = load_model().trees
    n = len(t.feature)
    ends = np.append(t.roots[1:], n)
    moved = np.arange(n)
    for root, end in zip(t.roots.tolist(), ends.tolist()):
        moved[root + 1 : end] = root + end - np.arange(root + 1, end)
    arrays = {}
    for name in ("feature", "threshold", "missing_left", "value"):
        arrays[name] = np.empty_like(getattr(t, name))
        arrays[name][moved] = getattr(t, name)
    children = np.empty_like(t.children)
    children[2 * moved] = moved[t.children[0::2]]
    children[2 * moved + 1] = moved[t.children[1::2]]
    reordered = Trees(**arrays, children=children, roots=t.roots, depths=t.depths, baseline=t.baseline)
    assert t._pre_order_trees() is not None and reordered._pre_order_trees() is None
    rng = np.random.default_rng(0)
    X = rng.normal(0.5, 1.5, size=(400, int(t.feature.max()) + 1))
    for _ in range(2):
        expected = t._rule_out(X)
        for trees in (t, reordered):
            np.testing.assert_array_equal(trees._rule_out(X), expected)
            np.testing.assert_array_equal(trees._walk(X), expected)
        X[rng.random(X.shape) < 0.05] = np.nan


def test_row_dots_do_not_depend_on_the_rows_beside():
    import numpy as np

    from classifier.model import _row_dots

    rng = np.random.default_rng(0)
    matrix, coef = rng.normal(size=(3000, 11)), rng.normal(size=11)
    together = _row_dots(matrix, coef)
    np.testing.assert_allclose(together, matrix @ coef, rtol=1e-12, atol=1e-12)
    for i in range(0, 3000, 7):
        assert _row_dots(matrix[i : i + 1], coef)[0] == together[i]
        assert np.array_equal(_row_dots(matrix[i : i + 13], coef), together[i : i + 13])


def test_a_page_scores_the_same_alone_and_in_a_batch():
    from classifier.clean import PAGES_PER_PASS, label_pages, label_split
    from classifier.data import read_pages
    from classifier.model import WALK_ROWS
    from classifier.split import split

    # one page goes down the trees by walking them, a batch of pages by ruling leaves out; the
    # two must agree to the last bit, or a page's labels would depend on the pages beside it
    pages = [page.text for page in read_pages(Path(__file__).resolve().parent.parent / "data" / "unseen")]
    together = label_split([split(p) for p in pages], load_model())  # one batch
    assert sum(len(page) for page in together) >= WALK_ROWS
    assert len(pages) > PAGES_PER_PASS
    passes = label_pages(pages)  # several passes
    for page, batch, in_passes in zip(pages, together, passes):
        alone = label_pages([page])[0]
        assert len(alone) < WALK_ROWS
        expected = [(s.label, s.probabilities) for s in batch]
        assert [(s.label, s.probabilities) for s in alone] == expected
        assert [(s.label, s.probabilities) for s in in_passes] == expected


def test_saved_model_loads_back_the_same(tmp_path):
    import numpy as np

    from classifier.model import PageBatch, save_model
    from classifier.train import fit_model

    ts = _small_training_set()
    batch = PageBatch.from_pages(ts.pages)
    model = fit_model(ts, max_iter=20)
    save_model(model, tmp_path / "m.npz", {"name": "test"})
    again = load_model(tmp_path / "m.npz")
    assert np.array_equal(again.predict_proba(batch), model.predict_proba(batch))
    assert again.get_params() == model.get_params()


def test_content_outside_the_main_region_becomes_noise():
    import numpy as np

    from classifier import split
    from classifier.model import OUTSIDE_REGION_NOISE, PageBatch, _main_region

    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    teaser = "Elsewhere: a bakery in the old town has won a national prize for its rye bread this year."
    furniture = ["Share", "Tweet", "Email", "Related", "Most read", "Sport", "Weather", "Travel", "Jobs"]
    blocks = [body, body, body, *furniture, teaser, "2 comments", "Jo Pratt", "March 3, 2024 at 8:14 pm", body]
    segs = split("\n".join(blocks))
    batch = PageBatch.from_pages([segs])
    p = np.array([0.1 if s.text in (body, teaser) else 0.9 for s in segs])
    out = _main_region(p, batch)
    got = {s.block: round(float(v), 2) for s, v in zip(segs, out)}
    assert got[0] == got[1] == got[2] == 0.1  # the article's run
    assert got[12] == OUTSIDE_REGION_NOISE  # the teaser, nine blocks below it
    assert got[16] == 0.1  # the comment thread is left alone


def test_the_region_reaches_up_to_the_headline():
    import numpy as np

    from classifier import split
    from classifier.model import OUTSIDE_REGION_NOISE, PageBatch, _main_region

    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    box = ["Related", "Bakery wins prize", "Rail fares rise", "Most read", "Flood warning", "Weather", "Sport", "Jobs", "Travel", "Share"]
    teaser = "Elsewhere: a bakery in the old town has won a national prize for its rye bread this year."

    def region(blocks: list[str]) -> dict[int, float]:
        segs = split("\n".join(blocks))
        p = np.array([0.1 if s.text in (body, teaser) else 0.9 for s in segs])
        return {s.block: round(float(v), 2) for s, v in zip(segs, _main_region(p, PageBatch.from_pages([segs])))}

    # The article's first paragraph, under its headline, then a box of ten links, then the rest.
    got = region(["Old bridge closes to lorries - The Valley Courier", "Home | News", "Old bridge closes to lorries", body, *box, body, body])
    assert got[3] == got[14] == got[15] == 0.1
    # Without a headline above it, the lone paragraph is a teaser like any other.
    got = region(["Old bridge closes to lorries - The Valley Courier", "Home | News", teaser, *box, body, body])
    assert got[2] == OUTSIDE_REGION_NOISE and got[13] == 0.1
    # A repeat of the title right under the title line is the site's masthead, not a headline.
    got = region(["The Valley Courier", "The Valley Courier", teaser, *box, body, body])
    assert got[2] == OUTSIDE_REGION_NOISE and got[13] == 0.1


def test_the_article_under_a_headline_below_a_column_of_teasers_is_kept():
    import numpy as np

    from classifier import split
    from classifier.model import OUTSIDE_REGION_NOISE, PageBatch, _main_region

    title = "Old bridge closes to lorries - The Valley Courier"
    teasers = [f"Teaser {n}: a bakery in the old town has won a national prize for its rye bread, the judges said on the day." for n in range(8)]
    body = ["The council voted on Tuesday to close the old bridge to lorries.", "Repairs will take a year, the mayor said.", "Buses will still cross."]
    furniture = ["Latest headlines", "Weather", "Sport", "Travel", "Jobs", "Advertise", "Contests", "Video", "Autos", "More"]

    def region(blocks: list[str]) -> dict[int, float]:
        segs = split("\n".join(blocks))
        p = np.array([0.1 if s.text in (*teasers, *body) else 0.9 for s in segs])
        return {s.block: round(float(v), 2) for s, v in zip(segs, _main_region(p, PageBatch.from_pages([segs])))}

    # The teasers hold more words than the article, but the article starts at its headline.
    page = [title, "Home | News", *teasers, *furniture, "Old bridge closes to lorries", "May 4, 2024 at 9:45 am", *body]
    got = region(page)
    assert [got[b] for b in range(22, 25)] == [0.1] * 3
    # Not a run with gaps (a list of recent posts: this one's title above its blurb, then others')
    gapped = [title, "Home | News", *teasers, *furniture, "Old bridge closes to lorries", body[0], "May 4", body[1], "May 3", body[2]]
    got = region(gapped)
    assert got[21] == got[23] == got[25] == OUTSIDE_REGION_NOISE
    # nor a second copy of what the region holds (a print version under the article)
    copy = [title, "Home | News", *body, *teasers[:2], *furniture, *furniture, "Old bridge closes to lorries", *body]
    got = region(copy)
    assert got[2] == 0.1 and [got[b] for b in range(28, 31)] == [OUTSIDE_REGION_NOISE] * 3


def test_a_list_that_runs_on_from_the_text_is_kept_with_it():
    import numpy as np

    from classifier import split
    from classifier.model import LIST_NOISE, PageBatch, _list_runs

    intro = "The new edition can be read on these devices, the publisher said on Monday:"
    items = ["• Amazon Kindle", "• Kobo eReader", "• Apple iPad", "• Android phones"]
    body = "Instructions for each device are on the publisher's help pages, it added."

    def runs(blocks: list[str], p_items: float = 0.9, content: tuple[str, ...] = (intro, body)) -> dict[int, float]:
        segs = split("\n".join(blocks))
        p = np.array([0.1 if s.text in content else p_items if s.text.startswith(("•", "-", "1")) else 0.95 for s in segs])
        return {s.block: round(float(v), 2) for s, v in zip(segs, _list_runs(p, PageBatch.from_pages([segs])))}

    # right under the text, or right above it: the list is the article's
    got = runs(["Home | News", intro, *items, body])
    assert [got[b] for b in range(2, 6)] == [LIST_NOISE] * 4 and got[0] == 0.95
    got = runs(["Home | News", *items, body], content=(body,))
    assert [got[b] for b in range(1, 5)] == [LIST_NOISE] * 4
    # numbered steps and dashes are lists too
    got = runs([intro, "1. Open the app", "2. Sign in", "- Share with friends", body])
    assert [got[b] for b in (1, 2, 3)] == [LIST_NOISE] * 3
    # a menu of bullets with furniture on both sides is left alone
    got = runs(["Home | News", *items, "Most read", intro, body])
    assert [got[b] for b in range(1, 5)] == [0.9] * 4
    # so is a list the model is sure is furniture, and a single bullet line
    got = runs([intro, *items, body], p_items=0.996)
    assert [got[b] for b in range(1, 5)] == [1.0] * 4
    got = runs([intro, "• Amazon Kindle", body])
    assert got[1] == 0.9


def test_lines_of_verse_are_kept_as_content():
    import numpy as np

    from classifier import split
    from classifier.model import LIST_NOISE, PageBatch, _verse_runs

    poem = ["The harbour lamps are lit at five,", "the gulls go quiet on the wall;", "the last boat turns for home at dusk,", "its lantern low against the squall."]
    intro = "Our reader Ann Dale sent us this poem about the harbour at Eastwick."

    def verse(blocks: list[str], p: float = 0.9) -> list[float]:
        segs = split("\n".join(blocks))
        got = _verse_runs(np.array([0.2 if s.text == intro else p for s in segs]), PageBatch.from_pages([segs]))
        return [round(float(v), 2) for v in got]

    # a poem standing a line a block is content, whatever stands around it
    assert verse(["Home | Poems", intro, *poem, "Share this"]) == [0.9, 0.2, *[LIST_NOISE] * 4, 0.9]
    # a menu ends no line with punctuation; short sentences do, but do not run on
    assert verse(["Home", "World news", "Sport and leisure", "Weather maps", "Contact us"]) == [0.9] * 5
    teasers = ["Ferry fares rise again.", "Harbour wall repaired at last.", "New lifeboat named.", "Gull numbers fall."]
    assert verse(teasers) == [0.9] * 4
    # three lines are not yet a poem, and lines the model is sure of are left alone
    assert verse(poem[:3]) == [0.9] * 3
    assert verse(poem, p=0.996) == [1.0] * 4


def test_the_headline_repeated_by_the_title_line_is_found():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    blocks = ["Old bridge closes to lorries - The Valley Courier", "Home | News", "Old bridge closes to lorries", "By Jo Pratt", body, body, "Valley Courier"]
    segs = split("\n".join(blocks))
    p = np.array([0.1 if s.text == body else 0.9 for s in segs])
    found = [s.text for s, h in zip(segs, _headlines(p, PageBatch.from_pages([segs]))[0]) if h]
    assert found == ["Old bridge closes to lorries"]  # not the title line itself, not the site name


def test_training_is_reproducible():
    import numpy as np

    from classifier.model import PageBatch
    from classifier.train import fit_model

    ts = _small_training_set()
    batch = PageBatch.from_pages(ts.pages)
    first = fit_model(ts, max_iter=40).predict_proba(batch)
    second = fit_model(ts, max_iter=40).predict_proba(batch)
    assert np.array_equal(first, second)


def test_the_title_line_itself_is_never_the_headline():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    # A page of one line (a sentence given alone) is its own first line: nothing repeats it.
    segs = split("We should all be ashamed of how this decision was made.")
    assert not _headlines(np.array([0.1]), PageBatch.from_pages([segs]))[0].any()


def test_content_above_a_headline_that_repeats_the_title_is_furniture():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    blurb = "Jo Pratt has written about the valley's roads and rivers for twenty years, and runs the courier's weekend desk."
    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    blocks = ["Old bridge closes to lorries | The Valley Courier", "About the author", blurb, "Old bridge closes to lorries", body, body]
    segs = split("\n".join(blocks))
    p = np.array([0.1 if s.text in (body, blurb) else 0.9 for s in segs])
    headline, above = _headlines(p, PageBatch.from_pages([segs]))
    assert [s.text for s, h in zip(segs, headline) if h] == ["Old bridge closes to lorries"]
    assert {s.text for s, a in zip(segs, above) if a} == {blocks[0], "About the author", blurb}


def test_a_headline_with_a_separator_of_its_own_is_found_under_teasers():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    teaser = "Elsewhere: a bakery in the old town has won a national prize for its rye bread this year."
    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."

    def found(title: str, headline_block: str) -> tuple[list[str], set[str]]:
        blocks = [title, "Home | News", teaser, teaser, headline_block, body, body]
        segs = split("\n".join(blocks))
        p = np.array([0.1 if s.text in (body, teaser) else 0.9 for s in segs])
        headline, above = _headlines(p, PageBatch.from_pages([segs]))
        return [s.text for s, h in zip(segs, headline) if h], {s.text for s, a in zip(segs, above) if a}

    # the site's name at the end, the headline's own colon: the line without its last part
    headline, above = found("Valley news: Old bridge closes to lorries - The Valley Courier", "Valley news: Old bridge closes to lorries")
    assert headline == ["Valley news: Old bridge closes to lorries"] and teaser in above
    # the site's name first: the line without its first part
    headline, above = found("The Valley Courier: Roads: Old bridge closes to lorries", "Roads: Old bridge closes to lorries")
    assert headline == ["Roads: Old bridge closes to lorries"] and teaser in above
    # a site's name with a tagline at the end does not hide the headline, its longest part
    headline, above = found("Old bridge closes to lorries « Valley Courier – news and weather", "Old bridge closes to lorries")
    assert headline == ["Old bridge closes to lorries"] and teaser in above


def test_content_above_a_subhead_that_repeats_part_of_the_title_stays():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    # The title line has no separator and the block repeats only most of it: a subhead within the
    # article, so the paragraphs above it are the article's own.
    intro = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    rest = "Drivers will be sent along the ring road while engineers survey the piers, officials said."
    blocks = ["Why the old bridge closes to lorries", intro, "The old bridge closes to lorries", rest]
    segs = split("\n".join(blocks))
    p = np.array([0.1 if s.text in (intro, rest) else 0.9 for s in segs])
    headline, above = _headlines(p, PageBatch.from_pages([segs]))
    assert [s.text for s, h in zip(segs, headline) if h] == ["The old bridge closes to lorries"]
    assert not above.any()


def test_an_article_above_a_late_repeat_of_the_title_stays():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    # The site's name is the title line's longest part; it stands again under a long article,
    # above one short line: not the article's headline, so the article above it stays.
    paragraphs = [f"Paragraph {i} of the report says the council voted on Tuesday to close the old bridge, the mayor said." for i in range(12)]
    tail = "Photos by the desk, with thanks."
    blocks = ["Bridge | The Valley Courier Weekly Online", *paragraphs, "The Valley Courier Weekly Online", tail]
    segs = split("\n".join(blocks))
    p = np.array([0.1 if s.text in paragraphs or s.text == tail else 0.9 for s in segs])
    headline, above = _headlines(p, PageBatch.from_pages([segs]))
    assert [s.text for s, h in zip(segs, headline) if h] == ["The Valley Courier Weekly Online"]
    assert not above.any()


def test_content_above_a_repeated_short_name_title_stays():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _headlines

    # A blog whose title line is its author's name reposts an article, then signs its comment
    # with that name: the name is not the article's headline.
    article = "The council voted on Tuesday to close two library branches by the summer, the mayor said."
    comment = "Two branches in the neighbourhoods with the fewest cars, and nobody asked the readers."
    blocks = ["fern-and-footnote", "Archive", article, "fern-and-footnote", comment, comment + " Really."]
    segs = split("\n".join(blocks))
    p = np.array([0.1 if s.text.startswith((article, comment)) else 0.9 for s in segs])
    headline, above = _headlines(p, PageBatch.from_pages([segs]))
    assert [s.text for s, h in zip(segs, headline) if h] == ["fern-and-footnote"]
    assert not above.any()


def test_the_fit_spread_refits_with_each_seed_and_summarises_them(tmp_path, monkeypatch):
    import classifier.train as train
    from classifier.train import fit_spread, format_spread

    fits = []

    def fit_model(ts, **params):
        fits.append(params)
        return real_fit(ts, **params)

    real_fit = train.fit_model
    monkeypatch.setattr(train, "fit_model", fit_model)

    # a small data folder: every 15th project page to train on, three unseen pages to measure
    root = Path(__file__).resolve().parent.parent / "data"
    for n, f in enumerate(sorted((root / "pages").rglob("*.page"))[::15]):
        (tmp_path / "pages").mkdir(exist_ok=True)
        shutil.copy(f, tmp_path / "pages" / f"{n:02d}-{f.name}")
    for n, f in enumerate(sorted((root / "unseen").rglob("*.page"))[:3]):
        (tmp_path / "unseen").mkdir(exist_ok=True)
        shutil.copy(f, tmp_path / "unseen" / f"{n:02d}-{f.name}")
    points = fit_spread(tmp_path, None, seeds=2, log=lambda _m: None, max_iter=30)
    assert [p["seed"] for p in points] == [0, 1]
    assert fits == [{"max_iter": 30, "random_state": 0}, {"max_iter": 30, "random_state": 1}]
    accuracies = [p["unseen_accuracy"] for p in points]
    assert all(0.0 < a <= 1.0 for a in accuracies)
    text = format_spread(points)
    mean = sum(accuracies) / 2
    assert "over 2 seeds" in text
    assert f"data/unseen segment accuracy: {mean:.4f} ({min(accuracies):.4f}-{max(accuracies):.4f})" in text
    assert "dragnet" not in text  # (no corpora, so no figure of theirs)


def test_the_seed_reaches_the_fit():
    import numpy as np

    from classifier.model import PageBatch
    from classifier.train import fit_model

    # what the fit spread measures: another seed gives another model on the same data
    ts = _small_training_set()
    batch = PageBatch.from_pages(ts.pages)
    first = fit_model(ts, max_iter=40, random_state=0).predict_proba(batch)
    second = fit_model(ts, max_iter=40, random_state=1).predict_proba(batch)
    assert not np.array_equal(first, second)


def test_page_weights_reach_the_fit():
    import numpy as np

    from classifier.model import PageBatch
    from classifier.train import fit_model

    ts = _small_training_set()
    batch = PageBatch.from_pages(ts.pages)
    plain = fit_model(ts, max_iter=40).predict_proba(batch)
    # weights of 1 are the unweighted fit; heavier pages give another model
    assert np.array_equal(plain, fit_model(ts.subset(lambda _s: True), max_iter=40).predict_proba(batch))
    ts.weights = [3.0 if n % 2 else 1.0 for n in range(len(ts.pages))]
    assert not np.array_equal(plain, fit_model(ts, max_iter=40).predict_proba(batch))


def test_photo_credits_standing_alone_are_noise():
    import numpy as np

    from classifier import label
    from classifier.model import _photo_credits

    credits = [
        "(AP Photo/Matt Rivers)",
        "Getty Images",
        "Photo: Dana Whitfield, AP",
        "Image credit: Northern Array Ltd.",
        "Photos by Eirik Solberg in Bergen",
        "(Credit: Jan Kowalski/Harbour Times)",
        "Photograph: Maria Lund/Reuters",
    ]
    not_credits = [
        "Photo: Ministers meet the union in Geneva",  # a caption (LABELS.md: reporting)
        "Photos: the harbour through the years",
        "AP photographers covered the strike.",
        "Photo of the day",
        "The photo credit on page two was wrong, the editor said.",
        "Credits: Directed by Jane Doe",  # a film's, not a photo's
    ]
    got = _photo_credits(credits + not_credits)
    assert got.tolist() == [True] * len(credits) + [False] * len(not_credits)
    assert _photo_credits([]).shape == (0,)

    page = "\n".join(
        [
            "Port strike ends after three weeks | Harbour Times",
            "Port strike ends after three weeks",
            "Dock workers voted on Friday to accept a new contract, ending a strike that had closed the port for three weeks, the union said.",
            "Dock workers leave the port gate on Friday after the vote. (AP Photo/Matt Rivers)",
            "Ships queued outside the harbour wall on Saturday morning as the first cranes started up again.",
            "The port authority said it expected to clear the backlog of container ships within ten days.",
            "Photo: Dana Whitfield, AP",
            "Union leaders said the deal raised wages by four percent and limited night shifts to three a week.",
        ]
    )
    labels = {s.text: s.label.value for s in label(page)}
    assert labels["(AP Photo/Matt Rivers)"] == labels["Photo: Dana Whitfield, AP"] == "noise"
    # a credit after its caption, cut off as a sentence, is noise; the caption is not
    assert labels["Dock workers leave the port gate on Friday after the vote."] != "noise"
    assert np.all([labels[t] != "noise" for t in page.split("\n")[1:3]])


def test_a_run_of_captioned_photos_is_a_gallery():
    import numpy as np

    from classifier import split
    from classifier.model import PageBatch, _galleries, _photo_credits

    body = "The council voted on Tuesday to close the old bridge to lorries from next month, the mayor said."
    caption = "Lorries queue at the old bridge in the valley on Monday morning before the vote."
    photos = [f"{caption} (AP Photo/Dana Whitfield)", f"{caption} (AP Photo/Lee Marsh)", "The old bridge", f"{caption} (AP Photo/Jo Pratt)", caption, "Photo: Sam Carter, AP", f"{caption} (AP Photo/Ann Ruiz)"]

    def gallery(blocks: list[str], content: set[str]) -> dict[int, bool]:
        segs = split("\n".join(blocks))
        batch = PageBatch.from_pages([segs])
        p = np.array([0.1 if s.text in content else 0.9 for s in segs])
        got = _galleries(_photo_credits(batch.texts), p, batch)
        return {s.block: bool(g) for s, g in zip(segs, got)}

    article = [body] * 6  # 108 words
    # the article, then four captioned photos (a short line between two of them, a credit alone
    # on its line after its caption): the gallery runs from the first caption to the last
    got = gallery([*article, "More photos", *photos, "Share"], {body, caption})
    assert list(got.values()) == [False] * 7 + [True] * len(photos) + [False]
    # two short lines between two photos ("Advertisement", "3/10") do not end the run
    got = gallery([*article, *photos[:2], "Advertisement", "3/10", *photos[3:]], {body, caption})
    assert list(got.values()) == [False] * 6 + [True] * (len(photos) + 1)
    # three captioned photos are photos in the article, not a gallery
    assert not any(gallery([*article, photos[0], body, photos[1], photos[3], body], {body, caption}).values())
    # a paragraph between two captioned photos ends the run
    assert not any(gallery([*article, photos[0], photos[1], body, photos[3], photos[6]], {body, caption}).values())
    # under a headline and a line of introduction, the gallery is the story told in pictures
    assert not any(gallery(["In pictures: the old bridge", body, *photos, "Share"], {body, caption}).values())
    assert not any(gallery(["Home", *photos, "Share"], {caption}).values())
    # photos in the comment thread are the readers'
    thread = ["12 comments", "Jo Pratt", "March 3, 2024 at 8:14 pm"]
    assert not any(gallery([*article, *thread, *photos], {body, caption}).values())


def test_clean_drops_a_slideshow_under_the_article():
    from classifier import clean

    paragraphs = [
        "The sprinter Dana Whitfield won the 200 metres final at the county games in 22.6 seconds on Thursday, the organisers said.",
        "Whitfield, 24, had finished second in the 100 metres on Sunday and said she had trained all year for this race.",
        "\"I told my coach this one would be different,\" Whitfield told reporters after the race.",
        "The silver went to Lee Marsh, who ran a season's best, and the bronze to Jo Pratt.",
        "Marsh said the wind had been against the runners in the last sixty metres and that she was pleased with her time.",
        "The relay teams start their heats on Friday morning, and the finals are on Saturday evening.",
    ]
    photos = [
        f"Dana Whitfield {act} during the women's 200 metres {stage} at the stadium on {day}. (AP Photo/{who})"
        for act, stage, day, who in [
            ("crosses the line", "final", "Thursday", "Ann Ruiz"),
            ("waves to the crowd", "final", "Thursday", "Sam Carter"),
            ("warms up", "semifinal", "Wednesday", "Ann Ruiz"),
            ("adjusts her blocks", "semifinal", "Wednesday", "Tom Hale"),
            ("celebrates with Lee Marsh", "final", "Thursday", "Sam Carter"),
        ]
    ]
    page = "\n".join(["Whitfield wins the 200 metres | Valley Sport", "Whitfield wins the 200 metres", *paragraphs, "More from the stadium:", "Loading slideshow", *photos, "Share this", "Most read"])
    out = clean(page)
    assert all(p in out for p in paragraphs)
    assert "AP Photo" not in out and "warms up" not in out
