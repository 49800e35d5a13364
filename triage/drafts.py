"""Reply drafts: the next-step text of a lead as a reply, never sent, only saved."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from triage.report import next_step

KEYWORDS = {"warm": "$TriageWarm", "toxic": "$TriageToxic", "not_lead": "$TriageNotLead"}
VERDICT_OF_KEYWORD = {v.lower(): k for k, v in KEYWORDS.items()}


def compose_reply(lead: dict[str, Any], from_addr: str) -> EmailMessage | None:
    """A reply to ``lead`` in its language, threaded under it; None for a not_lead."""
    text = next_step(lead)
    if not text:
        return None
    subject = lead["subject"] or ""
    msg = EmailMessage()
    msg["From"] = from_addr
    msg["To"] = lead["from"]
    msg["Subject"] = subject if subject.lower().startswith(("re:", "ответ:", "رد:")) else f"Re: {subject}"
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="triage.local")
    if lead.get("message_id"):
        msg["In-Reply-To"] = lead["message_id"]
        msg["References"] = lead["message_id"]
    msg["Content-Language"] = lead["lang"] if lead["lang"] in ("en", "ru", "ar") else "en"
    msg.set_content(text + "\n")
    return msg
