"""The JSON API (issue 6, first part), over HTTP against a real `warmonitor serve` process."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from warmonitor.store import Store

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base: str, path: str, *, data: dict | None = None, token: str | None = None) -> tuple[int, object]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=json.dumps(data).encode() if data is not None else None,
                                 headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def start(db: str, *extra: str):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "warmonitor.cli", "serve", "--db", db, "--port", str(port),
                                *extra], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        try:
            urllib.request.urlopen(base + "/api/reports", timeout=2)
            return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('api') / 'wm.db'}"
    ingest = subprocess.run([sys.executable, "-m", "warmonitor.cli", "ingest", str(REPO / "examples"), "--db", db,
                             "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=600)
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
    status, rest = request(base, f"/api/events?country=Syria&limit=2&offset=2")
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
    assert status == 200 and len(reports) == len(store.reports()) == 9
    status, figures = request(base, "/api/figures")
    assert status == 200 and {f["metric"] for f in figures} == {f.metric for f in store.figures()}
    status, control = request(base, "/api/control/Nowhere-at-all")
    assert status == 404
    status, schema = request(base, "/openapi.json")
    assert status == 200 and {"/api/events", "/api/events/{event_id}", "/api/control/{place}", "/api/figures",
                              "/api/reports"} <= set(schema["paths"])


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


def test_a_server_without_a_token_refuses_to_ingest(tmp_path):
    process, base = start(f"sqlite:///{tmp_path / 'ro.db'}")
    try:
        status, body = request(base, "/api/reports", data={"text": "Clashes in Aleppo on Monday."})
        assert status == 403 and "token" in body["detail"]
    finally:
        process.terminate()
        process.wait(timeout=30)
