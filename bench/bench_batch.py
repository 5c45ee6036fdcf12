"""Many events: ``batch`` on 1 and 2 workers against one ``compare`` process per event.
Prints figures; asserts nothing.

Run from the repo root on a folder with one subfolder of sources per event, such as the
FA-KES dev split written by ``bench.fakes_events``::

    .venv/bin/python -m bench.fakes_events PATH/fakes.csv /tmp/fakes_dev_events
    .venv/bin/python -m bench.bench_batch /tmp/fakes_dev_events [--limit N] [--repeat N]

The first ``--limit`` events (by name; 12 unless told) are copied into a scratch folder
and compared three ways, each in fresh processes and with stores empty at the start, as
a user would run them (wall-clock time from the command's start to its exit, imports,
model loading and the cluster's start included):

- **per process**: ``python -m comparer compare --json FILE`` once per event, one after
  the other: every process imports torch and loads both models again;
- **batch, 1 worker** and **batch, 2 workers**: ``python -m comparer batch`` on an
  embedded local cluster; each worker process loads the models once.

Timings on a shared two-core VM move a lot between runs (any other busy process takes
a worker's core), so ``--repeat N`` runs each batch N times and shows the median
run, with the range under the table; the per-process baseline, which takes minutes, runs
once.

Peak RSS: for the per-process runs the largest of the compare processes
(``RUSAGE_CHILDREN``); for the batches each worker's own peak, as its tasks report it in
``summary.csv`` (``peak_rss_mb``). The reports of the three runs are checked to agree
(volatile fields aside), so the speed is not bought with different results.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOLATILE = ("generated_at", "run_id", "timings")


def _config(folder: Path) -> Path:
    """The settings of every run: one file, since a report lists the settings it was made
    with. Its store is the compare processes' only: a batch's workers keep theirs in
    ``<out>/stores``, so every run starts from an empty cache all the same."""
    path = folder / "settings.toml"
    if not path.exists():
        path.write_text(f'[store]\ndata_dir = "{folder / "store"}"\n', encoding="utf-8")
    return path


def per_process(events: list[Path], scratch: Path) -> tuple[float, float, Path]:
    """Seconds for one compare process per event, the largest child's peak RSS in MB,
    and the folder of their reports (a compare that fails is said, and timed as run)."""
    out = scratch / "per-process"
    out.mkdir()
    config = _config(scratch)
    started = time.perf_counter()
    for event in events:
        files = sorted(str(p) for p in event.iterdir() if p.is_file())
        run = subprocess.run(
            [sys.executable, "-m", "comparer", "compare", "--quiet"]
            + ["--json", str(out / f"{event.name}.json"), "--config", str(config), *files],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            last = (run.stderr.strip().splitlines() or ["?"])[-1]
            print(f"  compare of {event.name} exited {run.returncode}: {last}", flush=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    return seconds, peak, out


def batch(
    events_dir: Path, scratch: Path, workers: int, attempt: int
) -> tuple[float, dict[str, float], Path]:
    """Seconds for ``batch`` on ``workers`` local workers, each worker's peak RSS in MB,
    and the output folder."""
    name = f"batch-{workers}-{attempt}"
    out = scratch / name
    config = _config(scratch)
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "comparer", "batch", str(events_dir), "--out", str(out)]
        + ["--workers", str(workers), "--config", str(config), "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if run.returncode == 2:
        sys.exit(f"batch on {workers} workers refused its arguments:\n{run.stderr}")
    if run.returncode == 1:
        print(f"  batch on {workers} workers: some events failed (see their summary rows)")
    peaks: dict[str, float] = {}
    with (out / "summary.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            worker = row["worker"]
            if not worker:  # an event that failed before reaching a worker
                continue
            peaks[worker] = max(peaks.get(worker, 0.0), float(row["peak_rss_mb"]))
    return seconds, peaks, out


def _stable(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in VOLATILE}


def _differing(events: list[Path], reference: Path, other: Path) -> list[str]:
    return [
        e.name
        for e in events
        if not (reference / f"{e.name}.json").exists()
        or not (other / f"{e.name}.json").exists()
        or _stable(reference / f"{e.name}.json") != _stable(other / f"{e.name}.json")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_batch", description=__doc__)
    parser.add_argument("events", type=Path, nargs="?", help="folder with one subfolder per event")
    parser.add_argument("--limit", type=int, default=12, help="events compared (default 12)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each batch; the median is shown"
    )
    args = parser.parse_args()
    if args.events is None:  # ``make bench`` runs every script; the events are not in the repo
        print("bench_batch: skipped (give a folder of events, e.g. from bench.fakes_events)")
        return
    chosen = sorted(
        (p for p in args.events.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )[: args.limit]
    if not chosen:
        sys.exit(f"{args.events}: no event folders")
    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp:
        scratch = Path(tmp)
        events_dir = scratch / "events"
        for event in chosen:
            shutil.copytree(event, events_dir / event.name)
        events = sorted(events_dir.iterdir(), key=lambda p: p.name)
        articles = sum(len(list(e.iterdir())) for e in events)
        print(f"{len(events)} events, {articles} articles, from {args.events}", flush=True)

        rows = []
        seconds, peak, reference = per_process(events, scratch)
        rows.append(("compare, one process per event", seconds, f"{peak:,.0f} (largest process)"))
        print(f"  per process: {seconds:.1f} s", flush=True)
        spreads = []
        for workers in (1, 2):
            runs = []
            for attempt in range(args.repeat):
                seconds, peaks, out = batch(events_dir, scratch, workers, attempt)
                runs.append((seconds, peaks))
                print(f"  batch on {workers}: {seconds:.1f} s", flush=True)
                differing = _differing(events, reference, out)
                if differing:
                    print(f"  reports differ from compare's for: {', '.join(differing)}")
            runs.sort(key=lambda run: run[0])
            seconds, peaks = runs[len(runs) // 2]  # the median run
            shown = ", ".join(f"worker {w}: {mb:,.0f}" for w, mb in sorted(peaks.items()))
            rows.append((f"batch, {workers} worker{'s' if workers > 1 else ''}", seconds, shown))
            spreads.append(f"{workers}: {runs[0][0]:.1f}-{runs[-1][0]:.1f} s")

    print()
    print(f"{'run':32} {'seconds':>8} {'events/min':>11}  peak RSS (MB)")
    for name, seconds, peak_text in rows:
        print(f"{name:32} {seconds:8.1f} {len(events) / seconds * 60:11.1f}  {peak_text}")
    base = rows[0][1]
    if args.repeat > 1:
        print(f"batch runs: the median of {args.repeat}; range on " + ", ".join(spreads))
    print(
        "speed-up over one process per event: "
        + ", ".join(f"{name.split(', ')[1]} {base / s:.2f}x" for name, s, _ in rows[1:])
    )


if __name__ == "__main__":
    main()
