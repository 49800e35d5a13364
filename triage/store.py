"""The only SQL: a SQLite store of folders' sync state and scored messages.

State is committed per batch together with the messages of that batch, so a
crash or a dropped connection resumes where it stopped: nothing lost, nothing
stored twice (a UNIQUE key on account/folder/uidvalidity/uid, and on
account/message-id for a UIDVALIDITY resync). The schema carries a version;
``MIGRATIONS`` upgrade older files in place.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from triage.errors import BusyError, StoreError
from triage.types import Prediction

SCHEMA_VERSION = 2
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE folders (
        account     TEXT NOT NULL,
        folder      TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid    INTEGER NOT NULL DEFAULT 0,
        synced_at   TEXT,
        PRIMARY KEY (account, folder)
    );
    CREATE TABLE messages (
        id            INTEGER PRIMARY KEY,
        account       TEXT NOT NULL,
        folder        TEXT NOT NULL,
        uidvalidity   INTEGER NOT NULL,
        uid           INTEGER NOT NULL,
        message_id    TEXT,
        dedupe_key    TEXT NOT NULL,
        sender        TEXT,
        subject       TEXT,
        date          TEXT,
        headers_json  TEXT,
        body          TEXT,
        truncated     INTEGER NOT NULL DEFAULT 0,
        lang          TEXT,
        verdict       TEXT,
        score         REAL,
        flags_json    TEXT,
        missing_json  TEXT,
        details_json  TEXT,
        model_version TEXT,
        scored_at     TEXT NOT NULL,
        label         TEXT,
        label_flags_json TEXT,
        digested_at   TEXT,
        UNIQUE (account, folder, uidvalidity, uid),
        UNIQUE (account, dedupe_key)
    );
    CREATE INDEX messages_scored ON messages (scored_at);
    """,
    2: """
    CREATE TABLE digests (
        id       INTEGER PRIMARY KEY,
        day      TEXT NOT NULL,
        sent_at  TEXT NOT NULL,
        leads    INTEGER NOT NULL
    );
    """,
}


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    last_uid: int


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _make_private(path: Path) -> None:
    """Take group and other permissions off an existing store of ours and its WAL and
    shared-memory files: one made before stores were private, or copied in under a umask
    of 022, would otherwise go on showing every client's mail to other local users. The
    owner's own bits stay, so a store made read-only still opens read-only."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            st = p.stat()
            if st.st_uid == os.getuid() and st.st_mode & 0o077:
                os.chmod(p, st.st_mode & 0o700)
        except OSError:
            pass  # absent, or not ours to change: it opens as it is


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            # The store holds every client's mail: a new one is the user's alone (SQLite
            # gives its WAL and shared-memory files the database file's mode).
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                try:
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                except FileExistsError:
                    pass  # another command created it a moment ago
            else:
                _make_private(self.path)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        self.db.row_factory = sqlite3.Row
        try:
            _enable_wal(self.db)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a triage store ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer triage (schema {version}); upgrade triage")
        for v in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                # Read again under the write lock: two commands opening a new store at once
                # both saw version 0, and the second must not migrate again. Statement by
                # statement, because executescript() would commit the lock away first.
                if self.db.execute("PRAGMA user_version").fetchone()[0] >= v:
                    continue
                for statement in MIGRATIONS[v].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={v}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        in_tx = self.db.in_transaction
        if not in_tx:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        else:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # ------------------------------------------------------------ sync state

    def folder_state(self, account: str, folder: str) -> FolderState | None:
        row = self.db.execute("SELECT uidvalidity, last_uid FROM folders WHERE account=? AND folder=?",
                              (account, folder)).fetchone()
        return FolderState(row[0], row[1]) if row else None

    def save_batch(self, account: str, folder: str, uidvalidity: int, last_uid: int,
                   items: Sequence[tuple[int, str, Prediction, bool]], model_version: str) -> list[int | None]:
        """Store scored messages and advance the folder's last UID in one transaction.

        ``items``: (uid, dedupe_key, prediction, truncated). Returns, per item, its new
        row id, or None when its dedupe_key was already stored (nothing is reported twice).
        """
        new_ids: list[int | None] = []
        stamp = now()
        with self.transaction() as db:
            for uid, key, p, truncated in items:
                e = p.email
                d = p.as_dict()
                cur = db.execute(
                    "INSERT OR IGNORE INTO messages (account, folder, uidvalidity, uid, message_id, "
                    "dedupe_key, sender, subject, date, headers_json, body, truncated, lang, verdict, score, "
                    "flags_json, missing_json, details_json, model_version, scored_at) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (account, folder, uidvalidity, uid, e.message_id, key, e.sender, e.subject, e.date,
                     json.dumps(e.headers, ensure_ascii=False), e.body, int(truncated), e.lang,
                     p.verdict, p.score, json.dumps(d["flags"], ensure_ascii=False),
                     json.dumps(d["missing"]), json.dumps(d["details"], ensure_ascii=False),
                     model_version, stamp))
                new_ids.append(cur.lastrowid if cur.rowcount else None)
            db.execute(
                "INSERT INTO folders (account, folder, uidvalidity, last_uid, synced_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity=excluded.uidvalidity, "
                "last_uid=MAX(CASE WHEN folders.uidvalidity=excluded.uidvalidity THEN folders.last_uid "
                "ELSE 0 END, excluded.last_uid), synced_at=excluded.synced_at",
                (account, folder, uidvalidity, last_uid, stamp))
        return new_ids

    def reset_folder(self, account: str, folder: str, uidvalidity: int) -> None:
        """A new UIDVALIDITY: UIDs start over; known messages stay known by their dedupe key."""
        with self.transaction() as db:
            db.execute("INSERT INTO folders (account, folder, uidvalidity, last_uid, synced_at) "
                       "VALUES (?,?,?,0,?) ON CONFLICT(account, folder) DO UPDATE SET "
                       "uidvalidity=excluded.uidvalidity, last_uid=0, synced_at=excluded.synced_at",
                       (account, folder, uidvalidity, now()))

    # ------------------------------------------------------------ reading

    def messages(self, since: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM messages"
        args: tuple = ()
        if since:
            sql += " WHERE scored_at >= ?"
            args = (since,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def find(self, account: str, dedupe_key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM messages WHERE account=? AND dedupe_key=?",
                              (account, dedupe_key)).fetchone()
        return dict(row) if row else None

    def set_label(self, row_id: int, verdict: str, flags: Sequence[str]) -> dict[str, Any] | None:
        """Store the user's verdict for a message; return the label it replaced, if any."""
        row = self.db.execute("SELECT label, label_flags_json FROM messages WHERE id=?", (row_id,)).fetchone()
        if row is None:
            raise StoreError(f"no stored message with id {row_id} (see `triage report --format jsonl`)")
        with self.transaction() as db:
            db.execute("UPDATE messages SET label=?, label_flags_json=? WHERE id=?",
                       (verdict, json.dumps(sorted(flags)), row_id))
        if row["label"] is None:
            return None
        return {"verdict": row["label"], "flags": json.loads(row["label_flags_json"] or "[]")}

    def labelled(self) -> list[dict[str, Any]]:
        """Messages the user has labelled, oldest first: what retraining learns from."""
        return [dict(r) for r in self.db.execute(
            "SELECT id, account, dedupe_key, sender, subject, body, lang, label, label_flags_json "
            "FROM messages WHERE label IS NOT NULL ORDER BY id")]

    def pending_digest(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT * FROM messages WHERE digested_at IS NULL AND verdict != 'not_lead' ORDER BY id")]

    def digest_sent_on(self, day: str) -> bool:
        return self.db.execute("SELECT 1 FROM digests WHERE day=?", (day,)).fetchone() is not None

    def mark_digested(self, ids: Sequence[int], day: str) -> None:
        """Record a sent digest: only called after the server accepted the message."""
        stamp = now()
        with self.transaction() as db:
            db.executemany("UPDATE messages SET digested_at=? WHERE id=?", [(stamp, i) for i in ids])
            db.execute("INSERT INTO digests (day, sent_at, leads) VALUES (?,?,?)", (day, stamp, len(ids)))

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]


@contextmanager
def scan_lock(store_path: Path) -> Iterator[None]:
    """One scan at a time per store: a second one fails at once instead of waiting."""
    with _flock(Path(str(store_path) + ".lock"), f"another triage scan is already running on {store_path}"):
        yield


def _enable_wal(db: sqlite3.Connection, wait: float = 30.0) -> None:
    # Switching a new database to WAL needs its exclusive lock, and SQLite answers "locked"
    # at once, without the busy timeout, while another command is doing the same.
    deadline = time.monotonic() + wait
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def digest_lock(store_path: Path) -> Iterator[None]:
    """One digest at a time, so two overlapping runs cannot both send."""
    with _flock(Path(str(store_path) + ".digest.lock"),
                f"another triage digest is already running on {store_path}"):
        yield


@contextmanager
def _flock(lock_path: Path, busy: str) -> Iterator[None]:
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"{lock_path}: cannot create the lock ({exc.strerror or exc})") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BusyError(busy) from exc
        yield
    finally:
        os.close(fd)
