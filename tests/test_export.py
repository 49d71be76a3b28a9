"""Exports of the store (issue 6, first part): ACLED CSV, GeoJSON and JSON lines of the seed's events."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from warmonitor.outputs.export import ACLED_COLUMNS, EXTRA_COLUMNS, disorder_type
from warmonitor.reports import read_text_report
from warmonitor.store import Store

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.shared


@pytest.fixture
def seeded(pipeline, shared_dir, tmp_path) -> tuple[str, Store]:
    url = f"sqlite:///{tmp_path / 'wm.db'}"
    store = Store.open(url)
    seed = read_text_report((shared_dir / "corpus" / "seed-hama.txt").read_text("utf-8"), origin="seed",
                            published=date(2024, 12, 3), publisher="AFP")
    store.save(pipeline.extract(seed))
    return url, store


def export(url: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "warmonitor.cli", "export", "--db", url, *args],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_acled_csv_has_acleds_columns_in_order_then_ours(seeded, tmp_path):
    pandas = pytest.importorskip("pandas")
    url, store = seeded
    target = tmp_path / "events.csv"
    export(url, "--format", "acled-csv", "--out", str(target))
    frame = pandas.read_csv(target)
    assert list(frame.columns) == [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    events = store.events()
    assert len(frame) == len(events) == 5
    assert set(frame["country"]) == {"Syria"} and set(frame["iso"]) == {760}
    assert set(frame["event_id_cnty"]) == {e.id for e in events}
    assert frame["warmonitor_evidence"].str.len().min() > 20  # the sentence behind each event


def test_geojson_puts_each_event_at_its_point(seeded):
    url, store = seeded
    collection = json.loads(export(url, "--format", "geojson"))
    assert collection["type"] == "FeatureCollection"
    by_id = {e.id: e.event for e in store.events()}
    assert len(collection["features"]) == len(by_id)
    for feature in collection["features"]:
        event = by_id[feature["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [event.longitude, event.latitude]}
        assert feature["properties"]["sub_event_type"] == event.sub_event_type


def test_jsonl_carries_the_full_records_with_evidence_and_shares_the_event_filters(seeded):
    url, store = seeded
    lines = [json.loads(line) for line in export(url, "--format", "jsonl").splitlines()]
    assert len(lines) == 5 and all(line["evidence"] and line["evidence"][0]["text"] for line in lines)
    battles = [json.loads(line) for line in export(url, "--format", "jsonl", "--type", "Battles").splitlines()]
    assert battles and {b["event_type"] for b in battles} == {"Battles"}
    assert {b["id"] for b in battles} == {e.id for e in store.events(event_type="Battles")}


def test_exports_stream_page_by_page(seeded):
    _, store = seeded
    paged = list(store.iter_events(page=2))
    assert sorted(e.id for e in paged) == sorted(e.id for e in store.events())
    assert all(e.event.evidence for e in paged)


@pytest.mark.parametrize("event_type, sub, expected", [
    ("Battles", "Armed clash", "Political violence"), ("Protests", "Peaceful protest", "Demonstrations"),
    ("Riots", "Violent demonstration", "Demonstrations"), ("Riots", "Mob violence", "Political violence"),
    ("Strategic developments", "Agreement", "Strategic developments"),
])
def test_disorder_types_follow_acled(event_type, sub, expected):
    assert disorder_type(event_type, sub) == expected


def test_an_output_file_that_cannot_be_written_is_a_clear_error(seeded, tmp_path):
    url, _ = seeded
    for command in (["export", "--format", "geojson"], ["report"]):
        target = tmp_path / "no-such-folder" / ("events.geojson" if command[0] == "export" else "sitrep.html")
        result = subprocess.run([sys.executable, "-m", "warmonitor.cli", *command, "--db", url, "--out", str(target)],
                                capture_output=True, text=True, timeout=300, cwd=REPO)
        assert result.returncode == 1 and f"{target}: cannot write" in result.stderr
        assert "Traceback" not in result.stderr
