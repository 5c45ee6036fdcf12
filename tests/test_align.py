"""align.py on the labelled example event (real model), its traps one by one, and edge cases."""
from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from comparer.align import Alignment, align
from comparer.embed import CachedEmbedder
from comparer.models import Article, Source
from comparer.sentences import split_sentences
from comparer.sources import split_header
from comparer.store import Store

REPO = Path(__file__).resolve().parents[1]
EVENT_DIR = REPO / "comparer" / "examples" / "syria-2021-02-25"
TRUTH = REPO / "tests" / "fixtures" / "event" / "claims_truth.json"


# -- helpers ---------------------------------------------------------------

def article_from_text(text: str, source_id: str, *, location: str = "") -> Article:
    headers, body = split_header(text)
    return Article(source=Source(id=source_id, kind="file", location=location), status="ok",
                   outlet=headers.get("outlet", source_id), text=body,
                   sentences=split_sentences(body, source_id=source_id))


def event_articles(folder: Path = EVENT_DIR) -> list[Article]:
    """The six example files as Articles; each source id is its file name."""
    return [article_from_text(p.read_text(encoding="utf-8"), p.name, location=str(p))
            for p in sorted(folder.glob("*.txt"))]


def find_sentence(article: Article, quote: str) -> int:
    hits = [s.index for s in article.sentences if quote in s.text]
    assert len(hits) == 1, f"{article.id}: quote {quote!r} is in sentences {hits}"
    return hits[0]


def truth_groups(articles: list[Article]) -> dict[str, set[tuple[str, int]]]:
    """Truth claim id -> its (file, sentence index) items."""
    by_id = {a.id: a for a in articles}
    groups: dict[str, set[tuple[str, int]]] = {}
    for claim in json.loads(TRUTH.read_text(encoding="utf-8"))["claims"]:
        items = groups.setdefault(claim["id"], set())
        for m in claim["members"]:
            for quote in m.get("quotes") or [m["quote"]]:
                items.add((m["file"], find_sentence(by_id[m["file"]], quote)))
    return groups


def predicted_groups(alignment: Alignment) -> dict[str, set[tuple[str, int]]]:
    return {c.id: {(m.source_id, i) for m in c.members for i in m.sentences}
            for c in alignment.claims}


def cross_file_pairs(groups: dict[str, set[tuple[str, int]]]) -> set[frozenset]:
    """Unordered pairs of sentences from different files that share a group."""
    return {frozenset((a, b)) for items in groups.values()
            for a, b in combinations(sorted(items), 2) if a[0] != b[0]}


def pair_scores(truth: set, predicted: set) -> tuple[float, float, float]:
    hit = len(truth & predicted)
    precision = hit / len(predicted) if predicted else 0.0
    recall = hit / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    return precision, recall, f1


def group_of(alignment: Alignment, source_id: str, sentence: int) -> str | None:
    for claim in alignment.claims:
        for m in claim.members:
            if m.source_id == source_id and sentence in m.sentences:
                return claim.id
    return None


# -- fixtures --------------------------------------------------------------

@pytest.fixture(scope="module")
def articles():
    return event_articles()


@pytest.fixture(scope="module")
def alignment(articles, embedder):
    from config import load_settings

    return align(articles, embedder, load_settings())


@pytest.fixture(scope="module")
def by_id(articles):
    return {a.id: a for a in articles}


# -- quality on the labelled event -------------------------------------------

def test_pairwise_precision_recall_f1_reach_0_9(articles, alignment):
    truth = cross_file_pairs(truth_groups(articles))
    predicted = cross_file_pairs(predicted_groups(alignment))
    precision, recall, f1 = pair_scores(truth, predicted)
    print(f"\nalignment on the example event: {len(truth)} truth pairs, {len(predicted)} predicted;"
          f" precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9
    assert f1 >= 0.9
