"""Load settings: ``defaults.toml`` first, then a user TOML file key by key.

The defaults file is the single table of settings (name, default, help): the
type of each default is the type a user value must have, and the comment lines
right above a key are its help text. A user file may only name keys that exist
there; anything else is a ``ConfigError`` with the offending key in the message.
Keys whose default is a table (``{}``) are open: their entries are checked
here by the rule in ``TABLE_RULES`` (a bad entry is refused with its key named,
never dropped silently further down).

Values TOML allows but no setting can use are refused too: ``nan`` and ``inf``
(a comparison with nan is always false, so ``align.threshold = nan`` would link
nothing and ``fetch.total_timeout = nan`` would turn the deadline off), empty or
blank strings where a name or a folder is needed (``store.data_dir = ""`` would put
the store in whatever folder the program runs from), and control characters in any
string (a line break in ``fetch.user_agent`` would be a header injection). Timeouts
have an upper bound (a day) too: a longer one is a typo, and past about 10^10
seconds the socket layer raises OverflowError instead of waiting.
"""
from __future__ import annotations

import copy
import math
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any, Iterator, Mapping

from comparer.errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")

# Allowed ranges (inclusive; None = open) of numeric settings. Any other numeric setting
# must be >= 0. Checked here once, so that no stage has to re-check its inputs.
LIMITS: dict[str, tuple[float | None, float | None]] = {
    "fetch.max_bytes": (1024, None),
    "fetch.connect_timeout": (0.1, 86400),
    "fetch.read_timeout": (0.1, 86400),
    "fetch.backoff": (0, 600),
    "fetch.total_timeout": (0.1, 86400),
    "fetch.retries": (0, 10),
    "fetch.concurrency": (1, 64),
    "fetch.max_redirects": (0, 30),
    "extract.max_chars": (1000, None),
    "embed.batch_size": (1, 4096),
    "align.threshold": (0, 1),
    "align.span_gain": (0, 1),
    "align.shared_text_threshold": (0, 1),
    "align.group_threshold": (0, 1),
    "facts.about_band": (0, 1),
    "facts.fuzzy_threshold": (0, 100),
    "compare.max_sources": (1, 1000),
    "facts.max_sentence_chars": (100, 100_000),
    "facts.max_sentence_tokens": (10, 10_000),
}

# String settings that name something (a folder, a model) and so cannot be blank.
NON_BLANK = frozenset({"store.data_dir", "embed.model"})

# String settings that take one of a few words (the first is the default's).
CHOICES: dict[str, tuple[str, ...]] = {
    "dashboard.saved_runs": ("session", "shared"),
}


class Section(Mapping[str, Any]):
    """A read-only section of settings with attribute access (``settings.fetch.retries``)."""

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        self._name = name
        self._values = dict(values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"no setting {self._name}.{key}") from None

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class Settings:
    """All settings, loaded once and passed to every stage; never mutated."""

    def __init__(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        self._data = {name: dict(values) for name, values in data.items()}
        self._sections = {name: Section(name, values) for name, values in self._data.items()}

    def __getattr__(self, name: str) -> Section:
        try:
            return self._sections[name]
        except KeyError:
            raise AttributeError(f"no settings section [{name}]") from None

    def get(self, dotted: str) -> Any:
        section, key = dotted.split(".", 1)
        return self._data[section][key]

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(self._data)

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Settings":
        """A copy with ``{"section.key": value}`` applied, type-checked like a file."""
        nested: dict[str, dict[str, Any]] = {}
        for dotted, value in overrides.items():
            if "." not in dotted:
                raise ConfigError(f"setting names are section.key, got {dotted!r}")
            section, key = dotted.split(".", 1)
            nested.setdefault(section, {})[key] = value
        return Settings(_merge(self._data, nested, origin="overrides"))


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
        raise ConfigError(f"{path} is not UTF-8 text (byte {raw[exc.start]:#04x} at offset "
                          f"{exc.start}); save the settings file as UTF-8") from None
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
    return isinstance(value, type(default))


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "an integer", float: "a number", str: "a string",
            dict: "a table", list: "a list"}.get(type(value), type(value).__name__)


def _check_range(name: str, value: float, origin: str) -> None:
    if not math.isfinite(value):
        raise ConfigError(f"{origin}: {name} must be a finite number, got {value!r}")
    low, high = LIMITS.get(name, (0, None))
    if (low is not None and value < low) or (high is not None and value > high):
        span = (f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}")
        raise ConfigError(f"{origin}: {name} must be {span}, got {value!r}")


def _control_char(text: str) -> str | None:
    """The first control character of ``text`` (line breaks, tabs, NUL, DEL ...). Format
    characters stay allowed: Persian names need the zero-width non-joiner."""
    return next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)


def _entry_name(table: str, entry: str) -> str:
    """``facts.aliases.Hezbollah`` or ``facts.aliases."Kata'ib Hizbullah"``, as TOML writes it."""
    return f"{table}.{entry}" if re.fullmatch(r"[A-Za-z0-9_-]+", entry) else f"{table}.{entry!r}"


def _check_string(name: str, value: str, origin: str) -> None:
    if name in NON_BLANK and not value.strip():
        raise ConfigError(f"{origin}: {name} must not be empty")
    if name in CHOICES and value not in CHOICES[name]:
        allowed = " or ".join(f'"{c}"' for c in CHOICES[name])
        raise ConfigError(f"{origin}: {name} must be {allowed}, got {value!r}")
    bad = _control_char(value)
    if bad is not None:
        raise ConfigError(f"{origin}: {name} must not contain control characters "
                          f"(found {bad!r})")


def _table_entries(name: str, value: Mapping[str, Any], origin: str) -> None:
    """Names and values of an open table must be plain text with a letter or digit in it."""
    for entry, target in value.items():
        where = _entry_name(name, entry)
        if not any(ch.isalnum() for ch in entry) or _control_char(entry):
            raise ConfigError(f"{origin}: {name} has an entry with no usable name: {entry!r}")
        if not isinstance(target, str):
            raise ConfigError(f"{origin}: {where} must be a string, got {_type_name(target)} "
                              f"({target!r})")
        if not any(ch.isalnum() for ch in target) or _control_char(target):
            raise ConfigError(f"{origin}: {where} must be a name, got {target!r}")


def _check_places(name: str, value: Mapping[str, Any], origin: str) -> None:
    """``facts.extra_places``: every value an IANA time zone that this machine knows."""
    from zoneinfo import ZoneInfo

    _table_entries(name, value, origin)
    for entry, zone in value.items():
        try:
            ZoneInfo(zone.strip())
            known = len(zone) <= 64
        except Exception:  # ZoneInfoNotFoundError, ValueError on paths, bad files
            known = False
        if not known:
            raise ConfigError(f"{origin}: {_entry_name(name, entry)} must be an IANA time zone "
                              "such as "
                              f"\"Asia/Damascus\", got {zone!r}")


TABLE_RULES = {"facts.extra_places": _check_places, "facts.aliases": _table_entries}


def _merge(base: Mapping[str, Mapping[str, Any]], user: Mapping[str, Any], *,
           origin: str) -> dict[str, dict[str, Any]]:
    merged = {name: dict(values) for name, values in base.items()}
    for section, values in user.items():
        if section not in merged:
            known = ", ".join(sorted(merged))
            raise ConfigError(f"{origin}: unknown section [{section}] (known: {known})")
        if not isinstance(values, Mapping):
            raise ConfigError(f"{origin}: [{section}] must be a table")
        for key, value in values.items():
            if key not in merged[section]:
                known = ", ".join(sorted(merged[section]))
                raise ConfigError(f"{origin}: unknown setting {section}.{key} (known: {known})")
            default = base[section][key]
            if not _type_ok(default, value):
                raise ConfigError(f"{origin}: {section}.{key} must be {_type_name(default)}, "
                                  f"got {value!r}")
            if isinstance(default, float):
                value = float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                _check_range(f"{section}.{key}", value, origin)
            elif isinstance(value, str):
                _check_string(f"{section}.{key}", value, origin)
            elif f"{section}.{key}" in TABLE_RULES:
                TABLE_RULES[f"{section}.{key}"](f"{section}.{key}", value, origin)
            merged[section][key] = copy.deepcopy(value)
    return merged


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, overridden key by key by the TOML file at ``path`` when given."""
    defaults = _read_toml(DEFAULTS_PATH)
    if path is None:
        return Settings(defaults)
    user = _read_toml(Path(path))
    return Settings(_merge(defaults, user, origin=str(path)))


def setting_help() -> dict[str, str]:
    """``{"section.key": help text}`` from the comment lines above each key."""
    helps: dict[str, str] = {}
    section = ""
    comments: list[str] = []
    for line in DEFAULTS_PATH.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if m := re.fullmatch(r"\[([\w.]+)\]", stripped):
            section, comments = m.group(1), []
        elif stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
        elif m := re.match(r"([\w]+)\s*=", stripped):
            if section:
                helps[f"{section}.{m.group(1)}"] = " ".join(comments)
            comments = []
        else:
            comments = []
    return helps
