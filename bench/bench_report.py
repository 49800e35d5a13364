"""Report build time for 10,000 stored leads (HTML and CSV) and the HTML file size.
Prints figures; asserts nothing."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(n: int = 10_000) -> None:
    from triage.parse import parse
    from triage.report import lead_from_row, render_csv, render_html
    from triage.service import Scorer, dedupe_key
    from triage.sources.files import iter_path
    from triage.store import Store

    msgs = list(iter_path(str(ROOT / "data" / "samples" / "inbox.mbox")))
    emails = [parse(m) for m in msgs]
    preds = Scorer(None).score_emails(emails)
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "r.db") as store:
            items = [(i + 1, f"{dedupe_key(emails[i % len(emails)], b'')}-{i}", preds[i % len(preds)], False)
                     for i in range(n)]
            store.save_batch("bench", "INBOX", 1, n, items, "rules")
            t0 = time.perf_counter()
            leads = [lead_from_row(r) for r in store.messages()]
            t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        html = render_html(leads)
        t_html = time.perf_counter() - t0
        t0 = time.perf_counter()
        render_csv(leads)
        t_csv = time.perf_counter() - t0
    print(f"{n} stored leads: read {t_read:.2f} s, HTML {t_html:.2f} s ({len(html.encode()) / 1e6:.1f} MB), "
          f"CSV {t_csv:.2f} s")


if __name__ == "__main__":
    main()
