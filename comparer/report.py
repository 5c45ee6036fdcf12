"""Writing a comparison out: the JSON report (with its schema), the Markdown memo, the CSV.

The JSON is the contract: ``report.schema.json`` beside this module describes it and
the tests validate every report against it. Fields are added, never renamed.
The memo is what a fact-checker pastes into their notes: sources with fetch times,
hashes and datelines, the events the outlets report (the main one and the background
ones), then one card per question, conflicts first: the question as its heading, the
explanation as the answer, a row per outlet with who it credits and when that source
spoke, and any revisions (one originator's figure changing over time). Compatible
differences, omissions and shared-text warnings follow. Old-style flags (no question,
no events) read as before: headed by their kind. The CSV has a row per outlet's answer;
its columns are only ever appended to. Text from the sources is
quoted as data: Markdown control characters in it are escaped so a hostile page cannot
inject links or formatting into the memo.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from comparer.describe import describe_value
from comparer.records import (
    SEVERITY_ORDER,
    Article,
    Claim,
    Disagreement,
    DisagreementValue,
    Event,
    EventMention,
    Fact,
    Omission,
    Report,
    Revision,
    SharedText,
    iso,
)
from comparer.version import __version__

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
TOOL_NAME = "crosscheck"
TOOL_VERSION = __version__


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def title(report: Report) -> str:
    outlets = [a.outlet for a in report.articles]
    head = ", ".join(outlets[:4]) + (f" +{len(outlets) - 4}" if len(outlets) > 4 else "")
    return head or "empty comparison"


def with_run_id(report: Report, run_id: str) -> Report:
    return replace(report, run_id=run_id)


def to_json(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        "generated_at": iso(report.generated_at),
        "run_id": report.run_id,
        "settings": report.settings,
        "sources": [a.to_dict() for a in report.articles],
        "claims": [c.to_dict() for c in report.claims],
        "facts": [f.to_dict() for f in report.facts],
        "events": [e.to_dict() for e in report.events],
        "disagreements": [d.to_dict() for d in report.disagreements],
        "omissions": [o.to_dict() for o in report.omissions],
        "shared_text": [s.to_dict() for s in report.shared_text],
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
    }


def _datetime(value: str) -> datetime:
    """An ISO instant as the report writes it ("...Z")."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _parse_dt(value: str | None) -> datetime | None:
    """An optional ISO instant: None for a missing or empty one."""
    return _datetime(value) if value else None


def from_json(data: dict[str, Any]) -> Report:
    """Rebuild a Report from its JSON (for saved runs reopened from the store)."""
    from comparer.records import ClaimMember, Sentence, Source

    articles = []
    for s in data["sources"]:
        source = Source(
            id=s["id"],
            kind=s.get("kind", "url"),
            location=s.get("location", ""),
            url=s.get("url"),
            constructed=bool(s.get("constructed")),
        )
        sentences = tuple(
            Sentence(
                source_id=s["id"],
                index=x["i"],
                text=x["text"],
                start=x["start"],
                end=x["end"],
                paragraph=x.get("paragraph", 0),
            )
            for x in s["sentences"]
        )
        text = ""
        if sentences:  # rebuild a text in which every span is exact
            chars = [" "] * sentences[-1].end
            for sent in sentences:
                chars[sent.start : sent.end] = sent.text
            text = "".join(chars)
        articles.append(
            Article(
                source=source,
                status=s["status"],
                outlet=s["outlet"],
                text=text,
                sentences=sentences,
                url=s.get("url"),
                final_url=s.get("final_url"),
                title=s.get("title"),
                author=s.get("author"),
                published=_parse_dt(s.get("published")),
                language=s.get("language"),
                fetched_at=_parse_dt(s.get("fetched_at")),
                sha256=s.get("sha256"),
                http_status=s.get("http_status"),
                content_type=s.get("content_type"),
                from_store=bool(s.get("from_store")),
                error=s.get("error"),
                error_type=s.get("error_type"),
                warnings=tuple(s.get("warnings", ())),
                dateline_place=s.get("dateline_place"),
                dateline_date=date.fromisoformat(s["dateline_date"])
                if s.get("dateline_date")
                else None,
            )
        )
    claims = tuple(
        Claim(
            id=c["id"],
            confidence=c["confidence"],
            members=tuple(
                ClaimMember(
                    source_id=m["source"], sentences=tuple(m.get("sentences") or [m["sentence"]])
                )
                for m in c["members"]
            ),
        )
        for c in data["claims"]
    )
    facts = tuple(
        Fact(
            source_id=f["source"],
            sentence=f["sentence"],
            kind=f["kind"],
            text=f["text"],
            start=f["start"],
            end=f["end"],
            value=f["value"],
            event=f.get("event"),
            time_role=f.get("time_role"),
        )
        for f in data["facts"]
    )
    events = tuple(
        Event(
            id=e["id"],
            type=e["type"],
            main=bool(e["main"]),
            place=e.get("place"),
            time=e.get("time"),
            label=e.get("label", ""),
            mentions=tuple(
                EventMention(m["source"], m["sentence"], m["start"], m["end"])
                for m in e.get("mentions", ())
            ),
        )
        for e in data.get("events", ())
    )
    disagreements = tuple(
        Disagreement(
            id=d["id"],
            kind=d["kind"],
            severity=d["severity"],
            claims=tuple(d["claims"]),
            explanation=d["explanation"],
            relation=d.get("relation", ""),
            values=tuple(
                DisagreementValue(
                    source_id=v["source"],
                    sentence=v["sentence"],
                    text=v["text"],
                    start=v["start"],
                    end=v["end"],
                    value=v["value"],
                    credited_to=v.get("credited_to"),
                    said_when=v.get("said_when"),
                )
                for v in d["values"]
            ),
            event=d.get("event"),
            slot=d.get("slot", ""),
            question=d.get("question", ""),
            revisions=tuple(
                Revision(r["originator"], tuple(r["values"])) for r in d.get("revisions", ())
            ),
        )
        for d in data["disagreements"]
    )
    return Report(
        generated_at=_datetime(data["generated_at"]),  # required by the schema
        settings=data.get("settings", {}),
        articles=tuple(articles),
        claims=claims,
        facts=facts,
        disagreements=disagreements,
        omissions=tuple(Omission(o["source"], o["sentence"]) for o in data["omissions"]),
        shared_text=tuple(SharedText(tuple(s["sources"]), s["share"]) for s in data["shared_text"]),
        timings=data.get("timings", {}),
        run_id=data.get("run_id"),
        events=events,
    )


# Enough to make links, images, HTML, code and emphasis literal: "(" only matters after
# "]", which is escaped; table cells also need "|".
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


_URL_SAFE = "/:?#[]@!$&'()*+,;=-._~%"
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """Source text as literal Markdown: no links, images, HTML, emphasis, headings or
    list markers survive (text is folded onto one line first)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _sentence_text(article: Article, index: int) -> str:
    return article.sentences[index].text if 0 <= index < len(article.sentences) else ""


def _link(article: Article) -> str:
    """The source's address as a Markdown autolink; anything outside the characters a URL
    may hold unescaped (spaces, "|", "<", ">", quotes ...) is percent-encoded, so a
    hostile URL header cannot break out of its table cell or its angle brackets."""
    url = article.final_url or article.url
    if url and re.match(r"^https?://", url):
        return "<" + quote(url, safe=_URL_SAFE) + ">"
    return md_escape(article.source.location or "pasted text")


def ordered(disagreements: Any) -> list[Disagreement]:
    """Worst first; within a severity, the order the comparison gave them (main-event
    questions before background ones): ids are d1, d2, ... in that order."""

    def number(d: Disagreement) -> int:
        digits = d.id[1:]
        return int(digits) if digits.isdigit() else 0

    return sorted(disagreements, key=lambda d: (SEVERITY_ORDER.get(d.severity, 9), number(d)))


def said(when: str | None) -> str:
    """When a source spoke, for reading: "2021-02-26 14:00 UTC" for an instant, the day
    as given for a day, "" when unknown (anything else is shown as it came)."""
    if not when:
        return ""
    if "T" not in when:
        return when
    try:
        return iso(_datetime(when))[:16].replace("T", " ") + " UTC"
    except ValueError:
        return when


def event_outlets(report: Report, event: Event) -> list[str]:
    """The outlets that mention ``event``, once each, in the order of the sources, with the
    number of their articles that do when it is more than one ("alaraby (2 articles)")."""
    ids = {m.source_id for m in event.mentions}
    counts = Counter(a.outlet for a in report.articles if a.id in ids)
    return [f"{outlet} ({n} articles)" if n > 1 else outlet for outlet, n in counts.items()]


def event_name(event: Event) -> str:
    """How an event is named in text: its label, else its type and id."""
    return event.label or f"{event.type} ({event.id})"


def event_facts(event: Event) -> list[str]:
    """Type, place and day of an event, the ones known."""
    return [x for x in (event.type, event.place, event.time) if x]


def revision_steps(d: Disagreement) -> list[tuple[str, list[str], list[str]]]:
    """Each revision on a card as (originator, readings earliest first, outlets that carry
    them). Indices that point past the card's values are skipped rather than trusted."""
    out = []
    for r in d.revisions:
        picked = [d.values[i] for i in r.values if 0 <= i < len(d.values)]
        if picked:
            out.append(
                (
                    r.originator,
                    [describe_value(d.kind, dict(v.value)) for v in picked],
                    list(dict.fromkeys(v.source_id for v in picked)),
                )
            )
    return out


def _md_piece(text: str) -> str:
    """Part of an escaped line: whitespace folded but kept at the edges, so escaped pieces
    can be joined back into one sentence."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _evidence_bounds(sentence: str, v: DisagreementValue) -> tuple[int, int] | None:
    """The evidence span in its sentence (the offsets when they hold, else the first match),
    trimmed of surrounding blanks so the bold markers sit against text."""
    if 0 <= v.start < v.end <= len(sentence) and sentence[v.start : v.end] == v.text:
        start, end = v.start, v.end
    else:
        start = sentence.find(v.text) if v.text.strip() else -1
        if start < 0:
            return None
        end = start + len(v.text)
    while start < end and sentence[start].isspace():
        start += 1
    while end > start and sentence[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _quoted_sentence(article: Article, v: DisagreementValue) -> str:
    """The outlet's sentence in quotes, escaped, with the evidence in bold; the evidence
    alone when the sentence is not in the report."""
    sentence = _sentence_text(article, v.sentence)
    if not sentence:
        return f"“{md_escape(v.text)}”" if v.text else "—"
    span = _evidence_bounds(sentence, v)
    if span is None:
        return f"“{md_escape(sentence)}”"
    start, end = span
    # The opening quote mark leads the cell, so no line-start marker can begin it.
    return (
        f"“{_md_piece(sentence[:start]).lstrip()}**{_md_piece(sentence[start:end])}**"
        f"{_md_piece(sentence[end:]).rstrip()}”"
    )


def _card_heading(d: Disagreement) -> str:
    head = f"### {md_escape(d.id)} · {md_escape(d.question or d.kind)} · {d.severity}"
    return head + (f" ({md_escape(d.relation)})" if d.relation else "")


def _disagreement_md(d: Disagreement, by_id: dict[str, Article]) -> list[str]:
    """One card: the question as its heading (the kind for old-style flags), the
    explanation as the answer, a row per outlet's answer, then the revisions."""
    answer = md_escape(d.explanation)
    lines = [
        _card_heading(d),
        "",
        f"**Answer:** {answer}" if d.question else answer,
        "",
        "| Outlet | Answer | Credited to | Said | Sentence |",
        "|---|---|---|---|---|",
    ]
    for v in d.values:
        a = by_id[v.source_id]
        cells = [
            f"{md_escape(a.outlet)} ({_link(a)})",
            md_escape(describe_value(d.kind, dict(v.value))),
            md_escape(v.credited_to or "—"),
            md_escape(said(v.said_when) or "—"),
            _quoted_sentence(a, v),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for originator, readings, sources in revision_steps(d):
        outlets = ", ".join(md_escape(by_id[s].outlet if s in by_id else s) for s in sources)
        lines += [
            f"Revised by {md_escape(originator)}: "
            f"{' → '.join(md_escape(r) for r in readings)} ({outlets})",
            "",
        ]
    return lines


def _events_md(report: Report) -> list[str]:
    """The main event and the background ones, one line each (nothing without events)."""
    if not report.events:
        return []

    def line(e: Event) -> str:
        outlets = event_outlets(report, e)
        facts = ", ".join(md_escape(x) for x in [*event_facts(e), f"id {e.id}"])
        said_by = (
            f"mentioned by {', '.join(md_escape(o) for o in outlets)}"
            if outlets
            else "no mention kept"
        )
        return f"{md_escape(event_name(e))} ({facts}): {said_by}."

    main = report.main_event
    background = [e for e in report.events if e is not main]
    out = ["## Events", ""]
    out += [f"**Main event:** {line(main)}", ""] if main else ["No main event was decided.", ""]
    if background:
        out += ["Background events (each compared only with itself):", ""]
        out += [f"- {line(e)}" for e in background]
        out.append("")
    return out


def _dateline(a: Article) -> str:
    parts = [
        md_escape(a.dateline_place) if a.dateline_place else "",
        a.dateline_date.isoformat() if a.dateline_date else "",
    ]
    return ", ".join(p for p in parts if p) or "—"


def _sources_md(report: Report) -> list[str]:
    # The dateline column only appears when some story was filed under one.
    datelines = any(a.dateline_place or a.dateline_date for a in report.articles)
    head = [
        "Id",
        "Outlet",
        "Link",
        "Published",
        *(["Dateline"] if datelines else []),
        "Fetched (UTC)",
        "SHA-256",
        "Status",
    ]
    out = ["## Sources", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for a in report.articles:
        status = "ok" if a.status == "ok" else f"error: {md_escape(a.error or '')}"
        name = md_escape(a.outlet) + (" *(constructed)*" if a.source.constructed else "")
        cells = [
            md_escape(a.id),
            name,
            _link(a),
            iso(a.published) or "—",
            *([_dateline(a)] if datelines else []),
            iso(a.fetched_at) or "—",
            f"`{(a.sha256 or '—')[:16]}`",
            status,
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def to_markdown(report: Report) -> str:
    by_id = {a.id: a for a in report.articles}
    conflicts = [d for d in ordered(report.disagreements) if d.severity == "conflict"]
    others = [d for d in ordered(report.disagreements) if d.severity != "conflict"]
    out = [
        f"# Crosscheck memo: {md_escape(title(report))}",
        "",
        f"Generated {iso(report.generated_at)} by {TOOL_NAME} {TOOL_VERSION}"
        + (f", run `{report.run_id}`" if report.run_id else "")
        + ".",
        f"{len(conflicts)} conflicts, {len(others)} other differences, "
        f"{len(report.omissions)} omissions across {len(report.articles)} sources.",
        "",
    ]
    if any(a.source.constructed for a in report.articles):
        out += [
            "> Sources marked *constructed* are test material written for Crosscheck, "
            "not real reporting.",
            "",
        ]
    out += _sources_md(report)
    out += _events_md(report)
    out += ["## Conflicts", ""]
    for d in conflicts:
        out += _disagreement_md(d, by_id)
    if not conflicts:
        out += ["No conflicts found.", ""]
    out += ["## Compatible and unresolved differences", ""]
    for d in others:
        out += _disagreement_md(d, by_id)
    if not others:
        out += ["None.", ""]
    out += ["## Omissions", ""]
    for o in report.omissions:
        a = by_id[o.source_id]
        out.append(f"- only **{md_escape(a.outlet)}**: {md_escape(_sentence_text(a, o.sentence))}")
    if not report.omissions:
        out.append("None.")
    out += ["", "## Shared text", ""]
    for st in report.shared_text:
        a, b = (by_id[s] for s in st.sources)
        out.append(
            f"- **{md_escape(b.outlet)}** and **{md_escape(a.outlet)}** share "
            f"{st.share:.0%} of their text: not independent sources."
        )
    if not report.shared_text:
        out.append("None.")
    return "\n".join(out) + "\n"


# Columns are appended, never reordered: spreadsheets built on the first fifteen keep working.
CSV_COLUMNS = [
    "disagreement",
    "kind",
    "severity",
    "relation",
    "claims",
    "explanation",
    "source",
    "outlet",
    "url",
    "sentence_index",
    "sentence",
    "evidence",
    "start",
    "end",
    "value",
    "event",
    "slot",
    "question",
    "credited_to",
    "said_when",
]


def value_rows(report: Report) -> Iterator[list[Any]]:
    """One row per disagreement value (a card's answer from one outlet), in ``CSV_COLUMNS``
    order: the one flattening of a report, for the CSV and the batch's values table."""
    by_id = {a.id: a for a in report.articles}
    for d in ordered(report.disagreements):
        for v in d.values:
            a = by_id[v.source_id]
            yield [
                d.id,
                d.kind,
                d.severity,
                d.relation,
                " ".join(d.claims),
                d.explanation,
                a.id,
                a.outlet,
                a.final_url or a.url or "",
                v.sentence,
                _sentence_text(a, v.sentence),
                v.text,
                v.start,
                v.end,
                json.dumps(dict(v.value), ensure_ascii=False, sort_keys=True),
                d.event or "",
                d.slot,
                d.question,
                v.credited_to or "",
                v.said_when or "",
            ]


def to_csv(report: Report) -> str:
    """One row per disagreement value (a card's answer from one outlet)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(value_rows(report))
    return buf.getvalue()
