"""A finished comparison kept as a run: saved in the store, the store held to its size.

``save_report`` is what the CLI and the dashboard both do with a report once it is made.
The store is a cache, so nothing here raises: a store that cannot take the run ("database
or disk is full") or cannot be trimmed costs a warning, and the report comes back
unchanged (without a run id) for the caller to show or write anyway. After a saved run
the store is held to ``store.max_megabytes``, the new run always kept. A report in which
fewer than two sources were read compares nothing and is not saved.

Messages come back as text, in lower case, for the front end to present (the CLI prefixes
``warning:`` / ``note:``, the dashboard shows them in a box).

Kept apart from ``store.py`` so that the store stays a plain SQLite layer that knows JSON
but not the ``Report`` dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from comparer.errors import ComparerError
from comparer.records import Report
from comparer.settings import Settings

if TYPE_CHECKING:
    from comparer.store import Store


@dataclass(frozen=True)
class SavedReport:
    """The report (with its run id once saved) and what the user should be told."""

    report: Report
    run_id: str | None = None
    warnings: tuple[str, ...] = ()  # the run was not saved, or the store not trimmed
    notes: tuple[str, ...] = ()  # old data pruned to keep store.max_megabytes


def _counts(deleted: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind}" for kind, n in deleted.items())


def save_report(
    report: Report, store: Store | None, settings: Settings, *, owner: str | None = None
) -> SavedReport:
    """Save ``report`` as a run (for ``owner`` only, when given: ``Store.save_run``), then
    hold the store to ``store.max_megabytes``. With no store, nothing is saved."""
    from comparer import report as report_mod
    from comparer.store import enforce_size_limit

    if store is None:
        return SavedReport(report)
    if sum(a.status == "ok" for a in report.articles) < 2:
        # nothing was compared: listed among the runs it would read as "0 conflicts", a
        # false all-clear (the dashboard says why on screen; the CLI prints this note)
        return SavedReport(
            report, notes=("not saved as a run: fewer than two sources could be read",)
        )
    try:
        run_id = store.save_run(
            report_mod.to_json(report), title=report_mod.title(report), owner=owner
        )
    except ComparerError as exc:
        return SavedReport(report, warnings=(f"the run could not be saved in the store: {exc}",))
    report = report_mod.with_run_id(report, run_id)
    warnings: list[str] = []
    notes: list[str] = []
    try:
        result = enforce_size_limit(store, settings, keep=[run_id])
    except ComparerError as exc:
        warnings.append(f"the store could not be held to store.max_megabytes: {exc}")
        result = None
    if result and any(result["deleted"].values()):
        notes.append(f"store over store.max_megabytes, pruned {_counts(result['deleted'])}")
    if result and result["warning"]:
        warnings.append(str(result["warning"]))
    return SavedReport(report, run_id, tuple(warnings), tuple(notes))


__all__ = ["SavedReport", "save_report"]
