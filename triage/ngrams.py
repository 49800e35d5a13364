"""The same character n-gram counts as scikit-learn's ``char_wb`` analyser, found once per word.

``TfidfVectorizer(analyzer="char_wb")`` cuts every word of every message into
n-grams in Python and looks each one up: most of the model's scoring time.
But its n-grams never cross a word, and words repeat within a message and
across messages, so the in-vocabulary n-grams of each distinct word are cached
and a message's counts are summed over its distinct words. The counts matrix
is the one scikit-learn builds (a test compares them on awkward text); the
n-grams of a word come from scikit-learn's own code, and so does the TF-IDF
weighting after counting.
"""

from __future__ import annotations

import copyreg
from collections import Counter
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

try:
    from sklearn.utils._sparse import _align_api_if_sparse
except ImportError:  # scikit-learn before 1.8 returns its sparse results as they are
    def _align_api_if_sparse(X):  # type: ignore[no-redef]
        return X

# Distinct words kept; on a huge mailbox the cache is emptied rather than grown (~25 MB).
CACHE_WORDS = 100_000


class WordCachedCharTfidf(TfidfVectorizer):
    """A fitted ``char_wb`` TfidfVectorizer whose transform counts n-grams per distinct word."""

    _word_ngrams: dict[str, tuple[int, ...]]

    def _count_vocab(self, raw_documents, fixed_vocab):
        docs = raw_documents if isinstance(raw_documents, list) else list(raw_documents)
        if not fixed_vocab or not all(isinstance(d, str) for d in docs):
            return super()._count_vocab(docs, fixed_vocab)
        cache = self.__dict__.setdefault("_word_ngrams", {})
        vocabulary = self.vocabulary_
        preprocess = self.build_preprocessor()
        j_indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for doc in docs:
            for word, n in Counter(self._white_spaces.sub(" ", preprocess(doc)).split()).items():
                found = cache.get(word)
                if found is None:
                    if len(cache) >= CACHE_WORDS:
                        cache.clear()
                    found = cache[word] = tuple(
                        vocabulary[g] for g in self._char_wb_ngrams(word) if g in vocabulary)
                # An n-gram shared by several words appears once per word here; the sparse
                # matrix sums such duplicates below, in C rather than in a Python dict.
                j_indices.extend(found)
                values.extend((n,) * len(found))
            indptr.append(len(j_indices))
        # The tail of scikit-learn's own _count_vocab, so the matrix is built the same way.
        dtype = np.int32 if indptr[-1] <= np.iinfo(np.int32).max else np.int64
        X = sparse.csr_array((np.asarray(values, dtype=np.intc), np.asarray(j_indices, dtype=dtype),
                              np.asarray(indptr, dtype=dtype)),
                             shape=(len(indptr) - 1, len(vocabulary)), dtype=self.dtype)
        X.sum_duplicates()
        return vocabulary, _align_api_if_sparse(X)

    def __reduce_ex__(self, protocol: Any):
        # Pickled as the plain TfidfVectorizer it was loaded as: model files never name this class.
        import sklearn

        state = {k: v for k, v in self.__dict__.items() if k != "_word_ngrams"}
        state["_sklearn_version"] = sklearn.__version__
        return copyreg._reconstructor, (TfidfVectorizer, object, None), state


def cacheable(vec: Any) -> bool:
    """Whether ``vec`` is a plain char_wb TfidfVectorizer whose analyser the cache reproduces."""
    return (type(vec) is TfidfVectorizer and vec.analyzer == "char_wb" and vec.input == "content"
            and vec.preprocessor is None and hasattr(vec, "vocabulary_"))


def cache_char_ngrams(union: Any) -> None:
    """Switch every cacheable vectoriser inside a fitted FeatureUnion of Pipelines to the cache."""
    for _name, step in getattr(union, "transformer_list", []):
        for _sub, vec in getattr(step, "steps", [(None, step)]):
            if cacheable(vec):
                vec.__class__ = WordCachedCharTfidf
