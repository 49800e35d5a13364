"""A stated budget against the user's own rates: a short note, and a bounded nudge to the score.

Pure functions over the ``details`` of a prediction (the same dict that jsonl
shows and the store keeps) and the frozen ``Rates`` from ``[rates]``. Nothing
here fetches exchange rates: the user's ``[rates.convert]`` table is the only
source, so a note never changes behind the user's back.

What is compared with what:
- a project budget (no unit) with ``minimum_fee``; a range at its top, the
  benefit of the doubt going to the client;
- an hourly figure with ``hourly_rate``, a daily one with ``day_rate``;
- a per-word, per-item, per-1000-characters or monthly figure with nothing:
  how many words, pieces or days a month buys is not in the email, so any
  ratio to a project minimum would be invented;
- a percentage (royalty, revenue share) with nothing: it is not a fee.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from triage.config import Rates
from triage.nlp.values import money
from triage.types import RatesNote

# The unit of a stated figure -> the rate it is measured against, and how the note names each.
AGAINST = {None: "minimum_fee", "hour": "hourly_rate", "day": "day_rate"}
_NAMES = {"minimum_fee": "minimum", "hourly_rate": "hourly rate", "day_rate": "day rate"}
_KINDS = {None: "budget", "hour": "hourly", "day": "daily"}

# Within ±15% of the rate the note says "about at": stated budgets are round numbers and
# conversion rates move, so closer distinctions would be noise.
AT_BAND = 1.15

# The score feature. A budget under your rate adds RATES_WEIGHT to the toxic logit per halving
# (0.5: half your minimum multiplies the odds of "toxic" by e^0.5 ≈ 1.65), up to RATES_CAP_HALVINGS
# halvings (8× under), so at most 1.5 logits. A low budget alone is not a red flag in TAXONOMY.md,
# so the cap is set where it cannot make a confident warm lead toxic: a lead the model gives
# toxic ≤ t / (t + (1 − t)·e^1.5), t = decide.MODEL_TOXIC_AT, cannot reach t and stays warm
# however low the budget; it still ranks lower among warm leads, and an unsure lead can tip.
# At or above your rate: no shift.
RATES_WEIGHT = 0.5
RATES_CAP_HALVINGS = 3.0


def budget_of(details: Mapping[str, Any]) -> dict[str, Any] | None:
    """The stated budget: ``details.budget.value``, completed from the other budget spans.

    The value the rule layer keeps is its first span's ("Бюджет — 25 000"); a currency or a unit
    stated in another span for the same amount ("25 000 руб.", "$15 per article") completes it,
    and failing that, the one currency every other span names.
    """
    d = details.get("budget") or {}
    value = d.get("value")
    if not value or value.get("amount") is None:
        return None  # no figure, or a percentage only
    out = dict(value)
    others = [v for v in (money(ev.get("text", "")) for ev in d.get("evidence", ())) if v and "amount" in v]
    same = [v for v in others if v["amount"] == out["amount"]]
    if out.get("currency") is None:
        named = [v["currency"] for v in same if v.get("currency")]
        codes = {v["currency"] for v in others if v.get("currency")}
        out["currency"] = named[0] if named else (codes.pop() if len(codes) == 1 else None)
    if out.get("per") is None:
        units = [v["per"] for v in same if v.get("per")]
        if units:
            out["per"] = units[0]
    return out


def assess(details: Mapping[str, Any], rates: Rates) -> RatesNote | None:
    """The note for one message, or None when there is nothing to compare."""
    budget = budget_of(details)
    if budget is None:
        return None
    per = budget.get("per")
    if per not in AGAINST:
        return None  # per word/item/month/1000 characters: see the module docstring
    against = AGAINST[per]
    reference = getattr(rates, against)
    if reference is None:
        return None
    kind = _KINDS[per]
    currency = budget.get("currency")
    top = float(budget.get("max") or budget["amount"])
    stated = _fmt(budget["amount"]) + (f"–{_fmt(top)}" if budget.get("max") else "")
    if currency is None:
        return RatesNote(f"{kind} {stated} with no currency stated; not compared with your {_NAMES[against]}")
    if currency == rates.currency:
        factor = 1.0
    elif currency in rates.convert:
        factor = rates.convert[currency]
    else:
        return RatesNote(f"{kind} in {currency}; add {currency} to [rates.convert]")
    mine = top * factor
    if budget.get("max"):
        conv = f", ≈ {_fmt(mine)} {rates.currency}" if factor != 1.0 else ""
        head = f"{kind} {stated} {currency} (compared at the top{conv})"
    else:
        conv = f" ≈ {_fmt(mine)} {rates.currency}" if factor != 1.0 else ""
        head = f"{kind} {stated} {currency}{conv}"
    ratio = mine / reference
    return RatesNote(f"{head}: {_compare(ratio, _NAMES[against])}", ratio=ratio, against=against)


def toxic_shift(note: RatesNote | None) -> float:
    """What the note adds to the toxic logit: 0 at or above your rate, at most the cap."""
    if note is None or note.ratio is None or note.ratio >= 1.0:
        return 0.0
    halvings = RATES_CAP_HALVINGS if note.ratio <= 0 else min(RATES_CAP_HALVINGS, -math.log2(note.ratio))
    return RATES_WEIGHT * halvings


def _compare(ratio: float, name: str) -> str:
    if ratio <= 0:
        return f"no fee at all against your {name}"
    if ratio * AT_BAND <= 1.0:
        return f"about {_times(1.0 / ratio)}× under your {name}"
    if ratio < AT_BAND:
        return f"about at your {name}"
    return f"{_times(ratio)}× your {name}"


def _times(x: float) -> str:
    # "1.5×" reads better than "2×" near 1; far from it the decimal is false precision.
    return f"{x:.1f}".removesuffix(".0") if x < 3 else f"{x:,.0f}"


def _fmt(x: float) -> str:
    if x >= 10 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.2f}".rstrip("0").rstrip(".")
