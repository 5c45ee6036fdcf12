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


@pytest.mark.parametrize("body, message", [
    ("[align]\nthreshold = nan\n", "align.threshold must be a finite number, got nan"),
    ("[fetch]\ntotal_timeout = nan\n", "fetch.total_timeout must be a finite number"),
    ("[fetch]\ntotal_timeout = inf\n", "fetch.total_timeout must be a finite number, got inf"),
    ("[facts]\nabout_band = -inf\n", "facts.about_band must be a finite number"),
    ("[fetch]\nread_timeout = 1e12\n", "fetch.read_timeout must be between 0.1 and 86400"),
    ("[store]\ndata_dir = \"\"\n", "store.data_dir must not be empty"),
    ("[store]\ndata_dir = \"   \"\n", "store.data_dir must not be empty"),
    ("[embed]\nmodel = \"\"\n", "embed.model must not be empty"),
    ("[fetch]\nuser_agent = \"Crosscheck\\r\\nX-Evil: 1\"\n",
     "fetch.user_agent must not contain control characters"),
    ("[facts.extra_places]\n\"Deir ez-Zor\" = \"Asia/Nowhere\"\n",
     "facts.extra_places.'Deir ez-Zor' must be an IANA time zone"),
    ("[facts.extra_places]\nMayadin = 3\n", "facts.extra_places.Mayadin must be a string"),
    ("[facts.extra_places]\nMayadin = \"../../etc/passwd\"\n",
     "facts.extra_places.Mayadin must be an IANA time zone"),
    ("[facts.extra_places]\n\"--\" = \"Asia/Damascus\"\n",
     "facts.extra_places has an entry with no usable name"),
    ("[facts.aliases]\nHizbullah = 7\n", "facts.aliases.Hizbullah must be a string"),
    ("[facts.aliases]\nHizbullah = \"  \"\n", "facts.aliases.Hizbullah must be a name"),
    ("[facts.aliases.Hizbullah]\nx = \"y\"\n", "facts.aliases.Hizbullah must be a string"),
])
def test_values_toml_allows_but_no_setting_can_use_are_refused(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(path)


def test_good_open_tables_and_a_utf8_bom_are_accepted(tmp_path):
    path = tmp_path / "good.toml"
    path.write_bytes("\ufeff[facts.extra_places]\n\"Deir ez-Zor\" = \"Asia/Damascus\"\n"
                     "[facts.aliases]\n\"Kata'ib Hizbullah\" = \"Kataib Hezbollah\"\n"
                     .encode("utf-8"))
    s = load_settings(path)
    assert s.facts.extra_places == {"Deir ez-Zor": "Asia/Damascus"}
    assert s.facts.aliases == {"Kata'ib Hizbullah": "Kataib Hezbollah"}


@pytest.mark.parametrize("raw", [b"[align]\nthreshold = 0.5 # caf\xe9\n",
                                 "[align]\nthreshold = 0.5\n".encode("utf-16")])
def test_a_settings_file_that_is_not_utf8_is_a_config_error(tmp_path, raw):
    path = tmp_path / "latin.toml"
    path.write_bytes(raw)
    with pytest.raises(ConfigError, match=r"latin\.toml is not UTF-8 text \(byte 0x"):
        load_settings(path)


def test_overrides_refuse_nan_too():
    with pytest.raises(ConfigError, match="align.threshold must be a finite number"):
        load_settings().with_overrides({"align.threshold": float("nan")})
