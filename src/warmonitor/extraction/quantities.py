"""Quantities: numbers in words and digits and what they count ("nearly 50,000 people have been displaced").

Vague amounts follow ACLED's conservative conventions from data/numbers.toml ("dozens" = 12,
"hundreds" = 100). The metric comes from the counted noun ("dozens of strikes"), else from the verb
or noun the number hangs from ("47 were killed", "killed hundreds", "death toll rose to 74"), else
from a cue within a few words. A number whose metric cannot be told is not a quantity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..refdata import data_toml
from ..records import Quantity

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_TIME_UNITS = frozenset({"hour", "day", "week", "month", "year", "minute", "second", "km", "kilometre", "kilometer",
                         "mile", "metre", "meter", "percent", "%", "am", "pm", "time", "decade", "century", "th",
                         "st", "nd", "rd", "o'clock"})
HARM = frozenset({"killed", "injured", "displaced", "detained", "casualties"})
#: verbs whose subject does the killing: a number there counts attackers
AGENTS_OF = frozenset({"kill", "shoot", "murder", "execute", "slay", "behead", "assassinate", "stab", "attack", "ambush",
                       "storm", "raid", "abduct", "kidnap", "open"})
#: words that put a killing among the charges against someone
ACCUSING = frozenset({"suspect", "accuse", "charge", "convict", "allege", "blame", "sentence", "try"})
#: verbs that carry a count up to a total, and words that make the total a period's ("since", "so far")
TALLY_VERBS = frozenset({"raise", "bring", "increase", "push", "take", "lift", "rise"})
PERIOD_CUES = ("since", "so far", "in total", "overall", "total", "to date", "during the past", "in the past",
               "within", "cumulative")
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, int]
    low: tuple[str, ...]
    high: tuple[str, ...]
    metrics: dict[str, str]  # cue lemma -> metric
    person_verbs: frozenset[str] = frozenset()  # "killing a woman": verbs whose single victims count one
    person_nouns: frozenset[str] = frozenset()
    person_pronouns: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> "NumberWords":
        raw = data_toml("numbers.toml")
        metrics = {}
        for metric, cues in raw["metrics"].items():
            for cue in cues:
                metrics.setdefault(cue, metric)
        persons = raw.get("persons", {})
        return cls(raw["units"], raw["multipliers"], raw["vague"], tuple(raw["bounds"]["low"]),
                   tuple(raw["bounds"]["high"]), metrics, frozenset(persons.get("verbs", ())),
                   frozenset(persons.get("nouns", ())), frozenset(persons.get("pronouns", ())))


def _value_of(tokens, words: NumberWords) -> int | None:
    """The value of a run of number tokens ("50,000", "two", "tens of thousands", "a dozen")."""
    text = " ".join(t.lower_ for t in tokens)
    if text in words.vague:
        return words.vague[text]
    total, current = 0, 0
    for token in tokens:
        word = token.lower_
        if word in ("a", "an") and token.i + 1 < len(token.doc) and token.nbor().lower_ in words.multipliers:
            continue  # "a dozen", "a hundred": the article is not a number of its own
        if _DIGITS.match(word):
            current += int(float(word.replace(",", "")))
        elif word in words.units:
            current += words.units[word]
        elif word in words.multipliers:
            current = max(current, 1) * words.multipliers[word]
            if words.multipliers[word] >= 1000:
                total, current = total + current, 0
        elif word in words.vague:
            current += words.vague[word]
        elif word in ("and", "-", "of"):
            continue
        else:
            return None
    return total + current or None


def _is_number_token(token, words: NumberWords) -> bool:
    word = token.lower_
    if word in ("a", "an", "single", "some", "few", "pair", "couple"):
        return token.nbor(1).lower_ in words.multipliers or token.nbor(1).lower_ in ("dozen", "score") \
            if token.i + 1 < len(token.doc) else False
    return bool(_DIGITS.match(word)) or word in words.units or word in words.multipliers or word in words.vague


def find_quantities(sent, words: NumberWords) -> list[Quantity]:
    found: list[Quantity] = []
    i, end = sent.start, sent.end
    doc = sent.doc
    while i < end:
        if not _is_number_token(doc[i], words):
            i += 1
            continue
        j = i + 1
        while j < end and (_is_number_token(doc[j], words) or
                           (doc[j].lower_ in ("of", "and") and j + 1 < end and doc[j + 1].lower_ in words.multipliers | words.vague) or
                           (doc[j].text == "-" and j + 1 < end and doc[j + 1].lower_ in words.units)):
            j += 1
        run = doc[i:j]
        quantity = _quantity(run, words)
        if quantity is not None:
            found.append(quantity)
        i = j
    return found + _single_victims(sent, words)


def _single_victims(sent, words: NumberWords) -> list[Quantity]:
    """'shot dead a mayoral candidate', 'killing a woman and her two children', 'a child was killed':
    each person a killing names without a number is one death (the numbered ones are counted above)."""
    found = []
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in words.person_verbs:
            continue
        lemma = verb.lemma_.lower()
        if any(t.lemma_.lower() in ACCUSING for t in verb.ancestors):
            continue  # "a woman suspected of killing a girl": the crime she is accused of, not this event's toll
        if lemma in ("shoot", "stab", "hack", "burn", "beat", "stone", "club", "hang", "torture") and not any(
                c.lower_ in ("dead", "death") or any(g.lower_ == "death" for g in c.children) for c in verb.children):
            continue  # "shot a man" may have wounded him: only "shot dead", "beat him to death"
        wanted = ("nsubj",) if lemma in ("die", "perish") else ("dobj", "nsubjpass")
        for victim in (c for c in verb.children if c.dep_ in wanted):
            if victim.lower_ == "both" and victim.tag_ in ("DT", "PDT", "NN", "PRP"):
                found.append(Quantity(metric="killed", value=2, low=None, high=None, text=victim.text,
                                      start=victim.idx, end=victim.idx + len(victim), unit="person"))
                continue
            for person in (victim, *(c for c in victim.subtree if c.dep_ == "conj" and c.head.i != verb.i)):
                if _is_one_person(person, words):
                    found.append(Quantity(metric="killed", value=1, low=None, high=None, text=person.text,
                                          start=person.idx, end=person.idx + len(person), unit="person"))
    return found


def _is_one_person(token, words: NumberWords) -> bool:
    if token.lower_ in words.person_pronouns and token.tag_ == "PRP":
        return True
    if token.tag_ != "NN" or token.lemma_.lower() not in words.person_nouns:
        return False
    return not any(c.dep_ == "nummod" or c.like_num for c in token.children)


def _quantity(run, words: NumberWords) -> Quantity | None:
    doc = run.doc
    value = _value_of(run, words)
    if value is None or _looks_like_date_or_measure(run):
        return None
    counted = _counted_noun(run)
    metric = _metric(run, counted, words)
    if metric is None:
        return None
    start, low, high = run.start, None, None
    before = " ".join(t.lower_ for t in doc[max(run.sent.start, run.start - 3):run.start])
    for phrase in words.low:
        if before.endswith(phrase):
            low, start = value, run.start - len(phrase.split())
            break
    for phrase in words.high:
        if before.endswith(phrase):
            high, start = value, run.start - len(phrase.split())
            break
    end = counted.i + 1 if counted is not None and counted.i >= run.end and counted.i - run.end < 6 else run.end
    text = doc[start:end].text
    unit = counted.lemma_.lower() if counted is not None else None
    holder = counted if counted is not None else run[-1]
    after = [t.lower_ for t in doc[run.end:min(run.sent.end, run.end + 2)]]
    subset = any(t.lower_ in ("including", "among", "incl") for t in holder.ancestors if t.dep_ == "prep") \
        or any(t.lower_ in ("including", "among") for t in doc[max(run.sent.start, start - 3):start]) \
        or after in (["of", "them"], ["of", "whom"])  # "nine people, four of them children"
    return Quantity(metric=metric, value=value, low=low, high=high, text=text,
                    start=doc[start].idx, end=doc[end - 1].idx + len(doc[end - 1]), unit=unit, subset=subset,
                    running=_running_total(run))


def _running_total(run) -> bool:
    """'raising to 505 the number of people killed since mid-November', 'bringing the toll so far to 90':
    a number that a raise-verb carries to a total over a period."""
    doc, sent = run.doc, run.sent
    before = [t.lemma_.lower() for t in doc[max(sent.start, run.start - 8):run.start]]
    if not any(lemma in TALLY_VERBS for lemma in before) or "to" not in before:
        return False
    rest = " " + " ".join(t.lower_ for t in doc[max(sent.start, run.start - 8):sent.end]) + " "
    return any(f" {cue} " in rest for cue in PERIOD_CUES)


def _looks_like_date_or_measure(run) -> bool:
    doc, last = run.doc, run[-1]
    nxt = doc[run.end] if run.end < len(doc) else None
    prev = doc[run.start - 1] if run.start > 0 else None
    if nxt is not None and (nxt.lemma_.lower() in _TIME_UNITS or nxt.lower_ in _MONTHS):
        return True
    if nxt is not None and nxt.text == "-" and nxt.i + 1 < len(doc) and doc[nxt.i + 1].lemma_.lower() in _TIME_UNITS:
        return True  # "an eight-year-old girl": an age
    if prev is not None and prev.lower_ in _MONTHS:
        return True
    if len(run) == 1 and re.fullmatch(r"(19|20)\d\d", last.text):
        return True  # a year
    return False


def _counted_noun(run):
    """The noun the number counts: "50,000 people", "dozens of strikes", "47 (were killed)"."""
    last = run[-1]
    if last.dep_ == "nummod" and last.head.pos_ in ("NOUN", "PROPN"):
        return last.head
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _metric(run, counted, words: NumberWords) -> str | None:
    if counted is not None:
        lemma = counted.lemma_.lower()
        if lemma in words.metrics and words.metrics[lemma] in ("strikes", "casualties", "vehicles", "killed"):
            return words.metrics[lemma]
    holder = counted if counted is not None else run[-1]
    if holder.dep_ == "nsubj" and holder.head.lemma_.lower() in AGENTS_OF:
        return None  # "two men shot and killed a journalist": the two are the killers, not the dead
    # the verb or noun the counted thing hangs from: "have been displaced", "killed hundreds", "toll to 74"
    current = holder
    for _ in range(3):
        if current.head is current:
            break
        current = current.head
        lemma = current.lemma_.lower()
        if lemma in words.metrics:
            return _combined(current, words)
        if lemma in ("force", "drive", "push", "chase") and any(c.lower_ in ("from", "out") for c in current.children):
            return "displaced"  # "forced from their homes", "driven out"
        if current.pos_ == "VERB" and lemma not in ("raise", "rise", "reach", "climb", "increase", "bring", "be", "leave",
                                                      "cause", "include"):
            break
    for child in holder.children:
        if child.lemma_.lower() in words.metrics and child.dep_ in ("acl", "amod", "relcl"):
            return _combined(child, words)
    sent = run.sent
    window = range(max(sent.start, run.start - 4), min(sent.end, run.end + 6))
    for i in sorted(window, key=lambda k: abs(k - run.start)):
        lemma = run.doc[i].lemma_.lower()
        # a nearby word names what was done to people; things counted ("trucks", "strikes") must be the noun
        if lemma in words.metrics and words.metrics[lemma] in HARM and not (run.start <= i < run.end):
            return _combined(run.doc[i], words)
    return None


def _has_own_number(verb, other) -> bool:
    """Whether `verb` counts a number or people of its own, leaving out `other`'s words when they hang
    below it."""
    skip = {t.i for t in other.subtree} if other.i in {t.i for t in verb.subtree} else set()
    if any(c.dep_ in ("dobj", "nsubjpass") and c.i not in skip for c in verb.children):
        return True  # "killing two policemen and wounding a passer-by": each verb has its own people
    return any(t.like_num for t in verb.subtree if t.i not in skip and t.i != verb.i)


def _combined(token, words: NumberWords) -> str:
    """ "killed and wounded 47" counts casualties, not deaths."""
    metric = words.metrics[token.lemma_.lower()]
    # partners that count their own number ("killed three and wounded 15") stay apart
    partners = {words.metrics.get(c.lemma_.lower()) for c in token.children
                if c.dep_ == "conj" and not _has_own_number(c, token)}
    if token.dep_ == "conj" and not _has_own_number(token.head, token):
        partners.add(words.metrics.get(token.head.lemma_.lower()))
    if {metric} | partners >= {"killed", "injured"}:
        return "casualties"
    return metric
