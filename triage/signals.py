"""What the model reads from an Example, without scikit-learn: the texts its vectorisers
see and the rule-layer and header signals. The transformers of triage.features and the
scoring view of triage.serving both read them from here, so they cannot drift apart."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from triage.parse import sender_address
from triage.taxonomy import DETAILS, FLAGS, LANGS
from triage.types import Email, Example, Finding

CUES = ("inquiry", "bulk", "pitch", "referral", "fair_pay")
FREE_MAIL = frozenset(
    "gmail.com googlemail.com yahoo.com hotmail.com outlook.com live.com aol.com icloud.com me.com "
    "mail.ru yandex.ru ya.ru bk.ru list.ru inbox.ru rambler.ru gmx.com gmx.de proton.me protonmail.com "
    "zoho.com yahoo.co.uk hotmail.co.uk msn.com".split()
)
SIGNAL_NAMES = (
    [f"flag:{f}" for f in FLAGS] + [f"negated:{f}" for f in FLAGS]
    + [f"detail:{d}" for d in DETAILS] + [f"cue:{c}" for c in CUES]
    + [f"lang:{lang}" for lang in LANGS]
    + ["free_mail", "reply_to_differs", "links", "bulk_headers", "log_len", "quoted_share", "no_own_text"]
)
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_NOT_SPACE = re.compile(r"\S")


def own_text(email: Email, negated: Sequence[Finding] = ()) -> str:
    """Subject and the sender's own words: what red flags are judged on. The words of each
    flag the rule layer found negated or refused ("we don't expect you online 24/7") are
    blanked, so the word and character views see the refusal, not the flag's vocabulary."""
    body = email.body
    for f in negated:
        if f.evidence.field == "body":
            s, e = f.evidence.start, f.evidence.end
            body = body[:s] + _NOT_SPACE.sub(" ", body[s:e]) + body[e:]
    own = " \n".join(body[s:e] for s, e in email.own) if email.own else body
    return f"{email.subject}\n{own}"


def full_text(email: Email) -> str:
    """Subject and the whole body, quotes included: what brief details are judged on."""
    return f"{email.subject}\n{email.body}"


def text_of(x: Example, part: str, max_chars: int, mask_negated: bool) -> str:
    """The text one vectoriser reads: ``own`` (optionally with negated flags blanked) or ``full``."""
    if part == "full":
        return full_text(x.email)[:max_chars]
    return own_text(x.email, x.analysis.negated if mask_negated else ())[:max_chars]


def signals(x: Example) -> list[float]:
    """One value per name of SIGNAL_NAMES, unscaled."""
    from triage.decide import bulk_headers

    e, a = x.email, x.analysis
    flags = {f.label for f in a.flags}
    negated = {f.label for f in a.negated}
    details = {f.label for f in a.details}
    cues = [f.label for f in a.cues]
    addr = sender_address(e.sender)
    reply_to = sender_address(e.headers.get("reply-to", "")) if e.headers.get("reply-to") else ""
    own_len = sum(end - s for s, end in e.own)
    return (
        [float(f in flags) for f in FLAGS] + [float(f in negated) for f in FLAGS]
        + [float(d in details) for d in DETAILS] + [min(3.0, cues.count(c)) for c in CUES]
        + [float(e.lang == lang) for lang in LANGS]
        + [float(addr.rsplit("@", 1)[-1] in FREE_MAIL),
           float(bool(reply_to) and reply_to != addr),
           min(5.0, len(_LINK.findall(e.body[:6000]))) / 5.0,
           float(bulk_headers(e)),
           math.log1p(len(e.body)) / 10.0,
           1.0 - own_len / max(1, len(e.body)),
           float(own_len == 0)]
    )
