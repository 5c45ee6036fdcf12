"""The page's frame: styles, the empty state, the run header, the overview (the events the
outlets report, then the counts), sources, exports.

All markup is built here and in ``cards.py`` / ``claim_matrix.py`` from escaped pieces
(``safe.h``); text from sources never reaches ``st.markdown`` unescaped (``safe.md``).
Colours: one per fact kind, used for evidence highlights, chart marks and the legend,
so the same colour means the same kind of fact everywhere on the screen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import streamlit as st

from comparer import report as rpt
from comparer.records import Disagreement, Event, Report, iso
from dashboard.safe import h, md

KINDS = ("figure", "time", "attribution", "place")
KIND_COLOURS = {
    "figure": "#fde68a",
    "time": "#bfdbfe",
    "attribution": "#e9d5ff",
    "place": "#bbf7d0",
}
KIND_LABELS = {
    "figure": "Figures",
    "time": "Times",
    "attribution": "Attributions",
    "place": "Places",
}
SEVERITY_COLOURS = {"conflict": "#dc2626", "unresolved": "#d97706", "compatible": "#64748b"}
CONSTRUCTED = "constructed test material"

_CSS = """
<style>
[data-testid="stMainBlockContainer"]{padding-top:2.2rem}
[data-testid="stSidebarUserContent"]{padding-top:1rem}
.cc-head{display:flex;gap:.45rem;align-items:center;flex-wrap:wrap;margin-bottom:.2rem}
.cc-badge{padding:1px 9px;border-radius:999px;font-weight:700;font-size:.72rem;
  letter-spacing:.04em;text-transform:uppercase;color:#fff}
.cc-chip{padding:1px 8px;border-radius:6px;font-size:.78rem;color:#111;font-weight:600}
.cc-muted{color:#64748b;font-size:.8rem}
.cc-question{font-weight:700;font-size:1.05rem;margin:.25rem 0 .1rem 0}
.cc-explain{margin:.35rem 0 .5rem 0;font-size:.95rem}
.cc-credit{font-size:.78rem;color:#475569;margin-top:.15rem}
.cc-revs{margin:0 0 .5rem 0}
.cc-rev{font-size:.85rem}
.cc-step{padding:0 5px;border-radius:4px;background:rgba(148,163,184,.18)}
.cc-events{margin:.1rem 0 .6rem 0;font-size:.92rem;line-height:1.5}
.cc-events ul{margin:.1rem 0 0 1.1rem;padding:0}
.cc-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:.6rem}
.cc-voice{border-left:4px solid #94a3b8;padding:.35rem .6rem;border-radius:4px;
  background:rgba(148,163,184,.10)}
.cc-outlet{font-weight:700;font-size:.85rem;margin-bottom:.15rem}
.cc-sent{line-height:1.5;font-size:.9rem}
.cc-reading{font-size:.8rem;color:#475569;margin-top:.3rem;font-family:monospace}
mark.cc-m{color:#111;padding:0 2px;border-radius:3px}
.cc-para{line-height:1.65;margin:.1rem 0 .6rem 0}
.cc-n{color:#94a3b8;font-size:.65rem;margin-right:2px}
.cc-flag{text-decoration:underline wavy #dc2626;text-underline-offset:4px}
.cc-flagid{color:#dc2626;font-weight:700;font-size:.7rem;margin-left:2px}
.cc-only{border-bottom:2px dotted #94a3b8}
.cc-legend{display:flex;gap:.8rem;flex-wrap:wrap;font-size:.8rem;margin:.2rem 0 .6rem 0}
</style>
"""


def style() -> None:
    st.html(_CSS)


def mark(text: str, kind: str, *, title: str = "") -> str:
    """Escaped ``text`` highlighted in its kind's colour (``title`` shown on hover)."""
    colour = KIND_COLOURS.get(kind, "#e2e8f0")
    tip = f' title="{h(title)}"' if title else ""
    return f'<mark class="cc-m" style="background:{colour}"{tip}>{h(text)}</mark>'


def legend(*extra: str) -> None:
    items = [mark(KIND_LABELS[k][:-1].lower(), k) for k in KINDS] + list(extra)
    st.html('<div class="cc-legend">' + "".join(f"<span>{i}</span>" for i in items) + "</div>")


def badge(severity: str) -> str:
    colour = SEVERITY_COLOURS.get(severity, "#64748b")
    return f'<span class="cc-badge" style="background:{colour}">{h(severity)}</span>'


def flags(report: Report) -> list[Disagreement]:
    """The disagreements on show: all (conflicts first), or in trainer mode those revealed."""
    ordered = rpt.ordered(report.disagreements)
    if st.session_state.get("trainer"):
        return ordered[: st.session_state.revealed]
    return ordered


def nothing_to_compare(report: Report) -> str | None:
    """Why ``report`` is no comparison (fewer than two sources were read), else None.

    With one source or none there is nothing to disagree with, so "no disagreements"
    would be a false all-clear; the screen says this instead and the run is not saved.
    """
    ok = [a for a in report.articles if a.status == "ok"]
    n = len(report.articles)
    if len(ok) >= 2:
        return None
    if not ok:
        if n == 1:
            return "Nothing could be compared: the only source could not be read."
        return f"Nothing could be compared: none of the {n} sources could be read."
    if n == 1:
        return f"Only one source ({ok[0].outlet}): there is nothing to compare it with."
    return (
        f"Only one of the {n} sources could be read ({ok[0].outlet}): there is nothing "
        "to compare it with."
    )


def welcome() -> None:
    st.info(
        "Add sources in the sidebar — web addresses, pasted text or files — and press "
        "**Compare**. Or press **Load the example event** to see six versions of one "
        "story side by side.",
        icon=":material/arrow_back:",
    )
    st.markdown(
        "Crosscheck lines up the outlets' sentences that report the same thing and flags "
        "where they differ: **figures** (how many were killed), **times** (when, on which "
        "clock), **attributions** (who said it, who is blamed) and **places**."
    )


def run_header(
    report: Report,
    *,
    origin: str | None,
    run_id: str | None,
    status_drawn: bool,
    private: bool = False,
) -> None:
    """Where this report came from, its permalink, and the last run's progress lines."""
    bits = [f"Generated {iso(report.generated_at)}"]
    if origin == "store":
        bits.append("reopened from the store (nothing was fetched again)")
    elif origin == "compared" and not run_id and nothing_to_compare(report):
        bits.append("not saved: nothing was compared")
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(" · ".join(md(b) for b in bits))
    if run_id:
        base = st.context.url or ""
        with right.popover("Permalink", icon=":material/link:", key="permalink", width="stretch"):
            st.caption("This comparison is saved. Open it again, or share it, with:")
            if private:
                st.caption("Only this browser session lists it; anyone with the link can open it.")
            st.code(f"{base}?run={run_id}", language=None)
    lines = st.session_state.progress_lines
    # In trainer mode the log would give the number of flags away.
    if lines and not status_drawn and not st.session_state.get("trainer"):
        with st.expander("How the last run went", icon=":material/list_alt:", key="progress_log"):
            st.text("\n".join(lines))


def _event_html(report: Report, event: Event) -> str:
    facts = ", ".join(rpt.event_facts(event))
    outlets = rpt.event_outlets(report, event)
    said_by = f"reported by {', '.join(outlets)}" if outlets else "no outlet mention kept"
    return (
        f"<b>{h(rpt.event_name(event))}</b>"
        + (f' <span class="cc-muted">({h(facts)})</span>' if facts else "")
        + f" — {h(said_by)}"
    )


def events_html(report: Report) -> str:
    """What the outlets report: the main event, then the background events ("" without)."""
    if not report.events:
        return ""
    main = report.main_event
    background = [e for e in report.events if e is not main]
    out = [f"<div>Main event: {_event_html(report, main)}</div>" if main else ""]
    if background:
        items = "".join(f"<li>{_event_html(report, e)}</li>" for e in background)
        out.append(
            '<div class="cc-muted">Background events, each compared only with '
            f"itself:</div><ul>{items}</ul>"
        )
    return f'<div class="cc-events">{"".join(out)}</div>'


def overview(report: Report, *, trainer: bool) -> None:
    """The events reported, counts of conflicts by kind, failed sources, shared text and
    constructed material."""
    shown = flags(report)
    problem = nothing_to_compare(report)
    if problem:
        st.warning(md(problem), icon=":material/block:")
    if report.events:
        st.html(events_html(report))
    ok = [a for a in report.articles if a.status == "ok"]
    cols = st.columns(6)
    cols[0].metric("Sources read", f"{len(ok)} of {len(report.articles)}")
    cols[1].metric("Claim groups", "—" if problem else len(report.claims))
    for col, kind in zip(cols[2:], KINDS, strict=True):
        n = sum(d.kind == kind and d.severity == "conflict" for d in shown)
        # a 0 here would read as "they agree": nothing was compared
        col.metric(
            f"{KIND_LABELS[kind]} in conflict",
            "—" if problem else "?" if trainer and not shown else n,
        )
    if trainer:
        st.caption(f"Trainer mode: {len(shown)} of {len(report.disagreements)} flags revealed.")
    by_id = {a.id: a for a in report.articles}
    for a in report.articles:
        if a.status == "error":
            where = a.source.location or a.url or a.outlet
            st.error(
                md(f"{a.outlet} could not be read ({where}): {a.error}"), icon=":material/error:"
            )
    for shared in report.shared_text:
        first, second = (by_id[s] for s in shared.sources)
        st.warning(
            md(
                f"{second.outlet} reprints {first.outlet}'s text ({shared.share:.0%} "
                "shared): not an independent source."
            ),
            icon=":material/content_copy:",
        )
    made = [a.outlet for a in report.articles if a.source.constructed]
    if made:
        st.caption(
            ":material/info: "
            + md(f"{', '.join(made)}: {CONSTRUCTED}, written for Crosscheck, not real reporting.")
        )


def when(dt: Any) -> str:
    """A datetime as "YYYY-MM-DD HH:MM UTC" (blank when unknown)."""
    if dt is None:
        return ""
    return iso(dt)[:16].replace("T", " ") + " UTC"


def sources_table(report: Report) -> None:
    import pandas as pd

    rows = []
    for a in report.articles:
        status = "ok" if a.status == "ok" else f"error ({a.error_type or 'unknown'})"
        note = ", ".join(
            filter(
                None,
                [
                    CONSTRUCTED if a.source.constructed else "",
                    "from the store" if a.from_store else "",
                    *a.warnings,
                ],
            )
        )
        dateline = ", ".join(
            filter(
                None,
                [a.dateline_place or "", a.dateline_date.isoformat() if a.dateline_date else ""],
            )
        )
        rows.append(
            {
                "outlet": a.outlet,
                "title": a.title or "",
                "published": when(a.published),
                "dateline": dateline,
                "fetched at": when(a.fetched_at),
                "sentences": len(a.sentences),
                "status": status,
                "error": a.error or "",
                "note": note,
                "address": a.final_url or a.url or a.source.location,
                "id": a.id,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="sources_table")
    if report.timings:
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
        st.caption(f"Time per stage: {md(parts)}")


@st.cache_data(show_spinner=False, max_entries=8)
def _export_texts(key: str, _report: Report) -> tuple[str, str, str]:
    """JSON, memo and CSV of one report, built once, not on every rerun of the page."""
    return (
        json.dumps(rpt.to_json(_report), indent=2, ensure_ascii=False),
        rpt.to_markdown(_report),
        rpt.to_csv(_report),
    )


def exports(report: Report) -> None:
    stem = f"crosscheck-{report.run_id or 'report'}"
    as_json, memo, table = _export_texts(f"{report.run_id}|{iso(report.generated_at)}", report)
    st.caption(
        "The JSON report is the full record (schema in comparer/report.schema.json); "
        "the memo is for notes; the CSV has one row per flagged value."
    )
    row = st.container(horizontal=True, key="exports")
    row.download_button(
        "JSON report",
        as_json,
        file_name=f"{stem}.json",
        mime="application/json",
        key="download_json",
        icon=":material/data_object:",
        on_click="ignore",
    )
    row.download_button(
        "Markdown memo",
        memo,
        file_name=f"{stem}.md",
        mime="text/markdown",
        key="download_md",
        icon=":material/description:",
        on_click="ignore",
    )
    row.download_button(
        "CSV",
        table,
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="download_csv",
        icon=":material/table:",
        on_click="ignore",
    )


def sentence_html(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """A sentence, escaped, with non-overlapping (start, end, kind, title) spans marked."""
    out, pos = [], 0
    for start, end, kind, title in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue  # overlapping or out-of-range spans are left plain
        out += [h(text[pos:start]), mark(text[start:end], kind, title=title)]
        pos = end
    out.append(h(text[pos:]))
    return "".join(out)


def outlet_name(article: Any) -> str:
    """Escaped outlet name, labelled when the source is constructed test material."""
    extra = f' <span class="cc-muted">({CONSTRUCTED})</span>' if article.source.constructed else ""
    return h(article.outlet) + extra
