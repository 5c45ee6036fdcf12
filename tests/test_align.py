"""align.py on the labelled example event (real model), its traps one by one, and edge cases."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from comparer.align import Alignment, align
from comparer.embed import CachedEmbedder
from comparer.records import Article, ClaimMember, SharedText, Source
from comparer.sentences import split_sentences
from comparer.shared_text import find_shared_text, share, shingles, words
from comparer.sources import split_header
from comparer.store import Store

pytestmark = pytest.mark.slow  # the real model (loaded once per session)

REPO = Path(__file__).resolve().parents[1]
EVENT_DIR = REPO / "comparer" / "examples" / "syria-2021-02-25"
TRUTH = REPO / "tests" / "fixtures" / "event" / "claims_truth.json"


# -- helpers ---------------------------------------------------------------


def article_from_text(text: str, source_id: str, *, location: str = "") -> Article:
    headers, body = split_header(text)
    return Article(
        source=Source(id=source_id, kind="file", location=location),
        status="ok",
        outlet=headers.get("outlet", source_id),
        text=body,
        sentences=split_sentences(body, source_id=source_id),
    )


def event_articles(folder: Path = EVENT_DIR) -> list[Article]:
    """The six example files as Articles; each source id is its file name."""
    return [
        article_from_text(p.read_text(encoding="utf-8"), p.name, location=str(p))
        for p in sorted(folder.glob("*.txt"))
    ]


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
    return {
        c.id: {(m.source_id, i) for m in c.members for i in m.sentences} for c in alignment.claims
    }


def cross_file_pairs(groups: dict[str, set[tuple[str, int]]]) -> set[frozenset]:
    """Unordered pairs of sentences from different files that share a group."""
    return {
        frozenset((a, b))
        for items in groups.values()
        for a, b in combinations(sorted(items), 2)
        if a[0] != b[0]
    }


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
    from comparer.settings import load_settings

    return align(articles, embedder, load_settings())


@pytest.fixture(scope="module")
def by_id(articles):
    return {a.id: a for a in articles}


# -- quality on the labelled event -------------------------------------------


def test_pairwise_precision_recall_f1_reach_0_9(articles, alignment):
    truth = cross_file_pairs(truth_groups(articles))
    predicted = cross_file_pairs(predicted_groups(alignment))
    precision, recall, f1 = pair_scores(truth, predicted)
    print(
        f"\nalignment on the example event: {len(truth)} truth pairs, {len(predicted)} predicted;"
        f" precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"
    )
    assert precision >= 0.9
    assert recall >= 0.9
    assert f1 >= 0.9


def test_claims_are_numbered_in_order_of_first_appearance(articles, alignment):
    assert [c.id for c in alignment.claims] == [
        f"c{n}" for n in range(1, len(alignment.claims) + 1)
    ]
    firsts = []
    order = {a.id: n for n, a in enumerate(articles)}
    for claim in alignment.claims:
        keys = [(order[m.source_id], m.sentences[0]) for m in claim.members]
        assert keys == sorted(keys)  # members in source, then sentence order
        firsts.append(keys[0])
    assert firsts == sorted(firsts)
    # c1 is the lead of the first file, told by all six outlets.
    assert alignment.claims[0].members[0] == ClaimMember(source_id="01-hngn.txt", sentences=(0,))
    assert len(alignment.claims[0].members) == 6
    assert all(0.0 < c.confidence <= 1.0 for c in alignment.claims)


# -- the planted traps, one by one ---------------------------------------------


def _trap(name: str) -> dict:
    path = TRUTH.with_name("disagreements_truth.json")
    return next(
        t for t in json.loads(path.read_text(encoding="utf-8"))["traps"] if t["trap"] == name
    )


def test_claim_split_over_two_sentences_is_one_member(by_id, alignment):
    first = find_sentence(by_id["04-capitol-dispatch.txt"], "three rockets hit Erbil on Feb. 15")
    second = find_sentence(
        by_id["04-capitol-dispatch.txt"],
        "One civilian contractor was killed and a U.S. service member",
    )
    assert second == first + 1
    claim_id = group_of(alignment, "04-capitol-dispatch.txt", first)
    claim = next(c for c in alignment.claims if c.id == claim_id)
    split = [m for m in claim.members if m.source_id == "04-capitol-dispatch.txt"]
    assert [m.sentences for m in split] == [(first, second)]
    meridian = find_sentence(by_id["02-meridian-wire.txt"], "The Feb. 15 rocket attack in Erbil")
    assert group_of(alignment, "02-meridian-wire.txt", meridian) == claim_id
    # 04's "ordered by Biden" / "first use of force" are two claims everywhere: no span there.
    capitol = by_id["04-capitol-dispatch.txt"]
    ordered = find_sentence(capitol, "President Joe Biden ordered the strike")
    assert all(
        len(m.sentences) == 1
        for c in alignment.claims
        for m in c.members
        if m.source_id == "04-capitol-dispatch.txt" and ordered in m.sentences
    )


def test_rewrite_is_flagged_as_shared_text_and_no_other_pair(alignment, settings):
    pairs = [s.sources for s in alignment.shared_text]
    assert pairs == [("02-meridian-wire.txt", "06-coastline-courier.txt")]
    assert alignment.shared_text[0].share >= settings.align.shared_text_threshold


def test_rewrite_sentences_are_matched_even_when_reordered(by_id, alignment):
    trap = _trap("shared-text")
    for pair in trap["pairs"]:
        a = find_sentence(by_id[trap["source"]], pair["a"])
        b = find_sentence(by_id[trap["copy"]], pair["b"])
        assert group_of(alignment, trap["source"], a) is not None, pair
        assert group_of(alignment, trap["source"], a) == group_of(alignment, trap["copy"], b), pair
    # The swapped pair really is in the other order in 06.
    killed = ("At least 17", "nine facilities and partially")
    order_02 = [find_sentence(by_id[trap["source"]], q) for q in killed]
    order_06 = [find_sentence(by_id[trap["copy"]], q) for q in killed]
    assert order_02[0] > order_02[1] and order_06[0] < order_06[1]


def test_background_only_paragraphs_are_omissions(by_id, alignment):
    omitted = {(o.source_id, o.sentence) for o in alignment.omissions}
    for m in _trap("background-only-one-outlet")["members"]:
        k = find_sentence(by_id[m["file"]], m["quote"])
        assert (m["file"], k) in omitted, m
        assert group_of(alignment, m["file"], k) is None, m


def test_seed_clutter_is_omitted_and_its_subhead_joins_the_claim(by_id, alignment):
    seed = by_id["01-hngn.txt"]
    omitted = {o.sentence for o in alignment.omissions if o.source_id == "01-hngn.txt"}
    teasers = [s.index for s in seed.sentences if s.text.startswith("Read also:")]
    assert len(teasers) == 3 and set(teasers) <= omitted
    assert find_sentence(seed, "All rights reserved") in omitted
    heading = find_sentence(seed, "Biden ordered US airstrike against Syria")
    approved = find_sentence(seed, "an airstrike that President Biden approved")
    ordered = find_sentence(by_id["02-meridian-wire.txt"], "The strikes were ordered by")
    claim = group_of(alignment, "02-meridian-wire.txt", ordered)
    assert group_of(alignment, "01-hngn.txt", heading) == claim
    assert group_of(alignment, "01-hngn.txt", approved) == claim


def test_erbil_sentences_are_not_grouped_with_strike_sentences(articles, alignment):
    truth = truth_groups(articles)
    erbil = truth["c11"]
    predicted = predicted_groups(alignment)
    holding = {cid for cid, items in predicted.items() if items & erbil}
    assert len(holding) == 1  # every Erbil sentence in one claim ...
    assert predicted[holding.pop()] == erbil  # ... and nothing else in it
    # "killed one militia member" (the strike) stays with the strike's death toll.
    killed_one = next(iter(i for i in truth["c15"] if i[0] == "03-levant-ledger.txt"))
    assert group_of(alignment, *killed_one) != group_of(
        alignment,
        "02-meridian-wire.txt",
        min(i[1] for i in erbil if i[0] == "02-meridian-wire.txt"),
    )


def test_near_misses_stay_out_of_the_quote_claims(by_id, alignment):
    meridian = by_id["02-meridian-wire.txt"]
    quote = find_sentence(meridian, "The operation sends an unambiguous message")
    message = group_of(alignment, "02-meridian-wire.txt", quote)
    for q in ("send a signal to Tehran", "This was a calibrated response"):
        k = find_sentence(by_id["05-northstar-times.txt"], q)
        assert group_of(alignment, "05-northstar-times.txt", k) != message
    f15 = find_sentence(by_id["04-capitol-dispatch.txt"], "Two F-15E jets")
    assert ("04-capitol-dispatch.txt", f15) in {
        (o.source_id, o.sentence) for o in alignment.omissions
    }


# -- reordering, caching and small inputs ---------------------------------------


def test_paragraph_order_does_not_matter(embedder, settings):
    text = (EVENT_DIR / "02-meridian-wire.txt").read_text(encoding="utf-8")
    headers, body = split_header(text)
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    original = article_from_text(body, "original")
    reversed_ = article_from_text("\n\n".join(reversed(paragraphs)), "reversed")
    other = article_from_text(
        (EVENT_DIR / "03-levant-ledger.txt").read_text(encoding="utf-8"), "ledger"
    )
    result = align([original, reversed_, other], embedder, settings)
    for s in original.sentences:
        twin = next(r.index for r in reversed_.sentences if r.text == s.text)
        assert group_of(result, "original", s.index) is not None, s.text
        assert group_of(result, "original", s.index) == group_of(result, "reversed", twin)
    assert [x.sources for x in result.shared_text] == [("original", "reversed")]
    assert result.shared_text[0].share == 1.0


def test_second_run_over_the_store_encodes_zero_sentences(articles, embedder, settings):
    seen: list[str] = []

    class Recording:
        model_id = embedder.model_id

        def encode(self, texts):
            seen.extend(texts)
            return embedder.encode(texts)

    with Store.open(settings) as store:
        first = CachedEmbedder(Recording(), store)
        one = align(articles, first, settings)
        sentences = {s.text for a in articles for s in a.sentences}
        assert len(seen) == len(set(seen)) == first.encoded  # nothing encoded twice
        assert sentences <= set(seen)  # every distinct sentence once (06 repeats 02's) ...
        extra = set(seen) - sentences  # ... plus the few span candidates, as joined pairs
        assert 0 < len(extra) < len(sentences) // 10
    with Store.open(settings) as store:
        second = CachedEmbedder(embedder, store)
        two = align(articles, second, settings)
        assert second.encoded == 0
        assert second.calls == 0
    assert two == one


def test_fragments_that_are_no_prose_are_no_omissions(embedder, settings):
    # a byline's initials with a view count and a lone number at the end of the copy
    one = article_from_text(
        "Shelling hit the old market in the port town on Sunday. Nine people were hurt. "
        "Rescue crews worked through the night to reach a collapsed bakery. KT 14\n\n31",
        "one",
    )
    two = article_from_text(
        "Shelling struck the old market of the port town on Sunday. Nine people were wounded.",
        "two",
    )
    result = align([one, two], embedder, settings)
    omitted = {one.sentences[o.sentence].text for o in result.omissions if o.source_id == "one"}
    assert omitted == {"Rescue crews worked through the night to reach a collapsed bakery."}
    assert {s.text for s in one.sentences} >= {"KT 14", "31"}  # read, but not offered


def test_single_sentence_and_empty_sources_do_not_break_alignment(articles, embedder, settings):
    one = article_from_text(
        "Kirby called it a proportionate military response, together with diplomatic measures.",
        "one",
    )
    empty = Article(source=Source(id="empty", kind="text"), status="ok", outlet="Empty")
    failed = Article(
        source=Source(id="failed", kind="url", location="https://x.invalid/"),
        status="error",
        outlet="x.invalid",
        error="timed out",
    )
    result = align([articles[1], one, empty, failed], embedder, settings)
    proportionate = find_sentence(articles[1], "This proportionate military response")
    assert group_of(result, "one", 0) == group_of(result, articles[1].id, proportionate)
    assert group_of(result, "one", 0) is not None
    sources = {m.source_id for c in result.claims for m in c.members}
    sources |= {o.source_id for o in result.omissions}
    assert sources == {articles[1].id, "one"}

    alone = align([one, empty, failed], embedder, settings)
    assert alone == Alignment(claims=(), omissions=(), shared_text=())
    assert align([], embedder, settings) == Alignment(claims=(), omissions=(), shared_text=())


# -- shared text on small texts ---------------------------------------------------

KIRBY = (
    '"This proportionate military response was conducted together with diplomatic '
    'measures, including consultation with coalition partners," Kirby said.'
)


def test_words_and_shingles():
    assert words("Kata'ib Hizbullah\u2019s U.S.-led strike, at 6 p.m.") == [
        "kata'ib",
        "hizbullah's",
        "u",
        "s",
        "led",
        "strike",
        "at",
        "6",
        "p",
        "m",
    ]
    assert len(words(KIRBY)) == 17
    assert len(shingles(KIRBY)) == 13  # 17 words, 13 runs of five
    assert len(shingles("Too short here.")) == 1  # one shingle of what there is
    assert shingles("") == set()
    assert share(set(), {1}) == 0.0


def test_a_shared_quote_is_not_shared_text(settings):
    one = article_from_text(
        "U.S. jets hit a militia depot near the Iraqi border late on Thursday evening. "
        + KIRBY
        + " Residents of the town said they heard explosions for nearly an hour afterwards."
        " Local officials counted the damage to nearby homes and shops the next morning.",
        "one",
    )
    two = article_from_text(
        KIRBY + " The Pentagon gave no figure for casualties among the fighters at the site."
        " Syria's government condemned the raid as a violation of its national sovereignty."
        " Analysts in the region expected the militias to answer with more rocket fire soon.",
        "two",
    )
    a = set().union(*(shingles(s.text) for s in one.sentences))
    b = set().union(*(shingles(s.text) for s in two.sentences))
    assert len(a & b) == 13  # exactly the quote's shingles
    assert share(a, b) == 13 / min(len(a), len(b)) < 0.5
    assert find_shared_text([one, two], settings) == ()
    # The same second text with the first one's sentences pasted in is a copy.
    copy = article_from_text(two.text + " " + one.text, "copy")
    assert find_shared_text([one, copy], settings) == (SharedText(("one", "copy"), 1.0),)
