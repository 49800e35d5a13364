"""spaCy components, registered as factories named ``triage_*``.

- ``triage_patterns`` finds spans from data files (token patterns for the
  Matcher, or regexes) and files them into ``doc.spans[<group>]``.
- ``triage_negation`` moves red-flag spans that sit in a negation or refusal
  scope ("no test task", "we don't do revenue share") or next to a
  suppressor ("we'll pay a rush fee") into ``doc.spans["negated"]``; and drops
  deadline spans that are a deadline for the *reply*, not the project.
- ``triage_values`` normalises budget and deadline spans into values.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from triage.nlp import values
from triage.nlp.prefilter import Prefilter
from triage.nlp.regex_cache import RegexStore

PATTERNS_DIR = Path(__file__).parent / "patterns"
GROUPS = ("flags", "details", "cues", "negation")
# doc.user_data key under which the pipeline's tokenizer keeps the text it was given.
TEXT_KEY = "triage_text"
# doc.user_data key for (text, PatternFinder.find(text)) when the caller has run it already.
FOUND_KEY = "triage_found"

if not Span.has_extension("triage_value"):
    Span.set_extension("triage_value", default=None)
if not Doc.has_extension("triage_ref_date"):
    Doc.set_extension("triage_ref_date", default=None)
# Where the body starts in the subject + body text: a retraction never reaches the subject.
if not Doc.has_extension("triage_body_start"):
    Doc.set_extension("triage_body_start", default=0)


@cache
def load_patterns(lang: str, group: str) -> tuple[dict[str, Any], ...]:
    path = PATTERNS_DIR / lang / f"{group}.jsonl"
    if not path.exists():
        return ()
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from exc
        if "label" not in row or ("pattern" not in row and "regex" not in row):
            raise ValueError(f"{path}:{lineno}: needs 'label' and 'pattern' or 'regex'")
        rows.append(row)
    return tuple(rows)


def regex_flags(row: dict[str, Any]) -> int:
    return 0 if row.get("case_sensitive") else re.IGNORECASE


def regex_sources(lang: str, groups: Sequence[str] = GROUPS) -> list[tuple[str, int]]:
    """Every regex of ``lang``'s pattern files with its ``re`` flags, numbered as a
    PatternFinder over ``groups`` numbers them (token patterns are not regexes)."""
    return [(row["regex"], regex_flags(row)) for group in groups
            for row in load_patterns(lang, group) if "pattern" not in row]


# A pattern with more start candidates than this in a text is first asked of RE2
# (Prefilter.earliest): one pass in C++ costs about what eight ``re.match`` calls do.
CONFIRM_OVER = 8


class PatternFinder:
    """Token patterns and regexes from ``patterns/<lang>/<group>.jsonl`` -> ``doc.spans[group]``.

    A row may carry ``"id"``: copied to the span's ``id_`` so later components
    can read it (e.g. ``strong`` flags that negation must not cancel, or the
    scope of a suppressor).
    """

    def __init__(self, nlp: Language, name: str, lang: str, groups: list[str],
                 prefilter: bool = True) -> None:
        self.name = name
        self.groups = list(groups)
        self.matchers: dict[str, Matcher] = {}
        # Every regex as (source, re flags, label, id), numbered across groups as the prefilter
        # numbers them, and each group's share of that numbering.
        self.regexes: list[tuple[str, int, str, str]] = []
        self._numbers: dict[str, range] = {}
        self._meta: dict[str, tuple[str, str]] = {}
        for group in self.groups:
            matcher = Matcher(nlp.vocab, validate=True)
            first = len(self.regexes)
            for i, row in enumerate(load_patterns(lang, group)):
                label, ident = row["label"], row.get("id", "")
                if "pattern" in row:
                    key = f"{group}:{i}"
                    matcher.add(key, [row["pattern"]])
                    self._meta[key] = (label, ident)
                else:
                    self.regexes.append((row["regex"], regex_flags(row), label, ident))
            if len(matcher):
                self.matchers[group] = matcher
            self._numbers[group] = range(first, len(self.regexes))
        # Compiling every pattern took 2.8 s of start-up (a one-off timing; 1.2 s for Arabic); behind
        # the prefilter most are never tried on a given inbox, so each is compiled when first
        # tried, from the code a previous run kept when there is one (``regex_cache``). Those
        # the prefilter cannot read (a malformed one among them) are tried on every text, so
        # they are compiled here and a malformed pattern still fails at once.
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.regexes)
        self._store = RegexStore(lang, [(src, flags) for src, flags, _l, _i in self.regexes])
        self.prefilter = Prefilter([(src, bool(flags)) for src, flags in self._store.sources],
                                   memo=self._store.memo) if prefilter else None
        for k in (self.prefilter.always if self.prefilter is not None else range(len(self.regexes))):
            self._regex(k)

    def _regex(self, k: int) -> re.Pattern[str]:
        rx = self._compiled[k]
        if rx is None:
            rx = self._compiled[k] = self._store.compile(k)
        return rx

    def find(self, text: str) -> dict[str, list[tuple[int, int, int]]]:
        """Every regex match in ``text`` by group, as (start, end, pattern number) character
        offsets. Regexes read characters, not tokens, so this needs no Doc: a text in which
        nothing matches is never tokenized (see ``pipeline.analyse``)."""
        may = self.prefilter.candidates(text) if self.prefilter is not None else None
        # Only the candidates are visited: of a thousand patterns, a text leaves a few dozen.
        tried = sorted(may) if may is not None else None
        found: dict[str, list[tuple[int, int, int]]] = {}
        for group in self.groups:
            if group == "negation" and not (found.get("flags") or found.get("details") or self.matchers):
                # Negation cues ("no", "not", ...) are everywhere; they only matter near a finding.
                found[group] = []
                continue
            numbers = self._numbers[group]
            if tried is not None:
                numbers = tried[bisect_left(tried, numbers.start):bisect_left(tried, numbers.stop)]
            hits = found[group] = []
            for k in numbers:
                starts = may.get(k) if may is not None else None
                at = 0
                if may is not None and (starts is None or len(starts) > CONFIRM_OVER):
                    at = self.prefilter.earliest(k, text)
                    if at < 0:
                        continue
                    if starts is not None and at:
                        starts = [p for p in starts if p >= at]
                rx = self._compiled[k] or self._regex(k)
                for m in rx.finditer(text, at) if starts is None else _matches_at(rx, text, starts):
                    if m.end() > m.start():
                        hits.append((m.start(), m.end(), k))
        return found

    def __call__(self, doc: Doc) -> Doc:
        vocab_strings = doc.vocab.strings
        # Doc.text is rebuilt token by token on every access; the pipeline's tokenizer keeps it.
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.text
        given = doc.user_data.pop(FOUND_KEY, None)
        found = given[1] if given is not None and given[0] == text else self.find(text)
        for group in self.groups:
            spans: list[Span] = []
            seen: set[tuple[int, int, str]] = set()
            matcher = self.matchers.get(group)
            for match_id, start, end in matcher(doc) if matcher is not None else ():
                label, ident = self._meta[vocab_strings[match_id]]
                if (start, end, label) not in seen:
                    seen.add((start, end, label))
                    spans.append(Span(doc, start, end, label=label, span_id=ident))
            for start, end, k in found[group]:
                label, ident = self.regexes[k][2:]
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is None or (span.start, span.end, label) in seen:
                    continue
                seen.add((span.start, span.end, label))
                spans.append(Span(doc, span.start, span.end, label=label, span_id=ident))
            doc.spans[group] = _longest_per_label(spans)
        return doc


def _matches_at(rx: re.Pattern[str], text: str, starts: list[int]):
    """What ``rx.finditer(text)`` yields, for a pattern whose matches can only start
    at ``starts``: leftmost first, never overlapping, resuming after each match."""
    resume = 0
    for pos in sorted(set(starts)):
        if pos < resume:
            continue
        m = rx.match(text, pos)
        if m is not None:
            yield m
            resume = m.end() if m.end() > m.start() else m.end() + 1


def _longest_per_label(spans: list[Span]) -> list[Span]:
    """Drop spans contained in a longer span of the same label."""
    spans = sorted(spans, key=lambda s: (s.label_, s.start, -(s.end - s.start)))
    out: list[Span] = []
    for s in spans:
        if out and out[-1].label_ == s.label_ and out[-1].start <= s.start and s.end <= out[-1].end:
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s.start, s.end))


@Language.factory("triage_patterns",
                  default_config={"lang": "en", "groups": list(GROUPS), "prefilter": True})
def make_pattern_finder(nlp: Language, name: str, lang: str, groups: list[str],
                        prefilter: bool) -> PatternFinder:
    return PatternFinder(nlp, name, lang, groups, prefilter)


_BOUNDARY_WORDS = frozenset(
    "but however though although yet whereas otherwise "
    "но однако зато хотя а иначе "
    "لكن ولكن لكنّ بل إلا".split()
)
# Quote marks are not boundaries: "no «revenue share»" still negates what is quoted.
_BOUNDARY_PUNCT = frozenset(",;:—–!?()[]،؛؟")


CLAUSE_WINDOW = 16


def _negates(doc: Doc, cue: Span, span: Span, lo: int) -> bool:
    """Whether a ``before`` cue negates ``span`` whose clause starts at ``lo``. A cue may
    reach across the boundary it carries itself: "не жду, что ...", "I don't expect, that"."""
    if cue.end > span.start:
        return False
    return lo <= cue.start or (cue.start < lo < cue.end and _is_boundary(doc[lo - 1]))


def _is_boundary(tok: Token) -> bool:
    return tok.text in _BOUNDARY_PUNCT or tok.lower_ in _BOUNDARY_WORDS


class NegationScope:
    """Cancel findings that sit in a negation or refusal scope, or next to a suppressor.

    Cues come from ``doc.spans["negation"]``, labelled ``before`` (negates
    what follows in the same clause: "no", "never", "без", "بدون"), ``after``
    (negates what precedes: "is not needed", "не нужно", "غير مطلوب"), or a
    flag name (a suppressor: "rush fee" cancels ``rush``; its ``id`` is
    ``clause``, ``sentence`` or ``message`` for how far it reaches), or ``retract``
    (the sender takes a flag back: see ``_retracted``). A ``before`` cue with id
    ``clause`` (a refused request: "we won't ask you to ...") reaches the whole clause.
    Flag spans whose id is ``strong`` carry their own negation ("no upfront payment"):
    only a cue right before the whole span or a retraction cancels them. The ``reply``
    cue cancels a date or timeframe that is not when the work is due: a deadline to
    answer or to bid, a payment term ("paid within 30 days"), the sender's hours. The
    ``past`` cue cancels only the date it runs into ("since the March update"): a
    ``reply`` cue reaches back over a clause boundary, and "since" must not. So does an
    ``estimate`` cue, for the time a job would take ("any student can do one in 5
    minutes"), and a ``not_fee`` cue cancels only the amount it runs into: money that is not
    the freelancer's pay (a fundraising or sales target, advertising spend, "бюджет на рекламу
    50 тыс"); ``not_company``, the business noun it runs into (the university a private sender
    studied at); ``not_goal``, the purpose it runs into ("я не школьник, чтобы…"). A span that
    starts inside such a cue is cancelled too.
    """

    def __init__(self, window: int) -> None:
        self.window = window

    def _clause_bounds(self, doc: Doc, span: Span, window: int | None = None) -> tuple[int, int]:
        window = self.window if window is None else window
        sent_start, sent_end = sentence_bounds(doc, span.start, span.end)
        lo = span.start
        steps = 0
        while lo > sent_start and steps < window:
            tok = doc[lo - 1]
            if _is_boundary(tok):
                break
            lo -= 1
            steps += 1
        hi = span.end
        steps = 0
        while hi < sent_end and steps < window:
            if _is_boundary(doc[hi]):
                break
            hi += 1
            steps += 1
        return lo, hi

    def _retracted(self, doc: Doc, span: Span, retract: list[Span], far: int) -> bool:
        """A flag the sender takes back or rejects. A ``forward`` cue ("scratch what I said
        about ...") cancels what follows it in its own clause only. A ``backward`` cue
        counts only as (nearly) a clause of its own ("..., please ignore that", "We don't."):
        it cancels what precedes it in its sentence, and, when it is a whole sentence, the
        body sentence before. Both are kept this narrow because a loose "ignore that" or
        "forget it" also ends real demands ("Unlimited revisions until we are happy, or
        forget it."). ``far`` is where the span's clause starts, looked for up to
        CLAUSE_WINDOW tokens back."""
        if not retract:
            return False
        s_lo, s_hi = sentence_bounds(doc, span.start, span.end)
        for c in retract:
            if c.id_ == "forward":
                if far <= c.start and c.end <= span.start:
                    return True
                continue
            c_lo, c_hi = sentence_bounds(doc, c.start, c.end)
            if (c_lo, c_hi) == (s_lo, s_hi):
                # "... a contest for free, but we're not convinced by that idea."
                if span.end <= c.end and _stands_alone(doc, c, *self._clause_bounds(doc, c)):
                    return True
            elif c_lo > 0 and _previous_sentence(doc, c_lo) == (s_lo, s_hi) \
                    and _stands_alone(doc, c, c_lo, c_hi) \
                    and doc[s_lo].idx >= (doc._.triage_body_start or 0):
                return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        cues = list(doc.spans["negation"]) if "negation" in doc.spans else []
        before = [c for c in cues if c.label_ == "before"]
        after = [c for c in cues if c.label_ == "after"]
        reply = [c for c in cues if c.label_ == "reply"]
        retract = [c for c in cues if c.label_ == "retract"]
        runs_into = [(c.start, c.end, RUNS_INTO[c.label_]) for c in cues if c.label_ in RUNS_INTO]
        suppressors = [c for c in cues if c.label_ not in ("before", "after", "reply", "retract", *RUNS_INTO)]
        kept: list[Span] = []
        negated: list[Span] = []
        for span in doc.spans.get("flags", []):
            # A refusal of a request ("we won't ask you to do spec work or a free test") and a
            # retraction reach the whole clause, not only the few words next to them.
            far = self._clause_bounds(doc, span, CLAUSE_WINDOW)[0]
            if self._retracted(doc, span, retract, far):
                negated.append(span)
                continue
            if span.id_ == "strong":
                # A strong span carries its own negation ("no upfront payment"); only a cue right
                # before it negates it as a whole: "никаких «всё в конце»", "no 'pay on delivery'".
                (negated if any(_adjacent_before(doc, c, span) for c in before) else kept).append(span)
                continue
            lo, hi = self._clause_bounds(doc, span)
            is_neg = any(_negates(doc, c, span, far if c.id_ == "clause" else lo) for c in before) or any(
                span.end <= c.start and c.start <= hi for c in after
            )
            if not is_neg:
                for c in suppressors:
                    if c.label_ != span.label_:
                        continue
                    if c.id_ == "clause":
                        if lo <= c.start and c.end <= hi:
                            is_neg = True
                            break
                    elif c.id_ == "message" or sentence_bounds(doc, c.start, c.end) == sentence_bounds(
                            doc, span.start, span.end):
                        is_neg = True
                        break
            (negated if is_neg else kept).append(span)
        if reply:
            # "I need your answer by tonight" is pressure to reply, not a rush job.
            still = []
            for span in kept:
                lo, _ = self._clause_bounds(doc, span)
                if span.label_ == "rush" and any(lo <= c.start and c.start <= span.end for c in reply):
                    negated.append(span)
                else:
                    still.append(span)
            kept = still
        doc.spans["flags"] = kept
        doc.spans["negated"] = negated
        if (reply or runs_into) and "details" in doc.spans:
            details = []
            for span in doc.spans["details"]:
                # A span starting inside the cue ("бюджет на рекламу 50 тыс") or right after it; one
                # token of slack, as the date may start at a preposition the cue stops before.
                if any(label == span.label_ and lo <= span.start <= hi + 1 for lo, hi, label in runs_into):
                    continue
                if span.label_ == "deadline" and reply:
                    lo, _ = self._clause_bounds(doc, span)
                    lo = max(lo - 4, sentence_bounds(doc, span.start, span.end)[0])
                    # The cue may sit inside the span too: "need an answer by 5 today".
                    if any(lo <= c.start < span.end for c in reply):
                        continue
                details.append(span)
            doc.spans["details"] = details
        return doc


# Cues that cancel only the detail they run into, and which detail that is.
RUNS_INTO = {
    "past": "deadline", "estimate": "deadline", "not_fee": "budget", "not_company": "company", "not_goal": "goal",
}


@Language.factory("triage_negation", default_config={"window": 7})
def make_negation(nlp: Language, name: str, window: int) -> NegationScope:
    return NegationScope(window)


def _adjacent_before(doc: Doc, cue: Span, span: Span) -> bool:
    """Whether ``cue`` ends right before ``span``, quote marks between them allowed."""
    i = span.start
    while i > cue.end and i - 1 >= 0 and (doc[i - 1].is_quote or doc[i - 1].is_space):
        i -= 1
    return cue.end == i


def _stands_alone(doc: Doc, cue: Span, lo: int, hi: int) -> bool:
    """Whether ``cue`` is (nearly) all of its sentence: "No, we don't." but not "We don't
    pay for revisions." or "... and we'd rather not pay anything upfront"."""
    words = sum(1 for t in doc[lo:hi] if not (t.is_punct or t.is_space))
    own = sum(1 for t in cue if not (t.is_punct or t.is_space))
    return words - own <= 2


def _previous_sentence(doc: Doc, start: int) -> tuple[int, int] | None:
    """Bounds of the sentence that ends before token ``start`` (blank tokens skipped)."""
    i = start - 1
    while i >= 0 and (doc[i].is_space or doc[i].is_punct and doc[i].text in _SENT_END):
        i -= 1
    if i < 0:
        return None
    return sentence_bounds(doc, i, i + 1)


_SENT_END = frozenset(".!?…;؟")
_SENT_SCAN = 60  # tokens: a "sentence" in an email is rarely longer


def _is_break(doc: Doc, i: int) -> bool:
    """Whether a sentence ends after token ``i``: . ! ? ؟, or a line break that starts
    a new thought (blank line, or the next line not continuing in lower case)."""
    tok = doc[i]
    if tok.text in _SENT_END or (tok.is_punct and tok.text[-1:] in _SENT_END):
        return True
    # The Arabic tokenizer leaves a full stop glued to a word ending in tanween ("مقدماً.").
    if len(tok.text) > 1 and tok.text[-1] in _SENT_END and not tok.text[:-1].isascii():
        return True
    if tok.is_space and "\n" in tok.text:
        if "\n\n" in tok.text or i + 1 >= len(doc):
            return True
        return not doc[i + 1].text[:1].islower()
    return False


def sentence_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds of the sentence around ``doc[start:end]``, found on demand.

    Only the few tokens around a finding are looked at, so no per-token work is
    done for the whole message (a sentence splitter over every token cost more
    than all the patterns together).
    """
    lo = start
    while lo > 0 and start - lo < _SENT_SCAN and not _is_break(doc, lo - 1):
        lo -= 1
    hi = end
    while hi < len(doc) and hi - end < _SENT_SCAN and not _is_break(doc, hi - 1):
        hi += 1
    return lo, hi


class ValueNormaliser:
    """Attach ``span._.triage_value`` to budget and deadline spans."""

    def __call__(self, doc: Doc) -> Doc:
        ref: date | None = doc._.triage_ref_date
        for span in doc.spans.get("details", []):
            try:
                if span.label_ == "budget":
                    span._.triage_value = values.money(span.text)
                elif span.label_ == "deadline":
                    span._.triage_value = values.deadline(span.text, ref)
            except (ValueError, OverflowError):
                # A value we cannot normalise (a date near year 9999) leaves the detail found, unvalued.
                span._.triage_value = None
        return doc


@Language.factory("triage_values")
def make_values(nlp: Language, name: str) -> ValueNormaliser:
    return ValueNormaliser()
