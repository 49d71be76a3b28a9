"""Refining a trigger's event type from its context, ACLED's way.

Each rule family is named by the lexicon's `refine` key:
  violence    an attack on civilians is "Violence against civilians / Attack"; between armed sides it is
              "Battles / Armed clash"
  remote      a raid or bombardment is an air/drone strike with aircraft cues near it, shelling with ground cues
  protest     protesters' own violence makes a riot; lethal force against them is excessive force; tear gas,
              arrests or dispersal make a protest with intervention
  territory   state forces taking ground "regain" it; anyone else "overtakes" it
  arrest      detention by a non-state group is an abduction
Cue lists are data (data/coding.toml).
"""
from __future__ import annotations

import re

from dataclasses import dataclass

from ..refdata import data_toml
from .triggers import EVENT_TYPE_OF

ARMED_INTERS = frozenset({1, 2, 3, 4, 8})


@dataclass(frozen=True)
class CodingCues:
    air: frozenset[str]
    ground: frozenset[str]
    lethal: tuple[str, ...]
    intervention: tuple[str, ...]
    violent: tuple[str, ...]
    civilian_words: frozenset[str]
    territory_objects: frozenset[str]
    persons: frozenset[str]
    peaceful: tuple[str, ...]
    chemical: tuple[str, ...] = ()

    @classmethod
    def load(cls) -> "CodingCues":
        raw = data_toml("coding.toml")
        return cls(frozenset(raw["remote"]["air"]), frozenset(raw["remote"]["ground"]),
                   tuple(raw["protest"]["lethal"]), tuple(raw["protest"]["intervention"]),
                   tuple(raw["protest"]["violent"]), frozenset(raw["violence"]["civilian_words"]),
                   frozenset(raw["territory"]["objects"]), frozenset(raw["captives"]["persons"]),
                   tuple(raw["transfer"]["peaceful"]), tuple(raw["remote"].get("chemical", ())))


def _has_phrase(text: str, phrases) -> str | None:
    for phrase in phrases:
        if f" {phrase} " in text:
            return phrase
    return None


def refine(sub_event_type: str, family: str | None, *, match, sent, cues: CodingCues,
           actor1_inter: int | None, actor2_inter: int | None) -> tuple[str, str]:
    """(sub_event_type, why) after the family's rule; event_type follows from the sub-type."""
    text = " " + " ".join(t.lower_ for t in sent) + " "  # the sentence's words, for phrase cues
    if EVENT_TYPE_OF.get(sub_event_type) == "Explosions/Remote violence" and sub_event_type != "Chemical weapon":
        agent = _has_phrase(text, cues.chemical)
        if agent:
            return "Chemical weapon", f"the munitions carried a chemical agent ('{agent}')"
    if family in ("arrest", "territory") and _has_phrase(text, DISAPPEARED) \
            and (family == "arrest" or _person_object(match, sent, cues) is not None):
        return "Abduction/forced disappearance", "taken, and not heard of since"
    if family == "violence":
        if actor1_inter == 6 and not _has_phrase(text, PROTEST_WORDS):
            actor1_inter = 7  # "students beat a classmate to death": a crowd, not a demonstration
        return _violence(sub_event_type, actor1_inter, actor2_inter, match.entry.id)
    if family in ("remote", "remote-ground"):
        return _remote(sub_event_type, family, match, sent, cues)
    if family == "protest":
        return _protest(sub_event_type, match, text, cues)
    if family == "territory":
        captive = _person_object(match, sent, cues)
        if captive is not None:
            if actor1_inter == 1:
                return "Arrests", f"state forces took a person ('{captive}')"
            return "Abduction/forced disappearance", f"a person was taken ('{captive}')"
        peaceful = _has_phrase(text, cues.peaceful)
        if peaceful:
            return "Non-violent transfer of territory", f"taken without fighting ('{peaceful}')"
        if actor1_inter == 1:
            return "Government regains territory", "taken by state forces"
        if actor1_inter is not None:
            return "Non-state actor overtakes territory", "taken by a non-state or foreign actor"
        return sub_event_type, "taker unknown: the trigger's own reading"
    if family == "arrest" and actor1_inter in (2, 3, 4):
        return "Abduction/forced disappearance", "detained by a non-state group"

    return sub_event_type, "the trigger's reading"


NON_AGENTIVE = frozenset({"die", "casualties", "wounded"})  # "a woman died": her noun is no attacker
DISAPPEARED = ("whereabouts", "disappeared", "forcibly disappeared", "not been seen", "not heard from", "incommunicado",
               "unknown location")
PROTEST_WORDS = ("protest", "protests", "protesters", "protestors", "demonstration", "demonstrators", "rally", "march",
                 "marchers", "sit-in", "strike", "strikers")
MOB_ACTS = frozenset({"beat", "mob", "angry-crowd", "attack"})  # what residents do as a mob (not shoot or kill)
CLASH_TRIGGERS = frozenset({"clash", "gun-battle", "exchange-fire", "engage", "military-operations", "counter-attack"})


def _violence(sub: str, inter1: int | None, inter2: int | None, trigger_id: str = "") -> tuple[str, str]:
    if trigger_id in CLASH_TRIGGERS:
        # fighting is between armed sides; civilians caught in it are its victims, not its targets
        return sub, "fighting between armed sides"
    if inter1 in (5, 7) and trigger_id in NON_AGENTIVE:
        return "Attack", "civilians died or were hurt: they are the victims"
    if inter1 == 5 or (inter1 == 7 and trigger_id in MOB_ACTS):
        return "Mob violence", "a crowd or residents attacked"
    if inter2 == 7:
        return "Attack", "the targets are civilians"
    if inter2 in ARMED_INTERS and (inter1 is None or inter1 in ARMED_INTERS):
        return "Armed clash", "armed actors on both sides"
    return sub, "the trigger's reading"


def _remote(sub: str, family: str, match, sent, cues: CodingCues) -> tuple[str, str]:
    doc = sent.doc
    lo, hi = max(sent.start, match.start - 4), min(sent.end, match.end + 4)
    near = {doc[i].lower_ for i in range(lo, hi)} | {doc[i].lemma_.lower() for i in range(lo, hi)}
    whole = {t.lower_ for t in sent}
    if family == "remote-ground":
        if near & cues.air:
            return "Air/drone strike", "fired from aircraft or drones"
        return sub, "ground-launched"
    if near & cues.air or (whole & cues.air and not whole & cues.ground):
        return "Air/drone strike", "aircraft or drones named"
    if near & cues.ground or whole & cues.ground:
        return "Shelling/artillery/missile attack", "artillery, rockets or missiles named"
    return sub, "the trigger's reading"


_RIOT_GEAR = re.compile(r" riot (?:police|policemen|gear|squads?|shields?|control|units?|officers|troops|vans) ")


def _protest(sub: str, match, text: str, cues: CodingCues) -> tuple[str, str]:
    text = _RIOT_GEAR.sub(" police ", text)  # "riot police", "riot gear": the police's, not a riot
    violent = _has_phrase(text, cues.violent)
    if violent or sub == "Violent demonstration":
        return "Violent demonstration", f"the demonstrators' own violence ('{violent or match.entry.id}')"
    lethal = _has_phrase(text, cues.lethal)
    if lethal:
        return "Excessive force against protesters", f"lethal force against protesters ('{lethal}')"
    intervention = _has_phrase(text, cues.intervention)
    if intervention in ("dispersed", "disperse", "dispersing") and _has_phrase(text, ("peacefully", "without incident")):
        intervention = None  # "before dispersing peacefully": the crowd went home
    if intervention:
        return "Protest with intervention", f"the authorities intervened ('{intervention}')"
    return "Peaceful protest", "no violence or intervention reported"


def _person_object(match, sent, cues: CodingCues) -> str | None:
    head = sent.doc[match.head]
    for child in head.children:
        if child.dep_ in ("dobj", "nsubjpass") and (child.lemma_.lower() in cues.persons or child.lower_ in cues.persons
                                                    or child.ent_type_ == "PERSON"):
            return child.text
    return None


def event_type_of(sub_event_type: str) -> str:
    return EVENT_TYPE_OF[sub_event_type]
