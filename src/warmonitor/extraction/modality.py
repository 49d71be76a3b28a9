"""Modality: is a mention news (asserted, reported, claimed) or not (negated, denied, hypothetical,
intended, historical)? Cue words are data (data/modality.toml); the parse tells their scope.

Rules, in order: a negation on the trigger or its verb; a denying verb above it; a conditional or
modal verb above it ("a takeover would pose a threat"); a verb of intention above it ("we want to
advance"); a background phrase in the sentence or a date long before publication.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..refdata import data_toml
from ..records import TimeSpan
from .roles import ancestors_within


@dataclass(frozen=True)
class ModalityCues:
    modal_auxiliaries: frozenset[str]
    hypothetical_markers: frozenset[str]
    hypothetical_nouns: frozenset[str]
    hypothetical_verbs: frozenset[str]
    intended_verbs: frozenset[str]
    intended_nouns: frozenset[str]
    future_auxiliaries: frozenset[str]
    negations: frozenset[str]
    denied_verbs: frozenset[str]
    claimed_verbs: frozenset[str]
    historical_phrases: tuple[str, ...]
    historical_days: int
    summary_nouns: frozenset[str]
    summary_min_days: int

    @classmethod
    def load(cls) -> "ModalityCues":
        raw = data_toml("modality.toml")
        h, i = raw["hypothetical"], raw["intended"]
        return cls(frozenset(h["modal_auxiliaries"]), frozenset(h["markers"]), frozenset(h["nouns"]),
                   frozenset(h["verbs"]), frozenset(i["verbs"]), frozenset(i["nouns"]),
                   frozenset(i["future_auxiliaries"]), frozenset(raw["negated"]["words"]),
                   frozenset(raw["denied"]["verbs"]), frozenset(raw["claimed"]["verbs"]),
                   tuple(raw["historical"]["phrases"]), int(raw["historical"]["days_before_publication"]),
                   frozenset(raw["summary"]["nouns"]), int(raw["summary"]["min_span_days"]))


#: words that open an introductory clause ("After his father died years ago, ...")
INTRO_SUBORDINATORS = frozenset({"after", "following", "before", "since", "when", "as", "while", "years", "months",
                                 "weeks", "days", "despite", "although", "though"})


def _in_other_intro_clause(head, at: int) -> bool:
    """Whether the sentence offset `at` (in " " + text) lies in an introductory clause set off by a
    comma that does not hold the trigger: "After the death of his father years ago, battles kill X"."""
    text = head.sent.text
    comma = text.find(",")
    first = text.split(None, 1)[0].lower() if text.strip() else ""
    trigger_at = head.idx - head.sent.start_char
    return 0 <= comma < trigger_at and at - 1 < comma and first in INTRO_SUBORDINATORS


def _dated_lead(head, time: TimeSpan) -> bool:
    """'On 12 March 2024, gunmen attacked ...' in a report's first sentence: an event note or a dated
    record states its own day (day, month and year), however long before publication it was filed.
    A year alone ("shelled the town in 2012") stays background."""
    if time.precision != 1 or not time.text or re.search(r"\b(19|20)\d\d\b", time.text) is None:
        return False
    lead = head.doc[0].sent
    return head.sent.start == lead.start or time.text in lead.text  # a later sentence of the same note


def _governors(head, path) -> list:
    """The words above a trigger that govern it: the walk up stops at a coordination ("ordered the drivers
    out and set the vehicles on fire": the order does not govern the burning, which happened) and at a
    subject ("counterattacks aim to prevent ...": the counterattacks happened)."""
    out, child = [], head
    for token in path[1:]:
        if child.dep_ in ("conj", "nsubj", "nsubjpass"):
            break  # nor does an aim govern what it is said of ("counterattacks by ISIS aim to ...")
        out.append(token)
        child = token
    return out


def modality_of(head, *, cues: ModalityCues, time: TimeSpan | None, published: date | None,
                attribution_kind: str) -> tuple[str, str | None]:
    """(modality, why it is not news or None) for the trigger whose head token is `head`."""
    path = [head, *ancestors_within(head, 8)]
    for token in path[:3]:
        for child in token.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return "negated", f"negated by '{child.text}'"
    for token in path[1:]:
        lemma = token.lemma_.lower()
        if lemma in cues.denied_verbs:
            return "denied", f"denied ('{token.text}')"
    for token in path:
        for child in token.children:
            word = child.lower_
            if child.dep_ == "aux" and word in cues.modal_auxiliaries:
                return "hypothetical", f"conditional ('{child.text} {token.text}')"
            if child.dep_ == "mark" and word in cues.hypothetical_markers:
                return "hypothetical", f"condition ('{child.text} ...')"
            if child.dep_ == "aux" and word in cues.future_auxiliaries:
                return "intended", f"future ('{child.text} {token.text}')"
        if token.dep_ == "ROOT":
            break
    for token in path[:3]:
        if token.dep_ == "xcomp" and token.head.lemma_.lower() == "be" and \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return "intended", f"to be done ('{token.head.text} to {token.text}')"
    governors = _governors(head, path)
    for token in path[1:]:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in cues.intended_verbs and token in governors:
            return "intended", f"intention ('{token.text}')"
        if token.pos_ == "NOUN" and lemma in cues.intended_nouns | cues.hypothetical_nouns and token.i < head.i:
            kind = "hypothetical" if lemma in cues.hypothetical_nouns else "intended"
            return kind, f"{kind} ('{token.text} ...')"
        if token.dep_ == "ROOT":
            break
    sentence = " " + head.sent.text.lower() + " "
    for phrase in cues.historical_phrases:
        at = sentence.find(f" {phrase}")
        if at >= 0 and not _in_other_intro_clause(head, at):
            return "historical", f"background ('{phrase}')"
    if time is not None and published is not None and time.end is not None \
            and time.end < published - timedelta(days=cues.historical_days) and not _dated_lead(head, time):
        return "historical", f"dated {time.end.isoformat()}, long before publication"
    if attribution_kind == "claimed":
        return "claimed", None
    if attribution_kind == "denied":
        return "denied", "denied by the source"
    return ("reported" if attribution_kind == "reported" else "asserted"), None
