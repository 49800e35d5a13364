"""Every module imports alone in a fresh interpreter, and only cli.py talks to people."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in (ROOT / "triage").rglob("*.py") if p.name != "__main__.py"
)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module):
    res = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr.decode()[-500:]


def test_only_cli_prints_or_exits():
    offenders = []
    for p in (ROOT / "triage").rglob("*.py"):
        if p.name in ("cli.py", "__main__.py"):
            continue
        text = p.read_text(encoding="utf-8")
        for bad in ("print(", "sys.exit(", "click."):
            if bad in text:
                offenders.append(f"{p.name}: {bad}")
    assert offenders == []
