"""The daily digest against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email import policy

import pytest
from aiosmtpd.controller import Controller

from triage.store import Store

from .conftest import ROOT
from .leads import HOSTILE_SUBJECT, fill_store
from .servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.refuse:
            return "554 5.7.1 Message rejected by policy"
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture()
def smtp():
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    yield inbox, ctl.port
    ctl.stop()


@pytest.fixture()
def configured(tmp_path, smtp):
    inbox, port = smtp
    fill_store(tmp_path / "t.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n\n[smtp]\nhost = "127.0.0.1"\nport = {port}\n'
                   'security = "none"\nfrom = "triage <triage@example.com>"\nto = "me@example.com"\n')
    return inbox, cfg, tmp_path / "t.db"


def run(cfg, *args):
    return subprocess.run([sys.executable, "-m", "triage", "digest", "--config", str(cfg), *args],
                          capture_output=True, cwd=ROOT, timeout=120, env=dict(os.environ))


def test_digest_is_multipart_ranked_and_escaped(configured):
    inbox, cfg, _db = configured
    res = run(cfg)
    assert res.returncode == 0, res.stderr.decode()
    assert len(inbox.messages) == 1
    msg = email.message_from_bytes(inbox.messages[0], policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    lines = [ln for ln in text.splitlines() if ln[:1].isdigit() and ". [" in ln]
    verdicts = [ln.split("[")[1].split()[0] for ln in lines]
    assert verdicts == sorted(verdicts, key=lambda v: {"warm": 0, "toxic": 1}[v])
    assert "not_lead" not in verdicts
    assert "next step" in text
    assert "<script>document.title" not in html and "&lt;script&gt;document.title" in html
    assert "<img src=x" not in html
    assert HOSTILE_SUBJECT in text  # plain text carries it verbatim, harmlessly


def test_second_run_same_day_sends_nothing(configured):
    inbox, cfg, _db = configured
    assert run(cfg).returncode == 0
    res = run(cfg)
    assert res.returncode == 0 and len(inbox.messages) == 1
    assert "already sent today" in res.stderr.decode()
    assert run(cfg, "--force", "--send-empty").returncode == 0 and len(inbox.messages) == 2


def test_refused_send_leaves_leads_pending(configured):
    inbox, cfg, db = configured
    with Store(db) as store:
        pending = len(store.pending_digest())
    inbox.refuse = True
    res = run(cfg)
    assert res.returncode == 1
    assert "refused the digest" in res.stderr.decode() and "Traceback" not in res.stderr.decode()
    with Store(db) as store:
        assert len(store.pending_digest()) == pending
    inbox.refuse = False
    assert run(cfg).returncode == 0 and len(inbox.messages) == 1
    with Store(db) as store:
        assert store.pending_digest() == []


def test_dry_run_prints_and_sends_nothing(configured):
    inbox, cfg, _db = configured
    res = run(cfg, "--dry-run")
    assert res.returncode == 0 and inbox.messages == []
    assert b"multipart/alternative" in res.stdout
