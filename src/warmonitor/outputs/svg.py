"""Drawings that need no network and no script: a map of events over the boundaries warmonitor ships
(Natural Earth countries and admin-1 areas, `data/boundaries/`, built by scripts/build_map_assets.py)
and a stacked bar chart of events per day by type, both as inline SVG. Every text from a report is
escaped. The situation report embeds both; the dashboard uses the same colours.
"""
from __future__ import annotations

import functools
import json
import math
from collections import Counter
from datetime import date, timedelta
from html import escape
from importlib import resources

# one colour per ACLED event type, in the dashboard too (GET /api/facets)
TYPE_COLOURS = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#ef6c00",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#1565c0",
    "Riots": "#b8860b",
    "Strategic developments": "#2e7d32",
}
OTHER_COLOUR = "#616161"


def colour(event_type: str | None) -> str:
    return TYPE_COLOURS.get(event_type or "", OTHER_COLOUR)


def _boundaries():
    return resources.files("warmonitor") / "data" / "boundaries"


@functools.cache
def countries() -> list[tuple[list[float], dict]]:
    """(bounding box, feature) of every country shipped, boxes worked out once per process."""
    return _boxed(json.loads((_boundaries() / "countries.json").read_text(encoding="utf-8"))["features"])


@functools.cache
def admin1(iso2: str) -> list[tuple[list[float], dict]]:
    """(bounding box, feature) of the admin-1 areas of a country (none for a code that has no file)."""
    if not (len(iso2) == 2 and iso2.isalpha()):
        return []
    path = _boundaries() / "admin1" / f"{iso2.upper()}.json"
    return _boxed(json.loads(path.read_text(encoding="utf-8"))["features"]) if path.is_file() else []


def _boxed(features: list[dict]) -> list[tuple[list[float], dict]]:
    return [(_feature_box(f), f) for f in features]


def _overlaps(box: list[float], view: tuple[float, float, float, float]) -> bool:
    west, south, east, north = view
    return not (box[2] < west or box[0] > east or box[3] < south or box[1] > north)


def _feature_box(feature: dict) -> list[float]:
    xs = [x for polygon in feature["geometry"]["coordinates"] for x, _ in polygon[0]]
    ys = [y for polygon in feature["geometry"]["coordinates"] for _, y in polygon[0]]
    return [min(xs), min(ys), max(xs), max(ys)]


class _Frame:
    """An equirectangular projection of a view onto a width x height box (longitudes shrunk by the
    cosine of the middle latitude, so shapes look right away from the equator)."""

    def __init__(self, view, width: int, height: int):
        west, south, east, north = view
        self.k = math.cos(math.radians((south + north) / 2))
        span_x, span_y = (east - west) * self.k, north - south
        self.scale = min(width / span_x, height / span_y)
        self.x0 = (west * self.k) - (width / self.scale - span_x) / 2
        self.y0 = north + (height / self.scale - span_y) / 2

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon * self.k - self.x0) * self.scale, (self.y0 - lat) * self.scale

    def path(self, feature: dict) -> str:
        out = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points = [self.xy(x, y) for x, y in ring]
                out.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        return "".join(out)


def _view(points: list[tuple[float, float]], min_span: float = 1.5) -> tuple[float, float, float, float]:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x = max((east - west) * 0.15, (min_span - (east - west)) / 2, 0.2)
    pad_y = max((north - south) * 0.15, (min_span - (north - south)) / 2, 0.2)
    return max(west - pad_x, -180), max(south - pad_y, -85), min(east + pad_x, 180), min(north + pad_y, 85)


def event_map(events, *, width: int = 640, height: int = 420, labels: int = 8) -> str:
    """An SVG map of fused events (StoredEvent): country and admin-1 boundaries around them, each
    event a dot in its type's colour, sized by its fatalities, with its place and date as a tooltip;
    the places with the most events labelled. Events without coordinates are left out."""
    placed = [e for e in events if e.event.latitude is not None and e.event.longitude is not None]
    if not placed:
        return ""
    view = _view([(e.event.longitude, e.event.latitude) for e in placed])
    frame = _Frame(view, width, height)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="event-map" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Map of {len(placed)} events">',
             f'<rect width="{width}" height="{height}" fill="#dde8f0"/>']
    shown = [c for box, c in countries() if _overlaps(box, view)]
    parts += [f'<path d="{frame.path(c)}" fill="#f4f1ea" stroke="none"/>' for c in shown]
    for c in shown:
        for box, area in admin1(c["properties"]["iso2"] or ""):
            if _overlaps(box, view):
                parts.append(f'<path class="admin1" d="{frame.path(area)}" fill="none" stroke="#b0a89a" '
                             f'stroke-width="0.6" stroke-dasharray="3,2"/>')
    parts += [f'<path class="country" d="{frame.path(c)}" fill="none" stroke="#6d6d6d" stroke-width="1.1"/>'
              for c in shown]
    for e in sorted(placed, key=lambda e: -e.event.fatalities):
        ev = e.event
        x, y = frame.xy(ev.longitude, ev.latitude)
        r = 3.5 + 1.6 * math.sqrt(ev.fatalities or 0)
        tip = f"{ev.event_date or 'undated'} {ev.sub_event_type} in {ev.location or ev.admin1 or ev.country}"
        parts.append(f'<circle class="event" cx="{x:.1f}" cy="{y:.1f}" r="{min(r, 14):.1f}" fill="{colour(ev.event_type)}" '
                     f'fill-opacity="0.8" stroke="#fff" stroke-width="0.8"><title>{escape(tip)}</title></circle>')
    where = Counter((e.event.location, round(e.event.longitude, 2), round(e.event.latitude, 2))
                    for e in placed if e.event.location)
    for (name, lon, lat), _ in where.most_common(labels):
        x, y = frame.xy(lon, lat)
        parts.append(f'<text x="{x + 6:.1f}" y="{y - 5:.1f}" font-size="11" font-family="sans-serif" fill="#222" '
                     f'stroke="#fff" stroke-width="2.5" paint-order="stroke">{escape(name)}</text>')
    parts.append(_legend(sorted({e.event.event_type for e in placed}), x=8, y=height - 8, upward=True))
    parts.append("</svg>")
    return "".join(parts)


def _legend(kinds: list[str], *, x: float, y: float, upward: bool = False) -> str:
    rows = []
    for i, kind in enumerate(kinds):
        top = y - 16 * (len(kinds) - i) if upward else y + 16 * i
        rows.append(f'<rect x="{x}" y="{top}" width="11" height="11" fill="{colour(kind)}"/>'
                    f'<text x="{x + 16}" y="{top + 10}" font-size="11" font-family="sans-serif" fill="#222" '
                    f'stroke="#fff" stroke-width="2" paint-order="stroke">{escape(kind)}</text>')
    return f'<g class="legend">{"".join(rows)}</g>'


def daily_chart(counts: dict[date, Counter], *, width: int = 640, height: int = 240) -> str:
    """An SVG stacked bar chart: for each day from the first to the last (days without events too),
    a bar of that day's events, one band per event type."""
    if not counts:
        return ""
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    kinds = sorted({k for c in counts.values() for k in c})
    top = max(sum(c.values()) for c in counts.values())
    left, bottom, right, legend_h = 34, 28, 8, 16 * len(kinds) + 8
    plot_w, plot_h = width - left - right, height - bottom - legend_h - 8
    bar = plot_w / len(days)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="daily-chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Events per day by type">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>']
    step = max(1, math.ceil(top / 4))
    for tick in range(0, top + 1, step):
        y = 8 + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
                     f'font-family="sans-serif">{tick}</text>')
    every = max(1, math.ceil(len(days) / 8))
    for i, day in enumerate(days):
        x, base = left + i * bar, 8 + plot_h
        for kind in kinds:
            n = counts.get(day, Counter())[kind]
            if n:
                h = plot_h * n / top
                base -= h
                parts.append(f'<rect class="bar" x="{x + bar * 0.1:.1f}" y="{base:.1f}" width="{bar * 0.8:.1f}" '
                             f'height="{h:.1f}" fill="{colour(kind)}"><title>{day} {escape(kind)}: {n}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{8 + plot_h + 16}" font-size="10" text-anchor="middle" '
                         f'font-family="sans-serif">{day:%d %b}</text>')
    parts.append(_legend(kinds, x=left, y=height - legend_h + 4))
    parts.append("</svg>")
    return "".join(parts)
