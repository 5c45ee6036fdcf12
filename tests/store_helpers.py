"""Helpers for test_store.py: snapshot builder and the worker run in child processes.

The worker lives in an importable module (not the test file) because the
``spawn`` start method re-imports it by name in each child process.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from hashlib import sha256
from pathlib import Path

from comparer.records import Snapshot

T0 = datetime(2021, 2, 26, 9, 30, tzinfo=UTC)


def make_snapshot(
    url: str, body: bytes, *, minutes: int = 0, final_url: str | None = None
) -> Snapshot:
    """A snapshot of ``body`` fetched ``minutes`` after T0."""
    return Snapshot(
        requested_url=url,
        final_url=final_url or url,
        http_status=200,
        fetched_at=T0 + timedelta(minutes=minutes),
        content_type="text/html; charset=utf-8",
        sha256=sha256(body).hexdigest(),
        body=body,
        encoding="utf-8",
    )


def write_snapshots(path: str, worker: int, count: int, barrier) -> None:
    """Child process: wait for the other writer, open the store, write ``count`` rows.

    Opening after the barrier makes both processes also race to create the
    store when the file does not exist yet.
    """
    from comparer.store import Store

    barrier.wait()
    with Store(Path(path)) as store:
        for i in range(count):
            body = f"<p>worker {worker} page {i}</p>".encode()
            store.save_snapshot(make_snapshot(f"https://w{worker}.example/{i}", body, minutes=i))
