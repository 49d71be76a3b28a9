"""The report around a sentence: its countries, its dominant armed group, and the state that runs
from sentence to sentence (the place in scope, the last actor, the last source)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..records import Actor, Attribution, PlaceMention, TimeSpan
from ..nlp import tagged
from ..resolve.places import is_dateline
from ..resolve.gazetteer import is_own_name


@dataclass
class ReportState:
    focus: tuple[str, ...]
    dominant_rebel: Actor | None
    named_sources: set[str]
    scope: PlaceMention | None = None
    last_actor1: Actor | None = None
    last_attribution: Attribution | None = None
    scope_time: TimeSpan | None = None
    places: dict = field(default_factory=dict)  # sentence start -> its resolved PlaceSpans (document_places)



def country_name(resources, code: str | None) -> str | None:
    if not code:
        return None
    place = resources.gazetteer.country(code)
    return place.country if place else None


def focus_countries(doc, report, resources) -> tuple[str, ...]:
    """The report's countries, most named first. Strong signals decide: country and province names,
    cities named exactly, the report's own actors and a national publisher. Small towns and demonyms
    ("Russian warplanes" says who attacked, not where) only decide when there is no strong signal."""
    strong: Counter = Counter()
    weak: Counter = Counter()
    gaz = resources.gazetteer
    for span in doc.spans.get("wm_places", []):
        if is_dateline(span):
            continue
        candidates = gaz.candidates(span.text)
        ranked = gaz.rank(candidates, text=span.text)
        if not ranked:
            continue
        best = ranked[0]
        if best.feature in ("country", "admin1"):
            strong[best.country_code] += 2
        elif best.population > 50_000 and gaz.is_exact(span.text) and is_own_name(span.text, best):
            strong[best.country_code] += 1  # a town is a weaker sign than a country or a province
        elif len({p.country_code for p in candidates}) == 1:
            weak[best.country_code] += 1  # a small town only one country has
    for token in doc:
        if (token.pos_ in ("ADJ", "PROPN") or not tagged(doc)) and token.text[:1].isupper():
            code = gaz.countries_by_demonym(token.text)
            if code:
                weak[code] += 0.5
    for span in doc.spans.get("wm_actors", []):
        # a name that means an actor only in reports on its own country ("separatists") tells no country
        entries = resources.actors.local_only(span.text, resources.actors.names.get(span.text) or (), None)
        # foreign forces (inter 8) act abroad: they say nothing of where the report is; nor does a name
        # several countries' groups share ("Islamic State")
        if entries and entries[0].actor.country and entries[0].actor.inter != 8 \
                and len({e.actor.country for e in entries}) == 1:
            strong[entries[0].actor.country] += 1
    source = resources.sources.by_name(report.publisher) if report.publisher else None
    if source is not None and source.country:
        strong[source.country] += 3  # a national monitor or agency reports on its own country
    counts = strong or weak
    if strong:
        for code, n in weak.items():
            if code in strong:
                strong[code] += n / 10  # tie-breakers among the strong countries
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(code for code, n in counts.most_common() if n * 2 >= top)[:3]


def dominant_rebel(doc, resources, day: date | None) -> Actor | None:
    counts: Counter[str] = Counter()
    actors: dict[str, Actor] = {}
    for span in doc.spans.get("wm_actors", []):
        entries = resources.actors.local_only(span.text, resources.actors.names.get(span.text) or (), None)
        if entries:
            actor = resources.actors.resolve(entries, day)
            if actor.inter in (2, 3):
                counts[actor.name] += 1
                actors.setdefault(actor.name, actor)
    return actors[counts.most_common(1)[0][0]] if counts else None


def country_place(resources, state: ReportState) -> PlaceMention | None:
    country = resources.gazetteer.country(state.focus[0]) if state.focus else None
    if country is None:
        return None
    return PlaceMention(text=country.name, start=-1, end=-1, place=country, geo_precision=3,
                        why="no place named: the report's country")
