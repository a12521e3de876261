"""The benchmark's servers stop with it: none is left serving, orphaned to init."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to see processes")

SERVE_UNTIL_KILLED = """
import sys, time
sys.path.insert(0, sys.argv[1])
import topic_pages
with topic_pages.gunicorn("hello:app", topic_pages.Path(sys.argv[1]), {"PYTHONPATH": sys.argv[1], "PATH": ""}) as port:
    print(port, flush=True)
    time.sleep(120)
"""


def _descendants(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(child) for child in path.read_text().split()] if path.exists() else []
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _serving(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_a_terminated_benchmark_leaves_no_gunicorn_serving():
    bench = subprocess.Popen([sys.executable, "-c", SERVE_UNTIL_KILLED, str(BENCH)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(bench.stdout.readline())
        deadline = time.monotonic() + 20
        while len(_descendants(bench.pid)) < 3 and time.monotonic() < deadline:  # the master and two workers
            time.sleep(0.1)
        servers = _descendants(bench.pid)
        assert len(servers) == 3 and _serving(port)
        os.kill(bench.pid, signal.SIGTERM)
        assert bench.wait(timeout=60) == 143
    finally:
        bench.kill()
        bench.wait()
    assert not any(_running(pid) for pid in servers)
    assert not _serving(port)
