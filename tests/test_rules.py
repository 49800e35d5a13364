"""Each red flag fires on paraphrases and stays silent on hard negatives, in en/ru/ar;
each brief detail is found or reported missing. Cases live in tests/data/rule_cases/."""

from __future__ import annotations

import json

import pytest

from triage.nlp.pipeline import analyse
from triage.parse import parse
from triage.taxonomy import DETAILS, FLAGS
from triage.types import RawMessage

from .conftest import DATA

CASE_FILES = sorted((DATA / "rule_cases").glob("*.jsonl"))


def _cases():
    for path in CASE_FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield pytest.param(json.loads(line), id=f"{path.stem}-{n}")


def _analyse(text: str):
    return analyse(parse(RawMessage(id="case", fields={"from": "", "subject": "", "body": text})))


@pytest.mark.parametrize("case", list(_cases()))
def test_rule_case(case):
    a = _analyse(case["text"])
    flags, details = set(a.flag_names()), set(a.detail_names())
    for f in case["flags"]:
        assert f in flags, f"{f} should fire; found {sorted(flags)}"
    for f in case["absent"]:
        assert f not in flags, f"{f} should not fire: {[x.evidence.text for x in a.flags if x.label == f]}"
    for d in case["details"]:
        assert d in details, f"{d} should be found; found {sorted(details)}"
    for d in case["missing"]:
        assert d not in details, f"{d} should be missing: {[x.evidence.text for x in a.details if x.label == d]}"


@pytest.mark.parametrize("lang", ["en"])
def test_cases_cover_every_flag_and_detail(lang):
    path = DATA / "rule_cases" / f"{lang}.jsonl"
    assert path.exists(), f"no rule cases for {lang}"
    cases = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for f in FLAGS:
        assert any(f in c["flags"] for c in cases), f"{lang}: no positive case for {f}"
    negatives = sum(bool(c["absent"]) for c in cases)
    assert negatives >= 12, f"{lang}: only {negatives} hard negatives"
    for d in DETAILS:
        assert any(d in c["details"] for c in cases), f"{lang}: no present case for {d}"
        assert any(d in c["missing"] for c in cases), f"{lang}: no missing case for {d}"


def test_evidence_is_the_exact_slice():
    body = "Hello!\n\nWe'd pay you once the app launches. Budget: $1,200 by March 3."
    a = _analyse(body)
    assert a.flags and a.details
    for f in a.flags + a.details:
        assert body[f.evidence.start:f.evidence.end] == f.evidence.text


def test_flag_in_quoted_text_is_not_the_senders():
    body = ("Sounds good, we will pay for the trial, of course.\n\n"
            "On Tue, 3 Mar 2026 at 10:12, Anna <anna@example.com> wrote:\n"
            "> Can you do a free test task first? We pay after launch.\n")
    a = _analyse(body)
    assert "unpaid_test" not in a.flag_names()
    assert "pay_later" not in a.flag_names()


def test_detail_in_quoted_text_counts():
    body = ("Thanks, that works for us.\n\n"
            "On Tue, 3 Mar 2026 at 10:12, Anna <anna@example.com> wrote:\n"
            "> Our budget is $2,000 and we need it within two weeks.\n")
    names = _analyse(body).detail_names()
    assert "budget" in names and "deadline" in names
