"""Settings: defaults load, user files override key by key, mistakes are refused, all documented."""

from __future__ import annotations

import dataclasses
import pickle
import re
import tomllib

import pytest

from comparer.errors import ConfigError
from comparer.settings import Settings, load_settings, setting_help, specs
from tests.conftest import REPO

USER_DEFAULTS = REPO / "config" / "defaults.toml"  # the commented copy users start from


def _all_keys() -> list[str]:
    return list(specs())


def _comments_above_keys(text: str) -> dict[str, str]:
    """``{"section.key": the comment lines right above it, joined}`` of a TOML file."""
    helps: dict[str, str] = {}
    section, comments = "", []
    for line in text.splitlines():
        stripped = line.strip()
        if m := re.fullmatch(r"\[([\w.]+)\]", stripped):
            section, comments = m.group(1), []
        elif stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
        elif (m := re.match(r"(\w+)\s*=", stripped)) and section:
            helps[f"{section}.{m.group(1)}"] = " ".join(comments)
            comments = []
        else:
            comments = []
    return helps


def test_defaults_load_with_the_documented_values():
    s = load_settings()
    assert s.fetch.allow_private_hosts is False
    assert s.fetch.max_bytes == 5_000_000
    assert s.facts.about_band == pytest.approx(0.1)
    assert s.get("embed.batch_size") == 64


def test_user_file_overrides_key_by_key(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[fetch]\nretries = 0\n[align]\nthreshold = 1\n", encoding="utf-8")
    s = load_settings(path)
    assert s.fetch.retries == 0
    assert s.fetch.max_redirects == 5  # untouched keys keep their default
    assert s.align.threshold == 1.0 and isinstance(s.align.threshold, float)


@pytest.mark.parametrize(
    "body, message",
    [
        ("[fetch]\nretrys = 3\n", "unknown setting fetch.retrys"),
        ("[fecth]\nretries = 3\n", "unknown section [fecth]"),
        ("[fetch]\nretries = 'three'\n", "fetch.retries must be an integer"),
        ("[fetch]\nallow_private_hosts = 1\n", "fetch.allow_private_hosts must be true/false"),
        ("[align]\nthreshold = true\n", "align.threshold must be a number"),
        ("[facts]\naliases = 'x'\n", "facts.aliases must be a table"),
        ("[fetch\n", "is not valid TOML"),
        ("[fetch]\nretries = -1\n", "fetch.retries must be between 0 and 10"),
        ("[embed]\nbatch_size = 0\n", "embed.batch_size must be between 1 and 4096"),
        ("[align]\nthreshold = 1.5\n", "align.threshold must be between 0 and 1"),
        ("[extract]\nmin_chars = -5\n", "extract.min_chars must be at least 0"),
    ],
)
def test_bad_settings_files_are_refused_with_the_key_named(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path)


def test_missing_settings_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_overrides_are_type_checked():
    s = load_settings()
    assert s.with_overrides({"fetch.allow_private_hosts": True}).fetch.allow_private_hosts is True
    assert s.fetch.allow_private_hosts is False  # the original is untouched
    with pytest.raises(ConfigError):
        s.with_overrides({"fetch.allow_private_hosts": "yes"})


def test_the_file_users_copy_agrees_with_the_packaged_defaults():
    # config/defaults.toml is documentation users copy; comparer/settings.py is what runs.
    text = USER_DEFAULTS.read_text(encoding="utf-8")
    assert tomllib.loads(text) == Settings().as_dict()  # same sections, keys and values
    assert list(_comments_above_keys(text)) == _all_keys()  # ... in the same order
    drifted = {
        key: comment
        for key, comment in _comments_above_keys(text).items()
        if comment != setting_help()[key]
    }
    assert not drifted, "config/defaults.toml comments differ from the help in settings.py"


def test_the_file_users_copy_loads_as_a_settings_file():
    assert load_settings(USER_DEFAULTS) == load_settings()


@pytest.mark.parametrize("key", _all_keys())
def test_every_default_passes_its_own_checks(key):
    # a range or choice list that excludes its own default would make the file unusable
    default, spec = specs()[key]
    assert load_settings().with_overrides({key: default}).get(key) == default
    if spec.choices:
        assert spec.choices[0] == default


@pytest.mark.parametrize(
    "key, outside",
    [
        ("fetch.concurrency", 65),
        ("fetch.max_bytes", 1023),
        ("facts.fuzzy_threshold", 101),
        ("facts.max_sentence_tokens", 9),
        ("compare.max_sources", 0),
        ("fetch.connect_timeout", 0.05),
        ("fetch.backoff", 601.0),
        ("store.max_megabytes", -1.0),
    ],
)
def test_declared_ranges_are_enforced(key, outside):
    with pytest.raises(ConfigError, match=re.escape(key) + " must be (between|at least)"):
        load_settings().with_overrides({key: outside})


def test_dashboard_saved_runs_takes_only_its_choices():
    with pytest.raises(ConfigError, match='dashboard.saved_runs must be "session" or "shared"'):
        load_settings().with_overrides({"dashboard.saved_runs": "public"})


def test_settings_are_frozen_and_survive_pickling():
    s = load_settings().with_overrides({"facts.aliases": {"Hashd": "Popular Mobilization Forces"}})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.fetch.retries = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.facts.aliases["Hashd"] = "someone else"  # type: ignore[index]
    assert pickle.loads(pickle.dumps(s)) == s
    assert s.as_dict()["facts"]["aliases"] == {"Hashd": "Popular Mobilization Forces"}


def test_overrides_do_not_keep_a_reference_to_the_callers_table():
    table = {"Hashd": "Popular Mobilization Forces"}
    s = load_settings().with_overrides({"facts.aliases": table})
    table["Hashd"] = "changed later"
    assert s.facts.aliases["Hashd"] == "Popular Mobilization Forces"


@pytest.mark.parametrize("key", _all_keys())
def test_every_setting_has_help_and_is_in_the_readme(key):
    assert setting_help().get(key), f"{key} has no help text in comparer/settings.py"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{key}`" in readme, f"{key} is missing from the README's settings table"


@pytest.mark.parametrize(
    "body, message",
    [
        ("[align]\nthreshold = nan\n", "align.threshold must be a finite number, got nan"),
        ("[fetch]\ntotal_timeout = nan\n", "fetch.total_timeout must be a finite number"),
        ("[fetch]\ntotal_timeout = inf\n", "fetch.total_timeout must be a finite number, got inf"),
        ("[facts]\nabout_band = -inf\n", "facts.about_band must be a finite number"),
        ("[fetch]\nread_timeout = 1e12\n", "fetch.read_timeout must be between 0.1 and 86400"),
        ('[store]\ndata_dir = ""\n', "store.data_dir must not be empty"),
        ('[store]\ndata_dir = "   "\n', "store.data_dir must not be empty"),
        ('[embed]\nmodel = ""\n', "embed.model must not be empty"),
        (
            '[fetch]\nuser_agent = "Crosscheck\\r\\nX-Evil: 1"\n',
            "fetch.user_agent must not contain control characters",
        ),
        (
            '[facts.extra_places]\n"Deir ez-Zor" = "Asia/Nowhere"\n',
            "facts.extra_places.'Deir ez-Zor' must be an IANA time zone",
        ),
        ("[facts.extra_places]\nMayadin = 3\n", "facts.extra_places.Mayadin must be a string"),
        (
            '[facts.extra_places]\nMayadin = "../../etc/passwd"\n',
            "facts.extra_places.Mayadin must be an IANA time zone",
        ),
        (  # a folder of the time-zone database, not a zone (IsADirectoryError)
            '[facts.extra_places]\nMayadin = "Asia"\n',
            "facts.extra_places.Mayadin must be an IANA time zone",
        ),
        (
            '[facts.extra_places]\n"--" = "Asia/Damascus"\n',
            "facts.extra_places has an entry with no usable name",
        ),
        ("[facts.aliases]\nHizbullah = 7\n", "facts.aliases.Hizbullah must be a string"),
        ('[facts.aliases]\nHizbullah = "  "\n', "facts.aliases.Hizbullah must be a name"),
        ('[facts.aliases.Hizbullah]\nx = "y"\n', "facts.aliases.Hizbullah must be a string"),
    ],
)
def test_values_toml_allows_but_no_setting_can_use_are_refused(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path)


def test_good_open_tables_and_a_utf8_bom_are_accepted(tmp_path):
    path = tmp_path / "good.toml"
    path.write_bytes(
        '\ufeff[facts.extra_places]\n"Deir ez-Zor" = "Asia/Damascus"\n'
        '[facts.aliases]\n"Kata\'ib Hizbullah" = "Kataib Hezbollah"\n'.encode("utf-8")
    )
    s = load_settings(path)
    assert s.facts.extra_places == {"Deir ez-Zor": "Asia/Damascus"}
    assert s.facts.aliases == {"Kata'ib Hizbullah": "Kataib Hezbollah"}


@pytest.mark.parametrize(
    "raw", [b"[align]\nthreshold = 0.5 # caf\xe9\n", "[align]\nthreshold = 0.5\n".encode("utf-16")]
)
def test_a_settings_file_that_is_not_utf8_is_a_config_error(tmp_path, raw):
    path = tmp_path / "latin.toml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError, match=r"latin\.toml is not UTF-8 text \(byte 0x"):
        load_settings(path)


def test_overrides_refuse_nan_too():
    with pytest.raises(ConfigError, match="align.threshold must be a finite number"):
        load_settings().with_overrides({"align.threshold": float("nan")})
