"""Fusion within a report: one event per type, actor pair, place and day, with every sentence that
supports it as evidence; the lowest stated death toll; control changes from territorial events."""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model

OLD_SYRIAN_ARMY = "Military Forces of Syria (2000-2024)"


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


def extract(pipe, text: str, published: date | None = date(2024, 12, 3), publisher: str | None = "AFP"):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher=publisher))


def test_two_sentences_about_one_clash_make_one_event(pipe):
    text = ("Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said. "
            "The clashes in Morek on Monday were the fiercest in weeks, SANA reported.")
    extraction = extract(pipe, text)
    event, = extraction.events
    assert (event.sub_event_type, event.location, event.event_date) == ("Armed clash", "Murak", date(2024, 12, 2))
    assert len(event.evidence) == 2
    assert [e.sentence for e in event.evidence] == [0, 1]
    for evidence in event.evidence:
        assert extraction.report.text[evidence.start:evidence.end] == evidence.text
    assert set(event.source) == {"Syrian Observatory for Human Rights", "SANA", "AFP"}  # sources, then the publisher
    assert event.confidence > 0


def test_a_merged_event_is_more_confident_than_a_single_one(pipe):
    single = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said.")
    double = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said. "
                           "The clashes in Morek on Monday were the fiercest in weeks, SANA reported.")
    assert double.events[0].confidence >= single.events[0].confidence


def test_different_towns_stay_two_events(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday. "
                               "Syrian troops also clashed with rebels in the town of Saraqib on Monday.")
    assert sorted(e.location for e in extraction.events) == ["Murak", "Saraqib"]
    assert all(len(e.evidence) == 1 for e in extraction.events)


def test_different_days_stay_two_events(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday. "
                               "Syrian troops clashed with rebels in the town of Morek again on Thursday.",
                         published=date(2024, 12, 6))
    assert sorted(e.event_date for e in extraction.events) == [date(2024, 12, 2), date(2024, 12, 5)]


def test_different_sub_event_types_stay_apart(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday. "
                               "Syrian troops shelled the town of Morek on Monday.")
    assert sorted(e.sub_event_type for e in extraction.events) == ["Armed clash", "Shelling/artillery/missile attack"]


def test_a_merged_event_takes_the_lowest_stated_death_toll(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, killing 12 fighters, "
                               "a war monitor said. The clashes in Morek on Monday killed at least 9 fighters, "
                               "SANA reported.")
    event, = extraction.events
    assert event.fatalities == 9
    # the other count is kept as a figure with its own source, never averaged away
    tolls = sorted((f.value, f.attributed_to) for f in extraction.figures if f.metric == "killed")
    assert tolls == [(9, "SANA"), (12, "Syrian Observatory for Human Rights")]


def test_a_precise_place_wins_over_a_vague_one(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in Hama province on Monday. "
                               "The clashes on Monday centred on the town of Morek, a war monitor said.")
    clashes = [e for e in extraction.events if e.sub_event_type == "Armed clash"]
    assert len(clashes) == 1
    assert (clashes[0].location, clashes[0].geo_precision, clashes[0].admin1) == ("Murak", 1, "Hama")


def test_rebels_capturing_a_town_change_its_control(pipe):
    extraction = extract(pipe, "Rebels captured the town of Morek in Syria on Monday, a war monitor said.")
    event, = extraction.events
    assert event.sub_event_type == "Non-state actor overtakes territory"
    change, = extraction.control_changes
    assert change.place == "Murak"
    assert change.controller == event.actor1 == "Unidentified Armed Group (Syria)"
    assert change.date == date(2024, 12, 2)
    assert (change.admin1, change.country) == ("Hama", "Syria")
    assert change.latitude == event.latitude and change.longitude == event.longitude
    assert change.evidence == event.evidence


def test_a_named_group_capturing_a_town_is_the_controller(pipe):
    extraction = extract(pipe, "Hayat Tahrir al-Sham captured the town of Morek in Syria on Monday.")
    change, = extraction.control_changes
    assert change.controller == "Hayat Tahrir al-Sham"


def test_the_army_retaking_a_town_is_the_government_regaining_it(pipe):
    extraction = extract(pipe, "Syrian troops recaptured the town of Morek from rebels on Monday, SANA reported.")
    event, = extraction.events
    assert event.sub_event_type == "Government regains territory"
    change, = extraction.control_changes
    assert change.controller == OLD_SYRIAN_ARMY
    assert change.previous_controller == "Unidentified Armed Group (Syria)"


@pytest.mark.parametrize("text", [
    "A rebel takeover of the town of Morek in Syria would threaten Hama, analysts said.",
    "If rebels captured the town of Morek in Syria, they could reach Hama.",
    "The rebels vowed to capture the town of Morek in Syria.",
    "Rebels did not capture the town of Morek in Syria on Monday.",
])
def test_no_control_change_from_a_takeover_that_did_not_happen(pipe, text):
    extraction = extract(pipe, text)
    assert extraction.control_changes == ()
    assert extraction.events == ()
    assert any(m.sub_event_type == "Non-state actor overtakes territory" and not m.coded for m in extraction.mentions)


def test_no_control_change_from_a_region(pipe):
    extraction = extract(pipe, "Rebels seized swathes of territory in the northern Hama countryside on Monday.")
    assert extraction.control_changes == ()


def test_a_count_within_a_count_is_not_added(pipe):
    event, = extract(pipe, "Shelling struck a camp outside El Fasher on Monday, killing at least eight people "
                           "including three children, a rescue group said.").events
    assert event.fatalities == 8


def test_a_place_described_inside_another_is_not_the_event_place(pipe):
    extraction = extract(pipe, "Rebels took control of Saraqib, a town on the road linking Aleppo to Damascus, "
                               "on Monday, a monitor said.")
    event, = extraction.events
    assert event.location == "Saraqib"
