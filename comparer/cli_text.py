"""Plain-text renderings for the command line (the JSON shapes live beside them)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from comparer.describe import describe_value
from comparer.records import Article, Fact, Report, iso


def _status_line(a: Article) -> str:
    if a.status == "error":
        return f"ERROR ({a.error_type}): {a.error}"
    bits = [f"{len(a.sentences)} sentences"]
    if a.from_store:
        bits.append("from store")
    if a.source.constructed:
        bits.append("CONSTRUCTED test material")
    return ", ".join(bits)


def sources_text(articles: Sequence[Article]) -> str:
    out: list[str] = []
    for a in articles:
        out.append(f"[{a.id}] {a.outlet} — {_status_line(a)}")
        for label, value in (
            ("url", a.final_url or a.url or a.source.location),
            ("title", a.title),
            ("published", iso(a.published)),
            ("fetched", iso(a.fetched_at)),
            ("sha256", a.sha256),
        ):
            if value:
                out.append(f"    {label}: {value}")
        for w in a.warnings:
            out.append(f"    warning: {w}")
        for s in a.sentences:
            out.append(f"    {s.index:>3} [{s.start}:{s.end}] {s.text}")
        out.append("")
    return "\n".join(out).rstrip()


def _sentence(articles_by_id: dict[str, Article], source_id: str, indices: Sequence[int]) -> str:
    sents = articles_by_id[source_id].sentences
    return " ".join(sents[i].text for i in indices if 0 <= i < len(sents))


def align_json(articles: Sequence[Article], alignment: Any) -> dict[str, Any]:
    return {
        "sources": [a.to_dict() for a in articles],
        "claims": [c.to_dict() for c in alignment.claims],
        "omissions": [o.to_dict() for o in alignment.omissions],
        "shared_text": [s.to_dict() for s in alignment.shared_text],
    }


def align_text(articles: Sequence[Article], alignment: Any) -> str:
    by_id = {a.id: a for a in articles}
    out: list[str] = []
    for claim in alignment.claims:
        out.append(f"{claim.id}  (confidence {claim.confidence:.2f})")
        for m in claim.members:
            body = textwrap.shorten(_sentence(by_id, m.source_id, m.sentences), 160)
            out.append(f"  {by_id[m.source_id].outlet:<22.22} {body}")
        out.append("")
    if alignment.omissions:
        out.append("Omissions (sentences only one outlet has):")
        for o in alignment.omissions:
            body = textwrap.shorten(_sentence(by_id, o.source_id, [o.sentence]), 140)
            out.append(f"  only {by_id[o.source_id].outlet}: {body}")
        out.append("")
    for st in alignment.shared_text:
        a, b = (by_id[s].outlet for s in st.sources)
        out.append(
            f"Shared text: {a} and {b} share {st.share:.0%} of their text (not independent sources)"
        )
    return "\n".join(out).rstrip()


def facts_text(articles: Sequence[Article], facts: Sequence[Fact]) -> str:
    by_id = {a.id: a for a in articles}
    out: list[str] = []
    current = None
    for f in facts:
        if f.source_id != current:
            current = f.source_id
            out.append(f"\n[{f.source_id}] {by_id[f.source_id].outlet}")
        out.append(
            f"  s{f.sentence:<3} {f.kind:<11} {f.text!r:<45} "
            f"{describe_value(f.kind, dict(f.value))}"
        )
    for a in articles:
        if a.status == "error":
            out.append(f"\n[{a.id}] {a.outlet}: ERROR {a.error}")
        for w in a.warnings:
            out.append(f"\n[{a.id}] {a.outlet}: warning: {w}")
    return "\n".join(out).strip()


def compare_text(report: Report) -> str:
    by_id = {a.id: a for a in report.articles}
    out = [
        f"{len(report.articles)} sources, {len(report.claims)} claim groups, "
        f"{len(report.disagreements)} disagreements"
    ]
    for a in report.articles:
        out.append(f"  [{a.id}] {a.outlet}: {_status_line(a)}")
    main = report.main_event
    if main is not None:
        others = [e.label for e in report.events if not e.main]
        out.append(
            f"main event: {main.label}" + (f"; background: {'; '.join(others)}" if others else "")
        )
    for d in report.disagreements:
        if d.question:  # a question card: the question, then the answer
            out.append(f"\n{d.id} {d.severity.upper()} {d.question}\n    {d.explanation}")
        else:
            out.append(f"\n{d.id} {d.severity.upper()} {d.kind}: {d.explanation}")
        for v in d.values:
            body = textwrap.shorten(by_id[v.source_id].sentences[v.sentence].text, 150)
            out.append(f"    {by_id[v.source_id].outlet}: {body}")
    return "\n".join(out)


def discover_text(data: dict[str, Any]) -> str:
    """``discover``'s result (its JSON shape, ``Discovery.to_dict``) as a readable table:
    one numbered row per story, its address on the line below."""
    window = data["window"]
    out = [
        f"query: {data['query']}",
        f"window: {window['since']} to {window['until']}",
        "",
    ]
    results = data["results"]
    if not results:
        out.append("no coverage found")
    else:
        out.append(f"{'#':>3}  {'score':>5}  {'published':<16}  {'lang':<4}  {'outlet':<22}  title")
    for n, r in enumerate(results, start=1):
        score = "seed" if r.get("seed") else f"{r['score']:.2f}"
        published = (r["published"] or "-")[:16].replace("T", " ")
        outlet = textwrap.shorten(r["outlet"] or "-", width=22, placeholder="…")
        title = textwrap.shorten(r["title"], width=70, placeholder="…")
        out.append(
            f"{n:>3}  {score:>5}  {published:<16}  {(r['language'] or '-'):<4}  "
            f"{outlet:<22}  {title}"
        )
        note = (
            "" if r.get("resolved", True) else "  (Google News link: publisher's address unknown)"
        )
        out.append(f"{'':>5}  {r['url']}  [{r['provider']}]{note}")
    if data["errors"]:
        out.append("")
        out.append("providers that failed:")
        out.extend(f"  {e['provider']}: {e['error']}" for e in data["errors"])
    return "\n".join(out)
