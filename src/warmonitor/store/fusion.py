"""Fusing the events of many reports: the rule that says two stored events are one real event, and the
clusters it makes.

Two events from different reports are the same event when all of these hold:
- the same country and the same sub-event type (ACLED codes clashes and the capture they end in, or an
  air strike and the shelling after it, as separate events, and so do we);
- dates no more than FUSE_DAYS apart (both known: an undated event fuses with nothing);
- places within FUSE_KM of each other, or one of them only names the province the other lies in
  (geo_precision 3 and the same admin-1 area);
- compatible actors: each side (actor1, actor2) either the same or not named in one of them.

Clusters are the connected groups of that relation, and a cluster's id is the smallest id among its
events. Both depend only on which events are stored, never on the order they came in: ingesting
the same reports in any order gives the same clusters. The fused event takes its place and date from
the most precise report, its lead (`lead_key`); each cluster's lead is marked in the store
(events.is_lead), so a map can place every fused event with one indexed query.
"""
from __future__ import annotations

import math
from datetime import date, timedelta

import sqlalchemy as sa

from ..resolve.gazetteer import haversine_km
from . import schema

FUSE_DAYS = 2
FUSE_KM = 50.0


def lead_key(row) -> tuple:
    """Orders a cluster's members, most precise first: smallest geo_precision, then time_precision,
    then the earliest published report, then the id. The first is the cluster's lead. `row` needs
    the event's columns and its report's `published`."""
    return (row["geo_precision"] or 9, row["time_precision"] or 9, row["published"] or date.max, row["id"])


def _km(a, b) -> float:
    return haversine_km(*(math.radians(v) for v in (a["latitude"], a["longitude"], b["latitude"], b["longitude"])))


def same_event(a, b) -> bool:
    """Whether two stored events (row mappings) are one real event, by the rule above."""
    if a["report_id"] == b["report_id"] or a["country"] != b["country"] or a["sub_event_type"] != b["sub_event_type"]:
        return False
    if a["event_date"] is None or b["event_date"] is None or abs((a["event_date"] - b["event_date"]).days) > FUSE_DAYS:
        return False
    for side in ("actor1", "actor2"):
        if a[side] and b[side] and a[side] != b[side]:
            return False
    located = all(r["latitude"] is not None and r["longitude"] is not None for r in (a, b))
    if located and _km(a, b) <= FUSE_KM:
        return True
    province_level = (a["geo_precision"] == 3) or (b["geo_precision"] == 3)
    return province_level and a["admin1"] is not None and a["admin1"] == b["admin1"]


def _neighbours(db, row) -> list:
    e = schema.events
    day = row["event_date"]
    if day is None:
        return []
    query = sa.select(e).where(e.c.country == row["country"], e.c.sub_event_type == row["sub_event_type"],
                               e.c.event_date.between(day - timedelta(days=FUSE_DAYS), day + timedelta(days=FUSE_DAYS)),
                               e.c.report_id != row["report_id"])
    return [other for other in db.execute(query).mappings() if same_event(row, other)]


def recluster(db, seeds: set[str]) -> None:
    """Recompute the clusters of the events reachable from `seeds` (event ids) and store each one's
    cluster id: after new events came in (seeds: the new ones) or a report's events left (seeds: the
    other members of their clusters)."""
    e = schema.events
    if not seeds:
        return
    rows = {r["id"]: r for r in db.execute(sa.select(e).where(e.c.id.in_(sorted(seeds)))).mappings()}
    parent = {i: i for i in rows}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    frontier = sorted(rows)
    while frontier:
        nxt = []
        for i in frontier:
            for other in _neighbours(db, rows[i]):
                j = other["id"]
                if j not in rows:
                    rows[j], parent[j] = other, j
                    nxt.append(j)
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        frontier = nxt
    members: dict[str, list[str]] = {}
    for i in rows:
        members.setdefault(find(i), []).append(i)
    r = schema.reports
    published = dict(db.execute(sa.select(e.c.id, r.c.published).join(r, r.c.id == e.c.report_id)
                                .where(e.c.id.in_(sorted(rows)))).all())
    for group in members.values():
        cluster = min(group)
        lead = min(group, key=lambda i: lead_key({**rows[i], "published": published.get(i)}))
        db.execute(e.update().where(e.c.id.in_(group), sa.or_(e.c.cluster_id.is_(None), e.c.cluster_id != cluster))
                   .values(cluster_id=cluster))
        db.execute(e.update().where(e.c.id.in_(group)).values(is_lead=e.c.id == lead))
