"""Two pictures of the flags: each outlet's figure as an interval, and times on one UTC line.

Figures are drawn as intervals because that is how the comparer reads them: "at least
17" is [17, ∞) and "about 20" a band, so two outlets conflict exactly when their bars do
not touch. An open upper bound is drawn past the largest value and ends in an arrow.
Times are drawn on a single UTC axis: "6 p.m. EST" and "1 a.m. local" land on the same
instant when they agree, which is the point the chart makes. Unresolved times (no known
clock) cannot be placed and are listed under the chart instead.

Only the cards on show are charted (so trainer mode does not give the answers away),
and, when the comparer has resolved events, only the cards about the main event: a toll
from last month's background strike drawn beside today's would look like a conflict it
is not. Without events (old-style flags) every card on show is charted.
Vega renders outlet names and tooltips as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from comparer.describe import describe_value
from comparer.records import Disagreement, Event
from comparer.report import event_name
from dashboard.render import SEVERITY_COLOURS
from dashboard.safe import md

_ROW = 26  # pixels per outlet row


def about_event(shown: Sequence[Disagreement], event: str | None) -> list[Disagreement]:
    """The cards about ``event`` (an Event id); all of them when there is no event."""
    return list(shown) if event is None else [d for d in shown if d.event == event]


def figure_rows(
    shown: Sequence[Disagreement], by_id: dict[str, Any], *, event: str | None = None
) -> list[dict[str, Any]]:
    """One row per (role, outlet, interval) among the figure cards on show (about
    ``event`` when given)."""
    rows: dict[tuple, dict[str, Any]] = {}
    for d in about_event(shown, event):
        if d.kind != "figure":
            continue
        for v in d.values:
            low, high = v.value.get("low"), v.value.get("high")
            if not isinstance(low, (int, float)):
                continue
            role = str(v.value.get("role") or v.value.get("counted") or "figure")
            outlet = by_id[v.source_id].outlet if v.source_id in by_id else v.source_id
            key = (role, outlet, low, high)
            rows.setdefault(
                key,
                {
                    "role": role,
                    "outlet": outlet,
                    "low": low,
                    "high": high,
                    "evidence": v.text,
                    "severity": d.severity,
                    "reading": describe_value("figure", dict(v.value)),
                    "credited": v.credited_to or "",
                },
            )
            if d.severity == "conflict":
                rows[key]["severity"] = "conflict"
    return list(rows.values())


def time_rows(
    shown: Sequence[Disagreement], by_id: dict[str, Any], *, event: str | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Placed times (start/end in UTC) and the unresolved ones, as readable lines (among
    the cards about ``event`` when given)."""
    rows: dict[tuple, dict[str, Any]] = {}
    unplaced: list[str] = []
    for d in about_event(shown, event):
        if d.kind != "time":
            continue
        for v in d.values:
            outlet = by_id[v.source_id].outlet if v.source_id in by_id else v.source_id
            start, end = v.value.get("start"), v.value.get("end")
            if not start or v.value.get("resolved") is False:
                line = f"{outlet}: “{v.text}” (no known clock)"
                if line not in unplaced:
                    unplaced.append(line)
                continue
            row = rows.setdefault(
                (outlet, start, end),
                {
                    "outlet": outlet,
                    "start": start,
                    "end": end or start,
                    "evidence": v.text,
                    "flags": d.id,
                    "severity": d.severity,
                    "reading": describe_value("time", dict(v.value)),
                },
            )
            if d.id not in row["flags"].split(", "):
                row["flags"] += f", {d.id}"
            if d.severity == "conflict":
                row["severity"] = "conflict"
    return list(rows.values()), unplaced


def _colour() -> Any:
    import altair as alt

    return alt.Color(
        "severity:N",
        title="flag",
        scale=alt.Scale(domain=list(SEVERITY_COLOURS), range=list(SEVERITY_COLOURS.values())),
    )


def _figure_chart(rows: list[dict[str, Any]], role: str) -> Any:
    import altair as alt
    import pandas as pd

    top = max(max(r["low"] for r in rows), max((r["high"] or 0) for r in rows)) or 1
    far = top * 1.35 + 1
    data = pd.DataFrame(
        [
            {**r, "end": far if r["high"] is None else r["high"], "open": r["high"] is None}
            for r in rows
        ]
    )
    y = alt.Y("outlet:N", sort=None, title=None)
    tips = [
        alt.Tooltip("outlet:N"),
        alt.Tooltip("evidence:N"),
        alt.Tooltip("reading:N"),
        alt.Tooltip("credited:N", title="credited to"),
    ]
    base = alt.Chart(data).encode(y=y, color=_colour().legend(None), tooltip=tips)
    bars = base.mark_rule(strokeWidth=6, opacity=0.75).encode(
        x=alt.X(
            "low:Q", title=f"{role} (each outlet's interval)", scale=alt.Scale(domain=[0, far])
        ),
        x2="end:Q",
    )
    lows = base.mark_point(filled=True, size=80).encode(x="low:Q")
    ends = base.mark_point(filled=True, size=110).encode(
        x="end:Q",
        shape=alt.condition("datum.open", alt.value("triangle-right"), alt.value("circle")),
    )
    return (bars + lows + ends).properties(
        height=alt.Step(_ROW), title=f"{role.capitalize()} per outlet"
    )


def _time_chart(rows: list[dict[str, Any]]) -> Any:
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(rows)
    utc = alt.Scale(type="utc", padding=20)
    base = alt.Chart(data).encode(
        y=alt.Y("outlet:N", sort=None, title=None),
        color=_colour().legend(None),
        tooltip=[
            alt.Tooltip("outlet:N"),
            alt.Tooltip("evidence:N"),
            alt.Tooltip("reading:N"),
            alt.Tooltip("flags:N"),
        ],
    )
    spans = base.mark_rule(strokeWidth=6, opacity=0.6).encode(
        x=alt.X(
            "start:T",
            scale=utc,
            title="UTC (red: in a conflict, grey: compatible)",
            axis=alt.Axis(format="%d %b %H:%M", labelAngle=0, tickCount=5, labelOverlap=True),
        ),
        x2="end:T",
    )
    points = base.mark_point(filled=True, size=80).encode(x=alt.X("start:T", scale=utc))
    return (spans + points).properties(
        height=alt.Step(_ROW), title="Reported times on one UTC timeline"
    )


def charts_row(
    shown: Sequence[Disagreement], by_id: dict[str, Any], *, main_event: Event | None = None
) -> None:
    """The figure intervals per role and the UTC timeline in one row, when there is any.

    Roles with a conflict among the cards on show are drawn (all roles when none has one),
    so the row shows "killed per outlet" rather than every compatible count. With a
    ``main_event`` only its cards are drawn, and a caption says so."""
    event = main_event.id if main_event is not None else None
    figures = figure_rows(shown, by_id, event=event)
    times, unplaced = time_rows(shown, by_id, event=event)
    roles = list(dict.fromkeys(r["role"] for r in figures if r["severity"] == "conflict")) or list(
        dict.fromkeys(r["role"] for r in figures)
    )
    panels = len(roles) + bool(times or unplaced)
    if not panels:
        return
    if main_event is not None:
        st.caption(md(f"Charts: {event_name(main_event)} only (background events are left out)."))
    cols = st.columns(max(panels, 2))
    # a column per role, then the times chart (at least two, so a lone chart keeps half the
    # width): the roles fill the first ones
    for col, role in zip(cols, roles, strict=False):
        with col:
            st.altair_chart(
                _figure_chart([r for r in figures if r["role"] == role], role),
                width="stretch",
                key=f"chart_figure_{role}",
            )
    if times or unplaced:
        with cols[len(roles)]:
            if times:
                st.altair_chart(_time_chart(times), width="stretch", key="chart_times")
            for line in unplaced:
                st.caption(md(line))
