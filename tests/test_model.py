"""The trained model: quality on a held-out split of data/labelled (never training rows),
the champion/challenger rule, refusal of tampered or incompatible model files,
determinism, and the sklearn estimator contract of our transformers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from triage.errors import ModelError
from triage.evaluate import decide_all, holdout_split, metrics
from triage.features import RuleFeatures, TextOf
from triage.model import DEFAULT_MODEL_DIR, TriageModel, data_sha256, load, load_labelled, to_examples
from triage.training import train

from .conftest import ROOT

DATA = ROOT / "data" / "labelled"


@pytest.fixture(scope="module")
def labelled():
    rows = load_labelled([DATA])
    return rows, to_examples(rows)


@pytest.fixture(scope="module")
def holdout_metrics(labelled):
    rows, examples = labelled
    train_idx, test_idx = holdout_split(rows)
    assert not {rows[i].id for i in train_idx} & {rows[i].id for i in test_idx}
    model = TriageModel().fit([examples[i] for i in train_idx], [rows[i] for i in train_idx])
    test = [examples[i] for i in test_idx]
    return metrics([rows[i] for i in test_idx], decide_all(test, model.predict(test)))


def test_holdout_split_is_grouped_by_sender(labelled):
    from triage.model import groups_of

    rows, _ = labelled
    train_idx, test_idx = holdout_split(rows)
    groups = groups_of(rows)
    assert not {groups[i] for i in train_idx} & {groups[i] for i in test_idx}
    assert 0.1 < len(test_idx) / len(rows) < 0.3


def test_verdict_quality_on_held_out_rows(holdout_metrics):
    m = holdout_metrics
    assert m["verdict_macro_f1"] >= 0.90, m["verdict_macro_f1"]
    for lang, v in m["per_language"].items():
        assert v["verdict_macro_f1"] >= 0.85, (lang, v)
    assert m["warm_as_toxic"] <= 0.06, m["warm_as_toxic"]


def test_flags_and_missing_quality_on_held_out_rows(holdout_metrics):
    m = holdout_metrics
    assert m["flags_micro_f1"] >= 0.78, m["flags_micro_f1"]
    assert m["missing_micro_f1"] >= 0.75, m["missing_micro_f1"]


def test_model_beats_the_keyword_baseline(labelled, holdout_metrics):
    from triage.evaluate import keyword_baseline

    rows, examples = labelled
    _, test_idx = holdout_split(rows)
    base = metrics([rows[i] for i in test_idx], keyword_baseline([examples[i] for i in test_idx]))
    for key in ("verdict_macro_f1", "flags_micro_f1", "missing_micro_f1"):
        assert holdout_metrics[key] > base[key] + 0.1, key


def _small(rows, n=220):
    # Every third row keeps all languages and verdicts in a quick training set.
    return rows[::max(1, len(rows) // n)]


def test_champion_challenger_rule(labelled, tmp_path):
    rows, _ = labelled
    good = _small(rows)
    rep = train([], tmp_path, rows=good, folds=0)
    assert rep.replaced and (tmp_path / "model.joblib").exists()
    sha = json.loads((tmp_path / "card.json").read_text())["model_sha256"]

    # A challenger trained on labels scrambled between verdicts is worse and must not land.
    scrambled = [r.__class__(**{**r.__dict__, "verdict": {"warm": "toxic", "toxic": "not_lead",
                                                          "not_lead": "warm"}[r.verdict]})
                 for r in good]
    rep = train([], tmp_path, rows=scrambled, folds=0)
    assert not rep.replaced
    assert any("WORSE" in line for line in rep.comparison)
    assert json.loads((tmp_path / "card.json").read_text())["model_sha256"] == sha

    rep = train([], tmp_path, rows=scrambled, folds=0, force=True)
    assert rep.replaced
    assert json.loads((tmp_path / "card.json").read_text())["model_sha256"] != sha


def test_training_is_deterministic(labelled, tmp_path):
    rows, _ = labelled
    small = _small(rows, 160)
    a = train([], tmp_path / "a", rows=small, folds=2).card
    b = train([], tmp_path / "b", rows=small, folds=2).card
    assert a["metrics"] == b["metrics"]
    assert a["data"]["sha256"] == b["data"]["sha256"]


@pytest.fixture()
def model_copy(tmp_path):
    dst = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL_DIR, dst)
    return dst


def test_shipped_model_loads_and_matches_its_data():
    _, card = load(DEFAULT_MODEL_DIR)
    assert card["data"]["sha256"] == data_sha256([DATA]), "models/default is stale: run `make model`"
    assert card["metrics"]["cv"]["n"] == len(load_labelled([DATA]))



def test_the_unseen_wave_stays_out_of_the_training_data():
    # data/unseen is a blind check: none of its messages may reach the shipped model's rows.
    unseen = load_labelled([ROOT / "data" / "unseen"])
    assert len(unseen) == 480
    trained = {r.body.strip() for r in load_labelled([DATA])}
    assert not [r.id for r in unseen if r.body.strip() in trained]

def test_label_agreement_figures_are_what_the_script_measures(monkeypatch):
    """The data card quotes the blind relabelling's agreement; data/agreement/measure.py measures it."""
    import re
    monkeypatch.syspath_prepend(str(ROOT / "data" / "agreement"))
    from measure import LANGS, agreement, missing_agreement

    labelled = {r.id: r for r in load_labelled([DATA])}
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for metric in ("flags", "missing"):
        quoted = re.search(rf"{metric} micro-F1\s+([\d.]+) / ([\d.]+) / ([\d.]+)", card)
        assert quoted, f"the data card quotes no {metric} agreement"
        for lang, figure in zip(LANGS, quoted.groups(), strict=True):
            assert abs(agreement(lang)[f"{metric}_micro_f1"] - float(figure)) <= 0.005, (lang, metric)
    for lang in LANGS:
        rows = [json.loads(x) for x in (ROOT / "data" / "agreement" / f"{lang}.jsonl").read_text().splitlines()]
        # Blind labels of leads of that language already in data/, never training rows of their own.
        assert len(rows) == 80 and all(labelled[r["id"]].lang == lang for r in rows)
        assert all(labelled[r["id"]].verdict != "not_lead" for r in rows)
    second = re.search(r"second\s+relabelling\s+([\d.]+) / ([\d.]+) / ([\d.]+)", card)
    assert second, "the data card quotes no second relabelling"
    for lang, figure in zip(LANGS, second.groups(), strict=True):
        assert abs(missing_agreement(lang)["missing_micro_f1"] - float(figure)) <= 0.0005, lang
        rows = [json.loads(x) for x in (ROOT / "data" / "agreement" / f"missing-{lang}.jsonl").read_text().splitlines()]
        assert len(rows) == 150 and len({r["id"] for r in rows}) == 150
        assert all(labelled[r["id"]].lang == lang and labelled[r["id"]].verdict != "not_lead" for r in rows)


def test_tampered_model_is_refused(model_copy):
    p = model_copy / "model.joblib"
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0xFF
    p.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load(model_copy)
    # What `triage score` says of it: tests/test_serving.py, beside a tampered view.


def test_incompatible_library_version_is_refused(model_copy):
    card = json.loads((model_copy / "card.json").read_text())
    card["libraries"]["scikit-learn"] = "0.24.2"
    (model_copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="scikit-learn 0.24.2"):
        load(model_copy)


def test_missing_card_is_refused(model_copy):
    (model_copy / "card.json").unlink()
    with pytest.raises(ModelError, match="card"):
        load(model_copy)


@pytest.mark.parametrize("est", [RuleFeatures(scale=2.0), TextOf(part="full"), TextOf(mask_negated=True)])
def test_transformers_follow_the_estimator_contract(est, labelled):
    _, examples = labelled
    c = clone(est)
    assert c.get_params() == est.get_params()
    with pytest.raises(NotFittedError):
        c.transform(examples[:2])
    out = c.fit(examples[:5]).transform(examples[:5])
    assert (out.shape[0] if hasattr(out, "shape") else len(out)) == 5


def test_the_own_text_view_blanks_negated_flags_only_when_asked():
    from triage.nlp.pipeline import analyse
    from triage.parse import parse
    from triage.types import Example, RawMessage

    body = "We need a logo. We don't expect you to be online 24/7, office hours are fine."
    email = parse(RawMessage(id="n", fields={"from": "a@b.c", "subject": "Logo", "body": body}))
    x = Example(email, analyse(email))
    assert x.analysis.negated, "the rule layer must find the refused flag for this test to mean anything"
    spans = [body[f.evidence.start:f.evidence.end] for f in x.analysis.negated]
    masked = TextOf(part="own", mask_negated=True).fit([x]).transform([x])[0]
    plain = TextOf(part="own").fit([x]).transform([x])[0]
    assert all(s in plain for s in spans)
    assert not any(s in masked for s in spans)
    assert len(masked) == len(plain) and "don't expect" in masked and "logo" in masked


def test_score_uses_the_shipped_model_and_explains_model_only_flags(tmp_path):
    body = ("Hello! We run a small bakery and need a logo. Show us what you can do with one "
            "concept first, no charge, and if we like it we'll talk about money.")
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "x", "from": "a@b.c", "subject": "Logo", "body": body}) + "\n")
    res = subprocess.run([sys.executable, "-m", "triage", "score", "--format", "jsonl", str(p)],
                         capture_output=True, cwd=ROOT, timeout=120)
    rec = json.loads(res.stdout)
    assert rec["verdict"] == "toxic"
    for f in rec["flags"]:
        for ev in f["evidence"]:
            assert body[ev["start"]:ev["end"]] == ev["text"] and ev["text"]


def test_shipped_model_on_the_independent_sample_inbox():
    """data/samples was written by another hand and never trained on: an honest check."""
    from triage.service import load_scorer, score_paths

    labels = json.loads((ROOT / "data" / "samples" / "labels.json").read_text(encoding="utf-8"))
    preds = list(score_paths([str(ROOT / "data" / "samples" / "inbox.mbox")], load_scorer()))
    assert len(preds) == len(labels) == 36
    right = sum(labels[p.email.message_id]["verdict"] == p.verdict for p in preds)
    tp = sum(len(set(p.flags) & set(labels[p.email.message_id]["flags"])) for p in preds)
    fp = sum(len(set(p.flags) - set(labels[p.email.message_id]["flags"])) for p in preds)
    fn = sum(len(set(labels[p.email.message_id]["flags"]) - set(p.flags)) for p in preds)
    assert right / len(preds) >= 0.85
    assert 2 * tp / (2 * tp + fp + fn) >= 0.65


def test_model_saved_by_an_earlier_version_still_loads(model_copy):
    """Before the one-pickle wrapper, model.joblib held the TriageModel itself: a user's
    retrained model from then must keep loading, behind the same hash check."""
    import hashlib

    import joblib

    model, _ = load(model_copy)
    p = model_copy / "model.joblib"
    joblib.dump(model, p, compress=3)
    card = json.loads((model_copy / "card.json").read_text())
    card["model_sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
    (model_copy / "card.json").write_text(json.dumps(card))
    legacy, _ = load(model_copy)
    assert isinstance(legacy, TriageModel)
    assert list(legacy.verdict_.classes_) == list(model.verdict_.classes_)
    assert (legacy.verdict_.coef_ == model.verdict_.coef_).all()
    p.write_bytes(p.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        load(model_copy)


def test_a_sentence_the_rules_read_as_refusing_a_flag_is_never_its_evidence():
    from dataclasses import replace

    from triage.model import load_for_scoring
    from triage.nlp.pipeline import analyse
    from triage.parse import parse
    from triage.types import Example, RawMessage

    body = ("Hi Sam,\n\nWe run a small pottery studio and need someone for our Instagram: three posts a week "
            "and replies to comments during office hours.\n\nTo be clear, we don't expect you to answer "
            "messages at night or at weekends, ever.\n\nThe budget is $900 a month.\n\nThanks,\nLena")
    email = parse(RawMessage(id="x", fields={"from": "lena@example.com", "subject": "Instagram help", "body": body}))
    analysis = analyse(email)
    refused = [n for n in analysis.negated if n.label == "boundary_pushing"]
    assert refused, "the rules should read the refusal"
    view, _ = load_for_scoring(DEFAULT_MODEL_DIR)
    a, b = refused[0].evidence.start, refused[0].evidence.end
    # Without the rules' reading, the refusing sentence is what the model would quote...
    blind = view._evidence_sentences([Example(email, replace(analysis, negated=[]))], [["boundary_pushing"]])[0]
    assert blind["boundary_pushing"].start <= a and b <= blind["boundary_pushing"].end
    # ...with it, any evidence comes from elsewhere.
    seen = view._evidence_sentences([Example(email, analysis)], [["boundary_pushing"]])[0]
    ev = seen.get("boundary_pushing")
    assert ev is None or ev.end <= a or b <= ev.start
