"""`triage watch` against a real Dovecot: new mail reported while idling, a server
restart survived, polling where IDLE is missing, the scan lock shared with `scan`,
a clean stop on SIGTERM/SIGINT. Time bounds below are functional limits (a hung
watch fails instead of blocking the suite), never speed targets."""

from __future__ import annotations

import json
import os
import queue as _queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from triage.config import Watch as WatchOptions
from triage.config import parse_settings
from triage.errors import AuthError, BusyError, ConfigError, FetchError
from triage.sources.imap import TransientError
from triage.store import Store, scan_lock
from triage.watch import FolderWatcher, Notice, _Fatal, _News, backoff

from . import servers
from .conftest import ROOT, require
from .test_scan_imap import PW_ENV, append, flags_of, fresh_message, samples, scan, write_config

START = 240  # seconds for watch to load the model, scan what is there and start idling
ARRIVE = 60  # seconds for a message appended while watch idles to be reported
NO_IDLE = ("imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE NAMESPACE "
           "UIDPLUS CHILDREN UNSELECT SPECIAL-USE\n")


def _own_dovecot(extra_conf: str = ""):
    require(shutil.which("dovecot") is not None, "dovecot is not installed (Debian package dovecot-imapd)")
    require(os.geteuid() == 0, "the Dovecot fixture needs root to hand mail to uid 65534")
    return servers.start_dovecot(extra_conf)


@pytest.fixture()
def own_dovecot():
    """A Dovecot of this test's own, since the test restarts it."""
    server = _own_dovecot()
    yield server
    servers.remove(server)


@pytest.fixture()
def no_idle_dovecot():
    server = _own_dovecot(NO_IDLE)
    yield server
    servers.remove(server)


def new_folder(server) -> str:
    name = f"W{uuid.uuid4().hex[:10]}"
    c = server.client()
    c.create_folder(name)
    c.logout()
    return name


def watch_config(tmp_path: Path, server, folder: str, **watch_opts) -> Path:
    cfg = write_config(tmp_path, server, folder)
    opts = {"backoff_max": 2, **watch_opts}
    with cfg.open("a") as f:
        f.write("\n[watch]\n" + "".join(f"{k} = {v}\n" for k, v in opts.items()))
    return cfg


class Watching:
    """`triage watch --format jsonl` in a subprocess, its output collected as it comes."""

    def __init__(self, cfg: Path, password: str = servers.PASSWORD) -> None:
        env = dict(os.environ, **{PW_ENV: password})
        self.proc = subprocess.Popen([sys.executable, "-m", "triage", "watch", "--config", str(cfg),
                                      "--format", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=ROOT)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(s, dest), daemon=True)
                         for s, dest in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self._readers:
            t.start()

    @staticmethod
    def _read(stream, dest: list[str]) -> None:
        for line in iter(stream.readline, b""):
            dest.append(line.decode("utf-8", "replace"))

    def records(self) -> list[dict]:
        return [json.loads(x) for x in list(self.out) if x.strip()]

    def stderr(self) -> str:
        return "".join(self.err)

    def wait_for(self, what: str, check, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if self.proc.poll() is not None:
                time.sleep(0.2)  # let the readers drain
                if check():
                    return
                pytest.fail(f"watch exited ({self.proc.returncode}) before {what}: {self.stderr()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {timeout} s; stderr: {self.stderr()[-2000:]}")
            time.sleep(0.1)

    def wait_subject(self, subject: str, timeout: float = ARRIVE) -> None:
        self.wait_for(f"record for {subject!r}", lambda: any(r["subject"] == subject for r in self.records()),
                      timeout)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        for t in self._readers:
            t.join(timeout=10)
        return code


def test_reports_mail_while_idling_and_survives_a_server_restart(own_dovecot, tmp_path):
    folder = new_folder(own_dovecot)
    append(own_dovecot, folder, samples(3), seen={1})
    w = Watching(watch_config(tmp_path, own_dovecot, folder))
    try:
        w.wait_for("IDLE", lambda: "waiting for new mail (IDLE)" in w.stderr(), START)
        assert len(w.records()) == 3, "the initial scan reports what arrived while watch was down"

        append(own_dovecot, folder, [fresh_message("while idling")])
        w.wait_subject("while idling")

        own_dovecot.restart()
        w.wait_for("reconnect", lambda: "reconnected" in w.stderr(), ARRIVE)
        append(own_dovecot, folder, [fresh_message("after the restart")], seen={0})
        w.wait_subject("after the restart")
    finally:
        code = w.stop()
    err = w.stderr()
    assert code == 0, err
    assert "Traceback" not in err and servers.PASSWORD not in err
    assert "reconnecting in" in err, "the dropped connection is said on stderr"
    assert err.rstrip().splitlines()[-1].startswith("watch: stopped; 5 new")
    recs = w.records()
    assert [r["subject"] for r in recs].count("while idling") == 1
    assert [r["subject"] for r in recs].count("after the restart") == 1
    assert len({r["uid"] for r in recs}) == len(recs) == 5
    assert all(r["folder"] == folder and r["account"] == "test" for r in recs)
    with Store(tmp_path / "triage.db") as store:
        assert store.count() == 5
    flags = flags_of(own_dovecot, folder)
    assert sorted(b"\\Seen" in f for f in flags.values()) == [False, False, False, True, True], \
        "watch never changes \\Seen"


def test_polls_where_the_server_has_no_idle_and_stops_on_sigint(no_idle_dovecot, tmp_path):
    c = no_idle_dovecot.client()
    assert b"IDLE" not in c.capabilities(), "the fixture must really lack IDLE"
    c.logout()
    folder = new_folder(no_idle_dovecot)
    w = Watching(watch_config(tmp_path, no_idle_dovecot, folder, poll_interval=1))
    try:
        w.wait_for("polling notice", lambda: "has no IDLE; scanning every 1 s" in w.stderr(), START)
        append(no_idle_dovecot, folder, [fresh_message("found by polling")])
        w.wait_subject("found by polling")
    finally:
        code = w.stop(signal.SIGINT)
    assert code == 0, w.stderr()
    assert [r["subject"] for r in w.records()] == ["found by polling"]
    assert "Traceback" not in w.stderr() and "watch: stopped; 1 new" in w.stderr()


@contextmanager
def _lock_when_free(store_path: Path, within: float):
    end = time.monotonic() + within
    while True:
        try:
            lock = scan_lock(store_path)
            lock.__enter__()
            break
        except BusyError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def test_takes_turns_with_scan_under_the_scan_lock(dovecot, folder, tmp_path):
    cfg = watch_config(tmp_path, dovecot, folder)
    w = Watching(cfg)
    try:
        w.wait_for("IDLE", lambda: "waiting for new mail (IDLE)" in w.stderr(), START)
        # An idle watch holds no lock between cycles: a cron scan takes it beside it. (When its
        # IDLE starts, watch scans once for what came before; that cycle holds the lock, and on
        # a loaded machine it can still run here.) The mail arrives while the scan holds the
        # lock; appended before, the watch could wake and take the lock first.
        with _lock_when_free(tmp_path / "triage.db", ARRIVE):
            append(dovecot, folder, [fresh_message("for whoever is first")])
            w.wait_for("busy notice", lambda: "another triage scan is running" in w.stderr(), ARRIVE)
            assert w.records() == [], "nothing is stored while another scan holds the lock"
        w.wait_subject("for whoever is first")
        res = scan(cfg)
        assert res.returncode == 0, res.stderr.decode()
        assert res.stdout.decode().strip() == "", "what watch stored, scan does not store again"
    finally:
        code = w.stop()
    assert code == 0, w.stderr()
    with Store(tmp_path / "triage.db") as store:
        assert store.count() == 1


def test_a_silent_network_drop_is_noticed_and_nothing_is_lost(dovecot, folder, tmp_path):
    proxy = servers.DroppingProxy(dovecot.port)
    try:
        cfg = write_config(tmp_path, dovecot, folder, port=proxy.port)
        with cfg.open("a") as f:
            f.write("\n[watch]\nbackoff_max = 2\n")
        w = Watching(cfg)
        try:
            w.wait_for("IDLE", lambda: "waiting for new mail (IDLE)" in w.stderr(), START)
            proxy.drop()  # no BYE: the connection just ends
            w.wait_for("reconnect", lambda: "reconnected" in w.stderr(), ARRIVE)
            append(dovecot, folder, [fresh_message("after the drop")])
            w.wait_subject("after the drop")
        finally:
            code = w.stop()
    finally:
        proxy.close()
    assert code == 0, w.stderr()
    assert "connection lost" in w.stderr() and "Traceback" not in w.stderr()
    assert [r["subject"] for r in w.records()] == ["after the drop"]


def test_idles_over_tls(dovecot, folder, tmp_path):
    cfg = write_config(tmp_path, dovecot, folder, security="tls", ca_file=str(dovecot.ca_file))
    w = Watching(cfg)
    try:
        w.wait_for("IDLE", lambda: "waiting for new mail (IDLE)" in w.stderr(), START)
        append(dovecot, folder, [fresh_message("over TLS")])
        w.wait_subject("over TLS")
    finally:
        code = w.stop()
    assert code == 0, w.stderr()
    assert [r["subject"] for r in w.records()] == ["over TLS"]


def _run_watch(cfg: Path, password: str = servers.PASSWORD) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{PW_ENV: password})
    return subprocess.run([sys.executable, "-m", "triage", "watch", "--config", str(cfg)],
                          capture_output=True, env=env, cwd=ROOT, timeout=START)


def test_wrong_password_exit_3_and_never_shown(dovecot, folder, tmp_path):
    wrong = "Wr0ng-Secret-Value-456"
    res = _run_watch(watch_config(tmp_path, dovecot, folder), wrong)
    assert res.returncode == 3
    out = res.stdout.decode() + res.stderr.decode()
    assert wrong not in out and servers.PASSWORD not in out
    assert "refused the login" in out and "Traceback" not in out


def test_unreachable_at_start_exit_1(dovecot, folder, tmp_path):
    cfg = write_config(tmp_path, dovecot, folder, port=servers.free_port())
    res = _run_watch(cfg)
    assert res.returncode == 1
    err = res.stderr.decode()
    assert "cannot connect" in err and "Traceback" not in err and err.count("\n") == 1


# ---------------------------------------------------------------- without a server

@pytest.mark.parametrize("cap", [2.0, 60.0, 300.0])
def test_backoff_doubles_up_to_the_cap_with_jitter(cap):
    rng = random.Random(7)
    for attempt in range(1, 15):
        ceiling = min(cap, 2.0 ** (attempt - 1))
        d = backoff(attempt, cap, rng)
        assert ceiling / 2 <= d <= ceiling
    assert len({round(backoff(9, cap, random.Random(s)), 6) for s in range(5)}) > 1, "jittered"


def _settings(watch: dict | None = None):
    raw = {"accounts": [{"name": "a", "host": "127.0.0.1", "username": "u", "password_env": "X"}]}
    if watch is not None:
        raw["watch"] = watch
    return parse_settings(raw, Path("c.toml"))


def test_watch_options_default_and_bounds():
    assert _settings().watch == WatchOptions(idle_renew=1500.0, poll_interval=300.0, backoff_max=300.0)
    assert _settings({"idle_renew": 60, "poll_interval": 5}).watch.idle_renew == 60.0
    with pytest.raises(ConfigError, match=r"c.toml: \[watch\]: key 'idle_renew' must be between 1 and 1740"):
        _settings({"idle_renew": 1800})  # RFC 2177: the server may drop us at 30 minutes
    with pytest.raises(ConfigError, match="unknown key 'poll'"):
        _settings({"poll": 5})
    with pytest.raises(ConfigError, match="'backoff_max' must be"):
        _settings({"backoff_max": True})


class FakeSession:
    """Stands in for ImapSession: a scripted server with or without IDLE."""

    def __init__(self, log: list, *, idle: bool = True, clock=None, fail_wait: Exception | None = None) -> None:
        self.log, self.idle, self.clock, self.fail_wait = log, idle, clock, fail_wait

    def __enter__(self):
        self.log.append("login")
        return self

    def __exit__(self, *exc):
        self.log.append("logout")

    def select(self, folder, *, writable=False):
        assert not writable, "the watcher only listens"
        return 1

    def has_idle(self):
        return self.idle

    def idle_start(self):
        self.log.append("IDLE")

    def idle_stop(self):
        self.log.append("DONE")
        return False

    def idle_wait(self, timeout):
        if self.fail_wait is not None:
            raise self.fail_wait
        if self.clock is not None:
            self.clock.now += timeout  # fake time: the renewal logic runs in microseconds
        else:
            time.sleep(min(timeout, 0.01))
        return False


class FakeClock:
    now = 0.0

    def __call__(self):
        return self.now


def _account():
    return _settings().accounts[0]


def _run(watcher: FolderWatcher, events: _queue.Queue, until, timeout: float = 20) -> list:
    got: list = []
    watcher.start()
    deadline = time.monotonic() + timeout
    while not until(got) and time.monotonic() < deadline:
        try:
            got.append(events.get(timeout=0.1))
        except _queue.Empty:
            pass
    watcher.stop.set()
    watcher.join(timeout=10)
    assert not watcher.is_alive()
    while not events.empty():
        got.append(events.get())
    return got


def test_watcher_polls_where_the_server_has_no_idle():
    log: list = []
    events: _queue.Queue = _queue.Queue()
    w = FolderWatcher(_account(), "INBOX", WatchOptions(poll_interval=0.01), events.put, threading.Event(),
                      lambda a: FakeSession(log, idle=False))
    got = _run(w, events, lambda g: sum(isinstance(e, _News) for e in g) >= 3)
    assert "IDLE" not in log and log[:2] == ["login", "logout"], "no connection is held just to poll"
    assert Notice("watch: a/INBOX: the server has no IDLE; scanning every 0.01 s") in got
    assert sum(isinstance(e, _News) for e in got) >= 3


def test_watcher_renews_idle_before_the_server_limit():
    log: list = []
    clock = FakeClock()
    events: _queue.Queue = _queue.Queue()
    w = FolderWatcher(_account(), "INBOX", WatchOptions(idle_renew=1500), events.put, threading.Event(),
                      lambda a: FakeSession(log, clock=clock), clock=clock, tick=60)
    got = _run(w, events, lambda g: log.count("IDLE") >= 3)
    assert clock.now >= 2 * 1500
    starts = [i for i, x in enumerate(log) if x == "IDLE"]
    assert all(log[i - 1] in ("DONE", "login") for i in starts), "each IDLE follows a DONE (or the login)"
    assert log[-2:] == ["DONE", "logout"], "a stop ends IDLE, then logs out"
    assert sum(isinstance(e, _News) for e in got) >= 3, "after the connect and at each renewal"


def test_watcher_reconnects_with_backoff_and_says_so():
    log: list = []
    script = iter([TransientError("account 'a': connection lost while idling (EOF)"),
                   FetchError("account 'a' (127.0.0.1:143): cannot connect (Connection refused)")])

    def factory(_account):
        step = next(script, None)
        if isinstance(step, FetchError) and not isinstance(step, TransientError):
            raise step
        return FakeSession(log, fail_wait=step)

    events: _queue.Queue = _queue.Queue()
    w = FolderWatcher(_account(), "INBOX", WatchOptions(backoff_max=0.05), events.put, threading.Event(), factory)
    got = _run(w, events, lambda g: Notice("watch: a/INBOX: reconnected") in g)
    texts = [e.text for e in got if isinstance(e, Notice)]
    assert [t for t in texts if "reconnecting in" in t] == [
        "watch: a/INBOX: account 'a': connection lost while idling (EOF); reconnecting in 0 s",
        "watch: a/INBOX: account 'a' (127.0.0.1:143): cannot connect (Connection refused); reconnecting in 0 s"]
    assert texts.index("watch: a/INBOX: reconnected") > 1


def test_a_refused_login_on_reconnect_ends_watch():
    events: _queue.Queue = _queue.Queue()

    def factory(_account):
        raise AuthError("account 'a' (h:993): the server refused the login for u (AUTHENTICATIONFAILED)")

    w = FolderWatcher(_account(), "INBOX", WatchOptions(), events.put, threading.Event(), factory)
    got = _run(w, events, lambda g: any(isinstance(e, _Fatal) for e in g))
    assert [type(e.error) for e in got if isinstance(e, _Fatal)] == [AuthError]
