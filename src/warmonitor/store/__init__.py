"""The monitor's memory: a SQLite file (default) or a PostgreSQL database holding every report read,
what was found in it and what was skipped, queried by `warmonitor events`, `event`, `reports`.

    store = Store.open()                        # ./warmonitor.db, created and migrated on first use
    store = Store.open("postgresql+psycopg://user@host/db")
    outcome = store.save(extraction)            # "added", "unchanged" or "replaced"
    store.events(country="Syria", since=date(2024, 12, 1), event_type="Battles")

Each `save` is one transaction: a report and everything found in it are written together or not at
all, so a batch killed half-way loses nothing that was committed and leaves nothing half-written.
Saving the same text again changes nothing (reports are keyed by their id, which is a hash of the text
unless the input gives one, and carry that hash); a new text under a stored id or at a stored URL
replaces the old version and everything found in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import sqlalchemy as sa

from ..errors import WarmonitorError
from ..records import Event, Evidence, Extraction, Skipped, content_hash
from . import schema

DEFAULT_URL = "sqlite:///warmonitor.db"


class StoreError(WarmonitorError):
    """The store cannot be opened or written (a bad URL, an unreachable server, a locked file)."""


@dataclass(frozen=True, kw_only=True)
class StoredReport:
    id: str
    url: str | None
    title: str | None
    publisher: str | None
    published: date | None
    chars: int
    origin: str | None
    ingested_at: datetime
    events: int


@dataclass(frozen=True, kw_only=True)
class StoredEvent:
    """An event as stored: its id in the store, the report it was found in, and the event itself (its
    evidence filled by `Store.event`, empty in lists)."""

    id: str
    report_id: str
    event: Event


@dataclass(frozen=True, kw_only=True)
class SkippedInput:
    origin: str
    reason: str
    at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers work while an ingest writes
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store:
    """A connection to the store. Open it with `Store.open(url)`; it migrates the schema to the
    newest version first."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        url = url or DEFAULT_URL
        try:
            engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use the database '{url}': {exc}") from exc
        if engine.dialect.name == "sqlite":
            database = engine.url.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate()
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest revision (creates it in an empty database)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(resources.files("warmonitor.store") / "migrations"))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the database {self.engine.url!r}: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ---------------------------------------------------------------------------------
    def save(self, extraction: Extraction, *, origin: str | None = None) -> str:
        """Store a report and what was found in it, in one transaction. Returns "unchanged" (this
        text is stored already), "replaced" (a new version of a report at a stored URL) or "added"."""
        report = extraction.report
        digest = content_hash(report.text)
        r = schema.reports
        with self.engine.begin() as db:
            same = db.execute(sa.select(r.c.content_hash).where(r.c.id == report.id)).first()
            if same is not None and same.content_hash == digest:
                return "unchanged"
            outcome = "added"
            # an update: the same id with another text, or another text at a URL already stored
            stale = {report.id} if same is not None else set()
            if report.url:
                stale |= {row.id for row in db.execute(sa.select(r.c.id).where(r.c.url == report.url))}
            for old_id in sorted(stale):
                self._delete_report(db, old_id)
                outcome = "replaced"
            db.execute(schema.reports.insert().values(
                id=report.id, content_hash=digest, url=report.url, title=report.title, publisher=report.publisher,
                published=report.published, chars=len(report.text), origin=origin or report.origin,
                ingested_at=_now()))
            self._insert_findings(db, extraction)
        return outcome

    def record_skip(self, skipped: Skipped) -> None:
        with self.engine.begin() as db:
            db.execute(schema.skipped.insert().values(origin=skipped.origin, reason=skipped.reason, at=_now()))

    @staticmethod
    def _delete_report(db, report_id: str) -> None:
        event_ids = sa.select(schema.events.c.id).where(schema.events.c.report_id == report_id)
        db.execute(schema.evidence.delete().where(schema.evidence.c.event_id.in_(event_ids)))
        db.execute(schema.events.delete().where(schema.events.c.report_id == report_id))
        for table in schema.REPORT_CHILDREN:
            db.execute(table.delete().where(table.c.report_id == report_id))
        db.execute(schema.reports.delete().where(schema.reports.c.id == report_id))

    @staticmethod
    def _insert_findings(db, extraction: Extraction) -> None:
        report = extraction.report
        event_rows, evidence_rows = [], []
        for n, e in enumerate(extraction.events):
            event_id = f"{report.id}-{n}"
            event_rows.append(dict(
                id=event_id, report_id=report.id, n=n, event_date=e.event_date, date_start=e.date_start,
                date_end=e.date_end, time_precision=e.time_precision, event_type=e.event_type,
                sub_event_type=e.sub_event_type, actor1=e.actor1, inter1=e.inter1, actor2=e.actor2, inter2=e.inter2,
                interaction=e.interaction, civilian_targeting=e.civilian_targeting, country=e.country, iso3=e.iso3,
                admin1=e.admin1, admin2=e.admin2, location=e.location, latitude=e.latitude, longitude=e.longitude,
                geo_precision=e.geo_precision, fatalities=e.fatalities, source="; ".join(e.source),
                source_scale=e.source_scale, notes=e.notes, confidence=e.confidence))
            evidence_rows += [dict(event_id=event_id, report_id=report.id, sentence=ev.sentence, start=ev.start,
                                   end=ev.end, text=ev.text, attributed_to=ev.attributed_to, modality=ev.modality)
                              for ev in e.evidence]
        if event_rows:
            db.execute(schema.events.insert(), event_rows)
        if evidence_rows:
            db.execute(schema.evidence.insert(), evidence_rows)
        figure_rows = [dict(report_id=report.id, metric=f.metric, value=f.value, low=f.low, high=f.high, unit=f.unit,
                            text=f.text, place=f.place, admin1=f.admin1, country=f.country,
                            period_start=f.period_start, period_end=f.period_end, attributed_to=f.attributed_to,
                            reported_by=f.reported_by, sentence=f.evidence[0].text if f.evidence else None)
                       for f in extraction.figures]
        if figure_rows:
            db.execute(schema.figures.insert(), figure_rows)
        control_rows = [dict(report_id=report.id, place=c.place, admin1=c.admin1, country=c.country,
                             latitude=c.latitude, longitude=c.longitude, controller=c.controller,
                             previous_controller=c.previous_controller, date=c.date, date_start=c.date_start,
                             date_end=c.date_end, sentence=c.evidence[0].text if c.evidence else None)
                        for c in extraction.control_changes]
        if control_rows:
            db.execute(schema.control_changes.insert(), control_rows)

    # -- reading ---------------------------------------------------------------------------------
    def events(self, *, country: str | None = None, admin1: str | None = None, since: date | None = None,
               until: date | None = None, event_type: str | None = None, sub_event_type: str | None = None,
               limit: int | None = None) -> list[StoredEvent]:
        """Stored events, newest first, filtered by country, admin-1 area, date range (since
        included, until excluded), event type or sub-event type (case-insensitive names)."""
        e = schema.events
        query = sa.select(e)
        for column, value in ((e.c.country, country), (e.c.admin1, admin1), (e.c.event_type, event_type),
                              (e.c.sub_event_type, sub_event_type)):
            if value:
                query = query.where(sa.func.lower(column) == value.lower())
        if since:
            query = query.where(e.c.event_date >= since)
        if until:
            query = query.where(e.c.event_date < until)
        query = query.order_by(e.c.event_date.desc().nulls_last(), e.c.id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as db:
            return [_event(row) for row in db.execute(query).mappings()]

    def event(self, event_id: str) -> StoredEvent | None:
        """One event with every sentence behind it and the report each comes from."""
        e, ev, r = schema.events, schema.evidence, schema.reports
        with self.engine.connect() as db:
            row = db.execute(sa.select(e).where(e.c.id == event_id)).mappings().first()
            if row is None:
                return None
            proof = db.execute(sa.select(ev, r.c.url).join(r, r.c.id == ev.c.report_id)
                               .where(ev.c.event_id == event_id).order_by(ev.c.id)).mappings()
            evidence = tuple(Evidence(report=p["report_id"], sentence=p["sentence"], start=p["start"], end=p["end"],
                                      text=p["text"], attributed_to=p["attributed_to"], modality=p["modality"],
                                      url=p["url"]) for p in proof)
        return _event(row, evidence)

    def reports(self, *, since: datetime | date | None = None) -> list[StoredReport]:
        """The reports read (ingested at or after `since`), oldest first, with their event counts."""
        r, e = schema.reports, schema.events
        counts = sa.select(e.c.report_id, sa.func.count().label("n")).group_by(e.c.report_id).subquery()
        query = sa.select(r, sa.func.coalesce(counts.c.n, 0).label("events")).outerjoin(counts, counts.c.report_id == r.c.id)
        if since:
            start = since if isinstance(since, datetime) else datetime(since.year, since.month, since.day)
            query = query.where(r.c.ingested_at >= start)
        with self.engine.connect() as db:
            return [StoredReport(id=m["id"], url=m["url"], title=m["title"], publisher=m["publisher"],
                                 published=m["published"], chars=m["chars"], origin=m["origin"],
                                 ingested_at=m["ingested_at"], events=m["events"])
                    for m in db.execute(query.order_by(r.c.ingested_at, r.c.id)).mappings()]

    def skipped(self) -> list[SkippedInput]:
        with self.engine.connect() as db:
            return [SkippedInput(origin=m["origin"], reason=m["reason"], at=m["at"])
                    for m in db.execute(sa.select(schema.skipped).order_by(schema.skipped.c.id)).mappings()]


def _event(row, evidence: tuple[Evidence, ...] = ()) -> StoredEvent:
    fields = {name: row[name] for name in _EVENT_COLUMNS}
    event = Event(**fields, assoc_actor_1=(), assoc_actor_2=(), admin3=None,
                  source=tuple(s for s in row["source"].split("; ") if s), evidence=evidence)
    return StoredEvent(id=row["id"], report_id=row["report_id"], event=event)


_EVENT_COLUMNS = ("event_date", "date_start", "date_end", "time_precision", "event_type", "sub_event_type", "actor1",
                  "inter1", "actor2", "inter2", "interaction", "civilian_targeting", "country", "iso3", "admin1",
                  "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities", "source_scale",
                  "notes", "confidence")
