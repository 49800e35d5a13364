"""The spaCy components as components: registered, built from data, and the
prefilter only ever skips patterns that cannot match."""

from __future__ import annotations

import json

import pytest
import spacy

from triage.nlp import components  # noqa: F401
from triage.nlp.pipeline import get_pipeline
from triage.nlp.prefilter import required_literals, start_literals

from .conftest import DATA, ROOT


def test_components_are_registered_factories():
    for name in ("triage_patterns", "triage_negation", "triage_values"):
        assert name in spacy.registry.factories.get_all()
    nlp = get_pipeline("en")
    assert nlp.pipe_names[-3:] == ["triage_patterns", "triage_negation", "triage_values"]


@pytest.mark.parametrize("pattern, literals", [
    (r"\b(?:free|unpaid)\s+test", {"free", "unpaid"}),
    (r"\b(?:no|not)\s+(?:upfront|advance)", {"no"}),  # re factors out the common prefix
    (r"\b(?:a|no)\s+(?:upfront|advance)", {"upfront", "advance"}),
    (r"(?<![@\w])www\.", {"www."}),
    (r"\d+\s?%", None),
])
def test_required_literals(pattern, literals):
    got = required_literals(pattern)
    assert (set(got) if got is not None else None) == literals


DIGITS = set("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("pattern, literals", [
    (r"\b(?:please )?(?:ignore|disregard)\b", {"please ", "ignore", "disregard"}),
    (r"(?:[$€£]\s?\d+|\d+\s?dollars)", {"$", "€", "£"} | DIGITS),
    (r"(?<![\d.])\d*x", DIGITS | {"x"}),  # an optional start adds what follows it
    (r"\b(?:is|are)?\s*(?:not|never)", None),  # may start with any whitespace
    (r"(?:free )?", None),  # may match nothing, so anywhere
    (r"\b[A-Z][a-z]+ Inc\b", None),  # a class too wide to enumerate
])
def test_start_literals(pattern, literals):
    got = start_literals(pattern)
    assert (set(got) if got is not None else None) == literals


def test_a_pattern_opening_with_a_word_boundary_is_tried_at_word_starts_only():
    from triage.nlp.prefilter import Prefilter

    pf = Prefilter([(r"\bwe\s+need", True), (r"we\s+need", True), (r"(?<!x)\bwe\b", True)])
    text = "Answer: we need it. Twe need"
    got = pf.candidates(text)
    assert got[0] == [8]                         # not inside "Answer" or "Twe"
    assert sorted(set(got[1])) == [3, 8, 21]     # no \b: every occurrence
    assert sorted(set(got[2])) == [8]            # a \b after a lookbehind still counts
    assert pf.candidates("answers") == {1: [3]}  # the \b patterns are not tried at all


# Texts on which lowercasing is not what ``re`` folds (ſ, ı, İ) or holding digits
# outside the three scripts' sets: the prefilter must step aside, not miss.
AWKWARD = [
    "Free teſt task firſt, then we pay 50% once the ſite makes money.",
    "FREE TEST TASK İN ISTANBUL: budget ५०० dollars, and you get १०% of the profits",
    "Бюджет ٥٠٠ دولار, срок ۱۰ дней; тестовое задание бесплатно",
    "الميزانية ٥٠٠ دولار والتسليم خلال ١٠ أيام، ونريد عينة مجانية أولاً",
]


def _texts():
    texts = [json.loads(x)["text"] for p in sorted((DATA / "rule_cases").glob("*.jsonl"))
             for x in p.read_text(encoding="utf-8").splitlines() if x.strip()] + AWKWARD
    for p in sorted((ROOT / "data" / "labelled").glob("*.jsonl")):
        rows = [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
        texts += [(r["lang"], r["subject"] + "\n\n" + r["body"]) for r in rows[::7]]
    return texts


def _texts_for(lang: str) -> list[str]:
    """The language-free texts and the labelled samples of ``lang``."""
    return [t if isinstance(t, str) else t[1] for t in _texts() if isinstance(t, str) or t[0] == lang]


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_prefilter_never_changes_findings(lang):
    with_pf = spacy.blank(lang)
    with_pf.add_pipe("triage_patterns", config={"lang": lang, "prefilter": True})
    without = spacy.blank(lang)
    without.add_pipe("triage_patterns", config={"lang": lang, "prefilter": False})
    texts = _texts_for(lang)
    assert len(texts) > 20
    for text in texts:
        a, b = with_pf(text), without(text)
        for group in components.GROUPS:
            assert [(s.start_char, s.end_char, s.label_) for s in a.spans[group]] == \
                   [(s.start_char, s.end_char, s.label_) for s in b.spans[group]], (group, text[:80])


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_the_lean_pipeline_reads_what_a_plain_one_does(lang):
    """get_pipeline keeps the text in the doc and computes only the lexical attributes
    the components read; a plain blank pipeline with the same components must find the
    same spans, and every attribute they read must agree token by token."""
    plain = spacy.blank(lang)
    for name in ("triage_patterns", "triage_negation", "triage_values"):
        plain.add_pipe(name, config={"lang": lang} if name == "triage_patterns" else {})
    lean = get_pipeline(lang)
    for text in _texts_for(lang):
        a, b = lean(text), plain(text)
        assert a.user_data[components.TEXT_KEY] == text
        assert [(t.lower_, t.is_punct, t.is_space, t.is_quote) for t in a] == \
               [(t.lower_, t.is_punct, t.is_space, t.is_quote) for t in b], text[:80]
        for group in (*components.GROUPS, "negated"):
            assert [(s.start_char, s.end_char, s.label_, s._.triage_value) for s in a.spans.get(group, [])] == \
                   [(s.start_char, s.end_char, s.label_, s._.triage_value) for s in b.spans.get(group, [])], \
                   (group, text[:80])


def test_a_retraction_never_reaches_back_into_the_subject():
    from triage.nlp.pipeline import analyse
    from triage.parse import parse
    from triage.types import RawMessage

    def flags(subject: str, body: str) -> set[str]:
        email = parse(RawMessage(id="r", fields={"from": "", "subject": subject, "body": body}))
        return {f.label for f in analyse(email).flags}

    assert "unpaid_test" in flags("Free test first", "Please ignore that typo.")
    # The same retraction after a body sentence that is the sender's own reported practice.
    assert "unpaid_test" not in flags("Logo", "My co-founder suggested a free test task. We don't.")


@pytest.mark.parametrize("prefilter", [True, False])
def test_a_malformed_pattern_fails_when_the_pipeline_is_built(monkeypatch, prefilter):
    """Patterns are compiled when first tried; one the prefilter cannot read must still
    fail at once, not midway through someone's inbox."""
    rows = ({"label": "free_work", "regex": r"\bfree\s+test"}, {"label": "free_work", "regex": r"(?:unclosed"})
    monkeypatch.setattr(components, "load_patterns", lambda lang, group: rows if group == "flags" else ())
    nlp = spacy.blank("en")
    with pytest.raises(Exception, match="missing\\)|unterminated subpattern"):
        nlp.add_pipe("triage_patterns", config={"lang": "en", "prefilter": prefilter})


def test_patterns_are_compiled_when_first_tried(monkeypatch):
    rows = ({"label": "free_work", "regex": r"\bfree\s+test"}, {"label": "spec_work", "regex": r"\bspec\s+work"})
    monkeypatch.setattr(components, "load_patterns", lambda lang, group: rows if group == "flags" else ())
    nlp = spacy.blank("en")
    step = nlp.add_pipe("triage_patterns", config={"lang": "en"})
    doc = step(nlp.make_doc("Start with a free test, please."))
    assert [s.text for s in doc.spans["flags"]] == ["free test"]
    assert step._compiled[0] is not None and step._compiled[1] is None
