"""`triage watch`: listen on every configured folder, scan it when news comes.

The shape, and why:
- One ``FolderWatcher`` thread per folder holds its own connection in IMAP IDLE
  (RFC 2177), or, where the server lacks IDLE, just a timer. Watchers only
  listen: they post "this folder has news" to a queue.
- Every fetch, score and store happens in the thread that iterates
  ``Watch.run()``, through the same ``_scan_folder`` that `scan` uses, on a
  connection opened per scan cycle. So the model and the SQLite store are used
  by one thread, and watch stores, reports and writes back exactly as scan does.
- The scan lock is held per cycle, not for the life of watch: a cron `scan`
  and a running watch take turns, and neither stores a message twice.
- Losing nothing: a watcher posts news right after each (re)connect, so mail
  that arrived while it was not idling is scanned; the server announces
  anything after that; and each IDLE renewal scans too, as a safety net.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from triage.config import Account, Settings
from triage.config import Watch as WatchOptions
from triage.errors import AuthError, BusyError, ConfigError, FetchError

TICK = 0.5  # seconds: how often a waiting thread looks at the stop flag
BUSY_RETRY = 5.0  # seconds before trying again when another scan holds the lock


@dataclass(frozen=True)
class Notice:
    """One plain line for the person running watch: reconnects, fallbacks, failures."""

    text: str


BUSY_NOTICE = Notice("watch: another triage scan is running; waiting for it to finish")


@dataclass(frozen=True)
class CycleDone:
    """A scan cycle ended, having stored ``new`` messages (table output prints here)."""

    new: int


@dataclass(frozen=True)
class _News:
    account: str
    folder: str


@dataclass(frozen=True)
class _Fatal:
    error: BaseException


def backoff(attempt: int, cap: float, rng: random.Random | None = None, base: float = 1.0) -> float:
    """Seconds to wait before reconnect attempt ``attempt`` (1, 2, ...): doubling from
    ``base`` up to ``cap``, with jitter so that folders (and clients, after a server
    restart) do not all knock at the same instant."""
    ceiling = min(cap, base * 2 ** min(attempt - 1, 30))
    return ceiling * (rng or random).uniform(0.5, 1.0)


class FolderWatcher(threading.Thread):
    """Listens on one folder and posts ``_News`` when it may hold new mail."""

    def __init__(self, account: Account, folder: str, options: WatchOptions, post: Callable[[object], None],
                 stop: threading.Event, session_factory, *, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic, tick: float = TICK) -> None:
        super().__init__(name=f"watch {account.name}/{folder}", daemon=True)
        self.account, self.folder, self.options = account, folder, options
        self.post, self.stop, self.session_factory = post, stop, session_factory
        self.rng, self.clock, self.tick = rng or random.Random(), clock, tick
        self.where = f"{account.name}/{folder}"
        self.mode: str | None = None  # "idle" or "poll", once decided

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # a refused login, or a bug: end watch rather than go deaf on a folder
            self.post(_Fatal(exc))

    def _news(self) -> None:
        self.post(_News(self.account.name, self.folder))

    def _run(self) -> None:
        failures = 0
        while not self.stop.is_set():
            try:
                with self.session_factory(self.account) as session:
                    session.select(self.folder)
                    if failures:
                        self.post(Notice(f"watch: {self.where}: reconnected"))
                        failures = 0
                    if not session.has_idle():
                        self.mode = "poll"
                    else:
                        session.idle_start()
                        # Whatever arrived while we were not idling: the server only
                        # announces what comes after this point.
                        self._news()
                        if self.mode is None:
                            self.post(Notice(f"watch: {self.where}: waiting for new mail (IDLE)"))
                        self.mode = "idle"
                        self._idle(session)
                if self.mode == "poll":
                    self.post(Notice(f"watch: {self.where}: the server has no IDLE; scanning every "
                                     f"{self.options.poll_interval:g} s"))
                    self._poll()
                    return
            except AuthError:
                raise
            except (ConfigError, FetchError) as exc:
                # A secret command failing after watch has run (a locked keyring, a token
                # service down) is retried like the network; at start it is the user's to fix.
                if isinstance(exc, ConfigError) and self.mode is None:
                    raise
                if self.stop.is_set():
                    return
                failures += 1
                delay = backoff(failures, self.options.backoff_max, self.rng)
                self.post(Notice(f"watch: {self.where}: {exc}; reconnecting in {delay:.0f} s"))
                self.stop.wait(delay)

    def _idle(self, session) -> None:
        started = self.clock()
        while True:
            if self.stop.is_set():
                session.idle_stop()  # DONE, so the logout that follows is clean
                return
            left = self.options.idle_renew - (self.clock() - started)
            if left <= 0:
                # Re-issue IDLE before the server's 30-minute inactivity limit; a renewal
                # also scans, which catches anything a broken notification may have hidden.
                session.idle_stop()
                session.idle_start()
                started = self.clock()
                self._news()
                continue
            if session.idle_wait(min(self.tick, left)):
                self._news()

    def _poll(self) -> None:
        while not self.stop.wait(self.options.poll_interval):
            self._news()


class Watch:
    """The use case: an initial scan, then a scan of each folder whenever it has news."""

    def __init__(self, settings: Settings, scorer, accounts: list[Account], *, summary,
                 should_stop: Callable[[], bool], session_factory=None, rng: random.Random | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 tick: float = TICK) -> None:
        from triage.sources.imap import ImapSession

        self.settings, self.scorer, self.accounts, self.summary = settings, scorer, accounts, summary
        self.should_stop = should_stop
        self.session_factory = session_factory or ImapSession
        self.rng, self.clock, self.sleep, self.tick = rng or random.Random(), clock, sleep, tick
        self.events: queue.Queue = queue.Queue()
        self.stop_event = threading.Event()
        self.watchers: list[FolderWatcher] = []
        self.store = None

    def stopping(self) -> bool:
        # should_stop is a plain flag set by a signal handler; the Event is for the threads.
        if not self.stop_event.is_set() and self.should_stop():
            self.stop_event.set()
        return self.stop_event.is_set()

    def run(self) -> Generator[object, None, None]:
        """Yields Scanned (as scan does), Notice and CycleDone until ``should_stop()``."""
        from triage.store import Store

        if self.stopping():
            return
        with Store(self.settings.store_path) as store:
            self.store = store
            try:
                yield from self._initial()
                if self.stopping():
                    return
                for account in self.accounts:
                    for folder in account.folders:
                        w = FolderWatcher(account, folder, self.settings.watch, self.events.put, self.stop_event,
                                          self.session_factory, rng=self.rng, clock=self.clock, tick=self.tick)
                        self.watchers.append(w)
                        w.start()
                yield from self._loop()
            finally:
                self._stop_watchers()

    def _stop_watchers(self) -> None:
        self.stop_event.set()
        deadline = self.clock() + 10
        for w in self.watchers:
            # A watcher stuck in a connect or logout times out on its own (account timeout);
            # it is a daemon thread, so waiting longer than this gains nothing.
            w.join(timeout=max(0.0, deadline - self.clock()))

    def _nap(self, seconds: float) -> None:
        end = self.clock() + seconds
        while not self.stopping() and self.clock() < end:
            self.sleep(min(self.tick, end - self.clock()))

    def _initial(self) -> Iterator[object]:
        """Everything that came while watch was not running, failing as `scan` fails:
        a refused login is fatal (3), an unreachable server or folder too (1)."""
        from triage.sources.imap import TransientError, retry_delay

        for account in self.accounts:
            attempt, busy_said = 0, False
            while not self.stopping():
                before = self.summary.new
                try:
                    yield from self._cycle(account, list(account.folders), [])
                except BusyError:
                    if not busy_said:
                        yield BUSY_NOTICE
                        busy_said = True
                    self._nap(BUSY_RETRY)
                    continue
                except TransientError as exc:
                    attempt += 1
                    if attempt > account.retries:
                        raise FetchError(f"{exc} (gave up after {account.retries} retries)") from exc
                    self._nap(retry_delay(attempt))
                    continue
                yield from self._failures()
                yield CycleDone(self.summary.new - before)
                break

    def _cycle(self, account: Account, folders: list[str], done: list[str]) -> Generator[object, None, None]:
        """Scan ``folders`` of one account under the scan lock; finished ones go into ``done``."""
        from triage.service import _scan_folder
        from triage.store import scan_lock

        with scan_lock(self.settings.store_path), self.session_factory(account) as session:
            for folder in folders:
                if self.stopping():
                    return
                yield from _scan_folder(session, self.store, account, folder, self.scorer, self.scorer.version,
                                        self.summary, stop=self.stopping)
                done.append(folder)

    def _failures(self) -> Iterator[Notice]:
        # Write-back failures (keywords, drafts) do not stop watch; say them and go on.
        for f in self.summary.failures or []:
            yield Notice(f"watch: {f}")
        self.summary.failures = []

    def _loop(self) -> Iterator[object]:
        due: dict[tuple[str, str], float] = {}
        attempts: dict[str, int] = {}
        busy_said = False
        while not self.stopping():
            wait = self.tick if not due else max(0.0, min(self.tick, min(due.values()) - self.clock()))
            try:
                event = self.events.get(timeout=wait) if wait > 0 else self.events.get_nowait()
            except queue.Empty:
                event = None
            while event is not None:
                if isinstance(event, _Fatal):
                    raise event.error
                if isinstance(event, Notice):
                    yield event
                elif isinstance(event, _News):
                    due[(event.account, event.folder)] = self.clock()  # news beats a pending retry
                try:
                    event = self.events.get_nowait()
                except queue.Empty:
                    event = None
            now = self.clock()
            for account in self.accounts:
                folders = [f for f in account.folders if due.get((account.name, f), now + 1) <= now]
                if not folders or self.stopping():
                    continue
                for f in folders:
                    del due[(account.name, f)]
                before, done = self.summary.new, []
                try:
                    yield from self._cycle(account, folders, done)
                except BusyError:
                    if not busy_said:
                        yield BUSY_NOTICE
                        busy_said = True
                    for f in folders:
                        due[(account.name, f)] = self.clock() + BUSY_RETRY
                    continue
                except FetchError as exc:
                    attempts[account.name] = attempts.get(account.name, 0) + 1
                    delay = backoff(attempts[account.name], self.settings.watch.backoff_max, self.rng)
                    yield Notice(f"watch: {exc}; scanning {account.name} again in {delay:.0f} s")
                    for f in folders:
                        if f not in done:
                            due[(account.name, f)] = self.clock() + delay
                    yield from self._failures()
                    continue
                busy_said = False
                attempts.pop(account.name, None)
                yield from self._failures()
                yield CycleDone(self.summary.new - before)
