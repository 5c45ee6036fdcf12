"""``python -m comparer``: the command line over the same pipeline as the dashboard.

Subcommands (a contract: later work adds to it, nobody renames it)::

    sources  [--json] [--config FILE] [--refresh] [--example] SOURCE...
    align    [--json] [--config FILE] [--refresh] [--example] SOURCE...
    facts    [--json] [--config FILE] [--refresh] [--example] SOURCE...
    compare  [--json FILE|-] [--md FILE|-] [--csv FILE|-] [--config FILE] [--refresh]
             [--example] SOURCE...

A SOURCE is an http(s) URL or a local .html/.htm/.txt file. Exit status: 0 when at
least one source was read, 1 when none could be, 2 for bad arguments or settings.
Progress goes to stderr so that ``--json -`` output stays clean on stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from comparer import cli_text
from comparer.errors import ComparerError
from comparer.models import Article


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m comparer",
                                     description="Compare how outlets report one news event.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("sources", nargs="*", metavar="SOURCE",
                       help="http(s) URL or .html/.htm/.txt file")
        p.add_argument("--config", metavar="FILE", help="TOML file overriding the defaults")
        p.add_argument("--refresh", action="store_true",
                       help="fetch URLs again instead of reusing stored snapshots")
        p.add_argument("--example", action="store_true",
                       help="add the bundled example event (seed + constructed outlets)")
        p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    for name, text in (("sources", "read the sources and print their sentences"),
                       ("align", "group the sentences that report the same claim"),
                       ("facts", "list figures, times, attributions and places")):
        p = sub.add_parser(name, help=text, description=text)
        common(p)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = sub.add_parser("compare", help="find disagreements and write the report",
                       description="find disagreements and write the report")
    common(p)
    p.add_argument("--json", metavar="FILE", help="write the JSON report to FILE (- = stdout)")
    p.add_argument("--md", metavar="FILE", help="write the Markdown memo to FILE (- = stdout)")
    p.add_argument("--csv", metavar="FILE", help="write one CSV row per disagreement value")
    return parser


def _write(dest: str, text: str) -> None:
    if dest == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(dest).write_text(text, encoding="utf-8")


def _progress(quiet: bool):
    def say(stage: str, message: str) -> None:
        if not quiet:
            print(f"[{stage}] {message}", file=sys.stderr)
    return say


def _resolve_sources(args: argparse.Namespace, settings: Any) -> list:
    from comparer.sources import (duplicate_specs, example_paths, sources_from_specs,
                                  unique_specs)

    specs = ([str(p) for p in example_paths()] if args.example else []) + list(args.sources)
    if not specs:
        raise ComparerError("no sources given: name URLs or files, or use --example")
    for dup in duplicate_specs(specs):
        print(f"warning: {dup} is given twice; it is compared once", file=sys.stderr)
    unique = unique_specs(specs)
    if len(unique) > settings.compare.max_sources:
        raise ComparerError(f"{len(unique)} sources given; the most one comparison takes is "
                            f"{settings.compare.max_sources} (setting compare.max_sources)")
    return sources_from_specs(unique)


def _quiet_model_loading() -> None:
    """transformers draws a "Loading weights" bar on stderr; the CLI owns this process,
    so it may turn that off (the library itself leaves global settings alone)."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    say = _progress(args.quiet)
    if args.command != "sources":
        _quiet_model_loading()
    try:
        from config import load_settings
        from comparer.store import Store

        settings = load_settings(args.config)
        sources = _resolve_sources(args, settings)
        store = Store.open(settings)
    except ComparerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return _run(args, settings, sources, store, say)
    except ComparerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()


def _exit_code(articles: Sequence[Article]) -> int:
    return 0 if any(a.status == "ok" for a in articles) else 1


def _run(args: argparse.Namespace, settings: Any, sources: list, store: Any, say) -> int:
    from comparer import pipeline

    if args.command == "sources":
        articles = pipeline.read_sources(sources, settings, store=store, refresh=args.refresh,
                                         progress=say)
        if args.json:
            print(json.dumps({"sources": [a.to_dict() for a in articles]}, indent=2,
                             ensure_ascii=False))
        else:
            print(cli_text.sources_text(articles))
        return _exit_code(articles)

    if args.command in ("align", "facts"):
        articles = pipeline.read_sources(sources, settings, store=store, refresh=args.refresh,
                                         progress=say)
        ok = [a for a in articles if a.status == "ok"]
        if args.command == "align":
            from comparer.align import align
            from comparer.embed import CachedEmbedder, load_embedder

            alignment = align(ok, CachedEmbedder(load_embedder(settings), store), settings)
            if args.json:
                print(json.dumps(cli_text.align_json(articles, alignment), indent=2,
                                 ensure_ascii=False))
            else:
                print(cli_text.align_text(articles, alignment))
        else:
            from comparer.events import resolve_events
            from comparer.facts import extract_facts
            from comparer.facts.nlp import load_nlp

            # facts are reported with the event each describes, as in a comparison
            events, facts = resolve_events(ok, extract_facts(ok, settings, nlp=load_nlp()))
            if args.json:
                print(json.dumps({"sources": [a.to_dict() for a in articles],
                                  "events": [e.to_dict() for e in events],
                                  "facts": [f.to_dict() for f in facts]}, indent=2,
                                 ensure_ascii=False))
            else:
                print(cli_text.facts_text(articles, facts))
        return _exit_code(articles)

    from comparer import report as report_mod

    report = pipeline.compare(sources, settings, store=store, refresh=args.refresh, progress=say)
    data = report_mod.to_json(report)
    report = report_mod.with_run_id(report, store.save_run(data, title=report_mod.title(report)))
    data = report_mod.to_json(report)
    wrote = False
    if args.json:
        _write(args.json, json.dumps(data, indent=2, ensure_ascii=False))
        wrote = True
    if args.md:
        _write(args.md, report_mod.to_markdown(report))
        wrote = True
    if args.csv:
        _write(args.csv, report_mod.to_csv(report))
        wrote = True
    if not wrote:
        print(cli_text.compare_text(report))
    say("report", f"saved as run {report.run_id}")
    return _exit_code(report.articles)


if __name__ == "__main__":
    sys.exit(main())
