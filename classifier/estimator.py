"""Fitting the segment model with scikit-learn.

:class:`SegmentEstimator` is a scikit-learn estimator: ``fit`` learns the word model (logistic
regression), the context model (gradient-boosted trees, stacked on out-of-fold word scores) and
the voice model (logistic regression); :meth:`SegmentEstimator.export` turns them into the plain
arrays of :class:`~classifier.model.SegmentModel`, which labels pages with NumPy alone. Only
training and evaluation import this module.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from .features import hash_words, page_features
from .model import _VOICE_COLUMNS, CONTENT, UNKNOWN, PageBatch, SegmentModel, Trees, _neighbour_scores, decide
from .segment import LABELS, Label, Part, Segment

__all__ = ["SegmentEstimator", "export_trees"]


class SegmentEstimator(ClassifierMixin, BaseEstimator):
    """Fits the segment model: a scikit-learn estimator whose :meth:`export` is the
    :class:`~classifier.model.SegmentModel` that labels pages.

    Parameters
    ----------
    n_features : int
        Width of the hashed word space.
    text_C : float
        Inverse regularisation of the word model.
    voice_C : float
        Inverse regularisation of the voice model.
    folds : int
        Folds (by page) for the out-of-fold word scores the context model learns from.
    max_iter : int
        Boosting rounds of the context model.
    max_depth : int
        Depth limit of its trees (labelling time grows with rounds times depth).
    learning_rate : float
        Its learning rate.
    sentence_weight : float
        Weight of each stand-alone labelled sentence in the voice model, against 1 for a segment
        of a labelled page.
    random_state : int
        Seed for everything random in fitting.
    """

    def __init__(
        self,
        *,
        n_features: int = 2**18,
        text_C: float = 2.0,
        voice_C: float = 1.0,
        folds: int = 5,
        max_iter: int = 150,
        max_depth: int = 8,
        learning_rate: float = 0.15,
        sentence_weight: float = 12.0,
        random_state: int = 0,
    ) -> None:
        self.n_features = n_features
        self.text_C = text_C
        self.voice_C = voice_C
        self.folds = folds
        self.max_iter = max_iter
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.sentence_weight = sentence_weight
        self.random_state = random_state

    # -- fitting -------------------------------------------------------------------------------
    def fit(
        self,
        X: PageBatch,
        y: list[Label] | list[str] | np.ndarray,
        *,
        sentences: tuple[list[str], list[Label]] | None = None,
        sample_weight: np.ndarray | None = None,
    ) -> SegmentEstimator:
        """Fit on a batch of featurised pages and their segment labels.

        ``y`` holds labels, :data:`CONTENT` for content of unknown voice, or :data:`UNKNOWN`. ``sentences`` adds stand-alone sentences labelled reporting or opinion to the voice model.
        """
        y = np.asarray([v if v in (CONTENT, UNKNOWN) else Label(v).value for v in y])
        if len(y) != len(X.texts):
            raise ValueError(f"{len(X.texts)} segments but {len(y)} labels")
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        w = np.where(y == UNKNOWN, 0.0, w)
        words = hash_words(X.texts, self.n_features).to_csr()
        is_noise = (y == Label.NOISE.value).astype(int)

        # 1. word model, with out-of-fold scores for stacking
        oof = np.zeros(len(y))
        pages = np.unique(X.page_ids)
        rng = np.random.RandomState(self.random_state)
        fold_of_page = dict(zip(pages, rng.permutation(len(pages)) % self.folds))
        fold = np.array([fold_of_page[p] for p in X.page_ids])
        for k in range(self.folds):
            train, test = fold != k, fold == k
            if not test.any() or len(set(is_noise[train])) < 2:
                continue
            m = self._word_model().fit(words[train], is_noise[train], sample_weight=w[train])
            oof[test] = m.predict_proba(words[test])[:, 1]
        self.word_model_ = self._word_model().fit(words, is_noise, sample_weight=w)

        # 2. context model
        context = np.hstack([X.dense, _neighbour_scores(oof, X.page_ids)])
        self.context_model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, max_depth=self.max_depth, max_leaf_nodes=31, l2_regularization=1.0, random_state=self.random_state
        ).fit(context, is_noise, sample_weight=w)

        # 3. voice model: reporting vs opinion on what is not noise
        keep = (y == Label.REPORTING.value) | (y == Label.OPINION.value)
        voice_words = words[keep]
        voice_shape = X.dense[keep][:, _VOICE_COLUMNS]
        voice_y = (y[keep] == Label.OPINION.value).astype(int)
        voice_w = w[keep]
        if sentences:
            s_texts, s_labels = sentences
            s_words = hash_words(s_texts, self.n_features).to_csr()
            s_shape = np.vstack([page_features([Segment(t, 0, len(t), 0, Part.ARTICLE)])[:, _VOICE_COLUMNS] for t in s_texts])
            voice_words = sp.vstack([voice_words, s_words])
            voice_shape = np.vstack([voice_shape, s_shape])
            voice_y = np.concatenate([voice_y, [int(Label(v) is Label.OPINION) for v in s_labels]])
            voice_w = np.concatenate([voice_w, np.full(len(s_texts), self.sentence_weight)])
        self.voice_model_ = LogisticRegression(C=self.voice_C, max_iter=2000, class_weight="balanced").fit(
            sp.hstack([voice_words, sp.csr_matrix(voice_shape)]).tocsr(), voice_y, sample_weight=voice_w
        )
        self.classes_ = np.array([label.value for label in LABELS])
        return self

    def _word_model(self) -> LogisticRegression:
        return LogisticRegression(C=self.text_C, max_iter=2000)

    # -- the model that labels pages ------------------------------------------------------------
    def export(self) -> SegmentModel:
        """The fitted model as plain arrays (:class:`~classifier.model.SegmentModel`)."""
        return SegmentModel(
            n_features=self.n_features,
            word_coef=self.word_model_.coef_.ravel().astype(np.float64),
            word_intercept=float(self.word_model_.intercept_[0]),
            trees=export_trees(self.context_model_),
            voice_coef=self.voice_model_.coef_.ravel().astype(np.float64),
            voice_intercept=float(self.voice_model_.intercept_[0]),
            params=self.get_params(),
        )

    def predict_proba(self, X: PageBatch) -> np.ndarray:
        """Probabilities of (reporting, opinion, noise) for each segment, as the exported model gives them."""
        return self.export().predict_proba(X)

    def predict(self, X: PageBatch) -> np.ndarray:
        return self.classes_[decide(self.predict_proba(X))]


def export_trees(model: HistGradientBoostingClassifier) -> Trees:
    """A fitted binary :class:`~sklearn.ensemble.HistGradientBoostingClassifier` as :class:`~classifier.model.Trees`."""
    if model.n_trees_per_iteration_ != 1:
        raise ValueError("only a binary classifier's trees can be exported")
    if model.is_categorical_ is not None and np.any(model.is_categorical_):
        raise ValueError("trees with categorical splits cannot be exported")
    features, thresholds, missing, children, values, roots, depths = [], [], [], [], [], [], []
    offset = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        here = np.arange(len(nodes))
        features.append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.int32))
        thresholds.append(np.where(leaf, np.inf, nodes["num_threshold"]).astype(np.float64))
        missing.append(nodes["missing_go_to_left"].astype(bool))
        pairs = np.empty(2 * len(nodes), dtype=np.int64)
        pairs[0::2] = np.where(leaf, here, nodes["right"]) + offset
        pairs[1::2] = np.where(leaf, here, nodes["left"]) + offset
        children.append(pairs)
        values.append(np.where(leaf, nodes["value"], 0.0).astype(np.float64))
        roots.append(offset)
        depths.append(int(nodes["depth"].max()))
        offset += len(nodes)
    return Trees(
        feature=np.concatenate(features),
        threshold=np.concatenate(thresholds),
        missing_left=np.concatenate(missing),
        children=np.concatenate(children),
        value=np.concatenate(values),
        roots=np.asarray(roots, dtype=np.int64),
        depths=np.asarray(depths, dtype=np.int64),
        baseline=float(np.ravel(model._baseline_prediction)[0]),
    )
