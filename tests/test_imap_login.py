"""A connection that drops during LOGIN is a transient failure, not a refused login: the
server below speaks just enough IMAP to greet, then hangs up when LOGIN arrives."""

from __future__ import annotations

import socket
import threading

import pytest

from triage.config import Account, Secret
from triage.errors import AuthError
from triage.sources.imap import ImapSession, TransientError


def _server(reply_to_login: bytes | None) -> tuple[int, threading.Thread]:
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]

    def serve() -> None:
        conn, _ = srv.accept()
        with conn, srv:
            conn.sendall(b"* OK IMAP4rev1 ready\r\n")
            lines = conn.makefile("rb")
            while line := lines.readline():
                tag, command = line.split()[:2]
                if command.upper() == b"CAPABILITY":
                    conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
                elif command.upper() == b"LOGIN":
                    if reply_to_login is not None:
                        conn.sendall(tag + b" " + reply_to_login + b"\r\n")
                    return
                else:
                    conn.sendall(tag + b" OK done\r\n")

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return port, t


def _account(port: int, monkeypatch) -> Account:
    monkeypatch.setenv("TRIAGE_TEST_IMAP_PASSWORD", "hunter2")
    return Account(name="test", host="127.0.0.1", port=port, security="none", username="alice",
                   secret=Secret("env", "TRIAGE_TEST_IMAP_PASSWORD", "test"), timeout=5.0)


def test_a_connection_dropped_at_login_is_transient(monkeypatch):
    port, t = _server(None)
    with pytest.raises(TransientError, match="connection lost during login"):
        ImapSession(_account(port, monkeypatch)).connect()
    t.join(5)


def test_a_refused_login_is_still_an_auth_error(monkeypatch):
    port, t = _server(b"NO [AUTHENTICATIONFAILED] Authentication failed.")
    with pytest.raises(AuthError, match="refused the login for alice") as info:
        ImapSession(_account(port, monkeypatch)).connect()
    assert "hunter2" not in str(info.value)
    t.join(5)
