"""Metrics for the triage contract, grouped cross-validation, a keyword baseline,
and the champion/challenger rule."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from triage.model import Labelled, TriageModel, groups_of
from triage.taxonomy import DETAILS, FLAGS, VERDICTS
from triage.types import Prediction

HOLDOUT_SHARE = 0.2
# A challenger may replace the champion when no headline metric drops by more than this.
TOLERANCE = {"verdict_macro_f1": 0.005, "flags_micro_f1": 0.01, "missing_micro_f1": 0.01,
             # Measured only when the user's own labels are in the held-out split: the
             # user's judgement is the point of retraining, so no loss is tolerated there.
             "user_verdict_accuracy": 0.0}
OPTIONAL = {"user_verdict_accuracy"}


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _set_f1(true: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], names: Sequence[str]
            ) -> tuple[float, dict[str, float]]:
    tp = fp = fn = 0
    per = {}
    for name in names:
        t_ = sum(1 for a, b in zip(true, pred, strict=True) if name in a and name in b)
        f_p = sum(1 for a, b in zip(true, pred, strict=True) if name not in a and name in b)
        f_n = sum(1 for a, b in zip(true, pred, strict=True) if name in a and name not in b)
        per[name] = round(_f1(t_, f_p, f_n), 4)
        tp, fp, fn = tp + t_, fp + f_p, fn + f_n
    return round(_f1(tp, fp, fn), 4), per


def _macro_f1(true: Sequence[str], pred: Sequence[str]) -> tuple[float, dict[str, float]]:
    per = {}
    for v in VERDICTS:
        tp = sum(1 for a, b in zip(true, pred, strict=True) if a == v and b == v)
        fp = sum(1 for a, b in zip(true, pred, strict=True) if a != v and b == v)
        fn = sum(1 for a, b in zip(true, pred, strict=True) if a == v and b != v)
        per[v] = round(_f1(tp, fp, fn), 4)
    present = [v for v in VERDICTS if v in true]
    return round(sum(per[v] for v in present) / max(1, len(present)), 4), per


def metrics(rows: Sequence[Labelled], preds: Sequence[Prediction]) -> dict[str, Any]:
    """The contract's metrics: verdict (overall, per class, per language), flags, missing."""
    tv = [r.verdict for r in rows]
    pv = [p.verdict for p in preds]
    macro, per_verdict = _macro_f1(tv, pv)
    # A user's correction without flags says nothing about flags, nor about details.
    fk = [i for i, r in enumerate(rows) if r.flags_known]
    mk = [i for i, r in enumerate(rows) if r.missing_known]
    flags_micro, per_flag = _set_f1([rows[i].flags for i in fk], [list(preds[i].flags) for i in fk], FLAGS)
    missing_micro, per_detail = _set_f1([rows[i].missing for i in mk], [preds[i].missing for i in mk], DETAILS)
    lead_idx = [i for i in mk if rows[i].verdict != "not_lead"]
    leads_missing, _ = _set_f1([rows[i].missing for i in lead_idx],
                               [preds[i].missing for i in lead_idx], DETAILS)
    per_lang = {}
    for lang in sorted({r.lang for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.lang == lang]
        m, _ = _macro_f1([tv[i] for i in idx], [pv[i] for i in idx])
        f, _ = _set_f1([rows[i].flags for i in idx if rows[i].flags_known],
                       [list(preds[i].flags) for i in idx if rows[i].flags_known], FLAGS)
        d, _ = _set_f1([rows[i].missing for i in idx if rows[i].missing_known],
                       [preds[i].missing for i in idx if rows[i].missing_known], DETAILS)
        per_lang[lang] = {"n": len(idx), "verdict_macro_f1": m, "flags_micro_f1": f, "missing_micro_f1": d}
    warm = [i for i, t in enumerate(tv) if t == "warm"]
    confusion = {t: {p: sum(1 for a, b in zip(tv, pv, strict=True) if a == t and b == p) for p in VERDICTS}
                 for t in VERDICTS}
    return {
        "n": len(rows),
        "verdict_macro_f1": macro,
        "verdict_accuracy": round(sum(a == b for a, b in zip(tv, pv, strict=True)) / max(1, len(rows)), 4),
        "per_verdict_f1": per_verdict,
        "flags_micro_f1": flags_micro,
        "per_flag_f1": per_flag,
        "missing_micro_f1": missing_micro,
        "missing_micro_f1_leads": leads_missing,
        "per_detail_f1": per_detail,
        "warm_as_toxic": round(sum(pv[i] == "toxic" for i in warm) / max(1, len(warm)), 4),
        "per_language": per_lang,
        "confusion": confusion,
    }


def decide_all(examples, outputs, **kw) -> list[Prediction]:
    from triage.decide import decide

    outputs = outputs if outputs is not None else [None] * len(examples)
    return [decide(x.email, x.analysis, o, **kw) for x, o in zip(examples, outputs, strict=True)]


@dataclass
class CVResult:
    outputs: list  # out-of-fold ModelOutput per row
    folds: int


def cross_validate(rows: Sequence[Labelled], examples, folds: int = 5, **params) -> CVResult:
    """Out-of-fold model outputs with folds grouped by sender, stratified by verdict."""
    from sklearn.model_selection import StratifiedGroupKFold

    from triage.model import SEED

    outputs: list = [None] * len(rows)
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in cv.split(examples, [r.verdict for r in rows], groups_of(rows)):
        model = TriageModel(**params).fit([examples[i] for i in train], [rows[i] for i in train])
        for i, o in zip(test, model.predict([examples[i] for i in test]), strict=True):
            outputs[i] = o
    return CVResult(outputs, folds)


def holdout_split(rows: Sequence[Labelled]) -> tuple[list[int], list[int]]:
    """A fixed split by sender hash: the same rows are held out on every machine and run."""
    train, test = [], []
    for i, g in enumerate(groups_of(rows)):
        h = int(hashlib.sha256(g.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (test if h < HOLDOUT_SHARE else train).append(i)
    return train, test


def holdout_ids_sha256(rows: Sequence[Labelled], test: Sequence[int]) -> str:
    return hashlib.sha256("\n".join(sorted(rows[i].id for i in test)).encode()).hexdigest()


def not_worse(challenger: dict[str, Any], champion: dict[str, Any]) -> tuple[bool, list[str]]:
    """The champion/challenger rule, with a line per headline metric."""
    ok = True
    lines = []
    for key, tol in TOLERANCE.items():
        if key in OPTIONAL and not (key in challenger and key in champion):
            continue
        new, old = challenger.get(key, 0.0), champion.get(key, 0.0)
        worse = new < old - tol
        ok = ok and not worse
        lines.append(f"{key:21s} champion {old:.4f}  challenger {new:.4f}  {'WORSE' if worse else 'ok'}")
    return ok, lines


# ---------------------------------------------------------------- keyword baseline

BASELINE_FLAGS = {
    "unpaid_test": ["free test", "test task", "free sample", "spec work", "contest", "тестовое", "бесплатн",
                    "конкурс", "مجان", "تجريبي", "مسابقة"],
    "pay_later": ["pay after", "after launch", "no upfront", "no prepayment", "после запуска", "без предоплат",
                  "оплата после", "بعد الإطلاق", "بدون دفعة مقدمة", "الدفع بعد"],
    "profit_share": ["profit", "revenue share", "equity", "royalt", "прибыл", "процент от", "доля", "أرباح",
                     "نسبة من", "حصة"],
    "exposure": ["exposure", "portfolio", "opportunity", "портфолио", "реклама для вас", "пиар", "فرصة",
                 "معرض أعمالك", "شهرة"],
    "lowball": ["quick job", "simple", "cheap", "discount", "too expensive", "просто", "дешев", "скидк",
                "дорого", "بسيط", "رخيص", "خصم", "غالي"],
    "bulk_bait": ["lots of work", "future work", "long-term", "ongoing", "много заказов", "постоянн",
                  "долгосрочн", "عمل مستمر", "مشاريع كثيرة", "طويل"],
    "unrealistic": ["viral", "million", "guarantee", "миллион", "вирусн", "гарант", "مليون", "فيروسي", "ضمان"],
    "rush": ["urgent", "asap", "today", "tonight", "срочно", "сегодня", "вчера", "عاجل", "اليوم", "الليلة"],
    "disrespect": ["grateful", "lucky", "sweetie", "stupid", "благодарн", "скажи спасибо", "глуп", "محظوظ",
                   "غبي"],
    "serial_complainer": ["previous designer", "previous freelancer", "incompetent", "предыдущ",
                          "некомпетент", "السابق", "فاشل"],
    "boundary_pushing": ["24/7", "unlimited", "any time", "every hour", "безлимит", "круглосуточно",
                         "в любое время", "غير محدود", "على مدار الساعة", "أي وقت"],
    "pressure": ["take it or leave it", "final offer", "someone else", "decide now", "последний шанс",
                 "другого исполнителя", "или", "فرصة أخيرة", "شخص آخر"],
}
BASELINE_NOT_LEAD = ["unsubscribe", "receipt", "invoice", "webinar", "newsletter", "отписаться", "рассылк",
                     "вебинар", "чек", "إلغاء الاشتراك", "فاتورة", "ندوة", "النشرة"]
BASELINE_DETAILS = {
    "budget": ["$", "€", "£", "usd", "budget", "руб", "₽", "бюджет", "ريال", "درهم", "جنيه", "ميزانية"],
    "deadline": ["deadline", "by ", "within", "срок", "до ", "дедлайн", "موعد", "خلال", "قبل"],
    "deliverables": ["logo", "article", "page", "post", "логотип", "стать", "текст", "شعار", "مقال", "صفحة"],
    "goal": ["to increase", "goal", "launch", "чтобы", "цель", "запуск", "لزيادة", "هدف", "إطلاق"],
    "company": ["we are", "our company", "www.", "http", "компания", "мы ", "شركة", "نحن"],
}


def keyword_baseline(examples) -> list[Prediction]:
    """Literal phrase matching, the floor the model must beat."""
    from triage.features import own_text
    from triage.types import Evidence

    preds = []
    for x in examples:
        e = x.email
        own = own_text(e).lower()
        full = (e.subject + "\n" + e.body).lower()
        flags = {f: (Evidence("body", 0, 0, ""),) for f, kws in BASELINE_FLAGS.items()
                 if any(k in own for k in kws)}
        if any(k in full for k in BASELINE_NOT_LEAD):
            verdict, flags, missing = "not_lead", {}, ()
        else:
            verdict = "toxic" if flags else "warm"
            missing = tuple(d for d, kws in BASELINE_DETAILS.items() if not any(k in full for k in kws))
        preds.append(Prediction(email=e, verdict=verdict, score=float(bool(flags)), flags=flags,
                                missing=missing, details={}))
    return preds
