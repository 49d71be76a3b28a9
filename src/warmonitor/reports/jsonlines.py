"""JSON inputs -> Reports: a .jsonl file (one object per line) or a .json file (one object, or a list).

Each object needs "text" (a string); "id", "title", "url", "publisher", "published" and "language"
are optional; "text" is read as plain text (cleaned of furniture like any text). JSON must be
UTF-8 (RFC 8259), so there is no legacy-encoding fallback here.

A bad line or item does not stop the file: it yields a `Skipped` whose origin names it —
"reports.jsonl:7" for the 7th line (1-based), "reports.json[2]" for the 3rd item of a list (0-based,
as a JSON path would say) — and reading goes on. Blank lines in .jsonl are ignored.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

from ..errors import ReportError
from ..records import Report, Skipped
from .dates import parse_published
from .furniture import Furniture
from .text import ReportFields, build_report, decode_text

log = logging.getLogger(__name__)

_STRING_FIELDS = ("title", "url", "publisher", "language")


def iter_jsonl_reports(
    path: Path, *, origin: str, given: ReportFields, furniture: Furniture | None = None
) -> Iterator[Report | Skipped]:
    """One Report or Skipped per non-blank line of a JSON Lines file; the file's values win over `given`."""
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, start=1):
            where = f"{origin}:{number}"
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Skipped(origin=where, reason=f"not valid UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield Skipped(origin=where, reason=f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            yield _report_or_skipped(obj, origin=where, given=given, given_wins=False, furniture=furniture)


def iter_json_reports(
    data: bytes, *, origin: str, given: ReportFields, furniture: Furniture | None = None
) -> Iterator[Report | Skipped]:
    """Reports from a .json file's bytes: one object (the caller's values win, as for any single
    report) or a list of objects (the file's values win)."""
    try:
        obj = json.loads(decode_text(data, origin=origin))
    except ReportError as e:
        yield Skipped(origin=origin, reason=e.reason)
        return
    except json.JSONDecodeError as e:
        yield Skipped(origin=origin, reason=f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno})")
        return
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            yield _report_or_skipped(item, origin=f"{origin}[{index}]", given=given, given_wins=False, furniture=furniture)
    elif isinstance(obj, dict):
        yield _report_or_skipped(obj, origin=origin, given=given, given_wins=True, furniture=furniture)
    else:
        yield Skipped(origin=origin, reason=f"expected a JSON object or a list of objects, found {_json_type(obj)}")


def report_from_object(
    obj: object, *, origin: str, given: ReportFields, given_wins: bool, furniture: Furniture | None = None
) -> Report:
    """A Report from one decoded JSON value; raises ReportError when it is not a usable report."""
    if not isinstance(obj, dict):
        raise ReportError(origin, f"expected a JSON object, found {_json_type(obj)}")
    if "text" not in obj:
        raise ReportError(origin, 'no "text" field')
    text = obj["text"]
    if not isinstance(text, str):
        raise ReportError(origin, f'"text" is {_json_type(text)}, not a string')
    if not text.strip():
        raise ReportError(origin, 'empty "text"')
    values = {key: _optional_string(obj, key, origin=origin) for key in _STRING_FIELDS}
    stated = ReportFields(
        title=values["title"],
        url=values["url"],
        publisher=values["publisher"],
        published=parse_published(obj.get("published"), origin=origin),
    )
    return build_report(
        text,
        origin=origin,
        given=given,
        stated=stated,
        given_wins=given_wins,
        id=_report_id(obj.get("id"), origin=origin),
        language=values["language"],
        furniture=furniture,
    )


def _report_or_skipped(obj: object, **options) -> Report | Skipped:
    try:
        return report_from_object(obj, **options)
    except ReportError as e:
        return Skipped(origin=e.origin, reason=e.reason)


def _report_id(value: object, *, origin: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ReportError(origin, f'"id" is {_json_type(value)}, not a string or an integer')
    return str(value)


def _optional_string(obj: dict, key: str, *, origin: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        log.warning("%s: %r is %s, not a string; ignored", origin, key, _json_type(value))
        return None
    return value.strip() or None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
