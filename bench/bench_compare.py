"""End-to-end ``compare`` from stored snapshots. Prints figures; asserts nothing.

Run from the repo root: ``.venv/bin/python -m bench.bench_compare [--repeat N]`` (about
four minutes); ``--context-cost SIZE ROUNDS`` instead compares the setting
``facts.weigh_in_context`` off and on (``weigh_in_context_cost``).

Events of 5, 20 and 100 articles are built as in ``bench_align.py`` (variants of the six
example articles: paragraphs shuffled, synonyms swapped, numbers shifted, outlets
renamed), turned into simple HTML pages and served from a local HTTP server on
127.0.0.1. A first ``read_sources`` fetches every page into a fresh snapshot store
(extraction included); the timed run is then ``pipeline.compare`` on the same URLs,
reading every page back from the store, with the models already loaded.

Two timed runs per size, each in a fresh process (peak RSS is that size's own,
models included):
- **cold**: the embeddings cache is empty, so every sentence is encoded;
- **warm**: a second compare over the same store, where the cache has every sentence.
The ratio is the cold total over a raw ``model.encode`` of the same sentences (same
batch size, normalised), timed in the same process right before. Targets with the
models loaded: 5 articles <= 2 s, 100 articles <= 30 s, ratio <= 1.5.

Timings on a shared two-core VM move by 10-20 % from one process to the next (the raw
encode of 100 articles has taken anything from 7.8 to 9.8 s), so each size runs in
``--repeat`` fresh processes (3 unless told): the table shows the run with the median
cold ratio, and the line under it the range of the cold ratio over all runs.
"""

from __future__ import annotations

import html
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SIZES = (5, 20, 100)


def page(outlet: str, body: str) -> str:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f"<html><head><title>{html.escape(outlet)} report</title>"
        f'<meta property="og:site_name" content="{html.escape(outlet)}"></head>'
        f"<body><nav>Home | World | Sport</nav><article>{paras}</article>"
        f"<footer>Copyright 2021 {html.escape(outlet)}. All rights reserved.</footer>"
        "</body></html>"
    )


def run_size(count: int) -> dict:
    from bench.bench_align import make_texts
    from comparer.embed import CachedEmbedder, load_embedder
    from comparer.facts.cue_model import load_context_encoder
    from comparer.facts.nlp import load_nlp
    from comparer.pipeline import compare, read_sources
    from comparer.settings import load_settings
    from comparer.sources import sources_from_specs
    from comparer.store import Store
    from tests.localserver import LocalServer

    with tempfile.TemporaryDirectory() as tmp, LocalServer() as srv:
        settings = load_settings().with_overrides(
            {"store.data_dir": tmp, "fetch.allow_private_hosts": True, "compare.max_sources": 1000}
        )
        urls = []
        for n, (outlet, body) in enumerate(make_texts(count)):
            urls.append(srv.route(f"/a{n}", body=page(outlet, body)))
        sources = sources_from_specs(urls)
        raw_embedder = load_embedder(settings)
        nlp = load_nlp()
        if settings.facts.weigh_in_context:
            load_context_encoder()  # "models loaded": the cue scorer's encoder too
        with Store.open(settings) as store:
            articles = read_sources(sources, settings, store=store)  # fill the snapshot store
            sentences = [s.text for a in articles for s in a.sentences]
            raw_embedder.encode(sentences[:16])  # warm-up
            t = time.perf_counter()
            raw_embedder.model.encode(
                sentences,
                batch_size=settings.embed.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            raw_s = time.perf_counter() - t
            runs = {}
            for label in ("cold", "warm"):
                t = time.perf_counter()
                report = compare(
                    sources,
                    settings,
                    store=store,
                    nlp=nlp,
                    embedder=CachedEmbedder(raw_embedder, store),
                )
                total = time.perf_counter() - t
                runs[label] = {"total_s": total, **{k: v for k, v in report.timings.items()}}
            hits_before = srv.hits("/a0")
        return {
            "articles": count,
            "sentences": len(sentences),
            "raw_encode_s": raw_s,
            "from_store": all(a.from_store for a in report.articles),
            "fetches_of_a0": hits_before,
            "runs": runs,
            "disagreements": len(report.disagreements),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # spaCy's second parsing process for large events (``reader._parse``)
            # is a child process; its own peak counts too
            "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }


def weigh_in_context_cost(count: int, rounds: int) -> None:
    """What the setting ``facts.weigh_in_context`` (the cue encoder) costs a comparison of
    ``count`` articles: ``compare`` with it off and on, alternately in one process, cold
    (no vectors cached: every sentence encoded, every weighed sentence through the cue
    encoder) and warm (one store, filled first, so both read their vectors and logits from
    it). Alternating in one process keeps the machine's drift out of the difference, which
    a fresh process per run (``run_size``) lets in: on this VM those move by 10-30 %."""
    import statistics

    from bench.bench_align import make_texts
    from comparer.embed import CachedEmbedder, load_embedder
    from comparer.facts.cue_model import load_context_encoder
    from comparer.facts.nlp import load_nlp
    from comparer.pipeline import compare
    from comparer.settings import load_settings
    from comparer.sources import pasted_source
    from comparer.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        on = load_settings().with_overrides(
            {"store.data_dir": tmp, "compare.max_sources": 1000, "facts.weigh_in_context": True}
        )
        off = on.with_overrides({"facts.weigh_in_context": False})
        sources = [
            pasted_source(body, outlet, f"s{n}")
            for n, (outlet, body) in enumerate(make_texts(count))
        ]
        nlp, embedder = load_nlp(), load_embedder(on)
        load_context_encoder()
        compare(sources[:3], on, nlp=nlp, embedder=CachedEmbedder(embedder))  # warm-up
        times: dict[str, list[float]] = {}
        with Store.open(on) as store:
            compare(sources, on, store=store, nlp=nlp, embedder=CachedEmbedder(embedder, store))
            for _ in range(rounds):
                for label, settings in (("off", off), ("on", on)):
                    for run, where in (("cold", None), ("warm", store)):
                        t = time.perf_counter()
                        compare(
                            sources,
                            settings,
                            store=where,
                            nlp=nlp,
                            embedder=CachedEmbedder(embedder, where),
                        )
                        times.setdefault(f"{run} {label}", []).append(time.perf_counter() - t)
    print(f"facts.weigh_in_context off and on, {count} articles, {rounds} rounds (seconds)")
    for run in ("cold", "warm"):
        was, now = (statistics.median(times[f"{run} {k}"]) for k in ("off", "on"))
        spread = ", ".join(
            f"{k} {min(times[f'{run} {k}']):.2f}-{max(times[f'{run} {k}']):.2f}"
            for k in ("off", "on")
        )
        print(f"  {run}: median off {was:.2f}, on {now:.2f} ({now / was - 1:+.0%}); {spread}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--size":
        print(json.dumps(run_size(int(sys.argv[2]))))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--context-cost":
        weigh_in_context_cost(int(sys.argv[2]), int(sys.argv[3]))
        return
    repeat = int(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[1] == "--repeat" else 3
    print(f"compare from stored snapshots (models loaded; seconds; median of {repeat} runs)")
    head = (
        f"{'articles':>8} {'sents':>6} {'run':>5} {'read':>6} {'align':>6} {'facts':>6} "
        f"{'disagr':>6} {'total':>7} {'raw enc':>7} {'ratio':>6} {'RSS MB':>7} "
        f"{'child':>6}"
    )
    print(head)
    for count in SIZES:
        rows = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-m", "bench.bench_compare", "--size", str(count)],
                check=True,
                capture_output=True,
                text=True,
                cwd=REPO,
            ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            row["cold_ratio"] = row["runs"]["cold"]["total_s"] / row["raw_encode_s"]
            rows.append(row)
        rows.sort(key=lambda r: r["cold_ratio"])
        row = rows[len(rows) // 2]
        for label, r in row["runs"].items():
            print(
                f"{row['articles']:>8} {row['sentences']:>6} {label:>5} {r['read']:>6.2f} "
                f"{r['align']:>6.2f} {r['facts']:>6.2f} "
                f"{r['disagreements']:>6.3f} {r['total_s']:>7.2f} {row['raw_encode_s']:>7.2f} "
                f"{r['total_s'] / row['raw_encode_s']:>6.2f} {row['peak_rss_mb']:>7.0f} "
                f"{row['child_rss_mb']:>6.0f}"
            )
        colds = [r["runs"]["cold"]["total_s"] for r in rows]
        print(
            f"{'':>8} cold ratio over {repeat} runs: {rows[0]['cold_ratio']:.2f} to "
            f"{rows[-1]['cold_ratio']:.2f}; cold total {min(colds):.2f} to {max(colds):.2f} s; "
            f"all read from the store: {all(r['from_store'] for r in rows)}; "
            f"{row['disagreements']} disagreements"
        )
    print(
        "child = peak RSS of spaCy's second parsing process (events of 400 parsed "
        "sentences or more)"
    )
    print("targets: 5 articles <= 2 s; 100 articles <= 30 s; cold ratio <= 1.5")


if __name__ == "__main__":
    main()
