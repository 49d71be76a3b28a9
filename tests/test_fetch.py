"""Fetching (watch/fetch.py) against a real HTTP server on 127.0.0.1: conditional requests, the
refusals (non-http schemes, also after a redirect; bodies over the limit), retries with backoff,
timeouts, the per-host politeness delay and the user agent; and feeds (watch/feeds.py)."""
from __future__ import annotations

import time

import pytest

from local_site import Page, Site
from warmonitor.watch import FeedError, FetchError, Fetcher, FetchPolicy, parse_feed

FAST = FetchPolicy(delay=0.0, backoff=0.05, retries=2, timeout=2.0)


@pytest.fixture
def site():
    with Site() as running:
        yield running


def test_a_conditional_request_gets_304_and_no_body(site):
    url = site.article("/a", "Title", "Some text.")
    with Fetcher(FAST) as fetcher:
        first = fetcher.get(url)
        assert first.status == 200 and first.etag and first.last_modified and b"Some text." in first.body
        again = fetcher.get(url, etag=first.etag)
        assert again.not_modified and again.body == b""
        by_date = fetcher.get(url, last_modified=first.last_modified)
        assert by_date.not_modified
    assert site.requests[1][1]["If-None-Match"] == first.etag
    assert site.requests[2][1]["If-Modified-Since"] == first.last_modified
    assert site.requests[0][1]["User-Agent"].startswith("warmonitor/")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "javascript:alert(1)"])
def test_a_redirect_to_a_non_http_scheme_is_refused(site, target):
    site.pages["/moved"] = Page(status=302, location=target)
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match="refused"):
        fetcher.get(site.url("/moved"))
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match="only http and https"):
        fetcher.get(target)


def test_an_http_redirect_is_followed(site):
    site.article("/new", "Moved", "The text moved.")
    site.pages["/old"] = Page(status=301, location="/new")
    with Fetcher(FAST) as fetcher:
        page = fetcher.get(site.url("/old"))
    assert page.final_url == site.url("/new") and b"The text moved." in page.body


def test_a_30_mb_body_is_refused_without_reading_it_all(site):
    site.pages["/huge.xml"] = Page(size=30 * 1024 * 1024)
    site.pages["/declared"] = Page(body=b"x" * 2_000_000)
    start = time.perf_counter()
    with Fetcher(FetchPolicy(delay=0, max_bytes=1_000_000)) as fetcher:
        with pytest.raises(FetchError, match="larger than the limit of 1,000,000 bytes"):
            fetcher.get(site.url("/huge.xml"))
        with pytest.raises(FetchError, match="body of 2,000,000 bytes is larger"):
            fetcher.get(site.url("/declared"))
    assert time.perf_counter() - start < 5


def test_a_500_is_retried_with_backoff_then_reported(site):
    site.pages["/down.xml"] = Page(status=500)
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match=r"HTTP 500 \(after 3 attempts\)") as caught:
        fetcher.get(site.url("/down.xml"))
    assert site.hits["/down.xml"] == 3 and caught.value.status == 500


def test_a_404_is_not_retried(site):
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(site.url("/missing"))
    assert site.hits["/missing"] == 1


def test_a_slow_server_times_out(site):
    site.pages["/slow.xml"] = Page(body=b"<rss/>", delay=3.0)
    start = time.perf_counter()
    with Fetcher(FetchPolicy(delay=0, timeout=0.3, retries=1, backoff=0.05)) as fetcher:
        with pytest.raises(FetchError, match="timed out"):
            fetcher.get(site.url("/slow.xml"))
    assert time.perf_counter() - start < 2.5


def test_requests_to_one_host_keep_the_politeness_delay(site):
    site.article("/a", "A", "Text a.")
    with Fetcher(FetchPolicy(delay=0.3)) as fetcher:
        start = time.perf_counter()
        for _ in range(3):
            fetcher.get(site.url("/a"))
    assert time.perf_counter() - start >= 0.6


def test_a_feed_lists_its_entries_and_broken_xml_is_an_error(site):
    site.feed("/feed.xml", [("One", "/one", "Tue, 03 Dec 2024 10:00:00 GMT"), ("Two", "/two", "Tue, 03 Dec 2024 11:00:00 GMT")])
    entries = parse_feed(site.pages["/feed.xml"].body, url=site.url("/feed.xml"))
    assert [(e.url, e.title, str(e.published)) for e in entries] == [
        (site.url("/one"), "One", "2024-12-03"), (site.url("/two"), "Two", "2024-12-03")]
    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
            b'<entry><title>Three</title><link href="/three"/><id>t3</id><updated>2024-12-04T08:00:00Z</updated>'
            b'</entry></feed>')
    (three,) = parse_feed(atom, url="http://h/atom.xml")
    assert (three.url, str(three.published), three.stamp) == ("http://h/three", "2024-12-04", "2024-12-04T08:00:00Z")
    with pytest.raises(FeedError, match="not a readable RSS/Atom feed"):
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Broken', url="http://h/f.xml")
    with pytest.raises(FeedError, match="not an RSS/Atom feed"):
        parse_feed(b"<html><body><p>A page, not a feed</p></body></html>", url="http://h/page")
