"""`triage score` checked against CONTRACT.md, through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys

from triage.taxonomy import DETAILS, FLAGS, LANGS, VERDICTS

from .conftest import DATA, ROOT

SAMPLES = ROOT / "data" / "samples" / "inbox.mbox"
KEYS = {"id", "message_id", "from", "subject", "lang", "verdict", "score", "flags", "missing", "details"}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "triage", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300)


def _check_record(rec: dict, subject: str, body: str) -> None:
    assert set(rec) == KEYS
    assert rec["lang"] in LANGS
    assert rec["verdict"] in VERDICTS
    assert 0.0 <= rec["score"] <= 1.0
    assert all(m in DETAILS for m in rec["missing"])
    assert list(rec["missing"]) == [d for d in DETAILS if d in rec["missing"]]
    if rec["verdict"] == "not_lead":
        assert rec["missing"] == [] and rec["flags"] == []
    for f in rec["flags"]:
        assert f["flag"] in FLAGS
        assert f["evidence"]
        for ev in f["evidence"]:
            text = subject if ev["field"] == "subject" else body
            assert ev["field"] in ("subject", "body")
            assert text[ev["start"]:ev["end"]] == ev["text"]
    for name, d in rec["details"].items():
        assert name in DETAILS and name not in rec["missing"]
        for ev in d["evidence"]:
            text = subject if ev["field"] == "subject" else body
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_jsonl_input_output_field_by_field(tmp_path):
    rows = [
        {"id": "en-001", "from": "Dana <dana@x.com>", "subject": "Logo",
         "body": "Hi,\n\nWe need a logo for our bakery. Do a free test logo first and we'll pay once the shop makes money."},
        {"id": "en-002", "from": "Sam <sam@y.com>", "subject": "Copy",
         "body": "We need 5 blog posts of 1000 words by March 3 to raise sign-ups. Budget $1,200, 50% upfront. We are a SaaS startup."},
    ]
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    res = run("score", "--format", "jsonl", str(p))
    assert res.returncode == 0, res.stderr.decode()
    recs = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert [r["id"] for r in recs] == ["en-001", "en-002"]
    for rec, row in zip(recs, rows, strict=True):
        _check_record(rec, row["subject"], row["body"])
        assert rec["from"] == row["from"] and rec["subject"] == row["subject"]
        assert rec["message_id"] is None
    toxic, warm = recs
    assert toxic["verdict"] == "toxic"
    assert {f["flag"] for f in toxic["flags"]} >= {"unpaid_test", "pay_later"}
    assert warm["verdict"] == "warm" and warm["flags"] == [] and warm["missing"] == []
    assert warm["details"]["budget"]["value"] == {"amount": 1200.0, "currency": "USD"}
    assert warm["details"]["deadline"]["value"]["date"].endswith("03-03")
    assert toxic["score"] > warm["score"]


def test_mbox_sample_inbox_ids_and_evidence():
    res = run("score", "--format", "jsonl", str(SAMPLES))
    assert res.returncode == 0, res.stderr.decode()
    recs = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert len(recs) == 36
    assert recs[0]["id"] == f"{SAMPLES}#1" and recs[-1]["id"] == f"{SAMPLES}#36"
    assert all(r["message_id"] for r in recs)
    assert {r["lang"] for r in recs} == {"en", "ru", "ar"}
    for r in recs:
        assert set(r) == KEYS


def test_stdin_and_eml_give_the_same_result():
    raw = (DATA / "eml" / "alternative_with_attachment.eml").read_bytes()
    a = run("score", "--format", "jsonl", "-", stdin=raw)
    b = run("score", "--format", "jsonl", str(DATA / "eml" / "alternative_with_attachment.eml"))
    ra, rb = json.loads(a.stdout), json.loads(b.stdout)
    assert ra["id"] == "-"
    ra.pop("id"), rb.pop("id")
    assert ra == rb


def test_missing_path_reported_rest_scored_exit_1(tmp_path):
    eml = DATA / "eml" / "koi8r.eml"
    res = run("score", "--format", "jsonl", str(tmp_path / "nope.mbox"), str(eml))
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "nope.mbox" in err and "no such file" in err
    assert "Traceback" not in err
    assert len(res.stdout.decode().splitlines()) == 1


def test_usage_error_is_exit_2():
    res = run("score", "--format", "yaml", "x.eml")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr.decode()


def test_csv_has_header_and_one_row_per_message():
    import csv
    import io

    res = run("score", "--format", "csv", str(SAMPLES))
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode())))
    assert len(rows) == 36
    assert rows[0]["verdict"] in VERDICTS


def test_table_ranks_warm_first():
    res = run("score", "--format", "table", str(SAMPLES))
    assert res.returncode == 0
    out = res.stdout.decode()
    assert "36 messages" in out
    first_toxic, last_warm = out.find(" toxic "), out.rfind(" warm ")
    assert 0 < last_warm < first_toxic or first_toxic == -1


def test_help_is_fast_to_import():
    """--help must not import spaCy or scikit-learn (they cost most of a second)."""
    code = ("import sys; from triage.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules, 'heavy import'\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert res.returncode == 0, res.stderr.decode()
