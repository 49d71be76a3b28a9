"""The output contract of `warmonitor extract` (DESIGN.md): one JSON object per report with exactly
the keys report, events, figures, control_changes and mentions."""
from __future__ import annotations

import dataclasses
from datetime import date

from ..records import Event, Evidence, Extraction, Mention, PlaceMention, ReportPlaces

CONTRACT_KEYS = ("report", "events", "figures", "control_changes", "mentions")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _evidence(items: tuple[Evidence, ...]) -> list[dict]:
    return [{"report": e.report, "sentence": e.sentence, "start": e.start, "end": e.end, "text": e.text,
             "attributed_to": e.attributed_to, "modality": e.modality, "url": e.url} for e in items]


def _mention(m: Mention) -> dict:
    place = m.places[0] if m.places else None
    return {
        "event_type": m.event_type, "sub_event_type": m.sub_event_type, "trigger": m.trigger,
        "trigger_start": m.trigger_start, "trigger_end": m.trigger_end, "sentence": m.sentence,
        "start": m.start, "end": m.end, "text": m.sentence_text, "modality": m.modality,
        "coded": m.coded, "why_not_coded": m.why_not_coded, "why": m.why, "headline": m.headline,
        "attributed_to": m.attribution.source if m.attribution else None,
        "actors": [{"name": a.actor.name, "inter": a.actor.inter, "role": a.role, "text": a.text,
                    "start": a.start, "end": a.end, "why": a.why} for a in m.actors],
        "place": None if place is None or place.place is None else {
            "text": place.text, "name": place.place.name, "id": place.place.id, "feature": place.place.feature,
            "admin1": place.place.admin1, "country": place.place.country, "latitude": place.place.latitude,
            "longitude": place.place.longitude, "geo_precision": place.geo_precision, "why": place.why},
        "time": None if m.time is None else {
            "text": m.time.text, "date": _day(m.time.date), "start": _day(m.time.start), "end": _day(m.time.end),
            "precision": m.time.precision, "why": m.time.why},
        "quantities": [{"metric": q.metric, "value": q.value, "text": q.text} for q in m.quantities],
    }


def _report(report) -> dict:
    return {"id": report.id, "title": report.title, "url": report.url, "publisher": report.publisher,
            "published": _day(report.published), "language": report.language, "chars": len(report.text)}


def place_to_dict(mention: PlaceMention) -> dict:
    """One place mention: its span, what it resolved to, the precision and why (`warmonitor places`)."""
    place = mention.place
    return {
        "text": mention.text, "start": mention.start, "end": mention.end, "name": place.name if place else None,
        "label": mention.label, "id": place.id if place else None, "feature": place.feature if place else None,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "admin1": place.admin1 if place else None, "admin1_iso": place.admin1_iso if place else None,
        "admin2": place.admin2 if place else None,
        "country": place.country if place else None, "iso3": place.iso3 if place else None,
        "geo_precision": mention.geo_precision, "qualifier": mention.qualifier, "why": mention.why,
    }


def places_to_dict(found: ReportPlaces) -> dict:
    """What `warmonitor places` writes per report: {"report": ..., "places": [...]} (the form
    ../shared/tools/score_geo.py reads)."""
    return {"report": _report(found.report), "places": [place_to_dict(p) for p in found.places]}


def event_to_dict(e: Event) -> dict:
    """One event in the output contract's form (ACLED column names, confidence, evidence)."""
    return {
        "event_date": _day(e.event_date), "date_start": _day(e.date_start), "date_end": _day(e.date_end),
        "time_precision": e.time_precision, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "actor1": e.actor1, "assoc_actor_1": list(e.assoc_actor_1), "inter1": e.inter1,
        "actor2": e.actor2, "assoc_actor_2": list(e.assoc_actor_2), "inter2": e.inter2,
        "interaction": e.interaction, "civilian_targeting": e.civilian_targeting, "country": e.country,
        "iso3": e.iso3, "admin1": e.admin1, "admin2": e.admin2, "admin3": e.admin3, "location": e.location,
        "latitude": e.latitude, "longitude": e.longitude, "geo_precision": e.geo_precision,
        "fatalities": e.fatalities, "source": list(e.source), "source_scale": e.source_scale, "notes": e.notes,
        "confidence": e.confidence, "evidence": _evidence(e.evidence)}


def extraction_to_dict(extraction: Extraction) -> dict:
    report = extraction.report
    return {
        "report": _report(report),
        "events": [event_to_dict(e) for e in extraction.events],
        "figures": [{
            "metric": f.metric, "value": f.value, "low": f.low, "high": f.high, "unit": f.unit, "text": f.text,
            "place": f.place, "admin1": f.admin1, "country": f.country, "period_start": _day(f.period_start),
            "period_end": _day(f.period_end), "attributed_to": f.attributed_to, "reported_by": f.reported_by,
            "evidence": _evidence(f.evidence)} for f in extraction.figures],
        "control_changes": [{
            "place": c.place, "admin1": c.admin1, "country": c.country, "latitude": c.latitude,
            "longitude": c.longitude, "controller": c.controller, "previous_controller": c.previous_controller,
            "date": _day(c.date), "date_start": _day(c.date_start), "date_end": _day(c.date_end),
            "evidence": _evidence(c.evidence)} for c in extraction.control_changes],
        "mentions": [_mention(m) for m in extraction.mentions],
    }


def plain(value):
    """A record (dataclass), list or dict with its dates as ISO strings: ready for json.dumps."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def stored_event_to_dict(stored) -> dict:
    """A fused event from the store (`warmonitor.store.StoredEvent`): its store id, the report that
    places it, how many reports tell it and their events, then the event in the output contract's form,
    then each telling's fatality count (the event's own is the most conservative of them)."""
    return {"id": stored.id, "report_id": stored.report_id, "reports": stored.reports,
            "members": list(stored.members), **event_to_dict(stored.event),
            "fatality_claims": [{"report": r, "fatalities": n} for r, n in stored.fatality_claims]}
