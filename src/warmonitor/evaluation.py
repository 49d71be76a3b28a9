"""Scoring the coder on short event notes with their gold coding (tests/fixtures/notes/*.jsonl).

A notes file holds one JSON object a line: id, text, published, kind ("positive" or "near_miss") and
the events that should be coded, each with event_type, sub_event_type, date, fatalities and actors
(groups of acceptable names). `write_gold` turns such a file into what ../shared/tools/score.py
reads with --pairs (one reports.jsonl and a gold folder); `score_notes` runs the pipeline over the
notes and scores them here, per field and per sub-event type, so that a failing type can be read
off directly.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from .outputs.contract import extraction_to_dict
from .records import Report, Skipped
from .resolve.actors import without_period


@dataclass
class NotesScore:
    """What `score_notes` measured."""

    notes: int = 0
    gold_events: int = 0
    found: int = 0
    extra: int = 0
    fatalities_right: int = 0
    actors_asked: int = 0
    actors_right: int = 0
    by_type: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.extra) if self.found + self.extra else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold_events if self.gold_events else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fatalities(self) -> float:
        return self.fatalities_right / self.found if self.found else 0.0

    @property
    def actors(self) -> float:
        return self.actors_right / self.actors_asked if self.actors_asked else 0.0

    def summary(self) -> str:
        return (f"notes={self.notes} events: P={self.precision:.2f} R={self.recall:.2f} F1={self.f1:.2f} "
                f"({self.found}/{self.gold_events} found, {self.extra} extra) "
                f"fatalities={self.fatalities_right}/{self.found} ({self.fatalities:.2f}) "
                f"actors={self.actors_right}/{self.actors_asked} ({self.actors:.2f})")


def read_notes(paths: Iterable[Path]) -> list[dict]:
    notes = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if line.strip():
                try:
                    notes.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc
    return notes


def note_report(note: dict) -> Report:
    return Report(id=note["id"], text=note["text"], published=date.fromisoformat(note["published"]),
                  origin=note["id"])


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().replace("-", " ").split())


def _actor_matches(name: str | None, group: list[str]) -> bool:
    """An actor matches a gold group when its name equals an alias, or either contains the other
    after the period is dropped ("Military Forces of Mali (2021-)" ~ "Military Forces of Mali")."""
    got = _norm(without_period(name or ""))
    if not got:
        return False
    for alias in group:
        want = _norm(without_period(alias))
        if want and (got == want or f" {want} " in f" {got} " or f" {got} " in f" {want} "):
            return True
    return False


def _matches(event: dict, want: dict) -> bool:
    if event.get("event_type") != want["event_type"] or event.get("sub_event_type") != want["sub_event_type"]:
        return False
    if not event.get("event_date"):
        return False
    day, gold = date.fromisoformat(event["event_date"]), date.fromisoformat(want["date"])
    return abs((day - gold).days) <= 1 if want.get("date_approximate") else day == gold


def score_notes(pipeline, notes: list[dict]) -> NotesScore:
    """Run the pipeline over the notes and score events (type, sub-type and date right), fatalities
    (exact, on matched events) and actors (each gold group matched by actor1 or actor2)."""
    score = NotesScore(notes=len(notes))
    results = pipeline.extract_many(note_report(n) for n in notes)
    for note, extraction in zip(notes, results):
        out = {"events": []} if isinstance(extraction, Skipped) else extraction_to_dict(extraction)
        system = list(out["events"])
        used: set[int] = set()
        for want in note.get("events", []):
            score.gold_events += 1
            tally = score.by_type[want["sub_event_type"]]
            tally["gold"] += 1
            match = next((i for i, e in enumerate(system) if i not in used and _matches(e, want)), None)
            if match is None:
                got = [(e["sub_event_type"], e["event_date"]) for e in system]
                score.misses.append(f"{note['id']}: missed {want['sub_event_type']} {want['date']} "
                                    f"(got {got}) :: {note['text'][:160]}")
                continue
            used.add(match)
            event = system[match]
            score.found += 1
            tally["found"] += 1
            if event.get("fatalities") == want.get("fatalities", 0):
                score.fatalities_right += 1
            else:
                score.misses.append(f"{note['id']}: fatalities {event.get('fatalities')} != {want.get('fatalities', 0)}"
                                    f" :: {note['text'][:160]}")
            for group in want.get("actors", []):
                score.actors_asked += 1
                if any(_actor_matches(event.get(k), group) for k in ("actor1", "actor2")):
                    score.actors_right += 1
                else:
                    score.misses.append(f"{note['id']}: actors {event.get('actor1')!r}/{event.get('actor2')!r} lack "
                                        f"{group[0]!r} :: {note['text'][:120]}")
        for i, event in enumerate(system):
            if i not in used:
                score.extra += 1
                score.by_type[event["sub_event_type"]]["extra"] += 1
                score.misses.append(f"{note['id']}: extra {event['sub_event_type']} {event['event_date']}"
                                    f" :: {note['text'][:160]}")
    return score


def write_gold(notes: list[dict], out_dir: Path) -> None:
    """reports.jsonl and gold/<id>.expected.json in out_dir, for score.py --pairs."""
    gold_dir = out_dir / "gold"
    gold_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "reports.jsonl", "w", encoding="utf-8") as reports:
        for note in notes:
            reports.write(json.dumps({"id": note["id"], "text": note["text"], "published": note["published"]}) + "\n")
            events = []
            for k, want in enumerate(note.get("events", [])):
                day = date.fromisoformat(want["date"])
                slack = timedelta(days=1 if want.get("date_approximate") else 0)
                events.append({"id": f"{note['id']}-{k}", "event_type": want["event_type"],
                               "sub_event_type": want["sub_event_type"], "date_start": (day - slack).isoformat(),
                               "date_end": (day + slack).isoformat(), "fatalities": want.get("fatalities", 0),
                               "actors_soft": want.get("actors", [])})
            gold = {"report": note["id"], "published": note["published"], "events": events}
            (gold_dir / f"{note['id']}.expected.json").write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
