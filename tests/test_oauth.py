"""OAuth2 logins (XOAUTH2 and OAUTHBEARER) against a real Dovecot.

Dovecot's SASL mechanisms hand the bearer token to the passdb like a password,
so a passwd-file entry stands in for the identity provider's token check: what
is tested is triage's side, fetching the token from `oauth2_token_command`,
choosing the mechanism the server offers, and keeping the token out of every
output.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from . import servers
from .conftest import require
from .test_scan_imap import append, records, samples, scan


def _server(mechanisms: str):
    require(shutil.which("dovecot") is not None, "dovecot is not installed (Debian package dovecot-imapd)")
    require(os.geteuid() == 0, "the Dovecot fixture needs root to hand mail to uid 65534")
    return servers.start_dovecot(extra_conf=f"auth_mechanisms = {mechanisms}\n")


@pytest.fixture(scope="module")
def xoauth2():
    server = _server("plain xoauth2 oauthbearer")
    yield server
    servers.remove(server)


@pytest.fixture(scope="module")
def oauthbearer_only():
    server = _server("plain oauthbearer")
    yield server
    servers.remove(server)


def oauth_config(tmp_path, server, token_file) -> object:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\npath = "{tmp_path / "triage.db"}"\n\n[[accounts]]\nname = "oauth"\n'
                   f'host = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
                   f'username = "{servers.USER}"\noauth2_token_command = "cat {token_file}"\n'
                   'folders = ["INBOX"]\n')
    return cfg


def _logins(server) -> list[str]:
    return re.findall(r"Login: user=<[^>]*>, method=([A-Z0-9-]+)", server.log())


@pytest.mark.parametrize(("which", "mechanism"), [("xoauth2", "XOAUTH2"), ("oauthbearer_only", "OAUTHBEARER")])
def test_oauth2_token_logs_in_with_the_offered_mechanism(request, tmp_path, which, mechanism):
    server = request.getfixturevalue(which)
    append(server, "INBOX", samples(3))
    token = tmp_path / "token"
    token.write_text(servers.PASSWORD + "\n")  # the command's first line is the token
    before = _logins(server).count(mechanism)
    res = scan(oauth_config(tmp_path, server, token), "unused-password")
    assert res.returncode == 0, res.stderr.decode()
    assert len(records(res)) >= 3
    assert _logins(server).count(mechanism) == before + 1
    assert servers.PASSWORD.encode() not in res.stdout + res.stderr


def test_refused_token_exits_3_without_showing_it(xoauth2, tmp_path):
    token = tmp_path / "token"
    token.write_text("expired-token-abc123\n")
    res = scan(oauth_config(tmp_path, xoauth2, token))
    assert res.returncode == 3
    err = res.stderr.decode()
    assert "refused the login for alice" in err and "Traceback" not in err
    assert b"expired-token-abc123" not in res.stdout + res.stderr


def test_failing_token_command_is_a_config_error(xoauth2, tmp_path):
    res = scan(oauth_config(tmp_path, xoauth2, tmp_path / "missing-token"))
    assert res.returncode == 2
    assert "the secret command failed with exit status 1" in res.stderr.decode()
