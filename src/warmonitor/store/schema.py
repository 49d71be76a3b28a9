"""The store's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

A report is stored with what `extract` found in it: its events (with the sentences behind each),
figures and control changes. Rows of a report are written in one transaction and replaced as a whole
when an updated version of the report (same URL, other text) comes in. The migrations in
`migrations/versions` create and upgrade these tables; this module is what queries read.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text, UniqueConstraint)

metadata = MetaData()

reports = Table(
    "reports", metadata,
    Column("id", String(64), primary_key=True),  # Report.id: the input's own id, else a hash of the text
    Column("content_hash", String(16), nullable=False),  # a hash of the text: the same id with a new text is an update
    Column("url", Text, index=True),
    Column("title", Text),
    Column("publisher", Text),
    Column("published", Date, index=True),
    Column("chars", Integer, nullable=False),
    Column("text", Text),  # the report's text (revision 0004): evidence offsets point into it
    Column("origin", Text),
    Column("ingested_at", DateTime, nullable=False),
)

skipped = Table(
    "skipped", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(80), primary_key=True),  # "<report id>-<n>"
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("n", Integer, nullable=False),
    Column("cluster_id", String(80), index=True),  # the fused event it belongs to: the smallest member id
    Column("is_lead", Boolean, index=True),  # (revision 0004) the member the fused event takes its place from
    Column("event_date", Date),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("time_precision", Integer),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("actor1", Text),
    Column("inter1", Integer),
    Column("actor2", Text),
    Column("inter2", Integer),
    Column("interaction", Integer),
    Column("civilian_targeting", Text),
    Column("country", String(80)),
    Column("iso3", String(3)),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("fatalities", Integer, nullable=False),
    Column("source", Text, nullable=False),  # "; "-separated
    Column("source_scale", Text),
    Column("notes", Text, nullable=False),
    Column("confidence", Float, nullable=False),
    Index("ix_events_country_date", "country", "event_date"),
    Index("ix_events_admin1_date", "admin1", "event_date"),
    Index("ix_events_type_date", "event_type", "event_date"),
    Index("ix_events_fusion", "country", "sub_event_type", "event_date"),
)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(80), ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("report_id", String(64), nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("attributed_to", Text),
    Column("modality", String(20), nullable=False),
)

figures = Table(
    "figures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("metric", String(40), nullable=False),
    Column("value", Integer, nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Column("unit", Text),
    Column("text", Text, nullable=False),
    Column("place", Text),
    Column("admin1", Text),
    Column("country", String(80)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("attributed_to", Text),
    Column("reported_by", Text),
    Column("sentence", Text),
    Index("ix_figures_metric_country", "metric", "country"),
)

control_changes = Table(
    "control_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("place", Text, nullable=False, index=True),
    Column("admin1", Text),
    Column("country", String(80)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("controller", Text, nullable=False),
    Column("previous_controller", Text),
    Column("date", Date),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("sentence", Text),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(64), ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("sentence", Integer, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(80), nullable=False),
    Column("trigger", Text, nullable=False),
    Column("modality", String(20), nullable=False),  # asserted, reported, claimed, denied, hypothetical, ...
    Column("coded", Boolean, nullable=False),
    Column("why_not_coded", Text),
    Column("attributed_to", Text),
    Column("place", Text, index=True),  # the gazetteer's name
    Column("place_text", Text),  # as the report spells it
    Column("admin1", Text),
    Column("country", String(80)),
    Column("date", Date),
    Column("text", Text, nullable=False),
)

#: the actors and places events name (one row each, first seen wins)
actors = Table(
    "actors", metadata,
    Column("name", String(200), primary_key=True),
    Column("inter", Integer),
)

places = Table(
    "places", metadata,
    Column("name", String(200), primary_key=True),
    Column("country", String(80), primary_key=True),
    Column("admin1", Text),
    Column("latitude", Float),
    Column("longitude", Float),
)

# -- live monitoring (revision 0005): what `warmonitor watch` follows, has fetched and has alerted on --
sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # "feed" (RSS/Atom) or "article" (one page, checked for updates)
    Column("name", Text, nullable=False),
    Column("scale", String(40)),  # ACLED's source_scale: Local, Subnational, National, Regional, International, ...
    Column("reliability", Text),  # a note for the reader ("state media", "monitor with a network on the ground")
    Column("added_at", DateTime, nullable=False),
    Column("etag", Text),  # the validators of the last successful fetch, sent back as If-None-Match ...
    Column("last_modified", Text),  # ... and If-Modified-Since
    Column("checked_at", DateTime),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failures: the retry backoff grows with them
    Column("retry_at", DateTime),  # not checked again before this time (after a failure)
)

articles = Table(
    "articles", metadata,
    Column("url", String(2000), primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("entry_stamp", Text),  # the feed entry's updated/published stamp: a new one means fetch it again
    Column("etag", Text),
    Column("last_modified", Text),
    Column("report_id", String(64)),  # the report it was stored as (None: not readable as a report)
    Column("fetched_at", DateTime),
    Column("last_error", Text),
    Column("failures", Integer, nullable=False, default=0),
    Column("retry_at", DateTime, index=True),  # a failed fetch is tried again from this time on
)

alert_rules = Table(
    "alert_rules", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", Text, nullable=False),  # as the user wrote it: "control_change country=Syria"
    Column("target", Text, nullable=False),  # "stdout", a .jsonl file, or an http(s) webhook URL
    Column("added_at", DateTime, nullable=False),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", Integer, ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(64), nullable=False),  # what the alert is about (a hash): the same thing fires once
    Column("report_id", String(64)),
    Column("fired_at", DateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the alert as JSON, with the links to its evidence
    Column("delivered_at", DateTime),  # None: not delivered yet (a webhook that was down), tried again
    Column("delivery_error", Text),
    UniqueConstraint("rule_id", "key", name="uq_alerts_rule_key"),
)

#: children of a report, deleted before it when an updated version replaces it (no reliance on
#: ON DELETE CASCADE, which SQLite enforces only with a pragma)
REPORT_CHILDREN = (figures, control_changes, mentions)
