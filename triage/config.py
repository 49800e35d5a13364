"""The TOML configuration, read into frozen Settings.

Precedence: --config FILE, else $TRIAGE_CONFIG, else the user config folder.
Secrets never sit in the file: each account names where its secret comes from
(``password_env``, ``password_command`` or ``oauth2_token_command``), and the
secret is fetched only when a connection needs it. Every problem is one
ConfigError sentence naming the key and the file.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.errors import ConfigError

SECURITY = ("tls", "starttls", "none")
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"tls": 465, "starttls": 587, "none": 25}


@dataclass(frozen=True)
class Secret:
    """Where a secret comes from; ``reveal()`` fetches it, nothing stores it."""

    kind: str  # "env" | "command" | "oauth2"
    source: str
    origin: str  # "<file>: accounts[work]" for error messages

    def reveal(self) -> str:
        if self.kind == "env":
            value = os.environ.get(self.source)
            if not value:
                raise ConfigError(f"{self.origin}: environment variable {self.source} is not set")
            return value
        try:
            res = subprocess.run(shlex.split(self.source), capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(f"{self.origin}: the secret command could not run ({type(exc).__name__})") from exc
        if res.returncode != 0:
            raise ConfigError(f"{self.origin}: the secret command failed with exit status {res.returncode}")
        value = res.stdout.decode("utf-8", "replace").strip().splitlines()
        if not value or not value[0]:
            raise ConfigError(f"{self.origin}: the secret command printed nothing")
        return value[0]


@dataclass(frozen=True)
class Account:
    name: str
    host: str
    port: int
    security: str
    username: str
    secret: Secret
    folders: tuple[str, ...] = ("INBOX",)
    ca_file: str | None = None
    timeout: float = 30.0
    batch_size: int = 50
    max_message_bytes: int = 10_000_000
    retries: int = 3
    tag: bool = False
    drafts: bool = False
    learn_folders: dict[str, str] = field(default_factory=dict)
    move_toxic: str | None = None  # a folder toxic leads are moved to (IMAP MOVE; never deleted)


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    username: str | None
    secret: Secret | None
    sender: str
    to: str
    ca_file: str | None = None
    timeout: float = 30.0


# RFC 2177: a server may drop a client idle for 30 minutes, so IDLE is re-issued before 29.
IDLE_RENEW_MAX = 29 * 60


@dataclass(frozen=True)
class Watch:
    """How `triage watch` waits: all in seconds."""

    idle_renew: float = 25 * 60  # re-issue IDLE this often (at most IDLE_RENEW_MAX)
    poll_interval: float = 300.0  # scan this often where the server has no IDLE
    backoff_max: float = 300.0  # the longest wait between reconnect attempts


@dataclass(frozen=True)
class ModelSettings:
    """Where a model trained on the user's own labels lives, and how it is trained."""

    path: Path
    # The user's corrections count more than the shipped data: they are the judgement
    # the model should follow, and there are far fewer of them.
    user_weight: float = 3.0
    # Below this many labels a retrained model would learn noise; the shipped model serves.
    min_user_labels: int = 20


@dataclass(frozen=True)
class Rates:
    """The user's own rates, in ``currency``; ``convert`` holds units of ``currency`` per unit of another."""

    currency: str
    minimum_fee: float | None = None
    day_rate: float | None = None
    hourly_rate: float | None = None
    convert: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    path: Path
    store_path: Path
    accounts: tuple[Account, ...]
    smtp: Smtp | None = None
    model: ModelSettings | None = None
    watch: Watch = field(default_factory=Watch)
    rates: Rates | None = None

    def account(self, name: str) -> Account:
        for a in self.accounts:
            if a.name == name:
                return a
        raise ConfigError(f"{self.path}: no account named {name!r} (accounts: "
                          f"{', '.join(a.name for a in self.accounts)})")


def default_path() -> Path:
    env = os.environ.get("TRIAGE_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "triage" / "config.toml"


def _folder_key(name: str) -> str:
    """IMAP folder names compare exactly, except INBOX, which is case-insensitive (RFC 3501)."""
    return "INBOX" if name.upper() == "INBOX" else name


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(path: str | Path | None = None) -> Settings:
    p = Path(path) if path else default_path()
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{p}: configuration file not found") from exc
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the configuration ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})") from exc
    return parse_settings(raw, p)


def _get(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, *,
         default: Any = ..., ) -> Any:
    if key not in table:
        if default is ...:
            raise ConfigError(f"{where}: missing key '{key}'")
        return default
    value = table[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: key '{key}' must be a {names}")
    return value


def _secret(table: dict[str, Any], where: str, required: bool) -> Secret | None:
    found = [k for k in ("password_env", "password_command", "oauth2_token_command") if k in table]
    if "password" in table:
        raise ConfigError(f"{where}: key 'password' is not allowed; secrets never sit in the file "
                          "(use password_env, password_command or oauth2_token_command)")
    if len(found) > 1:
        raise ConfigError(f"{where}: give only one of {', '.join(found)}")
    if not found:
        if required:
            raise ConfigError(f"{where}: missing key 'password_env' (or password_command, oauth2_token_command)")
        return None
    key = found[0]
    value = _get(table, key, str, where)
    kind = {"password_env": "env", "password_command": "command", "oauth2_token_command": "oauth2"}[key]
    return Secret(kind, value, where)


def _security(table: dict[str, Any], where: str, default: str) -> str:
    sec = _get(table, "security", str, where, default=default)
    if sec not in SECURITY:
        raise ConfigError(f"{where}: key 'security' must be one of {', '.join(SECURITY)}, not {sec!r}")
    return sec


def parse_settings(raw: dict[str, Any], path: Path) -> Settings:
    store = raw.get("store", {})
    if not isinstance(store, dict):
        raise ConfigError(f"{path}: [store] must be a table")
    store_path = Path(os.path.expanduser(_get(store, "path", str, f"{path}: [store]",
                                              default="~/.local/share/triage/triage.db")))
    accounts_raw = raw.get("accounts", [])
    if not isinstance(accounts_raw, list):
        raise ConfigError(f"{path}: accounts must be an array of tables ([[accounts]])")
    accounts = []
    names = set()
    for i, a in enumerate(accounts_raw):
        where = f"{path}: accounts[{i}]"
        if not isinstance(a, dict):
            raise ConfigError(f"{where} must be a table")
        name = _get(a, "name", str, where)
        where = f"{path}: account '{name}'"
        if name in names:
            raise ConfigError(f"{where}: the name is used twice")
        names.add(name)
        host = _get(a, "host", str, where)
        security = _security(a, where, "tls")
        if security == "none" and not is_loopback(host):
            raise ConfigError(f"{where}: security = \"none\" is allowed only for a loopback host, "
                              f"not {host!r}; use tls or starttls")
        folders = _get(a, "folders", list, where, default=["INBOX"])
        if not folders or not all(isinstance(f, str) and f for f in folders):
            raise ConfigError(f"{where}: key 'folders' must be a non-empty list of folder names")
        learn = _get(a, "learn_folders", dict, where, default={})
        if not set(learn) <= {"warm", "toxic", "not_lead"}:
            raise ConfigError(f"{where}: learn_folders keys must be warm, toxic, not_lead")
        move_toxic = _get(a, "move_toxic", str, where, default=None)
        if move_toxic is not None and (not move_toxic or _folder_key(move_toxic) in map(_folder_key, folders)):
            raise ConfigError(f"{where}: key 'move_toxic' must name a folder that is not scanned")
        if move_toxic is not None and move_toxic in learn.values():
            # What triage moves there itself is not the user's correction.
            raise ConfigError(f"{where}: key 'move_toxic' must differ from every learn_folders folder")
        for key, low in (("batch_size", 1), ("max_message_bytes", 1), ("timeout", 1), ("retries", 0),
                         ("port", 1)):
            if key in a and isinstance(a[key], (int, float)) and not isinstance(a[key], bool) and a[key] < low:
                raise ConfigError(f"{where}: key '{key}' must be at least {low}")
        accounts.append(Account(
            name=name, host=host, port=_get(a, "port", int, where, default=DEFAULT_PORTS[security]),
            security=security, username=_get(a, "username", str, where),
            secret=_secret(a, where, required=True),  # type: ignore[arg-type]
            folders=tuple(folders), ca_file=_get(a, "ca_file", str, where, default=None),
            timeout=float(_get(a, "timeout", (int, float), where, default=30.0)),
            batch_size=_get(a, "batch_size", int, where, default=50),
            max_message_bytes=_get(a, "max_message_bytes", int, where, default=10_000_000),
            retries=_get(a, "retries", int, where, default=3),
            tag=_get(a, "tag", bool, where, default=False),
            drafts=_get(a, "drafts", bool, where, default=False),
            learn_folders=dict(learn), move_toxic=move_toxic,
        ))
    smtp = None
    if "smtp" in raw:
        s = raw["smtp"]
        where = f"{path}: [smtp]"
        if not isinstance(s, dict):
            raise ConfigError(f"{where} must be a table")
        security = _security(s, where, "starttls")
        host = _get(s, "host", str, where)
        if security == "none" and not is_loopback(host):
            raise ConfigError(f"{where}: security = \"none\" is allowed only for a loopback host")
        smtp = Smtp(host=host, port=_get(s, "port", int, where, default=SMTP_PORTS[security]),
                    security=security, username=_get(s, "username", str, where, default=None),
                    secret=_secret(s, where, required=False), sender=_get(s, "from", str, where),
                    to=_get(s, "to", str, where), ca_file=_get(s, "ca_file", str, where, default=None),
                    timeout=float(_get(s, "timeout", (int, float), where, default=30.0)))
    return Settings(path=path, store_path=store_path, accounts=tuple(accounts), smtp=smtp,
                    model=_model(raw, path, store_path), watch=_watch(raw.get("watch", {}), path),
                    rates=_rates(raw["rates"], path) if "rates" in raw else None)


def _model(raw: dict[str, Any], path: Path, store_path: Path) -> ModelSettings:
    m = raw.get("model", {})
    where = f"{path}: [model]"
    if not isinstance(m, dict):
        raise ConfigError(f"{where} must be a table")
    folder = _get(m, "path", str, where, default=None)
    weight = float(_get(m, "user_weight", (int, float), where, default=3.0))
    least = _get(m, "min_user_labels", int, where, default=20)
    if weight <= 0:
        raise ConfigError(f"{where}: key 'user_weight' must be above 0")
    if least < 1:
        raise ConfigError(f"{where}: key 'min_user_labels' must be at least 1")
    return ModelSettings(
        path=Path(os.path.expanduser(folder)) if folder else store_path.parent / "model",
        user_weight=weight, min_user_labels=least)


def _watch(table: Any, path: Path) -> Watch:
    where = f"{path}: [watch]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - {"idle_renew", "poll_interval", "backoff_max"})
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (keys: idle_renew, poll_interval, backoff_max)")
    d = Watch()
    values = {}
    for key, low, high in (("idle_renew", 1, IDLE_RENEW_MAX), ("poll_interval", 1, None),
                           ("backoff_max", 1, None)):
        raw_v = _get(table, key, (int, float), where, default=getattr(d, key))
        if isinstance(raw_v, bool):
            raise ConfigError(f"{where}: key '{key}' must be a number of seconds")
        v = float(raw_v)
        if v < low or (high is not None and v > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f"{where}: key '{key}' must be {bound} (seconds)")
        values[key] = v
    return Watch(**values)


RATE_KEYS = ("minimum_fee", "day_rate", "hourly_rate")


def _positive(table: dict[str, Any], key: str, where: str) -> float:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise ConfigError(f"{where}: key '{key}' must be a positive number, not {value!r}")
    return float(value)


def _currency_code(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str) or len(value) != 3 or not value.isascii() or not value.isupper():
        raise ConfigError(f"{where}: {what} must be a three-letter currency code such as EUR, not {value!r}")
    return value


def _rates(r: Any, path: Path) -> Rates:
    """[rates]: numbers the user sets; conversion rates are never fetched from the network."""
    from triage.nlp.values import CURRENCY_CODES

    where = f"{path}: [rates]"
    if not isinstance(r, dict):
        raise ConfigError(f"{where} must be a table")
    # Unknown keys are refused: a misspelt "minimum" would otherwise silently compare nothing.
    unknown = [k for k in r if k not in ("currency", "convert", *RATE_KEYS)]
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (keys: currency, {', '.join(RATE_KEYS)}, convert)")
    currency = _currency_code(_get(r, "currency", str, where), "key 'currency'", where)
    amounts = {k: _positive(r, k, where) for k in RATE_KEYS if k in r}
    if not amounts:
        raise ConfigError(f"{where}: set at least one of {', '.join(RATE_KEYS)}")
    convert_raw = _get(r, "convert", dict, where, default={})
    convert: dict[str, float] = {}
    for code in convert_raw:
        code = _currency_code(code, f"[rates.convert] key {code!r}", f"{path}")
        if code == currency:
            raise ConfigError(f"{path}: [rates.convert]: {code} is your own currency; remove it")
        if code not in CURRENCY_CODES:
            raise ConfigError(f"{path}: [rates.convert]: triage never reads {code} in an email "
                              f"(it reads {', '.join(sorted(CURRENCY_CODES))})")
        convert[code] = _positive(convert_raw, code, f"{path}: [rates.convert]")
    if currency not in CURRENCY_CODES and not convert:
        raise ConfigError(f"{where}: triage never reads {currency} in an email, so budgets can be compared "
                          "only through conversion rates; add them under [rates.convert]")
    return Rates(currency=currency, convert=convert, **amounts)
