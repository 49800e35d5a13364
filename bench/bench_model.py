"""Training time on data/labelled, model size on disk, loading and scoring throughput with
the shipped model (single process), both as scikit-learn and as the scoring view
`triage score` uses, peak memory, and constant memory when streaming a large mbox.
Prints figures; asserts nothing."""

from __future__ import annotations

import mailbox
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_peak(mbox: Path) -> float:
    """Peak RSS (MB) of `triage score --format jsonl` over ``mbox`` in a fresh process."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across execve, so a child would
    # report this process's peak.
    code = (f"import runpy, sys; sys.argv=['triage','score','--format','jsonl',{str(mbox)!r}]\n"
            "try:\n runpy.run_module('triage', run_name='__main__')\nexcept SystemExit: pass\n"
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "sys.stderr.write(str(int(hwm)/1024))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=True)
    return float(res.stderr.decode().strip().splitlines()[-1])


def main() -> None:
    from triage.model import (
        DEFAULT_MODEL_DIR,
        TriageModel,
        load,
        load_for_scoring,
        load_labelled,
        to_examples,
    )
    from triage.service import Scorer
    from triage.serving import VIEW_FILE
    from triage.sources.files import iter_path

    rows = load_labelled([ROOT / "data" / "labelled"])
    t0 = time.perf_counter()
    examples = to_examples(rows)
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    TriageModel().fit(examples, rows)
    t_fit = time.perf_counter() - t0
    size = (DEFAULT_MODEL_DIR / "model.joblib").stat().st_size / 1e6
    view_size = (DEFAULT_MODEL_DIR / VIEW_FILE).stat().st_size / 1e6
    print(f"training on {len(rows)} messages: rule layer {t_rules:.1f} s + fit {t_fit:.1f} s "
          f"(one fit; `triage train` also runs 5-fold CV and a held-out fit)")
    print(f"model size on disk: {size:.1f} MB (model.joblib) + {view_size:.1f} MB (its scoring view)")

    from triage.parse import parse
    emails = [parse(m) for m in iter_path(str(ROOT / "data" / "samples" / "inbox.mbox"))] * 20
    for what, loader in (("the model (card, SHA-256, unpickle)", load),
                         ("its scoring view (card, both SHA-256, arrays)", load_for_scoring)):
        loads = []
        for _ in range(3):
            t0 = time.perf_counter()
            loader(DEFAULT_MODEL_DIR)
            loads.append(time.perf_counter() - t0)
        print(f"loading {what}: {min(loads):.2f} s, best of 3")
        scorer = Scorer(loader(DEFAULT_MODEL_DIR)[0])
        scorer.score_emails(emails[:4])
        t0 = time.perf_counter()
        for i in range(0, len(emails), 64):
            scorer.score_emails(emails[i:i + 64])
        dt = time.perf_counter() - t0
        print(f"  scoring with it: {len(emails) / dt:.0f} messages/s (sample inbox x20, batches of 64)")
    print(f"peak RSS of this process: {peak_mb():.0f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        src = list(mailbox.mbox(str(ROOT / "data" / "samples" / "inbox.mbox")))
        for n in (1000, 10000):
            path = Path(tmp) / f"big{n}.mbox"
            box = mailbox.mbox(str(path))
            for i in range(n):
                box.add(src[i % len(src)])
            box.flush()
            box.close()
            print(f"streaming {n:5d} messages ({os.path.getsize(path) / 1e6:.0f} MB mbox): "
                  f"peak RSS {stream_peak(path):.0f} MB")


if __name__ == "__main__":
    main()
