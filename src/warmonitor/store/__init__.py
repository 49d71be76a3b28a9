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

import dataclasses
import functools
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from ..errors import WarmonitorError
from ..records import Event, Evidence, Extraction, Skipped, content_hash
from . import schema
from .fusion import lead_key, recluster
from .records import (ControlDenial, ControlHistory, MapCell, SkippedInput, StoredControlChange, StoredEvent,
                      StoredFigure, StoredReport)

__all__ = ["Store", "StoreError", "DEFAULT_URL", "ControlDenial", "ControlHistory", "MapCell", "SkippedInput",
           "StoredControlChange", "StoredEvent", "StoredFigure", "StoredReport"]

DEFAULT_URL = "sqlite:///warmonitor.db"
#: the sub-event types that change who holds a place
TERRITORY_CLAIMS = ("Non-state actor overtakes territory", "Government regains territory",
                    "Non-violent transfer of territory")
#: a denial this many days from a change contests it
CONTEST_DAYS = 2


class StoreError(WarmonitorError):
    """The store cannot be opened or written (a bad URL, an unreachable server, a locked file)."""


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
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):  # the driver warmonitor installs (psycopg 3), not SQLAlchemy's default
                url = "postgresql+psycopg://" + url[len(plain):]
        try:
            engine = sa.create_engine(url)
        except ImportError as exc:
            raise StoreError(f"cannot use the database '{url}': its driver is missing ({exc}); for PostgreSQL "
                             f"install warmonitor's postgres extra (pip install -e '.[postgres]')") from exc
        except sa.exc.ArgumentError as exc:
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
            left: set[str] = set()  # events that shared a cluster with the old version's
            for old_id in sorted(stale):
                left |= self._delete_report(db, old_id)
                outcome = "replaced"
            db.execute(schema.reports.insert().values(
                id=report.id, content_hash=digest, url=report.url, title=report.title, publisher=report.publisher,
                published=report.published, chars=len(report.text), text=report.text, origin=origin or report.origin,
                ingested_at=_now()))
            new_events = self._insert_findings(db, extraction)
            recluster(db, left | new_events)
        return outcome

    def has(self, report) -> bool:
        """Whether this very report (its id and text) is stored already: `ingest` then skips extracting it."""
        r = schema.reports
        with self.engine.connect() as db:
            stored = db.execute(sa.select(r.c.content_hash).where(r.c.id == report.id)).scalar()
        return stored == content_hash(report.text)

    def record_skip(self, skipped: Skipped) -> None:
        """Keep a skipped input and why; the same input skipped again for the same reason (a batch run
        twice) keeps one row, with the time of the latest skip."""
        s = schema.skipped
        with self.engine.begin() as db:
            same = db.execute(sa.update(s).where(s.c.origin == skipped.origin, s.c.reason == skipped.reason)
                              .values(at=_now()))
            if same.rowcount == 0:
                db.execute(s.insert().values(origin=skipped.origin, reason=skipped.reason, at=_now()))

    @staticmethod
    def _delete_report(db, report_id: str) -> set[str]:
        """Delete a report and what was found in it; returns the other events of its events' clusters."""
        e = schema.events
        clusters = sa.select(e.c.cluster_id).where(e.c.report_id == report_id)
        left = {row.id for row in db.execute(sa.select(e.c.id).where(e.c.cluster_id.in_(clusters),
                                                                       e.c.report_id != report_id))}
        event_ids = sa.select(schema.events.c.id).where(schema.events.c.report_id == report_id)
        db.execute(schema.evidence.delete().where(schema.evidence.c.event_id.in_(event_ids)))
        db.execute(schema.events.delete().where(schema.events.c.report_id == report_id))
        for table in schema.REPORT_CHILDREN:
            db.execute(table.delete().where(table.c.report_id == report_id))
        db.execute(schema.reports.delete().where(schema.reports.c.id == report_id))
        return left

    @staticmethod
    def _insert_findings(db, extraction: Extraction) -> set[str]:
        """Insert a report's events (with evidence), figures and control changes; returns the event ids."""
        report = extraction.report
        event_rows, evidence_rows = [], []
        for n, e in enumerate(extraction.events):
            event_id = f"{report.id}-{n}"
            event_rows.append(dict(
                id=event_id, report_id=report.id, n=n, cluster_id=event_id, event_date=e.event_date, date_start=e.date_start,
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
        mention_rows = []
        for m in extraction.mentions:
            place = m.places[0] if m.places else None
            known = place.place if place is not None else None
            mention_rows.append(dict(
                report_id=report.id, sentence=m.sentence, event_type=m.event_type, sub_event_type=m.sub_event_type,
                trigger=m.trigger, modality=m.modality, coded=m.coded, why_not_coded=m.why_not_coded,
                attributed_to=m.attribution.source if m.attribution else None,
                place=known.name if known else None, place_text=place.text if place else None,
                admin1=known.admin1 if known else None, country=known.country if known else None,
                date=m.time.date if m.time else None, text=m.sentence_text))
        if mention_rows:
            db.execute(schema.mentions.insert(), mention_rows)
        _remember(db, schema.actors, ["name"], {
            name: dict(name=name, inter=inter) for e in extraction.events
            for name, inter in ((e.actor1, e.inter1), (e.actor2, e.inter2)) if name})
        _remember(db, schema.places, ["name", "country"], {
            (e.location, e.country): dict(name=e.location, country=e.country, admin1=e.admin1, latitude=e.latitude,
                                          longitude=e.longitude)
            for e in extraction.events if e.location and e.country})
        return {row["id"] for row in event_rows}

    # -- reading ---------------------------------------------------------------------------------
    def events(self, *, limit: int | None = None, **filters) -> list[StoredEvent]:
        """Fused events (one per cluster of reports that tell the same event, see `fusion`), newest
        first (by the latest date any of its reports gives). A cluster is listed when one of its
        reports' events matches the filters: country, admin1, a date range (since included, until
        excluded), event_type or sub_event_type (case-insensitive names), actor (a part of either
        side's name), source (a part of a source's name) or within (a box: west, south, east, north)."""
        return self.events_page(limit=limit, offset=0, count=False, **filters)[1]

    def events_page(self, *, limit: int | None = 100, offset: int = 0, count: bool = True,
                    **filters) -> tuple[int | None, list[StoredEvent]]:
        """(how many fused events match, one page of them, newest first by the latest date any of
        their reports gives): the count and the page are computed by the database, so a page costs the
        same on a store of any size. limit=None: every match; count=False: no count (None)."""
        e = schema.events
        matching = self._cluster_filter(**filters).subquery()
        newest = sa.func.max(e.c.event_date)
        with self.engine.connect() as db:
            total = db.execute(sa.select(sa.func.count()).select_from(matching)).scalar() if count else None
            ids = [row[0] for row in db.execute(
                sa.select(e.c.cluster_id).where(e.c.cluster_id.in_(sa.select(matching.c.cluster_id)))
                .group_by(e.c.cluster_id).order_by(newest.desc().nulls_last(), e.c.cluster_id)
                .limit(limit).offset(offset or None))]
            found = {f.id: f for f in self._clusters(db, ids)} if ids else {}
        return total, [found[i] for i in ids if i in found]

    def iter_events(self, *, page: int = 1000, evidence: bool = True, **filters) -> Iterator[StoredEvent]:
        """The fused events `events(**filters)` lists, with their evidence, streamed a page of clusters
        at a time (ordered by cluster id): memory stays flat however many events the store holds."""
        e = schema.events
        after = ""
        while True:
            query = self._cluster_filter(**filters).where(e.c.cluster_id > after).order_by(e.c.cluster_id).limit(page)
            with self.engine.connect() as db:
                ids = [row[0] for row in db.execute(query)]
                if not ids:
                    return
                found = sorted(self._clusters(db, ids), key=lambda x: x.id)
                proof = self._evidence(db, [m for f in found for m in f.members]) if evidence else {}
            for f in found:
                behind = tuple(ev for m in f.members for ev in proof.get(m, ()))
                yield dataclasses.replace(f, event=dataclasses.replace(f.event, evidence=behind)) if behind else f
            after = ids[-1]

    @staticmethod
    def _evidence(db, event_ids: list[str]) -> dict[str, list[Evidence]]:
        """{event id: its evidence sentences}, each with its report's id and URL."""
        ev, r = schema.evidence, schema.reports
        out: dict[str, list[Evidence]] = {}
        rows = db.execute(sa.select(ev, r.c.url).join(r, r.c.id == ev.c.report_id)
                          .where(ev.c.event_id.in_(event_ids)).order_by(ev.c.event_id, ev.c.id)).mappings()
        for p in rows:
            out.setdefault(p["event_id"], []).append(Evidence(
                report=p["report_id"], sentence=p["sentence"], start=p["start"], end=p["end"], text=p["text"],
                attributed_to=p["attributed_to"], modality=p["modality"], url=p["url"]))
        return out

    def map_cells(self, *, zoom: int, west: float = -180.0, south: float = -90.0, east: float = 180.0,
                  north: float = 90.0, **filters) -> tuple[float, list[MapCell]]:
        """The fused events `events(**filters)` lists that lie in a bounding box, gathered into the
        cells of a grid fitted to a web map's zoom level (about 64 pixels a cell), each event at its
        lead telling's place. Returns (the cell size in degrees, the cells). The database does the
        counting, so a world of 100,000 events costs one grouped query and a few hundred cells."""
        e = schema.events
        size = 360.0 / (2 ** max(0, min(zoom, 22))) / 4
        query = sa.select(sa.func.floor(e.c.longitude / size).label("cx"), sa.func.floor(e.c.latitude / size).label("cy"),
                          e.c.event_type, sa.func.count().label("n"), sa.func.avg(e.c.latitude).label("lat"),
                          sa.func.avg(e.c.longitude).label("lon"), sa.func.min(e.c.cluster_id).label("event"),
                          sa.func.min(e.c.location).label("location"))
        query = self._leads(query, filters).where(e.c.latitude.between(south, north))
        if east - west < 360:  # a view across the antimeridian (west < -180 or east > 180) takes both sides
            lon = e.c.longitude
            if west < -180:
                query = query.where(sa.or_(lon >= west + 360, lon <= east))
            elif east > 180:
                query = query.where(sa.or_(lon >= west, lon <= east - 360))
            else:
                query = query.where(lon.between(west, east))
        cells: dict[tuple, list] = {}
        with self.engine.connect() as db:
            for row in db.execute(query.group_by("cx", "cy", e.c.event_type)):
                cells.setdefault((row.cx, row.cy), []).append(row)
        out = []
        for rows in cells.values():
            count = sum(r.n for r in rows)
            single = rows[0] if count == 1 else None
            out.append(MapCell(latitude=sum(r.lat * r.n for r in rows) / count,
                               longitude=sum(r.lon * r.n for r in rows) / count, count=count,
                               types={r.event_type: r.n for r in rows}, event=single and single.event,
                               location=single and single.location))
        return size, sorted(out, key=lambda c: -c.count)

    def timeline(self, **filters) -> list[tuple[date, str, int]]:
        """(day, event type, how many fused events) for the events `events(**filters)` lists, by their
        lead telling's date, oldest first; undated events are left out."""
        e = schema.events
        query = self._leads(sa.select(e.c.event_date, e.c.event_type, sa.func.count()), filters)
        query = query.where(e.c.event_date.is_not(None))
        with self.engine.connect() as db:
            return [tuple(row) for row in db.execute(query.group_by(e.c.event_date, e.c.event_type)
                                                     .order_by(e.c.event_date, e.c.event_type))]

    def _leads(self, query, filters: dict):
        """`query` over the lead telling of each fused event that `events(**filters)` lists: one row
        per fused event, at its most precise report's place and date."""
        e = schema.events
        query = query.where(e.c.is_lead == sa.true())
        if any(filters.values()):
            query = query.where(e.c.cluster_id.in_(self._cluster_filter(**filters)))
        return query

    def facets(self) -> dict:
        """What the store holds, for a user's filter choices: the countries, event types and sources of
        its events, the first and last event dates, and the extent of the placed events ([west, south,
        east, north], None when none is placed)."""
        e = schema.events
        with self.engine.connect() as db:
            countries = [r[0] for r in db.execute(sa.select(e.c.country).distinct().where(e.c.country.is_not(None))
                                                  .order_by(e.c.country))]
            types = [r[0] for r in db.execute(sa.select(e.c.event_type).distinct().order_by(e.c.event_type))]
            first, last = db.execute(sa.select(sa.func.min(e.c.event_date), sa.func.max(e.c.event_date))).one()
            extent = db.execute(sa.select(sa.func.min(e.c.longitude), sa.func.min(e.c.latitude), sa.func.max(e.c.longitude),
                                          sa.func.max(e.c.latitude)).where(e.c.is_lead == sa.true())).one()
            sources = db.execute(sa.select(e.c.source).distinct().limit(5000)).scalars()
            names = sorted({s for joined in sources if joined for s in joined.split("; ") if s})
        return {"countries": countries, "event_types": types, "sources": names, "first": first, "last": last,
                "extent": list(extent) if extent[0] is not None else None}

    @staticmethod
    def _cluster_filter(*, country: str | None = None, admin1: str | None = None, since: date | None = None,
                        until: date | None = None, event_type: str | None = None,
                        sub_event_type: str | None = None, actor: str | None = None, source: str | None = None,
                        within: tuple[float, float, float, float] | None = None):
        """The clusters one of whose members matches: exact names (case-insensitive) for the area and
        types, a part of a name for the actor (either side) and the source, and a box (west, south,
        east, north) for the place."""
        e = schema.events
        query = sa.select(e.c.cluster_id).distinct()
        for column, value in ((e.c.country, country), (e.c.admin1, admin1), (e.c.event_type, event_type),
                              (e.c.sub_event_type, sub_event_type)):
            if value:
                query = query.where(sa.func.lower(column) == value.lower())
        if actor:
            query = query.where(sa.or_(e.c.actor1.icontains(actor, autoescape=True),
                                       e.c.actor2.icontains(actor, autoescape=True)))
        if source:
            query = query.where(e.c.source.icontains(source, autoescape=True))
        if within:
            west, south, east, north = within
            query = query.where(e.c.latitude.between(south, north), e.c.longitude.between(west, east))
        if since:
            query = query.where(e.c.event_date >= since)
        if until:
            query = query.where(e.c.event_date < until)
        return query

    def event(self, event_id: str) -> StoredEvent | None:
        """One fused event (by its id or the id of any of its reports' events) with every sentence
        behind it and the report each comes from."""
        e = schema.events
        with self.engine.connect() as db:
            cluster = db.execute(sa.select(e.c.cluster_id).where(e.c.id == event_id)).scalar()
            if cluster is None:
                return None
            (found,) = self._clusters(db, sa.select(sa.literal(cluster)))
            proof = self._evidence(db, list(found.members))
        evidence = tuple(ev for m in found.members for ev in proof.get(m, ()))
        return dataclasses.replace(found, event=dataclasses.replace(found.event, evidence=evidence))

    @staticmethod
    def _clusters(db, cluster_ids) -> list[StoredEvent]:
        e, r = schema.events, schema.reports
        rows = db.execute(sa.select(e, r.c.published).join(r, r.c.id == e.c.report_id)
                          .where(e.c.cluster_id.in_(cluster_ids)).order_by(e.c.cluster_id, e.c.id)).mappings()
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(row["cluster_id"], []).append(row)
        return [_fused(cluster, members) for cluster, members in groups.items()]

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

    def report_text(self, report_id: str) -> str | None:
        """A stored report's text (evidence offsets point into it); None for an unknown report or one
        stored before texts were kept (schema revision 0004)."""
        r = schema.reports
        with self.engine.connect() as db:
            return db.execute(sa.select(r.c.text).where(r.c.id == report_id)).scalar()

    def control(self, place: str) -> ControlHistory:
        """The control changes stored for a place (its name as coded, case-insensitive), oldest
        first, and the reports' denials of such changes. Changes that give the same place on the same
        day to different controllers, or that a report denies within CONTEST_DAYS, are all kept and
        marked contested: the store does not decide between sources."""
        c, r = schema.control_changes, schema.reports
        names = _spellings(place)
        query = (sa.select(c, r.c.publisher, r.c.published).join(r, r.c.id == c.c.report_id)
                 .where(sa.func.lower(c.c.place).in_(names))
                 .order_by(c.c.date.asc().nulls_first(), r.c.published.asc().nulls_first(), c.c.id))
        with self.engine.connect() as db:
            rows = list(db.execute(query).mappings())
            m = schema.mentions
            denied = list(db.execute(
                sa.select(m, r.c.publisher).join(r, r.c.id == m.c.report_id)
                .where(m.c.modality == "denied", m.c.sub_event_type.in_(TERRITORY_CLAIMS),
                       sa.or_(sa.func.lower(m.c.place).in_(names), sa.func.lower(m.c.place_text).in_(names)))
                .order_by(m.c.date.asc().nulls_first(), m.c.id)).mappings())
        denials = tuple(ControlDenial(place=d["place"] or d["place_text"], claim=d["sub_event_type"], date=d["date"],
                                      report_id=d["report_id"], publisher=d["publisher"],
                                      attributed_to=d["attributed_to"], sentence=d["text"]) for d in denied)
        by_day: dict[date | None, set[str]] = {}
        for row in rows:
            by_day.setdefault(row["date"], set()).add(row["controller"])

        def contested(row) -> bool:
            if row["date"] is None:
                return False
            return len(by_day[row["date"]]) > 1 or any(
                d.date is not None and abs((d.date - row["date"]).days) <= CONTEST_DAYS for d in denials)

        changes = tuple(_control_change(row, contested=contested(row)) for row in rows)
        name = rows[0]["place"] if rows else (denials[0].place if denials else place)
        return ControlHistory(place=name, changes=changes, denials=denials)

    def control_changes(self, *, country: str | None = None, admin1: str | None = None, since: date | None = None,
                        until: date | None = None) -> list[StoredControlChange]:
        """Every stored control change in an area and period (since included, until excluded), oldest
        first: the changes of a situation report."""
        c, r = schema.control_changes, schema.reports
        query = sa.select(c, r.c.publisher, r.c.published).join(r, r.c.id == c.c.report_id)
        if country:
            query = query.where(sa.func.lower(c.c.country) == country.lower())
        if admin1:
            query = query.where(sa.func.lower(c.c.admin1) == admin1.lower())
        if since:
            query = query.where(c.c.date >= since)
        if until:
            query = query.where(c.c.date < until)
        with self.engine.connect() as db:
            rows = list(db.execute(query.order_by(c.c.date.asc().nulls_first(), c.c.id)).mappings())
        return [_control_change(row) for row in rows]

    def figures(self, *, metric: str | None = None, country: str | None = None, place: str | None = None,
                latest: bool = True) -> list[StoredFigure]:
        """Figures, oldest first; with latest=True only the newest figure of each source for each
        metric and scope (place or country), so that competing claims stand side by side. Never
        averaged."""
        f, r = schema.figures, schema.reports
        query = sa.select(f, r.c.published).join(r, r.c.id == f.c.report_id)
        for column, value in ((f.c.metric, metric), (f.c.country, country), (f.c.place, place)):
            if value:
                query = query.where(sa.func.lower(column) == value.lower())
        query = query.order_by(sa.func.coalesce(f.c.period_end, r.c.published).asc().nulls_first(), f.c.id)
        with self.engine.connect() as db:
            rows = list(db.execute(query).mappings())
        figures = [_stored_figure(m) for m in rows]
        if not latest:
            return figures
        newest: dict[tuple, StoredFigure] = {}
        for fig in figures:  # oldest first: a later one of the same source and scope replaces it
            newest[(fig.metric, fig.place or fig.country, fig.attributed_to or fig.reported_by)] = fig
        return sorted(newest.values(), key=lambda x: (x.metric, x.place or x.country or "", -x.value))

    def changes(self, report_id: str):
        """What a stored report brought: its events (each as the report tells it, with its evidence and
        whether another report tells it too), control changes and figures. `watch` asks this after
        each save to decide which alerts fire; see `changes.ReportChanges`."""
        from .changes import report_changes
        return report_changes(self, report_id)

    def skipped(self) -> list[SkippedInput]:
        with self.engine.connect() as db:
            return [SkippedInput(origin=m["origin"], reason=m["reason"], at=m["at"])
                    for m in db.execute(sa.select(schema.skipped).order_by(schema.skipped.c.id)).mappings()]


def _stored_figure(m) -> StoredFigure:
    """A figures row joined with its report's publication date."""
    return StoredFigure(metric=m["metric"], value=m["value"], low=m["low"], high=m["high"], place=m["place"],
                        admin1=m["admin1"], country=m["country"], attributed_to=m["attributed_to"],
                        reported_by=m["reported_by"], period_end=m["period_end"], published=m["published"],
                        report_id=m["report_id"], sentence=m["sentence"])


def _control_change(row, *, contested: bool = False) -> StoredControlChange:
    """A control_changes row joined with its report's publisher and publication date."""
    return StoredControlChange(place=row["place"], admin1=row["admin1"], country=row["country"],
                               controller=row["controller"], previous_controller=row["previous_controller"],
                               date=row["date"], report_id=row["report_id"], publisher=row["publisher"],
                               published=row["published"], sentence=row["sentence"], contested=contested,
                               latitude=row["latitude"], longitude=row["longitude"])


@functools.lru_cache(maxsize=1)
def _gazetteer():
    """Loaded once per process (a server answers many control queries), on the first one."""
    from ..resolve.gazetteer import Gazetteer
    return Gazetteer.load()


def _spellings(place: str) -> list[str]:
    """A place as asked ("Morek") and the gazetteer names it may stand for ("Murak"), lower-cased:
    control changes are stored under the gazetteer's name."""
    names = {place.lower()}
    names |= {c.name.lower() for c in _gazetteer().candidates(place) if c.feature in ("city", "admin2", "admin1")}
    return sorted(names)


def _remember(db, table, key: list[str], rows: dict) -> None:
    """Insert the rows whose key the table lacks (actors and places: first seen wins)."""
    for row in rows.values():
        where = [table.c[k] == row[k] for k in key]
        if db.execute(sa.select(table.c[key[0]]).where(*where)).first() is None:
            db.execute(table.insert().values(**row))


def _fused(cluster: str, members: list) -> StoredEvent:
    """One event from the members of a cluster: place, date and type from the most precise report
    (smallest geo_precision, then time_precision, then the earliest published), the sources of all,
    and the most conservative fatality count any of them gives (the smallest non-zero one); the
    others stay in the store as each report's figures."""
    best = min(members, key=lead_key)
    fields = {name: best[name] for name in _EVENT_COLUMNS}
    counts = [m["fatalities"] for m in members if m["fatalities"]]
    fields["fatalities"] = min(counts) if counts else 0
    fields["confidence"] = max(m["confidence"] for m in members)
    for side in ("actor1", "actor2"):
        fields[side] = fields[side] or next((m[side] for m in members if m[side]), None)
    sources = tuple(dict.fromkeys(s for m in members for s in m["source"].split("; ") if s))
    scales = list(dict.fromkeys(m["source_scale"] for m in members if m["source_scale"]))
    fields["source_scale"] = "-".join(scales) if scales else None
    event = Event(**fields, assoc_actor_1=(), assoc_actor_2=(), admin3=None, source=sources)
    return StoredEvent(id=cluster, report_id=best["report_id"], event=event, members=tuple(m["id"] for m in members),
                       reports=len({m["report_id"] for m in members}),
                       fatality_claims=tuple((m["report_id"], m["fatalities"]) for m in members))


_EVENT_COLUMNS = ("event_date", "date_start", "date_end", "time_precision", "event_type", "sub_event_type", "actor1",
                  "inter1", "actor2", "inter2", "interaction", "civilian_targeting", "country", "iso3", "admin1",
                  "admin2", "location", "latitude", "longitude", "geo_precision", "fatalities", "source_scale",
                  "notes", "confidence")
