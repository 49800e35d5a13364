"""Use cases that wire sources, the rule layer, the model and the store together."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from triage.errors import SourceError
from triage.parse import parse
from triage.sources.files import iter_path
from triage.types import Email, Prediction, RawMessage


@dataclass(frozen=True)
class Failure:
    """An input that could not be read or scored; the rest goes on."""

    where: str
    reason: str


def score_email(email: Email) -> Prediction:
    from triage.decide import decide
    from triage.nlp.pipeline import analyse

    return decide(email, analyse(email))


def score_raw(msg: RawMessage) -> Prediction:
    return score_email(parse(msg))


def score_paths(paths: Iterable[str]) -> Iterator[Prediction | Failure]:
    """Score every message under every path, in input order, streaming.

    A path that cannot be read yields a Failure and the next path is scored.
    """
    for path in paths:
        it = iter_path(path)
        while True:
            try:
                msg = next(it)
            except StopIteration:
                break
            except SourceError as exc:
                yield Failure(path, str(exc))
                break
            yield score_raw(msg)
