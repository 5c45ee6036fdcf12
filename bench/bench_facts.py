"""Speed of the fact readers. Prints figures; asserts nothing.

Run from the repo root: ``.venv/bin/python -m bench.bench_facts``.

Two inputs: the example event's sentences (the fixture), and 100 articles built as
in ``bench_align.py`` (variants of the six example articles). For each, after a
warm-up, the time of ``extract_facts`` (pre-filter, one ``nlp.pipe`` over the
distinct sentences that need a parse, then the four readers) with sentences/s and
facts/s, and the time of the same parse in one process for comparison.
"""

from __future__ import annotations

import time
from collections import Counter

from bench.bench_align import articles_from, example_texts, make_texts
from comparer.facts.nlp import load_nlp
from comparer.facts.stage import PARALLEL_PARSE_MIN, extract_facts, needs_parse
from comparer.settings import load_settings


def measure(label: str, texts, nlp, settings) -> None:
    articles = articles_from(texts)
    sentences = [s.text for a in articles for s in a.sentences]
    parsed = sorted({t for t in sentences if needs_parse(t)})
    t = time.perf_counter()
    list(nlp.pipe(parsed, batch_size=64))
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    facts = extract_facts(articles, settings, nlp=nlp)
    total_s = time.perf_counter() - t
    kinds = Counter(f.kind for f in facts)
    print(
        f"{label}: {len(articles)} articles, {len(sentences)} sentences, "
        f"{len(parsed)} distinct sentences parsed"
    )
    print(
        f"    extract_facts {total_s:.2f} s = {len(sentences) / total_s:,.0f} sentences/s, "
        f"{len(facts) / total_s:,.0f} facts/s ({len(facts)} facts: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + ")"
    )
    print(
        f"    the same parse in one process alone: {parse_s:.2f} s (extract_facts uses two "
        f"processes from {PARALLEL_PARSE_MIN} sentences on)"
    )


def main() -> None:
    settings = load_settings()
    nlp = load_nlp()
    list(nlp.pipe(["Warm-up sentence, said the spokesman on Thursday."]))
    measure("fixture event", example_texts(), nlp, settings)
    measure("100 articles", make_texts(100), nlp, settings)


if __name__ == "__main__":
    main()
