"""Retraining on the user's own labels: the corrections stored by `triage label` and
`triage learn`, merged with the labelled data and weighted higher.

The model trained here lives in the user's model folder (``[model] path``) and
serves `scan` and `watch` once it exists; until the user has enough labels, the
shipped model serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.model import CARD_FILE, DEFAULT_MODEL_DIR, Labelled, read_card


@dataclass(frozen=True)
class RetrainResult:
    status: str  # "trained" | "too_few" | "unchanged"
    labels: int
    needed: int
    out: Path
    report: Any = None  # training.TrainReport; imported lazily so scoring never loads it


def user_labels(settings) -> list[Labelled]:
    """The stored corrections as labelled rows, weighted as the config says."""
    from triage.store import Store

    weight = settings.model.user_weight
    with Store(settings.store_path) as store:
        stored = store.labelled()
    rows = []
    for r in stored:
        flags = tuple(json.loads(r["label_flags_json"] or "[]"))
        rows.append(Labelled(
            id=f"user:{r['account']}:{r['dedupe_key']}", lang=r["lang"] or "", sender=r["sender"] or "",
            subject=r["subject"] or "", body=r["body"] or "", verdict=r["label"], flags=flags,
            missing=(), weight=weight,
            # "toxic" with no flag named says nothing about which flags; warm and
            # not_lead carry none by the taxonomy.
            flags_known=r["label"] != "toxic" or bool(flags), missing_known=False))
    return rows


def retrain(settings, data_dirs: list[str], *, out: Path | None = None, force: bool = False,
            folds: int = 5, skip_unchanged: bool = False) -> RetrainResult:
    """Train on the labelled data plus the user's labels, against the model now serving."""
    from triage.training import train

    target = out or settings.model.path
    rows = user_labels(settings)
    needed = settings.model.min_user_labels
    if len(rows) < needed:
        return RetrainResult("too_few", len(rows), needed, target)
    if skip_unchanged and (target / CARD_FILE).exists() and _same_inputs(read_card(target), rows, data_dirs):
        return RetrainResult("unchanged", len(rows), needed, target)
    report = train(data_dirs, target, force=force, folds=folds, user_rows=rows,
                   champion_dir=DEFAULT_MODEL_DIR)
    return RetrainResult("trained", len(rows), needed, target, report)


def _same_inputs(card: dict, rows: list[Labelled], data_dirs: list[str]) -> bool:
    """Nothing to retrain: the same labels, labelled data, code and libraries. An upgrade
    of any of them retrains, so a model that would no longer load is replaced."""
    from triage import __version__
    from triage.model import data_sha256, library_versions
    from triage.training import label_signature

    return (set(card.get("data", {}).get("user_labels", {})) == {label_signature(r) for r in rows}
            and card.get("data", {}).get("sha256") == data_sha256(data_dirs)
            and card.get("code_version") == __version__ and card.get("libraries") == library_versions())


def serving_model_dir(settings) -> Path | None:
    """The user's model when one has been trained, else None (the shipped model)."""
    model = getattr(settings, "model", None)
    if model is not None and (model.path / CARD_FILE).exists():
        return model.path
    return None
