"""The HTML report opened in headless Chromium: ranked leads, highlighted evidence,
working filters, right-to-left Arabic, and hostile email content shown as text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from triage.report import lead_from_row, rank_leads, render_html
from triage.service import load_scorer
from triage.store import Store

from .conftest import ROOT, require
from .leads import HOSTILE_SUBJECT, fill_store

ARTIFACTS = ROOT / "tests" / "artifacts"


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    require(path is not None, "chromium is not installed (Debian package chromium)")
    return path  # type: ignore[return-value]


def browse(page: Path, fragment: str, tmp: Path, screenshot: Path | None = None) -> LexborHTMLParser:
    args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp / 'profile'}", "--virtual-time-budget=3000"]
    url = page.as_uri() + fragment
    if screenshot is not None:
        subprocess.run(args + [f"--screenshot={screenshot}", "--window-size=412,1400", url],
                       capture_output=True, timeout=120, check=True)
    res = subprocess.run(args + ["--dump-dom", url], capture_output=True, timeout=120, check=True)
    return LexborHTMLParser(res.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    fill_store(tmp / "t.db", load_scorer())
    with Store(tmp / "t.db") as store:
        leads = [lead_from_row(r) for r in store.messages()]
    page = tmp / "report.html"
    page.write_text(render_html(leads), encoding="utf-8")
    return page, leads, tmp


def visible(dom: LexborHTMLParser) -> list:
    return [a for a in dom.css("article.lead") if "hidden" not in a.attributes]


def test_ranked_leads_and_highlighted_evidence(report):
    page, leads, tmp = report
    ARTIFACTS.mkdir(exist_ok=True)
    dom = browse(page, "", tmp, screenshot=ARTIFACTS / "report.png")
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    assert dom.css_first("body").attributes.get("data-ready") == "1", "the page's script did not run"
    arts = dom.css("article.lead")
    expected = rank_leads(leads)
    assert [a.attributes["id"] for a in arts] == [f"lead-{d['id']}" for d in expected]
    verdicts = [a.attributes["data-verdict"] for a in arts]
    assert verdicts == sorted(verdicts, key=lambda v: {"warm": 0, "toxic": 1, "not_lead": 2}[v])
    assert dom.css("mark")
    for d in leads:
        marks = [m.text() for m in dom.css_first(f"article#lead-{d['id']}").css("mark")]
        for f in d["flags"]:
            for ev in f["evidence"]:
                if ev["field"] == "body":
                    assert any(ev["text"] in m for m in marks), (d["id"], ev["text"])
    assert len(visible(dom)) == len(leads)


def test_filters_work_without_a_server(report):
    page, leads, tmp = report
    dom = browse(page, "#verdict=toxic", tmp)
    shown = visible(dom)
    assert shown and all(a.attributes["data-verdict"] == "toxic" for a in shown)
    assert len(shown) == sum(d["verdict"] == "toxic" for d in leads)
    dom = browse(page, "#lang=ar", tmp)
    shown = visible(dom)
    assert shown and all(a.attributes["data-lang"] == "ar" for a in shown)


def test_arabic_renders_right_to_left(report):
    page, leads, tmp = report
    dom = browse(page, "#lang=ar", tmp)
    bodies = [a.css_first("div.body") for a in visible(dom)]
    assert bodies and all(b.attributes.get("dir") == "rtl" for b in bodies)
    en = [a.css_first("div.body") for a in dom.css("article.lead") if a.attributes["data-lang"] == "en"]
    assert en and all(b.attributes.get("dir") == "ltr" for b in en)


def test_hostile_email_content_stays_text(report):
    page, leads, tmp = report
    dom = browse(page, "", tmp)
    assert dom.css_first("title").text() != "pwned"
    assert "data-pwned" not in dom.css_first("body").attributes
    assert dom.css("img") == []
    assert len(dom.css("script")) == 1, "only the report's own script may exist"
    hostile = dom.css_first("article#lead-" + str(next(d["id"] for d in leads if d["subject"] == HOSTILE_SUBJECT)))
    assert HOSTILE_SUBJECT in hostile.css_first(".subject").text()
    assert "</textarea><script>" in hostile.css_first("div.body").text()
