"""Running a batch on Dask distributed: the cluster, one task per event, results as they come.

1. **Plan**: each event of the input is either kept (``--resume``, and its report,
   inputs and settings unchanged: ``outputs.BatchState``) or to be run.
2. **Cluster**: with no scheduler address, an embedded ``LocalCluster`` of N worker
   processes with one thread each (N = the CPU count by default; no dashboard, so that
   two batches, or a batch and the tests, never fight over port 8787); with an address,
   ``Client(address)`` on a standing cluster. Nothing is started when nothing is to run.
3. **Workers**: a ``worker.WorkerStores`` plugin, registered under a name of this batch's
   own, gives each worker process its store in ``<store_dir>/<worker name>/``; the models
   are loaded once per worker process by the pipeline's own loaders (``worker.py`` says why).
4. **Run**: ``client.submit`` per event, then ``distributed.as_completed``: each event's
   report, state entry and summary row are written as soon as it finishes, so an event
   done is never lost to a later failure or to the batch being stopped.
5. **Finish**: ``summary.csv`` rewritten in input order (resumed events included) and
   ``values.parquet`` written; the plugin is removed, which closes the workers' stores.

Faults stay with their event. A failed event (sources the intake refuses, none of its
sources readable, an exception in its task, its worker killed more often than
``distributed.scheduler.allowed-failures`` allows: ``KilledWorker``) is a summary row with
its error. A worker lost mid-batch has its event run again on another worker by Dask
itself; the task writes no output file (the client does), so running it twice is harmless.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from comparer.batch.inputs import EventJob
from comparer.batch.outputs import (
    BatchState,
    EventRun,
    SummaryFile,
    settings_hash,
    summary_row,
    value_rows,
    write_report,
    write_values,
)
from comparer.batch.progress import BatchProgress
from comparer.batch.worker import EventOutcome, WorkerStores, compare_event
from comparer.errors import ComparerError
from comparer.settings import Settings

if TYPE_CHECKING:
    from distributed import Client, Future

# The task run once per event; tests hand in a wrapper of ``compare_event`` (one that
# kills its worker on a first attempt, say) with the same signature.
Task = Callable[[EventJob, Settings, str], EventOutcome]
CONNECT_TIMEOUT = "20s"  # for a scheduler address: how long to try before giving up
_BLAS_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: the summary rows in input order, and counts."""

    rows: tuple[dict[str, Any], ...]
    submitted: int  # events run in this batch (0 when every event was resumed)
    resumed: int
    failed: int
    out_dir: Path


def _check_out_dir(out_dir: Path) -> None:
    """Create the output folder and make sure it can be written, before any work."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ComparerError(
            f"--out {out_dir}: cannot write there ({exc.strerror or exc})"
        ) from None


def store_folder(settings: Settings, out_dir: Path) -> str:
    """Where the workers' stores go (``batch.store_dir``, else ``<out>/stores``), made
    absolute here because a worker's working folder need not be the client's."""
    chosen = settings.batch.store_dir.strip()
    return os.path.abspath(Path(chosen).expanduser() if chosen else out_dir / "stores")


@contextmanager
def connect(*, workers: int | None, scheduler: str | None) -> Iterator[tuple[Client, str]]:
    """A client on a standing cluster (``scheduler``) or on an embedded LocalCluster of
    ``workers`` processes; yields it with a phrase saying where the events run."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError) as exc:  # refused, timed out, or not an address
            raise ComparerError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        with client:
            n = len(client.scheduler_info().get("workers", {}))
            now = f"{n} worker{'s' if n != 1 else ''} now" if n else "no worker yet: waiting"
            yield client, f"the scheduler at {scheduler} ({now})"
        return
    n = workers or os.cpu_count() or 1
    # Dask starts its workers with one BLAS/OpenMP thread each, right when every core has
    # a worker; with fewer workers than cores, each worker's torch gets its share instead.
    # Given as the nanny's ``env``, set in each worker process as it starts (torch reads it
    # on its first import, in the first task): Dask's pre-spawn settings are written into
    # this process's own environment, and would leak from one cluster into the next.
    threads = str(max(1, (os.cpu_count() or 1) // n))
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=dict.fromkeys(_BLAS_THREADS, threads),
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client, f"a local cluster of {n} worker process{'es' if n > 1 else ''}"


def _outcome(future: Future) -> EventOutcome | str:
    """The task's outcome, or what ended it, as "Type: message". A task's failure is read
    from the future's state rather than caught: whatever the event raised is its own
    error, while a mistake of this process's code still raises."""
    from distributed import KilledWorker

    if future.status == "cancelled":
        return "CancelledError: the event's task was cancelled (the cluster went away?)"
    if future.status == "error":
        exc = future.exception()
        if isinstance(exc, KilledWorker):
            return (
                "KilledWorker: the worker running this event died too often "
                "(distributed.scheduler.allowed-failures); the event may crash or exhaust it"
            )
        return f"{type(exc).__name__}: {exc}"
    return future.result()


class _Batch:
    """One batch's bookkeeping on the client: state, summary and value rows, progress."""

    def __init__(
        self, jobs: Sequence[EventJob], settings: Settings, out_dir: Path, progress: BatchProgress
    ) -> None:
        self.jobs = jobs
        self.out_dir = out_dir
        self.progress = progress
        self.settings_digest = settings_hash(settings)
        self.state = BatchState.load(out_dir)
        self.summary = SummaryFile(out_dir)
        self.rows: dict[str, dict[str, Any]] = {}
        self.values: dict[str, Any] = {}  # event -> its value rows (a pandas DataFrame)

    def keep(self, job: EventJob) -> bool:
        """Take the event's earlier report as it is, when it may be (``--resume``)."""
        found = self.state.resumable(job, self.settings_digest, self.out_dir)
        if found is None:
            return False
        report, run = found
        self.rows[job.name] = summary_row(job, report, run)
        self.values[job.name] = value_rows(job.name, report)
        return True

    def finished(self, job: EventJob, outcome: EventOutcome | str) -> None:
        """Write what one event produced, as soon as it is known."""
        if isinstance(outcome, str):
            outcome = EventOutcome(event=job.name, report=None, error=outcome)
        report, error, digest = outcome.report, outcome.error, None
        if report is not None:
            try:
                digest = write_report(self.out_dir, job.name, report)
            except OSError as exc:  # a full disk: this event's loss, said in its row
                error = f"OSError: the report could not be written: {exc.strerror or exc}"
                report = None
        run = EventRun(
            status="failed" if error else "ok",
            error=error,
            seconds=outcome.seconds,
            worker=outcome.worker,
            peak_rss_mb=outcome.peak_rss_mb,
            warnings=outcome.warnings,
        )
        self.state.record(job, self.settings_digest, run, digest)
        row = summary_row(job, report, run)
        self.rows[job.name] = row
        self.summary.append(row)
        if report is not None:
            self.values[job.name] = value_rows(job.name, report)
        self.progress.event(job.name, error=error, seconds=run.seconds, worker=run.worker)

    def close(self) -> tuple[dict[str, Any], ...]:
        """The summary in input order and the values file; returns the rows."""
        rows = tuple(self.rows[j.name] for j in self.jobs if j.name in self.rows)
        self.summary.finish(rows)
        write_values(
            self.out_dir, (self.values[j.name] for j in self.jobs if j.name in self.values)
        )
        return rows


def run_batch(
    jobs: Sequence[EventJob],
    settings: Settings,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: BatchProgress | None = None,
    task: Task = compare_event,
) -> BatchResult:
    """Compare every event of ``jobs`` and write the outputs into ``out_dir`` (see the
    module docstring). ComparerError for a usage mistake (a bad worker count, an output
    folder that cannot be written, a scheduler that cannot be reached); a failing event
    is never raised, it is a row of the result."""
    if workers is not None and workers < 1:
        raise ComparerError(f"--workers must be at least 1, got {workers}")
    if workers is not None and scheduler:
        raise ComparerError("--workers is for the local cluster; a scheduler has its own workers")
    out = Path(os.path.abspath(Path(out_dir).expanduser()))
    _check_out_dir(out)
    progress = progress or BatchProgress(quiet=True)
    batch = _Batch(jobs, settings, out, progress)
    todo = [job for job in jobs if not (resume and batch.keep(job))]
    resumed = len(jobs) - len(todo)
    try:
        if todo:
            with connect(workers=workers, scheduler=scheduler) as (client, where):
                progress.start(len(jobs), resumed=resumed, where=where)
                _run_on(client, todo, settings, batch, task, embedded=not scheduler)
        else:
            progress.start(len(jobs), resumed=resumed)
    finally:
        batch.summary.close()
    rows = batch.close()
    progress.finish()
    failed = sum(row["status"] == "failed" for row in rows)
    return BatchResult(rows=rows, submitted=len(todo), resumed=resumed, failed=failed, out_dir=out)


def _run_on(
    client: Client,
    jobs: Sequence[EventJob],
    settings: Settings,
    batch: _Batch,
    task: Task,
    *,
    embedded: bool,
) -> None:
    """Submit one task per event and write each result as it arrives."""
    from distributed import as_completed

    plugin = f"crosscheck-batch-{uuid.uuid4().hex[:12]}"  # two batches on one cluster differ
    store_dir = store_folder(settings, batch.out_dir)
    client.register_plugin(WorkerStores(store_dir, quiet_loading=embedded), name=plugin)
    try:
        futures = {
            client.submit(task, job, settings, plugin, key=f"{plugin}-{n}"): job
            for n, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            job = futures[future]
            batch.finished(job, _outcome(future))
            future.release()  # the worker may drop the result now that it is written
    finally:
        client.unregister_worker_plugin(plugin)  # its teardown closes the workers' stores


__all__ = ["BatchResult", "Task", "connect", "run_batch", "store_folder"]
