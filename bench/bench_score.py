"""Throughput of parse alone and of parse + NLP + decide over the shared corpus,
the slowest single messages, and peak memory. Prints figures; asserts nothing."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus_dir() -> Path:
    for c in (os.environ.get("TRIAGE_CORPUS"), ROOT.parent / "shared" / "corpus", "/work/shared/corpus"):
        if c and Path(c, "MANIFEST.tsv").is_file():
            return Path(c)
    sys.exit("the shared corpus is not present (set TRIAGE_CORPUS)")


def main() -> None:
    from triage.parse import parse
    from triage.service import score_email
    from triage.types import RawMessage

    files = sorted(corpus_dir().rglob("*.eml"))
    raws = [(str(f), f.read_bytes()) for f in files]
    mb = sum(len(r) for _, r in raws) / 1e6

    t0 = time.perf_counter()
    for i, r in raws:
        parse(RawMessage(id=i, raw=r))
    t_parse = time.perf_counter() - t0

    # Why parse.py uses compat32: the email package alone, under each policy.
    from email import message_from_bytes, policy

    email_pkg = {}
    for name, pol in (("compat32", policy.compat32), ("default", policy.default)):
        t0 = time.perf_counter()
        for _i, r in raws:
            message_from_bytes(r, policy=pol)
        email_pkg[name] = time.perf_counter() - t0

    # Build the three pipelines once, outside the timing (that is start-up, measured by the CLI bench).
    for text in ("we need a logo", "нужен логотип", "نحتاج شعارا"):
        score_email(parse(RawMessage(id="warm-up", fields={"from": "", "subject": "", "body": text})))
    slow: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    for (i, r) in raws:
        t1 = time.perf_counter()
        score_email(parse(RawMessage(id=i, raw=r)))
        slow.append((time.perf_counter() - t1, i))
    t_all = time.perf_counter() - t0
    slow.sort(reverse=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {len(raws)} messages, {mb:.1f} MB")
    print(f"email package alone:  compat32 {len(raws) / email_pkg['compat32']:.0f} messages/s, "
          f"default policy {len(raws) / email_pkg['default']:.0f} messages/s")
    print(f"parse only:           {len(raws) / t_parse:8.0f} messages/s")
    print(f"parse + NLP + decide: {len(raws) / t_all:8.0f} messages/s")
    print(f"slowest message: {slow[0][0] * 1000:.0f} ms ({Path(slow[0][1]).name}); "
          f"messages over 0.5 s: {sum(1 for s, _ in slow if s > 0.5)}")
    print(f"peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
