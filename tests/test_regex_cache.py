"""The compiled-pattern cache: a warm run matches exactly as a cold one, without compiling,
and a stale, corrupt or unwritable cache changes nothing but speed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from triage.nlp import regex_cache
from triage.nlp.components import GROUPS, PatternFinder, regex_sources
from triage.nlp.prefilter import Prefilter
from triage.nlp.regex_cache import RegexStore

ROOT = Path(__file__).resolve().parents[1]


def sources(lang: str) -> list[tuple[str, int]]:
    """Every pattern regex of ``lang`` with its flags, as the pipeline's finder reads them."""
    return regex_sources(lang)


def test_the_sources_are_the_finders_regexes_in_its_numbering() -> None:
    import spacy

    for lang in ("en", "ru", "ar"):
        finder = PatternFinder(spacy.blank(lang), "t", lang, list(GROUPS))
        assert regex_sources(lang) == [(src, flags) for src, flags, _label, _id in finder.regexes]


def texts(lang: str, n: int = 25) -> list[str]:
    rows = []
    for path in sorted((ROOT / "data" / "labelled").glob(f"{lang}-*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [f"{r['subject']}\n{r['body']}" for r in rows[:: max(1, len(rows) // n)]]


def matches(rx: re.Pattern[str], corpus: list[str]) -> list:
    return [[(m.span(), m.groupdict()) for m in rx.finditer(t)] for t in corpus]


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_warm_patterns_match_exactly_as_compiled_ones_and_are_not_recompiled(
        tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    src = sources(lang)
    cold = RegexStore(lang, src, tmp_path)
    cold_rx = [cold.compile(k) for k in range(len(src))]
    cold.save()
    assert len(list(tmp_path.glob(f"regex-{lang}-*.marshal"))) == 1

    def no_compiling(*_a: object) -> None:
        raise AssertionError("a cached pattern was compiled again")

    monkeypatch.setattr(regex_cache, "_entry", no_compiling)
    warm = RegexStore(lang, src, tmp_path)
    sample = texts(lang)
    for k, (source, flags) in enumerate(src):
        rx = warm.compile(k)
        want = re.compile(source, flags)
        assert (rx.pattern, rx.flags, rx.groups, rx.groupindex) == \
            (want.pattern, want.flags, want.groups, want.groupindex)
        assert cold_rx[k].flags == want.flags
        if k % 4 == 0:  # every pattern on every text is slow; a quarter of them is plenty
            assert matches(rx, sample) == matches(want, sample), source[:80]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_prefilter_built_from_the_cache_gives_the_same_candidates(tmp_path: Path, lang: str) -> None:
    src = sources(lang)
    patterns = [(s, bool(f)) for s, f in src]
    plain = Prefilter(patterns)
    first = RegexStore(lang, src, tmp_path)
    Prefilter(patterns, memo=first.memo)
    first.save()
    warm = Prefilter(patterns, memo=RegexStore(lang, src, tmp_path).memo)
    for text in texts(lang, 40):
        assert warm.candidates(text) == plain.candidates(text)


def test_kept_analyses_are_used_only_in_the_shape_the_prefilter_expects(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import marshal

    from triage.nlp import prefilter

    src = sources("en")
    patterns = [(s, bool(f)) for s, f in src]
    plain = Prefilter(patterns)
    first = RegexStore("en", src, tmp_path)
    Prefilter(patterns, memo=first.memo)
    first.save()
    (path,) = tmp_path.glob("regex-en-*.marshal")
    sample = texts("en", 40)

    # Every analysis a run keeps passes the check: a warm start parses no pattern source.
    def no_parsing(*_a: object) -> None:
        raise AssertionError("a kept analysis was worked out again")

    with monkeypatch.context() as m:
        m.setattr(prefilter, "analyse_pattern", no_parsing)
        warm = Prefilter(patterns, memo=RegexStore("en", src, tmp_path).memo)
    assert [warm.candidates(t) for t in sample] == [plain.candidates(t) for t in sample]

    # Entries of another shape (a damaged or hand-edited file) are worked out again, not used:
    # an empty literal set would otherwise hide a pattern from every text.
    data = marshal.loads(path.read_bytes())
    shapes = [("junk",), (frozenset({""}), None, False), (frozenset({1}), None, False),
              (None, None, "yes"), [None, None, False]]
    for k in data[prefilter.ANALYSIS]:
        data[prefilter.ANALYSIS][k] = shapes[k % len(shapes)]
    data["widened"] = {k: 42 for k in range(len(src))}
    path.write_bytes(marshal.dumps(data))
    store = RegexStore("en", src, tmp_path)
    damaged = Prefilter(patterns, memo=store.memo)
    assert [damaged.candidates(t) for t in sample] == [plain.candidates(t) for t in sample]
    assert all(damaged.earliest(k, t) == plain.earliest(k, t)
               for t in sample[:5] for k in range(0, len(src), 7))


def test_a_changed_pattern_set_gets_a_new_file_and_the_old_one_goes(tmp_path: Path) -> None:
    one = RegexStore("xx", [(r"\bquote\b", re.I)], tmp_path)
    one.compile(0)
    one.save()
    (old,) = tmp_path.glob("regex-xx-*.marshal")
    two = RegexStore("xx", [(r"\bquotes?\b", re.I)], tmp_path)
    assert two.compile(0).search("two QUOTES please")
    two.save()
    (new,) = tmp_path.glob("regex-xx-*.marshal")
    assert new != old and not old.exists()


def test_a_corrupt_or_tampered_cache_falls_back_to_compiling(tmp_path: Path) -> None:
    src = [(r"(?P<n>\d+)\s*(?:usd|\$)", re.I), (r"deadline", re.I)]
    store = RegexStore("xx", src, tmp_path)
    store.compile(0)
    store.compile(1)
    store.save()
    (path,) = tmp_path.glob("regex-xx-*.marshal")
    # An entry whose code _sre's validation refuses: compiled afresh, same behaviour.
    import marshal

    data = marshal.loads(path.read_bytes())
    flags, code, groups, gi, ig = data["code"][0]
    data["code"][0] = (flags, [1, 2, 3, 99999, 5], groups, gi, ig)
    path.write_bytes(marshal.dumps(data))
    rx = RegexStore("xx", src, tmp_path).compile(0)
    assert rx.search("pay 40 USD").group("n") == "40"
    # Garbage instead of a cache file.
    path.write_bytes(b"\x00not marshal at all\xff" * 10)
    again = RegexStore("xx", src, tmp_path)
    assert again.compile(1).search("the DEADLINE is")
    assert again.compile(0).search("pay 5 $").group("n") == "5"


def test_an_unwritable_or_disabled_cache_is_no_error(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    store = RegexStore("xx", [("abc", 0)], blocked / "sub")
    assert store.compile(0).match("abc")
    store.save()  # the folder cannot be made: nothing raised, nothing written
    assert blocked.read_text() == "x"

    monkeypatch.setenv("TRIAGE_CACHE_DIR", "")
    assert regex_cache.cache_dir() is None
    off = RegexStore("xx", [("abc", 0)])
    assert off.path is None and off.compile(0).match("abc")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "c"))
    assert regex_cache.cache_dir() == tmp_path / "c"


def test_triage_score_is_the_same_with_the_cache_off_empty_and_warm(tmp_path: Path) -> None:
    """The cache can make a run faster, never different: the sample inbox scored by the real
    command line with the cache turned off, into an empty cache, and from the cache that left."""
    from .conftest import triage_cli

    inbox = str(ROOT / "data" / "samples" / "inbox.mbox")
    cache = tmp_path / "cache"
    runs = [triage_cli("score", "--format", "jsonl", inbox, env={"TRIAGE_CACHE_DIR": c})
            for c in ("", str(cache), str(cache))]
    assert [r.returncode for r in runs] == [0, 0, 0], runs[0].stderr
    assert list(cache.glob("regex-*.marshal")), "the second run kept nothing"
    outputs = [r.stdout for r in runs]
    assert outputs[0].count(b"\n") >= 30
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
