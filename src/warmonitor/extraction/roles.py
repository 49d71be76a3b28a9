"""Which trigger a word belongs to, and in what role: the dependency parse read for event structure.

A trigger's *anchors* are its head token and, for a noun trigger, the verb it hangs from when that
verb is not a reporting verb or another trigger ("clashes erupted", "carried out dozens of strikes",
"fought clashes"). A token belongs to the first trigger anchor found walking up its heads; failing
that, to the nearest trigger in the sentence. Its role is read from the relation under the anchor.
"""
from __future__ import annotations

REPORTING_LEMMAS = frozenset({"say", "report", "add", "tell", "claim", "announce", "state", "confirm", "note",
                              "allege", "accuse", "deny", "write", "post", "publish", "document", "record", "warn",
                              "estimate", "see", "witness", "quote", "cite", "describe", "explain", "insist",
                              "according", "show", "indicate"})
_CLIMB_DEPS = frozenset({"pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "compound", "conj", "appos", "npadvmod"})
_ACTOR1_DEPS = frozenset({"nsubj", "csubj", "agent", "poss", "amod", "compound", "nmod", "npadvmod", "expl"})
_ACTOR2_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative", "iobj"})
_ACTOR1_PREPS = frozenset({"by", "from"})  # "from" is re-read for territory (taken *from* the government)
_ACTOR2_PREPS = frozenset({"with", "against", "on", "targeting", "at", "upon", "between", "among", "toward", "towards", "into"})


def anchors_of(head, trigger_heads: set[int]) -> list:
    """The trigger's head token plus the non-reporting verb a noun trigger hangs from."""
    anchors = [head]
    if head.dep_ == "xcomp" and head.head.lemma_.lower() not in REPORTING_LEMMAS:
        anchors.append(head.head)  # "managed to seize", "tried to storm": the subject sits on the first verb
    if head.pos_ in ("NOUN", "PROPN", "NUM"):
        token, steps = head, 0
        while token.dep_ in _CLIMB_DEPS and token.head is not token and steps < 4:
            if token.dep_ == "prep" and token.lower_ in TEMPORAL_PREPS:
                break  # "after Wednesday's shelling, people fled": the shelling is when, not what they did
            token, steps = token.head, steps + 1
            if token.pos_ in ("VERB", "AUX"):
                claims_it = any(c.lemma_.lower() == "responsibility" for c in token.children)
                if (token.lemma_.lower() not in REPORTING_LEMMAS or claims_it) and token.i not in trigger_heads:
                    anchors.append(token)  # "responsibility for the attack was claimed by X": X did it
                break
    return anchors


TEMPORAL_PREPS = frozenset({"after", "before", "following", "since", "during", "amid", "amidst", "despite", "until"})
CLAUSE_DEPS = frozenset({"advcl", "ccomp", "parataxis", "csubj"})


def owner(token, anchor_owner: dict[int, int], fallback_positions: list[tuple[int, int]]) -> tuple[int | None, str]:
    """The trigger (by its index) a token belongs to, and how it was reached:
    'anchor' (up its heads to a trigger's anchor), 'clause' (the same, but across a clause boundary:
    "the strikes hit X *as* government forces tried ..."), or 'near' (no anchor above it: the
    nearest trigger, a trigger before the word preferred, as in "clashes in X")."""
    current, steps, crossed, child = token, 0, False, None
    while steps < 12:
        if current.i in anchor_owner:
            return anchor_owner[current.i], ("clause" if crossed else "anchor")
        if child is not None and child.dep_ in ("nsubj", "nsubjpass") and current.pos_ in ("VERB", "AUX") and not crossed:
            # "residents caught two robbers, beat them and ...": the subject of the first verb does the rest
            shared = next((c.i for c in current.children if c.dep_ == "conj" and c.i in anchor_owner), None)
            if shared is not None:
                return anchor_owner[shared], "anchor"
        if current.head.i == current.i:
            break
        crossed = crossed or current.dep_ in CLAUSE_DEPS or (current.dep_ == "conj" and current.pos_ in ("VERB", "AUX"))
        child, current, steps = current, current.head, steps + 1
    if not fallback_positions:
        return None, "none"
    return min(fallback_positions, key=lambda p: abs(p[0] - token.i) * (1 if p[0] <= token.i else 1.5))[1], "near"


#: verbs whose subject is what happened to someone, not who did it
PATIENT_SUBJECT_VERBS = frozenset({"die", "perish", "succumb", "drown", "starve", "disappear", "vanish"})


def role_of(token, anchors: list) -> str | None:
    """'actor1', 'actor2' or None, from the relation under the anchor on the token's way up."""
    anchor_ids = {a.i for a in anchors}
    child, current, steps = None, token, 0
    while current.i not in anchor_ids and steps < 12:
        if child is not None and child.dep_ in ("nsubj", "nsubjpass") and any(
                c.dep_ == "conj" and c.i in anchor_ids for c in current.children):
            return _role_from_dep(child)  # the shared subject of coordinated verbs
        if current.head.i == current.i:
            return None
        child, current, steps = current, current.head, steps + 1
    if child is None:
        return None  # the token is the anchor itself ("Russian airstrikes" is handled by modifiers)
    if child.dep_ == "nsubj" and current.lemma_.lower() in PATIENT_SUBJECT_VERBS:
        return "actor2"  # "11 soldiers died": who dies is the victim
    return _role_from_dep(child)


def _role_from_dep(child) -> str | None:
    dep = child.dep_
    if dep in ("conj", "appos") and child.head.head is not child.head:
        return _role_from_dep(child.head)
    if dep in _ACTOR1_DEPS:
        return "actor1"
    if dep in _ACTOR2_DEPS:
        return "actor2"
    if dep in ("prep", "agent"):
        word = child.lower_
        if word in _ACTOR1_PREPS or dep == "agent":
            return "actor1" if word != "from" else "from"
        if word in _ACTOR2_PREPS:
            return "actor2"
    if dep == "relcl" or dep == "acl":
        return "actor1"
    return None


def ancestors_within(token, limit: int = 6):
    current, steps = token, 0
    while current.head is not current and steps < limit:
        current, steps = current.head, steps + 1
        yield current
