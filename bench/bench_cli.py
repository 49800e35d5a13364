"""Cold start of the CLI: `triage --help` and `triage score` of one message, as
separate processes, best of 5; the one-message score with the pattern cache (a folder of
the bench's own, filled by the first of the five) and with the cache turned off. Prints
figures; asserts nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE = b"From: a@b.example\nSubject: Logo\n\nWe need a logo for our bakery by Friday, budget $300.\n"


def best_of(args: list[str], stdin: bytes | None = None, n: int = 5, cache: str = "") -> float:
    times = []
    env = os.environ | {"TRIAGE_CACHE_DIR": cache}
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "triage", *args], input=stdin, capture_output=True,
                       cwd=ROOT, check=True, env=env)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"triage --help:             {best_of(['--help']) * 1000:6.0f} ms")
    cache = tempfile.mkdtemp(prefix="triage-bench-cli-")
    one = ["score", "--format", "jsonl", "-"]
    print(f"triage score (1 message):  {best_of(one, ONE, cache=cache) * 1000:6.0f} ms with the pattern cache, "
          f"{best_of(one, ONE) * 1000:.0f} ms without it")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
