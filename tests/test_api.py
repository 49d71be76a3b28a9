"""The JSON API (issue 6, first part), over HTTP against a real `warmonitor serve` process."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from warmonitor.store import Store
from webserver import fetch, request, start

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('api') / 'wm.db'}"
    # the examples, and the store tests' later reports (a capture among them)
    ingest = subprocess.run([sys.executable, "-m", "warmonitor.cli", "ingest", str(REPO / "examples"),
                             str(REPO / "tests" / "fixtures" / "store" / "feed.jsonl"), "--db", db, "--quiet"],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr
    process, base = start(db, "--token", "s3cret")
    yield db, base
    process.terminate()
    process.wait(timeout=30)


def test_events_are_filtered_and_paged(served):
    db, base = served
    status, page = request(base, "/api/events?country=Syria&limit=2")
    expected = Store.open(db).events(country="Syria")
    assert status == 200 and page["total"] == len(expected) and len(page["events"]) == min(2, len(expected))
    assert [e["id"] for e in page["events"]] == [e.id for e in expected[:2]]
    status, rest = request(base, "/api/events?country=Syria&limit=2&offset=2")
    assert [e["id"] for e in rest["events"]] == [e.id for e in expected[2:4]]
    status, battles = request(base, "/api/events?type=Battles")
    assert battles["events"] and {e["event_type"] for e in battles["events"]} == {"Battles"}
    status, error = request(base, "/api/events?limit=0")
    assert status == 422


def test_one_event_with_its_evidence_and_a_clear_404(served):
    db, base = served
    first = Store.open(db).events(country="Syria")[0]
    status, event = request(base, f"/api/events/{first.id}")
    assert status == 200 and event["id"] == first.id and event["evidence"][0]["text"]
    status, missing = request(base, "/api/events/nope")
    assert status == 404 and "nope" in missing["detail"]


def test_control_figures_reports_and_the_openapi_document(served):
    db, base = served
    store = Store.open(db)
    status, reports = request(base, "/api/reports")
    assert status == 200 and len(reports) == len(store.reports()) == 12
    status, figures = request(base, "/api/figures")
    assert status == 200 and {f["metric"] for f in figures} == {f.metric for f in store.figures()}
    status, control = request(base, "/api/control/Nowhere-at-all")
    assert status == 404
    status, schema = request(base, "/openapi.json")
    assert status == 200 and {"/api/events", "/api/events/{event_id}", "/api/control/{place}", "/api/figures",
                              "/api/reports"} <= set(schema["paths"])


def test_map_cells_timeline_facets_and_a_reports_text(served):
    db, base = served
    store = Store.open(db)
    placed = [e for e in store.events() if e.event.latitude is not None]
    status, world = request(base, "/api/map?zoom=1")
    assert status == 200 and world["events"] == len(placed) and len(world["cells"]) < len(placed)
    syria = [e for e in placed if e.event.country == "Syria"]
    status, near = request(base, "/api/map?zoom=12&country=Syria&west=35&south=32&east=43&north=37.5")
    assert near["events"] == len(syria) and {c["event"] for c in near["cells"] if c["count"] == 1} <= {e.id for e in syria}
    assert request(base, "/api/map?zoom=40")[0] == 422
    status, days = request(base, "/api/timeline?type=Battles")
    assert status == 200 and {d["type"] for d in days} == {"Battles"}
    assert sum(d["events"] for d in days) == len([e for e in store.events(event_type="Battles") if e.event.event_date])
    status, facets = request(base, "/api/facets")
    assert "Syria" in facets["countries"] and facets["colours"]["Battles"] and len(facets["extent"]) == 4
    one = store.event(syria[0].id)
    status, text = request(base, f"/api/reports/{one.report_id}/text")
    first = one.event.evidence[0]
    assert status == 200 and text["text"][first.start:first.end] == first.text
    assert request(base, "/api/reports/nope/text")[0] == 404
    status, changes = request(base, "/api/control?country=Syria")
    stored = store.control_changes(country="Syria")
    assert status == 200 and [(c["place"], c["controller"]) for c in changes] == [(c.place, c.controller) for c in stored]
    assert changes and all("latitude" in c for c in changes)
    # the dashboard's filters: a part of an actor's or a source's name, a box of places
    status, by_actor = request(base, "/api/events?actor=military%20forces")
    assert by_actor["total"] and all("military forces" in f"{e['actor1']} {e['actor2']}".lower() for e in by_actor["events"])
    e = syria[0].event
    box = f"{e.longitude - 0.01},{e.latitude - 0.01},{e.longitude + 0.01},{e.latitude + 0.01}"
    status, inside = request(base, f"/api/events?within={box}")
    assert syria[0].id in {x["id"] for x in inside["events"]} and inside["total"] < len(placed)
    assert request(base, "/api/events?within=1,2,three")[0] == 422


def test_the_dashboard_and_every_asset_it_needs_are_served_from_here(served):
    _, base = served
    status, kind, page = fetch(base, "/")
    assert status == 200 and kind.startswith("text/html")
    html = page.decode("utf-8")
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/leaflet/leaflet.js" in assets and "/static/app.js" in assets
    outside = [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert not outside, outside  # no CDN: every script, style and image comes from this server
    for asset in [a for a in assets if a.startswith("/") and not a.startswith("/docs")]:
        assert fetch(base, asset)[0] == 200, asset
    for path in ("/boundaries/countries.json", "/boundaries/index.json", "/boundaries/admin1/SY.json"):
        status, _, body = fetch(base, path)
        assert status == 200 and json.loads(body)
    assert fetch(base, "/boundaries/admin1/../../store/__init__.py")[0] == 404


def test_ingest_needs_the_servers_token(served):
    db, base = served
    report = {"text": "Government forces shelled Kafr Nabudah in northern Hama on Monday, killing two civilians.",
              "published": "2024-12-03", "publisher": "Example Wire", "url": "https://example.org/api-test"}
    assert request(base, "/api/reports", data=report)[0] == 401
    assert request(base, "/api/reports", data=report, token="wrong")[0] == 401
    status, done = request(base, "/api/reports", data=report, token="s3cret")
    assert status == 200 and done["outcome"] == "added" and done["events"] >= 1
    assert request(base, "/api/reports", data=report, token="s3cret")[1]["outcome"] == "unchanged"
    assert request(base, "/api/reports", data={"text": ""}, token="s3cret")[0] == 422
    assert any(r.url == report["url"] for r in Store.open(db).reports())


def test_a_port_in_use_is_a_clear_error(served, tmp_path):
    _, base = served
    port = base.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, "-m", "warmonitor.cli", "serve", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                             "--port", port], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_server_without_a_token_refuses_to_ingest(tmp_path):
    process, base = start(f"sqlite:///{tmp_path / 'ro.db'}")
    try:
        status, body = request(base, "/api/reports", data={"text": "Clashes in Aleppo on Monday."})
        assert status == 403 and "token" in body["detail"]
    finally:
        process.terminate()
        process.wait(timeout=30)
