"""Use cases that wire sources, the rule layer, the model and the store together."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from triage.config import Rates
from triage.errors import SourceError
from triage.parse import parse
from triage.sources.files import iter_path
from triage.types import Email, Prediction, RatesNote, RawMessage

if TYPE_CHECKING:
    from triage.decide import ModelOutput


@dataclass(frozen=True)
class Failure:
    """An input that could not be read or scored; the rest goes on."""

    where: str
    reason: str


BATCH = 64  # messages per model call: sklearn's per-call overhead dominates single messages


class Scorer:
    """Rules plus, when one is given, a trained model. Without a model the rule score serves."""

    def __init__(self, model=None, version: str = "rules", rates: Rates | None = None,
                 notice: str = "") -> None:
        self.model = model
        self.version = version
        self.rates = rates
        self.notice = notice  # why the model serving is not the one expected, for the user

    def score_emails(self, emails: list[Email]) -> list[Prediction]:
        from triage.decide import bulk_headers
        from triage.nlp.pipeline import analyse
        from triage.types import Example

        examples = [Example(e, analyse(e)) for e in emails]
        outputs: list[ModelOutput | None] = [None] * len(examples)
        # Mailing-list and robot mail is not_lead from its headers alone (decide() says so
        # whatever the model would): on a real mailbox it is most of the volume, and the
        # model's features are the dearest part of scoring.
        ask = [i for i, x in enumerate(examples) if not bulk_headers(x.email)]
        if self.model is not None and ask:
            # decide() reads evidence sentences only for a toxic verdict, which never depends on
            # them; the verdict is taken after the rates shift, which can make a lead toxic.
            asked = [examples[i] for i in ask]
            for i, o in zip(ask, self.model.predict(asked, shows_evidence=lambda k, o: self._decide(
                    asked[k], o).verdict == "toxic"), strict=True):
                outputs[i] = o
        return [self._decide(x, o) for x, o in zip(examples, outputs, strict=True)]

    def _decide(self, x, output) -> Prediction:
        """The decision, with the budget note and its bounded shift of the toxic logit
        (a feature, not a rule) when [rates] are set."""
        from dataclasses import replace

        from triage.decide import decide
        from triage.rates import toxic_shift

        pred = decide(x.email, x.analysis, output)
        if self.rates is None:
            return pred
        note = rates_note(pred.verdict, pred.details, self.rates)
        shift = toxic_shift(note)
        if shift:
            pred = decide(x.email, x.analysis, output, toxic_shift=shift)
        return replace(pred, rates_note=note)

    def score_email(self, email: Email) -> Prediction:
        return self.score_emails([email])[0]


def rates_note(verdict: str, details: dict, rates: Rates | None) -> RatesNote | None:
    """A message that is not a lead gets no note: a price in a newsletter is not a budget."""
    from triage.rates import assess

    if rates is None or verdict == "not_lead":
        return None
    return assess(details, rates)


def load_scorer(model_dir: str | None = None, *, required: bool = False, settings=None,
                rates: Rates | None = None) -> Scorer:
    """The model ``model_dir`` names, else the user's retrained model when ``settings``
    point to one, else the shipped default; rules alone if no default model is
    installed (an explicit ``model_dir`` must load)."""
    from pathlib import Path

    from triage.errors import ModelError
    from triage.model import DEFAULT_MODEL_DIR, load_for_scoring
    from triage.retrain import serving_model_dir

    def serving(where: Path, notice: str = "") -> Scorer:
        model, card = load_for_scoring(where)
        return Scorer(model, version=f"{card.get('name', where.name)}@{card.get('model_sha256', '')[:12]}",
                      rates=rates, notice=notice)

    user_dir = serving_model_dir(settings) if model_dir is None and settings is not None else None
    notice = ""
    if user_dir is not None:
        try:
            return serving(user_dir)
        except ModelError as exc:
            # A user model an upgrade can no longer load must not stop scanning: the shipped
            # model serves until `train --config` replaces it.
            notice = f"{exc}; the shipped model serves until `triage train --config` retrains yours"
    path = Path(model_dir) if model_dir else DEFAULT_MODEL_DIR
    if model_dir is None and not (path / "card.json").exists() and not required:
        return Scorer(None, rates=rates, notice=notice)
    return serving(path, notice)


def score_email(email: Email) -> Prediction:
    """Rules only: the decision that needs no model file."""
    return Scorer(None).score_email(email)


def score_raw(msg: RawMessage) -> Prediction:
    return score_email(parse(msg))


def score_paths(paths: Iterable[str], scorer: Scorer | None = None) -> Iterator[Prediction | Failure]:
    """Score every message under every path, in input order, streaming in small batches.

    A path that cannot be read yields a Failure and the next path is scored.
    """
    scorer = scorer or Scorer(None)
    batch: list[Email] = []
    for path in paths:
        it = iter_path(path)
        while True:
            try:
                msg = next(it)
            except StopIteration:
                break
            except SourceError as exc:
                yield from scorer.score_emails(batch)
                batch = []
                yield Failure(path, str(exc))
                break
            batch.append(parse(msg))
            if len(batch) >= BATCH:
                yield from scorer.score_emails(batch)
                batch = []
    yield from scorer.score_emails(batch)


# ---------------------------------------------------------------- scan

@dataclass(frozen=True)
class Scanned:
    """A newly stored message, as `scan` reports it."""

    account: str
    folder: str
    uid: int
    row_id: int
    prediction: Prediction


@dataclass
class ScanSummary:
    new: int = 0
    warm: int = 0
    toxic: int = 0
    not_lead: int = 0
    skipped: int = 0  # already known (a UIDVALIDITY resync or a copy in another folder)
    failures: list[str] | None = None


def dedupe_key(email: Email, raw: bytes) -> str:
    """Message-ID when there is one, else a hash of the header block."""
    import hashlib

    if email.message_id:
        return "mid:" + email.message_id.strip().lower()
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:65536]
    return "sha:" + hashlib.sha256(head).hexdigest()


def scan(settings, scorer: Scorer, *, account_name: str | None = None, summary: ScanSummary | None = None,
         sleep=None, session_factory=None) -> Iterator[Scanned]:
    """Fetch, score and store new messages of every configured folder, batch by batch.

    Each batch is committed with the folder's new last UID, so an interruption
    loses and duplicates nothing. A dropped connection is retried with backoff
    up to the account's ``retries``; an account that still fails is recorded in
    ``summary.failures`` and the next account is scanned.
    """
    import time

    from triage.errors import AuthError, ConfigError, FetchError
    from triage.sources.imap import ImapSession, TransientError, retry_delay
    from triage.store import Store, scan_lock

    sleep = sleep or time.sleep
    session_factory = session_factory or ImapSession
    summary = summary if summary is not None else ScanSummary()
    summary.failures = summary.failures or []
    accounts = [settings.account(account_name)] if account_name else list(settings.accounts)
    if not accounts:
        raise ConfigError(f"{settings.path}: no [[accounts]] configured")
    version = scorer.version
    done: set[tuple[str, str]] = set()  # folders finished, so a reconnect does not redo them
    with scan_lock(settings.store_path), Store(settings.store_path) as store:
        for account in accounts:
            attempt = 0
            while True:
                try:
                    with session_factory(account) as session:
                        for folder in account.folders:
                            if (account.name, folder) in done:
                                continue
                            try:
                                yield from _scan_folder(session, store, account, folder, scorer, version, summary)
                            except TransientError:
                                raise
                            except FetchError as exc:
                                # A folder the server refuses (misspelt, deleted) fails alone;
                                # the account's other folders are still scanned.
                                summary.failures.append(str(exc))
                            done.add((account.name, folder))
                    break
                except TransientError as exc:
                    attempt += 1
                    if attempt > account.retries:
                        summary.failures.append(f"{exc} (gave up after {account.retries} retries)")
                        break
                    sleep(retry_delay(attempt))
                except AuthError:
                    raise
                except FetchError as exc:
                    summary.failures.append(str(exc))
                    break


def _scan_folder(session, store, account, folder: str, scorer: Scorer, version: str,
                 summary: ScanSummary, stop=None) -> Iterator[Scanned]:
    """``stop``: a callable checked between batches (watch stops on a signal without
    leaving a committed batch unreported)."""
    from triage.errors import FetchError
    from triage.sources.imap import TransientError

    uidvalidity = session.select(folder, writable=account.tag or bool(account.move_toxic))
    state = store.folder_state(account.name, folder)
    if state is not None and state.uidvalidity != uidvalidity:
        store.reset_folder(account.name, folder, uidvalidity)
        state = None
    last = state.last_uid if state else 0
    uids = session.uids_after(last)
    for i in range(0, len(uids), account.batch_size):
        if stop is not None and stop():
            return
        fetched = session.fetch(uids[i:i + account.batch_size])
        emails = [parse(RawMessage(id=f"{account.name}/{folder}/{f.uid}", raw=f.raw)) for f in fetched]
        preds = scorer.score_emails(emails)
        items = [(f.uid, dedupe_key(e, f.raw), p, f.truncated)
                 for f, e, p in zip(fetched, emails, preds, strict=True)]
        batch_last = max(uids[i:i + account.batch_size])
        row_ids = store.save_batch(account.name, folder, uidvalidity, batch_last, items, version)
        # Report what was just committed before any optional write-back, so a failure
        # there can never leave stored messages unreported.
        for (uid, _key, p, _t), row_id in zip(items, row_ids, strict=True):
            if row_id is None:
                summary.skipped += 1
                continue
            summary.new += 1
            setattr(summary, p.verdict, getattr(summary, p.verdict) + 1)
            yield Scanned(account.name, folder, uid, row_id, p)
        if account.tag:
            try:
                _write_keywords(session, items)
            except FetchError as exc:
                summary.failures = (summary.failures or []) + [f"keywords not set: {exc}"]
                if isinstance(exc, TransientError):
                    raise
        if account.drafts:
            _save_drafts(session, account, [p for (_u, _k, p, _t), rid in zip(items, row_ids, strict=True)
                                            if rid is not None and p.verdict != "not_lead"], summary)
        if account.move_toxic:
            # Last, after keywords and drafts: the moved messages leave this folder.
            try:
                # New messages only: one the user dragged back is known, and stays where they put it.
                session.move([u for (u, _k, p, _t), rid in zip(items, row_ids, strict=True)
                              if rid is not None and p.verdict == "toxic"], account.move_toxic)
            except FetchError as exc:
                summary.failures = (summary.failures or []) + [f"toxic leads not moved: {exc}"]
                if isinstance(exc, TransientError):
                    raise


def _write_keywords(session, items) -> None:
    """Opt-in write-back: $TriageWarm / $TriageToxic / $TriageNotLead, never \\Seen, never deletes."""
    from triage.drafts import KEYWORDS

    by_verdict: dict[str, list[int]] = {}
    for uid, _key, p, _t in items:
        by_verdict.setdefault(p.verdict, []).append(uid)
    for verdict, uids in by_verdict.items():
        session.add_keywords(uids, KEYWORDS[verdict])


def _save_drafts(session, account, preds: list[Prediction], summary: ScanSummary) -> None:
    """Opt-in reply drafts, APPENDed with \\Draft to the Drafts folder: never sent."""
    from triage.drafts import compose_reply
    from triage.errors import FetchError
    from triage.report import lead_from_prediction

    if not preds:
        return
    folder = session.drafts_folder()
    for p in preds:
        try:
            msg = compose_reply(lead_from_prediction(p), account.username)
        except ValueError:  # a header the email package refuses to write back
            continue
        if msg is None:
            continue
        try:
            session.append_draft(folder, msg.as_bytes())
        except (FetchError, ValueError) as exc:
            summary.failures = (summary.failures or []) + [f"draft not saved: {exc}"]
            return


def watch(settings, scorer: Scorer, *, should_stop, account_name: str | None = None,
          summary: ScanSummary | None = None, session_factory=None) -> Generator[object, None, None]:
    """Scan now, then whenever a folder has news (IMAP IDLE, or polling where the server
    has none), until ``should_stop()`` is true. Yields what `scan` yields, plus
    ``triage.watch.Notice`` lines (reconnects, fallbacks) and ``CycleDone`` markers."""
    from triage.errors import ConfigError
    from triage.watch import Watch

    accounts = [settings.account(account_name)] if account_name else list(settings.accounts)
    if not accounts:
        raise ConfigError(f"{settings.path}: no [[accounts]] configured")
    summary = summary if summary is not None else ScanSummary()
    summary.failures = summary.failures or []
    return Watch(settings, scorer, accounts, summary=summary, should_stop=should_stop,
                 session_factory=session_factory).run()


@dataclass(frozen=True)
class Learned:
    row_id: int
    verdict: str
    source: str
    replaced: dict | None


def learn(settings, *, account_name: str | None = None) -> Iterator[Learned]:
    """Labels the user gave in their mail client: messages moved into the account's
    ``learn_folders``, or given a $Triage* keyword that differs from triage's verdict.
    Matched back to stored messages by Message-ID; messages without one cannot be learned."""
    from triage.drafts import VERDICT_OF_KEYWORD
    from triage.sources.imap import ImapSession
    from triage.store import Store

    accounts = [settings.account(account_name)] if account_name else list(settings.accounts)
    with Store(settings.store_path) as store:
        for account in accounts:
            with ImapSession(account) as session:
                seen: set[int] = set()
                for verdict, folder in account.learn_folders.items():
                    if not session.folder_exists(folder):
                        continue
                    session.select(folder)
                    for _uid, (mid, _flags) in session.message_ids().items():
                        row = store.find(account.name, "mid:" + mid.lower()) if mid else None
                        if row is None or row["id"] in seen:
                            continue
                        seen.add(row["id"])
                        if row["label"] != verdict:
                            old = store.set_label(row["id"], verdict, ())
                            yield Learned(row["id"], verdict, f"moved to {folder}", old)
                for folder in account.folders:
                    session.select(folder)
                    for _uid, (mid, flags) in session.message_ids().items():
                        row = store.find(account.name, "mid:" + mid.lower()) if mid else None
                        if row is None or row["id"] in seen:
                            continue
                        marked = [VERDICT_OF_KEYWORD[f.lower()] for f in flags if f.lower() in VERDICT_OF_KEYWORD]
                        # Our own write-back sets the keyword of triage's verdict; a different
                        # one is the user's correction.
                        mine = [v for v in marked if v != row["verdict"]]
                        if mine and row["label"] != mine[0]:
                            seen.add(row["id"])
                            old = store.set_label(row["id"], mine[0], ())
                            yield Learned(row["id"], mine[0], f"keyword in {folder}", old)


# ---------------------------------------------------------------- report and digest

def report_leads(settings, since: str | None = None) -> list[dict]:
    from triage.report import lead_from_row
    from triage.store import Store

    with Store(settings.store_path) as store:
        return [with_rates(lead_from_row(r), settings.rates) for r in store.messages(since)]


def with_rates(lead: dict, rates: Rates | None) -> dict:
    """A stored lead with its budget note against the *current* [rates] (the stored score keeps
    the shift made when it was scored); unchanged when no [rates] is configured."""
    from triage.report import rates_fields

    if rates is None:
        return lead
    return lead | rates_fields(rates_note(lead["verdict"], lead["details"], rates))


@dataclass(frozen=True)
class DigestResult:
    sent: bool
    leads: int
    reason: str
    message: object | None = None


def digest(settings, *, dry_run: bool = False, force: bool = False, send_empty: bool = False) -> DigestResult:
    """Send at most one digest a day of the leads not yet digested; mark them only
    once the server has accepted the message."""
    from triage.digest import compose, send, today
    from triage.errors import ConfigError
    from triage.report import lead_from_row
    from triage.store import Store

    if settings.smtp is None:
        raise ConfigError(f"{settings.path}: missing table [smtp] (needed by digest)")
    from triage.store import digest_lock

    day = today()
    with digest_lock(settings.store_path), Store(settings.store_path) as store:
        rows = store.pending_digest()
        leads = [with_rates(lead_from_row(r), settings.rates) for r in rows]
        if not dry_run and not force and store.digest_sent_on(day):
            return DigestResult(False, len(leads), f"a digest was already sent today ({day}); use --force")
        if not leads and not send_empty:
            return DigestResult(False, 0, "no new leads since the last digest; nothing sent")
        msg = compose(leads, settings.smtp, day)
        if dry_run:
            return DigestResult(False, len(leads), "dry run: not sent", msg)
        send(msg, settings.smtp)
        store.mark_digested([r["id"] for r in rows], day)
    return DigestResult(True, len(leads), f"sent to {settings.smtp.to}", msg)


# ---------------------------------------------------------------- labels and doctor

@dataclass(frozen=True)
class LabelResult:
    row_id: int
    verdict: str
    flags: tuple[str, ...]
    replaced: dict | None


def label(settings, row_id: int, verdict: str, flags: Iterable[str] = ()) -> LabelResult:
    """Record the user's correction; a contradicting earlier label is replaced (and reported)."""
    from triage.errors import UsageError
    from triage.store import Store
    from triage.taxonomy import FLAGS, VERDICTS

    flags = tuple(dict.fromkeys(flags))
    if verdict not in VERDICTS:
        raise UsageError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    unknown = [f for f in flags if f not in FLAGS]
    if unknown:
        raise UsageError(f"unknown flag {unknown[0]!r}; flags are: {', '.join(FLAGS)}")
    if flags and verdict != "toxic":
        raise UsageError("flags go with the verdict toxic only")
    with Store(settings.store_path) as store:
        old = store.set_label(row_id, verdict, flags)
    return LabelResult(row_id, verdict, flags, old)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    status: int = 0  # the exit status this failure maps to


def doctor(config_path: str | None, model_dir: str | None = None) -> Iterator[Check]:
    """Check config, store, model, then each account: reachability, login, folders."""
    from triage.errors import TriageError
    from triage.sources.imap import ImapSession

    try:
        from triage.config import load_settings

        settings = load_settings(config_path)
    except TriageError as exc:
        yield Check("config", False, str(exc), exc.exit_status)
        return
    yield Check("config", True, f"{settings.path}: {len(settings.accounts)} account(s)")
    try:
        from triage.store import Store

        with Store(settings.store_path) as store:
            yield Check("store", True, f"{settings.store_path}: schema {store.schema_version}, "
                                       f"{store.count()} messages")
    except TriageError as exc:
        yield Check("store", False, str(exc), exc.exit_status)
    try:
        scorer = load_scorer(model_dir, settings=settings)
        if scorer.notice:
            yield Check("your model", False, scorer.notice)
        yield Check("model", True, scorer.version if scorer.model is not None else
                    "no model installed; rules only")
    except TriageError as exc:
        yield Check("model", False, str(exc), exc.exit_status)
    for account in settings.accounts:
        name = f"account {account.name}"
        try:
            with ImapSession(account) as session:
                yield Check(name, True, f"{account.host}:{account.port} ({account.security}), logged in")
                for folder in account.folders:
                    try:
                        session.select(folder)
                        yield Check(f"{name} folder {folder}", True, "selectable (read-only)")
                    except TriageError as exc:
                        yield Check(f"{name} folder {folder}", False, str(exc), exc.exit_status)
        except TriageError as exc:
            yield Check(name, False, str(exc), exc.exit_status)
