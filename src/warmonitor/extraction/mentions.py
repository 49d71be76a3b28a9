"""From a parsed report to Mentions and figure drafts, sentence by sentence.

Input: a spaCy Doc made by the pipeline in nlp.py (with doc.spans from the domain matcher) and its
Report. Output: every event mention (coded or not, each with why) and every attributed quantity.
A little state runs through the report: the place in scope ("the area"), the last actor named as
doing something ("they"), the last source ("it added"), and the report's focus countries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import ActorMention, Attribution, Mention, PlaceMention, Quantity, TimeSpan
from ..resolve.places import PlaceSpan
from . import calendar
from .attribution import attribute, attribution_above, speaker_extent
from .coding import event_type_of, refine
from .context import ReportState, country_name, country_place, dominant_rebel, focus_countries
from .dating import in_after_phrase, in_since_clause, opens_a_period, period, time_for
from .modality import modality_of
from .participants import (ActorRef, crowd_first, find_actor_refs, report_generic, role_in, speaker_country,
                           speaker_pronouns)
from .quantities import find_quantities
from .roles import ancestors_within, anchors_of, owner
from .triggers import TriggerMatch, token_keys

# nouns that an event word can name a kind of: "protest organisers", "attack helicopters"
KIND_NOUNS = frozenset({"organiser", "organizer", "leader", "group", "movement", "committee", "helicopter", "aircraft",
                        "plane", "jet", "boat", "ship", "unit", "squad", "brigade", "cell", "camp", "site", "season",
                        "victim", "survivor", "suspect", "law", "bill", "charge", "case", "trial", "court", "tactic",
                        "capability", "threat", "warning", "plan", "zone", "line", "ban", "permit", "route"})
DATELINE = re.compile(r"\s*[A-Z][A-Z .'-]{2,}(?:,[^-—–\n]{0,60})?\s*(?:\([^)\n]{0,40}\))?\s*(?:--|—|–|-)\s")
VERB_OF_EVENT = frozenset({"attack", "kill", "shot-dead", "bomb-verb", "target", "sniper", "wounded", "die"})
SERIES_NOUNS = frozenset({"string", "series", "wave", "spate", "litany", "succession", "campaign", "number"})
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"})


@dataclass
class FigureDraft:
    quantity: Quantity
    sentence: int
    sentence_text: str
    sentence_start: int
    place: PlaceMention | None
    time: TimeSpan | None
    attribution: Attribution | None
    modality: str


@dataclass
class ReportMentions:
    mentions: list[Mention] = field(default_factory=list)
    figures: list[FigureDraft] = field(default_factory=list)


def extract_mentions(doc, report, resources) -> ReportMentions:
    published = report.published
    state = ReportState(focus=focus_countries(doc, report, resources),
                        dominant_rebel=dominant_rebel(doc, resources, published),
                        named_sources={s.name for span in doc.spans.get("wm_sources", [])
                                       if (s := resources.sources.names.get(span.text)) is not None})
    state.places = resources.places.document_places(doc, state.focus)
    out = ReportMentions()
    for number, sent in enumerate(doc.sents):
        if not sent.text.strip():
            continue
        _sentence(number, sent, report, resources, state, out)
    return out


def _sentence(number: int, sent, report, resources, state: ReportState, out: ReportMentions) -> None:
    doc, published = sent.doc, report.published
    said = attribute(sent, resources.sources, previous=state.last_attribution,
                     named_in_report=state.named_sources, focus_country=state.focus[0] if state.focus else None)
    if said.attribution is not None:
        state.last_attribution = said.attribution
    keys = [token_keys(t) for t in sent]
    matches = resources.triggers.match(doc, sent.start, sent.end, keys)
    if said.verb is not None:
        matches = [m for m in matches if not (m.start <= said.verb < m.end)]
    # a weak trigger ("casualties", "targeting") stands only where no strong one of its kind does
    matches = [m for m in matches if not _modifies_a_noun(doc, m)]
    strong_types = {m.entry.event_type in VIOLENT for m in matches if not m.entry.weak and not m.entry.consequence}
    matches = [m for m in matches if not m.entry.weak or (m.entry.event_type in VIOLENT) not in strong_types]
    speaker = speaker_extent(sent, said.verb)
    places = [p for p in state.places.get(sent.start, ()) if p.head not in speaker]
    quantities = find_quantities(sent, resources.numbers)
    if not matches and not quantities:
        # no trigger and no figure (most sentences of a long report): nothing to code, only the place
        # in scope to carry on; dates, actors and the parse walks below would all go unused
        _carry_scope(state, places)
        return
    times = [t for t in calendar.find_all_times(sent.text, published) if t[0] >= _dateline_end(sent.text)]
    sentence_day = next((t[2].date for t in times if t[2].date is not None and not in_since_clause(sent.text, t[0])), None)
    all_refs = find_actor_refs(sent, resources, state, sentence_day or published,
                           speaker_country=speaker_country(sent, speaker, said, resources, state.focus))
    actor_refs = speaker_pronouns([a for a in all_refs if a.token not in speaker], all_refs, speaker, said, doc)

    trigger_heads = {m.head for m in matches}
    anchors = [anchors_of(doc[m.head], trigger_heads) for m in matches]
    anchor_owner: dict[int, int] = {}
    for index, match in enumerate(matches):
        for token in range(match.start, match.end):
            anchor_owner.setdefault(token, index)
        for anchor in anchors[index]:
            anchor_owner.setdefault(anchor.i, index)
    positions = [(m.head, i) for i, m in enumerate(matches)]
    target = _fold_consequences(matches, anchors, places, doc, anchor_owner, positions)
    # "a bomber blew himself up at a party rally": the rally is where the bombing struck, not an event
    hard = [j for j, m in enumerate(matches) if m.entry.event_type in HARD_VIOLENCE and j not in target]
    for index, match in enumerate(matches):
        where = _a_setting(doc, match, {matches[j].head: j for j in hard}) if hard and index not in target else None
        if where is not None:
            target[index] = where
    _follow_chains(target)  # what was folded into the setting goes with it
    for folded, into in target.items():
        # "jihadists killed 20 civilians in attacks": the killing's subject and object are the attack's actors
        anchors[into] = anchors[into] + [a for a in anchors[folded] if a not in anchors[into]]

    ownership: dict[int, tuple[int | None, str]] = {}

    def owner_of(token_index: int) -> tuple[int | None, str]:
        if token_index not in ownership:  # each word's way up the parse is walked once
            ownership[token_index] = owner(doc[token_index], anchor_owner, positions)
        return ownership[token_index]

    def owned(token_index: int, *, near_within: int = 99) -> int | None:
        """The trigger a word belongs to: through the parse, or when the parse gives none, the nearest
        trigger within `near_within` words."""
        got, how = owner_of(token_index)
        if got is None or (how == "near" and abs(matches[got].head - token_index) > near_within):
            return None
        return target.get(got, got)

    def owned_how(token_index: int) -> str:
        return owner_of(token_index)[1]

    # a place named inside another place's description ("Shasha, a village on the road linking Goma
    # to Minova") tells where that place is, not where the event happened
    described = {i for i, p in enumerate(places)
                 if any(q is not p and q.head in {t.i for t in doc[p.head].ancestors} for q in places)}
    place_owner = {i: owned(p.head) for i, p in enumerate(places) if p.anchor_of is None and i not in described}
    place_how = {i: owned_how(p.head) for i in place_owner for p in (places[i],)}
    # an actor across a clause boundary does something else ("... as government forces tried to halt ...")
    actor_owner = {i: owned(a.token, near_within=5) for i, a in enumerate(actor_refs)
                   if owned_how(a.token) != "clause"}
    quantity_owner = {i: owned(doc.char_span(q.start, q.end, alignment_mode="expand").root.i)
                      for i, q in enumerate(quantities)}
    used_places: list[PlaceMention] = []
    for index, match in enumerate(matches):
        if index in target:
            continue
        own_places = [places[i] for i, o in place_owner.items() if o == index]
        direct = [places[i] for i, o in place_owner.items() if o == index and place_how[i] != "clause"]
        own_places = direct or own_places  # places across a clause boundary only when none is direct
        if any(p.mention.place.feature != "country" for p in own_places):
            own_places = [p for p in own_places if p.mention.place.feature != "country"]
        if len(own_places) > 1 and not all(_route_point(doc, p) for p in own_places):
            own_places = [p for p in own_places if not _route_point(doc, p)]  # "marched from A to B in Nairobi"
        if not own_places or all(p.mention.place.feature == "country" for p in own_places):
            own_places = _place_above(doc[match.head], places) or own_places
        if not own_places:
            own_places = _place_above(doc[match.head], places)
        if match.entry.needs_object == "place" and not own_places and not _territory_object(doc, match, resources):
            continue
        time = time_for(match, sent, times, published, resources)
        if not times and state.scope_time is not None:
            scope = state.scope_time
            time = TimeSpan(date=scope.date, start=scope.start, end=scope.end, precision=scope.precision,
                            text=scope.text, why=f"no date of its own: the date in scope ({scope.why})")
        actors = [(actor_refs[i], role_in(actor_refs[i], anchors[index], match)) for i, o in actor_owner.items() if o == index]
        mention_quantities = tuple(quantities[i] for i, o in quantity_owner.items() if o == index)
        place_list = [p.mention for p in own_places] or [None]
        for place in place_list:
            mention = _mention(number, sent, report, resources, state, match, anchors[index], place, time,
                               actors, mention_quantities, said, own_places != [], sentence_refs=actor_refs)
            out.mentions.append(mention)
            if mention.coded:
                if mention.places and mention.places[0].place is not None:
                    used_places.append(mention.places[0])
                if times and time.text and time.date and (time.precision or 9) <= 2 and not mention.headline:
                    state.scope_time = time  # later sentences without a date of their own tell of that day
                firsts = [a.actor for a in mention.actors if a.role == "actor1"]
                if firsts:
                    state.last_actor1 = firsts[0]
    if used_places:
        state.scope = used_places[-1]
    elif not matches:
        _carry_scope(state, places)
    modality = _sentence_modality(sent, times, published, resources)
    for i, quantity in enumerate(quantities):
        own = quantity_owner.get(i)
        place = None
        if own is not None:
            own_places = [places[k].mention for k, o in place_owner.items() if o == own]
            place = own_places[0] if own_places else None
        if place is None:
            local = [p.mention for p in places if p.anchor_of is None]
            place = local[0] if local else country_place(resources, state)
        own_said = attribution_above(doc.char_span(quantity.start, quantity.end, alignment_mode="expand").root,
                                     resources.sources, previous=state.last_attribution,
                                     named_in_report=state.named_sources,
                                     focus_country=state.focus[0] if state.focus else None)
        attribution = own_said.attribution if own_said is not None and own_said.attribution else said.attribution
        out.figures.append(FigureDraft(quantity, number, sent.text, doc[sent.start].idx,
                                       place, period(sent, times, published), attribution, modality))


def _carry_scope(state: ReportState, places: list) -> None:
    """A sentence with no event keeps the last town it names in scope for the sentences after it."""
    local = [p.mention for p in places if p.anchor_of is None and p.mention.place.feature != "country"]
    if local:
        state.scope = local[-1]


#: what civilians own: destroying or looting it makes them the event's other side
CIVILIAN_PROPERTY = frozenset({"house", "home", "shop", "market", "store", "village", "hut", "pharmacy", "car",
                               "school", "clinic", "hospital", "church", "mosque", "farm", "crop", "granary",
                               "livestock", "cattle", "property", "business", "warehouse", "bank"})
#: kinds of event that an announcement of a decision makes, and the verbs that announce one
ANNOUNCED_KINDS = frozenset({"Change to group/activity"})
ANNOUNCING = frozenset({"announce", "declare", "decide", "proclaim", "say"})
#: events whose setting a gathering can be: a bombing at a rally (forces firing into one are its repression)
HARD_VIOLENCE = frozenset({"Explosions/Remote violence"})
SETTING_PREPOSITIONS = frozenset({"at", "during", "on", "into", "near", "outside", "inside", "targeting"})


def _a_setting(doc, match: TriggerMatch, violent_heads: dict[int, int]) -> int | None:
    """A gathering named as where a violent event struck ("blew himself up at a rally", "opened fire
    during a protest"): the place of that event, not an event of its own. Returns the violent event."""
    head = doc[match.head]
    if not (match.entry.refine == "protest" and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj"
            and head.head.lower_ in SETTING_PREPOSITIONS):
        return None
    for token in ancestors_within(head.head, 3):
        if token.i in violent_heads:
            return violent_heads[token.i]
        for child in token.children:  # "a suicide bomber blew himself up at ...": the bomber's verb
            if child.i in violent_heads and child.dep_ in ("nsubj", "nsubjpass"):
                return violent_heads[child.i]
    return None


ROUTE_PREPOSITIONS = frozenset({"from", "to", "towards", "toward", "via", "through"})


def _route_point(doc, place) -> bool:
    """A place named as where a movement went from or to ("marching from Daley Plaza to Grant Park"):
    a point on the way, not a second place where the event happened."""
    for token in ancestors_within(doc[place.head], 3):
        if token.dep_ == "prep":
            return token.lower_ in ROUTE_PREPOSITIONS
    return False


def _dateline_end(text: str) -> int:
    """Where a dateline ("KYIV, Aug 29 (Reuters) - ") ends: its date is the filing date, not an event's."""
    match = DATELINE.match(text)
    return match.end() if match else 0


def _modifies_a_noun(doc, match: TriggerMatch) -> bool:
    """'protest organisers', 'attack helicopters', 'strike drones': the word names a kind of thing."""
    if match.end - match.start != 1:
        return False
    token = doc[match.start]
    return token.pos_ in ("NOUN", "PROPN") and token.dep_ == "compound" and token.head.i > token.i \
        and token.head.lemma_.lower() in KIND_NOUNS


def _fold_consequences(matches, anchors, places, doc, anchor_owner, positions) -> dict[int, int]:
    """'airstrikes killed 5': the killing is the strike's result, not an event of its own."""
    target: dict[int, int] = {}
    main = [i for i, m in enumerate(matches) if not m.entry.consequence]
    violent = [i for i in main if matches[i].entry.event_type in VIOLENT]
    if not main:
        return target
    for i, match in enumerate(matches):
        absorber = next((j for j, other in enumerate(matches) if match.entry.id in other.entry.absorbs
                         or (match.entry.id in other.entry.absorbs_after and in_after_phrase(doc[match.head]))), None)
        if absorber is not None:
            target[i] = absorber  # "gunmen stormed a village and kidnapped 15": one abduction
            continue
        subject_event = next((j for j in main if j != i and doc[matches[j].head].head.i == match.head
                              and doc[matches[j].head].dep_ in ("nsubj", "nsubjpass")
                              and matches[j].entry.event_type in VIOLENT and match.entry.event_type in VIOLENT), None)
        if subject_event is None and match.entry.id in VERB_OF_EVENT:
            # "a vehicle was struck by a roadside bomb": the event word is the passive verb's agent
            subject_event = next((j for j in main if j != i and matches[j].entry.event_type in VIOLENT
                                  and matches[j].entry.id not in VERB_OF_EVENT
                                  and any(t.dep_ == "agent" and t.head.i == match.head
                                          for t in doc[matches[j].head].ancestors)), None)
        if subject_event is None and match.entry.id in VERB_OF_EVENT and doc[match.head].pos_ == "VERB":
            # parse or not, "shelling by the RSF struck the camp" tells one event: the noun before the verb
            before = [j for j in main if j != i and matches[j].end <= match.start
                      and (doc[matches[j].head].pos_ != "VERB" or doc[matches[j].head].tag_ == "VBG")
                      and matches[j].entry.event_type in VIOLENT and matches[j].entry.id not in VERB_OF_EVENT
                      and not any(doc[k].pos_ == "VERB" for k in range(matches[j].end, match.start))]
            subject_event = before[-1] if before else None
        if subject_event is None and match.entry.id in VERB_OF_EVENT and doc[match.head].pos_ == "VERB":
            # "a patrol vehicle struck an improvised explosive device": the strike is the device going off
            subject_event = next((j for j in main if j != i
                                  and matches[j].entry.event_type == "Explosions/Remote violence"
                                  and any(t.dep_ == "dobj" and t.head.i == match.head
                                          for t in (doc[matches[j].head], *ancestors_within(doc[matches[j].head], 2)))),
                                 None)
        if subject_event is not None and (match.entry.id in VERB_OF_EVENT
                                          or matches[subject_event].entry.sub_event_type == "Mob violence"):
            # "shelling by the RSF struck the camp": the strike is the shelling; "a mob beat a man": the mob's
            target[i] = subject_event
            continue
        protest_family = next((j for j in main if j < i and j not in target and match.entry.refine == "protest"
                               and matches[j].entry.refine == "protest"), None)
        if protest_family is not None:
            target[i] = protest_family  # "police fired tear gas at demonstrators": one protest, one sentence
            continue
        for j in main:
            if j < i and matches[j].entry.sub_event_type == match.entry.sub_event_type and j not in target and (
                    match.start - matches[j].end <= 2
                    or any(t.i == matches[j].head for t in ancestors_within(doc[match.head], 3))
                    or any(t.i == match.head for t in ancestors_within(doc[matches[j].head], 3))):
                target[i] = j  # "fought ... clashes": one event said twice
                break
        if i in target or not match.entry.consequence:
            continue
        head = doc[match.head]
        # a killing is the result of a violent event only ("after killing and arresting 16" is two events)
        related = [j for j in violent if any(a.i == t.i for a in anchors[j] for t in (head, *head.ancestors))]
        related += [j for j in violent if any(head.i == t.i or anchors[i][-1].i == t.i
                                              for t in (doc[matches[j].head], *doc[matches[j].head].ancestors))]
        if related:
            target[i] = related[0]
            continue
        # a killing with a place of its own is its own event ("and a woman killed in Deir Ezzor")
        own = [p for p in places if p.anchor_of is None and owner(doc[p.head], anchor_owner, positions)[0] == i]
        if not own and violent:
            target[i] = min(violent, key=lambda j: abs(matches[j].head - match.head))
    _follow_chains(target)
    return target


def _follow_chains(target: dict[int, int]) -> None:
    """Point each folded trigger at the trigger that stands at the end of its chain ("killing" ->
    "struck" -> "shelling"), dropping any that come back to themselves."""
    for i in list(target):
        seen = {i}
        while target[i] in target and target[i] not in seen:
            seen.add(target[i])
            target[i] = target[target[i]]
        if target[i] == i:
            del target[i]


def _place_above(token, places: list[PlaceSpan]) -> list[PlaceSpan]:
    """'the countryside, where rebels managed to seize ...': the place the clause hangs from."""
    for ancestor in list(token.ancestors)[:5]:
        for place in places:
            if place.anchor_of is None and place.start <= ancestor.i < place.end + 1:
                return [place]
    return []


def _territory_object(doc, match: TriggerMatch, resources) -> bool:
    head = doc[match.head]
    objects = resources.coding.territory_objects
    for token in head.subtree:
        if token.i != head.i and token.lemma_.lower() in objects and token.dep_ in ("dobj", "pobj", "conj", "nsubjpass", "attr", "appos"):
            return True
    return head.dep_ in ("relcl", "acl") and head.head.lemma_.lower() in objects


def _sentence_modality(sent, times, published, resources) -> str:
    cues = resources.modality
    text = " " + sent.text.lower() + " "
    if any(f" {phrase}" in text for phrase in cues.historical_phrases):
        return "historical"
    for token in sent:
        if token.dep_ == "aux" and token.lower_ in cues.modal_auxiliaries:
            return "hypothetical"
    return "reported"


def _mention(number, sent, report, resources, state: ReportState, match: TriggerMatch, anchors, place,
             time: TimeSpan, actors, quantities, said, own_place: bool, sentence_refs=()) -> Mention:
    doc = sent.doc
    head = doc[match.head]
    modality, why_not = modality_of(head, cues=resources.modality, time=time, published=report.published,
                                    attribution_kind=said.kind)
    if modality in ("intended", "hypothetical") and match.entry.sub_event_type in ANNOUNCED_KINDS \
            and any(t.lemma_.lower() in ANNOUNCING for t in ancestors_within(head, 6)):
        # "announced that the coalitions would join forces": for a group, the announcement is the change
        modality, why_not = "asserted", None
    place_why = ""
    if place is None:
        anaphor = resources.places.scope_anaphor(sent)
        if state.scope is not None:
            place = state.scope
            place_why = "the place in scope" + (" ('the area')" if anaphor else "")
        else:
            place = country_place(resources, state)
    # summaries of a period are figures' context, not events
    summary_noun = head.lemma_.lower() in resources.modality.summary_nouns
    if why_not is None and summary_noun and time.start and time.end \
            and (time.end - time.start).days >= resources.modality.summary_min_days and not own_place:
        why_not = f"sums up a period ({time.start.isoformat()} to {time.end.isoformat()}), not one event"
    if why_not is None and match.entry.refine == "territory" and head.lemma_.lower() in ("control", "hold") \
            and head.tag_ in ("VBZ", "VBP") and (number > 0 or head.dep_ in ("relcl", "acl")):
        why_not = f"says who holds ground now ('{head.text}'), not that it changed hands"
    if why_not is None and head.head.lemma_.lower() in SERIES_NOUNS and head.dep_ == "pobj":
        why_not = f"one of a series ('a {head.head.lower_} of {head.lower_}'), not one event"
    max_days = resources.settings["extract"]["max_event_span_days"]
    if why_not is None and time is not None and time.start and time.end and (time.end - time.start).days > max_days \
            and time.why.startswith("ongoing since"):
        why_not = f"covers {(time.end - time.start).days} days ('since ... {time.text}'): a summary, not one event"
    if why_not is None and opens_a_period(head) and time is not None and time.start and report.published \
            and (report.published - time.start).days > resources.modality.historical_days:
        modality, why_not = "historical", f"background: what a period is counted from ('since ... {time.text}')"
    if why_not is None and summary_noun and time.text is None and any(
            c.dep_ == "aux" and c.lemma_.lower() == "have" for t in (head, head.head) for c in t.children):
        why_not = "sums up a campaign so far ('has killed ...'), not one event"
    if why_not is None and summary_noun and opens_a_period(head):
        why_not = "the campaign a period is counted from ('since the offensive began'), not one event"
    # roles
    actor1 = [ref for ref, role in actors if role == "actor1"]
    actor2 = [ref for ref, role in actors if role == "actor2"]
    for modifier in (child for token in doc[match.start:match.end] for child in token.children):
        if modifier.dep_ in ("amod", "compound", "poss") and modifier.text[:1].isupper():
            code = resources.gazetteer.countries_by_demonym(modifier.text)
            if code is None and modifier.dep_ == "compound" and modifier.is_upper and len(modifier.text) <= 3:
                country = resources.gazetteer.country(modifier.text)  # "US airstrikes", "UK jets"
                code = country.country_code if country is not None else None
            actor = code and resources.actors.state_forces(code, country_name(resources, code),
                                                           time.date or report.published)
            if actor:  # (a country whose forces the registry does not know adds no side)
                actor1.append(ActorRef(modifier.i, modifier.i, modifier.i + 1, actor, modifier.text))
    armed = [r for r in actor1 if r.actor is not None and r.actor.inter not in (6, 7)]
    if armed and len(armed) < len(actor1) and all(r.actor is not None and r.actor.inter in (6, 7) for r in actor1
                                                  if r not in armed):
        # "an Israeli airstrike hit a house, killing nine people": the people killed are its targets
        actor2 = [r for r in actor1 if r not in armed] + actor2
        actor1 = armed
    # a reference may name no registered actor ("they"): the first that does gives the side's inter code
    inter1 = next((r.actor.inter for r in actor1 if r.actor is not None), None)
    inter2 = next((r.actor.inter for r in actor2 if r.actor is not None), None)
    if not actor2 and match.entry.refine == "violence":
        # "stormed the village, shooting residents": civilians in the attack's own clause are its targets
        clause = {t.lower_ for a in anchors for t in a.subtree}
        if clause & resources.coding.civilian_words or (not actor1 and {t.lower_ for t in sent} & resources.coding.civilian_words):
            inter2 = 7
    sub, sub_why = refine(match.entry.sub_event_type, match.entry.refine, match=match, sent=sent,
                          cues=resources.coding, actor1_inter=inter1, actor2_inter=inter2)
    if sub == "Attack" and actor1 and all(r.actor is not None and r.actor.inter == 7 and r.actor.country is None
                                          for r in actor1):
        # "two men on a motorbike shot and killed a journalist": unnamed killers are an unidentified armed group
        actor1 = [ActorRef(r.token, r.start, r.end, report_generic("unidentified", resources, state), r.text)
                  for r in actor1[:1]]
    if sub == "Remote explosive/landmine/IED":
        # "an army vehicle struck a device planted by insurgents, killing four soldiers": the planters
        # attacked the army, whatever the parse made of the vehicle and the dead
        planters = [r for r in actor1 + actor2 if r.actor is not None and r.actor.inter in (2, 3, 4)]
        forces = [r for r in actor1 + actor2 if r.actor is not None and r.actor.inter == 1]
        if planters and forces:
            actor1, actor2 = planters, forces
    if event_type_of(sub) in ("Protests", "Riots"):
        if sub != "Peaceful protest":
            # "threw stones at police": the police a protest sentence names are the other side
            known = {r.token for r in actor1 + actor2}
            actor2 = actor2 + [r for r in sentence_refs if r.actor is not None and r.actor.inter == 1
                               and r.token not in known]
        actor1, actor2 = crowd_first(actor1, actor2, sub, resources, state, head, report)
    if sub == "Looting/property destruction" and not actor2 and CIVILIAN_PROPERTY & {t.lemma_.lower() for t in sent}:
        # "looted shops", "burned houses": ACLED names the owners, civilians, as the other side
        actor2 = [ActorRef(head.i, head.i, head.i + 1, report_generic("civilians", resources, state), head.text)]
    actor_mentions = []
    seen: set[tuple[str, str]] = set()
    for role, refs in (("actor1", actor1), ("actor2", actor2)):
        for ref in refs:
            if (ref.actor.name, "any") in seen:
                continue
            seen.add((ref.actor.name, "any"))
            actor_mentions.append(ActorMention(text=ref.text, start=doc[ref.start].idx,
                                               end=doc[ref.end - 1].idx + len(doc[ref.end - 1]), actor=ref.actor,
                                               role=role, why=f"'{ref.text}' = {ref.actor.name}, {role}"))
    in_headline = bool(report.title) and sent.start_char == 0 and sent.text.strip() == report.title.strip()
    toll = "toll: " if match.entry.consequence and not any(a.role == "actor1" for a in actor_mentions) else ""
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children) \
        and head.pos_ in ("NOUN", "PROPN")
    vague = place_why.startswith("the place in scope") and (
        (match.entry.id in VERB_OF_EVENT and sub_why in ("the trigger's reading", "armed actors on both sides"))
        or definite)  # "responsibility for the attack was claimed by ...": the attack told before
    return Mention(report=report.id, sentence=number, headline=in_headline, vague=vague, event_type=event_type_of(sub), sub_event_type=sub,
                   trigger=doc[match.start:match.end].text, trigger_start=doc[match.start].idx,
                   trigger_end=doc[match.end - 1].idx + len(doc[match.end - 1]), start=sent.start_char,
                   end=sent.end_char, sentence_text=sent.text, actors=tuple(actor_mentions),
                   places=(place,) if place is not None else (), time=time, quantities=quantities,
                   attribution=said.attribution, modality=modality, why_not_coded=why_not,
                   why=f"{toll}trigger '{doc[match.start:match.end].text}' ({match.entry.id}): {sub_why}"
                       + (f"; place: {place_why}" if place_why else ""))
