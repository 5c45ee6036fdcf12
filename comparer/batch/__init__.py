"""Many events at once: ``python -m comparer batch`` on Dask distributed.

``inputs.py`` reads a folder of event folders or a manifest into ``EventJob``s,
``worker.py`` is what runs in a worker process (one event compared as ``compare --json``
does it), ``engine.py`` drives the cluster and writes results as they arrive through
``outputs.py`` (reports, ``summary.csv``, ``values.parquet``, the state ``--resume``
reads), and ``progress.py`` tells the user how far it got.
"""

from comparer.batch.engine import BatchResult, run_batch
from comparer.batch.inputs import BatchInputError, EventJob, read_events
from comparer.batch.progress import BatchProgress

__all__ = [
    "BatchInputError",
    "BatchProgress",
    "BatchResult",
    "EventJob",
    "read_events",
    "run_batch",
]
