"""Benchmark of the embedding and alignment stages. Prints figures; asserts nothing.

Run from the repo root: ``.venv/bin/python -m bench.bench_align`` (a minute or two).

(a) **Overhead of alignment over raw encoding.** The example event's sentences
    are encoded with the bare ``SentenceTransformer.encode`` (same batch size,
    normalised), then ``align`` runs on the same articles with a fresh, empty
    cache, so its time includes encoding every sentence plus the span
    candidates, the similarity matrices and the grouping. Best of five
    interleaved runs each, after a warm-up; target ratio <= 1.25. The ratio is
    also printed against encoding only the distinct sentences, since the cache
    encodes a sentence repeated word for word (06 copies 8 of 02's) once. The
    pairwise precision, recall and F1 against ``tests/fixtures/event/claims_truth.json``
    are printed too.

(b) **Scaling: events of 5, 20 and 100 articles.** Larger events are built
    from the six example articles by making variants: article ``n`` is example
    file ``n % 6`` with (i) its paragraphs after the lead shuffled, (ii) about a
    third of the words that have a listed synonym swapped ("strike" ->
    "raid", "said" -> "stated", ...), (iii) every number changed (+n, so that
    figures differ), (iv) the outlet renamed ("Meridian Wire 7"), and (v) every
    sentence that would still repeat one written before credited to that
    outlet ("..., Meridian Wire 7 reported."), so that no sentence is a
    word-for-word repeat that the cache would encode only once (06's copies of
    02 stay repeats). The random seed is the variant number, so runs are
    comparable. Each size runs in its own process (so that peak RSS, from
    ``resource.getrusage``, is that size's own, model included) and reports
    the sentence count and seconds per stage: split (sentence splitting),
    embed (encoding every sentence through a cold ``CachedEmbedder``) and align
    (``align`` given that warm cache: span encodes, similarities, grouping,
    omissions, shared text). Targets: 100 articles <= 25 s in all; peak RSS
    <= 1.5 GB. Wall seconds depend on what else runs on the machine, so CPU
    seconds of the process (all threads) and the load average are printed
    beside them.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from comparer.align import align
from comparer.embed import CachedEmbedder, load_embedder
from comparer.records import Article, Source
from comparer.sentences import split_sentences
from comparer.settings import load_settings
from comparer.sources import split_header

REPO = Path(__file__).resolve().parents[1]

EVENT_DIR = REPO / "comparer" / "examples" / "syria-2021-02-25"
SIZES = (5, 20, 100)
ROUNDS = 5
SYNONYMS = {
    "strike": "raid",
    "strikes": "raids",
    "said": "stated",
    "militia": "militant",
    "militias": "militants",
    "destroyed": "wrecked",
    "facilities": "buildings",
    "attack": "assault",
    "attacks": "assaults",
    "officials": "authorities",
    "killed": "left dead",
    "wounded": "injured",
    "near": "close to",
    "launched": "carried out",
    "operation": "mission",
    "border": "frontier",
    "recent": "latest",
    "deter": "discourage",
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def example_texts() -> list[tuple[str, str]]:
    """(outlet, body) of each example file."""
    out = []
    for path in sorted(EVENT_DIR.glob("*.txt")):
        headers, body = split_header(path.read_text(encoding="utf-8"))
        out.append((headers.get("outlet", path.stem), body))
    return out


def variant(outlet: str, body: str, n: int, seen: set[str]) -> tuple[str, str]:
    """Variant ``n`` of one article (see the module docstring); ``seen`` holds every
    sentence written so far, by all variants."""
    if n < 6:
        seen.update(s.text for s in split_sentences(body, source_id="v"))
        return outlet, body
    rng = random.Random(n)
    name = f"{outlet} {n}"

    def swap(m: re.Match) -> str:
        word = m.group()
        new = SYNONYMS.get(word.lower())
        return new if new and rng.random() < 0.35 else word

    def rewrite(sentence: str) -> str:
        text = re.sub(r"[A-Za-z]+", swap, sentence)
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + n), text)
        if text in seen:  # a repeat: credit it to this outlet, which makes it new
            text = (
                text[:-1] + f", {name} reported" + text[-1]
                if text.endswith(".")
                else f"{text} ({name})"
            )
        seen.add(text)
        return text

    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    rest = paragraphs[1:]
    rng.shuffle(rest)
    rewritten = [
        " ".join(rewrite(s.text) for s in split_sentences(p, source_id="v"))
        for p in paragraphs[:1] + rest
    ]
    return name, "\n\n".join(rewritten)


def make_texts(count: int) -> list[tuple[str, str]]:
    base = example_texts()
    seen: set[str] = set()
    return [variant(*base[n % len(base)], n, seen) for n in range(count)]


def articles_from(texts: list[tuple[str, str]]) -> list[Article]:
    return [
        Article(
            source=Source(id=f"s{n + 1}", kind="text"),
            status="ok",
            outlet=outlet,
            text=body,
            sentences=split_sentences(body, source_id=f"s{n + 1}"),
        )
        for n, (outlet, body) in enumerate(texts)
    ]


def run_overhead() -> None:
    from tests.test_align import (
        cross_file_pairs,
        event_articles,
        pair_scores,
        predicted_groups,
        truth_groups,
    )

    settings = load_settings()
    embedder = load_embedder(settings)
    articles = event_articles()
    texts = [s.text for a in articles for s in a.sentences]
    embedder.encode(texts[:8])  # warm-up: first-call costs are not the stage's

    distinct = list(dict.fromkeys(texts))

    def raw(batch: list[str] = texts) -> None:
        embedder.model.encode(
            batch,
            batch_size=settings.embed.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    def staged() -> object:
        return align(articles, CachedEmbedder(embedder), settings)

    # Interleaved rounds, best of each: another process's burst hits all three alike.
    walls: dict[str, list[float]] = {"raw": [], "distinct": [], "align": []}
    cpus: dict[str, list[float]] = {"raw": [], "align": []}
    for _ in range(ROUNDS):
        for name, fn in (("raw", raw), ("distinct", lambda: raw(distinct)), ("align", staged)):
            t, c = time.perf_counter(), time.process_time()
            fn()
            walls[name].append(time.perf_counter() - t)
            if name in cpus:
                cpus[name].append(time.process_time() - c)
    raw_s, distinct_s, align_s = (min(walls[k]) for k in ("raw", "distinct", "align"))
    raw_cpu, align_cpu = min(cpus["raw"]), min(cpus["align"])
    counter = CachedEmbedder(embedder)
    alignment = align(articles, counter, settings)
    p, r, f1 = pair_scores(
        cross_file_pairs(truth_groups(articles)), cross_file_pairs(predicted_groups(alignment))
    )
    print(
        f"(a) example event: {len(articles)} articles, {len(texts)} sentences "
        f"({counter.encoded} texts encoded by align: sentences + span candidates, "
        f"repeats once)"
    )
    print(
        f"    raw model.encode {raw_s:.3f} s; align stage (cold cache) {align_s:.3f} s; "
        f"ratio {align_s / raw_s:.2f} (target <= 1.25)"
    )
    print(
        f"    (raw model.encode of the {len(distinct)} distinct sentences {distinct_s:.3f} s; "
        f"ratio {align_s / distinct_s:.2f}: the cache encodes 06's verbatim copies once)"
    )
    print(
        f"    CPU seconds: raw {raw_cpu:.2f}, align {align_cpu:.2f}, "
        f"ratio {align_cpu / raw_cpu:.2f}; load average now {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"    {len(alignment.claims)} claims, {len(alignment.omissions)} omissions, "
        f"shared text {[s.sources for s in alignment.shared_text]}"
    )
    print(f"    pairwise precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")


def run_size(count: int) -> dict:
    settings = load_settings()
    t = time.perf_counter()
    embedder = load_embedder(settings)
    load_s = time.perf_counter() - t
    texts = make_texts(count)
    t = time.perf_counter()
    articles = articles_from(texts)
    split_s = time.perf_counter() - t
    sentences = [s.text for a in articles for s in a.sentences]
    cached = CachedEmbedder(embedder)
    t, c = time.perf_counter(), time.process_time()
    cached.encode(sentences)
    embed_s, embed_cpu = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    alignment = align(articles, cached, settings)
    align_s, align_cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "articles": count,
        "sentences": len(sentences),
        "distinct": len(set(sentences)),
        "load_s": load_s,
        "split_s": split_s,
        "embed_s": embed_s,
        "align_s": align_s,
        "total_s": split_s + embed_s + align_s,
        "embed_cpu": embed_cpu,
        "align_cpu": align_cpu,
        "claims": len(alignment.claims),
        "shared": len(alignment.shared_text),
        "peak_rss_mb": _peak_rss_mb(),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(run_size(int(sys.argv[2]))))
        return
    run_overhead()
    print("(b) scaling (each size in a fresh process; model load not counted in total)")
    print(
        f"    {'articles':>8} {'sentences':>9} {'distinct':>8} {'split s':>8} "
        f"{'embed s':>8} {'align s':>8} {'total s':>8} {'embed cpu':>9} {'align cpu':>9} "
        f"{'claims':>6} {'shared':>6} {'peak RSS MB':>11}"
    )
    for count in SIZES:
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_align", "--size", str(count)],
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        print(
            f"    {row['articles']:>8} {row['sentences']:>9} {row['distinct']:>8} "
            f"{row['split_s']:>8.3f} "
            f"{row['embed_s']:>8.2f} {row['align_s']:>8.2f} {row['total_s']:>8.2f} "
            f"{row['embed_cpu']:>9.2f} {row['align_cpu']:>9.2f} {row['claims']:>6} "
            f"{row['shared']:>6} {row['peak_rss_mb']:>11.0f}"
        )
    print(
        "    targets: 100 articles <= 25 s total; peak RSS <= 1536 MB "
        f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
