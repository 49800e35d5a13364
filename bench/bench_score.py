"""Throughput over the shared corpus: `triage score` end to end (a fresh process with the
shipped model, start-up included, pinned to one core: the figure the issue targets),
then in this process parse alone and parse + NLP + decide, the slowest single messages,
peak memory, and the pattern step alone with and without the prefilter (and the
tokenizing before it). Prints figures; asserts nothing. ``--repeat N`` runs the end-to-end
measurement N times and reports the best (the machine may be shared)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
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


def end_to_end(corpus: Path, n_messages: int, repeat: int) -> None:
    """`triage score --format jsonl CORPUS` as a user runs it: wall and CPU time of the child,
    first with an empty pattern cache (``TRIAGE_CACHE_DIR``, set by ``main``: a first run
    compiles every pattern it tries), then ``repeat`` times with the cache that run left."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    runs = []
    for n in range(repeat + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([*pin, sys.executable, "-m", "triage", "score", "--format", "jsonl", str(corpus)],
                       cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime))
        if n == 0:
            print(f"triage score end to end, empty pattern cache: {n_messages / wall:.0f} messages/s "
                  f"({wall:.1f} s wall; {n_messages / runs[0][1]:.0f} messages/s of CPU time)")
    wall, cpu = min(runs[1:])
    load = os.getloadavg()[0]
    print(f"triage score end to end{' (one core)' if pin else ''}: {n_messages / wall:.0f} messages/s "
          f"({wall:.1f} s wall, best of {repeat}; {n_messages / cpu:.0f} messages/s of CPU time; "
          f"load average {load:.1f} on {os.cpu_count()} cores)")


def pattern_step(raws: list[tuple[str, bytes]]) -> None:
    """The pattern step alone (the ``triage_patterns`` component) over the text of every
    corpus message that reaches the pipeline, with the prefilter and with every regex
    scanning the whole text: what the prefilter saves. Tokenising is outside the timing."""
    import spacy

    from triage.nlp.pipeline import PIPELINE_LANGS, get_pipeline, needs_nlp, nlp_text
    from triage.parse import parse
    from triage.types import RawMessage

    texts: dict[str, list[str]] = {lang: [] for lang in PIPELINE_LANGS}
    for i, r in raws:
        email = parse(RawMessage(id=i, raw=r))
        if needs_nlp(email):
            texts[email.lang].append(nlp_text(email)[0])
    # The tokenizer triage runs (the shipped pipelines' own), outside the pattern timing.
    tokenize = 0.0
    for lang, batch in texts.items():
        make_doc = get_pipeline(lang).make_doc
        t0 = time.perf_counter()
        for t in batch:
            make_doc(t)
        tokenize += time.perf_counter() - t0
    timing = {}
    for prefilter in (True, False):
        total = 0.0
        for lang, batch in texts.items():
            nlp = spacy.blank(lang)
            step = nlp.add_pipe("triage_patterns", config={"lang": lang, "prefilter": prefilter})
            docs = [nlp.make_doc(t) for t in batch]
            t0 = time.perf_counter()
            for doc in docs:
                step(doc)
            total += time.perf_counter() - t0
        timing[prefilter] = total
    n = sum(map(len, texts.values()))
    print(f"pattern step over the {n} messages that reach the pipeline: {timing[True]:.1f} s with the "
          f"prefilter, {timing[False]:.1f} s with every regex scanning the whole text; "
          f"tokenizing them: {tokenize:.1f} s")


def compile_step() -> None:
    """What the pattern cache saves at start-up: every pattern regex of the three languages
    compiled and analysed for the prefilter, into an empty cache folder and then from the
    file that left (CPU time of this process), and the size of those files."""
    import tempfile

    from triage.nlp.components import regex_sources
    from triage.nlp.prefilter import Prefilter
    from triage.nlp.regex_cache import RegexStore

    sources = {lang: regex_sources(lang) for lang in ("en", "ru", "ar")}
    folder = Path(tempfile.mkdtemp(prefix="triage-bench-compile-"))
    spent = []
    for _run in ("empty", "kept"):
        t0 = time.process_time()
        for lang, src in sources.items():
            store = RegexStore(lang, src, folder)
            for k in range(len(src)):
                store.compile(k)
            Prefilter([(x, bool(f)) for x, f in src], memo=store.memo)
            store.save()
        spent.append(time.process_time() - t0)
    size = sum(f.stat().st_size for f in folder.glob("*.marshal")) / 1e6
    shutil.rmtree(folder, ignore_errors=True)
    print(f"compiling and analysing all {sum(map(len, sources.values()))} pattern regexes: "
          f"{spent[0]:.2f} s of CPU with an empty cache, {spent[1]:.2f} s from the cache "
          f"({size:.1f} MB of cache files)")


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    # A pattern cache of the bench's own, empty at the start; the children and this process
    # share it, so everything after the first end-to-end run reads compiled patterns.
    import tempfile

    os.environ["TRIAGE_CACHE_DIR"] = tempfile.mkdtemp(prefix="triage-bench-cache-")
    from triage.parse import parse
    from triage.service import score_email
    from triage.types import RawMessage

    corpus = corpus_dir()
    files = sorted(corpus.rglob("*.eml"))
    end_to_end(corpus, len(files), repeat)
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
    # Patterns are read from the cache the first end-to-end run filled, but RE2's automata are
    # built when first asked, so the first long message of a language still pays for some of
    # its language's; timed again, the slowest show what the message itself costs.
    by_id = dict(raws)
    again = []
    for _s, i in slow[:5]:
        t1 = time.perf_counter()
        score_email(parse(RawMessage(id=i, raw=by_id[i])))
        again.append((time.perf_counter() - t1, i))
    again.sort(reverse=True)
    print("the five slowest, timed again: " + ", ".join(f"{Path(i).name} {s * 1000:.0f} ms" for s, i in again))
    print(f"peak RSS: {peak:.0f} MB")
    pattern_step(raws)
    compile_step()
    shutil.rmtree(os.environ["TRIAGE_CACHE_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
