"""A fast prefilter for the pattern files: literals from the regex + Aho-Corasick.

Most patterns are keyword alternations ("\\b(?:free|unpaid|...)\\s+..."), and
Python's ``re`` tries every alternative at every position, so a few hundred
of them over a long email cost milliseconds each. From each regex's parse
tree we take, where we can, the literals every match must *start* with; one
Aho-Corasick pass over the lowercased text finds where they occur, and the
regex is tried with ``match`` at those positions only. Where no such start
set exists we take literals every match must *contain*, and the regex scans
the text only if one of them occurs. A pattern that opens with ``\\b`` is tried
only where its literal starts a word: the short words most patterns open with
("we", "a", "no") occur mostly inside longer words. A pattern still left with
many positions, or with none to go by, is first searched by RE2 in a widened
form (see ``Prefilter.earliest``). The prefilter can only skip what cannot
match: tests check that findings are identical with and without it, and with
and without RE2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _casefix  # type: ignore[attr-defined]
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from time import thread_time
from typing import Any, Protocol
from unicodedata import category

MIN_LEN = 2
# A character class is a start set only when it is this small: [$€£] yes, [a-z] no.
MAX_CLASS = 16
# \d as a start set: the digits of our three languages' texts (Latin, Arabic-Indic, extended
# Arabic-Indic). A text holding any other decimal digit (there are hundreds) is scanned
# without the prefilter.
_DIGIT_RANGES = ((0x30, 0x39), (0x660, 0x669), (0x6F0, 0x6F9))
_DIGITS = frozenset(chr(c) for lo, hi in _DIGIT_RANGES for c in range(lo, hi + 1))
_OTHER_DIGIT = re.compile("[^\\D" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _DIGIT_RANGES) + "]")
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _literal_run(items: list, start: int) -> tuple[str, int]:
    out = []
    i = start
    while i < len(items) and items[i][0] == C.LITERAL:
        out.append(chr(items[i][1]))
        i += 1
    return "".join(out), i


def _required(items: list) -> frozenset[str] | None:
    """Literals one of which any match of this sequence contains, or None. Of several such
    sets, the one whose shortest literal is longest: "ال" is in every Arabic sentence, a stem
    is not."""
    best: frozenset[str] | None = None
    i = 0
    while i < len(items):
        op, av = items[i]
        found: frozenset[str] | None = None
        if op == C.LITERAL:
            run, j = _literal_run(items, i)
            if len(run) >= MIN_LEN:
                found = frozenset({run})
            i = j - 1
        elif op == C.SUBPATTERN:
            found = _required(list(av[-1]))
        elif op == C.BRANCH:
            alts = [_required(list(alt)) for alt in av[1]]
            if all(a is not None for a in alts):
                found = frozenset().union(*alts)  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            found = _required(list(av[2]))
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found
        i += 1
    return best


Start = tuple[frozenset[str], bool]  # literals a match starts with, and whether it may be empty


def _start(items: list) -> Start | None:
    """The literals any match of this sequence starts with, or None if unknown.

    The second item says the sequence can match the empty string, in which case
    a match may start with whatever follows it.
    """
    out: set[str] = set()
    i = 0
    while i < len(items):
        op, av = items[i]
        if op in _ZERO_WIDTH:
            i += 1
            continue
        if op == C.LITERAL:
            run, _ = _literal_run(items, i)
            out.add(run)
            return frozenset(out), False
        found: Start | None = None
        if op == C.IN:
            found = _class_start(av)
        elif op == C.SUBPATTERN:
            found = _start(list(av[-1]))
        elif op == C.BRANCH:
            alts = [_start(list(alt)) for alt in av[1]]
            if all(a is not None for a in alts):
                found = (frozenset().union(*(a[0] for a in alts)),  # type: ignore[index]
                         any(a[1] for a in alts))  # type: ignore[index]
        elif op in _REPEATS:
            body = _start(list(av[2]))
            if body is not None:
                found = body[0], body[1] or av[0] == 0
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return frozenset(out), False
        i += 1
    return frozenset(out), True


# Start literals are followed through what comes after them, up to this many characters:
# re's parser factors the common prefix out of an alternation ("split|share" becomes "s" and
# "plit|hare"), and a one-letter start occurs at nearly every word. Past a few hundred strings
# the set is given up and the plain start literals are used.
PREFIX_LEN = 16
MAX_PREFIXES = 256
# A class is followed through when it is this small: [وف] and [ея] yes, \d no.
SMALL_CLASS = 8


class _TooMany(Exception):
    pass


def _prefixes(items: list, i: int = 0, budget: int = PREFIX_LEN) -> set[str]:
    """Strings one of which every match of ``items[i:]`` starts with; "" among them means
    that some match starts with nothing known. Each is at most ``budget`` characters."""
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items) or budget <= 0:
        return {""}
    op, av = items[i]
    rest = items[i + 1:]
    out: set[str]
    if op == C.LITERAL:
        run, j = _literal_run(items, i)
        run = run[:budget]
        out = {run + s for s in _prefixes(items, j, budget - len(run))} if len(run) < budget else {run}
    elif op == C.SUBPATTERN:
        out = _prefixes(list(av[-1]) + rest, 0, budget)
    elif op == C.BRANCH:
        out = set().union(*(_prefixes(list(alt) + rest, 0, budget) for alt in av[1]))
    elif op in _REPEATS and av[1] == 1:  # X? or X once
        out = _prefixes(list(av[2]) + rest, 0, budget)
        if av[0] == 0:
            out |= _prefixes(items, i + 1, budget)
    elif op in _REPEATS:  # the body starts the match and may repeat: what follows it is unknown
        out = _prefixes(list(av[2]), 0, budget)
        if av[0] == 0:
            out |= _prefixes(items, i + 1, budget)
    elif op == C.IN:
        found = _class_start(av)
        if found is None:
            out = {""}
        elif len(found[0]) <= SMALL_CLASS:
            out = {c + s for c in found[0] for s in _prefixes(items, i + 1, budget - 1)}
        else:
            out = set(found[0])
    else:
        out = {""}
    if len(out) > MAX_PREFIXES:
        raise _TooMany
    return out


def _long_start(parsed: list) -> frozenset[str] | None:
    """The prefixes of ``_prefixes`` when every match has one (none is empty), else None;
    a prefix that starts another covers it."""
    try:
        found = _prefixes(parsed)
    except (_TooMany, RecursionError):
        return None
    if "" in found:
        return None
    # Sorted, a string's shorter prefixes come before it, and so does everything between them.
    kept: list[str] = []
    for p in sorted(found):
        if not kept or not p.startswith(kept[-1]):
            kept.append(p)
    return frozenset(kept)


def _class_start(items: list) -> Start | None:
    chars: set[str] = set()
    for op, av in items:
        if op == C.LITERAL:
            chars.add(chr(av))
        elif op == C.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op == C.CATEGORY and av == C.CATEGORY_DIGIT:
            chars.update(_DIGITS)
        else:  # another category (\w, \s), a negation, a wide range
            return None
    return (frozenset(chars), False) if len(chars - _DIGITS) <= MAX_CLASS else None


def _parse(pattern: str, ignore_case: bool):
    try:
        return P.parse(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error:
        return None


def _lowered(lits: frozenset[str] | None) -> frozenset[str] | None:
    # lower() must not change a literal's length (e.g. "İ"); otherwise run always.
    if not lits or any(len(t) != len(t.lower()) for t in lits):
        return None
    return frozenset(t.lower() for t in lits)


def _starts_at_boundary(tree) -> bool:
    """Whether every match starts where ``\\b`` holds: a \\b among the zero-width items
    before the first consuming one, which all test the match's start. Unicode word
    characters only, the notion of the prefilter's word-start test."""
    if tree.state.flags & (re.ASCII | re.LOCALE):
        return False
    for op, av in tree:
        if op not in _ZERO_WIDTH:
            return False
        if op == C.AT and av == C.AT_BOUNDARY:
            return True
    return False


# The memo kind of ``analyse_pattern``'s results, renamed whenever what it works out changes, so
# that a cache an older version filled is not read (since stop 27: longer start literals, and
# contained literals beside them).
ANALYSIS = "analysis-2"


def analyse_pattern(pattern: str, ignore_case: bool = True
                    ) -> tuple[frozenset[str] | None, frozenset[str] | None, bool]:
    """Lowercased literals one of which every match of ``pattern`` starts with, literals
    one of which every match contains (None when each start literal holds one anyway), and
    whether every match starts at a word boundary. The pattern is parsed once: for the
    long alternations of the pattern files, parsing is most of the prefilter's start-up."""
    tree = _parse(pattern, ignore_case)
    if tree is None:
        return None, None, False
    parsed = list(tree)
    # The longer start literals when there are any: they occur at far fewer places.
    starts = _lowered(_long_start(parsed))
    if starts is None:
        found = _start(parsed)
        # A pattern that may match the empty string can start anywhere.
        starts = _lowered(found[0]) if found is not None and not found[1] else None
    contained = _lowered(_required(parsed))
    if starts is not None and contained is not None and all(any(c in t for c in contained) for t in starts):
        contained = None  # a start literal's occurrence is one of them
    return starts, contained, _starts_at_boundary(tree)


def required_literals(pattern: str, ignore_case: bool = True) -> frozenset[str] | None:
    """Lowercased literals one of which every match of ``pattern`` contains."""
    tree = _parse(pattern, ignore_case)
    return _lowered(_required(list(tree))) if tree is not None else None


def start_literals(pattern: str, ignore_case: bool = True) -> frozenset[str] | None:
    """Lowercased literals one of which every match of ``pattern`` starts with."""
    return analyse_pattern(pattern, ignore_case)[0]


# ---------------------------------------------------------------- the RE2 confirmation
#
# A pattern with many start candidates in a text ("we", "a", a digit) or none to go by is
# first asked of RE2 in a widened form: one linear-time pass in C++ says whether it can
# match at all and where its leftmost match could start, instead of a Python-level
# ``re.match`` at each candidate. The widened pattern matches wherever the pattern does:
# lookarounds, anchors and word boundaries are dropped (RE2 has no lookarounds, and its \b
# is ASCII-only), bounds above WIDE_BOUND become unbounded (large bounded repeats are what
# make automata big), and classes are kept only where RE2 reads them exactly as ``re`` does.

WIDE_BOUND = 3
# RE2 builds its automaton as texts need it. For a few big case-folded alternations the
# building goes on for thousands of texts, costing more than the ``re`` calls it saves, so a
# pattern whose first SLOW_AFTER searches average over SLOW_SEARCH seconds of CPU time is
# left to ``re``. Only time is at stake: either way the findings are the same.
SLOW_AFTER = 32
SLOW_SEARCH = 150e-6
# Each RE2 pattern's memory budget, most of it for the automaton it caches. RE2's default
# (8 MiB) let a few hundred patterns take 100 MB more on the Arabic labelled texts; at 1 MiB
# it was 66 MB, for 1.8 s more over those 1,810 texts (8.2 s; 13.0 s without RE2).
WIDE_MEMORY = 1 << 20
_ANY = "(?s:.)"
# The only characters ``re``'s and RE2's case-insensitive matching pair differently
# ("ı" and "İ" match "i" in ``re`` only; a test checks every code point): neither a text
# nor a case-insensitive pattern holding one is asked of RE2.
FOLDED_APART = frozenset("ıİ")
# ``re``'s \s for str: the characters for which str.isspace() holds (a test checks it).
SPACE_RANGES = ((0x9, 0xd), (0x1c, 0x20), (0x85, 0x85), (0xa0, 0xa0), (0x1680, 0x1680),
                (0x2000, 0x200a), (0x2028, 0x2029), (0x202f, 0x202f), (0x205f, 0x205f), (0x3000, 0x3000))
_SPACE = "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in SPACE_RANGES)
# \w widened to "not \s" (a word character is never a space): Unicode letter classes make
# RE2's automata for case-folded Cyrillic and Arabic too big to stay fast. \d is Nd in both.
_WORD = "^" + _SPACE
_CLASS_CATEGORY = {C.CATEGORY_DIGIT: r"\p{Nd}", C.CATEGORY_SPACE: _SPACE}


class _Unwidenable(Exception):
    pass


def _folded_apart(op, av) -> bool:
    """Whether a literal or a class range holds "İ" (U+0130) or "ı" (U+0131)."""
    if op == C.LITERAL:
        return chr(av) in FOLDED_APART
    return op == C.RANGE and av[0] <= 0x131 and av[1] >= 0x130


def _caseless(op, av) -> bool:
    """Whether no engine's case folding can pair a character of this class item with
    another: punctuation, separators, controls and decimal digits."""
    if op == C.LITERAL:
        return category(chr(av))[0] in "PZC" or category(chr(av)) == "Nd"
    if op == C.RANGE:
        lo, hi = av
        return hi - lo < 256 and all(_caseless(C.LITERAL, c) for c in range(lo, hi + 1))
    return False


def _holds_space(op, av) -> bool:
    if op == C.LITERAL:
        return chr(av).isspace()
    if op == C.RANGE:
        return any(lo <= av[1] and av[0] <= hi for lo, hi in SPACE_RANGES)
    return op == C.CATEGORY and av != C.CATEGORY_WORD and av != C.CATEGORY_DIGIT


def _char(c: int) -> str:
    ch = chr(c)
    return ch if ch.isalnum() and ch.isascii() else f"\\x{{{c:x}}}"


def _wide_class(items: list, ignore_case: bool) -> str:
    negate = bool(items) and items[0][0] == C.NEGATE
    parts = []
    for op, av in items[1:] if negate else items:
        if ignore_case and _folded_apart(op, av):
            raise _Unwidenable("ı or İ")
        if op == C.LITERAL:
            parts.append(_char(av))
        elif op == C.RANGE:
            parts.append(_char(av[0]) + "-" + _char(av[1]))
        elif op == C.CATEGORY and av == C.CATEGORY_WORD and not negate:
            # [\w&'-] is "not a space" too, unless the class also holds a space.
            return _ANY if any(_holds_space(op, av) for op, av in items) else f"[{_WORD}]"
        elif op == C.CATEGORY and av in _CLASS_CATEGORY and not negate:
            parts.append(_CLASS_CATEGORY[av])
        else:  # \W, \S, \D, or a category inside a negated class: any character
            return _ANY
    body = "".join(parts)
    if negate:
        # How a negated class folds case is where engines differ, and RE2's Unicode tables
        # may pair characters Python's call uncased: widen unless it holds none that could.
        if ignore_case and not all(_caseless(op, av) for op, av in items[1:]):
            return _ANY
        return f"[^{body}]"
    return f"[{body}]"


def _wide(items, ignore_case: bool) -> str:
    out = []
    for op, av in items:
        if op == C.LITERAL:
            if ignore_case and _folded_apart(op, av):
                raise _Unwidenable("ı or İ")
            out.append(_char(av))
        elif op == C.NOT_LITERAL:
            out.append(f"[^{_char(av)}]" if not ignore_case or _caseless(op, av) else _ANY)
        elif op == C.ANY:
            out.append(_ANY)
        elif op == C.IN:
            out.append(_wide_class(list(av), ignore_case))
        elif op == C.BRANCH:
            out.append("(?:" + "|".join(_wide(alt, ignore_case) for alt in av[1]) + ")")
        elif op == C.SUBPATTERN:
            _group, add, delete, sub = av
            case = ignore_case
            flags = ""
            if add & re.IGNORECASE:
                case, flags = True, "i"
            if delete & re.IGNORECASE:
                case, flags = False, "-i"
            out.append(f"(?{flags}:{_wide(sub, case)})")
        elif op == getattr(C, "ATOMIC_GROUP", None):
            out.append(f"(?:{_wide(av, ignore_case)})")
        elif op in _REPEATS:
            lo, hi, sub = av
            body = f"(?:{_wide(sub, ignore_case)})"
            if hi == C.MAXREPEAT or hi > WIDE_BOUND:
                out.append(f"{body}{{{min(lo, WIDE_BOUND)},}}")
            else:
                out.append(f"{body}{{{lo},{hi}}}")
        elif op in _ZERO_WIDTH:
            continue
        elif op == C.GROUPREF:
            out.append(_ANY + "*")
        elif op == C.GROUPREF_EXISTS:
            _group, yes, no = av
            out.append(f"(?:{_wide(yes, ignore_case)}|{_wide(no, ignore_case) if no else ''})")
        else:
            raise _Unwidenable(op)
    return "".join(out)


def widened(pattern: str, ignore_case: bool = True) -> str | None:
    """An RE2 pattern that matches wherever ``pattern`` does, starting no later; None
    when there is none to give."""
    tree = _parse(pattern, ignore_case)
    return _widened(tree) if tree is not None else None


def _widened(tree) -> str | None:
    case = bool(tree.state.flags & re.IGNORECASE)
    try:
        return ("(?i)" if case else "") + _wide(list(tree), case)
    except (_Unwidenable, RecursionError):
        return None


def _case_partners(chars: set[str]) -> frozenset[str]:
    """Characters ``re`` matches case-insensitively with one of ``chars`` although
    their lower() differs ("ſ" for "s", "ı" for "i"): a text holding one is not
    lowercased faithfully, so it is scanned without the prefilter."""
    out = set()
    for c in chars:
        for partner in _casefix._EXTRA_CASES.get(ord(c), ()):
            if chr(partner).lower() != c:
                out.add(chr(partner))
    return frozenset(out)


_WORD_CHAR = re.compile(r"\w")
# Where \b holds before a word character.
_WORD_START = re.compile(r"\b\w")


def _extend(found: dict[int, list[int] | None], owners: tuple[int, ...], starts: list[int]) -> None:
    if not starts:
        return
    for i in owners:
        prior = found.setdefault(i, [])
        if prior is not None:
            prior.extend(starts)


class Memo(Protocol):
    """What is worked out from pattern ``k``'s source alone: a kept value that ``valid``
    accepts, else ``compute()`` (``regex_cache.RegexStore.memo``)."""

    def __call__(self, kind: str, k: int, compute: Callable[[], Any],
                 valid: Callable[[object], bool] | None = None) -> Any: ...


def _no_memo(kind: str, k: int, compute: Callable[[], Any],
             valid: Callable[[object], bool] | None = None) -> Any:
    return compute()


def _literals(value: object) -> bool:
    return value is None or (isinstance(value, frozenset) and all(type(x) is str and x for x in value))


def _is_analysis(value: object) -> bool:
    """The shape ``analyse_pattern`` returns: what a kept analysis must have to be used."""
    return (type(value) is tuple and len(value) == 3 and _literals(value[0])
            and _literals(value[1]) and type(value[2]) is bool)


def _is_widened(value: object) -> bool:
    return value is None or type(value) is str


class Prefilter:
    """Which of ``patterns`` ((regex, ignore_case) pairs) may match a text, and where."""

    def __init__(self, patterns: Sequence[tuple[str, bool]], memo: Memo | None = None) -> None:
        import ahocorasick

        # What is worked out from a pattern's source alone can be kept between runs
        # (``regex_cache.RegexStore.memo``): parsing the sources is most of this start-up.
        self._memo: Memo = memo if memo is not None else _no_memo

        self.always: set[int] = set()
        self._automaton = ahocorasick.Automaton()
        # literal -> patterns starting with it, those of them that start at a \b, patterns
        # without a start set containing it (they scan the text), and patterns with a start
        # set containing it (they are tried only where one such literal occurs: an Arabic
        # pattern starts with a clitic, "و" or "ف", found at every other word, but holds a stem)
        owners: dict[str, tuple[list[int], list[int], list[int], list[int]]] = {}
        self._patterns = list(patterns)
        self._gated: set[int] = set()
        for i, (pattern, ignore_case) in enumerate(patterns):
            starts, contained, boundary = self._memo(
                ANALYSIS, i, lambda p=pattern, c=ignore_case: analyse_pattern(p, c), _is_analysis)
            if starts is None and contained is None:
                self.always.add(i)
            for lit in starts or ():
                kind = 1 if boundary and _WORD_CHAR.match(lit) else 0
                owners.setdefault(lit, ([], [], [], []))[kind].append(i)
            for lit in contained or ():
                owners.setdefault(lit, ([], [], [], []))[2 if starts is None else 3].append(i)
            if starts is not None and contained is not None:
                self._gated.add(i)
        self._owners: list[tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = []
        for lit, (anchored, at_word, inside, gates) in owners.items():
            self._automaton.add_word(lit, len(self._owners))
            self._owners.append((len(lit), tuple(anchored), tuple(at_word), tuple(inside), tuple(gates)))
        self._unfaithful = _case_partners({c for lit in owners for c in lit})
        self._empty = not owners
        if not self._empty:
            self._automaton.make_automaton()
        try:
            import re2
        except ImportError:  # the optional engine is missing: every pattern runs in ``re``
            re2 = None
        self._re2 = re2
        # Widened and compiled when first asked for, like the ``re`` patterns (most are never
        # asked on a small inbox); False: there is no widened form, or RE2 refused it.
        self._wide: list = [None] * len(self._patterns)
        self._encoded: tuple[str, bytes | None] = ("", b"")
        self._asked = [0] * len(self._patterns)
        self._spent = [0.0] * len(self._patterns)

    def earliest(self, k: int, text: str) -> int:
        """The first position at which a match of pattern ``k`` can start in ``text``
        (a match of its widened form, found by RE2), -1 if it cannot match at all, and 0
        when RE2 is not there to ask or cannot read the pattern or the text."""
        rx = self._wide[k]
        if rx is None:
            rx = self._wide[k] = self._compile_wide(k)
        if rx is False:
            return 0
        seen, data = self._encoded
        if seen is not text:
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 only
                data = None
            if data is not None and len(data) != len(text) and not FOLDED_APART.isdisjoint(text):
                data = None
            self._encoded = (text, data)
        if data is None:
            return 0
        if self._asked[k] < SLOW_AFTER:
            # CPU time, so that a busy machine does not make a pattern look slow.
            t0 = thread_time()
            m = rx.search(data)
            self._spent[k] += thread_time() - t0
            self._asked[k] += 1
            if self._asked[k] == SLOW_AFTER and self._spent[k] > SLOW_SEARCH * SLOW_AFTER:
                # Building this pattern's automaton costs more than ``re`` would: stop asking.
                self._wide[k] = False
        else:
            m = rx.search(data)
        if m is None:
            return -1
        at = m.start()
        # RE2 counts bytes; a match starts on a character boundary.
        return at if len(data) == len(text) else len(data[:at].decode("utf-8"))

    def _compile_wide(self, k: int):
        source = self._memo("widened", k, lambda: widened(*self._patterns[k]), _is_widened) \
            if self._re2 is not None else None
        if source is None:
            return False
        options = self._re2.Options()
        options.log_errors = False
        options.max_mem = WIDE_MEMORY
        try:
            return self._re2.compile(source, options)
        except self._re2.error:
            return False

    def candidates(self, text: str) -> dict[int, list[int] | None] | None:
        """Pattern index -> where its matches may start (None: anywhere, scan the text).
        None for the whole text: every pattern may match anywhere."""
        if not text.isascii() and (not self._unfaithful.isdisjoint(text) or _OTHER_DIGIT.search(text)):
            return None
        found: dict[int, list[int] | None] = dict.fromkeys(self.always)
        if self._empty:
            return found
        low = text.lower()
        # One append per hit; the owners of each literal are visited once per text.
        ends: dict[int, list[int]] = {}
        for end, key in self._automaton.iter(low):
            at = ends.get(key)
            if at is None:
                ends[key] = [end]
            else:
                at.append(end)
        same_length = len(low) == len(text)
        word_starts: set[int] | None = None
        opened: set[int] = set()
        for key, at in ends.items():
            length, anchored, at_word, contained, gates = self._owners[key]
            opened.update(gates)
            # Without a same-length lowercase the positions are not the text's: scan.
            if not same_length:
                for i in contained + anchored + at_word:
                    found[i] = None
                continue
            for i in contained:
                found[i] = None
            starts = [e - length + 1 for e in at]
            if at_word:
                if word_starts is None:
                    # One pass for the text: starts are dense, and a match per start measured
                    # slower on the corpus.
                    word_starts = {m.start() for m in _WORD_START.finditer(text)}
                _extend(found, at_word, [p for p in starts if p in word_starts])
            _extend(found, anchored, starts)
        for i in self._gated - opened:
            found.pop(i, None)
        return found
