"""The web app over the store: the dashboard page at / (a Leaflet map over shipped boundaries, a
timeline, a table, the evidence of each event, figures; every asset served from here, no CDN) and
the JSON API it reads: events with filters and paging, map cells counted by the database, one event
with its evidence, a report's text, a place's control history, figures, the reports read; OpenAPI
documentation at /docs. `POST /api/reports` ingests a report, but only on a server started with a
token, and only for requests that carry it (`Authorization: Bearer TOKEN`).

    app = create_app("sqlite:///warmonitor.db", token=None)   # then: uvicorn.run(app)
"""
from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass
from datetime import date
from importlib import resources

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from ..outputs.contract import plain, stored_event_to_dict
from ..outputs.svg import TYPE_COLOURS
from ..store import Store

STATIC = resources.files("warmonitor") / "web" / "static"
BOUNDARIES = resources.files("warmonitor") / "data" / "boundaries"


@dataclass
class EventFilters:
    """The filters of `warmonitor events`, as query parameters."""

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    type: str | None = None
    sub_type: str | None = None
    actor: str | None = Query(None, description="a part of either side's name")
    source: str | None = Query(None, description="a part of a source's name")
    within: str | None = Query(None, description="a box of places: west,south,east,north in degrees",
                               pattern=r"^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$")

    def store_filters(self) -> dict:
        box = tuple(float(x) for x in self.within.split(",")) if self.within else None
        return dict(country=self.country, admin1=self.admin1, since=self.since, until=self.until,
                    event_type=self.type, sub_event_type=self.sub_type, actor=self.actor, source=self.source,
                    within=box)


def create_app(db_url: str | None = None, *, token: str | None = None) -> FastAPI:
    store = Store.open(db_url)
    app = FastAPI(title="warmonitor", description="Coded conflict events, figures and control changes, with the "
                                                  "evidence behind each.")
    pipeline_lock = threading.Lock()
    loaded: dict = {}

    def pipeline():
        with pipeline_lock:  # loaded on the first ingest only: a read-only server never needs the model
            if "pipeline" not in loaded:
                from ..pipeline import Pipeline
                loaded["pipeline"] = Pipeline.load()
            return loaded["pipeline"]

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.mount("/boundaries", StaticFiles(directory=str(BOUNDARIES)), name="boundaries")

    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(str(STATIC / "index.html"), headers={"Cache-Control": "no-cache"})

    @app.get("/api/events")
    def events(filters: EventFilters = Depends(), limit: int = Query(100, ge=1, le=1000),
               offset: int = Query(0, ge=0)) -> dict:
        """Fused events, newest first, filtered like `warmonitor events`, a page at a time."""
        total, page = store.events_page(limit=limit, offset=offset, **filters.store_filters())
        return {"total": total, "offset": offset, "limit": limit, "events": [stored_event_to_dict(e) for e in page]}

    @app.get("/api/map")
    def map_cells(filters: EventFilters = Depends(), zoom: int = Query(2, ge=0, le=22),
                  west: float = Query(-180, ge=-540, le=540), south: float = Query(-90, ge=-90, le=90),
                  east: float = Query(180, ge=-540, le=540), north: float = Query(90, ge=-90, le=90)) -> dict:
        """The matching events in a bounding box, counted in the cells of a grid fitted to the zoom
        level (about 64 pixels a cell): a cell of one event names it."""
        size, cells = store.map_cells(zoom=zoom, west=west, south=south, east=east, north=north,
                                      **filters.store_filters())
        return {"cell_degrees": size, "events": sum(c.count for c in cells), "cells": plain(cells)}

    @app.get("/api/timeline")
    def timeline(filters: EventFilters = Depends()) -> list[dict]:
        """How many matching events each day, by event type (by their most precise report's date)."""
        return [{"day": day.isoformat(), "type": kind, "events": n}
                for day, kind, n in store.timeline(**filters.store_filters())]

    @app.get("/api/facets")
    def facets() -> dict:
        """What there is to filter on: countries, event types (with the dashboard's colours), sources,
        the first and last event dates, and the extent of the placed events."""
        return plain({**store.facets(), "colours": TYPE_COLOURS})

    @app.get("/api/reports/{report_id}/text")
    def report_text(report_id: str) -> dict:
        """A stored report's text: evidence offsets (`start`, `end`) point into it."""
        text = store.report_text(report_id)
        if text is None:
            raise HTTPException(404, f"no text stored for report '{report_id}'")
        return {"id": report_id, "text": text}

    @app.get("/api/events/{event_id}")
    def event(event_id: str) -> dict:
        """One event with every sentence behind it."""
        found = store.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event '{event_id}'")
        return stored_event_to_dict(found)

    @app.get("/api/control/{place}")
    def control(place: str, on: date | None = None) -> dict:
        """A place's control changes, oldest first, the denials beside them, and who held it (now or `on`)."""
        history = store.control(place)
        if not history.changes and not history.denials:
            raise HTTPException(404, f"no control change for '{place}'")
        return {"place": history.place, "controller": history.holder(on),
                "changes": plain(history.changes), "denials": plain(history.denials)}

    @app.get("/api/control")
    def control_changes(country: str | None = None, admin1: str | None = None, since: date | None = None,
                        until: date | None = None) -> list[dict]:
        """Every control change in an area and period (since included, until excluded), oldest first,
        with the place's coordinates: who took which place, on whose word."""
        return plain(store.control_changes(country=country, admin1=admin1, since=since, until=until))

    @app.get("/api/figures")
    def figures(metric: str | None = None, country: str | None = None, place: str | None = None,
                all: bool = False) -> list[dict]:
        """Each source's latest figure per metric and place (or every figure with all=true)."""
        return plain(store.figures(metric=metric, country=country, place=place, latest=not all))

    @app.get("/api/reports")
    def reports(since: date | None = None) -> list[dict]:
        """The reports read, oldest first, with their event counts."""
        return plain(store.reports(since=since))

    @app.post("/api/reports")
    def ingest(report: dict = Body(..., examples=[{"text": "Shelling hit Kafr Nabudah on Monday.",
                                                  "published": "2024-12-03", "publisher": "AFP",
                                                  "url": "https://example.org/a"}]),
               authorization: str | None = Header(None)) -> dict:
        """Extract and store one report: {"text", "published"?, "publisher"?, "url"?, "title"?, "id"?}."""
        if token is None:
            raise HTTPException(403, "ingest is disabled: start the server with a token (warmonitor serve --token)")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is needed (Authorization: Bearer TOKEN)")
        from ..errors import WarmonitorError
        from ..reports.jsonlines import ReportFields, report_from_object
        try:
            parsed = report_from_object(report, origin="POST /api/reports", given=ReportFields(), given_wins=False)
        except WarmonitorError as exc:
            raise HTTPException(422, str(exc))
        extraction = pipeline().extract(parsed)
        outcome = store.save(extraction)
        return {"outcome": outcome, "report_id": parsed.id, "events": len(extraction.events)}

    return app
