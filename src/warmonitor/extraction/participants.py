"""Who takes part in an event a sentence states: actor names and generic nouns found in the
sentence, their countries, and their roles (actor1 / actor2) around a trigger."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..nlp import spans_in
from ..records import Actor
from ..resolve.places import MODIFIER_WORDS
from .context import ReportState, country_name
from .coding import event_type_of
from .phrases import sentence_words
from .roles import role_of
from .triggers import TriggerMatch

REPEL_VERBS = frozenset({"repel", "repulse", "thwart", "foil", "resist", "withstand", "counter", "rebuff"})
INSTITUTIONS = frozenset({"army", "military", "government", "ministry", "police", "president", "spokesman",
                          "spokeswoman", "commander", "governor", "authority", "authorities", "junta", "council"})
PRONOUN_SUBJECTS = frozenset({"they", "it", "he", "she", "we", "them"})
_CONNECT = frozenset({"and", "&", ","})


@dataclass(frozen=True)
class ActorRef:
    token: int
    start: int
    end: int
    actor: Actor
    text: str


def speaker_pronouns(refs: list, all_refs: list, speaker: set[int], said, doc) -> list:
    """'The People's Defence Force said it had seized the station': a pronoun in what a speaker says
    is the speaker. When the speaker is an actor, the pronoun is that actor; when the speaker is
    no known actor, the pronoun is nobody we can name (not the last actor of the report)."""
    if said.verb is None or not speaker:
        return [r for r in refs if r.actor is not None]
    speaker_actors = [r for r in all_refs if r.token in speaker and r.actor is not None]
    out = []
    for ref in refs:
        token = doc[ref.token]
        if ref.end - ref.start == 1 and token.lower_ in PRONOUN_SUBJECTS and said.verb in {t.i for t in token.ancestors}:
            if speaker_actors:
                out.append(ActorRef(ref.token, ref.start, ref.end, speaker_actors[0].actor, ref.text))
            continue
        if ref.actor is not None:
            out.append(ref)
    return out


def crowd_first(actor1: list, actor2: list, sub: str, resources, state: ReportState, head, report):
    """ACLED codes the demonstrators as actor1 of a protest or riot and whoever intervened as actor2:
    "police fired tear gas at protesters" is the protesters' event."""
    crowd_inter = 6 if event_type_of(sub) == "Protests" else 5
    everyone = actor1 + actor2
    # civilians named in a protest story ("police arrested 30 people") are the demonstrators themselves
    crowd = [r for r in everyone if r.actor.inter in (5, 6)]
    others = [r for r in everyone if r.actor.inter not in (5, 6, 7)]
    if crowd and crowd_inter == 5 and crowd[0].actor.inter == 6 and crowd[0].actor.country is None:
        # demonstrators who turn violent are rioters in ACLED's terms ("Rioters (Haiti)")
        first = crowd[0]
        crowd[0] = ActorRef(first.token, first.start, first.end, report_generic("rioters", resources, state), first.text)
    if not crowd:
        kind = "protesters" if crowd_inter == 6 else "rioters"
        crowd = [ActorRef(head.i, head.i, head.i + 1, report_generic(kind, resources, state), head.text)]
    if sub == "Mob violence" and not others:
        # a mob's victims, unless named as a group, are civilians
        victims = [r for r in everyone if r.actor.inter == 7]
        others = victims[:1] or [ActorRef(head.i, head.i, head.i + 1, report_generic("civilians", resources, state),
                                          head.text)]
    return crowd[:1], others + crowd[1:]


def role_in(ref: ActorRef, anchors, match: TriggerMatch) -> str:
    if match.start <= ref.token < match.end or ref.start <= match.head < ref.end:
        return "actor1"  # "warplanes bombed ...": the trigger names the attacker
    doc = anchors[0].doc
    token = doc[ref.token]
    repelled = next((a for a in anchors[1:] if a.lemma_.lower() in REPEL_VERBS), None)
    if repelled is not None and token.dep_ in ("nsubj", "nsubjpass") and token.head.i == repelled.i:
        return "actor2"  # "troops repelled an RSF assault": the defenders are the attacked side
    between = next((t for t in token.ancestors if t.lower_ == "between" and t.dep_ == "prep"), None)
    if between is not None and any(a.i == between.head.i for a in anchors):
        # "clashes between the army and the rebels": the first named side is actor1, the other actor2
        first = next((t.i for t in between.subtree if t.i > between.i and t.pos_ not in ("DET", "ADJ", "PUNCT")), token.i)
        return "actor1" if ref.start <= first else "actor2"
    role = role_of(doc[ref.token], anchors)
    if role == "from":
        return "actor2" if match.entry.refine == "territory" else "actor1"
    if role is None and match.entry.refine == "territory":
        path_preps = [t.lower_ for t in doc[ref.token].ancestors if t.dep_ == "prep"][:1]
        if path_preps == ["to"]:
            return "actor1"
    if role is None:
        return "actor1" if ref.token < match.start else "actor2"
    return role


def speaker_country(sent, speaker: set[int], said, resources, focus: tuple[str, ...] = ()) -> str | None:
    """The country a speaker speaks for: "Russia's defence ministry said its air defences ..."."""
    source = resources.sources.sources.get(said.attribution.source) if said.attribution else None
    if source is not None and source.country:
        return source.country
    doc, gaz = sent.doc, resources.gazetteer
    if focus and any(sent.doc[i].lemma_.lower() in INSTITUTIONS for i in speaker):
        institution = True
    else:
        institution = False
    for i in sorted(speaker):
        token = doc[i]
        if not token.text[:1].isupper():
            continue
        code = gaz.countries_by_demonym(token.text)
        if code is None and i + 1 < len(doc) and doc[i + 1].lower_ in ("'s", "’s"):
            country = gaz.country(token.text)
            code = country.country_code if country else None
        if code:
            return code
    # "the army said its troops ...": an unnamed national institution speaks for the report's country
    return focus[0] if institution else None


#: things forces are attacked in or at: "an army convoy", "a police station", "Ukrainian positions"
TARGET_NOUNS = frozenset({"convoy", "vehicle", "patrol", "base", "checkpoint", "post", "station", "van", "truck",
                          "outpost", "barracks", "camp", "headquarters", "position", "trench", "line", "unit",
                          "garrison", "jeep", "pickup", "bus", "helicopter", "plane", "barrack"})
MILITARY_TARGETS = frozenset({"position", "trench", "line", "defender", "convoy", "base", "outpost", "garrison",
                              "checkpoint", "patrol", "unit", "troop", "soldier", "serviceman", "barracks", "post"})


def find_actor_refs(sent, resources, state: ReportState, day: date | None, *,
                speaker_country: str | None = None) -> list[ActorRef]:
    doc, registry, gaz = sent.doc, resources.actors, resources.gazetteer
    refs: list[ActorRef] = []
    taken: set[int] = set()
    for span in spans_in(sent, "wm_actors"):
        entries = registry.names.get(span.text)
        if entries:
            entries = registry.local_only(span.text, entries, state.focus[0] if state.focus else None)
        if entries:
            actor = registry.resolve(entries, day, state.focus[0] if state.focus else None)
            refs.append(ActorRef(span.root.i, span.start, span.end, actor, span.text))
            taken.update(range(span.start, span.end))
            if actor.inter in (1, 8) and gaz.countries_by_demonym(span[0].text):
                # "Syrian and Russian warplanes": the other demonyms share the noun of the named one
                for code in demonym_countries(doc, span.start, span.root, gaz):
                    if code != actor.country:
                        refs.append(ActorRef(span.root.i, span.start, span.end,
                                             registry.state_forces(code, country_name(resources, code), day), span.text))
    # source names ("residents", "witnesses") are actors where they do things; speakers are left out upstream
    for span in spans_in(sent, "wm_places"):
        taken.update(range(span.start, span.end))
    # "The Israeli army said its aircraft struck ...": unmarked forces belong to the state just named
    named_states = [r.actor.country for r in refs if r.actor.inter in (1, 8) and r.actor.country]
    words, index, originals = sentence_words(sent)
    for i, j, spec in registry.generic.find(words, originals):
        first, last = index[i], index[j - 1]
        if any(t in taken for t in range(first, last + 1)):
            continue
        head = doc[last]
        anchor_token = head
        if head.dep_ in ("compound", "amod") and head.head.i > head.i and head.head.lemma_.lower() in TARGET_NOUNS:
            anchor_token = head.head  # "an army convoy", "a police station": the forces in their role as target
        elif head.dep_ in ("compound", "amod") and head.head.i > head.i and registry.generic.get(head.head.text) is None:
            continue  # "rebel bastion", "army tanks": a modifier, not an actor
        if last + 2 < sent.end and doc[last + 1].text == "-" and doc[last + 2].lower_ in MODIFIER_WORDS:
            continue  # "rebel-held towns", "army-controlled road": the towns and the road are no actors
        if last + 2 < sent.end and doc[last + 1].lower_ in ("'s", "’s") and doc[last + 2].text[:1].isupper():
            continue  # "the military's Western Regional Command": a name, not a participant
        if any(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start for t in doc[first:last + 1]) \
                and last + 1 < sent.end and doc[last + 1].text[:1].isupper():
            continue  # "People's Defence Force", "Popular Mobilization Forces": part of a name
        countries = demonym_countries(doc, first, head, gaz)
        if not countries and spec.kind in ("state", "police") and speaker_country and \
                any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in head.children):
            countries = [speaker_country]  # "Ukraine's military said its troops ...": the speaker's own forces
        if not countries and spec.kind in ("state", "police") and named_states:
            countries = named_states[:1]
        if not countries:
            countries = [state.focus[0]] if state.focus else [None]
        for code in countries:
            actor = generic_actor(spec.kind, code, resources, state, day)
            refs.append(ActorRef(anchor_token.i, first, last + 1, actor, doc[first:last + 1].text))
        taken.update(range(first, last + 1))
    # "onto Ukrainian positions", "against Iraqi defenders": a demonym on a military target names its forces
    for token in sent:
        if token.i in taken or token.dep_ != "amod" or not token.text[:1].isupper():
            continue
        target = token.head
        if target.lemma_.lower() not in MILITARY_TARGETS or any(r.token == target.i for r in refs):
            continue
        code = gaz.countries_by_demonym(token.text)
        actor = code and registry.state_forces(code, country_name(resources, code), day)
        if actor:
            refs.append(ActorRef(target.i, token.i, token.i + 1, actor, f"{token.text} {target.text}"))
    # pronoun subjects stand for the last actor named as doing something ("they have snatched ...")
    for token in sent:
        if token.lower_ in PRONOUN_SUBJECTS and token.dep_ in ("nsubj", "nsubjpass") \
                and token.head.lemma_.lower() not in ("say", "add", "tell", "report"):
            # the actor may be None here: speaker_pronouns may still name it, else it is dropped
            refs.append(ActorRef(token.i, token.i, token.i + 1, state.last_actor1, token.text))
    return refs


def demonym_countries(doc, first: int, head, gaz) -> list[str]:
    """'Syrian and Russian air forces' -> [SY, RU]; 'Russia's army' -> [RU]."""
    codes: list[str] = []
    start = first
    while start > 0 and (doc[start - 1].lower_ in _CONNECT or gaz.countries_by_demonym(doc[start - 1].text)
                         or doc[start - 1].lower_ in ("'s", "’s")):
        start -= 1
    for token in doc[start:first]:
        code = gaz.countries_by_demonym(token.text) if token.text[:1].isupper() else None
        if code is None and token.text[:1].isupper() and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("'s", "’s"):
            country = gaz.country(token.text)
            code = country.country_code if country else None
        if code and code not in codes:
            codes.append(code)
    return codes


def report_generic(kind: str, resources, state: ReportState) -> Actor:
    """ACLED's generic actor of a kind for the report's own country: "Civilians (Sudan)",
    "Unidentified Armed Group (Mexico)", "Rioters (Haiti)"."""
    return resources.actors.generic_actor(kind, country_name(resources, state.focus[0] if state.focus else None))


def generic_actor(kind: str, code: str | None, resources, state: ReportState, day: date | None) -> Actor:
    registry = resources.actors
    name = country_name(resources, code)
    if kind == "state" and code:
        return registry.state_forces(code, name, day)
    if kind == "police" and code:
        return registry.police_forces(code, name, day)
    if kind == "rebels" and state.dominant_rebel is not None:
        return state.dominant_rebel
    return registry.generic_actor(kind, name)
