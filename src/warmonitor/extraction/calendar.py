"""Time expressions in news sentences, resolved against the report's publication date.

Input: a sentence (plain string) and the publication date (or None). Output: `TimeSpan` records
(date, start, end, ACLED time_precision, the words, and why). The phrase tables live in
`data/time_expressions.toml`; the regular expressions are built from them once.

Rules (DESIGN.md: relative dates resolve against publication; without it, say so, never guess):
- No expression (`default_time`): the publication day, precision 1, start the day before: news
  reports events of the same or the previous day.
- Weekdays: the latest such day on or before publication ("on Tuesday" in a Tuesday report is that
  day, "on Monday" the day before); "last Tuesday" is strictly before publication.
- "today", "this morning", "in the last few hours", "earlier on" = publication (the hours ones start
  the day before); "yesterday", "last night", "overnight" = the day before.
- Spans get their midpoint as date; precision 1 for one day, 2 when end - start <= 14 days
  (`week_precision_max_days`), else 3. "last week" = the 7 days before publication (a rolling
  window: reporters use it for anything 2-10 days back); "this week" = Monday to publication;
  "in the past N days" / "in recent days" (7) = N days back to publication; "earlier this month"
  = the 1st to publication; "the end of November" = its last 6 days; "since X" = X's start to
  publication.
- Months ("in May 2020", "last month"): precision 3, date the 15th, start/end the month's bounds.
  Years ("in 2015", "the 1982 massacre", "since 2011"): precision 3, Jan 1 - Dec 31, date July 1,
  `why` says it is a year; the caller decides such a date is background.
- A day and month without a year take the publication year unless that is more than ~a month after
  publication (then the year before); a month alone, the latest one begun by publication.
  dd/mm/yyyy is read day-first (the order outside the US) unless that is impossible.
- Without a publication date, absolute dates resolve; relative ones give date None, precision None
  and a `why` naming the expression.
- Several expressions in a sentence: `find_time` takes the first one outside a "since ..." clause,
  else the first; `find_all_times` lists them all with offsets.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from warmonitor.records import TimeSpan
from warmonitor.refdata import data_toml

__all__ = ["find_time", "find_all_times", "default_time", "resolve", "load_time_expressions"]

DAY = timedelta(days=1)


@functools.lru_cache(maxsize=1)
def load_time_expressions() -> dict:
    """The phrase tables from the shipped `time_expressions.toml`, read once."""
    return data_toml("time_expressions.toml")


class _NeedsPublication(Exception):
    """A resolver needs the publication date and has none."""


def _anchor(published: date | None) -> date:
    if published is None:
        raise _NeedsPublication
    return published


def _alt(phrases) -> str:
    """A regex alternation of phrases, longest first, spaces matching any white space."""
    parts = [r"\s+".join(re.escape(w) for w in p.split()) for p in phrases]
    return "|".join(sorted(parts, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(name, regex) pairs in priority order (an earlier one wins a tie between equally long matches)."""
    d = load_time_expressions()
    words = d["words"]
    mon_full = _alt(words["months"])
    mon_any = _alt([*words["months"], *d["month_abbreviations"]])
    wd, part = _alt(words["weekdays"]), _alt(words["part_of_day"])
    num = rf"(?:an?\s+)?(?:\d+|{_alt([*d['numbers'], *d['fuzzy']])})"
    month_part = _alt(d["month_parts"])
    nouns = _alt(d["rules"]["count_nouns"])
    specs = {
        "iso": r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b",
        "numeric": r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b",
        "dmy": rf"\b(?:on\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{mon_any})\b\.?"
               rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
        "mdy": rf"\b(?:on\s+)?(?P<mon>{mon_any})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,\d)"
               rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
        "ordinal_day": r"\bon\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b",
        "month": rf"\b(?:(?:in|during)\s+)?(?:(?:the\s+)?(?P<part>{month_part})(?:\s+of)?[\s-]+)?"
                 rf"(?P<mon>{mon_full})\b(?:\s+(?P<y>\d{{4}})\b)?",
        "year": rf"\b(?:(?:in|during)\s+)?(?P<y>(?:18|19|20)\d\d)\b(?!,\d|\s+(?:{nouns})\b)",
        "days_back": rf"\b(?P<phrase>{_alt(d['days_back'])})(?:\s+(?P<part>{part}))?\b",
        "hours": rf"\b(?:(?:in|over|during|within)\s+the\s+(?:last|past)\s+(?:(?P<n>{num})\s+)?hours?"
                 rf"|(?:(?P<n2>{num})\s+)?hours?\s+(?:ago|earlier)|earlier\s+on)\b",
        "ago": rf"\b(?P<n>{num})\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier)\b",
        "window": rf"\b(?:(?:in|over|during|within|for)\s+)?(?:the\s+(?:last|past)\s+(?:(?P<n>{num})\s+)?"
                  rf"|recent\s+)(?P<unit>day|week|month)s?\b",
        "period": r"\b(?P<mod>last|previous|this|earlier\s+this|later\s+this|(?:over|at)\s+the|the\s+previous)"
                  r"\s+(?P<unit>weekend|week|month|year)\b",
        "weekday": rf"\b(?:(?P<mod>last|this\s+past|past|this|early|late|earlier|later|overnight)\s+)?(?:on\s+)?"
                   rf"(?P<wd>{wd})(?:\s+(?:and|or|to|through|until|-)\s+(?:on\s+)?(?P<wd2>{wd}))?"
                   rf"(?:\s+(?P<part>{part}))?\b"
                   # "Friday prayers", "Sunday mass", "Sunday school": an occasion, not a date
                   r"(?!\s+(?:prayers?|sermons?|mass|masses|services?|school|market|worship)\b)",
    }
    return tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in specs.items())


# --- building TimeSpans -------------------------------------------------------------------------

def _day(day: date, why: str, start: date | None = None) -> TimeSpan:
    return TimeSpan(date=day, start=start or day, end=day, precision=1, why=why)


def _span(start: date, end: date, why: str) -> TimeSpan:
    days = (end - start).days
    limit = load_time_expressions()["rules"]["week_precision_max_days"]
    precision = 1 if days == 0 else 2 if days <= limit else 3
    return TimeSpan(date=start + (end - start) // 2, start=start, end=end, precision=precision, why=why)


def _month_end(y: int, m: int) -> date:
    return (date(y + m // 12, m % 12 + 1, 1)) - DAY


def _month(y: int, m: int, why: str) -> TimeSpan:
    return TimeSpan(date=date(y, m, 15), start=date(y, m, 1), end=_month_end(y, m), precision=3,
                    why=f"{why}: a month, coded mid-month")


def _year(y: int, why: str) -> TimeSpan:
    return TimeSpan(date=date(y, 7, 1), start=date(y, 1, 1), end=date(y, 12, 31), precision=3,
                    why=f"{why}: a year, not a day")


def _number(words: str) -> tuple[int, bool]:
    """'24' -> (24, False); 'a few' -> (3, True): the value and whether it is vague."""
    d = load_time_expressions()
    w = " ".join(words.lower().split())
    if w.isdigit():
        return int(w), False
    for table, vague in (("numbers", False), ("fuzzy", True)):
        for key in (w, re.sub(r"^an?\s+", "", w)):
            if key in d[table]:
                return d[table][key], vague
    raise ValueError(words)


def _month_number(word: str) -> int:
    d = load_time_expressions()
    w = word.lower().rstrip(".")
    return d["words"]["months"].index(w) + 1 if w in d["words"]["months"] else d["month_abbreviations"][w]


def _infer_year(m: int, day: int | None, published: date | None) -> int:
    """The year of a day and month (or a month, day None) given without one: publication's, or the
    one before when that would put it after publication (a day gets a grace of ~a month)."""
    pub = _anchor(published)
    grace = load_time_expressions()["rules"]["year_rollover_days"] if day else 0
    return pub.year - 1 if date(pub.year, m, min(day or 1, 28)) > pub + timedelta(days=grace) else pub.year


def _most_recent(pub: date, weekday: int, strict: bool) -> date:
    back = (pub.weekday() - weekday) % 7
    return pub - timedelta(days=7 if strict and back == 0 else back)


# --- resolvers: one per pattern; None means "matched, but not a date" -----------------------------

def _r_iso(m, pub, q):
    return _day(date(int(m["y"]), int(m["m"]), int(m["d"])), f"'{q}' is an ISO date")


def _r_numeric(m, pub, q):
    y, a, b = int(m["y"]), int(m["d"]), int(m["m"])
    if b <= 12:
        return _day(date(y, b, a), f"'{q}' read day-first (dd/mm/yyyy)")
    return _day(date(y, a, b), f"'{q}' read month-first: day-first is impossible")


def _r_mdy(m, pub, q):  # "may 9" in lower case is more likely a verb than a month
    return None if m["y"] is None and m["mon"][0].islower() else _r_day_month(m, pub, q)


def _r_day_month(m, pub, q):
    mon, d = _month_number(m["mon"]), int(m["d"])
    if m["y"]:
        return _day(date(int(m["y"]), mon, d), f"'{q}' is an absolute date")
    y = _infer_year(mon, d, pub)
    return _day(date(y, mon, d), f"'{q}' without a year: {y}, the latest year not well after publication")


def _r_ordinal_day(m, pub, q):
    p, d = _anchor(pub), int(m["d"])
    day = date(p.year, p.month, d) if d <= _month_end(p.year, p.month).day else None
    if day is None or day > p:
        prev = p.replace(day=1) - DAY
        day = date(prev.year, prev.month, d)
    return _day(day, f"'{q}' = the most recent day {d} of a month on or before publication ({day})")


def _r_month(m, pub, q):
    if m["y"] is None and m["mon"][0].islower() and not m["part"]:
        return None  # "march", "may" in lower case are verbs
    mon = _month_number(m["mon"])
    y = int(m["y"]) if m["y"] else _infer_year(mon, None, pub)
    if not m["part"]:
        return _month(y, mon, f"'{q}' = {date(y, mon, 1):%B %Y}")
    first, last = load_time_expressions()["month_parts"][" ".join(m["part"].lower().split())]
    end = _month_end(y, mon)
    start, stop = (date(y, mon, k) if k > 0 else end + timedelta(days=k + 1) for k in (first, min(last, end.day)))
    return _span(start, stop, f"'{q}' = days {start.day}-{stop.day} of {start:%B %Y}")


def _r_year(m, pub, q):
    return _year(int(m["y"]), f"'{q}' names the year {m['y']}")


def _r_days_back(m, pub, q):
    p = _anchor(pub)
    n = load_time_expressions()["days_back"][" ".join(m["phrase"].lower().split())]
    what = "the publication day" if n == 0 else f"{n} day(s) before publication"
    return _day(p - timedelta(days=n), f"'{q}' = {what}")


def _r_hours(m, pub, q):
    p = _anchor(pub)
    n = _number(m["n"] or m["n2"])[0] if (m["n"] or m["n2"]) else 1
    days = max(1, -(-n // 24))
    if days == 1:
        return _day(p, f"'{q}' = the publication day (or the night before)", start=p - DAY)
    return _span(p - timedelta(days=days), p, f"'{q}' = the {days} days up to publication")


def _r_ago(m, pub, q):
    p = _anchor(pub)
    n, vague = _number(m["n"])
    unit = m["unit"].lower()
    center = p - timedelta(days=n * {"day": 1, "week": 7, "month": 30, "year": 365}[unit])
    if unit == "day" and not vague:
        return _day(center, f"'{q}' = {n} day(s) before publication")
    if unit in ("day", "week"):  # vague days: a day either side; weeks: three
        r = DAY if unit == "day" else 3 * DAY
        return _span(center - r, min(center + r, p), f"'{q}' = the days around {center}")
    if unit == "month":
        return _month(center.year, center.month, f"'{q}' = about {n * 30} days before publication")
    return _year(center.year, f"'{q}' = {n} year(s) before publication")


def _r_window(m, pub, q):
    p = _anchor(pub)
    unit = m["unit"].lower()
    n = load_time_expressions()["recent"][unit + "s"] if m["n"] is None and "recent" in q.lower() else (
        _number(m["n"])[0] if m["n"] else 1)
    days = n * {"day": 1, "week": 7, "month": 30}[unit]
    return _span(p - timedelta(days=days), p, f"'{q}' = the {days} days up to publication")


def _r_period(m, pub, q):
    p = _anchor(pub)
    mod, unit = " ".join(m["mod"].lower().split()), m["unit"].lower()
    last = mod in ("last", "previous", "the previous")
    if mod in ("over the", "at the") and unit != "weekend":
        return None
    if last and unit in ("month", "year"):
        prev = p.replace(day=1) - DAY
        return (_month(prev.year, prev.month, f"'{q}' = the calendar month before publication") if unit == "month"
                else _year(p.year - 1, f"'{q}' = the calendar year before publication"))
    if unit == "week":  # "last week" is a rolling window, "this week" starts on Monday
        start, end = (p - 7 * DAY, p - DAY) if last else (p - p.weekday() * DAY, p)
    elif unit == "weekend":
        start = _most_recent(p, 6, strict=True) - DAY if last else _most_recent(p, 5, strict=False)
        end = min(start + DAY, p)
    else:
        start, end = (p.replace(day=1) if unit == "month" else date(p.year, 1, 1)), p
    what = "the 7 days" if unit == "week" and last else f"the {unit}"
    return _span(start, end, f"'{q}' = {start} to {end}, {what} {'before' if end < p else 'up to'} publication")


def _r_weekday(m, pub, q):
    p = _anchor(pub)
    names = load_time_expressions()["words"]["weekdays"]
    mod = (m["mod"] or "").lower().split()
    strict = bool(mod) and mod[-1] in ("last", "past")
    last_name = (m["wd2"] or m["wd"]).lower()
    day = _most_recent(p, names.index(last_name), strict)
    if m["wd2"]:
        first = day - timedelta(days=(names.index(last_name) - names.index(m["wd"].lower())) % 7)
        return _span(first, day, f"'{q}' = {first} to {day}, the latest such days up to publication")
    if day == p:
        return _day(day, f"'{q}' = the publication day, a {day:%A}")
    return _day(day, f"'{q}' = the latest {day:%A} {'strictly ' if strict else ''}before publication ({day})")


_RESOLVERS = {"iso": _r_iso, "numeric": _r_numeric, "dmy": _r_day_month, "mdy": _r_mdy,
              "ordinal_day": _r_ordinal_day, "month": _r_month, "year": _r_year, "days_back": _r_days_back,
              "hours": _r_hours, "ago": _r_ago, "window": _r_window, "period": _r_period, "weekday": _r_weekday}


def _resolve_match(name: str, m: re.Match, published: date | None) -> TimeSpan | None:
    q = " ".join(m.group(0).split())
    try:
        span = _RESOLVERS[name](m, published, q)
    except _NeedsPublication:
        return TimeSpan(date=None, start=None, end=None, precision=None, text=q,
                        why=f"relative expression '{q}' without a publication date")
    except (ValueError, KeyError):  # "31 February", an unknown word: not a date after all
        return None
    return span and replace(span, text=q)


def _since(inner: TimeSpan, name: str, text: str, published: date | None) -> TimeSpan:
    """'since X': from X's start to publication; a year stays the year it names."""
    if name == "year" or inner.start is None:
        return replace(inner, text=text, why=inner.why.replace(f"'{inner.text}'", f"'{text}'"))
    if published is None:
        return TimeSpan(date=None, start=inner.start, end=None, precision=None, text=text,
                        why=f"'{text}' is open-ended: no publication date to end it")
    if inner.start > published:  # "since December 20" in a December 3 report: keep what it names
        return replace(inner, text=text)
    return replace(_span(inner.start, published, f"'{text}' = from {inner.start} to publication"), text=text)


def _scan(sentence: str, published: date | None) -> list[tuple[int, int, TimeSpan, bool]]:
    """Every time expression: (start, end, span, inside a 'since' clause), in sentence order."""
    if isinstance(published, datetime):
        published = published.date()
    found = []
    for order, (name, rx) in enumerate(_patterns()):
        for m in rx.finditer(sentence):
            span = _resolve_match(name, m, published)
            if span is not None:
                found.append((m.start(), m.end(), order, name, span))
    chosen: list[tuple] = []
    for item in sorted(found, key=lambda f: (f[0] - f[1], f[2], f[0])):  # longest first, then priority
        if all(item[1] <= c[0] or item[0] >= c[1] for c in chosen):
            chosen.append(item)
    results = []
    for start, end, _, name, span in sorted(chosen):
        direct = re.search(r"\b(?:ever\s+)?since\s+$", sentence[:start], re.IGNORECASE)
        if direct:
            start = direct.start()
            span = _since(span, name, " ".join(sentence[start:end].split()), published)
        clause = direct or re.search(r"\bsince\b[^,;:.!?]*$", sentence[:start], re.IGNORECASE)
        if clause and not direct:
            span = replace(span, why=f"{span.why} (inside a 'since' clause)")
        results.append((start, end, span, bool(clause)))
    return results


# --- public API ---------------------------------------------------------------------------------

def find_all_times(sentence: str, published: date | None) -> list[tuple[int, int, TimeSpan]]:
    """Every time expression in `sentence` as (start, end, TimeSpan), char offsets, in order.
    Expressions after "since" include it and span to publication; ones elsewhere in a 'since' clause
    say so in `why`, so the caller can tell an event's date from the start of a state."""
    return [(s, e, span) for s, e, span, _ in _scan(sentence, published)]


def find_time(sentence: str, published: date | None) -> TimeSpan | None:
    """The time expression that dates the sentence's event, or None if it has none: the first one
    outside a 'since ...' clause, else the first one (in "fought since launching an offensive last
    week", "last week" dates the offensive's start)."""
    found = _scan(sentence, published)
    if not found:
        return None
    outside = [span for _, _, span, in_since in found if not in_since]
    return outside[0] if outside else found[0][2]


def resolve(expression: str, published: date | None) -> TimeSpan | None:
    """Resolve one expression ("last week", "since the end of November", "9 May 2020"); None if
    `expression` holds no time expression. If it holds several, the first is resolved."""
    found = _scan(expression, published)
    return found[0][2] if found else None


def default_time(published: date | None) -> TimeSpan:
    """The time of an event whose sentence has no time expression: the publication day, precision 1,
    with start the day before, because news reports events of the same or the previous day."""
    if isinstance(published, datetime):
        published = published.date()
    if published is None:
        return TimeSpan(date=None, start=None, end=None, precision=None,
                        why="no time expression and no publication date")
    return TimeSpan(date=published, start=published - DAY, end=published, precision=1,
                    why="no time expression: the publication day (news reports the same or previous day)")
