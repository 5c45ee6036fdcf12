"""The package version, in one place (the report's ``tool.version`` reads it)."""

__version__ = "0.1.0"
