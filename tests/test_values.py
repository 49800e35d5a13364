from datetime import date

import pytest

from triage.nlp.values import deadline, money

REF = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize("text, expected", [
    ("50 000 ₽", {"amount": 50000.0, "currency": "RUB"}),
    ("15 тыс. руб.", {"amount": 15000.0, "currency": "RUB"}),
    ("3000 ر.س", {"amount": 3000.0, "currency": "SAR"}),
    ("1,500 ريال", {"amount": 1500.0, "currency": "SAR"}),
    ("٣٠٠٠ درهم", {"amount": 3000.0, "currency": "AED"}),
    ("10 آلاف جنيه", {"amount": 10000.0, "currency": "EGP"}),
    ("€7,500", {"amount": 7500.0, "currency": "EUR"}),
    ("$800-1200", {"amount": 800.0, "max": 1200.0, "currency": "USD"}),
    ("$40/hour", {"amount": 40.0, "currency": "USD", "per": "hour"}),
    ("2.5k USD", {"amount": 2500.0, "currency": "USD"}),
    ("900 AED", {"amount": 900.0, "currency": "AED"}),
    ("20% of revenue", {"percent": 20.0}),
])
def test_money(text, expected):
    assert money(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("by March 3", {"date": "2027-03-03"}),
    ("до 15 марта", {"date": "2027-03-15"}),
    ("10 ديسمبر", {"date": "2026-12-10"}),
    ("within two weeks", {"days": 14}),
    ("за три дня", {"days": 3}),
    ("خلال أسبوعين", {"days": 14}),
    ("в течение 10 дней", {"days": 10}),
    ("by Friday", {"date": "2026-11-27"}),
    ("before the end of the month", {"date": "2026-11-30"}),
    ("قبل نهاية الشهر", {"date": "2026-11-30"}),
    ("before our launch on the 10th", {"date": "2026-12-10"}),
    ("15.03.2027", {"date": "2027-03-15"}),
    ("tomorrow", {"days": 1}),
    ("قبل 20 من الشهر", {"date": "2026-11-20"}),  # REF is the 20th: this month
    ("في أفريل", {"date": "2027-04-01"}),
    ("نهار 15 أوت", {"date": "2027-08-15"}),
    ("قبل شتنبر", {"date": "2027-09-01"}),
])
def test_deadline(text, expected):
    assert deadline(text, REF) == expected


def test_deadline_without_reference_keeps_month_and_day():
    assert deadline("by March 3") == {"date": "--03-03"}
