"""Settings: defaults load, user files override key by key, mistakes are refused, all documented."""
from __future__ import annotations

import re
import tomllib

import pytest

from config import DEFAULTS_PATH, load_settings, setting_help
from comparer.errors import ConfigError
from tests.conftest import REPO


def _all_keys() -> list[str]:
    data = tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return [f"{section}.{key}" for section, values in data.items() for key in values]


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


@pytest.mark.parametrize("body, message", [
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
])
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


def test_every_range_names_a_real_setting():
    from config.loader import LIMITS

    assert set(LIMITS) <= set(_all_keys())


@pytest.mark.parametrize("key", _all_keys())
def test_every_setting_has_help_and_is_in_the_readme(key):
    assert setting_help().get(key), f"{key} has no comment line in config/defaults.toml"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{key}`" in readme, f"{key} is missing from the README's settings table"
