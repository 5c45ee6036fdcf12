"""Turn what the user gave (URLs, file paths, pasted text, the example) into ``Source``s.

A ``.txt`` file may begin with header lines, then a blank line, then the text::

    Outlet: Example Times
    URL: https://example.com/news/strike
    Published: 2021-02-26T08:30:00Z
    Constructed: yes

    The article text ...

``Published`` takes an ISO date or datetime (a datetime without a zone is UTC).
``Constructed: yes`` marks test material written for the project, not real
reporting; reports label such sources. Header names are case-insensitive; a
file whose first line is not a known header has no header block at all.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from comparer.errors import SourceError
from comparer.models import Source

EXAMPLE_DIR = Path(__file__).with_name("examples") / "syria-2021-02-25"
HEADER_KEYS = ("outlet", "url", "published", "constructed")
_HEADER_RE = re.compile(r"^([A-Za-z]+):[ \t]*(.*)$")
FILE_SUFFIXES = (".html", ".htm", ".txt")


def parse_published(value: str) -> datetime:
    """An ISO date or datetime as an aware UTC datetime."""
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise SourceError(f"Published: {value!r} is not an ISO date or datetime") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Header lines (lower-cased keys) and the body after the first blank line."""
    lines = text.lstrip("\ufeff").split("\n")
    headers: dict[str, str] = {}
    for n, line in enumerate(lines):
        if not line.strip():
            if headers:
                return headers, "\n".join(lines[n + 1:])
            break
        m = _HEADER_RE.match(line.rstrip("\r"))
        if not m or m.group(1).lower() not in HEADER_KEYS:
            break
        headers[m.group(1).lower()] = m.group(2).strip()
    return {}, text.lstrip("\ufeff")


def with_header(source: Source, headers: Mapping[str, str]) -> Source:
    """Fill what the source does not already say from a .txt header block."""
    published = headers.get("published")
    return replace(
        source,
        outlet=source.outlet or headers.get("outlet") or None,
        url=source.url or headers.get("url") or None,
        published=source.published or (parse_published(published) if published else None),
        constructed=source.constructed
        or headers.get("constructed", "").strip().lower() in ("yes", "true", "1"))


def txt_source(text: str, source_id: str, *, name: str) -> Source:
    """The content of a .txt file (an upload, say) as a source; ``name`` is its file name.

    The header block gives outlet, URL, date and the constructed mark; without an
    ``Outlet:`` line the outlet is the file name.
    """
    headers, body = split_header(text)
    if not body.strip():
        raise SourceError(f"{name}: the file has no text")
    source = with_header(Source(id=source_id, kind="text", location=name, text=body), headers)
    return source if source.outlet else replace(source, outlet=Path(name).stem or name)


def outlet_from_url(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def is_url(spec: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", spec.strip()))


def source_from_spec(spec: str, source_id: str) -> Source:
    """A URL (any scheme: fetch refuses what it must) or a local .html/.htm/.txt path."""
    spec = spec.strip()
    if not spec:
        raise SourceError("empty source")
    if is_url(spec):
        return Source(id=source_id, kind="url", location=spec, url=spec)
    path = Path(spec).expanduser()
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise SourceError(f"{spec}: not a URL or a .html/.htm/.txt file")
    return Source(id=source_id, kind="file", location=str(path))


def pasted_source(text: str, outlet: str, source_id: str, *, url: str | None = None,
                  published: datetime | str | None = None,
                  constructed: bool = False) -> Source:
    """Text pasted by the user, with the outlet name it must carry."""
    if not outlet.strip():
        raise SourceError("pasted text needs an outlet name")
    if not text.strip():
        raise SourceError(f"{outlet}: the pasted text is empty")
    if isinstance(published, str):
        published = parse_published(published) if published.strip() else None
    return Source(id=source_id, kind="text", text=text, outlet=outlet.strip(),
                  url=(url or None), published=published, constructed=constructed)


def sources_from_specs(specs: Iterable[str], *, start: int = 1) -> list[Source]:
    """Number the specs s1, s2, ...; a spec that cannot be a source raises SourceError."""
    return [source_from_spec(spec, f"s{n}") for n, spec in enumerate(specs, start=start)]


def example_paths() -> list[Path]:
    return sorted(p for p in EXAMPLE_DIR.iterdir() if p.suffix in FILE_SUFFIXES)


def example_sources() -> list[Source]:
    """The bundled example event: the seed article, then the constructed outlets."""
    return sources_from_specs(str(p) for p in example_paths())


def _spec_key(spec: str) -> str:
    # "https://a.example/x" and "https://a.example/x/" name the same page
    return spec.strip().rstrip("/")


def duplicate_specs(specs: Sequence[str]) -> list[str]:
    """The specs that repeat an earlier one."""
    seen: set[str] = set()
    dups: list[str] = []
    for spec in specs:
        key = _spec_key(spec)
        if key in seen and spec not in dups:
            dups.append(spec)
        seen.add(key)
    return dups


def unique_specs(specs: Sequence[str]) -> list[str]:
    """The specs without repeats, first occurrence kept, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for spec in specs:
        if _spec_key(spec) not in seen:
            seen.add(_spec_key(spec))
            out.append(spec)
    return out
