"""`triage scan` against a local Dovecot: messages/s end to end beside a bare
imapclient fetch of the same messages (the I/O floor), and peak memory for a
1,000- and a 10,000-message folder. Needs root and dovecot (as the tests do).
Prints figures; asserts nothing."""

from __future__ import annotations

import mailbox
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402


def fill(server, folder: str, n: int) -> None:
    src = [m.as_bytes() for m in mailbox.mbox(str(ROOT / "data" / "samples" / "inbox.mbox"))]
    c = server.client()
    c.create_folder(folder)
    for i in range(n):
        raw = re.sub(rb"(?im)^Message-ID:.*$", f"Message-ID: <bench-{folder}-{i}@triage>".encode(),
                     src[i % len(src)], count=1)
        c.append(folder, raw)
    c.logout()


def bare_fetch(server, folder: str) -> float:
    t0 = time.perf_counter()
    c = server.client()
    c.select_folder(folder, readonly=True)
    uids = c.search("ALL")
    for i in range(0, len(uids), 50):
        c.fetch(uids[i:i + 50], ["BODY.PEEK[]"])
    c.logout()
    return time.perf_counter() - t0


def triage_scan(server, folder: str, tmp: Path) -> tuple[float, float, int]:
    cfg = tmp / f"{folder}.toml"
    cfg.write_text(f'[store]\npath = "{tmp / (folder + ".db")}"\n\n[[accounts]]\nname = "bench"\n'
                   f'host = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
                   f'username = "{servers.USER}"\npassword_env = "BENCH_PW"\nfolders = ["{folder}"]\n'
                   "batch_size = 50\n")
    code = ("import runpy, sys\n"
            f"sys.argv=['triage','scan','--config',{str(cfg)!r},'--format','jsonl']\n"
            "try:\n runpy.run_module('triage', run_name='__main__')\nexcept SystemExit: pass\n"
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "sys.stderr.write('\\nPEAK '+str(int(hwm)/1024))")
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                         env=dict(os.environ, BENCH_PW=servers.PASSWORD), check=True)
    dt = time.perf_counter() - t0
    peak = float(res.stderr.decode().rsplit("PEAK ", 1)[1])
    return dt, peak, len(res.stdout.splitlines())


def main() -> None:
    if os.geteuid() != 0:
        sys.exit("bench_scan needs root to run Dovecot's mail processes as uid 65534")
    server = servers.start_dovecot()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in (1000, 10000):
                folder = f"Bench{n}"
                fill(server, folder, n)
                floor = bare_fetch(server, folder)
                dt, peak, got = triage_scan(server, folder, Path(tmp))
                print(f"{n:6d} messages: triage scan {n / dt:6.0f} msg/s ({dt:.1f} s, {got} reported), "
                      f"bare imapclient fetch {n / floor:6.0f} msg/s; ratio {dt / floor:.1f}x; "
                      f"peak RSS {peak:.0f} MB")
    finally:
        servers.remove(server)


if __name__ == "__main__":
    main()
