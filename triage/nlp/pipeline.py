"""Build the per-language spaCy pipelines and run them over an Email.

Pipelines are blank (``spacy.blank``): nothing is downloaded. English gets
lookup lemmas from spacy-lookups-data and Russian gets pymorphy3 lemmas when
those packages are installed; Arabic relies on clitic-aware patterns.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from triage.nlp import components  # noqa: F401  (registers the triage_* factories)
from triage.parse import in_reply_header
from triage.types import Analysis, Email, Evidence, Finding

# Inquiries are short; the tail of a 2 MB newsletter only costs time.
MAX_NLP_CHARS = 4000
SUBJECT_SEP = "\n\n"
PIPELINE_LANGS = ("en", "ru", "ar")


@cache
def get_pipeline(lang: str) -> Language:
    """The pipeline for ``lang``; anything but ru/ar uses the English one."""
    lang = lang if lang in PIPELINE_LANGS else "en"
    nlp = spacy.blank(lang)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    _keep_lexical_attributes(nlp, NEEDED_LEX_ATTRS)
    # Lemmas cost a fifth of the pipeline's time; compute them only when a pattern reads them.
    if uses_lemmas(lang):
        if lang == "en":
            _try_lemmatizer(nlp, "lookup")
        elif lang == "ru":
            _try_lemmatizer(nlp, "pymorphy3")
    nlp.add_pipe("triage_patterns", config={"lang": lang})
    nlp.add_pipe("triage_negation")
    nlp.add_pipe("triage_values")
    nlp.initialize()
    return nlp


class TextKeepingTokenizer:
    """spaCy's tokenizer, keeping the text in the doc: ``Doc.text`` rebuilds it token by
    token on every access, and the pattern step reads it for every message."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc = self.inner(text)
        doc.user_data[components.TEXT_KEY] = text
        return doc


# The token attributes the components read (lower_, is_punct, is_space, is_quote). spaCy
# computes every lexical attribute of each new word (shape, like_url, like_num, ...), and
# new words are most of a real mailbox's tokens.
NEEDED_LEX_ATTRS = frozenset({"LOWER", "IS_PUNCT", "IS_SPACE", "IS_QUOTE"})


def _keep_lexical_attributes(nlp: Language, names: frozenset[str]) -> None:
    from spacy import attrs

    wanted = {getattr(attrs, n) for n in names}
    nlp.vocab.lex_attr_getters = {k: f for k, f in nlp.vocab.lex_attr_getters.items() if k in wanted}


def uses_lemmas(lang: str) -> bool:
    from triage.nlp.components import GROUPS, load_patterns

    return any("LEMMA" in json.dumps(row.get("pattern", []))
               for group in GROUPS for row in load_patterns(lang, group))


def _try_lemmatizer(nlp: Language, mode: str) -> None:
    try:
        nlp.add_pipe("lemmatizer", config={"mode": mode})
        nlp.initialize()
    except (ImportError, ValueError, OSError):
        # The optional lemma data is missing: patterns fall back to LOWER/REGEX.
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")


def _ref_date(email: Email) -> date | None:
    if not email.date:
        return None
    try:
        return datetime.fromisoformat(email.date).date()
    except ValueError:
        return None


def needs_nlp(email: Email) -> bool:
    """Mailing-list and robot mail, and text in none of our languages, skip the pipeline:
    they are not inquiries, and on a real mailbox they are most of the volume."""
    from triage.decide import bulk_headers

    return email.lang in PIPELINE_LANGS and not bulk_headers(email)


def nlp_text(email: Email) -> tuple[str, int]:
    """The text the pipeline reads (subject, separator, the head of the body) and where
    the body starts in it."""
    subject = email.subject.replace("\n", " ")[:500]
    return subject + SUBJECT_SEP + email.body[:MAX_NLP_CHARS], len(subject) + len(SUBJECT_SEP)


def analyse(email: Email) -> Analysis:
    """Run the rule layer over subject and body; offsets come back into each field."""
    if not needs_nlp(email):
        return Analysis()
    nlp = get_pipeline(email.lang)
    text, offset = nlp_text(email)
    finder = nlp.get_pipe("triage_patterns")
    found = finder.find(text)
    if not finder.matchers and not (found["flags"] or found["details"] or found["cues"]):
        # Nothing for the later components to read, so no Doc: tokenizing is a quarter of the rule layer.
        return Analysis()
    doc = nlp.make_doc(text)
    doc.user_data[components.FOUND_KEY] = (text, found)
    doc._.triage_ref_date = _ref_date(email)
    doc._.triage_body_start = offset
    for _name, proc in nlp.pipeline:
        doc = proc(doc)

    def finding(span, kind: str) -> Finding | None:
        start, end = span.start_char, span.end_char
        if start >= offset:
            ev = Evidence("body", start - offset, end - offset, email.body[start - offset:end - offset])
        elif end <= offset - len(SUBJECT_SEP):
            ev = Evidence("subject", start, end, email.subject[start:end])
        else:
            return None
        return Finding(kind=kind, label=span.label_, evidence=ev, value=span._.triage_value)

    def owned(f: Finding) -> bool:
        # A red flag counts only in the sender's own words, not in quoted mail or a signature.
        return f.evidence.field == "subject" or email.is_own(f.evidence.start, f.evidence.end)

    flags = [f for f in (finding(s, "flag") for s in doc.spans["flags"]) if f and owned(f)]
    negated = [f for f in (finding(s, "flag") for s in doc.spans["negated"]) if f]
    details = [f for f in (finding(s, "detail") for s in doc.spans["details"])
               if f and not (f.evidence.field == "body" and in_reply_header(email.body, f.evidence.start))]
    cues = [f for f in (finding(s, "cue") for s in doc.spans["cues"]) if f and owned(f)]
    return Analysis(flags=tuple(flags), details=tuple(details), cues=tuple(cues), negated=tuple(negated))
