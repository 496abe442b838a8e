"""What the HTTP benches share (bench/voting.py, bench/load.py): the project served by gunicorn
on a database of the bench's own, clients that time each request, and percentiles.

Not a bench itself. The server runs with `config.settings.local`, DEBUG off, the database and
ballot-key directory the bench gives, one persistent database connection per worker thread
(CONN_MAX_AGE), as a deployment would.
"""

import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(*, database_url: str, workers: int, threads: int = 1, env: dict | None = None) -> Iterator[str]:
    """The project behind gunicorn on a free local port; yields its base URL. Its log goes to a
    file next to the bench's temporary files (printed when it fails to start)."""
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"tdkt_bench_gunicorn_{port}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        **(env or {}),
    }
    command = [
        str(GUNICORN),
        "config.wsgi",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        "--log-level=warning",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


def _wait_until_up(base: str, process, log: Path, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            requests.get(f"{base}/login/", timeout=30)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s")


def percentile(values, p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Timings:
    """Latencies in seconds by kind of request, and the errors seen."""

    by_kind: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.by_kind.setdefault(kind, []).append(seconds)

    def error(self, kind: str, what: str) -> None:
        self.errors.setdefault(kind, []).append(what)

    def merge(self, other: "Timings") -> None:
        for kind, values in other.by_kind.items():
            self.by_kind.setdefault(kind, []).extend(values)
        for kind, values in other.errors.items():
            self.errors.setdefault(kind, []).extend(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def summary_line(name: str, values, elapsed: float | None = None, errors: int = 0) -> str:
    line = (
        f"{name:<28} n={len(values):>6}  p50={ms(percentile(values, 50))} ms  "
        f"p95={ms(percentile(values, 95))} ms  max={ms(max(values) if values else math.nan)} ms"
    )
    if elapsed:
        line += f"  {len(values) / elapsed:7.1f}/s"
    if errors:
        line += f"  errors={errors}"
    return line
