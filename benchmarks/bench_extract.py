"""Extraction throughput on the FA-KES corpus, as a ratio to bare spaCy measured in the same run.

Run (from the project root):

    .venv/bin/python benchmarks/bench_extract.py                 # all 804 articles, one timed run each
    .venv/bin/python benchmarks/bench_extract.py --limit 200     # the first 200 articles
    .venv/bin/python benchmarks/bench_extract.py --repeat 3      # best of 3 timed runs per side

What it measures (single process, one warm-up of 20 texts per side before timing; with --repeat the
sides take turns, bare then warmonitor, so that other load on the machine weighs on both alike):

- bare:       `spacy.load(model)` then `list(nlp.pipe(texts, batch_size=32))`, with `model` the pipeline
              warmonitor itself chooses (`choose_model(settings["nlp"]["models"])`);
- warmonitor: `list(Pipeline.load().extract_many(reports))`: parsing with the same model plus the
              domain-entity component, mention extraction, resolution and fusion.

Both sides parse the same strings: `report.text` of the reports built (untimed) by
`read_text_report` from the `article_content` column, with `published` from the `date` column (M/D/YYYY)
when it parses. Articles that cannot be read as reports are left out of both sides and counted.

How to read the output: one row per side with texts, characters, seconds (best of --repeat),
chars/s and reports/s; then `ratio` = warmonitor chars/s / bare chars/s. 1.0 means warmonitor adds no
cost over spaCy; the target is >= 0.8 (issue 8; 0.7 before). `Pipeline.load()` (model + gazetteer + registries) is timed
separately and is not part of the ratio. Absolute figures depend on the machine; the ratio travels
better. The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import csv
import logging
import time
from datetime import date, datetime
from pathlib import Path

CORPUS = Path("/work/shared/corpus/fa-kes-syria-war-news.csv")
WARM_UP = 20
BATCH_SIZE = 32


def read_articles(path: Path, limit: int | None) -> list[tuple[str, date | None]]:
    """(article text, published date or None) for the first `limit` rows of the FA-KES CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    articles = []
    for row in rows[:limit]:
        try:
            published = datetime.strptime(row["date"].strip(), "%m/%d/%Y").date()
        except ValueError:
            published = None
        articles.append((row["article_content"], published))
    return articles


def build_reports(articles):
    from warmonitor.errors import WarmonitorError
    from warmonitor.reports import read_text_report

    reports, unreadable = [], 0
    for i, (text, published) in enumerate(articles):
        try:
            reports.append(read_text_report(text, origin=f"fa-kes:{i}", published=published))
        except WarmonitorError:
            unreadable += 1
    return reports, unreadable


def best_of(repeat: int, run) -> tuple[float, object]:
    """The shortest wall time of `repeat` calls of `run`, and the result of the last call."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def print_table(columns: list[tuple[str, int, str]], rows: list[tuple]) -> None:
    """A header, a rule, one line per row, a rule. Columns are (title, width, number format); the first
    is left-aligned, the others right-aligned."""
    (title, width, _), rest = columns[0], columns[1:]
    header = f"{title:<{width}}" + "".join(f"{t:>{w}}" for t, w, _ in rest)
    print(header)
    print("-" * len(header))
    for first, *values in rows:
        print(f"{first:<{width}}" + "".join(f"{v:>{w}{f}}" for v, (_, w, f) in zip(values, rest)))
    print("-" * len(header))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per side; the best counts")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="FA-KES CSV (default: %(default)s)")
    args = parser.parse_args(argv)
    # Library warnings (e.g. unreadable dates) would interleave with the table.
    logging.basicConfig(level=logging.ERROR)

    import spacy
    from warmonitor.nlp import choose_model
    from warmonitor.pipeline import Pipeline
    from warmonitor.settings import load_settings

    reports, unreadable = build_reports(read_articles(args.corpus, args.limit))
    texts = [r.text for r in reports]
    chars = sum(len(t) for t in texts)
    model = choose_model(load_settings()["nlp"]["models"])

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:WARM_UP], batch_size=BATCH_SIZE))
    load_s, pipeline = best_of(1, Pipeline.load)
    list(pipeline.extract_many(reports[:WARM_UP]))
    # the sides take turns, so that other work on the machine weighs on both alike
    bare_s = wm_s = float("inf")
    for _ in range(args.repeat):
        bare_s = min(bare_s, best_of(1, lambda: list(nlp.pipe(texts, batch_size=BATCH_SIZE)))[0])
        seconds, extractions = best_of(1, lambda: list(pipeline.extract_many(reports)))
        wm_s = min(wm_s, seconds)

    events = sum(len(e.events) for e in extractions)
    figures = sum(len(e.figures) for e in extractions)
    changes = sum(len(e.control_changes) for e in extractions)

    print(f"model {model}, spaCy {spacy.__version__}, best of {args.repeat}, warm-up {WARM_UP} texts, "
          f"{unreadable} unreadable article(s) left out")
    print_table([("side", 12, ""), ("texts", 7, ""), ("chars", 11, ""), ("seconds", 10, ".2f"), ("chars/s", 11, ".0f"),
                 ("reports/s", 11, ".1f")],
                [(side, len(texts), chars, seconds, chars / seconds, len(texts) / seconds)
                 for side, seconds in (("bare spaCy", bare_s), ("warmonitor", wm_s))])
    ratio = bare_s / wm_s  # same texts on both sides, so the throughput ratio is the inverse time ratio
    print(f"ratio warmonitor/bare throughput: {ratio:.2f} (target >= 0.80: {'met' if ratio >= 0.8 else 'NOT met'})")
    print(f"Pipeline.load(): {load_s:.2f} s (not in the ratio)")
    print(f"found: {events} events, {figures} figures, {changes} control changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
