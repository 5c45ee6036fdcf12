"""The sidebar's "Find coverage" box: from a story's link or a few words to a list of
outlets that covered the event, and from the rows the user ticks to the web addresses
that Compare reads.

The searching is the library's (``comparer.discover``); this module only asks and draws:

1. Fields in the sources form (``find_query``, an optional ``find_date`` to centre the
   window on, the "Find coverage" button). They share that form so that one submit
   carries everything: addresses typed in the text area but not yet submitted would
   otherwise be lost when "Add" rewrites it (a form keeps unsent values in the browser,
   and a value set from the server replaces them). A link (``http(s)://...``) goes to ``discover_from_url``,
   which reads the story and searches for its title and entities; anything else to
   ``discover``.
2. The library ranks with the sentence embedder and has no fallback without it, so a
   search started while the models load waits for them with the same countdown a
   comparison shows (``state.ModelLoader``), inside its own status box.
3. The result is kept in the session (``find_result``) and drawn on every rerun: one
   warning per provider that failed (the others' rows still count), then a
   ``st.data_editor`` whose only editable column is the tick box. Its cells are plain
   text, so hostile titles need no escaping there; every message that Streamlit reads
   as Markdown goes through ``safe.md``.
4. "Add the ticked stories" (a submit of the same form, so the ticks arrive with it)
   appends their addresses to the ``urls`` text area, skipping ones already listed,
   from its callback: that runs before the widget is drawn, the only moment Streamlit
   lets its value be set. Compare then does the rest through
   the usual intake. A Google News link whose publisher address could not be decoded
   is listed (the outlet did cover it) but not added: it would fetch Google's redirect
   page, not the article.

Each search gets a new editor key (``find_table_<n>``), so ticks made on the last list
never land on the rows of a new one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

import streamlit as st

from comparer.errors import ComparerError
from comparer.settings import Settings
from dashboard import state
from dashboard.safe import md

if TYPE_CHECKING:
    from comparer.discover import Discovery

LINK = re.compile(r"https?://\S+\Z", re.IGNORECASE)
COLUMNS = ["pick", "outlet", "title", "published", "language", "provider", "url"]


def editor_key_for(searches: int) -> str:
    """The result table's editor key after ``searches`` searches (its edits are the ticks)."""
    return f"find_table_{searches}"


def editor_key() -> str:
    return editor_key_for(st.session_state.find_searches)


def coverage_fields(settings: Settings) -> None:
    """Draw the box inside the sources form (``inputs._sources_form``); run a search
    when its button submitted the form in this rerun."""
    ss = st.session_state
    ss.setdefault("find_result", None)  # the last Discovery shown
    ss.setdefault("find_problem", None)  # why the last search gave no Discovery
    ss.setdefault("find_searches", 0)  # searches made: names the editor key
    ss.setdefault("find_note", None)  # what the last "Add" did
    with st.expander("Find coverage", icon=":material/travel_explore:", key="find_box"):
        st.text_input(
            "A story's link or a few words",
            key="find_query",
            placeholder="https://… or: Syria airstrike militia",
        )
        st.date_input(
            "Around this date (optional)",
            value=None,
            key="find_date",
            help="Centre the search window on this day. Without it, a link searches "
            "around the story's own date and words search the last days "
            f"(discover.window_days = {settings.discover.window_days:g} either side).",
        )
        go = st.form_submit_button(
            "Find coverage", key="find_go", icon=":material/search:", width="stretch"
        )
        if go:
            _search(settings, str(ss.find_query or "").strip(), ss.find_date)
        _results(ss.find_result, ss.find_problem)


def _search(settings: Settings, text: str, around: date | None) -> None:
    ss = st.session_state
    ss.find_searches += 1
    ss.find_result, ss.find_problem, ss.find_note = None, None, None
    if not text:
        ss.find_problem = "Type a story's link or a few words to search for."
        return
    with st.status("Finding coverage…", expanded=False) as status:
        try:
            found = _ask_library(settings, text, around, status)
        except ComparerError as exc:  # DiscoverError, or the linked story unreadable
            status.update(label="The search failed", state="error")
            ss.find_problem = f"{type(exc).__name__}: {exc}"
            return
        ok = found.answered
        status.update(
            label=f"{len(found.rows)} stories found" if ok else "No provider answered",
            state="complete" if ok else "error",
        )
    ss.find_result = found


def _ask_library(settings: Settings, text: str, around: date | None, status: Any) -> Discovery:
    from comparer import discover as disc
    from comparer import pipeline

    loader = state.model_loader(settings)
    loader.start()  # normally started by the first page already
    while not loader.wait(0.5):  # ranking needs the embedder: wait, counting down
        status.update(label=md(f"Finding coverage… {loader.describe()}"))
    # No store: titles from a search are not articles, their vectors are not worth keeping.
    embedder, nlp = pipeline.load_models(settings)
    status.update(label="Finding coverage… asking the providers")
    window: dict[str, datetime] = {}
    if around is not None:
        noon = datetime.combine(around, time(12), tzinfo=UTC)
        window["since"], window["until"] = disc.window_for(settings, centre=noon)
    if LINK.match(text):
        return disc.discover_from_url(text, settings, embedder=embedder, nlp=nlp, **window)
    return disc.discover(text, settings, embedder=embedder, **window)


def _table(found: Discovery) -> Any:
    import pandas as pd

    rows = found.to_dict()["results"]
    return pd.DataFrame(
        {
            "pick": [bool(r["seed"]) for r in rows],  # the story linked to is ticked already
            "outlet": [r["outlet"] or "" for r in rows],
            "title": [r["title"] or "" for r in rows],
            "published": [(r["published"] or "")[:16].replace("T", " ") for r in rows],
            "language": [r["language"] or "" for r in rows],
            "provider": [("seed" if r["seed"] else r["provider"]) for r in rows],
            "url": [r["url"] for r in rows],
        },
        columns=COLUMNS,
    )


def _results(found: Discovery | None, problem: str | None) -> None:
    ss = st.session_state
    if problem:
        st.error(md(problem), icon=":material/search_off:")
    if found is None:
        return
    for error in found.errors:
        st.warning(md(f"{error.provider}: {error.error}"), icon=":material/cloud_off:")
    if not found.rows:
        if found.answered:
            st.info("No coverage found in that window.", icon=":material/search_off:")
        return
    since, until = (m.strftime("%Y-%m-%d %H:%M") for m in (found.since, found.until))
    st.caption(md(f"“{found.query}”, {since} to {until} UTC, best first."))
    st.data_editor(
        _table(found),
        key=editor_key(),
        hide_index=True,
        disabled=COLUMNS[1:],
        column_config={
            "pick": st.column_config.CheckboxColumn("✓", help="Add to the web addresses"),
            "published": st.column_config.TextColumn("published (UTC)"),
            # plain text on purpose: a LinkColumn would make a hostile address clickable
            "url": st.column_config.TextColumn("address"),
        },
        width="stretch",
    )
    st.form_submit_button(
        "Add the ticked stories to the web addresses",
        key="find_add",
        icon=":material/playlist_add:",
        on_click=_add_picked,
        width="stretch",
    )
    if ss.find_note:
        st.caption(md(ss.find_note))


def picked_rows(found: Discovery, edits: Any) -> list[int]:
    """The row numbers ticked: the starting ticks (the seed) with the editor's edits."""
    ticks = {n: row.seed for n, row in enumerate(found.rows)}
    edited = (edits or {}).get("edited_rows", {}) if isinstance(edits, dict) else {}
    for n, change in edited.items():
        if "pick" in change and int(n) in ticks:
            ticks[int(n)] = bool(change["pick"])
    return [n for n, on in ticks.items() if on]


def _add_picked() -> None:
    """Callback of the Add button: append the ticked rows' addresses to ``urls``."""
    ss = st.session_state
    found = ss.find_result
    if found is None:
        return
    rows = [found.rows[n] for n in picked_rows(found, ss.get(editor_key()))]
    listed = {line.strip() for line in str(ss.get("urls", "")).splitlines() if line.strip()}
    added: list[str] = []
    unresolved = 0
    for row in rows:
        if not row.hit.resolved:
            unresolved += 1
        elif row.hit.url not in listed and row.hit.url not in added:
            added.append(row.hit.url)
    if added:
        current = str(ss.get("urls", "")).rstrip("\n")
        ss.urls = "\n".join([current, *added] if current else added)
    parts = [f"{len(added)} added to the web addresses." if rows else "Nothing ticked."]
    if rows and len(added) < len(rows) - unresolved:
        parts.append(f"{len(rows) - unresolved - len(added)} already listed.")
    if unresolved:
        parts.append(
            f"{unresolved} left out: Google News links whose publisher address is unknown."
        )
    ss.find_note = " ".join(parts)
