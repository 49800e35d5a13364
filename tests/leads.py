"""A store filled with real scored leads (the sample inbox plus a hostile message)."""

from __future__ import annotations

from pathlib import Path

from triage.parse import parse
from triage.service import Scorer, dedupe_key
from triage.sources.files import iter_path
from triage.store import Store
from triage.types import RawMessage

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_SUBJECT = '<script>document.title="pwned"</script><img src=x onerror="document.body.dataset.pwned=1">'
HOSTILE = (
    "From: =?utf-8?q?Eve_=3Cscript=3E?= <eve@evil.example>\r\nSubject: " + HOSTILE_SUBJECT + "\r\n"
    "Message-ID: <hostile@evil.example>\r\n\r\n"
    "We need a logo. Do a free test logo first.</textarea><script>document.body.dataset.pwned=2</script>"
    "<img src=x onerror=\"document.body.dataset.pwned=3\"> We pay once the shop makes money.\r\n"
).encode()


def fill_store(path: Path, scorer: Scorer | None = None, extra: list[bytes] | None = None) -> int:
    scorer = scorer or Scorer(None)
    raws = [m.raw for m in iter_path(str(ROOT / "data" / "samples" / "inbox.mbox"))] + [HOSTILE] + (extra or [])
    emails = [parse(RawMessage(id=str(i), raw=r)) for i, r in enumerate(raws)]
    preds = scorer.score_emails(emails)
    items = [(i + 1, dedupe_key(e, r), p, False) for i, (e, r, p) in enumerate(zip(emails, raws, preds, strict=True))]
    with Store(path) as store:
        store.save_batch("test", "INBOX", 1, len(items), items, "test")
        return store.count()
