"""``python -m comparer``: the command line over the same pipeline as the dashboard.

Subcommands (a contract: later work adds to it, nobody renames it)::

    sources  [--json] [--config FILE] [--refresh] [--example] SOURCE...
    align    [--json] [--config FILE] [--refresh] [--example] SOURCE...
    facts    [--json] [--config FILE] [--refresh] [--example] SOURCE...
    compare  [--json FILE|-] [--md FILE|-] [--csv FILE|-] [--config FILE] [--refresh]
             [--example] [--discover QUERY [--max N]] SOURCE...
    discover [--json] [--from URL | QUERY...] [--since DATE] [--until DATE] [--max N]
             [--provider NAME]... [--config FILE]
    store    stats [--json] [--config FILE]
    store    prune [--older-than DAYS] [--keep-runs N] [--config FILE]
    batch    INPUT --out DIR [--workers N] [--scheduler ADDRESS] [--config FILE] [--resume]

A SOURCE is an http(s) URL or a local .html/.htm/.txt file. Exit status: 0 when at
least one source was read, 1 when none could be, 2 for bad arguments or settings.
Progress goes to stderr so that ``--json -`` output stays clean on stdout.

The sources are checked by ``intake.plan_sources``, with the dashboard's rules: a
source given twice is read once (with a warning naming both), ``compare`` needs two
sources, and none may go beyond ``compare.max_sources`` (exit status 2). The
subcommands call library functions only (``pipeline.align_only``, ``facts_only``,
``compare``, ``runs.save_report``): nothing is wired here that the dashboard does not
share.

``discover`` lists the outlets that covered one event (``comparer.discover``): from a few
words, or from a story's link (``--from``: its title and entities are searched around its
date). Exit status 0 when at least one provider answered, 1 when all failed, 2 for bad
arguments. ``compare --discover QUERY`` compares the top ``--max`` (default 5) results
whose publisher's address is known, through the same intake as typed sources.

``batch`` compares many events at once on Dask distributed (``comparer.batch``): INPUT is
a folder with one subfolder of sources per event, or a manifest (.csv / .jsonl with the
columns event and source); DIR gets ``<event>.json`` (the report ``compare --json``
writes), ``summary.csv`` and ``values.parquet``. Exit status 0 when every event was
compared, 1 when some failed (each one's error is in the summary), 2 for bad arguments.

A finished comparison is never thrown away: the output files are checked before any
work (their folder must exist and be writable), and the store is a cache, so a store
that cannot save the run ("database or disk is full") costs a warning on stderr, not
the report. After each saved run the store is held to ``store.max_megabytes``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import stat
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from comparer import cli_text
from comparer.errors import ComparerError
from comparer.records import Article
from comparer.settings import Settings

if TYPE_CHECKING:
    from comparer.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m comparer", description="Compare how outlets report one news event."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "sources", nargs="*", metavar="SOURCE", help="http(s) URL or .html/.htm/.txt file"
        )
        p.add_argument("--config", metavar="FILE", help="TOML file overriding the defaults")
        p.add_argument(
            "--refresh",
            action="store_true",
            help="fetch URLs again instead of reusing stored snapshots",
        )
        p.add_argument(
            "--example",
            action="store_true",
            help="add the bundled example event (seed + constructed outlets)",
        )
        p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")

    for name, text in (
        ("sources", "read the sources and print their sentences"),
        ("align", "group the sentences that report the same claim"),
        ("facts", "list figures, times, attributions and places"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        common(p)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = sub.add_parser(
        "compare",
        help="find disagreements and write the report",
        description="find disagreements and write the report",
    )
    common(p)
    p.add_argument("--json", metavar="FILE", help="write the JSON report to FILE (- = stdout)")
    p.add_argument("--md", metavar="FILE", help="write the Markdown memo to FILE (- = stdout)")
    p.add_argument("--csv", metavar="FILE", help="write one CSV row per disagreement value")
    p.add_argument(
        "--discover",
        metavar="QUERY",
        help="find coverage of QUERY (see `discover`) and compare the top results",
    )
    p.add_argument(
        "--max",
        metavar="N",
        type=int,
        default=5,
        help="with --discover: how many results to compare (default 5)",
    )
    p.add_argument("--since", metavar="DATE", help="with --discover: start of the window")
    p.add_argument("--until", metavar="DATE", help="with --discover: end of the window")
    p = sub.add_parser(
        "discover",
        help="find the outlets that covered one event",
        description="find the outlets that covered one event, from a few words or a story's "
        "link; providers and feeds are set in [discover] of the settings",
    )
    p.add_argument("query", nargs="*", metavar="WORD", help="words to search for")
    p.add_argument("--from", dest="from_url", metavar="URL", help="start from this story")
    p.add_argument("--since", metavar="DATE", help="start of the window (YYYY-MM-DD or ISO)")
    p.add_argument("--until", metavar="DATE", help="end of the window (YYYY-MM-DD or ISO)")
    p.add_argument("--max", metavar="N", type=int, help="most results (discover.max_results)")
    p.add_argument(
        "--provider",
        action="append",
        metavar="NAME",
        help="ask only this provider (google_news, gdelt, feeds); may be repeated",
    )
    p.add_argument("--config", metavar="FILE", help="TOML file overriding the defaults")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p = sub.add_parser(
        "batch",
        help="compare many events at once (one report per event)",
        description="compare every event of INPUT on Dask distributed: an embedded local "
        "cluster, or a running scheduler; writes DIR/<event>.json, DIR/summary.csv and "
        "DIR/values.parquet",
    )
    p.add_argument(
        "input", metavar="INPUT", help="folder of event folders, or a .csv/.jsonl manifest"
    )
    p.add_argument("--out", metavar="DIR", required=True, help="folder for the outputs")
    p.add_argument(
        "--workers", metavar="N", type=int, help="worker processes of the local cluster (CPUs)"
    )
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on this Dask scheduler (tcp://HOST:8786)"
    )
    p.add_argument("--config", metavar="FILE", help="TOML file overriding the defaults")
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the reports of events whose sources and settings are unchanged",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p = sub.add_parser(
        "store",
        help="show the store's size or prune it",
        description="show the store's size (stats) or delete its oldest data "
        "(prune; with no option: down to store.max_megabytes)",
    )
    p.add_argument("action", choices=("stats", "prune"))
    p.add_argument("--config", metavar="FILE", help="TOML file overriding the defaults")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument(
        "--older-than",
        metavar="DAYS",
        type=float,
        help="prune: delete runs, snapshots and embeddings older than DAYS days",
    )
    p.add_argument(
        "--keep-runs",
        metavar="N",
        type=int,
        help="prune: keep only the newest N saved runs (and their snapshots)",
    )
    return parser


def _write(dest: str, text: str) -> None:
    if dest == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(dest).expanduser().write_text(text, encoding="utf-8")


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse output paths that could not be written, before any work is done: a missing
    or read-only folder, a folder given as the file, two outputs into one file."""
    seen: dict[str, str] = {}
    for flag in ("--json", "--md", "--csv"):
        dest = getattr(args, flag[2:], None)
        if not dest or dest == "-":
            continue
        try:
            _check_output(flag, dest, seen)
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte in it, ...
            reason = getattr(exc, "strerror", None) or exc
            raise ComparerError(f"{flag} {dest}: cannot write there ({reason})") from None


def _check_output(flag: str, dest: str, seen: dict[str, str]) -> None:
    """One output path of ``_check_outputs``; ``seen``: real path -> the flag that has it."""
    path = Path(dest).expanduser()
    key = os.path.realpath(path)
    if key in seen:
        raise ComparerError(
            f"{flag} {dest}: {seen[key]} writes to the same file; give each output its own file"
        )
    seen[key] = f"{flag} {dest}"
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ComparerError(f"{flag} {dest}: the folder {folder} {what}; create it first")
    if path.is_dir():
        raise ComparerError(f"{flag} {dest} is a folder; give a file name")
    if path.exists():
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)) or not os.access(
            path, os.W_OK
        ):
            raise ComparerError(f"{flag} {dest}: the file cannot be written")
        return
    # Creating it is the only sure test of a folder's writability (read-only mounts,
    # ACLs, root's permissions); the empty file is removed at once.
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    os.unlink(path)


def _progress(quiet: bool):
    def say(stage: str, message: str) -> None:
        if not quiet:
            print(f"[{stage}] {message}", file=sys.stderr)

    return say


def _resolve_sources(args: argparse.Namespace, settings: Settings) -> list | None:
    """The sources to read, by the intake rules the dashboard uses too (``intake.py``);
    its warnings and errors go to stderr, and None means an error stopped the run."""
    from comparer.intake import plan_sources

    plan = plan_sources(
        specs=args.sources,
        example=args.example,
        settings=settings,
        comparing=args.command == "compare",
    )
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in plan.errors:
        print(f"error: {error}", file=sys.stderr)
    return plan.sources() if plan.ok else None  # no uploads here: no folder needed


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    say = _progress(getattr(args, "quiet", False))
    if args.command not in ("sources", "store", "batch"):  # batch: its workers load models
        from comparer.pipeline import quiet_model_loading

        quiet_model_loading()
    try:
        from comparer.settings import load_settings
        from comparer.store import Store

        settings = load_settings(args.config)
        if args.command == "store":
            return _store_command(args, settings)
        if args.command == "discover":
            return _discover_command(args, settings, say)
        if args.command == "batch":
            return _batch_command(args, settings)
        if args.command == "compare":
            _check_outputs(args)
            if args.discover is not None:
                args.sources = list(args.sources) + _discovered_sources(args, settings, say)
            elif args.since or args.until:
                raise ComparerError("--since and --until set the window of --discover")
        sources = _resolve_sources(args, settings)
        if sources is None:
            return 2
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


def _run(args: argparse.Namespace, settings: Settings, sources: list, store: Store, say) -> int:
    from comparer import pipeline

    if args.command == "sources":
        articles = pipeline.read_sources(
            sources, settings, store=store, refresh=args.refresh, progress=say
        )
        if args.json:
            print(
                json.dumps(
                    {"sources": [a.to_dict() for a in articles]}, indent=2, ensure_ascii=False
                )
            )
        else:
            print(cli_text.sources_text(articles))
        return _exit_code(articles)

    if args.command == "align":
        articles, alignment = pipeline.align_only(
            sources, settings, store=store, refresh=args.refresh, progress=say
        )
        if args.json:
            print(
                json.dumps(cli_text.align_json(articles, alignment), indent=2, ensure_ascii=False)
            )
        else:
            print(cli_text.align_text(articles, alignment))
        return _exit_code(articles)

    if args.command == "facts":
        # facts are reported with the event each describes, as in a comparison
        articles, events, facts = pipeline.facts_only(
            sources, settings, store=store, refresh=args.refresh, progress=say
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "sources": [a.to_dict() for a in articles],
                        "events": [e.to_dict() for e in events],
                        "facts": [f.to_dict() for f in facts],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
        else:
            print(cli_text.facts_text(articles, facts))
        return _exit_code(articles)

    from comparer import report as report_mod
    from comparer.runs import save_report

    report = pipeline.compare(sources, settings, store=store, refresh=args.refresh, progress=say)
    # the store is a cache: a run it cannot take is a warning, the report is written anyway
    saved = save_report(report, store, settings)
    report = saved.report
    for warning in saved.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in saved.notes:
        print(f"note: {note}", file=sys.stderr)
    data = report_mod.to_json(report)
    failed = False
    for dest, write in (
        (args.json, lambda: json.dumps(data, indent=2, ensure_ascii=False)),
        (args.md, lambda: report_mod.to_markdown(report)),
        (args.csv, lambda: report_mod.to_csv(report)),
    ):
        if not dest:
            continue
        try:
            _write(dest, write())
        except OSError as exc:  # checked before the run, but a disk can fill up meanwhile
            kept = f"; the run is saved as {report.run_id}" if report.run_id else ""
            print(f"error: could not write {dest}: {exc.strerror or exc}{kept}", file=sys.stderr)
            failed = True
    if not (args.json or args.md or args.csv):
        print(cli_text.compare_text(report))
    if report.run_id:
        say("report", f"saved as run {report.run_id}")
    return 2 if failed else _exit_code(report.articles)


def _date(flag: str, value: str | None) -> datetime | None:
    """A --since/--until value: a date (midnight UTC) or an ISO date and time."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ComparerError(
            f"{flag} {value!r}: give a date such as 2021-02-26 or 2021-02-26T14:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _run_discover(
    settings: Settings,
    say,
    *,
    query: str = "",
    from_url: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    providers: Sequence[str] | None = None,
    max_results: int | None = None,
):
    from comparer import discover as disc

    if max_results is not None and max_results < 1:
        raise ComparerError(f"--max must be at least 1, got {max_results}")
    if from_url and query:
        raise ComparerError("give either --from URL or words to search for, not both")
    if not from_url and not query.strip():
        raise ComparerError("give words to search for, or --from URL")
    chosen = providers or None
    if from_url:
        from comparer.pipeline import load_models

        say("discover", f"reading {from_url}")
        embedder, nlp = load_models(settings)
        return disc.discover_from_url(
            from_url,
            settings,
            embedder=embedder,
            nlp=nlp,
            since=since,
            until=until,
            providers=chosen,
            max_results=max_results,
        )
    from comparer.embed import load_embedder

    say("discover", f"searching for {query!r}")
    return disc.discover(
        query,
        settings,
        embedder=load_embedder(settings),
        since=since,
        until=until,
        providers=chosen,
        max_results=max_results,
    )


def _discover_command(args: argparse.Namespace, settings: Settings, say) -> int:
    found = _run_discover(
        settings,
        say,
        query=" ".join(args.query),
        from_url=args.from_url,
        since=_date("--since", args.since),
        until=_date("--until", args.until),
        providers=args.provider,
        max_results=args.max,
    )
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(cli_text.discover_text(found.to_dict()))
    return 0 if found.answered else 1


def _discovered_sources(args: argparse.Namespace, settings: Settings, say) -> list[str]:
    """``compare --discover``: the top results' addresses, to go through the intake."""
    if args.max < 1:
        raise ComparerError(f"--max must be at least 1, got {args.max}")
    found = _run_discover(
        settings,
        say,
        query=args.discover,
        since=_date("--since", args.since),
        until=_date("--until", args.until),
    )
    for error in found.errors:
        print(f"warning: {error.provider}: {error.error}", file=sys.stderr)
    picked = found.urls(limit=args.max)
    say("discover", f"comparing {len(picked)} of {len(found.rows)} results")
    for url in picked:
        say("discover", url)
    return picked


def _batch_command(args: argparse.Namespace, settings: Settings) -> int:
    """``batch``: every event of INPUT compared; 0 when all were, 1 when some failed."""
    from comparer.batch import BatchProgress, read_events, run_batch

    jobs = read_events(args.input, out_dir=args.out)
    try:
        result = run_batch(
            jobs,
            settings,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=BatchProgress(quiet=args.quiet),
        )
    except OSError as exc:  # the output folder failed mid-batch (a full disk, say)
        raise ComparerError(f"--out {args.out}: {exc.strerror or exc}") from None
    return 1 if result.failed else 0


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def _counts(deleted: dict) -> str:
    return ", ".join(f"{n:,} {kind}" for kind, n in deleted.items())


def _store_command(args: argparse.Namespace, settings: Settings) -> int:
    """``store stats`` / ``store prune``: what the store holds, and deleting the oldest."""
    from comparer.store import Store

    if args.action == "stats" and (args.older_than is not None or args.keep_runs is not None):
        raise ComparerError("--older-than and --keep-runs go with store prune")
    if args.older_than is not None and not (
        math.isfinite(args.older_than) and args.older_than >= 0
    ):
        raise ComparerError(f"--older-than must be a number of days >= 0, got {args.older_than}")
    if args.keep_runs is not None and args.keep_runs < 0:
        raise ComparerError(f"--keep-runs must be >= 0, got {args.keep_runs}")
    limit = float(settings.store.max_megabytes)
    with Store.open(settings) as store:
        if args.action == "prune":
            result = store.prune(
                older_than_days=args.older_than,
                keep_runs=args.keep_runs,
                max_bytes=int(limit * 1_000_000) if limit > 0 else None,
                vacuum=True,
            )
            if args.json:
                print(json.dumps(result, indent=2))
            else:
                print(
                    f"deleted {_counts(result['deleted'])}; the store is now "
                    f"{_mb(result['file_bytes'])} on disk (was {_mb(result['file_bytes_before'])})"
                )
            if result["warning"]:
                print(f"warning: {result['warning']}", file=sys.stderr)
            return 0
        info = store.stats()
    if args.json:
        print(json.dumps({**info, "max_bytes": int(limit * 1_000_000)}, indent=2))
        return 0
    cap = f"limit {limit:g} MB" if limit > 0 else "no limit"
    lines = [
        f"store: {info['path']}",
        f"on disk: {_mb(info['file_bytes'])} ({_mb(info['used_bytes'])} in use, {cap}: "
        "store.max_megabytes)",
    ]
    for table in ("snapshots", "embeddings", "runs"):
        t = info[table]
        span = f", {t['oldest'][:10]} to {t['newest'][:10]}" if t["oldest"] else ""
        lines.append(f"{table}: {t['count']:,} ({_mb(t['bytes'])}{span})")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
