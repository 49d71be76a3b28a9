"""Geoparsing throughput on TR-News (`warmonitor places`), and the gazetteer's warm load time.

Run (from the project root):

    .venv/bin/python benchmarks/bench_places.py              # the 118 TR-News articles, best of 2
    .venv/bin/python benchmarks/bench_places.py --repeat 3

What it measures (single process, after one untimed warm-up pass over 10 articles):

- gazetteer:  `Gazetteer.load()` from its cache (the cache is built first if missing), best of 3;
- bare spaCy: `list(nlp.pipe(texts))` with the model warmonitor chooses;
- places --parsed: `list(Pipeline.places_many(reports, parsed=True))`: the same parse plus the
              domain matcher and place resolution;
- places:     `list(Pipeline.places_many(reports))`, the default: `places_pipeline` (tokenizer,
              sentences, domain matcher; no statistical model) and the same resolution.

It prints reports/s for each side and the ratios. The issue's target is 50 reports/s for `places` on
one core; the bare spaCy figure shows how much of that the statistical parse alone would allow on this
machine, which is why the default leaves it out. The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "geo" / "TR-News.xml"


def read_texts(corpus: Path) -> list[str]:
    texts = []
    for article in ET.parse(corpus).getroot():
        node = article.find("text")
        if node is not None and node.text and node.text.strip():
            texts.append(node.text)
    return texts


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if not args.corpus.exists():
        sys.exit(f"{args.corpus}: no such corpus (the shared folder must sit beside the project)")

    import spacy

    from warmonitor.pipeline import Pipeline
    from warmonitor.records import Report
    from warmonitor.resolve.gazetteer import Gazetteer

    Gazetteer.load()  # builds the cache when missing
    load = best_of(3, Gazetteer.load)
    texts = read_texts(args.corpus)
    reports = [Report(text=t) for t in texts]
    pipeline = Pipeline.load()
    from warmonitor.nlp import choose_model
    from warmonitor.settings import load_settings
    bare = spacy.load(choose_model(load_settings()["nlp"]["models"]))
    list(bare.pipe(texts[:10]))
    list(pipeline.places_many(reports[:10]))
    list(pipeline.places_many(reports[:10], parsed=True))
    bare_s = best_of(args.repeat, lambda: list(bare.pipe(texts)))
    parsed_s = best_of(args.repeat, lambda: list(pipeline.places_many(reports, parsed=True)))
    places_s = best_of(args.repeat, lambda: list(pipeline.places_many(reports)))
    print(f"corpus {args.corpus.name}: {len(texts)} articles, {sum(map(len, texts))} chars, best of {args.repeat}")
    print(f"gazetteer warm load: {load:.2f} s")
    print(f"{'side':16} {'seconds':>8} {'reports/s':>10}")
    print(f"{'bare spaCy':16} {bare_s:8.2f} {len(texts) / bare_s:10.1f}")
    print(f"{'places --parsed':16} {parsed_s:8.2f} {len(texts) / parsed_s:10.1f}")
    print(f"{'places':16} {places_s:8.2f} {len(texts) / places_s:10.1f}")
    print(f"ratio places/bare spaCy throughput: {bare_s / places_s:.2f}; places/places --parsed: {parsed_s / places_s:.2f}; "
          f"target 50 reports/s: {'met' if len(texts) / places_s >= 50 else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
