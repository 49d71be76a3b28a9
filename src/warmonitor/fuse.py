"""Fusion within one report: mentions -> Events, figure drafts -> Figures, territorial events -> ControlChanges.

The merge rule (ACLED: one event per type, actor pair, location and day), applied in reading order:
a coded mention joins an earlier event when
  - the sub-event type and the country are the same,
  - the places are the same gazetteer entry, or one is the province or the country the other lies
    in, or they share a province while either is told only roughly (geo_precision 2 or 3), or neither
    has a place,
  - the date windows [date_start, date_end] overlap,
  - the actors do not contradict: where both name an actor1, one's is among the other's actors.
A headline's mention joins a body event of its type in the same country whatever its date (a
headline sums up the story); only when the body has no such event does it stand alone.
The event keeps the most precise place and date among its mentions, every source, and the most
conservative (lowest) fatality count that any mention states; the other counts stay figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from math import radians

from .records import (Actor, ControlChange, Event, Evidence, Extraction, Figure, Mention, PlaceMention, Report,
                      TimeSpan)
from .resolve.gazetteer import haversine_km

TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                       "Non-violent transfer of territory"})
FIGURE_METRICS = frozenset({"killed", "injured", "displaced", "detained", "strikes", "casualties", "vehicles"})
SAME_TOWN_KM = 20.0
TOWN_VICINITY = frozenset({"outskirts", "edge", "outside", "near", "around", "vicinity", "suburbs", "gates", "entrance"})
AREA_WORDS = frozenset({"countryside", "countrysides", "region", "province", "desert", "plain", "mountains"})
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"})
NOT_NEWS = frozenset({"historical", "hypothetical", "intended", "negated", "denied"})


@dataclass
class _Group:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    def place(self) -> PlaceMention | None:
        """The most precise place the body gives (a headline's place only when the body gives none)."""
        body = [m for m in self.mentions if not m.headline] or self.mentions
        placed = [m.places[0] for m in body if m.places and m.places[0].place is not None]
        return min(placed, key=lambda p: (p.geo_precision or 9, p.place.feature == "country")) if placed else None

    def time(self) -> TimeSpan | None:
        """The most precise date, a stated one ("on Sunday") before the publication-day default."""
        timed = [m.time for m in self.mentions if m.time is not None and m.time.date is not None]
        if not timed:
            return self.first.time
        return min(timed, key=lambda t: (t.precision or 9, t.text is None))

    def actors(self, role: str) -> list:
        """The group's actors in a role, the body's first; a headline's only when the body names none."""
        body = [m for m in self.mentions if not m.headline]
        named = self._actors(role, body)
        if named or len(body) == len(self.mentions):
            return named
        elsewhere = {a.actor.name for m in body for a in m.actors}  # the body gives them another role
        return [a for a in self._actors(role, self.mentions) if a.name not in elsewhere]

    @staticmethod
    def _actors(role: str, mentions: list) -> list:
        names, out = set(), []
        for mention in mentions:
            for actor in mention.actors:
                if actor.role == role and actor.actor.name not in names:
                    names.add(actor.actor.name)
                    out.append(actor.actor)
        return out


def _window(time: TimeSpan | None) -> tuple[date | None, date | None]:
    if time is None:
        return None, None
    return time.start or time.date, time.end or time.date


def _overlap(a: TimeSpan | None, b: TimeSpan | None) -> bool:
    (s1, e1), (s2, e2) = _window(a), _window(b)
    if None in (s1, e1, s2, e2):
        return s1 is None and s2 is None
    return s1 <= e2 and s2 <= e1


def _places_compatible(a: PlaceMention | None, b: PlaceMention | None) -> bool:
    if a is None or b is None or a.place is None or b.place is None:
        return a is None and b is None
    if a.place.id == b.place.id:
        return True
    if a.place.country_code != b.place.country_code:
        return False
    if a.place.feature == "country" or b.place.feature == "country":
        return True  # "in Syria" and "in Aleppo" can be one event, told less and more precisely
    # a province and a town in it can be one event; so can two places in one province when either
    # is told only roughly ("near El Fasher", "the Hama countryside")
    for area, town in ((a, b), (b, a)):
        if area.place.feature == "admin1" and town.place.admin1 == area.place.name:
            return True
    imprecise = (a.geo_precision or 1) >= 2 or (b.geo_precision or 1) >= 2
    if not (imprecise and a.place.admin1 is not None and a.place.admin1 == b.place.admin1):
        return False
    # "the outskirts of Khiam" is still Khiam: a town's close vicinity does not stand for its province
    return not (_town_vicinity(a) or _town_vicinity(b)) or _km(a.place, b.place) <= SAME_TOWN_KM


def _town_vicinity(mention: PlaceMention) -> bool:
    words = set((mention.qualifier or "").split())
    return mention.geo_precision == 2 and bool(words & TOWN_VICINITY) and not words & AREA_WORDS


def _km(a, b) -> float:
    return haversine_km(*map(radians, (a.latitude, a.longitude, b.latitude, b.longitude)))


def _actors_compatible(mention: Mention, group: _Group) -> bool:
    mine = {a.actor.name for a in mention.actors if a.role == "actor1"}
    theirs = {a.name for a in group.actors("actor1")}
    if not mine or not theirs:
        return True
    everyone = {a.actor.name for m in group.mentions for a in m.actors}
    return bool(mine & everyone) or bool(theirs & {a.actor.name for a in mention.actors})


def _joins(mention: Mention, group: _Group) -> bool:
    first = group.first
    place = mention.places[0] if mention.places else None
    other = group.place()
    return (mention.sub_event_type == first.sub_event_type
            and _places_compatible(place, other)
            and _overlap(mention.time, group.time())
            and _actors_compatible(mention, group))


ATTACKS = frozenset({"Battles", "Violence against civilians"})  # a headline's "attack" may be the body's clash


def _summarises(mention: Mention, group: _Group) -> bool:
    """A headline sums up the body: it joins a body event of its kind in the same country,
    whatever its own (publication-day) date and its vaguer place."""
    place, other = (mention.places[0] if mention.places else None), group.place()
    same_country = place is None or other is None or place.place is None or other.place is None \
        or place.place.country_code == other.place.country_code
    same_kind = mention.sub_event_type == group.first.sub_event_type or (
        mention.event_type in ATTACKS and group.first.event_type in ATTACKS)
    return same_kind and same_country and _actors_compatible(mention, group)


def _tells_the_toll(mention: Mention, group: _Group) -> bool:
    """'At least five people were shot dead in the capital': a toll with no perpetrator of its own
    belongs to the violent event told at that place and time."""
    if not mention.why.startswith("toll:") or group.first.event_type not in VIOLENT_TYPES:
        return False
    place = mention.places[0] if mention.places else None
    return _places_compatible(place, group.place()) and _overlap(mention.time, group.time())


def _retells(mention: Mention, group: _Group) -> bool:
    """'The army said it had struck a gathering of terrorists in the area': a generic verb placed only by
    'the area' retells the violent event told there, whatever sub-type that event has."""
    if not mention.vague or group.first.event_type not in VIOLENT_TYPES:
        return False
    place = mention.places[0] if mention.places else None
    return _places_compatible(place, group.place()) and _overlap(mention.time, group.time()) \
        and _actors_compatible(mention, group)


def group_mentions(mentions: list[Mention]) -> list[_Group]:
    groups: list[_Group] = []
    for mention in [m for m in mentions if m.coded and not m.headline]:
        for group in groups:
            if _joins(mention, group) or _tells_the_toll(mention, group) or _retells(mention, group):
                group.mentions.append(mention)
                break
        else:
            groups.append(_Group([mention]))
    for mention in [m for m in mentions if m.coded and m.headline]:
        for group in groups:
            if not group.first.headline and (_joins(mention, group) or _summarises(mention, group)):
                group.mentions.append(mention)
                break
        else:
            groups.append(_Group([mention]))
    groups = _merge_parts(groups)
    groups.sort(key=lambda g: min(m.sentence for m in g.mentions))
    return groups


#: What an event of a kind may hold as its parts when one sentence tells both: police who arrest or
#: kill at a protest make it a protest with intervention or excessive force, not a second event; a
#: riot's storming, burning and beating are the riot; a massacre's burning of houses is the massacre.
PARTS_OF = {
    "Protests": frozenset({"Arrests", "Attack", "Looting/property destruction", "Armed clash",
                           "Non-state actor overtakes territory", "Abduction/forced disappearance", "Other"}),
    "Riots": frozenset({"Arrests", "Attack", "Looting/property destruction", "Armed clash",
                        "Non-state actor overtakes territory", "Headquarters or base established",
                        "Abduction/forced disappearance", "Other"}),
    "Battles": frozenset({"Looting/property destruction"}),
    "Explosions/Remote violence": frozenset({"Looting/property destruction"}),
    "Violence against civilians": frozenset({"Looting/property destruction"}),
    # by sub-event type: "signed an agreement to merge their forces" is the agreement; "handed the town
    # back under a deal" is the handover
    "Agreement": frozenset({"Change to group/activity"}),
    # "a suicide bomber opened fire and then blew himself up": one suicide bombing
    "Suicide bomb": frozenset({"Attack", "Armed clash"}),
    "Non-violent transfer of territory": frozenset({"Agreement", "Change to group/activity"}),
}


def _parts(host: Mention) -> frozenset[str]:
    return PARTS_OF.get(host.sub_event_type, frozenset()) | PARTS_OF.get(host.event_type, frozenset())


def _merge_parts(groups: list[_Group]) -> list[_Group]:
    """Fold a group whose mentions all stand in sentences of another group, and whose kind is a part of
    that group's kind (PARTS_OF), into it."""
    merged: list[_Group] = []
    hosts_first = {"Protests": 0, "Riots": 0, "Battles": 1, "Explosions/Remote violence": 1,
                   "Violence against civilians": 1, "Non-violent transfer of territory": 2, "Agreement": 3}
    for group in sorted(groups, key=lambda g: hosts_first.get(g.first.event_type,
                                                              hosts_first.get(g.first.sub_event_type, 4))):
        sentences = {m.sentence for m in group.mentions}
        host = next((h for h in merged
                     if group.first.sub_event_type in _parts(h.first)
                     and h.first.sub_event_type != group.first.sub_event_type
                     and sentences <= {m.sentence for m in h.mentions}
                     and not any(m.headline for m in group.mentions)
                     and _places_compatible(group.place(), h.place())
                     and _overlap(group.time(), h.time())), None)
        if host is not None:
            host.mentions.extend(group.mentions)
        else:
            merged.append(group)
    return merged


def _evidence(mention: Mention, report: Report) -> Evidence:
    return Evidence(report=report.id, sentence=mention.sentence, start=mention.start, end=mention.end,
                    text=mention.sentence_text, attributed_to=mention.attribution.source if mention.attribution else None,
                    modality=mention.modality, url=report.url)


def _fatalities(group: _Group) -> int:
    counts = []
    for mention in group.mentions:
        killed = [q for q in mention.quantities if q.metric == "killed" and not q.subset and not q.running]
        if killed:
            tolls = [q.value for q in killed if "toll" in q.text.lower()]
            counts.append(max(tolls) if tolls else sum(q.value for q in killed))
    return min(counts) if counts else 0


def _named_speaker(text: str) -> bool:
    """'regional governor Serhiy Lysak', 'the Kurdish-led Syrian Democratic Forces': a speaker with a name."""
    words = text.split()
    return any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper())


def _sources(group: _Group, report: Report, known: dict[str, str | None]) -> tuple[tuple[str, ...], str | None]:
    """Who reported the event: the known sources and named speakers behind its mentions, then the publisher."""
    names: list[str] = []
    for mention in group.mentions:
        source = mention.attribution.source if mention.attribution else None
        if source and (source in known or _named_speaker(source)) and source not in names:
            names.append(source)
        via = mention.attribution.via if mention.attribution else None
        if via and via not in names:
            names.append(via)  # "told AFP": the outlet on record
    if report.publisher and report.publisher not in names:
        names.append(report.publisher)
    scales = []
    for name in names:
        scale = known.get(name)
        if scale and scale not in scales:
            scales.append(scale)
    return tuple(names), "-".join(scales) or None


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def _confidence(group: _Group, place: PlaceMention | None, time: TimeSpan | None, weights: dict) -> float:
    score = weights["base"] + weights["per_extra_mention"] * (len(group.mentions) - 1)
    if any(a.actor.inter != 7 and not a.actor.name.startswith("Unidentified") for m in group.mentions for a in m.actors):
        score += weights["named_actor"]
    if place is not None and place.geo_precision == 1:
        score += weights["precise_place"]
    elif place is not None and place.geo_precision == 2:
        score += weights["precise_place"] / 2
    if any(m.attribution for m in group.mentions):
        score += weights["attributed"]
    if time is not None and time.precision == 1:
        score += weights["exact_date"]
    return round(min(weights["maximum"], score), 2)


def _notes(sub: str, actor1, actor2, location: str | None, day: date | None, sources) -> str:
    who = actor1.name if actor1 else "Unidentified actor"
    against = f" against {actor2.name}" if actor2 else ""
    where = f" in {location}" if location else ""
    when = f"On {day.isoformat()}, " if day else ""
    said = f" (per {', '.join(sources)})" if sources else ""
    return f"{when}{who}: {sub.lower()}{against}{where}{said}."


#: kinds of event that always have a perpetrator, unidentified when the report names none
UNCLAIMED_KINDS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Attack",
                             "Abduction/forced disappearance", "Sexual violence"})


def build_event(group: _Group, report: Report, known_sources: dict[str, str | None], weights: dict) -> Event:
    place_mention = group.place()
    place = place_mention.place if place_mention else None
    time = group.time()
    firsts, seconds = group.actors("actor1"), group.actors("actor2")
    seconds = [a for a in seconds if a.name not in {f.name for f in firsts}]
    if group.first.event_type in ("Protests", "Riots") and len({m.sub_event_type for m in group.mentions}) > 1:
        # parts told by other triggers ("police opened fire on residents ..., killing one"): the crowd is
        # actor1, whoever acted against it actor2; residents named as targets are the crowd itself
        everyone = firsts + seconds
        crowd = [a for a in everyone if a.inter in (5, 6)]
        firsts = crowd[:1] or firsts[:1]
        victims_count = group.first.sub_event_type == "Mob violence"
        seconds = [a for a in everyone if a not in firsts and (a.inter != 7 or victims_count) and a.inter not in (5, 6)]
    if group.first.sub_event_type == "Peaceful protest":
        seconds = []  # a peaceful protest has no other side; police who act make it an intervention
    if group.first.sub_event_type == "Armed clash" and not seconds and len(firsts) > 1:
        # "Ukrainian and Russian troops fought", "Taliban and NRF fighters clashed": the sides fought each other
        firsts, seconds = firsts[:1], firsts[1:2]
    actor1 = firsts[0] if firsts else None
    actor2 = seconds[0] if seconds else None
    sub = group.first.sub_event_type
    if actor1 is None and sub in UNCLAIMED_KINDS and place is not None and place.country:
        # a bomb or a killing nobody is named for: ACLED's unidentified armed group of the country
        actor1 = Actor(name=f"Unidentified Armed Group ({place.country})", inter=3, country=None)
    sources, scale = _sources(group, report, known_sources)
    location = (place_mention.label or place.name) if place is not None else None
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else None
    return Event(
        event_date=time.date if time else None, date_start=time.start if time else None,
        date_end=time.end if time else None, time_precision=time.precision if time else None,
        event_type=group.first.event_type, sub_event_type=sub,
        actor1=actor1.name if actor1 else None, assoc_actor_1=tuple(a.name for a in firsts[1:]), inter1=inter1,
        actor2=actor2.name if actor2 else None, assoc_actor_2=tuple(a.name for a in seconds[1:]), inter2=inter2,
        interaction=_interaction(inter1, inter2),
        civilian_targeting="Civilian targeting" if inter2 == 7 else None,
        country=place.country if place else None, iso3=place.iso3 if place else None,
        admin1=place.admin1 if place and place.feature != "admin1" else (place.name if place else None),
        admin2=place.admin2 if place else None, admin3=None, location=location,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=place_mention.geo_precision if place_mention else None,
        fatalities=_fatalities(group), source=sources, source_scale=scale,
        notes=_notes(sub, actor1, actor2, location, time.date if time else None, sources),
        confidence=_confidence(group, place_mention, time, weights),
        evidence=tuple(_evidence(m, report) for m in group.mentions))


def names_a_town(event: Event, place: PlaceMention | None) -> bool:
    """Whether an event's location is one named town: the town itself (precision 1), or a town the
    gazetteer lacks, placed at the town the text names beside it (its label is its own name)."""
    if place is None or place.place is None or not event.location:
        return False
    return event.geo_precision == 1 or (place.place.id.startswith("unresolved:") and event.location == place.place.name)


def control_changes(events: list[Event], places: list[PlaceMention | None]) -> list[ControlChange]:
    """A territorial event at a named town says who holds it now."""
    changes = []
    for event, place in zip(events, places):
        if event.sub_event_type in TERRITORY and names_a_town(event, place) and event.actor1:
            changes.append(ControlChange(place=event.location, admin1=event.admin1, country=event.country,
                                         latitude=event.latitude, longitude=event.longitude,
                                         controller=event.actor1, previous_controller=event.actor2,
                                         date=event.event_date, date_start=event.date_start,
                                         date_end=event.date_end, evidence=event.evidence))
    return changes


def build_figures(drafts, report: Report) -> list[Figure]:
    figures, seen = [], set()
    for draft in drafts:
        quantity = draft.quantity
        if quantity.metric not in FIGURE_METRICS or draft.modality in NOT_NEWS:
            continue
        key = (quantity.metric, quantity.value, draft.sentence, quantity.start)
        if key in seen:
            continue
        seen.add(key)
        place = draft.place.place if draft.place is not None else None
        period = draft.time
        attributed = draft.attribution.source if draft.attribution else None
        evidence = Evidence(report=report.id, sentence=draft.sentence, start=draft.sentence_start,
                            end=draft.sentence_start + len(draft.sentence_text), text=draft.sentence_text,
                            attributed_to=attributed, modality=draft.modality, url=report.url)
        figures.append(Figure(metric=quantity.metric, value=quantity.value, low=quantity.low, high=quantity.high,
                              unit=quantity.unit, text=quantity.text, place=place.name if place else None,
                              admin1=(place.admin1 or (place.name if place.feature == "admin1" else None)) if place else None,
                              country=place.country if place else None,
                              period_start=period.start if period else None, period_end=period.end if period else None,
                              attributed_to=attributed, reported_by=report.publisher, report=report.id,
                              evidence=(evidence,)))
    return figures


def fuse_report(report: Report, mentions: list[Mention], drafts, *, known_sources: dict[str, str | None],
                weights: dict) -> Extraction:
    groups = group_mentions(mentions)
    pairs = [(build_event(g, report, known_sources, weights), g.place()) for g in groups]
    # most confident first (a stable sort: reading order among equals)
    pairs.sort(key=lambda pair: -pair[0].confidence)
    events = [event for event, _ in pairs]
    return Extraction(report=report, events=tuple(events), figures=tuple(build_figures(drafts, report)),
                      control_changes=tuple(control_changes(events, [place for _, place in pairs])),
                      mentions=tuple(mentions))
