"""Pure rendering of predictions: ranked rows, JSON lines, CSV. No printing here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from triage.types import Prediction

VERDICT_ORDER = {"warm": 0, "toxic": 1, "not_lead": 2}
CSV_COLUMNS = ("id", "message_id", "from", "subject", "lang", "verdict", "score", "flags",
               "missing", "evidence")


def rank(preds: Iterable[Prediction]) -> list[Prediction]:
    """Leads warm first by toxic score; messages that are not leads last."""
    return sorted(preds, key=lambda p: (p.verdict == "not_lead", p.score, p.email.id))


def to_json(pred: Prediction) -> str:
    return json_line(pred.as_dict())


def json_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def first_evidence(pred: Prediction) -> str:
    for evs in pred.flags.values():
        if evs:
            return evs[0].text
    return ""


def table_rows(preds: Sequence[Prediction]) -> list[dict[str, str]]:
    """One row per prediction, already ranked, as short strings for a table."""
    rows = []
    for i, p in enumerate(rank(preds), 1):
        rows.append({
            "rank": str(i),
            "verdict": p.verdict,
            "score": f"{p.score:.2f}",
            "lang": p.email.lang,
            "from": p.email.sender,
            "subject": p.email.subject,
            "flags": ", ".join(p.flags),
            "missing": ", ".join(p.missing),
            "evidence": first_evidence(p),
        })
    return rows


def csv_header() -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(CSV_COLUMNS)
    return buf.getvalue()


def to_csv_row(pred: Prediction) -> str:
    d: dict[str, Any] = pred.as_dict()
    buf = io.StringIO()
    csv.writer(buf).writerow([
        d["id"], d["message_id"] or "", d["from"], d["subject"], d["lang"], d["verdict"],
        d["score"], " ".join(f["flag"] for f in d["flags"]), " ".join(d["missing"]),
        " | ".join(ev["text"] for f in d["flags"] for ev in f["evidence"]),
    ])
    return buf.getvalue()
