"""Reading the reference data shipped in warmonitor/data (lexicons, registries, cue lists).

One place for how data files are found and parsed, so every loader reports a broken file the
same way: ReferenceDataError naming the file and line.
"""
from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Iterator

from .errors import ReferenceDataError


def data_text(name: str) -> str:
    """A shipped data file's text (warmonitor/data/NAME)."""
    return resources.files("warmonitor.data").joinpath(name).read_text("utf-8")


def data_toml(name: str) -> dict:
    try:
        return tomllib.loads(data_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"{name}: {exc}") from exc


def jsonl_records(text: str, name: str) -> Iterator[tuple[str, dict]]:
    """(where, record) for each non-blank, non-comment line of a JSON Lines text; where = 'name:line'."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReferenceDataError(f"{where}: invalid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise ReferenceDataError(f"{where}: expected a JSON object")
        yield where, record


def shipped_or_file(name: str, path: str | Path | None) -> tuple[str, str]:
    """(text, name for messages) of a user's file when given, else of the shipped one."""
    if path is None:
        return data_text(name), name
    try:
        return Path(path).read_text("utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}: cannot read this {name}-style file ({exc.__class__.__name__}: {exc})") from exc
