"""The Disagreements tab: filters (or trainer controls), the charts, one card per question.

A card asks one question about one event ("How many were killed in the 3 May market
bombing?") and shows every outlet's answer, like with like: the sentence with the
evidence marked in its kind's colour, the normalised reading under it
(``describe_value``), who the outlet credits it to and when that source spoke. An
originator's changing figure ("40, then 52") is drawn as a small timeline, since it is
a revision and not two outlets disagreeing. The explanation the comparer wrote reads
as the answer. Old-style flags (no question yet) show their kind and explanation only.
Conflicts come first (``report.ordered``). In trainer mode the cards start hidden and a
button reveals them one at a time, so a class can look for the difference before being
told.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from comparer.describe import describe_value
from comparer.records import Disagreement, DisagreementValue, Report
from comparer.report import revision_steps, said
from dashboard import charts
from dashboard.render import (
    KIND_COLOURS,
    KINDS,
    badge,
    flags,
    nothing_to_compare,
    outlet_name,
    sentence_html,
)
from dashboard.safe import h, md

SEVERITIES = ("conflict", "unresolved", "compatible")
_EDGE = {"figure": "#d97706", "time": "#2563eb", "attribution": "#7c3aed", "place": "#16a34a"}


def evidence_span(sentence: str, v: DisagreementValue) -> tuple[int, int] | None:
    """Where the evidence lies in its sentence (the offsets, else the first match)."""
    if 0 <= v.start < v.end <= len(sentence) and sentence[v.start : v.end] == v.text:
        return v.start, v.end
    at = sentence.find(v.text) if v.text else -1
    return (at, at + len(v.text)) if at >= 0 else None


def _source_line(v: DisagreementValue) -> str:
    """Who the outlet credits the answer to and when that source spoke, when it says."""
    bits = [
        f"credited to {h(v.credited_to)}" if v.credited_to else "",
        f"said {h(said(v.said_when))}" if v.said_when else "",
    ]
    bits = [b for b in bits if b]
    return f'<div class="cc-credit">{" · ".join(bits)}</div>' if bits else ""


def _voice(d: Disagreement, v: DisagreementValue, by_id: dict[str, Any]) -> str:
    article = by_id.get(v.source_id)
    sents = article.sentences if article is not None else ()
    sentence = sents[v.sentence].text if 0 <= v.sentence < len(sents) else v.text
    span = evidence_span(sentence, v)
    reading = describe_value(d.kind, dict(v.value))
    body = sentence_html(sentence, [(*span, d.kind, reading)] if span else [])
    name = outlet_name(article) if article is not None else h(v.source_id)
    return (
        f'<div class="cc-voice" style="border-left-color:{_EDGE.get(d.kind, "#94a3b8")}">'
        f'<div class="cc-outlet">{name} <span class="cc-muted">#{v.sentence + 1}</span></div>'
        f'<div class="cc-sent">{body}</div>'
        f'<div class="cc-reading">→ {h(reading)}</div>{_source_line(v)}</div>'
    )


def _timeline(d: Disagreement, by_id: dict[str, Any]) -> str:
    """Each revision as "at least 40 → at least 52, the war monitor" (outlets on hover)."""
    rows = []
    for originator, readings, sources in revision_steps(d):
        outlets = ", ".join(by_id[s].outlet if s in by_id else s for s in sources)
        steps = " → ".join(f'<span class="cc-step">{h(r)}</span>' for r in readings)
        rows.append(
            f'<div class="cc-rev" title="{h("reported by " + outlets)}">'
            f'<span class="cc-muted">revised</span> {steps}, {h(originator)}</div>'
        )
    return f'<div class="cc-revs">{"".join(rows)}</div>' if rows else ""


def card_html(d: Disagreement, by_id: dict[str, Any], *, background: bool = False) -> str:
    """A card's markup, every piece from the report escaped. ``background`` marks a card
    about a background event (not the one the comparison is about)."""
    colour = KIND_COLOURS.get(d.kind, "#e2e8f0")
    relation = f'<span class="cc-muted">{h(d.relation)}</span>' if d.relation else ""
    slot = f'<span class="cc-muted">{h(d.slot.replace("_", " "))}</span>' if d.slot else ""
    claims = ", ".join(d.claims)
    head = (
        f'<div class="cc-head">{badge(d.severity)}'
        f'<span class="cc-chip" style="background:{colour}">{h(d.kind)}</span>{slot}'
        f'{relation}<span class="cc-muted">· {h(d.id)}'
        + (f" · claim {h(claims)}" if claims else "")
        + (" · background event" if background else "")
        + "</span></div>"
    )
    question = f'<div class="cc-question">{h(d.question)}</div>' if d.question else ""
    voices = "".join(_voice(d, v, by_id) for v in d.values)
    return (
        f'{head}{question}<div class="cc-explain">{h(d.explanation)}</div>'
        f'{_timeline(d, by_id)}<div class="cc-grid">{voices}</div>'
    )


def card(d: Disagreement, by_id: dict[str, Any], *, main_event: str | None = None) -> None:
    background = main_event is not None and d.event is not None and d.event != main_event
    with st.container(border=True, key=f"card_{d.id}"):
        st.html(card_html(d, by_id, background=background))


def _reveal(step: int) -> None:
    st.session_state.revealed = max(0, st.session_state.revealed + step) if step else 0


def _trainer_controls(report: Report) -> None:
    total, shown = len(report.disagreements), st.session_state.revealed
    st.info(
        f"Trainer mode: {total - min(shown, total)} of {total} flags are hidden. Read the "
        "outlets side by side (Claim matrix, Reading view) and look for where they "
        "differ, then reveal the flags one at a time.",
        icon=":material/school:",
    )
    cols = st.columns([1, 1, 3])
    cols[0].button(
        "Reveal the next flag",
        key="reveal_next",
        type="primary",
        on_click=_reveal,
        args=(1,),
        disabled=shown >= total,
    )
    cols[1].button(
        "Hide them all again", key="reveal_reset", on_click=_reveal, args=(0,), disabled=shown == 0
    )


def _filters() -> tuple[list[str], list[str]]:
    st.session_state.setdefault("filter_kind", list(KINDS))
    st.session_state.setdefault("filter_severity", list(SEVERITIES))
    cols = st.columns(2)
    kinds = cols[0].multiselect("Kind", KINDS, key="filter_kind")
    severities = cols[1].multiselect("Severity", SEVERITIES, key="filter_severity")
    return kinds, severities


def disagreements_tab(report: Report, *, trainer: bool) -> None:
    by_id = {a.id: a for a in report.articles}
    problem = nothing_to_compare(report)
    if problem:  # never the all-clear below: with fewer than two texts nothing was compared
        st.info(md(problem), icon=":material/block:")
        return
    if trainer:
        _trainer_controls(report)
        shown = flags(report)
    else:
        kinds, severities = _filters()
        shown = [d for d in flags(report) if d.kind in kinds and d.severity in severities]
    if not report.disagreements:
        st.success(
            "No disagreements found: the outlets agree on every figure, time, "
            "attribution and place Crosscheck compared.",
            icon=":material/check_circle:",
        )
        return
    main = report.main_event
    charts.charts_row(shown, by_id, main_event=main)
    if not shown and not trainer:
        st.caption("No flag matches these filters.")
    for d in shown:
        card(d, by_id, main_event=main.id if main else None)
