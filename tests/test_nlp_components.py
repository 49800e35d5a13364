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
    # re factors "no" out of "no|not"; of the literals every match holds, the longest are kept
    (r"\b(?:no|not)\s+(?:upfront|advance)", {"upfront", "advance"}),
    (r"\b(?:a|no)\s+(?:upfront|advance)", {"upfront", "advance"}),
    (r"(?<![@\w])www\.", {"www."}),
    (r"\d+\s?%", None),
])
def test_required_literals(pattern, literals):
    got = required_literals(pattern)
    assert (set(got) if got is not None else None) == literals


DIGITS = set("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("pattern, literals", [
    # Start literals are followed through what comes after them: re's parser leaves "s" and
    # "i" as the starts of "split|share" and "I'm|I am", and those letters are everywhere.
    (r"\b(?:please )?(?:ignore|disregard)\b", {"please ignore", "please disregard", "ignore", "disregard"}),
    (r"\b(?:split|share) the\b", {"split the", "share the"}),
    (r"\bI(?:'m| am) (?:broke|poor)", {"i'm broke", "i'm poor", "i am broke", "i am poor"}),
    (r"(?<!\w)[وف]?(?:بال|ال)?مجان", {"مجان", "ومجان", "فمجان", "المجان", "والمجان", "فالمجان",
                                     "بالمجان", "وبالمجان", "فبالمجان"}),
    (r"\b(?:free|unpaid)\s+test", {"free", "unpaid"}),  # \s+ may be any space: the start stops there
    (r"(?:[$€£]\s?\d+|\d+\s?dollars)", {"$", "€", "£"} | DIGITS),
    (r"(?<![\d.])\d*x", DIGITS | {"x"}),  # an optional start adds what follows it
    (r"\b(?:is|are)?\s*(?:not|never)", None),  # may start with any whitespace
    (r"(?:free )?", None),  # may match nothing, so anywhere
    (r"\b[A-Z][a-z]+ Inc\b", None),  # a class too wide to enumerate
])
def test_start_literals(pattern, literals):
    got = start_literals(pattern)
    assert (set(got) if got is not None else None) == literals


def test_a_pattern_is_tried_only_where_a_literal_it_must_hold_occurs():
    from triage.nlp.prefilter import Prefilter

    # Starts at "no" (everywhere), but every match holds "upfront" or "advance".
    pf = Prefilter([(r"\b(?:no|not)\s+(?:upfront|advance)", True), (r"\bno\b", True)])
    assert pf.candidates("No, not now: no.") == {1: [0, 4, 8, 13]}  # positions, not matches
    assert pf.candidates("No advance, no.") == {0: [0, 12], 1: [0, 12]}


def test_a_pattern_opening_with_a_word_boundary_is_tried_at_word_starts_only():
    from triage.nlp.prefilter import Prefilter

    pf = Prefilter([(r"\bwe\s+need", True), (r"we\s+need", True), (r"(?<!x)\bwe\b", True)])
    text = "Answer: we need it. Twe need"
    got = pf.candidates(text)
    assert got[0] == [8]                         # not inside "Answer" or "Twe"
    assert sorted(set(got[1])) == [3, 8, 21]     # no \b: every occurrence
    assert sorted(set(got[2])) == [8]            # a \b after a lookbehind still counts
    assert pf.candidates("answers need") == {1: [3]}  # the \b patterns are not tried at all


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


# ---------------------------------------------------------------- the RE2 confirmation

def test_the_widened_space_class_is_what_re_calls_a_space():
    import re

    from triage.nlp.prefilter import SPACE_RANGES

    python = {c for c in range(0x110000) if re.match(r"\s", chr(c))}
    assert python == {c for lo, hi in SPACE_RANGES for c in range(lo, hi + 1)}


def test_re_and_re2_pair_cases_alike_except_the_dotless_and_dotted_i():
    """Every pair of characters ``re`` matches case-insensitively, RE2 does too, except
    the ones kept from RE2 wherever they stand, in a text or in a pattern."""
    import _sre
    import re
    from re import _casefix  # type: ignore[attr-defined]

    import re2  # a declared dependency: its absence is a broken install, not a skip

    from triage.nlp.prefilter import FOLDED_APART

    apart = set()
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        partners = {_sre.unicode_tolower(c), *_casefix._EXTRA_CASES.get(c, ())} - {c}
        for p in partners:
            for a, b in ((chr(p), chr(c)), (chr(c), chr(p))):
                if re.fullmatch("(?i)" + re.escape(a), b) and not re2.fullmatch("(?i)" + re2.escape(a), b):
                    apart |= {a, b} - set("iI")
    assert apart and apart <= FOLDED_APART


@pytest.mark.parametrize("pattern, text, start", [
    (r"(?<=\n)\bfree\s+test", "a\nFree  test", 2),              # lookbehind and \b dropped
    (r"(?<![\w.])\d{1,2}\s?%", "up to 15 %", 6),
    (r"(?-i:R)\s?\d{3,}", "r 500 or R 700", 9),                  # a case-sensitive group kept
    (r"\bpay\w*[^.\n]{0,50}\bonce\b", "Payment, as ever, once it sells", 0),
    (r"\bбесплатн\w*\s+тестов\w*", "Сделайте БЕСПЛАТНОЕ тестовое", 9),
    (r"\b(?:[وف])?(?:ال)?عين[ةه]\s+مجاني[ةه]", "نريد عينة مجانية", 5),
])
def test_a_widened_pattern_finds_the_match_no_later(pattern, text, start):
    import re

    import re2  # a declared dependency: its absence is a broken install, not a skip

    from triage.nlp.prefilter import widened

    assert re.search(pattern, text, re.IGNORECASE).start() == start
    m = re2.search(widened(pattern), text.encode())
    assert m is not None and len(text.encode()[:m.start()].decode()) <= start


@pytest.mark.parametrize("pattern, text", [
    (r"\bfree\s+test", "a free trial"),
    (r"\bпредоплат\w+", "оплата по факту"),
    (r"\bfee\b[^.\n]{0,20}\bupfront", "No fee.\nUpfront costs are ours."),
])
def test_a_widened_pattern_still_rules_out(pattern, text):
    import re2  # a declared dependency: its absence is a broken install, not a skip

    from triage.nlp.prefilter import widened

    assert re2.search(widened(pattern), text.encode()) is None


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_re2_never_rules_out_a_match_of_the_shipped_patterns(lang):
    """For every pattern and text: where ``re`` finds a match, RE2 says one can start at or
    before it. This is what lets the pattern step skip a pattern or start late."""
    import re

    from triage.nlp.components import GROUPS, load_patterns
    from triage.nlp.prefilter import Prefilter

    rows = [r for g in GROUPS for r in load_patterns(lang, g)]
    flags = [0 if r.get("case_sensitive") else re.IGNORECASE for r in rows]
    pf = Prefilter([(r["regex"], bool(f)) for r, f in zip(rows, flags, strict=True)])
    compiled = [re.compile(r["regex"], f) for r, f in zip(rows, flags, strict=True)]
    asked = 0
    for text in _texts_for(lang):
        for k, rx in enumerate(compiled):
            m = next((m for m in rx.finditer(text) if m.end() > m.start()), None)
            if m is not None:
                at = pf.earliest(k, text)
                asked += at != 0
                assert 0 <= at <= m.start(), (rows[k]["regex"][:80], text[:80])
    assert asked > 100


@pytest.mark.parametrize("pattern, text", [
    (r"\w*İstanbul", "Moving to istanbul soon"),  # re pairs İ and ı with i; RE2 does not
    (r"[\u0100-\u017f]ncome", "Income is fine"),
    (r"(?i:ı)x", "Ix"),
])
def test_a_pattern_holding_a_dotted_or_dotless_i_is_not_asked_of_re2(pattern, text):
    import re

    from triage.nlp.prefilter import Prefilter, widened

    assert re.search(pattern, text, re.IGNORECASE)
    assert widened(pattern) is None
    assert Prefilter([(pattern, True)]).earliest(0, text) == 0


def test_a_negated_class_is_kept_only_where_no_case_folding_can_reach():
    from triage.nlp.prefilter import widened

    assert "[^\\x{2e}\\x{a}\\x{61b}]" in widened(r"[^.\n؛]{0,40}x")  # punctuation: exact
    assert widened(r"[^ɤ]x") == "(?i)(?s:.)x"  # uncased to Python, paired with Ɤ in Unicode 16
    assert widened(r"(?-i:[^ɤ])x") == "(?i)(?-i:[^\\x{264}])x"  # case-sensitive: exact


def test_a_pattern_whose_re2_searches_are_slow_is_left_to_re(monkeypatch):
    from triage.nlp import prefilter

    monkeypatch.setattr(prefilter, "SLOW_SEARCH", -1.0)  # every pattern counts as slow
    pf = prefilter.Prefilter([(r"\bfree\s+test", True)])
    assert pf._re2 is not None
    for i in range(prefilter.SLOW_AFTER):
        assert pf.earliest(0, f"no trial here, round {i}") == -1
    assert pf.earliest(0, "no trial here") == 0  # no longer asked: re will scan


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_findings_are_the_same_without_re2(lang):
    with_re2 = spacy.blank(lang)
    a = with_re2.add_pipe("triage_patterns", config={"lang": lang})
    without = spacy.blank(lang)
    b = without.add_pipe("triage_patterns", config={"lang": lang})
    b.prefilter._re2 = None  # as when google-re2 is not installed
    for text in _texts_for(lang):
        x, y = a(with_re2.make_doc(text)), b(without.make_doc(text))
        for group in components.GROUPS:
            assert [(s.start_char, s.end_char, s.label_) for s in x.spans[group]] == \
                   [(s.start_char, s.end_char, s.label_) for s in y.spans[group]], (group, text[:80])


def test_a_text_with_no_finding_is_not_tokenized(monkeypatch):
    from triage.nlp.pipeline import analyse
    from triage.parse import parse
    from triage.types import Analysis, RawMessage

    nlp = get_pipeline("en")
    made = []
    real = nlp.make_doc
    monkeypatch.setattr(nlp, "make_doc", lambda text: made.append(text) or real(text))

    def email(body: str):
        return parse(RawMessage(id="t", fields={"from": "a@b.example", "subject": "Hello", "body": body}))

    assert analyse(email("Thanks, see you at lunch.")) == Analysis()
    assert made == []
    found = analyse(email("Could you do a free test article first? Budget is $300."))
    assert "unpaid_test" in found.flag_names() and "budget" in found.detail_names()
    assert len(made) == 1


def _capitals_under_ignorecase(items, ignore_case: bool) -> list[str]:
    """Character classes that hold capital letters but not their lower case, in a part of
    the pattern matched case-insensitively: written to mean "a capitalised name", they
    match any word there."""
    from re import _constants as C  # type: ignore[attr-defined]

    found = []
    for op, av in items:
        if op == C.IN and ignore_case:
            chars = set()
            for kind, value in av:
                if kind == C.LITERAL:
                    chars.add(chr(value))
                elif kind == C.RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
            capitals = {c for c in chars if c.isupper() and c.lower() not in chars}
            if capitals:
                found.append("".join(sorted(capitals))[:8])
        elif op == C.SUBPATTERN:
            _group, add, delete, sub = av
            case = (ignore_case or bool(add & 2)) and not delete & 2  # re.IGNORECASE == 2
            found += _capitals_under_ignorecase(sub, case)
        elif op == C.BRANCH:
            for alt in av[1]:
                found += _capitals_under_ignorecase(alt, ignore_case)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)):
            found += _capitals_under_ignorecase(av[2], ignore_case)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            found += _capitals_under_ignorecase(av[1], ignore_case)
        elif op == getattr(C, "ATOMIC_GROUP", None):
            found += _capitals_under_ignorecase(av, ignore_case)
    return found


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_no_capitals_class_is_matched_case_insensitively(lang):
    """Every pattern file is matched case-insensitively unless a row says otherwise, so
    "[A-ZА-ЯЁ]" meant as "a capital" must sit inside (?-i:...): five Russian sender
    patterns once read "в итоге" and "анонс" as names."""
    import re
    from re import _parser as P  # type: ignore[attr-defined]

    from triage.nlp.components import GROUPS, load_patterns

    offenders = []
    for group in GROUPS:
        for row in load_patterns(lang, group):
            source = row.get("regex") or row["pattern"]
            if not isinstance(source, str) or row.get("case_sensitive"):
                continue
            tree = P.parse(source, re.IGNORECASE)
            if hits := _capitals_under_ignorecase(list(tree), True):
                offenders.append((group, row["label"], hits, source[:80]))
    assert not offenders, offenders
