"""Watching: one round checks every due source, fetches the articles that are new (or updated), ingests
them into the store as they arrive and fires the alerts their findings raise.

    watcher = Watcher(store, pipeline, fetcher=Fetcher(FetchPolicy()), delivery=Delivery(stdout=sys.stdout))
    summary = watcher.run_once()          # a RoundSummary: sources checked, articles added, alerts ...

How a round goes. Worker threads fetch (a feed, then its new entries; `fetch.Fetcher` keeps to the
per-host limits) and read each page into Reports with the same readers `extract` uses; the calling
thread alone touches the database: it extracts the reports in batches (`Pipeline.extract_many`),
saves each (`Store.save`: one transaction, an updated page replaces its earlier version), records
the article as fetched, and evaluates the alert rules on what the save brought (`Store.changes`).

What makes it safe to stop and restart. An article is recorded as fetched only after its report was
saved, and a feed's validators (ETag, Last-Modified) only once every new entry it listed was
handled: a round stopped half way (the stop event is checked between articles) reads the feed
again next time and fetches only the entries not yet stored. A failing source or article is
recorded with its error and a retry time (doubling with each failure, up to `retry_max`); it never
stops the others. Feeds are RSS/Atom (`feeds.parse_feed`); an "article" source is one page fetched
again each round, conditionally, and re-ingested when its text changed.
"""
from __future__ import annotations

import dataclasses
import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from ..errors import WarmonitorError
from ..records import Skipped
from ..reports import read_document
from ..reports.text import ReportFields
from ..triage import triaged
from . import alerts as alert_rules
from .delivery import Delivery, DeliveryError
from .feeds import parse_feed
from .fetch import Fetched, Fetcher
from .state import ArticleState, Source, WatchState

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True, kw_only=True)
class WatchSettings:
    retry_after: float = 300.0  # seconds before retrying after a first failure; doubled for each next one
    retry_max: float = 6 * 3600.0
    attempts: int = 5  # an article whose fetch failed this many times in a row is given up (and logged)
    workers: int = 8  # fetching threads (the per-host limit is the fetcher's)
    batch_size: int | None = None  # reports extracted together (None: the nlp setting); 1: each saved as it comes


@dataclass
class RoundSummary:
    sources: int = 0  # checked
    not_modified: int = 0  # answered 304
    failed_sources: int = 0
    fetched: int = 0  # articles downloaded
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    set_aside: int = 0  # by triage: no conflict content, not parsed
    failed_articles: int = 0
    alerts: int = 0
    stopped: bool = False

    def line(self) -> str:
        return (f"{self.sources} source(s) checked ({self.not_modified} not modified, {self.failed_sources} failed); "
                f"{self.fetched} article(s) fetched: {self.added} added, {self.replaced} replaced, "
                f"{self.unchanged} unchanged, {self.skipped} skipped, {self.set_aside} set aside by triage, "
                f"{self.failed_articles} failed; "
                f"{self.alerts} alert(s){' (stopped)' if self.stopped else ''}")


@dataclass(eq=False)
class _Job:
    """An article to fetch in this round."""

    url: str
    source: Source | None
    stamp: str | None = None
    title: str | None = None
    published: date | None = None
    known: ArticleState | None = None
    page_source: bool = False  # the source is this one page (kind "article")
    from_feed: bool = False  # an entry its feed listed as new this round (else a page source or a retry)
    left: int = 0  # its reports not yet saved
    report_id: str | None = None
    fetched: Fetched | None = None


@dataclass(eq=False)
class _Round:
    now: datetime
    summary: RoundSummary = field(default_factory=RoundSummary)
    inbox: queue.Queue = field(default_factory=queue.Queue)
    outstanding: int = 0  # tasks submitted whose result is not read yet
    urls: set = field(default_factory=set)  # articles queued this round
    by_origin: dict = field(default_factory=dict)  # report origin -> _Job
    feeds: dict = field(default_factory=dict)  # source id -> (source, Fetched, articles not finished)


class Watcher:
    def __init__(self, store, pipeline, *, fetcher: Fetcher, delivery: Delivery | None = None,
                 settings: WatchSettings = WatchSettings(), clock=utcnow, stop: threading.Event | None = None,
                 triage=None):
        self.store = store
        self.pipeline = pipeline
        self.triage = triage  # a warmonitor.triage.Triage: articles with no conflict content are not parsed
        self.fetcher = fetcher
        self.delivery = delivery
        self.settings = settings
        self.clock = clock
        self.stop = stop or fetcher.stop
        self.state = WatchState(store)

    def run_once(self) -> RoundSummary:
        current = _Round(now=self.clock())
        rules = self._rules()
        self._deliver_pending()
        pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="warmonitor-fetch")
        try:
            due = self.state.due_sources(current.now)
            current.summary.sources = len(due)
            log.info("round: %d source(s) due", len(due), extra={"event": "round_start", "sources": len(due)})
            for source in due:
                if source.kind == "article":
                    known = self.state.articles([source.url]).get(source.url)
                    self._queue(current, pool, _Job(url=source.url, source=source, known=known, page_source=True))
                else:
                    self._submit(current, pool, "feed", self._check_feed, source)
            followed = {source.id: source for source in self.state.sources()}
            if not followed:
                log.warning("no sources to watch: add one with `warmonitor sources add URL`",
                            extra={"event": "no_sources"})
            for known in self.state.articles_to_retry(current.now, attempts=self.settings.attempts):
                self._queue(current, pool, _Job(url=known.url, source=followed.get(known.source_id),
                                                stamp=known.entry_stamp, known=known))
            reports = triaged(self._reports(current, pool), self.triage,
                              lambda report, verdict: self._set_aside(current, report, verdict))
            for found in self.pipeline.extract_many(reports, batch_size=self.settings.batch_size):
                self._store(current, found, rules)
        finally:
            current.summary.stopped = self.stop.is_set()
            pool.shutdown(wait=True, cancel_futures=True)
        log.info("round done: %s", current.summary.line(),
                 extra={"event": "round_done", **dataclasses.asdict(current.summary)})
        return current.summary

    # -- the worker threads' side: network and reading, no database ------------------------------
    def _check_feed(self, source: Source):
        fetched = self.fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
        return fetched, ([] if fetched.not_modified else parse_feed(fetched.body, url=source.url))

    def _fetch_article(self, article: _Job):
        known = article.known
        fetched = self.fetcher.get(article.url, etag=known.etag if known else None,
                                   last_modified=known.last_modified if known else None)
        if fetched.not_modified:
            return fetched, []
        given = ReportFields(url=article.url, title=article.title, published=article.published,
                             publisher=article.source.name if article.source else None)
        return fetched, list(read_document(fetched.body, origin=article.url, kind=_kind(fetched.content_type),
                                           given=given, given_wins=True))

    def _submit(self, current: _Round, pool, kind: str, work, item) -> None:
        current.outstanding += 1

        def task():
            try:
                current.inbox.put((kind, item, work(item), None))
            except Exception as exc:  # reported to the calling thread, which records it
                current.inbox.put((kind, item, None, exc))

        pool.submit(task)

    def _queue(self, current: _Round, pool, article: _Job) -> None:
        if article.url in current.urls:
            return
        current.urls.add(article.url)
        self._submit(current, pool, "article", self._fetch_article, article)

    # -- the calling thread's side ---------------------------------------------------------------
    def _reports(self, current: _Round, pool):
        """The reports to extract, as their pages arrive; ends when nothing is outstanding or on stop."""
        while current.outstanding and not self.stop.is_set():
            try:
                kind, item, result, error = current.inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            current.outstanding -= 1
            if self.stop.is_set():
                break  # left unrecorded: fetched again next time, neither lost nor counted as failed
            if kind == "feed":
                self._feed_read(current, pool, item, result, error)
            else:
                yield from self._article_read(current, item, result, error)

    def _feed_read(self, current: _Round, pool, source: Source, result, error) -> None:
        if error is not None:
            self._source_failed(current, source, error)
            return
        fetched, entries = result
        if fetched.not_modified:
            current.summary.not_modified += 1
            self.state.source_checked(source.id, now=current.now, status=304, etag=source.etag,
                                      last_modified=source.last_modified)
            log.info("%s: not modified", source.url, extra={"event": "feed_not_modified", "source": source.name,
                                                            "url": source.url})
            return
        known = self.state.articles([e.url for e in entries])
        new = []
        for entry in entries:
            seen = known.get(entry.url)
            if entry.url in current.urls or (seen is not None and (seen.last_error is not None or not entry.stamp
                                                               or entry.stamp == seen.entry_stamp)):
                continue  # stored already (or waiting for its retry): only a new stamp means an update
            new.append(_Job(url=entry.url, source=source, stamp=entry.stamp, title=entry.title,
                            published=entry.published, known=seen, from_feed=True))
        log.info("%s: %d entries, %d new or updated", source.url, len(entries), len(new),
                 extra={"event": "feed_read", "source": source.name, "url": source.url, "entries": len(entries),
                        "new": len(new)})
        current.feeds[source.id] = [source, fetched, len(new)]
        for article in new:
            self._queue(current, pool, article)
        if not new:
            self._feed_done(current, source.id)

    def _article_read(self, current: _Round, article: _Job, result, error):
        if error is not None:
            self._article_failed(current, article, error)
            return
        fetched, items = result
        article.fetched = fetched
        article.report_id = article.known.report_id if article.known else None
        if fetched.not_modified:
            current.summary.unchanged += 1
            self._article_done(current, article)
            return
        current.summary.fetched += 1
        reports = []
        for item in items:
            if isinstance(item, Skipped):
                self._skip(current, item)
            elif self.store.has(item):  # the same text, here or at another URL: nothing to extract
                current.summary.unchanged += 1
                article.report_id = item.id
            else:
                reports.append(item)
        article.left = len(reports)
        if not reports:
            self._article_done(current, article)
        for report in reports:
            current.by_origin[report.origin] = article
            yield report

    def _store(self, current: _Round, found, rules) -> None:
        if isinstance(found, Skipped):
            self._skip(current, found)
            article = current.by_origin.get(found.origin)
        else:
            article = current.by_origin[found.report.origin]
            scale = article.source.scale if article.source else None
            if scale:  # the publisher is the source: its scale joins those of the sources the report cites
                found = dataclasses.replace(found, events=tuple(
                    dataclasses.replace(e, source_scale=_joined(e.source_scale, scale)) for e in found.events))
            outcome = self.store.save(found)
            setattr(current.summary, outcome, getattr(current.summary, outcome) + 1)
            article.report_id = found.report.id
            log.info("%s: %s (%d events)", article.url, outcome, len(found.events),
                     extra={"event": "article_" + outcome, "url": article.url, "report": found.report.id,
                            "events": len(found.events), "control_changes": len(found.control_changes),
                            "figures": len(found.figures)})
            if outcome != "unchanged":
                self._fire(current, rules, found.report.id)
        if article is not None:
            article.left -= 1
            if article.left <= 0:
                self._article_done(current, article)

    def _set_aside(self, current: _Round, report, verdict) -> None:
        """An article triage finds no conflict in: recorded as skipped with its score, and done (it is
        fetched again only when its feed lists a new version)."""
        article = current.by_origin[report.origin]
        self.store.record_skip(Skipped(origin=article.url, reason=verdict.skip_reason))
        current.summary.set_aside += 1
        log.info("%s: set aside by triage (%s)", article.url, verdict.why,
                 extra={"event": "article_set_aside", "url": article.url, "score": verdict.score})
        article.left -= 1
        if article.left <= 0:
            self._article_done(current, article)

    def _skip(self, current: _Round, skipped: Skipped) -> None:
        self.store.record_skip(skipped)
        current.summary.skipped += 1
        log.warning("skipped %s", skipped, extra={"event": "article_skipped", "url": skipped.origin,
                                                  "reason": skipped.reason})

    def _article_done(self, current: _Round, article: _Job) -> None:
        fetched = article.fetched
        self.state.article_fetched(article.url, source_id=article.source.id if article.source else None,
                                   stamp=article.stamp, etag=fetched.etag if fetched else None,
                                   last_modified=fetched.last_modified if fetched else None,
                                   report_id=article.report_id, now=current.now)
        if article.page_source:
            self.state.source_checked(article.source.id, now=current.now, status=fetched.status)
        else:
            self._entry_finished(current, article)

    def _feed_done(self, current: _Round, source_id: int) -> None:
        source, fetched, _ = current.feeds[source_id]
        self.state.source_checked(source_id, now=current.now, status=fetched.status, etag=fetched.etag,
                                  last_modified=fetched.last_modified)

    def _retry_at(self, now: datetime, failures: int) -> datetime:
        wait = min(self.settings.retry_after * 2 ** max(failures - 1, 0), self.settings.retry_max)
        return now + timedelta(seconds=wait)

    def _source_failed(self, current: _Round, source: Source, error: Exception) -> None:
        current.summary.failed_sources += 1
        reason, retry_at = _reason(error, source.url), self._retry_at(current.now, source.failures + 1)
        self.state.source_failed(source.id, now=current.now, error=reason, status=getattr(error, "status", None),
                                 retry_at=retry_at)
        log.warning("%s: %s; next try at %s", source.url, reason, f"{retry_at:%Y-%m-%d %H:%M:%S}",
                    extra={"event": "source_failed", "source": source.name, "url": source.url, "error": reason,
                           "failures": source.failures + 1, "retry_at": retry_at.isoformat()})

    def _article_failed(self, current: _Round, article: _Job, error: Exception) -> None:
        if article.page_source:
            self._source_failed(current, article.source, error)
            return
        current.summary.failed_articles += 1
        failures = (article.known.failures if article.known else 0) + 1
        reason, retry_at = _reason(error, article.url), self._retry_at(current.now, failures)
        self.state.article_failed(article.url, source_id=article.source.id if article.source else None,
                                  stamp=article.stamp, error=reason, now=current.now, retry_at=retry_at)
        given_up = failures >= self.settings.attempts
        log.warning("%s: %s; %s", article.url, reason,
                    "given up" if given_up else f"next try at {retry_at:%Y-%m-%d %H:%M:%S}",
                    extra={"event": "article_failed", "url": article.url, "error": reason,
                           "failures": failures, "given_up": given_up})
        self._entry_finished(current, article)  # retried on its own from now on: the feed is done with it

    def _entry_finished(self, current: _Round, article: _Job) -> None:
        """One of the entries a feed listed this round is handled; the last one stores the feed's validators."""
        if article.from_feed:
            current.feeds[article.source.id][2] -= 1
            if current.feeds[article.source.id][2] == 0:
                self._feed_done(current, article.source.id)

    # -- alerts ----------------------------------------------------------------------------------
    def _rules(self) -> list[tuple[int, str, alert_rules.AlertRule]]:
        out = []
        for row in self.state.rules():
            try:
                out.append((row.id, row.target, alert_rules.parse_rule(row.rule)))
            except WarmonitorError as exc:
                log.error("alert rule %d ignored: %s", row.id, exc, extra={"event": "rule_invalid", "rule": row.rule})
        return out

    def _fire(self, current: _Round, rules, report_id: str) -> None:
        if not rules:
            return
        changes = self.store.changes(report_id)
        if changes is None:
            return  # replaced in between by another process's newer version, which fires its own alerts
        for rule_id, target, rule in rules:
            for alert in alert_rules.evaluate(rule, changes):
                payload = {**alert.payload, "rule_id": rule_id}
                alert_id = self.state.record_alert(rule_id, key=alert.key, report_id=report_id, payload=payload,
                                                   now=current.now)
                if alert_id is None:
                    continue  # fired before, for another report or an earlier version of this one
                current.summary.alerts += 1
                log.info("alert: %s", alert.summary, extra={"event": "alert", "rule": rule.text, "alert_id": alert_id})
                self._deliver(alert_id, target, payload)

    def _deliver(self, alert_id: int, target: str, payload: dict) -> None:
        if self.delivery is None:
            return  # kept as undelivered; a watcher with a delivery sends it
        try:
            self.delivery.send(target, payload)
        except DeliveryError as exc:
            self.state.alert_delivered(alert_id, now=None, error=str(exc))
            log.warning("alert %d not delivered: %s (tried again next round)", alert_id, exc,
                        extra={"event": "alert_undelivered", "alert_id": alert_id, "error": str(exc)})
            return
        self.state.alert_delivered(alert_id, now=self.clock())

    def _deliver_pending(self) -> None:
        """Alerts fired earlier whose delivery failed (a webhook that was down): tried again."""
        if self.delivery is None:
            return
        for fired in self.state.alerts(undelivered=True):
            self._deliver(fired.id, fired.target, fired.payload)


def _joined(scales: str | None, scale: str) -> str:
    """ACLED's combined scale: "Other" and "National" -> "Other-National" (each part once)."""
    parts = scales.split("-") if scales else []
    return "-".join(parts + [p for p in scale.split("-") if p not in parts])


def _kind(content_type: str) -> str:
    """The reader for a page, from its Content-Type (read_document sniffs HTML in anything else)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        return ".html"
    if media == "application/json" or media.endswith("+json"):
        return ".json"
    return ".txt"


def _reason(error: Exception, url: str) -> str:
    """The message to store and log beside the URL: the error's, without the URL it starts with."""
    if isinstance(error, WarmonitorError):
        return (getattr(error, "reason", None) or str(error)).removeprefix(f"{url}: ")
    return f"{type(error).__name__}: {error}"
