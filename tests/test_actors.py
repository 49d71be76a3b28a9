"""The actor registry (data/actors.jsonl, data/generic_actors.toml): valid entries, names that follow
an actor's active period, generic nouns turned into ACLED's generic actors, and user extensions."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from warmonitor.errors import ReferenceDataError
from warmonitor.extraction.phrases import words_of
from warmonitor.pipeline import Pipeline
from warmonitor.reports import read_text_report
from warmonitor.resolve.actors import ActorRegistry
from conftest import shipped_actor_lines

OLD_SYRIAN_ARMY = "Military Forces of Syria (2000-2024)"
NEW_SYRIAN_ARMY = "Military Forces of Syria (2024-)"




@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.fixture(scope="module")
def pipe(pipeline) -> Pipeline:
    return pipeline


def extract(pipe, text: str, published: date | None = date(2024, 12, 3), publisher: str | None = None):
    return pipe.extract(read_text_report(text, origin="test", published=published, publisher=publisher))


def actor_names(extraction) -> set[str]:
    return {a.actor.name for m in extraction.mentions for a in m.actors}


# --- the shipped registry is valid ------------------------------------------------------------------

def test_every_shipped_entry_is_well_formed():
    problems = []
    for line, raw in shipped_actor_lines():
        if not isinstance(raw.get("name"), str) or not raw["name"].strip():
            problems.append(f"actors.jsonl:{line}: no name")
        if raw.get("inter") not in range(1, 9):
            problems.append(f"actors.jsonl:{line}: inter {raw.get('inter')!r} is not 1-8")
        if not isinstance(raw.get("aliases"), list) or not all(isinstance(a, str) and a.strip() for a in raw["aliases"]):
            problems.append(f"actors.jsonl:{line}: aliases is not a list of names")
        country = raw.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
            problems.append(f"actors.jsonl:{line}: country {country!r} is not an ISO2 code or null")
    assert problems == []


def test_canonical_names_are_unique(registry):
    counts = Counter(entry.actor.name for entry in registry.named)
    assert [name for name, n in counts.items() if n > 1] == []


def _periods_overlap(a, b) -> bool:
    a_from, a_to = a.active_from or date.min, a.active_to or date.max
    b_from, b_to = b.active_from or date.min, b.active_to or date.max
    return a_from < b_to and b_from < a_to


def test_no_alias_means_two_actors_of_one_country_at_the_same_time(registry):
    by_alias: dict[tuple[str, ...], list] = {}
    for entry in registry.named:
        for alias in {entry.actor.name, *entry.actor.aliases}:
            by_alias.setdefault(tuple(words_of(alias)), []).append(entry)
    clashes = []
    for alias, entries in by_alias.items():
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                # across countries a shared alias is read by the report's country ("Islamic State" in Iraq)
                if a.actor.name != b.actor.name and a.actor.country == b.actor.country and _periods_overlap(a, b):
                    clashes.append((" ".join(alias), a.actor.name, b.actor.name))
    assert clashes == []


def test_entries_per_country_cover_the_town_level_countries(registry):
    per_country = Counter(entry.actor.country for entry in registry.named)
    # DESIGN.md: Syria, Ukraine, Sudan, Gaza/Israel, Myanmar, Yemen, the Sahel and DR Congo at town level
    for area, codes in {"Syria": {"SY"}, "Ukraine": {"UA"}, "Sudan": {"SD"}, "Gaza/Israel": {"PS", "IL"},
                        "Myanmar": {"MM"}, "Yemen": {"YE"}, "Sahel": {"ML", "BF", "NE"}, "DR Congo": {"CD"}}.items():
        assert sum(per_country[c] for c in codes) >= 1, f"no actor for {area}"
    assert per_country.most_common(1)[0][0] == "SY"  # the reference report's country is covered most
    assert sum(per_country.values()) == len(registry.named)


def test_named_actors_are_found_with_their_inter_codes(registry):
    hts = registry.resolve(registry.names.get("HTS"), date(2024, 12, 3))
    assert (hts.name, hts.inter, hts.country) == ("Hayat Tahrir al-Sham", 2, "SY")
    assert registry.names.get("Hayat Tahrir al Sham") == registry.names.get("HAYAT TAHRIR AL-SHAM")
    russia = registry.resolve(registry.names.get("Russian forces"), date(2024, 12, 3))
    assert russia.inter == 8  # a foreign military is ACLED's External/Other forces


# --- active periods -----------------------------------------------------------------------------------

@pytest.mark.parametrize("day, expected", [
    (date(2024, 11, 30), OLD_SYRIAN_ARMY),
    (date(2024, 12, 7), OLD_SYRIAN_ARMY),
    (date(2024, 12, 8), NEW_SYRIAN_ARMY),   # Assad fell on 8 December 2024
    (date(2025, 1, 10), NEW_SYRIAN_ARMY),
])
def test_the_syrian_army_is_named_for_its_period(registry, day, expected):
    assert registry.resolve(registry.names.get("Syrian army"), day).name == expected


def test_without_a_date_the_name_has_no_period(registry):
    """The clock is no evidence of when a report was written: no period is guessed."""
    actor = registry.resolve(registry.names.get("Syrian army"), None)
    assert actor.name == "Military Forces of Syria"
    assert actor.inter == 1


@pytest.mark.model
@pytest.mark.parametrize("published, expected", [
    (date(2024, 11, 30), OLD_SYRIAN_ARMY),
    (date(2025, 1, 10), NEW_SYRIAN_ARMY),
])
def test_a_report_names_the_syrian_army_of_its_day(pipe, published, expected):
    extraction = extract(pipe, "The Syrian army shelled the town of Saraqib in Idlib province on Friday.",
                         published=published)
    assert [e.actor1 for e in extraction.events] == [expected]
    assert extraction.events[0].inter1 == 1


@pytest.mark.model
def test_the_event_date_not_the_publication_date_picks_the_period(pipe):
    extraction = extract(pipe, "The Syrian army shelled the town of Saraqib in Idlib province on Saturday.",
                         published=date(2024, 12, 9))
    event, = extraction.events
    assert event.event_date == date(2024, 12, 7)
    assert event.actor1 == OLD_SYRIAN_ARMY


# --- generic nouns ------------------------------------------------------------------------------------

@pytest.mark.model
def test_gunmen_in_a_nigerian_report_are_an_unidentified_armed_group_of_nigeria(pipe):
    extraction = extract(pipe, "Gunmen stormed a village in Zamfara state in northwestern Nigeria on Sunday, "
                               "killing 12 people, police said.", published=date(2024, 3, 5))
    event, = extraction.events
    assert event.actor1 == "Unidentified Armed Group (Nigeria)"
    assert event.inter1 == 3
    assert event.country == "Nigeria"


@pytest.mark.model
def test_army_troops_in_a_syrian_story_are_the_syrian_military(pipe):
    extraction = extract(pipe, "Army troops shelled rebel positions near the town of Saraqib in Syria on Monday.")
    event, = extraction.events
    assert event.actor1 == OLD_SYRIAN_ARMY
    assert event.inter1 == 1


@pytest.mark.model
def test_a_demonym_picks_the_country_of_a_generic_noun(pipe):
    extraction = extract(pipe, "Turkish troops clashed with Kurdish fighters near the town of Manbij in Syria on Monday.")
    assert any(name.startswith("Military Forces of Turkey") for name in actor_names(extraction))


@pytest.mark.model
def test_warplanes_that_bomb_are_actor1(pipe):
    extraction = extract(pipe, "Rebels seized the town of Saraqib in Idlib province on Monday. "
                               "Warplanes later bombed the area.")
    strike, = [e for e in extraction.events if e.sub_event_type == "Air/drone strike"]
    assert strike.actor1 == OLD_SYRIAN_ARMY
    assert strike.actor2 != OLD_SYRIAN_ARMY


# --- user extension -----------------------------------------------------------------------------------

EXTENSION = {"name": "Southern Operations Room", "inter": 2, "country": "SY",
             "aliases": ["Southern Operations Room", "Southern Operation Room", "Daraa factions"]}


def test_an_extension_file_adds_an_actor_to_the_registry(tmp_path, monkeypatch):
    path = tmp_path / "my_actors.jsonl"
    path.write_text(json.dumps(EXTENSION) + "\n", "utf-8")
    monkeypatch.setenv("WARMONITOR_ACTORS", str(path))
    registry = ActorRegistry.load()
    entries = registry.names.get("Southern Operation Room")
    assert entries is not None
    assert registry.resolve(entries, date(2024, 12, 7)).name == "Southern Operations Room"
    assert registry.names.get("Syrian army") is not None  # the shipped entries are still there


@pytest.mark.model
def test_an_extension_alias_resolves_in_a_report(tmp_path, monkeypatch):
    path = tmp_path / "my_actors.jsonl"
    path.write_text(json.dumps(EXTENSION) + "\n", "utf-8")
    monkeypatch.setenv("WARMONITOR_ACTORS", str(path))
    pipe = Pipeline.load()
    extraction = extract(pipe, "Fighters of the Southern Operation Room clashed with Syrian troops in the town "
                               "of Nawa in Daraa province on Friday.", published=date(2024, 12, 7))
    event, = extraction.events
    assert event.actor1 == "Southern Operations Room" and event.inter1 == 2
    assert event.actor2 == OLD_SYRIAN_ARMY


def test_without_the_extension_the_alias_is_unknown(monkeypatch):
    monkeypatch.delenv("WARMONITOR_ACTORS", raising=False)
    assert ActorRegistry.load().names.get("Southern Operation Room") is None


def test_a_bad_extension_line_names_the_file_and_line(tmp_path, monkeypatch):
    path = tmp_path / "my_actors.jsonl"
    path.write_text(json.dumps(EXTENSION) + "\n" + json.dumps({**EXTENSION, "name": "X", "inter": 9}) + "\n", "utf-8")
    monkeypatch.setenv("WARMONITOR_ACTORS", str(path))
    with pytest.raises(ReferenceDataError, match=re.escape(f"{path}:2")):
        ActorRegistry.load()


@pytest.mark.parametrize("text, actor1, actor2", [
    ("Russian forces dropped grenades from drones onto Ukrainian positions near Robotyne on Monday.",
     "Military Forces of Russia", "Military Forces of Ukraine"),
    ("A roadside bomb struck a Malian army vehicle near Bourem, Mali, on Monday, killing four soldiers.",
     "Unidentified Armed Group (Mali)", "Military Forces of Mali"),
    ("Demonstrators burned tyres and threw stones at police in Port-au-Prince, Haiti, on Monday.",
     "Rioters (Haiti)", "Police Forces of Haiti"),
    ("A mob beat a man accused of theft to death in Onitsha, Nigeria, on Monday.", "Rioters (Nigeria)",
     "Civilians (Nigeria)"),
    ("Rapid Support Forces fighters looted shops and pharmacies in Wad Madani, Sudan, on Monday.",
     "Rapid Support Forces", "Civilians (Sudan)"),
])
def test_the_sides_acled_names(pipeline, text, actor1, actor2):
    from warmonitor.reports import read_text_report
    event = pipeline.extract(read_text_report(text, origin="test", published=date(2024, 3, 5))).events[0]
    assert event.actor1.startswith(actor1) and event.actor2.startswith(actor2), (event.actor1, event.actor2)


@pytest.mark.parametrize("text, country, actor", [
    ("Islamic State fighters attacked an army checkpoint near Mosul, Iraq, on Monday.", "Iraq", "Islamic State (Iraq)"),
    ("Islamic State fighters attacked an army checkpoint near Palmyra, Syria, on Monday.", "Syria",
     "Islamic State (Syria)"),
    ("Al-Shabaab insurgents attacked the town of Macomia in Cabo Delgado, Mozambique, on Monday.", "Mozambique",
     "Islamic State (Mozambique)"),
])
def test_a_name_several_countries_groups_share_is_read_by_the_reports_country(pipeline, text, country, actor):
    from warmonitor.reports import read_text_report
    event = pipeline.extract(read_text_report(text, origin="test", published=date(2024, 3, 5))).events[0]
    assert (event.country, event.actor1) == (country, actor)


def test_two_sides_named_together_fought_each_other(pipeline):
    from warmonitor.reports import read_text_report
    event, = pipeline.extract(read_text_report("Ukrainian and Russian troops fought on the outskirts of Chasiv Yar on "
                                               "Tuesday.", origin="test", published=date(2024, 3, 6))).events
    assert event.sub_event_type == "Armed clash"
    assert {event.actor1.split(" (")[0], event.actor2.split(" (")[0]} == {"Military Forces of Russia",
                                                                          "Military Forces of Ukraine"}


@pytest.mark.parametrize("text, first, second", [
    ("On 18 April 2024, an Israeli airstrike hit a house in Rafah, killing nine people, six of them children.",
     "Military Forces of Israel", "Civilians (Palestine)"),
    ("On 17 April 2025, US airstrikes hit the Ras Isa fuel port in Al Hudaydah, killing 74 people.",
     "Military Forces of the United States", None),
])
def test_the_state_whose_weapon_struck_is_actor1_and_the_people_killed_are_its_targets(pipeline, text, first, second):
    from datetime import date

    from warmonitor.reports import read_text_report
    events = pipeline.extract(read_text_report(text, origin="t", published=date(2025, 4, 18))).events
    assert events and events[0].actor1.startswith(first)
    if second:
        assert events[0].actor2 == second
