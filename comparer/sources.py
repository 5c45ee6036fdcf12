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

Mistakes in a header cost a warning, never the source: a ``Published`` value
that is not a date leaves the source undated, with a warning naming the file
(``Source.warnings``, copied onto its article). A header block with no blank
line after it ends at the first line that is not a known header, so the text
starts there and ``Outlet:`` never becomes a sentence; lines shaped like headers
but with other names (``Author: ...``) inside a block closed by a blank line are
part of the block and ignored.

The same source spelled two ways is one source (``source_key``): a file by its
device and inode (``a.txt``, ``./a.txt``, its absolute path, a symlink or a hard
link to it), a URL with its scheme and host in lower case, without the default
port, the fragment or a trailing slash, and as discovery reads it
(``urls.py``): without tracking parameters, ``www.`` or an AMP or
mobile copy's marks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from comparer.errors import SourceError
from comparer.records import Source
from comparer.urls import url_key

EXAMPLE_DIR = Path(__file__).with_name("examples") / "syria-2021-02-25"
HEADER_KEYS = ("outlet", "url", "published", "constructed")
_HEADER_RE = re.compile(r"^([A-Za-z]+):[ \t]*(.*)$")
# A line shaped like a header with any one-word name ("Author: Jane Doe"): a short value
# that does not end like a sentence ("Washington: officials said it hit." is text).
_HEADER_LIKE_RE = re.compile(r"^[A-Za-z][A-Za-z_-]{0,30}:(?:[ \t]+[^\r\n]{0,100}?)?[ \t]*$")
_SENTENCE_END = (".", "!", "?", "\u2026", '"', "\u201d")
FILE_SUFFIXES = (".html", ".htm", ".txt")


def parse_published(value: str) -> datetime:
    """An ISO date or datetime as an aware UTC datetime."""
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        # "0001-01-01T00:00+01:00" is a valid ISO text that has no UTC time.
        return dt.astimezone(UTC)
    except (ValueError, OverflowError):
        shown = value if len(value) <= 60 else value[:60] + "\u2026"  # a whole file may be there
        raise SourceError(f"Published: {shown!r} is not an ISO date or datetime") from None


def _known_header(line: str) -> tuple[str, str] | None:
    m = _HEADER_RE.match(line.rstrip("\r"))
    if m and m.group(1).lower() in HEADER_KEYS:
        return m.group(1).lower(), m.group(2).strip()
    return None


def _header_like(line: str) -> bool:
    line = line.rstrip("\r").rstrip()
    return bool(_HEADER_LIKE_RE.match(line)) and not line.endswith(_SENTENCE_END)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Header lines (lower-cased keys) and the body after them (see the module docstring).

    The block is the run of lines before the first blank line when every one is shaped
    like a header and one at least is a known header (other names are ignored); else the
    run of known header lines at the top, the text starting right after it.
    """
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    blank = next((n for n, line in enumerate(lines) if not line.strip()), len(lines))
    block = lines[:blank]
    if blank < len(lines) and all(_known_header(line) or _header_like(line) for line in block):
        headers = dict(h for h in map(_known_header, block) if h)
        if headers:
            return headers, "\n".join(lines[blank + 1 :])
    headers = {}
    for n, line in enumerate(block):
        found = _known_header(line)
        if found is None:
            # No blank line closes the block: the text starts at this line.
            return (headers, "\n".join(lines[n:])) if headers else ({}, text)
        headers[found[0]] = found[1]
    return headers, "\n".join(lines[blank + 1 :])


def with_header(source: Source, headers: Mapping[str, str]) -> Source:
    """Fill what the source does not already say from a .txt header block.

    A ``Published`` value that is not a date is a warning on the source (naming its
    file), and the source stays undated: one bad header never sinks a comparison.
    """
    published: datetime | None = None
    warnings = source.warnings
    if headers.get("published") and source.published is None:
        try:
            published = parse_published(headers["published"])
        except SourceError as exc:
            name = source.location or source.outlet or source.id
            warnings += (f"{name}: {exc}; the source is read without a publication date",)
    return replace(
        source,
        outlet=source.outlet or headers.get("outlet") or None,
        url=source.url or headers.get("url") or None,
        published=source.published or published,
        constructed=source.constructed
        or headers.get("constructed", "").strip().lower() in ("yes", "true", "1"),
        warnings=warnings,
    )


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


def pasted_source(
    text: str,
    outlet: str,
    source_id: str,
    *,
    url: str | None = None,
    published: datetime | str | None = None,
    constructed: bool = False,
) -> Source:
    """Text pasted by the user, with the outlet name it must carry."""
    if not outlet.strip():
        raise SourceError("pasted text needs an outlet name")
    if not text.strip():
        raise SourceError(f"{outlet}: the pasted text is empty")
    if isinstance(published, str):
        published = parse_published(published) if published.strip() else None
    return Source(
        id=source_id,
        kind="text",
        text=text,
        outlet=outlet.strip(),
        url=(url or None),
        published=published,
        constructed=constructed,
    )


def sources_from_specs(specs: Iterable[str], *, start: int = 1) -> list[Source]:
    """Number the specs s1, s2, ...; a spec that cannot be a source raises SourceError."""
    return [source_from_spec(spec, f"s{n}") for n, spec in enumerate(specs, start=start)]


def example_paths() -> list[Path]:
    return sorted(p for p in EXAMPLE_DIR.iterdir() if p.suffix in FILE_SUFFIXES)


def example_sources() -> list[Source]:
    """The bundled example event: the seed article, then the constructed outlets."""
    return sources_from_specs(str(p) for p in example_paths())


def _url_key(url: str) -> str:
    """ "HTTPS://Example.com:443/x/#top" and "https://example.com/x" name the same page."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # a bad port or bracket: compare it as written
        return "url:" + url.rstrip("/")
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    return "url:" + urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def _story_key(url: str) -> str:
    """The key of the story a URL names, as discovery dedupes its results: tracking
    parameters ("?utm_source=..."), ``www.`` and AMP or mobile copies do not make another
    source. The scheme still does (a local ``http://`` test page is not its ``https://``)."""
    try:
        return f"url:{urlsplit(url).scheme.lower()}:{url_key(url)}"
    except ValueError:  # a bad port or bracket: the plain spelling rules still apply
        return _url_key(url)


def source_key(spec: str) -> str:
    """What makes two specs the same source (see the module docstring)."""
    spec = spec.strip()
    if is_url(spec):
        return _story_key(spec)
    path = Path(spec).expanduser()
    try:
        info = path.stat()  # follows symlinks; a hard link has the same inode too
        return f"file:{info.st_dev}:{info.st_ino}"
    except (OSError, ValueError):  # missing (reading it will say so) or a NUL in the name
        return "path:" + os.path.normpath(os.path.abspath(path))
