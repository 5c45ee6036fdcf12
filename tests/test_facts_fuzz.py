"""No sentence, however mangled, makes a fact reader raise (hypothesis, 10,000 examples)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from comparer.facts.stage import extract_facts
from comparer.records import Article, Source
from comparer.sentences import split_sentences
from comparer.settings import load_settings
from tests.conftest import SEED

SEED_WORDS = SEED.read_text(encoding="utf-8").split()
WIRE_BITS = [
    "at least",
    "more than",
    "up to",
    "about",
    "between",
    "and",
    "-",
    "killed",
    "wounded",
    "dozens",
    "a handful",
    "1,500",
    "2.5 million",
    "107 mm",
    "F-15",
    "6 p.m.",
    "EST",
    "local time",
    "Thursday",
    "Feb. 15",
    "last week",
    "said",
    "according to",
    "as per",
    "did not blame",
    "on",
    "Al Bukamal",
    "Abu Kamal",
    "\u201c",
    "\u201d",
    '"',
    "(",
    ")",
    ",",
    ".",
    "\n",
    "0",
    "-1",
    "1e9",
    "\u00a0",
    "\u0627\u0644\u0628\u0648\u0643\u0645\u0627\u0644",
    "\U0001f600",
    "::",
    "p.m",
    "a.m.",
]

SETTINGS = load_settings()

tokens = st.one_of(st.sampled_from(SEED_WORDS), st.sampled_from(WIRE_BITS), st.text(max_size=8))
sentences = st.one_of(st.text(max_size=200), st.lists(tokens, max_size=40).map(" ".join))
published = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
)


@hsettings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=sentences, when=published)
def test_fact_readers_never_raise(nlp, text, when):
    sents = split_sentences(text, source_id="s1")
    article = Article(
        source=Source(id="s1", kind="text", text=text, outlet="Fuzz"),
        status="ok",
        outlet="Fuzz",
        text=text,
        sentences=sents,
        published=when,
    )
    facts = extract_facts([article], SETTINGS, nlp=nlp)
    for f in facts:
        sentence = sents[f.sentence].text
        assert sentence[f.start : f.end] == f.text
