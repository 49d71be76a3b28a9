"""Publication dates as inputs state them -> `datetime.date` or None.

Accepted, in the order tried:
- ISO 8601 dates and date-times ("2024-12-03", "2024-12-03T10:00:00Z"); a date-time keeps the
  calendar date it states (no conversion to UTC);
- a list of dates separated by ";" (UCDP's "2016-02-07;2016-02-08"): the first one;
- numeric day/month/year ("03/12/2024", "3.12.2024") only when unambiguous (one part > 12); when
  both readings are possible the date is unknown rather than guessed;
- absolute dates in words ("December 3, 2024", "3 Dec 2024") through dateparser, with relative
  expressions ("yesterday", "2 days ago") refused: they would be resolved against today.

An unreadable date is not a reason to drop a report: it becomes None with a logged warning, and the
report's events carry lower time precision later.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime

log = logging.getLogger(__name__)

_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_HAS_MONTH_WORD_AND_YEAR = re.compile(r"[^\W\d_]{3,}.*\b\d{4}\b|\b\d{4}\b.*[^\W\d_]{3,}", re.UNICODE)


def parse_published(value: object, *, origin: str = "") -> date | None:
    """The calendar date `value` states, or None (with a warning when `value` was not empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        log.warning("%s: published date %r is a %s, not a string; date unknown", origin, value, type(value).__name__)
        return None
    first = value.split(";")[0].strip()
    if _NUMERIC.fullmatch(first):
        return _numeric(first, origin=origin)
    found = _iso(first) or _in_words(first)
    if found is None:
        log.warning("%s: cannot read published date %r; date unknown", origin, value)
    return found


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("z", "Z")).date()
    except ValueError:
        return None


def _numeric(text: str, *, origin: str) -> date | None:
    first, second, year = (int(g) for g in _NUMERIC.fullmatch(text).groups())
    if first <= 12 and second <= 12 and first != second:
        log.warning("%s: published date %r is ambiguous (day/month or month/day); date unknown", origin, text)
        return None
    day, month = (second, first) if second > 12 else (first, second)
    try:
        return date(year, month, day)
    except ValueError:
        log.warning("%s: published date %r is not a calendar date; date unknown", origin, text)
        return None


def _in_words(text: str) -> date | None:
    if not _HAS_MONTH_WORD_AND_YEAR.search(text):
        return None  # no year or no month name: relative or partial, which dateparser would guess
    import dateparser  # heavy import, only for the rare non-ISO date

    parsed = dateparser.parse(
        text,
        settings={
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None
