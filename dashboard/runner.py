"""Starting a comparison, reopening a saved one, and the list of recent runs.

A comparison starts only from a button (``inputs.sources_panel``): the inputs are
checked first (``inputs.plan``, the library's intake) and any error stops it before
anything is fetched; a warning (a duplicate dropped) is shown and the run goes on.
While it runs, ``st.status`` shows one line per stage and per source as the pipeline's
``progress`` callback reports it (fetched, from the store, or failed with the reason),
and its label names the web addresses still loading, so a slow page is visible.

Every finished run is saved in the store and its id goes into the address bar
(``?run=ID``). Opening such a link (or a recent run) reads the saved JSON back with
``report.from_json``: nothing is fetched or compared again. With
``dashboard.saved_runs = "session"`` a run is saved for its browser session
(``state.owner``), listed only there, and a link opens only such runs (their ids are
unguessable); the shared runs' short ids do not open, as if they did not exist.
"""

from __future__ import annotations

import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any

import streamlit as st

from comparer import report as rpt
from comparer.errors import ComparerError
from comparer.intake import Plan
from comparer.runs import save_report
from comparer.settings import Settings
from dashboard import inputs, render, state
from dashboard.safe import md, shorten

if TYPE_CHECKING:
    from comparer.store import Store


def start(settings: Settings, store: Store | None) -> None:
    """Check the inputs; show what is wrong, or run the comparison under a status box.
    Warnings (a source given twice, compared once) are shown and the run goes on."""
    plan = inputs.plan(settings)
    for message in plan.errors:
        st.error(md(message), icon=":material/warning:")
    for message in plan.warnings:  # with the errors too: the CLI prints both
        st.warning(md(message), icon=":material/content_copy:")
    if plan.ok:
        _compare(plan, settings, store)


def _compare(plan: Plan, settings: Settings, store: Store | None) -> None:
    from comparer import pipeline

    # the intake's warnings open the run's log, so "How the last run went" keeps them
    lines: list[str] = [f"{'sources':<13} warning: {w}" for w in plan.warnings]
    began = time.perf_counter()
    with st.status(f"Comparing {len(plan.planned)} sources…", expanded=True) as status:
        with TemporaryDirectory(prefix="crosscheck-upload-") as folder:
            try:
                sources = plan.sources(Path(folder))
            except ComparerError as exc:  # e.g. a source that cannot be built
                status.update(label="Could not start the comparison", state="error")
                st.error(md(str(exc)))
                return
            waiting = [s.location for s in sources if s.kind == "url"]

            def progress(stage: str, message: str) -> None:
                line = f"{stage:<13} {message}"
                lines.append(line)
                st.text(line)
                for url in [u for u in waiting if message.startswith(u + ":")]:
                    waiting.remove(url)
                if stage == "read" and waiting:
                    label = ", ".join(shorten(u, 60) for u in waiting[:3])
                    more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
                    status.update(label=f"Reading sources… waiting for {md(label)}{more}")
                else:
                    status.update(label=f"Comparing {len(sources)} sources… ({stage})")

            t = time.perf_counter()
            progress("models", "getting the language models ready")
            loader = state.model_loader(settings)
            loader.start()  # normally started by the first page already
            while not loader.wait(0.5):  # the click is kept: the run waits, counting down
                status.update(label=md(f"Comparing {len(sources)} sources… {loader.describe()}"))
            try:
                embedder, nlp = pipeline.load_models(settings, store=store)
                progress("models", f"ready in {time.perf_counter() - t:.1f} s")
                report = pipeline.compare(
                    sources,
                    settings,
                    store=store,
                    embedder=embedder,
                    nlp=nlp,
                    refresh=bool(settings.store.refresh),
                    progress=progress,
                )
            except ComparerError as exc:
                status.update(label="The comparison failed", state="error")
                st.error(md(f"{type(exc).__name__}: {exc}"))
                return
        problem = render.nothing_to_compare(report)
        # Fewer than two texts read is no result: kept on screen (each failure shows
        # why), but never saved as a run that would list as "0 conflicts".
        run_id = None
        if not problem:
            report, run_id = _save(report, store, settings)
        ok = sum(a.status == "ok" for a in report.articles)
        failed = len(report.articles) - ok
        label = (
            md(problem)
            if problem
            else (
                f"Compared {ok} of {len(report.articles)} sources in "
                f"{time.perf_counter() - began:.1f} s" + (f" ({failed} failed)" if failed else "")
            )
        )
        status.update(label=label, state="error" if problem else "complete", expanded=False)
    state.show(report, origin="compared", run_id=run_id, lines=lines)
    if run_id:
        st.query_params["run"] = run_id
    else:
        # An unsaved run has no permalink; an old ?run= left in the address bar would
        # otherwise replace this report with that run on the next rerun.
        st.query_params.pop("run", None)


def _save(report: Any, store: Store | None, settings: Settings) -> tuple[Any, str | None]:
    """Saved as the CLI saves a run (``runs.save_report``); its warnings shown here."""
    owner = state.owner() if state.private_runs(settings) and store is not None else None
    saved = save_report(report, store, settings, owner=owner)
    for warning in saved.warnings:
        st.warning(md(warning[:1].upper() + warning[1:]))
    return saved.report, saved.run_id


def reopen_from_link(store: Store | None, settings: Settings) -> None:
    """Show the run named by ``?run=ID`` unless it is already on screen."""
    run_id = st.query_params.get("run")
    if not run_id or run_id == st.session_state.run_id:
        return
    try:
        data = (
            store.load_run(run_id, private_only=state.private_runs(settings))
            if store is not None
            else None
        )
    except ComparerError as exc:
        st.error(md(f"The saved comparison {run_id} cannot be read: {exc}"))
        return
    if data is None:
        st.error(
            md(f"There is no saved comparison “{run_id}” in this store."),
            icon=":material/link_off:",
        )
        return
    try:
        report = rpt.with_run_id(rpt.from_json(data), run_id)
    except (KeyError, TypeError, ValueError) as exc:  # saved by another version, or damaged
        st.error(md(f"The saved comparison {run_id} cannot be shown: {type(exc).__name__}: {exc}"))
        return
    state.show(report, origin="store", run_id=run_id, lines=[])


def models_status(settings: Settings) -> None:
    """Whether the language models are ready; while they load, a countdown that redraws
    itself every second (a fragment), so nobody wonders why the first run is slow."""
    loader = state.model_loader(settings)
    if loader.ready:
        _models_line(loader)
    else:
        _models_loading(loader)


def _models_line(loader: state.ModelLoader) -> None:
    if not loader.ready:
        st.caption(
            ":material/hourglass_top: " + md(loader.describe()) + " You can press "
            "Compare now: it starts as soon as they are ready."
        )
    elif loader.error:
        st.caption(
            md(
                f"The language models failed to load ({loader.error}); Compare will "
                "try again and report it."
            )
        )
    else:
        st.caption(":material/check_circle: Language models ready.")


@st.fragment(run_every=1.0)
def _models_loading(loader: state.ModelLoader) -> None:
    # Once ready it keeps ticking until the page's next full run draws the line without
    # a timer: forcing that run here would wipe what the last run showed (its status
    # box, a message) from under the user.
    _models_line(loader)


def _open_run(run_id: str) -> None:
    st.query_params["run"] = run_id


def recent_runs_panel(store: Store | None, settings: Settings, *, limit: int = 8) -> None:
    """The latest saved comparisons, newest first; a click reopens one from the store.
    In "session" mode only this browser session's runs."""
    private = state.private_runs(settings)
    st.subheader("Saved comparisons")
    if store is None:
        st.caption("No store: runs are not being saved.")
        return
    if private:
        state.remember_owner()
    try:
        runs = store.recent_runs(limit, owner=state.owner() if private else None)
    except ComparerError as exc:
        st.caption(md(f"The list of runs cannot be read: {exc}"))
        return
    if not runs:
        st.caption(
            "Every comparison you run is saved here, with a link to reopen it"
            + (" (listed in this browser session only)." if private else ".")
        )
    for run in runs:
        when = run["created_at"][:16].replace("T", " ")
        label = (
            f"{md(shorten(run['title'], 48))}  \n{when} UTC · {run['n_sources']} sources · "
            f"{run['n_conflicts']} conflicts"
        )
        st.button(
            label,
            key=f"open_run_{run['id']}",
            on_click=_open_run,
            args=(run["id"],),
            width="stretch",
            type="tertiary",
            disabled=run["id"] == st.session_state.run_id,
        )
