"""Closing the loop against a real Dovecot: keyword write-back, labels learned from
folders and keywords, reply drafts in the Drafts folder."""

from __future__ import annotations

import email
import json
from email import policy

from . import servers
from .conftest import triage_cli
from .test_scan_imap import PW_ENV, append, flags_of, records, samples, scan


def config(tmp_path, dovecot, folder, **opts) -> object:
    cfg = tmp_path / "config.toml"
    extra = []
    if opts.get("tag"):
        extra.append("tag = true")
    if opts.get("drafts"):
        extra.append("drafts = true")
    if opts.get("move"):
        extra.append(f'move_toxic = "{opts["move"]}"')
    if opts.get("learn"):
        extra.append('learn_folders = { toxic = "Triage-Toxic", warm = "Triage-Warm" }')
    cfg.write_text(f'[store]\npath = "{tmp_path / "triage.db"}"\n\n[[accounts]]\nname = "test"\n'
                   f'host = "127.0.0.1"\nport = {dovecot.port}\nsecurity = "none"\n'
                   f'username = "{servers.USER}"\npassword_env = "{PW_ENV}"\nfolders = ["{folder}"]\n'
                   + "\n".join(extra) + "\n")
    return cfg


def run_cli(*args):
    return triage_cli(*args, env={PW_ENV: servers.PASSWORD})


def test_keywords_written_and_seen_unchanged(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(6), seen={0, 4})
    before = flags_of(dovecot, folder)
    res = scan(config(tmp_path, dovecot, folder, tag=True))
    assert res.returncode == 0, res.stderr.decode()
    verdict = {r["uid"]: r["verdict"] for r in records(res)}
    after = flags_of(dovecot, folder)
    names = {"warm": b"$TriageWarm", "toxic": b"$TriageToxic", "not_lead": b"$TriageNotLead"}
    for uid, flags in after.items():
        assert names[verdict[uid]] in flags
        assert (b"\\Seen" in flags) == (b"\\Seen" in before[uid])
        assert len([f for f in flags if f.startswith(b"$Triage")]) == 1


def test_moving_to_a_learn_folder_records_the_label(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(5))
    cfg = config(tmp_path, dovecot, folder, learn=True)
    recs = records(scan(cfg))
    warm = next(r for r in recs if r["verdict"] == "warm")
    c = dovecot.client()
    if not c.folder_exists("Triage-Toxic"):
        c.create_folder("Triage-Toxic")
    c.select_folder(folder)
    uid = warm["uid"]
    c.copy([uid], "Triage-Toxic")
    c.logout()
    res = run_cli("learn", "--config", str(cfg))
    assert res.returncode == 0, res.stderr.decode()
    assert f"message {warm['id']}: labelled toxic (moved to Triage-Toxic)" in res.stdout.decode()
    rows = [json.loads(x) for x in run_cli("report", "--config", str(cfg), "--format", "jsonl").stdout.splitlines()]
    assert {r["id"]: r["label"] for r in rows}[warm["id"]] == "toxic"
    again = run_cli("learn", "--config", str(cfg))
    assert again.stdout.decode().strip() == "", "a label already recorded is not reported twice"
    c = dovecot.client()
    c.delete_folder("Triage-Toxic")
    c.logout()


def test_a_different_keyword_is_the_users_correction(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(10))
    cfg = config(tmp_path, dovecot, folder, tag=True)
    recs = records(scan(cfg))
    toxic = next(r for r in recs if r["verdict"] == "toxic")
    c = dovecot.client()
    c.select_folder(folder)
    c.add_flags([toxic["uid"]], [b"$TriageWarm"])
    c.logout()
    res = run_cli("learn", "--config", str(cfg))
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode().strip().splitlines()
    assert lines == [f"message {toxic['id']}: labelled warm (keyword in {folder})"]


def test_reply_drafts_saved_in_drafts_in_the_leads_language(dovecot, folder, tmp_path):
    msgs = samples(36)
    pick = [msgs[i] for i in (0, 1, 12, 24, 25)]  # en, en, ru, ar, ar
    append(dovecot, folder, pick)
    res = scan(config(tmp_path, dovecot, folder, drafts=True))
    assert res.returncode == 0, res.stderr.decode()
    leads = [r for r in records(res) if r["verdict"] != "not_lead"]
    c = dovecot.client()
    c.select_folder("Drafts", readonly=True)
    data = c.fetch(c.search(["HEADER", "In-Reply-To", ""]), ["BODY.PEEK[]", "FLAGS"])
    drafts = {}
    for d in data.values():
        m = email.message_from_bytes(d[b"BODY[]"], policy=policy.default)
        assert b"\\Draft" in d[b"FLAGS"]
        drafts[str(m["In-Reply-To"])] = m
    c.logout()
    for lead in leads:
        m = drafts[lead["message_id"]]
        assert str(m["Subject"]).startswith("Re:") or lead["subject"].lower().startswith("re:")
        assert str(m["References"]) == lead["message_id"]
        body = m.get_content()
        script = {"ar": "\u0600", "ru": "\u0400"}.get(lead["lang"])
        if script:
            assert any(ch >= script and ch < chr(ord(script) + 256) for ch in body), lead["lang"]
        else:
            assert body.isascii() or lead["lang"] == "en"


def test_toxic_leads_moved_to_their_folder_seen_kept_nothing_lost(dovecot, folder, tmp_path):
    append(dovecot, folder, samples(12), seen={0, 1, 2, 3, 4, 5})
    ids_before = {mid: flags for mid, flags in _ids_and_flags(dovecot, folder).items()}
    target = f"{folder}-toxic"
    cfg = config(tmp_path, dovecot, folder, move=target)
    recs = records(scan(cfg))
    assert len(recs) == 12
    toxic = {r["message_id"] for r in recs if r["verdict"] == "toxic"}
    assert toxic and len(toxic) < 12
    left, moved = _ids_and_flags(dovecot, folder), _ids_and_flags(dovecot, target)
    assert set(moved) == toxic and set(left) == set(ids_before) - toxic
    for mid, flags in (left | moved).items():
        assert (b"\\Seen" in flags) == (b"\\Seen" in ids_before[mid]), "moving never changes \\Seen"
        assert b"\\Deleted" not in flags
    again = scan(cfg)
    assert again.returncode == 0 and records(again) == []
    c = dovecot.client()
    c.delete_folder(target)
    c.logout()


def test_move_toxic_must_not_be_a_learn_folder(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[accounts]]\nname = "a"\nhost = "127.0.0.1"\nsecurity = "none"\nusername = "u"\n'
                   'password_env = "X"\nmove_toxic = "Triage/Toxic"\n'
                   'learn_folders = { toxic = "Triage/Toxic" }\n')
    res = run_cli("scan", "--config", str(cfg))
    assert res.returncode == 2
    assert "key 'move_toxic' must differ from every learn_folders folder" in res.stderr.decode()
    assert "Traceback" not in res.stderr.decode()


def _ids_and_flags(dovecot, folder: str) -> dict[str, tuple]:
    c = dovecot.client()
    c.select_folder(folder, readonly=True)
    uids = c.search("ALL")
    data = c.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "FLAGS"]) if uids else {}
    out = {}
    for d in data.values():
        raw = next(v for k, v in d.items() if k.startswith(b"BODY[HEADER"))
        mid = email.message_from_bytes(raw, policy=policy.default)["message-id"].strip()
        out[mid] = tuple(d[b"FLAGS"])
    c.logout()
    return out
