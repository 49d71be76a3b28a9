"""Page furniture and wire credits: what is around a story but not part of it.

Input: a report's raw text. Output: `Cleaned` — the text without furniture lines ("Share",
"Comments", "© 2024 ...") at its edges or "Advertisement" lines anywhere, without trailing wire credit
lines ("With AFP", "(Reuters)", "— AP"), plus the agency those credits or a leading dateline
("BEIRUT (Reuters) -") name, and the lines removed (so the decision can explain itself).

Only whole lines are removed; the dateline stays in the text. The cleaned text is what
`Report.text` holds, so every downstream character offset refers to it.

The patterns are data: `warmonitor/data/furniture.toml`, loaded through `importlib.resources`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tomllib

from ..errors import ReferenceDataError
from ..refdata import data_text

#: Decoration trimmed from both ends of a line before it is matched ("Share:", "» Read more").
_DECORATION = " \t\u00a0:|•·»>.!"
_ANONYMOUS_AGENCIES = r"(?:news )?agencies|wires"


@dataclass(frozen=True)
class Cleaned:
    """A text with its furniture removed, the agency its credits name, and the lines removed."""

    text: str
    agency: str | None
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """Compiled furniture and wire-credit patterns. Build once (`default_furniture()` or
    `Furniture.from_toml(...)`) and pass it to the readers."""

    edge_lines: re.Pattern
    anywhere_lines: re.Pattern
    credit_lines: tuple[re.Pattern, ...]
    byline_credit_lines: re.Pattern
    agency_names: re.Pattern
    canonical: dict[str, str]  # lower-cased spelling -> canonical agency name
    dateline: re.Pattern

    @classmethod
    def from_toml(cls, source: str, *, origin: str = "furniture.toml") -> Furniture:
        try:
            config = tomllib.loads(source)
            lines, wire = config["lines"], config["wire"]
            agencies: dict[str, list[str]] = wire["agencies"]
            canonical = {spelling.lower(): name for name, spellings in agencies.items() for spelling in spellings}
            # Longest spelling first, so "Associated Press" wins over "AP" inside it.
            spellings = sorted({s for ss in agencies.values() for s in ss}, key=len, reverse=True)
            agency = "|".join(re.escape(s) for s in spellings)
            one = rf"(?:{agency}|{_ANONYMOUS_AGENCIES})"
            several = rf"(?P<agencies>{one}(?:\s*(?:,|and|&|/|\+)\s*{one})*)"
            return cls(
                edge_lines=_whole_line(lines["edges"]),
                anywhere_lines=_whole_line(lines["anywhere"]),
                credit_lines=tuple(
                    re.compile(p.replace("{agencies}", several), re.IGNORECASE) for p in wire["credit_lines"]
                ),
                byline_credit_lines=_whole_line(wire["byline_credit_lines"]),
                agency_names=re.compile(rf"(?<!\w)(?:{agency})(?!\w)", re.IGNORECASE),
                canonical=canonical,
                dateline=re.compile(wire["dateline"].replace("{agency}", agency)),
            )
        except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError, re.error) as e:
            raise ReferenceDataError(f"{origin}: invalid furniture patterns ({type(e).__name__}: {e})") from e

    @classmethod
    def load(cls, path: str | Path | None = None) -> Furniture:
        """The shipped patterns, or those in `path` (a file with the same layout)."""
        if path is None:
            return cls.from_toml(data_text("furniture.toml"))
        return cls.from_toml(Path(path).read_text(encoding="utf-8"), origin=str(path))

    def agency_in(self, words: str) -> str | None:
        """The canonical name of the first agency named in `words`, or None ("agencies")."""
        m = self.agency_names.search(words)
        return self.canonical.get(m.group(0).lower()) if m else None

    def credit(self, line: str) -> tuple[bool, str | None]:
        """Whether `line` is a wire credit line, and the agency it names."""
        core = line.strip(_DECORATION)
        for pattern in self.credit_lines:
            m = pattern.fullmatch(core)
            if m:
                named = m.groupdict().get("agencies") or ""
                return True, self.agency_in(named)
        return bool(self.byline_credit_lines.fullmatch(core)), None

    def is_edge_furniture(self, line: str) -> bool:
        core = line.strip(_DECORATION)
        return bool(core) and bool(self.edge_lines.fullmatch(core) or self.anywhere_lines.fullmatch(core))

    def dateline_agency(self, text: str) -> str | None:
        """The agency named in a dateline at the start of `text` ("BEIRUT (Reuters) -")."""
        m = self.dateline.match(text.lstrip()[:200])
        return self.canonical.get(m.group(1).lower()) if m else None

    def clean(self, text: str) -> Cleaned:
        """Remove furniture lines and trailing credit lines; find the agency the text names.

        Edges are peeled line by line: from the end, blank, furniture and credit lines until the
        first line of story; from the start, blank and furniture lines. The dateline agency, when
        there is one, is preferred over a trailing credit (a dateline names the story's author,
        "With AFP" may only name a contributor)."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        removed: list[str] = []
        credited: str | None = None
        while lines:
            last = lines[-1]
            if not last.strip() or self.is_edge_furniture(last):
                removed.append(lines.pop())
                continue
            is_credit, agency = self.credit(last)
            if not is_credit:
                break
            removed.append(lines.pop())
            credited = agency or credited  # peeling backwards: the earliest credit line wins
        head = 0
        while head < len(lines) and (not lines[head].strip() or self.is_edge_furniture(lines[head])):
            head += 1
        removed[:0] = lines[:head]
        body = []
        for line in lines[head:]:
            if line.strip() and self.anywhere_lines.fullmatch(line.strip(_DECORATION)):
                removed.append(line)
            else:
                body.append(line)
        cleaned = "\n".join(body).strip()
        agency = self.dateline_agency(cleaned) or credited
        return Cleaned(text=cleaned, agency=agency, removed=tuple(r for r in removed if r.strip()))


def _whole_line(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def default_furniture() -> Furniture:
    """The shipped patterns, compiled once per process (the object is immutable)."""
    return Furniture.load()
