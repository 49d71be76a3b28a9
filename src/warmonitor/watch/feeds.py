"""RSS and Atom feeds -> the entries they list (feedparser), each the URL of an article to fetch.

`parse_feed(body, url=...)` returns FeedEntry records (link made absolute, title, publication date,
and a stamp that changes when the publisher updates the entry). A body that is not a feed, or whose
XML is broken before any entry could be read, raises FeedError naming the feed; a feed with a small
flaw (a wrong declared encoding) is read and the flaw logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

from ..errors import WarmonitorError

log = logging.getLogger(__name__)

MAX_URL = 2000  # the store keeps article URLs up to this length (schema.articles)


class FeedError(WarmonitorError):
    """A feed that cannot be read (malformed XML, not RSS or Atom)."""


@dataclass(frozen=True, kw_only=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: date | None = None
    stamp: str | None = None  # the entry's updated (else published) string: a new value means a new version


def parse_feed(body: bytes, *, url: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom document, in the feed's order, without duplicates or link-less ones."""
    import feedparser  # imported on first use: a few hundred milliseconds

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    entries, seen = [], set()
    for item in parsed.entries:
        link = item.get("link") or _alternate(item)
        if not link:
            continue
        link = urljoin(url, link.strip())
        if len(link) > MAX_URL:
            log.warning("%s: an entry's link of %d characters ignored", url, len(link),
                        extra={"event": "entry_ignored", "url": url})
            continue
        if link in seen:
            continue
        seen.add(link)
        # dict.get: feedparser's own get() maps a missing "updated" to "published" with a warning
        when = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
        entries.append(FeedEntry(url=link, title=(item.get("title") or "").strip() or None,
                                 published=date(*when[:3]) if when else None,
                                 stamp=dict.get(item, "updated") or dict.get(item, "published")))
    problem = parsed.get("bozo_exception") if parsed.bozo else None
    if problem is not None and not entries:
        raise FeedError(f"{url}: not a readable RSS/Atom feed ({type(problem).__name__}: {problem})")
    if not parsed.version and not entries:
        raise FeedError(f"{url}: not an RSS/Atom feed (no channel or feed element)")
    if problem is not None:  # feedparser's liberal reading got links out of it: use them, say so
        log.warning("%s: feed read despite a flaw: %s", url, problem, extra={"event": "feed_flaw", "url": url})
    return entries


def _alternate(item) -> str | None:
    for link in item.get("links", ()):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None
