"""A batch's output folder: one report per event, ``summary.csv``, ``values.parquet`` and
``batch-state.json`` (what ``--resume`` reads).

- ``<event>.json``: the report, written byte for byte as ``compare --json`` writes it
  (``json.dumps(..., indent=2, ensure_ascii=False)`` and a final line break). Written to a
  temporary file and renamed, so a report on disk is always whole.
- ``summary.csv``: one row per event of the input, in input order (``SUMMARY_COLUMNS``).
  Rows are appended as events finish, so the file tells how far a batch got even if the
  client is stopped; at the end it is rewritten in input order with the resumed events.
- ``values.parquet``: every disagreement value of every event, one row per outlet's answer
  on a card. The rows are the report's CSV rows (``report.value_rows``), so there is one
  flattening of a report only, with ``event`` (the batch's event) in front; the CSV's own
  ``event`` column (the id of the event a card is about, inside its report) is renamed
  ``card_event``, and each field of a value has a ``value_<field>`` column as well. Resumed events are flattened from their report on disk, through
  ``report.from_json``, the same way.
- ``batch-state.json``: per event, the hashes of its inputs and settings, its status and
  the SHA-256 of its report file. ``--resume`` skips an event only when all of these
  still match and the report file is there unchanged; a failed event always runs again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, get_args

import pandas as pd  # type: ignore[import-untyped]

from comparer.batch.inputs import STATE_NAME, EventJob
from comparer.records import FactKind
from comparer.settings import Settings

STATE_FILE = f"{STATE_NAME}.json"
SUMMARY_FILE = "summary.csv"
VALUES_FILE = "values.parquet"
STATE_VERSION = 1
KINDS: tuple[str, ...] = get_args(FactKind)  # figure, time, attribution, place

# Columns are appended, never reordered (as for the report's CSV).
SUMMARY_COLUMNS = [
    "event",
    "status",  # ok, failed, or resumed (its report kept from an earlier run)
    "sources_given",
    "sources_read",
    "claim_groups",
    *(f"conflicts_{kind}" for kind in KINDS),
    "disagreements",
    "seconds",
    "worker",
    "peak_rss_mb",
    "error",
    "warnings",
]
# The report CSV's columns that hold numbers; every other one is text.
_INT_VALUE_COLUMNS = ("sentence_index", "start", "end")


def report_path(out_dir: Path, event: str) -> Path:
    return out_dir / f"{event}.json"


def report_text(data: Mapping[str, Any]) -> str:
    """The report as ``compare --json FILE`` writes it."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _replace_atomically(
    path: Path, write: Callable[[Any], object], *, binary: bool = False
) -> None:
    """Write ``path`` through a temporary file in its folder, renamed over it once whole
    (``write`` gets the open file: text, or bytes with ``binary``)."""
    # a fresh name opened with "x" rather than mkstemp, whose files are private (0600):
    # the outputs get the permissions any other file written here would get
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        if binary:
            with tmp.open("xb") as fh:
                write(fh)
        else:
            with tmp.open("x", encoding="utf-8", newline="") as fh:
                write(fh)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_report(out_dir: Path, event: str, data: Mapping[str, Any]) -> str:
    """Write the event's report; returns the SHA-256 of the file's bytes."""
    text = report_text(data)
    _replace_atomically(report_path(out_dir, event), lambda fh: fh.write(text))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_hash(settings: Settings) -> str:
    """What ``--resume`` compares for the settings: every setting, in a stable order."""
    text = json.dumps(settings.as_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- summary rows


@dataclass(frozen=True)
class EventRun:
    """How one event's run went, beside its report: what a summary row needs."""

    status: str  # ok, failed, resumed
    error: str = ""
    seconds: float = 0.0
    worker: str = ""
    peak_rss_mb: float = 0.0
    warnings: tuple[str, ...] = ()


def summary_row(job: EventJob, report: Mapping[str, Any] | None, run: EventRun) -> dict[str, Any]:
    """One row of ``summary.csv``; the counts come from the report (0 without one)."""
    report = report or {}
    conflicts = {kind: 0 for kind in KINDS}
    for card in report.get("disagreements", ()):
        if card.get("severity") == "conflict" and card.get("kind") in conflicts:
            conflicts[card["kind"]] += 1
    return {
        "event": job.name,
        "status": run.status,
        "sources_given": len(job.specs),
        "sources_read": sum(s.get("status") == "ok" for s in report.get("sources", ())),
        "claim_groups": len(report.get("claims", ())),
        **{f"conflicts_{kind}": n for kind, n in conflicts.items()},
        "disagreements": len(report.get("disagreements", ())),
        "seconds": run.seconds,
        "worker": run.worker,
        "peak_rss_mb": run.peak_rss_mb,
        "error": run.error,
        "warnings": " | ".join(run.warnings),
    }


class SummaryFile:
    """``summary.csv``, appended to as events finish and rewritten in order at the end."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / SUMMARY_FILE
        self._fh: IO[str] | None = None
        self._writer: Any = None

    def append(self, row: Mapping[str, Any]) -> None:
        if self._fh is None:
            self._fh = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._fh, SUMMARY_COLUMNS)
            self._writer.writeheader()
        self._writer.writerow(row)
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def finish(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """The whole summary, in the order given."""
        self.close()

        def write(fh: IO[str]) -> None:
            writer = csv.DictWriter(fh, SUMMARY_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)

        _replace_atomically(self.path, write)


# ---------------------------------------------------------------- disagreement values


def value_rows(event: str, report: dict[str, Any]) -> pd.DataFrame:
    """The report's disagreement values (``report.value_rows``, the CSV's rows) with the
    batch's event in front."""
    from comparer import report as report_mod

    rows = list(report_mod.value_rows(report_mod.from_json(report)))
    frame = pd.DataFrame(rows, columns=report_mod.CSV_COLUMNS).rename(
        columns={"event": "card_event"}
    )
    for column in _INT_VALUE_COLUMNS:
        frame[column] = frame[column].astype("int64")
    frame.insert(0, "event", event)
    return frame


def _with_fields(table: pd.DataFrame) -> pd.DataFrame:
    """Each field of a value in a column of its own as well (``value_low``,
    ``value_counted``, ``value_speaker`` ...), for filtering in pandas; done once over the
    whole batch so that a field has one type across events."""
    fields = [json.loads(v) for v in table["value"]]
    for key in sorted({k for f in fields for k in f}):
        table[f"value_{key}"] = _field_column([f.get(key) for f in fields])
    return table


def _field_column(cells: list[Any]) -> pd.Series:
    """One value field across rows: numbers stay numbers (None is a missing value), and a
    field holding anything else is text, lists and objects as JSON, so that Parquet gets
    one type per column whatever the kinds of card a batch holds."""
    present = [c for c in cells if c is not None]
    if present and all(isinstance(c, int | float) and not isinstance(c, bool) for c in present):
        return pd.Series(cells, dtype="float64")
    return pd.Series(
        [
            None
            if c is None
            else c
            if isinstance(c, str)
            else json.dumps(c, ensure_ascii=False, sort_keys=True)
            for c in cells
        ],
        dtype="object",
    )


def write_values(out_dir: Path, frames: Iterable[pd.DataFrame]) -> Path:
    """``values.parquet`` from the events' value rows (with the columns even when empty)."""
    from comparer import report as report_mod

    frames = [f for f in frames if len(f)]
    if frames:
        table = _with_fields(pd.concat(frames, ignore_index=True))
    else:
        columns = ["event"] + [c if c != "event" else "card_event" for c in report_mod.CSV_COLUMNS]
        table = pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in _INT_VALUE_COLUMNS else str) for c in columns}
        )
    path = out_dir / VALUES_FILE
    _replace_atomically(
        path, lambda fh: table.to_parquet(fh, engine="pyarrow", index=False), binary=True
    )
    return path


# ---------------------------------------------------------------- resume state


class BatchState:
    """``batch-state.json``: per event, what its last run was made from and how it went.

    Saved after every event, so that a batch stopped half way resumes from there.
    Entries of events not in this batch's input are kept: a batch over part of a folder
    does not forget the rest.
    """

    def __init__(self, out_dir: Path, events: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = out_dir / STATE_FILE
        self.events: dict[str, dict[str, Any]] = events or {}

    @classmethod
    def load(cls, out_dir: Path) -> BatchState:
        """The state in ``out_dir``; an unreadable or foreign file counts as no state
        (every event then runs again, which is always safe)."""
        path = out_dir / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return cls(out_dir)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls(out_dir)
        events = data.get("events")
        return cls(out_dir, events if isinstance(events, dict) else {})

    def record(
        self, job: EventJob, settings_digest: str, run: EventRun, report_sha256: str | None
    ) -> None:
        self.events[job.name] = {
            "input_hash": job.input_hash,
            "settings_hash": settings_digest,
            "status": run.status,
            "report_sha256": report_sha256,
            "seconds": run.seconds,
            "worker": run.worker,
            "peak_rss_mb": run.peak_rss_mb,
            "warnings": list(run.warnings),
        }
        data = {"version": STATE_VERSION, "events": self.events}
        text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True)
        _replace_atomically(self.path, lambda fh: fh.write(text))

    def resumable(
        self, job: EventJob, settings_digest: str, out_dir: Path
    ) -> tuple[dict[str, Any], EventRun] | None:
        """The event's report and its earlier run when it can be kept as it is, else None."""
        entry = self.events.get(job.name)
        if not isinstance(entry, dict) or entry.get("status") != "ok":
            return None
        if (entry.get("input_hash"), entry.get("settings_hash")) != (
            job.input_hash,
            settings_digest,
        ):
            return None
        try:
            raw = report_path(out_dir, job.name).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(raw).hexdigest() != entry.get("report_sha256"):
            return None  # changed or replaced by hand since: made again
        run = EventRun(
            status="resumed",
            seconds=float(entry.get("seconds") or 0.0),
            worker=str(entry.get("worker") or ""),
            peak_rss_mb=float(entry.get("peak_rss_mb") or 0.0),
            warnings=tuple(entry.get("warnings") or ()),
        )
        return json.loads(raw.decode("utf-8")), run


__all__ = [
    "KINDS",
    "STATE_FILE",
    "SUMMARY_COLUMNS",
    "SUMMARY_FILE",
    "VALUES_FILE",
    "BatchState",
    "EventRun",
    "SummaryFile",
    "report_path",
    "report_text",
    "settings_hash",
    "summary_row",
    "value_rows",
    "write_report",
    "write_values",
]
