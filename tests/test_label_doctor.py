"""`triage label` stores corrections (and says when one replaces another);
`triage doctor` checks the whole set-up, one line per check, against a real Dovecot."""

from __future__ import annotations

import json

from . import servers
from .conftest import triage_cli as run
from .leads import fill_store


def store_config(tmp_path):
    fill_store(tmp_path / "t.db")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n')
    return cfg


def test_label_then_contradicting_label_replaces_and_says_so(tmp_path):
    cfg = store_config(tmp_path)
    first = run("label", "--config", str(cfg), "--flag", "pay_later", "3", "toxic")
    assert first.returncode == 0, first.stderr.decode()
    assert "labelled toxic (pay_later)" in first.stdout.decode()
    second = run("label", "--config", str(cfg), "3", "warm")
    assert second.returncode == 0
    assert "replaces your earlier label toxic (pay_later)" in second.stdout.decode()
    rows = [json.loads(x) for x in run("report", "--config", str(cfg), "--format", "jsonl").stdout.splitlines()]
    assert {r["id"]: r["label"] for r in rows}[3] == "warm"
    assert sum(r["label"] is not None for r in rows) == 1


def test_label_errors_are_plain(tmp_path):
    cfg = store_config(tmp_path)
    bad_flag = run("label", "--config", str(cfg), "--flag", "greedy", "3", "toxic")
    assert bad_flag.returncode == 2 and "unknown flag 'greedy'" in bad_flag.stderr.decode()
    missing = run("label", "--config", str(cfg), "9999", "warm")
    assert missing.returncode == 1 and "no stored message with id 9999" in missing.stderr.decode()
    assert "Traceback" not in bad_flag.stderr.decode() + missing.stderr.decode()


def _account_config(tmp_path, dovecot, folders='["INBOX"]'):
    cfg = tmp_path / "d.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "d.db"}"\n\n[[accounts]]\nname = "test"\nhost = "127.0.0.1"\n'
                   f'port = {dovecot.tls_port}\nsecurity = "tls"\nca_file = "{dovecot.ca_file}"\n'
                   f'username = "{servers.USER}"\npassword_env = "DOC_PW"\nfolders = {folders}\n')
    return cfg


def test_doctor_all_ok(dovecot, tmp_path):
    res = run("doctor", "--config", str(_account_config(tmp_path, dovecot)), env={"DOC_PW": servers.PASSWORD})
    out = res.stdout.decode()
    assert res.returncode == 0, out + res.stderr.decode()
    lines = out.strip().splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["OK   config", "OK   store", "OK   model", "OK   account test",
                                                   "OK   account test folder INBOX"]


def test_doctor_reports_each_problem_with_its_status(dovecot, tmp_path):
    cfg = _account_config(tmp_path, dovecot, folders='["INBOX", "No Such Folder"]')
    bad_folder = run("doctor", "--config", str(cfg), env={"DOC_PW": servers.PASSWORD})
    assert bad_folder.returncode == 1
    assert "FAIL account test folder No Such Folder" in bad_folder.stdout.decode()
    wrong = run("doctor", "--config", str(cfg), env={"DOC_PW": "not-the-password"})
    assert wrong.returncode == 3
    assert "FAIL account test" in wrong.stdout.decode() and "not-the-password" not in wrong.stdout.decode()
    missing = run("doctor", "--config", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "FAIL config" in missing.stdout.decode()
