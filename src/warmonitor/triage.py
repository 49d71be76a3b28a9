"""Triage: a fast relevance filter in front of the parser.

A report that names no conflict at all (a school board meeting, a recipe, a road closure) costs the
full spaCy parse and gives nothing. Triage reads the raw text once with an Aho-Corasick automaton
over a lexicon of conflict words (`data/triage.toml`, drawn from the trigger lexicon and the generic
actor nouns) and scores it: each distinct lexicon term found adds its weight, and a report scoring
below the threshold is set aside, with a verdict that says why (the score and the words it found).

    triage = Triage.load()
    verdict = triage.judge(report.text)     # TriageVerdict(relevant, score, terms)

Terms are lower-case; a term ending in "*" matches any word it starts ("airstrike*" matches
"airstrikes"), any other term matches a whole word. Words are delimited by anything that is not a
letter or a digit, so "air-strike" and "pro-regime" read as their parts too.

A short text (a headline, a post: `short_chars` characters or fewer) has room for few words, and the
ones it has are what it is about: it passes on a lower threshold, `short_threshold` ("IS stones a man
to death in Deir Ezzor" scores 0.34 on "death" alone).

The threshold trades recall for speed: the shipped one keeps at least 99% of conflict reports
(measured by `benchmarks/eval_triage.py` on UCDP headlines, FA-KES articles and the reference report;
see docs/performance.md) while setting aside nearly all news that tells of no conflict.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import ahocorasick

from .errors import ReferenceDataError
from .records import Report
from .refdata import data_text


@dataclass(frozen=True, kw_only=True)
class TriageVerdict:
    """Whether a report goes on to extraction, and why: its score and the lexicon terms found."""

    relevant: bool
    score: float
    threshold: float
    terms: tuple[str, ...]

    @property
    def why(self) -> str:
        found = ", ".join(self.terms) if self.terms else "no conflict word"
        relation = ">=" if self.relevant else "<"
        return f"conflict score {self.score:g} {relation} {self.threshold:g} ({found})"

    @property
    def skip_reason(self) -> str:
        """The reason a report set aside is stored under (`Store.record_skip`)."""
        return f"set aside by triage: {self.why}"


class Triage:
    """The lexicon compiled into one automaton; `judge(text)` is one pass over the text."""

    def __init__(self, weights: dict[str, float], *, threshold: float, short_threshold: float | None = None,
                 short_chars: int = 0):
        if not weights:
            raise ReferenceDataError("the triage lexicon is empty")
        self.threshold = threshold
        self.short_threshold = threshold if short_threshold is None else short_threshold
        self.short_chars = short_chars
        self.weights = dict(weights)
        self._automaton = ahocorasick.Automaton()
        for term, weight in self.weights.items():
            word = term.rstrip("*")
            self._automaton.add_word(word, (term, len(word), term.endswith("*"), weight))
        self._automaton.make_automaton()

    @classmethod
    def load(cls, path: Path | None = None) -> "Triage":
        """The shipped lexicon (data/triage.toml), or a TOML file of the same form."""
        text = path.read_text("utf-8") if path else data_text("triage.toml")
        try:
            config = tomllib.loads(text)
            weights: dict[str, float] = {}
            for name, group in config["groups"].items():
                for term in group["terms"]:
                    weights[term.lower()] = max(weights.get(term.lower(), 0.0), float(group["weight"]))
            return cls(weights, threshold=float(config["threshold"]),
                       short_threshold=float(config.get("short_threshold", config["threshold"])),
                       short_chars=int(config.get("short_chars", 0)))
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ReferenceDataError(f"the triage lexicon {path or 'data/triage.toml'} is malformed: {exc}") from exc

    def judge(self, text: str) -> TriageVerdict:
        lower = text.lower()
        n = len(lower)
        found: set[str] = set()
        for end, (term, length, prefix, _weight) in self._automaton.iter(lower):
            start = end - length + 1
            if start > 0 and lower[start - 1].isalnum():
                continue  # inside a word: "shell" in "eggshell"
            if not prefix and end + 1 < n and lower[end + 1].isalnum():
                continue  # a longer word: "war" in "warm"
            found.add(term)
        score = sum(self.weights[t] for t in found)
        threshold = self.short_threshold if len(text.strip()) <= self.short_chars else self.threshold
        return TriageVerdict(relevant=score >= threshold, score=round(score, 2), threshold=threshold,
                             terms=tuple(sorted(found)))


def triaged(reports: Iterable[Report], triage: Triage | None,
            set_aside: Callable[[Report, TriageVerdict], None]) -> Iterator[Report]:
    """The reports triage finds relevant; each one it sets aside is handed to `set_aside` with its
    verdict (to be recorded and reported: nothing is dropped silently). Without a triage, every report."""
    if triage is None:
        yield from reports
        return
    for report in reports:
        verdict = triage.judge(report.text)
        if verdict.relevant:
            yield report
        else:
            set_aside(report, verdict)
