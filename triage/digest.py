"""Compose and send the daily digest: the only smtplib user.

One multipart/alternative message (plain text and HTML from the same ranked
leads). It is recorded as sent only after the server accepted it, so a failed
send leaves every lead pending for the next run.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from triage.config import Smtp
from triage.errors import AuthError, FetchError


class DigestError(FetchError):
    """The digest could not be sent; nothing was marked as sent."""


def compose(leads: Sequence[dict[str, Any]], smtp: Smtp, day: str) -> EmailMessage:
    from triage.report import rank_leads, render_html, render_text

    ranked = rank_leads(leads)
    warm = sum(d["verdict"] == "warm" for d in ranked)
    toxic = sum(d["verdict"] == "toxic" for d in ranked)
    msg = EmailMessage()
    msg["Subject"] = f"triage digest {day}: {warm} warm, {toxic} toxic"
    msg["From"] = smtp.sender
    msg["To"] = smtp.to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="triage.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render_text(ranked) or "No new leads.")
    msg.add_alternative(render_html(ranked, title=f"triage digest {day}"), subtype="html")
    return msg


def send(msg: EmailMessage, smtp: Smtp) -> None:
    from triage.sources.imap import tls_context

    where = f"SMTP {smtp.host}:{smtp.port}"
    try:
        ctx = tls_context(smtp.ca_file) if smtp.security != "none" else None
        if smtp.security == "tls":
            conn = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ctx)
        else:
            conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with conn:
            if smtp.security == "starttls":
                conn.starttls(context=ctx)
            if smtp.username and smtp.secret is not None:
                secret = smtp.secret.reveal()
                try:
                    _login(conn, smtp.username, secret)
                except smtplib.SMTPAuthenticationError as exc:
                    # smtplib raises this for any answer to AUTH but success; a 4xx answer
                    # ("454 temporary authentication failure") says nothing of the password.
                    if 400 <= exc.smtp_code < 500:
                        raise DigestError(f"{where}: the server could not check the login for "
                                          f"{smtp.username} now ({exc.smtp_code}); the leads stay pending") from exc
                    raise AuthError(f"{where}: the server refused the login for {smtp.username} "
                                    f"({exc.smtp_code})") from exc
            conn.send_message(msg)
    except (AuthError, DigestError):
        raise
    except ssl.SSLCertVerificationError as exc:
        raise DigestError(f"{where}: the server's TLS certificate failed verification; "
                          "the digest was not sent") from exc
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise DigestError(f"{where}: the server refused the digest ({exc.smtp_code} {text.strip()[:160]}); "
                          "the leads stay pending") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DigestError(f"{where}: the server refused the recipient; the leads stay pending") from exc
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        raise DigestError(f"{where}: cannot send ({type(exc).__name__}: {exc}); the leads stay pending") from exc


def _login(conn: smtplib.SMTP, username: str, secret: str) -> None:
    if (username + secret).isascii():
        conn.login(username, secret)
        return
    # smtplib encodes every AUTH exchange as ASCII and fails before sending a non-ASCII
    # password; AUTH PLAIN carries UTF-8 (RFC 4616), so it is sent by hand.
    import base64

    conn.ehlo_or_helo_if_needed()
    if "PLAIN" not in conn.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("the server offers no AUTH PLAIN, which a non-ASCII password needs")
    token = base64.b64encode(f"\0{username}\0{secret}".encode()).decode("ascii")
    code, resp = conn.docmd("AUTH", "PLAIN " + token)
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, resp)


def today() -> str:
    return datetime.now(UTC).astimezone().date().isoformat()
