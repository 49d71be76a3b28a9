"""Triage (issue 8): how many conflict reports it keeps, how much everyday news it sets aside, how fast.

    .venv/bin/python benchmarks/eval_triage.py
    .venv/bin/python benchmarks/eval_triage.py --rebuild    # first rebuild the two id lists (a few minutes)

Conflict reports (the share kept is the recall, target >= 0.99):
- UCDP headlines with an event: the distinct SOHR headlines of ../shared/eval/ucdp-ged-syria-2016-2019.jsonl
  in which the full extractor codes an event (tests/fixtures/triage/ucdp_coded.txt);
- every distinct UCDP headline, for reference: about 1,000 of them state no event ("Syria Daily Report
  11/03/2016", "R3591", an incident code and a place name), so nothing can be read from them;
- the UCDP headlines that say something: all but the bare report titles, incident codes, addresses and
  place labels (`CONTENTLESS` below), whether the extractor codes an event in them or not;
- the 804 FA-KES articles and the reference report (seed-hama).
News without conflict content (the share set aside is the skip rate): the TR-News and LGL articles in
tests/fixtures/triage/other_news.txt (in which the full extractor finds no mention, titles checked by
hand); and, for reference, every TR-News and LGL article.
Speed: megabytes of text judged per second on one core, over all the texts above.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpora  # noqa: E402


#: a headline that is only a report's title and date, an incident code, a web address, a place label or
#: a dozen characters: "Syria Daily Report 11/03/2016", "R3591", "(S677) Three locations in Raqqa",
#: "Idlib province:"
CONTENTLESS = re.compile(r"^(syria daily report[\s\d/;a-z]*|[A-Z]{1,3}\d+[a-z]?|https?://\S+|.*\(S\d+[a-z]?\).*"
                         r"|[\w\s-]+(province|governorate)[\s\w,]*:?|.{0,12})$", re.I)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the id lists with the full extractor first")
    parser.add_argument("--shared", type=Path, default=corpora.SHARED, help="the shared data folder")
    parser.add_argument("--misses", action="store_true", help="list the conflict reports set aside")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    from warmonitor.reports import read_text_report
    from warmonitor.triage import Triage

    if args.rebuild:
        from warmonitor.pipeline import Pipeline
        corpora.write_id_lists(Pipeline.load(), args.shared)
    triage = Triage.load()
    seed = read_text_report((args.shared / "corpus" / "seed-hama.txt").read_text("utf-8"), origin="seed-hama")
    conflict = [("UCDP headlines with an event", corpora.ucdp_coded(args.shared)),
                ("UCDP headlines, all", corpora.ucdp_headlines(args.shared)),
                ("UCDP headlines that say something", [h for h in corpora.ucdp_headlines(args.shared)
                                                       if not CONTENTLESS.match(h.text.strip())]),
                ("FA-KES articles", corpora.fakes_reports(args.shared)),
                ("reference report", [seed])]
    other = [("other news (TR-News, LGL)", corpora.other_news(args.shared)),
             ("TR-News + LGL, all", corpora.geo_reports(args.shared))]
    print(f"triage: {len(triage.weights)} terms, threshold {triage.threshold:g} "
          f"({triage.short_threshold:g} for texts of {triage.short_chars} characters or fewer)")
    header = f"{'set':<36}{'reports':>8}{'kept':>8}{'set aside':>10}{'share':>8}  measure"
    print(header)
    print("-" * len(header))
    chars, seconds = 0, 0.0
    for name, reports in conflict + other:
        start = time.perf_counter()
        verdicts = [triage.judge(r.text) for r in reports]
        seconds += time.perf_counter() - start
        chars += sum(len(r.text) for r in reports)
        kept = sum(v.relevant for v in verdicts)
        is_conflict = (name, reports) in conflict
        share, measure = (kept / len(reports), "recall") if is_conflict else (1 - kept / len(reports), "skip rate")
        print(f"{name:<36}{len(reports):>8}{kept:>8}{len(reports) - kept:>10}{share:>8.3f}  {measure}")
        if args.misses and is_conflict:
            for report, verdict in zip(reports, verdicts):
                if not verdict.relevant:
                    print(f"    {report.origin}: {report.text[:100]!r} ({verdict.why})")
    print("-" * len(header))
    print(f"speed: {chars / seconds / 1e6:.1f} MB/s of text on one core ({chars:,} characters in {seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
