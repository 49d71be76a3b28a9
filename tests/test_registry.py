"""The shipped actor registry as data (data/actors.jsonl, documented in data/README.md): every line in
the registry's format, names that carry their period, the countries of the conflicts warmonitor follows
covered with their state forces, dated names resolving by date, aliases that find their actor, and the
`warmonitor actors` command that lists the registry.

The rule that one alias never names two actors at the same time, across countries, is pinned in
tests/test_actors.py; here an alias shared within a country must also be a succession (one force in
successive periods, or an actor that became another)."""
from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from datetime import date, timedelta
from importlib import resources

import pytest
import spacy
from click.testing import CliRunner

from warmonitor.cli import main
from warmonitor.extraction.phrases import token_words, words_of
from warmonitor.resolve.actors import ActorRegistry, without_period
from warmonitor.resolve.gazetteer import Gazetteer
from conftest import shipped_actor_lines

FIELDS = {"name", "inter", "country", "aliases", "active_from", "active_to", "parent", "local_aliases"}
STATED = {"name", "inter", "country", "aliases"}  # the loader defaults country and aliases; the shipped file states them
PERIOD = re.compile(r" \((\d{4})-(\d{4})?\)$")
FORCES = re.compile(r"^(Military|Police) Forces of (.+) \(\d{4}-(\d{4})?\)$")

# The conflicts warmonitor follows: ISO2 -> the country as ACLED writes it in "Military Forces of ..."
CONFLICT_COUNTRIES = {
    "SY": "Syria", "IQ": "Iraq", "YE": "Yemen", "LB": "Lebanon", "IL": "Israel", "PS": "Palestine",
    "UA": "Ukraine", "RU": "Russia", "SD": "Sudan", "SS": "South Sudan", "SO": "Somalia", "ET": "Ethiopia",
    "LY": "Libya", "ML": "Mali", "BF": "Burkina Faso", "NE": "Niger", "NG": "Nigeria", "CM": "Cameroon",
    "CD": "the Democratic Republic of Congo", "MZ": "Mozambique", "AF": "Afghanistan", "PK": "Pakistan",
    "IN": "India", "MM": "Myanmar", "MX": "Mexico", "CO": "Colombia", "HT": "Haiti"}

# Actors that became other actors and keep their aliases (their periods never overlap)
SUCCESSIONS = [
    {"Taliban", "Military Forces of Afghanistan (2021-)"},
    {"AMISOM: African Union Mission in Somalia (2007-2022)", "ATMIS: African Union Transition Mission in Somalia (2022-2024)",
     "AUSSOM: African Union Support and Stabilization Mission in Somalia (2025-)"},
]
# Two-letter aliases that match only in capitals and name nothing else in conflict news
SHORT_ALIASES = {"IS", "AA", "G9"}




@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    """The shipped registry only: a developer's WARMONITOR_ACTORS must not change these tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("WARMONITOR_ACTORS", raising=False)
        return ActorRegistry.load()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


# --- every line in the registry's format ---------------------------------------------------------------

def test_every_line_is_an_object_with_the_registry_fields():
    problems = []
    names = {raw.get("name") for _, raw in shipped_actor_lines()}
    for line, raw in shipped_actor_lines():
        where = f"actors.jsonl:{line}"
        if not STATED <= raw.keys() <= FIELDS:
            problems.append(f"{where}: keys {sorted(raw)}; expected {sorted(STATED)} and optionally active_from, "
                            "active_to, parent")
        if type(raw.get("inter")) is not int or not 1 <= raw["inter"] <= 8:
            problems.append(f"{where}: inter {raw.get('inter')!r} is not an ACLED inter code 1-8")
        days = {}
        for key in ("active_from", "active_to"):
            if key in raw:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw[key])):
                    problems.append(f"{where}: {key} {raw[key]!r} is not YYYY-MM-DD")
                else:
                    days[key] = date.fromisoformat(raw[key])
        if len(days) == 2 and not days["active_from"] < days["active_to"]:
            problems.append(f"{where}: active_from {days['active_from']} is not before active_to {days['active_to']}")
        if "parent" in raw and raw["parent"] not in names:
            problems.append(f"{where}: parent {raw['parent']!r} is no actor of the registry")
    assert problems == []


def test_every_country_is_an_iso2_code_the_gazetteer_knows(gazetteer):
    codes = {raw["country"] for _, raw in shipped_actor_lines() if raw.get("country") is not None}
    unknown = sorted(c for c in codes if not re.fullmatch(r"[A-Z]{2}", c) or gazetteer.country(c) is None
                     or gazetteer.country(c).country_code != c)
    assert unknown == []
    assert {"SD", "CD", "PS", "KP"} <= codes


# --- names carry their period -----------------------------------------------------------------------

def test_a_period_in_a_name_matches_the_active_dates(registry):
    """'(2019-)': active from a day of 2019, no end; '(2015-2023)': from 2015 to a last day in 2023
    (active_to is the first day of the next period, so 2023-05-29 ends a period in 2023)."""
    problems = []
    for entry in registry.named:
        name, period = entry.actor.name, PERIOD.search(entry.actor.name)
        if name.startswith(("Military Forces of", "Police Forces of")) and not re.search(r"\(\d{4}-(\d{4})?\)", name):
            problems.append(f"{name}: state forces without a period")
        if period is None:
            continue
        start, end = period.groups()
        if entry.active_from and entry.active_from.year != int(start):
            problems.append(f"{name}: active_from {entry.active_from} is not in {start}")
        if end is None and entry.active_to is not None:
            problems.append(f"{name}: open period but active_to {entry.active_to}")
        if end is not None and (entry.active_to is None or (entry.active_to - timedelta(days=1)).year != int(end)):
            problems.append(f"{name}: period ends in {end} but active_to is {entry.active_to}")
    assert problems == []


def test_the_periods_of_a_force_follow_one_another_without_gap_or_overlap(registry):
    chains: dict[tuple[str, str], list] = defaultdict(list)
    for entry in registry.named:
        match = FORCES.match(entry.actor.name)
        if match:
            chains[(entry.actor.country, match.group(1))].append(entry)
    problems = []
    for (country, kind), entries in chains.items():
        entries.sort(key=lambda e: e.active_from or date.min)
        for before, after in zip(entries, entries[1:]):
            if before.active_to != after.active_from:
                problems.append(f"{before.actor.name} ends {before.active_to}, {after.actor.name} starts {after.active_from}")
        if entries[-1].active_to is not None:
            problems.append(f"{kind} forces of {country}: no current period after {entries[-1].actor.name}")
    assert problems == []


# --- the conflict countries are covered ----------------------------------------------------------------

def test_each_conflict_country_has_its_military_police_and_groups(registry):
    per_country = Counter(entry.actor.country for entry in registry.named)
    thin = {code: per_country[code] for code in CONFLICT_COUNTRIES if per_country[code] < 3}
    assert thin == {}
    for code, name in CONFLICT_COUNTRIES.items():
        military = registry.state_forces(code, name, date(2025, 6, 1))
        police = registry.police_forces(code, name, date(2025, 6, 1))
        # the registry's current entries, not the generic fallback without a period
        assert re.fullmatch(rf"Military Forces of {re.escape(name)} \(\d{{4}}-\)", military.name), military.name
        assert re.fullmatch(rf"Police Forces of {re.escape(name)} \(\d{{4}}-\)", police.name), police.name
        assert military.inter in (1, 8) and police.inter == 1


def test_syria_stays_the_best_covered_country(registry):
    per_country = Counter(entry.actor.country for entry in registry.named)
    (first, count), (_, second) = per_country.most_common(2)
    assert first == "SY" and count > second


# --- dated names resolve by date -------------------------------------------------------------------

@pytest.mark.parametrize("kind, code, country, day, expected", [
    ("state", "SD", "Sudan", date(2024, 1, 1), "Military Forces of Sudan (2019-)"),
    ("state", "SD", "Sudan", date(2019, 4, 10), "Military Forces of Sudan (1989-2019)"),
    ("state", "SY", "Syria", date(2024, 12, 7), "Military Forces of Syria (2000-2024)"),
    ("state", "SY", "Syria", date(2024, 12, 8), "Military Forces of Syria (2024-)"),
    ("state", "MM", "Myanmar", date(2021, 1, 31), "Military Forces of Myanmar (2016-2021)"),
    ("state", "ML", "Mali", date(2020, 8, 17), "Military Forces of Mali (2013-2020)"),
    ("state", "ML", "Mali", date(2020, 8, 18), "Military Forces of Mali (2020-2021)"),
    ("state", "ML", "Mali", date(2021, 5, 24), "Military Forces of Mali (2021-)"),
    ("state", "BF", "Burkina Faso", date(2022, 1, 23), "Military Forces of Burkina Faso (2015-2022)"),
    ("state", "BF", "Burkina Faso", date(2022, 5, 1), "Military Forces of Burkina Faso (2022-2022)"),
    ("state", "BF", "Burkina Faso", date(2022, 9, 30), "Military Forces of Burkina Faso (2022-)"),
    ("state", "NE", "Niger", date(2023, 7, 25), "Military Forces of Niger (2021-2023)"),
    ("state", "NE", "Niger", date(2023, 7, 26), "Military Forces of Niger (2023-)"),
    ("state", "AF", "Afghanistan", date(2021, 8, 14), "Military Forces of Afghanistan (2014-2021)"),
    ("state", "AF", "Afghanistan", date(2021, 8, 15), "Military Forces of Afghanistan (2021-)"),
    ("state", "CD", "Democratic Republic of Congo", date(2024, 2, 7), "Military Forces of the Democratic Republic of Congo (2019-)"),
    ("state", "US", "United States", date(2024, 12, 3), "Military Forces of the United States (2021-2025)"),
    ("state", "US", "United States", date(2025, 3, 1), "Military Forces of the United States (2025-)"),
    ("police", "NG", "Nigeria", date(2023, 5, 28), "Police Forces of Nigeria (2015-2023)"),
    ("police", "NG", "Nigeria", date(2023, 5, 29), "Police Forces of Nigeria (2023-)"),
    ("police", "SY", "Syria", date(2025, 1, 10), "Police Forces of Syria (2024-)"),
    ("police", "HT", "Haiti", date(2024, 3, 1), "Police Forces of Haiti (2021-2024)"),
    ("police", "HT", "Haiti", date(2024, 6, 1), "Police Forces of Haiti (2024-)"),
])
def test_the_forces_of_a_day_are_the_period_of_that_day(registry, kind, code, country, day, expected):
    forces = registry.state_forces if kind == "state" else registry.police_forces
    assert forces(code, country, day).name == expected



def test_without_a_date_state_forces_have_no_period(registry):
    assert registry.state_forces("SD", "Sudan", None).name == "Military Forces of Sudan"
    assert registry.resolve(registry.names.get("Tatmadaw"), None).name == "Military Forces of Myanmar"


@pytest.mark.parametrize("alias, day, expected, inter", [
    ("Taliban", date(2020, 6, 1), "Taliban", 2),
    ("Taliban", date(2023, 3, 27), "Military Forces of Afghanistan (2021-)", 1),   # Kabul fell on 15 August 2021
    ("Sudanese Armed Forces", date(2010, 1, 1), "Military Forces of Sudan (1989-2019)", 1),
    ("SAF", date(2024, 1, 1), "Military Forces of Sudan (2019-)", 1),
    ("African Union troops", date(2015, 1, 1), "AMISOM: African Union Mission in Somalia (2007-2022)", 8),
    ("African Union troops", date(2023, 9, 24), "ATMIS: African Union Transition Mission in Somalia (2022-2024)", 8),
    ("African Union troops", date(2025, 6, 1), "AUSSOM: African Union Support and Stabilization Mission in Somalia (2025-)", 8),
    ("Rwandan troops", date(2021, 8, 8), "Military Forces of Rwanda (2000-)", 8),
    ("FARDC", date(2024, 2, 7), "Military Forces of the Democratic Republic of Congo (2019-)", 1),
])
def test_an_alias_names_the_actor_of_its_day(registry, alias, day, expected, inter):
    actor = registry.resolve(registry.names.get(alias), day)
    assert (actor.name, actor.inter) == (expected, inter)


# --- aliases find their actor ------------------------------------------------------------------------

def _found(registry, text: str) -> list[str]:
    words, _, originals = token_words(spacy.blank("en")(text))
    return [registry.resolve(entries, date(2024, 7, 2)).name for _, _, entries in registry.names.find(words, originals)]


def test_every_alias_written_in_a_text_is_found_whole_as_its_actor(registry):
    """An alias the tokenizer splits differently never matches whole ("SPLM/A-IO", "CPI (Maoist)": the
    slash and the brackets are words of their own), and one that a longer alias of another actor
    swallows never names its own."""
    nlp = spacy.blank("en")
    lost = []
    for entry in registry.named:
        for alias in entry.actor.aliases:
            words, _, originals = token_words(nlp(alias))
            if not any((i, j) == (0, len(words)) and entry in entries
                       for i, j, entries in registry.names.find(words, originals)):
                lost.append(f"{entry.actor.name}: {alias!r}")
    assert lost == []


def test_a_longer_name_wins_over_the_shorter_one_inside_it(registry):
    assert _found(registry, "a group of South Sudanese soldiers raped a woman") == ["Military Forces of South Sudan (2011-)"]
    assert _found(registry, "a group of Sudanese soldiers") == ["Military Forces of Sudan (2019-)"]
    assert _found(registry, "members of the Kuki-Chin National Front") == ["KNF: Kuki-Chin National Front"]
    assert _found(registry, "the Chin National Front said") == ["CNF: Chin National Front"]


def test_short_abbreviations_match_only_in_capitals(registry):
    assert _found(registry, "JEM fighters and SAF troops") == ["JEM: Justice and Equality Movement",
                                                              "Military Forces of Sudan (2019-)"]
    assert _found(registry, "what is it? saf jem bla") == []


def test_aliases_avoid_words_of_ordinary_text():
    generic = tomllib.loads(resources.files("warmonitor.data").joinpath("generic_actors.toml").read_text("utf-8"))
    generic_nouns = {tuple(words_of(noun)) for spec in generic.values() for noun in spec["nouns"]}
    problems = []
    for line, raw in shipped_actor_lines():
        for alias in raw["aliases"]:
            key = tuple(words_of(alias))
            if alias != alias.strip() or not key:
                problems.append(f"actors.jsonl:{line}: {alias!r} is blank or padded")
            elif len(alias) <= 2 and alias not in SHORT_ALIASES:
                problems.append(f"actors.jsonl:{line}: {alias!r} is too short to be told from ordinary text")
            elif len(key) == 1 and alias.islower():
                problems.append(f"actors.jsonl:{line}: {alias!r} is a lower-case word")
            elif key in generic_nouns:
                problems.append(f"actors.jsonl:{line}: {alias!r} is a generic noun (generic_actors.toml)")
    assert problems == []


def test_an_alias_shared_within_a_country_is_a_succession(registry):
    """Periods of one force ("Syrian army" for the army before and after 8 December 2024), or an actor
    that became another (the Taliban, the African Union missions in Somalia); nothing else."""
    by_key: dict[tuple, set[str]] = defaultdict(set)
    for entry in registry.named:
        for alias in entry.actor.aliases:
            by_key[(entry.actor.country, tuple(words_of(alias)))].add(entry.actor.name)
    unintended = []
    for (country, key), names in by_key.items():
        if len({without_period(n) for n in names}) > 1 and not any(names <= group for group in SUCCESSIONS):
            unintended.append((country, " ".join(key), sorted(names)))
    assert unintended == []


# --- the `warmonitor actors` command -------------------------------------------------------------------

def _run(*args, env=None):
    return CliRunner().invoke(main, ["actors", *args], env={"WARMONITOR_ACTORS": None, **(env or {})})


def test_actors_by_country_name_lists_that_country_only():
    result = _run("--country", "Sudan")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["name", "inter", "country", "period"]
    army = next(row for row in rows if row.startswith("Military Forces of Sudan (2019-)"))
    assert "1 State forces" in army and "2019-04-11.." in army and "Sudanese Armed Forces" in army
    assert any(row.startswith("Rapid Support Forces ") and "2 Rebel groups" in row for row in rows)
    assert all(" SD " in row for row in rows)  # South Sudan's actors are not Sudan's
    assert result.stderr.strip() == f"{len(rows)} actor(s)"


def test_actors_by_iso2_code_as_json_without_loading_the_gazetteer(monkeypatch):
    def no_gazetteer(*args, **kwargs):
        raise AssertionError("a registry country code needs no gazetteer")
    monkeypatch.setattr(Gazetteer, "load", no_gazetteer)
    result = _run("--country", "SD", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["country"] for row in rows} == {"SD"}
    armies = {row["name"]: row for row in rows if row["name"].startswith("Military Forces of Sudan")}
    assert sorted(armies) == ["Military Forces of Sudan (1989-2019)", "Military Forces of Sudan (2019-)"]
    current = armies["Military Forces of Sudan (2019-)"]
    assert (current["inter"], current["inter_label"], current["active_from"], current["active_to"]) == \
        (1, "State forces", "2019-04-11", None)
    assert "SAF" in current["aliases"]
    assert set(current) == {"name", "inter", "inter_label", "country", "active_from", "active_to", "aliases", "parent"}


def test_actors_by_a_country_name_of_two_words():
    rows = json.loads(_run("--country", "South Sudan", "--format", "json").stdout)
    assert {row["country"] for row in rows} == {"SS"}
    assert "Military Forces of South Sudan (2011-)" in {row["name"] for row in rows}


@pytest.mark.parametrize("country", ["Atlantis", "XQ"])
def test_an_unknown_country_is_a_usage_error_naming_it(country):
    result = _run("--country", country)
    assert result.exit_code == 2
    assert f"Invalid value for '--country': '{country}' is not a country" in result.stderr
    assert result.stdout == ""


def test_inter_and_search_narrow_the_list():
    rows = json.loads(_run("--inter", "8", "--search", "african union", "--format", "json").stdout)
    assert sorted(row["name"].split(":")[0] for row in rows) == ["AMISOM", "ATMIS", "AUSSOM"]
    rows = json.loads(_run("--search", "Shabab", "--format", "json").stdout)
    assert "Al Shabaab" in {row["name"] for row in rows}
    assert _run("--inter", "9").exit_code == 2


def test_actors_lists_the_users_extension_file(tmp_path):
    path = tmp_path / "my_actors.jsonl"
    path.write_text(json.dumps({"name": "Southern Operations Room", "inter": 2, "country": "SY",
                                "aliases": ["Southern Operation Room"]}) + "\n", "utf-8")
    rows = json.loads(_run("--search", "southern operation", "--format", "json",
                           env={"WARMONITOR_ACTORS": str(path)}).stdout)
    assert [row["name"] for row in rows] == ["Southern Operations Room"]


# --- the format is documented -----------------------------------------------------------------------

def test_the_data_readme_documents_every_field_and_the_extension_file():
    readme = resources.files("warmonitor.data").joinpath("README.md").read_text("utf-8")
    missing = [field for field in sorted(FIELDS) if f"`{field}`" not in readme]
    assert missing == []
    assert "WARMONITOR_ACTORS" in readme and "warmonitor actors" in readme


def test_a_local_alias_names_its_actor_only_in_a_report_on_its_own_country(pipeline):
    from datetime import date

    from warmonitor.reports import read_text_report
    cameroon = pipeline.extract(read_text_report(
        "Separatist fighters kidnapped a priest and four parishioners in Nchang, South-West region, on Monday.",
        origin="t", published=date(2024, 5, 21)))
    assert [e.actor1 for e in cameroon.events] == ["Ambazonian Separatists"]
    elsewhere = pipeline.extract(read_text_report(
        "Separatist fighters kidnapped a priest and four parishioners in Marawi, Lanao del Sur, on Monday.",
        origin="t", published=date(2024, 5, 21)))
    assert elsewhere.events and all(e.actor1 != "Ambazonian Separatists" for e in elsewhere.events)
    registry = pipeline.resources.actors
    entries = registry.names.get("separatists")
    assert [e.actor.name for e in registry.local_only("separatists", entries, "CM")] == ["Ambazonian Separatists"]
    assert registry.local_only("separatists", entries, "PH") == ()
