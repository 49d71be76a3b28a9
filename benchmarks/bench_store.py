"""The store's speed (issue 5): ingest throughput against `extract --out-dir`, and `events` with
filters on a store of 100,000 events.

    .venv/bin/python benchmarks/bench_store.py                 # 200 FA-KES articles, 100,000 events
    .venv/bin/python benchmarks/bench_store.py --limit 804 --events 100000

1. Ingest vs extract: the same reports (the first --limit FA-KES articles), one process, after a
   warm-up of 10: `extract --out-dir` is `Pipeline.extract_many` + one JSON file per report (what the
   command does); `ingest` is `Pipeline.extract_many` + `Store.save` into a new SQLite file (one
   transaction per report, fusion included). Prints reports/s for both and the ratio (target: ingest
   within 15% of extract, ratio >= 0.85).
2. Queries: --events generated events (20 countries, 15 provinces each, 4 years, 6 sub-event types,
   written straight into the tables, each its own cluster) in a new SQLite file; then `Store.events`
   with the filters an analyst uses (country + province + since + type), best of 5 per query (target:
   under 100 ms).
3. API: the same store served by `warmonitor serve`'s app on a real uvicorn server in a thread;
   GET /api/events with filters, and the dashboard's own queries (/api/map at the world's zoom and at
   a country's, /api/timeline, /api/facets), best of 5 round trips (target: under 200 ms).
4. Dashboard (when chromium is installed): the page opened in headless chromium on that store, the
   time until the map, table, timeline and figures are drawn, and again after filtering by type.
`--queries-only` skips part 1. The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import CORPUS, build_reports, read_articles  # noqa: E402

TYPES = [("Battles", "Armed clash"), ("Battles", "Non-state actor overtakes territory"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest")]


def ingest_vs_extract(limit: int) -> None:
    from warmonitor.outputs.contract import extraction_to_dict
    from warmonitor.pipeline import Pipeline
    from warmonitor.store import Store

    reports, _unreadable = build_reports(read_articles(CORPUS, limit))
    pipeline = Pipeline.load()
    list(pipeline.extract_many(reports[:10]))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        out.mkdir()
        start = time.perf_counter()
        for found in pipeline.extract_many(reports):
            (out / f"{found.report.id}.json").write_text(json.dumps(extraction_to_dict(found), ensure_ascii=False),
                                                         "utf-8")
        extract_s = time.perf_counter() - start
        store = Store.open(f"sqlite:///{Path(folder) / 'ingest.db'}")
        start = time.perf_counter()
        for found in pipeline.extract_many(reports):
            store.save(found)
        ingest_s = time.perf_counter() - start
        store.close()
    n = len(reports)
    print(f"ingest vs extract on {n} FA-KES articles")
    print(f"  extract --out-dir {extract_s:8.2f} s {n / extract_s:8.1f} reports/s")
    print(f"  ingest            {ingest_s:8.2f} s {n / ingest_s:8.1f} reports/s")
    print(f"  ratio ingest/extract throughput: {extract_s / ingest_s:.2f} (target >= 0.85: "
          f"{'met' if extract_s / ingest_s >= 0.85 else 'not met'})")


def generated_store(path: Path, count: int):
    import sqlalchemy as sa

    from warmonitor.store import Store, schema
    store = Store.open(f"sqlite:///{path}")
    rng = random.Random(7)
    countries = [f"Country {i}" for i in range(20)]
    centres = {c: (rng.uniform(-30, 55), rng.uniform(-15, 110)) for c in countries}
    first = date(2021, 1, 1)
    with store.engine.begin() as db:
        db.execute(schema.reports.insert(), [dict(id=f"r{i}", content_hash=f"h{i}", chars=1000, origin="generated",
                                                 ingested_at=datetime(2025, 1, 1), published=first + timedelta(days=i % 1460))
                                            for i in range(count // 5)])
        rows = []
        for i in range(count):
            event_type, sub = rng.choice(TYPES)
            event_id = f"e{i:07d}"
            country = rng.choice(countries)
            lat, lon = centres[country]
            rows.append(dict(id=event_id, report_id=f"r{i // 5}", n=i % 5, cluster_id=event_id, is_lead=True,
                             event_date=first + timedelta(days=rng.randrange(1460)), time_precision=1,
                             event_type=event_type, sub_event_type=sub, actor1="Actor", country=country,
                             admin1=f"Province {rng.randrange(15)}", location=f"Town {rng.randrange(500)}",
                             latitude=lat + rng.uniform(-2, 2), longitude=lon + rng.uniform(-2, 2),
                             geo_precision=1, fatalities=rng.randrange(5), source="Generated", notes="", confidence=0.8))
            if len(rows) == 10_000:
                db.execute(schema.events.insert(), rows)
                rows = []
        if rows:
            db.execute(schema.events.insert(), rows)
        db.execute(sa.text("ANALYZE"))
    return store


def queries(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store = generated_store(Path(folder) / "events.db", count)
        print(f"\nqueries on {count:,} generated events (built in {time.perf_counter() - start:.1f} s)")
        asks = {
            "country + province + since + type": dict(country="Country 3", admin1="Province 7", since=date(2024, 6, 1),
                                                      event_type="Battles"),
            "country + since": dict(country="Country 5", since=date(2024, 10, 1)),
            "country + type + date range": dict(country="Country 9", event_type="Protests", since=date(2023, 1, 1),
                                                until=date(2023, 3, 1)),
        }
        for label, ask in asks.items():
            times = []
            for _ in range(5):
                start = time.perf_counter()
                found = store.events(**ask)
                times.append(time.perf_counter() - start)
            ms = min(times) * 1000
            print(f"  {label:36} {len(found):6d} events {ms:8.1f} ms ({'met' if ms < 100 else 'NOT met'}: < 100 ms)")
        url = str(store.engine.url)
        centre = store.events(country="Country 3", limit=1)[0].event
        store.close()
        api_queries(url, centre)


def api_queries(url: str, centre) -> None:
    """The same store through `warmonitor serve`'s app on a real uvicorn server (a thread of this
    process, 127.0.0.1): GET /api/events with filters and the dashboard's queries, best of 5, the
    whole HTTP round trip; then the dashboard itself in chromium."""
    import socket
    import threading
    import urllib.request

    import uvicorn

    from warmonitor.web.app import create_app
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    print("\nAPI (GET over HTTP, 127.0.0.1), same store:")
    lat, lon = centre.latitude, centre.longitude
    view = f"west={lon - 6:.2f}&south={lat - 4:.2f}&east={lon + 6:.2f}&north={lat + 4:.2f}"
    asks = {"events: country + province + since + type": "events?country=Country%203&admin1=Province%207&since=2024-06-01&type=Battles",
            "events: country + since, first 100": "events?country=Country%205&since=2024-10-01",
            "events: no filter, first 100": "events",
            "map: world, zoom 2, no filter": "map?zoom=2",
            "map: world, zoom 2, type": "map?zoom=2&type=Protests",
            "map: a country's view, zoom 6": f"map?zoom=6&{view}",
            "map: a country's view, zoom 6, filtered": f"map?zoom=6&{view}&country=Country%203&since=2024-01-01",
            "timeline: no filter": "timeline",
            "timeline: country": "timeline?country=Country%203",
            "facets": "facets"}
    for label, ask in asks.items():
        times = []
        for _ in range(5):
            start = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/{ask}", timeout=60) as response:
                body = json.loads(response.read())
            times.append(time.perf_counter() - start)
        ms = min(times) * 1000
        size = body.get("total", body.get("events")) if isinstance(body, dict) else len(body)
        print(f"  {label:44} {size if isinstance(size, int) else '':>7} {ms:8.1f} ms "
              f"({'met' if ms < 200 else 'NOT met'}: < 200 ms)")
    dashboard(f"http://127.0.0.1:{port}/")
    server.should_exit = True
    thread.join(timeout=10)


def dashboard(url: str) -> None:
    """The dashboard in headless chromium: seconds until everything is drawn, then after a filter."""
    import shutil
    executable = shutil.which("chromium")
    if executable is None:
        print("\ndashboard: chromium is not installed, skipped")
        return
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        opened = time.perf_counter() - start
        markers = page.locator("path.wm-event, .wm-cluster").count()
        start = time.perf_counter()
        page.select_option("select[name=type]", "Protests")
        page.click("#filters button[type=submit]")
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        filtered = time.perf_counter() - start
        browser.close()
    print(f"\ndashboard in headless chromium: drawn in {opened:.2f} s ({markers} markers), "
          f"filtered by type in {filtered:.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="FA-KES articles for the ingest comparison")
    parser.add_argument("--events", type=int, default=100_000, help="generated events for the query timing")
    parser.add_argument("--queries-only", action="store_true", help="skip the ingest comparison")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    if not args.queries_only:
        ingest_vs_extract(args.limit)
    queries(args.events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
