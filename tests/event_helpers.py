"""The bundled example event run through the real pipeline once per test session,
and its truth files resolved to (source id, sentence index) keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from comparer.records import Report
from tests.conftest import FIXTURES

DISAGREEMENTS_TRUTH = FIXTURES / "event" / "disagreements_truth.json"


def file_ids(report: Report) -> dict[str, str]:
    """Example file name -> source id in the report."""
    return {Path(a.source.location).name: a.id for a in report.articles}


def sentence_key(report: Report, file: str, quote: str) -> tuple[str, int]:
    sid = file_ids(report)[file]
    hits = [s.index for s in report.article(sid).sentences if quote in s.text]
    assert len(hits) == 1, f"{file}: quote {quote!r} found in sentences {hits}"
    return sid, hits[0]


def planted(report: Report, *, partial: bool = False) -> list[dict[str, Any]]:
    """The planted disagreements with their members resolved to sentence keys; with
    ``partial`` the report may hold only some of the example files, and members from
    the others are left out."""
    data = json.loads(DISAGREEMENTS_TRUTH.read_text(encoding="utf-8"))
    present = file_ids(report)
    out = []
    for d in data["disagreements"]:
        keys = [
            sentence_key(report, m["file"], m["quote"])
            for m in d["members"]
            if not partial or m["file"] in present
        ]
        out.append({**d, "keys": keys})
    return out


def flag_keys(flag) -> set[tuple[str, int]]:
    return {(v.source_id, v.sentence) for v in flag.values}


SEVERITY_RANK = {"conflict": 0, "unresolved": 1, "compatible": 2}


def matches(flag, truth: dict[str, Any], truths: list[dict[str, Any]] | None = None) -> bool:
    """A card stands for a planted disagreement when it is of the same kind, cites the
    odd one out (listed first in the truth file) together with at least one other member,
    and names the planted relation: as its own relation, or as a further reason in its
    explanation (one card per question holds every difference of that question: the
    planted "17 vs 22, compatible" sits in the card whose worst difference is "1 vs 17").
    Its severity is the planted one, or worse when the planted one is only compatible or
    unresolved and the card holds it beside a conflict.

    Every sentence a card cites must be a planted member of some disagreement of the
    same kind (``truths``; by default only this one)."""
    from comparer.disagreements.rules import REASONS

    keys = flag_keys(flag)
    pool = set(truth["keys"])
    for other in truths or ():
        if other["kind"] == truth["kind"]:
            pool |= set(other["keys"])
    relation_named = (
        flag.relation == truth["relation"]
        or REASONS.get(truth["relation"], "\0") in flag.explanation
    )
    severity_ok = (
        flag.severity == truth["severity"]
        or SEVERITY_RANK[flag.severity] < SEVERITY_RANK[truth["severity"]]
    )
    return (
        flag.kind == truth["kind"]
        and severity_ok
        and relation_named
        and keys <= pool
        and truth["keys"][0] in keys
        and len(keys & set(truth["keys"])) >= 2
    )


def describe(flag, report: Report) -> str:
    cites = "; ".join(
        f"{report.article(v.source_id).outlet} s{v.sentence} {v.text!r}" for v in flag.values
    )
    return f"{flag.id} {flag.kind}/{flag.severity}/{flag.relation}: {flag.explanation} [{cites}]"
