"""The event trigger lexicon (data/triggers.jsonl): shipped, complete over the ACLED taxonomy, and
refusing entries that name a type outside it, with the file and line in the message."""
from __future__ import annotations

import json

import pytest

from warmonitor.errors import ReferenceDataError
from warmonitor.extraction.triggers import EVENT_TAXONOMY, EVENT_TYPE_OF, TriggerLexicon

ALL_SUB_EVENT_TYPES = [sub for subs in EVENT_TAXONOMY.values() for sub in subs]

# The sub-event types each `refine` rule family (extract/coding.py) can turn a trigger into.
REFINED_TO = {
    "violence": {"Attack", "Armed clash"},
    "remote": {"Air/drone strike", "Shelling/artillery/missile attack"},
    "remote-ground": {"Air/drone strike"},
    "protest": {"Violent demonstration", "Excessive force against protesters", "Protest with intervention",
                "Peaceful protest"},
    "territory": {"Government regains territory", "Non-state actor overtakes territory"},
    "arrest": {"Abduction/forced disappearance"},
}


@pytest.fixture(scope="module")
def lexicon() -> TriggerLexicon:
    return TriggerLexicon.load()


def test_the_taxonomy_is_acled_six_types_and_twenty_five_sub_types():
    assert len(EVENT_TAXONOMY) == 6
    assert len(ALL_SUB_EVENT_TYPES) == 25 == len(set(ALL_SUB_EVENT_TYPES))
    assert EVENT_TYPE_OF["Air/drone strike"] == "Explosions/Remote violence"
    assert EVENT_TYPE_OF["Non-state actor overtakes territory"] == "Battles"


def test_the_shipped_lexicon_loads(lexicon):
    assert len(lexicon.entries) > 25
    ids = [e.id for e in lexicon.entries]
    assert len(ids) == len(set(ids)), "trigger ids are unique"
    for entry in lexicon.entries:
        assert EVENT_TYPE_OF[entry.sub_event_type] == entry.event_type
        assert entry.words and all(entry.words)


def test_every_sub_event_type_can_be_coded(lexicon):
    """Reachable either from an entry's own type or through the refine rule its entry names."""
    reachable = {e.sub_event_type for e in lexicon.entries}
    for entry in lexicon.entries:
        reachable |= REFINED_TO.get(entry.refine, set())
    assert [sub for sub in ALL_SUB_EVENT_TYPES if sub not in reachable] == []


@pytest.mark.parametrize("sub_event_type", ALL_SUB_EVENT_TYPES)
def test_every_sub_event_type_has_a_trigger_entry(lexicon, sub_event_type):
    assert any(e.sub_event_type == sub_event_type for e in lexicon.entries)


def _write(path, *entries: dict | str) -> None:
    path.write_text("\n".join(e if isinstance(e, str) else json.dumps(e) for e in entries) + "\n", "utf-8")


GOOD = {"id": "raid", "words": ["raid"], "event_type": "Battles", "sub_event_type": "Armed clash"}


def test_a_user_lexicon_loads_from_a_path(tmp_path):
    path = tmp_path / "t.jsonl"
    _write(path, "# a comment line", GOOD, "", {**GOOD, "id": "gun-battle", "words": ["gun", "battle|fight"]})
    lexicon = TriggerLexicon.load(path)
    assert [e.id for e in lexicon.entries] == ["raid", "gun-battle"]
    assert lexicon.entries[1].words == (frozenset({"gun"}), frozenset({"battle", "fight"}))


@pytest.mark.parametrize("event_type, sub_event_type", [
    ("Battles", "Air/drone strike"),                       # a real sub-type under the wrong type
    ("Explosions/Remote violence", "Drone strike"),        # not ACLED's spelling
    ("Battles", "Skirmish"),                               # not a sub-type at all
])
def test_an_entry_outside_the_taxonomy_names_the_file_and_line(tmp_path, event_type, sub_event_type):
    path = tmp_path / "t.jsonl"
    _write(path, GOOD, {**GOOD, "id": "bad", "event_type": event_type, "sub_event_type": sub_event_type})
    with pytest.raises(ReferenceDataError) as caught:
        TriggerLexicon.load(path)
    message = str(caught.value)
    assert f"{path}:2" in message
    assert sub_event_type in message


def test_a_broken_json_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "t.jsonl"
    _write(path, GOOD, GOOD | {"id": "second"}, '{"id": "broken", "words": ["raid"]')
    with pytest.raises(ReferenceDataError) as caught:
        TriggerLexicon.load(path)
    assert f"{path}:3" in str(caught.value)
    assert "JSON" in str(caught.value)


def test_a_missing_key_names_the_file_and_line(tmp_path):
    path = tmp_path / "t.jsonl"
    _write(path, {"id": "no-type", "words": ["raid"], "sub_event_type": "Armed clash"})
    with pytest.raises(ReferenceDataError, match=r"t\.jsonl:1"):
        TriggerLexicon.load(path)


def test_a_plural_noun_is_no_verb_missing_its_e(pipeline):
    """'units' is no 'unite': the crude stems that help with past tenses the lemmatizer gets wrong
    ('raped' -> 'rape') do not add an e to plural nouns."""
    from datetime import date

    from warmonitor.reports import read_text_report
    found = pipeline.extract(read_text_report(
        "Army units killed dozens of terrorists in the northern Hama countryside on Thursday, a military source told SANA.",
        origin="t", published=date(2024, 12, 5)))
    assert [(e.sub_event_type, e.actor1.startswith("Military Forces of Syria"), e.actor2) for e in found.events] == [
        ("Armed clash", True, "Unidentified Armed Group (Syria)")]
