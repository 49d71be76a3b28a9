"""From a parsed report to Mentions and figure drafts, sentence by sentence.

Input: a spaCy Doc made by the pipeline in nlp.py (with doc.spans from the domain matcher) and its
Report. Output: every event mention (coded or not, each with why) and every attributed quantity.
A little state runs through the report: the place in scope ("the area"), the last actor named as
doing something ("they"), the last source ("it added"), and the report's focus countries.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..records import Actor, ActorMention, Attribution, Mention, PlaceMention, Quantity, TimeSpan
from ..nlp import spans_in
from ..resolve.places import MODIFIER_WORDS, PlaceSpan, is_dateline
from . import calendar
from .attribution import attribute, speaker_extent
from .coding import event_type_of, refine
from .modality import modality_of
from .phrases import sentence_words
from .quantities import find_quantities
from .roles import ancestors_within, anchors_of, owner, role_of
from .triggers import TriggerMatch, token_keys

VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"})
_PRONOUN_SUBJECTS = frozenset({"they", "it", "he", "she", "we", "them"})
_CONNECT = frozenset({"and", "&", ","})


@dataclass
class ReportState:
    focus: tuple[str, ...]
    dominant_rebel: Actor | None
    named_sources: set[str]
    scope: PlaceMention | None = None
    last_actor1: Actor | None = None
    last_attribution: Attribution | None = None


@dataclass(frozen=True)
class ActorRef:
    token: int
    start: int
    end: int
    actor: Actor
    text: str


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


def _country_name(resources, code: str | None) -> str | None:
    if not code:
        return None
    place = resources.gazetteer.country(code)
    return place.country if place else None


def _focus_countries(doc, report, resources) -> tuple[str, ...]:
    """The report's countries, most named first. Strong signals decide: country and province names,
    cities named exactly, the report's own actors and a national publisher. Small towns and demonyms
    ("Russian warplanes" says who attacked, not where) only decide when there is no strong signal."""
    strong: Counter = Counter()
    weak: Counter = Counter()
    gaz = resources.gazetteer
    for span in doc.spans.get("wm_places", []):
        if is_dateline(span):
            continue
        candidates = gaz.candidates(span.text)
        ranked = gaz.rank(candidates, text=span.text)
        if not ranked:
            continue
        best = ranked[0]
        if best.feature in ("country", "admin1") or (best.population > 50_000 and gaz.is_exact(span.text)):
            strong[best.country_code] += 2
        elif len({p.country_code for p in candidates}) == 1:
            weak[best.country_code] += 1  # a small town only one country has
    for token in doc:
        if token.pos_ in ("ADJ", "PROPN") and token.text[:1].isupper():
            code = gaz.countries_by_demonym(token.text)
            if code:
                weak[code] += 0.5
    for span in doc.spans.get("wm_actors", []):
        entries = resources.actors.names.get(span.text)
        # foreign forces (inter 8) act abroad: they say nothing of where the report is
        if entries and entries[0].actor.country and entries[0].actor.inter != 8:
            strong[entries[0].actor.country] += 1
    source = resources.sources.by_name(report.publisher) if report.publisher else None
    if source is not None and source.country:
        strong[source.country] += 3  # a national monitor or agency reports on its own country
    counts = strong or weak
    if strong:
        for code, n in weak.items():
            if code in strong:
                strong[code] += n / 10  # tie-breakers among the strong countries
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(code for code, n in counts.most_common() if n * 2 >= top)[:3]


def _dominant_rebel(doc, resources, day: date | None) -> Actor | None:
    counts: Counter[str] = Counter()
    actors: dict[str, Actor] = {}
    for span in doc.spans.get("wm_actors", []):
        entries = resources.actors.names.get(span.text)
        if entries:
            actor = resources.actors.resolve(entries, day)
            if actor.inter in (2, 3):
                counts[actor.name] += 1
                actors.setdefault(actor.name, actor)
    return actors[counts.most_common(1)[0][0]] if counts else None


def extract_mentions(doc, report, resources) -> ReportMentions:
    published = report.published
    state = ReportState(focus=_focus_countries(doc, report, resources),
                        dominant_rebel=_dominant_rebel(doc, resources, published),
                        named_sources={s.name for span in doc.spans.get("wm_sources", [])
                                       if (s := resources.sources.names.get(span.text)) is not None})
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
    if said.attribution is not None and said.attribution.source in resources.sources.sources:
        state.last_attribution = said.attribution
    keys = [token_keys(t) for t in sent]
    matches = resources.triggers.match(doc, sent.start, sent.end, keys)
    if said.verb is not None:
        matches = [m for m in matches if not (m.start <= said.verb < m.end)]
    # a weak trigger ("casualties", "targeting") stands only where no strong one of its kind does
    strong_types = {m.entry.event_type in VIOLENT for m in matches if not m.entry.weak and not m.entry.consequence}
    matches = [m for m in matches if not m.entry.weak or (m.entry.event_type in VIOLENT) not in strong_types]
    speaker = speaker_extent(sent, said.verb)
    places = [p for p in resources.places.sentence_places(sent, focus=state.focus) if p.head not in speaker]
    quantities = find_quantities(sent, resources.numbers)
    times = calendar.find_all_times(sent.text, published)
    sentence_day = next((t[2].date for t in times if t[2].date is not None and not _in_since_clause(sent.text, t[0])), None)
    all_refs = _actor_refs(sent, resources, state, sentence_day or published,
                           speaker_country=_speaker_country(sent, speaker, said, resources))
    actor_refs = _speaker_pronouns([a for a in all_refs if a.token not in speaker], all_refs, speaker, said, doc)

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
    for folded, into in target.items():
        # "jihadists killed 20 civilians in attacks": the killing's subject and object are the attack's actors
        anchors[into] = anchors[into] + [a for a in anchors[folded] if a not in anchors[into]]

    def owned(token_index: int, *, near_within: int = 99) -> int | None:
        """The trigger a word belongs to: through the parse, or when the parse gives none, the nearest
        trigger within `near_within` words."""
        got, how = owner(doc[token_index], anchor_owner, positions)
        if got is None or (how == "near" and abs(matches[got].head - token_index) > near_within):
            return None
        return target.get(got, got)

    def owned_how(token_index: int) -> str:
        return owner(doc[token_index], anchor_owner, positions)[1]

    place_owner = {i: owned(p.head) for i, p in enumerate(places) if p.anchor_of is None}
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
        if not own_places or all(p.mention.place.feature == "country" for p in own_places):
            own_places = _place_above(doc[match.head], places) or own_places
        if not own_places:
            own_places = _place_above(doc[match.head], places)
        if match.entry.needs_object == "place" and not own_places and not _territory_object(doc, match, resources):
            continue
        time = _time_for(match, sent, times, published, resources)
        actors = [(actor_refs[i], _role(actor_refs[i], anchors[index], match)) for i, o in actor_owner.items() if o == index]
        mention_quantities = tuple(quantities[i] for i, o in quantity_owner.items() if o == index)
        place_list = [p.mention for p in own_places] or [None]
        for place in place_list:
            mention = _mention(number, sent, report, resources, state, match, anchors[index], place, time,
                               actors, mention_quantities, said, own_places != [])
            out.mentions.append(mention)
            if mention.coded:
                if mention.places and mention.places[0].place is not None:
                    used_places.append(mention.places[0])
                firsts = [a.actor for a in mention.actors if a.role == "actor1"]
                if firsts:
                    state.last_actor1 = firsts[0]
    if used_places:
        state.scope = used_places[-1]
    elif not matches:
        local = [p.mention for p in places if p.anchor_of is None and p.mention.place.feature != "country"]
        if local:
            state.scope = local[-1]
    modality = _sentence_modality(sent, times, published, resources)
    for i, quantity in enumerate(quantities):
        own = quantity_owner.get(i)
        place = None
        if own is not None:
            own_places = [places[k].mention for k, o in place_owner.items() if o == own]
            place = own_places[0] if own_places else None
        if place is None:
            local = [p.mention for p in places if p.anchor_of is None]
            place = local[0] if local else _country_place(resources, state)
        out.figures.append(FigureDraft(quantity, number, sent.text, doc[sent.start].idx,
                                       place, _period(sent, times, published),
                                       said.attribution, modality))


def _speaker_pronouns(refs: list, all_refs: list, speaker: set[int], said, doc) -> list:
    """'The People's Defence Force said it had seized the station': a pronoun in what a speaker says
    is the speaker. When the speaker is an actor, the pronoun is that actor; when the speaker is
    no known actor, the pronoun is nobody we can name (not the last actor of the report)."""
    if said.verb is None or not speaker:
        return refs
    speaker_actors = [r for r in all_refs if r.token in speaker]
    out = []
    for ref in refs:
        token = doc[ref.token]
        if ref.end - ref.start == 1 and token.lower_ in _PRONOUN_SUBJECTS and said.verb in {t.i for t in token.ancestors}:
            if speaker_actors:
                out.append(ActorRef(ref.token, ref.start, ref.end, speaker_actors[0].actor, ref.text))
            continue
        out.append(ref)
    return out


def _crowd_first(actor1: list, actor2: list, sub: str, resources, state: ReportState, head, report):
    """ACLED codes the demonstrators as actor1 of a protest or riot and whoever intervened as actor2:
    "police fired tear gas at protesters" is the protesters' event."""
    crowd_inter = 6 if event_type_of(sub) == "Protests" else 5
    everyone = actor1 + actor2
    # civilians named in a protest story ("police arrested 30 people") are the demonstrators themselves
    crowd = [r for r in everyone if r.actor.inter in (5, 6)]
    others = [r for r in everyone if r.actor.inter not in (5, 6, 7)]
    if not crowd:
        country = _country_name(resources, state.focus[0]) if state.focus else None
        kind = "protesters" if crowd_inter == 6 else "rioters"
        generic = resources.actors.generic_actor(kind, country)
        crowd = [ActorRef(head.i, head.i, head.i + 1, generic, head.text)]
    return crowd[:1], others + crowd[1:]


def _in_after_phrase(head) -> bool:
    """'after days of fighting', 'following heavy clashes', 'amid fierce battles'."""
    return any(t.lower_ in ("after", "following", "amid", "amidst") and t.dep_ == "prep"
               for t in (head, *ancestors_within(head, 3)))


def _opens_a_period(head) -> bool:
    """'since the offensive began', 'since the start of the war': the trigger dates a period."""
    for token in (head, *ancestors_within(head, 3)):
        if token.lower_ == "since" and token.dep_ == "prep":
            return True
        if any(child.dep_ == "mark" and child.lower_ == "since" for child in token.children):
            return True
    return False


def _country_place(resources, state: ReportState) -> PlaceMention | None:
    country = resources.gazetteer.country(state.focus[0]) if state.focus else None
    if country is None:
        return None
    return PlaceMention(text=country.name, start=-1, end=-1, place=country, geo_precision=3,
                        why="no place named: the report's country")


def _fold_consequences(matches, anchors, places, doc, anchor_owner, positions) -> dict[int, int]:
    """'airstrikes killed 5': the killing is the strike's result, not an event of its own."""
    target: dict[int, int] = {}
    main = [i for i, m in enumerate(matches) if not m.entry.consequence]
    violent = [i for i in main if matches[i].entry.event_type in VIOLENT]
    if not main:
        return target
    for i, match in enumerate(matches):
        absorber = next((j for j, other in enumerate(matches) if match.entry.id in other.entry.absorbs
                         or (match.entry.id in other.entry.absorbs_after and _in_after_phrase(doc[match.head]))), None)
        if absorber is not None:
            target[i] = absorber  # "gunmen stormed a village and kidnapped 15": one abduction
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
    return target


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


def _role(ref: ActorRef, anchors, match: TriggerMatch) -> str:
    if match.start <= ref.token < match.end or ref.start <= match.head < ref.end:
        return "actor1"  # "warplanes bombed ...": the trigger names the attacker
    doc = anchors[0].doc
    token = doc[ref.token]
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


def _speaker_country(sent, speaker: set[int], said, resources) -> str | None:
    """The country a speaker speaks for: "Russia's defence ministry said its air defences ..."."""
    source = resources.sources.sources.get(said.attribution.source) if said.attribution else None
    if source is not None and source.country:
        return source.country
    doc, gaz = sent.doc, resources.gazetteer
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
    return None


def _actor_refs(sent, resources, state: ReportState, day: date | None, *,
                speaker_country: str | None = None) -> list[ActorRef]:
    doc, registry, gaz = sent.doc, resources.actors, resources.gazetteer
    refs: list[ActorRef] = []
    taken: set[int] = set()
    for span in spans_in(sent, "wm_actors"):
        entries = registry.names.get(span.text)
        if entries:
            actor = registry.resolve(entries, day, state.focus[0] if state.focus else None)
            refs.append(ActorRef(span.root.i, span.start, span.end, actor, span.text))
            taken.update(range(span.start, span.end))
            if actor.inter in (1, 8) and gaz.countries_by_demonym(span[0].text):
                # "Syrian and Russian warplanes": the other demonyms share the noun of the named one
                for code in _demonym_countries(doc, span.start, span.root, gaz):
                    if code != actor.country:
                        refs.append(ActorRef(span.root.i, span.start, span.end,
                                             registry.state_forces(code, _country_name(resources, code), day), span.text))
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
        if head.dep_ in ("compound", "amod") and head.head.i > head.i and registry.generic.get(head.head.text) is None:
            continue  # "rebel bastion", "army tanks": a modifier, not an actor
        if last + 2 < sent.end and doc[last + 1].text == "-" and doc[last + 2].lower_ in MODIFIER_WORDS:
            continue  # "rebel-held towns", "army-controlled road": the towns and the road are no actors
        if any(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_sent_start for t in doc[first:last + 1]) \
                and last + 1 < sent.end and doc[last + 1].text[:1].isupper():
            continue  # "People's Defence Force", "Popular Mobilization Forces": part of a name
        countries = _demonym_countries(doc, first, head, gaz)
        if not countries and spec.kind in ("state", "police") and speaker_country and \
                any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in head.children):
            countries = [speaker_country]  # "Ukraine's military said its troops ...": the speaker's own forces
        if not countries and spec.kind in ("state", "police") and named_states:
            countries = named_states[:1]
        if not countries:
            countries = [state.focus[0]] if state.focus else [None]
        for code in countries:
            actor = _generic_actor(spec.kind, code, resources, state, day)
            refs.append(ActorRef(head.i, first, last + 1, actor, doc[first:last + 1].text))
        taken.update(range(first, last + 1))
    # pronoun subjects stand for the last actor named as doing something ("they have snatched ...")
    for token in sent:
        if token.lower_ in _PRONOUN_SUBJECTS and token.dep_ in ("nsubj", "nsubjpass") and state.last_actor1 is not None \
                and token.head.lemma_.lower() not in ("say", "add", "tell", "report"):
            refs.append(ActorRef(token.i, token.i, token.i + 1, state.last_actor1, token.text))
    return refs


def _demonym_countries(doc, first: int, head, gaz) -> list[str]:
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


def _generic_actor(kind: str, code: str | None, resources, state: ReportState, day: date | None) -> Actor:
    registry = resources.actors
    name = _country_name(resources, code)
    if kind == "state" and code:
        return registry.state_forces(code, name, day)
    if kind == "police" and code:
        return registry.police_forces(code, name, day)
    if kind == "rebels" and state.dominant_rebel is not None:
        return state.dominant_rebel
    return registry.generic_actor(kind, name)


def _in_since_clause(text: str, start: int) -> bool:
    before = text[:start]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind("."))
    return "since" in before[cut + 1:].lower().split() or text[start:start + 5].lower() == "since"


def _time_for(match: TriggerMatch, sent, times, published: date | None, resources) -> TimeSpan:
    if not times:
        return calendar.default_time(published)
    trigger_char = sent.doc[match.head].idx - sent.start_char
    plain = [t for t in times if not _in_since_clause(sent.text, t[0])]
    start, _, span = min(plain or times, key=lambda t: abs(t[0] - trigger_char))
    if plain:
        return span
    # "since launching an offensive last week": ongoing from then until publication
    if span.start is None or published is None:
        return span
    end = published
    middle = span.start + (end - span.start) / 2
    precision = 1 if span.start == end else 2 if (end - span.start).days <= 14 else 3
    return TimeSpan(date=middle, start=span.start, end=end, precision=precision, text=span.text,
                    why=f"ongoing since {span.start.isoformat()} ({span.why})")


def _period(sent, times, published: date | None) -> TimeSpan | None:
    if not times:
        return None
    start, _, span = times[0]
    if _in_since_clause(sent.text, start) and span.start is not None and published is not None:
        return TimeSpan(date=None, start=span.start, end=published, precision=None, text=span.text, why="since")
    return span


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
             time: TimeSpan, actors, quantities, said, own_place: bool) -> Mention:
    doc = sent.doc
    head = doc[match.head]
    modality, why_not = modality_of(head, cues=resources.modality, time=time, published=report.published,
                                    attribution_kind=said.kind)
    place_why = ""
    if place is None:
        anaphor = resources.places.scope_anaphor(sent)
        if state.scope is not None:
            place = state.scope
            place_why = "the place in scope" + (" ('the area')" if anaphor else "")
        else:
            place = _country_place(resources, state)
    # summaries of a period are figures' context, not events
    summary_noun = head.lemma_.lower() in resources.modality.summary_nouns
    if why_not is None and summary_noun and time.start and time.end \
            and (time.end - time.start).days >= resources.modality.summary_min_days and not own_place:
        why_not = f"sums up a period ({time.start.isoformat()} to {time.end.isoformat()}), not one event"
    if why_not is None and summary_noun and _opens_a_period(head):
        why_not = "the campaign a period is counted from ('since the offensive began'), not one event"
    # roles
    actor1 = [ref for ref, role in actors if role == "actor1"]
    actor2 = [ref for ref, role in actors if role == "actor2"]
    for modifier in head.children:
        if modifier.dep_ in ("amod", "compound", "poss") and modifier.text[:1].isupper():
            code = resources.gazetteer.countries_by_demonym(modifier.text)
            if code:
                actor = resources.actors.state_forces(code, _country_name(resources, code), time.date or report.published)
                actor1.append(ActorRef(modifier.i, modifier.i, modifier.i + 1, actor, modifier.text))
    inter1 = actor1[0].actor.inter if actor1 else None
    inter2 = actor2[0].actor.inter if actor2 else None
    if not actor2 and match.entry.refine == "violence":
        # "stormed the village, shooting residents": civilians in the attack's own clause are its targets
        clause = {t.lower_ for a in anchors for t in a.subtree}
        if clause & resources.coding.civilian_words or (not actor1 and {t.lower_ for t in sent} & resources.coding.civilian_words):
            inter2 = 7
    sub, sub_why = refine(match.entry.sub_event_type, match.entry.refine, match=match, sent=sent,
                          cues=resources.coding, actor1_inter=inter1, actor2_inter=inter2)
    if event_type_of(sub) in ("Protests", "Riots"):
        actor1, actor2 = _crowd_first(actor1, actor2, sub, resources, state, head, report)
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
    return Mention(report=report.id, sentence=number, event_type=event_type_of(sub), sub_event_type=sub,
                   trigger=doc[match.start:match.end].text, trigger_start=doc[match.start].idx,
                   trigger_end=doc[match.end - 1].idx + len(doc[match.end - 1]), start=sent.start_char,
                   end=sent.end_char, sentence_text=sent.text, actors=tuple(actor_mentions),
                   places=(place,) if place is not None else (), time=time, quantities=quantities,
                   attribution=said.attribution, modality=modality, why_not_coded=why_not,
                   why=f"trigger '{doc[match.start:match.end].text}' ({match.entry.id}): {sub_why}"
                       + (f"; place: {place_why}" if place_why else ""))
