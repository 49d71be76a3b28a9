"""Event triggers: the lexicon (data/triggers.jsonl) compiled once, matched against parsed tokens.

A lexicon entry names one to three words; each word is a set of alternatives matched against a
token's lower-cased lemma or its lower-cased form. Optional keys:
  pos          the part of speech the first word must have ("VERB", "NOUN")
  gap          how many tokens may stand between the words (default 0)
  needs_near   at least one of these words within `window` tokens, else no match
  not_near     none of these words within `window` tokens, else no match
  not_in_sentence  none of these words anywhere in the sentence ("raids" with "police" are no air raids)
  not_before   the match does not count when the next word is one of these ("riot police", "riot gear")
  refine       the rule family that may change the sub-event type from context (see coding.py)
  weak         a weak trigger ("casualties", "explosion") only counts where no strong one does
  consequence  a trigger that reports a result ("killed"), folded into the sentence's other trigger
  needs_object "place": a territorial verb ("take", "enter") counts only with a place or territory as object
  absorbs      ids of triggers that, in the same sentence, are this event's means ("stormed ... and kidnapped")
  absorbs_after  the same, only for triggers in an "after/following/amid ..." phrase ("took X after days of fighting")
  priority     ties between overlapping matches go to the higher priority, then the longer match
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ReferenceDataError
from ..refdata import jsonl_records, shipped_or_file

EVENT_TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
EVENT_TYPE_OF = {sub: event for event, subs in EVENT_TAXONOMY.items() for sub in subs}
WINDOW = 5


def stems(word: str) -> tuple[str, ...]:
    """Crude English stems for words the lemmatizer gets wrong ("raped" -> "rap", "installed" -> "instal"):
    the word without its inflection, with and without a final e ("raped" -> "rap", "rape")."""
    for suffix, keep in (("ied", "y"), ("ies", "y"), ("ed", ""), ("es", ""), ("s", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)] + keep
            return (base,) if keep else (base, base + "e")
    return ()


def token_keys(token) -> tuple[str, ...]:
    """The forms a token matches lexicon words by: its lemma, its lower-cased text and crude stems
    (always in that order: the first two are the word itself, see `_context_ok`)."""
    lower = token.lower_
    crude = stems(lower)
    if token.pos_ == "NOUN" and lower.endswith("s") and not lower.endswith(("es", "ss")):
        crude = crude[:1]  # a plural noun is no verb missing its e: "units" is no "unite"
    return (token.lemma_.lower(), lower, *(s for s in dict.fromkeys(crude) if s not in (lower, token.lemma_.lower())))


@dataclass(frozen=True, kw_only=True)
class TriggerEntry:
    id: str
    words: tuple[frozenset[str], ...]
    event_type: str
    sub_event_type: str
    pos: str | None = None
    gap: int = 0
    needs_near: frozenset[str] = frozenset()
    not_near: frozenset[str] = frozenset()
    not_in_sentence: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    refine: str | None = None
    weak: bool = False
    consequence: bool = False  # "killed", "casualties": folded into another trigger of the sentence when there is one
    needs_object: str | None = None  # "place": a territorial verb counts only with a place or territory as object
    priority: int = 1
    window: int = WINDOW
    absorbs: frozenset[str] = frozenset()  # ids of triggers in the same sentence that are this event's means
    absorbs_after: frozenset[str] = frozenset()  # the same, when they stand in "after/following ..." phrases


@dataclass(frozen=True, kw_only=True)
class TriggerMatch:
    entry: TriggerEntry
    start: int  # token index in the doc
    end: int
    head: int  # the token that carries the event (first word for verbs, last word for noun phrases)


def _entry(raw: dict, where: str) -> TriggerEntry:
    try:
        sub = raw["sub_event_type"]
        if EVENT_TYPE_OF.get(sub) != raw["event_type"]:
            raise ReferenceDataError(f"{where}: '{raw['event_type']}' / '{sub}' is not in the ACLED taxonomy")
        return TriggerEntry(
            id=raw["id"], words=tuple(frozenset(w.lower().split("|")) for w in raw["words"]),
            event_type=raw["event_type"], sub_event_type=sub, pos=raw.get("pos"), gap=int(raw.get("gap", 0)),
            needs_near=frozenset(w.lower() for w in raw.get("needs_near", ())),
            not_near=frozenset(w.lower() for w in raw.get("not_near", ())),
            not_in_sentence=frozenset(w.lower() for w in raw.get("not_in_sentence", ())),
            not_before=frozenset(w.lower() for w in raw.get("not_before", ())),
            refine=raw.get("refine"), weak=bool(raw.get("weak", False)),
            consequence=bool(raw.get("consequence", False)), needs_object=raw.get("needs_object"),
            priority=int(raw.get("priority", 1)), window=int(raw.get("window", WINDOW)),
            absorbs=frozenset(raw.get("absorbs", ())), absorbs_after=frozenset(raw.get("absorbs_after", ())))
    except KeyError as exc:
        raise ReferenceDataError(f"{where}: missing key {exc}") from exc


class TriggerLexicon:
    """The compiled lexicon: entries indexed by the alternatives of their first word."""

    def __init__(self, entries: list[TriggerEntry]):
        self.entries = entries
        self._by_first: dict[str, list[TriggerEntry]] = {}
        for entry in entries:
            for word in entry.words[0]:
                self._by_first.setdefault(word, []).append(entry)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "TriggerLexicon":
        text, name = shipped_or_file("triggers.jsonl", path)
        return cls([_entry(raw, where) for where, raw in jsonl_records(text, name)])

    def match(self, tokens, start: int, end: int, keys: list[tuple[str, ...]]) -> list[TriggerMatch]:
        """All trigger matches in tokens[start:end]; keys[i] = the forms of token start+i (see `token_keys`).
        Overlapping matches are resolved: higher priority, then longer, then earlier wins."""
        found: list[TriggerMatch] = []
        for i in range(start, end):
            candidates = list(dict.fromkeys(e for form in keys[i - start] for e in self._by_first.get(form, ())))
            for entry in candidates:
                if entry.pos and tokens[i].pos_ != entry.pos and not (entry.pos == "NOUN" and tokens[i].pos_ == "PROPN"):
                    continue
                if tokens[i].ent_type_ == "DATE" and tokens[i].text[:1].isupper():
                    continue  # "On 7 March 2024": the month, not a march
                if entry.pos == "VERB" and i > 0 and (tokens[i - 1].text == "-" or tokens[i].dep_ == "amod"):
                    continue  # "the Russian-occupied city", "the captured town": a description, not an event
                last = self._match_rest(entry, i, start, end, keys)
                if last is None or not self._context_ok(entry, i, last, start, end, keys):
                    continue
                head = i if tokens[i].pos_ in ("VERB", "AUX") or len(entry.words) == 1 else last
                found.append(TriggerMatch(entry=entry, start=i, end=last + 1, head=head))
        return self._resolve_overlaps(found)

    @staticmethod
    def _match_rest(entry: TriggerEntry, i: int, start: int, end: int, keys) -> int | None:
        position = i
        for words in entry.words[1:]:
            for step in range(1, entry.gap + 2):
                j = position + step
                if j >= end:
                    return None
                if any(form in words for form in keys[j - start]):
                    position = j
                    break
            else:
                return None
        return position

    @staticmethod
    def _context_ok(entry: TriggerEntry, first: int, last: int, start: int, end: int, keys) -> bool:
        if entry.not_before and last + 1 < end and entry.not_before & set(keys[last + 1 - start]):
            return False
        if entry.not_in_sentence and any(w in entry.not_in_sentence for pair in keys for w in pair):
            return False
        if not (entry.needs_near or entry.not_near):
            return True
        lo, hi = max(start, first - entry.window), min(end, last + entry.window + 1)
        near = {w for j in range(lo, hi) if not first <= j <= last for w in keys[j - start]}
        # a wide window looks further for what is needed; what rules a match out stays close by
        close = min(entry.window, WINDOW)
        lo, hi = max(start, first - close), min(end, last + close + 1)
        # the words a gapped match skips count too ("set fire to a police post" is no post set up)
        # a word rules a match out by its lemma or form, never by a crude stem ("Buenos Aires" is no "air")
        if entry.not_near & {w for j in range(lo, hi) if j not in (first, last) for w in keys[j - start][:2]}:
            return False
        return not entry.needs_near or bool(entry.needs_near & near)

    @staticmethod
    def _resolve_overlaps(found: list[TriggerMatch]) -> list[TriggerMatch]:
        ranked = sorted(found, key=lambda m: (-m.entry.priority, -(m.end - m.start), m.start))
        kept: list[TriggerMatch] = []
        for match in ranked:
            if all(match.end <= k.start or match.start >= k.end for k in kept):
                kept.append(match)
        return sorted(kept, key=lambda m: m.start)
