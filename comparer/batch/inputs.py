"""A batch's input: a folder of event folders, or a manifest, read into ``EventJob``s.

Two forms, chosen by what INPUT is:

- **a folder**: every subfolder is one event, named after it; its files, in name order,
  are the event's sources, exactly as they would be given to ``compare`` (``.html``,
  ``.htm``, ``.txt``). Hidden entries (a leading ``.``) and files at the top level (a
  ``labels.json`` beside the events, say) are not events. A file of another kind is not
  skipped: it is given to the intake like any argument, which refuses it and fails that
  event, as ``compare`` would refuse it, so that nothing is left out without a word.
- **a manifest**: ``.csv`` (a header row naming the columns) or ``.jsonl`` / ``.ndjson``
  (one object per line) with the columns ``event`` and ``source``, one row per source.
  Events keep the order of their first row, sources their row order. A source is a URL
  or a path; a relative path is taken from the manifest's folder, so a manifest and its
  files can be moved together. Other columns are ignored (room for notes).

An event's name becomes its report's file name, ``<event>.json``, so a name that is not a
plain file name is refused rather than changed (two names changed into one would
overwrite each other's reports): no path separators, no control characters or line
breaks, no leading ``.`` (which also rules out ``..``), at most 200 bytes, not
``batch-state`` (the batch's own file), and no two names that differ only by case (one
file on macOS and Windows).

The input hash of an event (``EventJob.input_hash``) is what ``--resume`` compares: a
SHA-256 over each source in order, its spec and, for a file, the SHA-256 of its bytes (a
URL counts by its address; a stored snapshot is the store's business). A file that cannot
be read hashes as such, so that it reads as changed once it can be read.

Mistakes in the input as a whole (INPUT missing, a manifest without the columns, a bad
name) raise ``BatchInputError``: the command line exits 2 before starting anything.
Mistakes in one event's sources are that event's failure, found when it runs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from comparer.errors import ComparerError
from comparer.sources import is_url

MANIFEST_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
STATE_NAME = "batch-state"  # DIR/batch-state.json: no event may take its name
MAX_NAME_BYTES = 200  # "<name>.json" must stay under the usual 255-byte limit


class BatchInputError(ComparerError):
    """The batch's input cannot be read as events: the command line exits 2."""


@dataclass(frozen=True)
class EventJob:
    """One event to compare: its name, its sources as ``compare`` takes them, and the
    hash of those sources' content (see the module docstring)."""

    name: str
    specs: tuple[str, ...]
    input_hash: str


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an event's (file) name, or None."""
    if not name.strip():
        return "is empty"
    if "/" in name or "\\" in name:
        return "contains a path separator"
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in name):
        return "contains a control character or a line break"
    if name.startswith("."):
        return "starts with a dot"
    if name != name.strip():
        return "starts or ends with a space"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    if name.lower() == STATE_NAME:
        return f"is the name of the batch's own file ({STATE_NAME}.json)"
    return None


def _hash_specs(specs: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for spec in specs:
        if is_url(spec):
            digest.update(b"url\0" + spec.encode("utf-8") + b"\n")
            continue
        try:
            content = hashlib.sha256(Path(spec).expanduser().read_bytes()).hexdigest()
        # missing, unreadable, or no possible path (a NUL in it): the event says so when it runs
        except (OSError, ValueError) as exc:
            content = f"unreadable:{type(exc).__name__}"
        digest.update(b"file\0" + spec.encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + content.encode("ascii") + b"\n")
    return digest.hexdigest()


def _jobs(events: dict[str, list[str]], origin: str) -> list[EventJob]:
    """Jobs in the order given, names checked one by one and against each other."""
    seen: dict[str, str] = {}
    jobs = []
    for name, specs in events.items():
        problem = name_problem(name)
        if problem:
            raise BatchInputError(f"{origin}: the event name {name!r} {problem}")
        folded = name.casefold()
        if folded in seen:
            raise BatchInputError(
                f"{origin}: the events {seen[folded]!r} and {name!r} differ only by case; "
                "their reports would be one file on some systems"
            )
        seen[folded] = name
        jobs.append(EventJob(name=name, specs=tuple(specs), input_hash=_hash_specs(specs)))
    return jobs


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise BatchInputError(f"cannot list {folder}: {exc.strerror or exc}") from None


def _from_folder(folder: Path) -> list[EventJob]:
    events: dict[str, list[str]] = {}
    for sub in _files(folder):
        if sub.name.startswith(".") or not sub.is_dir():
            continue
        events[sub.name] = [
            str(f) for f in _files(sub) if not f.name.startswith(".") and f.is_file()
        ]
    if not events:
        raise BatchInputError(f"{folder}: no event folders in it (one subfolder per event)")
    return _jobs(events, str(folder))


def _source(value: object, manifest: Path, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BatchInputError(f"{where}: the source is missing or not text")
    value = value.strip()
    if is_url(value):
        return value
    path = Path(value).expanduser()
    return os.path.abspath(path if path.is_absolute() else manifest.parent / path)


def _rows_csv(manifest: Path, text: str) -> Iterable[tuple[str, object, object]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"event", "source"} - set(reader.fieldnames or ())
    if missing:
        raise BatchInputError(
            f"{manifest}: the header row must name the columns event and source "
            f"(missing: {', '.join(sorted(missing))})"
        )
    try:
        for row in reader:  # line_num: where the row ends, right also for quoted line breaks
            yield f"{manifest} line {reader.line_num}", row.get("event"), row.get("source")
    except csv.Error as exc:  # a NUL byte, a quote left open at the end ...
        raise BatchInputError(f"{manifest} line {reader.line_num}: not CSV ({exc})") from None


def _rows_jsonl(manifest: Path, text: str) -> Iterable[tuple[str, object, object]]:
    # split on line feeds only: JSON strings may hold U+2028 and friends unescaped
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{manifest} line {n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchInputError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise BatchInputError(f"{where}: each line must be an object with event and source")
        yield where, row.get("event"), row.get("source")


def _from_manifest(manifest: Path, form: str) -> list[EventJob]:
    try:
        text = manifest.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BatchInputError(f"cannot read {manifest}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"{manifest} is not UTF-8 text (offset {exc.start})") from None
    rows = _rows_csv(manifest, text) if form == "csv" else _rows_jsonl(manifest, text)
    events: dict[str, list[str]] = {}
    for where, event, source in rows:
        if not isinstance(event, str) or not event.strip():
            raise BatchInputError(f"{where}: the event name is missing or not text")
        events.setdefault(event.strip(), []).append(_source(source, manifest, where))
    if not events:
        raise BatchInputError(f"{manifest}: no rows")
    return _jobs(events, str(manifest))


def read_events(path: str | Path, *, out_dir: str | Path | None = None) -> list[EventJob]:
    """The events of a batch's INPUT: a folder of event folders or a manifest.

    ``out_dir``, when given, may not lie inside a folder INPUT: its ``stores`` folder
    would be taken for an event by the next batch."""
    path = Path(path).expanduser()
    if path.is_dir():
        folder = Path(os.path.abspath(path))
        if out_dir is not None and Path(os.path.abspath(Path(out_dir).expanduser())).is_relative_to(
            folder
        ):
            raise BatchInputError(f"--out {out_dir} is inside INPUT {path}; put it elsewhere")
        return _from_folder(folder)
    if not path.exists():
        raise BatchInputError(f"{path} does not exist")
    form = MANIFEST_SUFFIXES.get(path.suffix.lower())
    if form is None:
        raise BatchInputError(
            f"{path}: give a folder with one subfolder per event, or a manifest "
            "(.csv, .jsonl or .ndjson with the columns event and source)"
        )
    return _from_manifest(path, form)


__all__ = ["BatchInputError", "EventJob", "name_problem", "read_events"]
