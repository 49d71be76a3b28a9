"""The store's typed records: what its queries return (reports, fused events, map cells, control
histories, figures, skipped inputs). Importable from `warmonitor.store` too."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..records import Event


@dataclass(frozen=True, kw_only=True)
class StoredReport:
    id: str
    url: str | None
    title: str | None
    publisher: str | None
    published: date | None
    chars: int
    origin: str | None
    ingested_at: datetime
    events: int


@dataclass(frozen=True, kw_only=True)
class StoredEvent:
    """An event as stored: its id in the store, the report it was found in, and the event itself (its
    evidence filled by `Store.event`, empty in lists)."""

    id: str  # the cluster's id: its smallest member's
    report_id: str  # the report whose telling gives the place and date
    event: Event
    members: tuple[str, ...] = ()  # the stored events of each report that told it
    reports: int = 1  # how many reports tell it (corroboration)
    fatality_claims: tuple[tuple[str, int], ...] = ()  # (report id, fatalities) of each telling, kept beside the count


@dataclass(frozen=True, kw_only=True)
class MapCell:
    """The fused events placed in one cell of a map grid: how many, where on average, how many of each
    event type, and, for a cell of one event, that event's id and place name."""

    latitude: float
    longitude: float
    count: int
    types: dict[str, int]
    event: str | None = None
    location: str | None = None


@dataclass(frozen=True, kw_only=True)
class StoredControlChange:
    """One control change as a report told it, with the report's id, publisher and the sentence."""

    place: str
    admin1: str | None
    country: str | None
    controller: str
    previous_controller: str | None
    date: date | None
    report_id: str
    publisher: str | None
    published: date | None
    sentence: str | None
    contested: bool = False  # another report gives the same place and day to someone else
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, kw_only=True)
class ControlDenial:
    """A report's denial that a place changed hands ("the army denied that the rebels had entered ...")."""

    place: str
    claim: str  # the sub-event type denied: "Non-state actor overtakes territory", ...
    date: date | None
    report_id: str
    publisher: str | None
    attributed_to: str | None
    sentence: str


@dataclass(frozen=True, kw_only=True)
class ControlHistory:
    place: str
    changes: tuple[StoredControlChange, ...]  # oldest first
    denials: tuple[ControlDenial, ...] = ()  # kept beside the changes, never silently dropped or applied

    def controller_on(self, day: date) -> str | None:
        """Who held the place on `day`: the last change dated on or before it, or before the first
        change the side that lost it (None: nothing known)."""
        dated = [c for c in self.changes if c.date is not None]
        held = [c for c in dated if c.date <= day]
        if held:
            return held[-1].controller
        return dated[0].previous_controller if dated else None  # before the first change: who lost it

    def holder(self, day: date | None = None) -> str | None:
        """Who held the place on `day`, or now (the latest change) when no day is given."""
        if day is not None:
            return self.controller_on(day)
        return self.current.controller if self.current else None

    @property
    def current(self) -> StoredControlChange | None:
        dated = [c for c in self.changes if c.date is not None]
        return dated[-1] if dated else (self.changes[-1] if self.changes else None)


@dataclass(frozen=True, kw_only=True)
class StoredFigure:
    """A figure as one source gave it (the latest of that source for the scope when listed by `figures`)."""

    metric: str
    value: int
    low: int | None
    high: int | None
    place: str | None
    admin1: str | None
    country: str | None
    attributed_to: str | None
    reported_by: str | None
    period_end: date | None
    published: date | None
    report_id: str
    sentence: str | None


@dataclass(frozen=True, kw_only=True)
class SkippedInput:
    origin: str
    reason: str
    at: datetime
