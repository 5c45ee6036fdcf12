"""Settings: a commented defaults file (``defaults.toml``) and its loader."""
from config.loader import DEFAULTS_PATH, Settings, load_settings, setting_help

__all__ = ["DEFAULTS_PATH", "Settings", "load_settings", "setting_help"]
