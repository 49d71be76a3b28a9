"""Plain text -> Report: decoding bytes, refusing binary, and the one place a Report is built.

Every reader (text, HTML, JSON) ends in `build_report`, which strips page furniture, takes a
publisher from a wire credit, and settles each field by one precedence rule (see `ReportFields`).

Decoding (`decode_text`): UTF-8 (a UTF-8 BOM is dropped), UTF-16 or UTF-32 only when a BOM says so,
then Windows-1252 as a last resort *only* if the result has no control characters (old newsroom
files are often cp1252); that fallback is logged as a warning. Anything else raises `ReportError`
naming the first byte that is not UTF-8 and its offset. Bytes with NUL characters or a high share of
non-printable characters are refused as binary.
"""
from __future__ import annotations

import re

import codecs
import logging
import unicodedata
from dataclasses import dataclass
from datetime import date

from ..errors import ReportError
from ..records import Report
from .dates import parse_published
from .furniture import Furniture, default_furniture

log = logging.getLogger(__name__)

#: A text whose share of non-printable characters exceeds this is binary, not a report.
MAX_NONPRINTABLE_SHARE = 0.05
# the longest text one report may have: spaCy's own limit, and some 150 times a long news story. A
# longer one is nearly always a whole collection read as one text (a CSV export, a book).
MAX_REPORT_CHARS = 1_000_000
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class ReportFields:
    """The metadata of a report from one source: the caller, the input itself, or the text.

    Precedence, field by field, first value that is not None wins:
    - a single-report input (a .txt, an .html, a .json holding one object, `read_text_report`):
      given by the caller > stated by the input > detected in the text;
    - a collection (.jsonl, a .json list, a directory): stated by the input > given by the caller >
      detected in the text, because a command-line default must not overwrite what each line says.
    """

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None

    def before(self, other: ReportFields) -> ReportFields:
        """These fields, with the gaps filled from `other`."""
        return ReportFields(
            title=_first(self.title, other.title),
            url=_first(self.url, other.url),
            publisher=_first(self.publisher, other.publisher),
            published=_first(self.published, other.published),
        )


def decode_text(data: bytes, *, origin: str) -> str:
    """The text `data` encodes; raises ReportError for empty, binary or undecodable input."""
    if not data.strip():
        raise ReportError(origin, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ReportError(origin, f"not valid {encoding.upper()} text despite its byte-order mark ({e.reason})")
    if b"\x00" in data:
        raise ReportError(origin, f"binary content (NUL byte at offset {data.index(0)})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_error = f"not valid UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReportError(origin, utf8_error) from None
    if any(_is_nonprintable(c) for c in text):
        raise ReportError(origin, utf8_error)
    log.warning("%s: %s; read as Windows-1252 instead", origin, utf8_error)
    return text


def check_printable(text: str, *, origin: str) -> None:
    """Raise ReportError when `text` looks like binary junk rather than writing."""
    if "\x00" in text:
        raise ReportError(origin, "binary content (NUL characters)")
    if not text:
        return
    bad = sum(1 for c in text if _is_nonprintable(c))
    if bad / len(text) > MAX_NONPRINTABLE_SHARE:
        raise ReportError(origin, f"binary content ({bad / len(text):.0%} non-printable characters)")


def build_report(
    text: str,
    *,
    origin: str,
    given: ReportFields = ReportFields(),
    stated: ReportFields = ReportFields(),
    given_wins: bool = True,
    id: str | None = None,
    language: str | None = None,
    furniture: Furniture | None = None,
) -> Report:
    """A Report from `text` and metadata from the caller (`given`) and the input (`stated`).

    The text is cleaned of page furniture first; the id, when the input states none, is the hash of
    the cleaned text, so the same story with or without a "Share" line gets the same id."""
    check_printable(text, origin=origin)
    cleaned = (furniture or default_furniture()).clean(text)
    if not cleaned.text:
        reason = "no text left after removing page furniture" if text.strip() else "empty text"
        raise ReportError(origin, reason)
    if len(cleaned.text) > MAX_REPORT_CHARS:
        raise ReportError(origin, f"{len(cleaned.text):,} characters, more than the {MAX_REPORT_CHARS:,} one report may "
                                  "have: is it a whole collection? Give one report per file, or one per line of a "
                                  ".jsonl file")
    if cleaned.removed:
        log.debug("%s: removed furniture lines %r", origin, cleaned.removed)
    detected = ReportFields(publisher=cleaned.agency, title=headline_of(cleaned.text))
    fields = (given.before(stated) if given_wins else stated.before(given)).before(detected)
    return Report(
        text=cleaned.text,
        id=id or "",
        title=fields.title,
        url=fields.url,
        publisher=fields.publisher,
        published=parse_published(fields.published, origin=origin),
        language=language or "en",
        origin=origin,
    )


def headline_of(text: str) -> str | None:
    """A plain-text story's first line when it reads as a headline: short, no final full stop, and
    followed by a blank line or by a dateline ("GOMA, Feb 8 (AFP) -")."""
    first, sep, rest = text.partition("\n")
    first = first.strip()
    if not sep or not 0 < len(first) <= 160 or first.endswith((".", ":", ";", "!", "?", '"', "”")) or len(first.split()) < 3:
        return None
    following = rest.lstrip("\r\n ")
    dateline = re.match(r"[A-Z][A-Z .'-]{2,}(,|\s*\(|\s+-)", following)
    return first if rest.startswith(("\n", "\r\n")) or dateline else None


def read_text_report(
    text: str,
    *,
    origin: str,
    published: date | None = None,
    publisher: str | None = None,
    url: str | None = None,
    title: str | None = None,
    furniture: Furniture | None = None,
) -> Report:
    """A Report from a string (the Python API's entry point). The given values win over what the
    text suggests; the publisher otherwise comes from a wire credit or dateline in the text.
    Raises ReportError when the text is empty, only furniture, or binary."""
    given = ReportFields(title=title, url=url, publisher=publisher, published=published)
    return build_report(text, origin=origin, given=given, furniture=furniture)


def _is_nonprintable(c: str) -> bool:
    if c in _WHITESPACE_CONTROLS:
        return False
    return c == "\ufffd" or unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")


def _first(*values):
    return next((v for v in values if v is not None), None)
