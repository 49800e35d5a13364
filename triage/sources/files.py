"""Messages from local files: .eml, a folder of them, mbox, Maildir, jsonl, or stdin.

Everything streams: an mbox is split line by line, never read whole, so a
10,000-message file is scored in constant memory.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from triage.errors import SourceError
from triage.types import RawMessage

_JSONL_FIELDS = ("from", "subject", "body")
# A message is read up to this size, as IMAP's default max_message_bytes: headers and the
# sender's text come first, and a 100 MB attachment behind them would cost ten times its
# size in memory to parse.
MAX_MESSAGE_BYTES = 10_000_000


def iter_path(path: str) -> Iterator[RawMessage]:
    """Yield every message under ``path``; raise SourceError if the path cannot be read.

    A bad line inside a jsonl file or a message that cannot be read inside a
    folder is also raised as SourceError, after the good ones before it.
    """
    if path == "-":
        yield RawMessage(id="-", raw=sys.stdin.buffer.read(MAX_MESSAGE_BYTES))
        return
    p = Path(path)
    try:
        # exists() hides only "no such file"; a name too long or a folder that cannot be
        # searched raises, and must fail this path alone.
        exists, is_dir = p.exists(), p.is_dir()
        maildir = is_dir and ((p / "cur").is_dir() or (p / "new").is_dir())
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from exc
    if not exists:
        raise SourceError(f"{path}: no such file or folder")
    if is_dir:
        yield from _iter_maildir(p) if maildir else _iter_eml_folder(p)
        return
    if p.suffix.lower() == ".jsonl":
        yield from _iter_jsonl(p)
        return
    try:
        fh = p.open("rb")
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from exc
    with fh:
        # peek, not read and seek back: a pipe (`<(zcat box.mbox.gz)`, a FIFO) cannot seek.
        try:
            head = fh.peek(5)[:5]
        except OSError as exc:
            raise SourceError(f"{path}: {exc.strerror or exc}") from exc
        if head == b"From " and p.suffix.lower() != ".eml":
            yield from _iter_mbox(fh, str(p))
        else:
            yield RawMessage(id=str(p), raw=_read(fh, str(p)))


def _read(fh: BinaryIO, name: str) -> bytes:
    try:
        return fh.read(MAX_MESSAGE_BYTES)
    except OSError as exc:
        raise SourceError(f"{name}: {exc.strerror or exc}") from exc


def _head(f: Path) -> bytes:
    with f.open("rb") as fh:
        return fh.read(MAX_MESSAGE_BYTES)


def _iter_files(files: list[Path], problems: list[str]) -> Iterator[RawMessage]:
    """Every readable file as a message; unreadable ones are reported together at the end,
    after the rest of the folder was scored."""
    for f in files:
        try:
            yield RawMessage(id=str(f), raw=_head(f))
        except OSError as exc:
            problems.append(f"{f}: {exc.strerror or exc}")
    _report(problems)


def _report(problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise SourceError("; ".join(problems[:3]) + more)


def _iter_eml_folder(folder: Path) -> Iterator[RawMessage]:
    problems: list[str] = []

    def walk_error(exc: OSError) -> None:
        problems.append(f"{exc.filename}: {exc.strerror or exc}")

    files = sorted(
        (Path(root) / name for root, _dirs, names in os.walk(folder, onerror=walk_error) for name in names
         if name.lower().endswith(".eml")),
        key=str,
    )
    yield from _iter_files(files, problems)


def _iter_maildir(folder: Path) -> Iterator[RawMessage]:
    problems: list[str] = []
    files: list[Path] = []
    for sub in ("new", "cur"):
        d = folder / sub
        if not d.is_dir():
            continue
        try:
            files += sorted(f for f in d.iterdir() if f.is_file() and not f.name.startswith("."))
        except OSError as exc:
            problems.append(f"{d}: {exc.strerror or exc}")
    # A mail client marking a message read renames new/X to cur/X:2,S (and a flag change
    # renames within cur) while we score: follow it by its unique part, read it once.
    done: set[str] = set()
    for f in files:
        if _maildir_key(f) in done:
            continue
        try:
            f, raw = _follow(folder, f)
        except OSError as exc:
            problems.append(f"{f}: {exc.strerror or exc}")
            continue
        done.add(_maildir_key(f))
        yield RawMessage(id=str(f), raw=raw)
    _report(problems)


def _follow(folder: Path, f: Path) -> tuple[Path, bytes]:
    """The file and its bytes, found again in cur/ when it was renamed since the listing."""
    try:
        return f, _head(f)
    except FileNotFoundError:
        for c in (folder / "cur").iterdir():
            if _maildir_key(c) == _maildir_key(f):
                return c, _head(c)
        raise


def _maildir_key(f: Path) -> str:
    # A Maildir name is a unique part, then ":2," and flags that a rename may change.
    return f.name.split(":", 1)[0]


def _iter_mbox(fh: BinaryIO, name: str) -> Iterator[RawMessage]:
    """Split an mbox on ``From `` lines, undoing mboxrd ``>From `` quoting."""
    n = 0
    lines: list[bytes] = []
    size = 0
    started = False
    prev_blank = True
    for line in fh:
        if line.startswith(b"From ") and prev_blank:
            if started:
                n += 1
                yield RawMessage(id=f"{name}#{n}", raw=_strip_trailing_blank(lines))
            lines, size = [], 0
            started = True
            prev_blank = False
            continue
        prev_blank = line in (b"\n", b"\r\n")
        if size >= MAX_MESSAGE_BYTES:
            continue  # past the cap: skipped up to the next "From " line
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]
        lines.append(line)
        size += len(line)
    if started:
        n += 1
        yield RawMessage(id=f"{name}#{n}", raw=_strip_trailing_blank(lines))


def _strip_trailing_blank(lines: list[bytes]) -> bytes:
    # The blank line before the next "From " belongs to the mbox, not to the message.
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]
    return b"".join(lines)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(s: str) -> str:
    # JSON allows "\ud83d" alone (text cut by UTF-16 length); no text tool can encode it.
    # One character for one keeps every offset into the body valid.
    return _LONE_SURROGATE.sub("\ufffd", s)


def _iter_jsonl(p: Path) -> Iterator[RawMessage]:
    try:
        # utf-8-sig: files saved by Windows tools open with a byte-order mark.
        fh = p.open("r", encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise SourceError(f"{p}: {exc.strerror or exc}") from exc
    bad: list[int] = []
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                bad.append(lineno)
                continue
            if not isinstance(obj, dict):
                bad.append(lineno)
                continue
            fields = {k: _no_lone_surrogates(obj[k]) if isinstance(obj.get(k), str) else ""
                      for k in _JSONL_FIELDS}
            for k, v in obj.items():
                if k not in fields and isinstance(v, str):
                    fields[k] = _no_lone_surrogates(v)
            yield RawMessage(id=str(obj.get("id", f"{p}#{lineno}")), fields=fields)
    if bad:
        shown = ", ".join(map(str, bad[:5])) + (" ..." if len(bad) > 5 else "")
        raise SourceError(f"{p}: line {shown} is not a JSON object")
