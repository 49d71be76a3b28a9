"""What one stored report brought to the store, read back after `Store.save`: the input of alert rules.

`report_changes(store, report_id)` gives a ReportChanges: the report's events as it tells them
(each with its evidence, its fused event's id and whether other reports tell that event too), its
control changes and its figures. Two questions about the rest of the store come with it, both
excluding the report itself: whether an actor was named before in an area (`actor_known`), and the
last figure stored for a metric and place (`previous_figure`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..records import Event
from . import StoredControlChange, StoredFigure, _control_change, _fused, _stored_figure, schema


@dataclass(frozen=True, kw_only=True)
class ReportEvent:
    id: str  # the stored event's id ("<report id>-<n>"): `warmonitor event ID` shows it with its evidence
    cluster_id: str  # the fused event it belongs to
    event: Event  # as this report codes it, with its evidence (each with the report's URL)
    corroborated: bool  # the fused event holds other reports' events too: not news any more


@dataclass(frozen=True, kw_only=True)
class ReportChanges:
    report_id: str
    url: str | None
    title: str | None
    publisher: str | None
    published: date | None
    events: tuple[ReportEvent, ...]
    control_changes: tuple[StoredControlChange, ...]
    figures: tuple[StoredFigure, ...]
    store: object = dataclasses.field(repr=False, compare=False)

    def actor_known(self, actor: str, *, country: str | None, admin1: str | None) -> bool:
        """Whether another report's event names `actor` (either side) in this country and admin-1 area."""
        e = schema.events
        query = sa.select(e.c.id).where(sa.or_(e.c.actor1 == actor, e.c.actor2 == actor),
                                        e.c.report_id != self.report_id).limit(1)
        for column, value in ((e.c.country, country), (e.c.admin1, admin1)):
            query = query.where(column.is_(None) if value is None else column == value)
        with self.store.engine.connect() as db:
            return db.execute(query).first() is not None

    def previous_figure(self, figure: StoredFigure) -> StoredFigure | None:
        """The latest figure of the same metric and place (or country, for a national figure) that
        another report gave before: the figure a jump is measured against."""
        earlier = [f for f in self.store.figures(metric=figure.metric, country=figure.country, latest=False)
                   if f.report_id != self.report_id and (f.place or "").lower() == (figure.place or "").lower()]
        return earlier[-1] if earlier else None


def report_changes(store, report_id: str) -> ReportChanges | None:
    e, r, c, f = schema.events, schema.reports, schema.control_changes, schema.figures
    with store.engine.connect() as db:
        report = db.execute(sa.select(r.c.id, r.c.url, r.c.title, r.c.publisher, r.c.published)
                            .where(r.c.id == report_id)).mappings().first()
        if report is None:
            return None
        rows = list(db.execute(sa.select(e, r.c.published).join(r, r.c.id == e.c.report_id)
                               .where(e.c.report_id == report_id).order_by(e.c.n)).mappings())
        clusters = [row["cluster_id"] for row in rows]
        tellers = dict(db.execute(sa.select(e.c.cluster_id, sa.func.count(sa.distinct(e.c.report_id)))
                                  .where(e.c.cluster_id.in_(clusters)).group_by(e.c.cluster_id)).all()) if rows else {}
        proof = store._evidence(db, [row["id"] for row in rows]) if rows else {}
        changes = [_control_change(row) for row in db.execute(
            sa.select(c, r.c.publisher, r.c.published).join(r, r.c.id == c.c.report_id)
            .where(c.c.report_id == report_id).order_by(c.c.id)).mappings()]
        figures = [_stored_figure(row) for row in db.execute(
            sa.select(f, r.c.published).join(r, r.c.id == f.c.report_id)
            .where(f.c.report_id == report_id).order_by(f.c.id)).mappings()]
    events = []
    for row in rows:
        told = _fused(row["id"], [row]).event
        events.append(ReportEvent(id=row["id"], cluster_id=row["cluster_id"],
                                  event=dataclasses.replace(told, evidence=tuple(proof.get(row["id"], ()))),
                                  corroborated=tellers.get(row["cluster_id"], 1) > 1))
    return ReportChanges(report_id=report_id, url=report["url"], title=report["title"], publisher=report["publisher"],
                         published=report["published"], events=tuple(events), control_changes=tuple(changes),
                         figures=tuple(figures), store=store)
