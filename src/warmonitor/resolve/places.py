"""Places in a sentence: spans found by the domain matcher, read with the words around them, resolved
against the gazetteer with the report's country focus.

  "the city of Hama", "Hama city"                    -> the town, geo_precision 1
  "northern Hama countryside", "outskirts of Daraa",
  "near X", "towards X", "north of X"                 -> near the town, geo_precision 2; a direction
                                                         ("northern", "north of") puts the point
                                                         among the province's towns that way
  "Hama province", "the province of Idlib"            -> the admin-1 area, geo_precision 3
  "Syria", "central Syria"                            -> the country, geo_precision 3
A place right after another ("Al-Lataminah north of Hama", "X in Idlib", "X, Hama") is an anchor
for the one before it, not a location of its own.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import math
from dataclasses import dataclass

from spacy.tokens import Span

from ..records import Place, PlaceMention
from ..nlp import spans_in
from .gazetteer import Gazetteer, is_own_name, name_key

DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                        "northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest",
                        "southeast", "southwest", "north-east", "north-west", "south-east", "south-west", "upper",
                        "lower", "rural", "greater"})
VICINITY_AFTER = frozenset({"countryside", "countrysides", "outskirts", "suburbs", "suburb", "vicinity", "area", "areas",
                            "environs", "surroundings", "plain", "plains", "desert", "front", "frontline", "border",
                            "road", "highway", "axis", "region", "mountains", "mountain", "hills", "hill", "valley",
                            "basin", "field", "fields", "oilfield", "oilfields", "badia", "steppe", "lake", "river",
                            "bank", "banks", "corridor", "pocket", "enclave", "triangle", "heights"})
ORGANISATION_WORDS = frozenset({"brigade", "brigades", "battalion", "battalions", "front", "army", "forces", "movement",
                                "division", "regiment", "corps", "legion", "faction", "factions", "group", "militia",
                                "council", "party", "university", "club", "hospital", "company", "agency", "news",
                                "tv", "radio", "times", "post", "airlines", "province's"})
ADMIN_AFTER = frozenset({"province", "governorate", "oblast", "state", "region", "district", "prefecture", "county",
                         "department", "division", "provinces", "governorates"})
TOWN_AFTER = frozenset({"city", "town", "village", "camp", "neighbourhood", "neighborhood", "district", "airport",
                        "airbase"})
VICINITY_BEFORE = frozenset({"near", "towards", "toward", "around", "outside", "nearby", "approaching", "close",
                             "outskirts", "countryside", "vicinity", "suburbs", "environs", "direction", "edge",
                             "gates", "entrance", "north", "south", "east", "west", "northeast", "northwest",
                             "southeast", "southwest", "periphery", "province", "countrysides", "desert", "badia",
                             "steppe", "mountains", "areas", "parts"})
TOWN_BEFORE = frozenset({"city", "town", "village", "neighbourhood", "neighborhood", "camp"})
ADMIN_BEFORE = frozenset({"province", "governorate", "oblast", "state"})
ANAPHORA = {"area": None, "region": None, "there": None, "city": 1, "town": 1, "village": 1, "province": 3,
            "frontline": None, "front": None}


@dataclass(frozen=True)
class PlaceSpan:
    """A place mention with its token extent (qualifiers included) and anchor status."""

    mention: PlaceMention
    start: int  # token index, qualifiers included
    end: int
    head: int  # token index of the name's last token
    anchor_of: int | None = None  # index (in the sentence's list) of the place this one locates


def _qualify(doc, span) -> tuple[str, int, int, str | None]:
    """Kind of mention ('town', 'near', 'admin', 'bare') and the extent with its qualifier words."""
    start, end = span.start, span.end
    before = [doc[i].lower_ for i in range(max(span.sent.start, start - 3), start)]
    after = doc[end].lower_ if end < span.sent.end else ""
    kind, qualifier = "bare", None
    if after in ADMIN_AFTER and after != "region":
        kind, qualifier, end = "admin", after, end + 1
    elif after == "region" and not (before and before[-1] in DIRECTIONS):
        kind, qualifier, end = "region", after, end + 1
    elif after in TOWN_AFTER:
        kind, qualifier, end = "town", after, end + 1
    elif after in VICINITY_AFTER or (after == "'s" and end + 2 <= span.sent.end and doc[end + 1].lower_ in DIRECTIONS):
        kind, qualifier = "near", after
        end = end + 1
        while end < span.sent.end and (doc[end].lower_ in DIRECTIONS or doc[end].lower_ in VICINITY_AFTER or doc[end].lower_ == "'s"):
            end += 1
    if before and before[-1] in DIRECTIONS:
        kind, qualifier = "near", (before[-1] + " " + (qualifier or "")).strip()
        start -= 1
    # "the city of X", "the countryside of X", "north of X", "near X", "towards the city of X"
    if before and before[-1] == "of" and len(before) >= 2:
        noun = before[-2]
        if noun in TOWN_BEFORE and kind == "bare":
            kind, qualifier = "town", noun
        elif noun in ADMIN_BEFORE and kind == "bare":
            kind, qualifier = "admin", noun
        elif noun in VICINITY_BEFORE:
            kind, qualifier = "near", noun
    window = [doc[i].lower_ for i in range(max(span.sent.start, start - 5), start)
              if not (doc[i].lower_ == "around" and doc[i + 1].like_num)]  # "around 200 protesters in X"
    if "in" in window:
        window = window[len(window) - window[::-1].index("in"):]  # "outside parliament in Tbilisi": in Tbilisi
    if any(w in ("near", "towards", "toward", "around", "outside", "approaching", "outskirts", "vicinity", "nearby")
           for w in window[-4:]):
        kind, qualifier = "near", next(w for w in reversed(window) if w in VICINITY_BEFORE)
    return kind, start, end, qualifier


COMPASS = {"north": 0, "northern": 0, "northeast": 45, "northeastern": 45, "east": 90, "eastern": 90,
           "southeast": 135, "southeastern": 135, "south": 180, "southern": 180, "southwest": 225,
           "southwestern": 225, "west": 270, "western": 270, "northwest": 315, "northwestern": 315}
#: words for the edge of a place rather than its countryside: no need to move the point
NARROW_WORDS = frozenset({"outskirts", "suburbs", "suburb", "vicinity", "edge", "gates", "entrance", "periphery",
                          "outside", "near", "nearby", "neighbourhood", "neighborhood", "around"})
_BEARING_PATH = DIRECTIONS | VICINITY_AFTER | VICINITY_BEFORE | {"the", "of", "'s", "-", "parts", "part"}


def _bearing(doc, span, end: int) -> tuple[float | None, str | None]:
    """The compass direction of the wide area the words around a place name point to ("the northern
    countryside of Aleppo", "north-east of Hama", "Hama's southern countryside", "southern Idlib"):
    (degrees, the direction word). (None, None) when there is none, or when the words name the
    place's edge ("the southern outskirts of Damascus"), which the place's own point already fits."""
    words: list[str] = []
    i = span.start - 1
    while i >= max(span.sent.start, span.start - 6) and doc[i].lower_ in _BEARING_PATH:
        words.insert(0, doc[i].lower_)
        i -= 1
    after = [t.lower_ for t in doc[span.end:end]]
    if any(w in NARROW_WORDS for w in words + after):
        return None, None
    found = [w for w in " ".join(words).replace(" - ", "").split() if w in COMPASS]
    found = found or [w for w in " ".join(after).replace(" - ", "").split() if w in COMPASS]
    if not found:
        return None, None
    return float(COMPASS[found[-1]]), found[-1]


def _unresolved(name: str, anchor: Place) -> Place:
    return Place(id=f"unresolved:{name}", name=name, feature="city", country_code=anchor.country_code,
                 country=anchor.country, iso3=anchor.iso3, latitude=anchor.latitude, longitude=anchor.longitude,
                 admin1=anchor.admin1 if anchor.feature != "admin1" else anchor.name, admin1_code=anchor.admin1_code,
                 admin1_iso=anchor.admin1_iso, admin2=anchor.admin2, population=0)


def _label(place: Place, precision: int, qualifier: str | None) -> str:
    """How an event's location reads: the town itself, or the part of it the text names."""
    if precision != 2 or not qualifier:
        return place.name
    words = qualifier.split()
    nouns = [w for w in words if w in VICINITY_AFTER or w in ("countryside", "outskirts", "suburbs", "vicinity")]
    directions = [w for w in words if w in DIRECTIONS and w not in name_key(place.name).split()]
    if nouns:
        return " ".join([*directions, place.name, nouns[-1]])
    if directions and words[-1] in DIRECTIONS and words[0] in ("north", "south", "east", "west", "northeast",
                                                               "northwest", "southeast", "southwest"):
        return f"{words[0]} of {place.name}"
    if directions:
        return f"{' '.join(directions)} {place.name}"
    if all(w in DIRECTIONS for w in words):
        return place.name  # "the eastern Ghouta": the direction is the name's own
    return f"near {place.name}"


# "X in Y", "X, Y", "X near Y", "the Zamzam displacement camp outside El Fasher": Y locates X
ANCHOR_WORDS = frozenset({"of", "in", ",", "near", "outside", "around"})
ANCHOR_FILLERS = frozenset({"the", "city", "province", "countryside", "camp", "displacement", "refugee", "town",
                            "village", "district", "area", "just"})
#: a place outside the report's countries must be named by its own name and be at least this large (Ankara, Beirut)
FOREIGN_MIN_POPULATION = 500_000
#: ... and, named by another of its names ("Kiev", "Bombay"), a city of a few million at least: "Midan", a
#: quarter of Damascus and of Aleppo, is also a name of Medan (2 million), in Indonesia
FOREIGN_ALIAS_MIN_POPULATION = 2_500_000
ROUTE_WORDS = frozenset({"road", "highway", "motorway", "route", "expressway", "corridor"})
DISTANCE_UNITS = frozenset({"km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres", "meters"})
ROLE_NOUNS = frozenset({"leader", "chief", "commander", "governor", "official", "spokesman", "spokeswoman", "minister",
                        "president", "envoy", "representative", "ambassador", "delegation", "negotiator", "emir",
                        "head", "director", "mayor", "bureau", "office", "branch", "wing", "native"})
#: after a country's name, words that make it the actor, not the place: "US airstrikes", "the US latest
#: raid", "with US support", "Turkey's army"
ACTOR_NOUNS = frozenset({"airstrike", "airstrikes", "strike", "strikes", "raid", "raids", "warplane", "warplanes",
                         "jet", "jets", "aircraft", "planes", "drone", "drones", "helicopters", "troops", "soldiers",
                         "forces", "military", "army", "navy", "marines", "coalition", "bombing", "bombings",
                         "bombardment", "missile", "missiles", "commandos", "advisers", "advisors", "personnel",
                         "support", "backing", "officials", "administration", "diplomats", "intelligence", "air"})
MODIFIER_WORDS = frozenset({"loyal", "backed", "based", "held", "controlled", "led", "affiliated", "allied", "aligned",
                            "linked", "sponsored", "supported", "funded", "made", "born", "bound", "brokered",
                            "mediated"})


def _is_modifier(doc, span) -> bool:
    """'Ankara-loyal factions', 'Britain-based monitor', 'al-Yarmouk Brigade': the name is part of a group's
    name or description; it locates nothing."""
    end = span.end
    k = end
    while k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].is_alpha and k - end < 6:
        if doc[k + 1].lower_ in MODIFIER_WORDS:
            return True  # "Ankara-backed", and "a US-Russian-brokered ceasefire"
        k += 2
    before = [t.lower_ for t in doc[max(0, span.start - 3):span.start]]
    if before[-2:] in (["outlawed", "in"], ["banned", "in"], ["prohibited", "in"]):
        return True  # "Daesh (a terrorist group banned in Russia)": where a ban holds, not where it happened
    if before[-2:] in (["border", "with"], ["frontier", "with"], ["border", "of"]) or before[-3:-1] == ["border", "with"]:
        return True  # "near the border with Burkina Faso": a reference line, not where it happened
    if len(before) >= 2 and before[-1] == "of" and (before[-2] in DISTANCE_UNITS or
                                                    (len(before) >= 3 and before[-3] in DISTANCE_UNITS)):
        return True  # "Afgooye, about 30 kilometres northwest of Mogadishu": a bearing from a landmark
    last = doc[end - 1]
    if last.dep_ in ("compound", "amod") and last.head.i >= end and last.head.lemma_.lower() in ROLE_NOUNS:
        return True  # "Hamas's Gaza leader", "the Idlib governor": a title, not a location
    if not last.dep_ and end < len(doc) and doc[end].lower_ in ROLE_NOUNS:
        return True  # the same without a parse (places_pipeline): the word right after the name
    if end < len(doc) and doc[end].lower_ in ROUTE_WORDS:
        return True  # "the Mogadishu road", "the Aleppo highway": a route named after its end, not the place
    # "Shuhada al-Yarmouk Brigade", "al-Namer forces": part of an organisation's name
    return end < len(doc) and doc[end].lower_ in ORGANISATION_WORDS and doc[end].text[:1].isupper() \
        or end < len(doc) and doc[end].lower_ in ("forces", "brigade", "brigades", "battalion") 


def is_dateline(span) -> bool:
    """'BEIRUT, Dec 4 (Reuters) -': where the story was filed, not where its events happened."""
    doc = span.doc
    if not all(t.is_upper or not t.is_alpha for t in span):
        return False
    following = [t.text for t in doc[span.end:span.end + 8]]
    shouted = any(t.is_alpha and t.is_upper for t in span)  # "MOSCOW", not "Ky." before "(WKYT)"
    if shouted and following[:1] == ["("] and following[2:3] == [")"] and following[1][:1].isupper():
        return True  # "MOSCOW (Sputnik)" run into the line before it, as pasted pages have it
    starts_line = span.start == 0 or "\n" in doc[span.start - 1].text_with_ws or doc[span.start - 1].is_space
    return starts_line and any(w in ("(", "-", "--", "—", "–", ":") for w in following)


#: how many same-named places a name brings into the reading of a report (the most populous)
COHERENCE_CANDIDATES = 12
#: a present reading this large needs one (NOTABLE_TOWN) or two (BIG_CITY) more names behind an alternative
NOTABLE_TOWN = 100_000
BIG_CITY = 1_000_000
#: a country gives way to a town of its name only when this many of the report's names lie near the town
COUNTRY_TO_TOWN = 3
_POINT_FEATURES = ("city", "admin2", "admin1")


def _cell(place: Place) -> tuple[int, int]:
    return (math.floor(place.latitude), math.floor(place.longitude))


def _around(cell: tuple[int, int]):
    return ((cell[0] + i, cell[1] + j) for i in (-1, 0, 1) for j in (-1, 0, 1))


def _named_in_passing(text: str, start: int, end: int, place: Place, qualifier: str, how: str) -> PlaceMention:
    """A place listed by `warmonitor places` that places no event, at the precision of what it names
    (1 a town, 2 a county, 3 a province or country)."""
    precision = 1 if place.feature == "city" else 2 if place.feature == "admin2" else 3
    return PlaceMention(text=text, start=start, end=end, place=place, geo_precision=precision, qualifier=qualifier,
                        label=place.name, why=f"{place.feature} '{place.name}' ({place.country}), named {how}: "
                                              f"it places no event")


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        # resolution is a pure function of its arguments and the gazetteer: remember recent answers
        self._resolve = functools.lru_cache(maxsize=65536)(self._resolve_uncached)
        self._top = functools.lru_cache(maxsize=65536)(self._top_uncached)

    def document_admin1(self, doc, focus: tuple[str, ...]) -> str | None:
        """The province a report names most (as a province: "Kentucky", "Ky.", "Idlib province"), the
        tie-breaker for same-named towns in sentences that name none ("Edmonton" in a Kentucky story)."""
        named: dict[str, int] = {}
        for span in doc.spans.get("wm_places", []):
            top = self._top(span.text, focus)
            if top is None or (focus and top.country_code not in focus):
                continue
            # a county names its state too ("Rapides Parish" -> Louisiana)
            province = top.name if top.feature == "admin1" else top.admin1 if top.feature == "admin2" else None
            if province:
                named[province] = named.get(province, 0) + 1
        return max(named, key=named.get) if named else None

    def document_places(self, doc, focus: tuple[str, ...]) -> dict[int, list[PlaceSpan]]:
        """Every sentence's places (keyed by the sentence's first token), resolved with the report's
        province as tie-breaker and then read together (`cohere`): what `warmonitor places` lists and
        where `extract` places events."""
        province = self.document_admin1(doc, focus)
        by_sentence = {sent.start: self.sentence_places(sent, focus=focus, hint_admin1=province) for sent in doc.sents}
        spans = [p for places in by_sentence.values() for p in places]
        cohered = iter(self.cohere([p.mention for p in spans]))
        return {start: [dataclasses.replace(p, mention=next(cohered)) for p in places]
                for start, places in by_sentence.items()}

    def named_in_passing(self, doc, focus: tuple[str, ...]) -> list[PlaceMention]:
        """Places the text names that locate no event: a dateline ("BEIRUT, Dec 4 (Reuters) -"), part of
        a group's name or a title ("Ankara-backed factions", "the Idlib governor", "U.S.-led"), a route
        or a reference line ("the Aleppo highway", "the border with Turkey"). `warmonitor places`
        lists them (qualifier "dateline" or "in passing") at the name's first reading."""
        out = []
        in_actors = {t for actor in doc.spans.get("wm_actors", []) for t in range(actor.start, actor.end)}
        for token in doc:
            # "Ankara-backed factions", "the U.S.-led campaign": a place in a description (split by the
            # tokenizer inside an actor's name, glued into one token elsewhere)
            name, _, word = token.text.rpartition("-")
            if name and word.lower() in MODIFIER_WORDS:
                start, end = token.idx, token.idx + len(name)
            elif (token.i in in_actors and token.i + 2 < len(doc) and doc[token.i + 1].text == "-"
                  and doc[token.i + 2].lower_ in MODIFIER_WORDS):
                name, start, end = token.text, token.idx, token.idx + len(token)
            else:
                continue
            place = self._top(name, focus) if name[:1].isupper() and self.gazetteer.is_exact(name) else None
            if place is not None:
                out.append(_named_in_passing(name, start, end, place, "in passing", f"in passing in '{token.text}'"))
        for span in doc.spans.get("wm_places", []):
            dateline = is_dateline(span)
            if not dateline and not _is_modifier(doc, span) and not self.names_an_actor(doc, span, focus):
                continue
            place = self._top(span.text, focus)
            if place is not None:
                out.append(_named_in_passing(span.text, span.start_char, span.end_char, place,
                                             "dateline" if dateline else "in passing",
                                             "in the dateline" if dateline else "in passing"))
        return out

    def names_an_actor(self, doc, span, focus: tuple[str, ...]) -> bool:
        """A country named as who acted, not where: before a word for its forces or its backing ("US
        airstrikes", "the US latest raid", "with US support", "Russia's warplanes"), as the agent after
        "by" ("backed by the United States", "a truce put in place by Russia and the United States"),
        or as the subject of a clause ("the United States launched 59 missiles at the airfield")."""
        place = self._top(span.text, focus)
        if place is None or place.feature != "country":
            return False
        before = [t.lower_ for t in doc[max(0, span.start - 2):span.start]]
        following = doc[span.end] if span.end < len(doc) else None
        ends_phrase = following is None or not following.is_alpha or not (
            following.text[:1].isupper() or following.lower_ in ORGANISATION_WORDS | ROLE_NOUNS)
        if (before[-1:] == ["by"] or before == ["by", "the"]) and ends_phrase:
            return True  # but not "taken into custody by Lebanon Police": a town's police
        head = doc[span.end - 1]
        while head.dep_ == "conj" and head.head.i < head.i:
            head = head.head  # "by Russia and the United States": the first of the pair says
        if head.dep_ == "nsubj" or (head.dep_ == "pobj" and head.head.dep_ == "agent"):
            return True
        after = [t.lower_ for t in doc[span.end:span.end + 3]]
        if after[:1] in (["'s"], ["’s"], ["'"]):
            after = after[1:]
        return bool(after) and (after[0] in ACTOR_NOUNS or (len(after) > 1 and after[1] in ACTOR_NOUNS
                                                            and doc[span.end].pos_ in ("ADJ", "")))

    def sentence_places(self, sent, *, focus: tuple[str, ...], hint_admin1: str | None = None) -> list[PlaceSpan]:
        """The sentence's places, resolved. A place that locates the one before it ("Suran near Azaz in
        Aleppo province", "Tripoli in northern Lebanon") is marked as its anchor and narrows its reading.
        A province the sentence names decides between same-named towns first, then hint_admin1 (the
        report's province), then the province of the sentence's other places."""
        doc = sent.doc
        spans = [s for s in spans_in(sent, "wm_places")
                 if not _is_modifier(doc, s) and not is_dateline(s) and not self.names_an_actor(doc, s, focus)]
        quick = [p for p in self._quick(spans, focus) if p is not None]
        provinces = [p.name for p in quick if p.feature == "admin1"]
        admin_names = [p.admin1 for p in quick if p.admin1]
        hint = (provinces[0] if provinces else None) or hint_admin1 or (admin_names[0] if admin_names else None)
        drafts = []  # (span, kind, start, end, qualifier, place, why); place None: not in the gazetteer
        for span in sorted(spans + self._unknown_names(sent, spans), key=lambda s: s.start):
            kind, start, end, qualifier = _qualify(doc, span)
            place, why = self._resolve(span.text, kind, focus, hint) if span.label_ != "UNKNOWN" else (None, "")
            if place is not None or span.label_ == "UNKNOWN":
                drafts.append([span, kind, start, end, qualifier, place, why])
        anchors: list[int | None] = [None] * len(drafts)
        for k in range(1, len(drafts)):
            gap = [t.lower_ for t in doc[drafts[k - 1][3]:drafts[k][2]]]
            while gap and gap[-1] in ("the", "a"):
                gap.pop()  # "in the southern Zaporizhzhia region"
            if (len(gap) <= 4 and gap and gap[-1] in ANCHOR_WORDS
                    and all(w in DIRECTIONS | ANCHOR_WORDS | ANCHOR_FILLERS for w in gap)):
                anchors[k] = k - 1
        for k, anchor_of in enumerate(anchors):
            if anchor_of is None or drafts[k][5] is None:
                continue
            located, anchor = drafts[anchor_of], drafts[k][5]
            if located[5] is None:
                # "the village of Starytsia near Vovchansk": a place the gazetteer lacks, put at its anchor
                located[5] = _unresolved(located[0].text, anchor)
                located[1] = "unresolved"
                located[6] = f"'{located[0].text}' is not in the gazetteer: placed at '{anchor.name}', named beside it"
                continue
            if anchor.feature == "country":
                place, why = self._resolve(located[0].text, located[1], (anchor.country_code,), None)
            else:
                province = anchor.name if anchor.feature == "admin1" else anchor.admin1  # "Madison County, Indiana"
                place, why = self._resolve(located[0].text, located[1], (anchor.country_code, *focus), province)
            if place is not None and place.id != located[5].id:
                located[5], located[6] = place, f"{why}; narrowed by '{drafts[k][0].text}'"
        for k, draft in enumerate(drafts):
            if draft[5] is None:
                known = [d for d in drafts if d[5] is not None and d[1] != "unresolved" and d[5].feature != "country"]
                if known:
                    # "Shasha, a village on the road linking Goma to ...": near the closest town the sentence names
                    nearest = min(known, key=lambda d: abs(d[0].start - draft[0].start))
                    draft[5], draft[1] = _unresolved(draft[0].text, nearest[5]), "unresolved"
                    draft[6] = f"'{draft[0].text}' is not in the gazetteer: placed at '{nearest[5].name}', named in the same sentence"
        found: list[PlaceSpan] = []
        for (span, kind, start, end, qualifier, place, why), anchor in zip(drafts, anchors):
            if place is None:
                continue
            if kind == "unresolved":
                mention = PlaceMention(text=span.text, start=span.start_char, end=span.end_char, place=place,
                                       geo_precision=2, qualifier=None, label=place.name, why=why)
                found.append(PlaceSpan(mention, span.start, span.end, span.end - 1, anchor))
                continue
            precision = {"town": 1, "near": 2, "admin": 3, "bare": 1, "region": 2}[kind]
            if place.feature in ("admin1", "country"):
                precision = 3 if kind != "near" or place.feature == "country" else 2
            elif place.feature == "admin2":
                precision = 2  # a county or department: the area, not a town in it
            if precision == 2 and place.feature not in ("country", "admin2"):
                place, why, qualifier = self._towards(doc, span, end, place, why, qualifier)
            mention = PlaceMention(text=doc[start:end].text, start=doc[start].idx,
                                   end=doc[end - 1].idx + len(doc[end - 1]), place=place,
                                   geo_precision=precision, qualifier=qualifier,
                                   label=_label(place, precision, qualifier), why=why)
            found.append(PlaceSpan(mention, start, end, span.end - 1, anchor))
        return found

    def cohere(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """The report's places read together. A name that may name several places by their own name
        counts, for each, how many of the report's other names lie in the same or a neighbouring
        one-degree cell (about 100-200 km) by their present reading, or by any province or county they
        may name. A reading that fewer names support than an alternative gives way to it: "Atlanta" in
        a story naming Georgia is the Georgian Atlanta even when the story names Texas too; "London" in
        a story about Corbin and Laurel County is London, Kentucky. The alternative needs one name more
        than the present reading has, one more again if that reading is a town of NOTABLE_TOWN or more and
        again if it is a BIG_CITY; a country gives way to a province of its name (Georgia, the US state) as to
        a town, and to a town of its name only when COUNTRY_TO_TOWN names back it ("Palestine" in a story
        about Tyler, Texas). Two rounds, so that one name's new reading can support another's.
        Directions, qualified areas and places the text narrowed itself stay as they are."""
        gaz = self.gazetteer
        fixed = [m.place is None or bool(m.qualifier) or "narrowed by" in m.why
                 or (m.geo_precision == 2 and m.place.feature != "admin2") for m in mentions]
        current: dict[str, Place] = {}
        others: dict[str, list[Place]] = {}  # name key -> the other places it names by their own name
        for m, keep in zip(mentions, fixed):
            if m.place is None:
                continue
            key = name_key(m.text)
            current.setdefault(key, m.place)
            if not keep and key not in others:
                own = [c for c in gaz.candidates(m.text) if c.feature in _POINT_FEATURES and c.id != m.place.id
                       and is_own_name(m.text, c)]
                others[key] = sorted(own, key=lambda c: -c.population)[:COHERENCE_CANDIDATES]
        if len(current) < 2 or not any(others.values()):
            return list(mentions)
        areas: dict[tuple[int, int], set[str]] = {}  # provinces and counties a name may name, by cell
        for key, places in others.items():
            for c in places:
                if c.feature != "city":
                    areas.setdefault(_cell(c), set()).add(key)
        switched: dict[str, tuple[Place, str]] = {}
        for _ in range(2):
            present: dict[tuple[int, int], set[str]] = {}
            for key, place in current.items():
                if place.feature != "country":
                    present.setdefault(_cell(place), set()).add(key)

            def support(key: str, place: Place) -> set[str]:
                return {n for cell in _around(_cell(place)) for n in present.get(cell, set()) | areas.get(cell, set())
                        if n != key}

            for key, alternatives in others.items():
                if not alternatives:
                    continue
                now = current[key]
                backing = len(support(key, now)) if now.feature != "country" else 0
                need = backing + 1 + (now.population >= NOTABLE_TOWN) + (now.population >= BIG_CITY)
                best = max(((len(support(key, c)), c.population, c) for c in alternatives), key=lambda t: t[:2])
                if now.feature == "country" and best[2].feature != "admin1":
                    need = max(need, COUNTRY_TO_TOWN)  # "Palestine" among Tyler and Anderson County: the Texan town
                if best[0] >= need:
                    c = best[2]
                    backers = ", ".join(repr(b) for b in sorted(support(key, c))[:4])
                    switched[key] = (c, f"{c.feature} '{c.name}' ({c.admin1 or c.country}, {c.country}): near what "
                                        f"the report's other names {backers} name; '{now.name}' ({now.country}) has "
                                        f"{backing} such neighbour(s)")
                    current[key] = c
                    others[key] = [now, *(a for a in alternatives if a.id != c.id)] if now.feature != "country" else \
                        [a for a in alternatives if a.id != c.id]
        out = list(mentions)
        for k, (m, keep) in enumerate(zip(mentions, fixed)):
            key = name_key(m.text)
            if not keep and key in switched:
                c, why = switched[key]
                out[k] = dataclasses.replace(m, place=c, label=c.name, why=why)
        return out

    def _towards(self, doc, span, end: int, place: Place, why: str, qualifier: str | None):
        """'the northern countryside of Aleppo': moved from Aleppo to the middle of the towns north of
        it in its province. Returns the place, the reason and the qualifier (with the direction)."""
        bearing, direction = _bearing(doc, span, end)
        if bearing is None or direction in name_key(place.name).split():
            return place, why, qualifier  # no direction, or one that is part of the name ("Eastern Ghouta")
        centre = self.gazetteer.sector_centre(place, bearing)
        if qualifier is None or direction not in qualifier.split():
            qualifier = f"{direction} {qualifier or ''}".strip()
        if centre is None:
            return place, why, qualifier
        side = direction.removesuffix("ern")  # "northern" -> "north"
        moved = dataclasses.replace(place, id=f"{place.id}#{side}", latitude=round(centre[0], 5),
                                    longitude=round(centre[1], 5))
        return moved, f"{why}; placed among the towns {side} of it in {place.admin1 or place.name}", qualifier

    @staticmethod
    def _unknown_names(sent, known) -> list:
        """Names the statistical NER calls places but the gazetteer lacks, introduced as places
        ("the village of Starytsia", "Wad al-Noura town"): kept only when another place locates them."""
        doc = sent.doc
        taken = {t for s in known for t in range(s.start, s.end)}
        found = []
        index = doc.user_data.get("wm_place_ents")
        if index is None:
            places = [e for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
            index = doc.user_data["wm_place_ents"] = ([e.start for e in places], places)
        starts, ents = index
        lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
        for ent in ents[lo:hi]:
            if ent.end > sent.end:
                continue
            if any(t in taken for t in range(ent.start, ent.end)) or is_dateline(ent):
                continue
            before = doc[max(sent.start, ent.start - 2):ent.start]
            after = [t.lower_ for t in doc[ent.end:min(sent.end, ent.end + 3)]]
            # "the village of X", "X town", "X, a village on the road to Y"
            if any(t.lower_ in TOWN_BEFORE for t in before) or (after and after[0] in TOWN_AFTER) or \
                    (len(after) >= 3 and after[0] == "," and after[1] in ("a", "an", "the") and after[2] in TOWN_BEFORE):
                found.append(Span(doc, ent.start, ent.end, label="UNKNOWN"))
        return found

    def _quick(self, spans, focus):
        for span in spans:
            yield self._top(span.text, focus)

    def _top_uncached(self, text: str, focus: tuple[str, ...]) -> Place | None:
        ranked = self.gazetteer.rank(self.gazetteer.candidates(text), country_codes=focus, text=text)
        return ranked[0] if ranked else None

    def _resolve_uncached(self, text: str, kind: str, focus: tuple[str, ...], hint_admin1: str | None) -> tuple[Place | None, str]:
        gaz = self.gazetteer
        if kind == "admin":
            for code in focus:
                area = gaz.admin1(code, text)
                if area is not None:
                    return area, f"'{text}' named as a province of {area.country}"
        candidates = gaz.candidates(text)
        if kind == "region":
            # "the Kharkiv region", "the Belgorod region": a province when one has that name
            areas = [p for p in gaz.rank(candidates, country_codes=focus, text=text) if p.feature == "admin1"]
            if areas:
                return areas[0], f"'{text} region' read as the province of {areas[0].country}"
            kind = "near"
        if focus and not any(p.country_code in focus for p in candidates):
            # "Ras al-Ayn" names a town in Israel exactly and one in Syria by its variant spelling
            candidates = gaz.candidates(text, folded=True)
        if not candidates:
            return None, "not in the gazetteer"
        ranked = gaz.rank(candidates, country_codes=focus, admin1_hint=hint_admin1, text=text)
        country = next((p for p in candidates if p.feature == "country" and is_own_name(text, p)), None)
        if country is not None and ranked[0].feature == "city" and ranked[0].population < NOTABLE_TOWN:
            # "Russia" is the country, not Russia, Ohio, however American the report: a small town
            # of a country's name needs the report's other places behind it (`cohere`, COUNTRY_TO_TOWN)
            ranked = [country, *(p for p in ranked if p is not country)]
        if kind in ("town", "near"):
            towns = [p for p in ranked if p.feature == "city"]
            if towns and (not focus or towns[0].country_code in focus):
                best = towns[0]
                return best, f"town '{best.name}' ({best.admin1}, {best.country}), population {best.population}"
        best = ranked[0]
        if best.feature == "admin1" and kind != "admin":
            # "Deir Ezzor city", "in Idleb": the province's spelling of its capital town
            capital = [p for p in gaz.candidates(best.name) if p.feature == "city" and p.country_code == best.country_code
                       and p.admin1_code == best.admin1_code and is_own_name(best.name, p)]
            if capital:
                best = capital[0]
                return best, f"town '{best.name}', the capital of the province the text spells '{text}'"
        if focus and best.country_code not in focus and best.feature != "country":
            # outside the report's countries only a well-known place, named exactly, will do
            alias = best.feature == "city" and name_key(text) != name_key(best.name)
            if (best.population < FOREIGN_MIN_POPULATION or not is_own_name(text, best)
                    or (alias and best.population < FOREIGN_ALIAS_MIN_POPULATION)):
                return None, f"'{text}' is only known outside the report's countries"
        return best, f"{best.feature} '{best.name}' ({best.country}); ranked first of {len(candidates)}"

    def scope_anaphor(self, sent) -> tuple[int, int | None] | None:
        """'the area', 'there', 'the city': the token index and the precision it asks for."""
        for token in sent:
            word = token.lower_
            if word == "there" and token.dep_ == "advmod":
                return token.i, None
            if word in ANAPHORA and token.i > sent.start and token.nbor(-1).lower_ in ("the", "that", "this"):
                if token.i + 1 < sent.end and token.nbor(1).lower_ == "of":
                    continue
                return token.i, ANAPHORA[word]
        return None
