"""Dashboard speed, printed as figures (targets: first paint <= 5 s, warm example <= 3 s).

1. Cold start: ``python -m streamlit run dashboard/app.py`` launched on 127.0.0.1; seconds
   until ``/_stcore/health`` answers, then until Chromium has painted the page (title and
   the example button visible), counted from the launch and from the navigation.
2. The example in the browser: "Load the example event" clicked twice; seconds from the
   click until the status reads "Compared 6 of 6 sources". The first click loads the
   models (once per process); the second runs with them warm.
3. ``pipeline.compare`` on the example in this process after loading the models: on a
   fresh store (the process's first encode, which pays torch's warm-up), on another
   fresh store (model warm, nothing cached: the "example <= 3 s" case), and again on
   that store (sentence vectors cached), with seconds per stage.

Run from the repository root: ``.venv/bin/python bench/bench_dashboard.py``.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_helpers import CHROMIUM, chromium, running_app, write_config  # noqa: E402


def _click_example(page) -> float:
    from playwright.sync_api import expect

    t = time.perf_counter()
    page.get_by_role("button", name="Load the example event").click()
    expect(page.get_by_text("Compared 6 of 6 sources")).to_be_visible(timeout=300_000)
    return time.perf_counter() - t


def browser_figures(tmp: Path) -> None:
    from playwright.sync_api import expect

    config = write_config(tmp / "crosscheck.toml", data_dir=tmp / "data")
    with running_app(config, tmp / "streamlit.log") as app:
        print(f"launch -> /_stcore/health            {app.healthy_after:6.2f} s")
        with chromium(tmp / "profile") as context:
            page = context.new_page()
            t = time.perf_counter()
            page.goto(app.url)
            expect(page.get_by_role("heading", name="Crosscheck")).to_be_visible(timeout=60_000)
            expect(page.get_by_role("button", name="Load the example event")).to_be_visible()
            painted = time.perf_counter()
            print(f"navigation -> first paint            {painted - t:6.2f} s")
            print(f"launch -> first paint (no browser)   {app.healthy_after + painted - t:6.2f} s"
                  "   (target <= 5 s)")
            print(f"example, first click (models load)   {_click_example(page):6.2f} s")
            page.reload()
            expect(page.get_by_role("button", name="Load the example event")).to_be_visible()
            print(f"example, warm models (browser)       {_click_example(page):6.2f} s"
                  "   (target <= 3 s)")


def pipeline_figures(tmp: Path) -> None:
    from comparer.embed import CachedEmbedder, load_embedder
    from comparer.facts.nlp import load_nlp
    from comparer.pipeline import compare
    from comparer.sources import example_sources
    from comparer.store import Store
    from config import load_settings

    base = load_settings()
    t = time.perf_counter()
    raw, nlp = load_embedder(base), load_nlp()
    print(f"models loaded in this process        {time.perf_counter() - t:6.2f} s")
    runs = [("fresh store, first encode", "a"), ("fresh store, model warm", "b"),
            ("same store, vectors cached", "b")]
    for label, folder in runs:
        settings = base.with_overrides({"store.data_dir": str(tmp / f"pipeline-{folder}")})
        with Store.open(settings) as store:
            t = time.perf_counter()
            report = compare(example_sources(), settings, store=store,
                             embedder=CachedEmbedder(raw, store), nlp=nlp)
            total = time.perf_counter() - t
        stages = ", ".join(f"{k} {v:.2f}" for k, v in report.timings.items())
        print(f"compare(example), {label:<26} {total:6.2f} s   [{stages}]")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as folder:
        tmp = Path(folder)
        if Path(CHROMIUM).exists():
            browser_figures(tmp)
        else:
            print(f"{CHROMIUM} missing: browser figures skipped")
        pipeline_figures(tmp)


if __name__ == "__main__":
    main()
