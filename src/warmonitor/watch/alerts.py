"""Alert rules over what an ingest changed, and their delivery (stdout, a JSON Lines file, a webhook).

A rule is a kind and filters, written as a user types it:

    new_event country=Syria type=Battles      a new event (no other report tells it yet) that matches
    control_change country=Syria              a place changes hands
    new_actor country=Sudan                   an actor (not civilians) named for the first time in an admin-1 area
    fatalities>=10 admin1=Hama                an event a report gives at least 10 killed
    displaced>=10000 country=Sudan            a figure (killed, displaced, ...) at or above a value
    killed*2 country=Syria                    a figure at least twice the last one stored for its place

Filters: country, admin1, location, type, sub_type, actor for events (new_event, fatalities,
new_actor); country, admin1, place, controller for control_change; country, admin1, place, source
for figures. Values compare case-insensitively (actor, controller and source as a part of the
name); quote a value with spaces: admin1="North Darfur".

`evaluate(rule, changes)` gives the alerts a saved report (`store.changes.ReportChanges`) raises
under a rule, each with a key naming what it is about (the place, controller and day of a control
change; the type, place, day and actors of an event; ...): the store fires a rule once per key, so
a second report of the same capture, or an updated article, fires nothing new.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from ..fuse import FIGURE_METRICS
from .state import AlertRuleError, check_http_url

log = logging.getLogger(__name__)

EVENT_FILTERS = ("country", "admin1", "location", "type", "sub_type", "actor")
KIND_FILTERS = {
    "new_event": EVENT_FILTERS,
    "fatalities": EVENT_FILTERS,
    "new_actor": EVENT_FILTERS,
    "control_change": ("country", "admin1", "place", "controller"),
    "figure": ("country", "admin1", "place", "source"),
    "figure_jump": ("country", "admin1", "place", "source"),
}
CIVILIANS = 7  # ACLED's inter code of civilians: never a "new actor"
_PART_MATCH = frozenset({"actor", "controller", "source"})  # long names: a part of the name is enough
_THRESHOLD = re.compile(r"^([a-z_]+)(>=|\*)(\d+(?:\.\d+)?)$")


@dataclass(frozen=True, kw_only=True)
class AlertRule:
    text: str
    kind: str  # a key of KIND_FILTERS
    filters: tuple[tuple[str, str], ...] = ()
    metric: str | None = None  # figure, figure_jump
    threshold: float | None = None  # fatalities, figure: at least this; figure_jump: this factor


@dataclass(frozen=True, kw_only=True)
class Alert:
    key: str  # a hash of what it is about
    summary: str  # one line for a person
    payload: dict  # everything, with links to the evidence


def parse_rule(text: str) -> AlertRule:
    """An AlertRule from its written form; AlertRuleError names what is wrong."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise AlertRuleError(f"'{text}': {exc}") from None
    if not words:
        raise AlertRuleError("an empty alert rule: give a kind (new_event, control_change, new_actor, "
                             "fatalities>=N, METRIC>=N, METRIC*FACTOR) and filters")
    head, rest = words[0].lower(), words[1:]
    metric = threshold = None
    if head in ("new_event", "control_change", "new_actor"):
        kind = head
    elif match := _THRESHOLD.match(head):
        name, operator, value = match.group(1), match.group(2), float(match.group(3))
        if name == "fatalities" and operator == ">=":
            kind = "fatalities"
        elif name in FIGURE_METRICS:
            kind, metric = ("figure" if operator == ">=" else "figure_jump"), name
            if kind == "figure_jump" and value <= 1:
                raise AlertRuleError(f"'{text}': a jump factor must be above 1 ({name}*2 is a doubling)")
        else:
            raise AlertRuleError(f"'{text}': '{name}' is not fatalities or a figure metric "
                                 f"({', '.join(sorted(FIGURE_METRICS))})")
        threshold = value
    else:
        raise AlertRuleError(f"'{text}': unknown kind '{words[0]}'; use new_event, control_change, new_actor, "
                             f"fatalities>=N, METRIC>=N or METRIC*FACTOR")
    filters = []
    for word in rest:
        name, equals, value = word.partition("=")
        if not equals or not value:
            raise AlertRuleError(f"'{text}': '{word}' is not a filter NAME=VALUE")
        if name not in KIND_FILTERS[kind]:
            raise AlertRuleError(f"'{text}': {kind} rules filter on {', '.join(KIND_FILTERS[kind])}, not '{name}'")
        filters.append((name, value))
    return AlertRule(text=text, kind=kind, filters=tuple(filters), metric=metric, threshold=threshold)


def check_target(target: str) -> str:
    """'stdout', an http(s) webhook URL, or the path of a JSON Lines file."""
    if target == "stdout":
        return target
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        return check_http_url(target, "webhook")
    if Path(target).is_dir():
        raise AlertRuleError(f"'{target}' is a folder; give a JSON Lines file (alerts.jsonl), stdout or a webhook URL")
    return target


def evaluate(rule: AlertRule, changes) -> list[Alert]:
    """The alerts `changes` (a store.changes.ReportChanges) raises under `rule`."""
    return _KINDS[rule.kind](rule, changes)


def _matches(rule: AlertRule, values: dict) -> bool:
    for name, wanted in rule.filters:
        have = (values.get(name) or "").lower()
        if not (wanted.lower() in have if name in _PART_MATCH else wanted.lower() == have):
            return False
    return True


def _event_values(e) -> dict:
    return {"country": e.country, "admin1": e.admin1, "location": e.location, "type": e.event_type,
            "sub_type": e.sub_event_type, "actor": " | ".join(a for a in (e.actor1, e.actor2) if a)}


def _key(*parts) -> str:
    plain = [str(p).lower() if p is not None else None for p in parts]
    return hashlib.sha256(json.dumps(plain).encode()).hexdigest()[:40]


def _report(changes) -> dict:
    return {"id": changes.report_id, "url": changes.url, "title": changes.title, "publisher": changes.publisher,
            "published": changes.published.isoformat() if changes.published else None}


def _event_alert(rule: AlertRule, changes, told, key_parts: tuple, summary: str, **extra) -> Alert:
    e = told.event
    payload = {"alert": rule.kind, "rule": rule.text, "summary": summary, "report": _report(changes),
               "event_id": told.id, "fused_event_id": told.cluster_id,
               "event": {"event_date": e.event_date.isoformat() if e.event_date else None,
                         "event_type": e.event_type, "sub_event_type": e.sub_event_type, "actor1": e.actor1,
                         "actor2": e.actor2, "location": e.location, "admin1": e.admin1, "country": e.country,
                         "latitude": e.latitude, "longitude": e.longitude, "fatalities": e.fatalities},
               "evidence": [{"text": ev.text, "url": ev.url, "report": ev.report, "attributed_to": ev.attributed_to}
                            for ev in e.evidence], **extra}
    return Alert(key=_key(rule.kind, *key_parts), summary=summary, payload=payload)


def _event_key(e) -> tuple:
    return (e.sub_event_type, e.country, e.admin1, e.location, e.event_date, e.actor1, e.actor2)


def _where(e) -> str:
    return ", ".join(x for x in (e.location, e.admin1 if e.admin1 != e.location else None, e.country) if x) or "?"


def _new_events(rule, changes) -> list[Alert]:
    out = []
    for told in changes.events:
        e = told.event
        if told.corroborated or not _matches(rule, _event_values(e)):
            continue
        actors = " against ".join(a for a in (e.actor1, e.actor2) if a) or "unidentified actors"
        summary = (f"{e.sub_event_type} in {_where(e)} on {e.event_date or 'an unknown day'}: {actors}"
                   f"{f', {e.fatalities} killed' if e.fatalities else ''}")
        out.append(_event_alert(rule, changes, told, _event_key(e), summary))
    return out


def _fatalities(rule, changes) -> list[Alert]:
    out = []
    for told in changes.events:
        e = told.event
        if e.fatalities >= rule.threshold and _matches(rule, _event_values(e)):
            summary = f"{e.fatalities} killed: {e.sub_event_type} in {_where(e)} on {e.event_date or 'an unknown day'}"
            out.append(_event_alert(rule, changes, told, _event_key(e), summary))
    return out


def _new_actors(rule, changes) -> list[Alert]:
    out, asked = [], set()
    for told in changes.events:
        e = told.event
        if not _matches(rule, _event_values(e)):
            continue
        for actor, inter in ((e.actor1, e.inter1), (e.actor2, e.inter2)):
            if not actor or inter == CIVILIANS or (actor, e.country, e.admin1) in asked:
                continue  # civilians are the harmed, not a side that appears
            asked.add((actor, e.country, e.admin1))
            if changes.actor_known(actor, country=e.country, admin1=e.admin1):
                continue
            area = ", ".join(x for x in (e.admin1, e.country) if x) or "an unplaced area"
            summary = (f"{actor} named in {area} for the first time: {e.sub_event_type} in {_where(e)} "
                       f"on {e.event_date or 'an unknown day'}")
            out.append(_event_alert(rule, changes, told, (actor, e.country, e.admin1), summary, actor=actor))
    return out


def _control_changes(rule, changes) -> list[Alert]:
    out = []
    for c in changes.control_changes:
        if not _matches(rule, {"country": c.country, "admin1": c.admin1, "place": c.place, "controller": c.controller}):
            continue
        where = ", ".join(x for x in (c.place, c.admin1, c.country) if x)
        summary = (f"{where} changed hands: {c.controller} took it"
                   f"{f' from {c.previous_controller}' if c.previous_controller else ''}"
                   f" on {c.date or 'an unknown day'}, according to {c.publisher or c.report_id}")
        payload = {"alert": rule.kind, "rule": rule.text, "summary": summary, "report": _report(changes),
                   "control_change": {"place": c.place, "admin1": c.admin1, "country": c.country,
                                      "controller": c.controller, "previous_controller": c.previous_controller,
                                      "date": c.date.isoformat() if c.date else None},
                   "evidence": [{"text": c.sentence, "url": changes.url, "report": c.report_id}]}
        out.append(Alert(key=_key(rule.kind, c.place, c.controller, c.date), summary=summary, payload=payload))
    return out


def _figure_values(f) -> dict:
    return {"country": f.country, "admin1": f.admin1, "place": f.place,
            "source": " | ".join(x for x in (f.attributed_to, f.reported_by) if x)}


def _figure_alert(rule, changes, f, summary: str, **extra) -> Alert:
    payload = {"alert": rule.kind, "rule": rule.text, "summary": summary, "report": _report(changes),
               "figure": {"metric": f.metric, "value": f.value, "place": f.place, "admin1": f.admin1,
                          "country": f.country, "attributed_to": f.attributed_to, "reported_by": f.reported_by},
               "evidence": [{"text": f.sentence, "url": changes.url, "report": f.report_id}], **extra}
    key = (rule.kind, f.metric, f.value, f.place, f.country, f.attributed_to or f.reported_by)
    return Alert(key=_key(*key), summary=summary, payload=payload)


def _said(f) -> str:
    return f"according to {f.attributed_to or f.reported_by or 'an unnamed source'}"


def _figures(rule, changes) -> list[Alert]:
    return [_figure_alert(rule, changes, f, f"{f.metric} {f.value:,} in {f.place or f.country or '?'}, {_said(f)}")
            for f in changes.figures
            if f.metric == rule.metric and f.value >= rule.threshold and _matches(rule, _figure_values(f))]


def _figure_jumps(rule, changes) -> list[Alert]:
    out = []
    for f in changes.figures:
        if f.metric != rule.metric or not _matches(rule, _figure_values(f)):
            continue
        before = changes.previous_figure(f)
        if before is None or before.value <= 0 or f.value < rule.threshold * before.value:
            continue
        summary = (f"{f.metric} in {f.place or f.country or '?'} jumped from {before.value:,} to {f.value:,} "
                   f"(x{f.value / before.value:.1f}), {_said(f)}")
        out.append(_figure_alert(rule, changes, f, summary, previous={
            "value": before.value, "report": before.report_id, "attributed_to": before.attributed_to,
            "published": before.published.isoformat() if before.published else None}))
    return out


_KINDS = {"new_event": _new_events, "fatalities": _fatalities, "new_actor": _new_actors,
          "control_change": _control_changes, "figure": _figures, "figure_jump": _figure_jumps}
