"""Every error warmonitor raises on purpose, in one place.

The library raises these; the CLI turns them into messages and exit codes at the edge.
"""
from __future__ import annotations


class WarmonitorError(Exception):
    """Base class: anything warmonitor refuses to do, with a message meant for a person."""


class ReportError(WarmonitorError):
    """An input could not be read as a report (empty, binary, undecodable, malformed JSON)."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ModelError(WarmonitorError):
    """The spaCy pipeline asked for cannot be loaded."""


class ReferenceDataError(WarmonitorError):
    """A shipped or user-supplied data file (lexicon, actor registry, gazetteer) is invalid."""
