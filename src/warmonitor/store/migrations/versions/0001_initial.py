"""The first schema: reports, skipped inputs, events with their evidence, figures, control changes.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _report_child(name: str, *columns, indexes=()) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.String(64), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_report_id", name, ["report_id"])
    for columns_of_index in indexes:
        op.create_index(f"ix_{name}_{'_'.join(columns_of_index)}", name, list(columns_of_index))


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(64), primary_key=True), sa.Column("content_hash", sa.String(16), nullable=False),
        sa.Column("url", sa.Text), sa.Column("title", sa.Text), sa.Column("publisher", sa.Text),
        sa.Column("published", sa.Date), sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("origin", sa.Text), sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_url", "reports", ["url"])
    op.create_index("ix_reports_published", "reports", ["published"])
    op.create_table(
        "skipped",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("origin", sa.Text, nullable=False), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("report_id", sa.String(64), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("event_date", sa.Date), sa.Column("date_start", sa.Date), sa.Column("date_end", sa.Date),
        sa.Column("time_precision", sa.Integer),
        sa.Column("event_type", sa.String(64), nullable=False), sa.Column("sub_event_type", sa.String(80), nullable=False),
        sa.Column("actor1", sa.Text), sa.Column("inter1", sa.Integer), sa.Column("actor2", sa.Text),
        sa.Column("inter2", sa.Integer), sa.Column("interaction", sa.Integer), sa.Column("civilian_targeting", sa.Text),
        sa.Column("country", sa.String(80)), sa.Column("iso3", sa.String(3)), sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text), sa.Column("location", sa.Text), sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float), sa.Column("geo_precision", sa.Integer),
        sa.Column("fatalities", sa.Integer, nullable=False), sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_scale", sa.Text), sa.Column("notes", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("ix_events_report_id", "events", ["report_id"])
    op.create_index("ix_events_country_date", "events", ["country", "event_date"])
    op.create_index("ix_events_admin1_date", "events", ["admin1", "event_date"])
    op.create_index("ix_events_type_date", "events", ["event_type", "event_date"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(80), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("report_id", sa.String(64), nullable=False), sa.Column("sentence", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False), sa.Column("attributed_to", sa.Text),
        sa.Column("modality", sa.String(20), nullable=False),
    )
    op.create_index("ix_evidence_event_id", "evidence", ["event_id"])
    _report_child(
        "figures",
        sa.Column("metric", sa.String(40), nullable=False), sa.Column("value", sa.Integer, nullable=False),
        sa.Column("low", sa.Integer), sa.Column("high", sa.Integer), sa.Column("unit", sa.Text),
        sa.Column("text", sa.Text, nullable=False), sa.Column("place", sa.Text), sa.Column("admin1", sa.Text),
        sa.Column("country", sa.String(80)), sa.Column("period_start", sa.Date), sa.Column("period_end", sa.Date),
        sa.Column("attributed_to", sa.Text), sa.Column("reported_by", sa.Text), sa.Column("sentence", sa.Text),
        indexes=[("metric", "country")],
    )
    _report_child(
        "control_changes",
        sa.Column("place", sa.Text, nullable=False), sa.Column("admin1", sa.Text), sa.Column("country", sa.String(80)),
        sa.Column("latitude", sa.Float), sa.Column("longitude", sa.Float),
        sa.Column("controller", sa.Text, nullable=False), sa.Column("previous_controller", sa.Text),
        sa.Column("date", sa.Date), sa.Column("date_start", sa.Date), sa.Column("date_end", sa.Date),
        sa.Column("sentence", sa.Text),
        indexes=[("place",)],
    )


def downgrade() -> None:
    for table in ("control_changes", "figures", "evidence", "events", "skipped", "reports"):
        op.drop_table(table)
