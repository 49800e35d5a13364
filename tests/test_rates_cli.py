"""[rates] through the real command line: score, report (jsonl, csv, html, table), digest, errors."""

from __future__ import annotations

import csv
import io
import json

from selectolax.lexbor import LexborHTMLParser

from .conftest import ROOT, triage_cli
from .leads import fill_store

SAMPLES = ROOT / "data" / "samples" / "inbox.mbox"
RATES = ('[rates]\ncurrency = "EUR"\nminimum_fee = 800\nday_rate = 450\nhourly_rate = 60\n'
         '[rates.convert]\nUSD = 0.92\nGBP = 1.17\nRUB = 0.0101\nAED = 0.25\n')


def _jsonl(res) -> list[dict]:
    assert res.returncode == 0, res.stderr.decode()
    return [json.loads(line) for line in res.stdout.decode().splitlines()]


def test_score_without_rates_is_byte_identical_and_with_rates_only_lowers_nothing(tmp_path):
    plain_cfg = tmp_path / "plain.toml"
    plain_cfg.write_text('[store]\npath = "x.db"\n')
    rates_cfg = tmp_path / "rates.toml"
    rates_cfg.write_text(RATES)
    plain = triage_cli("score", "--format", "jsonl", str(SAMPLES))
    no_rates = triage_cli("score", "--config", str(plain_cfg), "--format", "jsonl", str(SAMPLES))
    assert no_rates.stdout == plain.stdout and plain.returncode == 0
    base = _jsonl(plain)
    assert all("rates_note" not in r for r in base)
    rated = _jsonl(triage_cli("score", "--config", str(rates_cfg), "--format", "jsonl", str(SAMPLES)))
    assert [r["id"] for r in rated] == [r["id"] for r in base]
    raised = 0
    for b, r in zip(base, rated, strict=True):
        assert {k: v for k, v in r.items() if k not in ("rates_note", "rates_ratio", "score", "verdict", "flags")} \
            == {k: v for k, v in b.items() if k not in ("score", "verdict", "flags")}
        if r["rates_ratio"] is None or r["rates_ratio"] >= 1:
            assert r == b | {"rates_note": r["rates_note"], "rates_ratio": r["rates_ratio"]}
        else:
            assert r["score"] >= b["score"]
            raised += r["score"] > b["score"]
        if b["verdict"] == "not_lead":
            assert r["rates_note"] is None
    assert raised >= 3
    notes = {r["id"].rsplit("#", 1)[1]: r["rates_note"] for r in rated}
    assert notes["2"] == "budget 450 USD ≈ 414 EUR: about 1.9× under your minimum"
    assert notes["13"] == "budget 25,000 RUB ≈ 252 EUR: about 3× under your minimum"  # "25 000 руб."
    assert notes["25"] == "budget in SAR; add SAR to [rates.convert]"  # "6,000 ريال سعودي"
    assert notes["26"] == "budget 500 AED ≈ 125 EUR: about 6× under your minimum"
    assert notes["18"] is None  # "30% от прибыли": a royalty, not a fee


def test_rates_config_error_is_one_line_exit_2(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rates]\ncurrency = "EUR"\nminimum_fee = -5\n')
    res = triage_cli("score", "--config", str(cfg), str(SAMPLES))
    assert res.returncode == 2
    assert res.stderr.decode() == f"Error: {cfg}: [rates]: key 'minimum_fee' must be a positive number, not -5\n"


def test_report_shows_the_note_in_jsonl_csv_html_and_table(tmp_path):
    fill_store(tmp_path / "t.db")
    plain = tmp_path / "plain.toml"
    plain.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n')
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n' + RATES)

    assert all("rates_note" not in d for d in _jsonl(triage_cli("report", "--config", str(plain), "--format",
                                                                   "jsonl")))
    leads = _jsonl(triage_cli("report", "--config", str(cfg), "--format", "jsonl"))
    noted = {d["id"]: d["rates_note"] for d in leads if d["rates_note"]}
    assert "budget 450 USD ≈ 414 EUR: about 1.9× under your minimum" in noted.values()
    assert all(d["rates_note"] is None for d in leads if d["verdict"] == "not_lead")

    res = triage_cli("report", "--config", str(cfg), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode())))
    assert {int(r["id"]): r["rates_note"] for r in rows if r["rates_note"]} == noted

    out = tmp_path / "r.html"
    assert triage_cli("report", "--config", str(cfg), "--format", "html", "--output", str(out)).returncode == 0
    dom = LexborHTMLParser(out.read_text(encoding="utf-8"))
    shown = {int(a.attributes["id"].removeprefix("lead-")): a.css_first("div.rates").text()
             for a in dom.css("article.lead") if a.css_first("div.rates")}
    assert shown == noted

    def header(res) -> list[str]:
        assert res.returncode == 0, res.stderr.decode()
        line = next(ln for ln in res.stdout.decode().splitlines() if " verdict " in ln)
        return [c.strip() for c in line.strip("┃").split("┃")]

    assert header(triage_cli("report", "--config", str(cfg)))[-1] == "rates"
    assert header(triage_cli("report", "--config", str(plain)))[-1] == "evidence"


def test_digest_carries_the_note(tmp_path):
    fill_store(tmp_path / "t.db")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n[smtp]\nhost = "127.0.0.1"\nport = 9\n'
                   'security = "none"\nfrom = "triage <t@example.com>"\nto = "me@example.com"\n' + RATES)
    res = triage_cli("digest", "--config", str(cfg), "--dry-run")
    assert res.returncode == 0, res.stderr.decode()
    import email
    from email import policy

    msg = email.message_from_bytes(res.stdout, policy=policy.default)
    text = msg.get_body(("plain",)).get_content()
    assert "   rates: budget 450 USD ≈ 414 EUR: about 1.9× under your minimum" in text
    assert 'class="rates"' in msg.get_body(("html",)).get_content()


def test_scan_scores_with_rates_and_stores_the_shifted_score(dovecot, folder, tmp_path):
    from triage.store import Store

    from .test_scan_imap import append, records, samples, scan, write_config

    append(dovecot, folder, samples(16))
    cfg = write_config(tmp_path, dovecot, folder, batch_size=8)
    cfg.write_text(cfg.read_text() + RATES)
    recs = records(scan(cfg))
    assert len(recs) == 16
    by_uid = {r["uid"]: r for r in recs}
    assert by_uid[2]["rates_note"] == "budget 450 USD ≈ 414 EUR: about 1.9× under your minimum"
    assert by_uid[2]["rates_ratio"] == 0.5175
    with Store(tmp_path / "triage.db") as store:
        stored = {r["uid"]: r["score"] for r in store.messages(None)}
    assert {u: round(s, 4) for u, s in stored.items()} == {r["uid"]: r["score"] for r in recs}
