"""The fitted model as plain arrays, for scoring without scikit-learn.

Importing scikit-learn (and the SciPy it pulls in) took about 1.8 s of every start-up
of ``triage score``, and its per-call checks a share of each batch, for what is at
scoring time a few dictionary look-ups and dot products. When a model is saved,
``export`` writes its vocabularies, IDF weights and the coefficients of all three
heads to ``view.npz`` (no pickle inside); ``ModelView`` scores from that file and
reads the texts and signals through the same functions as the scikit-learn
transformers (triage.signals). A test holds the view's probabilities to the fitted
model's on labelled messages and on awkward text. The model card records the view's
SHA-256, and it is checked before the view is read, as for the model file.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from triage.model import Predicts
from triage.signals import SIGNAL_NAMES, signals, text_of
from triage.taxonomy import DETAILS, FLAGS

VIEW_FILE = "view.npz"
VIEW_FORMAT = 1
# Distinct words whose character n-grams are kept; a huge mailbox empties it rather than grows it.
CACHE_WORDS = 100_000
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass
class _Block:
    """One TF-IDF vectoriser: which text it reads, how it cuts it, its vocabulary and IDF."""

    part: str
    max_chars: int
    mask_negated: bool
    analyzer: str  # "word" or "char_wb"
    ngram: tuple[int, int]
    token_pattern: str
    index: dict[str, int]
    idf: np.ndarray
    offset: int  # where its columns start in the joined feature space

    def __post_init__(self) -> None:
        self._tokens = re.compile(self.token_pattern)
        self._words: dict[str, tuple[int, ...]] = {}

    def columns(self, text: str) -> list[int]:
        """The column of every in-vocabulary n-gram of ``text``, once per occurrence."""
        text = text.lower()
        index = self.index
        if self.analyzer == "word":
            # scikit-learn's word n-grams: the tokens, then each run of n joined by a space.
            tokens = self._tokens.findall(text)
            lo, hi = self.ngram
            grams: list[str] = list(tokens) if lo == 1 else []
            for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
                grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
            return [index[g] for g in grams if g in index]
        # scikit-learn's char_wb n-grams never cross a word, so each distinct word's columns
        # are found once and kept.
        out: list[int] = []
        cache = self._words
        for word, n in Counter(_WHITE_SPACES.sub(" ", text).split()).items():
            cols = cache.get(word)
            if cols is None:
                if len(cache) >= CACHE_WORDS:
                    cache.clear()
                cols = cache[word] = self._word_char_columns(word)
            out += cols * n
        return out

    def _word_char_columns(self, word: str) -> tuple[int, ...]:
        w = f" {word} "
        lo, hi = self.ngram
        index = self.index
        cols = []
        for n in range(lo, hi + 1):
            # A padded word no longer than n is one n-gram, the last this word gives.
            grams = [w] if n >= len(w) else [w[i:i + n] for i in range(len(w) - n + 1)]
            cols += [index[g] for g in grams if g in index]
            if n >= len(w):
                break
        return tuple(cols)

    def rows(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row, column and TF-IDF value (sublinear tf, l2-normalised per row, as
        scikit-learn computes them) of every nonzero entry of this block for ``texts``,
        ordered by row."""
        lists = [self.columns(t) for t in texts]
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        cols = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lengths.sum()))
        width = max(1, len(self.index))
        keys, tf = np.unique(np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * width + cols,
                             return_counts=True)
        row, col = np.divmod(keys, width)
        vals = (np.log(tf.astype(np.float32)) + np.float32(1.0)) * self.idf[col]
        norms = np.sqrt(np.bincount(row, weights=np.square(vals, dtype=np.float64), minlength=len(texts)))
        return row, col + self.offset, vals / norms[row]


class ModelView(Predicts):
    """Scores as the fitted TriageModel does, from the arrays ``export`` wrote."""

    def __init__(self, blocks: list[_Block], signal_offset: int, signal_scale: float,
                 weights: np.ndarray, bias: np.ndarray, classes: list[str]) -> None:
        self.blocks = blocks
        self.signal_offset = signal_offset
        self.signal_scale = signal_scale
        self.weights = weights  # features x (verdict classes + flags + details)
        self.bias = bias
        self.classes = classes

    def _scores(self, X) -> np.ndarray:
        """Every head's decision value for each example: features x weights + bias."""
        n = len(X)
        sig = np.asarray([signals(x) for x in X], dtype=np.float64).reshape(n, len(SIGNAL_NAMES))
        out = (sig * self.signal_scale) @ self.weights[self.signal_offset:self.signal_offset + sig.shape[1]]
        out += self.bias
        parts = [b.rows([text_of(x, b.part, b.max_chars, b.mask_negated) for x in X]) for b in self.blocks]
        row = np.concatenate([p[0] for p in parts])
        order = np.argsort(row, kind="stable")
        row = row[order]
        col = np.concatenate([p[1] for p in parts])[order]
        val = np.concatenate([p[2] for p in parts])[order].astype(np.float64)
        if row.size:
            # Each example's entries are one run of the sorted rows; examples without any are skipped.
            present, starts = np.unique(row, return_index=True)
            out[present] += np.add.reduceat(self.weights[col] * val[:, None], starts, axis=0)
        return out

    def probabilities(self, X):
        s = self._scores(X)
        k, f = len(self.classes), len(FLAGS)
        v = s[:, :k] - s[:, :k].max(axis=1, keepdims=True)
        pv = np.exp(v)
        pv /= pv.sum(axis=1, keepdims=True)
        return pv, self.classes, _sigmoid(s[:, k:k + f]), _sigmoid(s[:, k + f:])

    def flag_probabilities(self, X):
        s = self._scores(X)
        k = len(self.classes)
        return _sigmoid(s[:, k:k + len(FLAGS)])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e^-z) without overflowing for very negative z.
    return np.exp(-np.logaddexp(0.0, -z))


# ---------------------------------------------------------------- export / read

def _viewable(model: Any) -> bool:
    """Whether ``model`` follows the one recipe the view reproduces; a model of another
    (a user's older model, say) is scored by scikit-learn as it is."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from triage.features import RuleFeatures, TextOf

    *texts, (_name, rules) = model.features_.transformer_list
    if not isinstance(rules, RuleFeatures):
        return False
    same = {"input": "content", "lowercase": True, "preprocessor": None, "tokenizer": None,
            "strip_accents": None, "stop_words": None, "norm": "l2", "use_idf": True,
            "sublinear_tf": True, "binary": False}
    for _name, step in texts:
        if not isinstance(step, Pipeline) or len(step.steps) != 2:
            return False
        text, vec = step.steps[0][1], step.steps[1][1]
        if not isinstance(text, TextOf) or not isinstance(vec, TfidfVectorizer) \
                or vec.analyzer not in ("word", "char_wb") \
                or any(getattr(vec, k) != v for k, v in same.items()) \
                or any("\n" in term for term in vec.vocabulary_):  # terms are stored newline-joined
            return False
    heads = [model.verdict_] + list(model.flags_.estimators_) + list(model.missing_.estimators_)
    return (all(type(h) is LogisticRegression for h in heads)
            and len(model.verdict_.classes_) >= 3 and all(len(h.classes_) == 2 for h in heads[1:])
            and len(model.flags_.estimators_) == len(FLAGS) and len(model.missing_.estimators_) == len(DETAILS))


def _arrays(model: Any) -> dict[str, np.ndarray] | None:
    """The view's arrays for a fitted TriageModel, or None when it cannot be viewed."""
    if not _viewable(model):
        return None
    arrays: dict[str, np.ndarray] = {"format": np.asarray(VIEW_FORMAT)}
    offset = 0
    blocks = []
    for k, (_name, step) in enumerate(model.features_.transformer_list[:-1]):
        text, vec = step.steps[0][1], step.steps[1][1]
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        arrays[f"terms{k}"] = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
        arrays[f"idf{k}"] = np.asarray(vec.idf_, dtype=np.float32)
        blocks.append({"part": text.part, "max_chars": text.max_chars,
                       "mask_negated": bool(getattr(text, "mask_negated", False)),
                       "analyzer": vec.analyzer, "ngram": list(vec.ngram_range),
                       "token_pattern": vec.token_pattern, "offset": offset})
        offset += len(terms)
    heads = [model.verdict_, *model.flags_.estimators_, *model.missing_.estimators_]
    weights = np.vstack([h.coef_ for h in heads]).T
    if weights.shape[0] != offset + len(SIGNAL_NAMES):
        return None
    arrays["weights"] = np.ascontiguousarray(weights, dtype=np.float32)
    arrays["bias"] = np.concatenate([h.intercept_ for h in heads]).astype(np.float64)
    arrays["meta"] = np.frombuffer(json.dumps({
        "blocks": blocks, "signal_offset": offset,
        "signal_scale": float(model.features_.transformer_list[-1][1].scale),
        "classes": [str(c) for c in model.verdict_.classes_]}).encode(), dtype=np.uint8)
    return arrays


def export(model: Any) -> bytes | None:
    """The view of a fitted TriageModel as .npz bytes, or None when it cannot be viewed."""
    arrays = _arrays(model)
    if arrays is None:
        return None
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def view_of(model: Any) -> ModelView | None:
    """The view of a fitted TriageModel, built in memory, or None when it cannot be viewed."""
    arrays = _arrays(model)
    return _from_arrays(arrays) if arrays is not None else None


def read(data: bytes) -> ModelView:
    """A view from the bytes ``export`` wrote; the caller has checked their hash."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return _from_arrays(z)


def _from_arrays(z: Mapping[str, np.ndarray]) -> ModelView:
    if int(z["format"]) != VIEW_FORMAT:
        raise ValueError(f"view format {int(z['format'])}, expected {VIEW_FORMAT}")
    meta = json.loads(z["meta"].tobytes().decode())
    blocks = []
    for k, b in enumerate(meta["blocks"]):
        packed = z[f"terms{k}"].tobytes().decode("utf-8")
        terms = packed.split("\n") if packed else []
        blocks.append(_Block(part=b["part"], max_chars=b["max_chars"], mask_negated=b["mask_negated"],
                             analyzer=b["analyzer"], ngram=tuple(b["ngram"]), token_pattern=b["token_pattern"],
                             index={t: i for i, t in enumerate(terms)}, idf=z[f"idf{k}"], offset=b["offset"]))
    return ModelView(blocks, meta["signal_offset"], meta["signal_scale"], z["weights"], z["bias"],
                     meta["classes"])
