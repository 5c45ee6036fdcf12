"""The intake: what a user typed, chose or uploaded, checked and turned into planned sources.

Both front ends come through here with what they were given, so one set of rules decides
what is compared and what is said about it:

- the CLI hands over its arguments (``specs``: URLs or local .html/.htm/.txt paths);
- the dashboard hands over its web-address lines (``urls``: web addresses only, never a
  path on the server), pasted texts (``Pasted``) and uploaded files (``Upload``);
- either may ask for the bundled example event, which comes first.

``plan_sources`` checks everything before anything is fetched and returns a ``Plan``: the
planned sources, in input order, plus messages. **Errors** block the comparison (nothing
given, a web address that is not http(s), a path that is not a readable kind of file, an
upload that is not text, more sources than ``compare.max_sources``, one source where a
comparison needs two); **warnings** do not.

The duplicate rule: the same source given twice is compared once, and a warning names the
copy and what it repeats ("b.txt is the same as a.txt; it is compared once"). The first
occurrence keeps its place. This is what a fact-checker expects: the result is the same as
with the copy removed by hand, the run is not stopped for something harmless, and an
article counted twice can never look like two outlets agreeing. What "the same" means:
``sources.source_key`` for URLs and paths (scheme and host case, default port, fragment,
trailing slash; a file by device and inode), the bytes for an upload and the stripped text
for a pasted text. ``compare.max_sources`` counts the sources left after that, and is
checked here only.

Building the ``Source`` objects is left to ``Plan.sources`` (an uploaded page is written
into a folder the caller owns for the run, and read from there like any local page, so it
is extracted exactly as a fetched one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from comparer.charsets import decode_file
from comparer.errors import SourceError
from comparer.records import Source
from comparer.settings import Settings
from comparer.sources import (
    FILE_SUFFIXES,
    example_paths,
    is_url,
    pasted_source,
    source_from_spec,
    source_key,
    txt_source,
)

EMPTY = (
    "Nothing to compare yet: give web addresses, files or a pasted text, or use the example event."
)
ONE_SOURCE = "Only one source given: add at least one more to compare it with."


@dataclass(frozen=True)
class Pasted:
    """A text pasted by the user with the outlet it is from; URL and date optional."""

    text: str
    outlet: str
    url: str = ""
    published: str = ""  # an ISO date or datetime, or empty


@dataclass(frozen=True)
class Upload:
    """An uploaded file: its name (for the suffix and the messages) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Planned:
    """One source to be: what makes it the same as another (``key``), how messages name
    it (``label``), and the source itself, numbered by ``Plan.sources``. ``page`` holds an
    uploaded HTML page: (path under the run folder, bytes), written there when built."""

    key: str
    label: str
    source: Source
    page: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class Plan:
    """What ``plan_sources`` found: the sources to compare and what to tell the user."""

    planned: tuple[Planned, ...] = ()
    errors: tuple[str, ...] = ()  # each one blocks the comparison
    warnings: tuple[str, ...] = ()  # shown, the comparison goes on

    @property
    def ok(self) -> bool:
        return not self.errors

    def sources(self, folder: Path | None = None) -> list[Source]:
        """The Sources, numbered s1, s2, ... in input order; uploaded pages are written
        under ``folder`` (which the caller removes after the run)."""
        out: list[Source] = []
        for n, item in enumerate(self.planned, start=1):
            source = replace(item.source, id=f"s{n}")
            if item.page is not None:
                if folder is None:
                    raise ValueError("an uploaded page needs a folder to be written to")
                path = Path(folder) / item.page[0]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(item.page[1])
                source = replace(source, location=str(path))
            out.append(source)
        return out


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a web address Crosscheck can fetch, or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a valid web address"
    if parts.scheme.lower() not in ("http", "https"):
        return "is not a web address: start it with http:// or https://"
    if not host or " " in url:
        return "is not a valid web address (no host name)"
    return None


def pasted_problem(p: Pasted) -> str | None:
    """Why a pasted text cannot be compared (no outlet, no text, a bad URL or date), or None."""
    url = p.url.strip()
    if url and url_problem(url):
        return f"the URL “{url}” {url_problem(url)}"
    try:
        pasted_source(
            p.text, p.outlet, "check", url=url or None, published=p.published.strip() or None
        )
    except SourceError as exc:
        return str(exc)
    return None


def _digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def _url(url: str) -> Planned:
    return Planned(key=source_key(url), label=url, source=source_from_spec(url, ""))


def _spec(spec: str) -> Planned:
    """A CLI argument: a web address, else a local .html/.htm/.txt path (SourceError if
    it is neither)."""
    spec = spec.strip()
    if is_url(spec):
        problem = url_problem(spec)
        if problem:
            raise SourceError(f"“{spec}” {problem}.")
        return _url(spec)
    if Path(spec).suffix.lower() not in FILE_SUFFIXES:
        raise SourceError(
            f"“{spec}” is not a web address (http:// or https://) or a .html, .htm or .txt file."
        )
    return Planned(key=source_key(spec), label=spec, source=source_from_spec(spec, ""))


def _pasted(p: Pasted) -> Planned:
    problem = pasted_problem(p)
    if problem:
        raise SourceError(f"Pasted text: {problem}.")
    source = pasted_source(
        p.text, p.outlet, "", url=p.url.strip() or None, published=p.published.strip() or None
    )
    return Planned(
        key="text:" + _digest(p.text.strip()), label=f"pasted text ({p.outlet})", source=source
    )


def _upload(n: int, upload: Upload) -> Planned:
    """The ``n``-th upload; a bad suffix, bytes that are not text or a .txt with no body
    raise SourceError naming the file. A .txt header mistake is only a warning on the
    source (``sources.with_header``)."""
    name = upload.name
    suffix = Path(name).suffix.lower()
    key = "upload:" + _digest(upload.data)
    if suffix not in FILE_SUFFIXES:
        raise SourceError(f"{name}: only .html, .htm and .txt files can be compared")
    if suffix == ".txt":
        # BOM, UTF-8 or detection, as for a .txt file given by path
        decoded = decode_file(upload.data, name)
        source = txt_source(decoded.text, "", name=name)
        return Planned(
            key=key, label=name, source=replace(source, warnings=source.warnings + decoded.warnings)
        )
    page = (f"upload-{n}/{Path(name).name}", upload.data)
    return Planned(
        key=key, label=name, source=Source(id="", kind="file", location=page[0]), page=page
    )


def _example() -> list[Planned]:
    return [
        Planned(
            key=source_key(str(p)), label=f"example: {p.name}", source=source_from_spec(str(p), "")
        )
        for p in example_paths()
    ]


def _duplicate(copy: Planned, first: Planned) -> str:
    if copy.label.strip() == first.label.strip():
        return f"{copy.label} is given twice; it is compared once"
    return f"{copy.label} is the same as {first.label}; it is compared once"


def plan_sources(
    *,
    specs: Sequence[str] = (),
    urls: Sequence[str] = (),
    pasted: Sequence[Pasted] = (),
    uploads: Sequence[Upload] = (),
    example: bool = False,
    settings: Settings,
    comparing: bool = True,
) -> Plan:
    """Every source the inputs describe, de-duplicated, with the messages for the user.

    ``specs`` are CLI arguments (URLs or local paths), ``urls`` web addresses only (blank
    entries are skipped). ``comparing``: a comparison needs two sources at least; to
    only read sources (the CLI's ``sources``, ``align``, ``facts``) one is enough.
    """
    items: list[Planned] = _example() if example else []
    errors: list[str] = []
    for spec in specs:
        try:
            items.append(_spec(spec))
        except SourceError as exc:
            errors.append(str(exc))
    for line in (u.strip() for u in urls):
        if not line:
            continue
        problem = url_problem(line)
        if problem:
            errors.append(f"“{line}” {problem}.")
        else:
            items.append(_url(line))
    for p in pasted:
        try:
            items.append(_pasted(p))
        except SourceError as exc:
            errors.append(str(exc))
    for n, upload in enumerate(uploads, start=1):
        try:
            items.append(_upload(n, upload))
        except SourceError as exc:
            errors.append(f"Uploaded file {exc}")
    if not items and not errors:
        return Plan(errors=(EMPTY,))

    first: dict[str, Planned] = {}
    warnings: list[str] = []
    for item in items:
        if item.key in first:
            message = _duplicate(item, first[item.key])
            if message not in warnings:
                warnings.append(message)
        else:
            first[item.key] = item
    planned = tuple(first.values())  # dicts keep insertion order: first occurrences

    limit = int(settings.compare.max_sources)
    if len(planned) > limit:
        errors.append(
            f"{len(planned)} sources given; one comparison takes at most {limit} "
            "(setting compare.max_sources). Remove some."
        )
    elif comparing and len(planned) == 1 and not errors:
        errors.append(ONE_SOURCE)
    return Plan(planned=planned, errors=tuple(errors), warnings=tuple(warnings))


__all__ = [
    "EMPTY",
    "ONE_SOURCE",
    "Pasted",
    "Plan",
    "Planned",
    "Upload",
    "pasted_problem",
    "plan_sources",
    "url_problem",
]
