"""Real servers for integration tests: Dovecot IMAP on loopback, with and without TLS.

Dovecot refuses to run mail processes as root, so mail belongs to uid 65534
(nobody), the config folder is world-readable for its auth process, and the
fixture waits for master.pid and the port before use, then stops it by pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
USER, PASSWORD = "alice", "s3cret-Pa55word"
# A second account whose password IMAP LOGIN cannot carry (it sends ASCII only).
UTF8_USER, UTF8_PASSWORD = "bob", "pässwörd-日本-Ж"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def make_ca(d: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=triage test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")
    (d / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "san.ext")
    return d / "ca.crt", d / "server.crt", d / "server.key"


CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/state
instance_name = triage-test-{port}
log_path = {d}/log/dovecot.log
default_internal_user = nobody
default_login_user = nobody
default_internal_group = nogroup
ssl = yes
ssl_cert = <{d}/server.crt
ssl_key = <{d}/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/etc/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
protocol imap {{
  mail_max_userip_connections = 200
}}
"""


@dataclass
class Dovecot:
    dir: Path
    port: int
    tls_port: int
    ca_file: Path
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.dir / "log" / "stdout.log", "ab")  # noqa: SIM115 (closed with the process)
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", str(self.dir / "dovecot.conf")],
                                     stdout=log, stderr=log)
        pid_file = self.dir / "run" / "master.pid"
        deadline = time.monotonic() + 20
        while not pid_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dovecot did not start: " + self.log())
            time.sleep(0.05)
        wait_port(self.port)
        wait_port(self.tls_port)

    def stop(self) -> None:
        pid_file = self.dir / "run" / "master.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        """Stop, then start on the same ports: clients see their connections drop."""
        self.stop()
        (self.dir / "run" / "master.pid").unlink(missing_ok=True)
        self.start()

    def log(self) -> str:
        p = self.dir / "log" / "dovecot.log"
        return p.read_text(errors="replace")[-2000:] if p.exists() else ""

    def client(self):
        from imapclient import IMAPClient

        c = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        c.login(USER, PASSWORD)
        return c


def start_dovecot(extra_conf: str = "") -> Dovecot:
    """``extra_conf``: more Dovecot settings, e.g. an ``imap_capability`` list without IDLE."""
    d = Path(tempfile.mkdtemp(prefix="triage-dovecot-", dir="/tmp"))
    os.chmod(d, 0o755)
    for sub in ("etc", "log", "state", "mail"):
        (d / sub).mkdir()
    ca, _crt, _key = make_ca(d)
    (d / "etc" / "passwd").write_text(f"{USER}:{PASSWORD}:::\n{UTF8_USER}:{UTF8_PASSWORD}:::\n", encoding="utf-8")
    port, tls_port = free_port(), free_port()
    (d / "dovecot.conf").write_text(CONF.format(d=d, port=port, tls_port=tls_port, uid=NOBODY) + extra_conf)
    for p in (d / "etc", d / "etc" / "passwd", d / "dovecot.conf"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    os.chown(d / "mail", NOBODY, NOBODY)
    server = Dovecot(d, port, tls_port, ca)
    server.start()
    return server


def remove(server: Dovecot) -> None:
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


class CuttingProxy:
    """A TCP proxy to ``port`` that cuts its first ``cuts`` connections after
    ``after_bytes`` bytes from the server; later connections pass through."""

    def __init__(self, port: int, after_bytes: int, cuts: int = 1) -> None:
        self.target = port
        self.after = after_bytes
        self.cuts = cuts
        self.connections = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            limit = self.after if self.connections <= self.cuts else None
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(upstream, client, limit), daemon=True).start()
            threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) > limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self._stop = True
        self.sock.close()


class DroppingProxy:
    """A TCP proxy to ``port`` whose ``drop()`` cuts every open connection at once,
    without a word from the server (no BYE): a network drop, not a shutdown."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.open: list[socket.socket] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.open += [client, upstream]
            threading.Thread(target=CuttingProxy._pipe, args=(upstream, client, None), daemon=True).start()
            threading.Thread(target=CuttingProxy._pipe, args=(client, upstream, None), daemon=True).start()

    def drop(self) -> None:
        for s in self.open:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.open = []

    def close(self) -> None:
        self.drop()
        self.sock.close()
