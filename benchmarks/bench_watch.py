"""`watch --once` over FA-KES articles served by a local HTTP server, against `ingest` of the same
articles from files (issue 7's target: the watch round within 20% of the ingest).

    .venv/bin/python benchmarks/bench_watch.py                  # 200 articles, best of 2 runs per side
    .venv/bin/python benchmarks/bench_watch.py --limit 804 --repeat 3

Both sides read the same bytes: each FA-KES article (the first --limit rows) as a small HTML page
(title, a published-time meta, the text in paragraphs, a navigation bar), use one loaded Pipeline
(warmed up on 10 reports first) and write a new SQLite store per run.

- ingest (the baseline): what `warmonitor ingest DIR` does, over a folder of the pages as .html
  files: `iter_reports`, `Store.has`, `Pipeline.extract_many`, `Store.save`.
- watch --once: one `Watcher.run_once` over an RSS feed listing the pages, all served by a
  ThreadingHTTPServer on 127.0.0.1 (a thread of this process): the feed, then each page (8 fetching
  threads, 2 requests at a time to the host, politeness delay 0 because the host is this machine;
  the default of 1 s would make the round last at least one second per article), read by the same
  readers, extracted, saved, and one alert rule (control_change) evaluated on each saved report.

Prints seconds and reports/s per side and the ratio of the watch round's time to the ingest's
(target <= 1.20). The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import html
import logging
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import CORPUS, read_articles  # noqa: E402


def pages(articles) -> dict[str, bytes]:
    """{path: HTML page} for each article."""
    out = {}
    for n, (text, published) in enumerate(articles):
        title = text.strip().split("\n", 1)[0][:80]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
        meta = f'<meta property="article:published_time" content="{published}">' if published else ""
        out[f"/article/{n}.html"] = (f"<!doctype html><html><head><title>{html.escape(title)}</title>{meta}</head>"
                                     f'<body><nav><a href="/">Home</a></nav><article>{body}</article></body></html>'
                                     ).encode()
    return out


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>Article {n}</title><link>{base}{p}</link></item>" for n, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>FA-KES</title>'
            f"<link>{base}/</link><description>bench</description>{items}</channel></rss>").encode()


def serve(site: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = site.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def ingest_files(pipeline, folder: Path, db: str) -> int:
    from warmonitor.records import Skipped
    from warmonitor.reports import iter_reports
    from warmonitor.store import Store

    store = Store.open(db)
    fresh = (r for r in iter_reports(folder) if not isinstance(r, Skipped) and not store.has(r))
    added = sum(store.save(found) == "added" for found in pipeline.extract_many(fresh) if not isinstance(found, Skipped))
    store.close()
    return added


def watch_once(pipeline, feed: str, db: str, alerts: Path) -> int:
    import io

    from warmonitor.store import Store
    from warmonitor.watch import Delivery, Fetcher, FetchPolicy, Watcher, WatchState, utcnow

    store = Store.open(db)
    state = WatchState(store)
    state.add_source(feed, name="FA-KES", now=utcnow())
    state.add_rule("control_change", target=str(alerts), now=utcnow())
    with Fetcher(FetchPolicy(delay=0.0)) as fetcher:
        summary = Watcher(store, pipeline, fetcher=fetcher, delivery=Delivery(stdout=io.StringIO())).run_once()
    store.close()
    return summary.added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="FA-KES articles (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per side; the best counts")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="FA-KES CSV (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    from warmonitor.pipeline import Pipeline
    from warmonitor.records import Report
    from warmonitor.reports import read_document

    site = pages(read_articles(args.corpus, args.limit))
    pipeline = Pipeline.load()
    warm_up = [r for page in list(site.values())[:10] for r in read_document(page, origin="warm-up", kind=".html")]
    list(pipeline.extract_many(r for r in warm_up if isinstance(r, Report)))
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}"
    site["/feed.xml"] = rss(base, [p for p in site if p.startswith("/article/")])
    times = {"ingest": float("inf"), "watch": float("inf")}
    added = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for path, body in site.items():
            if path.startswith("/article/"):
                (folder / path.rsplit("/", 1)[1]).write_bytes(body)
        for run in range(args.repeat):
            for side in ("ingest", "watch"):  # alternated, so that a load change on the machine hits both
                db = f"sqlite:///{Path(tmp) / f'{side}-{run}.db'}"
                start = time.perf_counter()
                if side == "ingest":
                    added[side] = ingest_files(pipeline, folder, db)
                else:
                    added[side] = watch_once(pipeline, f"{base}/feed.xml", db, Path(tmp) / f"alerts-{run}.jsonl")
                times[side] = min(times[side], time.perf_counter() - start)
    server.shutdown()
    n = len(site) - 1
    print(f"watch --once vs ingest on {n} FA-KES articles as HTML pages (best of {args.repeat})")
    print(f"  {'side':28} {'seconds':>8} {'reports/s':>10} {'stored':>7}")
    print(f"  {'ingest DIR (files)':28} {times['ingest']:8.2f} {n / times['ingest']:10.1f} {added['ingest']:7d}")
    print(f"  {'watch --once (127.0.0.1)':28} {times['watch']:8.2f} {n / times['watch']:10.1f} {added['watch']:7d}")
    ratio = times["watch"] / times["ingest"]
    print(f"  ratio watch/ingest time: {ratio:.2f} (target <= 1.20: {'met' if ratio <= 1.2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
