"""The vocabulary every stage speaks: Report -> Mention -> Event / Figure / ControlChange.

Records are frozen dataclasses with keyword-only fields. Each stage takes records from the stage
before it and returns new ones; nothing downstream mutates what upstream produced.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

MODALITIES = ("asserted", "reported", "claimed", "denied", "negated", "hypothetical", "intended", "historical")
#: Modalities whose mentions become events; the others are kept as mentions only.
CODED_MODALITIES = frozenset({"asserted", "reported", "claimed"})


def normalise_text(text: str) -> str:
    """The form a report's id is computed from: Unicode line breaks and runs of white space folded."""
    return re.sub(r"\s+", " ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, kw_only=True)
class Report:
    """One document as read from a file, a JSON line or a page."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str = "en"
    retrieved_at: datetime | None = None
    origin: str | None = None  # where it was read from: "reports.jsonl:12", "page.html"

    def __post_init__(self):
        if not self.id:
            object.__setattr__(self, "id", content_hash(self.text))


@dataclass(frozen=True, kw_only=True)
class Skipped:
    """An input that could not be read as a report, and why. Readers yield these instead of raising,
    so that one bad file or line does not stop a batch."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True, kw_only=True)
class TimeSpan:
    """A resolved time expression. precision follows ACLED: 1 day, 2 week or span of days, 3 month."""

    date: date | None
    start: date | None
    end: date | None
    precision: int | None
    text: str | None = None
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class Place:
    """A gazetteer entry. feature is 'city' (a populated place), 'admin1', 'admin2' (a county,
    parish or department), 'country' or 'continent'
    (continents are listed by `warmonitor places` only; no event is placed at one)."""

    id: str
    name: str
    feature: str
    country_code: str
    country: str
    iso3: str
    latitude: float
    longitude: float
    admin1: str | None = None
    admin1_code: str | None = None  # GeoNames' admin-1 code
    admin1_iso: str | None = None  # ISO 3166-2 code of the admin-1 area ("SY-HM"), where pycountry has one
    admin2: str | None = None
    population: int = 0


@dataclass(frozen=True, kw_only=True)
class PlaceMention:
    """A place named in a sentence, resolved (or not) against the gazetteer."""

    text: str
    start: int
    end: int
    place: Place | None
    geo_precision: int | None
    qualifier: str | None = None  # "northern countryside", "near", "province", ...
    label: str | None = None  # how an event's location reads: "northern Hama countryside", "near Hama"
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class Actor:
    """An actor registry entry: ACLED-style canonical name and inter code (1-8)."""

    name: str
    inter: int
    country: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    active_from: int | None = None
    active_to: int | None = None


@dataclass(frozen=True, kw_only=True)
class ActorMention:
    text: str
    start: int
    end: int
    actor: Actor
    role: str  # "actor1", "actor2", "assoc1", "assoc2"
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class Attribution:
    """Who says so: a canonical source name and the words that name it."""

    source: str
    text: str
    scale: str | None = None
    via: str | None = None  # "a military officer told AFP": the outlet that carried the words


@dataclass(frozen=True, kw_only=True)
class Quantity:
    """A number in the text with what it counts: '50,000 people have been displaced'."""

    metric: str
    value: int
    low: int | None
    high: int | None
    text: str
    start: int
    end: int
    unit: str | None = None
    subset: bool = False  # "eight people including three children": the three are among the eight
    running: bool = False  # "raising to 505 the number killed since November": a period's total, not one event's


@dataclass(frozen=True, kw_only=True)
class Evidence:
    report: str
    sentence: int
    start: int
    end: int
    text: str
    attributed_to: str | None
    modality: str
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Mention:
    """One event as one sentence states it."""

    report: str
    sentence: int
    event_type: str
    sub_event_type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    start: int
    end: int
    sentence_text: str
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    time: TimeSpan | None = None
    quantities: tuple[Quantity, ...] = ()
    attribution: Attribution | None = None
    modality: str = "asserted"
    why_not_coded: str | None = None
    why: str = ""
    headline: bool = False  # stated in the report's headline, which sums up what the body tells
    vague: bool = False  # a generic verb ("struck", "targeted") placed only by "the area": likely told before

    @property
    def coded(self) -> bool:
        return self.why_not_coded is None


@dataclass(frozen=True, kw_only=True)
class Event:
    """A coded event with the ACLED column names, its confidence and the evidence behind it."""

    event_date: date | None
    date_start: date | None
    date_end: date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: tuple[str, ...]
    inter1: int | None
    actor2: str | None
    assoc_actor_2: tuple[str, ...]
    inter2: int | None
    interaction: int | None
    civilian_targeting: str | None
    country: str | None
    iso3: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    source: tuple[str, ...]
    source_scale: str | None
    notes: str
    confidence: float
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class Figure:
    metric: str
    value: int
    low: int | None
    high: int | None
    unit: str | None
    text: str
    place: str | None
    admin1: str | None
    country: str | None
    period_start: date | None
    period_end: date | None
    attributed_to: str | None
    reported_by: str | None
    report: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ControlChange:
    place: str
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    controller: str
    previous_controller: str | None
    date: date | None
    date_start: date | None
    date_end: date | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Extraction:
    """Everything `extract` finds in one report: the output contract's top level."""

    report: Report
    events: tuple[Event, ...]
    figures: tuple[Figure, ...]
    control_changes: tuple[ControlChange, ...]
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, kw_only=True)
class ReportPlaces:
    """Every place a report names, resolved: what `warmonitor places` prints."""

    report: Report
    places: tuple[PlaceMention, ...] = ()
