"""Settings: the shipped defaults (data/defaults.toml) overridden key by key by a user file.

The user file is the path in WARMONITOR_SETTINGS, else ~/.config/warmonitor/settings.toml when it
exists. CLI options override both by passing `overrides`.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import ReferenceDataError
from .refdata import data_toml


def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def user_settings_path() -> Path | None:
    explicit = os.environ.get("WARMONITOR_SETTINGS")
    if explicit:
        return Path(explicit)
    default = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "warmonitor" / "settings.toml"
    return default if default.exists() else None


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The effective settings as nested dicts: defaults < user file < overrides."""
    settings = data_toml("defaults.toml")
    path = user_settings_path()
    if path is not None:
        try:
            settings = _merge(settings, tomllib.loads(path.read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ReferenceDataError(f"settings file {path}: {exc}") from exc
    return _merge(settings, overrides or {})
