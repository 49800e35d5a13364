"""Cold start of the CLI: `triage --help` and `triage score` of one message, as
separate processes, best of 5. Prints figures; asserts nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE = b"From: a@b.example\nSubject: Logo\n\nWe need a logo for our bakery by Friday, budget $300.\n"


def best_of(args: list[str], stdin: bytes | None = None, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "triage", *args], input=stdin, capture_output=True,
                       cwd=ROOT, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"triage --help:             {best_of(['--help']) * 1000:6.0f} ms")
    print(f"triage score (1 message):  {best_of(['score', '--format', 'jsonl', '-'], ONE) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
