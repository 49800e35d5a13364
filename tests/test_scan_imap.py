"""`triage scan` against a real Dovecot: incremental, read-only, resilient, safe."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from triage.store import Store, scan_lock

from . import servers
from .conftest import ROOT

SAMPLES = ROOT / "data" / "samples" / "inbox.mbox"
PW_ENV = "TRIAGE_TEST_IMAP_PASSWORD"


def samples(n: int) -> list[bytes]:
    return [m.as_bytes() for m in list(mailbox.mbox(str(SAMPLES)))[:n]]


def fresh_message(subject: str) -> bytes:
    return (f"From: Lena <lena@{uuid.uuid4().hex[:8]}.example>\r\nSubject: {subject}\r\n"
            f"Message-ID: <{uuid.uuid4().hex}@test>\r\n\r\n"
            "Hi! We need a logo for our bakery by Friday, budget $300.\r\n").encode()


def append(dovecot, folder: str, messages: list[bytes], seen: set[int] = frozenset()) -> None:
    c = dovecot.client()
    for i, raw in enumerate(messages):
        c.append(folder, raw, flags=[b"\\Seen"] if i in seen else [])
    c.logout()


def write_config(tmp_path: Path, dovecot, folder: str, *, host="127.0.0.1", port=None, security="none",
                 ca_file: str | None = None, retries: int = 3, batch_size: int = 3) -> Path:
    cfg = tmp_path / "config.toml"
    lines = [
        "[store]", f'path = "{tmp_path / "triage.db"}"', "",
        "[[accounts]]", 'name = "test"', f'host = "{host}"',
        f"port = {port or (dovecot.tls_port if security == 'tls' else dovecot.port)}",
        f'security = "{security}"', f'username = "{servers.USER}"', f'password_env = "{PW_ENV}"',
        f'folders = ["{folder}"]', f"retries = {retries}", f"batch_size = {batch_size}", "timeout = 10",
    ]
    if ca_file:
        lines.append(f'ca_file = "{ca_file}"')
    cfg.write_text("\n".join(lines) + "\n")
    return cfg


def scan(cfg: Path, password: str = servers.PASSWORD, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{PW_ENV: password})
    return subprocess.run([sys.executable, "-m", "triage", "scan", "--config", str(cfg), "--format", "jsonl",
                           *extra], capture_output=True, env=env, cwd=ROOT, timeout=300)


def records(res: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(x) for x in res.stdout.decode().splitlines() if x.strip()]


def flags_of(dovecot, folder: str) -> dict[int, tuple]:
    c = dovecot.client()
    c.select_folder(folder, readonly=True)
    out = {uid: tuple(sorted(d[b"FLAGS"])) for uid, d in c.fetch(c.search("ALL"), ["FLAGS"]).items()}
    c.logout()
    return out


def test_first_scan_all_second_none_then_only_new(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(7))
    cfg = write_config(tmp_path, dovecot, folder)
    first = scan(cfg)
    assert first.returncode == 0, first.stderr.decode()
    recs = records(first)
    assert len(recs) == 7
    assert [r["uid"] for r in recs] == sorted(r["uid"] for r in recs)
    for r in recs:
        assert r["account"] == "test" and r["folder"] == folder and r["verdict"] in ("warm", "toxic", "not_lead")
    assert "7 new" in first.stderr.decode()

    second = scan(cfg)
    assert second.returncode == 0 and records(second) == []

    append(dovecot, folder, [fresh_message("one more")])
    third = records(scan(cfg))
    assert [r["subject"] for r in third] == ["one more"]
    with Store(tmp_path / "triage.db") as store:
        assert store.count() == 8


def test_seen_flags_are_never_changed(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(5), seen={1, 3})
    before = flags_of(dovecot, folder)
    assert sum(b"\\Seen" in f for f in before.values()) == 2
    res = scan(write_config(tmp_path, dovecot, folder))
    assert res.returncode == 0 and len(records(res)) == 5
    assert flags_of(dovecot, folder) == before


def test_tls_with_private_ca(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(2))
    ok = scan(write_config(tmp_path, dovecot, folder, security="tls", ca_file=str(dovecot.ca_file)))
    assert ok.returncode == 0, ok.stderr.decode()
    assert len(records(ok)) == 2


def test_tls_certificate_is_checked_by_default(dovecot, folder, tmp_path):
    res = scan(write_config(tmp_path, dovecot, folder, security="tls"))
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "certificate" in err and "Traceback" not in err


def test_uidvalidity_change_reports_nothing_known(dovecot, folder, tmp_path):
    msgs = samples(4)
    append(dovecot, folder, msgs)
    cfg = write_config(tmp_path, dovecot, folder)
    assert len(records(scan(cfg))) == 4
    c = dovecot.client()
    c.delete_folder(folder)
    c.create_folder(folder)
    c.logout()
    append(dovecot, folder, msgs + [fresh_message("after the resync")])
    res = scan(cfg)
    assert res.returncode == 0, res.stderr.decode()
    assert [r["subject"] for r in records(res)] == ["after the resync"]
    assert "4 skipped" in res.stderr.decode()


def test_connection_cut_mid_fetch_then_rerun_gives_each_message_once(dovecot, folder, tmp_path):
    msgs = samples(12)
    append(dovecot, folder, msgs)
    proxy = servers.CuttingProxy(dovecot.port, after_bytes=10_000, cuts=1)
    try:
        cfg = write_config(tmp_path, dovecot, folder, port=proxy.port, retries=0, batch_size=3)
        first = scan(cfg)
        assert first.returncode == 1, "the cut must be reported"
        assert "connection lost" in first.stderr.decode()
        got_first = records(first)
        assert 0 < len(got_first) < 12
        second = scan(cfg)
        assert second.returncode == 0, second.stderr.decode()
        uids = [r["uid"] for r in got_first + records(second)]
        assert len(uids) == len(set(uids)) == 12
    finally:
        proxy.close()
    with Store(tmp_path / "triage.db") as store:
        assert store.count() == 12


def test_dropped_connection_is_retried_within_one_scan(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(9))
    proxy = servers.CuttingProxy(dovecot.port, after_bytes=8_000, cuts=1)
    try:
        res = scan(write_config(tmp_path, dovecot, folder, port=proxy.port, retries=2, batch_size=2))
    finally:
        proxy.close()
    assert res.returncode == 0, res.stderr.decode()
    assert len({r["uid"] for r in records(res)}) == len(records(res)) == 9
    assert proxy.connections >= 2


def test_wrong_password_exit_3_and_never_shown(dovecot, folder, tmp_path):
    wrong = "Wr0ng-Secret-Value-123"
    res = scan(write_config(tmp_path, dovecot, folder), wrong)
    assert res.returncode == 3
    out = res.stdout.decode() + res.stderr.decode()
    assert wrong not in out and servers.PASSWORD not in out
    assert "refused the login" in out and "Traceback" not in out


def test_server_down_exit_1(dovecot, folder, tmp_path):
    res = scan(write_config(tmp_path, dovecot, folder, port=servers.free_port()))
    assert res.returncode == 1
    assert "cannot connect" in res.stderr.decode() and "Traceback" not in res.stderr.decode()


def test_plaintext_to_a_remote_host_is_refused_before_connecting(dovecot, folder, tmp_path):
    # A name that cannot resolve: any connection attempt would fail differently.
    res = scan(write_config(tmp_path, dovecot, folder, host="imap.invalid"))
    assert res.returncode == 2
    err = res.stderr.decode()
    assert 'security = "none"' in err and "loopback" in err


def test_second_scan_refuses_while_one_runs(dovecot, folder, tmp_path):
    cfg = write_config(tmp_path, dovecot, folder)
    with scan_lock(tmp_path / "triage.db"):
        res = scan(cfg)
    assert res.returncode == 1
    assert "already running" in res.stderr.decode()


def test_missing_config_key_names_key_and_file(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[accounts]]\nname = "x"\nhost = "127.0.0.1"\n')
    res = subprocess.run([sys.executable, "-m", "triage", "scan", "--config", str(cfg)],
                         capture_output=True, cwd=ROOT, timeout=60)
    assert res.returncode == 2
    err = res.stderr.decode()
    assert str(cfg) in err and "'username'" in err and err.count("\n") == 1


def test_non_ascii_folder_name(dovecot, tmp_path):
    """Folder names travel as modified UTF-7 (RFC 3501); the config holds them as text."""
    name = f"Клиенты-عملاء-{uuid.uuid4().hex[:6]}"
    c = dovecot.client()
    c.create_folder(name)
    c.logout()
    try:
        append(dovecot, name, samples(2))
        res = scan(write_config(tmp_path, dovecot, name))
        assert res.returncode == 0, res.stderr.decode()
        assert [r["folder"] for r in records(res)] == [name, name]
    finally:
        c = dovecot.client()
        c.delete_folder(name)
        c.logout()


def test_a_refused_folder_fails_alone_and_the_next_one_is_scanned(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(3))
    cfg = write_config(tmp_path, dovecot, folder)
    missing = f"Gone-{uuid.uuid4().hex[:6]}"
    cfg.write_text(cfg.read_text().replace(f'folders = ["{folder}"]', f'folders = ["{missing}", "{folder}"]'))
    res = scan(cfg)
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert missing in err and "Traceback" not in err
    assert [r["folder"] for r in records(res)] == [folder] * 3
    # The refused folder keeps failing alone; the scanned one reports nothing new.
    again = scan(cfg)
    assert again.returncode == 1 and records(again) == [] and missing in again.stderr.decode()


def test_a_non_ascii_password_logs_in_and_a_wrong_one_is_refused(dovecot, tmp_path):
    cfg = write_config(tmp_path, dovecot, "INBOX")
    cfg.write_text(cfg.read_text().replace(f'username = "{servers.USER}"', f'username = "{servers.UTF8_USER}"'))
    ok = scan(cfg, servers.UTF8_PASSWORD)
    assert ok.returncode == 0, ok.stderr.decode()
    wrong = servers.UTF8_PASSWORD.replace("ö", "o")
    res = scan(cfg, wrong)
    out = res.stdout.decode() + res.stderr.decode()
    assert res.returncode == 3, out
    assert "refused the login for bob" in out and wrong not in out and "Traceback" not in out


def _session(port: int, monkeypatch):
    from triage.config import Account, Secret
    from triage.sources.imap import ImapSession

    monkeypatch.setenv(PW_ENV, servers.PASSWORD)
    return ImapSession(Account(name="test", host="127.0.0.1", port=port, security="none",
                               username=servers.USER, secret=Secret("env", PW_ENV, "test"), timeout=10.0))


def test_a_message_expunged_between_search_and_fetch_is_skipped(dovecot, folder, monkeypatch):
    append(dovecot, folder, [fresh_message(f"m{i}") for i in range(3)])
    with _session(dovecot.port, monkeypatch) as session:
        session.select(folder)
        uids = session.uids_after(0)
        other = dovecot.client()  # another mail client deletes the middle one meanwhile
        other.select_folder(folder)
        other.delete_messages([uids[1]])
        other.expunge()
        other.logout()
        got = session.fetch(uids)
    assert [f.uid for f in got] == [uids[0], uids[2]]
    assert all(b"We need a logo" in f.raw for f in got)


class _Omitting:
    """Stands in for IMAPClient where a real server cannot be made to misbehave: it has
    every message but leaves UID 2 out of BODY.PEEK[] answers ``times`` times."""

    def __init__(self, times: int, sizeless: frozenset[int] = frozenset()) -> None:
        self.times = times
        self.sizeless = sizeless  # UIDs left out of the RFC822.SIZE answer

    def search(self, criteria):
        return [int(u) for u in criteria[1].split(",")]

    def fetch(self, uids, items):
        if items == ["RFC822.SIZE"]:
            return {u: {b"RFC822.SIZE": 10} for u in uids if u not in self.sizeless}
        if 2 in uids and self.times:
            self.times -= 1
            uids = [u for u in uids if u != 2]
        return {u: {b"BODY[]": b"Subject: %d\r\n\r\nhi" % u} for u in uids}


def test_a_message_the_server_leaves_out_once_is_asked_for_again(monkeypatch):
    session = _session(0, monkeypatch)  # never connected: the stand-in is the client
    session.client = _Omitting(times=1)
    assert [f.uid for f in session.fetch([1, 2, 3])] == [1, 2, 3]


def test_a_message_left_out_of_the_size_answer_is_still_fetched_whole(monkeypatch):
    session = _session(0, monkeypatch)  # never connected: the stand-in is the client
    session.client = _Omitting(times=0, sizeless=frozenset({2}))
    got = session.fetch([1, 2, 3])
    assert [f.uid for f in got] == [1, 2, 3]
    assert got[1].raw == b"Subject: 2\r\n\r\nhi"
    assert got[1].size == len(got[1].raw)  # its own length stands in for the size not given
    assert not any(f.truncated for f in got)


def test_a_message_the_server_keeps_leaving_out_fails_the_batch(monkeypatch):
    from triage.errors import FetchError

    session = _session(0, monkeypatch)  # never connected: the stand-in is the client
    session.client = _Omitting(times=2)
    with pytest.raises(FetchError, match="UID 2 but left it out"):
        session.fetch([1, 2, 3])
