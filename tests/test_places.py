"""Places in reports: the town itself, near a town, a province, spelling variants, demonyms that are
not places, the report's country focus, and 'the area' taking the place in scope."""
from __future__ import annotations

import math
from datetime import date

import pytest

from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report

pytestmark = pytest.mark.model

HAMA = (35.13, 36.75)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


def extract(pipe, text: str, published: date | None = date(2024, 12, 3)):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher="AFP"))


def only_event(extraction):
    assert len(extraction.events) == 1, [(e.sub_event_type, e.location) for e in extraction.events]
    return extraction.events[0]


def test_the_city_of_hama_is_the_town_itself(pipe):
    event = only_event(extract(pipe, "Air strikes hit the city of Hama in Syria on Monday."))
    assert event.location == "Hama"
    assert event.geo_precision == 1
    assert (event.admin1, event.country, event.iso3) == ("Hama", "Syria", "SYR")
    assert km(event.latitude, event.longitude, *HAMA) < 10


def test_hama_city_is_the_town_itself(pipe):
    event = only_event(extract(pipe, "Rebels entered Hama city on Monday, a war monitor said."))
    assert (event.location, event.geo_precision) == ("Hama", 1)


def test_the_northern_hama_countryside_is_near_hama(pipe):
    extraction = extract(pipe, "Syrian troops clashed with rebels in the northern Hama countryside on Monday.")
    event = only_event(extraction)
    assert event.geo_precision == 2
    assert event.location == "northern Hama countryside"
    assert event.admin1 == "Hama"
    # among the towns north of Hama in its province, not on the city itself
    assert 10 < km(event.latitude, event.longitude, *HAMA) < 40 and event.latitude > HAMA[0] + 0.05
    place, = extraction.mentions[0].places
    assert place.text == "northern Hama countryside" and place.qualifier and "countryside" in place.qualifier


def test_near_a_town_is_precision_two(pipe):
    event = only_event(extract(pipe, "Army troops shelled rebel positions near the town of Saraqib in Syria on Monday."))
    assert (event.geo_precision, event.location, event.admin1) == (2, "near Saraqib", "Idlib")


def test_hama_province_is_the_admin1_area(pipe):
    event = only_event(extract(pipe, "Syrian troops clashed with rebels in Hama province on Monday."))
    assert event.geo_precision == 3
    assert event.admin1 == "Hama"
    assert event.country == "Syria"


def test_the_province_of_idlib_is_the_admin1_area(pipe):
    event = only_event(extract(pipe, "Russian warplanes struck the province of Idlib in Syria on Monday."))
    assert (event.geo_precision, event.admin1) == (3, "Idlib")


@pytest.mark.parametrize("spelling", ["Idleb", "Idlib"])
def test_idleb_is_idlib(pipe, spelling):
    event = only_event(extract(pipe, f"Syrian warplanes struck {spelling} on Monday, a war monitor said."))
    assert (event.location, event.admin1, event.country) == ("Idlib", "Idlib", "Syria")
    assert event.geo_precision == 1


def test_a_transliteration_variant_resolves(pipe):
    event = only_event(extract(pipe, "Syrian troops shelled the town of Souran in Syria on Monday."))
    assert (event.location, event.admin1) == ("Suran", "Hama")


def _overlaps(place, start: int, end: int) -> bool:
    return place.start < end and start < place.end


@pytest.mark.parametrize("text", [
    "Syrian forces shelled the town of Saraqib on Monday.",
    "Syrian forces shelled rebel positions on Monday.",
])
def test_a_demonym_is_not_a_place(pipe, text):
    extraction = extract(pipe, text)
    start, end = 0, len("Syrian")
    assert not any(_overlaps(p, start, end) for m in extraction.mentions for p in m.places if p.start >= 0)
    event = only_event(extraction)
    assert event.actor1.startswith("Military Forces of Syria")
    if "Saraqib" in text:
        assert (event.location, event.geo_precision) == ("Saraqib", 1)
    else:  # no place named: the report's country, coded as such (precision 3), not a place called "Syrian"
        assert (event.location, event.geo_precision) == ("Syria", 3)


def test_a_foreign_attackers_demonym_does_not_move_the_event(pipe):
    event = only_event(extract(pipe, "Russian warplanes carried out dozens of strikes on the town of Saraqib on Monday."))
    assert (event.location, event.country) == ("Saraqib", "Syria")


def test_the_country_focus_picks_the_syrian_suran(pipe):
    event = only_event(extract(pipe, "Syrian troops shelled the town of Suran in Syria on Monday."))
    assert event.country == "Syria"


def test_an_anchor_picks_among_same_named_towns(pipe):
    event = only_event(extract(pipe, "Turkish-backed rebels captured the village of Suran near Azaz in Aleppo province "
                                     "in Syria on Monday."))
    assert (event.location, event.admin1) == ("Suran", "Aleppo")


def test_a_libyan_tripoli(pipe):
    event = only_event(extract(pipe, "Rival militias clashed in Tripoli, the Libyan capital, on Monday."))
    assert event.country == "Libya"


def test_a_lebanese_tripoli(pipe):
    event = only_event(extract(pipe, "Gunmen clashed with Lebanese troops in Tripoli in northern Lebanon on Monday."))
    assert event.country == "Lebanon"


def test_the_area_takes_the_previous_place(pipe):
    extraction = extract(pipe, "Rebels seized the town of Saraqib in Idlib province on Monday. "
                               "Warplanes later bombed the area, a war monitor said.")
    strikes = [e for e in extraction.events if e.sub_event_type == "Air/drone strike"]
    assert len(strikes) == 1
    assert (strikes[0].location, strikes[0].admin1) == ("Saraqib", "Idlib")
    mention, = [m for m in extraction.mentions if m.sub_event_type == "Air/drone strike"]
    assert "the place in scope" in mention.why


def test_the_area_without_a_previous_place_is_not_invented(pipe):
    extraction = extract(pipe, "Warplanes bombed the area on Monday, the Syrian Observatory for Human Rights said.")
    for event in extraction.events:
        assert event.geo_precision in (None, 3)


@pytest.mark.parametrize("text, country", [
    # everyday words that also name small towns abroad: "Peace" and "Spring" (US), "Hot" (Thailand)
    ("Operation Peace Spring killed 21 civilians in Syria on Monday.", "Syria"),
    ("Turkish forces and their allied factions seized half of Ras al-Ayn (Sari Kani) in Syria on Sunday.", "Syria"),
    # "Abo" is Turku's Swedish name: an alternate name of a foreign town does not move a Syrian story
    ("Abo Mohamad, a commander of Fateh al-Sham, was killed in the eastern Ghouta on Monday.", "Syria"),
])
def test_common_words_and_foreign_alternate_names_are_not_places(pipe, text, country):
    extraction = extract(pipe, text)
    assert extraction.events
    assert {e.country for e in extraction.events} == {country}, [(e.location, e.country) for e in extraction.events]


def test_an_everyday_word_is_a_place_where_the_words_around_say_so(pipe):
    event = only_event(extract(pipe, "A gunman shot dead two people in Spring, Texas, on Monday."))
    assert (event.location, event.country) == ("Spring", "United States")


IDLIB = (35.93, 36.63)
DAMASCUS = (33.51, 36.29)


@pytest.mark.parametrize("text, south", [
    ("Government warplanes struck the southern countryside of Idlib on Monday.", True),
    ("Government warplanes struck southern Idlib on Monday.", True),
    ("Government warplanes struck areas south of Idlib on Monday.", True),
    ("Government warplanes struck Idlib's northern countryside on Monday.", False),
])
def test_a_direction_moves_the_point_that_way(pipe, text, south):
    event = only_event(extract(pipe, text))
    assert event.geo_precision == 2 and event.admin1 == "Idlib"
    assert 10 < km(event.latitude, event.longitude, *IDLIB) < 45
    assert (event.latitude < IDLIB[0]) == south


def test_the_north_east_of_a_place_is_read_across_the_hyphen(pipe):
    event = only_event(extract(pipe, "Warplanes bombed the north-eastern countryside of Hama in Syria on Monday."))
    assert event.latitude > HAMA[0] and event.longitude > HAMA[1]


@pytest.mark.parametrize("text, where", [
    # the edge of a city: its own point fits
    ("Rockets hit the southern outskirts of Damascus on Monday.", DAMASCUS),
    # a direction that is part of the name moves nothing
    ("Government forces shelled the Eastern Ghouta on Monday.", (33.53, 36.43)),
])
def test_edges_and_named_directions_stay_put(pipe, text, where):
    event = only_event(extract(pipe, text))
    assert km(event.latitude, event.longitude, *where) < 12
    assert "Eastern Eastern" not in event.location


def test_around_a_number_is_not_near_a_place(pipe):
    event = only_event(extract(pipe, "Police fired tear gas to disperse around 200 protesters in Nairobi on Monday."))
    assert (event.location, event.geo_precision) == ("Nairobi", 1)


def test_a_capital_is_a_place_unless_it_speaks(pipe):
    event = only_event(extract(pipe, "A Russian missile strike on Kyiv killed two people on Monday."))
    assert (event.location, event.country) == ("Kyiv", "Ukraine")
    extraction = extract(pipe, "Kyiv said Russian drones hit Odesa on Monday.")
    assert [e.location for e in extraction.events] == ["Odesa"]


@pytest.mark.parametrize("text, places", [
    ("Coach Jim Walsh said the team will play in Boston on Friday. Walsh said it would be hard.", ["Boston"]),
    ("Mrs. Paterson moved to London last year.", ["London"]),
    ("Talks between the US and the UK ended in Geneva.", ["United States", "United Kingdom", "Geneva"]),
    ("US STRIKES HIT YEMEN", ["Yemen"]),
])
def test_surnames_are_not_towns_and_us_is_a_country(pipe, text, places):
    found = pipe.places(read_text_report(text, origin="test"))
    assert [p.place.name for p in found.places if p.qualifier != "demonym"] == places


def test_a_demonym_is_listed_as_such_but_never_places_an_event(pipe):
    found = pipe.places(read_text_report("Russian drones struck Odesa on Monday.", origin="test"))
    assert [(p.place.name, p.qualifier) for p in found.places] == [("Russia", "demonym"), ("Odesa", None)]
    assert only_event(extract(pipe, "Russian drones struck Odesa on Monday.")).location == "Odesa"


def test_the_reports_province_picks_among_same_named_towns(pipe):
    text = ("Two people were hurt in a fire in Metcalfe County, Ky., on Monday. "
            "Firefighters from Edmonton put out the blaze.")
    found = pipe.places(read_text_report(text, origin="test"))
    edmonton = next(p for p in found.places if p.text == "Edmonton")
    assert (edmonton.place.country_code, edmonton.place.admin1) == ("US", "Kentucky")


def test_a_parish_names_the_state_that_picks_the_town(pipe):
    text = ("A woman was charged with arson in Alexandria on Friday. "
            "Deputies from the Rapides Parish Sheriff's Office arrested her.")
    found = pipe.places(read_text_report(text, origin="test"))
    alexandria = next(p for p in found.places if p.text == "Alexandria")
    assert (alexandria.place.country_code, alexandria.place.admin1) == ("US", "Louisiana")
    parish = next(p for p in found.places if p.text == "Rapides Parish")
    assert (parish.place.feature, parish.geo_precision) == ("admin2", 2)


@pytest.mark.parametrize("text, state", [
    ("A tornado hit Madison County, Alabama, on Tuesday.", "Alabama"),
    ("Flooding closed roads in Madison County, Indiana.", "Indiana"),
])
def test_the_state_named_beside_a_county_picks_it(pipe, text, state):
    found = pipe.places(read_text_report(text, origin="test"))
    county = next(p for p in found.places if p.text == "Madison County")
    assert (county.place.feature, county.place.admin1) == ("admin2", state)


def test_continents_are_listed_at_their_own_coordinates(pipe):
    found = pipe.places(read_text_report("Flights from Asia and Europe to North America were cancelled.", origin="t"))
    continents = [(p.text, p.place.feature) for p in found.places]
    assert continents == [("Asia", "continent"), ("Europe", "continent"), ("North America", "continent")]
    asia = found.places[0].place
    assert 20 < asia.latitude < 40 and 80 < asia.longitude < 100


def _where(found, text):
    return next(p for p in found.places if p.text == text).place


def test_a_report_read_together_picks_the_nearby_namesake(pipe):
    text = ("Two men were hurt in a crash near Corbin on Monday. Both were taken to a hospital in London. "
            "Laurel County deputies and Kentucky State Police are investigating.")
    london = next(p for p in pipe.places(read_text_report(text, origin="test")).places if p.text == "London")
    assert (london.place.country_code, london.place.admin1) == ("US", "Kentucky")


def _mention(pipe, text: str, place=None):
    from warmonitor.records import PlaceMention
    gaz = pipe.resources.gazetteer
    place = place or gaz.rank(gaz.candidates(text), text=text)[0]
    return PlaceMention(text=text, start=0, end=len(text), place=place, geo_precision=1, label=place.name, why="")


def test_reading_a_report_together_moves_a_far_reading_to_the_namesake_among_the_others(pipe):
    gaz = pipe.resources.gazetteer
    london_uk = max((c for c in gaz.candidates("London") if c.country_code == "GB"), key=lambda c: c.population)
    kentucky = [_mention(pipe, n) for n in ("Corbin", "Laurel County", "Barbourville")]
    moved = pipe.resources.places.cohere([_mention(pipe, "London", london_uk), *kentucky])
    assert (moved[0].place.country_code, moved[0].place.admin1) == ("US", "Kentucky")
    assert "other names" in moved[0].why
    # one Kentucky name is not enough to move a city of millions
    kept = pipe.resources.places.cohere([_mention(pipe, "London", london_uk), kentucky[0]])
    assert kept[0].place.id == london_uk.id


def test_a_country_gives_way_only_to_a_state_of_its_name(pipe):
    gaz = pipe.resources.gazetteer
    georgia = gaz.country("GE")
    us = [_mention(pipe, n) for n in ("Atlanta", "Marietta", "Macon")]
    moved = pipe.resources.places.cohere([_mention(pipe, "Georgia", georgia), *us])
    assert (moved[0].place.feature, moved[0].place.country_code) == ("admin1", "US")
    russia = pipe.resources.places.cohere([_mention(pipe, "Russia", gaz.country("RU")), *us])
    assert russia[0].place.feature == "country"  # no town called Russia replaces the country


def test_one_small_namesake_does_not_move_a_capital(pipe):
    text = "The talks in Paris ended on Friday. The delegates then flew home to Lexington."
    paris = _where(pipe.places(read_text_report(text, origin="test")), "Paris")
    assert paris.country_code == "FR"


@pytest.mark.parametrize("text, country", [
    ("Spanish police arrested two men in Bilbao.", "Spain"),
    ("Sri Lankan troops left the town on Monday.", "Sri Lanka"),
    ("Ghanaian police broke up the march in Accra.", "Ghana"),
])
def test_every_countrys_people_are_a_demonym(pipe, text, country):
    found = pipe.places(read_text_report(text, origin="test"))
    first = found.places[0]
    assert (first.text, first.place.name, first.qualifier) == (text.split(" police")[0].split(" troops")[0], country, "demonym")


def test_a_chinese_province_is_named_without_its_sheng(pipe):
    found = pipe.places(read_text_report("Floods hit Zhejiang and Henan on Monday.", origin="test"))
    assert [(p.text, p.place.feature) for p in found.places] == [("Zhejiang", "admin1"), ("Henan", "admin1")]


@pytest.mark.parametrize("text, places", [
    ("Nine-year-old Georgia Stevens is lacing her skates in Innisfail.", ["Innisfail"]),
    ("His neighbours Jerome Faulkner and his wife moved to Durham last year.", ["Durham"]),
    ("Marc Emery, who runs a shop in Toronto, was arrested. Emery denied the charges.", ["Toronto"]),
    ("Rockets hit Hama Military Airport on Monday.", ["Hama"]),
])
def test_a_first_name_a_town_shares_is_a_person_before_a_surname(pipe, text, places):
    found = pipe.places(read_text_report(text, origin="test"))
    assert [p.place.name for p in found.places if p.qualifier != "demonym"] == places


def test_places_named_in_passing_are_listed_but_place_no_event(pipe):
    text = "BEIRUT, Dec 4 (Reuters) - Ankara-backed factions shelled Manbij on Monday, the U.S.-led coalition said."
    found = pipe.places(read_text_report(text, origin="test"))
    listed = {(p.text, p.qualifier) for p in found.places}
    assert {("BEIRUT", "dateline"), ("Ankara", "in passing"), ("U.S.", "in passing"), ("Manbij", None)} <= listed
    assert [e.location for e in extract(pipe, text).events] == ["Manbij"]


def test_a_shared_demonym_names_the_most_populous_country(pipe):
    found = pipe.places(read_text_report("American officials met in Geneva.", origin="test"))
    assert (found.places[0].text, found.places[0].place.country_code) == ("American", "US")


def test_a_county_and_a_town_pull_each_other_to_the_same_state(pipe):
    text = ("Deputies from Henderson County arrested a man near Frankston on Friday. "
            "He was taken to the jail in Athens.")
    found = pipe.places(read_text_report(text, origin="test"))
    assert _where(found, "Henderson County").admin1 == "Texas"
    assert (_where(found, "Athens").country_code, _where(found, "Athens").admin1) == ("US", "Texas")


def test_a_province_spelled_like_a_town_keeps_its_own_capital(pipe):
    found = pipe.places(read_text_report("Flooding hit towns across Minnesota on Monday.", origin="test"))
    assert (found.places[0].place.name, found.places[0].place.feature) == ("Minnesota", "admin1")


@pytest.mark.parametrize("text, name, iso", [
    ("Shelling hit Kafr Nabudah in Hama province.", "Kafr Nabudah", "SY-HM"),
    ("Drones struck Kharkiv overnight.", "Kharkiv", "UA-63"),
    ("A tornado hit Madison County, Alabama.", "Madison County", "US-AL"),
])
def test_every_resolved_place_carries_its_provinces_iso_code(pipe, text, name, iso):
    found = pipe.places(read_text_report(text, origin="test"))
    place = next(p for p in found.places if p.place.name == name or p.text == name)
    assert place.place.admin1_iso == iso


@pytest.mark.parametrize("text, where", [
    ("At least 45 people have been killed in the US latest airstrike in Syria, a monitor said.", "Syria"),
    ("Six civilians were killed in U.S. air strikes in Syria on Sunday, a monitor said.", "Syria"),
    ("Russia's warplanes struck rebel positions in Syria on Monday, a monitor said.", "Syria"),
    ("Two civilians were killed in Syria in the first deaths since a truce put in place by Russia and the "
     "United States began on Monday.", "Syria"),
    ("The United States launched 59 cruise missiles at the Shayrat airbase near Homs on Thursday.", "near Homs"),
    ("Two civilians were killed in Syria on Friday, the first deaths since a US-Russian-brokered ceasefire began.",
     "Syria"),
    ("Kurdish-led forces killed 35 Daesh (outlawed in Russia) militants in Syria on Sunday.", "Syria"),
])
def test_a_country_named_as_who_acted_does_not_place_the_event(pipe, text, where):
    events = extract(pipe, text).events
    assert events and all(e.location == where for e in events), [(e.sub_event_type, e.location) for e in events]


def test_a_country_is_still_where_it_happened(pipe):
    # the same words around a country that is where the strikes fell
    event = only_event(extract(pipe, "Israeli jets carried out air strikes in Syria on Monday, killing three soldiers."))
    assert (event.location, event.country) == ("Syria", "Syria")


def test_a_town_s_police_is_not_a_country_that_acted(pipe):
    # "by Lebanon Police": the agent is the police, so the name is read as a place, not set aside as an
    # actor (which of the Lebanons: see cohere's COUNTRY_TO_TOWN; two places around the town are not enough)
    found = pipe.places(read_text_report("He was taken into custody by Lebanon Police in Boone County, Indiana.",
                                         origin="test"))
    assert {p.text: p.qualifier for p in found.places}["Lebanon"] is None


def test_a_dateline_run_into_the_line_before_is_still_a_dateline(pipe):
    text = "Syrian Army Kills Dozens of Militants in Deir ez-Zor MOSCOW (Sputnik) A total of 24 militants were killed."
    found = pipe.places(read_text_report(text, origin="test"))
    assert ("MOSCOW", "dateline") in {(p.text, p.qualifier) for p in found.places}
    assert all(e.location != "Moscow" for e in extract(pipe, text).events)


def test_a_foreign_city_is_not_read_from_one_of_its_lesser_names(pipe):
    # "Midan" is a quarter of Damascus and of Aleppo, and also an alternate name of Medan, Indonesia
    text = ("Rocket shells fired on the al-Midan neighbourhood in Aleppo killed six civilians on Friday. "
            "Government forces shelled Idlib, the Syrian army said.")
    assert all(e.country == "Syria" for e in extract(pipe, text).events)
    found = pipe.places(read_text_report(text, origin="test"))
    assert all(p.place.country_code == "SY" for p in found.places if p.text == "Midan")


def test_a_country_is_not_a_small_town_of_its_name_in_the_reports_country(pipe):
    # the report is about the US, and Ohio has a village called Russia: Russia is still the country
    text = ("Officials in Ohio and Indiana said on Monday that the United States would answer Russia. "
            "Russia denied it.")
    found = pipe.places(read_text_report(text, origin="test"))
    assert {p.place.country_code for p in found.places if p.text == "Russia"} == {"RU"}
