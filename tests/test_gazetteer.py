"""The gazetteer: shipped names resolve to places with admin-1 areas, countries and coordinates."""
from __future__ import annotations

import math

import pytest

from warmonitor.resolve.gazetteer import Gazetteer, name_key, variant_keys


def km(a, b) -> float:
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    return Gazetteer.load(cache_dir=tmp_path_factory.mktemp("cache"))


def best(gaz: Gazetteer, text: str, *countries: str):
    ranked = gaz.rank(gaz.candidates(text), country_codes=countries, text=text)
    assert ranked, f"no candidate for {text!r}"
    return ranked[0]


def test_name_key_drops_case_accents_and_a_leading_article():
    assert name_key("al-Latamneh") == name_key("Al Latamneh") == "latamneh"
    assert name_key("Ḩamāh") == "hamah"
    assert name_key("Ma‘arrat an Nu‘mān") == name_key("Maarrat an-Numan")
    assert name_key("Al") == "al"  # a lone article is a name, not a prefix


def test_variant_keys_fold_transliterations():
    def folded(text):
        return variant_keys(text)[-1]

    assert folded("Tell Rifaat") == folded("Tal Rifaat") == folded("Tall Rif'at")
    assert folded("Deir ez-Zor") == folded("Dayr az Zawr")
    assert folded("Sheikh Miskin") == folded("Shaykh Miskin")
    assert folded("Latamneh") == folded("Latamna")
    assert folded("Idleb") == folded("Idlib")


@pytest.mark.parametrize(
    "text, admin1",
    [("Hama", "Hama"), ("Hamah", "Hama"), ("Idlib", "Idlib"), ("Idleb", "Idlib"), ("Aleppo", "Aleppo"), ("Halab", "Aleppo")],
)
def test_syrian_cities_resolve_with_their_governorate(gaz, text, admin1):
    place = best(gaz, text)
    assert (place.feature, place.country_code, place.country, place.iso3) == ("city", "SY", "Syria", "SYR")
    assert place.admin1 == admin1
    assert place.id.startswith("geonames:")


def test_admin1_by_name_or_spelling_has_a_centre_near_its_capital(gaz):
    hama = gaz.admin1("SY", "Hama")
    assert hama is not None and (hama.feature, hama.name, hama.admin1_code) == ("admin1", "Hama", "10")
    assert km(hama, best(gaz, "Hama", "SY")) < 60
    idlib = gaz.admin1("SY", "Idleb")
    assert idlib is not None and idlib.name == "Idlib"
    assert km(idlib, best(gaz, "Idlib", "SY")) < 60
    assert gaz.admin1("SY", "Dayr az Zawr").name == "Deir ez-Zor"
    assert gaz.admin1("SY", "Rif Dimashq").name == "Rural Damascus"
    assert gaz.admin1("UA", "Kherson").name == "Kherson Oblast"
    assert gaz.admin1("SY", "Kherson") is None


def test_admin1_of_a_city(gaz):
    assert gaz.admin1_of(best(gaz, "Aleppo", "SY")).name == "Aleppo"


def test_ucdp_village_from_the_supplement_resolves(gaz):
    for text in ("Latamneh", "al-Latamneh", "Al Lataminah"):
        place = best(gaz, text, "SY")
        assert place.country_code == "SY" and place.admin1 == "Hama", text
        assert place.id.startswith("ucdp:")


@pytest.mark.parametrize(
    "a, b",
    [("Tell Rifaat", "Tal Rifaat"), ("Deir ez-Zor", "Dayr az Zawr"), ("Khan Sheikhoun", "Khan Shaykhun")],
)
def test_transliteration_variants_name_the_same_place(gaz, a, b):
    assert best(gaz, a, "SY").id == best(gaz, b, "SY").id


def test_country_hint_picks_the_syrian_candidate(gaz):
    candidates = gaz.candidates("Homs")
    assert {p.country_code for p in candidates} > {"SY"}  # also Al Khums, Libya
    assert gaz.rank(candidates, country_codes=["SY"])[0].country_code == "SY"
    assert gaz.rank(candidates, country_codes=["LY"])[0].country_code == "LY"


def test_admin1_hint_outranks_population(gaz):
    ranked = gaz.rank(gaz.candidates("Damascus"), admin1_hint="Maryland")
    assert ranked[0].country_code == "US"


def test_cities_outrank_their_province_but_a_hamlet_does_not(gaz):
    ranked = gaz.rank(gaz.candidates("Hama"), country_codes=["SY"], text="Hama")
    assert [p.feature for p in ranked[:2]] == ["city", "admin1"]


def test_countries_and_demonyms(gaz):
    for text, iso3 in [("Syria", "SYR"), ("Syrian Arab Republic", "SYR"), ("Ukraine", "UKR"), ("Sudan", "SDN"), ("SY", "SYR"), ("SDN", "SDN")]:
        place = gaz.country(text)
        assert place is not None and place.feature == "country" and place.iso3 == iso3, text
    assert gaz.country("Syria").name == "Syria"
    assert gaz.countries_by_demonym("Syrian") == "SY"
    assert gaz.countries_by_demonym("Russian") == "RU"
    assert gaz.countries_by_demonym("Syrians") == "SY"
    assert gaz.countries_by_demonym("Blue") is None
    assert best(gaz, "Syria").feature == "country"


def test_is_known_and_max_name_tokens(gaz):
    assert gaz.is_known("Hama") and gaz.is_known("Idleb") and gaz.is_known("Tal Rifaat")
    assert not gaz.is_known("Observatory for Human Rights")
    assert gaz.max_name_tokens >= 3


def test_cache_round_trip_and_corrupt_cache(tmp_path):
    first = Gazetteer.load(countries=["SY"], cache_dir=tmp_path)
    caches = list(tmp_path.glob("*.pickle"))
    assert len(caches) == 1
    second = Gazetteer.load(countries=["SY"], cache_dir=tmp_path)
    for text in ("Hama", "Latamneh", "Tell Rifaat"):
        assert first.candidates(text) == second.candidates(text)
    assert first.max_name_tokens == second.max_name_tokens
    assert first.candidates("Kherson") == []  # only Syria's towns were loaded

    caches[0].write_bytes(b"not a pickle")
    third = Gazetteer.load(countries=["SY"], cache_dir=tmp_path)
    assert third.candidates("Hama") == first.candidates("Hama")


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WARMONITOR_CACHE_DIR", str(tmp_path / "env"))
    Gazetteer.load(countries=["SY"])
    assert list((tmp_path / "env").glob("*.pickle"))


def degrees_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from warmonitor.resolve.gazetteer import haversine_km
    return haversine_km(*map(math.radians, (lat1, lon1, lat2, lon2)))


def test_a_country_is_placed_at_geonames_own_point_not_its_capital():
    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    canada, russia, usa = gaz.country("CA"), gaz.country("RU"), gaz.country("US")
    assert degrees_km(canada.latitude, canada.longitude, 60.10867, -113.64258) < 1  # Ottawa is at 45.4, -75.7
    assert degrees_km(usa.latitude, usa.longitude, 39.76, -98.5) < 1  # Washington is at 38.9, -77.0
    assert russia.longitude > 80  # Moscow is at 37.6


def test_geonames_centres_file_is_valid():
    """Every row of the hand-gathered GeoNames points names a known country (and province) and lies
    inside the world; each country appears once."""
    from importlib import resources

    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    text = resources.files("warmonitor.data").joinpath("gazetteer/geonames_centres.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 250
    countries = [cc for cc, area, _, _ in rows if not area]
    assert len(countries) == len(set(countries)) > 190
    for cc, area, lat, lon in rows:
        assert gaz.country(cc) is not None, cc
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, (cc, area)
        if area:
            assert gaz.admin1(cc, area) is not None, (cc, area)


@pytest.mark.parametrize("text, state, near", [
    ("Laurel County", "Kentucky", (37.1, -84.1)),
    ("Rapides Parish", "Louisiana", (31.2, -92.5)),
    ("Oxfordshire", "England", (51.8, -1.3)),
])
def test_counties_and_parishes_are_second_level_areas(text, state, near):
    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    best = gaz.rank(gaz.candidates(text), text=text)[0]
    assert (best.feature, best.admin1) == ("admin2", state)
    assert degrees_km(best.latitude, best.longitude, *near) < 40


def test_a_county_name_never_hides_a_town_of_the_same_name():
    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    assert all(p.feature != "admin2" for p in gaz.candidates("Kent"))  # the towns, not the English county


@pytest.mark.parametrize("text, area", [("Ky.", "Kentucky"), ("B.C.", "British Columbia"), ("Tex.", "Texas"),
                                        ("N.Y.", "New York")])
def test_press_abbreviations_of_states_and_provinces(text, area):
    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    best = gaz.rank(gaz.candidates(text), text=text)[0]
    assert (best.name, best.feature) == (area, "admin1")


def test_a_town_carries_its_county_where_the_data_has_one():
    from warmonitor.resolve.gazetteer import Gazetteer
    gaz = Gazetteer.load()
    corbin = next(p for p in gaz.candidates("Corbin") if p.admin1 == "Kentucky")
    assert corbin.admin2 == "Whitley County"
