"""Pure rendering of predictions: ranked rows, JSON lines, CSV. No printing here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from triage.types import Prediction, RatesNote

VERDICT_ORDER = {"warm": 0, "toxic": 1, "not_lead": 2}
CSV_COLUMNS = ("id", "message_id", "from", "subject", "lang", "verdict", "score", "flags",
               "missing", "evidence")


def rates_fields(note: RatesNote | None) -> dict[str, Any]:
    """The keys added to a lead when [rates] is configured (absent otherwise, so output without
    [rates] is unchanged): the note people read, and the ratio scripts can sort on."""
    return {"rates_note": note.text if note else None,
            "rates_ratio": round(note.ratio, 4) if note and note.ratio is not None else None}


def prediction_dict(pred: Prediction, rates: bool = False) -> dict[str, Any]:
    """The score format; with ``rates`` (a [rates] table is configured) plus the rates keys."""
    d = pred.as_dict()
    return d | rates_fields(pred.rates_note) if rates else d


def to_json(pred: Prediction, rates: bool = False) -> str:
    return json_line(prediction_dict(pred, rates))


def json_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def table_rows(leads: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per lead (fresh or stored), ranked, as short strings for a table."""
    return [{
        "rank": str(i),
        "verdict": d["verdict"],
        "score": f"{d['score']:.2f}",
        "lang": d["lang"],
        "from": d["from"],
        "subject": d["subject"],
        "flags": ", ".join(f["flag"] for f in d["flags"]),
        "missing": ", ".join(d["missing"]),
        "evidence": next((ev["text"] for f in d["flags"] for ev in f["evidence"]), ""),
        "rates": d.get("rates_note") or "",
    } for i, d in enumerate(rank_leads(leads), 1)]


def csv_header(rates: bool = False) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(CSV_COLUMNS + (("rates_note",) if rates else ()))
    return buf.getvalue()


def to_csv_row(pred: Prediction, rates: bool = False) -> str:
    d: dict[str, Any] = prediction_dict(pred, rates)
    buf = io.StringIO()
    csv.writer(buf).writerow([
        d["id"], d["message_id"] or "", d["from"], d["subject"], d["lang"], d["verdict"],
        d["score"], " ".join(f["flag"] for f in d["flags"]), " ".join(d["missing"]),
        " | ".join(ev["text"] for f in d["flags"] for ev in f["evidence"]),
    ] + ([d["rates_note"] or ""] if rates else []))
    return buf.getvalue()


# ---------------------------------------------------------------- leads from the store

DECLINE_FLAGS = frozenset({"disrespect", "serial_complainer", "pressure", "unrealistic"})
REPLIES_DIR = Path(__file__).parent / "replies"
TEMPLATES_DIR = Path(__file__).parent / "templates"


def lead_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored message as the report's plain dict (the score format plus id, account, label)."""
    return {
        "id": row["id"], "message_id": row["message_id"], "from": row["sender"] or "",
        "subject": row["subject"] or "", "lang": row["lang"] or "other", "verdict": row["verdict"],
        "score": round(row["score"] or 0.0, 4), "flags": json.loads(row["flags_json"] or "[]"),
        "missing": json.loads(row["missing_json"] or "[]"),
        "details": json.loads(row["details_json"] or "{}"), "account": row["account"],
        "folder": row["folder"], "uid": row["uid"], "date": row["date"], "body": row["body"] or "",
        "label": row.get("label"), "scored_at": row["scored_at"],
    }


def lead_from_prediction(pred: Prediction, rates: bool = False) -> dict[str, Any]:
    """A freshly scored message as the report's plain dict."""
    d = prediction_dict(pred, rates)
    return d | {"body": pred.email.body, "date": pred.email.date, "label": None,
                "account": None, "folder": None, "uid": None}


def rank_leads(leads: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Warm leads, then toxic ones, each by toxic score; messages that are not leads last.
    The verdict leads because a rule-found flag the model's flag head confirms makes a lead
    toxic at a score some warm lead exceeds, and a toxic lead must never be read as warmer
    than a warm one."""
    return sorted(leads, key=lambda d: (VERDICT_ORDER.get(d["verdict"], 3), d["score"], d["id"]))


@cache
def _replies(lang: str) -> dict[str, Any]:
    # Read once per language, not once per lead: a 10,000-lead report calls this 10,000 times.
    path = REPLIES_DIR / f"{lang if lang in ('en', 'ru', 'ar') else 'en'}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def next_step(lead: dict[str, Any]) -> str:
    """What to answer, in the lead's language: questions for missing details, a
    firm-terms counter-offer, or a polite no that keeps the door open."""
    t = _replies(lead["lang"])
    flags = [f["flag"] for f in lead["flags"]]
    if lead["verdict"] == "not_lead":
        return ""
    if lead["verdict"] == "toxic":
        if set(flags) & DECLINE_FLAGS and not set(flags) - DECLINE_FLAGS - {"rush", "boundary_pushing"}:
            return t["decline"]
        lines = [t["counter_intro"]] + [f"- {t['counter'][f]}" for f in flags if f in t["counter"]]
        return "\n".join(lines)
    if lead["missing"]:
        return "\n".join([t["ask_intro"]] + [f"- {t['ask'][m]}" for m in lead["missing"]] + [t["ask_outro"]])
    return t["quote"]


def highlighted(lead: dict[str, Any], field: str = "body") -> list[tuple[str, str | None]]:
    """The field's text cut into (text, flag or None) segments around evidence spans."""
    text = lead[field]
    spans = sorted((ev["start"], ev["end"], f["flag"]) for f in lead["flags"] for ev in f["evidence"]
                   if ev["field"] == field and 0 <= ev["start"] < ev["end"] <= len(text))
    merged: list[list] = []  # overlapping evidence becomes one mark naming every flag
    for start, end, flag in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if flag not in merged[-1][2]:
                merged[-1][2].append(flag)
        else:
            merged.append([start, end, [flag]])
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, flags in merged:
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], ", ".join(flags)))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def render_html(leads: Sequence[dict[str, Any]], title: str = "triage report") -> str:
    """One self-contained page: no external assets, everything from an email escaped."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"], default=True))
    ranked = rank_leads(leads)
    view = [{**lead, "segments": highlighted(lead), "next_step": next_step(lead),
             "dir": "rtl" if lead["lang"] == "ar" else "ltr"} for lead in ranked]
    counts = {v: sum(1 for d in ranked if d["verdict"] == v) for v in VERDICT_ORDER}
    langs = sorted({d["lang"] for d in ranked})
    return env.get_template("report.html.j2").render(leads=view, counts=counts, langs=langs, title=title)


def render_csv(leads: Sequence[dict[str, Any]]) -> str:
    import pandas as pd

    rows = [{"id": d["id"], "verdict": d["verdict"], "score": d["score"], "lang": d["lang"],
             "from": d["from"], "subject": d["subject"], "flags": " ".join(f["flag"] for f in d["flags"]),
             "missing": " ".join(d["missing"]),
             "evidence": " | ".join(ev["text"] for f in d["flags"] for ev in f["evidence"]),
             "label": d.get("label"), "account": d.get("account"), "folder": d.get("folder"),
             "message_id": d["message_id"], "rates_note": d.get("rates_note")} for d in rank_leads(leads)]
    columns = ["id", "verdict", "score", "lang", "from", "subject", "flags", "missing",
               "evidence", "label", "account", "folder", "message_id"]
    if any("rates_note" in d for d in leads):
        columns.append("rates_note")
    return pd.DataFrame(rows, columns=columns).to_csv(index=False)


def render_text(leads: Sequence[dict[str, Any]]) -> str:
    """Plain text of ranked leads with evidence and next steps (the digest's text part)."""
    out = []
    for i, d in enumerate(rank_leads(leads), 1):
        out.append(f"{i}. [{d['verdict']} {d['score']:.2f}] {d['subject'] or '(no subject)'} — {d['from']}")
        for f in d["flags"]:
            quotes = "; ".join(f'"{ev["text"]}"' for ev in f["evidence"])
            out.append(f"   {f['flag']}: {quotes}")
        if d["missing"]:
            out.append("   missing: " + ", ".join(d["missing"]))
        if d.get("rates_note"):
            out.append("   rates: " + d["rates_note"])
        step = next_step(d)
        if step:
            out.append("   next step:\n" + "\n".join("     " + line for line in step.splitlines()))
        out.append("")
    return "\n".join(out)
