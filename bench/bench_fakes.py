"""Figure disagreements on real coverage: the FA-KES dev split. Prints figures; asserts nothing.

    .venv/bin/python -m bench.bench_fakes PATH/fakes.csv [--show N] [--events SLUG,...]

FA-KES is never committed: ``PATH/fakes.csv`` is ``input/fakes.csv`` of the public repository
``fakenewssyria/fake_news_detection``. Only the dev split is built and compared
(``fakes_events.py``); the other events are kept for independent measurement.

Each dev event is compared as ``compare`` would (models loaded once; a snapshot store in a
temporary folder), and three figures are printed:

- **attachment**: of the "killed" values inside figure disagreements, the share whose low or
  high bound is one of its own article's labelled numbers (civilians, non-civilians, their
  sum, children, women). A value that is a war-wide total, an earlier attack's toll or a
  figure of another town fails it. Target >= 0.85.
- **pair recall**: pairs of articles from different outlets whose labelled totals differ (both
  > 0) that one "killed" disagreement covers with both tolls (each article's value in the card
  is one of its labelled numbers). Target >= 0.85.
- **false conflicts**: pairs of articles from different outlets with equal labelled totals
  (> 0) that a conflict card sets against each other (their values in it do not overlap).
  Target <= 10 % of the equal pairs.

``--show N`` prints N failing cases of each kind, for reading.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any


def _bounds(value: dict[str, Any]) -> set[float]:
    """The interval's bounds, and the number as written where the reader widened it: "more
    than 1,400" is [1401, inf) whose (open) bound is 1,400; "about 80" is [72, 88]."""
    out = {float(x) for x in (value.get("low"), value.get("high")) if x is not None}
    if value.get("qualifier") == "more_than" and value.get("low") is not None:
        out.add(float(value["low"]) - 1)
    if value.get("qualifier") == "about" and None not in (value.get("low"), value.get("high")):
        out.add(round((float(value["low"]) + float(value["high"])) / 2))  # "about 80"
    return out


def _interval(value: dict[str, Any]) -> tuple[float, float]:
    low, high = value.get("low"), value.get("high")
    return (
        float(low) if low is not None else 0.0,
        float(high) if high is not None else float("inf"),
    )


def _killed_cards(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Figure disagreements about the killed (the card's slot, else its values' role)."""
    out = []
    for d in report["disagreements"]:
        if d["kind"] != "figure":
            continue
        slot = d.get("slot")
        if slot:  # a question card; older reports have no slot
            if slot == "killed" or slot.startswith("killed_"):  # also "civilians killed"
                out.append(d)
        elif any(v["value"].get("role") == "killed" for v in d["values"]):
            out.append(d)
    return out


def measure(events: list[Any], run: Any, show: int) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    reasons: dict[str, int] = {}
    att_ok = att_all = 0
    diff_pairs = covered = 0
    equal_pairs = false_conf = 0
    misses: dict[str, list[str]] = {"attachment": [], "recall": [], "false": []}
    for ev in events:
        report, ids = run(ev)
        art_of = {sid: art for sid, art in zip(ids, ev.articles, strict=True)}
        for d in report["disagreements"]:
            key = f"{d['kind']}/{d.get('slot') or '-'}/{d['severity']}"
            kinds[key] = kinds.get(key, 0) + 1
            if show and d["kind"] in ("time", "place"):
                misses.setdefault("time and place cards (to read)", []).append(
                    f"{ev.slug}: {d['explanation'][:300]}"
                )
        cards = _killed_cards(report)
        for d in cards:
            for v in d["values"]:
                if v["value"].get("role", "killed") != "killed":
                    continue
                art = art_of[v["source"]]
                att_all += 1
                if _bounds(v["value"]) & art.labelled:
                    att_ok += 1
                elif len(misses["attachment"]) < show:
                    misses["attachment"].append(
                        f"{ev.slug} {art.outlet} labelled {sorted(art.labelled)}: "
                        f"{v['text']!r} in: {_sentence(report, v)[:200]}"
                    )
        for (sa, a), (sb, b) in itertools.combinations(art_of.items(), 2):
            if a.outlet == b.outlet or a.total <= 0 or b.total <= 0:
                continue
            if a.total != b.total:
                diff_pairs += 1
                if any(_toll_in(d, sa, a) and _toll_in(d, sb, b) for d in cards):
                    covered += 1
                    continue
                why = min(_toll_state(report, sa, a), _toll_state(report, sb, b))
                reasons[why] = reasons.get(why, 0) + 1
                if len(misses["recall"]) < show:
                    cards_text = " | ".join(d["explanation"][:160] for d in cards) or "no card"
                    misses["recall"].append(
                        f"{ev.slug} {sa} {a.outlet} {a.total} vs {sb} "
                        f"{b.outlet} {b.total} ({why[2:]}): {cards_text}"
                    )
            else:
                equal_pairs += 1
                hit = next(
                    (d for d in cards if d["severity"] == "conflict" and _set_against(d, sa, sb)),
                    None,
                )
                if hit is not None:
                    false_conf += 1
                    if len(misses["false"]) < show:
                        misses["false"].append(
                            f"{ev.slug} {a.outlet} vs {b.outlet} (both "
                            f"{a.total}): {hit['explanation'][:240]}"
                        )
    return {
        "attachment": (att_ok, att_all),
        "recall": (covered, diff_pairs),
        "false": (false_conf, equal_pairs),
        "misses": misses,
        "cards": kinds,
        "reasons": reasons,
    }


def _sentence(report: dict[str, Any], v: dict[str, Any]) -> str:
    for s in report["sources"]:
        if s["id"] == v["source"]:
            return s["sentences"][v["sentence"]]["text"]
    return ""


def _toll_state(report: dict[str, Any], sid: str, art: Any) -> str:
    """Why an article's toll may be missing from the cards, worst first (for sorting)."""
    main = next((e["id"] for e in report.get("events", []) if e["main"]), None)
    tolls = [
        f
        for f in report["facts"]
        if f["source"] == sid
        and f["kind"] == "figure"
        and f["value"].get("role") == "killed"
        and _bounds(f["value"]) & art.labelled
    ]
    if not tolls:
        return "1 toll not read as a killed figure"
    if not any(f.get("event") == main for f in tolls):
        return "2 toll read, on another event than the main one"
    return "3 toll on the main event, not in a card with the other's"


def _toll_in(card: dict[str, Any], sid: str, art: Any) -> bool:
    return any(v["source"] == sid and _bounds(v["value"]) & art.labelled for v in card["values"])


def _set_against(card: dict[str, Any], sa: str, sb: str) -> bool:
    va = [_interval(v["value"]) for v in card["values"] if v["source"] == sa]
    vb = [_interval(v["value"]) for v in card["values"] if v["source"] == sb]
    if not va or not vb:
        return False
    return not any(max(x[0], y[0]) <= min(x[1], y[1]) for x in va for y in vb)


def _ratio(pair: tuple[int, int]) -> str:
    ok, n = pair
    return f"{ok}/{n} = {ok / n:.2f}" if n else "0/0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "csv",
        type=Path,
        nargs="?",
        help="FA-KES input/fakes.csv (never committed); without it, nothing runs",
    )
    ap.add_argument("--show", type=int, default=0, help="failing cases to print per figure")
    ap.add_argument("--events", default="", help="comma-separated slugs (dev split only)")
    args = ap.parse_args()
    if args.csv is None:  # ``make bench`` runs every script; the corpus is not in the repo
        print("bench_fakes: skipped (give the path of FA-KES input/fakes.csv)")
        return

    from bench.fakes_events import dev_events, write_event
    from comparer.pipeline import compare, load_models
    from comparer.report import to_json
    from comparer.settings import load_settings
    from comparer.sources import sources_from_specs
    from comparer.store import Store

    events = dev_events(args.csv)
    if args.events:
        wanted = set(args.events.split(","))
        events = [e for e in events if e.slug in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings().with_overrides(
            {"store.data_dir": str(Path(tmp) / "store"), "compare.max_sources": 1000}
        )
        t = time.perf_counter()
        with Store.open(settings) as store:
            embedder, nlp = load_models(settings, store=store)
            load_s = time.perf_counter() - t
            seconds: list[float] = []

            def run(ev: Any) -> tuple[dict[str, Any], list[str]]:
                paths = write_event(ev, Path(tmp) / "events" / ev.slug)
                sources = sources_from_specs(str(p) for p in paths)
                t0 = time.perf_counter()
                report = compare(sources, settings, store=store, embedder=embedder, nlp=nlp)
                seconds.append(time.perf_counter() - t0)
                return to_json(report), [s.id for s in sources]

            m = measure(events, run, args.show)
    n_art = sum(len(e.articles) for e in events)
    print(
        f"FA-KES dev split: {len(events)} events, {n_art} articles "
        f"(models {load_s:.1f} s, comparisons {sum(seconds):.1f} s)"
    )
    print(f"  attachment       {_ratio(m['attachment'])}   (target >= 0.85)")
    print(f"  pair recall      {_ratio(m['recall'])}   (target >= 0.85)")
    print(f"  false conflicts  {_ratio(m['false'])}   (target <= 0.10)")
    print(
        "  recall misses by the worse of the two articles: "
        + "; ".join(f"{k[2:]} {n}" for k, n in sorted(m["reasons"].items()))
    )
    print(
        "  cards by kind/slot/severity: "
        + ", ".join(f"{k} {n}" for k, n in sorted(m["cards"].items()))
    )
    for name, rows in m["misses"].items():
        if rows:
            print(f"\n{name} misses:")
            for row in rows:
                print("  " + row)


if __name__ == "__main__":
    main()
