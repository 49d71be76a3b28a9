"""What `watch` remembers between rounds and across restarts, in the store's database (revision 0005):
the sources it follows with their fetch state, the articles it has fetched, the alert rules and
the alerts fired.

    state = WatchState(store)
    state.add_source("https://example.org/feed.xml", name="Example Monitor", scale="National")
    for source in state.due_sources(now): ...

Every write is its own short transaction, so a process killed between two writes leaves a state
the next round reads correctly: at worst an article is fetched again and found unchanged.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from ..errors import WarmonitorError
from ..store import schema

SOURCE_KINDS = ("feed", "article")


class SourceError(WarmonitorError):
    """A source that cannot be added or found (not an http(s) URL, added already, unknown)."""


class AlertRuleError(WarmonitorError):
    """An alert rule that cannot be read or found, or a delivery target that is not one."""


@dataclass(frozen=True, kw_only=True)
class Source:
    id: int
    url: str
    kind: str
    name: str
    scale: str | None = None
    reliability: str | None = None
    added_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    checked_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    failures: int = 0
    retry_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ArticleState:
    url: str
    source_id: int | None
    entry_stamp: str | None
    etag: str | None
    last_modified: str | None
    report_id: str | None
    last_error: str | None
    failures: int
    retry_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class AlertRuleRow:
    id: int
    rule: str
    target: str


@dataclass(frozen=True, kw_only=True)
class FiredAlert:
    id: int
    rule_id: int
    target: str
    fired_at: datetime
    payload: dict
    delivered_at: datetime | None
    delivery_error: str | None


def check_http_url(url: str, what: str = "source") -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SourceError(f"'{url}': a {what} must be an http:// or https:// URL")
    return url.strip()


class WatchState:
    def __init__(self, store):
        self.engine = store.engine

    # -- sources ---------------------------------------------------------------------------------
    def add_source(self, url: str, *, name: str | None = None, kind: str = "feed", scale: str | None = None,
                   reliability: str | None = None, now: datetime) -> Source:
        url = check_http_url(url)
        if kind not in SOURCE_KINDS:
            raise SourceError(f"'{kind}': a source is a feed or an article")
        s = schema.sources
        with self.engine.begin() as db:
            if db.execute(sa.select(s.c.id).where(s.c.url == url)).first() is not None:
                raise SourceError(f"'{url}' is a source already (warmonitor sources list)")
            db.execute(s.insert().values(url=url, kind=kind, name=name or urlsplit(url).netloc, scale=scale,
                                         reliability=reliability, added_at=now, failures=0))
        return self.source(url)

    def source(self, url_or_id: str | int) -> Source:
        s = schema.sources
        key = str(url_or_id)
        where = s.c.id == int(key) if key.isdigit() else s.c.url == key
        with self.engine.connect() as db:
            row = db.execute(sa.select(s).where(where)).mappings().first()
        if row is None:
            raise SourceError(f"no source '{url_or_id}' (warmonitor sources list shows them)")
        return Source(**row)

    def sources(self) -> list[Source]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(schema.sources).order_by(schema.sources.c.id)).mappings()
            return [Source(**row) for row in rows]

    def remove_source(self, url_or_id: str | int) -> Source:
        """Stop following a source; what was ingested from it stays in the store."""
        source = self.source(url_or_id)
        with self.engine.begin() as db:
            db.execute(schema.articles.update().where(schema.articles.c.source_id == source.id).values(source_id=None))
            db.execute(schema.sources.delete().where(schema.sources.c.id == source.id))
        return source

    def due_sources(self, now: datetime) -> list[Source]:
        """The sources to check now: all but those waiting for their retry time after a failure."""
        s = schema.sources
        with self.engine.connect() as db:
            rows = db.execute(sa.select(s).where(sa.or_(s.c.retry_at.is_(None), s.c.retry_at <= now))
                              .order_by(s.c.id)).mappings()
            return [Source(**row) for row in rows]

    def source_checked(self, source_id: int, *, now: datetime, status: int, etag: str | None = None,
                       last_modified: str | None = None, keep_validators: bool = False) -> None:
        """A successful check; the validators are stored only once every new entry of the feed was
        handled (keep_validators=True otherwise), so a round stopped half-way reads the feed again."""
        values = dict(checked_at=now, last_status=status, last_error=None, failures=0, retry_at=None)
        if not keep_validators:
            values.update(etag=etag, last_modified=last_modified)
        with self.engine.begin() as db:
            db.execute(schema.sources.update().where(schema.sources.c.id == source_id).values(**values))

    def source_failed(self, source_id: int, *, now: datetime, error: str, status: int | None,
                      retry_at: datetime) -> None:
        s = schema.sources
        with self.engine.begin() as db:
            db.execute(s.update().where(s.c.id == source_id).values(
                checked_at=now, last_status=status, last_error=error, failures=s.c.failures + 1, retry_at=retry_at))

    # -- articles --------------------------------------------------------------------------------
    def articles(self, urls: list[str]) -> dict[str, ArticleState]:
        a = schema.articles
        found: dict[str, ArticleState] = {}
        with self.engine.connect() as db:
            for start in range(0, len(urls), 500):
                for row in db.execute(sa.select(a).where(a.c.url.in_(urls[start:start + 500]))).mappings():
                    found[row["url"]] = _article(row)
        return found

    def articles_to_retry(self, now: datetime, *, attempts: int) -> list[ArticleState]:
        """Articles whose fetch failed, due for another try, fewer than `attempts` failures so far."""
        a = schema.articles
        with self.engine.connect() as db:
            rows = db.execute(sa.select(a).where(a.c.last_error.is_not(None), a.c.retry_at <= now,
                                                 a.c.failures < attempts).order_by(a.c.retry_at)).mappings()
            return [_article(row) for row in rows]

    def article_fetched(self, url: str, *, source_id: int | None, stamp: str | None, etag: str | None,
                        last_modified: str | None, report_id: str | None, now: datetime) -> None:
        self._upsert_article(url, dict(source_id=source_id, entry_stamp=stamp, etag=etag, last_modified=last_modified,
                                       report_id=report_id, fetched_at=now, last_error=None, failures=0, retry_at=None))

    def article_failed(self, url: str, *, source_id: int | None, stamp: str | None, error: str, now: datetime,
                       retry_at: datetime) -> int:
        """Records a failed fetch; returns how many times in a row it has failed."""
        a = schema.articles
        with self.engine.begin() as db:
            failures = (db.execute(sa.select(a.c.failures).where(a.c.url == url)).scalar() or 0) + 1
        self._upsert_article(url, dict(source_id=source_id, entry_stamp=stamp, last_error=error, failures=failures,
                                       fetched_at=now, retry_at=retry_at))
        return failures

    def _upsert_article(self, url: str, values: dict) -> None:
        a = schema.articles
        with self.engine.begin() as db:
            if db.execute(sa.select(a.c.url).where(a.c.url == url)).first() is None:
                db.execute(a.insert().values(url=url, **{"failures": 0, **values}))
            else:
                db.execute(a.update().where(a.c.url == url).values(**values))

    # -- alert rules and alerts ------------------------------------------------------------------
    def add_rule(self, rule: str, *, target: str, now: datetime) -> int:
        with self.engine.begin() as db:
            added = db.execute(schema.alert_rules.insert().values(rule=rule, target=target, added_at=now))
            return added.inserted_primary_key[0]

    def rules(self) -> list[AlertRuleRow]:
        r = schema.alert_rules
        with self.engine.connect() as db:
            return [AlertRuleRow(id=row.id, rule=row.rule, target=row.target)
                    for row in db.execute(sa.select(r).order_by(r.c.id))]

    def remove_rule(self, rule_id: int) -> AlertRuleRow:
        r = schema.alert_rules
        found = [rule for rule in self.rules() if rule.id == rule_id]
        if not found:
            raise AlertRuleError(f"no alert rule {rule_id} (warmonitor alerts list shows them)")
        with self.engine.begin() as db:
            db.execute(schema.alerts.delete().where(schema.alerts.c.rule_id == rule_id))
            db.execute(r.delete().where(r.c.id == rule_id))
        return found[0]

    def record_alert(self, rule_id: int, *, key: str, report_id: str | None, payload: dict,
                     now: datetime) -> int | None:
        """Store an alert unless this rule fired for this key already (the database's unique
        constraint decides, so two processes cannot both fire it); its id, or None."""
        try:
            with self.engine.begin() as db:
                return db.execute(schema.alerts.insert().values(
                    rule_id=rule_id, key=key, report_id=report_id, fired_at=now,
                    payload=json.dumps(payload, ensure_ascii=False, default=str))).inserted_primary_key[0]
        except sa.exc.IntegrityError:
            return None

    def alerts(self, *, undelivered: bool = False, limit: int | None = None) -> list[FiredAlert]:
        """Fired alerts, oldest first (undelivered=True: only those still to deliver)."""
        al, r = schema.alerts, schema.alert_rules
        query = sa.select(al, r.c.target).join(r, r.c.id == al.c.rule_id).order_by(al.c.id)
        if undelivered:
            query = query.where(al.c.delivered_at.is_(None))
        with self.engine.connect() as db:
            rows = list(db.execute(query).mappings())
        if limit:
            rows = rows[-limit:]
        return [FiredAlert(id=row["id"], rule_id=row["rule_id"], target=row["target"], fired_at=row["fired_at"],
                           payload=json.loads(row["payload"]), delivered_at=row["delivered_at"],
                           delivery_error=row["delivery_error"]) for row in rows]

    def alert_delivered(self, alert_id: int, *, now: datetime | None, error: str | None = None) -> None:
        al = schema.alerts
        with self.engine.begin() as db:
            db.execute(al.update().where(al.c.id == alert_id).values(delivered_at=now, delivery_error=error))


def _article(row) -> ArticleState:
    return ArticleState(url=row["url"], source_id=row["source_id"], entry_stamp=row["entry_stamp"], etag=row["etag"],
                        last_modified=row["last_modified"], report_id=row["report_id"], last_error=row["last_error"],
                        failures=row["failures"], retry_at=row["retry_at"])
