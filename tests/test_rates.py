"""Budget against the user's rates: the note, the bounded score feature, the [rates] config."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from triage.config import Rates, parse_settings
from triage.decide import MODEL_TOXIC_AT, ModelOutput, decide, shift_toxic
from triage.errors import ConfigError
from triage.nlp.values import money
from triage.rates import RATES_CAP_HALVINGS, RATES_WEIGHT, assess, budget_of, toxic_shift
from triage.types import Analysis, Email, Evidence, Finding

RATES = Rates(currency="EUR", minimum_fee=800.0, day_rate=450.0, hourly_rate=60.0,
              convert={"USD": 0.92, "RUB": 0.0101, "SAR": 0.245, "AED": 0.25, "EGP": 0.019})


def details(*spans: str) -> dict:
    """A budget detail as the rule layer records it: every span, the first value kept."""
    values = [money(s) for s in spans]
    return {"budget": {"evidence": [{"field": "body", "start": 0, "end": len(s), "text": s} for s in spans],
                       "value": next((v for v in values if v), None)}}


@pytest.mark.parametrize(("spans", "note", "ratio"), [
    (["Budget: 200 EUR"], "budget 200 EUR: about 4× under your minimum", 0.25),
    (["€800"], "budget 800 EUR: about at your minimum", 1.0),
    (["budget €1,200"], "budget 1,200 EUR: 1.5× your minimum", 1.5),
    (["$450"], "budget 450 USD ≈ 414 EUR: about 1.9× under your minimum", 0.5175),
    (["$15/hour"], "hourly 15 USD ≈ 14 EUR: about 4× under your hourly rate", 0.23),
    (["300 EUR per day"], "daily 300 EUR: about 1.5× under your day rate", 300 / 450),
    # A range is compared at its top, and the note says so.
    (["$300-900"], "budget 300–900 USD (compared at the top, ≈ 828 EUR): about at your minimum", 1.035),
    (["400–2000 EUR"], "budget 400–2,000 EUR (compared at the top): 2.5× your minimum", 2.5),
    # Russian: ₽ and руб, a currency stated only in a later span for the same amount.
    (["Бюджет — 25 000", "25 000 руб."], "budget 25,000 RUB ≈ 252 EUR: about 3× under your minimum",
     25000 * 0.0101 / 800),
    (["50 000 ₽"], "budget 50,000 RUB ≈ 505 EUR: about 1.6× under your minimum", 50000 * 0.0101 / 800),
    (["1500 рублей в час"], "hourly 1,500 RUB ≈ 15 EUR: about 4× under your hourly rate", 1500 * 0.0101 / 60),
    # Arabic: ريال and ر.س (SAR), درهم (AED), جنيه (EGP), Arabic-Indic digits.
    (["الميزانية المخصصة 6,000", "6,000 ريال سعودي"], "budget 6,000 SAR ≈ 1,470 EUR: 1.8× your minimum",
     6000 * 0.245 / 800),
    (["٣٠٠٠ ر.س"], "budget 3,000 SAR ≈ 735 EUR: about at your minimum", 3000 * 0.245 / 800),
    (["500 درهم"], "budget 500 AED ≈ 125 EUR: about 6× under your minimum", 500 * 0.25 / 800),
    (["ميزانيتنا 15,000", "15,000 جنيه"], "budget 15,000 EGP ≈ 285 EUR: about 2.8× under your minimum",
     15000 * 0.019 / 800),
    # A unit stated in another span for the same amount completes the value.
    (["Rate is $40", "$40 an hour"], "hourly 40 USD ≈ 37 EUR: about 1.6× under your hourly rate", 40 * 0.92 / 60),
])
def test_note_and_ratio(spans, note, ratio):
    got = assess(details(*spans), RATES)
    assert got is not None
    assert got.text == note
    assert got.ratio == pytest.approx(ratio, rel=1e-3)


@pytest.mark.parametrize(("spans", "text"), [
    (["6,000 ريال"], "budget in SAR; add SAR to [rates.convert]"),
    (["Budget: £2,400"], "budget in GBP; add GBP to [rates.convert]"),
    (["5000 тенге в день"], "daily in KZT; add KZT to [rates.convert]"),
    (["budget is 5,000"], "budget 5,000 with no currency stated; not compared with your minimum"),
])
def test_budget_that_cannot_be_compared_says_why_and_has_no_ratio(spans, text):
    got = assess(details(*spans), Rates(currency="EUR", minimum_fee=800.0, day_rate=450.0, convert={"USD": 0.92}))
    assert got is not None and got.text == text
    assert got.ratio is None and toxic_shift(got) == 0.0


@pytest.mark.parametrize("spans", [
    [],                                   # no budget
    ["30% от прибыли"],                   # a royalty is not a fee
    ["10% of revenue"],
    ["$0.05 per word"],                   # per word: how many words is not in the email
    ["$15 per article"],                  # per item
    ["60 ₽ за 1000 знаков"],              # per 1000 characters
    ["$600/month"],                       # a month of what?
    ["Rate is $15", "$15 per article"],   # the unit of the same amount in another span
])
def test_no_note_where_there_is_no_like_for_like_rate(spans):
    assert assess(details(*spans) if spans else {}, RATES) is None


def test_no_note_when_the_relevant_rate_is_not_set():
    only_minimum = Rates(currency="EUR", minimum_fee=800.0)
    assert assess(details("$40 an hour"), only_minimum) is None
    assert assess(details("300 EUR per day"), only_minimum) is None
    assert assess(details("€200"), Rates(currency="EUR", day_rate=450.0)) is None
    assert assess(details("€200"), only_minimum).ratio == 0.25


def test_budget_of_keeps_the_recorded_value_and_fills_only_what_is_missing():
    b = budget_of(details("Бюджет — 18 000", "18 000 ₽", "27 000 ₽"))
    assert b == {"amount": 18000.0, "currency": "RUB"}
    # Two different currencies elsewhere: no guess.
    assert budget_of(details("budget 900", "$1,215", "€300"))["currency"] is None


# ---------------------------------------------------------------- the score feature

def test_shift_is_zero_at_or_above_the_rate_and_grows_per_halving_up_to_the_cap():
    def shift(ratio: float) -> float:
        return toxic_shift(assess(details(f"€{800 * ratio:.2f}"), RATES))

    assert shift(1.0) == 0.0 and shift(1.5) == 0.0 and shift(40) == 0.0
    assert shift(0.5) == pytest.approx(RATES_WEIGHT)
    assert shift(0.25) == pytest.approx(2 * RATES_WEIGHT)
    assert shift(1 / 8) == shift(1 / 100) == pytest.approx(RATES_WEIGHT * RATES_CAP_HALVINGS)
    ratios = [2, 1, 0.9, 0.7, 0.5, 0.3, 0.2, 0.1, 0.01]
    shifts = [shift(r) for r in ratios]
    assert shifts == sorted(shifts)


def test_shift_toxic_multiplies_the_odds_and_keeps_the_others_in_proportion():
    p = {"warm": 0.6, "toxic": 0.3, "not_lead": 0.1}
    q = shift_toxic(p, math.log(2))
    assert q["toxic"] / (1 - q["toxic"]) == pytest.approx(2 * 0.3 / 0.7)
    assert q["warm"] / q["not_lead"] == pytest.approx(6)
    assert sum(q.values()) == pytest.approx(1)


def _email() -> Email:
    return Email(id="x", message_id=None, sender="a@b.c", subject="Landing page",
                 body="We need landing page copy. Budget 100 EUR.", lang="en", own=((0, 43),))


def _budget_analysis() -> Analysis:
    ev = Evidence("body", 28, 42, "Budget 100 EUR")
    return Analysis(details=(Finding("detail", "budget", ev, money(ev.text)),),
                    cues=(Finding("cue", "inquiry", Evidence("body", 0, 7, "We need")),))


@pytest.mark.parametrize("model", [
    None,
    ModelOutput(verdict={"warm": 0.75, "toxic": 0.2, "not_lead": 0.05}),
    ModelOutput(verdict={"warm": 0.97, "toxic": 0.02, "not_lead": 0.01}),
])
def test_score_is_monotonic_in_the_budget_and_unchanged_at_or_above_the_minimum(model):
    email, analysis = _email(), _budget_analysis()
    base = decide(email, analysis, model)
    scores = []
    for minimum in (50, 100, 120, 200, 400, 800, 1600, 5000):  # the same budget, ever further under
        rates = Rates(currency="EUR", minimum_fee=float(minimum))
        p = decide(email, analysis, model, toxic_shift=toxic_shift(assess(base.details, rates)))
        scores.append(p.score)
        if minimum <= 100:
            assert p == base  # at or above the minimum: exactly today's prediction
    assert scores == sorted(scores)
    assert scores[-1] > scores[0]


def test_a_confident_warm_lead_stays_warm_however_low_the_budget():
    model = ModelOutput(verdict={"warm": 0.8, "toxic": 0.17, "not_lead": 0.03})
    p = decide(_email(), _budget_analysis(), model, toxic_shift=RATES_WEIGHT * RATES_CAP_HALVINGS)
    assert p.verdict == "warm" and p.score > 0.17
    # up to t / (t + (1 - t) e^cap) toxic (t = MODEL_TOXIC_AT) the cap cannot reach t, even
    # where the shifted toxic becomes the likeliest verdict (0.496 here)
    cap = RATES_WEIGHT * RATES_CAP_HALVINGS
    near = ModelOutput(verdict={"warm": 0.62, "toxic": 0.18, "not_lead": 0.20})
    assert decide(_email(), _budget_analysis(), near, toxic_shift=cap).verdict == "warm"
    bound = MODEL_TOXIC_AT / (MODEL_TOXIC_AT + (1 - MODEL_TOXIC_AT) * math.exp(cap))
    under = ModelOutput(verdict={"warm": 0.995 - bound, "toxic": bound - 0.005, "not_lead": 0.01})
    assert decide(_email(), _budget_analysis(), under, toxic_shift=cap).verdict == "warm"
    unsure = ModelOutput(verdict={"warm": 0.62, "toxic": 0.35, "not_lead": 0.03})
    assert decide(_email(), _budget_analysis(), unsure, toxic_shift=1.5).verdict == "toxic"


def test_rule_scorer_score_does_not_drop_as_the_budget_drops():
    from triage.service import Scorer

    scorer = Scorer(None, rates=Rates(currency="EUR", minimum_fee=800.0))
    body = ("Hello, we are Brightside Bakery (brightside.example) and need copy for a 5-page website "
            "by March 3 to raise orders. Our budget is {} EUR.")
    emails = [Email(id=str(x), message_id=None, sender="a@b.c", subject="Website copy", body=body.format(x),
                    lang="en", own=((0, len(body) + 8),)) for x in (2000, 800, 600, 300, 100, 50, 10)]
    preds = scorer.score_emails(emails)
    assert all(p.rates_note is not None for p in preds)
    scores = [p.score for p in preds]
    assert scores == sorted(scores)
    plain = Scorer(None).score_emails(emails[:2])
    assert [p.score for p in preds[:2]] == [p.score for p in plain]


# ---------------------------------------------------------------- [rates] config

def _parse(toml: str):
    import tomllib

    return parse_settings(tomllib.loads(toml), Path("c.toml"))


def test_rates_config_is_read_into_frozen_settings():
    s = _parse('[rates]\ncurrency = "EUR"\nminimum_fee = 800\nday_rate = 450.5\n'
               '[rates.convert]\nUSD = 0.92\nRUB = 0.0101\n')
    assert s.rates == Rates(currency="EUR", minimum_fee=800.0, day_rate=450.5, hourly_rate=None,
                            convert={"USD": 0.92, "RUB": 0.0101})
    assert _parse('[store]\npath = "x.db"\n').rates is None


@pytest.mark.parametrize(("toml", "message"), [
    ('rates = 5', "c.toml: [rates] must be a table"),
    ('[rates]\nminimum_fee = 800', "c.toml: [rates]: missing key 'currency'"),
    ('[rates]\ncurrency = "euro"\nminimum_fee = 800',
     "c.toml: [rates]: key 'currency' must be a three-letter currency code such as EUR, not 'euro'"),
    ('[rates]\ncurrency = "EUR"', "c.toml: [rates]: set at least one of minimum_fee, day_rate, hourly_rate"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = -800',
     "c.toml: [rates]: key 'minimum_fee' must be a positive number, not -800"),
    ('[rates]\ncurrency = "EUR"\nday_rate = "450"',
     "c.toml: [rates]: key 'day_rate' must be a positive number, not '450'"),
    ('[rates]\ncurrency = "EUR"\nhourly_rate = true',
     "c.toml: [rates]: key 'hourly_rate' must be a positive number, not True"),
    ('[rates]\ncurrency = "EUR"\nminimum = 800',
     "c.toml: [rates]: unknown key 'minimum' (keys: currency, minimum_fee, day_rate, hourly_rate, convert)"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\nconvert = 1',
     "c.toml: [rates]: key 'convert' must be a dict"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\n[rates.convert]\nUSD = 0',
     "c.toml: [rates.convert]: key 'USD' must be a positive number, not 0"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\n[rates.convert]\nusd = 0.9',
     "c.toml: [rates.convert] key 'usd' must be a three-letter currency code such as EUR, not 'usd'"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\n[rates.convert]\nEUR = 1',
     "c.toml: [rates.convert]: EUR is your own currency; remove it"),
    ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\n[rates.convert]\nXYZ = 2',
     "c.toml: [rates.convert]: triage never reads XYZ in an email (it reads AED, AUD, BHD, BRL, BYN, CAD, "
     "CHF, CNY, DKK, DZD, EGP, EUR, GBP, GEL, GHS, HKD, IDR, ILS, INR, JOD, JPY, KES, KWD, KZT, MAD, MXN, MYR, "
     "NGN, NOK, NZD, OMR, PHP, PKR, PLN, QAR, RUB, SAR, SEK, SGD, TND, TRY, UAH, USD, UZS, ZAR)"),
    ('[rates]\ncurrency = "VND"\nminimum_fee = 800',
     "c.toml: [rates]: triage never reads VND in an email, so budgets can be compared only through "
     "conversion rates; add them under [rates.convert]"),
])
def test_rates_config_errors_are_one_sentence(toml, message):
    with pytest.raises(ConfigError) as exc:
        _parse(toml)
    assert str(exc.value) == message


def test_a_currency_triage_never_reads_works_through_conversion_rates():
    s = _parse('[rates]\ncurrency = "CHF"\nminimum_fee = 1000\n[rates.convert]\nUSD = 0.9\n')
    assert assess(details("$500"), s.rates).text == "budget 500 USD ≈ 450 CHF: about 2.2× under your minimum"
