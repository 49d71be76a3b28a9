"""Attribution: who says what a sentence states, carried onto mentions, events and figures."""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model

SOHR = "Syrian Observatory for Human Rights"


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


def extract(pipe, text: str, published: date | None = date(2024, 12, 3), publisher: str | None = None):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher=publisher))


def coded(extraction):
    return [m for m in extraction.mentions if m.coded]


def test_a_war_monitor_in_a_syrian_story_is_the_observatory(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said.")
    event, = extraction.events
    assert event.source == (SOHR,)
    assert event.source_scale == "Other"
    assert [e.attributed_to for e in event.evidence] == [SOHR]


def test_a_war_monitor_outside_syria_is_not_the_observatory(pipe):
    extraction = extract(pipe, "Gunmen attacked a village in Zamfara state in Nigeria on Sunday, a war monitor said.",
                         published=date(2024, 3, 5))
    assert SOHR not in {m.attribution.source for m in extraction.mentions if m.attribution}
    assert all(SOHR not in e.source for e in extraction.events)


def test_it_added_carries_the_previous_source(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said. "
                               "Warplanes also struck the town of Saraqib on Monday, it added.")
    mentions = coded(extraction)
    assert {m.sentence for m in mentions} == {0, 1}
    assert all(m.attribution is not None and m.attribution.source == SOHR for m in mentions)
    assert all(e.source == (SOHR,) for e in extraction.events)


def test_sana_reported(pipe):
    extraction = extract(pipe, "Syrian troops shelled the town of Saraqib in Idlib province on Monday, SANA reported.",
                         publisher="AFP")
    event, = extraction.events
    assert event.source == ("SANA", "AFP")  # who said so, then the publisher
    assert event.source_scale == "National-International"  # SANA's scale, then AFP's


def test_state_news_agency_sana_is_sana(pipe):
    extraction = extract(pipe, "State news agency SANA reported air strikes on the town of Saraqib in Syria on Monday.")
    assert extraction.events and all(e.source == ("SANA",) for e in extraction.events)


def test_told_afp_gives_the_event_a_source(pipe):
    extraction = extract(pipe, "Rebels attacked an army checkpoint in Idlib province in Syria on Monday, "
                               "a rebel commander told AFP.")
    event, = extraction.events
    assert "AFP" in event.source or "a rebel commander" in event.source


def test_told_afp_keeps_the_speaker_on_the_mention(pipe):
    extraction = extract(pipe, "Rebels attacked an army checkpoint in Idlib province in Syria on Monday, "
                               "a rebel commander told AFP.")
    mention, = coded(extraction)
    assert mention.attribution is not None
    assert mention.attribution.source in ("AFP", "a rebel commander")
    # the speaker is not an actor of the event
    assert "a rebel commander" not in {a.text for a in mention.actors}


def test_the_un_says_attributes_the_figure_to_the_united_nations(pipe):
    extraction = extract(pipe, "The UN says nearly 50,000 people have been displaced in Idlib province since last week.",
                         publisher="AFP")
    figure, = [f for f in extraction.figures if f.metric == "displaced"]
    assert figure.value == 50_000
    assert figure.attributed_to == "United Nations"
    assert figure.reported_by == "AFP"
    assert figure.evidence[0].attributed_to == "United Nations"


def test_according_to_residents(pipe):
    extraction = extract(pipe, "Shelling hit the town of Saraqib in Idlib province on Monday, according to residents.",
                         publisher="AFP")
    event, = extraction.events
    assert event.source == ("Local residents and witnesses", "AFP")
    mention, = coded(extraction)
    assert mention.attribution.text == "residents"
    assert mention.modality == "reported"


def test_according_to_a_named_source(pipe):
    extraction = extract(pipe, "Air strikes hit the town of Saraqib in Idlib province on Monday, according to the "
                               "Syrian Observatory for Human Rights.")
    event, = extraction.events
    assert event.source == (SOHR,)


def test_an_event_without_attribution_lists_the_publisher(pipe):
    extraction = extract(pipe, "Syrian troops shelled the town of Saraqib in Idlib province on Monday.", publisher="AFP")
    event, = extraction.events
    assert event.source == ("AFP",)
    assert event.source_scale == "International"
    assert event.evidence[0].attributed_to is None
    assert coded(extraction)[0].modality == "asserted"


def test_two_sources_on_one_event_are_both_listed(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, a war monitor said. "
                               "The clashes in Morek on Monday were heavy, SANA reported.", publisher="AFP")
    event, = extraction.events
    assert set(event.source) == {SOHR, "SANA", "AFP"}
    assert set(event.source_scale.split("-")) == {"Other", "National", "International"}


def test_the_speaker_is_not_a_place_or_actor(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the town of Morek on Monday, said the "
                               "Syrian Observatory for Human Rights, which has a network of sources inside Syria.")
    event, = extraction.events
    assert event.location == "Murak" or event.location == "Morek"
    assert event.source == (SOHR,)
    assert SOHR not in {event.actor1, event.actor2}


def test_each_figure_has_its_own_speaker(pipe):
    extraction = extract(pipe, "At least five people were shot dead in Nairobi on Tuesday, Amnesty International said, "
                               "while the Kenya Medical Association said 31 people were treated for injuries.",
                         published=date(2024, 6, 26))
    speakers = {f.metric: f.attributed_to for f in extraction.figures}
    assert speakers["killed"] == "Amnesty International"
    assert speakers["injured"] == "Kenya Medical Association"


def test_a_pronoun_speaker_who_names_no_actor_is_nobody_in_what_they_say(pipeline):
    # "They" is no known actor, and neither is the "them" or "he" of what they claim: no side, no crash
    report = read_text_report("They claim the company knew there were electrical problems in the building where "
                              "he died, but didn't fix them.", origin="test")
    extraction = pipeline.extract(report)
    assert all(a.actor is not None for m in extraction.mentions for a in m.actors)
