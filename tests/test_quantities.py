"""Quantities: numbers in words and digits, what they count, their bounds, and ACLED's conservative
readings of vague amounts ("dozens" = 12, "hundreds" = 100); dates and durations are not quantities."""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.extraction.quantities import NumberWords, find_quantities
from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


@pytest.fixture(scope="module")
def words() -> NumberWords:
    return NumberWords.load()


def quantities(pipe, words, text: str) -> list[tuple[str, int, int | None, int | None]]:
    doc = pipe.resources.nlp(text)
    return [(q.metric, q.value, q.low, q.high) for sent in doc.sents for q in find_quantities(sent, words)]


def extract(pipe, text: str, published: date | None = date(2024, 12, 3)):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher="AFP"))


def test_the_number_words_are_shipped_data(words):
    assert words.vague["dozens"] == 12 and words.vague["hundreds"] == 100 and words.vague["tens"] == 10
    assert "at least" in words.low and "nearly" in words.high


@pytest.mark.parametrize("text, expected", [
    ("At least 13 people were killed in the town of Saraqib.", ("killed", 13, 13, None)),
    ("Two policemen were killed in the town of Saraqib.", ("killed", 2, None, None)),
    ("Hundreds of people were killed in the fighting.", ("killed", 100, None, None)),
    ("Dozens of fighters were killed in the clashes.", ("killed", 12, None, None)),
    ("Tens of thousands of people fled the fighting.", ("displaced", 10_000, None, None)),
    ("Nearly 50,000 people have been displaced by the fighting, the UN says.", ("displaced", 50_000, None, 50_000)),
    ("More than 500,000 people have been killed in the war.", ("killed", 500_000, 500_000, None)),
    ("The death toll rose to 74.", ("killed", 74, None, None)),
    ("The attack left 40 people dead.", ("killed", 40, None, None)),
    ("Security forces detained 30 demonstrators.", ("detained", 30, None, None)),
])
def test_a_number_and_what_it_counts(pipe, words, text, expected):
    assert quantities(pipe, words, text) == [expected]


def test_a_dozen_is_twelve(pipe, words):
    assert quantities(pipe, words, "A dozen people were killed in the town of Saraqib.") == [("killed", 12, None, None)]


def test_a_hyphenated_number_word_is_one_number(pipe, words):
    assert quantities(pipe, words, "Twenty-five people were wounded in the blast.") == [("injured", 25, None, None)]


def test_dozens_of_strikes_count_strikes_not_deaths(pipe, words):
    assert quantities(pipe, words, "Syrian and Russian air forces carried out dozens of strikes on the area.") == [
        ("strikes", 12, None, None)]
    extraction = extract(pipe, "Russian and Syrian warplanes carried out dozens of strikes on the city of Idlib "
                               "in Syria on Monday.")
    assert extraction.events and all(e.fatalities == 0 for e in extraction.events)
    assert [(f.metric, f.value, f.text) for f in extraction.figures] == [("strikes", 12, "dozens of strikes")]


def test_killed_and_wounded_together_are_casualties(pipe, words):
    assert quantities(pipe, words, "Air strikes killed and wounded 47 people in the town of Saraqib.") == [
        ("casualties", 47, None, None)]
    extraction = extract(pipe, "Air strikes killed and wounded 47 people in the town of Saraqib in Syria on Monday.")
    event, = extraction.events
    assert event.fatalities == 0


def test_killed_and_wounded_with_their_own_numbers_stay_apart(pipe, words):
    assert quantities(pipe, words, "Shelling killed three people and wounded 15 others in the town of Saraqib.") == [
        ("killed", 3, None, None), ("injured", 15, None, None)]
    extraction = extract(pipe, "Shelling killed three people and wounded 15 others in the town of Saraqib in Syria "
                               "on Monday.")
    assert [e.fatalities for e in extraction.events] == [3]


def test_injuries_are_not_fatalities(pipe):
    extraction = extract(pipe, "Shelling wounded 15 civilians in the town of Saraqib in Syria on Monday.")
    event, = extraction.events
    assert event.fatalities == 0
    assert [(f.metric, f.value) for f in extraction.figures] == [("injured", 15)]


def test_an_event_takes_the_stated_death_count(pipe):
    extraction = extract(pipe, "At least 13 people were killed in an air strike on the town of Saraqib in Syria on Monday.")
    event, = extraction.events
    assert event.fatalities == 13
    figure, = extraction.figures
    assert (figure.metric, figure.value, figure.low, figure.text) == ("killed", 13, 13, "At least 13 people")


@pytest.mark.parametrize("text", [
    "Fighting in 2011 changed the town of Saraqib.",
    "Over the past 24 hours the town of Saraqib was calm.",
    "On 3 December the town of Saraqib was calm.",
    "The town of Saraqib lies 20 km south of Idlib.",
    "Rebels reached the town at 5 pm.",
])
def test_years_durations_dates_and_distances_are_not_quantities(pipe, words, text):
    assert quantities(pipe, words, text) == []


def test_a_duration_beside_a_toll_counts_only_the_toll(pipe, words):
    assert quantities(pipe, words, "Strikes over the past 24 hours killed 6 people in 2024.") == [("killed", 6, None, None)]


def test_a_number_whose_metric_cannot_be_told_is_not_a_quantity(pipe, words):
    assert quantities(pipe, words, "The two men met in the town of Saraqib.") == []


def test_a_running_total_is_not_the_events_toll(pipeline):
    from warmonitor.reports import read_text_report
    report = read_text_report("Shelling on Damascus killed 13 people on Monday, raising to 505 the number of people "
                              "killed since mid-November.", origin="test", published=date(2024, 12, 3), publisher="AFP")
    extraction = pipeline.extract(report)
    event, = [e for e in extraction.events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert event.fatalities == 13


@pytest.mark.parametrize("text, dead", [
    ("Government forces shelled Idlib on Monday, killing a woman and her two children.", 3),
    ("Armed men shot dead a mayoral candidate at a campaign event in Coyuca de Benitez, Mexico, on Monday.", 1),
    ("A tractor hit an anti-tank mine near Beryslav in Ukraine on Monday, killing its driver.", 1),
    ("Russian artillery shelled Kherson on Monday, killing two policemen and wounding a passer-by.", 2),
    ("Gunmen killed three and wounded 15 in Kaduna, Nigeria, on Monday.", 3),
    # a man shot may have survived; plural victims without a number are not counted
    ("Gunmen shot a man in Kaduna, Nigeria, on Monday.", 0),
    ("Gunmen killed villagers in Kaduna, Nigeria, on Monday.", 0),
])
def test_people_named_without_a_number_count_one_each(pipeline, text, dead):
    extraction = pipeline.extract(read_text_report(text, origin="test", published=date(2024, 12, 3), publisher="AFP"))
    assert extraction.events
    assert extraction.events[0].fatalities == dead, [(e.sub_event_type, e.fatalities) for e in extraction.events]


def test_who_dies_is_the_victim_and_the_toll_of_the_ambush_before(pipeline):
    text = ("On 9 February 2024, JNIM fighters ambushed a Malian army convoy near Diabaly (Segou). "
            "The army said 11 soldiers died.")
    extraction = pipeline.extract(read_text_report(text, origin="test", published=date(2024, 2, 10)))
    event, = extraction.events
    assert (event.sub_event_type, event.fatalities) == ("Armed clash", 11)
    assert event.actor1.startswith("JNIM") and event.actor2.startswith("Military Forces of Mali")


@pytest.mark.parametrize("text, dead", [
    ("On 20 June 2024, a mob in Madyan, Pakistan, beat a man to death.", 1),
    ("On 16 January 2024, residents of Kayole in Nairobi caught two robbers and set them on fire, killing both.", 2),
    ("A crowd in Taxco, Mexico, beat to death a woman suspected of killing an eight-year-old girl on Thursday.", 1),
    ("On 30 July 2023, a suicide bomber blew himself up at a party rally in Khar, Pakistan, killing at least 54 people.",
     54),
    ("On 3 March 2024, an army patrol vehicle struck an explosive device planted by militants near Banibangou, Niger, "
     "killing four soldiers.", 4),
])
def test_tolls_that_need_the_whole_sentence(pipeline, text, dead):
    extraction = pipeline.extract(read_text_report(text, origin="test", published=date(2024, 12, 3)))
    assert len(extraction.events) == 1, [(e.sub_event_type, e.fatalities) for e in extraction.events]
    assert extraction.events[0].fatalities == dead


@pytest.mark.parametrize("text, subs, dead", [
    ("On 5 March 2025, two men on a motorbike shot and killed a journalist in Ciudad Obregon, Mexico.", ["Attack"], 1),
    ("On 2 July 2024, 121 people were crushed to death in a stampede after a religious gathering in Hathras, India.", [], 0),
    ("Separatist fighters and Cameroonian soldiers traded gunfire in Bamenda, Cameroon, on Monday. Four separatists "
     "were killed, the military said.", ["Armed clash"], 4),
])
def test_killers_counted_in_the_subject_and_deaths_that_are_no_conflict(pipeline, text, subs, dead):
    extraction = pipeline.extract(read_text_report(text, origin="test", published=date(2025, 3, 6)))
    assert [e.sub_event_type for e in extraction.events] == subs
    assert sum(e.fatalities for e in extraction.events) == dead
