"""The dashboard and the situation report in a real browser: Playwright driving Debian's chromium
(`executable_path`: no browser is downloaded), against a real `warmonitor serve` process. Requests
that would leave this machine are refused and recorded, so a page that needs a CDN or a tile server
fails here. Screenshots go to test-output/ (or $WARMONITOR_TEST_OUTPUT).

Set WARMONITOR_NO_BROWSER=1 to skip these tests on a machine without chromium; `.ci/run` installs it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

from warmonitor.reports import iter_reports, read_text_report
from warmonitor.store import Store
from webserver import request, start

REPO = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("WARMONITOR_TEST_OUTPUT", REPO / "test-output"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]
HOSTILE = ('Gunmen <script>window.__pwned = 1</script> killed two villagers <img src=x onerror="window.__pwned = 2"> '
           'in Kafr Nabudah on Monday, <b>residents</b> said.')


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("WARMONITOR_NO_BROWSER"):
        pytest.skip("WARMONITOR_NO_BROWSER is set")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser tests (apt-get install chromium; .ci/run does), "
                    "or set WARMONITOR_NO_BROWSER=1 to skip them")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def store_url(pipeline, shared_dir, tmp_path_factory) -> str:
    """The reference report, the three later reports of the store's tests, and a hostile one."""
    db = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'wm.db'}"
    store = Store.open(db)
    seed = read_text_report((shared_dir / "corpus" / "seed-hama.txt").read_text("utf-8"), origin="seed",
                            published=date(2024, 12, 3), publisher="AFP")
    hostile = read_text_report(HOSTILE, origin="hostile", published=date(2024, 12, 3),
                               publisher='<i>Evil</i> "Wire"<script>window.__pwned = 3</script>')
    for report in [seed, *iter_reports(REPO / "tests" / "fixtures" / "store" / "feed.jsonl"), hostile]:
        store.save(pipeline.extract(report))
    store.close()
    return db


@pytest.fixture(scope="module")
def server(store_url):
    process, base = start(store_url)
    yield base
    process.terminate()
    process.wait(timeout=30)


def _page(browser, *, allowed_host: str | None):
    """A new page whose requests may only go to `allowed_host` (or nowhere but files); the others
    are aborted and listed in page.outside. Dialogs (alert) are recorded in page.dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, offline=allowed_host is None)
    page = context.new_page()
    page.outside, page.dialogs, page.errors, page.requested = [], [], [], []

    def route(r):
        url = urlparse(r.request.url)
        page.requested.append(r.request.url)
        if url.scheme in ("data", "file") or (allowed_host and url.netloc == allowed_host):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def _ready(page) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


@pytest.mark.shared
def test_the_dashboard_shows_events_their_evidence_and_filters_by_type(browser, server, store_url):
    page = _page(browser, allowed_host=urlparse(server).netloc)
    page.goto(server + "/")
    _ready(page)
    store = Store.open(store_url)
    placed = [e for e in store.events() if e.event.latitude is not None]
    # the events are on the map: single events as coloured circles, the others counted in clusters
    dots = page.locator("path.wm-event")
    clusters = page.locator(".wm-cluster")
    shown = dots.count() + sum(int(c.replace(",", "")) for c in clusters.all_text_contents())
    assert dots.count() >= 1 and shown == len(placed)
    assert page.locator("path.leaflet-interactive, svg path").count() > dots.count()  # the base map is drawn
    # click one the reference report tells: the panel shows its sources and the sentences behind it,
    # each marked where it stands in its report
    seed_id = next(r.id for r in store.reports() if r.origin == "seed")
    seed_events = {e.id for e in placed if e.report_id == seed_id}
    on_map = [d.get_attribute("data-event") for d in dots.all()]
    chosen = next(i for i in on_map if i in seed_events)
    page.locator(f'path.wm-event[data-event="{chosen}"]').click()
    page.wait_for_selector("#event mark")
    shown_id = page.locator("#event").get_attribute("data-id")
    assert shown_id == chosen
    status, event = request(server, f"/api/events/{shown_id}")
    marked = page.locator("#event mark").all_text_contents()
    assert status == 200 and marked == [ev["text"] for ev in event["evidence"]]
    panel = page.locator("#event").inner_text()
    assert all(source in panel for source in event["source"])
    assert page.url.endswith(f"#event={chosen}")  # a link that opens this event
    linked = _page(browser, allowed_host=urlparse(server).netloc)
    linked.goto(page.url)
    _ready(linked)
    linked.wait_for_selector("#event mark")
    assert linked.locator("#event").get_attribute("data-id") == chosen
    linked.context.close()
    assert page.locator("#event blockquote").first.inner_text().strip() != marked[0].strip()  # with its context
    # a place's control history: the capture of Aleppo, on AFP's word
    page.locator("#rows tr", has_text="Aleppo").first.click()
    page.wait_for_selector("#control li")
    assert "Hayat Tahrir al-Sham took Aleppo from Military Forces of Syria" in page.locator("#control").inner_text()
    # the places that changed hands are on the map too, and lead to the same history
    taken = {(c.place, c.country) for c in store.control_changes() if c.latitude is not None}
    assert page.locator(".wm-control").count() == len(taken) >= 2
    page.locator('.wm-control[title^="Suran"]').click()
    page.wait_for_function("document.querySelector('#control').innerText.includes('took Suran')")
    # competing figures side by side: the UN's 50,000 displaced and the Observatory's 48,000
    figures = page.locator("#figures-chart .figure-group", has_text="displaced in Syria").inner_text()
    assert "50,000" in figures and "48,000" in figures and "United Nations" in figures
    # filter by type: the map, the table and the count follow
    page.select_option("select[name=type]", "Explosions/Remote violence")
    page.click("#filters button[type=submit]")
    _ready(page)
    strikes = [e for e in placed if e.event.event_type == "Explosions/Remote violence"]
    dots = page.locator("path.wm-event")
    assert 0 < dots.count() <= len(strikes)
    assert dots.count() == page.locator("path.wm-type-explosions-remote-violence").count()
    total = len(store.events(event_type="Explosions/Remote violence"))
    assert page.locator("#table-count").inner_text() == f"({total})" and page.locator("#rows tr").count() == total
    # the time range: from and to are both included
    page.select_option("select[name=type]", "")
    page.fill("input[name=since]", "2024-12-04")
    page.fill("input[name=until]", "2024-12-05")
    page.click("#filters button[type=submit]")
    _ready(page)
    period = store.events(since=date(2024, 12, 4), until=date(2024, 12, 6))
    assert period and page.locator("#table-count").inner_text() == f"({len(period)})"
    assert sorted(page.locator("#rows tr td:first-child").all_text_contents()) == sorted(
        str(e.event.event_date) for e in period)
    # a bar of the timeline sets the period to its day
    page.locator("#timeline-chart rect.bar").first.click()
    _ready(page)
    first_day = min(e.event.event_date for e in period)
    assert page.input_value("input[name=since]") == page.input_value("input[name=until]") == str(first_day)
    page.select_option("select[name=type]", "Explosions/Remote violence")
    page.fill("input[name=since]", "")
    page.fill("input[name=until]", "")
    page.click("#filters button[type=submit]")
    _ready(page)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    # with every type again, a cluster opens up when clicked (nothing drawn over it takes the click)
    page.select_option("select[name=type]", "")
    page.click("#filters button[type=submit]")
    _ready(page)
    page.evaluate("map.setZoom(6)")
    page.wait_for_function("document.querySelectorAll('.wm-cluster').length > 0")
    page.locator(".wm-cluster").first.click(timeout=5000)
    page.wait_for_function("map.getZoom() > 6")
    assert not page.outside and not page.errors, (page.outside, page.errors)


@pytest.mark.shared
def test_report_text_cannot_run_or_break_the_dashboard(browser, server, store_url):
    page = _page(browser, allowed_host=urlparse(server).netloc)
    page.goto(server + "/")
    _ready(page)
    row = page.locator("#rows tr", has_text="Kafr Nabudah")
    assert row.count() >= 1
    row.first.click()
    page.wait_for_selector("#event mark")
    panel = page.locator("#event").inner_text()
    # the tags are shown as the text they are, and none of them ran or loaded anything
    assert "<script>window.__pwned = 1</script>" in panel and "onerror" in panel
    assert "<i>Evil</i>" in page.locator("#rows").inner_text() or "<i>Evil</i>" in panel
    assert page.evaluate("window.__pwned") is None and not page.dialogs
    assert page.locator("#event script, #event img, #rows script, #rows img, #rows i, #event b").count() == 0
    assert not [u for u in page.requested if urlparse(u).path.rstrip("/").endswith("/x")]
    assert not page.errors, page.errors


@pytest.mark.shared
def test_the_situation_report_renders_its_map_and_chart_with_the_network_off(browser, store_url, tmp_path):
    out = tmp_path / "sitrep.html"
    made = subprocess.run([sys.executable, "-m", "warmonitor.cli", "report", "--db", store_url, "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert made.returncode == 0, made.stderr
    page = _page(browser, allowed_host=None)
    page.goto(out.as_uri())
    dots = page.locator("svg.event-map circle.event")
    assert dots.count() == len([e for e in Store.open(store_url).events() if e.event.latitude is not None])
    box = dots.first.bounding_box()
    assert box and box["width"] > 3  # drawn, at a size one can see
    map_box = page.locator("svg.event-map").bounding_box()
    assert map_box["width"] > 400 and map_box["height"] > 250
    assert page.locator("svg.event-map path.country").count() >= 1
    assert page.locator("svg.daily-chart rect.bar").count() >= 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "sitrep.png"), full_page=True)
    # printed, it takes the A4 pages its style asks for (595 x 842 points)
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {tuple(round(float(x)) for x in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)}
    assert sizes == {(595, 842)}
    assert not page.outside and page.evaluate("window.__pwned") is None and not page.dialogs
