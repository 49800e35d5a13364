"""Compiled pattern regexes kept between runs, as Python keeps bytecode in ``__pycache__``.

Python's ``re`` parses and compiles a pattern in Python code: the thousand pattern regexes
of the three languages take about 3 s of CPU to compile, and the first long message of a
language paid for most of its language's share (over the 0.5 s a message may take, on a slow
host). ``re`` has no public way to keep a compiled pattern, so this keeps what its compiler
hands to ``_sre.compile`` (the code array, flags and group names), one file per pattern set,
keyed by the interpreter's cache tag, the regex engine's magic number and the pattern
sources, so a new Python or a changed pattern file never reads a stale entry.

Anything unexpected (another interpreter's internals, an unreadable or corrupt file, a
read-only cache folder, an entry ``_sre`` refuses) falls back to ``re.compile``: the cache
can make a run faster, never different. ``_sre`` validates every code array it is given.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

try:  # CPython 3.11+ internals; elsewhere every pattern goes through re.compile
    import _sre
    from re import _compiler, _parser

    _FORMAT: tuple | None = (sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE)
except (ImportError, AttributeError):  # pragma: no cover - other interpreters
    _FORMAT = None

_VERSION = 1
T = TypeVar("T")


def cache_dir() -> Path | None:
    """``$TRIAGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/triage``, else ``~/.cache/triage``;
    None when ``TRIAGE_CACHE_DIR`` is set empty (caching off)."""
    given = os.environ.get("TRIAGE_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "triage"


def _entry(source: str, flags: int) -> tuple[tuple, re.Pattern[str]]:
    """What ``re._compiler.compile`` passes to ``_sre.compile``, and the pattern."""
    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # Plain ints: the compiler's opcodes and flags are int subclasses marshal cannot write.
    entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1,
             groupindex, tuple(indexgroup))
    return entry, _sre.compile(source, *entry)


class RegexStore:
    """Compiles the regexes of one pattern set (a list of (source, flags)), reusing the
    code arrays a previous run saved for exactly that set, and keeps what else is worked
    out from each source alone (the prefilter's literals and widened forms, whose parsing
    cost about as much again)."""

    def __init__(self, name: str, sources: Sequence[tuple[str, int]],
                 folder: Path | None = None) -> None:
        self.sources = list(sources)
        # kind -> pattern number -> what was worked out for it ("code" for _sre.compile;
        # others are the prefilter's analyses, see ``memo``).
        self._data: dict[str, dict[int, object]] = {}
        self._dirty = False
        self.path: Path | None = None
        folder = cache_dir() if folder is None else folder
        if _FORMAT is None or folder is None:
            return
        digest = hashlib.sha256(repr((_VERSION, _FORMAT, self.sources)).encode("utf-8",
                                                                              "surrogatepass"))
        self.path = folder / f"regex-{name}-{digest.hexdigest()[:20]}.marshal"
        try:
            loaded = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if isinstance(loaded, dict):
            self._data = {kind: per for kind, per in loaded.items()
                          if isinstance(kind, str) and isinstance(per, dict)}

    def memo(self, kind: str, k: int, compute: Callable[[], T],
             valid: Callable[[object], bool] | None = None) -> T:
        """``compute()`` for pattern ``k``, or what an earlier run saved for it when
        ``valid`` accepts it (a damaged file must not feed the caller a value of another
        shape). The value must be marshallable (None, bool, int, str, tuple, frozenset,
        list, dict)."""
        per = self._data.setdefault(kind, {})
        if k in per and (valid is None or valid(per[k])):
            return per[k]  # type: ignore[return-value]
        value = per[k] = compute()
        self._changed()
        return value

    def compile(self, k: int) -> re.Pattern[str]:
        source, flags = self.sources[k]
        if self.path is None:
            return re.compile(source, flags)
        codes = self._data.setdefault("code", {})
        entry = codes.get(k)
        if isinstance(entry, tuple) and len(entry) == 5:
            try:
                return _sre.compile(source, *entry)
            except (TypeError, ValueError, RuntimeError, OverflowError):
                pass  # refused by _sre's validation: compile afresh
        try:
            entry, rx = _entry(source, flags)
        except re.error:
            raise
        except Exception:  # noqa: BLE001 - internals changed: the public route still works
            self.path = None
            return re.compile(source, flags)
        codes[k] = entry
        self._changed()
        return rx

    def _changed(self) -> None:
        if not self._dirty and self.path is not None:
            self._dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write what was compiled (atomically; a failure leaves the cache as it was)."""
        if self.path is None or not self._dirty:
            return
        self._dirty = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = marshal.dumps(self._data)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".regex-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
            # Earlier versions of this pattern set are never read again.
            for old in self.path.parent.glob(self.path.name.rsplit("-", 1)[0] + "-*.marshal"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a read-only home or a full disk: the next run compiles again
