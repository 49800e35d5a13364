#!/usr/bin/env python3
"""Agreement between `data/labelled/` and blind relabellings of its leads.

Each `<lang>.jsonl` holds one annotator's labels ({id, verdict, flags, missing}) for 80
leads of that language drawn at random from `data/labelled/`, labelled from the taxonomy
alone without seeing the files' labels. Each `missing-<lang>.jsonl` holds a second
annotator's `missing` (and the details they found borderline, `unsure`) for another 150
leads per language, drawn the same way. The figures are the ones the data card quotes.

    python3 data/agreement/measure.py      # from the repository root, in the venv
"""

from __future__ import annotations

import json
from pathlib import Path

from triage.evaluate import _set_f1
from triage.model import load_labelled
from triage.taxonomy import DETAILS, FLAGS

HERE = Path(__file__).resolve().parent
LANGS = ("en", "ru", "ar")


def agreement(lang: str) -> dict[str, float]:
    """Verdict agreement and flags/missing micro-F1 of the relabelling against the files."""
    blind = [json.loads(line) for line in (HERE / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    files = {r.id: r for r in load_labelled([HERE.parent / "labelled"])}
    gold = [files[b["id"]] for b in blind]
    flags, _ = _set_f1([g.flags for g in gold], [b["flags"] for b in blind], FLAGS)
    missing, per_detail = _set_f1([g.missing for g in gold], [b["missing"] for b in blind], DETAILS)
    verdict = sum(g.verdict == b["verdict"] for g, b in zip(gold, blind, strict=True)) / len(blind)
    return {"n": len(blind), "verdict_agreement": round(verdict, 4), "flags_micro_f1": flags,
            "missing_micro_f1": missing, **{f"missing_{d}": v for d, v in per_detail.items()}}


def missing_agreement(lang: str) -> dict[str, float]:
    """Missing-details micro-F1 (and per detail) of the second relabelling against the files."""
    blind = [json.loads(line) for line in
             (HERE / f"missing-{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    files = {r.id: r for r in load_labelled([HERE.parent / "labelled"])}
    missing, per_detail = _set_f1([files[b["id"]].missing for b in blind], [b["missing"] for b in blind], DETAILS)
    return {"n": len(blind), "missing_micro_f1": missing, **{f"missing_{d}": v for d, v in per_detail.items()}}


if __name__ == "__main__":
    for lang in LANGS:
        print(lang, json.dumps(agreement(lang)))
    for lang in LANGS:
        print(lang, "missing only", json.dumps(missing_agreement(lang)))
