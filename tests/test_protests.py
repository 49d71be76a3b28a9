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
