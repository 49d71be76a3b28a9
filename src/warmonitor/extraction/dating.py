"""Which time expression dates a trigger, and the phrases that put a trigger outside its own time
("since the offensive began", "after days of fighting")."""
from __future__ import annotations

import re
from datetime import date

from ..records import TimeSpan
from . import calendar
from .roles import ancestors_within
from .triggers import TriggerMatch


#: a running tally between a trigger and a 'since' phrase: "... raising to 349 the number killed since April"
RUNNING_TALLY = re.compile(r"\b(?:rais|bring|brought|increas|push|tak|took|lift)\w*\b[^.;]*?\bto\b\s*"
                           r"(?:about |around |nearly |almost |more than |over |at least )?\d", re.IGNORECASE)


def in_since_clause(text: str, start: int) -> bool:
    before = text[:start]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind("."))
    return "since" in before[cut + 1:].lower().split() or text[start:start + 5].lower() == "since"


def time_for(match: TriggerMatch, sent, times, published: date | None, resources) -> TimeSpan:
    if not times:
        return calendar.default_time(published)
    trigger_char = sent.doc[match.head].idx - sent.start_char
    plain = [t for t in times if not in_since_clause(sent.text, t[0])]
    if in_since_clause(sent.text, trigger_char):
        plain = []  # "since a ceasefire took effect in November": the trigger is the period's start
    start, _, span = min(plain or times, key=lambda t: abs(t[0] - trigger_char))
    if plain:
        return span
    if trigger_char < start and RUNNING_TALLY.search(sent.text[trigger_char:start]):
        # "shelling kills 13 and raises the toll to 505 since mid-November": the period is the tally's
        return calendar.default_time(published)
    # "since launching an offensive last week": ongoing from then until publication
    if span.start is None or published is None:
        return span
    end = published
    middle = span.start + (end - span.start) / 2
    precision = 1 if span.start == end else 2 if (end - span.start).days <= 14 else 3
    return TimeSpan(date=middle, start=span.start, end=end, precision=precision, text=span.text,
                    why=f"ongoing since {span.start.isoformat()} ({span.why})")


def period(sent, times, published: date | None) -> TimeSpan | None:
    if not times:
        return None
    start, _, span = times[0]
    if in_since_clause(sent.text, start) and span.start is not None and published is not None:
        return TimeSpan(date=None, start=span.start, end=published, precision=None, text=span.text, why="since")
    return span


def opens_a_period(head) -> bool:
    """'since the offensive began', 'since the start of the war': the trigger dates a period."""
    for token in (head, *ancestors_within(head, 3)):
        if token.lower_ == "since" and token.dep_ == "prep":
            return True
        if any(child.dep_ == "mark" and child.lower_ == "since" for child in token.children):
            return True
    return False


def in_after_phrase(head) -> bool:
    """'after days of fighting', 'following heavy clashes', 'amid fierce battles'."""
    return any(t.lower_ in ("after", "following", "amid", "amidst") and t.dep_ == "prep"
               for t in (head, *ancestors_within(head, 3)))
