"""A fast prefilter for the pattern files: required literals + Aho-Corasick.

Most patterns are keyword alternations ("\\b(?:free|unpaid|...)\\s+..."), and
Python's ``re`` tries every alternative at every position, so a few hundred
of them over a long email cost milliseconds each. From each regex's parse
tree we take a set of literal strings one of which every match must contain;
one Aho-Corasick pass over the lowercased text finds which literals occur,
and only patterns with a literal present (or with no usable literal) run in
``re``. The prefilter can only skip patterns that cannot match: a test checks
that findings are identical with and without it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

MIN_LEN = 2
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _literal_run(items: list, start: int) -> tuple[str, int]:
    out = []
    i = start
    while i < len(items) and items[i][0] == C.LITERAL:
        out.append(chr(items[i][1]))
        i += 1
    return "".join(out), i


Found = tuple[frozenset[str], bool]  # literals, and whether every match starts at one of them


def _required(items: list) -> Found | None:
    """Literals one of which any match of this sequence contains, or None."""
    i = 0
    consumed = False  # something before the literal may consume text
    while i < len(items):
        op, av = items[i]
        if op == C.LITERAL:
            run, j = _literal_run(items, i)
            if len(run) >= MIN_LEN:
                return frozenset({run}), not consumed
            consumed = True
            i = j
            continue
        if op in _ZERO_WIDTH:
            i += 1
            continue
        found: Found | None = None
        if op == C.SUBPATTERN:
            found = _required(list(av[-1]))
        elif op == C.BRANCH:
            alts = [_prefix_or_required(list(alt)) for alt in av[1]]
            if all(a is not None for a in alts):
                found = (frozenset().union(*(a[0] for a in alts)),  # type: ignore[index]
                         all(a[1] for a in alts))  # type: ignore[index]
        elif op in _REPEATS and av[0] >= 1:
            found = _required(list(av[2]))
        if found and found[0]:
            return found[0], found[1] and not consumed
        consumed = True
        i += 1
    return None


def _prefix_or_required(items: list) -> Found | None:
    run, _ = _literal_run(items, 0)
    if len(run) >= MIN_LEN:
        return frozenset({run}), True
    return _required(items)


def required_literals(pattern: str, ignore_case: bool = True) -> frozenset[str] | None:
    """Lowercased literals one of which every match of ``pattern`` contains."""
    found = analyse_pattern(pattern, ignore_case)
    return found[0] if found else None


def analyse_pattern(pattern: str, ignore_case: bool = True) -> Found | None:
    """Required literals (lowercased) and whether matches start exactly at them."""
    try:
        parsed = P.parse(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error:
        return None
    found = _required(list(parsed))
    if not found:
        return None
    lits, anchored = found
    # lower() must not change a literal's length (e.g. "İ"); otherwise run always.
    if any(len(t) != len(t.lower()) for t in lits):
        return None
    return frozenset(t.lower() for t in lits), anchored


class Prefilter:
    """Which of ``patterns`` ((regex, ignore_case) pairs) may match a text."""

    def __init__(self, patterns: Sequence[tuple[str, bool]]) -> None:
        import ahocorasick

        self.always: set[int] = set()
        self.anchored: set[int] = set()
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, list[int]] = {}
        for i, (pattern, ignore_case) in enumerate(patterns):
            found = analyse_pattern(pattern, ignore_case)
            if found is None:
                self.always.add(i)
                continue
            lits, anchored = found
            if anchored:
                self.anchored.add(i)
            for lit in lits:
                owners.setdefault(lit, []).append(i)
        for lit, idx in owners.items():
            self._automaton.add_word(lit, (len(lit), tuple(idx)))
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()

    def candidates(self, text: str) -> dict[int, list[int] | None]:
        """Pattern index -> where its matches may start (None: anywhere, scan the text).

        An anchored pattern's match starts where one of its literals starts, so it
        is tried with ``match`` at those positions only instead of a full scan.
        """
        found: dict[int, list[int] | None] = dict.fromkeys(self.always)
        if self._empty:
            return found
        low = text.lower()
        same_length = len(low) == len(text)
        for end, (length, idx) in self._automaton.iter(low):
            start = end - length + 1
            for i in idx:
                if i in self.anchored and same_length:
                    starts = found.setdefault(i, [])
                    if starts is not None:
                        starts.append(start)
                else:
                    found[i] = None
        return found
