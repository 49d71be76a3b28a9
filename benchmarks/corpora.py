"""The evaluation corpora the triage and scale benchmarks read, as warmonitor Reports.

All of them live in ../shared (never needed by the installed product):

- `fakes_reports`: the FA-KES articles (conflict reports, 804 long articles about the Syrian war);
- `ucdp_headlines`: the distinct SOHR headlines of the UCDP GED Syria events (short conflict reports);
- `geo_reports`: the TR-News and LGL articles (news, mostly about no conflict);
- `other_news`: the TR-News and LGL articles listed in tests/fixtures/triage/other_news.txt, the set of
  "news without conflict content" (how it was chosen is in that file's header);
- `ucdp_coded`: the UCDP headlines listed in tests/fixtures/triage/ucdp_coded.txt, those in which the full
  extractor codes at least one event.

`write_id_lists` rebuilds both lists by running the full extractor (a few minutes).
"""
from __future__ import annotations

import csv
import json
import logging
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "triage"
OTHER_NEWS = FIXTURES / "other_news.txt"
UCDP_CODED = FIXTURES / "ucdp_coded.txt"
# articles the full extractor codes nothing in that still tell of violence or a security scare: left out
NOT_OTHER_NEWS = {"LGL:39068079": "vandals desecrate graves", "LGL:44238160": "knife held to a taxi driver's throat",
                  "LGL:42496805": "bomb squad called out"}

log = logging.getLogger(__name__)


def _report(text: str, **fields):
    from warmonitor.errors import WarmonitorError
    from warmonitor.reports import read_text_report
    try:
        return read_text_report(text, **fields)
    except WarmonitorError as exc:
        log.info("left out %s: %s", fields.get("origin"), exc)
        return None


def fakes_reports(shared: Path = SHARED, limit: int | None = None) -> list:
    """The FA-KES articles as reports (origin fa-kes:ROW), published on their `date` (M/D/YYYY) when it parses."""
    with (shared / "corpus" / "fa-kes-syria-war-news.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:limit]
    out = []
    for i, row in enumerate(rows):
        try:
            published = datetime.strptime(row["date"].strip(), "%m/%d/%Y").date()
        except ValueError:
            published = None
        out.append(_report(row["article_content"], origin=f"fa-kes:{i}", published=published))
    return [r for r in out if r is not None]


def ucdp_headlines(shared: Path = SHARED) -> list:
    """Each distinct SOHR headline once, as a report (origin ucdp:EVENT_ID of its first event)."""
    seen, out = set(), []
    with (shared / "eval" / "ucdp-ged-syria-2016-2019.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            headline = (row.get("source_headline") or "").strip()
            if headline and headline not in seen:
                seen.add(headline)
                published = date.fromisoformat(row["source_date"].split(";")[0]) if row.get("source_date") else None
                out.append(_report(headline, origin=f"ucdp:{row['id']}", published=published))
    return [r for r in out if r is not None]


def geo_reports(shared: Path = SHARED) -> list:
    """The TR-News and LGL articles (origin TR-News:DOCID, LGL:DOCID), with their titles."""
    out = []
    for corpus in ("TR-News", "LGL"):
        for article in ET.parse(shared / "eval" / "geo" / f"{corpus}.xml").getroot().iter("article"):
            title = " ".join((article.findtext("title") or "").split()) or None
            out.append(_report((article.findtext("text") or "").strip(), origin=f"{corpus}:{article.get('docid')}",
                               title=title))
    return [r for r in out if r is not None]


def listed(path: Path) -> set[str]:
    return {line.split()[0] for line in path.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")}


def other_news(shared: Path = SHARED) -> list:
    keep = listed(OTHER_NEWS)
    return [r for r in geo_reports(shared) if r.origin in keep]


def ucdp_coded(shared: Path = SHARED) -> list:
    keep = listed(UCDP_CODED)
    return [r for r in ucdp_headlines(shared) if r.origin in keep]


def write_id_lists(pipeline, shared: Path = SHARED) -> None:
    """Run the full extractor over the TR-News/LGL articles and the UCDP headlines and write both lists."""
    from warmonitor.records import Skipped

    other = []
    geo = geo_reports(shared)
    for report, found in zip(geo, pipeline.extract_many(geo)):
        if not isinstance(found, Skipped) and not found.mentions and report.origin not in NOT_OTHER_NEWS:
            other.append(f"{report.origin}  {report.title or ''}")
    OTHER_NEWS.write_text(
        "# News without conflict content: the TR-News and LGL articles (../shared/eval/geo) in which the full\n"
        "# extractor finds no event mention of any modality (written by benchmarks/corpora.py write_id_lists).\n"
        "# Every title was read by hand; the three that still tell of violence or a security scare are left out\n"
        f"# ({', '.join(f'{k} {v}' for k, v in NOT_OTHER_NEWS.items())}).\n"
        f"# {len(other)} of {len(geo)} articles.\n" + "\n".join(other) + "\n", "utf-8")
    coded = []
    headlines = ucdp_headlines(shared)
    for report, found in zip(headlines, pipeline.extract_many(headlines)):
        if not isinstance(found, Skipped) and found.events:
            coded.append(report.origin)
    UCDP_CODED.write_text(
        "# The distinct UCDP GED Syria headlines (ucdp:ID of the first event carrying each) in which the full\n"
        "# extractor codes at least one event: the conflict reports triage must keep (benchmarks/corpora.py).\n"
        f"# {len(coded)} of {len(headlines)} headlines.\n" + "\n".join(coded) + "\n", "utf-8")
