"""The actor registry: named actors (data/actors.jsonl) and generic nouns (data/generic_actors.toml).

Named actors carry ACLED-style canonical names, inter codes, a country and, where the name changes
with time, an active period ("Military Forces of Syria (2000-2024)" until 2024-12-08). Generic nouns
("gunmen", "army troops", "villagers") become ACLED's generic actors for a country:
"Unidentified Armed Group (Syria)", "Military Forces of Syria (...)", "Civilians (Syria)".
Users extend either file without touching code (WARMONITOR_ACTORS points at an extra JSONL file).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ReferenceDataError
from ..extraction.phrases import PhraseIndex
from ..refdata import jsonl_records, shipped_or_file
from ..records import Actor

INTER_CODES = {1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
               5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"}


@dataclass(frozen=True)
class NamedActor:
    actor: Actor
    active_from: date | None
    active_to: date | None
    local_aliases: tuple[str, ...] = ()  # names that mean this actor only in reports on its own country

    def active_on(self, day: date | None) -> bool:
        if day is None:
            return self.active_to is None  # without a date, the current name
        return (self.active_from is None or day >= self.active_from) and (self.active_to is None or day < self.active_to)


@dataclass(frozen=True)
class GenericClass:
    kind: str
    name: str  # with {country}
    inter: int


def without_period(name: str) -> str:
    """'Military Forces of Syria (2000-2024)' -> 'Military Forces of Syria'."""
    return re.sub(r"\s*\(\d{4}-(\d{4})?\)$", "", name)


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)) if len(str(value)) > 4 else date(int(value), 1, 1)


def _parse_actor_line(raw: dict, where: str) -> NamedActor:
    try:
        inter = int(raw["inter"])
        if inter not in INTER_CODES:
            raise ReferenceDataError(f"{where}: inter code {inter} is not 1-8")
        actor = Actor(name=raw["name"], inter=inter, country=raw.get("country"),
                      aliases=tuple(raw.get("aliases", ())), parent=raw.get("parent"))
        return NamedActor(actor, _day(raw.get("active_from")), _day(raw.get("active_to")),
                          tuple(raw.get("local_aliases", ())))
    except KeyError as exc:
        raise ReferenceDataError(f"{where}: missing key {exc}") from exc
    except ValueError as exc:
        raise ReferenceDataError(f"{where}: {exc}") from exc


class ActorRegistry:
    """Look-up of actor names and generic nouns; built once, then read-only."""

    def __init__(self, named: list[NamedActor], generic: list[GenericClass], generic_nouns: dict[str, list[str]]):
        self.named = named
        self.names = PhraseIndex[tuple[NamedActor, ...]]()
        grouped: dict[tuple[str, ...], list[NamedActor]] = {}
        from ..extraction.phrases import words_of
        # words -> entries that take them only in reports on their own country ("separatists" in Cameroon)
        self._local: dict[tuple[str, ...], set[str]] = {}
        for entry in named:
            for alias in (entry.actor.name, *entry.actor.aliases, *entry.local_aliases):
                group = grouped.setdefault(tuple(words_of(alias)), [])
                if entry not in group:
                    group.append(entry)
            for alias in entry.local_aliases:
                self._local.setdefault(tuple(words_of(alias)), set()).add(entry.actor.name)
        for entry in named:
            for alias in (entry.actor.name, *entry.actor.aliases, *entry.local_aliases):
                self.names.add(alias, tuple(grouped[tuple(words_of(alias))]))
        self.generic_classes = {g.kind: g for g in generic}
        self.generic = PhraseIndex[GenericClass]()
        for kind, nouns in generic_nouns.items():
            for noun in nouns:
                self.generic.add(noun, self.generic_classes[kind])

    @classmethod
    def load(cls, actors_path: str | Path | None = None, generic_path: str | Path | None = None) -> "ActorRegistry":
        files = [shipped_or_file("actors.jsonl", None)]
        extra = actors_path or os.environ.get("WARMONITOR_ACTORS")
        if extra:
            files.append(shipped_or_file("actors.jsonl", extra))
        named = [_parse_actor_line(raw, where) for text, name in files for where, raw in jsonl_records(text, name)]
        text, name = shipped_or_file("generic_actors.toml", generic_path)
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ReferenceDataError(f"{name}: {exc}") from exc
        generic = [GenericClass(kind, spec["name"], int(spec["inter"])) for kind, spec in raw.items()]
        return cls(named, generic, {kind: list(spec["nouns"]) for kind, spec in raw.items()})

    def local_only(self, text: str, entries: tuple[NamedActor, ...], country: str | None) -> tuple[NamedActor, ...]:
        """The entries a matched text may mean in a report on `country`: a local alias ("separatists")
        names its actor only in reports on the actor's own country; elsewhere it names nobody here."""
        from ..extraction.phrases import words_of
        local = self._local.get(tuple(words_of(text)))
        if not local:
            return entries
        return tuple(e for e in entries if e.actor.name not in local or (country and e.actor.country == country))

    def resolve(self, entries: tuple[NamedActor, ...], day: date | None, country: str | None = None) -> Actor:
        """The registry entry a matched name means on a day (and, when ambiguous, in a country).
        Without a date, a name that changes with time is given without its period ("Military Forces
        of Syria"): the clock is no evidence of when a report was written."""
        if day is None and any(e.active_from or e.active_to for e in entries):
            first = entries[0].actor
            return Actor(name=without_period(first.name), inter=first.inter, country=first.country,
                         aliases=first.aliases, parent=first.parent)
        active = [e for e in entries if e.active_on(day)] or list(entries)
        if country:
            local = [e for e in active if e.actor.country == country]
            active = local or active
        return active[0].actor

    def generic_actor(self, kind: str, country_name: str | None) -> Actor:
        spec = self.generic_classes[kind]
        return Actor(name=spec.name.format(country=country_name or "unknown country"), inter=spec.inter,
                     country=None)

    def state_forces(self, country_code: str, country_name: str, day: date | None) -> Actor:
        """The registry's military of a country on a day, else ACLED's generic pattern."""
        dated = [e for e in self.named if e.actor.country == country_code and e.actor.name.startswith("Military Forces of")]
        if day is None and any(e.active_from or e.active_to for e in dated):
            return Actor(name=without_period(dated[0].actor.name), inter=dated[0].actor.inter, country=country_code)
        for entry in self.named:
            if (entry.actor.country == country_code and entry.actor.inter in (1, 8)
                    and entry.actor.name.startswith("Military Forces of") and entry.active_on(day)):
                return entry.actor
        return Actor(name=f"Military Forces of {country_name}", inter=1, country=country_code)

    def police_forces(self, country_code: str, country_name: str, day: date | None) -> Actor:
        for entry in self.named:
            if (entry.actor.country == country_code and entry.actor.name.startswith("Police Forces of")
                    and entry.active_on(day)):
                return entry.actor
        return Actor(name=f"Police Forces of {country_name}", inter=1, country=country_code)
