"""Situation reports (issue 6, third part): Markdown and one self-contained, escaped HTML page."""
from __future__ import annotations

import base64
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from warmonitor.reports import iter_reports, read_text_report
from warmonitor.store import Store

REPO = Path(__file__).resolve().parent.parent


def report(db: str, out: Path, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "warmonitor.cli", "report", "--db", db, "--out", str(out), *args],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out.read_text("utf-8")


@pytest.mark.shared
def test_a_markdown_sitrep_tells_the_key_changes_and_keeps_every_claim(pipeline, shared_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    store = Store.open(db)
    seed = read_text_report((shared_dir / "corpus" / "seed-hama.txt").read_text("utf-8"), origin="seed",
                            published=date(2024, 12, 3), publisher="AFP")
    for r in [seed, *iter_reports(REPO / "tests" / "fixtures" / "store" / "feed.jsonl")]:
        store.save(pipeline.extract(r))
    text = report(db, tmp_path / "sitrep.md", "--country", "Syria", "--since", "2024-11-25")
    assert text.startswith("# Situation report: Syria")
    assert "Hayat Tahrir al-Sham took Aleppo from Military Forces of Syria" in text
    assert "## Events per day by type" in text and "| 2024-12-03 |" in text
    assert "50,000 in Syria according to United Nations" in text and "48,000 in Syria according to Syrian Observatory" in text
    assert text.count("\n  > ") >= len(store.events())  # the sentence behind each event
    # the map and the chart travel inside the Markdown file, as SVG data URIs
    drawn = [base64.b64decode(uri).decode("utf-8") for uri in re.findall(r"\(data:image/svg\+xml;base64,([^)]+)\)", text)]
    assert len(drawn) == 2 and "## Map of events" in text
    placed = [e for e in store.events(country="Syria", since=date(2024, 11, 25)) if e.event.latitude is not None]
    assert drawn[0].count('class="event"') == len(placed) > 3 and 'class="country"' in drawn[0]
    assert 'class="bar"' in drawn[1]
    html_page = report(db, tmp_path / "sitrep.html", "--country", "Syria", "--since", "2024-11-25")
    assert html_page.count('<circle class="event"') == len(placed) and "<title>" in html_page
    assert 'class="admin1"' in html_page  # Syria's governorates are drawn around the events


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def test_report_text_is_escaped_in_the_html_page(pipeline, tmp_path):
    db = f"sqlite:///{tmp_path / 'wm.db'}"
    store = Store.open(db)
    hostile = read_text_report(
        'Gunmen <script>alert("x")</script> killed two villagers <img src=x onerror="alert(1)"> in Kafr Nabudah '
        'on Monday, <b>residents</b> said.', origin="hostile", published=date(2024, 12, 3),
        publisher='<i>Evil</i> "Wire"')
    store.save(pipeline.extract(hostile))
    page = report(db, tmp_path / "sitrep.html")
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "i" not in parsed.tags
    assert not [a for a in parsed.attrs if a.startswith("on")]
    assert "&lt;script&gt;" in page and "@page{size:A4" in page
    assert "http" not in page.split("<body>", 1)[0]  # no outside asset


def test_a_sitrep_needs_a_markdown_or_html_file_name(tmp_path):
    result = subprocess.run([sys.executable, "-m", "warmonitor.cli", "report", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                             "--out", str(tmp_path / "sitrep.pdf")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and ".md or an .html" in result.stderr
