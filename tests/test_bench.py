"""The benchmark's servers stop with it: none is left serving, orphaned to init."""

import os
import signal
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to see processes")


@pytest.fixture
def topic_pages(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import topic_pages

    return topic_pages


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_gunicorn_workers_are_stopped_even_when_the_master_died_first(topic_pages):
    env = {**os.environ, "PYTHONPATH": str(BENCH)}
    with topic_pages.gunicorn("hello:app", BENCH, env):
        [master] = _children(os.getpid())
        deadline = time.monotonic() + 20
        while len(_children(master)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _children(master)
        assert len(workers) == 2
        # The master dies outright, as in a crashed run: its workers are orphaned and keep serving.
        os.kill(master, signal.SIGKILL)
        time.sleep(0.3)
        assert any(_running(worker) for worker in workers)
    assert not any(_running(worker) for worker in workers)
