"""The event notes of tests/fixtures/notes (250 notes from some 35 countries, written by team members
who had not read the coder): event F1 (type, sub-event type and date right), fatalities exact on
matched events, and actors. The floors sit just under the level measured when they were set, so a
change that loses ground on notes like these fails the suite; see the fixtures' README for the first
scores, before any change made for them."""
from __future__ import annotations

from pathlib import Path

import pytest

from warmonitor.evaluation import read_notes, score_notes

pytestmark = pytest.mark.model

NOTES = Path(__file__).parent / "fixtures" / "notes"

# file: (event F1, fatalities, actors) floors
FLOORS = {"violence.jsonl": (0.82, 0.93, 0.77), "demonstrations_strategic.jsonl": (0.72, 0.95, 0.73),
          "mixed_blind3.jsonl": (0.79, 0.91, 0.70)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_notes_score_at_least_their_recorded_level(pipeline, name):
    notes = read_notes([NOTES / name])
    assert len(notes) >= 100
    score = score_notes(pipeline, notes)
    f1, fatalities, actors = FLOORS[name]
    assert score.f1 >= f1, score.summary()
    assert score.fatalities >= fatalities, score.summary()
    assert score.actors >= actors, score.summary()


def test_a_broken_notes_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "published": "2024-01-01"}\n{not json\n', "utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        read_notes([path])


def _positives_by_type() -> dict[str, list[tuple[str, str, str]]]:
    """(id, text, published) of every positive case, notes and fixtures/subevents.jsonl together."""
    import json
    cases: dict[str, list] = {}
    for note in read_notes(sorted(NOTES.glob("*.jsonl"))):
        if note["kind"] == "positive":
            cases.setdefault(note["events"][0]["sub_event_type"], []).append((note["id"], note["text"], note["published"]))
    for line in (NOTES.parent / "subevents.jsonl").read_text("utf-8").splitlines():
        case = json.loads(line) if line.strip() else None
        if case and case["kind"] == "positive":
            cases.setdefault(case["sub_event_type"], []).append((case["id"], case["text"], case["published"]))
    return cases


POSITIVES = _positives_by_type()


@pytest.fixture(scope="module")
def coded_types(pipeline) -> dict[str, set[str]]:
    from datetime import date
    from warmonitor.records import Report
    cases = [c for group in POSITIVES.values() for c in group]
    reports = [Report(id=i, text=t, published=date.fromisoformat(p), origin=i) for i, t, p in cases]
    return {r.id: {e.sub_event_type for e in x.events} | {m.sub_event_type for m in x.mentions if m.coded}
            for r, x in zip(reports, pipeline.extract_many(reports))}


@pytest.mark.parametrize("sub_event_type", sorted(POSITIVES))
def test_every_sub_event_type_is_coded_in_at_least_five_reports(sub_event_type, coded_types):
    """Five or more hand-written reports of each of the 25 types, from several countries, come out with
    their type; the rest are visible in scripts/score_notes.py --misses and test_subevents' known gaps."""
    cases = POSITIVES[sub_event_type]
    coded = [case_id for case_id, _, _ in cases if sub_event_type in coded_types[case_id]]
    assert len(cases) >= 7
    assert len(coded) >= 5, f"{sub_event_type}: {len(coded)} of {len(cases)} coded"
