"""Plain frozen dataclasses that flow from source to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawMessage:
    """One message as a source found it: raw RFC 822 bytes, or already-split fields (jsonl)."""

    id: str
    raw: bytes | None = None
    fields: dict[str, str] | None = None


@dataclass(frozen=True)
class Email:
    """A decoded message. ``body`` is the full text every offset points into."""

    id: str
    message_id: str | None
    sender: str
    subject: str
    body: str
    lang: str = "other"
    # Character ranges of ``body`` the sender wrote themselves (not quoted, not signature).
    own: tuple[tuple[int, int], ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    attachments: int = 0
    defects: tuple[str, ...] = ()

    def is_own(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.own)


@dataclass(frozen=True)
class Evidence:
    field: str  # "subject" | "body"
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    """One rule hit: a red flag, a brief detail or a cue, with where it was found."""

    kind: str  # "flag" | "detail" | "cue"
    label: str
    evidence: Evidence
    value: dict[str, Any] | None = None
    negated: bool = False


@dataclass(frozen=True)
class Analysis:
    """What the rule layer found in one email."""

    flags: tuple[Finding, ...] = ()
    details: tuple[Finding, ...] = ()
    cues: tuple[Finding, ...] = ()
    negated: tuple[Finding, ...] = ()

    def flag_names(self) -> list[str]:
        return sorted({f.label for f in self.flags})

    def detail_names(self) -> list[str]:
        return sorted({f.label for f in self.details})

    def cue_names(self) -> set[str]:
        return {f.label for f in self.cues}


@dataclass(frozen=True)
class Example:
    """An email with its rule findings: what the model's transformers read as X."""

    email: Email
    analysis: Analysis


@dataclass(frozen=True)
class RatesNote:
    """A stated budget against the user's own rates (see triage.rates)."""

    text: str  # "budget 450 USD ≈ 414 EUR: about 2× under your minimum"
    ratio: float | None = None  # budget / your rate, both in your currency; None when not compared
    against: str | None = None  # "minimum_fee" | "day_rate" | "hourly_rate"


@dataclass(frozen=True)
class Prediction:
    email: Email
    verdict: str
    score: float
    flags: dict[str, tuple[Evidence, ...]]
    missing: tuple[str, ...]
    details: dict[str, dict[str, Any]]
    rates_note: RatesNote | None = None  # set only when the user configured [rates]

    def as_dict(self) -> dict[str, Any]:
        e = self.email
        return {
            "id": e.id,
            "message_id": e.message_id,
            "from": e.sender,
            "subject": e.subject,
            "lang": e.lang,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "flags": [
                {"flag": name, "evidence": [ev.as_dict() for ev in evs]}
                for name, evs in self.flags.items()
            ],
            "missing": list(self.missing),
            "details": self.details,
        }
