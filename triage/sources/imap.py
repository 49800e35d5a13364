"""IMAP: the only module that imports imapclient.

Folders are selected read-only and bodies fetched with BODY.PEEK[], so the
\\Seen flag never changes. TLS with certificate checks is the default;
``security = "none"`` is refused for anything but a loopback host before any
connection is made. Library and socket errors become FetchError (retryable
or not) and AuthError.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass

from triage.config import Account, is_loopback
from triage.errors import AuthError, ConfigError, FetchError


class TransientError(FetchError):
    """The connection dropped mid-session: worth a reconnect and a retry."""


@dataclass(frozen=True)
class Fetched:
    uid: int
    raw: bytes
    size: int
    truncated: bool  # over the size limit: headers only


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def retry_delay(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1, 2, ...) of a scan whose connection dropped."""
    return min(30.0, 0.5 * 2 ** attempt)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


class ImapSession:
    """One logged-in connection to one account."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.client = None

    def __enter__(self) -> ImapSession:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        from imapclient import IMAPClient
        from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

        a = self.account
        if a.security == "none" and not is_loopback(a.host):
            raise ConfigError(f"account '{a.name}': security = \"none\" is refused for {a.host}")
        where = f"account '{a.name}' ({a.host}:{a.port})"
        try:
            ctx = tls_context(a.ca_file) if a.security != "none" else None
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"account '{a.name}': cannot read ca_file {a.ca_file} ({_reason(exc)})") from exc
        try:
            client = IMAPClient(a.host, port=a.port, ssl=a.security == "tls", ssl_context=ctx,
                                timeout=a.timeout)
            if a.security == "starttls":
                client.starttls(ctx)
        except ssl.SSLCertVerificationError as exc:
            raise FetchError(f"{where}: the server's TLS certificate failed verification "
                             f"({exc.verify_message})") from exc
        except (TimeoutError, ssl.SSLError, OSError) as exc:
            raise FetchError(f"{where}: cannot connect ({_reason(exc)})") from exc
        except IMAPClientError as exc:
            raise FetchError(f"{where}: the server refused the connection ({_reason(exc)})") from exc
        secret = a.secret.reveal()
        try:
            if a.secret.kind == "oauth2":
                caps = client.capabilities()
                if b"AUTH=OAUTHBEARER" in caps and b"AUTH=XOAUTH2" not in caps:
                    client.oauthbearer_login(a.username, secret)
                else:
                    client.oauth2_login(a.username, secret)
            elif not (a.username + secret).isascii():
                # LOGIN carries ASCII only (imaplib refuses anything else before sending);
                # AUTHENTICATE PLAIN carries UTF-8 (RFC 4616).
                client.plain_login(a.username, secret)
            else:
                client.login(a.username, secret)
        except LoginError as exc:
            if isinstance(exc.__context__, (IMAPClientAbortError, OSError, EOFError)):
                # imapclient re-raises any error during LOGIN as LoginError, a dropped
                # connection too ("socket error: EOF"): that is no refusal, and retrying helps.
                _quiet_logout(client)
                raise TransientError(f"{where}: connection lost during login ({_reason(exc)})") from exc
            # The server's text, never the secret: it is not in what the server says back.
            text = _reason(exc).replace(secret, "***")
            _quiet_logout(client)
            raise AuthError(f"{where}: the server refused the login for {a.username} ({text})") from exc
        except (OSError, IMAPClientError) as exc:
            _quiet_logout(client)
            raise TransientError(f"{where}: connection lost during login ({_reason(exc)})") from exc
        self.client = client

    def close(self) -> None:
        if self.client is not None:
            _quiet_logout(self.client)
            self.client = None

    def _call(self, what: str, fn, *args, **kwargs):
        from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

        try:
            return fn(*args, **kwargs)
        except (IMAPClientAbortError, OSError, ssl.SSLError, EOFError) as exc:
            raise TransientError(f"account '{self.account.name}': connection lost while {what} "
                                 f"({_reason(exc)})") from exc
        except IMAPClientError as exc:
            raise FetchError(f"account '{self.account.name}': the server refused {what} ({_reason(exc)})") from exc

    def select(self, folder: str, *, writable: bool = False) -> int:
        """Select ``folder`` (read-only unless keywords are to be written); return its UIDVALIDITY.

        Even writable, bodies are fetched with BODY.PEEK[], so \\Seen never changes."""
        info = self._call(f"selecting {folder!r}", self.client.select_folder, folder, readonly=not writable)
        return int(info[b"UIDVALIDITY"])

    def add_keywords(self, uids: Sequence[int], keyword: str) -> None:
        if uids:
            self._call("setting keywords", self.client.add_flags, list(uids), [keyword.encode()], silent=True)

    def move(self, uids: Sequence[int], folder: str) -> None:
        """Move with IMAP MOVE (RFC 6851) only: the COPY + \\Deleted + EXPUNGE fallback
        would delete, which triage never does."""
        from triage.errors import FetchError

        if not uids:
            return
        if b"MOVE" not in self._call("asking capabilities", self.client.capabilities):
            raise FetchError(f"account '{self.account.name}': the server has no MOVE, so toxic leads "
                             "stay where they are (triage never deletes)")
        if not self.folder_exists(folder):
            self._call(f"creating {folder!r}", self.client.create_folder, folder)
        self._call(f"moving to {folder!r}", self.client.move, list(uids), folder)

    def message_ids(self, uids: Sequence[int] | None = None) -> dict[int, tuple[str | None, tuple[str, ...]]]:
        """UID -> (Message-ID header, keywords) for ``uids`` (default: every message)."""
        from email.parser import BytesHeaderParser

        uids = list(uids) if uids is not None else self._call("searching", self.client.search, ["ALL"])
        if not uids:
            return {}
        data = self._call("fetching headers", self.client.fetch, uids,
                          ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "FLAGS"])
        out = {}
        for uid, d in data.items():
            raw = next((v for k, v in d.items() if k.startswith(b"BODY[HEADER")), b"") or b""
            mid = BytesHeaderParser().parsebytes(raw).get("message-id")
            flags = tuple(f.decode("ascii", "replace") for f in d.get(b"FLAGS", ()))
            out[uid] = (mid.strip() if mid else None, flags)
        return out

    def folder_exists(self, folder: str) -> bool:
        return bool(self._call("listing folders", self.client.folder_exists, folder))

    def drafts_folder(self) -> str:
        """The folder with the \\Drafts special-use attribute, else one named Drafts."""
        try:
            found = self.client.find_special_folder(b"\\Drafts")
        except Exception:  # servers without SPECIAL-USE or LIST extensions
            found = None
        return found or "Drafts"

    def append_draft(self, folder: str, raw: bytes) -> None:
        if not self.folder_exists(folder):
            self._call(f"creating {folder!r}", self.client.create_folder, folder)
        self._call("saving a draft", self.client.append, folder, raw, flags=[b"\\Draft"])

    def uids_after(self, last_uid: int) -> list[int]:
        # "n:*" always includes the highest UID even when it is below n, so filter.
        uids = self._call("searching", self.client.search, ["UID", f"{last_uid + 1}:*"])
        return sorted(u for u in uids if u > last_uid)

    def fetch(self, uids: Sequence[int]) -> list[Fetched]:
        """Fetch whole messages without touching \\Seen; over-size ones as headers only.

        A message expunged since the search is gone and skipped. One the server still has
        but leaves out of its answer is asked for once more, and if it is still left out
        this raises FetchError: the caller must not move the folder's last UID past a
        message it never scored."""
        if not uids:
            return []
        out = self._fetch_once(uids)
        missing = [u for u in uids if u not in out]
        if missing:
            listed = set(self._call("searching", self.client.search, ["UID", ",".join(map(str, missing))]))
            still = [u for u in missing if u in listed]
            if still:
                out.update(self._fetch_once(still))
                lost = [u for u in still if u not in out]
                if lost:
                    raise FetchError(f"account '{self.account.name}': the server has message UID {lost[0]} "
                                     "but left it out of its answer twice; it is tried again next scan")
        return [out[u] for u in uids if u in out]

    def _fetch_once(self, uids: Sequence[int]) -> dict[int, Fetched]:
        answer = self._call("reading sizes", self.client.fetch, list(uids), ["RFC822.SIZE"])
        # A UID the size answer leaves out is fetched whole; its own length stands in.
        sizes = {u: answer.get(u, {}).get(b"RFC822.SIZE") for u in uids}

        def size(u: int, raw: bytes) -> int:
            return sizes[u] if sizes[u] is not None else len(raw)

        limit = self.account.max_message_bytes
        small = [u for u in uids if (sizes[u] or 0) <= limit]
        big = [u for u in uids if (sizes[u] or 0) > limit]
        out: dict[int, Fetched] = {}
        if small:
            data = self._call("fetching messages", self.client.fetch, small, ["BODY.PEEK[]"])
            for u in small:
                if u in data:
                    raw = data[u].get(b"BODY[]") or b""
                    out[u] = Fetched(u, raw, size(u, raw), False)
        if big:
            data = self._call("fetching headers", self.client.fetch, big, ["BODY.PEEK[HEADER]"])
            for u in big:
                if u in data:
                    raw = data[u].get(b"BODY[HEADER]") or b""
                    out[u] = Fetched(u, raw, size(u, raw), True)
        return out

    # ------------------------------------------------------------ IDLE (RFC 2177)

    def has_idle(self) -> bool:
        caps = self._call("reading capabilities", self.client.capabilities)
        return b"IDLE" in caps

    def idle_start(self) -> None:
        """Enter IDLE on the selected folder; the server then tells us about new mail."""
        self._call("starting IDLE", self.client.idle)

    def idle_wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds in IDLE; True when new mail (EXISTS/RECENT) was announced.

        A BYE or a closed connection raises TransientError."""
        import select

        sock = self.client.socket()
        pending = getattr(sock, "pending", lambda: 0)()  # TLS bytes already decrypted: select cannot see them
        if not pending:
            try:
                ready, _w, _x = select.select([sock], [], [], timeout)
            except (OSError, ValueError) as exc:
                raise TransientError(f"account '{self.account.name}': connection lost while idling "
                                     f"({_reason(exc)})") from exc
            if not ready:
                return False
        responses = self._call("idling", self.client.idle_check, 0)
        if not responses:
            # Readable yet nothing to parse: imapclient swallows EOF inside idle_check, so ask
            # the server to end IDLE; on a dead connection that raises, on a live one we go on.
            news = self.idle_stop()
            self.idle_start()
            return news
        return self._news(responses)

    def idle_stop(self) -> bool:
        """Send DONE; True when new mail was announced since the last wait."""
        _text, responses = self._call("ending IDLE", self.client.idle_done)
        return self._news(responses)

    def _news(self, responses) -> bool:
        news = False
        for r in responses:
            if isinstance(r, tuple) and r and r[0] == b"BYE":
                text = b" ".join(x for x in r[1:] if isinstance(x, bytes)).decode("ascii", "replace")
                raise TransientError(f"account '{self.account.name}': the server closed the connection "
                                     f"({text or 'BYE'})")
            if isinstance(r, tuple) and len(r) >= 2 and (r[1] == b"EXISTS" or (r[1] == b"RECENT" and r[0])):
                news = True
        return news


def _quiet_logout(client) -> None:
    try:
        client.logout()
    except Exception:  # the connection may already be gone; nothing to save
        try:
            client.shutdown()
        except Exception:
            pass
