"""Fast paths that must not change a result: the per-word n-gram cache builds exactly
scikit-learn's matrices, and scoring with evidence sentences only where shown is the full scoring."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from triage.ngrams import CACHE_WORDS, WordCachedCharTfidf, cache_char_ngrams, cacheable

TRAIN = [
    "We need a logo for our bakery by Friday, budget $300.",
    "Нужен логотип для пекарни, бюджет 5 000 ₽, срок — неделя.",
    "نحتاج شعارا لمخبزنا بميزانية ٣٠٠ دولار",
    "Free test task first, then we pay later. Exposure guaranteed!",
    "a b c dd eee ffff ggggg hhhhhh",
]
AWKWARD = [
    "", " ", "\n\n\t", "x", "Logo  logo\tLOGO\nlogo\u00a0logo\u2003logo",
    "İstanbul ΣΊΣΥΦΟΣ straße ﬁne ǅemal", "a\x1cb\x1dc\x85d", "tab\there\r\nCRLF\u2028line",
    "مقدماً. خصم ٪٥٠", "emoji 🎨🎨 and ZWJ 👩‍💻", "we need a logo " * 200,
] + TRAIN


def _plain(vec: TfidfVectorizer) -> TfidfVectorizer:
    out = copy.copy(vec)
    out.__class__ = TfidfVectorizer
    return out


@pytest.mark.parametrize("params", [
    {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True, "dtype": np.float32},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "lowercase": False},
    {"analyzer": "char_wb", "ngram_range": (3, 3), "binary": True, "max_features": 40},
])
def test_same_matrix_as_sklearn(params):
    union_like = TfidfVectorizer(**params).fit(TRAIN + AWKWARD)
    plain = _plain(union_like)
    cached = copy.copy(union_like)
    cached.__class__ = WordCachedCharTfidf
    for docs in (AWKWARD, AWKWARD[::-1], [AWKWARD[4]] * 3, [""]):
        a, b = plain.transform(docs), cached.transform(docs)
        assert type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)


def test_cache_is_bounded_and_not_pickled(monkeypatch):
    import triage.ngrams

    monkeypatch.setattr(triage.ngrams, "CACHE_WORDS", 3)
    vec = TfidfVectorizer(analyzer="char_wb").fit(TRAIN)
    want = vec.transform(AWKWARD)
    vec.__class__ = WordCachedCharTfidf
    assert (vec.transform(AWKWARD) != want).nnz == 0
    assert len(vec._word_ngrams) <= 3 < CACHE_WORDS
    back = pickle.loads(pickle.dumps(vec))
    assert type(back) is TfidfVectorizer and "_word_ngrams" not in back.__dict__
    assert (back.transform(AWKWARD) != want).nnz == 0


def test_only_char_wb_vectorisers_are_switched():
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer().fit(TRAIN)
    chars = TfidfVectorizer(analyzer="char_wb").fit(TRAIN)
    custom = TfidfVectorizer(analyzer="char_wb", preprocessor=str.upper).fit(TRAIN)
    cache_char_ngrams(FeatureUnion([("w", Pipeline([("v", words)])), ("c", Pipeline([("v", chars)])),
                                    ("u", custom)]))
    assert type(words) is TfidfVectorizer and type(custom) is TfidfVectorizer
    assert type(chars) is WordCachedCharTfidf and not cacheable(chars)


def test_scoring_shows_the_evidence_of_full_prediction():
    """The Scorer asks for evidence sentences of toxic verdicts only; what it shows is
    what deciding on the full prediction shows."""
    from triage.decide import decide
    from triage.model import load, load_labelled, to_examples
    from triage.service import Scorer

    from .conftest import ROOT

    model, _card = load()
    rows = [r for r in load_labelled([ROOT / "data" / "labelled"]) if r.verdict != "not_lead"][:60]
    examples = to_examples(rows)
    full = [decide(x.email, x.analysis, o) for x, o in zip(examples, model.predict(examples), strict=True)]
    fast = Scorer(model).score_emails([x.email for x in examples])
    assert [p.as_dict() for p in fast] == [p.as_dict() for p in full]
    assert any(p.verdict == "toxic" for p in full) and any(p.verdict != "toxic" for p in full)
