"""The digest's SMTP login against a real server (aiosmtpd on loopback, AUTH PLAIN/LOGIN):
a right password sends, a wrong one is refused with exit status 3, and a server that
cannot check logins for now leaves the leads pending for the next run (exit status 1)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from triage.store import Store

from .conftest import ROOT
from .leads import fill_store
from .servers import free_port

SECRET = "s3cret-digest-pw"
# Plain AUTH without TLS is what this loopback server is for; aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[bool, bytes]] = []
        self.auth_answer: str | None = None  # None: check the password
        self.password = SECRET

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((bool(session.authenticated), envelope.content))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if self.auth_answer is not None:
            return AuthResult(success=False, handled=False, message=self.auth_answer)
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"me@example.com", self.password.encode())
        return AuthResult(success=ok, handled=False)


@pytest.fixture()
def configured(tmp_path):
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=inbox.authenticate,
                     auth_required=True, auth_require_tls=False)
    ctl.start()
    fill_store(tmp_path / "t.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "t.db"}"\n\n[smtp]\nhost = "127.0.0.1"\nport = {ctl.port}\n'
                   'security = "none"\nusername = "me@example.com"\npassword_env = "TRIAGE_TEST_SMTP_PW"\n'
                   'from = "triage <triage@example.com>"\nto = "me@example.com"\n')
    yield inbox, cfg, tmp_path / "t.db"
    ctl.stop()


def run(cfg, password: str):
    env = dict(os.environ, TRIAGE_TEST_SMTP_PW=password)
    return subprocess.run([sys.executable, "-m", "triage", "digest", "--config", str(cfg)],
                          capture_output=True, cwd=ROOT, timeout=120, env=env)


def pending(db) -> int:
    with Store(db) as store:
        return len(store.pending_digest())


def test_the_right_password_logs_in_and_sends(configured):
    inbox, cfg, db = configured
    res = run(cfg, SECRET)
    assert res.returncode == 0, res.stderr.decode()
    assert [authenticated for authenticated, _ in inbox.messages] == [True]
    assert pending(db) == 0


def test_a_wrong_password_is_refused_with_status_3_and_no_secret(configured):
    inbox, cfg, db = configured
    before = pending(db)
    res = run(cfg, "wrong-" + SECRET)
    err = res.stderr.decode()
    assert res.returncode == 3, err
    assert "refused the login for me@example.com (535)" in err
    assert SECRET not in err and SECRET not in res.stdout.decode() and "Traceback" not in err
    assert inbox.messages == [] and pending(db) == before > 0


def test_a_temporary_auth_failure_is_not_a_wrong_password(configured):
    # Dovecot's and Gmail's "454 4.7.0 Temporary authentication failure": the password may
    # be right, so the run fails like any unreachable server and the next one retries.
    inbox, cfg, db = configured
    before = pending(db)
    inbox.auth_answer = "454 4.7.0 Temporary authentication failure"
    res = run(cfg, SECRET)
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert "could not check the login for me@example.com now (454)" in err and "leads stay pending" in err
    assert "Traceback" not in err and SECRET not in err
    assert inbox.messages == [] and pending(db) == before > 0
    inbox.auth_answer = None
    assert run(cfg, SECRET).returncode == 0 and len(inbox.messages) == 1 and pending(db) == 0


def test_a_non_ascii_password_logs_in(configured):
    # smtplib alone fails before sending one ("'ascii' codec can't encode").
    inbox, cfg, db = configured
    inbox.password = "pässwörd-日本"
    wrong = run(cfg, "passwörd-日本")
    assert wrong.returncode == 3 and "passwörd" not in wrong.stderr.decode(), wrong.stderr.decode()
    res = run(cfg, inbox.password)
    assert res.returncode == 0, res.stderr.decode()
    assert [authenticated for authenticated, _ in inbox.messages] == [True] and pending(db) == 0
