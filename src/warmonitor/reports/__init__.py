"""Reading inputs into Report records: the first stage of the pipeline.

`iter_reports(path)` reads a plain text file, an HTML page, a .json file (one object or a list), a
.jsonl file (one object per line) or a directory of them, and yields one `Report` per report read
and one `Skipped` (origin and reason) per input that could not be read — iteration always goes on.
`read_text_report(text, origin=...)` builds a Report from a string, `read_document(data, origin=...)`
from one document's bytes (what `watch` fetches).

What every reader does: decode (UTF-8, BOM-marked UTF-16/32, logged cp1252 fallback), refuse empty
and binary input, strip page furniture and trailing wire credits (patterns in
`data/furniture.toml`), take a publisher from a credit or a dateline, read the publication date, and
set the id to the hash of the cleaned text unless the input states one.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..errors import ReportError
from ..records import Report, Skipped
from .furniture import Furniture, default_furniture
from .html import looks_like_html, read_html_report
from .jsonlines import iter_json_reports, iter_jsonl_reports
from .text import ReportFields, build_report, decode_text, read_text_report

__all__ = ["iter_reports", "read_document", "read_text_report", "Furniture", "ReportFields", "REPORT_SUFFIXES"]

log = logging.getLogger(__name__)

#: The file kinds a directory is searched for (case-insensitive).
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")


def iter_reports(
    path: str | Path,
    *,
    published: date | None = None,
    publisher: str | None = None,
    url: str | None = None,
    title: str | None = None,
    furniture: Furniture | None = None,
) -> Iterator[Report | Skipped]:
    """Yield a Report or a Skipped for every report in `path` (a file or a directory).

    Files by suffix: .jsonl, .json, .html/.htm; anything else is read as text, and as HTML when its
    content looks like an HTML document. A directory is searched recursively for .txt, .html, .htm,
    .json and .jsonl files, skipping hidden files and folders, in sorted path order.

    The keyword values are the caller's (the command line's). For a single report (a text or HTML
    file, a .json holding one object) they win over what the input states; for a collection (a
    .jsonl file, a .json list, a directory) they only fill fields the input leaves empty. Either way
    they win over a publisher detected from a wire credit in the text.

    Raises ReportError when `path` does not exist; everything else becomes a Skipped.
    """
    path = Path(path)
    given = ReportFields(title=title, url=url, publisher=publisher, published=published)
    furniture = furniture or default_furniture()
    if path.is_dir():
        files = list(_report_files(path))
        if not files:
            log.warning("%s: no %s files in this directory", path, "/".join(REPORT_SUFFIXES))
        for file in files:
            yield from _logged(_read_file(file, given=given, given_wins=False, furniture=furniture))
    elif path.is_file():
        yield from _logged(_read_file(path, given=given, given_wins=True, furniture=furniture))
    elif path.exists():
        raise ReportError(str(path), "not a regular file or directory")
    else:
        raise ReportError(str(path), "no such file or directory")


def _read_file(path: Path, *, given: ReportFields, given_wins: bool, furniture: Furniture) -> Iterator[Report | Skipped]:
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from iter_jsonl_reports(path, origin=origin, given=given, furniture=furniture)
            return
        data = path.read_bytes()
    except OSError as e:
        yield Skipped(origin=origin, reason=f"cannot read file ({e.strerror or e})")
        return
    yield from read_document(data, origin=origin, kind=suffix, given=given, given_wins=given_wins,
                             furniture=furniture)


def read_document(
    data: bytes,
    *,
    origin: str,
    kind: str = "",
    given: ReportFields = ReportFields(),
    given_wins: bool = True,
    furniture: Furniture | None = None,
) -> Iterator[Report | Skipped]:
    """The Reports in one document's bytes (a file's content, a fetched page): `kind` is what it was
    declared as (a suffix: ".json", ".html", ".txt"); anything but JSON is read as HTML when its
    content looks like an HTML document, else as plain text."""
    if kind == ".json":
        yield from iter_json_reports(data, origin=origin, given=given, furniture=furniture)
        return
    try:
        text = decode_text(data, origin=origin)
        if kind in (".html", ".htm") or looks_like_html(text):
            yield read_html_report(text, origin=origin, given=given, given_wins=given_wins, furniture=furniture)
        else:
            yield build_report(text, origin=origin, given=given, given_wins=given_wins, furniture=furniture)
    except ReportError as e:
        yield Skipped(origin=e.origin, reason=e.reason)


def _report_files(directory: Path) -> Iterator[Path]:
    found = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIXES):
                found.append(Path(root, name))
    yield from sorted(found, key=lambda p: p.relative_to(directory).as_posix())


def _logged(items: Iterator[Report | Skipped]) -> Iterator[Report | Skipped]:
    for item in items:
        if isinstance(item, Skipped):
            log.info("skipped %s", item)
        yield item
