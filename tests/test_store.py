"""The SQLite store: schema versions and migrations, per-batch state, the scan lock."""

from __future__ import annotations

import sqlite3

import pytest

from triage.errors import StoreError
from triage.store import MIGRATIONS, SCHEMA_VERSION, Store, scan_lock

from .leads import fill_store


def test_new_store_has_the_current_schema(tmp_path):
    with Store(tmp_path / "s.db") as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_old_store_is_migrated_in_place_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[1] + "; PRAGMA user_version=1;")
    db.execute("INSERT INTO messages (account, folder, uidvalidity, uid, dedupe_key, scored_at, verdict) "
               "VALUES ('a', 'INBOX', 1, 1, 'mid:<x>', '2026-01-01', 'warm')")
    db.commit()
    db.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.count() == 1
        assert s.digest_sent_on("2026-01-01") is False


def test_store_from_a_newer_triage_is_refused(tmp_path):
    path = tmp_path / "new.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer triage"):
        Store(path)


def test_batch_is_stored_once_and_advances_state(tmp_path):
    n = fill_store(tmp_path / "s.db")
    assert n == 37
    assert fill_store(tmp_path / "s.db") == 37, "the same messages again add nothing"
    with Store(tmp_path / "s.db") as s:
        assert s.folder_state("test", "INBOX").last_uid == 37


def test_scan_lock_is_exclusive(tmp_path):
    with scan_lock(tmp_path / "s.db"):
        with pytest.raises(StoreError, match="already running"):
            with scan_lock(tmp_path / "s.db"):
                pass
    with scan_lock(tmp_path / "s.db"):
        pass
