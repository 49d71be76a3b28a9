"""The reference report (../shared/corpus/seed-hama.txt): everything an analyst codes comes out,
nothing they would not code does, scored by the shared scorer; evidence is traceable to the text."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from warmonitor.outputs.contract import CONTRACT_KEYS, extraction_to_dict
from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = [pytest.mark.shared, pytest.mark.model]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "corpus" / "seed-hama.txt").is_file():
        pytest.skip(f"{SHARED} is absent (the shared reference data sits beside the repository)")
    return SHARED


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


@pytest.fixture(scope="module")
def seed(pipe, shared):
    text = (shared / "corpus" / "seed-hama.txt").read_text("utf-8")
    report = read_text_report(text, origin="seed-hama.txt", published=date(2024, 12, 3), publisher="AFP")
    return pipe.extract(report)


def test_the_seed_report_scores_full_marks(seed, shared, tmp_path):
    out = tmp_path / "seed-hama.json"
    out.write_text(json.dumps(extraction_to_dict(seed), ensure_ascii=False, indent=1), "utf-8")
    result = subprocess.run(
        [sys.executable, str(shared / "tools" / "score.py"), str(shared / "corpus" / "seed-hama.expected.json"),
         str(out), "--min-f1", "1", "--max-violations", "0"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_output_has_exactly_the_contract_keys(seed):
    data = extraction_to_dict(seed)
    assert tuple(data) == CONTRACT_KEYS
    assert data["report"]["published"] == "2024-12-03" and data["report"]["publisher"] == "AFP"
    json.dumps(data)  # serialisable as it is


def test_every_event_evidence_slices_the_report_text(seed):
    text = seed.report.text
    assert seed.events
    for event in seed.events:
        assert event.evidence
        for evidence in event.evidence:
            assert evidence.report == seed.report.id
            assert 0 <= evidence.start < evidence.end <= len(text)
            assert text[evidence.start:evidence.end] == evidence.text


def test_every_event_evidence_sentence_contains_its_trigger(seed):
    text = seed.report.text
    coded = [m for m in seed.mentions if m.coded]
    for event in seed.events:
        for evidence in event.evidence:
            supporting = [m for m in coded if m.sentence == evidence.sentence and m.start == evidence.start
                          and m.sub_event_type == event.sub_event_type]
            assert supporting, f"no coded mention behind evidence {evidence.text!r}"
            for mention in supporting:
                assert mention.trigger in evidence.text
                assert evidence.start <= mention.trigger_start < mention.trigger_end <= evidence.end
                assert text[mention.trigger_start:mention.trigger_end] == mention.trigger


def test_every_mention_offset_slices_the_report_text(seed):
    text = seed.report.text
    for mention in seed.mentions:
        assert text[mention.start:mention.end] == mention.sentence_text
        for place in mention.places:
            if place.start >= 0:  # -1: the report's country, not words of the text
                assert text[place.start:place.end] == place.text
        for actor in mention.actors:
            assert text[actor.start:actor.end] == actor.text


def test_background_in_the_seed_is_kept_but_not_coded(seed):
    not_coded = {m.modality for m in seed.mentions if not m.coded}
    assert {"historical", "hypothetical", "intended"} <= not_coded
    assert all(m.why_not_coded for m in seed.mentions if not m.coded)
    assert all(e.event_date is not None and e.event_date.year == 2024 for e in seed.events)
