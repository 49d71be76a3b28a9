"""The JSON API over the store: events with filters and paging, one event with its evidence, a place's
control history, figures, the reports read; OpenAPI documentation at /docs. `POST /api/reports`
ingests a report, but only on a server started with a token, and only for requests that carry it
(`Authorization: Bearer TOKEN`).

    app = create_app("sqlite:///warmonitor.db", token=None)   # then: uvicorn.run(app)
"""
from __future__ import annotations

import hmac
import threading
from datetime import date

from fastapi import Body, FastAPI, Header, HTTPException, Query
from fastapi.responses import RedirectResponse

from ..outputs.contract import plain, stored_event_to_dict
from ..store import Store


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

    @app.get("/", include_in_schema=False)
    def root():
        return RedirectResponse("/docs")

    @app.get("/api/events")
    def events(country: str | None = None, admin1: str | None = None, since: date | None = None,
               until: date | None = None, type: str | None = None, sub_type: str | None = None,
               limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)) -> dict:
        """Fused events, newest first, filtered like `warmonitor events`, a page at a time."""
        total, page = store.events_page(limit=limit, offset=offset, country=country, admin1=admin1, since=since,
                                        until=until, event_type=type, sub_event_type=sub_type)
        return {"total": total, "offset": offset, "limit": limit, "events": [stored_event_to_dict(e) for e in page]}

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
