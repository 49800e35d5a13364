"""The model's scikit-learn-free scoring view: it scores as the fitted model does, it is
refused when it does not match its card, and scoring with it never imports scikit-learn."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from triage import serving
from triage.errors import ModelError
from triage.model import (
    DEFAULT_MODEL_DIR,
    TriageModel,
    load,
    load_for_scoring,
    load_labelled,
    save,
    to_examples,
)
from triage.types import Analysis, Email, Example

from .conftest import ROOT

DATA = ROOT / "data" / "labelled"


@pytest.fixture(scope="module")
def shipped():
    model, _ = load(DEFAULT_MODEL_DIR)
    view, _ = load_for_scoring(DEFAULT_MODEL_DIR)
    return model, view


def _awkward() -> list[Example]:
    """Text the analysers treat specially: nothing at all, one-letter words, a word longer than
    any n-gram, runs of whitespace, mixed scripts and digits, a body past max_chars."""
    bodies = ["", "a", "I  a\t\tb\n\n\nc", "x" * 40, "Ёлка ёлка  ЁЛКА", "مرحبا، نحتاج شعاراً ٥٠٠ $",
              "We need a logo. " * 400, "!!! ??? ...", "one two one two one"]
    return [Example(Email(id=str(i), message_id=None, sender="a@b.com", subject=s, body=b, lang="en",
                          own=((0, len(b)),)), Analysis())
            for i, b in enumerate(bodies) for s in ("", "Re: logo")]


def test_the_view_scores_as_the_fitted_model(shipped):
    model, view = shipped
    assert isinstance(view, serving.ModelView)
    rows = load_labelled([DATA])[::7]
    X = to_examples(rows) + _awkward()
    a, b = model.probabilities(X), view.probabilities(X)
    assert list(a[1]) == list(b[1])
    for k in (0, 2, 3):
        assert a[k].shape == b[k].shape
        assert np.abs(a[k] - b[k]).max() < 1e-6
    # Evidence sentences for model-only flags come from the same scores.
    pa, pb = model.predict(X), view.predict(X)
    assert [p.flag_sentences for p in pa] == [p.flag_sentences for p in pb]
    assert sum(bool(p.flag_sentences) for p in pa) > 20


def test_save_writes_the_view_and_its_hash(tmp_path):
    rows = load_labelled([DATA])[::25]
    model = TriageModel().fit(to_examples(rows), rows)
    card = save(model, tmp_path, {"name": "t"})
    assert (tmp_path / serving.VIEW_FILE).stat().st_size == card["view_bytes"]
    view, _ = load_for_scoring(tmp_path)
    X = to_examples(load_labelled([DATA])[1::40])
    assert np.abs(model.probabilities(X)[0] - view.probabilities(X)[0]).max() < 1e-6


@pytest.fixture()
def model_copy(tmp_path):
    dst = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, dst)
    return dst


@pytest.mark.parametrize("victim", [serving.VIEW_FILE, "model.joblib"])
def test_a_tampered_view_or_model_is_refused_before_scoring(model_copy, victim):
    p = model_copy / victim
    data = bytearray(p.read_bytes())
    data[len(data) // 3] ^= 0x01
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_for_scoring(model_copy)
    res = subprocess.run([sys.executable, "-m", "triage", "score", "--model", str(model_copy), "-"],
                         input=b"Subject: hi\n\nwe need a logo", capture_output=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    err = res.stderr.decode()
    assert err.count("\n") == 1 and "SHA-256 does not match" in err and "Traceback" not in err


def test_a_missing_view_the_card_lists_is_refused(model_copy):
    (model_copy / serving.VIEW_FILE).unlink()
    with pytest.raises(ModelError, match=serving.VIEW_FILE):
        load_for_scoring(model_copy)


def test_a_model_without_a_view_is_viewed_when_it_loads(model_copy, shipped):
    """A user's model retrained before views existed has none on its card: it still serves,
    through a view built in memory, behind the model file's own hash check."""
    card = json.loads((model_copy / "card.json").read_text())
    del card["view_sha256"], card["view_bytes"]
    (model_copy / "card.json").write_text(json.dumps(card))
    (model_copy / serving.VIEW_FILE).unlink()
    view, _ = load_for_scoring(model_copy)
    assert isinstance(view, serving.ModelView)
    X = _awkward()
    assert np.abs(view.probabilities(X)[0] - shipped[0].probabilities(X)[0]).max() < 1e-6
    p = model_copy / "model.joblib"
    p.write_bytes(p.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load_for_scoring(model_copy)


def test_scoring_with_the_shipped_model_never_imports_scikit_learn():
    code = ("import sys\n"
            "from triage.service import load_scorer\n"
            "from triage.parse import parse\n"
            "from triage.types import RawMessage\n"
            "s = load_scorer(required=True)\n"
            "p = s.score_email(parse(RawMessage(id='1', raw=b'Subject: logo\\n\\nWe need a logo, '\n"
            "    b'paid only if we like it. Do a free test first.')))\n"
            "print(p.verdict, sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120, text=True)
    assert res.returncode == 0, res.stderr
    verdict, modules = res.stdout.split(" ", 1)
    assert verdict == "toxic"
    assert modules.strip() == "[]"
