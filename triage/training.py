"""The train and eval use cases: cross-validate, compare with the champion, save.

Kept apart from model.py so that scoring never imports the evaluation code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage import __version__
from triage.decide import FLAG_AT, MISSING_AT, MISSING_FROM, MODEL_TOXIC_AT, RULE_CONFIRMED_AT, RULE_FLAG_AT
from triage.errors import ModelError
from triage.evaluate import (
    cross_validate,
    decide_all,
    holdout_ids_sha256,
    holdout_split,
    keyword_baseline,
    metrics,
    not_worse,
)
from triage.model import (
    CARD_FILE,
    SEED,
    Labelled,
    TriageModel,
    data_files,
    data_sha256,
    library_versions,
    load_for_scoring,
    load_labelled,
    read_card,
    save,
    to_examples,
)


@dataclass
class TrainReport:
    card: dict[str, Any]
    replaced: bool
    comparison: list[str] = field(default_factory=list)
    reason: str = ""


def rows_sha256(rows: list[Labelled]) -> str:
    import hashlib
    import json

    h = hashlib.sha256()
    for r in rows:
        h.update(json.dumps([r.id, r.sender, r.subject, r.body, r.verdict, r.flags, r.missing],
                            ensure_ascii=False).encode())
    return h.hexdigest()


def label_signature(row: Labelled) -> str:
    """A user label as the card remembers it: which message, and what the user said,
    without keeping the message's identifiers in clear."""
    import hashlib

    return hashlib.sha256(f"{row.id}\0{row.verdict}\0{','.join(sorted(row.flags))}".encode()).hexdigest()[:20]


def train(data_dirs: list[str], out_dir: Path, *, force: bool = False, folds: int = 5,
          rows: list[Labelled] | None = None, params: dict[str, Any] | None = None,
          user_rows: list[Labelled] | None = None, champion_dir: Path | None = None) -> TrainReport:
    """Cross-validate, measure on the fixed held-out split, and replace the model in
    ``out_dir`` only if the new one is not worse there (or ``force``).

    ``user_rows`` are the user's own corrections, trained on beside the labelled data;
    ``champion_dir`` is the model to beat when ``out_dir`` holds none yet (the shipped
    model, for a user's first retraining).
    """
    params = params or {}
    user_rows = list(user_rows or [])
    given = rows is not None
    base = rows if rows is not None else load_labelled(data_dirs)
    if given:
        data_dirs = []
    rows = list(base) + user_rows
    examples = to_examples(rows)

    cv_metrics = None
    if folds >= 2:
        cv = cross_validate(rows, examples, folds=folds, **params)
        cv_metrics = metrics(rows, decide_all(examples, cv.outputs))

    train_idx, test_idx = holdout_split(rows)
    test_rows = [rows[i] for i in test_idx]
    test_ex = [examples[i] for i in test_idx]
    challenger = TriageModel(**params).fit([examples[i] for i in train_idx], [rows[i] for i in train_idx])
    new_preds = decide_all(test_ex, challenger.predict(test_ex))
    holdout = metrics(test_rows, new_preds)
    ids_sha = holdout_ids_sha256(rows, test_idx)
    user_test = [k for k, i in enumerate(test_idx) if i >= len(base)]
    signatures = {label_signature(r): r.verdict for r in user_rows}

    replaced, comparison, reason = True, [], "no champion yet"
    champion_metrics = None
    champ_dir = out_dir if (out_dir / CARD_FILE).exists() else champion_dir
    if champ_dir is not None and (champ_dir / CARD_FILE).exists():
        champ_card = read_card(champ_dir)
        champ = champ_card.get("metrics", {}).get("holdout", {})
        if user_rows:
            # Fair to both: the champion's recipe and data (the labelled files plus the
            # user labels it was trained with), refitted on today's training split and
            # measured on the same held-out rows, none of which either model has seen.
            known = set(champ_card.get("data", {}).get("user_labels", {}))
            keep = [i for i in train_idx if i < len(base) or label_signature(rows[i]) in known]
            champ_params = {k: v for k, v in champ_card.get("params", {}).items()
                            if k in TriageModel.__dataclass_fields__}
            refit = TriageModel(**champ_params).fit([examples[i] for i in keep], [rows[i] for i in keep])
            champ_preds = decide_all(test_ex, refit.predict(test_ex))
            champ = metrics(test_rows, champ_preds)
            if user_test:
                champ["user_verdict_accuracy"] = _accuracy(test_rows, champ_preds, user_test)
                holdout["user_verdict_accuracy"] = _accuracy(test_rows, new_preds, user_test)
            new_labels = sum(sig not in known for sig in signatures)
            comparison.append(f"your labels: {len(user_rows)} ({_by_verdict(user_rows)}), weighted "
                              f"{user_rows[0].weight:g}x; new since the champion: {new_labels}; "
                              f"held out for this comparison: {len(user_test)}")
        elif champ.get("ids_sha256") != ids_sha:
            # The data changed: measure the champion on today's held-out rows.
            champ_model, _ = load_for_scoring(champ_dir)
            champ = metrics(test_rows, decide_all(test_ex, champ_model.predict(test_ex)))
        champion_metrics = {k: v for k, v in champ.items() if k != "confusion"}
        ok, lines = not_worse(holdout, champ)
        comparison += lines
        replaced = ok or force
        reason = ("not worse on the held-out split" if ok else
                  "worse on the held-out split, replaced because of --force" if force else
                  "worse on the held-out split; kept the champion (use --force to replace it)")

    card = {
        "name": out_dir.name,
        "code_version": __version__,
        "libraries": library_versions(),
        "seed": SEED,
        "params": {k: getattr(challenger, k) for k in
                   ("C_verdict", "C_flags", "C_missing", "rule_scale", "flags_on_toxic_only")},
        "decide": {"model_toxic_at": MODEL_TOXIC_AT, "rule_confirmed_at": RULE_CONFIRMED_AT,
                   "rule_flag_at": RULE_FLAG_AT, "flag_at": FLAG_AT, "missing_at": MISSING_AT,
                   "missing_from": MISSING_FROM},
        "data": {"sha256": data_sha256(data_dirs) if data_dirs else rows_sha256(base),
                 "files": [str(p) for p in data_files(data_dirs)], "n": len(base),
                 "per_language": {lang: sum(r.lang == lang for r in base) for lang in ("en", "ru", "ar")}},
        "metrics": {
            "cv": cv_metrics, "cv_folds": folds,
            "keyword_baseline": metrics(rows, keyword_baseline(examples)),
            "rules_only": metrics(rows, decide_all(examples, None)),
            "holdout": holdout | {"ids_sha256": ids_sha, "n_train": len(train_idx)},
            # What the challenger was compared with, on the same held-out rows.
            "champion_holdout": champion_metrics,
        },
    }
    if user_rows:
        card["data"]["user_labels"] = signatures
        card["data"]["user_weight"] = user_rows[0].weight
    if replaced:
        final = TriageModel(**params).fit(examples, rows)
        card = save(final, out_dir, card)
    return TrainReport(card=card, replaced=replaced, comparison=comparison, reason=reason)


def _accuracy(rows: list[Labelled], preds: list, idx: list[int]) -> float:
    return round(sum(rows[k].verdict == preds[k].verdict for k in idx) / len(idx), 4)


def _by_verdict(rows: list[Labelled]) -> str:
    from collections import Counter

    counts = Counter(r.verdict for r in rows)
    return ", ".join(f"{v} {n}" for v, n in sorted(counts.items()))


def evaluate_model(model_dir: Path | None, data_dirs: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics of a saved model on labelled data, and its worst errors with their text."""
    model, _card = load_for_scoring(model_dir)
    rows = load_labelled(data_dirs)
    examples = to_examples(rows)
    preds = decide_all(examples, model.predict(examples))
    m = metrics(rows, preds)
    errors = []
    for r, p in zip(rows, preds, strict=True):
        if r.verdict != p.verdict:
            # Worst first: the confident mistakes, and warm called toxic above all.
            cost = abs((r.verdict == "toxic") - p.score) + (1.0 if (r.verdict, p.verdict) == ("warm", "toxic") else 0)
            errors.append({"id": r.id, "lang": r.lang, "true": r.verdict, "predicted": p.verdict,
                           "score": round(p.score, 3), "cost": cost, "subject": r.subject,
                           "text": r.body[:400]})
    errors.sort(key=lambda e: -e["cost"])
    return m, errors


def ensure_model_dir(path: str | None) -> Path:
    from triage.model import DEFAULT_MODEL_DIR

    p = Path(path) if path else DEFAULT_MODEL_DIR
    if p.exists() and not p.is_dir():
        raise ModelError(f"{p}: not a folder")
    return p
