"""Crosscheck's dashboard: how several outlets report one event, side by side.

Launch from the repository root::

    python -m streamlit run dashboard/app.py [-- --config my-settings.toml]

(or set CROSSCHECK_CONFIG=my-settings.toml; see ``state.py``). This file reads as a
description of the screen; the drawing lives in the small modules beside it and all
the comparing in ``comparer`` (this folder holds UI only).

The screen, top to bottom:

- sidebar: the sources (finding coverage from a link or a few words, whose ticked
  results join the web addresses; example event, web addresses, files, pasted text), the
  settings, trainer mode and the saved comparisons;
- the title, then, while a comparison runs, its progress (a line per stage and source);
- the run: where it came from and its permalink; the event it is about and the
  background events the outlets also mention; counts of conflicts by kind; failed
  sources, shared-text and constructed-material notices;
- tabs: Disagreements (charts of the main event, and a card per question: every
  outlet's answer, whom it credits and when), Sources (the table), Claim matrix,
  Reading view, Export.

Work starts only from a button; every other interaction just redraws the saved report.
Heavy libraries (torch, sentence-transformers, spaCy) are not imported here: they load
in a background thread started after the first page is drawn (``state.warm_up``), so
the first paint stays fast. Below Compare the sidebar counts down until they are ready;
a comparison started before then waits for them, with the same countdown in its status.
"""

from __future__ import annotations

import streamlit as st

# Both packages come from the project's install (`pip install -e .` lists `dashboard` beside
# `comparer`), so this works whatever folder `streamlit run` puts on the path.
from comparer.settings import setting_help
from dashboard import cards, claim_matrix, inputs, render, runner, state


def _trainer_changed() -> None:
    st.session_state.revealed = 0


st.set_page_config(page_title="Crosscheck", page_icon=":material/fact_check:", layout="wide")
state.init()
settings = state.settings()
store = state.store(settings)
render.style()

with st.sidebar:
    start = inputs.sources_panel(settings)  # with "Find coverage" (dashboard/find.py)
    runner.models_status(settings)
    overrides = inputs.settings_panel(settings, setting_help())
    trainer = st.toggle(
        "Trainer mode",
        key="trainer",
        on_change=_trainer_changed,
        help="Hide the flags and reveal them one at a time, for teaching.",
    )
    st.divider()
    saved_runs = st.container()  # filled last, so a run saved below is already listed

st.title("Crosscheck", anchor=False)
st.caption(
    "One event, several outlets: where do their figures, times, attributions and places disagree?"
)

if start:
    runner.start(settings.with_overrides(overrides), store)
else:
    runner.reopen_from_link(store, settings)

report = st.session_state.report
if report is None:
    render.welcome()
else:
    render.run_header(
        report,
        origin=st.session_state.report_origin,
        run_id=st.session_state.run_id,
        status_drawn=start,
        private=state.private_runs(settings),
    )
    render.overview(report, trainer=trainer)
    disagreements, sources, matrix, read, export = st.tabs(
        ["⚑ Disagreements", "Sources", "Claim matrix", "Reading view", "Export"]
    )
    with disagreements:
        cards.disagreements_tab(report, trainer=trainer)
    with sources:
        render.sources_table(report)
    with matrix:
        claim_matrix.claim_matrix(report)
    with read:
        claim_matrix.reading_view(report)
    with export:
        if trainer:  # the exports hold every flag: not while they are being revealed
            st.info("Exports are hidden in trainer mode.", icon=":material/school:")
        else:
            render.exports(report)

with saved_runs:
    runner.recent_runs_panel(store, settings)

state.warm_up(settings)  # last: the page is already drawn while the models load
