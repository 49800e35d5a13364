"""`triage report` (table, csv, --since), `triage score --format html`, and `triage eval`."""

from __future__ import annotations

import csv
import io

from selectolax.lexbor import LexborHTMLParser

from .conftest import ROOT, triage_cli
from .leads import fill_store


def _config(tmp_path):
    n = fill_store(tmp_path / "t.db")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n')
    return cfg, n


def test_report_csv_has_every_stored_message_ranked(tmp_path):
    cfg, n = _config(tmp_path)
    res = triage_cli("report", "--config", str(cfg), "--format", "csv")
    assert res.returncode == 0, res.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode())))
    assert len(rows) == n
    order = [{"warm": 0, "toxic": 1, "not_lead": 2}[r["verdict"]] for r in rows]
    assert order == sorted(order)


def test_report_table_and_output_file(tmp_path):
    cfg, n = _config(tmp_path)
    table = triage_cli("report", "--config", str(cfg))
    assert table.returncode == 0 and f"{n} messages" in table.stdout.decode()
    out = tmp_path / "r.html"
    res = triage_cli("report", "--config", str(cfg), "--format", "html", "--output", str(out))
    assert res.returncode == 0
    assert len(LexborHTMLParser(out.read_text(encoding="utf-8")).css("article.lead")) == n


def test_report_since_filters_and_checks_the_date(tmp_path):
    cfg, _n = _config(tmp_path)
    future = triage_cli("report", "--config", str(cfg), "--format", "jsonl", "--since", "2999-01-01")
    assert future.returncode == 0 and future.stdout == b""
    bad = triage_cli("report", "--config", str(cfg), "--since", "yesterday")
    assert bad.returncode == 2 and "--since must be a date" in bad.stderr.decode()


def test_score_html_is_one_page_of_ranked_leads():
    res = triage_cli("score", "--format", "html", str(ROOT / "data" / "samples" / "inbox.mbox"))
    assert res.returncode == 0
    dom = LexborHTMLParser(res.stdout.decode())
    arts = dom.css("article.lead")
    assert len(arts) == 36
    assert {a.attributes["dir"] for a in dom.css("div.body") if a.attributes.get("lang") == "ar"} == {"rtl"}


def test_eval_prints_metrics_confusion_and_worst_errors():
    res = triage_cli("eval", "--data", str(ROOT / "data" / "labelled" / "ar-c.jsonl"), "--errors", "3")
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    assert "verdict macro-F1" in out and "confusion (rows true, columns predicted):" in out
    assert "worst errors" in out
    lines = out.splitlines()
    start = lines.index("confusion (rows true, columns predicted):") + 2
    matrix = [line.split() for line in lines[start:start + 3]]
    assert [row[0] for row in matrix] == ["warm", "toxic", "not_lead"]
    assert sum(int(x) for row in matrix for x in row[1:]) == 90
