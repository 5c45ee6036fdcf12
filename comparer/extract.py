"""Main text and metadata out of an HTML page or a plain text, without the clutter.

Stages, in order (``extract_html``):

1. Parse the page once (``trafilatura.load_html``); an empty page is an
   ``ExtractionError``, a text without markup is read as plain text.
2. Main text with trafilatura tuned for precision: no comments, no tables, no
   images, no links, no formatting, ``favor_precision``. A news page carries
   more boilerplate than text, and a menu item or a "most read" headline that
   slips into the text becomes a false claim later; a missing paragraph only
   becomes an omission. When the precise pass finds less than
   ``extract.min_chars`` characters, trafilatura's balanced mode is tried and
   the longer clean result kept; when neither finds anything, trafilatura's
   baseline (all paragraph-like text) is the last resort, with a warning.
3. Paragraphs: trafilatura writes one block element per line; each becomes one
   paragraph, inner whitespace collapsed. A leading paragraph that repeats the
   title (the page's ``<h1>``) is dropped: the title is metadata, and plain-text
   sources carry no headline, so keeping it would make HTML sources look as if
   they reported one claim more.
4. ``remove_clutter``: page furniture (teasers, newsletter, cookie and share
   prompts, button rows, bylines and credits, timestamps, picture credits,
   advertisement markers, footers, reader comments, trailing editor's notes),
   by the rules of ``furniture.py``. They work on whole paragraphs and are
   shared with plain text, so a pasted article and the same article fetched as
   HTML end up alike; a plain text also gets one warning counting what went.
5. Metadata: title, author and site name from trafilatura; the date from the
   page's metadata (htmldate asked for time and zone, converted to UTC), else
   from the URL or the page text (see ``_page_date``); the language from the
   page's own declaration (``<html lang>``, ``og:locale``, ``inLanguage``)
   because trafilatura only detects languages with an optional package.
6. Warnings: fewer than ``extract.min_chars`` characters left ("probably a
   paywall, cookie wall or index page"). No text at all is an ``ExtractionError``.

Paragraph convention of ``Extracted.text`` (the text sentence offsets index):
paragraphs are separated by exactly one blank line (``"\\n\\n"``), a paragraph
never contains a line break, has no leading or trailing whitespace and no runs
of whitespace; the text neither starts nor ends with whitespace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import htmldate
import trafilatura
from lxml.html import HtmlElement

from comparer.errors import ExtractionError
from comparer.furniture import furniture_warning, strip_furniture
from comparer.settings import Settings

SHORT_TEXT_WARNING = "probably a paywall, cookie wall or index page"

_WS_RE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_NEWLINES_RE = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
_BULLET_RE = re.compile(r"^[-*\u2022]\s+")
# Typewriter double quotes: two apostrophes or two backticks for one mark, as archives and
# wire feeds write them (''We will not back down,'' she said). Read as the one straight mark
# they stand for, or the quotation readers see no quotation at all.
_TYPEWRITER_QUOTE_RE = re.compile(r"''|``")


@dataclass(frozen=True)
class Extracted:
    """What extraction found. ``text`` follows the paragraph convention above."""

    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    published: datetime | None = None  # aware, UTC
    language: str | None = None  # primary subtag, lower case: "en"
    warnings: tuple[str, ...] = ()


# --- clutter ---------------------------------------------------------------------------


def remove_clutter(text: str) -> str:
    """``text`` without page furniture, in the paragraph convention (``"\\n\\n"``).

    Every line of ``text`` is taken as a paragraph; the rules are in ``furniture.py``.
    """
    return strip_furniture(_paragraphs(text.split("\n"))).text


# --- paragraphs ------------------------------------------------------------------------


def _clean_line(line: str) -> str:
    return _WS_RE.sub(" ", _ZERO_WIDTH_RE.sub("", line)).strip()


def _paragraphs(lines: Iterable[str]) -> list[str]:
    return [c for c in (_clean_line(line) for line in lines) if c]


_TERMINAL = (".", "!", "?", ":", ";", '"', "'", "\u201d", "\u2019", ")")


def _unwrap_block(lines: list[str]) -> list[str]:
    """Paragraphs of one blank-line-separated block of plain text.

    A block whose lines (all but the last) are of similar length is hard-wrapped
    and joined into one paragraph; otherwise each line is a paragraph (a
    subheading, a one-line-per-paragraph paste), except that a line not ending
    in punctuation is joined to a next line starting in lower case.
    """
    if len(lines) >= 3:
        body = [len(line) for line in lines[:-1]]
        widest = max(body)
        if (
            40 <= widest <= 100
            and sum(n >= 0.7 * widest for n in body) >= 0.8 * len(body)
            and len(lines[-1]) <= widest
        ):
            return [" ".join(lines)]
    out: list[str] = []
    for line in lines:
        if out and not out[-1].endswith(_TERMINAL) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def normalise_plain(text: str) -> list[str]:
    """Paragraphs of a plain text: blank lines separate blocks, hard wraps are undone."""
    text = _TYPEWRITER_QUOTE_RE.sub('"', _NEWLINES_RE.sub("\n", text))
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = _paragraphs(block.split("\n"))
        if lines:
            paragraphs.extend(_unwrap_block(lines))
    return paragraphs


# --- metadata --------------------------------------------------------------------------


def _parse_published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    if dt.tzinfo is None:  # a bare date or a time with no zone: taken as UTC
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _language_tag(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_]|\s*$)", value)
    return m.group(1).lower() if m else None


def _jsonld_languages(tree: HtmlElement) -> Iterable[Any]:
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "inLanguage" in item:
                    yield item["inLanguage"]
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))


def page_language(tree: HtmlElement) -> str | None:
    """The language the page declares, as a lower-case primary subtag."""
    candidates: list[Any] = tree.xpath(
        '/html/@lang | //meta[@property="og:locale" or @name="language"]/@content'
        ' | //meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
        ' = "content-language"]/@content'
    )
    candidates += list(_jsonld_languages(tree))
    return next((tag for tag in map(_language_tag, candidates) if tag), None)


# --- extraction ------------------------------------------------------------------------

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # ask htmldate for the time and zone, not just the day


def _date_params(*, extensive: bool) -> dict[str, Any]:
    return {
        "original_date": True,
        "extensive_search": extensive,
        "outputformat": _DATE_FORMAT,
        "max_date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def _page_date(doc: Any, tree: HtmlElement, url: str | None) -> datetime | None:
    """Publication time from metadata first; a date found in the page text only as a fallback.

    trafilatura is not given the URL: htmldate prefers a date in the URL
    ("/2021/03/04/") to the page's own "2021-03-04T23:15:00-05:00", losing the
    time and, here, the day in UTC. The URL and the page text are tried after.
    htmldate's extensive search falls back on the copyright year and returns
    1 January of it ("© 2024" -> 2024-01-01), which would anchor every "Thursday"
    in the article to the wrong week; such a result is refused.
    """
    found = _parse_published(getattr(doc, "date", None))  # found without the URL: see below
    if found is not None:
        return found
    try:
        value = htmldate.find_date(deepcopy(tree), url=url, **_date_params(extensive=True))
    except (ValueError, TypeError):
        return None
    found = _parse_published(value)
    if found is None or (found.month, found.day, found.hour, found.minute) == (1, 1, 0, 0):
        return None
    return found


def _trafilatura(tree: HtmlElement, *, precision: bool) -> Any:
    date_params = _date_params(extensive=False)
    try:
        return trafilatura.bare_extraction(
            tree,
            favor_precision=precision,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=True,
            deduplicate=False,
            date_extraction_params=date_params,
        )
    except (ValueError, TypeError, AttributeError):  # trafilatura signals "nothing" this way
        return None


def _same_words(a: str, b: str) -> bool:
    words = re.compile(r"\w+").findall
    return bool(words(a.casefold())) and words(a.casefold()) == words(b.casefold())


def _body(doc: Any, title: str | None) -> str:
    if doc is None or not getattr(doc, "text", None):
        return ""
    # trafilatura renders list items as "- item": the dash is markup, not text
    paragraphs = [_BULLET_RE.sub("", p) for p in _paragraphs(doc.text.split("\n"))]
    while paragraphs and title and _same_words(paragraphs[0], title):
        paragraphs.pop(0)
    return remove_clutter("\n".join(paragraphs))


def short_text_warnings(text: str, settings: Settings) -> list[str]:
    limit = int(settings.extract.min_chars)
    if len(text) < limit:
        return [
            f"only {len(text)} characters of text extracted (fewer than {limit}): "
            f"{SHORT_TEXT_WARNING}"
        ]
    return []


def keep_text(
    text: str, warnings: Iterable[str], settings: Settings
) -> tuple[str, tuple[str, ...]]:
    """What an article keeps of an extracted ``text`` under ``settings``, and its warnings.

    Applied to every extraction, fresh or reused from the store, once the dateline is
    off (``pipeline``), so both rules follow the settings of this run rather than those
    the extraction was cached under:

    - the short-text warning is worked out again (``extract.min_chars``), replacing
      any carried in ``warnings``;
    - a text longer than ``extract.max_chars`` is cut at the last paragraph break
      before the limit (mid-paragraph only when there is none), with a warning saying
      how much was kept.
    """
    kept = tuple(w for w in warnings if SHORT_TEXT_WARNING not in w)
    kept += tuple(short_text_warnings(text, settings))
    limit = int(settings.extract.max_chars)
    if len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        text = text[: cut if cut > 0 else limit]
        kept += (f"text cut to its first {len(text):,} characters (extract.max_chars)",)
    return text, kept


def _clean_meta(value: Any) -> str | None:
    return (_clean_line(value) or None) if isinstance(value, str) else None


def extract_html(html: str, *, url: str | None = None, settings: Settings) -> Extracted:
    """Main text and metadata of an HTML page; ``ExtractionError`` when it has no text."""
    if not html or not html.strip():
        raise ExtractionError("the page is empty")
    tree = trafilatura.load_html(html)
    if tree is None:  # no markup at all (a text served as HTML): read it as plain text
        plain = extract_plain(html, settings=settings)
        return replace(
            plain, warnings=plain.warnings + ("the page is not HTML: read as plain text",)
        )
    warnings: list[str] = []
    doc = _trafilatura(tree, precision=True)
    title = _clean_meta(getattr(doc, "title", None))
    text = _body(doc, title)
    if len(text) < int(settings.extract.min_chars):
        balanced = _trafilatura(tree, precision=False)
        balanced_text = _body(balanced, title or _clean_meta(getattr(balanced, "title", None)))
        if len(balanced_text) > len(text):
            text, doc = balanced_text, (doc if doc is not None else balanced)
    if not text:  # last resort: every paragraph-like text of the page
        text = remove_clutter(trafilatura.baseline(deepcopy(tree))[1] or "")
        if text:
            warnings.append(
                "no main text found: used all paragraph text of the page, "
                "which may include menus and teasers"
            )
    if not text:
        raise ExtractionError("no article text found on the page")
    warnings = short_text_warnings(text, settings) + warnings
    return Extracted(
        text=text,
        title=title or _clean_meta(getattr(doc, "title", None)),
        author=_clean_meta(getattr(doc, "author", None)),
        sitename=_clean_meta(getattr(doc, "sitename", None)),
        published=_page_date(doc, tree, url),
        language=page_language(tree) or _language_tag(getattr(doc, "language", None)),
        warnings=tuple(warnings),
    )


def extract_plain(text: str, *, settings: Settings) -> Extracted:
    """A plain text (a .txt body after its header, or pasted text), clutter removed.

    Plain text has no metadata of its own: title, author, site name, date and
    language are None (the caller has them from the .txt header or the form).
    """
    stripped = strip_furniture(normalise_plain(text or ""))
    if not stripped.text:
        raise ExtractionError("the text is empty once clutter is removed")
    # Unlike a fetched page's menus, these lines were pasted or saved by the user, who
    # should see that they were left out: one warning says how many and of what kind.
    dropped = furniture_warning(stripped.dropped)
    warnings = short_text_warnings(stripped.text, settings) + ([dropped] if dropped else [])
    return Extracted(text=stripped.text, warnings=tuple(warnings))
