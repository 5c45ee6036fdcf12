"""FA-KES events as ``.txt`` sources, for the real-data benchmark (``bench_fakes.py``).

FA-KES (Salem et al., 2019) holds Syrian-war articles from 15 outlets with crowd-labelled
tolls. Nothing of it is committed: give the path of ``input/fakes.csv`` from the public
repository ``fakenewssyria/fake_news_detection``.

An **event** is a (``date``, ``location``) pair covered by two or more outlets. Its slug is
``YYYY-MM-DD-`` + the location, stripped and lower-cased, each run of characters other
than a-z and 0-9 turned into ``-``. Only the **dev split** is ever built here: events whose
``sha256("fakes:" + slug)`` hex digest ends in an odd digit (1 3 5 7 9 b d f). The other
events are kept for independent measurement and are neither built nor read.

Each article becomes ``NN-outlet.txt`` with ``Outlet:`` = the row's ``source``,
``Published:`` = the event date, and the body = title, blank line, ``article_content``.
Its labelled numbers are ``nb_civilians``, ``nb_noncivilians``, their sum, ``nb_children``
and ``nb_women`` (zeros ignored).

    python -m bench.fakes_events PATH/fakes.csv OUT_DIR     # writes OUT_DIR/<slug>/*.txt
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass
class LabelledArticle:
    row: int
    outlet: str
    title: str
    content: str
    civilians: int
    noncivilians: int
    children: int
    women: int

    @property
    def total(self) -> int:
        return self.civilians + self.noncivilians

    @property
    def labelled(self) -> set[int]:
        return {
            n
            for n in (self.civilians, self.noncivilians, self.total, self.children, self.women)
            if n > 0
        }


@dataclass
class Event:
    slug: str
    day: date
    location: str
    articles: list[LabelledArticle] = field(default_factory=list)


def _int(text: str) -> int:
    text = (text or "").strip()
    return int(float(text)) if text else 0


def _day(text: str) -> date:
    month, day, year = (int(x) for x in text.strip().split("/"))
    return date(2000 + year if year < 100 else year, month, day)


def slug_of(day: date, location: str) -> str:
    return f"{day.isoformat()}-" + re.sub(r"[^a-z0-9]+", "-", location.strip().lower())


def is_dev(slug: str) -> bool:
    return hashlib.sha256(f"fakes:{slug}".encode()).hexdigest()[-1] in "13579bdf"


def all_events(csv_path: Path) -> list[Event]:
    """Every event of the corpus (both splits); callers keep only the dev split."""
    events: dict[str, Event] = {}
    with open(csv_path, encoding="latin-1", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            day = _day(row["date"])
            slug = slug_of(day, row["location"])
            ev = events.setdefault(slug, Event(slug, day, row["location"].strip()))
            ev.articles.append(
                LabelledArticle(
                    row=n,
                    outlet=row["source"].strip(),
                    title=row["article_title"].strip(),
                    content=row["article_content"].strip(),
                    civilians=_int(row["nb_civilians"]),
                    noncivilians=_int(row["nb_noncivilians"]),
                    children=_int(row["nb_children"]),
                    women=_int(row["nb_women"]),
                )
            )
    return sorted(
        (e for e in events.values() if len({a.outlet for a in e.articles}) >= 2),
        key=lambda e: e.slug,
    )


def dev_events(csv_path: Path) -> list[Event]:
    return [e for e in all_events(csv_path) if is_dev(e.slug)]


def write_event(event: Event, folder: Path) -> list[Path]:
    """The event's articles as .txt sources in ``folder``, in corpus order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, art in enumerate(event.articles, 1):
        name = re.sub(r"[^a-z0-9]+", "-", art.outlet.lower()).strip("-") or "outlet"
        path = folder / f"{n:02d}-{name}.txt"
        path.write_text(
            f"Outlet: {art.outlet}\nPublished: {event.day.isoformat()}\n\n"
            f"{art.title}\n\n{art.content}\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    events = dev_events(Path(sys.argv[1]))
    out = Path(sys.argv[2])
    for ev in events:
        write_event(ev, out / ev.slug)
    (out / "labels.json").write_text(
        json.dumps(
            {
                ev.slug: [
                    {"outlet": a.outlet, "labelled": sorted(a.labelled), "total": a.total}
                    for a in ev.articles
                ]
                for ev in events
            },
            indent=1,
        )
    )
    print(f"{len(events)} dev events, {sum(len(e.articles) for e in events)} articles -> {out}")


if __name__ == "__main__":
    main()
