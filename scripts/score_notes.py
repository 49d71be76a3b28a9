"""Score the coder on event notes with gold coding (default: tests/fixtures/notes/*.jsonl).

    .venv/bin/python scripts/score_notes.py [NOTES.jsonl ...] [--misses] [--gold-dir DIR]

Prints one summary line (event P/R/F1 with type, sub-type and date right; fatalities exact on matched
events; actors), a table per sub-event type, and with --misses every missed, extra or mis-coded
note. --gold-dir also writes the notes as reports.jsonl + gold/ for ../shared/tools/score.py --pairs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from warmonitor.evaluation import read_notes, score_notes, write_gold  # noqa: E402
from warmonitor.pipeline import Pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list every miss, extra and wrong field")
    parser.add_argument("--gold-dir", type=Path, help="also write reports.jsonl and gold/ here for score.py")
    args = parser.parse_args()
    paths = args.notes or sorted((REPO / "tests" / "fixtures" / "notes").glob("*.jsonl"))
    if not paths:
        sys.exit("no notes files given and none in tests/fixtures/notes/")
    notes = read_notes(paths)
    if args.gold_dir:
        write_gold(notes, args.gold_dir)
    score = score_notes(Pipeline.load(), notes)
    print(score.summary())
    print(f"{'sub-event type':40} {'gold':>5} {'found':>5} {'extra':>5}")
    for kind in sorted(score.by_type):
        tally = score.by_type[kind]
        print(f"{kind:40} {tally['gold']:5} {tally['found']:5} {tally['extra']:5}")
    if args.misses:
        print("\n".join(score.misses))


if __name__ == "__main__":
    main()
