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
from functools import cache
from pathlib import Path
from typing import Any

from triage.evaluate import _set_f1
from triage.model import load_labelled
from triage.taxonomy import DETAILS, FLAGS

HERE = Path(__file__).resolve().parent
LANGS = ("en", "ru", "ar")


def agreement(lang: str) -> dict[str, float]:
    """Verdict agreement and flags/missing micro-F1 of the relabelling against the files."""
    blind = _blind(f"{lang}.jsonl")
    gold = [_files()[b["id"]] for b in blind]
    flags, _ = _set_f1([g.flags for g in gold], [b["flags"] for b in blind], FLAGS)
    verdict = sum(g.verdict == b["verdict"] for g, b in zip(gold, blind, strict=True)) / len(blind)
    return {"n": len(blind), "verdict_agreement": round(verdict, 4), "flags_micro_f1": flags,
            **_missing(gold, blind)}


def missing_agreement(lang: str) -> dict[str, float]:
    """Missing-details micro-F1 (and per detail) of the second relabelling against the files."""
    blind = _blind(f"missing-{lang}.jsonl")
    return {"n": len(blind), **_missing([_files()[b["id"]] for b in blind], blind)}


@cache
def _files() -> dict[str, Any]:
    """The labelled files by id, read once for every relabelling."""
    return {r.id: r for r in load_labelled([HERE.parent / "labelled"])}


def _blind(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines()]


def _missing(gold: list[Any], blind: list[dict[str, Any]]) -> dict[str, float]:
    missing, per_detail = _set_f1([g.missing for g in gold], [b["missing"] for b in blind], DETAILS)
    return {"missing_micro_f1": missing, **{f"missing_{d}": v for d, v in per_detail.items()}}


if __name__ == "__main__":
    for lang in LANGS:
        print(lang, json.dumps(agreement(lang)))
    for lang in LANGS:
        print(lang, "missing only", json.dumps(missing_agreement(lang)))
