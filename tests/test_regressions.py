"""Regression tests named after the defects a review found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from triage.config import parse_settings
from triage.errors import ConfigError, FetchError, SourceError
from triage.nlp.values import deadline
from triage.parse import parse
from triage.service import ScanSummary, Scorer, scan, score_raw
from triage.sources.files import iter_path
from triage.sources.imap import Fetched
from triage.store import Store, digest_lock
from triage.types import RawMessage

from .conftest import ROOT
from .leads import fill_store


class FakeSession:
    """A hand-written IMAP seam for the scan loop's bookkeeping (the real server is in test_scan_imap)."""

    def __init__(self, account, raws, fail_keywords):
        self.raws, self.fail = raws, fail_keywords

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def select(self, folder, writable=False):
        return 7

    def uids_after(self, last):
        return [u for u in range(1, len(self.raws) + 1) if u > last]

    def fetch(self, uids):
        return [Fetched(u, self.raws[u - 1], len(self.raws[u - 1]), False) for u in uids]

    def add_keywords(self, uids, kw):
        if self.fail:
            raise FetchError("the server refused setting keywords (NO)")


def test_keyword_failure_never_leaves_stored_messages_unreported(tmp_path):
    raws = [m.raw for m in iter_path(str(ROOT / "data" / "samples" / "inbox.mbox"))][:5]
    settings = parse_settings({"store": {"path": str(tmp_path / "s.db")}, "accounts": [{
        "name": "a", "host": "127.0.0.1", "security": "none", "username": "u", "password_env": "X",
        "tag": True, "batch_size": 2}]}, tmp_path / "c.toml")
    summary = ScanSummary()
    got = list(scan(settings, Scorer(None), summary=summary,
                    session_factory=lambda acc: FakeSession(acc, raws, fail_keywords=True)))
    with Store(tmp_path / "s.db") as store:
        assert len(got) == store.count() == 5
    assert summary.failures and all("keywords not set" in f for f in summary.failures)


def test_newline_smuggled_in_an_encoded_header_is_removed():
    e = parse(RawMessage(id="x", raw=b"From: =?utf-8?b?RGFuYQpY?= <d@x.com>\nSubject: =?utf-8?q?a=0Ab?=\n\nhi"))
    assert "\n" not in e.sender and "\n" not in e.subject
    assert e.sender == "Dana X <d@x.com>"


def test_date_in_year_9999_still_scores():
    pred = score_raw(RawMessage(id="y", raw=b"Date: Fri, 31 Dec 9999 23:00:00 +0000\nSubject: logo\n\n"
                                             b"We need a logo by Friday, budget $300."))
    assert "deadline" in pred.details


def test_month_is_not_monday():
    assert deadline("within a month", date(2026, 3, 10)) == {"days": 30}
    assert deadline("by Monday", date(2026, 3, 10)) == {"date": "2026-03-16"}


def test_unreadable_file_in_a_folder_does_not_stop_the_rest(tmp_path):
    (tmp_path / "a.eml").write_bytes(b"Subject: a\n\nhello")
    (tmp_path / "b.eml").symlink_to(tmp_path / "gone.eml")  # unreadable even for root
    (tmp_path / "c.eml").write_bytes(b"Subject: c\n\nhello")
    seen = []
    with pytest.raises(SourceError, match="b.eml"):
        for m in iter_path(str(tmp_path)):
            seen.append(m.id)
    assert seen == [str(tmp_path / "a.eml"), str(tmp_path / "c.eml")]


def test_second_digest_refuses_while_one_runs(tmp_path):
    fill_store(tmp_path / "t.db")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n\n[smtp]\nhost = "127.0.0.1"\nport = 9\n'
                   'security = "none"\nfrom = "a@b.c"\nto = "a@b.c"\n')
    with digest_lock(tmp_path / "t.db"):
        res = subprocess.run([sys.executable, "-m", "triage", "digest", "--config", str(cfg)],
                             capture_output=True, cwd=ROOT, timeout=120)
    assert res.returncode == 1 and "already running" in res.stderr.decode()


def test_broken_pipe_is_not_an_error(tmp_path):
    p = tmp_path / "many.jsonl"
    p.write_text("".join(json.dumps({"id": str(i), "body": "We need a logo."}) + "\n" for i in range(3000)))
    proc = subprocess.Popen([sys.executable, "-m", "triage", "score", "--format", "jsonl", str(p)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=dict(os.environ))
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert "Error" not in err


@pytest.mark.parametrize("key, value", [("batch_size", 0), ("retries", -1), ("timeout", 0)])
def test_out_of_range_numbers_are_config_errors(tmp_path, key, value):
    with pytest.raises(ConfigError, match=f"'{key}' must be at least"):
        parse_settings({"accounts": [{"name": "a", "host": "h", "username": "u", "password_env": "X",
                                      key: value}]}, tmp_path / "c.toml")
