"""Writing a comparison out: the JSON report (with its schema), the Markdown memo, the CSV.

The JSON is the contract: ``report.schema.json`` beside this module describes it and
the tests validate every report against it. Fields are added, never renamed.
The memo is what a fact-checker pastes into their notes: sources with fetch times and
hashes, conflicts first with each outlet's sentence quoted side by side, then
compatible differences, omissions and shared-text warnings. Text from the sources is
quoted as data: Markdown control characters in it are escaped so a hostile page cannot
inject links or formatting into the memo.
"""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from comparer.readings import describe_value
from comparer.models import (SEVERITY_ORDER, Article, Claim, Disagreement, DisagreementValue,
                             Fact, Omission, Report, SharedText, iso)
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
        "disagreements": [d.to_dict() for d in report.disagreements],
        "omissions": [o.to_dict() for o in report.omissions],
        "shared_text": [s.to_dict() for s in report.shared_text],
        "timings": {k: round(v, 4) for k, v in report.timings.items()},
    }


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def from_json(data: dict[str, Any]) -> Report:
    """Rebuild a Report from its JSON (for saved runs reopened from the store)."""
    from comparer.models import ClaimMember, Sentence, Source

    articles = []
    for s in data["sources"]:
        source = Source(id=s["id"], kind=s.get("kind", "url"), location=s.get("location", ""),
                        url=s.get("url"), constructed=bool(s.get("constructed")))
        sentences = tuple(Sentence(source_id=s["id"], index=x["i"], text=x["text"],
                                   start=x["start"], end=x["end"],
                                   paragraph=x.get("paragraph", 0)) for x in s["sentences"])
        text = ""
        if sentences:  # rebuild a text in which every span is exact
            chars = [" "] * sentences[-1].end
            for sent in sentences:
                chars[sent.start:sent.end] = sent.text
            text = "".join(chars)
        articles.append(Article(
            source=source, status=s["status"], outlet=s["outlet"], text=text,
            sentences=sentences, url=s.get("url"), final_url=s.get("final_url"),
            title=s.get("title"), author=s.get("author"), published=_parse_dt(s.get("published")),
            language=s.get("language"), fetched_at=_parse_dt(s.get("fetched_at")),
            sha256=s.get("sha256"), http_status=s.get("http_status"),
            content_type=s.get("content_type"), from_store=bool(s.get("from_store")),
            error=s.get("error"), error_type=s.get("error_type"),
            warnings=tuple(s.get("warnings", ()))))
    claims = tuple(Claim(id=c["id"], confidence=c["confidence"], members=tuple(
        ClaimMember(source_id=m["source"], sentences=tuple(m.get("sentences") or [m["sentence"]]))
        for m in c["members"])) for c in data["claims"])
    facts = tuple(Fact(source_id=f["source"], sentence=f["sentence"], kind=f["kind"],
                       text=f["text"], start=f["start"], end=f["end"], value=f["value"])
                  for f in data["facts"])
    disagreements = tuple(Disagreement(
        id=d["id"], kind=d["kind"], severity=d["severity"], claims=tuple(d["claims"]),
        explanation=d["explanation"], relation=d.get("relation", ""),
        values=tuple(DisagreementValue(source_id=v["source"], sentence=v["sentence"],
                                       text=v["text"], start=v["start"], end=v["end"],
                                       value=v["value"]) for v in d["values"]))
        for d in data["disagreements"])
    return Report(
        generated_at=_parse_dt(data["generated_at"]), settings=data.get("settings", {}),
        articles=tuple(articles), claims=claims, facts=facts, disagreements=disagreements,
        omissions=tuple(Omission(o["source"], o["sentence"]) for o in data["omissions"]),
        shared_text=tuple(SharedText(tuple(s["sources"]), s["share"])
                          for s in data["shared_text"]),
        timings=data.get("timings", {}), run_id=data.get("run_id"))


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
    return sorted(disagreements, key=lambda d: (SEVERITY_ORDER.get(d.severity, 9), d.kind, d.id))


def _disagreement_md(d: Disagreement, by_id: dict[str, Article]) -> list[str]:
    lines = [f"### {d.id} · {d.kind} · {d.severity}"
             + (f" ({d.relation})" if d.relation else ""), "",
             md_escape(d.explanation), "",
             "| Outlet | Sentence | Evidence | Reading |", "|---|---|---|---|"]
    for v in d.values:
        a = by_id[v.source_id]
        lines.append(f"| {md_escape(a.outlet)} ({_link(a)}) | "
                     f"{md_escape(_sentence_text(a, v.sentence))} | {md_escape(v.text)} | "
                     f"{md_escape(describe_value(d.kind, dict(v.value)))} |")
    lines.append("")
    return lines


def to_markdown(report: Report) -> str:
    by_id = {a.id: a for a in report.articles}
    conflicts = [d for d in ordered(report.disagreements) if d.severity == "conflict"]
    others = [d for d in ordered(report.disagreements) if d.severity != "conflict"]
    out = [f"# Crosscheck memo: {md_escape(title(report))}", "",
           f"Generated {iso(report.generated_at)} by {TOOL_NAME} {TOOL_VERSION}"
           + (f", run `{report.run_id}`" if report.run_id else "") + ".",
           f"{len(conflicts)} conflicts, {len(others)} other differences, "
           f"{len(report.omissions)} omissions across {len(report.articles)} sources.", ""]
    if any(a.source.constructed for a in report.articles):
        out += ["> Sources marked *constructed* are test material written for Crosscheck, "
                "not real reporting.", ""]
    out += ["## Sources", "", "| Id | Outlet | Link | Published | Fetched (UTC) | SHA-256 | Status |",
            "|---|---|---|---|---|---|---|"]
    for a in report.articles:
        status = "ok" if a.status == "ok" else f"error: {md_escape(a.error or '')}"
        name = md_escape(a.outlet) + (" *(constructed)*" if a.source.constructed else "")
        out.append(f"| {a.id} | {name} | {_link(a)} | {iso(a.published) or '—'} | "
                   f"{iso(a.fetched_at) or '—'} | `{(a.sha256 or '—')[:16]}` | {status} |")
    out += ["", "## Conflicts", ""]
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
        out.append(f"- **{md_escape(b.outlet)}** and **{md_escape(a.outlet)}** share "
                   f"{st.share:.0%} of their text: not independent sources.")
    if not report.shared_text:
        out.append("None.")
    return "\n".join(out) + "\n"


CSV_COLUMNS = ["disagreement", "kind", "severity", "relation", "claims", "explanation",
               "source", "outlet", "url", "sentence_index", "sentence", "evidence", "start",
               "end", "value"]


def to_csv(report: Report) -> str:
    """One row per disagreement value."""
    by_id = {a.id: a for a in report.articles}
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for d in ordered(report.disagreements):
        for v in d.values:
            a = by_id[v.source_id]
            writer.writerow([d.id, d.kind, d.severity, d.relation, " ".join(d.claims),
                             d.explanation, a.id, a.outlet, a.final_url or a.url or "",
                             v.sentence, _sentence_text(a, v.sentence), v.text, v.start, v.end,
                             json.dumps(dict(v.value), ensure_ascii=False, sort_keys=True)])
    return buf.getvalue()
