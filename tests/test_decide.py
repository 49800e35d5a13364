"""How decide() combines rule findings with model probabilities (pure logic, no model file)."""

from __future__ import annotations

from triage.decide import MODEL_TOXIC_AT, RULE_CONFIRMED_AT, RULE_FLAG_AT, ModelOutput, decide
from triage.taxonomy import FLAGS
from triage.types import Analysis, Email, Evidence, Finding

SENTENCES = {
    "profit_share": "We'd love royalties on top of your fee.",
    "rush": "Also we need the whole site by tonight.",
    "pay_later": "We pay once the shop makes money.",
    "exposure": "Your name will be seen by thousands.",
}
BODY = " ".join(SENTENCES.values())


def _email() -> Email:
    return Email(id="x", message_id=None, sender="a@b.c", subject="Shop site", body=BODY, lang="en",
                 own=((0, len(BODY)),))


def _span(text: str) -> Evidence:
    start = BODY.index(text)
    return Evidence("body", start, start + len(text), text)


def _rule(label: str, phrase: str) -> Finding:
    return Finding("flag", label, _span(phrase))


def _model(toxic: float, flags: dict[str, float], warm: float | None = None) -> ModelOutput:
    """Model output whose flags each have their own evidence sentence."""
    warm = 1.0 - toxic - 0.02 if warm is None else warm
    return ModelOutput(verdict={"warm": warm, "toxic": toxic, "not_lead": 1.0 - toxic - warm},
                       flags={f: flags.get(f, 0.01) for f in FLAGS},
                       flag_sentences={f: _span(SENTENCES[f]) for f in flags})


def test_a_rule_flag_the_model_rules_out_is_not_shown():
    analysis = Analysis(flags=(_rule("profit_share", "royalties on top of your fee"),
                               _rule("pay_later", "pay once the shop makes money")))
    p = decide(_email(), analysis, _model(0.9, {"profit_share": RULE_FLAG_AT / 2, "pay_later": 0.2}))
    assert p.verdict == "toxic"
    assert list(p.flags) == ["pay_later"]
    # a shown rule flag keeps the rule's own evidence, not the model's sentence
    assert [e.text for e in p.flags["pay_later"]] == ["pay once the shop makes money"]


def test_rule_and_model_only_flags_each_keep_their_own_evidence():
    analysis = Analysis(flags=(_rule("pay_later", "pay once the shop makes money"),))
    p = decide(_email(), analysis, _model(0.9, {"pay_later": 0.6, "rush": 0.7, "exposure": 0.1}))
    assert list(p.flags) == ["pay_later", "rush"]
    assert [e.text for e in p.flags["pay_later"]] == ["pay once the shop makes money"]
    assert [e.text for e in p.flags["rush"]] == [SENTENCES["rush"]]
    assert all(BODY[e.start:e.end] == e.text for evs in p.flags.values() for e in evs)


def test_a_rule_flag_alone_does_not_make_a_warm_lead_toxic():
    analysis = Analysis(flags=(_rule("rush", "need the whole site by tonight"),))
    unconfirmed = _model(0.45, {"rush": RULE_CONFIRMED_AT - 0.1}, warm=0.53)
    assert decide(_email(), analysis, unconfirmed).verdict == "warm"


def test_a_rule_flag_the_flag_head_confirms_makes_a_lead_toxic():
    analysis = Analysis(flags=(_rule("rush", "need the whole site by tonight"),))
    confirmed = _model(0.3, {"rush": RULE_CONFIRMED_AT}, warm=0.68)
    p = decide(_email(), analysis, confirmed)
    assert p.verdict == "toxic" and p.score == 0.3
    assert [e.text for e in p.flags["rush"]] == ["need the whole site by tonight"]
    # the flag head alone, with no rule finding, does not overrule the verdict head
    assert decide(_email(), Analysis(), confirmed).verdict == "warm"
    # nor does a confirmed rule flag make a non-inquiry a lead
    not_lead = _model(0.3, {"rush": 0.95}, warm=0.1)
    assert decide(_email(), analysis, not_lead).verdict == "not_lead"


def test_toxic_needs_the_toxic_threshold_even_when_it_is_the_likeliest_verdict():
    # under the threshold the lead is warm, even when not_lead is likelier than warm
    below = _model(MODEL_TOXIC_AT - 0.05, {"rush": 0.5}, warm=0.1)
    assert max(below.verdict, key=below.verdict.get) == "toxic"
    assert below.verdict["not_lead"] > below.verdict["warm"]
    assert decide(_email(), Analysis(), below).verdict == "warm"
    at = _model(MODEL_TOXIC_AT, {"rush": 0.5}, warm=0.3)
    p = decide(_email(), Analysis(), at)
    assert p.verdict == "toxic" and list(p.flags) == ["rush"]


def test_a_toxic_lead_names_its_likeliest_flag_that_has_evidence():
    analysis = Analysis(flags=(_rule("pay_later", "pay once the shop makes money"),))
    # every flag under the thresholds; pay_later, the likeliest, was found by a rule
    p = decide(_email(), analysis, _model(0.8, {"pay_later": RULE_FLAG_AT / 2, "rush": RULE_FLAG_AT / 4}))
    assert list(p.flags) == ["pay_later"]
    assert [e.text for e in p.flags["pay_later"]] == ["pay once the shop makes money"]
    # the likeliest flag overall has no evidence at all: the likeliest that has some is shown
    no_sentence = ModelOutput(verdict={"warm": 0.1, "toxic": 0.85, "not_lead": 0.05},
                              flags={f: 0.01 for f in FLAGS} | {"exposure": 0.2, "pay_later": 0.05},
                              flag_sentences={"rush": _span(SENTENCES["rush"])})
    p = decide(_email(), analysis, no_sentence)
    assert list(p.flags) == ["pay_later"]


def test_a_detail_the_rules_found_is_never_reported_missing():
    from dataclasses import replace

    from triage.decide import MISSING_AT
    from triage.taxonomy import DETAILS

    deadline = Finding("detail", "deadline", _span("by tonight"), value={"days": 0})
    sure = replace(_model(0.1, {}), missing={d: 0.99 for d in DETAILS})
    p = decide(_email(), Analysis(details=(deadline,)), sure)
    assert "deadline" in p.details and "deadline" not in p.missing
    assert set(p.missing) == set(DETAILS) - {"deadline"}
    # Without a finding the head decides, at the threshold and not below it.
    at = replace(sure, missing={d: MISSING_AT for d in DETAILS})
    assert decide(_email(), Analysis(), at).missing == DETAILS
    below = replace(sure, missing={d: MISSING_AT - 0.01 for d in DETAILS})
    assert decide(_email(), Analysis(), below).missing == ()
