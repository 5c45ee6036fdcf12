"""What runs in a worker process: one event compared as ``compare --json`` compares it.

``compare_event`` is the task the engine submits once per event. It does what the command
line's ``compare`` does for the same sources and settings (``intake.plan_sources``,
``pipeline.compare``, ``runs.save_report``, ``report.to_json``) and returns the JSON-ready
report with what the summary needs; it writes no file, so that the client process alone
owns the output folder and a task that is run twice (after a worker died) changes nothing
there.

Why the models need no code here: ``pipeline.compare`` gets them from
``pipeline.load_models``, whose loaders keep the embedder and the spaCy pipeline in
module-level caches (``embed.load_embedder``, ``facts.nlp.load_nlp``). A worker process
lives for the whole batch (and, on a standing cluster, across batches), so each process
loads them once, on its first event, in the task's own thread. Loading them from a
``WorkerPlugin.setup`` instead would run a 5-10 s import in the worker's event loop, where
it would hold up the worker's heartbeats, and a worker that never gets an event would pay
for nothing.

The store does need a plugin: ``WorkerStores`` holds one SQLite store per worker process,
in ``<store_dir>/<worker name>/``, opened on the worker's first event and closed by the
plugin's ``teardown`` when the batch ends (or the worker stops), which a module-level cache
could not do. Each worker has its own file, so workers never wait on one another's write
lock, and a worker restarted under the same name finds its store again.
"""

from __future__ import annotations

import re
import resource
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin, get_worker

from comparer.batch.inputs import EventJob
from comparer.errors import ComparerError
from comparer.settings import Settings

if TYPE_CHECKING:
    from distributed import Worker

    from comparer.store import Store


@dataclass(frozen=True)
class EventOutcome:
    """What a worker hands back for one event: the report (None when the event failed
    before one could be made), the error ("" when none), and how the run went."""

    event: str
    report: dict[str, Any] | None
    error: str = ""
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    worker: str = ""
    peak_rss_mb: float = 0.0


def folder_name(worker_name: object) -> str:
    """A worker's name as a folder name: a standing cluster's workers may be named after
    their address ("tcp://10.0.0.5:39721"), which is no file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(worker_name)).strip(".-") or "worker"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (ru_maxrss is in kilobytes on
    Linux, in bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1_000_000 if sys.platform == "darwin" else 1024)


class WorkerStores(WorkerPlugin):
    """One store per worker process for one batch (see the module docstring).

    ``quiet_loading``: the batch started these worker processes itself, so it may turn
    off the model loader's progress bar in them as the command line does in its own
    process; on a standing cluster the workers' settings are left alone."""

    def __init__(self, store_dir: str, *, quiet_loading: bool = False) -> None:
        self.store_dir = store_dir
        self.quiet_loading = quiet_loading
        self.worker_name = ""
        self.folder = Path(store_dir)
        self._store: Store | None = None
        self._lock: threading.Lock | None = None  # made on the worker: a lock cannot be pickled

    def setup(self, worker: Worker) -> None:
        self.worker_name = str(worker.name)
        self.folder = Path(self.store_dir) / folder_name(worker.name)
        self._lock = threading.Lock()
        if self.quiet_loading:
            from comparer.pipeline import quiet_model_loading

            quiet_model_loading()

    def store(self, settings: Settings) -> Store:
        """The worker's store, opened on first use (StoreError when it cannot be)."""
        from comparer.store import Store

        assert self._lock is not None, "the plugin is used before its setup"
        with self._lock:  # a standing cluster's worker may run several threads
            if self._store is None:
                here = replace(settings, store=replace(settings.store, data_dir=str(self.folder)))
                self._store = Store.open(here)
            return self._store

    def teardown(self, worker: Worker) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def compare_event(job: EventJob, settings: Settings, plugin: str) -> EventOutcome:
    """Compare one event in this worker process (``plugin``: the name its
    ``WorkerStores`` was registered under).

    The library's own errors (sources the intake refuses, a store that cannot be
    opened) come back as the outcome's error, with the worker named; anything else
    is raised, and the client records it at the event's boundary.
    """
    from comparer import pipeline
    from comparer import report as report_mod
    from comparer.intake import plan_sources
    from comparer.runs import save_report

    started = time.perf_counter()
    stores: WorkerStores = get_worker().plugins[plugin]  # type: ignore[assignment]

    def outcome(report: dict[str, Any] | None, error: str, warnings: list[str]) -> EventOutcome:
        return EventOutcome(
            event=job.name,
            report=report,
            error=error,
            warnings=tuple(warnings),
            seconds=round(time.perf_counter() - started, 3),
            worker=stores.worker_name,
            peak_rss_mb=round(peak_rss_mb(), 1),
        )

    plan = plan_sources(specs=job.specs, settings=settings, comparing=True)
    warnings = list(plan.warnings)
    if not plan.ok:
        return outcome(None, "SourceError: " + " ".join(plan.errors), warnings)
    try:
        store = stores.store(settings)
    except ComparerError as exc:
        return outcome(None, f"{type(exc).__name__}: {exc}", warnings)
    report = pipeline.compare(plan.sources(), settings, store=store)
    saved = save_report(report, store, settings)
    warnings += saved.warnings
    data = report_mod.to_json(saved.report)
    return outcome(data, _unread_error(data), warnings)


def _unread_error(data: dict[str, Any]) -> str:
    """The event's error when none of its sources could be read (the command line's exit
    status 1), naming the first source's reason; "" otherwise."""
    sources = data["sources"]
    if any(s.get("status") == "ok" for s in sources):
        return ""
    first = sources[0] if sources else {}
    reason = f" (first: {first.get('error_type')}: {first.get('error')})" if first else ""
    return f"none of the {len(sources)} sources could be read{reason}"


__all__ = ["EventOutcome", "WorkerStores", "compare_event", "folder_name", "peak_rss_mb"]
