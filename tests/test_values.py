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
    # Dollars that are not US dollars, and currencies beyond the first ten.
    ("CA$ 800", {"amount": 800.0, "currency": "CAD"}),
    ("R$ 1.500", {"amount": 1500.0, "currency": "BRL"}),
    ("₹60,000–80,000", {"amount": 60000.0, "max": 80000.0, "currency": "INR"}),
    ("R2,500", {"amount": 2500.0, "currency": "ZAR"}),
    ("KES 25,000", {"amount": 25000.0, "currency": "KES"}),
    ("60 белорусских рублей", {"amount": 60.0, "currency": "BYN"}),
    ("300 درهم مغربي", {"amount": 300.0, "currency": "MAD"}),
    ("25,000 دج", {"amount": 25000.0, "currency": "DZD"}),
    ("درهمين", {"amount": 2.0, "currency": "AED"}),
    # A name several currencies share is left unnamed rather than guessed.
    ("Rs. 15,000", {"amount": 15000.0, "currency": None}),
    ("40 000 kr", {"amount": 40000.0, "currency": None}),
    # A second figure is a range's top only when a range joins the two.
    ("150 руб. за 1000 знаков", {"amount": 150.0, "currency": "RUB", "per": "1000 chars"}),
    ("$10 per 500 words", {"amount": 10.0, "currency": "USD"}),
    ("split the royalties 50/50", {"split": "50/50"}),
    ("a 70/30 split of sales", {"split": "70/30"}),
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
