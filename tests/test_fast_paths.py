"""Fast paths that must not change a result: scoring with evidence sentences only where
shown is the full scoring. (The scoring view's own agreement with scikit-learn is in
test_serving.py.)"""

from __future__ import annotations


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
