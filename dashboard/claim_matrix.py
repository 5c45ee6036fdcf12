"""The claim matrix (claim groups × outlets) and the reading view (one outlet's whole text).

The matrix answers "who reports what": a row per claim group, a column per outlet, the
sentence number where the outlet has it and a gap where it does not, so omissions show
as holes. Each group then opens to its sentences. The reading view gives one outlet's
text paragraph by paragraph with its facts marked, the sentences in a flagged conflict
underlined, and beside each paragraph a button per sentence that other outlets also
report, opening their versions in place (one click, no page change).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import streamlit as st

from comparer.describe import describe_value
from comparer.records import Article, Claim, Report
from dashboard.render import flags, legend, outlet_name, sentence_html
from dashboard.safe import h, md, shorten

GAP = ""


def _column_names(articles: list[Article]) -> dict[str, str]:
    """Outlet names as column headers, made unique when two sources share one."""
    counts = defaultdict(int)
    for a in articles:
        counts[a.outlet] += 1
    return {a.id: a.outlet if counts[a.outlet] == 1 else f"{a.outlet} ({a.id})" for a in articles}


def fact_spans(report: Report) -> dict[tuple[str, int], list[tuple[int, int, str, str]]]:
    """(source, sentence) -> the spans to mark, each with its kind and reading."""
    spans: dict[tuple[str, int], list[tuple[int, int, str, str]]] = defaultdict(list)
    for f in report.facts:
        spans[(f.source_id, f.sentence)].append(
            (f.start, f.end, f.kind, f"{f.kind}: {describe_value(f.kind, dict(f.value))}")
        )
    return spans


def _flags_by_claim(report: Report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for d in flags(report):
        for c in d.claims:
            out[c].append(f"{d.id} {d.severity}")
    return out


def _sentences(article: Article, indices: tuple[int, ...]) -> str:
    return " ".join(article.sentences[i].text for i in indices if 0 <= i < len(article.sentences))


def matrix_frame(report: Report) -> Any:
    """The claim × outlet table as a DataFrame (sentence numbers, gaps where absent)."""
    import pandas as pd

    ok = [a for a in report.articles if a.status == "ok"]
    names = _column_names(ok)
    by_id = {a.id: a for a in ok}
    flagged = _flags_by_claim(report)
    rows = []
    for c in report.claims:
        first = c.members[0]
        row: dict[str, Any] = {"claim": c.id}
        for a in ok:
            cells = [m for m in c.members if m.source_id == a.id]
            row[names[a.id]] = (
                " ".join("#" + "+".join(str(i + 1) for i in m.sentences) for m in cells) or GAP
            )
        row["flags"] = ", ".join(flagged.get(c.id, []))
        row["what it says"] = (
            shorten(_sentences(by_id[first.source_id], first.sentences), 110)
            if first.source_id in by_id
            else ""
        )
        rows.append(row)
    only: dict[str, Any] = {"claim": "only one outlet"}
    for a in ok:
        n = sum(o.source_id == a.id for o in report.omissions)
        only[names[a.id]] = f"{n} sentences" if n else GAP
    only.update({"flags": "", "what it says": "sentences no other outlet reports"})
    rows.append(only)
    return pd.DataFrame(rows)


def _shade(cell: Any) -> str:
    """Present cells green, gaps grey: omissions show as holes down a column."""
    return "background-color: #f1f5f9" if cell == GAP else "background-color: #dcfce7"


def _claim_html(claim: Claim, by_id: dict[str, Article], spans: dict) -> str:
    parts = []
    for m in claim.members:
        a = by_id.get(m.source_id)
        if a is None:
            continue
        body = " ".join(
            sentence_html(a.sentences[i].text, spans.get((a.id, i), []))
            for i in m.sentences
            if 0 <= i < len(a.sentences)
        )
        number = "+".join(str(i + 1) for i in m.sentences)
        parts.append(
            f'<div class="cc-voice"><div class="cc-outlet">{outlet_name(a)} '
            f'<span class="cc-muted">#{h(number)}</span></div>'
            f'<div class="cc-sent">{body}</div></div>'
        )
    return '<div class="cc-grid">' + "".join(parts) + "</div>"


def claim_matrix(report: Report) -> None:
    if not report.claims:
        st.caption("No claim groups: no sentence was matched across two outlets.")
        return
    st.caption(
        "Each row is a claim group: sentences from different outlets that report the "
        "same thing. A number is the outlet's sentence; a blank is an outlet that "
        "does not report it."
    )
    frame = matrix_frame(report)
    outlets = [c for c in frame.columns if c not in ("claim", "flags", "what it says")]
    st.dataframe(
        frame.style.map(_shade, subset=outlets),
        hide_index=True,
        width="stretch",
        height=36 * (len(frame) + 1) + 3,
        key="claim_matrix",
    )
    by_id = {a.id: a for a in report.articles if a.status == "ok"}
    spans = fact_spans(report)
    flagged = _flags_by_claim(report)
    legend()
    for c in report.claims:
        n = len({m.source_id for m in c.members})
        mark = " · ⚑ " + md(", ".join(flagged[c.id])) if c.id in flagged else ""
        with st.expander(f"{md(c.id)} · {n} outlets{mark}", key=f"claim_{c.id}"):
            st.html(_claim_html(c, by_id, spans))


def _paragraphs(article: Article) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for s in article.sentences:
        groups.setdefault(s.paragraph, []).append(s.index)
    return list(groups.values())


def reading_view(report: Report) -> None:
    ok = [a for a in report.articles if a.status == "ok"]
    if not ok:
        st.caption("No source could be read.")
        return
    by_id = {a.id: a for a in ok}
    if st.session_state.get("read_outlet") not in by_id:
        st.session_state.read_outlet = ok[0].id
    names = _column_names(ok)
    aid = st.selectbox("Outlet", list(by_id), key="read_outlet", format_func=names.get)
    article = by_id[aid]
    spans = fact_spans(report)
    claim_of: dict[int, Claim] = {}
    for c in report.claims:
        for m in c.members:
            if m.source_id == aid:
                claim_of.update({i: c for i in m.sentences})
    flagged: dict[int, list[str]] = defaultdict(list)
    for d in flags(report):
        if d.severity == "conflict":
            for v in d.values:
                if v.source_id == aid:
                    flagged[v.sentence].append(d.id)
    only = {o.sentence for o in report.omissions if o.source_id == aid}
    meta = " · ".join(h(x) for x in (article.title, article.url or article.source.location) if x)
    st.html(
        f'<div class="cc-outlet">{outlet_name(article)}</div><div class="cc-muted">{meta}</div>'
    )
    legend(
        '<span class="cc-flag">in a conflict</span>',
        '<span class="cc-only">only this outlet</span>',
    )
    for indices in _paragraphs(article):
        left, right = st.columns([5, 2])
        pieces = []
        for i in indices:
            s = article.sentences[i]
            cls = "cc-flag" if i in flagged else ("cc-only" if i in only else "")
            ids = (
                f'<span class="cc-flagid">⚑ {h(", ".join(dict.fromkeys(flagged[i])))}</span>'
                if i in flagged
                else ""
            )
            pieces.append(
                f'<span class="cc-n">{i + 1}</span><span class="{cls}">'
                f"{sentence_html(s.text, spans.get((aid, i), []))}</span>{ids}"
            )
        left.html(f'<p class="cc-para">{" ".join(pieces)}</p>')
        with right:
            for i in indices:
                claim = claim_of.get(i)
                if claim is None:
                    continue
                others = [m for m in claim.members if m.source_id != aid]
                n = len({m.source_id for m in others})
                if not n:
                    continue
                with st.popover(
                    f"#{i + 1}: {n} other outlet{'s' if n > 1 else ''}",
                    key=f"pop_{aid}_{i}",
                    width="stretch",
                ):
                    st.html(
                        _claim_html(
                            Claim(id=claim.id, members=tuple(others), confidence=claim.confidence),
                            by_id,
                            spans,
                        )
                    )
