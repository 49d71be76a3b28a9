"""Protest coding details: who the sides are, what police equipment is not, and where a march is."""
from __future__ import annotations

from datetime import date

import pytest

from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model


def extract(pipeline, text: str):
    return pipeline.extract(read_text_report(text, origin="test", published=date(2024, 12, 3), publisher="AFP"))


def test_a_march_is_a_peaceful_protest_with_the_protesters_alone(pipeline):
    extraction = extract(pipeline, "Several hundred clinical officers marched to Parliament Buildings in Nairobi on "
                                   "Monday, demanding that the government implement a pay deal.")
    event, = extraction.events
    assert (event.sub_event_type, event.actor1, event.actor2) == ("Peaceful protest", "Protesters (Kenya)", None)


def test_riot_police_do_not_make_a_riot(pipeline):
    event, = extract(pipeline, "Riot police used pepper spray and water cannon to push back thousands of "
                               "demonstrators outside parliament in Tbilisi on Monday.").events
    assert event.sub_event_type == "Protest with intervention"
    assert (event.location, event.geo_precision) == ("T'bilisi", 1)  # outside parliament, in the city


def test_rioters_still_riot(pipeline):
    event, = extract(pipeline, "Rioters clashed with riot police in Paris on Monday.").events
    assert event.sub_event_type == "Violent demonstration"


def test_the_stops_of_a_march_are_not_more_protests(pipeline):
    extraction = extract(pipeline, "Tens of thousands of people took part in a rally in downtown Chicago on "
                                   "Saturday, marching from Daley Plaza to Grant Park against the president.")
    assert [(e.sub_event_type, e.location) for e in extraction.events] == [("Peaceful protest", "Chicago")]


def test_troops_marching_are_no_protest(pipeline):
    extraction = extract(pipeline, "Russian troops marched into the village of Robotyne on Monday.")
    assert all(e.event_type != "Protests" for e in extraction.events)


def test_police_firing_on_a_road_blockade_is_excessive_force_with_the_police_as_actor2(pipeline):
    event, = extract(pipeline, "On 19 April 2022, police opened fire on residents blocking the railway line in "
                               "Rambukkana, Sri Lanka, over soaring fuel prices, killing one man.").events
    assert event.sub_event_type == "Excessive force against protesters"
    assert (event.actor1, event.fatalities) == ("Protesters (Sri Lanka)", 1)
    assert event.actor2.startswith("Police Forces of Sri Lanka")


def test_arrests_at_a_protest_are_the_protests_intervention(pipeline):
    extraction = extract(pipeline, "On 6 July 2024, police removed protesters who had blocked the Ayalon Highway in "
                                   "Tel Aviv, Israel, arresting nine of them.")
    assert [e.sub_event_type for e in extraction.events] == ["Protest with intervention"]


@pytest.mark.parametrize("text, sub", [
    ("On 16 January 2024, residents of Kayole in Nairobi caught two suspected robbers, beat them and set them on fire.",
     "Mob violence"),
    ("Unidentified men assassinated two intelligence officers in the western countryside of Daraa on Monday.",
     "Armed clash"),
])
def test_who_residents_and_unknown_men_are(pipeline, text, sub):
    assert [e.sub_event_type for e in extract(pipeline, text).events] == [sub]


@pytest.mark.parametrize("text", [
    "Soldiers fired live rounds into a flash protest against military rule in Mandalay, Myanmar, on Sunday, killing two.",
    "On 30 September 2022, security forces fired live ammunition at worshippers protesting after Friday prayers in "
    "Zahedan, Iran, killing at least 66 people.",
])
def test_forces_firing_into_a_protest_is_excessive_force(pipeline, text):
    event, = extract(pipeline, text).events
    assert event.sub_event_type == "Excessive force against protesters"
    assert event.actor2 and event.actor2.split(" (")[0] in ("Military Forces of Myanmar", "Police Forces of Iran")


def test_friday_prayers_are_no_date(pipeline):
    event, = extract(pipeline, "On 30 September 2022, security forces fired at worshippers protesting after Friday "
                               "prayers in Zahedan, Iran.").events
    assert event.event_date.isoformat() == "2022-09-30"


@pytest.mark.parametrize("text", [
    "On 14 March 2024, around 300 primary school teachers assembled outside the Ministry of Education in Nairobi, "
    "Kenya, to demand payment of salary arrears.",
    "Journalists gathered outside their union's headquarters in Tunis, Tunisia, on Thursday to call for the release "
    "of two colleagues.",
])
def test_gathering_to_demand_is_a_protest(pipeline, text):
    assert [e.sub_event_type for e in extract(pipeline, text).events] == ["Peaceful protest"]


def test_troops_gathering_are_no_protest(pipeline):
    assert not extract(pipeline, "Troops gathered near the border with Lebanon on Monday.").events


def test_taken_and_not_heard_of_since_is_a_disappearance(pipeline):
    event, = extract(pipeline, "Frontier Corps personnel took two students from their home in Turbat, Pakistan, on "
                               "Tuesday; their whereabouts remain unknown.").events
    assert event.sub_event_type == "Abduction/forced disappearance"


def test_a_name_that_starts_like_a_ruled_out_word_rules_nothing_out(pipeline):
    # "Aires" shares its stem with "air" (which keeps air strikes out of protests), but it is a name
    event, = extract(pipeline, "On 23 April 2024, university students and staff marched through Buenos Aires "
                               "against the government's freeze on funding for universities.").events
    assert event.sub_event_type == "Peaceful protest"


def test_a_crowd_dispersing_peacefully_met_no_intervention(pipeline):
    event, = extract(pipeline, "Residents of Lahore's Model Town held a sit-in on Tuesday against daily power cuts, "
                               "chanting slogans before dispersing peacefully.").events
    assert event.sub_event_type == "Peaceful protest"
