"""A real HTTP server on 127.0.0.1 serving feeds and articles for the `watch` tests: pages that a test
sets and changes as it goes, each with an ETag and Last-Modified it honours (304), and the bad
behaviours a monitor meets: slow answers, 500s, broken XML, huge bodies, redirects elsewhere.
Every request is recorded (path and headers) so that tests can say what was asked and how often."""
from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering
    location: str | None = None  # for a redirect
    size: int | None = None  # a body of this many bytes, sent in chunks (the client may hang up)
    validators: bool = True  # send ETag and Last-Modified, answer 304 to a matching conditional request


class Site:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.hits: Counter = Counter()
        self.requests: list[tuple[str, dict]] = []
        self.on_request = None  # called with the path before answering (a test's hook)
        self.posts: list[tuple[str, bytes]] = []
        self.post_status = 204
        self.modified = formatdate(time.time() - 3600, usegmt=True)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.hits[self.path] += 1
                site.requests.append((self.path, dict(self.headers)))
                if site.on_request:
                    site.on_request(self.path)
                page = site.pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                if page.delay:
                    time.sleep(page.delay)
                if page.status != 200:
                    self.send_response(page.status)
                    if page.location:
                        self.send_header("Location", page.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if page.size is not None:
                    self._huge(page.size)
                    return
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                if page.validators and (self.headers.get("If-None-Match") == etag
                                        or self.headers.get("If-Modified-Since") == site.modified
                                        and "If-None-Match" not in self.headers):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                if page.validators:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", site.modified)
                self.end_headers()
                try:
                    self.wfile.write(page.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a client that gave up waiting (the slow page)

            def do_POST(self):  # a webhook: records the body, answers site.post_status
                length = int(self.headers.get("Content-Length") or 0)
                site.posts.append((self.path, self.rfile.read(length)))
                self.send_response(site.post_status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _huge(self, size: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()  # no Content-Length: the client finds out as the bytes come
                chunk = b"<!-- padding -->" * 4096
                try:
                    for _ in range(size // len(chunk)):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def article(self, path: str, title: str, text: str, published: str = "2024-12-03") -> str:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
        self.pages[path] = Page(body=(
            f'<!doctype html><html><head><title>{escape(title)}</title>'
            f'<meta property="article:published_time" content="{published}"></head>'
            f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f'<article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>').encode())
        return self.url(path)

    def feed(self, path: str, entries: list[tuple[str, str, str]]) -> str:
        """An RSS 2.0 feed of (title, article path, pubDate) entries."""
        items = "".join(f"<item><title>{escape(t)}</title><link>{escape(self.url(p))}</link>"
                        f"<guid>{escape(self.url(p))}</guid><pubDate>{d}</pubDate></item>" for t, p, d in entries)
        self.pages[path] = Page(body=(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test feed</title>'
            f'<link>{self.url("/")}</link><description>t</description>{items}</channel></rss>').encode(),
            content_type="application/rss+xml")
        return self.url(path)
