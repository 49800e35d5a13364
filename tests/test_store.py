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


def _open_new_store(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        Store(path).close()
        results.put("ok")
    except StoreError as exc:
        results.put(str(exc))


def test_two_commands_opening_a_new_store_at_once_both_succeed(tmp_path):
    # Cron's scan and the user's report on first use: both see an empty file. Before, the
    # second failed on the switch to WAL ("locked") or ran the first migration again.
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    for trial in range(6):
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_open_new_store, args=(str(tmp_path / f"s{trial}.db"), barrier, results))
                 for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert [results.get(timeout=5), results.get(timeout=5)] == ["ok", "ok"], trial
        with Store(tmp_path / f"s{trial}.db") as s:
            assert s.schema_version == SCHEMA_VERSION


def test_a_new_store_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "share" / "triage" / "triage.db"
    with Store(path) as s:
        with s.transaction():
            s.db.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        # While the store is open its WAL and shared-memory files exist; the last close
        # removes them, so they are checked here.
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            assert extra.stat().st_mode & 0o777 == 0o600, extra
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode, private", [(0o644, 0o600), (0o444, 0o400)])  # read-only stays so
def test_an_existing_store_open_to_others_is_made_private(tmp_path, mode, private):
    path = tmp_path / "triage.db"
    with Store(path) as s:
        s.save_batch("acct", "INBOX", 1, 1, [], "v")
    path.chmod(mode)
    with Store(path) as s:
        assert s.folder_state("acct", "INBOX").last_uid == 1
    assert path.stat().st_mode & 0o777 == private


def test_the_wal_and_shared_memory_files_of_an_open_store_are_made_private(tmp_path):
    # Another command holds the store open (or one crashed): its WAL and shared-memory
    # files are on disk with whatever mode they were given, and hold recent mail.
    path = tmp_path / "triage.db"
    with Store(path) as holder:
        holder.save_batch("acct", "INBOX", 1, 1, [], "v")
        extras = [path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        for p in [path, *extras]:
            p.chmod(0o644)
        with Store(path) as s:
            assert s.folder_state("acct", "INBOX").last_uid == 1
        for p in [path, *extras]:
            assert p.stat().st_mode & 0o777 == 0o600, p


def test_a_lock_that_cannot_be_created_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot create the lock"), scan_lock(blocker / "t.db"):
        pass
