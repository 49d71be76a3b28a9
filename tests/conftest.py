"""Fixtures shared by every test module.

- `shared_dir`: the ../shared folder beside the repository (reference report, evaluation sets and
  tools); tests that need it are skipped when it is absent.
- `pipeline`: one `warmonitor.pipeline.Pipeline` for the whole session, because loading spaCy, the
  gazetteer and the registries is the slow part of every model test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = REPO_ROOT.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"{path} is absent (the shared reference data sits beside the repository)")
    return path


@pytest.fixture(scope="session")
def pipeline():
    from warmonitor.pipeline import Pipeline
    return Pipeline.load()


def shipped_actor_lines() -> list[tuple[int, dict]]:
    """(line number, record) for every actor line of the shipped registry file, comments skipped."""
    import json
    from importlib import resources
    text = resources.files("warmonitor.data").joinpath("actors.jsonl").read_text("utf-8")
    return [(n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]
