"""The bundled example event run through the real pipeline once per test session,
and its truth files resolved to (source id, sentence index) keys."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from comparer.models import Report
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
        keys = [sentence_key(report, m["file"], m["quote"]) for m in d["members"]
                if not partial or m["file"] in present]
        out.append({**d, "keys": keys})
    return out


def flag_keys(flag) -> set[tuple[str, int]]:
    return {(v.source_id, v.sentence) for v in flag.values}


def matches(flag, truth: dict[str, Any]) -> bool:
    """A flag stands for a planted disagreement when kind, severity and relation agree, every
    sentence it cites is one of the planted members, and it cites the odd one out (listed
    first in the truth file) together with at least one other member."""
    keys = flag_keys(flag)
    return (flag.kind == truth["kind"] and flag.severity == truth["severity"]
            and flag.relation == truth["relation"] and keys <= set(truth["keys"])
            and truth["keys"][0] in keys and len(keys) >= 2)


def describe(flag, report: Report) -> str:
    cites = "; ".join(f"{report.article(v.source_id).outlet} s{v.sentence} {v.text!r}"
                      for v in flag.values)
    return f"{flag.id} {flag.kind}/{flag.severity}/{flag.relation}: {flag.explanation} [{cites}]"
