"""Modality: negated, hypothetical, intended, historical and denied mentions are kept, with why they
were not coded, and never become events; asserted and reported ones do."""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


def extract(pipe, text: str, published: date | None = date(2024, 12, 3), publisher: str | None = "AFP"):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher=publisher))


def assert_kept_not_coded(extraction, modality: str, trigger_word: str):
    assert extraction.events == ()
    assert extraction.control_changes == ()
    kept = [m for m in extraction.mentions if trigger_word.lower() in m.trigger.lower()]
    assert kept, f"no mention kept for {trigger_word!r}: {[m.trigger for m in extraction.mentions]}"
    for mention in kept:
        assert mention.modality == modality
        assert mention.why_not_coded, "a mention that is not coded says why"
        assert not mention.coded


@pytest.mark.parametrize("text, modality, trigger", [
    ("Syrian government forces did not shell the town of Saraqib on Monday.", "negated", "shell"),
    ("Police did not open fire on the crowd in the Syrian town of Saraqib on Monday.", "negated", "fire"),
    ("Witnesses said no air strikes hit the town of Saraqib in Syria on Monday.", "negated", "strikes"),
    ("An assault on the city of Hama would cause a humanitarian catastrophe, the UN warned.", "hypothetical", "assault"),
    ("A rebel takeover of Hama would pose a threat to the regime, a war monitor said.", "hypothetical", "takeover"),
    ("If rebels captured the town of Morek in Syria, they could reach Hama.", "hypothetical", "captured"),
    ("The rebels vowed to capture the city of Hama in Syria.", "intended", "capture"),
    ("\"We want to capture Hama in the coming days,\" a rebel fighter told AFP.", "intended", "capture"),
    ("Rebels will attack the city of Hama in Syria next week, their commander said.", "intended", "attack"),
    ("Government forces shelled the town of Saraqib in Syria in 2012, the monitor said.", "historical", "shelled"),
    ("For many residents of Hama, the scars of the 1982 massacre by the army have yet to heal.", "historical", "massacre"),
    ("The Syrian army denied shelling the town of Saraqib on Monday.", "denied", "shelling"),
])
def test_not_news_is_kept_as_a_mention_without_an_event(pipe, text, modality, trigger):
    assert_kept_not_coded(extract(pipe, text), modality, trigger)


def test_police_did_not_fire_on_the_crowd(pipe):
    extraction = extract(pipe, "Police did not fire on the crowd in the Syrian town of Saraqib on Monday.")
    assert_kept_not_coded(extraction, "negated", "fire")


def test_the_why_names_the_cue(pipe):
    why = {m.modality: m.why_not_coded for text in (
        "Syrian government forces did not shell the town of Saraqib on Monday.",
        "The rebels vowed to capture the city of Hama in Syria.",
        "The Syrian army denied shelling the town of Saraqib on Monday.",
        "Government forces shelled the town of Saraqib in Syria in 2012, the monitor said.",
    ) for m in extract(pipe, text).mentions}
    assert "not" in why["negated"]
    assert "vowed" in why["intended"]
    assert "denied" in why["denied"]
    assert "2012" in why["historical"]


def test_a_year_long_before_publication_is_background(pipe):
    extraction = extract(pipe, "Russia first intervened directly in Syria's war in 2015 with strikes on rebel-held areas.")
    assert extraction.events == ()
    assert all(m.modality == "historical" for m in extraction.mentions)
    assert extraction.mentions


def test_the_same_day_is_not_background(pipe):
    extraction = extract(pipe, "Government forces shelled the town of Saraqib in Syria on 2 December 2024.")
    event, = extraction.events
    assert event.event_date == date(2024, 12, 2)


def test_background_killings_are_not_figures(pipe):
    extraction = extract(pipe, "Hama was the site of the 1982 massacre, when government forces killed thousands of people.")
    assert extraction.events == ()
    assert extraction.figures == ()


@pytest.mark.parametrize("text, modality, source", [
    ("Syrian troops shelled the town of Saraqib in Idlib province on Monday.", "asserted", None),
    ("Syrian troops shelled the town of Saraqib on Monday, a war monitor said.", "reported",
     "Syrian Observatory for Human Rights"),
])
def test_an_asserted_or_reported_event_stays_coded(pipe, text, modality, source):
    extraction = extract(pipe, text)
    event, = extraction.events
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    mention, = [m for m in extraction.mentions if m.coded]
    assert mention.modality == modality and mention.why_not_coded is None
    assert [e.modality for e in event.evidence] == [modality]
    assert (mention.attribution.source if mention.attribution else None) == source


def test_a_claim_is_coded_as_claimed(pipe):
    extraction = extract(pipe, "Hayat Tahrir al-Sham claimed it shot down a Syrian warplane over Idlib province on Monday.")
    claimed = [m for m in extraction.mentions if m.modality == "claimed"]
    assert claimed and all(m.coded for m in claimed)


def test_a_news_event_beside_a_background_one(pipe):
    extraction = extract(pipe, "Rebels captured the town of Morek in Syria on Monday, a war monitor said. "
                               "The town was the site of frequent clashes early in the war.")
    assert [e.sub_event_type for e in extraction.events] == ["Non-state actor overtakes territory"]
    assert any(m.modality == "historical" for m in extraction.mentions)


def test_background_in_an_introductory_clause_does_not_reach_the_main_clause(pipe):
    extraction = extract(pipe, "After his father was killed years ago, clashes in the Hama countryside killed a "
                               "rebel commander in Syria on Monday.")
    assert [e.sub_event_type for e in extraction.events] == ["Armed clash"]


def test_background_that_opens_the_sentence_still_counts(pipe):
    assert_kept_not_coded(extract(pipe, "Five years ago, warplanes struck the town of Saraqib in Syria."),
                          "historical", "struck")


def test_a_headline_ellipsis_ends_the_intention(pipe):
    extraction = extract(pipe, "Amid preparations for the battle of the South…violent fighting rages between "
                               "government forces and rebels in the countryside of Daraa")
    assert [e.sub_event_type for e in extraction.events] == ["Armed clash"]


def test_a_running_tally_since_a_date_does_not_make_the_event_a_summary(pipe):
    extraction = extract(pipe, "Shelling on Damascus killed 13 people on Monday, raising to 505 the number of "
                               "people killed since mid-November.")
    event, = [e for e in extraction.events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert event.event_date == date(2024, 12, 2) and event.fatalities == 13


def test_a_campaign_since_a_date_is_still_a_summary(pipe):
    extraction = extract(pipe, "Government shelling has killed 505 people in Damascus since mid-November.")
    assert not [e for e in extraction.events if e.sub_event_type == "Shelling/artillery/missile attack"]


def test_a_dated_event_note_is_news_however_late_it_is_filed(pipe):
    extraction = extract(pipe, "On 14 March 2024, JNIM militants ambushed a Malian army convoy near Boni (Mopti). "
                               "Seven soldiers were killed.", published=date(2024, 9, 1))
    event, = extraction.events
    assert (event.sub_event_type, event.event_date, event.fatalities) == ("Armed clash", date(2024, 3, 14), 7)
