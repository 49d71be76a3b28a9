"""The per-report pipeline: Report -> nlp -> mentions -> fused Extraction. A pure function of the
report and the reference data, built once in a `Pipeline` and reused for every report."""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from .extraction.attribution import SourceRegistry
from .extraction.coding import CodingCues
from .extraction.context import focus_countries
from .extraction.mentions import extract_mentions
from .extraction.modality import ModalityCues
from .extraction.quantities import NumberWords
from .extraction.triggers import TriggerLexicon
from .fuse import fuse_report
from .nlp import add_domain_entities, load_nlp, places_pipeline
from .records import Extraction, Place, PlaceMention, Report, ReportPlaces, Skipped
from .refdata import data_text
from .resolve.actors import ActorRegistry
from .resolve.gazetteer import Gazetteer
from .resolve.places import PlaceResolver
from .settings import load_settings

log = logging.getLogger(__name__)


_CALENDAR_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                             "january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december", "jan", "feb", "apr", "jun", "jul",
                             "aug", "sep", "sept", "oct", "nov", "dec", "comments", "state", "president"})


@dataclass
class Resources:
    """Everything extraction reads: built once, shared by every report (and every sentence)."""

    nlp: Language
    gazetteer: Gazetteer
    places: PlaceResolver
    actors: ActorRegistry
    sources: SourceRegistry
    triggers: TriggerLexicon
    modality: ModalityCues
    coding: CodingCues
    numbers: NumberWords
    settings: dict


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` consecutive items (the last one shorter): the batches reports are parsed in."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@functools.lru_cache(maxsize=1)
def _continents() -> tuple[tuple[Place, tuple[str, ...]], ...]:
    rows = []
    for line in data_text("gazetteer/continents.tsv").splitlines():
        if line and not line.startswith("#"):
            code, name, alternates, lat, lon = line.split("\t")[:5]
            place = Place(id=f"continent:{code}", name=name, feature="continent", country_code="", country="",
                          iso3="", latitude=float(lat), longitude=float(lon))
            rows.append((place, (name, *[a for a in alternates.split("|") if a])))
    return tuple(rows)


@functools.lru_cache(maxsize=1)
def _continent_names() -> frozenset[str]:
    return frozenset(n for _, names in _continents() for n in names)


def _occurrences(text: str, name: str):
    """Start offsets of name in text as a whole word."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        yield match.start()


def _word_set(text: str) -> frozenset[str]:
    """The lines of a word-list file, without comments and blank lines."""
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


class Pipeline:
    """`Pipeline.load()` once, then `extract(report)` or `extract_many(reports)`."""

    def __init__(self, resources: Resources):
        self.resources = resources
        self._light: Language | None = None  # places_pipeline(resources.nlp), built on first use
        self._source_scales = {name: source.scale for name, source in resources.sources.sources.items()}

    @classmethod
    def load(cls, *, model: str | None = None, gazetteer: Gazetteer | None = None,
             settings: dict | None = None) -> "Pipeline":
        settings = settings or load_settings()
        nlp = load_nlp(model, fallbacks=settings["nlp"]["models"])
        gazetteer = gazetteer or Gazetteer.load()
        actors = ActorRegistry.load()
        sources = SourceRegistry.load()
        triggers = TriggerLexicon.load()
        stoplist = data_text("place_stoplist.txt")
        stop_words = (frozenset(STOP_WORDS) | _CALENDAR_WORDS | {w for e in triggers.entries for ws in e.words for w in ws}
                      | _word_set(stoplist)
                      | gazetteer.demonyms())  # "a Somali army vehicle" names no place
        add_domain_entities(nlp, actor_names=actors.names, source_names=sources.every_name,
                            is_place=gazetteer.is_known, max_place_tokens=min(gazetteer.max_name_tokens, 6),
                            stop_words=stop_words, common_words=_word_set(data_text("common_place_words.txt")),
                            first_names=_word_set(data_text("first_names.txt")))
        resources = Resources(nlp=nlp, gazetteer=gazetteer, places=PlaceResolver(gazetteer), actors=actors,
                              sources=sources, triggers=triggers, modality=ModalityCues.load(),
                              coding=CodingCues.load(), numbers=NumberWords.load(), settings=settings)
        return cls(resources)

    def extract(self, report: Report) -> Extraction:
        return self._from_doc(self.resources.nlp(report.text), report)

    def extract_many(self, reports: Iterable[Report], *, batch_size: int | None = None) -> Iterator[Extraction | Skipped]:
        """Extract reports in order, parsing them in batches (nlp.pipe). A report whose extraction
        fails comes back as a Skipped naming it and the error; the batch goes on."""
        yield from self._each(reports, self._from_doc, "extraction", batch_size)

    def places(self, report: Report, *, parsed: bool = False) -> ReportPlaces:
        """Every place the report names, resolved with the report's country focus (the geoparser
        events are placed with). By default the text goes through `places_pipeline` (tokens,
        sentences and the gazetteer matcher, no statistical model); parsed=True runs the full
        pipeline `extract` uses, which reads a sentence's first word and names beside surnames
        with the tagger, at a sixth of the speed."""
        return self._places_of(self._places_nlp(parsed)(report.text), report)

    def places_many(self, reports: Iterable[Report], *, batch_size: int | None = None,
                    parsed: bool = False) -> Iterator[ReportPlaces | Skipped]:
        """`places` over many reports, in batches; a report that fails comes back as a Skipped."""
        yield from self._each(reports, self._places_of, "place resolution", batch_size, self._places_nlp(parsed))

    def _places_nlp(self, parsed: bool) -> Language:
        if parsed:
            return self.resources.nlp
        if self._light is None:
            self._light = places_pipeline(self.resources.nlp)
        return self._light

    def _places_of(self, doc, report: Report) -> ReportPlaces:
        focus = focus_countries(doc, report, self.resources)
        names = _continent_names()
        found = [p.mention for places in self.resources.places.document_places(doc, focus).values() for p in places
                 if p.mention.text not in names]
        found += self.resources.places.named_in_passing(doc, focus)  # "North America" is the continent, not a town in it
        found.extend(self._demonyms(doc, found))
        found.extend(self._continents(doc, found))
        return ReportPlaces(report=report, places=tuple(sorted(found, key=lambda p: p.start)))

    def _continents(self, doc, found: list[PlaceMention]) -> list[PlaceMention]:
        """'Asia', 'Europe', 'North America': listed at GeoNames' coordinates (feature "continent",
        precision 3); no event is placed at a continent."""
        taken = [(p.start, p.end) for p in found]
        out = []
        for place, names in _continents():
            for name in names:
                for at in _occurrences(doc.text, name):
                    if not any(s < at + len(name) and at < e for s, e in taken):
                        taken.append((at, at + len(name)))
                        out.append(PlaceMention(text=name, start=at, end=at + len(name), place=place, geo_precision=3,
                                                qualifier="continent", label=place.name,
                                                why=f"the continent {place.name}"))
        return out

    def _demonyms(self, doc, found: list[PlaceMention]) -> list[PlaceMention]:
        """'Russian', 'Syrians': a country named by its people, listed as such (qualifier "demonym",
        precision 3) and never an event's location."""
        gaz, taken = self.resources.gazetteer, [(p.start, p.end) for p in found]
        out = []
        i = 0
        while i < len(doc):
            token = doc[i]
            i += 1
            if not token.text[:1].isupper() or any(s <= token.idx < e for s, e in taken):
                continue
            for words in (doc[token.i:token.i + 2], doc[token.i:token.i + 1]):  # "Sri Lankan" before "Sri"
                code = gaz.countries_by_demonym(words.text) if words[-1].text[:1].isupper() else None
                country = gaz.country(code) if code else None
                if country is not None:
                    out.append(PlaceMention(text=words.text, start=words.start_char, end=words.end_char, place=country,
                                            geo_precision=3, qualifier="demonym", label=country.name,
                                            why=f"'{words.text}' names the people of {country.name}: the country, "
                                                f"not a place events happen"))
                    i = words.end
                    break
        return out

    def _each(self, reports: Iterable[Report], handle, what: str, batch_size: int | None,
              nlp: Language | None = None) -> Iterator:
        size = batch_size or self.resources.settings["nlp"]["batch_size"]
        nlp = nlp or self.resources.nlp
        for chunk in chunks(reports, size):
            for doc, report in zip(nlp.pipe(r.text for r in chunk), chunk):
                try:
                    yield handle(doc, report)
                except Exception as exc:  # one bad report must not lose the batch
                    log.exception("%s failed for %s", what, report.origin or report.id)
                    yield Skipped(origin=report.origin or report.id,
                                  reason=f"{what} failed ({exc.__class__.__name__}: {exc})")

    def _from_doc(self, doc, report: Report) -> Extraction:
        found = extract_mentions(doc, report, self.resources)
        return fuse_report(report, found.mentions, found.figures, known_sources=self._source_scales,
                           weights=self.resources.settings["confidence"])
